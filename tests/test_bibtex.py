"""BibTeX in and out (issue 14, the BibTeX part): a .bib file the team wrote in the style real files keep
(@inproceedings, @article, @misc arXiv, string macros, `{\\"u}`, `\\&`, `and others`, al-folio's fields, a comment)
imports into a CV whose outputs show every paper, exports back equal as BibTeX data, merges into a CV without
duplicating its papers, and an edit in the YAML reaches the export."""

from __future__ import annotations

import html
import re
import subprocess
import sys
from pathlib import Path

import yaml
from conftest import DATA, FIXTURES, ROOT
from support import missing_facts

from cvgen.bibtex import parsed_entries
from cvgen.loader import load_cv
from cvgen.renderers import render

BIB = FIXTURES / "bibtex" / "team.bib"


def cvgen(*arguments: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cvgen.cli", *arguments], cwd=cwd, capture_output=True, text=True)


def test_a_bib_file_imports_shows_every_paper_and_exports_back_equal_as_data(tmp_path: Path) -> None:
    result = cvgen("import", str(BIB), "-o", "cv.yaml", "--owner", "M. Lindqvist", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "4 papers read" in result.stderr and "4 added" in result.stderr
    assert "owner" not in result.stderr  # found in every paper, under either spelling
    cv = load_cv(tmp_path / "cv.yaml")
    assert cv.name == "Maja Lindqvist" and cv.name_variants == []  # "M. Lindqvist" is her name with initials
    assert cv.is_owner("M. Lindqvist") and cv.is_owner("Lindqvist, M.")
    papers = [item for section in cv.sections for item in getattr(section, "items", [])]
    assert [paper.authors for paper in papers][:2] == [["Maja Lindqvist", "Jörg Müller", "James Farrow"],
                                                       ["James Farrow", "Maja Lindqvist", "et al."]]
    assert papers[1].title == "Calibration & Robustness of RLHF Reward Models"
    assert papers[0].venue == "Advances in Neural Information Processing Systems" and papers[0].selected
    assert [link.url for link in papers[2].links] == ["https://arxiv.org/abs/2503.01234"]
    assert missing_facts(cv, html.unescape(re.sub(r"<[^>]+>", " ", render("html", cv)))) == []
    exported = cvgen("export", "bibtex", "cv.yaml", "-o", "back.bib", cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    assert parsed_entries((tmp_path / "back.bib").read_text(encoding="utf-8")) == parsed_entries(
        BIB.read_text(encoding="utf-8"))


def test_an_edit_in_the_yaml_reaches_the_export_and_the_rest_stays_as_written(tmp_path: Path) -> None:
    assert cvgen("import", str(BIB), "-o", "cv.yaml", cwd=tmp_path).returncode == 0
    data = yaml.safe_load((tmp_path / "cv.yaml").read_text(encoding="utf-8"))
    papers = data["sections"][0]["items"]
    papers[0]["title"] = "Reward Models from Comparisons with Ties"
    papers[3]["authors"].append("Ana Ruiz")
    papers.append({"title": "A New Paper", "authors": ["Maja Lindqvist"], "venue": "ICML", "year": 2026,
                   "url": "https://example.org/a_new%20paper#top"})
    (tmp_path / "cv.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert cvgen("export", "bibtex", "cv.yaml", "-o", "back.bib", cwd=tmp_path).returncode == 0
    before = {entry["ID"]: entry for entry in parsed_entries(BIB.read_text(encoding="utf-8"))}
    after = {entry["ID"]: entry for entry in parsed_entries((tmp_path / "back.bib").read_text(encoding="utf-8"))}
    assert after["lindqvist2023ties"]["title"] == "Reward Models from Comparisons with Ties"
    assert {key: value for key, value in after["lindqvist2023ties"].items() if key != "title"} == {
        key: value for key, value in before["lindqvist2023ties"].items() if key != "title"}
    assert after["lindqvist2022thompson"]["author"].endswith(" and Ana Ruiz")
    assert after["lindqvist2026paper"] == {"ID": "lindqvist2026paper", "ENTRYTYPE": "inproceedings",
                                           "title": "A New Paper", "author": "Maja Lindqvist", "booktitle": "ICML",
                                           "year": "2026", "url": "https://example.org/a_new%20paper#top"}


def test_a_merge_adds_only_new_papers_completes_known_ones_and_says_what_it_did(tmp_path: Path) -> None:
    cv_file = tmp_path / "cv.yaml"
    cv_file.write_text("""# yaml-language-server: $schema=cv.schema.json
name: Maja Lindqvist
name_variants: [M. Lindqvist]
sections:
  - kind: publications
    title: Papers
    items:
      - title: learning reward models from pairwise comparisons with ties   # same title, other case
        authors: [Maja Lindqvist, Jörg Müller, James Farrow]
      - title: Sparse Mixture Distillation (preprint)
        authors: [Maja Lindqvist]
        links: [{label: arXiv, url: 'https://arxiv.org/abs/2503.01234'}]   # the same arXiv id
""", encoding="utf-8")
    first = cvgen("import", str(BIB), "-o", "cv.yaml", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "2 added, 2 completed, 0 left alone" in first.stderr
    assert "comments are not kept" in first.stderr and (tmp_path / "cv.yaml.bak").is_file()
    cv = load_cv(cv_file)
    papers = [item for section in cv.sections for item in getattr(section, "items", [])]
    assert len(papers) == 4 and papers[0].venue == "Advances in Neural Information Processing Systems"
    assert papers[0].title == "learning reward models from pairwise comparisons with ties"  # the CV's own kept
    merged = cv_file.read_text(encoding="utf-8")
    again = cvgen("import", str(BIB), "-o", "cv.yaml", cwd=tmp_path)
    assert "0 added, 0 completed, 4 left alone" in again.stderr and "left as it is" in again.stderr
    assert cv_file.read_text(encoding="utf-8") == merged
    assert len([item for section in load_cv(cv_file).sections for item in getattr(section, "items", [])]) == 4


def test_the_export_of_the_seed_names_what_bibtex_cannot_hold(tmp_path: Path) -> None:
    result = cvgen("export", "bibtex", str(DATA / "cv.yaml"), "-o", str(tmp_path / "seed.bib"), cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "warning: left out of the BibTeX, which holds papers only: " in result.stderr
    assert "11 news" in result.stderr and "3 education" in result.stderr
    entries = parsed_entries((tmp_path / "seed.bib").read_text(encoding="utf-8"))
    seed = load_cv(DATA / "cv.yaml")
    papers = [item for section in seed.sections if section.kind == "publications" for item in section.items]
    assert len(entries) == len(papers) and len({entry["ID"] for entry in entries}) == len(entries)
    assert entries[1]["title"].startswith("HELP: Hardware-Adaptive")


def test_a_cv_written_per_language_is_not_flattened_by_a_merge(tmp_path: Path) -> None:
    (tmp_path / "cv.yaml").write_text("name: A\nheadline: {en: Student, ko: 학생}\nsections: []\n", encoding="utf-8")
    result = cvgen("import", str(BIB), "-o", "cv.yaml", cwd=tmp_path)
    assert result.returncode == 1 and "per language" in result.stderr
    assert "학생" in (tmp_path / "cv.yaml").read_text(encoding="utf-8")
