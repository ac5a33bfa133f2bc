"""The CV's one view: each field interpreted once, the same for every output."""

from __future__ import annotations

import pytest
from conftest import DATA, FIXTURES

from cvgen.blocks import ListBlock, Paragraph
from cvgen.dates import parse_date
from cvgen.loader import load_cv
from cvgen.markup import Strong, Text
from cvgen.model import CV
from cvgen.renderers import render
from cvgen.view import (
    AwardView,
    Period,
    Person,
    PositionView,
    PublicationView,
    ServiceGroupView,
    ViewWarning,
    build_view,
)


def _cv(**fields: object) -> CV:
    return CV.model_validate({"name": "Ada Lovelace", "sections": [], **fields})


def test_the_name_is_literal_and_the_title_has_one_separator() -> None:
    view = build_view(_cv(name="Ada **Lovelace** & [co](https://e.org)"))
    assert view.name == "Ada **Lovelace** & [co](https://e.org)"
    assert view.title == "Ada **Lovelace** & [co](https://e.org) \u2013 Curriculum Vitae"


def test_contact_links_follow_the_url_policy() -> None:
    view = build_view(_cv(email="ada@example.org", website="https://ada.example.org/"))
    assert view.email is not None and view.email.url == "mailto:ada@example.org"
    assert view.website is not None and view.website.url == "https://ada.example.org/"
    assert view.website.label == (Text("ada.example.org"),)


def test_a_free_text_when_is_the_period_unless_dates_say_it() -> None:
    view = build_view(_cv(sections=[{"kind": "experience", "items": [
        {"role": "Intern", "organization": "Lab", "when": "expected **Summer** 2022"},
        {"role": "Intern", "organization": "Lab", "start": "2021-06", "end": "2021-08", "when": "remote"},
    ]}]))
    first, second = view.sections[0].entries
    assert isinstance(first, PositionView) and isinstance(second, PositionView)
    assert first.period == Period(words=(Text("expected "), Strong((Text("Summer"),)), Text(" 2022")))
    assert first.note == ()
    assert second.period == Period(parse_date("2021-06"), parse_date("2021-08"))
    assert second.note == (Text("remote"),)


def test_service_years_are_literal_text() -> None:
    view = build_view(_cv(sections=[{"kind": "service", "groups": [
        {"entries": [{"venue": "ICML", "years": ["2021 (**expert**)", "2022"]}]}]}]))
    (group,) = view.sections[0].entries
    assert isinstance(group, ServiceGroupView) and group.entries[0].years == ("2021 (**expert**)", "2022")


def test_authors_know_the_owner_by_any_spelling_and_carry_their_marks() -> None:
    view = build_view(_cv(name_variants=["A. Lovelace"], sections=[{"kind": "publications", "items": [
        {"title": "P", "authors": ["Charles Babbage*", "A.  Lovelace*", "Lord Byron\\*"]}]}]))
    (paper,) = view.sections[0].entries
    assert isinstance(paper, PublicationView)
    assert paper.authors == (Person("Charles Babbage", False, True), Person("A.  Lovelace", True, True),
                             Person("Lord Byron*", False, False))
    assert view.sections[0].equal_legend


def test_anchors_are_unique_and_sources_name_the_section() -> None:
    view = build_view(_cv(sections=[{"kind": "text", "title": "News & Notes", "paragraphs": ["a"]},
                                    {"kind": "text", "title": "News & Notes", "paragraphs": ["b"]},
                                    {"kind": "text", "paragraphs": ["c"]}]))
    assert [section.anchor for section in view.sections] == ["news-notes", "news-notes-2", "section-3"]
    assert [section.source for section in view.sections] == ["sections[0]", "sections[1]", "sections[2]"]


def test_raw_markdown_is_blocks_and_its_liquid_a_warning() -> None:
    view = build_view(_cv(sections=[{"kind": "raw", "title": "R", "markdown": "- a\n- b {{ site.x }}\n"}]))
    assert view.sections[0].blocks == (ListBlock(False, ((Paragraph((Text("a"),)),), (Paragraph((Text("b"),)),))),)
    assert view.warnings == (ViewWarning(("sections", 0, "markdown"), "line 2 of the Markdown: Liquid {{ site.x }} "
                                         "needs the site to evaluate; the PDFs leave it out"),)


def test_the_seed_and_the_full_fixture_have_a_view_of_every_section() -> None:
    for path in (DATA / "cv.yaml", FIXTURES / "cvs" / "full.yaml"):
        cv = load_cv(path)
        view = build_view(cv)
        assert [section.kind for section in view.sections] == [section.kind for section in cv.sections]
        assert any(isinstance(entry, AwardView) for section in view.sections for entry in section.entries)


def test_a_month_written_before_a_slash_is_a_date_and_no_other_form_is() -> None:
    assert parse_date("10/2023") == parse_date("2023-10")
    with pytest.raises(ValueError, match="no month 13"):
        parse_date("13/2023")


def test_a_paper_s_year_is_not_shown_twice_when_its_venue_says_it() -> None:
    cv = CV.model_validate({"name": "A B", "sections": [{"kind": "publications", "items": [
        {"title": "T", "authors": ["A B"], "venue": "NeurIPS 2022 Workshop on Climate", "year": "2022"},
        {"title": "U", "authors": ["A B"], "venue": "ICML", "year": "2022"}]}]})
    first, second = build_view(cv).sections[0].entries
    assert isinstance(first, PublicationView) and isinstance(second, PublicationView)
    assert first.year is None and second.year is not None


def test_a_section_the_page_does_not_show_keeps_its_place_in_the_cv_without_a_site() -> None:
    from cvgen.loader import load_cv
    from cvgen.view import build_view
    from tests.conftest import DATA

    cv = load_cv(DATA / "cv.yaml")
    titles = [section.title for section in cv.sections]
    cv.sections[2].homepage.shown = False  # not on the homepage; still in the PDFs, in its place
    assert [section.title for section in cv.sections] == titles
    assert [path for path, _ in cv.cv_sections()] == [("sections", index) for index in range(len(titles))]
    assert len(build_view(cv).sections) == len(titles)


@pytest.mark.parametrize("marked", [True, False])
def test_a_raw_legend_of_the_equal_mark_is_left_to_the_outputs_own(marked: bool) -> None:
    """A page's '(\\*: equal contribution)' paragraph among its papers: where a paper marks an equal contribution
    the outputs write their own legend, and the page's would repeat it; where none does, it is shown as written."""
    papers = [{"title": "A", "authors": ["X Y*" if marked else "X Y", "Z W"]}, {"raw": "(\\*: equal contribution)\n"},
              {"raw": "(\\* denotes equal contribution; see also the [full list](https://example.org))\n"}]
    cv = _cv(sections=[{"kind": "publications", "items": papers}])
    entries = build_view(cv).sections[0].entries
    kept = 1 if marked else 2
    assert [type(entry).__name__ for entry in entries] == ["PublicationView", *(["RawEntryView"] * kept)]
    page = render("html", cv)
    assert page.lower().count("equal contribution") == 2  # the outputs' legend or the page's, and the line with a link
    assert build_view(cv).sections[0].entry_items == ((0, 2) if marked else ())
    assert "% cvgen: sections[0].items[2]" in render("latex", cv)  # the entry named where the YAML holds it
