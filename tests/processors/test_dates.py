from datetime import date

import pytest

from processors.dates import find_dates, resolve_weekday

SAT = date(2023, 12, 30)  # a Saturday


@pytest.mark.parametrize(
    ("text", "expected", "weekday"),
    [
        ("on Saturday", date(2023, 12, 30), 5),  # same weekday as the reference: that day
        ("late on Friday evening", date(2023, 12, 29), 4),
        ("Friday's strikes", date(2023, 12, 29), 4),
        ("on Sunday night", date(2023, 12, 24), 6),  # later weekday: the previous week
        ("yesterday's attack", date(2023, 12, 29), 4),
        ("early this morning", SAT, 5),
        ("last night", date(2023, 12, 29), 4),
        # the night that began the day before the paper's: "after an overnight raid"
        ("an overnight raid", date(2023, 12, 29), 4),
        ("on December 29", date(2023, 12, 29), 4),
        ("29 Dec 2023", date(2023, 12, 29), 4),
        ("2023-12-28", date(2023, 12, 28), 3),
        ("January 1 will be a day of mourning", date(2024, 1, 1), 0),  # nearest, not last year
    ],
)
def test_resolved_against_reference(text, expected, weekday):
    (d,) = find_dates(text, SAT)
    assert d.date == expected
    assert d.weekday == weekday


@pytest.mark.parametrize(
    ("text", "ref", "expected"),
    [
        ("floods hit the valley at the weekend", date(2024, 1, 2), date(2023, 12, 30)),
        ("the weekend storms", date(2024, 1, 2), date(2023, 12, 30)),
        ("last weekend's avalanche", date(2024, 1, 5), date(2023, 12, 30)),
        # in a weekend's own paper "last weekend" is the one before, "the weekend" this one
        ("last weekend's avalanche", date(2023, 12, 31), date(2023, 12, 23)),
        ("over the weekend", date(2023, 12, 31), date(2023, 12, 30)),
    ],
)
def test_weekend_is_its_saturday(text, ref, expected):
    (d,) = find_dates(text, ref)
    assert d.date == expected and d.weekday == 5
    assert text[d.start : d.end].lower().rstrip("'s").endswith("weekend")


@pytest.mark.parametrize(
    "text", ["a march next weekend", "markets every weekend", "on weekends", "the coming weekend"]
)
def test_weekends_that_are_not_a_past_day(text):
    assert find_dates(text, date(2024, 1, 2)) == []
    assert find_dates("floods at the weekend", date(2024, 1, 2)) != []


def test_without_reference_weekday_survives():
    (d,) = find_dates("late on Friday evening", None)
    assert d.date is None and d.weekday == 4
    assert find_dates("yesterday", None)[0].date is None
    assert find_dates("on December 29", None) == []  # no year, no reference: unknowable


@pytest.mark.parametrize(
    "text", ["as many as 200 may have died", "an 18-hour barrage", "the 22-month war", "in 2022"]
)
def test_not_dates(text):
    assert find_dates(text, SAT) == []


def test_spans_point_into_text():
    text = "The blast on Monday killed 4; on Tuesday two more died."
    ds = find_dates(text, date(2024, 3, 13))
    assert [text[d.start : d.end] for d in ds] == ["on Monday", "on Tuesday"]
    assert [d.date for d in ds] == [date(2024, 3, 11), date(2024, 3, 12)]


def test_resolve_weekday():
    assert resolve_weekday(5, SAT) == SAT
    assert resolve_weekday(6, SAT) == date(2023, 12, 24)
    assert resolve_weekday(0, SAT) == date(2023, 12, 25)
