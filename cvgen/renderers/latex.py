"""The LaTeX renderer: a CV as a .tex document, every user string escaped in Python before a template lays it out.

`escape_latex` is the one escaper: whatever a CV says, TeX sees letters and escaped symbols, never a command.
Characters pdflatex can set (Latin, Greek, punctuation, a few symbols) are written as pylatexenc's LaTeX
macros; anything else (Hangul, Han, Kana, Cyrillic…) is kept as Unicode and `choose_engine` asks for xelatex.
"""

from __future__ import annotations

import functools
import re
import unicodedata
import urllib.parse
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from pylatexenc.latexencode import (  # type: ignore[import-untyped]  # pylatexenc ships no type information
    RULE_CALLABLE,
    RULE_DICT,
    RULE_REGEX,
    UnicodeToLatexConversionRule,
    UnicodeToLatexEncoder,
    get_builtin_uni2latex_dict,
)

from cvgen.blocks import (
    Block,
    CodeBlock,
    Colour,
    Heading,
    LineBreak,
    ListBlock,
    Math,
    Paragraph,
    Quote,
    RawSpan,
    Rule,
    Strike,
    Subscript,
    Superscript,
    Table,
)
from cvgen.errors import CvgenError
from cvgen.fonts import colour_emoji_png, drawn_as_picture, is_drawable
from cvgen.locales import base_language, hyphenation
from cvgen.markup import (
    Code,
    Emphasis,
    Highlight,
    Link,
    Strong,
    Underline,
    parse_markup,
    render_spans,
)
from cvgen.model import (
    CV,
)
from cvgen.native import characters_of, outline_families
from cvgen.renderers import RenderOptions
from cvgen.renderers.context import build_context as shared_context
from cvgen.scripts import Script, cjk_language, is_cjk, script_sample, shaped_script
from cvgen.templates import make_environment, search_path
from cvgen.texmath import latex_math
from cvgen.view import CVView, LinkView, Period, Person, Spans, build_view

FORMAT = "latex"
PDFLATEX = "pdflatex"
XELATEX = "xelatex"

# --- which characters pdflatex can set ------------------------------------------------------------------------

# Blocks whose characters pylatexenc writes as macros that T1 fontenc, textcomp and lmodern can set.
# Not Greek: pylatexenc writes it as math letters (italic, an omicron as a Latin o), wrong for a Greek name or
# title; Greek stays Unicode and goes to xelatex and a font that has it, upright as on the web page.
_PDFLATEX_BLOCKS = (
    (0x00A0, 0x024F),  # Latin-1 Supplement, Latin Extended-A and -B
    (0x02B0, 0x02FF),  # spacing modifier letters
    (0x1E00, 0x1EFF),  # Latin Extended Additional
    (0x2000, 0x206F),  # general punctuation
    (0x20A0, 0x20CF),  # currency signs
)
# Symbols from the letterlike, arrow and mathematical blocks that CVs use.
_PDFLATEX_SYMBOLS = "℃№™Ω℮←↑→↓↔⇐⇒⇔−∓√∝∞∈∉∑∏∂∇∀∃∧∨∩∪∫∼≃≅≈≠≡≤≥≪≫⊂⊃⊆⊇⊕⊗⋅∘"
# pylatexenc maps these to macros from packages cvgen does not load (tipa, amssymb, T2A…), or to accents that
# xelatex's Latin Modern cannot build (Ȩ ȩ ˛), so they stay Unicode and go to xelatex.
_PDFLATEX_EXCEPTIONS = frozenset({0x0149, 0x0195, 0x019E, 0x0228, 0x0229, 0x02DB, 0x0374, 0x0390, 0x03D2, 0x03F0,
                                  0x03F6, 0x1FD3, 0x1FEE, 0x2011, 0x2035})

# ASCII characters that TeX reads as commands, or that T1/OT1 fonts set as something else.
_ASCII_REPLACEMENTS = {
    "\\": r"{\textbackslash}",
    "{": r"{\{}",
    "}": r"{\}}",
    "#": r"{\#}",
    "$": r"{\$}",
    "%": r"{\%}",
    "&": r"{\&}",
    "_": r"{\_}",
    "~": r"{\textasciitilde}",
    "^": r"{\textasciicircum}",
    "<": r"{\textless}",  # '<<' is a guillemet ligature in T1; OT1 sets '<' as '¡'
    ">": r"{\textgreater}",
    "|": r"{\textbar}",  # an em dash in OT1
    '"': r"{\textquotedbl}",  # pylatexenc writes '' (a closing curly quote)
    "'": r"{\textquotesingle}",  # TeX sets ' as a curly quote, and '' as a double one
    "`": r"{\textasciigrave}",  # TeX sets ` as an opening quote; ?` and !` are ligatures for ¿ and ¡
    "[": r"{[}",  # never read as the optional argument of \item or \\
    "]": r"{]}",
}
_UNICODE_REPLACEMENTS = {
    "\u2032": r"{\ensuremath{\prime}}",  # pylatexenc writes ' and '' for the primes, which TeX sets as quotes
    "\u2033": r"{\ensuremath{\prime\prime}}",
    "\u00ad": r"\-",  # soft hyphen: a hyphenation point
    "\u200b": r"\hspace{0pt}",  # zero-width space: a line-break point
}
_WHITESPACE = re.compile(r"[ \t\n\r\f\v\x85\u2028\u2029]+")
# '--', '---' and ',,' are ligatures (en dash, em dash, low quotes) in TeX fonts; an empty group breaks them.
_LIGATURE = re.compile(r"([-,])(?=[-,])")


@functools.cache
def _pdflatex_characters() -> frozenset[str]:
    """The non-ASCII characters escape_latex writes as macros that pdflatex (and xelatex) can set."""
    builtin = get_builtin_uni2latex_dict()
    codes = [code for start, end in _PDFLATEX_BLOCKS for code in range(start, end + 1)]
    codes += [ord(symbol) for symbol in _PDFLATEX_SYMBOLS]
    return frozenset(
        chr(code) for code in codes
        if code in builtin and code not in _PDFLATEX_EXCEPTIONS
        and not unicodedata.category(chr(code)).startswith(("M", "C", "Zl", "Zp"))
    ) | frozenset(_UNICODE_REPLACEMENTS)


def pdflatex_settable(character: str) -> bool:
    """Whether pdflatex (T1 fontenc, lmodern) can set a character as escape_latex writes it."""
    return " " <= character <= "~" or character in _pdflatex_characters()


SYMBOL_FONT = "Symbola"  # Debian's fonts-symbola: emoji and pictographs in outlines xelatex can embed


def needs_symbol_font(character: str) -> bool:
    """Whether a character is an emoji or pictograph that the text fonts lack and the symbol font has."""
    return (ord(character) >= 0x2000 and unicodedata.category(character) == "So" and not pdflatex_settable(character)
            and not is_cjk(character) and character in (characters_of(f":family={SYMBOL_FONT}") or ""))


MAIN_FONT = ":family=Latin Modern Roman:outline=True"  # fontspec's default text font, as fontconfig names it
_FAMILY_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9 \-]*")
# The fonts a run of characters the main font lacks is set in, best first: serifs like the main font, Noto's
# pan-European one before its fonts for one script ("Noto Serif Thai", "Noto Naskh Arabic"), then sans serifs.
_FALLBACK_RANKS = (re.compile(r"Noto Serif"), re.compile(r"Noto (Serif|Naskh) .+"), re.compile(r"DejaVu Serif"),
                   re.compile(r"Noto Sans( .+)?"), re.compile(r"DejaVu Sans|FreeSerif|Lato|Symbola"))


def _fallback_rank(family: str) -> tuple[int, str]:
    rank = next((index for index, pattern in enumerate(_FALLBACK_RANKS) if pattern.fullmatch(family)),
                len(_FALLBACK_RANKS))
    return rank, family


@functools.cache
def fallback_family(character: str) -> str | None:
    """The installed font a character the main font lacks is set in (xelatex), or None when the main font has it
    or no font of outlines does."""
    main = characters_of(MAIN_FONT)
    if main is None:
        return None
    if character in main:
        sample = script_sample(character)
        if sample is None or sample in main:
            return None
        # The main font has a few letters of a script it does not have (Latin Modern's Γ Δ Π, for mathematics):
        # a word of that script is set in one font, the one its other letters are in.
        family = fallback_family(sample)
        return family if family and family in outline_families(character) else None
    families = [family for family in outline_families(character) if _FAMILY_NAME.fullmatch(family)]
    return min(families, key=_fallback_rank) if families else None


def _keep_unicode(text: str, position: int) -> tuple[int, str] | None:
    """Characters pdflatex cannot set pass through as Unicode, for xelatex and its fonts: CJK to the CJK fonts,
    emoji and pictographs to the symbol font, a run of characters the main font lacks to a font that has them
    (told its script, and right to left for Arabic and Hebrew), a colour emoji as its picture, and a character no
    font has as its code point."""
    character = text[position]
    if pdflatex_settable(character):
        return None
    if needs_symbol_font(character):
        return 1, rf"\cvsymbol{{{character}}}"
    family = None if is_cjk(character) else fallback_family(character)
    if family is None:
        return 1, character if is_drawable(character, outline_only=True) else _undrawable(character)
    script = shaped_script(character)
    end = last = position + 1  # the run: characters of this font and script, and the spaces between them
    while end < len(text) and (text[end] == " " or _same_run(text[end], family, script)):
        end += 1
        if text[end - 1] != " ":
            last = end
    run = text[position:last]
    if script is None:
        return last - position, rf"\cvfallback{{{family}}}{{{run}}}"
    macro = r"\cvrtl" if script.right_to_left else r"\cvscript"
    return last - position, rf"{macro}{{{family}}}{{{script.name}}}{{{run}}}"


def _same_run(character: str, family: str, script: Script | None) -> bool:
    return (not pdflatex_settable(character) and not is_cjk(character) and not needs_symbol_font(character)
            and fallback_family(character) == family and shaped_script(character) == script)


def _undrawable(character: str) -> str:
    """A character no font of outlines has: the picture of a colour emoji (its text kept for copying), else its
    code point."""
    code = f"{ord(character):04X}"
    if colour_emoji_png(character) is None:
        return rf"\cvmissing{{U+{code}}}"
    return rf"\cvemoji{{{code.lower()}}}{{{character.encode('utf-16-be').hex().upper()}}}{{{character}}}"


EMOJI_FOLDER = "cvgen-emoji"  # beside the .tex: the pictures of colour emoji it places
_EMOJI = re.compile(r"\\cvemoji\{([0-9a-f]{4,6})\}")


def latex_files(tex: str) -> dict[str, bytes]:
    """The files a LaTeX document needs beside it (the pictures of its colour emoji), by relative path."""
    files: dict[str, bytes] = {}
    for code in sorted(set(_EMOJI.findall(tex))):
        picture = colour_emoji_png(chr(int(code, 16)))
        if picture is not None:
            files[f"{EMOJI_FOLDER}/{code}.png"] = picture
    return files


@functools.cache
def _encoder() -> UnicodeToLatexEncoder:
    return UnicodeToLatexEncoder(
        conversion_rules=[
            UnicodeToLatexConversionRule(RULE_REGEX, [(_LIGATURE, r"\1{}")], replacement_latex_protection="none"),
            UnicodeToLatexConversionRule(
                RULE_DICT, {ord(key): value for key, value in (_ASCII_REPLACEMENTS | _UNICODE_REPLACEMENTS).items()},
                replacement_latex_protection="none",
            ),
            UnicodeToLatexConversionRule(RULE_CALLABLE, _keep_unicode, replacement_latex_protection="none"),
            "defaults",
        ],
        non_ascii_only=False,
        unknown_char_policy="keep",
        replacement_latex_protection="braces-all",
    )


def _clean(text: str) -> str:
    """NFC, one space for any run of white space (a field's line breaks never end a paragraph), no controls."""
    if text.isascii():  # the common case, quicker: ASCII is its own NFC and has no format characters
        return _WHITESPACE.sub(" ", text).translate(_ASCII_CONTROLS)
    text = _WHITESPACE.sub(" ", unicodedata.normalize("NFC", text)).translate(_VARIATION_SELECTORS)
    if text.isprintable():  # quicker again, for Hangul and the like: no character of a category removed below
        return text
    return "".join(
        character for character in text
        if character in _UNICODE_REPLACEMENTS or unicodedata.category(character) not in ("Cc", "Cf", "Cs")
    )


_ASCII_CONTROLS = dict.fromkeys([*range(0x20), 0x7F])
_VARIATION_SELECTORS = dict.fromkeys(range(0xFE00, 0xFE10))  # emoji/text presentation: no glyph of their own
# Text of only these characters, with no ligature pair, is its own LaTeX: pylatexenc (slow, as it is called for
# every field and every piece of a long word) would return it unchanged.
_PLAIN = re.compile(r"[A-Za-z0-9 .:;!?()*+=@/,\-]*")


def escape_latex(text: str) -> str:
    """Escape text for LaTeX: every TeX special becomes a macro that prints it, so user text never runs as TeX."""
    cleaned = _clean(text)
    if _PLAIN.fullmatch(cleaned) and not _LIGATURE.search(cleaned):
        return cleaned
    encoded: str = _encoder().unicode_to_latex(cleaned)
    return encoded


# --- line-break hints --------------------------------------------------------------------------------------------

_LONG_WORD = 24  # characters; shorter words break at spaces and by hyphenation like any other
_BREAK_AFTER = re.compile(r"(?<=[/.\-_?&=#:;,@+])(?!/)")
_CHUNK = 12


_LONGEST_WORD = 64  # letters: a German or Finnish compound is shorter; a longer run of letters is not a word
_PUNCTUATION_AROUND = ".,;:!?\"'()[]«»„“”‘’-"


def _natural_word(piece: str) -> bool:
    """Whether a piece of a long word is a word of a language TeX hyphenates (Latin, Greek or Cyrillic letters,
    punctuation around them): its lines break by hyphenation, at the language's own points, and not every few
    letters (which would also stop TeX hyphenating it)."""
    core = piece.strip(_PUNCTUATION_AROUND)
    return 0 < len(core) <= _LONGEST_WORD and all(
        character.isalpha() and (ord(character) < 0x0530 or 0x1E00 <= ord(character) < 0x2000) for character in core)


def _break_points(word: str) -> list[str]:
    """A long word (a URL, a file name) cut where a line may break: after punctuation, else every few letters; a
    piece that is a word of a language (`Wahrscheinlichkeitsverteilungen`) is left whole, for hyphenation."""
    pieces: list[str] = []
    for piece in _BREAK_AFTER.split(word):
        start = 0  # cut by index: slicing off the rest each time is quadratic in the word's length
        while len(piece) - start > _LONG_WORD and not (start == 0 and _natural_word(piece)):
            pieces.append(piece[start : start + _CHUNK])
            start += _CHUNK
        if start < len(piece):
            pieces.append(piece[start:])
    return pieces


def escape_breakable(text: str) -> str:
    """Escape text as escape_latex does, letting lines break inside long words such as URLs."""
    return " ".join(
        r"\allowbreak{}".join(escape_latex(piece) for piece in _break_points(group)) if len(group) >= _LONG_WORD
        else escape_latex(group)
        for group in _word_groups(_clean(text).split(" "))
    )


_GROUPED_WORDS = 64  # pylatexenc's time grows with the square of a text's length: words are escaped a few at a time


def _word_groups(words: list[str]) -> Iterator[str]:
    """The words, each on its own, except that words of one run of another script are kept together (with their
    spaces, and their order when written right to left)."""
    group: list[str] = []
    for word in words:
        if group and (len(group) >= _GROUPED_WORDS or len(word) >= _LONG_WORD or len(group[-1]) >= _LONG_WORD
                      or not (group[-1] and word and _same_run(word[0], *_run_of(group[-1][-1])))):
            yield " ".join(group)
            group = []
        group.append(word)
    if group:
        yield " ".join(group)


def _run_of(character: str) -> tuple[str, Script | None]:
    """The font and script of the run a character ends (no font: it ends none)."""
    family = None if pdflatex_settable(character) or is_cjk(character) else fallback_family(character)
    return family or "", shaped_script(character)


# --- URLs ----------------------------------------------------------------------------------------------------------

# How \href reads the characters TeX treats specially: hyperref turns \% and \# back into % and #, and
# \string makes the others plain characters. Braces, backslashes and the characters URLs may not hold are
# percent-encoded, which is how browsers send them anyway.
_URL_REPLACEMENTS = {"%": r"\%", "#": r"\#", "~": r"\string~", "_": r"\string_", "&": r"\string&",
                     "$": r"\string$", "^": r"\string^"}
_URL_PLAIN = re.compile(r"[A-Za-z0-9\-.!*'()+,/:;=?@\[\]]")


def escape_url(url: str) -> str:
    """A URL written for the first argument of \\href, so that the link goes exactly where the URL says."""
    url = _idna_host(url.strip())
    parts: list[str] = []
    for character in url:
        if character in _URL_REPLACEMENTS:
            parts.append(_URL_REPLACEMENTS[character])
        elif _URL_PLAIN.match(character):
            parts.append(character)
        else:
            parts.append(urllib.parse.quote(character, safe="").replace("%", r"\%"))
    return "".join(parts)


def _idna_host(url: str) -> str:
    """A URL whose host name is written in ASCII (punycode), as a browser sends it."""
    try:
        split = urllib.parse.urlsplit(url)
        host = split.hostname
    except ValueError:
        return url
    if not host or host.isascii():
        return url
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return url
    return url.replace(host, ascii_host, 1)


def href(url: str, content: str) -> str:
    r"""A link: \href with the URL escaped for hyperref around already-rendered LaTeX, never hyphenated."""
    return rf"\href{{{escape_url(url)}}}{{\cvnohyphens{{{content}}}}}"


# --- markup ----------------------------------------------------------------------------------------------------


def _render_spans(spans: Iterable[RawSpan], word_macro: str | None = None) -> str:
    # A whole underlined (or struck) phrase cannot break across lines, so each word gets the macro on its own.
    def text(value: str) -> str:
        if word_macro is None:
            return escape_breakable(value)
        words = _clean(value).split(" ")
        return " ".join(rf"\{word_macro}{{{escape_breakable(word)}}}" if word else "" for word in words)

    def wrap(span: RawSpan, content: str) -> str:
        match span:
            case Strong():
                return rf"\textbf{{{content}}}"
            case Emphasis():
                return rf"\emph{{{content}}}"
            case Underline(children):
                return _render_spans(children, "cvunderline")
            case Strike(children):
                return _render_spans(children, "cvstrike")
            case Highlight():
                return rf"\cvhighlight{{{content}}}"
            case Link(url):
                return href(url, content)
            case Code():
                return rf"\texttt{{{content}}}"
            case LineBreak():
                return r"\newline{}"
            case Math(source, display):
                tex = latex_math(source)
                if tex is None:  # outside the safe subset: its source, as text
                    return content
                return rf"\[{tex}\]" if display else f"${tex}$"
            case Superscript():
                return rf"\textsuperscript{{{content}}}"
            case Subscript():
                return rf"\textsubscript{{{content}}}"
            case Colour(colour):
                return rf"\textcolor[HTML]{{{colour[1:].upper()}}}{{{content}}}"
        raise AssertionError(f"unknown span {span!r}")

    return render_spans(tuple(spans), text, wrap)


def render_markup(source: str) -> str:
    """Render a CV text field's inline markup as LaTeX, every literal character escaped."""
    return _render_spans(parse_markup(source))


def _contains_link(spans: Iterable[RawSpan]) -> bool:
    return any(isinstance(span, Link) or _contains_link(getattr(span, "children", ())) for span in spans)


# --- raw homepage Markdown ----------------------------------------------------------------------------------------

MAX_LIST_DEPTH = 4  # LaTeX nests six lists at most; the CV's own lists take up to two of them
_LIST_ENVIRONMENTS = {False: "cvrawbullets", True: "cvrawnumbers"}
_ALIGNMENTS = {"center": r"\centering", "right": r"\raggedleft", "left": r"\raggedright", "": r"\raggedright"}


def render_blocks(blocks: Iterable[Block], depth: int = 0) -> str:
    """Raw Markdown's blocks as LaTeX: paragraphs with their line breaks, headings, lists, tables, quotes, code."""
    return "\n".join(_render_block(block, depth) for block in blocks)


def _render_block(block: Block, depth: int) -> str:
    match block:
        case Paragraph(spans):
            return _render_spans(spans) + r"\par"
        case Heading(level, spans):
            return rf"\cvrawheading{{{level}}}{{{_render_spans(spans)}}}"
        case ListBlock(ordered, items, start):
            if depth >= MAX_LIST_DEPTH:  # deeper still: each item a paragraph after a dash, nothing lost
                return "\n".join(r"\textendash{} " + render_blocks(item, depth) for item in items)
            environment = _LIST_ENVIRONMENTS[ordered]
            option = f"[start={start}]" if ordered and start != 1 else ""
            body = "\n".join(r"\item " + render_blocks(item, depth + 1) for item in items)
            return f"\\begin{{{environment}}}{option}\n{body}\n\\end{{{environment}}}"
        case Table():
            return _render_table(block, depth)
        case Quote(inner):
            return f"\\begin{{quote}}\n{render_blocks(inner, depth + 1)}\n\\end{{quote}}"
        case CodeBlock(text):
            lines = (escape_latex(line).replace(" ", "\\ ") or r"\mbox{}" for line in text.split("\n"))
            return r"\begin{cvrawcode}" + "\\newline\n".join(lines) + r"\end{cvrawcode}"
        case Rule():
            return r"\cvrawrule"
    raise AssertionError(f"unknown block {block!r}")


def _render_table(table: Table, depth: int) -> str:
    """A table as wide as the text, its columns sharing the width; at the top level it may break across pages."""
    width = max(len(row) for row in (*table.header, *table.rows))
    aligns = [*table.aligns, *[""] * width][:width]
    columns = "".join(rf">{{{_ALIGNMENTS[align]}\arraybackslash}}X" for align in aligns)

    def row(cells: tuple[tuple[RawSpan, ...], ...], bold: bool) -> str:
        written = [_render_spans(cell) for cell in (*cells, *[()] * (width - len(cells)))]
        return " & ".join(rf"\textbf{{{cell}}}" if bold and cell else cell for cell in written) + r" \\"

    environment = "xltabular" if depth == 0 else "tabularx"
    head = [row(cells, True) for cells in table.header]
    lines = [rf"\begin{{{environment}}}{{\linewidth}}{{@{{}}{columns}@{{}}}}", *head]
    if head:
        lines.append(r"\hline" + (r"\endhead" if environment == "xltabular" else ""))
    lines += [row(cells, False) for cells in table.rows]
    lines.append(rf"\end{{{environment}}}")
    return "\n".join(lines)


# --- engine ------------------------------------------------------------------------------------------------------

def _cv_text(cv: CV) -> str:
    return _clean(" ".join(cv.all_text()))


def choose_engine(cv: CV) -> str:
    """The CV's `design.engine`; else 'pdflatex' when pdflatex can set every character of the CV, else 'xelatex'
    (Hangul, Han, Kana, Cyrillic…)."""
    return cv.design.engine or _engine_for(_cv_text(cv))


def _engine_for(text: str) -> str:
    return PDFLATEX if all(pdflatex_settable(character) for character in set(text)) else XELATEX


@dataclass(frozen=True)
class CjkFonts:
    """The package and Noto CJK fonts that set a CV's East Asian text under xelatex."""

    package: str  # "kotex" for Korean, "xeCJK" otherwise
    serif: str
    sans: str
    mono: str


def cjk_fonts(cv: CV) -> CjkFonts | None:
    """The CJK set-up a CV needs: for a CV in Korean, Chinese or Japanese with East Asian text, that language's
    fonts; else Korean fonts when it has Hangul, Japanese for Kana, Chinese for Han alone."""
    return _cjk_fonts_for(_cv_text(cv), cv.language)


def _cjk_fonts_for(text: str, language: str = "en") -> CjkFonts | None:
    found = cjk_language(text)
    if found is None:
        return None
    written = base_language(language)
    region = {"ko": "KR", "ja": "JP", "zh": "TC" if language.lower() in _TRADITIONAL else "SC"}.get(
        written if written in ("ko", "ja", "zh") else found)
    if region is None:
        return None
    return CjkFonts("kotex" if region == "KR" else "xeCJK", f"Noto Serif CJK {region}", f"Noto Sans CJK {region}",
                    f"Noto Sans Mono CJK {region}")


_TRADITIONAL = frozenset({"zh-hant", "zh-tw", "zh-hk", "zh-mo"})  # Chinese written in traditional characters


# --- the writer and the context ---------------------------------------------------------------------------------


class LatexWriter:
    """The view's values as LaTeX, every literal character escaped (see cvgen.renderers.context); dates in the
    CV's language."""

    def __init__(self, language: str = "en") -> None:
        self.language = language

    def text(self, text: str) -> str:
        return escape_latex(text)

    def attribute(self, text: str) -> str:
        return escape_latex(text)

    def spans(self, spans: Spans) -> str:
        return _render_spans(spans)

    def blocks(self, blocks: Sequence[Block]) -> str:
        return render_blocks(blocks)

    def period(self, period: Period) -> str:
        if not period.dates:
            return _render_spans(period.words)
        return r"~\textendash{} ".join(escape_latex(date.display(self.language)) for date in period.dates)

    def person(self, person: Person) -> str:
        name = rf"\cvname{{{escape_latex(person.name)}}}"
        name = rf"\cvowner{{{name}}}" if person.owner else name
        marks = rf"\cvmarks{{{escape_latex(person.marks)}}}" if person.marks else ""
        return name + (r"\cvequal{}" if person.equal else "") + marks

    def link(self, link: LinkView) -> str:
        rendered = _render_spans(link.label)
        return href(link.url, rendered) if link.url and not _contains_link(link.label) else rendered

    def labelled_link(self, link: LinkView) -> str:
        label = f"{{[}}{_render_spans(link.label)}{{]}}"
        return href(link.url, label) if link.url else label


def build_context(cv: CV, options: RenderOptions = RenderOptions(), *, engine: str | None = None,
                  view: CVView | None = None) -> dict[str, Any]:
    """Everything the LaTeX templates show, already escaped: templates only lay it out."""
    text = _cv_text(cv)  # once: it walks the whole CV
    characters = set(text)
    engine = engine or _engine_for(text)
    if engine == PDFLATEX and _engine_for(text) != PDFLATEX:
        raise CvgenError("this CV holds characters pdflatex cannot set (Korean, Chinese, Cyrillic…); use xelatex")
    paper = (options.paper or cv.design.paper).lower()
    if paper not in ("a4", "letter"):
        raise CvgenError(f"paper size {paper!r} is not known; use a4 or letter")
    view = view or build_view(cv)
    return {
        "engine": engine,
        "cjk": _cjk_fonts_for(text, cv.language) if engine == XELATEX else None,
        "symbol_font": SYMBOL_FONT if engine == XELATEX and any(map(needs_symbol_font, characters)) else None,
        "emoji_pictures": engine == XELATEX and any(map(drawn_as_picture, characters)),
        "emoji_folder": EMOJI_FOLDER,
        "paper": f"{paper}paper",
        "hyphenation": hyphenation(view.language),
        **shared_context(view, LatexWriter(view.language)),
    }


def _display_url(url: str) -> str:
    """A website as shown on the page: without the scheme and a trailing slash."""
    return re.sub(r"^[a-z][a-z0-9+.-]*://", "", url.strip(), flags=re.IGNORECASE).rstrip("/") or url


def render(cv: CV, options: RenderOptions = RenderOptions(), *, engine: str | None = None,
           view: CVView | None = None) -> str:
    """Render a CV as a LaTeX document for an engine (the options', else the one `choose_engine` names)."""
    engine = engine or options.engine
    if engine not in (None, PDFLATEX, XELATEX):
        raise CvgenError(f"unknown LaTeX engine {engine!r}; use {PDFLATEX} or {XELATEX}")
    # A user folder with its own cv.tex.j2 is a theme of its own, whatever the theme is called.
    folders = search_path(FORMAT, cv, options, theme_files=("cv.tex.j2",))
    environment = make_environment(folders, latex=True)
    return environment.get_template("cv.tex.j2").render(build_context(cv, options, engine=engine, view=view))


def render_format(cv: CV, options: RenderOptions, view: CVView | None) -> str:
    """The registry's entry (cvgen.renderers.render): the LaTeX document."""
    return render(cv, options, view=view)


__all__: list[str] = [
    "CjkFonts", "build_context", "choose_engine", "cjk_fonts", "escape_breakable", "escape_latex", "escape_url",
    "href", "latex_files", "pdflatex_settable", "render", "render_format", "render_markup",
]
