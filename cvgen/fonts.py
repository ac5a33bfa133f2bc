"""Which characters the installed fonts can draw, and the Debian package that adds a font for the others."""

from __future__ import annotations

import unicodedata

from cvgen.native import installed_characters

# Where Debian's fonts for a character are: (first, last code point, package); anything else is in fonts-noto-core.
FONT_PACKAGES: tuple[tuple[int, int, str], ...] = (
    (0x2600, 0x27BF, "fonts-noto-color-emoji"),  # miscellaneous symbols and dingbats
    (0x1F000, 0x1FAFF, "fonts-noto-color-emoji"),  # emoji and pictographs
    (0x2E80, 0x9FFF, "fonts-noto-cjk"), (0xAC00, 0xD7AF, "fonts-noto-cjk"), (0xF900, 0xFAFF, "fonts-noto-cjk"),
    (0x20000, 0x3FFFF, "fonts-noto-cjk"),
)
_NOT_DRAWN = frozenset(("Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp"))  # controls, format characters, spaces
# Marks that select or join rather than draw (variation selectors, tags, fillers): no font needs a glyph for them.
_IGNORABLE = ((0x034F, 0x034F), (0x115F, 0x1160), (0x17B4, 0x17B5), (0x180B, 0x180F), (0x3164, 0x3164),
              (0xFE00, 0xFE0F), (0xFFA0, 0xFFA0), (0xE0000, 0xE0FFF))


def font_package(character: str) -> str:
    """The Debian package whose fonts draw a character."""
    point = ord(character)
    return next((package for first, last, package in FONT_PACKAGES if first <= point <= last), "fonts-noto-core")


def is_drawable(character: str, *, outline_only: bool = False) -> bool:
    """Whether some installed font draws the character (True when fontconfig cannot be asked, or for what no font
    draws: controls, spaces, format characters)."""
    installed = installed_characters(outline_only=outline_only)
    point = ord(character)
    return (installed is None or character.isascii() or unicodedata.category(character) in _NOT_DRAWN
            or any(first <= point <= last for first, last in _IGNORABLE) or character in installed)


def missing_character_warnings(text: str, consequence: str, *, outline_only: bool = False) -> list[str]:
    """One warning per Debian package for the characters of `text` that no installed font draws, naming each code
    point; `consequence` says what the output shows instead."""
    missing = sorted(character for character in set(text) if not is_drawable(character, outline_only=outline_only))
    by_package: dict[str, list[str]] = {}
    for character in missing:
        by_package.setdefault(font_package(character), []).append(f"U+{ord(character):04X} {character}")
    return [f"no installed font draws {', '.join(characters)}; {consequence} (install {package}: apt-get install "
            f"{package})" for package, characters in by_package.items()]
