"""The LaTeX renderer: golden .tex files, escaping of hostile text, engine choice, and real TeX compiles."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
import unicodedata
import zlib
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import FIXTURES, ROOT, require, require_font
from hypothesis import example, given, settings
from hypothesis import strategies as st
from pylatexenc.latexencode import get_builtin_uni2latex_dict  # type: ignore[import-untyped]
from support import (
    KOREAN_WORDS,
    RAW_PAGES,
    assert_golden,
    assert_raw_pages_read_as_on_the_page,
    facts,
    korean_lines_keep_words,
    missing_facts,
    pdf_fonts,
    pdf_page_count,
    pdf_text,
    raw_cv,
    squash,
)

from cvgen.errors import CvgenError
from cvgen.fonts import colour_emoji_png, is_drawable
from cvgen.latexmk import LatexResult, compile_latex, compile_latex_with_log
from cvgen.loader import load_cv
from cvgen.markup import parse_markup, plain_text
from cvgen.model import CV, SECTION_KINDS, ExperienceSection
from cvgen.renderers import RenderOptions, get_renderer
from cvgen.renderers.latex import (
    build_context,
    choose_engine,
    cjk_fonts,
    escape_breakable,
    escape_latex,
    escape_url,
    fallback_family,
    href,
    latex_files,
    pdflatex_settable,
    render,
    render_markup,
)
from cvgen.templates import builtin_templates_dir, search_path

CVS = FIXTURES / "cvs"
GOLDEN = ROOT / "tests" / "golden" / "latex"
KOREAN_FONT = "Noto Serif CJK KR"
TEX_SPECIALS = "\\{}#$%&~_^"


def load(name: str) -> CV:
    return load_cv(CVS / f"{name}.yaml")


@dataclass(frozen=True)
class Compiled:
    """A CV rendered and compiled once per module: its .tex, PDF file, log and text."""

    cv: CV
    tex: str
    pdf: Path
    log: str
    text: str


def compile_cv(cv: CV, folder: Path, name: str, options: RenderOptions = RenderOptions()) -> Compiled:
    tex = render(cv, options)
    result: LatexResult = compile_latex_with_log(tex, choose_engine(cv))
    pdf = folder / f"{name}.pdf"
    pdf.write_bytes(result.pdf)
    return Compiled(cv, tex, pdf, result.log, pdf_text(pdf))


def overfull_boxes(log: str) -> list[str]:
    return [line for line in log.splitlines() if line.startswith("Overfull \\hbox")]


def log_problems(log: str) -> list[str]:
    """Errors, LaTeX warnings and lost characters in a log (overfull boxes are checked on their own)."""
    return [line for line in log.splitlines()
            if line.startswith("! ") or "LaTeX Warning" in line or line.startswith("Missing character")]


def pdf_info(pdf: Path) -> dict[str, str]:
    """The document information of a PDF (Title, Author, Subject, Keywords…), from pdfinfo."""
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return dict(re.findall(r"^(\w+):[ \t]*(.*)$", info, re.MULTILINE))


# --- golden files -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("theme", ["classic", "modern"])
@pytest.mark.parametrize("name", ["minimal", "full"])
def test_golden_tex(name: str, theme: str, update_golden: bool) -> None:
    assert_golden(GOLDEN / theme / f"{name}.tex", render(load(name), RenderOptions(theme=theme)), update_golden)


def test_registry_finds_the_latex_renderer() -> None:
    assert get_renderer("latex").render_format(load("minimal"), RenderOptions(), None) == render(load("minimal"))


def test_every_section_kind_has_a_template() -> None:
    folder = builtin_templates_dir() / "latex" / "sections"
    assert {path.name.removesuffix(".tex.j2") for path in folder.glob("*.tex.j2")} >= set(SECTION_KINDS)


# --- escape_latex -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("\\", r"{\textbackslash}"),
        ("{", r"{\{}"),
        ("}", r"{\}}"),
        ("#", r"{\#}"),
        ("$", r"{\$}"),
        ("%", r"{\%}"),
        ("&", r"{\&}"),
        ("_", r"{\_}"),
        ("~", r"{\textasciitilde}"),
        ("^", r"{\textasciicircum}"),
        ("<", r"{\textless}"),
        (">", r"{\textgreater}"),
        ("|", r"{\textbar}"),
        ('"', r"{\textquotedbl}"),
        ("'", r"{\textquotesingle}"),
        ("`", r"{\textasciigrave}"),
        ("[", "{[}"),
        ("]", "{]}"),
        ("a--b---c", "a-{}-b-{}-{}-c"),
        (",,", ",{},"),
        ("plain text 123.", "plain text 123."),
        ("Zoë", r'Zo{\"e}'),
        # Latin Modern has no Cyrillic: the run goes to an installed font that has it (DejaVu Serif, with Debian's).
        ("한국어 漢字 かな Жук", f"한국어 漢字 かな \\cvfallback{{{fallback_family('Ж')}}}{{Жук}}"),
        ("a\u00a0b", "a{~}b"),
        ("a\n\nb\t c", "a b c"),
        ("a\x07b\ufeffc", "abc"),
        ("e\u0301", r"{\'e}"),
    ],
)
def test_escape_latex(text: str, expected: str) -> None:
    assert escape_latex(text) == expected


@pytest.mark.parametrize(
    "hostile",
    [
        r"\input{/etc/passwd}",
        r"\immediate\write18{touch /tmp/pwned}",
        r"^^5cinput{/etc/passwd}",
        r"\catcode`\{=12",
        r"\openin\x=/etc/passwd \read\x to\y",
        r"\def\x{}",
        "$$",
        "%",
        "}}}{",
    ],
)
def test_escape_latex_leaves_no_command(hostile: str) -> None:
    assert unescaped_specials(escape_latex(hostile)) == []
    assert "input" not in re.findall(r"\\([A-Za-z]+)", escape_latex(hostile))


# Every command escape_latex may write: its own replacements and pylatexenc's for characters pdflatex can set.
_KNOWN_COMMANDS = {
    command
    for replacement in get_builtin_uni2latex_dict().values()
    for command in re.findall(r"\\(?:[A-Za-z]+|.)", replacement)
} | {r"\textbackslash", r"\{", r"\}", r"\#", r"\$", r"\%", r"\&", r"\_", r"\textasciitilde", r"\textasciicircum",
     r"\textless", r"\textgreater", r"\textbar", r"\textquotedbl", r"\textquotesingle", r"\textasciigrave",
     r"\ensuremath", r"\prime", r"\-", r"\hspace", r"\allowbreak",
     # cvgen's own: emoji; a code point no font draws; a font for a run, told its script, right to left; a picture
     r"\cvsymbol", r"\cvmissing", r"\cvfallback", r"\cvscript", r"\cvrtl", r"\cvemoji"}


def unescaped_specials(latex: str) -> list[str]:
    """What in escaped text TeX would read as something other than text: unknown commands, bare specials,
    unbalanced braces."""
    problems = []
    depth = 0
    # A tie (~, for U+00A0) and brackets in braces (never an optional argument) are the specials it may write.
    latex = latex.replace("{~}", "").replace("{[}", "").replace("{]}", "")
    for token in re.findall(r"\\(?:[A-Za-z]+|.)|.", latex, re.DOTALL):
        if token.startswith("\\"):
            if token not in _KNOWN_COMMANDS:
                problems.append(token)
        elif token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
            if depth < 0:
                problems.append("unbalanced }")
        elif token in "#$%&~_^[]\x00\n":
            problems.append(token)
    if depth:
        problems.append("unbalanced {")
    return problems


def test_emoji_go_to_the_symbol_font_and_selectors_are_dropped() -> None:
    assert escape_latex("Awards 🏆\ufe0f & ✂") == r"Awards \cvsymbol{🏆} {\&} \cvsymbol{✂}"
    # A pictograph no installed font draws (Unicode 16, after Debian 12's fonts) shows its code point.
    assert not is_drawable("\U0001FAE9")
    assert escape_latex("\U0001FAE9") == r"\cvmissing{U+1FAE9}"
    assert escape_latex("한국 数据") == "한국 数据"  # CJK stays with the CJK fonts


def test_an_emoji_only_a_colour_font_has_is_its_picture() -> None:
    """🧬 (Unicode 11) is in no font of outlines Debian 12 has, only in Noto Color Emoji's bitmaps, which XeTeX
    cannot draw: the document places the picture, and names it for the files beside the .tex."""
    require_font("Noto Color Emoji")
    assert not is_drawable("🧬", outline_only=True)
    latex = escape_latex("DNA 🧬")
    assert latex == r"DNA \cvemoji{1f9ec}{D83EDDEC}{🧬}"
    picture = latex_files(latex)["cvgen-emoji/1f9ec.png"]
    assert picture.startswith(b"\x89PNG")


def test_runs_of_other_scripts_keep_their_spaces_and_are_told_their_script() -> None:
    for font in ("Noto Naskh Arabic", "Noto Serif Hebrew", "Noto Serif Devanagari", "Noto Serif Thai"):
        require_font(font)
    assert escape_breakable("Arabic مرحبا بالعالم, Hebrew שלום עולם.") == (
        r"Arabic \cvrtl{Noto Naskh Arabic}{Arabic}{مرحبا بالعالم}, "
        r"Hebrew \cvrtl{Noto Serif Hebrew}{Hebrew}{שלום עולם}.")
    assert escape_latex("नमस्ते दुनिया and สวัสดี") == (
        r"\cvscript{Noto Serif Devanagari}{Devanagari}{नमस्ते दुनिया} and \cvscript{Noto Serif Thai}{Thai}{สวัสดี}")


@given(st.text())
def test_escaped_text_holds_no_unescaped_special(text: str) -> None:
    assert unescaped_specials(escape_latex(text)) == []
    assert unescaped_specials(escape_breakable(text)) == []


@given(st.text(st.sampled_from("aZ09 .:;!?()*+=@/,-_&%\\{}\t\n\x00\x1f\x7fé")))
def test_plain_text_shortcut_matches_pylatexenc(text: str) -> None:
    from cvgen.renderers.latex import _encoder

    cleaned = re.sub(r"[ \t\n]+", " ", text).translate(dict.fromkeys([*range(0x20), 0x7F]))
    assert escape_latex(text) == _encoder().unicode_to_latex(unicodedata.normalize("NFC", cleaned))


@given(st.text())
@example("🥬")  # a colour emoji no font of outlines draws (found by this test in CI)
def test_escaped_text_keeps_every_letter(text: str) -> None:
    # Characters pdflatex cannot set pass through as themselves, for xelatex.
    for character in unicodedata.normalize("NFC", text):
        variation_selector = "\ufe00" <= character <= "\ufe0f"  # dropped: they have no glyph of their own
        if not pdflatex_settable(character) and not variation_selector \
                and unicodedata.category(character) not in ("Cc", "Cf", "Cs", "Zl", "Zp"):
            drawn = is_drawable(character, outline_only=True) or colour_emoji_png(character) is not None
            kept = character if drawn else f"U+{ord(character):04X}"
            # itself (a colour emoji's picture keeps it for copying), or its code point when nothing draws it
            assert kept in escape_latex(text)


# Text a reader can check in pdftotext's output: ASCII, TeX's specials and a few accented letters.
_SAMPLE_ALPHABET = st.sampled_from(
    list("abcXYZ019 .,;:!?-'\"`<>|()[]*/+=@") + list(TEX_SPECIALS) + list("éüßÅøŁ") + ["--", ",,", "^^5c", "fi"]
)


@settings(max_examples=3, deadline=None)
@given(samples=st.lists(st.lists(_SAMPLE_ALPHABET, min_size=1, max_size=30).map("".join), min_size=20, max_size=20))
def test_escaped_samples_compile_and_read_back(samples: list[str], tmp_path_factory: pytest.TempPathFactory) -> None:
    require("latexmk", "pdflatex", "pdftotext")
    body = "\n".join(rf"\noindent[{index}]{escape_breakable(sample)}[/{index}]\par" for index, sample in
                     enumerate(samples))
    tex = "\n".join([
        r"\documentclass{article}", r"\usepackage[T1]{fontenc}", r"\usepackage[utf8]{inputenc}",
        r"\usepackage{lmodern}", r"\usepackage{textcomp}", r"\input{glyphtounicode}", r"\pdfgentounicode=1",
        r"\begin{document}", body, r"\end{document}", "",
    ])
    result = compile_latex_with_log(tex, "pdflatex")
    pdf = tmp_path_factory.mktemp("samples") / "samples.pdf"
    pdf.write_bytes(result.pdf)
    text = squash(pdf_text(pdf))
    for index, sample in enumerate(samples):
        assert f"[{index}]{squash(sample)}[/{index}]" in text


def test_every_settable_character_compiles_in_both_engines() -> None:
    """The law behind choose_engine: what pdflatex_settable admits, pdflatex and xelatex can both set."""
    require("latexmk", "pdflatex", "xelatex")
    from cvgen.renderers.latex import _pdflatex_characters

    body = "\n".join(rf"U+{ord(character):04X} {escape_latex(character)}\par"
                     for character in sorted(_pdflatex_characters()))
    preambles = {
        "pdflatex": r"\usepackage[T1]{fontenc}\usepackage[utf8]{inputenc}\usepackage{lmodern}\usepackage{textcomp}",
        "xelatex": r"\usepackage{fontspec}\tracinglostchars=2",
    }
    for engine, preamble in preambles.items():
        tex = f"\\documentclass{{article}}\n{preamble}\n\\begin{{document}}\n{body}\n\\end{{document}}\n"
        compile_latex_with_log(tex, engine)  # raises on any error or missing character


# --- markup and URLs ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("**bold**", r"\textbf{bold}"),
        ("_it_", r"\emph{it}"),
        ("++two words++", r"\cvunderline{two} \cvunderline{words}"),
        ("==Spotlight==", r"\cvhighlight{Spotlight}"),
        ("`a_b`", r"\texttt{a{\_}b}"),
        ("[**x**](https://e.org/?a=1&b=2)", r"\href{https://e.org/?a=1\string&b=2}{\cvnohyphens{\textbf{x}}}"),
        ("100% & <b>", r"100{\%} {\&} {\textless}b{\textgreater}"),
        (r"\*not bold\*", "*not bold*"),
    ],
)
def test_render_markup(source: str, expected: str) -> None:
    assert render_markup(source) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/~zoe", r"https://example.org/\string~zoe"),
        ("https://e.org/a_b?x=1&y=2%20#frag", r"https://e.org/a\string_b?x=1\string&y=2\%20\#frag"),
        ("https://e.org/{x}\\y z", r"https://e.org/\%7Bx\%7D\%5Cy\%20z"),
        ("https://e.org/$^", r"https://e.org/\string$\string^"),
        ("https://e.org/한", r"https://e.org/\%ED\%95\%9C"),
        ("https://例え.jp/", "https://xn--r8jz45g.jp/"),
    ],
)
def test_escape_url(url: str, expected: str) -> None:
    assert escape_url(url) == expected


@given(st.text())
def test_escaped_urls_hold_no_unescaped_special(url: str) -> None:
    escaped = escape_url(url)
    assert re.sub(r"\\string[~_&$^]|\\[%#]", "", escaped).isascii()
    assert not re.search(r"[{}\\%#~_&$^\s]", re.sub(r"\\string[~_&$^]|\\[%#]", "", escaped))


LINK_TARGETS = {
    "https://example.org/~zoe/a_b?x=1&y=2%20z#frag": "https://example.org/~zoe/a_b?x=1&y=2%20z#frag",
    "https://e.org/$^()!*'+,;=:@": "https://e.org/$^()!*'+,;=:@",
    "https://e.org/{x}\\y z|<>\"`": "https://e.org/%7Bx%7D%5Cy%20z%7C%3C%3E%22%60",
    "mailto:ada@example.org": "mailto:ada@example.org",
}


@pytest.mark.parametrize("engine", ["pdflatex", "xelatex"])
def test_links_go_where_the_url_says(engine: str) -> None:
    require("latexmk", engine)
    links = "\n".join(rf"\textbf{{\emph{{{href(url, 'x')}}}}}\par" for url in LINK_TARGETS)
    tex = "\n".join([r"\documentclass{article}", r"\usepackage{hyperref}", r"\newcommand{\cvnohyphens}[1]{#1}",
                     r"\begin{document}", links,
                     r"\end{document}", ""])
    pdf = compile_latex_with_log(tex, engine).pdf
    assert link_targets(pdf) == list(LINK_TARGETS.values())


def link_targets(pdf: bytes) -> list[str]:
    """The /URI of every link in a PDF, from its (possibly compressed) objects."""
    chunks = [pdf] + [zlib.decompress(match.group(1)) for match in
                      re.finditer(rb"stream\r?\n(.*?)endstream", pdf, re.DOTALL) if _inflates(match.group(1))]
    uris = [uri for chunk in chunks for uri in re.findall(rb"/URI\s*\(((?:[^()\\]|\\.)*)\)", chunk, re.DOTALL)]
    return [re.sub(rb"\\(.)", rb"\1", uri).decode("latin-1") for uri in uris]


def _inflates(data: bytes) -> bool:
    try:
        zlib.decompress(data)
    except zlib.error:
        return False
    return True


def test_long_words_get_break_points() -> None:
    url = "https://example.org/" + "a" * 60 + "/b_c"
    escaped = escape_breakable(url)
    assert r"\allowbreak{}" in escaped
    assert escaped.replace(r"\allowbreak{}", "") == escape_latex(url)
    assert escape_breakable("short words stay as they are") == "short words stay as they are"


# --- the document -------------------------------------------------------------------------------------------------


def test_engine_choice() -> None:
    assert choose_engine(load("minimal")) == "pdflatex"
    assert choose_engine(load("full")) == "xelatex"
    assert choose_engine(cv_with(name="Zoë Ångström Łukasiewicz — x ≤ y")) == "pdflatex"
    # Greek is set upright in a font that has it (pylatexenc's math letters would be italic, ο a Latin o)
    assert choose_engine(cv_with(name="Γιώργος Παπαδόπουλος")) == "xelatex"
    assert escape_latex("Γιώργος") == rf"\cvfallback{{{fallback_family('Γ')}}}{{Γιώργος}}"
    assert choose_engine(cv_with(name="Пётр Чайковский")) == "xelatex"
    assert choose_engine(cv_with(name="Ada", keywords=["機械学習"])) == "xelatex"


def test_cjk_fonts_are_named_per_language() -> None:
    korean = cjk_fonts(load("full"))
    assert korean is not None and korean.package == "kotex" and korean.serif == KOREAN_FONT
    japanese = cjk_fonts(cv_with(name="かな 漢字"))
    assert japanese is not None and japanese.serif == "Noto Serif CJK JP"
    chinese = cjk_fonts(cv_with(name="漢字"))
    assert chinese is not None and chinese.serif == "Noto Serif CJK SC"
    assert cjk_fonts(load("minimal")) is None


def test_preamble_follows_the_engine() -> None:
    minimal = render(load("minimal"))
    assert r"\usepackage[T1]{fontenc}" in minimal and "fontspec" not in minimal
    full = render(load("full"))
    assert r"\usepackage{kotex}" in full and r"\setmainhangulfont{Noto Serif CJK KR}" in full
    assert "fontenc" not in full


def test_untitled_sections_have_no_heading() -> None:
    tex = render(load("full"))
    body = tex[tex.index(r"\end{center}"):]
    assert body.index("I work at") < body.index(r"\cvsection")
    sections = load("full").sections
    assert tex.count(r"\cvsection{") == sum(1 for section in sections if section.title and not section.group)
    assert tex.count(r"\cvgroup{") == sum(1 for section in sections if section.title and section.group) == 1


def test_owner_and_equal_contribution() -> None:
    tex = render(load("full"))
    assert r"\cvowner{\cvname{Zo{\"e} {\r{A}}ngstr{\"o}m-Lee}}\cvequal{}" in tex
    assert r"\cvowner{\cvname{Z. {\r{A}}ngstr{\"o}m-Lee}}" in tex  # a name variant
    assert r"\cvname{Sewoong Lee}\cvequal{}" in tex and "A. Star*" in tex


def test_equal_contribution_legend_shown_once() -> None:
    cv = load("full")
    publications = next(section for section in cv.sections if section.kind == "publications")
    cv = cv.model_copy(update={"sections": [*cv.sections, publications]})
    assert render(cv).count("Equal contribution") == 1
    assert "Equal contribution" not in render(load("minimal"))


def test_paper_size_from_the_cv_or_the_options() -> None:
    assert "letterpaper" in render(load("full"))
    assert "a4paper" in render(load("minimal"))
    assert "letterpaper" in render(load("minimal"), RenderOptions(paper="letter"))


def test_context_is_escaped_before_templates() -> None:
    context = build_context(cv_with(name="A_B & C", headline="50% {x}"))
    assert context["metadata"].author == r"A{\_}B {\&} C"
    assert context["headline"] == r"50{\%} {\{}x{\}}"


def test_engine_can_be_chosen() -> None:
    assert "fontspec" in render(load("minimal"), engine="xelatex")
    with pytest.raises(CvgenError, match="pdflatex cannot set"):
        render(load("full"), engine="pdflatex")
    with pytest.raises(CvgenError, match="unknown LaTeX engine"):
        render(load("minimal"), engine="lualatex")


def test_sections_in_the_cv_order() -> None:
    tex = render(load("full"))
    sections = [section for section in load("full").sections if section.title]
    positions = [tex.index(rf"\{'cvgroup' if section.group else 'cvsection'}{{{render_markup(section.title or '')}}}")
                 for section in sections]
    assert positions == sorted(positions)


def test_unknown_theme_is_an_error() -> None:
    with pytest.raises(CvgenError, match="--theme: there is no LaTeX theme 'fancy'; use one of classic, modern"):
        render(load("minimal"), RenderOptions(theme="fancy"))
    cv = load("minimal")
    cv = cv.model_copy(update={"design": cv.design.model_copy(update={"theme": "fancy"})})
    with pytest.raises(CvgenError, match="design.theme: there is no LaTeX theme 'fancy'"):
        render(cv)


@pytest.mark.parametrize("theme", ["../../html", "..", "modern/..", "/etc"])
def test_a_theme_is_a_name_never_a_path(theme: str) -> None:
    with pytest.raises(CvgenError, match="no LaTeX theme"):
        render(load("minimal"), RenderOptions(theme=theme))


def test_modern_theme_changes_the_look_only() -> None:
    classic = render(load("full"))
    modern = render(load("full"), RenderOptions(theme="modern"))
    assert classic != modern
    body = classic[classic.index("% cvgen: sections[0]\n"):]
    assert modern.endswith(body)


def test_user_template_folder_comes_first(tmp_path: Path) -> None:
    (tmp_path / "sections").mkdir()
    (tmp_path / "sections" / "publications.tex.j2").write_text(r"MY PUBLICATIONS \VAR{section.title}" + "\n")
    tex = render(load("minimal"), RenderOptions(template_dirs=(tmp_path,)))
    assert "MY PUBLICATIONS Publications" in tex


def template_folder(folder: Path, section: str, text: str) -> Path:
    """A user template folder whose sections/<section>.tex.j2 writes `text` and the section's title."""
    (folder / "sections").mkdir(parents=True)
    (folder / "sections" / f"{section}.tex.j2").write_text(text + r" \VAR{section.title}" + "\n", encoding="utf-8")
    return folder


def cv_naming_templates(folder: Path, *templates: str) -> Path:
    """The full CV, saved in `folder` with `design.templates` naming the given folders."""
    text = (CVS / "full.yaml").read_text(encoding="utf-8")
    listed = ", ".join(f"'{template}'" for template in templates)
    text = text.replace("design:\n", f"design:\n  templates: [{listed}]\n", 1)
    path = folder / "cv.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_cv_names_its_template_folders_relative_to_itself(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cv_folder = tmp_path / "my-cv"
    overrides = template_folder(cv_folder / "my-templates", "news", "NEWS FROM THE CV FOLDER")
    path = cv_naming_templates(cv_folder, "my-templates")
    monkeypatch.chdir(tmp_path)  # elsewhere than the CV: the folder is found beside the CV file all the same
    cv = load_cv(path.relative_to(tmp_path))
    assert cv.design.templates == [str(overrides.resolve())]
    tex = render(cv)
    assert "NEWS FROM THE CV FOLDER News" in tex
    assert tex.replace("NEWS FROM THE CV FOLDER News\n", "") != render(load("full"))  # only news changed…
    assert r"\cvsection{Education}" in tex  # …the other sections are the built-in ones


def test_command_line_templates_win_over_the_cv_folder(tmp_path: Path) -> None:
    template_folder(tmp_path / "cv-templates", "news", "NEWS FROM THE CV FOLDER")
    template_folder(tmp_path / "cv-templates-2", "talks", "TALKS FROM THE CV FOLDER")
    command_line = template_folder(tmp_path / "command-line", "news", "NEWS FROM --templates")
    cv = load_cv(cv_naming_templates(tmp_path, "cv-templates", str(tmp_path / "cv-templates-2")))
    tex = render(cv, RenderOptions(template_dirs=(command_line,)))
    assert "NEWS FROM --templates News" in tex and "NEWS FROM THE CV FOLDER" not in tex
    assert "TALKS FROM THE CV FOLDER Talks" in tex  # an absolute folder, and the second one, are searched too


def test_search_path_order(tmp_path: Path) -> None:
    command_line, named = tmp_path / "command-line", tmp_path / "named"
    command_line.mkdir()
    named.mkdir()
    cv = load("full").model_copy(update={"design": load("full").design.model_copy(update={"templates": [str(named)]})})
    base = builtin_templates_dir() / "latex"
    assert search_path("latex", cv, RenderOptions(template_dirs=(command_line,))) == [command_line, named, base]
    assert search_path("latex", cv, RenderOptions(theme="modern")) == [named, base / "themes" / "modern", base]


def test_missing_template_folder_is_an_error(tmp_path: Path) -> None:
    cv = load_cv(cv_naming_templates(tmp_path, "nowhere"))
    with pytest.raises(CvgenError, match=r"design\.templates\[0\]: the template folder .*nowhere does not exist"):
        render(cv)
    with pytest.raises(CvgenError, match=r"--templates: the template folder .*elsewhere does not exist"):
        render(load("minimal"), RenderOptions(template_dirs=(tmp_path / "elsewhere",)))


def test_a_template_folder_with_its_own_cv_template_is_a_theme(tmp_path: Path) -> None:
    (tmp_path / "cv.tex.j2").write_text(r"\BLOCK{ extends 'layout.tex.j2' }\BLOCK{ block look }MINE\BLOCK{ endblock }")
    cv = load_cv(cv_naming_templates(tmp_path, "."))
    cv = cv.model_copy(update={"design": cv.design.model_copy(update={"theme": "mine"})})
    assert "MINE" in render(cv)


# --- which CV field a .tex line came from -------------------------------------------------------------------------

_MARKER = re.compile(r"^% cvgen: (\(template\)|[a-z_]+(\[\d+\])?(\.[a-z_]+\[\d+\])*(, [a-z_]+)*)$")


@pytest.mark.parametrize("theme", ["classic", "modern"])
def test_source_markers_are_whole_comment_lines(theme: str) -> None:
    tex = render(load("full"), RenderOptions(theme=theme))
    markers = [line for line in tex.splitlines() if "cvgen:" in line]
    assert [line for line in markers if not _MARKER.match(line)] == []
    cv = load("full")
    entries = sum(len(getattr(section, "items", getattr(section, "paragraphs", []))) for section in cv.sections)
    assert len(markers) > len(cv.sections) + entries


def test_source_markers_name_sections_and_entries() -> None:
    tex = render(load("full"))
    kinds = [section.kind for section in load("full").sections]
    publications = kinds.index("publications")
    after = tex.split(f"% cvgen: sections[{publications}].items[1]\n", 1)[1]
    assert after.startswith(r"\item \textbf{NO}")
    talks = kinds.index("talks")
    assert f"% cvgen: sections[{talks}].items[0].venues[1]\n" in tex
    service = kinds.index("service")
    assert f"% cvgen: sections[{service}].groups[1].entries[0]\n" in tex


_BROKEN_PUBLICATIONS = r"""\BLOCK{ include "sections/heading.tex.j2" }
\begin{cvpublications}
\BLOCK{ for item in section.entries }
% cvgen: \VAR{item.source}
\item \VAR{item.title}\BLOCK{ if loop.index == 2 } \undefinedmacro\BLOCK{ endif }

\BLOCK{ endfor }
\end{cvpublications}
"""


def test_latex_error_names_the_tex_line_and_the_cv_field(tmp_path: Path) -> None:
    require("latexmk", "pdflatex")
    (tmp_path / "sections").mkdir()
    (tmp_path / "sections" / "publications.tex.j2").write_text(_BROKEN_PUBLICATIONS, encoding="utf-8")
    cv = cv_with(name="Ada Lovelace")
    section = cv.sections[1]
    section = section.model_copy(update={"items": section.items * 3})  # type: ignore[union-attr]
    cv = cv.model_copy(update={"sections": [cv.sections[0], section]})
    tex = render(cv, RenderOptions(template_dirs=(tmp_path,)))
    line = next(number for number, text in enumerate(tex.splitlines(), 1) if r"\undefinedmacro" in text)
    with pytest.raises(CvgenError) as caught:
        compile_latex(tex, "pdflatex")
    message = str(caught.value)
    assert f"LaTeX error at line {line} of the generated .tex (from sections[1].items[1] in the CV)" in message
    assert "Undefined control sequence" in message and r"\undefinedmacro" in message


def test_latex_error_in_a_template_without_markers_names_the_section(tmp_path: Path) -> None:
    require("latexmk", "pdflatex")
    template_folder(tmp_path, "publications", r"\brokenheading")
    with pytest.raises(CvgenError, match=r"\(from sections\[0\] in the CV\): Undefined control sequence"):
        compile_latex(render(load("minimal"), RenderOptions(template_dirs=(tmp_path,))), "pdflatex")


# --- dates ---------------------------------------------------------------------------------------------------------

_DISPLAY_DATE = re.compile(r"(\d{1,2} )?([A-Z][a-z]{2} )?\d{4}|(Spring|Summer|Fall|Autumn|Winter) \d{4}|Present")


def shown_dates(context: object) -> list[str]:
    """Every date a LaTeX context shows (dates, years, both ends of periods)."""
    if isinstance(context, SimpleNamespace):
        context = vars(context)
    if isinstance(context, dict):
        found = []
        for key, value in context.items():
            if key in ("date", "year", "period") and isinstance(value, str):
                found += [part for period in value.split(", ") for part in period.split(r"~\textendash{} ")]
            else:
                found += shown_dates(value)
        return found
    if isinstance(context, list):
        return [date for item in context for date in shown_dates(item)]
    return []


def test_dates_are_shown_in_one_style(seed_cv: CV) -> None:
    for cv in (load("full"), seed_cv):
        # A position's `when` ('expected at Summer 2022') is free text: its period when there are no dates.
        when = {render_markup(item.when) for section in cv.sections if isinstance(section, ExperienceSection)
                for item in section.items if item.when}
        dates = [date for date in shown_dates(build_context(cv)) if date not in when]
        assert len(dates) > 5
        assert [date for date in dates if not _DISPLAY_DATE.fullmatch(date)] == []
    tex = render(load("full"))  # news written '2022-02' and 'Jan. 2021'
    assert r"\item[{Feb 2022}]" in tex and r"\item[{Jan 2021}]" in tex


# --- compiled with real TeX ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def compiled_minimal(tmp_path_factory: pytest.TempPathFactory) -> Compiled:
    require("latexmk", "pdflatex", "pdftotext")
    return compile_cv(load("minimal"), tmp_path_factory.mktemp("latex"), "minimal")


@pytest.fixture(scope="module")
def compiled_full(tmp_path_factory: pytest.TempPathFactory) -> Compiled:
    require("latexmk", "xelatex", "pdftotext", "pdffonts")
    require_font(KOREAN_FONT)
    return compile_cv(load("full"), tmp_path_factory.mktemp("latex"), "full")


def test_minimal_pdf_shows_every_fact(compiled_minimal: Compiled) -> None:
    assert missing_facts(compiled_minimal.cv, compiled_minimal.text) == []
    assert pdf_page_count(compiled_minimal.pdf) == 1
    assert overfull_boxes(compiled_minimal.log) == []


def test_full_pdf_shows_every_fact(compiled_full: Compiled) -> None:
    assert facts(compiled_full.cv)  # the check below is not vacuous
    assert missing_facts(compiled_full.cv, compiled_full.text) == []
    assert "[paper]" in compiled_full.text and "[code]" in compiled_full.text
    for hidden in ("front_matter", "permalink", "About Me", "darkred"):  # homepage-only values
        assert hidden not in compiled_full.text


def test_full_pdf_embeds_a_korean_font(compiled_full: Compiled) -> None:
    fonts = pdf_fonts(compiled_full.pdf)
    assert any("CJK" in line and line.split()[-5] == "yes" for line in fonts), fonts


@pytest.mark.parametrize("theme", ["classic", "modern"])
def test_hanja_in_a_korean_cv_are_set_in_the_korean_fonts(tmp_path: Path, theme: str) -> None:
    require("latexmk", "xelatex", "pdftotext", "pdffonts")
    require_font(KOREAN_FONT)
    # The template sets no Hanja fonts: kotex sets Hanja in the Hangul fonts (serif, sans and mono alike).
    cv = cv_with(name="이하연 李夏妍", headline="韓國 **漢字** `漢字 한자`", title="한자 漢字")
    compiled = compile_cv(cv, tmp_path, "hanja", RenderOptions(theme=theme))  # a missing character is an error
    assert "李夏妍" in compiled.text and "漢字 한자" in compiled.text
    assert r"\setmainhanjafont" not in compiled.tex
    fonts = [line.split()[0].split("+")[-1] for line in pdf_fonts(compiled.pdf) if "CJK" in line]
    assert fonts and all("Noto" in font for font in fonts), fonts


def test_full_pdf_has_no_overfull_box(compiled_full: Compiled) -> None:
    assert overfull_boxes(compiled_full.log) == []


def test_full_pdf_sections_in_the_cv_order(compiled_full: Compiled) -> None:
    text = squash(compiled_full.text)
    titles = [squash(plain_text(parse_markup(section.title))) for section in compiled_full.cv.sections if section.title]
    positions = [text.index(title) for title in titles]
    assert positions == sorted(positions)


def test_minimal_pdf_metadata(compiled_minimal: Compiled) -> None:
    require("pdfinfo")
    fields = pdf_info(compiled_minimal.pdf)
    assert fields["Title"] == "Ada Lovelace \u2013 Curriculum Vitae"
    assert fields["Author"] == "Ada Lovelace"
    assert fields["Subject"] == "Curriculum Vitae"
    assert fields["Keywords"] == ""
    assert fields["Creator"] == "cvgen"


def test_full_pdf_metadata(compiled_full: Compiled) -> None:
    require("pdfinfo")
    fields = pdf_info(compiled_full.pdf)
    assert fields["Title"] == "Zoë Ångström-Lee \u2013 Curriculum Vitae"
    assert fields["Author"] == "Zoë Ångström-Lee"
    assert fields["Keywords"] == "AutoML, meta-learning"
    assert fields["Subject"] == "Ph.D. student & researcher, 100% on AutoML #1"


HOSTILE = [
    r"\input{/etc/passwd}",
    r"\immediate\write18{touch PWNED}",
    r"^^5cinput{/etc/passwd}",
    r"\catcode`\{=12",
    r"\openin\x=/etc/passwd \read\x to\y",
    r"\def\x{}",
    "$$",
    "100%",
    "}}}{{",
    r"\end{document}",
]


def hostile_cv(pwned: Path) -> CV:
    strings = [string.replace("PWNED", str(pwned)) for string in HOSTILE]
    return cv_with(
        name=strings[0],
        headline=" ".join(strings[1:4]),
        keywords=strings,
        paragraphs=strings,
        authors=[*strings, "Ada Lovelace"],  # author names are not markup: each shows exactly as written
        title=strings[5],
        venue=strings[6],
    )


@pytest.mark.parametrize("theme", ["classic", "modern"])
def test_hostile_strings_show_literally(theme: str, tmp_path: Path) -> None:
    require("latexmk", "pdflatex", "pdftotext")
    pwned = tmp_path / "pwned"
    cv = hostile_cv(pwned)
    titled = cv.sections[1].model_copy(update={"title": " ".join(HOSTILE[-1:] + HOSTILE[:5])})
    cv = cv.model_copy(update={"sections": [cv.sections[0], titled]})
    compiled = compile_cv(cv, tmp_path, "hostile", RenderOptions(theme=theme))
    text = squash(compiled.text).casefold()  # the modern theme sets section titles in capitals
    assert [fact for fact in facts(compiled.cv) if squash(fact).casefold() not in text] == []
    for string in HOSTILE:
        assert squash(string.replace("PWNED", str(pwned))) in squash(compiled.text)
    assert "root:x:0:0" not in compiled.text
    assert not pwned.exists()
    require("pdfinfo")
    fields = pdf_info(compiled.pdf)
    assert fields["Author"] == HOSTILE[0]  # the metadata too shows the name as written
    assert fields["Keywords"] == ", ".join(string.replace("PWNED", str(pwned)) for string in HOSTILE)


def test_long_content_has_no_overfull_box(tmp_path: Path) -> None:
    require("latexmk", "pdflatex", "pdftotext")
    long_url = "https://example.org/" + "/".join(["segment_" + "x" * 12] * 9) + "?query=" + "y" * 30
    long_url = long_url[:200]
    assert len(long_url) == 200
    cv = cv_with(
        name="Ada Lovelace",
        headline="A headline " * 12,
        website=long_url,
        email="a.very.long.address.for.testing.line.breaks@a-very-long-domain-name.example.org",
        paragraphs=[f"See [{long_url}]({long_url}) and `{'x' * 90}` and {'Donaudampfschifffahrt' * 4}."],
        title="A Very Long Title " * 15 + "with_a_very_long_identifier_that_has_no_spaces_at_all_in_it",
        authors=[f"Author Number{index} Surname{index}" for index in range(29)] + ["Ada Lovelace"],
        venue="Proceedings of the International Conference on Something Rather Long and Elaborate " * 2,
        links=[("paper", long_url), (long_url, long_url)],
    )
    compiled = compile_cv(cv, tmp_path, "long")
    assert overfull_boxes(compiled.log) == []
    assert missing_facts(compiled.cv, compiled.text) == []


def test_modern_theme_compiles_without_overfull_lines(tmp_path: Path) -> None:
    require("latexmk", "xelatex", "pdftotext")
    require_font(KOREAN_FONT)
    compiled = compile_cv(load("full"), tmp_path, "modern", RenderOptions(theme="modern"))
    assert overfull_boxes(compiled.log) == []
    text = squash(compiled.text).casefold()  # section titles are set in capitals
    assert [fact for fact in facts(compiled.cv) if squash(fact).casefold() not in text] == []


def test_modern_capitals_keep_link_targets_and_code(tmp_path: Path) -> None:
    require("latexmk", "pdflatex", "pdftotext")
    cv = cv_with(name="Ada Lovelace")
    text_section = cv.sections[0].model_copy(update={"title": "Zoë's [talks](https://e.org/Abc_D) and `co_De`"})
    cv = cv.model_copy(update={"sections": [text_section, cv.sections[1]]})
    compiled = compile_cv(cv, tmp_path, "capitals", RenderOptions(theme="modern"))
    assert link_targets(compiled.pdf.read_bytes()) == ["https://e.org/Abc_D"]
    assert "ZOË'S TALKS AND co_De" in compiled.text


def test_entries_do_not_break_across_pages(tmp_path: Path) -> None:
    require("latexmk", "pdflatex", "pdftotext")
    cv = cv_with(name="Ada Lovelace", title="A Rather Long Paper Title That Takes More Than One Line " * 3)
    section = cv.sections[1]
    section = section.model_copy(update={"items": section.items * 60})  # type: ignore[union-attr]
    cv = cv.model_copy(update={"sections": [cv.sections[0], section]})
    compiled = compile_cv(cv, tmp_path, "many")
    assert pdf_page_count(compiled.pdf) > 3
    # A title split by a page break would read "…Title That / Ada Lovelace 2/9 / Takes…" and go missing.
    assert missing_facts(compiled.cv, compiled.text) == []


def generated_cv(count: int) -> CV:
    """The varied publications CV that bench/latex.py measures."""
    spec = importlib.util.spec_from_file_location("bench_latex", ROOT / "bench" / "latex.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_latex", module)
    spec.loader.exec_module(module)
    cv: CV = module.generated_cv(count)
    return cv


def test_a_thousand_publications_compile_without_overfull_lines(tmp_path: Path) -> None:
    require("latexmk", "pdflatex", "pdftotext")
    compiled = compile_cv(generated_cv(1000), tmp_path, "thousand")
    assert choose_engine(compiled.cv) == "pdflatex"
    assert overfull_boxes(compiled.log) == []
    assert log_problems(compiled.log) == []
    assert pdf_page_count(compiled.pdf) > 100
    assert missing_facts(compiled.cv, compiled.text) == []


def test_seed_cv_with_xelatex_sets_every_character_without_overfull_lines(seed_cv: CV, tmp_path: Path) -> None:
    require("latexmk", "xelatex", "pdftotext")
    require_font(KOREAN_FONT)
    assert choose_engine(seed_cv) == "xelatex"
    compiled = compile_cv(seed_cv, tmp_path, "seed")
    assert overfull_boxes(compiled.log) == []
    assert [line for line in compiled.log.splitlines() if "Missing character" in line] == []
    assert missing_facts(seed_cv, compiled.text) == []


# --- CVs for the tests above --------------------------------------------------------------------------------------


def cv_with(
    *,
    name: str,
    headline: str | None = None,
    keywords: list[str] | None = None,
    website: str | None = None,
    email: str | None = None,
    paragraphs: list[str] | None = None,
    title: str = "A Paper",
    authors: list[str] | None = None,
    venue: str = "Venue",
    links: list[tuple[str, str]] | None = None,
) -> CV:
    """A small CV built in Python (as the loader would, but without YAML quoting of hostile text)."""
    return CV.model_validate({
        "name": name,
        "headline": headline,
        "keywords": keywords or [],
        "website": website,
        "email": email,
        "sections": [
            {"kind": "text", "paragraphs": paragraphs or ["Hello."]},
            {"kind": "publications", "title": "Publications", "items": [{
                "title": title,
                "authors": authors or [name],
                "venue": venue,
                "year": "2024",
                "links": [{"label": label, "url": url} for label, url in links or []],
            }]},
        ],
    })



# --- raw homepage Markdown ---------------------------------------------------------------------------------------


def _compile_cv(cv: Path, folder: Path) -> tuple[list[str], str]:
    result = subprocess.run([sys.executable, "-m", "cvgen.cli", "latex", str(cv), "--pdf", "-o",
                             str(folder / "cv.tex")], capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert result.returncode == 0, result.stderr
    return [line.strip() for line in pdf_text(folder / "cv.pdf").splitlines()], result.stderr


def test_raw_markdown_reads_in_the_pdf_as_on_the_page(tmp_path: Path) -> None:
    require("latexmk", "pdflatex", "pdftotext")
    lines, _ = _compile_cv(raw_cv(tmp_path, *RAW_PAGES), tmp_path)
    assert_raw_pages_read_as_on_the_page("\n".join(lines))


def test_liquid_is_left_out_of_the_pdf_with_a_warning_naming_its_line(tmp_path: Path) -> None:
    require("latexmk", "pdflatex", "pdftotext")
    lines, warnings = _compile_cv(raw_cv(tmp_path, "liquid-and-code"), tmp_path)
    assert "Welcome!" in lines and "Read my CV below." in lines and "Literal {{ braces }} stay." in lines
    assert "def f(x):" in lines and "return x ** 2 # not **bold**" in lines  # code is shown as written
    assert "post.title" not in "\n".join(lines)  # a loop's body is a template, not words of the page
    assert re.findall(r"sections\[0\]\.markdown, line (\d+) of the Markdown: Liquid (\S+ \S+)", warnings) == [
        ("1", "{{ site.title"), ("2", "{% for"), ("5", "{% unless")]


def test_korean_lines_break_between_words(tmp_path: Path) -> None:
    require("latexmk", "xelatex", "pdftotext")
    require_font("Noto Serif CJK KR")
    cv = CV.model_validate({"name": "Ada", "sections": [
        {"kind": "text", "title": "About", "paragraphs": [KOREAN_WORDS]}]})
    tex = render(cv)
    justified = tex.replace("\\begin{document}\n\\raggedright", "\\begin{document}")  # as a theme may set it
    assert justified != tex
    (tmp_path / "cv.pdf").write_bytes(compile_latex(justified, "xelatex"))
    text = pdf_text(tmp_path / "cv.pdf")
    assert text.count("\n") > 5 and "연구자들은" in text
    assert korean_lines_keep_words(text) == []
