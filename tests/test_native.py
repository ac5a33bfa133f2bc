"""In-process answers about native libraries: what ctypes.util.find_library and fc-list answer, with no process."""

from __future__ import annotations

import ctypes
import ctypes.util
import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, require

from cvgen.native import find_shared_library, font_covers_language, in_process_library_lookup

# What WeasyPrint loads, what the C library is, and a name that nothing installs.
LIBRARIES = ["gobject-2.0", "pango-1.0", "pangoft2-1.0", "harfbuzz", "harfbuzz-subset", "harfbuzz-vector",
             "fontconfig", "c", "m", "cvgen-no-such-library", "libgobject-2.0-0"]
PROCESS_EVENTS = ("subprocess.Popen", "os.posix_spawn", "os.exec", "os.system", "os.fork", "os.spawn")


@pytest.mark.parametrize("name", LIBRARIES)
def test_finds_what_ctypes_finds(name: str) -> None:
    expected = ctypes.util.find_library(name)  # ldconfig, gcc and ld, the slow way
    found = find_shared_library(name)
    if expected is None:
        assert found is None
    else:
        assert found is not None and Path(found).name == Path(expected).name
        ctypes.CDLL(found)


def test_the_lookup_replaces_find_library_only_while_active() -> None:
    original = ctypes.util.find_library
    with in_process_library_lookup():
        assert ctypes.util.find_library("harfbuzz") == find_shared_library("harfbuzz")
    assert ctypes.util.find_library is original


def test_looking_up_starts_no_process() -> None:
    code = f"""
import json, sys
started = []
sys.addaudithook(lambda event, args: started.append(event) if event in {PROCESS_EVENTS!r} else None)
from cvgen.native import find_shared_library, font_covers_language
answers = [find_shared_library(name) for name in {LIBRARIES!r}] + [font_covers_language("ko")]
print(json.dumps(started))
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert json.loads(result.stdout) == []


@pytest.mark.parametrize("language", ["ko", "ja", "zh-cn", "en", "xx"])
def test_font_coverage_agrees_with_fc_list(language: str) -> None:
    require("fc-list")
    listed = subprocess.run(["fc-list", f":lang={language}", "family"], capture_output=True, text=True, check=True)
    assert font_covers_language(language) is bool(listed.stdout.strip())
