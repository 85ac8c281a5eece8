"""``tolls check``: is everything on the articles topic in the database?

Reads the whole articles topic (its own consumer, no group: nothing is committed) and
compares it with the tables: each valid article must be in ``articles``, each invalid
message in ``rejected``, and each article must have as many ``mentions`` rows as extraction
found (``articles.n_mentions``). It is the user's check on the worker's promise, and reads
the database the same way ``tolls query`` does (through the worker while it runs).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from processors.models import Rejection, content_id
from sinks.store import MISSING_MENTIONS_SQL
from streams import client
from streams.pipeline import Pipeline
from streams.service import broker_address
from streams.settings import Settings

SHOWN = 20


@dataclass
class CheckReport:
    messages: int = 0
    articles: int = 0  # distinct valid articles on the topic
    invalid: int = 0  # distinct invalid messages on the topic
    missing_articles: list[str] = field(default_factory=list)
    missing_rejections: list[str] = field(default_factory=list)  # their reasons
    short_of_mentions: list[tuple[str, int, int]] = field(default_factory=list)
    lag: str = ""

    @property
    def ok(self) -> bool:
        return not (self.missing_articles or self.missing_rejections or self.short_of_mentions)

    def render(self) -> str:
        lines = [
            f"check: {self.messages} messages on the topic: {self.articles} distinct articles, "
            f"{self.invalid} distinct invalid messages",
            self.lag,
        ]
        if self.ok:
            lines.append(
                "check: every article and every rejection is in the database, with all its mentions"
            )
            return "\n".join(lines)
        if self.missing_articles:
            lines.append(
                f"MISSING: {len(self.missing_articles)} articles are not in `articles`: "
                + ", ".join(self.missing_articles[:SHOWN])
                + (" …" if len(self.missing_articles) > SHOWN else "")
            )
        if self.missing_rejections:
            lines.append(
                f"MISSING: {len(self.missing_rejections)} invalid messages are not in "
                "`rejected`: " + "; ".join(self.missing_rejections[:SHOWN])
            )
        if self.short_of_mentions:
            lines.append(
                f"MISSING: {len(self.short_of_mentions)} articles lack mentions "
                "(article: extracted/found): "
                + ", ".join(f"{a}: {n}/{f}" for a, n, f in self.short_of_mentions[:SHOWN])
            )
        lines.append(
            "If the worker is busy, wait until `tolls status` says idle and check again; if "
            "it is idle, restart it (it re-reads from its stored position) and report a bug."
        )
        return "\n".join(lines)


def check(settings: Settings, broker_url: str) -> CheckReport:
    report = CheckReport()
    pipeline = Pipeline(settings)
    articles: set[str] = set()
    rejections: dict[str, str] = {}
    for payload in asyncio.run(_read_topic(broker_url, settings.articles_topic)):
        report.messages += 1
        result = pipeline.parse(payload)
        if isinstance(result, Rejection):
            rejections[content_id(result.reason, result.raw)] = result.reason
        else:
            articles.add(result.id)
    report.articles, report.invalid = len(articles), len(rejections)
    report.lag = client.describe_lag(client.health(settings))
    _, rows = client.query_all(settings, "SELECT article_id FROM articles")
    report.missing_articles = sorted(articles - {r[0] for r in rows})
    _, rows = client.query_all(settings, "SELECT rejection_id FROM rejected")
    report.missing_rejections = sorted(
        rejections[k] for k in rejections.keys() - {r[0] for r in rows}
    )
    _, rows = client.query_all(settings, MISSING_MENTIONS_SQL)
    report.short_of_mentions = [(r[0], int(r[1]), int(r[2])) for r in rows]
    return report


async def _read_topic(url: str, topic: str, idle_seconds: float = 2.0) -> list[bytes]:
    """Every message value of ``topic``, from the beginning to the end seen when reading.

    The end of a partition is the high watermark of the fetch responses (the embedded
    broker's ListOffsets answers below the real end)."""
    from aiokafka import AIOKafkaConsumer, TopicPartition

    host, port = broker_address(url)
    consumer = AIOKafkaConsumer(
        bootstrap_servers=f"{host}:{port}",
        group_id=None,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        max_partition_fetch_bytes=64 * 1024 * 1024,
        fetch_max_bytes=64 * 1024 * 1024,
    )
    await consumer.start()
    values: list[bytes] = []
    try:
        parts = consumer.partitions_for_topic(topic) or set()
        if not parts:
            await consumer._client.force_metadata_update()
            parts = consumer.partitions_for_topic(topic) or set()
        tps = [TopicPartition(topic, p) for p in sorted(parts)]
        if not tps:
            return values
        consumer.assign(tps)
        await consumer.seek_to_beginning(*tps)
        quiet = 0.0
        while quiet < idle_seconds:
            batch = await consumer.getmany(timeout_ms=500)
            got = sum(len(ms) for ms in batch.values())
            for ms in batch.values():
                values += [m.value for m in ms if m.value is not None]
            ends = [consumer.highwater(tp) for tp in tps]
            positions = [await consumer.position(tp) for tp in tps]
            if all(e is not None and p >= e for e, p in zip(ends, positions, strict=True)):
                break
            quiet = 0.0 if got else quiet + 0.5
    finally:
        await consumer.stop()
    return values
