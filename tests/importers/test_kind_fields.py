"""Degrees, positions and talks read by their content (cvgen/importers/kind_fields.py): the parts of a line named by
what they say, in whatever order and around whatever dates the page writes; a line whose parts cvgen cannot
name (a course taught, a class level) is no position: it stays a generic entry (or as written), never a
misread one."""

from __future__ import annotations

import pytest

from cvgen.dump import dump_cv
from cvgen.importers.homepage import import_homepage_text
from cvgen.importers.kind_fields import read_by_content
from cvgen.model import (
    CV,
    Degree,
    EducationSection,
    EntriesSection,
    ExperienceSection,
    Position,
    RawSection,
    Talk,
    TalksSection,
    TalkVenue,
)
from cvgen.renderers import render

DEGREES = [
    ("*2019.09 - 2024.06*, Ph.D. in Computer Science, Zhejiang University, Hangzhou.",
     ("Ph.D.", "Computer Science", "Zhejiang University", "Hangzhou", "2019.09", "2024.06")),
    ("**Easthaven University**, Ph.D. in Computer Science (2016 – 2020)",
     ("Ph.D.", "Computer Science", "**Easthaven University**", None, "2016", "2020")),
    ("**Doctorat** en informatique, Sorbonne Université, Paris, 2014 - 2017",
     ("**Doctorat**", "informatique", "Sorbonne Université", "Paris", "2014", "2017")),
    ("2021.03 - 현재 **박사**, 전기정보공학, 서울대학교, 서울",
     ("**박사**", "전기정보공학", "서울대학교", "서울", "2021.03", "현재")),
    ("B.Sc. (Hons) in Mathematics, University of Kauri Bay, 2019 - 2022",
     ("B.Sc. (Hons)", "Mathematics", "University of Kauri Bay", None, "2019", "2022")),
    ("Master of Science in Informatik, Universität Lüdersheim, 2019 - 2021",
     ("Master of Science", "Informatik", "Universität Lüdersheim", None, "2019", "2021")),
]
POSITIONS = [
    ("Research Intern at Google DeepMind, London (2023 - 2024)",
     ("Research Intern", "Google DeepMind", "London", "2023", "2024")),
    ("*2022.09 - 2023.10*, Postdoctoral Researcher, University of Istrana.",
     ("Postdoctoral Researcher", "University of Istrana", None, "2022.09", "2023.10")),
    ("Research Intern, Boston Dynamics, Waltham, MA (2021 - 2021)",
     ("Research Intern", "Boston Dynamics", "Waltham, MA", "2021", "2021")),
]
NOT_POSITIONS = [
    "Teaching Assistant, _Compilers_ (CS 4120), Orrin University (Fall 2022, Fall 2023)",
    "Optimisation convexe (M1), 2023–2025",
    "Teaching assistant, _Atmospheric Dynamics I_, Corrie Institute of Technology, 2018–2020",
    "Survival Analysis (BSc, year 3), 2019 – 2023",
]


def _page(heading: str, lines: list[str]) -> str:
    return f"## {heading}\n" + "".join(f"- {line}\n" for line in lines)


@pytest.mark.parametrize("line, fields", DEGREES, ids=[str(number) for number in range(len(DEGREES))])
def test_a_degree_is_read_by_what_its_parts_say_and_written_back_as_the_page_wrote_it(
        line: str, fields: tuple[str | None, ...]) -> None:
    page = _page("Education", [line, line])  # two alike: the section keeps one layout for both
    result = import_homepage_text(page, "about.md")
    section = result.cv.sections[0]
    assert isinstance(section, EducationSection), result.report
    degree = section.items[0]
    assert isinstance(degree, Degree)
    assert (degree.degree, degree.field, degree.institution, degree.location, degree.start, degree.end) == fields
    assert render("markdown", result.cv).strip() == page.strip()


@pytest.mark.parametrize("line, fields", POSITIONS, ids=[str(number) for number in range(len(POSITIONS))])
def test_a_position_is_read_by_what_its_parts_say(line: str, fields: tuple[str | None, ...]) -> None:
    result = import_homepage_text(_page("Experience", [line]), "about.md")
    section = result.cv.sections[0]
    assert isinstance(section, ExperienceSection), result.report
    position = section.items[0]
    assert isinstance(position, Position)
    assert (position.role, position.organization, position.location, position.start, position.end) == fields


@pytest.mark.parametrize("line", NOT_POSITIONS, ids=[str(number) for number in range(len(NOT_POSITIONS))])
def test_a_course_taught_is_no_position_and_stays_a_generic_entry_or_as_written(line: str) -> None:
    result = import_homepage_text(_page("Experience", [line]), "about.md")
    assert isinstance(result.cv.sections[0], (EntriesSection, RawSection))


TALKS = [
    ('*Oct 2023* — "What Do Retrieval Heads Retrieve?", invited talk, Vector Institute, Toronto',
     ("What Do Retrieval Heads Retrieve?", "invited talk", "Vector Institute, Toronto", None, "Oct 2023")),
    ('"Heat and Magnons", Condensed Matter Seminar, University of Cambridge, 20 November 2024 (invited)',
     ("Heat and Magnons", "invited", "Condensed Matter Seminar, University of Cambridge", None, "20 November 2024")),
    ("“El agua y la deuda.” Invited lecture, Universidad del Cusco, 9 October 2023, Cusco",
     ("El agua y la deuda", "Invited lecture", "Universidad del Cusco", "Cusco", "9 October 2023")),
    ("**발표 제목**, 한국정보과학회 동계학술대회, 2023.12",
     ("발표 제목", None, "한국정보과학회 동계학술대회", None, "2023.12")),
    ('"Thermal Hall Signatures", APS March Meeting, Minneapolis, MN, 5 March 2024',
     ("Thermal Hall Signatures", None, "APS March Meeting", "Minneapolis, MN", "5 March 2024")),
    ('"Tokens That Matter", Invited talk, KAIST AI Colloquium, Daejeon, South Korea, 2024.05',
     ("Tokens That Matter", "Invited talk", "KAIST AI Colloquium", "Daejeon, South Korea", "2024.05")),
    ('"Reward Hacking in the Wild", Workshop on Trustworthy ML, NeurIPS, 10 December 2024',
     ("Reward Hacking in the Wild", None, "Workshop on Trustworthy ML, NeurIPS", None, "10 December 2024")),
]
NOT_TALKS = [
    ('"A Summer School Course", Summer School, 2021 - 2022', "a talk given over a period"),
    ("A talk whose title is not set apart, Some Venue, 2022", "no talk title in quotes, bold or italics"),
    ('"A Title Alone", 2022', "no place where the talk was given"),
]


@pytest.mark.parametrize("line, expected", TALKS)
def test_a_talk_on_one_line_is_read_by_its_content_and_written_back_the_same(
        line: str, expected: tuple[str | None, ...]) -> None:
    cv = import_homepage_text(f"## Talks\n\n- {line}\n- {line}\n", "talks.md").cv
    section = cv.sections[0]
    assert isinstance(section, TalksSection) and len(section.items) == 2
    talk = section.items[0]
    assert isinstance(talk, Talk) and len(talk.venues) == 1
    venue = talk.venues[0]
    assert (talk.title, venue.type, venue.venue, venue.location, venue.date) == expected
    assert f"- {line}\n- {line}\n" in render("markdown", cv)


@pytest.mark.parametrize("line, reason", NOT_TALKS)
def test_a_line_that_is_no_talk_says_why_and_stays_a_generic_entry(line: str, reason: str) -> None:
    assert read_by_content("talks", line, lambda text: text) == reason
    section = import_homepage_text(f"## Talks\n\n- {line}\n", "talks.md").cv.sections[0]
    assert isinstance(section, EntriesSection)


def _two_quoted_talks() -> tuple[CV, Talk]:
    """A page of two talks on one line, their titles in quotes, imported; and its first talk."""
    page = ('## Talks\n\n- "Heat and Magnons", Condensed Matter Seminar, University of Cambridge, 20 November 2024\n'
            '- "Spin Liquids", Oslo Physics Colloquium, 3 February 2025\n')
    cv = import_homepage_text(page, "talks.md").cv
    talk = cv.sections[0].items[0]  # type: ignore[attr-defined]
    assert isinstance(talk, Talk)
    return cv, talk


def test_quotes_inside_a_talk_title_in_quotes_are_written_as_references_and_read_back() -> None:
    cv, talk = _two_quoted_talks()
    talk.title = 'Why "Heat" Matters'
    written = render("markdown", cv)
    assert '- "Why &#34;Heat&#34; Matters", Condensed Matter Seminar' in written
    again = import_homepage_text(written, "talks.md").cv
    assert dump_cv(again) == dump_cv(cv)
    bold = '## Talks\n\n- **Why "Heat" Matters**, Condensed Matter Seminar, 20 November 2024\n'
    assert render("markdown", import_homepage_text(bold, "talks.md").cv).endswith(bold)  # no quotes to end it


def test_a_one_line_talk_given_at_a_second_venue_is_written_over_its_venues_and_read_back_typed() -> None:
    cv, talk = _two_quoted_talks()
    talk.venues.append(TalkVenue(venue="Kavli Institute", date="4 March 2025"))
    written = render("markdown", cv)
    assert ("- **Heat and Magnons** \\\\\n  - Condensed Matter Seminar, University of Cambridge, 20 November 2024\n"
            "  - Kavli Institute, 4 March 2025\n- \"Spin Liquids\", Oslo Physics Colloquium") in written
    result = import_homepage_text(written, "talks.md")
    assert dump_cv(result.cv) == dump_cv(cv) and not [problem for problem in result.warnings
                                                      if "raw" in problem.message]
    assert render("markdown", result.cv) == written
