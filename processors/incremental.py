"""One group resolved batch by batch: the view :func:`~processors.resolve.resolve_group`
gives for the group's whole mention set, at a cost that follows what a batch adds rather
than the group's history.

A group's state (:class:`GroupState`) keeps its mentions and what resolving them gave:
the per-place events (*atoms*), the links between levels of place, and each event's rows.
A batch of new mentions changes nothing before a *cut* day, so only the atoms on or after
it are formed again, only the links that can see them are decided again, and only the
events whose atoms or links changed are built again. Why that is exact, step by step
(``P`` a publication date, ``E`` an explicit event date, windows as in
:mod:`processors.resolve`):

1. **Pass 2 before the cut decides as before.** An undated mention with a publication
   date is decided in a canonical order (those naming a weekday by publication time, then
   the others by publication time), from the explicitly dated events within
   ``[P - 7, P + 1]`` and the inferred events the mentions before it made. A new dated
   mention changes the decisions of mentions published on or after ``E - 1``; a new
   undated one those decided after it, published on or after its own ``P``. A changed
   decision of a weekday mention published on ``P'`` makes or unmakes an inferred event
   no earlier than ``P' - 6``, which a mention without a weekday sees only when published
   on or after that day. So with the cut ``C = min(E - 1 - 6, P - 6)`` over the batch,
   every decision of a mention published before ``C`` stands (:func:`_cut`).
2. **Atoms from ``C - 7`` on are formed again from their exact inputs.** A place's atoms
   depend on that place's mentions only, so only the places of the batch are formed
   again. The mentions published on or after ``C`` can only land on days from ``C - 7``
   on; they are decided again, after the mentions published in the eight days before
   ``C`` are replayed with their earlier decision (``decided`` in
   :func:`~processors.resolve._assign_events`): those are the only ones whose inferred
   events the later ones can see. Atoms before ``C - 7`` hold only mentions decided before
   the cut, and keep them.
3. **Links within reach of a changed atom are decided again.** An atom's link to a finer
   one reads the atoms within a week of it and the figures of the articles it shares with
   them; so the links of every atom from ``C - 14`` on are decided again, among the atoms
   from ``C - 21`` on. The articles of the batch may also have older mentions (a
   re-extracted article): those count as new for the cut, so every atom that holds one is
   past it.
4. **Events that none of this touched are kept.** An event is a chain of atoms; one with
   no atom whose link was decided again, no changed atom, and that no atom newly links
   into, has the same atoms and links, so the same rows. The others (and the atoms they
   hold) are grouped by their new roots and built again, unless an event ends up with the
   very same atoms.

A place with a mention that has neither an event date nor a publication date (pass 3: it
joins the latest event of the place, however old) and a place whose reading changes (it
moves every event of that place) are outside this argument: a batch about such a place
resolves the group from scratch, as does the first batch after the state was read back
(the database may hold rows of another version).

**The horizon.** So the reach of a batch is bounded (:data:`NEAR`: four weeks before its
earliest day), and a state with a ``horizon`` keeps in memory only the events that a
report up to ``horizon`` late can still reach: an event whose last day is more than
``NEAR + horizon`` before the newest publication day is *closed*, its mentions and atoms
dropped (its rows stay in the database). An article is closed with all of its mentions
or not at all (a link reads the figures of an article's other atoms). A batch that would
read a closed event (a report about its days, a new mention of a closed article, or one
that makes a place resolve whole) is refused (:meth:`GroupState.needs_history`): the
caller builds a new state from every stored mention, which resolves the group whole,
exactly as before; it closes again from the next newer publication day.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from processors.models import GroupView, Mention, Metric
from processors.resolve import (
    _LEVEL_REACH,
    UPDATE_LOOKBACK,
    WEEKDAY_LOOKAHEAD,
    WEEKDAY_LOOKBACK,
    _assign_events,
    _Atom,
    _atoms_of,
    _attach_levels,
    _best_reading,
    _build_event,
    _Built,
    _chains,
    _dedupe,
    _figure_parts,
    _finer_atom,
    _index_below,
    _place_atoms,
    _place_group,
    _Reading,
    _reading,
    _view,
)

# How far before its publication date a mention can land (the longest window).
_REACH = max(UPDATE_LOOKBACK, WEEKDAY_LOOKBACK)
# How far before its publication date a weekday mention makes an inferred event.
_WEEK_BACK = timedelta(days=6)
#: How far before a new mention's day a batch reads the state (steps 1-3: the cut, then
#: the atoms formed again, the links decided again and the atoms those links read).
NEAR = WEEKDAY_LOOKAHEAD + _WEEK_BACK + _REACH + 2 * _LEVEL_REACH


class HistoryNeeded(RuntimeError):
    """A batch reaches events the state has closed: build the state again from every
    mention of the group (:meth:`GroupState.needs_history`)."""


@dataclass(frozen=True)
class GroupChange:
    """What one batch changed in a group, as the sink writes it.

    ``full``: ``view`` is the group's whole view and ``mentions`` all of its mentions; the
    sink compares them with every row it holds for the group. Otherwise ``view`` holds
    only the events built again (each with all its claims, tolls and mention links),
    ``mentions`` the mentions whose row may differ (the new ones and those of the events
    built again), and ``gone_*`` the rows of those events, or of events that are no more,
    that no longer exist; every other row of the group stays as it is.
    """

    group: str
    mentions: tuple[Mention, ...]
    view: GroupView
    full: bool
    gone_events: tuple[str, ...] = ()
    gone_claims: tuple[str, ...] = ()
    gone_tolls: tuple[tuple[str, Metric], ...] = ()
    #: events the state closed after this change (beyond its horizon): their rows stay in
    #: the database as written, and no later partial change names them
    closed_events: tuple[str, ...] = ()


@dataclass
class _Event:
    """An event of the state: its member atoms (id order) and its rows."""

    members: list[_Atom]
    built: _Built


def _cut(m: Mention) -> date:
    """The first publication day whose pass-2 decisions a new (or revised) mention may
    change (step 1 of the module docstring). Only for mentions with some date."""
    if m.event_date is not None:
        return m.event_date - WEEKDAY_LOOKAHEAD - _WEEK_BACK
    assert m.published_at is not None
    return m.published_at.date() - _WEEK_BACK


def _dateless(m: Mention) -> bool:
    return m.event_date is None and m.published_at is None


def _from(index: Sequence[tuple[date, str]], day: date) -> Sequence[tuple[date, str]]:
    """The entries of a sorted (day, id) index from ``day`` on."""
    return index[bisect_left(index, (day, "")) :]


class GroupState:
    """A group's mentions and what resolving them gave, advanced batch by batch.

    :meth:`add` takes a batch's mentions and returns the :class:`GroupChange` to write;
    :meth:`view` is always ``resolve_group(group, mentions)`` over every mention added
    (a repeated mention id keeps the first mention: redelivery changes nothing), less the
    events closed beyond ``horizon`` (see the module docstring; None: never close).
    Not thread-safe: one batch at a time.
    """

    def __init__(
        self, group: str, mentions: Iterable[Mention] = (), horizon: timedelta | None = None
    ) -> None:
        self.group = group
        self.horizon = horizon
        self._mentions: dict[str, Mention] = {}  # as given, every scope
        for m in mentions:
            self._mentions.setdefault(m.mention_id, m)
        # Nothing is resolved until the first add: it resolves every mention and gives a
        # full change (the rows the database holds may come from another version).
        self._written = False
        self._closed_articles: set[str] = set()
        self._closed_through: date | None = None  # the last day of a closed event
        self._newest: date | None = None  # the newest publication day
        self._closed_at: date | None = None  # ``_newest`` when events were last closed

    @property
    def mentions(self) -> tuple[Mention, ...]:
        """Every mention of the group, by id."""
        return tuple(self._mentions[k] for k in sorted(self._mentions))

    def view(self) -> GroupView:
        """The group's whole view after the last :meth:`add` (equal to ``resolve_group`` on
        :attr:`mentions`)."""
        return _view(self.group, (e.built for e in self._events.values()))

    def needs_history(self, mentions: Iterable[Mention]) -> bool:
        """Whether :meth:`add` of these mentions would read events this state closed (then
        it raises :class:`HistoryNeeded`): build a new state from every stored mention of
        the group, the new ones added to it."""
        if self._closed_through is None:
            return False  # nothing closed (most batches): no need to look at the mentions
        fresh = self._fresh(mentions)
        return self._beyond(
            fresh.values(), _dedupe(m for m in fresh.values() if m.scope == "event")
        )

    def _fresh(self, mentions: Iterable[Mention]) -> dict[str, Mention]:
        """The mentions whose id the state has not seen (the first of an id wins)."""
        fresh: dict[str, Mention] = {}
        for m in mentions:
            if m.mention_id not in self._mentions:
                fresh.setdefault(m.mention_id, m)
        return fresh

    def _beyond(self, fresh: Iterable[Mention], new: Sequence[Mention]) -> bool:
        if self._closed_through is None:
            return False
        if any(m.article_id in self._closed_articles for m in fresh):
            return True
        if not new:
            return False
        if not self._fits(new):
            return True  # resolved whole: it needs every mention
        moved = [
            *new,
            *(self._resolved[i] for m in new for i in self._by_article.get(m.article_id, ())),
        ]
        return min(_cut(m) for m in moved) - (NEAR - WEEKDAY_LOOKAHEAD - _WEEK_BACK) <= (
            self._closed_through
        )

    def add(self, mentions: Iterable[Mention]) -> GroupChange:
        """Add a batch's mentions; what changed, for the sink."""
        fresh = self._fresh(mentions)
        new = _dedupe(m for m in fresh.values() if m.scope == "event")
        if self._beyond(fresh.values(), new):
            raise HistoryNeeded(f"group {self.group!r}: the batch reaches closed events")
        self._mentions.update(fresh)
        if not self._written or not self._fits(new):
            read_back = not self._written
            self._rebuild()
            self._written = True
            if read_back:
                # (a restart, or a report that reached closed events) close again only from
                # the next newer publication day, so that an archive replayed out of date
                # order does not read the group back batch after batch
                self._closed_at = self._newest
            change = GroupChange(self.group, self.mentions, self.view(), full=True)
        else:
            old, rebuilt = self._advance(new) if new else ({}, [])
            change = self._change(fresh.values(), old, rebuilt)
        closed = self._close()
        return replace(change, closed_events=closed) if closed else change

    # -- from scratch ------------------------------------------------------------------

    def _rebuild(self) -> None:
        """Resolve every mention from scratch (as resolve_group) and index what it gave."""
        ms = _dedupe(m for m in self._mentions.values() if m.scope == "event")
        # pass 3 (mentions with no date at all) reads all of a place: never incremental
        self._dateless_places = {_place_group(m) for m in ms if _dateless(m)}
        self._resolved: dict[str, Mention] = {}  # scope "event", times made UTC
        self._by_article: dict[str, list[str]] = {}
        self._dated: list[tuple[date, str]] = []  # (event date, id), sorted
        self._published: list[tuple[date, str]] = []  # pass 2: (publication date, id), sorted
        self._readings: dict[str, _Reading] = {}
        for m in ms:
            self._take(m, append=True)
        self._dated.sort()
        self._published.sort()
        atoms = _atoms_of(ms)
        self._parent = _attach_levels(atoms)
        self._atoms: dict[str, _Atom] = {}
        self._days: list[tuple[date, str]] = []  # (atom day, atom id), sorted
        self._atom_of: dict[str, str] = {}  # mention id -> atom id
        self._hits: dict[str, date] = {}  # pass 2: mention id -> the day it was given
        for a in atoms:
            self._put_atom(a)
        self._root_of: dict[str, str] = {}
        self._events: dict[str, _Event] = {}
        for root, members in _chains(atoms, self._parent):
            self._set_event(root, members)

    def _take(self, m: Mention, append: bool = False) -> None:
        """Index a resolved mention (its reading of its place included); ``append``: to
        sort the date indexes once after many."""
        self._resolved[m.mention_id] = m
        self._by_article.setdefault(m.article_id, []).append(m.mention_id)
        if m.published_at is not None and (
            self._newest is None or m.published_at.date() > self._newest
        ):
            self._newest = m.published_at.date()
        put = list.append if append else insort
        if m.event_date is not None:
            put(self._dated, (m.event_date, m.mention_id))
        elif m.published_at is not None:
            put(self._published, (m.published_at.date(), m.mention_id))
        key, reading = _place_group(m), _reading(m)
        self._readings[key] = _best_reading((reading, self._readings.get(key, reading)))

    def _fits(self, new: Sequence[Mention]) -> bool:
        """Whether the incremental argument covers these new mentions: each has a date or
        a publication date, none changes how its place is read, and none (nor an older
        mention of its article) is about a place with mentions that have no date at all."""
        for m in new:
            known = self._readings.get(_place_group(m))
            if _dateless(m) or (known is not None and _best_reading((known, _reading(m))) != known):
                return False
        older = (self._resolved[i] for m in new for i in self._by_article.get(m.article_id, ()))
        places = {_place_group(m) for m in (*new, *older)}
        return self._dateless_places.isdisjoint(places)

    def _put_atom(self, a: _Atom) -> None:
        self._atoms[a.id] = a
        if a.day is not None:
            insort(self._days, (a.day, a.id))
        for m in a.mentions:
            self._atom_of[m.mention_id] = a.id
            if m.event_date is None and m.published_at is not None:
                # (at a place with dateless mentions an inferred event may have moved
                # after pass 2: such a place is never formed again, so this is not read)
                self._hits[m.mention_id] = a.ekey[0]  # type: ignore[assignment]

    def _drop_atom(self, atom_id: str) -> None:
        a = self._atoms.pop(atom_id)
        if a.day is not None:
            del self._days[bisect_left(self._days, (a.day, a.id))]

    def _set_event(self, root: _Atom, members: list[_Atom]) -> _Event:
        event = self._events[root.id] = _Event(members, _build_event(self.group, root, members))
        for a in members:
            self._root_of[a.id] = root.id
        return event

    # -- the horizon -------------------------------------------------------------------

    def _close(self) -> tuple[str, ...]:
        """Close the events beyond the horizon (once per new publication day); returns
        their ids."""
        if self.horizon is None or self._newest is None or self._newest == self._closed_at:
            return ()
        self._closed_at = self._newest
        if self._dateless_places:
            return ()  # such a place resolves whole: it needs every mention
        limit = self._newest - NEAR - self.horizon
        closing = {
            r: e
            for r, e in self._events.items()
            if all(a.day is not None and a.day < limit for a in e.members)
        }
        while closing:  # an article closes with all of its mentions or not at all
            open_articles = {
                aid
                for r, e in self._events.items()
                if r not in closing
                for a in e.members
                for aid in a.article_ids
            }
            stay = [
                r
                for r, e in closing.items()
                if any(not open_articles.isdisjoint(a.article_ids) for a in e.members)
            ]
            if not stay:
                break
            for r in stay:
                del closing[r]
        if not closing:
            return ()
        articles: set[str] = set()
        for r, e in closing.items():
            for a in e.members:
                self._drop_atom(a.id)
                self._parent.pop(a.id, None)
                self._root_of.pop(a.id, None)
                articles |= a.article_ids
                assert a.day is not None
                if self._closed_through is None or a.day > self._closed_through:
                    self._closed_through = a.day
            del self._events[r]
        for aid in articles:
            for i in self._by_article.pop(aid):
                del self._resolved[i]
                self._atom_of.pop(i, None)
                self._hits.pop(i, None)
        # and the mentions that feed no event (totals, breakdowns) of those articles, or
        # of articles with no other mention here, published before the limit
        for i, m in list(self._mentions.items()):
            if m.article_id in articles or (
                m.article_id not in self._by_article
                and m.published_at is not None
                and m.published_at.date() < limit
            ):
                del self._mentions[i]
                self._closed_articles.add(m.article_id)
        self._closed_articles |= articles
        self._dated = [x for x in self._dated if x[1] in self._resolved]
        self._published = [x for x in self._published if x[1] in self._resolved]
        return tuple(sorted(closing))

    # -- one batch ---------------------------------------------------------------------

    def _advance(self, new: Sequence[Mention]) -> tuple[dict[str, _Event], list[_Event]]:
        """Resolve the new mentions into the state (steps 1-4 of the module docstring);
        returns the events before the batch that changed or went (by root id) and the
        events built again."""
        for m in new:
            self._take(m)
        articles = {m.article_id for m in new}
        moved = [self._resolved[i] for a in articles for i in self._by_article[a]]
        cut = min(_cut(m) for m in moved)
        start = cut - _REACH
        changed, removed = self._reform({_place_group(m) for m in moved}, start, cut)
        # step 3: links within reach of a changed atom
        relink_from = start - _LEVEL_REACH
        near = [self._atoms[i] for _, i in _from(self._days, relink_from - _LEVEL_REACH)]
        below = _index_below(near)
        parts = _figure_parts(self._atoms_of_articles({x for a in near for x in a.article_ids}))
        relinked = [a for a in near if a.day is not None and a.day >= relink_from]
        links = {a.id: _finer_atom(a, below, self._atoms, parts) for a in relinked}
        # step 4: the events that any of this touched, and what they hold now
        touched = removed | changed | links.keys() | {p for p in links.values() if p}
        old = {r: self._events[r] for r in {self._root_of.get(i) for i in touched} if r}
        for atom_id in removed:
            self._parent.pop(atom_id, None)
            self._root_of.pop(atom_id, None)
        for atom_id, finer in links.items():
            if finer is None:
                self._parent.pop(atom_id, None)
            else:
                self._parent[atom_id] = finer
        held = {a.id for e in old.values() for a in e.members} - removed
        atoms = [self._atoms[i] for i in sorted(held | changed | links.keys())]
        rebuilt = []
        for root, members in _chains(atoms, self._parent):
            was = self._events.get(root.id)  # if any, one of ``old``
            if was is not None and _same_atoms(was.members, members):
                del old[root.id]  # the very same event
                continue
            rebuilt.append(self._set_event(root, members))
        for root_id in old.keys() - {e.built.event.event_id for e in rebuilt}:  # gone
            del self._events[root_id]
        return old, rebuilt

    def _reform(self, places: set[str], start: date, cut: date) -> tuple[set[str], set[str]]:
        """Step 2: the atoms of ``places`` from ``start`` on, formed again (a place's atoms
        depend on its own mentions only); returns the ids of the atoms that changed (or are
        new) and of those that are no more."""
        decided: dict[str, date] = {}
        ids = [i for _, i in _from(self._dated, start)]
        for day, i in _from(self._published, start - WEEKDAY_LOOKAHEAD):
            ids.append(i)
            if day < cut:
                decided[i] = self._hits[i]
        by_key: dict[str, list[Mention]] = {}
        for i in sorted(ids):
            m = self._resolved[i]
            if (key := _place_group(m)) in places:
                by_key.setdefault(key, []).append(m)
        formed: dict[str, _Atom] = {}
        for key, ms in by_key.items():
            events = _assign_events(ms, decided)
            for a in _place_atoms(key, self._readings[key], events):
                if a.day is not None and a.day >= start:
                    formed[a.id] = a
        before = {i for _, i in _from(self._days, start) if self._atoms[i].key in places}
        changed = {i for i, a in formed.items() if not self._holds(i, a)}
        removed = before - formed.keys()
        for atom_id in removed | (changed & before):
            self._drop_atom(atom_id)
        for atom_id in changed:
            self._put_atom(formed[atom_id])
        return changed, removed

    def _holds(self, atom_id: str, atom: _Atom) -> bool:
        """Whether the state has this atom already, with the same mentions."""
        was = self._atoms.get(atom_id)
        return was is not None and {m.mention_id for m in was.mentions} == {
            m.mention_id for m in atom.mentions
        }

    def _atoms_of_articles(self, articles: Iterable[str]) -> list[_Atom]:
        """Every atom holding a mention of one of ``articles``."""
        ids = {self._atom_of[i] for a in articles for i in self._by_article[a]}
        return [self._atoms[i] for i in ids]

    def _change(
        self, fresh: Iterable[Mention], old: dict[str, _Event], rebuilt: list[_Event]
    ) -> GroupChange:
        """The partial change: the rebuilt events' rows, and what the old ones had that no
        longer exists."""
        view = _view(self.group, (e.built for e in rebuilt))
        claims = {c.claim_id for c in view.claims}
        tolls = {(t.event_id, t.metric) for t in view.tolls}
        events = {e.event_id for e in view.events}
        before = [e.built for e in old.values()]
        written = {m.mention_id: m for m in fresh}
        for e in rebuilt:
            for a in e.members:
                for m in a.mentions:
                    written.setdefault(m.mention_id, self._mentions[m.mention_id])
        return GroupChange(
            self.group,
            tuple(written[k] for k in sorted(written)),
            view,
            full=False,
            gone_events=tuple(sorted({b.event.event_id for b in before} - events)),
            gone_claims=tuple(sorted({c.claim_id for b in before for c in b.claims} - claims)),
            gone_tolls=tuple(
                sorted({(t.event_id, t.metric) for b in before for t in b.tolls} - tolls)
            ),
        )


def _same_atoms(a: Sequence[_Atom], b: Sequence[_Atom]) -> bool:
    return len(a) == len(b) and all(x is y for x, y in zip(a, b, strict=True))
