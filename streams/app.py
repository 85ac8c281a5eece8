"""The faust worker: topics, two thin agents, and where the stream stands.

::

    articles (key = article id)
       └─ extract_articles ─┬─▶ articles.rejected       invalid input, with the reason
                            └─▶ claims (key = group)    an article's mentions for one place
    claims
       └─ resolve_claims ──▶ DuckDB: each touched group's events, claims, tolls, mentions

Both agents work in micro-batches (``take_events``). A batch's rows and the stream
position it reached (:mod:`streams.offsets`) are written to DuckDB in one transaction, and
a partition assigned to the worker is read from the position stored there: the database
and the stream never disagree, whatever faust commits to Kafka and whenever the worker
dies. Everything a batch sends (claims, dead letters) is on the broker before that write.

With ``--role worker`` a process runs only ``extract_articles`` and keeps no database:
it hands each article's row (and each dead letter's) to the sink on the claims topic, after
the article's claims, and its positions are Kafka commits of what it has handed over. With
``--role sink`` a process runs only ``resolve_claims`` (and the endpoint): it writes those
rows, so several workers on one Kafka feed one set of tables. ``--role all`` runs both.

A group's state is the set of its mentions. The database holds it (the ``mentions`` rows
of the group); the worker keeps the groups it touched recently in memory and reads the
others back when a claims message touches them. So there is no changelog to recover, no
state to rebuild when the embedded broker is new, and nothing held twice.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import multiprocessing
import os
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import Executor, ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from typing import Any

import faust
import structlog
from faust.types import TP
from faust.web import Request, Response, View

from processors.incremental import GroupState
from processors.models import Article, Mention, Rejection
from sinks.store import Batch, QueryRefused, QueryResult, Store, TollUpdate
from streams.offsets import Plan, Positions
from streams.pipeline import Pipeline, extract_grouped, log_toll_change, states_for
from streams.service import SESSION_TIMEOUT
from streams.settings import Settings
from streams.web import add_pages

log = structlog.get_logger("tolls.worker")


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _message_time(message: Any) -> datetime | None:
    """The broker message's timestamp (set when it was produced): when the stream received
    the article, for one that does not say (:attr:`Article.received_at`)."""
    ts = getattr(message, "timestamp", None)
    return datetime.fromtimestamp(ts, UTC) if ts and ts > 0 else None


class Sink:
    """The worker's DuckDB owner: one thread runs every write, in order; reads (queries,
    counts, the snapshot copy) run on other threads, each on its own connection, and see
    the last committed state, so a slow query never holds up the stream."""

    READERS = 4

    def __init__(self, store: Store, snapshot_path: Any = None) -> None:
        self.store = store
        self.snapshot_path = snapshot_path
        self.dirty = False
        self.writes = 0  # batches written: tells a reader whether anything changed
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="duckdb")
        self._readers = ThreadPoolExecutor(
            max_workers=self.READERS, thread_name_prefix="duckdb-read"
        )

    async def run(self, fn: Callable[..., Any], *args: Any) -> Any:
        """On the writer's thread, after the writes before it."""
        return await asyncio.get_running_loop().run_in_executor(self._executor, fn, *args)

    async def read(self, fn: Callable[..., Any], *args: Any) -> Any:
        """On a reader thread, beside the writer."""
        return await asyncio.get_running_loop().run_in_executor(self._readers, fn, *args)

    async def write(self, batch: Batch) -> list[TollUpdate]:
        if not len(batch):
            return []
        changes: list[TollUpdate] = await self.run(self.store.write, batch)
        self.dirty = True
        self.writes += 1
        return changes

    async def query(self, sql: str, max_rows: int, timeout: float) -> QueryResult:
        return await self.read(self.store.query, sql, max_rows, timeout)

    async def snapshot(self, force: bool = False) -> bool:
        if self.snapshot_path is None or not (self.dirty or force):
            return False
        self.dirty = False
        await self.read(self.store.snapshot, self.snapshot_path)
        return True

    def close(self) -> None:
        self._readers.shutdown(wait=True, cancel_futures=True)
        self._executor.shutdown(wait=True)


def fail_hard(agent: str, exc: BaseException) -> None:
    """Stop the process at once on an unexpected error inside a micro-batch.

    faust's ``take_events`` acknowledges a batch when the loop body raises, so letting the
    exception propagate would acknowledge messages that were never written. Exiting here
    leaves the batch unacknowledged: a restarted worker (docker's ``restart:``, systemd or
    the user) processes it again, and idempotent writes make that safe.
    """
    log.critical("worker_crashed", agent=agent, error=f"{type(exc).__name__}: {exc}", exc_info=exc)
    logging.shutdown()
    for child in multiprocessing.active_children():  # extraction processes go with us
        child.kill()
    os._exit(70)


def _hold_fetches_at_most(ms: int) -> None:
    """Cap how long a fetch request may wait on the broker for data.

    faust hard-codes ``fetch_max_wait_ms=1500`` for its consumer. Apache Kafka answers a
    waiting fetch as soon as data arrives, but tansu holds it for the full wait, which
    adds up to 1.5 s per hop (measured: p50 350 ms, max 700 ms per hop at 5 messages/s;
    3 ms with 100 ms). The consumer reads the value when it starts, so it is set on the
    consumer faust creates, before faust starts it.
    """
    from faust.transport.drivers import aiokafka as driver

    create = driver.AIOKafkaConsumerThread._create_worker_consumer
    if getattr(create, "tolls_fetch_wait", None) == ms:
        return

    def _create_worker_consumer(self: Any, transport: Any) -> Any:
        consumer = create(self, transport)
        consumer._fetch_max_wait_ms = ms
        return consumer

    _create_worker_consumer.tolls_fetch_wait = ms  # type: ignore[attr-defined]
    driver.AIOKafkaConsumerThread._create_worker_consumer = _create_worker_consumer  # type: ignore[method-assign]


class GroupCache:
    """The states of the groups touched most recently (as written to DuckDB): their
    mentions and what resolving them gave, so that a batch resolves only what it changes
    (:class:`processors.incremental.GroupState`)."""

    def __init__(self, max_groups: int) -> None:
        self.max_groups = max_groups
        self._states: OrderedDict[str, GroupState] = OrderedDict()

    def get(self, group: str) -> GroupState | None:
        found = self._states.get(group)
        if found is not None:
            self._states.move_to_end(group)
        return found

    def put(self, group: str, state: GroupState) -> None:
        self._states[group] = state
        self._states.move_to_end(group)
        while len(self._states) > self.max_groups:
            self._states.popitem(last=False)


#: groups whose mention sets stay in memory between batches (the rest are read back)
CACHED_GROUPS = 2_000


class Progress:
    """Where the worker stands: positions, lag, whether it is idle. Read by /health."""

    def __init__(self, app: faust.App, positions: Positions, topics: Sequence[str]) -> None:
        self.app = app
        self.positions = positions
        self.topics = tuple(topics)
        self.in_hand = 0  # micro-batches being processed now
        self.ready = False
        self.gaps_reported: set[tuple[str, int, int]] = set()

    def lag(self) -> dict[str, int | None]:
        """Per topic: messages on the broker not yet reflected in DuckDB (None: unknown yet).

        The end of a partition is the high watermark of the last fetch response (the
        embedded broker's ``ListOffsets`` answers below the real end)."""
        out: dict[str, int | None] = dict.fromkeys(self.topics, 0)
        consumer = self.app.consumer
        for tp in consumer.assignment():
            if tp.topic not in out:
                continue
            end = consumer.highwater(tp)
            pos = self.positions.next.get((tp.topic, tp.partition))
            current = out[tp.topic]
            if end is None or current is None:
                out[tp.topic] = None
            elif pos is None:
                out[tp.topic] = current + end  # assigned, nothing read yet
            else:
                out[tp.topic] = current + max(0, end - pos)
        return out

    def idle(self) -> bool:
        lag = self.lag()
        return self.ready and self.in_hand == 0 and all(v == 0 for v in lag.values())


class TollsApp(faust.App):
    """faust's App, with partitions positioned from DuckDB rather than Kafka commits."""

    #: set by :func:`create_app`: the stored positions of the worker's input partitions
    #: (None: the worker keeps no database, its positions are its Kafka commits)
    stored_positions: Callable[[], Awaitable[dict[tuple[str, int], int] | None]] | None = None
    on_positioned: Callable[[dict[tuple[str, int], int]], None] | None = None
    #: the worker's own position of a partition (:class:`Positions`): what Kafka is told
    committable: Callable[[TP], int | None] | None = None

    def _new_consumer(self) -> Any:
        consumer = super()._new_consumer()
        seek_to_committed = consumer.seek_to_committed
        if self.committable is not None:
            # faust would commit from its own acknowledgement tracking, which can run past
            # a message still in hand (see streams.offsets); commit where we stand instead
            consumer._new_offset = self.committable

        async def seek_to_stored() -> dict[TP, int]:
            """Seek to Kafka's committed offsets, then move the partitions to the position
            the database has for them, and those it has none for to their beginning: the
            tables are a function of the whole stream, so a new database (a sink rebuilt
            from the claims topic, say) reads it all. faust calls this after every
            assignment, before it resumes fetching."""
            offsets: dict[TP, int] = dict(await seek_to_committed())
            stored = await self.stored_positions() if self.stored_positions else None
            placed: dict[tuple[str, int], int] = {}
            for tp in consumer.assignment():
                key = (tp.topic, tp.partition)
                if stored is not None and key in stored:
                    await consumer.seek(tp, stored[key])
                    offsets[tp] = placed[key] = stored[key]
                elif stored is not None:
                    # offset 0, or the earliest kept (the consumer resets to earliest)
                    await consumer.seek(tp, 0)
                    offsets[tp] = 0
                elif offsets.get(tp) is not None:
                    placed[key] = offsets[tp]
            if self.on_positioned:
                self.on_positioned(placed)
            return offsets

        consumer.seek_to_committed = seek_to_stored
        return consumer


def create_app(
    settings: Settings,
    broker_url: str,
    sink: Sink | None,
    web_port: int,
    extract_pool: Executor | None = None,
) -> faust.App:
    """Build the worker's faust app around an open :class:`Sink` (None for
    ``--role worker``, which keeps no database)."""
    _hold_fetches_at_most(settings.fetch_wait_ms)
    extracts = settings.role in ("all", "worker")
    resolves = settings.role in ("all", "sink")
    if resolves != (sink is not None):
        raise ValueError(f"role {settings.role!r} {'needs' if resolves else 'keeps no'} sink")
    app = TollsApp(
        # workers share their own consumer group: the sink reads other topics
        settings.app_id if resolves else f"{settings.app_id}-workers",
        broker=broker_url,
        store="memory://",
        processing_guarantee="at_least_once",
        topic_partitions=settings.partitions,
        # tansu (and a small cluster) answers group joins quickly; the defaults make every
        # start wait about 30 s for the group to settle.
        broker_session_timeout=SESSION_TIMEOUT,
        broker_heartbeat_interval=1,
        broker_commit_every=settings.batch_max,
        broker_commit_interval=1.0,
        consumer_max_fetch_size=64 * 1024 * 1024,
        producer_max_request_size=max(2 * settings.max_message_bytes, 1024 * 1024),
        web_enabled=True,
        web_host=settings.http_host,
        web_port=web_port,
        web_bind=settings.http_host,
        web_in_thread=False,
        topic_replication_factor=1,
        table_standby_replicas=0,
        datadir=str(settings.data_dir / "worker"),
        loghandlers=[],
    )
    pipeline = Pipeline(settings)
    articles_topic = app.topic(
        settings.articles_topic, key_serializer="raw", value_serializer="raw"
    )
    rejected_topic = app.topic(
        settings.rejected_topic, key_serializer="raw", value_serializer="json"
    )
    claims_topic = app.topic(settings.claims_topic, key_serializer="raw", value_serializer="json")
    positions = Positions()
    inputs = [settings.articles_topic] * extracts + [settings.claims_topic] * resolves
    progress = Progress(app, positions, inputs)
    cache = GroupCache(CACHED_GROUPS)
    horizon = timedelta(days=settings.horizon_days)

    async def stored_positions() -> dict[tuple[str, int], int] | None:
        if sink is None:
            return None  # a worker's positions are its Kafka commits
        return dict(await sink.run(sink.store.offsets))

    def on_positioned(placed: dict[tuple[str, int], int]) -> None:
        positions.reset(placed)
        if not progress.ready:
            progress.ready = True
            log.info(
                "ready",
                broker=broker_url,
                query_endpoint=f"http://{settings.http_host}:{web_port}/query",
                health=f"http://{settings.http_host}:{web_port}/health",
                page=f"http://{settings.http_host}:{web_port}/",
                positions={f"{t}/{p}": o for (t, p), o in sorted(placed.items())},
            )

    app.stored_positions = stored_positions
    app.on_positioned = on_positioned
    app.committable = lambda tp: positions.next.get((tp.topic, tp.partition))

    async def in_micro_batches(
        name: str, stream: faust.StreamT[Any], build: Callable[[list[Any]], Awaitable[Batch]]
    ) -> None:
        """Feed ``build`` the stream's new events in micro-batches and write what it builds
        with the positions reached, in one transaction. faust acknowledges the events when
        the loop body returns; correctness does not depend on it (see streams.offsets)."""
        async for events in stream.take_events(settings.batch_max, within=settings.batch_seconds):
            progress.in_hand += 1
            try:
                plan = positions.plan(
                    (e.message.topic, e.message.partition, e.message.offset) for e in events
                )
                batch = await build([events[i] for i in plan.fresh])
                batch.offsets.update(plan.positions)
                # a worker has handed everything over already (``build`` waited for it)
                changes = await sink.write(batch) if sink is not None else []
                positions.commit(plan)
                for change in changes:
                    log_toll_change(change)
                if plan.gaps:
                    await go_back(plan)
            except Exception as exc:
                fail_hard(name, exc)
            finally:
                progress.in_hand -= 1

    async def go_back(plan: Plan) -> None:
        """Offsets were skipped (by faust, or by the broker): say so, and read them again."""
        for gap in plan.gaps:
            key = (gap.topic, gap.partition, gap.start)
            log.error(
                "offset_gap",
                topic=gap.topic,
                partition=gap.partition,
                missing_from=gap.start,
                missing_to=gap.end,
                action="seeking back" if key not in progress.gaps_reported else "waiting",
            )
            if key not in progress.gaps_reported:
                progress.gaps_reported.add(key)
                await app.consumer.seek(TP(gap.topic, gap.partition), gap.start)

    async def extract_articles(stream: faust.StreamT[bytes]) -> None:
        await in_micro_batches("extract_articles", stream, extract_batch)

    async def hand_over(key: str, value: dict[str, Any]) -> Awaitable[Any]:
        """``--role worker``: a row for the sink to write, on the claims topic."""
        return await claims_topic.send(key=key.encode(), value=value)

    async def extract_batch(events: list[faust.EventT]) -> Batch:
        loop = asyncio.get_running_loop()
        batch = Batch()
        pending = []
        articles: list[Article] = []
        for event in events:
            result = pipeline.parse(event.value, event.key, _message_time(event.message))
            if isinstance(result, Rejection):
                log.warning(
                    "article_rejected",
                    reason=result.reason,
                    article_id=result.article_id,
                    offset=event.message.offset,
                    partition=event.message.partition,
                )
                batch.add_rejection(result)
                record = result.model_dump(mode="json")
                pending.append(await rejected_topic.send(key=event.key, value=record))
                if sink is None:
                    pending.append(await hand_over(result.article_id or "", {"rejection": record}))
            else:
                articles.append(result)
        extracted = await asyncio.gather(
            *(loop.run_in_executor(extract_pool, extract_grouped, a) for a in articles)
        )
        for article, by_group in zip(articles, extracted, strict=True):
            for group, mentions in by_group.items():
                pending.append(
                    await claims_topic.send(
                        key=group.encode(),
                        value={
                            "group": group,
                            "mentions": [m.model_dump(mode="json") for m in mentions],
                        },
                    )
                )
            n = sum(len(ms) for ms in by_group.values())
            batch.add_article(article, n)
            if sink is None:
                # after the article's claims: the sink's check for missing mentions holds
                row = {"article": article.model_dump(mode="json"), "n_mentions": n}
                pending.append(await hand_over(article.id, row))
            log.info("article_extracted", article_id=article.id, mentions=n, groups=len(by_group))
        # The claims must be on the broker before the batch (and its position) is written.
        await asyncio.gather(*pending)
        return batch

    async def resolve_claims(stream: faust.StreamT[Any]) -> None:
        await in_micro_batches("resolve_claims", stream, resolve_batch)

    async def resolve_batch(events: list[faust.EventT]) -> Batch:
        assert sink is not None
        loop = asyncio.get_running_loop()
        batch = Batch()
        values: list[Any] = [e.value for e in events]
        for row in (v for v in values if "group" not in v):  # rows from --role worker
            if "article" in row:
                batch.add_article(Article.model_validate(row["article"]), row["n_mentions"])
            else:
                batch.add_rejection(Rejection.model_validate(row["rejection"]))
        claims = [v for v in values if "group" in v]
        new: dict[str, list[Mention]] = {}
        for value in claims:
            new.setdefault(value["group"], []).extend(
                map(Mention.model_validate, value["mentions"])
            )
        cached = {g: s for g in sorted(new) if (s := cache.get(g)) is not None}
        if cached.keys() == new.keys() and not any(
            s.needs_history(new[g]) for g, s in cached.items()
        ):
            states, adds = cached, new  # (as usual) nothing to read: stay off the sink's thread
        else:
            states, adds = await sink.run(states_for, sink.store, cached, new, horizon)
        for group, state in states.items():
            batch.add_change(await loop.run_in_executor(None, state.add, adds[group]))
            cache.put(group, state)  # what the write below makes true (or the worker dies)
        return batch

    if extracts:
        app.agent(articles_topic, concurrency=1)(extract_articles)
    if sink is not None:
        app.agent(claims_topic, concurrency=1)(resolve_claims)
        add_sink_timers(app, settings, sink, progress)
    add_endpoint(app, settings, sink, progress, broker_url)
    return app


def add_sink_timers(app: faust.App, settings: Settings, sink: Sink, progress: Progress) -> None:
    """The snapshot refresh, and the check that every article's mentions are in."""

    @app.timer(interval=max(settings.snapshot_seconds, 0.5))
    async def refresh_snapshot() -> None:
        if settings.snapshot_seconds and await sink.snapshot():
            log.debug("snapshot_written", path=str(settings.snapshot_path))

    checked = {"at": -1}

    @app.timer(interval=5.0)
    async def check_mentions() -> None:
        """When idle, every article's mentions must be in the database: say so if not."""
        if not progress.idle() or sink.writes == checked["at"]:
            return
        checked["at"] = sink.writes
        missing = await sink.read(sink.store.missing_mentions)
        if missing:
            log.error(
                "mentions_missing",
                articles=[{"article_id": a, "n_mentions": n, "found": f} for a, n, f in missing],
                hint="run `tolls check`; restart the worker to re-read from its stored position",
            )


def add_endpoint(
    app: faust.App, settings: Settings, sink: Sink | None, progress: Progress, broker_url: str
) -> None:
    """``/query``, ``/health`` and the live page (a worker serves ``/health`` only)."""

    def authorized(request: Request) -> bool:
        if not settings.http_token:
            return True
        given = request.headers.get("Authorization", "")
        return hmac.compare_digest(given.encode(), f"Bearer {settings.http_token}".encode())

    def refuse(view: View, status: int, error: str) -> Response:
        return view.json({"error": error}, status=status)

    @app.page("/query")
    class QueryView(View):
        """``GET /query?sql=...`` or ``POST /query`` with ``{"sql": ...}``: read-only SQL.

        200 with ``{"columns", "rows", "truncated"}``; 400 for a request that is not one
        SELECT (or ran past the timeout), 403 for a write, 401 without the token, 503 while
        the worker is starting (before it has taken up the stream)."""

        async def get(self, request: Request) -> Response:
            if not authorized(request):
                return refuse(self, 401, "send the endpoint's token: Authorization: Bearer ...")
            return await self._answer(request.query.get("sql", ""), request.query.get("max_rows"))

        async def post(self, request: Request) -> Response:
            if not authorized(request):
                return refuse(self, 401, "send the endpoint's token: Authorization: Bearer ...")
            try:
                body = json.loads(await request.read() or b"null")
            except ValueError:
                return refuse(self, 400, 'the body must be JSON: {"sql": "SELECT ..."}')
            if not isinstance(body, dict):
                return refuse(self, 400, 'the body must be a JSON object: {"sql": "SELECT ..."}')
            return await self._answer(body.get("sql"), body.get("max_rows"))

        async def _answer(self, sql: Any, max_rows: Any) -> Response:
            if sink is None:
                return refuse(
                    self,
                    404,
                    "this process is a worker (--role worker): it keeps no tables; "
                    "query the sink (--role sink)",
                )
            if not progress.ready:
                # until the worker has taken up the stream where the database left it, the
                # tables may be about to change at once: a poller must not read them as idle
                return refuse(self, 503, "the worker is starting: ask again once /health says ok")
            if not isinstance(sql, str):
                return refuse(self, 400, 'give the query as a string: {"sql": "SELECT ..."}')
            cap = settings.query_max_rows
            try:
                asked = int(max_rows) if max_rows is not None else None
            except (TypeError, ValueError):
                return refuse(self, 400, f"max_rows must be a whole number, not {max_rows!r}")
            if asked is not None and asked < 1:
                return refuse(self, 400, f"max_rows must be at least 1, not {asked}")
            try:
                result = await sink.query(
                    sql, min(asked or cap, cap), settings.query_timeout_seconds
                )
            except QueryRefused as exc:
                return refuse(self, exc.status, str(exc))
            except Exception as exc:
                return refuse(self, 400, f"{type(exc).__name__}: {exc}")
            body = json.dumps(
                {
                    "columns": result.columns,
                    "rows": result.rows,
                    # more rows than the endpoint serves (not just than the caller asked)
                    "truncated": result.truncated and (asked is None or asked > cap),
                },
                default=_json_default,
            )
            return self.bytes(body.encode(), content_type="application/json")

    @app.page("/health")
    class HealthView(View):
        """Counts, the consumer lag per topic (messages not yet in DuckDB), idle or not."""

        async def get(self, request: Request) -> Response:
            if not authorized(request):
                return refuse(self, 401, "send the endpoint's token: Authorization: Bearer ...")
            counts = await sink.read(sink.store.counts) if sink is not None else None
            return self.json(
                {
                    "status": "ok" if progress.ready else "starting",
                    "role": settings.role,
                    "idle": progress.idle(),
                    "lag": progress.lag(),
                    "broker": broker_url,
                    "tables": counts,
                }
            )

    if sink is not None:
        add_pages(app)  # the live page: GET / and /static/* (streams/web.py)
