"""Issue 3, point 5: every word a corpus page shows (Liquid output aside) is in both PDFs of its import."""

from __future__ import annotations

import calendar
import html
import re
from pathlib import Path

import pytest
from conftest import FIXTURES, require, require_font
from support import canonical_html, jekyll_render, pdf_fonts, pdf_text, squash

from cvgen.dates import parse_date
from cvgen.importers.homepage import import_homepage
from cvgen.latexmk import compile_latex
from cvgen.pdf import render_pdf
from cvgen.renderers.latex import choose_engine, needs_symbol_font, render

PAGES = sorted((FIXTURES / "homepages").glob("*.md"))
# Page furniture that the CV layouts write their own way (the legend, the talk venue mark).
PAGE_STYLE_WORDS = {"@", "*", "†", "‡", "(*:", "equal", "contribution)", "•", "|", "-", "–", "—"}


LIQUID = re.compile(r"{%.*?%}|{{.*?}}", re.DOTALL)
NUMERIC_DATE = re.compile(r"\b\d{4}[-./]\d{1,2}(?:[-./]\d{1,2})?\b")
MONTH_NAMES = {calendar.month_name[number]: calendar.month_abbr[number] for number in range(1, 13)} | {"Sept": "Sep"}


def in_display_style(text: str) -> str:
    """Dates as the PDFs write them (cvgen shows every date in one style): 'August' → 'Aug', '2024-05' → 'May 2024'."""

    def numeric(match: re.Match[str]) -> str:
        try:
            return parse_date(match.group(0)).display()
        except ValueError:
            return match.group(0)

    text = NUMERIC_DATE.sub(numeric, text)
    return re.sub(r"\b(" + "|".join(MONTH_NAMES) + r")\b", lambda match: MONTH_NAMES[match.group(1)], text)


def page_words(page: Path, folder: Path) -> list[str]:
    """The words the page shows, without what its Liquid generates, dates in the PDFs' style."""
    without_liquid = folder / page.name
    without_liquid.write_text(LIQUID.sub("", page.read_bytes().decode("utf-8")), encoding="utf-8")
    _, page_html = jekyll_render(without_liquid)
    text = " ".join(html.unescape(event[1]) for event in canonical_html(page_html) if event[0] == "text")
    words = [word.strip(",.;:!?()[]\"'*“”‘’«»") for word in in_display_style(text).split()]
    return [word for word in words if word and word not in PAGE_STYLE_WORDS and re.search(r"\w", word)]


@pytest.mark.parametrize("page", PAGES, ids=[page.stem for page in PAGES])
def test_every_word_of_the_page_reaches_both_pdfs(page: Path, tmp_path: Path) -> None:
    require("ruby", "latexmk", "xelatex", "pdftotext")
    require_font("Noto Serif CJK KR")
    cv = import_homepage(page).cv
    (tmp_path / "latex.pdf").write_bytes(compile_latex(render(cv, engine=choose_engine(cv)), choose_engine(cv)))
    (tmp_path / "weasyprint.pdf").write_bytes(render_pdf(cv))
    words = page_words(page, tmp_path)
    assert len(words) > 50
    for output in ("latex.pdf", "weasyprint.pdf"):
        haystack = squash(in_display_style(pdf_text(tmp_path / output))).casefold()
        missing = [word for word in words if squash(word).casefold() not in haystack]
        assert missing == [], f"{output} lacks words of {page.name}: {missing[:20]}"
        if any(map(needs_symbol_font, " ".join(words))):  # emoji are drawn, not boxes: the symbol font is in
            assert any("Symbola" in line for line in pdf_fonts(tmp_path / output)), output
