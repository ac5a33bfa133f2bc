"""Characters that are the page's own structure where user text stands (the comma between authors, the star of
equal contribution, a note's parentheses, a link label's brackets, an award's leading date) are written as
numeric character references: kramdown shows them as the characters (law a), and the importer reads them as
text, never as structure (law b)."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import pytest
from conftest import require
from support import canonical_html, jekyll_render

from cvgen.importers.homepage import import_homepage_text
from cvgen.markup import Text, to_markup
from cvgen.model import CV
from cvgen.renderers import render

OWNER = "Ada Lovelace"


def cv_with(paper: dict[str, Any] | None = None, award: dict[str, Any] | None = None) -> CV:
    """A CV with one paper (by the owner and others) and one award, some fields given."""
    paper = {"title": "A Paper", "authors": ["B. Babbage", OWNER], "venue": "ICML", "year": "2024",
             "links": [{"label": "paper", "url": "https://arxiv.org/abs/1"}], **(paper or {})}
    award = {"title": "Best Paper", "date": "Jan. 2024", **(award or {})}
    awards: dict[str, Any] = {"kind": "awards", "title": "Awards", "items": [award]}
    if award["date"]:
        awards["homepage"] = {"date_style": "%b. %Y"}  # as the import finds it
    return CV.model_validate({"name": OWNER, "homepage": {"front_matter": {"title": "About"}}, "sections": [
        {"kind": "publications", "title": "Publications", "items": [paper]},
        awards,
    ]})


# (the changed fields, what the page says for them, the text the reader sees)
CASES: list[tuple[dict[str, Any], dict[str, Any], str, str]] = [
    ({"authors": ["Smith, Jr.", OWNER]}, {}, "Smith&#44; Jr., **Ada Lovelace**", "Smith, Jr., Ada Lovelace"),
    ({"authors": ["A\\*Star", OWNER]}, {}, "A&#42;Star, **Ada Lovelace**", "A*Star, Ada Lovelace"),
    ({"authors": ["Star\\*", f"{OWNER}*"]}, {}, "Star&#42;, **Ada Lovelace**\\*", "Star*, Ada Lovelace"),
    ({"authors": ["Babbage (Cambridge)*", OWNER]}, {}, "Babbage (Cambridge)\\*, **Ada", "Babbage (Cambridge)*"),
    ({"note": to_markup([Text("(a (b) c)")])}, {}, "2024 (&#40;a &#40;b&#41; c&#41;)", "ICML 2024 ((a (b) c))"),
    ({"note": "Oral (top 5%)"}, {}, "2024 (Oral (top 5%))", "ICML 2024 (Oral (top 5%))"),
    ({"links": [{"label": to_markup([Text("[v2]")]), "url": "https://arxiv.org/abs/1"}]}, {},
     "[[&#91;v2&#93;]](https://arxiv.org/abs/1)", "[[v2]]"),
    ({}, {"title": "2nd Place"}, "- &#50;nd Place (Jan. 2024)", "2nd Place (Jan. 2024)"),
    ({}, {"title": "2024 Best Paper"}, "- &#50;024 Best Paper (Jan. 2024)", "2024 Best Paper (Jan. 2024)"),
    ({}, {"title": to_markup([Text("[Best] Paper")])}, "- &#91;Best\\] Paper (Jan. 2024)", "[Best] Paper (Jan. 2024)"),
    ({}, {"title": "Prize (runner-up)", "date": None}, "- Prize &#40;runner-up&#41;\n", "Prize (runner-up)"),
    ({}, {"title": "Prize", "detail": "NSF (USA)"}, "- Prize (NSF &#40;USA&#41;; Jan. 2024)",
     "Prize (NSF (USA); Jan. 2024)"),
]
IDS = ["author-comma", "author-star", "author-trailing-star", "author-parens", "note-nested-parens",
       "note-balanced-parens", "label-brackets", "award-2nd", "award-year", "award-bracket", "award-parens",
       "award-detail-parens"]


@pytest.mark.parametrize("paper, award, written, _", CASES, ids=IDS)
def test_the_page_writes_structural_characters_as_references_and_imports_them_back(
        paper: dict[str, Any], award: dict[str, Any], written: str, _: str) -> None:
    cv = cv_with(paper, award)
    page = render("markdown", cv)
    assert written in page
    result = import_homepage_text(page, "page.md")
    assert result.warnings == []
    assert result.cv == cv
    assert render("markdown", result.cv) == page


@pytest.mark.parametrize("paper, award, _, shown", CASES, ids=IDS)
def test_kramdown_shows_the_references_as_the_characters(paper: dict[str, Any], award: dict[str, Any], _: str,
                                                         shown: str, tmp_path: Path) -> None:
    require("ruby")
    page = tmp_path / "about.md"
    page.write_text(render("markdown", cv_with(paper, award)), encoding="utf-8")
    _, page_html = jekyll_render(page)
    text = " ".join(html.unescape(event[1]) for event in canonical_html(page_html) if event[0] == "text")
    assert shown in text
    assert "&#" not in text and "\\" not in text


def test_a_hand_written_page_with_references_imports_them_as_text() -> None:
    page = ("## Publications\n- **A Paper** \\\\\n[[v&#93;2]](https://e.org) \\\\\n"
            "Smith&#44; Jr.\\*, **Ada Lovelace**\\*, C&#42; & D (\\*: equal contribution) \\\\\n"
            "**ICML** 2024 (&#40;oral)\n\n## Awards\n- &#50;020 Prize (2021)\n")
    result = import_homepage_text(page, "page.md")
    assert result.warnings == []
    paper = result.cv.sections[0].items[0]  # type: ignore[union-attr]
    assert paper.authors == ["Smith, Jr.*", "Ada Lovelace*", "C\\* & D"]
    assert paper.note == "(oral"
    assert paper.links[0].label == "v\\]2"  # markup: the bracket is escaped
    award = result.cv.sections[1].items[0]  # type: ignore[union-attr]
    assert (award.title, award.date) == ("2020 Prize", "2021")


def test_named_entities_and_liquid_braces_read_as_before() -> None:
    result = import_homepage_text("## News\nJan. 2020. Tom &amp;amp; Jerry&nbsp;&#123;{ x }}\n", "page.md")
    assert [warning.line for warning in result.warnings] == [None]  # only: the page names no owner
    assert result.cv.sections[0].items[0].text == "Tom &amp; Jerry\xa0{{ x }}"  # type: ignore[union-attr]
