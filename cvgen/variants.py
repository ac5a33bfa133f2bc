"""Shapes of one CV: the sections each output shows, in their order (`sort`), and the variants the YAML defines
(`cvgen build --variant resume`): which sections, which entries (by tag, the selected ones, how many), which
theme, paper and engine.

Every command shapes the CV here, once, before its view is built, so every format shows the same shape. A
variant that names a section or tag the CV does not have is an error naming the variant's line.
"""

from __future__ import annotations

from typing import Any

from cvgen.dates import PartialDate, parse_date
from cvgen.errors import FieldPath, InputFileError, Origin, Problem, shown
from cvgen.markup import markup_text
from cvgen.model import (
    CV,
    Article,
    Award,
    Degree,
    GenericEntry,
    NewsItem,
    Position,
    Project,
    Publication,
    Section,
    Talk,
    Variant,
)

# The variant every CV has unless it defines its own `resume`: a short CV for an application.
BUILTIN_VARIANTS: dict[str, Variant] = {
    "resume": Variant(
        description="A one-to-two-page résumé: the opening text, education, positions, the selected papers (else "
                    "the first four), awards and projects, four entries a section at most",
        sections=["text", "education", "experience", "publications", "awards", "projects"], selected=True,
        limit=4),
}
_SEASON_MONTHS = {"spring": 3, "summer": 6, "fall": 9, "autumn": 9, "winter": 12}


def find_variant(cv: CV, name: str) -> Variant:
    """A variant by name: the CV's own, else a built-in one (the name is known: `shape` checked it)."""
    return cv.variants.get(name) or BUILTIN_VARIANTS[name]


def variant_names(cv: CV) -> list[str]:
    """The variants a CV can be built as: its own, then the built-in ones it does not redefine."""
    return [*cv.variants, *(name for name in BUILTIN_VARIANTS if name not in cv.variants)]


def shape(cv: CV, variant: str | None = None, origin: Origin | None = None) -> tuple[CV, dict[FieldPath, FieldPath]]:
    """The CV as its outputs show it: each section in its `sort` order, and, for a variant, only what the variant
    shows, with its theme and paper; an unknown variant, or a section or tag the CV does not have, is an error.
    Also where each moved section and entry stands in the YAML, by its place in the shaped CV (`("sections", 0)` →
    `("sections", 3)`), so that messages about the shaped CV name the right line."""
    if variant is None:
        if not any(section.sort != "as written" for section in _all_sections(cv)):
            return cv, {}
        shown_sections = [_sorted(section) for section in cv.sections]
        sorted_cv: CV = cv.model_copy(update={"sections": shown_sections})
        return sorted_cv, _moved([(("sections", index), section) for index, section in enumerate(cv.sections)],
                                 shown_sections)
    chosen = cv.variants.get(variant) or BUILTIN_VARIANTS.get(variant)
    source = origin.source if origin else "the CV"
    if chosen is None:
        known = ", ".join(variant_names(cv))
        raise InputFileError(source, [Problem(f"there is no variant {shown(variant)}; the CV has {known}", None,
                                              "variants")])
    builtin = variant not in cv.variants
    placed = cv.cv_sections()
    sections = [section for _, section in placed]
    picked = _picked(sections, chosen, variant, builtin, origin)
    _check_tags(sections, chosen, variant, origin)
    _check_limits(sections, chosen, variant, origin)
    kept = [(section, narrowed) for section in picked
            if (narrowed := _narrowed(_sorted(section, chosen.sort), chosen)) is not None]
    paths = {id(section): path for path, section in placed}
    design = cv.design.model_copy(update={key: value for key, value in (
        ("theme", chosen.theme), ("paper", chosen.paper), ("engine", chosen.engine)) if value})
    shaped: CV = cv.model_copy(update={"sections": [narrowed for _, narrowed in kept], "site": None,
                                       "design": design})
    return shaped, _moved([(paths[id(section)], section) for section, _ in kept], [narrowed for _, narrowed in kept])


def _moved(originals: list[tuple[FieldPath, Section]], shown_sections: list[Section]) -> dict[FieldPath, FieldPath]:
    """Where each shown section and entry stands in the YAML, by its place among the shown ones: `originals` are
    the sections as written, each with its path, in the order they are shown."""
    moved: dict[FieldPath, FieldPath] = {}
    for number, ((written, original), section) in enumerate(zip(originals, shown_sections, strict=True)):
        if written != ("sections", number):
            moved[("sections", number)] = written
        places = {id(item): index for index, item in enumerate(getattr(original, "items", []))}
        for index, item in enumerate(getattr(section, "items", [])):
            if places.get(id(item), index) != index or written != ("sections", number):
                moved[("sections", number, "items", index)] = (*written, "items", places.get(id(item), index))
    return moved


def _all_sections(cv: CV) -> list[Section]:
    return [*cv.sections, *(section for page in (cv.site.pages if cv.site else []) for section in page.sections)]


def _picked(sections: list[Section], variant: Variant, name: str, builtin: bool,
            origin: Origin | None) -> list[Section]:
    """The sections a variant names, in its order (each name an `id`, a heading or a kind); all when it names
    none."""
    if variant.sections is None:
        return sections
    picked: list[Section] = []
    problems = []
    for index, wanted in enumerate(variant.sections):
        found = [section for section in sections if _names(section, wanted)]
        if not found and not builtin:
            headings = ", ".join(dict.fromkeys(_heading(section) for section in sections if section.title))
            problems.append(Problem(
                f"no section is named {shown(wanted)} (by its id, heading or kind); the CV's headings: {headings}",
                origin.line(("variants", name, "sections", index)) if origin else None,
                f"variants.{name}.sections[{index}]"))
        picked += [section for section in found if all(section is not other for other in picked)]
    if problems:
        raise InputFileError(origin.source if origin else "the CV", problems)
    return picked


def _names(section: Section, wanted: str) -> bool:
    key = wanted.strip().casefold()
    return key in ((section.id or "").casefold(), _heading(section).casefold(), section.kind)


def _heading(section: Section) -> str:
    return markup_text(section.title).strip()


def _check_tags(sections: list[Section], variant: Variant, name: str, origin: Origin | None) -> None:
    """A tag no entry carries is an error (a misspelt tag would silently empty the variant)."""
    carried = {tag for section in sections for entry in getattr(section, "items", []) for tag in
               getattr(entry, "tags", [])}
    problems = [Problem(f"no entry carries the tag {shown(tag)}" + (
        f"; the CV's tags: {', '.join(sorted(carried))}" if carried else "; give entries `tags: [...]`"),
        origin.line(("variants", name, "tags", index)) if origin else None, f"variants.{name}.tags[{index}]")
        for index, tag in enumerate(variant.tags or []) if tag not in carried]
    if problems:
        raise InputFileError(origin.source if origin else "the CV", problems)


def _check_limits(sections: list[Section], variant: Variant, name: str, origin: Origin | None) -> None:
    """A limit below 1, or one for a section the CV does not have, is an error."""
    problems = []
    if variant.limit is not None and variant.limit < 1:
        problems.append(Problem(f"a limit of {variant.limit} shows nothing; give 1 or more",
                                origin.line(("variants", name, "limit")) if origin else None, f"variants.{name}.limit"))
    for key, count in variant.limits.items():
        where = (origin.line(("variants", name, "limits", key)) if origin else None, f"variants.{name}.limits.{key}")
        if count < 1:
            problems.append(Problem(f"a limit of {count} shows nothing; give 1 or more", *where))
        elif not any(_names(section, key) for section in sections):
            problems.append(Problem(f"no section is named {shown(key)} (by its id, heading or kind)", *where))
    if problems:
        raise InputFileError(origin.source if origin else "the CV", problems)


def _narrowed(section: Section, variant: Variant) -> Section | None:
    """A section with only the entries a variant shows (where the section tags or selects any of its entries,
    those it asks for), at most its limit; None when the section has entries and shows none of them."""
    items: list[Any] | None = getattr(section, "items", None)
    if items is None or isinstance(items and items[0], str):  # prose, interests: shown whole
        return section
    kept = list(items)
    if variant.tags and any(getattr(entry, "tags", []) for entry in kept):  # a section that tags its entries
        kept = [entry for entry in kept if set(getattr(entry, "tags", [])) & set(variant.tags)]
    if variant.selected and any(getattr(entry, "selected", False) for entry in kept):
        kept = [entry for entry in kept if getattr(entry, "selected", False)]
    limit = next((count for key, count in variant.limits.items() if _names(section, key)), variant.limit)
    if limit is not None:
        kept = kept[:limit]
    if items and not kept:
        return None
    narrowed: Section = section.model_copy(update={"items": kept})
    return narrowed


def _sorted(section: Section, sort: str | None = None) -> Section:
    """A section's entries in its order: as written, or newest first (by the latest date an entry names; entries
    without one keep their place among themselves, after the dated ones)."""
    if (sort or section.sort) != "newest first" or not hasattr(section, "items"):
        return section
    items = list(section.items)
    latest = [_latest(entry) for entry in items]
    dated = sorted((index for index, key in enumerate(latest) if key is not None),
                   key=lambda index: latest[index] or (0, 0, 0), reverse=True)
    order = dated + [index for index, key in enumerate(latest) if key is None]
    ordered: Section = section.model_copy(update={"items": [items[index] for index in order]})
    return ordered


def _latest(entry: object) -> tuple[int, int, int] | None:
    """The latest date an entry names, as (year, month, day), 'present' last of all."""
    dates: list[str | None]
    match entry:
        case NewsItem() | Award() | Article():
            dates = [entry.date]
        case Publication():
            dates = [str(entry.year) if entry.year else None]
        case Degree() | Position() | Project() | GenericEntry():
            dates = [entry.start, entry.end]
        case Talk():
            dates = [venue.date for venue in entry.venues]
        case _:
            dates = []
    keys = [_key(parse_date(date)) for date in dates if date]
    return max(keys) if keys else None


def _key(date: PartialDate) -> tuple[int, int, int]:
    if date.present:
        return (10_000, 0, 0)
    month = date.month or _SEASON_MONTHS.get(date.season or "", 0)
    return (date.year, month, date.day or 0)


__all__ = ["BUILTIN_VARIANTS", "find_variant", "shape", "variant_names"]
