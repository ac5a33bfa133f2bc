"""The Markdown renderer: text is literal on the Jekyll page, imported Liquid stays live, and an edit in the YAML
changes the page in exactly that place, in the page's own style (law c)."""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import DATA, FIXTURES, require
from support import canonical_html, jekyll_render

from cvgen.importers.homepage import import_homepage
from cvgen.markup import Text, to_markup
from cvgen.model import CV, GenericEntry, NewsItem, Publication
from cvgen.renderers import render

HOMEPAGES = FIXTURES / "homepages"
LITERALS = ["{{ x }}", "{% if %}", "a * b", "snake_case_name", "<b>bold?</b>", "back\\slash", "a | b",
            "# not a heading", "$$x$$", "1. not a list", "- not an item", "> not a quote", "~~not struck~~",
            "&amp; &nbsp;", "[x](y)", "**not bold**", "==not marked==", "C++ & Python", "Zoë 한국어 数据 🎉"]


def page_text(path: Path) -> str:
    """The HTML text of a page rendered by Jekyll, entities decoded and white space collapsed."""
    _, page_html = jekyll_render(path)
    return " ".join(html.unescape(event[1]) for event in canonical_html(page_html) if event[0] == "text")


def test_text_in_the_yaml_is_literal_on_the_jekyll_page(tmp_path: Path) -> None:
    require("ruby")
    cv = CV.model_validate({"name": "Ada Lovelace", "homepage": {"front_matter": {"title": "About"}}, "sections": [
        {"kind": "news", "title": "News", "items": [
            {"date": "2024-01", "text": to_markup([Text(literal)])} for literal in LITERALS]},
        {"kind": "publications", "title": "Publications", "items": [
            {"title": to_markup([Text(literal)]), "authors": ["Ada Lovelace", to_markup([Text(literal)])],
             "venue": to_markup([Text(literal)])} for literal in LITERALS]},
        {"kind": "awards", "title": "Awards", "items": [{"title": to_markup([Text(literal)])} for literal in LITERALS]},
    ]})
    written = tmp_path / "about.md"
    written.write_text(render("markdown", cv), encoding="utf-8")
    text = page_text(written)
    missing = [literal for literal in LITERALS if text.count(" ".join(html.unescape(literal).split())) < 4]
    assert missing == []


def test_liquid_that_was_live_on_the_page_stays_live(tmp_path: Path) -> None:
    require("ruby")
    cv = import_homepage(HOMEPAGES / "10-liquid.md").cv
    written = tmp_path / "about.md"
    written.write_text(render("markdown", cv), encoding="utf-8")
    text = page_text(written)
    assert 'This page is titled “About me”.' in text
    assert "I lead the Vision & Learning Lab" in text
    assert "{{" not in text and "{%" not in text


def _add_news(text: str) -> Callable[[CV], None]:
    def edit(cv: CV) -> None:
        section = next(section for section in cv.sections if section.kind == "news")
        section.items.insert(0, NewsItem(date="2024-07", text=text))  # type: ignore[union-attr]
    return edit


def _add_paper(cv: CV) -> None:
    section = next(section for section in cv.sections if section.kind == "publications")
    section.items.insert(0, Publication(  # type: ignore[union-attr]
        title="A New Paper", authors=["Jane Roe*", f"{cv.name or 'Tomás Herrera'}*"], venue="ICLR", year="2025",
        links=[{"label": "paper", "url": "https://arxiv.org/abs/2501.00001"}]))  # type: ignore[list-item]


def _add_highlight(cv: CV) -> None:
    section = next(section for section in cv.sections if section.kind == "publications")
    section.items[0].highlights.append("Oral presentation, top 1%")  # type: ignore[union-attr]


def _correct_date(cv: CV) -> None:
    section = next(section for section in cv.sections if section.kind == "news")
    section.items[1].date = "2023-12"  # type: ignore[union-attr]


EDITS = [
    ("seed", _add_news("Joined **FAIR**"), "## News\n",
     "## News\nJul. 2024. Joined **FAIR** \\\\\n"),
    ("03-br-breaks", _add_news("A new grant"), "## News\n", "## News\nJul. 2024: A new grant<br>\n"),
    ("14-numbered-nested", _add_news("A new item"), "## News\n", "## News\n* **Jul 2024**: A new item\n"),
    ("05-emoji-headings", _add_news("🎉 A new item"), "# 🔥 News\n", "# 🔥 News\n- *2024.07*: 🎉 A new item\n"),
    ("02-two-space-breaks", _add_news("A new item"), "## Recent News\n", "## Recent News\n2024-07. A new item  \n"),
    ("seed", _correct_date, "Feb. 2022. I recevied", "Dec. 2023. I recevied"),
    ("seed", _add_paper, "## Conference Publications\n",
     "## Conference Publications\n- **A New Paper** \\\\\n"
     '<a href="https://arxiv.org/abs/2501.00001" style="color: #7289da; text-decoration: none;">[paper]</a> \\\\\n'
     "Jane Roe\\*, <u>Hayeon Lee*</u> (\\*: equal contribution) \\\\\n"
     '<span style="color:darkred">**ICLR**</span> 2025\n\n'),
    # A line under a paper of the seed's own paper style: a nested list (it was dropped).
    ("seed", _add_highlight, "(acceptance = 176 / 3391 = 5.1%)\n",
     "(acceptance = 176 / 3391 = 5.1%)\n  - Oral presentation, top 1%\n"),
    ("15-anchors-spans", _add_paper, "## Publications\n",
     "## Publications\n- **A New Paper** \\\\\n"
     '<a href="https://arxiv.org/abs/2501.00001" target="_blank">[paper]</a> \\\\\n'
     "Jane Roe\\*, <u>Sofia Andersson</u>\\* (\\*: equal contribution) \\\\\n"
     '<span style="color:darkblue">**ICLR**</span> 2025\n\n'),
]


@pytest.mark.parametrize("page, edit, anchor, replacement", EDITS,
                         ids=[f"{page}-{edit.__name__}" for page, edit, _, _ in EDITS])
def test_law_c_an_edit_changes_the_page_in_exactly_that_place(page: str, edit: Callable[[CV], None], anchor: str,
                                                              replacement: str) -> None:
    path = DATA / "about.md" if page == "seed" else HOMEPAGES / f"{page}.md"
    cv = import_homepage(path).cv
    before = render("markdown", cv)
    edit(cv)
    after = render("markdown", cv)
    assert before.count(anchor) == 1
    assert after == before.replace(anchor, replacement)


def test_a_numbered_list_renumbers_and_keeps_its_indentation() -> None:
    cv = import_homepage(HOMEPAGES / "02-two-space-breaks.md").cv
    before = render("markdown", cv)
    _add_paper(cv)
    after = render("markdown", cv)
    assert "## Publications\n1. **A New Paper**  \n   [[paper]](https://arxiv.org/abs/2501.00001)  \n" in after
    assert after.count("4. **") == 1 and before.count("4. **") == 0


def test_the_page_honours_the_cvs_template_folders_like_every_output(tmp_path: Path) -> None:
    """design.templates is searched for the page's templates too, and a folder that is missing is an error."""
    from cvgen.errors import CvgenError
    from cvgen.loader import load_cv

    (tmp_path / "mine" / "sections").mkdir(parents=True)
    (tmp_path / "mine" / "sections" / "publications.md.j2").write_text("Papers live elsewhere.\n", encoding="utf-8")
    source = (FIXTURES / "cvs" / "minimal.yaml").read_text(encoding="utf-8")
    (tmp_path / "cv.yaml").write_text(source + "design: {theme: modern, templates: [mine]}\n", encoding="utf-8")
    page = render("markdown", load_cv(tmp_path / "cv.yaml"))
    assert "Papers live elsewhere." in page  # the CV's folder; design.theme (the PDFs' look) is no error here
    (tmp_path / "cv.yaml").write_text(source + "design: {templates: [absent]}\n", encoding="utf-8")
    with pytest.raises(CvgenError, match="the template folder .*absent does not exist"):
        render("markdown", load_cv(tmp_path / "cv.yaml"))


@pytest.mark.parametrize(("language", "expected"), [
    ("en", ("8 Dec 2021", "Feb 2022")), ("de", ("8. Dez. 2021", "Feb. 2022")), ("fr", ("8 déc. 2021", "févr. 2022")),
    ("ko", ("2021년 12월 8일", "2022년 2월"))])
def test_a_date_the_page_has_no_style_for_is_written_in_the_cvs_language(language: str,
                                                                         expected: tuple[str, str]) -> None:
    """A date given as YYYY-MM in a section whose page style says nothing (a CV not imported from a page, a new
    section) is written in cvgen's style in the CV's language, as the PDFs write it."""
    cv = CV.model_validate({"name": "Jana Roth", "language": language, "sections": [
        {"kind": "news", "title": "News", "items": [{"date": "2021-12-08", "text": "One"},
                                                   {"date": "2022-02", "text": "Two"}]}]})
    page = render("markdown", cv)
    for date in expected:
        assert date in page, (date, page)


def test_a_new_paper_its_sections_layout_has_no_value_for_is_written_in_the_pages_own_style(tmp_path: Path) -> None:
    """A paper added without the URL and venue its section's layout writes (`[{title}]({title_url})`,
    `*{venue}*`) is not written with an empty link or empty emphasis: it takes the layout of a sibling that has a
    place for each of its fields, else cvgen's own paper style in the page's markup and line breaks."""
    cv = import_homepage(FIXTURES / "entries" / "01-linked-titles.md").cv
    section = next(section for section in cv.sections if section.kind == "publications")
    section.items.insert(0, Publication(  # type: ignore[union-attr]
        title="A Preprint Without a Home", authors=["Mira Okafor", "Li Wei"], year="2025"))
    written = render("markdown", cv)
    assert "- **A Preprint Without a Home** \\\\\n  **Mira Okafor**, Li Wei \\\\\n  2025\n" in written
    assert "]()" not in written and "**, 2025" not in written  # what the section's layout would have written
    require("ruby")
    (tmp_path / "about.md").write_text(written, encoding="utf-8")
    assert "A Preprint Without a Home Mira Okafor , Li Wei 2025" in page_text(tmp_path / "about.md")


def test_a_new_entry_without_the_label_its_sections_layout_writes_has_no_dangling_colon(tmp_path: Path) -> None:
    cv = import_homepage(FIXTURES / "entries" / "17-label-entries.md").cv
    skills, service = cv.sections[0], cv.sections[1]
    assert skills.homepage.layout is not None and skills.homepage.layout.template == "**{label}:** {title}"
    skills.items.append(GenericEntry(title="Fluent in Polish and English"))  # type: ignore[union-attr]
    service.items.append(GenericEntry(label="Program Committee", title="DIS 2025"))  # type: ignore[union-attr]
    written = render("markdown", cv)
    assert "\n- Fluent in Polish and English\n" in written and "****" not in written and ":** Fluent" not in written
    assert "\n- Program Committee: DIS 2025\n" in written  # a label its section writes: the section's layout
