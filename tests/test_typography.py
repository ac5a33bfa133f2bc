"""Typography both PDFs share: names, venues and links are never hyphenated; Chinese and Japanese lines start and
end as their line-breaking rules (kinsoku) say; Korean breaks between words (tests/test_pdf.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, require, require_font
from support import pdf_lines

from cvgen.loader import load_cv
from cvgen.renderers.latex import render

LONG_WORDS = ("Internationalization representational transferability overparameterized neuroinformatics "
              "computational reproducibility characterization ") * 3
# What may not start a line and what may not end one, in Chinese and Japanese (the rules word processors apply by
# default, JIS X 4051's and GB/T 15834's common core).
NOT_AT_LINE_START = set("、。，．：；？！）〕］｝〉》」』】〙〗〟・ゝゞヽヾ々")
NOT_AT_LINE_END = set("（〔［｛〈《「『【〘〖〝")
CHINESE = ("深度学习（机器学习的一个分支）在计算机视觉、自然语言处理和语音识别等领域取得了显著进展。"
           "「元学习」旨在让模型学会如何学习，从而快速适应新任务；研究者们提出了许多方法！") * 5
JAPANESE = ("機械学習の研究者は、「メタ学習」と呼ばれる手法を用いて、少ないデータから"
            "素早く学習できるモデルを開発しています。ちょっとした工夫で、性能がぐっと向上することもあります。") * 5


def _cvgen(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cvgen.cli", *args], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=600)


def _both_pdfs(cv: Path) -> list[Path]:
    folder = cv.parent
    latex = _cvgen("latex", str(cv), "--pdf", "-o", str(folder / "latex" / "cv.tex"))
    assert latex.returncode == 0, latex.stderr
    weasyprint = _cvgen("pdf", str(cv), "-o", str(folder / "cv.pdf"))
    assert weasyprint.returncode == 0, weasyprint.stderr
    return [folder / "latex" / "cv.pdf", folder / "cv.pdf"]


def _raw_lines(pdf: Path) -> list[str]:
    """The PDF's lines in reading order, a hyphen at a line's end kept (pdftotext's default joins such lines)."""
    return subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout.splitlines()


def test_links_are_never_hyphenated_where_the_text_around_them_is(tmp_path: Path) -> None:
    """A justified paragraph of long words is hyphenated in both PDFs; the same words as a link's text are not."""
    require("latexmk", "pdflatex", "pdftotext")
    cv = tmp_path / "cv.yaml"
    cv.write_text(f"name: Ada\nsections:\n  - kind: text\n    title: About\n    paragraphs:\n"
                  f"      - 'Linked: [{LONG_WORDS.strip()}](https://example.org/a) end.'\n"
                  f"      - 'Plain: {LONG_WORDS.strip()} end.'\n", encoding="utf-8")
    for pdf in _both_pdfs(cv):
        lines = _raw_lines(pdf)
        linked = lines[lines.index(next(line for line in lines if line.startswith("Linked:"))):]
        plain_start = next(index for index, line in enumerate(linked) if line.startswith("Plain:"))
        hyphenated = [line for line in linked if line.endswith(("-", "\u2010"))]
        assert hyphenated, (pdf, lines)  # the test can see hyphenation: the plain words get it
        assert all(linked.index(line) >= plain_start for line in hyphenated), (pdf, lines)


def test_names_venues_and_links_are_set_without_hyphenation_in_latex(tmp_path: Path) -> None:
    cv = tmp_path / "cv.yaml"
    cv.write_text("name: Ada Lovelace\nsections:\n  - kind: publications\n    items:\n"
                  "      - title: Notes\n        authors: [Ada Lovelace, Charles Babbage]\n"
                  "        venue: NeurIPS\n        year: 1843\n        links: [{label: Code, url: 'https://x.org'}]\n",
                  encoding="utf-8")
    tex = render(load_cv(cv))
    assert r"\cvowner{\cvname{Ada Lovelace}}, \cvname{Charles Babbage}" in tex
    assert r"\cvvenue{NeurIPS}" in tex and r"\newcommand{\cvvenue}[1]{\emph{\cvnohyphens{#1}}}" in tex
    assert r"\href{https://x.org}{\cvnohyphens{{[}Code{]}}}" in tex
    assert r"\cvname{Ada Lovelace}\par" in tex  # the name at the top


def test_chinese_and_japanese_lines_start_and_end_as_kinsoku_says(tmp_path: Path) -> None:
    require("latexmk", "xelatex", "pdftotext")
    require_font("Noto Serif CJK SC")
    for language, text in (("zh", CHINESE), ("ja", JAPANESE)):
        folder = tmp_path / language
        folder.mkdir()
        cv = folder / "cv.yaml"
        cv.write_text(f"name: Ada\nsections:\n  - kind: text\n    title: 研究\n    paragraphs:\n      - '{text}'\n",
                      encoding="utf-8")
        for pdf in _both_pdfs(cv):
            lines = [line for line in pdf_lines(pdf) if line[:1] in text and len(line) > 10]
            assert len(lines) >= 6, (pdf, lines)  # the paragraph wraps: line ends are there to check
            assert "".join(lines) == text, pdf  # every character, in order, nothing between the lines
            assert not [line for line in lines if line[0] in NOT_AT_LINE_START], (pdf, lines)
            assert not [line for line in lines if line[-1] in NOT_AT_LINE_END], (pdf, lines)
