"""The HTML renderer: a CV as one standalone, print-styled HTML document, the source of the WeasyPrint PDF.

`HtmlWriter` writes the CV's view (cvgen.view) as HTML, everything escaped here, in Python, into
`markupsafe.Markup`; the templates under `templates/html/` get the context every format gets
(cvgen.renderers.context) and only lay the pieces out. Runs of Korean, Japanese and Chinese text are wrapped in
`<span lang="…">` so the stylesheet can name a font per language (fontconfig's generic fallback would draw Hangul
with a Japanese face).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from cvgen.blocks import (
    Block,
    CodeBlock,
    Colour,
    Heading,
    LineBreak,
    ListBlock,
    Math,
    Paragraph,
    Quote,
    RawSpan,
    Rule,
    Strike,
    Subscript,
    Superscript,
    Table,
)
from cvgen.errors import CvgenError
from cvgen.markup import Code, Emphasis, Highlight, Link, Strong, Underline, parse_markup, plain_text
from cvgen.markup import render_spans as fold_spans
from cvgen.model import CV
from cvgen.renderers import RenderOptions
from cvgen.renderers.context import build_context as shared_context
from cvgen.reuse import Memo
from cvgen.scripts import CJK, cjk_language
from cvgen.templates import make_environment, search_path
from cvgen.texmath import readable_math
from cvgen.urls import url_problem
from cvgen.view import CVView, LinkView, Period, Person, Spans, build_view

DEFAULT_OPTIONS = RenderOptions()  # frozen, so one shared default is safe
FORMAT = "html"
DOCUMENT = "cv.html.j2"
STYLESHEET = "style.css"
PAPER_SIZES = {"a4": "A4", "letter": "letter"}
RANGE_SEPARATOR = " – "
EQUAL_MARK = "*"

# --- text and inline markup -------------------------------------------------------------------------------------

# A run is CJK characters, with the spaces between them (Korean separates words with spaces).
_CJK_RUN = re.compile(f"[{CJK}]+(?:\\s+[{CJK}]+)*")


def _cjk_language(run: str, context: str) -> str:
    """The language of a CJK run: Hangul is Korean, Kana Japanese; Han alone follows the text around it."""
    language = cjk_language(run) or "zh"
    return language if language != "zh" else cjk_language(context) or "zh"


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


def _render_spans(spans: Sequence[RawSpan], *, links: bool = True) -> Markup:
    """Spans as HTML; with `links=False` (inside an anchor) links are shown as their text."""
    context = plain_text(tuple(spans))

    def text(value: str) -> str:
        return escape_text(value, context)

    def wrap(span: RawSpan, content: str) -> str:
        match span:
            case Strong():
                return f"<strong>{content}</strong>"
            case Emphasis():
                return f"<em>{content}</em>"
            case Underline():
                return f"<u>{content}</u>"
            case Highlight():
                return f'<span class="highlight">{content}</span>'
            case Code():
                return f"<code>{content}</code>"
            case Link(url):
                target = safe_url(url)
                return f'<a href="{escape(target)}">{content}</a>' if links and target is not None else content
            case LineBreak():
                return "<br>"
            case Math(source):
                return f'<span class="math">{_render_spans(readable_math(source), links=links)}</span>'
            case Superscript():
                return f"<sup>{content}</sup>"
            case Subscript():
                return f"<sub>{content}</sub>"
            case Strike():
                return f"<s>{content}</s>"
            case Colour(colour):
                return f'<span style="color: {colour}">{content}</span>'  # colour is #rrggbb (cvgen.blocks)
        raise AssertionError(f"unknown span {span!r}")

    return Markup(fold_spans(tuple(spans), text, wrap))


def render_markup(source: str) -> Markup:
    """CV inline markup as safe HTML."""
    return _render_spans(parse_markup(source))


# --- raw homepage Markdown ----------------------------------------------------------------------------------------


def render_blocks(blocks: Sequence[Block]) -> Markup:
    """Raw Markdown's blocks as HTML: paragraphs with their line breaks, headings, lists, tables, quotes, code."""
    return Markup("\n").join(_render_block(block) for block in blocks)


def _render_block(block: Block) -> Markup:
    match block:
        case Paragraph(spans):
            return Markup(f"<p>{_render_spans(spans)}</p>")
        case Heading(level, spans):
            tag = f"h{min(6, max(3, level + 1))}"  # below the section's own <h2>
            return Markup(f"<{tag}>{_render_spans(spans)}</{tag}>")
        case ListBlock(ordered, items, start):
            tag = "ol" if ordered else "ul"
            opening = f'<ol start="{start}">' if ordered and start != 1 else f"<{tag}>"
            return Markup(opening + "".join(f"<li>{_list_item(item)}</li>" for item in items) + f"</{tag}>")
        case Table(header, rows, aligns):
            return _render_table(header, rows, aligns)
        case Quote(inner):
            return Markup(f"<blockquote>{render_blocks(inner)}</blockquote>")
        case CodeBlock(text):
            return Markup(f"<pre><code>{escape(text)}</code></pre>")
        case Rule():
            return Markup("<hr>")
    raise AssertionError(f"unknown block {block!r}")


def _list_item(blocks: tuple[Block, ...]) -> Markup:
    """A list item: a lone paragraph is written as its text, so that a tight list stays tight."""
    if len(blocks) == 1 and isinstance(blocks[0], Paragraph):
        return _render_spans(blocks[0].spans)
    return render_blocks(blocks)


def _render_table(header: tuple[tuple[Spans, ...], ...], rows: tuple[tuple[Spans, ...], ...],
                  aligns: tuple[str, ...]) -> Markup:
    def row(cells: tuple[Spans, ...], tag: str) -> str:
        written = []
        for index, cell in enumerate(cells):
            align = aligns[index] if index < len(aligns) else ""
            style = f' style="text-align: {align}"' if align else ""
            written.append(f"<{tag}{style}>{_render_spans(cell)}</{tag}>")
        return f"<tr>{''.join(written)}</tr>"

    head = f"<thead>{''.join(row(cells, 'th') for cells in header)}</thead>" if header else ""
    body = "".join(row(cells, "td") for cells in rows)
    return Markup(f'<table class="raw">{head}<tbody>{body}</tbody></table>')


# --- the writer and the context -----------------------------------------------------------------------------------


class HtmlWriter:
    """The view's values as HTML, every literal character escaped (see cvgen.renderers.context); dates in the CV's
    language."""

    def __init__(self, language: str = "en") -> None:
        self.language = language

    def text(self, text: str) -> Markup:
        return escape_text(text)

    def attribute(self, text: str) -> Markup:
        return escape(text)  # no <span lang>: metadata ends up in attributes and <title>

    def spans(self, spans: Spans) -> Markup:
        return _render_spans(spans)

    def blocks(self, blocks: Sequence[Block]) -> Markup:
        return render_blocks(blocks)

    def period(self, period: Period) -> Markup:
        if not period.dates:
            return _render_spans(period.words)
        return Markup(RANGE_SEPARATOR).join(escape(date.display(self.language)) for date in period.dates)

    def person(self, person: Person) -> Markup:
        name = escape_text(person.name)
        if person.owner:
            name = Markup(f'<strong class="owner">{name}</strong>')
        if not (person.equal or person.marks):
            return name
        marks = (EQUAL_MARK if person.equal else "") + escape_text(person.marks)
        return Markup(f'{name}<sup class="equal">{marks}</sup>')

    def link(self, link: LinkView) -> Markup:
        if link.url is None:
            return _render_spans(link.label)
        return Markup(f'<a href="{escape(link.url)}">{_render_spans(link.label, links=False)}</a>')

    def labelled_link(self, link: LinkView) -> Markup:
        return Markup(f"[{self.link(link)}]")


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


def build_context(cv: CV, options: RenderOptions = DEFAULT_OPTIONS, view: CVView | None = None,
                  reuse: Memo[dict[str, Any]] | None = None) -> dict[str, object]:
    """Everything the templates show, escaped (`reuse`: the last build's entries, see `cvgen.reuse`)."""
    view = view or build_view(cv)
    return {**shared_context(view, HtmlWriter(view.language), reuse), "paper": paper_size(cv, options),
            "stylesheet": STYLESHEET}


def render(cv: CV, options: RenderOptions = DEFAULT_OPTIONS, *, view: CVView | None = None,
           reuse: Memo[dict[str, Any]] | None = None) -> str:
    """Render the CV as an HTML document that links its stylesheet (what WeasyPrint typesets)."""
    environment = make_environment(html_template_dirs(cv, options), autoescape=True)
    return environment.get_template(DOCUMENT).render(build_context(cv, options, view, reuse))


def render_standalone(cv: CV, options: RenderOptions = DEFAULT_OPTIONS, *, view: CVView | None = None) -> str:
    """The HTML document with its stylesheet inlined, for a page opened on its own (no style.css beside it)."""
    return inline_stylesheet(render(cv, options, view=view), cv, options)


def inline_stylesheet(document: str, cv: CV, options: RenderOptions = DEFAULT_OPTIONS) -> str:
    """A document made by `render` with its linked stylesheet written into it."""
    link = f'<link rel="stylesheet" href="{STYLESHEET}">'
    if link not in document:
        return document
    css_path = stylesheet_dir(cv, options) / STYLESHEET
    css = css_path.read_text(encoding="utf-8")
    if re.search(r"</style", css, re.IGNORECASE):
        raise CvgenError(f"{css_path}: a stylesheet must not contain '</style'; it would end the inlined <style>")
    return document.replace(link, f"<style>\n{css.rstrip()}\n</style>", 1)


def render_format(cv: CV, options: RenderOptions, view: CVView | None) -> str:
    """The registry's entry (cvgen.renderers.render): the standalone web page `cvgen html` writes."""
    return render_standalone(cv, options, view=view)
