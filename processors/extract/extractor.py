"""The extractor: an article's text -> the casualty figures it states."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from processors.attribution import SourceMemory, default_registry
from processors.dates import DateMention, find_dates
from processors.extract.attribution import speaker_marks, titled_people
from processors.extract.boundaries import restore_boundaries
from processors.extract.candidate import Found
from processors.extract.context import ArticleState, Context, build_context
from processors.extract.entities import EntityReader, entity_reader
from processors.extract.lexicon import CASUALTY_RE, FIGURE_HINT_RE
from processors.extract.location import narrow_to_event_place, relocate_weak, widen_nationwide
from processors.extract.merge import dedupe, drop_split_totals, spread_split_totals, to_mentions
from processors.extract.parse import load_ner, load_spacy
from processors.extract.sentence import claims_in_unit, may_hold_claim
from processors.extract.units import blank_datelines, split_units
from processors.models import Article, Mention
from processors.places import Gazetteer, default_gazetteer


@dataclass
class Run:
    """What the passes share about one article."""

    article: Article  # its datelines blanked
    scopes: tuple[str, ...]  # the scopes asked for
    units: list[tuple[int, int]]  # sentence units
    candidates: list[int]  # the units that can hold a claim
    ctx: Context
    state: ArticleState  # sources named so far, the last metric
    all_dates: list[DateMention]
    article_year: int | None
    nlp: Any

    @property
    def ref(self) -> date | None:
        return self.article.published_date


def _on_events(found: Found, step: Callable[[Found], Found]) -> Found:
    """``found`` with its event figures replaced, one for one and in order, by what
    ``step`` makes of them; figures of other scopes stay as they are, where they are."""
    at = [n for n, (_, c) in enumerate(found) if c.scope == "event"]
    out = list(found)
    for n, new in zip(at, step([found[n] for n in at]), strict=True):
        out[n] = new
    return out


def find_claims(found: Found, run: Run) -> Found:
    """Parse the units that can hold a claim (with the commas degraded copy lost before a
    speaker put back: :func:`restore_boundaries`); each yields its candidates with metric,
    scope, qualifier, hedge, source, place and date (see :func:`claims_in_unit`). A unit
    whose words already show that it yields none (:func:`may_hold_claim`) is not parsed."""
    text = run.article.text
    words = [(i, restore_boundaries(run.nlp, text[slice(*run.units[i])])) for i in run.candidates]
    to_parse = [(i, doc) for i, doc in words if may_hold_claim(doc, text[slice(*run.units[i])])]
    docs = run.nlp.pipe(doc for _, doc in to_parse)
    return [
        *found,
        *(
            (i, c)
            for (i, _), doc in zip(to_parse, docs, strict=True)
            for c in claims_in_unit(doc, i, run.ctx, run.article_year, run.all_dates, run.state)
        ),
    ]


def relocate_weak_places(found: Found, run: Run) -> Found:
    """Event figures whose sentence names no place: a second look (:func:`relocate_weak`)."""
    return _on_events(found, lambda events: relocate_weak(events, run.ctx, run.ref))


def narrow_to_scene(found: Found, run: Run) -> Found:
    """Event figures of the lead move to the town the opening paragraphs name."""
    return _on_events(found, lambda events: narrow_to_event_place(events, run.ctx))


def widen_to_country(found: Found, run: Run) -> Found:
    """Event figures said to be "nationwide" are the country's."""
    return _on_events(found, lambda events: widen_nationwide(events, run.ctx))


def drop_future_dates(found: Found, run: Run) -> Found:
    """An event cannot happen after the article about it ("a day of mourning will be held
    on Monday, where 16 were killed" is not dated Monday)."""
    ref = run.ref
    return [
        (i, replace(c, event_date=None, weekday=None))
        if c.event_date and ref and c.event_date > ref
        else (i, c)
        for i, c in found
    ]


def merge_duplicates(found: Found, run: Run) -> Found:
    """One claim per (metric, value, place); a total told again in two parts is dropped.
    Figures of other scopes than "event" are kept only when asked for."""

    def country_around(unit: int) -> str | None:
        near = run.ctx.nearest_place_before(unit, exclude="")
        return near.country or None if near is not None else None

    events = [(i, c) for i, c in found if c.scope == "event"]
    claims = drop_split_totals(spread_split_totals(events, dedupe(events, country_around)))
    if run.scopes != ("event",):
        others = dedupe([(i, c) for i, c in found if c.scope != "event"])
        claims += [(i, c) for i, c in others if c.scope in run.scopes]
    return claims


# a pass: the candidates so far -> the candidates after it (new ones where it changed any:
# a Candidate is frozen); it reads the article's shared facts from the Run
Pass = Callable[[Found, Run], Found]
# the order matters: places and dates are settled sentence by sentence first, then looked
# at again across the article, then duplicates merge (the merge keeps the better place)
PASSES: tuple[Pass, ...] = (
    find_claims,
    relocate_weak_places,
    narrow_to_scene,
    widen_to_country,
    drop_future_dates,
    merge_duplicates,
)


class Extractor:
    """Finds casualty claims in articles. Holds the spaCy pipeline and the gazetteer.

    ``extract`` is a pure function of the article (and the loaded model/gazetteer): it
    runs :data:`PASSES` in order.
    """

    def __init__(self, gazetteer: Gazetteer | None = None, nlp: Any = None, ner: bool = True):
        self._gazetteer = gazetteer
        self._nlp = nlp
        self.ner = ner  # spaCy's entities as evidence about places in doubt
        self._entities: EntityReader | None = None

    @property
    def gazetteer(self) -> Gazetteer:
        if self._gazetteer is None:
            self._gazetteer = default_gazetteer()
        return self._gazetteer

    @property
    def nlp(self) -> Any:
        if self._nlp is None:
            self._nlp = load_spacy()
        return self._nlp

    @property
    def entities(self) -> EntityReader | None:
        """Reads spaCy's named entities (see :mod:`processors.extract.entities`), or None
        with ``ner`` off."""
        if self.ner and self._entities is None:
            self._entities = entity_reader(load_ner())
        return self._entities if self.ner else None

    # -- public ------------------------------------------------------------------------

    def extract(self, article: Article, scopes: tuple[str, ...] = ("event",)) -> list[Mention]:
        """The casualty figures stated in ``article``, one per (metric, value, place), of
        the given ``scopes`` (see :attr:`Mention.scope`). By default only the current
        event's figures: aggregates ("killed since the war began") and breakdowns
        ("including 10 children") are asked for explicitly (``scopes=SCOPES``), until the
        stores downstream keep figures that feed no toll."""
        run = self._run(article, scopes)
        if run is None:
            return []
        found: Found = []
        for step in PASSES:
            found = step(found, run)
        return to_mentions(run.article, [c for _, c in found], run.ctx.places)

    def _run(self, article: Article, scopes: tuple[str, ...]) -> Run | None:
        """The article's shared facts, or None when no sentence can hold a claim."""
        text = blank_datelines(article.text)
        if text != article.text:
            article = article.model_copy(update={"text": text})
        ref = article.published_date
        units = split_units(text)
        candidates = [
            i
            for i, (s, e) in enumerate(units)
            if CASUALTY_RE.search(text, s, e) and FIGURE_HINT_RE.search(text, s, e)
        ]
        if not candidates:
            return None
        all_dates = find_dates(text, ref)
        ctx = build_context(self.gazetteer, article, units, all_dates, self.entities)
        years = [int(y) for y in re.findall(r"\b(?:19|20)\d\d\b", text)]
        article_year = ref.year if ref else (max(years) if years else None)
        memory = SourceMemory(default_registry(), text)
        for pos, written, _entry in memory.registry.find(text):
            memory.add(pos, written, speaker=False)
        for pos, name in [*titled_people(text), *speaker_marks(text, units)]:
            memory.add(pos, name)
        state = ArticleState(memory)
        return Run(
            article, scopes, units, candidates, ctx, state, all_dates, article_year, self.nlp
        )


@functools.lru_cache(maxsize=1)
def default_extractor() -> Extractor:
    """The process-wide extractor (model and gazetteer loaded on first use)."""
    return Extractor()


__all__ = ["PASSES", "Extractor", "default_extractor"]
