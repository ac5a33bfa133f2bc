"""The inline markup: parsing, writing back, and the law parse(to_markup(spans)) == spans."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from cvgen.markup import (
    Code,
    Emphasis,
    Highlight,
    Link,
    Strong,
    Text,
    Underline,
    escape_markup,
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
