"""Law (b) as a property: for CVs with arbitrary Unicode text in news, publications and awards (Markdown, HTML,
LaTeX and Liquid specials included), written in one of several page styles, importing the written page gives
the CV back (its page settings as a layout where the section's settings differ from cvgen's own), and writing
that gives the same bytes.

Text is generated as literal text and stored as cvgen markup (`to_markup`), the one form the importer writes.
Characters that are the page's own structure where the text stands (a comma or star in an author name,
parentheses in a note, brackets in a link label, a digit or '[' starting an award title) are generated too: the
writer puts them on the page as character references, which the importer reads as text.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cvgen.dates import format_date, infer_style, parse_date
from cvgen.dump import dump_cv
from cvgen.importers.homepage import import_homepage_text
from cvgen.loader import load_cv_text
from cvgen.markup import Highlight, Strong, Text, to_markup
from cvgen.model import CV, written_author
from cvgen.renderers import render

OWNER = "Ada Lovelace"
SPECIALS = [
    "{{ x }}", "{% if %}", "{%", "}}", "*", "_", "**", "__", "<b>", "</b>", "<br>", "\\", "\\\\", "|", "#", "##",
    "$$", "$", "1.", "1. ", "- ", "-", "# ", "> ", ">", "+", "==", "++", "`", "``", "[", "]", "[x](y)", "(", ")",
    "&", "&amp;", "&nbsp;", "<", "<!--", "-->", "~", "~~", "{:", ":", " \\", "  ", "@", "%", "^", "\\*", "!",
    "\u00a0", "한국어", "数据", "Zoë", "🎉", "\u200b", "'", '"', "\\textbf{x}", "---", "===",
]

characters = st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"))
fragment = st.one_of(st.text(characters, min_size=1, max_size=8), st.sampled_from(SPECIALS))


def literal(*, forbidden: str = "", min_size: int = 1) -> st.SearchStrategy[str]:
    """Literal one-line text with specials, without white space at its ends."""
    return (st.lists(fragment, min_size=min_size, max_size=6).map("".join)
            .map(lambda text: "".join(character for character in text if character not in forbidden).strip())
            .filter(lambda text: len(text) >= min_size))


@st.composite
def markup(draw: st.DrawFn, *, forbidden: str = "") -> str:
    """A markup field: literal text, sometimes with a bold part."""
    text = draw(literal(forbidden=forbidden))
    if draw(st.booleans()):
        return to_markup([Text(text)])
    bold = draw(literal(forbidden=forbidden))
    return to_markup([Text(text + " "), Strong((Text(bold),))])


def author(name: str, equal: bool) -> str:
    """An author as the YAML writes one: a literal mark character as \\*, then * for equal contribution."""
    return written_author(name, "*" if equal else "")


STYLES = ["%b. %Y", "%B %Y", "%Y.%m", "%Y-%m", "%b %Y"]


@st.composite
def dates(draw: st.DrawFn, count: int) -> tuple[list[str], str]:
    """Dates as a page writes them, all in one style, and that style."""
    style = draw(st.sampled_from(STYLES))
    values = [format_date(parse_date(f"{draw(st.integers(1990, 2030))}-{draw(st.integers(1, 12)):02d}"), style)
              for _ in range(count)]
    return values, style


PAGE_STYLES: list[dict[str, Any]] = [
    {},
    {"link_style": "color: #7289da; text-decoration: none;", "owner": "<u>{text}</u>",
     "venue": '<span style="color:darkred">**{text}**</span>', "award": '<span style="color:red">_{text}_</span>',
     "highlight": '<span style="color:red">{text}</span>', "owner_mark_inside": True},
    {"line_break": "<br>", "link_template": '<a href="{url}" target="_blank">{text}</a>',
     "paper_title": "<b>{text}</b>", "equal_mark": "<sup>†</sup>", "equal_legend": ""},
    {"line_break": "  ", "emphasis": "*", "award": "*{text}*", "owner": "<b>{text}</b>"},
]


@st.composite
def cvs(draw: st.DrawFn) -> CV:
    """A CV with news, publications and awards full of specials, in one page style."""
    page_style = draw(st.sampled_from(PAGE_STYLES))
    news_count = draw(st.integers(1, 4))
    news_dates, _ = draw(dates(news_count))
    separator = draw(st.sampled_from([". ", ": ", " - "]))
    # The heading tells the importer the section kind, so it is one of the names it knows.
    title = draw(st.sampled_from(["News", "🔥 News", "Recent News", "소식", "Actualités", "What's new?"]))
    news = {"kind": "news", "title": to_markup([Text(title)]), "items": [
        {"date": date, "text": draw(markup())} for date in news_dates]}
    # Every page setting shows on the page (one cannot read back a style the page never uses): a highlight,
    # and below a first paper with venue, year, award, a link and equal-contribution marks.
    news["items"][0]["text"] = to_markup([Text(draw(literal()) + " "), Highlight((Text(draw(literal())),))])
    if infer_style(news_dates[0]):
        news["homepage"] = {"date_style": infer_style(news_dates[0])}
    if separator != ". ":
        news.setdefault("homepage", {})["separator"] = separator
    papers = []
    for number in range(draw(st.integers(1, 3))):
        names = draw(st.lists(literal(), min_size=1, max_size=3))
        with_owner = number == 0 or draw(st.booleans())
        people = [*names[:1], OWNER, *names[1:]] if with_owner else names + ["B. Babbage"]
        first = number == 0
        equal = 2 if first else draw(st.integers(0, 1))  # how many authors, from the first, share the mark
        authors = [author(name, index < equal) for index, name in enumerate(people)]
        # The title is bold on the page already, so bold inside it is not generated.
        paper: dict[str, Any] = {"title": to_markup([Text(draw(literal()))]), "authors": authors}
        if first or draw(st.booleans()):
            paper["venue"] = to_markup([Text(draw(literal()))])  # bold or italic on the page already
        if first or draw(st.booleans()):
            paper["year"] = str(draw(st.integers(1990, 2030)))
        if first or draw(st.booleans()):
            paper["award"] = to_markup([Text(draw(literal()))])
        if draw(st.booleans()):
            paper["note"] = to_markup([Text(draw(literal()))])
        if first or draw(st.booleans()):
            paper["links"] = [{"label": to_markup([Text(draw(literal()))]),
                               "url": draw(st.sampled_from(["https://arxiv.org/abs/1", "https://e.org/a?b=1&c=2"]))}]
        papers.append(paper)
    award_dates, _ = draw(dates(2))
    awards = {"kind": "awards", "title": "Awards", "items": [
        {"title": to_markup([Text(draw(literal()))]), "date": date} for date in award_dates]}
    if infer_style(award_dates[0]):
        awards["homepage"] = {"date_style": infer_style(award_dates[0])}
    data = {"name": OWNER, "homepage": {"front_matter": {"title": "About"}, **page_style}, "sections": [
        news, {"kind": "publications", "title": "Publications", "items": papers}, awards]}
    return CV.model_validate(data)


def _content(data: Any) -> Any:
    """A section's data without how the page writes it: a news separator set in the section's settings comes
    back as the layout it makes (`{date}: {text}`), which writes the same page."""
    if isinstance(data, dict):
        return {key: _content(value) for key, value in data.items() if key != "homepage"}
    return [_content(value) for value in data] if isinstance(data, list) else data


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cvs())
def test_law_b_a_written_cv_imports_back_unchanged(cv: CV) -> None:
    page = render("markdown", cv)
    result = import_homepage_text(page, "generated.md")
    assert result.warnings == []
    for written, imported in zip(cv.sections, result.cv.sections, strict=True):
        assert _content(imported.model_dump()) == _content(written.model_dump())
    assert result.cv.homepage == cv.homepage
    if cv.sections[0].homepage.separator == ". ":  # cvgen's own layout: nothing of the page's to keep
        assert result.cv == cv
    assert render("markdown", result.cv) == page
    assert load_cv_text(dump_cv(cv), "cv.yaml") == cv
