"""Every format says the same thing: the LaTeX and HTML templates get one context from one view, and each of its
values reads the same once each format's syntax is taken away."""

from __future__ import annotations

import html
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import DATA, FIXTURES
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec  # type: ignore[import-untyped]
from pylatexenc.latex2text import get_default_latex_context_db as text_context_db
from pylatexenc.latexwalker import LatexWalker, get_default_latex_context_db  # type: ignore[import-untyped]
from pylatexenc.macrospec import MacroSpec  # type: ignore[import-untyped]

from cvgen.loader import load_cv
from cvgen.model import CV
from cvgen.renderers import html as html_renderer
from cvgen.renderers import latex as latex_renderer
from cvgen.view import build_view

# cvgen's own LaTeX macros, read as the text they show.
_ONE_ARGUMENT = ["cvowner", "cvunderline", "cvstrike", "cvhighlight", "cvnote", "cvvenue", "cvaward", "cvsymbol"]
_WALKER = get_default_latex_context_db()
_WALKER.add_context_category("cvgen", prepend=True, macros=[
    *[MacroSpec(name, "{") for name in _ONE_ARGUMENT], MacroSpec("cvequal", ""), MacroSpec("href", "{{"),
    MacroSpec("textcolor", "[{{"), MacroSpec("newline", ""), MacroSpec("allowbreak", "")])
_TEXT = text_context_db()
_SYMBOLS = {"textless": "<", "textgreater": ">", "textasciicircum": "^", "textasciitilde": "~", "textbackslash": "\\",
            "textbar": "|", "textquotedbl": '"', "textquotesingle": "'", "textasciigrave": "`"}
_WALKER.add_context_category("cvgen-symbols", prepend=True, macros=[MacroSpec(name, "") for name in _SYMBOLS])
_TEXT.add_context_category("cvgen-symbols", prepend=True,
                           macros=[MacroTextSpec(name, simplify_repl=text) for name, text in _SYMBOLS.items()])
_TEXT.add_context_category("cvgen", prepend=True, macros=[
    *[MacroTextSpec(name, simplify_repl="%(1)s") for name in _ONE_ARGUMENT], MacroTextSpec("cvequal", "*"),
    MacroTextSpec("href", simplify_repl="%(2)s"), MacroTextSpec("textcolor", simplify_repl="%(3)s"),
    MacroTextSpec("newline", simplify_repl=" "), MacroTextSpec("allowbreak", simplify_repl="")])
_CONVERTER = LatexNodes2Text(latex_context=_TEXT, math_mode="verbatim")


def latex_text(source: str) -> str:
    nodes, _, _ = LatexWalker(source, latex_context=_WALKER, tolerant_parsing=False).get_latex_nodes()
    return _reading(_CONVERTER.nodelist_to_text(nodes))


def html_text(source: str) -> str:
    return _reading(html.unescape(re.sub(r"<br>", " ", re.sub(r"<(?!br>)[^>]*>", "", source))))


def _reading(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\xa0", " ")).strip()


def _leaves(context: object, path: str = "") -> dict[str, object]:
    """Every value of a context by its path (`sections[2].entries[0].title`), raw blocks left out."""
    if isinstance(context, SimpleNamespace):
        context = vars(context)
    if isinstance(context, dict):
        found: dict[str, object] = {}
        for key, value in context.items():
            if key not in ("body", "raw", "engine", "cjk", "symbol_font", "emoji_pictures", "emoji_folder", "paper",
                           "hyphenation", "stylesheet", "source", "anchor"):
                found |= _leaves(value, f"{path}.{key}" if path else key)
        return found
    if isinstance(context, list):
        return {key: value for index, item in enumerate(context)
                for key, value in _leaves(item, f"{path}[{index}]").items()}
    return {path: context}


def _compare(cv: CV) -> None:
    view = build_view(cv)
    latex = _leaves(latex_renderer.build_context(cv, view=view))
    page = _leaves(html_renderer.build_context(cv, view=view))
    assert latex.keys() == page.keys()
    for key, value in latex.items():
        other = page[key]
        if not isinstance(value, str):
            assert value == other, key
            continue
        assert latex_text(value) == html_text(str(other)), key


@pytest.mark.parametrize("path", [DATA / "cv.yaml", FIXTURES / "cvs" / "full.yaml", FIXTURES / "cvs" / "minimal.yaml"],
                         ids=["seed", "full", "minimal"])
def test_latex_and_html_say_the_same_thing(path: Path) -> None:
    _compare(load_cv(path))


def test_the_five_fields_the_formats_read_differently_now_read_the_same() -> None:
    cv = CV.model_validate({
        "name": "Ada **Lovelace** & [co](https://e.org)",  # literal in both: a name is not markup
        "website": "https://ada.example.org/",
        "sections": [
            {"kind": "experience", "items": [
                {"role": "Intern", "organization": "Lab", "start": "2021-06", "end": "2021-08", "when": "remote"},
                {"role": "Intern", "organization": "Lab", "when": "expected **Summer** 2022"}]},
            {"kind": "service", "groups": [{"entries": [{"venue": "ICML", "years": ["2021 (**expert**)"]}]}]},
        ]})
    _compare(cv)
    latex = latex_renderer.build_context(cv)
    page = html_renderer.build_context(cv)
    assert latex_text(latex["name"]) == html_text(str(page["name"])) == "Ada **Lovelace** & [co](https://e.org)"
    assert latex_text(latex["metadata"].title) == html_text(str(page["metadata"].title)) == (
        "Ada **Lovelace** & [co](https://e.org) \u2013 Curriculum Vitae")
    assert r"\href{https://ada.example.org/}" in latex["website"].link
    assert 'href="https://ada.example.org/"' in page["website"].link
    first, second = latex["sections"][0].entries
    assert latex_text(first.period) == "Jun 2021 \u2013 Aug 2021" and latex_text(first.note) == "remote"
    assert latex_text(second.period) == "expected Summer 2022" and second.note is None
    (group,) = latex["sections"][1].groups
    assert [latex_text(year) for year in group.entries[0].years] == ["2021 (**expert**)"]
