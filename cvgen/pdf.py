"""The PDF step: HTML to PDF with WeasyPrint, fetching nothing but data: URLs and the template folders' files.

This is the only module that imports WeasyPrint, and it does so inside functions, so `import cvgen.pdf` is cheap
and the other outputs never load it.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import inspect
import io
import logging
import os
import re
import struct
import sys
from collections.abc import Iterator, Sequence
from html import unescape
from math import inf
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit
from urllib.request import url2pathname

from cvgen.errors import CvgenError
from cvgen.fonts import missing_character_warnings
from cvgen.model import CV
from cvgen.native import find_shared_library, font_covers_language, in_process_library_lookup
from cvgen.renderers import RenderOptions
from cvgen.renderers.html import STYLESHEET
from cvgen.scripts import HAN, HANGUL, KANA

if TYPE_CHECKING:
    from cvgen.view import CVView
from cvgen.urls import is_relative

LOGGER = logging.getLogger(__name__)
DEFAULT_OPTIONS = RenderOptions()  # frozen, so one shared default is safe

FONT_PACKAGE = "fonts-noto-cjk"
HARFBUZZ_SUBSET_PACKAGE = "libharfbuzz-subset0"

# Script name, a character range that detects it, and the fontconfig language that covers it.
SCRIPTS: tuple[tuple[str, str, str], ...] = (
    ("Korean (Hangul)", f"[{HANGUL}]", "ko"),
    ("Japanese (Kana)", f"[{KANA}]", "ja"),
    ("Chinese (Han)", f"[{HAN}]", "zh-cn"),
)


class RefusedURLError(ValueError):
    """A resource the PDF step will not fetch (WeasyPrint logs it and goes on without it)."""


def is_allowed_url(url: str, allowed_dirs: Sequence[Path]) -> bool:
    """Whether the PDF step may fetch a URL: data: URLs, and file: URLs whose real path is in an allowed folder."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    scheme = parts.scheme.lower()
    if scheme == "data":
        return True
    if scheme != "file" or parts.netloc not in ("", "localhost"):
        return False
    path = _file_url_path(url)
    if path is None or not path.is_file():
        return False
    return any(path.is_relative_to(folder.resolve()) for folder in allowed_dirs)


def _file_url_path(url: str) -> Path | None:
    """The real path (symbolic links resolved) that a file: URL names."""
    try:
        path = Path(url2pathname(urlsplit(url.strip()).path))
        return path.resolve(strict=True) if path.is_absolute() else None
    except (OSError, ValueError, RuntimeError):
        return None


@contextlib.contextmanager
def _cycle_collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while WeasyPrint works.

    Typesetting allocates millions of objects that live until the PDF is written, and the collector scans them again
    and again while finding almost nothing to free: up to a fifth of the time of a long CV. What becomes garbage is
    collected as usual once the collector is back.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def import_weasyprint() -> ModuleType:
    """WeasyPrint, imported without the ldconfig, gcc and ld runs of `ctypes.util.find_library` (see cvgen.native)."""
    if "weasyprint" not in sys.modules:
        with _cycle_collector_paused():
            try:
                # WeasyPrint prints an installation notice before it fails; the second try shows it if it is true.
                with in_process_library_lookup(), contextlib.redirect_stdout(io.StringIO()):
                    import weasyprint  # type: ignore[import-untyped]  # noqa: F401
            except OSError:
                # A library outside the folders of the in-process look-up: let find_library search its slow way.
                import weasyprint  # noqa: F401
    _cache_html_tokenizer_patterns()
    _tune_layout()
    return sys.modules["weasyprint"]


class _CharactersUntilPatterns(dict[tuple[Any, bool], re.Pattern[str]]):
    """tinyhtml5's cache of `chars_until` patterns, filled under the key it is read with.

    tinyhtml5 2.1 stores each pattern it compiles under the pattern itself (`characters = cache[(characters, …)] =
    regex` rebinds `characters` first), so every look-up misses and the pattern is built again, for every run of
    text and every attribute value: 5% of all the instructions of `cvgen pdf` on 1000 papers. Here a missing key is
    answered by the pattern tinyhtml5 would build, and kept; the document parses the same.
    """

    def __missing__(self, key: tuple[Any, bool]) -> re.Pattern[str]:
        characters, opposite = key
        pattern = "".join(f"\\x{ord(character):02x}" for character in characters)
        self[key] = compiled = re.compile(f"[{pattern}]+" if opposite else f"[^{pattern}]+")
        return compiled


def _cache_html_tokenizer_patterns() -> None:
    """Make tinyhtml5 (WeasyPrint's HTML parser) find the patterns it caches (see _CharactersUntilPatterns)."""
    inputstream = sys.modules.get("tinyhtml5.inputstream")
    cache = getattr(inputstream, "characters_until_regex", None)
    if type(cache) is dict:  # the tinyhtml5 this was written for; otherwise leave it alone
        inputstream.characters_until_regex = _CharactersUntilPatterns(cache)  # type: ignore[union-attr]


def _source(*functions: Any) -> str | None:
    """The source of WeasyPrint functions that a tuning stands in for, or None when unreadable."""
    try:
        return "".join(inspect.getsource(function) for function in functions)
    except (OSError, TypeError):
        return None


def _digest(source: str | None) -> str | None:
    """A short digest of source text (None for none), to compare with the one a tuning was written against."""
    return None if source is None else hashlib.sha256(source.encode()).hexdigest()[:16]


def _source_digest(*functions: Any) -> str | None:
    """A digest of the source of WeasyPrint functions that a tuning stands in for, or None when unreadable."""
    return _digest(_source(*functions))


# The digests of the WeasyPrint 70 functions the tunings below were written against. Where WeasyPrint's own
# code differs, the tuning stays off (WeasyPrint is slower then, never different), and a test says so.
KEPT_LAYOUTS_DIGEST = "0e969930d57fbc3b"
USED_LENGTHS_DIGEST = "24b59128879101a4"
NORMAL_FLOW_DIGEST = "e32e46b35103e074"
GLYPH_LOOP_DIGEST = "1bb8eae6d88e71b1"


UNTUNED_VARIABLE = "CVGEN_UNTUNED_WEASYPRINT"  # set (to anything but "") to typeset with WeasyPrint as it comes
TUNINGS = ("kept layouts", "used lengths", "normal flow", "glyphs at once")


def _tune_layout() -> dict[str, bool]:
    """Make four of WeasyPrint's hot paths cheaper, the PDF unchanged (same bytes); which ones are on."""
    if os.environ.get(UNTUNED_VARIABLE):
        return dict.fromkeys(TUNINGS, False)
    return {"kept layouts": _keep_pango_layouts(), "used lengths": _resolve_lengths_inline(),
            "normal flow": _normal_flow_inline(), "glyphs at once": _read_glyphs_at_once()}


def _keep_pango_layouts() -> bool:
    """Keep each text box's Pango layout from layout to drawing instead of making it anew.

    WeasyPrint frees a text's Pango layout once the line is laid out and, to draw it, makes a new Pango context
    and layout with the same style, font description and text (`Layout.reactivate`): for every piece of text of
    the document, 3% of `cvgen pdf` on 1000 papers. Kept, the layout is drawn as it would be anew: the same
    style object, text and attributes, with no width (a new layout has none) and no justification spacing
    (where there is some, or the style is another, WeasyPrint makes it anew as before). The layouts stay in
    memory until the PDF is written: about 20 MB more at the peak for 1000 papers.
    """
    from weasyprint.text import line_break  # type: ignore[import-untyped]
    from weasyprint.text.ffi import pango  # type: ignore[import-untyped]

    layout_class = line_break.Layout
    if getattr(layout_class, "_cvgen_tuned", False):
        return True
    digest = _source_digest(layout_class.setup, layout_class.set_text, layout_class.deactivate,
                            layout_class.reactivate)
    if digest != KEPT_LAYOUTS_DIGEST:
        return False
    remake = layout_class.reactivate

    def deactivate(self: Any) -> None:
        self._cvgen_kept = True

    def reactivate(self: Any, style: Any) -> None:
        if getattr(self, "_cvgen_kept", False) and self.style is style and not self.justification_spacing:
            pango.pango_layout_set_width(self.layout, -1)
            self.set_text(self.text, justify=True)
        else:
            remake(self, style)

    layout_class.deactivate, layout_class.reactivate = deactivate, reactivate
    layout_class._cvgen_tuned = True  # the class is tuned; an instance is kept once WeasyPrint is done laying it out
    return True


def _resolve_lengths_inline() -> bool:
    """WeasyPrint's `resolve_percentages` (used margins, paddings, sizes and borders of a box, at every layout of
    every box) with its two helper calls per length written inline: 2% of `cvgen pdf` on 1000 papers.

    Lengths in px and percentages are worked out here exactly as WeasyPrint does; anything else (calc() and the
    other math functions) goes to WeasyPrint's own `percentage`.
    """
    from weasyprint.formatting_structure import boxes  # type: ignore[import-untyped]
    from weasyprint.layout import percent  # type: ignore[import-untyped]

    standard = percent.resolve_percentages
    if getattr(standard, "_cvgen_inline", False):
        return True
    digest = _source_digest(percent.percentage, percent.resolve_one_percentage, standard,
                            percent.adjust_box_sizing)
    if digest != USED_LENGTHS_DIGEST:
        return False
    percentage, adjust_box_sizing, check_math = percent.percentage, percent.adjust_box_sizing, percent.check_math
    box_class, page_class = boxes.Box, boxes.PageBox

    def used(value: Any, style: Any, refer_to: Any) -> Any:
        if value is None or value == "auto":
            return value
        unit = getattr(value, "unit", None)
        if unit == "px":
            return value.value
        if unit == "%":
            return refer_to * value.value / 100
        return percentage(value, style, refer_to)

    def resolve_percentages(box: Any, containing_block: Any) -> None:
        if isinstance(containing_block, box_class):
            cb_width, cb_height = containing_block.width, containing_block.height
        else:
            cb_width, cb_height = containing_block
        maybe_height = cb_height if isinstance(box, page_class) else cb_width
        style = box.style
        box.margin_left = used(style["margin_left"], style, cb_width)
        box.margin_right = used(style["margin_right"], style, cb_width)
        box.margin_top = used(style["margin_top"], style, maybe_height)
        box.margin_bottom = used(style["margin_bottom"], style, maybe_height)
        box.padding_left = used(style["padding_left"], style, cb_width)
        box.padding_right = used(style["padding_right"], style, cb_width)
        box.padding_top = used(style["padding_top"], style, maybe_height)
        box.padding_bottom = used(style["padding_bottom"], style, maybe_height)
        box.width = used(style["width"], style, cb_width)
        minimum = used(style["min_width"], style, cb_width)
        box.min_width = 0 if minimum == "auto" else minimum
        box.max_width = used(style["max_width"], style, cb_width)
        if cb_height == "auto":
            height = style["height"]
            auto = height == "auto" or check_math(height) or height.unit == "%"
            box.height = "auto" if auto else height.value
            minimum, box.max_height = used(style["min_height"], style, 0), used(style["max_height"], style, inf)
        else:
            box.height = used(style["height"], style, cb_height)
            minimum = used(style["min_height"], style, cb_height)
            box.max_height = used(style["max_height"], style, cb_height)
        box.min_height = 0 if minimum == "auto" else minimum
        collapse = style["border_collapse"] == "collapse"
        for name in ("border_top_width", "border_right_width", "border_bottom_width", "border_left_width"):
            if not (collapse and hasattr(box, name)):
                setattr(box, name, style[name])
        if style["box_sizing"] != "content-box":  # content-box: WeasyPrint's adjustment subtracts nothing
            adjust_box_sizing(box, "width")
            adjust_box_sizing(box, "height")

    resolve_percentages._cvgen_inline = True  # type: ignore[attr-defined]
    for name, module in list(sys.modules.items()):  # the layout modules imported it by name
        if name.startswith("weasyprint.") and getattr(module, "resolve_percentages", None) is standard:
            setattr(module, "resolve_percentages", resolve_percentages)  # noqa: B010  (a module mypy cannot see)
    return True


def _normal_flow_inline() -> bool:
    """WeasyPrint's `Box.is_in_normal_flow` (asked some 200 times per entry of a long list) reading the box's
    float and position once, instead of through five methods that each look them up: 1% of `cvgen pdf` on 1000
    papers. No box class has its own version of these methods; the answer is WeasyPrint's."""
    from weasyprint.formatting_structure import boxes

    box_class = boxes.Box
    if getattr(box_class.is_in_normal_flow, "_cvgen_inline", False):
        return True
    digest = _source_digest(box_class.is_floated, box_class.is_footnote, box_class.is_note,
                            box_class.is_absolutely_positioned, box_class.is_running, box_class.is_in_normal_flow)
    if digest != NORMAL_FLOW_DIGEST:
        return False
    out_of_flow = frozenset({"left", "right", "inline-start", "inline-end", "footnote"})

    def is_in_normal_flow(self: Any) -> bool:
        style = self.style
        position = style["position"]
        return not (style["float"] in out_of_flow or position in ("absolute", "fixed")
                    or position[0] in ("running()", "note()"))

    is_in_normal_flow._cvgen_inline = True  # type: ignore[attr-defined]
    box_class.is_in_normal_flow = is_in_normal_flow
    return True


# PangoGlyphInfo as Pango lays it out: the glyph, its width, x and y offsets, and its attribute bits.
_GLYPH_INFO = struct.Struct("=IiiiI")
# WeasyPrint's glyph loop in `draw_first_line`, and the same loop reading a run's glyphs in one go.
_GLYPH_LOOP_EDITS = (
    ("""        for i, glyph_info in enumerate(glyphs_info[0:num_glyphs]):
            glyph_id = glyph_info.glyph
            width = glyph_info.geometry.width
""", """        for i, (glyph_id, width, x_offset, y_offset, _) in enumerate(
                _CVGEN_GLYPH_INFO.iter_unpack(ffi.buffer(glyphs_info, num_glyphs * _CVGEN_GLYPH_INFO.size))):
"""),
    ("glyph_info.geometry.x_offset / font_size", "x_offset / font_size"),
    ("glyph_info.geometry.y_offset / 1000", "y_offset / 1000"),
)


def _read_glyphs_at_once() -> bool:
    """WeasyPrint's `draw_first_line` with its glyph loop reading each run's glyphs from Pango's array in one go,
    instead of four C struct fields per glyph through cffi: the loop that writes every glyph of the PDF, 4% of
    `cvgen pdf` on 1000 papers.

    The function is WeasyPrint's own source, taken from its module (its digest checked), with the three lines
    that read a glyph replaced, and compiled in that module: every other line, and so every byte it writes, is
    WeasyPrint's.
    """
    from weasyprint.draw import text  # type: ignore[import-untyped]
    from weasyprint.text.ffi import ffi

    if getattr(text.draw_first_line, "_cvgen_tuned", False):
        return True
    geometry = ffi.typeof("PangoGlyphGeometry")
    laid_out = ffi.sizeof("PangoGlyphInfo") == _GLYPH_INFO.size and ffi.offsetof("PangoGlyphInfo", "geometry") == 4 \
        and [(name, field.offset) for name, field in geometry.fields] == [("width", 0), ("x_offset", 4),
                                                                           ("y_offset", 8)]
    source = _source(text.draw_first_line)
    if not laid_out or source is None or _digest(source) != GLYPH_LOOP_DIGEST:
        return False
    # Blank lines first, so that a traceback names the line of WeasyPrint's file.
    source = "\n" * (text.draw_first_line.__code__.co_firstlineno - 1) + source
    for old, new in _GLYPH_LOOP_EDITS:
        source = source.replace(old, new)
    namespace = vars(text)
    namespace["_CVGEN_GLYPH_INFO"] = _GLYPH_INFO
    exec(compile(source, text.__file__, "exec"), namespace)  # noqa: S102  (WeasyPrint's own code, edited above)
    text.draw_first_line._cvgen_tuned = True
    return True


@functools.cache
def _fetcher_class() -> type[Any]:
    """A WeasyPrint URLFetcher that refuses whatever `is_allowed_url` refuses (built on first use)."""
    import_weasyprint()
    from weasyprint.urls import URLFetcher  # type: ignore[import-untyped]

    class SafeURLFetcher(URLFetcher):  # type: ignore[misc]
        """Fetches data: URLs and files inside the allowed folders; refuses the network and other files."""

        def __init__(self, allowed_dirs: Sequence[Path]) -> None:
            super().__init__(allow_redirects=False)
            self.allowed_dirs = [Path(folder).resolve() for folder in allowed_dirs]
            self.refused: list[str] = []

        def fetch(self, url: str, headers: dict[str, str] | None = None) -> Any:
            if not is_allowed_url(url, self.allowed_dirs):
                self.refused.append(url)
                raise RefusedURLError(f"cvgen does not fetch {url[:200]!r}: only data: URLs and template files")
            if url.strip().lower().startswith("file:"):
                real = _file_url_path(url)
                assert real is not None  # is_allowed_url checked it
                url = real.as_uri()  # fetch the checked file, not whatever the link points to later
            return super().fetch(url, headers)

    return SafeURLFetcher


# WeasyPrint's user-agent stylesheet gives every element five pseudo-elements for footnotes and notes
# (::footnote-call, ::footnote-marker, ::note-call, ::note-marker, ::note-callback) and computes their styles up front:
# on a long CV, seventy thousand styles that nothing draws. A document whose CSS makes no footnote (`float: footnote`)
# and no note (`position: note(…)`) renders the same with a copy of that stylesheet without those rules.
NOTE_RULES = re.compile(r"^::(?:footnote|note)-[a-z]+ \{[^}\n]*\}\n", re.MULTILINE)
MAY_MAKE_NOTES = re.compile(r"footnote|note\s*\(|data:[a-z;,]")  # data:…: a stylesheet in a data: URL, not read here
# Below about 2,000 elements, parsing the second stylesheet costs more time than the missing rules save.
LEAN_STYLESHEET_MIN_TAGS = 4000


@functools.cache
def _document_class_without_notes() -> type[Any] | None:
    """weasyprint.HTML with a user-agent stylesheet lacking the footnote and note rules, or None if this WeasyPrint's
    stylesheet is not the one this was written for (then WeasyPrint's own is used)."""
    import_weasyprint()
    from weasyprint import CSS, HTML
    from weasyprint import html as weasyprint_html

    standard = getattr(weasyprint_html, "UA_STYLESHEET", None)
    text = getattr(weasyprint_html, "UA", None)
    if standard is None or not isinstance(text, str) or not hasattr(HTML, "_ua_stylesheets"):
        return None
    text, removed = NOTE_RULES.subn("", text)
    if removed != 5:
        return None
    lean = CSS(string=text, counter_style=getattr(weasyprint_html, "UA_COUNTER_STYLE", None))

    class HTMLWithoutNotes(HTML):  # type: ignore[misc]
        """An HTML document whose user-agent stylesheet has no footnote and note rules."""

        def _ua_stylesheets(self, *args: Any, **kwargs: Any) -> list[Any]:
            return [lean if sheet is standard else sheet for sheet in super()._ua_stylesheets(*args, **kwargs)]

    return HTMLWithoutNotes


def _cannot_make_notes(html: str, folders: Sequence[Path]) -> bool:
    """Whether neither the page nor a stylesheet it may load (one in the folders) makes footnotes or notes.

    Doubt counts as "may": an unreadable file, or folders too big to be template folders (over 1,000 entries).
    """
    if MAY_MAKE_NOTES.search(html.lower()):
        return False
    entries = 0
    try:
        for folder in folders:
            for path in folder.rglob("*"):
                entries += 1
                if entries > 1000:
                    return False
                stylesheet = path.suffix.lower() == ".css" and path.is_file()
                if stylesheet and MAY_MAKE_NOTES.search(path.read_text("utf-8", errors="replace").lower()):
                    return False
    except OSError:
        return False
    return True


def _document_class(html: str, folders: Sequence[Path]) -> type[Any]:
    """The WeasyPrint document class for this HTML: without the footnote and note rules when that is faster and
    renders the same."""
    if html.count("<") >= LEAN_STYLESHEET_MIN_TAGS and _cannot_make_notes(html, folders):
        lean = _document_class_without_notes()
        if lean is not None:
            return lean
    standard: type[Any] = import_weasyprint().HTML
    return standard


_HREF = re.compile(r'<a\b[^>]*?\shref="([^"]*)"')


def _keep_relative_links(document: Any, html: str, base_uri: str) -> None:
    """Links to relative URLs (files/cv.pdf, /publications/) as the CV writes them: WeasyPrint resolves them
    against the base URL, the template folder, which would send the reader to cvgen's own install folder."""
    from weasyprint.urls import iri_to_uri

    written = {iri_to_uri(urljoin(base_uri, href)): href
               for href in (unescape(value).strip() for value in _HREF.findall(html)) if href and is_relative(href)}
    if not written:
        return
    for page in document.pages:
        page.links = [(kind, written.get(target, target) if kind == "external" else target, *rest)
                      for kind, target, *rest in page.links]


_KOREAN_RUN = re.compile(r'(<span lang="ko">)([^<]*)(</span>)')
_WORD_JOINER = "\u2060"


def keep_korean_words(html: str) -> str:
    """Korean runs (cvgen.renderers.html wraps them in <span lang="ko">) with a word joiner between the letters of
    each word, so that lines break between Korean words only, as `word-break: keep-all` asks, which WeasyPrint
    does not support (Pango would break between any two syllables). Joiners draw nothing and are not text."""

    def joined(match: re.Match[str]) -> str:
        words = match.group(2).split(" ")
        return match.group(1) + " ".join(_WORD_JOINER.join(word) for word in words) + match.group(3)

    return _KOREAN_RUN.sub(joined, html)


def html_to_pdf(html: str, base_dir: Path | Sequence[Path], *, allowed_dirs: Sequence[Path] = ()) -> bytes:
    """Typeset HTML as PDF, reading only files in base_dir (and allowed_dirs); relative URLs resolve in base_dir.

    base_dir may also be the template folders in use, the user's first: relative URLs then resolve in the first
    that holds the stylesheet, and all of them may be read.
    """
    folders = [Path(base_dir)] if isinstance(base_dir, (str, Path)) else [Path(folder) for folder in base_dir]
    if not folders:
        raise ValueError("html_to_pdf needs a base folder")
    base = next((folder for folder in folders if (folder / STYLESHEET).is_file()), folders[0]).resolve()
    fetcher = _fetcher_class()([*folders, *allowed_dirs])
    with _cycle_collector_paused():
        document_class = _document_class(html, [*folders, *allowed_dirs])
        document = document_class(string=html, base_url=base.as_uri() + "/", url_fetcher=fetcher).render()
        _keep_relative_links(document, html, base.as_uri() + "/")
        pdf = document.write_pdf()
    for url in fetcher.refused:
        LOGGER.warning("refused to fetch %s while making the PDF", url[:200])
    if not isinstance(pdf, bytes):
        raise CvgenError("WeasyPrint produced no PDF")
    return pdf


def render_pdf(cv: CV, options: RenderOptions = DEFAULT_OPTIONS, *, view: CVView | None = None,
               document: str | None = None) -> bytes:
    """The CV as PDF: its HTML rendering (`document`, when already made) typeset with the stylesheet of the template
    folders in use."""
    from cvgen.renderers import html

    document = keep_korean_words(document or html.render(cv, options, view=view))
    return html_to_pdf(document, html.html_template_dirs(cv, options))


def render_format(cv: CV, options: RenderOptions, view: CVView | None) -> bytes:
    """The registry's entry (cvgen.renderers.render): the PDF."""
    return render_pdf(cv, options, view=view)


def missing_script_fonts(text: str) -> list[str]:
    """Warnings for scripts in the text that no installed font covers (asks fontconfig, in-process)."""
    warnings: list[str] = []
    for name, characters, language in SCRIPTS:
        if re.search(characters, text) and not _has_font_for(language):
            warnings.append(
                f"no font for {name} text is installed; it will show as boxes in the PDF "
                f"(install {FONT_PACKAGE}: apt-get install {FONT_PACKAGE})"
            )
    return warnings


def _has_font_for(language: str) -> bool:
    covered = font_covers_language(language)
    return covered is None or covered  # no fontconfig to ask: stay quiet rather than guess


def missing_harfbuzz_subset() -> str | None:
    """A warning when libharfbuzz-subset is missing (WeasyPrint then embeds whole fonts, or fails)."""
    if find_shared_library("harfbuzz-subset") is not None:
        return None
    return (
        f"the HarfBuzz subsetting library is missing; install {HARFBUZZ_SUBSET_PACKAGE} "
        f"(apt-get install {HARFBUZZ_SUBSET_PACKAGE}) so PDFs embed only the glyphs they use"
    )


def pdf_warnings(text: str) -> list[str]:
    """Everything that would make the PDF of this text wrong or heavy: missing fonts and libraries."""
    warnings = missing_script_fonts(text) + missing_character_warnings(text, "they would show as boxes in the PDF")
    harfbuzz = missing_harfbuzz_subset()
    if harfbuzz:
        warnings.append(harfbuzz)
    return warnings
