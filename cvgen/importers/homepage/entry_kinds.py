"""The one-line list kinds, read an entry at a time (news, education, experience, awards, talks, press,
projects): `ENTRY_READERS` reads one entry's line into the kind's item, or raises `Unsupported` saying why it
cannot (cvgen's own talk is no line but a title over a list of venues: a talk on one line is read by what its
parts say, `cvgen.importers.kind_fields`). How
the entry is written (its wrappers, separators and order) is not theirs to know: it becomes the entry's layout
(`cvgen.importers.entries.type_kind`), and one writer fills it (`cvgen.renderers.list_kinds`)."""

from __future__ import annotations

import re
from collections.abc import Callable

from cvgen.dates import MONTH_WORD, is_date
from cvgen.importers.fields import leading_marker
from cvgen.importers.homepage.inline import (
    SPACES_BEFORE,
    Html,
    Line,
    Literal,
    StyleCollector,
    Unsupported,
    is_plain,
    markup_of,
    split_line,
    strip_line,
    text_at_end,
    wrapper_of,
)
from cvgen.importers.kind_fields import AT
from cvgen.markup import Emphasis, Link, Strong, Text, merge_text, plain_text, to_markup
from cvgen.model import Article, Award, Degree, NewsItem, Position, Project, TalkVenue
from cvgen.renderers.list_kinds import COURSE, YEAR_RANGE, ListItem

_NEWS_DATE = re.compile(
    r"^\s*((?:[A-Z][a-z]{2,8}\.?\s+(?:\d{1,2},\s+)?\d{4})|(?:\d{4}[-.]\d{1,2}(?:[-.]\d{1,2})?)|\d{4})"
    r"([ \t]*[-–—:|][ \t]*|[^\w\s]*[ \t]+)"
)


def _news_item(line: Line, styles: StyleCollector) -> NewsItem:
    """A dated news line: 'Jan. 2020. Text', '**[2020.01]**: Text'."""
    date, _, _, rest = _dated_line(line, styles)
    return NewsItem(date=date, text=markup_of(strip_line(rest), styles, highlight=True))


def _unmarked(line: Line) -> Line:
    """A line without the emoji before its date ("🔥 **2024.12**: …"): like a list's bullet, the layout's text."""
    if line and isinstance(line[0], Text) and (marker := leading_marker(line[0].text)):
        return [Text(line[0].text[marker:]), *line[1:]] if line[0].text[marker:] else line[1:]
    return line


def _dated_line(line: Line, styles: StyleCollector) -> tuple[str, str, str, Line]:
    """Split 'Jan. 2020. Text' or '**[2020.01]**: Text' into the date, its wrapper, the separator and the text."""
    line = _unmarked(line)
    if not line:
        raise Unsupported("an empty news line")
    if isinstance(line[0], Text):
        match = _NEWS_DATE.match(line[0].text)
        bracket = re.match(r"^\[([^\[\]]+)\]([ \t]*[-–—:|]?[ \t]*)", line[0].text)
        if bracket and is_date(bracket.group(1)) and len(line[0].text) > bracket.end():
            return bracket.group(1), "[{text}]", bracket.group(2), [Text(line[0].text[bracket.end():]), *line[1:]]
        if match:
            return match.group(1), "{text}", match.group(2), [Text(line[0].text[match.end():]), *line[1:]]
        raise Unsupported(f"a news line that does not start with a date: {plain_text(line)[:40]!r}")
    if len(line) < 2 or not isinstance(line[1], Text):
        raise Unsupported("a news line whose date is not followed by text")
    wrapper, inner = wrapper_of(line[0], styles)
    date = plain_text(inner)
    bracketed = re.fullmatch(r"\[([^\[\]]+)\]", date)
    if bracketed:
        date, wrapper = bracketed.group(1), wrapper.replace("{text}", "[{text}]")
    closing = re.fullmatch(r"(.*?)([ \t]*[:|–—-])", date)  # "**Jan 2025:** …": the separator inside the bold
    if closing and is_date(closing.group(1)) and len(inner) == 1:
        date, wrapper = closing.group(1), wrapper.replace("{text}", "{text}" + closing.group(2))
        inner = [Text(date)]
    if not all(isinstance(span, Text) for span in inner) or not is_date(date):
        raise Unsupported(f"a news line that does not start with a date: {plain_text(line)[:40]!r}")
    separator = re.match(r"^[ \t]*[-–—:|][ \t]*|^[^\w\s]*[ \t]+", line[1].text)
    if not separator:
        raise Unsupported("a news date not followed by a separator")
    return date, wrapper, separator.group(0), [Text(line[1].text[separator.end():]), *line[2:]]


_PERIOD_SEPARATOR = re.compile(r"(?<!\s)(?:\s*[-–—]\s*|\s+to\s+)")


def _period(text: str) -> tuple[str | None, str | None, str] | None:
    """Split 'Mar. 2018 - Present' into start, end and the separator, when both are dates; the first separator
    that leaves a date on each side ('1990-01 - 1991-02': not the hyphen inside the first date)."""
    text = text.strip()
    for start, separator, end in _period_splits(text):
        if is_date(start) and is_date(end):
            return start, end, separator
    return (text, None, " - ") if is_date(text) else None


_LONGEST_DATE = 40  # no start date is longer: a separator further in splits off no date


def _period_splits(text: str) -> list[tuple[str, str, str]]:
    r"""Stripped text split into start, separator and end at each separator `(\s*[-–—]\s*|\s+to\s+)` in its first
    `_LONGEST_DATE` characters, in linear time (a regular expression `^(.+?)(…)(.+)$` tries every start, each
    scanning the rest of a run of spaces). Neither part holds a line break, and a separator never starts after
    white space (one that works there works one character earlier)."""
    first_break = text.find("\n") if "\n" in text else len(text)
    last_break = text.rfind("\n")
    splits, position = [], 1
    while (separator := _PERIOD_SEPARATOR.search(text, position)) is not None \
            and separator.start() <= min(first_break, _LONGEST_DATE):
        if last_break < separator.end() < len(text):
            splits.append((text[: separator.start()], separator.group(0), text[separator.end():]))
        position = separator.start() + 1
    return splits


def _structural(line: Line) -> str:
    """A line's text as the page structures it: a character written as a reference (`&#40;`) stands for a
    letter, never for a parenthesis, a comma or a date's digit."""
    return "".join("x" if isinstance(span, Literal) else plain_text([span]) for span in line)


def _join(parts: list[Line]) -> Line:
    """Parts of a line joined again with ", " between them."""
    joined: Line = []
    for number, part in enumerate(parts):
        if number:
            joined.append(Text(", "))
        joined.extend(part)
    return merge_text(joined)


def _degree(line: Line, styles: StyleCollector) -> Degree:
    """A degree: '**Ph.D.** in Field, Institution, Location, Start - End'."""
    if not line or not isinstance(line[0], Strong):
        raise Unsupported("a degree that does not start in bold")
    degree = markup_of(line[:1], styles)
    parts = split_line(line[1:], ", ")
    field_markup = None
    if parts and parts[0]:
        head = strip_line(parts[0])
        if not isinstance(head[0], Text) or not head[0].text.startswith("in ") \
                or not all(is_plain(span) for span in head):
            raise Unsupported("a degree without 'in <field>'")
        field_markup = markup_of(strip_line([Text(head[0].text[3:]), *head[1:]]), styles)
    parts = parts[1:]
    if len(parts) < 2:
        raise Unsupported("a degree without institution and dates")
    institution = markup_of(strip_line(parts[0]), styles)
    date_part = strip_line(parts[-1])
    location = markup_of(strip_line(_join(parts[1:-1])), styles) if len(parts) > 2 else None
    if len(date_part) == 1 and isinstance(date_part[0], (Html, Emphasis, Strong)):
        date_part = list(date_part[0].children)  # a wrapper around the dates is the layout's
    period = _period(plain_text(date_part)) if all(isinstance(span, Text) for span in date_part) else None
    if period is None:
        raise Unsupported("a degree whose dates cvgen cannot read")
    start, end, _ = period
    return Degree(degree=degree, field=field_markup, institution=institution, location=location, start=start,
                  end=end)


def _position(line: Line, styles: StyleCollector) -> Position:
    """A position (or teaching): 'Role, Organization, Location (Start - End)'."""
    line, period_match = text_at_end(line, SPACES_BEFORE + r"\(([^()]+)\)")
    parts = split_line(line, ", ")
    if len(parts) < 2:
        raise Unsupported("a position without role and organization")
    if _period(plain_text(parts[0])) is not None or _STARTS_WITH_A_DATE.match(plain_text(parts[0])):
        raise Unsupported("a position that starts with its dates")  # "**Since 04/2022** — Role": not the role
    # What cvgen writes passes these checks (it writes a position's parentheses as references); a teaching
    # line of a real page does not: a course code or class level for an organization, an italic course title,
    # a part that is a period ('Optimisation convexe (M1), 2023–2025'), a comma inside parentheses.
    texts = [_structural(part) for part in parts]
    organization_spans = strip_line(parts[1])
    italic = len(organization_spans) == 1 and isinstance(organization_spans[0], Emphasis)
    if AT.search(texts[0]) or COURSE.search(texts[1]) or italic:
        raise Unsupported("no role and organization cvgen can name")  # a course and its class: not a position
    if any(_period(text) is not None or YEAR_RANGE.search(text) or text.count("(") != text.count(")")
           for text in texts):
        raise Unsupported("a position whose parts hold a date, or a comma inside parentheses")
    role = markup_of(strip_line(parts[0]), styles)
    organization = markup_of(strip_line(parts[1]), styles)
    location = markup_of(strip_line(_join(parts[2:])), styles) if len(parts) > 2 else None
    start = end = when = None
    if period_match:
        period = _period(period_match.group(1))
        if period:
            start, end, _ = period
        else:
            when = to_markup([Text(period_match.group(1))])
    return Position(role=role, organization=organization, location=location, start=start, end=end, when=when)


# A date or period at the start of a line, "since" a date included: not an award's title.
_STARTS_WITH_A_DATE = re.compile(
    r"\s*[*_\[(]{0,2}(?:(?:since|seit|ab|depuis|desde|dal)\s+)?(?:\d{1,2}[/.])?(?:19|20)\d{2}\b", re.I)


# A date an award line ends with: a year, after a month (and a day) in words, or a numeric month.
_AWARD_DATE = (r"(?:(?:\d{1,2}\s+)?" + MONTH_WORD + r"\s+(?:\d{1,2},\s+)?|\d{1,2}/)?(?:19|20)\d{2}"
               r"(?:[.-]\d{2}(?:[.-]\d{2})?)?")


def _award(line: Line, styles: StyleCollector) -> Award:
    """An award: 'Title (detail; date)' or 'Title (detail, date)', optionally as one link, or 'date: Title'."""
    try:
        awarded, _, _, rest = _dated_line(line, styles)
    except Unsupported:
        pass
    else:
        rest = strip_line(rest)
        if any(isinstance(span, Link) for span in rest) and not (len(rest) == 1 and isinstance(rest[0], Link)):
            raise Unsupported("an award with a link after its title")  # "… [(Link)](…)": a generic entry's links
        return Award(title=_award_title(rest, styles), date=awarded)
    opening = _structural(line[:3])
    if _STARTS_WITH_A_DATE.match(opening):  # a digit written as a reference starts no date
        raise Unsupported("an award that starts with a date cvgen cannot read")  # "**seit 10/2023**: Mitglied"
    url = None
    if len(line) == 1 and isinstance(line[0], Link):
        url = line[0].url
        line = list(line[0].children)
    line, details = text_at_end(line, SPACES_BEFORE + r"\(([^()]+)\)")
    detail: str | None = None
    date: str | None = None
    if not details:  # "Early Career Prize, Institute of Physics, 5 March 2024": the date after the last comma
        before, dated = text_at_end(line, r",\s*(" + _AWARD_DATE + r")\s*")
        if dated and is_date(dated.group(1)):
            line, date = before, dated.group(1)
    if details:
        detail, date = _award_details(details.group(1))
    return Award(title=_award_title(strip_line(line), styles), detail=to_markup([Text(detail)]) if detail else None,
                 date=date, url=url)


def _award_details(text: str) -> tuple[str | None, str | None]:
    """What an award's parentheses say: "(issuer; date)", "(issuer, date)", "(date)" or only a detail."""
    parts = text.rsplit("; ", 1)
    if len(parts) == 1 and not is_date(parts[0]):
        parts = text.rsplit(", ", 1)
    if not is_date(parts[-1]):
        return text, None
    return (parts[0] if len(parts) == 2 else None), parts[-1]


def _award_title(line: Line, styles: StyleCollector) -> str:
    """An award's title, which holds no period: a title with one ("… 2021–2024 …") is a line cvgen misreads."""
    if YEAR_RANGE.search(plain_text(line)):
        raise Unsupported("a period inside the title")
    return markup_of(line, styles)


def _article(line: Line, styles: StyleCollector) -> Article:
    """A press article: 'Title, Outlet, Date', the title optionally a link."""
    url = None
    title_line: Line
    if line and isinstance(line[0], Link):
        url = line[0].url
        title_line = list(line[0].children)
        rest = line[1:]
    else:
        parts = split_line(line, ", ")
        title_line, rest = parts[0], _join(parts[1:])
        rest = [Text(", "), *rest] if parts[1:] else []
    rest, date = _trailing_date(rest)
    outlet = None
    rest = merge_text(rest)
    if rest:
        if not isinstance(rest[0], Text) or not rest[0].text.startswith(", "):
            raise Unsupported("an article whose outlet cvgen cannot read")
        outlet = markup_of(strip_line([Text(rest[0].text[2:]), *rest[1:]]), styles)
    return Article(title=markup_of(title_line, styles), url=url, outlet=outlet, date=date)


def _project(line: Line, styles: StyleCollector) -> Project:
    """A project: 'Title, Sponsor, Start-End'."""
    parts = split_line(line, ", ")
    start = end = None
    if len(parts) > 1:
        period = _period(plain_text(parts[-1])) if all(isinstance(span, Text) for span in parts[-1]) else None
        if period:
            start, end, _ = period
            parts = parts[:-1]
    if YEAR_RANGE.search(plain_text(line if start is None else _join(parts))):
        raise Unsupported("a period cvgen cannot take apart from the project's text")  # "项目，…，2024–2027，主持"
    title = markup_of(strip_line(parts[0]), styles)
    sponsor = markup_of(strip_line(_join(parts[1:])), styles) if len(parts) > 1 else None
    return Project(title=title, sponsor=sponsor, start=start, end=end)


def _talk(line: Line, styles: StyleCollector) -> ListItem:
    raise Unsupported("a talk on one line")


ENTRY_READERS: dict[str, Callable[[Line, StyleCollector], ListItem]] = {
    "news": _news_item,
    "education": _degree,
    "experience": _position,
    "awards": _award,
    "talks": _talk,
    "press": _article,
    "projects": _project,
}


def _trailing_date(line: Line) -> tuple[Line, str | None]:
    """A line without the date after its last comma, and that date; the line as it stands, and None, when what
    follows its last comma is no date."""
    line, found = text_at_end(line, r",\s*([^,]+)")
    if found is None:
        return line, None
    if is_date(found.group(1)):
        return line, found.group(1)
    return [*line, Text(found.group(0))], None


def talk_venue(line: Line, styles: StyleCollector) -> tuple[TalkVenue, str]:
    """One venue line of a talk in cvgen's own form ('@ Venue, April 2021'), and the prefix it is written with."""
    prefix = ""
    if line and isinstance(line[0], Text) and (found := re.match(r"^(@\s*|at\s+)", line[0].text)):
        prefix = found.group(1)
        line = [Text(line[0].text[found.end():]), *line[1:]]
    line, date = _trailing_date(merge_text(line))
    return TalkVenue(venue=markup_of(merge_text(line), styles), date=date), prefix


__all__ = ["ENTRY_READERS", "talk_venue"]
