"""Which characters the installed fonts can draw, and the Debian package that adds a font for the others."""

from __future__ import annotations

import functools
import unicodedata
from typing import Any

from cvgen.native import colour_font_files, installed_characters
from cvgen.scripts import is_cjk

# Where Debian's fonts for a character are: (first, last code point, package); CJK is in fonts-noto-cjk, anything
# else in fonts-noto-core.
FONT_PACKAGES: tuple[tuple[int, int, str], ...] = (
    (0x2600, 0x27BF, "fonts-noto-color-emoji"),  # miscellaneous symbols and dingbats
    (0x1F000, 0x1FAFF, "fonts-noto-color-emoji"),  # emoji and pictographs
)
# Controls, format characters, private use and spaces. Unassigned (Cn) is not among them: Python's Unicode may be
# older than the text's (Python 3.11 knows Unicode 14), and a code point no font has is shown and named.
_NOT_DRAWN = frozenset(("Cc", "Cf", "Cs", "Co", "Zs", "Zl", "Zp"))
# Marks that select or join rather than draw (variation selectors, tags, fillers): no font needs a glyph for them.
_IGNORABLE = ((0x034F, 0x034F), (0x115F, 0x1160), (0x17B4, 0x17B5), (0x180B, 0x180F), (0x3164, 0x3164),
              (0xFE00, 0xFE0F), (0xFFA0, 0xFFA0), (0xE0000, 0xE0FFF))


def font_package(character: str) -> str:
    """The Debian package whose fonts draw a character."""
    if is_cjk(character):
        return "fonts-noto-cjk"
    point = ord(character)
    return next((package for first, last, package in FONT_PACKAGES if first <= point <= last), "fonts-noto-core")


def is_drawable(character: str, *, outline_only: bool = False) -> bool:
    """Whether some installed font draws the character (True when fontconfig cannot be asked, or for what no font
    draws: controls, spaces, format characters)."""
    installed = installed_characters(outline_only=outline_only)
    point = ord(character)
    return (installed is None or character.isascii() or unicodedata.category(character) in _NOT_DRAWN
            or any(first <= point <= last for first, last in _IGNORABLE) or character in installed)


@functools.cache
def colour_emoji_png(character: str) -> bytes | None:
    """The picture of a character in an installed colour font of PNG bitmaps (Noto Color Emoji's CBDT table), at
    its largest size, or None when no such font has it. XeTeX cannot draw these fonts: cvgen places the picture."""
    for path in colour_font_files(character):
        font = _bitmap_font(path)
        if font is None:
            continue
        cmap, strike = font
        glyph = cmap.get(ord(character))
        data = getattr(strike.get(glyph), "imageData", None) if glyph is not None else None
        if isinstance(data, bytes) and data.startswith(b"\x89PNG"):
            return data
    return None


@functools.cache
def _bitmap_font(path: str) -> tuple[dict[int, str], Any] | None:
    """A colour font's character map and its largest strike of PNG bitmaps, read once per process (the table
    takes a sixth of a second to read), or None when the font has none."""
    # WeasyPrint's own dependency (it ships no type information); loaded only for such characters.
    from fontTools.ttLib import TTFont, TTLibError  # type: ignore[import-untyped]

    try:
        font = TTFont(path, lazy=True)
        if "CBDT" not in font or "CBLC" not in font:
            return None
        sizes = [strike.bitmapSizeTable.ppemY for strike in font["CBLC"].strikes]
        return font.getBestCmap() or {}, font["CBDT"].strikeData[sizes.index(max(sizes))]
    except (OSError, TTLibError, KeyError, ValueError, AttributeError):
        return None


def drawn_as_picture(character: str) -> bool:
    """Whether the LaTeX PDF draws a character as a colour font's picture: no font of outlines has it, one of
    PNG bitmaps does."""
    return not is_drawable(character, outline_only=True) and colour_emoji_png(character) is not None


def is_drawable_in_latex(character: str) -> bool:
    """Whether the LaTeX PDF can draw a character: a font of outlines has it, or a colour font's picture of it."""
    return is_drawable(character, outline_only=True) or drawn_as_picture(character)


def missing_character_warnings(text: str, consequence: str, *, latex: bool = False) -> list[str]:
    """One warning per Debian package for the characters of `text` that no installed font draws (in the LaTeX PDF,
    with `latex`), naming each code point; `consequence` says what the output shows instead."""
    drawable = is_drawable_in_latex if latex else is_drawable
    missing = sorted(character for character in set(text) if not drawable(character))
    by_package: dict[str, list[str]] = {}
    for character in missing:
        by_package.setdefault(font_package(character), []).append(f"U+{ord(character):04X} {character}")
    return [f"no installed font draws {', '.join(characters)}; {consequence} (install {package}: apt-get install "
            f"{package})" for package, characters in by_package.items()]
