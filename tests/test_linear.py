"""Steps that were quadratic in their input, held to the same results. Inputs are large enough that the
quadratic versions took minutes (80,000 unclosed `{%` in a raw section: about 5 minutes in each renderer)."""

from __future__ import annotations

import re

from cvgen.blocks import parse_blocks
from cvgen.check import _aligned
from cvgen.model import CV
from cvgen.renderers import render
from cvgen.renderers.latex import _break_points


def test_unclosed_liquid_comments_and_tags_in_raw_text() -> None:
    markdown = "{% " * 80_000 + "<!-- " * 80_000 + "<a " * 80_000 + "{{ x }} end"
    assert parse_blocks(markdown).blocks  # parsed at all, in seconds
    cv = CV.model_validate({"name": "A", "sections": [{"kind": "raw", "title": "R", "markdown": markdown}]})
    assert "end" in render("html", cv) and "end" in render("latex", cv)


def test_sections_of_one_title_get_numbered_ids_in_order() -> None:
    sections = [{"kind": "text", "title": "Same", "paragraphs": [f"p{number}"]} for number in range(3000)]
    html = render("html", CV.model_validate({"name": "A", "sections": sections}))
    ids = re.findall(r'id="(same(?:-\d+)?)"', html)
    assert ids == ["same"] + [f"same-{number}" for number in range(2, 3001)]


def test_a_long_word_breaks_every_few_letters() -> None:
    word = "x" * 400_000
    pieces = _break_points(word)
    assert "".join(pieces) == word and {len(piece) for piece in pieces[:-1]} == {len(pieces[0])}


def test_a_drift_in_a_long_list_is_found_without_comparing_every_pair() -> None:
    page = ["same"] * 40_000
    cv = [*page[:20_000], "changed", *page[20_001:]]
    assert _aligned(page, cv) == [("replace", 20_000, 20_001, 20_000, 20_001)]
    assert _aligned(page, page) == []
    assert _aligned(["a"], ["a", "b"]) == [("insert", 1, 1, 1, 2)]


def test_raw_blocks_of_pathological_markdown() -> None:
    from cvgen.blocks import parse_blocks

    pieces = ["{% ", "{{ x }}", "$a ", "$$x$$ ", "<b>", "</i>", "<div>", "{: x}\n", "{::comment}", "**a ", "a \\\\\n"]
    for piece in pieces:  # each 40,000 times: seconds in all, where a quadratic step took minutes
        content = parse_blocks(piece * 40_000)
        assert content.blocks or content.warnings or piece in ("{% ", "<div>", "{: x}\n", "{::comment}", "</i>")
