"""Starting points (issue 13, point 7): `cvgen init` writes a commented starter CV valid against the published
schema, and `cvgen new-theme` copies a built-in theme into a folder the CV then names, whose outputs are the
theme's until the copy is changed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml
from conftest import DATA, ROOT

from cvgen.loader import load_cv_file
from cvgen.renderers import RenderOptions, render


def cvgen(*arguments: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cvgen.cli", *arguments], cwd=cwd, capture_output=True, text=True,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})


def test_init_writes_a_commented_starter_that_the_schema_and_cvgen_accept(tmp_path: Path) -> None:
    result = cvgen("init", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    starter = tmp_path / "data" / "cv.yaml"
    text = starter.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=cv.schema.json")
    assert sum(line.lstrip().startswith("#") or " # " in line for line in text.splitlines()) >= 20  # commented
    schema = json.loads((tmp_path / "data" / "cv.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(yaml.safe_load(text), schema)  # what an editor checks
    cv, _ = load_cv_file(starter)  # what cvgen checks
    assert {section.kind for section in cv.sections} >= {"text", "education", "experience", "publications",
                                                           "awards", "talks", "entries"}
    built = cvgen("build", "--variant", "short", "-o", "out", cwd=tmp_path)
    assert built.returncode == 0 and (tmp_path / "out" / "short" / "cv.html").is_file(), built.stderr
    again = cvgen("init", cwd=tmp_path)
    assert again.returncode == 1 and "exists" in again.stderr and "--force" in again.stderr
    assert starter.read_text(encoding="utf-8") == text


def test_the_seed_is_valid_against_the_published_schema() -> None:
    schema = json.loads((DATA / "cv.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(yaml.safe_load((DATA / "cv.yaml").read_text(encoding="utf-8")), schema)


@pytest.mark.parametrize("theme", ["classic", "modern"])
def test_new_theme_copies_a_theme_that_the_cv_then_uses_and_a_change_to_it_shows(tmp_path: Path, theme: str) -> None:
    cv_file = tmp_path / "cv.yaml"
    cv_file.write_text((DATA / "cv.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    result = cvgen("new-theme", "mine", str(cv_file), "--from", theme, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    folder = tmp_path / "mine"
    assert (folder / "cv.tex.j2").is_file() and (folder / "style.css").is_file()
    assert (folder / "sections" / "publications.tex.j2").is_file()
    assert (folder / "sections" / "publications.html.j2").is_file()
    cv, origin = load_cv_file(cv_file)
    assert cv.design.templates == [str(folder.resolve())]
    builtin = RenderOptions(theme=theme)
    original, _ = load_cv_file(DATA / "cv.yaml")
    for format_name in ("html", "latex"):  # the copy is the theme
        assert render(format_name, cv) == render(format_name, original, builtin)  # type: ignore[call-overload]
    stylesheet = folder / "style.css"
    stylesheet.write_text(stylesheet.read_text(encoding="utf-8") + "\nh2 { color: #c0ffee; }\n", encoding="utf-8")
    assert "#c0ffee" in render("html", cv)
    refused = cvgen("new-theme", "mine", str(cv_file), cwd=tmp_path)
    assert refused.returncode == 1 and "not empty" in refused.stderr


@pytest.mark.parametrize(("before", "after"), [
    ("name: A\nsections: []\n", "name: A\nsections: []\ndesign:\n  templates: [mine]\n"),
    ("name: A\ndesign:\n  theme: modern\nsections: []\n", "name: A\ndesign:\n  templates: [mine]\n  theme: modern\n"
                                                           "sections: []\n"),
    ("name: A\ndesign:\n    templates: [old]  # kept\nsections: []\n",
     "name: A\ndesign:\n    templates: [mine, old]  # kept\nsections: []\n"),
])
def test_new_theme_names_its_folder_in_the_cv_and_keeps_every_other_line(before: str, after: str) -> None:
    from cvgen.themes import with_template_folder

    assert with_template_folder(before, "mine") == after


def test_new_theme_says_what_to_add_where_it_cannot_edit_the_cv(tmp_path: Path) -> None:
    cv_file = tmp_path / "cv.yaml"
    cv_file.write_text("name: A\ndesign: {theme: modern}\nsections: []\n", encoding="utf-8")
    result = cvgen("new-theme", "mine", str(cv_file), cwd=tmp_path)
    assert result.returncode == 0 and "add `mine` to design.templates" in result.stderr
    assert cv_file.read_text(encoding="utf-8") == "name: A\ndesign: {theme: modern}\nsections: []\n"
