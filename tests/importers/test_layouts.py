"""Layouts as data (cvgen/importers/layouts.py): an entry's Markdown with a slot per field, its author list and
link run as data; filling the layout with the entry's fields gives the entry back exactly."""

from __future__ import annotations

import pytest

from cvgen.importers.fields import read_paper
from cvgen.importers.layouts import derive, layout_words, shared
from cvgen.model import AuthorsLayout, LinksLayout
from cvgen.slots import fill

CASES = [
    ("**A Title of Four Words** \\\\\n[[paper]](https://a.org/1) / [[code]](https://g.org/x) \\\\\n"
     "**Jane Doe\\***, Bob Stone\\*, Carl Weiss \\\\\n**NeurIPS** 2024",
     "**{title}** \\\\\n{links} \\\\\n{authors} \\\\\n**{venue}** {year}",
     AuthorsLayout(separator=", ", last_separator=", ", plain="{name}{mark}", emphasised="**{name}{mark}**",
                   marks={"*": "\\*"}),
     LinksLayout(link="[[{label}]]({url})", separator=" / ")),
    ("Demir, Y., **Etxeberria, M.**, & Okonjo, P. (2021). The half-life of a rumour. "
     "*Journal of Computational Social Science*, 4(1), 77–102.",
     "{authors} ({year}). {title}. *{venue}*, {details}.",
     AuthorsLayout(separator=", ", last_separator=", & ", plain="{name}{mark}", emphasised="**{name}**{mark}"), None),
    ('[3] **L. Abernathy**, M. Szabó, and R. Nakamura, "Hybrid precoding with one-bit phase shifters," '
     "*IEEE J. Sel. Areas Commun.*, vol. 40, no. 2, pp. 611–625, Feb. 2022.",
     '[{label}] {authors}, "{title}," *{venue}*, {details}.',  # the month and year stay in the details
     AuthorsLayout(separator=", ", last_separator=", and ", plain="{name}{mark}", emphasised="**{name}**{mark}"),
     None),
]


@pytest.mark.parametrize("source, template, authors, links", CASES, ids=["seed", "APA", "IEEE"])
def test_a_layout_has_a_slot_per_field_and_gives_the_entry_back(source: str, template: str,
                                                                 authors: AuthorsLayout,
                                                                 links: LinksLayout | None) -> None:
    fields = read_paper(source)
    layout = derive(source, fields)
    assert layout is not None
    assert (layout.template, layout.authors, layout.links) == (template, authors, links)
    assert fill(layout, fields) == source
    assert layout_words(layout) == []


def test_one_layout_writes_another_entry_of_the_same_form() -> None:
    first = "**One Two Three** \\\\\nAda Lovelace, **Jane Doe** \\\\\n**ICML** 2023"
    second = "**Four Five Six Seven** \\\\\n**Jane Doe**, Bob Stone, Carl Weiss \\\\\n**CVPR** 2024"
    layouts = [derive(entry, read_paper(entry)) for entry in (first, second)]
    assert layouts[0] is not None and layouts[1] is not None
    assert layouts[0] == layouts[1] == shared([layouts[0], layouts[1]])
    assert fill(layouts[0], read_paper(second)) == second


def test_an_entry_whose_names_are_written_two_ways_has_no_layout() -> None:
    source = "**One Two Three** \\\\\n**Ada Lovelace**, _Jane Doe_ and Bob Stone \\\\\n**ICML** 2023"
    fields = read_paper(source)
    derived = derive(source, fields)
    assert derived is None or fill(derived, fields) == source  # never a layout that writes it wrong


@pytest.mark.parametrize("source", ["{a} " * 20_000 + "**Ada Lovelace**, Bob Stone", "a, " * 30_000 + "2020",
                                    "[[x]](u) " * 5_000])
def test_pathological_entries_are_laid_out_in_linear_work(source: str) -> None:
    fields = read_paper(source)
    derived = derive(source, fields)
    assert derived is None or fill(derived, fields) == source


def test_entries_that_leave_a_part_out_share_one_layout_with_that_part_optional() -> None:
    entries = ["Ada Lovelace, **Jane Doe**. Learning to Count Sheep. *Nature*, 12(3), 45–67, 2023.",
               "**Jane Doe**, Bob Stone. Counting Goats at Scale. *Science*, 2021."]
    derived = [derive(entry, read_paper(entry)) for entry in entries]
    assert all(layout is not None for layout in derived)
    section = shared([layout for layout in derived if layout])
    assert section is not None and section.template == "{authors}. {title}. *{venue}*, {?{details}, ?}{year}."
    for entry in entries:
        assert fill(section, read_paper(entry)) == entry


def test_marks_are_data_of_the_author_layout_and_one_mark_written_two_ways_is_no_layout() -> None:
    source = "**A Title of Four Words** \\\\\nAda Lovelace<sup>†</sup>, **Jane Doe**\\*, Bob Stone \\\\\n*ICML* 2023"
    layout = derive(source, read_paper(source))
    assert layout is not None and layout.authors is not None
    assert (layout.authors.marks, layout.authors.owner_marks) == ({"†": "<sup>†</sup>"}, {"*": "\\*"})
    # The owner's mark may be written otherwise than the co-authors' (the owner's own form); co-authors' may not.
    owner_apart = "**A Title of Four Words** \\\\\nAda Lovelace\\*, **Jane Doe**<sup>*</sup> \\\\\n*ICML* 2023"
    apart = derive(owner_apart, read_paper(owner_apart))
    assert apart is not None and apart.authors is not None
    assert (apart.authors.marks, apart.authors.owner_marks) == ({"*": "\\*"}, {"*": "<sup>*</sup>"})
    two_ways = "**A Title of Four Words** \\\\\nAda Lovelace\\*, Bob Stone<sup>*</sup>, **Jane Doe** \\\\\n*ICML* 2023"
    assert derive(two_ways, read_paper(two_ways)) is None


def test_words_a_layout_holds_that_no_field_does_are_named() -> None:
    source = "**A Title of Four Words** \\\\\nAda Lovelace, **Jane Doe** \\\\\n*ICML*, Honolulu, 2023"
    layout = derive(source, read_paper(source))
    assert layout is not None and layout_words(layout) == ["Honolulu"]


def test_a_legend_after_the_authors_and_the_owners_own_mark_are_the_author_layouts_and_lists_share_it() -> None:
    marked = ("**A Title of Four Words** \\\\\nBo Han\\*, <u>Jae Kim*</u>, Soo Lee (\\*: equal contribution) \\\\\n"
              "*ACL* 2024")
    plain = "**Another Title of Words** \\\\\n<u>Jae Kim</u>, Dong Choi \\\\\n*EMNLP* 2023"
    fields = read_paper(marked)
    assert [(author.name, author.marks) for author in fields.authors] == [("Bo Han", "*"), ("Jae Kim", "*"),
                                                                          ("Soo Lee", "")]
    assert (fields.venue, fields.year) == ("ACL", "2024")  # the legend is neither a name nor the venue
    layouts = [derive(source, read_paper(source)) for source in (marked, plain)]
    assert layouts[0] is not None and layouts[0].authors is not None
    assert (layouts[0].authors.marks, layouts[0].authors.owner_marks, layouts[0].authors.legend) == (
        {"*": "\\*"}, {"*": "*"}, " (\\*: equal contribution)")
    assert "equal" not in layouts[0].template
    section = shared([layout for layout in layouts if layout])
    assert section is not None and section.authors is not None and section.authors.emphasised == "<u>{name}{mark}</u>"
    assert [fill(section, read_paper(source)) for source in (marked, plain)] == [marked, plain]  # legend once
