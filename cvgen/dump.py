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
    if key == "front_matter":
        return value
    if isinstance(value, dict):
        return {name: _plain_years(item, name) for name, item in value.items()}
    if isinstance(value, list):
        return [_plain_years(item, key) for item in value]
    if key in DATE_KEYS | {"years"} and isinstance(value, str) and _YEAR.fullmatch(value):
        return int(value)
    return value


def dump_cv(cv: CV, schema: str = DEFAULT_SCHEMA_REFERENCE) -> str:
    """The CV as YAML, leaving out values equal to their defaults, with the schema named for editors."""
    data = cv.model_dump(exclude_defaults=True)
    # The page's free-form front matter keeps its own types.
    data = {key: value if key == "homepage" else _plain_years(value) for key, value in data.items()}
    for section, model_section in zip(data["sections"], cv.sections, strict=False):
        section["kind"] = model_section.kind  # a default-free discriminator must always be written
        data_order = ["kind", *[key for key in section if key != "kind"]]
        section_copy = {key: section[key] for key in data_order}
        section.clear()
        section.update(section_copy)
    return SCHEMA_COMMENT.format(schema=schema) + dump_yaml(data)
