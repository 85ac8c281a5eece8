import pytest

from processors.numbers import find_numbers, is_year, parse_number, unit_after


@pytest.mark.parametrize(
    ("phrase", "value"),
    [
        ("1,200", 1200),
        ("3.5 million", 3_500_000),
        ("twenty-five", 25),
        ("a dozen", 12),
        ("one hundred and five", 105),
        ("two", 2),
        ("half a million", 500_000),
        ("12", 12),
        ("Fifteen", 15),
        ("2 thousand", 2000),
    ],
)
def test_parse_number(phrase, value):
    assert parse_number(phrase) == value


@pytest.mark.parametrize("phrase", ["dozens", "hundreds", "scores", "3.5", "many", ""])
def test_not_a_figure(phrase):
    assert parse_number(phrase) is None


def test_find_numbers_spans_and_values():
    text = "killed 14 people including two children, and injured 1,200; dozens missing"
    found = find_numbers(text)
    assert [(n.text, n.value) for n in found] == [("14", 14), ("two", 2), ("1,200", 1200)]
    for n in found:
        assert text[n.start : n.end] == n.text


@pytest.mark.parametrize("text", ["at 10:30 local time", "hundreds of people", "dozens of drones"])
def test_find_numbers_skips_times_and_vague_quantities(text):
    assert find_numbers(text) == []


@pytest.mark.parametrize(
    ("text", "unit"),
    [("a 43-year-old man", "year"), ("an 18-hour barrage", "hour"), ("25 miles away", "miles"),
     ("up 12 per cent", "percent"), ("12 people", None)],
)  # fmt: skip
def test_unit_after(text, unit):
    n = find_numbers(text)[0]
    assert unit_after(text, n.end) == unit


def test_is_year():
    assert is_year(find_numbers("the 1999 flood")[0])
    assert not is_year(find_numbers("killed 1,999 people")[0])
    assert not is_year(find_numbers("killed 140 people")[0])
