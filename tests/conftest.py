"""Shared fixtures: paths, the seed CV, and `require` for tests that need a real external tool."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from browser import Chromium

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
REQUIRE_TOOLS = os.environ.get("CVGEN_REQUIRE_TOOLS") == "1"


def require(*tools: str) -> None:
    """Skip when a tool is missing locally; fail when CVGEN_REQUIRE_TOOLS=1 (CI), so CI never hides it."""
    missing = [tool for tool in tools if shutil.which(tool) is None]
    if not missing:
        return
    message = f"missing tools: {', '.join(missing)} (run scripts/install-system-deps.sh)"
    if REQUIRE_TOOLS:
        pytest.fail(message)
    pytest.skip(message)


def require_font(family: str) -> None:
    """Skip or fail (as `require`) when fontconfig does not know a font family."""
    require("fc-list")
    import subprocess

    families = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, check=True).stdout
    if family not in families:
        message = f"missing font {family!r} (run scripts/install-system-deps.sh)"
        if REQUIRE_TOOLS:
            pytest.fail(message)
        pytest.skip(message)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite golden files from current output")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def seed_cv():  # type: ignore[no-untyped-def]
    from cvgen.loader import load_cv

    return load_cv(DATA / "cv.yaml")


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Chromium]:
    """One headless Chromium for a module's tests (tests/browser.py)."""
    from browser import Chromium

    require("chromium")
    chromium = Chromium(tmp_path_factory.mktemp("chromium-profile"))
    try:
        yield chromium
    finally:
        chromium.close()


