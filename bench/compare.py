"""cvgen against RenderCV on the same CV: wall time (min, median) and peak memory, runs interleaved.

    python bench/compare.py --rendercv PATH/TO/rendercv [--runs 5] [--cvgen PATH/TO/cvgen] [--typst-packages DIR]

Two CVs, each written in both formats: the seed (data/cv.yaml, and its RenderCV input as `cvgen export rendercv`
writes it) and the seed plus generated papers up to 1000 publications. For each, every
run of every command is a fresh process, and the commands take turns (run 1 of each, then run 2 of each, …, the
order rotated each round) so that the machine's drift hits them alike. The ratio is cvgen's median over
RenderCV's: below 1 cvgen is faster.

Rows: `cvgen pdf` (WeasyPrint); `cvgen latex --pdf` into a folder that holds the last build of the same CV
(nothing to redo), of the CV with one value changed (what an edit does: one TeX pass) and into a new folder
(a first build; the precompiled preamble and the .aux of the last build are in the cache, as after any first
run, so it takes one TeX pass where a CV never built before takes two), each against RenderCV's PDF; and
`cvgen markdown` against RenderCV's Markdown. The template cache stays warm, as after any first run, and so does
Python's bytecode cache of both tools (PYTHONDONTWRITEBYTECODE is left out of their environment).

It installs nothing. RenderCV 2.8 needs Python >= 3.12: install it in a venv of its own and pass its `rendercv`.
RenderCV downloads the Typst package @preview/fontawesome on first use; this script points XDG_CACHE_HOME at a
temporary folder laid out as typst/packages/preview/fontawesome/0.6.0, copied from --typst-packages (default
bench/peers/typst-packages, MIT licensed, see its LICENSE), so RenderCV runs offline.

Peak memory is the largest resident set of the command's process tree (wait4's rusage: the process and the
children it waited for, such as xelatex under latexmk).
"""

from __future__ import annotations

import argparse
import itertools
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
PEERS = ROOT / "bench" / "peers"
SEED_CV = ROOT / "data" / "cv.yaml"
PUBLICATIONS = 1000
OWNER = "Hayeon Lee"
EDITS = itertools.count()  # a new headline for every run of an edited CV, warm-up included


@dataclass
class Command:
    """One command line to time, and the baseline its ratio is taken against (None: it is a baseline)."""

    name: str
    argv: list[str]
    environment: dict[str, str]
    baseline: str | None = None
    before_each: list[Path] = field(default_factory=list)  # folders emptied before every run
    edited: tuple[Path, Path] | None = None  # (CV, copy): the copy is written anew, one value changed, each run
    seconds: list[float] = field(default_factory=list)
    peaks_kib: list[int] = field(default_factory=list)


def generated_paper(number: int) -> dict[str, object]:
    """One generated paper, as the fields both formats share."""
    return {
        "title": f"Paper number {number}: on scaling laws of generated text, with a title long enough to wrap",
        "authors": [OWNER, f"Co Author {number}", "Third Person", f"김 연구자 {number % 7}"],
        "equal": [0, 1],
        "venue": f"Conference on Generated Benchmarks {number % 40}",
        "year": 1990 + number % 33,
        "url": f"https://example.org/paper/{number}",
    }


def cvgen_paper(paper: dict[str, object]) -> dict[str, object]:
    """A generated paper in cvgen's YAML: `*` marks equal contribution; the owner is found by name."""
    authors = [f"{name}*" if index in paper["equal"] else name  # type: ignore[operator]
               for index, name in enumerate(paper["authors"])]  # type: ignore[arg-type]
    return {"title": paper["title"], "authors": authors, "venue": paper["venue"], "year": paper["year"],
            "links": [{"label": "paper", "url": paper["url"]}]}


def rendercv_paper(paper: dict[str, object]) -> dict[str, object]:
    """The same paper in RenderCV's YAML: the owner in italics, equal contribution as an escaped star."""
    authors = []
    for index, name in enumerate(paper["authors"]):  # type: ignore[arg-type]
        shown = f"*{name}*" if name == OWNER else name
        authors.append(f"{shown}\\*" if index in paper["equal"] else shown)  # type: ignore[operator]
    return {"title": paper["title"], "authors": authors, "journal": paper["venue"], "date": paper["year"],
            "url": paper["url"]}


def seed_rendercv() -> dict[str, Any]:
    """The seed as RenderCV input, as `cvgen export rendercv` writes it."""
    from cvgen.loader import load_cv
    from cvgen.rendercv import rendercv_document

    return rendercv_document(load_cv(SEED_CV))[0]


def large_cvs(folder: Path, count: int) -> tuple[Path, Path]:
    """The seed in both formats with generated papers appended to its first publication list, `count` in all."""
    cvgen = yaml.safe_load(SEED_CV.read_text(encoding="utf-8"))
    publications = next(section for section in cvgen["sections"] if section["kind"] == "publications")
    rendercv = seed_rendercv()
    rendercv_papers = next(entries for entries in rendercv["cv"]["sections"].values()
                           if entries and isinstance(entries[0], dict) and "authors" in entries[0])
    existing = sum(len(section.get("items", [])) for section in cvgen["sections"]
                   if section["kind"] == "publications")
    for number in range(count - existing):
        paper = generated_paper(number)
        publications["items"].append(cvgen_paper(paper))
        rendercv_papers.append(rendercv_paper(paper))
    cvgen_path, rendercv_path = folder / f"cv-{count}.yaml", folder / f"cv-{count}.rendercv.yaml"
    for path, data in ((cvgen_path, cvgen), (rendercv_path, rendercv)):
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")
    return cvgen_path, rendercv_path


def run_once(command: Command, cwd: Path) -> None:
    """Run a command in a fresh process; record its wall time and its process tree's peak memory."""
    for folder in command.before_each:
        shutil.rmtree(folder, ignore_errors=True)
    if command.edited:
        source, copy = command.edited
        text = source.read_text(encoding="utf-8")
        # A new headline each run: the .tex changes (one engine pass), the page count does not.
        copy.parent.mkdir(parents=True, exist_ok=True)
        edit = f"name: {OWNER}\nheadline: Edit number {next(EDITS)}\n"
        copy.write_text(text.replace(f"name: {OWNER}\n", edit, 1), encoding="utf-8")
    started = time.perf_counter()
    process = subprocess.Popen(command.argv, cwd=cwd, env=command.environment, stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert process.stderr is not None
    errors = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        sys.exit(f"{command.name} failed ({process.returncode}):\n{errors.decode(errors='replace')[-2000:]}")
    command.seconds.append(elapsed)
    command.peaks_kib.append(usage.ru_maxrss)


def installed_environment() -> dict[str, str]:
    """This environment, with Python's bytecode cache on: a tool installed with pip has its modules compiled, and
    the warm-up run compiles those of a checkout (cvgen installed editable) as a first run after any install does.
    Where PYTHONDONTWRITEBYTECODE is set, cvgen would compile its modules anew at every run while RenderCV's
    wheel-installed ones are compiled once, which times the environment rather than either tool."""
    return {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def commands_for(cvgen: str, rendercv: str, cv: Path, rendercv_cv: Path, out: Path,
                 rendercv_environment: dict[str, str]) -> list[Command]:
    """The commands timed on one CV: RenderCV's PDF and Markdown, and cvgen's outputs against them."""
    cvgen_environment = installed_environment()
    only = {"pdf": ["-nomd", "-nohtml", "-nopng"], "markdown": ["-nopdf", "-nopng", "-nohtml", "-notyp"]}
    return [
        Command("RenderCV pdf", [rendercv, "render", str(rendercv_cv), "-o", str(out / "rendercv-pdf"),
                                 *only["pdf"]], rendercv_environment),
        Command("cvgen pdf", [cvgen, "pdf", str(cv), "-o", str(out / "cv.pdf")], cvgen_environment,
                baseline="RenderCV pdf"),
        Command("cvgen latex --pdf (unchanged)",
                [cvgen, "latex", str(cv), "--pdf", "-o", str(out / "latex" / "cv.tex")],
                cvgen_environment, baseline="RenderCV pdf"),
        Command("cvgen latex --pdf (one edit)",
                [cvgen, "latex", str(out / "edited.yaml"), "--pdf", "-o", str(out / "latex-edit" / "cv.tex")],
                cvgen_environment, baseline="RenderCV pdf", edited=(cv, out / "edited.yaml")),
        Command("cvgen latex --pdf (first build)",
                [cvgen, "latex", str(cv), "--pdf", "-o", str(out / "latex-new" / "cv.tex")],
                cvgen_environment, baseline="RenderCV pdf", before_each=[out / "latex-new"]),
        Command("RenderCV markdown", [rendercv, "render", str(rendercv_cv), "-o", str(out / "rendercv-md"),
                                      *only["markdown"]], rendercv_environment),
        Command("cvgen markdown", [cvgen, "markdown", str(cv), "-o", str(out / "about.md")], cvgen_environment,
                baseline="RenderCV markdown"),
    ]


def measure(commands: list[Command], runs: int, cwd: Path) -> None:
    """One warm-up run of each (fills caches, checks that it works), then `runs` interleaved rounds."""
    for command in commands:
        run_once(command, cwd)
        command.seconds.clear()
        command.peaks_kib.clear()
    for round_number in range(runs):
        shift = round_number % len(commands)
        for command in commands[shift:] + commands[:shift]:
            run_once(command, cwd)


def report(case: str, commands: list[Command]) -> None:
    """Print one table: min and median seconds, peak MiB, and the ratio of medians to the baseline."""
    medians = {command.name: statistics.median(command.seconds) for command in commands}
    print(f"\n{case}")
    print(f"  {'command':<32} {'runs':>4} {'min s':>7} {'median s':>9} {'peak MiB':>9} {'ratio':>7}")
    for command in commands:
        ratio = f"{medians[command.name] / medians[command.baseline]:.2f}" if command.baseline else "1"
        print(f"  {command.name:<32} {len(command.seconds):>4} {min(command.seconds):>7.2f} "
              f"{medians[command.name]:>9.2f} {max(command.peaks_kib) / 1024:>9.0f} {ratio:>7}")


def default_cvgen() -> str:
    """The cvgen beside this interpreter (the project's venv), else the one on PATH."""
    beside = Path(sys.executable).with_name("cvgen")
    return str(beside) if beside.exists() else (shutil.which("cvgen") or "cvgen")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rendercv", required=True, help="the rendercv executable (RenderCV 2.8, Python >= 3.12)")
    parser.add_argument("--cvgen", default=default_cvgen(), help="the cvgen executable (default: this venv's)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each command per CV (default 5)")
    parser.add_argument("--typst-packages", type=Path, default=PEERS / "typst-packages",
                        help="a folder holding preview/fontawesome/0.6.0 (default: bench/peers/typst-packages)")
    parser.add_argument("--only", choices=["seed", "large"], help="measure one CV only")
    arguments = parser.parse_args()
    if not (arguments.typst_packages / "preview" / "fontawesome" / "0.6.0" / "typst.toml").is_file():
        parser.error(f"{arguments.typst_packages} does not hold preview/fontawesome/0.6.0")
    with tempfile.TemporaryDirectory(prefix="cvgen-compare-") as temporary:
        folder = Path(temporary)
        cache = folder / "rendercv-cache"
        shutil.copytree(arguments.typst_packages, cache / "typst" / "packages")
        rendercv_environment = {**installed_environment(), "XDG_CACHE_HOME": str(cache)}
        cases = []
        if arguments.only in (None, "seed"):
            seed_rendercv_file = folder / "seed.rendercv.yaml"
            seed_rendercv_file.write_text(yaml.safe_dump(seed_rendercv(), allow_unicode=True, sort_keys=False,
                                                         width=1000), encoding="utf-8")
            cases.append(("seed (data/cv.yaml)", SEED_CV, seed_rendercv_file))
        if arguments.only in (None, "large"):
            cases.append((f"{PUBLICATIONS} publications (the seed plus generated papers)",
                          *large_cvs(folder, PUBLICATIONS)))
        print(f"cvgen: {arguments.cvgen}\nRenderCV: {arguments.rendercv}\nruns: {arguments.runs} each, interleaved")
        for index, (case, cv, rendercv_cv) in enumerate(cases):
            out = folder / f"out-{index}"
            commands = commands_for(arguments.cvgen, arguments.rendercv, cv, rendercv_cv, out,
                                    rendercv_environment)
            measure(commands, arguments.runs, folder)
            report(case, commands)


if __name__ == "__main__":
    main()
