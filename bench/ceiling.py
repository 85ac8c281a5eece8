"""Throughput ceiling: a faust agent that does nothing but count messages.

    python bench/ceiling.py --broker kafka://127.0.0.1:PORT --topic T --n N --out result.json

Consumes ``T`` (expected to hold at least ``N`` messages already; a new consumer group starts
from the earliest offset) with the same faust settings as the worker where they matter
(broker session timeout, heartbeat, fetch size), and writes
``{"n", "seconds", "rate", "startup_s"}`` to ``--out`` once the ``N``-th message arrived:
``rate`` is messages per second from the first to the ``N``-th message, so start-up and the
group join are not counted (``startup_s`` reports them). Then it stops itself.

``bench/run.py`` runs it as a subprocess after the end-to-end phase; it does not import
anything from the project, only faust.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import tempfile
import time
from pathlib import Path


def build_app(broker: str, topic_name: str, n: int, out: Path, datadir: str, started: float):
    import faust

    app = faust.App(
        f"tolls-bench-ceiling-{os.getpid()}",
        broker=broker,
        store="memory://",
        processing_guarantee="at_least_once",
        # tansu answers group joins quickly; the defaults make every start wait ~30 s.
        broker_session_timeout=6,
        broker_heartbeat_interval=1,
        consumer_max_fetch_size=64 * 1024 * 1024,
        consumer_auto_offset_reset="earliest",
        web_enabled=False,
        topic_replication_factor=1,
        datadir=datadir,
        loghandlers=[],
    )
    topic = app.topic(topic_name, key_serializer="raw", value_serializer="raw")
    state = {"count": 0, "first": 0.0}

    @app.agent(topic, concurrency=1)
    async def count(stream) -> None:  # type: ignore[no-untyped-def]
        async for _value in stream:
            state["count"] += 1
            if state["count"] == 1:
                state["first"] = time.perf_counter()
            if state["count"] == n:
                seconds = time.perf_counter() - state["first"]
                rate = (n - 1) / seconds if seconds > 0 else float("inf")
                out.write_text(
                    json.dumps(
                        {
                            "n": n,
                            "seconds": seconds,
                            "rate": rate,
                            "startup_s": state["first"] - started,
                        }
                    )
                )
                # faust's worker stops gracefully on SIGTERM.
                os.kill(os.getpid(), signal.SIGTERM)

    return app


def main(argv: list[str] | None = None) -> int:
    started = time.perf_counter()
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--broker", required=True, help="kafka://HOST:PORT")
    ap.add_argument("--topic", required=True)
    ap.add_argument("--n", type=int, required=True, help="messages to count")
    ap.add_argument("--out", type=Path, required=True, help="result JSON file")
    a = ap.parse_args(argv)
    if a.n < 2:
        ap.error("--n must be at least 2")

    from faust import Worker

    with tempfile.TemporaryDirectory(prefix="tolls-ceiling-") as datadir:
        app = build_app(a.broker, a.topic, a.n, a.out, datadir, started)
        worker = Worker(
            app, loglevel="WARNING", redirect_stdouts=False, override_logging=False, quiet=True
        )
        try:
            worker.execute_from_commandline()
        except SystemExit as exc:
            if exc.code not in (None, 0):
                return int(exc.code) if isinstance(exc.code, int) else 1
    if not a.out.exists():
        print("ceiling: stopped before counting all messages", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
