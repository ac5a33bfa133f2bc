"""`cvgen watch`: a real file save rebuilds the outputs, an error is shown and watching goes on, a save in a
template folder counts too, and the page open in headless Chromium reloads itself."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import yaml
from browser import BrowserError, Chromium, Page
from conftest import DATA, ROOT, require
from support import pdf_text

from cvgen.watch import Saves

TIMEOUT = 120.0


def _wait_for(condition: Callable[[], object], what: str, seconds: float = TIMEOUT) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {seconds} s for {what}")
        time.sleep(0.02)


def _retitle(cv: Path, title: str) -> None:
    """Save the CV with its first paper's title changed (one field, shown by every output)."""
    data = yaml.safe_load(cv.read_text(encoding="utf-8"))
    papers = next(section for section in data["sections"] if section["kind"] == "publications")
    papers["items"][0]["title"] = title
    cv.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")


class Watching:
    """`cvgen watch` running in a folder, its messages collected line by line as they come."""

    def __init__(self, folder: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "cvgen.cli", "watch", "cv.yaml", "-o", "out", "--port", "0"], cwd=folder,
            env={**os.environ, "PYTHONPATH": str(ROOT)}, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE, text=True)
        self.lines: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.append(line.rstrip("\n"))

    def count(self, pattern: str) -> int:
        return sum(bool(re.search(pattern, line)) for line in list(self.lines))

    def wait_for_line(self, pattern: str, times: int = 1) -> str:
        _wait_for(lambda: self.count(pattern) >= times, f"/{pattern}/ ×{times} in\n" + "\n".join(self.lines))
        return [line for line in self.lines if re.search(pattern, line)][times - 1]

    def stop(self) -> tuple[int, list[str]]:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        time.sleep(0.1)  # the reader's last lines
        return self.process.returncode, self.lines


def _holds(path: Path, text: str) -> bool:
    try:
        return text in (pdf_text(path) if path.suffix == ".pdf" else path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, AssertionError, subprocess.CalledProcessError):
        return False


def _page_text(page: Page) -> str:
    with contextlib.suppress(BrowserError):  # the page may be reloading
        return str(page.evaluate("document.readyState === 'complete' ? document.body.innerText : ''"))
    return ""


def test_a_save_rebuilds_an_error_is_shown_and_watching_goes_on_and_the_page_reloads(
        browser: Chromium, tmp_path: Path) -> None:
    require("pdftotext")
    data = yaml.safe_load((DATA / "cv.yaml").read_text(encoding="utf-8"))
    data["output"] = {"formats": ["pdf", "html", "markdown"]}
    data["design"] = {"templates": ["mine"]}
    (tmp_path / "mine").mkdir()
    cv = tmp_path / "cv.yaml"
    cv.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")
    out = tmp_path / "out"
    watching = Watching(tmp_path)
    try:
        url = re.search(r"serving (http://127\.0\.0\.1:\d+/cv\.html)", watching.wait_for_line(r"^serving "))
        assert url is not None
        watching.wait_for_line(r"^built 3 of 3 outputs")
        page = Page(browser, url.group(1))
        assert "Watched" not in _page_text(page)

        _retitle(cv, "Watched title one")
        _wait_for(lambda: all(_holds(out / name, "Watched title one") for name in ("about.md", "cv.html")),
                  "the Markdown and the web page")
        _wait_for(lambda: "Watched title one" in _page_text(page), "the open page to reload itself")
        _wait_for(lambda: _holds(out / "cv.pdf", "Watched title one"), "the PDF")
        assert "__cvgen__" not in (out / "cv.html").read_text(encoding="utf-8")  # the reload script is only served

        cv.write_text("name: [unclosed\n", encoding="utf-8")
        error = watching.wait_for_line(r"^error: ")
        assert re.match(r"error: cv\.yaml:\d+: YAML syntax error", error), error
        assert _holds(out / "cv.html", "Watched title one")  # the last good outputs stay

        builds = watching.count(r"^built 3 of 3 outputs")
        cv.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")
        _retitle(cv, "Watched title two")
        _wait_for(lambda: _holds(out / "cv.html", "Watched title two") and _holds(out / "cv.pdf", "Watched title two"),
                  "the outputs after the error was mended")
        watching.wait_for_line(r"^built 3 of 3 outputs", builds + 1)

        builds = watching.count(r"^built 3 of 3 outputs")
        (tmp_path / "mine" / "notes.txt").write_text("a save in a template folder", encoding="utf-8")
        watching.wait_for_line(r"^built 3 of 3 outputs", builds + 1)
    finally:
        code, lines = watching.stop()
    assert code == 0 and lines[-1] == "stopped watching", lines
    assert not any("Traceback" in line for line in lines), lines
    assert not [path for path in out.rglob("*") if path.name.endswith(".tmp")]


def test_a_save_wakes_the_watch_when_the_file_is_closed_not_while_it_is_written(tmp_path: Path) -> None:
    """inotify: a watched file closed after writing, renamed into place or removed wakes `wait` at once (no
    polling delay, no settling); a write still under way, or another file of the CV's folder, does not."""
    cv, other, templates = tmp_path / "cv.yaml", tmp_path / "notes.txt", tmp_path / "templates" / "sections"
    templates.mkdir(parents=True)
    cv.write_text("name: A\n", encoding="utf-8")
    saves = Saves()
    try:
        assert saves.descriptor is not None, "inotify is missing on this Linux machine"
        saves.add([cv], [str(tmp_path / "templates")])
        assert not saves.wait(0.05)
        with cv.open("w", encoding="utf-8") as file:  # an editor's save: truncate, write, close
            file.write("name: B\n")
            file.flush()
            assert not saves.wait(0.1), "woken in the middle of a write"
        started = time.monotonic()
        assert saves.wait(5.0)
        assert time.monotonic() - started < 0.05
        other.write_text("not the CV\n", encoding="utf-8")
        assert not saves.wait(0.1), "woken by a file the build does not read"
        (tmp_path / "cv.yaml.new").write_text("name: C\n", encoding="utf-8")
        assert not saves.wait(0.1)
        os.replace(tmp_path / "cv.yaml.new", cv)  # an editor's atomic save
        assert saves.wait(5.0)
        (templates / "news.md.j2").write_text("## News\n", encoding="utf-8")  # a file of a template folder's tree
        assert saves.wait(5.0)
        cv.unlink()
        assert saves.wait(5.0)
    finally:
        saves.close()
