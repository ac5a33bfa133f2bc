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
from cvgen.markup import parse_markup, plain_text
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


def _plain(source: str | None) -> str:
    return plain_text(parse_markup(source)) if source else ""


class _Export:
    def __init__(self) -> None:
        self.left: Counter[str] = Counter()

    def date(self, text: str | None, *, end: bool = False) -> dict[str, str]:
        """A date as JSON Resume's ISO text, or nothing (an open end; a date it cannot hold, counted)."""
        if not text:
            return {}
        date = parse_date(text)
        if date.present and end:
            return {}
        iso = date.iso()
        if iso is None:
            self.left["dates JSON Resume cannot hold (seasons, words)"] += 1
            return {}
        return {"endDate" if end else "startDate": iso}

    def position(self, item: Position) -> dict[str, Any]:
        entry: dict[str, Any] = {"name": _plain(item.organization), "position": _plain(item.role)}
        if item.location:
            entry["location"] = _plain(item.location)
        entry.update(self.date(item.start))
        entry.update(self.date(item.end, end=True))
        if item.when:
            entry["summary"] = _plain(item.when)
        if item.details:
            entry["highlights"] = [_plain(line) for line in item.details]
        return entry

    def degree(self, item: Degree) -> dict[str, Any]:
        entry: dict[str, Any] = {"institution": _plain(item.institution), "studyType": _plain(item.degree)}
        if item.field:
            entry["area"] = _plain(item.field)
        entry.update(self.date(item.start))
        entry.update(self.date(item.end, end=True))
        if item.note or item.details:
            entry["courses"] = [_plain(line) for line in [*([item.note] if item.note else []), *item.details]]
        self.left["degree locations"] += bool(item.location)
        return entry

    def award(self, item: Award) -> dict[str, Any]:
        entry: dict[str, Any] = {"title": _plain(item.title)}
        if item.date:
            iso = parse_date(item.date).iso()
            if iso:
                entry["date"] = iso
            else:
                self.left["dates JSON Resume cannot hold (seasons, words)"] += 1
        if item.detail:
            entry["awarder"] = _plain(item.detail)
        if item.details:
            entry["summary"] = " ".join(_plain(line) for line in item.details)
        self.left["award links"] += bool(item.url)
        return entry

    def paper(self, item: Publication) -> dict[str, Any]:
        entry: dict[str, Any] = {"name": _plain(item.title),
                                 "authors": [author.name for author in item.author_list()]}
        venue = ", ".join(part for part in (_plain(item.venue), _plain(item.details)) if part)
        if venue:
            entry["publisher"] = venue
        if item.year:
            entry["releaseDate"] = str(item.year)[:4]
        url = item.url or next((link.url for link in item.links), None)
        if url:
            entry["url"] = url
        summary = " ".join(part for part in (_plain(item.award), f"({_plain(item.note)})" if item.note else "",
                                             _plain(item.abstract), *(_plain(line) for line in item.highlights))
                           if part)
        if summary:
            entry["summary"] = summary
        self.left["paper links besides the first"] += max(0, len(item.links) - (0 if item.url else 1))
        self.left["paper labels ([C13])"] += bool(item.label)
        return entry

    def project(self, item: Project) -> dict[str, Any]:
        entry: dict[str, Any] = {"name": _plain(item.title)}
        if item.sponsor:
            entry["entity"] = _plain(item.sponsor)
        entry.update(self.date(item.start))
        entry.update(self.date(item.end, end=True))
        return entry


def jsonresume_document(cv: CV) -> tuple[dict[str, Any], list[str]]:
    """The CV as a JSON Resume document, and what JSON Resume has no place for, in words."""
    export = _Export()
    basics: dict[str, Any] = {"name": cv.name}
    if cv.headline:
        basics["label"] = _plain(cv.headline)
    if cv.email:
        basics["email"] = cv.email
    if cv.website:
        basics["url"] = cv.website
    if cv.location:
        basics["location"] = {"address": _plain(cv.location)}
    if cv.profiles:
        basics["profiles"] = [{"network": _plain(link.label), "url": link.url} for link in cv.profiles]
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
                summary += [_plain(paragraph) for paragraph in section.paragraphs]
            case InterestsSection():
                lists["interests"] += [{"name": _plain(item)} for item in section.items]
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
