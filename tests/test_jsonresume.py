"""`cvgen export jsonresume` (issue 14): the seed as a JSON Resume document that the official schema 1.3.1 accepts
(tests/fixtures/jsonresume, MIT), carrying what JSON Resume can hold and naming the rest in one warning."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
from conftest import DATA, FIXTURES, ROOT

from cvgen.jsonresume import jsonresume_document
from cvgen.loader import load_cv, load_cv_text

SCHEMA = json.loads((FIXTURES / "jsonresume" / "schema.json").read_text(encoding="utf-8"))


def _valid(document: dict[str, object]) -> None:
    jsonschema.Draft7Validator(SCHEMA, format_checker=jsonschema.FormatChecker()).validate(document)


def test_the_seeds_export_is_valid_json_resume_and_names_what_it_leaves_out(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "cvgen.cli", "export", "jsonresume", str(DATA / "cv.yaml"), "-o",
                             str(tmp_path / "resume.json")], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    document = json.loads((tmp_path / "resume.json").read_text(encoding="utf-8"))
    _valid(document)
    assert "warning: left out of the JSON Resume" in result.stderr and "11 news entries" in result.stderr
    seed = load_cv(DATA / "cv.yaml")
    papers = [item for section in seed.sections if section.kind == "publications" for item in section.items]
    assert [paper["name"] for paper in document["publications"]] == [paper.title for paper in papers]
    assert document["publications"][1]["authors"] == ["Hayeon Lee", "Sewoong Lee", "Song Chong", "Sung Ju Hwang"]
    assert document["education"][0] == {"institution": "Korea Advanced Institute of Science and Technology (KAIST)",
                                        "studyType": "Ph.D.", "area": "School of Computing", "startDate": "2018-03"}
    assert document["work"][0]["summary"] == "expected at Summer 2022"  # words: no date JSON Resume can hold
    assert [interest["name"] for interest in document["interests"]] == ["Neural architecture search",
                                                                        "Meta-learning", "AutoML"]


def test_a_season_is_not_written_as_a_date_and_is_counted() -> None:
    cv = load_cv_text("name: A\nsections:\n  - kind: experience\n    title: Work\n    items:\n      - {role: Intern, "
                      "organization: Lab, start: Summer 2022}\n", "cv")
    document, left = jsonresume_document(cv)
    _valid(document)
    assert "startDate" not in document["work"][0] and "1 dates JSON Resume cannot hold (seasons, words)" in left
