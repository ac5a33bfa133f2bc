"""The page's owner: the name emphasised in its author lists, else the one its front matter gives."""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

from cvgen.importers.fields import LIST_SEPARATOR, is_person_name
from cvgen.importers.homepage.blocks import Chunk, section_kind

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


def find_owner(chunks: list[Chunk]) -> str | None:
    """The owner's name: the most common underlined or bold name in author lists (in the publications when
    there are any there; never in an award, the news or prose: only lines that are lists of person names)."""
    in_publications: Counter[str] = Counter()
    elsewhere: Counter[str] = Counter()
    for chunk, kind in _with_kinds(chunks):
        if kind not in ("publications", "talks", "projects", None) or chunk.heading is None:
            continue  # awards, news, education… and the opening prose name no authors
        names = in_publications if kind == "publications" else elsewhere
        for unit in chunk.units:
            for token in unit.tokens:
                if token.type in ("inline", "html_block") and LIST_SEPARATOR.search(token.content):
                    names.update(_emphasised_names(token.content, author_lists_only=kind != "publications"))
    names = in_publications or elsewhere
    return names.most_common(1)[0][0] if names else None


def _with_kinds(chunks: list[Chunk]) -> Iterator[tuple[Chunk, str | None]]:
    """Each chunk with the section kind its heading names (under a known heading, a deeper one's is the same),
    or None."""
    parent: tuple[int, str | None] | None = None
    for chunk in chunks:
        kind = None
        if chunk.heading is not None:
            kind = section_kind(chunk.heading.content)
            if kind is None and parent is not None and parent[0] < chunk.level:
                kind = parent[1]  # a sub-heading such as '### 2024'
            else:
                parent = (chunk.level, kind)
        yield chunk, kind


def _emphasised_names(content: str, *, author_lists_only: bool) -> list[str]:
    """The underlined or bold person names between list separators in a token's text, in order; with
    `author_lists_only`, only in the parts of its lines that are lists of person names."""
    names = []
    for line in _segments(content):  # citation lines: title. authors. venue.
        if author_lists_only and not _is_author_list(line):
            continue  # elsewhere, only a line of person names is an author list
        for match in _OWNER_CANDIDATE.finditer(line):
            name = html.unescape(match.group("name")).strip()
            between = match.group(1) + (match.group(3) or "")  # a list separator before or after it
            if LIST_SEPARATOR.search(between) and is_person_name(name):
                names.append(name)
    return names


def front_matter_owner(front_matter: dict[str, Any]) -> str | None:
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


__all__ = ["find_owner", "front_matter_owner"]
