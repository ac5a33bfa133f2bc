"""The inline markup allowed inside CV text fields, parsed once into spans that each format renders.

The markup is a small Markdown subset, parsed by markdown-it-py: ``**bold**`` (always bold, even next to
punctuation), ``*italic*`` or ``_italic_`` (CommonMark's rules),
``[text](url)``, ``` `code` ```, ``++underline++`` and ``==highlight==`` (an award or a highlighted phrase),
with backslash escapes. HTML is not part of it: ``<b>`` in a field is four literal characters.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token


@dataclass(frozen=True)
class Text:
    """Literal text."""

    text: str


@dataclass(frozen=True)
class Code:
    """A code span, shown in a monospace face."""

    text: str


@dataclass(frozen=True)
class Strong:
    """Bold text."""

    children: tuple[Span, ...]


@dataclass(frozen=True)
class Emphasis:
    """Italic text."""

    children: tuple[Span, ...]


@dataclass(frozen=True)
class Underline:
    """Underlined text (``++…++``), as homepages mark their owner's name."""

    children: tuple[Span, ...]


@dataclass(frozen=True)
class Highlight:
    """A highlighted phrase (``==…==``), such as an award in a news item."""

    children: tuple[Span, ...]


@dataclass(frozen=True)
class Link:
    """A hyperlink around inline content."""

    url: str
    children: tuple[Span, ...]


Span = Text | Code | Strong | Emphasis | Underline | Highlight | Link

_CONTAINER_BY_TOKEN: dict[str, type[Strong] | type[Emphasis] | type[Underline] | type[Highlight]] = {
    "strong": Strong,
    "em": Emphasis,
    "ins": Underline,
    "mark": Highlight,
}


@dataclass(frozen=True)
class _Closers:
    """Where a doubled marker can close in one field: each position, in order, and the end of its marker run."""

    positions: list[int]
    run_ends: list[int]


@functools.lru_cache(maxsize=8)  # one field at a time, three markers each
def _closers(source: str, marker: str) -> _Closers:
    """Every position in `source` where `<marker><marker>` closes a span: not escaped by an odd number of
    backslashes and not after white space. Found in one pass, so that each opening marker is a look-up instead
    of a scan to the end of the field (which made a field of unmatched markers quadratic)."""
    positions: list[int] = []
    run_ends: list[int] = []
    for run in re.finditer(re.escape(marker) + "{2,}", source):
        first, end = run.span()
        backslashes = 0
        while first - backslashes > 0 and source[first - backslashes - 1] == "\\":
            backslashes += 1
        # A marker inside the run follows a marker, so only the run's first one can be escaped or space-led.
        opening_ok = first > 0 and not backslashes % 2 and not source[first - 1].isspace()
        for position in range(first if opening_ok else first + 1, end - 1):
            positions.append(position)
            run_ends.append(end)
    return _Closers(positions, run_ends)


def _paired_delimiter_rule(marker: str, tag: str) -> Callable[[StateInline, bool], bool]:
    """An inline rule for ``<marker><marker>content<marker><marker>`` (``++u++``, ``==h==``): the span closes at
    the first closing delimiter after it, looked up in the field's `_closers`."""
    delimiter = marker * 2

    def rule(state: StateInline, silent: bool) -> bool:
        start = state.pos
        if not state.src.startswith(delimiter, start) or start + 2 >= state.posMax:
            return False
        if state.src[start + 2].isspace():
            return False
        closers = _closers(state.src, marker)
        index = bisect.bisect_left(closers.positions, start + 2)
        if index == len(closers.positions) or closers.positions[index] + 2 > state.posMax:
            return False
        end = closers.positions[index]
        run = min(closers.run_ends[index], state.posMax)
        after = state.src[run] if run < state.posMax else " "
        if run - end > 2 and (after.isspace() or not after.isalnum()):
            end = run - 2  # `x***` closes an inner `*` first; `***x` closes here and opens a `*`
        if not silent:
            state.push(f"{tag}_open", tag, 1)
            old_max = state.posMax
            state.pos, state.posMax = start + 2, end
            state.md.inline.tokenize(state)
            state.posMax = old_max
            state.push(f"{tag}_close", tag, -1)
        state.pos = end + 2
        return True

    return rule


@functools.cache
def _parser() -> MarkdownIt:
    parser = MarkdownIt("zero").enable(["emphasis", "link", "escape", "backticks"])
    parser.normalizeLink = lambda url: url  # type: ignore[method-assign]  # keep URLs exactly as written
    # `**` always means bold, even beside punctuation where CommonMark's flanking rules would refuse it.
    parser.inline.ruler.before("emphasis", "strong", _paired_delimiter_rule("*", "strong"))
    parser.inline.ruler.before("emphasis", "ins", _paired_delimiter_rule("+", "ins"))
    parser.inline.ruler.before("emphasis", "mark", _paired_delimiter_rule("=", "mark"))
    return parser


_PLAIN = re.compile(r"[^\\*_\[\]`+=\r\n\0]*")


def parse_markup(source: str) -> tuple[Span, ...]:
    """Parse a markup string into spans (unbalanced markers stay literal text)."""
    if not source:
        return ()
    if _PLAIN.fullmatch(source):
        return (Text(source),)  # nothing the parser reads as markup: one text span (the common case, fast)
    tokens = _parser().parseInline(source)
    children = tokens[0].children or [] if tokens else []
    spans, _ = _build(children, 0, None)
    return spans


def _build(tokens: list[Token], index: int, closing: str | None) -> tuple[tuple[Span, ...], int]:
    spans: list[Span] = []
    while index < len(tokens):
        token = tokens[index]
        if closing is not None and token.type == closing:
            return _merge_text(spans), index + 1
        if token.type in ("text", "text_special"):
            spans.append(Text(token.content))
        elif token.type == "code_inline":
            spans.append(Code(token.content))
        elif token.type == "softbreak":
            spans.append(Text("\n"))
        elif token.type == "link_open":
            inner, index = _build(tokens, index + 1, "link_close")
            spans.append(Link(str(token.attrs.get("href", "")), inner))
            continue
        elif token.type.endswith("_open") and token.tag in _CONTAINER_BY_TOKEN:
            inner, index = _build(tokens, index + 1, token.type.replace("_open", "_close"))
            spans.append(_CONTAINER_BY_TOKEN[token.tag](inner))
            continue
        else:  # anything else the parser emits is shown as its source text
            spans.append(Text(token.content or token.markup))
        index += 1
    return _merge_text(spans), index


SpanLike = TypeVar("SpanLike")


def merge_text(spans: Iterable[SpanLike]) -> list[SpanLike]:
    """Neighbouring Text spans joined and empty ones dropped; other spans (of any kind) kept as they are."""
    merged: list[Any] = []
    run: list[Text] = []  # the Text spans since the last other span, joined once (joining pairwise is quadratic)

    def close_run() -> None:
        text = run[0] if len(run) == 1 else Text("".join(span.text for span in run))
        if text.text:
            merged.append(text)
        run.clear()

    for span in spans:
        if isinstance(span, Text):
            run.append(span)
            continue
        if run:
            close_run()
        merged.append(span)
    if run:
        close_run()
    return merged


def strip_spans(spans: Iterable[SpanLike], characters: str | None = None) -> list[SpanLike]:
    """Spans without white space (or `characters`) at their two ends, and with their text merged."""
    items: list[Any] = list(spans)
    if items and isinstance(items[0], Text):
        items[0] = Text(items[0].text.lstrip(characters))
    if items and isinstance(items[-1], Text):
        items[-1] = Text(items[-1].text.rstrip(characters))
    return merge_text(items)


def _merge_text(spans: Iterable[Span]) -> tuple[Span, ...]:
    return tuple(merge_text(spans))


_ESCAPE_ALWAYS = re.compile(r"([\\*_\[\]`])")
_ESCAPE_DOUBLED = re.compile(r"(?<=[=+])([=+])|([=+])(?=[=+])")


def escape_markup(text: str) -> str:
    """Escape literal text so that parse_markup reads it back as the same text."""
    return escape_doubled(_ESCAPE_ALWAYS.sub(r"\\\1", text))


def escape_doubled(text: str) -> str:
    """Escape the doubled `=` and `+` of text (cvgen's highlight and underline), and nothing else."""
    return _ESCAPE_DOUBLED.sub(lambda match: "\\" + match.group(0), text)


def normalize_spans(spans: tuple[Span, ...] | list[Span], inside: frozenset[type] = frozenset()) -> tuple[Span, ...]:
    """Spans in the one form markup can write: white space moved out of formatting, no format nested in
    itself (bold in bold is bold), no link in a link, neighbours of one format merged, empty formatting dropped."""
    result: list[Span] = []
    # The last span, while neighbours of its format may still join it: its format and the normalised children of
    # each part. They are normalised together once it is complete (one part after another is quadratic).
    open_format: type[Strong] | type[Emphasis] | type[Underline] | type[Highlight] | None = None
    parts: list[tuple[Span, ...]] = []

    def close() -> None:
        nonlocal open_format
        if open_format is not None:
            children = parts[0] if len(parts) == 1 else normalize_spans(
                [child for part in parts for child in part], inside | {open_format})
            result.append(open_format(children))
            open_format = None

    for span in spans:
        if isinstance(span, (Text, Code)):
            close()
            result.append(span)
            continue
        if type(span) in inside:  # already in this format: keep only the content
            if content := normalize_spans(span.children, inside):
                close()
                result.extend(content)
            continue
        children = normalize_spans(span.children, inside | {type(span)})
        if isinstance(span, Link):
            close()
            result.append(Link(span.url, children))
            continue
        lead, inner, trail = _split_outer_space(children)
        if not inner:
            if lead or trail:
                close()
                result.extend(lead + trail)
            continue
        if open_format is type(span) and not lead:
            parts.append(inner)
        elif open_format is None and result and type(result[-1]) is type(span) and not lead:
            previous = result.pop()
            assert isinstance(previous, (Strong, Emphasis, Underline, Highlight))
            open_format, parts = type(previous), [previous.children, inner]
        else:
            close()
            result.extend(lead)
            open_format, parts = type(span), [inner]
        if trail:
            close()
            result.extend(trail)
    close()
    return _merge_text(result)


def _split_outer_space(children: tuple[Span, ...]) -> tuple[tuple[Span, ...], tuple[Span, ...], tuple[Span, ...]]:
    items = list(children)
    lead: tuple[Span, ...] = ()
    trail: tuple[Span, ...] = ()
    if items and isinstance(items[0], Text):
        stripped = items[0].text.lstrip()
        if stripped != items[0].text:
            lead = (Text(items[0].text[: len(items[0].text) - len(stripped)]),)
            items[0] = Text(stripped)
    if items and isinstance(items[-1], Text):
        stripped = items[-1].text.rstrip()
        if stripped != items[-1].text:
            trail = (Text(items[-1].text[len(stripped):]),)
            items[-1] = Text(stripped)
    return lead, _merge_text(items), trail


def to_markup(spans: tuple[Span, ...] | list[Span]) -> str:
    """Write spans back as markup source (the inverse of parse_markup, for spans in normal form)."""
    parts: list[str] = []
    for span in normalize_spans(spans):
        match span:
            case Text(text):
                parts.append(escape_markup(text))
            case Code(text):
                fence = "``" if "`" in text else "`"
                pad = " " if text.startswith("`") or text.endswith("`") else ""
                parts.append(f"{fence}{pad}{text}{pad}{fence}")
            case Strong(children):
                parts.append(f"**{to_markup(children)}**")
            case Emphasis(children):
                parts.append(f"_{to_markup(children)}_")
            case Underline(children):
                parts.append(f"++{to_markup(children)}++")
            case Highlight(children):
                parts.append(f"=={to_markup(children)}==")
            case Link(url, children):
                parts.append(f"[{to_markup(children)}](<{url}>)" if re.search(r"[\s()<>]", url)
                             else f"[{to_markup(children)}]({url})")
    return "".join(parts)


def plain_text(spans: Iterable[Any]) -> str:
    """The text of spans without any formatting (for PDF metadata, search and tests); any span with `text` or
    `children` will do."""
    parts: list[str] = []
    for span in spans:
        children = getattr(span, "children", None)
        parts.append(span.text if children is None else plain_text(children))
    return "".join(parts)


def markup_text(source: str | None) -> str:
    """A text field's markup as the plain text it shows ('' for a field left empty)."""
    return plain_text(parse_markup(source)) if source else ""


def title_key(title: str) -> str:
    """A title as titles are matched: the letters and digits of its text only, accents and case folded."""
    folded = unicodedata.normalize("NFKD", markup_text(title)).casefold()
    return "".join(character for character in folded if character.isalnum())


def render_spans(
    spans: Sequence[SpanLike],
    text: Callable[[str], str],
    wrap: Callable[[SpanLike, str], str],
) -> str:
    """Fold spans into a format: ``text`` escapes literal text, ``wrap`` wraps a span's rendered content (for a
    span without children, such as code or a line break, its escaped text)."""
    parts: list[str] = []
    for span in spans:
        if isinstance(span, Text):
            parts.append(text(span.text))
            continue
        children = getattr(span, "children", None)
        content = (text(getattr(span, "text"))  # noqa: B009  # SpanLike declares no attributes
                   if children is None else render_spans(children, text, wrap))
        parts.append(wrap(span, content))
    return "".join(parts)
