"""Atomic writes: whole files or none, links followed, devices and pipes written into, never replaced."""

from __future__ import annotations

import os
import signal
import stat
import tempfile
import threading
from pathlib import Path
from typing import Any

import pytest

from cvgen.output import write_atomically


def test_a_new_file_appears_whole_with_no_temporary_left(tmp_path: Path) -> None:
    write_atomically(tmp_path / "out" / "cv.md", "héllo")
    assert (tmp_path / "out" / "cv.md").read_text(encoding="utf-8") == "héllo"
    assert [path.name for path in (tmp_path / "out").iterdir()] == ["cv.md"]


def test_a_failed_write_leaves_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "cv.md"
    target.write_text("old", encoding="utf-8")

    def broken_replace(source: str, destination: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        write_atomically(target, "new")
    assert target.read_text(encoding="utf-8") == "old"
    assert [path.name for path in tmp_path.iterdir()] == ["cv.md"]


def test_a_symbolic_link_is_followed_and_kept(tmp_path: Path) -> None:
    real = tmp_path / "real.md"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    write_atomically(link, "new")
    assert link.is_symlink() and real.read_text(encoding="utf-8") == "new"


def test_a_named_pipe_is_written_into_not_replaced(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()))
    reader.start()
    write_atomically(pipe, "through the pipe")
    reader.join(timeout=10)
    assert received == [b"through the pipe"]
    assert stat.S_ISFIFO(pipe.stat().st_mode)


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_an_interrupt_the_moment_the_temporary_file_is_made_leaves_none(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                       stop: signal.Signals) -> None:
    """Ctrl-C, or the SIGTERM that stops an output a newer save overtakes (cvgen watch), arriving right after the
    temporary file exists and before its name is known: the write stops and leaves no file behind."""
    target = tmp_path / "cv.html"
    target.write_text("old", encoding="utf-8")
    made = tempfile.mkstemp

    def interrupted(*arguments: Any, **options: Any) -> tuple[int, str]:
        descriptor, name = made(*arguments, **options)
        os.kill(os.getpid(), stop)  # delivered at once, unless held off
        return descriptor, name

    def interrupt(signal_number: int, frame: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(tempfile, "mkstemp", interrupted)
    previous = signal.signal(stop, interrupt)
    try:
        with pytest.raises(KeyboardInterrupt):
            write_atomically(target, "new")
    finally:
        signal.signal(stop, previous)
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["cv.html"]
