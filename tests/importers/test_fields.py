"""Fields recognised by their content (cvgen/importers/fields.py): each case is one publication entry as homepages
write it, and what it holds."""

from __future__ import annotations

from typing import Any

import pytest

from cvgen.importers.fields import Owner, read_authors, read_paper
from cvgen.model import CV
from cvgen.slots import AuthorField

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
    ("paper box: badge, markdown body, contribution bullets",
     "<div class='paper-box'><div class='paper-box-image'><div><div class=\"badge\">RSS 2023</div>"
     "<img src='images/a.png' alt=\"sym\" width=\"100%\"></div></div>\n<div class='paper-box-text' markdown=\"1\">\n\n"
     "[Learning to Pour from a Single Demonstration](https://arxiv.org/abs/3)\n\n**Ines Barros**, Kofi Mensah\n\n"
     "[**Project**](https://p.io/pour) | [**Code**](https://g.org/pour)\n- Pours 12 liquids.\n"
     "- Oral presentation (top 5%).\n</div>\n</div>",
     {"title": "Learning to Pour from a Single Demonstration", "authors": ["Ines Barros", "Kofi Mensah"],
      "venue": "RSS", "year": "2023", "links": ["Project", "Code"]}),
    ("table row with a thumbnail", '<tr>\n<td width="30%"><img src="images/t.png" alt="T"></td>\n<td width="70%">\n'
     "<b>Tidal Forecasting with Graph Operators</b><br>\nLiam Okoro, <b>Sara Lind</b><br>\n"
     "<i>Journal of Coastal Research</i>, 41(2), e2024JC1, 2024<br>\n"
     '<a href="https://doi.org/10/t">[paper]</a>\n</td>\n</tr>',
     {"title": "Tidal Forecasting with Graph Operators", "authors": ["Liam Okoro", "Sara Lind"],
      "venue": "Journal of Coastal Research", "details": "41(2), e2024JC1", "year": "2024", "links": ["paper"]}),
    ("venue and year in one emphasis at the end of the author line",
     "[Grasping Deformable Bags with Suction](https://arxiv.org/abs/4), **Ines Barros**, Kofi Mensah, **IROS 2022**",
     {"title": "Grasping Deformable Bags with Suction", "authors": ["Ines Barros", "Kofi Mensah"], "venue": "IROS",
      "year": "2022"}),
    ("venue in a span, marks in sup", "[Adaptive Index Tuning for Streams](https://a.org/5), **Ana Ruiz**<sup>*</sup>, "
     'Tom Berg<sup>*</sup>, <span class="pub-venue">VLDB 2025</span>',
     {"title": "Adaptive Index Tuning for Streams", "authors": ["Ana Ruiz", "Tom Berg"], "venue": "VLDB",
      "year": "2025"}),
    ("venue with volume and pages on the author line, IEEE style",
     "[Sparse Radar Imaging with Priors](https://doi.org/10/6), **Ana Ruiz**, Tom Berg, "
     "*IEEE Transactions on Signal Processing*, vol. 71, pp. 100–112, 2023",
     {"authors": ["Ana Ruiz", "Tom Berg"], "venue": "IEEE Transactions on Signal Processing", "year": "2023"}),
    ("a mark before the full stop ends the author list",
     "[L7] [Speculative Decoding on Edge Devices](https://arxiv.org/abs/7), **Ravi Menon†**, Lea Holt\\*, "
     "Ola Dahl\\*. *MLSys 2024*.",
     {"label": "L7", "title": "Speculative Decoding on Edge Devices", "authors": ["Ravi Menon", "Lea Holt", "Ola Dahl"],
      "venue": "MLSys", "year": "2024"}),
    ("plain title after a TeX mark and a full stop", "Wen Bo, **Li Na**$^{\\dagger}$. A Foundation Model for Radar "
     "and SAR Imagery. *Remote Sensing of Environment*, 301: 113–129, 2024.",
     {"title": "A Foundation Model for Radar and SAR Imagery", "authors": ["Wen Bo", "Li Na"],
      "venue": "Remote Sensing of Environment", "year": "2024"}),
    ("CJK title as a sentence", "**王芳**, 李强. 基于图神经网络的交通流预测方法. *计算机学报*, 2021, 44(3): 501–515.",
     {"title": "基于图神经网络的交通流预测方法", "authors": ["王芳", "李强"], "venue": "计算机学报", "year": "2021"}),
    ("italic title after the authors, venue without emphasis and volume after the year",
     "**Ada Nwosu**, Pieter de Wit. *Nickel oxides for water splitting*. ACS Energy Letters, 2020, 5, 1100–1108.",
     {"title": "Nickel oxides for water splitting", "authors": ["Ada Nwosu", "Pieter de Wit"],
      "venue": "ACS Energy Letters", "details": "5, 1100–1108", "year": "2020"}),
    ("'In:' before a bold venue with its year", "**Jan Vogel** und Eva Roth. *Kernels for Cycle Packing*. In: "
                                                "**SWAT 2022**, LIPIcs 227, S. 12:1–12:14.",
     {"title": "Kernels for Cycle Packing", "authors": ["Jan Vogel", "Eva Roth"], "venue": "SWAT", "year": "2022"}),
    ("one author before an APA year; a year inside the venue's name stays",
     "**Eva Roth** (2019): *Normalisierung von Dialekten*. Tagungsband der KONVENS 2019.",
     {"title": "Normalisierung von Dialekten", "authors": ["Eva Roth"], "venue": "Tagungsband der KONVENS 2019",
      "year": "2019"}),
    ("APA with one author and a book chapter", "**K. Osei** (2018). Priors for censored data. In *Handbook of "
     "Survival Analysis*, eds. R. Lund and H. Oya, pp. 10–31. Chapman & Hall/CRC.",
     {"title": "Priors for censored data", "authors": ["K. Osei"], "venue": "Handbook of Survival Analysis",
      "year": "2018"}),
    ("venue first, a year inside the proceedings' name",
     "[SP '23] Ana Ruiz, **Tom Berg**. \"Auditing Federated Training\"; Proceedings of the 2023 IEEE Symposium on "
     "Security and Privacy, 2023.",
     {"label": "SP '23", "title": "Auditing Federated Training", "authors": ["Ana Ruiz", "Tom Berg"],
      "venue": "Proceedings of the 2023 IEEE Symposium on Security and Privacy", "year": "2023"}),
    ("quoted title, venue and year, then co-authors", '"Membership Leaks in Tuned Models." arXiv 2024. With Ana Ruiz '
                                                      "and Tom Berg.",
     {"title": "Membership Leaks in Tuned Models", "authors": [], "venue": "arXiv", "year": "2024"}),
    ("an arXiv identifier is the venue", "**A. Lund** *et al.*, „Squeezed light for clock comparison“, "
                                         "arXiv:2305.01234 (2023).",
     {"title": "Squeezed light for clock comparison", "venue": "arXiv:2305.01234", "year": "2023"}),
    ("parentheses in the venue's name stay", "**Clustering Long Videos** \\\\\n  **林一**, 赵二 \\\\\n"
     "  *International Conference on Machine Learning (ICML)*, 2022",
     {"title": "Clustering Long Videos", "authors": ["林一", "赵二"],
      "venue": "International Conference on Machine Learning (ICML)", "year": "2022"}),
    ("a Japanese date after the venue",
     "**山田 花子**, 森 健二, 「音声合成の少数話者適応」, 日本音響学会 2023年秋季研究発表会, 2023年9月.",
     {"title": "音声合成の少数話者適応", "authors": ["山田 花子", "森 健二"],
      "venue": "日本音響学会 2023年秋季研究発表会", "year": "2023"}),
    ("bold title ending in a full stop, 'To appear in'", "**Deep Priors for Sparse Signals.** Jane Doe, Bob Stone. "
                                                        "To appear in *ICLR 2026*.",
     {"title": "Deep Priors for Sparse Signals", "authors": ["Jane Doe", "Bob Stone"], "venue": "ICLR",
      "year": "2026"}),
    ("quotes in HTML attributes are no title", "**Graph Ensembles for Molecules** \\\\\n"
     '<a href="https://a.org/8" style="color: #7289da;">[paper]</a> \\\\\n**Jane Doe\\***, Bob Stone\\* \\\\\n'
     '<span style="color:darkred">**ICML**</span> 2024',
     {"title": "Graph Ensembles for Molecules", "authors": ["Jane Doe", "Bob Stone"], "venue": "ICML",
      "year": "2024", "links": ["paper"]}),
    ("Chicago author-date book: the first author surname first, the publisher after its place",
     "Carrasco, Inés. 2023. *Thirsty Ground: Water, Debt, and Belonging*. Ithaca, NY: Cornell University Press.",
     {"title": "Thirsty Ground: Water, Debt, and Belonging", "authors": ["Carrasco, Inés"],
      "venue": "Cornell University Press", "details": "Ithaca, NY", "year": "2023"}),
    ("Chicago edited volume: 'eds.' after the editors, a place that is not ASCII",
     "Álvarez, José, and Inés Carrasco, eds. 2021. *Infrastructures of Care*. Ìbàdàn: Ọ̀yọ́ Academic Press.",
     {"title": "Infrastructures of Care", "authors": ["Álvarez, José", "Inés Carrasco"],
      "venue": "Ọ̀yọ́ Academic Press", "details": "Ìbàdàn", "year": "2021"}),
    ("Chicago chapter: the book is the venue, its editors and pages and imprint the details",
     "Carrasco, Inés. 2021. “Pipes, Promises, and Patience.” In *Infrastructures of Care*, edited by José Álvarez, "
     "45–68. London: UCL Press.",
     {"title": "Pipes, Promises, and Patience", "authors": ["Carrasco, Inés"], "venue": "Infrastructures of Care",
      "details": "edited by José Álvarez, 45–68. London: UCL Press", "year": "2021"}),
    ("a bold title of two words joined by 'and' is no author written surname first",
     "**Defects and Extrusion** \\\\\nAurélie Bénard, Théo Mercier \\\\\n*Physical Review E*, 2023",
     {"title": "Defects and Extrusion", "authors": ["Aurélie Bénard", "Théo Mercier"], "venue": "Physical Review E",
      "year": "2023"}),
    ("a colon in a venue's name is no book's imprint", "Jane Doe, Bob Stone. Robust Reward Models. "
     "ICLR Workshop: Trustworthy ML, 2024.", {"venue": "ICLR Workshop: Trustworthy ML", "details": None}),
    ("APA title opening with a quotation", "Carrasco, I. (2019). “Las mitas del agua”: Reciprocity and irrigation "
     "labour. *Bulletin of Latin American Research*, *38*(1), 77–91.",
     {"title": "“Las mitas del agua”: Reciprocity and irrigation labour", "authors": ["Carrasco, I."],
      "venue": "Bulletin of Latin American Research", "year": "2019"}),
    ("link runs: Liquid in a URL, a bare URL, one-word and CJK labels",
     "**Verified Template Expansion** \\\\\n  Jane Doe, Bob Stone \\\\\n  *POPL*, 2024 \\\\\n"
     "  [[pdf]]({{ site.url }}/files/popl24.pdf) [PMLR](https://p.org/1) [**代码**](https://g.org/v) "
     "<https://doi.org/10.1/v>",
     {"title": "Verified Template Expansion", "venue": "POPL", "year": "2024",
      "links": ["pdf", "PMLR", "代码", "https://doi.org/10.1/v"]}),
]

REMARKS: list[tuple[str, str, str | None, str | None]] = [
    ("**Graph Ensembles for Molecules** \\\\\nJane Doe, Bob Stone \\\\\n"
     '<span style="color:darkred">**ICLR**</span> 2025, <span style="color:red">_Oral Presentation_</span> '
     "(acceptance = 20 / 1000 = 2%)", "ICLR", "Oral Presentation", "acceptance = 20 / 1000 = 2%"),
    ("[Cable Routing with Residual Policies](https://a.org/9)  \n  **Jane Doe**, Bob Stone  \n"
     "  *IROS 2023* (**Best Student Paper Finalist**)", "IROS", "Best Student Paper Finalist", None),
    ("**Long Video Tokens** \\\\\n  Jane Doe, Bob Stone \\\\\n  *NeurIPS*, 2024 **(Spotlight)**", "NeurIPS",
     "Spotlight", None),
    ("**Title Alone in Bold**\n  Jane Doe, Bob Stone\n  ICML 2022 (Oral)", "ICML", "Oral", None),
    ("**Planar Kernels Revisited**\nJane Doe, Bob Stone\n*SODA*, 2021\n**Best Paper Award**", "SODA",
     "Best Paper Award", None),
    ("Jane Doe, Bob Stone. Title of the Paper. *Journal of Things*, 12(3), 45–67, 2020.", "Journal of Things", None,
     None),
    ('R. Osei*, M. Lindqvist*, and T. Reiner. (2024). "Sparse Mixture Distillation." <i>NeurIPS 37</i>. '
     "(*equal contribution)", "NeurIPS 37", None, None),  # the marks' legend is no remark of the paper
]


@pytest.mark.parametrize("source, venue, award, note", REMARKS)
def test_an_award_and_a_remark_after_the_venue_are_read_apart_from_it(source: str, venue: str, award: str | None,
                                                                       note: str | None) -> None:
    fields = read_paper(source)
    assert (fields.venue, fields.award, fields.note) == (venue, award, note)


def test_co_authors_written_with_with_are_not_the_author_list() -> None:
    fields = read_paper('"Membership Leaks in Tuned Models." arXiv 2024. With Ana Ruiz and Tom Berg.')
    assert fields.authors == [] and [author.name for author in fields.coauthors] == ["Ana Ruiz", "Tom Berg"]


@pytest.mark.parametrize("source, expected", [(source, expected) for _, source, expected in CASES],
                         ids=[name for name, _, _ in CASES])
def test_a_paper_s_fields_are_read_wherever_the_entry_puts_them(source: str, expected: dict[str, Any]) -> None:
    fields = read_paper(source)
    found = {"label": fields.label, "title": fields.title, "authors": [author.name for author in fields.authors],
             "venue": fields.venue, "details": fields.details, "year": fields.year,
             "links": [label for label, _ in fields.links]}
    assert {key: found[key] for key in expected} == expected


@pytest.mark.parametrize("written, owner", [
    ("Carrasco, Inés", True), ("Carrasco, I.", True), ("I. Carrasco", True), ("inés  carrasco", True),
    ("Carrasco, J.", False), ("Carrasco", False), ("Lee, H. B.", True), ("Lee, H.", False), ("최유나", True),
])
def test_the_owner_is_known_surname_first_and_by_initials(written: str, owner: bool) -> None:
    assert Owner("Inés Carrasco", ("Hae Beom Lee", "최유나")).is_owner(written) is owner
    cv = CV(name="Inés Carrasco", name_variants=["Hae Beom Lee", "최유나"], sections=[])
    assert cv.is_owner(written) is owner


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
    "<a href=" * 12_000, "<div" * 25_000, "<sup>" * 20_000, "$^{" * 30_000, "<!--" * 25_000, "[a](" + "{{ " * 30_000,
    "[a]({{" * 15_000, "*a*, " * 20_000, ", 1" * 30_000, "1. A" * 25_000, "(" * 100_000, "2020年" * 20_000,
    "Ann Bo, " * 12_000, "<" * 100_000, "Feb. 2020, " * 9_000, "<https://" * 11_000, "\\*. " * 30_000,
])
def test_pathological_entries_are_read_in_linear_work(source: str) -> None:
    read_paper(source)  # finishes (in well under a second); a quadratic pattern would take minutes
