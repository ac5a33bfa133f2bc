"""CV → the Markdown "about" page of a Jekyll homepage (academicpages), written in the page's own style.

User text is escaped for kramdown and kept away from Liquid; the page's own markup (link styles, owner
markup, line breaks) comes from the CV's `homepage` settings, captured when the page was imported.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from cvgen.dates import format_date, is_iso, parse_date
from cvgen.dump import dump_yaml
from cvgen.markup import Code, Emphasis, Highlight, Link, Span, Strong, Text, Underline, parse_markup, plain_text
from cvgen.model import (
    CV,
    AuthorsLayout,
    AwardsSection,
    EducationSection,
    EntriesSection,
    EntryLayout,
    ExperienceSection,
    GenericEntry,
    Homepage,
    LinksLayout,
    NewsSection,
    PressSection,
    ProjectsSection,
    Publication,
    PublicationsSection,
    RawEntry,
    Section,
    SectionPage,
    ServiceEntry,
    Talk,
    TalksSection,
)
from cvgen.renderers import RenderOptions, list_kinds
from cvgen.slots import (
    AuthorField,
    PaperFields,
    braced,
    fill,
    fill_slots,
    holds,
    layout_url,
    open_period,
    required_slots,
    slots,
    writes_open_end,
    written_links,
)
from cvgen.templates import make_environment, template_dirs, user_template_dirs

LaidOutSection = (PublicationsSection | EntriesSection | NewsSection | EducationSection | ExperienceSection
                  | AwardsSection | PressSection | ProjectsSection | TalksSection)

_LIQUID_OPEN = re.compile(r"\{(?=[{%])")
_ENTITY_LIKE = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_TAG_START = re.compile(r"<(?=[\w:/!?$]|\Z)")  # a < kramdown may read as a tag (<_>, <1>, <a:b>), or ends a span
_INDENTED_LINE = re.compile(r"\n[ \t]+")
_URL_BREAKERS = re.compile(r"[<>\\|]")  # and a pipe, which kramdown reads as a table cell even in a URL
_INLINE_SPECIALS = re.compile(r"([\\*_`\[\]|~])")
_BLOCK_START = r"([ \t]*)(?:([#>+=:~-])|(\d+)([.)]))"  # a heading, quote, list item, setext underline…
_LINE_START = re.compile("^" + _BLOCK_START, re.MULTILINE)
_AFTER_NEWLINE = re.compile("(?<=\n)" + _BLOCK_START)
_ESCAPED = re.compile(r"[&\xa0\n\\*_`\[\]|~<${]")  # a character escape_kramdown may change (but at a line's start)


def _escape_block_start(match: re.Match[str]) -> str:
    indent, mark, number, delimiter = match.groups()
    return f"{indent}\\{mark}" if mark else f"{indent}{number}\\{delimiter}"


def escape_line_start(markdown: str) -> str:
    """Escape what would open a block at the start of written Markdown, so it stays text."""
    return _LINE_START.sub(_escape_block_start, markdown, count=1) if _LINE_START.match(markdown) else markdown


def character_reference(character: str) -> str:
    """A character as a numeric character reference, such as `&#44;` for a comma."""
    return f"&#{ord(character)};"


def escape_kramdown(text: str, *, line_start: bool = True, literal: str = "", literal_at_start: str = "") -> str:
    """Escape literal text for kramdown (GFM parser) and hide it from Liquid, so it shows as written.

    The characters in `literal` (and in `literal_at_start` when they begin the text) are written as numeric
    character references: kramdown shows them as the characters, and the importer never reads them as the
    page's structure (an author list's comma, an equal-contribution star, a note's parentheses)."""
    if not ((literal and any(character in text for character in literal)) or _ESCAPED.search(text)
            or (line_start and _LINE_START.match(text)) or (literal_at_start and text[:1] in literal_at_start)):
        return text  # most names and titles: nothing below would change them
    text = _ENTITY_LIKE.sub("&amp;", text).replace("\xa0", "&nbsp;")  # a no-break space is kept visible
    # Indentation at the start of a later line could open a code block (after a heading, a list or a blank
    # line); a browser shows none of it inside a paragraph, so it goes.
    text = _INDENTED_LINE.sub("\n", text)
    if text and text[0] in literal_at_start:
        text = character_reference(text[0]) + text[1:]
    if literal:
        text = re.sub(f"[{re.escape(literal)}]", lambda match: character_reference(match.group(0)), text)
    text = _INLINE_SPECIALS.sub(r"\\\1", text)
    text = _TAG_START.sub("&lt;", text).replace("$$", r"\$\$").replace("{:", r"\{:")
    text = _LIQUID_OPEN.sub("&#123;", text)
    if text.endswith("\\\\"):  # an escaped backslash that ends a line would read as kramdown's line break
        text = text[:-2] + "&#92;"
    return (_LINE_START if line_start else _AFTER_NEWLINE).sub(_escape_block_start, text)


def code_span(text: str) -> str:
    """A code span that holds `text` whole: its fence is longer than any backtick run inside (kramdown ends a
    span at the first run of the fence's length, even inside a longer run), and a padded fence keeps spaces and
    backticks at the ends. Line breaks become spaces, as in any code span; nothing inside can end it early."""
    text = text.replace("\r", " ").replace("\n", " ")
    if "|" in text:  # kramdown's table parser sees a pipe even inside backticks: an HTML code element instead
        return "<code>" + "".join(c if c.isalnum() or c == " " else character_reference(c) for c in text) + "</code>"
    text = _LIQUID_OPEN.sub("&#123;", text)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    if not longest and text and not text[0].isspace() and not text[-1].isspace():
        return f"`{text}`"
    fence = "`" * max(longest + 1, 2)  # a fence of two or more drops exactly one space at each end
    return f"{fence} {text} {fence}"


def escape_attribute(value: str) -> str:
    """Escape a URL or value for a double-quoted HTML attribute (and keep Liquid out of it)."""
    value = value.replace("&", "&amp;") if _ENTITY_LIKE.search(value) else value
    return _LIQUID_OPEN.sub("&#123;", value.replace('"', "&quot;").replace("<", "&lt;"))


def close_tag(open_tag: str) -> str:
    """The closing tag of a bare HTML opening tag: `<b>` → `</b>`."""
    return "</" + open_tag[1:]


def wrap(wrapper: str, inner: str) -> str:
    """Put text into a page wrapper such as '<u>{text}</u>'."""
    return wrapper.replace("{text}", inner)


MARKDOWN_LINK = "[{text}]({url})"
LIST_MARKER = re.compile(r"[ \t]*([-*+]|(\d+)([.)]))([ \t]+|$)")  # a list item's marker, as the page writes it
# How cvgen writes a paper whose layout has no slot for one of its fields: every field, in its own style.
DEFAULT_PAPER_LAYOUT = EntryLayout(
    template="{?[{label}] ?}**{title}**{? \\\\\n{links}?} \\\\\n{?{authors} \\\\\n?}{?*{venue}*?}{?, {details}?}"
             "{? {year}?}{?, _{award}_?}{? ({note})?}{?\n[{title_url}]({title_url})?}",
    authors=AuthorsLayout(), links=LinksLayout(link="[[{label}]]({url})"), detail="\n  - {text}",
)


def _trailing_optional(layout: EntryLayout, given: set[str]) -> EntryLayout:
    """A layout with each slot an entry has no value for made optional where only spaces stand before it and
    nothing after it on its line ('{label}: {title} {start}' writes 'Label: Title' for an entry without a date);
    other slots it lacks are left for the caller to refuse the layout."""
    template = layout.template
    for slot in sorted(required_slots(layout) - given):
        template = re.sub(r"([ \t]+)\{" + slot + r"\}(?=\n|$)", r"{?\1{" + slot + "}?}", template, count=1)
    return layout if template == layout.template else layout.model_copy(update={"template": template})


_NESTED_LIST = EntryLayout(template="", detail="\n  - {text}")  # the lines under an entry, as a nested list
DEFAULT_GENERIC_LAYOUT = EntryLayout(
    template="{?**{label}:** ?}{title}{?, {subtitle}?}{?, {location}?}{?, {start}?}{? - {end}?}{? ({when})?}"
             "{? {links}?}", links=LinksLayout(link="[[{label}]]({url})"), detail="\n  - {text}")

_AUTHOR_LITERALS = ",*†‡§¶#"  # the list's separator and the marks, when part of a name
_BALANCED_NOTE = re.compile(r"[^()]*(?:\([^()]*\)[^()]*)*")  # parentheses the importer reads back as they are


@dataclass(frozen=True)
class PageWriter:
    """Turns CV values into the page's Markdown, following its homepage settings and the section's own."""

    page: Homepage
    section: SectionPage = field(default_factory=SectionPage)
    language: str = "en"  # the CV's: a date the page has no style for is written in cvgen's style in it

    @property
    def br(self) -> str:
        """How a line ends inside an entry: ' \\\\', two spaces or <br>."""
        return self.section.line_break if self.section.line_break is not None else self.page.line_break

    def markup(self, source: str | None, *, line_start: bool = False, literal: str = "",
               literal_at_start: str = "") -> str:
        """A markup field as kramdown Markdown; `literal` characters (and `literal_at_start` ones that begin
        the field) are written as character references, where the page would read them as its structure."""
        if not source:
            return ""
        return self.spans(parse_markup(source), line_start=line_start, literal=literal,
                          literal_at_start=literal_at_start)

    def spans(self, spans: tuple[Span, ...], *, line_start: bool = False, literal: str = "",
              literal_at_start: str = "") -> str:
        """Spans as kramdown Markdown, text escaped."""
        parts: list[str] = []
        for index, span in enumerate(spans):
            at_start = line_start and index == 0
            first = literal_at_start if index == 0 else ""  # only the field's first character
            match span:
                case Text(text):
                    written = escape_kramdown(text, line_start=at_start, literal=literal, literal_at_start=first)
                    if written.endswith("!") and index + 1 < len(spans) and isinstance(spans[index + 1], Link):
                        written = written[:-1] + "\\!"  # `!` before a link would make it an image
                    parts.append(written)
                case Code(text):
                    parts.append(code_span(text))
                case Strong(children):
                    parts.append(self.strong(self.spans(children, literal=literal, literal_at_start=first)))
                case Emphasis(children):
                    inner = self.spans(children, literal=literal, literal_at_start=first)
                    parts.append(f"{self.page.emphasis}{inner}{self.page.emphasis}")
                case Underline(children):
                    parts.append(f"<u>{self.spans(children, literal=literal, literal_at_start=first)}</u>")
                case Highlight(children):
                    inner = self.spans(children, literal=literal, literal_at_start=first)
                    parts.append(wrap(self.page.highlight, inner))
                case Link(url, children):
                    parts.append(self.link(url, self.spans(children, literal=literal, literal_at_start=first)))
        return "".join(parts)

    def strong(self, inner: str) -> str:
        """Bold Markdown (or the page's HTML element for bold) around already written text."""
        marker = self.section.strong or self.page.strong
        return f"{marker}{inner}{close_tag(marker) if marker.startswith('<') else marker}"

    def link(self, url: str, inner: str) -> str:
        """A link in the page's style: an HTML anchor (with the page's attributes) or a Markdown link."""
        template = self.section.link_template or self.page.link_template
        if template is None and self.page.link_style is not None:
            template = f'<a href="{{url}}" style="{escape_attribute(self.page.link_style)}">{{text}}</a>'
        if template is None or template == MARKDOWN_LINK:
            # `<`, `>` and `\` would end or escape the destination's brackets: percent-encoded, as a browser
            # sends them anyway, so the URL stays one destination and nothing after it becomes HTML.
            url = _LIQUID_OPEN.sub("%7B", _URL_BREAKERS.sub(lambda match: f"%{ord(match.group()):02X}", url))
            if re.search(r"[\s()]", url):
                return f"[{inner}](<{url}>)"
            return f"[{inner}]({url})"
        return template.replace("{url}", escape_attribute(url)).replace("{text}", inner)

    def date(self, text: str | None, section: SectionPage | None = None) -> str:
        """A date as written, or in the section's style when given as YYYY-MM."""
        if not text:
            return ""
        section = section or self.section
        if is_iso(text):
            date = parse_date(text)
            shown = format_date(date, section.date_style) if section.date_style else date.display(self.language)
            return escape_kramdown(shown, line_start=False)
        return escape_kramdown(text, line_start=False)

    def period(self, start: str | None, end: str | None, section: SectionPage | None = None) -> str:
        """A start–end period in the section's style."""
        section = section or self.section
        parts = [self.date(value, section) for value in (start, end) if value]
        return section.range_separator.join(parts)

    def bullet(self, number: int) -> str:
        """The list marker of the entry numbered `number` (from 1)."""
        return self.section.bullet.replace("{n}", str(number))

    def indent(self, *, nested: bool = False) -> str:
        """Before continuation lines of an entry, or before its nested list items."""
        if self.section.indent is not None:
            return self.section.indent
        return "  " if nested else ""

    def links(self, publication: Publication) -> str:
        """A publication's [label] links, in the section's layout (continuation lines not yet indented)."""
        return self.section.link_separator.join(
            self.link(link.url, "[" + self.markup(link.label, literal="[]") + "]") for link in publication.links)

    def note(self, source: str) -> str:
        """A publication's note, for inside parentheses: its own parentheses are written as references unless
        they pair up (at most one level deep), as notes such as '(Oral (top 5%))' write them."""
        balanced = _BALANCED_NOTE.fullmatch(plain_text(parse_markup(source))) is not None
        return self.markup(source, literal="" if balanced else "()")

    def in_house_style(self, section: PublicationsSection) -> bool:
        """Whether a section's papers are written in cvgen's own paper style (`house_paper`): it has no layout,
        no entry is raw or has its own, and no paper has a field that style has no place for (label, title link,
        details)."""
        return not (self.section.layout is not None or self.section.paragraphs or any(
            isinstance(entry, RawEntry) or entry.homepage is not None or entry.label or entry.url or entry.details
            for entry in section.items))

    def entries(self, section: LaidOutSection, cv: CV) -> str:
        """A section's entries, each in its layout (or as the page wrote it, for an entry kept raw), as a list or
        as paragraphs (or, for news not listed, as the lines of one paragraph), with the blank lines the page puts
        between them."""
        lines_of_one_paragraph = self.section.lines or isinstance(section, NewsSection) and not self.section.listed
        house = isinstance(section, PublicationsSection) and self.in_house_style(section)
        between = self.br + "\n" if lines_of_one_paragraph else self.section.between
        parts: list[str] = []
        previous_item = False
        number = 0
        others = [entry.homepage.layout for entry in section.items  # for an entry its section's layout cannot write
                  if not isinstance(entry, RawEntry) and entry.homepage is not None and not entry.homepage.block]
        for entry in section.items:
            if isinstance(entry, (Publication, Talk, GenericEntry)) and entry.site is not None \
                    and not entry.site.on_page:
                continue  # shown only by its collection file on the site
            if isinstance(entry, RawEntry):
                text = entry.raw.strip("\n")
                item = LIST_MARKER.match(text) is not None
            else:
                item = not (self.section.paragraphs or lines_of_one_paragraph) and not (
                    entry.homepage is not None and entry.homepage.block)
                own, nested = self.house_parts(entry, cv) if house and isinstance(entry, Publication) else \
                    self._paper_parts(entry, cv, others) if isinstance(entry, Publication) else \
                    self._generic_parts(entry, others) if isinstance(entry, GenericEntry) else \
                    list_kinds.parts(self, entry, others)
                lines = own.split("\n")
                text = "\n".join([lines[0], *(self.indent() + line if line else line for line in lines[1:])]) + nested
            number = number + 1 if item and previous_item else 1
            if not isinstance(entry, RawEntry) and item:
                text = self.bullet(number) + text
            if parts:
                parts.append("\n" if item and previous_item and not self.section.loose else between)
            parts.append(text)
            previous_item = item
        return wrap(self.section.frame, "".join(parts))

    def paper(self, publication: Publication, cv: CV) -> str:
        """A paper in its own layout or its section's, each field escaped for kramdown; in cvgen's default layout
        when that layout has no place for one of its fields (so that none is lost)."""
        return "".join(self._paper_parts(publication, cv))

    def _paper_parts(self, publication: Publication, cv: CV,
                     others: Sequence[EntryLayout] = ()) -> tuple[str, str]:
        """A paper's own text (its continuation lines not yet indented), and the nested list under it: in its
        layout, else (where that cannot write it whole) in the first of its section's other entries' layouts
        that can, else in cvgen's own paper style in the page's markup (`house_paper`) where that has a place for
        each of its fields, else in cvgen's default layout."""
        layout = publication.homepage.layout if publication.homepage is not None else self.section.layout
        fields = PaperFields(
            label=self._field(publication.label), title=self._field(publication.title),
            title_url=layout_url(publication.url), venue=self._field(publication.venue),
            details=self._field(publication.details), year=self._field(publication.year),
            award=self._field(publication.award), note=self._field(publication.note),
            authors=[AuthorField(escape_kramdown(author.name, line_start=False), author.marks, cv.is_owner(author.name))
                     for author in publication.author_list()],
            links=[(self._field(link.label) or "", layout_url(link.url) or "") for link in publication.links])

        def writes(candidate: EntryLayout) -> bool:
            return holds(candidate, fields) and not (publication.highlights and candidate.detail is None)

        if layout is not None and not writes(layout):
            layout = next((other for other in others if writes(other)), None)
            if layout is None and not (publication.label or publication.url or publication.details):
                return self.house_parts(publication, cv)  # cvgen's own paper style, in the page's markup
        if layout is None:
            layout = DEFAULT_PAPER_LAYOUT
        own, nested = self.detail_lines(layout, publication.highlights)
        if "highlights" in slots(layout):  # the lines stand inside the entry (a list in a paper box)
            return fill(layout, fields, self.page.equal_mark, own + nested), ""
        return fill(layout, fields, self.page.equal_mark) + own, nested

    def house_parts(self, publication: Publication, cv: CV) -> tuple[str, str]:
        """A paper in cvgen's own style (`house_paper`), and the lines under it as a nested list."""
        return self.house_paper(publication, cv), self.detail_lines(_NESTED_LIST, publication.highlights)[1]

    def house_paper(self, publication: Publication, cv: CV) -> str:
        """A paper in cvgen's own style, its lines a layout built from the page's settings: the title in the
        page's title markup; the links; the authors (the owner's markup, marks, the legend); the venue, year,
        award and note, each in the page's markup. Each line is filled by the one writer of layouts, and the
        lines after the first escaped where they would start a block (continuation lines not yet indented)."""
        def slot(wrapper: str, name: str) -> str:
            return braced(wrapper).replace("{{text}}", "{" + name + "}")

        values = {"title": self.markup(publication.title), "links": self.links(publication),
                  "authors": self.authors(publication, cv), "venue": self.markup(publication.venue),
                  "year": self.date(publication.year), "award": self.markup(publication.award),
                  "note": self.note(publication.note) if publication.note else ""}
        venue_line = "".join([
            slot(self.page.venue, "venue") if publication.venue else "",
            " " if publication.venue and publication.year else "", "{year}" if publication.year else "",
            ", " + slot(self.page.award, "award") if publication.award else "",
            " ({note})" if publication.note else ""]).lstrip(" ")
        lines = [slot(self.page.paper_title, "title"), "{links}" if publication.links else "", "{authors}",
                 venue_line]
        written = [fill_slots(line, values) for line in lines if line]
        return f"{self.br}\n".join(line if number == 0 else escape_line_start(line)
                                   for number, line in enumerate(written) if line)

    def talk_parts(self, talk: Talk) -> tuple[str, str]:
        """A talk in cvgen's own talk layout, built from the section's settings: its title in bold (in double quotes
        where the page quotes them), a line break, and its venues as a nested list, each '{prefix}{type}, {venue},
        {location}, {date}' (the parts it has).
        Each line is filled by the one writer of layouts."""
        quote = '"' if self.section.quoted_titles else ""
        title = fill_slots(self.strong(quote + "{title}" + quote), {"title": self.markup(talk.title)})
        prefix = self.section.prefix
        venue_line = ("\n" + braced(self.indent(nested=True) + "- " + prefix)
                      + "{?{type}, ?}{venue}{?, {location}?}{?, {date}?}")
        venues = "".join(fill_slots(venue_line, {
            "type": self.markup(venue.type, line_start=not prefix),
            "venue": self.markup(venue.venue, line_start=not (prefix or venue.type)),
            "location": self.markup(venue.location), "date": self.date(venue.date)})
            for venue in talk.venues)
        return title + (self.br if talk.venues else ""), venues

    def service_entry(self, entry: ServiceEntry) -> str:
        """A service entry in cvgen's own layout: the venue, its acronym in bold in parentheses, the years after a
        space ('Conference on Learning Theory (**COLT**) 2021, 2022'), filled by the one writer of layouts."""
        template = "{venue}{? (" + self.strong("{short}") + ")?}{? {years}?}"
        return fill_slots(template, {"venue": self.markup(entry.venue, line_start=True),
                                     "short": self.markup(entry.short),
                                     "years": self.markup(", ".join(entry.years)) if entry.years else ""})

    def generic(self, entry: GenericEntry) -> str:
        """An entry of a heading cvgen has no kind for, in its layout; in cvgen's default layout when its layout
        has no place for one of its fields."""
        return "".join(self._generic_parts(entry))

    def _generic_parts(self, entry: GenericEntry, others: Sequence[EntryLayout] = ()) -> tuple[str, str]:
        """A generic entry's own text (its continuation lines not yet indented), and the nested list under it: in
        its layout, else (where that has no place for one of its fields, or writes one it lacks) in the first of
        its section's other entries' layouts that writes it, else in cvgen's default."""
        layout = entry.homepage.layout if entry.homepage is not None else self.section.layout
        values = {"label": self._field(entry.label) or "", "title": self._field(entry.title) or "",
                  "subtitle": self._field(entry.subtitle) or "", "location": self._field(entry.location) or "",
                  "start": escape_kramdown(entry.start, line_start=False) if entry.start else "",
                  "end": escape_kramdown(entry.end, line_start=False) if entry.end else "",
                  "when": self.markup(entry.when, literal="()") if entry.when else ""}
        links = [(self._field(link.label) or "", layout_url(link.url) or "") for link in entry.links]
        given = {slot for slot, value in values.items() if value} | ({"links"} if links else set())

        def writes(candidate: EntryLayout) -> bool:
            # An end the layout writes as the word before the start ("seit 10/2023") is shown.
            shown = given - {"end"} if writes_open_end(candidate.since, entry.end) else given
            return shown <= slots(candidate) and required_slots(candidate) <= shown and not (
                entry.details and candidate.detail is None)

        if layout is not None:
            layout = _trailing_optional(layout, given)
        if layout is not None and not writes(layout):
            layout = next((other for other in (_trailing_optional(other, given) for other in others)
                           if writes(other)), None)
        if layout is None:
            layout = DEFAULT_GENERIC_LAYOUT
        values["links"] = written_links(layout, links)
        own, nested = self.detail_lines(layout, entry.details)
        return fill_slots(layout.template, open_period(layout.since, values, entry.end)) + own, nested

    def detail_lines(self, layout: EntryLayout, details: list[str]) -> tuple[str, str]:
        """The lines under an entry, each in the layout's form: lines of its own text (after a line break, indented
        as its other lines), or a nested list (whose form holds its indentation)."""
        form = layout.detail or ""
        written = "".join(form.replace("{text}", self._field(detail) or "") for detail in details)
        return ("", written) if LIST_MARKER.match(form.partition("\n")[2]) else (written, "")

    def _field(self, source: str | None) -> str | None:
        """A field in a layout: its markup written for kramdown, escaped as if it began a line (a layout may put
        it there)."""
        return self.markup(source, line_start=True) if source else None

    def authors(self, publication: Publication, cv: CV) -> str:
        """The author list with the owner marked and equal-contribution marks, in the page's style."""
        names = []
        uses_mark = False
        for author in publication.author_list():
            name = escape_kramdown(author.name, line_start=False, literal=_AUTHOR_LITERALS) + escape_kramdown(
                author.marks.replace("*", ""), line_start=False)
            uses_mark = uses_mark or author.equal
            if cv.is_owner(author.name):
                if author.equal and self.page.owner_mark_inside:
                    names.append(wrap(self.page.owner, name + "*"))
                else:
                    names.append(wrap(self.page.owner, name) + (self.page.equal_mark if author.equal else ""))
            else:
                names.append(name + (self.page.equal_mark if author.equal else ""))
        text = ", ".join(names)
        if uses_mark and self.page.equal_legend:
            text += " " + self.page.equal_legend
        return text


@functools.cache
def _environment(user_dirs: tuple[Path, ...]) -> jinja2.Environment:
    return make_environment(template_dirs("markdown", None, user_dirs))


def _environment_for(cv: CV, options: RenderOptions) -> jinja2.Environment:
    """The page's templates: --templates, then the CV's `design.templates`, then the built-in ones (the page has
    no themes: `design.theme` is the PDFs' look)."""
    return _environment(tuple(user_template_dirs(cv, options)))


def render_section(cv: CV, section: Section, options: RenderOptions = RenderOptions()) -> str:
    """One section of the page, without the blank lines around it."""
    writer = PageWriter(cv.homepage, section.homepage, cv.language)
    template = _environment_for(cv, options).get_template(f"sections/{section.kind}.md.j2")
    text = template.render(section=section, page=cv.homepage, cv=cv, write=writer, br=writer.br, wrap=wrap)
    return text.strip("\n")


def render(cv: CV, options: RenderOptions = RenderOptions()) -> str:
    """Render the CV as the homepage's Markdown page, front matter included."""
    sections = [render_section(cv, section, options) for section in cv.sections if section.homepage.shown]
    front_matter = dump_yaml(cv.homepage.front_matter) if cv.homepage.front_matter else ""
    template = _environment_for(cv, options).get_template("page.md.j2")
    return template.render(front_matter=front_matter, sections=sections).replace("\n", cv.homepage.line_ending)


def render_format(cv: CV, options: RenderOptions, view: object) -> str:
    """The registry's entry (cvgen.renderers.render): the page, written from the model's own page settings."""
    return render(cv, options)
