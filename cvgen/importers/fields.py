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
import unicodedata
from dataclasses import dataclass

from cvgen.dates import MONTH_WORD
from cvgen.model import EQUAL_CONTRIBUTION, fold_name, owner_names
from cvgen.slots import AuthorField, PaperFields

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
class Owner:
    """The page's owner as import knows them: their name (none found), and the other spellings of it the page
    emphasises in author lists ("최유나" beside "Yuna Choi", "N. Ferrante" beside "Nadia Ferrante")."""

    name: str | None = None
    variants: tuple[str, ...] = ()

    def is_owner(self, name: str) -> bool:
        """Whether an author name is the owner's, in any of their spellings."""
        return fold_name(name) in owner_names(self.name or "", self.variants)


_EMPHASIS = re.compile(r"^(?:\*\*|__|<(?:b|strong|u)>|<span[^>]*>\s*\*\*)(.*?)"
                       r"(?:\*\*|__|</(?:b|strong|u)>|\*\*\s*</span>)(.*)$", re.S | re.I)
_SUP = re.compile(r"<sup>([^<>]*)</sup>|\$\^\{?\\?(dagger|ddagger|\*|\\ast|[^}$]*)\}?\$", re.I)
_INITIALS = re.compile(r"(?:[A-Z][a-z]?\.[\s-]*){1,3}")
_TEX_MARKS = {"dagger": "†", "ddagger": "‡", "\\ast": "*", "ast": "*"}


def _author(part: str) -> AuthorField | None:
    part = part.strip()
    marks = ""
    for match in _SUP.finditer(part):
        written = match.group(1) if match.group(1) is not None else match.group(2)
        marks += _TEX_MARKS.get(written, written)
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
    found = _author_list(text)
    return found[0] if found else None


def _list_parts(text: str) -> list[tuple[str, int]]:
    """A list's non-empty parts between separators, each with where it ends in the text."""
    parts, start = [], 0
    for separator in LIST_SEPARATOR.finditer(text):
        if text[start : separator.start()].strip():
            parts.append((text[start : separator.start()], separator.start()))
        start = separator.end()
    if text[start:].strip():
        parts.append((text[start:], len(text)))
    return parts


def _author_list(text: str) -> tuple[list[AuthorField], int] | None:
    """The authors of a line that is a list of person names, and where its last name ends (what follows is no
    name: a venue written on the author line, "…, Daniela Moretti, **IROS 2023**"); None for no author list."""
    parts = _list_parts(text)
    authors: list[AuthorField] = []
    index = units = end = counted = 0  # counted: the parts up to the last name (what follows is the line's rest)
    while index < len(parts):
        units += 1
        part = parts[index][0].strip()
        following = parts[index + 1][0].strip() if index + 1 < len(parts) else ""
        if index == 0 and _inverted_first(parts, text):
            joined = _author(f"{part}, {following}")  # Chicago: "Carrasco, Inés, and José Álvarez"
            if joined is not None:
                authors.append(joined)
                end, counted = parts[1][1], units
                index += 2
                continue
        bare = re.sub(r"[*_]|<[^<>]*>|\\", "", following).rstrip(MARKS + " ")
        if _INITIALS.fullmatch(bare) and not _INITIALS.fullmatch(re.sub(r"[*_]|<[^<>]*>", "", part)):
            joined = _author(f"{part}, {following}")  # "Doe, J."
            if joined is not None:
                authors.append(joined)
                end, counted = parts[index + 1][1], units
                index += 2
                continue
        author = _author(part)
        if author is not None:
            authors.append(author)
            end, counted = parts[index][1], units
        index += 1
    if authors and len(authors) * 2 >= counted and (len(authors) >= 2 or units == 1):
        return authors, end
    return None


def _inverted_first(parts: list[tuple[str, int]], text: str) -> bool:
    """Whether a list opens with its first author written surname first, as Chicago writes it ("Carrasco, Inés. 2023."
    or "Álvarez, José, and Inés Carrasco"): a surname and given names, each a part of the list, a comma between them
    ("Defects and Extrusion" is no name), then nothing or names written given name first."""
    if len(parts) < 2 or not text[parts[0][1]:].lstrip().startswith(","):
        return False
    surname, given = (_plain(part).strip() for part, _ in parts[:2])
    rest = [_plain(part).strip() for part, _ in parts[2:]]
    single = [word for word in (surname, given) if _NAME_WORD.fullmatch(word) and word[:1].isupper()]
    return len(single) == 2 and not _INITIALS.fullmatch(given) and all(
        len(name.split()) >= 2 or name.casefold() in _EDITORS for name in rest) and (
        not rest or len(rest[0].split()) >= 2)


_EDITORS = frozenset({"ed.", "eds.", "ed", "eds", "(ed.)", "(eds.)", "hg.", "hrsg."})  # "…, eds. 2020. *Book*"


# --- one paper ----------------------------------------------------------------------------------------------------

_BREAK = re.compile(r"\s*(?:\s\\\\\s*$|<br\s*/?>|\n)\s*", re.M | re.I)
_TAGS = re.compile(r"</?(?:font|span|b|strong|i|em|u|sup|sub|mark|small|big)\b[^<>]*>", re.I)
# HTML that only lays an entry out (AcadHomepage's paper box and its badge, a table row's cells, a thumbnail):
# each such tag ends a line.
_STRUCTURE = re.compile(r"</?(?:div|p|td|th|tr|table|tbody|thead|center|figure|figcaption|img|ul|ol|li)\b[^<>]*>",
                        re.I)
# A sub-bullet under the entry (contributions, an "Oral presentation" remark): no field of the paper.
_SUB_ITEM = re.compile(r"\n[ \t]*(?:[-*+]|\d{1,3}[.)])[ \t]")
# A Markdown link; its URL may hold Liquid (`{{ site.url }}/files/a.pdf`), each `{{` closed before the next brace.
_MARKDOWN_LINK = re.compile(r"\[((?:\[[^\[\]]*\]|[^\[\]])*)\]"
                            r"\(\s*<?((?:\{\{[^{}\n]*\}\}|\{(?!\{)|[^()\s<>{])+)>?\s*\)")
_AUTOLINK = re.compile(r"<((?:https?|ftp)://[^<>\s]+)>", re.I)
_HTML_LINK_OPEN = re.compile(r"<a\s[^<>]*?href\s*=\s*[\"']([^\"'<>]+)[\"'][^<>]*>", re.I)
_HTML_LINK_CLOSE = re.compile(r"</a\s*>", re.I)
_LINK_WORDS = frozenset({"paper", "pdf", "code", "arxiv", "project", "project page", "video", "slides", "poster",
                         "bib", "bibtex", "website", "demo", "data", "dataset", "doi", "link", "talk", "blog",
                         "github", "preprint", "supplementary", "supp", "html", "abstract", "openreview", "page"})
# A label opening an entry ('[C13]', '**[P5] Title**'); bold closed right after it ('**[C3]** Authors') is its own.
_LABEL = re.compile(r"^\s*(?P<bold>\*\*|<b>)?\s*\[(?P<label>[A-Za-z][A-Za-z&'. ]{0,24}\d*|[A-Z]{1,3}\d{1,4}|\d{1,4})\]"
                    r"(?(bold)(?:\*\*|</b>)?)\s*")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
# A sentence's full stop, after a word or a name's closing emphasis or mark (an initial's stays: "Doe, J.").
_WORD_END = re.compile(r"(?:(?<=[^\W\d_]{2})|(?<=[*_)†‡§¶#]))\.$")
_OPENING_QUOTES = "\"“«「『„"
_CLOSING_QUOTES = "\"”»」』“"
_ANY_TAG = re.compile(r"<[^<>\n]*>")
# A sentence end: a full stop after a word of two letters or more (never after an initial: "J. Doe"), or after a
# number when a capital or a quote follows ("pp. 88–121. Chapman", "arXiv 2025. With").
_CLOSE = r"[)\"”’»」“*_]"
_ENDS_WORD = rf"(?:[^\W\d_][^\W\d_]|[^\W\d_]{_CLOSE}|{_CLOSE}{_CLOSE})"
_CAPITAL = "A-ZÀ-ÖØ-Þ\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af"
_SENTENCE = re.compile(rf"(?<={_ENDS_WORD}[.;])\s+|(?<={_ENDS_WORD}):\s+(?=[\"“«「*])"
                       rf"|(?<=[^\W\d_]{{2}}\.\*\*)\s+|(?<=[^\W\d_]{{2}}\.[*_])\s+"  # "**A Title.** Doe"
                       rf"|(?<=\d[.;])\s+(?=[\"“«„「*_\[<{_CAPITAL}])")
_WRAPPED_TITLE = re.compile(r"^(?:\*\*|__|<b>|<strong>|<font[^<>]*>|\*|_|<i>|<em>)(.+?)"
                            r"(?:\*\*|__|</b>|</strong>|</font>|\*|_|</i>|</em>)[.,]?$", re.S | re.I)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
# A list of co-authors that leaves the owner out: "With Ye-jin Han and Dmitri Vance."
_COAUTHORS = re.compile(r"(?:with|mit|avec|con)\s+", re.I)


def _plain(text: str) -> str:
    """Markup taken off: emphasis, HTML tags, escapes; white space made single."""
    text = _TAGS.sub("", html.unescape(text))
    text = re.sub(r"\*\*|__|(?<![\w*])[*_](?=\S)|(?<=\S)[*_](?![\w*])", "", text)
    return " ".join(re.sub(r"\\([\\*_\[\]()#])", r"\1", text).split())


def _without_comments(text: str) -> str:
    """A text without its HTML comments (each `<!--` to the next `-->`, found once: a lazy pattern from every
    unclosed `<!--` to the end is quadratic)."""
    kept, position = [], 0
    while (start := text.find("<!--", position)) >= 0:
        end = text.find("-->", start + 4)
        if end < 0:
            break
        kept.append(text[position:start])
        position = end + 3
    return "".join(kept) + text[position:]


def _html_links(text: str) -> list[tuple[int, int, str, str]]:
    """The HTML links of a text (start, end, inner text, URL): each opening paired with the next closing, found
    once (a lazy pattern from each `<a` to its `</a>` is quadratic in a text of many unclosed links)."""
    closings = [match.start() for match in _HTML_LINK_CLOSE.finditer(text)]
    links, next_closing = [], 0
    for opening in _HTML_LINK_OPEN.finditer(text):
        while next_closing < len(closings) and closings[next_closing] < opening.end():
            next_closing += 1
        if next_closing == len(closings):
            break
        close = _HTML_LINK_CLOSE.match(text, closings[next_closing])
        assert close is not None
        links.append((opening.start(), close.end(), text[opening.end() : close.start()], opening.group(1)))
    return links


# Between the links of a run, and after the last: no words ("[(Link)](…)", " | ", "),").
_RUN_GAP = re.compile(r"[\s|/·,;:()\[\]*_.-]*")
_RUN_PREFIX = re.compile(r"\(?\s*links?\s*:\s*$", re.I)  # "(Link: <https://…>)": the word belongs to the run


# The site's own address before a path, as Jekyll pages write it: the layout keeps it, the URL is the path.
SITE_ADDRESS = re.compile(r"\{\{\s*(?:site\.url|site\.baseurl|base_path)\s*\}\}")
SITE_PREFIX = re.compile(SITE_ADDRESS.pattern + "(?=/)")  # before a path


def site_relative(url: str) -> str:
    """A link target without the site's Liquid prefix (`{{ site.url }}/files/a.pdf` → `/files/a.pdf`)."""
    prefix = SITE_PREFIX.match(url)
    return url[prefix.end():] if prefix else url


def trailing_links(text: str) -> tuple[int, list[tuple[str, str]]] | None:
    """The run of labelled links that ends an entry's line (`[(Link)](…)`, `[[slides]](…) [[video]](…)`, `(Link:
    <https://…>)`): where it starts and its links (label, URL); None when the line ends otherwise. A link in a
    sentence ("slides are [here](…)") is the sentence's, not a run's: only known link words or bracketed labels."""
    links = [(match.start(), match.end(), match.group(1), site_relative(match.group(2)))
             for match in _MARKDOWN_LINK.finditer(text)]
    links += [(match.start(), match.end(), match.group(1), match.group(1)) for match in _AUTOLINK.finditer(text)]
    run: list[tuple[str, str]] = []
    end, start = len(text), None
    for link_start, link_end, inner, url in sorted(links + _html_links(text), reverse=True):
        bare = _plain(inner).strip("[]() ").casefold()
        labelled = inner == url or bare in _LINK_WORDS or inner.strip().startswith(("[", "("))
        if link_end > end or not labelled or not _RUN_GAP.fullmatch(text[link_end:end]):
            break
        run.insert(0, (inner if inner == url else _plain(inner).strip("[]() "), url))
        end = start = link_start
    if start is None:
        return None
    prefix = _RUN_PREFIX.search(text, 0, start)
    return (prefix.start() if prefix else start), run


def _is_link_label(text: str) -> bool:
    """Whether a link's text labels it (`[paper]`, `[**Code**]`, `PMLR`, `代码`) rather than being a title: a
    known word, a short bracketed text, one word, or a few CJK characters."""
    bare = _plain(text).strip("[]() ").casefold()
    if not bare:
        return False
    return (bare in _LINK_WORDS or (len(bare.split()) <= 2 and text.strip().startswith("["))
            or (len(bare.split()) == 1 and len(_CJK.findall(bare)) <= 6))


def _long_enough(text: str) -> bool:
    """Whether a text is long enough for a title: two words, or four CJK characters (written without spaces)."""
    plain = _plain(text)
    return len(plain.split()) >= 2 or len(_CJK.findall(plain)) >= 4


def _entry_text(source: str) -> str:
    """An entry's text to read: comments, sub-bullets and the HTML that only lays it out taken off."""
    text = _without_comments(source).replace("\r\n", "\n").strip()
    sub_item = _SUB_ITEM.search(text)
    if sub_item:
        text = text[: sub_item.start()]
    return _STRUCTURE.sub("\n", text).strip()


def read_paper(source: str) -> PaperFields:
    """The fields of one publication entry's Markdown (a list item's text, a paragraph, a paper box, a table
    row)."""
    fields = PaperFields()
    text = _entry_text(source)
    label = _LABEL.match(text)
    if label and not text[label.end():].startswith("("):
        fields.label = label.group("label")
        text = text[label.end():]
    text = _read_links(text, fields)
    segments = [_WORD_END.sub("", segment.strip(" ,;/|·").lstrip(".:").strip())
                for line in _BREAK.split(text) for segment in _segments(line)]
    segments = [segment for segment in segments if segment.strip(" .,;:/|·*_\\")]
    rest = _read_quoted_title(segments, fields)
    remaining = _read_author_line(rest, fields)
    venue_parts: list[str] = []
    for segment in remaining:
        wrapped = _WRAPPED_TITLE.match(segment.strip())
        if fields.title is None and (wrapped or not _YEAR.search(segment)) and _long_enough(segment):
            fields.title = _plain(wrapped.group(1) if wrapped else segment).rstrip(".")
            continue
        venue_parts.append(segment)
    _read_venue(venue_parts, fields)
    return fields


def _read_links(text: str, fields: PaperFields) -> str:
    """The entry's links read into its fields: a title written as a link (its text is three words or more), a
    label inside it (`[[C10] Title](url)`), and labelled links (`[[paper]](…)`, `<a href=…>[code]</a>`, a bare
    `<https://…>` labelled by its URL); the text is given back with each of them made a line break."""
    links = [(match.start(), match.end(), match.group(1), site_relative(match.group(2)))
             for match in _MARKDOWN_LINK.finditer(text)]
    links += [(match.start(), match.end(), f"[{match.group(1)}]", match.group(1))
              for match in _AUTOLINK.finditer(text)]
    kept, position = [], 0
    for start, end, written, url in sorted(links + _html_links(text)):
        if start < position:
            continue  # inside a link already read
        inner = written
        inner_label = _LABEL.match(inner)
        if inner_label and fields.label is None and len(inner[inner_label.end():].split()) >= 3:
            fields.label, inner = inner_label.group("label"), inner[inner_label.end():]
        if _is_link_label(inner):
            fields.links.append((_plain(inner).strip("[]"), url))
        elif fields.title is None and _long_enough(inner) and len(_plain(inner).split()) != 2:
            fields.title, fields.title_url = _plain(inner).rstrip("."), url
            if _plain(inner) != " ".join(inner.split()):
                fields.title_written = inner.strip()  # "Stress in Single *E. coli* Lineages": its markup kept
        else:
            continue
        kept += [text[position:start], "\n"]
        position = end
    return "".join(kept) + text[position:]


def _first_quoted(text: str) -> tuple[int, int] | None:
    """Where the first quoted text's quotes start and end; found in one pass, where a lazy pattern from every
    opening quote that is never closed to the text's end is quadratic."""
    opening = next((index for index, character in enumerate(text) if character in _OPENING_QUOTES), None)
    if opening is None:
        return None
    closing = next((index for index in range(opening + 2, len(text)) if text[index] in _CLOSING_QUOTES), None)
    return None if closing is None else (opening, closing + 1)


def _read_quoted_title(segments: list[str], fields: PaperFields) -> list[str]:
    """The first quoted text of two words or more is the title (IEEE, venue-first and Japanese citations); the
    segments are given back without it, the text before and after it apart. Quotes inside HTML tags (attributes)
    are never titles."""
    rest: list[str] = []
    for segment in segments:
        masked = _ANY_TAG.sub(lambda match: "\0" * len(match.group(0)), segment)
        quoted = _first_quoted(masked) if fields.title is None else None
        inner = segment[quoted[0] + 1 : quoted[1] - 1].strip().rstrip(",.").rstrip() if quoted else ""
        opens_title = quoted and segment[quoted[1]:].lstrip().startswith(":")  # "“Our markets”: Women traders"
        if quoted and (len(inner.split()) >= 2 or len(inner) >= 4) and not opens_title:
            fields.title = _plain(inner).rstrip(".,")
            before, after = segment[: quoted[0]], segment[quoted[1]:]
            rest += [part for part in (before, after) if part.strip(" .,;:")]
            continue
        rest.append(segment)
    return rest


def _read_author_line(segments: list[str], fields: PaperFields) -> list[str]:
    """The author list read into the fields: the first segment of two names or more; a lone name only in a later
    segment (a bold title of capitalised words in the first reads like a name) or before an APA year. What
    follows the list on its line (an APA year, a venue) and every other segment are given back. A segment "With
    A and B" is the co-authors'."""
    remaining: list[str] = []
    found = [None if _COAUTHORS.match(segment) else _author_list(_author_text(segment)) for segment in segments]
    first = _author_text(segments[0]) if segments else ""
    chosen = next((index for index, authors in enumerate(found) if authors and (
        len(authors[0]) >= 2 or (index == 0 and _inverted_first(_list_parts(first), first)))),
                  next((index for index, authors in enumerate(found)
                        if authors and (index or _author_text(segments[index]) != segments[index])), None))
    for index, segment in enumerate(segments):
        coauthors = _COAUTHORS.match(segment)
        listed = read_authors(segment[coauthors.end():]) if coauthors else None
        if listed:
            fields.coauthors = listed
            continue
        authors = found[index] if index == chosen else None
        if authors is None:
            remaining.append(segment)
            continue
        fields.authors = authors[0]
        author_text = _author_text(segment)
        after = author_text[authors[1]:].lstrip(" ,;") + segment[len(author_text):]
        legend = _LEGEND_IN_PARENTHESES.match(after)
        after = after[legend.end():] if legend else after  # what the marks mean: the layout's own words
        editors = after.split(None, 1)
        if editors and editors[0].casefold() in _EDITORS:  # the authors are the book's editors: the layout's word
            after = editors[1] if len(editors) > 1 else ""
        year = _YEAR.search(after)
        if year and fields.year is None and after.lstrip().startswith("("):
            fields.year = year.group(1)  # APA: "Doe, J. (2024). Title. Venue"
            after = after[after.index(")", year.end()) + 1 :] if ")" in after[year.end():] else ""
        remaining += [part for part in _segments(after.lstrip(" .:")) if part.strip(" .,;:")]
    return remaining


_PLAIN_SENTENCE = re.compile(r"[\w&/,:' -]+\.?")  # words only: no markup, no parentheses, no link


def _read_venue(segments: list[str], fields: PaperFields) -> None:
    """The venue, its details and the year from the segments left once title and authors are read: the first
    segment that names a venue; the year is the last of the first segment that has one (unless an APA year was
    read), and a year that ends the venue's name is the date, not the name ("**ICLR 2025**"). An award and a
    remark in parentheses after the venue are read too ("*IROS 2023* (**Best Student Paper Finalist**)")."""
    year_read = fields.year is not None
    for segment in segments:
        if fields.award is None and _is_award(_plain(segment).strip("() .")):
            fields.award = _plain(segment).strip("() .")  # a line of its own: "**Best Paper Award**"
            continue
        years = [match.group(1) for match in _YEAR.finditer(segment)]
        if fields.year is None and years:
            fields.year = years[-1]
        if fields.venue is not None:
            if fields.details is not None and _PLAIN_SENTENCE.fullmatch(segment.strip()):
                # The details go on in a sentence of their own ("pp. 88–121. Chapman & Hall/CRC."): as written.
                fields.details += ". " + segment.strip().rstrip(".")
                continue
            _read_remarks(_plain(segment), fields)
            continue
        venue = _venue(segment, keep_year=year_read)
        imprint = _IMPRINT.fullmatch(venue) if venue else None
        # A book's "Place: Publisher": the publisher is the venue, the place a detail.
        if imprint and imprint.group(1)[0].isupper() and _PUBLISHER.search(imprint.group(2)):
            fields.venue, fields.details = imprint.group(2), imprint.group(1)
            continue
        if venue:
            fields.venue = venue
            fields.details = _details(segment, venue, fields.year)
            plain = _plain(segment)
            start = plain.find(venue)
            _read_remarks(plain[start + len(venue) :] if start >= 0 else "", fields)
            fields.details = _without_remarks(fields.details, fields)


# A book's imprint, "Ithaca, NY: Cornell University Press": a place of one to three words (a state or country after a
# comma), a capital first (checked where it is read: any script's capitals), a colon, and a publisher, named by a word
# publishers' names hold (a venue such as "ICLR Workshop: Trustworthy ML" or "Findings: EMNLP" is no imprint).
_IMPRINT = re.compile(r"((?:[^\W\d_][^\s:,]*\s?){1,3}(?:,\s(?:[^\W\d_][^\s:,]*\s?){1,2})?):\s+([^\W\d_][^:]{2,})")


_PUBLISHER = re.compile(
    r"\b(?:press|presses|verlag|publish\w*|books|[ée]ditions|editorial|ediciones|editora|editore|edizioni|routledge"
    r"|springer|wiley|elsevier|sage|brill|palgrave|macmillan|polity|verso|blackwell|bloomsbury|norton|penguin"
    r"|gallimard|seuil|suhrkamp|gruyter|benjamins|harper|knopf|random house|fayard|flammarion|découverte)\b", re.I)


def _without_remarks(details: str | None, fields: PaperFields) -> str | None:
    """The details without the award and the remark read from them (each field holds its own text): what is
    left before them, if it still holds a number (a volume, pages); else none."""
    if details is None:
        return None
    cut = min((index for index in (details.find(fields.award or "\0"), details.find(fields.note or "\0"))
               if index >= 0), default=-1)
    if cut < 0:
        return details
    # The markup that opens around the award stays outside ("<span style=…>_Oral_</span>").
    kept = re.sub(r"(?:<[a-z][^<>]*>|[*_(\s])*$", "", details[:cut]).rstrip(" ,;:.(")
    return kept if any(character.isdigit() for character in _TAGS.sub("", kept)) else None


def leading_marker(text: str) -> int:
    """How long the emoji or symbols that open a line are, with the spaces after them ("🔥 ", "🎉🎉 ", "📝 "), 0
    when it opens otherwise: such a run before an entry's date marks the entry, as a list's bullet does."""
    end = 0
    while end < len(text) and (unicodedata.category(text[end]) in ("So", "Sk") or text[end] in "\ufe0f\u200d"):
        end += 1
    spaces = len(text[end:]) - len(text[end:].lstrip(" \t"))
    return end + spaces if end and spaces else 0


# What an award or a distinction says ("Oral Presentation", "Spotlight", "Best Student Paper Finalist").
_AWARD = re.compile(r"\b(?:oral|spotlight|best|outstanding|award|prize|finalist|honou?rable mention|highlight"
                    r"|distinguished|nominee|nominated)\b", re.I)
_PARENTHESES = re.compile(r"\(([^()]*)\)")
_LEGEND = re.compile(r"[*†‡#§¶\\\s]*:?\s*" + EQUAL_CONTRIBUTION, re.I)
_REMARK = re.compile(r"\(([^()]*)\)|([^,;()]+)")


# The same in Korean, Chinese and Japanese, whose words stand without spaces ("우수논문상", "最佳论文奖", "優秀論文賞").
_CJK_AWARD = re.compile(r"(?:우수|최우수|장려|논문|학술|발표|포스터|신진연구자)상|[賞奖獎]|最佳|优秀|優秀|最優秀")


def _is_award(text: str) -> bool:
    """Whether a short text names an award or a distinction (and no year: "Best Paper Award, NeurIPS 2024" is an
    award line of its own, not a paper's)."""
    return bool(_AWARD.search(text) or _CJK_AWARD.search(text)) and len(text.split()) <= 6 and not _YEAR.search(text)


def _read_remarks(tail: str, fields: PaperFields) -> None:
    """An award and a remark in parentheses from what follows the venue (year, volume and pages left alone)."""
    for match in _REMARK.finditer(tail):
        chunk = (match.group(1) if match.group(1) is not None else match.group(2)).strip(" .")
        if _LEGEND.match(chunk):
            continue  # "(*equal contribution)": what the author list's marks mean, the layout's own words
        if fields.award is None and _is_award(chunk):
            fields.award = chunk
        elif (match.group(1) is not None and fields.note is None and len(chunk.split()) >= 2
              and any(character.isalpha() for character in chunk)):
            fields.note = match.group(1).strip()  # its parentheses are the layout's: every output writes them


_CLOSING_MARKUP = re.compile(r"(?:[*_]|</[a-z]+\s*>)*", re.I)


def _details(segment: str, venue: str, year: str | None) -> str | None:
    """What follows the venue in its segment, before or after the year: volume, issue, pages ("12(3), 455–489",
    "pp. 1120–1124", "**20**, 1021"), as written."""
    start = segment.find(venue)
    if start < 0:
        return None
    closing = _CLOSING_MARKUP.match(segment, start + len(venue))
    rest = segment[closing.end() if closing else start + len(venue) :]
    written_year = re.search(rf"(?<!\w){year}(?!\w)", rest) if year else None  # not inside "e2024JC1"
    parts = [rest[: written_year.start()], rest[written_year.end():]] if written_year else [rest]
    before = parts[0].strip(" ,;:(.")
    if len(parts) == 2 and before and (_ENDS_WITH_MONTH.search(before) or any(
            character.isdigit() for character in parts[1])):
        # A place or a month before the year, or details on both sides of it ("Denver, CO, USA, Jun. 2024, pp.
        # 1–6", "pp. 611–625, Feb. 2022", "361, 2023, p. 1457–1470"): the year is read, and written inside the
        # details as the page has it.
        parts = [rest]
    for part in parts:
        details = part.strip(" ,;:(").rstrip(" ,;:(.")
        if details.count("**") % 2 or details.count("*") % 2:  # the emphasis of the venue and year closes first
            details = _CLOSING_MARKUP.sub("", details, count=1).strip(" ,;:(")
        if details.endswith(")") and details.count("(") < details.count(")"):
            details = details[:-1].rstrip(" ,;:")
        if any(character.isdigit() for character in details):
            return details
    return None


_ENDS_WITH_MONTH = re.compile(rf"\b{MONTH_WORD}$")
_APA_YEAR = re.compile(r"\((?:19|20)\d{2}[a-z]?\)")


def _author_text(segment: str) -> str:
    """A segment up to an APA year in parentheses, where its author list ends ("Doe, J., & Roe, K. (2024)"), or
    up to the legend of its marks ("A\\*, B\\* (\\*: equal contribution)")."""
    match = _APA_YEAR.search(segment) or _LEGEND_IN_PARENTHESES.search(segment)
    return segment[: match.start()].rstrip() if match else segment  # the spaces before it, not searched for


_LEGEND_IN_PARENTHESES = re.compile(r"\s*\((?:\\?\*|[†‡#§¶])+\s*(?::|=|denotes|indicates)?\s*" + EQUAL_CONTRIBUTION
                                    + r"[^()]*\)", re.I)


# Where a sentence never ends: inside an HTML tag (its attributes have colons) or an emphasised venue; a mark
# after a name ends a word as a letter does ("**Qian Lu**$^{\dagger}$. A Title").
_INSIDE_TAG = re.compile(r"<[^<>\n]*>")
_EMPHASIS_TAG = re.compile(r"</?(?:i|em|b|strong)>", re.I)
_INSIDE_EMPHASIS = re.compile(r"(?<![*\w])(\*)(?!\*)([^*\n]+)\*(?!\*)|(?<![_\w])(_)([^_\n]+)_(?![_\w])")
_WRITTEN_MARK = re.compile(r"<sup>[^<>\n]*</sup>|\$\^\{?[^{}$\n]*\}?\$|\\\*")
_ABBREVIATIONS = frozenset({"vol", "no", "pp", "proc", "trans", "conf", "int", "j", "jan", "feb", "mar", "apr", "jun",
                            "jul", "aug", "sep", "sept", "oct", "nov", "dec", "al", "eds", "ed", "intl", "natl",
                            "symp", "lett", "commun", "sci", "rev", "phys", "soc", "assoc", "comput", "univ", "dept"})
_LEAD_WORDS = frozenset({"in", "dans", "en"})  # "In: **ESA 2024**": the word that opens a venue
_MONTHS = frozenset({"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
                     "january", "february", "march", "april", "june", "july", "august", "september", "october",
                     "november", "december"})


def _last_word(text: str, end: int | None = None, skip: int | None = None) -> str:
    """The last run of word characters of a text, or of its first `end` characters, past at most `skip`
    characters that are not word characters (read from the end, never copying the text: a pattern anchored at the
    end, or a slice at every sentence end, would be quadratic)."""
    end = len(text) if end is None else end
    limit = 0 if skip is None else max(end - skip, 0)
    while end > limit and not (text[end - 1].isalnum() or text[end - 1] == "_"):
        end -= 1
    start = end
    while start and (text[start - 1].isalnum() or text[start - 1] == "_"):
        start -= 1
    return text[start:end]


def _masked(line: str) -> str:
    """A line of the same length where no sentence can end inside a tag or an emphasised span, and a mark reads
    as letters. An italic or bold tag reads as Markdown's `_` does, so a sentence ends before and after one as
    around `*…*` ("2023. <i>Title</i>. Ithaca")."""
    masked = _WRITTEN_MARK.sub(lambda match: "x" * len(match.group(0)), line)
    masked = _INSIDE_TAG.sub(lambda match: ("_" if _EMPHASIS_TAG.fullmatch(match.group(0)) else "\0")
                             * len(match.group(0)), masked)
    return _INSIDE_EMPHASIS.sub(lambda match: match.group(0)[0] + "x" * (len(match.group(0)) - 2)
                                + match.group(0)[-1], masked)


def _segments(line: str) -> list[str]:
    """A line's parts between sentence ends (never inside an HTML tag, whose attributes have colons)."""
    masked = _masked(line)
    parts, start = [], 0
    for match in _SENTENCE.finditer(masked):
        if _last_word(line, match.start(), skip=3).casefold() in _ABBREVIATIONS or (
                match.start() - start <= 8 and line[start : match.start()].strip(" :").casefold() in _LEAD_WORDS):
            continue
        parts.append(line[start : match.start()])
        start = match.end()
    return [*parts, line[start:]]


_EMPHASISED = re.compile(r"(?<!\*)\*\*?([^*]+?)\*\*?(?!\*)|(?<!_)_([^_]+)_|<i>([^<>]*)</i>|<em>([^<>]*)</em>"
                         r"|<span[^<>]*>([^<>]*)</span>", re.I)
# Where a venue's name ends: a volume, issue or pages after a comma, a number after a comma or a parenthesis.
_VENUE_END = re.compile(r",?\s*\b(?:vol|Vol|no|No|pp|S)\.\s|,\s*(?=\*\*\d|\d)|\s+\((?=\d)|\s+\*\*\d")


# The words that open a venue and are no part of its name: "In:", "To appear in", "Accepted at".
_VENUE_LEAD = re.compile(r"^(?:(?:to appear|accepted|published|presented)\s+(?:in|at|to|by)|in)\b:?\s+", re.I)


def _venue(segment: str, keep_year: bool = False) -> str | None:
    """A venue from its segment: an emphasised name when there is one, else the segment's text up to its
    volume, pages or year (the words that open it, "In:", taken off; "Proceedings of" kept). A year that ends
    the name is the date ("NeurIPS 2025"), unless the entry's year was read elsewhere ("(2020) … KONVENS 2020")."""
    emphasised = _EMPHASISED.search(segment)
    venue = next(group for group in emphasised.groups() if group) if emphasised else segment
    venue = _plain(venue)
    for remark in _PARENTHESES.finditer(venue):  # "ICML 2022 (Oral)", "Venue (2024)": the name ends before
        if remark.start() and (_is_award(remark.group(1)) or remark.group(1)[:1].isdigit()):
            venue = venue[: remark.start()]
            break
    end = _VENUE_END.search(venue)
    if end and end.start() > 0:
        venue = venue[: end.start()]
    venue = _VENUE_LEAD.sub("", venue)
    if not keep_year or emphasised:
        venue = _without_final_date(venue)
    venue = " ".join(re.sub(r"\(\s*\)", " ", venue).split()).strip(" ,;:'’\"")
    if venue.count("(") > venue.count(")"):
        venue = venue[: venue.rindex("(")].rstrip(" ,;:")
    if venue.endswith(".") and _last_word(venue).casefold() not in _ABBREVIATIONS:
        venue = venue[:-1].rstrip(" ,;:")  # a sentence's full stop, not an abbreviation's ("Commun.")
    return venue.strip() or None


def _without_final_date(venue: str) -> str:
    """A venue's name without the date that ends it (", Feb. 2022", " 2025", ", 2024年3月"); a year inside the
    name stays ("CoRL 2024 Workshop on …")."""
    years = list(_YEAR.finditer(venue))
    if not years:
        return venue
    last = years[-1]
    if not re.fullmatch(r"(?:年(?:\d{1,2}月)?(?:\d{1,2}日)?)?[\s.,)]*", venue[last.end():]):
        return venue
    head = venue[: last.start()].rstrip(" (")
    if _last_word(head).casefold() in _MONTHS:
        head = head[: len(head) - len(_last_word(head.rstrip(". "))) - (len(head) - len(head.rstrip(". ")))]
    return head.rstrip(" ,;:")


__all__ = ["SITE_ADDRESS", "SITE_PREFIX", "LIST_SEPARATOR", "Owner", "is_person_name",
           "read_authors", "read_paper", "site_relative", "trailing_links"]
