"""Homepage math: TeX only in a safe subset, else its source as text; a readable form for pages without TeX."""

from __future__ import annotations

import pytest

from cvgen.blocks import Subscript, Superscript
from cvgen.markup import Text
from cvgen.texmath import latex_math, readable_math


@pytest.mark.parametrize("tex", [r"^{\dagger}", "O(n^2)", r"\alpha", r"\frac{1}{2}", r"a_{i}^{2}", r"\sqrt{x}+1",
                                 r"\text{if } x \leq 1", r"\mathbf{x}_i", r"x' \cdot y", r"\{a, b\}"])
def test_math_in_the_subset_is_tex(tex: str) -> None:
    assert latex_math(tex) == tex


@pytest.mark.parametrize("tex", [r"\input{/etc/passwd}", r"\def\x{1}", "x^a^b", "x^", "a # b", "50%", "a & b", "{x",
                                 "x}", r"\text{a_b}", r"\frac{1}", "\\\\", "é", r"\catcode", "~", r"\verb|x|",
                                 "{" * 40 + "x" + "}" * 40])
def test_math_outside_the_subset_is_refused(tex: str) -> None:
    assert latex_math(tex) is None
    assert readable_math(tex) == (Text(tex),)  # shown as its source


def test_a_blank_line_in_math_does_not_end_a_paragraph() -> None:
    assert latex_math("a\n\nb") == "a b"


def test_readable_math_raises_and_lowers_scripts_and_names_symbols() -> None:
    assert readable_math(r"^{\dagger}") == (Superscript((Text("\u2020"),)),)
    assert readable_math(r"\alpha_i^2 \times \frac{a+b}{2}") == (
        Text("\u03b1"), Superscript((Text("2"),)), Subscript((Text("i"),)), Text("\u00d7(a+b)/2"))
