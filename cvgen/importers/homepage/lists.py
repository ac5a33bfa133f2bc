"""What a section parser reads, and lists: the `Body` of a run of units (its tokens and page lines, the page's
star style, the section settings seen), a section's list items and their lines, and the list style the section
is written in (marker, numbering, indents)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from markdown_it.token import Token

from cvgen.dates import first_style
from cvgen.importers.homepage.inline import Line, StyleCollector, Unsupported, inline_lines, strip_line
from cvgen.model import SectionPage
from cvgen.renderers.markdown import LIST_MARKER


@dataclass(frozen=True)
class PageStars:
    """How the page writes an equal-contribution star: escaped (`\\*`) when it escapes one anywhere. Looked up
    once per page, not once per author list (which made a long publication list quadratic)."""

    mark: str  # after a name
    legend: str  # in '(*: equal contribution)'

    @classmethod
    def of(cls, page: str) -> PageStars:
        """The star style of a page body."""
        return cls("\\*" if "\\*" in page else "*", "\\*" if "(\\*" in page else "*")


@dataclass
class Body:
    """The units one section parser reads: their tokens, and the page lines they come from."""

    tokens: list[Token]
    lines: list[str]
    stars: PageStars
    settings: dict[str, Any] = field(default_factory=dict)  # section settings seen while reading (bullet, indent)

    def setting(self, key: str, value: Any) -> None:
        """Record a section setting; a second, different value means the section is written inconsistently."""
        if self.settings.setdefault(key, value) != value:
            raise Unsupported(f"entries written in different styles ({key})")


# --- lists -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """A list item: its inline content, nested items, its first line in the body and whether it is loose."""

    inline: Token | None
    children: tuple[Item, ...]
    line: int
    loose: bool


def list_items(body: Body, start: int = 0, *, nested: bool = False) -> tuple[list[Item], int]:
    """The items of the list opening at tokens[start] and the index after it; the marker style is recorded."""
    tokens = body.tokens
    if start >= len(tokens) or tokens[start].type not in ("bullet_list_open", "ordered_list_open"):
        raise Unsupported("expected a list")
    if nested and tokens[start].type != "bullet_list_open":
        raise Unsupported("a nested numbered list")
    close = tokens[start].type.replace("_open", "_close")
    level = tokens[start].level
    items: list[Item] = []
    index = start + 1
    numbers: list[int] = []
    while not (tokens[index].type == close and tokens[index].level == level):
        first_line = (tokens[index].map or [0, 1])[0]
        numbers.append(_record_marker(body, first_line, nested=nested))
        item, index = _list_item(body, index + 1, first_line, nested=nested)
        items.append(item)
    if any(numbers):
        _record_numbering(body, numbers)
    return items, index + 1


def _record_marker(body: Body, line: int, *, nested: bool) -> int:
    """Record how the list item on a line writes its marker; its number (0 for a bullet or a nested item)."""
    marker = LIST_MARKER.match(body.lines[line])
    if marker is None:
        raise Unsupported("a list item cvgen cannot read")
    if nested:
        body.setting("nested_indent", body.lines[line][: marker.start(1)])
        if marker.group(1) != "-" or marker.group(4) != " ":
            raise Unsupported("a nested list not written '- '")
        return 0
    if marker.start(1):
        raise Unsupported("an indented list")
    number = marker.group(2)
    symbol = "{n}" + marker.group(3) if number else marker.group(1)
    body.setting("bullet_symbol", symbol)
    body.setting("bullet_space", marker.group(4))
    return int(number) if number else 0


def _list_item(body: Body, index: int, first_line: int, *, nested: bool) -> tuple[Item, int]:
    """The list item whose content starts at tokens[index] (a paragraph, then at most one nested bullet list),
    and the index after its close."""
    tokens = body.tokens
    inline: Token | None = None
    loose = False
    children: list[Item] = []
    while tokens[index].type != "list_item_close":
        inner = tokens[index]
        if inner.type == "paragraph_open" and inline is None:
            loose = not inner.hidden
            inline = tokens[index + 1]
            _record_continuation(body, inner.map or [first_line, first_line + 1])
            index += 3
        elif inner.type == "bullet_list_open" and not children and not nested:
            children, index = list_items(body, index, nested=True)
        else:
            raise Unsupported(f"{inner.type.replace('_open', '').replace('_', ' ')} inside a list item")
    return Item(inline, tuple(children), first_line, loose), index + 1


def _record_numbering(body: Body, numbers: list[int]) -> None:
    """Check a numbered list counts from 1 or numbers every item 1 (then written `1.`, not `{n}.`)."""
    if numbers == list(range(1, len(numbers) + 1)):
        return
    if set(numbers) != {1}:
        raise Unsupported("a numbered list that does not count from 1")
    body.settings["bullet_symbol"] = body.settings["bullet_symbol"].replace("{n}", "1")


def _record_continuation(body: Body, span: list[int]) -> None:
    """Record how the continuation lines of a list item's paragraph are indented."""
    for line in body.lines[span[0] + 1 : span[1]]:
        if line.strip():
            body.setting("indent", line[: len(line) - len(line.lstrip(" \t"))])


def single_list(body: Body) -> tuple[list[Item], bool]:
    """The items of a section that is one list, and whether the list is loose."""
    items, end = list_items(body, 0)
    if end != len(body.tokens):
        raise Unsupported("more than one list")
    return items, any(item.loose for item in items)


def item_lines(item: Item, styles: StyleCollector) -> list[Line]:
    """The lines of a list item, stripped."""
    return [strip_line(line) for line in inline_lines(item.inline, styles)]


def single_line(item: Item, styles: StyleCollector) -> Line:
    """The one line of a list item without nested items."""
    lines = item_lines(item, styles)
    if len(lines) != 1 or item.children:
        raise Unsupported("an entry with several lines")
    return lines[0]


def section_page(body: Body, dates: Iterable[str | None], **settings: Any) -> SectionPage:
    """The section's page settings: what its parser found, the list style seen, and the date style."""
    style = first_style(dates)
    bullet = body.settings.get("bullet_symbol")
    if bullet is not None:
        settings["bullet"] = bullet + body.settings["bullet_space"]
    indent = body.settings.get("indent", body.settings.get("nested_indent"))
    if "indent" in body.settings and "nested_indent" in body.settings \
            and body.settings["indent"] != body.settings["nested_indent"]:
        raise Unsupported("continuation lines and nested lists indented differently")
    default = "  " if "nested_indent" in body.settings else ""
    if indent is not None and indent != default:
        settings["indent"] = indent
    return SectionPage(date_style=style, **settings)


__all__ = ["Body", "Item", "PageStars", "item_lines", "list_items", "section_page", "single_line", "single_list"]
