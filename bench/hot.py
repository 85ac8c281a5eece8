"""Hot-place benchmark: does the cost of an article grow with the history of its place?

N short articles (three sentences) about one city district, one every 0.8 hours for months,
go through ``tolls up`` on the embedded broker; then the same texts with the place spread
over ten cities in ten countries. Each run: articles/s from the first publish until the
worker is idle with every article in DuckDB, the worker's peak RSS, and the largest record
on the claims topic (the worker keeps no changelog: a group's state is its rows in DuckDB).

    python bench/hot.py --articles 2000          # prints one line per run and a summary
    python bench/hot.py --articles 2000 10000

The summary line: ``hot: n=... hot_aps=... spread_aps=... ratio=... hot_rss_mb=...``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.crash import Worker, cli  # noqa: E402
from bench.run import vm_status  # noqa: E402

HOT = ("the Shevchenkivskyi district of Kharkiv", "Kharkiv")
SPREAD = [
    ("Porto Alegre", "Brazil"),
    ("Kano", "Nigeria"),
    ("Multan", "Pakistan"),
    ("Izmir", "Turkey"),
    ("Mombasa", "Kenya"),
    ("Recife", "Brazil"),
    ("Cebu", "Philippines"),
    ("Medan", "Indonesia"),
    ("Arequipa", "Peru"),
    ("Oran", "Algeria"),
]
KINDS = ("a missile strike", "a drone attack", "shelling", "a blast", "an air raid")
SOURCES = ("the regional governor said", "police said", "emergency services said")


def texts(n: int, seed: int = 3) -> list[tuple[datetime, str]]:
    """(publication time, text with {place} and {city}) for n articles, 0.8 h apart."""
    rng = random.Random(seed)
    start = datetime(2025, 1, 1, 6, tzinfo=UTC)
    out = []
    for i in range(n):
        at = start + timedelta(hours=0.8 * i)
        killed, injured = rng.randint(1, 30), rng.randint(2, 80)
        kind, source = rng.choice(KINDS), rng.choice(SOURCES)
        out.append(
            (
                at,
                f"{kind.capitalize()} killed {killed} people in {{place}} on "
                f"{at:%A}, {source}. At least {injured} others were injured. Rescue work "
                f"in {{city}} went on through the night.",
            )
        )
    return out


def feed(path: Path, n: int, hot: bool) -> None:
    lines = []
    for i, (at, text) in enumerate(texts(n)):
        place, city = HOT if hot else SPREAD[i % len(SPREAD)]
        body = text.format(place=place, city=city)
        lines.append(
            json.dumps({"id": f"hot-{i:06d}", "text": body, "published_at": at.isoformat()})
        )
    path.write_text("\n".join(lines) + "\n")


def largest_claims_record(worker: Worker) -> int:
    from streams.check import _read_topic
    from streams.service import resolve_broker

    url, _ = resolve_broker(worker.settings, start=False)
    records = asyncio.run(_read_topic(url, worker.settings.claims_topic))
    return max((len(r) for r in records), default=0)


def run_one(n: int, hot: bool, work: Path) -> dict[str, float]:
    path = work / f"{'hot' if hot else 'spread'}-{n}.jsonl"
    feed(path, n, hot)
    worker = Worker(work / f"{'hot' if hot else 'spread'}-{n}")
    try:
        worker.start()
        started = time.monotonic()
        cli("replay", str(path), "--quiet", "--data-dir", str(worker.data_dir))
        worker.wait_idle(n, timeout=3600)
        seconds = time.monotonic() - started
        assert worker.proc is not None
        rss = vm_status(worker.proc.pid).get("VmHWM", 0) / 1024
        largest = largest_claims_record(worker)
        worker.stop()
    finally:
        worker.down()
    return {
        "aps": n / seconds,
        "seconds": seconds,
        "rss_mb": rss,
        "claims_record_kb": largest / 1024,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[2000])
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="tolls-hot-") as tmp:
        for n in args.articles:
            res = {}
            for hot in (True, False):
                r = run_one(n, hot, Path(tmp))
                res[hot] = r
                print(
                    f"{'hot   ' if hot else 'spread'} n={n}: {r['aps']:.1f} articles/s "
                    f"({r['seconds']:.0f} s), worker peak RSS {r['rss_mb']:.0f} MB, largest "
                    f"claims record {r['claims_record_kb']:.1f} KB",
                    flush=True,
                )
            print(
                f"hot: n={n} hot_aps={res[True]['aps']:.1f} spread_aps={res[False]['aps']:.1f} "
                f"ratio={res[True]['aps'] / res[False]['aps']:.2f} "
                f"hot_rss_mb={res[True]['rss_mb']:.0f}",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
