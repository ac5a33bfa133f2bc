"""`cvgen export rendercv` (issue 14): the seed as RenderCV 2.8 input, each section as the entry type that holds it,
what RenderCV cannot hold named in one warning; rendered by the real RenderCV wherever it is installed (it needs
Python >= 3.12, so CI, on Debian's 3.11, cannot run it: the issue lets this one test stay out of CI)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import DATA, ROOT, require
from support import pdf_text

from cvgen.loader import load_cv
from cvgen.markup import parse_markup, plain_text
from cvgen.model import Publication

RENDERCV = os.environ.get("CVGEN_RENDERCV") or shutil.which("rendercv") or ""
TYPST_PACKAGES = ROOT / "bench" / "peers" / "typst-packages"


def _export(tmp_path: Path) -> tuple[dict[str, object], str]:
    result = subprocess.run([sys.executable, "-m", "cvgen.cli", "export", "rendercv", str(DATA / "cv.yaml"), "-o",
                             str(tmp_path / "seed.yaml")], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return yaml.safe_load((tmp_path / "seed.yaml").read_text(encoding="utf-8")), result.stderr


def test_the_seed_exports_every_section_as_its_rendercv_entry_type_and_names_what_is_left(tmp_path: Path) -> None:
    document, stderr = _export(tmp_path)
    sections = document["cv"]["sections"]  # type: ignore[index]
    assert list(sections)[:4] == ["About", "Research Interests", "News", "Education"]
    papers = sections["Conference Publications"]
    assert papers[1]["authors"] == ["*Hayeon Lee*\\*", "Sewoong Lee\\*", "Song Chong", "Sung Ju Hwang"]
    assert papers[1]["date"] == "2021" and papers[1]["journal"].startswith("NeurIPS, Spotlight Presentation")
    assert sections["Education"][0]["end_date"] == "present"
    experience = sections["Work Experiences"]
    assert experience[0]["date"] == "expected at Summer 2022"  # words: a date text
    assert experience[2]["date"] == "Jul 2015 – Jun 2015"  # a range that ends before it starts: as written
    assert sections["Academic Services"][0]["label"] == "Conference Reviewer"
    assert "warning: left out of the RenderCV input" in stderr and "paper links besides the first" in stderr


def test_rendercv_renders_the_export_with_every_paper_and_author(tmp_path: Path) -> None:
    if not RENDERCV or not Path(RENDERCV).is_file():
        pytest.skip("RenderCV is not installed here (it needs Python >= 3.12): put rendercv on PATH or set "
                    "CVGEN_RENDERCV")
    require("pdftotext")
    _export(tmp_path)
    cache = tmp_path / "cache"
    shutil.copytree(TYPST_PACKAGES, cache / "typst" / "packages")  # RenderCV's icon package, offline
    result = subprocess.run([RENDERCV, "render", "seed.yaml", "-o", "out", "-nomd", "-nohtml", "-nopng"],
                            cwd=tmp_path, capture_output=True, text=True, env={**os.environ, "XDG_CACHE_HOME":
                                                                               str(cache)}, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    (pdf,) = (tmp_path / "out").glob("*.pdf")
    text = " ".join(pdf_text(pdf).split())
    seed = load_cv(DATA / "cv.yaml")
    papers = [item for section in seed.sections for item in getattr(section, "items", [])
              if isinstance(item, Publication)]
    for paper in papers:
        assert " ".join(plain_text(parse_markup(paper.title)).split()) in text
        for author in paper.author_list():
            assert author.name in text, author.name
