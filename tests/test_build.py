"""`cvgen build` on the default data: every fact of the seed reaches every output, read back with real tools."""

from __future__ import annotations

import html
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DATA, ROOT, require, require_font
from support import canonical_html, jekyll_render, missing_facts, pdf_fonts, pdf_text

from cvgen.latexmk import WORK_FOLDER
from cvgen.loader import load_cv

OUTPUTS = ("about.md", "cv.html", "cv.pdf", "latex/cv.tex", "latex/cv.pdf")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require("latexmk", "xelatex", "pdftotext", "pdffonts", "ruby")
    require_font("Noto Serif CJK KR")
    out = tmp_path_factory.mktemp("out")
    result = subprocess.run([sys.executable, "-m", "cvgen.cli", "build", "--out", str(out)], cwd=ROOT,
                            capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=900)
    assert result.returncode == 0, result.stderr
    return out


def test_build_writes_every_output_and_no_temporary_file(built: Path) -> None:
    # latex/.cvgen-latex is LaTeX's work folder, kept for the next build (cvgen/latexmk.py).
    written = sorted(path.relative_to(built).as_posix() for path in built.rglob("*")
                     if path.is_file() and WORK_FOLDER not in path.relative_to(built).parts)
    assert written == sorted(OUTPUTS)
    assert (built / "latex" / WORK_FOLDER / "cv.aux").is_file()


@pytest.mark.parametrize("pdf", ["cv.pdf", "latex/cv.pdf"])
def test_both_pdfs_hold_every_fact_and_embed_a_korean_font(built: Path, pdf: str) -> None:
    assert missing_facts(load_cv(DATA / "cv.yaml"), pdf_text(built / pdf)) == []
    # xelatex names the subset after the .ttc's first face (NotoSerifCJKjp) though it draws the KR face.
    korean = [line for line in pdf_fonts(built / pdf) if "CJK" in line]
    assert korean and all(" yes " in line for line in korean), pdf_fonts(built / pdf)


def test_the_page_holds_every_fact_once_jekyll_renders_it(built: Path) -> None:
    _, page_html = jekyll_render(built / "about.md")
    text = " ".join(html.unescape(event[1]) for event in canonical_html(page_html) if event[0] == "text")
    assert missing_facts(load_cv(DATA / "cv.yaml"), text, dates_as_written=True) == []


def test_the_web_page_holds_every_fact(built: Path) -> None:
    page = (built / "cv.html").read_text(encoding="utf-8")
    text = " ".join(html.unescape(event[1]) for event in canonical_html(page) if event[0] == "text")
    assert missing_facts(load_cv(DATA / "cv.yaml"), text) == []


def test_build_reads_views_and_renders_the_html_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One run, one CV: loaded once, viewed once, its HTML made once for the web page and the PDF."""
    require("latexmk", "xelatex")
    require_font("Noto Serif CJK KR")
    from typer.testing import CliRunner

    import cvgen.cli
    import cvgen.renderers.html
    import cvgen.view

    calls: dict[str, int] = {"load": 0, "view": 0, "html": 0}

    def counted(name: str, function):  # type: ignore[no-untyped-def]
        def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
            calls[name] += 1
            return function(*args, **kwargs)
        return wrapper

    monkeypatch.setattr(cvgen.cli, "_load", counted("load", cvgen.cli._load))
    monkeypatch.setattr(cvgen.view, "build_view", counted("view", cvgen.view.build_view))
    monkeypatch.setattr(cvgen.renderers.html, "render", counted("html", cvgen.renderers.html.render))
    result = CliRunner().invoke(cvgen.cli.app, ["build", str(DATA / "cv.yaml"), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert calls == {"load": 1, "view": 1, "html": 1}
    assert all((tmp_path / name).is_file() for name in OUTPUTS)


def test_every_format_goes_through_one_registry() -> None:
    from cvgen.renderers import FORMATS, render

    cv = load_cv(DATA / "cv.yaml")
    assert FORMATS == ("latex", "html", "markdown", "pdf")
    assert render("latex", cv).startswith("\\documentclass")
    assert render("html", cv).startswith("<!DOCTYPE html>") and "<style>" in render("html", cv)  # standalone
    assert render("markdown", cv).startswith("---\n")
    assert render("pdf", cv).startswith(b"%PDF-")
