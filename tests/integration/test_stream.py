"""The stream end to end: real embedded broker, real worker process, real DuckDB files."""

from __future__ import annotations

import asyncio
import io
import json
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from bench.crash import read_tables
from streams.service import broker_address

from .conftest import ROOT, SEEDS, Service, assert_same_tables, run_cli

pytestmark = pytest.mark.integration

N_SEEDS = len(list(SEEDS.glob("*.txt")))


def test_seeds_through_the_stream_equal_the_batch_path(service: Service, tmp_path: Path) -> None:
    service.replay(SEEDS)
    service.wait_processed(N_SEEDS)
    # The same articles again (a replay, or a producer retrying): nothing may change.
    service.replay(SEEDS)
    service.wait_processed(N_SEEDS)
    tolls = service.query("SELECT * FROM tolls")
    assert tolls, "no tolls from the seeds"
    assert service.stop() == 0

    stream = read_tables(
        service.settings.db_path,
        ("articles", "mentions", "claims", "events", "tolls", "toll_history"),
    )
    for table, rows in stream.items():
        assert rows, f"table {table} is empty"

    batch_db = tmp_path / "batch.duckdb"
    run_cli("process", str(SEEDS), "--db", str(batch_db), "--quiet")
    stream_tables = read_tables(service.settings.db_path)
    assert_same_tables(read_tables(batch_db), stream_tables)

    # every toll change was logged, naming the event, the metric and the article behind it
    log = service.log_path.read_text()
    updates = [json.loads(line) for line in log.splitlines() if '"toll_updated"' in line]
    assert len(updates) >= len(tolls)
    assert {"event_title", "metric", "low", "high", "latest", "article_id", "source"} <= set(
        updates[0]
    )
    # the history's last word on each toll is the toll itself
    con = duckdb.connect(str(service.settings.db_path), read_only=True)
    stale = con.execute(
        """
        SELECT t.event_id, t.metric FROM tolls t JOIN (
            SELECT event_id, metric, arg_max(high, seq) AS high, arg_max(low, seq) AS low
            FROM toll_history GROUP BY ALL) h USING (event_id, metric)
        WHERE h.high IS DISTINCT FROM t.high OR h.low IS DISTINCT FROM t.low
        """
    ).fetchall()
    assert stale == []
    # the snapshot written at shutdown holds the same data and opens read-only
    snap = read_tables(service.settings.snapshot_path)
    assert_same_tables(stream_tables, snap)


def test_bad_input_is_dead_lettered_and_the_stream_goes_on(
    service: Service, tmp_path: Path
) -> None:
    good = {
        "id": "good-1",
        "text": "A fire at a warehouse killed three workers on Monday.",
        "published_at": "2024-03-05",
    }
    lines = [
        b"{this is not json",
        b'{"id": "latin1", "text": "caf\xe9 blast"}',
        json.dumps({"id": "no-text"}).encode(),
        json.dumps({"id": "empty", "text": ""}).encode(),
        json.dumps({"id": "wrong-type", "text": ["a", "b"]}).encode(),
        json.dumps({"id": "unknown", "text": "x", "author": "me"}).encode(),
        json.dumps({"id": "bad-date", "text": "x", "published_at": "yesterday"}).encode(),
        json.dumps({"id": "huge", "text": "word " * 2_000_000}).encode(),
        json.dumps(good).encode(),
    ]
    feed = tmp_path / "feed.jsonl"
    feed.write_bytes(b"\n".join(lines) + b"\n")
    not_utf8 = tmp_path / "cp1252.txt"
    not_utf8.write_bytes("Caf\xe9 explosion kills two".encode("cp1252"))

    service.replay(feed, not_utf8)
    service.wait_processed(len(lines) + 1)

    rejected = service.query("SELECT article_id, reason FROM rejected ORDER BY reason")
    reasons = " | ".join(r["reason"] for r in rejected)
    assert len(rejected) == len(lines) - 1 + 1, reasons
    for expected in (
        "invalid JSON",
        "not UTF-8",
        "text: Field required",
        "text is empty",
        "author",
        "published_at",
        "TOLLS_MAX_MESSAGE_BYTES",
    ):
        assert expected in reasons
    assert service.query("SELECT article_id FROM articles") == [{"article_id": "good-1"}]

    # the dead-letter topic carries the same records, with their reasons
    dead = asyncio.run(_consume(service, service.settings.rejected_topic, len(rejected)))
    assert sorted(d["reason"] for d in dead) == sorted(r["reason"] for r in rejected)
    assert '"article_rejected"' in service.log_path.read_text()


async def _consume(service: Service, topic: str, n: int) -> list[dict]:
    from aiokafka import AIOKafkaConsumer

    from streams.broker import read_state

    info = read_state(service.data_dir)
    assert info is not None
    host, port = broker_address(info.url)
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=f"{host}:{port}", auto_offset_reset="earliest", group_id=None
    )
    await consumer.start()
    out: list[dict] = []
    try:
        while len(out) < n:
            batch = await asyncio.wait_for(consumer.getmany(timeout_ms=1000), timeout=30)
            for records in batch.values():
                out += [json.loads(r.value) for r in records]
    finally:
        await consumer.stop()
    return out


def test_live_queries_snapshot_and_refused_writes(service: Service) -> None:
    replay = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streams.cli",
            "replay",
            str(SEEDS),
            "--rate",
            "1",
            "--quiet",
            "--data-dir",
            str(service.data_dir),
        ],
        cwd=ROOT,
    )
    seen = []
    try:
        while replay.poll() is None or not seen:
            seen.append(service.query("SELECT count(*) AS n FROM articles")[0]["n"])
    finally:
        assert replay.wait(timeout=60) == 0
    service.wait_processed(N_SEEDS)
    # served while the stream ran, and never going back
    assert seen == sorted(seen), seen
    refused = run_cli("query", "DELETE FROM tolls", data_dir=service.data_dir, check=False)
    assert refused.returncode == 2 and "read-only" in refused.stderr
    # the worker holds the main file: another process cannot open it, even read-only, and
    # is told to use `tolls query` or the snapshot; the snapshot opens
    from sinks.store import Store, StoreLockedError

    with pytest.raises(StoreLockedError, match="snapshot"):
        Store(service.settings.db_path, read_only=True)
    served = run_cli(
        "query", "SELECT count(*) AS n FROM articles", "--format", "json", data_dir=service.data_dir
    )
    assert json.loads(served.stdout) == [{"n": N_SEEDS}]
    time.sleep(2.5)  # the snapshot is refreshed every second in this test
    con = duckdb.connect(str(service.settings.snapshot_path), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM tolls").fetchone()[0] > 0
        with pytest.raises(duckdb.Error):
            con.execute("DELETE FROM tolls")
    finally:
        con.close()


def test_sigkill_at_random_moments_loses_and_doubles_nothing() -> None:
    """The crash harness (bench/crash.py), two trials: each SIGKILLs the worker at a random
    moment of a replay with resends and invalid lines, restarts it, and compares every
    table with `tolls process`; the killed worker's extraction process must die with it."""
    from bench.crash import run

    out = io.StringIO()
    trials = run(trials=2, articles=150, seed=int(time.time()) % 1000, out=out)
    report = out.getvalue()
    assert all(t.ok for t in trials), report
    assert all(not t.errors for t in trials), report  # no gap was even seen


def test_a_new_broker_builds_on_the_database(tmp_path: Path) -> None:
    """After `tolls down` (or a reboot) the in-memory broker is gone but tolls.duckdb is not:
    the positions stored for the old broker are dropped (or the new broker's first messages
    would be skipped), and a new article about a known place adds to its events."""
    svc = Service(tmp_path / "data")
    seeds = sorted(SEEDS.glob("*.txt"))
    first, rest = seeds[:-1], seeds[-1]
    svc.start()
    try:
        svc.replay(*first)
        svc.wait_processed(len(first))
        svc.stop()
        run_cli("down", data_dir=svc.data_dir)  # the broker and the stream state are gone
        svc.start()
        svc.replay(rest)
        svc.wait_processed(len(seeds))
        assert svc.stop() == 0
        assert '"positions_reset"' in svc.log_path.read_text()
    finally:
        svc.down()
    batch_db = tmp_path / "batch.duckdb"
    run_cli("process", str(SEEDS), "--db", str(batch_db), "--quiet")
    assert_same_tables(read_tables(batch_db), read_tables(svc.settings.db_path))


def _http(url: str, token: str | None = None, body: bytes | None = None) -> tuple[int, dict]:
    import urllib.error
    import urllib.request

    headers = {"Authorization": f"Bearer {token}"} if token else {}
    req = urllib.request.Request(url, data=body, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_endpoint_reads_nothing_else_and_a_slow_query_does_not_stall_the_stream(
    tmp_path: Path,
) -> None:
    """DuckDB's guards refuse file access, bad requests get 400 (never 500), the token is
    required, and a query that runs long is stopped while articles keep being written."""
    import threading
    from urllib.parse import quote

    from streams.service import read_endpoint

    svc = Service(
        tmp_path / "data",
        env={"TOLLS_HTTP_TOKEN": "s3cret", "TOLLS_QUERY_TIMEOUT_SECONDS": "12"},
    )
    svc.start()
    try:
        ep = read_endpoint(svc.settings)
        assert ep is not None
        q = f"{ep.url}/query?sql="
        assert _http(q + quote("SELECT 1"))[0] == 401
        assert _http(q + quote("SELECT 1"), "wrong")[0] == 401
        assert _http(q + quote("SELECT 1 AS one"), "s3cret") == (
            200,
            {"columns": ["one"], "rows": [[1]], "truncated": False},
        )
        for sql in ("SELECT * FROM read_text('/etc/hostname')", "SELECT * FROM glob('/*')"):
            status, answer = _http(q + quote(sql), "s3cret")
            assert status == 400 and "disabled by config" in answer["error"], answer
        assert _http(q + quote("DELETE FROM tolls"), "s3cret")[0] == 403
        assert _http(q, "s3cret")[0] == 400  # no statement
        assert _http(f"{ep.url}/query", "s3cret", body=b"not json")[0] == 400
        assert _http(f"{ep.url}/query", "s3cret", body=b'{"sql": 3}')[0] == 400

        seeds = sorted(SEEDS.glob("*.txt"))
        svc.replay(seeds[0])  # the worker is warm (language model loaded) before the clock
        svc.wait_processed(1)
        slow: dict[str, object] = {}

        def run_slow() -> None:
            sql = "SELECT max(hash(range)) FROM range(1000000000000)"
            slow["answer"] = _http(q + quote(sql), "s3cret")
            slow["at"] = time.monotonic()

        thread = threading.Thread(target=run_slow)
        thread.start()
        time.sleep(0.5)
        svc.replay(*seeds[1:])
        deadline = time.monotonic() + 60
        while True:
            status, answer = _http(q + quote("SELECT count(*) FROM mentions"), "s3cret")
            if answer["rows"][0][0] >= 38 or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        written_at = time.monotonic()
        thread.join(timeout=60)
        status, answer = slow["answer"]  # type: ignore[misc]
        assert status == 400 and "longer than 12 s" in answer["error"], answer
        assert written_at < slow["at"], "the stream waited for the slow query"  # type: ignore[operator]
        assert svc.stop() == 0
    finally:
        svc.down()
    log = svc.log_path.read_text()
    assert "Traceback" not in log and "\x1b" not in log


def test_the_snapshot_opens_in_a_duckdb_1_client(tmp_path: Path) -> None:
    """DuckDB 2 writes storage that 1.x clients refuse; the snapshot is written in the old
    format. Checked with duckdb 1.1.3 in a throwaway virtual environment (kept between runs
    in the temp folder)."""
    import tempfile

    from sinks.store import Store

    venv = Path(tempfile.gettempdir()) / "tolls-test-duckdb-1.1.3"
    python = venv / "bin" / "python"
    if not python.exists():
        made = subprocess.run(
            f"{sys.executable} -m venv {venv} && {venv}/bin/pip install -q duckdb==1.1.3",
            shell=True,
            capture_output=True,
            text=True,
        )
        if made.returncode != 0:
            pytest.skip(f"could not install duckdb 1.1.3 for the check: {made.stderr[-300:]}")
    db = tmp_path / "tolls.duckdb"
    run_cli("process", str(SEEDS), "--db", str(db), "--quiet")
    with Store(db) as store:
        store.snapshot(tmp_path / "snap.duckdb")
        expected = store.counts()
    probe = (
        "import duckdb, json, sys; con = duckdb.connect(sys.argv[1], read_only=True); "
        "print(json.dumps({t: con.execute(f'SELECT count(*) FROM {t}').fetchone()[0] "
        "for t in sys.argv[2:]}))"
    )
    out = subprocess.run(
        [str(python), "-c", probe, str(tmp_path / "snap.duckdb"), *expected],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(out.stdout) == expected
