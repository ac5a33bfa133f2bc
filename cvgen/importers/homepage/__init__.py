"""Homepage (academicpages about.md) → CV model, losing nothing.

The page is parsed with markdown-it-py (CommonMark + tables + inline HTML) into chunks, one per heading, and
each chunk into units: top-level blocks not separated by a blank line. Sections are found by their headings
through an alias table (a deeper heading without a known name is a sub-section of the same kind), and each
chunk is cut greedily into the longest runs of units that its kind's section parser reads. Where that leaves
part of a chunk raw, the chunk is also typed entry by entry (`cvgen.importers.entries`, which reads fields
with `fields` and writes them back with `layouts`), and that reading is kept when it types more entries. The
page's own markup (link form, owner markup, venue and award wrappers, line breaks, list markers, date style)
is captured as homepage settings, page-wide by a vote and per section where a section differs.

Every section is checked by writing it back: a section counts as typed only when the Markdown cvgen writes
for it equals its text on the page (after `normalize_page`); otherwise it is kept raw in its place, with a
warning that names its line. So writing the imported CV gives back the page, and importing that gives back
the CV.

The package's modules, in the order a page goes through them:
- `blocks`: front matter, markdown-it's parse, blocks, units and chunks, headings and their section kinds,
  and `normalize_page`;
- `inline`: inline content as lines of spans, and the page styles seen on the way;
- `lists`: what a section parser reads (`Body`), list items and their lines, and a section's list style;
- `owner`: the owner's name, from the page's author lists or its front matter;
- `entry_kinds`: one entry of a one-line list kind (a degree, a position, an award…) read into its fields;
- `reader`: inline Markdown read entry by entry, and the page-wide settings of the styles seen;
- `kinds`: the section parsers, one per kind (`SECTION_PARSERS`);
- `fit`: the fit-and-check step: runs of units typed or kept raw, entry-by-entry typing, the page-wide
  settings and the final check;
- this module: the public API (`import_homepage`, `import_homepage_text`), the orchestration and the report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from cvgen.errors import Problem
from cvgen.importers.fields import Owner
from cvgen.importers.homepage.blocks import Chunk, HeadingKinds, split_chunks, split_front_matter
from cvgen.importers.homepage.fit import Piece, chunk_pieces, entry_piece, final_sections, homepage_settings
from cvgen.importers.homepage.inline import StyleCollector
from cvgen.importers.homepage.kinds import SECTION_PARSERS
from cvgen.importers.homepage.lists import PageStars
from cvgen.importers.homepage.owner import page_owner
from cvgen.model import (
    CV,
    InterestsSection,
    Publication,
    PublicationsSection,
    RawEntry,
    RawSection,
    Section,
    ServiceSection,
    TextSection,
)
from cvgen.textfile import read_text_file


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


def import_homepage(path: Path, name: str | None = None) -> ImportResult:
    """Import a homepage Markdown file; `name` is the owner's, when the page does not say it."""
    return import_homepage_text(read_text_file(path, "homepage"), str(path), name)


def import_homepage_text(text: str, source: str, name: str | None = None) -> ImportResult:
    """Import homepage Markdown text; `source` names it in messages. The owner is the name emphasised in the
    page's author lists, else the one its front matter gives, else `name`, else the one author of every paper
    (at least two) whom the page's own text names too ("Je m'appelle …"), said in a warning."""
    result = _import(text, source, name)
    if result.cv.name:
        return result
    author = _author_of_every_paper(result.cv, text)
    if author is None:
        result.warnings.insert(0, Problem(
            "no owner's name found: no name is bold or underlined in the page's author lists and the front matter "
            "has no `author:`; give it with `cvgen import --name 'Your Name'` (or set `name:` in the YAML): it heads "
            "the LaTeX and PDF CVs and is highlighted in author lists"))
        return result
    found = _import(text, source, author)  # read again: the owner is marked wherever cvgen writes author lists
    found.warnings.insert(0, Problem(
        f"the owner is taken to be {author!r}, the one author of every paper (no name is bold or underlined in the "
        "page's author lists and the front matter has no `author:`); give another with `cvgen import --name`"))
    return found


def _author_of_every_paper(cv: CV, text: str) -> str | None:
    """The one author every typed paper of the CV lists, when there are two papers or more, and the page's text
    names beside them (a co-author on every paper, such as a student's advisor, is not named so)."""
    papers = [item for section in cv.sections if isinstance(section, PublicationsSection)
              for item in section.items if isinstance(item, Publication)]
    if len(papers) < 2:
        return None
    common = set.intersection(*({author.name for author in paper.author_list()} for paper in papers))
    author = common.pop() if len(common) == 1 else None
    return author if author and text.count(author) > len(papers) else None


def _import(text: str, source: str, name: str | None) -> ImportResult:
    """The import with the owner the page, its front matter or `name` gives (see `import_homepage_text`)."""
    line_ending = "\r\n" if "\r\n" in text else "\n"
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    front_matter, body, offset = split_front_matter(text, source)
    lines = body.split("\n")
    chunks = split_chunks(body, lines)
    owner = page_owner(chunks, front_matter, name)
    stars = PageStars.of(body)
    warnings: list[Problem] = []
    pieces: list[Piece] = []
    headings = HeadingKinds()
    for chunk in chunks:
        kind, group = headings.read(chunk)
        kinds = ("text", "interests") if chunk.heading is None else (kind,) if kind in SECTION_PARSERS else ()
        chunk_warnings: list[Problem] = []
        by_run = chunk_pieces(chunk, kinds, lines, owner, offset, chunk_warnings, stars)
        if chunk.heading is not None and any(piece.styles is None for piece in by_run):
            by_run, chunk_warnings = _by_entry(chunk, kind, lines, owner, offset, by_run, chunk_warnings)
        for piece in by_run:
            piece.group = group
        pieces.extend(by_run)
        warnings.extend(chunk_warnings)
    page_styles = StyleCollector()
    for piece in pieces:
        if piece.styles is not None:
            page_styles.merge(piece.styles)
    homepage = homepage_settings(front_matter, page_styles, line_ending)
    sections = final_sections(pieces, homepage, owner, warnings)
    warnings.sort(key=lambda warning: warning.line or 0)
    cv = CV(name=owner.name or "", name_variants=list(owner.variants), homepage=homepage, sections=sections)
    return ImportResult(cv, warnings, _report(pieces))


def _by_entry(chunk: Chunk, kind: str | None, lines: list[str], owner: Owner, offset: int,
              by_run: list[Piece], warnings: list[Problem]) -> tuple[list[Piece], list[Problem]]:
    """A chunk that runs of units leave partly raw (a list kind's always), read entry by entry: that reading and
    its warnings when it types more entries; else the runs, the raw ones saying why no entry was typed either."""
    typed_before = sum(_entry_count(piece.section) for piece in by_run if piece.styles is not None)
    by_entry = entry_piece(chunk, lines, owner, offset, kind)
    if isinstance(by_entry, Piece) and _entry_count(by_entry.section) > typed_before:
        return [by_entry], [Problem(f"in {by_entry.name!r}, an entry is kept as raw Markdown: {reason}", line)
                            for line, reason in by_entry.raw_entries]
    if isinstance(by_entry, str):
        for piece in by_run:
            if piece.styles is None and piece.reason is not None:
                piece.reason += f"; entry by entry, {by_entry}"
    return by_run, warnings


def _entry_count(section: Section) -> int:
    """A typed section's entries: its typed items, its paragraphs, or the entries of its service groups."""
    if isinstance(section, ServiceSection):
        return sum(len(group.entries) for group in section.groups)
    if isinstance(section, (TextSection, InterestsSection)):
        return len(section.paragraphs if isinstance(section, TextSection) else section.items)
    return sum(not isinstance(item, RawEntry) for item in getattr(section, "items", []))


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


__all__ = ["ImportResult", "ReportRow", "import_homepage", "import_homepage_text"]
