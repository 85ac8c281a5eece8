"""Rules that clean the place mentions of one article before claims are located.

The gazetteer (processors/places.py) and its pattern readers find names; wire copy then
needs an analyst's second look. Each rule is a pure function over the article text and its
:class:`PlaceMatch` list, named so that a test can point at it:

* ``lost_possessive``: scraped copy drops apostrophes, so "Yemen's" arrives as "Yemens".
  A capitalised word ending in "s" that the gazetteer lacks, whose stem is a country, a
  region or a large city, is that place ("Yemens Houthi rebels" -> Yemen).
* ``headline_phrase``: a title-case headline capitalises every word, so "20 Killed In
  Deadly Market Blast" reads like a town after "in". A name the gazetteer lacks is no place
  when one of its words is an event or headline word, or when it only appears in a
  title-case line.
* ``description``: "a mainly Druze-populated suburb" describes a place, it does not name
  one (an indefinite article, or a "-populated"/"-held" adjective).
* ``route_end``: "the highway linking A with B", "the road between A and B", "the A–B
  highway" name a road by its ends; neither end is where a figure of the sentence is
  ("hamlets were cut off by rockfalls on the road linking A with the port town of B").
* ``feature_name``: "the X River", "the X valley", "the X Delta" name a natural feature
  after a place; the feature is no place a figure is at.
* ``part_of_city``: a neighbourhood or district the gazetteer lacks ("the al-Nour
  neighbourhood", "the Salaheddine district of Aleppo") belongs to the city it is given
  with, else to the last city named before it; it takes that city's key and country so
  that its figures are the city's, and reads "al-Nour neighbourhood, Aleppo".
"""

from __future__ import annotations

import bisect
import re

from processors.attribution import EVENT_NOUNS
from processors.places import Gazetteer, PlaceMatch, ascii_key

__all__ = [
    "is_description",
    "is_feature_name",
    "is_headline_phrase",
    "is_route_end",
    "lost_possessives",
    "tie_parts_to_cities",
    "without_owner",
]

_LOST_POSSESSIVE_RE = re.compile(r"\b([A-Z][\w-]*[a-z])s(?=\s+[\w“\"])")
_POSSESSIVE_CITY_POPULATION = 100_000


def lost_possessives(text: str, gaz: Gazetteer, found: list[PlaceMatch]) -> list[PlaceMatch]:
    """Rule ``lost_possessive``: places written as "<Name>s <noun>" with the apostrophe
    lost, not overlapping ``found``."""
    taken = [(p.start, p.end) for p in found]
    out = []
    for m in _LOST_POSSESSIVE_RE.finditer(text):
        word, stem = m.group(0), m.group(1)
        if any(s < m.end() and m.start() < e for s, e in taken) or gaz.lookup(word) is not None:
            continue
        e = gaz.lookup(stem)
        if e is None or e.kind == "demonym":
            continue
        if e.kind == "city" and e.population < _POSSESSIVE_CITY_POPULATION:
            continue
        out.append(PlaceMatch(m.start(), m.end(1), stem, e.key, e.country, e.population, e.kind))
    return out


def without_owner(p: PlaceMatch, possessives: list[PlaceMatch], gaz: Gazetteer) -> PlaceMatch:
    """``p`` without a leading owner whose apostrophe was lost: "Irans Kermanshah province"
    is "Kermanshah province" (in Iran). Rule ``lost_possessive``."""
    owner = next((o for o in possessives if o.start == p.start and o.end + 2 < p.end), None)
    if owner is None:
        return p
    start = owner.end + 2  # past the "s "
    name = p.text[start - p.start :]
    e = gaz.lookup(name)
    key, country = (e.key, e.country) if e else (ascii_key(name), owner.country)
    return PlaceMatch(start, p.end, name, key, country, p.population, p.kind)


# capitalised in headlines, never part of a place's name
_HEADLINE_WORDS = EVENT_NOUNS | {
    "deadly", "dead", "killed", "kill", "kills", "killing", "wounded", "injured", "hurt",
    "market", "crowded", "busy", "coalition", "government", "rebel", "rebels", "militant",
    "militants", "jihadist", "jihadists", "insurgent", "insurgents", "civilians", "civilian",
    "children", "people", "toll", "death", "deaths", "air", "suicide", "twin", "double",
    "new", "fresh", "latest", "more", "several", "dozens", "scores", "hundreds", "after",
    "amid", "during", "update", "updated", "live", "breaking", "exclusive", "report",
    "reports", "says", "said", "video", "photos", "watch", "army", "police", "troops",
    "mondays", "tuesdays", "wednesdays", "thursdays", "fridays", "saturdays", "sundays",
}  # fmt: skip


def _title_case_line(text: str, pos: int) -> bool:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    words = [w for w in re.findall(r"[A-Za-z][\w’'-]*", text[start : end if end >= 0 else None])]
    long = [w for w in words if len(w) > 3]
    return (
        len(words) >= 4 and len(long) >= 3 and sum(w[0].isupper() for w in long) >= 0.8 * len(long)
    )


def is_headline_phrase(text: str, p: PlaceMatch) -> bool:
    """Rule ``headline_phrase``: whether ``p`` (a name the gazetteer lacks) is headline
    words rather than a place."""
    words = re.findall(r"[A-Za-z][\w’'-]*", p.text)
    if any(w.lower() in _HEADLINE_WORDS for w in words):
        return True
    if not _title_case_line(text, p.start):
        return False
    # a real place in a headline is named again in the body
    return not any(
        m.start() != p.start and not _title_case_line(text, m.start())
        for m in re.finditer(re.escape(p.text), text)
    )


_DESCRIPTION_BEFORE_RE = re.compile(r"\b(?:an?|one|another)\s+(?:[a-z]+ly\s+)?$", re.I)
_DESCRIPTIVE_WORD_RE = re.compile(
    r"-(?:populated|dominated|majority|held|controlled|run|inhabited|based|led)\b", re.I
)


def is_description(text: str, p: PlaceMatch) -> bool:
    """Rule ``description``: "a mainly Druze-populated suburb", "a rebel-held district"."""
    return bool(
        _DESCRIPTIVE_WORD_RE.search(p.text)
        or _DESCRIPTION_BEFORE_RE.search(text[max(0, p.start - 30) : p.start])
    )


_ROUTE = r"(?:highway|road|motorway|expressway|freeway|railway|rail\s+line|route)"
_ROUTE_VERB = r"(?:linking|between|connecting|joining|from)"
# the words before an end of the road: "the coastal city of", "neighbouring"
_END_LEAD = r"(?:the\s+)?(?:[a-z][a-z-]*\s+){0,2}(?:(?:city|town|port|village)\s+of\s+)?"
_NAME = r"[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,3}"
_FIRST_END_RE = re.compile(rf"\b{_ROUTE}\s+{_ROUTE_VERB}\s+{_END_LEAD}$", re.I)
_SECOND_END_RE = re.compile(
    rf"\b{_ROUTE}\s+{_ROUTE_VERB}\s+{_END_LEAD}{_NAME}\s+(?:with|and|to)\s+{_END_LEAD}$"
)
_BEFORE_DASH_RE = re.compile(rf"\s?[–-]\s?{_NAME}\s+{_ROUTE}\b")
_AFTER_DASH_RE = re.compile(r"[A-Z][\w'’]*\s?[–-]\s?$")
_ROUTE_AFTER_RE = re.compile(rf"\s+{_ROUTE}\b", re.I)


def is_route_end(text: str, p: PlaceMatch) -> bool:
    """Rule ``route_end``: ``p`` names an end of a road ("the highway linking A with B",
    "the road between A and B", "the A–B highway"), not a place a figure is at."""
    before = text[max(0, p.start - 120) : p.start]
    if _FIRST_END_RE.search(before) or _SECOND_END_RE.search(before):
        return True
    if _BEFORE_DASH_RE.match(text, p.end):
        return True
    return bool(_AFTER_DASH_RE.search(before) and _ROUTE_AFTER_RE.match(text, p.end))


# a natural feature named after a place: "the Dnipro River", "the Ubate valley"
_NAMED_FEATURE_RE = re.compile(
    r"\s+(?:river|valley|basin|mountains|hills|gorge|plains?|canyon|estuary|delta)\b", re.I
)


def is_feature_name(text: str, p: PlaceMatch) -> bool:
    """Rule ``feature_name``: ``p`` names a river, a valley, a range or a delta ("the X
    River", "the X valley", "the X Delta"), which may run far from the town or country of
    that name and is no place a figure is at."""
    return bool(_NAMED_FEATURE_RE.match(text, p.end))


_PART_KINDS = ("district",)
_PART_REACH = 400  # characters back to the city a part is read against
_OF_CITY_RE = re.compile(
    r"\s*(?:,\s*|\s+(?:of|in)\s+)(?:(?:the\s+)?(?:[a-z]+\s+)?(?:city|town|capital)\s+(?:of\s+)?)?"
)
_ARABIC_ARTICLE_BEFORE_RE = re.compile(r"\b(?:[Aa]l|[Ee]l|[Aa][dsrnt]h?)-$")


def tie_parts_to_cities(text: str, places: list[PlaceMatch], gaz: Gazetteer) -> list[PlaceMatch]:
    """Rule ``part_of_city``: ``places`` with each neighbourhood or district the gazetteer
    lacks tied to its city (given right after it, else the last city named before it)."""
    cities = [p for p in places if p.kind == "city"]
    starts = [p.start for p in cities]
    out = []
    for p in places:
        if p.kind not in _PART_KINDS or gaz.lookup(p.text) is not None:
            out.append(p)
            continue
        start, name = p.start, p.text
        art = _ARABIC_ARTICLE_BEFORE_RE.search(text, max(0, start - 4), start)
        if art:  # "the al-Nour neighbourhood": the article is part of the name
            start, name = art.start(), text[art.start() : p.end]
        gap = _OF_CITY_RE.match(text, p.end)
        city = None
        given = None  # the place it is given with: "the Mir Ali area of North Waziristan"
        if gap:
            given = next((q for q in places if q.start == gap.end()), None)
            if given is not None and given.kind == "city":
                city = given
        named_with = gap is not None and text[gap.end() : gap.end() + 1].isupper()
        if city is None and given is None and not named_with:
            i = bisect.bisect_left(starts, p.start)
            before = cities[i - 1] if i else None
            if before is not None and p.start - before.end <= _PART_REACH:
                city = before
        if city is None or city.key == p.key:
            out.append(PlaceMatch(start, p.end, name, p.key, p.country, p.population, p.kind))
            continue
        out.append(
            PlaceMatch(start, p.end, f"{name}, {city.text}", city.key, city.country, 0, p.kind)
        )
    return out
