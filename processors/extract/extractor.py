"""The extractor: an article's text -> the casualty figures it states."""

from __future__ import annotations

import functools
import re
from typing import Any

from processors.attribution import SourceMemory, default_registry
from processors.dates import find_dates
from processors.extract.attribution import speaker_marks, titled_people
from processors.extract.candidate import Candidate
from processors.extract.context import ArticleState, build_context
from processors.extract.lexicon import CASUALTY_RE, FIGURE_HINT_RE
from processors.extract.location import narrow_to_event_place, relocate_weak, widen_nationwide
from processors.extract.merge import dedupe, drop_split_totals, to_mentions
from processors.extract.parse import load_spacy
from processors.extract.sentence import claims_in_unit
from processors.extract.units import blank_datelines, split_units
from processors.models import Article, Mention
from processors.places import Gazetteer, default_gazetteer


class Extractor:
    """Finds casualty claims in articles. Holds the spaCy pipeline and the gazetteer.

    ``extract`` is a pure function of the article (and the loaded model/gazetteer).
    """

    def __init__(self, gazetteer: Gazetteer | None = None, nlp: Any = None):
        self._gazetteer = gazetteer
        self._nlp = nlp

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

    # -- public ------------------------------------------------------------------------

    def extract(self, article: Article, scopes: tuple[str, ...] = ("event",)) -> list[Mention]:
        """The casualty figures stated in ``article``, one per (metric, value, place), of
        the given ``scopes`` (see :attr:`Mention.scope`). By default only the current
        event's figures: aggregates ("killed since the war began") and breakdowns
        ("including 10 children") are asked for explicitly (``scopes=SCOPES``), until the
        stores downstream keep figures that feed no toll."""
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
            return []
        all_dates = find_dates(text, ref)
        ctx = build_context(self.gazetteer, article, units, all_dates)
        years = [int(y) for y in re.findall(r"\b(?:19|20)\d\d\b", text)]
        article_year = ref.year if ref else (max(years) if years else None)
        memory = SourceMemory(default_registry(), text)
        for pos, written, _entry in memory.registry.find(text):
            memory.add(pos, written, speaker=False)
        for pos, name in [*titled_people(text), *speaker_marks(text, units)]:
            memory.add(pos, name)
        state = ArticleState(memory)
        located: list[tuple[int, Candidate]] = []
        docs = self.nlp.pipe([text[s:e] for s, e in (units[i] for i in candidates)])
        for i, doc in zip(candidates, docs, strict=True):
            located += [(i, c) for c in claims_in_unit(doc, i, ctx, article_year, all_dates, state)]
        side = [c for _, c in located if c.scope != "event"]
        located = [(i, c) for i, c in located if c.scope == "event"]
        relocate_weak(located, ctx, ref)
        narrow_to_event_place(located, ctx)
        widen_nationwide(located, ctx)
        claims = [c for _, c in located]
        for c in [*claims, *side]:
            # an event cannot happen after the article about it ("a day of mourning will
            # be held on Monday, where 16 were killed" is not dated Monday)
            if c.event_date and ref and c.event_date > ref:
                c.event_date, c.weekday = None, None
        claims = drop_split_totals(dedupe(claims))
        if scopes != ("event",):
            claims += [c for c in dedupe(side) if c.scope in scopes]
        return to_mentions(article, claims, ctx.places)


@functools.lru_cache(maxsize=1)
def default_extractor() -> Extractor:
    """The process-wide extractor (model and gazetteer loaded on first use)."""
    return Extractor()


__all__ = ["Extractor", "default_extractor"]
