"""Characters no installed font draws: both PDF paths warn, naming the code point and the Debian package, and the
LaTeX PDF shows the code point instead of failing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, require, require_font
from support import pdf_text

import cvgen.fonts
from cvgen.fonts import font_package, is_drawable, missing_character_warnings
from cvgen.native import installed_characters

# A pictograph of Unicode 13 (2020): Debian's outline emoji font (fonts-symbola 2.60) stops at Unicode 9.
NO_OUTLINE_FONT = "\U0001FA84"  # 🪄


def test_the_installed_fonts_are_read_from_fontconfig() -> None:
    require("fc-list")
    for character in "aé한Ω":
        listed = subprocess.run(["fc-list", f":charset={ord(character):x}", "family"], capture_output=True,
                                text=True, check=True).stdout.strip()
        assert (character in (installed_characters() or "")) is bool(listed)
    assert is_drawable(" ") and is_drawable("\u200d")  # spaces and joiners are not drawn: nothing to warn about


def test_each_character_no_font_draws_is_named_with_its_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cvgen.fonts, "installed_characters", lambda outline_only=False: frozenset("é한"))
    warnings = missing_character_warnings("é 한 \u0905 \u0e01 \U0001F9EC \U0001FA84 \u4e00", "boxes")
    assert warnings == [
        "no installed font draws U+0905 \u0905, U+0E01 \u0e01; boxes (install fonts-noto-core: apt-get install "
        "fonts-noto-core)",
        "no installed font draws U+4E00 \u4e00; boxes (install fonts-noto-cjk: apt-get install fonts-noto-cjk)",
        "no installed font draws U+1F9EC \U0001F9EC, U+1FA84 \U0001FA84; boxes (install fonts-noto-color-emoji: "
        "apt-get install fonts-noto-color-emoji)",
    ]
    assert font_package("\U0001F600") == "fonts-noto-color-emoji" and font_package("\u0627") == "fonts-noto-core"


def _cvgen(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cvgen.cli", *args], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=600)


def test_both_pdfs_are_made_and_warn_when_no_font_draws_a_character(tmp_path: Path) -> None:
    require("latexmk", "xelatex", "pdftotext")
    require_font("Noto Serif CJK KR")
    assert not is_drawable(NO_OUTLINE_FONT, outline_only=True)  # what this test is about, on this machine
    cv = tmp_path / "cv.yaml"
    cv.write_text(f"name: Ada\nsections:\n  - kind: text\n    paragraphs: ['Magic {NO_OUTLINE_FONT} wand, 한국어']\n",
                  encoding="utf-8")
    latex = _cvgen("latex", str(cv), "--pdf", "-o", str(tmp_path / "latex" / "cv.tex"))
    assert latex.returncode == 0, latex.stderr
    assert "no installed font draws U+1FA84" in latex.stderr and "fonts-noto-color-emoji" in latex.stderr
    assert "Magic [U+1FA84] wand" in pdf_text(tmp_path / "latex" / "cv.pdf")
    weasyprint = _cvgen("pdf", str(cv), "-o", str(tmp_path / "cv.pdf"))
    assert weasyprint.returncode == 0, weasyprint.stderr
    if not is_drawable(NO_OUTLINE_FONT):  # a colour emoji font (fonts-noto-color-emoji) draws it for WeasyPrint
        assert "no installed font draws U+1FA84" in weasyprint.stderr


def test_the_latex_pdf_sets_each_run_in_a_font_that_has_it(tmp_path: Path) -> None:
    """IPA and Cyrillic go to an installed font that has them, emoji to the symbol font even in a bold Korean
    heading, and what no font has shows its code point: the build succeeds and pdffonts lists each font."""
    require("latexmk", "xelatex", "pdftotext", "pdffonts")
    require_font("Noto Serif CJK KR")
    require_font("DejaVu Serif")
    require_font("Symbola")
    cv = tmp_path / "cv.yaml"
    cv.write_text("name: Ada\nsections:\n  - kind: text\n    title: '**연구 \U0001F600** 소개'\n    paragraphs:\n"
                  f"      - 'IPA \u02c8\u026a\u0261\u0251\u02d0\u028a, Cyrillic \u0414\u0436, Greek \u03b1\u03b2, "
                  f"a wand {NO_OUTLINE_FONT}'\n", encoding="utf-8")
    result = _cvgen("latex", str(cv), "--pdf", "-o", str(tmp_path / "cv.tex"))
    assert result.returncode == 0, result.stderr
    text = pdf_text(tmp_path / "cv.pdf")
    for words in ("\u02c8\u026a\u0261\u0251\u02d0\u028a", "\u0414\u0436", "\U0001F600", "[U+1FA84]", "연구", "소개"):
        assert words in text, words
    fonts = subprocess.run(["pdffonts", str(tmp_path / "cv.pdf")], capture_output=True, text=True,
                           check=True).stdout
    assert "DejaVuSerif" in fonts and "Symbola" in fonts and "NotoSerifCJK" in fonts
