"""CV → the files of the Jekyll site it came from: the about page and every collection file, as text by path.

A collection file is written from its layout (`CollectionFile`): each front-matter value that is a slot
(`'{title}'`, `'{year}-10-01'`) filled from its entry, every other value and the body as the file wrote them. An
entry the site has not placed yet (one added to the YAML) is shown on the about page and gets a new file in its
collection, written in the form the collection's files share (`CollectionStyle`). Nothing here touches the disk:
`cvgen.cli` writes each file atomically, and only where it would read differently.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from typing import Any

from cvgen.dates import parse_date
from cvgen.dump import dump_yaml
from cvgen.markup import markup_text, parse_markup, plain_text, title_key
from cvgen.model import (
    CV,
    CollectionFile,
    CollectionStyle,
    EntryLayout,
    GenericEntry,
    Publication,
    RawEntry,
    Section,
    Talk,
)
from cvgen.slots import AuthorField, PaperFields, fill, fill_slots

# A front-matter value that is a slot, filled from its entry: the whole value ('{title}'), a day of the entry's year
# ('{year}-10-01'), or the venue and the year. Any other value is the file's own and is written as it stands (one
# that reads as a slot is held in one more pair of braces: `layout_literal`).
_SLOT = re.compile(r"\{(title|venue|year|date|url|slides|bibtex|citation|type|location|abstract)\}")
_SLOT_VALUE = re.compile(r"\{(?:title|venue|date|url|slides|bibtex|citation|type|location|abstract)\}"
                         r"|\{year\}(?:-\d{2}-\d{2})?|\{venue\} \{year\}")  # 'ICML 2024' for the venue ICML
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_KINDS = {Publication: "publications", Talk: "talks"}


def ascii_words(text: str) -> list[str]:
    """A text's words in lower-case ASCII letters and digits, accents dropped ('Müller' → ['muller'])."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.findall(r"[a-z0-9]+", folded)


def slug(text: str) -> str:
    """A title as a file name: ASCII letters and digits, words joined by hyphens, at most 60 characters."""
    joined = "-".join(ascii_words(text))[:60].rstrip("-")
    return joined or "entry"


def _link(publication: Publication, *labels: str) -> str:
    return next((link.url for link in publication.links if markup_text(link.label).casefold() in labels), "")


def collection_values(entry: Publication | Talk | GenericEntry, citation: EntryLayout | None,
                      cv: CV | None = None) -> dict[str, str]:
    """An entry's values as its collection file's front matter writes them (plain text, as the theme shows it).
    An entry of a heading cvgen has no kind for (a course, a project) gives its text, subtitle, place and date."""
    if isinstance(entry, GenericEntry):
        return {"title": markup_text(entry.title), "venue": markup_text(entry.subtitle), "date": _iso(entry.start),
                "location": markup_text(entry.location), "abstract": markup_text(entry.abstract)}
    if isinstance(entry, Talk):
        venue = entry.venues[0] if len(entry.venues) == 1 else None
        date = _iso(venue.date if venue else None)
        return {"title": markup_text(entry.title), "venue": markup_text(venue.venue) if venue else "", "date": date,
                "year": date[:4], "type": markup_text(venue.type) if venue else "",
                "location": markup_text(venue.location) if venue else "", "abstract": markup_text(entry.abstract)}
    year = str(entry.year)[:4] if entry.year else ""
    values = {"title": markup_text(entry.title), "venue": markup_text(entry.venue), "year": year,
              "date": f"{year}-01-01" if year else "", "url": entry.url or _link(entry, "paper", "pdf"),
              "slides": _link(entry, "slides"), "bibtex": _link(entry, "bibtex", "bib"),
              "abstract": markup_text(entry.abstract)}
    values["citation"] = _citation(entry, citation, cv) if citation is not None else ""
    return values


def _iso(date: str | None) -> str:
    """A date as front matter writes it, YYYY-MM-DD ('5 March 2024' is 2024-03-05); as written where it is no day,
    month or year (a season)."""
    return (parse_date(date).iso() or date) if date else ""


def _citation(entry: Publication, layout: EntryLayout, cv: CV | None) -> str:
    """A paper's citation in the layout of the collection's citations."""
    fields = PaperFields(
        title=markup_text(entry.title), venue=markup_text(entry.venue) or None,
        year=str(entry.year)[:4] if entry.year else None,
        details=markup_text(entry.details) or None,
        authors=[AuthorField(author.name, author.marks, bool(cv and cv.is_owner(author.name)))
                 for author in entry.author_list()])
    return fill(layout, fields)


def is_slot_value(value: str) -> bool:
    """Whether a front-matter value is a slot that its entry fills ('{title}', '{year}-10-01')."""
    return _SLOT_VALUE.fullmatch(value) is not None


# A slot inside braces of its own, as many pairs around it as inside it: a file's own text that reads as a slot.
_BRACED_SLOT = re.compile(r"(\{*)(" + _SLOT_VALUE.pattern + r")(\}*)")


def layout_literal(value: Any) -> Any:
    """A file's own front-matter value as its layout holds it: a text that would read as a slot ('{title}', as a
    file may write it) gets one more pair of braces, so that it is written back as the file wrote it, never
    filled; any other value as it stands."""
    found = _BRACED_SLOT.fullmatch(value) if isinstance(value, str) else None
    return "{" + value + "}" if found and len(found.group(1)) == len(found.group(3)) else value


def _written_literal(value: Any) -> Any:
    """A value of a front-matter layout that is no slot, as the file writes it (see `layout_literal`)."""
    found = _BRACED_SLOT.fullmatch(value) if isinstance(value, str) else None
    return value[1:-1] if found and len(found.group(1)) == len(found.group(3)) >= 1 else value


def fill_front_matter(layout: dict[str, Any], values: dict[str, str]) -> dict[str, Any]:
    """A front matter layout filled: each value that is a slot replaced by the entry's value; a date written as a
    day is a date again (as Jekyll reads it); a slot left empty is null; the file's own values as it wrote them."""
    filled: dict[str, Any] = {}
    for key, value in layout.items():
        if not (isinstance(value, str) and is_slot_value(value)):
            filled[key] = _written_literal(value)
            continue
        text = _SLOT.sub(lambda match: values.get(match.group(1), ""), value)
        if key == "date" and _ISO_DAY.fullmatch(text):
            filled[key] = datetime.date.fromisoformat(text)
        else:
            filled[key] = text if text and not text.startswith("-") else None
    return filled


def collection_file_text(file: CollectionFile, values: dict[str, str] | None) -> str:
    """A collection file as the site writes it: its front matter and body filled with its entry's values, or as it
    stands (`values` None: a file the site keeps as written)."""
    front = fill_front_matter(file.front_matter, values) if values is not None else file.front_matter
    body = fill_slots(file.body, values) if values is not None else file.body
    text = "---\n" + (dump_yaml(front) if front else "") + "---\n" + body
    return text.replace("\n", file.line_ending)


def new_collection_file(style: CollectionStyle, entry: Publication | Talk, values: dict[str, str],
                        taken: set[str]) -> CollectionFile:
    """The file of an entry new to the site, in the form its collection's files share; its name not one of `taken`."""
    date = values.get("date") or ""
    day = date if _ISO_DAY.fullmatch(date) else (date + "-01-01")[:10] if date else ""
    stem = style.file_name.removesuffix(".md").replace("{date}", day).replace("{slug}", slug(values["title"]))
    stem = stem.strip("-")
    path, number = f"{style.folder}/{stem}.md", 2
    while path in taken:
        path, number = f"{style.folder}/{stem}-{number}.md", number + 1
    name = path.rsplit("/", 1)[1].removesuffix(".md")
    front = {key: value.replace("{name}", name) if key == "permalink" and isinstance(value, str) else value
             for key, value in style.front_matter.items()}
    return CollectionFile(path=path, front_matter=front, body=style.body)


# The author block's keys cvgen writes from the CV's header, and the header's field for each.
CONFIG_KEYS = {"name": "name", "bio": "headline", "employer": "affiliation", "location": "location", "email": "email"}
_BLOCK_START = re.compile(r"^author\s*:\s*(?:#.*)?$")
_KEY_LINE = re.compile(r"^(?P<indent>[ \t]+)(?P<key>[\w-]+)(?P<colon>\s*:)(?P<space>[ \t]*)(?P<value>.*?)"
                       r"(?P<comment>[ \t]+#.*)?$")


def config_header(cv: CV) -> dict[str, str]:
    """The CV's header as `_config.yml`'s author block writes it (plain text), by key."""
    return {key: markup_text(getattr(cv, field)) if field != "email" else (cv.email or "")
            for key, field in CONFIG_KEYS.items()}


def config_text(text: str, cv: CV) -> str:
    """`_config.yml` with its author block's name, bio, employer, location and email set from the CV's header, each
    changed on its own line (its comment and the rest of the file as they stand); a key the block lacks is left
    out, and a value the CV leaves empty is written empty."""
    import yaml

    lines = text.split("\n")
    start = next((index for index, line in enumerate(lines) if _BLOCK_START.match(line.rstrip("\r"))), None)
    if start is None:
        return text
    wanted = config_header(cv)
    for index in range(start + 1, len(lines)):
        line = lines[index]
        ending = "\r" if line.endswith("\r") else ""
        line = line.removesuffix("\r")
        if line.strip() and not line[0].isspace() and not line.lstrip().startswith("#"):
            break  # the block ends where the next top-level key starts
        match = _KEY_LINE.match(line)
        if match is None or match.group("key") not in wanted:
            continue
        try:
            current = yaml.safe_load(match.group("value")) if match.group("value").strip() else None
        except yaml.YAMLError:
            continue  # a value cvgen cannot read is left as it stands
        value = wanted[match.group("key")]
        if (str(current) if current is not None else "") == value:
            continue
        written = json_quoted(value) if value else ""
        lines[index] = (f"{match.group('indent')}{match.group('key')}{match.group('colon')}"
                        f"{match.group('space') or ' '}{written}{match.group('comment') or ''}{ending}")
    return "\n".join(lines)


def json_quoted(value: str) -> str:
    """A string as a double-quoted YAML scalar (JSON's quoting is YAML's)."""
    import json

    return json.dumps(value, ensure_ascii=False)


def page_cv(cv: CV, path: str) -> CV | None:
    """The page of the site at `path` (the about page, or another page such as the CV page) as the CV the
    homepage writer writes it from, with the entries new to the YAML that the same section of another page holds
    (`with_new_entries`); None for a path that is no page of the site."""
    if cv.site is None:
        return None
    pages = {cv.site.about_page: cv.sections, **{page.path: page.sections for page in cv.site.pages}}
    if path not in pages:
        return None
    others = [section for other, sections in pages.items() if other != path for section in sections]
    sections = with_new_entries(pages[path], others)
    if path == cv.site.about_page:
        about: CV = cv.model_copy(update={"sections": sections})
        return about
    page = next(page for page in cv.site.pages if page.path == path)
    shown: CV = cv.model_copy(update={"homepage": page.homepage, "sections": sections, "site": None})
    return shown


def with_new_entries(sections: list[Section], others: list[Section]) -> list[Section]:
    """A page's sections with the entries new to the YAML (a paper, talk or line not placed on the site yet: no
    `site` block) that the same section of another page holds, each after the entry it follows there: a paper
    added to the about page's list also reaches the CV page's. The same section is one of its kind under the same
    heading, or one that shows an entry this one shows ('Service' on one page, 'Professional service' on the
    other)."""
    result = []
    for section in sections:
        items = getattr(section, "items", None)
        twins = [other for other in others if items is not None and same_part(other, section)]
        for twin in twins:
            items = _merged_items(list(items or []), list(getattr(twin, "items", [])))
        result.append(section.model_copy(update={"items": items}) if twins else section)
    return result


def same_part(first: Section, second: Section) -> bool:
    """Whether two sections of two pages are one part of the CV: one kind, and the same heading or an entry in
    common."""
    if first.kind != second.kind:
        return False
    headings = [title_key(section.title or "") for section in (first, second)]
    return headings[0] == headings[1] or bool(set(entry_keys(first)) & set(entry_keys(second)))


def entry_keys(section: Section) -> dict[str, str]:
    """A section's entries by their key (the letters and digits of their main text) with a short label each."""
    keys: dict[str, str] = {}
    for entry in getattr(section, "items", []):
        text = main_text(entry)
        key = title_key(text)[:120]
        if key:
            keys[key] = plain_text(parse_markup(text))[:60]
    return keys


def main_text(entry: Any) -> str:
    """An entry's main text as written (markup): its title, degree and institution, role and organization, or
    text; a raw entry's Markdown."""
    if isinstance(entry, RawEntry):
        return entry.raw
    return next((" ".join(values) for names in _MAIN_FIELDS
                 if all(values := [str(getattr(entry, name, "") or "") for name in names])), "")


_MAIN_FIELDS = (("title",), ("degree", "institution"), ("role", "organization"), ("text",), ("venue",))


def _merged_items(items: list[Any], twin: list[Any]) -> list[Any]:
    for index, entry in enumerate(twin):
        if not (isinstance(entry, (Publication, Talk, GenericEntry)) and entry.site is None) or entry in items:
            continue
        before = next((items.index(other) for other in reversed(twin[:index]) if other in items), -1)
        items.insert(before + 1, entry)
    return items


def site_files(cv: CV) -> dict[str, str]:
    """Every file of the site cvgen writes, by its path in the site: its pages (the about page, the CV page) and
    the collection files of their entries, new entries' among them (one for an entry both pages write)."""
    from cvgen.renderers import render

    site = cv.site
    if site is None:
        return {"about.md": render("markdown", cv)}
    files: dict[str, str] = {}
    for path in (site.about_page, *(page.path for page in site.pages)):
        written = page_cv(cv, path)
        if written is not None:
            files[path] = render("markdown", written)
    for file in site.files:
        files[file.path] = collection_file_text(file, None)
    new: dict[tuple[str, str], tuple[CollectionStyle, Publication | Talk, dict[str, str]]] = {}
    for section in [*cv.sections, *(section for page in site.pages for section in page.sections)]:
        for entry in getattr(section, "items", []):
            if isinstance(entry, GenericEntry) and entry.site is not None and entry.site.file is not None:
                files[entry.site.file.path] = collection_file_text(entry.site.file, collection_values(entry, None))
            kind = _KINDS.get(type(entry))
            if kind is None:
                continue
            style = site.collection(kind)
            own = entry.site.file.citation if entry.site is not None and entry.site.file is not None else None
            values = collection_values(entry, own or (style.citation if style else None), cv)
            if entry.site is not None and entry.site.file is not None:
                files[entry.site.file.path] = collection_file_text(entry.site.file, values)
            elif entry.site is None and style is not None:  # one file for an entry both pages write
                new.setdefault((kind, values["title"].casefold()), (style, entry, values))
    for style, entry, values in new.values():
        file = new_collection_file(style, entry, values, set(files))
        files[file.path] = collection_file_text(file, values)
    return files


__all__ = ["CONFIG_KEYS", "collection_file_text", "collection_values", "config_header", "config_text", "entry_keys",
           "fill_front_matter", "is_slot_value", "json_quoted", "layout_literal", "main_text", "new_collection_file",
           "page_cv", "same_part", "site_files", "slug", "with_new_entries"]
