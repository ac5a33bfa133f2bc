"""Builds that take from the build before (`cvgen watch`, `cvgen.reuse`): whatever is edited between two saves,
the model, the view, the web page and the LaTeX are the ones a fresh build makes."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml
from conftest import DATA
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cvgen.loader import load_cv_file
from cvgen.renderers import html, render
from cvgen.reuse import Reuse
from cvgen.view import build_view

SEED: dict[str, Any] = yaml.safe_load((DATA / "cv.yaml").read_text(encoding="utf-8"))


def _outputs(path: Path, reuse: Reuse | None) -> tuple[object, ...]:
    cv, origin = load_cv_file(path, None, reuse)
    view = build_view(cv, origin, reuse.views if reuse else None)
    page = html.render(cv, view=view, reuse=reuse.written if reuse else None)
    return cv.model_dump(), view, page, render("latex", cv, view=view)


def _check_saves(path: Path, versions: list[str]) -> Reuse:
    """Each version saved in turn: the build that takes from the last makes what a fresh build makes."""
    reuse = Reuse()
    for text in versions:
        path.write_text(text, encoding="utf-8")
        assert _outputs(path, reuse) == _outputs(path, None)
    return reuse


def _papers(data: dict[str, Any]) -> list[dict[str, Any]]:
    return next(section for section in data["sections"] if section["kind"] == "publications")["items"]


def _dump(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)


def test_an_unchanged_entry_is_the_same_record_view_and_page_values(tmp_path: Path) -> None:
    path = tmp_path / "cv.yaml"
    edited = copy.deepcopy(SEED)
    _papers(edited)[0]["title"] = "An edited title"
    reuse = _check_saves(path, [_dump(SEED)])
    first = load_cv_file(path, None, reuse)[0]
    path.write_text(_dump(edited), encoding="utf-8")
    second = load_cv_file(path, None, reuse)[0]
    papers = [next(section for section in cv.sections if section.kind == "publications").items  # type: ignore[union-attr]
              for cv in (first, second)]
    assert papers[1][1] is papers[0][1]  # taken again, not validated again
    assert papers[1][0] is not papers[0][0] and papers[1][0].title == "An edited title"  # type: ignore[union-attr]
    build_view(first, None, reuse.views)
    view = build_view(second, None, reuse.views)
    assert reuse.views.taken >= len(papers[1]) - 1
    html.render(second, view=view, reuse=reuse.written)
    assert reuse.written.taken >= len(papers[1]) - 1


def test_a_new_owner_name_reaches_every_paper_the_view_takes_again(tmp_path: Path) -> None:
    """An entry's view depends on the owner's name (the owner is marked among a paper's authors)."""
    renamed = copy.deepcopy(SEED)
    renamed["name"] = "Someone Else"
    reuse = _check_saves(tmp_path / "cv.yaml", [_dump(SEED), _dump(renamed), _dump(SEED)])
    assert reuse.taken > 0


def test_an_entry_in_a_section_of_another_kind_is_validated_as_that_kind(tmp_path: Path) -> None:
    text = ("name: A\nsections:\n- kind: awards\n  items:\n  - title: Best paper\n    date: '2024'\n"
            "  - title: Fellowship\n")
    _check_saves(tmp_path / "cv.yaml", [text, text.replace("kind: awards", "kind: press"), text])


_EDITS = st.lists(st.one_of(
    st.tuples(st.just("title"), st.integers(0, 40), st.text(alphabet="ab *_&<>`#:", min_size=1, max_size=8)),
    st.tuples(st.just("swap"), st.integers(0, 40), st.integers(0, 40)),
    st.tuples(st.just("drop"), st.integers(0, 40), st.just(0)),
    st.tuples(st.just("copy"), st.integers(0, 40), st.just(0)),
    st.tuples(st.just("owner"), st.sampled_from(["Hayeon Lee", "Seanie Lee", "A. Nobody"]), st.just(0)),
    st.tuples(st.just("language"), st.sampled_from(["en", "ko", "de"]), st.just(0)),
), min_size=1, max_size=4)


def _edited(data: dict[str, Any], edit: tuple[str, Any, Any]) -> dict[str, Any]:
    data = copy.deepcopy(data)
    action, first, second = edit
    papers = _papers(data)
    if action == "owner":
        data["name"] = first
    elif action == "language":
        data["language"] = first
    elif papers:
        index = first % len(papers)
        if action == "title":
            papers[index]["title"] = second
        elif action == "swap":
            other = second % len(papers)
            papers[index], papers[other] = papers[other], papers[index]
        elif action == "drop":
            del papers[index]
        else:
            papers.insert(0, copy.deepcopy(papers[index]))
    return data


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=_EDITS)
def test_law_builds_that_take_from_the_last_make_what_fresh_builds_make(tmp_path: Path,
                                                                        edits: list[tuple[str, Any, Any]]) -> None:
    """Papers retitled, swapped, dropped or copied, the owner renamed, the language changed, save after save:
    the model, the view, the web page and the LaTeX of a build taking from the last are a fresh build's."""
    versions, data = [_dump(SEED)], SEED
    for edit in edits:
        data = _edited(data, edit)
        versions.append(_dump(data))
    _check_saves(tmp_path / "cv.yaml", versions)
