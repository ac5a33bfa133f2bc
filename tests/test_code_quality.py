"""The house rules that tools can check: ruff's lint rules, mypy --strict on cvgen/, and ruff's complexity limit
on the importers."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


def test_ruff_finds_nothing() -> None:
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "cvgen", "tests", "bench"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_finds_nothing() -> None:
    result = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_importer_is_under_the_complexity_limit() -> None:
    # The importers are held to ruff's complexity limit (C901, mccabe 10): a function over it holds two jobs.
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "--select", "C901", "cvgen/importers"],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
