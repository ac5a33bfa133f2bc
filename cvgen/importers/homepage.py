"""Homepage (academicpages about.md) → CV model.

The page is parsed with markdown-it-py (CommonMark + tables + inline HTML); sections are found by their
headings through an alias table, and entries are read from the inline tokens of each list item, split at
kramdown's ` \\` line breaks. The page's own markup (link CSS, owner markup, venue and award wrappers,
date style) is captured as homepage settings. Each typed section is checked by writing it back: if the
Markdown cvgen would write differs from the page, the section is kept verbatim as a `raw` section with a
warning, so nothing on the page is ever lost.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

from cvgen.dates import infer_style, parse_date
from cvgen.errors import InputFileError, Problem
from cvgen.loader import yaml_problem
from cvgen.markup import Code, Emphasis, Highlight, Link, Span, Strong, Text, Underline, to_markup
from cvgen.model import (
    CV,
    Article,
    Award,
    AwardsSection,
    Degree,
    EducationSection,
    ExperienceSection,
    Homepage,
    InterestsSection,
    NewsItem,
    NewsSection,
    Position,
    PressSection,
    Project,
    ProjectsSection,
    Publication,
    PublicationsSection,
    RawSection,
    SectionPage,
    ServiceEntry,
    ServiceGroup,
    ServiceSection,
    Talk,
    TalksSection,
    TalkVenue,
    TextSection,
)
from cvgen.textfile import read_text_file

# Section headings by kind, compared after folding case, emoji, punctuation and spaces away.
SECTION_ALIASES: dict[str, tuple[str, ...]] = {
    "news": ("news", "recent news", "updates", "latest news", "announcements", "소식", "뉴스"),
    "education": ("education", "educations", "academic background", "학력"),
    "publications": (
        "publications", "publication", "conference publications", "journal publications", "selected publications",
        "papers", "preprints", "conference papers", "journal papers", "research papers", "연구 실적", "논문",
    ),
    "experience": (
        "experience", "experiences", "work experience", "work experiences", "research experience",
        "internships", "internship", "employment", "professional experience", "경력",
    ),
    "awards": ("awards", "awards honors", "honors awards", "honors", "awards and honors", "honors and awards",
               "scholarships", "fellowships", "수상", "수상경력", "수상 경력"),
    "talks": ("talks", "invited talks", "presentations", "talks and presentations", "발표"),
    "press": ("news articles", "press", "media", "media coverage", "in the news", "press coverage", "언론 보도"),
    "service": ("academic services", "academic service", "service", "services", "professional service",
                "reviewing", "reviewer", "학술 활동"),
    "projects": ("projects", "research projects", "funded projects", "프로젝트"),
}


def _fold_heading(text: str) -> str:
    kept = []
    for character in unicodedata.normalize("NFKC", text).casefold():
        category = unicodedata.category(character)
        if category.startswith(("L", "N")):
            kept.append(character)
        elif category.startswith("Z") or character in "&/-_,:;.":
            kept.append(" ")
    words = "".join(kept).split()
    return " ".join(word for word in words if word != "and")


_ALIAS_INDEX = {_fold_heading(alias): kind for kind, aliases in SECTION_ALIASES.items() for alias in aliases}


def section_kind(heading: str) -> str | None:
    """The section kind a heading names, or None."""
    return _ALIAS_INDEX.get(_fold_heading(heading))


class Unsupported(Exception):
    """This part of the page does not fit cvgen's typed fields; it is kept verbatim instead."""


@dataclass(frozen=True)
class Html:
    """Inline HTML around content that is not part of cvgen's markup (a coloured span, a font tag)."""

    open: str
    close: str
    children: tuple[Any, ...]


Line = list[Any]  # spans and Html, one line of an entry


@dataclass
class StyleCollector:
    """The page's markup style, as seen while reading it (first seen wins)."""

    values: dict[str, Any] = field(default_factory=dict)
    link_styles: Counter[str] = field(default_factory=Counter)

    def see(self, key: str, value: Any) -> None:
        self.values.setdefault(key, value)


@dataclass(frozen=True)
class Item:
    """A list item: its inline content, nested items, and its line on the page."""

    inline: Token | None
    children: tuple[Item, ...]
    line: int
    loose: bool


@dataclass
class Chunk:
    """A part of the page: the opening text or one section with its heading."""

    heading: Token | None
    heading_source: str
    tokens: list[Token]
    source: str
    line: int


@dataclass
class ImportResult:
    """The imported CV and the warnings about what was kept raw."""

    cv: CV
    warnings: list[Problem]


def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    parser.disable("text_join")  # keep escapes apart, to tell kramdown's ` \\` line break from text
    parser.normalizeLink = lambda url: url  # type: ignore[method-assign]
    return parser


def import_homepage(path: Path) -> ImportResult:
    """Import a homepage Markdown file."""
    return import_homepage_text(read_text_file(path, "homepage"), str(path))


def import_homepage_text(text: str, source: str) -> ImportResult:
    """Import homepage Markdown text; `source` names it in messages."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    front_matter, body, offset = _split_front_matter(text, source)
    styles = StyleCollector()
    warnings: list[Problem] = []
    chunks = _chunks(body, offset)
    owner = _find_owner(chunks)
    parsed: list[tuple[Chunk, Any]] = []
    for chunk in chunks:
        for section in _parse_chunk(chunk, styles, owner, warnings):
            parsed.append((chunk, section))
    homepage = _homepage(front_matter, styles)
    sections = _check_sections(parsed, homepage, owner, warnings)
    cv = CV(name=owner or "", homepage=homepage, sections=sections)
    return ImportResult(cv, warnings)


def _split_front_matter(text: str, source: str) -> tuple[dict[str, Any], str, int]:
    if not text.startswith("---\n"):
        return {}, text, 0
    match = re.search(r"^(---|\.\.\.)[ \t]*$", text[4:], re.MULTILINE)
    if not match:
        raise InputFileError(source, [Problem("the front matter opened by --- on line 1 is never closed", 1)])
    yaml_text = text[4 : 4 + match.start()]
    try:
        data = yaml.safe_load(yaml_text)
    except yaml.YAMLError as error:
        raise InputFileError(source, [yaml_problem(error, "front matter is not valid YAML", 2)]) from None
    if data is not None and not isinstance(data, dict):
        raise InputFileError(source, [Problem("front matter must be a YAML mapping", 2)])
    body_start = 4 + match.end() + 1
    return data or {}, text[body_start:], text[:body_start].count("\n")


def _chunks(body: str, offset: int) -> list[Chunk]:
    tokens = _parser().parse(body)
    lines = body.split("\n")
    starts: list[int] = [0]
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag == "h2" and token.level == 0:
            starts.append(index)
    starts.append(len(tokens))
    chunks = []
    for number, (begin, end) in enumerate(zip(starts, starts[1:])):
        part = tokens[begin:end]
        if number == 0 and begin == end:
            continue
        heading = part[1] if part and part[0].type == "heading_open" and number > 0 else None
        first_line = part[0].map[0] if part and part[0].map else 0
        next_line = tokens[end].map[0] if end < len(tokens) and tokens[end].map else len(lines)
        if number == 0:
            first_line = 0
        source = "\n".join(lines[first_line:next_line]).strip("\n")
        heading_source = ""
        if heading is not None:
            heading_map = part[0].map or [first_line, first_line + 1]
            heading_source = "\n".join(lines[heading_map[0] : heading_map[1]])
            body_tokens = part[3:]
        else:
            body_tokens = part
        chunks.append(Chunk(heading, heading_source, body_tokens, source, offset + first_line + 1))
    return [chunk for chunk in chunks if chunk.source.strip() or chunk.heading is not None]


def _find_owner(chunks: list[Chunk]) -> str | None:
    """The owner's name: the most common underlined or bold name in author lines."""
    names: Counter[str] = Counter()
    for chunk in chunks:
        for token in chunk.tokens:
            if token.type != "inline":
                continue
            for match in re.finditer(r"<u>([^<]+?)\*?</u>", token.content, re.IGNORECASE):
                names[match.group(1).strip().rstrip("*").strip()] += 1
    return names.most_common(1)[0][0] if names else None


# --- inline content ----------------------------------------------------------------------------------------

_TAG = re.compile(r"<\s*(/?)\s*([A-Za-z][A-Za-z0-9]*)([^>]*?)(/?)\s*>", re.DOTALL)
_ATTRIBUTE = re.compile(r"""([A-Za-z_:][-A-Za-z0-9_:.]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")


def _attributes(text: str) -> dict[str, str]:
    return {match.group(1).lower(): next(g for g in match.groups()[1:] if g is not None)
            for match in _ATTRIBUTE.finditer(text)}


def normalize_css(style: str) -> str:
    """CSS declarations with their spacing and order normalised, as the round-trip law allows."""
    declarations = []
    for declaration in style.split(";"):
        if ":" in declaration:
            name, value = declaration.split(":", 1)
            declarations.append(f"{name.strip().lower()}: {' '.join(value.split())}")
    return "; ".join(sorted(declarations)) + (";" if declarations else "")


def inline_lines(token: Token | None, styles: StyleCollector) -> tuple[list[Line], str | None]:
    """An inline token's content as lines of spans, split at line breaks; also the line-break style."""
    if token is None:
        return [[]], None
    children = token.children or []
    lines: list[Line] = [[]]
    stack: list[tuple[str, Any, Line]] = []
    current: Line = lines[0]
    break_style: str | None = None
    skip_softbreak = False
    for index, child in enumerate(children):
        kind = child.type
        if kind == "softbreak" and skip_softbreak:
            skip_softbreak = False
            continue
        skip_softbreak = False
        if kind == "text_special" and child.info == "escape" and child.content == "\\":
            following = children[index + 1].type if index + 1 < len(children) else None
            if following in ("softbreak", None) and current and isinstance(current[-1], Text) \
                    and current[-1].text.endswith(" "):
                if stack:
                    raise Unsupported("a line break inside formatting")
                current[-1] = Text(current[-1].text[:-1])
                break_style = break_style or " \\\\"
                current = []
                lines.append(current)
                skip_softbreak = True
                continue
        if kind in ("text", "text_special"):
            current.append(Text(child.content))
        elif kind == "softbreak":
            current.append(Text("\n"))
        elif kind == "hardbreak":
            raise Unsupported("a two-space or backslash line break")
        elif kind == "code_inline":
            current.append(Code(child.content))
        elif kind in ("strong_open", "em_open"):
            stack.append((kind, None, current))
            current = []
        elif kind == "link_open":
            styles.see("markdown_links", True)
            stack.append((kind, str(child.attrs.get("href", "")), current))
            current = []
        elif kind in ("strong_close", "em_close", "link_close"):
            opened, data, parent = stack.pop()
            inner = tuple(_merged(current))
            parent.append(Strong(inner) if opened == "strong_open" else Emphasis(inner) if opened == "em_open"
                          else Link(data, inner))
            current = parent
        elif kind == "html_inline":
            match = _TAG.fullmatch(child.content.strip())
            if not match:
                raise Unsupported(f"inline HTML {child.content!r}")
            closing, name, attributes, _ = match.groups()
            name = name.lower()
            if closing:
                if not stack or stack[-1][0] != "html":
                    raise Unsupported(f"an unmatched {child.content}")
                _, (open_tag, open_name), parent = stack.pop()
                if open_name != name:
                    raise Unsupported(f"mismatched HTML tags {open_tag} … {child.content}")
                parent.append(_html_span(open_tag, child.content, open_name, tuple(_merged(current)), styles))
                current = parent
            elif name == "br":
                raise Unsupported("a <br> line break")
            else:
                stack.append(("html", (child.content, name), current))
                current = []
        else:
            raise Unsupported(f"{kind.replace('_', ' ')}")
    if stack:
        raise Unsupported("unclosed formatting or HTML")
    return [_merged(line) for line in lines], break_style


def _html_span(open_tag: str, close_tag: str, name: str, children: tuple[Any, ...],
               styles: StyleCollector) -> Any:
    attributes = _attributes(open_tag)
    if name == "a" and set(attributes) <= {"href", "style"} and "href" in attributes:
        styles.link_styles[attributes.get("style", "")] += 1
        return Link(attributes["href"], children)
    if name == "u" and not attributes and close_tag.lower() == "</u>" and open_tag == "<u>":
        return Underline(children)
    return Html(open_tag, close_tag, children)


def _merged(line: Line) -> Line:
    merged: Line = []
    for span in line:
        if isinstance(span, Text) and merged and isinstance(merged[-1], Text):
            merged[-1] = Text(merged[-1].text + span.text)
        elif not (isinstance(span, Text) and not span.text):
            merged.append(span)
    return merged


def markup_of(line: Line, styles: StyleCollector, *, highlight: bool = False) -> str:
    """Spans of a line as cvgen markup; coloured spans become ==highlights== where allowed."""
    converted: list[Span] = []
    for span in line:
        converted.append(_as_span(span, styles, highlight))
    return to_markup(converted)


def _as_span(span: Any, styles: StyleCollector, highlight: bool) -> Span:
    if isinstance(span, Html):
        if highlight and span.open.lower().startswith("<span"):
            styles.see("highlight", f"{span.open}{{text}}{span.close}")
            return Highlight(tuple(_as_span(child, styles, highlight) for child in span.children))
        raise Unsupported(f"inline HTML {span.open}")
    if isinstance(span, (Text, Code)):
        return span
    children = tuple(_as_span(child, styles, highlight) for child in span.children)
    if isinstance(span, Link):
        return Link(span.url, children)
    return type(span)(children)


def plain(line: Line) -> str:
    """The text of a line, ignoring formatting."""
    parts = []
    for span in line:
        if isinstance(span, (Text, Code)):
            parts.append(span.text)
        else:
            parts.append(plain(list(span.children)))
    return "".join(parts)


def split_line(line: Line, separator: str) -> list[Line]:
    """Split a line at a separator that occurs in its top-level text."""
    parts: list[Line] = [[]]
    for span in line:
        if isinstance(span, Text) and separator in span.text:
            pieces = span.text.split(separator)
            for number, piece in enumerate(pieces):
                if number:
                    parts.append([])
                if piece:
                    parts[-1].append(Text(piece))
        else:
            parts[-1].append(span)
    return parts


def strip_line(line: Line) -> Line:
    """A line without white space at its ends."""
    items = list(line)
    if items and isinstance(items[0], Text):
        items[0] = Text(items[0].text.lstrip())
    if items and isinstance(items[-1], Text):
        items[-1] = Text(items[-1].text.rstrip())
    return [span for span in items if not (isinstance(span, Text) and not span.text)]


def text_at_end(line: Line, pattern: str) -> tuple[Line, re.Match[str] | None]:
    """Match a pattern at the end of a line's last text span; return the line before it and the match."""
    if not line or not isinstance(line[-1], Text):
        return line, None
    match = re.search(pattern + r"$", line[-1].text)
    if not match:
        return line, None
    rest = line[-1].text[: match.start()]
    return [*line[:-1], *([Text(rest)] if rest else [])], match


# --- block structure ---------------------------------------------------------------------------------------


def list_items(tokens: list[Token], start: int = 0) -> tuple[list[Item], int]:
    """The items of the bullet list opening at tokens[start], and the index after it."""
    if start >= len(tokens) or tokens[start].type != "bullet_list_open":
        raise Unsupported("expected a bullet list")
    level = tokens[start].level
    items: list[Item] = []
    index = start + 1
    while index < len(tokens) and not (tokens[index].type == "bullet_list_close" and tokens[index].level == level):
        token = tokens[index]
        if token.type != "list_item_open":
            raise Unsupported(f"unexpected {token.type} in a list")
        line = (token.map or [0])[0]
        index += 1
        inline: Token | None = None
        loose = False
        children: list[Item] = []
        while tokens[index].type != "list_item_close":
            inner = tokens[index]
            if inner.type == "paragraph_open" and inline is None:
                loose = not inner.hidden
                inline = tokens[index + 1]
                index += 3
            elif inner.type == "bullet_list_open" and not children:
                children, index = list_items(tokens, index)
            else:
                raise Unsupported(f"{inner.type.replace('_open', '').replace('_', ' ')} inside a list item")
        items.append(Item(inline, tuple(children), line, loose))
        index += 1
    return items, index + 1


def single_list(chunk: Chunk) -> tuple[list[Item], bool]:
    """The items of a section that is one bullet list, and whether the list is loose."""
    items, end = list_items(chunk.tokens, 0)
    if end != len(chunk.tokens):
        raise Unsupported("more than one list")
    return items, any(item.loose for item in items)


def item_lines(item: Item, styles: StyleCollector) -> list[Line]:
    lines, break_style = inline_lines(item.inline, styles)
    if break_style:
        styles.see("line_break", break_style)
    return [strip_line(line) for line in lines]


# --- sections ----------------------------------------------------------------------------------------------


def _parse_chunk(chunk: Chunk, styles: StyleCollector, owner: str | None, warnings: list[Problem]) -> list[Any]:
    title = None
    if chunk.heading is not None:
        try:
            title = markup_of(inline_lines(chunk.heading, styles)[0][0], styles)
        except Unsupported:
            title = None
    if chunk.heading is None:
        try:
            return _opening(chunk, styles)
        except Unsupported as reason:
            warnings.append(Problem(f"the opening text is kept as raw Markdown ({reason})", chunk.line))
            return [RawSection(kind="raw", markdown=chunk.source)]
    kind = section_kind(chunk.heading.content)
    parser = SECTION_PARSERS.get(kind or "")
    if parser is None:
        warnings.append(Problem(f"section {chunk.heading.content!r} is not a CV section cvgen knows; kept as raw "
                                "Markdown", chunk.line))
        return [_raw(chunk, title)]
    try:
        section = parser(chunk, styles, owner)
    except Unsupported as reason:
        warnings.append(Problem(f"section {chunk.heading.content!r} is kept as raw Markdown ({reason})", chunk.line))
        return [_raw(chunk, title)]
    section.title = title
    return [section]


def _raw(chunk: Chunk, title: str | None) -> RawSection:
    body = chunk.source.split("\n", chunk.heading_source.count("\n") + 1)[-1] if chunk.heading else chunk.source
    if title is not None and chunk.heading_source.strip() == f"## {chunk.heading.content if chunk.heading else ''}":
        return RawSection(kind="raw", title=title, markdown=body.strip("\n") + "\n")
    return RawSection(kind="raw", markdown=chunk.source.strip("\n") + "\n")


def _opening(chunk: Chunk, styles: StyleCollector) -> list[Any]:
    """The text before the first heading: paragraphs, and a lead-in line with a list (research interests)."""
    sections: list[Any] = []
    paragraphs: list[str] = []
    tokens = chunk.tokens
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type == "paragraph_open":
            lines, _ = inline_lines(tokens[index + 1], styles)
            if len(lines) != 1:
                raise Unsupported("a line break in the opening text")
            text = markup_of(strip_line(lines[0]), styles)
            index += 3
            if index < len(tokens) and tokens[index].type == "bullet_list_open":
                items, index = list_items(tokens, index)
                if paragraphs:
                    sections.append(TextSection(kind="text", paragraphs=paragraphs))
                    paragraphs = []
                sections.append(InterestsSection(kind="interests", intro=text, items=[
                    markup_of(_single_line(item, styles), styles) for item in items]))
            else:
                paragraphs.append(text)
        else:
            raise Unsupported(f"{token.type.replace('_open', '').replace('_', ' ')} in the opening text")
    if paragraphs:
        sections.append(TextSection(kind="text", paragraphs=paragraphs))
    return sections


def _single_line(item: Item, styles: StyleCollector) -> Line:
    lines = item_lines(item, styles)
    if len(lines) != 1 or item.children:
        raise Unsupported("an entry with several lines")
    return lines[0]


_NEWS_DATE = re.compile(
    r"^\s*((?:[A-Z][a-z]{2,8}\.?\s+(?:\d{1,2},\s+)?\d{4})|(?:\d{4}[-./]\d{1,2}(?:[-./]\d{1,2})?)|\d{4})"
    r"([^\w\s]*\s+|\s*[-–—:|]\s*)"
)


def _news(chunk: Chunk, styles: StyleCollector, owner: str | None) -> NewsSection:
    tokens = chunk.tokens
    if len(tokens) != 3 or tokens[0].type != "paragraph_open":
        raise Unsupported("news is not one paragraph of dated lines")
    lines, break_style = inline_lines(tokens[1], styles)
    if break_style:
        styles.see("line_break", break_style)
    items = []
    separators: set[str] = set()
    for line in lines:
        line = strip_line(line)
        if not line or not isinstance(line[0], Text):
            raise Unsupported("a news line that does not start with a date")
        match = _NEWS_DATE.match(line[0].text)
        if not match:
            raise Unsupported(f"a news line that does not start with a date: {plain(line)[:40]!r}")
        separators.add(match.group(2))
        rest = [Text(line[0].text[match.end():]), *line[1:]]
        items.append(NewsItem(date=match.group(1), text=markup_of(_merged(rest), styles, highlight=True)))
    if len(separators) != 1:
        raise Unsupported("news lines separate their dates in different ways")
    return NewsSection(kind="news", items=items, homepage=_section_page(
        [item.date for item in items], separator=separators.pop()))


def _section_page(dates: list[str], **settings: Any) -> SectionPage:
    style = next((found for found in (infer_style(date) for date in dates) if found), None)
    return SectionPage(date_style=style, **settings)


_PERIOD = re.compile(r"^(.+?)(\s*[-–—]\s*|\s+to\s+)(.+)$")


def _period(text: str) -> tuple[str | None, str | None, str] | None:
    """Split 'Mar. 2018 - Present' into start, end and the separator, when both are dates."""
    text = text.strip()
    match = _PERIOD.match(text)
    candidates = [(match.group(1), match.group(3), match.group(2))] if match else []
    for start, end, separator in candidates:
        try:
            parse_date(start)
            parse_date(end)
        except ValueError:
            continue
        return start, end, separator
    try:
        parse_date(text)
    except ValueError:
        return None
    return text, None, " - "


def _education(chunk: Chunk, styles: StyleCollector, owner: str | None) -> EducationSection:
    items, loose = single_list(chunk)
    degrees = []
    wrappers: set[str] = set()
    separators: set[str] = set()
    for item in items:
        line = _single_line(item, styles)
        if not line or not isinstance(line[0], Strong):
            raise Unsupported("a degree that does not start in bold")
        degree = markup_of(line[:1], styles)
        parts = split_line(line[1:], ", ")
        head = plain(parts[0]).strip() if parts and parts[0] else ""
        field_markup = None
        if parts and parts[0]:
            if not head.startswith("in "):
                raise Unsupported("a degree without 'in <field>'")
            field_markup = markup_of(strip_line([Text(plain(parts[0]).strip()[3:])]), styles)
        parts = parts[1:]
        if len(parts) < 2:
            raise Unsupported("a degree without institution and dates")
        institution = markup_of(strip_line(parts[0]), styles)
        date_part = strip_line(parts[-1])
        location = markup_of(strip_line(_join(parts[1:-1])), styles) if len(parts) > 2 else None
        wrapper = "{text}"
        if len(date_part) == 1 and isinstance(date_part[0], Html):
            wrapper = f"{date_part[0].open}{{text}}{date_part[0].close}"
            date_part = list(date_part[0].children)
        period = _period(plain(date_part)) if all(isinstance(span, Text) for span in date_part) else None
        if period is None:
            raise Unsupported("a degree whose dates cvgen cannot read")
        start, end, separator = period
        wrappers.add(wrapper)
        separators.add(separator)
        degrees.append(Degree(degree=degree, field=field_markup, institution=institution, location=location,
                              start=start, end=end))
    if len(wrappers) > 1 or len(separators) > 1:
        raise Unsupported("degrees written in different styles")
    dates = [date for degree in degrees for date in (degree.start, degree.end) if date]
    return EducationSection(kind="education", items=degrees, homepage=_section_page(
        dates, loose=loose, date_wrapper=wrappers.pop() if wrappers else "{text}",
        range_separator=separators.pop() if separators else " - "))


def _join(parts: list[Line]) -> Line:
    joined: Line = []
    for number, part in enumerate(parts):
        if number:
            joined.append(Text(", "))
        joined.extend(part)
    return _merged(joined)


def _publications(chunk: Chunk, styles: StyleCollector, owner: str | None) -> PublicationsSection:
    items, loose = single_list(chunk)
    papers = []
    for item in items:
        if item.children:
            raise Unsupported("a publication with a nested list")
        lines = item_lines(item, styles)
        if not lines[0] or len(lines[0]) != 1 or not isinstance(lines[0][0], Strong):
            raise Unsupported("a publication whose first line is not its bold title")
        title = markup_of(list(lines[0][0].children), styles)
        rest = lines[1:]
        links: list[dict[str, str]] = []
        if rest and rest[0] and all(isinstance(span, Link) or (isinstance(span, Text) and not span.text.strip())
                                    for span in rest[0]):
            for span in rest[0]:
                if isinstance(span, Link):
                    label = plain(list(span.children))
                    if not (label.startswith("[") and label.endswith("]")):
                        raise Unsupported("a link whose label is not in [brackets]")
                    links.append({"label": markup_of([Text(label[1:-1])], styles), "url": span.url})
            rest = rest[1:]
        if not rest or len(rest) > 2:
            raise Unsupported("a publication without an author line, or with extra lines")
        authors = _authors(rest[0], styles, chunk)
        venue_fields = _venue(rest[1], styles) if len(rest) == 2 else {}
        papers.append(Publication(title=title, authors=authors, links=links, **venue_fields))  # type: ignore[arg-type]
    years = [paper.year for paper in papers if paper.year]
    return PublicationsSection(kind="publications", items=papers, homepage=_section_page(years, loose=loose))


def _authors(line: Line, styles: StyleCollector, chunk: Chunk) -> list[str]:
    line, legend = text_at_end(line, r"\s*\(\*\s*:\s*equal contribution\)")
    if legend:
        escaped = "\\*" if "(\\*" in chunk.source else "*"
        styles.see("equal_legend", f"({escaped}: equal contribution)")
    authors: list[str] = []
    for part in split_line(line, ","):
        part = strip_line(part)
        if not part:
            raise Unsupported("an empty author")
        owner = False
        equal = False
        if len(part) >= 1 and isinstance(part[0], Underline):
            owner = True
            inside = plain(list(part[0].children))
            styles.see("owner", "<u>{text}</u>")
            if inside.endswith("*"):
                styles.see("owner_mark_inside", True)
                equal = True
                inside = inside[:-1]
            after = plain(part[1:])
            if after == "*":
                equal = True
                styles.see("owner_mark_inside", False)
            elif after:
                raise Unsupported("text after the owner's name")
            name = inside
        elif len(part) == 1 and isinstance(part[0], Text):
            name = part[0].text
            if name.endswith("*"):
                equal = True
                name = name[:-1]
        else:
            raise Unsupported(f"an author written with formatting: {plain(part)!r}")
        if equal and not owner:
            styles.see("equal_mark", "\\*" if "\\*" in chunk.source else "*")
        name = name.strip().replace("*", "\\*")
        authors.append(name + ("*" if equal else ""))
    return authors


def _venue(line: Line, styles: StyleCollector) -> dict[str, str]:
    fields: dict[str, str] = {}
    line, note = text_at_end(line, r"\s*\(([^()]*(?:\([^()]*\)[^()]*)*)\)")
    if note:
        fields["note"] = to_markup([Text(note.group(1))])
    line = strip_line(line)
    if line and isinstance(line[-1], Html) or (line and isinstance(line[-1], Emphasis)):
        award_span = line[-1]
        wrapper, inner = _wrapper_of(award_span)
        styles.see("award", wrapper)
        fields["award"] = markup_of(inner, styles)
        line, comma = text_at_end(line[:-1], r",\s*")
        if not comma:
            raise Unsupported("an award not separated by a comma")
    line = strip_line(line)
    line, year = text_at_end(line, r"\s*(\d{4})")
    if year:
        fields["year"] = year.group(1)
    line = strip_line(line)
    if line:
        if len(line) != 1 or isinstance(line[0], Text):
            raise Unsupported("a venue cvgen cannot read")
        wrapper, inner = _wrapper_of(line[0])
        styles.see("venue", wrapper)
        fields["venue"] = markup_of(inner, styles)
    return fields


def _wrapper_of(span: Any) -> tuple[str, Line]:
    """Peel a venue or award's page markup: '<span style=…>**{text}**</span>' and the text inside."""
    prefix, suffix = "", ""
    while True:
        if isinstance(span, Html) and len(span.children) == 1:
            prefix, suffix = prefix + span.open, span.close + suffix
            span = span.children[0]
        elif isinstance(span, Strong) and len(span.children) >= 1:
            return f"{prefix}**{{text}}**{suffix}", list(span.children)
        elif isinstance(span, Emphasis) and len(span.children) >= 1:
            return f"{prefix}_{{text}}_{suffix}", list(span.children)
        elif isinstance(span, Html):
            return f"{prefix}{span.open}{{text}}{span.close}{suffix}", list(span.children)
        else:
            raise Unsupported("a venue or award cvgen cannot read")


def _experience(chunk: Chunk, styles: StyleCollector, owner: str | None) -> ExperienceSection:
    items, loose = single_list(chunk)
    positions = []
    separators: set[str] = set()
    for item in items:
        line = _single_line(item, styles)
        line, period_match = text_at_end(line, r"\s*\(([^()]+)\)")
        parts = split_line(line, ", ")
        if len(parts) < 2:
            raise Unsupported("a position without role and organization")
        role = markup_of(strip_line(parts[0]), styles)
        organization = markup_of(strip_line(parts[1]), styles)
        location = markup_of(strip_line(_join(parts[2:])), styles) if len(parts) > 2 else None
        start = end = when = None
        if period_match:
            period = _period(period_match.group(1))
            if period and period[1]:
                start, end, separator = period
                separators.add(separator)
            else:
                when = to_markup([Text(period_match.group(1))])
        positions.append(Position(role=role, organization=organization, location=location, start=start, end=end,
                                  when=when))
    if len(separators) > 1:
        raise Unsupported("periods written in different styles")
    dates = [date for position in positions for date in (position.start, position.end) if date]
    return ExperienceSection(kind="experience", items=positions, homepage=_section_page(
        dates, loose=loose, range_separator=separators.pop() if separators else " - "))


def _awards(chunk: Chunk, styles: StyleCollector, owner: str | None) -> AwardsSection:
    items, loose = single_list(chunk)
    awards = []
    for item in items:
        line = _single_line(item, styles)
        url = None
        if len(line) == 1 and isinstance(line[0], Link):
            url = line[0].url
            line = list(line[0].children)
        line, details = text_at_end(line, r"\s*\(([^()]+)\)")
        detail = date = None
        if details:
            parts = details.group(1).rsplit("; ", 1)
            try:
                parse_date(parts[-1])
                date = parts[-1]
                detail = parts[0] if len(parts) == 2 else None
            except ValueError:
                detail = details.group(1)
        awards.append(Award(title=markup_of(strip_line(line), styles),
                            detail=to_markup([Text(detail)]) if detail else None, date=date, url=url))
    return AwardsSection(kind="awards", items=awards, homepage=_section_page(
        [award.date for award in awards if award.date], loose=loose))


def _talks(chunk: Chunk, styles: StyleCollector, owner: str | None) -> TalksSection:
    items, loose = single_list(chunk)
    talks = []
    quoted: set[bool] = set()
    prefixes: set[str] = set()
    for item in items:
        lines = item_lines(item, styles)
        if len(lines) > 2 or (len(lines) == 2 and lines[1]) or len(lines[0]) != 1 \
                or not isinstance(lines[0][0], Strong):
            raise Unsupported("a talk whose first line is not its bold title")
        title_line = list(lines[0][0].children)
        title_text = plain(title_line)
        is_quoted = title_text.startswith('"') and title_text.endswith('"') and len(title_text) > 1
        quoted.add(is_quoted)
        if is_quoted:
            title_line = strip_quotes(title_line)
        venues = []
        for child in item.children:
            line = _single_line(child, styles)
            if line and isinstance(line[0], Text) and (prefix := re.match(r"^(@\s*|at\s+)", line[0].text)):
                prefixes.add(prefix.group(1))
                line = [Text(line[0].text[prefix.end():]), *line[1:]]
            else:
                prefixes.add("")
            line, date_match = text_at_end(_merged(line), r",\s*([^,]+)")
            date = None
            if date_match:
                try:
                    parse_date(date_match.group(1))
                    date = date_match.group(1)
                except ValueError:
                    line = [*line, Text(date_match.group(0))]
            venues.append(TalkVenue(venue=markup_of(_merged(line), styles), date=date))
        talks.append(Talk(title=markup_of(title_line, styles), venues=venues))
    if len(quoted) > 1 or len(prefixes) > 1:
        raise Unsupported("talks written in different styles")
    dates = [venue.date for talk in talks for venue in talk.venues if venue.date]
    return TalksSection(kind="talks", items=talks, homepage=_section_page(
        dates, loose=loose, quoted_titles=quoted.pop() if quoted else False,
        prefix=prefixes.pop() if prefixes else ""))


def strip_quotes(line: Line) -> Line:
    first, last = line[0], line[-1]
    if not (isinstance(first, Text) and isinstance(last, Text)):
        raise Unsupported("a quoted title with formatting at its ends")
    if first is last:
        return [Text(first.text[1:-1])]
    return [Text(first.text[1:]), *line[1:-1], Text(last.text[:-1])]


def _press(chunk: Chunk, styles: StyleCollector, owner: str | None) -> PressSection:
    items, loose = single_list(chunk)
    articles = []
    for item in items:
        line = _single_line(item, styles)
        url = None
        title_line: Line
        if line and isinstance(line[0], Link):
            url = line[0].url
            title_line = list(line[0].children)
            rest = line[1:]
        else:
            parts = split_line(line, ", ")
            title_line, rest = parts[0], _join(parts[1:])
            rest = [Text(", "), *rest] if parts[1:] else []
        rest, date_match = text_at_end(rest, r",\s*([^,]+)")
        date = None
        if date_match:
            try:
                parse_date(date_match.group(1))
                date = date_match.group(1)
            except ValueError:
                rest = [*rest, Text(date_match.group(0))]
        outlet = None
        rest = _merged(rest)
        if rest:
            if not isinstance(rest[0], Text) or not rest[0].text.startswith(", "):
                raise Unsupported("an article whose outlet cvgen cannot read")
            outlet = markup_of(strip_line([Text(rest[0].text[2:]), *rest[1:]]), styles)
        articles.append(Article(title=markup_of(title_line, styles), url=url, outlet=outlet, date=date))
    return PressSection(kind="press", items=articles, homepage=_section_page(
        [article.date for article in articles if article.date], loose=loose))


def _service(chunk: Chunk, styles: StyleCollector, owner: str | None) -> ServiceSection:
    tokens = chunk.tokens
    groups = []
    index = 0
    while index < len(tokens):
        title = None
        if tokens[index].type == "paragraph_open":
            lines, _ = inline_lines(tokens[index + 1], styles)
            if len(lines) != 1 or len(lines[0]) != 1 or not isinstance(lines[0][0], Strong):
                raise Unsupported("a service group whose title is not one bold line")
            title = markup_of(list(lines[0][0].children), styles)
            index += 3
        items, index = list_items(tokens, index)
        entries = []
        for item in items:
            line = _single_line(item, styles)
            entries.append(_service_entry(line, styles))
        groups.append(ServiceGroup(title=title, entries=entries))
    return ServiceSection(kind="service", groups=groups)


def _service_entry(line: Line, styles: StyleCollector) -> ServiceEntry:
    for index, span in enumerate(line):
        if isinstance(span, Strong) and index > 0:
            before, after = line[index - 1], line[index + 1] if index + 1 < len(line) else None
            if isinstance(before, Text) and before.text.endswith(" (") and isinstance(after, Text) \
                    and after.text.startswith(")"):
                venue = markup_of(strip_line([*line[: index - 1], Text(before.text[:-2])]), styles)
                short = markup_of(list(span.children), styles)
                years_text = after.text[1:] + plain(line[index + 2:])
                if line[index + 2:]:
                    raise Unsupported("formatting after a service entry's years")
                years = [year.strip() for year in years_text.split(",")] if years_text.strip() else []
                if years and not years_text.startswith(" "):
                    raise Unsupported("service years not after a space")
                return ServiceEntry(venue=venue, short=short, years=years)
    raise Unsupported("a service entry without '(**ACRONYM**)'")


def _projects(chunk: Chunk, styles: StyleCollector, owner: str | None) -> ProjectsSection:
    items, loose = single_list(chunk)
    projects = []
    separators: set[str] = set()
    for item in items:
        line = _single_line(item, styles)
        parts = split_line(line, ", ")
        start = end = None
        if len(parts) > 1:
            period = _period(plain(parts[-1])) if all(isinstance(s, Text) for s in parts[-1]) else None
            if period:
                start, end, separator = period
                separators.add(separator)
                parts = parts[:-1]
        title = markup_of(strip_line(parts[0]), styles)
        sponsor = markup_of(strip_line(_join(parts[1:])), styles) if len(parts) > 1 else None
        projects.append(Project(title=title, sponsor=sponsor, start=start, end=end))
    if len(separators) > 1:
        raise Unsupported("periods written in different styles")
    dates = [date for project in projects for date in (project.start, project.end) if date]
    return ProjectsSection(kind="projects", items=projects, homepage=_section_page(
        dates, loose=loose, range_separator=separators.pop() if separators else " - "))


SECTION_PARSERS: dict[str, Callable[[Chunk, StyleCollector, str | None], Any]] = {
    "news": _news,
    "education": _education,
    "publications": _publications,
    "experience": _experience,
    "awards": _awards,
    "talks": _talks,
    "press": _press,
    "service": _service,
    "projects": _projects,
}


# --- the page's style and the self-check -----------------------------------------------------------------


def _homepage(front_matter: dict[str, Any], styles: StyleCollector) -> Homepage:
    values = dict(styles.values)
    values.pop("markdown_links", None)
    if styles.link_styles:
        most_common = styles.link_styles.most_common(1)[0][0]
        values["link_style"] = most_common or None
    return Homepage(front_matter=front_matter, **values)


def normalize_page(text: str) -> str:
    """Markdown with insignificant differences removed: trailing spaces, blank-line runs, CSS spacing."""
    text = re.sub(r'style="([^"]*)"', lambda match: f'style="{normalize_css(match.group(1))}"', text)
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")


def _check_sections(parsed: list[tuple[Chunk, Any]], homepage: Homepage, owner: str | None,
                    warnings: list[Problem]) -> list[Any]:
    from cvgen.renderers.markdown import render_section

    checked: list[Any] = []
    probe = CV(name=owner or "", homepage=homepage, sections=[])
    position = 0
    while position < len(parsed):
        chunk, _ = parsed[position]
        group = [section for other, section in parsed[position:] if other is chunk]
        position += len(group)
        if all(isinstance(section, RawSection) for section in group):
            checked.extend(group)
            continue
        written = "\n\n".join(render_section(probe, section) for section in group)
        if normalize_page(written) == normalize_page(chunk.source):
            checked.extend(group)
            continue
        title = next((section.title for section in group if section.title), None)
        warnings.append(Problem(
            f"section {title or 'opening text'!r} is kept as raw Markdown: cvgen would write it differently",
            chunk.line))
        checked.append(_raw(chunk, title))
    return checked
