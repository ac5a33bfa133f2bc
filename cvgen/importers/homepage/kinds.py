"""The section parsers, one per kind (`SECTION_PARSERS`): each reads a section's units in the form that kind
is written in on a homepage, into the model's section, or raises `Unsupported` saying why it cannot."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from cvgen.dates import is_date
from cvgen.importers.fields import Owner
from cvgen.importers.homepage.blocks import top_level_blocks
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
from cvgen.markup import Emphasis, Link, Strong, Text, merge_text, plain_text, to_markup
from cvgen.model import (
    Article,
    Award,
    AwardsSection,
    Degree,
    EducationSection,
    ExperienceSection,
    InterestsSection,
    NewsItem,
    NewsSection,
    Position,
    PressSection,
    Project,
    ProjectsSection,
    Publication,
    PublicationsSection,
    ServiceEntry,
    ServiceGroup,
    ServiceSection,
    Talk,
    TalksSection,
    TalkVenue,
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


_NEWS_DATE = re.compile(
    r"^\s*((?:[A-Z][a-z]{2,8}\.?\s+(?:\d{1,2},\s+)?\d{4})|(?:\d{4}[-.]\d{1,2}(?:[-.]\d{1,2})?)|\d{4})"
    r"([ \t]*[-–—:|][ \t]*|[^\w\s]*[ \t]+)"
)


def _news(body: Body, styles: StyleCollector, owner: Owner) -> NewsSection:
    """Dated lines in one paragraph, or dated list items."""
    tokens = body.tokens
    listed = bool(tokens) and tokens[0].type in ("bullet_list_open", "ordered_list_open")
    if listed:
        items_found, _ = single_list(body)
        lines = [single_line(item, styles) for item in items_found]
    elif len(tokens) == 3 and tokens[0].type == "paragraph_open":
        lines = [strip_line(line) for line in inline_lines(tokens[1], styles)]
    else:
        raise Unsupported("news is neither one paragraph of dated lines nor a list")
    items = []
    wrappers: set[str] = set()
    separators: set[str] = set()
    for line in lines:
        date, wrapper, separator, rest = _dated_line(line, styles)
        wrappers.add(wrapper)
        separators.add(separator)
        items.append(NewsItem(date=date, text=markup_of(strip_line(rest), styles, highlight=True)))
    if len(separators) != 1 or len(wrappers) != 1:
        raise Unsupported("news lines write their dates in different ways")
    return NewsSection(kind="news", items=items, homepage=section_page(
        body, [item.date for item in items], separator=separators.pop(), date_wrapper=wrappers.pop(),
        listed=listed))


def _dated_line(line: Line, styles: StyleCollector) -> tuple[str, str, str, Line]:
    """Split 'Jan. 2020. Text' or '**[2020.01]**: Text' into the date, its wrapper, the separator and the text."""
    if not line:
        raise Unsupported("an empty news line")
    if isinstance(line[0], Text):
        match = _NEWS_DATE.match(line[0].text)
        bracket = re.match(r"^\[([^\[\]]+)\]([ \t]*[-–—:|]?[ \t]*)", line[0].text)
        if bracket and is_date(bracket.group(1)) and len(line[0].text) > bracket.end():
            return bracket.group(1), "[{text}]", bracket.group(2), [Text(line[0].text[bracket.end():]), *line[1:]]
        if match:
            return match.group(1), "{text}", match.group(2), [Text(line[0].text[match.end():]), *line[1:]]
        raise Unsupported(f"a news line that does not start with a date: {plain_text(line)[:40]!r}")
    if len(line) < 2 or not isinstance(line[1], Text):
        raise Unsupported("a news line whose date is not followed by text")
    wrapper, inner = wrapper_of(line[0], styles)
    date = plain_text(inner)
    bracketed = re.fullmatch(r"\[([^\[\]]+)\]", date)
    if bracketed:
        date, wrapper = bracketed.group(1), wrapper.replace("{text}", "[{text}]")
    if not all(isinstance(span, Text) for span in inner) or not is_date(date):
        raise Unsupported(f"a news line that does not start with a date: {plain_text(line)[:40]!r}")
    separator = re.match(r"^[ \t]*[-–—:|][ \t]*|^[^\w\s]*[ \t]+", line[1].text)
    if not separator:
        raise Unsupported("a news date not followed by a separator")
    return date, wrapper, separator.group(0), [Text(line[1].text[separator.end():]), *line[2:]]


_PERIOD_SEPARATOR = re.compile(r"(?<!\s)(?:\s*[-–—]\s*|\s+to\s+)")


def _period(text: str) -> tuple[str | None, str | None, str] | None:
    """Split 'Mar. 2018 - Present' into start, end and the separator, when both are dates."""
    text = text.strip()
    split = _split_period(text)
    if split and is_date(split[0]) and is_date(split[2]):
        return split[0], split[2], split[1]
    return (text, None, " - ") if is_date(text) else None


def _split_period(text: str) -> tuple[str, str, str] | None:
    r"""Stripped text split into start, separator and end as `^(.+?)(\s*[-–—]\s*|\s+to\s+)(.+)$` splits it, in
    linear time: that regular expression tries every start, each scanning the rest of a run of spaces.

    The start is the shortest that works and holds no line break, the end holds none either, and a separator
    never starts after white space (one that works there works one character earlier)."""
    first_break = text.find("\n") if "\n" in text else len(text)
    last_break = text.rfind("\n")
    position = 1
    while (separator := _PERIOD_SEPARATOR.search(text, position)) and separator.start() <= first_break:
        if last_break < separator.end() < len(text):
            return text[: separator.start()], separator.group(0), text[separator.end():]
        position = separator.start() + 1
    return None


def _join(parts: list[Line]) -> Line:
    """Parts of a line joined again with ", " between them."""
    joined: Line = []
    for number, part in enumerate(parts):
        if number:
            joined.append(Text(", "))
        joined.extend(part)
    return merge_text(joined)


def _education(body: Body, styles: StyleCollector, owner: Owner) -> EducationSection:
    """Degrees: '**Ph.D.** in Field, Institution, Location, Start - End'."""
    items, loose = single_list(body)
    degrees = []
    wrappers: set[str] = set()
    separators: set[str] = set()
    for item in items:
        line = single_line(item, styles)
        if not line or not isinstance(line[0], Strong):
            raise Unsupported("a degree that does not start in bold")
        degree = markup_of(line[:1], styles)
        parts = split_line(line[1:], ", ")
        field_markup = None
        if parts and parts[0]:
            head = strip_line(parts[0])
            if not isinstance(head[0], Text) or not head[0].text.startswith("in ") \
                    or not all(is_plain(span) for span in head):
                raise Unsupported("a degree without 'in <field>'")
            field_markup = markup_of(strip_line([Text(head[0].text[3:]), *head[1:]]), styles)
        parts = parts[1:]
        if len(parts) < 2:
            raise Unsupported("a degree without institution and dates")
        institution = markup_of(strip_line(parts[0]), styles)
        date_part = strip_line(parts[-1])
        location = markup_of(strip_line(_join(parts[1:-1])), styles) if len(parts) > 2 else None
        wrapper = "{text}"
        if len(date_part) == 1 and isinstance(date_part[0], Html):
            wrapper = f"{date_part[0].open}{{text}}{date_part[0].close}"
            date_part = list(date_part[0].children)
        period = _period(plain_text(date_part)) if all(isinstance(span, Text) for span in date_part) else None
        if period is None:
            raise Unsupported("a degree whose dates cvgen cannot read")
        start, end, separator = period
        wrappers.add(wrapper)
        separators.add(separator)
        degrees.append(Degree(degree=degree, field=field_markup, institution=institution, location=location,
                              start=start, end=end))
    if len(wrappers) > 1 or len(separators) > 1:
        raise Unsupported("degrees written in different styles")
    dates = [date for degree in degrees for date in (degree.start, degree.end)]
    return EducationSection(kind="education", items=degrees, homepage=section_page(
        body, dates, loose=loose, date_wrapper=wrappers.pop() if wrappers else "{text}",
        range_separator=separators.pop() if separators else " - "))


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


def _experience(body: Body, styles: StyleCollector, owner: Owner) -> ExperienceSection:
    """Positions (and teaching): 'Role, Organization, Location (Start - End)'."""
    items, loose = single_list(body)
    positions = []
    separators: set[str] = set()
    for item in items:
        line = single_line(item, styles)
        line, period_match = text_at_end(line, SPACES_BEFORE + r"\(([^()]+)\)")
        parts = split_line(line, ", ")
        if len(parts) < 2:
            raise Unsupported("a position without role and organization")
        if _period(plain_text(parts[0])) is not None:
            raise Unsupported("a position that starts with its dates")
        role = markup_of(strip_line(parts[0]), styles)
        organization = markup_of(strip_line(parts[1]), styles)
        location = markup_of(strip_line(_join(parts[2:])), styles) if len(parts) > 2 else None
        start = end = when = None
        if period_match:
            period = _period(period_match.group(1))
            if period and period[1]:
                start, end, separator = period
                separators.add(separator)
            else:
                when = to_markup([Text(period_match.group(1))])
        positions.append(Position(role=role, organization=organization, location=location, start=start, end=end,
                                  when=when))
    if len(separators) > 1:
        raise Unsupported("periods written in different styles")
    dates = [date for position in positions for date in (position.start, position.end)]
    return ExperienceSection(kind="experience", items=positions, homepage=section_page(
        body, dates, loose=loose, range_separator=separators.pop() if separators else " - "))


def _awards(body: Body, styles: StyleCollector, owner: Owner) -> AwardsSection:
    """Awards: 'Title (detail; date)', optionally as one link."""
    items, loose = single_list(body)
    awards = []
    date_first: set[tuple[str, str] | None] = set()
    for item in items:
        line = single_line(item, styles)
        try:
            awarded, wrapper, separator, line = _dated_line(line, styles)
            date_first.add((wrapper, separator))
            awards.append(Award(title=markup_of(strip_line(line), styles), date=awarded))
            continue
        except Unsupported:
            date_first.add(None)
        url = None
        if len(line) == 1 and isinstance(line[0], Link):
            url = line[0].url
            line = list(line[0].children)
        line, details = text_at_end(line, SPACES_BEFORE + r"\(([^()]+)\)")
        detail: str | None = None
        date: str | None = None
        if details:
            parts = details.group(1).rsplit("; ", 1)
            if is_date(parts[-1]):
                date = parts[-1]
                detail = parts[0] if len(parts) == 2 else None
            else:
                detail = details.group(1)
        awards.append(Award(title=markup_of(strip_line(line), styles),
                            detail=to_markup([Text(detail)]) if detail else None, date=date, url=url))
    if len(date_first) > 1:
        raise Unsupported("awards written in different styles")
    first = date_first.pop() if date_first else None
    settings = {"date_first": True, "date_wrapper": first[0], "separator": first[1]} if first else {}
    return AwardsSection(kind="awards", items=awards, homepage=section_page(
        body, [award.date for award in awards], loose=loose, **settings))


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
            line = single_line(child, styles)
            if line and isinstance(line[0], Text) and (prefix := re.match(r"^(@\s*|at\s+)", line[0].text)):
                prefixes.add(prefix.group(1))
                line = [Text(line[0].text[prefix.end():]), *line[1:]]
            else:
                prefixes.add("")
            line, date_match = text_at_end(merge_text(line), r",\s*([^,]+)")
            date = None
            if date_match:
                if is_date(date_match.group(1)):
                    date = date_match.group(1)
                else:
                    line = [*line, Text(date_match.group(0))]
            venues.append(TalkVenue(venue=markup_of(merge_text(line), styles), date=date))
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


def _press(body: Body, styles: StyleCollector, owner: Owner) -> PressSection:
    """Press articles: 'Title, Outlet, Date', the title optionally a link."""
    items, loose = single_list(body)
    articles = []
    for item in items:
        line = single_line(item, styles)
        url = None
        title_line: Line
        if line and isinstance(line[0], Link):
            url = line[0].url
            title_line = list(line[0].children)
            rest = line[1:]
        else:
            parts = split_line(line, ", ")
            title_line, rest = parts[0], _join(parts[1:])
            rest = [Text(", "), *rest] if parts[1:] else []
        rest, date_match = text_at_end(rest, r",\s*([^,]+)")
        date = None
        if date_match:
            if is_date(date_match.group(1)):
                date = date_match.group(1)
            else:
                rest = [*rest, Text(date_match.group(0))]
        outlet = None
        rest = merge_text(rest)
        if rest:
            if not isinstance(rest[0], Text) or not rest[0].text.startswith(", "):
                raise Unsupported("an article whose outlet cvgen cannot read")
            outlet = markup_of(strip_line([Text(rest[0].text[2:]), *rest[1:]]), styles)
        articles.append(Article(title=markup_of(title_line, styles), url=url, outlet=outlet, date=date))
    return PressSection(kind="press", items=articles, homepage=section_page(
        body, [article.date for article in articles], loose=loose))


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


def _projects(body: Body, styles: StyleCollector, owner: Owner) -> ProjectsSection:
    """Projects: 'Title, Sponsor, Start-End'."""
    items, loose = single_list(body)
    projects = []
    separators: set[str] = set()
    for item in items:
        line = single_line(item, styles)
        parts = split_line(line, ", ")
        start = end = None
        if len(parts) > 1:
            period = _period(plain_text(parts[-1])) if all(isinstance(s, Text) for s in parts[-1]) else None
            if period:
                start, end, separator = period
                separators.add(separator)
                parts = parts[:-1]
        title = markup_of(strip_line(parts[0]), styles)
        sponsor = markup_of(strip_line(_join(parts[1:])), styles) if len(parts) > 1 else None
        projects.append(Project(title=title, sponsor=sponsor, start=start, end=end))
    if len(separators) > 1:
        raise Unsupported("periods written in different styles")
    dates = [date for project in projects for date in (project.start, project.end)]
    return ProjectsSection(kind="projects", items=projects, homepage=section_page(
        body, dates, loose=loose, range_separator=separators.pop() if separators else " - "))


SECTION_PARSERS: dict[str, Callable[[Body, StyleCollector, Owner], Any]] = {
    "text": _opening_text,
    "interests": _interests,
    "news": _news,
    "education": _education,
    "publications": _publications,
    "experience": _experience,
    "awards": _awards,
    "talks": _talks,
    "press": _press,
    "service": _service,
    "projects": _projects,
}


__all__ = ["SECTION_PARSERS", "strip_quotes"]
