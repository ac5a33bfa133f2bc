"""The fit-and-check step: a chunk cut into the longest runs of units that a section parser reads and cvgen
writes back exactly (else read entry by entry, `cvgen.importers.entries`), the rest kept raw in place; then the
page-wide settings, each typed section fitted to them and checked once more, and neighbouring raw text merged."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from cvgen.errors import Problem
from cvgen.importers.entries import (
    TypedEntries,
    Untyped,
    cut_units,
    paragraph_lines,
    type_generic,
    type_kind,
    type_papers,
)
from cvgen.importers.fields import Owner
from cvgen.importers.homepage.blocks import Chunk, Unit, normalize_page
from cvgen.importers.homepage.entry_kinds import ENTRY_READERS
from cvgen.importers.homepage.inline import StyleCollector, Unsupported, inline_lines, markup_of
from cvgen.importers.homepage.kinds import SECTION_PARSERS
from cvgen.importers.homepage.lists import Body, PageStars
from cvgen.importers.homepage.reader import Reader, homepage_settings, link_settings
from cvgen.model import CV, Homepage, Publication, RawEntry, RawSection, Section, SectionPage
from cvgen.records import ValidationError
from cvgen.renderers.markdown import MARKDOWN_LINK, render_section


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
    group: bool = False  # a sub-heading's section: a group inside the section before it


# --- runs of units, typed or kept raw ----------------------------------------------------------------------


def chunk_pieces(chunk: Chunk, kinds: tuple[str, ...], lines: list[str], owner: Owner, offset: int,
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
    owner: Owner
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


_TAG_OR_SPACE = re.compile(r"<[^<>]*>|\s+")


def _describe(units: list[Unit], reason: str | None) -> str:
    """What a run of units kept raw is, for a warning."""
    first = units[0].tokens[0] if units[0].tokens else None
    if first is not None and first.type == "html_block":
        return "an HTML comment" if first.content.lstrip().startswith("<!--") else "a block of HTML"
    if any("{%" in token.content or "{{" in token.content for unit in units for token in unit.tokens):
        return "Liquid"
    if first is not None and first.type == "table_open":
        return "a table"
    inline = [token.content for unit in units for token in unit.tokens if token.type == "inline"]
    if inline and not any(_TAG_OR_SPACE.sub("", content) for content in inline):
        return "HTML with no text, such as an anchor"  # AcadHomepage's <span class='anchor' id='…'></span>
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


def _typed_piece(kind: str, units: list[Unit], lines: list[str], stars: PageStars, owner: Owner,
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
    if not writes_back(piece, homepage_settings({}, styles, "\n"), owner):
        return "cvgen would write it differently"
    return piece


def _raw_piece(markdown: str, line: int, title: str | None, chunk: Chunk, heading_source: str | None) -> Piece:
    if title is not None and heading_source is not None:
        section = RawSection(kind="raw", title=title, markdown=markdown.strip("\n") + "\n",
                             homepage=SectionPage(heading=chunk.heading_form))
        source = heading_source + ("\n\n" if chunk.heading_form.endswith("\n") else "\n") + markdown
        piece = Piece(section, source, line, None, heading_source)
        if writes_back(piece, Homepage(), Owner()):
            return piece
    source = "\n\n".join(part for part in (heading_source, markdown) if part)
    return Piece(RawSection(kind="raw", markdown=source.strip("\n") + "\n"), source, line, None)


def writes_back(piece: Piece, homepage: Homepage, owner: Owner) -> bool:
    """Whether cvgen writes this section as it stands on the page."""
    probe = CV(name=owner.name or "", name_variants=list(owner.variants), homepage=homepage, sections=[])
    return normalize_page(render_section(probe, piece.section)) == normalize_page(piece.source)


# --- a chunk typed entry by entry --------------------------------------------------------------------------


def entry_piece(chunk: Chunk, lines: list[str], owner: Owner, offset: int, kind: str | None) -> Piece | str | None:
    """A chunk read entry by entry: as its kind's entries (papers, or a list kind's such as degrees), else as
    generic entries, the entries that are not kept raw in place; when no entry is typed, why (the first entry's
    line and reason, for the report); None when the section would not be written back as it stands. Under a
    heading cvgen has no kind for (`kind` None), entries are papers when each paper read lists the owner among
    its authors."""
    title = _title(chunk)
    if (chunk.heading is not None and title is None) or not chunk.units:
        return None
    entries = cut_units([(list(unit.tokens), unit.start, unit.end) for unit in chunk.units], lines)
    papers = kind == "publications"
    line_break = None
    if kind != "news" and not papers:  # news cut their own paragraph; a paper's lines are one paper
        entries, line_break = paragraph_lines(entries)
    reader = Reader()
    as_kind: TypedEntries | Untyped | None = None
    if kind in ENTRY_READERS:
        as_kind = type_kind(entries, kind, reader)
    elif papers or kind is None:
        as_kind = type_papers(entries, owner, reader)
    typed = as_kind if isinstance(as_kind, TypedEntries) and (
        kind is not None or _papers_with_authors(as_kind.section, owner)) else None
    if typed is None or (kind in ENTRY_READERS and typed.raw):  # a list of no papers is still a list of entries
        generic_reader = Reader()
        as_entries = type_generic(entries, generic_reader)
        if isinstance(as_entries, TypedEntries) and (typed is None or (
                len(as_entries.raw) < len(typed.raw) and 2 * len(typed.raw) > _typed_count(typed))):
            # Generic entries type more than the kind's own reading, which types no more than half: the section is
            # of no kind (two awards and a membership "since" a date stay awards, the membership raw).
            typed, reader = as_entries, generic_reader
        elif typed is None:
            untyped = as_kind if kind is not None and isinstance(as_kind, Untyped) else as_entries
            reasons = untyped.reasons if isinstance(untyped, Untyped) else []
            return f"line {offset + reasons[0][0] + 1}: {reasons[0][1]}" if reasons else None
    section = typed.section
    if line_break is not None:  # the lines of one paragraph, each an entry
        section.homepage.lines, section.homepage.line_break = True, line_break
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


def _typed_count(typed: TypedEntries) -> int:
    """How many of a section's entries are typed."""
    return sum(not isinstance(item, RawEntry) for item in getattr(typed.section, "items", []))


def _papers_with_authors(section: Section, owner: Owner) -> bool:
    """Whether the papers read under a heading cvgen has no kind for are papers: each lists the owner among its
    authors (without an owner, two papers or more, each with authors)."""
    papers = [item for item in getattr(section, "items", []) if isinstance(item, Publication)]
    if owner.name is not None:
        return bool(papers) and all(any(owner.is_owner(author.name) for author in paper.author_list())
                                    for paper in papers)
    return len(papers) >= 2 and all(paper.authors for paper in papers)


def _heading_source(chunk: Chunk, lines: list[str]) -> str:
    """A chunk's heading as the page writes it (one line, or two for a setext heading)."""
    return "\n".join(lines[chunk.start : chunk.start + chunk.heading_form.rstrip("\n").count("\n") + 1])


# --- the page's style and the final check ------------------------------------------------------------------

def _page_link(homepage: Homepage) -> str:
    if homepage.link_template is not None:
        return homepage.link_template
    if homepage.link_style is not None:
        return f'<a href="{{url}}" style="{homepage.link_style}">{{text}}</a>'
    return MARKDOWN_LINK


def final_sections(pieces: list[Piece], homepage: Homepage, owner: Owner,
                   warnings: list[Problem]) -> list[Section]:
    """Fit each typed section to the page-wide settings (with its own line break, bold marker and link form
    where they differ), check it once more, and merge neighbouring raw text."""
    sections: list[Section] = []
    for piece in pieces:
        section = piece.section
        if piece.styles is not None:
            for setting in ("line_break", "strong"):  # the section's own where it differs from the page's
                value = piece.styles.choice(setting)
                if value is not None and value != getattr(homepage, setting):
                    setattr(section.homepage, setting, value)
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
        section.group = piece.group and section.title is not None
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


__all__ = [
    "Candidate", "Piece", "RunFinder", "Signature", "chunk_pieces", "entry_piece", "final_sections",
    "homepage_settings", "link_settings", "writes_back",
]
