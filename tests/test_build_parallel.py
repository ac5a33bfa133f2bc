"""`cvgen build` as issue 13 asks: outputs made side by side, only those whose inputs changed, each one whole or
not at all when a build is killed, and a failure in one output leaving the others to finish."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from conftest import DATA, ROOT, require, require_font
from support import pdf_text

from cvgen.latexmk import WORK_FOLDER

CVGEN = [sys.executable, "-m", "cvgen.cli"]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def build(*arguments: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CVGEN, "build", *arguments], cwd=cwd, capture_output=True, text=True, env=ENV,
                          timeout=600)


def write_cv(folder: Path, *, output: dict[str, object] | None = None, papers: int = 0, headline: str = "",
             templates: list[str] | None = None) -> Path:
    """The seed, with build settings, `papers` generated papers more, and another headline."""
    data = yaml.safe_load((DATA / "cv.yaml").read_text(encoding="utf-8"))
    if output is not None:
        data["output"] = output
    if headline:
        data["headline"] = headline
    if templates is not None:
        data.setdefault("design", {})["templates"] = templates
    publications = next(section for section in data["sections"] if section["kind"] == "publications")
    for number in range(papers):
        publications["items"].append({"title": f"Generated paper number {number} on scaling laws",
                                      "authors": ["Hayeon Lee", f"Coauthor {number}"], "venue": "Workshop",
                                      "year": 2020 + number % 5})
    path = folder / "cv.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")
    return path


def stamps(folder: Path) -> dict[str, int]:
    """Each output file's time (LaTeX's work folder left out)."""
    return {path.relative_to(folder).as_posix(): path.stat().st_mtime_ns for path in folder.rglob("*")
            if path.is_file() and WORK_FOLDER not in path.parts}


def statuses(stderr: str) -> dict[str, str]:
    """The table's status of each output."""
    found = {}
    for line in stderr.splitlines():
        match = re.match(r"^(latex|pdf|html|markdown|site)\s.*\s(made|up to date|failed|interrupted)\s*$", line)
        if match:
            found[match.group(1)] = match.group(2)
    return found


def test_an_unchanged_cv_is_not_built_again_and_only_what_changed_is(tmp_path: Path) -> None:
    cv = write_cv(tmp_path, output={"folder": "public", "formats": ["html", "markdown"]})
    first = build(str(cv), cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert statuses(first.stderr) == {"html": "made", "markdown": "made"}
    out = tmp_path / "public"
    before = stamps(out)
    assert sorted(before) == ["about.md", "cv.html"]

    again = build(str(cv), cwd=tmp_path)
    assert again.returncode == 0 and "up to date: markdown, html" in again.stderr
    assert stamps(out) == before

    cv.write_text("# a comment changes no output\n" + cv.read_text(encoding="utf-8"), encoding="utf-8")
    comment = build(str(cv), cwd=tmp_path)
    assert statuses(comment.stderr) == {"html": "up to date", "markdown": "up to date"}
    assert stamps(out) == before

    (out / "cv.html").unlink()
    deleted = build(str(cv), cwd=tmp_path)
    assert statuses(deleted.stderr) == {"html": "made", "markdown": "up to date"}

    write_cv(tmp_path, output={"folder": "public", "formats": ["html", "markdown"]}, headline="Edited headline")
    edited = build(str(cv), cwd=tmp_path)
    assert statuses(edited.stderr) == {"html": "made", "markdown": "made"}
    assert "Edited headline" in (out / "cv.html").read_text(encoding="utf-8")

    forced = build(str(cv), "--force", cwd=tmp_path)
    assert statuses(forced.stderr) == {"html": "made", "markdown": "made"}


def test_a_template_edit_rebuilds_the_outputs_that_read_it(tmp_path: Path) -> None:
    templates = tmp_path / "mine"
    templates.mkdir()
    cv = write_cv(tmp_path, output={"formats": ["html", "markdown"]}, templates=["mine"])
    assert build(str(cv), "-o", "out", cwd=tmp_path).returncode == 0
    assert "up to date" in build(str(cv), "-o", "out", cwd=tmp_path).stderr
    (templates / "notes.txt").write_text("a file in a template folder is an input of every output", encoding="utf-8")
    assert statuses(build(str(cv), "-o", "out", cwd=tmp_path).stderr) == {"html": "made", "markdown": "made"}


def test_one_failing_output_leaves_the_others_written_and_says_which(tmp_path: Path) -> None:
    require("latexmk", "xelatex")
    templates = tmp_path / "mine"
    templates.mkdir()
    (templates / "cv.tex.j2").write_text("\\VAR{ no_such_value.name }\n", encoding="utf-8")
    cv = write_cv(tmp_path, output={"formats": ["latex", "html", "markdown"]}, templates=["mine"])
    result = build(str(cv), "-o", "out", cwd=tmp_path)
    assert result.returncode == 1
    assert statuses(result.stderr) == {"latex": "failed", "html": "made", "markdown": "made"}
    assert re.search(r"error: latex: .*cv\.tex\.j2", result.stderr), result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(stamps(tmp_path / "out")) == ["about.md", "cv.html"]
    again = build(str(cv), "-o", "out", cwd=tmp_path)  # the failed output is tried again, the others are current
    assert statuses(again.stderr) == {"latex": "failed", "html": "up to date", "markdown": "up to date"}


def test_a_site_named_by_the_cv_is_an_output_and_other_folders_are_refused(tmp_path: Path) -> None:
    cv = write_cv(tmp_path, output={"formats": ["site"]})
    result = build(str(cv), cwd=tmp_path)
    assert result.returncode == 1 and "output.site names no folder" in result.stderr
    cv = write_cv(tmp_path, output={"folder": "../elsewhere"})
    result = build(str(cv), cwd=tmp_path)
    assert result.returncode == 1
    assert re.search(r"cv\.yaml:\d+: output\.folder: .*outside the CV's folder", result.stderr), result.stderr


# --- killed builds ------------------------------------------------------------------------------------------------


def _processes_under(folder: Path) -> list[str]:
    """Processes that work in `folder` or name it on their command line (a build's children, TeX)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            cwd = os.readlink(entry / "cwd")
        except OSError:
            continue
        if str(folder) in command or cwd.startswith(str(folder)):
            found.append(f"{entry.name}: {command.strip()} (in {cwd})")
    return found


def _wait_for(condition, seconds: float, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {seconds} s for {what}")
        time.sleep(0.01)


def _tex_running(out: Path) -> bool:
    return any(WORK_FOLDER in line for line in _processes_under(out))


def _weasyprint_running(out: Path, html_before: int) -> bool:
    """The web page is written (its process was forked right before the PDF's) and the PDF is not yet."""
    html = out / "cv.html"
    return html.is_file() and html.stat().st_mtime_ns != html_before


def _outputs(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in stamps(out)}


@pytest.fixture(scope="module")
def killable(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder of a CV long enough that typesetting takes seconds, built once."""
    require("latexmk", "xelatex", "pdftotext")
    require_font("Noto Serif CJK KR")
    folder = tmp_path_factory.mktemp("killable")
    cv = write_cv(folder, papers=400)
    result = build(str(cv), "-o", "out", cwd=folder)
    assert result.returncode == 0, result.stderr
    return folder


@pytest.mark.parametrize("moment", ["during WeasyPrint", "during latexmk", "at once"])
def test_a_build_killed_leaves_every_output_whole_no_temporary_file_and_no_tex_running(
        moment: str, killable: Path) -> None:
    folder = killable
    out = folder / "out"
    previous = _outputs(out)  # what a killed build must leave whole
    write_cv(folder, papers=400, headline=f"Killed {moment}")  # every output is stale
    html_before = (out / "cv.html").stat().st_mtime_ns
    process = subprocess.Popen([*CVGEN, "build", "cv.yaml", "-o", "out"], cwd=folder, env=ENV,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        if moment == "during WeasyPrint":
            _wait_for(lambda: _weasyprint_running(out, html_before), 60, "the web page")
        elif moment == "during latexmk":
            _wait_for(lambda: _tex_running(out), 60, "TeX to start")
        else:
            time.sleep(0.3)
        assert process.poll() is None, "the build ended before it could be killed"
        process.kill()
        process.wait()
        # The build's processes stop, TeX among them, rather than finish their outputs unwatched.
        _wait_for(lambda: not _processes_under(folder), 2, "every process of the build to end")
    finally:
        if process.poll() is None:
            process.kill()
    assert not [path for path in out.rglob("*") if path.name.endswith(".tmp")]
    assert sorted(stamps(out)) == sorted(previous)
    being_made = {"during WeasyPrint": "cv.pdf", "during latexmk": "latex/cv.pdf"}.get(moment)
    if being_made:  # it was stopped, not finished: still the previous one
        assert (out / being_made).read_bytes() == previous[being_made]
    for name, data in previous.items():  # the previous output, or the new one whole
        now = (out / name).read_bytes()
        if now == data:
            continue
        if name.endswith(".pdf"):
            assert f"Killed {moment}" in pdf_text(out / name) and "Generated paper number 399" in pdf_text(out / name)
        else:
            assert f"Killed {moment}" in now.decode("utf-8") and "Generated paper number 399" in now.decode("utf-8")
    result = build("cv.yaml", "-o", "out", cwd=folder)  # what was killed is made by the next build
    assert result.returncode == 0, result.stderr
    assert f"Killed {moment}" in pdf_text(out / "cv.pdf") and f"Killed {moment}" in pdf_text(out / "latex" / "cv.pdf")


def _latexmk_under(folder: Path) -> int | None:
    """The process id of a latexmk working for a build in `folder`."""
    for line in _processes_under(folder):
        pid, command = line.split(": ", 1)
        if "latexmk" in command.split(" (in ")[0]:
            return int(pid)
    return None


def test_a_latex_process_killed_outright_takes_its_tex_with_it(killable: Path) -> None:
    """The output's own process killed with SIGKILL (as the out-of-memory killer would), so it cannot stop its
    TeX: latexmk and its engine end at once all the same (their output goes to the dead process's pipe, whose
    closing ends them), the build says the output failed, writes the others and leaves the LaTeX PDF as it was."""
    folder = killable
    out = folder / "out"
    previous = _outputs(out)
    write_cv(folder, papers=400, headline="Child killed")
    process = subprocess.Popen([*CVGEN, "build", "cv.yaml", "-o", "out"], cwd=folder, env=ENV,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _wait_for(lambda: _latexmk_under(out) is not None and _tex_running(out), 60, "latexmk to start")
        latexmk = _latexmk_under(out)
        assert latexmk is not None
        child = int(Path(f"/proc/{latexmk}/stat").read_text().rsplit(")", 1)[1].split()[1])  # its parent
        assert "cvgen" in Path(f"/proc/{child}/cmdline").read_bytes().decode(errors="replace")
        os.kill(child, signal.SIGKILL)
        _wait_for(lambda: not _tex_running(out), 1, "TeX to end")  # at once, not when its passes are done
        _, stderr = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 1
    assert "its process ended unexpectedly" in stderr
    assert (out / "latex" / "cv.pdf").read_bytes() == previous["latex/cv.pdf"]
    assert "Child killed" in pdf_text(out / "cv.pdf")  # the other outputs were made
    assert not [path for path in out.rglob("*") if path.name.endswith(".tmp")]


def test_ctrl_c_stops_a_build_cleanly_with_one_line(killable: Path) -> None:
    folder = killable
    out = folder / "out"
    previous = _outputs(out)
    write_cv(folder, papers=400, headline="Interrupted")
    process = subprocess.Popen([*CVGEN, "build", "cv.yaml", "-o", "out"], cwd=folder, env=ENV,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        _wait_for(lambda: _tex_running(out), 60, "TeX to start")
        os.killpg(process.pid, signal.SIGINT)  # as a terminal sends Ctrl-C: to the whole foreground group
        _, stderr = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 130
    assert stderr.strip().splitlines()[-1] == "interrupted; nothing was left half-written", stderr
    assert "Traceback" not in stderr
    _wait_for(lambda: not _processes_under(folder), 10, "every process of the build to end")
    assert not [path for path in out.rglob("*") if path.name.endswith(".tmp")]
    assert sorted(stamps(out)) == sorted(previous)
