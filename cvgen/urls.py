"""One URL policy for every output: the links a CV may hold, checked once when the CV is read.

A link goes to the web (http, https), to mail (mailto) or a phone (tel), to a place on the page (#…), or to a
path relative to the page (files/cv.pdf, /publications/). Anything else (javascript:, vbscript:, data:,
file:, ftp:) is refused with a message naming the field, so no output can turn a CV into a script or a
local file. Browsers ignore tabs and line breaks inside a URL and white space or controls before it, so the
scheme is read the way they read it: `java\tscript:` is javascript:.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

ALLOWED_SCHEMES = ("http", "https", "mailto", "tel")
_IGNORED_BY_BROWSERS = re.compile(r"[\t\n\r]")
_LEADING = re.compile(r"^[\x00-\x20]+")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")


def url_problem(url: str) -> str | None:
    """Why a link to `url` is refused, or None when it is allowed."""
    if _IGNORED_BY_BROWSERS.search(url) or _LEADING.match(url) or url != url.rstrip():
        return "a URL cannot hold tabs, line breaks or white space at its ends"
    if not url:
        return "a link needs a URL"
    scheme = _SCHEME.match(url)
    if scheme is None or scheme.group(1).lower() in ALLOWED_SCHEMES:
        return None
    return (f"links may go to {', '.join(f'{name}:' for name in ALLOWED_SCHEMES)}, #fragments or relative paths, "
            f"not to {scheme.group(1)}:")


def is_relative(url: str) -> bool:
    """Whether a URL is a path relative to the page (or a fragment), which every output keeps as written."""
    return _SCHEME.match(url) is None and not url.startswith("//")


def check_url(url: str) -> str:
    """A model check: the URL, or ValueError with what is wrong and what is allowed."""
    problem = url_problem(url)
    if problem:
        raise ValueError(problem)
    return url


def span_urls(spans: Iterable[object]) -> Iterator[str]:
    """The URLs of the links among parsed markup spans, nested ones included."""
    for span in spans:
        url = getattr(span, "url", None)
        if isinstance(url, str):
            yield url
        yield from span_urls(getattr(span, "children", ()))
