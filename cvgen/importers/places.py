"""Where an entry took place, read by its content (issue 11, point 4): the last parts of a text cut at its commas
that name a place, ending in a country, a state or a province ("Summer School on Causal Inference, Lisbon,
Portugal", "Visiting student, ETH Zurich, Zurich, Switzerland", "…, Berkeley, CA, USA"). A text ends in a place
only when its last part is a name this module knows: a town alone ("…, Lisbon") or an acronym ("…, ICML") is
no place, so a venue or a topic after a comma never becomes one."""

from __future__ import annotations

import re

# Countries as pages write them: English names and their usual short forms, and a few in their own language.
_COUNTRIES = """
Afghanistan|Albania|Algeria|Andorra|Angola|Argentina|Armenia|Australia|Austria|Azerbaijan|Bahamas|Bahrain|
Bangladesh|Barbados|Belarus|Belgium|Belize|Benin|Bhutan|Bolivia|Bosnia and Herzegovina|Botswana|Brazil|Brunei|
Bulgaria|Burkina Faso|Burundi|Cambodia|Cameroon|Canada|Chad|Chile|China|P\\.?R\\.? China|Colombia|Costa Rica|
Croatia|Cuba|Cyprus|Czech Republic|Czechia|Denmark|Dominican Republic|Ecuador|Egypt|El Salvador|Estonia|Eswatini|
Ethiopia|Fiji|Finland|France|Gabon|Gambia|Georgia|Germany|Ghana|Greece|Guatemala|Guinea|Haiti|Honduras|Hong Kong|
Hungary|Iceland|India|Indonesia|Iran|Iraq|Ireland|Israel|Italy|Jamaica|Japan|Jordan|Kazakhstan|Kenya|Korea|
South Korea|Republic of Korea|Kosovo|Kuwait|Kyrgyzstan|Laos|Latvia|Lebanon|Liberia|Libya|Liechtenstein|Lithuania|
Luxembourg|Macau|Macao|Madagascar|Malawi|Malaysia|Maldives|Mali|Malta|Mauritius|Mexico|Moldova|Monaco|Mongolia|
Montenegro|Morocco|Mozambique|Myanmar|Namibia|Nepal|Netherlands|The Netherlands|New Zealand|Nicaragua|Niger|
Nigeria|North Macedonia|Norway|Oman|Pakistan|Palestine|Panama|Paraguay|Peru|Philippines|Poland|Portugal|Qatar|
Romania|Russia|Rwanda|Saudi Arabia|Senegal|Serbia|Singapore|Slovakia|Slovenia|South Africa|Spain|Sri Lanka|Sudan|
Sweden|Switzerland|Syria|Taiwan|Tajikistan|Tanzania|Thailand|Togo|Tunisia|Turkey|Türkiye|Uganda|Ukraine|
United Arab Emirates|UAE|United Kingdom|UK|U\\.K\\.|United States|United States of America|USA|U\\.S\\.A\\.|US|
U\\.S\\.|Uruguay|Uzbekistan|Venezuela|Vietnam|Viet Nam|Yemen|Zambia|Zimbabwe|England|Scotland|Wales|
Northern Ireland|Deutschland|Österreich|Schweiz|Suisse|Svizzera|España|Italia|Nederland|Polska|Sverige|Norge|
Danmark|Suomi|Brasil|México|Česko|Magyarország|Ελλάδα|Россия|대한민국|한국|中国|中國|日本|台灣|台湾|香港|韓国
"""
# States and provinces written after their town ("Berkeley, CA"): the United States', Canada's and Australia's.
_REGIONS = """
Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Hawaii|Idaho|Illinois|Indiana|
Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan|Minnesota|Mississippi|Missouri|Montana|
Nebraska|Nevada|New Hampshire|New Jersey|New Mexico|New York|North Carolina|North Dakota|Ohio|Oklahoma|Oregon|
Pennsylvania|Rhode Island|South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|Washington|
West Virginia|Wisconsin|Wyoming|AL|AK|AZ|AR|CA|CO|CT|DE|DC|D\\.C\\.|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|
MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|Ontario|Quebec|Québec|
British Columbia|Alberta|Manitoba|Nova Scotia|ON|QC|BC|AB|MB|NS|New South Wales|Victoria|Queensland|NSW|VIC|QLD
"""


def _names(listed: str) -> str:
    return "|".join(name for name in listed.replace("\n", "").split("|") if name)


_COUNTRY = re.compile(rf"(?:{_names(_COUNTRIES)})")
_REGION = re.compile(rf"(?:{_names(_REGIONS)})")
# A town: one to three capitalised words (Saint-Étienne, São Paulo, New York City), or a name in CJK or Hangul.
_TOWN = re.compile(r"[A-ZÀ-ÖØ-Þ][^\W\d_]*\.?(?:[ -](?:[A-ZÀ-ÖØ-Þ][^\W\d_]*\.?|de|del|da|do|dos|di|la|le|am|an|der"
                   r"|sur|upon|on|en)){0,3}|[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]{1,8}")
# Words that name an organization or an event, never a town ("Google Research, USA").
_NOT_A_TOWN = re.compile(r"\b(?:Research|Universit\w*|Institut\w*|Lab\w*|Inc|Corp\w*|Cent(?:er|re)|School|College|"
                         r"Foundation|Company|Group|Workshop|Conference|Symposium|Society|Association|Summit|Meeting|"
                         r"Department|Faculty|Academy|Council|Agency|Ministry|Office|Team|AI|Labs)\b")
_COMMA = re.compile(r",[ \t]+")


def _is_town(text: str) -> bool:
    """Whether a part names a town: capitalised words, not an acronym ("ACM"), an organization or a country."""
    return not text.isupper() and _TOWN.fullmatch(text) is not None and not _NOT_A_TOWN.search(text) \
        and not _COUNTRY.fullmatch(text)


def place_start(text: str) -> int | None:
    """Where the place that ends a text starts, or None when the text ends otherwise: its last part a country, or
    a state or province after a town, with at most one town and one state before it ("Zurich, Switzerland",
    "Berkeley, CA, USA", "Berkeley, CA", "Portugal"); some text must stand before the place."""
    parts = _top_level_commas(text)
    if len(parts) < 2:
        return None
    names = [text[start:end] for start, end in parts]
    last = names[-1]
    if _COUNTRY.fullmatch(last):
        count = 1
        if len(names) > 3 and _REGION.fullmatch(names[-2]) and _is_town(names[-3]):
            count = 3  # "Berkeley, CA, USA"
        elif len(names) > 2 and _is_town(names[-2]):
            count = 2  # "Zurich, Switzerland"
    elif _REGION.fullmatch(last) and len(names) > 2 and _is_town(names[-2]):
        count = 2  # "Berkeley, CA"
    else:
        return None
    if not re.search(r"[^\W\d_]", "".join(names[: len(names) - count])):
        return None
    return parts[len(parts) - count][0]


def _top_level_commas(text: str) -> list[tuple[int, int]]:
    """The spans of a text's parts between its commas (a comma and a space), never inside brackets or emphasis."""
    spans, start = [], 0
    depth, seen = 0, 0  # brackets open before the comma, and the text read so far to count them (linear time)
    bold = {"**": 0, "__": 0}
    for match in _COMMA.finditer(text):
        before = text[seen : match.start()]
        depth += sum(before.count(opening) - before.count(closing) for opening, closing in _BRACKETS)
        for marker in bold:
            bold[marker] += before.count(marker)  # never split: each run ends at a comma
        seen = match.start()
        if depth or bold["**"] % 2 or bold["__"] % 2:
            continue
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return spans


_BRACKETS = (("(", ")"), ("[", "]"), ("<", ">"))


__all__ = ["place_start"]
