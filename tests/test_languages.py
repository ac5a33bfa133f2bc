"""Languages from one source (issue 13, point 6): texts written per language, a variant that picks one, cvgen's
own words (dates, 'present', the usual headings, the legend) in English, Korean, Chinese, Japanese, German,
French and Spanish, the fonts and engine each needs, and a warning naming each text that lacks the language."""

from __future__ import annotations

import html
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import DATA, ROOT, require, require_font
from support import pdf_fonts, pdf_text

from cvgen.errors import InputFileError
from cvgen.loader import load_cv_file, load_cv_text
from cvgen.locales import LOCALES
from cvgen.renderers import render
from cvgen.renderers.latex import choose_engine, cjk_fonts

LANGUAGES = ("en", "ko", "zh", "ja", "de", "fr", "es")


def _seed_in(language: str) -> str:
    data = yaml.safe_load((DATA / "cv.yaml").read_text(encoding="utf-8"))
    data["language"] = language
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)


@pytest.mark.parametrize("language", LANGUAGES)
def test_cvgens_own_words_are_in_the_cvs_language_in_the_web_page_and_the_latex(language: str) -> None:
    cv = load_cv_text(_seed_in(language), "seed")
    words = LOCALES[language]
    page = render("html", cv)
    assert f'<html lang="{language}">' in page
    page_text = html.unescape(re.sub(r"<[^>]+>", "", page))
    tex = render("latex", cv)
    for text in (words.present, words.headings["education"], words.equal_contribution,
                 words.month_year.format(month=words.months[2], m=3, year=2018)):  # Mar 2018, the PhD's start
        assert text in page_text, (language, text)
        if text.isascii() or language in ("ko", "zh", "ja"):  # accents are TeX macros: the PDF test reads those
            assert text in tex, (language, text)
    if language != "en":
        assert not re.search(r"\bPresent\b|^Education$", page_text, re.M)


def test_a_variant_reads_each_text_in_its_language_and_names_those_without_it(tmp_path: Path) -> None:
    require("latexmk", "xelatex", "pdftotext", "pdffonts")
    require_font("Noto Serif CJK KR")
    cv = tmp_path / "cv.yaml"
    cv.write_text("""name: {en: Hayeon Lee, ko: 이하연}
headline: {en: Ph.D. student at KAIST, ko: KAIST 박사과정}
sections:
  - kind: education
    title: Education
    items:
      - degree: {en: Ph.D., ko: 박사}
        field: {en: School of Computing, ko: 전산학부}
        institution: KAIST
        start: 2018-03
        end: Present
  - kind: news
    title: {en: News, ko: 소식}
    items:
      - {date: 2022-02, text: {en: One paper accepted to ICLR 2022, ko: ICLR 2022 논문 게재 승인}}
      - {date: 2021-09, text: {en: Two papers accepted to NeurIPS 2021}}
variants:
  ko: {language: ko}
""", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "cvgen.cli", "build", str(cv), "--variant", "ko", "-o",
                             str(tmp_path / "out")], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    warning = re.search(r"warning: .*cv\.yaml: 1 text written per language has no 'ko' version and is shown in "
                        r"'en': sections\[1\]\.items\[1\]\.text \(line 16\)", result.stderr)
    assert warning, result.stderr
    for pdf in (tmp_path / "out" / "ko" / "cv.pdf", tmp_path / "out" / "ko" / "latex" / "cv.pdf"):
        text = " ".join(pdf_text(pdf).split())
        for korean in ("이하연", "KAIST 박사과정", "학력", "전산학부", "2018년 3월", "현재", "소식",
                       "ICLR 2022 논문 게재 승인", "Two papers accepted to NeurIPS 2021"):
            assert korean in text, (pdf.name, korean)
        assert "Hayeon Lee" not in text
        fonts = pdf_fonts(pdf)
        assert any("CJK" in line and " yes " in line for line in fonts), fonts
    english = subprocess.run([sys.executable, "-m", "cvgen.cli", "html", str(cv), "-o", str(tmp_path / "en.html")],
                             capture_output=True, text=True, cwd=ROOT)
    assert english.returncode == 0 and "warning" not in english.stderr  # English is there for every text
    page = (tmp_path / "en.html").read_text(encoding="utf-8")
    assert "Hayeon Lee" in page and "이하연" not in page and "Education" in page


@pytest.mark.parametrize(("language", "region"), [("ko", "KR"), ("zh", "SC"), ("zh-Hant", "TC"), ("ja", "JP")])
def test_east_asian_languages_get_xelatex_and_their_own_noto_cjk_faces(language: str, region: str) -> None:
    cv = load_cv_text(f"name: 李明\nlanguage: {language}\nsections:\n  - kind: text\n    paragraphs: [研究]\n", "cv")
    fonts = cjk_fonts(cv)
    assert choose_engine(cv) == "xelatex" and fonts is not None
    assert fonts.serif == f"Noto Serif CJK {region}" and fonts.sans == f"Noto Sans CJK {region}"


@pytest.mark.parametrize("language", ["zh", "ja", "de", "fr", "es"])
def test_a_cv_in_each_language_compiles_with_its_words(tmp_path: Path, language: str) -> None:
    require("latexmk", "xelatex", "pdflatex", "pdftotext")
    text = {"zh": "研究兴趣：机器学习", "ja": "研究分野：機械学習", "de": "Forschung über Lernverfahren",
            "fr": "Recherche sur l’apprentissage", "es": "Investigación en aprendizaje"}[language]
    cv = tmp_path / "cv.yaml"
    cv.write_text(f"name: Mei Tanaka\nlanguage: {language}\nsections:\n  - kind: text\n    paragraphs: ['{text}']\n"
                  "  - kind: education\n    title: Education\n    items:\n      - {degree: Ph.D., institution: Uni, "
                  "start: 2019-10, end: Present}\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "cvgen.cli", "latex", str(cv), "--pdf", "-o",
                             str(tmp_path / "latex" / "cv.tex")], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    shown = "".join(pdf_text(tmp_path / "latex" / "cv.pdf").split())  # xeCJK spaces Han from Latin and digits
    words = LOCALES[language]
    for expected in (text, words.headings["education"], words.present,
                     words.month_year.format(month=words.months[9], m=10, year=2019)):
        assert "".join(expected.split()) in shown, (language, expected, shown)


def test_an_unknown_language_is_an_error_naming_its_line(tmp_path: Path) -> None:
    cv = tmp_path / "cv.yaml"
    cv.write_text("name: A\nsections: []\nvariants:\n  x:\n    language: korean\n", encoding="utf-8")
    with pytest.raises(InputFileError) as raised:
        load_cv_file(cv)
    assert re.search(r"cv\.yaml:5: variants\.x\.language: .*'korean' is not a language code", str(raised.value))


def test_a_text_without_the_language_or_the_default_shows_its_first_one() -> None:
    cv = load_cv_text("name: A\nlanguage: fr\nheadline: {de: Doktorand, es: Doctorando}\nsections: []\n", "cv")
    assert cv.headline == "Doktorand"


GERMAN_WORDS = (  # long words of a German CV, three times over: enough line ends to break some of them
    "Wahrscheinlichkeitsverteilungen Geschwindigkeitsbegrenzungen Verantwortungsbewusstsein Forschungseinrichtungen "
    "Naturwissenschaften Rechtsschutzversicherungen Arbeitsgemeinschaft Lehrveranstaltungen Bildungsministerium "
    "Datenverarbeitung Sprachverarbeitung Zusammenarbeit Hochschullehrerin Gastwissenschaftlerin "
    "Nachwuchsgruppenleiterin Forschungsstipendium Promotionsstudium Habilitationsschrift Lehrstuhlinhaberin "
    "Bundesministerium Graduiertenkolleg Sonderforschungsbereich Exzellenzinitiative Forschungsaufenthalt "
    "Wissenschaftspreis Auszeichnungen Veröffentlichungen Zeitschriftenaufsätze Konferenzbeiträge Betreuung "
    "Abschlussarbeiten Gutachtertätigkeit Herausgeberschaft Mitgliedschaften Drittmitteleinwerbung ")


def _hyphenated_breaks(pdf: Path) -> list[tuple[str, int]]:
    """Each word the PDF breaks with a hyphen at a line's end, and after how many letters (the text read in the
    order it was set: pdftotext's reading order joins a broken word's halves)."""
    lines = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                           check=True).stdout.splitlines()
    breaks = []
    for line, following in zip(lines, lines[1:], strict=False):
        end, start = re.search(r"(\w+)-$", line.rstrip()), re.match(r"(\w+)", following.strip())
        if end and start and start.group(1)[0].islower():
            breaks.append((end.group(1) + start.group(1), len(end.group(1))))
    return breaks


def test_a_german_cv_is_hyphenated_where_german_breaks_its_words(tmp_path: Path) -> None:
    """The LaTeX PDF of a German CV breaks words at German hyphenation points (TeX's German patterns, checked
    against pyphen's German dictionary); the same text in an English CV, with English patterns, does not: the
    check can fail. Long words are left to hyphenation, not cut every few letters as URLs are."""
    require("latexmk", "pdflatex", "pdftotext")
    import pyphen  # WeasyPrint's hyphenation dictionaries

    german = pyphen.Pyphen(lang="de_DE")
    invalid: dict[str, list[tuple[str, int]]] = {}
    for language in ("de", "en"):
        cv = tmp_path / f"{language}.yaml"
        cv.write_text(f"name: Jana Roth\nlanguage: {language}\nsections:\n  - kind: text\n    paragraphs: "
                      f"['{(GERMAN_WORDS * 3).strip()}']\n", encoding="utf-8")
        result = subprocess.run([sys.executable, "-m", "cvgen.cli", "latex", str(cv), "--pdf", "-o",
                                 str(tmp_path / language / "cv.tex")], capture_output=True, text=True, cwd=ROOT)
        assert result.returncode == 0, result.stderr
        assert "hyphenation patterns" not in result.stderr
        assert r"\allowbreak" not in (tmp_path / language / "cv.tex").read_text(encoding="utf-8")
        breaks = _hyphenated_breaks(tmp_path / language / "cv.pdf")
        assert len(breaks) >= 5, breaks
        invalid[language] = [(word, at) for word, at in breaks if at not in german.positions(word)]
    assert invalid["de"] == []
    assert invalid["en"], "English patterns broke every German word where German does: the check proves nothing"


def test_a_language_whose_patterns_tex_lacks_is_said() -> None:
    require("kpsewhich")
    from cvgen.latexmk import hyphenation_warnings

    installed = subprocess.run(["kpsewhich", "hyph-nl.tex"], capture_output=True, text=True).stdout.strip()
    warnings = hyphenation_warnings("nl")
    if installed:  # texlive-lang-european is not among cvgen's packages, but a machine may have it
        assert warnings == []
    else:
        assert warnings == ["TeX here has no dutch hyphenation patterns (Debian's texlive-lang-european): the LaTeX "
                            "PDF breaks no word at the end of a line"]
    assert hyphenation_warnings("de") == [] and hyphenation_warnings("en") == []
