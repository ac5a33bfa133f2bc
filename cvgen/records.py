"""Typed records: classes whose annotated fields are checked when data becomes a record, and their JSON Schema.

The model's classes derive from `Record`. A record is built from a mapping (`Record.model_validate`) or from
keyword arguments; every field is checked against its type hint, unknown keys are errors, and every problem
in the data is collected into one `ValidationError` whose `errors()` give each problem's type, location and
message. Assigning to a field checks the new value the same way.

This replaced pydantic: importing it and building the model's classes cost 0.1 s at every start of every
command, half of `cvgen markdown`. The methods, error types and messages follow pydantic's names, which the
loader turns into messages naming the file, line and field.

Supported type hints, which are what a CV needs: `str`, `bool`, `Literal[...]`, `list[T]`, `dict[str, Any]`,
`Any`, `T | None`, a record class, a union of record classes told apart by a `kind` tag
(`Annotated[A | B, Field(discriminator="kind")]`), a union of two record classes told apart by whether a key is
there (`Annotated[Entry | RawEntry, Field(marker="raw")]`: the member with that field when the data has the key,
the other one otherwise), and `Annotated[str, Check(function), Field(description=…),
JsonSchema({...})]` for text with a check of its own.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable
from typing import Any, ClassVar, Literal, Union

_MISSING: Any = object()
_TRUE = frozenset(("1", "on", "t", "true", "y", "yes"))
_FALSE = frozenset(("0", "off", "f", "false", "n", "no"))
JsonValue = Any
Location = tuple[str | int, ...]


class Remembered(dict):  # type: ignore[type-arg]
    """A mapping that remembers the record each class made of it (in `records`, shared with whoever hands the same
    data in again): checked as that class once more, it gives that record at once. The loader hands an unchanged
    entry's data to load after load this way (`cvgen.reuse`)."""

    def __init__(self, data: dict[Any, Any], records: dict[type, Any]) -> None:
        super().__init__(data)
        self.records = records


class ValidationError(ValueError):
    """Every problem found in data that was to become a record."""

    def __init__(self, title: str, problems: list[dict[str, Any]]) -> None:
        self.title = title
        self._problems = problems
        lines = [f"{len(problems)} validation error{'s' if len(problems) != 1 else ''} for {title}"]
        for problem in problems:
            lines.append(".".join(str(part) for part in problem["loc"]) or "(top level)")
            lines.append(f"  {problem['msg']} [type={problem['type']}]")
        super().__init__("\n".join(lines))

    def errors(self) -> list[dict[str, Any]]:
        """Each problem: `type`, `loc` (the path of keys and indexes), `msg`, `input` and sometimes `ctx`."""
        return list(self._problems)


class FieldInfo:
    """A field's default (a value or a factory), description and, for unions of records, the tag key."""

    def __init__(self, default: Any = _MISSING, *, default_factory: Callable[[], Any] | None = None,
                 description: str | None = None, discriminator: str | None = None,
                 marker: str | None = None) -> None:
        self.default = default
        self.default_factory = default_factory
        self.description = description
        self.discriminator = discriminator
        self.marker = marker
        self.owner: type[Record] | None = None
        self.name = ""

    @property
    def required(self) -> bool:
        """Whether the data must give the field."""
        return self.default is _MISSING and self.default_factory is None

    def make_default(self) -> Any:
        """A fresh default value."""
        return self.default_factory() if self.default_factory is not None else self.default

    @property
    def annotation(self) -> Any:
        """The field's type hint, resolved."""
        assert self.owner is not None
        return self.owner._hints()[self.name]


def Field(default: Any = _MISSING, *, default_factory: Callable[[], Any] | None = None,  # noqa: N802 (pydantic's name)
          description: str | None = None, discriminator: str | None = None, marker: str | None = None) -> Any:
    """A field's default and description; inside `Annotated`, a description, a union's tag key or its marker key."""
    return FieldInfo(default, default_factory=default_factory, description=description, discriminator=discriminator,
                     marker=marker)


class Check:
    """Inside `Annotated[str, …]`: a function that returns the text or raises ValueError saying what is wrong."""

    def __init__(self, function: Callable[[str], str]) -> None:
        self.function = function


class JsonSchema:
    """Inside `Annotated[…]`: the JSON Schema to publish for the type instead of the one derived from it."""

    def __init__(self, schema: dict[str, JsonValue]) -> None:
        self.schema = schema  # the class is hashed by identity, as a type hint's metadata must be hashable


# --- checkers: one per kind of type hint, each checks a value and describes itself as JSON Schema ----------------


class _Problems:
    def __init__(self) -> None:
        self.items: list[dict[str, Any]] = []

    def add(self, kind: str, location: Location, message: str, value: Any, **context: Any) -> None:
        problem = {"type": kind, "loc": location, "msg": message, "input": value}
        if context:
            problem["ctx"] = context
        self.items.append(problem)


class _Checker:
    def check(self, value: Any, location: Location, problems: _Problems) -> Any:
        raise NotImplementedError

    def schema(self, definitions: dict[str, JsonValue]) -> dict[str, JsonValue]:
        raise NotImplementedError


class _AnyValue(_Checker):
    def check(self, value: Any, location: Location, problems: _Problems) -> Any:
        return value

    def schema(self, definitions: dict[str, JsonValue]) -> dict[str, JsonValue]:
        return {}


class _Text(_Checker):
    def __init__(self, checks: tuple[Callable[[str], str], ...]) -> None:
        self.checks = checks

    def check(self, value: Any, location: Location, problems: _Problems) -> Any:
        if not isinstance(value, str):
            problems.add("string_type", location, "Input should be a valid string", value)
            return None
        for function in self.checks:
            try:
                value = function(value)
            except ValueError as error:
                problems.add("value_error", location, f"Value error, {error}", value, error=error)
                return None
        return value

    def schema(self, definitions: dict[str, JsonValue]) -> dict[str, JsonValue]:
        return {"type": "string"}


class _Boolean(_Checker):
    def check(self, value: Any, location: Location, problems: _Problems) -> Any:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in _TRUE | _FALSE:
            return value.lower() in _TRUE
        if isinstance(value, int) and value in (0, 1):
            return bool(value)
        if isinstance(value, str):
            problems.add("bool_parsing", location, "Input should be a valid boolean, unable to interpret input",
                         value)
        else:
            problems.add("bool_type", location, "Input should be a valid boolean", value)
        return None

    def schema(self, definitions: dict[str, JsonValue]) -> dict[str, JsonValue]:
        return {"type": "boolean"}


class _Integer(_Checker):
    def check(self, value: Any, location: Location, problems: _Problems) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lstrip("+-").isdigit():  # YAML read as text (cvgen.loader)
            return int(value)
        problems.add("int_type", location, "Input should be a valid integer", value)
        return None

    def schema(self, definitions: dict[str, JsonValue]) -> dict[str, JsonValue]:
        return {"type": "integer"}


class _Choice(_Checker):
    def __init__(self, choices: tuple[str, ...]) -> None:
        self.choices = choices
        written = [repr(choice) for choice in choices]
        self.expected = written[0] if len(written) == 1 else f"{', '.join(written[:-1])} or {written[-1]}"

    def check(self, value: Any, location: Location, problems: _Problems) -> Any:
        if isinstance(value, str) and value in self.choices:
            return value
        problems.add("literal_error", location, f"Input should be {self.expected}", value, expected=self.expected)
        return None

    def schema(self, definitions: dict[str, JsonValue]) -> dict[str, JsonValue]:
        if len(self.choices) == 1:
            return {"const": self.choices[0], "type": "string"}
        return {"enum": list(self.choices), "type": "string"}


class _List(_Checker):
    def __init__(self, item: _Checker) -> None:
        self.item = item

    def check(self, value: Any, location: Location, problems: _Problems) -> Any:
        if not isinstance(value, list | tuple):
            problems.add("list_type", location, "Input should be a valid list", value)
            return None
        return [self.item.check(item, (*location, index), problems) for index, item in enumerate(value)]

    def schema(self, definitions: dict[str, JsonValue]) -> dict[str, JsonValue]:
        return {"items": self.item.schema(definitions), "type": "array"}


class _Mapping(_Checker):
    """A mapping with text keys; its values checked by `value` (None: any value)."""

    def __init__(self, value: _Checker | None) -> None:
        self.value = value

    def check(self, value: Any, location: Location, problems: _Problems) -> Any:
        if not isinstance(value, dict):
            problems.add("dict_type", location, "Input should be a valid dictionary", value)
            return None
        for key in value:
            if not isinstance(key, str):
                problems.add("string_type", (*location, str(key)), "Input should be a valid string", key)
        if self.value is None:
            return dict(value)
        return {key: self.value.check(item, (*location, str(key)), problems) for key, item in value.items()}

    def schema(self, definitions: dict[str, JsonValue]) -> dict[str, JsonValue]:
        return {"additionalProperties": self.value.schema(definitions) if self.value else True, "type": "object"}


class _Optional(_Checker):
    def __init__(self, inner: _Checker) -> None:
        self.inner = inner

    def check(self, value: Any, location: Location, problems: _Problems) -> Any:
        return None if value is None else self.inner.check(value, location, problems)

    def schema(self, definitions: dict[str, JsonValue]) -> dict[str, JsonValue]:
        return {"anyOf": [self.inner.schema(definitions), {"type": "null"}]}


class _Described(_Checker):
    """A type with a description or a published schema of its own (from `Annotated`)."""

    def __init__(self, inner: _Checker, description: str | None, published: dict[str, JsonValue] | None) -> None:
        self.inner = inner
        self.description = description
        self.published = published

    def check(self, value: Any, location: Location, problems: _Problems) -> Any:
        return self.inner.check(value, location, problems)

    def schema(self, definitions: dict[str, JsonValue]) -> dict[str, JsonValue]:
        schema = dict(self.published) if self.published is not None else self.inner.schema(definitions)
        if self.description and "description" not in schema:
            schema["description"] = self.description
        return dict(sorted(schema.items()))


class _RecordOf(_Checker):
    def __init__(self, record: type[Record]) -> None:
        self.record = record

    def check(self, value: Any, location: Location, problems: _Problems) -> Any:
        if isinstance(value, self.record):
            return value
        if not isinstance(value, dict):
            problems.add("model_type", location,
                         f"Input should be a valid dictionary or instance of {self.record.__name__}", value)
            return None
        return self.record._from_mapping(value, location, problems)

    def schema(self, definitions: dict[str, JsonValue]) -> dict[str, JsonValue]:
        return {"$ref": self.record._define(definitions)}


class _Tagged(_Checker):
    """One of several record classes, chosen by the value of a tag key such as `kind`."""

    def __init__(self, members: list[type[Record]], key: str) -> None:
        self.key = key
        self.members: dict[str, type[Record]] = {}
        for member in members:
            tag = typing.get_args(member._hints()[key])
            assert len(tag) == 1, f"{member.__name__}.{key} must be a Literal of one value"
            self.members[tag[0]] = member
        self.expected = ", ".join(repr(tag) for tag in self.members)

    def check(self, value: Any, location: Location, problems: _Problems) -> Any:
        if isinstance(value, tuple(self.members.values())):
            return value
        if not isinstance(value, dict):
            problems.add("model_attributes_type", location,
                         "Input should be a valid dictionary or object to extract fields from", value)
            return None
        if self.key not in value:
            problems.add("union_tag_not_found", location, f"Unable to extract tag using discriminator '{self.key}'",
                         value, discriminator=repr(self.key))
            return None
        tag = value[self.key]
        member = self.members.get(tag) if isinstance(tag, str) else None
        if member is None:
            problems.add("union_tag_invalid", location,
                         f"Input tag '{tag}' found using '{self.key}' does not match any of the expected tags: "
                         f"{self.expected}", value, discriminator=repr(self.key), tag=str(tag),
                         expected_tags=self.expected)
            return None
        return member._from_mapping(value, location, problems)

    def schema(self, definitions: dict[str, JsonValue]) -> dict[str, JsonValue]:
        references = {tag: member._define(definitions) for tag, member in self.members.items()}
        return {"discriminator": {"mapping": dict(sorted(references.items())), "propertyName": self.key},
                "oneOf": [{"$ref": reference} for reference in references.values()]}


class _Marked(_Checker):
    """One of two record classes: the one with the marker field when the data has that key, else the other."""

    def __init__(self, members: list[type[Record]], key: str) -> None:
        marked = [member for member in members if key in member._hints()]
        assert len(members) == 2 and len(marked) == 1, f"a marked union is two records, one with the field {key!r}"
        self.key = key
        self.marked = marked[0]
        self.other = next(member for member in members if member is not self.marked)

    def check(self, value: Any, location: Location, problems: _Problems) -> Any:
        if isinstance(value, (self.marked, self.other)):
            return value
        if not isinstance(value, dict):
            problems.add("model_attributes_type", location,
                         "Input should be a valid dictionary or object to extract fields from", value)
            return None
        member = self.marked if self.key in value else self.other
        return member._from_mapping(value, location, problems)

    def schema(self, definitions: dict[str, JsonValue]) -> dict[str, JsonValue]:
        return {"anyOf": [{"$ref": member._define(definitions)} for member in (self.other, self.marked)]}


def _checker(hint: Any) -> _Checker:
    """The checker for a resolved type hint."""
    origin = typing.get_origin(hint)
    if origin is typing.Annotated:
        inner, *metadata = typing.get_args(hint)
        checks = tuple(item.function for item in metadata if isinstance(item, Check))
        infos = [item for item in metadata if isinstance(item, FieldInfo)]
        key = next((info.discriminator for info in infos if info.discriminator), None)
        marker = next((info.marker for info in infos if info.marker), None)
        if key is not None or marker is not None:
            members = [member for member in typing.get_args(inner) if member is not type(None)]
            base: _Checker = _Tagged(members, key) if key is not None else _Marked(members, marker or "")
        elif checks:
            assert inner is str, "Check applies to text"
            base = _Text(checks)
        else:
            base = _checker(inner)
        description = next((info.description for info in infos if info.description), None)
        published = next((item.schema for item in metadata if isinstance(item, JsonSchema)), None)
        return _Described(base, description, published) if description or published else base
    if origin in (Union, types.UnionType):
        members = [member for member in typing.get_args(hint) if member is not type(None)]
        if len(members) == 1 and len(typing.get_args(hint)) == 2:
            return _Optional(_checker(members[0]))
        raise TypeError(f"unsupported union {hint}: tell its members apart with Field(discriminator=…)")
    if origin is list:
        return _List(_checker(typing.get_args(hint)[0]))
    if origin is dict:
        value_hint = typing.get_args(hint)[1] if typing.get_args(hint) else Any
        return _Mapping(None if value_hint is Any else _checker(value_hint))
    if origin is Literal:
        return _Choice(typing.get_args(hint))
    if hint is str:
        return _Text(())
    if hint is bool:
        return _Boolean()
    if hint is int:
        return _Integer()
    if hint is Any:
        return _AnyValue()
    if isinstance(hint, type) and issubclass(hint, Record):
        return _RecordOf(hint)
    raise TypeError(f"unsupported type hint {hint!r}")


# --- records ------------------------------------------------------------------------------------------------------


class Record:
    """Base of the model's classes: fields checked on creation and assignment; unknown keys are errors."""

    model_fields: ClassVar[dict[str, FieldInfo]] = {}
    _resolved_hints: ClassVar[dict[str, Any] | None] = None
    _checkers: ClassVar[dict[str, _Checker] | None] = None

    def __init_subclass__(cls, **options: Any) -> None:
        super().__init_subclass__(**options)
        fields = dict(cls.model_fields)
        for name, hint in cls.__dict__.get("__annotations__", {}).items():
            if "ClassVar" in str(hint) or name.startswith("_"):
                continue
            default = cls.__dict__.get(name, _MISSING)
            info = default if isinstance(default, FieldInfo) else FieldInfo(default)
            info.owner, info.name = cls, name
            if isinstance(default, FieldInfo):
                delattr(cls, name)  # the instance's value is read, never the declaration
            fields.pop(name, None)
            fields[name] = info
        cls.model_fields = fields
        cls._resolved_hints = None
        cls._checkers = None

    @classmethod
    def _hints(cls) -> dict[str, Any]:
        if cls._resolved_hints is None:
            cls._resolved_hints = typing.get_type_hints(cls, include_extras=True)
        return cls._resolved_hints

    @classmethod
    def _checkers_by_field(cls) -> dict[str, _Checker]:
        # Built on first use, when every class the hints name exists, and only for the classes a run needs.
        if cls._checkers is None:
            hints = cls._hints()
            cls._checkers = {name: _checker(hints[name]) for name in cls.model_fields}
        return cls._checkers

    @classmethod
    def _from_mapping(cls, data: dict[Any, Any], location: Location, problems: _Problems) -> Any:
        remembered = type(data) is Remembered
        if remembered and (record := data.records.get(cls)) is not None:  # type: ignore[attr-defined]
            return record
        before = len(problems.items)
        values: dict[str, Any] = {}
        for name, checker in cls._checkers_by_field().items():
            info = cls.model_fields[name]
            if name in data:
                values[name] = checker.check(data[name], (*location, name), problems)
            elif info.required:
                problems.add("missing", (*location, name), "Field required", data)
            else:
                values[name] = info.make_default()
        for key in data:
            if key not in cls.model_fields:
                problems.add("extra_forbidden", (*location, key), "Extra inputs are not permitted", data[key])
        if len(problems.items) > before:
            return None
        record = object.__new__(cls)
        record.__dict__.update(values)
        if remembered:
            data.records[cls] = record  # type: ignore[attr-defined]
        return record

    @classmethod
    def model_validate(cls, data: Any) -> Any:
        """A record from a mapping (or the record itself), or ValidationError with every problem."""
        problems = _Problems()
        record = _RecordOf(cls).check(data, (), problems)
        if problems.items:
            raise ValidationError(cls.__name__, problems.items)
        return record

    def __init__(self, **data: Any) -> None:
        problems = _Problems()
        record = self._from_mapping(data, (), problems)
        if problems.items:
            raise ValidationError(type(self).__name__, problems.items)
        self.__dict__.update(record.__dict__)

    def __setattr__(self, name: str, value: Any) -> None:
        if name not in self.model_fields:
            raise AttributeError(f"{type(self).__name__} has no field {name!r}")
        problems = _Problems()
        checked = self._checkers_by_field()[name].check(value, (name,), problems)
        if problems.items:
            raise ValidationError(type(self).__name__, problems.items)
        self.__dict__[name] = checked

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self.__dict__ == other.__dict__

    __hash__ = None  # type: ignore[assignment]  # records are mutable

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={self.__dict__[name]!r}" for name in self.model_fields)
        return f"{type(self).__name__}({shown})"

    def model_copy(self, *, update: dict[str, Any] | None = None) -> Any:
        """A shallow copy, with the fields in `update` set (and checked)."""
        copy = object.__new__(type(self))
        copy.__dict__.update(self.__dict__)
        for name, value in (update or {}).items():
            setattr(copy, name, value)
        return copy

    def model_dump(self, *, exclude_defaults: bool = False, exclude: set[str] | None = None) -> dict[str, Any]:
        """The record as plain data: mappings, lists and values; optionally without the fields left at default."""
        data = {}
        for name, info in self.model_fields.items():
            if exclude and name in exclude:
                continue
            value = self.__dict__[name]
            if exclude_defaults and not info.required and value == info.make_default():
                continue
            data[name] = _plain(value, exclude_defaults)
        return data

    @classmethod
    def _define(cls, definitions: dict[str, JsonValue]) -> str:
        """Add the class's schema to `definitions` (once) and return its reference."""
        if cls.__name__ not in definitions:
            definitions[cls.__name__] = {}  # taken before the fields, so that a record may name itself
            definitions[cls.__name__] = cls._object_schema(definitions)
        return f"#/$defs/{cls.__name__}"

    @classmethod
    def _object_schema(cls, definitions: dict[str, JsonValue]) -> dict[str, JsonValue]:
        properties = {}
        for name, info in cls.model_fields.items():
            schema = cls._checkers_by_field()[name].schema(definitions)
            if info.description:
                schema["description"] = info.description
            if info.default is not _MISSING:
                schema["default"] = info.default
            if "$ref" not in schema:  # a reference alone names its class: pydantic's schemas leave the title out
                schema["title"] = name.replace("_", " ").title()
            properties[name] = dict(sorted(schema.items()))
        schema = {"additionalProperties": False, "description": " ".join((cls.__doc__ or "").split()),
                  "properties": properties}
        required = [name for name, info in cls.model_fields.items() if info.required]
        if required:
            schema["required"] = required
        return {**schema, "title": cls.__name__, "type": "object"}

    @classmethod
    def model_json_schema(cls) -> dict[str, JsonValue]:
        """The JSON Schema (draft 2020-12) of the data `model_validate` accepts."""
        definitions: dict[str, JsonValue] = {}
        schema = cls._object_schema(definitions)
        definitions.pop(cls.__name__, None)
        return {"$defs": dict(sorted(definitions.items())), **schema}


def _plain(value: Any, exclude_defaults: bool) -> Any:
    if isinstance(value, Record):
        return value.model_dump(exclude_defaults=exclude_defaults)
    if isinstance(value, list):
        return [_plain(item, exclude_defaults) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item, exclude_defaults) for key, item in value.items()}
    return value
