"""The HTML renderer: a CV as one standalone, print-styled HTML document, the source of the WeasyPrint PDF.

Everything is escaped here, in Python, into `markupsafe.Markup`; the templates under `templates/html/` only lay
the pieces out. Runs of Korean, Japanese and Chinese text are wrapped in `<span lang="…">` so the stylesheet can
name a font per language (fontconfig's generic fallback would draw Hangul with a Japanese face).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from markupsafe import Markup, escape

from cvgen.dates import parse_date
from cvgen.errors import CvgenError
from cvgen.markup import Code, Emphasis, Highlight, Link, Span, Strong, Underline, parse_markup, plain_text
from cvgen.markup import render_spans as fold_spans
from cvgen.model import (
    CV,
    AwardsSection,
    EducationSection,
    ExperienceSection,
    InterestsSection,
    NewsSection,
    PressSection,
    ProjectsSection,
    Publication,
    PublicationsSection,
    RawSection,
    Section,
    SectionBase,
    ServiceSection,
    TalksSection,
    TextSection,
)
from cvgen.rawtext import raw_paragraphs
from cvgen.renderers import RenderOptions
from cvgen.templates import make_environment, search_path
from cvgen.urls import url_problem

DEFAULT_OPTIONS = RenderOptions()  # frozen, so one shared default is safe
FORMAT = "html"
DOCUMENT = "cv.html.j2"
STYLESHEET = "style.css"
PAPER_SIZES = {"a4": "A4", "letter": "letter"}
RANGE_SEPARATOR = " – "
EQUAL_MARK = "*"

# --- text and inline markup -------------------------------------------------------------------------------------

_HANGUL = "\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7af\ud7b0-\ud7ff\uffa0-\uffdc"
_KANA = "\u3040-\u30ff\u31f0-\u31ff\u32d0-\u32fe\uff66-\uff9f"
_HAN = "\u2e80-\u2fdf\u3005\u3007\u3021-\u3029\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_CJK_PUNCTUATION = "\u3000-\u3004\u3008-\u3020\u3030-\u303f\uff01-\uff65\uffe0-\uffef"
_CJK_CHAR = f"[{_HANGUL}{_KANA}{_HAN}{_CJK_PUNCTUATION}]"
# A run is CJK characters, with the spaces between them (Korean separates words with spaces).
_CJK_RUN = re.compile(f"{_CJK_CHAR}+(?:\\s+{_CJK_CHAR}+)*")
_HAS_HANGUL = re.compile(f"[{_HANGUL}]")
_HAS_KANA = re.compile(f"[{_KANA}]")


def _cjk_language(run: str, context: str) -> str:
    """The language of a CJK run: Hangul is Korean, Kana Japanese; Han alone follows the text around it."""
    for text in (run, context):
        if _HAS_HANGUL.search(text):
            return "ko"
        if _HAS_KANA.search(text):
            return "ja"
    return "zh"


def escape_text(text: str, context: str | None = None) -> Markup:
    """Escape literal text for HTML, wrapping CJK runs in `<span lang>` (context decides Han-only runs)."""
    if _CJK_RUN.search(text) is None:
        return escape(text)
    surrounding = text if context is None else context
    parts: list[str] = []
    position = 0
    for match in _CJK_RUN.finditer(text):
        parts.append(escape(text[position : match.start()]))
        language = _cjk_language(match.group(0), surrounding)
        parts.append(f'<span lang="{language}">{escape(match.group(0))}</span>')
        position = match.end()
    parts.append(escape(text[position:]))
    return Markup("".join(parts))


def safe_url(url: str) -> str | None:
    """The URL if the one URL policy (cvgen.urls) allows a link to it, else None."""
    return None if url_problem(url) else url


def _render_spans(spans: Sequence[Span], *, links: bool = True) -> Markup:
    """Spans as HTML; with `links=False` (inside an anchor) links are shown as their text."""
    context = plain_text(tuple(spans))

    def text(value: str) -> str:
        return escape_text(value, context)

    def wrap(span: Span, content: str) -> str:
        if isinstance(span, Strong):
            return f"<strong>{content}</strong>"
        if isinstance(span, Emphasis):
            return f"<em>{content}</em>"
        if isinstance(span, Underline):
            return f"<u>{content}</u>"
        if isinstance(span, Highlight):
            return f'<span class="highlight">{content}</span>'
        if isinstance(span, Code):
            return f"<code>{content}</code>"
        if isinstance(span, Link):
            url = safe_url(span.url)
            if links and url is not None:
                return f'<a href="{escape(url)}">{content}</a>'
            return content
        raise AssertionError(f"unknown span {span!r}")

    return Markup(fold_spans(tuple(spans), text, wrap))


def render_markup(source: str) -> Markup:
    """CV inline markup as safe HTML."""
    return _render_spans(parse_markup(source))


def _optional(source: str | None, *, links: bool = True) -> Markup | None:
    return None if not source else _render_spans(parse_markup(source), links=links)


def _linked(source: str, url: str | None) -> Markup:
    """Markup wrapped in a link to `url` when the URL is safe (links inside it become text)."""
    target = safe_url(url) if url else None
    if target is None:
        return render_markup(source)
    content = _render_spans(parse_markup(source), links=False)
    return Markup(f'<a href="{escape(target)}">{content}</a>')


# --- dates ------------------------------------------------------------------------------------------------------


def display_date(text: str | None) -> Markup | None:
    """A date field in cvgen's one style ('Feb 2022'), or None when absent."""
    return None if not text else escape(parse_date(text).display())


def display_period(start: str | None, end: str | None) -> Markup | None:
    """A period 'start – end', or the one date given."""
    dates = [date for date in (display_date(start), display_date(end)) if date is not None]
    return Markup(RANGE_SEPARATOR).join(dates) if dates else None


# --- sections ---------------------------------------------------------------------------------------------------


class _RenderState:
    """What one rendering remembers across sections: ids used, whether the equal-contribution legend is out."""

    def __init__(self) -> None:
        self.ids: set[str] = set()
        self.next_number: dict[str, int] = {}
        self.equal_legend_shown = False

    def unique_id(self, wanted: str) -> str:
        # The next number to try is remembered per id, so n sections of one title cost n steps, not n².
        candidate, number = wanted, self.next_number.get(wanted, 2)
        while candidate in self.ids:
            candidate, number = f"{wanted}-{number}", number + 1
        self.next_number[wanted] = number
        self.ids.add(candidate)
        return candidate


def _node(**fields: object) -> SimpleNamespace:
    """A context record for the templates (attributes, so no name clashes with dict methods)."""
    return SimpleNamespace(**fields)


def _text_section(cv: CV, section: TextSection, state: _RenderState) -> SimpleNamespace:
    return _node(paragraphs=[render_markup(paragraph) for paragraph in section.paragraphs])


def _interests_section(cv: CV, section: InterestsSection, state: _RenderState) -> SimpleNamespace:
    return _node(intro=_optional(section.intro), entries=[render_markup(item) for item in section.items])


def _news_section(cv: CV, section: NewsSection, state: _RenderState) -> SimpleNamespace:
    return _node(entries=[_node(date=display_date(item.date), text=render_markup(item.text)) for item in section.items])


def _education_section(cv: CV, section: EducationSection, state: _RenderState) -> SimpleNamespace:
    return _node(
        entries=[
            _node(
                degree=render_markup(item.degree),
                field=_optional(item.field),
                institution=render_markup(item.institution),
                location=_optional(item.location),
                period=display_period(item.start, item.end),
                note=_optional(item.note),
            )
            for item in section.items
        ]
    )


def _authors(cv: CV, publication: Publication) -> tuple[Markup, bool]:
    """An author list with the owner highlighted and equal contributors marked; and whether any is marked."""
    names: list[Markup] = []
    any_equal = False
    for author in publication.author_list():
        name = escape_text(author.name)
        if cv.is_owner(author.name):
            name = Markup(f'<strong class="owner">{name}</strong>')
        if author.equal:
            any_equal = True
            name = Markup(f'{name}<sup class="equal">{EQUAL_MARK}</sup>')
        names.append(name)
    return Markup(", ").join(names), any_equal


def _publications_section(cv: CV, section: PublicationsSection, state: _RenderState) -> SimpleNamespace:
    entries = []
    uses_equal = False
    for item in section.items:
        authors, equal = _authors(cv, item)
        uses_equal = uses_equal or equal
        entries.append(
            _node(
                title=render_markup(item.title),
                authors=authors,
                venue=_optional(item.venue),
                year=display_date(item.year),
                award=_optional(item.award),
                note=_optional(item.note),
                links=[
                    _node(label=_optional(link.label, links=False) or escape(link.url), url=_escaped_url(link.url))
                    for link in item.links
                ],
            )
        )
    legend = None
    if uses_equal and not state.equal_legend_shown:
        state.equal_legend_shown = True
        legend = Markup(f'<sup class="equal">{EQUAL_MARK}</sup>&#8201;Equal contribution')
    return _node(entries=entries, legend=legend)


def _escaped_url(url: str | None) -> Markup | None:
    target = safe_url(url) if url else None
    return None if target is None else escape(target)


def _experience_section(cv: CV, section: ExperienceSection, state: _RenderState) -> SimpleNamespace:
    return _node(
        entries=[
            _node(
                role=render_markup(item.role),
                organization=render_markup(item.organization),
                location=_optional(item.location),
                period=display_period(item.start, item.end) or _optional(item.when),
                when=_optional(item.when) if item.start or item.end else None,
            )
            for item in section.items
        ]
    )


def _awards_section(cv: CV, section: AwardsSection, state: _RenderState) -> SimpleNamespace:
    return _node(
        entries=[
            _node(title=_linked(item.title, item.url), detail=_optional(item.detail), date=display_date(item.date))
            for item in section.items
        ]
    )


def _talks_section(cv: CV, section: TalksSection, state: _RenderState) -> SimpleNamespace:
    return _node(
        entries=[
            _node(
                title=render_markup(item.title),
                venues=[
                    _node(venue=render_markup(venue.venue), date=display_date(venue.date)) for venue in item.venues
                ],
            )
            for item in section.items
        ]
    )


def _press_section(cv: CV, section: PressSection, state: _RenderState) -> SimpleNamespace:
    return _node(
        entries=[
            _node(title=_linked(item.title, item.url), outlet=_optional(item.outlet), date=display_date(item.date))
            for item in section.items
        ]
    )


def _service_section(cv: CV, section: ServiceSection, state: _RenderState) -> SimpleNamespace:
    return _node(
        groups=[
            _node(
                title=_optional(group.title),
                entries=[
                    _node(
                        venue=render_markup(entry.venue),
                        short=_optional(entry.short),
                        years=Markup(", ").join(escape_text(year) for year in entry.years) if entry.years else None,
                    )
                    for entry in group.entries
                ],
            )
            for group in section.groups
        ]
    )


def _projects_section(cv: CV, section: ProjectsSection, state: _RenderState) -> SimpleNamespace:
    return _node(
        entries=[
            _node(
                title=render_markup(item.title),
                sponsor=_optional(item.sponsor),
                period=display_period(item.start, item.end),
            )
            for item in section.items
        ]
    )


def _raw_section(cv: CV, section: RawSection, state: _RenderState) -> SimpleNamespace:
    return _node(paragraphs=[_render_spans(block) for block in raw_paragraphs(section.markdown)])


# Each builder takes its own section class; Any lets one table hold them all.
_SECTION_BUILDERS: dict[type[SectionBase], Callable[[CV, Any, _RenderState], SimpleNamespace]] = {
    TextSection: _text_section,
    InterestsSection: _interests_section,
    NewsSection: _news_section,
    EducationSection: _education_section,
    PublicationsSection: _publications_section,
    ExperienceSection: _experience_section,
    AwardsSection: _awards_section,
    TalksSection: _talks_section,
    PressSection: _press_section,
    ServiceSection: _service_section,
    ProjectsSection: _projects_section,
    RawSection: _raw_section,
}


def _slug(text: str) -> str:
    return re.sub(r"[\W_]+", "-", text.casefold()).strip("-")


def _section(cv: CV, section: Section, index: int, state: _RenderState) -> SimpleNamespace:
    node = _SECTION_BUILDERS[type(section)](cv, section, state)
    title_text = plain_text(parse_markup(section.title)) if section.title else ""
    node.kind = section.kind
    node.title = _optional(section.title)
    node.id = state.unique_id(_slug(title_text) or f"section-{index}")
    return node


# --- the document -----------------------------------------------------------------------------------------------


def paper_size(cv: CV, options: RenderOptions) -> str:
    """The CSS page size: the command line's choice, else the CV's design."""
    paper = (options.paper or cv.design.paper).lower()
    if paper not in PAPER_SIZES:
        raise CvgenError(f"paper {paper!r} is not known; use one of {', '.join(PAPER_SIZES)}")
    return PAPER_SIZES[paper]


def html_template_dirs(cv: CV, options: RenderOptions = DEFAULT_OPTIONS) -> list[Path]:
    """The folders searched for HTML templates and the stylesheet: the user's, the theme's, then the base.

    A theme name that is not built in is an error unless a user folder brings its own style.css or cv.html.j2.
    """
    return search_path(FORMAT, cv, options, theme_files=(STYLESHEET, DOCUMENT))


def stylesheet_dir(cv: CV, options: RenderOptions = DEFAULT_OPTIONS) -> Path:
    """The folder whose style.css the document links to (the base folder of the PDF step)."""
    folders = html_template_dirs(cv, options)
    for folder in folders:
        if (folder / STYLESHEET).is_file():
            return folder
    raise CvgenError(f"no {STYLESHEET} in the HTML template folders ({', '.join(map(str, folders))})")


def _header(cv: CV) -> SimpleNamespace:
    email = cv.email.strip() if cv.email else None
    website = _escaped_url(cv.website)
    return _node(
        name=escape_text(cv.name),
        headline=_optional(cv.headline),
        email=escape(email) if email else None,
        email_url=escape("mailto:" + email) if email and safe_url("mailto:" + email) else None,
        website=escape(re.sub(r"^https?://", "", cv.website.strip()).rstrip("/")) if cv.website else None,
        website_url=website,
    )


def _metadata(cv: CV) -> SimpleNamespace:
    headline = plain_text(parse_markup(cv.headline)) if cv.headline else ""
    description = f"Curriculum vitae of {cv.name}" + (f": {headline}" if headline else "")
    return _node(
        title=escape(f"{cv.name} – Curriculum Vitae"),
        author=escape(cv.name),
        keywords=escape(", ".join(cv.keywords)) if cv.keywords else None,
        description=escape(description),
    )


def build_context(cv: CV, options: RenderOptions = DEFAULT_OPTIONS) -> dict[str, object]:
    """Everything the templates show, escaped."""
    state = _RenderState()
    return {
        "meta": _metadata(cv),
        "header": _header(cv),
        "paper": paper_size(cv, options),
        "stylesheet": STYLESHEET,
        "sections": [_section(cv, section, index, state) for index, section in enumerate(cv.sections, 1)],
    }


def render(cv: CV, options: RenderOptions = DEFAULT_OPTIONS) -> str:
    """Render the CV as a standalone HTML document."""
    environment = make_environment(html_template_dirs(cv, options), autoescape=True)
    return environment.get_template(DOCUMENT).render(build_context(cv, options))


def render_standalone(cv: CV, options: RenderOptions = DEFAULT_OPTIONS) -> str:
    """The HTML document with its stylesheet inlined, for a page opened on its own (no style.css beside it)."""
    document = render(cv, options)
    link = f'<link rel="stylesheet" href="{STYLESHEET}">'
    if link not in document:
        return document
    css_path = stylesheet_dir(cv, options) / STYLESHEET
    css = css_path.read_text(encoding="utf-8")
    if re.search(r"</style", css, re.IGNORECASE):
        raise CvgenError(f"{css_path}: a stylesheet must not contain '</style'; it would end the inlined <style>")
    return document.replace(link, f"<style>\n{css.rstrip()}\n</style>", 1)
