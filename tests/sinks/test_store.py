"""The DuckDB sink on real files: idempotent writes, history from diffs, locks, snapshots."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pytest

from processors.models import Article, Mention
from processors.resolve import group_key, resolve_group
from sinks.store import Batch, QueryRefused, Store


def mention(
    article: str, value: int, day: int = 5, metric: str = "killed", source: str | None = None
) -> Mention:
    published = datetime(2024, 3, day, 12, tzinfo=UTC)
    return Mention(
        mention_id=Mention.make_id(article, metric, value, 0),
        article_id=article,
        metric=metric,
        value=value,
        source=source,  # type: ignore[arg-type]
        location="Porto Alegre",
        place="porto alegre",
        country="BR",
        event_date=date(2024, 3, 4),
        sentence=f"{value} people died.",
        span_start=0,
        span_end=2,
        published_at=published,
    )


def batch_of(*mentions: Mention) -> Batch:
    batch = Batch()
    group = group_key(mentions[0])
    batch.add_group(mentions, resolve_group(group, mentions))
    for m in mentions:
        batch.add_article(Article(id=m.article_id, text=m.sentence, published_at=m.published_at), 1)
    return batch


def rows(store: Store, sql: str) -> list[tuple]:
    return store.query(sql)[1]


WALL_CLOCK = {"articles": "ingested_at", "tolls": "updated_at", "toll_history": '"at"'}


def stable_rows(store: Store) -> dict[str, list[tuple]]:
    out = {}
    for table in ("articles", "mentions", "claims", "events", "tolls", "toll_history"):
        exclude = f"EXCLUDE ({WALL_CLOCK[table]})" if table in WALL_CLOCK else ""
        out[table] = rows(store, f"SELECT * {exclude} FROM {table} ORDER BY ALL")
    return out


def test_writes_are_idempotent_and_history_follows_the_toll(tmp_path: Path) -> None:
    a, b = mention("a", 10, day=5), mention("b", 14, day=6, source="the civil defence")
    with Store(tmp_path / "t.duckdb") as store:
        first = store.write(batch_of(a))
        assert [(u.change.new_low, u.change.new_high, u.change.old_high) for u in first] == [
            (10, 10, None)
        ]
        before = stable_rows(store)
        assert store.write(batch_of(a)) == []  # a redelivered batch: no change, no history
        assert stable_rows(store) == before
        grown = store.write(batch_of(a, b))
        assert [(u.change.old_high, u.change.new_high, u.change.new_latest) for u in grown] == [
            (10, 14, 14)
        ]
        assert grown[0].source == "the civil defence"
        history = rows(
            store, "SELECT old_high, high, latest, article_id FROM toll_history ORDER BY seq"
        )
        assert history == [(None, 10, 10, "a"), (10, 14, 14, "b")]
        assert rows(store, "SELECT count(*) FROM mentions") == [(2,)]
        assert rows(store, "SELECT low, high, latest, n_claims FROM tolls") == [(10, 14, 14, 2)]
        # the mentions table keeps each mention whole, so a lost stream state can be rebuilt
        assert [(g, sorted(m.value for m in ms)) for g, ms in store.group_mentions()] == [
            (group_key(a), [10, 14])
        ]


@pytest.mark.parametrize(
    "sql",
    [
        "DELETE FROM tolls",
        "CREATE TABLE x (a INT)",
        "SELECT 1; SELECT 2",
        "ATTACH 'other.duckdb'",
        "COPY tolls TO 'x.csv'",
        "SET threads = 1",
    ],
)
def test_query_serves_only_single_read_statements(tmp_path: Path, sql: str) -> None:
    with Store(tmp_path / "t.duckdb") as store, pytest.raises(QueryRefused):
        store.query(sql)


def test_a_second_process_gets_a_clear_lock_error_and_can_read_the_snapshot(tmp_path: Path) -> None:
    db = tmp_path / "tolls.duckdb"
    snap = tmp_path / "tolls.snapshot.duckdb"
    probe = (
        "import sys; from pathlib import Path; from sinks.store import Store, StoreLockedError\n"
        "try:\n    Store(Path(sys.argv[1]), read_only=True)\n"
        "except StoreLockedError as e:\n    print('LOCKED', e)\n"
        "import duckdb; c = duckdb.connect(sys.argv[2], read_only=True)\n"
        "print('SNAPSHOT', c.execute('SELECT high FROM tolls').fetchall())\n"
    )
    with Store(db) as store:
        store.write(batch_of(mention("a", 7)))
        store.snapshot(snap)
        out = subprocess.run(
            [sys.executable, "-c", probe, str(db), str(snap)],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert "LOCKED" in out.stdout, out.stderr
    assert "tolls query" in out.stdout and "snapshot" in out.stdout
    assert "SNAPSHOT [(7,)]" in out.stdout
    with pytest.raises(duckdb.Error):
        duckdb.connect(str(snap), read_only=True).execute("DELETE FROM tolls")
