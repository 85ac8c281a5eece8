"""One sentence unit -> its candidate claims, with their attributes."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from processors.dates import DateMention
from processors.extract.attribution import is_hedged, qualifier_of, sources_of
from processors.extract.candidate import Candidate
from processors.extract.context import ArticleState, Context
from processors.extract.dating import date_claim, is_earlier_clause
from processors.extract.exclusions import POPULATION_BEFORE_RE
from processors.extract.figures import (
    breakdown_parts,
    classify_figure,
    classify_singletons,
    drop_breakdowns,
    earlier_counts,
    list_members,
)
from processors.extract.lexicon import (
    NOT_CURRENT_RE,
    PERSON_SINGULAR,
    SINGLE_DETERMINERS,
    TOLL_NOUNS,
    TOLL_WORD_RE,
)
from processors.extract.location import locate_claim, places_in_unit, subset_tokens
from processors.extract.parse import figure_token
from processors.numbers import NumberSpan, find_numbers, is_year


# -- one sentence unit -------------------------------------------------------------
def _toll_increments(doc: Any, found: list[Candidate]) -> list[Candidate]:
    """Rule ``toll_increment``: "the toll climbed to six after a boy died of his burns",
    "the toll reached 12 after divers found two more bodies". The figure of the clause that
    tells what raised the toll is a part of the toll it raised (of its metric, larger, in
    the main clause: after "to", or the toll's own figure), not a toll of its own: it is
    kept as a breakdown."""
    out = []
    for c in found:
        clause = next(
            (a for a in [doc[c.anchor_i], *doc[c.anchor_i].ancestors] if is_earlier_clause(a)),
            None,
        )
        if clause is None:
            continue
        inside = {t.i for t in clause.subtree}
        if any(
            o is not c
            and o.metric == c.metric
            and o.value > c.value
            and o.num_i not in inside
            and (doc[o.num_i].head.lower_ == "to" or doc[o.anchor_i].lower_ in TOLL_NOUNS)
            for o in found
        ):
            out.append(c)
    return out


def _split_total_parts(found: list[Candidate]) -> dict[int, int]:
    """Rule ``split_total``: "Nine people died: six in A and three in B". A figure
    that the figures after it in its sentence add up to (two or more, of its metric) is
    the total over their places, at none of them: token index of the figure -> token
    index of its first part, from where on the sentence's places are the parts'."""
    out: dict[int, int] = {}
    ordered = sorted(found, key=lambda c: c.num_i)
    for n, c in enumerate(ordered):
        after = [o for o in ordered[n + 1 :] if o.metric == c.metric]
        total = 0
        for m, o in enumerate(after):
            total += o.value
            if total >= c.value:
                if total == c.value and m >= 1:
                    out[c.num_i] = after[0].num_i
                break
    return out


def countable_figures(doc: Any, sent: str) -> list[tuple[NumberSpan, Any]]:
    """The figures of unit ``sent`` that can count people, with their tokens: not a
    population ("a town of about 85000 people"), a measure, a rate, a name or a year.
    Reads only the words of ``doc``, so it holds before the parse as after it."""
    out = []
    for span in find_numbers(sent):
        if POPULATION_BEFORE_RE.search(sent, max(0, span.start - 40), span.start):
            continue
        num = figure_token(doc, sent, span)
        if num is None or (is_year(span) and "," not in span.text):
            continue
        out.append((span, num))
    return out


def may_hold_claim(doc: Any, sent: str) -> bool:
    """Whether unit ``sent`` can yield a claim at all, from the words of its unparsed
    ``doc``: :func:`claims_in_unit` finds none in a unit that is not about the present,
    has no countable figure and no singular person with "a"/"an"/"another" (as in "a man
    died", :func:`classify_singletons`). Such units are not parsed (about one in seven
    parsed units of the generated corpus)."""
    if NOT_CURRENT_RE.search(sent):
        return False
    if countable_figures(doc, sent):
        return True
    words = {t.lower_ for t in doc}
    return not words.isdisjoint(PERSON_SINGULAR) and not words.isdisjoint(SINGLE_DETERMINERS)


def claims_in_unit(
    doc: Any,
    unit: int,
    ctx: Context,
    article_year: int | None,
    all_dates: list[DateMention],
    state: ArticleState,
) -> list[Candidate]:
    text = ctx.text
    s, e = ctx.units[unit]
    sent = text[s:e]
    if NOT_CURRENT_RE.search(sent):
        return []
    found: list[Candidate] = []
    pending: list[tuple[NumberSpan, Any]] = []
    for span, num in countable_figures(doc, sent):
        c = classify_figure(doc, sent, span, num, s, article_year, ctx.ref)
        if c is not None:
            found.append(c)
        else:
            pending.append((span, num))
    if found and pending:
        found += list_members(doc, pending, found, s, article_year)
        found += breakdown_parts(doc, pending, found, s)
    if found and pending:
        found += earlier_counts(doc, sent, pending, found, s)
    taken = {c.num_i for c in found}
    for c in classify_singletons(doc, s):
        if c.num_i not in taken and c.nom_i not in {x.nom_i for x in found}:
            found.append(c)
    if not found:
        return []
    found = drop_breakdowns(doc, found)
    # aggregates and breakdowns are told, not counted: they take their attributes
    # below but take no part in how the event's own figures are read
    side = [c for c in found if c.scope != "event"]
    found = [c for c in found if c.scope == "event"]
    found.sort(key=lambda c: c.start)
    # metric of bare "the figure/number" tolls: the sentence's or article's last one;
    # a pronoun ("that had climbed to 241") only refers back to a toll just named
    prev = text[ctx.units[unit - 1][0] : s] if unit else ""

    def refers_to_nothing(c: Candidate) -> bool:
        return (
            c.metric == "?"
            and doc[c.anchor_i].lower_ in ("which", "that", "it")
            and (
                state.last_metric is None or TOLL_WORD_RE.search(prev + sent[: c.start - s]) is None
            )
        )

    found = [c for c in found if c.metric and not refers_to_nothing(c)]
    side = [c for c in side if c.metric and c.metric != "?"]
    if not found and not side:
        return []
    # a bare count of a figure told before is that figure's metric, and so are the other
    # bare counts of its sentence ("revised its count to 31 from 33")
    bare = next(
        (state.metric_by_value[c.value] for c in found
         if c.metric == "?" and c.value in state.metric_by_value),
        state.last_metric or "killed",
    )  # fmt: skip
    found = [replace(c, metric=bare) if c.metric == "?" else c for c in found]
    raised = _toll_increments(doc, found)
    found = [c for c in found if c not in raised]
    side += [replace(c, scope="breakdown") for c in raised]
    anchors = {c.anchor_i for c in found}
    noms = {c.nom_i for c in found}
    src_tokens, source_by_claim = sources_of(doc, [*found, *side], state, s)
    sent_places = places_in_unit(doc, text, s, e, ctx)
    # a subset ("45 dead, 19 of whom were killed in the capital") owns the places of
    # its own clause: they do not locate the whole
    subset_scope = {c.num_i: subset_tokens(doc, c) for c in found}

    def told(c: Candidate) -> Candidate:
        """``c`` with its sentence, qualifier, hedge and source."""
        return replace(
            c,
            sentence=sent.strip(),
            qualifier=qualifier_of(sent, c.start - s, c.end - s),
            hedged=is_hedged(doc, sent, c, s),
            source=source_by_claim.get(c.num_i),
        )

    parts_from = _split_total_parts(found)

    out: list[Candidate] = []
    for c in found:
        others = set().union(*(subset_scope[o.num_i] for o in found if o is not c))
        others |= set().union(*(o.own_places for o in found if o is not c))
        places = [p for p in sent_places if p[0] not in others]
        if c.num_i in parts_from:
            places = [p for p in places if p[0] < parts_from[c.num_i]]
        own = [p for p in places if p[0] in c.own_places]
        places = own or places
        got = locate_claim(doc, told(c), anchors - {c.anchor_i}, noms - {c.nom_i}, src_tokens,
                           places, unit, ctx)  # fmt: skip
        got = date_claim(doc, unit, ctx, got, anchors - {c.anchor_i}, all_dates)
        state.last_metric = got.metric
        state.metric_by_value[got.value] = got.metric
        out.append(got)
    out = [
        replace(
            c,
            part_places=frozenset(
                o.place
                for o in out
                if o.metric == c.metric and o.num_i >= parts_from[c.num_i] and o.place
            ),
        )
        if c.num_i in parts_from
        else c
        for c in out
    ]
    for c in side:
        got = locate_claim(doc, told(c), anchors, noms, src_tokens, sent_places, unit, ctx)
        out.append(date_claim(doc, unit, ctx, got, anchors, all_dates))
    return out
