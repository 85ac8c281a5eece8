"""Article-level facts sentences fall back on: places, the main place, dates that carry."""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from processors.attribution import SourceMemory
from processors.dates import DateMention
from processors.extract.entities import EntityReader, not_places
from processors.extract.lexicon import (
    CARE_VERBS,
    CARE_WORDS,
    COARSEST,
    FUTURE_BEFORE_RE,
    GENERIC_PLACE_RE,
    KIND_RANK,
    SPEECH_BEFORE_RE,
)
from processors.extract.units import paragraph_numbers
from processors.models import Article
from processors.place_rules import (
    is_description,
    is_feature_name,
    is_headline_phrase,
    is_route_end,
    lost_possessives,
    tie_parts_to_cities,
    without_owner,
)
from processors.places import (
    Gazetteer,
    PlaceEntry,
    PlaceMatch,
    find_extra_places,
)


@dataclass
class ArticleState:
    """What the article said so far: the sources named (referents of pronouns and of "the
    monitor") and what gives the metric of a bare "the toll"."""

    memory: SourceMemory
    last_metric: str | None = None
    # the metric each figure was last told with: a bare count of the same figure ("revised
    # its count to 31" after "31 confirmed dead") is that count
    metric_by_value: dict[int, str] = field(default_factory=dict)


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


# rule ``hospital_name``: "Tarnby General Hospital", "the selwyn medical centre": a name
# before a hospital names the hospital, which may lie in another town than the event (the
# hurt are taken to the best one)
_HOSPITAL_AFTER_RE = re.compile(
    r"\s+(?:(?:regional|general|district|provincial|referral|teaching|university|central|"
    r"city|county|state|public|military|memorial|children['’]?s)\s+){0,2}"
    r"(?:hospitals?|medical\s+(?:cent(?:re|er)|college)|clinic)\b",
    re.I,
)


_GIVEN_TOWN_RE = re.compile(r"\s+in\s+(?:the\s+)?[A-Z]")


def _names_hospital(text: str, p: PlaceMatch, home: str | None) -> bool:
    """Rule ``hospital_name``: ``p`` is the name of a hospital, not a town. A hospital
    named after its own town ("Tarnby hospital", a town of the country the article is
    about) still tells where that is, often the only sign of the scene; not one given with
    another town ("Selwyn Regional Hospital in Tarnby"), nor a name the gazetteer knows
    only as a town elsewhere or not at all."""
    m = _HOSPITAL_AFTER_RE.match(text, p.end)
    if m is None:
        return False
    own_town = p.kind in ("city", "district") and home is not None and p.country == home
    return not own_town or bool(_GIVEN_TOWN_RE.match(text, m.end()))


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


# rule ``office_name``: a place that names the office or title of whoever tells the toll,
# written in lower case or with an acronym, so that ``_NAME_AFTER_RE`` misses it: "the
# Tarnby police chief", "the Selwyn SAR Office", "the Upland disaster office director".
# The office sits in that town; the event it reports on need not (a port's rescue office
# reports a sinking far offshore).
_OFFICE_AFTER_RE = re.compile(
    r"\s+(?:[A-Z]{2,6}\s+[A-Z][a-z]"  # an acronym and a name: "SAR Office", "BPBD Head"
    r"|(?:(?:regional|district|provincial|city|municipal|county|state)\s+)?"
    r"(?:police|search\s+and\s+rescue|SAR|disaster|fire\s+(?:brigade|department|service)|"
    r"civil\s+defen[cs]e|mayor|governor|chief|director|commissioner|"
    r"spokes(?:man|woman|person))\b)"
)


def _cheap_agent(text: str, p: PlaceMatch) -> bool:
    return (
        _acts(text, p)
        or bool(_NAME_AFTER_RE.match(text, p.end))
        or bool(_OFFICE_AFTER_RE.match(text, p.end))
    )


def specific_key(p: PlaceMatch) -> int:
    return KIND_RANK.get(p.kind, COARSEST)


@dataclass
class Context:
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
    # starts of agents that the parse of their sentence may miss, to be passed over there
    # too: places that act or name an office or outlet ("the Tarnby police chief", "told
    # Selwyn Online"); not hospitals named after their own town, which tell where it is
    offices: set[int] = field(default_factory=set)
    # the article's gazetteer: a name it knows is no unknown town (rule ``known_name``)
    gazetteer: Gazetteer | None = None
    # reads spaCy's named entities, for names in doubt (None: NER off)
    entities: EntityReader | None = None
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
            best = min(named, key=lambda p: (p.start in self.agents, specific_key(p), -p.start))
        elif self.carries_from_previous(i):
            best = self.unit_place(i - 1)
        self._unit_place[i] = best
        return best

    def named_otherwise(self, p: PlaceMatch) -> bool:
        """Whether the entities of ``p``'s sentence show that it is no place (rules
        ``person_name`` and ``date_name`` of :mod:`processors.extract.entities`)."""
        return self.entities is not None and bool(
            not_places(self.text, [p], self.units, self.entities)
        )

    def home_reading(self, name: str) -> PlaceEntry | None:
        """Rule ``known_name``: the gazetteer's reading of ``name`` in a country the article
        names (the most named first), for a name its first reading missed ("Yemens Taiz":
        the lost possessive hid the city). None for a name the gazetteer lacks or knows
        only in other countries (a namesake: the text's place is one it lacks)."""
        if self.gazetteer is None:
            return None
        named = Counter(p.country for p in self.places if p.country)
        readings = [e for e in self.gazetteer.readings(name) if named[e.country]]
        return max(readings, key=lambda e: named[e.country], default=None)

    def nearest_place_before(
        self,
        i: int,
        exclude: str,
        reach: int = 3,
        not_in: str | None = None,
        scene_only: bool = False,
    ) -> PlaceMatch | None:
        """The last place (not acting) named in the ``reach`` sentences before unit ``i``,
        other than ``exclude`` and outside country ``not_in``; with ``scene_only``, not
        where the hurt were cared for (:func:`near_care`)."""
        for k in range(i - 1, max(-1, i - 1 - reach), -1):
            named = [
                p
                for p in self.in_unit(k)
                if p.start not in self.agents
                and p.key != exclude
                and (not_in is None or p.country != not_in)
                and not (scene_only and near_care(self.text, p))
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


def near_care(text: str, p: PlaceMatch) -> bool:
    """Named just after a hospital or clinic, or after a verb of care in its sentence
    ("were being treated in X", "hospitalised ... in the nearby town of X"): where the
    wounded went."""
    before = text[max(0, p.start - 80) : p.start].lower()
    return any(w in before for w in CARE_WORDS) or _CARE_VERB_RE.search(before) is not None


# a verb of care, then the rest of its sentence up to the place
_CARE_VERB_RE = re.compile(rf"\b(?:{'|'.join(sorted(CARE_VERBS))})\b[^.!?\n]*$")


def _main_place(
    text: str,
    places: list[PlaceMatch],
    agents: set[int],
    title_places: list[PlaceMatch],
    units: list[tuple[int, int]],
) -> PlaceMatch | None:
    """The article's main place: the most specific place of the headline (the more often
    the article names it, the better), else of the lead sentence after it (rule
    ``lead_scene``: "Blast kills 13 near capital" names no place; its lead names the
    town), else the place the article names most often. Places that act ("Russia
    launched") and places where the wounded were taken ("hospitals in X") are passed
    over."""
    counts: dict[str, int] = {}
    for p in places:
        counts[p.key] = counts.get(p.key, 0) + 1
    first = re.search(r"[^\n]*\S[^\n]*", text)
    lead_end = first.end() if first else 0
    lead = [*title_places, *(p for p in places if p.end <= lead_end and p.start not in agents)]
    if lead:
        return min(lead, key=lambda p: (specific_key(p), -counts.get(p.key, 0)))
    # the lead sentence: the first after the headline (a unit, not a line, so that copy
    # that runs its paragraphs together still has one)
    lead_unit = next(((s, e) for s, e in units if s >= lead_end), None)
    if lead_unit is not None:
        scene = [
            p
            for p in places
            if lead_unit[0] <= p.start
            and p.end <= lead_unit[1]
            and p.start not in agents
            and not near_care(text, p)
        ]
        if scene:
            return min(scene, key=lambda p: (specific_key(p), -counts[p.key], p.start))
    rest = [p for p in places if p.start not in agents]
    if rest:
        return min(rest, key=lambda p: (-counts[p.key], specific_key(p), p.start))
    return None


def build_context(
    gaz: Gazetteer,
    article: Article,
    units: list[tuple[int, int]],
    all_dates: list[DateMention],
    entities: EntityReader | None = None,
) -> Context:
    """The article's :class:`Context`; with ``entities``, spaCy's named entities overrule
    the place rules where they are in doubt (:mod:`processors.extract.entities`)."""
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
    places = [
        p
        for p in places
        if not _names_vessel(text, p)
        and not _landmark(text, p)
        and not is_route_end(text, p)
        and not is_feature_name(text, p)
    ]
    if entities is not None:
        named_otherwise = not_places(text, places, units, entities)
        places = [p for p in places if p.start not in named_otherwise]
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
    home_country = home.most_common(1)[0][0] if home else None
    places = [p for p in places if not _names_hospital(text, p, home_country)]
    places = tie_parts_to_cities(text, places, gaz)
    places = _with_generic_places(text, places)
    agents = {p.start for p in places if _cheap_agent(text, p)}
    title_places = []
    if article.title:
        title_places = [p for p in gaz.find(article.title) if p.kind != "demonym"]
    para = paragraph_numbers(text, units)
    context_dates = [d for d in all_dates if _is_context_date(text, d)]
    ctx = Context(
        text, units, para, places, agents, context_dates, gazetteer=gaz, entities=entities
    )
    ctx.offices = {
        p.start for p in places if p.start in agents and not _HOSPITAL_AFTER_RE.match(text, p.end)
    }
    ctx.attackers = _attackers(text, [p for p in found if p.kind == "demonym"])
    ctx.starts = [p.start for p in places]
    ctx.main = _main_place(text, places, agents, title_places, units)
    ctx.ref = article.published_date
    return ctx


def _with_generic_places(text: str, places: list[PlaceMatch]) -> list[PlaceMatch]:
    """``places`` plus "the city"/"the capital", read as the city named last before it (or,
    when none is, the first named after it); not a city named as where the hurt were
    cared for ("died at a hospital in the nearby city of Celba ... stormed the bar on the
    town's main avenue": the town is the scene, not Celba)."""
    cities = [p for p in places if p.kind in ("city", "district") and not near_care(text, p)]
    if not cities:
        return places
    out = list(places)
    for m in GENERIC_PLACE_RE.finditer(text):
        prior = [p for p in cities if p.end <= m.start()]
        p = prior[-1] if prior else cities[0]
        out.append(PlaceMatch(m.start(), m.end(), p.text, p.key, p.country, p.population, p.kind))
    out.sort(key=lambda p: p.start)
    return out


def _is_context_date(text: str, d: DateMention) -> bool:
    """A date that can set the scene for later sentences: not "he said on Friday", not
    "will be declared on January 1"."""
    line_start = max(text.rfind("\n", 0, d.start), text.rfind(". ", 0, d.start)) + 1
    before = text[line_start : d.start]
    if SPEECH_BEFORE_RE.search(before):
        return False
    return not FUTURE_BEFORE_RE.search(before[-30:])
