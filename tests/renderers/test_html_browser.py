"""The standalone web CV in a real browser: headless Chromium (tests/browser.py) loads it with no console errors
and draws it well."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from browser import HEIGHT, PHONE_WIDTH, WIDTH, Chromium, Page
from conftest import DATA, FIXTURES
from PIL import Image

from cvgen.loader import load_cv
from cvgen.renderers import RenderOptions
from cvgen.renderers.html import render_standalone
from cvgen.templates import builtin_themes


def open_page(browser: Chromium, folder: Path, document: str) -> Page:
    path = folder / "cv.html"
    path.write_text(document, encoding="utf-8")
    return Page(browser, path.as_uri())


def assert_drawn(png: bytes) -> Image.Image:
    """A real screenshot: PNG of the window's size, with text on it (many colours, not one flat fill)."""
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(png))
    assert image.size == (WIDTH, HEIGHT)
    colours = image.convert("RGB").getcolors(maxcolors=1 << 16)
    assert colours is None or len(colours) > 50, "the screenshot is (nearly) one flat colour"
    return image


# --- the detector ----------------------------------------------------------------------------------------------------


def test_the_detector_catches_what_would_go_wrong(browser: Chromium, tmp_path: Path) -> None:
    """The control: a page that throws, logs an error and links a missing file is reported, three times over."""
    broken = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>broken</title>
<link rel="stylesheet" href="missing.css"></head><body><p>text</p>
<script>console.warn("only a warning"); console.error("logged error"); throw new Error("thrown on purpose")</script>
</body></html>"""
    problems = open_page(browser, tmp_path, broken).problems()
    assert any("thrown on purpose" in problem for problem in problems), problems
    assert any("logged error" in problem for problem in problems), problems
    assert any("missing.css" in problem or "ERR_FILE_NOT_FOUND" in problem for problem in problems), problems
    assert not any("only a warning" in problem for problem in problems), problems


def test_the_detector_sees_a_script_a_template_slips_into_the_web_cv(browser: Chromium, tmp_path: Path) -> None:
    """The same check on the real pipeline: a user template that throws makes the web CV fail it."""
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "header.html.j2").write_text(
        '<h1>{{ name }}</h1><script>throw new Error("from a template")</script>\n'
    )
    options = RenderOptions(template_dirs=(templates,))
    document = render_standalone(load_cv(FIXTURES / "cvs" / "minimal.yaml"), options)
    problems = open_page(browser, tmp_path, document).problems()
    assert len(problems) == 1 and "from a template" in problems[0], problems


# --- the web CV ------------------------------------------------------------------------------------------------------

SOURCES = {"data": DATA / "cv.yaml", "full": FIXTURES / "cvs" / "full.yaml"}
CASES = [
    pytest.param(path, theme, id=f"{name}-{theme}")
    for name, path in SOURCES.items()
    for theme in builtin_themes("html")
]


@pytest.mark.parametrize(("source", "theme"), CASES)
def test_web_cv_loads_cleanly_and_reads_well(browser: Chromium, tmp_path: Path, source: Path, theme: str) -> None:
    cv = load_cv(source)
    page = open_page(browser, tmp_path, render_standalone(cv, RenderOptions(theme=theme)))
    assert page.problems() == []
    image = assert_drawn(page.screenshot())
    image.save(tmp_path / "shot.png")

    layout = page.evaluate(
        """(() => {
          const main = document.querySelector("main").getBoundingClientRect();
          const style = getComputedStyle(document.body);
          const width = document.documentElement.clientWidth;  // without the scroll bar
          return {left: main.left, right: width - main.right, width: main.width,
                  overflow: document.documentElement.scrollWidth - width,
                  fontSize: parseFloat(style.fontSize), name: document.querySelector("h1").textContent.trim(),
                  title: document.title};
        })()"""
    )
    assert layout["name"] == cv.name and cv.name in layout["title"]
    # On a wide screen: one centred column of readable width, text no smaller than 15 px.
    assert 560 <= layout["width"] <= 900, layout
    assert abs(layout["left"] - layout["right"]) <= 2, layout
    assert layout["fontSize"] >= 15, layout
    assert layout["overflow"] <= 0, layout

    # On a phone: nothing wider than the screen.
    page.resize(PHONE_WIDTH, 800)
    narrow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert narrow <= 0, f"the page is {narrow}px wider than a {PHONE_WIDTH}px screen"
    assert page.problems() == []
