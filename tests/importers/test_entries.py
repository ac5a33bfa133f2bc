"""Typing at the entry (cvgen/importers/entries.py), one construct per fixture file: tests/fixtures/entries/NAME.md
is a page, NAME.yaml the CV it must import to (rewritten with --update-golden). Each page is written back to the
same HTML through Liquid and kramdown and is a fixed point, whatever its entries kept raw."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES, require
from support import assert_golden, canonical_html, jekyll_render

from cvgen.dump import dump_cv
from cvgen.importers.homepage import import_homepage, import_homepage_text
from cvgen.model import (
    AwardsSection,
    Degree,
    EducationSection,
    EntriesSection,
    ExperienceSection,
    GenericEntry,
    NewsSection,
    Position,
    Publication,
    PublicationsSection,
    RawEntry,
    Talk,
    TalksSection,
    TalkVenue,
)
from cvgen.renderers import render

PAGES = sorted((FIXTURES / "entries").glob("*.md"))


@pytest.mark.parametrize("page", PAGES, ids=[page.stem for page in PAGES])
def test_a_page_imports_to_its_yaml(page: Path, update_golden: bool) -> None:
    assert_golden(page.with_suffix(".yaml"), dump_cv(import_homepage(page).cv), update_golden)


@pytest.mark.parametrize("page", PAGES, ids=[page.stem for page in PAGES])
def test_a_page_is_written_back_to_the_same_html_and_is_a_fixed_point(page: Path, tmp_path: Path) -> None:
    cv = import_homepage(page).cv
    written = render("markdown", cv)
    again = import_homepage_text(written, "written.md").cv
    assert dump_cv(again) == dump_cv(cv)
    require("ruby")
    (tmp_path / "about.md").write_text(written, encoding="utf-8")
    (front_matter, page_html), (written_front_matter, written_html) = jekyll_render(page), jekyll_render(
        tmp_path / "about.md")
    assert written_front_matter == front_matter
    assert canonical_html(written_html) == canonical_html(page_html)


def test_one_odd_entry_stays_raw_in_its_place_and_the_report_says_why() -> None:
    result = import_homepage(FIXTURES / "entries" / "07-odd-entry-in-place.md")
    section = next(section for section in result.cv.sections if isinstance(section, PublicationsSection))
    kinds = ["raw" if isinstance(item, RawEntry) else "paper" for item in section.items]
    assert kinds == ["paper", "raw", "paper", "raw"]
    row = next(row for row in result.report if row.kind == "publications")
    assert row.entries == 2
    assert [line for line, _ in row.raw_entries] == [6, 14]
    assert all(reason for _, reason in row.raw_entries)


def test_an_edited_paper_is_written_in_its_section_layout_and_read_back() -> None:
    cv = import_homepage(FIXTURES / "entries" / "03-apa-paragraphs.md").cv
    section = next(section for section in cv.sections if isinstance(section, PublicationsSection))
    section.items.insert(0, Publication(title="Rumours in small towns", authors=["Roe, K.", "Etxeberria, M."],
                                        venue="Nature", details="1, 2–3", year="2025"))
    written = render("markdown", cv)
    assert "Roe, K., & **Etxeberria, M.** (2025). Rumours in small towns. *Nature*, 1, 2–3.\n" in written
    again = import_homepage_text(written, "written.md").cv
    assert dump_cv(again) == dump_cv(cv)


def test_user_text_in_a_layout_is_escaped_for_kramdown_and_liquid() -> None:
    cv = import_homepage(FIXTURES / "entries" / "03-apa-paragraphs.md").cv
    section = next(section for section in cv.sections if isinstance(section, PublicationsSection))
    section.items.insert(0, Publication(title="A <script> {{ site.title }} *star*", authors=["Roe, K."],
                                        venue="Nature", year="2025", url="https://a.org/x\"onclick=\"y"))
    written = render("markdown", cv)
    assert "<script>" not in written and "{{" not in written and "*star*" not in written
    assert '"onclick' not in written
    again = import_homepage_text(written, "written.md").cv  # read back: the words are all there, typed or not
    assert "site.title" in dump_cv(again) and "star" in dump_cv(again)


def test_a_field_the_layout_has_no_place_for_is_written_in_cvgen_s_own_layout_not_lost() -> None:
    cv = import_homepage(FIXTURES / "entries" / "06-link-runs.md").cv
    section = next(section for section in cv.sections if isinstance(section, PublicationsSection))
    paper = section.items[0]
    assert isinstance(paper, Publication)
    paper.award = "Best Paper Award"
    written = render("markdown", cv)
    assert "Best Paper Award" in written
    assert "Learning to Route Delivery Drones in Wind" in written


def test_a_section_whose_typed_entries_stand_in_no_common_frame_imports_without_an_error() -> None:
    # Found by a random test: two typed papers as bullet items with different indentation and two as numbered
    # items; no frame holds a typed entry, so the section has no layout of its own.
    page = ("## Work Experience\n- **A Title**  \n   *NeurIPS* 2021 (oral)\n- **A Title**\n   **ICLR** 2020, *Oral*\n"
            "1. A Title \\\\\n  *NeurIPS* 2021 (oral)\n2. **A Title**  \n  **ICLR** 2020\n  - nested \\ &#44;, `code`")
    result = import_homepage_text(page, "x.md")
    assert render("markdown", result.cv).rstrip("\n").endswith(page.rstrip("\n").splitlines()[-1])


LIST_KINDS = FIXTURES / "homepages" / "18-list-kind-layouts.md"


def test_a_list_kind_written_two_ways_keeps_its_kind_with_a_layout_for_each_way() -> None:
    sections = import_homepage(LIST_KINDS).cv.sections
    news, education, experience = sections[0], sections[1], sections[2]
    assert isinstance(news, NewsSection) and news.homepage.layout is not None
    assert news.homepage.layout.template == "**[{date}]** {text}"
    assert isinstance(education, EducationSection) and education.homepage.layout is not None
    assert education.homepage.layout.template == (
        "{degree} in {field}, {institution}{?, {location}?}, *{start}{? - {end}?}*")
    assert [degree.institution for degree in education.items if isinstance(degree, Degree)] == [
        "University of Copenhagen", "Aarhus University", "University of Lagos"]
    own = education.items[2].homepage
    assert own is not None
    assert own.layout.template == "{degree} in {field}, {institution}, {location}, {start}{? - {end}?}"
    # Written in cvgen's own layout for the kind: no layout kept, the YAML stays as a user would write it.
    assert isinstance(experience, ExperienceSection) and experience.homepage.layout is None
    assert [(position.start, position.end) for position in experience.items if isinstance(position, Position)] == [
        ("2024", "Present"), ("2022", "2022"), ("Fall 2020", None)]


def test_a_degree_added_in_the_yaml_is_written_in_its_section_layout_and_read_back() -> None:
    cv = import_homepage(LIST_KINDS).cv
    education = cv.sections[1]
    assert isinstance(education, EducationSection)
    education.items.append(Degree(degree="**M.A.**", field="Linguistics", institution="Ghent University", start="2025"))
    written = render("markdown", cv)
    assert "- **M.A.** in Linguistics, Ghent University, *2025*\n" in written  # no location, no end: left out
    again = import_homepage_text(written, "about.md").cv.sections[1]
    assert isinstance(again, EducationSection) and again.items[3] == education.items[3]


def test_an_entry_of_a_list_kind_that_cannot_be_typed_stays_raw_in_its_place_in_every_output() -> None:
    cv = import_homepage(LIST_KINDS).cv
    awards = cv.sections[3]
    assert isinstance(awards, AwardsSection)
    assert [type(item).__name__ for item in awards.items] == ["Award"] * 4 + ["RawEntry"] + ["Award"]
    assert awards.items[4] == RawEntry(raw="- Travel grant to {{ site.data.grants.ismb }}")
    assert "- Dean's list, every semester\n- Travel grant to {{ site.data.grants.ismb }}\n" in render("markdown", cv)
    for output in (render("html", cv), render("latex", cv)):
        assert output.index("every semester") < output.index("Travel grant to") < output.index("Hackathon winner")


def test_lines_under_a_degree_or_a_position_are_its_details_in_every_output() -> None:
    cv = import_homepage(FIXTURES / "entries" / "11-details-under-entries.md").cv
    experience, education = cv.sections[0], cv.sections[1]
    assert isinstance(experience, ExperienceSection) and isinstance(education, EducationSection)
    position, degree = experience.items[1], education.items[0]
    assert isinstance(position, Position) and isinstance(degree, Degree)
    assert position.details == ["Worked on music recommendation from raw audio", "Mentor: Dr. Astrid Nilsson"]
    assert degree.details == ["Thesis: Learning to Listen", "Advisor: Prof. Minsu Cho"]
    for output in (render("html", cv), render("latex", cv)):
        assert output.index("Spotify") < output.index("raw audio") < output.index("Astrid Nilsson")
        assert output.index("KAIST") < output.index("Learning to Listen") < output.index("Minsu Cho")


def test_a_talk_on_one_line_is_typed_and_an_edit_keeps_its_layout_or_falls_back_to_cvgens_own() -> None:
    cv = import_homepage(FIXTURES / "entries" / "21-one-line-talks.md").cv
    talks = cv.sections[0]
    assert isinstance(talks, TalksSection)
    first = talks.items[0]
    assert isinstance(first, Talk)
    assert (first.title, first.venues[0].type, first.venues[0].venue, first.venues[0].date) == (
        "What Do Retrieval Heads Retrieve?", "invited talk", "Vector Institute Research Symposium, Toronto", "Oct 2023")
    first.title = "What Do *Retrieval* Heads Retrieve, Really?"
    first.venues[0].date = "2023-11"
    written = render("markdown", cv)
    assert '- *Nov 2023* — "What Do *Retrieval* Heads Retrieve, Really?", invited talk, Vector Institute' in written
    # A second venue has no place in a layout of one line: the talk is written as cvgen writes talks, a title over
    # its venues, and nothing is lost.
    first.venues.append(TalkVenue(venue="Mila Tea Talk", location="Montréal", date="2024-02"))
    written = render("markdown", cv)
    assert ('- **What Do *Retrieval* Heads Retrieve, Really?** \\\\\n  - invited talk, Vector Institute Research '
            'Symposium, Toronto, Nov 2023\n  - Mila Tea Talk, Montréal, Feb 2024') in written
    # Read back, that talk is a talk over its venues in its place among the talks on one line (its type and place
    # read as part of its venue's text, as cvgen's own form reads them), and the page a fixed point.
    reread_cv = import_homepage_text(written, "written.md").cv
    reread = reread_cv.sections[0]
    assert isinstance(reread, TalksSection) and isinstance(reread.items[0], Talk)
    assert [(venue.venue, venue.date) for venue in reread.items[0].venues] == [
        ("invited talk, Vector Institute Research Symposium, Toronto", "Nov 2023"),
        ("Mila Tea Talk, Montréal", "Feb 2024")]
    assert [talk.title for talk in reread.items[1:] if isinstance(talk, Talk)] == [
        "Scaling Laws for Data Pruning", "Latent Programs for Compositional Generalization"]
    assert render("markdown", reread_cv) == written


def test_a_remark_in_parentheses_is_a_note_without_them_and_every_output_writes_them_once() -> None:
    page = ("## Publications\n\n- **A Paper** \\\\\n  <u>Hayeon Lee</u>, Sewoong Lee \\\\\n"
            "  *NeurIPS* 2021 (acceptance < 3%)\n- {{ site.data.more }}\n")  # entry by entry: one stays raw
    cv = import_homepage_text(page, "page.md").cv
    paper = cv.sections[0].items[0]  # type: ignore[attr-defined]
    assert isinstance(paper, Publication) and paper.note == "acceptance < 3%"
    assert render("markdown", cv).endswith("\n  *NeurIPS* 2021 (acceptance < 3%)\n- {{ site.data.more }}\n")
    assert "(acceptance &lt; 3%)" in render("html", cv) and "((" not in render("html", cv)
    assert "(acceptance {\\textless} 3{\\%})" in render("latex", cv) and "((" not in render("latex", cv)


def test_a_place_ending_an_entry_is_its_location_in_every_output_and_an_added_one_is_not_lost() -> None:
    cv = import_homepage(FIXTURES / "entries" / "26-places-in-entries.md").cv
    outreach, reviewing = cv.sections[0], cv.sections[2]
    assert isinstance(outreach, EntriesSection) and isinstance(reviewing, EntriesSection)
    assert [(item.title, item.location) for item in outreach.items if isinstance(item, GenericEntry)] == [
        ("Summer School on Causal Inference", "Lisbon, Portugal"),
        ("**Volunteer tutor**, Code Club", "Berlin, Germany"),
        ("Co-organizer, Workshop on Fair ML at ICML", "Vienna, Austria"),
        ("Visiting student, Autonomous Systems Lab", "Zurich, Switzerland"),
        ("Mentor, Girls Who Code", "Berkeley, CA, USA")]
    # Acronyms, an organization and a town alone are no place.
    assert [item.location for item in reviewing.items if isinstance(item, GenericEntry)] == [None, "USA", None]
    assert "Summer School on Causal Inference, Lisbon, Portugal" in render("latex", cv)
    assert 'Summer School on Causal Inference, <span class="location">Lisbon, Portugal</span>' in render("html", cv)
    # A location added where the section's layout has no place for one: the entry is written in cvgen's own
    # layout, and read back with it.
    first = reviewing.items[0]
    assert isinstance(first, GenericEntry)
    first.location = "Montréal, Canada"
    written = render("markdown", cv)
    assert "- Reviewer, NeurIPS, ICML, ICLR, Montréal, Canada, 2023\n" in written
    reread = import_homepage_text(written, "written.md").cv.sections[2]
    assert isinstance(reread, EntriesSection) and reread.items[0] == first


def test_a_period_written_since_a_date_runs_to_the_present_and_an_end_given_later_is_not_lost() -> None:
    cv = import_homepage(FIXTURES / "entries" / "28-since-periods.md").cv
    werdegang, experience, engagements = cv.sections
    assert isinstance(werdegang, EntriesSection) and isinstance(experience, ExperienceSection)
    first = werdegang.items[0]
    assert isinstance(first, GenericEntry) and (first.title, first.start, first.end) == (
        "Postdoktorandin, Universität Rheinfelden", "10/2023", "present")
    position = experience.items[0]
    assert isinstance(position, Position) and (position.role, position.start, position.end) == (
        "Assistant Professor", "04/2022", "present")  # "Since" is no part of the role
    assert "- **seit 10/2023**: Postdoktorandin" in render("markdown", cv)
    html = render("html", cv)
    assert "Oct 2023 – Present" in html and "Apr 2022 – Present" in html
    # The period ends: "seit" is written only for a period to the present; the section's layout writes the end.
    first.end = "2025-03"
    written = render("markdown", cv)
    assert "seit 10/2023" not in written and "- **10/2023 – 2025-03**: Postdoktorandin" in written
    reread = import_homepage_text(written, "written.md").cv.sections[0]
    assert isinstance(reread, EntriesSection) and reread.items[0] == first


def test_dates_that_are_not_one_period_are_the_entrys_when_in_every_output() -> None:
    cv = import_homepage(FIXTURES / "entries" / "29-dates-not-one-period.md").cv
    teaching = cv.sections[0]
    assert isinstance(teaching, EntriesSection)
    course = teaching.items[0]
    assert isinstance(course, GenericEntry) and (course.title, course.when, course.start) == (
        "Linear Systems Theory", "Fall 2023, Fall 2024", None)
    assert '<span class="what">Linear Systems Theory</span><span class="when">Fall 2023, Fall 2024</span>' in render(
        "html", cv)
    assert "Linear Systems Theory\\cvdate{Fall 2023, Fall 2024}" in render("latex", cv)
    # Beside dates, the words are a note under the entry; written in cvgen's own layout and read back.
    course.start = "2023-09"
    assert '<p class="note">Fall 2023, Fall 2024</p>' in render("html", cv)
    written = render("markdown", cv)
    assert "- Linear Systems Theory, 2023-09 (Fall 2023, Fall 2024)\n" in written
    reread = import_homepage_text(written, "written.md").cv.sections[0]
    assert isinstance(reread, EntriesSection) and reread.items[0] == course


def test_a_paragraph_of_dated_lines_is_one_entry_a_line_and_a_new_entry_is_a_new_line() -> None:
    cv = import_homepage(FIXTURES / "entries" / "31-a-paragraph-of-dated-lines.md").cv
    positions, outreach = cv.sections
    assert isinstance(positions, ExperienceSection) and isinstance(outreach, EntriesSection)
    assert [(item.role, item.start, item.end) for item in positions.items if isinstance(item, Position)] == [
        ("Group Leader", "2021", "present"), ("Postdoctoral Fellow", "2017", "2021"),
        ("Research Associate", "2016", "2017")]
    assert positions.homepage.lines and outreach.homepage.lines
    outreach.items.append(GenericEntry(title="Lab tours, Riverton Institute", start="2018"))
    written = render("markdown", cv)
    assert ("2019 Open day demonstrations, Riverton Institute<br>\n2018 Lab tours, Riverton Institute\n"
            in written)
    reread = import_homepage_text(written, "written.md").cv
    assert reread.sections[1] == outreach
    for output in (render("html", cv), render("latex", cv)):
        assert output.index("Science slam") < output.index("Open day") < output.index("Lab tours")
