"""Dates as CVs write them: parsed from ISO or human forms, shown in one style or in a page's own style."""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass

from cvgen.errors import shown

MONTH_NUMBERS: dict[str, int] = {}
for _number in range(1, 13):
    MONTH_NUMBERS[calendar.month_name[_number].lower()] = _number
    MONTH_NUMBERS[calendar.month_abbr[_number].lower()] = _number
MONTH_NUMBERS["sept"] = 9
# A month name as pages write it before a year, in full or cut short ("Sep", "Sept.", "September").
MONTH_WORD = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"

SEASONS = ("spring", "summer", "fall", "autumn", "winter")
PRESENT_WORDS = ("present", "now", "today", "current", "ongoing", "현재", "至今", "现在", "現在", "heute")

_ISO = re.compile(r"(\d{4})(?:[-.](\d{1,2})(?:[-.](\d{1,2}))?)?")
_MONTH_YEAR = re.compile(r"([A-Za-z]+)\.?,?\s+(?:(\d{1,2}),?\s+)?(\d{4})")
_MONTH_SLASH_YEAR = re.compile(r"(\d{1,2})/(\d{4})")
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})\s+([A-Za-z]+)\.?,?\s+(\d{4})")

DATE_HELP = "use YYYY, YYYY-MM or YYYY-MM-DD (or a form like 'Feb. 2022', 'Summer 2022', 'Present')"


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to the year, month or day; or a season; or the open end 'present'."""

    year: int = 9999
    month: int | None = None
    day: int | None = None
    season: str | None = None
    present: bool = False

    def display(self, language: str = "en") -> str:
        """The date in cvgen's one consistent style, in a language: 'Feb 2022', '8 Dec 2021', 'Summer 2022',
        'Present'; '2022년 2월', '2022年2月', '8. Dez. 2021', 'févr. 2022'…"""
        from cvgen.locales import locale

        words = locale(language)
        if self.present:
            return words.present
        if self.season:
            season = words.seasons.get(self.season.lower(), self.season.capitalize())
            return words.season_year.format(season=season, year=self.year)
        if self.month is None:
            return str(self.year)
        values = {"month": words.months[self.month - 1], "m": self.month, "year": self.year, "day": self.day}
        return (words.month_year if self.day is None else words.day_month_year).format(**values)

    def iso(self) -> str | None:
        """The date as YYYY[-MM[-DD]], or None for seasons and 'present'."""
        if self.present or self.season:
            return None
        parts = [f"{self.year:04d}"]
        if self.month is not None:
            parts.append(f"{self.month:02d}")
        if self.day is not None:
            parts.append(f"{self.day:02d}")
        return "-".join(parts)


def _checked(year: int, month: int | None, day: int | None, text: str, season: str | None = None) -> PartialDate:
    if year < 1:
        raise ValueError(f"{shown(text)} is not a date: there is no year {year}; {DATE_HELP}")
    if month is not None and not 1 <= month <= 12:
        raise ValueError(f"{shown(text)} is not a date: there is no month {month}; {DATE_HELP}")
    if day is not None:
        assert month is not None
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            raise ValueError(
                f"{shown(text)} is not a date: {calendar.month_name[month]} {year} has {last} days; {DATE_HELP}"
            )
    return PartialDate(year, month, day, season)


def parse_date(text: str) -> PartialDate:
    """Parse a date as written in a CV; raise ValueError with a message that says how to fix it."""
    value = text.strip()
    lowered = value.lower()
    if lowered in PRESENT_WORDS:
        return PartialDate(present=True)
    if match := _ISO.fullmatch(value):
        year, month, day = match.groups()
        return _checked(int(year), int(month) if month else None, int(day) if day else None, text)
    words = lowered.split()
    if len(words) == 2 and words[0] in SEASONS and words[1].isdigit() and len(words[1]) == 4:
        return _checked(int(words[1]), None, None, text, season=words[0])
    if match := _MONTH_YEAR.fullmatch(value):
        name, day, year = match.groups()
        if name.lower() in MONTH_NUMBERS:
            return _checked(int(year), MONTH_NUMBERS[name.lower()], int(day) if day else None, text)
    if match := _MONTH_SLASH_YEAR.fullmatch(value):  # 10/2023, as European pages write it
        return _checked(int(match.group(2)), int(match.group(1)), None, text)
    if match := _DAY_MONTH_YEAR.fullmatch(value):
        day, name, year = match.groups()
        if name.lower() in MONTH_NUMBERS:
            return _checked(int(year), MONTH_NUMBERS[name.lower()], int(day), text)
    raise ValueError(f"{shown(text)} is not a date; {DATE_HELP}")


def is_present(text: str | None) -> bool:
    """Whether a date is the open end of a period ('Present', 'heute')."""
    return text is not None and text.strip().lower() in PRESENT_WORDS


def is_iso(text: str) -> bool:
    """Whether a date is written as YYYY, YYYY-MM or YYYY-MM-DD (the form a page's date style applies to)."""
    return re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", text.strip()) is not None


def format_date(date: PartialDate, style: str) -> str:
    """Write a date in a page's style: %Y, %m, %d, %-d, %b (Feb), %B (February) as in strftime."""
    if date.present:
        return "Present"
    if date.season:
        return f"{date.season.capitalize()} {date.year}"
    month = date.month
    day = date.day
    if month is None:
        return str(date.year)
    # A style made for months shows a month; one made for days shows a day only when the date has one.
    if day is None and re.search(r"%-?d", style):
        style = re.sub(r"[\s.,/-]*%-?d[,.]?", "", style, count=1).strip()
    replacements = {
        "%Y": f"{date.year:04d}",
        "%m": f"{month:02d}",
        "%-m": str(month),
        "%d": f"{day or 1:02d}",
        "%-d": str(day or 1),
        "%b": calendar.month_abbr[month],
        "%B": calendar.month_name[month],
    }
    return re.sub(r"%-?[YmdbB]", lambda match: replacements[match.group(0)], style)


CANDIDATE_STYLES = (
    "%b. %Y", "%b %Y", "%B %Y", "%Y-%m", "%Y.%m", "%Y.%m.%d", "%Y-%m-%d", "%b. %-d, %Y", "%b %-d, %Y",
    "%B %-d, %Y", "%-d %b %Y", "%-d %B %Y", "%m/%Y", "%Y",
)


def is_date(text: str) -> bool:
    """Whether text is a date cvgen reads (parse_date takes it)."""
    try:
        parse_date(text)
    except ValueError:
        return False
    return True


def first_style(dates: Iterable[str | None]) -> str | None:
    """The page style of the first date that shows one (how the page writes a date, for one given as YYYY-MM)."""
    return next((style for style in (infer_style(date) for date in dates if date) if style), None)


def infer_style(text: str) -> str | None:
    """The page style that writes this date exactly as given, if one of the usual ones does."""
    try:
        date = parse_date(text)
    except ValueError:
        return None
    if date.present or date.season or date.month is None:
        return None
    for style in CANDIDATE_STYLES:
        if format_date(date, style) == text.strip():
            return style
    return None
