"""Time of the whole-site commands on the test sites (issue 12): `cvgen import SITE`, `cvgen check SITE` and
`cvgen site SITE` (with nothing to write, and after one edit), each a fresh process, min and median of N runs, and
the Jekyll build of the site for scale. Prints figures; asserts nothing.

    python bench/site.py [--runs 5]
"""

from __future__ import annotations

import argparse
import functools
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SITES = ROOT / "tests" / "fixtures" / "sites"


def timed(command: list[str], runs: int, prepare: object = None) -> tuple[float, float]:
    """Min and median seconds of a command, each run a fresh process (with `prepare` called before each)."""
    seconds = []
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    for _ in range(runs):
        if callable(prepare):
            prepare()
        start = time.perf_counter()
        subprocess.run(command, check=False, capture_output=True, env=environment)
        seconds.append(time.perf_counter() - start)
    return min(seconds), statistics.median(seconds)


def _toggle(cv: Path, text: str, edited: str) -> None:
    """The CV file edited, or back as it was: each run of `cvgen site` has one edit to write."""
    cv.write_text(edited if cv.read_text(encoding="utf-8") == text else text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    arguments = parser.parse_args()
    cvgen = [sys.executable, "-m", "cvgen.cli"]
    print(f"{arguments.runs} runs each; seconds as min / median\n")
    print("| site | files | import | check | site, nothing to write | site, one edit | jekyll build |")
    print("|---|---|---|---|---|---|---|")
    for source in sorted(path for path in SITES.iterdir() if path.is_dir()):
        with tempfile.TemporaryDirectory() as folder:
            site = Path(folder) / source.name
            shutil.copytree(source, site)
            cv = Path(folder) / "cv.yaml"
            files = sum(1 for path in site.rglob("*") if path.is_file())
            imported = timed([*cvgen, "import", str(site), "-o", str(cv), "--force"], arguments.runs)
            subprocess.run([*cvgen, "site", str(site), str(cv)], check=True, capture_output=True)  # the linked PDF
            checked = timed([*cvgen, "check", str(site), str(cv)], arguments.runs)
            nothing = timed([*cvgen, "site", str(site), str(cv)], arguments.runs)
            text = cv.read_text(encoding="utf-8")
            edited = text.replace("- title: ", "- title: Revised ", 1)  # the first entry's title, every other run
            one_edit = timed([*cvgen, "site", str(site), str(cv)], arguments.runs,
                             functools.partial(_toggle, cv, text, edited))
            configs = [str(site / "_config.yml")] + (
                [str(site / "_config.test.yml")] if (site / "_config.test.yml").is_file() else [])
            built = timed(["jekyll", "build", "-q", "-s", str(site), "-d", str(Path(folder) / "_built"),
                           "--config", ",".join(configs)], arguments.runs) if shutil.which("jekyll") else (0.0, 0.0)
        cells = [f"{low:.2f} / {middle:.2f}" for low, middle in (imported, checked, nothing, one_edit, built)]
        print(f"| {source.name} | {files} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
