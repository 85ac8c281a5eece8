"""Crash harness: SIGKILL the worker at random moments of a replay; nothing may differ.

Each trial starts ``tolls up`` on a fresh data dir (its own embedded broker), replays a feed
of distinct generated articles with resent duplicates and invalid lines (odd trials all at
once, in full micro-batches; even trials at a steady rate, in small ones), SIGKILLs the worker
at a random moment (uniform over the time an uninterrupted run takes), checks that
none of the killed worker's processes survive it, restarts the worker, waits until it is
idle, stops it, and compares every table with ``tolls process`` of the same feed: the same
articles, mentions, claims, events, tolls and rejections (``toll_history`` excepted: it
records changes as the worker saw them). It prints one line per trial with what differed.

    python bench/crash.py --trials 20                 # the README's figure
    python bench/crash.py --trials 3 --articles 150   # quick

Exit status 1 when a trial differs or leaves a process behind.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402

# Columns that record when something happened on the wall clock, not what was derived.
VOLATILE = {"ingested_at", "updated_at", "received_at"}
COMPARED_TABLES = ("articles", "mentions", "claims", "events", "tolls", "rejected")
INVALID_LINES = (
    "not json",
    '{"id": "x1"}',
    '{"id": "x2", "text": ""}',
    '{"id": 3, "text": [1]}',
    '{"id": "x4", "text": "t", "extra": 1}',
)


def read_tables(
    db: Path, tables: tuple[str, ...] = COMPARED_TABLES
) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of ``tables``, wall-clock columns left out, sorted: for equality checks."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        out = {}
        for table in tables:
            cols = [
                r[0] for r in con.execute(f"DESCRIBE {table}").fetchall() if r[0] not in VOLATILE
            ]
            quoted = ", ".join(f'"{c}"' for c in cols)
            rows = con.execute(f"SELECT {quoted} FROM {table}").fetchall()
            out[table] = sorted(rows, key=repr)
        return out
    finally:
        con.close()


def diff_tables(expected: dict[str, list[Any]], got: dict[str, list[Any]]) -> list[str]:
    """What differs, table by table, in words (empty: equal)."""
    out = []
    for table, rows in expected.items():
        other = got.get(table, [])
        if rows == other:
            continue
        missing = [r for r in rows if r not in other]
        extra = [r for r in other if r not in rows]
        line = f"{table}: {len(other)} rows, expected {len(rows)}"
        if missing:
            line += f"; missing {len(missing)}, e.g. {str(missing[0])[:160]}"
        if extra:
            line += f"; unexpected {len(extra)}, e.g. {str(extra[0])[:160]}"
        out.append(line)
    return out


def build_feed(path: Path, n: int, seed: int) -> int:
    """``n`` distinct articles, 5 % of them sent twice, and invalid lines, shuffled.
    Returns the number of distinct messages the database must end up with."""
    from bench.corpus import generate

    lines = [json.dumps(a) for a in generate(n, seed=seed)]
    rng = random.Random(seed)
    feed = lines + rng.sample(lines, max(1, n // 20))
    rng.shuffle(feed)
    for i, bad in enumerate(INVALID_LINES):
        feed.insert(min(len(feed), (i + 1) * len(feed) // (len(INVALID_LINES) + 1)), bad)
    path.write_text("\n".join(feed) + "\n")
    return n + len(INVALID_LINES)


def cli(*args: str, timeout: float = 600, check: bool = True) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [sys.executable, "-m", "streams.cli", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        env={**os.environ, "TOLLS_LOG_FORMAT": "json"},
    )
    if check and proc.returncode != 0:
        raise RuntimeError(
            f"tolls {' '.join(args)} exited {proc.returncode}: {proc.stderr[-2000:]}"
        )
    return proc


def children_of(pid: int) -> set[int]:
    """Processes whose parent is ``pid`` (from /proc)."""
    out = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(") ", 1)[1].split()[1]) == pid:
                out.add(int(entry.name))
    return out


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(") ", 1)[1][0] != "Z"


def spawn_up(data_dir: Path, env: dict[str, str], log_path: Path) -> subprocess.Popen[bytes]:
    """``tolls up --data-dir DIR`` in the background, JSON logs appended to ``log_path``."""
    data_dir.mkdir(parents=True, exist_ok=True)
    with open(log_path, "ab") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "streams.cli", "up", "--data-dir", str(data_dir)],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            cwd=ROOT,
            env={**env, "TOLLS_LOG_FORMAT": "json"},
        )


class Worker:
    """One ``tolls up`` process on a data dir, with ``TOLLS_*`` overrides in ``env``."""

    def __init__(
        self, data_dir: Path, env: dict[str, str] | None = None, log_name: str = "worker.log"
    ) -> None:
        from streams.settings import Settings

        self.data_dir = data_dir
        self.env = {"TOLLS_SNAPSHOT_SECONDS": "0", **(env or {})}
        self.settings = Settings(
            data_dir=data_dir,
            **{k.removeprefix("TOLLS_").lower(): v for k, v in self.env.items()},
        )
        self.proc: subprocess.Popen[bytes] | None = None
        self.log_path = data_dir / log_name

    def start(self, timeout: float = 120) -> None:
        from streams.service import wait_for_endpoint

        self.proc = spawn_up(self.data_dir, {**os.environ, **self.env}, self.log_path)
        wait_for_endpoint(self.settings, timeout, proc=self.proc)

    def health(self) -> dict[str, Any] | None:
        from streams import client

        return client.health(self.settings)

    def count(self) -> int:
        """Messages in the database: articles and rejections."""
        from streams import client

        _, rows = client.query(
            self.settings,
            "SELECT (SELECT count(*) FROM articles) + (SELECT count(*) FROM rejected)",
        )
        return int(rows[0][0])

    def kill(self) -> set[int]:
        """SIGKILL the worker; returns its processes that should have died with it."""
        from streams import broker

        assert self.proc is not None
        info = broker.read_state(self.data_dir)
        own = children_of(self.proc.pid) - ({info.pid} if info else set())
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)
        return own

    def wait_idle(self, expected: int, timeout: float = 600) -> None:
        """Until the worker has every message in the database and has been idle twice."""
        deadline = time.monotonic() + timeout
        idle_seen = 0
        while time.monotonic() < deadline:
            assert self.proc is not None
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"the worker exited with {self.proc.returncode}; see {self.log_path}"
                )
            h = self.health()
            if h and h.get("idle") and self.count() >= expected:
                idle_seen += 1
                if idle_seen >= 2:
                    return
            else:
                idle_seen = 0
            time.sleep(0.5)
        raise RuntimeError(f"the worker was not idle within {timeout:.0f} s; see {self.log_path}")

    def stop(self) -> int | None:
        """SIGTERM and wait; returns the exit status."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(timeout=60)
        return self.proc.returncode

    def down(self) -> None:
        self.stop()
        cli("down", "--data-dir", str(self.data_dir), check=False)


@dataclass
class Trial:
    number: int
    rate: float | None  # articles/s of the replay (None: all at once)
    kill_after: float
    expected: int = 0
    seen_at_kill: int = 0
    differences: list[str] = field(default_factory=list)
    leftovers: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # loss reports from the worker log
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not (self.differences or self.leftovers)

    def line(self) -> str:
        head = (
            f"trial {self.number}: killed {self.kill_after:.2f} s into a replay "
            f"{f'at {self.rate:g}/s' if self.rate else 'all at once'}, "
            f"{self.seen_at_kill}/{self.expected} messages in DuckDB, {self.seconds:.0f} s: "
        )
        if self.ok:
            body = "equal to batch, nothing left running"
        else:
            body = "; ".join(
                self.differences
                + ([f"still running after the kill: {self.leftovers}"] if self.leftovers else [])
            )
        if self.errors:
            body += f" (worker reported: {', '.join(sorted(set(self.errors)))})"
        return head + body


def reported_errors(log: Path) -> list[str]:
    out = []
    for line in log.read_text(errors="replace").splitlines():
        if line.startswith("{") and '"level": "error"' in line:
            try:
                out.append(str(json.loads(line).get("event")))
            except ValueError:
                continue
    return out


def run_trial(
    number: int,
    feed: Path,
    expected: int,
    batch: dict[str, list[Any]],
    work: Path,
    seed: int,
    span: float,
    rate: float | None,
) -> Trial:
    """One kill, ``uniform(0, span)`` seconds after the replay starts."""
    rng = random.Random(seed * 1000 + number)
    trial = Trial(number, rate, kill_after=rng.uniform(0, span), expected=expected)
    started = time.monotonic()
    worker = Worker(work / f"trial-{number}")
    try:
        worker.start()
        replay = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streams.cli",
                "replay",
                str(feed),
                "--quiet",
                "--data-dir",
                str(worker.data_dir),
            ],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )
        time.sleep(trial.kill_after)
        trial.seen_at_kill = worker.count()
        own = worker.kill()
        if replay.wait(timeout=120) != 0:
            raise RuntimeError("tolls replay failed")
        time.sleep(2)
        trial.leftovers = sorted(p for p in own if alive(p))
        for pid in trial.leftovers:  # do not leave them to the next trial
            os.kill(pid, signal.SIGKILL)
        worker.start()
        worker.wait_idle(expected)
        worker.stop()
        trial.errors = reported_errors(worker.log_path)
        trial.differences = diff_tables(batch, read_tables(worker.settings.db_path))
    except (RuntimeError, AssertionError, subprocess.SubprocessError) as exc:
        trial.differences.append(f"trial failed: {exc}")
    finally:
        worker.down()
        trial.seconds = time.monotonic() - started
    return trial


def replay_args(feed: Path, data_dir: Path, rate: float | None) -> list[str]:
    args = ["replay", str(feed), "--quiet", "--data-dir", str(data_dir)]
    return args + (["--rate", str(rate)] if rate else [])


def calibrate(
    feed: Path, expected: int, batch: dict[str, list[Any]], work: Path, rate: float | None
) -> tuple[float, list[str]]:
    """Run the feed through a worker without a kill: (seconds to idle, differences)."""
    worker = Worker(work / f"uninterrupted-{rate or 'burst'}")
    try:
        worker.start()
        started = time.monotonic()
        cli(*replay_args(feed, worker.data_dir, rate))
        worker.wait_idle(expected)
        span = time.monotonic() - started
        worker.stop()
        return span, diff_tables(batch, read_tables(worker.settings.db_path))
    finally:
        worker.down()


@contextmanager
def workdir(keep: bool) -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="tolls-crash-"))
    try:
        yield path
    finally:
        if keep:
            print(f"crash: work files kept in {path}")
        else:
            shutil.rmtree(path, ignore_errors=True)


def run(
    trials: int,
    articles: int,
    seed: int,
    keep: bool = False,
    out=sys.stdout,
    rate: float = 60.0,
) -> list[Trial]:
    with workdir(keep) as work:
        feed = work / "feed.jsonl"
        expected = build_feed(feed, articles, seed)
        batch_db = work / "batch.duckdb"
        cli("process", str(feed), "--db", str(batch_db), "--quiet")
        batch = read_tables(batch_db)
        # Half the trials replay everything at once (micro-batches of TOLLS_BATCH_MAX), half
        # at a steady rate (many small batches). An uninterrupted run of each comes first:
        # it must equal the batch too, and the time it takes to become idle is the span
        # the kill moments of its trials are drawn from.
        results = []
        spans = {}
        for mode in (None, rate):
            spans[mode], differences = calibrate(feed, expected, batch, work, mode)
            if differences:
                results.append(Trial(0, mode, 0.0, expected, differences=differences))
        print(
            f"crash: {trials} trials, feed of {articles} distinct articles + resends + "
            f"{len(INVALID_LINES)} invalid lines (seed {seed}); uninterrupted runs take "
            f"{spans[None]:.1f} s (all at once) and {spans[rate]:.1f} s (at {rate:g}/s); "
            "kills fall uniformly in them",
            file=out,
            flush=True,
        )
        for t in results:
            print(t.line(), file=out, flush=True)
        for i in range(1, trials + 1):
            mode = None if i % 2 else rate
            result = run_trial(i, feed, expected, batch, work, seed, spans[mode], mode)
            print(result.line(), file=out, flush=True)
            results.append(result)
    ok = sum(t.ok for t in results)
    print(
        f"crash: trials={len(results)} equal={ok} "
        f"leftovers={sum(len(t.leftovers) for t in results)}",
        file=out,
        flush=True,
    )
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=20, help="number of kills (default 20)")
    parser.add_argument("--articles", type=int, default=300, help="distinct articles in the feed")
    parser.add_argument("--seed", type=int, default=1, help="feed and kill moments")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument(
        "--rate", type=float, default=60.0, help="articles/s of the even trials' replay"
    )
    args = parser.parse_args(argv)
    results = run(args.trials, args.articles, args.seed, args.keep, rate=args.rate)
    return 0 if all(t.ok for t in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
