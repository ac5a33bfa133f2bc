"""`check_homepage`: silent when the page is what cvgen writes, a report by section and entry when not."""

from __future__ import annotations

from conftest import DATA, FIXTURES

from cvgen.check import check_homepage
from cvgen.importers.homepage import import_homepage_text
from cvgen.loader import load_cv
from cvgen.model import NewsItem
from cvgen.renderers import render

SEED_PAGE = (DATA / "about.md").read_text(encoding="utf-8")


def test_the_seed_page_matches_the_committed_cv() -> None:
    assert check_homepage(SEED_PAGE, "about.md", load_cv(DATA / "cv.yaml")) is None


def test_every_corpus_page_matches_its_own_import() -> None:
    for page in sorted((FIXTURES / "homepages").glob("*.md")):
        text = page.read_bytes().decode("utf-8")
        assert check_homepage(text, page.name, import_homepage_text(text, page.name).cv) is None, page.name


def test_insignificant_differences_are_not_reported() -> None:
    page = SEED_PAGE.replace("\n## ", "\n\n\n## ").replace("text-decoration: none;", "text-decoration:none")
    page = page.replace("(Dec 2020 - Feb 2021)", "(Dec 2020 - Feb 2021)   ").replace("\n", "\r\n") + "\n\n"
    assert check_homepage(page, "about.md", load_cv(DATA / "cv.yaml")) is None


def test_a_changed_field_is_named_with_its_section_and_entry() -> None:
    cv = load_cv(DATA / "cv.yaml")
    cv.sections[4].items[2].title = "Task-Adaptive Search, Revised"  # type: ignore[union-attr]
    report = check_homepage(SEED_PAGE, "about.md", cv)
    assert report is not None
    assert report.splitlines()[0] == "about.md differs from the CV (page → CV):"
    assert ("## Conference Publications, entry 3: title differs: 'Task-Adaptive Neural Network Search with "
            "Meta-Contrastive Learning' → 'Task-Adaptive Search, Revised'") in report.splitlines()


def test_a_new_entry_reads_as_one_new_entry() -> None:
    cv = load_cv(DATA / "cv.yaml")
    cv.sections[2].items.insert(0, NewsItem(date="2022-03", text="A new item"))  # type: ignore[union-attr]
    report = check_homepage(SEED_PAGE, "about.md", cv)
    assert report is not None
    lines = report.splitlines()[1:]
    assert len(lines) == 1 and lines[0].startswith("## News, entry 1: only in the CV:")
    assert "A new item" in lines[0]


def test_a_removed_section_and_a_style_change_are_reported() -> None:
    cv = load_cv(DATA / "cv.yaml")
    del cv.sections[7]  # Talks
    cv.sections[5].homepage.bullet = "* "  # Work Experiences, now a '*' list
    report = check_homepage(SEED_PAGE, "about.md", cv)
    assert report is not None
    assert "## Talks: only on the page" in report
    assert "## Work Experiences: written differently:" in report
    assert "+* Research Intern" in report


def test_front_matter_is_compared_as_data() -> None:
    cv = load_cv(DATA / "cv.yaml")
    assert check_homepage(render("markdown", cv).replace("title: About Me", "title: 'About Me'"), "p.md", cv) is None
    cv.homepage.front_matter["title"] = "Home"
    report = check_homepage(SEED_PAGE, "about.md", cv)
    assert report is not None and "front matter differs" in report
