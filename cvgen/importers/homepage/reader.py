"""Reading inline Markdown entry by entry (`Reader`: the `ItemReader` of `cvgen.importers.entries`), and the
page-wide settings of the styles seen while reading (`homepage_settings`)."""

from __future__ import annotations

import re
from typing import Any

from cvgen.importers.homepage.blocks import markdown_parser
from cvgen.importers.homepage.entry_kinds import ENTRY_READERS, talk_venue
from cvgen.importers.homepage.inline import StyleCollector, Unsupported, inline_lines, markup_of, strip_line
from cvgen.importers.kind_fields import read_by_content
from cvgen.markup import Strong
from cvgen.model import Homepage, Talk
from cvgen.records import ValidationError
from cvgen.renderers.list_kinds import ListItem
from cvgen.renderers.markdown import MARKDOWN_LINK


class Reader:
    """Inline Markdown read as cvgen markup (entries.MarkupReader), the page's styles seen on the way."""

    def __init__(self) -> None:
        self.styles = StyleCollector()
        self.problem: str | None = None

    def markup(self, markdown: str) -> str | None:
        styles = StyleCollector()
        try:
            lines = inline_lines(markdown_parser().parseInline(markdown)[0], styles)
            if len(lines) != 1:
                self.problem = "a line break inside a field"
                return None
            markup = markup_of(strip_line(lines[0]), styles)
        except Unsupported as problem:
            self.problem = str(problem)
            return None
        self.styles.merge(styles)
        return markup

    def item(self, kind: str, markdown: str) -> ListItem | str:
        styles = StyleCollector()
        try:
            lines = inline_lines(markdown_parser().parseInline(markdown)[0], styles)
            if len(lines) != 1:
                return "a line break inside an entry"
            item = ENTRY_READERS[kind](strip_line(lines[0]), styles)
        except Unsupported as problem:
            # In another layout than cvgen's own: a degree or a position read by what its parts say, or why it is
            # not one (what the entry says, not where it differs from cvgen's layout).
            by_content = read_by_content(kind, markdown, self.markup)
            return str(problem) if by_content is None else by_content
        except ValidationError as error:  # a value the model refuses, such as a date in another language
            return str(error.errors()[0]["msg"]).removeprefix("Value error, ")
        self.styles.merge(styles)
        return item

    def talk_over_venues(self, title: str, venues: tuple[str, ...]) -> Talk | str:
        """A talk written in cvgen's own form among talks on one line (a talk given at several venues): its bold
        title line (the page's line break after it taken off) and its venue lines; or why it is not one."""
        styles = StyleCollector()
        try:
            lines = inline_lines(markdown_parser().parseInline(title)[0], styles)
            spans = strip_line(lines[0]) if len(lines) == 1 else []
            bold = spans[0] if len(spans) == 1 else None
            if not isinstance(bold, Strong):
                return "a talk over its venues whose first line is not its bold title"
            read = [talk_venue(strip_line(single), styles) for venue in venues
                    for single in inline_lines(markdown_parser().parseInline(venue)[0], styles)]
            if len(read) != len(venues) or any(prefix for _, prefix in read):
                return "a venue line cvgen cannot read"
            talk = Talk(title=markup_of(list(bold.children), styles), venues=[venue for venue, _ in read])
        except Unsupported as problem:
            return str(problem)
        except ValidationError as error:
            return str(error.errors()[0]["msg"]).removeprefix("Value error, ")
        self.styles.merge(styles)
        return talk

    def line_break(self, mark: str) -> None:
        self.styles.see("line_break", mark)

    def homepage(self) -> Homepage:
        return homepage_settings({}, self.styles, "\n")


# Settings read from the page and where each lands on the Homepage model.
_PAGE_SETTINGS = ("line_break", "owner", "venue", "award", "highlight", "equal_mark", "owner_mark_inside",
                  "equal_legend", "paper_title", "emphasis", "strong")


def homepage_settings(front_matter: dict[str, Any], styles: StyleCollector, line_ending: str) -> Homepage:
    """The page-wide settings: the front matter, the most common value seen for each page style, the link form
    and the line ending."""
    values: dict[str, Any] = {}
    for key in _PAGE_SETTINGS:
        value = styles.choice(key)
        if value is not None:
            values[key] = value
    values.update(link_settings(styles.choice("link")))
    if line_ending != "\n":
        values["line_ending"] = line_ending
    return Homepage(front_matter=front_matter, **values)


_STYLED_ANCHOR = re.compile(r'<a href="\{url\}" style="([^"{}]*)">\{text\}</a>')


def link_settings(template: str | None) -> dict[str, str]:
    """Homepage settings for a link template: Markdown links are the default, a styled anchor a link_style."""
    if template is None or template == MARKDOWN_LINK:
        return {}
    styled = _STYLED_ANCHOR.fullmatch(template)
    return {"link_style": styled.group(1)} if styled else {"link_template": template}


__all__ = ["Reader", "homepage_settings", "link_settings"]
