"""A whole Jekyll site: imported into one CV, written back from it, checked against it, and built by Debian's
Jekyll 4.3 before and after (issue 12). The sites are the team's, in `tests/fixtures/sites/` (each with a facts
file: the owner, every paper and talk and the files that write it, the disagreements planted), and the
academicpages template's own example site (MIT, its licence beside it)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from cvgen.check import check_site
from cvgen.dump import dump_cv
from cvgen.importers.jekyll_site import import_site, title_key
from cvgen.loader import load_cv
from cvgen.markup import parse_markup, plain_text
from cvgen.model import CV, GenericEntry, Publication, Talk, TalksSection, TalkVenue
from cvgen.renderers import render
from cvgen.site import site_files
from tests.conftest import FIXTURES, require
from tests.support import canonical_html, pdf_text

SITES = FIXTURES / "sites"
SITE_NAMES = sorted(path.name for path in SITES.iterdir() if path.is_dir())


def _facts(name: str) -> dict[str, object]:
    path = SITES / f"{name}.facts.yml"
    return yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else {}


def _copy(name: str, tmp_path: Path) -> Path:
    target = tmp_path / name
    shutil.copytree(SITES / name, target)
    return target


def _round_trip(site: Path, tmp_path: Path) -> CV:
    """The site imported, the CV written to YAML and loaded back (as a user runs it)."""
    cv_file = tmp_path / "cv.yaml"
    cv_file.write_text(dump_cv(import_site(site).cv), encoding="utf-8")
    return load_cv(cv_file)


def _write_all(cv: CV, site: Path) -> list[str]:
    """Every file cvgen writes for the site, written whatever is on disk (no skipping of files that read the same):
    what the generator makes, not what the disk kept."""
    files = site_files(cv)
    for path, text in files.items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_bytes(text.encode("utf-8"))
    return sorted(files)


def _all_entries(cv: CV) -> list[object]:
    """Every entry of the about page's sections and of the site's other pages'."""
    pages = cv.site.pages if cv.site else []
    return [entry for section in [*cv.sections, *(section for page in pages for section in page.sections)]
            for entry in getattr(section, "items", [])]


def _paper(cv: CV, title_start: str) -> Publication:
    """The paper of the CV whose title starts so."""
    return next(entry for entry in _all_entries(cv) if isinstance(entry, Publication)
                and entry.title.startswith(title_start))


def _file_front(site: Path, entry: Publication) -> dict[str, Any]:
    """The front matter of an entry's collection file, as the site now holds it."""
    assert entry.site is not None and entry.site.file is not None
    front: dict[str, Any] = yaml.safe_load((site / entry.site.file.path).read_text(encoding="utf-8")
                                              .split("---")[1])
    return front


def _write_pdf(cv: CV, site: Path) -> None:
    """The CV's PDF where the site links it, as `cvgen site` writes it (the test sites hold no PDF)."""
    if cv.site is not None and cv.site.cv_pdf is not None:
        (site / cv.site.cv_pdf).parent.mkdir(parents=True, exist_ok=True)
        (site / cv.site.cv_pdf).write_bytes(render("pdf", cv))


def _build(site: Path, out: Path) -> dict[str, list[tuple[str, ...]]]:
    """The site built by Jekyll: every HTML page, as canonical HTML, by its path in the built site."""
    configs = [str(site / "_config.yml")] + ([str(site / "_config.test.yml")] if (site / "_config.test.yml").is_file()
                                              else [])
    subprocess.run(["jekyll", "build", "--quiet", "--safe", "-s", str(site), "-d", str(out), "--config",
                    ",".join(configs)], check=True, capture_output=True, text=True, timeout=300)
    return {str(page.relative_to(out)): canonical_html(_BUILD_TIME.sub("T(time)", page.read_text(encoding="utf-8")))
            for page in sorted(out.rglob("*.html"))}


# A document without a date (academicpages' portfolio items) is dated by Jekyll at the time of the build: two
# builds a second apart differ there, and only there. The time of day of a timestamp is set aside.
_BUILD_TIME = re.compile(r"T\d{2}:\d{2}:\d{2}(?:[+-]\d{2}:\d{2}|Z)")


@pytest.mark.parametrize("name", SITE_NAMES)
def test_the_site_written_back_builds_to_the_same_html(name: str, tmp_path: Path) -> None:
    require("jekyll")
    before = _copy(name, tmp_path / "before")
    after = _copy(name, tmp_path / "after")
    cv = _round_trip(before, tmp_path)
    written = _write_all(cv, after)
    assert cv.site is not None and cv.site.about_page in written
    old, new = _build(before, tmp_path / "built-before"), _build(after, tmp_path / "built-after")
    assert sorted(old) == sorted(new)
    changed = [page for page in old if old[page] != new[page]]
    assert not changed, f"pages Jekyll renders differently after writing {len(written)} files: {changed}"


@pytest.mark.parametrize("name", SITE_NAMES)
def test_check_passes_right_after_import_and_names_the_file_of_a_change(name: str, tmp_path: Path) -> None:
    site = _copy(name, tmp_path)
    cv = _round_trip(site, tmp_path)
    _write_pdf(cv, site)
    assert check_site(site, cv) is None
    filed = [entry for entry in _all_entries(cv) if isinstance(entry, (Publication, Talk, GenericEntry))
             and entry.site is not None and entry.site.file is not None]
    assert filed, "every test site has a collection file bound to an entry"
    entry = next((entry for entry in filed if entry.site.file.front_matter.get("title") == "{title}"), filed[0])  # type: ignore[union-attr]
    file = entry.site.file  # type: ignore[union-attr]
    if file.front_matter.get("title") == "{title}":
        entry.title = "A Retitled Entry"  # the entry: its file follows
    else:
        file.front_matter["title"] = "A Retitled Entry"  # the file's own title (its entry is a line of text)
    report = check_site(site, cv)
    assert report is not None and f"{file.path}: title: " in report and "'A Retitled Entry'" in report
    assert "site differs" not in report  # the collection file is reported as a file, not as a field of the page


def test_every_team_site_has_a_collection_file_bound_to_an_entry() -> None:
    for name in [name for name in SITE_NAMES if name.startswith("team-")]:
        cv = import_site(SITES / name).cv
        assert any(isinstance(entry, (Publication, Talk, GenericEntry)) and entry.site and entry.site.file
                   for entry in _all_entries(cv)), name


@pytest.mark.parametrize("name", [name for name in SITE_NAMES if _facts(name)])
def test_the_import_finds_the_owner_and_every_paper_once(name: str) -> None:
    facts = _facts(name)
    result = import_site(SITES / name)
    cv = result.cv
    assert cv.name == facts["owner"] or facts["owner"] in cv.name_variants
    papers = [entry for section in cv.sections for entry in getattr(section, "items", [])
              if isinstance(entry, Publication)]
    keys = [title_key(paper.title) for paper in papers]
    assert len(keys) == len(set(keys)), "a paper imported twice"
    expected = {title_key(str(paper["title"])) for paper in facts.get("publications", [])  # type: ignore[attr-defined]
                if any(str(place).split(":")[0].startswith("_publications") or "about" in str(place) or
                       str(place).split(":")[0] == "index.md" for place in paper["in"])}
    missing = expected - set(keys)
    # A paper only the about page writes is typed there when its layout reads (or kept raw in its place).
    raw_text = dump_cv(cv)
    assert not [key for key in missing if not _raw_holds(raw_text, key)], missing


def test_a_cv_page_written_in_chicago_and_apa_types_every_paper_with_its_venue_and_year() -> None:
    """team-handwritten-cv's CV page writes its books and chapter in Chicago author-date ("Carrasco, Inés. 2023.
    *Title*. Ithaca, NY: Cornell University Press."), its articles in APA, under Books, Articles and Book chapters."""
    facts = _facts("team-handwritten-cv")
    cv = import_site(SITES / "team-handwritten-cv").cv
    papers = {title_key(entry.title): entry for entry in _all_entries(cv) if isinstance(entry, Publication)}
    for paper in facts["publications"]:  # type: ignore[attr-defined]
        typed = papers.get(title_key(str(paper["title"])))
        assert typed is not None, paper["title"]
        assert (typed.venue, typed.year) == (paper["venue"], str(paper["year"])), paper["title"]
        assert len(typed.authors) == len(paper["authors"]), paper["title"]
        assert any(cv.is_owner(author.name) for author in typed.author_list()) == any(
            "Carrasco" in author and "I" in author for author in paper["authors"]), paper["title"]


def _raw_holds(text: str, key: str) -> bool:
    return key in title_key(text)


def test_disagreements_are_reported_with_both_places_and_both_readings_kept(tmp_path: Path) -> None:
    facts = _facts("team-drift")
    result = import_site(SITES / "team-drift")
    messages = [f"{file}:{problem.line}: {problem.message}" for file, problem in result.warnings]
    disagreements = [message for message in messages if re.search(r" differs from \S+\.md:\d+: ", message)]
    assert result.conflicts == len(disagreements) >= 3
    for conflict in facts["conflicts"]:  # type: ignore[union-attr]
        places = [str(place).split(":")[0] for place in conflict["places"]]
        collection_files = [place for place in places if not place.endswith("about.md")]
        if collection_files:  # a disagreement between the about page and a collection file
            assert any(collection_files[0] in message and "about.md" in message for message in disagreements), conflict
    # Both readings kept: the about page says one thing, the collection file (written back) the other.
    site = _copy("team-drift", tmp_path)
    cv = _round_trip(site, tmp_path)
    _write_pdf(cv, site)
    assert check_site(site, cv) is None


def test_a_new_paper_reaches_the_about_page_a_new_collection_file_and_the_pdf_text(tmp_path: Path) -> None:
    site = _copy("team-ml-phd", tmp_path)
    cv = _round_trip(site, tmp_path)
    section = next(section for section in cv.sections if section.kind == "publications")
    paper = Publication(title="Site-Wide Propagation of a New Paper", authors=[cv.name, "Q. Newcomer"],
                        venue="ICLR", year="2026")
    section.items.insert(0, paper)  # type: ignore[arg-type]
    report = check_site(site, cv)
    assert report is not None and "missing (the CV has it)" in report and "only in the CV" in report
    written = _write_all(cv, site)
    new_files = [path for path in written if "site-wide-propagation" in path]
    assert new_files == ["_publications/2026-01-01-site-wide-propagation-of-a-new-paper.md"]
    new_file = (site / new_files[0]).read_text(encoding="utf-8")
    assert "title: Site-Wide Propagation of a New Paper" in new_file and "date: 2026-01-01" in new_file
    # Its citation in the collection's form (two names as its two-name citations write them), no other paper's year.
    assert ("citation: Maya Lindqvist and Q. Newcomer. (2026). &quot;Site-Wide Propagation of a New Paper.&quot; "
            "<i>ICLR</i>.") in new_file
    assert "Site-Wide Propagation of a New Paper" in (site / "_pages/about.md").read_text(encoding="utf-8")
    # Built by Jekyll: the about page lists it, and the CV page's Liquid loop over the collection shows the new file.
    require("jekyll")
    built = _build(site, tmp_path / "built")
    for page in ("index.html", "cv/index.html"):
        assert ("text", "Site-Wide Propagation of a New Paper") in built[page] or any(
            "Site-Wide Propagation of a New Paper" in " ".join(event[1:]) for event in built[page]), page
    require("pdftotext")
    assert cv.site is not None and cv.site.cv_pdf == "files/cv.pdf"  # the site's navigation links it
    pdf = tmp_path / "cv.pdf"
    pdf.write_bytes(render("pdf", cv))
    assert "Site-Wide Propagation of a New Paper" in " ".join(pdf_text(pdf).split())
    reloaded = import_site(site).cv
    _write_pdf(reloaded, site)
    assert check_site(site, reloaded) is None
    titles = [plain_text(parse_markup(entry.title)) for section in reloaded.sections
              for entry in getattr(section, "items", []) if isinstance(entry, Publication)]
    assert titles.count("Site-Wide Propagation of a New Paper") == 1


def test_the_config_author_block_is_the_cv_header() -> None:
    cv = import_site(SITES / "team-ml-phd").cv
    config = yaml.safe_load((SITES / "team-ml-phd" / "_config.yml").read_text(encoding="utf-8"))["author"]
    assert cv.email == config["email"]
    if config.get("location"):
        assert plain_text(parse_markup(cv.location or "")) == config["location"]
    if config.get("employer"):
        assert plain_text(parse_markup(cv.affiliation or "")) == config["employer"]
    labels = {plain_text(parse_markup(profile.label)) for profile in cv.profiles}
    for key, label in (("googlescholar", "Google Scholar"), ("orcid", "ORCID"), ("github", "GitHub")):
        if config.get(key):
            assert label in labels


def test_the_pdf_the_site_links_is_written_there_and_holds_every_paper_of_the_site(tmp_path: Path) -> None:
    require("pdftotext")
    site = _copy("team-ml-phd", tmp_path)
    cv_file = tmp_path / "cv.yaml"
    cv_file.write_text(dump_cv(import_site(site).cv), encoding="utf-8")
    cv = load_cv(cv_file)
    report = check_site(site, cv)
    assert report is not None and "files/cv.pdf: missing" in report
    result = subprocess.run([sys.executable, "-m", "cvgen.cli", "site", str(site), str(cv_file)], capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "wrote" in result.stderr + result.stdout and (site / "files" / "cv.pdf").is_file()
    text = " ".join(pdf_text(site / "files" / "cv.pdf").split())
    papers = [entry for section in cv.sections for entry in getattr(section, "items", [])
              if isinstance(entry, Publication)]
    assert any(paper.site and not paper.site.on_page for paper in papers)  # collection-only papers among them
    for paper in papers:
        assert " ".join(plain_text(parse_markup(paper.title)).split()) in text
    assert check_site(site, cv) is None
    again = subprocess.run([sys.executable, "-m", "cvgen.cli", "site", str(site), str(cv_file)], capture_output=True,
                           text=True, check=False)
    assert "0 files written" in again.stderr + again.stdout


def test_the_cv_page_is_read_and_its_own_sections_reach_the_pdf_in_its_order(tmp_path: Path) -> None:
    require("pdftotext")
    site = _copy("academicpages", tmp_path)
    cv = _round_trip(site, tmp_path)
    assert cv.site is not None and [page.path for page in cv.site.pages] == ["_pages/cv.md"]
    pdf = tmp_path / "cv.pdf"
    pdf.write_bytes(render("pdf", cv))
    text = " ".join(pdf_text(pdf).split())
    for fact in ("Ph.D in Version Control Theory", "Duties included: Tagging issues", "Sub-skill 2.1",
                 "Currently signed in to 43 different slack teams", "Paper Title Number 1", "Teaching experience 1",
                 "Tutorial, UC-Berkeley Institute for Testing Science, Berkeley CA, USA"):  # a talk's type and location
        assert fact in text, fact
    headings = ["Education", "Work experience", "Skills", "Publications", "Talks", "Teaching",
                "Service and leadership", "Portfolio"]  # the CV page's order; its Liquid loops stand for collections
    position = text.index(" Education ")
    for heading in headings[1:]:  # each after the one before (the about page's text names some of them earlier)
        position = text.index(f" {heading} ", position + 1)
    # The CV page's loops over the collections are not shown as such (their entries are, once).
    assert text.count("Paper Title Number 1") == 1


def test_a_section_on_both_pages_is_shown_once_and_what_it_leaves_out_is_named() -> None:
    result = import_site(SITES / "team-ml-phd")
    shown = [section for _, section in result.cv.cv_sections()]
    service = [section for section in shown if "service" in title_key(section.title or "")]
    assert len(service) == 1
    message = next(problem.message for file, problem in result.warnings
                   if file == "_pages/cv.md" and "is on the about page and on this page" in problem.message)
    assert "not in them: Student representative" in message


def test_check_names_the_cv_page_when_it_drifts(tmp_path: Path) -> None:
    site = _copy("academicpages", tmp_path)
    cv = _round_trip(site, tmp_path)
    cv_page = site / "_pages" / "cv.md"
    cv_page.write_text(cv_page.read_text(encoding="utf-8").replace("* Skill 1", "* Skill One"), encoding="utf-8")
    report = check_site(site, cv)
    assert report is not None and report.startswith(str(cv_page)) and "Skill One" in report


@pytest.mark.parametrize("name", ["academicpages", "team-crlf"])
def test_an_edit_of_the_header_reaches_the_config_author_block_on_its_own_lines(name: str, tmp_path: Path) -> None:
    site = _copy(name, tmp_path)
    cv_file = tmp_path / "cv.yaml"
    cv_file.write_text(dump_cv(import_site(site).cv), encoding="utf-8")
    cv = load_cv(cv_file)
    before = (site / "_config.yml").read_bytes()
    cv.email = "new.address@example.org"
    cv.headline = 'Works on "quoted" things & more: yes'
    cv_file.write_text(dump_cv(cv), encoding="utf-8")
    report = check_site(site, cv)
    assert report is not None and "_config.yml: author.email:" in report and "_config.yml: author.bio:" in report
    result = subprocess.run([sys.executable, "-m", "cvgen.cli", "site", str(site), str(cv_file)], capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0, result.stderr
    after = (site / "_config.yml").read_bytes()
    changed = [pair for pair in zip(before.split(b"\n"), after.split(b"\n"), strict=True) if pair[0] != pair[1]]
    assert len(changed) == 2  # the two lines, nothing else (comments, order, line endings kept)
    assert all(old.endswith(b"\r") == new.endswith(b"\r") for old, new in changed)
    author = yaml.safe_load(after.decode("utf-8"))["author"]
    assert author["email"] == "new.address@example.org" and author["bio"] == 'Works on "quoted" things & more: yes'
    _write_pdf(cv, site)
    assert check_site(site, cv) is None


def test_an_entry_both_pages_write_alike_is_written_once_and_one_edit_reaches_both_pages(tmp_path: Path) -> None:
    require("jekyll")
    site = _copy("team-drift", tmp_path)
    cv_file = tmp_path / "cv.yaml"
    text = dump_cv(import_site(site).cv)
    assert "      - &assistant-professor\n" in text and "            - *assistant-professor\n" in text
    assert load_cv_text(text, tmp_path) == load_cv_text(dump_cv(load_cv_text(text, tmp_path)), tmp_path)
    anchored = text.index("&assistant-professor")
    edited = text[:anchored] + text[anchored:].replace("organization: University of Toronto",
                                                       "organization: University of Toronto Mississauga", 1)
    cv_file.write_text(edited, encoding="utf-8")
    cv = load_cv(cv_file)
    report = check_site(site, cv) or ""
    assert "_pages/about.md differs" in report and "_pages/cv.md differs" in report
    before = _build(site, tmp_path / "built-before")
    _write_all(cv, site)
    after = _build(site, tmp_path / "built-after")
    changed = sorted(page for page in after if before.get(page) != after[page])
    assert {"index.html", "cv/index.html"} <= set(changed)
    for page in ("index.html", "cv/index.html"):
        assert any("University of Toronto Mississauga" in " ".join(event[1:]) for event in after[page]), page


def load_cv_text(text: str, folder: Path) -> CV:
    path = folder / "read.yaml"
    path.write_text(text, encoding="utf-8")
    return load_cv(path)


def test_an_entry_the_two_pages_write_differently_is_named_with_both_lines() -> None:
    result = import_site(SITES / "team-drift")
    messages = [f"{file}:{problem.line}: {problem.message}" for file, problem in result.warnings]
    phd = next(message for message in messages if message.startswith("_pages/cv.md:") and "Ph.D." in message
               and " differs from " in message)
    assert phd.startswith("_pages/cv.md:12: ") and "differs from _pages/about.md:17: " in phd
    assert "start: '2017' there" in phd


def test_a_name_given_heads_the_cv_and_a_site_without_one_says_how_to_give_it(tmp_path: Path) -> None:
    cv = import_site(SITES / "team-crlf", name="Dr. Ingrid M. Halvorsen").cv
    assert cv.name == "Dr. Ingrid M. Halvorsen" and "Ingrid Halvorsen" in cv.name_variants
    site = tmp_path / "site"
    (site / "_pages").mkdir(parents=True)
    (site / "_config.yml").write_text("title: t\nauthor:\n  avatar: me.png\n  pronouns: they/them\n", encoding="utf-8")
    (site / "_pages" / "about.md").write_text("---\npermalink: /\n---\n\nI study engines.\n", encoding="utf-8")
    messages = [problem.message for _, problem in import_site(site).warnings]
    assert any(message.startswith("no owner's name found") and "--name" in message for message in messages)
    assert any("author fields with no place in the CV" in message and "avatar" in message and "pronouns" in message
               for message in messages)


def test_a_file_value_with_braces_of_its_own_is_written_as_it_stands() -> None:
    from cvgen.site import fill_front_matter

    layout = {"title": "{title}", "date": "{year}-10-01", "excerpt": "Uses {title} and {{ site.url }}",
              "permalink": "/publication/{name}-x", "slidesurl": "{slides}"}
    filled = fill_front_matter(layout, {"title": "T", "year": "2024", "slides": ""})
    assert filled["title"] == "T" and str(filled["date"]) == "2024-10-01" and filled["slidesurl"] is None
    assert filled["excerpt"] == "Uses {title} and {{ site.url }}" and filled["permalink"] == "/publication/{name}-x"


def test_a_new_entry_of_a_section_both_pages_have_reaches_both_pages(tmp_path: Path) -> None:
    require("jekyll")
    site = _copy("team-drift", tmp_path)
    cv = _round_trip(site, tmp_path)
    service = next(section for section in cv.sections if section.title == "Service")
    service.items.append(GenericEntry(label="Program Chair", title="CoLLAs 2026"))  # type: ignore[arg-type]
    report = check_site(site, cv) or ""
    assert "_pages/about.md differs" in report and "_pages/cv.md differs" in report
    _write_all(cv, site)
    for page in ("_pages/about.md", "_pages/cv.md"):
        assert " Program Chair: CoLLAs 2026\n" in (site / page).read_text(encoding="utf-8"), page  # no date, no space
    built = _build(site, tmp_path / "built")
    for page in ("index.html", "cv/index.html"):
        assert any("CoLLAs 2026" in " ".join(event[1:]) for event in built[page]), page
    reread = _round_trip(site, tmp_path)
    assert check_site(site, reread) is None
    text = dump_cv(reread)
    assert text.count("- &collas\n") == 1 and text.count("- *collas\n") == 1  # one entry, named on both pages


def test_a_new_entry_reaches_the_section_of_the_other_page_that_shares_an_entry_under_another_heading(
        tmp_path: Path) -> None:
    require("jekyll")
    site = _copy("team-drift", tmp_path)
    cv_page = site / "_pages" / "cv.md"
    page = cv_page.read_text(encoding="utf-8")
    assert "\nService\n======\n" in page
    cv_page.write_text(page.replace("\nService\n======\n", "\nProfessional service\n======\n"), encoding="utf-8")
    cv = _round_trip(site, tmp_path)
    assert [section.title for page in cv.site.pages for section in page.sections][-1] == "Professional service"
    service = next(section for section in cv.sections if section.title == "Service")
    service.items.append(GenericEntry(label="Program Chair", title="CoLLAs 2026"))  # type: ignore[arg-type]
    _write_all(cv, site)
    for page in ("_pages/about.md", "_pages/cv.md"):
        assert " Program Chair: CoLLAs 2026\n" in (site / page).read_text(encoding="utf-8"), page  # no date, no space
    built = _build(site, tmp_path / "built")
    assert any("CoLLAs 2026" in " ".join(event[1:]) for event in built["cv/index.html"])
    assert check_site(site, _round_trip(site, tmp_path)) is None


def test_a_talk_on_one_line_is_one_entry_with_its_collection_file_and_one_edit_reaches_both(tmp_path: Path) -> None:
    """team-crlf's about page writes its talks on one line ('"Title", venue, place, date'): each is a typed talk,
    bound to its `_talks` file, whose title and date are slots; an edit of the YAML reaches both, CRLF kept; a new
    talk is written as its siblings are, with a collection file of its own."""
    require("jekyll")
    site = _copy("team-crlf", tmp_path)
    cv = _round_trip(site, tmp_path)
    talks = next(section for section in cv.sections if isinstance(section, TalksSection))
    talk = next(item for item in talks.items if isinstance(item, Talk) and "Magnon" in item.title)
    assert talk.site is not None and talk.site.file is not None
    assert talk.site.file.path == "_talks/2024-03-05-aps-march-meeting.md"
    assert (talk.site.file.front_matter["title"], talk.site.file.front_matter["date"]) == ("{title}", "{date}")
    talk.title = "Thermal Hall Signatures of Magnon Band Topology"
    talk.venues[0].date = "2024-03-06"
    # A new talk without the '(invited)' the section's layout writes: written as the talk without one is.
    talks.items.append(Talk(title="Spin Liquids at Finite Temperature",
                            venues=[TalkVenue(venue="Oslo Physics Colloquium", date="2025-02-03")]))
    _write_all(cv, site)
    about = (site / "index.md").read_bytes().decode("utf-8")
    assert '- "Spin Liquids at Finite Temperature", Oslo Physics Colloquium, 3 February 2025\r\n' in about
    assert (site / "_talks" / "2025-02-03-spin-liquids-at-finite-temperature.md").is_file()
    assert '- "Thermal Hall Signatures of Magnon Band Topology", APS March Meeting, Minneapolis, MN, 6 March 2024\r\n' \
        in about
    file = (site / "_talks" / "2024-03-05-aps-march-meeting.md").read_bytes().decode("utf-8")
    assert "title: Thermal Hall Signatures of Magnon Band Topology\r\n" in file and "date: 2024-03-06\r\n" in file
    assert "\n" not in file.replace("\r\n", "")
    built = _build(site, tmp_path / "built")
    for page in ("index.html", "talks/2024-03-05-aps-march-meeting.html", "cv/index.html"):
        assert any("Magnon Band Topology" in " ".join(event[1:]) for event in built[page]), page
    assert any("Spin Liquids at Finite Temperature" in " ".join(event[1:]) for event in built["cv/index.html"])
    reread = _round_trip(site, tmp_path)
    _write_pdf(reread, site)
    assert check_site(site, reread) is None


def test_a_citation_follows_its_paper_and_keeps_the_venue_it_writes_its_own_way(tmp_path: Path) -> None:
    site = _copy("team-ml-phd", tmp_path)
    cv = _round_trip(site, tmp_path)
    paper = _paper(cv, "Thompson Sampling")
    assert paper.site is not None and paper.site.file is not None
    assert paper.site.file.front_matter["citation"] == "{citation}"  # its venue there is not the entry's
    paper.title = "Thompson Sampling under Misspecified Priors"
    paper.authors = [*paper.authors, "A. Newcomer"]  # three names: the collection's form for them, Oxford comma
    _write_all(cv, site)
    front = _file_front(site, paper)
    assert front["citation"] == (
        "M. Lindqvist, G. Whitlock, and A. Newcomer. (2022). &quot;Thompson Sampling under Misspecified Priors.&quot; "
        "<i>Proceedings of The 25th International Conference on Artificial Intelligence and Statistics</i>, PMLR 151.")


def test_a_collection_file_s_own_value_that_reads_as_a_slot_is_written_back_as_the_file_wrote_it(
        tmp_path: Path) -> None:
    """A file's own text is data: a venue written '{title}' stays that text, never the entry's title."""
    site = _copy("team-crlf", tmp_path)
    talk_file = site / "_talks" / "2024-03-05-aps-march-meeting.md"
    text = talk_file.read_bytes().decode("utf-8")
    text = re.sub(r"(?m)^venue: .*\r$", "venue: '{title}'\r", text, count=1)
    text = re.sub(r"(?m)^location: .*\r$", "location: '{{venue}}'\r", text, count=1)
    talk_file.write_bytes(text.encode("utf-8"))
    cv = _round_trip(site, tmp_path)
    _write_all(cv, site)
    front = yaml.safe_load(talk_file.read_bytes().decode("utf-8").split("---")[1])
    assert (front["venue"], front["location"]) == ("{title}", "{{venue}}")


def test_a_venue_written_with_its_year_in_a_collection_file_follows_the_entry(tmp_path: Path) -> None:
    """team-drift's page writes 'ICLR' and the year apart; its `_publications` file writes 'ICLR 2025': the file
    keeps '{venue} {year}', so an edit of either reaches it."""
    site = _copy("team-drift", tmp_path)
    cv = _round_trip(site, tmp_path)
    paper = next(entry for entry in _all_entries(cv) if isinstance(entry, Publication) and entry.site is not None
                 and entry.site.file is not None and entry.site.file.path.endswith("benchmarks-leaking.md"))
    assert paper.site is not None and paper.site.file is not None
    assert (paper.venue, paper.site.file.front_matter["venue"]) == ("ICLR", "{venue} {year}")
    paper.venue = "ICLR (Oral)"
    _write_all(cv, site)
    front = _file_front(site, paper)
    assert front["venue"] == "ICLR (Oral) 2025"


def test_a_citation_that_ends_with_the_equal_contribution_legend_follows_its_paper(tmp_path: Path) -> None:
    site = _copy("team-ml-phd", tmp_path)
    cv = _round_trip(site, tmp_path)
    paper = _paper(cv, "Sparse Mixture Distillation")
    assert paper.site is not None and paper.site.file is not None
    assert paper.site.file.front_matter["citation"] == "{citation}"
    paper.title = "Sparse Mixture Distillation for Long Contexts"
    _write_all(cv, site)
    front = _file_front(site, paper)
    assert front["citation"].startswith("R. Osei*, M. Lindqvist*, A. Brenner, and T. Reiner. (2024). "
                                        "&quot;Sparse Mixture Distillation for Long Contexts.&quot; <i>")
    assert front["citation"].endswith("</i>. (*equal contribution)")


def test_a_citation_without_the_marks_the_page_writes_follows_its_paper(tmp_path: Path) -> None:
    """team-korean's page marks an author '최민재\\*'; the paper's citation in its collection file does not."""
    site = _copy("team-korean", tmp_path)
    cv = _round_trip(site, tmp_path)
    paper = _paper(cv, "한국어 대화 시스템을 위한")
    assert paper.site is not None and paper.site.file is not None
    assert any(author.marks for author in paper.author_list())
    assert paper.site.file.front_matter["citation"] == "{citation}"
    paper.year = "2023"
    _write_all(cv, site)
    front = _file_front(site, paper)
    assert front["citation"].startswith("박서연, 이준호, 최민재. (2023). &quot;한국어 대화 시스템을 위한")


def test_chicago_and_apa_citations_written_as_html_follow_their_papers(tmp_path: Path) -> None:
    """team-handwritten-cv's citations: a book in Chicago author-date with its title in `<i>`, an article in APA
    with its '&' written `&amp;`; an edit of each paper reaches its citation, the HTML as the file writes it."""
    site = _copy("team-handwritten-cv", tmp_path)
    cv = _round_trip(site, tmp_path)
    papers = {entry.title.split(":")[0]: entry for entry in _all_entries(cv) if isinstance(entry, Publication)
              and entry.site is not None and entry.site.file is not None}
    book, article = papers["Thirsty Ground"], papers["Irrigation rounds as moral accounting"]
    for paper in (book, article):
        assert paper.site is not None and paper.site.file is not None
        assert paper.site.file.front_matter["citation"] == "{citation}"
    book.year, article.title = "2025", "Irrigation rounds as moral ledgers"
    _write_all(cv, site)
    for paper, citation in (
            (book, "Carrasco, Inés. 2025. <i>Thirsty Ground: Water, Debt, and Belonging in the Peruvian Andes</i>. "
                   "Ithaca, NY: Cornell University Press."),
            (article, "Carrasco, I., &amp; Müller, Z. (2024). Irrigation rounds as moral ledgers. <i>Journal of the "
                      "Royal Anthropological Institute</i>, 30(2), 311–330.")):
        assert paper.site is not None and paper.site.file is not None
        front = _file_front(site, paper)
        assert front["citation"] == citation


def test_an_excerpt_is_its_entrys_abstract_in_every_output_and_one_edit_rewrites_the_excerpt_and_body(
        tmp_path: Path) -> None:
    site = _copy("team-ml-phd", tmp_path)
    cv = _round_trip(site, tmp_path)
    papers = [entry for entry in _all_entries(cv) if isinstance(entry, Publication) and entry.site
              and entry.site.file and "{abstract}" in entry.site.file.body]
    assert papers, "no paper whose file's body repeats its excerpt"
    paper = papers[0]
    assert paper.abstract and paper.site and paper.site.file
    path = site / paper.site.file.path
    front = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
    old = plain_text(parse_markup(paper.abstract))
    assert front["excerpt"] == old and path.read_text(encoding="utf-8").count(old) == 2  # excerpt and body
    assert old.split()[-1] in render("html", cv) and old.split()[-1] in render("latex", cv)
    paper.abstract = "A shorter summary, written once in the YAML."
    written = site_files(cv)[paper.site.file.path]
    assert written.count("A shorter summary, written once in the YAML.") == 2 and old not in written
    assert yaml.safe_load(written.split("---\n")[1])["excerpt"] == paper.abstract


def test_an_excerpt_with_markup_stays_the_files_own_value() -> None:
    imported = import_site(SITES / "academicpages").cv
    projects = [entry for entry in _all_entries(imported) if isinstance(entry, GenericEntry) and entry.site
                and entry.site.file and entry.site.file.path.startswith("_portfolio/")]
    assert projects and all(entry.abstract is None for entry in projects)
    assert all("<img" in str(entry.site.file.front_matter["excerpt"]) for entry in projects)  # type: ignore[union-attr]


def test_an_ampersand_written_as_html_in_a_citation_is_read_as_one(tmp_path: Path) -> None:
    """academicpages' citations are HTML: APA's '& ' before the last author is written '&amp; '. Read as text,
    it hid the last author, and import reported a disagreement the page and the file do not have."""
    site = _copy("team-ml-phd", tmp_path)
    paper = site / "_publications" / "2023-12-06-preference-label-disagreement.md"
    text = paper.read_text(encoding="utf-8")
    assert "M. Lindqvist, J. Farrow, and T. Reiner. (2023)" in text
    paper.write_text(text.replace("M. Lindqvist, J. Farrow, and T. Reiner. (2023)",
                                  "M. Lindqvist, J. Farrow, &amp; T. Reiner. (2023)", 1), encoding="utf-8")
    result = import_site(site)
    assert not [problem.message for file, problem in result.warnings
                if file == "_publications/2023-12-06-preference-label-disagreement.md" and "differs" in problem.message]
    assert result.conflicts == import_site(SITES / "team-ml-phd").conflicts


def test_a_citation_that_names_another_paper_is_named_in_a_warning() -> None:
    """The example site's fourth paper keeps the third's citation (the template's own copy error): an edit of the
    paper cannot reach it, and import says so. No team site's citation is taken for another paper's."""
    stale = {name: [(file, problem.line) for file, problem in import_site(SITES / name).warnings
                    if "citation does not name the paper's title" in problem.message] for name in SITE_NAMES}
    assert stale.pop("academicpages") == [("_publications/2024-02-17-paper-title-number-4.md", 10)]
    assert not any(stale.values()), stale
    line = (SITES / "academicpages/_publications/2024-02-17-paper-title-number-4.md").read_text(
        encoding="utf-8").splitlines()[9]
    assert line.startswith("citation:") and "Paper Title Number 3" in line


@pytest.mark.parametrize("name", [name for name in SITE_NAMES if name != "academicpages"])
def test_a_venue_written_two_ways_is_no_disagreement_and_every_one_named_is_planted(name: str) -> None:
    """Only the disagreements a site's ground truth plants are named between a page and a collection file: a
    venue abbreviated word by word ('Phys. Rev. Lett.'), with its year ('EMNLP 2024') or as a proceedings
    ('2023 … 논문집' beside '… (KCC 2023)') is the same venue."""
    planted = [str(conflict["places"][1]).split(":")[0] for conflict in _facts(name).get("conflicts") or []]  # type: ignore[union-attr]
    named = [file for file, problem in import_site(SITES / name).warnings
             if re.search(r" differs from \S+\.md:\d+: ", problem.message) and not file.startswith("_pages/")]
    assert sorted(named) == sorted(place for place in planted if not place.startswith("_pages/"))


def test_check_names_what_an_edit_changes_and_nothing_a_page_never_shows(tmp_path: Path) -> None:
    """A retitled paper with an excerpt: the about page's report names its title, not the abstract (which no page
    shows), and the file's long citation is shown where it changes."""
    site = _copy("team-ml-phd", tmp_path)
    cv = _round_trip(site, tmp_path)
    _write_pdf(cv, site)
    paper = _paper(cv, "Sparse Mixture Distillation")
    assert paper.abstract
    paper.title = f"{paper.title} at Scale"
    report = check_site(site, cv)
    assert report is not None and "title differs" in report and "abstract" not in report
    citation = next(line for line in report.splitlines() if "citation:" in line)
    assert citation.count("at Scale") == 1
    assert "_publications/2024-12-10-sparse-mixture-distillation.md: citation: '…" in citation.split(" → ")[0]


def test_a_courses_location_is_its_entrys_in_every_output_and_one_edit_rewrites_its_file(tmp_path: Path) -> None:
    site = _copy("academicpages", tmp_path)  # its courses are in their collection files only
    cv = _round_trip(site, tmp_path)
    courses = [entry for entry in _all_entries(cv) if isinstance(entry, GenericEntry) and entry.site
               and entry.site.file and entry.site.file.path.startswith("_teaching/")]
    assert [course.location for course in courses] == ["City, Country", "City, Country"]
    course = courses[0]
    assert course.site and course.site.file and course.site.file.front_matter["location"] == "{location}"
    assert "City, Country" in render("html", cv) and "City, Country" in render("latex", cv)
    course.location = "Mississauga, Canada"
    written = site_files(cv)[course.site.file.path]
    assert yaml.safe_load(written.split("---\n")[1])["location"] == "Mississauga, Canada"
    assert "City, Country" not in written
