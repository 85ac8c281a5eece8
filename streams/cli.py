"""The ``tolls`` command line."""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from streams.settings import Settings

PACKAGE_SEEDS = Path(__file__).resolve().parents[1] / "seeds"

DESCRIPTION = """\
tolls: casualty tolls from a live stream of news articles.

Articles published to Kafka are read by a faust worker, their casualty claims are
extracted, deduplicated and grouped into events, and each event's tolls (lowest, highest
and latest figure) are written to DuckDB, which you can query while the stream runs.

  tolls demo                      the whole thing on the sample articles, then exit
  tolls up                        run the service (embedded broker unless --broker)
  tolls replay seeds/             publish articles to the running service
  tolls query "SELECT * FROM tolls"
  tolls watch                     live view of the tolls as they change
  tolls process seeds/ --db x.duckdb   the same processing in-process, no broker
  tolls status                    broker in use, worker, lag (messages not yet processed)
  tolls check                     compare the articles topic with the tables
  tolls down                      stop the worker and the embedded broker

Every setting can also come from a TOLLS_* environment variable: `tolls settings`.
"""


def _settings(args: argparse.Namespace) -> Settings:
    overrides: dict[str, Any] = {}
    if getattr(args, "data_dir", None) is not None:
        overrides["data_dir"] = args.data_dir
    if getattr(args, "broker", None):
        overrides["broker"] = args.broker
    if getattr(args, "role", None):
        overrides["role"] = args.role
    return Settings(**overrides)


def _setup_logs(settings: Settings, quiet: bool = False) -> None:
    from streams import logs

    logs.configure("warning" if quiet else settings.log_level, settings.log_format)


def cmd_up(args: argparse.Namespace) -> int:
    from streams.service import run_worker

    settings = _settings(args)
    _setup_logs(settings)
    return run_worker(settings)


def cmd_down(args: argparse.Namespace) -> int:
    from streams.service import end_leftovers, stop_embedded_broker, stop_worker

    settings = _settings(args)
    _setup_logs(settings, quiet=True)
    worker = stop_worker(settings)
    left = end_leftovers(settings)
    broker = stop_embedded_broker(settings.data_dir)
    print(
        f"worker: {'stopped' if worker else 'not running'}; "
        f"embedded broker: {'stopped' if broker else 'not running'}"
        + (f"; ended {len(left)} leftover processes of a dead worker" if left else "")
    )
    return 0


def cmd_replay(args: argparse.Namespace) -> int:
    from streams.replay import replay
    from streams.service import resolve_broker, wait_for_broker

    settings = _settings(args)
    _setup_logs(settings, quiet=True)
    if args.validate and not _validate(settings, args.paths):
        return 1
    url, _ = resolve_broker(settings, start=False)
    wait_for_broker(url, min(settings.broker_retry_seconds, 10))
    report = replay(settings, url, args.paths, rate=args.rate, progress=not args.quiet)
    print(
        f"replay: sent {report.sent} articles to topic {settings.articles_topic!r} at {url} "
        f"in {report.seconds:.1f} s"
    )
    return 0


def _validate(settings: Settings, paths: list[Path]) -> bool:
    from processors.articles import parse_payload
    from processors.models import Rejection
    from streams.inputs import iter_payloads

    bad = 0
    for origin, payload in iter_payloads(paths):
        result = parse_payload(
            payload,
            max_message_bytes=settings.max_message_bytes,
            max_text_bytes=settings.max_text_bytes,
        )
        if isinstance(result, Rejection):
            bad += 1
            print(f"{origin}: {result.reason}", file=sys.stderr)
    if bad:
        print(
            f"replay: {bad} invalid articles; nothing sent (drop --validate to let the "
            "worker dead-letter them)",
            file=sys.stderr,
        )
    return bad == 0


def cmd_process(args: argparse.Namespace) -> int:
    from streams.batch import process
    from streams.inputs import count_payloads, iter_payloads
    from streams.replay import progress_printer

    settings = _settings(args)
    _setup_logs(settings, quiet=args.quiet)
    total = count_payloads(args.paths)
    show = None
    if not args.quiet and total > 20:
        show = progress_printer(total, label="process", verb="processed")
    counts = process(settings, iter_payloads(args.paths), args.db, args.batch_size, show)
    print(
        f"process: {total} articles into {args.db}: "
        + ", ".join(f"{k} {v}" for k, v in counts.items())
    )
    return 0


def cmd_query(args: argparse.Namespace) -> int:
    from streams import client

    settings = _settings(args)
    sql = args.sql if args.sql != "-" else sys.stdin.read()
    print(client.render(client.query(settings, sql, args.max_rows), args.format))
    return 0


WATCH_SQL = """
SELECT e.title AS event, t.metric, t.low, t.high, t.latest, t.n_claims AS claims,
       strftime(t.updated_at, '%H:%M:%S') AS updated
FROM tolls t JOIN events e USING (event_id)
ORDER BY t.updated_at DESC, e.title, t.metric
LIMIT {limit}
"""


def cmd_watch(args: argparse.Namespace) -> int:
    from streams import client
    from streams.service import ServiceError

    settings = _settings(args)
    sql = WATCH_SQL.format(limit=int(args.limit))
    last = None
    try:
        while True:
            try:
                out = client.render(client.query(settings, sql))
                out = client.describe_lag(client.health(settings)) + "\n" + out
            except ServiceError as exc:
                out = f"waiting for data: {exc}"
            if out != last or args.once:
                if not args.once and sys.stdout.isatty():
                    sys.stdout.write("\x1b[2J\x1b[H")
                stamp = time.strftime("%H:%M:%S")
                print(
                    f"tolls watch - {settings.data_dir} - {stamp} (Ctrl-C to quit)\n{out}",
                    flush=True,
                )
                last = out
            if args.once:
                return 0
            time.sleep(args.interval)
    except KeyboardInterrupt:
        return 0


def cmd_settings(args: argparse.Namespace) -> int:
    settings = _settings(args)
    for name, field in Settings.model_fields.items():
        value = getattr(settings, name)
        print(f"TOLLS_{name.upper()}={'' if value is None else value!s}")
        print(f"    {field.description}")
        if name == "broker" and value is None:
            print(f"    In use now: {_broker_in_use(settings) or 'none (no service running)'}")
    return 0


def _broker_in_use(settings: Settings) -> str | None:
    from streams import broker as embedded

    if settings.broker:
        return settings.broker
    info = embedded.read_state(settings.data_dir)
    return f"{info.url} (embedded, pid {info.pid})" if info else None


def cmd_status(args: argparse.Namespace) -> int:
    from streams import client
    from streams.service import read_endpoint

    settings = _settings(args)
    ep = read_endpoint(settings)
    h = client.health(settings)
    role = (h or {}).get("role", "all")
    print(f"data dir:  {settings.data_dir.resolve()}")
    broker = _broker_in_use(settings) or (h or {}).get("broker")
    print(f"broker:    {broker or 'not running'}")
    if ep is None:
        print("worker:    not running")
    elif role == "worker":
        print(
            f"worker:    pid {ep.pid}, --role worker (extracts; no tables), health: {ep.url}/health"
        )
    else:
        role_note = ", --role sink" if role == "sink" else ""
        print(
            f"worker:    pid {ep.pid}{role_note}, endpoint {ep.url}/query (health: {ep.url}/health)"
        )
        print(f"page:      {ep.url}/")
    print(client.describe_lag(h))
    if h is not None and h.get("tables") is not None:
        tables = ", ".join(f"{k} {v}" for k, v in h["tables"].items())
        print(f"tables:    {tables}")
    return 0 if ep is not None else 3


def cmd_check(args: argparse.Namespace) -> int:
    from streams.check import check
    from streams.service import resolve_broker, wait_for_broker

    settings = _settings(args)
    _setup_logs(settings, quiet=True)
    url, _ = resolve_broker(settings, start=False)
    wait_for_broker(url, min(settings.broker_retry_seconds, 10))
    report = check(settings, url)
    print(report.render())
    return 0 if report.ok else 1


def cmd_demo(args: argparse.Namespace) -> int:
    from streams import client
    from streams.service import (
        ServiceError,
        read_endpoint,
        resolve_broker,
        stop_embedded_broker,
        wait_for_endpoint,
    )

    settings = _settings(args)
    _setup_logs(settings, quiet=True)
    seeds = args.seeds
    data_dir = settings.data_dir
    running = read_endpoint(settings)
    if running is not None:
        raise ServiceError(
            f"a service is running for {data_dir} (pid {running.pid}); the demo starts from "
            f"an empty database. Stop it with `tolls down --data-dir {data_dir}`, or give the "
            "demo another --data-dir."
        )
    print(f"demo: fresh service in {data_dir}/ (embedded Kafka-protocol broker + faust worker)")
    stop_embedded_broker(data_dir)
    if settings.db_path.exists():
        previous = settings.db_path.with_suffix(".duckdb.previous")
        settings.db_path.replace(previous)
        print(f"demo: the earlier {settings.db_path} is kept as {previous}")
    for suffix in ("tolls.duckdb.wal", "tolls.snapshot.duckdb"):
        (data_dir / suffix).unlink(missing_ok=True)
    shutil.rmtree(data_dir / "worker", ignore_errors=True)
    url, _ = resolve_broker(settings)
    env = {**os.environ, "TOLLS_DATA_DIR": str(data_dir), "TOLLS_LOG_FORMAT": settings.log_format}
    env.pop("TOLLS_BROKER", None)
    log_path = data_dir / "worker.log"
    with open(log_path, "wb") as log_file:  # a fresh service, a fresh log
        worker = subprocess.Popen(
            [sys.executable, "-m", "streams.cli", "up", "--data-dir", str(data_dir)],
            stdout=log_file,
            stderr=subprocess.STDOUT,
            env=env,
        )
    try:
        wait_for_endpoint(settings, timeout=120, proc=worker)
        print(f"demo: worker ready (log: {log_path}); replaying {seeds}")
        from streams.replay import replay

        report = replay(settings, url, [seeds], progress=True)
        _wait_processed(settings, report.ids, report.sent, timeout=args.timeout)
        print()
        print(client.render(client.query(settings, client.TOLLS_SQL)))
        print()
        counts = client.query(
            settings,
            "SELECT (SELECT count(*) FROM articles) AS articles, (SELECT count(*) FROM claims) "
            "AS claims, (SELECT count(*) FROM events) AS events, (SELECT count(*) FROM "
            "toll_history) AS toll_changes, (SELECT count(*) FROM rejected) AS rejected",
        )
        print(client.render(counts))
    finally:
        if worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(timeout=60)
            except subprocess.TimeoutExpired:
                worker.kill()
        if not args.keep_broker:
            stop_embedded_broker(data_dir)
    tolls = "tolls" if shutil.which("tolls") else sys.argv[0]
    print(
        f"\ndemo: done. The tolls are in {settings.db_path} (snapshot: "
        f"{settings.snapshot_path}). Try:\n"
        f'  {tolls} query "SELECT * FROM events" --data-dir {data_dir}\n'
        f"  {tolls} up --data-dir {data_dir} &   then `{tolls} replay FILES`, `{tolls} watch`"
    )
    up, page = _page_command(settings, tolls)
    print(
        f"demo: the live page (the worker serves it; the demo's worker has stopped):\n  {up}\n  then open {page}"
    )
    return 0


def _page_command(settings: Settings, tolls: str) -> tuple[str, str]:
    """The command that runs a worker for the demo's data and the page address it serves.

    The endpoint's port is picked at start unless TOLLS_HTTP_PORT fixes it, so the demo
    fixes one that is free now."""
    import socket

    host = settings.http_host if settings.http_host not in ("0.0.0.0", "::", "") else "127.0.0.1"
    port, prefix = settings.http_port, ""
    if not port:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        prefix = f"TOLLS_HTTP_PORT={port} "
    url_host = f"[{host}]" if ":" in host else host
    return f"{prefix}{tolls} up --data-dir {settings.data_dir} &", f"http://{url_host}:{port}/"


def _wait_processed(settings: Settings, ids: set[str], sent: int, timeout: float) -> None:
    """Until every sent article is in the database (or dead-lettered) and resolved."""
    from streams import client
    from streams.service import ServiceError

    sql = (
        "SELECT (SELECT count(*) FROM articles) + (SELECT count(*) FROM rejected), "
        "(SELECT coalesce(sum(n_mentions), 0) FROM articles), (SELECT count(*) FROM mentions)"
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        _, rows = client.query(settings, sql)
        seen, expected_mentions, mentions = rows[0]
        if seen >= len(ids) and mentions >= expected_mentions:
            return
        time.sleep(0.3)
    raise ServiceError(
        f"articles were not all processed within {timeout:.0f} s; see the worker log"
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tolls", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def data_dir(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--data-dir",
            type=Path,
            metavar="DIR",
            help="data folder (default: ./data, or TOLLS_DATA_DIR)",
        )

    def broker(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--broker",
            metavar="URL",
            help="Kafka bootstrap URL, e.g. kafka://localhost:9092 (default: the "
            "embedded broker of the data dir, or TOLLS_BROKER)",
        )

    p = sub.add_parser(
        "demo",
        help="run the service on the seed articles, print the tolls, exit",
        description="Start the embedded broker and a worker, replay the seed "
        "articles, wait until all are processed, print the tolls and leave "
        "DIR/tolls.duckdb behind for querying. Starts from an empty database.",
    )
    data_dir(p)
    p.add_argument(
        "--seeds",
        type=Path,
        default=PACKAGE_SEEDS,
        metavar="PATH",
        help=f"articles to replay (default: {PACKAGE_SEEDS})",
    )
    p.add_argument("--timeout", type=float, default=180, help="seconds to wait for processing")
    p.add_argument(
        "--keep-broker", action="store_true", help="leave the embedded broker running afterwards"
    )
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser(
        "up",
        help="run the service in the foreground",
        description="Run the worker: consume the articles topic, write the "
        "tolls to DIR/tolls.duckdb, serve read-only SQL on a loopback port and "
        "refresh DIR/tolls.snapshot.duckdb. Without a broker, start (or "
        "re-attach to) the embedded one. Ctrl-C / SIGTERM stops gracefully; the "
        "embedded broker keeps running until `tolls down`.",
    )
    data_dir(p)
    broker(p)
    p.add_argument(
        "--role",
        choices=("all", "worker", "sink"),
        help="all (default, or TOLLS_ROLE): everything in this process. To scale out on one "
        "Kafka: one `--role sink` (resolves events, owns DIR/tolls.duckdb, serves queries) "
        "and any number of `--role worker --broker URL` (extract claims; each with its own "
        "--data-dir)",
    )
    p.set_defaults(func=cmd_up)

    p = sub.add_parser("down", help="stop the worker and the embedded broker of a data dir")
    data_dir(p)
    p.set_defaults(func=cmd_down)

    p = sub.add_parser(
        "replay",
        help="publish article files to the running service",
        description="Publish articles to the articles topic: .txt files (seeds "
        "format), .jsonl files (one JSON article a line, sent as they are), or "
        "folders of them.",
    )
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    data_dir(p)
    broker(p)
    p.add_argument(
        "--rate", type=float, metavar="N", help="articles per second (default: as fast as possible)"
    )
    p.add_argument(
        "--validate",
        action="store_true",
        help="check every article locally first and send nothing if one is invalid",
    )
    p.add_argument("--quiet", action="store_true", help="no progress line")
    p.set_defaults(func=cmd_replay)

    p = sub.add_parser(
        "process",
        help="process article files in-process into a DuckDB file",
        description="Run the same processors as the worker, without a broker "
        "(backfills, evaluation). Gives the same tables as the stream.",
    )
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    p.add_argument("--db", type=Path, required=True, metavar="FILE", help="DuckDB file to write")
    p.add_argument("--batch-size", type=int, default=50, help="articles per database transaction")
    p.add_argument("--quiet", action="store_true", help="no progress and toll logs")
    p.set_defaults(func=cmd_process)

    p = sub.add_parser(
        "query",
        help="read-only SQL on the tolls (live while the service runs)",
        description="Tables: articles, mentions, claims, events, tolls, "
        "toll_history, rejected. Served by the running worker, or read from "
        "the file when none runs.",
    )
    p.add_argument("sql", help='one SELECT statement, or "-" to read it from stdin')
    data_dir(p)
    p.add_argument("--format", choices=["table", "json", "csv"], default="table")
    p.add_argument("--max-rows", type=int, default=None)
    p.set_defaults(func=cmd_query)

    p = sub.add_parser("watch", help="live view of the tolls, most recent changes first")
    data_dir(p)
    p.add_argument("--interval", type=float, default=1.0, help="seconds between refreshes")
    p.add_argument("--limit", type=int, default=30, help="rows shown")
    p.add_argument("--once", action="store_true", help="print once and exit")
    p.set_defaults(func=cmd_watch)

    p = sub.add_parser("settings", help="list every setting, its TOLLS_* variable and value")
    data_dir(p)
    broker(p)
    p.set_defaults(func=cmd_settings)

    p = sub.add_parser(
        "status",
        help="the service of a data dir: broker in use, worker, lag, table counts",
        description="Where the service stands: the broker address actually in use, the "
        "worker's pid and endpoint, how many messages it has not processed yet (lag) and "
        "whether it is idle. Exit status 3 when no worker runs.",
    )
    data_dir(p)
    broker(p)
    p.set_defaults(func=cmd_status)

    p = sub.add_parser(
        "check",
        help="compare what is on the articles topic with the tables; report what is missing",
        description="Read the whole articles topic and check that every message is in the "
        "database (an article in `articles`, invalid input in `rejected`) and that every "
        "article has all its mentions. Exit status 1 when something is missing. Run it when "
        "the worker is idle (`tolls status`): what is still in flight counts as missing.",
    )
    data_dir(p)
    broker(p)
    p.set_defaults(func=cmd_check)
    return parser


def main(argv: list[str] | None = None) -> int:
    from sinks.store import StoreLockedError
    from streams.inputs import InputFileError
    from streams.service import ServiceError

    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except (ServiceError, InputFileError, StoreLockedError) as exc:
        print(f"tolls {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
