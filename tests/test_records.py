"""Typed records: what each type hint accepts, the problems reported for what it refuses, and the JSON Schema."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import pytest

from cvgen.records import Check, Field, JsonSchema, Record, ValidationError


def _no_x(text: str) -> str:
    if "x" in text:
        raise ValueError("no x, please")
    return text


Plain = Annotated[str, Check(_no_x), Field(description="Text without an x")]


class Leaf(Record):
    """A leaf."""

    kind: Literal["leaf"]
    word: Plain
    flag: bool = False
    tags: list[str] = Field(default_factory=list, description="Some tags")


class Twig(Record):
    """A twig."""

    kind: Literal["twig"]
    leaves: list[Leaf]


class Tree(Record):
    """A tree."""

    name: str
    size: Literal["small", "large"] = "small"
    extra: dict[str, Any] = Field(default_factory=dict)
    year: Annotated[str, JsonSchema({"anyOf": [{"type": "string"}, {"type": "integer"}]})] | None = None
    parts: list[Annotated[Leaf | Twig, Field(discriminator="kind")]] = Field(default_factory=list)


def _problems(data: Any) -> list[tuple[str, tuple[str | int, ...], str]]:
    with pytest.raises(ValidationError) as caught:
        Tree.model_validate(data)
    return [(problem["type"], problem["loc"], problem["msg"]) for problem in caught.value.errors()]


def test_valid_data_becomes_records_with_fresh_defaults() -> None:
    tree = Tree.model_validate({"name": "oak", "parts": [{"kind": "leaf", "word": "hi", "flag": "yes"},
                                                         {"kind": "twig", "leaves": []}]})
    leaf, twig = tree.parts
    assert isinstance(leaf, Leaf) and leaf.flag is True and leaf.tags == []
    assert isinstance(twig, Twig)
    other = Leaf(kind="leaf", word="a")
    other.tags.append("t")
    assert Leaf(kind="leaf", word="a").tags == []  # a factory default is made anew for each record
    assert tree == Tree.model_validate(tree.model_dump())
    assert tree.model_dump(exclude_defaults=True) == {
        "name": "oak", "parts": [{"kind": "leaf", "word": "hi", "flag": True}, {"kind": "twig", "leaves": []}]}


def test_every_problem_is_reported_with_its_place() -> None:
    assert _problems({"name": 3, "size": "huge", "extra": [], "colour": "red", "parts": [
        {"kind": "leaf", "word": "box", "flag": "maybe"}, {"kind": "bush"}, {}, 7, {"kind": "twig", "leaves": "x"},
    ]}) == [
        ("string_type", ("name",), "Input should be a valid string"),
        ("literal_error", ("size",), "Input should be 'small' or 'large'"),
        ("dict_type", ("extra",), "Input should be a valid dictionary"),
        ("value_error", ("parts", 0, "word"), "Value error, no x, please"),
        ("bool_parsing", ("parts", 0, "flag"), "Input should be a valid boolean, unable to interpret input"),
        ("union_tag_invalid", ("parts", 1),
         "Input tag 'bush' found using 'kind' does not match any of the expected tags: 'leaf', 'twig'"),
        ("union_tag_not_found", ("parts", 2), "Unable to extract tag using discriminator 'kind'"),
        ("model_attributes_type", ("parts", 3), "Input should be a valid dictionary or object to extract fields from"),
        ("list_type", ("parts", 4, "leaves"), "Input should be a valid list"),
        ("extra_forbidden", ("colour",), "Extra inputs are not permitted"),
    ]
    assert _problems({}) == [("missing", ("name",), "Field required")]
    assert _problems("oak") == [("model_type", (), "Input should be a valid dictionary or instance of Tree")]


def test_assignment_and_copies_are_checked() -> None:
    leaf = Leaf(kind="leaf", word="a")
    leaf.word = "b"
    assert leaf.word == "b"
    with pytest.raises(ValidationError, match="no x, please"):
        leaf.word = "x"
    with pytest.raises(ValidationError, match="valid boolean"):
        leaf.model_copy(update={"flag": "perhaps"})
    with pytest.raises(AttributeError):
        leaf.colour = "red"
    copy = leaf.model_copy(update={"flag": True})
    assert copy.flag is True and leaf.flag is False and copy != leaf


def test_the_schema_describes_fields_defaults_and_tagged_unions() -> None:
    schema = Tree.model_json_schema()
    assert schema["title"] == "Tree" and schema["required"] == ["name"] and schema["additionalProperties"] is False
    assert schema["properties"]["size"] == {"default": "small", "enum": ["small", "large"], "title": "Size",
                                            "type": "string"}
    assert schema["properties"]["year"]["anyOf"][0] == {"anyOf": [{"type": "string"}, {"type": "integer"}]}
    parts = schema["properties"]["parts"]["items"]
    assert parts["discriminator"] == {"mapping": {"leaf": "#/$defs/Leaf", "twig": "#/$defs/Twig"},
                                      "propertyName": "kind"}
    leaf = schema["$defs"]["Leaf"]
    assert leaf["properties"]["word"] == {"description": "Text without an x", "title": "Word", "type": "string"}
    assert leaf["properties"]["kind"] == {"const": "leaf", "title": "Kind", "type": "string"}
    assert leaf["required"] == ["kind", "word"]


def test_an_unsupported_type_hint_is_a_programming_error() -> None:
    class Odd(Record):
        """A union with no tag."""

        value: int | str

    with pytest.raises(TypeError):
        Odd.model_validate({"value": 1})
