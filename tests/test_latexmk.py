"""Compiling LaTeX with latexmk: the PDF, errors with their .tex line, missing characters, a locked-down TeX, the
work folder kept beside the output, the .aux a new work folder starts from, and the precompiled preamble."""

from __future__ import annotations

import fcntl
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import FIXTURES, require
from support import pdf_text

from cvgen import latexmk
from cvgen.errors import CvgenError
from cvgen.latexmk import (
    LatexResult,
    compile_latex,
    compile_latex_with_log,
    first_error,
    missing_characters,
    source_field,
)
from cvgen.loader import load_cv
from cvgen.renderers.latex import render


@pytest.fixture(autouse=True)
def aux_seeds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The .aux files of earlier builds, kept for this test only: what other tests built is no seed here."""
    folder = tmp_path / "aux-seeds"
    monkeypatch.setattr(latexmk, "aux_seed_folder", lambda: folder)
    return folder


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


# --- the work folder kept under the output folder ------------------------------------------------------------------


def paged(*body: str, preamble: str = "") -> str:
    """A document whose footer needs a second run the first time: 'page n of N' (lastpage) and a link."""
    return document(*body, r"\thispagestyle{empty}Page \thepage\ of \pageref{LastPage}.",
                    preamble=rf"\usepackage{{lastpage}}\usepackage{{hyperref}}{preamble}")


def test_a_second_build_into_one_folder_runs_the_engine_once(tmp_path: Path) -> None:
    require("latexmk", "pdflatex", "pdftotext")
    first = compile_latex_with_log(paged("First version."), "pdflatex", tmp_path)
    assert first.engine_runs == 2  # the page count and the link targets are read from the .aux on the second run
    edited = compile_latex_with_log(paged("Second version."), "pdflatex", tmp_path)
    assert edited.engine_runs == 1 and "Rerun to get" not in edited.log
    again = compile_latex_with_log(paged("Second version."), "pdflatex", tmp_path)
    assert again.engine_runs == 0 and again.pdf == edited.pdf
    (tmp_path / "edited.pdf").write_bytes(edited.pdf)
    assert "Second version. Page 1 of 1." in pdf_text(tmp_path / "edited.pdf")


def test_edits_of_one_size_within_one_second_are_all_compiled(tmp_path: Path) -> None:
    require("latexmk", "pdflatex", "pdftotext")
    # latexmk takes a file whose size and modification second are unchanged for unchanged; builds this quick
    # (one run each) often fall within one second.
    for version in "ABABABABAB":
        (tmp_path / "cv.pdf").write_bytes(compile_latex(paged(f"Version {version}."), "pdflatex", tmp_path))
        assert f"Version {version}." in pdf_text(tmp_path / "cv.pdf")


def test_the_work_folder_is_under_the_output_folder_and_nothing_else_is_written(tmp_path: Path) -> None:
    require("latexmk", "pdflatex")
    output = tmp_path / "out" / "latex"
    compile_latex(paged("Hello."), "pdflatex", output)
    assert [path.name for path in output.iterdir()] == [latexmk.WORK_FOLDER]
    work = output / latexmk.WORK_FOLDER
    assert {"cv.tex", "cv.aux", "cv.pdf", "cv.fdb_latexmk"} <= {path.name for path in work.iterdir()}
    assert work.stat().st_mode & 0o077 == 0  # the CV stays private to its owner


def test_without_an_output_folder_the_work_folder_is_removed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    require("latexmk", "pdflatex")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    compile_latex(document("Hello."), "pdflatex")
    assert list((tmp_path / "cache" / "cvgen" / "latex-work").iterdir()) == []


def test_a_second_build_waits_for_the_first_to_release_the_folder(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    require("latexmk", "pdflatex")
    compile_latex(document("Hello."), "pdflatex", tmp_path)
    monkeypatch.setattr(latexmk, "LOCK_WAIT_SECONDS", 1)
    with open(tmp_path / latexmk.WORK_FOLDER / ".lock", "w") as lock:  # as another cvgen holds it while compiling
        fcntl.flock(lock, fcntl.LOCK_EX)
        with pytest.raises(CvgenError, match="another cvgen has been compiling LaTeX in"):
            compile_latex(document("Hello again."), "pdflatex", tmp_path)
    assert compile_latex(document("Hello again."), "pdflatex", tmp_path).startswith(b"%PDF-")


# --- the .aux a new work folder starts from ------------------------------------------------------------------------


def reproducible(monkeypatch: pytest.MonkeyPatch) -> None:
    """PDFs without the time of the build in them (dates, /ID), so that two builds can be compared byte for byte."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    monkeypatch.setenv("FORCE_SOURCE_DATE", "1")


def outline(pdf: bytes, folder: Path) -> list[str]:
    """A PDF's bookmarks, read back with pdftohtml: '<page> <title>' each."""
    path = folder / "outline.pdf"
    path.write_bytes(pdf)
    xml = subprocess.run(["pdftohtml", "-xml", "-stdout", "-i", "-q", str(path)], capture_output=True, text=True,
                         check=True).stdout
    return [f"{page} {title}" for page, title in re.findall(r'<item page="(\d+)">(.*?)</item>', xml)]


def outlined(*body: str) -> str:
    """A paged document whose bookmarks come from the bookmark package, which needs no .out file of an earlier run
    (latexmk runs TeX again for a file that is new to it, such as hyperref's .out, whatever it holds)."""
    return paged(*body, preamble=r"\usepackage{bookmark}")


def test_a_first_build_in_a_new_folder_runs_the_engine_once_from_the_last_builds_aux(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, aux_seeds: Path) -> None:
    require("latexmk", "pdflatex", "pdftotext")
    reproducible(monkeypatch)
    first = compile_latex_with_log(outlined("Hello."), "pdflatex", tmp_path / "a")
    assert first.engine_runs == 2 and len(list(aux_seeds.glob("*.aux"))) == 2  # this document's and its preamble's
    again = compile_latex_with_log(outlined("Hello."), "pdflatex", tmp_path / "b")
    assert again.engine_runs == 1 and again.pdf == first.pdf
    edited = compile_latex_with_log(outlined("Hello, edited."), "pdflatex", tmp_path / "c")
    assert edited.engine_runs == 1  # the .aux of the last document with this preamble: the same page count
    (tmp_path / "edited.pdf").write_bytes(edited.pdf)
    assert "Hello, edited. Page 1 of 1." in pdf_text(tmp_path / "edited.pdf")
    assert compile_latex_with_log(outlined("Hello, edited."), "pdflatex", tmp_path / "c").engine_runs == 0


def test_a_seed_that_does_not_fit_costs_the_usual_second_run(tmp_path: Path) -> None:
    require("latexmk", "pdflatex", "pdftotext")
    compile_latex(outlined("One page."), "pdflatex", tmp_path / "a")
    longer = compile_latex_with_log(outlined("Two pages.", r"\newpage"), "pdflatex", tmp_path / "b")
    assert longer.engine_runs == 2  # the seed said one page; the first run wrote two
    (tmp_path / "longer.pdf").write_bytes(longer.pdf)
    assert "Page 2 of 2." in pdf_text(tmp_path / "longer.pdf")


def test_a_seed_this_document_cannot_read_is_dropped(tmp_path: Path, aux_seeds: Path) -> None:
    require("latexmk", "pdflatex", "pdftotext")
    # The seed of the same preamble, written by a body that made its .aux read a file only its own folder holds.
    writer = (r"\newwrite\extra\immediate\openout\extra=extra.tex\immediate\closeout\extra"
              r"\makeatletter\immediate\write\@auxout{\string\input{extra}}\makeatother")
    compile_latex(outlined("First.", writer), "pdflatex", tmp_path / "a")
    (seed,) = aux_seeds.glob("*-preamble.aux")
    assert r"\input{extra}" in seed.read_text()
    second = compile_latex_with_log(outlined("Second."), "pdflatex", tmp_path / "b")
    (tmp_path / "second.pdf").write_bytes(second.pdf)
    assert "Second. Page 1 of 1." in pdf_text(tmp_path / "second.pdf")


@pytest.mark.parametrize(("cv", "engine"), [("full", "xelatex"), ("minimal", "pdflatex")])
def test_a_cv_built_in_one_run_is_the_pdf_of_two_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cv: str,
                                                      engine: str, cache: Path, aux_seeds: Path) -> None:
    require("latexmk", engine, "pdftotext", "pdftohtml")
    reproducible(monkeypatch)
    tex = render(load_cv(FIXTURES / "cvs" / f"{cv}.yaml"), engine=engine)
    # Both builds from the precompiled preamble, whatever other tests left in the cache: a build that makes the
    # format runs TeX from the full preamble, whose PDF differs in bytes (not in text) from one made with it.
    compile_latex(tex, engine, tmp_path / "warm-up")
    shutil.rmtree(aux_seeds)  # the format kept, the warm-up's .aux not: the usual build has no seed
    usual = compile_latex_with_log(tex, engine, tmp_path / "usual")
    seeded = compile_latex_with_log(tex, engine, tmp_path / "seeded")
    assert usual.engine_runs == 2 and seeded.engine_runs == 1
    assert seeded.pdf == usual.pdf  # the same text, pages, links, bookmarks and fonts, byte for byte
    bookmarks = outline(seeded.pdf, tmp_path)
    assert bookmarks and bookmarks == outline(usual.pdf, tmp_path)  # bookmarks come in the first run too
    assert not (tmp_path / "seeded" / latexmk.WORK_FOLDER / "cv.out").exists()


# --- the precompiled preamble ---------------------------------------------------------------------------------------


def dumped(*body: str, preamble: str = r"\usepackage{lastpage}") -> str:
    """A document whose preamble ends with the marker of the part kept in a format."""
    return document(*body, r"Page \thepage\ of \pageref{LastPage}.",
                    preamble=f"{preamble}\n{latexmk.DUMP_MARKER}\n\\newcommand{{\\aftermarker}}{{}}")


def from_format(result: LatexResult) -> bool:
    return "(preloaded format=cv " in result.log.splitlines()[0]


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "cvgen" / "latex-formats"


def test_the_preamble_is_compiled_once_into_a_format_that_later_builds_start_from(tmp_path: Path,
                                                                                  cache: Path) -> None:
    require("latexmk", "pdflatex", "pdftotext")
    first = compile_latex_with_log(dumped("One."), "pdflatex", tmp_path / "a")
    assert not from_format(first)
    formats = list(cache.glob("pdflatex-*.fmt"))
    assert len(formats) == 1  # built beside the first compile
    assert formats[0].read_bytes()[:2] != b"\x1f\x8b"  # kept as TeX reads it, not gzipped: no inflating each run
    second = compile_latex_with_log(dumped("Two."), "pdflatex", tmp_path / "b")
    assert from_format(second) and second.engine_runs == 1  # from the .aux of "One.": the same page count
    (tmp_path / "two.pdf").write_bytes(second.pdf)
    assert "Two. Page 1 of 1." in pdf_text(tmp_path / "two.pdf")
    changed = compile_latex_with_log(dumped("Three.", preamble=r"\usepackage{lastpage}\usepackage{xcolor}"),
                                     "pdflatex", tmp_path / "b")
    assert not from_format(changed)  # another preamble: another format, built beside this compile
    assert len(list(cache.glob("pdflatex-*.fmt"))) == 2
    assert from_format(compile_latex_with_log(dumped("Four.", preamble=r"\usepackage{lastpage}\usepackage{xcolor}"),
                                              "pdflatex", tmp_path / "b"))


@pytest.mark.parametrize("damage", [b"", b"not a format", None])
def test_a_broken_format_falls_back_to_the_usual_compile(tmp_path: Path, cache: Path, damage: bytes | None) -> None:
    require("latexmk", "pdflatex", "pdftotext")
    compile_latex(dumped("One."), "pdflatex", tmp_path)
    (fmt,) = cache.glob("*.fmt")
    fmt.write_bytes(fmt.read_bytes()[:100_000] if damage is None else damage)  # truncated, empty or garbage
    result = compile_latex_with_log(dumped("Two."), "pdflatex", tmp_path)
    (tmp_path / "two.pdf").write_bytes(result.pdf)
    assert not from_format(result) and "Two. Page 1 of 1." in pdf_text(tmp_path / "two.pdf")
    assert not fmt.exists()  # thrown away, and built again beside the next compile
    compile_latex(dumped("Three."), "pdflatex", tmp_path)
    assert fmt.exists() and from_format(compile_latex_with_log(dumped("Four."), "pdflatex", tmp_path))


def test_a_preamble_that_loads_a_font_compiles_without_a_format(tmp_path: Path, cache: Path) -> None:
    require("latexmk", "xelatex")
    # XeTeX cannot keep a font it has loaded in a format: \setmainfont above the marker is too early.
    tex = dumped("One.", preamble=r"\usepackage{fontspec}\setmainfont{Latin Modern Roman}\usepackage{lastpage}")
    first = compile_latex_with_log(tex, "xelatex", tmp_path)
    (failed,) = cache.glob("xelatex-*.failed")
    assert not list(cache.glob("*.fmt")) and "native fonts" in failed.read_text()
    noted = failed.stat().st_mtime_ns
    again = compile_latex_with_log(tex.replace("One.", "Two."), "xelatex", tmp_path)
    assert not from_format(first) and not from_format(again) and again.engine_runs == 1
    assert failed.stat().st_mtime_ns == noted and not list(cache.glob("*.fmt"))  # not tried again


@pytest.mark.parametrize(("cv", "engine"), [("full", "xelatex"), ("minimal", "pdflatex")])
def test_a_cv_compiled_from_its_format_looks_exactly_the_same(tmp_path: Path, cache: Path, cv: str,
                                                              engine: str) -> None:
    require("latexmk", engine, "pdftoppm")
    tex = render(load_cv(FIXTURES / "cvs" / f"{cv}.yaml"), engine=engine)
    usual = compile_latex_with_log(tex, engine, tmp_path / "usual")
    formatted = compile_latex_with_log(tex, engine, tmp_path / "formatted")
    assert not from_format(usual) and from_format(formatted)
    pages = []
    for result in (usual, formatted):
        pdf = tmp_path / f"{len(pages)}.pdf"
        pdf.write_bytes(result.pdf)
        pages.append(subprocess.run(["pdftoppm", "-r", "60", str(pdf)], capture_output=True, check=True).stdout)
    assert pages[0] == pages[1]
