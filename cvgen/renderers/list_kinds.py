"""The one-line list kinds the homepage writes by layout (news, education, experience, awards, talks, press,
projects): an entry's fields as the values of its layout's slots, and cvgen's own layout for an entry that has
none (for a talk, its title over the list of its venues; a talk on one line is one given at one venue).

A section imported from a page carries the layout its entries are written in (`SectionPage.layout`, and an
entry's own where it differs); a section written by hand has none, and its entries are written in cvgen's own
layout for the kind, shaped by the section's settings (date wrapper, separators, date first). Either way one
writer, `cvgen.slots.fill_slots`, writes the entry.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from cvgen.dates import is_date
from cvgen.markup import parse_markup, plain_text
from cvgen.model import Article, Award, Degree, EntryLayout, NewsItem, Position, Project, Talk
from cvgen.slots import (
    braced,
    fill_slots,
    layout_url,
    open_period,
    required_slots,
    slots,
    writes_open_end,
)

if TYPE_CHECKING:
    from cvgen.renderers.markdown import PageWriter

ListItem = NewsItem | Degree | Position | Award | Talk | Article | Project

# Each kind's fields: the slots its layouts hold, in the order the importer looks for them in an entry.
FIELDS: dict[type, tuple[str, ...]] = {
    NewsItem: ("date", "text"),
    Degree: ("degree", "field", "institution", "location", "start", "end", "note"),
    Position: ("role", "organization", "location", "start", "end", "when"),
    Award: ("title", "detail", "date", "url"),
    Talk: ("title", "type", "venue", "location", "date"),  # a talk given at one venue: the venue's
    Article: ("title", "url", "outlet", "date"),
    Project: ("title", "sponsor", "start", "end"),
}
_DATES = frozenset({"date", "start", "end"})
_PERIOD = frozenset({"start", "end", "when"})  # what cvgen's own layouts write as one {period}
# What the importer never reads as a position's role, organization or place (so cvgen writes the digits of such a
# field as references, which it reads as letters): a course, its code or its class level ("CS 4120", "16-745",
# "(M1)", "Master 2": taught, not worked at) for an organization, a period of years ("2019 - 2021") or a date for
# any.
COURSE = re.compile(r"\b[A-Z]{2,5}\s?-?\d{3,4}\b|(?<!\w)\d{2,3}-\d{3}\b|\((?:[LM]\d|MSc|BSc|PhD)\b|"
                    r"\b(?:Master|Licence|Bachelor)\s\d\b")
YEAR_RANGE = re.compile(r"(?<!\d)(?:19|20)\d{2}\s*[-–—~]\s*(?:(?:19|20)\d{2}(?!\d)|[Pp]resent|至今|현재)")
_DIGITS = "0123456789"
_DIGITS_AND_BRACKET = "0123456789["  # an award title that starts like a date would read as one
_FIRST_SLOT = re.compile(r"\{(\w+)\}")


def values(writer: PageWriter, item: ListItem, first: str | None, template: str = "") -> dict[str, str]:
    """An entry's fields as its layout writes them: markup for kramdown (the field that starts the line, `first`,
    escaped as a line start), dates in the section's style, URLs percent-encoded where they would end a link;
    and `period`, the start, end and words of a period as cvgen's own layouts write them. A field that stands in
    quotes in the layout's `template` writes those quotes inside it as references (they would end it)."""
    written: dict[str, str] = {}
    for name in FIELDS[type(item)]:
        value = field(item, name)
        if not value:
            written[name] = ""
        elif name in _DATES:
            written[name] = writer.date(value)
        elif name == "url":
            written[name] = layout_url(value) or ""
        else:
            literals = _literals(item, name, first)
            quotes = "".join(quote for opening, quote in _QUOTES if opening + "{" + name + "}" in template)
            if quotes:
                literals["literal"] = literals.get("literal", "") + quotes
            written[name] = writer.markup(value, line_start=name == first, **literals)
    if isinstance(item, (Degree, Position, Project)):
        period = writer.period(item.start, item.end)
        written["period"] = ", ".join(part for part in (period, written.get("when")) if part)
    return written


def _unread(text: str, *, organization: bool) -> bool:
    """Whether the importer would refuse a position's part that says this (see `COURSE`)."""
    return bool((organization and COURSE.search(text)) or YEAR_RANGE.search(text) or is_date(text.strip()))


def quoted_everywhere(item: ListItem) -> str:
    """A template text with each of an entry's fields in each kind of quotes (see `values`)."""
    return "".join(opening + "{" + name + "}" for name in FIELDS[type(item)] for opening, _ in _QUOTES)


# A quote that opens a field in a layout, and the quotes that would end it there.
_QUOTES = (('"', '"'), ("“", "”“"), ("«", "»"), ("「", "」"))
# The fields whose commas the importer would read as the entry's own (it cuts the line at its commas, the
# full-width comma of Chinese text among them), and whose parentheses it would read as a position's period.
_COMMAS: dict[type, set[str]] = {Degree: {"degree", "field", "institution"}, Position: {"role", "organization"},
                                 Project: {"title"}, Article: {"title"}}
_PARENTHESES: dict[type, set[str]] = {Position: {"role", "organization", "location"}}


def _literals(item: ListItem, name: str, first: str | None) -> dict[str, str]:
    """Characters written as references so that the importer reads the entry back the same: a comma inside a
    field the importer cuts at commas, a position's parentheses, an award's own parentheses at the end of its
    title when no (details) follow, a digit that starts it, parentheses in its details."""
    if isinstance(item, Award) and name == "title":
        closing = not item.detail and not item.date and plain_text(parse_markup(item.title)).endswith(")")
        return {"literal": "()" if closing else "", "literal_at_start": _DIGITS_AND_BRACKET if first == name else ""}
    if isinstance(item, Award) and name == "detail":
        return {"literal": "()"}
    if isinstance(item, Position) and name in ("role", "organization", "location") and _unread(
            plain_text(parse_markup(field(item, name) or "")), organization=name == "organization"):
        return {"literal": _DIGITS + ("()" if name in _PARENTHESES[Position] else "")}
    linked = isinstance(item, Article) and item.url is not None  # a link's text is not cut at its commas
    literal = (",，" if name in _COMMAS.get(type(item), ()) and not linked else "") + (
        "()" if name in _PARENTHESES.get(type(item), ()) else "")
    return {"literal": literal} if literal else {}


def field(item: ListItem, name: str) -> str | None:
    """An entry's field; a talk's type, venue, location and date are those of its one venue (none with several)."""
    if isinstance(item, Talk) and name != "title":
        return getattr(item.venues[0], name) if len(item.venues) == 1 else None
    value: str | None = getattr(item, name)
    return value


def first_slot(template: str) -> str | None:
    """The slot a template starts with, if it starts with one."""
    match = _FIRST_SLOT.match(template)
    return match.group(1) if match else None


def with_missing_optional(layout: EntryLayout, item: ListItem) -> EntryLayout:
    """A layout with each slot it always writes and the entry has no value for made optional with the comma or
    semicolon before it ('{venue}, {location}, {date}' writes 'Venue, 3 February 2025' for a talk without a
    place), for a place or a talk's type (`_LEFT_OUT`); any other such slot stays, for `fits` to refuse."""
    given = {name for name in FIELDS[type(item)] if field(item, name)}
    template = layout.template
    for slot in sorted((required_slots(layout) - given) & _LEFT_OUT):
        template = re.sub(r"([,;] )\{" + slot + r"\}", r"{?\1{" + slot + "}?}", template, count=1)
    return layout if template == layout.template else layout.model_copy(update={"template": template})


# The fields a layout may leave out between commas: read back, what follows is never taken for them (a talk's type
# is a type by its words, its place by its form); an organization left out would give its place for it.
_LEFT_OUT = frozenset({"location", "type"})


def fits(layout: EntryLayout, item: ListItem) -> bool:
    """Whether a layout has a place for each of the entry's fields, and the entry a value for each slot the
    layout always writes (else the text around that slot would dangle)."""
    if isinstance(item, Talk) and len(item.venues) > 1:
        return False  # a layout of one line has one venue's place
    given = {name for name in FIELDS[type(item)] if field(item, name)}
    if writes_open_end(layout.since, getattr(item, "end", None)):
        given.discard("end")  # written as the word before its start
    places = slots(layout)
    if "period" in places:
        places |= _PERIOD
    required = required_slots(layout)
    if "period" in required:
        required = (required - {"period"}) | ({"start"} if not given & _PERIOD else set())
    under = not getattr(item, "details", None) or layout.detail is not None  # a form for the lines under it
    return given <= places and required <= given and under


def write(writer: PageWriter, item: ListItem) -> str:
    """An entry in its own layout or its section's, or in cvgen's own when that has no place for a field; the
    lines under it after it."""
    return "".join(parts(writer, item))


def parts(writer: PageWriter, item: ListItem, others: Sequence[EntryLayout] = ()) -> tuple[str, str]:
    """An entry's own text (with the lines under it written after a line break) and the nested list under it. An
    entry its layout (its own, else its section's) has no place for is written in the first of `others` (the
    layouts of the other entries of its section) that has, else in its layout or a sibling's with what it lacks
    left out (`with_missing_optional`), else in cvgen's own: a talk added without the type its section's layout
    writes is written as its sibling without one is. (A section without a layout is written in cvgen's own,
    whatever an odd entry's.)"""
    layout = item.homepage.layout if item.homepage is not None else writer.section.layout
    if layout is not None and not fits(layout, item):
        # A sibling's layout as it stands, else one that leaves out what this entry lacks ("…, {location}, …").
        candidates = [*others, *(with_missing_optional(other, item) for other in (layout, *others))]
        layout = next((candidate for candidate in candidates if fits(candidate, item)), None)
    if layout is None:
        if isinstance(item, Talk):
            return writer.talk_parts(item)
        layout = default_layout(writer, item)
    own, nested = writer.detail_lines(layout, getattr(item, "details", []))
    written = open_period(layout.since, values(writer, item, first_slot(layout.template), layout.template),
                          getattr(item, "end", None))
    return fill_slots(layout.template, written) + own, nested


def default_layout(writer: PageWriter, item: NewsItem | Degree | Position | Award | Article | Project) -> EntryLayout:
    """cvgen's own layout for an entry of a section that has none, shaped by the section's settings (a talk's is
    not one line: `PageWriter.talk_parts`)."""
    page = writer.section

    def dated(slot: str) -> str:
        return braced(page.date_wrapper).replace("{{text}}", "{" + slot + "}")

    match item:
        case NewsItem():
            template = dated("date") + braced(page.separator) + "{text}"
        case Degree():
            template = ("{degree}{? in {field}?}, {institution}{?, {location}?}{?, " + dated("period")
                        + "?}{? ({note})?}")
        case Position():
            template = "{role}, {organization}{?, {location}?}{? (" + dated("period") + ")?}"
        case Award() if page.date_first:
            template = dated("date") + braced(page.separator) + "{title}{? ({detail})?}"
        case Award():
            details = "; ".join(f"{{{name}}}" for name in ("detail", "date") if getattr(item, name))
            template = "{title}" + (f" ({details})" if details else "")
            template = writer.link("{url}", template) if item.url else template
        case Article():
            template = (writer.link("{url}", "{title}") if item.url else "{title}") + "{?, {outlet}?}{?, {date}?}"
        case Project():
            template = "{title}{?, {sponsor}?}{?, {period}?}"
    return EntryLayout(template=template, detail="\n  - {text}")


__all__ = ["FIELDS", "ListItem", "default_layout", "field", "first_slot", "fits", "parts", "values", "write"]
