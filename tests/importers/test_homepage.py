"""The homepage importer: the seed imports to the committed YAML, and the page survives the round trip."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import DATA, require
from support import canonical_html, facts, jekyll_render, squash

from cvgen.dump import dump_cv
from cvgen.errors import InputFileError
from cvgen.importers.homepage import import_homepage, import_homepage_text
from cvgen.importers.homepage.blocks import section_kind
from cvgen.loader import load_cv, load_cv_text
from cvgen.model import RawSection
from cvgen.renderers import render


def test_importing_the_seed_gives_exactly_the_committed_yaml() -> None:
    result = import_homepage(DATA / "about.md")
    assert dump_cv(result.cv) == (DATA / "cv.yaml").read_text(encoding="utf-8")


def test_the_seed_imports_into_typed_sections_only() -> None:
    result = import_homepage(DATA / "about.md")
    assert result.warnings == []
    kinds = [section.kind for section in result.cv.sections]
    assert kinds == ["text", "interests", "news", "education", "publications", "experience", "awards", "talks",
                     "press", "service", "projects"]
    assert not any(isinstance(section, RawSection) for section in result.cv.sections)
    assert result.cv.name == "Hayeon Lee"


def test_seed_publications_keep_authors_order_owner_and_equal_marks() -> None:
    cv = import_homepage(DATA / "about.md").cv
    papers = next(section for section in cv.sections if section.kind == "publications").items  # type: ignore[union-attr]
    assert len(papers) == 6
    help_paper = papers[1]
    assert help_paper.title.startswith("HELP: Hardware-Adaptive")
    assert [(a.name, a.equal) for a in help_paper.author_list()] == [
        ("Hayeon Lee", True), ("Sewoong Lee", True), ("Song Chong", False), ("Sung Ju Hwang", False)]
    assert [link.label for link in help_paper.links] == ["paper", "code"]
    assert (help_paper.venue, help_paper.year, help_paper.award, help_paper.note) == (
        "NeurIPS", "2021", "Spotlight Presentation", "acceptance < 3%")
    assert cv.is_owner(help_paper.author_list()[0].name)
    assert papers[-1].links == [] and papers[-1].venue == "CKAIA"


def test_every_word_of_the_seed_page_is_in_the_yaml() -> None:
    from markdown_it import MarkdownIt
    from support import canonical_html

    body = (DATA / "about.md").read_text(encoding="utf-8").split("---\n", 2)[2]
    page_html = MarkdownIt("commonmark", {"html": True}).render(body)
    words = " ".join(event[1] for event in canonical_html(page_html) if event[0] == "text").split()
    known = squash(" ".join(facts(load_cv(DATA / "cv.yaml"), dates_as_written=True)))
    page_style_words = {"\\", "(*:", "equal", "contribution)", "@", "-", "in"}
    missing = [word for word in words
               if word not in page_style_words and squash(word.strip(',.;"()[]*')) not in known]
    assert len(words) > 500
    assert missing == []


@pytest.mark.parametrize("heading, kind", [
    ("News", "news"), ("🔥 News", "news"), ("RECENT NEWS:", "news"), ("Awards & Honors 🏆", "awards"),
    ("Work Experiences", "experience"), ("학력", "education"), ("Academic Services", "service"),
    ("News Articles", "press"), ("Conference Publications", "publications"), ("Hobbies", None),
    ("🛠️ Services", "service"), ("\U0001F468\u200D\U0001F4BB Experience", "experience"),
    # Headings of award words only, as issue 11 lists them; a qualifier alone names nothing.
    ("Selected Awards and Honors", "awards"), ("Awards & certificates", "awards"), ("Prizes & Awards", "awards"),
    ("Grants & Funding", "awards"), ("자격증", "awards"), ("Selected", None), ("Research", None),
])
def test_section_aliases_ignore_case_emoji_and_punctuation(heading: str, kind: str | None) -> None:
    assert section_kind(heading) == kind


_SEED_STYLE_PAPER = "- **A Title** \\\\\n  Ada Lovelace, **Jane Doe** \\\\\n  **NeurIPS** 2024\n"


@pytest.mark.parametrize("heading", [
    "##  Publications", "## Publications ##", "##  Publications  ", '## <font color="red">Publications</font>',
    "## Publications {#papers}", '## <span style="color: teal">Publications</span> {: .big}',
    "Publications\n------------",
])
def test_a_heading_is_read_in_any_form_the_page_writes_it(heading: str) -> None:
    """Spaces, closing hashes, one HTML element around the text and a kramdown attribute list are the heading's
    form, kept for writing back; its text still names the section."""
    page = f"Hi.\n\n{heading}\n\n{_SEED_STYLE_PAPER}"
    imported = import_homepage_text(page, "about.md")
    assert imported.warnings == []
    assert [(section.kind, section.title) for section in imported.cv.sections] == [
        ("text", None), ("publications", "Publications")]
    assert render("markdown", imported.cv).strip() == page.strip()


def test_a_heading_right_above_its_sub_heading_is_a_fixed_point() -> None:
    page = "Hi.\n\n## Awards\n### 2024\n\n- Best paper\n"
    first = import_homepage_text(page, "about.md").cv
    again = import_homepage_text(render("markdown", first), "generated.md").cv
    assert dump_cv(again) == dump_cv(first)


_PAPERS = ("## Publications\n\n- **One** \\\\\n  Ada Lovelace and **Jane Doe** \\\\\n  NeurIPS 2024\n"
           "- Two. **Jane Doe**<sup>†</sup>, Bob Stone<sup>†</sup>, Carl Weiss. ICML 2023.\n")


@pytest.mark.parametrize("page, owner", [
    (_PAPERS, "Jane Doe"),  # joined with "and", and in a citation line with <sup> marks
    ("## Awards\n\n- **Best Paper Award**, NeurIPS, 2024\n- **Rising Star**, **EECS**, 2023\n\n" + _PAPERS,
     "Jane Doe"),  # bold in an award list is no author
    ("I work with **Prof. Kim**, **Prof. Lee** on **robust learning**, **PhD**.\n", ""),  # nor is bold in prose
    ("---\nauthor:\n  name: Jane Doe\n---\nHello.\n", "Jane Doe"),  # the front matter's author
])
def test_the_owner_is_the_name_emphasised_in_author_lists_else_the_front_matter(page: str, owner: str) -> None:
    result = import_homepage_text(page, "about.md")
    assert result.cv.name == owner
    assert any("cvgen import --name" in warning.message for warning in result.warnings) is (owner == "")


def test_the_owner_can_be_given_when_the_page_does_not_say(tmp_path: Path) -> None:
    page = tmp_path / "about.md"
    page.write_text("Hello.\n", encoding="utf-8")
    result = import_homepage(page, "Jane Doe")
    assert result.cv.name == "Jane Doe" and result.warnings == []


def test_the_report_says_what_was_typed_and_why_the_rest_is_kept_as_written() -> None:
    page = ("Hi.\n\n## News\n\n- Jan. 2024. One\n- Feb. 2024. Two\n\n## Education\n\n"
            "- **Ph.D.** in CS, MIT, 2020\n  - Advisor: Ada\n- B.S. in CS <span>x</span>\n\n## Hobbies\n\nSailing.\n\n"
            "## Links\n\n<div>html</div>\n")
    report = import_homepage_text(page, "about.md", "Jane Doe").report
    assert [(row.line, row.section, row.kind, row.entries) for row in report] == [
        (1, "", "text", 1), (3, "News", "news", 2), (8, "Education", "education", 1), (14, "Hobbies", "entries", 1),
        (18, "Links", "raw", 0)]
    assert report[2].raw_entries == ((12, "no degree and institution cvgen can name"),)  # what it says, not its layout
    assert report[4].reason == ("no CV section has this heading, and no entry under it reads as one; entry by entry, "
                                "line 20: markup cvgen cannot write back the same way (inline HTML <div>)")


def test_seed_page_renders_to_the_same_html_through_jekyll(tmp_path: Path) -> None:
    require("ruby")
    generated = tmp_path / "about.md"
    generated.write_text(render("markdown", load_cv(DATA / "cv.yaml")), encoding="utf-8")
    original_front, original_html = jekyll_render(DATA / "about.md")
    new_front, new_html = jekyll_render(generated)
    assert new_front == original_front
    assert canonical_html(new_html) == canonical_html(original_html)


def test_seed_is_a_fixed_point() -> None:
    cv = load_cv(DATA / "cv.yaml")
    page = render("markdown", cv)
    again = import_homepage_text(page, "generated.md")
    assert again.warnings == []
    assert again.cv == cv
    assert render("markdown", again.cv) == page


def test_an_unknown_section_is_kept_verbatim_with_a_warning() -> None:
    page = "---\ntitle: x\n---\n\n## Hobbies\n- <b>Climbing</b> {% if x %}y{% endif %}\n\n## News\nJan. 2020. Hi\n"
    result = import_homepage_text(page, "page.md")
    assert isinstance(result.cv.sections[0], RawSection)
    assert "<b>Climbing</b> {% if x %}y{% endif %}" in result.cv.sections[0].markdown
    # This page names no owner (no underlined author), so that is said first, without a line.
    assert [warning.line for warning in result.warnings] == [None, 5]
    assert "no owner's name found" in result.warnings[0].message
    assert result.cv.sections[1].kind == "news"
    cv = load_cv_text(dump_cv(result.cv), "cv.yaml")
    assert "{% if x %}y{% endif %}" in render("markdown", cv)


def test_a_homepage_that_is_not_text_is_a_clear_error(tmp_path: Path) -> None:
    binary = tmp_path / "about.md"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    with pytest.raises(InputFileError, match=r"about.md:3: is binary data"):
        import_homepage(binary)
    latin1 = tmp_path / "latin1.md"
    latin1.write_bytes("## News\nJan. 2020. caf\xe9\n".encode("latin-1"))
    with pytest.raises(InputFileError, match=r"latin1.md:2: is not UTF-8 text"):
        import_homepage(latin1)
    with pytest.raises(InputFileError, match="no such homepage file"):
        import_homepage(tmp_path / "missing.md")


def test_broken_front_matter_names_the_line() -> None:
    message = r"page.md:4: front matter is not valid YAML: while parsing a flow node"
    with pytest.raises(InputFileError, match=message):
        import_homepage_text("---\ntitle: x\nbad: [\n---\nhi\n", "page.md")


def test_an_anchor_with_no_text_is_kept_and_the_report_says_what_it_is() -> None:
    page = "# News\n- *2025.01*: &nbsp;🎉 A paper.\n\n<span class='anchor' id='-publications'></span>\n\n# Papers\n"
    report = import_homepage_text(page, "about.md", "Jane Doe").report
    assert [(row.line, row.kind, row.reason) for row in report][:2] == [
        (1, "news", None), (4, "raw", "HTML with no text, such as an anchor")]


def test_without_an_emphasised_name_the_owner_is_the_author_of_every_paper_the_page_also_names() -> None:
    papers = ("## Papers\n\n- **Active Nematics on Curved Surfaces** \\\\\n  Théo Mercier, Pauline Rémond \\\\\n"
              "  *Soft Matter*, 2020\n- **Topological Defects and Cell Extrusion** \\\\\n"
              "  Aurélie Bénard, Théo Mercier \\\\\n  *Nature Physics*, 2023\n")
    named = import_homepage_text("I am Théo Mercier, a physicist.\n\n" + papers, "page.md")
    assert named.cv.name == "Théo Mercier"
    assert named.warnings[0].message.startswith("the owner is taken to be 'Théo Mercier', the one author of every "
                                                "paper") and "--name" in named.warnings[0].message
    # The page as it was: it emphasises no one, and the owner is marked in the PDFs and the web CV.
    assert render("markdown", named.cv).lstrip("\n") == "I am Théo Mercier, a physicist.\n\n" + papers
    # On every paper but named nowhere else (an advisor on each of a student's papers): no owner is guessed.
    unnamed = import_homepage_text("I study physics.\n\n" + papers, "page.md")
    assert unnamed.cv.name == "" and unnamed.warnings[0].message.startswith("no owner's name found")
