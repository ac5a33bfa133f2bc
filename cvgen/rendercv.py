"""The CV as RenderCV input (`cvgen export rendercv`): its header and every section, each entry as the RenderCV 2.8
entry type that holds it, and what RenderCV cannot hold, in words.

Text is written in the Markdown RenderCV reads (`**bold**`, `*italic*`, `[text](url)`), Markdown's characters in
it escaped and what RenderCV would read as Typst's code (`#name`, `$$`) or HTML (`<tag>`) broken by an invisible
word joiner; the owner is italic in author lists and an equal contributor's mark is an escaped star, as RenderCV's
own examples write them. A date RenderCV cannot read as a date (a season, words, a range that ends before it
starts) is written as the entry's `date` text.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from cvgen.dates import parse_date
from cvgen.importers.rendercv import NETWORK_URLS, section_title
from cvgen.locales import locale
from cvgen.markup import Code, Emphasis, Highlight, Link, Span, Strong, Text, Underline, markup_text, parse_markup
from cvgen.model import (
    CV,
    Article,
    Award,
    AwardsSection,
    Degree,
    EducationSection,
    EntriesSection,
    ExperienceSection,
    GenericEntry,
    InterestsSection,
    NewsItem,
    NewsSection,
    Position,
    PressSection,
    Project,
    ProjectsSection,
    Publication,
    PublicationsSection,
    Section,
    ServiceSection,
    Talk,
    TalksSection,
    TextSection,
)

_ESCAPED = re.compile(r"([\\*_\[\]])")
# RenderCV passes `#name…` and `$$…$$` to Typst as code and `<tag>` to Markdown as HTML; a word joiner (U+2060,
# invisible) after the `#`, `$` or `<` keeps such text as text. A backslash would not: RenderCV shows it.
_CODE_LIKE = re.compile(r"([#<])(?=[A-Za-z/!?])|(\$)(?=\$)")
WORD_JOINER = "\u2060"
# A backtick opens Typst's raw text whatever Markdown says, so it is written as the Typst code that prints one.
BACKTICK = "#str.from-unicode(96)" + WORD_JOINER


def rendercv_escaped(text: str) -> str:
    """Plain text as RenderCV's Markdown reads it back as the same text."""
    escaped = _CODE_LIKE.sub(lambda match: (match.group(1) or match.group(2)) + WORD_JOINER,
                             _ESCAPED.sub(r"\\\1", text))
    return escaped.replace("`", BACKTICK)


def markdown(source: str | None) -> str:
    """A text field as RenderCV's Markdown."""
    return _spans(parse_markup(source)) if source else ""


def _spans(spans: tuple[Span, ...]) -> str:
    out = []
    for span in spans:
        match span:
            case Text(text) | Code(text):
                out.append(rendercv_escaped(text))
            case Strong(children):
                out.append(f"**{_spans(children)}**")
            case Emphasis(children):
                out.append(f"*{_spans(children)}*")
            case Underline(children) | Highlight(children):
                out.append(_spans(children))
            case Link(url, children):
                out.append(f"[{_spans(children)}]({url})")
    return "".join(out)


def _dates(start: str | None, end: str | None = None) -> dict[str, str]:
    """An entry's dates as RenderCV reads them: a `date`, or a `start_date` and `end_date` (ISO, or `present`);
    a date it cannot read (a season), or a range that ends before it starts, as one `date` text."""
    first, last = (parse_date(date) if date else None for date in (start, end))
    if first is None or last is None:
        single = first or last
        return {"date": single.iso() or single.display()} if single else {}
    in_order = last.present or (last.year, last.month or 0, last.day or 0) >= (first.year, first.month or 0,
                                                                             first.day or 0)
    if first.iso() and (last.present or last.iso()) and in_order:
        return {"start_date": first.iso() or "", "end_date": "present" if last.present else last.iso() or ""}
    return {"date": f"{first.display()} – {last.display()}"}


class _Export:
    """The export under way: the sections written and what was left out, counted by kind."""

    def __init__(self, cv: CV) -> None:
        self.cv = cv
        self.left: Counter[str] = Counter()

    def paper(self, paper: Publication) -> dict[str, Any]:
        authors = []
        for author in paper.author_list():
            name = rendercv_escaped(author.name)
            name = f"*{name}*" if self.cv.is_owner(author.name) else name
            marks = rendercv_escaped(author.marks.replace("*", ""))
            authors.append(name + ("\\*" if author.equal else "") + marks)
        journal = markdown(paper.venue)
        if paper.details:
            journal = f"{journal}, {markdown(paper.details)}" if journal else markdown(paper.details)
        if paper.award:
            journal = f"{journal}, {markdown(paper.award)}" if journal else markdown(paper.award)
        if paper.note:
            journal = f"{journal} ({markdown(paper.note)})" if journal else markdown(paper.note)
        entry: dict[str, Any] = {"title": markdown(paper.title), "authors": authors}
        doi = next((link.url.split("doi.org/", 1)[1] for link in paper.links if "doi.org/" in link.url), None)
        if doi:
            entry["doi"] = doi
        url = paper.url or next((link.url for link in paper.links if "doi.org/" not in link.url), None)
        if url:
            entry["url"] = url
        if journal:
            entry["journal"] = journal
        if paper.year:
            entry.update(_dates(paper.year))
        if paper.highlights or paper.abstract:
            entry["summary"] = " ".join(markdown(line) for line in [*(
                [paper.abstract] if paper.abstract else []), *paper.highlights])
        self.left["paper labels ([C13])"] += bool(paper.label)
        self.left["paper links besides the first"] += max(0, len([link for link in paper.links
                                                                  if link.url not in (url, f"https://doi.org/{doi}")]))
        return entry

    def section(self, section: Section) -> list[Any] | None:
        """A section's entries as RenderCV's; None for a section it cannot hold."""
        items = [] if isinstance(section, InterestsSection) else getattr(section, "items", [])
        typed = [item for item in items if not hasattr(item, "raw")]
        self.left["entries kept as written (raw)"] += len(items) - len(typed)
        match section:
            case TextSection():
                return [markdown(paragraph) for paragraph in section.paragraphs]
            case InterestsSection():
                self.left["interest lead-ins"] += bool(section.intro)
                return [{"bullet": markdown(item)} for item in section.items]
            case NewsSection():
                return [{"name": markdown(item.text), **_dates(item.date)} for item in typed
                        if isinstance(item, NewsItem)]
            case EducationSection():
                return [self.degree(item) for item in typed if isinstance(item, Degree)]
            case PublicationsSection():
                return [self.paper(item) for item in typed if isinstance(item, Publication)]
            case ExperienceSection():
                return [self.position(item) for item in typed if isinstance(item, Position)]
            case AwardsSection():
                return [self.award(item) for item in typed if isinstance(item, Award)]
            case TalksSection():
                return [{"name": markdown(talk.title), "highlights": [
                    "@ " + ", ".join(part for part in (markdown(venue.type), markdown(venue.venue),
                                                       markdown(venue.location),
                                                       parse_date(venue.date).display() if venue.date else "")
                                     if part) for venue in talk.venues]} for talk in typed if isinstance(talk, Talk)]
            case PressSection():
                return [self.article(item) for item in typed if isinstance(item, Article)]
            case ServiceSection():
                return [{"label": markdown(group.title) or "Service", "details": "; ".join(
                    " ".join(part for part in (markdown(entry.venue), ", ".join(entry.years)) if part)
                    for entry in group.entries)} for group in section.groups]
            case ProjectsSection():
                return [{"name": markdown(item.title) + (f", **{markdown(item.sponsor)}**" if item.sponsor else ""),
                         **_dates(item.start, item.end)} for item in typed if isinstance(item, Project)]
            case EntriesSection():
                return self.generic([item for item in typed if isinstance(item, GenericEntry)],
                                    numbered="{n}" in section.homepage.bullet)
        self.left["sections kept as written (raw Markdown)"] += 1
        return None

    def degree(self, degree: Degree) -> dict[str, Any]:
        entry: dict[str, Any] = {"institution": markdown(degree.institution), "area": markdown(degree.field) or
                                 markdown(degree.degree), "degree": markdown(degree.degree)}
        if degree.location:
            entry["location"] = markdown(degree.location)
        entry.update(_dates(degree.start, degree.end))
        lines = [*([markdown(degree.note)] if degree.note else []), *(markdown(line) for line in degree.details)]
        if lines:
            entry["highlights"] = lines
        return entry

    def position(self, position: Position) -> dict[str, Any]:
        entry: dict[str, Any] = {"company": markdown(position.organization), "position": markdown(position.role)}
        if position.location:
            entry["location"] = markdown(position.location)
        entry.update(_dates(position.start, position.end) if position.start else (
            {"date": markup_text(position.when)} if position.when else {}))
        if position.details:
            entry["highlights"] = [markdown(line) for line in position.details]
        return entry

    def award(self, award: Award) -> dict[str, Any]:
        name = markdown(award.title)
        if award.url:
            name = f"[{name}]({award.url})"
        if award.detail:
            name = f"{name} ({markdown(award.detail)})"
        entry: dict[str, Any] = {"name": name, **_dates(award.date)}
        if award.details:
            entry["highlights"] = [markdown(line) for line in award.details]
        return entry

    def article(self, article: Article) -> dict[str, Any]:
        name = f"[{markdown(article.title)}]({article.url})" if article.url else markdown(article.title)
        return {"name": name + (f", {markdown(article.outlet)}" if article.outlet else ""), **_dates(article.date)}

    def generic(self, items: list[GenericEntry], numbered: bool = False) -> list[dict[str, Any]]:
        """Entries as one-line entries (all labelled, one line each), bullets or numbered entries (all a bare text),
        else normal entries."""
        if items and all(item.label and not _more_than_text(item) for item in items):
            return [{"label": markdown(item.label), "details": markdown(item.title)} for item in items]
        if items and all(not (item.label or _more_than_text(item)) for item in items):
            return [{"number" if numbered else "bullet": markdown(item.title)} for item in items]
        entries = []
        for item in items:
            name = markdown(item.title) + (f", {markdown(item.subtitle)}" if item.subtitle else "")
            entry: dict[str, Any] = {"name": f"**{markdown(item.label)}:** {name}" if item.label else name,
                                     **_dates(item.start, item.end)}
            if item.when and not (item.start or item.end):
                entry["date"] = markdown(item.when)  # RenderCV shows a date it cannot read as written
            self.left["entries' dates beside their dates in words"] += bool(item.when and (item.start or item.end))
            if item.location:
                entry["location"] = markdown(item.location)
            if item.abstract:
                entry["summary"] = markdown(item.abstract)
            lines = [markdown(line) for line in item.details] + [f"[{markdown(link.label)}]({link.url})"
                                                                 for link in item.links]
            if lines:
                entry["highlights"] = lines
            entries.append(entry)
        return entries


def _more_than_text(item: GenericEntry) -> bool:
    """Whether an entry has more than its label and text: what a one-line, bullet or numbered entry cannot hold."""
    return bool(item.details or item.start or item.when or item.subtitle or item.location or item.links
                or item.abstract)


def _connections(cv: CV) -> dict[str, Any]:
    """The profile links as RenderCV's connections: a profile of a network RenderCV knows, under that network's
    name, as a social network; an international phone number (`tel:+…`) as a `phone`; a further email as an
    `email`; a web link as a custom connection; any other as a custom connection's text."""
    phones: list[str] = []
    emails = [cv.email] if cv.email else []
    custom: list[dict[str, Any]] = []
    networks: list[dict[str, str]] = []
    for link in cv.profiles:
        label = markup_text(link.label)
        network = next((name for name, prefix in NETWORK_URLS.items() if link.url.startswith(prefix)
                        and label.casefold() == name.casefold() and len(link.url) > len(prefix)), None)
        if network:
            networks.append({"network": network, "username": link.url.removeprefix(NETWORK_URLS[network])})
        elif link.url.startswith("tel:+"):
            phones.append(label if label.startswith("+") else link.url.removeprefix("tel:"))
        elif link.url.startswith("mailto:"):
            emails.append(link.url.removeprefix("mailto:"))
        elif link.url.startswith(("http://", "https://")):
            custom.append({"placeholder": label, "url": link.url, "fontawesome_icon": "link"})
        else:
            custom.append({"placeholder": label, "url": None, "fontawesome_icon": "phone" if link.url.startswith(
                "tel:") else "link"})
    connections: dict[str, Any] = {}
    if len(emails) > 1:
        connections["email"] = emails
    if phones:
        connections["phone"] = phones[0] if len(phones) == 1 else phones
    if networks:
        connections["social_networks"] = networks
    if custom:
        connections["custom_connections"] = custom
    return connections


def rendercv_text(cv: CV) -> tuple[str, list[str]]:
    """The RenderCV input as YAML text, and what RenderCV cannot hold."""
    import yaml

    document, left = rendercv_document(cv)
    text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=1_000_000)
    return f"# RenderCV input written by `cvgen export rendercv` from the CV of {cv.name}.\n{text}", left


def rendercv_document(cv: CV) -> tuple[dict[str, Any], list[str]]:
    """The CV as RenderCV input (`{"cv": …}`), and what RenderCV cannot hold, in words."""
    export = _Export(cv)
    header: dict[str, Any] = {"name": cv.name}
    if cv.headline:
        header["headline"] = markup_text(cv.headline)
    if cv.location:
        header["location"] = markup_text(cv.location)
    if cv.email:
        header["email"] = cv.email
    if cv.website:
        header["website"] = cv.website
    header.update(_connections(cv))
    export.left["the affiliation (RenderCV has no field for it)"] += bool(cv.affiliation)
    sections: dict[str, list[Any]] = {}
    for _, section in cv.cv_sections():
        entries = export.section(section)
        if not entries:
            continue
        title = markup_text(section.title) or locale(cv.language).headings.get(
            section.kind, locale(cv.language).headings["interests"] if section.kind == "interests" else "About")
        if section.id and section_title(section.id) == title:
            title = section.id  # the key it had in RenderCV, which RenderCV shows as this title
        key, number = title, 2
        while key in sections:
            key, number = f"{title} ({number})", number + 1
        sections[key] = entries
    header["sections"] = sections
    left = [f"{count} {what}" for what, count in export.left.items() if count]
    return {"cv": header}, left


__all__ = ["markdown", "rendercv_document", "rendercv_text"]
