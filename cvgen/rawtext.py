"""Homepage Markdown kept raw, turned into plain paragraphs of spans so LaTeX and PDF outputs show its words."""

from __future__ import annotations

import functools
import html
import re

from markdown_it import MarkdownIt
from markdown_it.token import Token

from cvgen.markup import Code, Emphasis, Link, Span, Strong, Text, _merge_text, strip_spans
from cvgen.urls import url_problem

_TAG = (("<", ">"),)
_LIQUID = (("{%", "%}"), ("{{", "}}"))
_COMMENT = (("<!--", "-->"),)


def cut_pairs(text: str, pairs: tuple[tuple[str, str], ...], replacement: str) -> str:
    """`text` with each stretch from an opener to the first closer after it replaced, in one pass.

    The same as a regular expression `opener.*?closer`, but linear: an opener with no closer after it means
    no later opener of its kind has one either, where the expression would scan to the end for each."""
    parts: list[str] = []
    position = 0
    upcoming = {opener: text.find(opener) for opener, _ in pairs}  # the next place of each opener, or -1
    closers = dict(pairs)
    while True:
        for opener, place in upcoming.items():
            if 0 <= place < position:
                upcoming[opener] = text.find(opener, position)
        found = [(place, opener) for opener, place in upcoming.items() if place >= 0]
        if not found:
            break
        start, opener = min(found, key=lambda item: (item[0], list(closers).index(item[1])))
        end = text.find(closers[opener], start + len(opener))
        if end < 0:
            upcoming[opener] = -1  # no closer after this opener, so none after any later one
            continue
        parts += [text[position:start], replacement]
        position = end + len(closers[opener])
    parts.append(text[position:])
    return "".join(parts)


@functools.cache
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def raw_paragraphs(markdown: str) -> list[tuple[Span, ...]]:
    """The blocks of a Markdown fragment (paragraphs, headings, list items, table rows, HTML) as spans.

    Tags and Liquid tags are removed and their words kept; HTML comments, which the page hides, are dropped.
    """
    blocks: list[tuple[Span, ...]] = []
    row: list[tuple[Span, ...]] = []
    in_table = False
    for token in _parser().parse(markdown):
        if token.type in ("table_open", "table_close"):
            in_table = token.type == "table_open"
        elif token.type == "inline":
            spans = _inline(token.children or [])
            if in_table:
                row.append(spans)
            elif spans:
                blocks.append(spans)
        elif token.type == "tr_close" and row:
            cells: list[Span] = []
            for index, cell in enumerate(row):
                if index:
                    cells.append(Text(" | "))
                cells.extend(cell)
            blocks.append(_merge_text(cells))
            row = []
        elif token.type in ("html_block", "fence", "code_block"):
            text = _plain(token.content) if token.type == "html_block" else token.content.strip()
            if text:
                blocks.append((Text(text),) if token.type == "html_block" else (Code(text),))
    return blocks


def _plain(source: str) -> str:
    text = cut_pairs(source, _COMMENT, " ")  # hidden on the page, so hidden in the PDFs too (the YAML keeps it)
    text = cut_pairs(text, _LIQUID, "")
    text = html.unescape(cut_pairs(text, _TAG, " "))
    return re.sub(r"\s+", " ", text).strip()


def _inline(tokens: list[Token]) -> tuple[Span, ...]:
    spans: list[Span] = []
    stack: list[tuple[str, list[Span], str]] = []
    current = spans
    for token in tokens:
        if token.type in ("text", "text_special"):
            current.append(Text(token.content))
        elif token.type in ("softbreak", "hardbreak"):
            current.append(Text(" "))
        elif token.type == "code_inline":
            current.append(Code(token.content))
        elif token.type == "html_inline":
            continue
        elif token.type in ("strong_open", "em_open", "link_open"):
            stack.append((token.type, current, str(token.attrs.get("href", ""))))
            current = []
        elif token.type in ("strong_close", "em_close", "link_close") and stack:
            kind, parent, url = stack.pop()
            children = _merge_text(current)
            current = parent
            if kind == "link_open" and url_problem(url):
                parent.extend(children)  # a link outside the URL policy: its words stay, the link goes
                continue
            span: Span = Strong(children) if kind == "strong_open" else (
                Emphasis(children) if kind == "em_open" else Link(url, children))
            parent.append(span)
        elif token.type == "image":
            current.append(Text(token.content))
    while stack:
        _, parent, _ = stack.pop()
        parent.extend(current)
        current = parent
    cleaned = [Text(cut_pairs(span.text, _LIQUID, "")) if isinstance(span, Text) else span for span in current]
    return tuple(strip_spans(cleaned))
