"""Raw homepage Markdown as blocks: the same blocks Jekyll's Liquid and kramdown make of it, read back from the
HTML they render, and the constructs a homepage uses, one by one."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES, require
from support import jekyll_render

from cvgen.blocks import (
    CodeBlock,
    Colour,
    Heading,
    LineBreak,
    ListBlock,
    Math,
    Paragraph,
    Quote,
    Rule,
    Strike,
    Superscript,
    Table,
    parse_blocks,
    parse_html_blocks,
)
from cvgen.markup import Code, Emphasis, Link, Strong, Text, Underline

PAGES = sorted((FIXTURES / "raw").glob("*.md"))


@pytest.mark.parametrize("page", PAGES, ids=[page.stem for page in PAGES])
def test_the_blocks_are_what_jekyll_renders(page: Path) -> None:
    require("ruby")
    _, html = jekyll_render(page)
    assert parse_blocks(page.read_text(encoding="utf-8")).blocks == parse_html_blocks(html)


def _blocks(markdown: str) -> tuple[object, ...]:
    return parse_blocks(markdown).blocks


def test_kramdown_line_breaks_end_lines_and_other_newlines_are_spaces() -> None:
    (paragraph,) = _blocks("**Title** \\\\\n[paper](https://e.org) \\\\\nA, B  \nC<br>D\nE")
    assert paragraph == Paragraph((
        Strong((Text("Title"),)), LineBreak(), Link("https://e.org", (Text("paper"),)), LineBreak(), Text("A, B"),
        LineBreak(), Text("C"), LineBreak(), Text("D E"),
    ))


def test_headings_lists_tables_quotes_code_and_rules_are_blocks() -> None:
    blocks = _blocks("## Teaching {#teaching}\n\n- a\n  1. b\n\n| x | y |\n|---|--:|\n| 1 | 2 |\n\n> q\n\n"
                     "```\ncode **x**\n```\n\n***\n")
    assert blocks == (
        Heading(2, (Text("Teaching"),)),
        ListBlock(False, ((Paragraph((Text("a"),)), ListBlock(True, ((Paragraph((Text("b"),)),),))),)),
        Table((((Text("x"),), (Text("y"),)),), (((Text("1"),), (Text("2"),)),), ("", "right")),
        Quote((Paragraph((Text("q"),)),)),
        CodeBlock("code **x**"),
        Rule(),
    )


def test_inline_html_becomes_spans_and_hidden_html_is_left_out() -> None:
    blocks = _blocks('<style>p { color: red }</style>\n\n<!-- note -->\n\n<b>B</b> <i>I</i> <u>U</u> <s>S</s> '
                     'x<sup>2</sup> <font color="#c00">red</font> <span style="font-weight: bold; color: teal">t</span>'
                     ' <img src="a.png" alt="photo"> <code>c</code> <script>alert(1)</script>')
    assert blocks == (Paragraph((
        Strong((Text("B"),)), Text(" "), Emphasis((Text("I"),)), Text(" "), Underline((Text("U"),)), Text(" "),
        Strike((Text("S"),)), Text(" x"), Superscript((Text("2"),)), Text(" "), Colour("#cc0000", (Text("red"),)),
        Text(" "), Colour("#008080", (Text("t"),)), Text(" photo "), Code("c"),
    )),)


def test_colours_and_links_outside_the_policy_keep_their_words_only() -> None:
    (paragraph,) = _blocks('<font color="red;background:url(x)">a</font> <a href="javascript:alert(1)">b</a> '
                           "[c](data:text/html,x) <a href='https://e.org'>d</a>")
    assert paragraph == Paragraph((Text("a b c "), Link("https://e.org", (Text("d"),))))


def test_kramdown_attribute_lists_and_comments_are_not_words() -> None:
    blocks = _blocks("Contact me.\n{: .notice--info}\n\n*Note*{: .small} here\n\n{::comment}\nhidden\n{:/comment}\n"
                     "{::options parse_block_html=\"true\" /}\nLast")
    assert blocks == (Paragraph((Text("Contact me."),)), Paragraph((Emphasis((Text("Note"),)), Text(" here"))),
                      Paragraph((Text("Last"),)))


def test_math_is_math_and_money_is_money() -> None:
    (first, second, third) = _blocks("Marked $^{\\dagger}$, price $5 and $10.\n\n$$E = mc^2$$\n\n`$HOME` and \\$x\\$")
    assert first == Paragraph((Text("Marked "), Math("^{\\dagger}"), Text(", price $5 and $10.")))
    assert second == Paragraph((Math("E = mc^2", display=True),))
    assert third == Paragraph((Code("$HOME"), Text(" and $x$")))


def test_liquid_is_left_out_with_a_warning_naming_its_line() -> None:
    content = parse_blocks("Hi{{ site.title }}.\n\n{% if site.cv %}\nCV\n{% endif %}\n\n"
                           "{% for post in site.posts %}\n- {{ post.title }}\n{% endfor %}\n"
                           "{% raw %}{{ kept }}{% endraw %} {% comment %}gone{% endcomment %}")
    assert content.blocks == (Paragraph((Text("Hi."),)), Paragraph((Text("CV"),)), Paragraph((Text("{{ kept }}"),)))
    assert [(warning.line, warning.message.split(" needs")[0]) for warning in content.warnings] == [
        (1, "Liquid {{ site.title }}"), (3, "Liquid {% if site.cv %}"), (7, "Liquid {% for post in site.posts %}")]
    assert content.warnings[1].message.endswith("the PDFs show what it holds, whatever it decides")
    assert content.warnings[2].message.endswith("the PDFs leave it out")


def test_typography_follows_kramdown() -> None:
    (paragraph,) = _blocks("Lee's \"paper\" -- 'the '90s' --- so... \\'x\\'")
    expected = "Lee\u2019s \u201cpaper\u201d \u2013 \u2018the \u201990s\u2019 \u2014 so\u2026 'x'"
    assert paragraph == Paragraph((Text(expected),))


def test_unbalanced_html_and_markers_keep_every_word() -> None:
    (paragraph,) = _blocks("<b>open <i>both</b> tail</i> </u> **half")
    assert paragraph == Paragraph((Strong((Text("open "), Emphasis((Text("both"),)))), Text(" tail **half")))
