"""Fields recognised by their content, wherever an entry puts them (issue 11, point 2): a paper's label, title,
authors with their marks and the owner, venue, year, volume and pages, and links, from the Markdown of one entry
in any of the layouts homepages use (the seed's lines, a linked or <font> title, citation one-liners in APA,
IEEE or venue-first style, link runs such as `[[paper]](…) / [[code]](…)`).

This module only reads: it says what an entry holds. Capturing how the entry writes it (the layout), so that the
page can be written back exactly, is the next step; until then the importer types entries in the seed's layout
only, and `bench/import_corpus.py` measures these recognisers against the corpus truth.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

# --- person names and author lists ------------------------------------------------------------------------------

# A list's separators; " and " never tried from inside a run of spaces (quadratic in the run).
LIST_SEPARATOR = re.compile(r",\s*(?:(?:and|und|et|y|e|&)\s+)?|(?<!\s)\s+(?:and|und|et|y|e|&)\s+(?!al\b)|、|，"
                            r"|(?<!\s)\s+(?=[*_]?et al\b)")
_NAME_WORD = re.compile(r"(?:[^\W\d_][\w'’.-]*|[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]+)")
_PARTICLES = frozenset({"van", "von", "der", "den", "de", "del", "della", "di", "da", "dos", "du", "la", "le", "bin",
                        "al", "y", "ten", "ter"})
_AFFILIATION = re.compile(r"\s*\([^()]*\)$")
_NOT_NAMES = frozenset({
    "phd", "ph.d.", "msc", "m.s.", "bsc", "b.s.", "award", "prize", "best", "paper", "university", "institute",
    "school", "department", "lab", "laboratory", "student", "professor", "prof.", "research", "learning",
    "conference", "workshop", "journal", "grant", "grants", "foundation", "fellowship", "scholarship", "initiative",
    "seed", "center", "centre", "society", "association", "committee", "program", "programme", "project", "awards",
    "medal", "council", "fund", "team", "group", "member", "chair", "reviewer", "early", "career", "dr.", "the", "of",
    "home", "about", "welcome", "homepage", "page", "publications", "cv", "curriculum", "vitae", "resume",
    "teaching", "service", "professional", "activities", "news", "contact", "projects", "proceedings", "in",
    "transactions", "letters", "review", "advances", "international", "annual", "meeting", "symposium",
})
MARKS = "*†‡#§¶"


def is_person_name(text: str) -> bool:
    """Whether text reads as a person's name (one to five capitalised words, or a CJK name), not a phrase."""
    words = _AFFILIATION.sub("", text).replace(",", " ").split()  # "Babbage (Cambridge)", "Doe, J."
    if not 1 <= len(words) <= 5 or any(character.isdigit() for character in text):
        return False
    if any(word.casefold() in _NOT_NAMES for word in words):
        return False
    return all(_NAME_WORD.fullmatch(word) and (word[0].isupper() or not word[0].isascii() or word in _PARTICLES)
               for word in words)


@dataclass(frozen=True)
class AuthorField:
    """One author as an entry writes them: the name, the marks after it (*, †), and whether it is emphasised."""

    name: str
    marks: str = ""
    emphasised: bool = False


_EMPHASIS = re.compile(r"^(?:\*\*|__|<(?:b|strong|u)>|<span[^>]*>\s*\*\*)(.*?)"
                       r"(?:\*\*|__|</(?:b|strong|u)>|\*\*\s*</span>)(.*)$", re.S | re.I)
_SUP = re.compile(r"<sup>(.*?)</sup>|\$\^\{?\\?(dagger|ddagger|\*|\\ast|[^}$]*)\}?\$", re.I)
_INITIALS = re.compile(r"(?:[A-Z][a-z]?\.[\s-]*){1,3}")
_TEX_MARKS = {"dagger": "†", "ddagger": "‡", "\\ast": "*", "ast": "*"}


def _author(part: str) -> AuthorField | None:
    part = part.strip()
    marks = ""
    for match in _SUP.finditer(part):
        marks += _TEX_MARKS.get(match.group(2) or "", match.group(2) or "") if match.group(2) else match.group(1)
    part = _SUP.sub("", part).strip()
    emphasised = False
    emphasis = _EMPHASIS.match(part)
    if emphasis:
        emphasised, part = True, emphasis.group(1) + emphasis.group(2)
    part = _WORD_END.sub("", re.sub(r"\\([*_])", r"\1", _TAGS.sub("", part)).strip())
    if re.fullmatch(r"[*_]?et al\.?[*_]?", part):
        return AuthorField("et al.")
    while part and part[-1] in MARKS:
        marks, part = part[-1] + marks, part[:-1].rstrip()
    return AuthorField(" ".join(part.split()), marks, emphasised) if is_person_name(part) else None


def read_authors(text: str) -> list[AuthorField] | None:
    """The authors of a line that is a list of person names (at least half of its parts names, two or more),
    in order, with APA's "Surname, I." kept whole; None when the line is not an author list."""
    parts = [part for part in LIST_SEPARATOR.split(text) if part.strip()]
    authors: list[AuthorField] = []
    index = units = 0
    while index < len(parts):
        units += 1
        part = parts[index].strip()
        following = parts[index + 1].strip() if index + 1 < len(parts) else ""
        bare = re.sub(r"[*_]|<[^>]*>|\\", "", following).rstrip(MARKS + " ")
        if _INITIALS.fullmatch(bare) and not _INITIALS.fullmatch(re.sub(r"[*_]|<[^>]*>", "", part)):
            joined = _author(f"{part}, {following}")  # "Doe, J."
            if joined is not None:
                authors.append(joined)
                index += 2
                continue
        author = _author(part)
        if author is not None:
            authors.append(author)
        index += 1
    if authors and len(authors) * 2 >= units and (len(authors) >= 2 or units == 1):
        return authors
    return None


# --- one paper ----------------------------------------------------------------------------------------------------

@dataclass
class PaperFields:
    """What one publication entry holds, as recognised by content."""

    label: str | None = None
    title: str | None = None
    title_url: str | None = None
    authors: list[AuthorField] = field(default_factory=list)
    venue: str | None = None
    details: str | None = None  # volume, issue, pages, article number as written ("12(3), 455–489")
    year: str | None = None
    links: list[tuple[str, str]] = field(default_factory=list)
    award: str | None = None  # not read from a page yet; a layout writes the model's award and note
    note: str | None = None


_COMMENT = re.compile(r"<!--.*?-->", re.S)
_BREAK = re.compile(r"\s*(?:\s\\\\\s*$|<br\s*/?>|\n)\s*", re.M | re.I)
_TAGS = re.compile(r"</?(?:font|span|b|strong|i|em|u|sup|sub|mark|small|big)\b[^>]*>", re.I)
_MARKDOWN_LINK = re.compile(r"\[((?:\[[^\[\]]*\]|[^\[\]])*)\]\(\s*<?([^()\s<>]+)>?\s*\)")
_HTML_LINK_OPEN = re.compile(r"<a\s[^>]*?href\s*=\s*[\"']([^\"']+)[\"'][^>]*>", re.I)
_HTML_LINK_CLOSE = re.compile(r"</a\s*>", re.I)
_LINK_WORDS = frozenset({"paper", "pdf", "code", "arxiv", "project", "project page", "video", "slides", "poster",
                         "bib", "bibtex", "website", "demo", "data", "dataset", "doi", "link", "talk", "blog",
                         "github", "preprint", "supplementary", "supp", "html", "abstract", "openreview", "page"})
_LABEL = re.compile(r"^\s*(?:\*\*|<b>)?\s*\[([A-Za-z][A-Za-z&'. ]{0,24}\d*|[A-Z]{1,3}\d{1,4}|\d{1,4})\]\s*")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_WORD_END = re.compile(r"(?<=[^\W\d_]{2})\.$")  # a sentence's full stop (an initial's stays: "Doe, J.")
_QUOTED = re.compile(r"[\"“«「『„]\s*(.+?)\s*[,.]?\s*[\"”»」』“]")
# A sentence end: a full stop after a word of two letters or more (never after an initial: "J. Doe").
_CLOSE = r"[)\"”’»」“*_]"
_ENDS_WORD = rf"(?:[^\W\d_][^\W\d_]|[^\W\d_]{_CLOSE}|{_CLOSE}{_CLOSE})"
_SENTENCE = re.compile(rf"(?<={_ENDS_WORD}[.;])\s+|(?<={_ENDS_WORD}):\s+(?=[\"“«「*])")
_WRAPPED_TITLE = re.compile(r"^(?:\*\*|__|<b>|<strong>|<font[^>]*>|\*|_|<i>|<em>)(.+?)"
                            r"(?:\*\*|__|</b>|</strong>|</font>|\*|_|</i>|</em>)[.,]?$", re.S | re.I)
_VOLUME = re.compile(r",?\s*(?:vol\.|Vol\.|no\.|No\.|pp\.|S\.)\s*[\w–-]+|,?\s*\d+\s*\(\d+\)|,?\s*\*\*\d+\*\*"
                     r"|,?\s*\d+[–-]\d+|,?\s*e?\d{4,}(?!\d)")


def _plain(text: str) -> str:
    """Markup taken off: emphasis, HTML tags, escapes; white space made single."""
    text = _TAGS.sub("", html.unescape(text))
    text = re.sub(r"\*\*|__|(?<![\w*])[*_](?=\S)|(?<=\S)[*_](?![\w*])", "", text)
    return " ".join(re.sub(r"\\([\\*_\[\]()#])", r"\1", text).split())


def _html_links(text: str) -> list[tuple[str, str, str]]:
    """The HTML links of a text (whole, inner text, URL): each opening paired with the next closing, found once
    (a lazy pattern from each `<a` to its `</a>` is quadratic in a text of many unclosed links)."""
    closings = [match.start() for match in _HTML_LINK_CLOSE.finditer(text)]
    links, next_closing = [], 0
    for opening in _HTML_LINK_OPEN.finditer(text):
        while next_closing < len(closings) and closings[next_closing] < opening.end():
            next_closing += 1
        if next_closing == len(closings):
            break
        close = _HTML_LINK_CLOSE.match(text, closings[next_closing])
        assert close is not None
        links.append((text[opening.start() : close.end()], text[opening.end() : close.start()], opening.group(1)))
    return links


def _is_link_label(text: str) -> bool:
    bare = _plain(text).strip("[]() ").casefold()
    return bare in _LINK_WORDS or (len(bare.split()) <= 2 and bool(bare) and text.strip().startswith("["))


def read_paper(source: str) -> PaperFields:
    """The fields of one publication entry's Markdown (a list item's text, a paragraph, a table row's text)."""
    fields = PaperFields()
    text = _COMMENT.sub("", source).strip()
    label = _LABEL.match(text)
    if label and not text[label.end():].startswith("("):
        fields.label = label.group(1)
        text = text[label.end():]
    # A title written as a link: its text is long, or it is the first thing in the entry.
    links = [(match.group(0), match.group(1), match.group(2)) for match in _MARKDOWN_LINK.finditer(text)]
    for whole, inner, url in links + _html_links(text):
        inner_label = _LABEL.match(inner)
        if inner_label and fields.label is None and len(inner[inner_label.end():].split()) >= 3:
            fields.label, inner = inner_label.group(1), inner[inner_label.end():]
        if _is_link_label(inner):
            fields.links.append((_plain(inner).strip("[]"), url))
            text = text.replace(whole, "\n", 1)
        elif fields.title is None and len(_plain(inner).split()) >= 3:
            fields.title, fields.title_url = _plain(inner).rstrip("."), url
            text = text.replace(whole, "\n", 1)
    segments = [_WORD_END.sub("", segment.strip(" ,;/|").lstrip(".:").strip())
                for line in _BREAK.split(text) for segment in _segments(line)]
    segments = [segment for segment in segments if segment.strip(" .,;:/|*_\\")]
    rest: list[str] = []
    for segment in segments:
        quoted = _QUOTED.search(segment)
        if fields.title is None and quoted and (len(quoted.group(1).split()) >= 2 or len(quoted.group(1)) >= 4):
            fields.title = _plain(quoted.group(1)).rstrip(".,")
            before, after = segment[: quoted.start()], segment[quoted.end():]
            rest += [part for part in (before, after) if part.strip(" .,;:")]
            continue
        rest.append(segment)
    remaining: list[str] = []
    found = [read_authors(_author_text(segment)) for segment in rest]
    # The author list: the first line of two names or more; a lone name only where no such line is, and never
    # in the entry's first line (where a bold title of capitalised words reads like a name).
    chosen = next((index for index, authors in enumerate(found) if authors and len(authors) >= 2),
                  next((index for index, authors in enumerate(found) if authors and index), None))
    for index, segment in enumerate(rest):
        authors = found[index] if index == chosen else None
        if authors is not None:
            fields.authors = authors
            after = segment[len(_author_text(segment)):]
            year = _YEAR.search(after)
            if year and fields.year is None and "(" in after:
                fields.year = year.group(1)  # APA: "Doe, J. (2024). Title. Venue"
                after = after[after.index(")", year.end()) + 1 :] if ")" in after[year.end():] else ""
                remaining += [part for part in _segments(after.lstrip(" .:")) if part.strip(" .,;:")]
            continue
        remaining.append(segment)
    venue_parts: list[str] = []
    for segment in remaining:
        wrapped = _WRAPPED_TITLE.match(segment.strip())
        if fields.title is None and (wrapped or not _YEAR.search(segment)) and len(_plain(segment).split()) >= 2:
            fields.title = _plain(wrapped.group(1) if wrapped else segment).rstrip(".")
            continue
        venue_parts.append(segment)
    for segment in venue_parts:
        years = [match.group(1) for match in _YEAR.finditer(segment)]
        if fields.year is None and years:
            fields.year = years[-1]
        if fields.venue is None:
            venue = _venue(segment)
            if venue:
                fields.venue = venue
                fields.details = _details(segment, venue, fields.year)
    return fields


def _details(segment: str, venue: str, year: str | None) -> str | None:
    """What follows the venue in its segment, before or after the year: volume, issue, pages ("12(3), 455–489",
    "pp. 1120–1124", "**20**, 1021"), as written."""
    start = segment.find(venue)
    if start < 0:
        return None
    end = start + len(venue)
    while end < len(segment) and segment[end] in "*_":
        end += 1
    rest = segment[end:]
    parts = rest.split(year, 1) if year and year in rest else [rest]
    for part in parts:
        details = part.strip(" ,;:(").rstrip(" ,;:(.")
        if details.endswith(")") and details.count("(") < details.count(")"):
            details = details[:-1].rstrip(" ,;:")
        if any(character.isdigit() for character in details):
            return details
    return None


_APA_YEAR = re.compile(r"\((?:19|20)\d{2}[a-z]?\)")


def _author_text(segment: str) -> str:
    """A segment up to an APA year in parentheses, where its author list ends ("Doe, J., & Roe, K. (2024)")."""
    match = _APA_YEAR.search(segment)
    return segment[: match.start()].rstrip() if match else segment  # the spaces before it, not searched for


# Where a sentence never ends: inside an HTML tag (its attributes have colons) or an emphasised venue.
_INSIDE = re.compile(r"<[^<>\n]*>|(?<![*\w])\*(?!\*)[^*\n]+\*(?!\*)|(?<![_\w])_[^_\n]+_(?![_\w])")
_ABBREVIATIONS = frozenset({"vol", "no", "pp", "proc", "trans", "conf", "int", "j", "jan", "feb", "mar", "apr", "jun",
                            "jul", "aug", "sep", "sept", "oct", "nov", "dec", "al", "eds", "ed", "intl", "natl",
                            "symp", "lett", "commun", "sci", "rev", "phys", "soc", "assoc", "comput", "univ", "dept"})


def _last_word(text: str) -> str:
    """The last run of word characters of a text (read from its end: a pattern anchored at the end would be tried
    from every position, quadratic in a long word)."""
    end = len(text)
    while end and not (text[end - 1].isalnum() or text[end - 1] == "_"):
        end -= 1
    start = end
    while start and (text[start - 1].isalnum() or text[start - 1] == "_"):
        start -= 1
    return text[start:end]


def _segments(line: str) -> list[str]:
    """A line's parts between sentence ends (never inside an HTML tag, whose attributes have colons)."""
    masked = _INSIDE.sub(lambda match: "\0" * len(match.group(0)), line)
    parts, start = [], 0
    for match in _SENTENCE.finditer(masked):
        if _last_word(line[: match.start()]).casefold() in _ABBREVIATIONS:
            continue
        parts.append(line[start : match.start()])
        start = match.end()
    return [*parts, line[start:]]


def _venue(segment: str) -> str | None:
    """A venue from its segment: an emphasised name when there is one, else the text without year, volume,
    pages and the words that open it ("In:", "Proceedings of" is kept)."""
    emphasised = re.search(r"(?<!\*)\*\*?([^*]+?)\*\*?(?!\*)|(?<!_)_([^_]+)_|<i>(.*?)</i>|<em>(.*?)</em>", segment)
    venue = next(group for group in emphasised.groups() if group) if emphasised else _YEAR.sub("", segment)
    venue = _VOLUME.sub("", _plain(venue))
    venue = re.sub(r"^(?:In:?|in:)\s+", "", venue)
    venue = re.sub(r"\(\s*\)|\s+\(\s*|\s*\)\s*$", " ", venue)
    venue = " ".join(venue.split()).strip(" ,;:'’\"")
    if venue.endswith(".") and _last_word(venue).casefold() not in _ABBREVIATIONS:
        venue = venue[:-1].rstrip(" ,;:")  # a sentence's full stop, not an abbreviation's ("Commun.")
    return venue.strip() or None


__all__ = ["AuthorField", "LIST_SEPARATOR", "PaperFields", "is_person_name", "read_authors", "read_paper"]
