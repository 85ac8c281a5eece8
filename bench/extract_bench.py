"""Extraction throughput: articles per second of ``Extractor.extract`` on one core.

    python bench/extract_bench.py [--repeat 20] [--generated 300] [--no-ner] [FOLDER_OR_FILE ...]

Times extraction over the seed articles (or the given ``.txt`` files / folders), repeated,
and over ``--generated`` synthetic articles from ``bench/corpus.py``, after one warm-up pass
that loads the model and the gazetteer; prints both rates. ``--no-ner``: without spaCy's
entities as evidence about places (``Extractor(ner=False)``). One core: the BLAS under
spaCy gets one thread. ``measure`` is reusable with any list of articles.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Sequence
from pathlib import Path

from processors.articles import article_from_text
from processors.extract import Extractor, default_extractor
from processors.models import Article

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def load_articles(paths: Sequence[Path]) -> list[Article]:
    files: list[Path] = []
    for p in paths:
        files.extend(sorted(p.glob("*.txt")) if p.is_dir() else [p])
    return [article_from_text(f.stem, f.read_text(encoding="utf-8")) for f in files]


def measure(articles: Sequence[Article], extractor: Extractor | None = None) -> float:
    """Articles per second over one pass of ``articles`` (model loading excluded)."""
    ex = extractor or default_extractor()
    if not articles:
        return 0.0
    ex.extract(articles[0])  # load the model and the gazetteer outside the timing
    start = time.perf_counter()
    for a in articles:
        ex.extract(a)
    elapsed = time.perf_counter() - start
    return len(articles) / elapsed if elapsed > 0 else float("inf")


def main(argv: Sequence[str] | None = None) -> None:
    # one core, as in bench/run.py: set before spaCy (and numpy under it) loads
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="*", type=Path, default=[SEEDS])
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--generated", type=int, default=300, help="synthetic articles (0: none)")
    ap.add_argument("--no-ner", action="store_true", help="without spaCy's entities")
    a = ap.parse_args(argv)
    ex = default_extractor()
    ex.ner = not a.no_ner
    articles = load_articles(a.paths)
    kb = sum(len(x.text) for x in articles) / max(1, len(articles)) / 1000
    rate = measure(list(articles) * a.repeat)
    print(f"{len(articles)} articles x {a.repeat} (mean {kb:.1f} KB): {rate:.1f} articles/s")
    if a.generated > 0:
        try:
            from bench.corpus import generate
        except ImportError:  # run as a script: bench/ itself is on the path
            from corpus import generate  # type: ignore[no-redef]

        gen = [
            Article(
                id=r["id"], title=r.get("title"), text=r["text"], published_at=r.get("published_at")
            )
            for r in generate(a.generated)
        ]
        kb = sum(len(x.text) for x in gen) / len(gen) / 1000
        print(f"{len(gen)} generated articles (mean {kb:.1f} KB): {measure(gen):.1f} articles/s")


if __name__ == "__main__":
    main()
