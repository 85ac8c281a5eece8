"""Positions of the input partitions: only contiguous offsets move them."""

from __future__ import annotations

from streams.offsets import Gap, Positions

A = "articles"


def batch(*offsets: int, part: int = 0) -> list[tuple[str, int, int]]:
    return [(A, part, o) for o in offsets]


def test_contiguous_offsets_move_the_position_and_redeliveries_are_skipped() -> None:
    p = Positions()
    p.reset({(A, 0): 10})
    plan = p.plan(batch(8, 9, 10, 11, 12))
    assert plan.fresh == [2, 3, 4] and plan.skipped == 2
    assert plan.positions == {(A, 0): 13} and not plan.gaps
    assert p.next[(A, 0)] == 10  # nothing moves before the batch is written
    p.commit(plan)
    assert p.next[(A, 0)] == 13


def test_a_hole_holds_the_position_until_it_is_filled() -> None:
    p = Positions()
    p.reset({(A, 0): 0, (A, 1): 0})
    plan = p.plan(batch(0, 1, 4, 5) + batch(0, part=1))
    assert plan.gaps == [Gap(A, 0, 2, 3)]
    assert plan.positions == {(A, 0): 2, (A, 1): 1}
    p.commit(plan)
    # the skipped messages come back (after a seek), with some already processed ones
    plan = p.plan(batch(2, 3, 4, 5, 6))
    assert plan.fresh == [0, 1, 4] and plan.skipped == 2
    assert plan.positions == {(A, 0): 7} and not plan.gaps
    p.commit(plan)
    assert p.next[(A, 0)] == 7


def test_a_reset_during_a_write_never_moves_the_position_back() -> None:
    p = Positions()
    p.reset({(A, 0): 5})
    plan = p.plan(batch(5, 6, 7))
    p.reset({(A, 0): 5})  # a rebalance read the stored position before the write landed
    p.commit(plan)
    assert p.next[(A, 0)] == 8
    p.reset({(A, 0): 8})
    stale = p.plan(batch(3))  # planned from an older position: commits nothing backwards
    p.commit(stale)
    assert p.next[(A, 0)] == 8


def test_a_partition_never_positioned_starts_at_its_first_message() -> None:
    p = Positions()
    plan = p.plan(batch(40, 41, part=2))
    assert plan.fresh == [0, 1] and plan.positions == {(A, 2): 42}
