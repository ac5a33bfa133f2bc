"""PNG previews of PDF pages, drawn by poppler's pdftoppm."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from cvgen.errors import CvgenError

TIMEOUT = 300  # seconds; a few hundred pages at 600 dpi stay well under it


def pdf_to_pngs(pdf: bytes, *, resolution: int = 100, first: int = 1, last: int | None = None) -> list[bytes]:
    """The pages of a PDF as PNG images, from page `first` to `last` (default: the end)."""
    if shutil.which("pdftoppm") is None:
        raise CvgenError("pdftoppm is missing: install poppler-utils (scripts/install-system-deps.sh)")
    with tempfile.TemporaryDirectory(prefix="cvgen-png-") as folder:
        source = Path(folder) / "cv.pdf"
        source.write_bytes(pdf)
        command = ["pdftoppm", "-png", "-r", str(resolution), "-f", str(first)]
        if last is not None:
            command += ["-l", str(last)]
        try:
            result = subprocess.run(
                [*command, str(source), str(Path(folder) / "page")], capture_output=True, text=True, timeout=TIMEOUT
            )
        except subprocess.TimeoutExpired:
            raise CvgenError(
                f"pdftoppm took more than {TIMEOUT} s; try fewer pages (--pages) or a lower --resolution"
            ) from None
        if result.returncode != 0:
            raise CvgenError(f"pdftoppm failed: {result.stderr.strip()}")
        pages = sorted(Path(folder).glob("page-*.png"), key=lambda path: int(path.stem.rsplit("-", 1)[1]))
        return [page.read_bytes() for page in pages]
