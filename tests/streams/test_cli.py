"""The command line as a user meets it: help, clear errors without tracebacks, the file path."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"


def tolls(
    *args: str, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "streams.cli", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
    )


def test_help_lists_every_command() -> None:
    out = tolls("--help")
    assert out.returncode == 0
    for command in ("demo", "up", "down", "replay", "process", "query", "watch", "settings"):
        assert command in out.stdout


def test_unreachable_broker_is_retried_then_reported_without_a_traceback(tmp_path: Path) -> None:
    out = tolls(
        "up",
        "--data-dir",
        str(tmp_path),
        "--broker",
        "kafka://127.0.0.1:9",
        env={"TOLLS_BROKER_RETRY_SECONDS": "1", "TOLLS_LOG_FORMAT": "json"},
    )
    assert out.returncode == 2
    assert "127.0.0.1:9 is not reachable" in out.stderr
    assert "TOLLS_BROKER" in out.stderr  # says what to do
    assert "broker_unreachable" in out.stderr  # the retries were logged
    assert "Traceback" not in out.stderr


def test_replay_without_a_running_service_says_how_to_start_one(tmp_path: Path) -> None:
    out = tolls("replay", str(SEEDS), "--data-dir", str(tmp_path))
    assert out.returncode == 2
    assert "tolls up" in out.stderr and "Traceback" not in out.stderr


def test_process_query_and_watch_on_a_file(tmp_path: Path) -> None:
    db = tmp_path / "tolls.duckdb"
    assert tolls("process", str(SEEDS), "--db", str(db), "--quiet").returncode == 0
    counts = "SELECT (SELECT count(*) FROM mentions) || '/' || (SELECT count(*) FROM claims)"
    before = tolls("query", counts, "--data-dir", str(tmp_path), "--format", "csv").stdout
    # processing an article again into the same file builds on what is there
    again = tolls("process", str(next(SEEDS.glob("*.txt"))), "--db", str(db), "--quiet")
    assert again.returncode == 0
    assert tolls("query", counts, "--data-dir", str(tmp_path), "--format", "csv").stdout == before
    q = tolls(
        "query", "SELECT count(*) AS n FROM tolls", "--data-dir", str(tmp_path), "--format", "csv"
    )
    assert q.returncode == 0 and int(q.stdout.splitlines()[1]) > 0
    w = tolls("watch", "--once", "--data-dir", str(tmp_path), "--limit", "3")
    assert w.returncode == 0
    assert "(3 rows)" in w.stdout and "metric" in w.stdout
    refused = tolls("query", "DROP TABLE tolls", "--data-dir", str(tmp_path))
    assert refused.returncode == 2 and "read-only" in refused.stderr


def test_missing_input_path_is_a_clear_error(tmp_path: Path) -> None:
    out = tolls("process", str(tmp_path / "nope"), "--db", str(tmp_path / "x.duckdb"))
    assert out.returncode == 2
    assert "no such file or folder" in out.stderr and "Traceback" not in out.stderr
