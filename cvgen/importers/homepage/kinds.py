"""The section parsers, one per kind (`SECTION_PARSERS`): each reads a section's units into the model's section,
or raises `Unsupported` saying why it cannot. The opening text, interests, talks and service are read in the
form cvgen writes them; papers in that form here, in any other entry by entry (`entries.type_papers`); the
one-line list kinds (news, education, experience, awards, press, projects) entry by entry in any layout, each
entry's fields read by `entry_kinds` and its layout captured as data (`entries.type_kind`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cvgen.importers.entries import Untyped, cut_units, type_kind
from cvgen.importers.fields import Owner
from cvgen.importers.homepage.blocks import top_level_blocks
from cvgen.importers.homepage.entry_kinds import ENTRY_READERS, talk_venue
from cvgen.importers.homepage.inline import (
    SPACES_BEFORE,
    Html,
    Line,
    StyleCollector,
    Unsupported,
    inline_lines,
    is_plain,
    markup_of,
    split_line,
    strip_line,
    text_at_end,
    wrapper_of,
)
from cvgen.importers.homepage.lists import (
    Body,
    PageStars,
    item_lines,
    list_items,
    section_page,
    single_line,
    single_list,
)
from cvgen.importers.homepage.reader import Reader
from cvgen.markup import Emphasis, Link, Strong, Text, merge_text, plain_text, to_markup
from cvgen.model import (
    InterestsSection,
    Publication,
    PublicationsSection,
    ServiceEntry,
    ServiceGroup,
    ServiceSection,
    Talk,
    TalksSection,
    TextSection,
    written_author,
)


def _opening_text(body: Body, styles: StyleCollector, owner: Owner) -> TextSection:
    """Paragraphs of prose."""
    paragraphs = []
    for block in top_level_blocks(body.tokens):
        if block[0].type != "paragraph_open":
            raise Unsupported(f"{block[0].type.replace('_open', '').replace('_', ' ')} in the text")
        lines = inline_lines(block[1], styles)
        if len(lines) != 1:
            raise Unsupported("a line break in the text")
        paragraphs.append(markup_of(strip_line(lines[0]), styles))
    if not paragraphs:
        raise Unsupported("no text")
    return TextSection(kind="text", paragraphs=paragraphs)


def _interests(body: Body, styles: StyleCollector, owner: Owner) -> InterestsSection:
    """An optional lead-in line and a list."""
    tokens = body.tokens
    intro = None
    if tokens and tokens[0].type == "paragraph_open":
        lines = inline_lines(tokens[1], styles)
        if len(lines) != 1:
            raise Unsupported("a line break in the lead-in")
        intro = markup_of(strip_line(lines[0]), styles)
        body = Body(tokens[3:], body.lines, body.stars, body.settings)
    items, loose = single_list(body)
    if loose:
        raise Unsupported("a loose list of interests")
    return InterestsSection(kind="interests", intro=intro, items=[
        markup_of(single_line(item, styles), styles) for item in items], homepage=section_page(body, []))


def _publications(body: Body, styles: StyleCollector, owner: Owner) -> PublicationsSection:
    """Papers: a title line, an optional line of [links], the authors and the venue line."""
    items, loose = single_list(body)
    papers = []
    link_separators: set[str] = set()
    for item in items:
        if item.children:
            raise Unsupported("a publication with a nested list")
        lines = item_lines(item, styles)
        if len(lines[0]) != 1:
            raise Unsupported("a publication whose first line is not its title")
        title_wrapper, title_line = wrapper_of(lines[0][0], styles)
        styles.see("paper_title", title_wrapper)
        rest = lines[1:]
        links: list[dict[str, str]] = []
        if rest and rest[0] and all(isinstance(span, Link) or (isinstance(span, Text) and not span.text.strip())
                                    for span in rest[0]):
            for span in rest[0]:
                if isinstance(span, Link):
                    label: Line = list(span.children)
                    # Brackets written as `&#91;` `&#93;` are the label's own; the ones in the text enclose it.
                    if not (label and all(is_plain(part) for part in label) and isinstance(label[0], Text)
                            and isinstance(label[-1], Text) and label[0].text.startswith("[")
                            and label[-1].text.endswith("]") and plain_text(label) != "["):
                        raise Unsupported("a link whose label is not in [brackets]")
                    inner: Line = merge_text([Text(label[0].text[1:]), *label[1:]])
                    inner = [*inner[:-1], Text(inner[-1].text[:-1])] if inner else inner
                    links.append({"label": markup_of(inner, styles), "url": span.url})
                else:
                    link_separators.add(span.text)
            rest = rest[1:]
        if not rest or len(rest) > 2:
            raise Unsupported("a publication without an author line, or with extra lines")
        authors = _authors(rest[0], styles, body, owner)
        venue_fields = _venue(rest[1], styles) if len(rest) == 2 else {}
        papers.append(Publication.model_validate(
            {"title": markup_of(title_line, styles), "authors": authors, "links": links, **venue_fields}))
    if len(link_separators) > 1:
        raise Unsupported("links separated in different ways")
    settings: dict[str, Any] = {"link_separator": link_separators.pop()} if link_separators else {}
    return PublicationsSection(kind="publications", items=papers, homepage=section_page(
        body, [paper.year for paper in papers], loose=loose, **settings))


def _authors(line: Line, styles: StyleCollector, body: Body, owner: Owner) -> list[str]:
    """A paper's author line as the YAML writes its authors (the owner in the page's owner markup, a trailing
    '*' for equal contribution), the legend '(*: equal contribution)' after them seen as a page style."""
    line, legend = text_at_end(line, SPACES_BEFORE + r"\(\*\s*:\s*equal contribution\)")
    if legend:
        styles.see("equal_legend", f"({body.stars.legend}: equal contribution)")
    authors = [_author(part, styles, body.stars, owner) for part in split_line(line, ",")]
    if not legend and any(author.endswith("*") and not author.endswith("\\*") for author in authors):
        styles.see("equal_legend", "")
    return authors


def _author(part: Line, styles: StyleCollector, stars: PageStars, owner: Owner) -> str:
    """One author of an author line as the YAML writes it, the page's owner markup and marks seen."""
    part = strip_line(part)
    if not part:
        raise Unsupported("an empty author")
    equal = False
    part, mark = _mark_after_markup(part, stars)
    if all(is_plain(span) for span in part):
        # A star written as `&#42;` is part of the name; only a star in the text is the mark.
        if mark is None and isinstance(part[-1], Text) and part[-1].text.endswith("*"):
            mark = stars.mark
            part = [*part[:-1], Text(part[-1].text[:-1])]
        name = plain_text(part)
    else:
        name, equal = _owner_in_markup(part, styles, owner, marked=mark is not None)
    if mark is not None:
        equal = True
        styles.see("equal_mark", mark)
    return _checked_author(name.strip(), equal)


def _mark_after_markup(part: Line, stars: PageStars) -> tuple[Line, str | None]:
    """An author written with markup, and the equal-contribution mark after it (`<sup>…</sup>` or a star) split
    off; an author in plain text as it stands."""
    if all(is_plain(span) for span in part):
        return part, None
    last = part[-1]
    if isinstance(last, Html) and last.open.lower() == "<sup>" and len(part) > 1:
        return part[:-1], f"{last.open}{plain_text(last.children)}{last.close}"
    if isinstance(last, Text) and last.text.endswith("*") and len(part) > 1:
        return [*part[:-1], *([Text(last.text[:-1])] if last.text[:-1] else [])], stars.mark
    return part, None


def _owner_in_markup(part: Line, styles: StyleCollector, owner: Owner, *, marked: bool) -> tuple[str, bool]:
    """The one author written with markup, the owner: the name, and whether a star inside the markup marks it
    (`marked`: a mark follows the markup)."""
    if len(part) != 1:
        raise Unsupported(f"an author written with formatting: {plain_text(part)!r}")
    wrapper, inner = wrapper_of(part[0], styles)
    name = plain_text(inner)
    if not all(is_plain(span) for span in inner) or (owner.name and not owner.is_owner(name.rstrip("*").strip())):
        raise Unsupported(f"an author written with formatting: {plain_text(part)!r}")
    styles.see("owner", wrapper)
    if inner and isinstance(inner[-1], Text) and inner[-1].text.endswith("*"):
        styles.see("owner_mark_inside", True)
        return name[:-1], True
    if marked:
        styles.see("owner_mark_inside", False)
    return name, False


def _checked_author(name: str, equal: bool) -> str:
    """An author as the YAML writes it, checked to read back as the same name and mark."""
    if not name:
        raise Unsupported("an empty author")
    written = written_author(name, "*" if equal else "")
    read_back = Publication(title="-", authors=[written]).author_list()[0]
    if (read_back.name, read_back.equal, read_back.marks) != (name, equal, "*" if equal else ""):
        raise Unsupported(f"an author the YAML cannot write: {name!r}")  # a mark after a backslash
    return written


def _venue(line: Line, styles: StyleCollector) -> dict[str, str]:
    fields: dict[str, str] = {}
    line, note = text_at_end(line, SPACES_BEFORE + r"\(([^()]*(?:\([^()]*\)[^()]*)*)\)")
    if note:
        fields["note"] = to_markup([Text(note.group(1))])
    line = strip_line(line)
    before_award, comma = text_at_end(line[:-1], r",\s*")
    if line and isinstance(line[-1], (Html, Emphasis)) and comma:
        wrapper, inner = wrapper_of(line[-1], styles)
        styles.see("award", wrapper)
        fields["award"] = markup_of(inner, styles)
        line = before_award
    line = strip_line(line)
    line, year = text_at_end(line, SPACES_BEFORE + r"(\d{4})")
    if year:
        fields["year"] = year.group(1)
    line = strip_line(line)
    if line:
        if len(line) != 1 or is_plain(line[0]):
            raise Unsupported("a venue cvgen cannot read")
        wrapper, inner = wrapper_of(line[0], styles)
        styles.see("venue", wrapper)
        fields["venue"] = markup_of(inner, styles)
    return fields


def _talks(body: Body, styles: StyleCollector, owner: Owner) -> TalksSection:
    """Talks: a bold title line, then the venues as a nested list."""
    items, loose = single_list(body)
    talks = []
    quoted: set[bool] = set()
    prefixes: set[str] = set()
    for item in items:
        lines = item_lines(item, styles)
        if len(lines) > 2 or (len(lines) == 2 and lines[1]) or len(lines[0]) != 1 \
                or not isinstance(lines[0][0], Strong):
            raise Unsupported("a talk whose first line is not its bold title")
        title_line = list(lines[0][0].children)
        title_text = plain_text(title_line)
        is_quoted = title_text.startswith('"') and title_text.endswith('"') and len(title_text) > 1
        quoted.add(is_quoted)
        if is_quoted:
            title_line = strip_quotes(title_line)
        venues = []
        for child in item.children:
            venue, prefix = talk_venue(single_line(child, styles), styles)
            prefixes.add(prefix)
            venues.append(venue)
        talks.append(Talk(title=markup_of(title_line, styles), venues=venues))
    if len(quoted) > 1 or len(prefixes) > 1:
        raise Unsupported("talks written in different styles")
    dates = [venue.date for talk in talks for venue in talk.venues]
    return TalksSection(kind="talks", items=talks, homepage=section_page(
        body, dates, loose=loose, quoted_titles=quoted.pop() if quoted else False,
        prefix=prefixes.pop() if prefixes else ""))


def strip_quotes(line: Line) -> Line:
    """A line without the double quotes around it."""
    first, last = line[0], line[-1]
    if not (isinstance(first, Text) and isinstance(last, Text)):
        raise Unsupported("a quoted title with formatting at its ends")
    if first is last:
        return [Text(first.text[1:-1])]
    return [Text(first.text[1:]), *line[1:-1], Text(last.text[:-1])]


def _service(body: Body, styles: StyleCollector, owner: Owner) -> ServiceSection:
    """Service: groups (an optional bold title line and a list) of 'Venue (**ACRONYM**) years'."""
    tokens = body.tokens
    groups = []
    index = 0
    while index < len(tokens):
        title = None
        if tokens[index].type == "paragraph_open":
            lines = inline_lines(tokens[index + 1], styles)
            if len(lines) != 1 or len(lines[0]) != 1 or not isinstance(lines[0][0], Strong):
                raise Unsupported("a service group whose title is not one bold line")
            title = markup_of(list(lines[0][0].children), styles)
            index += 3
        items, index = list_items(body, index)
        groups.append(ServiceGroup(title=title, entries=[_service_entry(single_line(item, styles), styles)
                                                         for item in items]))
    if not groups:
        raise Unsupported("no service entries")
    return ServiceSection(kind="service", groups=groups, homepage=section_page(body, []))


def _service_entry(line: Line, styles: StyleCollector) -> ServiceEntry:
    for index, span in enumerate(line):
        if isinstance(span, Strong) and index > 0:
            before, after = line[index - 1], line[index + 1] if index + 1 < len(line) else None
            if isinstance(before, Text) and before.text.endswith(" (") and isinstance(after, Text) \
                    and after.text.startswith(")"):
                venue = markup_of(strip_line([*line[: index - 1], Text(before.text[:-2])]), styles)
                short = markup_of(list(span.children), styles)
                years_text = after.text[1:] + plain_text(line[index + 2:])
                if line[index + 2:]:
                    raise Unsupported("formatting after a service entry's years")
                years = [year.strip() for year in years_text.split(",")] if years_text.strip() else []
                if years and not years_text.startswith(" "):
                    raise Unsupported("service years not after a space")
                return ServiceEntry(venue=venue, short=short, years=years)
    raise Unsupported("a service entry without '(**ACRONYM**)'")


def _list_kind(kind: str) -> Callable[[Body, StyleCollector, Owner], Any]:
    """The section parser of a one-line list kind: the run's entries each read by the kind's entry reader, and
    written by the layout found for it (`entries.type_kind`); every entry must be typed (one that is not is left
    to the entry-by-entry reading, which keeps it raw in its place)."""

    def parse(body: Body, styles: StyleCollector, owner: Owner) -> Any:
        blocks = [token for token in body.tokens if token.level == 0 and token.map is not None]
        if not blocks:
            raise Unsupported("no entries")
        start, end = blocks[0].map[0], max(token.map[1] for token in blocks)  # type: ignore[index]
        reader = Reader()
        typed = type_kind(cut_units([(body.tokens, start, end)], body.lines), kind, reader)
        if isinstance(typed, Untyped) or typed.raw:
            reasons = typed.reasons if isinstance(typed, Untyped) else typed.raw
            raise Unsupported(reasons[0][1] if reasons else "no entries")
        styles.merge(reader.styles)
        return typed.section

    return parse


SECTION_PARSERS: dict[str, Callable[[Body, StyleCollector, Owner], Any]] = {
    **{kind: _list_kind(kind) for kind in ENTRY_READERS},
    "text": _opening_text,
    "interests": _interests,
    "publications": _publications,
    "talks": _talks,  # cvgen's own talks (a title over its venues); talks on one line are read entry by entry
    "service": _service,
}


__all__ = ["SECTION_PARSERS", "strip_quotes"]
