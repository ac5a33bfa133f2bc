"""CV model → YAML text: the one YAML writer every importer funnels through."""

from __future__ import annotations

import re
from typing import Any

import yaml

from cvgen.model import CV

SCHEMA_COMMENT = "# yaml-language-server: $schema={schema}\n"
DEFAULT_SCHEMA_REFERENCE = "cv.schema.json"


class _Dumper(yaml.SafeDumper):
    """Block style, Unicode kept, multi-line text as literal blocks, no line folding."""

    def ignore_aliases(self, data: Any) -> bool:
        return True

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)  # indent list items under their key


def _represent_str(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = "|" if "\n" in text.strip("\n") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_Dumper.add_representer(str, _represent_str)


def dump_yaml(data: Any) -> str:
    """Write plain data as block YAML, keeping key order and Unicode."""
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1_000_000,
                     default_flow_style=False, indent=2)


DATE_KEYS = {"date", "start", "end", "year"}
_YEAR = re.compile(r"[12]\d{3}")


def _plain_years(value: Any, key: str = "") -> Any:
    """Years in date fields as YAML numbers (`year: 2021`, not `year: '2021'`): cvgen reads them back as text. Front
    matter keeps its own types."""
    if key in ("front_matter", "jsonresume"):
        return value
    if isinstance(value, dict):
        return {name: _plain_years(item, name) for name, item in value.items()}
    if isinstance(value, list):
        return [_plain_years(item, key) for item in value]
    if key in DATE_KEYS | {"years"} and isinstance(value, str) and _YEAR.fullmatch(value):
        return int(value)
    return value


def dump_cv(cv: CV, schema: str = DEFAULT_SCHEMA_REFERENCE) -> str:
    """The CV as YAML, leaving out values equal to their defaults, with the schema named for editors. An entry the
    site's CV page writes just as the about page does is written once, and the CV page's section names it (a YAML
    anchor and alias: `- &phd-kaist …` there, `- *phd-kaist` here), so one edit changes both pages."""
    data = cv.model_dump(exclude_defaults=True)
    # The page's free-form front matter keeps its own types.
    data = {key: value if key == "homepage" else _plain_years(value) for key, value in data.items()}
    pages = data.get("site", {}).get("pages", [])
    model_pages = cv.site.pages if cv.site else []
    page_sections = [(page.get("sections", []), model_page.sections)
                     for page, model_page in zip(pages, model_pages, strict=False)]
    for sections, model_sections in [(data["sections"], cv.sections), *page_sections]:
        for section, model_section in zip(sections, model_sections, strict=False):
            section["kind"] = model_section.kind  # a default-free discriminator must always be written
            data_order = ["kind", *[key for key in section if key != "kind"]]
            section_copy = {key: section[key] for key in data_order}
            section.clear()
            section.update(section_copy)
    _share_entries(data["sections"], [section for page in pages for section in page.get("sections", [])])
    return SCHEMA_COMMENT.format(schema=schema) + yaml.dump(
        data, Dumper=_SharingDumper, sort_keys=False, allow_unicode=True, width=1_000_000, default_flow_style=False,
        indent=2)


def _share_entries(about: list[dict[str, Any]], page: list[dict[str, Any]]) -> None:
    """Make each entry of the CV page's sections that equals an entry of the about page's the same object, which
    the YAML writer writes once with an anchor and names again with an alias."""
    import json

    def key(entry: Any) -> str:
        return json.dumps(entry, sort_keys=True, default=str)

    written = {key(entry): entry for section in about for entry in section.get("items", [])
               if isinstance(entry, dict)}
    for section in page:
        items = section.get("items", [])
        for index, entry in enumerate(items):
            shared = written.get(key(entry)) if isinstance(entry, dict) else None
            if shared is not None:
                items[index] = shared


class _SharingDumper(_Dumper):
    """The YAML writer, with the one kind of alias cvgen writes: an entry two pages share, named by its text."""

    def ignore_aliases(self, data: Any) -> bool:
        return not isinstance(data, dict)

    def generate_anchor(self, node: Any) -> str:
        values = {key.value: value.value for key, value in node.value
                  if isinstance(key, yaml.ScalarNode) and isinstance(value, yaml.ScalarNode)}
        text = next((values[name] for name in ("title", "degree", "role", "text", "venue") if values.get(name)),
                    "entry")
        words = re.findall(r"[^\W_]+", str(text).casefold())[:5]
        anchor = "-".join(words) or "entry"
        used: set[str] = self.__dict__.setdefault("_anchors_used", set())
        candidate, number = anchor, 2
        while candidate in used:
            candidate, number = f"{anchor}-{number}", number + 1
        used.add(candidate)
        return candidate
