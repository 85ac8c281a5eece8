"""Where a figure happened: the place named with it, else a fallback; second looks."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from datetime import date
from typing import Any

from processors.extract.candidate import Candidate, Found
from processors.extract.context import Context, near_care, specific_key
from processors.extract.lexicon import (
    CARE_VERBS,
    CARE_WORDS,
    COARSEST,
    EVENT_NOUNS,
    KIND_RANK,
    WEEKDAY_MONTH_WORDS,
)
from processors.extract.merge import same_spot
from processors.extract.parse import coarse_pos, linked, tokens_in
from processors.place_rules import is_description, is_headline_phrase
from processors.places import NOT_TOWN_END, PlaceMatch, ascii_key, is_world_area


def relocate_weak(located: Found, ctx: Context, ref: date | None) -> Found:
    """Second look at figures whose sentence names no place: ``located`` (event figures,
    in the order found) with the figures this moves in place of the old, one for one.

    * A quotation that continues the sentence before it takes that sentence's place.
    * So does a figure right after a casualty sentence that names its place (one place:
      after a breakdown by place it keeps its fallback, and so after a part of the toll
      told by place, "Four of the dead were from <county>": the figure after it is
      about the whole again).
    * A figure that fell back on a place in the country its sentence names as the attacker
      ("an earlier Russian attack ... 17 wounded" in a report from a Russian city) takes
      the nearest place outside that country named before it, or none.
    * A figure that fell back on the article's main place but is dated to another day than
      the article's figures about that place is about another event ("killed in Friday's
      strikes" in a report on Saturday's attack): it takes the nearest place named in the
      sentences before it instead, when there is one (not one where patients went).
    """
    main = ctx.main
    # the days the article's own figures about its main place are on (undated: its date)
    main_dates = {
        c.event_date or ref
        for _, c in located
        if main is not None and c.place == main.key and not c.weak_place
    } - {None}
    # the claims as this loop leaves them: a later sentence reads the earlier ones' places
    last_in_unit: dict[int, Candidate] = {}
    # the places each unit's claims are at: a sentence that lists several ("22 in A, 10 in
    # B and 5 in C") is a breakdown, and a figure after it is not about its last place
    places_of_unit: dict[int, set[str | None]] = {}
    out: Found = []
    for unit, c in located:
        s, e = ctx.units[unit]
        attacker = next((a for pos, a in ctx.attackers if s <= pos < e), None)
        site = ctx.site_place(unit) if c.weak_place == "main" else None
        if site is not None:
            # "the hotel" of a sentence that names no place: where the article put the hotel
            c = c.placed_at(site, "site")
        elif c.weak_place and attacker is not None and c.country == attacker:
            # "a Russian attack" did not happen in Russia: the fallback place is wrong
            near = ctx.nearest_place_before(unit, exclude=c.place or "", not_in=attacker)
            if near is not None:
                c = c.placed_at(near, "outside_attacker")
            else:
                c = replace(c, location=None, place=None, country=None).with_kind(
                    None, "attacker_cleared"
                )
        elif c.weak_place:
            # the claim of the sentence a quotation continues, over a quoted sentence or two
            before = next(
                (last_in_unit[k] for k in (unit - 1, unit - 2) if k in last_in_unit), None
            )
            previous = last_in_unit.get(unit - 1)
            if ctx.quote_continues(unit) and before is not None:
                c = c.placed_as(before, "quote_continues")
            elif (
                previous is not None
                and not previous.weak_place
                and len(places_of_unit[unit - 1]) == 1
                and not _PART_OF_RE.match(ctx.text, previous.end)
                and previous.place not in c.part_places
            ):
                # the sentence right before is a casualty sentence that names its place:
                # this one goes on about it ("... far higher than the one dead they admit")
                c = c.placed_as(previous, "previous_sentence")
            elif (
                main is not None
                and c.place == main.key
                and c.event_date
                and not c.weak_date
                and main_dates
                and c.event_date not in main_dates
            ):
                near = ctx.nearest_place_before(unit, exclude=main.key, scene_only=True)
                if near is not None:
                    c = c.placed_at(near, "other_day")
        last_in_unit[unit] = c
        places_of_unit.setdefault(unit, set()).add(c.place)
        out.append((unit, c))
    return [
        (unit, _dated_by_setting(unit, c, ctx)) for unit, c in _carry_back_continuations(out, ctx)
    ]


# a figure that is a part of a toll told elsewhere: "Four of the dead were from <county>",
# "two of them in <town>", "five of those killed came from <village>"
_PART_OF_RE = re.compile(r"\s+of\s+(?:the|those|them|whom|these)\b", re.I)


def _dated_by_setting(unit: int, c: Candidate, ctx: Context) -> Candidate:
    """ "On Friday, missiles rained on the country. In its capital, 16 were killed": a
    figure that zooms into the country the sentence before it set in time takes its day."""
    if c.event_date is None and unit > 0 and c.country and c.place_kind != "country":
        setting = ctx.unit_place(unit - 1)
        day = ctx.unit_date(unit - 1)
        if (
            setting is not None
            and setting.kind == "country"
            and setting.country == c.country
            and day is not None
        ):
            return replace(c, event_date=day.date, weekday=day.weekday, weak_date=True)
    return c


_CONTINUES_RE = re.compile(r"\s*[“\"‘]?(?:another|a\s+further|further)\b", re.I)


def _carry_back_continuations(located: Found, ctx: Context) -> Found:
    """ "... losing 74 sailors. Far more than the one dead they admit. Another 27 were wounded
    in the attack on <port>": figures that fell back on the article's main place, in the
    casualty sentences right before one that goes on with "another"/"a further" and names
    its place, are about that place."""
    out = list(located)
    by_unit: dict[int, list[int]] = {}  # positions in ``out``
    for n, (unit, _) in enumerate(out):
        by_unit.setdefault(unit, []).append(n)
    for unit in sorted(by_unit, reverse=True):
        named = [out[n][1] for n in by_unit[unit] if out[n][1].place and not out[n][1].weak_place]
        if not named or not _CONTINUES_RE.match(ctx.text, ctx.units[unit][0]):
            continue
        source = named[0]
        k = unit - 1
        while k in by_unit and all(out[n][1].weak_place == "main" for n in by_unit[k]):
            for n in by_unit[k]:
                out[n] = (k, out[n][1].placed_as(source, "continuation"))
            k -= 1
    return out


# how far into the article the scene of its event is set: the headline, the lead and the two
# paragraphs after it ("The blast happened around 7 p.m. in the municipality of ...")
_SCENE_PARAGRAPHS = 3


# a figure about a whole country or region, not about the scene: "across the country"
_WIDE_RE = re.compile(
    r"\b(?:across|nationwide|nationally|throughout|countrywide|all\s+over|in\s+total|"
    r"overall|in\s+all)\b",
    re.I,
)


def narrow_to_event_place(located: Found, ctx: Context) -> Found:
    """Headline and lead name the country or region ("a bar in Mexico's Guanajuato state"),
    a paragraph or two later the town ("the attack happened ... in Apaseo el Grande"). The
    lead's figures, and those that fell back on the main place, are about that town: the
    most specific place named in the opening paragraphs, in the same country, that is not
    where the wounded were taken, not a landmark, and not a part of the toll ("9 of the
    dead were in Puquio" makes Puquio part of a larger event, not its scene)."""
    if _AREA_EVENT_RE.search(ctx.text, 0, _lead_end(ctx)):
        return located  # floods and storms are told by the region they hit, not a town
    lead = {c.place for unit, c in located if ctx.para[unit] <= 1 and c.place}
    parts = set()
    for _, c in located:
        # an earlier count ("authorities had initially reported seven dead in <town>", "18
        # bodies from the mine in <town>, up from 11") is the whole toll as it stood then,
        # not a part of it
        if c.place and not c.weak_place and not _EARLIER_COUNT_RE.search(c.sentence):
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
        and not near_care(ctx.text, p)
    ]
    if not candidates:
        return located
    counts = Counter(p.key for p in ctx.places)
    scene = min(candidates, key=lambda p: (specific_key(p), -counts[p.key], p.start))

    def at_scene(unit: int, c: Candidate) -> bool:
        return (
            not same_spot(c.place, c.location, scene.key, scene.text)
            and c.country == scene.country
            and c.rank > specific_key(scene)
            and (
                c.weak_place == "main"
                or (
                    ctx.para[unit] <= 1
                    and c.place in lead
                    # the only place its sentence names ("81 in Gorkha and 312 in
                    # Kathmandu" lists places; it does not zoom out), of those that
                    # can be the event's: not "authorities in <state> said", not where
                    # the hurt were taken
                    and {
                        p.key
                        for p in ctx.in_unit(unit)
                        if p.start not in ctx.agents
                        and not near_care(ctx.text, p)
                        and not _SPEAKER_IN_RE.search(ctx.text, max(0, p.start - 40), p.start)
                    }
                    == {c.place}
                )
            )
            and not _WIDE_RE.search(c.sentence)
        )

    return [(unit, c.placed_at(scene, "scene") if at_scene(unit, c) else c) for unit, c in located]


# the place of those who tell the toll: "authorities in <state> said"
_SPEAKER_IN_RE = re.compile(
    r"\b(?:authorities|officials|police|prosecutors|officers|governments?|ministry|agency)"
    r"\s+(?:in|of)\s+(?:the\s+)?$",
    re.I,
)


_EARLIER_COUNT_RE = re.compile(
    r"\b(?:initially|earlier|previously|preliminary|first\s+reported|had\s+reported|"
    r"(?:up|down|rose|risen|climbed)\s+from)\b",
    re.I,
)


# events that strike an area rather than a spot
_AREA_EVENT_RE = re.compile(
    r"\b(?:floods?|flooding|storms?|typhoons?|cyclones?|hurricanes?|tornado(?:es)?|monsoon|"
    r"quakes?|earthquakes?|tsunami|heatwaves?|heat\s+wave|drought|wildfires?|blizzards?|"
    r"downpours?|rains?|landslides?|mudslides?|eruption)\b",
    re.I,
)


def _lead_end(ctx: Context) -> int:
    """End of the lead paragraph (the first paragraph after a headline line)."""
    ends = [e for k, (_s, e) in enumerate(ctx.units) if ctx.para[k] <= 1]
    return ends[-1] if ends else 0


_NATIONWIDE_RE = re.compile(
    r"\b(?:nationwide|countrywide|across\s+the\s+country|throughout\s+the\s+country|"
    r"around\s+the\s+country|all\s+over\s+the\s+country)\b",
    re.I,
)


def widen_nationwide(located: Found, ctx: Context) -> Found:
    """ "14 people remain missing nationwide, including those in Itogon": the figure is the
    country's, whatever town its sentence goes on to name."""
    countries = {p.country: p for p in ctx.places if p.kind == "country" and p.country}
    out: Found = []
    for unit, c in located:
        country = countries.get(c.country or "")
        if country is not None and c.place != country.key and _NATIONWIDE_RE.search(c.sentence):
            c = c.placed_at(country, "nationwide")
        out.append((unit, c))
    return out


def locate_claim(
    doc: Any,
    c: Candidate,
    other_anchors: set[int],
    other_noms: set[int],
    src_tokens: set[int],
    sent_places: list[tuple[int, str, str | None, str | None, str]],
    unit: int,
    ctx: Context,
) -> Candidate:
    """``c`` with its place: the one named nearest to it in the parse of its sentence
    (most specific; places that act last), else any place its sentence names, else the
    place the sentences before it in the paragraph are about (or the sentence a
    quotation continues), else the article's main place. The last two are weak: a
    figure with a weak place merges into the same figure with a named one."""
    nom = doc[c.nom_i]
    anchor = doc[c.anchor_i]
    blocked: set[int] = set(src_tokens)
    own = {t.i for t in nom.subtree}
    for i in other_anchors | other_noms:
        if i != c.nom_i and not linked(anchor, doc[i]):
            sub = {t.i for t in doc[i].subtree}
            # a figure listed under another ("9 in B and 4 in C") keeps its own words
            blocked |= sub - own if c.nom_i in sub else sub
    scopes = [nom, anchor, *anchor.ancestors]
    seen: set[int] = set()

    def rank(p: tuple[int, str, str | None, str | None, str]) -> tuple[bool, int, int]:
        return (_is_agent(doc[p[0]]), KIND_RANK.get(p[4], COARSEST), abs(p[0] - c.num_i))

    # places that act ("Russia launched", "Mugla governor"), that name the office or outlet
    # telling the toll ("the Tarnby police chief", "told Selwyn Online": the article's
    # agents) or where the injured were taken ("hospitals in Kathmandu") do not place the
    # event
    offices = agent_tokens(doc, *ctx.units[unit], ctx)
    acting = {
        p[0]
        for p in sent_places
        if p[0] in offices or _is_agent(doc[p[0]]) or _is_destination(doc[p[0]])
    }
    for scope in scopes:
        ids = {t.i for t in scope.subtree} - blocked
        cands = [p for p in sent_places if p[0] in ids and p[0] not in seen | acting]
        if cands:
            return _placed(c, min(cands, key=rank), "clause")
        seen |= ids
    # named in the sentence but outside the claim's clause ("officials in Herat said"); in
    # a unit that holds a quotation of several sentences, in the figure's own sentence
    # (""Some were counted in Tarnby and again in Saltby. The true figure is 23 dead"" does
    # not put the 23 in Saltby)
    own_sent = nom.sent
    passive = [
        p for p in sent_places if p[0] not in acting and own_sent.start <= p[0] < own_sent.end
    ]
    if passive:
        return _placed(c, min(passive, key=rank), "sentence")
    fallback = ctx.unit_place(unit - 1) if ctx.carries_from_previous(unit) else None
    weak = "paragraph"
    if fallback is None:
        fallback, weak = ctx.main, "main"
    if fallback is None and sent_places:
        return _placed(c, min(sent_places, key=rank), "acting_only")
    if fallback is not None:
        return replace(c.placed_at(fallback, weak), weak_place=weak)
    return c


def _placed(c: Candidate, p: tuple[int, str, str | None, str | None, str], rule: str) -> Candidate:
    """``c`` at place ``p`` of :func:`places_in_unit`, by ``rule``."""
    return replace(
        c,
        location=p[1],
        place=p[2],
        country=p[3],
        place_kind=p[4],
        place_kind_set=True,
        place_rule=rule,
    )


def places_in_unit(
    doc: Any, text: str, s: int, e: int, ctx: Context
) -> list[tuple[int, str, str | None, str | None, str]]:
    """(token index, as written, key, country, kind) for each place named in the unit."""
    out: list[tuple[int, str, str | None, str | None, str]] = []
    covered: set[int] = set()
    for p in ctx.in_span(s, e):
        t = _name_head(doc, p.start - s, p.end - s)
        if t is None:
            continue
        covered |= {x.i for x in tokens_in(doc, p.start - s, p.end - s)}
        out.append((t.i, p.text, p.key, p.country or None, p.kind))
    # unknown towns: a proper noun after "in"/"near"/"at" that the gazetteer lacks; at sea,
    # "off" names the coast a vessel went down by ("sank off Tanjung Buton")
    for t in doc:
        if (
            coarse_pos(t) == "PROPN"
            and t.dep_ == "pobj"
            and t.head.lower_ in ("in", "near", "at", "outside", "off")
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
                if c.dep_ == "compound" and coarse_pos(c) == "PROPN" and c.i not in covered
            ]
            first = min([t, *parts], key=lambda x: x.i)
            if any(c.dep_ == "det" for c in t.children):
                continue  # "the Hilltop mall": a named building, not a town
            name = str(doc.text[first.idx : t.idx + len(t.text)])
            name = re.sub(r"['’]s$", "", name)
            # rule known_name: a range or a part of the world is no town ("in Peru's
            # southern Andes"); a name the gazetteer knows in the article's countries is
            # that place ("Yemens Taiz", where the lost possessive hid it)
            if is_world_area(name):
                continue
            entry = ctx.home_reading(name)
            if entry is not None:
                out.append((t.i, name, entry.key, entry.country, entry.kind))
                continue
            as_place = PlaceMatch(
                s + first.idx, s + t.idx + len(t.text), name, "", "", 0, "unknown"
            )
            if (
                is_headline_phrase(text, as_place)
                or is_description(text, as_place)
                or ctx.named_otherwise(as_place)
            ):
                continue
            out.append((t.i, name, ascii_key(name), None, "unknown"))
    # rule event_named_by_place: "six in the Tarnby collision", where the article names
    # Tarnby as a place elsewhere ("a minibus hit a lorry at Tarnby"): the event's name
    # gives its place
    named = {p.key: p for p in ctx.places}
    for t in doc:
        if (
            coarse_pos(t) == "PROPN"
            and t.dep_ == "compound"
            and t.i not in covered
            and t.head.lower_ in EVENT_NOUNS
            and t.head.dep_ == "pobj"
            and t.head.head.lower_ in ("in", "at")
            and ascii_key(t.text) in named
        ):
            p = named[ascii_key(t.text)]
            out.append((t.i, t.text, p.key, p.country or None, p.kind))
    return out


def _name_head(doc: Any, a: int, b: int) -> Any | None:
    """The syntactic head of the name at characters ``a``-``b`` of ``doc``: the token whose
    head lies outside the name."""
    toks = [t for t in tokens_in(doc, a, b) if t.dep_ not in ("det", "punct")]
    if not toks:
        return None
    ids = {t.i for t in toks}
    for t in toks:
        if t.head.i not in ids or t.head.i == t.i:
            return t
    return toks[-1]


def agent_tokens(doc: Any, s: int, e: int, ctx: Context) -> set[int]:
    """Head tokens of the places of the unit at ``s``-``e`` that the words around them show
    acting or naming an office or outlet (``ctx.offices``), where the parse reads them as
    plain places ("head of the Tarnby SAR Office", "told Selwyn Online")."""
    out = set()
    for p in ctx.in_span(s, e) if ctx.offices else ():
        if p.start in ctx.offices and (t := _name_head(doc, p.start - s, p.end - s)) is not None:
            out.add(t.i)
    return out


def subset_tokens(doc: Any, c: Candidate) -> set[int]:
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
    if (
        t.dep_ == "nsubj"
        and t.head.dep_ == "pcomp"
        and t.head.head.lower_ in ("in", "at", "near")
        and t.head.head.i < t.i
    ):
        # "struck a site in the citys Lowgate district killing one": copy that lost its
        # commas makes the place after "in" the subject of the participle after it
        return False
    return t.dep_ in ("nsubj", "poss", "agent") or (
        t.dep_ == "pobj" and t.head.lower_ in ("by", "from", "with")
    )


def _is_destination(tok: Any) -> bool:
    """A place the wounded were taken to: "hospitals in Kathmandu", "hospitals in Gebze and
    Izmit", "the Grand Medical Centre (GMC) in Moshi"; or where they are cared for, told by
    the verb (rule "care_verb"): "two were hospitalised in the nearby town of Selby",
    "were being treated in Marlow", "flown to Dunmore for treatment"."""
    t = tok.head if tok.dep_ == "compound" else tok
    while t.dep_ == "conj":
        t = t.head
    # "the nearby town of Selby": the place is the town's
    if t.dep_ == "pobj" and t.head.lower_ == "of" and coarse_pos(t.head.head) == "NOUN":
        t = t.head.head
    if t.dep_ != "pobj" or t.head.lower_ not in ("in", "at", "to"):
        return False
    if t.head.head.lower_ in CARE_VERBS:
        return True
    if t.head.lower_ == "to":
        return False  # "taken to Selby" alone says nothing of care
    before = t.doc[max(0, t.head.i - 6) : t.head.i]
    return any(x.lower_ in CARE_WORDS for x in before)
