"""``Store.write`` cost as the database grows: ms per article, per micro-batch.

    .venv/bin/python bench/sink_bench.py [--n 2000] [--batch 50] [--store FILE] [--db FILE]

Generates ``--n`` articles with ``bench/corpus.py`` and runs them once through the real
pipeline (``Pipeline.extract``, about 30 articles/s); the extracted mentions are cached in
``--cache`` (default: a file in the temp dir named after N and the seed), so later runs
start at once. Then it replays the articles the way ``tolls process`` does
(``streams/batch.py``): per batch, every touched group's mentions are merged into the state
and its :class:`~processors.models.GroupView` is recomputed (not timed), and only
``Store.write`` is timed. It prints ms/article of the batch that ends at 100, 500, 1,000 and
2,000 articles (and at N), plus the total.

``--store FILE`` loads ``Store`` and ``Batch`` from another copy of ``sinks/store.py`` (for
example ``git show HEAD:sinks/store.py > /tmp/store_old.py``) to compare implementations;
``--db FILE`` keeps the database (default: a temp file that is deleted).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.corpus import generate  # noqa: E402
from processors.models import Article, Mention  # noqa: E402
from streams.pipeline import Pipeline, merge, view  # noqa: E402
from streams.settings import Settings  # noqa: E402

Extracted = list[tuple[Article, dict[str, list[Mention]]]]
MARKS = (100, 500, 1000, 2000)


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
    state: dict[str, tuple[Mention, ...]] = {}
    records = []
    with module.Store(db) as store:
        for i in range(0, len(items), batch_size):
            chunk = items[i : i + batch_size]
            batch, touched = module.Batch(), set()
            for article, by_group in chunk:
                for group, mentions in by_group.items():
                    state[group], _ = merge(state.get(group, ()), mentions)
                    touched.add(group)
                batch.add_article(article, sum(len(m) for m in by_group.values()))
            for group in sorted(touched):
                batch.add_group(state[group], view(group, state[group]))
            start = time.perf_counter()
            store.write(batch)
            elapsed = time.perf_counter() - start
            records.append(
                {
                    "articles": i + len(chunk),
                    "batch_articles": len(chunk),
                    "seconds": elapsed,
                    "group_mentions": sum(len(ms) for ms, _ in batch.groups.values()),
                }
            )
        counts = store.counts()
    print("final table counts:", counts, file=sys.stderr)
    return records


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--batch", type=int, default=50)
    ap.add_argument("--cache", type=Path, default=None)
    ap.add_argument("--store", type=Path, default=None, help="another copy of sinks/store.py")
    ap.add_argument("--db", type=Path, default=None, help="keep the database here")
    args = ap.parse_args(argv)
    cache = (
        args.cache or Path(tempfile.gettempdir()) / f"tolls_sink_bench_{args.n}_{args.seed}.jsonl"
    )
    items = extracted(args.n, args.seed, cache)
    module = load_store_module(args.store)
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "bench.duckdb"
        if args.db:
            db.unlink(missing_ok=True)
        records = run(items, module, db, args.batch)
    marks = sorted({m for m in MARKS if m <= args.n} | {records[-1]["articles"]})
    label = args.store or "sinks/store.py"
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
