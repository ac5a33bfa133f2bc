"""The round-trip laws over a corpus of varied homepages (tests/fixtures/homepages) and the seed page.

(a) page equivalence: the page cvgen writes from the import renders, through real Liquid + kramdown, to the
    same HTML as the original page, with the same front matter;
(b) fixed point: importing the written page gives the same CV, and writing that CV gives the same bytes.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from conftest import DATA, FIXTURES, require
from support import canonical_html, jekyll_render

from cvgen.dump import dump_cv
from cvgen.importers.homepage import ImportResult, import_homepage, import_homepage_text
from cvgen.loader import load_cv_text
from cvgen.model import RawSection
from cvgen.renderers import render

CORPUS = sorted((FIXTURES / "homepages").glob("*.md"))
PAGES = [*CORPUS, DATA / "about.md"]
PAGE_IDS = [page.stem if page.parent.name == "homepages" else "seed" for page in PAGES]

# Per page: how many sections import typed and how many are kept raw. A change here is a visible regression
# (or progress: update the table).
EXPECTED_COUNTS: dict[str, tuple[int, int]] = {
    "01-markdown-links": (8, 0),
    "02-two-space-breaks": (6, 0),
    "03-br-breaks": (5, 0),
    "04-setext-crlf": (5, 0),
    "05-emoji-headings": (6, 2),  # a talk, an HTML anchor; date-first education typed generic
    "06-korean": (6, 0),
    "07-chinese-crlf": (5, 0),
    "08-year-subheadings": (5, 1),  # the '## Publications' heading over '### 2024' is a raw heading
    "09-tables": (2, 3),  # a pipe table, an HTML table, a news table
    "10-liquid": (2, 4),  # Liquid stays live: raw
    "11-comments": (5, 5),  # the HTML comments
    "12-images-badges": (4, 3),  # images and a portrait; the paper with a badge is a raw entry in its section
    "13-french-accents": (5, 1),  # 'Mars 2024' is not a date cvgen reads; 'Doctorat en …' typed generic
    "14-numbered-nested": (5, 0),  # the nested details and the numbered 'Reviewer, …' list: generic entries
    "15-anchors-spans": (6, 0),
    "16-german-plus-bullets": (5, 1),  # 'Mai 2024' is not a date cvgen reads
    "17-escaped-marks": (6, 0),
    "18-list-kind-layouts": (5, 0),  # degrees, positions, awards in two layouts each; a Liquid award raw in place
    "seed": (11, 0),
}


@functools.cache
def imported(page: Path) -> ImportResult:
    """The import of a corpus page (cached: several tests look at it)."""
    return import_homepage(page)


@functools.cache
def rendered_original(page: Path) -> tuple[dict[str, object], list[tuple[str, ...]]]:
    """The original page through Jekyll (Liquid + kramdown), as front matter and canonical HTML."""
    front_matter, html = jekyll_render(page)
    return front_matter, canonical_html(html)


def test_the_corpus_is_big_enough_and_has_crlf_pages() -> None:
    assert len(CORPUS) >= 15
    assert sum(b"\r\n" in page.read_bytes() for page in CORPUS) >= 2


@pytest.mark.parametrize("page", PAGES, ids=PAGE_IDS)
def test_law_a_the_written_page_renders_to_the_same_html(page: Path, tmp_path: Path) -> None:
    require("ruby")
    written = tmp_path / "about.md"
    written.write_text(render("markdown", imported(page).cv), encoding="utf-8")
    original_front_matter, original_html = rendered_original(page)
    front_matter, html = jekyll_render(written)
    assert front_matter == original_front_matter
    assert canonical_html(html) == original_html


@pytest.mark.parametrize("page", PAGES, ids=PAGE_IDS)
def test_law_b_the_import_is_a_fixed_point(page: Path) -> None:
    cv = imported(page).cv
    written = render("markdown", cv)
    again = import_homepage_text(written, "written.md")
    assert again.cv == cv
    assert render("markdown", again.cv) == written
    assert load_cv_text(dump_cv(cv), "cv.yaml") == cv


@pytest.mark.parametrize("page", PAGES, ids=PAGE_IDS)
def test_typed_and_raw_section_counts(page: Path) -> None:
    result = imported(page)
    raw = sum(isinstance(section, RawSection) for section in result.cv.sections)
    counts = (len(result.cv.sections) - raw, raw)
    name = PAGE_IDS[PAGES.index(page)]
    assert counts == EXPECTED_COUNTS.get(name), f"{name}: typed, raw = {counts}"
