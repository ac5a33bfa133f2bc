"""The CV as a JSON Resume document (`cvgen export jsonresume`, schema 1.3.1): its header as `basics`, positions as
`work`, degrees as `education`, awards, papers as `publications`, projects and interests; and what JSON Resume has
no place for, in words.

JSON Resume's values are plain text, so markup is written as its text. Its dates are ISO (`2022`, `2022-02`,
`2022-02-08`); an open end ('Present') is an absent `endDate`; a date it cannot hold (a season, words) is left out
and counted. The schema lets an object carry more than it names: a paper's ordered author list goes in `authors`,
which the schema allows though standard themes do not show it.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from cvgen.dates import parse_date
from cvgen.markup import markup_text
from cvgen.model import (
    CV,
    Award,
    AwardsSection,
    Degree,
    EducationSection,
    ExperienceSection,
    InterestsSection,
    Position,
    Project,
    ProjectsSection,
    Publication,
    PublicationsSection,
    TextSection,
)

SCHEMA_URL = "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.3.1/schema.json"


class _Export:
    def __init__(self) -> None:
        self.left: Counter[str] = Counter()

    def date(self, text: str | None, key: str) -> dict[str, str]:
        """A date as JSON Resume's ISO text under `key`, or nothing (an open end; a date it cannot hold, counted)."""
        if not text:
            return {}
        date = parse_date(text)
        if date.present:
            return {}
        iso = date.iso()
        if iso is None:
            self.left["dates JSON Resume cannot hold (seasons, words)"] += 1
            return {}
        return {key: iso}

    def period(self, start: str | None, end: str | None) -> dict[str, str]:
        return {**self.date(start, "startDate"), **self.date(end, "endDate")}

    def position(self, item: Position) -> dict[str, Any]:
        entry: dict[str, Any] = {"name": markup_text(item.organization), "position": markup_text(item.role)}
        if item.location:
            entry["location"] = markup_text(item.location)
        entry.update(self.period(item.start, item.end))
        if item.when:
            entry["summary"] = markup_text(item.when)
        if item.details:
            entry["highlights"] = [markup_text(line) for line in item.details]
        return entry

    def degree(self, item: Degree) -> dict[str, Any]:
        entry: dict[str, Any] = {"institution": markup_text(item.institution), "studyType": markup_text(item.degree)}
        if item.field:
            entry["area"] = markup_text(item.field)
        entry.update(self.period(item.start, item.end))
        if item.note or item.details:
            entry["courses"] = [markup_text(line) for line in [*([item.note] if item.note else []), *item.details]]
        self.left["degree locations"] += bool(item.location)
        return entry

    def award(self, item: Award) -> dict[str, Any]:
        entry: dict[str, Any] = {"title": markup_text(item.title)}
        entry.update(self.date(item.date, "date"))
        if item.detail:
            entry["awarder"] = markup_text(item.detail)
        if item.details:
            entry["summary"] = " ".join(markup_text(line) for line in item.details)
        self.left["award links"] += bool(item.url)
        return entry

    def paper(self, item: Publication) -> dict[str, Any]:
        entry: dict[str, Any] = {"name": markup_text(item.title),
                                 "authors": [author.name for author in item.author_list()]}
        venue = ", ".join(part for part in (markup_text(item.venue), markup_text(item.details)) if part)
        if venue:
            entry["publisher"] = venue
        if item.year:
            entry["releaseDate"] = str(item.year)[:4]
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

    def project(self, item: Project) -> dict[str, Any]:
        entry: dict[str, Any] = {"name": markup_text(item.title)}
        if item.sponsor:
            entry["entity"] = markup_text(item.sponsor)
        entry.update(self.period(item.start, item.end))
        return entry


def jsonresume_document(cv: CV) -> tuple[dict[str, Any], list[str]]:
    """The CV as a JSON Resume document, and what JSON Resume has no place for, in words."""
    export = _Export()
    basics: dict[str, Any] = {"name": cv.name}
    if cv.headline:
        basics["label"] = markup_text(cv.headline)
    if cv.email:
        basics["email"] = cv.email
    if cv.website:
        basics["url"] = cv.website
    if cv.location:
        basics["location"] = {"address": markup_text(cv.location)}
    if cv.profiles:
        basics["profiles"] = [{"network": markup_text(link.label), "url": link.url} for link in cv.profiles]
    export.left["the affiliation"] += bool(cv.affiliation)
    document: dict[str, Any] = {"$schema": SCHEMA_URL, "basics": basics}
    summary: list[str] = []
    lists: dict[str, list[Any]] = {"work": [], "education": [], "awards": [], "publications": [], "projects": [],
                                   "interests": []}
    for _, section in cv.cv_sections():
        items = getattr(section, "items", [])
        typed = [item for item in items if not hasattr(item, "raw")] if not isinstance(
            section, InterestsSection) else items
        match section:
            case TextSection():
                summary += [markup_text(paragraph) for paragraph in section.paragraphs]
            case InterestsSection():
                lists["interests"] += [{"name": markup_text(item)} for item in section.items]
            case ExperienceSection():
                lists["work"] += [export.position(item) for item in typed if isinstance(item, Position)]
            case EducationSection():
                lists["education"] += [export.degree(item) for item in typed if isinstance(item, Degree)]
            case AwardsSection():
                lists["awards"] += [export.award(item) for item in typed if isinstance(item, Award)]
            case PublicationsSection():
                lists["publications"] += [export.paper(item) for item in typed if isinstance(item, Publication)]
            case ProjectsSection():
                lists["projects"] += [export.project(item) for item in typed if isinstance(item, Project)]
            case _:
                count = len(items) or len(getattr(section, "groups", [])) or 1
                export.left[f"{section.kind} entries" if section.kind != "raw" else "raw Markdown sections"] += count
                continue
        export.left["entries kept as written (raw)"] += len(items) - len(typed)
    if summary:
        basics["summary"] = "\n\n".join(summary)
    document.update({key: value for key, value in lists.items() if value})
    left = [f"{count} {what}" for what, count in export.left.items() if count]
    return document, left


__all__ = ["SCHEMA_URL", "jsonresume_document"]
