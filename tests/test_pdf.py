"""The PDF step: every fact in the typeset text, Korean in a Korean face, links kept, and nothing fetched."""

from __future__ import annotations

import ctypes.util
import gc
import html
import http.server
import json
import os
import re
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, require, require_font
from support import (
    KOREAN_WORDS,
    RAW_PAGES,
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

import cvgen.pdf
from cvgen.loader import load_cv
from cvgen.markup import parse_markup, plain_text
from cvgen.pdf import html_to_pdf, is_allowed_url, missing_harfbuzz_subset, missing_script_fonts, render_pdf
from cvgen.renderers import RenderOptions
from cvgen.templates import builtin_themes

CVS = FIXTURES / "cvs"


THEMES = builtin_themes("html")
# Themes whose stylesheet sets headings or labels in capitals (text-transform), which changes the PDF's text.
CAPITALISING_THEMES = {"modern"}


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    """The fixture CVs typeset once per theme for the whole module, keyed by (theme, CV)."""
    folder = tmp_path_factory.mktemp("pdf")
    paths = {}
    for theme in THEMES:
        for name in ("minimal", "full"):
            paths[theme, name] = folder / f"{theme}-{name}.pdf"
            paths[theme, name].write_bytes(render_pdf(load_cv(CVS / f"{name}.yaml"), RenderOptions(theme=theme)))
    return paths


class Listener:
    """A local HTTP server that counts every request it gets (the PDF step must send none)."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        listener = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802  (the name http.server calls)
                listener.paths.append(self.path)
                body = b"body { color: red }"
                self.send_response(200)
                self.send_header("Content-Type", "text/css")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    def assert_reachable(self) -> None:
        """A control request: proves that zero counted requests means none were made, not a dead listener."""
        before = len(self.paths)
        with urllib.request.urlopen(f"{self.url}/control", timeout=5) as response:
            assert response.status == 200
        assert len(self.paths) == before + 1


@pytest.fixture
def listener() -> Iterator[Listener]:
    server = Listener()
    server.thread.start()
    try:
        yield server
    finally:
        server.server.shutdown()
        server.server.server_close()


def embedded_files(pdf: Path) -> str:
    return subprocess.run(["pdfdetach", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout


def pdf_urls(pdf: Path) -> list[str]:
    """The link URIs of a PDF, from `pdfinfo -url` (poppler ≥ 21)."""
    result = subprocess.run(["pdfinfo", "-url", str(pdf)], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        pytest.skip("this pdfinfo cannot list URLs (-url needs poppler 21 or newer)")
    return [line.split()[-1] for line in result.stdout.splitlines()[1:] if line.strip()]


def pdfinfo(pdf: Path) -> str:
    return subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout


# --- the fixture CVs --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("name", ["minimal", "full"])
def test_every_fact_reaches_the_pdf(pdfs: dict[tuple[str, str], Path], name: str, theme: str) -> None:
    require("pdftotext", "pdffonts")
    cv = load_cv(CVS / f"{name}.yaml")
    text = pdf_text(pdfs[theme, name])
    if theme in CAPITALISING_THEMES:
        haystack = squash(text).casefold()
        assert [fact for fact in facts(cv) if squash(fact).casefold() not in haystack] == []
    else:
        assert missing_facts(cv, text) == []
    assert pdf_page_count(pdfs[theme, name]) >= 1


@pytest.mark.parametrize("theme", THEMES)
def test_korean_is_drawn_with_the_korean_face(pdfs: dict[tuple[str, str], Path], theme: str) -> None:
    require("pdftotext", "pdffonts")
    require_font("Noto Serif CJK KR")
    require_font("Noto Sans CJK KR")
    text = pdf_text(pdfs[theme, "full"])
    assert "한국어 자연어 처리" in text
    assert "황성주 교수팀" in text
    fonts = pdf_fonts(pdfs[theme, "full"])
    korean = [line for line in fonts if re.search(r"CJK.?KR", line)]
    assert korean, fonts
    assert all(line.split()[-5] == "yes" for line in korean)  # the 'emb' column: embedded
    assert not [line for line in fonts if re.search(r"CJK.?(JP|SC|TC|HK)", line)]


def test_each_theme_has_its_own_faces(pdfs: dict[tuple[str, str], Path]) -> None:
    require("pdffonts")
    require_font("Lato")
    classic, modern = (" ".join(pdf_fonts(pdfs[theme, "full"])) for theme in ("classic", "modern"))
    assert "Serif-CJK-KR" in classic and "Sans-CJK-KR" not in classic
    assert "Sans-CJK-KR" in modern and "Serif-CJK-KR" not in modern
    assert "Lato" in modern and "Lato" not in classic


@pytest.mark.parametrize("theme", THEMES)
def test_links_are_clickable(pdfs: dict[tuple[str, str], Path], theme: str) -> None:
    require("pdfinfo")
    urls = pdf_urls(pdfs[theme, "full"])
    for url in (
        "https://arxiv.org/abs/2106.08630",
        "https://github.com/HayeonLee/HELP",
        "mailto:zoe@example.org",
        "https://womentechstars.github.io/",
        "https://example.org/lab?a=1&b=2",
    ):
        assert url in urls


def page_text(pdf: Path, page: int) -> str:
    return subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


@pytest.mark.parametrize("theme", THEMES)
def test_page_setup_and_metadata(pdfs: dict[tuple[str, str], Path], theme: str) -> None:
    require("pdfinfo")
    full = pdfinfo(pdfs[theme, "full"])
    assert re.search(r"^Page size:\s+612 x 792 pts \(letter\)", full, re.MULTILINE)
    assert re.search(r"^Title:\s+Zoë Ångström-Lee – Curriculum Vitae$", full, re.MULTILINE)
    assert re.search(r"^Author:\s+Zoë Ångström-Lee$", full, re.MULTILINE)
    assert re.search(r"^Keywords:\s+AutoML, meta-learning$", full, re.MULTILINE)
    minimal = pdfinfo(pdfs[theme, "minimal"])
    assert re.search(r"^Page size:\s+595\.\d* x 841\.\d* pts \(A4\)", minimal, re.MULTILINE)


@pytest.mark.parametrize("theme", THEMES)
def test_sections_are_pdf_bookmarks_in_order(pdfs: dict[tuple[str, str], Path], theme: str) -> None:
    require("pdftohtml")
    xml = subprocess.run(["pdftohtml", "-xml", "-i", "-stdout", "-q", str(pdfs[theme, "full"])],
                         capture_output=True, text=True, check=True).stdout
    outline = re.search(r"<outline>(.*)</outline>", xml, re.DOTALL)
    assert outline, "the PDF has no bookmarks"
    bookmarks = [html.unescape(item) for item in re.findall(r"<item[^>]*>(.*?)</item>", outline.group(1))]
    cv = load_cv(CVS / "full.yaml")
    titles = [plain_text(parse_markup(section.title)) for section in cv.sections if section.title]
    assert [title.casefold() for title in bookmarks] == [title.casefold() for title in titles]
    # A group's bookmark is nested under its section's.
    nested = re.findall(r"<outline>\s*<item[^>]*>(.*?)</item>\s*</outline>", outline.group(1), re.DOTALL)
    groups = [plain_text(parse_markup(section.title)) for section in cv.sections if section.group and section.title]
    assert [html.unescape(item).casefold() for item in nested] == [title.casefold() for title in groups] != []


def test_classic_running_heads(pdfs: dict[tuple[str, str], Path]) -> None:
    require("pdftotext", "pdfinfo")
    pdf = pdfs["classic", "full"]
    pages = pdf_page_count(pdf)
    assert pages >= 2
    first, second = page_text(pdf, 1), page_text(pdf, 2)
    assert re.search(rf"^1 ?/ ?{pages}$", first, re.MULTILINE) and re.search(rf"^2 ?/ ?{pages}$", second, re.MULTILINE)
    # The name alone on a line: the title on page 1; the running head, from page 2 on.
    assert [line for line in first.splitlines() if line.strip() == "Zoë Ångström-Lee"] == ["Zoë Ångström-Lee"]
    assert [line for line in second.splitlines() if line.strip() == "Zoë Ångström-Lee"] == ["Zoë Ångström-Lee"]


def test_modern_footer_names_the_owner_on_every_page(pdfs: dict[tuple[str, str], Path]) -> None:
    require("pdftotext", "pdfinfo")
    pdf = pdfs["modern", "full"]
    pages = pdf_page_count(pdf)
    assert pages >= 2
    for page in range(1, pages + 1):
        text = page_text(pdf, page)
        assert re.search(rf"^Zoë Ångström-Lee \| {page} / {pages}$", text, re.MULTILINE), text
    assert "Zoë Ångström-Lee\n" in page_text(pdf, 1)  # the name block on page 1, besides the footer


# --- the fetcher ----------------------------------------------------------------------------------------------------


def test_allowed_urls(tmp_path: Path) -> None:
    base = tmp_path / "templates"
    base.mkdir()
    (base / "style.css").write_text("p {}")
    (tmp_path / "secret.txt").write_text("secret")
    (base / "escape.css").symlink_to(tmp_path / "secret.txt")
    allowed = [base]
    assert is_allowed_url((base / "style.css").as_uri(), allowed)
    assert is_allowed_url("data:text/css,p%20%7B%7D", allowed)
    assert not is_allowed_url("file:///etc/passwd", allowed)
    assert not is_allowed_url((tmp_path / "secret.txt").as_uri(), allowed)
    assert not is_allowed_url(base.as_uri() + "/../secret.txt", allowed)
    assert not is_allowed_url(base.as_uri() + "/%2E%2E/secret.txt", allowed)
    assert not is_allowed_url((base / "escape.css").as_uri(), allowed)  # a symbolic link out of the folder
    assert not is_allowed_url("file://otherhost" + (base / "style.css").as_posix(), allowed)
    assert not is_allowed_url((base / "missing.css").as_uri(), allowed)
    assert not is_allowed_url(base.as_uri(), allowed)  # a folder, not a file
    for url in (
        "http://127.0.0.1/x",
        "https://example.org/",
        "ftp://example.org/x",
        "javascript:alert(1)",
        "/etc/passwd",
        "style.css",
    ):
        assert not is_allowed_url(url, allowed)


def hostile_html(url: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Hostile</title>
<link rel="stylesheet" href="{url}/linked.css">
<link rel="attachment" href="file:///etc/passwd">
<link rel="attachment" href="{url}/attachment.txt">
<style>
@import url({url}/imported.css);
@font-face {{ font-family: Remote; src: url({url}/font.woff); }}
body {{ background: url({url}/background.png); }}
h1 {{ font-family: Remote, serif; }}
</style>
</head><body>
<h1>Hostile but harmless</h1>
<p style="background:url({url}/inline.png)">The PDF still renders.</p>
<img src="file:///etc/passwd" alt="">
<img src="{url}/x" alt="">
<a rel="attachment" href="file:///etc/hostname">attached</a>
<object data="{url}/object.svg"></object>
<embed src="file:///etc/passwd">
<svg width="10" height="10"><image href="{url}/svg.png" width="10" height="10"/></svg>
</body></html>
"""


def test_hostile_html_fetches_nothing(tmp_path: Path, listener: Listener) -> None:
    require("pdftotext", "pdffonts", "pdfdetach")
    pdf = tmp_path / "hostile.pdf"
    pdf.write_bytes(html_to_pdf(hostile_html(listener.url), tmp_path))
    assert listener.paths == []
    listener.assert_reachable()
    assert re.match(r"0 embedded files", embedded_files(pdf))
    text = pdf_text(pdf)
    assert "Hostile but harmless" in text and "The PDF still renders." in text
    assert "root:" not in text
    assert pdf_page_count(pdf) == 1


def test_plain_weasyprint_would_have_fetched(tmp_path: Path, listener: Listener) -> None:
    """The control: the same page through WeasyPrint's own fetcher reaches the listener and attaches files."""
    require("pdfdetach")
    import weasyprint

    pdf = tmp_path / "unsafe.pdf"
    pdf.write_bytes(weasyprint.HTML(string=hostile_html(listener.url), base_url=str(tmp_path)).write_pdf())
    assert listener.paths
    assert not embedded_files(pdf).startswith("0 ")


def test_hostile_cv_fetches_nothing(tmp_path: Path, listener: Listener) -> None:
    require("pdftotext", "pdffonts", "pdfdetach")
    from renderers.test_html import hostile_cv

    cv = hostile_cv(listener.port)
    pdf = tmp_path / "hostile-cv.pdf"
    pdf.write_bytes(render_pdf(cv))
    assert listener.paths == []
    listener.assert_reachable()
    assert re.match(r"0 embedded files", embedded_files(pdf))
    assert missing_facts(cv, pdf_text(pdf)) == []


A5 = "419.528 x 595.276 pts"


def test_template_folder_files_are_fetched_and_others_not(tmp_path: Path) -> None:
    require("pdfinfo")
    base = tmp_path / "theme"
    base.mkdir()
    (base / "style.css").write_text("@page { size: A5; }")
    (tmp_path / "outside.css").write_text("@page { size: A6; }")
    page = '<html><head><link rel="stylesheet" href="style.css">{extra}</head><body><p>x</p></body></html>'
    pdf = tmp_path / "a5.pdf"
    pdf.write_bytes(html_to_pdf(page.format(extra=""), base))
    assert A5 in pdfinfo(pdf)
    for outside in ("../outside.css", (tmp_path / "outside.css").as_uri()):
        pdf.write_bytes(html_to_pdf(page.format(extra=f'<link rel="stylesheet" href="{outside}">'), base))
        assert A5 in pdfinfo(pdf), outside


# --- warnings and cheap imports -------------------------------------------------------------------------------------


def test_missing_script_fonts(monkeypatch: pytest.MonkeyPatch) -> None:
    assert missing_script_fonts("plain Latin text") == []
    monkeypatch.setattr(cvgen.pdf, "_has_font_for", lambda language: language != "ko")
    warnings = missing_script_fonts("KAIST 황성주 교수팀")
    assert len(warnings) == 1
    assert "Korean" in warnings[0] and "fonts-noto-cjk" in warnings[0]
    assert missing_script_fonts("日本語のテキスト") == []


def test_korean_font_is_found_when_installed() -> None:
    require_font("Noto Serif CJK KR")
    assert missing_script_fonts("한국어") == []


def test_missing_harfbuzz_subset(monkeypatch: pytest.MonkeyPatch) -> None:
    installed = ctypes.util.find_library("harfbuzz-subset") is not None  # the slow way, as the reference
    assert (missing_harfbuzz_subset() is None) is installed
    monkeypatch.setattr(cvgen.pdf, "find_shared_library", lambda name: None)
    message = missing_harfbuzz_subset()
    assert message is not None and "libharfbuzz-subset0" in message


def test_importing_the_pdf_module_does_not_load_weasyprint() -> None:
    code = "import sys, cvgen.pdf, cvgen.renderers.html; assert 'weasyprint' not in sys.modules, 'loaded'"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


PROCESS_EVENTS = ("subprocess.Popen", "os.posix_spawn", "os.exec", "os.system", "os.fork", "os.spawn")


def test_making_a_pdf_starts_no_process(tmp_path: Path) -> None:
    """Importing WeasyPrint through cvgen, the warnings and the typesetting run no ldconfig, gcc, ld or fc-list."""
    code = f"""
import json, sys
from pathlib import Path
started = []
sys.addaudithook(lambda event, args: started.append([event, repr(args)[:200]]) if event in {PROCESS_EVENTS!r} else None)
import cvgen.pdf
cvgen.pdf.import_weasyprint()
warnings = cvgen.pdf.pdf_warnings("Korean 한국어, Japanese 日本語のテキスト, Chinese 中文")
pdf = cvgen.pdf.html_to_pdf("<p>한국어 and text</p>", Path(sys.argv[1]))
from weasyprint.text import ffi
print(json.dumps({{"started": started, "subset": ffi.harfbuzz_subset is not None, "pdf": pdf[:5].decode()}}))
"""
    result = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, check=True,
                            cwd=ROOT)
    report = json.loads(result.stdout.splitlines()[-1])
    assert report["started"] == []
    assert report["subset"] is (ctypes.util.find_library("harfbuzz-subset") is not None)
    assert report["pdf"] == "%PDF-"


MAPPED_LIBRARIES = """
import re, sys
{load}
maps = open("/proc/self/maps").read().split()
print(sorted({{word for word in maps if re.search(r"/lib(gobject|pango|pangoft2|harfbuzz|fontconfig)[-.]", word)}}))
"""


def test_weasyprint_loads_the_same_libraries_as_by_itself() -> None:
    if not Path("/proc/self/maps").is_file():
        pytest.skip("needs /proc/self/maps (Linux)")
    mapped = [
        subprocess.run([sys.executable, "-c", MAPPED_LIBRARIES.format(load=load)], capture_output=True, text=True,
                       check=True, cwd=ROOT).stdout
        for load in ("import weasyprint", "import cvgen.pdf; cvgen.pdf.import_weasyprint()")
    ]
    assert "harfbuzz" in mapped[0] and mapped[0] == mapped[1]


def test_the_slow_lookup_is_the_fallback() -> None:
    """When the in-process look-up misses a library, WeasyPrint is imported again with find_library's own search."""
    code = """
import contextlib, cffi, cvgen.pdf
real = cffi.FFI.dlopen

@contextlib.contextmanager
def lookup_that_finds_nothing():
    def dlopen(self, name, flags=0):
        raise OSError(f"cannot load {name}")
    cffi.FFI.dlopen = dlopen
    try:
        yield
    finally:
        cffi.FFI.dlopen = real

cvgen.pdf.in_process_library_lookup = lookup_that_finds_nothing
weasyprint = cvgen.pdf.import_weasyprint()
print(weasyprint.HTML(string="<p>x</p>").write_pdf()[:5].decode())
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert result.stdout == "%PDF-\n"  # and the install notice of the failed first try is not shown


def test_the_cycle_collector_is_back_after_typesetting(tmp_path: Path) -> None:
    assert gc.isenabled()
    html_to_pdf("<p>x</p>", tmp_path)
    assert gc.isenabled()
    gc.disable()
    try:
        html_to_pdf("<p>x</p>", tmp_path)
        assert not gc.isenabled()  # left as the caller had it
    finally:
        gc.enable()


TOKENIZER_PAGE = """<!DOCTYPE html><html lang="en"><head><title>T &amp; t</title>
<style>p > a { color: red }</style></head><body>
<p class="a b" id='x' data-v=unquoted title="&quot;q&quot; &#8201;">Text &amp; &#xAC00;<b>bold</b>\x00 <br/>
<!-- a comment -- with dashes --><a href="files/cv.pdf?a=1&b=2">link</a> <span lang="ko">김 연\u2060구</span></p>
<table><tr><td>cell<td>next</table><svg><![CDATA[ raw <text> ]]></svg><textarea>a <b> c</textarea></body></html>"""


def test_the_html_parser_finds_the_patterns_it_caches() -> None:
    import xml.etree.ElementTree as ElementTree

    import tinyhtml5  # type: ignore[import-untyped]
    import tinyhtml5.inputstream  # type: ignore[import-untyped]

    cvgen.pdf.import_weasyprint()
    cache = tinyhtml5.inputstream.characters_until_regex
    assert isinstance(cache, cvgen.pdf._CharactersUntilPatterns), "tinyhtml5 changed: see cvgen.pdf"
    parsed = ElementTree.tostring(tinyhtml5.parse(TOKENIZER_PAGE, namespace_html_elements=False))
    assert (("<", "\u0000"), False) in cache  # kept under the key tinyhtml5 reads it with
    tinyhtml5.inputstream.characters_until_regex = {}  # tinyhtml5's own cache, which never hits
    try:
        assert ElementTree.tostring(tinyhtml5.parse(TOKENIZER_PAGE, namespace_html_elements=False)) == parsed
    finally:
        tinyhtml5.inputstream.characters_until_regex = cache


# A page long enough for the user-agent stylesheet without footnote and note rules (see cvgen.pdf).
LONG_PAGE = "<p>" + "<span>word</span> " * 2000 + "</p>"


def test_long_pages_without_notes_get_the_leaner_stylesheet(tmp_path: Path) -> None:
    import weasyprint

    lean = cvgen.pdf._document_class_without_notes()
    assert lean is not None, "WeasyPrint's user-agent stylesheet no longer has the five rules cvgen leaves out"
    assert cvgen.pdf._document_class(LONG_PAGE, [tmp_path]) is lean
    assert cvgen.pdf._document_class("<p>short</p>", [tmp_path]) is weasyprint.HTML
    assert cvgen.pdf._document_class('<p style="position: note(side)">n</p>' + LONG_PAGE, []) is weasyprint.HTML
    (tmp_path / "themes").mkdir()
    (tmp_path / "themes" / "style.css").write_text("aside { FLOAT: Footnote }")
    assert cvgen.pdf._document_class(LONG_PAGE, [tmp_path]) is weasyprint.HTML


def test_footnotes_still_work_on_long_pages(tmp_path: Path) -> None:
    require("pdftotext")
    (tmp_path / "style.css").write_text("aside { float: footnote }")
    page = f'<link rel="stylesheet" href="style.css">{LONG_PAGE}<p>Called<aside>The footnote.</aside></p>'
    pdf = tmp_path / "notes.pdf"
    pdf.write_bytes(html_to_pdf(page, tmp_path))
    assert "The footnote." in pdf_text(pdf)


@pytest.mark.parametrize("theme", THEMES)
def test_the_leaner_stylesheet_draws_the_same(theme: str) -> None:
    require("pdftoppm")
    import weasyprint

    from cvgen.preview import pdf_to_pngs
    from cvgen.renderers import html

    cv, options = load_cv(CVS / "full.yaml"), RenderOptions(theme=theme)
    page, base = html.render(cv, options), html.stylesheet_dir(cv, options).resolve().as_uri() + "/"
    lean = cvgen.pdf._document_class_without_notes()
    pdfs = [document(string=page, base_url=base).write_pdf() for document in (weasyprint.HTML, lean)]
    assert pdf_to_pngs(pdfs[0], resolution=50) == pdf_to_pngs(pdfs[1], resolution=50)


def test_the_layout_tunings_are_on_for_this_weasyprint() -> None:
    cvgen.pdf.import_weasyprint()
    assert cvgen.pdf._tune_layout() == dict.fromkeys(cvgen.pdf.TUNINGS, True), (
        "WeasyPrint's code under a tuning changed: read the new code, then update the digests in cvgen.pdf")


TYPESET = """
import sys
from pathlib import Path
from cvgen.loader import load_cv
from cvgen.pdf import render_pdf
from cvgen.renderers import RenderOptions
Path(sys.argv[3]).write_bytes(render_pdf(load_cv(Path(sys.argv[1])), RenderOptions(theme=sys.argv[2])))
"""


@pytest.mark.parametrize("cv", [CVS / "full.yaml", ROOT / "data" / "cv.yaml"], ids=["full", "seed"])
@pytest.mark.parametrize("theme", THEMES)
def test_the_tuned_layout_draws_what_weasyprint_draws(theme: str, cv: Path, tmp_path: Path) -> None:
    """The full CV (Korean, marks, links, every section) and the seed (a justified paragraph) typeset in two
    processes, WeasyPrint tuned and as it comes: the same PDF, byte for byte. (WeasyPrint writes the same bytes
    for the same document, so this is the tunings' own claim, not a golden file.)"""
    pdfs = []
    for untuned in ("", "1"):
        pdf = tmp_path / f"untuned-{untuned or 0}.pdf"
        environment = {**os.environ, cvgen.pdf.UNTUNED_VARIABLE: untuned}
        subprocess.run([sys.executable, "-c", TYPESET, str(cv), theme, str(pdf)], check=True,
                       env=environment)
        pdfs.append(pdf.read_bytes())
    assert pdfs[0] == pdfs[1]


def test_untuned_means_weasyprint_as_it_comes() -> None:
    code = "import cvgen.pdf as p; p.import_weasyprint(); print(p._tune_layout())"
    environment = {**os.environ, cvgen.pdf.UNTUNED_VARIABLE: "1"}
    shown = subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True)
    assert shown.stdout.strip() == repr(dict.fromkeys(cvgen.pdf.TUNINGS, False))
    import weasyprint.layout.block
    import weasyprint.text.line_break

    untouched = subprocess.run(
        [sys.executable, "-c", "import cvgen.pdf as p, weasyprint.layout.block as b; p.import_weasyprint(); "
         "print(getattr(b.resolve_percentages, '_cvgen_inline', False))"],
        env=environment, capture_output=True, text=True, check=True)
    assert untouched.stdout.strip() == "False"
    cvgen.pdf.import_weasyprint()
    assert getattr(weasyprint.layout.block.resolve_percentages, "_cvgen_inline", False)  # this process: tuned
    assert getattr(weasyprint.text.line_break.Layout, "_cvgen_tuned", False)


def test_template_folders_as_base_resolve_in_the_first_with_a_stylesheet(tmp_path: Path) -> None:
    require("pdfinfo")
    user, theme = tmp_path / "user", tmp_path / "theme"
    user.mkdir()
    theme.mkdir()
    (theme / "style.css").write_text("@import url(extra.css); @page { size: A5; }")
    (theme / "extra.css").write_text("p { color: blue }")
    page = '<html><head><link rel="stylesheet" href="style.css"></head><body><p>x</p></body></html>'
    pdf = tmp_path / "out.pdf"
    pdf.write_bytes(html_to_pdf(page, [user, theme]))
    assert A5 in pdfinfo(pdf)
    (user / "style.css").write_text("@page { size: A6; }")
    pdf.write_bytes(html_to_pdf(page, [user, theme]))
    assert "297.638 x 419.528 pts" in pdfinfo(pdf)


def test_relative_links_stay_relative_in_both_pdfs(tmp_path: Path) -> None:
    """Relative URLs are links as the CV writes them, never resolved against cvgen's template folder (a
    file:// link into the install) nor made local-file actions by hyperref."""
    require("pdfinfo", "latexmk", "pdflatex")
    cv_path = tmp_path / "cv.yaml"
    cv_path.write_text(
        "name: A\nwebsite: /about/\nsections:\n  - kind: publications\n    title: Papers\n    items:\n"
        "      - title: T\n        authors: [A]\n        links:\n          - {label: pdf, url: files/paper.pdf}\n"
        "          - {label: up, url: ../x.html}\n          - {label: web, url: 'https://e.org/a?b=1&c=2'}\n",
        encoding="utf-8")
    expected = {"/about/", "files/paper.pdf", "../x.html", "https://e.org/a?b=1&c=2"}
    for arguments, pdf in ((["pdf", str(cv_path), "-o", str(tmp_path / "cv.pdf")], tmp_path / "cv.pdf"),
                           (["latex", str(cv_path), "--pdf", "-o", str(tmp_path / "tex" / "cv.tex")],
                            tmp_path / "tex" / "cv.pdf")):
        result = subprocess.run([sys.executable, "-m", "cvgen.cli", *arguments], capture_output=True, text=True,
                                cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)})
        assert result.returncode == 0, result.stderr
        listing = subprocess.run(["pdfinfo", "-url", str(pdf)], capture_output=True, text=True, check=True).stdout
        urls = {line.split(None, 2)[2] for line in listing.splitlines()[1:] if line.strip()}
        assert urls == expected, (arguments[0], urls)


# --- raw homepage Markdown ---------------------------------------------------------------------------------------


def test_raw_markdown_reads_in_the_pdf_as_on_the_page(tmp_path: Path) -> None:
    require("pdftotext")
    (tmp_path / "cv.pdf").write_bytes(cvgen.pdf.render_pdf(load_cv(raw_cv(tmp_path, *RAW_PAGES))))
    assert_raw_pages_read_as_on_the_page(pdf_text(tmp_path / "cv.pdf"))


def test_korean_lines_break_between_words(tmp_path: Path) -> None:
    require("pdftotext")
    require_font("Noto Serif CJK KR")
    from cvgen.model import CV

    cv = CV.model_validate({"name": "Ada", "sections": [
        {"kind": "text", "title": "About", "paragraphs": [KOREAN_WORDS]}]})
    (tmp_path / "cv.pdf").write_bytes(cvgen.pdf.render_pdf(cv))
    text = pdf_text(tmp_path / "cv.pdf")
    assert text.count("\n") > 5 and "연구자들은" in text  # it does wrap, and joiners are not text
    assert korean_lines_keep_words(text) == []
