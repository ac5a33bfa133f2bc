"""YAML → CV model: safe loading, the line of every node kept, all problems collected into one error.

Plain scalars are read as text: YAML 1.1 would turn a title `NO` into false, `012345` into 5349 and
`12:30` into 750. The schema then asks for numbers or booleans where it wants them. Only the page's front
matter, which is free-form data for Jekyll, is read with the usual YAML types, as Jekyll reads it.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import types
import typing
from pathlib import Path
from typing import Any, Union

import yaml

from cvgen.errors import FieldPath, InputFileError, Origin, Problem, display_path, shown
from cvgen.model import CV, SECTION_KINDS
from cvgen.records import Record, Remembered, ValidationError
from cvgen.reuse import Kept, Reuse
from cvgen.textfile import read_text_file

MAX_ALIAS_EXPANSION = 100_000  # values reached again through aliases: past this, an alias bomb
MAX_DEPTH = 100  # mappings and lists inside each other; no CV or front matter needs more
NULL_WORDS = ("", "~", "null", "Null", "NULL")
YAML_TAG = "tag:yaml.org,2002:"
SCALAR_TAGS = {YAML_TAG + name for name in ("str", "int", "float", "bool", "null", "timestamp")}
MERGE_TAG = YAML_TAG + "merge"
# Front matter (the about page's, a collection file's) keeps YAML's types under any path, as Jekyll reads it.
FREE_FORM_KEYS = frozenset({"front_matter", "jsonresume"})  # data as written, with YAML's types
# libyaml's parser when PyYAML has it (5× faster on large CVs); both keep every node's line.
_PARSER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_PLAIN = "cvgen:plain"  # the tag of a plain scalar until it is known to be needed (see _Composer)


class _Composer(_PARSER):  # type: ignore[misc,valid-type]
    """The parser, which leaves a plain scalar's tag to be worked out where it is wanted: a CV's plain scalars are
    text, and working out each one's YAML type (a fifth of composing a long CV) is needed only in front matter."""

    def resolve(self, kind: type[yaml.Node], value: str, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode and implicit[0] and value not in ("<<", "="):  # merge and value keys: at once
            return _PLAIN
        return str(super().resolve(kind, value, implicit))


# Characters that are not text: C0 controls but tab, line feed and carriage return, DEL and C1 controls.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
CONTROL_CHARACTERS = _CONTROL  # what no text of a CV may hold (the importers check theirs too)


# An anchor (`&name` where a node may start): where a CV has one, a load takes nothing from the load before, since
# an alias could make an unchanged item's text mean something else, and the alias-bomb count must meet every alias.
# Text like "R&D", "A & B" or a URL's "?a=1&b=2" is no anchor. What may stand before one: a space, a line break
# (YAML 1.1 has four), a byte order mark, a flow collection's marks and a JSON-like key's colon.
_AMPERSAND = re.compile(r"&[^\s\[\]{},]")
_BEFORE_ANCHOR = " \t\r\n\x85\u2028\u2029\ufeff[{,:"


def has_anchor(text: str) -> bool:
    """Whether YAML text may hold an anchor (it may say so of text that holds none, never the other way)."""
    return any(found.start() == 0 or text[found.start() - 1] in _BEFORE_ANCHOR
               for found in _AMPERSAND.finditer(text))


def control_character(found: re.Match[str]) -> str:
    """What is wrong with a text holding the control character `found`, and the fix."""
    return f"contains the control character U+{ord(found.group()):04X}, which is not text; remove it"

Path_ = FieldPath


class _Problems(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems


def _copy(value: Any) -> Any:
    """Converted YAML data (mappings, lists and scalars) with containers of its own."""
    if isinstance(value, dict):  # an entry inside an entry is a plain mapping in the copy (`Remembered`)
        return {key: _copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copy(item) for item in value]
    return value


class _Converter:
    """Turns a composed YAML node tree into Python data and records each node's line by its path.

    Scalars are text, except under `free_form` paths (and everywhere when `typed`), where they get the usual
    YAML types as Jekyll reads front matter. `first_line` is the file line of the YAML's first line.
    """

    def __init__(self, *, typed: bool = False, first_line: int = 1, text: str = "", reuse: Reuse | None = None) -> None:
        self.lines: dict[Path_, int] = {}
        self.problems: list[Problem] = []
        self.expanded = 0
        self.seen: set[int] = set()
        self.own_keys: dict[int, set[int]] = {}
        self.all_typed = typed
        self.offset = first_line - 1
        self.typed = yaml.SafeLoader("")
        self.text = text
        self.reuse = reuse
        self.kept: dict[tuple[str, int, bool], Kept] | None = None  # what this load may take from the last
        if reuse is not None:
            reuse.taken = 0
            self.kept = None if "&" in text and has_anchor(text) else reuse.entries
        self.keep: dict[tuple[str, int, bool], Kept] = {}  # what the next load may take from this one

    def line(self, node: yaml.Node) -> int:
        return int(node.start_mark.line) + 1 + self.offset

    def problem(self, message: str, node: yaml.Node, path: Path_) -> None:
        self.problems.append(Problem(message, self.line(node), display_path(path) or None))

    def convert(self, node: yaml.Node, path: Path_, stack: tuple[int, ...] = (), aliased: bool = False) -> Any:
        # A node met a second time is an alias's copy: only those count towards the alias-bomb limit, so a
        # long CV without aliases is never mistaken for a bomb.
        aliased = aliased or id(node) in self.seen
        self.seen.add(id(node))
        if aliased:
            self.expanded += 1
            if self.expanded > MAX_ALIAS_EXPANSION:
                raise _Problems([Problem(
                    f"aliases expand to more than {MAX_ALIAS_EXPANSION:,} values (an alias bomb?)", self.line(node)
                )])
        if id(node) in stack:
            raise _Problems([Problem("an alias refers to itself (a recursive structure)", self.line(node),
                                     display_path(path) or None)])
        if len(stack) >= MAX_DEPTH:
            raise _Problems([Problem(f"values are nested more than {MAX_DEPTH} levels deep", self.line(node),
                                     display_path(path) or None)])
        self.lines.setdefault(path, self.line(node))
        if isinstance(node, yaml.MappingNode):
            if node.tag != YAML_TAG + "map":
                return self._refuse_tag(node, path)
            return self._mapping(node, path, (*stack, id(node)), aliased)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != YAML_TAG + "seq":
                return self._refuse_tag(node, path)
            if self.kept is not None and len(path) >= 2 and not aliased:
                return [self._item(item, (*path, index), (*stack, id(node))) for index, item in enumerate(node.value)]
            return [self.convert(item, (*path, index), (*stack, id(node)), aliased)
                    for index, item in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)
        return self._scalar(node, path)

    def _item(self, node: yaml.Node, path: Path_, stack: tuple[int, ...]) -> Any:
        """An entry (an item of a list inside a section): taken from the last load where its text is unchanged
        (see `cvgen.reuse`), else converted and kept for the next. Its data, a copy of what was kept, remembers the
        records validation made of it (`Remembered`)."""
        if not isinstance(node, yaml.MappingNode) or self.kept is None:
            return self.convert(node, path, stack)
        start, end = node.start_mark, node.end_mark
        key = (self.text[start.index:end.index], start.column, self.all_typed or not FREE_FORM_KEYS.isdisjoint(path))
        line = self.line(node)
        found = self.kept.get(key)
        if found is not None:
            if (found.path, found.line) != (path, line):  # moved: its lines worked out again, kept for the next
                found = dataclasses.replace(found, path=path, line=line, lines={
                    (*path, *suffix): line + offset for suffix, offset in found.offsets})
            self.keep[key] = found
            self.lines.setdefault(path, line)
            self.lines.update(found.lines)  # each of its paths begins with its own: none is there yet
            assert self.reuse is not None
            self.reuse.taken += 1
            return Remembered(_copy(found.data), found.records)
        outer, self.lines = self.lines, {}
        problems, expanded = len(self.problems), self.expanded
        try:
            data = self.convert(node, path, stack)
        finally:
            inner, self.lines = self.lines, outer
        for inner_path, inner_line in inner.items():
            outer.setdefault(inner_path, inner_line)
        if len(self.problems) > problems or self.expanded > expanded or not isinstance(data, dict):
            return data
        kept = Kept(_copy(data), [(inner_path[len(path):], inner_line - line)
                                  for inner_path, inner_line in inner.items() if inner_path != path],
                    path, line, {inner_path: inner_line for inner_path, inner_line in inner.items()
                                 if inner_path != path})
        self.keep[key] = kept
        return Remembered(data, kept.records)

    def done(self) -> None:
        """The load converted without a problem that stopped it: what it read is what the next load may take."""
        if self.reuse is not None:
            self.reuse.entries = self.keep

    def _refuse_tag(self, node: yaml.Node, path: Path_) -> None:
        if node.tag == YAML_TAG + "binary":
            self.problem("binary data (!!binary) is not text; write the value as text", node, path)
        else:
            self.problem(f"the tag {_short_tag(node.tag)} is not allowed (cvgen loads YAML safely: no Python "
                         "objects or custom tags)", node, path)

    def _scalar(self, node: yaml.ScalarNode, path: Path_) -> Any:
        if node.tag == _PLAIN:  # a plain scalar without a tag: text, or nothing, unless read with YAML's types
            typed = self.all_typed or not FREE_FORM_KEYS.isdisjoint(path)
            if not typed and not _CONTROL.search(node.value):
                return None if node.value in NULL_WORDS else node.value
            node.tag = self._implicit_tag(node.value)
        if node.tag not in SCALAR_TAGS:
            return self._refuse_tag(node, path)
        control = _CONTROL.search(node.value)
        if control:
            self.problem(control_character(control), node, path)
            return None
        plain = not node.style  # None from PyYAML's composer, "" from libyaml's
        if node.tag != YAML_TAG + "str" and node.tag != self._implicit_tag(node.value):
            # An explicit tag that the value does not fit: `!!int abc`.
            self.problem(f"{shown(node.value)} is not a valid {_short_tag(node.tag)}", node, path)
            return None
        if self.all_typed or not FREE_FORM_KEYS.isdisjoint(path):
            try:
                return self.typed.construct_object(node, deep=True)
            except (yaml.YAMLError, ValueError, OverflowError) as error:
                reason = str(error).splitlines()[-1] if str(error) else type(error).__name__
                self.problem(f"{shown(node.value)} is not a valid {_short_tag(node.tag)} ({reason})", node, path)
                return None
        if plain and node.value in NULL_WORDS and node.tag != YAML_TAG + "str":
            return None
        return node.value

    def _implicit_tag(self, value: str) -> str:
        """The tag YAML gives `value` written plain, without a tag."""
        return str(self.typed.resolve(yaml.ScalarNode, value, (True, False)))  # type: ignore[no-untyped-call]

    def _mapping(self, node: yaml.MappingNode, path: Path_, stack: tuple[int, ...], aliased: bool) -> dict[str, Any]:
        result: dict[str, Any] = {}
        key_lines: dict[str, int] = {}
        own_keys = self.own_keys.get(id(node))
        if own_keys is None:  # before the first flattening: an aliased mapping is met again already flattened
            own_keys = self.own_keys[id(node)] = {id(key) for key, _ in node.value if key.tag != MERGE_TAG}
        try:
            self.typed.flatten_mapping(node)  # resolves YAML merge keys (<<): merged pairs first, then its own
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            line = mark.line + 1 + self.offset if mark else self.line(node)
            self.problems.append(Problem("a merge key (<<) needs a mapping or a list of mappings, such as "
                                         "`<<: *defaults` where `defaults` is a mapping", line,
                                         display_path(path) or None))
            return result
        for key_node, value_node in node.value:
            line = self.line(key_node)
            if not isinstance(key_node, yaml.ScalarNode):
                self.problems.append(Problem("a key must be plain text", line, display_path(path) or None))
                continue
            key = key_node.value
            control = _CONTROL.search(key)
            if control:
                self.problems.append(Problem(f"the key {shown(key)} {control_character(control)}", line,
                                             display_path(path) or None))
                continue
            own = id(key_node) in own_keys
            if key in key_lines and own and key_lines[key] > 0:
                self.problems.append(Problem(
                    f"duplicate key {shown(key)} (first on line {key_lines[key]}); a second value would silently "
                    "replace the first",
                    line, display_path((*path, key)),
                ))
                continue
            key_lines[key] = line if own else -line  # a merged value may be replaced by a later one
            self.lines[(*path, key, "<key>")] = line
            result.pop(key, None)
            result[key] = self.convert(value_node, (*path, key), stack, aliased)
        return result


def _short_tag(tag: str) -> str:
    return "!!" + tag.removeprefix(YAML_TAG) if tag.startswith(YAML_TAG) else shown(tag)


def yaml_problem(error: yaml.YAMLError, what: str, first_line: int = 1) -> Problem:
    """A PyYAML error as one line with the file line it points at (`first_line`: where the YAML starts)."""
    if isinstance(error, yaml.MarkedYAMLError):
        mark = error.problem_mark or error.context_mark
        line = mark.line + first_line if mark else None
        details = " ".join(part for part in (error.context, error.problem) if part)
        return Problem(f"{what}: {details}", line)
    return Problem(f"{what}: {error}")


def parse_yaml(text: str, *, typed: bool = False, first_line: int = 1, what: str = "YAML syntax error",
               reuse: Reuse | None = None) -> tuple[Any, dict[Path_, int], list[Problem]]:
    """Parse YAML text safely into data, the line of each path, and the problems found.

    With `typed`, scalars get the usual YAML types (front matter, as Jekyll reads it); otherwise they are text.
    The same limits hold either way: aliases expand to at most MAX_ALIAS_EXPANSION values, nesting is at most
    MAX_DEPTH deep, and only standard tags are read. `reuse` carries the items of the last load of the same file.
    """
    try:
        node = yaml.compose(text, Loader=_Composer)
    except yaml.YAMLError as error:
        return None, {}, [yaml_problem(error, what, first_line)]
    except RecursionError:
        return None, {}, [Problem(f"values are nested more than {MAX_DEPTH} levels deep", first_line)]
    if node is None:
        return None, {}, []
    converter = _Converter(typed=typed, first_line=first_line, text=text, reuse=reuse)
    try:
        data = converter.convert(node, ())
    except _Problems as stop:
        return None, {}, stop.problems
    converter.done()
    return data, converter.lines, converter.problems


def load_cv(path: Path) -> CV:
    """Load and validate a CV file, raising InputFileError with every problem in it."""
    return load_cv_file(path)[0]


def load_cv_file(path: Path, variant: str | None = None, reuse: Reuse | None = None) -> tuple[CV, Origin]:
    """Load and validate a CV file; also where it came from, for messages about its choices. A text written per
    language is read in the CV's language, or in the language of `variant` where it names one.

    Folders named in the file (template folders, the build's output folder and site) are relative to the file,
    wherever cvgen runs from, and must lie inside the file's folder tree: a CV someone sent you cannot send cvgen,
    or WeasyPrint, to read or write files elsewhere.
    """
    cv, origin = _validated(read_text_file(path, "CV"), str(path), variant, reuse)
    if not (cv.design.templates or cv.output.folder or cv.output.site):
        return cv, origin
    home = path.parent.resolve()
    problems: list[Problem] = []
    folders = [_folder_inside(home, folder, ("design", "templates", index), origin, problems,
                              "keep template folders beside the CV, or name a folder elsewhere with --templates")
               for index, folder in enumerate(cv.design.templates)]
    for key, hint in (("folder", "or name a folder elsewhere with -o"),
                      ("site", "keep the CV in the site's folder or beside it, or use `cvgen site`")):
        if getattr(cv.output, key):
            _folder_inside(home, getattr(cv.output, key), ("output", key), origin, problems, hint)
    if problems:
        raise InputFileError(str(path), problems)
    if not folders:
        return cv, origin
    return cv.model_copy(update={"design": cv.design.model_copy(update={"templates": folders})}), origin


def _folder_inside(home: Path, folder: str, field: tuple[str | int, ...], origin: Origin, problems: list[Problem],
                   hint: str) -> str:
    """A folder the CV names, resolved against its own folder `home`; a problem when it lies outside."""
    where = display_path(field)
    try:
        resolved = (home / Path(folder).expanduser()).resolve()
    except (OSError, RuntimeError, ValueError) as error:
        problems.append(Problem(f"cannot be resolved ({error})", origin.line(field), where))
        return folder
    if not resolved.is_relative_to(home):
        problems.append(Problem(f"{shown(folder)} is outside the CV's folder ({home}); {hint}", origin.line(field),
                                where))
    return str(resolved)


def read_cv_file(path: Path) -> tuple[CV, Origin]:
    """A CV file loaded as it is written, its folders not resolved: for a command that writes it back."""
    return _validated(read_text_file(path, "CV"), str(path))


def load_cv_text(text: str, source: str) -> CV:
    """Validate CV YAML text; `source` names it in messages."""
    return _validated(text, source)[0]


def _validated(text: str, source: str, variant: str | None = None,
               reuse: Reuse | None = None) -> tuple[CV, Origin]:
    data, lines, problems = parse_yaml(text, reuse=reuse)
    if problems:
        raise InputFileError(source, problems)
    if data is None:
        raise InputFileError(source, [Problem("the file is empty; a CV needs at least `name:` and `sections:`", 1)])
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else "a single value"
        raise InputFileError(source, [Problem(
            f"the top level is {kind}; a CV is a mapping with `name:`, `sections:` and the other keys", 1
        )])
    language, default = _languages(data, variant)
    fallbacks: list[tuple[Path_, str]] = []
    translated: list[Path_] = []
    if _per_language(lines):
        data = localized(data, language, default, (), fallbacks, translated)
    else:  # no text is written per language (most CVs): only the usual headings are given in the CV's language
        for section in data.get("sections") or ():
            _localize_heading(section, section, language)
    try:
        return CV.model_validate(data), Origin(source, lines, tuple(fallbacks), language, per_language=len(translated))
    except ValidationError as error:
        raise InputFileError(source, [_problem(item, data, lines) for item in error.errors()]) from None


def _languages(data: dict[str, Any], variant: str | None) -> tuple[str, str]:
    """The language to read the CV in (the variant's, else the CV's) and the CV's own (what a text lacking the
    first is read in). A language code that is not one is left for validation to name."""
    own = data.get("language")
    default = own if isinstance(own, str) else "en"
    variants = data.get("variants")
    chosen = variants.get(variant) if variant and isinstance(variants, dict) else None
    wanted = chosen.get("language") if isinstance(chosen, dict) else None
    language = wanted if isinstance(wanted, str) and wanted else default
    if language != default:
        data["language"] = language  # the CV as shown: its dates and headings in the variant's language
    return language, default


# Parts of a CV that are settings, not text shown in a language: how the homepage and site write things, the
# variants, the build's and the design's choices.
_NOT_LOCALIZED = frozenset({"homepage", "site", "variants", "output", "design"})


def localized(value: Any, language: str, default: str, path: Path_, fallbacks: list[tuple[Path_, str]],
              translated: list[Path_] | None = None) -> Any:
    """The YAML data with each text written per language (`{en: …, ko: …}`) replaced by its text in `language`;
    a text without it is read in `default` (else its first language), and its path and that language kept in
    `fallbacks`. A section heading that is the usual English one for its kind ('Education') is given in
    `language`."""
    from cvgen.locales import is_language

    if isinstance(value, dict):
        if value and all(isinstance(key, str) and is_language(key) for key in value) and all(
                isinstance(item, str) for item in value.values()):
            if translated is not None:
                translated.append(path)
            return _pick(value, language, default, path, fallbacks)
        result = {key: item if key in _NOT_LOCALIZED else localized(item, language, default, (*path, key), fallbacks,
                                                                    translated)
                  for key, item in value.items()}
        if len(path) == 2 and path[0] == "sections":
            _localize_heading(result, value, language)
        return result
    if isinstance(value, list):
        return [localized(item, language, default, (*path, index), fallbacks, translated)
                for index, item in enumerate(value)]
    return value


def _per_language(lines: dict[Path_, int]) -> bool:
    """Whether any key of the YAML (each has a line) names a language: else no text is written per language."""
    from cvgen.locales import is_language

    keys = {path[-1] for path in lines if path and isinstance(path[-1], str)}
    return any(is_language(key) for key in keys)


def _localize_heading(section: Any, written: Any, language: str) -> None:
    """A section whose heading is the usual English one for its kind ('Education') and not written per language
    (as `written` has it) is given it in `language`."""
    from cvgen.locales import localized_heading

    if isinstance(section, dict) and isinstance(section.get("title"), str) and isinstance(section.get("kind"), str) \
            and not isinstance(written.get("title"), dict):
        section["title"] = localized_heading(section["kind"], section["title"], language) or section["title"]


def _pick(texts: dict[str, str], language: str, default: str, path: Path_,
          fallbacks: list[tuple[Path_, str]]) -> str:
    """One language's text: the language asked for (`zh` also finds `zh-Hant`, and the other way round), else
    the default one, else the first."""
    from cvgen.locales import base_language

    for wanted in (language, default):
        for key in (wanted, *(key for key in texts if base_language(key) == base_language(wanted))):
            if key in texts:
                if wanted != language:
                    fallbacks.append((path, key))
                return texts[key]
    first = next(iter(texts))
    fallbacks.append((path, first))
    return texts[first]


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
        return Problem(f"unknown key `{key}`{hint}", line, display_path(tuple(path)))
    line = Origin("", lines).line(tuple(path))
    field = display_path(tuple(path)) or None
    if kind == "missing":
        return Problem("is required but missing", line, field)
    if kind == "union_tag_invalid":
        got = error.get("ctx", {}).get("tag", "")
        near = difflib.get_close_matches(str(got), SECTION_KINDS, n=1)
        hint = f"; did you mean `{near[0]}`?" if near else ""
        return Problem(f"kind `{got}` is unknown{hint} (kinds: {', '.join(SECTION_KINDS)})", line,
                       display_path((*path, "kind")))
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
    return shown(value)


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
    return isinstance(candidate, type) and issubclass(candidate, Record)


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
