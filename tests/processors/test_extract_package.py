"""The extraction package: its public API, the order of its passes, the evidence it keeps."""

import dataclasses
from datetime import UTC, datetime

import pytest

from processors.extract import SCOPES, Extractor, blank_datelines, default_extractor, split_units
from processors.extract.extractor import PASSES
from processors.models import Article


def test_public_api() -> None:
    assert SCOPES == ("event", "aggregate", "breakdown")
    assert isinstance(default_extractor(), Extractor)
    assert split_units("One died. Two were hurt.") == [(0, 9), (10, 24)]
    assert blank_datelines("KABUL (Reuters) - Five died.").endswith("Five died.")


def test_passes_run_in_a_visible_order() -> None:
    assert [p.__name__ for p in PASSES] == [
        "find_claims",
        "relocate_weak_places",
        "narrow_to_scene",
        "widen_to_country",
        "drop_future_dates",
        "merge_duplicates",
    ]


def test_a_candidate_records_the_rule_that_placed_it() -> None:
    article = Article(
        id="a1",
        text="Five people were killed in Kabul on Monday, police said.",
        published_at=datetime(2024, 5, 7, tzinfo=UTC),
    )
    ex = default_extractor()
    run = ex._run(article, SCOPES)
    assert run is not None
    found: list = []
    for step in PASSES:
        found = step(found, run)
    [(_, c)] = found
    assert (c.metric, c.value, c.location, c.place_rule) == ("killed", 5, "Kabul", "clause")


def test_a_candidate_is_frozen_and_a_pass_leaves_its_input_as_it_was() -> None:
    article = Article(
        id="a2",
        text="Five killed in Afghanistan\nFive people were killed in Kabul on Monday, police said.",
        published_at=datetime(2024, 5, 7, tzinfo=UTC),
    )
    run = default_extractor()._run(article, SCOPES)
    assert run is not None
    found: list = []
    for step in PASSES:
        before = list(found)
        after = step(found, run)
        assert len(found) == len(before) and all(a is b for a, b in zip(found, before, strict=True))
        found = after
    [(_, c)] = found  # the headline's figure merged into the body's
    assert (c.value, c.place) == (5, "kabul")
    with pytest.raises(dataclasses.FrozenInstanceError):
        c.place = "herat"  # type: ignore[misc]
