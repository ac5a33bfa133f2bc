"""The one template context every format's templates receive: the CV's view, each value written by a writer.

A format supplies a `Writer`: how its syntax writes literal text, spans, raw blocks, a period, an author and a
link (escaping included). `build_context` walks the view once and asks the writer for each value, so the LaTeX
and HTML templates get the same fields, by the same names, meaning the same thing; they only lay them out.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any, Protocol

from cvgen.blocks import Block
from cvgen.locales import locale
from cvgen.markup import plain_text
from cvgen.reuse import Memo
from cvgen.view import (
    ArticleView,
    AwardView,
    CVView,
    DegreeView,
    Entry,
    GenericEntryView,
    LinkView,
    NewsView,
    Period,
    Person,
    PositionView,
    ProjectView,
    PublicationView,
    RawEntryView,
    SectionView,
    ServiceGroupView,
    Spans,
    TalkView,
)


class Writer(Protocol):
    """How one format writes the view's values (each result is ready to place in its templates), in a language
    (for dates)."""

    language: str

    def text(self, text: str) -> Any:
        """Literal text, escaped."""

    def attribute(self, text: str) -> Any:
        """Literal text for the document's metadata (PDF information, a page's <title>): escaped, no markup."""

    def spans(self, spans: Spans) -> Any:
        """Formatted text: bold, italic, links…"""

    def blocks(self, blocks: Sequence[Block]) -> Any:
        """Raw Markdown's blocks."""

    def period(self, period: Period) -> Any:
        """A date, a range of dates, or words."""

    def person(self, person: Person) -> Any:
        """An author: the owner highlighted, the equal-contribution mark after the name."""

    def link(self, link: LinkView) -> Any:
        """A link around its label (the label alone when the URL policy refused the URL)."""

    def labelled_link(self, link: LinkView) -> Any:
        """A publication's link, such as [paper]."""


def node(**fields: object) -> SimpleNamespace:
    """A context record for the templates (attributes, so no name clashes with dict methods)."""
    return SimpleNamespace(**fields)


def build_context(view: CVView, writer: Writer, reuse: Memo[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The templates' context: the CV's header, metadata and sections, every value written by `writer`; an
    entry's values the last build wrote for the very same view of it, where `reuse` has them (`cvgen.reuse`)."""
    if reuse is not None:
        reuse.turn()
    words = locale(view.language)
    return {
        "language": writer.attribute(view.language),
        # cvgen's own words, in the CV's language.
        "labels": node(equal_contribution=writer.text(words.equal_contribution),
                       curriculum_vitae=writer.text(words.curriculum_vitae)),
        "name": writer.text(view.name),
        "headline": _optional(writer, view.headline),
        "email": _contact(view.email, writer),
        "website": _contact(view.website, writer),
        "affiliation": _optional(writer, view.affiliation),
        "location": _optional(writer, view.location),
        # The contact line, in order: the email, the website, the profile links.
        "contact": [contact for contact in (_contact(view.email, writer), _contact(view.website, writer),
                                            *(_contact(profile, writer) for profile in view.profiles)) if contact],
        "metadata": node(
            title=writer.attribute(view.title),
            author=writer.attribute(view.name),
            subject=writer.attribute(plain_text(view.headline) or words.curriculum_vitae),
            keywords=writer.attribute(", ".join(view.keywords)),
            description=writer.attribute(words.description.format(name=view.name)
                                         + (f": {plain_text(view.headline)}" if view.headline else "")),
        ),
        "sections": [_section(section, writer, reuse) for section in view.sections],
    }


def _contact(link: LinkView | None, writer: Writer) -> SimpleNamespace | None:
    if link is None:
        return None
    return node(text=writer.spans(link.label), link=writer.link(link))


def _optional(writer: Writer, spans: Spans) -> Any:
    """Text the field may lack: written, or None when empty (templates test for it)."""
    return writer.spans(spans) if spans else None


def _when(writer: Writer, period: Period | None) -> Any:
    return writer.period(period) if period is not None else None


def _section(section: SectionView, writer: Writer, reuse: Memo[dict[str, Any]] | None) -> SimpleNamespace:
    source = section.source
    field = "groups" if section.kind == "service" else "items"
    sources = section.entry_sources or [f"{source}.{field}[{index}]"
                                        for index in section.entry_items or range(len(section.entries))]
    entries = []
    for entry, where in zip(section.entries, sources, strict=True):
        write = functools.partial(_entry, entry, where, writer)
        # An entry's values depend on its view, its place (a talk's venues name it) and the writer.
        values = reuse.get(entry, (where, type(writer), writer.language), write) if reuse is not None else write()
        entries.append(node(source=where, **values))
    if section.kind == "interests":
        entries = [node(source=f"{source}.items[{index}]", text=writer.spans(item))
                   for index, item in enumerate(section.items)]
    return node(
        kind=section.kind,
        source=source,
        anchor=section.anchor,
        title=_optional(writer, section.title),
        bookmark=writer.attribute(plain_text(section.title)) if section.title else None,
        legend=section.equal_legend,
        group=section.group,
        paragraphs=[node(source=f"{source}.paragraphs[{index}]", text=writer.spans(paragraph))
                    for index, paragraph in enumerate(section.paragraphs) if paragraph],
        intro=_optional(writer, section.intro),
        entries=entries if section.kind != "service" else [],
        groups=entries if section.kind == "service" else [],
        body=writer.blocks(section.blocks) if section.kind == "raw" else None,
    )


def _entry(entry: Entry, source: str, writer: Writer) -> dict[str, Any]:
    optional, when = functools.partial(_optional, writer), functools.partial(_when, writer)
    match entry:
        case NewsView(date, text):
            return {"date": when(date), "text": writer.spans(text), "raw": None}
        case DegreeView(degree, field, institution, location, period, note, details):
            return {"degree": writer.spans(degree), "field": optional(field), "institution": writer.spans(institution),
                    "location": optional(location), "period": when(period), "note": optional(note), "raw": None,
                    "details": [writer.spans(line) for line in details]}
        case PublicationView(title, authors, venue, year, award, note, links, label, details, highlights, abstract):
            return {"title": writer.link(title), "authors": [writer.person(person) for person in authors],
                    "venue": optional(venue), "year": when(year), "award": optional(award), "note": optional(note),
                    "links": [writer.labelled_link(link) for link in links], "label": optional(label),
                    "details": optional(details), "highlights": [writer.spans(line) for line in highlights],
                    "abstract": optional(abstract), "raw": None}
        case GenericEntryView(title, period, details, subtitle, links, label, abstract, location, note):
            return {"label": optional(label), "title": writer.spans(title), "period": when(period),
                    "details": [writer.spans(detail) for detail in details], "subtitle": optional(subtitle),
                    "location": optional(location), "note": optional(note),
                    "links": [writer.labelled_link(link) for link in links], "abstract": optional(abstract),
                    "raw": None}
        case RawEntryView(blocks):
            return {"raw": writer.blocks(blocks)}
        case PositionView(role, organization, location, period, note, details):
            return {"role": writer.spans(role), "organization": writer.spans(organization),
                    "location": optional(location), "period": when(period), "note": optional(note), "raw": None,
                    "details": [writer.spans(line) for line in details]}
        case AwardView(title, detail, date, details):
            return {"title": writer.link(title), "detail": optional(detail), "date": when(date), "raw": None,
                    "details": [writer.spans(line) for line in details]}
        case TalkView(title, venues, abstract):
            return {"title": writer.spans(title), "abstract": optional(abstract), "venues": [
                node(source=f"{source}.venues[{index}]", venue=writer.spans(venue.venue), date=when(venue.date))
                for index, venue in enumerate(venues)]}
        case ArticleView(title, outlet, date):
            return {"title": writer.link(title), "outlet": optional(outlet), "date": when(date), "raw": None}
        case ServiceGroupView(title, entries):
            return {"title": optional(title), "entries": [
                node(source=f"{source}.entries[{index}]", venue=writer.spans(item.venue), short=optional(item.short),
                     years=[writer.text(year) for year in item.years]) for index, item in enumerate(entries)]}
        case ProjectView(title, sponsor, period):
            return {"title": writer.spans(title), "sponsor": optional(sponsor), "period": when(period), "raw": None}
    raise AssertionError(f"no context for {entry!r}")
