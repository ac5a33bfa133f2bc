"""The errors a user can fix, and how they read on one screen."""

from __future__ import annotations

from dataclasses import dataclass

MAX_SHOWN_PROBLEMS = 15


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
        return f"{place}: {self.field}: {self.message}" if self.field else f"{place}: {self.message}"


class InputFileError(CvgenError):
    """An input file (a CV or a homepage) has one or more problems, all reported at once."""

    def __init__(self, source: str, problems: list[Problem]) -> None:
        self.source = source
        self.problems = problems
        shown = [problem.render(source) for problem in problems[:MAX_SHOWN_PROBLEMS]]
        if len(problems) > MAX_SHOWN_PROBLEMS:
            shown.append(f"… and {len(problems) - MAX_SHOWN_PROBLEMS} more problems in {source}")
        super().__init__("\n".join(shown))
