"""The page's blocks: its front matter, markdown-it's parse, the top-level blocks, units and chunks (one per
heading), the headings (the section kind each names, and how the page writes it), and `normalize_page`, the
page text with the differences that do not matter removed, against which every section is checked."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from cvgen.errors import InputFileError, Problem
from cvgen.loader import parse_yaml

# --- front matter and parse --------------------------------------------------------------------------------


def markdown_parser() -> MarkdownIt:
    """markdown-it as the importer reads a page: CommonMark, tables, strikethrough and inline HTML."""
    parser = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    parser.disable("text_join")  # keep escapes apart, to tell kramdown's ` \\` line break from text
    parser.normalizeLink = lambda url: url  # type: ignore[method-assign]
    return parser


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


# --- units and chunks --------------------------------------------------------------------------------------


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


def top_level_blocks(tokens: list[Token]) -> list[list[Token]]:
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


def split_chunks(body: str, lines: list[str]) -> list[Chunk]:
    """A page body cut into chunks (the opening text, then one per heading), each into its units."""
    chunks: list[Chunk] = []
    current = Chunk(None, "", 0, 0, [])
    pending: list[list[Token]] = []  # blocks of the unit being built
    for block in top_level_blocks(markdown_parser().parse(body)):
        start = (block[0].map or [0, 0])[0]
        if block[0].type == "heading_open" and not _inside_list_item(pending, start, lines):
            _close_unit(current, pending, start, lines)
            chunks.append(current)
            current = _heading_chunk(block, lines)
            continue
        if pending and _starts_unit(pending, start, lines):
            _close_unit(current, pending, start, lines)
        pending.append(block)
    _close_unit(current, pending, len(lines), lines)
    chunks.append(current)
    for chunk in chunks:
        if not chunk.units:  # a heading right above the next: sections are written a blank line apart anyway
            chunk.heading_form = chunk.heading_form.rstrip("\n")
    return [chunk for chunk in chunks if chunk.heading is not None or chunk.units]


def _heading_chunk(block: list[Token], lines: list[str]) -> Chunk:
    """The chunk a heading block opens, its form ending in a newline when a blank line follows the heading."""
    start, end = block[0].map or [0, 0]
    chunk = Chunk(*_heading(block[0], block[1], lines), int(block[0].tag[1]), start, [])
    if end < len(lines) and not lines[end].strip():
        chunk.heading_form += "\n"
    return chunk


def _starts_unit(pending: list[list[Token]], start: int, lines: list[str]) -> bool:
    """Whether a block on line `start` starts a new unit: a blank line parts it from the pending blocks, or they
    are one HTML comment."""
    previous_start, previous_end = pending[-1][0].map or [0, 0]
    while previous_end > previous_start + 1 and not lines[previous_end - 1].strip():
        previous_end -= 1  # a list's map takes the blank line after it
    separated = start > previous_end and _blank(lines, previous_end, start)
    return separated or (len(pending) == 1 and _is_comment(pending[0]))


def _close_unit(chunk: Chunk, pending: list[list[Token]], next_start: int, lines: list[str]) -> None:
    """Add the pending blocks to a chunk as one unit, up to `next_start` without the blank lines before it."""
    if not pending:
        return
    first = (pending[0][0].map or [0, 0])[0]
    if not chunk.units:
        first = min(first, _first_text_line(lines, chunk))
    end = next_start
    while end > first and not lines[end - 1].strip():
        end -= 1
    chunk.units.append(Unit(tuple(token for block in pending for token in block), first, end))
    pending.clear()


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


# --- headings ----------------------------------------------------------------------------------------------

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
    return markdown_parser().parseInline(content)[0], f"{prefix}{{text}}{suffix}"


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
        "refereed publications", "working papers", "books", "monographs", "edited volumes", "edited books",
        "articles", "selected articles", "peer reviewed articles", "refereed articles",
        "journal articles and chapters", "book chapters", "chapters", "chapters in edited volumes",
        "연구 실적", "논문", "발표 논문", "发表论文", "论文", "学术论文",
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
        # Certificates are written like awards (title, issuer, date).
        "certificates", "certifications", "licenses certifications", "licenses certificates", "자격증", "자격",
        "资格证书", "证书", "資格", "zertifikate", "certificats", "certificaciones",
    ),
    "talks": (
        "talks", "invited talks", "selected talks", "conference talks", "keynotes", "invited lectures",
        "presentations", "selected presentations", "invited presentations", "talks presentations",
        "presentations talks", "talks posters", "발표", "초청 강연", "报告", "学术报告",
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


def fold_heading(text: str) -> str:
    """A heading as the alias table compares it: case, emoji, punctuation, spaces and the word "and" folded."""
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


_ALIAS_INDEX = {fold_heading(alias): kind for kind, aliases in SECTION_ALIASES.items() for alias in aliases}


def section_kind(heading: str) -> str | None:
    """The section kind a heading names, or None: one of its names, or (for awards) only words that name awards
    ('Selected Awards and Honors', 'Prizes & Awards', 'Grants & Funding')."""
    folded = fold_heading(heading)
    kind = _ALIAS_INDEX.get(folded)
    if kind is None and folded and set(folded.split()) <= _AWARD_WORDS and not set(folded.split()) <= _QUALIFIERS:
        return "awards"
    return kind


_QUALIFIERS = frozenset({"selected", "research", "recent", "other", "major", "and"})
_AWARD_WORDS = _QUALIFIERS | frozenset({
    "award", "awards", "honor", "honors", "honour", "honours", "prize", "prizes", "grant", "grants", "funding",
    "fellowship", "fellowships", "scholarship", "scholarships", "distinction", "distinctions", "certificate",
    "certificates", "certification", "certifications", "recognition", "recognitions"})


class HeadingKinds:
    """The section kind of each chunk in page order, and whether its heading is a group of the one above it.

    A deeper heading without a known name under a heading of a known kind takes that kind ('### 2024' under
    '## Publications'). A deeper heading is a group inside the section above when that heading names a kind or
    stands alone above its sub-headings; under a heading of prose ('# About me') it is a section of its own."""

    def __init__(self) -> None:
        self.parent: tuple[int, str] | None = None  # the level and kind of the last known section heading
        self.groups_under: int | None = None  # the level of a heading whose sub-headings are groups

    def read(self, chunk: Chunk) -> tuple[str | None, bool]:
        """The chunk's kind (None for the opening text or a heading cvgen has no kind for) and whether it is a
        group; call once per chunk, in page order."""
        if chunk.heading is None:
            return None, False
        kind = section_kind(chunk.heading.content)
        if kind is not None:
            self.parent = (chunk.level, kind)
        elif self.parent is not None and self.parent[0] < chunk.level:
            kind = self.parent[1]  # a sub-heading such as '### 2024' or '### Journal papers'
        else:
            self.parent = None
        group = self.groups_under is not None and chunk.level > self.groups_under
        if not group:
            self.groups_under = chunk.level if kind is not None or not chunk.units else None
        return kind, group


# --- the page text, normalised -----------------------------------------------------------------------------


def normalize_css(style: str) -> str:
    """CSS declarations with their spacing and order normalised, as the round-trip law allows."""
    declarations = []
    for declaration in style.split(";"):
        if ":" in declaration:
            name, value = declaration.split(":", 1)
            declarations.append(f"{name.strip().lower()}: {' '.join(value.split())}")
    return "; ".join(sorted(declarations)) + (";" if declarations else "")


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


__all__ = ["SECTION_ALIASES", "Chunk", "HeadingKinds", "Unit", "fold_heading", "markdown_parser", "normalize_css",
           "normalize_page", "section_kind", "split_chunks", "split_front_matter", "top_level_blocks"]
