"""Scaling out on one Kafka: several ``--role worker`` processes and one ``--role sink``.

Real embedded broker, real worker processes, real DuckDB file: the workers share the
articles topic's partitions, the sink owns the tables, and the tables end equal to
``tolls process`` of the same feed, even when a worker is SIGKILLed mid-stream and its
partitions move to the other.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench.crash import alive, build_feed, read_tables
from streams import broker

from .conftest import ROOT, SEEDS, Service, assert_same_tables, run_cli

N_SEEDS = len(list(SEEDS.glob("*.txt")))

pytestmark = pytest.mark.integration


def wait_for(what: str, until: object, timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if until():  # type: ignore[operator]
            return
        time.sleep(0.5)
    raise AssertionError(f"{what}: not within {timeout:.0f} s")


def test_two_workers_and_a_sink_equal_one_worker_even_when_a_worker_dies(
    tmp_path: Path,
) -> None:
    feed = tmp_path / "feed.jsonl"
    expected = build_feed(feed, n=120, seed=7)
    batch_db = tmp_path / "batch.duckdb"
    run_cli("process", str(feed), "--db", str(batch_db), "--quiet")

    sink = Service(tmp_path / "sink", {"TOLLS_ROLE": "sink"})
    workers: list[Service] = []
    try:
        sink.start()
        info = broker.read_state(sink.data_dir)
        assert info is not None
        env = {"TOLLS_ROLE": "worker", "TOLLS_BROKER": info.url, "TOLLS_BATCH_MAX": "10"}
        workers = [Service(tmp_path / f"worker-{i}", env) for i in (1, 2)]
        for w in workers:
            w.start()
        assert workers[0].health()["role"] == "worker"  # type: ignore[index]
        # a worker keeps no tables: its endpoint says where they are
        answer = run_cli("query", "SELECT 1", data_dir=workers[0].data_dir, check=False)
        assert answer.returncode != 0 and "--role sink" in answer.stderr + answer.stdout

        args = ["replay", str(feed), "--rate", "15", "--quiet", "--data-dir", str(sink.data_dir)]
        replay = subprocess.Popen(
            [sys.executable, "-m", "streams.cli", *args],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            # both workers extract (the articles topic's partitions are shared) ...
            wait_for("articles reach the sink", lambda: sink.count() >= 20)
            own = workers[0].kill()  # ... until one dies mid-stream
            assert '"article_extracted"' in workers[0].log_path.read_text()
            assert replay.wait(timeout=120) == 0
        finally:
            if replay.poll() is None:
                replay.kill()
        assert not [p for p in own if alive(p)], "the killed worker's processes outlived it"

        # its partitions move to the other worker (after the dead one's session times out)
        wait_for(
            "the sink has every article, and is idle",
            lambda: sink.count() >= expected and bool((sink.health() or {}).get("idle")),
        )
        wait_for("the live worker is idle", lambda: bool((workers[1].health() or {}).get("idle")))
        assert sink.stop() == 0
    finally:
        for w in workers:
            w.down()
        sink.down()

    got = read_tables(sink.settings.db_path)
    assert_same_tables(read_tables(batch_db), got)


def test_a_new_sink_database_is_rebuilt_from_the_claims_topic(tmp_path: Path) -> None:
    """The sink's tables are a function of the claims topic: a sink started on a new
    database reads it from the beginning and ends with the same tables, and the workers
    extract nothing again."""
    sink = Service(tmp_path / "sink", {"TOLLS_ROLE": "sink"})
    worker: Service | None = None
    try:
        sink.start()
        info = broker.read_state(sink.data_dir)
        assert info is not None
        worker = Service(tmp_path / "worker", {"TOLLS_ROLE": "worker", "TOLLS_BROKER": info.url})
        worker.start()
        sink.replay(SEEDS)
        sink.wait_processed(N_SEEDS)
        assert sink.stop() == 0
        first = read_tables(sink.settings.db_path)
        extracted = worker.log_path.read_text().count('"article_extracted"')
        assert extracted == N_SEEDS

        sink.settings.db_path.rename(tmp_path / "old.duckdb")
        sink.start()
        sink.wait_processed(N_SEEDS)
        assert sink.stop() == 0
        assert_same_tables(first, read_tables(sink.settings.db_path))
        assert worker.log_path.read_text().count('"article_extracted"') == extracted
    finally:
        if worker is not None:
            worker.down()
        sink.down()
