"""The inline markup: parsing, writing back, and the law parse(to_markup(spans)) == spans."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cvgen.markup import (
    Code,
    Emphasis,
    Highlight,
    Link,
    Span,
    Strong,
    Text,
    Underline,
    _closers,
    escape_markup,
    merge_text,
    normalize_spans,
    parse_markup,
    plain_text,
    to_markup,
)


def test_each_construct_parses() -> None:
    assert parse_markup("a **b** _c_ [d](https://x.org/?a=1&b=2) ==e== ++f++ `g`") == (
        Text("a "), Strong((Text("b"),)), Text(" "), Emphasis((Text("c"),)), Text(" "),
        Link("https://x.org/?a=1&b=2", (Text("d"),)), Text(" "), Highlight((Text("e"),)), Text(" "),
        Underline((Text("f"),)), Text(" "), Code("g"))


def test_html_liquid_and_tex_are_plain_text() -> None:
    source = "<b>x</b> {{ y }} {% if %} \\input{z} | # $ ~ ^"
    assert plain_text(parse_markup(source)) == "<b>x</b> {{ y }} {% if %} \\input{z} | # $ ~ ^"


def test_javascript_urls_are_not_links() -> None:
    assert parse_markup("[x](javascript:alert(1))") == (Text("[x](javascript:alert(1))"),)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_escaped_text_reads_back_as_the_same_text(text: str) -> None:
    assert plain_text(parse_markup(escape_markup(text))) == text.replace("\r\n", "\n").replace("\r", "\n") or \
        "\x00" in text


leaf = st.builds(Text, st.text(alphabet=st.characters(blacklist_characters="\r\x00"), min_size=1))
containers = st.recursive(
    leaf,
    lambda children: st.one_of(
        st.builds(lambda c: Strong(tuple(c)), st.lists(children, min_size=1, max_size=3)),
        st.builds(lambda c: Underline(tuple(c)), st.lists(children, min_size=1, max_size=3)),
        st.builds(lambda c: Highlight(tuple(c)), st.lists(children, min_size=1, max_size=3)),
        st.builds(lambda c, url: Link(url, tuple(c)), st.lists(children, min_size=1, max_size=2),
                  st.from_regex(r"https://[a-z]{1,8}\.org/[A-Za-z0-9_?=&%.~-]{0,12}", fullmatch=True)),
    ),
    max_leaves=6,
)
# Italics follow CommonMark's flanking rules (`_` inside a word is a literal underscore), so they are
# generated as words set off by spaces, the way text uses them.
italics = st.builds(lambda word: Emphasis((Text(word),)),
                    st.from_regex(r"[A-Za-z0-9]([A-Za-z0-9 ]*[A-Za-z0-9])?", fullmatch=True))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(containers, italics), max_size=4))
def test_written_markup_keeps_its_text_and_structure(items: list[object]) -> None:
    items = [item for pair in zip(items, [Text(" ")] * len(items), strict=False) for item in pair]
    source = to_markup(items)  # type: ignore[arg-type]
    assert plain_text(parse_markup(source)) == plain_text(items)  # type: ignore[arg-type]
    assert to_markup(parse_markup(source)) == source


# --- inputs that once took super-linear time ---------------------------------------------------------------
# Each is large enough that the quadratic version took minutes (64 KB of `**a ` took 161 s); the linear one
# takes well under a second. No time is asserted: a regression shows as a test that hangs.


@pytest.mark.parametrize("marker", ["**", "++", "=="])
def test_a_field_of_unmatched_markers_stays_text(marker: str) -> None:
    source = f"{marker}a " * 16_000  # 64 KB: each marker opens, and no closer follows (all follow a space)
    assert parse_markup(source) == (Text(source),)


def test_a_field_is_scanned_for_closing_markers_once_per_marker() -> None:
    _closers.cache_clear()
    source = "**a ++b ==c " * 5_000
    assert parse_markup(source) == (Text(source),)
    assert _closers.cache_info().misses == 3  # one scan of the field for each of `*`, `+` and `=`


@pytest.mark.parametrize("source, expected", [
    ("**a **b**", (Strong((Text("a **b"),)),)),  # a closer after a space is skipped
    ("**a\\**b**", (Strong((Text("a**b"),)),)),  # so is an escaped one
    ("**a\\\\**b", (Strong((Text("a\\"),)), Text("b"))),  # but not one after an escaped backslash
    ("**a***", (Strong((Text("a*"),)),)),  # `x***` closes an inner `*` first
    ("**a***b", (Strong((Text("a"),)), Text("*b"))),
    ("***a**", (Strong((Text("*a"),)),)),
    ("++a ++b++", (Underline((Text("a ++b"),)),)),
    ("==a\\==b==", (Highlight((Text("a==b"),)),)),
    ("**a ++b** c++", (Strong((Text("a ++b"),)), Text(" c++"))),  # a span ends inside the one it opened in
])
def test_paired_markers_close_at_the_first_closer_that_counts(source: str, expected: tuple[Span, ...]) -> None:
    assert parse_markup(source) == expected


def test_a_long_run_of_text_spans_merges_into_one() -> None:
    assert merge_text([Text("ab"), Text("")] * 1_000_000) == [Text("ab" * 1_000_000)]


def test_many_neighbouring_bold_spans_normalise_into_one() -> None:
    bold = Strong((Text("a"), Emphasis((Text("b"),))))
    assert normalize_spans([bold] * 20_000) == (Strong((Text("a"), Emphasis((Text("b"),))) * 20_000),)
