"""PNG previews (`cvgen png`): one PNG per page, in order, at the asked resolution, and clear errors."""

from __future__ import annotations

import io
import struct
from pathlib import Path

import pytest
from conftest import FIXTURES, require
from PIL import Image, ImageStat
from typer.testing import CliRunner

import cvgen.preview
from cvgen.cli import app
from cvgen.errors import CvgenError
from cvgen.loader import load_cv
from cvgen.pdf import html_to_pdf, render_pdf
from cvgen.preview import pdf_to_pngs

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
A4_WIDTH_INCHES = 210 / 25.4


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height from the IHDR chunk that follows the signature."""
    assert png.startswith(PNG_SIGNATURE) and png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    return width, height


@pytest.fixture(scope="module")
def minimal_pdf() -> bytes:
    return bytes(render_pdf(load_cv(FIXTURES / "cvs" / "minimal.yaml")))


@pytest.fixture(scope="module")
def three_pages(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A PDF of three A4 pages, the second one dark, so page order is visible in the pixels."""
    pages = "".join(
        f'<section style="break-after: page; height: 50mm; background: {colour}">page {number}</section>'
        for number, colour in ((1, "white"), (2, "black"), (3, "white"))
    )
    document = f"<html><head><style>@page {{ size: A4; margin: 0 }}</style></head><body>{pages}</body></html>"
    return bytes(html_to_pdf(document, tmp_path_factory.mktemp("preview")))


def test_one_png_per_page_of_a_cv(minimal_pdf: bytes) -> None:
    require("pdftoppm")
    images = pdf_to_pngs(minimal_pdf, resolution=40)
    assert len(images) == 1
    width, height = png_size(images[0])
    assert width == round(A4_WIDTH_INCHES * 40) and height > width
    # Not a blank page: the CV's text left dark pixels.
    darkest, lightest = Image.open(io.BytesIO(images[0])).convert("L").getextrema()
    assert darkest < 100 and lightest == 255


def test_pages_in_order_and_a_range(three_pages: bytes) -> None:
    require("pdftoppm")

    def darkness(png: bytes) -> float:
        image = Image.open(io.BytesIO(png)).convert("L")
        top = image.crop((0, 0, image.width, image.height // 10))
        return 255 - float(ImageStat.Stat(top).mean[0])

    images = pdf_to_pngs(three_pages, resolution=20)
    assert len(images) == 3 and all(image.startswith(PNG_SIGNATURE) for image in images)
    assert [darkness(image) > 128 for image in images] == [False, True, False]
    assert pdf_to_pngs(three_pages, resolution=20, last=1) == images[:1]
    assert pdf_to_pngs(three_pages, resolution=20, first=2) == images[1:]
    assert pdf_to_pngs(three_pages, resolution=20, first=2, last=2) == images[1:2]


def test_resolution_scales_the_image(three_pages: bytes) -> None:
    require("pdftoppm")
    small, large = (png_size(pdf_to_pngs(three_pages, resolution=dpi, last=1)[0]) for dpi in (20, 60))
    assert large[0] == pytest.approx(3 * small[0], abs=2) and large[1] == pytest.approx(3 * small[1], abs=2)


def test_a_broken_pdf_is_a_clear_error() -> None:
    require("pdftoppm")
    with pytest.raises(CvgenError, match="pdftoppm failed"):
        pdf_to_pngs(b"%PDF-1.7 this is not a PDF")


def test_missing_pdftoppm_names_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cvgen.preview.shutil, "which", lambda name: None)
    with pytest.raises(CvgenError, match="install poppler-utils"):
        pdf_to_pngs(b"%PDF-1.7")


def test_cvgen_png_writes_numbered_pages(tmp_path: Path) -> None:
    require("pdftoppm")
    result = CliRunner().invoke(
        app,
        [
            "png",
            str(FIXTURES / "cvs" / "full.yaml"),
            "-o",
            str(tmp_path),
            "--pages",
            "1",
            "--resolution",
            "30",
            "--theme",
            "modern",
        ],
    )
    assert result.exit_code == 0, result.output
    assert sorted(path.name for path in tmp_path.iterdir()) == ["cv-1.png"]
    assert png_size((tmp_path / "cv-1.png").read_bytes())[0] == round(8.5 * 30)  # the full CV is on letter paper


def test_cvgen_png_reports_an_unknown_theme(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["png", str(FIXTURES / "cvs" / "minimal.yaml"), "-o", str(tmp_path), "--theme", "fancy"]
    )
    assert result.exit_code == 1
    assert "--theme: there is no HTML theme 'fancy'; use one of classic, modern" in result.output
    assert not list(tmp_path.iterdir())


def test_a_stuck_pdftoppm_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, three_pages: bytes) -> None:
    require("pdftoppm")

    def stuck(command: list[str], **options: object) -> None:
        raise cvgen.preview.subprocess.TimeoutExpired(command, cvgen.preview.TIMEOUT)

    monkeypatch.setattr(cvgen.preview.subprocess, "run", stuck)
    with pytest.raises(CvgenError, match="pdftoppm took more than 300 s; try fewer pages"):
        pdf_to_pngs(three_pages)
