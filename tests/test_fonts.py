"""Characters no installed font draws: both PDF paths warn, naming the code point and the Debian package, and the
LaTeX PDF shows the code point instead of failing."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from conftest import ROOT, require, require_font
from support import pdf_text, squash

import cvgen.fonts
from cvgen.fonts import font_package, is_drawable, missing_character_warnings
from cvgen.native import installed_characters

# A pictograph of Unicode 16 (2024): newer than every emoji font of Debian 12.
NO_FONT = "\U0001FAE9"


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
    assert not is_drawable(NO_FONT)  # what this test is about, on this machine
    cv = tmp_path / "cv.yaml"
    cv.write_text(f"name: Ada\nsections:\n  - kind: text\n    paragraphs: ['Tired {NO_FONT} face, 한국어']\n",
                  encoding="utf-8")
    latex = _cvgen("latex", str(cv), "--pdf", "-o", str(tmp_path / "latex" / "cv.tex"))
    assert latex.returncode == 0, latex.stderr
    assert "no installed font draws U+1FAE9" in latex.stderr and "fonts-noto-color-emoji" in latex.stderr
    assert "Tired [U+1FAE9] face" in pdf_text(tmp_path / "latex" / "cv.pdf")
    weasyprint = _cvgen("pdf", str(cv), "-o", str(tmp_path / "cv.pdf"))
    assert weasyprint.returncode == 0, weasyprint.stderr
    assert "no installed font draws U+1FAE9" in weasyprint.stderr


# One line of each script, as the CV writes it and as pdftotext reads it back (None: not read back, see below).
SCRIPT_LINES = {
    "IPA": "\u02c8\u026a\u0261\u0251\u02d0\u028a",
    "Greek": "\u03b1\u03b2\u03b3",
    "Cyrillic": "\u0416\u0443\u043a \u0438 \u043c\u0451\u0434",
    "Arabic": "\u0645\u0631\u062d\u0628\u0627 \u0628\u0627\u0644\u0639\u0627\u0644\u0645",
    "Hebrew": "\u05e9\u05dc\u05d5\u05dd \u05e2\u05d5\u05dc\u05dd",
    "Devanagari": "\u0928\u092e\u0938\u094d\u0924\u0947 \u0926\u0941\u0928\u093f\u092f\u093e",
    "Thai": "\u0e2a\u0e27\u0e31\u0e2a\u0e14\u0e35\u0e0a\u0e32\u0e27\u0e42\u0e25\u0e01",
    "symbols": "\U0001FA84",  # 🪄, Unicode 13: Noto Sans Symbols2 draws it, not Symbola
}
# Fonts of each script that scripts/install-system-deps.sh installs (fontconfig picks among them).
SCRIPT_FONTS = {"IPA": "NotoSerif-Regular", "Greek": "NotoSerif-Regular", "Cyrillic": "NotoSerif-Regular",
                "Arabic": "Arabic", "Hebrew": "Hebrew", "Devanagari": "Devanagari", "Thai": "Thai",
                "symbols": "Symbols2"}


def _multi_script_cv(path: Path) -> Path:
    lines = "".join(f"      - '{name}: {line}.'\n" for name, line in SCRIPT_LINES.items())
    path.write_text("name: Ada\nsections:\n  - kind: text\n    title: '**연구 \U0001F600 \U0001F9EC** 소개'\n"
                    f"    paragraphs:\n      - 'Genes \U0001F9EC.'\n{lines}", encoding="utf-8")
    return path


def _read_back(pdf: Path) -> str:
    """The PDF's text in normal form: Arabic read back as presentation forms becomes its letters again."""
    return re.sub("[\u202a-\u202e]", "", unicodedata.normalize("NFKC", pdf_text(pdf)))  # and no embedding marks


def _assert_every_script_is_drawn(text: str, fonts: str | None) -> None:
    """Each script's line is read back; with `fonts` (the LaTeX PDF's, where cvgen picks them), each script's font
    is among them. WeasyPrint's fonts are fontconfig's choice (DejaVu Sans for Arabic, say)."""
    for name, line in SCRIPT_LINES.items():
        if name == "Devanagari":  # pdftotext misplaces the vowel sign i: its letters, and its font, are checked
            assert all(letter in text for letter in line if unicodedata.category(letter) == "Lo"), text
        else:
            assert f"{name}: {line}." in text, (name, text)
        if fonts is not None and name in SCRIPT_FONTS:
            assert SCRIPT_FONTS[name] in fonts, (name, fonts)
    assert "연구" in text and "소개" in text and "\U0001F600" in text


def test_every_script_is_drawn_in_both_pdfs(tmp_path: Path) -> None:
    """IPA, Greek, Cyrillic, Arabic, Hebrew (right to left), Devanagari, Thai, a pictograph only a recent font has,
    and emoji in a bold Korean heading: both PDFs draw every character in a font that has it; 🧬, which only a
    colour font has, is a picture in the LaTeX PDF."""
    require("latexmk", "xelatex", "pdftotext", "pdffonts", "pdfimages")
    for family in ("Noto Serif CJK KR", "Symbola", "Noto Color Emoji", "Noto Naskh Arabic", "Noto Serif Hebrew",
                   "Noto Serif Devanagari", "Noto Serif Thai", "Noto Sans Symbols2"):
        require_font(family)
    cv = _multi_script_cv(tmp_path / "cv.yaml")
    result = _cvgen("latex", str(cv), "--pdf", "-o", str(tmp_path / "latex" / "cv.tex"))
    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stderr, result.stderr
    pdf = tmp_path / "latex" / "cv.pdf"
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    _assert_every_script_is_drawn(_read_back(pdf), fonts)
    assert "Symbola" in fonts and "NotoSerifCJK" in fonts and "[U+" not in _read_back(pdf)
    pictures = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    kinds = [line.split()[2] for line in pictures.splitlines()[2:]]
    assert kinds.count("image") == 2  # 🧬 in the heading and in the text
    assert (tmp_path / "latex" / "cvgen-emoji" / "1f9ec.png").read_bytes().startswith(b"\x89PNG")

    result = _cvgen("pdf", str(cv), "-o", str(tmp_path / "cv.pdf"))
    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stderr, result.stderr
    fonts = subprocess.run(["pdffonts", str(tmp_path / "cv.pdf")], capture_output=True, text=True,
                           check=True).stdout
    text = _read_back(tmp_path / "cv.pdf")
    _assert_every_script_is_drawn(text, None)
    assert "\U0001F9EC" in text and "Color-Emoji" in fonts


def test_right_to_left_words_keep_their_order(tmp_path: Path) -> None:
    """Two Arabic words and two Hebrew words in a Latin line: read back in their own order in both PDFs (a PDF
    that set them left to right would read the second word first)."""
    require("latexmk", "xelatex", "pdftotext")
    cv = tmp_path / "cv.yaml"
    line = (f"In Cairo they say {SCRIPT_LINES['Arabic']}, and in Haifa they say {SCRIPT_LINES['Hebrew']}, to the "
            "whole wide world.")  # mostly Latin: pdftotext reads a line of mostly Arabic as a right-to-left one
    cv.write_text(f"name: Ada\nsections:\n  - kind: text\n    paragraphs: ['{line}']\n", encoding="utf-8")
    assert _cvgen("latex", str(cv), "--pdf", "-o", str(tmp_path / "latex" / "cv.tex")).returncode == 0
    assert _cvgen("pdf", str(cv), "-o", str(tmp_path / "cv.pdf")).returncode == 0
    for pdf in (tmp_path / "latex" / "cv.pdf", tmp_path / "cv.pdf"):
        text = squash(_read_back(pdf))
        assert squash(line) in text, (pdf, text)
