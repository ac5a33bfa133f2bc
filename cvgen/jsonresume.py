"""The CV as a JSON Resume document (`cvgen export jsonresume`, schema 1.3.1): its header as `basics`, positions as
`work` (or `volunteer`), degrees as `education`, awards (and `certificates`), papers as `publications`, and the
sections a JSON Resume import made of `skills`, `languages`, `interests`, `references` and `projects`, each found by
its `id`; and what JSON Resume has no place for, in words.

JSON Resume's values are plain text, so markup is written as its text. Its dates are ISO (`2022`, `2022-02`,
`2022-02-08`); an open end ('Present') is an absent `endDate`; a date it cannot hold (a season, words) is left out
and counted. The schema lets an object carry more than it names: a paper's ordered author list goes in `authors`,
which the schema allows though standard themes do not show it.

An entry imported from JSON Resume keeps its object (`jsonresume`): the export starts from it and writes each field
the CV types from the CV only where the CV now says something else than what the import made of the object (a
three-way merge), so an unchanged entry comes back as it was, and an edited one carries the edit.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from cvgen.dates import parse_date
from cvgen.importers.jsonresume import LEAD_FIELDS, READERS, location_text, read_cv, text
from cvgen.markup import Link as LinkSpan
from cvgen.markup import markup_text, parse_markup, plain_text
from cvgen.model import (
    CV,
    Award,
    AwardsSection,
    Degree,
    EducationSection,
    EntriesSection,
    ExperienceSection,
    GenericEntry,
    InterestsSection,
    Position,
    Project,
    ProjectsSection,
    Publication,
    PublicationsSection,
    Section,
    TextSection,
)

SCHEMA_URL = "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.3.1/schema.json"
Object = dict[str, Any]
# The list a section of each kind goes to, where its `id` does not name one of its kind.
_LIST_OF_KIND = {"experience": "work", "education": "education", "awards": "awards", "publications": "publications",
                 "projects": "projects", "interests": "interests"}


_UNHELD_DATES = "dates JSON Resume cannot hold (seasons, words)"  # counted in the export's warning


def merged(record: Object, base: Object, fresh: Object) -> Object:
    """The object as the file wrote it (`record`), with each field written anew where the CV (`fresh`) now says
    something else than what the import made of the record (`base`)."""
    out = dict(record)
    for key in [*base, *(key for key in fresh if key not in base)]:
        if base.get(key) != fresh.get(key):
            if key in fresh:
                out[key] = fresh[key]
            else:
                out.pop(key, None)
    return out


def name_and_url(source: str | None) -> tuple[str, str | None]:
    """A linked name (`[Pied Piper](http://…)`) as its text and URL; other markup as its text."""
    spans = parse_markup(source) if source else ()
    if len(spans) == 1 and isinstance(spans[0], LinkSpan):
        return plain_text(spans[0].children), spans[0].url
    return markup_text(source), None


class _Export:
    def __init__(self) -> None:
        self.left: Counter[str] = Counter()

    def date(self, text_: str | None, key: str) -> Object:
        """A date as JSON Resume's ISO text under `key`, or nothing (an open end; a date it cannot hold, counted)."""
        if not text_:
            return {}
        date = parse_date(text_)
        if date.present:
            return {}
        iso = date.iso()
        if iso is None:
            self.left[_UNHELD_DATES] += 1
            return {}
        return {key: iso}

    def period(self, start: str | None, end: str | None) -> Object:
        return {**self.date(start, "startDate"), **self.date(end, "endDate")}

    def position(self, item: Position, organization_key: str = "name") -> Object:
        record = item.jsonresume or {}
        name, url = name_and_url(item.organization)
        entry: Object = {organization_key: name, "position": markup_text(item.role)}
        if url:
            entry["url"] = url
        if item.location:
            entry["location"] = markup_text(item.location)
        entry.update(self.period(item.start, item.end))
        lines = [markup_text(line) for line in item.details]
        for key in LEAD_FIELDS:  # the lines the import made of the object's text fields, in their order
            if record.get(key) not in (None, "") and lines:
                entry[key] = lines.pop(0)
        if item.when and "summary" not in entry:
            entry["summary"] = markup_text(item.when)
        if lines:
            entry["highlights"] = lines
        return entry

    def degree(self, item: Degree) -> Object:
        institution, url = name_and_url(item.institution)
        entry: Object = {"institution": institution, "studyType": markup_text(item.degree)}
        if url:
            entry["url"] = url
        if item.field:
            entry["area"] = markup_text(item.field)
        entry.update(self.period(item.start, item.end))
        lines = [markup_text(line) for line in item.details]
        if item.note and item.jsonresume and item.jsonresume.get("score") not in (None, ""):
            entry["score"] = markup_text(item.note)
        elif item.note:
            lines.insert(0, markup_text(item.note))
        if lines:
            entry["courses"] = lines
        self.left["degree locations"] += bool(item.location)
        return entry

    def award(self, item: Award) -> Object:
        entry: Object = {"title": markup_text(item.title)}
        entry.update(self.date(item.date, "date"))
        if item.detail:
            entry["awarder"] = markup_text(item.detail)
        if item.details:
            entry["summary"] = " ".join(markup_text(line) for line in item.details)
        self.left["award links"] += bool(item.url)
        return entry

    def certificate(self, item: Award) -> Object:
        entry: Object = {"name": markup_text(item.title)}
        entry.update(self.date(item.date, "date"))
        if item.url:
            entry["url"] = item.url
        if item.detail:
            entry["issuer"] = markup_text(item.detail)
        self.left["lines under certificates"] += bool(item.details)
        return entry

    def paper(self, item: Publication) -> Object:
        entry: Object = {"name": markup_text(item.title)}
        if item.authors:
            entry["authors"] = [author.name for author in item.author_list()]
        venue = ", ".join(part for part in (markup_text(item.venue), markup_text(item.details)) if part)
        if venue:
            entry["publisher"] = venue
        entry.update(self.date(item.year, "releaseDate"))
        url = item.url or next((link.url for link in item.links), None)
        if url:
            entry["url"] = url
        note = f"({markup_text(item.note)})" if item.note else ""
        lines = [markup_text(line) for line in item.highlights]
        summary = " ".join(part for part in (markup_text(item.award), note, markup_text(item.abstract), *lines) if part)
        if summary:
            entry["summary"] = summary
        self.left["paper links besides the first"] += max(0, len(item.links) - (0 if item.url else 1))
        self.left["paper labels ([C13])"] += bool(item.label)
        return entry

    def project(self, item: Project) -> Object:
        entry: Object = {"name": markup_text(item.title)}
        if item.sponsor:
            entry["entity"] = markup_text(item.sponsor)
        entry.update(self.period(item.start, item.end))
        return entry

    def generic(self, item: GenericEntry, list_key: str) -> Object:
        """An entry of a section a JSON Resume import made of `skills`, `languages`, `interests`, `references` or
        `projects`, as that list's object."""
        record = item.jsonresume or {}
        title, subtitle = markup_text(item.title), markup_text(item.subtitle)
        entry: Object
        if item.location and list_key != "projects":
            self.left[f"locations in {list_key}"] += 1
        self.left[_UNHELD_DATES] += bool(item.when)
        if list_key in ("skills", "interests"):
            keywords: list[str] = []
            if item.label:
                written = record.get("keywords")
                keywords = written if isinstance(written, list) and ", ".join(
                    markup_text(text(word)) for word in written) == title else title.split(", ")
            entry = {"name": markup_text(item.label) if item.label else title}
            if subtitle and list_key == "skills":
                entry["level"] = subtitle
            if keywords:
                entry["keywords"] = keywords
        elif list_key == "languages":
            entry = {"language": title, **({"fluency": subtitle} if subtitle else {})}
        elif list_key == "references":
            entry = {"name": title, **({"reference": markup_text(item.abstract)} if item.abstract else {})}
        else:  # projects
            name, url = name_and_url(item.title)
            entry = {"name": name, **({"url": url} if url else {}), **({"entity": subtitle} if subtitle else {})}
            if item.location:  # the schema names none, and lets an object carry more than it names
                entry["location"] = markup_text(item.location)
            entry.update(self.period(item.start, item.end))
            if item.abstract:
                entry["description"] = markup_text(item.abstract)
            if item.details:
                entry["highlights"] = [markup_text(line) for line in item.details]
        return entry

    def item(self, item: Any, list_key: str) -> Object:
        """An entry as its list's object: written from the CV, merged into its imported object where it has one."""
        fresh = self.fresh(item, list_key)
        record = getattr(item, "jsonresume", None)
        if record is None:
            return fresh
        base = _Export().fresh(READERS[list_key].read(record), list_key)
        return merged(record, base, fresh)

    def fresh(self, item: Any, list_key: str) -> Object:
        match item:
            case Position():
                return self.position(item, "organization" if list_key == "volunteer" else "name")
            case Degree():
                return self.degree(item)
            case Award():
                return self.certificate(item) if list_key == "certificates" else self.award(item)
            case Publication():
                return self.paper(item)
            case GenericEntry():
                return self.generic(item, list_key)
            case Project():
                return self.project(item)
        raise AssertionError(f"no JSON Resume object for {type(item).__name__}")


def _list_key(section: Section) -> str | None:
    """The JSON Resume list a section's entries go to: the one its `id` names where that list is of the section's
    kind, else its kind's."""
    reader = READERS.get(section.id or "")
    if reader is not None and reader.kind == section.kind and section.id not in ("presentations", "teaching",
                                                                                   "portfolio"):
        return section.id
    return _LIST_OF_KIND.get(section.kind)


def _basics(cv: CV, record: Object) -> Object:
    """The CV's header as `basics`, written from the CV."""
    basics: Object = {"name": cv.name}
    if cv.headline:
        basics["label"] = markup_text(cv.headline)
    if cv.email:
        basics["email"] = cv.email
    if cv.website:
        basics["url"] = cv.website
    if cv.location:
        written = record.get("location")
        basics["location"] = written if isinstance(written, dict) and location_text(written) == cv.location else {
            "address": markup_text(cv.location)}
    profiles = []
    for link in cv.profiles:
        label = markup_text(link.label)
        if link.url.startswith("tel:") and "phone" not in basics:
            basics["phone"] = record["phone"] if markup_text(text(record.get("phone"))) == label else label
            continue
        profiles.append(next((profile for profile in record.get("profiles") or [] if isinstance(profile, dict)
                              and profile.get("url") == link.url and markup_text(text(
                                  profile.get("network") or profile.get("username") or link.url)) == label),
                             {"network": label, "url": link.url}))
    if profiles:
        basics["profiles"] = profiles
    summary = [markup_text(paragraph) for _, section in cv.cv_sections() if isinstance(section, TextSection)
               for paragraph in section.paragraphs]
    if summary:
        basics["summary"] = "\n\n".join(summary)
    return basics


def jsonresume_document(cv: CV) -> tuple[Object, list[str]]:
    """The CV as a JSON Resume document, and what JSON Resume has no place for, in words."""
    export = _Export()
    kept = cv.jsonresume or {}
    record_basics = kept.get("basics") if isinstance(kept.get("basics"), dict) else None
    basics = _basics(cv, record_basics or {})
    if record_basics is not None:
        base_cv = read_cv({"basics": record_basics}, cv.name)
        basics = merged(record_basics, _basics(base_cv, record_basics), basics)
    export.left["the affiliation"] += bool(cv.affiliation)
    document: Object = {"$schema": kept.get("$schema", SCHEMA_URL), "basics": basics}
    lists: dict[str, list[Any]] = {}
    for _, section in cv.cv_sections():
        items = getattr(section, "items", [])
        list_key = _list_key(section)
        if isinstance(section, TextSection):
            continue  # the summary, in basics
        if isinstance(section, InterestsSection):
            lists.setdefault("interests", []).extend({"name": markup_text(item)} for item in section.items)
            continue
        if list_key is None or isinstance(section, EntriesSection) and section.id != list_key:
            count = len(items) or len(getattr(section, "groups", [])) or 1
            export.left[f"{section.kind} entries" if section.kind != "raw" else "raw Markdown sections"] += count
            continue
        typed = [item for item in items if not hasattr(item, "raw")]
        export.left["entries kept as written (raw)"] += len(items) - len(typed)
        if isinstance(section, ExperienceSection | EducationSection | AwardsSection | PublicationsSection |
                      ProjectsSection | EntriesSection):
            lists.setdefault(list_key, []).extend(export.item(item, list_key) for item in typed)
    document.update({key: value for key, value in lists.items() if value})
    document.update({key: value for key, value in kept.items() if key not in document})
    left = [f"{count} {what}" for what, count in export.left.items() if count]
    cleaned: Object = _without_nulls(document)
    return cleaned, left


_DATE_KEYS = frozenset({"startDate", "endDate", "date", "releaseDate"})


def _without_nulls(value: Any) -> Any:
    """The document without nulls and empty dates, which files such as academicpages' cv.json write for fields they
    leave out and the schema refuses."""
    if isinstance(value, dict):
        return {key: _without_nulls(item) for key, item in value.items()
                if item is not None and not (key in _DATE_KEYS and item == "")}
    if isinstance(value, list):
        return [_without_nulls(item) for item in value]
    return value


__all__ = ["SCHEMA_URL", "jsonresume_document", "merged", "name_and_url"]
