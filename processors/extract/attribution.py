"""Who states a figure (its source), and how: qualifier and hedge."""

from __future__ import annotations

import re
from typing import Any

from processors.attribution import EVENT_NOUNS, is_not_a_source
from processors.extract.candidate import Candidate
from processors.extract.context import ArticleState
from processors.extract.lexicon import (
    AT_LEAST_AFTER_RE,
    HEDGE_RE,
    METRIC_NOUNS,
    NAMED_SPEAKER_RE,
    PRONOUNS,
    QUALIFIERS,
    SPEAKER_SET,
    SPEECH_HINT_RE,
    SPEECH_VERBS,
    TOLL_NOUNS,
    TOLL_VERBS,
    WEEKDAY_MONTH_WORDS,
)
from processors.extract.metric import toll_noun
from processors.extract.parse import coarse_pos, np_text


def qualifier_of(sent: str, start: int, end: int) -> str:
    before = sent[max(0, start - 40) : start]
    for q, pat in QUALIFIERS:
        if pat.search(before):
            return q
    if AT_LEAST_AFTER_RE.match(sent, end):
        return "at_least"
    return "exact"


def is_hedged(doc: Any, sent: str, c: Candidate, base: int) -> bool:
    """A hedge ("may have", "feared", "as many as") near the figure or its anchor. Offsets
    are the sentence's: ``c.start`` is the article's, so ``base`` (the unit's start) comes
    off it."""
    anchor = doc[c.anchor_i]
    lo = min(c.start - base, anchor.idx)
    window = sent[max(0, lo - 40) : anchor.idx + len(anchor.text) + 30]
    return bool(HEDGE_RE.search(window)) or "feared" in {t.lower_ for t in anchor.children}


_TELL_VERBS = {"tell", "tells", "told", "telling"}  # their object is who heard it


_TIME_PREFIX_RE = re.compile(
    r"^(?:(?:on|late|early|by|in|at)\s+)?(?:(?:last|this)\s+)?(?:Monday|Tuesday|Wednesday|"
    r"Thursday|Friday|Saturday|Sunday|yesterday|today|tonight|overnight)(?:['’]?s)?"
    r"(?:\s+(?:morning|afternoon|evening|night))?\s+",
    re.I,
)


_CLAIM_VERBS = {"claim", "claims", "claimed", "claiming"}


def _speech_agent(t: Any) -> Any | None:
    """The agent of reporting verb ``t``: its subject; in inverted order ("..., said the
    monitor", "reported the state news agency") the noun phrase after it; for a verb
    coordinated with or hanging off another ("police arrived and said"), that verb's subject.
    Never a casualty count or what happened ("air strikes", "the blast"): rule
    ``not_a_source``."""
    subj = next((c for c in t.children if c.dep_ == "nsubj"), None)
    inverted = t.lower_ not in _TELL_VERBS and not any(
        c.dep_ in ("ccomp", "xcomp", "auxpass", "agent") for c in t.children
    )
    if subj is None and inverted:
        subj = next(
            (
                c
                for c in t.children
                if c.i > t.i
                and c.dep_ in ("dobj", "attr", "dep", "oprd")
                and coarse_pos(c) in ("NOUN", "PROPN")
                and c.lower_ not in WEEKDAY_MONTH_WORDS
            ),
            None,
        )
    if subj is None:
        # copy without commas ("killed 23 people police said"): the speaker words right
        # before the verb, whatever the parse made of them
        before = _speaker_before_verb(t)
        if before is not None:
            return before
    if subj is not None and any(
        x.like_num or x.lower_ in METRIC_NOUNS for x in subj.subtree if x.i < subj.i
    ):
        # copy without commas ("killing 30 people state media said", "the toll to four
        # Mayor Ihor Terekhov said"): the parse glued the figure onto the speaker, who is
        # the words right before the verb
        return _speaker_before_verb(t)
    v = t
    while subj is None and v.dep_ in ("conj", "advcl", "xcomp") and v.head.i != v.i:
        v = v.head
        subj = next((c for c in v.children if c.dep_ == "nsubj"), None)
    if (
        subj is None
        or _casualtyish(subj)
        or subj.lower_ in ("that", "which", "who", "this", "there")
    ):
        return None
    if subj.text in EVENT_NOUNS or subj.lower_ in _NOT_SPEAKERS:
        # a parse of copy without commas ("when a bus overturned near Leipzig police said")
        return _speaker_before_verb(t)
    if subj.dep_ != "nsubj" and subj.lower_ in PRONOUNS:
        return None
    return subj


# who does or suffers the harm; never who tells of it
_NOT_SPEAKERS = {
    "bomber", "bombers", "gunman", "gunmen", "attacker", "attackers", "assailant",
    "assailants", "shooter", "bus", "train", "plane", "ferry", "boat", "truck", "jet",
    "aircraft", "vessel", "ship", "minibus", "coach", "take-off", "landing",
}  # fmt: skip


def _speaker_before_verb(t: Any) -> Any | None:
    """The speaker written right before reporting verb ``t`` (capitalised words and
    speaker words such as "police", "officials", "the state news agency"), as a span."""
    doc = t.doc
    if t.lower_.endswith("ing"):  # "..., saying 58 bodies were found": the clause's subject
        return None
    i = t.i - 1
    while i >= 0 and doc[i].lower_ in ("has", "had", "have", "also", "later"):
        i -= 1
    end = i
    while i >= 0 and end - i < 8:
        w = doc[i]
        if w.is_punct or w.like_num or w.lower_ in METRIC_NOUNS or w.lower_ in PRONOUNS:
            break
        if not (
            (w.text[:1].isupper() and w.lower_ not in WEEKDAY_MONTH_WORDS)
            or w.lower_ in SPEAKER_SET
            or (w.lower_ in ("the", "a", "an", "of", "and") and i < end)
        ):
            break
        i -= 1
    toks = list(doc[i + 1 : end + 1])
    while toks and toks[0].lower_ in ("of", "and"):
        toks.pop(0)
    if not toks or toks[-1].lower_ in ("the", "a", "an", "of", "and"):
        return None
    if not any(x.lower_ in SPEAKER_SET or coarse_pos(x) == "PROPN" for x in toks):
        return None
    span = doc[toks[0].i : toks[-1].i + 1]
    return span if span.root.lower_ not in _NOT_SPEAKERS | EVENT_NOUNS else None


def sources_of(
    doc: Any, claims: list[Candidate], state: ArticleState, base: int = 0
) -> tuple[set[int], dict[int, str]]:
    """Who states each claim: the agent of a reporting verb governing it, "according to
    X", or "X's claim of N" (never the subject of the event verb: "the blast killed nine"
    has no source). Pronouns and short mentions ("the monitor") resolve to the full name
    the article gave earlier (:class:`SourceMemory`); ``base`` is the doc's offset."""
    src_tokens: set[int] = set()
    speech: list[tuple[Any, str]] = []  # (verb, source text)
    memory = state.memory

    def name_of(tok: Any, record: bool = True) -> str | None:
        if hasattr(tok, "root"):  # a span of speaker words (see _speaker_before_verb)
            written, pos = re.sub(r"['’]s$", "", tok.text.strip()), base + tok.start_char
        else:
            written, pos = np_text(tok), base + tok.left_edge.idx
        # "Tuesday morning officials", "Saturday IGSU spokeswoman ...": the day is no part
        written = _TIME_PREFIX_RE.sub("", written) or written
        name = memory.resolve(written, pos)
        if name is None or is_not_a_source(name):
            return None
        if name == written and record:  # a speaker: the referent of a later "he said"
            memory.add(pos, written)
        return name

    for t in doc:
        if t.lower_ == "according" and t.i + 1 < len(doc) and doc[t.i + 1].lower_ == "to":
            to = doc[t.i + 1]
            pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
            if pobj is not None:
                src_tokens |= {x.i for x in pobj.subtree}
                name = name_of(pobj)
                if name:
                    speech.append((t, name))
            continue
        toll_verb = t.lower_ in TOLL_VERBS and toll_noun(t) is not None
        if (t.lower_ in SPEECH_VERBS or toll_verb) and coarse_pos(t) in ("VERB", "AUX"):
            # "the blast claimed 32 lives", "strikes claimed 17 victims" are no statements
            if any(
                c.dep_ == "dobj"
                and (
                    c.lower_ in ("lives", "life")
                    or (t.lower_ in _CLAIM_VERBS and _casualtyish(c) and c.lower_ not in TOLL_NOUNS)
                )
                for c in t.children
            ):
                continue
            subj = _speech_agent(t)
            if subj is None:
                continue
            if hasattr(subj, "root"):
                src_tokens |= set(range(subj.start, subj.end))
            else:
                src_tokens |= {x.i for x in subj.subtree}
            name = name_of(subj)
            if name:
                speech.append((t, name))
    out: dict[int, str] = {}
    for c in claims:
        anchor = doc[c.anchor_i]
        num = doc[c.num_i]
        chosen: str | None = None
        # "Russia's claim of one dead"
        for a in num.ancestors:
            if a.lower_ in (
                "claim",
                "claims",
                "estimate",
                "estimates",
                "tally",
                "figures",
                "count",
            ):
                poss = next((x for x in a.children if x.dep_ == "poss"), None)
                if poss is not None:
                    chosen = name_of(poss, record=False)
                    src_tokens |= {x.i for x in poss.subtree}
                    break
        if chosen is None:
            by_verb = {v.i: s for v, s in speech}
            gov = [by_verb[a.i] for a in [*anchor.ancestors, *num.ancestors] if a.i in by_verb]
            if gov:
                chosen = gov[0]
            else:
                acc = [s for v, s in speech if v.lower_ == "according"]
                if acc:
                    chosen = acc[0]
                elif speech:
                    # "..., he said" after a quotation or a sentence of its own
                    same_sent = [s for v, s in speech if v.sent == num.sent or v.i > num.i]
                    chosen = same_sent[0] if same_sent else None
        if chosen:
            out[c.num_i] = chosen
    return src_tokens, out


def _casualtyish(tok: Any) -> bool:
    return (
        tok.like_num
        or tok.lower_ in METRIC_NOUNS
        or tok.lower_ in TOLL_NOUNS
        or any(t.like_num for t in tok.children if t.dep_ == "nummod")
    )


def speaker_marks(text: str, units: list[tuple[int, int]]) -> list[tuple[int, str]]:
    """Named speakers per unit, found by pattern (cheap; used to resolve pronouns)."""
    marks: list[tuple[int, str]] = []
    for s, e in units:
        said = [m.end() for m in SPEECH_HINT_RE.finditer(text, s, e)]
        if not said:
            continue
        # a named speaker ends with its verb: the words after the last verb name none
        # (and are not scanned)
        seg = text[s : said[-1]]
        for m in NAMED_SPEAKER_RE.finditer(seg):
            name = m.group(1).strip()
            name = re.sub(r"^(?:and|of|the|'s|’s)\s+", "", name, flags=re.I).strip()
            words = name.split()
            if not words or name.lower() in PRONOUNS or len(name) < 3:
                continue
            if not any(w[0].isupper() for w in words) and not re.search(
                r"official|authorit|police|ministry|governor|mayor|source|document", name, re.I
            ):
                continue
            marks.append((s + m.start(1), name))
    return marks


# a person named with a title ("Interior Minister Laurent Garnier", "Dr Jane Roe"): the
# referent of a later "he said" even where they said nothing before
_TITLED_PERSON_RE = re.compile(
    r"\b(?:[A-Z][a-z]+\s+)?(?:Minister|President|Governor|Gov\.|Mayor|Spokes(?:man|woman|person)|"
    r"Sheriff|Chief|Commander|General|Gen\.|Colonel|Col\.|Captain|Capt\.|Major|Dr\.?|"
    r"Secretary|Director|Prosecutor|Commissioner|Inspector|Senator)\s+"
    r"[A-Z][a-z’'-]+(?:\s+(?:al-|el-|bin\s+|de\s+|van\s+)?[A-Z][\w’'-]+){1,2}\b"
)


def titled_people(text: str) -> list[tuple[int, str]]:
    return [(m.start(), m.group(0)) for m in _TITLED_PERSON_RE.finditer(text)]
