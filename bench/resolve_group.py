"""Time ``resolve_group`` on one large group (pure CPU, no broker, no database), and what
the worker pays per batch instead (``GroupState.add`` of one more article).

    python bench/resolve_group.py [N ...]

Two shapes per N: N mentions about one place (an article every ~0.8 hours over months,
dated, undated and weekday-only reports mixed), and N mentions over the places of one
country at several levels (a region, towns in it, districts, the country). Prints the
best of three runs, and the events formed. The incremental line: the same mentions, each
given its publication time (one in ten has none above, and a mention with no date at all
makes every batch about its place a full resolve), then the next 20 articles added one
by one: the mean, and the events each rebuilt.
"""

from __future__ import annotations

import random
import sys
import time
from datetime import UTC, date, datetime, timedelta

from processors.incremental import GroupState
from processors.models import Mention
from processors.resolve import group_key, resolve_group

START = datetime(2031, 1, 1, tzinfo=UTC)
PLACES = [  # (key, kind, admin1, within): made-up places of country ZZ
    ("zz", "country", None, None),
    ("marrowshire", "region", "ZZ.01", None),
    ("marrowby", "city", "ZZ.01", None),
    ("oakham", "city", "ZZ.01", None),
    ("lowgate", "district", "ZZ.01", "marrowby"),
    ("fenwick", "city", "ZZ.02", None),
    ("tarn", "unknown", None, None),
]


def mentions(n: int, *, spread: bool, seed: int = 1, all_published: bool = False) -> list[Mention]:
    rnd = random.Random(seed)
    out = []
    for i in range(n):
        published = START + timedelta(hours=0.8 * (i // 3))
        key, kind, admin1, within = rnd.choice(PLACES) if spread else PLACES[2]
        shape = rnd.random()
        event_date: date | None = published.date() if shape < 0.4 else None
        weekday = (published.date() - timedelta(days=1)).weekday() if 0.4 <= shape < 0.6 else None
        article = f"a{i // 3}"
        value = rnd.randint(1, 60)
        out.append(
            Mention(
                mention_id=Mention.make_id(article, "killed", value, i),
                article_id=article,
                metric=rnd.choice(("killed", "injured")),
                value=value,
                source=rnd.choice((None, "police", "officials", "the governor")),
                location=key.title(),
                place=key,
                place_kind=kind,
                admin1=admin1,
                within=within,
                country="ZZ",
                event_date=event_date,
                weekday=weekday,
                sentence="x",
                span_start=i,
                span_end=i + 1,
                published_at=published if shape < 0.9 or all_published else None,
            )
        )
    return out


def main(sizes: list[int]) -> None:
    for n in sizes:
        for spread in (False, True):
            ms = mentions(n, spread=spread)
            group = group_key(ms[0])
            best = float("inf")
            for _ in range(3):
                t0 = time.perf_counter()
                view = resolve_group(group, ms)
                best = min(best, time.perf_counter() - t0)
            shape = "levels" if spread else "one place"
            print(
                f"resolve_group n={n:>6} {shape:<9} {best * 1000:8.1f} ms "
                f"({best / n * 1e6:5.1f} us/mention, {len(view.events)} events)"
            )
            ms = mentions(n + 60, spread=spread, all_published=True)
            state = GroupState(group, ms[:n])
            state.add(())  # the first batch resolves everything (as after a read back)
            seconds, rebuilt = 0.0, 0
            for i in range(n, n + 60, 3):  # three mentions an article
                t0 = time.perf_counter()
                change = state.add(ms[i : i + 3])
                seconds += time.perf_counter() - t0
                rebuilt += len(change.view.events)
            print(
                f"GroupState.add n={n:>6} {shape:<9} {seconds / 20 * 1000:8.1f} ms "
                f"(one article; {rebuilt / 20:.1f} events rebuilt)"
            )


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [2_000, 10_000])
