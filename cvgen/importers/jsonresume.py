"""JSON Resume in (`cvgen import resume.json`): a document of the official schema (1.3.1, or the older field names
academicpages' `_data/cv.json` writes), checked against the schema, as a CV with typed entries.

Each list becomes a section whose `id` is the list's name (`work`, `skills`…), so that an export writes it back
there. JSON Resume's values are plain text: they are escaped into cvgen's markup, a link (`url`) becomes the
entry's linked name. Each entry keeps its object as written (`jsonresume`), so that `cvgen export jsonresume` gives
back what the CV does not type (a profile's username, a location's parts, a project's roles); what the CV keeps but
does not show is named in one note. An object's leading text fields (a job's `description` and `summary`) are the
first lines under the entry, in that order, and go back there on export.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from cvgen.errors import FieldPath, InputFileError, Problem, display_path, nearest_line, shown
from cvgen.markup import escape_markup
from cvgen.model import (
    CV,
    Award,
    AwardsSection,
    Degree,
    EducationSection,
    EntriesSection,
    ExperienceSection,
    GenericEntry,
    Link,
    Position,
    Publication,
    PublicationsSection,
    Section,
    SectionPage,
    Talk,
    TalksSection,
    TalkVenue,
    TextSection,
)
from cvgen.records import ValidationError
from cvgen.urls import url_problem

# academicpages' `_data/cv.json` (and JSON Resume before 1.0) writes these names; they are read as the schema's.
OLDER_NAMES: dict[str, dict[str, str]] = {
    "basics": {"website": "url"},
    "work": {"company": "name", "website": "url"},
    "volunteer": {"website": "url"},
    "education": {"gpa": "score", "website": "url"},
    "awards": {"website": "url"},
    "certificates": {"website": "url"},
    "publications": {"website": "url"},
    "projects": {"website": "url"},
}
# The headings of the sections JSON Resume's lists become, as its themes write them.
HEADINGS = {"work": "Work", "volunteer": "Volunteer", "education": "Education", "awards": "Awards",
            "certificates": "Certificates", "publications": "Publications", "skills": "Skills",
            "languages": "Languages", "interests": "Interests", "references": "References", "projects": "Projects",
            # lists of academicpages' cv.json that the schema does not name
            "presentations": "Talks", "teaching": "Teaching", "portfolio": "Portfolio"}
# The fields the CV shows of each list's objects; the others are kept for the export only.
SHOWN_FIELDS: dict[str, frozenset[str]] = {
    "basics": frozenset({"name", "label", "email", "phone", "url", "summary", "location", "profiles"}),
    "work": frozenset({"name", "location", "description", "position", "url", "startDate", "endDate", "summary",
                       "highlights"}),
    "volunteer": frozenset({"organization", "position", "url", "startDate", "endDate", "summary", "highlights"}),
    "education": frozenset({"institution", "url", "area", "studyType", "startDate", "endDate", "score",
                            "courses"}),
    "awards": frozenset({"title", "date", "awarder", "summary"}),
    "certificates": frozenset({"name", "date", "url", "issuer"}),
    "publications": frozenset({"name", "publisher", "releaseDate", "url", "summary", "authors"}),
    "skills": frozenset({"name", "level", "keywords"}),
    "languages": frozenset({"language", "fluency"}),
    "interests": frozenset({"name", "keywords"}),
    "references": frozenset({"name", "reference"}),
    "projects": frozenset({"name", "description", "highlights", "startDate", "endDate", "url", "entity"}),
    "presentations": frozenset({"name", "event", "date", "location", "description"}),
    "teaching": frozenset({"course", "institution", "date", "role", "description"}),
    "portfolio": frozenset({"name", "date", "url", "description"}),
}
# A job's text fields, written as the first lines under it in this order.
LEAD_FIELDS = ("description", "summary")


@cache
def schema() -> dict[str, Any]:
    """The official JSON Resume schema, 1.3.1 (MIT; shipped in cvgen/schemas/jsonresume)."""
    text = resources.files("cvgen").joinpath("schemas/jsonresume/schema.json").read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def is_jsonresume(data: object) -> bool:
    """Whether parsed data looks like a JSON Resume document: a mapping with `basics` or two of its lists."""
    if not isinstance(data, dict) or "sections" in data or "cv" in data:
        return False
    return "basics" in data or len(set(data) & set(HEADINGS)) >= 2


# --- reading the file -------------------------------------------------------------------------------------------


def read_document(text: str, source: str, yaml_syntax: bool) -> tuple[dict[str, Any], dict[FieldPath, int]]:
    """A JSON Resume file's data and the line of each field (JSON is read as JSON; the lines come from reading it
    as YAML, which JSON nearly is, where that works)."""
    from cvgen.loader import parse_yaml

    data: Any
    if yaml_syntax:
        data, lines, problems = parse_yaml(text, typed=True)
        if problems:
            raise InputFileError(source, problems)
    else:
        data = load_json(text, source)
        _, lines, _ = parse_yaml(text, typed=True)  # the lines of what it read, whatever it found wrong
    if not isinstance(data, dict):
        raise InputFileError(source, [Problem("a JSON Resume document is an object with `basics`, `work`, "
                                              "`education`…")])
    return _plain(data), lines


def load_json(text: str, source: str) -> Any:
    """A JSON file's data; JSON that does not parse, or nests deeper than Python reads, is an InputFileError."""
    from cvgen.loader import MAX_DEPTH

    too_deep = InputFileError(source, [Problem(f"values are nested more than {MAX_DEPTH} levels deep")])
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputFileError(source, [Problem(f"not JSON: {error.msg} (column {error.colno})",
                                              error.lineno)]) from None
    except RecursionError:
        raise too_deep from None
    stack = [(data, 0)]  # the same limit as a CV's YAML has
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise too_deep
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
        stack.extend((child, depth + 1) for child in children)
    return data


def control_problems(data: Any, lines: dict[FieldPath, int]) -> list[Problem]:
    """Each text holding a control character (JSON writes them as \\u0001), which no cvgen file holds."""
    from cvgen.loader import CONTROL_CHARACTERS, control_character

    problems = []
    stack: list[tuple[FieldPath, Any]] = [((), data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, dict):
            stack.extend(((*path, key), item) for key, item in value.items())
        elif isinstance(value, list):
            stack.extend(((*path, index), item) for index, item in enumerate(value))
        elif isinstance(value, str) and (found := CONTROL_CHARACTERS.search(value)):
            problems.append(Problem(control_character(found), nearest_line(lines, path), display_path(path)))
    return sorted(problems, key=lambda problem: (problem.line or 0, problem.field or ""))


def _plain(value: Any) -> Any:
    """YAML's dates and numbers as JSON Resume's text where the schema wants text: `2020-01-01`, `4.0`."""
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def renamed(document: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The document with academicpages' older field names read as the schema's, and which were."""
    document = dict(document)
    changes: list[str] = []
    for part, names in OLDER_NAMES.items():
        if part not in document:
            continue
        value = document[part]
        objects = value if isinstance(value, list) else [value]
        new_objects = []
        for item in objects:
            if isinstance(item, dict):
                for old, new in names.items():
                    if old in item and new not in item:
                        item = {new if key == old else key: entry for key, entry in item.items()}
                        changes.append(f"{part}.{old} → {new}")
            new_objects.append(item)
        document[part] = new_objects if isinstance(value, list) else new_objects[0]
    return document, sorted(set(changes))


def _without_blanks(value: Any) -> Any:
    """The value without empty texts and nulls, which cv.json files write for fields they leave out."""
    if isinstance(value, dict):
        return {key: _without_blanks(item) for key, item in value.items() if item is not None and item != ""}
    if isinstance(value, list):
        return [_without_blanks(item) for item in value]
    return value


def schema_problems(document: dict[str, Any], lines: dict[FieldPath, int]) -> list[Problem]:
    """Where the document breaks the official schema (empty texts and nulls read as left out), by field and line."""
    import jsonschema  # type: ignore[import-untyped]  # ships no type information

    validator = jsonschema.Draft7Validator(schema())
    problems = []
    for error in sorted(validator.iter_errors(_without_blanks(document)), key=lambda error: list(
            map(str, error.absolute_path))):
        path: FieldPath = tuple(error.absolute_path)
        line = nearest_line(lines, path)
        if error.validator == "pattern" and "[1-2][0-9]{3}" in str(error.validator_value):  # the schema's dates
            message = f"{shown(error.instance)} is not a date JSON Resume reads; use YYYY, YYYY-MM or YYYY-MM-DD"
        else:
            message = error.message if len(error.message) < 200 else f"breaks the schema's `{error.validator}` rule"
        problems.append(Problem(f"{message} (JSON Resume schema 1.3.1)", line, display_path(path) or None))
    return problems


# --- objects → entries ------------------------------------------------------------------------------------------


def text(value: Any) -> str:
    """A JSON Resume value (plain text) as cvgen markup."""
    if value is None:
        return ""
    return escape_markup(" ".join(str(value).split()) if "\n" not in str(value) else str(value).strip())


def _usable_url(value: Any) -> str | None:
    return value if isinstance(value, str) and value and url_problem(value) is None else None


def linked(name: Any, url: Any) -> str:
    """A name as cvgen markup, linked to `url` where the link is one cvgen allows (in angle brackets where it holds
    a parenthesis, which would end the link)."""
    link = _usable_url(url)
    if not link or not text(name) or "<" in link or ">" in link:
        return text(name)
    return f"[{text(name)}](<{link}>)" if "(" in link or ")" in link else f"[{text(name)}]({link})"


def _date(value: Any) -> str | None:
    return str(value) if value not in (None, "") else None


def _texts(value: Any) -> list[str]:
    return [text(item) for item in value if item not in (None, "")] if isinstance(value, list) else []


def _lead_lines(item: dict[str, Any]) -> list[str]:
    return [text(item[key]) for key in LEAD_FIELDS if item.get(key) not in (None, "")]


def read_job(item: dict[str, Any], organization_key: str = "name") -> Position:
    """A `work` or `volunteer` object as a position: its description and summary, then its highlights, under it."""
    return Position(role=text(item.get("position")), organization=linked(item.get(organization_key), item.get("url")),
                    location=text(item.get("location")) or None, start=_date(item.get("startDate")),
                    end=_date(item.get("endDate")) or ("Present" if item.get("startDate") else None),
                    details=[*_lead_lines(item), *_texts(item.get("highlights"))], jsonresume=item)


def read_volunteering(item: dict[str, Any]) -> Position:
    """A `volunteer` object as a position."""
    return read_job(item, "organization")


def read_degree(item: dict[str, Any]) -> Degree:
    """An `education` object as a degree: its score as the degree's note, its courses under it."""
    study_type, area = text(item.get("studyType")), text(item.get("area"))
    return Degree(degree=study_type or area, field=area if study_type and area else None,
                  institution=linked(item.get("institution"), item.get("url")), start=_date(item.get("startDate")),
                  end=_date(item.get("endDate")), note=text(item.get("score")) or None,
                  details=_texts(item.get("courses")), jsonresume=item)


def read_award(item: dict[str, Any]) -> Award:
    """An `awards` object as an award: the awarder as its detail, the summary under it."""
    summary = text(item.get("summary"))
    return Award(title=text(item.get("title")), detail=text(item.get("awarder")) or None, date=_date(item.get("date")),
                 details=[summary] if summary else [], jsonresume=item)


def read_certificate(item: dict[str, Any]) -> Award:
    """A `certificates` object as an award: the issuer as its detail."""
    return Award(title=text(item.get("name")), detail=text(item.get("issuer")) or None, date=_date(item.get("date")),
                 url=_usable_url(item.get("url")), jsonresume=item)


def read_paper(item: dict[str, Any]) -> Publication:
    """A `publications` object as a paper: the publisher as its venue, the summary as its abstract."""
    authors = [str(name).replace("*", "\\*") for name in item.get("authors", []) if isinstance(name, str)] if \
        isinstance(item.get("authors"), list) else []
    return Publication(title=text(item.get("name")), url=_usable_url(item.get("url")), authors=authors,
                       venue=text(item.get("publisher")) or None, year=_date(item.get("releaseDate")),
                       abstract=text(item.get("summary")) or None, jsonresume=item)


def _keywords_entry(item: dict[str, Any], name_key: str, subtitle_key: str | None) -> GenericEntry:
    keywords = ", ".join(_texts(item.get("keywords")))
    name = text(item.get(name_key))
    subtitle = text(item.get(subtitle_key)) if subtitle_key else ""
    return GenericEntry(label=name if keywords else None, title=keywords or name, subtitle=subtitle or None,
                        jsonresume=item)


def read_skill(item: dict[str, Any]) -> GenericEntry:
    """A `skills` object as an entry: `**name**: keywords, level`."""
    return _keywords_entry(item, "name", "level")


def read_interest(item: dict[str, Any]) -> GenericEntry:
    """An `interests` object as an entry: `**name**: keywords`."""
    return _keywords_entry(item, "name", None)


def read_language(item: dict[str, Any]) -> GenericEntry:
    """A `languages` object as an entry: `language, fluency`."""
    return GenericEntry(title=text(item.get("language")), subtitle=text(item.get("fluency")) or None, jsonresume=item)


def read_reference(item: dict[str, Any]) -> GenericEntry:
    """A `references` object as an entry: the name, the reference under it."""
    return GenericEntry(title=text(item.get("name")), abstract=text(item.get("reference")) or None, jsonresume=item)


def read_project(item: dict[str, Any]) -> GenericEntry:
    """A `projects` object as an entry: its linked name, the entity after it, the description and highlights under
    it."""
    return GenericEntry(title=linked(item.get("name"), item.get("url")), subtitle=text(item.get("entity")) or None,
                        location=text(item.get("location")) or None, start=_date(item.get("startDate")),
                        end=_date(item.get("endDate")),
                        abstract=text(item.get("description")) or None, details=_texts(item.get("highlights")),
                        jsonresume=item)


def read_presentation(item: dict[str, Any]) -> Talk:
    """An academicpages `presentations` object as a talk."""
    venue = TalkVenue(venue=text(item.get("event")), date=_date(item.get("date")),
                      location=text(item.get("location")) or None)
    return Talk(title=text(item.get("name")), venues=[venue] if venue.venue or venue.date else [],
                abstract=text(item.get("description")) or None)


def read_course(item: dict[str, Any]) -> GenericEntry:
    """An academicpages `teaching` object as an entry: `**role**: course, institution (date)`."""
    description = text(item.get("description"))
    return GenericEntry(label=text(item.get("role")) or None, title=text(item.get("course")),
                        subtitle=text(item.get("institution")) or None, start=_date(item.get("date")),
                        details=[description] if description else [], jsonresume=item)


def read_portfolio_item(item: dict[str, Any]) -> GenericEntry:
    """An academicpages `portfolio` object as an entry: its linked name, the description under it."""
    return GenericEntry(title=linked(item.get("name"), item.get("url")), start=_date(item.get("date")),
                        abstract=text(item.get("description")) or None, jsonresume=item)


@dataclass(frozen=True)
class ListReader:
    """How one of JSON Resume's lists becomes a section: the section's kind and how each object becomes an entry."""

    section: type[Any]
    kind: str
    read: Callable[[dict[str, Any]], Any]


READERS: dict[str, ListReader] = {
    "work": ListReader(ExperienceSection, "experience", read_job),
    "volunteer": ListReader(ExperienceSection, "experience", read_volunteering),
    "education": ListReader(EducationSection, "education", read_degree),
    "awards": ListReader(AwardsSection, "awards", read_award),
    "certificates": ListReader(AwardsSection, "awards", read_certificate),
    "publications": ListReader(PublicationsSection, "publications", read_paper),
    "skills": ListReader(EntriesSection, "entries", read_skill),
    "languages": ListReader(EntriesSection, "entries", read_language),
    "interests": ListReader(EntriesSection, "entries", read_interest),
    "references": ListReader(EntriesSection, "entries", read_reference),
    "projects": ListReader(EntriesSection, "entries", read_project),
    "presentations": ListReader(TalksSection, "talks", read_presentation),
    "teaching": ListReader(EntriesSection, "entries", read_course),
    "portfolio": ListReader(EntriesSection, "entries", read_portfolio_item),
}


# --- the header -------------------------------------------------------------------------------------------------


def location_text(location: Any) -> str:
    """A `basics.location` object as one line: address, city, region, postal code, country code."""
    if not isinstance(location, dict):
        return text(location)
    parts = [location.get(key) for key in ("address", "city", "region", "postalCode", "countryCode")]
    return ", ".join(text(part) for part in parts if part not in (None, ""))


def phone_link(phone: str) -> Link | None:
    """A phone number as a `tel:` link on the contact line."""
    digits = "".join(character for character in phone if character.isdigit() or character == "+")
    return Link(label=text(phone), url=f"tel:{digits}") if digits and url_problem(f"tel:{digits}") is None else None


def read_profiles(basics: dict[str, Any]) -> list[Link]:
    """The contact line's links: the phone (a `tel:` link), then each profile with a URL cvgen allows."""
    links: list[Link] = []
    phone = basics.get("phone")
    if isinstance(phone, str) and phone.strip():
        link = phone_link(phone.strip())
        links += [link] if link else []
    for profile in basics.get("profiles") or []:
        if isinstance(profile, dict) and _usable_url(profile.get("url")):
            label = profile.get("network") or profile.get("username") or profile["url"]
            links.append(Link(label=text(label), url=profile["url"]))
    return links


@dataclass
class JsonResumeImport:
    """A JSON Resume document read as a CV: the CV, and what it keeps without showing, in words."""

    cv: CV
    not_shown: list[str] = field(default_factory=list)
    renamed: list[str] = field(default_factory=list)
    report: list[tuple[str, int]] = field(default_factory=list)  # each section's heading and entry count


def read_cv(document: dict[str, Any], name: str | None = None,
            refused: list[tuple[FieldPath, str]] | None = None) -> CV:
    """A JSON Resume document (already renamed and checked) as a CV; an object cvgen cannot hold (a date the
    schema's pattern lets through, such as month 13) is left out and said in `refused`, by its path."""
    refused = [] if refused is None else refused
    basics = document.get("basics") if isinstance(document.get("basics"), dict) else {}
    assert isinstance(basics, dict)
    sections: list[Section] = []
    summary = str(basics.get("summary") or "").strip()
    if summary:
        paragraphs = [text(paragraph) for paragraph in summary.split("\n\n") if paragraph.strip()]
        sections.append(TextSection(kind="text", id="summary", paragraphs=paragraphs))
    for key, value in document.items():
        reader = READERS.get(key)
        if reader is None or not isinstance(value, list) or not value:
            continue
        items = []
        for index, item in enumerate(value):
            if not isinstance(item, dict):  # the schema says so of its own lists; of academicpages' too
                refused.append(((key, index), f"{shown(item)} is not an object"))
                continue
            try:
                items.append(reader.read(item))
            except ValidationError as error:
                for problem in error.errors():  # named by the object's field that holds the refused value
                    field_name = next((name for name, written in item.items() if written == problem.get("input")),
                                      None)
                    path: FieldPath = (key, index, field_name) if field_name else (key, index)
                    message = str(problem["msg"]).removeprefix("Value error, ")
                    refused.append((path, message))
        sections.append(reader.section(kind=reader.kind, title=HEADINGS[key], id=key, items=items,
                                       homepage=SectionPage()))
    kept = {key: value for key, value in document.items() if key not in READERS}
    return CV(name=text(basics.get("name")) or name or "", headline=text(basics.get("label")) or None,
              email=str(basics["email"]).strip() if basics.get("email") else None,
              website=_usable_url(basics.get("url")), location=location_text(basics.get("location")) or None,
              profiles=read_profiles(basics), sections=sections, jsonresume=kept or None)


def not_shown(document: dict[str, Any]) -> list[str]:
    """The fields the CV keeps for the export without showing them, as `projects.roles` (each named once)."""
    names: list[str] = []
    basics = document.get("basics")
    if isinstance(basics, dict):
        names += [f"basics.{key}" for key, value in basics.items()
                  if key not in SHOWN_FIELDS["basics"] and value not in (None, "", [], {})]
        names += [f"basics.profiles.{key}" for profile in basics.get("profiles") or [] if isinstance(profile, dict)
                  for key, value in profile.items() if key not in ("network", "url") and value not in (None, "")]
    for key, value in document.items():
        if key in READERS and isinstance(value, list):
            names += [f"{key}.{field_name}" for item in value if isinstance(item, dict)
                      for field_name, field_value in item.items()
                      if field_name not in SHOWN_FIELDS[key] and field_value not in (None, "", [], {})]
        elif key not in ("basics", "$schema") and value not in (None, "", [], {}):
            names.append(key)
    return list(dict.fromkeys(names))


def import_jsonresume(text_: str, source: str, *, yaml_syntax: bool, name: str | None = None) -> JsonResumeImport:
    """A JSON Resume file as a CV; a document the schema refuses is an InputFileError naming each field and line."""
    data, lines = read_document(text_, source, yaml_syntax)
    document, changes = renamed(data)
    lines = _renamed_lines(lines)
    problems = control_problems(data, lines) + schema_problems(document, lines)
    if problems:
        raise InputFileError(source, problems)
    refused: list[tuple[FieldPath, str]] = []
    cv = read_cv(document, name, refused)
    problems = [Problem(message, lines.get(path), display_path(path)) for path, message in refused]
    if not cv.name:
        problems.append(Problem("the document names nobody (basics.name); give the owner's name with --name",
                                lines.get(("basics",)), "basics.name"))
    if problems:
        raise InputFileError(source, problems)
    report = [(HEADINGS[key], len(value)) for key, value in document.items() if key in READERS
              and isinstance(value, list) and value]
    return JsonResumeImport(cv, not_shown(document), changes, report)


def _renamed_lines(lines: dict[FieldPath, int]) -> dict[FieldPath, int]:
    """The lines of the fields, also under the schema's names of academicpages' older ones."""
    renamed_lines = dict(lines)
    for path, line in lines.items():
        if len(path) >= 2 and path[0] in OLDER_NAMES:
            for position, part in enumerate(path[1:3], start=1):
                new = OLDER_NAMES[str(path[0])].get(str(part))
                if new:
                    renamed_lines.setdefault((*path[:position], new, *path[position + 1:]), line)
    return renamed_lines


__all__ = ["HEADINGS", "READERS", "JsonResumeImport", "import_jsonresume", "is_jsonresume", "linked", "load_json",
           "location_text", "read_cv", "renamed", "schema", "text"]
