"""Event resolution, claim dedupe and tolls: a pure function of one group's mention set.

State is partitioned into *groups* (:func:`group_key`): every mention about places of one
country lands in one group (reports of one event at different levels of place, the
province, a town in it, a district of its city, the country, must meet to be one event),
and the stream keeps the set of each group's mentions. :func:`resolve_group` recomputes
everything for a group from that set, so its result depends on the set only: not on
arrival order, not on how often a mention was delivered. A replayed article (same mention
ids) changes nothing. The stream does not run it on every batch:
:class:`processors.incremental.GroupState` gives the same view, resolving only what a
batch can change.

Inside a group, events are formed in two steps.

**Per place.** The mentions of one place key (``"<country>|<place>"``, the groups of old)
are put on days as below; each such per-place event keeps the id it always had.

**Across levels.** Each place has a path in the hierarchy (:func:`place_path`: country,
admin-1, the container a district or town was named with, the place). A per-place event
at a coarser place (a prefix of the other's path; for a region the gazetteer could not
link to an admin-1, any place under an admin-1 of its country, or named inside it) joins
the best per-place event below it when (1) their days are compatible: the same explicit day; or an undated report (dated by
publication) within a week after the explicitly dated event; or two undated ones at most
a week apart, as two undated reports of one place are (an event with no day at all never
joins across levels); and (2) their
figures can be one toll: no article states, for one metric, one figure at the coarser
place and another at the finer where that reads as a part beside its whole (beside a
country's figure; or in a breakdown whose parts add up to the coarser figure); a ceiling
("as many as 60") is an estimate, not a count, and is neither part nor whole. The best
is the one explicitly dated, then one that an article of the coarser report also reports
(the article tells both places as one story), then the one whose toll is nearest, then
reported by most articles, then nearest in days, then the smallest id. Each event joins at most one finer one, so a formed event is a chain of
places; its place, id and title are those of its most specific place (the one its reports
agree on), its date that of an explicitly dated member when the most specific one is only
inferred. Different towns, or districts, on one day stay apart unless a report at a
common coarser place joins them; a country-wide figure given beside a city's stays its
own event (the sink links it as the parent of that day's events in the country).

Per place:

* **Events.** Mentions with the same ``event_date`` are one event (an *explicitly dated*
  event). An undated mention with a publication date looks for the event it reports on in
  a window before its publication date: with a ``weekday``, an event on that weekday, from
  a week before publication to a day after (the one closest to the publication date,
  earlier on ties); without one, an event in the week up to the publication date (the
  closest, later on ties). Explicitly dated events come first. Failing those, it joins
  an *inferred* event in the same window (up to 2 days before publication when it names no
  weekday), or starts one dated by its evidence: the most
  recent day with its weekday on or before the publication date (the publication date
  itself when the weekdays agree), or without a weekday the publication date. So two
  articles a day apart reporting a rising toll without a date are one event, dated by the
  first; an article a week later starts another. To be independent of arrival order,
  these mentions are taken in a canonical order: those naming a weekday first (they say
  more about the day, and an inferred weekday event then collects the vaguer reports
  around it), then by publication time, then by mention id. An undated mention with no
  publication date joins the latest explicitly dated event (with its weekday, if it names
  one), else the latest inferred one, else forms one undated event per weekday (or None).
  Undated mentions never create or move explicitly dated events: those are a function of
  the dated mentions alone, and an inferred event never falls on the date of one. An
  inferred event's id is that of an explicitly dated event on the same day, so a dated
  report arriving later for that day keeps the event's id.
* **Claims.** Within an event, mentions with the same (metric, value, normalised source)
  are one claim. A mention that names nobody (source None) or only "officials" joins the
  claim of a named source that gave the same figure for the same event, if there is one.
* **Tolls.** Per (event, metric): low/high over all its claims, a hedged one too: a
  ceiling ("as many as 80 may have died") or a feared figure is a claim about the toll, and
  the range is what was claimed, not what was confirmed. The latest is the most recent
  non-hedged claim (a hedged one only when there is no other): a guess does not supersede
  a count.

Everything is O(n log n) in the group's size: sorts of the mentions, bisection into the
sorted dated events, O(1) probes of the inferred events by date, and linear passes; across
levels, per per-place event, a bisection into the day-sorted events below its place and a
scan of those within a week of it (bench/resolve_group.py: ~10-15 us a mention at 2,000
and at 10,000 mentions).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import NamedTuple

from processors.models import (
    METRICS,
    QUALIFIERS,
    Claim,
    Event,
    Frozen,
    GroupView,
    Mention,
    Metric,
    Qualifier,
    Toll,
    content_id,
)
from processors.places import default_gazetteer
from processors.sources import GENERIC_SOURCE, merge_person_keys, normalise_source

__all__ = [
    "TollChange",
    "group_key",
    "normalise_source",
    "place_key",
    "place_path",
    "resolve_group",
    "title_for",
    "toll_changes",
]

# How far back an undated mention (no weekday) may reach from its publication date to find
# the event it reports on: "the toll rose to 61" in a Monday article is about an event
# dated by another report in the week before (the latest such), or else, when no report
# dates one, about an undated report's event of Saturday to Monday.
UPDATE_LOOKBACK = timedelta(days=7)
UNDATED_LOOKBACK = timedelta(days=2)
# A weekday named in an article ("on Saturday") is within the week before publication; one
# day of slack forward because publication times are UTC and the event's local date may be
# a day ahead.
WEEKDAY_LOOKBACK = timedelta(days=7)
WEEKDAY_LOOKAHEAD = timedelta(days=1)

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_QUALIFIER_RANK = {q: i for i, q in enumerate(QUALIFIERS)}  # lower = stricter
_METRIC_RANK = {m: i for i, m in enumerate(METRICS)}


def _words(s: str) -> frozenset[str]:
    return frozenset(s.split())


_EPOCH = datetime.min.replace(tzinfo=UTC)  # sorts a missing publication time as oldest
# Words that do not tell places apart when a location has no gazetteer key
# ("Marrowby region" and "the city of Marrowby" are both "marrowby").
_PLACE_NOISE = _words(
    "the of in near region oblast province city town village district county port capital "
    "area municipality governorate prefecture"
)
_PLACE_WORD = re.compile(r"[a-z0-9]+")


class TollChange(Frozen):
    """One toll that appeared, changed (low, high or latest) or disappeared.

    ``old_*`` are None for a toll that is new; ``new_*`` are None for a toll that no longer
    exists (its event was merged into another one, or its claims moved). ``claim_id`` and
    ``article_id`` identify the latest claim of the new toll and the article behind it
    (None when the toll disappeared). One row of ``toll_history`` per change.
    """

    event_id: str
    metric: Metric
    old_low: int | None
    old_high: int | None
    old_latest: int | None
    new_low: int | None
    new_high: int | None
    new_latest: int | None
    claim_id: str | None
    article_id: str | None


# --------------------------------------------------------------------------------------
# groups


def place_key(location: str | None) -> str | None:
    """A fallback place key from a location as written, for mentions with no gazetteer key.

    Lowercase ASCII words without filler ("region", "city", "the"), so "Marrowby region"
    and "the city of Marrowby" agree. None when nothing is left.
    """
    if not location:
        return None
    s = unicodedata.normalize("NFKD", location.replace("’", "'"))
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    s = re.sub(r"'s\b", "", s)
    words = [w for w in _PLACE_WORD.findall(s) if w not in _PLACE_NOISE]
    return " ".join(words) or None


def group_key(m: Mention) -> str:
    """The state key of a mention: one group per country, ``"<ISO2>|*"``.

    Reports of one event at different levels of place (the region, a town in it, a
    district of the city, the country) must meet in one group to be formed into one event
    (see :func:`resolve_group`), so the group is the country. A place with no known country
    cannot be placed in the hierarchy and keeps a group of its own,
    ``"??|<place>"`` (``place`` the gazetteer key, else the location as written, see
    :func:`place_key`). A mention with no place at all is grouped with the rest of its
    article (``"<country>|article:<article_id>"``), so it still forms an event but never
    merges with other articles' events on a guess.
    """
    country = (m.country or "").upper() or "??"
    place = m.place or place_key(m.location)
    if not place:
        return f"{country}|article:{m.article_id}"
    if country == "??":
        return f"??|{place}"
    return f"{country}|*"


def place_path(m: Mention, admin1: str | None = None) -> tuple[str, ...]:
    """Where a mention's place sits in the hierarchy: ``(country, admin-1, [container,]
    place)``, coarsest first, each level present only when known.

    A country is ``("UA",)``; a region linked to an admin-1 is that admin-1
    (``("UA", "UA.07")``), else its own key under the country; a city is under its
    admin-1; a district or town is under its admin-1 and the place that contains it
    (``within``), when the article named one. Two places are compatible when one path is a
    prefix of the other (the same place, or one contains the other). ``admin1`` overrides
    the mention's own (the group's reading of the same key, see :func:`resolve_group`).
    """
    country = (m.country or "").upper() or "??"
    key = m.place or place_key(m.location) or f"article:{m.article_id}"
    kind = m.place_kind or "unknown"
    if kind == "country":
        return (country,)
    a1 = admin1 if admin1 is not None else (m.admin1 or "")
    path = [country]
    if a1:
        path.append(a1)
    if kind == "region":
        return tuple(path) if a1 else (country, key)
    if kind not in ("city", "region") and m.within and m.within != key:
        path.append(m.within)
    path.append(key)
    return tuple(path)


# --------------------------------------------------------------------------------------
# small pure helpers


def title_for(location: str | None, event_date: date | None, weekday: int | None = None) -> str:
    """A human-readable event title: ``"Marrowby, 30 Dec 2023"``, ``"Oakham, undated"``.

    An undated event that is known to be on a weekday says so:
    ``"Oakham, Saturday (undated)"``. Locale-independent.
    """
    where = location or "Unknown place"
    if event_date is not None:
        return f"{where}, {event_date.day} {_MONTHS[event_date.month - 1]} {event_date.year}"
    if weekday is not None:
        return f"{where}, {_WEEKDAYS[weekday]} (undated)"
    return f"{where}, undated"


def _utc(ts: datetime | None) -> datetime | None:
    """Naive timestamps are taken as UTC, so naive and aware ones compare."""
    if ts is not None and ts.tzinfo is None:
        return ts.replace(tzinfo=UTC)
    return ts


def _most_common_spelling(values: Iterable[str | None]) -> str | None:
    """Most frequent non-empty value; ties: shortest, then alphabetical."""
    vals = [v for v in values if v]
    if not vals:
        return None
    first = vals[0]
    if all(v == first for v in vals):  # the common case, without a Counter
        return first
    counts = Counter(vals)
    return min(counts, key=lambda v: (-counts[v], len(v), v))


def _dedupe(mentions: Iterable[Mention]) -> list[Mention]:
    """One mention per id, sorted by id.

    Naive publication times are made UTC here, once, so that every comparison after this
    sees aware datetimes. Redelivery gives equal duplicates. Should two different mentions
    share an id (an extractor changed between runs), keep the one with the smallest JSON,
    so that the choice does not depend on order.
    """
    by_id: dict[str, Mention] = {}
    for m in mentions:
        naive = {
            k: _utc(t)
            for k, t in (("published_at", m.published_at), ("received_at", m.received_at))
            if t is not None and t.tzinfo is None
        }
        if naive:
            m = m.model_copy(update=naive)
        seen = by_id.get(m.mention_id)
        if seen is None or (seen != m and m.model_dump_json() < seen.model_dump_json()):
            by_id[m.mention_id] = m
    return [by_id[k] for k in sorted(by_id)]


# --------------------------------------------------------------------------------------
# events

# An event inside a group: its date, or (None, weekday) for an undated cluster.
_EventKey = tuple[date | None, int | None]


def _nearest(
    dates: Sequence[date], lo: date, hi: date, target: date, *, prefer_later: bool
) -> date | None:
    """The date in sorted ``dates`` within [lo, hi] closest to ``target``."""
    i, j = bisect_left(dates, lo), bisect_right(dates, hi)
    if i >= j:
        return None
    # later dates win ties when prefer_later (an update most likely about the newest event)
    return min(
        dates[i:j],
        key=lambda d: (abs((d - target).days), -d.toordinal() if prefer_later else d.toordinal()),
    )


def _weekday_on_or_before(day: date, weekday: int) -> date:
    """The most recent ``weekday`` on or before ``day`` (``day`` itself when it matches)."""
    return day - timedelta(days=(day.weekday() - weekday) % 7)


def _dated_hit(
    m: Mention, pub_date: date, dated: Sequence[date], by_weekday: dict[int, list[date]]
) -> date | None:
    """The explicitly dated event an undated mention with a publication date reports on."""
    if m.weekday is not None:
        # a weekday "on Saturday" points back from publication: the earlier of two equally
        # distant candidates
        return _nearest(
            by_weekday.get(m.weekday, ()),
            pub_date - WEEKDAY_LOOKBACK,
            pub_date + WEEKDAY_LOOKAHEAD,
            pub_date,
            prefer_later=False,
        )
    return _nearest(dated, pub_date - UPDATE_LOOKBACK, pub_date, pub_date, prefer_later=True)


def _inferred_hit(m: Mention, pub_date: date, inferred: set[date]) -> date:
    """The inferred event an undated mention joins, creating it (in ``inferred``) if needed.

    The same windows as for dated events. The inferred set holds few dates near any one
    publication date, so candidates are probed by date (O(1)) rather than searched.
    """
    if m.weekday is not None:
        target = _weekday_on_or_before(pub_date, m.weekday)
        week = timedelta(days=7)
        # every date with that weekday in [pub - LOOKBACK, pub + LOOKAHEAD]
        candidates = [
            d
            for d in (target - week, target, target + week)
            if pub_date - WEEKDAY_LOOKBACK <= d <= pub_date + WEEKDAY_LOOKAHEAD and d in inferred
        ]
        if candidates:
            return min(candidates, key=lambda d: (abs((d - pub_date).days), d))
    else:
        target = pub_date
        for back in range(UNDATED_LOOKBACK.days + 1):  # nearest first: later wins
            d = pub_date - timedelta(days=back)
            if d in inferred:
                return d
    inferred.add(target)
    return target


def _latest_key(
    weekday: int | None, dated: Sequence[date], by_weekday: dict[int, list[date]]
) -> date | None:
    """The latest event date with ``weekday`` (any when None), for mentions with no dates."""
    pool = by_weekday.get(weekday, ()) if weekday is not None else dated
    return pool[-1] if pool else None


def _weekday_index(dates: Iterable[date]) -> tuple[list[date], dict[int, list[date]]]:
    ordered = sorted(dates)
    by_weekday: dict[int, list[date]] = {}
    for d in ordered:
        by_weekday.setdefault(d.weekday(), []).append(d)
    return ordered, by_weekday


def _assign_events(
    mentions: Sequence[Mention], decided: Mapping[str, date] | None = None
) -> dict[_EventKey, list[Mention]]:
    """Event key -> its mentions, in three passes (see the module docstring).

    1. Dated mentions: their date. These events depend on the dated mentions alone.
    2. Undated mentions with a publication date, in a canonical order (those naming a
       weekday first, then by publication time, then by id): the dated event in their
       window; else an inferred event in the same window; else a new inferred event.
    3. Undated mentions without a publication date: the latest dated event (with their
       weekday, if any); else the latest inferred one (one dated a day or two after their
       weekday will do); else an undated event.

    ``decided``: mention id -> the day pass 2 gave it in an earlier run, for mentions that
    come before every undecided one in pass 2's order and whose decision cannot have
    changed (see :mod:`processors.incremental`). They are placed there without a search,
    and the inferred events they made are made again, so the mentions after them see the
    state a run over the whole set would.
    """
    events: dict[_EventKey, list[Mention]] = {}
    with_pub: list[tuple[bool, datetime, str, Mention]] = []
    no_pub: list[Mention] = []
    for m in mentions:
        if m.event_date is not None:
            events.setdefault((m.event_date, None), []).append(m)
        elif m.published_at is not None:
            with_pub.append((m.weekday is None, m.published_at, m.mention_id, m))
        else:
            no_pub.append(m)
    dated, by_weekday = _weekday_index(d for d, _ in events if d is not None)

    inferred: set[date] = set()
    pinned: set[date] = set()  # inferred events on a weekday that a mention named
    with_pub.sort(key=lambda x: x[:3])  # mention ids are unique: never compares mentions
    dated_days = set(dated) if decided else set()
    for _, published_at, _, m in with_pub:
        pub_date = published_at.date()
        hit = decided.get(m.mention_id) if decided else None
        if hit is not None:
            if hit not in dated_days:  # the inferred event it joined or made
                inferred.add(hit)
                if m.weekday is not None:
                    pinned.add(hit)
        else:
            hit = _dated_hit(m, pub_date, dated, by_weekday)
            if hit is None:
                hit = _inferred_hit(m, pub_date, inferred)
                if m.weekday is not None:
                    pinned.add(hit)
        events.setdefault((hit, None), []).append(m)

    if no_pub:
        inferred_dates, inferred_by_weekday = _weekday_index(inferred)
        placed: list[tuple[Mention, date | None]] = []
        moves: dict[date, date] = {}
        for m in no_pub:
            found = _latest_key(m.weekday, dated, by_weekday)
            if found is None:
                found = _latest_key(m.weekday, inferred_dates, inferred_by_weekday)
                if found is not None and m.weekday is not None:
                    pinned.add(found)
            if found is None and m.weekday is not None:
                # an inferred event is dated by publication; the day it reports on may be
                # the day or two before ("on Friday" in Saturday's paper), and the weekday
                # says which: unless a mention pins it to its own weekday, the event moves
                # there (the latest such day, if several)
                near = [d for d in inferred_dates if (d.weekday() - m.weekday) % 7 in (1, 2)]
                if near:
                    found = max(near)
                    day = found - timedelta(days=(found.weekday() - m.weekday) % 7)
                    moves[found] = max(day, moves.get(found, day))
            placed.append((m, found))
        for old, new in list(moves.items()):
            if old in pinned or (new, None) in events:  # never onto another event's day
                del moves[old]
        # (in date order, so that an event moving a day back never lands on one that has
        # not moved yet; two events never move onto one day: they are at least 1 day apart
        # and each takes the latest candidate day)
        for old, new in sorted(moves.items()):
            events[(new, None)] = events.pop((old, None))
        for m, found in placed:
            found = moves.get(found, found) if found is not None else None
            key: _EventKey = (found, None) if found is not None else (None, m.weekday)
            events.setdefault(key, []).append(m)
    return events


def _event_id(group: str, key: _EventKey) -> str:
    d, weekday = key
    return content_id(group, d if d is not None else f"undated:{weekday}")


# --------------------------------------------------------------------------------------
# events across levels of place

# A coarser report (the region, the country) joins a finer event when its day is within
# this reach of the finer event's: an undated report published in the week after an
# explicitly dated event is about it (as UPDATE_LOOKBACK within one place).
_LEVEL_REACH = UPDATE_LOOKBACK


_Parts = dict[tuple[str, str], dict[tuple[str, ...], set[int]]]
# how sure a mention's kind of place is, surest first
_KIND_TRUST = {"country": 0, "region": 1, "city": 2, "county": 3, "district": 4, "unknown": 5}


class _Atom:
    """An event of one place (the pre-hierarchy event): the mentions of one place key that
    :func:`_assign_events` put on one day."""

    __slots__ = (
        "admin1",
        "article_ids",
        "articles",
        "day",
        "ekey",
        "explicit",
        "figures",
        "highest",
        "id",
        "key",
        "mentions",
        "path",
        "unlinked_region",
    )

    def __init__(
        self, key: str, path: tuple[str, ...], ekey: _EventKey, ms: list[Mention], admin1: str
    ):
        self.key, self.path, self.day, self.mentions = key, path, ekey[0], ms
        self.admin1 = admin1  # the admin-1 on the path ("" when none)
        self.unlinked_region = not admin1 and any(m.place_kind == "region" for m in ms)
        self.id = _event_id(key, ekey)
        self.explicit = any(m.event_date is not None for m in ms)
        self.article_ids = frozenset(m.article_id for m in ms)
        self.articles = len(self.article_ids)
        # article -> metric -> the counts it states here. A ceiling ("as many as 60 may
        # have died") is an estimate of the toll, not a count: it is neither a part of a
        # whole nor a whole with parts, so it takes no part in telling a breakdown apart
        self.figures: dict[str, dict[str, set[int]]] = {}
        for m in ms:
            if m.qualifier == "up_to":
                continue
            self.figures.setdefault(m.article_id, {}).setdefault(m.metric, set()).add(m.value)
        self.ekey = ekey
        self.highest: dict[str, int] = {}  # metric -> the highest figure given here
        for m in ms:
            self.highest[m.metric] = max(self.highest.get(m.metric, 0), m.value)


def _days_compatible(coarse: _Atom, fine: _Atom) -> bool:
    """Both dated alike on one day; or the undated one (dated by publication) within the
    week after the explicitly dated one; or two undated ones at most a week apart (the
    rolling toll of a slow disaster: a region's first count, a town's update days later)."""
    a, b = coarse.day, fine.day
    if a is None or b is None:
        return False  # an undated cluster has no day to match: it stays where it is
    if coarse.explicit == fine.explicit:
        return a == b if coarse.explicit else abs((a - b).days) <= _LEVEL_REACH.days
    lo = b if fine.explicit else a  # the explicitly dated one
    hi = a if fine.explicit else b
    return timedelta(0) <= hi - lo <= _LEVEL_REACH


def _figures_conflict(coarse: _Atom, fine: _Atom, parts: _Parts) -> bool:
    """True when the two cannot be one toll: one article states a figure at the coarser
    place and a different one at the finer, for the same metric, and that reads as a part
    beside its whole: the coarser place is a country (a city inside a national barrage),
    or the article's figures for that metric at two or more places under the coarser one
    add up to the coarser figure (a breakdown: "47 dead, 31 in one district and 16 in
    another"). Else a different finer figure is read as a revision ("initially seven in
    the town, now 11 across the state"). ``parts``: (article, metric) -> path -> values.
    """
    small, large = sorted((coarse.figures, fine.figures), key=len)
    depth = len(coarse.path)
    for article, metrics in small.items():
        other = large.get(article)
        if other is None:
            continue
        for metric, values in metrics.items():
            there = other.get(metric)
            if there is None or (values | there) == values & there:
                continue
            if depth == 1:
                return True
            below = [
                max(vs)
                for p, vs in parts[(article, metric)].items()
                if len(p) > depth and p[:depth] == coarse.path
            ]
            if len(below) >= 2 and sum(below) in coarse.figures[article][metric]:
                return True
    return False


def _figure_distance(coarse: _Atom, fine: _Atom) -> float:
    """How far the finer event's toll is from the coarser report's: over the metrics the
    coarser one gives, the mean of ``|a - b| / max(a, b)`` between their highest figures
    (1 for a metric the finer one lacks). A city-wide "four killed, 21 injured" is nearer
    a district's three and 19 than another district's one and six."""
    a, b = coarse.highest, fine.highest
    return sum(abs(v - b[k]) / max(v, b[k], 1) if k in b else 1.0 for k, v in a.items()) / max(
        len(a), 1
    )


def _figure_parts(atoms: Iterable[_Atom]) -> _Parts:
    """(article, metric) -> path -> the counts the article states there, over ``atoms``
    (what :func:`_figures_conflict` reads a breakdown from)."""
    parts: _Parts = {}
    for a in atoms:
        for article, metrics in a.figures.items():
            for metric, values in metrics.items():
                parts.setdefault((article, metric), {}).setdefault(a.path, set()).update(values)
    return parts


# a path -> the atoms (with a day) strictly below it, as (day, atom id), sorted
_Below = dict[tuple[str, ...], list[tuple[date, str]]]


def _index_below(atoms: Iterable[_Atom]) -> _Below:
    below: _Below = {}
    for a in atoms:
        if a.day is None:
            continue
        for n in range(1, len(a.path)):
            below.setdefault(a.path[:n], []).append((a.day, a.id))
    for lst in below.values():
        lst.sort()
    return below


def _finer_atom(a: _Atom, below: _Below, by_id: Mapping[str, _Atom], parts: _Parts) -> str | None:
    """The id of the finer atom that ``a`` joins (see :func:`_attach_levels`), or None.

    Reads only the atoms within :data:`_LEVEL_REACH` of ``a``'s day below its place, and
    the figures of the articles ``a`` shares with them.
    """
    # a region not linked to an admin-1 may contain any place under an admin-1 of its
    # country (or under itself): it is searched among the country's events
    loose = a.unlinked_region
    cands = below.get(a.path[:1] if loose else a.path)
    if not cands or a.day is None:
        return None
    lo = bisect_left(cands, (a.day - _LEVEL_REACH, ""))  # ids are hex: "" < id < "~"
    hi = bisect_right(cands, (a.day + _LEVEL_REACH, "~"))
    best: tuple[bool, bool, float, int, int, str] | None = None
    for _, fid in cands[lo:hi]:
        f = by_id[fid]
        if loose and (f.unlinked_region or not (f.admin1 or f.path[1] == a.path[1])):
            continue
        if not _days_compatible(a, f) or _figures_conflict(a, f, parts):
            continue
        assert f.day is not None
        rank = (
            not f.explicit,
            # an article that reports both places tells that they are one story
            a.article_ids.isdisjoint(f.article_ids),
            _figure_distance(a, f),
            -f.articles,
            abs((f.day - a.day).days),
            f.id,
        )
        if best is None or rank < best:
            best = rank
    return best[-1] if best is not None else None


def _attach_levels(atoms: Sequence[_Atom]) -> dict[str, str]:
    """Each atom's id -> the id of the finer atom it joins (atoms that join none: absent).

    A coarser atom (a prefix path) joins the best finer atom it is compatible with (days,
    figures; see above): explicitly dated first, then one sharing an article with it, then
    the nearest toll, then the one most articles report, then the nearest day, then the
    smallest id. Each atom joins at most one finer atom and
    links only go deeper, so an event is a chain of places ending in its most specific
    one (the root, :func:`_root`). A pure function of the atoms: candidates are sorted,
    never visited in input order. Cost: per atom, a bisection into the day-sorted atoms
    below its place and a scan of those within the reach (the events of about a week
    under that place).
    """
    parts = _figure_parts(atoms)
    below = _index_below(atoms)
    by_id = {a.id: a for a in atoms}
    parent: dict[str, str] = {}
    for a in atoms:
        finer = _finer_atom(a, below, by_id, parts)
        if finer is not None:
            parent[a.id] = finer
    return parent


def _root(atom_id: str, parent: Mapping[str, str]) -> str:
    """The end of an atom's chain of finer atoms: the atom whose event it is part of."""
    while atom_id in parent:
        atom_id = parent[atom_id]
    return atom_id


# One place key's reading of its place: (how sure its kind is, path, admin-1)
_Reading = tuple[int, tuple[str, ...], str]


def _reading(m: Mention) -> _Reading:
    a1 = m.admin1 or default_gazetteer().admin1_of(m.place or "", (m.country or "").upper())
    return (_KIND_TRUST.get(m.place_kind or "", 9), place_path(m, a1), a1)


def _best_reading(readings: Iterable[_Reading]) -> _Reading:
    """One reading of the place per key: the one its surest kind gives (a region named
    with its unit word over a town of that name attached to a city), then the most
    specific one. The minimum of a total order: the best of a union is the best of the
    parts' best."""
    return min(readings, key=lambda r: (r[0], -len(r[1]), r))


def _place_atoms(
    key: str, reading: _Reading, events: Mapping[_EventKey, list[Mention]]
) -> list[_Atom]:
    """The atoms of one place key from its :func:`_assign_events`."""
    _, path, a1 = reading
    return [_Atom(key, path, ekey, ems, a1) for ekey, ems in events.items()]


def _event_day(root: _Atom, members: Sequence[_Atom]) -> date | None:
    """The date of an event: its root's, or, when the root is only inferred, the date of
    an explicitly dated member, else the earliest inferred one (a rolling toll is dated by
    its first report)."""
    if root.explicit:
        return root.day
    explicit = [a.day for a in members if a.explicit and a.day is not None]
    inferred = [a.day for a in members if a.day is not None]
    return min(explicit or inferred, default=root.day)


def _form_events(mentions: Sequence[Mention]) -> list[tuple[_Atom, list[_Atom]]]:
    """The events of a group: (root atom, member atoms in id order), in the root's id order.

    Mentions are first split by place key (``"<country>|<place>"``, the groups of old) and
    put on days within each place (:func:`_atoms_of`); those per-place events then join
    across levels (:func:`_attach_levels`). An event's place, id and title are its root's,
    the most specific place its reports agree on; its date, :func:`_event_day`.
    """
    atoms = _atoms_of(mentions)
    return _chains(atoms, _attach_levels(atoms))


def _atoms_of(mentions: Sequence[Mention]) -> list[_Atom]:
    """The per-place events (atoms) of a group's mentions, in id order."""
    by_key: dict[str, list[Mention]] = {}
    for m in mentions:
        by_key.setdefault(_place_group(m), []).append(m)
    atoms: list[_Atom] = []
    for key in sorted(by_key):
        ms = by_key[key]
        # one path per place key: the most specific reading of it in the group
        reading = _best_reading({_reading(m) for m in ms})
        atoms += _place_atoms(key, reading, _assign_events(ms))
    atoms.sort(key=lambda a: a.id)
    return atoms


def _chains(atoms: Iterable[_Atom], parent: Mapping[str, str]) -> list[tuple[_Atom, list[_Atom]]]:
    """Atoms grouped by their root: (root, members in the order given), in root id order."""
    by_id: dict[str, _Atom] = {}
    members: dict[str, list[_Atom]] = {}
    for a in atoms:
        by_id[a.id] = a
        members.setdefault(_root(a.id, parent), []).append(a)
    return [(by_id[r], members[r]) for r in sorted(members)]


def _place_group(m: Mention) -> str:
    """The place key of a mention within its group (the state key before groups were
    countries): ``"<country>|<place>"``, or its article's when it names no place."""
    country = (m.country or "").upper() or "??"
    place = m.place or place_key(m.location)
    return f"{country}|{place}" if place else f"{country}|article:{m.article_id}"


# --------------------------------------------------------------------------------------
# claims

_ClaimKey = tuple[Metric, int, str | None]


def _group_claims(
    mentions: Sequence[Mention],
) -> dict[_ClaimKey, tuple[list[Mention], list[Mention]]]:
    """The claims of one event: claim key -> (its mentions, those that name its source).

    Named sources key on their normalised form (person keys reconciled across the event).
    A mention with no source, or only "officials", joins a named source's claim of the
    same figure when one exists (most mentions, then alphabetical key); an unattributed one
    otherwise joins a generic "officials" claim of that figure, if any.
    """
    raw = [normalise_source(m.source) for m in mentions]
    merged = merge_person_keys(set(raw))
    own: dict[_ClaimKey, list[Mention]] = {}
    for m, k in zip(mentions, raw, strict=True):
        own.setdefault((m.metric, m.value, merged[k] if k is not None else None), []).append(m)

    best_named: dict[tuple[Metric, int], tuple[int, str]] = {}  # figure -> (-count, key)
    generic: set[tuple[Metric, int]] = set()
    for (metric, value, k), ms in own.items():
        if k == GENERIC_SOURCE:
            generic.add((metric, value))
        elif k is not None:
            cand = (-len(ms), k)
            best = best_named.get((metric, value))
            if best is None or cand < best:
                best_named[(metric, value)] = cand

    out: dict[_ClaimKey, tuple[list[Mention], list[Mention]]] = {}
    for (metric, value, k), ms in own.items():
        target = k
        if k is None or k == GENERIC_SOURCE:
            best = best_named.get((metric, value))
            if best is not None:
                target = best[1]
            elif k is None and (metric, value) in generic:
                target = GENERIC_SOURCE
        entry = out.setdefault((metric, value, target), ([], []))
        entry[0].extend(ms)
        if target == k:
            entry[1].extend(ms)
    return out


def _pick_qualifier(mentions: Sequence[Mention]) -> Qualifier:
    """Most common qualifier; ties: the stricter one (order of ``QUALIFIERS``)."""
    first = mentions[0].qualifier
    if all(m.qualifier == first for m in mentions):
        return first
    counts = Counter(m.qualifier for m in mentions)
    return min(counts, key=lambda q: (-counts[q], _QUALIFIER_RANK[q]))


def _build_claim(
    claim_id: str,
    event_id: str,
    key: _ClaimKey,
    ms: Sequence[Mention],
    named: Sequence[Mention],
    event_location: str | None,
    event_date: date | None,
) -> Claim:
    metric, value, _ = key
    if len(ms) == 1:  # most claims: a fast path with the same result as the general one
        m = ms[0]
        return Claim(
            claim_id=claim_id,
            event_id=event_id,
            metric=metric,
            value=value,
            qualifier=m.qualifier,
            source=m.source or None,
            location=m.location or event_location,
            event_date=event_date,
            hedged=m.hedged,
            first_seen=m.published_at,
            last_seen=m.published_at,
            mention_ids=(m.mention_id,),
            article_ids=(m.article_id,),
        )
    times = [m.published_at for m in ms if m.published_at is not None]
    return Claim(
        claim_id=claim_id,
        event_id=event_id,
        metric=metric,
        value=value,
        qualifier=_pick_qualifier(ms),
        source=_most_common_spelling(m.source for m in named),
        location=_most_common_spelling(m.location for m in ms) or event_location,
        event_date=event_date,
        hedged=all(m.hedged for m in ms),
        first_seen=min(times) if times else None,
        last_seen=max(times) if times else None,
        mention_ids=tuple(sorted(m.mention_id for m in ms)),
        article_ids=tuple(sorted({m.article_id for m in ms})),
    )


# --------------------------------------------------------------------------------------
# tolls


def _placed(m: Mention, event_date: date | None) -> datetime:
    """When a report counts as made, for ``latest``: its publication time; else the day of
    the event it reports (what its text gives, or the event it joined), as the start of that
    day; else when the feed received it; else never (the oldest)."""
    if m.published_at is not None:
        return m.published_at
    if event_date is not None:
        return datetime(event_date.year, event_date.month, event_date.day, tzinfo=UTC)
    return m.received_at or _EPOCH


def _recency(c: Claim, by_id: dict[str, Mention]) -> tuple[datetime, datetime, int, str]:
    """Sort key of the latest claim (max wins).

    Most recent support first (see :func:`_placed`); then the figure that appeared most
    recently (an article that revises "to 61 from 75" supports both figures, but 61 is the
    one first seen there); then the larger value; then the claim id.
    """
    times = [_placed(by_id[mid], c.event_date) for mid in c.mention_ids]
    return (max(times), min(times), c.value, c.claim_id)


def _latest_article(c: Claim, by_id: dict[str, Mention]) -> str:
    """The article of the claim's most recent mention (ties: smallest article id)."""
    placed = [(_placed(by_id[mid], c.event_date), by_id[mid].article_id) for mid in c.mention_ids]
    newest = max(t for t, _ in placed)
    return min(a for t, a in placed if t == newest)


def _build_toll(
    event_id: str,
    metric: Metric,
    claims: Sequence[Claim],
    claim_sources: dict[str, str | None],
    by_id: dict[str, Mention],
) -> Toll:
    values = [c.value for c in claims]
    latest = max([c for c in claims if not c.hedged] or claims, key=lambda c: _recency(c, by_id))
    sources = {claim_sources[c.claim_id] for c in claims} - {None}
    return Toll(
        event_id=event_id,
        metric=metric,
        low=min(values),
        high=max(values),
        latest=latest.value,
        n_claims=len(claims),
        n_sources=len(sources),
        claim_ids=tuple(sorted(c.claim_id for c in claims)),
        latest_claim_id=latest.claim_id,
        latest_article_id=_latest_article(latest, by_id),
    )


# --------------------------------------------------------------------------------------
# the group


def resolve_group(group: str, mentions: Iterable[Mention]) -> GroupView:
    """Events, claims, tolls and the mention -> claim map of one group, from scratch.

    Contract: a pure function of the *set* of mentions (by ``mention_id``): any order and
    any number of repeats of the same mentions give an equal :class:`GroupView`, with every
    tuple sorted. ``group`` is the key the mentions were stored under (see
    :func:`group_key`); it is hashed into event ids, so ids are stable for as long as an
    event's date is. Every mention id of scope "event" appears in ``mention_claims``;
    aggregates and breakdowns (:attr:`Mention.scope`) feed no event, claim or toll.
    """
    ms = _dedupe(m for m in mentions if m.scope == "event")
    return _view(group, [_build_event(group, root, members) for root, members in _form_events(ms)])


class _Built(NamedTuple):
    """One event with its claims, tolls and mention -> claim map (unsorted)."""

    event: Event
    claims: list[Claim]
    tolls: list[Toll]
    mention_claims: dict[str, str]


def _build_event(group: str, root: _Atom, members: Sequence[_Atom]) -> _Built:
    """An event's rows: a function of its root and its member atoms (their mentions) only."""
    day = _event_day(root, members)
    ekey = (day, root.ekey[1])
    event_id = root.id
    ems = [m for a in members for m in a.mentions]
    by_id = {m.mention_id: m for m in ems}
    at_root = root.mentions
    location = _most_common_spelling(m.location for m in at_root)
    times = [m.published_at for m in ems if m.published_at is not None]
    event = Event(
        event_id=event_id,
        group=group,
        title=title_for(location, ekey[0], ekey[1]),
        location=location,
        place=_most_common_spelling(m.place for m in at_root),
        place_kind=_most_common_spelling(m.place_kind for m in at_root),
        country=_most_common_spelling(m.country for m in at_root),
        event_date=ekey[0],
        first_seen=min(times) if times else None,
        last_updated=max(times) if times else None,
    )

    claims: list[Claim] = []
    mention_claims: dict[str, str] = {}
    event_claims: dict[Metric, list[Claim]] = {}
    claim_sources: dict[str, str | None] = {}
    for ckey, (cms, named) in _group_claims(ems).items():
        metric, value, source_key = ckey
        claim_id = content_id(event_id, metric, value, source_key)
        claim = _build_claim(claim_id, event_id, ckey, cms, named, location, ekey[0])
        claims.append(claim)
        claim_sources[claim_id] = source_key
        event_claims.setdefault(metric, []).append(claim)
        for m in cms:
            mention_claims[m.mention_id] = claim_id

    tolls = [
        _build_toll(event_id, metric, mcs, claim_sources, by_id)
        for metric, mcs in event_claims.items()
    ]
    return _Built(event, claims, tolls, mention_claims)


def _view(group: str, built: Iterable[_Built]) -> GroupView:
    """The group's view from its events' rows, every tuple in its canonical order."""
    events: list[Event] = []
    claims: list[Claim] = []
    tolls: list[Toll] = []
    mention_claims: dict[str, str] = {}
    for b in built:
        events.append(b.event)
        claims += b.claims
        tolls += b.tolls
        mention_claims.update(b.mention_claims)
    events.sort(key=lambda e: (e.event_date is None, e.event_date or date.min, e.event_id))
    claims.sort(key=lambda c: (c.event_id, _METRIC_RANK.get(c.metric, 99), c.value, c.claim_id))
    tolls.sort(key=lambda t: (t.event_id, _METRIC_RANK.get(t.metric, 99)))
    return GroupView(
        group=group,
        events=tuple(events),
        claims=tuple(claims),
        tolls=tuple(tolls),
        mention_claims={k: mention_claims[k] for k in sorted(mention_claims)},
    )


# --------------------------------------------------------------------------------------
# changes


def toll_changes(old: Iterable[Toll], new: Iterable[Toll]) -> list[TollChange]:
    """The tolls whose (low, high, latest) differ between two views, sorted by key.

    A toll present only in ``new`` appeared; only in ``old``, disappeared; in both with
    equal (low, high, latest), no change (a new supporting article alone is not a change).
    """
    before = {(t.event_id, t.metric): t for t in old}
    after = {(t.event_id, t.metric): t for t in new}
    out: list[TollChange] = []
    for key in sorted(
        before.keys() | after.keys(), key=lambda k: (k[0], _METRIC_RANK.get(k[1], 99))
    ):
        o, n = before.get(key), after.get(key)
        if (
            o is not None
            and n is not None
            and (o.low, o.high, o.latest) == (n.low, n.high, n.latest)
        ):
            continue
        out.append(
            TollChange(
                event_id=key[0],
                metric=key[1],
                old_low=o.low if o else None,
                old_high=o.high if o else None,
                old_latest=o.latest if o else None,
                new_low=n.low if n else None,
                new_high=n.high if n else None,
                new_latest=n.latest if n else None,
                claim_id=n.latest_claim_id if n else None,
                article_id=n.latest_article_id if n else None,
            )
        )
    return out
