"""The processing steps both drivers share: the faust worker and ``tolls process``.

Nothing here knows about faust or DuckDB; the drivers move the values around. Keeping one
copy of these steps is what makes the stream and the batch path produce the same tables.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import defaultdict
from collections.abc import Iterable, Mapping
from concurrent.futures import Executor, ProcessPoolExecutor
from datetime import datetime, timedelta

import structlog

from processors.articles import message_key, parse_payload
from processors.extract import SCOPES, Extractor, default_extractor
from processors.incremental import GroupState
from processors.models import Article, Mention, Rejection
from processors.resolve import group_key
from sinks.store import Store, TollUpdate
from streams.settings import Settings

log = structlog.get_logger("tolls.worker")


class Pipeline:
    """parse -> extract -> group -> merge into state -> resolve."""

    def __init__(self, settings: Settings, extractor: Extractor | None = None) -> None:
        self.settings = settings
        self._extractor = extractor

    @property
    def extractor(self) -> Extractor:
        if self._extractor is None:
            self._extractor = default_extractor()
        return self._extractor

    def parse(
        self,
        payload: bytes | str | None,
        key: bytes | None = None,
        received_at: datetime | None = None,
    ) -> Article | Rejection:
        """Validate a message; ``key`` (the message key) names a rejection the payload
        cannot name. Without a key, the key ``tolls replay`` would give it is used.
        ``received_at`` (the message's timestamp) is the article's, unless it has one."""
        limits = {
            "max_message_bytes": self.settings.max_message_bytes,
            "max_text_bytes": self.settings.max_text_bytes,
        }
        result = parse_payload(payload, key=key, **limits)
        if key is None and payload and isinstance(result, Rejection) and not result.article_id:
            raw = payload if isinstance(payload, bytes) else payload.encode()
            result = parse_payload(payload, key=message_key(raw), **limits)
        if isinstance(result, Article) and result.received_at is None and received_at:
            result = result.model_copy(update={"received_at": received_at})
        return result

    def extract(self, article: Article) -> dict[str, list[Mention]]:
        """The article's mentions, split by the state group that owns them."""
        return split_by_group(self.extractor.extract(article, scopes=SCOPES))


def states_for(
    store: Store,
    cached: Mapping[str, GroupState],
    new: Mapping[str, list[Mention]],
    horizon: timedelta,
) -> tuple[dict[str, GroupState], dict[str, list[Mention]]]:
    """The state each group's new mentions go to, and the mentions to give it.

    A cached state, unless the batch reaches events it has closed (beyond its horizon).
    Then the mentions the database holds already are dropped (a replay of old articles:
    the first of an id wins), and if the rest still reaches closed events, the state is
    built again from every mention the database holds for the group, as for a group that
    is not cached. Runs where the store may be read (the sink's thread).
    """
    adds = dict(new)
    reaching = {g: ms for g, ms in new.items() if (s := cached.get(g)) and s.needs_history(ms)}
    if reaching:
        held = store.written_mentions({g: [m.mention_id for m in ms] for g, ms in reaching.items()})
        for g, ms in reaching.items():
            adds[g] = [m for m in ms if m.mention_id not in held[g]]
    states = {
        g: s
        for g in new
        if (s := cached.get(g)) is not None and (g not in reaching or not s.needs_history(adds[g]))
    }
    cold = [g for g in new if g not in states]
    stored = store.mentions_of_groups(cold)
    states.update({g: GroupState(g, stored[g], horizon=horizon) for g in cold})
    return states, adds


def extract_grouped(article: Article) -> dict[str, list[Mention]]:
    """Extraction with the process-wide default extractor: what extraction processes run."""
    return split_by_group(default_extractor().extract(article, scopes=SCOPES))


def warm_up(parent: int | None = None) -> None:
    """An extraction process's initializer: die with the worker, load the language model
    and the gazetteer."""
    if parent is not None:
        die_with_parent(parent)
    default_extractor().extract(Article(id="warm-up", text="Two people were killed."))


def die_with_parent(parent: int) -> None:
    """End this process when ``parent`` ends, however it ends (SIGKILL included).

    Linux sends SIGKILL on the parent's death (``PR_SET_PDEATHSIG``); a thread that watches
    the parent's pid covers systems without it, and a parent already gone ends us now.
    """
    import ctypes
    import signal
    import threading
    import time

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    if os.getppid() != parent:
        os._exit(0)
    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def extraction_pool(processes: int) -> Executor | None:
    """Processes that run extraction beside the worker (None: extract in a thread).

    Extraction is CPU-bound Python; in its own process it runs on another core while the
    worker's event loop keeps consuming, resolving and writing. ``spawn``, not ``fork``:
    the worker has threads by the time it needs the pool. The processes end with the
    worker (:func:`die_with_parent`), and start without the working directory on their
    import path (``PYTHONSAFEPATH``): a ``select.py`` in the folder the worker was started
    from must not replace the standard library's.
    """
    if processes <= 0:
        return None
    before = os.environ.get("PYTHONSAFEPATH")
    # read by the spawned interpreters at start (the resource tracker starts with the pool)
    os.environ["PYTHONSAFEPATH"] = "1"
    try:
        pool = ProcessPoolExecutor(
            max_workers=processes,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=warm_up,
            initargs=(os.getpid(),),
        )
        for _ in range(processes):
            pool.submit(os.getpid)  # start the processes now (they then warm up)
    finally:
        if before is None:
            del os.environ["PYTHONSAFEPATH"]
        else:
            os.environ["PYTHONSAFEPATH"] = before
    return pool


def pool_pids(pool: Executor | None) -> list[int]:
    """The processes an extraction pool runs (with multiprocessing's resource tracker)."""
    if not isinstance(pool, ProcessPoolExecutor):
        return []
    from multiprocessing import resource_tracker

    pids = list(getattr(pool, "_processes", None) or {})
    tracker = getattr(resource_tracker._resource_tracker, "_pid", None)
    return pids + ([tracker] if tracker else [])


def split_by_group(mentions: Iterable[Mention]) -> dict[str, list[Mention]]:
    groups: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        groups[group_key(m)].append(m)
    return dict(groups)


def country_of(group: str) -> str:
    """The partition key of a group: its country code (the part before the ``|``)."""
    return group.split("|", 1)[0]


def log_toll_change(update: TollUpdate) -> None:
    """One ``toll_updated`` line per toll change: the event, the metric, old and new values,
    and the article and source that caused it."""
    change = update.change
    log.info(
        "toll_updated",
        event_id=change.event_id,
        event_title=update.event_title,
        metric=change.metric,
        low=[change.old_low, change.new_low],
        high=[change.old_high, change.new_high],
        latest=[change.old_latest, change.new_latest],
        article_id=change.article_id,
        source=update.source,
    )
