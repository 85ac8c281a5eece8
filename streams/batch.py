"""``tolls process``: the stream's processors run in-process, without a broker.

For backfills and evaluation. The steps are the worker's (:mod:`streams.pipeline`) and so
is the sink; only the transport differs, so both produce the same tables.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import timedelta
from pathlib import Path

import structlog

from processors.incremental import GroupState
from processors.models import Mention, Rejection
from sinks.store import Batch, Store
from streams.pipeline import Pipeline, log_toll_change, states_for
from streams.settings import Settings

log = structlog.get_logger("tolls.batch")


def process(
    settings: Settings,
    payloads: Iterable[tuple[str, bytes]],
    db: Path,
    batch_size: int = 50,
    on_progress: Callable[[int], None] | None = None,
) -> dict[str, int]:
    """Process every payload into ``db``; returns the table counts."""
    pipeline = Pipeline(settings)
    horizon = timedelta(days=settings.horizon_days)
    state: dict[str, GroupState] = {}  # a group not here is read from the database first
    done = 0
    with Store(db) as store:
        batch = Batch()
        pending: dict[str, list[Mention]] = {}  # new mentions by group since the last flush

        def flush() -> None:
            states, adds = states_for(store, state, pending, horizon)
            state.update(states)
            for group, state_of in states.items():
                batch.add_change(state_of.add(adds[group]))
            for update in store.write(batch):
                log_toll_change(update)

        for origin, payload in payloads:
            result = pipeline.parse(payload)
            if isinstance(result, Rejection):
                log.warning("article_rejected", reason=result.reason, origin=origin)
                batch.add_rejection(result)
            else:
                by_group = pipeline.extract(result)
                for group, mentions in by_group.items():
                    pending.setdefault(group, []).extend(mentions)
                batch.add_article(result, sum(len(m) for m in by_group.values()))
            done += 1
            if on_progress:
                on_progress(done)
            if done % batch_size == 0:
                flush()
                batch, pending = Batch(), {}
        flush()
        return store.counts()
