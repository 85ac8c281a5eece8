"""The extraction processes beside the worker."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from processors.models import Article
from streams.pipeline import extract_grouped, extraction_pool, pool_pids


@pytest.mark.integration
def test_extraction_processes_ignore_modules_in_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Started from a folder holding a ``select.py``, the spawned process must still import
    the standard library's ``select`` (it once crashed the worker with BrokenProcessPool)."""
    (tmp_path / "select.py").write_text("raise ImportError('the wrong select')\n")
    monkeypatch.chdir(tmp_path)
    pool = extraction_pool(1)
    assert pool is not None
    try:
        assert len(pool_pids(pool)) == 2  # the extraction process and the resource tracker
        article = Article(id="a", text="Four people were killed in Porto Alegre on Monday.")
        groups = pool.submit(extract_grouped, article).result(timeout=120)
        assert sum(len(ms) for ms in groups.values()) == 1
        for pid in pool_pids(pool):  # the resource tracker imports `select` too
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(") ", 1)[1][0]
            assert state != "Z", f"process {pid} died"
    finally:
        pool.shutdown()


def test_an_article_that_does_not_say_when_it_was_received_takes_the_message_time() -> None:
    from datetime import UTC, datetime
    from types import SimpleNamespace

    from streams.app import _message_time
    from streams.pipeline import Pipeline
    from streams.settings import Settings

    pipeline = Pipeline(Settings())
    sent = _message_time(SimpleNamespace(timestamp=1_900_000_000.5))
    assert sent == datetime(2030, 3, 17, 17, 46, 40, 500000, tzinfo=UTC)
    assert _message_time(SimpleNamespace(timestamp=-1)) is None  # a broker without times
    bare = pipeline.parse(b'{"id": "a", "text": "x"}', received_at=sent)
    assert bare.received_at == sent
    own = b'{"id": "a", "text": "x", "received_at": "2030-01-01T00:00:00Z"}'
    assert pipeline.parse(own, received_at=sent).received_at == datetime(2030, 1, 1, tzinfo=UTC)


def test_states_for_a_replay_of_closed_articles_and_for_a_late_report(tmp_path: Path) -> None:
    """The worker's choice of state (streams.pipeline.states_for) with a horizon: a replay
    of old articles is dropped against the database without reading the history back; a
    new report about a closed event reads it back and leaves the tables of a whole resolve."""
    from datetime import timedelta

    from processors.resolve import resolve_group
    from sinks.store import Batch, Store
    from streams.pipeline import states_for
    from tests.processors.test_incremental import GROUP, _hot, _report
    from tests.sinks.test_store import derived_rows

    horizon = timedelta(days=2)
    batches = _hot(80)
    every = [m for b in batches for m in b]
    cache: dict = {}

    def write(store: Store, ms: list) -> tuple[bool, object]:
        states, adds = states_for(store, cache, {GROUP: ms}, horizon)
        read_back = states[GROUP] is not cache.get(GROUP)
        cache.update(states)
        change = states[GROUP].add(adds[GROUP])
        batch = Batch()
        batch.add_change(change)
        store.write(batch)
        return read_back, change

    with Store(tmp_path / "t.duckdb") as store:
        for b in batches:
            write(store, b)
        assert len(cache[GROUP].mentions) < len(every) / 2
        before = derived_rows(store)
        for b in batches[:30]:  # replayed: old, closed, and already written
            read_back, change = write(store, b)
            assert not read_back and not change.full and not change.view.events
        assert derived_rows(store) == before
        late = _report(
            "late",
            9,
            date(2031, 3, 20),
            place="lowgate",
            kind="district",
            event_date=date(2031, 1, 10),
        )
        read_back, change = write(store, [late])
        assert read_back and change.full
        with Store(tmp_path / "whole.duckdb") as whole:
            batch = Batch()
            batch.add_group((*every, late), resolve_group(GROUP, [*every, late]))
            whole.write(batch)
            assert derived_rows(store) == derived_rows(whole)
