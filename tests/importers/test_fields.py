"""Fields recognised by their content (cvgen/importers/fields.py): each case is one publication entry as homepages
write it, and what it holds."""

from __future__ import annotations

from typing import Any

import pytest

from cvgen.importers.fields import AuthorField, read_authors, read_paper

CASES: list[tuple[str, str, dict[str, Any]]] = [
    ("seed", "**A Title of Four Words** \\\\\n[[paper]](https://a.org/1) [[code]](https://g.org/x) \\\\\n"
             "**Jane Doe**, Bob Stone\\*, Carl Weiss \\\\\n**NeurIPS** 2024",
     {"title": "A Title of Four Words", "authors": ["Jane Doe", "Bob Stone", "Carl Weiss"], "venue": "NeurIPS",
      "year": "2024", "links": ["paper", "code"]}),
    ("linked title, and without Oxford comma", "[Who Corrects Whom? Fact-Checking Cascades](https://arxiv.org/abs/1)."
     " Jonah Whitlock, **Marisol Etxeberria** and Ana Lucía Ferro. arXiv, 2023.",
     {"title": "Who Corrects Whom? Fact-Checking Cascades", "authors": ["Jonah Whitlock", "Marisol Etxeberria",
                                                                     "Ana Lucía Ferro"], "venue": "arXiv",
      "year": "2023"}),
    ("font title and a link run", '<font size="4">Sparse-View Gaussian Splatting with Learned Priors</font>\n'
     "[[paper]](https://arxiv.org/abs/2) / [[code]](https://g.org/s) / [[project]](https://p.io/s)  \n"
     "**Yi Kai Tan**, Hugo Lemaire, Marta Okonkwo  \n*CVPR*, 2025",
     {"title": "Sparse-View Gaussian Splatting with Learned Priors", "authors": ["Yi Kai Tan", "Hugo Lemaire",
                                                                                "Marta Okonkwo"],
      "venue": "CVPR", "year": "2025", "links": ["paper", "code", "project"]}),
    ("label inside the link", "[[C10] Tactile Pretraining at Scale](https://openreview.net/x)  \n"
     "Yannick Osei, **Mateo Villanueva-Koh**  \n*CoRL 2024*",
     {"label": "C10", "title": "Tactile Pretraining at Scale", "authors": ["Yannick Osei", "Mateo Villanueva-Koh"],
      "venue": "CoRL", "year": "2024"}),
    ("APA", "Demir, Y., **Etxeberria, M.**, & Okonjo, P. (2021). The half-life of a rumour. "
            "*Journal of Computational Social Science*, 4(1), 77–102.",
     {"title": "The half-life of a rumour", "authors": ["Demir, Y.", "Etxeberria, M.", "Okonjo, P."],
      "venue": "Journal of Computational Social Science", "year": "2021"}),
    ("IEEE", '[3] **L. Abernathy**, M. Szabó, and R. Nakamura, "Hybrid precoding with one-bit phase shifters," '
             "*IEEE J. Sel. Areas Commun.*, vol. 40, no. 2, pp. 611–625, Feb. 2022.",
     {"label": "3", "title": "Hybrid precoding with one-bit phase shifters",
      "authors": ["L. Abernathy", "M. Szabó", "R. Nakamura"], "venue": "IEEE J. Sel. Areas Commun.",
      "year": "2022"}),
    ("marks: sup and TeX", "Paper Title Goes Here. **Jane Doe**<sup>†</sup>, Bob Stone$^{\\dagger}$, Carl Weiss. "
                           "*ICML*, 2023.",
     {"title": "Paper Title Goes Here", "authors": ["Jane Doe", "Bob Stone", "Carl Weiss"], "venue": "ICML",
      "year": "2023"}),
    ("Japanese", "**佐藤 遥**, 森 健二, 「韻律トークンを用いた少数話者適応」, 日本音響学会 春季研究発表会, 2024年3月.",
     {"title": "韻律トークンを用いた少数話者適応", "authors": ["佐藤 遥", "森 健二"], "year": "2024"}),
    ("German quotes and et al.", "**M. Öztürk-Hallmann** *et al.*, „Entanglement-enhanced frequency comparison of "
                                 "two optical clocks“, *Nature Physics* **20**, 1021 (2024).",
     {"title": "Entanglement-enhanced frequency comparison of two optical clocks",
      "authors": ["M. Öztürk-Hallmann", "et al."], "venue": "Nature Physics", "year": "2024"}),
]


@pytest.mark.parametrize("source, expected", [(source, expected) for _, source, expected in CASES],
                         ids=[name for name, _, _ in CASES])
def test_a_paper_s_fields_are_read_wherever_the_entry_puts_them(source: str, expected: dict[str, Any]) -> None:
    fields = read_paper(source)
    found = {"label": fields.label, "title": fields.title, "authors": [author.name for author in fields.authors],
             "venue": fields.venue, "year": fields.year, "links": [label for label, _ in fields.links]}
    assert {key: found[key] for key in expected} == expected


def test_marks_and_the_emphasised_owner_are_kept_apart_from_the_names() -> None:
    assert read_authors("**Jane Doe\\***, Bob Stone<sup>†</sup> and Carl Weiss$^{\\dagger}$") == [
        AuthorField("Jane Doe", "*", True), AuthorField("Bob Stone", "†"), AuthorField("Carl Weiss", "†")]


@pytest.mark.parametrize("text", [
    "I work with **Prof. Kim**, **Prof. Lee** on robust learning",
    "**Best Paper Award**, NeurIPS, 2024",
    "Kerrow Foundation Early Career Grant, 2020–2022",
])
def test_prose_and_award_lines_are_no_author_lists(text: str) -> None:
    assert read_authors(text) is None


@pytest.mark.parametrize("source", [
    "[[a]" + "b" * 50_000, "**" * 30_000, " " * 100_000 + "x, y", "Doe, J., " * 5_000 + "(2020).",
    "[" * 20_000 + "](u)", '"' * 40_000, "a. " * 30_000, '<a href="x">' * 20_000,
])
def test_pathological_entries_are_read_in_linear_work(source: str) -> None:
    read_paper(source)  # finishes (in well under a second); a quadratic pattern would take minutes
