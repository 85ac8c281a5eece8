"""Metric classification: does a figure count killed, injured or missing people."""

from __future__ import annotations

from typing import Any

from processors.extract.lexicon import (
    BELIEF_VERBS,
    CHANGE_VERBS,
    DIE_VERBS,
    HARM_NOUNS,
    HARM_PREFIXES,
    INJURE_VERBS,
    KILL_VERBS,
    LEAVE_VERBS,
    LIST_GLUE,
    LIST_PREP,
    LOSE_VERBS,
    METRIC_NOUNS,
    NON_PERSON,
    NOT_SAVED_VERBS,
    QUALIFIER_PREPS,
    RECEIVE_CARE_VERBS,
    SHOOT_VERBS,
    STAND_VERBS,
    STATE_WORDS,
    SUFFER_VERBS,
    TOLL_NOUNS,
    TREAT_VERBS,
)
from processors.extract.parse import coarse_pos


def metric_word(tok: Any) -> str | None:
    w = tok.lower_
    if w in STATE_WORDS and coarse_pos(tok) in ("ADJ", "VERB", "NOUN", "AUX"):
        return STATE_WORDS[w]
    return None


def _noun_metric(tok: Any) -> str | None:
    w = tok.lower_
    if w in ("lives", "life"):
        head = tok.head
        if head.lower_ in LOSE_VERBS | {"claimed", "claim", "claims", "claiming", "took", "taken"}:
            return "killed"
        return None
    if w in METRIC_NOUNS and coarse_pos(tok) in ("NOUN", "ADJ", "VERB", "PROPN", "NUM"):
        # "victims" counts the dead unless the sentence says otherwise ("injured victims")
        if w == "victims" and any(c.lower_ in ("injured", "wounded") for c in tok.children):
            return "injured"
        if w in ("death",) and tok.dep_ == "compound":
            return None
        return METRIC_NOUNS[w]
    return None


def _is_passive_like(verb: Any, dep: str) -> bool:
    if dep == "nsubjpass":
        return True
    if dep == "dobj":
        return True
    if dep == "nsubj" and verb.tag_ == "VBN":
        # "20 people killed in ..." (reduced passive); not "gunmen have killed"
        return not any(
            c.dep_ == "aux" and c.lower_ in ("have", "has", "had") for c in verb.children
        )
    return False


def metric_of(num: Any) -> tuple[str, Any, Any] | None:
    """(metric, nominal, anchor) for a figure token, or None when it is no casualty count.

    ``metric`` may be "?" for a bare "the figure rose to 61"; the caller fills it in.
    """
    nom = num
    for _ in range(3):
        if nom.dep_ in ("nummod", "compound", "quantmod") and nom.head.i != nom.i:
            nom = nom.head
        else:
            break
    # "a minimum of 12 miners died", "a total of 50 people were hurt"
    if (
        nom.dep_ == "pobj"
        and nom.head.lower_ == "of"
        and nom.head.head.lower_ in ("minimum", "total", "maximum", "tally")
    ):
        nom = nom.head.head
    if nom.lower_ == "casualties":
        return None
    # "14 of the 19 drones" counts no people; "19 of the victims", "the remaining four
    # bodies" point back to a figure already given
    for ch in nom.children:
        if ch.dep_ == "prep" and ch.lower_ == "of":
            for p in ch.children:
                if p.dep_ == "pobj" and (
                    p.lower_ in NON_PERSON
                    or (
                        p.lower_ in METRIC_NOUNS
                        and any(d.lower_ in ("the", "these", "those") for d in p.children)
                    )
                ):
                    # a part of the toll at a place: "12 of the dead were found in A"
                    if p.lower_ in METRIC_NOUNS and _at_place(nom):
                        return METRIC_NOUNS[p.lower_], nom, nom
                    return None
        if ch.dep_ == "amod" and ch.lower_ == "remaining" and ch.i < num.i:
            return None
    # "the bodies of 23 people", "the body of a 71-year-old man"
    if (
        nom.dep_ == "pobj"
        and nom.head.lower_ == "of"
        and nom.head.head.lower_ in ("bodies", "body", "remains", "corpses")
        and nom.lower_ not in NON_PERSON
    ):
        return "killed", nom, nom.head.head
    m = _noun_metric(nom)
    if m:
        return m, nom, nom
    if nom is not num and nom.lower_ in NON_PERSON:
        return None
    if nom is not num and coarse_pos(nom) not in ("NOUN", "PROPN", "PRON", "NUM", "ADJ"):
        return None
    # rule ``not_saved``: "a woman who suffered burns could not be saved" died
    if _not_saved(nom):
        return "killed", nom, nom.head
    # "20 people dead", "20 people killed in ...", "the 5 who died"
    for ch in nom.children:
        if ch.i > nom.i and ch.dep_ in ("amod", "acl", "relcl", "oprd", "appos"):
            mm = metric_word(ch)
            if mm and ch.dep_ != "relcl":
                return mm, nom, ch
            if ch.dep_ == "relcl":
                subj = _relcl_subject(ch)
                if subj is not ch and any(d.like_num for d in subj.children):
                    # "seven in the X collision, in which 11 people were also injured":
                    # the clause counts its own figure; its verb is not this one's
                    continue
                # "the 38 people who were taken to hospital": a passive relative clause
                # read as one too (after the active reading, which the rules read first)
                r = _verb_metric(ch, subj, "nsubj") or (
                    _verb_metric(ch, subj, "nsubjpass") if subj.dep_ == "nsubjpass" else None
                )
                if r:
                    return r, nom, ch
    # "left 29 dead and 11 missing": the state word right after the figure is its own
    nxt = num.doc[num.i + 1] if num.i + 1 < len(num.doc) else None
    if nom is num and nxt is not None and nxt.head.i == num.head.i and metric_word(nxt):
        return metric_word(nxt) or "", nom, nxt
    g = nom
    for _ in range(4):
        if g.dep_ in ("conj", "appos") and g.head.i != g.i:
            g = g.head
            m = _noun_metric(g)
            if m:
                return m, nom, g
            if g.dep_ in ("nummod", "compound") and g.head.i != g.i:
                gm = _noun_metric(g.head)
                if gm:
                    return gm, nom, g.head
                g = g.head
        else:
            break
    dep = g.dep_
    head = g.head
    # "injured around 160", "killed more than 60", "killed up to 200": the figure hangs
    # off its qualifier, which hangs off the verb
    if dep == "pobj" and (
        head.lower_ in QUALIFIER_PREPS or (head.lower_ == "to" and head.head.lower_ == "up")
    ):
        p = head
        if p.head.lower_ in ("more", "up", "as", "less", "fewer", "close") and p.head.i != p.i:
            p = p.head
        if p.dep_ in ("prep", "advmod", "quantmod", "amod") and coarse_pos(p.head) in (
            "VERB",
            "AUX",
        ):
            dep, head = "dobj", p.head
        elif p.dep_ in ("nsubj", "nsubjpass", "dobj", "attr"):
            dep, head = p.dep_, p.head
    if dep == "pobj":
        return _toll_metric(g, head)
    if dep in ("attr",) and head.lower_ in ("is", "was", "stands", "stood", "be", "been"):
        t = toll_noun(head)
        if t is not None:
            return _toll_noun_metric(t), nom, t
    if dep in ("dobj",) and head.lower_ in (
        "reached", "hit", "surpassed", "exceeded", "topped", "passed", "reach", "hits",
        "passes", "tops", "nears", "neared", "approached", "approaches", "surpasses",
        "reaches", "exceed", "exceeds", "crossed",
    ):  # fmt: skip
        t = toll_noun(head)
        if t is not None:
            return _toll_noun_metric(t), nom, t
    if nom is num and dep in ("nsubj", "dobj"):
        by_place = _by_place_metric(num, head)
        if by_place:
            return by_place, nom, head
    if dep == "npadvmod" and coarse_pos(head) == "VERB":
        dep = "dobj"  # "wounded at least 144": a mis-attached object
    if dep in ("nsubj", "nsubjpass", "dobj", "attr", "oprd", "dative", "conj"):
        r = _verb_metric(head, g, dep)
        if r:
            return r, nom, _anchor_for(head)
    return None


_PART_VERBS = {
    "found", "recorded", "reported", "registered", "counted", "confirmed", "located",
    "is", "are", "was", "were", "be", "been", "came", "come", "lived", "died",
}  # fmt: skip


def _at_place(nom: Any) -> bool:
    """The figure is the subject of a clause that puts it at a named place: "were found in
    A", "are from B", "were recorded in C"."""
    verb = nom.head
    if nom.dep_ not in ("nsubj", "nsubjpass") or verb.lower_ not in _PART_VERBS:
        return False
    return any(
        c.dep_ == "prep"
        and c.lower_ in ("in", "at", "from", "near")
        and any(coarse_pos(t) == "PROPN" for t in c.subtree)
        for c in verb.children
    )


def _by_place_metric(num: Any, verb: Any) -> str | None:
    """A toll broken down by place: "Of the dead, 81 were in A", "The dead included 5 in
    A and 3 in B". The metric is the noun the figures are drawn from."""
    places = [*num.children, *verb.children] if verb.lower_ in LIST_GLUE else num.children
    if not any(c.dep_ == "prep" and c.lower_ in LIST_PREP | {"from"} for c in places):
        return None
    named = False
    if verb.lower_ in ("included", "include", "includes"):
        src = [c for c in verb.children if c.dep_ == "nsubj"]
    elif verb.lower_ in LIST_GLUE:
        # "Of the 23 missing, 15 are from A": the "of" may hang off the figure when the
        # clause names a place
        named = any(
            c.dep_ == "prep"
            and c.lower_ in LIST_PREP | {"from"}
            and any(coarse_pos(t) == "PROPN" for t in c.subtree)
            for c in places
        )
        src = [
            p
            for c in [*verb.children, *(num.children if named else ())]
            if c.dep_ == "prep" and c.lower_ in ("of", "among") and c.i < num.i
            for p in c.children
            if p.dep_ == "pobj"
        ]
    else:
        return None
    for t in src:
        m = _noun_metric(t)
        if m is None and named:  # "Of the 23 people still missing, 15 are from A"
            m = next(
                (
                    metric_word(c)
                    for c in t.children
                    if c.dep_ in ("amod", "acl") and metric_word(c)
                ),
                None,
            )
        if m:
            return m
    return None


def _not_saved(nom: Any) -> bool:
    """ "could not be saved", "did not survive": the subject is dead."""
    verb = nom.head
    return (
        nom.dep_ in ("nsubj", "nsubjpass")
        and verb.lower_ in NOT_SAVED_VERBS
        and any(c.dep_ == "neg" for c in verb.children)
    )


def _relcl_subject(verb: Any) -> Any:
    return next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), verb)


def _anchor_for(verb: Any) -> Any:
    return verb


_PEOPLE_HEADS = {"people", "persons", "others", "victims"}


# what a person buried alive is buried under: no death
_BURIED_ALIVE = {
    "alive", "rubble", "debris", "mud", "snow", "landslide", "mudslide", "avalanche", "under",
    "beneath", "underneath", "trapped", "rescued", "freed", "dug", "pulled", "survived",
}  # fmt: skip


def _people_head(arg: Any) -> bool:
    """ "29 people", "12 others", "nine of them": the figure counts persons."""
    if arg.lower_ in _PEOPLE_HEADS:
        return True
    return any(
        c.dep_ == "prep"
        and c.lower_ == "of"
        and any(p.lower_ in ("them", "whom") for p in c.children)
        for c in arg.children
    )


def _buried_dead(verb: Any, arg: Any) -> bool:
    """ "47 people had been buried": the dead, not those buried under rubble and rescued."""
    if arg.lower_ not in _PEOPLE_HEADS | {"bodies", "dead"}:
        return False
    words = {t.lower_ for t in verb.subtree} | {t.lower_ for t in verb.head.subtree}
    return not words & _BURIED_ALIVE


def _verb_metric(verb: Any, arg: Any, dep: str) -> str | None:
    w = verb.lower_
    if w in ("buried", "bury", "buries", "burying"):
        return "killed" if _is_passive_like(verb, dep) and _buried_dead(verb, arg) else None
    if w in KILL_VERBS and _is_passive_like(verb, dep):
        return "killed"
    # "shot dead four people", "four were gunned down", "six shot dead"
    if w in SHOOT_VERBS and _is_passive_like(verb, dep):
        ends = {c.lower_ for c in verb.children if c.i > verb.i}
        if "dead" in ends or ("down" in ends and w.startswith("gun")):
            return "killed"
    if w in INJURE_VERBS and _is_passive_like(verb, dep):
        return "injured"
    if w in DIE_VERBS and dep == "nsubj":
        return "killed"
    # "16 workers sustained injuries", "two suffered burns"
    if w in SUFFER_VERBS and dep == "nsubj":
        obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
        if obj is not None and obj.lower_ in HARM_NOUNS:
            return "injured"
    # "90 migrants are feared to have drowned", "40 are thought to have perished"
    if dep in ("nsubjpass", "nsubj") and w in BELIEF_VERBS:
        for c in verb.children:
            if c.dep_ == "xcomp" and (
                c.lower_ in DIE_VERBS or (c.lower_ in KILL_VERBS and c.tag_ == "VBN")
            ):
                return "killed"
    # "the 11 people on board were still missing"
    if dep == "nsubj" and w in ("missing", "unaccounted") and coarse_pos(verb) in ("VERB", "ADJ"):
        return "missing"
    # "two aid workers were listed as missing", "listed 12 as dead"
    if dep in ("nsubjpass", "dobj"):
        for c in verb.children:
            if c.dep_ == "prep" and c.lower_ == "as":
                mm = next((metric_word(g) for g in c.children if metric_word(g)), None)
                if mm:
                    return mm
    if w in LOSE_VERBS:
        if dep == "nsubj" and any(c.lower_ in ("lives", "life") for c in verb.children):
            return "killed"
        if (
            dep == "dobj"
            and arg.lower_ not in NON_PERSON
            and arg.lower_ not in ("lives", "life", "ground", "control", "power")
            and coarse_pos(arg) in ("NOUN", "NUM")
        ):
            return "killed"
    # "left 10 dead", "10 remain missing", "10 were reported dead", "10 are feared dead"
    has_obj = dep == "nsubj" and any(c.dep_ == "dobj" for c in verb.children)
    if dep in ("dobj", "nsubj", "nsubjpass") and not has_obj:
        for ch in verb.children:
            if ch.dep_ in ("acomp", "oprd", "xcomp", "ccomp", "attr", "advcl") and ch.i > arg.i:
                if any(g.dep_ in ("nsubj", "nsubjpass") for g in ch.children):
                    continue  # another clause: "brought nine out alive, while seven were missing"
                mm = metric_word(ch)
                if mm:
                    return mm
                for gc in ch.children:
                    if gc.dep_ in ("acomp", "oprd") and metric_word(gc):
                        return metric_word(gc)
        if w in LEAVE_VERBS:
            for ch in verb.children:
                if ch.dep_ == "conj" and metric_word(ch) and ch.i == arg.i + 1:
                    return metric_word(ch)
    if w in ("taken", "rushed", "admitted", "airlifted", "flown") and dep == "nsubjpass":
        for c in verb.children:
            if c.dep_ == "prep" and any(x.lower_ in ("hospital", "hospitals") for x in c.subtree):
                return "injured"
    # "29 people were being treated at a hospital", "12 of them were treated in hospitals":
    # persons (or an injured context) treated in hospital
    if w in TREAT_VERBS and dep == "nsubjpass":
        in_hospital = any(
            c.dep_ == "prep"
            and c.lower_ in ("at", "in")
            and any(x.lower_ in ("hospital", "hospitals", "clinic", "clinics") for x in c.subtree)
            for c in verb.children
        )
        hurt = any(t.lower_.startswith(("injur", "wound")) for t in verb.sent)
        if in_hospital and (_people_head(arg) or hurt):
            return "injured"
    # "23 were treated for burns", "treated about 1,400 people for heatstroke",
    # "we have admitted 27 people with burns"
    if w in TREAT_VERBS and dep in ("nsubjpass", "dobj"):
        for c in [*verb.children, *arg.children]:
            if (
                c.dep_ == "prep"
                and c.lower_ in ("for", "with")
                and any(
                    t.lower_ in HARM_NOUNS or t.lower_.startswith(HARM_PREFIXES) for t in c.subtree
                )
            ):
                return "injured"
    # "21 others are receiving treatment", "nine people are undergoing treatment in
    # Dunmore": those cared for are the hurt
    if (
        w in RECEIVE_CARE_VERBS
        and dep == "nsubj"
        and _people_head(arg)
        and any(c.dep_ == "dobj" and c.lower_ == "treatment" for c in verb.children)
    ):
        return "injured"
    return None


def toll_noun(verb: Any) -> Any | None:
    for c in verb.children:
        if c.dep_ in ("nsubj", "nsubjpass", "dobj") and c.lower_ in TOLL_NOUNS:
            return c
    return None


def _toll_noun_metric(t: Any) -> str:
    words = {c.lower_ for c in t.children}
    for c in t.children:
        if c.dep_ == "prep" and c.lower_ == "of":
            for p in c.children:
                words.add(p.lower_)
                words |= {x.lower_ for x in p.children}
    if words & {"injury", "injuries", "injured", "wounded", "hurt"}:
        return "injured"
    if words & {"missing", "unaccounted"}:
        return "missing"
    if words & {"death", "deaths", "dead", "killed", "fatalities", "victims", "casualty"}:
        return "killed"
    if t.lower_ in ("toll", "tolls"):
        return "killed"
    return "?"


def _toll_metric(g: Any, prep: Any) -> tuple[str, Any, Any] | None:
    if prep.lower_ not in ("to", "at", "from", "of", "past", "above", "beyond"):
        return None
    h = prep.head
    if h.lower_ in TOLL_NOUNS:
        return _toll_noun_metric(h), g, h
    if coarse_pos(h) in ("VERB", "AUX"):
        # "put the number of injured at 312 and the number of dead at 49": the toll noun
        # named last before the figure
        tolls = [
            c
            for c in h.children
            if c.dep_ in ("nsubj", "nsubjpass", "dobj", "conj")
            and c.lower_ in TOLL_NOUNS
            and c.i < prep.i
        ]
        t = max(tolls, key=lambda c: c.i) if tolls else None
        if t is not None:
            return _toll_noun_metric(t), g, t
        # a toll referred back to: "the death toll, which had risen to 61", "by nightfall
        # that had climbed to 241" (the bare pronoun takes the article's last metric)
        # "the toll, which had stood at 11": its earlier count
        if (h.lower_ in CHANGE_VERBS and prep.lower_ == "to") or (
            h.lower_ in STAND_VERBS and prep.lower_ == "at"
        ):
            pron = next(
                (
                    c
                    for c in h.children
                    if c.dep_ == "nsubj" and c.lower_ in ("which", "that", "it")
                ),
                None,
            )
            if pron is not None:
                if h.dep_ == "relcl":
                    # "the toll from the crash, which had risen to 14": the noun the
                    # clause hangs off, or the toll that noun belongs to
                    n = h.head
                    for _ in range(2):
                        if n.lower_ in TOLL_NOUNS:
                            return _toll_noun_metric(n), g, n
                        if n.dep_ != "pobj" or n.head.dep_ != "prep":
                            break
                        n = n.head.head
                if h.dep_ != "relcl" or pron.lower_ != "which":
                    return "?", g, pron
    # "taking the toll in the explosion to 11", "revised the number of dead from the
    # sinking to 10 from 11": the parse hangs the figure on the event's noun, in the phrase
    # that says whose toll it is; the figure is the toll the verb changes
    if h.dep_ in ("pobj", "pcomp") and h.head.dep_ == "prep":
        verb = h.head.head
        t = toll_noun(verb) if coarse_pos(verb) in ("VERB", "AUX") else None
        if t is not None and t.i < prep.i:
            return _toll_noun_metric(t), g, t
    # "death toll to 45" attached under a noun: "bringing Friday's death toll to 45"
    return None
