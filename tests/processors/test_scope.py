"""Scope of a figure (Mention.scope): the current event's toll, a total over a period or
war ("aggregate"), a part by kind of victim ("breakdown"), or dropped background. Made-up
sentences, one rule each."""

from datetime import UTC, datetime

import pytest

from processors.extract import SCOPES
from processors.models import Article, Mention

PUB = datetime(2024, 5, 14, tzinfo=UTC)  # a Tuesday in May


def scoped(ex, text):
    ms = ex.extract(Article(id="t", text=text, published_at=PUB), scopes=SCOPES)
    return {(m.metric, m.value): m.scope for m in ms}


def test_scope_defaults_to_event_so_old_rows_validate():
    raw = {
        "mention_id": "x", "article_id": "a", "metric": "killed", "value": 3,
        "sentence": "s", "span_start": 0, "span_end": 1,
    }  # fmt: skip
    assert Mention.model_validate(raw).scope == "event"


@pytest.mark.parametrize(
    "text",
    [
        "More than 300,000 people have been killed since the war began in 2011.",
        "About 4,500 people have been killed since the ceasefire collapsed in March, the UN said.",
        "At least 1,200 civilians have been killed this year, the monitor said.",
        "The war has killed more than 300,000 people.",
        "The conflict, which has killed more than 300,000 people, shows no sign of ending.",
        "The offensive on the region, which began on April 2, has killed 257 civilians.",
        "More than 30,000 people were killed in the city during the battle.",
        "Shelling killed 39 civilians in the province over the past three years.",
    ],
)
def test_rule_aggregate(ex, text):
    got = scoped(ex, text)
    assert got and set(got.values()) == {"aggregate"}, got
    assert ex.extract(Article(id="t", text=text, published_at=PUB)) == []


@pytest.mark.parametrize(
    "text",
    [
        "The heatwave has killed 58 people in the state since Thursday, officials said.",
        "At least 112 people have lost their lives in monsoon flooding since April.",
        "In total, 159 people were injured in the attack.",
        "Police have so far confirmed 23 deaths.",
    ],
)
def test_since_an_event_began_is_the_event(ex, text):
    assert set(scoped(ex, text).values()) == {"event"}


def test_rule_breakdown_including(ex):
    got = scoped(ex, "Air strikes killed 25 people including 10 children on Monday.")
    assert got == {("killed", 25): "event", ("killed", 10): "breakdown"}


def test_rule_breakdown_among_them(ex):
    got = scoped(ex, "Nine people were killed, among them two children, the monitor said.")
    assert got == {("killed", 9): "event", ("killed", 2): "breakdown"}
    # the total, with its part before it, is no breakdown
    got = scoped(ex, "Eleven pupils were among 31 people killed when the roof fell in.")
    assert got[("killed", 31)] == "event"


@pytest.mark.parametrize(
    "text",
    [
        "A bomb killed six people at a cafe. Among the dead was a 61-year-old Franco-Chilean "
        "woman from Lyon, the ministry said.",
        "A bomb killed six people at a cafe. Among the victims were two 19-year-old "
        "Franco-Chilean women from Lyon, police said.",
    ],
)
def test_rule_breakdown_among_the_dead_before_its_verb(ex, text):
    # "Among the dead was ...": the subject of the fronted phrase is a part, however long
    got = scoped(ex, text)
    assert got[("killed", 6)] == "event"
    assert all(scope == "breakdown" for (_, v), scope in got.items() if v != 6), got


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The bombing was the deadliest since shelling of a depot killed 40 people in January.",
         {}),
        ("In early March, an air strike on a bakery killed eight people, the monitor said.", {}),
        ("In February, an air strike on a bakery killed eight people.", {}),
        ("Another strike killed eight people, the monitor said at the time.", {}),
        # the toll itself stays: only the death that raised it is background
        ("The toll rose to nine after a child died of his wounds, medics said.",
         {("killed", 9): "event"}),
    ],
)  # fmt: skip
def test_rule_background_is_dropped(ex, text, expected):
    # the whole result: "not in" would also hold for an extractor that finds nothing (the
    # same sentence in the article's month is found: test_month_of_the_article_is_not_background)
    assert scoped(ex, text) == expected


def test_month_of_the_article_is_not_background(ex):
    got = scoped(ex, "In May, an air strike on a bakery killed eight people.")
    assert got == {("killed", 8): "event"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "More than a million people have been displaced, and 25 were killed on Monday.",
            [("killed", 25)],
        ),
        ("A million people have fled the fighting, the agency said.", []),
        ("The war has killed or displaced a million people.", []),
    ],
)
def test_a_million_displaced_is_no_toll(ex, text, expected):
    # the whole result, not "every value is under a million": that holds for no result too
    got = ex.extract(Article(id="t", text=text, published_at=PUB), scopes=SCOPES)
    assert [(m.metric, m.value) for m in got] == expected


@pytest.mark.parametrize(
    "text",
    [
        "On Friday the army carried out its largest assault since the start of the war, "
        "killing 31 people.",
        "On Friday the army carried out its largest assault since the start of the war "
        "killing 31 people.",
    ],
)
def test_since_after_a_superlative_is_a_comparison(ex, text):
    assert scoped(ex, text) == {("killed", 31): "event"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the step of a rise, told as its cause: not a toll
        ("The toll rose to seven on Friday after rescuers pulled three more bodies from the "
         "rubble, the ministry said.", {("killed", 7): "event"}),
        # a correction's step: the figures counted twice are not a toll
        ("The ministry revised the toll to 41 from 43, saying two victims had been counted "
         "twice.", {("killed", 41): "event", ("killed", 43): "event"}),
        # negative cases: the same figures told on their own stay
        ("Rescuers pulled three more bodies from the rubble on Friday.",
         {("killed", 3): "event"}),
        ("Two victims had been counted by the hospital on Friday.", {("killed", 2): "event"}),
    ],
)  # fmt: skip
def test_rule_increment_step_of_a_change(ex, text, expected):
    assert scoped(ex, text) == expected


def test_rule_aggregate_toll_of_a_war(ex):
    got = scoped(ex, "Some estimates put the death toll of the war at up to 150,000 people.")
    assert got == {("killed", 150000): "aggregate"}
    # negative case: the toll of an event is the event's
    got = scoped(ex, "Officials put the death toll of the flood at 40 people.")
    assert got == {("killed", 40): "event"}


def test_rule_background_year_of_a_month(ex):
    # "in September 2022": the year hangs off the month, under the event's preposition
    text = (
        "Marrowby was also at the centre of a magnitude 6.8 earthquake in September 2022 "
        "that killed 93 people."
    )
    assert scoped(ex, text) == {}
    # negative case: the article's own month
    text = text.replace("September 2022", "May 2024")
    assert scoped(ex, text) == {("killed", 93): "event"}
