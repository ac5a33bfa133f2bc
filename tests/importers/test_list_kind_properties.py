"""Law (b) for the list kinds written by layouts: a CV whose degrees, positions, projects and press articles
hold arbitrary text (commas, parentheses, Markdown, HTML and Liquid specials included) is written to the page
and imported back unchanged, and writing that gives the same bytes. A comma or parenthesis inside a field is
written as a character reference where the importer would read it as the entry's structure."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cvgen.dates import infer_style
from cvgen.dump import dump_cv
from cvgen.importers.homepage import import_homepage_text
from cvgen.markup import Strong, Text, to_markup
from cvgen.model import CV
from cvgen.renderers import render
from importers.test_properties import dates, literal

ROLES = ["Research Intern", "Postdoctoral Researcher", "Assistant Professor", "Software Engineer", "Data Scientist"]


# What the importer reads as an entry's structure, put inside fields.
STRUCTURE = [", ", ",", " (", ")", "(x)", " - ", " in ", " at ", " 2021", "; ", "，"]


def _text(draw: st.DrawFn, *, optional: bool = False) -> str | None:
    """A field's literal text, often with a piece of an entry's structure inside it."""
    if optional and draw(st.booleans()):
        return None
    text = draw(literal())
    if draw(st.booleans()):
        text = (text + draw(st.sampled_from(STRUCTURE)) + draw(literal())).strip()
    return to_markup([Text(text)])


@st.composite
def list_cvs(draw: st.DrawFn) -> CV:
    """A CV with an education, an experience, a projects and a press section, each of 1–3 entries."""
    sections: list[dict[str, Any]] = []
    period, _ = draw(dates(2))
    style = infer_style(period[0])  # the style the page shows ("May 1990" says %b as much as %B)
    details = draw(st.lists(literal(), max_size=2)) if draw(st.booleans()) else []  # lines under each entry
    lines = [to_markup([Text(line)]) for line in details] or None
    degrees = [{"degree": to_markup([Strong((Text(draw(st.sampled_from(["Ph.D.", "M.Sc.", "B.A.", "박사"]))),))]),
                "field": _text(draw, optional=True), "institution": _text(draw), "location": _text(draw, optional=True),
                "start": period[0], "end": period[1], "details": lines} for _ in range(draw(st.integers(1, 3)))]
    positions = [{"role": draw(st.sampled_from(ROLES)), "organization": _text(draw),
                  "location": _text(draw, optional=True), "start": period[0], "end": period[1], "details": lines}
                 for _ in range(draw(st.integers(1, 3)))]
    projects = [{"title": _text(draw), "sponsor": _text(draw, optional=True), "start": period[0],
                 "end": period[1]} for _ in range(draw(st.integers(1, 3)))]
    articles = [{"title": _text(draw), "url": draw(st.sampled_from([None, "https://news.example.org/a?b=1"])),
                 "outlet": _text(draw, optional=True), "date": period[0]} for _ in range(draw(st.integers(1, 3)))]
    for kind, title, items in (("education", "Education", degrees), ("experience", "Experience", positions),
                               ("projects", "Projects", projects), ("press", "Press", articles)):
        sections.append({"kind": kind, "title": title, "homepage": {"date_style": style} if style else {},
                         "items": [{key: value for key, value in item.items() if value is not None}
                                   for item in items]})
    return CV.model_validate({"name": "Ada Lovelace", "homepage": {"front_matter": {"author": "Ada Lovelace"}},
                              "sections": sections})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(list_cvs())
def test_law_b_a_written_cv_of_list_kinds_imports_back_unchanged(cv: CV) -> None:
    page = render("markdown", cv)
    result = import_homepage_text(page, "generated.md")
    assert [warning.message for warning in result.warnings] == []
    assert dump_cv(result.cv) == dump_cv(cv)
    assert render("markdown", result.cv) == page


def test_a_full_width_comma_inside_a_title_is_no_structure() -> None:
    """Found by the law above: a press title with the comma of Chinese text before an outlet with commas was
    read back cut at that comma, and the entry kept raw."""
    cv = CV.model_validate({"name": "Ada Lovelace", "homepage": {"front_matter": {"author": "Ada Lovelace"}},
                            "sections": [{"kind": "press", "title": "Press", "items": [
                                {"title": "研究，报道", "outlet": "Daily, Evening", "date": "Jan 1990"}]},
                                         {"kind": "projects", "title": "Projects", "items": [
                                {"title": "项目，第一期", "sponsor": "NSFC, China", "start": "2020", "end": "2022"}]}]})
    page = render("markdown", cv)
    assert "&#65292;" in page
    result = import_homepage_text(page, "generated.md")
    assert [warning.message for warning in result.warnings] == []
    for written, read in zip(cv.sections, result.cv.sections, strict=True):
        assert [item.model_dump() for item in read.items] == [item.model_dump() for item in written.items]


def test_a_position_at_an_organization_that_reads_as_a_course_code_is_written_so_it_reads_back() -> None:
    """Found by the law above: an organization 'AA 2021' (or a place holding a period of years) reads as a course
    and its class, which the importer never takes for a position: its digits are written as references."""
    cv = CV.model_validate({"name": "Ada Lovelace", "homepage": {"front_matter": {"author": "Ada Lovelace"}},
                            "sections": [{"kind": "experience", "title": "Experience", "items": [
                                {"role": "Research Intern", "organization": "AA 2021'", "location": "0",
                                 "start": "Jan 1990", "end": "Jan 1990"},
                                {"role": "Visitor", "organization": "Lab", "location": "Oslo 2019 - 2020",
                                 "start": "Jan 1990"}]}]})
    page = render("markdown", cv)
    assert "AA &#50;&#48;&#50;&#49;'" in page
    result = import_homepage_text(page, "generated.md")
    assert [warning.message for warning in result.warnings] == []
    assert [item.model_dump() for item in result.cv.sections[0].items] == [  # type: ignore[attr-defined]
        item.model_dump() for item in cv.sections[0].items]  # type: ignore[attr-defined]
