"""JSON Resume in and out (issue 14): `cvgen import` reads a document the official schema 1.3.1 accepts (and
academicpages' `_data/cv.json` with its older names) into typed entries that every output shows; `cvgen export
jsonresume` gives the sample back equal and carries edits; the seed's export is valid and names what it leaves out.
The schema ships with cvgen (cvgen/schemas/jsonresume); the sample and academicpages' file are in
tests/fixtures/jsonresume, MIT licensed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml
from conftest import DATA, FIXTURES, ROOT, require
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import missing_facts, pdf_text

from cvgen.importers.jsonresume import schema
from cvgen.jsonresume import jsonresume_document
from cvgen.loader import load_cv, load_cv_text
from cvgen.markup import markup_text
from cvgen.model import Degree, GenericEntry, Position, Publication, Talk

SCHEMA = schema()
SAMPLE = FIXTURES / "jsonresume" / "sample.resume.json"
ACADEMICPAGES = FIXTURES / "jsonresume" / "academicpages.cv.json"


def _cvgen(*arguments: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cvgen.cli", *map(str, arguments)], capture_output=True, text=True,
                          cwd=cwd)


def _import(source: Path, folder: Path) -> tuple[Path, str]:
    cv_file = folder / "cv.yaml"
    result = _cvgen("import", source, "-o", cv_file)
    assert result.returncode == 0, result.stderr
    return cv_file, result.stderr


def _export(cv_file: Path) -> dict[str, object]:
    result = _cvgen("export", "jsonresume", cv_file, "-o", cv_file.with_suffix(".json"))
    assert result.returncode == 0, result.stderr
    document: dict[str, object] = json.loads(cv_file.with_suffix(".json").read_text(encoding="utf-8"))
    _valid(document)
    return document


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
                                        "studyType": "Ph.D.", "area": "School of Computing", "startDate": "2018-03",
                                        "url": "https://www.kaist.ac.kr/en/"}  # the linked institution's link
    assert document["work"][0]["summary"] == "expected at Summer 2022"  # words: no date JSON Resume can hold
    assert [interest["name"] for interest in document["interests"]] == ["Neural architecture search",
                                                                        "Meta-learning", "AutoML"]


def test_a_season_is_not_written_as_a_date_and_is_counted() -> None:
    cv = load_cv_text("name: A\nsections:\n  - kind: experience\n    title: Work\n    items:\n      - {role: Intern, "
                      "organization: Lab, start: Summer 2022}\n", "cv")
    document, left = jsonresume_document(cv)
    _valid(document)
    assert "startDate" not in document["work"][0] and "1 dates JSON Resume cannot hold (seasons, words)" in left


def test_the_sample_imports_typed_and_exports_back_equal_for_every_field(tmp_path: Path) -> None:
    sample = json.loads(SAMPLE.read_text(encoding="utf-8"))
    cv_file, stderr = _import(SAMPLE, tmp_path)
    assert "valid against the JSON Resume schema 1.3.1; 11 entries typed in 10 sections" in stderr
    assert ("kept for `cvgen export jsonresume` but not shown in the CV: basics.profiles.username, projects.keywords, "
            "projects.roles, projects.type, meta") in stderr
    cv = load_cv(cv_file)
    kinds = {section.id: [type(item).__name__ for item in getattr(section, "items", [])] for section in cv.sections}
    assert kinds == {"summary": [], "work": ["Position"], "volunteer": ["Position"], "education": ["Degree"],
                     "awards": ["Award"], "publications": ["Publication"], "skills": ["GenericEntry"] * 2,
                     "languages": ["GenericEntry"], "interests": ["GenericEntry"], "references": ["GenericEntry"],
                     "projects": ["GenericEntry"]}
    job = cv.sections[1].items[0]  # type: ignore[union-attr]
    assert isinstance(job, Position) and job.organization == "[Pied Piper](http://piedpiper.example.com)"
    assert (job.start, job.end, job.details[0]) == ("2013-12-01", "2014-12-01", "Awesome compression company")
    assert [markup_text(link.label) for link in cv.profiles] == ["(912) 555-4321", "Twitter", "SoundCloud"]
    document = _export(cv_file)
    assert document == sample  # every field the schema defines, and the sample's own $schema and meta
    for key in SCHEMA["properties"]:  # said field by field, for a reader of a failure
        assert document.get(key) == sample.get(key), key


def test_an_edit_of_the_imported_cv_reaches_the_export_and_the_rest_stays(tmp_path: Path) -> None:
    cv_file, _ = _import(SAMPLE, tmp_path)
    data = yaml.safe_load(cv_file.read_text(encoding="utf-8"))
    work = data["sections"][1]["items"][0]
    work["details"][3] = "Won Techcrunch Disrupt 2014"  # a highlight (after the description and summary lines)
    work["role"] = "CEO"
    data["sections"][5]["items"][0]["title"] = "Video compression for 3D media"
    data["profiles"].append({"label": "GitHub", "url": "https://github.com/richard"})
    data["sections"][6]["items"][0]["title"] = "HTML, CSS, TypeScript"  # the skill's keywords
    data["sections"][1]["items"].append({"role": "Engineer", "organization": "Hooli", "start": "2012-01"})
    cv_file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    sample = json.loads(SAMPLE.read_text(encoding="utf-8"))
    document = _export(cv_file)
    pied_piper = document["work"][0]  # type: ignore[index]
    assert pied_piper == {**sample["work"][0], "position": "CEO", "highlights": [  # type: ignore[index]
        sample["work"][0]["highlights"][0], "Won Techcrunch Disrupt 2014", sample["work"][0]["highlights"][2]]}
    assert document["work"][1] == {"name": "Hooli", "position": "Engineer", "startDate": "2012-01"}  # type: ignore
    assert document["publications"] == [{**sample["publications"][0], "name": "Video compression for 3D media"}]
    assert document["skills"][0] == {**sample["skills"][0], "keywords": ["HTML", "CSS", "TypeScript"]}  # type: ignore
    assert document["basics"]["profiles"] == [*sample["basics"]["profiles"],  # type: ignore[index]
                                              {"network": "GitHub", "url": "https://github.com/richard"}]
    assert {key: value for key, value in document.items() if key not in ("work", "publications", "skills",
                                                                          "basics")} == {
        key: value for key, value in sample.items() if key not in ("work", "publications", "skills", "basics")}


def test_every_typed_fact_of_the_sample_reaches_the_pdf_and_the_web_page(tmp_path: Path) -> None:
    require("pdftotext")
    cv_file, _ = _import(SAMPLE, tmp_path)
    for command, output in (("pdf", "cv.pdf"), ("html", "cv.html")):
        result = _cvgen(command, cv_file, "-o", tmp_path / output)
        assert result.returncode == 0, result.stderr
    cv = load_cv(cv_file)
    assert missing_facts(cv, pdf_text(tmp_path / "cv.pdf")) == []
    page = (tmp_path / "cv.html").read_text(encoding="utf-8")
    for text in ("Web Development", "Javascript", "Native speaker", "Ferrets", "Erlich Bachman", "Smoogle",
                 "There is no spoon.", "DB1101 - Basic SQL", "tel:9125554321"):
        assert text in page, text


def test_academicpages_cv_json_with_its_older_names_imports_and_its_html_stays_text(tmp_path: Path) -> None:
    cv_file, stderr = _import(ACADEMICPAGES, tmp_path)
    assert ("older JSON Resume field names read as the schema's: basics.website → url, education.gpa → score, "
            "publications.website → url") in stderr
    assert "14 entries typed in 5 sections (Education 3, Publications 4, Talks 4, Teaching 2, Portfolio 1)" in stderr
    cv = load_cv(cv_file)
    assert cv.website == "https://academicpages.github.io" and cv.location == "Earth, US"
    items = {section.id: getattr(section, "items", []) for section in cv.sections}
    assert [(item.degree, item.end) for item in items["education"] if isinstance(item, Degree)] == [
        ("Ph.D in Version Control Theory", "2018"), ("M.S. in Jekyll", "2014"), ("B.S. in GitHub", "2012")]
    assert all(isinstance(item, Publication) and item.url and item.abstract for item in items["publications"])
    talk = items["presentations"][0]
    assert isinstance(talk, Talk) and talk.venues[0].location == "San Francisco, CA, USA"
    course = items["teaching"][0]
    assert isinstance(course, GenericEntry) and (course.label, course.subtitle) == ("Undergraduate course",
                                                                                   "University 1, Department")
    result = _cvgen("html", cv_file, "-o", tmp_path / "cv.html")
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "cv.html").read_text(encoding="utf-8")
    assert "&lt;img src=" in page and "<img src='/images" not in page  # the file's HTML is its text, not markup
    document = _export(cv_file)
    assert [paper["url"] for paper in document["publications"]][:1] == [  # type: ignore[index]
        "http://academicpages.github.io/files/paper1.pdf"]  # written under the schema's name


def test_a_json_resume_in_yaml_imports_as_the_json_does(tmp_path: Path) -> None:
    sample = json.loads(SAMPLE.read_text(encoding="utf-8"))
    (tmp_path / "resume.yaml").write_text(yaml.safe_dump(sample, allow_unicode=True, sort_keys=False),
                                          encoding="utf-8")
    (tmp_path / "yaml").mkdir()
    (tmp_path / "json").mkdir()
    from_yaml, _ = _import(tmp_path / "resume.yaml", tmp_path / "yaml")
    from_json, _ = _import(SAMPLE, tmp_path / "json")
    assert from_yaml.read_text(encoding="utf-8") == from_json.read_text(encoding="utf-8")


@pytest.mark.parametrize(("change", "message"), [
    (lambda doc: doc["work"][0].update(startDate="2013/12"), "work[0].startDate: '2013/12' is not a date JSON "
     "Resume reads; use YYYY, YYYY-MM or YYYY-MM-DD (JSON Resume schema 1.3.1)"),
    (lambda doc: doc["skills"][0].update(keywords="HTML"), "skills[0].keywords: 'HTML' is not of type 'array'"),
    (lambda doc: doc["basics"].update(name=7), "basics.name: 7 is not of type 'string'"),
    # a date the schema's pattern lets through
    (lambda doc: doc["awards"][0].update(date="2014-13"), "awards[0].date: '2014-13' is not a date"),
])
def test_a_document_the_schema_refuses_is_named_by_file_line_and_field(tmp_path: Path, change: object,
                                                                         message: str) -> None:
    sample = json.loads(SAMPLE.read_text(encoding="utf-8"))
    change(sample)  # type: ignore[operator]
    source = tmp_path / "resume.json"
    source.write_text(json.dumps(sample, indent=2, ensure_ascii=False), encoding="utf-8")
    result = _cvgen("import", source, "-o", tmp_path / "cv.yaml")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    line = next(number for number, text in enumerate(source.read_text(encoding="utf-8").splitlines(), 1)
                if text.strip().startswith(f'"{message.split(":")[0].split(".")[-1].split("[")[0]}"'))
    assert f"{source}:{line}: {message}" in result.stderr
    assert not (tmp_path / "cv.yaml").exists()


def test_import_tells_a_cvgen_cv_and_an_unknown_document_apart(tmp_path: Path) -> None:
    result = _cvgen("import", DATA / "cv.yaml", "-o", tmp_path / "cv.yaml")
    assert result.returncode == 1 and "is a cvgen CV already: build it with `cvgen build" in result.stderr
    (tmp_path / "other.json").write_text('{"title": "x"}', encoding="utf-8")
    result = _cvgen("import", tmp_path / "other.json", "-o", tmp_path / "cv.yaml")
    assert result.returncode == 1 and "--from jsonresume or --from rendercv" in result.stderr
    result = _cvgen("import", tmp_path / "other.json", "--from", "jsonresume", "-o", tmp_path / "cv.yaml")
    assert result.returncode == 1 and "the document names nobody (basics.name)" in result.stderr


# --- the law: a JSON Resume document comes back as it went in ------------------------------------------------------

_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")) | st.sampled_from(
    list("*_[]()`\\<>&#$=+~!|{}%\"'\n")), max_size=30)
_DATE = st.one_of(st.integers(1990, 2030).map(str), st.builds("{}-{:02d}".format, st.integers(1990, 2030),
                                                              st.integers(1, 12)))
_URL = st.sampled_from(["https://example.org/a_b", "http://x.example/(1)", "https://e.org/a)b", "mailto:a@b.org",
                        "/files/cv.pdf", "javascript:alert(1)", "not a url"])


def _object(fields: dict[str, st.SearchStrategy[object]]) -> st.SearchStrategy[dict[str, object]]:
    return st.fixed_dictionaries({}, optional=fields)


_DOCUMENTS = st.fixed_dictionaries({
    "basics": st.fixed_dictionaries({"name": _TEXT.filter(lambda name: name.strip() != "")}, optional={
        "label": _TEXT, "email": _TEXT, "phone": _TEXT, "url": _URL, "summary": _TEXT, "image": _TEXT,
        "location": _object({"address": _TEXT, "city": _TEXT, "region": _TEXT, "postalCode": _TEXT,
                             "countryCode": _TEXT}),
        "profiles": st.lists(_object({"network": _TEXT, "username": _TEXT, "url": _URL}), max_size=2)}),
}, optional={
    "work": st.lists(_object({"name": _TEXT, "position": _TEXT, "url": _URL, "location": _TEXT, "startDate": _DATE,
                              "endDate": _DATE, "description": _TEXT, "summary": _TEXT,
                              "highlights": st.lists(_TEXT, max_size=3)}), min_size=1, max_size=2),
    "education": st.lists(_object({"institution": _TEXT, "url": _URL, "area": _TEXT, "studyType": _TEXT,
                                   "startDate": _DATE, "endDate": _DATE, "score": _TEXT,
                                   "courses": st.lists(_TEXT, max_size=2)}), min_size=1, max_size=2),
    "awards": st.lists(_object({"title": _TEXT, "date": _DATE, "awarder": _TEXT, "summary": _TEXT}), min_size=1,
                       max_size=2),
    "certificates": st.lists(_object({"name": _TEXT, "date": _DATE, "url": _URL, "issuer": _TEXT}), min_size=1,
                             max_size=2),
    "publications": st.lists(_object({"name": _TEXT, "publisher": _TEXT, "releaseDate": _DATE, "url": _URL,
                                      "summary": _TEXT}), min_size=1, max_size=2),
    "skills": st.lists(_object({"name": _TEXT, "level": _TEXT, "keywords": st.lists(_TEXT, max_size=3)}),
                       min_size=1, max_size=2),
    "languages": st.lists(_object({"language": _TEXT, "fluency": _TEXT}), min_size=1, max_size=2),
    "interests": st.lists(_object({"name": _TEXT, "keywords": st.lists(_TEXT, max_size=3)}), min_size=1, max_size=2),
    "references": st.lists(_object({"name": _TEXT, "reference": _TEXT}), min_size=1, max_size=2),
    "projects": st.lists(_object({"name": _TEXT, "description": _TEXT, "url": _URL, "entity": _TEXT, "type": _TEXT,
                                  "startDate": _DATE, "endDate": _DATE, "highlights": st.lists(_TEXT, max_size=2),
                                  "roles": st.lists(_TEXT, max_size=2)}), min_size=1, max_size=2),
    "meta": _object({"version": _TEXT, "canonical": _TEXT}),
})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_DOCUMENTS)
def test_law_any_json_resume_document_exports_back_as_it_was_imported(document: dict[str, object]) -> None:
    """Import, write the YAML, read it back, export: the same document, whatever its text holds (markup
    characters, line breaks, links cvgen refuses), so moving to cvgen and back costs nothing."""
    from cvgen.dump import dump_cv
    from cvgen.importers.jsonresume import import_jsonresume

    imported = import_jsonresume(json.dumps(document), "resume.json", yaml_syntax=False)
    exported, _ = jsonresume_document(load_cv_text(dump_cv(imported.cv), "cv.yaml"))
    assert exported == {"$schema": exported["$schema"], **document}


@pytest.mark.parametrize(("name", "text", "message"), [
    ("deep.json", '{"basics": {"name": "A"}, "x": ' + "[" * 100_000 + "]" * 100_000 + "}",
     "values are nested more than 100 levels deep"),  # deeper than Python's JSON reader goes
    ("deeper.json", '{"basics": {"name": "A"}, "x": ' + "[" * 500 + "]" * 500 + "}",
     "values are nested more than 100 levels deep"),  # the limit a CV's YAML has
    ("broken.json", '{"basics": {\n', ":2: not JSON: Expecting property name enclosed in double quotes"),
    ("list.json", "[1, 2]", "is neither a JSON Resume document"),
    ("control.json", '{"basics": {"name": "A",\n "label": "Ph.D.\\u0007"}}',
     ":2: basics.label: contains the control character U+0007, which is not text"),  # no CV file holds one
    ("bomb.yaml", "basics: {name: A}\na: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{name}: &{name} [{', '.join([f'*{before}'] * 9)}]\n"
        for before, name in zip("abcdef", "bcdefg", strict=True)),
     "(an alias bomb?)"),
])
def test_a_hostile_json_resume_file_is_one_line_of_error(tmp_path: Path, name: str, text: str, message: str) -> None:
    source = tmp_path / name
    source.write_text(text, encoding="utf-8")
    result = _cvgen("import", source, "-o", tmp_path / "cv.yaml")
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr[-2000:]
    assert message in result.stderr and len(result.stderr.splitlines()) <= 3, result.stderr
    assert not (tmp_path / "cv.yaml").exists()


_ANY_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 3000) | _TEXT | _DATE | _URL | st.just("\x07"),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.sampled_from(
        ["name", "url", "startDate", "highlights", "keywords", "summary", "location", "network", "position", "title",
         "date", "courses", "score", "website", "company", "x"]), children, max_size=4),
    max_leaves=12)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(["basics", "work", "volunteer", "education", "awards", "certificates",
                                        "publications", "skills", "languages", "interests", "references",
                                        "projects", "meta", "presentations", "teaching", "portfolio"]),
                       _ANY_JSON, min_size=1))
def test_law_any_json_is_imported_or_refused_and_an_import_reads_back(document: dict[str, object]) -> None:
    """Whatever a .json file holds: an InputFileError naming what is wrong, or a CV whose YAML cvgen reads back."""
    from cvgen.dump import dump_cv
    from cvgen.errors import InputFileError
    from cvgen.importers.jsonresume import import_jsonresume

    try:
        imported = import_jsonresume(json.dumps(document), "resume.json", yaml_syntax=False, name="Ada")
    except InputFileError as error:
        assert error.problems
        return
    load_cv_text(dump_cv(imported.cv), "cv.yaml")


@pytest.mark.parametrize("url", ["https://e.org/a)b", "http://x.example/(1)", "https://e.org/x"])
def test_a_linked_name_keeps_its_text_and_its_whole_link(url: str) -> None:
    """A URL with a parenthesis would end a Markdown link early: the name is linked in angle brackets."""
    from cvgen.importers.jsonresume import read_job
    from cvgen.jsonresume import name_and_url

    job = read_job({"name": "Pied Piper", "position": "CEO", "url": url})
    assert name_and_url(job.organization) == ("Pied Piper", url)


def test_a_projects_location_goes_out_and_comes_back_and_elsewhere_is_counted(tmp_path: Path) -> None:
    source = tmp_path / "resume.json"
    source.write_text(json.dumps({"basics": {"name": "Ada Lovelace"}, "projects": [
        {"name": "Field school", "location": "Lisbon, Portugal", "startDate": "2022"}],
        "languages": [{"language": "Portuguese", "fluency": "Fluent"}]}), encoding="utf-8")
    cv_file, _ = _import(source, tmp_path)
    data = yaml.safe_load(cv_file.read_text(encoding="utf-8"))
    assert data["sections"][0]["items"][0]["location"] == "Lisbon, Portugal"
    data["sections"][0]["items"][0]["location"] = "Porto, Portugal"
    data["sections"][1]["items"][0]["location"] = "Lisbon"
    cv_file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = _cvgen("export", "jsonresume", cv_file, "-o", tmp_path / "out.json")
    assert result.returncode == 0, result.stderr
    document = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert document["projects"] == [{"name": "Field school", "location": "Porto, Portugal", "startDate": "2022"}]
    assert "1 locations in languages" in result.stderr
