"""Homepage Markdown kept raw, parsed once into a tree of blocks and spans with the meaning Jekyll gives it.

Jekyll renders a page with Liquid, then kramdown's GFM parser. The outputs that are not the page (LaTeX, the
WeasyPrint PDF, the web CV) read raw Markdown here, the same way:

- kramdown's line breaks (` \\` or two spaces at the end of a line, `<br>`) end a line; other newlines are spaces;
- headings, nested lists, tables, block quotes, code blocks and rules are blocks;
- the HTML homepages use becomes spans: `<b>`/`<strong>`, `<i>`/`<em>`, `<u>`/`<ins>`, `<s>`/`<del>`, `<sup>`,
  `<sub>`, `<mark>`, `<code>`, `<a href>`, `<font color>` and `<span style="color: …">`, `<img>` as its alt text;
  block elements (`<p>`, `<div>`, `<ul>`, `<table>`, `<h2>`, …) are blocks; other tags keep their words;
- HTML comments, `<style>` and `<script>` are left out, as the page does not show them;
- kramdown's attribute lists and extensions (`{: .notice}`, `{::comment}…{:/comment}`) are markup, not words;
- `$$…$$` (kramdown's math) and `$…$` (MathJax's inline math) are math;
- Liquid (`{{ … }}`, `{% … %}`) needs the site to evaluate: it is left out, with a warning naming its line;
  `{% if %}` keeps its content, a `{% for %}` loop and a `{% capture %}` do not (their content is a template
  or stored), and `{% raw %}` keeps its content while `{% comment %}` drops it, as Liquid does.

Links follow the one URL policy (cvgen.urls): a link it refuses keeps its words and loses its target.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import ClassVar

from markdown_it import MarkdownIt
from markdown_it.token import Token

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
    plain_text,
    strip_spans,
)
from cvgen.urls import url_problem

# --- spans that only raw Markdown has --------------------------------------------------------------------------


@dataclass(frozen=True)
class LineBreak:
    """A line break inside a paragraph: ` \\`, two spaces or `<br>` on the page."""

    text: ClassVar[str] = "\n"


@dataclass(frozen=True)
class Math:
    """TeX math, `$…$` or `$$…$$` on the page."""

    text: str
    display: bool = False


@dataclass(frozen=True)
class Superscript:
    """`<sup>` text."""

    children: tuple[RawSpan, ...]


@dataclass(frozen=True)
class Subscript:
    """`<sub>` text."""

    children: tuple[RawSpan, ...]


@dataclass(frozen=True)
class Strike:
    """Struck-through text: `~~…~~`, `<s>` or `<del>`."""

    children: tuple[RawSpan, ...]


@dataclass(frozen=True)
class Colour:
    """Coloured text: `<font color>` or `<span style="color: …">`; `colour` is `#rrggbb`."""

    colour: str
    children: tuple[RawSpan, ...]


RawSpan = Span | LineBreak | Math | Superscript | Subscript | Strike | Colour
Spans = tuple[RawSpan, ...]

# --- blocks ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Paragraph:
    """A paragraph (or the loose words of an HTML block)."""

    spans: Spans


@dataclass(frozen=True)
class Heading:
    """A heading, level 1 to 6 as on the page."""

    level: int
    spans: Spans


@dataclass(frozen=True)
class ListBlock:
    """A bulleted or numbered list; each item is blocks of its own (nested lists included)."""

    ordered: bool
    items: tuple[tuple[Block, ...], ...]
    start: int = 1


@dataclass(frozen=True)
class Table:
    """A table: the header rows, then the body rows; each cell is spans. `aligns` holds left/center/right or ''."""

    header: tuple[tuple[Spans, ...], ...]
    rows: tuple[tuple[Spans, ...], ...]
    aligns: tuple[str, ...] = ()


@dataclass(frozen=True)
class Quote:
    """A block quote."""

    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class CodeBlock:
    """Preformatted text: a fenced or indented code block, or `<pre>`."""

    text: str


@dataclass(frozen=True)
class Rule:
    """A horizontal rule."""


Block = Paragraph | Heading | ListBlock | Table | Quote | CodeBlock | Rule


@dataclass(frozen=True)
class RawWarning:
    """Something of the page that the PDFs leave out, with the line of the Markdown it is on (1 is the first)."""

    line: int
    message: str


@dataclass(frozen=True)
class RawContent:
    """Raw Markdown as blocks, and what was left out of them."""

    blocks: tuple[Block, ...]
    warnings: tuple[RawWarning, ...] = field(default=())


# --- the pre-pass: Liquid, kramdown's own syntax and math, before the Markdown parser sees the text ---------------

MAX_NESTING = 50  # elements inside each other, past which the rest is read flat (no page nests deeper)
_PLACEHOLDER = re.compile("\ue000(\\d+)\ue001")
_BLOCK_ATTRIBUTES = re.compile(r"[ \t]*\{:(?!:)[^}\n]*\}[ \t]*")  # `{: .notice}`, `{:#id}`, `{:toc}`
_SPAN_ATTRIBUTES = re.compile(r"\{:(?!:)[^}\n]*\}")
_HEADING_ID = re.compile(r"[ \t]+\{#[^}\s]+\}[ \t]*$")
_EXTENSION = re.compile(r"\{::(\w+)([^}\n]*?)(/?)\}")
_NOT_SPACE = re.compile(r"\S")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_LIQUID_TAG_NAME = re.compile(r"\{%-?\s*(\w+)")
# Blocks whose content is not shown as written: a loop's body is a template for each item, a capture is stored.
# (The content of `if`, `unless` and `case` is kept: it is usually what the page shows.)
_LIQUID_HIDDEN_BLOCKS = frozenset(("for", "capture", "tablerow"))


class _Prepared:
    """The text for the Markdown parser, the math and code set aside, and the warnings so far."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.line_starts = [0, *(match.end() for match in re.finditer("\n", source))]
        self.warnings: list[RawWarning] = []
        self.math: list[Math] = []
        self.sources: list[str] = []  # each placeholder's original text, for code, where it is not math

    def line_of(self, position: int) -> int:
        return bisect.bisect_right(self.line_starts, position)

    def set_aside(self, math: Math, source: str) -> str:
        self.math.append(math)
        self.sources.append(source)
        return f"\ue000{len(self.math) - 1}\ue001"


def _without_liquid(prepared: _Prepared) -> str:
    """The source with Liquid left out (one pass; `{% raw %}` keeps its content, `{% comment %}` drops it)."""
    text = prepared.source
    parts: list[str] = []
    position = 0
    upcoming = {"{{": text.find("{{"), "{%": text.find("{%")}  # the next place of each opener, or -1 for none
    while True:
        for opener, place in upcoming.items():
            if 0 <= place < position:
                upcoming[opener] = text.find(opener, position)
        starts = [(place, opener) for opener, place in upcoming.items() if place >= 0]
        if not starts:
            break
        start, opener = min(starts)
        end = text.find("}}" if opener == "{{" else "%}", start + 2)
        if end < 0:
            upcoming[opener] = -1  # no closer after this opener, so none after any later one: text, as in Liquid
            continue
        end += 2
        parts.append(text[position:start])
        tag = text[start:end]
        name_match = _LIQUID_TAG_NAME.match(tag)
        name = name_match.group(1) if name_match else ""
        if name in ("raw", "comment"):
            close = re.compile(r"\{%-?\s*end" + name + r"\s*-?%\}").search(text, end)
            inner_end, after = (close.start(), close.end()) if close else (len(text), len(text))
            if name == "raw":
                parts.append(text[end:inner_end])
            position = after
            continue
        if name in _LIQUID_HIDDEN_BLOCKS:  # a loop or a capture: left out with its content
            end = _block_end(text, name, end)
        position = end
        if name.startswith("end") or name in ("else", "elsif", "when"):
            continue  # the opening tag's warning covers its block
        shown = re.sub(r"\s+", " ", tag)
        shown = shown if len(shown) <= 60 else shown[:57] + "…"
        outcome = ("the PDFs show what it holds, whatever it decides" if name in ("if", "unless", "case")
                   else "the PDFs leave it out")
        prepared.warnings.append(RawWarning(prepared.line_of(start), f"Liquid {shown} needs the site to evaluate; "
                                            + outcome))
    parts.append(text[position:])
    return "".join(parts)


def _block_end(text: str, name: str, position: int) -> int:
    """Where a Liquid block tag's matching `{% endname %}` ends (the text's end if it has none)."""
    pattern = re.compile(r"\{%-?\s*(end)?" + name + r"\b[^%]*%\}")
    depth = 1
    for match in pattern.finditer(text, position):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            return match.end()
    return len(text)


def _without_kramdown_syntax(text: str) -> str:
    """Attribute lists and extensions out, ` \\` line ends as CommonMark's `\\` breaks; fenced code untouched."""
    text = _strip_extensions(text)
    lines: list[str] = []
    fence = ""
    for line in text.split("\n"):
        opening = _FENCE.match(line)
        if fence:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = ""
            lines.append(line)
            continue
        if opening:
            fence = opening.group(1)
            lines.append(line)
            continue
        if _BLOCK_ATTRIBUTES.fullmatch(line):
            continue  # a block's attribute list on a line of its own: the block is shown, the list is not
        if line.lstrip().startswith("#"):
            line = _HEADING_ID.sub("", line)  # `## Papers {#papers}`: kramdown's id for the heading
        line = _SPAN_ATTRIBUTES.sub("", line)
        if line.endswith("\\\\"):
            line = line[:-1]  # kramdown's ` \\` break is CommonMark's backslash before the line end
        lines.append(line)
    return "\n".join(lines)


def _strip_extensions(text: str) -> str:
    """kramdown's `{::comment}…{:/comment}` and `{::options …/}` left out; `{::nomarkdown}` keeps its content."""
    parts: list[str] = []
    position = 0
    for match in _EXTENSION.finditer(text):
        if match.start() < position:
            continue
        parts.append(text[position : match.start()])
        position = match.end()
        if match.group(3):  # self-closing, such as {::options parse_block_html="true" /}
            continue
        close = re.compile(r"\{:/(?:" + match.group(1) + r")?\}").search(text, position)
        end, after = (close.start(), close.end()) if close else (len(text), len(text))
        if match.group(1) != "comment":
            parts.append(text[position:end])
        position = after
    parts.append(text[position:])
    return "".join(parts)


def _math_set_aside(text: str, prepared: _Prepared) -> str:
    """`$$…$$` and `$…$` replaced by placeholders, so that the Markdown parser reads no emphasis inside math.

    A single `$` opens math before a non-space and closes after a non-space when no digit follows (so "$5 and
    $10" stays text), within one line. Closers are found once, so a line of many dollars stays linear."""
    parts: list[str] = []
    position = 0
    line_starts = [0, *(match.end() for match in re.finditer("\n", text))]
    while True:
        start = text.find("$$", position)
        if start < 0:
            break
        end = text.find("$$", start + 2)
        if end < 0:
            break
        display = "\n" in text[start:end] or _alone_on_lines(text, start, end + 2, line_starts)
        parts.append(_single_dollars(text[position:start], prepared))
        parts.append(prepared.set_aside(Math(text[start + 2 : end].strip(), display), text[start : end + 2]))
        position = end + 2
    parts.append(_single_dollars(text[position:], prepared))
    return "".join(parts)


def _alone_on_lines(text: str, start: int, end: int, line_starts: list[int]) -> bool:
    """Whether only white space shares the lines of text[start:end] (kramdown's block math)."""
    line_start = line_starts[bisect.bisect_right(line_starts, start) - 1]
    line_end = line_starts[bisect.bisect_right(line_starts, end)] - 1 if line_starts[-1] > end else len(text)
    # Each search stops at the first character that is not white space, so a long line costs no more.
    first = _NOT_SPACE.search(text, line_start, start)
    following = _NOT_SPACE.search(text, end, line_end)
    return first is None and following is None


def _single_dollars(text: str, prepared: _Prepared) -> str:
    lines = []
    for line in text.split("\n"):
        if line.count("$") < 2:
            lines.append(line)
            continue
        closers = [index for index, character in enumerate(line) if character == "$" and index > 0
                   and not line[index - 1].isspace() and line[index - 1] != "\\"
                   and not (index + 1 < len(line) and line[index + 1].isdigit())]
        parts: list[str] = []
        position = 0
        index = line.find("$")
        while index >= 0:
            opens = index + 1 < len(line) and not line[index + 1].isspace() and (index == 0 or line[index - 1] != "\\")
            nearest = bisect.bisect_right(closers, index + 1) if opens else len(closers)
            if nearest < len(closers):
                end = closers[nearest]
                parts.append(line[position:index])
                parts.append(prepared.set_aside(Math(line[index + 1 : end]), line[index : end + 1]))
                position = end + 1
                index = line.find("$", position)
            else:
                index = line.find("$", index + 1)
        parts.append(line[position:])
        lines.append("".join(parts))
    return "\n".join(lines)


def _restored(text: str, prepared: _Prepared) -> str:
    """Placeholders back to their source text (inside code, where math is not math)."""
    return _PLACEHOLDER.sub(lambda match: prepared.sources[int(match.group(1))], text)


def _text_spans(text: str, prepared: _Prepared) -> Iterator[RawSpan]:
    position = 0
    for match in _PLACEHOLDER.finditer(text):
        yield Text(text[position : match.start()])
        yield prepared.math[int(match.group(1))]
        position = match.end()
    yield Text(text[position:])


# --- inline HTML -----------------------------------------------------------------------------------------------

_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*?)(/?)>", re.DOTALL)
_ALIGN = re.compile(r"text-align:\s*(left|center|right|)")
_ATTRIBUTE = re.compile(r"([A-Za-z_:][-\w:.]*)\s*(?:=\s*(\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?")
_HEX_COLOUR = re.compile(r"#[0-9a-f]{3}(?:[0-9a-f]{3})?")
_STYLE_COLOUR = re.compile(r"(?:^|;)\s*color\s*:\s*([^;]+)", re.IGNORECASE)
_VOID = frozenset(("br", "img", "hr", "wbr", "input", "meta", "link", "source", "col", "area", "base", "embed"))
_HIDDEN = frozenset(("style", "script", "template", "noscript", "head", "title"))
_SPAN_TAGS: dict[str, type] = {
    "b": Strong, "strong": Strong, "i": Emphasis, "em": Emphasis, "cite": Emphasis, "u": Underline,
    "ins": Underline, "s": Strike, "del": Strike, "strike": Strike, "sup": Superscript, "sub": Subscript,
    "mark": Highlight,
}
_BLOCK_TAGS = frozenset((
    "p", "div", "section", "article", "header", "footer", "main", "aside", "nav", "center", "figure", "figcaption",
    "details", "summary", "address", "dl", "dt", "dd", "form", "fieldset", "h1", "h2", "h3", "h4", "h5", "h6", "ul",
    "ol", "li", "table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption", "blockquote", "pre", "hr",
))


def _attributes(source: str) -> dict[str, str]:
    found = {}
    for match in _ATTRIBUTE.finditer(source):
        value = match.group(2) or ""
        if value[:1] in ("'", '"'):
            value = value[1:-1]
        found[match.group(1).lower()] = value
    return found


# CSS's basic colours and the others homepages use most, as #rrggbb; a name not here keeps its words, uncoloured.
CSS_COLOURS = {
    "black": "#000000", "silver": "#c0c0c0", "gray": "#808080", "grey": "#808080", "white": "#ffffff",
    "maroon": "#800000", "red": "#ff0000", "purple": "#800080", "fuchsia": "#ff00ff", "magenta": "#ff00ff",
    "green": "#008000", "lime": "#00ff00", "olive": "#808000", "yellow": "#ffff00", "navy": "#000080",
    "blue": "#0000ff", "teal": "#008080", "aqua": "#00ffff", "cyan": "#00ffff", "orange": "#ffa500",
    "darkred": "#8b0000", "crimson": "#dc143c", "firebrick": "#b22222", "indianred": "#cd5c5c", "tomato": "#ff6347",
    "orangered": "#ff4500", "darkorange": "#ff8c00", "gold": "#ffd700", "brown": "#a52a2a", "chocolate": "#d2691e",
    "darkgreen": "#006400", "forestgreen": "#228b22", "seagreen": "#2e8b57", "darkblue": "#00008b",
    "mediumblue": "#0000cd", "royalblue": "#4169e1", "steelblue": "#4682b4", "dodgerblue": "#1e90ff",
    "deepskyblue": "#00bfff", "darkcyan": "#008b8b", "indigo": "#4b0082", "darkviolet": "#9400d3",
    "violet": "#ee82ee", "orchid": "#da70d6", "deeppink": "#ff1493", "hotpink": "#ff69b4", "pink": "#ffc0cb",
    "darkgray": "#a9a9a9", "darkgrey": "#a9a9a9", "dimgray": "#696969", "dimgrey": "#696969",
    "slategray": "#708090", "slategrey": "#708090", "lightgray": "#d3d3d3", "lightgrey": "#d3d3d3",
}


def _colour_of(tag: str, attributes: dict[str, str]) -> str | None:
    """The colour a `<font>` or styled `<span>` sets, as #rrggbb, if it is a hex colour or a name CSS_COLOURS has."""
    value = attributes.get("color", "") if tag == "font" else ""
    if not value:
        style = _STYLE_COLOUR.search(attributes.get("style", ""))
        value = style.group(1).strip() if style else ""
    value = value.strip().lower()
    if _HEX_COLOUR.fullmatch(value):
        return value if len(value) == 7 else "#" + "".join(digit * 2 for digit in value[1:])
    return CSS_COLOURS.get(value)


class _SpanBuilder:
    """Builds spans from a stream of text, breaks and HTML tags; tags may be unbalanced, as on real pages."""

    def __init__(self) -> None:
        self.root: list[RawSpan] = []
        self.stack: list[tuple[str, list[RawSpan], str]] = []  # (tag, the parent's list, data such as the URL)
        self.open_count: dict[str, int] = {}
        self.current = self.root
        self.hidden = 0

    def add(self, span: RawSpan) -> None:
        if not self.hidden:
            self.current.append(span)

    def open(self, tag: str, data: str = "") -> None:
        if len(self.stack) >= MAX_NESTING:
            tag = ""  # deeper formatting adds nothing a reader sees; its words are kept
        self.stack.append((tag, self.current, data))
        self.open_count[tag] = self.open_count.get(tag, 0) + 1
        self.current = []

    def close(self, tag: str) -> None:
        if not self.open_count.get(tag):
            return  # a closing tag with no opening one: the page shows nothing for it
        while self.stack:
            name, parent, data = self.stack.pop()
            self.open_count[name] -= 1
            children = tuple(merge_text(self.current))
            self.current = parent
            parent.extend(_wrapped(name, data, children))
            if name == tag:
                return

    def tag(self, source: str) -> None:
        """An HTML tag written inline: `<b>`, `</b>`, `<br/>`, `<!-- … -->`."""
        match = _TAG.fullmatch(source.strip())
        if match is None:
            return  # a comment, a declaration or a processing instruction: not shown
        closing, name, rest, self_closing = match.groups()
        name = name.lower()
        if name in _HIDDEN:
            self.hidden += -1 if closing else (0 if self_closing else 1)
            self.hidden = max(self.hidden, 0)
            return
        if closing:
            self.close(name)
            return
        attributes = _attributes(rest)
        if name == "br":
            self.add(LineBreak())
        elif name == "img":
            self.add(Text(attributes.get("alt", "")))
        elif name not in _VOID and not self_closing:
            self.open(name, _tag_data(name, attributes))

    def spans(self) -> Spans:
        while self.stack:
            self.close(self.stack[-1][0])
        return tuple(merge_text(self.root))


def _tag_data(name: str, attributes: dict[str, str]) -> str:
    if name == "a":
        return attributes.get("href", "")
    if name in ("font", "span"):
        return _colour_of(name, attributes) or ""
    return ""


def _wrapped(tag: str, data: str, children: Spans) -> list[RawSpan]:
    """The span an HTML element (or a Markdown one, named as its HTML tag) makes of its children."""
    if tag == "a":
        return [Link(data, children)] if data and not url_problem(data) else list(children)  # type: ignore[arg-type]
    if tag in ("font", "span"):
        return [Colour(data, children)] if data else list(children)
    if tag == "code":
        return [Code(plain_text(children))]
    kind = _SPAN_TAGS.get(tag)
    return [kind(children)] if kind is not None else list(children)


# --- Markdown tokens to blocks -----------------------------------------------------------------------------------

_MARKDOWN_TAGS = {"strong_open": "b", "em_open": "i", "s_open": "s", "link_open": "a"}


_SYMBOLS = re.compile(r"---|--|\.\.\.|<< |<<| >>|>>")
_SYMBOL_CHARACTERS = {"---": "\u2014", "--": "\u2013", "...": "\u2026", "<< ": "\u00ab\u00a0", "<<": "\u00ab",
                      " >>": "\u00a0\u00bb", ">>": "\u00bb"}
_SPACES = re.compile(r"[ \t\n]{2,}")
_QUOTES = re.compile(r"['\"]")
_OPENING_CONTEXT = frozenset(" \t\n([{\u2013\u2014-")


def _typography(text: str, before: str) -> str:
    """kramdown's typographic symbols (--- -- ... << >>) and smart quotes, given the character before `text`."""
    text = _SYMBOLS.sub(lambda match: _SYMBOL_CHARACTERS[match.group()], text)

    def quote(match: re.Match[str]) -> str:
        position = match.start()
        previous = text[position - 1] if position else before
        following = text[position + 1] if position + 1 < len(text) else ""
        single = match.group() == "'"
        if single and previous.isalnum() and (following.isalnum() or not following or not following.isspace()):
            return "\u2019"  # an apostrophe: don't, Lee's, the '90s after a word
        if (not previous or previous in _OPENING_CONTEXT) and following and not following.isspace():
            if single and following.isdigit() and text[position + 1 : position + 3].isdigit():
                return "\u2019"  # '90s
            return "\u2018" if single else "\u201c"
        return "\u2019" if single else "\u201d"

    return _QUOTES.sub(quote, text)


def _inline_spans(tokens: list[Token], prepared: _Prepared) -> Spans:
    builder = _SpanBuilder()
    before = ""  # the last character written, which decides whether a quote opens or closes
    for token in tokens:
        if token.type == "text":
            text = _typography(_SPACES.sub(" ", token.content), before)  # a browser shows a run of spaces as one
            for span in _text_spans(text, prepared):
                builder.add(span)
            before = text[-1:] or before
        elif token.type == "text_special":  # an escaped character: as written, no smart quote
            builder.add(Text(token.content))
            before = token.content[-1:] or before
        elif token.type == "softbreak":
            builder.add(Text(" "))
            before = " "
        elif token.type == "hardbreak":
            builder.add(LineBreak())
            before = " "
        elif token.type == "code_inline":
            builder.add(Code(_restored(token.content, prepared)))
            before = "x"
        elif token.type == "image":
            builder.add(Text(_restored(token.content, prepared)))
        elif token.type == "html_inline":
            builder.tag(token.content)
        elif token.type in _MARKDOWN_TAGS:
            builder.open(_MARKDOWN_TAGS[token.type], str(token.attrs.get("href", "")))
        elif token.type.endswith("_close"):
            builder.close(_MARKDOWN_TAGS.get(token.type.replace("_close", "_open"), ""))
    return _trimmed(builder.spans())


def _trimmed(spans: Spans) -> Spans:
    """Spans without white space at either end or around line breaks, and with none left empty."""
    lines: list[list[RawSpan]] = [[]]
    for span in spans:
        if isinstance(span, LineBreak):
            lines.append([])
        else:
            lines[-1].append(span)
    result: list[RawSpan] = []
    for number, line in enumerate(lines):
        if number and result:
            result.append(LineBreak())
        result.extend(Text(_SPACES.sub(" ", span.text)) if isinstance(span, Text) else span
                      for span in strip_spans(line))
    while result and isinstance(result[-1], LineBreak):
        result.pop()
    return tuple(result)


def _blocks(tokens: list[Token], index: int, closing: str | None,
            prepared: _Prepared) -> tuple[list[Block], int]:
    blocks: list[Block] = []
    while index < len(tokens):
        token = tokens[index]
        kind = token.type
        if kind == closing:
            return blocks, index + 1
        if kind == "paragraph_open":
            spans = _inline_spans(tokens[index + 1].children or [], prepared)
            if spans:
                blocks.append(Paragraph(spans))
            index += 3
        elif kind == "heading_open":
            blocks.append(Heading(int(token.tag[1]), _inline_spans(tokens[index + 1].children or [], prepared)))
            index += 3
        elif kind in ("bullet_list_open", "ordered_list_open"):
            items: list[tuple[Block, ...]] = []
            index += 1
            while tokens[index].type == "list_item_open":
                item, index = _blocks(tokens, index + 1, "list_item_close", prepared)
                items.append(tuple(item))
            blocks.append(ListBlock(kind == "ordered_list_open", tuple(items)))  # kramdown numbers from 1
            index += 1
        elif kind == "blockquote_open":
            inner, index = _blocks(tokens, index + 1, "blockquote_close", prepared)
            blocks.append(Quote(tuple(inner)))
        elif kind == "table_open":
            table, index = _table(tokens, index + 1, prepared)
            blocks.append(table)
        elif kind in ("fence", "code_block"):
            blocks.append(CodeBlock(_restored(token.content, prepared).rstrip("\n")))
            index += 1
        elif kind == "hr":
            blocks.append(Rule())
            index += 1
        elif kind == "html_block":
            blocks.extend(_html_blocks(token.content, prepared))
            index += 1
        else:
            index += 1
    return blocks, index


def _table(tokens: list[Token], index: int, prepared: _Prepared) -> tuple[Table, int]:
    header: list[tuple[Spans, ...]] = []
    rows: list[tuple[Spans, ...]] = []
    aligns: list[str] = []
    in_head = False
    row: list[Spans] = []
    while tokens[index].type != "table_close":
        token = tokens[index]
        if token.type == "thead_open":
            in_head = True
        elif token.type == "thead_close":
            in_head = False
        elif token.type == "tr_open":
            row = []
        elif token.type == "tr_close":
            (header if in_head else rows).append(tuple(row))
        elif token.type in ("th_open", "td_open"):
            style = str(token.attrs.get("style", ""))
            if in_head:
                aligns.append(style.removeprefix("text-align:"))
        elif token.type == "inline":
            row.append(_inline_spans(token.children or [], prepared))
        index += 1
    return Table(tuple(header), tuple(rows), tuple(aligns)), index + 1


# --- HTML blocks -----------------------------------------------------------------------------------------------


@dataclass
class _Element:
    tag: str
    attributes: dict[str, str]
    children: list[_Element | str] = field(default_factory=list)


class _TreeBuilder(HTMLParser):
    """An HTML fragment as a tree of elements and text; comments, `<style>` and `<script>` are dropped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Element("", {})
        self.open_elements = [self.root]
        self.open_count: dict[str, int] = {}
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self.hidden += 1
            return
        if self.hidden:
            return
        element = _Element(tag, {name: value or "" for name, value in attrs})
        self.open_elements[-1].children.append(element)
        if tag not in _VOID and len(self.open_elements) <= MAX_NESTING:
            self.open_elements.append(element)
            self.open_count[tag] = self.open_count.get(tag, 0) + 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self.hidden and tag not in _HIDDEN:
            self.open_elements[-1].children.append(_Element(tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden = max(self.hidden - 1, 0)
            return
        if self.hidden or not self.open_count.get(tag):
            return
        while self.open_elements[-1].tag != tag:
            self.open_count[self.open_elements.pop().tag] -= 1
        self.open_count[self.open_elements.pop().tag] -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.open_elements[-1].children.append(data)


def _html_blocks(source: str, prepared: _Prepared) -> list[Block]:
    builder = _TreeBuilder()
    builder.feed(source)
    builder.close()
    return _element_blocks(builder.root, prepared)


def _element_blocks(element: _Element, prepared: _Prepared) -> list[Block]:
    """The blocks of an element's children: block elements become blocks, runs of inline content paragraphs."""
    blocks: list[Block] = []
    run: list[_Element | str] = []

    def end_run() -> None:
        spans = _trimmed(_inline_element_spans(run, prepared))
        if spans:
            blocks.append(Paragraph(spans))
        run.clear()

    for child in element.children:
        if isinstance(child, str) or child.tag not in _BLOCK_TAGS:
            run.append(child)
            continue
        end_run()
        blocks.extend(_block_element(child, prepared))
    end_run()
    return blocks


def _block_element(element: _Element, prepared: _Prepared) -> list[Block]:
    tag = element.tag
    if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
        return [Heading(int(tag[1]), _trimmed(_inline_element_spans(element.children, prepared)))]
    if tag in ("ul", "ol"):
        items = [tuple(_element_blocks(child, prepared)) for child in element.children
                 if isinstance(child, _Element) and child.tag == "li"]
        start = element.attributes.get("start", "1")
        return [ListBlock(tag == "ol", tuple(items), int(start) if start.isdigit() else 1)]
    if tag == "table":
        return [_html_table(element, prepared)]
    if tag == "blockquote":
        return [Quote(tuple(_element_blocks(element, prepared)))]
    if tag == "pre":
        return [CodeBlock(_restored(_element_text(element), prepared).strip("\n"))]
    if tag == "hr":
        return [Rule()]
    return _element_blocks(element, prepared)


def _element_text(element: _Element) -> str:
    return "".join(child if isinstance(child, str) else _element_text(child) for child in element.children)


def _html_table(element: _Element, prepared: _Prepared) -> Table:
    header: list[tuple[Spans, ...]] = []
    rows: list[tuple[Spans, ...]] = []

    def walk(node: _Element, in_head: bool) -> None:
        for child in node.children:
            if not isinstance(child, _Element):
                continue
            if child.tag == "tr":
                cells = [child_cell for child_cell in child.children
                         if isinstance(child_cell, _Element) and child_cell.tag in ("td", "th")]
                row = tuple(_trimmed(_inline_element_spans(cell.children, prepared)) for cell in cells)
                heading = in_head or (bool(cells) and all(cell.tag == "th" for cell in cells) and not rows)
                (header if heading else rows).append(row)
            elif child.tag in ("thead", "tbody", "tfoot"):
                walk(child, child.tag == "thead")

    walk(element, False)
    aligns = tuple(_ALIGN.findall(" ".join(_first_row_styles(element))))
    return Table(tuple(header), tuple(rows), aligns)


def _first_row_styles(element: _Element) -> list[str]:
    for child in element.children:
        if isinstance(child, _Element) and child.tag == "tr":
            return [cell.attributes.get("style", "") or "text-align:" for cell in child.children
                    if isinstance(cell, _Element) and cell.tag in ("td", "th")]
        if isinstance(child, _Element) and child.tag in ("thead", "tbody"):
            return _first_row_styles(child)
    return []


def _inline_element_spans(children: list[_Element | str], prepared: _Prepared) -> Spans:
    spans: list[RawSpan] = []
    for child in children:
        if isinstance(child, str):
            spans.extend(_text_spans(re.sub(r"\s+", " ", child), prepared))
            continue
        tag = child.tag
        if tag == "br":
            spans.append(LineBreak())
        elif tag == "img":
            spans.append(Text(child.attributes.get("alt", "")))
        elif tag in _BLOCK_TAGS:  # a block inside inline content (a <p> in a <td>): its words, on a line
            spans.extend([LineBreak(), *_inline_element_spans(child.children, prepared), LineBreak()])
        else:
            inner = tuple(merge_text(_inline_element_spans(child.children, prepared)))
            spans.extend(_wrapped(tag, _tag_data(tag, child.attributes), inner))
    return tuple(merge_text(spans))


# --- the entry point ---------------------------------------------------------------------------------------------


@functools.cache
def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    parser.normalizeLink = lambda url: url  # type: ignore[method-assign]  # keep URLs exactly as written
    # kramdown links any URL; the URL policy then decides (markdown-it would leave `[c](data:…)` as source text).
    parser.validateLink = lambda url: True  # type: ignore[method-assign]
    parser.core.ruler.disable("text_join")  # escaped characters stay apart: an escaped quote is not made curly
    return parser


@functools.lru_cache(maxsize=64)  # a run's commands and renderers ask for the same sections' blocks
def parse_blocks(markdown: str) -> RawContent:
    """Raw homepage Markdown as blocks, read as Jekyll reads it, and warnings for what the PDFs leave out."""
    prepared = _Prepared(markdown.replace("\r\n", "\n"))
    text = _without_liquid(prepared)
    text = _without_kramdown_syntax(text)
    text = _math_set_aside(text, prepared)
    blocks, _ = _blocks(_parser().parse(text), 0, None, prepared)
    return RawContent(tuple(blocks), tuple(prepared.warnings))


def parse_html_blocks(html: str) -> tuple[Block, ...]:
    """An HTML fragment (such as a page Jekyll has rendered) as blocks, its `$…$` read as math like MathJax."""
    prepared = _Prepared(html)
    return tuple(_html_blocks(_math_set_aside(html, prepared), prepared))
