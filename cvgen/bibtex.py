"""BibTeX in and out: a .bib file's papers as the CV's publications, merged into a CV without duplicates, and the
CV's publications written back as BibTeX.

A file is parsed by bibtexparser (string macros expanded, month names as words) and each value decoded by
pylatexenc (`{\\"u}` → ü, braces dropped). A paper keeps its BibTeX entry as written (`bibtex`: key, type and
every field), so an export gives back each field the CV does not change; a field the CV types (title, authors,
venue, year, DOI, URL, arXiv id, and al-folio's `selected`, `abbr`, `pdf`, `code`, `award`) is written from the
CV wherever the CV now says something else.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from cvgen.errors import CvgenError
from cvgen.markup import Text, markup_text, title_key, to_markup
from cvgen.model import CV, BibtexRecord, Link, Publication, PublicationsSection, fold_name
from cvgen.site import ascii_words

_ARXIV = re.compile(r"(?:arxiv\.org/(?:abs|pdf)/|arxiv:\s*)(\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})",
                    re.IGNORECASE)
_DOI = re.compile(r"(?:doi\.org/|^)(10\.\d{4,9}/\S+)$", re.IGNORECASE)
_VENUE_KEYS = ("booktitle", "journal", "howpublished", "school", "institution", "publisher")
# Fields written as they are: the author list (its names already encoded), identifiers and links (a URL's `_` or
# `%` is not TeX), and words BibTeX tools read as such.
_VERBATIM = frozenset({"author", "url", "doi", "eprint", "archivePrefix", "pdf", "code", "year", "selected"})
_TYPED = frozenset({"title", "author", "year", "doi", "url", "eprint", "selected", "abbr", "pdf", "code", "award",
                    "note", *_VENUE_KEYS[:3]})


def _parse(text: str, source: str) -> list[dict[str, str]]:
    import bibtexparser  # type: ignore[import-untyped]  # ships no type information
    from bibtexparser.bparser import BibTexParser  # type: ignore[import-untyped]

    parser = BibTexParser(common_strings=True, interpolate_strings=True, ignore_nonstandard_types=False)
    try:
        entries: list[dict[str, str]] = bibtexparser.loads(text, parser=parser).entries
    except Exception as error:  # bibtexparser raises pyparsing's and its own errors alike
        raise CvgenError(f"{source}: not a BibTeX file bibtexparser can read ({error})") from None
    return entries


def decoded(raw: str) -> str:
    """A BibTeX value as text: TeX accents and escapes decoded, braces dropped, white space made single."""
    from pylatexenc.latex2text import LatexNodes2Text  # type: ignore[import-untyped]  # no type information

    try:
        text = LatexNodes2Text(math_mode="verbatim", strict_latex_spaces=True).latex_to_text(raw)
    except Exception:  # a macro pylatexenc cannot read: the value without its braces
        text = raw.replace("{", "").replace("}", "")
    return unicodedata.normalize("NFC", " ".join(text.split()))


def encoded(text: str) -> str:
    """Text as a BibTeX value: TeX's special characters and non-ASCII letters as macros."""
    from pylatexenc.latexencode import unicode_to_latex  # type: ignore[import-untyped]  # no type information

    value: str = unicode_to_latex(text, non_ascii_only=False, replacement_latex_protection="braces-all",
                                  unknown_char_policy="keep")
    return value


def _split_authors(raw: str) -> list[str]:
    """An author field's names, split at ' and ' outside braces."""
    names, depth, start = [], 0, 0
    for match in re.finditer(r"[{}]|\s+and\s+", raw):
        token = match.group()
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
        elif depth == 0:
            names.append(raw[start:match.start()])
            start = match.end()
    names.append(raw[start:])
    return [name.strip() for name in names if name.strip()]


def authors_of(raw: str) -> list[str]:
    """An author field as the CV writes authors: 'First Last', 'et al.' for 'others'."""
    people = []
    for name in _split_authors(raw):
        text = decoded(name)
        if text.casefold() == "others":
            people.append("et al.")
            continue
        parts = [part.strip() for part in text.split(",")]
        people.append(" ".join([*parts[2:], *parts[1:2], parts[0]]).strip() if len(parts) > 1 else text)
    return [re.sub(r"([*†‡§¶#])", r"\\\1", person) for person in people]  # a literal star is not a mark


def _link_id(paper: Publication, pattern: re.Pattern[str]) -> str | None:
    for url in [paper.url, *(link.url for link in paper.links)]:
        if url and (match := pattern.search(url)):
            return match.group(1).casefold()
    return None


def read_paper(entry: dict[str, str]) -> Publication:
    """One BibTeX entry as a paper, its entry kept as written."""
    raw = {key: value for key, value in entry.items() if key not in ("ID", "ENTRYTYPE")}
    venue_key = next((key for key in _VENUE_KEYS if raw.get(key)), None)
    links = []
    if doi := raw.get("doi"):
        links.append(Link(label="DOI", url=f"https://doi.org/{decoded(doi)}"))
    arxiv = _arxiv_id(raw)
    if arxiv:
        links.append(Link(label="arXiv", url=f"https://arxiv.org/abs/{arxiv}"))
    for key in ("pdf", "code"):
        if value := raw.get(key):
            links.append(Link(label=key, url=decoded(value)))
    text = {key: decoded(value) for key, value in raw.items() if key in _TYPED}
    return Publication(
        title=to_markup([Text(text.get("title", entry["ID"]))]),
        authors=authors_of(raw.get("author", "")),
        venue=to_markup([Text(decoded(raw[venue_key]))]) if venue_key else None,
        details=_details(raw) or None,
        year=text.get("year") or None,
        url=text.get("url") or None,
        award=to_markup([Text(text["award"])]) if text.get("award") else None,
        note=to_markup([Text(text["note"])]) if text.get("note") else None,
        label=to_markup([Text(text["abbr"])]) if text.get("abbr") else None,
        links=links,
        selected=text.get("selected", "").casefold() in ("true", "yes", "1"),
        bibtex=BibtexRecord(key=entry["ID"], type=entry["ENTRYTYPE"], fields=raw),
    )


def _arxiv_id(raw: dict[str, str]) -> str | None:
    prefix = raw.get("archiveprefix", raw.get("archivePrefix", "")).casefold()
    if raw.get("eprint") and (prefix == "arxiv" or not prefix and _ARXIV.search(f"arxiv:{raw['eprint']}")):
        return decoded(raw["eprint"])
    for key in ("journal", "url", "arxiv", "howpublished", "note"):
        if raw.get(key) and (match := _ARXIV.search(decoded(raw[key]) if key != "arxiv" else f"arxiv:{raw[key]}")):
            return match.group(1)
    return None


def _details(raw: dict[str, str]) -> str:
    volume = decoded(raw.get("volume", ""))
    number = decoded(raw.get("number", ""))
    pages = decoded(raw.get("pages", ""))
    issue = f"{volume}({number})" if volume and number else volume or (f"no. {number}" if number else "")
    return ", ".join(part for part in (issue, pages and f"pp. {pages}") if part)


@dataclass
class Merged:
    """What a BibTeX import did to a CV: the papers it added, those it completed, those it left alone."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    without_owner: list[str] = field(default_factory=list)


def read_bibtex(text: str, source: str) -> list[Publication]:
    """Every entry of a .bib file as a paper, in the file's order."""
    return [read_paper(entry) for entry in _parse(text, source)]


def merge_papers(cv: CV, papers: list[Publication]) -> Merged:
    """Papers merged into the CV: one that matches a paper of the CV (by DOI, then arXiv id, then title) completes
    it where it lacks a field; any other joins the CV's first publications section (a new one when it has none)."""
    merged = Merged()
    existing = [item for section in cv.sections if isinstance(section, PublicationsSection)
                for item in section.items if isinstance(item, Publication)]
    target = next((section for section in cv.sections if isinstance(section, PublicationsSection)), None)
    for paper in papers:
        title = markup_text(paper.title)
        if not any(cv.is_owner(author.name) for author in paper.author_list()):
            merged.without_owner.append(title)
        match = _match(paper, existing)
        if match is None:
            if target is None:
                target = PublicationsSection(kind="publications", title="Publications", items=[])
                cv.sections.append(target)
            target.items.append(paper)
            existing.append(paper)
            merged.added.append(title)
        elif _complete(match, paper):
            merged.updated.append(title)
        else:
            merged.unchanged.append(title)
    return merged


def _match(paper: Publication, existing: list[Publication]) -> Publication | None:
    for pattern in (_DOI, _ARXIV):
        wanted = _link_id(paper, pattern)
        if wanted and (found := next((item for item in existing if _link_id(item, pattern) == wanted), None)):
            return found
    key = title_key(paper.title)
    return next((item for item in existing if title_key(item.title) == key), None)


def _complete(paper: Publication, read: Publication) -> bool:
    """Fill what a paper lacks from the same paper read from BibTeX; whether anything was added."""
    changed = False
    for name in ("venue", "details", "year", "url", "award", "note", "label"):
        if getattr(paper, name) is None and getattr(read, name) is not None:
            setattr(paper, name, getattr(read, name))
            changed = True
    if not paper.authors and read.authors:
        paper.authors, changed = read.authors, True
    known = {link.url for link in paper.links} | {paper.url}
    for link in read.links:
        if link.url not in known:
            paper.links.append(link)
            changed = True
    if paper.bibtex is None:
        paper.bibtex, changed = read.bibtex, True
    return changed


# --- export -------------------------------------------------------------------------------------------------------


def bibtex_entries(cv: CV) -> tuple[list[dict[str, str]], list[str]]:
    """The CV's papers as BibTeX entries (bibtexparser's form: ID, ENTRYTYPE and fields), and what BibTeX cannot
    hold, in words."""
    entries: list[dict[str, str]] = []
    keys: set[str] = set()
    left: dict[str, int] = {}
    for _, section in cv.cv_sections():
        items = getattr(section, "items", None)
        if not isinstance(section, PublicationsSection):
            count = len(items) if isinstance(items, list) else len(getattr(section, "groups", [])) or 1
            left[section.kind] = left.get(section.kind, 0) + count
            continue
        for item in section.items:
            if not isinstance(item, Publication):
                left["raw papers"] = left.get("raw papers", 0) + 1
                continue
            entry = _entry(item, keys)
            keys.add(entry["ID"])
            entries.append(entry)
            if item.highlights:
                left["lines under papers (highlights)"] = left.get("lines under papers (highlights)", 0) + 1
            carried = {value for key, value in entry.items() if key in ("url", "pdf", "code")}
            ids = {_link_id(item, _DOI), _link_id(item, _ARXIV)}
            other = [link for link in item.links if link.url not in carried and not any(
                (match := pattern.search(link.url)) is not None and match.group(1).casefold() in ids
                for pattern in (_DOI, _ARXIV))]
            if other:
                left["links of papers with no BibTeX field"] = left.get("links of papers with no BibTeX field",
                                                                        0) + len(other)
    return entries, [f"{count} {kind}" for kind, count in left.items()]


def _entry(paper: Publication, taken: set[str]) -> dict[str, str]:
    record = paper.bibtex
    fields = dict(record.fields) if record else {}
    typed = _typed_fields(paper, record)
    for key, value in typed.items():
        if key in fields and _same(key, fields[key], value):
            continue  # as the file writes it
        if value:
            fields[key] = value if key in _VERBATIM else encoded(value)
        else:
            fields.pop(key, None)
    key = record.key if record else _new_key(paper, taken)
    entry_type = record.type if record else ("inproceedings" if paper.venue else "misc")
    return {"ID": key, "ENTRYTYPE": entry_type, **fields}


def _typed_fields(paper: Publication, record: BibtexRecord | None) -> dict[str, str]:
    """The BibTeX fields the CV's paper gives, as text (the author list as BibTeX writes it)."""
    fields = record.fields if record else {}
    venue_key = next((key for key in _VENUE_KEYS if fields.get(key)), "booktitle" if paper.venue else "howpublished")
    links = {markup_text(link.label).casefold(): link.url for link in paper.links}
    arxiv = _link_id(paper, _ARXIV)
    doi = _link_id(paper, _DOI)
    typed = {
        "title": markup_text(paper.title),
        "author": " and ".join("others" if author.name == "et al." else encoded(author.name)
                               for author in paper.author_list()),
        venue_key: markup_text(paper.venue),
        "year": str(paper.year or "")[:4],
        "doi": doi or "",
        "url": paper.url or "",
        "award": markup_text(paper.award),
        "note": markup_text(paper.note),
        "abbr": markup_text(paper.label),
        "pdf": links.get("pdf", ""),
        "code": links.get("code", ""),
    }
    if arxiv and ("eprint" in fields or not record):
        typed["eprint"] = arxiv
        if "eprint" not in fields:  # a new eprint says whose it is
            typed["archivePrefix"] = "arXiv"
    if paper.selected or "selected" in fields:
        typed["selected"] = "true" if paper.selected else ""
    return typed


def _same(key: str, raw: str, value: str) -> bool:
    """Whether a field as the file writes it says what the CV says."""
    if key == "author":
        return [name.casefold() for name in authors_of(raw)] == [
            name.casefold() for name in authors_of(value)]
    if key == "selected":
        return (decoded(raw).casefold() in ("true", "yes", "1")) == (value == "true")
    if key in ("doi", "eprint"):
        return decoded(raw).casefold() == value.casefold()
    return decoded(raw) == value


def _new_key(paper: Publication, taken: set[str]) -> str:
    """A key for a paper new to BibTeX: the first author's last name, the year, the title's first long word."""
    authors = paper.author_list()
    last = "".join(ascii_words(fold_name(authors[0].name).split()[-1])) if authors else ""
    word = next((word for word in ascii_words(markup_text(paper.title)) if len(word) > 3), "paper")
    key = f"{last or 'anonymous'}{str(paper.year or '')[:4]}{word}"
    candidate, number = key, 2
    while candidate in taken:
        candidate, number = f"{key}{chr(ord('a') + number - 2)}", number + 1
    return candidate


def write_bibtex(entries: list[dict[str, str]]) -> str:
    """Entries as the text of a .bib file."""
    lines = []
    for entry in entries:
        fields = [f"  {key} = {{{value}}}" for key, value in entry.items() if key not in ("ID", "ENTRYTYPE")]
        lines.append(f"@{entry['ENTRYTYPE']}{{{entry['ID']},\n" + ",\n".join(fields) + "\n}\n")
    return "\n".join(lines)


def parsed_entries(text: str) -> list[dict[str, Any]]:
    """A .bib text's entries as bibtexparser reads them (for comparing BibTeX as data)."""
    return _parse(text, "BibTeX")


__all__ = ["Merged", "authors_of", "bibtex_entries", "decoded", "encoded", "merge_papers", "parsed_entries",
           "read_bibtex", "read_paper", "write_bibtex"]
