"""DuckDB: the product's query surface (tables in DESIGN.md), written in idempotent batches.

The worker owns the only read-write connection (DuckDB allows one writing process or many
readers, never both). Everything is written through :meth:`Store.write`, one transaction
per micro-batch:

* ``articles`` and ``rejected`` are upserts keyed by content-derived ids.
* Everything derived from a state group (``events``, ``claims``, ``tolls``, ``mentions``) is
  *replaced* group by group from the group's full :class:`~processors.models.GroupView`, so
  writing the same view twice changes nothing, and a batch that is written again after a
  crash lands on exactly the same rows.
* ``toll_history`` gets one row per toll whose (low, high, latest) differs from what the
  table held before the batch: the diff is taken against the database itself, inside the
  transaction, so redelivered input never adds history.

Reads go through :meth:`Store.query` (a cursor per request, only SELECT/EXPLAIN), and
:meth:`Store.snapshot` copies the whole database to a file that other processes may open.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from processors.models import Article, GroupView, Mention, Rejection, Toll, content_id
from processors.resolve import TollChange, toll_changes

SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    article_id   VARCHAR PRIMARY KEY,
    title        VARCHAR,
    outlet       VARCHAR,
    url          VARCHAR,
    published_at TIMESTAMP,
    ingested_at  TIMESTAMP,
    content_hash VARCHAR,
    n_mentions   INTEGER
);
CREATE TABLE IF NOT EXISTS rejected (
    rejection_id VARCHAR PRIMARY KEY,
    article_id   VARCHAR,
    reason       VARCHAR,
    raw          VARCHAR,
    received_at  TIMESTAMP
);
CREATE TABLE IF NOT EXISTS events (
    event_id        VARCHAR,
    grp             VARCHAR,
    title           VARCHAR,
    location        VARCHAR,
    place           VARCHAR,
    country         VARCHAR,
    event_date      DATE,
    first_seen      TIMESTAMP,
    last_updated    TIMESTAMP,
    parent_event_id VARCHAR
);
CREATE TABLE IF NOT EXISTS claims (
    claim_id    VARCHAR,
    event_id    VARCHAR,
    grp         VARCHAR,
    metric      VARCHAR,
    value       BIGINT,
    qualifier   VARCHAR,
    source      VARCHAR,
    location    VARCHAR,
    event_date  DATE,
    hedged      BOOLEAN,
    first_seen  TIMESTAMP,
    last_seen   TIMESTAMP,
    n_articles  INTEGER,
    article_ids VARCHAR[]
);
CREATE TABLE IF NOT EXISTS mentions (
    mention_id   VARCHAR,
    article_id   VARCHAR,
    claim_id     VARCHAR,
    event_id     VARCHAR,
    grp          VARCHAR,
    metric       VARCHAR,
    value        BIGINT,
    qualifier    VARCHAR,
    source       VARCHAR,
    location     VARCHAR,
    sentence     VARCHAR,
    span_start   INTEGER,
    span_end     INTEGER,
    published_at TIMESTAMP,
    mention      JSON
);
CREATE TABLE IF NOT EXISTS tolls (
    event_id          VARCHAR,
    metric            VARCHAR,
    grp               VARCHAR,
    low               BIGINT,
    high              BIGINT,
    latest            BIGINT,
    n_claims          INTEGER,
    n_sources         INTEGER,
    claim_ids         VARCHAR[],
    latest_claim_id   VARCHAR,
    latest_article_id VARCHAR,
    updated_at        TIMESTAMP
);
CREATE TABLE IF NOT EXISTS toll_history (
    event_id   VARCHAR,
    metric     VARCHAR,
    "at"       TIMESTAMP,
    seq        BIGINT,
    low        BIGINT,
    high       BIGINT,
    latest     BIGINT,
    old_low    BIGINT,
    old_high   BIGINT,
    old_latest BIGINT,
    claim_id   VARCHAR,
    article_id VARCHAR
);
"""

DERIVED_TABLES = ("events", "claims", "mentions", "tolls")
TABLES = ("articles", "mentions", "claims", "events", "tolls", "toll_history", "rejected")
READ_STATEMENTS = {"SELECT", "EXPLAIN"}
CHUNK_ROWS = 1000


@dataclass(frozen=True)
class TollUpdate:
    """A toll change as written, with what a reader of the log needs to place it."""

    change: TollChange
    event_title: str | None
    source: str | None


class StoreLockedError(RuntimeError):
    """Another process holds the DuckDB file."""


class QueryRefused(ValueError):
    """A query that is not a single read-only statement."""


@dataclass
class Batch:
    """One micro-batch of changes, de-duplicated by key (later entries win)."""

    articles: dict[str, tuple[Article, int]] = field(default_factory=dict)
    rejections: dict[str, Rejection] = field(default_factory=dict)
    groups: dict[str, tuple[tuple[Mention, ...], GroupView]] = field(default_factory=dict)

    def add_article(self, article: Article, n_mentions: int) -> None:
        self.articles[article.id] = (article, n_mentions)

    def add_rejection(self, rejection: Rejection) -> None:
        self.rejections[content_id(rejection.reason, rejection.raw)] = rejection

    def add_group(self, mentions: Sequence[Mention], view: GroupView) -> None:
        self.groups[view.group] = (tuple(mentions), view)

    def __len__(self) -> int:
        return len(self.articles) + len(self.rejections) + len(self.groups)


def _utc_naive(ts: datetime | None) -> datetime | None:
    if ts is None:
        return None
    if ts.tzinfo is not None:
        ts = ts.astimezone(UTC).replace(tzinfo=None)
    return ts


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def connect(path: Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the DuckDB file, turning a lock conflict into an error that says what to do."""
    try:
        return duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as exc:
        msg = str(exc)
        if "lock" in msg.lower():
            holder = ""
            if "PID" in msg:
                holder = " (" + msg[msg.index("PID") :].split(")")[0].strip() + ")"
            raise StoreLockedError(
                f"{path} is held by another process{holder}. While `tolls up` runs, query it "
                "with `tolls query` (served by the worker) or open the snapshot file "
                f"{path.with_suffix('.snapshot.duckdb').name} read-only; otherwise stop the "
                "other process first."
            ) from exc
        raise


class Store:
    """The read-write owner of one DuckDB file."""

    def __init__(self, path: Path, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self.con = connect(self.path, read_only=read_only)
        if not read_only:
            self.con.execute(SCHEMA)

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing -------------------------------------------------------------------------

    def write(self, batch: Batch) -> list[TollUpdate]:
        """Apply one batch in one transaction; returns the toll changes it made."""
        if not len(batch):
            return []
        now = _now()
        con = self.con
        con.execute("BEGIN TRANSACTION")
        try:
            self._upsert_articles(batch.articles.values(), now)
            self._insert_rejections(batch.rejections.values(), now)
            changes = self._replace_groups(batch.groups, now) if batch.groups else []
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        return changes

    def _insert(self, table: str, rows: Sequence[tuple[Any, ...]], conflict: str = "") -> None:
        if not rows:
            return
        width = len(rows[0])
        placeholder = "(" + ",".join(["?"] * width) + ")"
        for i in range(0, len(rows), CHUNK_ROWS):
            chunk = rows[i : i + CHUNK_ROWS]
            params = [v for row in chunk for v in row]
            self.con.execute(
                f"INSERT INTO {table} VALUES {','.join([placeholder] * len(chunk))} {conflict}",
                params,
            )

    def _upsert_articles(self, items: Iterable[tuple[Article, int]], now: datetime) -> None:
        rows = [
            (a.id, a.title, a.outlet, a.url, _utc_naive(a.published_at), now, a.content_hash, n)
            for a, n in items
        ]
        self._insert(
            "articles",
            rows,
            "ON CONFLICT (article_id) DO UPDATE SET title = excluded.title, "
            "outlet = excluded.outlet, url = excluded.url, published_at = excluded.published_at, "
            "content_hash = excluded.content_hash, n_mentions = excluded.n_mentions",
        )

    def _insert_rejections(self, items: Iterable[Rejection], now: datetime) -> None:
        rows = [(content_id(r.reason, r.raw), r.article_id, r.reason, r.raw, now) for r in items]
        self._insert("rejected", rows, "ON CONFLICT DO NOTHING")

    def _old_tolls(self, groups: list[str]) -> list[Toll]:
        cur = self.con.execute(
            "SELECT event_id, metric, low, high, latest, n_claims, n_sources, claim_ids, "
            "latest_claim_id, latest_article_id FROM tolls WHERE list_contains(?, grp)",
            [groups],
        )
        return [
            Toll(
                event_id=r[0],
                metric=r[1],
                low=r[2],
                high=r[3],
                latest=r[4],
                n_claims=r[5],
                n_sources=r[6],
                claim_ids=tuple(r[7]),
                latest_claim_id=r[8],
                latest_article_id=r[9],
            )
            for r in cur.fetchall()
        ]

    def _replace_groups(
        self, groups: dict[str, tuple[tuple[Mention, ...], GroupView]], now: datetime
    ) -> list[TollUpdate]:
        keys = sorted(groups)
        old = self._old_tolls(keys)
        views = [groups[k][1] for k in keys]
        new = [t for v in views for t in v.tolls]
        changes = toll_changes(old, new)
        for table in DERIVED_TABLES:
            self.con.execute(f"DELETE FROM {table} WHERE list_contains(?, grp)", [keys])
        events, claims, mentions, tolls = [], [], [], []
        for k in keys:
            group_mentions, view = groups[k]
            claim_event = {c.claim_id: c.event_id for c in view.claims}
            events += [
                (
                    e.event_id,
                    k,
                    e.title,
                    e.location,
                    e.place,
                    e.country,
                    e.event_date,
                    _utc_naive(e.first_seen),
                    _utc_naive(e.last_updated),
                    None,
                )
                for e in view.events
            ]
            claims += [
                (
                    c.claim_id,
                    c.event_id,
                    k,
                    c.metric,
                    c.value,
                    c.qualifier,
                    c.source,
                    c.location,
                    c.event_date,
                    c.hedged,
                    _utc_naive(c.first_seen),
                    _utc_naive(c.last_seen),
                    c.n_articles,
                    list(c.article_ids),
                )
                for c in view.claims
            ]
            for m in group_mentions:
                claim_id = view.mention_claims[m.mention_id]
                mentions.append(
                    (
                        m.mention_id,
                        m.article_id,
                        claim_id,
                        claim_event[claim_id],
                        k,
                        m.metric,
                        m.value,
                        m.qualifier,
                        m.source,
                        m.location,
                        m.sentence,
                        m.span_start,
                        m.span_end,
                        _utc_naive(m.published_at),
                        m.model_dump_json(),
                    )
                )
            tolls += [
                (
                    t.event_id,
                    t.metric,
                    k,
                    t.low,
                    t.high,
                    t.latest,
                    t.n_claims,
                    t.n_sources,
                    list(t.claim_ids),
                    t.latest_claim_id,
                    t.latest_article_id,
                    now,
                )
                for t in view.tolls
            ]
        self._insert("events", events)
        self._insert("claims", claims)
        self._insert("mentions", mentions)
        self._insert("tolls", tolls)
        if changes:
            row = self.con.execute("SELECT coalesce(max(seq), 0) FROM toll_history").fetchone()
            seq = int(row[0]) if row else 0
            self._insert(
                "toll_history",
                [
                    (
                        c.event_id,
                        c.metric,
                        now,
                        seq + i,
                        c.new_low,
                        c.new_high,
                        c.new_latest,
                        c.old_low,
                        c.old_high,
                        c.old_latest,
                        c.claim_id,
                        c.article_id,
                    )
                    for i, c in enumerate(changes, 1)
                ],
            )
        self._link_parents(keys)
        titles = {e.event_id: e.title for v in views for e in v.events}
        sources = {c.claim_id: c.source for v in views for c in v.claims}
        return [
            TollUpdate(c, titles.get(c.event_id), sources.get(c.claim_id) if c.claim_id else None)
            for c in changes
        ]

    def _link_parents(self, groups: list[str]) -> None:
        """A city's event and the country-wide event of the same day: child and parent."""
        self.con.execute(
            """
            UPDATE events SET parent_event_id = p.event_id
            FROM events p
            WHERE p.place IS NOT NULL AND p.place = lower(p.country)
              AND p.country = events.country AND p.event_date = events.event_date
              AND events.place IS DISTINCT FROM p.place
              AND (list_contains(?, events.grp) OR list_contains(?, p.grp))
            """,
            [groups, groups],
        )

    # -- reading -------------------------------------------------------------------------

    def query(
        self, sql: str, max_rows: int | None = None
    ) -> tuple[list[str], list[tuple[Any, ...]]]:
        """Run one read-only statement on its own cursor; returns (columns, rows)."""
        check_read_only(self.con, sql)
        cur = self.con.cursor()
        try:
            result = cur.execute(sql)
            columns = [d[0] for d in result.description or []]
            rows = result.fetchmany(max_rows) if max_rows else result.fetchall()
        finally:
            cur.close()
        return columns, rows

    def group_mentions(self) -> Iterator[tuple[str, list[Mention]]]:
        """Every state group with its mentions, as written: to rebuild a lost stream state."""
        cur = self.con.cursor()
        try:
            cur.execute(
                "SELECT grp, list(mention ORDER BY mention_id) FROM mentions GROUP BY grp ORDER BY grp"
            )
            while rows := cur.fetchmany(500):
                for grp, raw in rows:
                    yield grp, [Mention.model_validate_json(m) for m in raw]
        finally:
            cur.close()

    def counts(self) -> dict[str, int]:
        return {
            t: int(self.con.execute(f"SELECT count(*) FROM {t}").fetchone()[0])  # type: ignore[index]
            for t in TABLES
        }

    def snapshot(self, target: Path) -> None:
        """Copy the database to ``target`` atomically (write a temp file, then rename)."""
        tmp = target.with_name(target.name + ".tmp")
        tmp.unlink(missing_ok=True)
        self.con.execute(f"ATTACH '{tmp}' AS snapshot_target")
        try:
            self.con.execute("COPY FROM DATABASE " + self._db_name() + " TO snapshot_target")
        finally:
            self.con.execute("DETACH snapshot_target")
        os.replace(tmp, target)

    def _db_name(self) -> str:
        row = self.con.execute("SELECT current_database()").fetchone()
        return str(row[0]) if row else "main"


def check_read_only(con: duckdb.DuckDBPyConnection, sql: str) -> None:
    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as exc:
        raise QueryRefused(f"could not parse the query: {exc}") from exc
    if len(statements) != 1:
        raise QueryRefused(f"send exactly one statement (got {len(statements)})")
    kind = statements[0].type.name
    if kind not in READ_STATEMENTS:
        raise QueryRefused(
            f"only read-only queries (SELECT, EXPLAIN) are served; this is a {kind} statement"
        )
