"""Reading the tolls from another process: through the worker, or the file when it is idle.

While the worker runs it holds the DuckDB file, so ``tolls query`` asks the worker's
loopback endpoint; when no worker runs it opens the file read-only. Both paths give the
same columns and the same JSON-shaped values (dates as ISO strings).
"""

from __future__ import annotations

import csv
import io
import json
import sys
import time
import urllib.error
import urllib.request
from datetime import date, datetime
from pathlib import Path
from typing import Any

from streams.service import ServiceError, auth_headers, fetch_health, read_endpoint
from streams.settings import Settings

Result = tuple[list[str], list[list[Any]]]


class WorkerStarting(ServiceError):
    """The worker of the data dir is starting: it answers once it has taken up the stream."""


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, int | float | str | bool) or value is None:
        return value
    return str(value)


def query(settings: Settings, sql: str, max_rows: int | None = None) -> Result:
    """Rows of one SELECT, through the running worker or from the file. The worker caps
    the rows it returns (TOLLS_QUERY_MAX_ROWS): a capped answer says so on stderr."""
    columns, rows, truncated = _query(settings, sql, max_rows)
    if truncated:
        print(
            f"tolls: only the first {len(rows)} rows (the endpoint's TOLLS_QUERY_MAX_ROWS); "
            "add a LIMIT/OFFSET or a narrower WHERE for the rest",
            file=sys.stderr,
        )
    return columns, rows


def query_all(settings: Settings, sql: str) -> Result:
    """Every row of one SELECT, read page by page under the endpoint's row cap."""
    columns: list[str] = []
    rows: list[list[Any]] = []
    while True:
        paged = f"SELECT * FROM ({sql}) ORDER BY ALL OFFSET {len(rows)}"
        columns, part, truncated = _query(settings, paged, None)
        rows += part
        if not truncated or not part:
            return columns, rows


def _query(settings: Settings, sql: str, max_rows: int | None) -> tuple[list[str], list[Any], bool]:
    """One query; while the worker is starting, asked again for up to
    ``TOLLS_QUERY_WAIT_SECONDS`` (a query never reads a table that is about to change)."""
    deadline = time.monotonic() + settings.query_wait_seconds
    while True:
        try:
            return _query_once(settings, sql, max_rows)
        except WorkerStarting as exc:
            if time.monotonic() >= deadline:
                raise WorkerStarting(
                    f"{exc} (waited {settings.query_wait_seconds:g} s: TOLLS_QUERY_WAIT_SECONDS)"
                ) from exc
            time.sleep(0.5)


def _query_once(
    settings: Settings, sql: str, max_rows: int | None
) -> tuple[list[str], list[Any], bool]:
    endpoint = read_endpoint(settings)
    if endpoint is not None:
        return _query_http(settings, endpoint.url, sql, max_rows)
    columns, rows = query_file(settings, sql, max_rows)
    return columns, rows, False


def query_file(settings: Settings, sql: str, max_rows: int | None = None) -> Result:
    from sinks.store import QueryRefused, Store, StoreLockedError

    if not settings.db_path.exists():
        raise ServiceError(
            f"no database at {settings.db_path}. Run `tolls demo` or `tolls up` and "
            "`tolls replay` first, or point --data-dir at an existing one."
        )
    try:
        with Store(settings.db_path, read_only=True) as store:
            result = store.query(sql, max_rows, settings.query_timeout_seconds)
            columns, rows = result.columns, result.rows
    except StoreLockedError as exc:
        if _is_worker(exc.pid):
            # a worker holds the file before its endpoint is up (after a crash it first
            # waits a few seconds for the broker)
            raise WorkerStarting(f"the worker (pid {exc.pid}) is starting") from exc
        raise ServiceError(str(exc)) from exc
    except QueryRefused as exc:
        raise ServiceError(str(exc)) from exc
    except Exception as exc:
        raise ServiceError(f"query failed: {exc}") from exc
    return columns, [[_jsonable(v) for v in row] for row in rows]


def _is_worker(pid: int | None) -> bool:
    """Whether process ``pid`` is a `tolls up` worker (by its command line)."""
    if pid is None:
        return False
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return b"up" in argv and any(a.endswith((b"tolls", b"streams.cli")) for a in argv)


def health(settings: Settings) -> dict[str, Any] | None:
    """The running worker's /health answer (lag, idle, counts), or None when none runs."""
    endpoint = read_endpoint(settings)
    return None if endpoint is None else fetch_health(settings, endpoint, timeout=10)


def describe_lag(h: dict[str, Any] | None) -> str:
    """One line about where the worker stands, from its /health answer."""
    if h is None:
        return "worker: not running"
    lag = h.get("lag") or {}
    parts = ", ".join(f"{t} {'?' if n is None else n}" for t, n in lag.items())
    state = "idle" if h.get("idle") else ("starting" if h.get("status") != "ok" else "busy")
    return f"worker: {state}; not yet processed: {parts or 'nothing assigned'}"


def _query_http(
    settings: Settings, base: str, sql: str, max_rows: int | None
) -> tuple[list[str], list[Any], bool]:
    body = json.dumps({"sql": sql, "max_rows": max_rows}).encode()
    req = urllib.request.Request(
        f"{base}/query",
        data=body,
        headers={"Content-Type": "application/json", **auth_headers(settings)},
    )
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            payload = json.loads(resp.read())
    except urllib.error.HTTPError as exc:
        try:
            message = json.loads(exc.read()).get("error", str(exc))
        except ValueError:
            message = str(exc)
        if exc.code == 503:
            raise WorkerStarting(message) from exc
        raise ServiceError(message) from exc
    except urllib.error.URLError as exc:
        # its endpoint file is written just before it listens
        raise WorkerStarting(f"the worker at {base} did not answer: {exc.reason}") from exc
    return payload["columns"], payload["rows"], bool(payload.get("truncated"))


def render(result: Result, fmt: str = "table") -> str:
    columns, rows = result
    if fmt == "json":
        return json.dumps(
            [dict(zip(columns, r, strict=True)) for r in rows], ensure_ascii=False, indent=1
        )
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(columns)
        writer.writerows(rows)
        return out.getvalue().rstrip("\n")
    return render_table(columns, rows)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ",".join(_cell(v) for v in value)
    return str(value)


def render_table(columns: list[str], rows: list[list[Any]], max_width: int = 48) -> str:
    cells = [[_cell(v) for v in row] for row in rows]
    cells = [[c if len(c) <= max_width else c[: max_width - 1] + "…" for c in row] for row in cells]
    widths = [len(c) for c in columns]
    for row in cells:
        widths = [max(w, len(c)) for w, c in zip(widths, row, strict=True)]
    numeric = [
        all(isinstance(r[i], int | float) or r[i] is None for r in rows) and bool(rows)
        for i in range(len(columns))
    ]

    def line(values: list[str]) -> str:
        return "  ".join(
            v.rjust(w) if numeric[i] else v.ljust(w)
            for i, (v, w) in enumerate(zip(values, widths, strict=True))
        ).rstrip()

    out = [line(columns), line(["-" * w for w in widths])]
    out += [line(r) for r in cells]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)


TOLLS_SQL = """
SELECT e.title AS event, t.metric, t.low, t.high, t.latest, t.n_claims AS claims,
       t.n_sources AS sources
FROM tolls t JOIN events e USING (event_id)
ORDER BY e.event_date DESC NULLS LAST, t.high DESC, e.title, t.metric
"""
