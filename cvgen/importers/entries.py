"""Typing at the entry, not the section (issue 11, point 1): a section is cut into its entries (list items and
blocks), each entry is typed by its content (fields.py) and its layout (layouts.py), and an entry that cannot be
typed stays a raw entry in its place, written back verbatim. One odd entry no longer turns a section raw.

The fit-and-check step is here: an entry is typed only when the Markdown writer, filling its layout with the
fields the YAML will hold, gives the entry back exactly; the section is kept only when it is written back whole.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple, Protocol

from markdown_it.token import Token

from cvgen.dates import MONTH_WORD, first_style, is_date, is_present
from cvgen.importers.fields import SITE_PREFIX, Owner, leading_marker, read_paper, trailing_links
from cvgen.importers.layouts import derive, layout_words, links_span, most_common, replace_once, shared
from cvgen.importers.places import place_start
from cvgen.markup import escape_markup
from cvgen.model import (
    CV,
    AwardsSection,
    EducationSection,
    EntriesSection,
    EntryLayout,
    EntryPage,
    ExperienceSection,
    GenericEntry,
    Homepage,
    Link,
    LinksLayout,
    NewsSection,
    PressSection,
    ProjectsSection,
    Publication,
    PublicationsSection,
    RawEntry,
    SectionPage,
    Talk,
    TalksSection,
    written_author,
)
from cvgen.records import ValidationError
from cvgen.renderers import list_kinds
from cvgen.renderers.list_kinds import ListItem
from cvgen.renderers.markdown import LIST_MARKER, PageWriter
from cvgen.slots import PaperFields, braced, fill_slots, open_period, unbraced


@dataclass(frozen=True)
class EntrySource:
    """One entry as the page writes it: its lines verbatim, and for a list item or a paragraph, its own text
    (the marker and the continuation lines' indentation taken off), the lines of a nested list under it, and its
    frame (marker, indentation)."""

    raw: str
    line: int  # the entry's first line in the page body
    text: str | None = None  # None: a block no entry kind reads (HTML, a table, a paragraph beside a list)
    bullet: str | None = None  # the marker's form: "- ", "{n}. ", "1. "; None for a paragraph
    indent: str | None = None  # before the continuation lines; None when there are none
    loose_after: bool = False  # a blank line between this list item and the next item of its list
    details: tuple[str, ...] = ()  # the items of a list nested under the entry, each one line
    detail_form: str | None = None  # how each is written after the entry: "\n  - {text}"
    frame: str | None = None  # a row of an HTML table: the table around its rows, "<table>\n{text}\n</table>"
    line_break: str | None = None  # a line of a paragraph of news: the line break that ends the paragraph's lines


LaidOutKindSection = (NewsSection | EducationSection | ExperienceSection | AwardsSection | TalksSection | PressSection
                      | ProjectsSection)
TypedSection = PublicationsSection | EntriesSection | LaidOutKindSection


@dataclass
class TypedEntries:
    """A section's entries read as one kind: the section, and for each entry kept raw, its line and the reason."""

    section: TypedSection
    raw: list[tuple[int, str]]
    homepage: Homepage  # the page settings its entries were written back with


@dataclass
class Untyped:
    """Why no entry of a section is typed: each entry's first line in the body, and the reason."""

    reasons: list[tuple[int, str]]


class MarkupReader(Protocol):
    """The homepage reader's inline Markdown → cvgen markup, and the page settings of the markup it has read."""

    problem: str | None  # why the last markup that could not be read was not: "inline HTML <b>"

    def markup(self, markdown: str) -> str | None:
        """One line of Markdown as markup; None when cvgen could not write it back the same way."""

    def homepage(self) -> Homepage:
        """Page settings that write the markup read so far as the page wrote it."""


class ItemReader(MarkupReader, Protocol):
    """A MarkupReader that also reads one line as an entry of a list kind (`cvgen.renderers.list_kinds`)."""

    def item(self, kind: str, markdown: str) -> ListItem | str:
        """One line of Markdown as an entry of the kind; or why it is not one, in a user's words."""

    def line_break(self, mark: str) -> None:
        """Record a line break the page writes between two lines of one paragraph (' \\\\', two spaces, <br>)."""

    def talk_over_venues(self, title: str, venues: tuple[str, ...]) -> Talk | str:
        """A talk in cvgen's own form: its bold title line and its venue lines; or why it is not one."""


_DIV = re.compile(r"<(/?)div\b", re.I)


def cut_units(units: list[tuple[list[Token], int, int]], lines: list[str]) -> list[EntrySource]:
    """The entries of a section's units (tokens, first line, end line): a `<div>` box and what stands inside it
    up to where it closes (AcadHomepage's paper box with its `markdown="1"` body, blank lines and all) is one
    entry; any other unit is cut by cut_entries."""
    if len(units) == 1 and units[0][0] and units[0][0][0].type == "html_block":
        rows = _table_rows(lines, units[0][1], units[0][2])
        if rows:
            return rows
    entries: list[EntrySource] = []
    index = 0
    while index < len(units):
        tokens, start, end = units[index]
        if tokens and tokens[0].type == "html_block" and tokens[0].content.lstrip().lower().startswith("<div"):
            depth = _div_depth(lines, start, end)
            while depth > 0 and index + 1 < len(units):
                index += 1
                _, unit_start, unit_end = units[index]
                depth += _div_depth(lines, unit_start, unit_end)
                end = unit_end
            raw = "\n".join(lines[start:end])
            entries.append(EntrySource(raw, start, raw if depth == 0 else None))
        else:
            entries += cut_entries(tokens, start, end, lines)
        index += 1
    return entries


_TABLE_OPEN = re.compile(r"<table\b[^<>]*>", re.I)
_ROW_OPEN = re.compile(r"<tr\b", re.I)
_ROW_CLOSE = re.compile(r".*</tr\s*>", re.I)


def _table_rows(lines: list[str], start: int, end: int) -> list[EntrySource]:
    """The rows of an HTML table that is a section's whole content (AcadHomepage's paper table), each an entry
    in the table's frame; none when the block is not one table of whole-line rows."""
    while end > start and not lines[end - 1].strip():
        end -= 1
    if end - start < 3 or not _TABLE_OPEN.fullmatch(lines[start]) or lines[end - 1].strip().lower() != "</table>":
        return []
    frame = lines[start] + "\n{text}\n" + lines[end - 1]
    rows, row_start = [], None
    for index in range(start + 1, end - 1):
        if row_start is None:
            if not _ROW_OPEN.match(lines[index]):
                return []
            row_start = index
        if _ROW_CLOSE.fullmatch(lines[index]):
            raw = "\n".join(lines[row_start : index + 1])
            rows.append(EntrySource(raw, row_start, raw, frame=frame))
            row_start = None
    return rows if row_start is None else []


def _div_depth(lines: list[str], start: int, end: int) -> int:
    """How many more `<div>` the lines open than they close."""
    return sum(1 if match.group(1) == "" else -1 for line in lines[start:end] for match in _DIV.finditer(line))


def cut_entries(tokens: list[Token], start: int, end: int, lines: list[str]) -> list[EntrySource]:
    """The entries of one unit (lines [start, end) of the body): each item of a list that is the whole unit, a
    paragraph that is the whole unit, else the whole unit as one block."""
    raw = "\n".join(lines[start:end])
    if not tokens:
        return [EntrySource(raw, start)]
    first, last = tokens[0], tokens[-1]
    if first.type == "paragraph_open" and len(tokens) == 3:
        return [EntrySource(raw, start, raw.rstrip(" \t"))]
    closes = last.type == first.type.replace("_open", "_close") and last.level == first.level
    if first.type in ("bullet_list_open", "ordered_list_open") and not closes:
        return _list_then_blocks(tokens, start, end, lines)
    if first.type not in ("bullet_list_open", "ordered_list_open"):
        return [EntrySource(raw, start)]
    items = [index for index, token in enumerate(tokens) if token.type == "list_item_open"
             and token.level == first.level + 1]
    starts = [(tokens[index].map or [start, start])[0] for index in items]
    entries = []
    for number, (index, item_start) in enumerate(zip(items, starts, strict=True)):
        item_end = starts[number + 1] if number + 1 < len(starts) else end
        gap_end = item_end
        while item_end > item_start + 1 and not lines[item_end - 1].strip():
            item_end -= 1
        closing = items[number + 1] - 1 if number + 1 < len(items) else len(tokens) - 1
        entries.append(_list_entry(lines, item_start, item_end, number + 1, tokens[index + 1 : closing],
                                   first.level, gap_end > item_end and number + 1 < len(starts)))
    return entries


def _list_then_blocks(tokens: list[Token], start: int, end: int, lines: list[str]) -> list[EntrySource]:
    """A list with blocks right after it, no blank line between (a `---` rule, an HTML comment): kramdown takes
    them into the list's last item (the rule makes its text a heading), so that item and they are one entry kept
    as written, and the items before it are entries as in any list."""
    close = next(index for index, token in enumerate(tokens) if token.level == tokens[0].level
                 and token.type == tokens[0].type.replace("_open", "_close"))
    last_line = max((token.map[1] for token in tokens[: close + 1] if token.map), default=end)
    entries = cut_entries(tokens[: close + 1], start, last_line, lines)
    last = entries[-1]
    entries[-1] = EntrySource("\n".join(lines[last.line:end]), last.line)
    return entries


_BLOCKS_NOT_READ = frozenset({"ordered_list_open", "html_block", "fence", "code_block", "table_open",
                              "blockquote_open", "heading_open", "hr"})


def _list_entry(lines: list[str], start: int, end: int, number: int, inside: list[Token], level: int,
                loose_after: bool) -> EntrySource:
    """A list item's entry: its text without the marker and the continuation lines' indentation, and the one-line
    items of a bullet list nested under it."""
    raw = "\n".join(lines[start:end])
    marker = LIST_MARKER.match(lines[start])
    nested = [token for token in inside if token.type == "bullet_list_open"]
    paragraphs = [token for token in inside if token.type == "paragraph_open"]
    odd = any(token.type in _BLOCKS_NOT_READ for token in inside) or len(nested) > 1 or (
        nested and (nested[0].level != level + 2 or any(token.level > level + 5 for token in inside)))
    if odd or marker is None or marker.start(1) or not marker.group(4) or not paragraphs \
            or paragraphs[0].level != level + 2 or sum(token.level == level + 2 for token in paragraphs) != 1:
        return EntrySource(raw, start, loose_after=loose_after)  # nested blocks, or an indented list: as written
    ordinal = marker.group(2)
    bullet = ("{n}" if ordinal and int(ordinal) == number else ordinal or marker.group(1)) + (
        marker.group(3) or "") + marker.group(4)
    own_end = (nested[0].map or [end, end])[0] if nested else end
    details, detail_form = _nested_details(lines, own_end, end) if nested else ((), None)
    if nested and detail_form is None:
        return EntrySource(raw, start, loose_after=loose_after)
    continuation = lines[start + 1 : own_end]
    indents = {line[: len(line) - len(line.lstrip(" \t"))] for line in continuation}
    if any(not line.strip() for line in continuation) or len(indents) > 1:
        return EntrySource(raw, start, loose_after=loose_after)
    indent = next(iter(indents), None)
    # Spaces that end an entry's text end its paragraph, where kramdown drops them (a hard break included).
    text = "\n".join([lines[start][marker.end():], *(line[len(indent or ""):] for line in continuation)]).rstrip(" \t")
    return EntrySource(raw, start, text, bullet, indent, loose_after, details, detail_form)


def _nested_details(lines: list[str], start: int, end: int) -> tuple[tuple[str, ...], str | None]:
    """The one-line items of a nested bullet list (lines [start, end)), and how each is written; no form when
    they are written in several ways or over several lines."""
    forms, details = set(), []
    for line in lines[start:end]:
        marker = LIST_MARKER.match(line)
        if marker is None or marker.group(2) or not marker.group(4):
            return (), None
        forms.add(line[: marker.end()])
        details.append(line[marker.end():])
    if len(forms) != 1 or not details:
        return (), None
    return tuple(details), "\n" + forms.pop() + "{text}"


# The one-line items of a list that ends a box, right before it closes ("\n- Oral presentation\n</div>").
_BOX_LIST = re.compile(r"(?:\n([-*+] )(?! )[^\n]*)(?:\n\1(?! )[^\n]*)*(?=\n</div>)")
Reading = tuple[Any, EntryLayout] | str  # an entry typed, with its layout; or why it is not
# An entry is read in time that grows faster than its length; entries are short, so a longer one is kept as it
# stands and a page of any size is read in time linear in its size.
LONGEST_ENTRY = 2000


def type_papers(entries: list[EntrySource], owner: Owner, reader: MarkupReader) -> TypedEntries | Untyped:
    """A publications section of these entries: each typed as a paper where it writes back exactly (the items of
    a list under it as its highlights), the rest raw in place; or why no entry is a paper."""
    probe = CV(name=owner.name or "", name_variants=list(owner.variants), homepage=Homepage(), sections=[])

    def read(entry: EntrySource) -> Reading:
        text, details, detail_form = entry.text or "", entry.details, entry.detail_form
        inside = _BOX_LIST.search(text) if entry.bullet is None and not details else None
        if inside is not None:  # a list inside a paper box: the paper's highlights, where the box writes them
            details = tuple(line[len(inside.group(1)):] for line in inside.group(0)[1:].split("\n"))
            detail_form = "\n" + inside.group(1) + "{text}"
            text = text[: inside.start()] + text[inside.end():]
        found = _paper(text, probe, reader)
        if isinstance(found, str) or not details:
            return found
        paper, layout = found
        if inside is not None:  # the slot goes where the list stood: before the same closing tag of the box
            closing = layout.template.split("\n</div>")
            before = text.count("\n</div>", 0, inside.start()) + 1
            layout = layout.model_copy(update={"template": "\n</div>".join(closing[:before]) + "{highlights}"
                                               + "\n</div>" + "\n</div>".join(closing[before:])})
        highlights = [reader.markup(detail) for detail in details]
        if any(highlight is None for highlight in highlights):
            return "a line under the paper whose markup cvgen cannot write back the same way"
        paper.highlights = [highlight for highlight in highlights if highlight is not None]
        return paper, layout.model_copy(update={"detail": detail_form})

    readings = {entry.line: read(entry) for entry in entries
                if _not_read(entry) is None}
    typed = _type_section(entries, lambda entry: readings[entry.line], lambda writer, paper: writer.paper(
        paper, probe), reader.homepage(), lambda items, page: PublicationsSection(kind="publications", items=items,
                                                                                 homepage=page))
    if isinstance(typed, TypedEntries):
        typed.section = _in_own_layout(typed.section, typed.homepage, probe)
    return typed


def type_generic(entries: list[EntrySource], reader: MarkupReader) -> TypedEntries | Untyped:
    """A section of generic entries (text, dates, the lines under it), each typed where it writes back exactly;
    or why no entry is."""
    readings = {entry.line: _generic(entry, reader) for entry in entries
                if _not_read(entry) is None}
    return _type_section(entries, lambda entry: readings[entry.line], lambda writer, entry: writer.generic(entry),
                         reader.homepage(), lambda items, page: EntriesSection(kind="entries", items=items,
                                                                               homepage=page))


_KIND_SECTIONS: dict[str, type[LaidOutKindSection]] = {
    "news": NewsSection, "education": EducationSection, "experience": ExperienceSection, "awards": AwardsSection,
    "talks": TalksSection, "press": PressSection, "projects": ProjectsSection}


def type_kind(entries: list[EntrySource], kind: str, reader: ItemReader) -> TypedEntries | Untyped:
    """A section of a list kind (news, education…) of these entries, each typed as the kind's entry where it
    writes back exactly, its layout the entry's Markdown with each field's written value made a slot, the rest
    raw in place; or why no entry is one. A section written in cvgen's own layout for the kind keeps no layout:
    its YAML stays as a user would write it."""
    if kind == "news":
        entries = _news_lines(entries)
        for entry in entries[:-1]:
            if entry.line_break is not None:
                reader.line_break(entry.line_break)
    read = {entry.line: _read_item(entry, kind, reader) for entry in entries if _not_read(entry) is None}
    found = {line: reading if isinstance(reading, str) else reading[0] for line, reading in read.items()}
    homepage = reader.homepage()
    dates = (list_kinds.field(item, name) for item in found.values() if not isinstance(item, str)
             for name in ("date", "start", "end") if name in list_kinds.FIELDS[type(item)])
    date_style = first_style(date for date in dates if isinstance(date, str))  # for a date given as YYYY-MM
    writer = PageWriter(homepage, SectionPage(date_style=date_style))
    readings: dict[int, Reading] = {}
    over_venues: list[int] = []  # talks given at several venues: written in cvgen's own form whatever the layout
    for line, reading in read.items():
        if isinstance(reading, str):  # why it is not the kind's entry
            readings[line] = reading
            continue
        item, text, detail_form = reading
        if isinstance(item, Talk) and len(item.venues) > 1:
            over_venues.append(line)
            continue
        layout = _kind_layout(writer, item, text)
        readings[line] = (item, layout.model_copy(update={"detail": detail_form})) if layout is not None else \
            "cvgen would write it differently"
    # Such a talk takes its siblings' most common layout, which never writes it (a line has one venue's place), so
    # that it does not shape the section's: the check below still types it only where cvgen's form is the page's.
    sibling_layouts = most_common([reading[1] for reading in readings.values() if not isinstance(reading, str)])
    for line in over_venues:
        reading = read[line]
        assert not isinstance(reading, str)
        readings[line] = (reading[0], sibling_layouts[0]) if sibling_layouts else "a talk over its venues alone"
    typed = _type_section(entries, lambda entry: readings[entry.line], list_kinds.write, homepage,
                          lambda items, page: _KIND_SECTIONS[kind](kind=kind, items=items, homepage=page),
                          date_style=date_style)
    if isinstance(typed, TypedEntries):
        if kind == "news":
            typed.section.homepage.listed, typed.section.homepage.paragraphs = entries[0].bullet is not None, False
        typed.section = _in_own_layout(typed.section, homepage)
    return typed


def _read_item(entry: EntrySource, kind: str, reader: ItemReader) -> tuple[ListItem, str, str | None] | str:
    """An entry read as the kind's: the item, its first line and how the lines under it are written (a nested
    list, or lines after a line break: a thesis or GPA under a degree, achievements under a position or an
    award); or why it is not one."""
    split = _lines_under(entry)
    if split == _WRAPPED and kind == "news" and entry.text is not None:
        split = entry.text, [], None  # news wrapped over several lines: one text, its line ends kept as written
    if isinstance(split, str):
        return split
    line, details, detail_form = split
    if details and kind == "talks" and detail_form is not None and LIST_MARKER.match(detail_form.lstrip("\n")):
        talk = reader.talk_over_venues(_without_break(line), tuple(details))  # given at several venues
        return talk if isinstance(talk, str) else (talk, line, None)
    if details and kind not in _DETAILED_KINDS:
        return "lines under an entry of this kind"
    item = reader.item(kind, line)
    if isinstance(item, str):
        return item
    lines = [reader.markup(detail) for detail in details]
    if any(markup is None for markup in lines):
        return f"a line under it whose markup cvgen cannot write back the same way ({reader.problem or 'escapes'})"
    if details:
        item = item.model_copy(update={"details": lines})
    return item, line, detail_form


_WRAPPED = "an entry over several lines without line breaks"


def _without_break(line: str) -> str:
    """A line without the line break that ends it."""
    return next((line[: -len(mark)] for mark in _BREAKS if line.endswith(mark)), line)


_DETAILED_KINDS = frozenset({"education", "experience", "awards"})  # the kinds whose entries hold lines under them


def _in_own_layout(section: TypedSection, homepage: Homepage, probe: CV | None = None) -> TypedSection:
    """The section without its layouts when cvgen's own layout for its kind writes it the same (`probe`: the CV
    whose owner a paper's author list marks)."""
    page = section.homepage
    plain = section.model_copy(update={"homepage": page.model_copy(update={"layout": None}), "items": [
        item if isinstance(item, RawEntry) else item.model_copy(update={"homepage": None}) for item in section.items]})
    probe = probe or CV(name="", sections=[])
    same = PageWriter(homepage, plain.homepage).entries(plain, probe) == PageWriter(homepage, page).entries(section,
                                                                                                          probe)
    return plain if same else section


def _news_lines(entries: list[EntrySource]) -> list[EntrySource]:
    """News entries, a paragraph of dated lines cut into its lines (each ending in the same line break); the
    entries as they are when a paragraph's lines end otherwise."""
    cut: list[EntrySource] = []
    for entry in entries:
        lines = (entry.text or "").split("\n")
        if entry.bullet is not None or entry.text is None or len(lines) == 1:
            cut.append(entry)
            continue
        mark = _line_break(lines)
        if mark is None:
            return entries
        cut += [EntrySource(line, entry.line + number, line.removesuffix(mark) if number < len(lines) - 1 else line,
                            line_break=mark if number < len(lines) - 1 else None) for number, line in enumerate(lines)]
    return cut


def paragraph_lines(entries: list[EntrySource]) -> tuple[list[EntrySource], str | None]:
    """A section that is one paragraph whose lines each start with a date ("2017 - 2021 Postdoc at …  "), cut into
    its lines, each an entry, and the line break that ends them; the entries as they are otherwise."""
    text = entries[0].text if len(entries) == 1 and entries[0].bullet is None else None
    lines = text.split("\n") if text else []
    mark = _line_break(lines) if len(lines) > 1 else None
    if mark is None or not all(_PERIOD.match(_without_marker(line).lstrip("*_ ")) for line in lines):
        return entries, None
    own = [line.removesuffix(mark) for line in lines[:-1]] + [lines[-1]]
    return [EntrySource(line, entries[0].line + number, line) for number, line in enumerate(own)], mark


def _kind_layout(writer: PageWriter, item: ListItem, text: str) -> EntryLayout | None:
    """An entry's layout: its Markdown with each field's value, as cvgen writes it, made a slot (the longest
    first, so that a value inside another is found in its own place); None when a value is not found as written.
    The field that starts the line is written as a line start, so each field is tried there."""
    names = list_kinds.FIELDS[type(item)]
    end = getattr(item, "end", None)
    # Each field written as in a layout of its own, then as it stands in quotes (its quotes as references).
    for first, hint in itertools.product((None, *names), ("", list_kinds.quoted_everywhere(item))):
        values = list_kinds.values(writer, item, first, hint)
        since = _since_before(text, values.get("start", "")) if is_present(end) else None  # "seit {start}"
        values = open_period(since, values, end)
        if first is not None and (not values[first] or not text.startswith(values[first])):
            continue
        template: str | None = braced(text)
        for name in sorted(names, key=lambda name: -len(values[name])):
            template = replace_once(template, values[name], name) if template is not None else None
        if template is not None and fill_slots(template, open_period(
                since, list_kinds.values(writer, item, first, template), end)) == text:
            # An entry without an end (still running) writes its start alone, not a dangling separator.
            layout = EntryLayout(template=_OPEN_END.sub(r"{start}{?\1{end}?}", template), since=since)
            return layout if not set(map(str.casefold, layout_words(layout))) - _KIND_WORDS else None
    return None


def _since_before(text: str, start: str) -> str | None:
    """The word that writes a period running to the present before its start ("seit " in "**seit 10/2023**"), if
    the text has one there."""
    found = re.search(r"(?<![^\W_])" + _SINCE.pattern + re.escape(start), text, re.I) if start else None
    return found.group(0)[: -len(start)] if found else None


_KIND_WORDS = frozenset({"at", "en", "of", "im"})  # "Role at Organization", "Doctorat en informatique"


_OPEN_END = re.compile(r"\{start\}([^{}]*)\{end\}")


def _type_section(entries: list[EntrySource], read: Callable[[EntrySource], Reading],
                  write: Callable[[PageWriter, Any], str], homepage: Homepage,
                  section: Callable[[list[Any], SectionPage], TypedSection], *,
                  date_style: str | None = None) -> TypedEntries | Untyped:
    """A section of these entries: each typed where its writer gives it back exactly, the rest raw in place; or
    why no entry is typed. The section's frame (list or paragraphs, marker, indentation) is its typed entries'
    most common one; an entry in another frame stays raw."""
    readings: list[Reading] = [_not_read(entry) or read(entry) for entry in entries]
    typed_at = [index for index, value in enumerate(readings) if not isinstance(value, str)]
    if not typed_at:
        return Untyped([(entry.line, str(value)) for entry, value in zip(entries, readings, strict=True)])
    # A box among list items stands as a block whatever the list; the list's frame is the section's.
    listed = [index for index in typed_at if not _is_box(entries[index])] or typed_at
    frames = Counter(_frame(entries[index]) for index in listed)
    # The most common frame; an entry of one line says nothing of the indentation, so it fits any.
    indents = Counter(frame[1] for frame in frames.elements() if frame[1] is not None)
    indent = indents.most_common(1)[0][0] if indents else None
    bullet, _, paragraphs = max(frames, key=lambda frame: sum(
        count for other, count in frames.items() if (other[0], other[2]) == (frame[0], frame[2])))
    page = SectionPage(bullet=bullet or "- ", indent=indent, paragraphs=paragraphs,
                       loose=any(entry.loose_after for entry in entries), date_style=date_style)
    if entries[0].frame is not None:  # the rows of one table: written in it, a line apart
        page.frame, page.between = entries[0].frame, "\n"
    typed = {_written(entries[index]): value for index, value in enumerate(readings)
             if not isinstance(value, str) and _fits(entries[index], bullet, indent)}
    page.layout = _section_layout(page, homepage, typed, write)
    writer = PageWriter(homepage, page)
    items: list[Any] = []
    raw: list[tuple[int, str]] = []
    for entry, value in zip(entries, readings, strict=True):
        block = bullet is not None and entry.bullet is None  # a paragraph or a box among list items
        if not isinstance(value, str) and (_fits(entry, bullet, indent) or block):
            typed_entry, layout = value
            wanted = _written(entry)
            if block:
                typed_entry.homepage = EntryPage(layout=layout, block=True)
            elif write(writer, typed_entry) != wanted:
                typed_entry.homepage = EntryPage(layout=layout)  # written otherwise than the section's layout
            if write(writer, typed_entry) == wanted:
                items.append(typed_entry)
                continue
            value = "cvgen would write it differently"
        elif not isinstance(value, str):
            value = "written in another form than the section's other entries"
        items.append(RawEntry(raw=entry.raw))
        raw.append((entry.line, value))
    if all(isinstance(item, RawEntry) for item in items):
        return Untyped(raw)
    return TypedEntries(section(items, page), raw, homepage)


def _written(entry: EntrySource) -> str:
    """An entry's text as its writer gives it: its own text and the nested lines under it."""
    return (entry.text or "") + "".join((entry.detail_form or "").replace("{text}", detail) for detail in entry.details)


def _section_layout(page: SectionPage, homepage: Homepage, typed: dict[str, tuple[Any, EntryLayout]],
                    write: Callable[[PageWriter, Any], str]) -> EntryLayout | None:
    """The layout that writes the most of a section's entries exactly: of the entries' most common layouts and
    their generalisation (parts some entries leave out made optional). An author list of two names says nothing
    of the separator between the first names, so the entries' own layouts alone would split a section."""
    layouts = [layout for _, layout in typed.values()]
    common = most_common(layouts)[:_CANDIDATE_LAYOUTS]
    general = shared(layouts)
    candidates = [*([general] if general is not None else []), *common]
    if not candidates:
        return None  # no typed entry stands in the section's frame: every entry is written in its own

    def written(layout: EntryLayout) -> int:
        writer = PageWriter(homepage, page.model_copy(update={"layout": layout}))
        return sum(write(writer, entry) == text for text, (entry, _) in typed.items())

    chosen, best = candidates[0], -1
    for candidate in candidates:
        count = written(candidate)
        if count > best:
            chosen, best = candidate, count
        if count == len(typed):
            break  # it writes every entry: no other can write more
    details = Counter(layout.detail for _, layout in typed.values() if layout.detail is not None)
    if chosen.detail is None and details:  # entries without lines under them say nothing of how they are written
        chosen = chosen.model_copy(update={"detail": details.most_common(1)[0][0]})
    return chosen


_CANDIDATE_LAYOUTS = 4  # the most common entry layouts tried as the section's (each tried on every entry)


def _is_box(entry: EntrySource) -> bool:
    """Whether an entry is an HTML box (a paper box, a table row), not a list item or a paragraph of text."""
    return entry.bullet is None and entry.raw.lstrip().startswith("<")


def _frame(entry: EntrySource) -> tuple[str | None, str | None, bool]:
    """How an entry stands in its section: its list marker and indentation, or as a paragraph."""
    return entry.bullet, entry.indent, entry.bullet is None


def _fits(entry: EntrySource, bullet: str | None, indent: str | None) -> bool:
    """Whether an entry stands in the section's frame: its marker, and its indentation if it has lines to indent."""
    return entry.bullet == bullet and entry.indent in (None, indent)


def _not_read(entry: EntrySource) -> str | None:
    """Why an entry is kept as written without reading it (a block no entry kind reads, Liquid, a length no entry
    has), or None."""
    if entry.text is None:
        return _block_reason(entry)
    if len(entry.raw) > LONGEST_ENTRY:
        return "longer than any entry cvgen reads"
    if _LIQUID.search(SITE_PREFIX.sub("", entry.raw)):
        return "Liquid ({% … %} or {{ … }}), which cvgen keeps as the page writes it"
    if not _TAG_OR_SPACE.sub("", entry.text):
        return "HTML with no text, such as an anchor"  # AcadHomepage's <span class='anchor' id='…'></span>
    return None


_LIQUID = re.compile(r"\{[{%]")
_TAKEN_INTO_THE_ITEM = re.compile(r"\n(?:(?:[-*_][ \t]*){3,}|<.*)$")  # a rule or HTML at the start of its last line
_TAG_OR_SPACE = re.compile(r"<[^<>]*>|\s+")


def _block_reason(entry: EntrySource) -> str:
    first = entry.raw.lstrip()
    if first.startswith("<!--"):
        return "an HTML comment"
    if first.startswith("<"):
        return "a block of HTML"
    if first.startswith("|"):
        return "a table"
    if LIST_MARKER.match(entry.raw) and _TAKEN_INTO_THE_ITEM.search(entry.raw):
        return "a list item with a rule or HTML right after it, which kramdown takes into the item"
    if LIST_MARKER.match(entry.raw):
        return "a list item with nested blocks or lines written apart"
    return "several blocks without a blank line between them"


def _paper(text: str, probe: CV, reader: MarkupReader) -> tuple[Publication, EntryLayout] | str:
    """An entry read as a paper, with its layout; or why it is not one, in a user's words. The details are kept
    as written, their markup read (`**20**, 1021`); the other fields are plain text."""
    fields = read_paper(text)
    if not fields.title:
        return "no title found"
    if not (fields.authors or fields.venue or fields.year):
        return "no authors, venue or year found"
    layout = derive(text, fields)
    if layout is None:
        return "its fields are not written in one way cvgen can write back"
    words = layout_words(layout)
    if words:
        return f"text no field holds: {' '.join(words[:8])!r}"
    emphasis = any(author.emphasised for author in fields.authors)  # a page may emphasise no one, the owner too
    for author in fields.authors:
        if emphasis and author.emphasised != probe.is_owner(author.name):
            return f"{author.name!r} is emphasised but is not the owner" if author.emphasised else \
                f"the owner {author.name!r} is not emphasised"
    paper = _publication(fields, probe, reader)
    return paper if isinstance(paper, str) else (paper, layout)


def _publication(fields: PaperFields, probe: CV, reader: MarkupReader) -> Publication | str:
    """A paper's fields as the model's: markup where the page wrote markup, the owner added before the co-authors
    of a "With A and B" list; or why they cannot be."""
    details = _markup(fields.details)
    if fields.details and _MARKUP_CHARACTERS.search(fields.details):
        details = reader.markup(fields.details)
        if details is None:
            return "details whose markup cvgen cannot write back the same way"
    authors = [written_author(author.name, author.marks) for author in fields.authors]
    if not authors and fields.coauthors:  # "With A and B": the owner and their co-authors
        if not probe.name:
            return "co-authors without the owner's name (give it with --name)"
        authors = [probe.name, *(written_author(author.name, author.marks) for author in fields.coauthors)]
    title = reader.markup(fields.title_written) if fields.title_written else _markup(fields.title)
    if title is None:
        return "a title whose markup cvgen cannot write back the same way"
    try:
        paper: Publication = Publication.model_validate({
            "label": _markup(fields.label), "title": title, "url": fields.title_url, "authors": authors,
            "venue": _markup(fields.venue), "details": details, "year": fields.year,
            "award": _markup(fields.award), "note": _markup(fields.note),
            "links": [Link(label=_markup(label) or "", url=url) for label, url in fields.links]})
    except ValidationError as error:
        return str(error.errors()[0]["msg"]).removeprefix("Value error, ")
    return paper


_MARKUP_CHARACTERS = re.compile(r"[*_<\\`\[]")
_SEASON = r"(?:[Ss]pring|[Ss]ummer|[Ff]all|[Aa]utumn|[Ww]inter)"
_DAY = r"(?:0?[1-9]|[12]\d|3[01])"
# A year, with a month before it (a word, a season, MM/) or after it (.MM, -MM, and a day after that the same way:
# "2024.08.13"), or a day and a month before it ("5 March 2024", "March 5, 2024"): a day left out would stay in the
# entry's text.
_MONTH_NUMBER, _DAY_NUMBER = r"(?:0?[1-9]|1[0-2])", r"(?:0?[1-9]|[12]\d|3[01])"
_DATE = (rf"(?:{_DAY}\s+{MONTH_WORD}\s+|{MONTH_WORD}\s+{_DAY},\s+|(?:{MONTH_WORD}|{_SEASON})\s+|(?:0?[1-9]|1[0-2])/)?"
         rf"(?:19|20)\d{{2}}(?:\.{_MONTH_NUMBER}(?:\.{_DAY_NUMBER})?(?!\d)|-{_MONTH_NUMBER}(?:-{_DAY_NUMBER})?(?!\d))?")
_END = rf"(?:{_DATE}|[Pp]resent|[Nn]ow|[Cc]urrent|[Oo]ngoing|현재|至今|现在|現在|[Hh]eute)"
# Not inside a word or a number; an emphasis mark around it is no letter ("_2022.01 - 2022.05_").
_PERIOD = re.compile(rf"(?<![^\W_])(?<!\.)({_DATE})(?:(\s*(?:-|–|—|~|to)\s*)({_END}))?(?![^\W_])")
_MASKED = re.compile(r"\]\([^()\s]*\)|<[^<>\n]*>")  # link targets and HTML tags: never dates or titles
_BREAKS = (" \\\\", "  ", "<br>", "<br/>", "<br />")
_LEADING = " \t,;:|–—-~)]."
_TRAILING = " \t,;:|–—-~([/"


def _generic(entry: EntrySource, reader: MarkupReader) -> tuple[GenericEntry, EntryLayout] | str:
    """An entry read as its label, text, date or period (where it stands), subtitle, links and the lines under it
    (a nested list, or lines after a line break); or why it is not one, in a user's words. Its layout is the
    line with each of them made a slot."""
    split = _lines_under(entry)
    if isinstance(split, str):
        return split
    line, details, detail_form = split
    line, links, links_template, links_layout = _trailing_run(line)
    line, label, label_template = _label(line)
    texts = texts_around_dates(line)
    if isinstance(texts, str):
        return texts
    pieces, values, start, end, since = texts
    _take_location(pieces, values)
    if label is not None:
        values["label"] = label
    layout = EntryLayout(template=label_template + "".join(pieces) + links_template, links=links_layout,
                         detail=detail_form, since=since)
    words = layout_words(layout)
    if words:
        return f"text cvgen has no field for: {' '.join(words[:8])!r}"
    markups = {slot: reader.markup(unbraced(value)) for slot, value in values.items()}
    detail_markup = [reader.markup(detail) for detail in details]
    link_labels = [reader.markup(label) if label != url else _markup(url) for label, url in links]  # <https://…>
    if any(markup is None for markup in [*markups.values(), *detail_markup, *link_labels]):
        return f"markup cvgen cannot write back the same way ({reader.problem or 'its escapes or spacing'})"
    try:
        return GenericEntry.model_validate({
            "label": markups.get("label"), "title": markups["title"], "subtitle": markups.get("subtitle"),
            "location": markups.get("location"), "when": markups.get("when"),
            "start": start, "end": end, "details": detail_markup,
            "links": [{"label": label or "", "url": url} for label, (_, url) in zip(link_labels, links, strict=True)],
        }), layout
    except ValidationError as error:
        return str(error.errors()[0]["msg"]).removeprefix("Value error, ")


def _take_location(pieces: list[str], values: dict[str, str]) -> None:
    """The place that ends an entry's subtitle, else its title ("Summer School, Lisbon, Portugal"), made the
    `location` slot after it, the comma between them the layout's."""
    for slot in ("subtitle", "title"):
        value = values.get(slot)
        at = place_start(value) if value else None
        if value is None or at is None:
            continue
        kept = value[:at].rstrip(" \t,")
        values[slot], values["location"] = kept, value[at:]
        index = next(index for index, piece in enumerate(pieces) if "{" + slot + "}" in piece)
        pieces[index] = pieces[index].replace("{" + slot + "}", "{" + slot + "}" + value[len(kept):at] + "{location}")
        return


def _lines_under(entry: EntrySource) -> tuple[str, list[str], str | None] | str:
    """An entry's first line, the lines under it (a nested list, or lines after a line break), and how each is
    written; or why they cannot be told apart."""
    lines = (entry.text or "").split("\n")
    if len(lines) == 1:
        return lines[0], list(entry.details), entry.detail_form
    if entry.details:
        return "lines and a list under one entry"
    mark = _line_break(lines)
    if mark is None:
        return _WRAPPED
    details = [line.removesuffix(mark) for line in lines[1:-1]] + [lines[-1]]
    if any(_PERIOD.match(detail.lstrip("*_ ")) for detail in details):
        return "lines that each start with a date (one entry a line is not read yet)"
    return lines[0].removesuffix(mark), details, mark + "\n{text}"


def _line_break(lines: list[str]) -> str | None:
    """The line break that ends every line of a paragraph but its last (' \\\\', two spaces, <br>), or None when
    they end in different ways or without one."""
    marks = {next((mark for mark in _BREAKS if line.endswith(mark)), None) for line in lines[:-1]}
    return marks.pop() if len(marks) == 1 else None


def _trailing_run(line: str) -> tuple[str, list[tuple[str, str]], str, LinksLayout | None]:
    """The line without the run of links that ends it, the links, and the run's template (`{links}` and the
    text around it: " (Link: {links})") and link form; the line as it is when it ends otherwise."""
    run = trailing_links(line)
    if run is None:
        return line, [], "", None
    tail = braced(line[run[0]:])
    found = links_span(tail, run[1])
    if found is None:
        return line, [], "", None
    return line[: run[0]], run[1], tail[: found[0]] + "{links}" + tail[found[1]:], found[2]


def _label(line: str) -> tuple[str, str | None, str]:
    """The line without the label that opens it ("**Methods:** …"), the label, and its template
    ("**{label}:** "); the line as it is when it opens otherwise."""
    label = _ENTRY_LABEL.match(line)
    if label is None or bool(label.group(1)) != bool(label.group(3) or label.group(5)) or len(
            label.group(2).split()) > 4:
        return line, None, ""
    template = braced(line[: label.start(2)]) + "{label}" + braced(line[label.end(2) : label.end()])
    return line[label.end():], label.group(2), template


class Texts(NamedTuple):
    """A line's text around its date or period (see `texts_around_dates`)."""

    pieces: list[str]  # the template, cut around the period's slots
    values: dict[str, str]  # the title, the subtitle, and dates that are not one period ("when")
    start: str | None
    end: str | None
    since: str | None  # the word before a start that runs to the present: "seit " in "seit 10/2023"


def texts_around_dates(line: str) -> Texts | str:
    """A line's date or period made slots, and the text around it: the title, and a subtitle when text stands on
    both sides ("Grant, 2024–2029, $780,000"). A date that opens the line after "since" ("**seit 10/2023**:
    Mitglied") starts a period that runs to the present; the word is the layout's. Or why the line is not
    read."""
    masked = _MASKED.sub(lambda match: "\0" * len(match.group(0)), line)
    template, start, end = braced(line), None, None
    listed = _DATE_LIST.search(masked)  # "(Fall 2023, Fall 2024)": dates that are not one period
    when = line[listed.start(1):listed.end(1)] if listed else None
    spans = [(listed.start(1), listed.end(1), "{when}")] if listed else []  # made slots, the last first
    if listed is not None:
        masked = masked[: listed.start()] + "\0" * (listed.end() - listed.start()) + masked[listed.end():]
    period = _entry_period(line, masked)
    if isinstance(period, str):
        return period
    found, since = period
    if found is not None:
        start, end = found.group(1), found.group(3) or ("present" if since else None)
        slots = "{start}" + (found.group(2) + "{end}" if found.group(3) else "")
        spans.append((found.start() - len(since or ""), found.end(), slots))  # the "since" word with the start
    for begin, finish, slots in sorted(spans, reverse=True):
        template = _slotted(template, line, begin, finish, slots)
    pieces = re.split(r"(\{start\}(?:[^{}]*\{end\})?|\{when\})", template)  # the period whole, its separator in it
    values = _named_texts(pieces)
    if isinstance(values, str):
        return values
    if not all(re.search(r"[^\W\d_]", value) for value in values.values()):
        return "a date cvgen does not read"  # "11" left of "11/2023" is no title
    if any(value.count("(") != value.count(")") or value.count("[") != value.count("]") for value in values.values()):
        return "dates cvgen cannot take apart from the text"  # "(Spring 2023, Spring 2024)": two dates in one
    if when is not None:
        values["when"] = braced(when)
    return Texts(pieces, values, start, end, since)


def _entry_period(line: str, masked: str) -> tuple[re.Match[str] | None, str | None] | str:
    """The entry's date or period (see `_date_of`), and the word before a date that starts a period to the present
    ("seit " in "**seit 10/2023**: …"); none in a sentence ("… Associate Editor from 2021 to 2024."). Or why the
    line is not read."""
    found = _date_of(masked)
    if found is None:
        return None, None
    if _SINCE_WORD.fullmatch(masked, 0, found.start()):
        word = _SINCE.search(masked, 0, found.start())
        if word is None or found.group(3) is not None:
            return "a period written 'since' a date and to another"
        return found, line[word.start():found.start()]
    return (None, None) if _IN_A_SENTENCE.search(masked, 0, found.start()) else (found, None)


def _slotted(template: str, line: str, start: int, end: int, slots: str) -> str:
    """The template with the text of the line's characters [start, end) made slots (its braces doubled in it)."""
    offset = line.count("{", 0, start) + line.count("}", 0, start)
    inside = line.count("{", start, end) + line.count("}", start, end)
    return template[: start + offset] + slots + template[end + offset + inside:]


def _named_texts(pieces: list[str]) -> dict[str, str] | str:
    """The text around a line's dates named: the longest run its title, or the two runs on either side of them
    its title and its subtitle; each made its slot in `pieces`. Or why there is none."""
    texts = [index for index in range(0, len(pieces), 2) if _trim(_without_marker(pieces[index]))]
    if not texts:
        return "no text besides its date"
    named = dict(zip(texts, ("title", "subtitle"), strict=False)) if len(texts) == 2 else {
        max(texts, key=lambda index: len(pieces[index].strip(_LEADING + _TRAILING))): "title"}
    values: dict[str, str] = {}
    for index, slot in named.items():
        piece = pieces[index]
        values[slot] = _trim(piece)
        at = piece.index(values[slot])
        pieces[index] = piece[:at] + "{" + slot + "}" + piece[at + len(values[slot]):]
    return values


def _without_marker(text: str) -> str:
    """Text without the emoji that open it ("🔥 "): the entry's mark, as a bullet is, not its text."""
    return text[leading_marker(text):]


def _date_of(line: str) -> re.Match[str] | None:
    """The entry's date or period: the one that starts the line, else the one that ends it, else the first
    ("Canaries in the weights — CCS 2024, Salt Lake City, October 2024": October 2024, not the venue's 2024;
    "**07/2021**: Best Paper Award, ESA 2021": 07/2021)."""
    found = [match for match in _PERIOD.finditer(line)
             if is_date(match.group(1)) and (match.group(3) is None or is_date(match.group(3)))]
    ends = [match for match in found if not line[match.end():].strip(_LEADING + _TRAILING + "*_")]
    starts = [match for match in found if not _without_marker(line[: match.start()]).strip(_LEADING + _TRAILING + "*_")]
    if starts or ends:
        return starts[0] if starts else ends[-1]
    return found[0] if found else None


def _trim(piece: str) -> str:
    """A run of text without the punctuation that joins it to the dates around it; an emphasis marker that
    closes or opens around a date (`*2020 - 2022*, Title`) stays outside."""
    title = _SPACES.sub("", piece.strip(_LEADING + _TRAILING)).strip(_LEADING + _TRAILING)
    if not title:
        return ""
    start, end = piece.find(title), piece.find(title) + len(title)
    while end < len(piece) and piece[end] in ")]" and title.count(_OPENING[piece[end]]) > title.count(piece[end]):
        title, end = title + piece[end], end + 1  # a bracket the title opened is the title's ("(if you run …)")
    while start and piece[start - 1] in "([" and title.count(_CLOSING[piece[start - 1]]) > title.count(
            piece[start - 1]):
        title, start = piece[start - 1] + title, start - 1
    for marker in ("**", "__", "*", "_"):
        while title.startswith(marker) and title.count(marker) % 2:
            title = title[len(marker):].lstrip(_LEADING)
        while title.endswith(marker) and title.count(marker) % 2:
            title = title[: -len(marker)].rstrip(_TRAILING)
    return title.strip()


# A one-line entry's label: "**Methods:** interviews, …", "Conference reviewer: NeurIPS, ICML" (no digits: a
# date before a colon is the entry's date).
_ENTRY_LABEL = re.compile(r"(\*\*|__|<b>|<strong>)?([^\W\d][^:：*_<>\[\]\d\n]{0,40}?)(\*\*|__|</b>|</strong>)?([:：])"
                          r"(\*\*|__|</b>|</strong>)?[ \t]+(?=\S)")
# A word that makes a date part of a sentence when it stands right before it.
_IN_A_SENTENCE = re.compile(r"\b(?:from|since|in|until|till|between|during|of|by|von|seit|ab|im|depuis|en|de|desde|"
                            r"dal|nel)\s*[*_]*$", re.I)
_SINCE_WORD = re.compile(r"[*_\s]*(?:since|seit|ab|depuis|desde|dal)\s*[*_]*", re.I)  # opening the line
_SINCE = re.compile(r"(?:since|seit|ab|depuis|desde|dal)\s*", re.I)
# Dates in parentheses that are not one period: a course's terms, the years an event was held.
_DATE_LIST = re.compile(rf"\(\s*((?:{_DATE})(?:\s*(?:,|;|&|and|und|et)\s*(?:{_DATE}))+)\s*\)")
_SPACES = re.compile(r"^(?:&nbsp;|\s)+|(?:&nbsp;|\s)+$")
_OPENING = {")": "(", "]": "["}
_CLOSING = {"(": ")", "[": "]"}


def _markup(text: str | None) -> str | None:
    """Plain text as markup (its markup characters escaped)."""
    return escape_markup(text) if text else None


__all__ = ["EntrySource", "ItemReader", "MarkupReader", "TypedEntries", "Untyped", "cut_entries", "cut_units",
           "paragraph_lines",
           "texts_around_dates", "type_generic", "type_kind", "type_papers"]
