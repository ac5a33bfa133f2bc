"""`cvgen build` timed: a cold build against its slowest output alone, a build with nothing to do, a rebuild after
one edit, and how soon `cvgen watch` rewrites the outputs after a save.

    python bench/build.py [--runs 3] [--cvgen PATH/TO/cvgen] [--papers 1000]

Two CVs: the seed (data/cv.yaml) and the seed with generated papers up to 1000 publications (as
bench/compare.py makes them). Every run is a fresh process, with Python's bytecode cache on and cvgen's caches
(compiled templates, the TeX format of the preamble, the .aux seeds) warm, as after any first run.

- `slowest output alone`: each of `cvgen latex --pdf`, `cvgen pdf`, `cvgen html` and `cvgen markdown` into a new
  folder, one after another; the slowest of the four (median of the runs).
- `cold build`: `cvgen build` into a new folder (no record of an earlier build, no LaTeX work folder); its ratio
  to the slowest output alone (issue 13 asks for at most 1.10).
- `no-op build`: `cvgen build` again, nothing changed.
- `one-field edit`: the first paper's title changed, `cvgen build` again: every output is made again, LaTeX in
  one pass.
- `watch: markdown/html` and `watch: PDFs`: `cvgen watch` running, the CV saved with the first paper's title
  changed; the time from the start of the save until about.md and cv.html hold it, and until both PDFs do (read
  back with pdftotext, which the time includes).

Peak memory is the largest resident set of the build's process tree (wait4's rusage).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from compare import installed_environment, large_cvs  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "data" / "cv.yaml"
OWNER = "Hayeon Lee"


def timed(argv: list[str], cwd: Path) -> tuple[float, int]:
    """Wall time and peak memory (KiB) of one fresh process and the children it waited for."""
    started = time.perf_counter()
    process = subprocess.Popen(argv, cwd=cwd, env=installed_environment(), stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert process.stderr is not None
    errors = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(argv)} failed:\n{errors.decode(errors='replace')[-2000:]}")
    return elapsed, usage.ru_maxrss


def edited(cv: Path, marker: str) -> str:
    """The CV with one field changed, the first paper's title, which every output shows: every output changes,
    the page count does not."""
    data = yaml.safe_load(cv.read_text(encoding="utf-8"))
    papers = next(section for section in data["sections"] if section["kind"] == "publications")
    papers["items"][0]["title"] = marker
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)


def edit(cv: Path, marker: str) -> None:
    cv.write_text(edited(cv, marker), encoding="utf-8")


def measure(cvgen: str, cv: Path, work: Path, runs: int) -> dict[str, list[tuple[float, int]]]:
    """Every row's runs for one CV."""
    rows: dict[str, list[tuple[float, int]]] = {}
    timed([cvgen, "build", str(cv), "-o", str(work / "warm")], work)  # caches warm, modules compiled
    for run in range(runs):
        alone = work / f"alone-{run}"
        singles = [timed([cvgen, "latex", str(cv), "--pdf", "-o", str(alone / "latex" / "cv.tex")], work),
                   timed([cvgen, "pdf", str(cv), "-o", str(alone / "cv.pdf")], work),
                   timed([cvgen, "html", str(cv), "-o", str(alone / "cv.html")], work),
                   timed([cvgen, "markdown", str(cv), "-o", str(alone / "about.md")], work)]
        rows.setdefault("slowest output alone", []).append(max(singles))
        out = work / f"build-{run}"
        rows.setdefault("cold build", []).append(timed([cvgen, "build", str(cv), "-o", str(out)], work))
        rows.setdefault("no-op build", []).append(timed([cvgen, "build", str(cv), "-o", str(out)], work))
        edit(cv, f"Edited title number {run}")
        rows.setdefault("one-field edit", []).append(timed([cvgen, "build", str(cv), "-o", str(out)], work))
        shutil.rmtree(alone)
    return rows


def watch_latency(cvgen: str, cv: Path, work: Path, runs: int) -> dict[str, list[tuple[float, int]]]:
    """Save → outputs: the time until the text outputs, then both PDFs, hold the new title."""
    out = work / "watched"
    process = subprocess.Popen([cvgen, "watch", str(cv), "-o", str(out), "--port", "0"], cwd=work,
                               env=installed_environment(), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    rows: dict[str, list[tuple[float, int]]] = {}
    try:
        wait_until(lambda: (out / "latex" / "cv.pdf").is_file() and (out / "cv.pdf").is_file(), 300)
        time.sleep(1)
        for run in range(runs):
            marker = f"Watched edit {run}"
            text = edited(cv, marker)  # made before the clock starts: the save is the write
            saved = time.perf_counter()
            cv.write_text(text, encoding="utf-8")
            wait_until(lambda marker=marker: all(holds(out / name, marker) for name in ("about.md", "cv.html")), 60)
            rows.setdefault("watch: markdown/html", []).append((time.perf_counter() - saved, 0))
            wait_until(lambda marker=marker: all(pdf_holds(out / name, marker)
                                                 for name in ("cv.pdf", "latex/cv.pdf")), 300)
            rows.setdefault("watch: PDFs", []).append((time.perf_counter() - saved, 0))
            time.sleep(0.5)
    finally:
        process.terminate()
        process.wait(timeout=30)
    return rows


_READ: dict[tuple[Path, str], tuple[int, int]] = {}  # a file and marker → the (size, time) last read without it


def unread(path: Path, marker: str) -> os.stat_result | None:
    """The file's status when it may now hold the marker: it is there and not as last read without it (the
    bench reads a file again only when it changed, so that its waiting takes no processor time from the build)."""
    try:
        status = path.stat()
    except OSError:
        return None
    return None if _READ.get((path, marker)) == (status.st_size, status.st_mtime_ns) else status


def _remember(path: Path, marker: str, status: os.stat_result, found: bool) -> bool:
    """`found`; the file's status (taken before it was read) kept when it lacked the marker."""
    if not found:
        _READ[(path, marker)] = (status.st_size, status.st_mtime_ns)
    return found


def holds(path: Path, marker: str) -> bool:
    if (status := unread(path, marker)) is None:
        return False
    try:
        return _remember(path, marker, status, marker in path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return False


def pdf_holds(path: Path, marker: str) -> bool:
    if (status := unread(path, marker)) is None:
        return False
    result = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=False)
    return _remember(path, marker, status, marker in result.stdout)


def wait_until(condition: Callable[[], bool], seconds: float) -> None:
    deadline = time.perf_counter() + seconds
    while not condition():
        if time.perf_counter() > deadline:
            sys.exit(f"waited {seconds} s in vain")
        time.sleep(0.005)


def report(name: str, rows: dict[str, list[tuple[float, int]]]) -> None:
    print(f"\n{name}")
    print(f"{'':26} {'median':>9} {'min':>9} {'peak MiB':>9}")
    medians = {row: statistics.median(seconds for seconds, _ in runs) for row, runs in rows.items()}
    for row, runs in rows.items():
        peak = max(kib for _, kib in runs) / 1024
        line = f"{row:26} {medians[row]:8.2f}s {min(seconds for seconds, _ in runs):8.2f}s"
        line += f" {peak:9.0f}" if peak else f" {'':>9}"
        if row == "cold build":
            line += f"   ratio to the slowest output alone: {medians[row] / medians['slowest output alone']:.2f}"
        print(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cvgen", default=str(Path(sys.executable).parent / "cvgen"))
    parser.add_argument("--papers", type=int, default=1000)
    parser.add_argument("--no-watch", action="store_true", help="Leave out the watch rows.")
    parser.add_argument("--seed-only", action="store_true", help="Only the seed.")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cvgen-bench-build-") as folder:
        work = Path(folder)
        seed = work / "seed" / "cv.yaml"
        seed.parent.mkdir()
        shutil.copy(SEED, seed)
        large, _ = large_cvs(work, arguments.papers)
        cases = [("seed", seed), (f"{arguments.papers} publications", large)]
        for name, cv in cases[:1] if arguments.seed_only else cases:
            rows = measure(arguments.cvgen, cv, cv.parent, arguments.runs)
            if not arguments.no_watch:
                rows.update(watch_latency(arguments.cvgen, cv, cv.parent, arguments.runs))
            report(name, rows)


if __name__ == "__main__":
    main()
