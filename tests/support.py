"""Helpers shared by the tests: the facts a CV must show in every output, golden files, PDF reading."""

from __future__ import annotations

import difflib
import html
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

from cvgen.blocks import Block, CodeBlock, Heading, LineBreak, ListBlock, Math, Paragraph, Quote, Table, parse_blocks
from cvgen.dates import parse_date
from cvgen.markup import parse_markup, plain_text
from cvgen.model import CV, Publication, RawEntry, RawSection
from cvgen.records import Record

DATE_FIELDS = {"date", "start", "end", "year"}
SKIPPED_FIELDS = {"kind", "homepage", "design", "url", "keywords", "name_variants", "email", "website", "output",
                  "variants", "id", "sort", "tags", "bibtex", "jsonresume"}  # settings, not facts an output shows


def facts(cv: CV, *, dates_as_written: bool = False) -> list[str]:
    """Every piece of user text in the CV as it should read in an output (markup removed).

    Dates are in cvgen's display style ('Feb 2022'), as the LaTeX and PDF outputs show them, unless
    `dates_as_written` (the homepage writes them as the page did).
    """
    return list(_facts(cv, dates_as_written))


def _facts(value: object, dates_as_written: bool, field: str = "") -> Iterator[str]:
    if isinstance(value, RawSection):
        if value.title:
            yield plain_text(parse_markup(value.title))
        yield from _block_facts(parse_blocks(value.markdown).blocks)
        return
    if isinstance(value, RawEntry):
        yield from _block_facts(parse_blocks(value.raw).blocks)
        return
    if isinstance(value, Publication):
        for author in value.author_list():
            yield author.name
    if isinstance(value, Record):
        for name in type(value).model_fields:
            if name in SKIPPED_FIELDS or (name == "authors" and isinstance(value, Publication)):
                continue
            yield from _facts(getattr(value, name), dates_as_written, name)
    elif isinstance(value, list):
        for item in value:
            yield from _facts(item, dates_as_written, field)
    elif isinstance(value, str):
        if field in DATE_FIELDS and not dates_as_written:
            yield parse_date(value).display()
        else:
            yield plain_text(parse_markup(value))


def _block_facts(blocks: tuple[Block, ...]) -> Iterator[str]:
    """Each line of raw Markdown's paragraphs, headings and table cells (math as the reader sees it)."""
    from cvgen.texmath import readable_math

    for block in blocks:
        if isinstance(block, Paragraph | Heading):
            line: list[object] = []
            for span in (*block.spans, LineBreak()):
                if isinstance(span, LineBreak):
                    yield plain_text(line)
                    line = []
                else:
                    line.extend(readable_math(span.text) if isinstance(span, Math) else (span,))
        elif isinstance(block, ListBlock):
            for item in block.items:
                yield from _block_facts(item)
        elif isinstance(block, Quote):
            yield from _block_facts(block.blocks)
        elif isinstance(block, Table):
            yield from (plain_text(cell) for row in (*block.header, *block.rows) for cell in row)
        elif isinstance(block, CodeBlock):
            yield from block.text.split("\n")


_TYPOGRAPHY = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2026": "...",
                             "\u2013": "--", "\u2014": "---"})


def squash(text: str) -> str:
    """Text with white space and hyphens removed and typographic quotes made straight (as kramdown and TeX
    curl them), for finding facts in text a typesetter broke into lines."""
    return re.sub(r"[\s\-\u00ad\u2010\u2011]+", "", text.translate(_TYPOGRAPHY))


def missing_facts(cv: CV, output_text: str, *, dates_as_written: bool = False) -> list[str]:
    """The facts of a CV that do not occur in an output's text."""
    haystack = squash(output_text)
    return [fact for fact in facts(cv, dates_as_written=dates_as_written) if squash(fact) not in haystack]


def assert_golden(path: Path, actual: str, update: bool) -> None:
    """Compare output with a golden file (rewritten with --update-golden), failing with a diff."""
    if update or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        if not update:
            raise AssertionError(f"golden file {path} did not exist; written now, check it in")
        return
    expected = path.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(difflib.unified_diff(
            expected.splitlines(keepends=True), actual.splitlines(keepends=True), str(path), "actual"))
        raise AssertionError(f"output differs from {path} (run pytest --update-golden if intended):\n{diff}")


def pdf_text(pdf: Path) -> str:
    """The text of a PDF, read back with pdftotext."""
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


def pdf_lines(pdf: Path) -> list[str]:
    """The lines of a PDF's pages as set, from the words' positions (pdftotext -bbox): pdftotext's text splits a
    line where a typesetter left a gap (as around compressed East Asian punctuation). Words of a line are joined
    without spaces: for Chinese and Japanese text."""
    output = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True,
                            check=True).stdout
    lines: list[str] = []
    for page in output.split("<page ")[1:]:
        words = [(float(y), float(x), html.unescape(text)) for x, y, text in
                 re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="[\d.]+" yMax="([\d.]+)">(.*?)</word>', page)]
        rows: dict[int, list[tuple[float, str]]] = {}
        for y, x, text in words:
            rows.setdefault(round(y), []).append((x, text))
        lines += ["".join(text for _, text in sorted(row)) for _, row in sorted(rows.items())]
    return lines


def pdf_fonts(pdf: Path) -> list[str]:
    """The font lines of `pdffonts` (name, type, embedded…), one per font."""
    output = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    return output.splitlines()[2:]


def pdf_page_count(pdf: Path) -> int:
    """The number of pages, from pdfinfo."""
    output = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", output, re.MULTILINE).group(1))  # type: ignore[union-attr]


def canonical_html(markup: str) -> list[tuple[str, ...]]:
    """HTML as a list of tags and texts, ignoring insignificant white space and CSS declaration spacing/order."""
    from html.parser import HTMLParser

    from cvgen.importers.homepage.blocks import normalize_css

    events: list[tuple[str, ...]] = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            normalized = sorted((name, normalize_css(value or "") if name == "style" else (value or ""))
                                for name, value in attrs)
            events.append(("start", tag, *[f"{name}={value}" for name, value in normalized]))

        def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            self.handle_starttag(tag, attrs)

        def handle_endtag(self, tag: str) -> None:
            events.append(("end", tag))

        def handle_data(self, data: str) -> None:
            text = " ".join(data.split())
            if text:
                events.append(("text", text))

    collector = Collector(convert_charrefs=True)
    collector.feed(markup)
    collector.close()
    return events


JEKYLL_PAGE = Path(__file__).resolve().parent / "tools" / "jekyll_page.rb"


def jekyll_render(page: Path) -> tuple[dict[str, object], str]:
    """A page's front matter and HTML as Jekyll makes them (Liquid, then kramdown with the GFM parser)."""
    import json

    result = subprocess.run(["ruby", str(JEKYLL_PAGE), str(page)], capture_output=True, text=True, check=True)
    data = json.loads(result.stdout)
    return data["front_matter"], data["html"]


KOREAN_WORDS = ("연구자들은 대규모언어모델의 추론능력을 평가하기위한 새로운벤치마크를 제안하였으며 다양한실험결과를 "
                "체계적으로 분석하고 보고하였다 또한 공개데이터셋과 평가코드를 함께 배포하였다") * 4


def korean_lines_keep_words(text: str) -> list[str]:
    """The Korean pieces of the text's lines that are not whole words of KOREAN_WORDS (none when lines break only
    between words)."""
    words = set(KOREAN_WORDS.split())
    return [piece for line in text.splitlines() for piece in line.split() if re.search("[가-힣]", piece)
            and piece not in words]


RAW_PAGES = ("publications-breaks", "lists-and-tables", "html-and-kramdown")  # in tests/fixtures/raw/


def raw_cv(folder: Path, *pages: str) -> Path:
    """A CV file whose raw sections hold the named pages of tests/fixtures/raw/, one section each."""
    import yaml

    fixtures = Path(__file__).resolve().parent / "fixtures" / "raw"
    sections = [{"kind": "raw", "title": page, "markdown": (fixtures / f"{page}.md").read_text("utf-8")}
                for page in pages]
    path = folder / "raw.yaml"
    path.write_text(yaml.safe_dump({"name": "Hayeon Lee", "sections": sections}, allow_unicode=True), "utf-8")
    return path


def assert_raw_pages_read_as_on_the_page(text: str) -> None:
    """A PDF's text (pdftotext) of the RAW_PAGES: lines break where the page breaks them (` \\`, two spaces,
    <br>) and nowhere else; headings, nested lists and tables keep their words; math reads as math; no markup
    syntax is printed."""
    lines = [line.strip() for line in text.splitlines()]
    for line in ("Meta-Learning for Low-Resource Things", "[paper] [code]",
                 "Minji Kim*, Hayeon Lee*, Jonathan O\u2019Neil", "NeurIPS 2022 (Spotlight, top 3%)",
                 "Graphs All the Way Down", "Hayeon Lee, Wei Zhang", "Another \u201cQuoted\u201d Title", "Authors A, B",
                 "ICLR 2020", "Contact me at hayeon [at] example [dot] edu.", "A quoted paragraph on two lines."):
        assert line in lines, line
    for words in ("Publications", "Teaching", "Designed four homework sets", "Mondays", "Top reviewer", "Ph.D., KAIST",
                  "Hayeon at the lab", "[2022.05] Started an internship at Example AI.", "\u2020"):
        assert words in text, words
    for syntax in ("\\", "{:", "{{", "{%", "<", ">", "color", "margin-bottom", "$^", "**", "|", "notice", "hidden"):
        assert syntax not in text, syntax
