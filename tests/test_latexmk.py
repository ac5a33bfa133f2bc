"""Compiling LaTeX with latexmk: the PDF, errors with their .tex line, missing characters, a locked-down TeX."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import require

from cvgen import latexmk
from cvgen.errors import CvgenError
from cvgen.latexmk import compile_latex, compile_latex_with_log, first_error, missing_characters, source_field


def document(*body: str, preamble: str = "") -> str:
    return "\n".join([r"\documentclass{article}", preamble, r"\begin{document}", *body, r"\end{document}", ""])


def test_compiles_to_pdf() -> None:
    require("latexmk", "pdflatex")
    pdf = compile_latex(document("Hello."), "pdflatex")
    assert pdf.startswith(b"%PDF-")


def test_error_names_the_tex_line() -> None:
    require("latexmk", "pdflatex")
    tex = document("Fine.", r"Broken \undefinedcommand{x} here.")
    with pytest.raises(CvgenError) as caught:
        compile_latex(tex, "pdflatex")
    message = str(caught.value)
    assert "line 5" in message
    assert "Undefined control sequence" in message
    assert r"Broken \undefinedcommand{x} here." in message


def test_missing_character_is_an_error() -> None:
    require("latexmk", "xelatex")
    tex = document("Ж", preamble=r"\usepackage{fontspec}\tracinglostchars=2")
    with pytest.raises(CvgenError, match=r"U\+0416.*fonts-noto-cjk"):
        compile_latex(tex, "xelatex")


def test_tex_cannot_read_outside_its_folder() -> None:
    require("latexmk", "pdflatex")
    with pytest.raises(CvgenError, match="passwd"):
        compile_latex(document(r"\input{/etc/passwd}"), "pdflatex")


def test_tex_cannot_run_shell_commands(tmp_path: Path) -> None:
    require("latexmk", "pdflatex")
    target = tmp_path / "pwned"
    result = compile_latex_with_log(document(rf"\immediate\write18{{touch {target}}}Done."), "pdflatex")
    assert not target.exists()
    assert "runsystem(touch" not in result.log or "disabled" in result.log


def test_tex_cannot_write_outside_its_folder(tmp_path: Path) -> None:
    require("latexmk", "pdflatex")
    target = tmp_path / "written.tex"
    body = [rf"\newwrite\out\immediate\openout\out={target}", r"\immediate\write\out{x}\immediate\closeout\out"]
    try:
        compile_latex(document(*body, "Done."), "pdflatex")
    except CvgenError as error:
        assert "not writable" in str(error) or "openout" in str(error).lower()
    assert not target.exists()


def test_missing_latexmk_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(latexmk.shutil, "which", lambda tool: None)
    with pytest.raises(CvgenError, match="latexmk is not installed; run scripts/install-system-deps.sh"):
        compile_latex(document("x"), "pdflatex")


def test_unknown_engine() -> None:
    with pytest.raises(CvgenError, match="unknown LaTeX engine 'lualatex'"):
        compile_latex(document("x"), "lualatex")


def test_timeout_stops_latex(monkeypatch: pytest.MonkeyPatch) -> None:
    require("latexmk", "pdflatex")
    monkeypatch.setattr(latexmk, "TIMEOUT_SECONDS", 2)
    with pytest.raises(CvgenError, match="longer than 2 s"):
        compile_latex(document(r"\loop\iftrue\repeat"), "pdflatex")


def test_first_error_reads_file_line_errors() -> None:
    log = "This is pdfTeX\n./cv.tex:12: Undefined control sequence.\nl.12 \\foo\n"
    assert first_error(log) == (12, "Undefined control sequence.")
    assert first_error("! Emergency stop.\n<*> cv.tex\n") == (None, "Emergency stop.")
    assert first_error("all fine\n") is None


MARKED = """\\documentclass{article}
% cvgen: name
\\begin{document}
% cvgen: sections[4]
\\section*{Talks}
% cvgen: sections[4].items[0]
\\item First talk% cvgen: sections[4].items[1]
\\item Second talk
100{\\%} cvgen: sections[9]
% cvgen: (template)
\\end{document}
"""


@pytest.mark.parametrize(
    ("line", "field"),
    [(1, None), (3, "name"), (5, "sections[4]"), (7, "sections[4].items[0]"), (8, "sections[4].items[1]"),
     (9, "sections[4].items[1]"), (11, None), (99, None)],
)
def test_source_field_is_the_nearest_marker_above(line: int, field: str | None) -> None:
    assert source_field(MARKED, line) == field


def test_error_names_the_cv_field_of_its_line() -> None:
    require("latexmk", "pdflatex")
    tex = document("% cvgen: sections[2].items[5]", r"Broken \undefinedcommand{x} here.", "% cvgen: (template)")
    with pytest.raises(CvgenError, match=r"line 5 of the generated \.tex \(from sections\[2\]\.items\[5\] in the CV\)"):
        compile_latex(tex, "pdflatex")


def test_missing_characters_reads_both_log_forms() -> None:
    log = (
        "Missing character: There is no 한 (U+D55C) in font [lmroman10-regular]:mapping=tex-text;!\n"
        "Missing character: There is no ^^e2 in font ecrm1000!\n"
    )
    assert missing_characters(log) == [("한", "[lmroman10-regular]:mapping=tex-text;"), ("^^e2", "ecrm1000")]
