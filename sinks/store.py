"""DuckDB: the product's query surface (tables in DESIGN.md), written in idempotent batches.

The worker owns the only read-write connection (DuckDB allows one writing process or many
readers, never both). Everything is written through :meth:`Store.write`, one transaction
per micro-batch:

* ``articles`` and ``rejected`` are upserts keyed by content-derived ids.
* Everything derived from a state group (``events``, ``claims``, ``tolls``, ``mentions``) is
  *replaced* group by group from the group's full :class:`~processors.models.GroupView`, so
  writing the same view twice changes nothing, and a batch that is written again after a
  crash lands on exactly the same rows.
* ``stream_offsets`` holds, per input topic partition, the offset of the first message the
  tables do not yet reflect. It is written in the same transaction as the rows the batch
  produced, so the database and the position in the stream never disagree: a worker seeks
  there when it is assigned the partition, whatever offsets Kafka holds for its group.
* ``toll_history`` gets one row per toll whose (low, high, latest) differs from what the
  table held before the batch: the diff is taken against the database itself, inside the
  transaction, so redelivered input never adds history.

Reads go through :meth:`Store.query` (a cursor per request, only SELECT), and
:meth:`Store.snapshot` copies the whole database to a file that other processes may open.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb
import structlog

from processors.incremental import GroupChange
from processors.models import (
    Article,
    Claim,
    Event,
    GroupView,
    Mention,
    Rejection,
    Toll,
    content_id,
)
from processors.resolve import TollChange, toll_changes

log = structlog.get_logger("tolls.store")

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
    parent_event_id VARCHAR,
    place_kind      VARCHAR,
    PRIMARY KEY (grp, event_id)
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
    article_ids VARCHAR[],
    PRIMARY KEY (grp, claim_id)
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
    mention      JSON,
    scope        VARCHAR,
    PRIMARY KEY (grp, mention_id)
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
    updated_at        TIMESTAMP,
    PRIMARY KEY (grp, event_id, metric)
);
CREATE TABLE IF NOT EXISTS stream_offsets (
    topic       VARCHAR,
    part        INTEGER,
    next_offset BIGINT,
    updated_at  TIMESTAMP,
    PRIMARY KEY (topic, part)
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

# Lookups by group (a group read back after a restart) and by row key (the rows a batch
# replaces) go through ART indexes instead of scanning whole tables.
INDEXES = """
CREATE INDEX IF NOT EXISTS events_grp ON events (grp);
CREATE INDEX IF NOT EXISTS events_id ON events (event_id);
CREATE INDEX IF NOT EXISTS events_date ON events (event_date);
CREATE INDEX IF NOT EXISTS claims_grp ON claims (grp);
CREATE INDEX IF NOT EXISTS claims_id ON claims (claim_id);
CREATE INDEX IF NOT EXISTS mentions_grp ON mentions (grp);
CREATE INDEX IF NOT EXISTS mentions_id ON mentions (mention_id);
CREATE INDEX IF NOT EXISTS tolls_grp ON tolls (grp);
CREATE INDEX IF NOT EXISTS tolls_id ON tolls (event_id);
"""

# The natural key of each derived table. Ids are unique within a group by construction
# (resolve_group keys events, claims and tolls by them; a group's mention set is keyed by
# mention_id) and the store replaces rows group by group, but an id is not unique across
# groups: a mention re-extracted with another place lands in another group while the old
# group still holds it, and a file from before country groups holds an event under its
# place group ("UA|kyiv") with the id the country group ("UA|*") gives it now. So the
# group is part of every key. A mention of an aggregate or breakdown has no claim or event
# (NULL) and is keyed like any other. toll_history has no natural key: it is a log, one
# row per change, ordered by ``seq``.
PRIMARY_KEYS: dict[str, tuple[str, ...]] = {
    "events": ("grp", "event_id"),
    "claims": ("grp", "claim_id"),
    "mentions": ("grp", "mention_id"),
    "tolls": ("grp", "event_id", "metric"),
}

# Columns added since the first release: files written by an older worker gain them.
MIGRATIONS = """
ALTER TABLE events ADD COLUMN IF NOT EXISTS place_kind VARCHAR;
ALTER TABLE mentions ADD COLUMN IF NOT EXISTS mention JSON;
ALTER TABLE mentions ADD COLUMN IF NOT EXISTS scope VARCHAR;
"""

# articles with fewer mention rows than extraction found: (article_id, n_mentions, found)
MISSING_MENTIONS_SQL = """
SELECT a.article_id, a.n_mentions, coalesce(m.n, 0) AS found
FROM articles a
LEFT JOIN (SELECT article_id, count(*) AS n FROM mentions GROUP BY article_id) m USING (article_id)
WHERE coalesce(m.n, 0) < a.n_mentions
ORDER BY a.article_id
"""

DERIVED_TABLES = ("events", "claims", "mentions", "tolls")
TABLES = ("articles", "mentions", "claims", "events", "tolls", "toll_history", "rejected")
# Only SELECT: EXPLAIN ANALYZE runs the statement it explains, writes included.
READ_STATEMENTS = {"SELECT"}
CHUNK_ROWS = 10_000
# the snapshot's storage format: the oldest DuckDB 2.0 writes, read by every DuckDB >= 1.0
SNAPSHOT_FORMAT = "v1.0.0"


_SEP = "\x1f"  # joins a group and a row key (ids are hex, groups are printable)
_EVENT_COLS = (
    "event_id, grp, title, location, place, country, event_date, first_seen, last_updated, "
    "place_kind"
)
_CLAIM_COLS = (
    "claim_id, event_id, grp, metric, value, qualifier, source, location, event_date, hedged, "
    "first_seen, last_seen, n_articles, article_ids"
)
# table -> (indexed id column, the row's key within the database: group + id)
_KEYS = {
    "events": ("event_id", "grp || chr(31) || event_id"),
    "claims": ("claim_id", "grp || chr(31) || claim_id"),
    "mentions": ("mention_id", "grp || chr(31) || mention_id"),
    "tolls": ("event_id", "grp || chr(31) || event_id || chr(31) || metric"),
}


def _digest(raw: str) -> bytes:
    return hashlib.blake2b(raw.encode("utf-8"), digest_size=16).digest()


@dataclass
class _MentionRow:
    """A ``mentions`` row as the database holds it: the JSON's digest and the links.

    ``mention`` is the object last written (None when read back from the database): when
    the next view carries the very same object, its content is known to be unchanged.
    """

    mention: Mention | None
    digest: bytes
    claim_id: str | None
    event_id: str | None


@dataclass
class _GroupRows:
    """What the database holds for one group, by row key (see ``Store._groups``).

    ``events`` and ``claims`` hold whole rows (``events`` without ``parent_event_id``,
    which is in ``parents``), ``tolls`` the :class:`Toll` of each row (``updated_at``
    aside). ``dup`` marks a group that cannot be diffed row by row (a ``mentions`` row from
    before the ``mention`` column, or a view with a repeated id): it is replaced whole.
    """

    events: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    parents: dict[str, str | None] = field(default_factory=dict)
    claims: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    mentions: dict[str, _MentionRow] = field(default_factory=dict)
    tolls: dict[tuple[str, str], Toll] = field(default_factory=dict)
    dup: bool = False
    #: rows of closed events were forgotten (:meth:`forget`): a full change, which is
    #: compared with every row, needs the group read again
    partial: bool = False

    def forget(self, events: Collection[str]) -> None:
        """Drop the rows of events a state closed; the database keeps them."""
        closed = set(events)
        for eid in closed:
            self.events.pop(eid, None)
            self.parents.pop(eid, None)
        self.claims = {k: r for k, r in self.claims.items() if r[1] not in closed}
        self.mentions = {k: r for k, r in self.mentions.items() if r.event_id not in closed}
        self.tolls = {k: t for k, t in self.tolls.items() if k[0] not in closed}
        self.partial = True


def _event_row(group: str, e: Event) -> tuple[Any, ...]:
    return (
        e.event_id,
        group,
        e.title,
        e.location,
        e.place,
        e.country,
        e.event_date,
        _utc_naive(e.first_seen),
        _utc_naive(e.last_updated),
        e.place_kind,
    )


def _claim_row(group: str, c: Claim) -> tuple[Any, ...]:
    return (
        c.claim_id,
        c.event_id,
        group,
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
        tuple(c.article_ids),
    )


def _mention_row(
    group: str, m: Mention, claim_id: str | None, event_id: str | None, raw: str
) -> tuple[Any, ...]:
    return (
        m.mention_id,
        m.article_id,
        claim_id,
        event_id,
        group,
        m.metric,
        m.value,
        m.qualifier,
        m.source,
        m.location,
        m.sentence,
        m.span_start,
        m.span_end,
        _utc_naive(m.published_at),
        raw,
        m.scope,
    )


def _toll_row(group: str, t: Toll, now: datetime) -> tuple[Any, ...]:
    return (
        t.event_id,
        t.metric,
        group,
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


def _is_parent(row: tuple[Any, ...]) -> bool:
    """A country-wide event (an ``events`` row): a possible parent of its day's events."""
    kind, country, day = row[9], row[5], row[6]
    return kind == "country" and country is not None and day is not None


def _parent_of(
    row: tuple[Any, ...], candidates: dict[tuple[str, date], dict[tuple[str, str], str]]
) -> str | None:
    """The country-wide event of the same day as the ``events`` row, if there is one."""
    found = candidates.get((row[5], row[6]))
    if not found:
        return None
    ids = [eid for (_, eid), place in found.items() if place != row[4]]
    return min(ids) if ids else None


@dataclass
class _Writes:
    """The row changes of one batch's groups, gathered before any statement runs."""

    dels: dict[str, list[tuple[str, str]]] = field(
        default_factory=lambda: {t: [] for t in DERIVED_TABLES}
    )
    whole: list[str] = field(default_factory=list)  # groups replaced whole (see _GroupRows)
    events: list[tuple[str, tuple[Any, ...]]] = field(default_factory=list)  # (group, row)
    claims: list[tuple[Any, ...]] = field(default_factory=list)
    mentions: list[tuple[Any, ...]] = field(default_factory=list)
    tolls: list[tuple[Any, ...]] = field(default_factory=list)
    touch_tolls: list[tuple[str, str]] = field(default_factory=list)  # updated_at only
    touch_groups: list[str] = field(default_factory=list)  # every toll: updated_at only
    new_parents: list[tuple[str, str, str]] = field(default_factory=list)  # inserted


def _tolls_before(g: _GroupRows, change: GroupChange) -> list[Toll]:
    """The tolls the database holds that ``change`` may change (its toll history's "old")."""
    if change.full:
        return list(g.tolls.values())
    keys = {(t.event_id, t.metric) for t in change.view.tolls} | set(change.gone_tolls)
    return [g.tolls[key] for key in sorted(keys) if key in g.tolls]


def _move_candidates(
    k: str,
    was: tuple[Any, ...] | None,
    row: tuple[Any, ...] | None,
    candidates: dict[tuple[str, date], dict[tuple[str, str], str]],
) -> None:
    """Keep the possible parents in line with an ``events`` row that changed or went."""
    if was is not None and _is_parent(was):
        candidates.get((was[5], was[6]), {}).pop((k, was[0]), None)
    if row is not None and _is_parent(row):
        candidates.setdefault((row[5], row[6]), {})[(k, row[0])] = row[4]


def _diff_whole(
    k: str,
    change: GroupChange,
    g: _GroupRows,
    candidates: dict[tuple[str, date], dict[tuple[str, str], str]],
    now: datetime,
    w: _Writes,
) -> _GroupRows:
    """A full change: every row of the group compared with its view; the rows it leaves."""
    view = change.view
    cur = _GroupRows()
    cur.events = {e.event_id: _event_row(k, e) for e in view.events}
    cur.claims = {c.claim_id: _claim_row(k, c) for c in view.claims}
    cur.tolls = {(t.event_id, t.metric): t for t in view.tolls}
    cur.dup = (
        len(cur.events) != len(view.events)
        or len(cur.claims) != len(view.claims)
        or len(cur.tolls) != len(view.tolls)
    )
    replace = g.dup or cur.dup
    if replace:
        w.whole.append(k)
    # events
    for eid, row in cur.events.items():
        if replace or g.events.get(eid) != row:
            if not replace and eid in g.events:
                w.dels["events"].append((k, eid))
            w.events.append((k, row))
            if _is_parent(row):
                w.new_parents.append((row[5], row[6], eid))
    if not replace:
        w.dels["events"] += [(k, eid) for eid in g.events.keys() - cur.events.keys()]
    if g.events != cur.events or replace:
        for row in g.events.values():
            _move_candidates(k, row, None, candidates)
        for row in cur.events.values():
            _move_candidates(k, None, row, candidates)
    # claims
    for cid, row in cur.claims.items():
        if replace or g.claims.get(cid) != row:
            if not replace and cid in g.claims:
                w.dels["claims"].append((k, cid))
            w.claims.append((*row[:-1], list(row[-1])))
    if not replace:
        w.dels["claims"] += [(k, cid) for cid in g.claims.keys() - cur.claims.keys()]
    # tolls
    for key, t in cur.tolls.items():
        if replace or g.tolls.get(key) != t:
            if not replace and key in g.tolls:
                w.dels["tolls"].append((k, _SEP.join(key)))
            w.tolls.append(_toll_row(k, t, now))
        else:
            w.touch_tolls.append((k, _SEP.join(key)))
    if not replace:
        w.dels["tolls"] += [(k, _SEP.join(key)) for key in g.tolls.keys() - cur.tolls.keys()]
    # mentions
    _diff_mentions(k, change, {} if replace else g.mentions, cur.mentions, w)
    if not replace:
        w.dels["mentions"] += [(k, mid) for mid in g.mentions.keys() - cur.mentions.keys()]
    return cur


def _diff_partial(
    k: str,
    change: GroupChange,
    g: _GroupRows,
    candidates: dict[tuple[str, date], dict[tuple[str, str], str]],
    now: datetime,
    w: _Writes,
) -> None:
    """A partial change: the rows of the events it names, compared and updated in ``g``
    (the group's rows as the database holds them); every other row stays."""
    if g.dup:
        # only a full change follows rows read back (GroupState), and it rewrites them
        raise ValueError(f"group {k!r} has rows that cannot be diffed: send a full change")
    view = change.view
    for e in view.events:
        row, was = _event_row(k, e), g.events.get(e.event_id)
        if was != row:
            if was is not None:
                w.dels["events"].append((k, e.event_id))
            w.events.append((k, row))
            if _is_parent(row):
                w.new_parents.append((row[5], row[6], e.event_id))
            _move_candidates(k, was, row, candidates)
            g.events[e.event_id] = row
    for eid in change.gone_events:
        if eid in g.events:
            w.dels["events"].append((k, eid))
            _move_candidates(k, g.events.pop(eid), None, candidates)
            g.parents.pop(eid, None)
    for c in view.claims:
        row = _claim_row(k, c)
        if g.claims.get(c.claim_id) != row:
            if c.claim_id in g.claims:
                w.dels["claims"].append((k, c.claim_id))
            w.claims.append((*row[:-1], list(row[-1])))
            g.claims[c.claim_id] = row
    for cid in change.gone_claims:
        if g.claims.pop(cid, None) is not None:
            w.dels["claims"].append((k, cid))
    for t in view.tolls:
        key = (t.event_id, t.metric)
        if g.tolls.get(key) != t:
            if key in g.tolls:
                w.dels["tolls"].append((k, _SEP.join(key)))
            w.tolls.append(_toll_row(k, t, now))
            g.tolls[key] = t
    for key in change.gone_tolls:
        if g.tolls.pop(key, None) is not None:
            w.dels["tolls"].append((k, _SEP.join(key)))
    w.touch_groups.append(k)
    _diff_mentions(k, change, g.mentions, g.mentions, w)


def _diff_mentions(
    k: str,
    change: GroupChange,
    held: dict[str, _MentionRow],
    cur: dict[str, _MentionRow],
    w: _Writes,
) -> None:
    """The ``mentions`` rows of ``change.mentions`` that differ from ``held`` (the rows
    the database holds), written; ``cur`` gets the row of each."""
    view = change.view
    claim_event = {c.claim_id: c.event_id for c in view.claims}
    for m in change.mentions:
        # aggregates and breakdowns are stored, but belong to no claim or event
        claim_id = view.mention_claims.get(m.mention_id)
        event_id = claim_event[claim_id] if claim_id else None
        was = held.get(m.mention_id)
        raw = None
        if was is not None:
            same = was.mention is m
            if not same:
                raw = m.model_dump_json()
                same = _digest(raw) == was.digest
            if same and (was.claim_id, was.event_id) == (claim_id, event_id):
                was.mention = m  # next time, identity is enough
                cur[m.mention_id] = was
                continue
            w.dels["mentions"].append((k, m.mention_id))
        raw = raw or m.model_dump_json()
        cur[m.mention_id] = _MentionRow(m, _digest(raw), claim_id, event_id)
        w.mentions.append(_mention_row(k, m, claim_id, event_id, raw))


@dataclass(frozen=True)
class TollUpdate:
    """A toll change as written, with what a reader of the log needs to place it."""

    change: TollChange
    event_title: str | None
    source: str | None


class StoreLockedError(RuntimeError):
    """Another process holds the DuckDB file (``pid``: which one, when DuckDB says)."""

    def __init__(self, message: str, pid: int | None = None) -> None:
        super().__init__(message)
        self.pid = pid


class QueryRefused(ValueError):
    """A query that is not served. ``status``: 400 for a request that is not one parsable
    statement (or ran too long), 403 for a statement that is not a read."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class QueryResult:
    columns: list[str]
    rows: list[tuple[Any, ...]]
    truncated: bool  # more rows than the cap: only the first ``len(rows)`` are here


@dataclass
class Batch:
    """One micro-batch of changes, de-duplicated by key (later entries win)."""

    articles: dict[str, tuple[Article, int]] = field(default_factory=dict)
    rejections: dict[str, Rejection] = field(default_factory=dict)
    groups: dict[str, GroupChange] = field(default_factory=dict)
    #: (topic, partition) -> the next offset to read once this batch is written
    offsets: dict[tuple[str, int], int] = field(default_factory=dict)

    def add_article(self, article: Article, n_mentions: int) -> None:
        self.articles[article.id] = (article, n_mentions)

    def add_rejection(self, rejection: Rejection) -> None:
        self.rejections[content_id(rejection.reason, rejection.raw)] = rejection

    def add_group(self, mentions: Sequence[Mention], view: GroupView) -> None:
        """A group's whole view and all of its mentions (its rows are compared with all)."""
        # one mention per id (the table's key): a repeated id keeps the later mention
        unique = tuple({m.mention_id: m for m in mentions}.values())
        self.groups[view.group] = GroupChange(view.group, unique, view, full=True)

    def add_change(self, change: GroupChange) -> None:
        """What a :class:`~processors.incremental.GroupState` changed in a group. A
        partial change describes the rows after the group's previous change: at most one
        per group in a batch."""
        if not change.full and change.group in self.groups:
            raise ValueError(f"a second change of group {change.group!r} in one batch")
        self.groups[change.group] = change

    def __len__(self) -> int:
        return len(self.articles) + len(self.rejections) + len(self.groups) + len(self.offsets)


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
            pid = re.search(r"PID (\d+)", msg)
            raise StoreLockedError(
                f"{path} is held by another process{holder}. While `tolls up` runs, query it "
                "with `tolls query` (served by the worker) or open the snapshot file "
                f"{path.with_suffix('.snapshot.duckdb').name} read-only; otherwise stop the "
                "other process first.",
                int(pid.group(1)) if pid else None,
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
            self.con.execute(MIGRATIONS)
            dropped = add_primary_keys(self.con)
            if any(dropped.values()):
                # rows a crash of the old store left twice (or never addressable): the
                # group's next write replaced them anyway, but say what went
                log.warning("store_keys_added", db=str(self.path), rows_dropped=dropped)
            self.con.execute(INDEXES)
        lock_down(self.con, self.path.resolve().parent)
        self._cursor_lock = threading.Lock()
        self._column_types: dict[str, list[str]] = {}
        self._reset_cache()

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
            self._save_offsets(batch.offsets, now)
            con.execute("COMMIT")
        except BaseException:
            self._reset_cache()  # it may describe rows the rollback took back
            con.execute("ROLLBACK")
            raise
        return changes

    def _insert(self, table: str, rows: Sequence[tuple[Any, ...]], conflict: str = "") -> None:
        """Insert ``rows`` with one list parameter per column, unnested into rows: several
        times faster than a multi-row ``VALUES`` list of scalar parameters."""
        if not rows:
            return
        types = self._column_types.get(table)
        if types is None:
            described = self.con.execute(f"DESCRIBE {table}").fetchall()
            # JSON arrives as text and is cast on insert, like a VALUES parameter.
            types = [("VARCHAR" if r[1] == "JSON" else r[1]) for r in described]
            self._column_types[table] = types
        select = ", ".join(f"unnest(?::{t}[])" for t in types)
        for i in range(0, len(rows), CHUNK_ROWS):
            columns = [list(c) for c in zip(*rows[i : i + CHUNK_ROWS], strict=True)]
            self.con.execute(f"INSERT INTO {table} SELECT {select} {conflict}", columns)

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

    def _save_offsets(self, offsets: dict[tuple[str, int], int], now: datetime) -> None:
        rows = [(topic, part, offset, now) for (topic, part), offset in sorted(offsets.items())]
        self._insert(
            "stream_offsets",
            rows,
            "ON CONFLICT (topic, part) DO UPDATE SET next_offset = excluded.next_offset, "
            "updated_at = excluded.updated_at",
        )

    def offsets(self) -> dict[tuple[str, int], int]:
        """Per (topic, partition): the next offset to read, as of the last written batch."""
        rows = self.con.execute("SELECT topic, part, next_offset FROM stream_offsets").fetchall()
        return {(str(t), int(p)): int(o) for t, p, o in rows}

    def forget_offsets(self, topics: Iterable[str]) -> int:
        """Drop the stored positions of ``topics`` (their broker lost them); returns how many."""
        names = sorted(set(topics))
        if not names:
            return 0
        row = self.con.execute(
            "DELETE FROM stream_offsets WHERE topic = ANY(?) RETURNING 1", [names]
        ).fetchall()
        return len(row)

    # -- derived tables: write only what changed ------------------------------------------

    def _reset_cache(self) -> None:
        """Forget what the database is known to hold; it is read again when needed."""
        self._groups: dict[str, _GroupRows] = {}
        self._candidates: dict[tuple[str, date], dict[tuple[str, str], str]] | None = None
        self._seq: int | None = None

    def _load_groups(self, keys: list[str]) -> dict[str, _GroupRows]:
        """The rows the database holds for ``keys`` (an index lookup per table)."""
        out = {k: _GroupRows() for k in keys}
        con = self.con
        for r in con.execute(
            f"SELECT {_EVENT_COLS}, parent_event_id FROM events WHERE grp = ANY(?)",
            [keys],
        ).fetchall():
            g = out[r[1]]
            g.events[r[0]] = r[:-1]
            g.parents[r[0]] = r[-1]
        for r in con.execute(
            f"SELECT {_CLAIM_COLS} FROM claims WHERE grp = ANY(?)", [keys]
        ).fetchall():
            g = out[r[2]]
            g.claims[r[0]] = (*r[:-1], tuple(r[-1]))
        for r in con.execute(
            "SELECT mention_id, grp, claim_id, event_id, mention FROM mentions WHERE grp = ANY(?)",
            [keys],
        ).fetchall():
            g = out[r[1]]
            # a row from before the mention column (NULL): unknown content, rewrite it
            g.dup |= r[4] is None
            g.mentions[r[0]] = _MentionRow(None, _digest(r[4] or ""), r[2], r[3])
        for r in con.execute(
            "SELECT grp, event_id, metric, low, high, latest, n_claims, n_sources, claim_ids, "
            "latest_claim_id, latest_article_id FROM tolls WHERE grp = ANY(?)",
            [keys],
        ).fetchall():
            g = out[r[0]]
            g.tolls[(r[1], r[2])] = Toll(
                event_id=r[1],
                metric=r[2],
                low=r[3],
                high=r[4],
                latest=r[5],
                n_claims=r[6],
                n_sources=r[7],
                claim_ids=tuple(r[8]),
                latest_claim_id=r[9],
                latest_article_id=r[10],
            )
        return out

    def _load_candidates(self) -> dict[tuple[str, date], dict[tuple[str, str], str]]:
        """Every possible parent (a country-wide event), by (country, day): read once."""
        out: dict[tuple[str, date], dict[tuple[str, str], str]] = {}
        for grp, event_id, place, country, day in self.con.execute(
            "SELECT grp, event_id, place, country, event_date FROM events "
            "WHERE place_kind = 'country' AND country IS NOT NULL AND event_date IS NOT NULL"
        ).fetchall():
            out.setdefault((country, day), {})[(grp, event_id)] = place
        return out

    def _replace_groups(self, groups: dict[str, GroupChange], now: datetime) -> list[TollUpdate]:
        """Bring the derived rows of each group in line with its change, touching only the
        rows that differ from what the database holds (known from ``self._groups``, read
        from the database for a group not seen since this Store opened). A full change is
        compared with every row of the group; a partial one only with the rows of the
        events it names (:class:`~processors.incremental.GroupChange`)."""
        keys = sorted(groups)
        cold = [
            k for k in keys if k not in self._groups or (groups[k].full and self._groups[k].partial)
        ]
        if cold:
            self._groups.update(self._load_groups(cold))
        if self._candidates is None:
            self._candidates = self._load_candidates()
        candidates = self._candidates
        old_groups = {k: self._groups[k] for k in keys}
        old = [t for k in keys for t in _tolls_before(old_groups[k], groups[k])]
        views = [groups[k].view for k in keys]
        new = [t for v in views for t in v.tolls]
        changes = toll_changes(old, new)

        w = _Writes()
        for k in keys:
            if groups[k].full:
                self._groups[k] = _diff_whole(k, groups[k], old_groups[k], candidates, now, w)
            else:
                _diff_partial(k, groups[k], old_groups[k], candidates, now, w)

        # Parents, as linking after a full rewrite would leave them: every event of a
        # touched group points at the country-wide event of its day (or at nothing).
        parent_updates: list[tuple[str | None, str, str]] = []
        event_rows = []
        inserted: set[tuple[str, str]] = set()
        for k, row in w.events:
            parent = _parent_of(row, candidates)
            inserted.add((k, row[0]))
            self._groups[k].parents[row[0]] = parent
            # columns in table order: place_kind came last, after parent_event_id
            event_rows.append((*row[:9], parent, row[9]))
        for k in keys:
            # (for a partial change the rows were updated in place: the parents of the
            # events not inserted are still those written before)
            before, cur = old_groups[k].parents, self._groups[k]
            for eid, row in cur.events.items():
                if (k, eid) in inserted:
                    continue
                parent = _parent_of(row, candidates)
                if parent != before.get(eid):
                    parent_updates.append((parent, k, eid))
                cur.parents[eid] = parent

        dels, whole, touch_tolls, new_parents = w.dels, w.whole, w.touch_tolls, w.new_parents
        con = self.con
        if whole:
            for table in DERIVED_TABLES:
                con.execute(f"DELETE FROM {table} WHERE grp = ANY(?)", [whole])
        for table, pairs in dels.items():
            if pairs:
                id_col, pair = _KEYS[table]
                con.execute(
                    f"DELETE FROM {table} WHERE {id_col} = ANY(?) AND {pair} = ANY(?)",
                    [
                        sorted({p[1].split(_SEP)[0] for p in pairs}),
                        [g + _SEP + key for g, key in pairs],
                    ],
                )
        self._insert("events", event_rows)
        self._insert("claims", w.claims)
        self._insert("mentions", w.mentions)
        self._insert("tolls", w.tolls)
        if w.touch_groups:  # as after a full change: every toll of the group has ``now``
            con.execute("UPDATE tolls SET updated_at = ? WHERE grp = ANY(?)", [now, w.touch_groups])
        if touch_tolls:
            con.execute(
                f"UPDATE tolls SET updated_at = ? WHERE event_id = ANY(?) "
                f"AND {_KEYS['tolls'][1]} = ANY(?)",
                [
                    now,
                    sorted({p[1].split(_SEP)[0] for p in touch_tolls}),
                    [g + _SEP + key for g, key in touch_tolls],
                ],
            )
        for parent, k, eid in parent_updates:
            con.execute(
                "UPDATE events SET parent_event_id = ? WHERE event_id = ? AND grp = ?",
                [parent, eid, k],
            )
        if new_parents:
            self._link_children(new_parents, keys)
        for k in keys:
            if self._groups[k].dup:
                del self._groups[k]  # no per-row identity: read it again next time
            elif groups[k].closed_events:
                self._groups[k].forget(groups[k].closed_events)
        if changes:
            if self._seq is None:
                top = con.execute("SELECT coalesce(max(seq), 0) FROM toll_history").fetchone()
                self._seq = int(top[0]) if top else 0
            seq = self._seq
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
            self._seq = seq + len(changes)
        # only for the changes: a scan of every claim of a hot group costs as much as the diff
        changed_events = {c.event_id for c in changes}
        changed_claims = {c.claim_id for c in changes}
        titles = {
            e.event_id: e.title for v in views for e in v.events if e.event_id in changed_events
        }
        sources = {
            c.claim_id: c.source for v in views for c in v.claims if c.claim_id in changed_claims
        }
        return [
            TollUpdate(c, titles.get(c.event_id), sources.get(c.claim_id) if c.claim_id else None)
            for c in changes
        ]

    def _link_children(self, parents: list[tuple[str, str, str]], groups: list[str]) -> None:
        """A country-wide event that was (re)written becomes the parent of the same day's
        events in other groups (the touched groups' own events are already linked)."""
        country, day, event_id = (list(c) for c in zip(*parents, strict=True))
        linked = self.con.execute(
            """
            UPDATE events SET parent_event_id = p.event_id
            FROM (SELECT unnest(?::VARCHAR[]) AS country, unnest(?::DATE[]) AS event_date,
                         unnest(?::VARCHAR[]) AS event_id) p
            WHERE events.event_date = ANY(?)
              AND events.country = p.country AND events.event_date = p.event_date
              AND events.place_kind IS DISTINCT FROM 'country'
              AND events.parent_event_id IS DISTINCT FROM p.event_id
              AND NOT events.grp = ANY(?)
            RETURNING events.grp, events.event_id, events.parent_event_id
            """,
            [country, day, event_id, sorted(set(day)), groups],
        ).fetchall()
        for grp, eid, parent in linked:
            cached = self._groups.get(grp)
            if cached is not None:
                cached.parents[eid] = parent

    # -- reading -------------------------------------------------------------------------

    def query(
        self, sql: str, max_rows: int | None = None, timeout: float | None = None
    ) -> QueryResult:
        """Run one read-only statement on its own cursor (so on any thread, beside the
        writer, on a consistent state); at most ``max_rows`` rows, interrupted after
        ``timeout`` seconds (:class:`QueryRefused` then)."""
        cur = self.cursor()
        timer = threading.Timer(timeout, cur.interrupt) if timeout else None
        try:
            check_read_only(cur, sql)
            if timer:
                timer.start()
            result = cur.execute(sql)
            columns = [d[0] for d in result.description or []]
            if max_rows is None:
                rows, truncated = result.fetchall(), False
            else:
                rows = result.fetchmany(max_rows + 1)
                truncated = len(rows) > max_rows
                rows = rows[:max_rows]
        except duckdb.InterruptException as exc:
            raise QueryRefused(
                f"the query ran longer than {timeout:g} s and was stopped "
                "(TOLLS_QUERY_TIMEOUT_SECONDS); narrow it or add a LIMIT"
            ) from exc
        finally:
            if timer:
                timer.cancel()
            cur.close()
        return QueryResult(columns, rows, truncated)

    def mentions_of(self, group: str) -> tuple[Mention, ...]:
        """The mentions written for one group (empty for a group never written)."""
        return self.mentions_of_groups([group])[group]

    def mentions_of_groups(self, groups: Sequence[str]) -> dict[str, tuple[Mention, ...]]:
        """The mentions written for each of ``groups``, sorted by id (empty: never written)."""
        out: dict[str, list[Mention]] = {g: [] for g in groups}
        if not out:
            return {}
        rows = self.con.execute(
            "SELECT grp, mention FROM mentions WHERE grp = ANY(?) ORDER BY grp, mention_id",
            [sorted(out)],
        ).fetchall()
        for grp, raw in rows:
            if raw is not None:
                out[grp].append(Mention.model_validate_json(raw))
        return {g: tuple(ms) for g, ms in out.items()}

    def written_mentions(self, wanted: dict[str, Sequence[str]]) -> dict[str, set[str]]:
        """Of the mention ids wanted per group, those the database holds (an index lookup)."""
        out: dict[str, set[str]] = {g: set() for g in wanted}
        ids = sorted({i for v in wanted.values() for i in v})
        if not ids:
            return out
        for grp, mid in self.con.execute(
            "SELECT grp, mention_id FROM mentions WHERE mention_id = ANY(?) AND grp = ANY(?)",
            [ids, sorted(wanted)],
        ).fetchall():
            out[grp].add(mid)
        return out

    def missing_mentions(self, limit: int = 20) -> list[tuple[str, int, int]]:
        """Articles with fewer ``mentions`` rows than extraction found for them:
        (article_id, n_mentions, rows found), at most ``limit``. Empty when all is well."""
        cur = self.cursor()
        try:
            rows = cur.execute(MISSING_MENTIONS_SQL + " LIMIT ?", [limit]).fetchall()
        finally:
            cur.close()
        return [(str(a), int(n), int(f)) for a, n, f in rows]

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A connection of its own to this database, for one reader on any thread: it sees
        the last committed state while the writer goes on. Close it after use."""
        with self._cursor_lock:
            return self.con.cursor()

    def counts(self) -> dict[str, int]:
        """Rows per table (any thread)."""
        cur = self.cursor()
        try:
            sql = " UNION ALL ".join(f"SELECT '{t}', count(*) FROM {t}" for t in TABLES)
            found = dict(cur.execute(sql).fetchall())
            return {t: int(found[t]) for t in TABLES}
        finally:
            cur.close()

    def snapshot(self, target: Path) -> None:
        """Copy the database to ``target`` atomically (write a temp file, then rename), in
        storage format v1.0.0 so that DuckDB 1.x clients (CLI, older libraries) open it.
        Runs on its own connection (any thread): writes go on meanwhile."""
        tmp = target.with_name(target.name + ".tmp")
        tmp.unlink(missing_ok=True)
        quoted = str(tmp).replace("'", "''")
        cur = self.cursor()
        try:
            cur.execute(
                f"ATTACH '{quoted}' AS snapshot_target (STORAGE_VERSION '{SNAPSHOT_FORMAT}')"
            )
            try:
                # tables only, in one transaction (one consistent state): the indexes of the
                # writer are not needed to read, and DuckDB 1.x refuses the copies 2.x makes
                cur.execute("BEGIN TRANSACTION")
                for table in (*TABLES, "stream_offsets"):
                    cur.execute(f"CREATE TABLE snapshot_target.{table} AS FROM {table}")
                cur.execute("COMMIT")
            finally:
                cur.execute("DETACH snapshot_target")
        finally:
            cur.close()
        os.replace(tmp, target)


def add_primary_keys(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Give the derived tables of a file written before keys (no PRIMARY KEY) their key
    (:data:`PRIMARY_KEYS`); returns, per table rebuilt, the rows it dropped.

    DuckDB cannot add a key to a table that has rows in it, so each such table is rebuilt
    (same columns, same order, plus the key), all in one transaction: a failure leaves the
    file as it was. Of rows that share a key (the old store wrote them only after a crash
    left a group half-replaced; it rewrote such a group whole on its next write) the last
    written is kept, for ``mentions`` the last one with its ``mention`` JSON, which is what
    a group's state is read back from. Rows with a NULL key column (never written) cannot
    be addressed and are dropped. The indexes of a rebuilt table go with it; the caller
    creates them again (:data:`INDEXES`).
    """
    keyed = {
        t
        for (t,) in con.execute(
            "SELECT table_name FROM duckdb_constraints() WHERE constraint_type = 'PRIMARY KEY' "
            "AND database_name = current_database() AND schema_name = 'main'"
        ).fetchall()
    }
    todo = [t for t in PRIMARY_KEYS if t not in keyed]
    dropped: dict[str, int] = {}
    if not todo:
        return dropped
    con.execute("BEGIN TRANSACTION")
    try:
        for table in todo:
            key = PRIMARY_KEYS[table]
            columns = con.execute(
                "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = ? "
                "AND database_name = current_database() AND schema_name = 'main' "
                "ORDER BY column_index",
                [table],
            ).fetchall()
            defs = ", ".join(f'"{name}" {kind}' for name, kind in columns)
            con.execute(f"CREATE TABLE {table}__keyed ({defs}, PRIMARY KEY ({', '.join(key)}))")
            prefer = "mention IS NULL, " if table == "mentions" else ""
            (before,) = con.execute(f"SELECT count(*) FROM {table}").fetchone() or (0,)
            con.execute(
                f"INSERT INTO {table}__keyed SELECT * FROM {table} "
                f"WHERE {' AND '.join(f'{c} IS NOT NULL' for c in key)} "
                f"QUALIFY row_number() OVER (PARTITION BY {', '.join(key)} "
                f"ORDER BY {prefer}rowid DESC) = 1"
            )
            (after,) = con.execute(f"SELECT count(*) FROM {table}__keyed").fetchone() or (0,)
            con.execute(f"DROP TABLE {table}")  # and its indexes
            con.execute(f"ALTER TABLE {table}__keyed RENAME TO {table}")
            dropped[table] = int(before) - int(after)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return dropped


def lock_down(con: duckdb.DuckDBPyConnection, folder: Path) -> None:
    """DuckDB's own guards, for every connection of this database: no file or network
    access outside ``folder`` (no ``read_text('/etc/...')``, ``read_csv``, ``glob`` or URLs
    from a query), and no setting that a query could change back."""
    quoted = str(folder).replace("'", "''") + os.sep
    con.execute(f"SET allowed_directories = ['{quoted}']")
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")


def check_read_only(con: duckdb.DuckDBPyConnection, sql: str) -> None:
    if not sql or not sql.strip():
        raise QueryRefused("no SQL given: send one SELECT statement")
    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as exc:
        raise QueryRefused(f"could not parse the query: {exc}") from exc
    if len(statements) != 1:
        raise QueryRefused(f"send exactly one statement (got {len(statements)})")
    kind = statements[0].type.name
    if kind not in READ_STATEMENTS:
        raise QueryRefused(
            f"only read-only queries (SELECT) are served; this is a {kind} statement", 403
        )
