"""Loading CV YAML: safe, literal text, every problem reported with its file, line and field."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import DATA, FIXTURES
from hypothesis import example, given, settings
from hypothesis import strategies as st

from cvgen.dump import dump_cv
from cvgen.errors import InputFileError
from cvgen.loader import has_anchor, load_cv, load_cv_text, parse_yaml
from cvgen.reuse import Reuse

MINIMAL = "name: A\nsections:\n  - kind: publications\n    items:\n"


def problems_of(text: str) -> str:
    with pytest.raises(InputFileError) as raised:
        load_cv_text(text, "cv.yaml")
    message = str(raised.value)
    assert "Traceback" not in message
    return message


def test_yaml_1_1_coercions_do_not_corrupt_text() -> None:
    cv = load_cv_text(MINIMAL + "      - {title: NO, authors: [yes, 'off', 012345], venue: 12:30, note: 1e3,"
                      " year: 2021}\n", "cv.yaml")
    paper = cv.sections[0].items[0]  # type: ignore[union-attr]
    assert (paper.title, paper.authors, paper.venue, paper.note, paper.year) == (
        "NO", ["yes", "off", "012345"], "12:30", "1e3", "2021")


def test_text_that_looks_like_yaml_survives_a_dump_and_load() -> None:
    cv = load_cv_text(MINIMAL + "      - {title: NO, authors: ['012345', '12:30', 'null', '~', 'true']}\n", "cv.yaml")
    again = load_cv_text(dump_cv(cv), "again.yaml")
    assert again == cv
    assert again.sections[0].items[0].authors == ["012345", "12:30", "null", "~", "true"]  # type: ignore[union-attr]


def test_front_matter_keeps_yaml_types_as_jekyll_reads_them() -> None:
    cv = load_cv_text("name: A\nhomepage:\n  front_matter: {author_profile: true, order: 3, title: NO}\n"
                      "sections: []\n", "cv.yaml")
    assert cv.homepage.front_matter == {"author_profile": True, "order": 3, "title": False}


@pytest.mark.parametrize("text, expected", [
    ("name: [unclosed\n", r"cv.yaml:2: YAML syntax error"),
    ("", r"cv.yaml:1: the file is empty"),
    ("# only a comment\n", r"cv.yaml:1: the file is empty"),
    ("- a\n- b\n", r"cv.yaml:1: the top level is a list"),
    ("just text\n", r"cv.yaml:1: the top level is a single value"),
    ("name: A\nname: B\nsections: []\n", r"cv.yaml:2: name: duplicate key 'name' \(first on line 1\)"),
    ("name: !!python/object/apply:os.system ['echo hi']\nsections: []\n",
     r"cv.yaml:1: name: the tag !!python/object/apply:os.system is not allowed"),
    ("name: !custom x\nsections: []\n", r"cv.yaml:1: name: the tag '!custom' is not allowed"),
    (MINIMAL + "      - {title: T, authors: [A], year: 2021-02-30}\n",
     r"cv.yaml:5: sections\[0\].items\[0\].year: '2021-02-30' is not a date: February 2021 has 28 days"),
    (MINIMAL + "      - {title: T, authors: [A], year: 2021-13}\n",
     r"sections\[0\].items\[0\].year: '2021-13' is not a date: there is no month 13"),
    (MINIMAL + "      - {title: T, authors: A}\n",
     r"cv.yaml:5: sections\[0\].items\[0\].authors: input should be a valid list, got 'A'"),
    (MINIMAL + "      - {title: [T], authors: [A]}\n",
     r"cv.yaml:5: sections\[0\].items\[0\].title: input should be a valid string, got a list"),
    (MINIMAL + "      - {authors: [A]}\n", r"cv.yaml:5: sections\[0\].items\[0\].title: is required but missing"),
    (MINIMAL + "      - {title: T, authors: [A], venu: X}\n",
     r"cv.yaml:5: sections\[0\].items\[0\].venu: unknown key `venu`; did you mean `venue`\?"),
    ("name: A\nsections:\n  - kind: publication\n    items: []\n",
     r"cv.yaml:3: sections\[0\].kind: kind `publication` is unknown; did you mean `publications`\?"),
    ("name: A\nsectons: []\n", r"cv.yaml:2: sectons: unknown key `sectons`; did you mean `sections`\?"),
    ("name: A\nsections: []\ndesign: {paper: a5}\n", r"cv.yaml:3: design.paper: input should be 'a4' or 'letter'"),
])
def test_bad_cv_files_get_one_line_per_problem(text: str, expected: str) -> None:
    message = problems_of(text)
    assert 1 <= len(message.splitlines()) <= 2
    assert re.search(expected, message), message


def test_alias_bombs_are_stopped() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 9):
        previous = f"*a{level - 1}"
        lines.append(f"a{level}: &a{level} [{', '.join([previous] * 10)}]")
    bomb = "\n".join(lines) + "\nname: A\nsections: []\n"
    assert "alias bomb" in problems_of(bomb)


def test_a_recursive_alias_is_an_error() -> None:
    assert "refers to itself" in problems_of("name: &a [*a]\nsections: []\n")


def test_all_problems_are_reported_at_once() -> None:
    text = MINIMAL + "      - {title: T, authors: [A], year: 2021-02-30}\n      - {authors: [A], venu: X}\n"
    message = problems_of(text)
    assert "2021-02-30" in message and "title: is required" in message and "unknown key `venu`" in message


def test_binary_garbage_and_missing_files(tmp_path: Path) -> None:
    garbage = tmp_path / "cv.yaml"
    garbage.write_bytes(bytes(range(256)))
    with pytest.raises(InputFileError, match=r"cv.yaml:1: is binary data"):
        load_cv(garbage)
    latin1 = tmp_path / "latin1.yaml"
    latin1.write_bytes("name: Zo\xeb\nsections: []\n".encode("latin-1"))
    with pytest.raises(InputFileError, match=r"latin1.yaml:1: is not UTF-8 text \(byte 0xeb\)"):
        load_cv(latin1)
    with pytest.raises(InputFileError, match="no such CV file"):
        load_cv(tmp_path / "nope.yaml")
    with pytest.raises(InputFileError, match="is a folder"):
        load_cv(tmp_path)


@pytest.mark.parametrize("path", [DATA / "cv.yaml", FIXTURES / "cvs" / "minimal.yaml", FIXTURES / "cvs" / "full.yaml"])
def test_fixtures_load_and_survive_a_dump(path: Path) -> None:
    cv = load_cv(path)
    assert load_cv_text(dump_cv(cv), "again.yaml") == cv


def test_years_are_written_plain_and_read_back_as_text() -> None:
    cv = load_cv_text(MINIMAL + "      - {title: '2021', authors: [A], year: '2021'}\n", "cv.yaml")
    written = dump_cv(cv)
    assert "year: 2021\n" in written and "title: '2021'\n" in written  # a title stays quoted text
    assert load_cv_text(written, "again.yaml") == cv


def test_the_schema_lets_editors_write_years_as_numbers() -> None:
    from cvgen.model import CV

    definitions = CV.model_json_schema()["$defs"]
    assert {"type": "integer"} in definitions["Publication"]["properties"]["year"]["anyOf"][0]["anyOf"]


# --- a load that takes items from the last one (`cvgen watch`) ----------------------------------------------------


def _fresh_and_reused(texts: list[str]) -> tuple[Reuse, list[tuple[object, ...]], list[tuple[object, ...]]]:
    """Each text parsed on its own, and parsed in turn with one `Reuse`: data, lines (in order) and problems."""
    reuse = Reuse()
    fresh, reused = [], []
    for text in texts:
        data, lines, problems = parse_yaml(text)
        fresh.append((data, list(lines.items()), problems))
        data, lines, problems = parse_yaml(text, reuse=reuse)
        reused.append((data, list(lines.items()), problems))
    return reuse, fresh, reused


def test_a_load_that_takes_items_from_the_last_one_reads_what_a_fresh_load_reads() -> None:
    seed = (DATA / "cv.yaml").read_text(encoding="utf-8")
    first_title = re.search(r"\n( +)(- )?title: (.+)\n", seed)
    assert first_title is not None
    edits = [
        seed,
        seed.replace(first_title.group(3), "An edited title", 1),  # one item changes
        "# a comment above everything\n\n" + seed,  # every item moves down two lines
        seed.replace("\n", "\n\n", 3),
        seed.replace(first_title.group(3), "A title with a control character \x07", 1),  # a problem
        seed,
    ]
    reuse, fresh, reused = _fresh_and_reused(edits)
    assert reused == fresh
    assert reuse.taken > 20  # the last load took the seed's items again


def test_an_item_is_taken_again_only_where_its_text_is_unchanged() -> None:
    items = "".join(f"  - title: Paper {number}\n    authors: [A, B]\n" for number in range(5))
    reuse = Reuse()
    parse_yaml("name: A\nsections:\n- kind: publications\n  items:\n" + items, reuse=reuse)
    assert reuse.taken == 0
    data, _, _ = parse_yaml("name: A\nsections:\n- kind: publications\n  items:\n"
                            + items.replace("Paper 3", "Paper three"), reuse=reuse)
    assert reuse.taken == 4
    assert data["sections"][0]["items"][3] == {"title": "Paper three", "authors": ["A", "B"]}
    data["sections"][0]["items"][0]["authors"].append("changed by a reader")  # what is kept is not the reader's
    data, _, _ = parse_yaml("name: A\nsections:\n- kind: publications\n  items:\n" + items, reuse=reuse)
    assert data["sections"][0]["items"][0] == {"title": "Paper 0", "authors": ["A", "B"]}
    assert reuse.taken == 4
    # The same text in front matter, which keeps YAML's types, is read again: 12 is a number there.
    text = "name: A\nsections:\n- kind: publications\n  items:\n  - title: T\n    note:\n    - x: 12\n"
    _, fresh, reused = _fresh_and_reused([text, text.replace("note:", "front_matter:")])
    assert reused == fresh
    assert reused[1][0]["sections"][0]["items"][0]["front_matter"] == [{"x": 12}]  # type: ignore[index]


def test_a_cv_with_an_anchor_takes_nothing_from_the_last_load() -> None:
    """An unchanged item that names an anchor holds what the anchor holds now."""
    text = ("name: A\nshared: &venue {venue: Old}\nsections:\n- kind: publications\n  items:\n"
            "  - title: One\n    <<: *venue\n  - title: Two\n")
    reuse, fresh, reused = _fresh_and_reused([text, text.replace("Old", "New"), text.replace("Old", "R&D")])
    assert reused == fresh
    assert reused[1][0]["sections"][0]["items"][0]["venue"] == "New"  # type: ignore[index]
    assert reuse.taken == 0
    plain = "name: R&D & more\nsections:\n- kind: news\n  items:\n  - {date: '2024', text: A & B}\n"
    _fresh_and_reused([plain])
    parse_yaml(plain, reuse=reuse)
    parse_yaml(plain, reuse=reuse)
    assert reuse.taken == 1  # an ampersand in text is no anchor


_SCALARS = st.one_of(st.text(alphabet=st.sampled_from(list("ab :#&*-'\"\n\t|>{}[],!%@`?~é한\\")), max_size=8),
                    st.sampled_from(["null", "true", "12", "<<"]), st.none())
_PAIRS = st.dictionaries(st.sampled_from(["x", "y"]), _SCALARS, min_size=1, max_size=2)
_ITEM = st.dictionaries(st.sampled_from(["title", "venue", "year", "front_matter", "note"]),
                        st.one_of(_SCALARS, st.lists(_SCALARS, max_size=3), st.lists(_PAIRS, max_size=2), _PAIRS),
                        min_size=1, max_size=4)
_CV = st.fixed_dictionaries({"name": _SCALARS, "sections": st.lists(st.fixed_dictionaries(
    {"kind": st.just("publications"), "items": st.lists(_ITEM, max_size=4)}), min_size=1, max_size=3)})
_STYLE = st.fixed_dictionaries({"indent": st.integers(2, 4), "default_flow_style": st.sampled_from([False, None]),
                                "width": st.sampled_from([20, 80, 1000])})


@settings(max_examples=150, deadline=None)
@given(cvs=st.lists(st.tuples(_CV, _STYLE, st.booleans()), min_size=2, max_size=4))
def test_law_a_load_taking_from_the_last_reads_what_a_fresh_load_reads(
        cvs: list[tuple[dict[str, Any], dict[str, Any], bool]]) -> None:
    """Whatever edits come between two saves (items changed, added, removed, moved, written in another style,
    one item written twice through an anchor), a load that takes from the last one reads the data, lines and
    problems a fresh load reads."""
    texts = []
    for cv, style, aliased in cvs:
        items = cv["sections"][0]["items"]
        if aliased and items:
            items.append(items[0])  # the same item twice: the dump writes an anchor and an alias
        texts.append(yaml.safe_dump(cv, allow_unicode=True, sort_keys=False, **style))
    texts += [texts[0], texts[0].replace("\n", "\n\n", 2)]
    _, fresh, reused = _fresh_and_reused(texts)
    assert reused == fresh


_YAML_PIECES = st.sampled_from([*"ab &*:-,[]{}?!#|>'\"\n\t\r%@`=~.", "- ", ": ", "&a ", "\n  ", "!!str ", "--- ",
                                "\ufeff", "\x85", "\u2028", "\u2029", "\u00a0", "&", "*a", '"a":'])


@settings(max_examples=500, deadline=None)
@given(pieces=st.lists(_YAML_PIECES, min_size=1, max_size=12))
@example(pieces=["\x85", "&a ", "b"]).via("an anchor after a next-line character")
@example(pieces=["\u2028", "&a ", "b"]).via("after a line separator")
@example(pieces=["\ufeff", "&a ", "b"]).via("after a byte order mark")
@example(pieces=["{", '"a":', "&a ", "b}"]).via("after a JSON-like key's colon")
def test_every_anchor_the_parser_reads_is_seen(pieces: list[str]) -> None:
    """`Reuse` takes nothing from the last load where a CV has an anchor: none may go unseen."""
    text = "".join(pieces)
    try:
        events = list(yaml.parse(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))
    except yaml.YAMLError:
        return
    if any(getattr(event, "anchor", None) is not None and not isinstance(event, yaml.AliasEvent)
           for event in events):
        assert has_anchor(text)
