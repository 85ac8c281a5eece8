"""Integration fixtures: a real embedded broker, real worker processes, real DuckDB files."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bench.crash import diff_tables
from streams import broker as embedded
from streams.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"


def run_cli(
    *args: str,
    data_dir: Path | None = None,
    check: bool = True,
    timeout: float = 120,
    input: str | None = None,
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
        env={**os.environ, "TOLLS_LOG_FORMAT": "json"},
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"{cmd} exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr}")
    return proc


class Service:
    """A ``tolls up`` worker process on an embedded broker, in its own data dir."""

    def __init__(self, data_dir: Path, env: dict[str, str] | None = None) -> None:
        self.data_dir = data_dir
        self.env = env or {}
        self.settings = Settings(
            data_dir=data_dir,
            **{k.removeprefix("TOLLS_").lower(): v for k, v in self.env.items()},
        )
        self.proc: subprocess.Popen[bytes] | None = None
        self.log_path = data_dir / "worker-test.log"

    def start(self, timeout: float = 90) -> None:
        from streams.service import wait_for_endpoint

        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.settings.endpoint_file.unlink(missing_ok=True)
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "streams.cli", "up", "--data-dir", str(self.data_dir)],
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=ROOT,
                env={
                    **os.environ,
                    "TOLLS_LOG_FORMAT": "json",
                    "TOLLS_SNAPSHOT_SECONDS": "1",
                    **self.env,
                },
            )
        wait_for_endpoint(self.settings, timeout, proc=self.proc)

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)

    def stop(self) -> int:
        assert self.proc is not None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(timeout=60)
        return self.proc.returncode

    def replay(self, *paths: Path, rate: float | None = None) -> subprocess.CompletedProcess[str]:
        args = ["replay", *map(str, paths), "--quiet"]
        if rate:
            args += ["--rate", str(rate)]
        return run_cli(*args, data_dir=self.data_dir)

    def query(self, sql: str) -> list[dict[str, Any]]:
        out = run_cli("query", sql, "--format", "json", data_dir=self.data_dir)
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

    def down(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.stop()
        embedded.stop(self.data_dir)


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
