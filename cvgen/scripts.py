"""Which writing system a character belongs to: the one table every output asks (CJK runs and their language, the
scripts whose letters need a shaping engine, and the ones written right to left)."""

from __future__ import annotations

import bisect
import functools
import re
from typing import NamedTuple

# Character classes (for regular expressions) of the East Asian scripts.
HANGUL = "\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7af\ud7b0-\ud7ff\uffa0-\uffdc"
KANA = "\u3040-\u30ff\u31f0-\u31ff\u32d0-\u32fe\uff66-\uff9f"
HAN = ("\u2e80-\u2fdf\u3005\u3007\u3021-\u3029\u3100-\u312f\u3190-\u31ef"
       "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff")
CJK_PUNCTUATION = "\u3000-\u3004\u3008-\u3020\u3030-\u303f\u3200-\u33ff\ufe30-\ufe4f\uff01-\uff65\uffe0-\uffef"
CJK = f"{HANGUL}{KANA}{HAN}{CJK_PUNCTUATION}"
_HAS_HANGUL = re.compile(f"[{HANGUL}]")
_HAS_KANA = re.compile(f"[{KANA}]")
_IS_CJK = re.compile(f"[{CJK}]")


def cjk_language(text: str) -> str | None:
    """The East Asian language a text is set in: Korean when it has Hangul, Japanese for Kana, Chinese for Han or
    East Asian punctuation alone, else None."""
    if _HAS_HANGUL.search(text):
        return "ko"
    if _HAS_KANA.search(text):
        return "ja"
    if _IS_CJK.search(text):
        return "zh"
    return None


def is_cjk(character: str) -> bool:
    """Whether a character is Hangul, Kana, Han or East Asian punctuation (set by the CJK fonts and their rules)."""
    return _IS_CJK.match(character) is not None


class Script(NamedTuple):
    """A script whose letters change shape, order or join by their neighbours: a font must be told which it is."""

    name: str  # as fontspec's Script option and OpenType name it
    right_to_left: bool


# (first, last code point, script): the blocks of the scripts that need shaping, in order.
_SHAPED: tuple[tuple[int, int, Script], ...] = tuple(sorted((
    (0x0590, 0x05FF, Script("Hebrew", True)), (0xFB1D, 0xFB4F, Script("Hebrew", True)),
    (0x0600, 0x06FF, Script("Arabic", True)), (0x0750, 0x077F, Script("Arabic", True)),
    (0x0870, 0x08FF, Script("Arabic", True)), (0xFB50, 0xFDFF, Script("Arabic", True)),
    (0xFE70, 0xFEFF, Script("Arabic", True)),
    (0x0700, 0x074F, Script("Syriac", True)), (0x0780, 0x07BF, Script("Thaana", True)),
    (0x0900, 0x097F, Script("Devanagari", False)), (0xA8E0, 0xA8FF, Script("Devanagari", False)),
    (0x0980, 0x09FF, Script("Bengali", False)), (0x0A00, 0x0A7F, Script("Gurmukhi", False)),
    (0x0A80, 0x0AFF, Script("Gujarati", False)), (0x0B00, 0x0B7F, Script("Oriya", False)),
    (0x0B80, 0x0BFF, Script("Tamil", False)), (0x0C00, 0x0C7F, Script("Telugu", False)),
    (0x0C80, 0x0CFF, Script("Kannada", False)), (0x0D00, 0x0D7F, Script("Malayalam", False)),
    (0x0D80, 0x0DFF, Script("Sinhala", False)), (0x0E00, 0x0E7F, Script("Thai", False)),
    (0x0E80, 0x0EFF, Script("Lao", False)), (0x0F00, 0x0FFF, Script("Tibetan", False)),
    (0x1000, 0x109F, Script("Myanmar", False)), (0x1780, 0x17FF, Script("Khmer", False)),
), key=lambda block: block[0]))
_FIRSTS = [first for first, _, _ in _SHAPED]


@functools.cache
def shaped_script(character: str) -> Script | None:
    """The script of a character that needs shaping (Arabic, Hebrew, Devanagari, Thai…), or None."""
    point = ord(character)
    index = bisect.bisect_right(_FIRSTS, point) - 1
    if index >= 0 and _SHAPED[index][0] <= point <= _SHAPED[index][1]:
        return _SHAPED[index][2]
    return None


# A script's blocks and a small letter of it: a font that lacks that letter lacks the script, whatever few of its
# letters it has (Latin Modern's Greek capitals, there for mathematics).
_SAMPLES = ((0x0370, 0x03FF, "\u03b1"), (0x1F00, 0x1FFF, "\u03b1"), (0x0400, 0x052F, "\u0430"))


def script_sample(character: str) -> str | None:
    """A small letter of the character's script (Greek, Cyrillic), to ask a font whether it has the script."""
    point = ord(character)
    return next((sample for first, last, sample in _SAMPLES if first <= point <= last), None)


__all__ = ["CJK", "CJK_PUNCTUATION", "HAN", "HANGUL", "KANA", "Script", "cjk_language", "is_cjk", "script_sample",
           "shaped_script"]
