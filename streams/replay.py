"""``tolls replay``: publish article files to the articles topic, as any producer would.

Payloads go out as they are (text files become JSON records): the worker is the single gate
that validates every message, whoever produced it.
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from processors.articles import message_key
from streams.service import broker_address, ensure_topics
from streams.settings import Settings

# replay forwards records as they are, oversized ones included: the worker rejects them
# with a reason (TOLLS_MAX_MESSAGE_BYTES) rather than the producer failing half-way.
REPLAY_MAX_REQUEST_BYTES = 64 * 1024 * 1024


@dataclass
class ReplayReport:
    sent: int = 0
    ids: set[str] = field(default_factory=set)
    seconds: float = 0.0


def progress_printer(
    total: int, stream=sys.stderr, label: str = "replay", verb: str = "sent"
) -> Callable[[int], None]:
    started = time.monotonic()
    last = [0.0]

    live = getattr(stream, "isatty", lambda: False)()

    def show(done: int) -> None:
        now = time.monotonic()
        # a live line on a terminal; in a log, a line every few seconds
        if done != total and now - last[0] < (0.5 if live else 5.0):
            return
        last[0] = now
        rate = done / max(now - started, 1e-6)
        start, end = ("\r", "\n" if done == total else "") if live else ("", "\n")
        stream.write(f"{start}{label}: {done}/{total} articles {verb} ({rate:.0f}/s){end}")
        stream.flush()

    return show


async def publish(
    url: str,
    topic: str,
    payloads: Iterable[tuple[str, bytes]],
    rate: float | None = None,
    on_progress: Callable[[int], None] | None = None,
    max_request_size: int = 4 * 1024 * 1024,
) -> ReplayReport:
    from aiokafka import AIOKafkaProducer

    host, port = broker_address(url)
    producer = AIOKafkaProducer(
        bootstrap_servers=f"{host}:{port}",
        acks="all",
        max_request_size=max_request_size,
        linger_ms=5,
    )
    await producer.start()
    report = ReplayReport()
    started = time.monotonic()
    try:
        pending = []
        for _origin, payload in payloads:
            if rate:
                due = started + report.sent / rate
                delay = due - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
            key = message_key(payload)
            pending.append(await producer.send(topic, payload, key=key))
            if key is not None:
                report.ids.add(key.decode())
            report.sent += 1
            if len(pending) >= 500:
                await asyncio.gather(*pending)
                pending.clear()
            if on_progress:
                on_progress(report.sent)
        await asyncio.gather(*pending)
    finally:
        await producer.stop()
    report.seconds = time.monotonic() - started
    return report


def replay(
    settings: Settings,
    url: str,
    paths: list[Path],
    rate: float | None = None,
    progress: bool = True,
) -> ReplayReport:
    from streams.inputs import count_payloads, iter_payloads

    total = count_payloads(paths)
    ensure_topics(url, settings)
    show = progress_printer(total) if progress and total else None
    return asyncio.run(
        publish(
            url,
            settings.articles_topic,
            iter_payloads(paths),
            rate,
            show,
            max_request_size=REPLAY_MAX_REQUEST_BYTES,
        )
    )
