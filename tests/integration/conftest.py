"""Integration fixtures: a real embedded broker, real worker processes, real DuckDB files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bench.crash import Worker, diff_tables

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"


def run_cli(
    *args: str,
    data_dir: Path | None = None,
    check: bool = True,
    timeout: float = 120,
    input: str | None = None,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "streams.cli", *args]
    if data_dir is not None:
        cmd += ["--data-dir", str(data_dir)]
    proc = subprocess.run(
        cmd,
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        input=input,
        env={**os.environ, "TOLLS_LOG_FORMAT": "json", **(env or {})},
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"{cmd} exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr}")
    return proc


class Service(Worker):
    """A ``tolls up`` worker process on an embedded broker, in its own data dir (snapshot
    every second), with what the tests ask of it."""

    def __init__(self, data_dir: Path, env: dict[str, str] | None = None) -> None:
        super().__init__(
            data_dir, {"TOLLS_SNAPSHOT_SECONDS": "1", **(env or {})}, "worker-test.log"
        )

    def replay(self, *paths: Path, rate: float | None = None) -> subprocess.CompletedProcess[str]:
        args = ["replay", *map(str, paths), "--quiet"]
        if rate:
            args += ["--rate", str(rate)]
        return run_cli(*args, data_dir=self.data_dir, env=self.env)

    def query(self, sql: str) -> list[dict[str, Any]]:
        out = run_cli("query", sql, "--format", "json", data_dir=self.data_dir, env=self.env)
        return json.loads(out.stdout)

    def wait_processed(self, n_articles: int, timeout: float = 120) -> None:
        sql = (
            "SELECT (SELECT count(*) FROM articles) + (SELECT count(*) FROM rejected) AS seen, "
            "(SELECT coalesce(sum(n_mentions), 0) FROM articles) AS expected, "
            "(SELECT count(*) FROM mentions) AS mentions"
        )
        deadline = time.monotonic() + timeout
        row: dict[str, Any] = {}
        while time.monotonic() < deadline:
            assert self.proc is None or self.proc.poll() is None, self.log_path.read_text()[-3000:]
            row = self.query(sql)[0]
            if row["seen"] >= n_articles and row["mentions"] >= row["expected"]:
                return
            time.sleep(0.5)
        raise AssertionError(f"not processed in {timeout} s: {row}")


@pytest.fixture
def service(tmp_path: Path) -> Iterator[Service]:
    svc = Service(tmp_path / "data")
    svc.start()
    try:
        yield svc
    finally:
        svc.down()


def assert_same_tables(a: dict[str, list[Any]], b: dict[str, list[Any]]) -> None:
    differences = diff_tables(a, b)
    assert not differences, "; ".join(differences)
