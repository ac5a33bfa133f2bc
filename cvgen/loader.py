"""YAML → CV model: safe loading, the line of every node kept, all problems collected into one error.

Plain scalars are read as text: YAML 1.1 would turn a title `NO` into false, `012345` into 5349 and
`12:30` into 750. The schema then asks for numbers or booleans where it wants them. Only the page's front
matter, which is free-form data for Jekyll, is read with the usual YAML types, as Jekyll reads it.
"""

from __future__ import annotations

import difflib
import types
import typing
from pathlib import Path
from typing import Any, Union

import yaml
from pydantic import BaseModel, ValidationError

from cvgen.errors import InputFileError, Problem
from cvgen.model import CV, SECTION_KINDS
from cvgen.textfile import read_text_file

MAX_VALUES = 100_000  # a CV with aliases that expands past this is an alias bomb
NULL_WORDS = ("", "~", "null", "Null", "NULL")
STANDARD_TAGS = {
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "seq", "map", "timestamp", "binary")
}
FREE_FORM_PATHS = (("homepage", "front_matter"),)
# libyaml's parser when PyYAML has it (5× faster on large CVs); both keep every node's line.
_COMPOSER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Path_ = tuple[str | int, ...]


class _Problems(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems


class _Converter:
    """Turns a composed YAML node tree into Python data and records each node's line by its path."""

    def __init__(self) -> None:
        self.lines: dict[Path_, int] = {}
        self.problems: list[Problem] = []
        self.count = 0
        self.typed = yaml.SafeLoader("")

    def convert(self, node: yaml.Node, path: Path_, stack: tuple[int, ...] = ()) -> Any:
        self.count += 1
        if self.count > MAX_VALUES:
            raise _Problems([Problem(
                f"the file expands to more than {MAX_VALUES:,} values through aliases (an alias bomb?)",
                node.start_mark.line + 1,
            )])
        if id(node) in stack:
            raise _Problems([Problem("an alias refers to itself (a recursive structure)", node.start_mark.line + 1,
                                     _display(path))])
        self.lines.setdefault(path, node.start_mark.line + 1)
        if node.tag not in STANDARD_TAGS:
            self.problems.append(Problem(
                f"the tag {node.tag} is not allowed (cvgen loads YAML safely: no Python objects or custom tags)",
                node.start_mark.line + 1, _display(path) or None,
            ))
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, (*stack, id(node)))
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(item, (*path, index), (*stack, id(node))) for index, item in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)
        if any(path[: len(free)] == free for free in FREE_FORM_PATHS):
            return self.typed.construct_object(node, deep=True)
        if node.style is None and node.value in NULL_WORDS and node.tag != "tag:yaml.org,2002:str":
            return None
        return node.value

    def _mapping(self, node: yaml.MappingNode, path: Path_, stack: tuple[int, ...]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        key_lines: dict[str, int] = {}
        self.typed.flatten_mapping(node)  # resolves YAML merge keys (<<)
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                self.problems.append(Problem("a key must be plain text", line, _display(path) or None))
                continue
            key = key_node.value
            if key in key_lines:
                self.problems.append(Problem(
                    f"duplicate key {key!r} (first on line {key_lines[key]}); a second value would silently "
                    "replace the first",
                    line, _display((*path, key)),
                ))
                continue
            key_lines[key] = line
            self.lines[(*path, key, "<key>")] = line
            result[key] = self.convert(value_node, (*path, key), stack)
        return result


def _display(path: Path_) -> str:
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def yaml_problem(error: yaml.YAMLError, what: str, first_line: int = 1) -> Problem:
    """A PyYAML error as one line with the file line it points at (`first_line`: where the YAML starts)."""
    if isinstance(error, yaml.MarkedYAMLError):
        mark = error.problem_mark or error.context_mark
        line = mark.line + first_line if mark else None
        details = " ".join(part for part in (error.context, error.problem) if part)
        return Problem(f"{what}: {details}", line)
    return Problem(f"{what}: {error}")


def parse_yaml(text: str) -> tuple[Any, dict[Path_, int], list[Problem]]:
    """Parse YAML text safely into data, the line of each path, and the problems found."""
    try:
        node = yaml.compose(text, Loader=_COMPOSER)
    except yaml.YAMLError as error:
        return None, {}, [yaml_problem(error, "YAML syntax error")]
    if node is None:
        return None, {}, []
    converter = _Converter()
    try:
        data = converter.convert(node, ())
    except _Problems as stop:
        return None, {}, stop.problems
    except RecursionError:
        return None, {}, [Problem("the YAML is nested too deeply")]
    return data, converter.lines, converter.problems


def load_cv(path: Path) -> CV:
    """Load and validate a CV file, raising InputFileError with every problem in it."""
    cv = load_cv_text(read_text_file(path, "CV"), str(path))
    if not cv.design.templates:
        return cv
    # Template folders named in the file are relative to the file, wherever cvgen runs from.
    folders = [str((path.parent / Path(folder).expanduser()).resolve()) for folder in cv.design.templates]
    return cv.model_copy(update={"design": cv.design.model_copy(update={"templates": folders})})


def load_cv_text(text: str, source: str) -> CV:
    """Validate CV YAML text; `source` names it in messages."""
    data, lines, problems = parse_yaml(text)
    if problems:
        raise InputFileError(source, problems)
    if data is None:
        raise InputFileError(source, [Problem("the file is empty; a CV needs at least `name:` and `sections:`", 1)])
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else "a single value"
        raise InputFileError(source, [Problem(
            f"the top level is {kind}; a CV is a mapping with `name:`, `sections:` and the other keys", 1
        )])
    try:
        return CV.model_validate(data)
    except ValidationError as error:
        raise InputFileError(source, [_problem(item, data, lines) for item in error.errors()]) from None


def _problem(error: Any, data: Any, lines: dict[Path_, int]) -> Problem:
    location: tuple[str | int, ...] = tuple(error["loc"])
    path: list[str | int] = []
    value = data
    for number, part in enumerate(location):  # keep only the parts that exist in the data (drops union tags)
        missing_key = error["type"] == "missing" and number == len(location) - 1
        if isinstance(value, dict) and isinstance(part, str) and (part in value or missing_key):
            path.append(part)
            value = value.get(part)
        elif isinstance(value, list) and isinstance(part, int) and part < len(value):
            path.append(part)
            value = value[part]
    kind = error["type"]
    if kind == "extra_forbidden":
        key = path[-1]
        line = lines.get((*path[:-1], key, "<key>"))
        allowed = _allowed_keys(data, path[:-1])
        near = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
        hint = f"; did you mean `{near[0]}`?" if near else (f"; valid keys: {', '.join(allowed)}" if allowed else "")
        return Problem(f"unknown key `{key}`{hint}", line, _display(tuple(path)))
    line = _nearest_line(tuple(path), lines)
    field = _display(tuple(path)) or None
    if kind == "missing":
        return Problem("is required but missing", line, field)
    if kind == "union_tag_invalid":
        got = error.get("ctx", {}).get("tag", "")
        near = difflib.get_close_matches(str(got), SECTION_KINDS, n=1)
        hint = f"; did you mean `{near[0]}`?" if near else ""
        return Problem(f"kind `{got}` is unknown{hint} (kinds: {', '.join(SECTION_KINDS)})", line,
                       _display((*path, "kind")))
    if kind == "union_tag_not_found":
        return Problem(f"a section needs `kind:`, one of {', '.join(SECTION_KINDS)}", line, field)
    message = str(error["msg"]).removeprefix("Value error, ")
    if kind in ("string_type", "int_type", "bool_type", "list_type", "dict_type", "model_type",
                "model_attributes_type", "bool_parsing", "int_parsing", "literal_error"):
        message = f"{message[0].lower()}{message[1:]}, got {_describe(value)}"
    return Problem(message, line, field)


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return repr(value)


def _nearest_line(path: Path_, lines: dict[Path_, int]) -> int | None:
    for end in range(len(path), -1, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return None


def _allowed_keys(data: Any, path: list[str | int]) -> list[str]:
    """The keys the model accepts at a path, for 'did you mean' hints."""
    model: Any = CV
    value: Any = data
    for part in path:
        if isinstance(value, dict) and isinstance(part, str):
            value = value.get(part)
        elif isinstance(value, list) and isinstance(part, int) and part < len(value):
            value = value[part]
        else:
            value = None
        if isinstance(part, str) and _is_model(model):
            annotation = model.model_fields[part].annotation if part in model.model_fields else None
            model = _unwrap(annotation, value)
        elif isinstance(part, int):
            model = _unwrap(model, value)
    return list(model.model_fields) if _is_model(model) else []


def _is_model(candidate: Any) -> bool:
    return isinstance(candidate, type) and issubclass(candidate, BaseModel)


def _unwrap(annotation: Any, value: Any) -> Any:
    """From a field annotation to the model class that describes `value` (through lists, unions, Optional)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0], value)
    if origin in (list, tuple):
        return typing.get_args(annotation)[0]
    if origin in (Union, types.UnionType):
        members = [member for member in typing.get_args(annotation) if member is not type(None)]
        for member in members:
            unwrapped = _unwrap(member, value)
            if _is_model(unwrapped) and isinstance(value, dict):
                kind_field = unwrapped.model_fields.get("kind")
                if kind_field is None or typing.get_args(kind_field.annotation) == (value.get("kind"),):
                    return unwrapped
        return members[0] if members else annotation
    return annotation
