"""The homepage importer on inputs that once took super-linear time: each imports to the right CV, and the work
done is counted where that is natural (sections read, page scans). The others are large enough that the old,
quadratic version took minutes; the linear one takes about a second. No time is asserted: a regression shows as
a test that hangs."""

from __future__ import annotations

from typing import Any

import pytest

from cvgen.importers.homepage import fit, import_homepage_text, owner
from cvgen.importers.homepage.lists import PageStars
from cvgen.model import ExperienceSection, RawSection, TextSection


@pytest.fixture
def sections_read(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The kind of every run of units the importer reads as a section, in order."""
    kinds: list[str] = []
    read = fit._typed_piece

    def counting(kind: str, *arguments: Any) -> Any:
        kinds.append(kind)
        return read(kind, *arguments)

    monkeypatch.setattr(fit, "_typed_piece", counting)
    return kinds


def test_paragraphs_that_do_not_fit_are_read_a_few_times_each(sections_read: list[str]) -> None:
    # cvgen writes `&amp;` as `&`, so no paragraph writes back: the old search read every run of them (cubic).
    page = "".join(f"Tom &amp; Jerry wrote paper {number}.\n\n" for number in range(300))
    result = import_homepage_text(page, "about.md")
    assert [section.kind for section in result.cv.sections] == ["raw"]
    assert result.cv.sections[0].markdown == page.rstrip("\n") + "\n"  # type: ignore[union-attr]
    assert [warning.line for warning in result.warnings] == [None, 1]
    assert "text that does not fit cvgen's fields (expected a list)" in result.warnings[1].message
    assert len(sections_read) <= 3 * 300


def test_a_long_opening_text_is_one_section_read_in_linear_work(sections_read: list[str]) -> None:
    page = "".join(f"Paragraph {number} of the opening text, with **bold** and *italic* words.\n\n"
                   for number in range(2000))
    sections = import_homepage_text(page, "about.md").cv.sections
    assert len(sections) == 1 and isinstance(sections[0], TextSection)
    assert len(sections[0].paragraphs) == 2000
    assert len(sections_read) <= 2 * 2000


def test_paragraphs_in_two_styles_are_cut_where_the_style_changes(sections_read: list[str]) -> None:
    paragraphs = [f"An *italic* paragraph {number}." for number in range(500)] + \
                 [f"An _italic_ paragraph {number}." for number in range(500)]
    result = import_homepage_text("\n\n".join(paragraphs) + "\n", "about.md")
    first, second = result.cv.sections
    assert isinstance(first, TextSection) and len(first.paragraphs) == 500
    # The page writes italics with `*` (the more common, first seen), so the second part is kept as written.
    assert isinstance(second, RawSection) and second.markdown == "\n\n".join(paragraphs[500:]) + "\n"
    assert "its style differs from the rest of the page" in result.warnings[-1].message
    assert len(sections_read) <= 3 * 1000


def test_a_raw_section_opened_by_unclosed_liquid_is_read_in_linear_work(sections_read: list[str]) -> None:
    page = "# About\n\n{% include unclosed.html\n\n" + "".join(f"Line {number}.\n\n" for number in range(3000))
    result = import_homepage_text(page, "about.md")
    assert [section.kind for section in result.cv.sections] == ["raw", "text"]
    assert result.cv.sections[0].markdown == "{% include unclosed.html\n"  # type: ignore[union-attr]
    assert len(result.cv.sections[1].paragraphs) == 3000  # type: ignore[union-attr]
    assert "in 'About', Liquid; kept as raw Markdown" in [warning.message for warning in result.warnings]
    assert len(sections_read) <= 3 * 3000


def test_a_section_of_units_that_fit_no_list_is_read_once_per_unit(sections_read: list[str]) -> None:
    page = "## News\n\n" + "".join(f"Line {number} without a date.\n\n" for number in range(3000))
    result = import_homepage_text(page, "about.md")
    assert [section.kind for section in result.cv.sections] == ["entries"]  # no news: 3000 generic entries
    assert len(result.cv.sections[0].items) == 3000  # type: ignore[union-attr]
    assert len(sections_read) <= 2 * 3000


def test_the_page_is_searched_for_escaped_stars_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # Each author list once joined and searched the whole page: quadratic in a long publication list.
    calls: list[str] = []
    read_stars = PageStars.of
    monkeypatch.setattr(PageStars, "of", lambda page: calls.append(page) or read_stars(page))
    paper = ("- **Paper {number}** \\\\\nCo Author\\*, <u>Hayeon Lee*</u>, Author {number} (\\*: equal contribution)"
             " \\\\\n**ICLR** 2020\n")
    page = "## Publications\n" + "\n".join(paper.format(number=number) for number in range(300))
    cv = import_homepage_text(page, "about.md").cv
    assert len(calls) == 1
    assert len(cv.sections[0].items) == 300  # type: ignore[union-attr]
    assert cv.sections[0].items[7].authors == ["Co Author*", "Hayeon Lee*", "Author 7"]  # type: ignore[union-attr]
    assert (cv.homepage.equal_mark, cv.homepage.equal_legend) == ("\\*", "(\\*: equal contribution)")


SPACES = " " * 100_000  # a run of spaces each old pattern tried from every one of its spaces


def test_a_period_with_a_long_run_of_spaces_is_read() -> None:
    page = f"## Work Experiences\n- Research Intern, Org, Place (Dec 2020{SPACES[:1000]}- Feb 2021)\n"
    section = import_homepage_text(page, "about.md").cv.sections[0]
    assert isinstance(section, ExperienceSection)
    assert (section.items[0].start, section.items[0].end) == ("Dec 2020", "Feb 2021")  # type: ignore[union-attr]
    assert section.homepage.layout is not None
    spaces = SPACES[:1000]
    assert section.homepage.layout.template == (
        f"{{role}}, {{organization}}, {{location}} ({{start}}{{?{spaces}- {{end}}?}})")


def test_an_entry_longer_than_any_entry_is_kept_as_written_in_time_linear_in_its_length() -> None:
    page = f"## Work Experiences\n- Research Intern, Org, Place (Dec 2020{SPACES}- Feb 2021)\n"
    result = import_homepage_text(page, "about.md")
    assert isinstance(result.cv.sections[0], RawSection)
    assert result.report[0].reason is not None and "longer than any entry cvgen reads" in result.report[0].reason


@pytest.mark.parametrize("entry, reason", [
    (f"## Awards\n- Best Paper Award{SPACES}(ICML;{SPACES}2020)\n", "longer than any entry cvgen reads"),
    (f"## Publications\n- **A Title** \\\\\nAn Author,{SPACES}<u>Hayeon Lee</u>{SPACES}(\\*: equal contribution) \\\\\n"
     f"<span style=\"color:darkred\">**ICLR**</span>{SPACES}2020{SPACES}(oral)\n", "cvgen would write it differently"),
])
def test_entries_with_long_runs_of_spaces_are_read_and_kept_as_written(entry: str, reason: str) -> None:
    result = import_homepage_text(entry, "about.md")
    section = result.cv.sections[0]
    assert isinstance(section, RawSection) and section.markdown == entry.split("\n", 1)[1]
    assert f"({reason})" in result.warnings[-1].message


@pytest.mark.parametrize("tag", [f"<span{SPACES}title=\"x\">", "<span " + "a1" * 100_000 + ">"])
def test_an_html_tag_with_a_long_run_of_spaces_or_a_long_name_is_read(tag: str) -> None:
    result = import_homepage_text(f"# About\n\nHello {tag}world</span> again\n", "about.md")
    section = result.cv.sections[0]
    assert isinstance(section, RawSection) and section.markdown == f"Hello {tag}world</span> again\n"
    assert f"(inline HTML {tag})" in result.warnings[-1].message


def test_many_unclosed_spans_after_commas_are_no_owner_candidates() -> None:
    names = owner._OWNER_CANDIDATE.finditer(", <span" * 200_000 + ", <span>**Hayeon Lee**</span>, B")
    assert [match.group("name") for match in names] == ["Hayeon Lee"]


def test_a_long_run_of_raw_sections_merges_into_one() -> None:
    # Each merge once copied the run so far: quadratic in a page of many headings kept raw.
    first = RawSection(kind="raw", title="Notes", markdown="\n\nFirst.\n\n")
    rest = [RawSection(kind="raw", markdown=f"Line {number}.\n") for number in range(100_000)]
    merged = fit._merge_raw_neighbours([first, RawSection(kind="raw", markdown="\n"), *rest])
    assert len(merged) == 1 and isinstance(merged[0], RawSection) and merged[0].title == "Notes"
    assert merged[0].markdown == "First.\n\n" + "\n\n".join(f"Line {number}." for number in range(100_000)) + "\n"


@pytest.mark.parametrize("heading", ["## A" + SPACES + "B", "## A" + SPACES + "{#x}",
                                     "## <font>" + "a " * 50_000 + "</font>"])
def test_headings_with_long_runs_are_read_in_linear_work(heading: str) -> None:
    result = import_homepage_text(f"{heading}\n\ntext\n", "about.md")
    assert result.cv.sections  # read at all, in well under a second (a quadratic pattern takes minutes)
