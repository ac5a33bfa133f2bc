"""The errors a user can fix, and how they read on one screen."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

MAX_SHOWN_PROBLEMS = 15
MAX_SHOWN_VALUE = 80  # characters of a user's value quoted in a message
MAX_LINE = 400  # characters of one problem's line
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """Text safe to print on a terminal: control characters (escape sequences, bidi overrides) as \\x.. escapes."""
    return _UNPRINTABLE.sub(lambda match: match.group().encode("unicode_escape").decode("ascii"), text)


def shorten(text: str, limit: int = MAX_SHOWN_VALUE) -> str:
    """At most `limit` characters of text, cut with "…"."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def shown(value: object, limit: int = MAX_SHOWN_VALUE) -> str:
    """A user's value as a message quotes it: repr-style for text, cut to about `limit` characters, printable."""
    if isinstance(value, str):
        return repr(shorten(value, limit))
    return shorten(printable(repr(value)), limit)


class CvgenError(Exception):
    """A problem the user can fix: the CLI shows its message and exits 1, without a traceback."""


@dataclass(frozen=True)
class Problem:
    """One problem in an input file: where (line, field) and what to do."""

    message: str
    line: int | None = None
    field: str | None = None

    def render(self, source: str) -> str:
        """The problem as `file:line: field: message`."""
        place = f"{source}:{self.line}" if self.line is not None else source
        field = shorten(self.field, MAX_SHOWN_VALUE) if self.field else None
        text = f"{place}: {field}: {self.message}" if field else f"{place}: {self.message}"
        return shorten(printable(text), MAX_LINE)


class InputFileError(CvgenError):
    """An input file (a CV or a homepage) has one or more problems, all reported at once."""

    def __init__(self, source: str, problems: list[Problem]) -> None:
        self.source = source
        self.problems = problems
        shown = [problem.render(source) for problem in problems[:MAX_SHOWN_PROBLEMS]]
        if len(problems) > MAX_SHOWN_PROBLEMS:
            shown.append(f"… and {len(problems) - MAX_SHOWN_PROBLEMS} more problems in {source}")
        super().__init__("\n".join(shown))


FieldPath = tuple[str | int, ...]


def display_path(path: FieldPath) -> str:
    """A field's path as messages write it: `sections[3].items[1].end`."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def nearest_line(lines: Mapping[FieldPath, int], path: FieldPath) -> int | None:
    """The line of a field, or of the nearest enclosing field that has one."""
    for end in range(len(path), -1, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return None


@dataclass(frozen=True)
class Origin:
    """Where a CV was read from: its file and the line of each field, so that a later step (a theme, a template
    folder) can name the line that chose it."""

    source: str
    lines: Mapping[FieldPath, int] = field(default_factory=dict)
    # Texts written per language that lack the CV's language: each field and the language it is shown in.
    fallbacks: tuple[tuple[FieldPath, str], ...] = ()
    language: str = "en"  # the language the CV was read in
    per_language: int = 0  # how many of its texts are written per language
    # Where a section or entry a variant or a section's order moved stands in the file, by its place in the CV as
    # shown: ("sections", 0) → ("sections", 3).
    moved: Mapping[FieldPath, FieldPath] = field(default_factory=dict)

    def written(self, path: FieldPath) -> FieldPath:
        """A path in the CV as shown, as a path in the file."""
        for end in range(len(path), 0, -1):
            if path[:end] in self.moved:
                return (*self.moved[path[:end]], *path[end:])
        return path

    def line(self, path: FieldPath) -> int | None:
        """The line of a field, or of the nearest enclosing field written in the file."""
        return nearest_line(self.lines, self.written(path))

    def place(self, path: FieldPath) -> str:
        """`cv.yaml:14: design.theme`, the prefix of a message about that field."""
        return Problem("", self.line(path), display_path(self.written(path))).render(self.source).removesuffix(": ")
