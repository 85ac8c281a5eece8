"""Figures that are not the current event's: ages, past events, rates, aggregates."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from processors.extract.lexicon import (
    CHANGE_VERBS,
    INJURE_VERBS,
    KILL_VERBS,
    PAST_PHRASE_RE,
    PAST_RE,
    TOLL_NOUNS,
    TOLL_TO_RE,
)
from processors.extract.metric import metric_word
from processors.extract.parse import clause_chain, coarse_pos


def _is_past_year(t: Any, num: Any, article_year: int | None) -> bool:
    return (
        t.i != num.i
        and re.fullmatch(r"(?:18|19|20)\d\d", t.text) is not None
        and (article_year is None or int(t.text) < article_year)
    )


def _dated_in_past_year(anchor: Any, num: Any, article_year: int | None) -> bool:
    """A clause governing the figure is dated to an earlier year: "In 2003 a quake flattened
    the town, killing 26,000", "A 2017 quake killed 600 and injured 9,000", "the country
    recorded 2,000 deaths in 2024". Walks up from the anchor to the sentence root, stopping
    at reported speech, and looks only at each verb's own date ("in"/"during" + year) and at
    years modifying its subject directly."""
    t = anchor
    while True:
        if coarse_pos(t) in ("VERB", "AUX"):
            for c in t.children:
                if c.dep_ == "prep" and c.lower_ in ("in", "during"):
                    # "in 1987", "in December 1987"
                    objs = [*c.children, *(g for o in c.children for g in o.children)]
                    dated = [g for g in objs if _is_past_year(g, num, article_year)]
                elif c.dep_ in ("nsubj", "nsubjpass"):
                    dated = [
                        g
                        for g in c.children
                        if g.dep_ in ("nummod", "compound", "amod")
                        and _is_past_year(g, num, article_year)
                    ]
                else:
                    dated = []
                if dated:
                    return True
        if t.head.i == t.i or t.dep_ in ("ccomp", "parataxis"):
            return False
        t = t.head


def exclusion(
    num: Any, nom: Any, anchor: Any, article_year: int | None, ref: date | None = None
) -> str | None:
    """Why a figure is not a toll of the current event, or ``None``: "breakdown" (a part:
    "including two children"), "aggregate" (a total since a date or over a past period:
    "killed since the war began", "killed 39 last year"), "background" (another, past
    event: "the 1999 flood that killed 140"), "projection" (conditionals, forecasts) or
    "combined" (a killed-and-wounded total)."""
    chain = [num, *num.ancestors]
    for t in chain:
        # ("The dead included 5 in A and 3 in B" is a breakdown by place, anchored there)
        if (
            t.lower_ in ("including", "include", "includes", "included")
            and t.i < num.i
            and t.i != anchor.i
        ):
            return "breakdown"
        if t.lower_ in ("compares", "compared", "compare", "comparison") and t.i != num.i:
            return "background"
        if t.lower_ == "since" and t.dep_ == "prep":
            # "its largest assault since the start of the war, killing 31": a comparison,
            # whatever the parse hung the participle on (without the comma, on "war")
            sub = list(t.subtree)
            if (
                _after_superlative(t)
                and (anchor.tag_ == "VBG" or anchor.i not in {x.i for x in sub})
                # "deadliest since 1992, when a plane crashed, killing 167" is another event
                and not any(x.lower_ == "when" or _YEAR_RE.fullmatch(x.text) for x in sub)
            ):
                continue
            if anchor.i in {x.i for x in t.subtree}:  # "deadliest since X killed 40"
                return "background"
            return "aggregate" if _since_aggregate(t, clause_chain(anchor)[-1]) else "since"
    if is_aggregate(num, anchor):
        return "aggregate"
    # "nine people were killed, among them two children": a part of the figure before it;
    # "Among the dead was a 40-year-old nurse": fronted before its verb, the phrase makes
    # the verb's subject a part however many words describe it
    for t in [nom, *nom.ancestors][:4]:
        among = next(
            (
                c
                for c in t.children
                if c.lower_ == "among" and (0 < num.i - c.i <= 4 or c.i < t.i < num.i)
            ),
            None,
        )
        if among is not None and any(
            g.lower_ in ("them", "those", "whom", "dead", "victims", "injured", "wounded")
            for g in among.children
        ):
            return "breakdown"
    # "the deadliest since shelling of a market killed 40", "... killed eight, the monitor
    # said at the time": the figure of an earlier event told for comparison
    if any(c.dep_ == "mark" and c.lower_ == "since" for c in anchor.children):
        return "background"
    if _BACKGROUND_RE.search(num.sent.text[num.idx - num.sent.start_char :]):
        return "background"
    if ref is not None and _in_earlier_month(anchor, ref):
        return "background"
    # "the toll rose to nine after a child died of his wounds", "... rose to seven after
    # rescuers pulled three more bodies from the rubble": the step, not a toll
    step = anchor.head if anchor.dep_ in ("dobj", "nsubj", "nsubjpass") else anchor
    if (
        step.dep_ == "advcl"
        and any(c.dep_ == "mark" and c.lower_ == "after" for c in step.children)
        and _TOLL_CHANGE_RE.search(num.sent.text[: num.idx - num.sent.start_char])
    ):
        return "increment"
    # a correction's step: "revised the toll to 41, saying two victims had been counted
    # twice"
    if step.lower_ in _COUNT_VERBS and any(
        c.dep_ == "advmod" and c.lower_ in ("twice", "double") for c in step.children
    ):
        return "increment"
    # projections and conditionals: "will have sustained", "if casualties continue"
    for t in clause_chain(anchor):
        if coarse_pos(t) in ("VERB", "AUX") or t.i == anchor.i:
            for c in t.children:
                if c.dep_ == "aux" and c.lower_ in ("will", "would", "'ll", "shall"):
                    return "projection"
                if c.dep_ == "mark" and c.lower_ in ("if", "unless"):
                    return "projection"
    # past event: "the 1999 flood that killed 140", "in 2004 a tsunami killed ..."
    scope = [anchor]
    if anchor.dep_ in ("relcl", "acl"):
        scope.append(anchor.head)
    for sc in scope:
        # "a landslide in 2020 that killed": the year hangs off the head's preposition
        toks = (
            list(sc.subtree)
            if sc is anchor
            else [
                sc,
                *sc.children,
                # "an earthquake in September 2022 that killed": the month's year too
                *(
                    g
                    for c in sc.children
                    if c.dep_ == "prep"
                    for o in c.children
                    for g in (o, *o.children)
                ),
            ]
        )
        for t in toks:
            if (
                t.i != num.i
                and re.fullmatch(r"(?:18|19|20)\d\d", t.text)
                and (article_year is None or int(t.text) < article_year)
            ):
                return "background"
    if _dated_in_past_year(anchor, num, article_year):
        return "aggregate" if _period_clause(anchor) else "background"
    # an increment folded into the new total: "recovered two more bodies, bringing the
    # death toll to 16", "one of the injured died, bringing the toll to 8" (the total is the
    # claim; "2 more died later" on its own still counts)
    folded = TOLL_TO_RE.search(num.sent.text)
    if folded and num.idx - num.sent.start_char < folded.start():
        return "increment"
    clause = clause_chain(anchor)[-1]
    words = " ".join(t.lower_ for t in clause.subtree)
    if any(PAST_RE.fullmatch(t.lower_) for t in clause.subtree) and PAST_PHRASE_RE.search(words):
        return "aggregate" if _PERIOD_RE.search(words) else "background"
    # a killed-and-wounded total is neither metric
    if metric_word(anchor) or anchor.lower_ in KILL_VERBS | INJURE_VERBS:
        near = [c for c in anchor.children if c.dep_ == "conj"]
        if anchor.dep_ == "conj":
            near.append(anchor.head)
        for o in near:
            om = metric_word(o) or (
                "killed"
                if o.lower_ in KILL_VERBS
                else "injured"
                if o.lower_ in INJURE_VERBS
                else None
            )
            if om and abs(o.i - anchor.i) <= 2:
                return "combined"
    return None


_COUNT_VERBS = {"counted", "registered", "recorded", "listed", "reported", "included"}


_BACKGROUND_RE = re.compile(r"^[^.;]*\b(?:said|says|reported)\s+at\s+the\s+time\b", re.I)


_TOLL_CHANGE_RE = re.compile(
    rf"\b(?:toll|tally|number|count)\b[^.;]{{0,60}}\b(?:{'|'.join(sorted(CHANGE_VERBS))})\b", re.I
)


_MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)  # fmt: skip


def _in_earlier_month(anchor: Any, ref: date) -> bool:
    """The figure's clause is dated "In June", "in early April": a month, with no day,
    before the publication month (an earlier event, told as background)."""
    chain = [anchor]
    if anchor.dep_ in ("advcl", "xcomp", "conj") and anchor.head.i != anchor.i:
        chain.append(anchor.head)  # "..., killing five soldiers"
    for v in chain:
        for c in v.children:
            if c.dep_ != "prep" or c.lower_ not in ("in", "during"):
                continue
            objs = [g for g in c.children if g.dep_ == "pobj"]
            for o in objs:
                if o.lower_ not in _MONTH_NAMES or any(g.like_num for g in o.children):
                    continue
                month = _MONTH_NAMES.index(o.lower_) + 1
                year = next(
                    (int(g.text) for g in o.subtree if re.fullmatch(r"(?:19|20)\d\d", g.text)),
                    ref.year if month <= ref.month else ref.year - 1,
                )
                if (year, month) < (ref.year, ref.month):
                    return True
    return False


POPULATION_BEFORE_RE = re.compile(
    r"\b(?:town|city|village|villages|district|community|country|nation|region|province|"
    r"state|island|home|metropolis|suburb|settlement|camp)\s+of\s+(?:(?:about|around|some|"
    r"nearly|roughly|almost|over|more\s+than|fewer\s+than|less\s+than|just|only)\s+)?$",
    re.I,
)


# a count over a period rather than at one event: "last year", "so far this year", "since
# the war began", "over the past three months"
_PERIOD_RE = re.compile(
    r"\b(?:last|this|past|previous)\s+(?:\w+\s+)?(?:year|month|decade)s?\b|"
    r"\b(?:over|during|in)\s+the\s+(?:past|last|first)\s+(?:\w+\s+)?(?:years?|months?|decades?)\b",
    re.I,
)


# a toll counted since the event began is the event's: "since Thursday" of a heatwave,
# "since June" of monsoon floods, "since the storm hit"
_RECENT_SINCE = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "yesterday", "morning", "night", "weekend", "dawn",
}  # fmt: skip


_DISASTER_WORDS = re.compile(
    r"\b(?:flood\w*|monsoon|rains?|heat\s*waves?|heat|storm|cyclone|typhoon|hurricane|tornado|"
    r"quake|earthquake|aftershocks?|fire|wildfires?|bushfires?|blaze|landslides?|mudslides?|"
    r"avalanche|eruption|tsunami|drought|outbreak|epidemic|cholera|blast|explosion|collapse|"
    r"crash|derailment|sinking|capsiz\w*|stampede|siege)\b",
    re.I,
)


_YEAR_RE = re.compile(r"(?:18|19|20)\d\d")


_SUPERLATIVES = {"largest", "biggest", "deadliest", "worst", "heaviest", "bloodiest", "most"}


def _after_superlative(since: Any) -> bool:
    """ "the largest assault since the start of the war": a comparison, not a period."""
    before = since.doc[max(0, since.i - 8) : since.i]
    return any(t.tag_ == "JJS" or t.lower_ in _SUPERLATIVES for t in before)


def _since_aggregate(since: Any, clause: Any) -> bool:
    """A "since" that makes a total over a period ("since the war began", "since April 30",
    "since 2011"), not one that counts an event from its start ("since Thursday", "since the
    storm hit", floods "since June")."""
    words = [t.lower_ for t in since.subtree if t.i != since.i]
    if any(w in _RECENT_SINCE for w in words[:3]) or _after_superlative(since):
        return False
    return not _DISASTER_WORDS.search(" ".join(t.lower_ for t in clause.subtree))


# what counts up a total, not one event: "the war has killed", "the conflict, which has"
_PERIOD_AGENTS = {
    "war", "wars", "conflict", "conflicts", "insurgency", "insurgencies", "uprising",
    "crisis", "violence", "bloodshed", "fighting", "campaign", "occupation", "siege",
    "offensive", "battle", "rebellion", "revolt",
}  # fmt: skip


def _period_clause(anchor: Any) -> bool:
    return bool(_PERIOD_RE.search(" ".join(t.lower_ for t in clause_chain(anchor)[-1].subtree)))


def is_aggregate(num: Any, anchor: Any) -> bool:
    """Rule ``aggregate``: a total over a war or a period: "since" governs the figure's
    clause ("4,500 killed since the ceasefire collapsed"), a period frames it ("killed so far
    this year"), or a war, conflict or insurgency is what did the killing, in the perfect
    ("the war has killed more than 300,000", "the conflict, which has killed ...")."""
    top = clause_chain(anchor)[-1]
    for t in [anchor, *anchor.children]:
        if t.lower_ == "since" and t.dep_ in ("prep", "mark"):
            return _since_aggregate(t, top)
        since = next((g for g in t.children if g.lower_ == "since"), None)
        if t.dep_ in ("advcl", "prep", "npadvmod") and since is not None:
            return _since_aggregate(t, top)
    for t in anchor.children:
        if (
            t.dep_ in ("npadvmod", "advmod", "prep")
            and t.i != num.i
            and _PERIOD_RE.search(" ".join(x.lower_ for x in t.subtree))
        ):
            return True
        # "killed in the city during the battle", "throughout the war"
        if t.lower_ in ("during", "throughout") and any(
            g.lower_ in _PERIOD_AGENTS for g in t.subtree
        ):
            return True
    # "put the death toll of the war at 150,000": the war's toll, not an event's
    if anchor.lower_ in TOLL_NOUNS and any(
        c.dep_ == "prep"
        and c.lower_ in ("of", "from", "in")
        and any(g.lower_ in _PERIOD_AGENTS for g in c.children if g.dep_ == "pobj")
        for c in anchor.children
    ):
        return True
    agents = [c for c in anchor.children if c.dep_ in ("nsubj", "agent")]
    agents += [g for a in agents if a.dep_ == "agent" for g in a.children]
    if anchor.dep_ == "relcl":
        agents.append(anchor.head)
    perfect = any(c.dep_ == "aux" and c.lower_ in ("has", "have", "had") for c in anchor.children)
    return perfect and any(a.lower_ in _PERIOD_AGENTS for a in agents)
