"""Hostile and clumsy inputs: every command, every case, a one-screen message and exit 1, never a traceback.

The cases are files in tests/fixtures/hostile (see its README). The commands run in-process through typer's
test runner (a traceback shows up as the runner's exception); the output-path and signal cases run the real
`cvgen` process, because they are about file descriptors, devices and signals.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import DATA, FIXTURES, ROOT
from typer.testing import CliRunner

from cvgen.cli import app

HOSTILE = FIXTURES / "hostile"
CV_CASES = sorted((HOSTILE / "cvs").glob("*.yaml"))
PAGE_CASES = sorted((HOSTILE / "pages").glob("*.md"))
MAX_LINES = 20  # one screen


def cv_commands(cv: Path, out: Path) -> dict[str, list[str]]:
    """Every command that reads a CV, with its outputs under `out`."""
    return {
        "markdown": ["markdown", str(cv), "-o", str(out / "about.md")],
        "html": ["html", str(cv), "-o", str(out / "cv.html")],
        "latex": ["latex", str(cv), "-o", str(out / "cv.tex")],
        "latex --pdf": ["latex", str(cv), "--pdf", "-o", str(out / "pdf" / "cv.tex")],
        "pdf": ["pdf", str(cv), "-o", str(out / "cv.pdf")],
        "png": ["png", str(cv), "-o", str(out / "png")],
        "build": ["build", str(cv), "--out", str(out / "build")],
        "check": ["check", str(DATA / "about.md"), str(cv)],
    }


def expectation(case: Path) -> tuple[str, list[str] | None]:
    """A case's expected message (a regular expression) and the commands it applies to (None: all)."""
    if case.suffix == ".md":
        return case.with_suffix(".expect").read_text(encoding="utf-8").strip(), None
    lines = case.read_text(encoding="utf-8").splitlines()
    expected = lines[0].removeprefix("# expect: ")
    commands = lines[1].removeprefix("# commands: ").split() if lines[1].startswith("# commands:") else None
    return expected, commands


def run(arguments: list[str]) -> tuple[int, str, BaseException | None]:
    result = CliRunner().invoke(app, arguments)
    exception = result.exception if not isinstance(result.exception, SystemExit) else None
    return result.exit_code, result.output, exception


def assert_clean_failure(arguments: list[str], expected: str, case: Path) -> str:
    code, output, exception = run(arguments)
    assert exception is None, f"{arguments}: traceback\n{output}"
    assert code == 1, f"{arguments}: exit {code}\n{output}"
    assert len(output.splitlines()) <= MAX_LINES, output
    assert "Traceback" not in output
    pattern = expected.replace("{file}", re.escape(str(case)))
    assert re.search(pattern, output), f"{arguments}: expected /{pattern}/ in\n{output}"
    return output


@pytest.mark.parametrize("case", CV_CASES, ids=[case.stem for case in CV_CASES])
def test_every_command_refuses_a_bad_cv_with_one_screen(case: Path, tmp_path: Path) -> None:
    expected, only = expectation(case)
    out = tmp_path / "out"
    for name, arguments in cv_commands(case, out).items():
        if only is not None and name.split()[0] not in only:
            continue
        assert_clean_failure(arguments, expected, case)
    # `build` writes each output it can (the Markdown page has no theme to be wrong); the others write nothing.
    written = [path for path in out.rglob("*") if path.is_file() and "build" not in path.relative_to(out).parts]
    assert not written, f"a refused CV wrote {written}"


@pytest.mark.parametrize("case", PAGE_CASES, ids=[case.stem for case in PAGE_CASES])
def test_import_and_check_refuse_a_bad_page_with_one_screen(case: Path, tmp_path: Path) -> None:
    expected, _ = expectation(case)
    target = tmp_path / "cv.yaml"
    if not expected:  # a page that imports: what import writes, every other command reads
        code, output, exception = run(["import", str(case), "-o", str(target)])
        assert exception is None and code == 0, output
        code, output, exception = run(["markdown", str(target), "-o", str(tmp_path / "about.md")])
        assert exception is None and code == 0, output
        return
    assert_clean_failure(["import", str(case), "-o", str(target)], expected, case)
    assert_clean_failure(["check", str(case), str(DATA / "cv.yaml")], expected, case)
    assert not target.exists()


def test_long_values_are_cut_in_messages() -> None:
    case = HOSTILE / "cvs" / "long-value.yaml"
    output = assert_clean_failure(["markdown", str(case), "-o", "-"], expectation(case)[0], case)
    assert max(len(line) for line in output.splitlines()) < 500


def test_a_valid_merge_override_is_not_a_duplicate_key(tmp_path: Path) -> None:
    cv = tmp_path / "cv.yaml"
    cv.write_text("name: A\nsections:\n  - kind: news\n    title: N\n    items:\n"
                  "      - &first {date: 2020, text: first}\n      - {<<: *first, text: second}\n", encoding="utf-8")
    code, output, exception = run(["markdown", str(cv), "-o", "-"])
    assert exception is None and code == 0, output
    assert "2020. first" in output and "2020. second" in output


def test_a_long_cv_without_aliases_is_no_alias_bomb(tmp_path: Path) -> None:
    cv = tmp_path / "cv.yaml"
    items = "".join(f"      - {{date: 2020-01, text: item {number} with a few words}}\n" for number in range(34_000))
    cv.write_text("name: A\nsections:\n  - kind: news\n    title: News\n    items:\n" + items, encoding="utf-8")
    code, output, exception = run(["latex", str(cv), "-o", str(tmp_path / "cv.tex")])
    assert exception is None and code == 0, output
    assert "item 33999 with a few words" in (tmp_path / "cv.tex").read_text(encoding="utf-8")


# --- output paths: the real process, since these are about descriptors and devices --------------------------


def cvgen(*arguments: str, cwd: Path, env: dict[str, str] | None = None, **options: object
          ) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run([sys.executable, "-m", "cvgen.cli", *arguments], capture_output=True, text=True,
                          cwd=cwd, env=environment, timeout=300, **options)  # type: ignore[call-overload]


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    (tmp_path / "cv.yaml").write_text((DATA / "cv.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "about.md").write_text((DATA / "about.md").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "folder").mkdir()
    (tmp_path / "file").write_text("keep me\n", encoding="utf-8")
    (tmp_path / "latin1.yaml").write_bytes("name: Zo\xeb\n".encode("latin-1"))
    os.symlink("loop-b", tmp_path / "loop-a")
    os.symlink("loop-a", tmp_path / "loop-b")
    os.symlink("cv.yaml", tmp_path / "link-to-cv.yaml")
    return tmp_path


OUTPUT_CASES = [
    (["markdown", "cv.yaml", "-o", "folder"], 1, r"folder is a folder; name the output file"),
    (["pdf", "cv.yaml", "-o", "folder"], 1, r"folder is a folder"),
    (["markdown", "cv.yaml", "-o", ""], 2, r"needs a file or folder name"),
    (["markdown", "cv.yaml", "-o", "/dev/full"], 1, r"cannot write /dev/full: No space left on device"),
    (["html", "cv.yaml", "-o", "loop-a"], 1, r"cannot write loop-a: Too many levels of symbolic links"),
    (["markdown", "cv.yaml", "-o", "file/about.md"], 1, r"cannot write file/about.md: Not a directory"),
    (["latex", "cv.yaml", "-o", "file/cv.tex"], 1, r"cannot write file/cv.tex: Not a directory"),
    (["markdown", "cv.yaml", "-o", "/proc/version"], 1, r"cannot write /proc/version"),
    (["png", "cv.yaml", "-o", "file"], 1, r"file is a file, not a folder"),
    (["build", "cv.yaml", "--out", "file"], 1, r"file is a file, not a folder"),
    (["import", "about.md", "-o", "latin1.yaml"], 1, r"latin1.yaml exists and differs from the import; pass --force"),
    (["markdown", "cv.yaml", "-o", "cv.yaml"], 1, r"cv.yaml is the file this command reads"),
    (["markdown", "cv.yaml", "-o", "link-to-cv.yaml"], 1, r"link-to-cv.yaml is the file this command reads"),
    (["html", "cv.yaml", "-o", "./cv.yaml"], 1, r"cv.yaml is the file this command reads"),
    (["latex", "cv.yaml", "-o", "cv.yaml"], 1, r"cv.yaml is the file this command reads"),
    (["import", "about.md", "-o", "about.md", "--force"], 1, r"about.md is the file this command reads"),
    (["markdown", "cv.yaml", "--templates", "no\x01folder"], 1, r"no\\x01folder: --templates names no folder"),
]


@pytest.mark.parametrize("arguments, code, message", OUTPUT_CASES, ids=[" ".join(c[0]) for c in OUTPUT_CASES])
def test_bad_output_paths_are_clear_errors_that_keep_every_file(
        workspace: Path, arguments: list[str], code: int, message: str) -> None:
    before = {path: path.read_bytes() for path in workspace.iterdir() if path.is_file() and not path.is_symlink()}
    result = cvgen(*arguments, cwd=workspace)
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr
    assert re.search(message, result.stderr), result.stderr
    assert len(result.stderr.splitlines()) <= MAX_LINES
    for path, content in before.items():
        assert path.read_bytes() == content, f"{path.name} changed"
    leftovers = [path.name for path in workspace.rglob("*.tmp")]
    assert not leftovers


def test_a_closed_standard_output_is_a_clear_error(workspace: Path) -> None:
    result = subprocess.run(f"{sys.executable} -m cvgen.cli markdown cv.yaml -o - >&-", shell=True, cwd=workspace,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 1
    assert "standard output is closed" in result.stderr and "Traceback" not in result.stderr


def test_writing_to_a_device_or_pipe_never_reads_it(workspace: Path) -> None:
    result = cvgen("import", "about.md", "-o", "/dev/zero", cwd=workspace)  # reading it would never end
    assert result.returncode == 0, result.stderr
    piped = subprocess.run(f"{sys.executable} -m cvgen.cli import about.md -o /dev/stdout | cat", shell=True,
                           capture_output=True, text=True, cwd=workspace, timeout=60,
                           env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert piped.returncode == 0, piped.stderr
    assert piped.stdout == (DATA / "cv.yaml").read_text(encoding="utf-8")


def test_a_damaged_template_cache_is_ignored(workspace: Path) -> None:
    cache = workspace / "cache"
    assert cvgen("markdown", "cv.yaml", "-o", "first.md", cwd=workspace, env={"XDG_CACHE_HOME": str(cache)}
                 ).returncode == 0
    entries = [path for path in (cache / "cvgen" / "jinja-builtin").iterdir() if path.is_file()]
    assert entries
    for number, entry in enumerate(entries):  # garbage, and Jinja's magic header followed by garbage
        entry.write_bytes(b"garbage" if number % 2 else b"j2" + bytes(range(256)))
    damaged = cvgen("markdown", "cv.yaml", "-o", "second.md", cwd=workspace, env={"XDG_CACHE_HOME": str(cache)})
    assert damaged.returncode == 0, damaged.stderr
    assert (workspace / "second.md").read_bytes() == (workspace / "first.md").read_bytes()
    for entry in entries:  # unwritable: each entry's name taken by a folder
        entry.unlink()
        entry.mkdir()
    blocked = cvgen("markdown", "cv.yaml", "-o", "third.md", cwd=workspace, env={"XDG_CACHE_HOME": str(cache)})
    assert blocked.returncode == 0, blocked.stderr
    no_cache = cvgen("markdown", "cv.yaml", "-o", "fourth.md", cwd=workspace,
                     env={"XDG_CACHE_HOME": str(workspace / "file")})  # a cache folder that cannot exist
    assert no_cache.returncode == 0, no_cache.stderr


def test_ctrl_c_prints_one_line(workspace: Path) -> None:
    papers = "".join(f"      - {{title: Paper {number}, authors: [A, B], venue: V, year: 2020}}\n"
                     for number in range(1500))  # a CV that takes WeasyPrint many seconds
    (workspace / "long.yaml").write_text("name: A\nsections:\n  - kind: publications\n    title: P\n    items:\n"
                                         + papers, encoding="utf-8")
    process = subprocess.Popen([sys.executable, "-m", "cvgen.cli", "pdf", "long.yaml", "-o", "cv.pdf"],
                               cwd=workspace, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "PYTHONPATH": str(ROOT)})
    time.sleep(2.0)  # past start-up, inside the typesetting
    assert process.poll() is None, "the PDF was done before the signal: make the CV longer"
    process.send_signal(signal.SIGINT)
    _, errors = process.communicate(timeout=60)
    assert process.returncode == 130, errors
    assert errors.strip().splitlines() == ["interrupted; nothing was left half-written"], errors
    assert not (workspace / "cv.pdf").exists()


# --- a whole site ------------------------------------------------------------------------------------------------

def _site(tmp_path: Path, config: str = "title: t\nauthor:\n  name: Ada Lovelace\n") -> Path:
    site = tmp_path / "site"
    (site / "_pages").mkdir(parents=True)
    (site / "_config.yml").write_text(config, encoding="utf-8")
    (site / "_pages" / "about.md").write_text("---\npermalink: /\n---\n\nI study engines.\n", encoding="utf-8")
    return site


@pytest.mark.parametrize(("config", "files", "expected"), [
    ("author: [unclosed\n", {}, r"_config\.yml:\d+: _config\.yml is not valid YAML"),
    ("- a list\n", {}, r"_config\.yml:1: _config\.yml must be a YAML mapping"),
    ("title: t\n", {"_publications/2020-01-01-x.md": "---\ntitle: [x\n---\n"}, r"2020-01-01-x\.md:\d+: front matter"),
    ("title: t\n", {"_publications/2020-01-01-y.md": "---\ntitle: never closed\n"},
     r"2020-01-01-y\.md:1: the front matter opened by --- on line 1 is never closed"),
])
def test_a_broken_site_is_refused_with_one_screen(tmp_path: Path, config: str, files: dict[str, str],
                                                  expected: str) -> None:
    site = _site(tmp_path, config)
    for path, text in files.items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text(text, encoding="utf-8")
    out = tmp_path / "cv.yaml"
    assert_clean_failure(["import", str(site), "-o", str(out)], expected, site)
    assert not out.exists()


def test_a_site_without_an_about_page_is_refused(tmp_path: Path) -> None:
    site = _site(tmp_path)
    (site / "_pages" / "about.md").unlink()
    assert_clean_failure(["import", str(site), "-o", str(tmp_path / "cv.yaml")], r"no about page found", site)


def test_site_paths_in_the_yaml_never_lead_outside_the_site(tmp_path: Path) -> None:
    site = _site(tmp_path)
    cv = tmp_path / "cv.yaml"
    assert run(["import", str(site), "-o", str(cv)])[0] == 0
    text = cv.read_text(encoding="utf-8").replace("site: {}\n", "site:\n")
    assert "site:\n" in text
    for bad in ("../escape.md", "/etc/passwd", "a/../../b.md", "C:/x.md"):
        cv.write_text(text.replace("site:\n", f"site:\n  cv_pdf: '{bad}'\n", 1), encoding="utf-8")
        output = assert_clean_failure(["site", str(site), str(cv)], r"site\.cv_pdf: .* is not a path inside the site",
                                      cv)
        assert "escape" not in " ".join(path.name for path in tmp_path.rglob("*")), output
    # A symbolic link inside the site cannot lead the writer out of it either.
    outside = tmp_path / "outside"
    outside.mkdir()
    (site / "files").symlink_to(outside)
    cv.write_text(text.replace("site:\n", "site:\n  cv_pdf: files/cv.pdf\n", 1), encoding="utf-8")
    assert_clean_failure(["site", str(site), str(cv)], r"leads outside the site's folder", cv)
    assert not list(outside.iterdir())


def test_site_commands_refuse_a_cv_that_did_not_come_from_a_site(tmp_path: Path) -> None:
    site = _site(tmp_path)
    assert_clean_failure(["site", str(site), str(DATA / "cv.yaml")], r"was not imported from a site", site)
    assert_clean_failure(["check", str(site), str(DATA / "cv.yaml")], r"was not imported from a site", site)


def test_a_site_import_never_writes_over_a_file_it_read(tmp_path: Path) -> None:
    site = _site(tmp_path)
    for target in ("_config.yml", "_pages/about.md"):
        before = (site / target).read_bytes()
        assert_clean_failure(["import", str(site), "-o", str(site / target), "--force"],
                             r"is the file this command reads", site)
        assert (site / target).read_bytes() == before
