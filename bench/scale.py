"""How each command's time and peak memory grow with its input: every command should be linear.

    python bench/scale.py [--cvgen PATH/TO/cvgen] [--only CASE] [--scales 1,4,16] [--check]

Each case is an input built to hit a step that once was super-linear, generated at 1×, 4× and 16× of a base
size (1× is some 20–50 KB):

  stars     a paragraph of unmatched `**a ` (a CV text field, and a homepage paragraph to import)
  entities  a page of paragraphs holding `&amp;`, which cvgen writes otherwise, so none is typed
  papers    a page of publications in the seed's list style (data/about.md)
  spaces    a page whose entries hold long runs of spaces (news, positions, awards, papers, an HTML tag)
  liquid    a section kept raw because it opens with an unclosed `{%`, followed by many paragraphs
  news      a CV of 5,000 news items (20,000 at 4×, 80,000 at 16×)

Commands: `import` for pages (with --check, also `check` of the page against its import); `markdown`, `html`
and `latex` (the .tex only) for CVs, on the imported CV or, for `stars` (field) and `news`, on CV YAML written
directly. Every measurement is a fresh process; peak memory is its largest resident set (wait4's rusage). A row
is flagged when 16× the input takes more than 20 times as long as 1× (the budget for linear: ×16 plus start-up
and noise). The whole run takes about three minutes on two cores.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

LIMIT = 20.0  # the largest 16×/1× time ratio a linear command may show
OWNER = "Hayeon Lee"


@dataclass
class Measurement:
    """One command run: wall seconds, peak resident set in MiB, and the error it ended with (None: success)."""

    seconds: float
    peak_mib: float
    error: str | None = None


@dataclass
class Row:
    """One command on one case, measured at every scale."""

    case: str
    command: str
    measurements: dict[int, Measurement] = field(default_factory=dict)


# --- inputs ------------------------------------------------------------------------------------------------


def stars_text(scale: int) -> str:
    """A paragraph of unmatched `**a ` (24 KB at 1×)."""
    return "**a " * (6000 * scale)


def stars_page(scale: int) -> str:
    return f"# About\n\n{stars_text(scale)}\n"


def stars_cv(scale: int) -> str:
    return cv_yaml([{"kind": "text", "paragraphs": [stars_text(scale)]}])


def entities_page(scale: int) -> str:
    """Paragraphs with `&amp;` (26 KB at 1×): cvgen writes `&` as `&`, so no paragraph is typed."""
    return "".join(f"Tom &amp; Jerry wrote paper number {number} with care.\n\n" for number in range(500 * scale))


_PAPER = """- **Paper number {number}: on scaling laws of generated text** \\\\
<a href="https://arxiv.org/abs/{number}" style="color: #7289da; text-decoration: none;">[paper]</a>
<a href="https://github.com/example/{number}" style="color: #7289da; text-decoration: none;">[code]</a> \\\\
Co Author\\*, <u>Hayeon Lee*</u>, Author {number}, Sung Ju Hwang (\\*: equal contribution) \\\\
<span style="color:darkred">**ICLR**</span> 2020, <span style="color:red">_Oral Presentation_</span> (acceptance = 1.9%)
"""


def papers_page(scale: int) -> str:
    """Publications written as the seed writes them (30 KB at 1×)."""
    return "## Conference Publications\n" + "\n".join(_PAPER.format(number=number) for number in range(60 * scale))


def spaces_page(scale: int) -> str:
    """Entries with long runs of spaces in the places the importer reads with patterns (40 KB at 1×)."""
    run = " " * (3000 * scale)
    return (f"# About\n\nHello <span{run}title=\"x\">world</span>{run}again\n\n"
            f"## News\nFeb. 2022.{run}Something happened{run}here \\\\\nMar. 2022. More\n\n"
            f"## Work Experiences\n- Research{run}Intern, Org, Place (Dec 2020{run}- Feb 2021{run}\n\n"
            f"## Awards\n- Title{run}(detail{run};{run}2020{run}\n\n"
            f"## Publications\n- **Title** \\\\\nAn Author,{run}<u>{OWNER}</u>{run}(note \\\\\n"
            f"<span style=\"color:darkred\">**VENUE**</span>{run}2020{run}(acceptance{run}\n")


def liquid_page(scale: int) -> str:
    """A section that stays raw (an unclosed `{%` opens it) with many paragraphs (25 KB at 1×)."""
    paragraphs = "".join(f"Line {number} of the raw section.\n\n" for number in range(800 * scale))
    return "# About\n\n{% include unclosed.html\n\n" + paragraphs


def news_cv(scale: int) -> str:
    """A CV of 5,000 news items at 1×."""
    items = [{"date": f"{2000 + number % 25}-{number % 12 + 1:02d}", "text": f"News item {number}, **bold** words"}
             for number in range(5000 * scale)]
    return cv_yaml([{"kind": "news", "title": "News", "items": items}])


def cv_yaml(sections: list[dict[str, object]]) -> str:
    return yaml.safe_dump({"name": OWNER, "sections": sections}, allow_unicode=True, sort_keys=False, width=1000)


@dataclass
class Case:
    """An input at a scale: a homepage page (imported, then its CV rendered) or CV YAML (rendered)."""

    name: str
    generate: Callable[[int], str]
    page: bool


CASES = [
    Case("stars (field)", stars_cv, page=False),
    Case("stars (page)", stars_page, page=True),
    Case("entities", entities_page, page=True),
    Case("papers", papers_page, page=True),
    Case("spaces", spaces_page, page=True),
    Case("liquid", liquid_page, page=True),
    Case("news", news_cv, page=False),
]
RENDER_COMMANDS = {"markdown": "about.md", "html": "cv.html", "latex": "cv.tex"}


# --- measuring ---------------------------------------------------------------------------------------------


def run(argv: list[str], cwd: Path, allowed_codes: tuple[int, ...] = (0,)) -> Measurement:
    """Run a command in a fresh process: its wall time, its peak memory, and its error if it failed."""
    started = time.perf_counter()
    process = subprocess.Popen(argv, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    assert process.stderr is not None
    errors = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    error = None
    if code not in allowed_codes:
        lines = errors.decode(errors="replace").strip().splitlines()
        error = f"exit {code}: {lines[-1] if lines else ''}"[:100]
    return Measurement(elapsed, usage.ru_maxrss / 1024, error)


def measure_case(case: Case, scales: list[int], cvgen: str, folder: Path, rows: dict[tuple[str, str], Row],
                 check: bool) -> None:
    """Every command of a case at every scale."""
    for scale in scales:
        work = folder / f"{case.name.split()[0]}-{case.page}-{scale}"
        work.mkdir()
        source = work / ("about.md" if case.page else "cv.yaml")
        source.write_text(case.generate(scale), encoding="utf-8")
        cv = work / "cv.yaml"
        commands: list[tuple[str, list[str], tuple[int, ...]]] = []
        if case.page:
            commands.append(("import", [cvgen, "import", str(source), "-o", str(cv), "--force"], (0,)))
            if check:
                commands.append(("check", [cvgen, "check", str(source), str(cv)], (0, 1)))  # 1: drift, reported
        for command, output in RENDER_COMMANDS.items():
            commands.append((command, [cvgen, command, str(cv), "-o", str(work / "out" / output)], (0,)))
        for command, argv, allowed in commands:
            row = rows.setdefault((case.name, command), Row(case.name, command))
            if not cv.exists() and command != "import":
                row.measurements[scale] = Measurement(0, 0, "no CV (the import failed)")
                continue
            row.measurements[scale] = run(argv, work, allowed)
        shutil.rmtree(work)


def report(rows: list[Row], scales: list[int]) -> None:
    """One line per row: seconds and peak MiB at each scale, the last/first time ratio, and a flag over LIMIT."""
    first, last = scales[0], scales[-1]
    header = "".join(f"{f'{scale}× s':>9}{'MiB':>6}" for scale in scales)
    print(f"\n{'case':<15}{'command':<10}{header}{f'{last}×/{first}×':>9}")
    for row in rows:
        cells = ""
        for scale in scales:
            found = row.measurements.get(scale)
            cells += f"{found.seconds:>9.2f}{found.peak_mib:>6.0f}" if found else f"{'-':>9}{'':>6}"
        start, end = row.measurements.get(first), row.measurements.get(last)
        ratio = end.seconds / start.seconds if start and end and start.seconds and not end.error else None
        flag = "  OVER" if ratio is not None and ratio > LIMIT else ""
        print(f"{row.case:<15}{row.command:<10}{cells}{f'{ratio:.1f}' if ratio else '-':>9}{flag}")
        for scale in scales:
            measured = row.measurements.get(scale)
            if measured and measured.error:
                print(f"{'':<25}{scale}×: {measured.error}")


def default_cvgen() -> str:
    """The cvgen beside this interpreter (the project's venv), else the one on PATH."""
    beside = Path(sys.executable).with_name("cvgen")
    return str(beside) if beside.exists() else (shutil.which("cvgen") or "cvgen")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cvgen", default=default_cvgen(), help="the cvgen executable (default: this venv's)")
    parser.add_argument("--only", choices=sorted({case.name.split()[0] for case in CASES}), help="one case only")
    parser.add_argument("--scales", default="1,4,16", help="comma-separated input sizes (default 1,4,16)")
    parser.add_argument("--check", action="store_true", help="also time `cvgen check` on each page")
    arguments = parser.parse_args()
    scales = [int(scale) for scale in arguments.scales.split(",")]
    cases = [case for case in CASES if arguments.only in (None, case.name.split()[0])]
    rows: dict[tuple[str, str], Row] = {}
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="cvgen-scale-") as temporary:
        for case in cases:
            measure_case(case, scales, arguments.cvgen, Path(temporary), rows, arguments.check)
            print(f"measured {case.name} ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
    report(list(rows.values()), scales)
    print(f"\ncvgen: {arguments.cvgen}; {time.perf_counter() - started:.0f} s in all")


if __name__ == "__main__":
    main()
