"""A degree or a position read by its content, wherever its parts stand (issue 11, point 2): the dates found
anywhere in the line ("*2019 - 2024*, Ph.D. in …", "… (2016 – 2020)"), the rest cut at its commas into parts,
and each part named by what it says: a degree ("Ph.D. in Physics", "M.Sc.", "박사"), an institution (a
university, an institute, a school), a role ("Research Intern", "Postdoctoral Fellow"), an organization (a
company or a lab). Where a part says nothing cvgen can name, the entry is not read this way and stays a
generic entry: a degree needs its degree and institution named; a position its role, and its organization
too when the organization comes first; an organization that is a course (a code, a year, an italic title) is
none. A talk is its title in quotes, bold or italics, then where it was given: what it was first where a word
says so ("invited talk", "poster"), the rest its venue; after its date, a note in parentheses says what it was
("(invited)") and other text is its place.

The parts are Markdown as the page writes it; `markup` turns one into cvgen markup. How the entry arranges
them becomes its layout when the fields are found back in its text (`entries.type_kind`)."""

from __future__ import annotations

import re
from collections.abc import Callable

from cvgen.importers.entries import texts_around_dates
from cvgen.model import Degree, Position, Talk
from cvgen.records import ValidationError
from cvgen.renderers.list_kinds import COURSE
from cvgen.slots import unbraced

_EMPHASIS = r"[*_]{0,2}"
DEGREE = re.compile(
    _EMPHASIS + r"(?:Ph\.?\s?D\.?|D\.?Phil\.?|Dr\.(?:\s?[a-z]+\.){1,3}|Doctor(?:ate)?(?: of [A-Z][a-z]+)?|Doctorat"
    r"|Promotion|M\.\s?S(?:c)?\.?|MS(?:c)?|M\.\s?A\.|M\.\s?Eng\.?|MEng|M\.\s?Phil\.?|MPhil|MBA|M\.\s?Res\.?"
    r"|Master(?:'s)?(?: of [A-Z][a-z]+)?|B\.\s?S(?:c)?\.?|BS(?:c)?|B\.\s?A\.|B\.\s?Eng\.?|BEng|B\.\s?Tech\.?"
    r"|Bachelor(?:'s)?(?: of [A-Z][a-z]+)?|Licence|Diplom|Magister|Laurea|박사(?:과정)?|석사(?:과정)?|학사"
    r"|석박(?:사)?통합과정|博士(?:研究生)?|硕士(?:研究生)?|學士|学士|修士|本科)(?![\w])")
_FIELD = re.compile(r"\s+(?:in|of|en|in der|im)\s+(?=\S)")
INSTITUTION = re.compile(
    r"Universit|Universidad|Università|Institut|College|School|Academy|Polytechnic|Hochschule|École|Ecole|"
    r"대학교|대학원|과학기술원|大学|大學|学院|學院|KAIST|POSTECH|ETH|EPFL|MIT|UCL|CMU|UC [A-Z]", re.I)
ROLE = re.compile(
    r"\b(?:Intern|Researcher|Engineer|Scientist|Professor|Lecturer|Assistant|Associate|Fellow|Postdoc|Developer"
    r"|Manager|Director|Consultant|Analyst|Head|Lead|Leader|Visiting|Member|Instructor|Tutor|Founder|Chair)(?:s|ship)?\b"
    r"|Postdoctoral|Mitarbeiter|연구원|인턴|교수|研究员|实习|助教|教授|研究員|インターン", re.I)
ORGANIZATION = re.compile(
    INSTITUTION.pattern + r"|Lab\b|Labs\b|Laborator|Research\b|Center|Centre|Inc\b|Corp|Company|GmbH|Ltd|LLC|"
    r"Foundation|Hospital|Google|Meta\b|Microsoft|Amazon|Apple|NVIDIA|IBM|DeepMind|OpenAI|Samsung|Naver|Kakao", re.I)
_PART_SEPARATOR = re.compile(r",\s+|，\s*|\s+—\s+")
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
AT = re.compile(r"\s+at\s+")  # "Research Intern at Google"


def read_by_content(kind: str, markdown: str,
                    markup: Callable[[str], str | None]) -> Degree | Position | Talk | str | None:
    """A line of Markdown read as a degree, a position or a talk by what its parts say; or why it is not one;
    None for the other kinds, which only their reader of cvgen's own layout reads."""
    if kind not in ("education", "experience", "talks"):
        return None
    texts = texts_around_dates(markdown)
    if isinstance(texts, str):
        return texts
    pieces, values, start, end, _ = texts
    if kind == "talks":
        return _talk(pieces, values, start, end, markup)
    if set(values) - {"when"} != {"title"}:
        return "text on both sides of its dates"
    if "when" in values and kind != "experience":
        return "dates that are not one period"  # a degree has one
    parts = _parts(unbraced(values["title"]))
    fields = _degree(parts) if kind == "education" else _position(parts)
    if isinstance(fields, str):
        return fields
    if "when" in values:
        fields["when"] = unbraced(values["when"])  # "Teaching Assistant, …, Orrin University (Fall 2022, Fall 2023)"
    written = {name: markup(value) for name, value in fields.items() if value}
    if any(value is None for value in written.values()):
        return "markup cvgen cannot write back the same way"
    try:
        item: Degree | Position = (Degree if kind == "education" else Position).model_validate(
            {**written, "start": start, "end": end})
    except ValidationError as error:
        return str(error.errors()[0]["msg"]).removeprefix("Value error, ")
    return item


# A talk's title at the start of its text: in quotes (a full stop or comma inside the closing quote is the
# layout's; corner brackets too), in bold or in italics; then what joins it to the rest.
_TALK_TITLE = re.compile(r'(?:"(?P<quoted>[^"]+?)[.,]?"|“(?P<curly>[^“”]+?)[.,]?”|\*\*(?P<bold>[^*]+)\*\*'
                         r"|(?P<mark>[*_])(?P<italic>[^*_]+)(?P=mark)"
                         r"|「(?P<corner>[^「」]+)」|『(?P<white_corner>[^『』]+)』)"  # Japanese and Korean quotes
                         r"(?=$|[.,:;]?\s)[.,:;]?\s*(?:[—–-]\s+)?")
_TALK_TYPE = re.compile(
    r"(?:(?:invited|contributed|keynote|plenary|oral|spotlight|lightning|guest|seminar|colloquium|thesis"
    r"|defen[cs]e|public|job)\s+)*(?:talk|lecture|presentation|keynote|poster|tutorial|seminar|colloquium"
    r"|panel(?:ist)?|defen[cs]e|webinar)", re.I)


def _talk(pieces: list[str], values: dict[str, str], start: str | None, end: str | None,
          markup: Callable[[str], str | None]) -> Talk | str:
    """A talk's fields from the text around its date (see the module's text): the template's pieces, with the
    text before it as `title` and the text after it, if any, as `subtitle`."""
    if end is not None:
        return "a talk given over a period"
    title = _TALK_TITLE.match(values["title"])
    if title is None:
        return "no talk title in quotes, bold or italics"
    parts = _parts(values["title"][title.end():].rstrip(" .,;"))
    if not parts:
        return "no place where the talk was given"
    what = parts.pop(0) if len(parts) > 1 and _TALK_TYPE.fullmatch(parts[0]) else None  # 'invited talk'
    after = values.get("subtitle")
    in_parentheses = any("({subtitle})" in piece for piece in pieces)
    note = after if after and in_parentheses and not what else None
    place = _trailing_place(parts) if not after else 0  # "APS March Meeting, Minneapolis, MN, 5 March 2024"
    venue, location = parts[: len(parts) - place], ", ".join(parts[len(parts) - place:]) or None
    fields = {"type": what or note, "venue": ", ".join(venue), "location": location if place else None if note
              else after}
    text = next(found for found in title.group("quoted", "curly", "bold", "italic", "corner", "white_corner")
                if found is not None)
    written = {name: markup(value) for name, value in {"title": text, **fields}.items() if value}
    if any(value is None for value in written.values()):
        return "markup cvgen cannot write back the same way"
    title_text = written.pop("title")
    try:
        talk: Talk = Talk.model_validate({"title": title_text, "venues": [{**written, "date": start}]})
    except ValidationError as error:
        return str(error.errors()[0]["msg"]).removeprefix("Value error, ")
    return talk


def _trailing_place(parts: list[str]) -> int:
    """How many of a talk's last parts name the place it was given: a town and its state or country ("Minneapolis,
    MN", "Cambridge, UK", "Daejeon, South Korea"), two or three parts of a few capitalised words each, after the
    venue; 0 when they do not (a lone "NeurIPS" after a workshop's name is part of the venue)."""
    count = 0
    while count < min(3, len(parts) - 1) and _PLACE_PART.fullmatch(parts[len(parts) - 1 - count].strip()):
        count += 1
    return count if count >= 2 else 0


# A part of a place: one to three capitalised words without digits, or a state's or country's capitals ("MN").
_PLACE_PART = re.compile(r"[A-ZÀ-ÖØ-Þ][^\W\d_]*\.?(?:[ -][A-ZÀ-ÖØ-Þ][^\W\d_]*\.?){0,2}|[A-Z]{2,3}")


def _parts(text: str) -> list[str]:
    """The text cut at its commas (and dashes between words), never inside brackets, a tag or emphasis."""
    parts, start = [], 0
    for match in _PART_SEPARATOR.finditer(text):
        before = text[start : match.start()]
        depth = sum(text.count(opening, 0, match.start()) - text.count(closing, 0, match.start())
                    for opening, closing in (("(", ")"), ("[", "]"), ("<", ">")))
        if depth or text.count("**", 0, match.start()) % 2 or text.count("__", 0, match.start()) % 2:
            continue
        parts.append(before)
        start = match.end()
    parts.append(text[start:])
    return [part for part in parts if part]


def _degree(parts: list[str]) -> dict[str, str | None] | str:
    """A degree's fields from its parts: the degree (with 'in <field>'), the institution, the field between
    them, the location after; in either order ("Ph.D. in X, University", "University, Ph.D. in X")."""
    degree_at = next((index for index, part in enumerate(parts) if DEGREE.match(part)), None)
    institution_at = next((index for index, part in enumerate(parts) if index != degree_at
                           and INSTITUTION.search(part)), None)
    if degree_at is None or institution_at is None:
        return "no degree and institution cvgen can name"
    degree, field = parts[degree_at], None
    named = DEGREE.match(degree)
    split = _FIELD.search(degree, named.end()) if named else None  # "Master of Science in X": after the degree
    if split is not None and _whole_degree(degree[: split.start()]):
        degree, field = degree[: split.start()], degree[split.end():]
    between = [part for index, part in enumerate(parts) if min(degree_at, institution_at) < index
               < max(degree_at, institution_at)]
    before = parts[: min(degree_at, institution_at)]
    if before or len(between) > 1 or (between and field):
        return "parts of a degree cvgen cannot name"
    return {"degree": degree, "field": field or (between[0] if between else None),
            "institution": parts[institution_at],
            "location": ", ".join(parts[max(degree_at, institution_at) + 1:]) or None}


def _whole_degree(text: str) -> bool:
    """Whether a text is a degree and nothing else, its emphasis and a note in parentheses aside ("**Doctorat**",
    "Promotion (Dr. rer. nat.)")."""
    match = DEGREE.match(text)
    return match is not None and re.fullmatch(r"\s*(?:\([^()]*\))?[*_]*", text[match.end():]) is not None


def _position(parts: list[str]) -> dict[str, str | None] | str:
    """A position's fields from its parts: "Role at Organization[, Location]", or the role and the
    organization in either order, then the location."""
    first = AT.split(parts[0], maxsplit=1)
    if len(first) == 2 and ROLE.search(first[0]):
        return {"role": first[0], "organization": first[1], "location": ", ".join(parts[1:]) or None}
    if len(parts) < 2:
        return "no role and organization cvgen can name"
    role_at = 0 if ROLE.search(parts[0]) else 1 if ROLE.search(parts[1]) and ORGANIZATION.search(parts[0]) else None
    organization = parts[1 - role_at] if role_at is not None else None
    italic = re.fullmatch(r"([*_])(?![*_]).*(?<![*_])\1", organization or "")  # a course's title
    if role_at is None or organization is None or COURSE.search(organization) or _YEAR.search(organization) \
            or italic:
        return "no role and organization cvgen can name"
    return {"role": parts[role_at], "organization": organization, "location": ", ".join(parts[2:]) or None}


__all__ = ["AT", "COURSE", "DEGREE", "INSTITUTION", "ORGANIZATION", "ROLE", "read_by_content"]
