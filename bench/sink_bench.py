"""``Store.write`` cost as the database grows: ms per article, per micro-batch.

    .venv/bin/python bench/sink_bench.py [--n 2000] [--batch 50] [--store FILE] [--db FILE]

Generates ``--n`` articles with ``bench/corpus.py`` and runs them once through the real
pipeline (``Pipeline.extract``, about 30 articles/s); the extracted mentions are cached in
``--cache`` (default: a file in the temp dir named after N and the seed), so later runs
start at once. Then it replays the articles the way ``tolls process`` does
(``streams/batch.py``): per batch, every touched group's new mentions go to its
:class:`~processors.incremental.GroupState`, whose change is computed (not timed), and only
``Store.write`` is timed. It prints ms/article of the batch that ends at 100, 500, 1,000 and
2,000 articles (and at N), plus the total.

``--store FILE`` loads ``Store`` and ``Batch`` from another copy of ``sinks/store.py`` (for
example ``git show HEAD:sinks/store.py > /tmp/store_old.py``) to compare implementations;
``--db FILE`` keeps the database (default: a temp file that is deleted).

``--synthetic hot|spread`` skips extraction and builds the mentions instead (two an
article: killed and injured), to reach table sizes extraction is too slow for:

* ``hot``: every article is about one city (Kharkiv, one every 0.8 hours), so one group
  (``UA|*``) holds them all and its state grows with every batch;
* ``spread``: articles about many places with at most 20 mentions each (50 places at a
  time), so the tables grow while each group stays small.

The database is filled in large untimed batches up to each checkpoint of ``--rows``
(rows in ``mentions``), then ``--probe`` batches of ``--batch`` new articles are timed
there; it prints the median ms/article per checkpoint, and at the end the first batch
after a restart (a new Store: the touched groups are read back from the database).
``--store`` may be given several times: the stores get the same batches, interleaved, so
a comparison sees the same load on a shared machine.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.corpus import generate  # noqa: E402
from processors.incremental import GroupState  # noqa: E402
from processors.models import Article, Mention  # noqa: E402
from processors.resolve import group_key  # noqa: E402
from streams.pipeline import Pipeline  # noqa: E402
from streams.settings import Settings  # noqa: E402

Extracted = list[tuple[Article, dict[str, list[Mention]]]]
MARKS = (100, 500, 1000, 2000)
SYNTHETIC_ROWS = {"hot": "1000,5000,10000,20000", "spread": "1000,10000,100000,200000"}
SOURCES = ("police", "the regional governor", "emergency services")


def extracted(n: int, seed: int, cache: Path) -> Extracted:
    """The articles and their mentions by group, extracted once and cached as JSON lines."""
    if cache.exists():
        out: Extracted = []
        for line in cache.read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            groups = {g: [Mention.model_validate(m) for m in ms] for g, ms in rec["groups"].items()}
            out.append((Article.model_validate(rec["article"]), groups))
        if len(out) == n:
            return out
    pipeline = Pipeline(Settings())
    out = []
    start = time.perf_counter()
    for i, raw in enumerate(generate(n, seed), 1):
        article = pipeline.parse(json.dumps(raw))
        assert isinstance(article, Article), article
        out.append((article, pipeline.extract(article)))
        if i % 200 == 0:
            rate = i / (time.perf_counter() - start)
            print(f"extracted {i}/{n} ({rate:.0f} articles/s)", file=sys.stderr)
    tmp = cache.with_name(cache.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        for article, groups in out:
            rec = {
                "article": article.model_dump(mode="json"),
                "groups": {g: [m.model_dump(mode="json") for m in ms] for g, ms in groups.items()},
            }
            fh.write(json.dumps(rec) + "\n")
    tmp.replace(cache)
    return out


def load_store_module(path: Path | None) -> ModuleType:
    if path is None:
        import sinks.store

        return sinks.store
    spec = importlib.util.spec_from_file_location("store_under_test", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def run(items: Extracted, module: ModuleType, db: Path, batch_size: int) -> list[dict[str, Any]]:
    """Write ``items`` in batches; one record per batch with the write time."""
    states: dict[str, GroupState] = {}
    records = []
    with module.Store(db) as store:
        for i in range(0, len(items), batch_size):
            chunk = items[i : i + batch_size]
            batch, new = module.Batch(), {}
            for article, by_group in chunk:
                for group, mentions in by_group.items():
                    new.setdefault(group, []).extend(mentions)
                batch.add_article(article, sum(len(m) for m in by_group.values()))
            for group in sorted(new):
                state = states.setdefault(group, GroupState(group))
                add_change(batch, state, state.add(new[group]))
            start = time.perf_counter()
            store.write(batch)
            elapsed = time.perf_counter() - start
            records.append(
                {
                    "articles": i + len(chunk),
                    "batch_articles": len(chunk),
                    "seconds": elapsed,
                    "group_mentions": sum(len(c.mentions) for c in batch.groups.values()),
                }
            )
        counts = store.counts()
    print("final table counts:", counts, file=sys.stderr)
    return records


def add_change(batch: Any, state: GroupState, change: Any) -> None:
    """A group's change, as the worker writes it; a store module without
    ``Batch.add_change`` (an older copy) gets the group's whole view instead."""
    if hasattr(batch, "add_change"):
        batch.add_change(change)
    else:
        batch.add_group(state.mentions, state.view())


def synthetic(mode: str) -> Iterator[tuple[Article, dict[str, list[Mention]]]]:
    """Articles and their mentions by group, built without extraction (see the module doc)."""
    start = datetime(2025, 1, 1, 6, tzinfo=UTC)
    i = 0
    while True:
        at = start + timedelta(hours=0.8 * i)
        article_id = f"{mode}-{i:07d}"
        if mode == "hot":
            location, place, country = "Kharkiv", "kharkiv", "UA"
        else:  # 50 places at a time, 10 articles each, no country: groups "??|town..."
            town = (i // 500) * 50 + i % 50
            location, place, country = f"Town {town}", f"town {town}", None
        mentions = []
        for metric, value in (("killed", 1 + i % 29), ("injured", 2 + i % 71)):
            sentence = f"{value} people were {metric}, {SOURCES[i % 3]} said."
            mentions.append(
                Mention(
                    mention_id=Mention.make_id(article_id, metric, value, 0),
                    article_id=article_id,
                    metric=metric,  # type: ignore[arg-type]
                    value=value,
                    source=SOURCES[i % 3],
                    location=location,
                    place=place,
                    place_kind="city",
                    country=country,
                    event_date=at.date(),
                    sentence=sentence,
                    span_start=0,
                    span_end=len(sentence),
                    published_at=at,
                )
            )
        by_group: dict[str, list[Mention]] = {}
        for m in mentions:
            by_group.setdefault(group_key(m), []).append(m)
        text = " ".join(m.sentence for m in mentions)
        yield Article(id=article_id, text=text, published_at=at), by_group
        i += 1


def run_synthetic(
    mode: str, modules: list[ModuleType], dbs: list[Path], rows: list[int], batch: int, probe: int
) -> list[tuple[int, list[float]]]:
    """Fill each store to each checkpoint, then time ``probe`` batches there: per
    checkpoint, (mention rows, median ms/article of each store)."""
    source = synthetic(mode)
    states: dict[str, GroupState] = {}
    stores = [m.Store(db) for m, db in zip(modules, dbs, strict=True)]
    written = 0  # mention rows

    def step(n: int) -> list[float]:
        """Write the next ``n`` articles to every store: the seconds each took (the
        groups' changes come from :class:`GroupState`, as in the worker)."""
        nonlocal written
        chunk = [next(source) for _ in range(n)]
        new: dict[str, list[Mention]] = {}
        for _, by_group in chunk:
            for group, mentions in by_group.items():
                new.setdefault(group, []).extend(mentions)
                written += len(mentions)
        changes = []
        for g in sorted(new):
            state = states.setdefault(g, GroupState(g))
            changes.append((state.add(new[g]), state))
        out = []
        for module, store in zip(modules, stores, strict=True):
            b = module.Batch()
            for article, by_group in chunk:
                b.add_article(article, sum(len(ms) for ms in by_group.values()))
            for change, state in changes:
                add_change(b, state, change)
            start = time.perf_counter()
            store.write(b)
            out.append(time.perf_counter() - start)
        return out

    results = []
    try:
        for mark in rows:
            while written < mark:
                step(max(1, min(1000, (mark - written) // 2)))
            at = written
            times = [step(batch) for _ in range(probe)]
            per = [
                statistics.median(t[j] for t in times) * 1000 / batch for j in range(len(stores))
            ]
            results.append((at, per))
            print(
                f"{mode}: {at} mention rows: " + " ".join(f"{p:.2f}" for p in per), file=sys.stderr
            )
    finally:
        for store in stores:
            store.close()
    # a restart: new stores, nothing cached; the first batch reads its groups back (and,
    # like the worker's, resolves them whole)
    stores = [m.Store(db) for m, db in zip(modules, dbs, strict=True)]
    states = {g: GroupState(g, s.mentions) for g, s in states.items()}
    try:
        first = step(batch)
        results.append((-written, [t * 1000 / batch for t in first]))
        counts = stores[0].counts()
    finally:
        for store in stores:
            store.close()
    print("final table counts:", counts, file=sys.stderr)
    return results


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--batch", type=int, default=50)
    ap.add_argument("--cache", type=Path, default=None)
    ap.add_argument(
        "--store",
        type=Path,
        action="append",
        help="another copy of sinks/store.py (repeat to compare; 'sinks/store.py' for this one)",
    )
    ap.add_argument("--db", type=Path, default=None, help="keep the database here")
    ap.add_argument("--synthetic", choices=("hot", "spread"), default=None)
    ap.add_argument("--rows", default=None, help="checkpoints, mention rows (comma-separated)")
    ap.add_argument("--probe", type=int, default=10, help="timed batches per checkpoint")
    args = ap.parse_args(argv)
    paths: list[Path | None] = list(args.store or [None])
    modules = [load_store_module(p if p != Path("sinks/store.py") else None) for p in paths]
    labels = [str(p or "sinks/store.py") for p in paths]
    if args.synthetic:
        rows = [int(r) for r in (args.rows or SYNTHETIC_ROWS[args.synthetic]).split(",")]
        with tempfile.TemporaryDirectory() as tmp:
            dbs = [Path(tmp) / f"bench{i}.duckdb" for i in range(len(modules))]
            results = run_synthetic(args.synthetic, modules, dbs, rows, args.batch, args.probe)
        print(
            f"Store.write, synthetic '{args.synthetic}', batches of {args.batch} articles "
            f"(median of {args.probe} per checkpoint), ms/article:"
        )
        print(f"{'mention rows':>14} " + " ".join(f"{label:>24}" for label in labels))
        for at, per in results:
            name = f"{-at} restart" if at < 0 else str(at)
            print(f"{name:>14} " + " ".join(f"{p:>24.2f}" for p in per))
        return 0
    cache = (
        args.cache or Path(tempfile.gettempdir()) / f"tolls_sink_bench_{args.n}_{args.seed}.jsonl"
    )
    items = extracted(args.n, args.seed, cache)
    for module, label in zip(modules, labels, strict=True):
        with tempfile.TemporaryDirectory() as tmp:
            db = args.db or Path(tmp) / "bench.duckdb"
            if args.db:
                db.unlink(missing_ok=True)
            records = run(items, module, db, args.batch)
        marks = sorted({m for m in MARKS if m <= args.n} | {records[-1]["articles"]})
        print(f"Store.write ({label}), batches of {args.batch} articles:")
        print(f"{'articles':>9} {'ms/article':>11} {'mentions in touched groups/article':>36}")
        for rec in records:
            if rec["articles"] in marks:
                per = rec["seconds"] * 1000 / rec["batch_articles"]
                rewritten = rec["group_mentions"] / rec["batch_articles"]
                print(f"{rec['articles']:>9} {per:>11.2f} {rewritten:>36.1f}")
        total = sum(r["seconds"] for r in records)
        n = records[-1]["articles"]
        print(f"total {total:.2f} s for {n} articles: {total * 1000 / n:.2f} ms/article on average")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
