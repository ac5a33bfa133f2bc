"""Benchmark of the LaTeX output: wall time and peak memory of rendering and compiling a CV, per engine.

    python bench/latex.py [data/cv.yaml]

Measures (a) the given CV and (b) a generated CV with 1000 publications, with pdflatex (when the CV allows
it) and xelatex. Each case runs in a fresh Python process, so the peak memory of its TeX run
(getrusage RUSAGE_CHILDREN) is its own.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cvgen.latexmk import compile_latex  # noqa: E402  # after the path set-up, to run from a checkout
from cvgen.loader import load_cv  # noqa: E402
from cvgen.model import CV  # noqa: E402
from cvgen.renderers.latex import choose_engine, render  # noqa: E402

GENERATED = "generated:1000"
PUBLICATIONS = 1000


# Parts the generated publications are built from, varied so the CV holds long and short lines, TeX's special
# characters, accents and long unbreakable words: what makes lines overfull if anything does.
_TITLES = [
    "Scalable Meta-Learning for Neural Architecture Search with Latency Constraints",
    "On the 100% Reproducibility of Results & Other Myths: A_Study of #Hashtags, $Costs and ~Approximations",
    "HELP",
    "Déjà Vu: Ångström-Scale Models of Łódź, Zürich and São Paulo",
    "Learning to Learn without Forgetting via Task-Conditioned Hypernetworks and Continual Meta-Optimization "
    "across Thousands of Heterogeneous Few-Shot Classification Benchmarks in Computer Vision",
    "A Study of hardware_adaptive_efficient_latency_prediction_for_neural_architecture_search_via_meta_learning",
]
_VENUES = [
    "International Conference on Learning Representations (ICLR)",
    "NeurIPS",
    "Proceedings of the 38th International Conference on Machine Learning, Workshop on Automated Machine Learning",
    "IEEE Transactions on Pattern Analysis & Machine Intelligence {TPAMI}",
]


def generated_cv(count: int = PUBLICATIONS) -> CV:
    """A CV with `count` varied publications: 1 to 30 authors, long and short titles and venues, TeX specials,
    accents, long identifiers, awards, notes and links."""
    items = []
    for index in range(count):
        coauthors = [f"Coauthor{index} Sürname{number}" for number in range(index % 29)]
        items.append({
            "title": f"Paper {index}: {_TITLES[index % len(_TITLES)]}",
            "authors": ["Ada Lovelace*", f"Second{index} Author*", *coauthors, "Charles Babbage"],
            "venue": _VENUES[index % len(_VENUES)],
            "year": str(1990 + index % 35),
            "award": "Spotlight Presentation" if index % 7 == 0 else None,
            "note": "acceptance rate 5.1% < 6%" if index % 3 == 0 else None,
            "links": [{"label": "paper", "url": f"https://arxiv.org/abs/2106.{index:05d}"},
                      {"label": "code", "url": f"https://github.com/example/paper_{index}?tab=readme&x=~y#top"}],
        })
    return CV.model_validate({
        "name": "Ada Lovelace",
        "headline": "Benchmark CV",
        "keywords": ["benchmark"],
        "sections": [{"kind": "publications", "title": "Publications", "items": items}],
    })


def measure(source: str, engine: str) -> dict[str, object]:
    """Render and compile one CV with one engine (run in a child process)."""
    cv = generated_cv() if source == GENERATED else load_cv(Path(source))
    start = time.perf_counter()
    tex = render(cv, engine=engine)
    rendered = time.perf_counter()
    pdf = compile_latex(tex, engine)
    compiled = time.perf_counter()
    return {
        "cv": source,
        "engine": engine,
        "render_s": round(rendered - start, 3),
        "compile_s": round(compiled - rendered, 3),
        "tex_kb": len(tex.encode()) // 1024,
        "pdf_kb": len(pdf) // 1024,
        "python_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
        "tex_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024,
    }


def engines_for(source: str) -> list[str]:
    cv = generated_cv(1) if source == GENERATED else load_cv(Path(source))
    return ["pdflatex", "xelatex"] if choose_engine(cv) == "pdflatex" else ["xelatex"]


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--one":
        print(json.dumps(measure(sys.argv[2], sys.argv[3])))
        return
    source = sys.argv[1] if len(sys.argv) > 1 else str(ROOT / "data" / "cv.yaml")
    if not Path(source).exists():
        fallback = ROOT / "tests" / "fixtures" / "cvs" / "full.yaml"
        print(f"{source} does not exist; measuring {fallback} instead", file=sys.stderr)
        source = str(fallback)
    print(f"{'cv':<28} {'engine':<9} {'render s':>9} {'compile s':>10} {'tex KB':>7} {'pdf KB':>7} "
          f"{'py MB':>6} {'TeX MB':>7}")
    for case in (source, GENERATED):
        for engine in engines_for(case):
            output = subprocess.run([sys.executable, __file__, "--one", case, engine], capture_output=True,
                                    text=True, check=False)
            if output.returncode != 0:
                print(f"{Path(case).name:<28} {engine:<9} failed: {output.stderr.strip().splitlines()[-1:]}")
                continue
            row = json.loads(output.stdout)
            print(f"{Path(case).name:<28} {engine:<9} {row['render_s']:>9} {row['compile_s']:>10} "
                  f"{row['tex_kb']:>7} {row['pdf_kb']:>7} {row['python_peak_mb']:>6} {row['tex_peak_mb']:>7}")


if __name__ == "__main__":
    main()
