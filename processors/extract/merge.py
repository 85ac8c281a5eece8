"""One claim per (metric, value, place); totals told again in parts; mentions out."""

from __future__ import annotations

from processors.extract.candidate import Candidate
from processors.models import Article, Mention
from processors.places import PlaceMatch


def drop_split_totals(claims: list[Candidate]) -> list[Candidate]:
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


def same_spot(a: str | None, a_text: str | None, b: str | None, b_text: str | None) -> bool:
    """Same place key, and neither or both are a part read with its city ("al-Nour
    neighbourhood, Aleppo" has Aleppo's key but is a finer spot: rule part_of_city)."""
    return a == b and (", " in (a_text or "")) == (", " in (b_text or ""))


def dedupe(claims: list[Candidate]) -> list[Candidate]:
    """One claim per (metric, value, place); a claim without a place merges into one with."""
    kept: list[Candidate] = []
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
            and not same_spot(twin.place, twin.location, c.place, c.location)
            and not c.weak_place
            and c.merge_rank < twin.merge_rank
        )
        if twin.qualifier == "exact" and c.qualifier != "exact":
            twin.qualifier = c.qualifier  # headlines drop "at least"
        if twin.weak_date and not c.weak_date and c.event_date:
            twin.event_date, twin.weekday = c.event_date, c.weekday
            twin.weak_date = False
        if finer or (twin.weak_place and c.place is not None and not c.weak_place):
            twin.place_as(c, "merged")
            twin.weak_place = None
        for attr in ("source", "location", "place", "country", "event_date", "weekday"):
            if getattr(twin, attr) is None and getattr(c, attr) is not None:
                setattr(twin, attr, getattr(c, attr))
    return kept


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
            )
        )
    return out
