"""The typed CV: one class per entry kind, the only thing every other module shares."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from cvgen.dates import PartialDate, parse_date
from cvgen.errors import shown
from cvgen.records import Check, Field, JsonSchema, Record
from cvgen.urls import check_url, span_urls, url_problem

SCHEMA_URL = "https://cvgen.dev/schema/cv.schema.json"


def _check_date(text: str) -> str:
    parse_date(text)  # raises ValueError with the fix in its message
    return text


def _check_markup(text: str) -> str:
    if "\x00" in text:
        raise ValueError("text holds a NUL character")
    if "](" in text:  # a link: its URL follows the one URL policy
        from cvgen.markup import parse_markup

        for url in span_urls(parse_markup(text)):
            problem = url_problem(url)
            if problem:
                raise ValueError(f"the link to {shown(url)}: {problem}")
    return text


_MARKUP_DESCRIPTION = ("Text with inline markup: **bold**, _italic_, [text](url), ++underline++, ==highlight==; or "
                       "one such text per language: {en: …, ko: …}")
# cvgen.loader picks one language's text before the CV is checked; the schema lets editors accept the mapping.
LANGUAGE_PATTERN = r"^[a-z]{2}(-[A-Za-z0-9]{2,8})?$"
Markup = Annotated[
    str,
    Check(_check_markup),
    JsonSchema({"anyOf": [{"type": "string"}, {"type": "object", "propertyNames": {"pattern": LANGUAGE_PATTERN},
                                               "additionalProperties": {"type": "string"}}],
                "description": _MARKUP_DESCRIPTION}),
    Field(description=_MARKUP_DESCRIPTION),
]


def _check_language(text: str) -> str:
    from cvgen.locales import is_language

    if not is_language(text):
        raise ValueError(f"{shown(text)} is not a language code; use ISO 639-1, e.g. en, ko, zh, ja, de, fr, es "
                         "(with a region or script if you like: zh-Hant, pt-BR)")
    return text


Language = Annotated[str, Check(_check_language), Field(description="A language: en, ko, zh, ja, de, fr, es…")]
_DATE_DESCRIPTION = "A date: YYYY, YYYY-MM, YYYY-MM-DD, or as written ('Feb. 2022', 'Summer 2022', 'Present')"
# cvgen reads a plain `2021` as text, but editors read it as a number: the schema accepts both.
YEAR_OR_TEXT_SCHEMA: dict[str, Any] = {"anyOf": [{"type": "string"}, {"type": "integer"}]}
Date = Annotated[
    str,
    Check(_check_date),
    JsonSchema({**YEAR_OR_TEXT_SCHEMA, "description": _DATE_DESCRIPTION}),
    Field(description=_DATE_DESCRIPTION),
]
ServiceYear = Annotated[str, JsonSchema({**YEAR_OR_TEXT_SCHEMA, "description": "YYYY, or YYYY (note)"})]


def _check_site_path(text: str) -> str:
    """A path inside a Jekyll site: relative, with no '..', so that `cvgen site` writes only inside the site."""
    parts = text.split("/")
    if not text or text.startswith("/") or "\\" in text or "\x00" in text or any(
            part in ("", ".", "..") for part in parts) or re.match(r"[A-Za-z]:", text):
        raise ValueError(f"{text!r} is not a path inside the site; use a relative path such as 'files/cv.pdf', "
                         "without '..'")
    return text


SitePath = Annotated[
    str,
    Check(_check_site_path),
    Field(description="A file's path relative to the site's folder, without '..': 'files/cv.pdf'"),
]


Url = Annotated[
    str,
    Check(check_url),
    Field(description="A link: http(s)://…, mailto:…, tel:…, #fragment or a path relative to the page"),
]


def _check_template(text: str) -> str:
    if "{text}" not in text:
        raise ValueError(f"{shown(text)} must contain the placeholder {{text}}")
    return text


Wrapper = Annotated[
    str,
    Check(_check_template),
    Field(description="Homepage markup around a value, with {text} where the value goes"),
]


class Model(Record):
    """Base of every CV class: unknown keys are errors, so a typo never drops data."""


# --- homepage settings: how the owner's page writes things, captured at import ------------------------------


class SectionPage(Model):
    """How one section is written on the homepage (ignored by the LaTeX and PDF outputs)."""

    loose: bool = Field(False, description="Blank lines between list items (each item becomes a paragraph)")
    date_style: str | None = Field(
        None, description="strftime-like style (%Y %m %d %b %B) for dates written as YYYY-MM in this section"
    )
    range_separator: str = Field(" - ", description="Between the start and end of a period (where no layout says)")
    date_wrapper: Wrapper = Field("{text}", description="Markup around a date or period (where no layout says)")
    separator: str = Field(". ", description="Between a news item's date and its text (where no layout says)")
    prefix: str = Field("", description="Before each entry's text, e.g. '@ ' for talk venues")
    quoted_titles: bool = Field(False, description="Titles shown in double quotes (talks)")
    heading: Wrapper = Field(
        "## {text}", description="How the heading is written: '# {text}', '{text}\\n====' (setext); a trailing "
        "newline leaves a blank line after it"
    )
    bullet: str = Field("- ", description="The list marker before each entry; {n} counts from 1, e.g. '{n}. '")
    listed: bool = Field(False, description="News items written as list items rather than lines of one paragraph")
    indent: str | None = Field(
        None, description="Before the continuation lines of an entry and its nested list (default: none, and "
        "two spaces for a nested list)"
    )
    line_break: str | None = Field(None, description="How a line ends inside an entry here, if not as on the page")
    strong: Literal["**", "__", "<b>", "<strong>"] | None = Field(
        None, description="The bold marker here, if not as on the page"
    )
    link_template: str | None = Field(
        None, description="How links are written here, if not as on the page: '[{text}]({url})' or an HTML anchor "
        "with {url} and {text}"
    )
    link_separator: str = Field("\n", description="Between the [paper] [code] links of a publication")
    date_first: bool = Field(False, description="Awards start with their date and the separator (where no layout says)")
    paragraphs: bool = Field(False, description="Entries written as paragraphs a blank line apart, not as a list")
    lines: bool = Field(False, description="Entries written as the lines of one paragraph, each ending in the line "
                        "break ('2017 - 2021 Postdoc at …  '); news not `listed` are always")
    frame: Wrapper = Field("{text}", description="Around the section's entries: '<table>\\n{text}\\n</table>' when "
                           "they are the rows of one HTML table")
    between: str = Field("\n\n", description="Between two entries that are not items of one list: a blank line, or "
                         "a line break between table rows")
    layout: EntryLayout | None = Field(
        None, description="How the section's entries write their fields, captured at import; none writes them in "
        "cvgen's own style"
    )
    shown: bool = Field(True, description="Written on the page (false: a section only the site's collection files "
                        "show, such as papers the about page does not list)")
    in_cv: bool = Field(True, description="Shown in the PDFs and the web CV (false: a section of the site's CV page "
                        "that repeats one of the about page's, or lists a collection through Liquid)")


class AuthorsLayout(Model):
    """How an entry layout writes an author list."""

    separator: str = Field(", ", description="Between two names")
    last_separator: str = Field(", ", description="Before the last name, e.g. ' and '")
    pair: str | None = Field(None, description="Between the two names of a list of two, where not the last "
                             "separator: ' and ' beside ', and ' ('A and B', 'A, B, and C')")
    plain: str = Field("{name}{mark}", description="A co-author, with {name} and {mark} slots")
    emphasised: str = Field("**{name}**{mark}", description="The owner, with {name} and {mark} slots")
    marks: dict[str, str] = Field(
        default_factory=dict, description="How each mark is written after a name: {'*': '\\*', '†': '<sup>†</sup>'}"
    )
    owner_marks: dict[str, str] = Field(
        default_factory=dict, description="How a mark is written in the owner's form, where not as `marks` say: "
        "{'*': '*'} for '<u>Name*</u>' beside 'Co Author\\*'")
    legend: str | None = Field(None, description="Written after a list in which an author has the equal-contribution "
                               "mark: ' (\\*: equal contribution)'")
    owner_written: bool = Field(True, description="False for a list of co-authors that leaves the owner out: "
                                "'With A and B'")


class LinksLayout(Model):
    """How an entry layout writes a run of links."""

    link: str = Field(description="One link, with {label} and {url} slots: '[[{label}]]({url})'")
    site_link: str | None = Field(
        None, description="A link to a path of the site (/files/a.pdf), when the page writes it with the site's "
        "address: '[[{label}]]({{ site.url }}{url})'"
    )
    separator: str = Field(" ", description="Between two links")


class EntryLayout(Model):
    """How an entry is written on the homepage: its Markdown with a slot for each field ({title}, {authors},
    {venue}, {year}…; an optional part `{?, {details}?}` is written when its fields are given)."""

    template: str
    authors: AuthorsLayout | None = None
    links: LinksLayout | None = None
    detail: str | None = Field(
        None, description="How each detail line follows the entry, with {text}: '\\n  - {text}' for a nested list"
    )
    since: str | None = Field(
        None, description="Written before the start of a period that runs to the present, which the layout writes "
        "without its end: 'seit ' in '**seit {start}**: {role}'")


class EntryPage(Model):
    """How one entry is written on the homepage, where it differs from the rest of its section."""

    layout: EntryLayout
    block: bool = Field(False, description="Written as a block of its own (a paragraph, an HTML box) in a list")


class Homepage(Model):
    """Page-wide settings for `cvgen markdown`: the front matter and the page's own markup style."""

    front_matter: dict[str, Any] = Field(default_factory=dict, description="The Jekyll front matter, as data")
    line_break: str = Field(" \\\\", description="How a line ends inside an entry: ' \\\\', two spaces or <br>")
    link_style: str | None = Field(
        None, description="CSS of links written as HTML anchors; none writes Markdown links [text](url)"
    )
    owner: Wrapper = Field("**{text}**", description="Markup around the owner's name in author lists")
    venue: Wrapper = Field("**{text}**", description="Markup around a publication venue")
    award: Wrapper = Field("_{text}_", description="Markup around a publication award")
    highlight: Wrapper = Field("<mark>{text}</mark>", description="Markup for ==highlighted== text")
    equal_mark: str = Field("\\*", description="The mark after an equal contributor's name")
    owner_mark_inside: bool = Field(
        False, description="The owner's equal-contribution mark goes inside the owner markup, unescaped: <u>Name*</u>"
    )
    equal_legend: str = Field("(\\*: equal contribution)", description="Said after author lists that use the mark")
    link_template: str | None = Field(
        None, description="Links as an HTML anchor with {url} and {text}, e.g. '<a href=\"{url}\" target=\"_blank\">"
        "{text}</a>'; overrides link_style"
    )
    paper_title: Wrapper = Field("**{text}**", description="Markup around a publication title")
    emphasis: Literal["_", "*"] = Field("_", description="The italics marker")
    strong: Literal["**", "__", "<b>", "<strong>"] = Field(
        "**", description="The bold marker, or the HTML element a page writes bold text with"
    )
    line_ending: Literal["\n", "\r\n"] = Field("\n", description="The page's line ending")


class CollectionStyle(Model):
    """How a Jekyll collection writes the file of a new entry, taken from its files at import."""

    folder: SitePath = Field(description="The collection's folder: '_publications'")
    file_name: str = Field("{date}-{slug}.md", description="A new file's name: {date} (YYYY-MM-DD) and {slug}")
    front_matter: dict[str, Any] = Field(default_factory=dict, description="A new file's front matter, as a layout "
                                         "({slug} and {date} as in its name)")
    body: str = Field("", description="A new file's body, as a layout")
    citation: EntryLayout | None = Field(None, description="How the files' `citation` writes a paper, as a layout")


class Design(Model):
    """The look of the LaTeX and PDF outputs."""

    theme: str = Field("classic", description="Theme name (a folder under templates/<format>/themes)")
    paper: Literal["a4", "letter"] = Field("a4", description="Paper size")
    engine: Literal["pdflatex", "xelatex"] | None = Field(None, description="The LaTeX engine (--engine overrides it; "
                                                          "default: the one the CV's characters need)")
    templates: list[str] = Field(
        default_factory=list,
        description="Template folders searched before the built-in ones (after --templates); relative paths are "
        "relative to the CV file's folder",
    )


OutputName = Literal["latex", "pdf", "html", "markdown", "site"]


class Variant(Model):
    """One shape of the CV (`cvgen build --variant NAME`, into a folder of that name in the output folder): which
    sections, which entries, and how it looks."""

    description: str | None = Field(None, description="What it is for, e.g. 'Two pages for job applications'")
    sections: list[str] | None = Field(None, description="The sections it shows, in this order, each named by its "
                                       "id, its heading or its kind (default: every section, in the CV's order)")
    tags: list[str] | None = Field(None, description="Only entries carrying one of these tags, in a section that "
                                   "tags any of its entries (a section that tags none is shown whole)")
    selected: bool = Field(False, description="Only the entries marked `selected: true`, in a section that marks any")
    limit: int | None = Field(None, description="At most this many entries in each section (1 or more)")
    limits: dict[str, int] = Field(default_factory=dict, description="At most this many entries in a section named "
                                   "by its id, heading or kind, e.g. {publications: 5}")
    sort: Literal["as written", "newest first"] | None = Field(None, description="The order of the entries in "
                                                               "every section (default: each section's own)")
    theme: str | None = Field(None, description="Its theme (default: design.theme)")
    paper: Literal["a4", "letter"] | None = Field(None, description="Its paper size (default: design.paper)")
    engine: Literal["pdflatex", "xelatex"] | None = Field(None, description="Its LaTeX engine (default: the one "
                                                          "the CV's characters need)")
    formats: list[OutputName] | None = Field(None, description="The outputs it makes (default: latex, pdf and html)")
    language: Language | None = Field(None, description="Its language (default: the CV's `language`)")


class Output(Model):
    """What `cvgen build` makes, and where."""

    folder: str | None = Field(None, description="The folder `cvgen build` writes into (-o overrides it), relative "
                               "to the CV file's folder; default: out/ in the folder cvgen runs in")
    formats: list[OutputName] | None = Field(None, description="The outputs `cvgen build` makes; default: latex, pdf, "
                                             "html and markdown, or latex, pdf, html and site for a CV with `site`")
    site: str | None = Field(None, description="The folder of the Jekyll site the CV was read from, relative to the "
                             "CV file's folder: `cvgen build` writes its pages, collection files and PDF")


# --- entries ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Author:
    """One author of a publication, as parsed from its shorthand string."""

    name: str
    equal: bool
    marks: str = ""  # every mark after the name as the YAML writes them, the equal-contribution * among them


# Marks an author list puts after a name: * for equal contribution, and others a page explains itself.
AUTHOR_MARKS = "*†‡§¶#"
# What a legend says an author list's equal-contribution mark means ("(*: equal contribution)"), as a pattern.
EQUAL_CONTRIBUTION = (r"(?:equal(?:ly)?\s+contribut(?:ions?|ed|ing|ors?)"
                      r"|(?:these|the)\s+authors\s+contributed\s+equally)")
_ESCAPED_MARK = re.compile(r"\\([*†‡§¶#])")


def written_author(name: str, marks: str = "") -> str:
    """An author as the YAML writes one: the marks' characters in the name escaped (\\*), then its marks."""
    return re.sub(r"([*†‡§¶#])", r"\\\1", name) + marks


class Tagged(Model):
    """What every entry may carry for the variants that pick entries (`variants:`)."""

    selected: bool = Field(False, description="Shown by a variant with `selected: true` (in a section that selects "
                           "any of its entries)")
    tags: list[str] = Field(default_factory=list, description="Words a variant picks entries by, e.g. [ml, teaching]")


class Link(Model):
    """A labelled link, such as [paper] or [code]."""

    label: Markup
    url: Url


class NewsItem(Tagged):
    """A dated news line."""

    date: Date
    text: Markup
    homepage: EntryPage | None = Field(None, description="How the homepage writes this entry, if not as its section")


_JSON_RESUME_DESCRIPTION = ("Its JSON Resume object as the file wrote it (the older names of academicpages' cv.json "
                            "read as the schema's), so that an export gives back what the CV does not type; a field "
                            "the CV types is written from the CV wherever the CV now says something else")


class Degree(Tagged):
    """A degree in the education section."""

    degree: Markup
    field: Markup | None = None
    institution: Markup
    location: Markup | None = None
    start: Date | None = None
    end: Date | None = None
    note: Markup | None = None
    details: list[Markup] = Field(default_factory=list, description="Lines under it: a thesis, a GPA, an achievement")
    homepage: EntryPage | None = Field(None, description="How the homepage writes this entry, if not as its section")
    jsonresume: dict[str, Any] | None = Field(None, description=_JSON_RESUME_DESCRIPTION)


class CollectionFile(Model):
    """One file of a Jekyll collection that shows an entry (a paper's page in `_publications/`), as the site writes
    it: its front matter is a layout, each string value that is a slot (`'{title}'`, `'{year}-10-01'`) filled from
    the entry, every other value written as it stands."""

    path: SitePath = Field(
        description="The file, relative to the site: '_publications/2009-10-01-paper-title-number-1.md'"
    )
    front_matter: dict[str, Any] = Field(
        default_factory=dict, description="The front matter, keys in order; '{title}', '{venue}', '{year}', '{url}', "
        "'{date}', '{citation}'… are filled from the entry, other values are the file's own"
    )
    body: str = Field("", description="The Markdown after the front matter, as a layout: {abstract}, {citation}, "
                      "{url}… stand for its entry's values, and a brace the file writes is doubled (a file of "
                      "`site.files`, kept as written, holds its body as it stands)")
    line_ending: Literal["\n", "\r\n"] = Field("\n", description="The file's line ending")
    citation: EntryLayout | None = Field(None, description="How this file's `citation` writes its paper, where not "
                                         "as its collection's other files")


class SiteEntry(Model):
    """Where a Jekyll site shows an entry besides its section's page. An entry without this block is new: the site
    shows it on the about page and gives it a collection file. `site: {}` is its page only, with no file."""

    file: CollectionFile | None = Field(None, description="Its collection file, if it has one")
    on_page: bool = Field(True, description="Written on the page its section is on (false: shown by its collection "
                          "file and the CV only)")


class BibtexRecord(Model):
    """A paper as a BibTeX file writes it, so that an export gives it back: its key, its type and every field as
    written (string macros expanded); a field the CV types is written from the CV where the CV says otherwise."""

    key: str = Field(description="The entry's key, e.g. lee2021help")
    type: str = Field("misc", description="The entry's type, e.g. inproceedings, article, misc")
    fields: dict[str, str] = Field(default_factory=dict, description="Every field as the file writes it")


class Publication(Tagged):
    """A paper: label, title, ordered authors, venue, details, year, award, note and links."""

    label: Markup | None = Field(None, description="The paper's label on the page, e.g. C13 (shown as [C13])")
    title: Markup
    url: Url | None = Field(None, description="Where the title links to")
    authors: list[str] = Field(
        description="Author names in order; a trailing * marks equal contribution (\\* for a literal star), "
        "and † ‡ § ¶ # other marks the page explains"
    )
    venue: Markup | None = None
    details: Markup | None = Field(None, description="Volume, issue and pages as written, e.g. 12(3), 455-489")
    year: Date | None = None
    award: Markup | None = Field(None, description="Award or presentation type, e.g. Spotlight Presentation")
    note: Markup | None = Field(None, description="E.g. the acceptance rate")
    links: list[Link] = Field(default_factory=list)
    highlights: list[Markup] = Field(
        default_factory=list, description="Lines under the paper, such as its contributions or a remark"
    )
    abstract: Markup | None = Field(None, description="A summary of it, as the Jekyll site's collection file gives it "
                                    "(its `excerpt`); shown under it in the PDFs and the web CV")
    homepage: EntryPage | None = Field(None, description="How the homepage writes this entry, if not as its section")
    site: SiteEntry | None = Field(None, description="Where the Jekyll site shows it besides the about page")
    bibtex: BibtexRecord | None = Field(None, description="Its BibTeX entry, when it came from a .bib file")
    jsonresume: dict[str, Any] | None = Field(None, description=_JSON_RESUME_DESCRIPTION)

    def author_list(self) -> list[Author]:
        """The authors with their marks split off (a mark written with a backslash, \\*, is part of the name)."""
        authors = []
        for raw in self.authors:
            name = raw.rstrip()
            marks = ""
            while name and name[-1] in AUTHOR_MARKS and not (len(name) > 1 and name[-2] == "\\"):
                marks, name = name[-1] + marks, name[:-1].rstrip()
            authors.append(Author(_ESCAPED_MARK.sub(r"\1", name).strip(), "*" in marks, marks))
        return authors


class GenericEntry(Tagged):
    """An entry of a section cvgen has no kind for, or written otherwise than its kind: its text, its dates, its
    links and the lines under it."""

    label: Markup | None = Field(None, description="A one-line entry's label: Methods in 'Methods: interviews, …'")
    title: Markup = Field(description="The entry's text, its dates taken out")
    subtitle: Markup | None = Field(None, description="Its text after its dates, when they stand between two parts")
    location: Markup | None = Field(None, description="Where it took place, e.g. 'Lisbon, Portugal'")
    start: Date | None = Field(None, description="Its date, or the start of its period")
    end: Date | None = None
    when: Markup | None = Field(None, description="Dates that are not one period, e.g. 'Fall 2023, Fall 2024' (shown "
                                "as its period, or beside its dates)")
    links: list[Link] = Field(default_factory=list, description="Links after its text: [(Link)](…), [[slides]](…)")
    details: list[Markup] = Field(default_factory=list, description="Lines under the entry: a thesis, a result…")
    abstract: Markup | None = Field(None, description="A summary of it, as the Jekyll site's collection file gives it "
                                    "(its `excerpt`); shown under it in the PDFs and the web CV")
    homepage: EntryPage | None = Field(None, description="How the homepage writes this entry, if not as its section")
    jsonresume: dict[str, Any] | None = Field(None, description=_JSON_RESUME_DESCRIPTION)
    site: SiteEntry | None = Field(None, description="The Jekyll site's collection file of this entry, if it has one")


class RawEntry(Tagged):
    """An entry cvgen could not type, kept in its place as the page writes it (one odd entry never turns its
    section into raw text)."""

    raw: str = Field(description="The entry's Markdown exactly as on the page, its list marker included")


class Position(Tagged):
    """A job, internship or other position."""

    role: Markup
    organization: Markup
    location: Markup | None = None
    start: Date | None = None
    end: Date | None = None
    when: Markup | None = Field(None, description="A period that is not a date range, e.g. 'expected at Summer 2022'")
    details: list[Markup] = Field(default_factory=list, description="Lines under it: a thesis, a GPA, an achievement")
    homepage: EntryPage | None = Field(None, description="How the homepage writes this entry, if not as its section")
    jsonresume: dict[str, Any] | None = Field(None, description=_JSON_RESUME_DESCRIPTION)


class Award(Tagged):
    """An award, honour, grant or fellowship."""

    title: Markup
    detail: Markup | None = Field(None, description="E.g. the sponsor")
    date: Date | None = None
    url: Url | None = None
    details: list[Markup] = Field(default_factory=list, description="Lines under it: a thesis, a GPA, an achievement")
    homepage: EntryPage | None = Field(None, description="How the homepage writes this entry, if not as its section")
    jsonresume: dict[str, Any] | None = Field(None, description=_JSON_RESUME_DESCRIPTION)


class TalkVenue(Model):
    """Where and when a talk was given, and as what."""

    venue: Markup
    date: Date | None = None
    type: Markup | None = Field(None, description="What it was: 'Invited talk', 'Tutorial', 'Poster'")
    location: Markup | None = Field(None, description="E.g. 'Berkeley, CA, USA'")


class Talk(Tagged):
    """A talk given at one or more venues."""

    title: Markup
    venues: list[TalkVenue] = Field(default_factory=list)
    abstract: Markup | None = Field(None, description="A summary of it, as the Jekyll site's collection file gives it "
                                    "(its `excerpt`); shown under it in the PDFs and the web CV")
    site: SiteEntry | None = Field(None, description="Where the Jekyll site shows it besides the about page")
    homepage: EntryPage | None = Field(None, description="How the homepage writes this entry, if not as its section")


class Article(Tagged):
    """A press article about the owner's work."""

    title: Markup
    url: Url | None = None
    outlet: Markup | None = None
    date: Date | None = None
    homepage: EntryPage | None = Field(None, description="How the homepage writes this entry, if not as its section")


class ServiceEntry(Model):
    """A conference or journal served, with the years and notes such as 'expert'."""

    venue: Markup
    short: Markup | None = Field(None, description="The acronym, e.g. ICML")
    years: list[ServiceYear] = Field(
        default_factory=list, description="Years served, each YYYY with an optional note: '2021 (expert)'"
    )


class ServiceGroup(Model):
    """A group of service entries, such as conference or journal reviewing."""

    title: Markup | None = None
    entries: list[ServiceEntry]


class Project(Tagged):
    """A funded or collaborative project."""

    title: Markup
    sponsor: Markup | None = None
    start: Date | None = None
    end: Date | None = None
    homepage: EntryPage | None = Field(None, description="How the homepage writes this entry, if not as its section")


# --- sections ---------------------------------------------------------------------------------------------------


class SectionBase(Model):
    """What every section has: a heading (none for the opening prose), an order, and homepage settings."""

    title: Markup | None = Field(None, description="The heading; none for text that opens the page")
    id: str | None = Field(None, description="A name variants pick the section by (besides its heading and kind)")
    sort: Literal["as written", "newest first"] = Field(
        "as written", description="The order of its entries in every output: as written, or newest first (by the "
        "latest date each names; undated entries after the dated ones, in their order)")
    group: bool = Field(False, description="A group inside the section before it (a sub-heading such as '### 2024' "
                        "or '### Journal articles'): its heading is shown one level down")
    homepage: SectionPage = Field(default_factory=SectionPage)


class TextSection(SectionBase):
    """Paragraphs of prose, such as the introduction."""

    kind: Literal["text"]
    paragraphs: list[Markup]


class InterestsSection(SectionBase):
    """Research interests: an optional lead-in line and a list."""

    kind: Literal["interests"]
    intro: Markup | None = None
    items: list[Markup]


class NewsSection(SectionBase):
    """Dated news items, newest first as written."""

    kind: Literal["news"]
    items: list[Annotated[NewsItem | RawEntry, Field(marker="raw")]]


class EducationSection(SectionBase):
    """Degrees."""

    kind: Literal["education"]
    items: list[Annotated[Degree | RawEntry, Field(marker="raw")]]


class PublicationsSection(SectionBase):
    """Publications."""

    kind: Literal["publications"]
    items: list[Annotated[Publication | RawEntry, Field(marker="raw")]]


class ExperienceSection(SectionBase):
    """Positions and internships."""

    kind: Literal["experience"]
    items: list[Annotated[Position | RawEntry, Field(marker="raw")]]


class AwardsSection(SectionBase):
    """Awards and honours."""

    kind: Literal["awards"]
    items: list[Annotated[Award | RawEntry, Field(marker="raw")]]


class TalksSection(SectionBase):
    """Talks."""

    kind: Literal["talks"]
    items: list[Annotated[Talk | RawEntry, Field(marker="raw")]]


class PressSection(SectionBase):
    """Press articles."""

    kind: Literal["press"]
    items: list[Annotated[Article | RawEntry, Field(marker="raw")]]


class ServiceSection(SectionBase):
    """Academic service: groups of reviewing entries."""

    kind: Literal["service"]
    groups: list[ServiceGroup]


class ProjectsSection(SectionBase):
    """Projects."""

    kind: Literal["projects"]
    items: list[Annotated[Project | RawEntry, Field(marker="raw")]]


class EntriesSection(SectionBase):
    """Entries of a heading cvgen has no kind for (or written otherwise than its kind), typed by their content."""

    kind: Literal["entries"]
    items: list[Annotated[GenericEntry | RawEntry, Field(marker="raw")]]


class RawSection(SectionBase):
    """Homepage Markdown kept verbatim, because cvgen does not understand it as CV data."""

    kind: Literal["raw"]
    markdown: str = Field(description="Kramdown Markdown, copied to the page as is and shown as text elsewhere")


Section = Annotated[
    TextSection
    | InterestsSection
    | NewsSection
    | EducationSection
    | PublicationsSection
    | ExperienceSection
    | AwardsSection
    | TalksSection
    | PressSection
    | ServiceSection
    | ProjectsSection
    | EntriesSection
    | RawSection,
    Field(discriminator="kind"),
]

SECTION_KINDS: tuple[str, ...] = (
    "text", "interests", "news", "education", "publications", "experience", "awards", "talks", "press",
    "service", "projects", "entries", "raw",
)


class SitePage(Model):
    """A page of the site besides the about page that holds CV content (the CV page), as cvgen writes it: its
    sections, each with its page settings; a section the CV's other outputs show says so (`in_cv`)."""

    path: SitePath = Field(description="The page's file, relative to the site: '_pages/cv.md'")
    homepage: Homepage = Field(default_factory=Homepage, description="The page's front matter and markup style")
    sections: list[Section]


class Site(Model):
    """A whole Jekyll site: its about page, its CV page, the files its collections keep as written, and how each
    collection writes the file of a new entry."""

    about_page: SitePath = Field("_pages/about.md", description="The about page's file, relative to the site")
    publications: CollectionStyle | None = Field(None, description="The collection of papers (`_publications`)")
    talks: CollectionStyle | None = Field(None, description="The collection of talks (`_talks`)")
    teaching: CollectionStyle | None = Field(None, description="The collection of courses taught (`_teaching`)")
    portfolio: CollectionStyle | None = Field(None, description="The collection of projects (`_portfolio`)")
    files: list[CollectionFile] = Field(
        default_factory=list, description="Collection files written as they stand: their entry is on the about page "
        "as raw Markdown, which the CV shows"
    )
    cv_pdf: SitePath | None = Field(None, description="Where the site links its PDF CV ('files/cv.pdf'): `cvgen site` "
                               "writes the CV's PDF there")
    pages: list[SitePage] = Field(default_factory=list, description="The site's other pages that hold CV content "
                                  "(its CV page, `_pages/cv.md`), written in their own style")

    def collection(self, kind: str) -> CollectionStyle | None:
        """The collection that shows entries of a kind (publications, talks), if the site has one."""
        style: CollectionStyle | None = getattr(self, kind, None) if kind in (
            "publications", "talks", "teaching", "portfolio") else None
        return style


class CV(Model):
    """An academic CV: the owner, page and design settings, and the sections in order."""

    name: str = Field(description="The owner's name, highlighted in author lists")
    language: Language = Field("en", description="The language of the CV: cvgen writes its dates, the usual "
                               "headings and its own words in it, and shows a text written per language "
                               "({en: …, ko: …}) in it (a variant may pick another)")
    name_variants: list[str] = Field(
        default_factory=list, description="Other spellings of the owner's name in author lists"
    )
    headline: Markup | None = Field(None, description="E.g. 'Ph.D. student, KAIST'")
    affiliation: Markup | None = Field(None, description="The employer or institution, e.g. 'University of Bologna'")
    location: Markup | None = Field(None, description="E.g. 'Bologna, Italy'")
    email: str | None = None
    website: Url | None = None
    profiles: list[Link] = Field(
        default_factory=list, description="Profile links shown on the contact line: Google Scholar, ORCID, GitHub…"
    )
    keywords: list[str] = Field(default_factory=list, description="For PDF metadata")
    design: Design = Field(default_factory=Design)
    output: Output = Field(default_factory=Output)
    variants: dict[str, Variant] = Field(default_factory=dict, description="Shapes of the CV by name, each made by "
                                         "`cvgen build --variant NAME` (`resume` is built in: see the README)")
    homepage: Homepage = Field(default_factory=Homepage)
    sections: list[Section]
    site: Site | None = Field(None, description="The Jekyll site the CV came from, when it came from a whole site")
    jsonresume: dict[str, Any] | None = Field(None, description="The JSON Resume document's `$schema`, `basics`, "
                                              "`meta` and any other part cvgen has no section for, as the file "
                                              "wrote them, so that an export gives them back; a field the CV types "
                                              "is written from the CV wherever the CV now says something else")

    def is_owner(self, author_name: str) -> bool:
        """Whether an author name is the owner's."""
        return fold_name(author_name) in owner_names(self.name, tuple(self.name_variants))

    def date(self, text: str) -> PartialDate:
        """Parse a date field (already validated)."""
        return parse_date(text)

    def all_text(self) -> Iterator[str]:
        """Every user string the CV shows, for tests that check that every fact reaches every output (what only the
        site's files show is not among them)."""
        settings = {"homepage", "design", "output", "variants", "site", "sections", "language", "jsonresume"}
        yield from _strings(self.model_dump(exclude=settings))
        for _, section in self.cv_sections():
            yield from _strings(section.model_dump())

    def cv_sections(self) -> list[tuple[tuple[str | int, ...], Section]]:
        """The sections the PDFs and the web CV show, each with its path in the YAML (`("sections", 3)`), in order:
        the about page's (a section of the site's CV page in the place of the about page's section it repeats, where
        the CV shows the CV page's, `in_cv`); then the CV page's own, in its order, a section that lists a
        collection through Liquid standing for the section of that collection's entries; then the sections of
        collection entries no page lists. Without a CV page, every section stands where it is (a section the about
        page does not show among them)."""
        about = list(enumerate(self.sections))
        pages = [(("site", "pages", number, "sections", index), section)
                 for number, page in enumerate(self.site.pages if self.site else [])
                 for index, section in enumerate(page.sections)]
        replaced: set[int] = set()  # page sections shown in the place of an about page's section
        shown: list[tuple[tuple[str | int, ...], Section]] = []
        for index, section in about:
            if not section.homepage.shown and pages:
                continue  # a collection's entries no page lists: placed with the CV page's below
            if section.homepage.in_cv:
                shown.append((("sections", index), section))
                continue
            replacement = next((number for number, (_, page_section) in enumerate(pages) if number not in replaced
                                and page_section.homepage.in_cv and same_section(page_section, section)), None)
            if replacement is not None:
                replaced.add(replacement)
                shown.append(pages[replacement])
        listed: set[int] = set()  # collection sections placed where the CV page lists them
        for number, (path, section) in enumerate(pages):
            if number in replaced:
                continue
            if section.homepage.in_cv:
                shown.append((path, section))
                continue
            collection = next((index for index, other in about if not other.homepage.shown and other.homepage.in_cv
                               and index not in listed and heading_key(other.title) == heading_key(section.title)),
                              None)
            if collection is not None:
                listed.add(collection)
                shown.append((("sections", collection), self.sections[collection]))
        shown += [(("sections", index), section) for index, section in about
                  if pages and not section.homepage.shown and section.homepage.in_cv and index not in listed]
        return shown


def same_section(first: SectionBase, second: SectionBase) -> bool:
    """Whether two sections (of two pages) are the same part of a CV: of one kind, and for sections of entries, text
    or raw Markdown, under the same heading (letters and digits compared)."""
    if first.kind != second.kind:  # type: ignore[attr-defined]
        return False
    if first.kind in ("entries", "raw", "text"):  # type: ignore[attr-defined]
        return heading_key(first.title) == heading_key(second.title)
    return True


def heading_key(title: str | None) -> str:
    """A heading as two pages' headings are compared: the letters and digits of its text, case folded."""
    from cvgen.markup import parse_markup, plain_text

    text = plain_text(parse_markup(title)) if title else ""
    return "".join(character for character in text.casefold() if character.isalnum())


def fold_name(name: str) -> str:
    """A name as names are compared: spaces made single, case folded, and a name written surname first, as Chicago
    writes a first author ("Carrasco, Inés"), turned round ("inés carrasco")."""
    folded = _SPACES.sub(" ", name).strip().casefold()
    surname, comma, given = folded.partition(", ")
    return f"{given} {surname}" if comma and given and "," not in given else folded


_SPACES = re.compile(r"\s+")


@functools.lru_cache(maxsize=64)
def owner_names(name: str, variants: tuple[str, ...]) -> frozenset[str]:
    """The owner's names as names are compared (a CV's authors are compared with them thousands of times): each
    spelling, and each with its given names as initials, as APA writes them ("Carrasco, I.", "Lee, H. B.")."""
    folded = {fold_name(spelling) for spelling in (name, *variants) if spelling}
    return frozenset(folded | {initials for spelling in folded if (initials := _with_initials(spelling))})


def _with_initials(folded: str) -> str | None:
    """A folded name with its given names as initials ("inés carrasco" → "i. carrasco"); None for a name of one
    word, or of a script without initials."""
    words = folded.split(" ")
    if len(words) < 2 or not all(word[:1].isalpha() and word[0] < "\u2e80" for word in words):  # not CJK
        return None
    return " ".join([*(word[0] + "." for word in words[:-1]), words[-1]])


# Keys of settings rather than facts: how the homepage and site write an entry, a section's id and order, the tags
# variants pick entries by.
_NOT_SHOWN = frozenset({"kind", "homepage", "site", "id", "sort", "tags", "language", "bibtex", "jsonresume"})


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in _NOT_SHOWN:
                yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
