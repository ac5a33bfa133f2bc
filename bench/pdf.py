"""Benchmark of the PDF output: wall time and peak memory of render + html_to_pdf, one subprocess per case.

    python bench/pdf.py [CV.yaml] [--theme NAME]   # default data/cv.yaml, classic; also 1000 publications

Peak memory is the child process's maximum resident set size (getrusage), which counts the C libraries
(Pango, HarfBuzz, fontconfig) that tracemalloc cannot see.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PUBLICATIONS = 1000


def measure(source: Path, theme: str | None) -> dict[str, float]:
    """Run in a fresh process: load, render, typeset; report seconds per step and peak memory."""
    from cvgen.loader import load_cv
    from cvgen.pdf import html_to_pdf
    from cvgen.renderers import RenderOptions, html

    options = RenderOptions(theme=theme)
    started = time.perf_counter()
    cv = load_cv(source)
    loaded = time.perf_counter()
    document = html.render(cv, options)
    rendered = time.perf_counter()
    pdf = html_to_pdf(document, html.html_template_dirs(cv, options))
    typeset = time.perf_counter()
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    return {
        "load_s": loaded - started,
        "render_s": rendered - loaded,
        "pdf_s": typeset - rendered,
        "total_s": typeset - started,
        "peak_mib": peak_kib / 1024,
        "pdf_kib": len(pdf) / 1024,
        "html_kib": len(document.encode()) / 1024,
    }


def generated_cv(count: int) -> str:
    """A CV in YAML with `count` publications, each with authors, venue, award, note and links."""
    lines = [
        "name: Bench Mark",
        "headline: A generated CV for benchmarks",
        "sections:",
        "  - kind: text",
        "    paragraphs: ['A CV with many publications, some with Korean: 한국어 자연어 처리.']",
        "  - kind: publications",
        "    title: Publications",
        "    items:",
    ]
    for number in range(count):
        lines += [
            f"      - title: 'Paper number {number}: on **scaling** _laws_ of generated text'",
            f"        authors: ['Bench Mark*', 'Co Author {number}*', 'Third Person', '김 연구자 {number % 7}']",
            f"        venue: Conference {number % 40}",
            f"        year: {1990 + number % 33}",
            "        award: Oral" if number % 10 == 0 else "        note: acceptance 20%",
            "        links:",
            f"          - {{label: paper, url: 'https://example.org/paper/{number}'}}",
            f"          - {{label: code, url: 'https://example.org/code/{number}'}}",
        ]
    return "\n".join(lines) + "\n"


def run_case(source: Path, theme: str | None) -> dict[str, float]:
    """Measure one case in a child process, so each peak is its own."""
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    result = subprocess.run(
        [sys.executable, __file__, "--measure", str(source), *(["--theme", theme] if theme else [])],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env=environment,
    )
    numbers: dict[str, float] = json.loads(result.stdout.splitlines()[-1])
    return numbers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("cv", nargs="?", type=Path, default=ROOT / "data" / "cv.yaml", help="the CV to measure")
    parser.add_argument("--theme", help="an HTML theme (default: the CV's design.theme)")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)  # the child process's mode
    arguments = parser.parse_args()
    if arguments.measure:
        print(json.dumps(measure(arguments.cv, arguments.theme)))
        return
    with tempfile.TemporaryDirectory() as folder:
        generated = Path(folder) / f"generated-{PUBLICATIONS}.yaml"
        generated.write_text(generated_cv(PUBLICATIONS), encoding="utf-8")
        cases = [(arguments.cv.name, arguments.cv), (f"{PUBLICATIONS} publications", generated)]
        print(f"theme: {arguments.theme or 'design.theme of each CV'}")
        print(f"{'case':<22} {'load s':>7} {'render s':>9} {'pdf s':>7} {'total s':>8} {'peak MiB':>9} {'PDF KiB':>8}")
        for name, path in cases:
            numbers = run_case(path, arguments.theme)
            print(
                f"{name:<22} {numbers['load_s']:>7.2f} {numbers['render_s']:>9.2f} {numbers['pdf_s']:>7.2f} "
                f"{numbers['total_s']:>8.2f} {numbers['peak_mib']:>9.0f} {numbers['pdf_kib']:>8.0f}"
            )


if __name__ == "__main__":
    main()
