"""The CV's one format-neutral view, built once per run: every field interpreted in one place for every output.

The model holds what the YAML says; the view holds what the CV shows. Text fields are parsed once into spans;
dates become periods (a start, an end, or free text); authors know whether they are the owner and carry their
equal-contribution mark; links pass the one URL policy (a refused link keeps its words and loses its target);
each section has its anchor (unique in the document) and its source path (`sections[3]`, for messages); raw
Markdown is a tree of blocks read as Jekyll reads it. A format's writer turns these into its own syntax, so two
formats cannot disagree about what a field means: the name is literal text in every format, the document title
has one separator, a link is a link in every format or in none, a position's free-text `when` is its period, and
service years are literal text.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from dataclasses import dataclass, field
from typing import Any, Literal

from cvgen.blocks import Block, RawSpan, RawWarning, parse_blocks
from cvgen.dates import PartialDate, parse_date
from cvgen.errors import Origin
from cvgen.locales import locale
from cvgen.markup import Text, parse_markup, plain_text
from cvgen.model import (
    CV,
    EQUAL_CONTRIBUTION,
    AwardsSection,
    EducationSection,
    EntriesSection,
    ExperienceSection,
    InterestsSection,
    NewsSection,
    PressSection,
    ProjectsSection,
    Publication,
    PublicationsSection,
    RawEntry,
    RawSection,
    Section,
    ServiceSection,
    TalksSection,
    TalkVenue,
    TextSection,
)
from cvgen.model import Link as ModelLink
from cvgen.reuse import Memo
from cvgen.urls import url_problem

Spans = tuple[RawSpan, ...]
TITLE_SEPARATOR = " \u2013 "  # "Name – Curriculum Vitae", in the PDF's metadata and the page's <title>


@dataclass(frozen=True)
class Period:
    """When something happened: one date, a range (an open end is 'present'), or words such as 'expected 2025'."""

    start: PartialDate | None = None
    end: PartialDate | None = None
    words: Spans = ()

    @property
    def dates(self) -> tuple[PartialDate, ...]:
        """The dates given, in order."""
        return tuple(date for date in (self.start, self.end) if date is not None)


@dataclass(frozen=True)
class Person:
    """An author: the name as written, whether it is the owner's, and whether it carries the equal mark."""

    name: str
    owner: bool
    equal: bool
    marks: str = ""  # marks after the name other than the equal-contribution star, such as †


@dataclass(frozen=True)
class LinkView:
    """A labelled link; `url` is None when the URL policy refuses it (the label is still shown)."""

    label: Spans
    url: str | None


@dataclass(frozen=True)
class NewsView:
    date: Period
    text: Spans


@dataclass(frozen=True)
class DegreeView:
    degree: Spans
    field: Spans
    institution: Spans
    location: Spans
    period: Period | None
    note: Spans
    details: tuple[Spans, ...] = ()


@dataclass(frozen=True)
class PublicationView:
    title: LinkView  # linked when the paper's title links somewhere
    authors: tuple[Person, ...]
    venue: Spans
    year: Period | None
    award: Spans
    note: Spans
    links: tuple[LinkView, ...]
    label: Spans = ()  # "C13", shown as [C13]
    details: Spans = ()  # volume, issue and pages
    highlights: tuple[Spans, ...] = ()  # lines under the paper
    abstract: Spans = ()


@dataclass(frozen=True)
class GenericEntryView:
    title: Spans
    period: Period | None
    details: tuple[Spans, ...]
    subtitle: Spans = ()
    links: tuple[LinkView, ...] = ()
    label: Spans = ()
    abstract: Spans = ()
    location: Spans = ()
    note: Spans = ()  # the free-text `when` beside dates, which then say the period


@dataclass(frozen=True)
class RawEntryView:
    """An entry kept as the page writes it, as blocks of Markdown read as Jekyll reads them."""

    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class PositionView:
    role: Spans
    organization: Spans
    location: Spans
    period: Period | None  # the dates and, when there are none, the free-text `when`
    note: Spans  # the free-text `when` beside dates, which then say the period
    details: tuple[Spans, ...] = ()


@dataclass(frozen=True)
class AwardView:
    title: LinkView
    detail: Spans
    date: Period | None
    details: tuple[Spans, ...] = ()


@dataclass(frozen=True)
class TalkVenueView:
    venue: Spans
    date: Period | None


@dataclass(frozen=True)
class TalkView:
    title: Spans
    venues: tuple[TalkVenueView, ...]
    abstract: Spans = ()


@dataclass(frozen=True)
class ArticleView:
    title: LinkView
    outlet: Spans
    date: Period | None


@dataclass(frozen=True)
class ServiceEntryView:
    venue: Spans
    short: Spans
    years: tuple[str, ...]  # literal text, as written: '2021 (expert)'


@dataclass(frozen=True)
class ServiceGroupView:
    title: Spans
    entries: tuple[ServiceEntryView, ...]


@dataclass(frozen=True)
class ProjectView:
    title: Spans
    sponsor: Spans
    period: Period | None


Entry = (NewsView | DegreeView | PublicationView | GenericEntryView | RawEntryView | PositionView | AwardView
         | TalkView | ArticleView | ServiceGroupView | ProjectView)
Kind = Literal["text", "interests", "news", "education", "publications", "experience", "awards", "talks", "press",
               "service", "projects", "entries", "raw"]


@dataclass(frozen=True)
class SectionView:
    """A section: its heading, its anchor in the document, where it came from, and its content by kind."""

    kind: Kind
    title: Spans
    anchor: str
    source: str  # the section's path in the CV, `sections[3]`
    paragraphs: tuple[Spans, ...] = ()  # text
    intro: Spans = ()  # interests: the line before the list
    items: tuple[Spans, ...] = ()  # interests
    entries: tuple[Entry, ...] = ()
    blocks: tuple[Block, ...] = ()  # raw
    equal_legend: bool = False  # the first section whose authors carry the equal-contribution mark says what it means
    group: bool = False  # a group inside the section before it: its heading one level down
    entry_sources: tuple[str, ...] = ()  # each entry's path, where a variant or the section's order moved them
    entry_items: tuple[int, ...] = ()  # each entry's item, where an item shows no entry (an empty raw one, a legend)


@dataclass(frozen=True)
class ViewWarning:
    """Something of the CV that the PDFs leave out: the field it is in, and what and where in it."""

    path: tuple[str | int, ...]  # ("sections", 3, "markdown")
    message: str  # "line 5 of the Markdown: Liquid {{ site.title }} needs the site to evaluate; …"


@dataclass(frozen=True)
class CVView:
    """The whole CV as every output shows it."""

    name: str  # literal text, in every format
    title: str  # the document's title: "Name – Curriculum Vitae"
    headline: Spans
    email: LinkView | None
    website: LinkView | None
    keywords: tuple[str, ...]
    sections: tuple[SectionView, ...]
    affiliation: Spans = ()
    location: Spans = ()
    profiles: tuple[LinkView, ...] = ()  # Google Scholar, ORCID…: after the email and website on the contact line
    warnings: tuple[ViewWarning, ...] = field(default=())  # what the PDFs leave out (raw Liquid)
    language: str = "en"  # the CV's: its dates and cvgen's own words are written in it


def spans(source: str | None) -> Spans:
    """A text field's markup as spans (the loader has already held its links to the URL policy)."""
    return parse_markup(source) if source else ()


def link(label: Spans, url: str | None) -> LinkView:
    """A link under the URL policy: a refused or missing URL leaves the label alone."""
    return LinkView(label, url.strip() if url and not url_problem(url.strip()) else None)


def period(start: str | None = None, end: str | None = None, words: str | None = None) -> Period | None:
    """Dates as a period; None when there are neither dates nor words."""
    if not (start or end or words):
        return None
    return Period(parse_date(start) if start else None, parse_date(end) if end else None, spans(words))


def people(cv: CV, publication: Publication) -> tuple[Person, ...]:
    """A publication's authors with the owner found (by any spelling of the name) and the equal marks split off."""
    return tuple(Person(author.name, cv.is_owner(author.name), author.equal, author.marks.replace("*", ""))
                 for author in publication.author_list())


class _Anchors:
    """Section anchors, unique in the document: a repeated title gets -2, -3… (in linear time)."""

    def __init__(self) -> None:
        self.used: set[str] = set()
        self.next_number: dict[str, int] = {}

    def unique(self, wanted: str) -> str:
        candidate, number = wanted, self.next_number.get(wanted, 2)
        while candidate in self.used:
            candidate, number = f"{wanted}-{number}", number + 1
        self.next_number[wanted] = number
        self.used.add(candidate)
        return candidate


def _slug(text: str) -> str:
    return re.sub(r"[\W_]+", "-", text.casefold()).strip("-")


def build_view(cv: CV, origin: Origin | None = None, reuse: Memo[Entry] | None = None) -> CVView:
    """The view of a CV: built once per run, written by every format. `origin` says where each section and entry
    stands in the YAML when a variant or a section's order moved them (for the paths messages name); `reuse`
    holds the last build's entry views (`cvgen.reuse`)."""
    if reuse is not None:
        reuse.turn()
    anchors = _Anchors()
    legend_due = True
    sections = []
    warnings: list[ViewWarning] = []
    written = origin.written if origin is not None and origin.moved else None
    for index, (shown_path, section) in enumerate(cv.cv_sections()):
        path = written(shown_path) if written else shown_path
        view = _section(cv, section, index, anchors, source_path(path), reuse)
        if written:
            view = dataclasses.replace(view, entry_sources=tuple(
                source_path(written((*shown_path, "items", number)))
                for number in view.entry_items or range(len(view.entries))))
        if legend_due and any(isinstance(entry, PublicationView) and any(person.equal for person in entry.authors)
                              for entry in view.entries):
            view = dataclasses.replace(view, equal_legend=True)
            legend_due = False
        if isinstance(section, RawSection):
            warnings += [_raw_warning((*path, "markdown"), warning)
                         for warning in parse_blocks(section.markdown).warnings]
        else:
            warnings += [_raw_warning((*(written((*shown_path, "items", number)) if written else (
                *path, "items", number)), "raw"), warning)
                         for number, item in enumerate(getattr(section, "items", [])) if isinstance(item, RawEntry)
                         for warning in parse_blocks(item.raw).warnings]
        sections.append(view)
    email = cv.email.strip() if cv.email else None
    website = cv.website.strip() if cv.website else None
    return CVView(
        name=cv.name,
        title=f"{cv.name}{TITLE_SEPARATOR}{locale(cv.language).curriculum_vitae}",
        language=cv.language,
        headline=spans(cv.headline),
        email=link((Text(email),), f"mailto:{email}") if email else None,
        website=link((Text(re.sub(r"^https?://", "", website).rstrip("/")),), website) if website else None,
        keywords=tuple(cv.keywords),
        sections=tuple(sections),
        affiliation=spans(cv.affiliation),
        location=spans(cv.location),
        profiles=tuple(link(spans(profile.label), profile.url) for profile in cv.profiles),
        warnings=tuple(warnings),
    )


def _raw_warning(path: tuple[str | int, ...], warning: RawWarning) -> ViewWarning:
    return ViewWarning(path, f"line {warning.line} of the Markdown: {warning.message}")


def source_path(path: tuple[str | int, ...]) -> str:
    """A path in the YAML as messages write it: ("site", "pages", 0, "sections", 2) → site.pages[0].sections[2]."""
    return "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in path).lstrip(".")


def _section(cv: CV, section: Section, index: int, anchors: _Anchors, source: str,
             reuse: Memo[Entry] | None) -> SectionView:
    title = spans(section.title)
    anchor = anchors.unique(_slug(plain_text(title)) or f"section-{index + 1}")
    paragraphs: tuple[Spans, ...] = ()
    intro: Spans = ()
    items: tuple[Spans, ...] = ()
    entries: tuple[Entry, ...] = ()
    numbers: tuple[int, ...] = ()
    blocks: tuple[Block, ...] = ()
    match section:
        case TextSection():
            paragraphs = tuple(spans(text) for text in section.paragraphs)
        case InterestsSection():
            intro = spans(section.intro)
            items = tuple(spans(item) for item in section.items)
        case RawSection():
            blocks = parse_blocks(section.markdown).blocks
        case _:
            shown = _entries(cv, section, reuse)
            entries = tuple(entry for _, entry in shown)
            numbers = tuple(number for number, _ in shown)
    return SectionView(section.kind, title, anchor, source, paragraphs, intro, items, entries, blocks,
                       group=section.group, entry_items=() if numbers == tuple(range(len(numbers))) else numbers)


def _talk_place(venue: TalkVenue) -> Spans:
    """Where a talk was given, as every format shows it: its type, the venue and the location ('Tutorial, UC
    Berkeley, Berkeley, CA')."""
    parts = [spans(part) for part in (venue.type, venue.venue, venue.location) if part]
    return tuple(span for index, part in enumerate(parts) for span in ((Text(", "),) if index else ()) + part)


def _entries(cv: CV, section: Section, reuse: Memo[Entry] | None) -> list[tuple[int, Entry]]:
    """A section's entries' views, each with its item's number; each one the last build made of the very same
    record, where `reuse` has it (an entry's view depends on the record and, for a paper's authors, on the owner's
    names). A raw entry that only says what the equal-contribution mark means is left to the outputs' own legend,
    where a paper is so marked."""
    items = getattr(section, "items", [])
    legends = {index for index, item in enumerate(items) if isinstance(item, RawEntry) and is_equal_legend(item.raw)}
    if legends and not (isinstance(section, PublicationsSection) and any(
            author.equal for item in items if isinstance(item, Publication) for author in item.author_list())):
        legends = set()  # no paper here marks an equal contribution: the outputs write no legend of their own
    raw = {index: RawEntryView(parse_blocks(item.raw).blocks) for index, item in enumerate(items)
           if isinstance(item, RawEntry) and index not in legends}
    typed = [item for item in items if not isinstance(item, RawEntry)]
    if reuse is not None and typed:
        owner = (cv.name, tuple(cv.name_variants))
        views = iter([reuse.get(item, owner, functools.partial(_typed_entry, cv, section, item)) for item in typed])
    else:
        views = iter(_typed_entries(cv, section, typed))
    entries = [(index, raw[index] if index in raw else next(views)) for index in range(len(items))
               if index in raw or not isinstance(items[index], RawEntry)] if items else list(enumerate(views))
    # A raw entry that shows nothing (an anchor, a comment) is no entry: an empty item would only add space.
    return [(index, entry) for index, entry in entries if not (isinstance(entry, RawEntryView) and not entry.blocks)]


# A line that only says what the equal-contribution mark means ("(\\*: equal contribution)", "* These authors
# contributed equally"), once its markup and escapes are set aside.
_EQUAL_LEGEND = re.compile(r"\(?\s*[*†‡#§¶]+\s*(?::|=|denotes|indicates)?\s*" + EQUAL_CONTRIBUTION
                           + r"\s*\.?\s*\)?\.?", re.IGNORECASE)


def is_equal_legend(markdown: str) -> bool:
    """Whether raw Markdown only says what the equal-contribution mark means: a publications section whose papers
    mark equal contributions shows the outputs' own legend instead (a second one would only repeat it)."""
    return _EQUAL_LEGEND.fullmatch(re.sub(r"\\|\*\*|__|<[^<>]*>", "", markdown).strip()) is not None


def _typed_entry(cv: CV, section: Section, item: Any) -> Entry:
    return _typed_entries(cv, section, [item])[0]


def _typed_entries(cv: CV, section: Section, items: list[Any]) -> list[Entry]:
    """The views of a section's typed entries (its raw entries are shown as written, in their places)."""
    match section:
        case NewsSection():
            return [NewsView(Period(parse_date(item.date)), spans(item.text)) for item in items]
        case EducationSection():
            return [DegreeView(spans(item.degree), spans(item.field), spans(item.institution), spans(item.location),
                               period(item.start, item.end), spans(item.note), _lines(item.details)) for item in items]
        case PublicationsSection():
            return [PublicationView(
                link(spans(item.title), item.url), people(cv, item), spans(item.venue), _year(item),
                spans(item.award), spans(item.note), tuple(_links(item.links)), spans(item.label),
                spans(item.details), tuple(spans(line) for line in item.highlights), spans(item.abstract))
                for item in items]
        case ExperienceSection():
            return [PositionView(spans(item.role), spans(item.organization), spans(item.location),
                                 period(item.start, item.end) or period(words=item.when),
                                 spans(item.when) if item.start or item.end else (), _lines(item.details))
                    for item in items]
        case AwardsSection():
            return [AwardView(link(spans(item.title), item.url), spans(item.detail), period(item.date),
                              _lines(item.details)) for item in items]
        case TalksSection():
            return [TalkView(spans(item.title), tuple(TalkVenueView(_talk_place(venue), period(venue.date))
                                                      for venue in item.venues), spans(item.abstract))
                    for item in items]
        case PressSection():
            return [ArticleView(link(spans(item.title), item.url), spans(item.outlet), period(item.date))
                    for item in items]
        case ServiceSection():
            return [ServiceGroupView(spans(group.title), tuple(
                ServiceEntryView(spans(entry.venue), spans(entry.short), tuple(entry.years))
                for entry in group.entries)) for group in section.groups]
        case ProjectsSection():
            return [ProjectView(spans(item.title), spans(item.sponsor), period(item.start, item.end))
                    for item in items]
        case EntriesSection():
            return [GenericEntryView(
                spans(item.title), period(item.start, item.end) or period(words=item.when),
                tuple(spans(detail) for detail in item.details), spans(item.subtitle), tuple(_links(item.links)),
                spans(item.label), spans(item.abstract), spans(item.location),
                spans(item.when) if item.start or item.end else ())
                for item in items]
    raise AssertionError(f"no view for {section.kind}")


def _lines(lines: list[str]) -> tuple[Spans, ...]:
    """Lines under an entry (a thesis, a GPA, an achievement), as spans."""
    return tuple(spans(line) for line in lines)


def _year(paper: Publication) -> Period | None:
    """A paper's year as shown: none when its venue or details already say it ("NeurIPS 2022 Workshop on …",
    "Denver, CO, USA, Jun. 2024, pp. 1–6")."""
    said = re.compile(rf"(?<!\d){re.escape(paper.year)}(?!\d)") if paper.year is not None else None
    if said is not None and any(said.search(plain_text(parse_markup(text))) for text in (paper.venue, paper.details)
                                if text):
        return None
    return period(paper.year)


def _links(links: list[ModelLink]) -> list[LinkView]:
    return [link(spans(each.label) or (Text(each.url),), each.url) for each in links]
