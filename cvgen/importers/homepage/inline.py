"""Inline content: an inline token read as lines of spans (cvgen's markup, inline HTML kept as `Html`, characters
written as references as `Literal`), the page styles seen on the way (`StyleCollector`), and the span helpers the
section parsers use to cut a line into fields."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from markdown_it.token import Token

from cvgen.importers.homepage.blocks import normalize_page
from cvgen.markup import (
    Code,
    Emphasis,
    Highlight,
    Link,
    Span,
    Strong,
    Text,
    Underline,
    merge_text,
    strip_spans,
    to_markup,
)
from cvgen.renderers.markdown import MARKDOWN_LINK, close_tag

# --- spans and the page styles -----------------------------------------------------------------------------


class Unsupported(Exception):
    """This part of the page does not fit cvgen's typed fields; it is kept verbatim instead."""


@dataclass(frozen=True)
class Html:
    """Inline HTML around content that is not part of cvgen's markup (a coloured span, a font tag)."""

    open: str
    close: str
    children: tuple[Any, ...]


@dataclass(frozen=True)
class Literal:
    """A character the page writes as a numeric character reference (`&#44;`, `&#42;`, `&#40;`) to keep it from
    reading as page structure: it never separates, marks, brackets or dates anything, and is plain text in the
    markup."""

    text: str


Line = list[Any]  # spans, Html and Literal, one line of an entry


def is_plain(span: Any) -> bool:
    """Whether a span is plain text: Text, or a character written as a reference."""
    return isinstance(span, (Text, Literal))


@dataclass
class StyleCollector:
    """The page's markup as seen while reading one section: every value seen for each page setting, counted."""

    seen: dict[str, Counter[Any]] = field(default_factory=dict)

    def see(self, key: str, value: Any) -> None:
        self.seen.setdefault(key, Counter())[value] += 1

    def merge(self, other: StyleCollector) -> None:
        for key, counter in other.seen.items():
            self.seen.setdefault(key, Counter()).update(counter)

    def choice(self, key: str) -> Any:
        """The most common value seen for a setting (links: grouped by their normalised form), or None."""
        counter = self.seen.get(key)
        if not counter:
            return None
        if key != "link":
            return counter.most_common(1)[0][0]
        groups: Counter[str] = Counter()
        for value, count in counter.items():
            groups[normalize_page(value)] += count
        best = groups.most_common(1)[0][0]
        return max((value for value in counter if normalize_page(value) == best), key=lambda value: counter[value])


# --- an inline token read as lines of spans ----------------------------------------------------------------

# A tag's '/' before its '>' (self-closing) is read from its text after the match: a lazy `([^>]*?)(/?)\s*>`
# tries every end of the attributes, each scanning the spaces before '>', quadratic in a run of spaces.
_TAG = re.compile(r"<\s*(/?)\s*([A-Za-z][A-Za-z0-9]*)([^>]*)>", re.DOTALL)
# An attribute, its value optional so that a name without one is passed over whole (tried from each of its
# characters instead, a long name is quadratic); `_attributes` keeps those with a value.
_ATTRIBUTE = re.compile(r"""([A-Za-z_:][-A-Za-z0-9_:.]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?""")
_BREAK_TAG = re.compile(r"<br\s*/?>", re.IGNORECASE)


def inline_lines(token: Token | None, styles: StyleCollector) -> list[Line]:
    """An inline token's content as lines of spans, split at line breaks (whose style is seen as 'line_break')."""
    if token is None:
        return [[]]
    if re.search(r"(?<!\\)(\\\\)*\\\n", token.content):
        raise Unsupported("a backslash line break")  # CommonMark's, which kramdown does not know
    children = token.children or []
    reader = _InlineReader(styles)
    index = 0
    while index < len(children):
        following = children[index + 1].type if index + 1 < len(children) else None
        ends_line = reader.read(children[index], following)
        index += 2 if ends_line else 1  # a line break takes the softbreak after it
    if reader.stack:
        raise Unsupported("unclosed formatting or HTML")
    return [merge_text(line) for line in reader.lines]


class _InlineReader:
    """One inline token read child by child: the lines so far, the formatting and HTML open on the current line
    (each with the line it was opened on), and the page styles seen."""

    def __init__(self, styles: StyleCollector) -> None:
        self.styles = styles
        self.lines: list[Line] = [[]]
        self.stack: list[tuple[str, Any, Line]] = []
        self.current: Line = self.lines[0]

    def read(self, child: Token, following: str | None) -> bool:
        """Read one child token, whose next sibling is of type `following`; True when it is a line break that
        takes that softbreak with it."""
        kind = child.type
        if self.backslash_break(child, following) or self.tag_break(child, following):
            return True
        if kind == "hardbreak":
            self.new_line("  ")
        elif kind in ("text", "text_special", "softbreak", "code_inline"):
            self.current.append(_leaf(child))
        elif kind in ("strong_open", "em_open", "link_open"):
            self.open_markup(child)
        elif kind in ("strong_close", "em_close", "link_close"):
            self.close_markup()
        elif kind == "html_inline":
            self.html_tag(child)
        else:
            raise Unsupported(f"{kind.replace('_', ' ')}")
        return False

    def ends_in_space(self) -> bool:
        """Whether the current line's text so far ends in a space."""
        return bool(self.current) and isinstance(self.current[-1], Text) and self.current[-1].text.endswith(" ")

    def backslash_break(self, child: Token, following: str | None) -> bool:
        """Read kramdown's ` \\\\` line break (an escaped backslash after a space, ending a line), if it is one."""
        if not (child.type == "text_special" and child.info == "escape" and child.content == "\\"
                and following in ("softbreak", None) and self.ends_in_space()):
            return False
        self.current[-1] = Text(self.current[-1].text[:-1])
        self.new_line(" \\\\")
        return True

    def tag_break(self, child: Token, following: str | None) -> bool:
        """Read a `<br>` line break, which must end a line, if it is one."""
        if not (child.type == "html_inline" and _BREAK_TAG.fullmatch(child.content.strip())):
            return False
        if following != "softbreak":
            raise Unsupported("a <br> that does not end a line")
        space = " " if self.ends_in_space() else ""
        if space:
            self.current[-1] = Text(self.current[-1].text[:-1])
        self.new_line(space + child.content)
        return True

    def new_line(self, style: str) -> None:
        """Start a new line after a line break written in `style`."""
        if self.stack:
            raise Unsupported("a line break inside formatting")
        self.styles.see("line_break", style)
        self.current = []
        self.lines.append(self.current)

    def open(self, kind: str, data: Any) -> None:
        """Open formatting or an HTML element: its spans are read into a new list until it closes."""
        self.stack.append((kind, data, self.current))
        self.current = []

    def open_markup(self, child: Token) -> None:
        """Open Markdown's strong, emphasis or link, its style seen."""
        if child.type == "link_open":
            if child.attrs.get("title") is not None:
                raise Unsupported("a link with a title")
            self.styles.see("link", MARKDOWN_LINK)
            self.open(child.type, str(child.attrs.get("href", "")))
        else:
            self.styles.see("strong" if child.type == "strong_open" else "emphasis", child.markup)
            self.open(child.type, None)

    def close_markup(self) -> None:
        """Close the formatting opened last: its spans become one span of the line it was opened on."""
        opened, data, parent = self.stack.pop()
        inner = tuple(merge_text(self.current))
        parent.append(Strong(inner) if opened == "strong_open" else Emphasis(inner) if opened == "em_open"
                      else Link(data, inner))
        self.current = parent

    def html_tag(self, child: Token) -> None:
        """Open or close an inline HTML element; any other inline HTML is unsupported."""
        match = _TAG.fullmatch(child.content.strip())
        if not match or child.content.startswith("<!"):
            raise Unsupported(f"inline HTML {child.content!r}")
        closing, name, attributes = match.groups()
        self_closing = attributes.rstrip().endswith("/")
        name = name.lower()
        if closing:
            self.close_html(child.content, name)
        elif self_closing or name in ("img", "br", "hr", "input", "wbr"):
            raise Unsupported(f"inline HTML {child.content!r}")
        else:
            self.open("html", (child.content, name))

    def close_html(self, close_tag: str, name: str) -> None:
        """Close the HTML element opened last, which must be `name`."""
        if not self.stack or self.stack[-1][0] != "html":
            raise Unsupported(f"an unmatched {close_tag}")
        _, (open_tag, open_name), parent = self.stack.pop()
        if open_name != name:
            raise Unsupported(f"mismatched HTML tags {open_tag} … {close_tag}")
        parent.append(_html_span(open_tag, close_tag, open_name, tuple(merge_text(self.current)), self.styles))
        self.current = parent


def _leaf(child: Token) -> Any:
    """A text, softbreak or code token as a span (a character written as a reference is a Literal)."""
    if child.type == "text_special" and child.info == "entity" and _written_as_literal(child):
        return Literal(child.content)
    if child.type in ("text", "text_special"):
        return Text(child.content)
    if child.type == "softbreak":
        return Text("\n")
    return Code(child.content)


def _written_as_literal(entity: Token) -> bool:
    """Whether an entity is a numeric reference to a visible ASCII character: one written so to keep it from
    reading as page structure (named entities such as &amp; and &nbsp; stay text)."""
    character = entity.content
    return entity.markup.startswith("&#") and len(character) == 1 and "!" <= character <= "~"


def _html_span(open_tag: str, close_tag: str, name: str, children: tuple[Any, ...],
               styles: StyleCollector) -> Any:
    attributes = _attributes(open_tag)
    if name == "a" and [match.group(1).lower() for match in attributes].count("href") == 1:
        href = next(match for match in attributes if match.group(1).lower() == "href")
        url = next(group for group in href.groups()[1:] if group is not None)
        template = open_tag[: href.start()] + 'href="{url}"' + open_tag[href.end():] + "{text}" + close_tag
        if "{" in open_tag or '"{url}"' not in template:
            raise Unsupported("an HTML link cvgen cannot write back")
        styles.see("link", template)
        return Link(url, children)
    if open_tag == "<u>" and close_tag == "</u>":
        return Underline(children)
    return Html(open_tag, close_tag, children)


def _attributes(open_tag: str) -> list[re.Match[str]]:
    """The attributes of an HTML tag that have a value: `name="value"`, `name='value'` or `name=value`."""
    return [match for match in _ATTRIBUTE.finditer(open_tag) if (match.lastindex or 0) > 1]


# --- lines cut into fields ---------------------------------------------------------------------------------


def markup_of(line: Line, styles: StyleCollector, *, highlight: bool = False) -> str:
    """Spans of a line as cvgen markup; coloured spans become ==highlights== where allowed."""
    return to_markup([_as_span(span, styles, highlight) for span in line])


def _as_span(span: Any, styles: StyleCollector, highlight: bool) -> Span:
    if isinstance(span, Html) and span.open.lower() in _BOLD and span.close.lower() == close_tag(span.open.lower()):
        styles.see("strong", span.open.lower())  # "<b>Ph.D.</b>": bold, as the page writes it
        return Strong(tuple(_as_span(child, styles, highlight) for child in span.children))
    if isinstance(span, Html):
        if highlight and span.open.lower().startswith(("<span", "<font", "<mark")):
            styles.see("highlight", f"{span.open}{{text}}{span.close}")
            return Highlight(tuple(_as_span(child, styles, highlight) for child in span.children))
        raise Unsupported(f"inline HTML {span.open}")
    if isinstance(span, Literal):
        return Text(span.text)
    if isinstance(span, (Text, Code)):
        return span
    children = tuple(_as_span(child, styles, highlight) for child in span.children)
    if isinstance(span, Link):
        return Link(span.url, children)
    return type(span)(children)  # type: ignore[no-any-return]


_BOLD = ("<b>", "<strong>")


def split_line(line: Line, separator: str) -> list[Line]:
    """Split a line at a separator that occurs in its top-level text."""
    parts: list[Line] = [[]]
    for span in line:
        if isinstance(span, Text) and separator in span.text:
            pieces = span.text.split(separator)
            for number, piece in enumerate(pieces):
                if number:
                    parts.append([])
                if piece:
                    parts[-1].append(Text(piece))
        else:
            parts[-1].append(span)
    return parts


_SPACES = " \t\n"  # what Markdown strips; a no-break space is text


def strip_line(line: Line) -> Line:
    """A line without the white space Markdown strips at its ends."""
    return strip_spans(line, _SPACES)


_HIDDEN = "\ue000"  # stands for a Literal while a pattern is matched: no pattern reads it as structure


@dataclass(frozen=True)
class TextMatch:
    """A pattern matched at the end of a line's text; its groups give characters written as references back."""

    match: re.Match[str]
    literals: dict[int, str]  # position in the matched text → the Literal's character

    def group(self, index: int = 0) -> str:
        """A group's text."""
        start, end = self.match.span(index)
        return "".join(self.literals.get(position, self.match.string[position]) for position in range(start, end))


# White space at the start of a pattern for `text_at_end`, never starting inside a run of white space. The
# match is the same (the leftmost one starts where its run starts), but a long run of spaces is no longer tried
# from each of its spaces, each try scanning the rest of the run: quadratic.
SPACES_BEFORE = r"(?<!\s)\s*"


def text_at_end(line: Line, pattern: str) -> tuple[Line, TextMatch | None]:
    """Match a pattern at the end of a line's last run of text (a Literal in it matches as an ordinary
    character, never as structure); return the line before the match and the match."""
    start = len(line)
    while start and is_plain(line[start - 1]):
        start -= 1
    run = line[start:]
    if not run:
        return line, None
    literals: dict[int, str] = {}
    parts: list[str] = []
    offset = 0
    for span in run:
        if isinstance(span, Literal):
            literals[offset] = span.text
            parts.append(_HIDDEN)
        else:
            parts.append(span.text)
        offset += len(parts[-1])
    match = re.search(pattern + r"$", "".join(parts))
    if not match:
        return line, None
    kept: Line = []
    offset = 0
    for span, part in zip(run, parts, strict=True):
        if offset + len(part) <= match.start():
            kept.append(span)
        elif offset < match.start():
            kept.append(Text(part[: match.start() - offset]))
        offset += len(part)
    return [*line[:start], *kept], TextMatch(match, literals)


def wrapper_of(span: Any, styles: StyleCollector) -> tuple[str, Line]:
    """Peel the page markup around a value: '<span style=…>**{text}**</span>' and the spans inside."""
    prefix, suffix = "", ""
    while True:
        if isinstance(span, Html) and len(span.children) == 1 and not is_plain(span.children[0]):
            prefix, suffix = prefix + span.open, span.close + suffix
            span = span.children[0]
        elif isinstance(span, Html):
            return f"{prefix}{span.open}{{text}}{span.close}{suffix}", list(span.children)
        elif isinstance(span, (Strong, Emphasis, Underline)) and span.children:
            mark = {Strong: "strong", Emphasis: "emphasis", Underline: ""}[type(span)]
            left = styles.choice(mark) if mark else "<u>"
            right = close_tag(left) if left.startswith("<") else left
            return f"{prefix}{left}{{text}}{right}{suffix}", list(span.children)
        else:
            raise Unsupported("a value whose markup cvgen cannot read")


__all__ = [
    "SPACES_BEFORE", "Html", "Line", "Literal", "StyleCollector", "TextMatch", "Unsupported", "inline_lines",
    "is_plain", "markup_of", "split_line", "strip_line", "text_at_end", "wrapper_of",
]
