"""One claim per (metric, value, place); totals told again in parts; mentions out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from processors.extract.candidate import Candidate, Found
from processors.models import Article, Mention
from processors.places import PlaceMatch


def drop_split_totals(found: Found) -> Found:
    """Drop a total told again in two parts: "14 killed ..." and, later, ""Twelve people
    died at the scene and two others succumbed on the way to hospital"". Two figures of one
    metric in one sentence, at the same place, that add up to a figure the article gives
    for that metric elsewhere are the way the total came about, not two more tolls."""
    claims = [c for _, c in found]
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
    return [(u, c) for u, c in found if id(c) not in drop]


def spread_split_totals(before: Found, after: Found) -> Found:
    """ "The cyclone came ashore in A, killing five people and injuring 12", then "Five
    died: three in A and two in B": the five merged into the total's place (rule
    split_total in :func:`merged`), and the 12, placed in A by the same words, goes with
    it; the undated parts, three and two, take the day of the total they make up.
    ``before``: the claims as found, ``after``: as :func:`dedupe` left them."""
    moves: dict[tuple[str, str | None], Candidate] = {}
    days: dict[tuple[str, str, str | None], Candidate] = {}  # a part -> its total
    for _, c in after:
        if c.place_rule != "split_total":
            continue
        for _, old in before:
            if (old.metric, old.value) != (c.metric, c.value):
                continue
            if old.place != c.place:
                moves[(old.sentence, old.place)] = c
            for place in old.part_places:
                days[(old.sentence, old.metric, place)] = c
    if not moves and not days:
        return after
    out: Found = []
    for unit, c in after:
        total = moves.get((c.sentence, c.place))
        if total is not None and c.metric != total.metric and c.place_rule == "clause":
            c = replace(c.placed_as(total, "split_total"), weak_place=total.weak_place)
        whole = days.get((c.sentence, c.metric, c.place))
        if whole is not None and c.event_date is None and whole.event_date is not None:
            c = replace(c, event_date=whole.event_date, weekday=whole.weekday, weak_date=True)
        out.append((unit, c))
    return out


def same_spot(a: str | None, a_text: str | None, b: str | None, b_text: str | None) -> bool:
    """Same place key, and neither or both are a part read with its city ("al-Nour
    neighbourhood, Aleppo" has Aleppo's key but is a finer spot: rule part_of_city)."""
    return a == b and (", " in (a_text or "")) == (", " in (b_text or ""))


def dedupe(found: Found, country_around: Callable[[int], str | None] | None = None) -> Found:
    """One claim per (metric, value, place); a claim without a place merges into one with,
    and so does one with a fallback place (rule ``merged``). A merged claim keeps the unit
    and the position of the first of its duplicates.

    Not across countries when the text around the fallback is about its country
    (``country_around(unit)``: the country of the place named last before the unit): a
    roundup's "two sailors are still unaccounted for", after sentences about Chile's
    regions, is not the "two people missing" it later gives for Argentina. A fallback
    the sentences around it do not bear out (a toll that fell back on the headline's
    city, in paragraphs about another country) still merges."""

    def apart(a: tuple[int, Candidate], b: tuple[int, Candidate]) -> bool:
        if country_around is None:
            return False
        for (unit, weak), (_, named) in ((a, b), (b, a)):
            if (
                weak.weak_place
                and weak.country is not None
                and named.country is not None
                and weak.country != named.country
                and country_around(unit) == weak.country
            ):
                return True
        return False

    kept: Found = []
    for unit, c in found:
        at = next(
            (
                n
                for n, (_, k) in enumerate(kept)
                if k.metric == c.metric
                and k.value == c.value
                and (
                    k.place == c.place
                    or k.place is None
                    or c.place is None
                    or ((k.weak_place or c.weak_place) and not apart(kept[n], (unit, c)))
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
        if at is None:
            kept.append((unit, c))
        else:
            kept[at] = (kept[at][0], merged(kept[at][1], c))
    return kept


_FILLED = ("source", "location", "place", "country", "event_date", "weekday")


def merged(twin: Candidate, c: Candidate) -> Candidate:
    """``twin`` with what its duplicate ``c`` tells better: a qualifier, a pinned date, a
    finer or named place, and any attribute ``twin`` lacks. A total its article tells in
    parts at several places keeps the total's place over a duplicate placed at one of
    them ("killing five" in a sentence on the region the cyclone came ashore in, then "Five
    died: three in that region and two in the next")."""
    finer = (
        c.place is not None
        and not same_spot(twin.place, twin.location, c.place, c.location)
        and not c.weak_place
        and c.merge_rank < twin.merge_rank
    )
    if twin.qualifier == "exact" and c.qualifier != "exact":
        twin = replace(twin, qualifier=c.qualifier)  # headlines drop "at least"
    if twin.weak_date and not c.weak_date and c.event_date:
        twin = replace(twin, event_date=c.event_date, weekday=c.weekday, weak_date=False)
    if twin.place in c.part_places:
        # the same figure, told elsewhere at one of the places its parts are at: it is the
        # total over them all, at the total's place (rule split_total)
        twin = replace(twin.placed_as(c, "split_total"), weak_place=c.weak_place)
    elif c.place in twin.part_places:
        twin = replace(twin, place_rule="split_total")  # the total keeps its place
    elif finer or (twin.weak_place and c.place is not None and not c.weak_place):
        twin = replace(twin.placed_as(c, "merged"), weak_place=None)
    missing = {
        attr: getattr(c, attr)
        for attr in _FILLED
        if getattr(twin, attr) is None and getattr(c, attr) is not None
    }
    return replace(twin, **missing) if missing else twin


def to_mentions(
    article: Article, claims: list[Candidate], places: list[PlaceMatch] | None = None
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
                received_at=article.received_at,
            )
        )
    return out
