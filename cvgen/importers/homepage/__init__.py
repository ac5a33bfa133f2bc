"""Homepage (academicpages about.md) → CV model, losing nothing.

The page is parsed with markdown-it-py (CommonMark + tables + inline HTML) into chunks, one per heading, and
each chunk into units: top-level blocks not separated by a blank line. Sections are found by their headings
through an alias table (a deeper heading without a known name is a sub-section of the same kind), and each
chunk is cut greedily into the longest runs of units that parse into typed fields; the other units are kept
verbatim as `raw` sections in their place. The page's own markup (link form, owner markup, venue and award
wrappers, line breaks, list markers, date style) is captured as homepage settings, page-wide by a vote and
per section where a section differs.

Every section is checked by writing it back: a section counts as typed only when the Markdown cvgen writes
for it equals its text on the page (after `normalize_page`); otherwise it is kept raw, with a warning that
names its line. So writing the imported CV gives back the page, and importing that gives back the CV.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from markdown_it import MarkdownIt
from markdown_it.token import Token

from cvgen.dates import infer_style, is_date
from cvgen.errors import InputFileError, Problem
from cvgen.importers.entries import cut_units, type_generic, type_papers
from cvgen.importers.fields import LIST_SEPARATOR, is_person_name
from cvgen.loader import parse_yaml
from cvgen.markup import (
    Code,
    Emphasis,
    Highlight,
    Link,
    Span,
    Strong,
    Text,
    Underline,
    merge_text,
    plain_text,
    strip_spans,
    to_markup,
)
from cvgen.model import (
    CV,
    Article,
    Award,
    AwardsSection,
    Degree,
    EducationSection,
    EntriesSection,
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
    RawEntry,
    RawSection,
    Section,
    SectionPage,
    ServiceEntry,
    ServiceGroup,
    ServiceSection,
    Talk,
    TalksSection,
    TalkVenue,
    TextSection,
    written_author,
)
from cvgen.records import ValidationError
from cvgen.renderers.markdown import LIST_MARKER, MARKDOWN_LINK, render_section
from cvgen.textfile import read_text_file

# Section headings by kind, compared after folding case, emoji, punctuation, spaces and the word "and" away.
SECTION_ALIASES: dict[str, tuple[str, ...]] = {
    "text": (
        "about", "about me", "bio", "biography", "introduction", "소개", "자기소개", "个人简介", "简介", "关于我",
        "自己紹介", "à propos", "a propos", "über mich", "sobre mí", "sobre mim", "chi sono",
    ),
    "interests": (
        "research interests", "interests", "research interest", "research topics", "연구 관심사", "연구 분야",
        "研究兴趣", "研究方向", "研究興味", "研究分野", "intérêts de recherche", "thèmes de recherche",
        "forschungsinteressen", "forschungsschwerpunkte", "intereses de investigación",
    ),
    "news": (
        "news", "recent news", "latest news", "updates", "recent updates", "news updates", "announcements",
        "what's new", "whats new", "소식", "뉴스", "최근 소식", "新闻", "最新动态", "动态", "近期动态", "新闻动态",
        "ニュース", "お知らせ", "actualités", "nouvelles", "aktuelles", "neuigkeiten", "noticias", "novedades",
        "notícias", "novità", "notizie",
    ),
    "education": (
        "education", "educations", "academic background", "educational background", "학력", "교육", "教育背景",
        "教育经历", "学歴", "formation", "parcours", "ausbildung", "bildung", "werdegang", "educación",
        "formación", "formação", "istruzione",
    ),
    "publications": (
        "publications", "publication", "conference publications", "journal publications", "selected publications",
        "publications preprints", "papers", "selected papers", "preprints", "conference papers", "journal papers",
        "research papers", "journal articles", "conference proceedings", "peer reviewed publications",
        "refereed publications", "working papers", "연구 실적", "논문", "발표 논문", "发表论文", "论文", "学术论文",
        "代表性论文", "研究成果", "出版物", "業績", "研究業績", "論文", "publikationen", "veröffentlichungen",
        "publicaciones", "publicações", "pubblicazioni",
    ),
    "experience": (
        "experience", "experiences", "work experience", "work experiences", "research experience",
        "industry experience", "professional experience", "internships", "internship", "employment", "positions",
        "appointments", "경력", "인턴십", "工作经历", "实习经历", "实习", "経歴", "職歴", "expérience", "expériences",
        "berufserfahrung", "erfahrung", "experiencia", "experiência", "esperienza",
        # Teaching is written like positions (role, course, institution, term), so it maps onto experience.
        "teaching", "teaching experience", "courses taught", "강의", "교육 경력", "教学", "教学经历", "授業",
        "enseignement", "lehre", "docencia", "ensino", "didattica",
    ),
    "awards": (
        "awards", "honors", "honours", "awards honors", "honors awards", "awards honours", "honours awards",
        "scholarships", "fellowships", "grants", "awards fellowships", "distinctions", "prizes", "수상", "수상경력",
        "수상 경력", "수상 내역", "获奖", "获奖情况", "荣誉", "荣誉奖项", "奖项", "受賞", "受賞歴", "prix",
        "auszeichnungen", "preise", "premios", "distinciones", "prêmios", "premi",
    ),
    "talks": (
        "talks", "invited talks", "presentations", "talks presentations", "발표", "초청 강연", "报告", "学术报告",
        "特邀报告", "講演", "招待講演", "exposés", "vorträge", "charlas", "palestras",
    ),
    "press": (
        "news articles", "press", "media", "media coverage", "in the news", "press coverage", "언론 보도", "媒体报道",
        "報道", "presse", "prensa",
    ),
    "service": (
        "academic services", "academic service", "service", "services", "professional service",
        "professional services", "reviewing", "reviewer", "reviewing service", "학술 활동", "学术服务", "学术兼职",
        "学術活動", "gutachtertätigkeit", "servicio académico",
    ),
    "projects": (
        "projects", "research projects", "funded projects", "프로젝트", "项目", "研究项目", "科研项目", "プロジェクト",
        "projets", "projekte", "proyectos", "projetos", "progetti",
    ),
}


_EMOJI_SELECTORS = dict.fromkeys([*range(0xFE00, 0xFE10), 0x200D])


def _fold_heading(text: str) -> str:
    kept = []
    text = re.sub(r"\([^()]*\)", " ", text)  # "Publications (selected)", "Veröffentlichungen (Auswahl)"
    # Variation selectors and joiners only choose how an emoji is drawn: '🛠️ Services' is '🛠 Services'.
    for character in unicodedata.normalize("NFKC", text).casefold().translate(_EMOJI_SELECTORS):
        category = unicodedata.category(character)
        if category.startswith(("L", "N", "M")) or character == "'":
            kept.append(character)
        elif category.startswith("Z") or character in "&/-_,:;.|+":
            kept.append(" ")
    words = "".join(kept).replace("'", "").split()
    return " ".join(word for word in words if word not in ("and", "und", "et", "y"))


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


@dataclass(frozen=True)
class Literal:
    """A character the page writes as a numeric character reference (`&#44;`, `&#42;`, `&#40;`) to keep it from
    reading as page structure: it never separates, marks, brackets or dates anything, and is plain text in the
    markup."""

    text: str


Line = list[Any]  # spans, Html and Literal, one line of an entry


def is_plain(span: Any) -> bool:
    """Whether a span is plain text: Text, or a character written as a reference."""
    return isinstance(span, (Text, Literal))


@dataclass
class StyleCollector:
    """The page's markup as seen while reading one section: every value seen for each page setting, counted."""

    seen: dict[str, Counter[Any]] = field(default_factory=dict)

    def see(self, key: str, value: Any) -> None:
        self.seen.setdefault(key, Counter())[value] += 1

    def merge(self, other: StyleCollector) -> None:
        for key, counter in other.seen.items():
            self.seen.setdefault(key, Counter()).update(counter)

    def choice(self, key: str) -> Any:
        """The most common value seen for a setting (links: grouped by their normalised form), or None."""
        counter = self.seen.get(key)
        if not counter:
            return None
        if key != "link":
            return counter.most_common(1)[0][0]
        groups: Counter[str] = Counter()
        for value, count in counter.items():
            groups[normalize_page(value)] += count
        best = groups.most_common(1)[0][0]
        return max((value for value in counter if normalize_page(value) == best), key=lambda value: counter[value])


@dataclass(frozen=True)
class Item:
    """A list item: its inline content, nested items, its first line in the body and whether it is loose."""

    inline: Token | None
    children: tuple[Item, ...]
    line: int
    loose: bool


@dataclass(frozen=True)
class Unit:
    """Top-level blocks not separated by a blank line, with their lines [start, end) in the body."""

    tokens: tuple[Token, ...]
    start: int
    end: int


@dataclass
class Chunk:
    """The opening text, or one heading with the units up to the next heading."""

    heading: Token | None  # the heading's inline token
    heading_form: str  # how the heading is written, e.g. '## {text}' or '{text}\n====='
    level: int
    start: int  # the body line of the heading (or of the opening text)
    units: list[Unit]


@dataclass(frozen=True)
class PageStars:
    """How the page writes an equal-contribution star: escaped (`\\*`) when it escapes one anywhere. Looked up
    once per page, not once per author list (which made a long publication list quadratic)."""

    mark: str  # after a name
    legend: str  # in '(*: equal contribution)'

    @classmethod
    def of(cls, page: str) -> PageStars:
        """The star style of a page body."""
        return cls("\\*" if "\\*" in page else "*", "\\*" if "(\\*" in page else "*")


@dataclass
class Body:
    """The units one section parser reads: their tokens, and the page lines they come from."""

    tokens: list[Token]
    lines: list[str]
    stars: PageStars
    settings: dict[str, Any] = field(default_factory=dict)  # section settings seen while reading (bullet, indent)

    def setting(self, key: str, value: Any) -> None:
        """Record a section setting; a second, different value means the section is written inconsistently."""
        if self.settings.setdefault(key, value) != value:
            raise Unsupported(f"entries written in different styles ({key})")


@dataclass
class Piece:
    """One section of the import, with the page text it stands for and the style seen in it."""

    section: Section
    source: str
    line: int
    styles: StyleCollector | None  # None for raw text
    heading_source: str | None = None  # the heading's page text, when this piece carries the chunk's heading
    settings: dict[str, Any] = field(default_factory=dict)  # the section settings its parser saw
    name: str = ""  # the heading it is under, for the report ("" for the opening text)
    reason: str | None = None  # why raw text is kept as written, in a user's words
    raw_entries: list[tuple[int, str]] = field(default_factory=list)  # entries kept as written: line, reason


@dataclass(frozen=True)
class ReportRow:
    """What import did with one part of the page: typed (with how many entries) or kept as written, and why."""

    line: int
    section: str  # the heading, or "" for the opening text
    kind: str
    entries: int  # typed entries (items, paragraphs); 0 when kept as written
    reason: str | None  # why it is kept as written
    raw_entries: tuple[tuple[int, str], ...] = ()  # in a typed section, the entries kept as written: line, reason


@dataclass
class ImportResult:
    """The imported CV, the warnings about what was kept raw, and the report of what import did, part by part."""

    cv: CV
    warnings: list[Problem]
    report: list[ReportRow] = field(default_factory=list)


def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    parser.disable("text_join")  # keep escapes apart, to tell kramdown's ` \\` line break from text
    parser.normalizeLink = lambda url: url  # type: ignore[method-assign]
    return parser


def import_homepage(path: Path, name: str | None = None) -> ImportResult:
    """Import a homepage Markdown file; `name` is the owner's, when the page does not say it."""
    return import_homepage_text(read_text_file(path, "homepage"), str(path), name)


def import_homepage_text(text: str, source: str, name: str | None = None) -> ImportResult:
    """Import homepage Markdown text; `source` names it in messages. The owner is the name emphasised in the
    page's author lists, else the one its front matter gives, else `name`."""
    line_ending = "\r\n" if "\r\n" in text else "\n"
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    front_matter, body, offset = split_front_matter(text, source)
    lines = body.split("\n")
    chunks = _chunks(body, lines)
    owner = _find_owner(chunks) or _front_matter_owner(front_matter) or (name.strip() if name else None)
    stars = PageStars.of(body)
    warnings: list[Problem] = []
    pieces: list[Piece] = []
    parent: tuple[int, str] | None = None  # the level and kind of the last known section heading
    for chunk in chunks:
        kinds: tuple[str, ...]
        if chunk.heading is None:
            kinds = ("text", "interests")
        else:
            kind = section_kind(chunk.heading.content)
            if kind is not None:
                parent = (chunk.level, kind)
            elif parent is not None and parent[0] < chunk.level:
                kind = parent[1]  # a sub-heading such as '### 2024' or '### Journal papers'
            else:
                parent = None
            kinds = (kind,) if kind in SECTION_PARSERS else ()
        chunk_warnings: list[Problem] = []
        chunk_pieces = _chunk_pieces(chunk, kinds, lines, owner, offset, chunk_warnings, stars)
        if chunk.heading is not None and any(piece.styles is None for piece in chunk_pieces):
            typed_before = sum(_entry_count(piece.section) for piece in chunk_pieces if piece.styles is not None)
            papers = True if kinds == ("publications",) else None if not kinds else False
            by_entry = _entry_piece(chunk, lines, owner, offset, papers=papers)
            if by_entry is not None and _entry_count(by_entry.section) > typed_before:
                chunk_pieces, chunk_warnings = [by_entry], [
                    Problem(f"in {by_entry.name!r}, an entry is kept as raw Markdown: {reason}", line)
                    for line, reason in by_entry.raw_entries]
        pieces.extend(chunk_pieces)
        warnings.extend(chunk_warnings)
    page_styles = StyleCollector()
    for piece in pieces:
        if piece.styles is not None:
            page_styles.merge(piece.styles)
    homepage = _homepage(front_matter, page_styles, line_ending)
    sections = _final_sections(pieces, homepage, owner, warnings)
    warnings.sort(key=lambda warning: warning.line or 0)
    if owner is None:
        warnings.insert(0, Problem("no owner's name found: no name is bold or underlined in the page's author lists "
                                   "and the front matter has no `author:`; give it with `cvgen import --name "
                                   "'Your Name'` (or set `name:` in the YAML): it heads the LaTeX and PDF CVs and is "
                                   "highlighted in author lists"))
    return ImportResult(CV(name=owner or "", homepage=homepage, sections=sections), warnings, _report(pieces))


class _Reader:
    """Inline Markdown read as cvgen markup (entries.MarkupReader), the page's styles seen on the way."""

    def __init__(self) -> None:
        self.styles = StyleCollector()

    def markup(self, markdown: str) -> str | None:
        styles = StyleCollector()
        try:
            lines = inline_lines(_parser().parseInline(markdown)[0], styles)
            if len(lines) != 1:
                return None
            markup = markup_of(strip_line(lines[0]), styles)
        except Unsupported:
            return None
        self.styles.merge(styles)
        return markup

    def homepage(self) -> Homepage:
        return _homepage({}, self.styles, "\n")


def _entry_piece(chunk: Chunk, lines: list[str], owner: str | None, offset: int, *,
                 papers: bool | None) -> Piece | None:
    """A chunk read entry by entry, as papers or as generic entries, the entries that are not kept raw in place;
    None when no entry is typed or the section would not be written back as it stands. Under a heading cvgen has
    no kind for (`papers` None), entries are papers when each paper read lists the owner among its authors."""
    title = _title(chunk)
    if (chunk.heading is not None and title is None) or not chunk.units:
        return None
    entries = cut_units([(list(unit.tokens), unit.start, unit.end) for unit in chunk.units], lines)
    reader = _Reader()
    typed = type_papers(entries, owner, reader) if papers is not False else None
    if papers is None and typed is not None and not _papers_with_authors(typed.section, owner):
        typed = None
    if typed is None:  # a list of no papers is still a list of entries
        reader = _Reader()
        typed = type_generic(entries, reader)
    if typed is None:
        return None
    section = typed.section
    heading_source = None
    if chunk.heading is not None:
        heading_source = _heading_source(chunk, lines)
        section.title = title
        section.homepage.heading = chunk.heading_form
    source = "\n".join(lines[chunk.start if heading_source is not None else chunk.units[0].start : chunk.units[-1].end])
    piece = Piece(section, source, offset + chunk.start + 1, reader.styles, heading_source,
                  name=chunk.heading.content if chunk.heading is not None else "",
                  raw_entries=[(offset + line + 1, reason) for line, reason in typed.raw])
    return piece if writes_back(piece, typed.homepage, owner) else None


def _papers_with_authors(section: Section, owner: str | None) -> bool:
    """Whether the papers read under a heading cvgen has no kind for are papers: each lists the owner among its
    authors (without an owner, two papers or more, each with authors)."""
    papers = [item for item in getattr(section, "items", []) if isinstance(item, Publication)]
    if owner is not None:
        probe = CV(name=owner, sections=[])
        return bool(papers) and all(any(probe.is_owner(author.name) for author in paper.author_list())
                                    for paper in papers)
    return len(papers) >= 2 and all(paper.authors for paper in papers)


def _heading_source(chunk: Chunk, lines: list[str]) -> str:
    """A chunk's heading as the page writes it (one line, or two for a setext heading)."""
    return "\n".join(lines[chunk.start : chunk.start + chunk.heading_form.rstrip("\n").count("\n") + 1])


def _entry_count(section: Section) -> int:
    """A typed section's entries: its typed items, its paragraphs, or the entries of its service groups."""
    if isinstance(section, ServiceSection):
        return sum(len(group.entries) for group in section.groups)
    if isinstance(section, (PublicationsSection, EntriesSection)):
        return sum(not isinstance(item, RawEntry) for item in section.items)
    return len(getattr(section, "items", None) or getattr(section, "paragraphs", None) or [])


def _report(pieces: list[Piece]) -> list[ReportRow]:
    """A row per part of the page: typed sections with their entry counts, raw text with the reason."""
    rows = []
    for piece in pieces:
        section = piece.section
        if isinstance(section, RawSection):
            if piece.reason is None and not section.markdown.strip():
                continue  # a heading alone, above its sub-headings
            rows.append(ReportRow(piece.line, piece.name or section.title or "", "raw", 0,
                                  piece.reason or "a heading cvgen writes only as it stands"))
        else:
            rows.append(ReportRow(piece.line, section.title or "", section.kind, _entry_count(section), None,
                                  tuple(piece.raw_entries)))
    return rows


def split_front_matter(text: str, source: str) -> tuple[dict[str, Any], str, int]:
    """A page's front matter as data, its body, and the number of lines before the body (LF line endings)."""
    if not text.startswith("---\n"):
        return {}, text, 0
    match = re.search(r"^(---|\.\.\.)[ \t]*$", text[4:], re.MULTILINE)
    if not match:
        raise InputFileError(source, [Problem("the front matter opened by --- on line 1 is never closed", 1)])
    yaml_text = text[4 : 4 + match.start()]
    # Typed as Jekyll reads it, with the CV loader's limits (aliases, nesting, tags, control characters).
    data, _, problems = parse_yaml(yaml_text, typed=True, first_line=2, what="front matter is not valid YAML")
    if problems:
        raise InputFileError(source, problems)
    if data is not None and not isinstance(data, dict):
        raise InputFileError(source, [Problem("front matter must be a YAML mapping", 2)])
    body_start = 4 + match.end() + 1
    return data or {}, text[body_start:], text[:body_start].count("\n")


# --- the page's parts --------------------------------------------------------------------------------------


def _blocks(tokens: list[Token]) -> list[list[Token]]:
    """The top-level blocks of a token stream (a paragraph with its inline, a whole list, an HTML block)."""
    blocks: list[list[Token]] = []
    index = 0
    while index < len(tokens):
        end = index
        if tokens[index].nesting == 1:
            while not (tokens[end].level == tokens[index].level and tokens[end].nesting == -1):
                end += 1
        blocks.append(tokens[index : end + 1])
        index = end + 1
    return blocks


def _is_comment(block: list[Token]) -> bool:
    content = block[0].content.strip() if block[0].type == "html_block" else ""
    return content.startswith("<!--") and content.endswith("-->") and content.count("-->") == 1


def _blank(lines: list[str], start: int, end: int) -> bool:
    return all(not line.strip() for line in lines[start:end])


def _chunks(body: str, lines: list[str]) -> list[Chunk]:
    chunks: list[Chunk] = []
    current = Chunk(None, "", 0, 0, [])
    pending: list[list[Token]] = []  # blocks of the unit being built

    def close_unit(next_start: int) -> None:
        if not pending:
            return
        first = (pending[0][0].map or [0, 0])[0]
        if not current.units:
            first = min(first, _first_text_line(lines, current))
        end = next_start
        while end > first and not lines[end - 1].strip():
            end -= 1
        current.units.append(Unit(tuple(token for block in pending for token in block), first, end))
        pending.clear()

    for block in _blocks(_parser().parse(body)):
        start, end = block[0].map or [0, 0]
        if block[0].type == "heading_open" and not _inside_list_item(pending, start, lines):
            close_unit(start)
            chunks.append(current)
            current = Chunk(*_heading(block[0], block[1], lines), int(block[0].tag[1]), start, [])
            if end < len(lines) and not lines[end].strip():
                current.heading_form += "\n"
            continue
        if pending:
            previous_start, previous_end = pending[-1][0].map or [0, 0]
            while previous_end > previous_start + 1 and not lines[previous_end - 1].strip():
                previous_end -= 1  # a list's map takes the blank line after it
            separated = start > previous_end and _blank(lines, previous_end, start)
            if separated or (len(pending) == 1 and _is_comment(pending[0])):
                close_unit(start)
        pending.append(block)
    close_unit(len(lines))
    chunks.append(current)
    for chunk in chunks:
        if not chunk.units:  # a heading right above the next: sections are written a blank line apart anyway
            chunk.heading_form = chunk.heading_form.rstrip("\n")
    return [chunk for chunk in chunks if chunk.heading is not None or chunk.units]


def _inside_list_item(pending: list[list[Token]], start: int, lines: list[str]) -> bool:
    """Whether a heading on line `start` right under a list, with no blank line between, is (as kramdown reads
    it) part of the list's last item: then it is no section of its own, and the list with it is kept as written."""
    if not pending or pending[-1][0].type not in ("bullet_list_open", "ordered_list_open"):
        return False
    return start > 0 and bool(lines[start - 1].strip())


def _first_text_line(lines: list[str], chunk: Chunk) -> int:
    """The first non-blank line after a chunk's heading (text no block claims, such as link definitions)."""
    start = chunk.start + (chunk.heading_form.count("\n") + 1 if chunk.heading is not None else 0)
    while start < len(lines) and not lines[start].strip():
        start += 1
    return start


# What a heading's line may hold around its text, kept in its form: one HTML element around the whole text
# (`<font color="red">…</font>`), and a kramdown attribute list or header ID after it (`{#id}`, `{: .class}`).
_HEADING_WRAPPER = re.compile(r"(<(font|span|b|strong|u|i|em)\b[^<>]*>)((?:(?!</?\2\b).)*)(</\2\s*>)", re.I | re.S)
_HEADING_ATTRIBUTES = re.compile(r"(?<!\s)\s*\{[:#][^{}]*\}$")  # never tried inside a run of spaces


def _heading(heading: Token, inline: Token, lines: list[str]) -> tuple[Token, str]:
    """A heading's text (an inline token) and its form: how the page writes it around the text, e.g. '## {text}',
    '##  {text} ##', '## <font color="red">{text}</font>' or '{text}\n====' (setext)."""
    start, end = heading.map or [0, 1]
    content = inline.content
    if not heading.markup.startswith("#"):
        return inline, "{text}\n" + lines[end - 1].strip()  # setext: the underline as written
    line = lines[start]
    index = line.find(content) if content else -1
    if index < 0:
        return inline, f"{heading.markup} {{text}}"
    prefix, suffix = line[:index], line[index + len(content) :]
    attributes = _HEADING_ATTRIBUTES.search(content)
    if attributes and attributes.start():
        content, suffix = content[: attributes.start()], attributes.group(0) + suffix
    wrapper = _HEADING_WRAPPER.fullmatch(content)
    if wrapper and wrapper.group(3).strip():
        prefix, content, suffix = prefix + wrapper.group(1), wrapper.group(3), wrapper.group(4) + suffix
    if content == inline.content:
        return inline, f"{prefix}{{text}}{suffix}"
    return _parser().parseInline(content)[0], f"{prefix}{{text}}{suffix}"


def _heading_lines(chunk: Chunk) -> int:
    """How many page lines a chunk's heading takes, with the blank line after it."""
    return chunk.heading_form.count("\n") + 1 if chunk.heading is not None else 0


# A span's attributes stop at a comma or line break that starts another candidate (`, <span`): otherwise each of
# many `, <span` scans to the same far '>', quadratic. (A span whose attribute holds `, <span` is read from there.)
# A candidate stands between list separators: a comma, or " and " (author lists without an Oxford comma).
# A name may be written "Surname, I." (APA); a candidate may also open a citation line ("[ICML] **Name**, …").
_AND = r"\s(?:and|und|et|y|e|&)\s"
_OWNER_CANDIDATE = re.compile(
    rf"(^|,\s*|{_AND}\s*|\]\s*|:\s+)(?:<(?:u|b|strong|U|B)>|\*\*|<span(?:[^>,\n]|[,\n](?!\s*<span))*>\*\*)"
    r"(?P<name>[^<>*,\n]{2,60}?(?:,\s*(?:[A-Z][a-z]?\.[\s-]*){1,3})?)(?:\\?\*)?"
    r"(?:</(?:u|b|strong|U|B)>|\*\*|\*\*</span>)(?:\\?\*|<sup>[^<]*</sup>|\$\^\{?\\?[a-z*]*\}?\$)?"
    rf"(?=\s*(,|$| \\\\|<br|\(|{_AND}))",
    re.MULTILINE,
)
# Where a line's parts end: a line break, or a full stop after a word (not after an initial: "J. Doe").
_SENTENCE_END = re.compile(r"\n|(?<=[a-z)\"”’]{2}[.;:])\s+|(?<=[a-z)]{2}\*\*[.;:])\s+")
_ANY_TAG = re.compile(r"<[^<>\n]*>")
_MARKUP = re.compile(r"<[^<>]*>|\*\*|__|\\\*|[*_`]|\$[^$]*\$|\s\\\\\s*$")  # and a ` \\` line break


def _segments(content: str) -> list[str]:
    """A line's parts between sentence ends (never inside an HTML tag, whose attributes have colons)."""
    masked = _ANY_TAG.sub(lambda match: "\0" * len(match.group(0)), content)
    segments, start = [], 0
    for match in _SENTENCE_END.finditer(masked):
        segments.append(content[start : match.start()])
        start = match.end()
    return [*segments, content[start:]]


def _is_author_list(content: str) -> bool:
    """Whether a line's text is a list of person names (two or more, at least half of them names), not prose."""
    parts = [part.strip() for part in LIST_SEPARATOR.split(_MARKUP.sub("", html.unescape(content))) if part.strip()]
    names = sum(1 for part in parts if is_person_name(part.rstrip("*†‡#§¶ ")))
    return names >= 2 and names * 2 >= len(parts)


def _find_owner(chunks: list[Chunk]) -> str | None:
    """The owner's name: the most common underlined or bold name in author lists (in the publications when
    there are any there; never in an award, the news or prose: only lines that are lists of person names)."""
    in_publications: Counter[str] = Counter()
    elsewhere: Counter[str] = Counter()
    parent: tuple[int, str | None] | None = None
    for chunk in chunks:
        kind = None
        if chunk.heading is not None:
            kind = section_kind(chunk.heading.content)
            if kind is None and parent is not None and parent[0] < chunk.level:
                kind = parent[1]  # a sub-heading such as '### 2024'
            else:
                parent = (chunk.level, kind)
        if kind not in ("publications", "talks", "projects", None) or chunk.heading is None:
            continue  # awards, news, education… and the opening prose name no authors
        names = in_publications if kind == "publications" else elsewhere
        for unit in chunk.units:
            for token in unit.tokens:
                if token.type not in ("inline", "html_block") or not LIST_SEPARATOR.search(token.content):
                    continue
                for line in _segments(token.content):  # citation lines: title. authors. venue.
                    if kind != "publications" and not _is_author_list(line):
                        continue  # elsewhere, only a line of person names is an author list
                    for match in _OWNER_CANDIDATE.finditer(line):
                        name = html.unescape(match.group("name")).strip()
                        between = match.group(1) + (match.group(3) or "")  # a list separator before or after it
                        if LIST_SEPARATOR.search(between) and is_person_name(name):
                            names[name] += 1
    names = in_publications or elsewhere
    return names.most_common(1)[0][0] if names else None


def _front_matter_owner(front_matter: dict[str, Any]) -> str | None:
    """The owner as the page's front matter names them (`author: Name`, `author: {name: …}`, `name: …`)."""
    for value in (front_matter.get("author"), front_matter.get("name")):
        if isinstance(value, dict):
            value = value.get("name")
        if isinstance(value, str) and value.strip() and is_person_name(value.strip()):
            return value.strip()
    title = front_matter.get("title")  # a page titled with its owner's name ("Ingrid Solberg-Vance")
    if isinstance(title, str) and len(title.split()) >= 2 and is_person_name(title.strip()):
        return title.strip()
    return None


# --- inline content ----------------------------------------------------------------------------------------

# A tag's '/' before its '>' (self-closing) is read from its text after the match: a lazy `([^>]*?)(/?)\s*>`
# tries every end of the attributes, each scanning the spaces before '>', quadratic in a run of spaces.
_TAG = re.compile(r"<\s*(/?)\s*([A-Za-z][A-Za-z0-9]*)([^>]*)>", re.DOTALL)
# An attribute, its value optional so that a name without one is passed over whole (tried from each of its
# characters instead, a long name is quadratic); `_attributes` keeps those with a value.
_ATTRIBUTE = re.compile(r"""([A-Za-z_:][-A-Za-z0-9_:.]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?""")
_BREAK_TAG = re.compile(r"<br\s*/?>", re.IGNORECASE)


def normalize_css(style: str) -> str:
    """CSS declarations with their spacing and order normalised, as the round-trip law allows."""
    declarations = []
    for declaration in style.split(";"):
        if ":" in declaration:
            name, value = declaration.split(":", 1)
            declarations.append(f"{name.strip().lower()}: {' '.join(value.split())}")
    return "; ".join(sorted(declarations)) + (";" if declarations else "")


def inline_lines(token: Token | None, styles: StyleCollector) -> list[Line]:
    """An inline token's content as lines of spans, split at line breaks (whose style is seen as 'line_break')."""
    if token is None:
        return [[]]
    if re.search(r"(?<!\\)(\\\\)*\\\n", token.content):
        raise Unsupported("a backslash line break")  # CommonMark's, which kramdown does not know
    children = token.children or []
    lines: list[Line] = [[]]
    stack: list[tuple[str, Any, Line]] = []
    current: Line = lines[0]

    def new_line(style: str) -> None:
        nonlocal current
        if stack:
            raise Unsupported("a line break inside formatting")
        styles.see("line_break", style)
        current = []
        lines.append(current)

    index = 0
    while index < len(children):
        child = children[index]
        kind = child.type
        following = children[index + 1].type if index + 1 < len(children) else None
        index += 1
        if kind == "text_special" and child.info == "escape" and child.content == "\\" \
                and following in ("softbreak", None) and current and isinstance(current[-1], Text) \
                and current[-1].text.endswith(" "):
            current[-1] = Text(current[-1].text[:-1])
            new_line(" \\\\")
            index += 1  # the softbreak
            continue
        if kind == "html_inline" and _BREAK_TAG.fullmatch(child.content.strip()):
            if following != "softbreak":
                raise Unsupported("a <br> that does not end a line")
            space = " " if current and isinstance(current[-1], Text) and current[-1].text.endswith(" ") else ""
            if space:
                current[-1] = Text(current[-1].text[:-1])
            new_line(space + child.content)
            index += 1
            continue
        if kind == "hardbreak":
            new_line("  ")
            continue
        if kind == "text_special" and child.info == "entity" and _written_as_literal(child):
            current.append(Literal(child.content))
        elif kind in ("text", "text_special"):
            current.append(Text(child.content))
        elif kind == "softbreak":
            current.append(Text("\n"))
        elif kind == "code_inline":
            current.append(Code(child.content))
        elif kind in ("strong_open", "em_open"):
            styles.see("strong" if kind == "strong_open" else "emphasis", child.markup)
            stack.append((kind, None, current))
            current = []
        elif kind == "link_open":
            if child.attrs.get("title") is not None:
                raise Unsupported("a link with a title")
            styles.see("link", MARKDOWN_LINK)
            stack.append((kind, str(child.attrs.get("href", "")), current))
            current = []
        elif kind in ("strong_close", "em_close", "link_close"):
            opened, data, parent = stack.pop()
            inner = tuple(merge_text(current))
            parent.append(Strong(inner) if opened == "strong_open" else Emphasis(inner) if opened == "em_open"
                          else Link(data, inner))
            current = parent
        elif kind == "html_inline":
            match = _TAG.fullmatch(child.content.strip())
            if not match or child.content.startswith("<!"):
                raise Unsupported(f"inline HTML {child.content!r}")
            closing, name, attributes = match.groups()
            self_closing = attributes.rstrip().endswith("/")
            name = name.lower()
            if closing:
                if not stack or stack[-1][0] != "html":
                    raise Unsupported(f"an unmatched {child.content}")
                _, (open_tag, open_name), parent = stack.pop()
                if open_name != name:
                    raise Unsupported(f"mismatched HTML tags {open_tag} … {child.content}")
                parent.append(_html_span(open_tag, child.content, open_name, tuple(merge_text(current)), styles))
                current = parent
            elif self_closing or name in ("img", "br", "hr", "input", "wbr"):
                raise Unsupported(f"inline HTML {child.content!r}")
            else:
                stack.append(("html", (child.content, name), current))
                current = []
        else:
            raise Unsupported(f"{kind.replace('_', ' ')}")
    if stack:
        raise Unsupported("unclosed formatting or HTML")
    return [merge_text(line) for line in lines]


def _written_as_literal(entity: Token) -> bool:
    """Whether an entity is a numeric reference to a visible ASCII character: one written so to keep it from
    reading as page structure (named entities such as &amp; and &nbsp; stay text)."""
    character = entity.content
    return entity.markup.startswith("&#") and len(character) == 1 and "!" <= character <= "~"


def _html_span(open_tag: str, close_tag: str, name: str, children: tuple[Any, ...],
               styles: StyleCollector) -> Any:
    attributes = _attributes(open_tag)
    if name == "a" and [match.group(1).lower() for match in attributes].count("href") == 1:
        href = next(match for match in attributes if match.group(1).lower() == "href")
        url = next(group for group in href.groups()[1:] if group is not None)
        template = open_tag[: href.start()] + 'href="{url}"' + open_tag[href.end():] + "{text}" + close_tag
        if "{" in open_tag or '"{url}"' not in template:
            raise Unsupported("an HTML link cvgen cannot write back")
        styles.see("link", template)
        return Link(url, children)
    if open_tag == "<u>" and close_tag == "</u>":
        return Underline(children)
    return Html(open_tag, close_tag, children)


def _attributes(open_tag: str) -> list[re.Match[str]]:
    """The attributes of an HTML tag that have a value: `name="value"`, `name='value'` or `name=value`."""
    return [match for match in _ATTRIBUTE.finditer(open_tag) if (match.lastindex or 0) > 1]


def markup_of(line: Line, styles: StyleCollector, *, highlight: bool = False) -> str:
    """Spans of a line as cvgen markup; coloured spans become ==highlights== where allowed."""
    return to_markup([_as_span(span, styles, highlight) for span in line])


def _as_span(span: Any, styles: StyleCollector, highlight: bool) -> Span:
    if isinstance(span, Html):
        if highlight and span.open.lower().startswith(("<span", "<font", "<mark")):
            styles.see("highlight", f"{span.open}{{text}}{span.close}")
            return Highlight(tuple(_as_span(child, styles, highlight) for child in span.children))
        raise Unsupported(f"inline HTML {span.open}")
    if isinstance(span, Literal):
        return Text(span.text)
    if isinstance(span, (Text, Code)):
        return span
    children = tuple(_as_span(child, styles, highlight) for child in span.children)
    if isinstance(span, Link):
        return Link(span.url, children)
    return type(span)(children)  # type: ignore[no-any-return]


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


_SPACES = " \t\n"  # what Markdown strips; a no-break space is text


def strip_line(line: Line) -> Line:
    """A line without the white space Markdown strips at its ends."""
    return strip_spans(line, _SPACES)


_HIDDEN = "\ue000"  # stands for a Literal while a pattern is matched: no pattern reads it as structure


@dataclass(frozen=True)
class TextMatch:
    """A pattern matched at the end of a line's text; its groups give characters written as references back."""

    match: re.Match[str]
    literals: dict[int, str]  # position in the matched text → the Literal's character

    def group(self, index: int = 0) -> str:
        """A group's text."""
        start, end = self.match.span(index)
        return "".join(self.literals.get(position, self.match.string[position]) for position in range(start, end))


# White space at the start of a pattern for `text_at_end`, never starting inside a run of white space. The
# match is the same (the leftmost one starts where its run starts), but a long run of spaces is no longer tried
# from each of its spaces, each try scanning the rest of the run: quadratic.
_SPACES_BEFORE = r"(?<!\s)\s*"


def text_at_end(line: Line, pattern: str) -> tuple[Line, TextMatch | None]:
    """Match a pattern at the end of a line's last run of text (a Literal in it matches as an ordinary
    character, never as structure); return the line before the match and the match."""
    start = len(line)
    while start and is_plain(line[start - 1]):
        start -= 1
    run = line[start:]
    if not run:
        return line, None
    literals: dict[int, str] = {}
    parts: list[str] = []
    offset = 0
    for span in run:
        if isinstance(span, Literal):
            literals[offset] = span.text
            parts.append(_HIDDEN)
        else:
            parts.append(span.text)
        offset += len(parts[-1])
    match = re.search(pattern + r"$", "".join(parts))
    if not match:
        return line, None
    kept: Line = []
    offset = 0
    for span, part in zip(run, parts, strict=True):
        if offset + len(part) <= match.start():
            kept.append(span)
        elif offset < match.start():
            kept.append(Text(part[: match.start() - offset]))
        offset += len(part)
    return [*line[:start], *kept], TextMatch(match, literals)


def _join(parts: list[Line]) -> Line:
    joined: Line = []
    for number, part in enumerate(parts):
        if number:
            joined.append(Text(", "))
        joined.extend(part)
    return merge_text(joined)


def wrapper_of(span: Any, styles: StyleCollector) -> tuple[str, Line]:
    """Peel the page markup around a value: '<span style=…>**{text}**</span>' and the spans inside."""
    prefix, suffix = "", ""
    while True:
        if isinstance(span, Html) and len(span.children) == 1 and not is_plain(span.children[0]):
            prefix, suffix = prefix + span.open, span.close + suffix
            span = span.children[0]
        elif isinstance(span, Html):
            return f"{prefix}{span.open}{{text}}{span.close}{suffix}", list(span.children)
        elif isinstance(span, (Strong, Emphasis, Underline)) and span.children:
            mark = {Strong: "strong", Emphasis: "emphasis", Underline: ""}[type(span)]
            left = styles.choice(mark) if mark else "<u>"
            right = left if mark else "</u>"
            return f"{prefix}{left}{{text}}{right}{suffix}", list(span.children)
        else:
            raise Unsupported("a value whose markup cvgen cannot read")


# --- lists -------------------------------------------------------------------------------------------------


def list_items(body: Body, start: int = 0, *, nested: bool = False) -> tuple[list[Item], int]:
    """The items of the list opening at tokens[start] and the index after it; the marker style is recorded."""
    tokens = body.tokens
    if start >= len(tokens) or tokens[start].type not in ("bullet_list_open", "ordered_list_open"):
        raise Unsupported("expected a list")
    if nested and tokens[start].type != "bullet_list_open":
        raise Unsupported("a nested numbered list")
    close = tokens[start].type.replace("_open", "_close")
    level = tokens[start].level
    items: list[Item] = []
    index = start + 1
    numbers: list[int] = []
    while not (tokens[index].type == close and tokens[index].level == level):
        token = tokens[index]
        first_line, last_line = token.map or [0, 1]
        marker = LIST_MARKER.match(body.lines[first_line])
        if marker is None:
            raise Unsupported("a list item cvgen cannot read")
        if nested:
            body.setting("nested_indent", body.lines[first_line][: marker.start(1)])
            if marker.group(1) != "-" or marker.group(4) != " ":
                raise Unsupported("a nested list not written '- '")
        else:
            if marker.start(1):
                raise Unsupported("an indented list")
            number = marker.group(2)
            numbers.append(int(number) if number else 0)
            symbol = "{n}" + marker.group(3) if number else marker.group(1)
            body.setting("bullet_symbol", symbol)
            body.setting("bullet_space", marker.group(4))
        index += 1
        inline: Token | None = None
        loose = False
        children: list[Item] = []
        while tokens[index].type != "list_item_close":
            inner = tokens[index]
            if inner.type == "paragraph_open" and inline is None:
                loose = not inner.hidden
                inline = tokens[index + 1]
                _record_continuation(body, inner.map or [first_line, first_line + 1])
                index += 3
            elif inner.type == "bullet_list_open" and not children and not nested:
                children_items, index = list_items(body, index, nested=True)
                children = children_items
            else:
                raise Unsupported(f"{inner.type.replace('_open', '').replace('_', ' ')} inside a list item")
        items.append(Item(inline, tuple(children), first_line, loose))
        index += 1
    if any(numbers):
        if numbers == list(range(1, len(numbers) + 1)):
            pass
        elif set(numbers) == {1}:
            body.settings["bullet_symbol"] = body.settings["bullet_symbol"].replace("{n}", "1")
        else:
            raise Unsupported("a numbered list that does not count from 1")
    return items, index + 1


def _record_continuation(body: Body, span: list[int]) -> None:
    """Record how the continuation lines of a list item's paragraph are indented."""
    for line in body.lines[span[0] + 1 : span[1]]:
        if line.strip():
            body.setting("indent", line[: len(line) - len(line.lstrip(" \t"))])


def single_list(body: Body) -> tuple[list[Item], bool]:
    """The items of a section that is one list, and whether the list is loose."""
    items, end = list_items(body, 0)
    if end != len(body.tokens):
        raise Unsupported("more than one list")
    return items, any(item.loose for item in items)


def item_lines(item: Item, styles: StyleCollector) -> list[Line]:
    """The lines of a list item, stripped."""
    return [strip_line(line) for line in inline_lines(item.inline, styles)]


def single_line(item: Item, styles: StyleCollector) -> Line:
    """The one line of a list item without nested items."""
    lines = item_lines(item, styles)
    if len(lines) != 1 or item.children:
        raise Unsupported("an entry with several lines")
    return lines[0]


def section_page(body: Body, dates: Iterable[str | None], **settings: Any) -> SectionPage:
    """The section's page settings: what its parser found, the list style seen, and the date style."""
    style = next((found for found in (infer_style(date) for date in dates if date) if found), None)
    bullet = body.settings.get("bullet_symbol")
    if bullet is not None:
        settings["bullet"] = bullet + body.settings["bullet_space"]
    indent = body.settings.get("indent", body.settings.get("nested_indent"))
    if "indent" in body.settings and "nested_indent" in body.settings \
            and body.settings["indent"] != body.settings["nested_indent"]:
        raise Unsupported("continuation lines and nested lists indented differently")
    default = "  " if "nested_indent" in body.settings else ""
    if indent is not None and indent != default:
        settings["indent"] = indent
    return SectionPage(date_style=style, **settings)


# --- sections ----------------------------------------------------------------------------------------------


def _chunk_pieces(chunk: Chunk, kinds: tuple[str, ...], lines: list[str], owner: str | None, offset: int,
                  warnings: list[Problem], stars: PageStars) -> list[Piece]:
    """Cut a chunk into the longest runs of units that parse and write back as typed sections, and raw rest."""
    title = _title(chunk)
    heading_source = None
    if chunk.heading is not None:
        heading_source = _heading_source(chunk, lines)
    name = repr(chunk.heading.content) if chunk.heading is not None else "the opening text"
    units = chunk.units
    pieces: list[Piece] = []
    raw_from: int | None = None
    runs = RunFinder(chunk, kinds, lines, owner, title, stars)

    def flush_raw(until: int) -> None:
        nonlocal raw_from
        if raw_from is None:
            return
        carries = not pieces and heading_source is not None
        markdown = "\n".join(lines[units[raw_from].start : units[until - 1].end])
        line = offset + (chunk.start if carries else units[raw_from].start) + 1
        pieces.append(_raw_piece(markdown, line, title if carries else None, chunk, heading_source if carries
                                 else None))
        what = _describe(units[raw_from:until], runs.last_reason() if kinds else None)
        where = f"section {name} is not a CV section cvgen knows" if not kinds else f"in {name}, {what}"
        place = line if not kinds else offset + units[raw_from].start + 1
        warnings.append(Problem(f"{where}; kept as raw Markdown", place))
        pieces[-1].name = chunk.heading.content if chunk.heading is not None else ""
        pieces[-1].line = place
        fit = re.fullmatch(r"text that does not fit cvgen's fields \((.*)\)", what, re.S)
        unknown = "no CV section has this heading, and no entry under it reads as one"
        pieces[-1].reason = unknown if not kinds else fit.group(1) if fit else what
        raw_from = None

    if heading_source is not None and (title is None or not units):
        if title is None:
            pieces.append(Piece(RawSection(kind="raw", markdown=heading_source + "\n"), heading_source,
                                offset + chunk.start + 1, None))
        else:
            pieces.append(_raw_piece("", offset + chunk.start + 1, title, chunk, heading_source))
    index = 0
    while index < len(units):
        carries = not pieces and raw_from is None and heading_source is not None
        found = runs.longest(index, carries)
        if found is None:
            raw_from = index if raw_from is None else raw_from
            index += 1
            continue
        piece, end = found
        piece.line = offset + (chunk.start if carries else units[index].start) + 1
        piece.heading_source = heading_source if carries else None
        flush_raw(index)
        pieces.append(piece)
        index = end
    flush_raw(len(units))
    return pieces


class Candidate(NamedTuple):
    """A run of a chunk's units [start, end) read as a section kind; `carries`: with the chunk's heading."""

    kind: str
    start: int
    end: int
    carries: bool


# Kinds whose section is one block (a list, or one paragraph of news), so a run of two units never fits.
_ONE_BLOCK_KINDS = frozenset({"news", "education", "publications", "experience", "awards", "talks", "press",
                              "projects"})
# Kinds written unit by unit (a paragraph, a service group): a run fits only if each of its units fits alone
# and all are written in the same styles, since each is written on its own, in the run's styles.
_UNIT_BY_UNIT_KINDS = frozenset({"text", "service"})
_RUN_STYLES = ("strong", "emphasis", "link")  # the page styles a text or service unit is written in

Signature = dict[str, frozenset[Any]]  # each style or section setting → the values seen for it


@dataclass
class RunFinder:
    """The longest run of units from a given unit that reads as a typed section: what trying every run, from the
    longest down and every kind for each, finds, and the reason the last run tried did not fit. But only runs
    that can fit are read, so a chunk costs time linear in its size instead of cubic (runs × their length):
    a run of one-block kinds is one unit, of interests at most two, and of text and service units as far as
    each unit fits alone in the styles of the first."""

    chunk: Chunk
    kinds: tuple[str, ...]
    lines: list[str]
    owner: str | None
    title: str | None
    stars: PageStars
    last_failure: Candidate | str | None = None  # the run tried last that did not fit, or its reason
    tried: dict[Candidate, Piece | str] = field(default_factory=dict)  # the runs read from the current start
    alone: dict[tuple[str, int], Signature | None] = field(default_factory=dict)  # a unit read alone, by kind

    def longest(self, start: int, carries: bool) -> tuple[Piece, int] | None:
        """The piece read from the longest run from `start` that fits (the first kind in order), and its end."""
        if not self.kinds:
            return None
        self.tried = {}
        bounds = {kind: self.bound(kind, start, carries) for kind in self.kinds}
        for end in range(max(bounds.values()), start, -1):
            for number, kind in enumerate(self.kinds):
                if end <= bounds[kind] and isinstance(piece := self.read(Candidate(kind, start, end, carries)), Piece):
                    # The run the full search would have tried just before this one.
                    if number:
                        self.note_failure(Candidate(self.kinds[number - 1], start, end, carries))
                    elif end < len(self.chunk.units):
                        self.note_failure(Candidate(self.kinds[-1], start, end + 1, carries))
                    return piece, end
        self.note_failure(Candidate(self.kinds[-1], start, start + 1, carries))
        return None

    def bound(self, kind: str, start: int, carries: bool) -> int:
        """The end of the longest run from `start` that may fit as `kind`: the runs beyond it do not fit. (The
        runs up to it usually do; one that does not is passed over by reading the next shorter one, as before.)"""
        if kind in _ONE_BLOCK_KINDS:
            return start + 1
        if kind == "interests":  # a lead-in paragraph and a list
            return min(start + 2, len(self.chunk.units))
        if kind not in _UNIT_BY_UNIT_KINDS:
            return len(self.chunk.units)
        first = self.read(Candidate(kind, start, start + 1, carries))
        if not isinstance(first, Piece):
            return start + 1
        signature = _signature(first)
        end = start + 1
        while end < len(self.chunk.units):
            alone = self.alone_signature(kind, end)
            merged = _merged(signature, alone) if alone is not None else None
            if merged is None:
                break
            signature, end = merged, end + 1
        return end

    def alone_signature(self, kind: str, position: int) -> Signature | None:
        """The signature of one unit read alone as `kind` (without the heading), or None when it does not fit."""
        if (kind, position) not in self.alone:
            piece = self.fit(Candidate(kind, position, position + 1, False))
            self.alone[kind, position] = _signature(piece) if isinstance(piece, Piece) else None
        return self.alone[kind, position]

    def read(self, candidate: Candidate) -> Piece | str:
        """The piece a run reads as, or why it does not fit (read once per start)."""
        if candidate not in self.tried:
            self.tried[candidate] = self.fit(candidate)
        return self.tried[candidate]

    def fit(self, candidate: Candidate) -> Piece | str:
        """Read a run as a kind: the piece, or why it does not fit."""
        units = self.chunk.units[candidate.start : candidate.end]
        first_line = self.chunk.start if candidate.carries else units[0].start
        source = "\n".join(self.lines[first_line : units[-1].end])
        return _typed_piece(candidate.kind, units, self.lines, self.stars, self.owner,
                            self.title if candidate.carries else None, self.chunk.heading_form, source)

    def note_failure(self, candidate: Candidate) -> None:
        """Remember the last run tried that did not fit; its reason is found only if a warning needs it."""
        reason = self.tried.get(candidate)
        self.last_failure = reason if isinstance(reason, str) else candidate

    def last_reason(self) -> str | None:
        """Why the last run tried did not fit."""
        if isinstance(self.last_failure, Candidate):
            reason = self.fit(self.last_failure)
            self.last_failure = reason if isinstance(reason, str) else None
        return self.last_failure


def _signature(piece: Piece) -> Signature:
    """The styles a piece is written in and the section settings its parser saw (a numbered list's `{n}.` and
    `1.` alike: a list of ones reads as either)."""
    seen = piece.styles.seen if piece.styles is not None else {}
    signature = {key: frozenset(normalize_page(value) if key == "link" else value for value in seen.get(key, ()))
                 for key in _RUN_STYLES}
    for key, value in piece.settings.items():
        signature[f"setting {key}"] = frozenset({value.replace("{n}", "1") if key == "bullet_symbol" else value})
    return signature


def _merged(first: Signature, second: Signature) -> Signature | None:
    """Two signatures as one, or None when they differ in a style or setting (a run holding both cannot fit)."""
    merged = {key: first.get(key, frozenset()) | second.get(key, frozenset()) for key in first.keys() | second.keys()}
    return None if any(len(values) > 1 for values in merged.values()) else merged


def _describe(units: list[Unit], reason: str | None) -> str:
    """What a run of units kept raw is, for a warning."""
    first = units[0].tokens[0] if units[0].tokens else None
    if first is not None and first.type == "html_block":
        return "an HTML comment" if first.content.lstrip().startswith("<!--") else "a block of HTML"
    if any("{%" in token.content or "{{" in token.content for unit in units for token in unit.tokens):
        return "Liquid"
    if first is not None and first.type == "table_open":
        return "a table"
    return f"text that does not fit cvgen's fields ({reason})" if reason else "text that does not fit cvgen's fields"


def _title(chunk: Chunk) -> str | None:
    """The heading as markup, or None when cvgen could not write it back the same way."""
    if chunk.heading is None:
        return None
    try:
        lines = inline_lines(chunk.heading, StyleCollector())
        return markup_of(lines[0], StyleCollector()) if len(lines) == 1 and lines[0] else None
    except Unsupported:
        return None


def _typed_piece(kind: str, units: list[Unit], lines: list[str], stars: PageStars, owner: str | None,
                 title: str | None, heading_form: str, source: str) -> Piece | str:
    """Units read as a section kind: the piece, or why they do not fit."""
    styles = StyleCollector()
    body = Body([token for unit in units for token in unit.tokens], lines, stars)
    try:
        section = SECTION_PARSERS[kind](body, styles, owner)
    except Unsupported as reason:
        return str(reason)
    except ValidationError as error:  # a value the model refuses, such as a date in another language
        return str(error.errors()[0]["msg"]).removeprefix("Value error, ")
    if title is not None:
        section.title = title
        section.homepage.heading = heading_form
    piece = Piece(section, source, 0, styles, settings=body.settings)
    if not writes_back(piece, _homepage({}, styles, "\n"), owner):
        return "cvgen would write it differently"
    return piece


def _raw_piece(markdown: str, line: int, title: str | None, chunk: Chunk, heading_source: str | None) -> Piece:
    if title is not None and heading_source is not None:
        section = RawSection(kind="raw", title=title, markdown=markdown.strip("\n") + "\n",
                             homepage=SectionPage(heading=chunk.heading_form))
        source = heading_source + ("\n\n" if chunk.heading_form.endswith("\n") else "\n") + markdown
        piece = Piece(section, source, line, None, heading_source)
        if writes_back(piece, Homepage(), None):
            return piece
    source = "\n\n".join(part for part in (heading_source, markdown) if part)
    return Piece(RawSection(kind="raw", markdown=source.strip("\n") + "\n"), source, line, None)


def writes_back(piece: Piece, homepage: Homepage, owner: str | None) -> bool:
    """Whether cvgen writes this section as it stands on the page."""
    probe = CV(name=owner or "", homepage=homepage, sections=[])
    return normalize_page(render_section(probe, piece.section)) == normalize_page(piece.source)


def _opening_text(body: Body, styles: StyleCollector, owner: str | None) -> TextSection:
    """Paragraphs of prose."""
    paragraphs = []
    for block in _blocks(body.tokens):
        if block[0].type != "paragraph_open":
            raise Unsupported(f"{block[0].type.replace('_open', '').replace('_', ' ')} in the text")
        lines = inline_lines(block[1], styles)
        if len(lines) != 1:
            raise Unsupported("a line break in the text")
        paragraphs.append(markup_of(strip_line(lines[0]), styles))
    if not paragraphs:
        raise Unsupported("no text")
    return TextSection(kind="text", paragraphs=paragraphs)


def _interests(body: Body, styles: StyleCollector, owner: str | None) -> InterestsSection:
    """An optional lead-in line and a list."""
    tokens = body.tokens
    intro = None
    if tokens and tokens[0].type == "paragraph_open":
        lines = inline_lines(tokens[1], styles)
        if len(lines) != 1:
            raise Unsupported("a line break in the lead-in")
        intro = markup_of(strip_line(lines[0]), styles)
        body = Body(tokens[3:], body.lines, body.stars, body.settings)
    items, loose = single_list(body)
    if loose:
        raise Unsupported("a loose list of interests")
    return InterestsSection(kind="interests", intro=intro, items=[
        markup_of(single_line(item, styles), styles) for item in items], homepage=section_page(body, []))


_NEWS_DATE = re.compile(
    r"^\s*((?:[A-Z][a-z]{2,8}\.?\s+(?:\d{1,2},\s+)?\d{4})|(?:\d{4}[-.]\d{1,2}(?:[-.]\d{1,2})?)|\d{4})"
    r"([ \t]*[-–—:|][ \t]*|[^\w\s]*[ \t]+)"
)


def _news(body: Body, styles: StyleCollector, owner: str | None) -> NewsSection:
    """Dated lines in one paragraph, or dated list items."""
    tokens = body.tokens
    listed = bool(tokens) and tokens[0].type in ("bullet_list_open", "ordered_list_open")
    if listed:
        items_found, _ = single_list(body)
        lines = [single_line(item, styles) for item in items_found]
    elif len(tokens) == 3 and tokens[0].type == "paragraph_open":
        lines = [strip_line(line) for line in inline_lines(tokens[1], styles)]
    else:
        raise Unsupported("news is neither one paragraph of dated lines nor a list")
    items = []
    wrappers: set[str] = set()
    separators: set[str] = set()
    for line in lines:
        date, wrapper, separator, rest = _dated_line(line, styles)
        wrappers.add(wrapper)
        separators.add(separator)
        items.append(NewsItem(date=date, text=markup_of(strip_line(rest), styles, highlight=True)))
    if len(separators) != 1 or len(wrappers) != 1:
        raise Unsupported("news lines write their dates in different ways")
    return NewsSection(kind="news", items=items, homepage=section_page(
        body, [item.date for item in items], separator=separators.pop(), date_wrapper=wrappers.pop(),
        listed=listed))


def _dated_line(line: Line, styles: StyleCollector) -> tuple[str, str, str, Line]:
    """Split 'Jan. 2020. Text' or '**[2020.01]**: Text' into the date, its wrapper, the separator and the text."""
    if not line:
        raise Unsupported("an empty news line")
    if isinstance(line[0], Text):
        match = _NEWS_DATE.match(line[0].text)
        bracket = re.match(r"^\[([^\[\]]+)\]([ \t]*[-–—:|]?[ \t]*)", line[0].text)
        if bracket and is_date(bracket.group(1)) and len(line[0].text) > bracket.end():
            return bracket.group(1), "[{text}]", bracket.group(2), [Text(line[0].text[bracket.end():]), *line[1:]]
        if match:
            return match.group(1), "{text}", match.group(2), [Text(line[0].text[match.end():]), *line[1:]]
        raise Unsupported(f"a news line that does not start with a date: {plain_text(line)[:40]!r}")
    if len(line) < 2 or not isinstance(line[1], Text):
        raise Unsupported("a news line whose date is not followed by text")
    wrapper, inner = wrapper_of(line[0], styles)
    date = plain_text(inner)
    bracketed = re.fullmatch(r"\[([^\[\]]+)\]", date)
    if bracketed:
        date, wrapper = bracketed.group(1), wrapper.replace("{text}", "[{text}]")
    if not all(isinstance(span, Text) for span in inner) or not is_date(date):
        raise Unsupported(f"a news line that does not start with a date: {plain_text(line)[:40]!r}")
    separator = re.match(r"^[ \t]*[-–—:|][ \t]*|^[^\w\s]*[ \t]+", line[1].text)
    if not separator:
        raise Unsupported("a news date not followed by a separator")
    return date, wrapper, separator.group(0), [Text(line[1].text[separator.end():]), *line[2:]]


_PERIOD_SEPARATOR = re.compile(r"(?<!\s)(?:\s*[-–—]\s*|\s+to\s+)")


def _period(text: str) -> tuple[str | None, str | None, str] | None:
    """Split 'Mar. 2018 - Present' into start, end and the separator, when both are dates."""
    text = text.strip()
    split = _split_period(text)
    if split and is_date(split[0]) and is_date(split[2]):
        return split[0], split[2], split[1]
    return (text, None, " - ") if is_date(text) else None


def _split_period(text: str) -> tuple[str, str, str] | None:
    r"""Stripped text split into start, separator and end as `^(.+?)(\s*[-–—]\s*|\s+to\s+)(.+)$` splits it, in
    linear time: that regular expression tries every start, each scanning the rest of a run of spaces.

    The start is the shortest that works and holds no line break, the end holds none either, and a separator
    never starts after white space (one that works there works one character earlier)."""
    first_break = text.find("\n") if "\n" in text else len(text)
    last_break = text.rfind("\n")
    position = 1
    while (separator := _PERIOD_SEPARATOR.search(text, position)) and separator.start() <= first_break:
        if last_break < separator.end() < len(text):
            return text[: separator.start()], separator.group(0), text[separator.end():]
        position = separator.start() + 1
    return None


def _education(body: Body, styles: StyleCollector, owner: str | None) -> EducationSection:
    """Degrees: '**Ph.D.** in Field, Institution, Location, Start - End'."""
    items, loose = single_list(body)
    degrees = []
    wrappers: set[str] = set()
    separators: set[str] = set()
    for item in items:
        line = single_line(item, styles)
        if not line or not isinstance(line[0], Strong):
            raise Unsupported("a degree that does not start in bold")
        degree = markup_of(line[:1], styles)
        parts = split_line(line[1:], ", ")
        field_markup = None
        if parts and parts[0]:
            head = strip_line(parts[0])
            if not isinstance(head[0], Text) or not head[0].text.startswith("in ") \
                    or not all(is_plain(span) for span in head):
                raise Unsupported("a degree without 'in <field>'")
            field_markup = markup_of(strip_line([Text(head[0].text[3:]), *head[1:]]), styles)
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
        period = _period(plain_text(date_part)) if all(isinstance(span, Text) for span in date_part) else None
        if period is None:
            raise Unsupported("a degree whose dates cvgen cannot read")
        start, end, separator = period
        wrappers.add(wrapper)
        separators.add(separator)
        degrees.append(Degree(degree=degree, field=field_markup, institution=institution, location=location,
                              start=start, end=end))
    if len(wrappers) > 1 or len(separators) > 1:
        raise Unsupported("degrees written in different styles")
    dates = [date for degree in degrees for date in (degree.start, degree.end)]
    return EducationSection(kind="education", items=degrees, homepage=section_page(
        body, dates, loose=loose, date_wrapper=wrappers.pop() if wrappers else "{text}",
        range_separator=separators.pop() if separators else " - "))


def _publications(body: Body, styles: StyleCollector, owner: str | None) -> PublicationsSection:
    """Papers: a title line, an optional line of [links], the authors and the venue line."""
    items, loose = single_list(body)
    papers = []
    link_separators: set[str] = set()
    for item in items:
        if item.children:
            raise Unsupported("a publication with a nested list")
        lines = item_lines(item, styles)
        if len(lines[0]) != 1:
            raise Unsupported("a publication whose first line is not its title")
        title_wrapper, title_line = wrapper_of(lines[0][0], styles)
        styles.see("paper_title", title_wrapper)
        rest = lines[1:]
        links: list[dict[str, str]] = []
        if rest and rest[0] and all(isinstance(span, Link) or (isinstance(span, Text) and not span.text.strip())
                                    for span in rest[0]):
            for span in rest[0]:
                if isinstance(span, Link):
                    label: Line = list(span.children)
                    # Brackets written as `&#91;` `&#93;` are the label's own; the ones in the text enclose it.
                    if not (label and all(is_plain(part) for part in label) and isinstance(label[0], Text)
                            and isinstance(label[-1], Text) and label[0].text.startswith("[")
                            and label[-1].text.endswith("]") and plain_text(label) != "["):
                        raise Unsupported("a link whose label is not in [brackets]")
                    inner: Line = merge_text([Text(label[0].text[1:]), *label[1:]])
                    inner = [*inner[:-1], Text(inner[-1].text[:-1])] if inner else inner
                    links.append({"label": markup_of(inner, styles), "url": span.url})
                else:
                    link_separators.add(span.text)
            rest = rest[1:]
        if not rest or len(rest) > 2:
            raise Unsupported("a publication without an author line, or with extra lines")
        authors = _authors(rest[0], styles, body, owner)
        venue_fields = _venue(rest[1], styles) if len(rest) == 2 else {}
        papers.append(Publication.model_validate(
            {"title": markup_of(title_line, styles), "authors": authors, "links": links, **venue_fields}))
    if len(link_separators) > 1:
        raise Unsupported("links separated in different ways")
    settings: dict[str, Any] = {"link_separator": link_separators.pop()} if link_separators else {}
    return PublicationsSection(kind="publications", items=papers, homepage=section_page(
        body, [paper.year for paper in papers], loose=loose, **settings))


def _authors(line: Line, styles: StyleCollector, body: Body, owner: str | None) -> list[str]:
    line, legend = text_at_end(line, _SPACES_BEFORE + r"\(\*\s*:\s*equal contribution\)")
    if legend:
        styles.see("equal_legend", f"({body.stars.legend}: equal contribution)")
    authors: list[str] = []
    for part in split_line(line, ","):
        part = strip_line(part)
        if not part:
            raise Unsupported("an empty author")
        equal = False
        mark: str | None = None
        if not all(is_plain(span) for span in part):
            if isinstance(part[-1], Html) and part[-1].open.lower() == "<sup>" and len(part) > 1:
                mark = f"{part[-1].open}{plain_text(part[-1].children)}{part[-1].close}"
                part = part[:-1]
            elif isinstance(part[-1], Text) and part[-1].text.endswith("*") and len(part) > 1:
                mark = body.stars.mark
                part = [*part[:-1], *([Text(part[-1].text[:-1])] if part[-1].text[:-1] else [])]
        if all(is_plain(span) for span in part):
            # A star written as `&#42;` is part of the name; only a star in the text is the mark.
            if mark is None and isinstance(part[-1], Text) and part[-1].text.endswith("*"):
                mark = body.stars.mark
                part = [*part[:-1], Text(part[-1].text[:-1])]
            name = plain_text(part)
        else:
            if len(part) != 1:
                raise Unsupported(f"an author written with formatting: {plain_text(part)!r}")
            wrapper, inner = wrapper_of(part[0], styles)
            name = plain_text(inner)
            if not all(is_plain(span) for span in inner) or (owner and name.rstrip("*").strip() != owner):
                raise Unsupported(f"an author written with formatting: {plain_text(part)!r}")
            styles.see("owner", wrapper)
            if inner and isinstance(inner[-1], Text) and inner[-1].text.endswith("*"):
                styles.see("owner_mark_inside", True)
                equal, name = True, name[:-1]
            elif mark is not None:
                styles.see("owner_mark_inside", False)
        if mark is not None:
            equal = True
            styles.see("equal_mark", mark)
        name = name.strip()
        if not name:
            raise Unsupported("an empty author")
        written = written_author(name, "*" if equal else "")
        read_back = Publication(title="-", authors=[written]).author_list()[0]
        if (read_back.name, read_back.equal, read_back.marks) != (name, equal, "*" if equal else ""):
            raise Unsupported(f"an author the YAML cannot write: {name!r}")  # a mark after a backslash
        authors.append(written)
    if not legend and any(author.endswith("*") and not author.endswith("\\*") for author in authors):
        styles.see("equal_legend", "")
    return authors


def _venue(line: Line, styles: StyleCollector) -> dict[str, str]:
    fields: dict[str, str] = {}
    line, note = text_at_end(line, _SPACES_BEFORE + r"\(([^()]*(?:\([^()]*\)[^()]*)*)\)")
    if note:
        fields["note"] = to_markup([Text(note.group(1))])
    line = strip_line(line)
    before_award, comma = text_at_end(line[:-1], r",\s*")
    if line and isinstance(line[-1], (Html, Emphasis)) and comma:
        wrapper, inner = wrapper_of(line[-1], styles)
        styles.see("award", wrapper)
        fields["award"] = markup_of(inner, styles)
        line = before_award
    line = strip_line(line)
    line, year = text_at_end(line, _SPACES_BEFORE + r"(\d{4})")
    if year:
        fields["year"] = year.group(1)
    line = strip_line(line)
    if line:
        if len(line) != 1 or is_plain(line[0]):
            raise Unsupported("a venue cvgen cannot read")
        wrapper, inner = wrapper_of(line[0], styles)
        styles.see("venue", wrapper)
        fields["venue"] = markup_of(inner, styles)
    return fields


def _experience(body: Body, styles: StyleCollector, owner: str | None) -> ExperienceSection:
    """Positions (and teaching): 'Role, Organization, Location (Start - End)'."""
    items, loose = single_list(body)
    positions = []
    separators: set[str] = set()
    for item in items:
        line = single_line(item, styles)
        line, period_match = text_at_end(line, _SPACES_BEFORE + r"\(([^()]+)\)")
        parts = split_line(line, ", ")
        if len(parts) < 2:
            raise Unsupported("a position without role and organization")
        if _period(plain_text(parts[0])) is not None:
            raise Unsupported("a position that starts with its dates")
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
    dates = [date for position in positions for date in (position.start, position.end)]
    return ExperienceSection(kind="experience", items=positions, homepage=section_page(
        body, dates, loose=loose, range_separator=separators.pop() if separators else " - "))


def _awards(body: Body, styles: StyleCollector, owner: str | None) -> AwardsSection:
    """Awards: 'Title (detail; date)', optionally as one link."""
    items, loose = single_list(body)
    awards = []
    date_first: set[tuple[str, str] | None] = set()
    for item in items:
        line = single_line(item, styles)
        try:
            awarded, wrapper, separator, line = _dated_line(line, styles)
            date_first.add((wrapper, separator))
            awards.append(Award(title=markup_of(strip_line(line), styles), date=awarded))
            continue
        except Unsupported:
            date_first.add(None)
        url = None
        if len(line) == 1 and isinstance(line[0], Link):
            url = line[0].url
            line = list(line[0].children)
        line, details = text_at_end(line, _SPACES_BEFORE + r"\(([^()]+)\)")
        detail: str | None = None
        date: str | None = None
        if details:
            parts = details.group(1).rsplit("; ", 1)
            if is_date(parts[-1]):
                date = parts[-1]
                detail = parts[0] if len(parts) == 2 else None
            else:
                detail = details.group(1)
        awards.append(Award(title=markup_of(strip_line(line), styles),
                            detail=to_markup([Text(detail)]) if detail else None, date=date, url=url))
    if len(date_first) > 1:
        raise Unsupported("awards written in different styles")
    first = date_first.pop() if date_first else None
    settings = {"date_first": True, "date_wrapper": first[0], "separator": first[1]} if first else {}
    return AwardsSection(kind="awards", items=awards, homepage=section_page(
        body, [award.date for award in awards], loose=loose, **settings))


def _talks(body: Body, styles: StyleCollector, owner: str | None) -> TalksSection:
    """Talks: a bold title line, then the venues as a nested list."""
    items, loose = single_list(body)
    talks = []
    quoted: set[bool] = set()
    prefixes: set[str] = set()
    for item in items:
        lines = item_lines(item, styles)
        if len(lines) > 2 or (len(lines) == 2 and lines[1]) or len(lines[0]) != 1 \
                or not isinstance(lines[0][0], Strong):
            raise Unsupported("a talk whose first line is not its bold title")
        title_line = list(lines[0][0].children)
        title_text = plain_text(title_line)
        is_quoted = title_text.startswith('"') and title_text.endswith('"') and len(title_text) > 1
        quoted.add(is_quoted)
        if is_quoted:
            title_line = strip_quotes(title_line)
        venues = []
        for child in item.children:
            line = single_line(child, styles)
            if line and isinstance(line[0], Text) and (prefix := re.match(r"^(@\s*|at\s+)", line[0].text)):
                prefixes.add(prefix.group(1))
                line = [Text(line[0].text[prefix.end():]), *line[1:]]
            else:
                prefixes.add("")
            line, date_match = text_at_end(merge_text(line), r",\s*([^,]+)")
            date = None
            if date_match:
                if is_date(date_match.group(1)):
                    date = date_match.group(1)
                else:
                    line = [*line, Text(date_match.group(0))]
            venues.append(TalkVenue(venue=markup_of(merge_text(line), styles), date=date))
        talks.append(Talk(title=markup_of(title_line, styles), venues=venues))
    if len(quoted) > 1 or len(prefixes) > 1:
        raise Unsupported("talks written in different styles")
    dates = [venue.date for talk in talks for venue in talk.venues]
    return TalksSection(kind="talks", items=talks, homepage=section_page(
        body, dates, loose=loose, quoted_titles=quoted.pop() if quoted else False,
        prefix=prefixes.pop() if prefixes else ""))


def strip_quotes(line: Line) -> Line:
    """A line without the double quotes around it."""
    first, last = line[0], line[-1]
    if not (isinstance(first, Text) and isinstance(last, Text)):
        raise Unsupported("a quoted title with formatting at its ends")
    if first is last:
        return [Text(first.text[1:-1])]
    return [Text(first.text[1:]), *line[1:-1], Text(last.text[:-1])]


def _press(body: Body, styles: StyleCollector, owner: str | None) -> PressSection:
    """Press articles: 'Title, Outlet, Date', the title optionally a link."""
    items, loose = single_list(body)
    articles = []
    for item in items:
        line = single_line(item, styles)
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
            if is_date(date_match.group(1)):
                date = date_match.group(1)
            else:
                rest = [*rest, Text(date_match.group(0))]
        outlet = None
        rest = merge_text(rest)
        if rest:
            if not isinstance(rest[0], Text) or not rest[0].text.startswith(", "):
                raise Unsupported("an article whose outlet cvgen cannot read")
            outlet = markup_of(strip_line([Text(rest[0].text[2:]), *rest[1:]]), styles)
        articles.append(Article(title=markup_of(title_line, styles), url=url, outlet=outlet, date=date))
    return PressSection(kind="press", items=articles, homepage=section_page(
        body, [article.date for article in articles], loose=loose))


def _service(body: Body, styles: StyleCollector, owner: str | None) -> ServiceSection:
    """Service: groups (an optional bold title line and a list) of 'Venue (**ACRONYM**) years'."""
    tokens = body.tokens
    groups = []
    index = 0
    while index < len(tokens):
        title = None
        if tokens[index].type == "paragraph_open":
            lines = inline_lines(tokens[index + 1], styles)
            if len(lines) != 1 or len(lines[0]) != 1 or not isinstance(lines[0][0], Strong):
                raise Unsupported("a service group whose title is not one bold line")
            title = markup_of(list(lines[0][0].children), styles)
            index += 3
        items, index = list_items(body, index)
        groups.append(ServiceGroup(title=title, entries=[_service_entry(single_line(item, styles), styles)
                                                         for item in items]))
    if not groups:
        raise Unsupported("no service entries")
    return ServiceSection(kind="service", groups=groups, homepage=section_page(body, []))


def _service_entry(line: Line, styles: StyleCollector) -> ServiceEntry:
    for index, span in enumerate(line):
        if isinstance(span, Strong) and index > 0:
            before, after = line[index - 1], line[index + 1] if index + 1 < len(line) else None
            if isinstance(before, Text) and before.text.endswith(" (") and isinstance(after, Text) \
                    and after.text.startswith(")"):
                venue = markup_of(strip_line([*line[: index - 1], Text(before.text[:-2])]), styles)
                short = markup_of(list(span.children), styles)
                years_text = after.text[1:] + plain_text(line[index + 2:])
                if line[index + 2:]:
                    raise Unsupported("formatting after a service entry's years")
                years = [year.strip() for year in years_text.split(",")] if years_text.strip() else []
                if years and not years_text.startswith(" "):
                    raise Unsupported("service years not after a space")
                return ServiceEntry(venue=venue, short=short, years=years)
    raise Unsupported("a service entry without '(**ACRONYM**)'")


def _projects(body: Body, styles: StyleCollector, owner: str | None) -> ProjectsSection:
    """Projects: 'Title, Sponsor, Start-End'."""
    items, loose = single_list(body)
    projects = []
    separators: set[str] = set()
    for item in items:
        line = single_line(item, styles)
        parts = split_line(line, ", ")
        start = end = None
        if len(parts) > 1:
            period = _period(plain_text(parts[-1])) if all(isinstance(s, Text) for s in parts[-1]) else None
            if period:
                start, end, separator = period
                separators.add(separator)
                parts = parts[:-1]
        title = markup_of(strip_line(parts[0]), styles)
        sponsor = markup_of(strip_line(_join(parts[1:])), styles) if len(parts) > 1 else None
        projects.append(Project(title=title, sponsor=sponsor, start=start, end=end))
    if len(separators) > 1:
        raise Unsupported("periods written in different styles")
    dates = [date for project in projects for date in (project.start, project.end)]
    return ProjectsSection(kind="projects", items=projects, homepage=section_page(
        body, dates, loose=loose, range_separator=separators.pop() if separators else " - "))


SECTION_PARSERS: dict[str, Callable[[Body, StyleCollector, str | None], Any]] = {
    "text": _opening_text,
    "interests": _interests,
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


# --- the page's style and the final check ------------------------------------------------------------------

# Settings read from the page and where each lands on the Homepage model.
_PAGE_SETTINGS = ("line_break", "owner", "venue", "award", "highlight", "equal_mark", "owner_mark_inside",
                  "equal_legend", "paper_title", "emphasis", "strong")


def _homepage(front_matter: dict[str, Any], styles: StyleCollector, line_ending: str) -> Homepage:
    values: dict[str, Any] = {}
    for key in _PAGE_SETTINGS:
        value = styles.choice(key)
        if value is not None:
            values[key] = value
    values.update(link_settings(styles.choice("link")))
    if line_ending != "\n":
        values["line_ending"] = line_ending
    return Homepage(front_matter=front_matter, **values)


_STYLED_ANCHOR = re.compile(r'<a href="\{url\}" style="([^"{}]*)">\{text\}</a>')


def link_settings(template: str | None) -> dict[str, str]:
    """Homepage settings for a link template: Markdown links are the default, a styled anchor a link_style."""
    if template is None or template == MARKDOWN_LINK:
        return {}
    styled = _STYLED_ANCHOR.fullmatch(template)
    return {"link_style": styled.group(1)} if styled else {"link_template": template}


def _page_link(homepage: Homepage) -> str:
    if homepage.link_template is not None:
        return homepage.link_template
    if homepage.link_style is not None:
        return f'<a href="{{url}}" style="{homepage.link_style}">{{text}}</a>'
    return MARKDOWN_LINK


def _final_sections(pieces: list[Piece], homepage: Homepage, owner: str | None,
                    warnings: list[Problem]) -> list[Section]:
    """Fit each typed section to the page-wide settings (with its own line break and link form where they
    differ), check it once more, and merge neighbouring raw text."""
    sections: list[Section] = []
    for piece in pieces:
        section = piece.section
        if piece.styles is not None:
            line_break = piece.styles.choice("line_break")
            if line_break is not None and line_break != homepage.line_break:
                section.homepage.line_break = line_break
            link = piece.styles.choice("link")
            if link is not None and normalize_page(link) != normalize_page(_page_link(homepage)):
                section.homepage.link_template = link
            if not writes_back(piece, homepage, owner):
                title = section.title
                warnings.append(Problem(f"section {title or 'opening text'!r} is kept as raw Markdown: its style "
                                        "differs from the rest of the page", piece.line))
                piece.reason = "its style differs from the rest of the page"
                body = piece.source
                if piece.heading_source is not None:
                    body = piece.source[len(piece.heading_source):]
                chunk = Chunk(None, section.homepage.heading, 0, 0, [])
                section = _raw_piece(body.strip("\n"), piece.line, title, chunk, piece.heading_source).section
        piece.section = section
        sections.append(section)
    return _merge_raw_neighbours(sections)


def _merge_raw_neighbours(sections: list[Section]) -> list[Section]:
    """Each untitled raw section merged into the raw section before it, a blank line between."""
    merged: list[Section] = []
    runs: list[list[str]] = []  # for each merged section, the Markdown of the raw sections merged into it
    for section in sections:
        if isinstance(section, RawSection) and merged and isinstance(merged[-1], RawSection) \
                and section.title is None:
            runs[-1].append(section.markdown)
            continue
        merged.append(section)
        runs.append([section.markdown] if isinstance(section, RawSection) else [])
    return [section.model_copy(update={"markdown": _joined_raw(run)}) if len(run) > 1 else section
            for section, run in zip(merged, runs, strict=True)]


def _joined_raw(markdowns: list[str]) -> str:
    """Raw Markdown joined as `(first.rstrip("\n") + "\n\n" + second).lstrip("\n")` joins it, one after another,
    but in one go (one after another copies the run so far each time: quadratic in a long run of raw sections)."""
    head = "\n\n".join(core for core in (markdown.rstrip("\n") for markdown in markdowns[:-1]) if core)
    return ((head + "\n\n" if head else "") + markdowns[-1]).lstrip("\n")


_BLOCK_START = re.compile(r"\s*(?:[-*+]|\d+[.)])(?:\s|$)|\s*#")  # a line that starts a new block, ending the last


def normalize_page(text: str) -> str:
    """Markdown with insignificant differences removed: line endings, spaces at line ends (a two-space line
    break is kept as two spaces), runs of blank lines, and the spacing and order of CSS declarations."""
    text = re.sub(r'(<[A-Za-z][^<>]*?\sstyle=)"([^"]*)"',
                  lambda match: f'{match.group(1)}"{normalize_css(match.group(2))}"', text)
    lines = text.replace("\r\n", "\n").split("\n")
    kept = []
    for number, line in enumerate(lines):
        stripped = line.rstrip(" \t")
        following = lines[number + 1] if number + 1 < len(lines) else ""
        hard_break = line.endswith("  ") and stripped and following.strip() and not _BLOCK_START.match(following)
        kept.append(stripped + "  " if hard_break else stripped)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip("\n")
