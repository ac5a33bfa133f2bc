"""The page's owner: the name emphasised in its author lists, else the one its front matter gives."""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

from cvgen.importers.fields import LIST_SEPARATOR, Owner, is_person_name
from cvgen.importers.homepage.blocks import Chunk, HeadingKinds

# A span's attributes stop at a comma or line break that starts another candidate (`, <span`): otherwise each of
# many `, <span` scans to the same far '>', quadratic. (A span whose attribute holds `, <span` is read from there.)
# A candidate stands between list separators: a comma, or " and " (author lists without an Oxford comma).
# A name may be written "Surname, I." (APA); a candidate may also open a citation line ("[ICML] **Name**, …").
_AND = r"\s(?:and|und|et|y|e|&)\s"
_OWNER_CANDIDATE = re.compile(
    rf"(^|,\s*|{_AND}\s*|\](?:\*\*|</b>|</strong>)?\s*|:\s+)"
    r"(?:<(?:u|b|strong|U|B)>|\*\*|<span(?:[^>,\n]|[,\n](?!\s*<span))*>\*\*)"
    r"(?P<name>[^<>*,\n]{2,60}?(?:,\s*(?:[A-Z][a-z]?\.[\s-]*){1,3})?)(?:\\?\*|[†‡§¶])*"
    r"(?:</(?:u|b|strong|U|B)>|\*\*|\*\*</span>)(?:\\?\*|[†‡§¶#]|<sup>[^<]*</sup>|\$\^\{?\\?[a-z*]*\}?\$)*"
    rf"(?=\s*(,|$| \\\\|<br|\(|{_AND}|\.(?:\s|$)))",
    re.MULTILINE,
)
# Where a line's parts end: a line break, or a full stop after a word (not after an initial: "J. Doe").
_SENTENCE_END = re.compile(r"\n|(?<=[a-z)\"”’]{2}[.;:])\s+|(?<=[a-z)]{2}\*\*[.;:])\s+")
_LABEL = re.compile(r"^\s*\[[^\[\]]*\]\s*")
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


def page_owner(chunks: list[Chunk], front_matter: dict[str, Any], name: str | None) -> Owner:
    """The owner: the most common underlined or bold name in author lists (in the publications when there are
    any there; never in an award, the news or prose: only lines that are lists of person names), else the front
    matter's, else `name`. Their other spellings are the names a line of author lists emphasises alone (where
    the owner's main name is not emphasised beside them), and the front matter's name."""
    in_publications: list[list[tuple[str, bool]]] = []  # per line part, the names it emphasises: beside a person?
    elsewhere: list[list[tuple[str, bool]]] = []
    for chunk, kind in _with_kinds(chunks):
        if kind not in ("publications", "talks", "projects", None) or chunk.heading is None:
            continue  # awards, news, education… and the opening prose name no authors
        lines = in_publications if kind == "publications" else elsewhere
        for unit in chunk.units:
            for token in unit.tokens:
                if token.type in ("inline", "html_block") and LIST_SEPARATOR.search(token.content):
                    lines += _emphasised_names(token.content, author_lists_only=kind != "publications")
    author_lines = in_publications or elsewhere
    counted = Counter(found for line in author_lines for found, _ in line)
    from_page = front_matter_owner(front_matter)
    main = counted.most_common(1)[0][0] if counted else from_page or (name.strip() if name and name.strip() else None)
    # A variant stands in an author list beside another person's name (not a bold journal: "**Journal**, 12(3)").
    variants = [line[0][0] for line in author_lines if len(line) == 1 and line[0][1] and line[0][0] != main]
    if from_page is not None and from_page != main:
        variants.append(from_page)
    return Owner(main, tuple(dict.fromkeys(variants)))


def _with_kinds(chunks: list[Chunk]) -> Iterator[tuple[Chunk, str | None]]:
    """Each chunk with the section kind its heading names (under a known heading, a deeper one's is the same),
    or None."""
    headings = HeadingKinds()
    for chunk in chunks:
        yield chunk, headings.read(chunk)[0]


def _emphasised_names(content: str, *, author_lists_only: bool) -> list[list[tuple[str, bool]]]:
    """Per line part of a token's text, the underlined or bold person names between list separators, in order,
    each with whether a person's name stands right before or after it; with `author_lists_only`, only in the
    parts that are lists of person names."""
    found = []
    for line in _segments(content):  # citation lines: title. authors. venue.
        if author_lists_only and not _is_author_list(line):
            continue  # elsewhere, only a line of person names is an author list
        names = []
        for match in _OWNER_CANDIDATE.finditer(line):
            name = html.unescape(match.group("name")).strip()
            between = match.group(1) + (match.group(3) or "")  # a list separator before or after it
            if LIST_SEPARATOR.search(between) and is_person_name(name):
                names.append((name, _beside_a_person(line, match)))
        if names:
            found.append(names)
    return found


def _beside_a_person(line: str, match: re.Match[str]) -> bool:
    """Whether the list part right before or right after an emphasised name is a person's name."""
    before = LIST_SEPARATOR.split(_MARKUP.sub("", line[: match.start(0) + len(match.group(1))]))
    after = LIST_SEPARATOR.split(_MARKUP.sub("", line[match.end(0):]))
    # A label before the list is no part of a name ("[D1] Jiho Kim, **Owner**").
    neighbours = [_LABEL.sub("", before[-2]) if len(before) > 1 else "", after[1] if len(after) > 1 else ""]
    # The list ends where a title starts: "Kondo Daichi: 「…」", "Doe. Title".
    return any(is_person_name(re.split(r"[:：「“\"]|\.\s", html.unescape(part))[0].strip().rstrip("*†‡#§¶ "))
               for part in neighbours)


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


__all__ = ["front_matter_owner", "page_owner"]
