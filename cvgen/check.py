"""Does a homepage say what the CV says? `check_homepage` compares a page with the page cvgen writes for a CV.

The page and the written page are compared after `normalize_page` (the differences Markdown ignores). When they
differ, the page is imported and compared with the CV section by section and entry by entry, so the report reads
"## Publications, entry 3: title differs: 'Old' → 'New'"; what differs only in the way it is written is shown
as a unified diff of that section.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

from cvgen.errors import shown
from cvgen.importers.homepage import import_homepage_text
from cvgen.importers.homepage.blocks import normalize_page, split_front_matter
from cvgen.model import CV, Section
from cvgen.records import Record
from cvgen.renderers import render
from cvgen.renderers.markdown import render_section
from cvgen.textfile import read_text_file

ENTRY_LISTS = ("items", "groups", "paragraphs")


def check_homepage(page_text: str, page_source: str, cv: CV) -> str | None:
    """None when cvgen writes the page for `cv` as it is; otherwise a readable report of what differs."""
    cv = on_the_page(cv)
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


def on_the_page(cv: CV) -> CV:
    """The CV as its about page shows it: without the sections and entries only the site's collection files show."""
    if cv.site is None:
        return cv
    sections = []
    for section in cv.sections:
        if not section.homepage.shown:
            continue
        items = getattr(section, "items", None)
        if items is not None:
            kept = [item for item in items if getattr(item, "site", None) is None or item.site.on_page]
            section = section.model_copy(update={"items": kept})
        sections.append(section)
    shown_cv: CV = cv.model_copy(update={"sections": sections})
    return shown_cv


def check_site(root: Path, cv: CV) -> str | None:
    """None when every file cvgen writes for the site is as the CV generates it (read as Jekyll reads it: front
    matter as data, the page's Markdown as HTML-equivalent); otherwise a report, file by file."""
    from cvgen.importers.jekyll_site import COLLECTIONS, collection_files
    from cvgen.site import page_cv, site_files

    report: list[str] = []
    files = site_files(cv)
    for path, text in files.items():
        target = root / path
        if not target.is_file():
            report.append(f"{path}: missing (the CV has it)")
            continue
        existing = read_text_file(target, "site file")
        page = page_cv(cv, path)
        differences = [check_homepage(existing, str(target), page)] if page is not None else \
            collection_file_differences(existing, text, str(target))
        report += [difference for difference in differences if difference]
    report += config_differences(root, cv)
    if cv.site is not None and cv.site.cv_pdf is not None:
        difference = pdf_difference(root / cv.site.cv_pdf, render("pdf", cv))
        if difference is not None:
            report.append(f"{cv.site.cv_pdf}: {difference}")
    for kind, (folder, _) in COLLECTIONS.items():
        if cv.site is not None and cv.site.collection(kind) is not None and (root / folder).is_dir():
            for on_disk in collection_files(root, folder):
                if f"{folder}/{on_disk.name}" not in files:
                    report.append(f"{folder}/{on_disk.name}: in the site, not in the CV")
    return "\n".join(report) if report else None


def config_differences(root: Path, cv: CV) -> list[str]:
    """How `_config.yml`'s author block differs from the CV's header (name, bio, employer, location, email), key by
    key; only the keys the block has."""
    from cvgen.loader import parse_yaml
    from cvgen.site import CONFIG_KEYS, config_header

    path = root / "_config.yml"
    if not path.is_file():
        return ["_config.yml: missing"]
    data, _, problems = parse_yaml(read_text_file(path, "site config"), typed=True)
    author = data.get("author") if isinstance(data, dict) else None
    if problems or not isinstance(author, dict):
        return []
    wanted = config_header(cv)
    return [f"_config.yml: author.{key}: {shown(str(author[key] or ''), 80)} → {shown(wanted[key], 80)}"
            for key in CONFIG_KEYS if key in author and str(author[key] or "") != wanted[key]]


def pdf_difference(existing: Path, generated: bytes) -> str | None:
    """How a PDF on disk differs from the one the CV generates: by its text (as `pdftotext` reads it, so another
    WeasyPrint or font version that sets the same text is no drift), else by its bytes; None when the same."""
    import shutil
    import subprocess
    import tempfile

    if not existing.is_file():
        return "missing (the site links it; `cvgen site` writes it)"
    if existing.read_bytes() == generated:
        return None
    if shutil.which("pdftotext") is None:
        return "differs from the CV's PDF (install poppler-utils to compare their text)"
    with tempfile.NamedTemporaryFile(suffix=".pdf") as new:
        new.write(generated)
        new.flush()
        texts = [subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                                check=False).stdout for path in (existing, Path(new.name))]
    if texts[0] == texts[1]:
        return None
    return "its text differs from the CV's PDF:\n" + _unified(texts[0], texts[1], "PDF")


def collection_file_differences(existing: str, generated: str, source: str) -> list[str]:
    """How a collection file on disk differs from the one the CV generates, as Jekyll reads them: front matter as
    data, key by key, and the body."""
    old_front, old_body, _ = split_front_matter(existing.replace("\r\n", "\n"), source)
    new_front, new_body, _ = split_front_matter(generated.replace("\r\n", "\n"), source)
    report = [f"{source}: {key}: {_changed(old_front.get(key), new_front.get(key))}"
              for key in dict.fromkeys([*old_front, *new_front]) if old_front.get(key) != new_front.get(key)]
    if old_body != new_body:
        report.append(f"{source}: the body differs:\n{_unified(old_body, new_body, source)}")
    return report


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


# What a page never writes of an entry, so never differs there: its collection file (checked as a file of its own),
# its abstract (a collection file's excerpt), and its tags and selection (for variants).
_NOT_ON_THE_PAGE = frozenset({"site", "abstract", "tags", "selected"})


def _compare_values(place: str, page_value: Any, cv_value: Any) -> list[str]:
    if isinstance(page_value, Record) and isinstance(cv_value, Record):
        report = []
        for key in type(cv_value).model_fields:
            if key in _NOT_ON_THE_PAGE:
                continue
            old, new = getattr(page_value, key, None), getattr(cv_value, key, None)
            if old != new:
                report.append(f"{place}: {key} differs: " + (_changed(old, new, 117) if isinstance(old, str) else
                                                               f"{_short(old)} → {_short(new)}"))
        return report
    return [f"{place} differs: {_short(page_value)} → {_short(cv_value)}"] if page_value != cv_value else []


def _changed(old: object, new: object, limit: int = 80) -> str:
    """Two values as `old → new`, each cut to about `limit` characters; two texts shown from a little before
    where they first differ, so that a long citation's change is seen."""
    if isinstance(old, str) and isinstance(new, str):
        first = next((index for index, (one, two) in enumerate(zip(old, new, strict=False)) if one != two),
                     min(len(old), len(new)))
        if first > limit // 2 and max(len(old), len(new)) > limit:
            old, new = "…" + old[first - 20:], "…" + new[first - 20:]
    return f"{shown(old, limit)} → {shown(new, limit)}"


def _short(value: Any) -> str:
    if isinstance(value, Record):
        value = value.model_dump(exclude_defaults=True)
    text = repr(value)
    return text if len(text) <= 120 else text[:117] + "…"


def _unified(old: str, new: str, name: str) -> str:
    lines = difflib.unified_diff(normalize_page(old).splitlines(), normalize_page(new).splitlines(),
                                 f"{name} (page)", f"{name} (CV)", lineterm="")
    return "\n".join(lines)
