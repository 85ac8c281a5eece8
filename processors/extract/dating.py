"""The day of a figure's event, where the text pins it."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from processors.dates import DateMention
from processors.extract.candidate import Candidate
from processors.extract.context import Context
from processors.extract.lexicon import SPEECH_VERBS, TOLL_NOUNS
from processors.extract.parse import linked, tokens_in


def date_claim(
    doc: Any,
    unit: int,
    ctx: Context,
    c: Candidate,
    other_anchors: set[int],
    all_dates: list[DateMention],
) -> Candidate:
    """``c`` with its event day, only where the text pins it: a date in the claim's clause,
    else a scene-setting date elsewhere in its sentence (not "he said on Friday"), else the
    date of the sentence a quotation continues. Otherwise ``event_date`` stays ``None``
    (never the publication date, never a date carried from earlier in the article): event
    resolution dates it. ``weekday`` is kept whenever the chosen expression names one, so
    an undated article still says "Saturday". ``weak_date`` is set when the day is not
    pinned by the figure's own sentence (carried from the one a quotation continues, or
    none found)."""
    s, e = ctx.units[unit]
    weak_date = c.weak_date
    unit_dates = [d for d in all_dates if s <= d.start and d.end <= e]
    chosen: DateMention | None = None
    counted = False
    if unit_dates:
        tok_of: dict[int, DateMention] = {}
        for d in unit_dates:
            toks = tokens_in(doc, d.start - s, d.end - s)
            key = next((t for t in toks if t.lower_ not in ("on", "late", "early", "last")), None)
            if key is not None:
                tok_of[key.i] = d
        anchor = doc[c.anchor_i]
        nom = doc[c.nom_i]
        blocked: set[int] = set()
        for i in other_anchors:
            if not linked(anchor, doc[i]):
                blocked |= {t.i for t in doc[i].subtree}
        scopes = [nom, anchor]
        # "the toll rose to 37 on Wednesday", "11 bodies were recovered on Thursday": the
        # day of the count, not of the event, which only the toll's own words can date
        # ("Friday's death toll", "the toll from Thursday's bombing")
        counted = anchor.lower_ in TOLL_NOUNS or nom.lower_ in ("bodies", "corpses", "remains")
        for a in () if counted else anchor.ancestors:
            if a.lower_ in SPEECH_VERBS:
                break
            if any(ch.dep_ == "aux" and ch.lower_ in ("will", "would") for ch in a.children):
                break
            scopes.append(a)
        for sc in scopes:
            ids = {t.i for t in sc.subtree} - blocked
            hits = [tok_of[i] for i in sorted(ids) if i in tok_of]
            if hits:
                chosen = min(hits, key=lambda d: abs(d.start - c.start))
                break
    if chosen is None and not counted:
        scene = [d for d in ctx.context_dates if s <= d.start and d.end <= e]
        if scene:
            chosen = min(scene, key=lambda d: abs(d.start - c.start))
    if chosen is None and not counted:
        chosen = ctx.carried_date(unit)
        if chosen is not None:
            weak_date = True
    if chosen is not None:
        return replace(c, event_date=chosen.date, weekday=chosen.weekday, weak_date=weak_date)
    return replace(c, weak_date=True)
