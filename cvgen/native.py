"""The system's native libraries, asked in-process: where a shared library is, and which fonts cover a language.

On Linux, `ctypes.util.find_library` starts ldconfig, and gcc and ld when ldconfig does not know the name, for every
name it is asked about; cffi's `dlopen` asks it for every name that does not load at once, and importing WeasyPrint
tries some twenty such names (a quarter of a second). Here the same questions are answered without starting a
process: libraries from the folders the dynamic loader searches, fonts from fontconfig's own library.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import functools
import glob
import os
import re
import sys
import sysconfig
from collections.abc import Iterator
from pathlib import Path

LD_SO_CONF = Path("/etc/ld.so.conf")
_ORIGINAL_FIND_LIBRARY = ctypes.util.find_library  # kept before in_process_library_lookup replaces it


def find_shared_library(name: str) -> str | None:
    """The path of the shared library `name` (as `ctypes.util.find_library` takes it) that this process can load.

    On Linux: the first `lib<name>.so*` in the loader's folders that loads, found without a subprocess. Elsewhere
    `ctypes.util.find_library`, which starts no compiler there.
    """
    if not sys.platform.startswith("linux"):
        return _ORIGINAL_FIND_LIBRARY(name)
    return _find_linux_library(name)


@functools.cache
def _find_linux_library(name: str) -> str | None:
    pattern = re.compile(rf"lib{re.escape(name)}\.so((?:\.\d+)*)")
    for folder in _library_folders():
        candidates = []
        for file_name in _folder_entries(folder):
            match = pattern.fullmatch(file_name)
            if match:
                # The soname (libfoo.so.0, what ldconfig lists) before fuller versions and the development link.
                versions = match.group(1).count(".")
                candidates.append((versions == 0, versions, file_name))
        for *_, file_name in sorted(candidates):
            path = os.path.join(folder, file_name)
            try:
                ctypes.CDLL(path)  # what the caller will do next; also skips libraries of another architecture
            except OSError:
                continue
            return path
    return None


@functools.cache
def _library_folders() -> tuple[str, ...]:
    """The folders the dynamic loader searches, in its order: LD_LIBRARY_PATH, ld.so.conf, then the system folders."""
    folders = [folder for folder in os.environ.get("LD_LIBRARY_PATH", "").split(":") if folder]
    folders += _ld_so_conf_folders(LD_SO_CONF, set())
    multiarch = sysconfig.get_config_var("MULTIARCH") or ""
    for prefix in ("/lib", "/usr/lib"):
        folders += [f"{prefix}/{multiarch}" if multiarch else prefix, prefix, f"{prefix}64"]
    return tuple(dict.fromkeys(folder for folder in folders if os.path.isdir(folder)))


def _ld_so_conf_folders(conf: Path, seen: set[Path]) -> list[str]:
    """The folders a ld.so.conf file lists, following its `include` lines."""
    if conf in seen:
        return []
    seen.add(conf)
    try:
        lines = conf.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
    folders: list[str] = []
    for line in lines:
        words = line.split("#", 1)[0].split()
        if words[:1] == ["include"]:
            for included in words[1:]:
                pattern = included if os.path.isabs(included) else str(conf.parent / included)
                for path in sorted(glob.glob(pattern)):
                    folders += _ld_so_conf_folders(Path(path), seen)
        elif words and not words[0].startswith("hwcap"):
            folders.append(words[0])
    return folders


@functools.cache
def _folder_entries(folder: str) -> tuple[str, ...]:
    try:
        return tuple(os.listdir(folder))
    except OSError:
        return ()


@contextlib.contextmanager
def in_process_library_lookup() -> Iterator[None]:
    """While active, `ctypes.util.find_library` answers with `find_shared_library`, starting no process (on Linux)."""
    if not sys.platform.startswith("linux"):
        yield
        return
    previous = ctypes.util.find_library
    ctypes.util.find_library = find_shared_library
    try:
        yield
    finally:
        ctypes.util.find_library = previous


# --- fontconfig ---------------------------------------------------------------------------------------------------


class _FontSet(ctypes.Structure):
    _fields_ = [("nfont", ctypes.c_int), ("sfont", ctypes.c_int), ("fonts", ctypes.POINTER(ctypes.c_void_p))]


@functools.cache
def _fontconfig() -> ctypes.CDLL | None:
    """libfontconfig with the signatures used here, or None when it is not installed."""
    path = find_shared_library("fontconfig")
    if path is None:
        return None
    try:
        library = ctypes.CDLL(path)
    except OSError:
        return None
    pointer = ctypes.c_void_p
    library.FcNameParse.argtypes, library.FcNameParse.restype = [ctypes.c_char_p], pointer
    library.FcObjectSetCreate.argtypes, library.FcObjectSetCreate.restype = [], pointer
    library.FcObjectSetAdd.argtypes, library.FcObjectSetAdd.restype = [pointer, ctypes.c_char_p], ctypes.c_int
    library.FcFontList.argtypes, library.FcFontList.restype = [pointer, pointer, pointer], ctypes.POINTER(_FontSet)
    library.FcFontSetDestroy.argtypes, library.FcFontSetDestroy.restype = [ctypes.POINTER(_FontSet)], None
    library.FcObjectSetDestroy.argtypes, library.FcObjectSetDestroy.restype = [pointer], None
    library.FcPatternDestroy.argtypes, library.FcPatternDestroy.restype = [pointer], None
    library.FcPatternCreate.argtypes, library.FcPatternCreate.restype = [], pointer
    library.FcPatternGetCharSet.argtypes = [pointer, ctypes.c_char_p, ctypes.c_int, ctypes.POINTER(pointer)]
    library.FcPatternGetCharSet.restype = ctypes.c_int
    library.FcCharSetCreate.argtypes, library.FcCharSetCreate.restype = [], pointer
    library.FcCharSetMerge.argtypes, library.FcCharSetMerge.restype = [pointer, pointer, pointer], ctypes.c_int
    library.FcCharSetHasChar.argtypes, library.FcCharSetHasChar.restype = [pointer, ctypes.c_uint32], ctypes.c_int
    library.FcPatternGetString.argtypes = [pointer, ctypes.c_char_p, ctypes.c_int, ctypes.POINTER(ctypes.c_char_p)]
    library.FcPatternGetString.restype = ctypes.c_int
    return library


@functools.cache
def font_covers_language(language: str) -> bool | None:
    """Whether an installed font covers a fontconfig language (what `fc-list :lang=<language>` lists), or None
    when fontconfig is not installed."""
    fontconfig = _fontconfig()
    if fontconfig is None:
        return None
    pattern = fontconfig.FcNameParse(f":lang={language}".encode())
    if not pattern:
        return None
    objects = fontconfig.FcObjectSetCreate()
    try:
        fontconfig.FcObjectSetAdd(objects, b"family")
        fonts = fontconfig.FcFontList(None, pattern, objects)  # None: the default configuration, as fc-list uses
        if not fonts:
            return None
        try:
            return bool(fonts.contents.nfont)
        finally:
            fontconfig.FcFontSetDestroy(fonts)
    finally:
        fontconfig.FcObjectSetDestroy(objects)
        fontconfig.FcPatternDestroy(pattern)


class InstalledCharacters:
    """Every character some installed font can draw (the union of the fonts' character sets, read once)."""

    def __init__(self, fontconfig: ctypes.CDLL, charset: int) -> None:
        self._fontconfig = fontconfig
        self._charset = charset

    def __contains__(self, character: str) -> bool:
        return bool(self._fontconfig.FcCharSetHasChar(self._charset, ord(character)))


def installed_characters(*, outline_only: bool = False) -> InstalledCharacters | None:
    """What the installed fonts can draw, or None when fontconfig is not installed (then nothing is known).

    With `outline_only`, only fonts of outlines count: XeTeX cannot draw the bitmaps of colour emoji fonts."""
    return characters_of(":outline=True:color=False" if outline_only else ":")


@functools.cache
def characters_of(wanted: str) -> InstalledCharacters | None:
    """What the installed fonts a fontconfig pattern names (":family=Latin Modern Roman") can draw, or None when
    fontconfig is not installed."""
    fontconfig = _fontconfig()
    if fontconfig is None:
        return None
    pattern = fontconfig.FcNameParse(wanted.encode())
    objects = fontconfig.FcObjectSetCreate()
    union = fontconfig.FcCharSetCreate()  # kept for the life of the process, as the cache keeps this object
    try:
        fontconfig.FcObjectSetAdd(objects, b"charset")
        fonts = fontconfig.FcFontList(None, pattern, objects)
        if not fonts:
            return None
        try:
            for index in range(fonts.contents.nfont):
                charset = ctypes.c_void_p()
                if fontconfig.FcPatternGetCharSet(fonts.contents.fonts[index], b"charset", 0,
                                                  ctypes.byref(charset)) == 0:  # FcResultMatch
                    fontconfig.FcCharSetMerge(union, charset, None)
        finally:
            fontconfig.FcFontSetDestroy(fonts)
    finally:
        fontconfig.FcObjectSetDestroy(objects)
        fontconfig.FcPatternDestroy(pattern)
    return InstalledCharacters(fontconfig, union)


@functools.cache
def outline_families(character: str) -> tuple[str, ...]:
    """The families of the installed fonts of outlines that draw a character (empty without fontconfig)."""
    return _font_strings(f":outline=True:color=False:charset={ord(character):x}", "family")


@functools.cache
def colour_font_files(character: str) -> tuple[str, ...]:
    """The files of the installed colour fonts (Noto Color Emoji) that draw a character (empty without fontconfig)."""
    return _font_strings(f":color=True:charset={ord(character):x}", "file")


def _font_strings(wanted: str, field: str) -> tuple[str, ...]:
    """One field (family, file) of the installed fonts a fontconfig pattern names, each value once, in
    fontconfig's order."""
    fontconfig = _fontconfig()
    if fontconfig is None:
        return ()
    pattern = fontconfig.FcNameParse(wanted.encode())
    objects = fontconfig.FcObjectSetCreate()
    values: list[str] = []
    try:
        fontconfig.FcObjectSetAdd(objects, field.encode())
        fonts = fontconfig.FcFontList(None, pattern, objects)
        if not fonts:
            return ()
        try:
            for index in range(fonts.contents.nfont):
                value = ctypes.c_char_p()
                if fontconfig.FcPatternGetString(fonts.contents.fonts[index], field.encode(), 0,
                                                 ctypes.byref(value)) == 0 and value.value:
                    text = value.value.decode("utf-8", "replace")
                    if text not in values:
                        values.append(text)
        finally:
            fontconfig.FcFontSetDestroy(fonts)
    finally:
        fontconfig.FcObjectSetDestroy(objects)
        fontconfig.FcPatternDestroy(pattern)
    return tuple(values)
