"""RenderCV in (`cvgen import John_Doe_CV.yaml`): a RenderCV 2 input file (`cv:` with `sections:`) as a CV, each of
its entry types as the cvgen entry that holds it.

RenderCV's entry types become: text → a section of paragraphs; EducationEntry → degrees; ExperienceEntry →
positions; PublicationEntry → papers (an italic author is the owner, `\\*` an equal contributor, the DOI a link);
NormalEntry, OneLineEntry, BulletEntry, NumberedEntry and ReversedNumberedEntry → entries of their section
(numbered ones as a numbered list). RenderCV's Markdown (`**bold**`, `*italic*`, `[text](url)`) is cvgen's markup
as it stands. The header's social networks become profile links (RenderCV's own URL for each network), phones `tel:`
links. RenderCV's `design`, `locale` and `settings` are its own look: the paper size and the language are read, and
the rest is named in one note.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from cvgen.dates import parse_date
from cvgen.errors import FieldPath, InputFileError, Problem, display_path, nearest_line, shown
from cvgen.markup import Highlight, Span, Underline, escape_doubled, markup_text, parse_markup, plain_text
from cvgen.model import (
    CV,
    Degree,
    Design,
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
    TextSection,
)
from cvgen.urls import url_problem

# RenderCV 2.8's profile address of each social network, before the username.
NETWORK_URLS = {
    "LinkedIn": "https://linkedin.com/in/", "GitHub": "https://github.com/", "GitLab": "https://gitlab.com/",
    "IMDB": "https://imdb.com/name/", "Instagram": "https://instagram.com/", "ORCID": "https://orcid.org/",
    "StackOverflow": "https://stackoverflow.com/users/", "ResearchGate": "https://researchgate.net/profile/",
    "YouTube": "https://youtube.com/@", "Google Scholar": "https://scholar.google.com/citations?user=",
    "Telegram": "https://t.me/", "WhatsApp": "https://wa.me/", "Leetcode": "https://leetcode.com/u/",
    "X": "https://x.com/", "Bluesky": "https://bsky.app/profile/", "Reddit": "https://reddit.com/user/",
}
# The invisible word joiner cvgen's RenderCV export puts after `#`, `$` and `<` so that RenderCV keeps them as text.
_WORD_JOINED = re.compile("([#$<])\u2060")
_BACKTICK = "#str.from-unicode(96)\u2060"  # and a backtick as the Typst code that prints one
_CODE_SPAN = re.compile(r"((?<!\\)`[^`]*(?<!\\)`)")  # a backtick written '\`' is text, not code
# RenderCV's locale names of the languages cvgen writes dates and headings in.
LANGUAGES = {"english": "en", "korean": "ko", "chinese": "zh", "mandarin_chinese": "zh", "japanese": "ja",
             "german": "de", "french": "fr", "spanish": "es"}
# The keys that say which of RenderCV's entry types an entry is, checked in this order.
ENTRY_TYPES = (("bullet", "BulletEntry"), ("number", "NumberedEntry"), ("reversed_number", "ReversedNumberedEntry"),
               ("label", "OneLineEntry"), ("authors", "PublicationEntry"), ("institution", "EducationEntry"),
               ("company", "ExperienceEntry"), ("name", "NormalEntry"))
# Each type's fields cvgen reads; the common ones (dates, location, summary, highlights) besides.
_COMMON = frozenset({"date", "start_date", "end_date", "location", "summary", "highlights"})
FIELDS = {
    "BulletEntry": frozenset({"bullet"}), "NumberedEntry": frozenset({"number"}),
    "ReversedNumberedEntry": frozenset({"reversed_number"}), "OneLineEntry": frozenset({"label", "details"}),
    "PublicationEntry": frozenset({"title", "authors", "doi", "url", "journal", "date", "summary"}),
    "EducationEntry": _COMMON | {"institution", "area", "degree"},
    "ExperienceEntry": _COMMON | {"company", "position"},
    "NormalEntry": _COMMON | {"name"},
}


def _has_cvgen_only_markup(spans: tuple[Span, ...]) -> bool:
    """Whether spans hold a highlight or an underline, which cvgen's markup has and RenderCV's does not."""
    return any(isinstance(span, Highlight | Underline) or _has_cvgen_only_markup(getattr(span, "children", ()))
               for span in spans)


def _loses_text(spans: tuple[Span, ...], source: str) -> bool:
    """Whether cvgen's reading of a text drops some of its '=' or '+' (an empty highlight, '===='), which RenderCV
    shows."""
    shown = plain_text(spans)
    return shown.count("=") < source.count("=") or shown.count("+") < source.count("+")


def is_rendercv(data: object) -> bool:
    """Whether parsed data looks like RenderCV input: `cv:` holding `name` or `sections`."""
    return isinstance(data, dict) and isinstance(data.get("cv"), dict) and bool(
        {"sections", "name"} & set(data["cv"]))


def entry_type(entry: object) -> str:
    """Which of RenderCV's entry types an entry is: a text, or the type its keys say."""
    if isinstance(entry, str):
        return "TextEntry"
    if isinstance(entry, dict):
        return next((name for key, name in ENTRY_TYPES if key in entry), "unknown")
    return "unknown"


def section_title(key: str) -> str:
    """A section's key as RenderCV shows it: `selected_honors` → `Selected Honors`; a key with spaces as written."""
    if " " in key or not re.fullmatch(r"[a-z0-9_]+", key):
        return key
    return " ".join(word.capitalize() for word in key.split("_"))


@dataclass
class _Reader:
    """The import under way: the problems found and what was not read, by field."""

    lines: dict[FieldPath, int]
    problems: list[Problem] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)

    def problem(self, path: FieldPath, message: str) -> None:
        self.problems.append(Problem(message, nearest_line(self.lines, path), display_path(path)))

    def markup(self, value: Any, path: FieldPath) -> str:
        """A RenderCV text (its Markdown) as cvgen markup, which reads the same; a link cvgen refuses is a problem."""
        if value is None:
            return ""
        source = _WORD_JOINED.sub(r"\1", " ".join(str(value).split()).replace(_BACKTICK, "\\`"))
        # RenderCV's Markdown has no ==highlight== or ++underline++: where cvgen would read one (an empty one
        # too, '====', which cvgen reads as nothing), the doubled = and + are escaped as text (but in code).
        if ("==" in source or "++" in source) and (_has_cvgen_only_markup(parsed := parse_markup(source))
                                                   or _loses_text(parsed, source)):
            source = "".join(piece if piece.startswith("`") else escape_doubled(piece)
                             for piece in _CODE_SPAN.split(source))
        from cvgen.model import _check_markup

        try:
            return _check_markup(source)
        except ValueError as error:
            self.problem(path, str(error))
            return ""

    def date(self, value: Any) -> str | None:
        """A RenderCV date cvgen reads as a date; None for none, or for words (which the caller keeps as text)."""
        if value in (None, ""):
            return None
        text = "Present" if str(value).strip().casefold() == "present" else str(value).strip()
        try:
            parse_date(text)
        except ValueError:
            return None
        return text

    def period(self, entry: dict[str, Any]) -> tuple[str | None, str | None, str | None]:
        """An entry's start, end, and its date as words where cvgen cannot read it as a date."""
        start, end = self.date(entry.get("start_date")), self.date(entry.get("end_date"))
        if start or end:
            return start, end, None
        date = entry.get("date")
        single = self.date(date)
        return single, None, None if single or date in (None, "") else " ".join(str(date).split())

    def lines_of(self, entry: dict[str, Any], path: FieldPath) -> list[str]:
        highlights = entry.get("highlights") or []
        if not isinstance(highlights, list):
            highlights = [highlights]
        return [self.markup(line, (*path, "highlights", index)) for index, line in enumerate(highlights)
                if line not in (None, "")]

    def degree(self, entry: dict[str, Any], path: FieldPath) -> Degree:
        start, end, words = self.period(entry)
        degree, area = self.markup(entry.get("degree"), (*path, "degree")), self.markup(entry.get("area"),
                                                                                        (*path, "area"))
        summary = self.markup(entry.get("summary"), (*path, "summary"))
        return Degree(degree=degree or area, field=area if degree and area else None,
                      institution=self.markup(entry.get("institution"), (*path, "institution")),
                      location=self.markup(entry.get("location"), (*path, "location")) or None, start=start, end=end,
                      note=words, details=[*([summary] if summary else []), *self.lines_of(entry, path)])

    def position(self, entry: dict[str, Any], path: FieldPath) -> Position:
        start, end, words = self.period(entry)
        summary = self.markup(entry.get("summary"), (*path, "summary"))
        return Position(role=self.markup(entry.get("position"), (*path, "position")),
                        organization=self.markup(entry.get("company"), (*path, "company")),
                        location=self.markup(entry.get("location"), (*path, "location")) or None, start=start,
                        end=end, when=words, details=[*([summary] if summary else []), *self.lines_of(entry, path)])

    def paper(self, entry: dict[str, Any], path: FieldPath) -> Publication:
        authors = []
        for index, author in enumerate(entry.get("authors") or []):
            authors.append(self.author(self.markup(author, (*path, "authors", index))))
        start, _, words = self.period(entry)
        doi = str(entry.get("doi") or "").strip()
        links = [Link(label="DOI", url=f"https://doi.org/{doi}")] if doi and not url_problem(
            f"https://doi.org/{doi}") else []
        url = str(entry.get("url") or "").strip() or None
        if url and url_problem(url):
            self.problem((*path, "url"), f"the link {shown(url)}: {url_problem(url)}")
            url = None
        return Publication(title=self.markup(entry.get("title"), (*path, "title")), authors=authors,
                           venue=self.markup(entry.get("journal"), (*path, "journal")) or None, year=start,
                           details=words, url=url, links=links,
                           abstract=self.markup(entry.get("summary"), (*path, "summary")) or None)

    @staticmethod
    def author(name: str) -> str:
        """An author as the CV writes one: the name's text (RenderCV marks the owner italic), an escaped star
        (`\\*`) after it as the equal-contribution mark."""
        marks = ""
        while name.endswith("\\*"):
            name, marks = name[:-2].rstrip(), marks + "*"
        return markup_text(name).replace("*", "\\*") + marks

    def generic(self, entry: dict[str, Any], path: FieldPath, kind: str) -> GenericEntry:
        if kind == "OneLineEntry":
            return GenericEntry(label=self.markup(entry.get("label"), (*path, "label")) or None,
                                title=self.markup(entry.get("details"), (*path, "details")))
        if kind in ("BulletEntry", "NumberedEntry", "ReversedNumberedEntry"):
            key = {"BulletEntry": "bullet", "NumberedEntry": "number", "ReversedNumberedEntry": "reversed_number"}
            return GenericEntry(title=self.markup(entry.get(key[kind]), (*path, key[kind])))
        start, end, words = self.period(entry)
        return GenericEntry(title=self.markup(entry.get("name"), (*path, "name")), when=words or None,
                            location=self.markup(entry.get("location"), (*path, "location")) or None,
                            start=start, end=end, abstract=self.markup(entry.get("summary"), (*path, "summary"))
                            or None, details=self.lines_of(entry, path))


def _section(reader: _Reader, key: str, entries: list[Any]) -> Section | None:
    """One of RenderCV's sections as a cvgen section of the kind its entries are."""
    path: FieldPath = ("cv", "sections", key)
    title = section_title(key)
    kinds = [entry_type(entry) for entry in entries]
    kind = kinds[0] if kinds else "TextEntry"
    for index, (entry, found) in enumerate(zip(entries, kinds, strict=True)):
        if found != kind:
            reader.problem((*path, index), f"is a {found}, but the section's first entry is a {kind}; RenderCV "
                           "holds one type of entry per section")
            return None
        if isinstance(entry, dict):
            extra = sorted(set(entry) - FIELDS.get(kind, frozenset()))
            reader.ignored += [f"{display_path((*path, index))}.{name}" for name in extra
                               if entry.get(name) not in (None, "", [])]
    page = SectionPage()
    items: list[Any] = [entry for entry in entries if isinstance(entry, dict)]
    match kind:
        case "TextEntry":
            return TextSection(kind="text", title=title, id=key, paragraphs=[
                reader.markup(entry, (*path, index)) for index, entry in enumerate(entries)])
        case "EducationEntry":
            return EducationSection(kind="education", title=title, id=key, homepage=page, items=[
                reader.degree(entry, (*path, index)) for index, entry in enumerate(items)])
        case "ExperienceEntry":
            return ExperienceSection(kind="experience", title=title, id=key, homepage=page, items=[
                reader.position(entry, (*path, index)) for index, entry in enumerate(items)])
        case "PublicationEntry":
            return PublicationsSection(kind="publications", title=title, id=key, homepage=page, items=[
                reader.paper(entry, (*path, index)) for index, entry in enumerate(items)])
        case "unknown":
            reader.problem(path, "holds entries of no type RenderCV has (a text, or an entry with `bullet`, "
                           "`number`, `reversed_number`, `label`, `authors`, `institution`, `company` or `name`)")
            return None
    if kind in ("NumberedEntry", "ReversedNumberedEntry"):
        page = SectionPage(bullet="{n}. ")
    return EntriesSection(kind="entries", title=title, id=key, homepage=page, items=[
        reader.generic(entry, (*path, index), kind) for index, entry in enumerate(items)])


def _values(value: Any) -> list[str]:
    """A header field RenderCV lets be one value or a list, as a list of texts."""
    values = value if isinstance(value, list) else [value]
    return [str(item).strip() for item in values if item not in (None, "")]


def _profiles(reader: _Reader, header: dict[str, Any]) -> list[Link]:
    """The contact line's links: further emails and websites, phones, social networks, custom connections."""
    links: list[Link] = []
    links += [Link(label=email, url=f"mailto:{email}") for email in _values(header.get("email"))[1:]]
    for phone in _values(header.get("phone")):
        digits = "".join(character for character in phone if character.isdigit() or character == "+")
        if digits:
            links.append(Link(label=phone, url=f"tel:{digits}"))
    links += [Link(label=site, url=site) for site in _values(header.get("website"))[1:] if not url_problem(site)]
    for index, network in enumerate(header.get("social_networks") or []):
        if not isinstance(network, dict):
            continue
        name, username = str(network.get("network") or ""), str(network.get("username") or "")
        if name == "Mastodon" and username.count("@") == 2:
            _, user, domain = username.split("@")
            url = f"https://{domain}/@{user}"
        elif name in NETWORK_URLS:
            url = NETWORK_URLS[name] + username
        else:
            reader.problem(("cv", "social_networks", index, "network"), f"{shown(name)} is not one of RenderCV's "
                           f"networks ({', '.join(NETWORK_URLS)}, Mastodon)")
            continue
        links.append(Link(label=name, url=url))
    for index, connection in enumerate(header.get("custom_connections") or []):
        if isinstance(connection, dict) and connection.get("url") and not url_problem(str(connection["url"])):
            links.append(Link(label=reader.markup(connection.get("placeholder") or connection["url"],
                                                  ("cv", "custom_connections", index)), url=str(connection["url"])))
        elif isinstance(connection, dict):
            reader.ignored.append(f"cv.custom_connections[{index}] (no link cvgen allows)")
    return links


@dataclass
class RenderCvImport:
    """A RenderCV input read as a CV, what was not read, and each section's heading and entry count."""

    cv: CV
    ignored: list[str]
    report: list[tuple[str, str, int]]  # (heading, RenderCV entry type, entries)


def import_rendercv(text: str, source: str, name: str | None = None) -> RenderCvImport:
    """A RenderCV input file as a CV; what it holds that cvgen cannot read is an InputFileError naming each line."""
    from cvgen.loader import parse_yaml

    data, lines, problems = parse_yaml(text)
    if problems:
        raise InputFileError(source, problems)
    if not is_rendercv(data):
        raise InputFileError(source, [Problem("not a RenderCV input: it has no `cv:` with `name` and `sections`")])
    reader = _Reader(lines)
    header: dict[str, Any] = data["cv"]
    owner = markup_text(str(header.get("name") or name or ""))
    sections: list[Section] = []
    report: list[tuple[str, str, int]] = []
    raw_sections = header.get("sections") or {}
    if not isinstance(raw_sections, dict):
        reader.problem(("cv", "sections"), "must map each section's title to its entries")
        raw_sections = {}
    for key, entries in raw_sections.items():
        entries = entries if isinstance(entries, list) else [entries]
        section = _section(reader, str(key), entries)
        if section is not None:
            sections.append(section)
            report.append((section_title(str(key)), entry_type(entries[0]) if entries else "TextEntry",
                           len(entries)))
    emails, websites = _values(header.get("email")), _values(header.get("website"))
    if header.get("photo"):
        reader.ignored.append("cv.photo")
    ignored_header = sorted(set(header) - {"name", "headline", "location", "email", "phone", "website", "photo",
                                           "social_networks", "custom_connections", "sections"})
    reader.ignored += [f"cv.{key}" for key in ignored_header if header.get(key) not in (None, "", [])]
    design = _design(data, reader)
    language = LANGUAGES.get(str((data.get("locale") or {}).get("language", "english")).casefold(), "en") if \
        isinstance(data.get("locale"), dict) else "en"
    if not owner:
        reader.problem(("cv", "name"), "the CV names nobody; give the owner's name with --name")
    if reader.problems:
        raise InputFileError(source, reader.problems)
    website = websites[0] if websites and not url_problem(websites[0]) else None
    cv = CV(name=owner, language=language, headline=reader.markup(header.get("headline"), ("cv", "headline")) or None,
            location=reader.markup(header.get("location"), ("cv", "location")) or None,
            email=emails[0] if emails else None, website=website, profiles=_profiles(reader, header),
            sections=sections, design=design)
    return RenderCvImport(cv, reader.ignored, report)


def _design(data: dict[str, Any], reader: _Reader) -> Design:
    """RenderCV's page size as the CV's paper; the rest of its design, locale and settings named as not read."""
    design = data.get("design") if isinstance(data.get("design"), dict) else {}
    assert isinstance(design, dict)
    page = design.get("page") if isinstance(design.get("page"), dict) else {}
    assert isinstance(page, dict)
    paper = "letter" if str(page.get("size", "")).casefold() in ("us-letter", "letter") else "a4"
    reader.ignored += [f"design.{key}" for key, value in design.items() if key != "page" and value not in (None, "")]
    reader.ignored += [f"design.page.{key}" for key, value in page.items() if key != "size" and value not in (
        None, "")]
    locale = data.get("locale") if isinstance(data.get("locale"), dict) else {}
    assert isinstance(locale, dict)
    if str(locale.get("language", "english")).casefold() not in LANGUAGES:
        reader.ignored.append(f"locale.language ({locale.get('language')}: cvgen writes English words instead)")
    reader.ignored += [f"locale.{key}" for key, value in locale.items() if key != "language" and value not in (
        None, "")]
    reader.ignored += [key for key in data if key not in ("cv", "design", "locale", "settings")]
    settings = data.get("settings") if isinstance(data.get("settings"), dict) else {}
    assert isinstance(settings, dict)
    if settings.get("bold_keywords"):  # the rest of RenderCV's settings say where it writes its files
        reader.ignored.append("settings.bold_keywords")
    return Design(paper=paper)


__all__ = ["RenderCvImport", "entry_type", "import_rendercv", "is_rendercv", "section_title"]
