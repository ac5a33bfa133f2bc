"""The HTML renderer: golden documents, escaping of hostile text, CJK language runs, every fact shown."""

from __future__ import annotations

import html
import html.parser
import re
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup
from support import assert_golden, facts, missing_facts

from cvgen.errors import CvgenError
from cvgen.loader import load_cv
from cvgen.markup import parse_markup, plain_text
from cvgen.model import CV, SECTION_KINDS
from cvgen.renderers import RenderOptions, get_renderer
from cvgen.renderers.html import (
    escape_text,
    html_template_dirs,
    render,
    render_markup,
    render_standalone,
    safe_url,
    stylesheet_dir,
)
from cvgen.templates import builtin_themes
from cvgen.urls import url_problem

CVS = FIXTURES / "cvs"
GOLDEN = ROOT / "tests" / "golden" / "html"


def load(name: str) -> CV:
    return load_cv(CVS / f"{name}.yaml")


class _TextCollector(html.parser.HTMLParser):
    """The text of an HTML document (without <head>), and the tags it opens."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self._in_head = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "head":
            self._in_head = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self._in_head = False
        if tag in ("p", "li", "div", "h1", "h2", "h3", "span"):
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._in_head:
            self.parts.append(data)


def parse(document: str) -> _TextCollector:
    collector = _TextCollector()
    collector.feed(document)
    collector.close()
    return collector


def hostile_cv(port: int = 9) -> CV:
    """A CV whose text tries to become tags, styles, fetches and script links."""
    return CV.model_validate(
        {
            "name": "Eve <script>alert(1)</script>",
            "headline": '<img src="file:///etc/passwd">',
            "website": 'https://example.org/?q=<script>"onmouseover="alert(1)',  # the URL policy refuses javascript:
            "email": 'eve@example.org" onmouseover="alert(1)',
            "sections": [
                {
                    "kind": "text",
                    "paragraphs": [
                        '<link rel="attachment" href="/etc/passwd">',
                        f"<style>@import url(http://127.0.0.1:{port}/x)</style>",
                        f'<p style="background:url(http://127.0.0.1:{port}/)">styled</p>',
                        "[click me](javascript:alert(1)) and [again](<JaVaScRiPt:alert(2)>)",
                    ],
                },
                {
                    "kind": "publications",
                    "title": '<img src="file:///etc/passwd">',
                    "items": [
                        {
                            "title": '<img src="file:///etc/passwd">',
                            "authors": ["<b>Eve</b>", "Bob*"],
                            "links": [
                                {"label": "paper", "url": 'papers/"><img src=x onerror=alert(1)>'},
                                {"label": "data", "url": "#data' onclick='alert(1)"},
                                {"label": "code", "url": f"http://127.0.0.1:{port}/code"},
                            ],
                        }
                    ],
                },
                {
                    "kind": "awards",
                    "title": "Awards",
                    "items": [
                        {"title": "Prize", "url": "https://e.org/<script>alert(1)</script>"},
                    ],
                },
                {
                    "kind": "raw",
                    "title": "Raw",
                    "markdown": '<iframe src="file:///etc/passwd"></iframe>\n\nplain *text*\n',
                },
            ],
        }
    )


# --- golden files -------------------------------------------------------------------------------------------------


THEMES = builtin_themes("html")


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("name", ["minimal", "full"])
def test_golden(name: str, theme: str, update_golden: bool) -> None:
    assert_golden(GOLDEN / theme / f"{name}.html", render(load(name), RenderOptions(theme=theme)), update_golden)


def test_registered_as_html() -> None:
    cv = load("minimal")
    assert get_renderer("html").render_format(cv, RenderOptions(), None) == render_standalone(cv)


# --- every fact, structure --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("name", ["minimal", "full"])
def test_every_fact_is_shown(name: str, theme: str) -> None:
    cv = load(name)
    text = "".join(parse(render(cv, RenderOptions(theme=theme))).parts)
    assert missing_facts(cv, text) == []
    assert facts(cv)


def test_document_head_carries_pdf_metadata() -> None:
    document = render(load("full"))
    assert document.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert '<meta charset="utf-8">' in document
    assert "<title>Zoë Ångström-Lee – Curriculum Vitae</title>" in document
    assert '<meta name="author" content="Zoë Ångström-Lee">' in document
    assert '<meta name="keywords" content="AutoML, meta-learning">' in document
    assert '<meta name="description" content="Curriculum vitae of Zoë Ångström-Lee: Ph.D. student &amp; ' in document
    assert '<link rel="stylesheet" href="style.css">' in document


def test_sections_in_order_with_ids_and_headings() -> None:
    cv = load("full")
    document = render(cv)
    ids = re.findall(r'<section class="section section-(\w+)" id="([^"]+)"', document)
    assert [kind for kind, _ in ids] == [section.kind for section in cv.sections]
    assert len({section_id for _, section_id in ids}) == len(ids)
    assert ("publications", "conference-publications") in ids
    headings = re.findall(r"<h2>(.*?)</h2>", document)
    assert headings[0] == "News"  # the untitled text and interests sections have no heading
    assert "Awards &amp; Honors" in headings
    assert len(headings) == sum(1 for section in cv.sections if section.title and not section.group)
    # A group's heading is one level down, inside the section before it.
    assert re.findall(r'<h3 class="group">(.*?)</h3>', document) == ["Workshops &amp; Preprints"]


def test_duplicate_titles_get_distinct_ids() -> None:
    cv = CV.model_validate(
        {
            "name": "A",
            "sections": [
                {"kind": "text", "title": "Notes", "paragraphs": ["one"]},
                {"kind": "text", "title": "Notes", "paragraphs": ["two"]},
            ],
        }
    )
    assert re.findall(r'id="(notes(?:-\d)?)"', render(cv)) == ["notes", "notes-2"]


def test_publication_owner_equal_marks_venue_award_links() -> None:
    document = render(load("full"))
    assert '<strong class="owner">Zoë Ångström-Lee</strong><sup class="equal">*</sup>' in document
    assert '<strong class="owner">Z. Ångström-Lee</strong>' in document  # a name variant
    assert 'Sewoong Lee<sup class="equal">*</sup>' in document
    assert "A. Star*</span>" in document  # a literal star is part of the name, not a mark
    assert document.count('<p class="legend">') == 1
    assert '<em class="venue">NeurIPS</em>' in document
    assert '<span class="award">Spotlight Presentation</span>' in document
    assert '[<a href="https://arxiv.org/abs/2106.08630">paper</a>]' in document
    assert '[<a href="https://github.com/HayeonLee/HELP">code</a>]' in document


def test_equal_legend_once_across_sections() -> None:
    publication = {"title": "T", "authors": ["A*", "B*"]}
    cv = CV.model_validate(
        {
            "name": "A",
            "sections": [
                {"kind": "publications", "title": "Journals", "items": [publication]},
                {"kind": "publications", "title": "Conferences", "items": [publication]},
            ],
        }
    )
    assert render(cv).count("Equal contribution") == 1


def test_dates_in_one_style() -> None:
    document = render(load("full"))
    assert '<span class="when">Mar 2018 – Present</span>' in document
    assert '<span class="when">Dec 2020 – Feb 2021</span>' in document
    assert '<span class="when">8 Dec 2021</span>' in document
    assert '<span class="date">Jan 2021</span>' in document


def test_paper_from_design_or_options() -> None:
    assert "@page { size: letter; }" in render(load("full"))
    assert "@page { size: A4; }" in render(load("minimal"))
    assert "@page { size: letter; }" in render(load("minimal"), RenderOptions(paper="letter"))
    with pytest.raises(CvgenError, match="paper 'a5'"):
        render(load("minimal"), RenderOptions(paper="a5"))


def test_user_template_folder_is_searched_first(tmp_path: Path) -> None:
    (tmp_path / "sections").mkdir()
    (tmp_path / "sections" / "publications.html.j2").write_text("<p>mine: {{ section.entries[0].title }}</p>\n")
    (tmp_path / "style.css").write_text("body { color: red }\n")
    options = RenderOptions(template_dirs=(tmp_path,))
    cv = load("minimal")
    assert "<p>mine: Notes on the Analytical Engine</p>" in render(cv, options)
    assert stylesheet_dir(cv, options) == tmp_path
    assert (stylesheet_dir(cv) / "style.css").is_file()


# --- themes -------------------------------------------------------------------------------------------------------


def test_themes_are_the_base_and_the_theme_folders() -> None:
    assert THEMES[0] == "classic" and "modern" in THEMES
    for theme in THEMES[1:]:
        assert (ROOT / "templates" / "html" / "themes" / theme / "style.css").is_file(), theme


def test_theme_from_the_cv_or_the_command_line() -> None:
    cv = load("full")  # design.theme: classic
    modern = cv.model_copy(update={"design": cv.design.model_copy(update={"theme": "modern"})})
    assert '<ul class="contact">' not in render(cv)
    assert '<ul class="contact">' in render(cv, RenderOptions(theme="modern"))
    assert render(modern) == render(cv, RenderOptions(theme="modern"))
    assert render(modern, RenderOptions(theme="classic")) == render(cv)
    assert stylesheet_dir(modern) == ROOT / "templates" / "html" / "themes" / "modern"
    assert stylesheet_dir(cv) == ROOT / "templates" / "html"


def test_a_theme_overrides_only_what_it_has() -> None:
    """Every file of a theme replaces a base file of the same name (a new name would be a typo, never used)."""
    base = ROOT / "templates" / "html"
    for theme in THEMES[1:]:
        folder = base / "themes" / theme
        for path in folder.rglob("*"):
            if path.is_file():
                assert (base / path.relative_to(folder)).is_file(), f"{path} replaces nothing in {base}"


@pytest.mark.parametrize(("options", "source"), [(RenderOptions(theme="fancy"), "--theme"), (None, "design.theme")])
def test_unknown_theme_names_the_known_ones(options: RenderOptions | None, source: str) -> None:
    cv = load("minimal")
    if options is None:
        cv = cv.model_copy(update={"design": cv.design.model_copy(update={"theme": "fancy"})})
    with pytest.raises(CvgenError) as caught:
        render(cv, options or RenderOptions())
    assert str(caught.value) == f"{source}: there is no HTML theme 'fancy'; use one of {', '.join(THEMES)}"


@pytest.mark.parametrize("theme", ["../latex", "..", "modern/../..", "/etc", ""])
def test_theme_names_are_not_paths(theme: str) -> None:
    cv = load("minimal").model_copy(update={"design": load("minimal").design.model_copy(update={"theme": theme})})
    with pytest.raises(CvgenError, match="there is no HTML theme"):
        render(cv)


def test_a_user_folder_may_supply_a_theme_of_its_own(tmp_path: Path) -> None:
    (tmp_path / "style.css").write_text("body { color: red }\n")
    cv = load("minimal")
    for theme in ("mine", "../latex"):
        folders = html_template_dirs(cv, RenderOptions(theme=theme, template_dirs=(tmp_path,)))
        assert folders == [tmp_path, ROOT / "templates" / "html"]  # a name that is no built-in theme adds no folder
    assert "color: red" in render_standalone(cv, RenderOptions(theme="mine", template_dirs=(tmp_path,)))


def test_the_cv_may_name_template_folders(tmp_path: Path) -> None:
    """design.templates (relative to the CV file) is searched after --templates and before the theme."""
    (tmp_path / "mine" / "sections").mkdir(parents=True)
    (tmp_path / "mine" / "sections" / "publications.html.j2").write_text("<p>from the CV's folder</p>\n")
    (tmp_path / "mine" / "style.css").write_text("p { color: green }\n")
    source = (CVS / "minimal.yaml").read_text(encoding="utf-8")
    (tmp_path / "cv.yaml").write_text(source + "design: {theme: modern, templates: [mine]}\n", encoding="utf-8")
    cv = load_cv(tmp_path / "cv.yaml")
    assert "<p>from the CV's folder</p>" in render(cv)
    assert '<div class="identity">' in render(cv)  # the modern header: the theme still applies
    assert stylesheet_dir(cv) == (tmp_path / "mine").resolve()
    assert "p { color: green }" in render_standalone(cv)


def test_a_user_folder_overrides_a_theme_file(tmp_path: Path) -> None:
    (tmp_path / "header.html.j2").write_text("<header>mine: {{ name }}</header>\n")
    document = render(load("full"), RenderOptions(theme="modern", template_dirs=(tmp_path,)))
    assert "<header>mine: Zoë Ångström-Lee</header>" in document
    assert stylesheet_dir(load("full"), RenderOptions(theme="modern", template_dirs=(tmp_path,))).name == "modern"


# --- escaping -----------------------------------------------------------------------------------------------------


def test_hostile_text_never_becomes_tags() -> None:
    cv = hostile_cv()
    document = render(cv)
    tags = parse(document).tags
    names = [tag for tag, _ in tags]
    assert "img" not in names and "script" not in names and "iframe" not in names and "p" in names
    assert names.count("style") == 1  # the document's own @page rule
    assert [attrs for tag, attrs in tags if tag == "link"] == [{"rel": "stylesheet", "href": "style.css"}]
    assert all("style" not in attrs for _, attrs in tags)
    assert all("onmouseover" not in attrs for _, attrs in tags)
    hrefs = [attrs.get("href") or "" for tag, attrs in tags if tag == "a"]
    assert not [href for href in hrefs if url_problem(href)], hrefs
    assert "&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in document
    assert "&lt;style&gt;@import url(http://127.0.0.1:9/x)&lt;/style&gt;" in document
    text = "".join(parse(document).parts)
    assert missing_facts(cv, text) == []
    assert "click me" in text and "paper" in text and "data" in text  # links keep their words


def test_render_markup_maps_every_span() -> None:
    assert render_markup('**b** _i_ ++u++ ==h== `c<d>` [l](https://x.org/?a=1&b="2")') == Markup(
        '<strong>b</strong> <em>i</em> <u>u</u> <span class="highlight">h</span> <code>c&lt;d&gt;</code> '
        '<a href="https://x.org/?a=1&amp;b=&#34;2&#34;">l</a>'
    )
    assert render_markup("<b>x</b> & 'y'") == Markup("&lt;b&gt;x&lt;/b&gt; &amp; &#39;y&#39;")
    assert render_markup("[rel](papers/a.pdf) [mail](mailto:a@b.org)") == Markup(
        '<a href="papers/a.pdf">rel</a> <a href="mailto:a@b.org">mail</a>'
    )
    assert isinstance(render_markup("x"), Markup)


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:x",
        "java\tscript:x",
        "java\nscript:x",
        "vbscript:x",
        "data:text/html,x",
        "file:///etc/passwd",
        "",
        "  ",
    ],
)
def test_unsafe_urls_are_refused(url: str) -> None:
    assert safe_url(url) is None


@pytest.mark.parametrize(
    "url", ["https://a.org/x?y=1", "http://a.org", "mailto:a@b.org", "papers/x.pdf", "#news", "//a.org/x"]
)
def test_safe_urls_are_kept(url: str) -> None:
    assert safe_url(url) == url


# --- CJK runs -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("한국어 자연어 처리", '<span lang="ko">한국어 자연어 처리</span>'),
        ("NeurIPS에 빅테크", 'NeurIPS<span lang="ko">에 빅테크</span>'),
        ("日本語のテキスト", '<span lang="ja">日本語のテキスト</span>'),
        ("中文文本 text", '<span lang="zh">中文文本</span> text'),
        ("大韓民國 대한민국", '<span lang="ko">大韓民國 대한민국</span>'),
        ("漢字, 한글", '<span lang="ko">漢字</span>, <span lang="ko">한글</span>'),
        ("漢字 and かな", '<span lang="ja">漢字</span> and <span lang="ja">かな</span>'),
        ("plain <latin>", "plain &lt;latin&gt;"),
    ],
)
def test_cjk_runs_carry_their_language(text: str, expected: str) -> None:
    assert escape_text(text) == Markup(expected)


def test_cjk_language_follows_the_whole_field_across_spans() -> None:
    assert render_markup("**漢字** 한글") == Markup(
        '<strong><span lang="ko">漢字</span></strong> <span lang="ko">한글</span>'
    )


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60))
def test_any_markup_renders_to_its_plain_text_in_allowed_tags(source: str) -> None:
    rendered = str(render_markup(source))
    tags = set(re.findall(r"</?([a-z]+)", rendered))
    assert tags <= {"strong", "em", "u", "span", "code", "a"}
    text = html.unescape(re.sub(r"<[^>]*>", "", rendered))
    assert text == plain_text(parse_markup(source))


def test_every_section_kind_has_a_template() -> None:
    folder = ROOT / "templates" / "html"
    assert (folder / "cv.html.j2").is_file() and (folder / "style.css").is_file()
    for kind in SECTION_KINDS:
        assert (folder / "sections" / f"{kind}.html.j2").is_file(), kind


@pytest.mark.parametrize("theme", THEMES)
def test_standalone_document_inlines_the_theme_stylesheet(theme: str) -> None:
    cv = load("minimal")
    document = render_standalone(cv, RenderOptions(theme=theme))
    css = (stylesheet_dir(cv, RenderOptions(theme=theme)) / "style.css").read_text(encoding="utf-8")
    assert '<link rel="stylesheet"' not in document
    assert f"<style>\n{css.rstrip()}\n</style>" in document
    assert "counter(page)" in document and document.count("<style>") == 2
    assert "@media screen" in css


def test_standalone_stylesheet_cannot_end_its_style_element(tmp_path: Path) -> None:
    cv = load("minimal")
    (tmp_path / "style.css").write_text("p { color: red } </style><script>alert(1)</script>")
    with pytest.raises(CvgenError, match="must not contain '</style'"):
        render_standalone(cv, RenderOptions(template_dirs=(tmp_path,)))
