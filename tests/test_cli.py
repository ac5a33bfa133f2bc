"""The `cvgen` command as a user runs it: outputs, exit codes, one-screen errors, atomic writes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DATA, ROOT, require, require_font
from support import missing_facts, pdf_fonts, pdf_text

from cvgen.loader import load_cv

BAD_CV = "name: A\nsections:\n  - kind: news\n    items:\n      - {date: 2021-02-30, text: hi}\n"


def cvgen(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cvgen.cli", *args], capture_output=True, text=True, cwd=cwd,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=600)


def test_markdown_to_stdout_is_the_page() -> None:
    result = cvgen("markdown", "-o", "-")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("---\npermalink: /\n")
    assert "KAIST 황성주 교수팀" in result.stdout


def test_markdown_imports_neither_weasyprint_nor_pydantic() -> None:
    """Start-up cost: the page needs no PDF engine, and typer 0.29 or later would bring pydantic back."""
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "cvgen.cli", "markdown", "-o", "-"],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0
    imported = {line.split("|")[-1].strip().split(".")[0] for line in result.stderr.splitlines() if "|" in line}
    assert "cvgen" in imported
    assert "weasyprint" not in imported and "pydyf" not in imported
    assert "pydantic" not in imported and "pydantic_core" not in imported


def test_import_writes_the_yaml_and_its_schema(tmp_path: Path) -> None:
    target = tmp_path / "cv.yaml"
    result = cvgen("import", str(DATA / "about.md"), "-o", str(target))
    assert result.returncode == 0, result.stderr
    assert target.read_text(encoding="utf-8") == (DATA / "cv.yaml").read_text(encoding="utf-8")
    assert "import: 45 entries typed in 11 sections; 0 parts kept as written" in result.stderr
    assert "  line  104  Academic Services        service       6 typed" in result.stderr  # entries of its groups
    assert "  line   41  Conference Publications  publications  6 typed" in result.stderr
    assert json.loads((tmp_path / "cv.schema.json").read_text(encoding="utf-8"))["title"] == "cvgen CV"


def test_import_says_how_to_give_the_owner_and_takes_it(tmp_path: Path) -> None:
    page = tmp_path / "about.md"
    page.write_text("I study **robust learning**, **fairness** and more.\n", encoding="utf-8")
    unnamed = cvgen("import", str(page), "-o", str(tmp_path / "a.yaml"))
    assert unnamed.returncode == 0 and "--name 'Your Name'" in unnamed.stderr
    named = cvgen("import", str(page), "--name", "Jane Doe", "-o", str(tmp_path / "b.yaml"))
    assert named.returncode == 0 and "owner" not in named.stderr
    assert (tmp_path / "b.yaml").read_text(encoding="utf-8").splitlines()[1] == "name: Jane Doe"


def test_import_does_not_replace_a_different_cv_without_force(tmp_path: Path) -> None:
    target = tmp_path / "cv.yaml"
    target.write_text("name: hand edited\n", encoding="utf-8")
    refused = cvgen("import", str(DATA / "about.md"), "-o", str(target))
    assert refused.returncode == 1
    assert "pass --force" in refused.stderr
    assert target.read_text(encoding="utf-8") == "name: hand edited\n"
    assert cvgen("import", str(DATA / "about.md"), "-o", str(target), "--force").returncode == 0
    assert target.read_text(encoding="utf-8") == (DATA / "cv.yaml").read_text(encoding="utf-8")


def test_schema_command_matches_the_committed_schema_named_by_the_yaml() -> None:
    result = cvgen("schema")
    assert result.returncode == 0
    assert result.stdout == (DATA / "cv.schema.json").read_text(encoding="utf-8")
    schema = json.loads(result.stdout)
    assert {"name", "sections", "homepage", "design"} <= set(schema["properties"])
    assert (DATA / "cv.yaml").read_text(encoding="utf-8").splitlines()[0] == (
        "# yaml-language-server: $schema=cv.schema.json")


@pytest.mark.parametrize("command", ["markdown", "html", "latex", "pdf"])
def test_a_bad_cv_is_one_screen_exit_1_and_writes_nothing(tmp_path: Path, command: str) -> None:
    cv = tmp_path / "cv.yaml"
    cv.write_text(BAD_CV, encoding="utf-8")
    output = tmp_path / ("out.pdf" if command == "pdf" else "out.txt")
    output.write_text("previous output", encoding="utf-8")
    result = cvgen(command, str(cv), "-o", str(output))
    assert result.returncode == 1
    assert f"{cv}:5: sections[0].items[0].date: '2021-02-30' is not a date" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) < 25
    assert output.read_text(encoding="utf-8") == "previous output"
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(["cv.yaml", output.name])


def test_a_missing_cv_and_a_non_text_homepage_are_errors(tmp_path: Path) -> None:
    result = cvgen("markdown", str(tmp_path / "nope.yaml"))
    assert result.returncode == 1 and "no such CV file" in result.stderr and "Traceback" not in result.stderr
    image = tmp_path / "about.md"
    image.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    result = cvgen("import", str(image), "-o", str(tmp_path / "cv.yaml"))
    assert result.returncode == 1 and "is binary data" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "cv.yaml").exists()


def test_usage_errors_exit_2() -> None:
    assert cvgen("markdown", "--no-such-option").returncode == 2
    assert cvgen("no-such-command").returncode == 2
    assert cvgen("pdf", "-o", "-").returncode == 2


def test_pdf_command_reads_back_with_every_fact_and_a_korean_font(tmp_path: Path) -> None:
    require("pdftotext", "pdffonts")
    require_font("Noto Serif CJK KR")
    output = tmp_path / "cv.pdf"
    result = cvgen("pdf", "-o", str(output))
    assert result.returncode == 0, result.stderr
    assert missing_facts(load_cv(DATA / "cv.yaml"), pdf_text(output)) == []
    assert any("CJK" in line and " yes " in line for line in pdf_fonts(output))


def test_check_passes_for_the_seed_and_names_a_drifted_entry(tmp_path: Path) -> None:
    assert cvgen("check", str(DATA / "about.md")).returncode == 0
    drifted = tmp_path / "about.md"
    page = (DATA / "about.md").read_text(encoding="utf-8")
    drifted.write_text(page.replace("ICML Top Reviewer (2020)", "ICML Top Reviewer (2021)"), encoding="utf-8")
    result = cvgen("check", str(drifted))
    assert result.returncode == 1
    assert "## Awards & Honors, entry 3: date differs: '2021' → '2020'" in result.stderr
    assert "Traceback" not in result.stderr


def test_compiled_templates_are_cached_and_an_edited_template_is_recompiled(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    templates = tmp_path / "templates" / "sections"
    templates.mkdir(parents=True)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(cache)}

    def page() -> str:
        result = subprocess.run([sys.executable, "-m", "cvgen.cli", "markdown", "-o", "-", "--templates",
                                 str(tmp_path / "templates")], capture_output=True, text=True, cwd=ROOT, env=env)
        assert result.returncode == 0, result.stderr
        return result.stdout

    (templates / "news.md.j2").write_text("## First version\n", encoding="utf-8")
    assert "## First version" in page()
    assert list((cache / "cvgen" / "jinja-sandboxed").glob("*.cache"))
    (templates / "news.md.j2").write_text("## Second version\n", encoding="utf-8")
    assert "## Second version" in page() and "## First version" not in page()
    # cvgen's own templates, compiled for the sandbox above, are compiled apart for running without it
    pages = [subprocess.run([sys.executable, "-m", "cvgen.cli", "markdown", "-o", "-"], capture_output=True,
                            text=True, cwd=ROOT, env={**env, "XDG_CACHE_HOME": str(folder)})
             for folder in (cache, tmp_path / "new-cache")]
    assert [page.returncode for page in pages] == [0, 0], pages[0].stderr
    assert pages[0].stdout == pages[1].stdout and "## Education" in pages[0].stdout
    assert list((cache / "cvgen" / "jinja-builtin").glob("*.cache"))


@pytest.mark.parametrize("output, name", [("markdown", "page.md.j2"), ("html", "cv.html.j2"),
                                          ("latex", "cv.tex.j2")])
def test_a_user_template_runs_in_the_sandbox(tmp_path: Path, output: str, name: str) -> None:
    """A template from a user's folder cannot reach Python's internals through the values it is given (cvgen's
    own templates run without the sandbox: it guards only the folders a user names)."""
    reach = '"".__class__.__mro__'  # outside the sandbox: (<class 'str'>, <class 'object'>)
    (tmp_path / name).write_text(("{{ %s }}" if output != "latex" else "\\VAR{%s}") % reach + "\n", encoding="utf-8")
    result = cvgen(output, "-o", str(tmp_path / "out" / "cv"), "--templates", str(tmp_path))
    assert result.returncode == 1, result.stdout
    assert f"{name}:1: template error: access to attribute '__class__' of 'str' object is unsafe" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("template, expected", [
    ("## {{ section.title }\n", "news.md.j2:1: template error: unexpected '}'"),
    ("\n## {{ section.no_such_field }}\n", "news.md.j2:2: template error: 'cvgen.model.NewsSection object' has no "
                                           "attribute 'no_such_field'"),
])
def test_a_broken_user_template_is_one_line_naming_its_file_and_line(tmp_path: Path, template: str,
                                                                     expected: str) -> None:
    (tmp_path / "sections").mkdir()
    (tmp_path / "sections" / "news.md.j2").write_text(template, encoding="utf-8")
    result = cvgen("markdown", "-o", str(tmp_path / "about.md"), "--templates", str(tmp_path))
    assert result.returncode == 1
    assert expected in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "about.md").exists()
