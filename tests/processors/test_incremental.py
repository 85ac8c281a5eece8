"""Incremental resolution (processors.incremental): after every batch, the state's view is
``resolve_group`` on every mention so far, and a batch far from the start of a long
history rebuilds only the events near it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from processors.incremental import NEAR, GroupState, HistoryNeeded
from processors.models import Mention
from processors.resolve import resolve_group

GROUP = "ZZ|*"
DAY0 = date(2031, 3, 1)
# (place, kind, admin1, within): places of country ZZ at every level, a region the
# gazetteer cannot link (it may contain any town of the country) and a place of unknown kind
PLACES = [
    ("zz", "country", None, None),
    ("marrowshire", "region", "ZZ.01", None),
    ("marrowby", "city", "ZZ.01", None),
    ("lowgate", "district", "ZZ.01", "marrowby"),
    ("oakham", "city", "ZZ.02", None),
    ("fenmark", "region", None, None),
    ("tarn", "unknown", None, None),
]


@st.composite
def _mention(
    draw: st.DrawFn,
    span: int,
    places: list[tuple[str, str, str | None, str | None]],
    days: int,
    dateless: bool,
) -> Mention:
    """A mention on one of ``places`` within ``days`` days: dated, undated with a
    publication date (with or without a weekday), or, when ``dateless``, sometimes with
    neither."""
    place, kind, admin1, within = draw(st.sampled_from(places))
    day = DAY0 + timedelta(days=draw(st.integers(0, days)))
    shape = draw(st.sampled_from(["dated", "undated", "weekday"] + ["no date"] * dateless))
    published = draw(st.one_of(st.none(), st.integers(0, 23))) if shape == "dated" else 12
    article = draw(st.sampled_from("abcdefghij"))  # an article may come back in a later batch
    metric = draw(st.sampled_from(["killed", "injured"]))
    value = draw(st.integers(1, 12))
    return Mention(
        mention_id=Mention.make_id(article, metric, value, span),
        article_id=article,
        metric=metric,
        value=value,
        qualifier=draw(st.sampled_from(["exact", "at_least", "up_to"])),
        source=draw(st.sampled_from([None, "police", "officials", "the governor"])),
        location=place.title(),
        place=place,
        place_kind=kind,
        admin1=admin1,
        within=within,
        country="ZZ",
        event_date=day if shape == "dated" else None,
        weekday=draw(st.integers(0, 6)) if shape == "weekday" else None,
        hedged=draw(st.booleans()),
        sentence="x",
        span_start=span,
        span_end=span + 1,
        published_at=(
            None
            if shape == "no date" or published is None
            else datetime(day.year, day.month, day.day, published, tzinfo=UTC)
        ),
    )


@st.composite
def batches_of_mentions(draw: st.DrawFn) -> list[list[Mention]]:
    """Mentions split into batches; often in publication order, as a stream gives them.
    Few places over a few days, or many over weeks, so that reports meet."""
    dateless = draw(st.integers(0, 4)) == 0
    places = draw(st.lists(st.sampled_from(PLACES), min_size=1, max_size=4, unique=True))
    days = draw(st.sampled_from([6, 12, 24, 48, 96]))
    n = draw(st.integers(1, 40))
    ms = [draw(_mention(i, places, days, dateless)) for i in range(n)]
    if draw(st.booleans()):
        ms.sort(key=lambda m: m.event_date or (m.published_at or datetime.max).date())
    cuts = sorted(draw(st.lists(st.integers(0, n), max_size=8)))
    return [ms[i:j] for i, j in zip([0, *cuts], [*cuts, n], strict=True)]


def _replay(batches: list[list[Mention]]) -> list[Any]:
    """Feed the batches to a state; after each, check its view against a full resolve of
    every mention so far (the first of an id wins, as the stream's merge)."""
    state = GroupState(GROUP)
    union: dict[str, Mention] = {}
    changes = []
    for batch in batches:
        for m in batch:
            union.setdefault(m.mention_id, m)
        changes.append(state.add(batch))
        assert state.view() == resolve_group(GROUP, union.values())
    return changes


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batches=batches_of_mentions())
def test_every_batch_leaves_the_view_of_a_full_resolve(batches: list[list[Mention]]) -> None:
    changes = _replay(batches)
    event(f"partial changes: {min(sum(not c.full for c in changes), 3)}")


def _hot(days: int, per_day: int = 3) -> list[list[Mention]]:
    """A district reported every few hours for ``days`` days, one article a batch: a dated
    figure and an undated one by publication (bench/hot.py's shape)."""
    out = []
    for i in range(days * per_day):
        at = datetime(2031, 1, 1, 6, tzinfo=UTC) + timedelta(hours=24 / per_day * i)
        article = f"hot-{i}"
        common = {
            "article_id": article,
            "location": "Lowgate",
            "place": "lowgate",
            "place_kind": "district",
            "admin1": "ZZ.01",
            "within": "marrowby",
            "country": "ZZ",
            "sentence": "x",
            "span_end": 1,
            "published_at": at,
        }
        killed, injured = 1 + i % 7, 2 + i % 11
        out.append(
            [
                Mention(
                    mention_id=Mention.make_id(article, "killed", killed, 0),
                    metric="killed",
                    value=killed,
                    event_date=at.date(),
                    span_start=0,
                    **common,
                ),
                Mention(
                    mention_id=Mention.make_id(article, "injured", injured, 5),
                    metric="injured",
                    value=injured,
                    qualifier="at_least",
                    span_start=5,
                    **common,
                ),
            ]
        )
    return out


def test_a_batch_on_a_long_history_rebuilds_only_the_events_near_it() -> None:
    batches = _hot(90)
    state = GroupState(GROUP, [m for b in batches[:-2] for m in b])
    assert state.add(batches[-2]).full  # the first batch after reading back: everything
    change = state.add(batches[-1])
    assert not change.full
    assert [e.event_date for e in change.view.events] == [date(2031, 3, 31)]
    assert {m.article_id for m in change.mentions} == {f"hot-{i}" for i in range(267, 270)}
    assert state.view() == resolve_group(GROUP, [m for b in batches for m in b])


def test_a_horizon_keeps_the_recent_weeks_and_sends_a_late_report_to_the_whole_history() -> None:
    batches = _hot(90)
    horizon = timedelta(days=5)
    state = GroupState(GROUP, horizon=horizon)
    changes = [state.add(b) for b in batches]
    assert not any(c.full for c in changes[1:])
    closed = [e for c in changes for e in c.closed_events]
    assert len(closed) == len(set(closed)) > 40  # the old events, each closed once
    kept = {m.published_at.date() for m in state.mentions if m.published_at}
    newest = date(2031, 3, 31)
    assert min(kept) >= newest - NEAR - horizon - timedelta(days=1)  # a day's slack
    every = [m for b in batches for m in b]
    # reports up to the horizon late are taken as they come; older ones are not
    late_ok = _report(
        "late-ok", 9, newest, place="lowgate", kind="district", event_date=newest - horizon
    )
    too_late = _report(
        "too-late", 9, newest, place="lowgate", kind="district", event_date=newest - 3 * NEAR
    )
    assert not state.needs_history([late_ok])
    assert state.needs_history([too_late])
    with pytest.raises(HistoryNeeded):
        state.add([too_late])
    # a closed article, redelivered or found again: the state cannot tell (the worker drops
    # the mentions the database holds before it asks again)
    assert state.needs_history(batches[3])
    # built again from every mention, as the worker does: the whole view, then closed again
    state = GroupState(GROUP, every, horizon=horizon)
    change = state.add([too_late])
    assert change.full and change.view == resolve_group(GROUP, [*every, too_late])
    # it closes again from the next newer publication day
    assert not change.closed_events and not state.add([late_ok]).closed_events
    next_day = _report("next", 3, newest + timedelta(days=1), place="lowgate", kind="district")
    change = state.add([next_day])
    assert not change.full and change.closed_events


def test_a_mention_with_no_date_at_all_makes_every_batch_about_its_place_a_full_resolve() -> None:
    batches = _hot(10)
    undated = batches[0][1].model_copy(update={"mention_id": "nodate", "published_at": None})
    changes = _replay([*batches[:5], [undated], *batches[5:]])
    assert [c.full for c in changes] == [True] + [False] * 4 + [True] * (len(batches) - 4)
    assert not any(c.full for c in _replay(batches)[1:])
    # about another place of the group, it leaves the hot place's batches incremental
    oakham = {"place": "oakham", "place_kind": "city", "within": None, "admin1": "ZZ.02"}
    elsewhere = undated.model_copy(update=oakham)  # joins the latest event there (the next)
    dated = batches[9][0].model_copy(update={**oakham, "mention_id": "d", "article_id": "o"})
    changes = _replay([*batches[:5], [elsewhere, dated], *batches[5:]])
    assert [c.full for c in changes] == [True] + [False] * 4 + [True] + [False] * (len(batches) - 5)


def _report(
    article: str,
    value: int,
    published: date,
    *,
    place: str = "marrowby",
    kind: str = "city",
    event_date: date | None = None,
    weekday: int | None = None,
) -> Mention:
    return Mention(
        mention_id=Mention.make_id(article, "killed", value, 0),
        article_id=article,
        metric="killed",
        value=value,
        location=place.title(),
        place=place,
        place_kind=kind,
        admin1="ZZ.01",
        within="marrowby" if kind == "district" else None,
        country="ZZ",
        event_date=event_date,
        weekday=weekday,
        sentence="x",
        span_start=0,
        span_end=1,
        published_at=datetime(published.year, published.month, published.day, 12, tzinfo=UTC),
    )


def test_a_weekday_report_moves_a_report_published_six_days_before_it() -> None:
    # "rose to 5" on D-1 makes an event on D-1, and "6" on D joins it; then a report of
    # D + 6 about "Saturday" (the weekday of D) makes an event on D first (weekday reports
    # are placed first), and "6" on D joins that one instead
    d = DAY0 + timedelta(days=20)
    earlier = [_report("a", 5, d - timedelta(days=1)), _report("b", 6, d)]
    later = [_report("c", 7, d + timedelta(days=6), weekday=d.weekday())]
    _, after = _replay([earlier, later])
    assert not after.full
    assert {e.event_date for e in after.view.events} == {d - timedelta(days=1), d}


def test_a_new_dated_report_moves_reports_published_a_week_before_its_day() -> None:
    # the same, with the weekday report placed by a dated report that arrives later
    d = DAY0 + timedelta(days=20)
    earlier = [
        _report("a", 5, d - timedelta(days=1)),
        _report("b", 6, d),
        _report("c", 7, d + timedelta(days=6), weekday=d.weekday()),
    ]
    dated = [_report("e", 8, d + timedelta(days=7), event_date=d + timedelta(days=7))]
    _replay([earlier, dated])


def test_a_re_extracted_article_can_change_an_old_breakdown() -> None:
    # one article gives 47 for the region, 31 for the city and 16 for a district of it: a
    # breakdown, so the region's report stays apart. A mention of the same article found
    # weeks later (another extraction) adds a third place: 31 + 16 + 5 is no longer 47, the
    # figures read as a revision and the region joins the city's event of that old day
    d = DAY0 + timedelta(days=2)
    old = [
        _report("z", 47, d, place="marrowshire", kind="region", event_date=d),
        _report("z", 31, d, place="marrowby", event_date=d),
        _report("z", 16, d, place="lowgate", kind="district", event_date=d),
    ]
    weeks_later = d + timedelta(days=40)
    extra = _report("z", 5, weeks_later, place="elmford", event_date=weeks_later)
    first, second = _replay([old, [extra]])
    on_d = [sum(e.event_date == d for e in c.view.events) for c in (first, second)]
    assert on_d == [2, 1]  # (the district's figure reads as a revision of the city's)
    assert not second.full and second.gone_events


def test_a_weekday_report_published_the_day_before_its_event_stays_with_it() -> None:
    # a report of the eve names the next day (one day of slack for time zones); a report
    # two weeks later reforms the events from that day on, and must replay the eve's
    d = DAY0 + timedelta(days=10)
    old = [
        _report("a", 5, d, event_date=d),
        _report("b", 6, d - timedelta(days=1), weekday=d.weekday()),
    ]
    _replay([old, [_report("c", 7, d + timedelta(days=13))]])


def test_a_place_read_more_surely_later_moves_its_old_events() -> None:
    # "Tarn" first comes with no kind (its own place in the country); a later report
    # names it a district of Marrowby: its old event is now under the city's, and joins it
    d = DAY0 + timedelta(days=2)
    old = [
        _report("a", 5, d, event_date=d),
        _report("b", 5, d, place="tarn", kind="unknown", event_date=d).model_copy(
            update={"admin1": None}
        ),
    ]
    later = d + timedelta(days=30)
    named = _report("c", 7, later, place="tarn", kind="district", event_date=later)
    first, second = _replay([old, [named]])
    assert [sum(e.event_date == d for e in c.view.events) for c in (first, second)] == [2, 1]
    assert second.full
