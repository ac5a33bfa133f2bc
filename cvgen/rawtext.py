"""Homepage Markdown kept raw, turned into plain paragraphs of spans so LaTeX and PDF outputs show its words."""

from __future__ import annotations

import functools
import html
import re

from markdown_it import MarkdownIt
from markdown_it.token import Token

from cvgen.markup import Code, Emphasis, Link, Span, Strong, Text, _merge_text, strip_spans

_TAG = re.compile(r"<[^>]*>")
_LIQUID = re.compile(r"{%.*?%}|{{.*?}}", re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


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
    text = _COMMENT.sub(" ", source)  # hidden on the page, so hidden in the PDFs too (the YAML keeps it)
    text = _LIQUID.sub("", text)
    text = html.unescape(_TAG.sub(" ", text))
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
            span: Span = Strong(children) if kind == "strong_open" else (
                Emphasis(children) if kind == "em_open" else Link(url, children))
            parent.append(span)
            current = parent
        elif token.type == "image":
            current.append(Text(token.content))
    while stack:
        _, parent, _ = stack.pop()
        parent.extend(current)
        current = parent
    cleaned = [Text(_LIQUID.sub("", span.text)) if isinstance(span, Text) else span for span in current]
    return tuple(strip_spans(cleaned))
