"""Filling a layout's slots: the one writer of every entry written by a layout (`cvgen.model.EntryLayout`).

A layout is an entry's Markdown with a slot for each field (`{title}`, `{start}`…); an optional part
(`{?, {location}?}`) is written only when all its slots have values; a brace the page itself writes is doubled
(`{{ site.url }}`). The importer derives layouts from the page (`cvgen.importers.layouts`), the homepage writer
fills them (`cvgen.renderers.markdown`); both use this module, so neither depends on the other.
"""

from __future__ import annotations

import re

from cvgen.model import EntryLayout

SLOT = re.compile(r"(?<!\{)\{(\w+)\}")
SLOT_OR_BRACE = re.compile(r"\{\{|\}\}|\{(\w+)\}")
OPTIONAL = re.compile(r"\{\?((?:(?!\?\}).)*)\?\}", re.S)
OPTIONAL_MARKS = re.compile(r"\{\?|\?\}")


def braced(text: str) -> str:
    """Text as it stands in a template, its braces doubled (`{{ site.url }}` in a link target)."""
    return text.replace("{", "{{").replace("}", "}}")


def unbraced(template_text: str) -> str:
    """Template text as the page writes it, its doubled braces single again."""
    return template_text.replace("{{", "{").replace("}}", "}")


def slots(layout: EntryLayout) -> set[str]:
    """The fields a layout has a place for."""
    return set(SLOT.findall(layout.template))


def required_slots(layout: EntryLayout) -> set[str]:
    """The slots a layout always writes (outside its optional parts): an entry without a value for one would
    leave the text around it dangling ("Mar. 2018 - ")."""
    return set(SLOT.findall(OPTIONAL.sub("", layout.template)))


def fill_slots(template: str, values: dict[str, str]) -> str:
    """A template with its slots filled; an optional part is written when all its slots have values."""
    template = OPTIONAL.sub(lambda match: match.group(1) if all(
        values.get(slot) for slot in SLOT.findall(match.group(1))) else "", template)
    return SLOT_OR_BRACE.sub(lambda match: values.get(match.group(1), match.group(0))
                             if match.group(1) else match.group(0)[0], template)


def layout_url(url: str | None) -> str | None:
    """A URL for a layout's link: what would end it, in Markdown or in an attribute, percent-encoded."""
    return _URL_ESCAPES.sub(lambda match: f"%{ord(match.group()):02X}", url.strip()) if url else None


# What would end a URL in Markdown or an attribute, open Liquid, or make a table cell of kramdown's (a pipe).
_URL_ESCAPES = re.compile(r"[<>\\\"\s(){}|]")


def written_links(layout: EntryLayout, links: list[tuple[str, str]]) -> str:
    """An entry's links (label, URL) as its layout writes its link run."""
    if layout.links is None:
        return ""
    site_link = layout.links.site_link
    return layout.links.separator.join(
        (site_link if site_link and url.startswith("/") else layout.links.link).replace("{label}", label)
        .replace("{url}", url) for label, url in links)


__all__ = ["OPTIONAL", "OPTIONAL_MARKS", "SLOT", "SLOT_OR_BRACE", "braced", "fill_slots", "layout_url",
           "required_slots", "slots", "unbraced", "written_links"]
