"""What cvgen itself writes into a CV, per language: month names and date forms, 'present', seasons, the usual
section headings and the legend of equal contribution; and which languages a text field may be written in.

English, Korean, Chinese, Japanese, German, French and Spanish are known; a CV in another language gets
English words for these (its own texts are its own).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# The language codes a text field's mapping may use (`{en: …, ko: …}`): ISO 639-1, with an optional region or
# script (`zh-Hant`, `pt-BR`).
ISO_639_1 = frozenset((
    "aa", "ab", "ae", "af", "ak", "am", "an", "ar", "as", "av", "ay", "az", "ba", "be", "bg", "bh", "bi", "bm", "bn",
    "bo", "br", "bs", "ca", "ce", "ch", "co", "cr", "cs", "cu", "cv", "cy", "da", "de", "dv", "dz", "ee", "el", "en",
    "eo", "es", "et", "eu", "fa", "ff", "fi", "fj", "fo", "fr", "fy", "ga", "gd", "gl", "gn", "gu", "gv", "ha", "he",
    "hi", "ho", "hr", "ht", "hu", "hy", "hz", "ia", "id", "ie", "ig", "ii", "ik", "io", "is", "it", "iu", "ja", "jv",
    "ka", "kg", "ki", "kj", "kk", "kl", "km", "kn", "ko", "kr", "ks", "ku", "kv", "kw", "ky", "la", "lb", "lg", "li",
    "ln", "lo", "lt", "lu", "lv", "mg", "mh", "mi", "mk", "ml", "mn", "mr", "ms", "mt", "my", "na", "nb", "nd", "ne",
    "ng", "nl", "nn", "no", "nr", "nv", "ny", "oc", "oj", "om", "or", "os", "pa", "pi", "pl", "ps", "pt", "qu", "rm",
    "rn", "ro", "ru", "rw", "sa", "sc", "sd", "se", "sg", "si", "sk", "sl", "sm", "sn", "so", "sq", "sr", "ss", "st",
    "su", "sv", "sw", "ta", "te", "tg", "th", "ti", "tk", "tl", "tn", "to", "tr", "ts", "tt", "tw", "ty", "ug", "uk",
    "ur", "uz", "ve", "vi", "vo", "wa", "wo", "xh", "yi", "yo", "za", "zh", "zu",
))
_TAG = re.compile(r"([a-z]{2})(?:-[A-Za-z0-9]{2,8})?")


def is_language(tag: str) -> bool:
    """Whether a key names a language: `en`, `ko`, `zh-Hant`, `pt-BR`."""
    match = _TAG.fullmatch(tag)
    return match is not None and match.group(1) in ISO_639_1


@dataclass(frozen=True)
class Hyphenation:
    """TeX's hyphenation patterns for a language: their name in TeX's formats (`\\l@ngerman`), the pattern file
    that says whether they are installed, the Debian package that holds them, and the shortest word part left
    before and after a hyphen."""

    patterns: str
    file: str
    package: str
    left: int = 2
    right: int = 2


# The languages whose patterns cvgen sets (English is TeX's own). German, French and Spanish are installed by
# scripts/install-system-deps.sh; the others where their package is.
HYPHENATION = {
    "de": Hyphenation("ngerman", "hyph-de-1996.tex", "texlive-lang-german"),
    "fr": Hyphenation("french", "hyph-fr.tex", "texlive-lang-french", 2, 3),
    "es": Hyphenation("spanish", "hyph-es.tex", "texlive-lang-spanish"),
    "it": Hyphenation("italian", "hyph-it.tex", "texlive-lang-italian"),
    "pt": Hyphenation("portuguese", "hyph-pt.tex", "texlive-lang-portuguese", 2, 3),
    "nl": Hyphenation("dutch", "hyph-nl.tex", "texlive-lang-european"),
}


def hyphenation(language: str) -> Hyphenation | None:
    """TeX's hyphenation patterns for a CV's language, where cvgen knows them."""
    return HYPHENATION.get(base_language(language))


def base_language(tag: str) -> str:
    """`zh-Hant` → `zh`."""
    return tag.split("-", 1)[0].lower()


@dataclass(frozen=True)
class Locale:
    """cvgen's own words in one language."""

    months: tuple[str, ...]  # abbreviated, January first
    month_year: str  # {month} {year}; {m} the month's number
    day_month_year: str  # {day} {month} {year}
    season_year: str  # {season} {year}
    seasons: dict[str, str]
    present: str
    equal_contribution: str
    headings: dict[str, str]  # by section kind
    curriculum_vitae: str  # the document's title after the name
    description: str = "Curriculum vitae of {name}"  # the document's description, before its headline


LOCALES: dict[str, Locale] = {
    "en": Locale(("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
                 "{month} {year}", "{day} {month} {year}", "{season} {year}",
                 {"spring": "Spring", "summer": "Summer", "fall": "Fall", "autumn": "Autumn", "winter": "Winter"},
                 "Present", "Equal contribution",
                 {"news": "News", "education": "Education", "publications": "Publications",
                  "experience": "Experience", "awards": "Awards", "talks": "Talks", "press": "Press",
                  "service": "Service", "projects": "Projects", "interests": "Research Interests"}, "Curriculum Vitae"),
    "ko": Locale(tuple(f"{number}월" for number in range(1, 13)), "{year}년 {m}월", "{year}년 {m}월 {day}일",
                 "{year}년 {season}", {"spring": "봄", "summer": "여름", "fall": "가을", "autumn": "가을",
                                      "winter": "겨울"},
                 "현재", "공동 제1저자",
                 {"news": "소식", "education": "학력", "publications": "논문", "experience": "경력", "awards": "수상",
                  "talks": "발표", "press": "언론 보도", "service": "학술 활동", "projects": "프로젝트",
                  "interests": "연구 분야"}, "이력서",
                 "{name} 이력서"),
    "zh": Locale(tuple(f"{number}月" for number in range(1, 13)), "{year}年{m}月", "{year}年{m}月{day}日",
                 "{year}年{season}", {"spring": "春", "summer": "夏", "fall": "秋", "autumn": "秋", "winter": "冬"},
                 "至今", "同等贡献",
                 {"news": "动态", "education": "教育背景", "publications": "论文", "experience": "工作经历",
                  "awards": "奖项", "talks": "报告", "press": "媒体报道", "service": "学术服务", "projects": "项目",
                  "interests": "研究兴趣"}, "简历",
                 "{name}的简历"),
    "ja": Locale(tuple(f"{number}月" for number in range(1, 13)), "{year}年{m}月", "{year}年{m}月{day}日",
                 "{year}年{season}", {"spring": "春", "summer": "夏", "fall": "秋", "autumn": "秋", "winter": "冬"},
                 "現在", "同等貢献",
                 {"news": "ニュース", "education": "学歴", "publications": "論文", "experience": "職歴",
                  "awards": "受賞", "talks": "講演", "press": "報道", "service": "学術活動", "projects": "プロジェクト",
                  "interests": "研究分野"}, "履歴書",
                 "{name}の履歴書"),
    "de": Locale(("Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sept.", "Okt.", "Nov.", "Dez."),
                 "{month} {year}", "{day}. {month} {year}", "{season} {year}",
                 {"spring": "Frühjahr", "summer": "Sommer", "fall": "Herbst", "autumn": "Herbst", "winter": "Winter"},
                 "heute", "Gleicher Beitrag",
                 {"news": "Neuigkeiten", "education": "Ausbildung", "publications": "Publikationen",
                  "experience": "Berufserfahrung", "awards": "Auszeichnungen", "talks": "Vorträge", "press": "Presse",
                  "service": "Gutachtertätigkeit", "projects": "Projekte", "interests": "Forschungsinteressen"},
                 "Lebenslauf", "Lebenslauf von {name}"),
    "fr": Locale(("janv.", "févr.", "mars", "avr.", "mai", "juin", "juill.", "août", "sept.", "oct.", "nov.",
                  "déc."),
                 "{month} {year}", "{day} {month} {year}", "{season} {year}",
                 {"spring": "printemps", "summer": "été", "fall": "automne", "autumn": "automne", "winter": "hiver"},
                 "aujourd’hui", "Contribution égale",
                 {"news": "Actualités", "education": "Formation", "publications": "Publications",
                  "experience": "Expérience professionnelle", "awards": "Distinctions", "talks": "Exposés",
                  "press": "Presse", "service": "Service à la communauté", "projects": "Projets",
                  "interests": "Thèmes de recherche"}, "Curriculum vitae",
                 "Curriculum vitae de {name}"),
    "es": Locale(("ene.", "feb.", "mar.", "abr.", "may.", "jun.", "jul.", "ago.", "sept.", "oct.", "nov.", "dic."),
                 "{month} {year}", "{day} {month} {year}", "{season} de {year}",
                 {"spring": "primavera", "summer": "verano", "fall": "otoño", "autumn": "otoño", "winter": "invierno"},
                 "actualidad", "Contribución igual",
                 {"news": "Noticias", "education": "Formación", "publications": "Publicaciones",
                  "experience": "Experiencia", "awards": "Premios", "talks": "Charlas", "press": "Prensa",
                  "service": "Servicio académico", "projects": "Proyectos", "interests": "Intereses de investigación"},
                 "Currículum vítae", "Currículum vítae de {name}"),
}

# English headings a CV writes for a kind's section, which a CV in another language shows in that language.
ENGLISH_HEADINGS: dict[str, frozenset[str]] = {
    "news": frozenset({"news", "recent news", "updates"}),
    "education": frozenset({"education"}),
    "publications": frozenset({"publications", "selected publications", "papers", "conference publications",
                               "journal publications"}),
    "experience": frozenset({"experience", "work experience", "work experiences", "employment", "positions",
                             "research experience"}),
    "awards": frozenset({"awards", "honors", "awards & honors", "awards and honors", "honors and awards",
                         "honors & awards", "awards & honours", "honours and awards"}),
    "talks": frozenset({"talks", "invited talks", "presentations"}),
    "press": frozenset({"press", "media", "in the press"}),
    "service": frozenset({"service", "academic service", "academic services", "professional service"}),
    "projects": frozenset({"projects", "research projects", "funded projects"}),
    "interests": frozenset({"research interests", "interests"}),
}


def locale(language: str) -> Locale:
    """cvgen's words in a language; English for a language it does not know."""
    return LOCALES.get(base_language(language), LOCALES["en"])


def localized_heading(kind: str, title: str, language: str) -> str | None:
    """A kind's usual English heading in another language ('Education' → '학력'); None for any other heading."""
    if base_language(language) == "en" or title.strip().casefold() not in ENGLISH_HEADINGS.get(kind, frozenset()):
        return None
    known = LOCALES.get(base_language(language))
    return known.headings.get(kind) if known else None


__all__ = ["ENGLISH_HEADINGS", "LOCALES", "Locale", "base_language", "is_language", "locale", "localized_heading"]
