"""Where each input partition stands, kept by the worker and stored with the results.

faust's own offset commits are not trusted for correctness: its acknowledgement tracking
has known gaps (an offset committed while an earlier message is still in hand, off-by-one
commits after a rebalance), and the embedded broker answers ``ListOffsets`` with end
offsets below the real ones. So the worker keeps its position itself:

* the position of a partition is the offset of the first message whose effects are not
  yet in DuckDB; every micro-batch writes the positions it reached in the same DuckDB
  transaction as its rows (``stream_offsets``);
* when a partition is assigned, the consumer seeks to the stored position (a partition
  the database has never seen is read from its beginning; a worker with no database,
  ``--role worker``, starts from its Kafka commit, which it sets from these positions);
* a position only moves over *contiguous* offsets. A message that arrives after a hole
  is processed (writes are idempotent) but the position stays at the hole, the hole is
  reported, and the consumer is sent back to it: a skipped message is read again, never
  lost, and never silent;
* a message below the position is already in the database and is skipped.

:class:`Positions` is plain bookkeeping (no faust, no I/O) so that it can be tested alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

TP = tuple[str, int]  # (topic, partition)


@dataclass(frozen=True)
class Gap:
    """Offsets ``[start, end]`` of a partition were not seen while later ones were."""

    topic: str
    partition: int
    start: int
    end: int


@dataclass
class Plan:
    """What to do with one micro-batch: which of its messages are new, and where each
    partition stands once they are written."""

    fresh: list[int]  # indexes into the batch of the messages to process
    skipped: int  # messages below the position: already in the database
    positions: dict[TP, int]  # to store with the batch's rows
    gaps: list[Gap]
    _ahead: dict[TP, set[int]] = field(default_factory=dict, repr=False)


class Positions:
    """The next offset to read of each assigned partition, and the offsets seen past it."""

    def __init__(self) -> None:
        self.next: dict[TP, int] = {}
        self._ahead: dict[TP, set[int]] = {}

    def reset(self, positions: Mapping[TP, int]) -> None:
        """Partitions (re)assigned at these positions: forget what was seen past them."""
        for tp, offset in positions.items():
            self.next[tp] = offset
            self._ahead.pop(tp, None)

    def forget(self, tps: Iterable[TP]) -> None:
        for tp in tps:
            self.next.pop(tp, None)
            self._ahead.pop(tp, None)

    def plan(self, messages: Iterable[tuple[str, int, int]]) -> Plan:
        """Plan a batch of (topic, partition, offset). Nothing changes until :meth:`commit`."""
        fresh: list[int] = []
        skipped = 0
        nxt: dict[TP, int] = {}
        ahead: dict[TP, set[int]] = {}
        for i, (topic, part, offset) in enumerate(messages):
            tp = (topic, part)
            if tp not in nxt:
                # a partition never positioned (assigned before a seek we saw) starts here
                nxt[tp] = self.next.get(tp, offset)
                ahead[tp] = set(self._ahead.get(tp, ()))
            if offset < nxt[tp] or offset in ahead[tp]:
                skipped += 1
                continue
            fresh.append(i)
            ahead[tp].add(offset)
        gaps = []
        for tp, seen in ahead.items():
            n = nxt[tp]
            while n in seen:
                seen.discard(n)
                n += 1
            nxt[tp] = n
            if seen:
                gaps.append(Gap(tp[0], tp[1], n, min(seen) - 1))
        return Plan(fresh, skipped, nxt, gaps, ahead)

    def commit(self, plan: Plan) -> None:
        """The batch is written: move the positions (never backwards: a reset that came
        in while the batch was being written saw an older stored position)."""
        for tp, offset in plan.positions.items():
            if offset >= self.next.get(tp, offset):
                self.next[tp] = offset
                ahead = {o for o in plan._ahead[tp] if o >= offset}
                if ahead:
                    self._ahead[tp] = ahead
                else:
                    self._ahead.pop(tp, None)
