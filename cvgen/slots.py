"""Filling a layout's slots: the one writer of every entry written by a layout (`cvgen.model.EntryLayout`).

A layout is an entry's Markdown with a slot for each field (`{title}`, `{start}`…); an optional part
(`{?, {location}?}`) is written only when all its slots have values; a brace the page itself writes is doubled
(`{{ site.url }}`). The importer derives layouts from the page (`cvgen.importers.layouts`), the homepage writer
fills them (`cvgen.renderers.markdown`); both use this module, so neither depends on the other. A paper's fields
(`PaperFields`, what the importer reads from an entry and the writer fills in) live here for the same reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cvgen.dates import is_present
from cvgen.model import AuthorsLayout, EntryLayout

SLOT = re.compile(r"(?<!\{)\{(\w+)\}")
SLOT_OR_BRACE = re.compile(r"\{\{|\}\}|\{(\w+)\}")
OPTIONAL = re.compile(r"\{\?((?:(?!\?\}).)*)\?\}", re.S)
OPTIONAL_MARKS = re.compile(r"\{\?|\?\}")


def braced(text: str) -> str:
    """Text as it stands in a template, its braces doubled (`{{ site.url }}` in a link target)."""
    return text.replace("{", "{{").replace("}", "}}")


def unbraced(template_text: str) -> str:
    """Template text as the page writes it, its doubled braces single again."""
    return template_text.replace("{{", "{").replace("}}", "}")


def slots(layout: EntryLayout) -> set[str]:
    """The fields a layout has a place for."""
    return set(SLOT.findall(layout.template))


def required_slots(layout: EntryLayout) -> set[str]:
    """The slots a layout always writes (outside its optional parts): an entry without a value for one would
    leave the text around it dangling ("Mar. 2018 - ")."""
    return set(SLOT.findall(OPTIONAL.sub("", layout.template)))


def fill_slots(template: str, values: dict[str, str]) -> str:
    """A template with its slots filled; an optional part is written when all its slots have values."""
    template = OPTIONAL.sub(lambda match: match.group(1) if all(
        values.get(slot) for slot in SLOT.findall(match.group(1))) else "", template)
    return SLOT_OR_BRACE.sub(lambda match: values.get(match.group(1), match.group(0))
                             if match.group(1) else match.group(0)[0], template)


def open_period(since: str | None, values: dict[str, str], end: str | None) -> dict[str, str]:
    """An entry's values for a layout that writes a period running to the present as its start after a word,
    its `since` ('seit {start}'): the start with the word, and no end; the values as they are otherwise."""
    if not writes_open_end(since, end) or not values.get("start"):
        return values
    return {**values, "start": f"{since}{values['start']}", "end": ""}


def writes_open_end(since: str | None, end: str | None) -> bool:
    """Whether a layout whose `since` is this writes an entry's end by that word (the end is the present)."""
    return since is not None and is_present(end)


def layout_url(url: str | None) -> str | None:
    """A URL for a layout's link: what would end it, in Markdown or in an attribute, percent-encoded."""
    return _URL_ESCAPES.sub(lambda match: f"%{ord(match.group()):02X}", url.strip()) if url else None


# What would end a URL in Markdown or an attribute, open Liquid, or make a table cell of kramdown's (a pipe).
_URL_ESCAPES = re.compile(r"[<>\\\"\s(){}|]")


def written_links(layout: EntryLayout, links: list[tuple[str, str]]) -> str:
    """An entry's links (label, URL) as its layout writes its link run."""
    if layout.links is None:
        return ""
    site_link = layout.links.site_link
    return layout.links.separator.join(
        (site_link if site_link and url.startswith("/") else layout.links.link).replace("{label}", label)
        .replace("{url}", url) for label, url in links)


# --- papers ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class AuthorField:
    """One author as an entry writes them: the name, the marks after it (*, †), and whether it is emphasised."""

    name: str
    marks: str = ""
    emphasised: bool = False


@dataclass
class PaperFields:
    """What one publication entry holds, as recognised by content."""

    label: str | None = None
    title: str | None = None
    title_url: str | None = None
    title_written: str | None = None  # the title as the page writes it, when that holds markup
    authors: list[AuthorField] = field(default_factory=list)
    venue: str | None = None
    details: str | None = None  # volume, issue, pages, article number as written ("12(3), 455–489")
    year: str | None = None
    links: list[tuple[str, str]] = field(default_factory=list)
    award: str | None = None  # "Oral Presentation", "Spotlight", after the venue or on a line of its own
    note: str | None = None  # a remark in parentheses after the venue, without them: "acceptance = 207 / 11672 = 1.8%"
    coauthors: list[AuthorField] = field(default_factory=list)  # "With A and B": a list that leaves the owner out


# The slots of a paper's layout that hold one field's text.
SLOTS = ("label", "title", "title_url", "venue", "details", "year", "award", "note")


def year_inside(fields: PaperFields) -> bool:
    """Whether the paper's year is written inside its venue or details ("NeurIPS 2022 Workshop", "2024年3月"),
    so that a layout needs no place of its own for it."""
    return bool(fields.year) and any(str(fields.year) in (text or "") for text in (fields.venue, fields.details))


def holds(layout: EntryLayout, fields: PaperFields) -> bool:
    """Whether a layout has a place for each of the paper's fields (the year may stand inside another), and the
    paper a value for each slot the layout always writes (else the text around it would dangle: `**` of an
    empty `*{venue}*`, `[Title]()` of a link without its URL)."""
    given = {slot for slot in SLOTS if getattr(fields, slot)} | ({"authors"} if fields.authors else set()) | (
        {"links"} if fields.links else set())
    written = given | {"highlights"}  # the lines under a paper in a box may be none
    if year_inside(fields):
        given.discard("year")
    return given <= slots(layout) and required_slots(layout) <= written


def fill(layout: EntryLayout, fields: PaperFields, default_mark: str = "\\*", highlights: str = "") -> str:
    """The paper's Markdown: its layout with every slot filled (the one writer for every layout); an optional
    part (`{?, {details}?}`) is written when its slots have values. A mark the layout has no form for is written
    as `default_mark` for the star, as itself otherwise. `highlights` are the lines under the paper as written,
    for a layout that holds them (`{highlights}`: a list inside a paper box)."""
    values: dict[str, str] = {slot: str(getattr(fields, slot) or "") for slot in SLOTS}
    values["highlights"] = highlights
    values["links"] = written_links(layout, fields.links)
    if layout.authors is not None:
        values["authors"] = _author_list(layout.authors, fields.authors or fields.coauthors, default_mark)
    return fill_slots(layout.template, values)


def _author_list(layout: AuthorsLayout, authors: list[AuthorField], default_mark: str) -> str:
    """An author list as its layout writes it: each name in its form (the owner's emphasised) with its marks,
    the separators, and the legend after it where an author has the equal-contribution mark."""
    def mark(author: AuthorField) -> str:
        own = layout.owner_marks.get(author.marks) if author.emphasised else None
        return own if own is not None else layout.marks.get(author.marks, author.marks.replace("*", default_mark))

    written = [author for author in authors if layout.owner_written or not author.emphasised]
    names = [(layout.emphasised if author.emphasised else layout.plain).replace("{name}", author.name)
             .replace("{mark}", mark(author)) for author in written]
    last = layout.pair if len(names) == 2 and layout.pair is not None else layout.last_separator
    text = "".join(name if not index else (last if index == len(names) - 1 else layout.separator) + name
                   for index, name in enumerate(names))
    return text + (layout.legend if layout.legend and any("*" in author.marks for author in written) else "")


__all__ = ["OPTIONAL", "OPTIONAL_MARKS", "SLOT", "SLOTS", "SLOT_OR_BRACE", "AuthorField", "PaperFields", "braced",
           "fill", "fill_slots", "holds", "layout_url", "open_period", "required_slots", "slots", "unbraced",
           "writes_open_end", "written_links", "year_inside"]
