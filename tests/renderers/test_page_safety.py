"""User text and URLs never become code on the homepage, as Jekyll renders it (Liquid, then kramdown GFM).

A property: CVs whose every text field and URL is drawn from an alphabet rich in Markdown, kramdown, HTML,
Liquid and TeX syntax are written with `cvgen markdown`, rendered by the real Liquid and kramdown (through
tests/tools/jekyll_page.rb, as Jekyll runs them), and parsed with an HTML parser, which must find no element
and no attribute that cvgen's templates and inline markup do not write, and no link outside the URL policy.
"""

from __future__ import annotations

import html.parser
import tempfile
from pathlib import Path
from typing import Any

import pytest
from conftest import require
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st
from support import jekyll_render

from cvgen.model import CV
from cvgen.records import ValidationError
from cvgen.renderers import render
from cvgen.urls import url_problem

SNIPPETS = [
    "``", "```", "`", "<img src=x onerror=alert(1)>", "<script>alert(1)</script>", "<svg onload=alert(1)>",
    "<a href='javascript:alert(1)'>x</a>", "<iframe src=//e.org>", "<style>*{}</style>", "{{ site }}", "{{",
    "}}", "{%", "%}", "{% raw %}", "{% endraw %}", "{% include x %}", "{::nomarkdown}", "{:/}", "{: onclick=x}",
    "{::comment}", "$$", "$x$", "\\input{/etc/passwd}", "\\", "\\\\", "<!--", "-->", "<![CDATA[", "]]>",
    "&#x3C;script&#x3E;", "&lt;", "&amp;", "*", "**", "_", "__", "[", "]", "(", ")", "](", "[x](javascript:y)",
    "<", ">", "|", "~~", "==", "++", "#", "\n", "\n\n", "  \n", " \\\\\n", "> ", "- ", "1. ", ":", "\"", "'",
    "<http://e.org>", "<b>", "</b>", "<br>", "^[x]", "[^1]", "*[x]: y", "\t",
]
ALPHABET = st.one_of(st.sampled_from(SNIPPETS), st.text("ab <>&`*_[]()\\{}%$#|~=+!:'\"", min_size=1, max_size=4))
text = st.lists(ALPHABET, min_size=1, max_size=8).map("".join).map(str.strip).filter(bool)
url_body = st.lists(st.one_of(st.sampled_from(["<", ">", "\\", ")", "(", "\"", "'", "{{", "{%", "`", " ", "&",
                                               "]", "[", "x", "/", "?q=1&r=<b>"])), max_size=6).map("".join)
urls = st.tuples(st.sampled_from(["https://e.org/", "http://e.org/", "mailto:a@e.org?s=", "#", "/", "files/",
                                  "tel:+1"]), url_body).map("".join).map(str.strip).filter(lambda u: not url_problem(u))

PAGE_STYLES: list[dict[str, Any]] = [
    {},
    {"link_style": "color: #7289da; text-decoration: none;", "owner": "<u>{text}</u>",
     "venue": '<span style="color:darkred">**{text}**</span>', "award": '<span style="color:red">_{text}_</span>',
     "highlight": '<span style="color:red">{text}</span>'},
    {"line_break": "<br>", "link_template": '<a href="{url}" target="_blank">{text}</a>',
     "paper_title": "<b>{text}</b>", "equal_mark": "<sup>†</sup>"},
]

# What the templates and cvgen's inline markup write, and nothing else.
ALLOWED_TAGS = {"p", "ul", "ol", "li", "a", "strong", "em", "u", "code", "span", "br", "b", "i", "sup", "h1", "h2",
                "h3", "h4", "h5", "h6", "mark", "blockquote", "hr", "del"}
ALLOWED_ATTRIBUTES = {"href", "style", "id", "target", "class"}
PAGE_STYLE_VALUES = {"color: #7289da; text-decoration: none;", "color:darkred", "color:red"}


@st.composite
def hostile_cvs(draw: st.DrawFn) -> CV:
    """A CV with hostile text in every kind of field and hostile (but allowed) URLs."""
    def t() -> str:
        return draw(text)

    data = {
        "name": "Ada Lovelace",
        "homepage": {"front_matter": {"title": "About"}, **draw(st.sampled_from(PAGE_STYLES))},
        "sections": [
            {"kind": "text", "paragraphs": [t(), f"[{t()}]({draw(urls)})"]},
            {"kind": "news", "title": t(), "items": [{"date": "2022-02", "text": t()}, {"date": "2021", "text": t()}]},
            {"kind": "publications", "title": t(), "items": [{
                "title": t(), "authors": [t(), "Ada Lovelace*", t()], "venue": t(), "year": "2021", "award": t(),
                "note": t(), "links": [{"label": t(), "url": draw(urls)}, {"label": t(), "url": draw(urls)}]}]},
            {"kind": "education", "title": t(), "items": [{"degree": t(), "field": t(), "institution": t(),
                                                          "location": t(), "start": "2016", "end": "2020"}]},
            {"kind": "experience", "title": t(), "items": [{"role": t(), "organization": t(), "location": t(),
                                                           "when": t()}]},
            {"kind": "awards", "title": t(), "items": [{"title": t(), "detail": t(), "date": "2020",
                                                       "url": draw(urls)}]},
            {"kind": "talks", "title": t(), "items": [{"title": t(), "venues": [{"venue": t(), "date": "2021"}]}]},
            {"kind": "press", "title": t(), "items": [{"title": t(), "url": draw(urls), "outlet": t()}]},
            {"kind": "service", "title": t(), "groups": [{"title": t(), "entries": [{"venue": t(), "short": t(),
                                                                                    "years": ["2021"]}]}]},
            {"kind": "projects", "title": t(), "items": [{"title": t(), "sponsor": t(), "start": "2019"}]},
        ],
    }
    try:
        return CV.model_validate(data)
    except ValidationError:  # a link the URL policy refuses, written inside a text field: that is an error
        reject()


class ElementCollector(html.parser.HTMLParser):
    """Every element with its attributes, and comments (a comment on the page came from user text)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.comments: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, attrs))

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)


def foreign_markup(page_html: str) -> list[str]:
    """What in rendered HTML no template or markup of cvgen's writes."""
    collector = ElementCollector()
    collector.feed(page_html)
    found = [f"comment {comment!r}" for comment in collector.comments]
    for tag, attributes in collector.elements:
        if tag not in ALLOWED_TAGS:
            found.append(f"element <{tag}>")
        for name, value in attributes:
            if name not in ALLOWED_ATTRIBUTES:
                found.append(f"attribute {name}= on <{tag}>")
            elif name == "href" and value is not None and url_problem(value.strip()):
                found.append(f"link to {value!r}")
            elif name == "style" and value not in PAGE_STYLE_VALUES:
                found.append(f"style {value!r}")
            elif name == "target" and value != "_blank":
                found.append(f"target {value!r}")
    return found


def jekyll_page_of(paragraphs: list[str], folder: Path) -> str:
    """The HTML Jekyll makes of the page of a CV holding `paragraphs`."""
    cv = CV.model_validate({"name": "A", "sections": [{"kind": "text", "paragraphs": paragraphs}]})
    path = folder / "about.md"
    path.write_text(render("markdown", cv), encoding="utf-8")
    return jekyll_render(path)[1]


@pytest.fixture(scope="module")
def jekyll() -> None:
    require("ruby")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                                                 HealthCheck.function_scoped_fixture])
@given(cv=hostile_cvs())
def test_no_user_text_or_url_becomes_code_on_the_page(jekyll: None, cv: CV) -> None:
    page = render("markdown", cv)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "about.md"
        path.write_text(page, encoding="utf-8")
        _, page_html = jekyll_render(path)
    assert foreign_markup(page_html) == [], page


def test_the_checker_sees_script_where_there_is_some() -> None:
    """The HTML check itself can fail: it flags what a page with live markup would hold."""
    live = '<p><img src="x" onerror="alert(1)"><a href="javascript:x">y</a><!-- c --><span style="x">z</span></p>'
    assert foreign_markup(live) == ["comment ' c '", "element <img>", "attribute src= on <img>",
                                    "attribute onerror= on <img>", "link to 'javascript:x'", "style 'x'"]


@pytest.mark.parametrize("payload", [
    "```a``<img src=x onerror=\"alert(1)\">``b```",
    "`` ` ``<img src=x onerror=alert(1)>",
])
def test_code_spans_cannot_be_broken_out_of(jekyll: None, payload: str, tmp_path: Path) -> None:
    page_html = jekyll_page_of([payload], tmp_path)
    assert foreign_markup(page_html) == [], page_html


def test_a_url_cannot_close_its_destination(jekyll: None, tmp_path: Path) -> None:
    page_html = jekyll_page_of(["[x](<x>)<img src=x onerror=alert(1)>)", "[y](x\\>)"], tmp_path)
    assert foreign_markup(page_html) == [], page_html


@pytest.mark.parametrize("payload", ["<*\\>*[x]: y", "<_>x</_>", "<1>", "<a:b>", "<*x*>"])
def test_a_less_than_sign_never_opens_a_tag(jekyll: None, payload: str, tmp_path: Path) -> None:
    """kramdown reads more tag names than HTML has (`<_>`), and a `<` may end one span with markup after it."""
    page_html = jekyll_page_of([payload], tmp_path)
    assert foreign_markup(page_html) == [], page_html


@pytest.mark.parametrize("payload", ["[<![CDATA[``]](https://e.org/)", "Wow![a link](https://e.org/)"])
def test_an_exclamation_mark_before_a_link_never_makes_an_image(jekyll: None, payload: str, tmp_path: Path) -> None:
    """Text ending in `!` right before a link would read as kramdown's image syntax (found by the property test)."""
    page_html = jekyll_page_of([payload], tmp_path)
    assert foreign_markup(page_html) == [], page_html
    assert "!" in page_html
