"""Running the service: broker resolution, the worker's lifecycle, and its endpoint file.

``tolls up`` runs :func:`run_worker` in the foreground. SIGTERM or Ctrl-C stops it
gracefully: the micro-batch in hand is written, a last snapshot is taken, the DuckDB file
is closed. An embedded broker that the worker started (or re-attached to) is left running,
so that a restart continues the same stream; ``tolls down`` stops it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import socket
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

import structlog

from streams import broker as embedded
from streams.settings import Settings

if TYPE_CHECKING:
    from sinks.store import Store

log = structlog.get_logger("tolls.service")

#: Consumer-group session timeout (seconds) the worker uses; see streams.app.
SESSION_TIMEOUT = 6


class ServiceError(RuntimeError):
    """A problem the user can fix; the message says how. Printed without a traceback."""


@dataclass(frozen=True)
class Endpoint:
    pid: int
    host: str
    port: int

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"


def broker_address(url: str) -> tuple[str, int]:
    parsed = urlparse(url if "://" in url else f"kafka://{url}")
    if not parsed.hostname:
        raise ServiceError(f"broker URL {url!r} has no host; use kafka://HOST:PORT")
    return parsed.hostname, parsed.port or 9092


def resolve_broker(settings: Settings, start: bool = True) -> tuple[str, bool]:
    """The broker URL to use, and whether an embedded broker was started for it."""
    if settings.broker:
        return settings.broker, False
    if not start:
        info = embedded.read_state(settings.data_dir)
        if info is None:
            raise ServiceError(
                f"no service is running for data dir {settings.data_dir} (no live embedded "
                "broker recorded there). Start one with `tolls up`, or pass --broker URL."
            )
        return info.url, False
    try:
        info, started = embedded.start(settings.data_dir)
    except embedded.BrokerError as exc:
        raise ServiceError(f"could not start the embedded broker: {exc}") from exc
    return info.url, started


def wait_for_broker(url: str, timeout: float) -> None:
    """Retry with backoff until the broker accepts connections, or fail clearly."""
    host, port = broker_address(url)
    deadline = time.monotonic() + timeout
    delay = 0.25
    attempt = 0
    while not embedded.port_open(host, port):
        attempt += 1
        if time.monotonic() + delay > deadline:
            raise ServiceError(
                f"the Kafka broker at {host}:{port} is not reachable (tried for {timeout:.0f} s). "
                "Check that it runs and that TOLLS_BROKER / --broker points at it; leave both "
                "unset to use the embedded broker."
            )
        log.warning("broker_unreachable", address=f"{host}:{port}", attempt=attempt, retry_in=delay)
        time.sleep(delay)
        delay = min(delay * 2, 5.0)


def is_loopback(host: str) -> bool:
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def free_port(host: str) -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def read_endpoint(settings: Settings) -> Endpoint | None:
    """The running worker's query endpoint for this data dir, if there is one."""
    try:
        raw = json.loads(settings.endpoint_file.read_text())
        ep = Endpoint(pid=int(raw["pid"]), host=str(raw["host"]), port=int(raw["port"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    try:
        os.kill(ep.pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        pass
    if raw.get("started") and raw["started"] != _process_start(ep.pid):
        return None  # the worker is gone and its pid belongs to another process now
    return ep


def _process_start(pid: int) -> str | None:
    """When a process started (clock ticks since boot): tells a reused pid apart."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(") ", 1)[1].split()[19]
    except (OSError, IndexError):
        return None


def _previous_worker_crashed(settings: Settings) -> bool:
    """An endpoint file left behind by a worker that is gone: it did not stop cleanly."""
    return settings.endpoint_file.exists() and read_endpoint(settings) is None


def _write_endpoint(
    settings: Settings, host: str, port: int, broker: str, children: list[int]
) -> None:
    tmp = settings.endpoint_file.with_suffix(".tmp")
    record = {
        "pid": os.getpid(),
        "host": host,
        "port": port,
        "started": _process_start(os.getpid()),
        "broker": broker,
        # the worker's own processes (extraction, resource tracker): `tolls down` ends any
        # that outlived it
        "children": [[pid, _process_start(pid)] for pid in children],
    }
    tmp.write_text(json.dumps(record))
    tmp.replace(settings.endpoint_file)


def run_worker(settings: Settings) -> int:
    """Run the worker in the foreground until SIGTERM/SIGINT; returns an exit status."""
    # faust is imported here, not at module level, so that the CLI's other commands start fast.
    from faust import Worker

    from sinks.store import Store, StoreLockedError
    from streams.app import Sink, create_app
    from streams.pipeline import extraction_pool, pool_pids

    if not settings.http_token and not is_loopback(settings.http_host):
        raise ServiceError(
            f"TOLLS_HTTP_HOST={settings.http_host} exposes the endpoint beyond this machine: set "
            "TOLLS_HTTP_TOKEN to a secret that clients send as `Authorization: Bearer ...` "
            "(or keep the default 127.0.0.1)."
        )
    if settings.role == "worker" and not settings.broker:
        raise ServiceError(
            "a worker (--role worker) needs the broker the sink uses: pass --broker URL or set "
            "TOLLS_BROKER (`tolls status --data-dir SINK_DIR` prints the embedded broker's)."
        )
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    running = read_endpoint(settings) if settings.role == "worker" else None  # else: the lock
    if running is not None:
        raise ServiceError(
            f"a worker (pid {running.pid}) already runs on {settings.data_dir}: give each "
            "process its own --data-dir, or stop that one with `tolls down`."
        )
    crashed = _previous_worker_crashed(settings)
    # The database first: a second worker on this data dir stops here, before it touches
    # the broker; and while this one waits and starts, readers get "held by another
    # process" rather than a file that is about to change (a poller that sees equal
    # counts twice must not take a restarting worker for an idle one).
    store: Store | None = None
    if settings.role != "worker":
        try:
            store = Store(settings.db_path)
        except StoreLockedError as exc:
            raise ServiceError(str(exc)) from exc
    try:
        url, started = resolve_broker(settings)
        if crashed:
            left = end_leftovers(settings)
            if left:
                log.warning("leftovers_ended", pids=left)
        if crashed and not started:
            # The crashed worker is still a member of the consumer group until its session
            # times out; joining before that can leave its partitions assigned to the dead
            # member on brokers that do not rebalance again when it expires (seen on tansu).
            log.warning("previous_worker_crashed", waiting_seconds=SESSION_TIMEOUT + 1)
            time.sleep(SESSION_TIMEOUT + 1)
        wait_for_broker(url, settings.broker_retry_seconds)
        if store is not None:
            forget_lost_positions(url, settings, store)  # before the topics are created
        ensure_topics(url, settings)
    except BaseException:
        if store is not None:
            store.close()
        raise
    sink = Sink(store, settings.snapshot_path) if store is not None else None
    port = settings.http_port or free_port(settings.http_host)
    pool = extraction_pool(settings.extract_processes if settings.role != "sink" else 0)
    app = create_app(settings, url, sink, port, pool)
    _write_endpoint(settings, settings.http_host, port, url, pool_pids(pool))
    log.info(
        "worker_starting",
        role=settings.role,
        broker=url,
        embedded_broker_started=started,
        db=str(settings.db_path) if store else None,
        query_endpoint=f"http://{settings.http_host}:{port}/query" if store else None,
        health=f"http://{settings.http_host}:{port}/health",
        snapshot=str(settings.snapshot_path) if store else None,
    )
    worker = Worker(
        app, loglevel="WARNING", redirect_stdouts=False, override_logging=False, quiet=True
    )
    worker.spinner = None  # it writes terminal escape codes, even into a log file
    status = 0
    try:
        worker.execute_from_commandline()
    except SystemExit as exc:
        status = int(exc.code or 0)
    finally:
        settings.endpoint_file.unlink(missing_ok=True)
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
        if sink is not None and store is not None:
            try:
                sink.close()
                store.snapshot(settings.snapshot_path)
                counts = store.counts()
            finally:
                store.close()
            log.info("worker_stopped", tables=counts, snapshot=str(settings.snapshot_path))
        else:
            log.info("worker_stopped", role=settings.role)
    return status


def ensure_topics(url: str, settings: Settings) -> None:
    """Create the topics with the configured partitions if they do not exist yet (the
    workers and the sink of a scaled-out service must agree on the claims topic's)."""
    asyncio.run(_ensure_topics(url, settings))


async def _ensure_topics(url: str, settings: Settings) -> None:
    from aiokafka.admin import AIOKafkaAdminClient, NewTopic
    from aiokafka.errors import TopicAlreadyExistsError

    host, port = broker_address(url)
    admin = AIOKafkaAdminClient(bootstrap_servers=f"{host}:{port}")
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        # the claims topic is kept whole: a new sink database is rebuilt from it
        kept = {"retention.ms": "-1", "retention.bytes": "-1"}
        topics = {
            settings.articles_topic: {},
            settings.rejected_topic: {},
            settings.claims_topic: kept,
        }
        missing = [
            NewTopic(t, settings.partitions, replication_factor=1, topic_configs=configs)
            for t, configs in topics.items()
            if t not in existing
        ]
        if missing:
            with contextlib.suppress(TopicAlreadyExistsError):
                await admin.create_topics(missing)
    finally:
        await admin.close()


def forget_lost_positions(url: str, settings: Settings, store: Store) -> int:
    """Drop the stored positions of input topics the broker does not have (any more).

    The embedded broker keeps the stream in memory: after a reboot or ``tolls down`` a new
    broker starts with no topics, and a position stored for the old one would skip the
    first messages of the new one. (The database keeps every group's mentions, so nothing
    else needs rebuilding.) Returns the number of positions dropped.
    """
    existing = asyncio.run(_list_topics(url))
    gone = [t for t in (settings.articles_topic, settings.claims_topic) if t not in existing]
    n = store.forget_offsets(gone)
    if n:
        log.warning(
            "positions_reset",
            topics=gone,
            partitions=n,
            reason="the broker does not have these topics (a new embedded broker?): they "
            "are read from their beginning",
        )
    return n


async def _list_topics(url: str) -> set[str]:
    from aiokafka.admin import AIOKafkaAdminClient

    host, port = broker_address(url)
    admin = AIOKafkaAdminClient(bootstrap_servers=f"{host}:{port}")
    await admin.start()
    try:
        return set(await admin.list_topics())
    finally:
        await admin.close()


def end_leftovers(settings: Settings) -> list[int]:
    """End the processes a dead worker of this data dir left behind; returns their pids.

    Extraction processes end with their worker on their own; this covers whatever could
    not (a platform without the parent-death signal, say). A pid is only ended while it is
    the very process recorded (same start time).
    """
    try:
        raw = json.loads(settings.endpoint_file.read_text())
        children = [(int(p), s) for p, s in raw.get("children", [])]
    except (OSError, ValueError, TypeError, AttributeError):
        return []
    if read_endpoint(settings) is not None:
        return []  # the worker is alive: its processes are its own business
    ended = []
    for pid, started in children:
        if started and _process_start(pid) == started:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, 9)
                ended.append(pid)
    settings.endpoint_file.unlink(missing_ok=True)
    return ended


def stop_worker(settings: Settings, timeout: float = 30.0) -> bool:
    """SIGTERM the worker of this data dir and wait for it to finish; False if none ran."""
    ep = read_endpoint(settings)
    if ep is None:
        return False
    os.kill(ep.pid, 15)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(ep.pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    raise ServiceError(f"the worker (pid {ep.pid}) did not stop within {timeout:.0f} s")


def wait_for_endpoint(settings: Settings, timeout: float, proc: object = None) -> Endpoint:
    """Until the worker's endpoint answers and /health says ``ok``: the worker has taken
    up the stream where the database left it (queries before that get 503)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ep = read_endpoint(settings)
        if ep is not None and embedded.port_open(ep.host, ep.port) and _ready(settings, ep):
            return ep
        if proc is not None and proc.poll() is not None:  # type: ignore[attr-defined]
            raise ServiceError(
                f"the worker exited with status {proc.returncode} before it was ready"  # type: ignore[attr-defined]
            )
        time.sleep(0.2)
    raise ServiceError(f"the worker did not become ready within {timeout:.0f} s")


def _ready(settings: Settings, ep: Endpoint) -> bool:
    answer = fetch_health(settings, ep, timeout=5)
    return answer is not None and answer.get("status") == "ok"


def auth_headers(settings: Settings) -> dict[str, str]:
    """The endpoint's Authorization header, when a token is set."""
    return {"Authorization": f"Bearer {settings.http_token}"} if settings.http_token else {}


def fetch_health(settings: Settings, ep: Endpoint, timeout: float) -> dict[str, Any] | None:
    """The worker's /health answer, or None when it does not answer."""
    request = urllib.request.Request(f"{ep.url}/health", headers=auth_headers(settings))
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            answer: dict[str, Any] = json.load(response)
            return answer
    except (OSError, ValueError):
        return None


def stop_embedded_broker(data_dir: Path) -> bool:
    return embedded.stop(data_dir) is not None
