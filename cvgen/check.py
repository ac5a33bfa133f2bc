"""Does a homepage say what the CV says? `check_homepage` compares a page with the page cvgen writes for a CV.

The page and the written page are compared after `normalize_page` (the differences Markdown ignores). When they
differ, the page is imported and compared with the CV section by section and entry by entry, so the report reads
"## Publications, entry 3: title differs: 'Old' → 'New'"; what differs only in the way it is written is shown
as a unified diff of that section.
"""

from __future__ import annotations

import difflib
from typing import Any

from cvgen.errors import shown
from cvgen.importers.homepage import import_homepage_text
from cvgen.importers.homepage.blocks import normalize_page, split_front_matter
from cvgen.model import CV, Section
from cvgen.records import Record
from cvgen.renderers import render
from cvgen.renderers.markdown import render_section

ENTRY_LISTS = ("items", "groups", "paragraphs")


def check_homepage(page_text: str, page_source: str, cv: CV) -> str | None:
    """None when cvgen writes the page for `cv` as it is; otherwise a readable report of what differs."""
    written = render("markdown", cv)
    page = import_homepage_text(page_text, page_source).cv
    front_matter_same = page.homepage.front_matter == cv.homepage.front_matter
    if front_matter_same and normalize_page(_body(written)) in (
            normalize_page(_body(page_text)), normalize_page(_body(render("markdown", page)))):
        return None  # the import writes each section back as on the page, so this is the page up to spacing
    report: list[str] = []
    if not front_matter_same:
        before, after = shown(page.homepage.front_matter, 200), shown(cv.homepage.front_matter, 200)
        report.append(f"front matter differs: {before} → {after}")
    report.extend(_section_differences(page, cv))
    if not report:  # the same sections, written differently as a whole (spacing between sections)
        report.append(_unified(_body(page_text), _body(written), "page"))
    return f"{page_source} differs from the CV (page → CV):\n" + "\n".join(report)


def _body(text: str) -> str:
    """A page without its front matter (split as the importer splits it)."""
    return split_front_matter(text.replace("\r\n", "\n").replace("\r", "\n"), "page")[1]


def _name(section: Section, number: int) -> str:
    return f"## {section.title}" if section.title else f"section {number} ({section.kind})"


def _section_differences(page: CV, cv: CV) -> list[str]:
    report: list[str] = []
    matcher = difflib.SequenceMatcher(a=[_key(s) for s in page.sections], b=[_key(s) for s in cv.sections],
                                      autojunk=False)
    for tag, page_start, page_end, cv_start, cv_end in matcher.get_opcodes():
        if tag == "equal" or (tag == "replace" and page_end - page_start == cv_end - cv_start):
            for offset in range(page_end - page_start):
                report.extend(_compare_sections(page, page.sections[page_start + offset], cv,
                                                cv.sections[cv_start + offset], cv_start + offset + 1))
            continue
        for index in range(page_start, page_end):
            report.append(f"{_name(page.sections[index], index + 1)}: only on the page")
        for index in range(cv_start, cv_end):
            report.append(f"{_name(cv.sections[index], index + 1)}: only in the CV")
    return report


def _key(section: Section) -> tuple[str, str | None]:
    return section.kind, section.title


def _compare_sections(page: CV, page_section: Section, cv: CV, cv_section: Section, number: int) -> list[str]:
    page_text = render_section(page, page_section)
    cv_text = render_section(cv, cv_section)
    if normalize_page(page_text) == normalize_page(cv_text):
        return []
    name = _name(cv_section, number)
    if page_section.title != cv_section.title:
        return [f"{name}: heading differs: {page_section.title!r} → {cv_section.title!r}"]
    report: list[str] = []
    if page_section.kind == cv_section.kind and page_section.kind != "raw":
        report = _compare_entries(name, page_section, cv_section)
    return report or [f"{name}: written differently:\n{_unified(page_text, cv_text, name)}"]


def _compare_entries(name: str, page_section: Section, cv_section: Section) -> list[str]:
    """Entries aligned as a diff aligns lines, so one new entry reads as one new entry."""
    report: list[str] = []
    field = next(key for key in ENTRY_LISTS if hasattr(cv_section, key))
    page_entries: list[Any] = getattr(page_section, field)
    cv_entries: list[Any] = getattr(cv_section, field)
    for tag, page_start, page_end, cv_start, cv_end in _aligned([_short(entry) for entry in page_entries],
                                                                 [_short(entry) for entry in cv_entries]):
        if tag == "equal":
            continue
        paired = min(page_end - page_start, cv_end - cv_start) if tag == "replace" else 0
        for offset in range(paired):
            report.extend(_compare_values(f"{name}, entry {cv_start + offset + 1}", page_entries[page_start + offset],
                                          cv_entries[cv_start + offset]))
        for index in range(page_start + paired, page_end):
            report.append(f"{name}, entry {index + 1} of the page: only on the page: {_short(page_entries[index])}")
        for index in range(cv_start + paired, cv_end):
            report.append(f"{name}, entry {index + 1}: only in the CV: {_short(cv_entries[index])}")
    return report


def _aligned(page: list[str], cv: list[str]) -> list[tuple[str, int, int, int, int]]:
    """difflib's opcodes for two entry lists, with their common start and end set aside first: a drift is
    usually a few entries, and SequenceMatcher is quadratic on long runs of equal entries."""
    start = 0
    while start < min(len(page), len(cv)) and page[start] == cv[start]:
        start += 1
    end = 0
    while end < min(len(page), len(cv)) - start and page[-1 - end] == cv[-1 - end]:
        end += 1
    matcher = difflib.SequenceMatcher(a=page[start : len(page) - end], b=cv[start : len(cv) - end], autojunk=False)
    return [(tag, a1 + start, a2 + start, b1 + start, b2 + start) for tag, a1, a2, b1, b2 in matcher.get_opcodes()]


def _compare_values(place: str, page_value: Any, cv_value: Any) -> list[str]:
    if isinstance(page_value, Record) and isinstance(cv_value, Record):
        report = []
        for key in type(cv_value).model_fields:
            old, new = getattr(page_value, key, None), getattr(cv_value, key, None)
            if old != new:
                report.append(f"{place}: {key} differs: {_short(old)} → {_short(new)}")
        return report
    return [f"{place} differs: {_short(page_value)} → {_short(cv_value)}"] if page_value != cv_value else []


def _short(value: Any) -> str:
    if isinstance(value, Record):
        value = value.model_dump(exclude_defaults=True)
    text = repr(value)
    return text if len(text) <= 120 else text[:117] + "…"


def _unified(old: str, new: str, name: str) -> str:
    lines = difflib.unified_diff(normalize_page(old).splitlines(), normalize_page(new).splitlines(),
                                 f"{name} (page)", f"{name} (CV)", lineterm="")
    return "\n".join(lines)
