"""How an entry writes its fields, as data (issue 11, point 3): a paper's layout is its Markdown with each field
replaced by a slot (`**{title}** \\\\\\n{authors} \\\\\\n*{venue}*, {year}`), plus how its author list and its
link run are written (separators, the owner's emphasis, marks, the link form). One writer fills a layout with an
entry's fields; an entry is typed only when the filled layout is its Markdown exactly (the fit-and-check step).

A section's entries share a layout when they are written alike; an entry written otherwise keeps its own.
The layouts are the model's (`EntryLayout`, stored in the YAML); this module derives them from entries and merges
a section's layouts into one; `cvgen.slots.fill` fills them, for the importer's check and the page writer alike.
"""

from __future__ import annotations

import difflib
import re

from cvgen.importers.fields import SITE_ADDRESS
from cvgen.model import EQUAL_CONTRIBUTION, AuthorsLayout, EntryLayout, LinksLayout
from cvgen.slots import (
    OPTIONAL,
    OPTIONAL_MARKS,
    SLOT,
    SLOT_OR_BRACE,
    AuthorField,
    PaperFields,
    braced,
    unbraced,
    year_inside,
)

# Words a layout may hold as its own text (they read the same whatever the entry): "In *Venue*", a legend.
LAYOUT_WORDS = frozenset({"link", "with", "in", "and", "vol", "pp", "no", "equal", "contribution", "contributions",
                          "indicates", "denotes", "et", "al", "eds", "ed", "edited", "by"})


def replace_once(template: str, value: str | None, slot: str) -> str | None:
    """The template with the first occurrence of a value (outside slots) made a slot; None when it is not there."""
    if not value:
        return template
    value = braced(value)
    index = _free_index(template, value)
    return None if index < 0 else template[:index] + "{" + slot + "}" + template[index + len(value):]


def _free_index(template: str, value: str) -> int:
    """Where a value first stands in the template outside a slot and not inside a longer word, or -1. The value
    is braced: it must not start or end inside a slot or inside a doubled brace (`{{` stands for one `{`)."""
    tokens = [(match.start(), match.end()) for match in SLOT_OR_BRACE.finditer(template)]
    inside = {position for start, end in tokens for position in range(start + 1, end)}
    slot_starts = [match.start() for match in SLOT.finditer(template)]
    start = 0
    while (index := template.find(value, start)) >= 0:
        end = index + len(value)
        glued = (index and _glued(template[index - 1], value[0])) or (
            end < len(template) and _glued(value[-1], template[end]))
        covers_slot = any(index <= slot < end for slot in slot_starts)
        if index not in inside and end not in inside and not covers_slot and not glued:
            return index
        start = index + 1
    return -1


def _glued(left: str, right: str) -> bool:
    """Whether two characters side by side are one word: letters or digits, neither of a script written without
    spaces ("2024年" is a year and a character, not one word)."""
    return left.isalnum() and right.isalnum() and not (_UNSPACED.match(left) or _UNSPACED.match(right))


_UNSPACED = re.compile("[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")
# One or more marks after a name, as written: an escaped or bare star (not the ** that closes bold), a dagger…
_MARK = re.compile(r"(?:\\\*|<sup>[^<]*</sup>|\$\^(?:\{\{)?\\?[a-z*]*(?:\}\})?\$|[†‡#§¶]|(?<!\*)\*(?!\*))+")


def _author_form(text: str, author: AuthorField) -> tuple[str, str] | None:
    """One author's text as a form with {name} and {mark} slots, and the mark as written; None if not found."""
    index = text.find(author.name)
    if index < 0:
        return None
    form = text[:index] + "{name}" + text[index + len(author.name):]
    written_mark = ""
    if author.marks:
        match = _MARK.search(form[form.index("{name}"):])
        if match is None:
            return None
        start = form.index("{name}") + match.start()
        written_mark = match.group(0)
        form = form[:start] + "{mark}" + form[start + len(written_mark):]
        written_mark = unbraced(written_mark)
    else:
        form += "{mark}"  # no mark: where one would go is not written; after the name and its emphasis
    return form, written_mark


def _authors_span(template: str, authors: list[AuthorField]) -> tuple[int, int, AuthorsLayout, list[str]] | None:
    """Where the author list stands, its layout, and each author's mark as written."""
    first = _free_index(template, authors[0].name)
    if first < 0:
        return None
    # The list starts where its first name's emphasis opens.
    opening = re.search(r"(\*\*|__|<(?:b|strong|u)>|<span[^>]*>\s*\*\*)$", template[:first]) if authors[0].emphasised \
        else None
    start = first - len(opening.group(0)) if opening else first
    pieces: list[str] = []
    separators: list[str] = []
    position = start
    for index, author in enumerate(authors):
        found = template.find(author.name, position)
        if found < 0:
            return None
        if index:
            # Between two names: the closing of the last (emphasis, marks) and a separator, then the opening of this.
            gap = template[position:found]
            split = re.search(r"(,\s*(?:and\s+|&\s+)?|\s+(?:and|und|et|&)\s+|、|，)", gap) or (
                re.search(r"\s+", gap) if author.name.startswith("et al") else None)  # "**Name** *et al.*"
            if split is None:
                return None
            pieces[-1] += gap[: split.start()]
            separators.append(split.group(0))
            pieces.append(gap[split.end():] + author.name)
        else:
            pieces.append(template[start:found] + author.name)
        position = found + len(author.name)
    tail = re.match(r"(\\\\?\*|<sup>[^<]*</sup>|\$\^(?:\{\{)?\\?[a-z*]*(?:\}\})?\$|[†‡#§¶*]|\*\*|__|</(?:b|strong|u)>"
                    r"|\s*</span>)*",
                    template[position:])
    pieces[-1] += tail.group(0) if tail else ""
    end = position + (len(tail.group(0)) if tail else 0)
    forms = [_author_form(piece, author) for piece, author in zip(pieces, authors, strict=True)]
    if any(form is None for form in forms):
        return None
    plain = {form[0] for form, author in zip(forms, authors, strict=True) if form and not author.emphasised}
    emphasised = {form[0] for form, author in zip(forms, authors, strict=True) if form and author.emphasised}
    if len(plain) > 1 or len(emphasised) > 1:
        return None  # names written in several ways: not one layout
    inner = set(separators[:-1])
    if len(inner) > 1:
        return None
    separator = next(iter(inner)) if inner else (separators[-1] if separators else ", ")
    plain_form = next(iter(plain), "{name}{mark}")
    # No name emphasised: the page does not emphasise the owner here, so the owner is written as the others.
    layout = AuthorsLayout(separator=separator, last_separator=separators[-1] if separators else separator,
                           plain=plain_form, emphasised=next(iter(emphasised), plain_form))
    return start, end, layout, [form[1] for form in forms if form]


# A link as a template holds it: Markdown (its target may hold Liquid, its braces doubled), HTML, or a bare URL.
_LINK_FORM = re.compile(r"\[\[?[^\[\]]*\]?\]\((?:\{\{\{\{[^{}]*\}\}\}\}|[^()\s])*\)|<a [^>]*>.*?</a>|<https?://[^<>\s]*>",
                        re.S)


def derive(source: str, fields: PaperFields) -> EntryLayout | None:
    """The layout of one paper's Markdown, its marks as written in its author layout; None when a field is not
    found as written, or one mark is written two ways (then the entry is not typed)."""
    template = braced(source)
    links_layout = None
    if fields.links:
        found_links = links_span(template, fields.links)
        if found_links is None:
            return None
        start, end, links_layout = found_links
        template = template[:start] + "{links}" + template[end:]
    authors_layout = None
    authors = fields.authors or fields.coauthors  # co-authors only: "With A and B", the owner left out
    if authors:
        found = _authors_span(template, authors)
        if found is None:
            return None
        start, end, authors_layout, written_marks = found
        marks = _written_marks(authors, written_marks)
        if marks is None:
            return None
        legend = _LEGEND_AFTER.match(template, end) if any("*" in author.marks for author in authors) else None
        authors_layout = authors_layout.model_copy(update={
            "marks": marks[0], "owner_marks": marks[1], "owner_written": bool(fields.authors),
            "legend": unbraced(legend.group(0)) if legend else None})
        template = template[:start] + "{authors}" + template[legend.end() if legend else end:]
    for slot in ("title", "title_url", "venue", "details", "award", "note", "label", "year"):
        value = fields.title_written or fields.title if slot == "title" else getattr(fields, slot)
        slotted = replace_once(template, value, slot)
        if slotted is None and slot == "year" and year_inside(fields):
            continue  # the year is written only inside the venue or the date ("NeurIPS 2022 Workshop")
        if slotted is None:
            return None
        template = slotted
    return EntryLayout(template=template, authors=authors_layout, links=links_layout)


def _written_marks(authors: list[AuthorField], written: list[str]) -> tuple[dict[str, str], dict[str, str]] | None:
    """How each mark is written after a co-author's name, and after the owner's where no co-author's is written
    the same ('<u>Name*</u>' beside 'Co Author\\*'); None when one mark is written two ways in either."""
    marks: dict[str, str] = {}
    owner_marks: dict[str, str] = {}
    for author, form in zip(authors, written, strict=True):
        if author.marks and (owner_marks if author.emphasised else marks).setdefault(author.marks, form) != form:
            return None
    return marks, _own_marks(marks, owner_marks)


def _own_marks(marks: dict[str, str], owner_marks: dict[str, str]) -> dict[str, str]:
    """The owner's marks that are not written as the co-authors' are."""
    return {mark: form for mark, form in owner_marks.items() if marks.get(mark) != form}


# The legend after an author list that says what its star means: " (\\*: equal contribution)".
_LEGEND_AFTER = re.compile(r"[ \t]*\((?:\\?\*)+\s*(?::|=|denotes|indicates)?\s*" + EQUAL_CONTRIBUTION + r"\.?\)",
                           re.I)


def links_span(template: str, links: list[tuple[str, str]]) -> tuple[int, int, LinksLayout] | None:
    """Where a paper's run of links stands and how it is written; None when its links are written in several
    ways or apart."""
    forms, spans = [], []
    written = iter(_LINK_FORM.finditer(template))  # the page's links, in order, found once
    for label, url in links:
        # A link with the paper's URL and the link's label (the title may link to the same URL).
        match = next((match for match in written if braced(url) in match.group(0) and label in match.group(0)), None)
        if match is None:
            return None
        form = unbraced(match.group(0))  # as the page writes it: "({{ site.url }}{url})"
        if not _SAFE_LINK_FORM.fullmatch(form.replace(url, "", 1)):
            return None  # Liquid other than the site's address before the path
        forms.append(form.replace(url, "{url}", 1).replace(label, "{label}", 1))
        spans.append((match.start(), match.end()))
    between = {template[spans[index][1]:spans[index + 1][0]] for index in range(len(spans) - 1)}
    # Links to the site's own paths may carry its address ("{{ site.url }}"); the others are written alike.
    site = {form for form in forms if SITE_ADDRESS.search(form)}
    plain = set(forms) - site
    if len(site) > 1 or len(plain) > 1 or len(between) > 1 or any("\n" in gap and gap.strip() for gap in between):
        return None
    site_link = next(iter(site), None)
    link = next(iter(plain), None) or SITE_ADDRESS.sub("", site_link or "")
    return spans[0][0], spans[-1][1], LinksLayout(link=link, site_link=site_link, separator=next(iter(between), " "))


# A link form holds no Liquid but the site's address before the path ("[[pdf]]({{ site.url }}{url})").
_SAFE_LINK_FORM = re.compile(r"(?:[^{}]|" + SITE_ADDRESS.pattern + r")*")


def layout_words(layout: EntryLayout) -> list[str]:
    """The words a layout writes as its own text, outside its slots and HTML tags, that are not the few every
    entry may share ("In", a legend's): each is text of the entry that no field holds."""
    text = SLOT_OR_BRACE.sub(" ", OPTIONAL_MARKS.sub(" ", layout.template))
    text = re.sub(r"<[^<>]*>|&#?\w+;", " ", text)  # tags and entities (&nbsp;) are no words
    return [word for word in re.findall(r"[^\W_]+", text) if word.casefold() not in LAYOUT_WORDS]


_TOKENS = re.compile(r"\{\w+\}|.", re.S)


def _tokens(template: str) -> list[str]:
    """A template's slots and each character between them: a part one entry leaves out may be a few characters of
    the text around a slot ("*{venue} {year}* · {links}" beside "*{venue} {year}*")."""
    return _TOKENS.findall(template)


def generalize(layouts: list[EntryLayout]) -> EntryLayout | None:
    """One layout for a section's entries that differ only in parts some of them leave out (a details or links
    slot with the punctuation around it): those parts become optional (`{?, {details}?}`). None when the entries
    are written in other ways (different author lists, links, or text that is not around an absent slot)."""
    if not layouts:
        return None
    authors_layouts = [layout.authors for layout in layouts if layout.authors is not None]
    links_layouts = [layout.links for layout in layouts if layout.links is not None]
    authors = _merged_authors(authors_layouts) if authors_layouts else None
    links = _merged_links(links_layouts) if links_layouts else None
    sinces = {layout.since for layout in layouts if layout.since is not None}
    if (authors_layouts and authors is None) or (links_layouts and links is None) or len(sinces) > 1:
        return None  # author lists, links or periods to the present written in several ways
    base = max(layouts, key=lambda layout: (len(SLOT.findall(layout.template)), len(layout.template)))
    tokens = _tokens(base.template)
    optional = _left_out(tokens, layouts)
    if optional is None:
        return None
    parts, index = [], 0
    while index < len(tokens):
        if not optional[index]:
            parts.append(tokens[index])
            index += 1
            continue
        end = index
        while end < len(tokens) and optional[end]:
            end += 1
        left_out = "".join(tokens[index:end])
        parts.append(left_out if OPTIONAL.fullmatch(left_out) else "{?" + left_out + "?}")  # optional already
        index = end
    return EntryLayout(template="".join(parts), authors=authors, links=links, since=next(iter(sinces), None))


def _left_out(tokens: list[str], layouts: list[EntryLayout]) -> list[bool] | None:
    """For each token of the fullest template, whether some layout leaves it out (a slot and the text around it);
    None when a layout differs otherwise."""
    optional = [False] * len(tokens)
    for layout in layouts:
        matcher = difflib.SequenceMatcher(None, tokens, _tokens(layout.template), autojunk=False)
        for tag, first, last, _, _ in matcher.get_opcodes():
            if tag == "equal":
                continue
            if tag != "delete" or not any(SLOT.fullmatch(token) for token in tokens[first:last]):
                return None  # not an absent slot: written otherwise
            optional[first:last] = [True] * (last - first)
    return optional


def _merged_authors(layouts: list[AuthorsLayout]) -> AuthorsLayout | None:
    """One author layout for lists that are written alike, each saying only what it shows: a list without a
    mark says nothing of how one is written, nor of where it goes in a name's form (`<u>{name}</u>{mark}` beside
    `<u>{name}{mark}</u>`). None when they say different things."""
    first = layouts[0]
    if any((layout.separator, layout.last_separator, layout.pair, layout.owner_written) != (
            first.separator, first.last_separator, first.pair, first.owner_written) for layout in layouts):
        return None
    plain = _merged_form([layout.plain for layout in layouts])
    emphasised = _merged_form([layout.emphasised for layout in layouts])
    marks = _merged_marks([layout.marks for layout in layouts])
    owner_marks = _merged_marks([layout.owner_marks for layout in layouts])
    legends = {layout.legend for layout in layouts if layout.legend}
    if plain is None or emphasised is None or marks is None or owner_marks is None or len(legends) > 1:
        return None
    merged: AuthorsLayout = first.model_copy(update={
        "plain": plain, "emphasised": emphasised, "marks": marks, "owner_marks": _own_marks(marks, owner_marks),
        "legend": next(iter(legends), None)})
    return merged


def _merged_form(forms: list[str]) -> str | None:
    """One name form for forms that differ only where a name without a mark puts `{mark}` (at the end): the form
    that places it, else the form all share; None when they differ otherwise."""
    distinct = set(forms)
    if len(distinct) == 1:
        return forms[0]
    placed = {form for form in distinct if not form.endswith("{mark}")}
    if len({form.replace("{mark}", "") for form in distinct}) != 1 or len(placed) != 1:
        return None
    return placed.pop()


def _merged_marks(marks: list[dict[str, str]]) -> dict[str, str] | None:
    """Every mark's form, where no two lists write it differently."""
    merged: dict[str, str] = {}
    for each in marks:
        for mark, form in each.items():
            if merged.setdefault(mark, form) != form:
                return None
    return merged


def _merged_links(layouts: list[LinksLayout]) -> LinksLayout | None:
    """One link-run layout for runs written alike: a run of one link says nothing of the separator."""
    forms = {(layout.link, layout.site_link) for layout in layouts}
    separators = {layout.separator for layout in layouts} - {" "}
    if len(forms) > 1 or len(separators) > 1:
        return None
    merged: LinksLayout = layouts[0].model_copy(update={"separator": next(iter(separators), " ")})
    return merged


def most_common(layouts: list[EntryLayout]) -> list[EntryLayout]:
    """The distinct layouts, the most common first (records are compared by their data, not hashed)."""
    counts: dict[str, tuple[int, EntryLayout]] = {}
    for layout in layouts:
        key = repr(layout.model_dump())
        counts[key] = (counts.get(key, (0, layout))[0] + 1, layout)
    return [layout for _, layout in sorted(counts.values(), key=lambda pair: -pair[0])]


def shared(layouts: list[EntryLayout]) -> EntryLayout | None:
    """The section's layout: the most common entry layout, generalised over every other entry that differs from
    it only in parts it leaves out (those entries then share it; the rest keep their own). None for none."""
    if not layouts:
        return None
    kept: list[EntryLayout] = []
    general = None
    for layout in most_common(layouts)[:_GENERALISED]:
        candidate = generalize([*kept, layout])
        if candidate is not None:
            kept.append(layout)
            general = candidate
    return general


# The most common layouts of a section tried in its one general layout: each try compares the layouts kept so far,
# so a page of many layouts each one of its own costs no more than these (the rest keep their own).
_GENERALISED = 32


__all__ = ["derive", "generalize", "layout_words", "links_span", "most_common", "replace_once", "shared"]
