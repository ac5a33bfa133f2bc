"""A whole Jekyll site (academicpages and its kin) → one CV: the author block of `_config.yml` as the CV's header,
the about page and the CV page as `cvgen.importers.homepage` reads them, and the files of the `_publications`,
`_talks`, `_teaching` and `_portfolio` collections as typed entries.

A paper, talk, course or project written both on a page and in a collection file is one entry (matched by its
title, or by the line of text that holds it), shown in both. Its collection file is kept as a layout
(`CollectionFile`): each front-matter value that the entry gives (its title, venue, year, URL, citation…) becomes
a slot, every other value and the body stay as the file writes them. Where the two places disagree (a year, a
venue, an author list), the file keeps its own value, so both readings are kept, and import names both places:
the user decides. A collection file whose entry no page
lists is an entry of the CV all the same (in the PDFs), marked as not shown on a page (`on_page: false`).

The site's CV page (`_pages/cv.md`) is read as a page of its own (`site.pages`), written back as it stands. Of a
section both pages have, the PDFs and the web CV show the one with more entries; a section that lists a
collection through Liquid is left to the collection. Blog posts (`_posts`) are not read: import names them, and
the site writer never touches them.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cvgen.dates import parse_date
from cvgen.errors import InputFileError, Problem, shown
from cvgen.importers.fields import read_paper
from cvgen.importers.homepage import ImportResult, ReportRow, import_homepage_text
from cvgen.importers.homepage.blocks import split_front_matter
from cvgen.importers.layouts import derive
from cvgen.loader import parse_yaml
from cvgen.markup import Text, markup_text, parse_markup, plain_text, title_key, to_markup
from cvgen.model import (
    CV,
    CollectionFile,
    CollectionStyle,
    EntriesSection,
    EntryLayout,
    GenericEntry,
    Link,
    Publication,
    PublicationsSection,
    RawEntry,
    RawSection,
    Section,
    SectionPage,
    Site,
    SiteEntry,
    SitePage,
    Talk,
    TalksSection,
    TalkVenue,
    written_author,
)
from cvgen.site import collection_values, entry_keys, is_slot_value, layout_literal, main_text, same_part
from cvgen.slots import SLOT, SLOT_OR_BRACE, braced
from cvgen.textfile import read_text_file
from cvgen.urls import url_problem

# The collections read, by the kind of entry they hold, with their section's heading when the about page has none.
COLLECTIONS = {"publications": ("_publications", "Publications"), "talks": ("_talks", "Talks"),
               "teaching": ("_teaching", "Teaching"), "portfolio": ("_portfolio", "Portfolio")}
# Read as entries of a heading cvgen has no kind for (text, the venue after it, a date).
_GENERIC_COLLECTIONS = frozenset({"teaching", "portfolio"})
_OTHER_COLLECTIONS = ("_posts",)
_MARKDOWN_FILE = re.compile(r".*\.(?:md|markdown|mkd|mkdn|mdown)$")
_DOCUMENT_FILE = re.compile(r"[^.].*\.(?:md|markdown|mkd|mkdn|mdown|html)$")  # a collection's documents

# academicpages' author block: a field of the CV's header, or a profile link (a URL, or a user name the theme makes
# one of, as its author-profile.html does).
_HEADER_KEYS = {"bio": "headline", "employer": "affiliation", "location": "location", "email": "email"}
_PROFILE_URLS = {
    "googlescholar": ("Google Scholar", "{}"), "orcid": ("ORCID", "{}"), "researchgate": ("ResearchGate", "{}"),
    "semantic": ("Semantic Scholar", "{}"), "arxiv": ("arXiv", "{}"), "pubmed": ("PubMed", "{}"),
    "scopus": ("Scopus", "{}"), "inspire-hep": ("INSPIRE-HEP", "{}"), "academia": ("Academia.edu", "{}"),
    "impactstory": ("Impactstory", "{}"), "mastodon": ("Mastodon", "{}"), "medium": ("Medium", "{}"),
    "github": ("GitHub", "https://github.com/{}"), "gitlab": ("GitLab", "https://gitlab.com/{}"),
    "bitbucket": ("Bitbucket", "https://bitbucket.org/{}"), "linkedin": ("LinkedIn", "https://www.linkedin.com/in/{}"),
    "twitter": ("X (Twitter)", "https://twitter.com/{}"), "bluesky": ("Bluesky", "https://bsky.app/profile/{}"),
    "kaggle": ("Kaggle", "https://www.kaggle.com/{}"),
    "stackoverflow": ("Stack Overflow", "https://stackoverflow.com/users/{}"),
    "youtube": ("YouTube", "https://youtube.com/@{}"), "instagram": ("Instagram", "https://instagram.com/{}"),
    "facebook": ("Facebook", "https://www.facebook.com/{}"),
}
_NOT_SHOWN_KEYS = frozenset({"name", "uri"})  # the name heads the CV, the URI is its website


def is_site(path: Path) -> bool:
    """Whether a path is a Jekyll site's folder (a `_config.yml` in it)."""
    return path.is_dir() and (path / "_config.yml").is_file()


@dataclass
class SiteImport:
    """A site's CV, the warnings (conflicts between two places among them), and the report per file."""

    cv: CV
    warnings: list[tuple[str, Problem]]  # (file, problem)
    report: list[ReportRow]
    files: list[str] = field(default_factory=list)  # every file imported, relative to the site
    conflicts: int = 0
    page_reports: list[tuple[str, list[ReportRow]]] = field(default_factory=list)  # the CV page's, by its path


def import_site(root: Path, name: str | None = None) -> SiteImport:
    """Import a Jekyll site's folder into one CV."""
    config = _config(root)
    block = config.get("author")
    author: dict[str, Any] = block if isinstance(block, dict) else {}
    about = _about_page(root)
    about_text = read_text_file(root / about, "about page")
    owner_name = name or _text(author.get("name")) or None
    result: ImportResult = import_homepage_text(about_text, str(root / about), owner_name)
    cv = result.cv
    warnings: list[tuple[str, Problem]] = [(about, warning) for warning in result.warnings]
    _header(cv, author, config, warnings, given_name=name)
    if not cv.name and owner_name:
        cv.name = owner_name
    site = Site(about_page=about, cv_pdf=linked_cv_pdf(root))
    cv.site = site
    files = ["_config.yml", about]
    pages = [_Page(about, about_text, cv.sections)]
    page_reports: list[tuple[str, list[ReportRow]]] = []
    for path in _other_pages(root, about):
        relative = str(path.relative_to(root))
        page_text = read_text_file(path, "CV page")
        page_result = import_homepage_text(page_text, str(path), cv.name or owner_name)
        page = SitePage(path=relative, homepage=page_result.cv.homepage, sections=page_result.cv.sections)
        warnings += [(relative, warning) for warning in page_result.warnings
                     if "no owner's name" not in warning.message]
        site.pages.append(page)
        pages.append(_Page(relative, page_text, page.sections))
        files.append(relative)
        page_reports.append((relative, page_result.report))
    conflicts = 0
    for kind, (folder, heading) in COLLECTIONS.items():
        paths = collection_files(root, folder)
        if paths:
            merged = _merge_collection(cv, pages, kind, heading, root, paths)
            files += [path for path, _ in merged.texts]
            warnings += merged.warnings
            conflicts += merged.conflicts
            setattr(site, kind, merged.style)
    for entry in (entry for page in pages for section in page.sections for entry in getattr(section, "items", [])):
        if isinstance(entry, (Publication, Talk, GenericEntry)) and entry.site is None:
            entry.site = SiteEntry()  # placed on its page: not an entry new to the site (`cvgen.site`)
    for page, own in zip(site.pages, pages[1:], strict=True):
        warnings += [(page.path, warning) for warning in _place_page_sections(cv, page, about)]
        for problem in _page_disagreements(cv, page, about, about_text, own.text):
            warnings.append((page.path, problem))
            conflicts += 1
    left = [f"{folder}/ ({count} files)" for folder in _OTHER_COLLECTIONS
            if (root / folder).is_dir() and (count := sum(path.is_file() for path in (root / folder).iterdir()))]
    if left:
        warnings.append(("", Problem("not imported yet, and left as they are by `cvgen site`: " + ", ".join(left))))
    return SiteImport(cv, warnings, result.report, files, conflicts, page_reports)


# --- the CV page ------------------------------------------------------------------------------------------------

_LIQUID_TAG = re.compile(r"\{%|\{\{")


def _place_page_sections(cv: CV, page: SitePage, about: str) -> list[Problem]:
    """Which of the CV page's sections the PDFs and the web CV show: a section the about page does not have; of a
    section both pages have (one kind, and the same heading or an entry in common), the one with more entries
    (the other's entries the shown one lacks named in a warning); never a section that lists a collection through
    Liquid (the collection's entries are in the CV already)."""
    problems: list[Problem] = []
    for section in page.sections:
        if isinstance(section, RawSection) and _LIQUID_TAG.search(section.markdown):
            section.homepage.in_cv = False
            continue
        twin = next((other for other in cv.sections if other.homepage.in_cv and same_part(other, section)), None)
        if twin is None:
            continue
        shown, hidden = (section, twin) if _entry_total(section) > _entry_total(twin) else (twin, section)
        hidden.homepage.in_cv = False
        missing = sorted(set(entry_keys(hidden)) - set(entry_keys(shown)))
        where = "the CV page's" if shown is section else f"the about page's ({about})"
        name = plain_text(parse_markup(section.title or "")) or "the opening text"
        message = f"{name!r} is on the about page and on this page: the PDFs and the web CV show {where}"
        if missing:
            labels = [label for key, label in entry_keys(hidden).items() if key in missing]
            message += f"; not in them: {'; '.join(labels[:5])}" + (" …" if len(labels) > 5 else "")
        problems.append(Problem(message, None))
    return problems


def _page_disagreements(cv: CV, page: SitePage, about: str, about_text: str, page_text: str) -> list[Problem]:
    """Entries the CV page and the about page both write (the same main text: a degree and its institution, a role
    and its organization, a title) that say different things: each named with both lines and the fields that
    differ. Both readings are kept, each on its page; entries that say the same are written once in the YAML."""
    about_entries = {key: entry for section in cv.sections for entry in getattr(section, "items", [])
                     if not isinstance(entry, RawEntry) and (key := _entry_key(entry))}
    problems = []
    for section in page.sections:
        for entry in getattr(section, "items", []):
            twin = about_entries.get(_entry_key(entry)) if not isinstance(entry, RawEntry) else None
            if twin is None or type(twin) is not type(entry):
                continue
            ours, theirs = (item.model_dump(exclude={"homepage", "site"}) for item in (entry, twin))
            fields = [name for name in dict.fromkeys([*ours, *theirs]) if ours.get(name) != theirs.get(name)]
            if not fields:
                continue
            label = _entry_label(entry)
            values = "; ".join(f"{name}: {shown(theirs.get(name), 40)} there, {shown(ours.get(name), 40)} here"
                               for name in fields[:3])
            problems.append(Problem(
                f"{label!r} differs from {about}:{_entry_line(about_text, twin)}: {values}; both are kept, each on its "
                "page: make them one by writing them alike", _entry_line(page_text, entry)))
    return problems


def _entry_line(text: str, entry: Any) -> int:
    """The line of a page where an entry is written: the first that holds the most of its distinctive fields."""
    values = [value[:40] for name in ("title", "degree", "institution", "role", "organization", "text")
              if (value := plain_text(parse_markup(str(getattr(entry, name, "") or ""))))]
    counts = [sum(value in line for value in values) for line in text.split("\n")]
    best = max(counts, default=0)
    return counts.index(best) + 1 if best else 1


def _entry_key(entry: Any) -> str:
    return title_key(_entry_label(entry))[:120]


def _entry_label(entry: Any) -> str:
    """An entry's main text, as plain text."""
    return plain_text(parse_markup(main_text(entry)))


def _entry_total(section: Section) -> int:
    for entries in ("items", "paragraphs", "groups"):
        if hasattr(section, entries):
            return len(getattr(section, entries))
    return 1


# A link to a PDF in the site whose name says it is the CV: '/files/cv.pdf', '{{ site.baseurl }}/files/CV.pdf',
# '{{ base_path }}/files/resume.pdf'.
_CV_PDF_LINK = re.compile(r"""(?:\{\{\s*(?:site\.baseurl|site\.url|base_path)\s*\}\}|https?://[^\s"')\]]*?)?/?"""
                          r"""((?:[\w.-]+/)*[\w.-]*(?:cv|resume|résumé|vita|curriculum)[\w.-]*\.pdf)\b""", re.I)


def linked_cv_pdf(root: Path) -> str | None:
    """The path in the site of the PDF CV its navigation or pages link, if one is linked (the most linked)."""
    places = [root / "_data" / "navigation.yml", root / "_config.yml", *sorted((root / "_pages").glob("*")),
              root / "index.md", root / "_includes" / "author-profile.html"]
    found: Counter[str] = Counter()
    for place in places:
        if place.is_file():
            text = place.read_text(encoding="utf-8", errors="replace")
            found.update(match.group(1) for match in _CV_PDF_LINK.finditer(text)
                         if not match.group(0).startswith("http") or "github.io" in match.group(0))
    return found.most_common(1)[0][0] if found else None


# --- the config and the header ---------------------------------------------------------------------------------

def _config(root: Path) -> dict[str, Any]:
    source = str(root / "_config.yml")
    data, _, problems = parse_yaml(read_text_file(root / "_config.yml", "site config"), typed=True,
                                   what="_config.yml is not valid YAML")
    if problems:
        raise InputFileError(source, problems)
    if data is not None and not isinstance(data, dict):
        raise InputFileError(source, [Problem("_config.yml must be a YAML mapping", 1)])
    return data or {}


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else str(value) if isinstance(value, (int, float)) else ""


def _header(cv: CV, author: dict[str, Any], config: dict[str, Any], warnings: list[tuple[str, Problem]], *,
            given_name: str | None = None) -> None:
    """The author block as the CV's header and contact line; what the CV has no place for named in a warning. The
    name the site heads its pages with heads the CV (the spelling the page emphasises kept as a variant), unless
    the user gave one (`--name`); the other spellings stay as variants, for author lists."""
    configured = _text(author.get("name"))
    heading = given_name or configured
    if heading:
        others = [cv.name, *cv.name_variants, *([configured] if given_name and configured else [])]
        cv.name_variants = list(dict.fromkeys(other for other in others if other and other != heading))
        cv.name = heading
    for key, attribute in _HEADER_KEYS.items():
        value = _text(author.get(key))
        if value and not getattr(cv, attribute):
            setattr(cv, attribute, value if attribute == "email" else to_markup([Text(value)]))
    uri = _text(author.get("uri")) or _text(config.get("url"))
    if uri and not url_problem(uri) and re.match(r"https?://", uri):
        cv.website = uri
    unknown = []
    for key, value in author.items():
        text = _text(value)
        if not text or key in _HEADER_KEYS or key in _NOT_SHOWN_KEYS:
            continue
        label, form = _PROFILE_URLS.get(key, (key, "{}"))
        url = text if re.match(r"https?://", text) else form.format(text) if form != "{}" else ""
        if url and not url_problem(url):
            cv.profiles.append(Link(label=to_markup([Text(label)]), url=url))
        else:
            unknown.append(key)
    if unknown:
        warnings.append(("_config.yml", Problem("author fields with no place in the CV, left in the site only: "
                                                + ", ".join(unknown))))


# --- pages and collection files ------------------------------------------------------------------------------

def _about_page(root: Path) -> str:
    """The about page: the page whose permalink is the site's root, else `_pages/about.md`, else `index.md`."""
    candidates = [path for path in [*sorted((root / "_pages").glob("*")), root / "index.md", root / "index.markdown"]
                  if path.is_file() and _MARKDOWN_FILE.fullmatch(path.name)]
    permalinks = {path: _front_matter(path).get("permalink") for path in candidates}
    for wanted in (("/",), ("/about/", "/about", "/about.html")):
        for path in candidates:
            if permalinks[path] in wanted or (wanted == ("/",) and path.parent == root and permalinks[path] is None):
                return str(path.relative_to(root))
    raise InputFileError(str(root), [Problem("no about page found: no Markdown page in _pages/ has `permalink: /`, "
                                             "and there is no index.md")])


def _front_matter(path: Path) -> dict[str, Any]:
    text = read_text_file(path, "page").replace("\r\n", "\n")
    return split_front_matter(text, str(path))[0]


def _other_pages(root: Path, about: str) -> list[Path]:
    pages = [path for path in sorted((root / "_pages").glob("*")) if path.is_file() and
             _MARKDOWN_FILE.fullmatch(path.name)]
    return [path for path in pages if str(path.relative_to(root)) != about and _holds_cv(path)]


def _holds_cv(path: Path) -> bool:
    """Whether a page holds CV content of its own (the CV page), not only a list the theme loops over."""
    return path.stem.lower() in ("cv", "resume", "vita", "cv-json")


def collection_files(root: Path, folder: str) -> list[Path]:
    """A collection's documents (Markdown or HTML with front matter), in name order."""
    directory = root / folder
    return sorted(path for path in directory.glob("*") if path.is_file() and _DOCUMENT_FILE.fullmatch(path.name)) \
        if directory.is_dir() else []


@dataclass
class _Merged:
    style: CollectionStyle
    texts: list[tuple[str, str]]
    warnings: list[tuple[str, Problem]]
    conflicts: int
    files: list[CollectionFile] = field(default_factory=list)  # the files bound to an entry, as layouts


@dataclass
class _Page:
    """A page of the site as the collections are merged into it: its path, its text and its sections."""

    path: str
    text: str
    sections: list[Section]


class _Pages:
    """The entries of a collection's kind on the site's pages (the about page, the CV page), by title, and the
    lines of text and raw Markdown that may hold one; which are matched to a collection file."""

    def __init__(self, pages: list[_Page], kind: str) -> None:
        self.pages = pages
        self.typed = [(entry, page) for page in pages for entry in _entries(page.sections, kind)]
        self.by_title = {title_key(entry.title): (entry, page) for entry, page in reversed(self.typed)}
        self.generic = [(entry, page) for page in pages for section in page.sections
                        if isinstance(section, EntriesSection) for entry in section.items
                        if isinstance(entry, GenericEntry)]
        self.matched: set[int] = set()

    def find(self, title: str) -> tuple[Any, _Page] | None:
        """The entry a collection file of this title shows, not matched yet: of the same title, or for a talk, a
        course or a project, the line of text that holds its title."""
        key = title_key(title)
        found = self.by_title.get(key)
        if found is None and len(key) >= _SHORTEST_TITLE:
            found = next(((entry, page) for entry, page in self.generic if id(entry) not in self.matched
                          and key in title_key(entry.title + " " + (entry.subtitle or ""))), None)
        if found is None or id(found[0]) in self.matched:
            return None
        self.matched.add(id(found[0]))
        return found

    def raw_line(self, title: str) -> tuple[_Page, int] | None:
        """Where raw Markdown on a page (a section or an entry kept as written) holds a title."""
        key = title_key(title)
        if len(key) < _SHORTEST_TITLE:
            return None
        for page in self.pages:
            for section in page.sections:
                texts = [section.markdown] if isinstance(section, RawSection) else [
                    item.raw for item in getattr(section, "items", []) if isinstance(item, RawEntry)]
                if any(key in title_key(text) for text in texts):
                    return page, _line_of(page.text, title)
        return None

    def mark_without_file(self) -> None:
        """The typed entries no file shows: on their page only (not new entries, which would get a file)."""
        for entry, _ in self.typed:
            if id(entry) not in self.matched and entry.site is None:
                entry.site = SiteEntry()


def _merge_collection(cv: CV, pages: list[_Page], kind: str, heading: str, root: Path, paths: list[Path]) -> _Merged:
    """A collection's files merged into the CV: each file's entry is the one a page writes with the same title, or
    a new entry of the CV that no page shows; its front matter kept as a layout of that entry."""
    on_pages = _Pages(pages, kind)
    merged = _Merged(CollectionStyle(folder=str(paths[0].parent.relative_to(root))), [], [], 0)
    raws = [read_text_file(path, "collection file") for path in paths]
    fronts = [split_front_matter(raw.replace("\r\n", "\n"), str(path))[0]
              for raw, path in zip(raws, paths, strict=True)]
    shared = _citation_layout([citation for front in fronts if isinstance(citation := front.get("citation"), str)])
    for path, raw in zip(paths, raws, strict=True):
        _merge_file(cv, on_pages, kind, heading, path, raw, str(path.relative_to(root)), merged, shared)
    on_pages.mark_without_file()
    merged.warnings += _site_only(paths, merged.files)
    merged.style = _style(paths, fronts, root, shared)
    return merged


def _merge_file(cv: CV, pages: _Pages, kind: str, heading: str, path: Path, raw: str, relative: str,
                merged: _Merged, shared_layout: EntryLayout | None) -> None:
    """One collection file (its text `raw`) merged into the CV (see `_merge_collection`)."""
    line_ending = "\r\n" if "\r\n" in raw else "\n"
    text = raw.replace("\r\n", "\n")
    front, body, _ = split_front_matter(text, str(path))
    merged.texts.append((relative, text))
    title = _text(front.get("title"))
    if not title:
        merged.warnings.append((relative, Problem("no title in the front matter: left as it is", 2)))
        return
    found = pages.find(title)
    raw_place = pages.raw_line(title) if found is None else None
    if raw_place is not None:  # a page writes it as raw Markdown: the CV shows that text, once
        cv.site.files.append(CollectionFile(path=relative, front_matter=front, body=body,  # type: ignore[union-attr]
                                            line_ending=line_ending))
        merged.warnings.append((relative, Problem(
            f"{raw_place[0].path}:{raw_place[1]} writes this entry as raw Markdown: the CV shows that text, and this "
            "file is kept as it stands", 2)))
        return
    read = _read_file_entry(kind, front)
    if found is None:
        entry = read
        entry.site = SiteEntry(on_page=False)
        _section_for(cv, kind, heading).items.append(entry)  # type: ignore[arg-type]
    else:
        entry = found[0]
        for problem in _disagreement_warnings(kind, entry, read, found[1], text):
            merged.warnings.append((relative, problem))
            merged.conflicts += 1
        if entry.abstract is None:
            entry.abstract = read.abstract
    values = collection_values(entry, shared_layout, cv)
    own_layout = _own_citation(entry, front, shared_layout, values, cv)
    if own_layout is not None:
        values = collection_values(entry, own_layout, cv)
    file = CollectionFile(path=relative, front_matter=_as_layout(front, values), body=_body_layout(body, values),
                          line_ending=line_ending, citation=own_layout)
    entry.site = SiteEntry(on_page=entry.site.on_page if entry.site else True, file=file)
    merged.files.append(file)
    if (stale := _citation_of_another(entry, file, text)) is not None:
        merged.warnings.append((relative, stale))


def _citation_of_another(entry: Any, file: CollectionFile, text: str) -> Problem | None:
    """A warning where a paper's file keeps a citation of its own that does not name the paper's title (a copy of
    another file's left unedited): an edit of the paper will not reach it."""
    citation = file.front_matter.get("citation")
    if not isinstance(entry, Publication) or not isinstance(citation, str) or is_slot_value(citation):
        return None
    if title_key(entry.title) in title_key(to_markup([Text(_citation_text(citation))])):
        return None
    return Problem(f"its citation does not name the paper's title {markup_text(entry.title)!r}, so it is kept as "
                   "this file writes it and an edit of the paper will not reach it: correct it and import the site "
                   "again", _line_of_key(text, "citation"))


def _disagreement_warnings(kind: str, entry: Any, read: Any, page: _Page, text: str) -> list[Problem]:
    """Where a page's entry and its collection file say different things, each named with both places."""
    problems = []
    for what, page_value, file_value in _disagreements(kind, entry, read):
        key = {"authors": "citation", "year": "date"}.get(what, what)
        page_line = _line_of(page.text, page_value.split(", ")[0], after=_line_of(page.text, entry.title))
        problems.append(Problem(
            f"{what} differs from {page.path}:{page_line}: the page says {page_value!r}, this file {file_value!r}; "
            "both are kept: change the one that is wrong and run `cvgen check`", _line_of_key(text, key)))
    return problems


def _site_only(paths: list[Path], files: list[CollectionFile]) -> list[tuple[str, Problem]]:
    """One warning per collection naming what its files hold that the PDFs and the web CV do not show: the values
    that are the file's own rather than its entry's (a course's location, a paper's excerpt, a talk's location
    where its entry is the about page's line), and the bodies."""
    site_only = Counter(key for file in files for key, value in file.front_matter.items()
                        if key not in _SITE_KEYS and value not in (None, "")
                        and not (isinstance(value, str) and is_slot_value(value)))
    bodies = sum(bool(SLOT.sub("", file.body).strip()) for file in files)
    kept = [*sorted(site_only), *(["the body"] if bodies else [])]
    if not kept:
        return []
    return [(paths[0].parent.name, Problem(
        f"{len(paths)} files: kept in their collection files only (the PDFs and the web CV do not show them): "
        + ", ".join(kept)))]


# Front-matter keys that place a file in the site rather than say something of its entry.
_SITE_KEYS = frozenset({"collection", "permalink", "layout", "redirect_from", "author_profile", "share", "comments",
                        "published", "sitemap", "output"})


_SHORTEST_TITLE = 12  # letters and digits: a shorter title inside a line of text may be a word of it


def _entries(sections: list[Section], kind: str) -> list[Any]:
    """The typed entries of a collection's kind in a page's sections (papers, talks)."""
    items: list[Any] = []
    for section in sections:
        if kind == "publications" and isinstance(section, PublicationsSection):
            items += [item for item in section.items if isinstance(item, Publication)]
        elif kind == "talks" and isinstance(section, TalksSection):
            items += [item for item in section.items if isinstance(item, Talk)]
    return items


def _section_for(cv: CV, kind: str, heading: str) -> PublicationsSection | TalksSection | EntriesSection:
    """The section a collection-only entry joins: the about page's first of its kind (for teaching and a portfolio,
    the section of entries with the collection's heading), else a new one the about page does not show."""
    for section in cv.sections:
        if kind == "publications" and isinstance(section, PublicationsSection):
            return section
        if kind == "talks" and isinstance(section, TalksSection):
            return section
        if kind in _GENERIC_COLLECTIONS and isinstance(section, EntriesSection) and section.title and title_key(
                section.title) == title_key(heading):
            return section
    hidden = SectionPage(shown=False)
    new: Section = (PublicationsSection(kind="publications", title=heading, items=[], homepage=hidden)
                    if kind == "publications" else
                    TalksSection(kind="talks", title=heading, items=[], homepage=hidden) if kind == "talks" else
                    EntriesSection(kind="entries", title=heading, items=[], homepage=hidden))
    cv.sections.append(new)
    return new  # type: ignore[return-value]


def _read_file_entry(kind: str, front: dict[str, Any]) -> Publication | Talk | GenericEntry:
    """A collection file's front matter as the entry it describes."""
    title = to_markup([Text(_text(front.get("title")))])
    date = _date_text(front.get("date"))
    venue = _text(front.get("venue"))
    abstract = _abstract(front)
    type_, location = (to_markup([Text(text)]) if (text := _text(front.get(key))) else None
                       for key in ("type", "location"))
    if kind in _GENERIC_COLLECTIONS:  # a course taught, a project: its title, where, and when
        return GenericEntry(title=title, subtitle=to_markup([Text(venue)]) if venue else None, start=date,
                            location=location, abstract=abstract)
    if kind == "talks":
        return Talk(title=title, venues=[TalkVenue(venue=to_markup([Text(venue)]) if venue else "", date=date,
                                                   type=type_, location=location)] if venue or date else [],
                    abstract=abstract)
    # The citation is HTML to the theme: its '&amp;' (APA's '& ' before the last author) is read as the '&'.
    citation = read_paper(_citation_text(_text(front.get("citation"))))
    authors = [written_author(author.name, author.marks) for author in citation.authors]
    links = [Link(label=label, url=url) for label, key in (("slides", "slidesurl"), ("bibtex", "bibtexurl"))
             if (url := _text(front.get(key))) and not url_problem(url)]
    url = _text(front.get("paperurl"))
    details = citation.details if citation.title and title_key(citation.title) == title_key(_text(front.get("title"))) \
        else None  # volume and pages, where the citation is read right
    return Publication(title=title, authors=authors, venue=to_markup([Text(venue)]) if venue else None,
                       year=date[:4] if date else None, url=url if url and not url_problem(url) else None,
                       links=links, details=to_markup([Text(details)]) if details else None, abstract=abstract)


def _abstract(front: dict[str, Any]) -> str | None:
    """A file's `excerpt` as its entry's abstract, when it is plain text: an excerpt is Markdown to the theme, and
    one with markup or HTML in it (an `<img>`) stays the file's own value."""
    text = _text(front.get("excerpt"))
    if not text or _MARKUP_CHARACTERS.search(text):
        return None
    return to_markup([Text(text)])


_MARKUP_CHARACTERS = re.compile(r"[<>\[\]`*_\\{}|]|&\w+;|^[\s#]|\s$|\n")


def _body_layout(body: str, values: dict[str, str]) -> str:
    """A file's body as a layout: each of its entry's longer values it repeats (the abstract, the citation, a URL) made
    a slot, every brace it writes doubled."""
    layout = braced(body)
    for slot in ("citation", "abstract", "url", "slides", "bibtex"):
        value = values.get(slot, "")
        if len(value) >= _SHORTEST_TITLE and braced(value) in layout:
            layout = layout.replace(braced(value), "{" + slot + "}")
    return layout


def _date_text(value: Any) -> str | None:
    text = _text(value) if not hasattr(value, "isoformat") else value.isoformat()[:10]
    return text if re.fullmatch(r"\d{4}(?:-\d{2}(?:-\d{2})?)?", text or "") else None


def _disagreements(kind: str, entry: Any, read: Any) -> list[tuple[str, str, str]]:
    """Where the about page's entry and a collection file's say different things: (what, page, file)."""
    found = []
    if isinstance(entry, Publication) and isinstance(read, Publication):
        if read.year and entry.year and str(read.year)[:4] != str(entry.year)[:4]:
            found.append(("year", str(entry.year), str(read.year)))
        page_venue, file_venue = plain_text(parse_markup(entry.venue or "")), plain_text(parse_markup(read.venue or ""))
        if file_venue and page_venue and not _same_venue(page_venue, file_venue):
            found.append(("venue", page_venue, file_venue))
        page_authors = [author.name for author in entry.author_list()]
        file_authors = [author.name for author in read.author_list()]
        if file_authors and page_authors and [title_key(name) for name in page_authors] != [
                title_key(name) for name in file_authors]:
            found.append(("authors", ", ".join(page_authors), ", ".join(file_authors)))
    elif (file_date := read.venues[0].date if isinstance(read, Talk) and read.venues else
          read.start if isinstance(read, GenericEntry) else None):
        page_dates = [venue.date for venue in entry.venues if venue.date] if isinstance(entry, Talk) else \
            [entry.start] if isinstance(entry, GenericEntry) and entry.start else []
        if page_dates and not any(_same_day(date, file_date) for date in page_dates):
            found.append(("date", ", ".join(page_dates), file_date))
    return found


def _same_day(first: str, second: str) -> bool:
    """Whether two dates can be the same day: equal in the parts both give ('Oct 2023' and 2023-10-12 can)."""
    try:
        one, two = parse_date(first), parse_date(second)
    except ValueError:
        return True  # words, not a date: nothing to compare
    return one.year == two.year and (one.month is None or two.month is None or one.month == two.month) and (
        one.day is None or two.day is None or one.day == two.day)


def _same_venue(page: str, file: str) -> bool:
    """Whether two venues are one written two ways: without the year either carries ('ICML 2024', 'ICML'), the
    words that only say it is a proceedings ('Proceedings of EMNLP', '… 논문집'), or a name in parentheses
    standing for the whole ('International Conference on Machine Learning (ICML)'); or one abbreviates the
    other word by word ('Phys. Rev. Lett.', 'Physical Review Letters'). An acronym for a name written out
    ('NeurIPS', 'Advances in Neural Information Processing Systems') is not told apart: import names it."""
    page, file = (_YEAR_IN_VENUE.sub(" ", venue) for venue in (page, file))
    return bool(_venue_forms(page) & _venue_forms(file)) or _abbreviates(page, file) or _abbreviates(file, page)


_YEAR_IN_VENUE = re.compile(r"['’]?\b(?:19|20)\d{2}\b")
_PROCEEDINGS_WORDS = re.compile(r"\b(?:proceedings|proc\.|of|the|in)\b|(?:학술발표)?논문집", re.IGNORECASE)


def _venue_forms(venue: str) -> set[str]:
    """A venue's name as names are matched, and each name it gives in parentheses."""
    forms = [re.sub(r"\([^()]*\)", " ", venue), *re.findall(r"\(([^()]*)\)", venue)]
    return {key for form in forms if (key := title_key(_PROCEEDINGS_WORDS.sub(" ", form)))}


def _abbreviates(short: str, long: str) -> bool:
    """Whether each word of `short` begins its word of `long`, and some end with a full stop ('Phys. Rev. B')."""
    shorts, longs = short.split(), long.split()
    return len(shorts) == len(longs) and any(word.endswith(".") for word in shorts) and all(
        title_key(full).startswith(title_key(word)) and title_key(word) for word, full in zip(shorts, longs,
                                                                                                strict=True))


def _line_of(text: str, title: str, after: int = 1) -> int:
    """The line of a text where a title (or a value) is first written from line `after` on (`after` when it cannot
    be found there)."""
    wanted = plain_text(parse_markup(title))[:40]
    start = 0
    for _ in range(after - 1):
        start = text.find("\n", start) + 1
    index = text.find(wanted, start)
    return text.count("\n", 0, index) + 1 if index >= 0 else after


def _line_of_key(text: str, key: str) -> int:
    match = re.search(rf"^{re.escape(key)}\s*:", text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else 1


def _as_layout(front: dict[str, Any], values: dict[str, str]) -> dict[str, Any]:
    """A file's front matter as a layout: each value its entry gives made a slot ('{title}'); a day whose year is
    the entry's made '{year}-MM-DD', a venue with the entry's year after it '{venue} {year}'; every other value
    as the file writes it."""
    layout: dict[str, Any] = {}
    for key, value in front.items():
        written = value.isoformat()[:10] if key == "date" and hasattr(value, "isoformat") else value
        slot = _KEY_SLOTS.get(key)
        if slot and isinstance(written, str) and values.get(slot) and written == values[slot]:
            layout[key] = "{" + slot + "}"
        elif key == "date" and isinstance(written, str) and values.get("year") and _DAY.fullmatch(written) \
                and written.startswith(values["year"]):
            layout[key] = "{year}" + written[4:]
        elif key == "venue" and values.get("venue") and values.get("year") \
                and written == f"{values['venue']} {values['year']}":
            layout[key] = "{venue} {year}"
        else:
            layout[key] = layout_literal(value)
    return layout


# The front-matter keys academicpages' collections write an entry's fields in, and the slot of each.
_KEY_SLOTS = {"title": "title", "venue": "venue", "date": "date", "paperurl": "url", "slidesurl": "slides",
              "bibtexurl": "bibtex", "citation": "citation", "type": "type", "location": "location",
              "excerpt": "abstract"}
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _own_citation(entry: Any, front: dict[str, Any], shared: EntryLayout | None, values: dict[str, str],
                  cv: CV) -> EntryLayout | None:
    """The layout of a file's own citation, when the collection's does not write it but its own, filled with the
    entry's fields, does (an author list with an Oxford comma, a volume after the venue): the file then keeps a
    slot, so an edit of the entry reaches its citation. None when the collection's writes it, or neither does."""
    citation = front.get("citation")
    if not isinstance(entry, Publication) or not isinstance(citation, str) or values.get("citation") == citation:
        return None
    # The venue and the volume as the citation writes them may not be the entry's ("Proceedings of the 42nd
    # International Conference on Machine Learning" for "ICML"): then they stay the citation's own text, and the
    # title, authors and year still follow the entry.
    for own_text in ((), ("venue",), ("venue", "details")):
        layout = citation_layout(citation, own_text)
        if layout is not None and shared is not None:
            layout = _with_list_form(layout, len(read_paper(_citation_text(citation)).authors), shared)
        for candidate in (layout, _without_marks(layout, entry)) if layout is not None else ():
            if candidate != shared and collection_values(entry, candidate, cv).get("citation") == citation:
                return candidate
    return None


def _without_marks(layout: EntryLayout, entry: Publication) -> EntryLayout:
    """A citation's layout that writes none of the marks the entry's authors have and the citation does not show
    (a corresponding author's star on the page, none in the citation)."""
    if layout.authors is None:
        return layout
    shown = layout.authors.marks
    hidden = {author.marks: "" for author in entry.author_list() if author.marks and author.marks not in shown}
    if not hidden:
        return layout
    quiet: EntryLayout = layout.model_copy(update={"authors": layout.authors.model_copy(
        update={"marks": {**shown, **hidden}})})
    return quiet


def _with_list_form(layout: EntryLayout, authors: int, shared: EntryLayout) -> EntryLayout:
    """A citation's layout with what its author list cannot show taken from the collection's: a list of one or two
    names says nothing of the separators of a longer one, a longer list nothing of a list of two."""
    own, common = layout.authors, shared.authors
    if own is None or common is None:
        return layout
    if authors <= 2:
        own = own.model_copy(update={"separator": common.separator, "last_separator": common.last_separator,
                                     "pair": own.last_separator if authors == 2 else common.pair})
    elif own.pair is None:
        own = own.model_copy(update={"pair": common.pair})
    completed: EntryLayout = layout.model_copy(update={"authors": own})
    return completed


_DIGIT = re.compile(r"\d")


def _citation_layout(citations: list[str]) -> EntryLayout | None:
    """The layout the collection's citations are written in, for a new file's: the first that can be derived from
    a list of three or more authors (which shows both separators), else the first, of those whose text outside
    the slots holds no number (a year, a volume or pages of their own would be wrong for another paper); with the
    separator between the two names of a list of two, where a citation shows it ('A and B' beside 'A, B, and
    C')."""
    derived = [(layout, len(read_paper(_citation_text(citation)).authors)) for citation in citations
               if (layout := citation_layout(citation)) is not None
               and not _DIGIT.search(SLOT_OR_BRACE.sub(" ", layout.template))]  # a year or pages of its own: no form
    if not derived:
        return None
    layout = next((layout for layout, authors in derived if authors >= 3), derived[0][0])
    pair = next((found.authors.last_separator for found, authors in derived if authors == 2 and found.authors), None)
    if layout.authors is not None and pair is not None and pair != layout.authors.last_separator:
        layout = layout.model_copy(update={"authors": layout.authors.model_copy(update={"pair": pair})})
    return layout


def citation_layout(citation: str, own_text: tuple[str, ...] = ()) -> EntryLayout | None:
    """A front matter's citation as a paper's layout, the fields named in `own_text` left as the citation's own
    text. academicpages writes it as HTML with its quotes as `&quot;`: it is read with them as quotes, and the
    layout writes them back as the citation did."""
    unquoted, text = _unquoted(citation), _citation_text(citation)
    quotes, ampersands = unquoted != citation, text != unquoted  # APA's "&amp; " before the last author
    fields = read_paper(text)
    for name in own_text:
        setattr(fields, name, None)
    layout = derive(text, fields) if fields.title and fields.authors else None
    if layout is not None and quotes:
        layout = layout.model_copy(update={"template": layout.template.replace('"', "&quot;")})
    if layout is not None and ampersands:
        layout = _with_entities(layout)
    return layout


_BARE_AMPERSAND = re.compile(r"&(?![a-zA-Z]+;|#\d+;|#x[0-9a-fA-F]+;)")


def _with_entities(layout: EntryLayout) -> EntryLayout:
    """A layout read from a citation whose '&' were written '&amp;', writing its own '&' so again."""
    def escaped(text: str) -> str:
        return _BARE_AMPERSAND.sub("&amp;", text)

    authors = layout.authors
    if authors is not None:
        authors = authors.model_copy(update={"separator": escaped(authors.separator),
                                             "last_separator": escaped(authors.last_separator),
                                             "pair": escaped(authors.pair) if authors.pair is not None else None})
    written: EntryLayout = layout.model_copy(update={"template": escaped(layout.template), "authors": authors})
    return written


def _citation_text(citation: str) -> str:
    """A citation's text as its fields are read: academicpages writes it as HTML, its quotes as `&quot;` and APA's
    '&' as `&amp;`."""
    text = _unquoted(citation)
    return text.replace("&amp;", "&") if "&amp;" in text and not _BARE_AMPERSAND.search(text) else text


def _unquoted(citation: str) -> str:
    """A citation whose quotes are all written `&quot;`, with them as quotes."""
    return citation.replace("&quot;", '"') if "&quot;" in citation and '"' not in citation else citation


def _style(paths: list[Path], fronts: list[dict[str, Any]], root: Path,
           citation: EntryLayout | None) -> CollectionStyle:
    """How a new file of the collection is written: the most common key order of its files' front matter, the
    values its files share, the file name and permalink forms, and the form of its citations."""
    orders = Counter(tuple(front) for front in fronts)
    keys = orders.most_common(1)[0][0] if orders else ()
    template: dict[str, Any] = {}
    for key in keys:
        shared = {repr(front.get(key)) for front in fronts}
        if key in _KEY_SLOTS:
            template[key] = "{" + _KEY_SLOTS[key] + "}"
        elif key == "permalink":
            template[key] = _permalink_form(paths, fronts) or fronts[0].get(key)
        elif len(shared) == 1:
            template[key] = layout_literal(fronts[0].get(key))
    name_form = "{date}-{slug}.md" if all(re.match(r"\d{4}-\d{2}-\d{2}-", path.name) for path in paths) \
        else "{slug}.md"
    return CollectionStyle(folder=str(paths[0].parent.relative_to(root)), file_name=name_form, front_matter=template,
                           citation=citation)


def _permalink_form(paths: list[Path], fronts: list[dict[str, Any]]) -> str | None:
    """The permalink form the files share, their name in it made '{name}' ('/publication/{name}')."""
    forms = {str(front.get("permalink", "")).replace(path.stem, "{name}") for path, front in zip(paths, fronts,
                                                                                                  strict=True)}
    return forms.pop() if len(forms) == 1 and "{name}" in next(iter(forms)) else None


__all__ = ["COLLECTIONS", "SiteImport", "collection_files", "import_site", "is_site", "title_key"]
