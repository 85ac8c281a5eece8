"""Event resolution, claim dedupe and tolls (processors.resolve, processors.sources).

Scenarios are made up (invented places, people and figures); each feeds a set of mentions
into ``resolve_group`` the way the stream would, article by article, and checks the view.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from processors.models import GroupView, Mention
from processors.resolve import (
    group_key,
    place_key,
    place_path,
    resolve_group,
    title_for,
    toll_changes,
)
from processors.sources import GENERIC_SOURCE, merge_person_keys, normalise_source

SAT = date(2031, 3, 15)  # a Saturday
assert SAT.weekday() == 5


def at(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


_seq = itertools.count()


def mention(
    article_id: str,
    metric: str = "killed",
    value: int = 10,
    *,
    place: str | None = "marrowby",
    location: str | None = "Marrowby",
    country: str | None = "ZZ",
    source: str | None = None,
    event_date: date | None = SAT,
    weekday: int | None = None,
    published_at: datetime | None = None,
    qualifier: str = "exact",
    hedged: bool = False,
    span_start: int | None = None,
    kind: str | None = None,
    admin1: str | None = None,
    within: str | None = None,
) -> Mention:
    start = next(_seq) if span_start is None else span_start
    return Mention(
        mention_id=Mention.make_id(article_id, metric, value, start),
        article_id=article_id,
        metric=metric,
        value=value,
        qualifier=qualifier,
        source=source,
        location=location,
        place=place,
        place_kind=kind,
        admin1=admin1,
        within=within,
        country=country,
        event_date=event_date,
        weekday=weekday,
        hedged=hedged,
        sentence=f"{value} {metric}",
        span_start=start,
        span_end=start + 5,
        published_at=published_at,
    )


def resolve(mentions: Iterable[Mention]) -> GroupView:
    ms = list(mentions)
    keys = {group_key(m) for m in ms}
    assert len(keys) == 1, keys
    return resolve_group(keys.pop(), ms)


def toll(view: GroupView, metric: str = "killed", event_date: date | None = SAT) -> Any:
    (event,) = [e for e in view.events if e.event_date == event_date]
    (t,) = [t for t in view.tolls if t.event_id == event.event_id and t.metric == metric]
    return t


def claims_by_value(view: GroupView) -> dict[int, Any]:
    return {c.value: c for c in view.claims}


# --------------------------------------------------------------------------------------
# tolls over time


def test_toll_rises_over_a_day_and_every_step_is_a_change() -> None:
    a1 = mention("a1", value=10, source="police", published_at=at(SAT, 8))
    a2 = mention("a2", value=14, source="the regional governor", published_at=at(SAT, 12))
    a3 = mention("a3", value=20, source="Ministry of Health", published_at=at(SAT, 18))

    v1, v2, v3 = resolve([a1]), resolve([a1, a2]), resolve([a1, a2, a3])
    t = toll(v3)
    assert (t.low, t.high, t.latest) == (10, 20, 20)
    assert (t.n_claims, t.n_sources) == (3, 3)
    assert t.latest_article_id == "a3"
    assert t.latest_claim_id == claims_by_value(v3)[20].claim_id
    assert len(v3.events) == 1
    # the event is the same one throughout: its id depends on group and date only
    assert v1.events[0].event_id == v2.events[0].event_id == v3.events[0].event_id
    assert v3.events[0].first_seen == at(SAT, 8)
    assert v3.events[0].last_updated == at(SAT, 18)

    (c1,) = toll_changes([], v1.tolls)
    assert (c1.old_low, c1.new_low, c1.new_high, c1.new_latest) == (None, 10, 10, 10)
    (c2,) = toll_changes(v1.tolls, v2.tolls)
    assert (c2.old_high, c2.old_latest, c2.new_low, c2.new_high, c2.new_latest) == (
        10,
        10,
        10,
        14,
        14,
    )
    assert c2.article_id == "a2"
    (c3,) = toll_changes(v2.tolls, v3.tolls)
    assert (c3.new_low, c3.new_high, c3.new_latest, c3.article_id) == (10, 20, 20, "a3")
    assert c3.claim_id == t.latest_claim_id


def test_revised_figure_latest_follows_the_newest_article() -> None:
    # a1 says 75; a2 (later) revises "to 61 from 75", so it supports both figures
    a1 = mention("a1", value=75, source="the health ministry", published_at=at(SAT, 9))
    a2_new = mention("a2", value=61, source="Health Ministry", published_at=at(SAT, 15))
    a2_old = mention("a2", value=75, source="Health Ministry", published_at=at(SAT, 15))
    view = resolve([a1, a2_new, a2_old])

    by_value = claims_by_value(view)
    assert set(by_value) == {61, 75}
    assert by_value[75].article_ids == ("a1", "a2")
    t = toll(view)
    assert (t.low, t.high, t.latest) == (61, 75, 61)
    assert t.latest_claim_id == by_value[61].claim_id
    assert t.latest_article_id == "a2"
    assert t.n_sources == 1

    # a third article that still carries the old figure, published later, moves latest back:
    # latest is "the value from the most recently published article", not a judgement
    a3 = mention("a3", value=75, source="wire", published_at=at(SAT, 20))
    t3 = toll(resolve([a1, a2_new, a2_old, a3]))
    assert (t3.low, t3.high, t3.latest, t3.latest_article_id) == (61, 75, 75, "a3")


def test_latest_ties_break_on_larger_value_and_unknown_times_count_as_oldest() -> None:
    same_time = at(SAT, 10)
    a = mention("a", value=5, source="police", published_at=same_time)
    b = mention("b", value=7, source="medics", published_at=same_time)
    undated_pub = mention("c", value=99, source="someone", published_at=None)
    t = toll(resolve([a, b, undated_pub]))
    assert (t.low, t.high, t.latest, t.latest_article_id) == (5, 99, 7, "b")


def test_an_article_without_publication_time_is_placed_by_its_event_day_then_receipt() -> None:
    # dated by its text ("on Saturday"), an undated report counts as made at the start of
    # that day: it ties a report published that day without a time (the larger figure
    # wins), and loses to one published later that day
    first = mention("first", value=10, published_at=at(SAT, 0))
    later = mention("later", value=24, weekday=SAT.weekday(), event_date=None)
    t = toll(resolve([first, later]))
    assert (t.latest, t.latest_article_id) == (24, "later")
    evening = mention("evening", value=14, published_at=at(SAT, 20))
    assert toll(resolve([first, later, evening])).latest == 14

    # an event with no day at all: its reports by when the feed received them
    def received(aid: str, value: int, hour: int) -> Mention:
        m = mention(aid, value=value, event_date=None)
        return m.model_copy(update={"received_at": datetime(2031, 3, 1, hour)})  # naive: UTC

    t = toll(resolve([received("a", 30, 9), received("b", 12, 11)]), event_date=None)
    assert (t.latest, t.latest_article_id) == (12, "b")
    t = toll(resolve([received("a", 30, 11), received("b", 12, 9)]), event_date=None)
    assert (t.latest, t.latest_article_id) == (30, "a")


def test_claim_supported_by_several_articles_keeps_its_newest_article() -> None:
    early = mention("a-early", value=12, source="police", published_at=at(SAT, 6))
    late = mention("z-late", value=12, source="Police", published_at=at(SAT, 22))
    other = mention("m-mid", value=9, source="medics", published_at=at(SAT, 12))
    t = toll(resolve([early, late, other]))
    assert (t.latest, t.latest_article_id) == (12, "z-late")


# --------------------------------------------------------------------------------------
# events


def test_two_events_in_one_city_a_day_apart_stay_separate() -> None:
    sun = SAT + timedelta(days=1)
    ms = [
        mention("a1", value=3, event_date=SAT, published_at=at(SAT, 20)),
        mention("a2", value=8, event_date=sun, published_at=at(sun, 9)),
        mention("a2", "injured", 30, event_date=sun, published_at=at(sun, 9)),
        # "the toll has risen to 9" on Sunday, no day given: the nearest dated event
        mention("a3", value=9, event_date=None, published_at=at(sun, 21)),
    ]
    view = resolve(ms)
    assert [e.event_date for e in view.events] == [SAT, sun]
    assert len({e.event_id for e in view.events}) == 2
    assert [e.title for e in view.events] == ["Marrowby, 15 Mar 2031", "Marrowby, 16 Mar 2031"]
    sat_toll, sun_toll = toll(view, event_date=SAT), toll(view, event_date=sun)
    assert (sat_toll.low, sat_toll.high) == (3, 3)
    assert (sun_toll.low, sun_toll.high, sun_toll.latest) == (8, 9, 9)
    assert toll(view, "injured", event_date=sun).high == 30
    assert {c.event_date for c in view.claims if c.value == 9} == {sun}


def test_one_article_reporting_three_events_ends_up_in_three_events() -> None:
    tue = SAT + timedelta(days=3)
    ms = [
        mention("a1", value=4, place="marrowby", location="Marrowby", event_date=SAT),
        mention("a1", value=2, place="sandwick", location="Sandwick region", event_date=tue),
        mention("a1", value=7, place=None, location=None, event_date=tue - timedelta(days=1)),
    ]
    groups: dict[str, list[Mention]] = {}
    for m in ms:
        groups.setdefault(group_key(m), []).append(m)
    # places of one country share a group; a mention without a place keeps its article's
    assert sorted(groups) == ["ZZ|*", "ZZ|article:a1"]
    views = {k: resolve_group(k, v) for k, v in groups.items()}
    assert [len(views[k].events) for k in sorted(views)] == [2, 1]
    assert len({e.event_id for v in views.values() for e in v.events}) == 3
    assert {t.high for v in views.values() for t in v.tolls} == {4, 2, 7}
    assert views["ZZ|article:a1"].events[0].title == "Unknown place, 17 Mar 2031"
    assert {e.location for e in views["ZZ|*"].events} == {"Marrowby", "Sandwick region"}


def test_undated_saturday_mention_joins_the_dated_saturday_event() -> None:
    fri = SAT - timedelta(days=1)
    dated = [
        mention("d1", value=14, event_date=SAT, published_at=at(SAT)),
        mention("d2", value=1, event_date=fri, published_at=at(fri)),
    ]
    # an article without a publication date: "on Saturday" -> weekday 5, no date
    sat_mention = mention("u", value=20, event_date=None, weekday=5)
    fri_mention = mention("u", value=2, event_date=None, weekday=4)
    view = resolve([*dated, sat_mention, fri_mention])
    assert len(view.events) == 2
    assert (toll(view, event_date=SAT).low, toll(view, event_date=SAT).high) == (14, 20)
    assert toll(view, event_date=fri).high == 2

    # with no dated event on that weekday it stays undated, one event per weekday
    sunday = mention("u", value=5, event_date=None, weekday=6)
    no_day = mention("u", value=3, event_date=None, place="elsewhere", location="Elsewhere")
    view2 = resolve([sunday])
    assert [(e.event_date, e.title) for e in view2.events] == [(None, "Marrowby, Sunday (undated)")]
    assert resolve([no_day]).events[0].title == "Elsewhere, undated"


def test_weekday_picks_the_right_week() -> None:
    sat2 = SAT + timedelta(days=7)
    ms = [
        mention("d1", value=10, event_date=SAT, published_at=at(SAT)),
        mention("d2", value=30, event_date=sat2, published_at=at(sat2)),
    ]
    no_pub = mention("u1", value=11, event_date=None, weekday=5)
    # published the Monday after the first Saturday: that Saturday, not the later one
    monday_pub = mention(
        "u2", value=12, event_date=None, weekday=5, published_at=at(SAT + timedelta(days=2))
    )
    # published long after both: no Saturday in the week before it. Since the extractor
    # leaves event_date None for relative days ("on Saturday" in a dated article), such a
    # mention no longer stays undated: it forms an event on the Saturday before its
    # publication (Thursday SAT + 40 -> SAT + 35), which is what the article says.
    late_pub = mention(
        "u3", value=13, event_date=None, weekday=5, published_at=at(SAT + timedelta(days=40))
    )
    view = resolve([*ms, no_pub, monday_pub, late_pub])
    dates = {c.value: c.event_date for c in view.claims}
    assert dates == {10: SAT, 30: sat2, 11: sat2, 12: SAT, 13: SAT + timedelta(days=35)}


def test_undated_mention_without_weekday_joins_a_recent_event_or_stays_apart() -> None:
    ms = [mention("d1", value=10, event_date=SAT, published_at=at(SAT))]
    two_days_later = mention(
        "u1", value=12, event_date=None, published_at=at(SAT + timedelta(days=2))
    )
    # a wrap-up a week on ("the toll from the floods has risen to 13") is still about it
    week_later = mention("u2", value=13, event_date=None, published_at=at(SAT + timedelta(days=7)))
    eight_days_later = mention(
        "u5", value=16, event_date=None, published_at=at(SAT + timedelta(days=8))
    )
    no_pub = mention("u3", value=14, event_date=None)
    before = mention("u4", value=15, event_date=None, published_at=at(SAT - timedelta(days=1)))
    view = resolve([*ms, two_days_later, week_later, eight_days_later, no_pub, before])
    dates = {c.value: c.event_date for c in view.claims}
    # Out of the dated event's window, a mention with a publication date forms an event
    # dated by its publication date. The dated event does not move.
    assert dates == {
        10: SAT,
        12: SAT,
        13: SAT,
        14: SAT,
        15: SAT - timedelta(days=1),
        16: SAT + timedelta(days=8),
    }
    assert len(view.events) == 3
    assert all(e.event_date is not None for e in view.events)


def test_undated_event_merges_into_a_dated_one_when_it_arrives() -> None:
    undated = mention("u", value=40, event_date=None, weekday=5)
    v1 = resolve([undated])
    assert v1.events[0].event_date is None
    dated = mention("d", value=42, event_date=SAT, published_at=at(SAT))
    v2 = resolve([undated, dated])
    assert [e.event_date for e in v2.events] == [SAT]
    changes = toll_changes(v1.tolls, v2.tolls)
    gone = [c for c in changes if c.new_latest is None]
    new = [c for c in changes if c.old_latest is None]
    assert [(c.event_id, c.old_high) for c in gone] == [(v1.events[0].event_id, 40)]
    assert [(c.event_id, c.new_low, c.new_high) for c in new] == [(v2.events[0].event_id, 40, 42)]
    assert gone[0].claim_id is None and new[0].article_id == "d"


def test_event_location_is_the_most_common_spelling() -> None:
    ms = [
        mention("a", location="Marrowby city", value=1),
        mention("b", location="Marrowby", value=2),
        mention("c", location="Marrowby", value=3),
        mention("d", location="the town of Marrowby", value=4),
    ]
    (event,) = resolve(ms).events
    assert event.location == "Marrowby"
    assert event.title == "Marrowby, 15 Mar 2031"
    # tie: the shortest spelling
    (event2,) = resolve(ms[:2]).events
    assert event2.location == "Marrowby"


# --------------------------------------------------------------------------------------
# undated mentions with a publication date: events dated by the evidence

MON = SAT + timedelta(days=2)  # the Monday after SAT
TUE = SAT + timedelta(days=3)


def flood(article_id: str, value: int, pub: datetime, **kw: Any) -> Mention:
    """A mention about a flood in Quillby with no stated date (the extractor's None)."""
    kw = {"event_date": None, "place": "quillby", "location": "Quillby", **kw}
    return mention(article_id, value=value, published_at=pub, **kw)


def dates_by_value(view: GroupView) -> dict[int, date | None]:
    return {c.value: c.event_date for c in view.claims}


def test_rolling_toll_across_two_undated_articles_is_one_event() -> None:
    monday = flood("mon-wire", 40, at(MON, 9))  # "the flood killed 40"
    tuesday = flood("tue-wire", 61, at(TUE, 7))  # "the death toll has risen to 61"
    for ms in ([monday, tuesday], [tuesday, monday]):
        view = resolve(ms)
        (event,) = view.events
        assert event.event_date == MON  # dated by the first report
        assert event.title == "Quillby, 17 Mar 2031"
        t = toll(view, event_date=MON)
        assert (t.low, t.high, t.latest, t.latest_article_id) == (40, 61, 61, "tue-wire")
        assert dates_by_value(view) == {40: MON, 61: MON}

    # streamed article by article: the event keeps its id, and the rise is one change
    v1, v2 = resolve([monday]), resolve([monday, tuesday])
    assert v1.events[0].event_id == v2.events[0].event_id
    (change,) = toll_changes(v1.tolls, v2.tolls)
    assert (change.old_high, change.new_low, change.new_high, change.new_latest) == (40, 40, 61, 61)


def test_an_undated_report_a_week_later_starts_a_new_event() -> None:
    first = flood("a", 12, at(MON, 9))
    next_day = flood("b", 15, at(TUE, 9))
    week_later = flood("c", 3, at(MON + timedelta(days=7), 9))
    view = resolve([first, next_day, week_later])
    assert [e.event_date for e in view.events] == [MON, MON + timedelta(days=7)]
    assert dates_by_value(view) == {12: MON, 15: MON, 3: MON + timedelta(days=7)}
    assert toll(view, event_date=MON).high == 15
    assert toll(view, event_date=MON + timedelta(days=7)).high == 3


def test_the_window_is_counted_from_the_inferred_events_date() -> None:
    # day 0 creates the event; days 1 and 2 are within "publication date or up to 2 days
    # before" of it and join; day 3 is not, and starts a new one that day 4 and 5 then join
    ms = [flood(f"d{i}", 10 + i, at(MON + timedelta(days=i), 10)) for i in range(6)]
    view = resolve(ms)
    assert dates_by_value(view) == {
        10: MON,
        11: MON,
        12: MON,
        13: MON + timedelta(days=3),
        14: MON + timedelta(days=3),
        15: MON + timedelta(days=3),
    }


def test_weekday_dates_an_undated_mention_by_its_publication_date() -> None:
    # "on Saturday" in a Monday article -> the Saturday before
    sat = flood("a", 5, at(MON, 10), weekday=5)
    # "on Monday" in a Monday article -> that very day, not a week before
    mon = flood("b", 7, at(MON, 11), weekday=0, place="ferrisham", location="Ferrisham")
    # "on Sunday" in a Saturday article -> the Sunday six days before
    sun = flood("c", 9, at(SAT, 11), weekday=6, place="ottermere", location="Ottermere")
    assert dates_by_value(resolve([sat])) == {5: SAT}
    assert dates_by_value(resolve([mon])) == {7: MON}
    assert dates_by_value(resolve([sun])) == {9: SAT - timedelta(days=6)}
    assert resolve([sat]).events[0].title == "Quillby, 15 Mar 2031"


def test_undated_reports_gather_around_the_day_a_later_article_names() -> None:
    # Tuesday: "38 people died" (no day). Wednesday: "the flood on Monday killed 40".
    # Taken by publication order alone, the Tuesday report would make a Tuesday event and
    # the Wednesday one a Monday event; mentions naming a weekday go first, so both are
    # the Monday flood.
    tuesday = flood("tue", 38, at(TUE, 9))
    wednesday = flood("wed", 40, at(TUE + timedelta(days=1), 9), weekday=0)
    view = resolve([tuesday, wednesday])
    assert dates_by_value(view) == {38: MON, 40: MON}
    t = toll(view, event_date=MON)
    assert (t.low, t.high, t.latest) == (38, 40, 40)


def test_one_article_with_a_weekday_and_a_bare_figure_is_one_event() -> None:
    # Tuesday article: "the flood on Monday killed 40 ... the toll has since risen to 61"
    killed = flood("tue", 40, at(TUE, 9), weekday=0, span_start=10)
    risen = flood("tue", 61, at(TUE, 9), span_start=200)
    for ms in ([killed, risen], [risen, killed]):
        view = resolve(ms)
        assert [e.event_date for e in view.events] == [MON]
        t = toll(view, event_date=MON)
        assert (t.low, t.high, t.latest) == (40, 61, 61)  # latest: same time, larger value


def test_explicitly_dated_events_win_and_never_move() -> None:
    fri = SAT - timedelta(days=1)
    dated = [
        flood("d1", 20, at(fri, 8), event_date=fri),
        flood("d2", 25, at(SAT, 8), event_date=SAT, source="police"),
    ]
    undated = [
        flood("u1", 30, at(SAT, 20)),  # window [Thu, Sat]: the nearest dated event, Saturday
        flood("u2", 31, at(MON, 9)),  # window [Sat, Mon]: Saturday again
        flood("u3", 32, at(MON, 10), weekday=4),  # "on Friday": the dated Friday
        flood("u4", 33, at(TUE + timedelta(days=1), 9)),  # Wednesday: the latest in the week
        flood("u6", 35, at(SAT + timedelta(days=8), 9)),  # a week and a day on: inferred
        flood("u5", 34, at(TUE + timedelta(days=1), 9), weekday=5),  # "on Saturday": dated
    ]
    alone = resolve(dated)
    view = resolve([*dated, *undated])
    assert dates_by_value(view) == {
        20: fri,
        25: SAT,
        30: SAT,
        31: SAT,
        32: fri,
        33: SAT,
        34: SAT,
        35: SAT + timedelta(days=8),
    }
    # the dated events are the same events, whatever undated mentions arrive
    dated_ids = {e.event_date: e.event_id for e in alone.events}
    assert {e.event_date: e.event_id for e in view.events if e.event_date in dated_ids} == dated_ids


def test_inferred_event_makes_way_for_a_dated_one_that_arrives_later() -> None:
    undated = flood("u", 40, at(MON, 9))
    v1 = resolve([undated])
    assert [e.event_date for e in v1.events] == [MON]
    # a report dating the flood to Sunday: the Monday report now joins the Sunday event
    sunday = flood("d", 44, at(MON, 12), event_date=MON - timedelta(days=1))
    v2 = resolve([undated, sunday])
    assert [e.event_date for e in v2.events] == [MON - timedelta(days=1)]
    changes = toll_changes(v1.tolls, v2.tolls)
    assert {(c.old_high, c.new_high) for c in changes} == {(None, 44), (40, None)}
    # a report dating it to the inferred day keeps the event id
    monday = flood("d2", 41, at(TUE, 12), event_date=MON)
    v3 = resolve([undated, monday])
    assert [e.event_id for e in v3.events] == [v1.events[0].event_id]


def test_mentions_with_no_publication_date_keep_their_rules_and_may_join_inferred_events() -> None:
    inferred = flood("pub", 12, at(MON, 9), weekday=5)  # -> Saturday, inferred
    no_day = flood("nopub-1", 13, None)  # no date, no weekday, no publication date
    saturday = flood("nopub-2", 14, None, weekday=5)
    # no Friday event, but the Saturday event is inferred from publication dates, and the
    # day it reports on may be the day before: Friday's figure joins it
    friday = flood("nopub-3", 15, None, weekday=4)
    wednesday = flood("nopub-4", 16, None, weekday=2)  # three days before: stays undated
    view = resolve([inferred, no_day, saturday, friday, wednesday])
    assert dates_by_value(view) == {12: SAT, 13: SAT, 14: SAT, 15: SAT, 16: None}
    assert [e.title for e in view.events] == [
        "Quillby, 15 Mar 2031",
        "Quillby, Wednesday (undated)",
    ]
    # an explicitly dated event wins over an inferred one, even an older one
    fri = SAT - timedelta(days=1)
    dated_fri = flood("dated", 16, at(fri), event_date=fri)
    view2 = resolve([inferred, no_day, dated_fri])
    assert dates_by_value(view2) == {12: SAT, 13: fri, 16: fri}
    # nothing dated at all: today's behaviour, one undated event
    assert [e.event_date for e in resolve([no_day]).events] == [None]


def test_weekday_window_for_inferred_events_is_the_one_for_dated_events() -> None:
    # "on Monday" in a Monday article with nothing before it: that Monday
    first = flood("a", 8, at(MON, 9), weekday=0)
    # "on Monday" in the next Monday's article: the week before is in the window (as for a
    # dated Monday event), so it is the same flood
    next_week = flood("b", 9, at(MON + timedelta(days=7), 9), weekday=0)
    # "on Monday" two weeks on: out of the window, a new event
    later = flood("c", 2, at(MON + timedelta(days=15), 9), weekday=0)
    view = resolve([later, next_week, first])
    assert dates_by_value(view) == {8: MON, 9: MON, 2: MON + timedelta(days=14)}


# --------------------------------------------------------------------------------------
# claims


def test_same_claim_from_two_outlets_with_differently_spelled_sources_is_one_claim() -> None:
    a = mention(
        "outlet-a", value=14, source="Georgia's Emergency Situations Ministry", published_at=at(SAT)
    )
    b = mention(
        "outlet-b",
        value=14,
        source="the Georgian Emergencies Ministry",
        published_at=at(SAT, 14),
        qualifier="at_least",
    )
    c = mention(
        "outlet-c", value=14, source="the Georgian Emergencies Ministry", qualifier="at_least"
    )
    view = resolve([a, b, c])
    (claim,) = view.claims
    assert claim.mention_ids == tuple(sorted(m.mention_id for m in (a, b, c)))
    assert claim.article_ids == ("outlet-a", "outlet-b", "outlet-c")
    assert claim.n_articles == 3
    assert claim.source == "the Georgian Emergencies Ministry"  # most common spelling
    assert claim.qualifier == "at_least"  # most common qualifier
    assert (claim.first_seen, claim.last_seen) == (at(SAT), at(SAT, 14))
    assert set(view.mention_claims) == {a.mention_id, b.mention_id, c.mention_id}
    assert set(view.mention_claims.values()) == {claim.claim_id}
    t = view.tolls[0]
    assert (t.n_claims, t.n_sources) == (1, 1)


def test_same_article_repeating_a_figure_is_one_claim_with_one_article() -> None:
    headline = mention("a", value=9, source=None, span_start=0)
    body = mention("a", value=9, source=None, span_start=300)
    (claim,) = resolve([headline, body]).claims
    assert len(claim.mention_ids) == 2 and claim.article_ids == ("a",)


def test_wire_copy_counts_once_per_source_and_people_match_across_spellings() -> None:
    ms = [
        mention("wire-1", value=16, source="Mayor Ivan Dobrovsky", qualifier="at_least"),
        mention("wire-2", value=16, source="Marrowby Mayor Ivan Dobrovskiy", qualifier="at_least"),
        mention("wire-3", value=16, source="Mayor Dobrovsky"),
    ]
    (claim,) = resolve(ms).claims
    assert claim.article_ids == ("wire-1", "wire-2", "wire-3")
    assert claim.qualifier == "at_least"


def test_unattributed_and_generic_mentions_join_a_named_claim_of_the_same_figure() -> None:
    named = mention("a", value=39, source="President Ana Velka")
    bare = mention("b", value=39, source=None)
    officials = mention("c", value=39, source="officials")
    other_value = mention("d", value=41, source=None)
    view = resolve([named, bare, officials, other_value])
    by_value = claims_by_value(view)
    assert set(by_value) == {39, 41}
    assert by_value[39].article_ids == ("a", "b", "c")
    assert by_value[39].source == "President Ana Velka"
    assert by_value[41].source is None
    t = view.tolls[0]
    assert (t.n_claims, t.n_sources) == (2, 1)  # unattributed claims add no source

    # with no named source, an unattributed figure joins the generic "officials" claim
    (claim,) = resolve([bare, officials]).claims
    assert claim.source == "officials" and claim.article_ids == ("b", "c")


def test_two_named_sources_with_the_same_figure_stay_two_claims() -> None:
    ms = [
        mention("a", value=5, source="police"),
        mention("b", value=5, source="the Red Crescent"),
        mention("c", value=5, source=None),
    ]
    view = resolve(ms)
    assert len(view.claims) == 2
    # the unattributed one joins the claim with most mentions, then the smallest key
    joined = [c for c in view.claims if "c" in c.article_ids]
    assert len(joined) == 1
    assert view.tolls[0].n_sources == 2


def test_claim_fields() -> None:
    a = mention("a", value=3, source="Police", location="Marrowby", hedged=True)
    b = mention("b", value=3, source="police", location="Marrowby city", hedged=False)
    (claim,) = resolve([a, b]).claims
    assert claim.hedged is False  # hedged only when every mention is
    assert claim.event_date == SAT
    assert claim.location == "Marrowby"  # tie on count: the shortest spelling
    assert claim.source == "Police"  # tie on count and length: alphabetical
    assert (claim.first_seen, claim.last_seen) == (None, None)


# --------------------------------------------------------------------------------------
# hedged figures


def test_hedged_only_toll_uses_the_hedged_claims() -> None:
    ms = [
        mention("a", value=200, hedged=True, qualifier="up_to", published_at=at(SAT, 9)),
        mention("b", value=150, hedged=True, published_at=at(SAT, 11)),
    ]
    t = toll(resolve(ms))
    assert (t.low, t.high, t.latest, t.n_claims) == (150, 200, 150, 2)
    assert resolve(ms).claims[0].hedged


def test_a_hedged_ceiling_sets_the_range_but_not_the_latest() -> None:
    # "as many as 200 may have died": a claim about the toll, so in the range; the latest
    # stays the most recent count, however recent the guess
    ms = [
        mention("a", value=200, hedged=True, qualifier="up_to", published_at=at(SAT, 20)),
        mention("b", value=12, source="police", published_at=at(SAT, 9)),
        mention("c", value=15, source="medics", published_at=at(SAT, 10)),
    ]
    t = toll(resolve(ms))
    assert (t.low, t.high, t.latest, t.n_claims) == (12, 200, 15, 3)


def test_a_hedged_figure_below_the_counts_sets_the_low() -> None:
    # "four people believed to be under the rubble" beside a firm five
    ms = [
        mention("a", value=4, metric="missing", hedged=True, published_at=at(SAT, 20)),
        mention("b", value=5, metric="missing", source="police", published_at=at(SAT, 9)),
    ]
    t = toll(resolve(ms), "missing")
    assert (t.low, t.high, t.latest) == (4, 5, 5)


def test_firm_figures_alone_keep_their_range() -> None:
    # negative case: no hedged claim, nothing changes
    ms = [
        mention("b", value=12, source="police", published_at=at(SAT, 9)),
        mention("c", value=15, source="medics", published_at=at(SAT, 10)),
    ]
    t = toll(resolve(ms))
    assert (t.low, t.high, t.latest) == (12, 15, 15)


# --------------------------------------------------------------------------------------
# replay and order independence


def _scenario() -> list[Mention]:
    fri = SAT - timedelta(days=1)
    return [
        mention("a1", value=10, source="police", published_at=at(SAT, 8)),
        mention("a1", "injured", 45, source="police", published_at=at(SAT, 8)),
        mention("a2", value=14, source="Georgian Emergencies Ministry", published_at=at(SAT, 12)),
        mention("a3", value=14, source="Georgia's Emergency Situations Ministry"),
        mention("a3", value=1, event_date=fri, location="Marrowby region", published_at=None),
        mention("a4", value=20, event_date=None, weekday=5),
        mention("a4", value=2, event_date=None, weekday=3, hedged=True),
        mention("a5", value=20, event_date=None, published_at=at(SAT, 23), source="officials"),
    ]


def test_replayed_article_gives_an_equal_view() -> None:
    ms = _scenario()
    first = resolve(ms)
    assert resolve(ms + ms) == first  # redelivered
    assert resolve(list(reversed(ms))) == first  # another order
    replay = [m.model_copy() for m in ms if m.article_id == "a2"]
    assert resolve(ms + replay) == first
    assert toll_changes(first.tolls, resolve(ms + replay).tolls) == []


def test_mention_ids_colliding_with_different_content_resolve_deterministically() -> None:
    a = mention("a", value=10, source="police", span_start=0)
    b = a.model_copy(update={"source": "medics"})  # same id, re-extracted differently
    assert resolve([a, b]) == resolve([b, a])
    assert len(resolve([a, b]).claims) == 1


def test_naive_and_aware_publication_times_mix() -> None:
    naive = mention("a", value=1, published_at=datetime(2031, 3, 15, 9))
    aware = mention("b", value=2, published_at=at(SAT, 10))
    view = resolve([naive, aware])
    assert view.events[0].first_seen == at(SAT, 9)
    assert toll(view).latest == 2


_places = st.sampled_from([("marrowby", "Marrowby"), ("marrowby", "Marrowby region")])
_sources = st.sampled_from(
    [
        None,
        "officials",
        "police",
        "the Police",
        "Mayor Ivan Dobrovsky",
        "Ivan Dobrovskiy",
        "Mayor Dobrovsky",
        "Georgian Emergencies Ministry",
        "Georgia's Emergency Situations Ministry",
    ]
)
_dates = st.sampled_from([None, SAT, SAT - timedelta(days=1), SAT + timedelta(days=6)])
_pubs = st.sampled_from(
    [None, at(SAT, 9), at(SAT, 18), at(SAT + timedelta(days=2)), datetime(2031, 3, 15, 18)]
)


@st.composite
def _mentions(draw: st.DrawFn) -> Mention:
    place, location = draw(_places)
    return mention(
        draw(st.sampled_from(["a", "b", "c", "d"])),
        draw(st.sampled_from(["killed", "injured"])),
        draw(st.integers(0, 6)),
        place=place,
        location=location,
        source=draw(_sources),
        event_date=draw(_dates),
        weekday=draw(st.sampled_from([None, 4, 5])),
        published_at=draw(_pubs),
        qualifier=draw(st.sampled_from(["exact", "at_least", "about"])),
        hedged=draw(st.booleans()),
        span_start=draw(st.integers(0, 40)),
    )


@settings(max_examples=200, deadline=None)
@given(
    ms=st.lists(_mentions(), min_size=1, max_size=30),
    data=st.data(),
)
def test_any_permutation_or_duplication_gives_the_same_view(ms: list[Mention], data: Any) -> None:
    expected = resolve_group("ZZ|marrowby", ms)
    dupes = data.draw(st.lists(st.sampled_from(ms), max_size=10))
    shuffled = data.draw(st.permutations(ms + dupes))
    got = resolve_group("ZZ|marrowby", shuffled)
    assert got == expected
    assert list(got.mention_claims) == sorted(got.mention_claims)
    # invariants of every view
    assert set(got.mention_claims) == {m.mention_id for m in ms}
    claim_ids = {c.claim_id for c in got.claims}
    assert set(got.mention_claims.values()) == claim_ids
    assert {c.event_id for c in got.claims} == {e.event_id for e in got.events}
    for t in got.tolls:
        assert t.low <= t.latest <= t.high
        assert set(t.claim_ids) <= claim_ids and t.latest_claim_id in t.claim_ids
        assert t.n_claims == len(t.claim_ids)


@st.composite
def _mostly_undated(draw: st.DrawFn) -> Mention:
    """Mentions spread over three weeks, mostly undated, to exercise inferred events."""
    day = st.integers(-10, 10).map(lambda n: SAT + timedelta(days=n))
    pub = draw(st.one_of(st.none(), st.tuples(day, st.integers(0, 23))))
    return mention(
        draw(st.sampled_from(["a", "b", "c", "d", "e", "f"])),
        draw(st.sampled_from(["killed", "injured"])),
        draw(st.integers(0, 8)),
        source=draw(_sources),
        event_date=draw(st.one_of(st.none(), st.none(), st.none(), day)),
        weekday=draw(st.sampled_from([None, None, 0, 4, 5, 6])),
        published_at=at(*pub) if pub is not None else None,
        span_start=draw(st.integers(0, 40)),
    )


@settings(max_examples=300, deadline=None)
@given(ms=st.lists(_mostly_undated(), min_size=1, max_size=40), data=st.data())
def test_inferred_events_are_order_independent_and_follow_the_evidence(
    ms: list[Mention], data: Any
) -> None:
    expected = resolve_group("ZZ|marrowby", ms)
    dupes = data.draw(st.lists(st.sampled_from(ms), max_size=10))
    got = resolve_group("ZZ|marrowby", data.draw(st.permutations(ms + dupes)))
    assert got == expected

    # resolve deduplicates by id keeping the smallest JSON: look mentions up the same way
    by_id: dict[str, Mention] = {}
    for m in ms:
        seen = by_id.get(m.mention_id)
        if seen is None or m.model_dump_json() < seen.model_dump_json():
            by_id[m.mention_id] = m
    claim_date = {c.claim_id: c.event_date for c in got.claims}
    for mid, cid in got.mention_claims.items():
        m, d = by_id[mid], claim_date[cid]
        if m.event_date is not None:
            assert d == m.event_date  # dated mentions stay on their day
        elif m.published_at is not None:
            pub = m.published_at.date()
            assert d is not None
            if m.weekday is not None:
                assert d.weekday() == m.weekday
                assert pub - timedelta(days=7) <= d <= pub + timedelta(days=1)
            else:  # a dated event in the week before, or an inferred one up to 2 days before
                assert pub - timedelta(days=7) <= d <= pub
        elif m.weekday is not None and d is not None:
            # its weekday's event, or an inferred one dated a day or two after that weekday
            assert (d.weekday() - m.weekday) % 7 in (0, 1, 2)

    # explicitly dated events are the same events whatever undated mentions come along
    dated_only = resolve_group(
        "ZZ|marrowby", [m for m in by_id.values() if m.event_date is not None]
    )
    ids = {e.event_date: e.event_id for e in got.events}
    assert all(ids.get(e.event_date) == e.event_id for e in dated_only.events)
    # undated events only for mentions with no publication date
    undated_events = {e.event_id for e in got.events if e.event_date is None}
    for mid, cid in got.mention_claims.items():
        c = next(c for c in got.claims if c.claim_id == cid)
        if c.event_id in undated_events:
            assert by_id[mid].published_at is None and by_id[mid].event_date is None


# --------------------------------------------------------------------------------------
# pure helpers


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Georgia's Emergency Situations Ministry", "the Georgian Emergencies Ministry"),
        ("Ministry of Emergency Situations of Georgia", "Georgian Emergencies Ministry"),
        ("Mayor Ivan Dobrovsky", "Marrowby Mayor Ivan Dobrovskiy"),
        ("Chilean President Ana Velka", "Ana Velka"),
        ("officials", "the authorities"),
        ("Georgian officials", "Georgian authorities"),
        ("regional governor of Marrowby", "the Marrowby governor"),
        ("Ministry of Defence", "the defense ministry"),
        ("U.S. officials", "American officials"),
        ("Olexandr Brovin, the regional governor", "Governor Oleksandr Brovin"),
        ("Gaza Health Ministry", "the Health Ministry in Gaza"),
        ("the Red Cross", "Red Cross"),
    ],
)
def test_normalise_source_matches_spellings_of_one_source(a: str, b: str) -> None:
    assert normalise_source(a) == normalise_source(b)
    assert normalise_source(a) is not None


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Mayor Ivan Dobrovsky", "Pavel Dobrovsky"),
        ("Georgian officials", "Armenian officials"),
        ("police", "officials"),
        ("Health Ministry", "Defence Ministry"),
        ("President Ana Velka", "President Ivo Velka"),
    ],
)
def test_normalise_source_keeps_different_sources_apart(a: str, b: str) -> None:
    assert normalise_source(a) != normalise_source(b)


def test_normalise_source_edge_cases() -> None:
    assert normalise_source(None) is None
    assert normalise_source("  ") is None
    assert normalise_source("the") is None
    assert normalise_source("Officials") == GENERIC_SOURCE
    assert normalise_source("WHO") == "who"


def test_merge_person_keys_needs_compatible_first_names() -> None:
    one = merge_person_keys(["person:dbrvsk:", "person:dbrvsk:vn", "police"])
    assert one == {
        "person:dbrvsk:": "person:dbrvsk:vn",
        "person:dbrvsk:vn": "person:dbrvsk:vn",
        "police": "police",
    }
    brothers = merge_person_keys(["person:dbrvsk:", "person:dbrvsk:vn", "person:dbrvsk:pvl"])
    assert all(k == v for k, v in brothers.items())


def test_title_for() -> None:
    assert title_for("Belgrave", date(2023, 12, 30)) == "Belgrave, 30 Dec 2023"
    assert title_for("Belgrave", date(2024, 1, 2)) == "Belgrave, 2 Jan 2024"
    assert title_for("Oakham", None) == "Oakham, undated"
    assert title_for("Oakham", None, weekday=5) == "Oakham, Saturday (undated)"
    assert title_for(None, None) == "Unknown place, undated"


def test_group_key_and_place_key() -> None:
    assert group_key(mention("a", place="marrowby", country="zz")) == "ZZ|*"
    # no gazetteer key: the location as written, without filler words
    m = mention("a", place=None, location="the city of Marrowby", country=None)
    assert group_key(m) == "??|marrowby"
    assert place_key("Marrowby region") == place_key("Marrowby") == "marrowby"
    assert place_key("Saint-Étienne") == "saint etienne"
    # nothing about the place: the article is the group
    assert group_key(mention("a", place=None, location=None)) == "ZZ|article:a"
    assert place_key(None) is None and place_key("the region") is None


def test_toll_changes_reports_only_real_changes() -> None:
    base = resolve([mention("a", value=5, published_at=at(SAT, 9))])
    same_range = resolve(
        [
            mention("a", value=5, published_at=at(SAT, 9), span_start=1),
            mention("b", value=5, source="police", published_at=at(SAT, 8)),
        ]
    )
    # a second claim of the same figure from an earlier article: no change in low/high/latest
    assert toll_changes(base.tolls, same_range.tolls) == []
    assert toll_changes(base.tolls, base.tolls) == []
    (gone,) = toll_changes(base.tolls, [])
    assert (gone.old_low, gone.new_low, gone.claim_id, gone.article_id) == (5, None, None, None)


def test_aggregates_and_breakdowns_feed_no_toll():
    def m(value: int, scope: str) -> Mention:
        return Mention(
            mention_id=f"m{value}", article_id="a", metric="killed", value=value,
            location="Oakham", place="oakham", country="GB", scope=scope,  # type: ignore[arg-type]
            sentence="s", span_start=value, span_end=value + 1,
        )  # fmt: skip

    view = resolve_group("GB|oakham", [m(9, "event"), m(300000, "aggregate"), m(2, "breakdown")])
    assert [(t.low, t.high) for t in view.tolls] == [(9, 9)]
    assert set(view.mention_claims) == {"m9"}


# --------------------------------------------------------------------------------------
# places as a hierarchy: events across levels (made-up country ZZ, admin-1 ZZ.01/ZZ.02)


def region(article_id: str, value: int, **kw: Any) -> Mention:
    kw.setdefault("admin1", "ZZ.01")
    return mention(
        article_id, value=value, place="westshire", location="Westshire region",
        kind="region", **kw,
    )  # fmt: skip


def town(article_id: str, value: int, place: str = "oakvale", **kw: Any) -> Mention:
    kw.setdefault("admin1", "ZZ.01")
    return mention(article_id, value=value, place=place, location=place.title(), kind="city", **kw)


def country_wide(article_id: str, value: int, **kw: Any) -> Mention:
    return mention(
        article_id, value=value, place="zedland", location="Zedland", kind="country", **kw
    )


def test_place_path_levels() -> None:
    assert place_path(country_wide("a", 1)) == ("ZZ",)
    assert place_path(region("a", 1)) == ("ZZ", "ZZ.01")
    # a region the gazetteer could not link to an admin-1 is its own node
    assert place_path(region("a", 1, admin1=None)) == ("ZZ", "westshire")
    assert place_path(town("a", 1)) == ("ZZ", "ZZ.01", "oakvale")
    district = mention(
        "a", place="lowgate", location="Lowgate district", kind="district",
        admin1="ZZ.01", within="oakvale",
    )  # fmt: skip
    assert place_path(district) == ("ZZ", "ZZ.01", "oakvale", "lowgate")
    assert place_path(mention("a", place="tarn", kind="unknown")) == ("ZZ", "tarn")


def test_region_report_joins_the_town_event_it_contains() -> None:
    sun = SAT + timedelta(days=1)
    ms = [
        town("t1", 7, event_date=SAT, published_at=at(SAT, 22)),
        # the next day, the region's figure with no day: the same event
        region("r1", 11, event_date=None, published_at=at(sun, 9)),
        region("r2", 12, event_date=SAT, published_at=at(sun + timedelta(days=1))),
    ]
    view = resolve(ms)
    (event,) = view.events
    # the most specific place the reports agree on, and the town's id of old
    assert (event.place, event.place_kind, event.event_date) == ("oakvale", "city", SAT)
    assert event.event_id == resolve([ms[0]]).events[0].event_id
    assert (toll(view).low, toll(view).high) == (7, 12)


def test_towns_of_one_region_on_different_days_stay_apart() -> None:
    sun = SAT + timedelta(days=1)
    ms = [
        town("t1", 7, event_date=SAT, published_at=at(SAT, 22)),
        town("t2", 7, event_date=SAT, published_at=at(sun, 8)),
        town("c1", 3, place="fernby", event_date=sun, published_at=at(sun, 20)),
        # a region report two days on: the event most articles report, not the nearest
        region("r1", 11, event_date=None, published_at=at(sun + timedelta(days=1))),
    ]
    view = resolve(ms)
    assert [(e.place, e.event_date) for e in view.events] == [("oakvale", SAT), ("fernby", sun)]
    assert toll(view).high == 11 and toll(view, event_date=sun).high == 3


def test_towns_on_the_same_day_without_a_common_report_stay_apart() -> None:
    ms = [town("t1", 7, event_date=SAT), town("t2", 3, place="fernby", event_date=SAT)]
    assert len(resolve(ms).events) == 2
    # nor does a region event join a town of another admin-1
    other = [town("t1", 7, event_date=SAT, admin1="ZZ.02"), region("r1", 9, event_date=SAT)]
    assert len(resolve(other).events) == 2


def test_a_part_given_beside_the_whole_is_its_own_event() -> None:
    # one article gives the country's dead and, apart, the town's: the town is a part of
    # a wider event (a national barrage), not the same toll
    ms = [
        country_wide("a1", 40, event_date=SAT),
        town("a1", 16, event_date=SAT),
        town("a2", 16, event_date=SAT),
        country_wide("a3", 45, event_date=SAT),
    ]
    view = resolve(ms)
    kinds = {e.place_kind: e for e in view.events}
    assert set(kinds) == {"country", "city"}
    by_event = {t.event_id: t for t in view.tolls}
    assert (by_event[kinds["country"].event_id].low, by_event[kinds["country"].event_id].high) == (
        40,
        45,
    )
    assert by_event[kinds["city"].event_id].high == 16
    # the same figure at both levels is one toll: the country report joins the town
    same = [country_wide("a1", 16, event_date=SAT), town("a1", 16, event_date=SAT)]
    assert len(resolve(same).events) == 1


def test_undated_clusters_do_not_join_across_levels() -> None:
    # no day at all (no date, no publication date): nothing to match a day with
    ms = [country_wide("a1", 30, event_date=SAT), town("a2", 5, event_date=None)]
    assert len(resolve(ms).events) == 2


def test_undated_reports_at_two_levels_join_within_the_week() -> None:
    # a flood's first undated report names the region; an update five days later, also
    # undated, names the town where most died: one event (the rolling toll of a slow
    # disaster), as two undated reports of one place a week apart would be
    region_report = region("r1", 19, event_date=None, published_at=at(SAT))
    update = town("t1", 47, event_date=None, published_at=at(SAT + timedelta(days=5)))
    view = resolve([region_report, update])
    (event,) = view.events
    assert event.place == "oakvale"
    assert (toll(view).low, toll(view).high) == (19, 47)
    # a week and more apart, they are two events
    late = town("t2", 47, event_date=None, published_at=at(SAT + timedelta(days=8)))
    assert len(resolve([region_report, late]).events) == 2


def test_district_of_a_city_joins_the_city_event() -> None:
    district = mention(
        "d1", value=9, place="lowgate", location="Lowgate district", kind="district",
        admin1="ZZ.01", within="oakvale", event_date=SAT,
    )  # fmt: skip
    view = resolve([town("t1", 6, event_date=SAT), district, region("r1", 9, event_date=SAT)])
    (event,) = view.events
    assert event.place == "lowgate" and event.place_kind == "district"
    assert toll(view).high == 9


def test_levels_are_a_function_of_the_set() -> None:
    sun = SAT + timedelta(days=1)
    ms = [
        town("t1", 7, event_date=SAT, published_at=at(SAT, 22)),
        town("c1", 3, place="fernby", event_date=sun, published_at=at(sun, 20)),
        region("r1", 11, event_date=None, published_at=at(sun, 21)),
        region("r2", 4, event_date=None, published_at=at(sun, 21)),
        country_wide("n1", 30, event_date=None, published_at=at(sun, 23)),
        town("t3", 8, event_date=None, published_at=None),
    ]
    expected = resolve(ms)
    for seed in range(5):
        shuffled = list(ms)
        random.Random(seed).shuffle(shuffled)
        assert resolve(shuffled + shuffled[:2]) == expected


def test_a_regional_breakdown_keeps_its_parts_apart_a_revision_joins() -> None:
    # "47 dead in the region, 31 in Oakvale and 16 in Fernby": parts of a whole
    ms = [
        region("a1", 47, event_date=SAT),
        town("a1", 31, event_date=SAT),
        town("a1", 16, place="fernby", event_date=SAT),
    ]
    assert len(resolve(ms).events) == 3
    # "risen to 11 across the region; seven had died in Oakvale at first": one toll
    ms = [region("a1", 11, event_date=SAT), town("a1", 7, event_date=SAT)]
    view = resolve(ms)
    (event,) = view.events
    assert event.place == "oakvale" and (toll(view).low, toll(view).high) == (7, 11)


def test_a_region_without_admin1_may_contain_any_town_of_its_country() -> None:
    # the gazetteer could not link "Northmoor" to an admin-1: it may be any town's region
    northmoor = {"place": "northmoor", "location": "Northmoor state", "kind": "region"}
    ms = [
        town("t1", 7, event_date=SAT, admin1="ZZ.07"),
        mention("r1", value=9, event_date=SAT, **northmoor),
    ]
    view = resolve(ms)
    (event,) = view.events
    assert event.place == "oakvale" and toll(view).high == 9
    # but not a town of unknown whereabouts, nor another unlinked region
    for other in (
        mention("t2", value=7, place="tarn", location="Tarn", kind="unknown"),
        mention("t2", value=7, place="southfen", location="Southfen state", kind="region"),
    ):
        assert len(resolve([other, mention("r1", value=9, **northmoor)]).events) == 2
    # a town named inside it is under it
    inside = mention("t3", value=7, place="tarn", kind="unknown", within="northmoor")
    assert len(resolve([inside, mention("r1", value=9, **northmoor)]).events) == 1


def test_a_coarser_report_joins_the_event_whose_toll_it_is_nearest() -> None:
    # two districts hit on one day; the city's "four killed, 21 injured" is the bigger one
    def district(article_id: str, place: str, killed: int, injured: int) -> list[Mention]:
        where = {"place": place, "kind": "district", "admin1": "ZZ.01", "within": "oakvale"}
        return [
            mention(article_id, value=killed, event_date=SAT, **where),
            mention(article_id, "injured", injured, event_date=SAT, **where),
        ]

    ms = [
        *district("d1", "lowgate", 3, 19),
        *district("d2", "highgate", 1, 6),
        *district("d3", "highgate", 1, 6),
        town("c1", 4, event_date=SAT),
        town("c1", 21, event_date=SAT).model_copy(update={"metric": "injured"}),
    ]
    view = resolve(ms)
    assert {e.place for e in view.events} == {"lowgate", "highgate"}
    (low,) = [e for e in view.events if e.place == "lowgate"]
    assert {t.high for t in view.tolls if t.event_id == low.event_id} == {4, 21}


def test_one_reading_per_place_the_surest_kind_first() -> None:
    # "Northmoor state" in one report, "Northmoor" read as a town of Oakvale in another:
    # the region reading places it, so it contains the Oakvale event, not the reverse
    ms = [
        town("c1", 6, event_date=SAT),
        mention(
            "r1", value=9, place="northmoor", location="Northmoor state", kind="region",
            event_date=SAT,
        ),
        mention(
            "t1", value=9, place="northmoor", kind="unknown", admin1="ZZ.01",
            within="oakvale", event_date=SAT,
        ),
    ]  # fmt: skip
    (event,) = resolve(ms).events
    assert event.place == "oakvale"


def test_a_ceiling_beside_a_national_count_is_no_part_of_it() -> None:
    # "the toll was revised to 41; as many as 60 may have died in Westshire, its governor
    # said": the region's ceiling is an estimate of the same toll, not a part of the
    # country's count, so the country report joins the region's event
    ms = [
        region("r1", 14, event_date=SAT),
        country_wide("n1", 41, event_date=None, published_at=at(SAT + timedelta(days=3))),
        region(
            "n1", 60, qualifier="up_to", event_date=None,
            published_at=at(SAT + timedelta(days=3)),
        ),
    ]  # fmt: skip
    view = resolve(ms)
    (event,) = view.events
    assert event.place_kind == "region" and (toll(view).low, toll(view).high) == (14, 60)
    # a count there is a part beside the whole: the country stays its own event
    counted = [*ms[:2], ms[2].model_copy(update={"qualifier": "exact"})]
    assert len(resolve(counted).events) == 2


def test_a_coarser_report_joins_the_finer_event_its_own_article_reports() -> None:
    # one article gives Oakvale's dead and the country's injured; another article gives
    # Fernby the same number injured: the country report is Oakvale's story
    ms = [
        town("a1", 6, event_date=SAT),
        country_wide("a1", 11, metric="injured", event_date=SAT),
        town("a2", 11, place="fernby", metric="injured", event_date=SAT),
    ]
    view = resolve(ms)
    assert len(view.events) == 2
    (oakvale,) = [e for e in view.events if e.place == "oakvale"]
    assert {(t.metric, t.high) for t in view.tolls if t.event_id == oakvale.event_id} == {
        ("killed", 6),
        ("injured", 11),
    }
