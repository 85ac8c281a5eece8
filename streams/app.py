"""The faust worker: topics, the state table, and two thin agents.

::

    articles (key = article id)
       └─ extract_articles ─┬─▶ articles.rejected       invalid input, with the reason
                            └─▶ claims (key = group)    an article's mentions for one place
    claims
       └─ resolve_claims ──▶ table ``groups`` (key = group: the set of its mentions)
                          └─▶ DuckDB: the group's events, claims, tolls, mentions

Both agents work in micro-batches (``take_events``) and write the batch to DuckDB before
asking for the next one, which is when faust acknowledges the batch's offsets: nothing is
acknowledged before it is committed to the database. State is assigned, never mutated, and
is a set of mention ids, so a redelivered message changes nothing.

The claims topic is keyed by group, and the group table's changelog is written to the
partition of the claims message that changed it, so a worker that owns a claims partition
also holds the state of its groups.
"""

from __future__ import annotations

import asyncio
import json
import logging
import multiprocessing
import os
from collections.abc import Awaitable, Callable
from concurrent.futures import Executor, ThreadPoolExecutor
from datetime import date, datetime
from typing import Any

import faust
import structlog
from faust.web import Request, Response, View

from processors.models import Article, Mention, Rejection
from sinks.store import Batch, QueryRefused, Store, TollUpdate
from streams.pipeline import Pipeline, extract_grouped, log_toll_change, merge, view
from streams.service import SESSION_TIMEOUT
from streams.settings import Settings

log = structlog.get_logger("tolls.worker")


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


class Sink:
    """The worker's DuckDB owner: one thread runs every write and read, in order."""

    def __init__(self, store: Store, snapshot_path: Any = None) -> None:
        self.store = store
        self.snapshot_path = snapshot_path
        self.dirty = False
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="duckdb")

    async def run(self, fn: Callable[..., Any], *args: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(self._executor, fn, *args)

    async def write(self, batch: Batch) -> list[TollUpdate]:
        if not len(batch):
            return []
        changes: list[TollUpdate] = await self.run(self.store.write, batch)
        self.dirty = True
        return changes

    async def query(self, sql: str, max_rows: int | None = None) -> tuple[list[str], list[Any]]:
        return await self.run(self.store.query, sql, max_rows)

    async def snapshot(self, force: bool = False) -> bool:
        if self.snapshot_path is None or not (self.dirty or force):
            return False
        self.dirty = False
        await self.run(self.store.snapshot, self.snapshot_path)
        return True

    def close(self) -> None:
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


def create_app(
    settings: Settings,
    broker_url: str,
    sink: Sink,
    web_port: int,
    extract_pool: Executor | None = None,
) -> faust.App:
    """Build the worker's faust app around an open :class:`Sink`."""
    _hold_fetches_at_most(settings.fetch_wait_ms)
    app = faust.App(
        settings.app_id,
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
    groups = app.Table(
        "groups",
        default=None,
        # JSON keys and values: faust's changelog recovery decodes with the table's own
        # serializers (json), whatever a schema says.
        key_type=str,
    )
    parsed: dict[str, tuple[int, tuple[Mention, ...]]] = {}

    def group_state(group: str) -> tuple[Mention, ...]:
        raw = groups.get(group) or []
        cached = parsed.get(group)
        # A group's set only ever grows, so its size identifies its content.
        if cached is not None and cached[0] == len(raw):
            return cached[1]
        state = tuple(Mention.model_validate(m) for m in raw)
        parsed[group] = (len(raw), state)
        return state

    async def in_micro_batches(
        name: str, stream: faust.StreamT[Any], handle: Callable[[list[Any]], Awaitable[None]]
    ) -> None:
        """Feed ``handle`` the stream's events in micro-batches; acknowledged when it returns."""
        async for events in stream.take_events(settings.batch_max, within=settings.batch_seconds):
            try:
                await handle(events)
            except Exception as exc:
                fail_hard(name, exc)

    @app.agent(articles_topic, concurrency=1)
    async def extract_articles(stream: faust.StreamT[bytes]) -> None:
        await in_micro_batches("extract_articles", stream, extract_batch)

    async def extract_batch(events: list[faust.EventT]) -> None:
        loop = asyncio.get_running_loop()
        batch = Batch()
        pending = []
        articles: list[Article] = []
        for event in events:
            result = pipeline.parse(event.value)
            if isinstance(result, Rejection):
                log.warning(
                    "article_rejected",
                    reason=result.reason,
                    article_id=result.article_id,
                    offset=event.message.offset,
                    partition=event.message.partition,
                )
                batch.add_rejection(result)
                pending.append(
                    await rejected_topic.send(key=event.key, value=result.model_dump(mode="json"))
                )
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
            log.info("article_extracted", article_id=article.id, mentions=n, groups=len(by_group))
        # The claims must be on the broker before the batch is acknowledged.
        await asyncio.gather(*pending)
        await sink.write(batch)

    @app.agent(claims_topic, concurrency=1)
    async def resolve_claims(stream: faust.StreamT[Any]) -> None:
        await in_micro_batches("resolve_claims", stream, resolve_batch)

    async def resolve_batch(events: list[faust.EventT]) -> None:
        loop = asyncio.get_running_loop()
        touched: dict[str, tuple[Mention, ...]] = {}
        sent = []
        for event in events:
            value = event.value
            group = value["group"]
            current = touched.get(group) or group_state(group)
            new = (Mention.model_validate(m) for m in value["mentions"])
            merged, changed = merge(current, new)
            touched[group] = merged
            if changed:
                state = [m.model_dump(mode="json") for m in merged]
                # Assign the new value and write its changelog record ourselves, to the
                # partition of the claims message that owns the key, keeping the delivery
                # future: the state must be on the broker before the batch is acknowledged,
                # or a crash could keep the offset commit and lose the state.
                groups.data[group] = state
                sent.append(groups.send_changelog(event.message.partition, group, state))
                parsed[group] = (len(merged), merged)
        await asyncio.gather(*sent)
        batch = Batch()
        for group, mentions in touched.items():
            batch.add_group(mentions, await loop.run_in_executor(None, view, group, mentions))
        for change in await sink.write(batch):
            log_toll_change(change)

    @app.timer(interval=max(settings.snapshot_seconds, 0.5))
    async def refresh_snapshot() -> None:
        if settings.snapshot_seconds and await sink.snapshot():
            log.debug("snapshot_written", path=str(settings.snapshot_path))

    @app.page("/query")
    class QueryView(View):
        """``GET /query?sql=...`` or ``POST /query`` with ``{"sql": ...}``: read-only SQL."""

        async def get(self, request: Request) -> Response:
            return await self._answer(request.query.get("sql", ""), request.query.get("max_rows"))

        async def post(self, request: Request) -> Response:
            body = await request.json()
            return await self._answer(body.get("sql", ""), body.get("max_rows"))

        async def _answer(self, sql: str, max_rows: Any) -> Response:
            try:
                columns, rows = await sink.query(sql, int(max_rows) if max_rows else None)
            except QueryRefused as exc:
                return self.json({"error": str(exc)}, status=403)
            except Exception as exc:
                return self.json({"error": f"{type(exc).__name__}: {exc}"}, status=400)
            body = json.dumps({"columns": columns, "rows": rows}, default=_json_default)
            return self.bytes(body.encode(), content_type="application/json")

    @app.page("/health")
    class HealthView(View):
        async def get(self, request: Request) -> Response:
            counts = await sink.run(sink.store.counts)
            return self.json({"status": "ok", "tables": counts})

    return app
