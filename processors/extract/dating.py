"""The day of a figure's event, where the text pins it."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from processors.dates import DateMention
from processors.extract.candidate import Candidate
from processors.extract.context import Context
from processors.extract.lexicon import EVENT_NOUNS, SPEECH_VERBS, TOLL_NOUNS, TOLL_VERBS
from processors.extract.parse import coarse_pos, linked, tokens_in

# prepositions through which a day modifies a noun: "the attack on Sunday", "the floods at
# the weekend", "the raid over the weekend"; not "the worst floods since Monday"
_DAY_PREPS = {"on", "at", "over", "during", "in"}


def event_day_strength(toks: list[Any]) -> int:
    """How surely the date expression over ``toks`` modifies a noun that names what
    happened (rule "event_noun"): 2 when it stands before the noun ("Sunday's bus crash",
    "last weekend's floods", "the weekend storms", "Tuesday night's blast"), 1 when it
    reaches it through a preposition or a clause describing it ("the attack on Friday",
    "the floods that hit the valley at the weekend"), which the parser attaches less
    surely; 0 for a day on a verb of the sentence ("said on Monday", "rose to 37 on
    Wednesday", "on Friday scaled back the search") or on another noun ("Monday's
    meeting", "people injured on Sunday")."""
    ids = {t.i for t in toks}
    x = next((t for t in toks if t.head.i not in ids), None)
    strength = 1 if x is not None and coarse_pos(x) == "ADP" else 2
    while x is not None and x.head is not x:
        h = x.head
        if h.lower_ in EVENT_NOUNS and coarse_pos(h) in ("NOUN", "PROPN"):
            return strength
        strength = 1
        if coarse_pos(h) == "ADP" and h.lower_ in _DAY_PREPS and x.dep_ == "pobj":
            x = h  # "on Sunday": what the preposition hangs off decides
        elif (
            coarse_pos(h) == "VERB"
            and h.dep_ in ("relcl", "acl")
            and x.dep_ in ("prep", "npadvmod", "advmod")
            and h.lower_ not in SPEECH_VERBS | TOLL_VERBS
        ):
            x = h  # "the floods that hit ... at the weekend": the clause describes the noun
        else:
            return 0
    return 0


_BE = {"is", "are", "was", "were", "be", "been", "being"}
_STATES = {"missing", "unaccounted"}
_REMAIN = {"remain", "remains", "remained", "remaining"}


def _date_head(toks: list[Any]) -> Any | None:
    """The word a date expression over ``toks`` hangs off (through its preposition: "said
    on Monday" gives "said"), or None."""
    ids = {t.i for t in toks}
    x = next((t for t in toks if t.head.i not in ids), None)
    if x is None:
        return None
    h = x.head
    if coarse_pos(h) == "ADP" and x.dep_ == "pobj":
        h = h.head
    return h


def is_count_day(toks: list[Any]) -> bool:
    """Whether the date expression over ``toks`` is the day of a count, not of an event
    (rule "count_day"): it hangs off a verb of telling ("11 reported on Wednesday", "said
    on Monday"), off a verb whose subject or object is a toll, or that describes one ("the toll
    rose to 37 on Wednesday", "revised the figure on Monday", "put the toll at 19 on
    Sunday") or off a state ("were missing Wednesday", "remained unaccounted for on
    Friday"). Such a day dates no claim of its sentence; "went missing on Sunday" is an
    event and keeps its day."""
    h = _date_head(toks)
    if h is None:
        return False
    if any(
        ch.dep_ in ("nsubj", "nsubjpass", "dobj") and ch.lower_ in TOLL_NOUNS for ch in h.children
    ):
        return True
    if h.lower_ in _REMAIN or h.lower_ in SPEECH_VERBS:
        return True
    if h.dep_ in ("acl", "relcl") and h.head.lower_ in TOLL_NOUNS:
        return True  # "its figure of 41 dead, issued on Tuesday"
    return h.lower_ in _STATES and any(
        ch.dep_ in ("aux", "auxpass") and ch.lower_ in _BE for ch in h.children
    )


_LATE_DEATH_VERBS = {"succumbed", "succumbs", "succumb", "died", "dies", "die"}
_WOUND_WORDS = {"wounds", "wound", "injuries", "injury", "hospital", "burns"}


def is_late_death_day(toks: list[Any]) -> bool:
    """Whether the date expression over ``toks`` is the day a hurt person died later (rule
    "late_death_day"): "a girl who later succumbed to her injuries on Friday", "two more
    died of their wounds on Thursday", "a driver died in hospital on Monday". The attack or
    crash that hurt them came before, on a day the clause does not give: like a count's day, it
    dates no claim of its sentence."""
    h = _date_head(toks)
    if h is None or h.lower_ not in _LATE_DEATH_VERBS:
        return False
    return any(
        g.lower_ in _WOUND_WORDS
        for ch in h.children
        if ch.dep_ == "prep" and ch.lower_ in ("of", "from", "to", "in")
        for g in ch.children
    )


_EARLIER_MARKS = {"after", "following", "since"}


def is_earlier_clause(tok: Any) -> bool:
    """Whether ``tok`` heads a clause that tells what happened before its main clause (rule
    "earlier_clause"): "forces on Monday ended the siege, after gunmen stormed the hotel,
    killing 17". The main clause's day is when the later thing happened; the figure's
    event came before it, on a day the sentence does not give."""
    return tok.dep_ == "advcl" and any(
        ch.dep_ == "mark" and ch.lower_ in _EARLIER_MARKS for ch in tok.children
    )


_STILL = {"still"}


def is_state_count(anchor: Any) -> bool:
    """Whether the figure is a state at the time of the report, not a happening (rule
    "state_count"): "four people are still missing", "two men remain unaccounted for". Like
    a toll, it is dated only by a day naming the event ("missing since Tuesday's blast"),
    not by the other days of its sentence ("..., according to relatives who gathered
    outside on Tuesday", "... and rescuers were still digging on Friday")."""
    heads = [anchor, anchor.head] if anchor.dep_ in ("acomp", "xcomp") else [anchor]
    return any(h.lower_ in _REMAIN or any(ch.lower_ in _STILL for ch in h.children) for h in heads)


def date_claim(
    doc: Any,
    unit: int,
    ctx: Context,
    c: Candidate,
    other_anchors: set[int],
    all_dates: list[DateMention],
) -> Candidate:
    """``c`` with its event day, only where the text pins it. Days of a count and of a later
    death from wounds are set aside first (:func:`is_count_day`, :func:`is_late_death_day`).
    A toll or a count of bodies takes a day naming the event
    in its sentence (:func:`event_day_strength`), else one in its own words ("Friday's
    toll"); any other figure a date in its clause, else a day naming the event, else a
    scene-setting date elsewhere in its sentence (not "he said on Friday"), else the date
    of the sentence a quotation continues. Otherwise ``event_date`` stays ``None`` (never
    the publication date, never a date carried from earlier in the article): event
    resolution dates it. ``weekday`` is kept whenever the chosen expression names one, so
    an undated article still says "Saturday". ``weak_date`` is set when the day is not
    pinned by the figure's own sentence (carried from the one a quotation continues, or
    none found)."""
    s, e = ctx.units[unit]
    weak_date = c.weak_date
    unit_dates = [d for d in all_dates if s <= d.start and d.end <= e]
    toks_of = {d: tokens_in(doc, d.start - s, d.end - s) for d in unit_dates}
    counts = {d for d in unit_dates if is_count_day(toks_of[d]) or is_late_death_day(toks_of[d])}
    unit_dates = [d for d in unit_dates if d not in counts]
    chosen: DateMention | None = None
    counted = False
    earlier = False  # the figure's clause tells what came before its sentence's day
    owned: set[DateMention] = set()  # days in the clause of another claim of the sentence
    event_days: list[DateMention] = []
    if unit_dates:
        tok_of: dict[int, DateMention] = {}
        event_keys: dict[int, int] = {}
        for d in unit_dates:
            toks = toks_of[d]
            key = next((t for t in toks if t.lower_ not in ("on", "late", "early", "last")), None)
            if key is not None:
                tok_of[key.i] = d
                strength = event_day_strength(toks)
                if strength:
                    event_keys[key.i] = strength
        anchor = doc[c.anchor_i]
        nom = doc[c.nom_i]
        blocked: set[int] = set()
        for i in other_anchors:
            if not linked(anchor, doc[i]):
                blocked |= {t.i for t in doc[i].subtree}
        owned = {d for i, d in tok_of.items() if i in blocked}
        scopes = [nom, anchor]
        # "the toll rose to 37 on Wednesday", "11 bodies were recovered on Thursday": the
        # day of the count, not of the event, which only a day naming the event or the
        # toll's own words can date ("the toll from Thursday's bombing", "Friday's toll")
        counted = anchor.lower_ in TOLL_NOUNS or nom.lower_ in ("bodies", "corpses", "remains")
        if is_state_count(anchor):
            # the anchor is the verb of the state, whose clause is the whole sentence: only
            # what it is a state since dates it ("missing after Sunday's cave-in")
            counted = True
            scopes = [nom, *(ch for ch in anchor.children if ch.lower_ in _EARLIER_MARKS)]
        # a day naming the event itself dates the figure wherever it stands in the
        # sentence ("revised the toll from Sunday's crash to 21", "injured in Saturday's
        # attack has died, bringing the toll to four"), so long as no other claim owns it
        # (a day before the noun first: "after Tuesday's flood in the town on Thursday
        # morning" is parsed as if the flood were on Thursday)
        event_days = [
            tok_of[i]
            for i in sorted(
                (i for i in event_keys if i not in blocked),
                key=lambda i: (-event_keys[i], abs(tok_of[i].start - c.start)),
            )
        ]
        if counted and event_days:
            scopes = []
            chosen = event_days[0]
        below = anchor
        for a in () if counted else anchor.ancestors:
            if a.lower_ in SPEECH_VERBS:
                break
            if any(ch.dep_ == "aux" and ch.lower_ in ("will", "would") for ch in a.children):
                break
            if is_earlier_clause(below):
                earlier = True
                break
            scopes.append(a)
            below = a
        for sc in scopes:
            ids = {t.i for t in sc.subtree} - blocked
            hits = [tok_of[i] for i in sorted(ids) if i in tok_of]
            if hits:
                chosen = min(hits, key=lambda d: abs(d.start - c.start))
                break
    if chosen is None and event_days:
        # before a day that sets the scene: "on Friday scaled back the search for people
        # missing after last weekend's floods, saying 58 had died"
        chosen = event_days[0]
    if chosen is None and not counted and not earlier:
        # not a day of another claim's clause: "attacks killed 9 near A, sources said,
        # while gunmen killed 12 in B on Thursday" (rule "owned_day")
        scene = [
            d
            for d in ctx.context_dates
            if s <= d.start and d.end <= e and d not in counts and d not in owned
        ]
        if scene:
            chosen = min(scene, key=lambda d: abs(d.start - c.start))
    if chosen is None and not counted:
        chosen = ctx.carried_date(unit)
        if chosen is not None:
            weak_date = True
    if chosen is not None:
        return replace(c, event_date=chosen.date, weekday=chosen.weekday, weak_date=weak_date)
    return replace(c, weak_date=True)
