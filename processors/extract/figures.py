"""Which figures of a sentence count casualties, and which are parts of others."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from processors.extract.candidate import Candidate
from processors.extract.exclusions import exclusion, is_aggregate
from processors.extract.lexicon import (
    CHANGE_FROM_BEFORE_RE,
    COMBINED_AFTER_RE,
    FATE_AFTER_RE,
    FATE_BEFORE_RE,
    LIST_GLUE,
    LIST_NOUNS,
    LIST_PREP,
    LIST_SEP,
    METRIC_NOUNS,
    PERSON_AFTER_RE,
    PERSON_SINGULAR,
    SEARCH_BEFORE_RE,
    SINGLE_DETERMINERS,
    STATE_WORDS,
    SURFACE_RE,
    TOLL_CHANGE_BEFORE_RE,
    UNIT_WORDS,
)
from processors.extract.metric import metric_of
from processors.extract.parse import coarse_pos
from processors.numbers import NumberSpan


def classify_figure(
    doc: Any,
    sent: str,
    span: NumberSpan,
    num: Any,
    base: int,
    article_year: int | None,
    ref: date | None = None,
) -> Candidate | None:
    res = metric_of(num)
    if res is None and (
        (
            SEARCH_BEFORE_RE.search(sent, max(0, span.start - 60), span.start)
            and PERSON_AFTER_RE.match(sent[span.end :])
        )
        or (
            FATE_BEFORE_RE.search(sent, max(0, span.start - 40), span.start)
            and FATE_AFTER_RE.match(sent[span.end :])
        )
    ):
        res = ("missing", num, num)
    if res is None:
        tm = TOLL_CHANGE_BEFORE_RE.search(sent, max(0, span.start - 80), span.start)
        if tm is not None:
            words = (tm.group("of") or "").lower()
            metric = (
                "injured"
                if re.search(r"injur|wound|hurt", words)
                else "missing"
                if re.search(r"missing|unaccounted", words)
                else "killed"
                if re.search(r"dead|death|kill|fatal", words) or "toll" in tm.group(0).lower()
                else "?"
            )
            res = (metric, num, num)
    if res is None:
        m = SURFACE_RE.match(sent, span.end)
        if m is None or COMBINED_AFTER_RE.match(sent, m.end()):
            return None
        res = (STATE_WORDS[m.group(1).lower()], num, num)
    metric, nom, anchor = res
    why = exclusion(num, nom, anchor, article_year, ref)
    if why is None and is_aggregate(num, anchor):
        why = "aggregate"
    if why is not None and why not in ("aggregate", "breakdown"):
        return None
    return Candidate(
        metric,
        span.value,
        base + span.start,
        base + span.end,
        num.i,
        nom.i,
        anchor.i,
        scope=why or "event",
    )


def classify_singletons(doc: Any, base: int) -> list[Candidate]:
    """ "A man died", "a child was killed", "a nine-year-old was killed": one person."""
    out: list[Candidate] = []
    for t in doc:
        if t.lower_ not in PERSON_SINGULAR or t.tag_ in ("NNS", "NNPS"):
            continue
        if t.lower_ == "old" and not (t.i >= 2 and doc[t.i - 2].lower_ in ("year", "years")):
            continue
        det = next(
            (c for c in t.children if c.dep_ in ("det",) and c.lower_ in SINGLE_DETERMINERS),
            None,
        )
        if det is None:
            continue
        res = metric_of(t)
        if res is None:
            continue
        metric, nom, anchor = res
        if exclusion(t, nom, anchor, None) is not None:
            continue
        out.append(
            Candidate(metric, 1, base + det.idx, base + t.idx + len(t.text), t.i, nom.i, anchor.i)
        )
    return out


_WH_WORDS = {"where", "which", "who", "whom", "whose", "when"}


def _relative_clauses(span: Any) -> set[int]:
    """Token indices of the relative clauses inside ``span``, the words between a figure
    and the next one listed after it: "eleven dead in A, where the river broke its banks,
    six in B" still lists "six in B" with "eleven dead", as the clause's verb says
    something about A, not about the figures. Read on the surface (a comma, a wh-word, up
    to the next comma): the parse often hangs the figures after the clause on a word
    inside it. In copy that lost its commas ("four in A where roofs fell and two in B") a
    wh-word right after a noun opens the clause, and it runs to the end of ``span``."""
    out: set[int] = set()
    toks = list(span)
    for n, t in enumerate(toks[:-1]):
        k = n + 1
        if t.text == ",":
            if toks[k].tag_ == "IN" and k + 1 < len(toks):  # ", in which", ", of whom"
                k += 1
        elif t.tag_ in ("NN", "NNS", "NNP", "NNPS"):
            k = n + 1
        else:
            continue
        if toks[k].lower_ not in _WH_WORDS:
            continue
        close = next((m for m in range(k, len(toks)) if toks[m].text == ","), None)
        if close is not None:
            out |= {x.i for x in toks[n : close + 1]}
        elif t.text != ",":
            out |= {x.i for x in toks[k:]}
    return out


def list_members(
    doc: Any,
    pending: list[tuple[NumberSpan, Any]],
    found: list[Candidate],
    base: int,
    article_year: int | None,
) -> list[Candidate]:
    """Figures listed after a figure, each with its own place, sharing its verb or noun:
    "12 deaths in A, 9 in B and 4 in C", "killed 12 in A, 9 in B", "20 were injured in
    A and 14 in B". Each takes the metric of the figure the list starts with."""
    out: list[Candidate] = []
    chain: list[tuple[int, Candidate]] = sorted(((c.num_i, c) for c in found), key=lambda x: x[0])
    for span, num in sorted(pending, key=lambda x: x[1].i):
        i = num.i
        # "41 in A, 27 in B" or, with the commas lost, "41 in A 27 in B"
        unpunctuated = (
            i > 1
            and (doc[i - 1].text[:1].isupper() or doc[i - 1].lower_ in UNIT_WORDS)
            and any(t.lower_ in LIST_PREP for t in doc[max(0, i - 5) : i - 1])
        )
        if i == 0 or (doc[i - 1].lower_ not in LIST_SEP and not unpunctuated):
            continue
        j = i + 1
        if j < len(doc) and doc[j].lower_ in LIST_NOUNS:
            j += 1
        if j + 1 >= len(doc) or doc[j].lower_ not in LIST_PREP:
            continue
        k = j + 1
        while k < len(doc) and doc[k].tag_ == "DT":
            k += 1
        # a word or two that places the place ("two in neighbouring Tarnby", "in nearby
        # Saltby", "in northern Ardra") before its name
        n_desc = 0
        while (
            k < len(doc) and n_desc < 2 and doc[k].tag_ in ("JJ", "VBG") and doc[k].text.islower()
        ):
            k += 1
            n_desc += 1
        if k >= len(doc) or not doc[k].text[:1].isupper():
            continue
        # its own clause ("..., and 40 in Alba were left homeless") is no list member
        after = k
        while after < len(doc) and doc[after].tag_ in ("NNP", "NNPS"):
            after += 1
        if after < len(doc) and coarse_pos(doc[after]) in ("VERB", "AUX"):
            continue
        prev = [(pi, c) for pi, c in chain if pi < i]
        if not prev:
            continue
        pi, head = prev[-1]
        between = doc[pi + 1 : i]
        if any(t.like_num for t in between):
            continue
        if not any(t.lower_ in LIST_PREP for t in between):
            continue
        aside = _relative_clauses(between)
        if any(
            coarse_pos(t) in ("VERB", "AUX")
            and t.tag_ != "VBN"
            and t.lower_ not in LIST_GLUE
            and t.i != head.anchor_i
            and t.i not in aside
            for t in between
        ):
            continue
        if head.metric == "?" or exclusion(num, num, doc[head.anchor_i], article_year):
            continue
        c = Candidate(
            head.metric,
            span.value,
            base + span.start,
            base + span.end,
            i,
            i,
            i,
            own_places=frozenset(range(k, max(after, k + 1))),
        )
        out.append(c)
        chain.append((i, c))
        chain.sort(key=lambda x: x[0])
    return out


# nouns an earlier count may name without being another kind of thing
_COUNT_NOUNS = {"people", "persons", "others", "victims", "bodies", "casualties"}


def earlier_counts(
    doc: Any, sent: str, pending: list[tuple[NumberSpan, Any]], found: list[Candidate], base: int
) -> list[Candidate]:
    """Rule ``earlier_count``: the count a figure changed from, "31 remained missing, down
    from 57", "put the number of injured at 31, up from the 27 reported on Wednesday". The
    earlier figure is a claim (of the same event, with the metric of the figure it changed
    into: the figure right before it). Not when another figure comes between, nor when it
    counts something else ("up from 27 tonnes")."""
    out: list[Candidate] = []
    taken = {c.num_i for c in found}
    for span, num in pending:
        if num.i in taken or not CHANGE_FROM_BEFORE_RE.search(sent, 0, span.start):
            continue
        before = [c for c in found if c.end - base <= span.start]
        if not before:
            continue
        prior = max(before, key=lambda c: c.start)
        if any(prior.num_i < t.i < num.i and t.like_num for t in doc):
            continue
        noun = num.head if num.dep_ in ("nummod", "compound") and num.head.i != num.i else None
        if noun is not None and not (
            noun.lower_ in _COUNT_NOUNS
            or noun.lower_ in METRIC_NOUNS
            or noun.lemma_ == doc[prior.nom_i].lemma_
        ):
            continue
        start, end = base + span.start, base + span.end
        out.append(Candidate(prior.metric, span.value, start, end, num.i, num.i, num.i))
    return out


def breakdown_parts(
    doc: Any, pending: list[tuple[NumberSpan, Any]], found: list[Candidate], base: int
) -> list[Candidate]:
    """Rule ``breakdown``: "25 people including 10 children", "nine killed, among them two
    soldiers": a figure that is a part of a claim named before it, by kind of victim. It
    is kept with scope "breakdown" (it never feeds a toll)."""
    out = []
    taken = {c.num_i for c in found}
    for span, num in pending:
        if num.i in taken:
            continue
        marker = next(
            (a for a in [num, *num.ancestors][:4] if a.lower_ in ("including", "among")), None
        )
        if marker is None:
            continue
        before = [c for c in found if c.num_i < marker.i and c.scope == "event"]
        if not before:
            continue
        whole = max(before, key=lambda c: c.num_i)
        if span.value >= whole.value:
            continue
        part = Candidate(whole.metric, span.value, base + span.start, base + span.end, num.i, num.i,
                         whole.anchor_i, scope="breakdown")  # fmt: skip
        out.append(part)
    return out


_BREAKDOWN_HEADS = {
    "people", "persons", "victims", "dead", "deaths", "killed", "injured", "wounded",
    "others", "missing",
}  # fmt: skip


def drop_breakdowns(doc: Any, found: list[Candidate]) -> list[Candidate]:
    """Drop the parts of a figure told right after it: "three people, two students and a
    teacher, were killed" is one claim of three. Parts are coordinated with the figure's
    noun, set off by a comma, name no place of their own and add up to the figure."""
    drop: set[int] = set()
    for h in found:
        head = doc[h.nom_i]
        if h.nom_i + 1 >= len(doc) or doc[h.nom_i + 1].text not in (",", "(", "—", "–", ":"):
            continue
        if head.lower_ not in _BREAKDOWN_HEADS and h.nom_i != h.num_i:
            continue
        parts = []
        for c in found:
            if c is h or c.nom_i <= h.nom_i:
                continue
            t = doc[c.nom_i]
            while t.dep_ in ("conj", "appos") and t.head.i != t.i and t.i != h.nom_i:
                t = t.head
            if t.i != h.nom_i:
                continue
            if any(
                ch.dep_ == "prep" and ch.lower_ in ("in", "at", "near", "from")
                for ch in doc[c.nom_i].children
            ):
                continue
            parts.append(c)
        if parts and sum(c.value for c in parts) == h.value:
            drop |= {id(c) for c in parts}
    return [c for c in found if id(c) not in drop]
