"""Layouts as data (cvgen/importers/layouts.py): an entry's Markdown with a slot per field, its author list and
link run as data; filling the layout with the entry's fields gives the entry back exactly."""

from __future__ import annotations

import pytest

from cvgen.importers.fields import read_paper
from cvgen.importers.layouts import AuthorsLayout, LinksLayout, derive, fill, shared

CASES = [
    ("**A Title of Four Words** \\\\\n[[paper]](https://a.org/1) / [[code]](https://g.org/x) \\\\\n"
     "**Jane Doe\\***, Bob Stone\\*, Carl Weiss \\\\\n**NeurIPS** 2024",
     "**{title}** \\\\\n{links} \\\\\n{authors} \\\\\n**{venue}** {year}",
     AuthorsLayout(", ", ", ", "{name}{mark}", "**{name}{mark}**"), LinksLayout("[[{label}]]({url})", " / ")),
    ("Demir, Y., **Etxeberria, M.**, & Okonjo, P. (2021). The half-life of a rumour. "
     "*Journal of Computational Social Science*, 4(1), 77–102.",
     "{authors} ({year}). {title}. *{venue}*, {details}.",
     AuthorsLayout(", ", ", & ", "{name}{mark}", "**{name}**{mark}"), None),
    ('[3] **L. Abernathy**, M. Szabó, and R. Nakamura, "Hybrid precoding with one-bit phase shifters," '
     "*IEEE J. Sel. Areas Commun.*, vol. 40, no. 2, pp. 611–625, Feb. 2022.",
     '[{label}] {authors}, "{title}," *{venue}*, {details}. {year}.',
     AuthorsLayout(", ", ", and ", "{name}{mark}", "**{name}**{mark}"), None),
]


@pytest.mark.parametrize("source, template, authors, links", CASES, ids=["seed", "APA", "IEEE"])
def test_a_layout_has_a_slot_per_field_and_gives_the_entry_back(source: str, template: str,
                                                                 authors: AuthorsLayout,
                                                                 links: LinksLayout | None) -> None:
    fields = read_paper(source)
    derived = derive(source, fields)
    assert derived is not None
    layout, marks = derived
    assert (layout.template, layout.authors, layout.links) == (template, authors, links)
    assert fill(layout, fields, marks) == source


def test_one_layout_writes_another_entry_of_the_same_form() -> None:
    first = "**One Two Three** \\\\\nAda Lovelace, **Jane Doe** \\\\\n**ICML** 2023"
    second = "**Four Five Six Seven** \\\\\n**Jane Doe**, Bob Stone, Carl Weiss \\\\\n**CVPR** 2024"
    layouts = [derive(entry, read_paper(entry)) for entry in (first, second)]
    assert layouts[0] is not None and layouts[1] is not None
    assert layouts[0][0] == layouts[1][0] == shared([layouts[0][0], layouts[1][0]])
    assert fill(layouts[0][0], read_paper(second), layouts[1][1]) == second


def test_an_entry_whose_names_are_written_two_ways_has_no_layout() -> None:
    source = "**One Two Three** \\\\\n**Ada Lovelace**, _Jane Doe_ and Bob Stone \\\\\n**ICML** 2023"
    fields = read_paper(source)
    derived = derive(source, fields)
    assert derived is None or fill(derived[0], fields, derived[1]) == source  # never a layout that writes it wrong


@pytest.mark.parametrize("source", ["{a} " * 20_000 + "**Ada Lovelace**, Bob Stone", "a, " * 30_000 + "2020",
                                    "[[x]](u) " * 5_000])
def test_pathological_entries_are_laid_out_in_linear_work(source: str) -> None:
    fields = read_paper(source)
    derived = derive(source, fields)
    assert derived is None or fill(derived[0], fields, derived[1]) == source


def test_entries_that_leave_a_part_out_share_one_layout_with_that_part_optional() -> None:
    entries = ["Ada Lovelace, **Jane Doe**. Learning to Count Sheep. *Nature*, 12(3), 45–67, 2023.",
               "**Jane Doe**, Bob Stone. Counting Goats at Scale. *Science*, 2021."]
    derived = [derive(entry, read_paper(entry)) for entry in entries]
    assert all(layout is not None for layout in derived)
    section = shared([layout[0] for layout in derived if layout])
    assert section is not None and section.template == "{authors}. {title}. *{venue}*, {?{details}, ?}{year}."
    for entry, layout in zip(entries, derived, strict=True):
        assert layout is not None and fill(section, read_paper(entry), layout[1]) == entry
