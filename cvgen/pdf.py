"""The PDF step: HTML to PDF with WeasyPrint, fetching nothing but data: URLs and the template folders' files.

This is the only module that imports WeasyPrint, and it does so inside functions, so `import cvgen.pdf` is cheap
and the other outputs never load it.
"""

from __future__ import annotations

import ctypes.util
import functools
import logging
import re
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

from cvgen.errors import CvgenError
from cvgen.model import CV
from cvgen.renderers import RenderOptions
from cvgen.renderers.html import STYLESHEET

LOGGER = logging.getLogger(__name__)
DEFAULT_OPTIONS = RenderOptions()  # frozen, so one shared default is safe

FONT_PACKAGE = "fonts-noto-cjk"
HARFBUZZ_SUBSET_PACKAGE = "libharfbuzz-subset0"

# Script name, a character range that detects it, and the fontconfig language that covers it.
SCRIPTS: tuple[tuple[str, str, str], ...] = (
    ("Korean (Hangul)", "[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]", "ko"),
    ("Japanese (Kana)", "[\u3040-\u30ff]", "ja"),
    ("Chinese (Han)", "[\u4e00-\u9fff]", "zh-cn"),
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


@functools.cache
def _fetcher_class() -> type[Any]:
    """A WeasyPrint URLFetcher that refuses whatever `is_allowed_url` refuses (built on first use)."""
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


def html_to_pdf(html: str, base_dir: Path | Sequence[Path], *, allowed_dirs: Sequence[Path] = ()) -> bytes:
    """Typeset HTML as PDF, reading only files in base_dir (and allowed_dirs); relative URLs resolve in base_dir.

    base_dir may also be the template folders in use, the user's first: relative URLs then resolve in the first
    that holds the stylesheet, and all of them may be read.
    """
    import weasyprint  # type: ignore[import-untyped]

    folders = [Path(base_dir)] if isinstance(base_dir, (str, Path)) else [Path(folder) for folder in base_dir]
    if not folders:
        raise ValueError("html_to_pdf needs a base folder")
    base = next((folder for folder in folders if (folder / STYLESHEET).is_file()), folders[0]).resolve()
    fetcher = _fetcher_class()([*folders, *allowed_dirs])
    document = weasyprint.HTML(string=html, base_url=base.as_uri() + "/", url_fetcher=fetcher)
    pdf = document.write_pdf()
    for url in fetcher.refused:
        LOGGER.warning("refused to fetch %s while making the PDF", url[:200])
    if not isinstance(pdf, bytes):
        raise CvgenError("WeasyPrint produced no PDF")
    return pdf


def render_pdf(cv: CV, options: RenderOptions = DEFAULT_OPTIONS) -> bytes:
    """The CV as PDF: its HTML rendering typeset with the stylesheet of the template folders in use."""
    from cvgen.renderers import html

    return html_to_pdf(html.render(cv, options), html.html_template_dirs(cv, options))


def missing_script_fonts(text: str) -> list[str]:
    """Warnings for scripts in the text that no installed font covers (asks fontconfig's fc-list)."""
    warnings: list[str] = []
    for name, characters, language in SCRIPTS:
        if re.search(characters, text) and not _has_font_for(language):
            warnings.append(
                f"no font for {name} text is installed; it will show as boxes in the PDF "
                f"(install {FONT_PACKAGE}: apt-get install {FONT_PACKAGE})"
            )
    return warnings


@functools.cache
def _has_font_for(language: str) -> bool:
    if shutil.which("fc-list") is None:
        return True  # no fontconfig tools to ask: stay quiet rather than guess
    result = subprocess.run(["fc-list", f":lang={language}", "family"], capture_output=True, text=True, check=False)
    return bool(result.stdout.strip())


def missing_harfbuzz_subset() -> str | None:
    """A warning when libharfbuzz-subset is missing (WeasyPrint then embeds whole fonts, or fails)."""
    if ctypes.util.find_library("harfbuzz-subset") is not None:
        return None
    return (
        f"the HarfBuzz subsetting library is missing; install {HARFBUZZ_SUBSET_PACKAGE} "
        f"(apt-get install {HARFBUZZ_SUBSET_PACKAGE}) so PDFs embed only the glyphs they use"
    )


def pdf_warnings(text: str) -> list[str]:
    """Everything that would make the PDF of this text wrong or heavy: missing fonts and libraries."""
    warnings = missing_script_fonts(text)
    harfbuzz = missing_harfbuzz_subset()
    if harfbuzz:
        warnings.append(harfbuzz)
    return warnings
