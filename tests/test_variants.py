"""Variants of one CV (issue 13, point 5): tags and `selected` on entries, variants that pick sections, entries
and a look, the built-in résumé, and each section's order; a variant naming what the CV lacks is an error with
its line."""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import DATA, ROOT, require
from support import pdf_text

from cvgen.errors import InputFileError
from cvgen.loader import load_cv_file
from cvgen.markup import parse_markup, plain_text
from cvgen.model import CV, Publication
from cvgen.renderers import render
from cvgen.variants import shape
from cvgen.view import build_view


def _seed() -> dict[str, object]:
    data: dict[str, object] = yaml.safe_load((DATA / "cv.yaml").read_text(encoding="utf-8"))
    return data


def _write(folder: Path, data: dict[str, object]) -> Path:
    path = folder / "cv.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")
    return path


def _section(data: dict[str, object], kind: str) -> dict[str, object]:
    sections: list[dict[str, object]] = data["sections"]  # type: ignore[assignment]
    return next(section for section in sections if section["kind"] == kind)


def _titles(cv: CV, kind: str) -> list[str]:
    return [plain_text(parse_markup(item.title)) for section in cv.sections if section.kind == kind
            for item in getattr(section, "items", []) if isinstance(item, Publication)]


def test_a_variant_picks_sections_by_id_heading_or_kind_and_entries_by_tag_selection_and_limit(
        tmp_path: Path) -> None:
    data = _seed()
    papers = _section(data, "publications")
    papers["id"] = "papers"
    items: list[dict[str, object]] = papers["items"]  # type: ignore[assignment]
    items[1]["tags"] = ["nas"]
    items[2]["tags"] = ["nas", "meta"]
    items[4]["tags"] = ["meta"]
    items[2]["selected"] = True
    data["variants"] = {
        "nas": {"sections": ["papers", "Education"], "tags": ["nas"]},
        "picked": {"sections": ["publications"], "selected": True},
        "short": {"sections": ["education", "experience"], "limits": {"experience": 2}, "limit": 1},
    }
    cv, origin = load_cv_file(_write(tmp_path, data))
    titles = [str(item["title"]) for item in items]
    nas, _ = shape(cv, "nas", origin)
    assert [section.kind for section in nas.sections] == ["publications", "education"]  # in the variant's order
    assert _titles(nas, "publications") == [titles[1], titles[2]]
    assert _titles(shape(cv, "picked", origin)[0], "publications") == [titles[2]]
    short, _ = shape(cv, "short", origin)
    assert [len(getattr(section, "items", [])) for section in short.sections] == [1, 2]
    assert _titles(cv, "publications") == titles  # the CV itself is left whole


@pytest.mark.parametrize(("variant", "field", "message"), [
    ({"sections": ["Publications", "Hobbies"]}, "sections[1]", r"no section is named 'Hobbies'"),
    ({"tags": ["robotics"]}, "tags[0]", r"no entry carries the tag 'robotics'"),
    ({"limits": {"teaching": 3}}, "limits.teaching", r"no section is named 'teaching'"),
    ({"limit": 0}, "limit", r"a limit of 0 shows nothing"),
])
def test_a_variant_naming_what_the_cv_lacks_is_an_error_naming_its_line(
        tmp_path: Path, variant: dict[str, object], field: str, message: str) -> None:
    data = _seed()
    data["variants"] = {"broken": variant}
    path = _write(tmp_path, data)
    cv, origin = load_cv_file(path)
    with pytest.raises(InputFileError) as raised:
        shape(cv, "broken", origin)
    text = str(raised.value)
    lines = path.read_text(encoding="utf-8").splitlines()
    line = int(re.search(rf"{re.escape(str(path))}:(\d+): variants\.broken\.{re.escape(field)}", text).group(1))  # type: ignore[union-attr]
    assert re.search(message, text), text
    assert lines[line - 1].strip().startswith(("- ", "limit", "teaching", "tags")), lines[line - 1]


def test_an_unknown_variant_names_the_ones_there_are(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "cvgen.cli", "build", str(DATA / "cv.yaml"), "--variant", "cv2",
                             "-o", str(tmp_path)], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 1 and "there is no variant 'cv2'; the CV has resume" in result.stderr
    assert "Traceback" not in result.stderr


def test_newest_first_orders_a_section_in_every_output(tmp_path: Path) -> None:
    data = _seed()
    papers = _section(data, "publications")
    papers["sort"] = "newest first"
    items: list[dict[str, object]] = papers["items"]  # type: ignore[assignment]
    items.reverse()  # oldest first as written
    cv, origin = load_cv_file(_write(tmp_path, data))
    shaped, _ = shape(cv, None, origin)
    years = [item.year for section in shaped.sections if section.kind == "publications"
             for item in getattr(section, "items", [])]
    assert years == sorted(years, reverse=True) and years != [item["year"] for item in items]
    newest, oldest = _titles(shaped, "publications")[0], _titles(shaped, "publications")[-1]
    for format_name in ("markdown", "html", "latex"):
        text = render(format_name, shaped)  # type: ignore[call-overload]
        assert text.index(newest[:30]) < text.index(oldest[:30]), format_name


def test_the_builtin_resume_of_the_seed_is_one_or_two_pages_in_both_pdfs(tmp_path: Path) -> None:
    require("latexmk", "xelatex", "pdftotext", "pdfinfo")
    result = subprocess.run([sys.executable, "-m", "cvgen.cli", "build", str(DATA / "cv.yaml"), "--variant", "resume",
                             "-o", str(tmp_path)], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert sorted(path.name for path in (tmp_path / "resume").iterdir() if path.is_file()) == ["cv.html", "cv.pdf"]
    for pdf in (tmp_path / "resume" / "cv.pdf", tmp_path / "resume" / "latex" / "cv.pdf"):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))  # type: ignore[union-attr]
        assert 1 <= pages <= 2, (pdf, pages)
        text = " ".join(pdf_text(pdf).split())
        assert "Education" in text and "Online Hyperparameter Meta-Learning" in text
        assert "News" not in text and "Learning Spatial Relationships" not in text  # the fifth paper and on: out
    full = subprocess.run([sys.executable, "-m", "cvgen.cli", "build", str(DATA / "cv.yaml"), "-o", str(tmp_path)],
                          capture_output=True, text=True, cwd=ROOT)
    assert full.returncode == 0, full.stderr  # the full CV beside it, untouched by the variant's record
    assert "Learning Spatial Relationships" in " ".join(pdf_text(tmp_path / "cv.pdf").split())


def test_a_variant_sets_theme_paper_and_engine(tmp_path: Path) -> None:
    require("pdfinfo")
    data = _seed()
    data["variants"] = {"letter": {"theme": "modern", "paper": "letter", "formats": ["pdf"]}}
    path = _write(tmp_path, data)
    cv, origin = load_cv_file(path)
    shaped, _ = shape(cv, "letter", origin)
    assert (shaped.design.theme, shaped.design.paper) == ("modern", "letter")
    result = subprocess.run([sys.executable, "-m", "cvgen.cli", "build", str(path), "--variant", "letter", "-o",
                             str(tmp_path / "out")], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    info = subprocess.run(["pdfinfo", str(tmp_path / "out" / "letter" / "cv.pdf")], capture_output=True, text=True,
                          check=True).stdout
    assert "612 x 792 pts" in info


def test_messages_about_a_shaped_cv_name_the_entry_where_the_yaml_writes_it(tmp_path: Path) -> None:
    """A variant moves sections and a section's order moves entries: the LaTeX source markers and the warnings
    still name each entry's own path and line."""
    data = _seed()
    sections: list[dict[str, object]] = data["sections"]  # type: ignore[assignment]
    number = next(index for index, section in enumerate(sections) if section["kind"] == "publications")
    papers = sections[number]
    papers["sort"] = "newest first"
    items: list[dict[str, object]] = papers["items"]  # type: ignore[assignment]
    items.reverse()  # the newest is written last
    items.append({"raw": "- A paper kept as written, with {{ site.url }} in it"})
    data["variants"] = {"papers": {"sections": ["publications"]}}
    path = _write(tmp_path, data)
    cv, origin = load_cv_file(path)
    shaped, moved = shape(cv, "papers", origin)
    where = dataclasses.replace(origin, moved=moved)
    newest = len(items) - 2  # the last paper written
    assert where.written(("sections", 0, "items", 0)) == ("sections", number, "items", newest)
    view = build_view(shaped, where)
    assert view.sections[0].source == f"sections[{number}]"
    assert view.sections[0].entry_sources[0] == f"sections[{number}].items[{newest}]"
    assert f"% cvgen: sections[{number}].items[{newest}]" in render("latex", shaped, view=view)
    (warning,) = view.warnings
    lines = path.read_text(encoding="utf-8").splitlines()
    assert "{{ site.url }}" in lines[where.line(warning.path) - 1]  # type: ignore[operator]
    assert where.place(warning.path).endswith(f"sections[{number}].items[{len(items) - 1}].raw")
