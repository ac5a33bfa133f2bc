"""How well `cvgen import` reads the team's homepage corpus (tests/fixtures/corpus), against its hand-labelled truth.

    python bench/import_corpus.py [--html] [--pages GLOB]

Per template family (academicpages, AcadHomepage, Minimal Mistakes, al-folio) and in all, it prints:
- pages, and sections imported typed and kept raw;
- the mean share of the page's words held in raw sections (issue 11 asks for at most 0.15);
- the owner found as the truth says (`name` equal to the truth's `owner`, or both empty);
- publications typed with their title, authors in order, venue and year as the truth says, out of the truth's;
- publications whose fields cvgen/importers/fields.py reads by content as the truth says (title, authors in
  order, venue, year), for the entries that are list items or paragraphs (not yet HTML boxes or table rows);
- of those, the papers whose layout (cvgen/importers/layouts.py: the entry's Markdown with a slot per field,
  its author list and link run as data) writes them back exactly, and those written in their section's
  one layout (parts some entries leave out made optional);
- fixed points: importing the written page gives the same CV;
- with --html, pages whose written page renders through Liquid and kramdown (Ruby, as Jekyll runs them) to the
  same HTML as the original (slow: two Ruby runs a page);
- the slowest import, and the import time of the largest page.
The figures are measurements, not assertions: tests guard what holds, this shows how far the importer is.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "fixtures" / "corpus"
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from cvgen.dump import dump_cv  # noqa: E402
from cvgen.importers.fields import read_paper  # noqa: E402
from cvgen.importers.homepage import import_homepage, import_homepage_text  # noqa: E402
from cvgen.importers.homepage.blocks import fold_heading, markdown_parser  # noqa: E402
from cvgen.importers.layouts import derive, shared  # noqa: E402
from cvgen.markup import parse_markup, plain_text  # noqa: E402
from cvgen.model import Publication, PublicationsSection, RawEntry, RawSection  # noqa: E402
from cvgen.renderers import render  # noqa: E402
from cvgen.slots import fill  # noqa: E402


@dataclass
class Family:
    """The figures of one template family."""

    pages: int = 0
    typed_sections: int = 0
    raw_sections: int = 0
    raw_shares: list[float] = field(default_factory=list)
    owners_right: int = 0
    papers: int = 0
    papers_right: int = 0
    papers_read: int = 0
    papers_laid_out: int = 0
    papers_shared: int = 0
    fixed_points: int = 0
    html_same: int = 0
    typed_entries: int = 0
    overlaps: list[str] = field(default_factory=list)  # typed entries with a field that holds another's text
    seconds: list[float] = field(default_factory=list)


def _plain(markup: str | None) -> str:
    return " ".join(plain_text(parse_markup(markup or "")).split())


def _words(text: str) -> int:
    return len(text.split())


def _truth_papers(truth: dict[str, object]) -> list[dict[str, object]]:
    sections = truth.get("sections") or []
    assert isinstance(sections, list)
    return [entry for section in sections if section.get("kind") == "publications"
            for entry in section.get("entries") or []]


def _paper_right(paper: Publication, expected: dict[str, object], owner: object) -> bool:
    authors = [" ".join(author.name.split()) for author in paper.author_list()]
    # "With A and B": the truth lists the co-authors; the paper's authors are the owner and them.
    wanted = expected.get("authors") or ([owner, *expected["coauthors"]] if expected.get("coauthors") else [])
    return (_plain(paper.title) == " ".join(str(expected.get("title", "")).split())
            and authors == [str(name) for name in wanted]  # type: ignore[attr-defined]
            and _plain(paper.venue) == str(expected.get("venue") or "")
            and str(paper.year or "") == str(expected.get("year") or ""))


# A paragraph that is no entry: a note on the marks ("(\\*: equal contribution)", "<sup>*</sup> equal
# contribution"), or a line of links and Liquid tags only ("[All publications](/publications/){: .btn}").
_NOTE = re.compile(r"\(?\s*(?:\\\*|\*(?=[\s:])|<sup>|\$\^|[†‡§¶#](?=[\s:]))")
_NOT_TEXT = re.compile(r"\[[^\[\]]*\]\([^()\s]*\)|\{[%{:][^{}]*[%}]?\}|<[^<>]*>")
_DIV = re.compile(r"<(/?)div\b", re.I)
_ROW_OPEN = re.compile(r"<tr\b", re.I)
_ROW_CLOSE = re.compile(r"</tr\s*>", re.I)


def _is_entry_paragraph(paragraph: str) -> bool:
    """Whether a paragraph of a section can be an entry: not a note on marks, not a line of links or tags only."""
    return not _NOTE.match(paragraph) and bool(_NOT_TEXT.sub(" ", paragraph).strip(" \n|·/-"))


def _html_entries(lines: list[str], start: int) -> tuple[list[str], int]:
    """The entries of an HTML block from line `start`, and the line after it: a `<div>` with its nested divs
    (AcadHomepage's paper box, badge and `markdown="1"` body, blank lines and all) is one entry; a `<table>`
    gives one entry per row that holds text (a thumbnail cell alone is none)."""
    depth, end = 0, start
    if re.match(r"\s*<table\b", lines[start], re.I):
        while end < len(lines) and not re.search(r"</table\s*>", lines[end], re.I):
            end += 1
        block = "\n".join(lines[start : end + 1])
        # Each row from its `<tr` to the first `</tr>` after it (cut at each opening: linear, where a lazy pattern
        # from every unclosed `<tr` to the end is quadratic).
        rows = [row[: closing.end()].strip() for row in ("<tr" + part for part in _ROW_OPEN.split(block)[1:])
                if (closing := _ROW_CLOSE.search(row))]
        return [row for row in rows if _NOT_TEXT.sub(" ", row).strip()], end + 1
    for end in range(start, len(lines)):
        depth += sum(1 if match.group(1) == "" else -1 for match in _DIV.finditer(lines[end]))
        if depth <= 0:
            break
    return ["\n".join(lines[start : end + 1]).strip()], end + 1


def _entries_by_heading(page: Path) -> dict[str, list[str]]:
    """Each heading's entries as Markdown: its top-level list items (marker taken off), its paragraphs that are
    no note on marks or line of links, its `<div>` boxes (one entry each) and its table rows (one each)."""
    text = page.read_text(encoding="utf-8").replace("\r\n", "\n")
    if text.startswith("---\n"):
        text = text.split("\n---", 1)[1].split("\n", 1)[1]
    lines = text.split("\n")
    found: dict[str, list[str]] = {}
    heading = ""
    tokens = markdown_parser().parse(text)
    covered = 0  # the first line not yet inside an HTML block already cut
    for index, token in enumerate(tokens):
        start, end = token.map or [0, 0]
        if start < covered and token.map:
            continue
        if token.type == "heading_open":
            heading = fold_heading(re.sub(r"<[^>]*>|\{[:#][^}]*\}", "", tokens[index + 1].content))
            found.setdefault(heading, [])
        elif token.level == 0 and token.type == "html_block" and re.match(r"\s*<(?:div|table)\b", token.content, re.I):
            entries, covered = _html_entries(lines, start)
            found.setdefault(heading, []).extend(entries)
        elif token.level == 1 and token.type == "list_item_open" or token.level == 0 and token.type == "paragraph_open":
            item = "\n".join(lines[start:end]).strip()
            if token.type == "paragraph_open" and not _is_entry_paragraph(item):
                continue
            found.setdefault(heading, []).append(re.sub(r"^\s*(?:[-*+]|\d+[.)])\s+", "", item))
    return found


def _read_right(fields: object, expected: dict[str, object]) -> bool:
    from cvgen.slots import PaperFields

    assert isinstance(fields, PaperFields)
    return (fields.title == " ".join(str(expected.get("title", "")).split())
            and [author.name for author in fields.authors] == list(expected.get("authors") or [])  # type: ignore
            and (fields.venue or "") == str(expected.get("venue") or "")
            and (fields.year or "") == str(expected.get("year") or ""))


def _expected_fields(expected: dict[str, object]) -> dict[str, object]:
    return {"title": " ".join(str(expected.get("title", "")).split()), "authors": list(expected.get("authors") or []),
            "venue": str(expected.get("venue") or ""), "year": str(expected.get("year") or "")}


def _print_misread(page: Path, entry: str, fields: object, expected: dict[str, object]) -> None:
    """One entry read wrongly: its Markdown, then each field expected and got where they differ."""
    from cvgen.slots import PaperFields

    assert isinstance(fields, PaperFields)
    got = {"title": fields.title or "", "authors": [author.name for author in fields.authors],
           "venue": fields.venue or "", "year": fields.year or ""}
    print(f"--- {page.relative_to(CORPUS)}\n    " + entry.replace("\n", "\n    "))
    for key, wanted in _expected_fields(expected).items():
        if got[key] != wanted:
            print(f"  {key}: expected {wanted!r}\n  {' ' * len(key)}  got      {got[key]!r}")


def measure(page: Path, family: Family, html: bool, misread: bool = False) -> None:
    truth = yaml.safe_load(page.with_suffix(".truth.yaml").read_text(encoding="utf-8"))
    started = time.perf_counter()
    result = import_homepage(page)
    family.seconds.append(time.perf_counter() - started)
    cv = result.cv
    family.pages += 1
    raw = [section for section in cv.sections if isinstance(section, RawSection)]
    family.raw_sections += len(raw)
    family.typed_sections += len(cv.sections) - len(raw)
    written = render("markdown", cv)
    body = written.split("\n---\n", 1)[-1] if written.startswith("---\n") else written
    family.raw_shares.append(sum(_words(section.markdown) for section in raw) / max(_words(body), 1))
    family.owners_right += (cv.name or None) == (truth.get("owner") or None)
    expected = {" ".join(str(paper.get("title", "")).split()): paper for paper in _truth_papers(truth)}
    family.papers += len(expected)
    for section in cv.sections:
        if isinstance(section, PublicationsSection):
            for paper in section.items:
                if isinstance(paper, RawEntry):
                    continue
                wanted = expected.get(_plain(paper.title))
                family.papers_right += wanted is not None and _paper_right(paper, wanted, truth.get("owner"))
    entries = _entries_by_heading(page)
    for section in truth.get("sections") or []:
        if section.get("kind") != "publications":
            continue
        expected_entries = section.get("entries") or []
        written_entries = [entry for key, value in entries.items()
                           if key == fold_heading(str(section.get("heading") or "")) or
                           str(section.get("heading") or "") and key in [fold_heading(str(group)) for group in
                                                                         section.get("groups") or []]
                           for entry in value]
        if misread and len(written_entries) != len(expected_entries):
            print(f"--- {page.relative_to(CORPUS)}: section {section.get('heading')!r} skipped: "
                  f"{len(written_entries)} entries cut, {len(expected_entries)} in the truth")
        if len(written_entries) == len(expected_entries):
            layouts, laid_out = [], []
            for entry, wanted in zip(written_entries, expected_entries, strict=True):
                paper = read_paper(entry)
                if not _read_right(paper, wanted):
                    if misread:
                        _print_misread(page, entry, paper, wanted)
                    continue
                family.papers_read += 1
                derived = derive(entry, paper)
                if derived is not None and fill(derived, paper) == entry:
                    family.papers_laid_out += 1
                    layouts.append(derived)
                    laid_out.append((entry, paper))
            common = shared(layouts)
            family.papers_shared += sum(common is not None and fill(common, paper) == entry
                                        for entry, paper in laid_out)
    for section in cv.sections:
        for item in getattr(section, "items", []):
            if not isinstance(item, (RawEntry, str)):
                family.typed_entries += 1
                overlap = _overlap(item)
                if overlap:
                    family.overlaps.append(f"{page.relative_to(CORPUS)}: {overlap}")
    again = import_homepage_text(written, "written.md").cv
    family.fixed_points += dump_cv(again) == dump_cv(cv) and render("markdown", again) == written
    if html:
        from support import canonical_html, jekyll_render

        written_page = Path("/tmp") / f"cvgen-corpus-{page.stem}.md"
        written_page.write_text(written, encoding="utf-8")
        try:
            (front, page_html), (written_front, written_html) = jekyll_render(page), jekyll_render(written_page)
            same = front == written_front and canonical_html(page_html) == canonical_html(written_html)
            family.html_same += same
            if not same:
                print(f"  {page.relative_to(CORPUS)}: the written page renders to other HTML")
        except Exception as error:  # a page Jekyll's own tags ({% include %}) need the whole site for
            print(f"  {page.relative_to(CORPUS)}: not rendered ({str(error).splitlines()[0][:80]})")
        finally:
            written_page.unlink(missing_ok=True)


def _overlap(entry: object) -> str | None:
    """A field of a typed entry that holds another field's text ("title holds venue"), or a period ("title holds
    a period": dates left in the text), or None. A year written inside the venue or the details ("NeurIPS 2022
    Workshop", "Jun. 2024, pp. 1–6") is the page's way of writing it, not a misread, and is not counted."""
    names = ("label", "title", "subtitle", "venue", "details", "award", "note", "text", "degree", "field",
             "institution", "location", "role", "organization", "when", "detail", "outlet", "sponsor")
    fields = {name: _plain(value) for name in names if isinstance(value := getattr(entry, name, None), str) and value}
    for holder, text in fields.items():
        if holder not in ("text", "when") and _PERIOD_INSIDE.search(text):
            return f"{holder} holds a period ({text[:60]!r})"
        for name, held in fields.items():
            if name != holder and len(held) > 2 and held in text:
                return f"{holder} holds {name} ({held!r})"
    return None


_PERIOD_INSIDE = re.compile(r"(?<!\d)(?:19|20)\d{2}\s*[-–—~]\s*(?:(?:19|20)\d{2}(?!\d)|[Pp]resent|至今|현재)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--html", action="store_true", help="also compare the pages' HTML through Ruby")
    parser.add_argument("--pages", default="*/*.md", help="which pages, as a glob under the corpus folder")
    parser.add_argument("--misread", action="store_true",
                        help="print each entry read wrongly (expected and got) and each section not cut as the truth")
    arguments = parser.parse_args()
    families: dict[str, Family] = defaultdict(Family)
    pages = sorted(page for page in CORPUS.glob(arguments.pages) if page.with_suffix(".truth.yaml").exists())
    for page in pages:
        measure(page, families[page.parent.name], arguments.html, arguments.misread)
    families["all"] = Family()
    for name, family in list(families.items()):
        if name == "all":
            continue
        total = families["all"]
        for key, value in vars(family).items():
            setattr(total, key, getattr(total, key) + value)
    largest = max(pages, key=lambda page: page.stat().st_size)
    started = time.perf_counter()
    import_homepage(largest)
    largest_seconds = time.perf_counter() - started
    columns = ("family", "pages", "typed/raw sections", "raw word share", "owner right", "papers right", "papers read",
               "laid out (shared)",
               "fixed points", *(("same HTML",) if arguments.html else ()), "slowest import s")
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    for name, family in families.items():
        row = [name, str(family.pages), f"{family.typed_sections}/{family.raw_sections}",
               f"{statistics.mean(family.raw_shares):.2f}", f"{family.owners_right}/{family.pages}",
               f"{family.papers_right}/{family.papers}", f"{family.papers_read}/{family.papers}",
               f"{family.papers_laid_out} ({family.papers_shared})",
               f"{family.fixed_points}/{family.pages}",
               *((f"{family.html_same}/{family.pages}",) if arguments.html else ()), f"{max(family.seconds):.3f}"]
        print("| " + " | ".join(row) + " |")
    print(f"\nlargest page: {largest.relative_to(CORPUS)} ({largest.stat().st_size} bytes), "
          f"import {largest_seconds:.3f} s")
    total = families["all"]
    print(f"typed entries with a field that holds another's text: {len(total.overlaps)} of {total.typed_entries}")
    for overlap in total.overlaps:
        print(f"  {overlap}")


if __name__ == "__main__":
    main()
