"""The DuckDB sink on real files: idempotent writes, history from diffs, locks, snapshots."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings

from processors.incremental import GroupState
from processors.models import Article, Mention
from processors.resolve import group_key, resolve_group
from sinks.store import INDEXES, PRIMARY_KEYS, SCHEMA, Batch, QueryRefused, Store
from tests.processors.test_incremental import GROUP, batches_of_mentions


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
    return store.query(sql).rows


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
        # the mentions table keeps each mention whole: it is the group's state
        assert sorted(m.value for m in store.mentions_of(group_key(a))) == [10, 14]


@pytest.mark.parametrize(
    "sql",
    [
        "DELETE FROM tolls",
        "CREATE TABLE x (a INT)",
        "SELECT 1; SELECT 2",
        "ATTACH 'other.duckdb'",
        "EXPLAIN ANALYZE DELETE FROM tolls",
        "COPY tolls TO 'x.csv'",
        "SET threads = 1",
        "",
        "SELECT * FROM read_text('/etc/hostname')",
        "SELECT * FROM read_csv('/etc/passwd')",
        "SELECT * FROM glob('/etc/*')",
    ],
)
def test_query_serves_only_single_read_statements_on_the_database(tmp_path: Path, sql: str) -> None:
    with Store(tmp_path / "t.duckdb") as store, pytest.raises((QueryRefused, duckdb.Error)):
        store.query(sql)


def test_a_slow_query_is_stopped_and_rows_are_capped(tmp_path: Path) -> None:
    with Store(tmp_path / "t.duckdb") as store:
        with pytest.raises(QueryRefused, match=r"longer than 0\.2 s"):
            store.query("SELECT max(hash(range)) FROM range(1000000000000)", timeout=0.2)
        capped = store.query("SELECT * FROM range(10)", max_rows=3)
        assert capped.rows == [(0,), (1,), (2,)] and capped.truncated
        assert not store.query("SELECT * FROM range(3)", max_rows=3).truncated


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


def located(
    article: str,
    value: int,
    *,
    place: str = "porto alegre",
    location: str = "Porto Alegre",
    event_date: date | None = date(2024, 3, 4),
    published: datetime | None = datetime(2024, 3, 5, 12, tzinfo=UTC),
    source: str | None = None,
) -> Mention:
    return Mention(
        mention_id=Mention.make_id(article, "killed", value, 0),
        article_id=article,
        metric="killed",
        value=value,
        source=source,
        location=location,
        place=place,
        place_kind="country" if location == "Brazil" else "city",
        country="BR",
        event_date=event_date,
        sentence=f"{value} people died.",
        span_start=0,
        span_end=2,
        published_at=published,
    )


def place_group(m: Mention) -> str:
    """One group per place (the sink does not care how groups are cut; the resolver now
    groups a country's places together, so cross-group parent links need groups made here)."""
    return f"{m.country}|{m.place}"


def groups_batch(*groups: tuple[Mention, ...]) -> Batch:
    """A batch with each group's full mention set and its view, and their articles."""
    batch = Batch()
    for mentions in groups:
        group = place_group(mentions[0])
        batch.add_group(mentions, resolve_group(group, mentions))
        for m in mentions:
            batch.add_article(
                Article(id=m.article_id, text=m.sentence, published_at=m.published_at), 1
            )
    return batch


def derived_rows(store: Store) -> dict[str, list[tuple]]:
    """The tables derived from the views (``articles`` is an upsert, never pruned)."""
    return {t: v for t, v in stable_rows(store).items() if t not in ("articles", "toll_history")}


def test_a_sequence_of_batches_leaves_the_tables_of_its_final_views(tmp_path: Path) -> None:
    """Groups grow, an undated event merges into a dated one (its id disappears and its
    claim moves), country-wide events become parents (of events in an untouched group, of
    an unchanged event in a touched one, of a new one), a mention is rewritten under its id,
    a batch is redelivered: written in sequence (by one Store, or with a restart whose cache
    starts cold), the tables are those of the final views written into an empty database."""
    undated = located("u", 3, event_date=None, published=None)
    dated = located("a", 5)
    earlier = located("e", 2, event_date=date(2024, 3, 1))
    grown = located("b", 9, source="the civil defence")
    reworded = dated.model_copy(update={"sentence": "5 people were killed."})
    national = located("n1", 20, place="br", location="Brazil")
    national_earlier = located("n3", 4, place="br", location="Brazil", event_date=date(2024, 3, 1))
    later = located("n4", 30, place="br", location="Brazil", event_date=date(2024, 3, 6))
    city = place_group(dated)
    final_city = (undated, reworded, earlier, grown)
    final_country = (national, national_earlier, later)
    steps = [
        groups_batch((undated,)),
        groups_batch((undated, dated, earlier)),  # the undated event merges into a dated one
        groups_batch((national,)),  # a parent for an event of an untouched group
        # a parent for an unchanged event of a touched group; a new child of a new parent
        groups_batch(
            (undated, dated, earlier, grown, located("c", 6, event_date=date(2024, 3, 6))),
            (national, national_earlier, later),
        ),
        groups_batch(final_city, final_country),  # a mention rewritten, a claim gone
        groups_batch(final_city, final_country),  # redelivered
    ]
    first = resolve_group(city, (undated,))
    final = resolve_group(city, final_city)
    assert {e.event_id for e in first.events} - {e.event_id for e in final.events}
    assert first.mention_claims[undated.mention_id] != final.mention_claims[undated.mention_id]

    # after each step: the latest view of every group so far, written into an empty database
    expected, latest = [], {}
    for i, step in enumerate(steps):
        latest.update({g: change.mentions for g, change in step.groups.items()})
        with Store(tmp_path / f"views{i}.duckdb") as store:
            store.write(groups_batch(*latest.values()))
            expected.append(derived_rows(store))
    linked = sorted((r[6], r[4]) for r in expected[-1]["events"] if r[9] is not None)  # parent
    assert linked == [(date(2024, 3, 1), "porto alegre"), (date(2024, 3, 4), "porto alegre")]
    assert any(r[9] is not None for r in expected[2]["events"])  # a parent link

    with Store(tmp_path / "one.duckdb") as store:
        for step, want in zip(steps, expected, strict=True):
            store.write(step)
            assert derived_rows(store) == want
        history = stable_rows(store)["toll_history"]
        assert store.write(steps[-1]) == []
        assert stable_rows(store)["toll_history"] == history
        # as after a full rewrite, every toll of a written group carries the batch's time
        assert rows(store, "SELECT count(DISTINCT updated_at) FROM tolls") == [(1,)]
        assert {g: len(ms) for g, ms in store.mentions_of_groups(["BR|br", city]).items()} == {
            "BR|br": 3,
            city: 4,
        }

    for restart in range(1, len(steps)):
        db = tmp_path / f"restart{restart}.duckdb"
        with Store(db) as store:
            for step in steps[:restart]:
                store.write(step)
        with Store(db) as store:  # a new worker: nothing cached
            for i in range(restart, len(steps)):
                store.write(steps[i])
                assert derived_rows(store) == expected[i], (restart, i)
            assert stable_rows(store)["toll_history"] == history, restart


def test_a_failed_batch_leaves_nothing_behind_and_the_next_one_lands(tmp_path: Path) -> None:
    a, b = mention("a", 10), mention("b", 14, day=6, source="the civil defence")
    too_big = mention("z", 2**70, day=6)  # fails on insert, after the batch was diffed
    with Store(tmp_path / "t.duckdb") as store:
        store.write(batch_of(a))
        before = stable_rows(store)
        with pytest.raises(duckdb.Error):
            store.write(batch_of(a, too_big))
        assert stable_rows(store) == before
        store.write(batch_of(a, b))
        after = stable_rows(store)
        history = rows(store, "SELECT old_high, high FROM toll_history ORDER BY seq")
        assert history == [(None, 10), (10, 14)]
    with Store(tmp_path / "fresh.duckdb") as fresh:
        fresh.write(batch_of(a, b))
        assert {t: v for t, v in after.items() if t != "toll_history"} == {
            t: v for t, v in stable_rows(fresh).items() if t != "toll_history"
        }


def test_stream_positions_are_written_with_the_rows_or_not_at_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A batch's position and its rows share one transaction: a write that fails half-way
    leaves neither (the worker then re-reads from the old position), and the mentions a
    group's state is rebuilt from are the ones that landed."""
    with Store(tmp_path / "t.duckdb") as store:
        first = batch_of(mention("a1", 5))
        first.offsets[("claims", 0)] = 1
        store.write(first)
        second = batch_of(mention("a1", 5), mention("a2", 9))
        second.offsets[("claims", 0)] = 2

        def fail(*args: object) -> None:
            raise RuntimeError("disk full")

        monkeypatch.setattr(store, "_save_offsets", fail)  # the last step of the write
        with pytest.raises(RuntimeError):
            store.write(second)
        monkeypatch.undo()
        assert store.offsets() == {("claims", 0): 1}
        group = group_key(mention("a1", 5))
        assert [m.article_id for m in store.mentions_of(group)] == ["a1"]
        assert rows(store, "SELECT article_id FROM articles") == [("a1",)]
        store.write(second)
        assert store.offsets() == {("claims", 0): 2}
        assert store.mentions_of_groups([group, "ZZ|nowhere"]) == {
            group: tuple(sorted(second.groups[group].mentions, key=lambda m: m.mention_id)),
            "ZZ|nowhere": (),
        }
        assert store.missing_mentions() == []
        assert store.forget_offsets(["claims"]) == 1 and store.offsets() == {}


def key_counts(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[int, int]]:
    """Per derived table: (rows, distinct keys)."""
    out = {}
    for table, key in PRIMARY_KEYS.items():
        cols = ", ".join(key)
        found = con.execute(
            f"SELECT count(*), (SELECT count(*) FROM (SELECT DISTINCT {cols} FROM {table})) "
            f"FROM {table}"
        ).fetchone()
        assert found is not None
        out[table] = (int(found[0]), int(found[1]))
    return out


def test_a_derived_table_never_holds_two_rows_under_one_key(tmp_path: Path) -> None:
    """The key is (group, id): a repeated mention id within a group's batch keeps the later
    mention, the same mention id in two groups is two rows, a group rewritten whole or a
    redelivered batch lands on the same keys; and the database itself refuses a second row
    under a key, after a reopen too."""
    a, b = located("a", 5), located("b", 9, source="the civil defence")
    reworded = a.model_copy(update={"sentence": "5 people were killed."})
    elsewhere = a.model_copy(update={"place": "canoas", "location": "Canoas"})
    db = tmp_path / "t.duckdb"
    with Store(db) as store:
        for batch in (
            groups_batch((a,)),
            groups_batch((a, b, reworded), (elsewhere,)),  # `a` twice in one group
            groups_batch((reworded, b), (elsewhere,)),  # redelivered
        ):
            store.write(batch)
            counts = key_counts(store.con)
            assert all(n == distinct for n, distinct in counts.values()), counts
        assert counts["mentions"] == (3, 3)
        same_id = f"SELECT grp, sentence FROM mentions WHERE mention_id = '{a.mention_id}'"
        assert rows(store, same_id + " ORDER BY grp") == [
            ("BR|canoas", a.sentence),
            ("BR|porto alegre", reworded.sentence),
        ]
    with Store(db) as store:
        assert store.write(groups_batch((reworded, b), (elsewhere,))) == []
        assert key_counts(store.con) == counts
        assert all(n == distinct and n > 0 for n, distinct in counts.values()), counts
        for table in PRIMARY_KEYS:
            with pytest.raises(duckdb.ConstraintException):
                store.con.execute(f"INSERT INTO {table} SELECT * FROM {table} LIMIT 1")


def test_a_file_from_before_the_keys_opens_with_them_and_its_duplicates_gone(
    tmp_path: Path,
) -> None:
    """A file written by the previous version (no primary keys, duplicate rows under one
    key) gains the keys when a Store opens it: the same columns in the same order, one row
    per key (the last written; for a mention, the one with its JSON), the indexes back; and
    writing on from there gives the tables a fresh database gets."""
    a, b = located("a", 5), located("b", 9, source="the civil defence")
    c = located("c", 12, event_date=date(2024, 3, 5))
    keyed = tmp_path / "keyed.duckdb"
    with Store(keyed) as store:
        store.write(groups_batch((a, b)))
        columns = {
            t: store.con.execute(f"SELECT * FROM {t} LIMIT 0").description for t in PRIMARY_KEYS
        }

    old = tmp_path / "old.duckdb"
    con = duckdb.connect(str(old))
    unkeyed = re.sub(r",\s*PRIMARY KEY \(grp[^)]*\)", "", SCHEMA)
    assert unkeyed.count("PRIMARY KEY") == 3  # articles, rejected, stream_offsets
    con.execute(unkeyed)
    con.execute(INDEXES)
    con.execute(f"ATTACH '{keyed}' AS keyed (READ_ONLY)")
    for table in (*PRIMARY_KEYS, "articles", "toll_history"):
        if table == "events":  # a stale copy of each event written before the right one
            con.execute("INSERT INTO events SELECT * REPLACE ('stale' AS title) FROM keyed.events")
        con.execute(f"INSERT INTO {table} SELECT * FROM keyed.{table}")
    # a copy of each mention without its JSON written after it, and a toll twice
    con.execute("INSERT INTO mentions SELECT * REPLACE (NULL AS mention) FROM keyed.mentions")
    con.execute("INSERT INTO tolls SELECT * FROM keyed.tolls")
    con.execute("INSERT INTO claims SELECT * REPLACE (NULL AS grp) FROM keyed.claims LIMIT 1")
    con.execute("DETACH keyed")
    assert not con.execute(
        "SELECT * FROM duckdb_constraints() WHERE constraint_type = 'PRIMARY KEY' "
        "AND table_name IN ('events', 'claims', 'mentions', 'tolls')"
    ).fetchall()
    con.close()

    with Store(keyed) as store:
        want = derived_rows(store)
    with Store(old) as store:
        assert derived_rows(store) == want
        assert {
            t: store.con.execute(f"SELECT * FROM {t} LIMIT 0").description for t in PRIMARY_KEYS
        } == columns
        assert {t: n for t, (n, _) in key_counts(store.con).items()} == {
            t: len(v) for t, v in want.items()
        }
        indexes = {r[0] for r in rows(store, "SELECT index_name FROM duckdb_indexes()")}
        assert {"events_grp", "claims_id", "mentions_grp", "tolls_id"} <= indexes
        store.write(groups_batch((a, b, c)))
        grown = derived_rows(store)
    with Store(old) as store:  # opened again: already keyed, nothing rebuilt
        assert derived_rows(store) == grown
    with Store(tmp_path / "fresh.duckdb") as fresh:
        fresh.write(groups_batch((a, b)))
        fresh.write(groups_batch((a, b, c)))
        assert derived_rows(fresh) == grown


@pytest.mark.parametrize("horizon", [None, timedelta(0), timedelta(days=3)])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batches=batches_of_mentions())
def test_partial_changes_leave_the_rows_and_history_of_full_views(
    tmp_path_factory: pytest.TempPathFactory,
    batches: list[list[Mention]],
    horizon: timedelta | None,
) -> None:
    """A GroupState's changes, written batch by batch, leave the rows of the final view
    written into an empty database, and the toll history of writing each batch's full
    view (what the worker did before it resolved incrementally). With a horizon, the
    state closes old events and, for a batch that reaches one, is built again from the
    mentions the database holds, as the worker does."""
    tmp = tmp_path_factory.mktemp("partial")
    state, union = GroupState(GROUP, horizon=horizon), {}
    with Store(tmp / "changes.duckdb") as changes, Store(tmp / "views.duckdb") as views:
        for batch in batches:
            for m in batch:
                union.setdefault(m.mention_id, m)
            partial, full = Batch(), Batch()
            if state.needs_history(batch):
                state = GroupState(GROUP, changes.mentions_of(GROUP), horizon=horizon)
            partial.add_change(state.add(batch))
            full.add_group(tuple(union.values()), resolve_group(GROUP, union.values()))
            assert [u.change for u in changes.write(partial)] == [
                u.change for u in views.write(full)
            ]
            assert stable_rows(changes) == stable_rows(views)
            # every toll of the group was written by this batch, as with a full view
            assert rows(changes, "SELECT count(DISTINCT updated_at) FROM tolls") in ([(0,)], [(1,)])
        with Store(tmp / "scratch.duckdb") as scratch:
            whole = Batch()
            whole.add_group(tuple(union.values()), resolve_group(GROUP, union.values()))
            scratch.write(whole)
            assert derived_rows(changes) == derived_rows(scratch)
