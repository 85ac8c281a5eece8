"""spaCy's named entities as evidence about place names, read only where a rule is in doubt.

The gazetteer finds names; most are places. A few are not, and the words around them do
not say so: a town that is also a given name or a surname ("spokeswoman Diana Villanueva
told reporters", "police captain Abdikadir Farah said") and, among the capitalised names
after "in" that the gazetteer lacks, a month ("in Sept 2021"). spaCy's recogniser (the
``ner`` component of the same model, with its own token vectors) tells these apart, but
running it on every sentence would cost as much as the parse itself. It runs only on the
sentences that hold a name in doubt (a place name written beside another title-case word,
or a name the gazetteer lacks) and decides two rules:

* ``person_name``: a place name inside a PERSON entity that adds another title-case word
  ("Diana Villanueva", "Ramon Dizon") names a person. Not where the entity only joins a
  lost possessive or a lower-case word ("Tanzanias Kilimanjaro", "pounds Belgorod": the
  small model's usual slips), and not a place that stands alone as a PERSON: the small
  model takes many real towns it has not seen ("Puquio", "Kipsitet") for people, so a
  lone label is no evidence.
* ``date_name``: a name the gazetteer lacks that lies inside a DATE or TIME entity ("in
  Sept 2021", "in Ramadan") is no place.

The labels GPE, LOC and FAC are not used to add places: on real copy the small model
gives them to phrases the gazetteer and the unit rules already read, and misses the towns
they miss.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from typing import Any

from processors.extract.lexicon import WEEKDAY_MONTH_WORDS
from processors.places import PlaceMatch

# (start, end, label) of each entity, in article offsets, for the given windows
EntityReader = Callable[[str, Sequence[tuple[int, int]]], list[list[tuple[int, int, str]]]]

NOT_PLACE_TIME = {"DATE", "TIME"}

# a title-case word (not a function word, a weekday or a month) right before or after a
# name: the name may be part of a longer one ("Diana Villanueva", "Abdikadir Farah")
_WORD_BEFORE_RE = re.compile(r"\b([A-Z][a-z]+) $")
_WORD_AFTER_RE = re.compile(r" ([A-Z][a-z]+)\b")
_FUNCTION_WORDS = {
    "the", "a", "an", "in", "at", "on", "near", "from", "to", "of", "by", "for", "and", "but",
    "as", "after", "before", "during", "with", "when", "while", "since", "across", "outside",
    "inside", "into", "over", "under", "between", "around", "both", "it", "its", "this",
    "that", "these", "those", "some", "many", "most", "all", "two", "three", "one",
}  # fmt: skip


def _title_word_beside(text: str, p: PlaceMatch) -> bool:
    before = _WORD_BEFORE_RE.search(text, max(0, p.start - 30), p.start)
    after = _WORD_AFTER_RE.match(text, p.end)
    return any(
        m is not None
        and m.group(1).lower() not in _FUNCTION_WORDS
        and m.group(1).lower() not in WEEKDAY_MONTH_WORDS
        for m in (before, after)
    )


def in_doubt(text: str, p: PlaceMatch) -> bool:
    """Whether the entities of ``p``'s sentence may overrule the rules that found it."""
    if p.kind == "demonym":
        return False
    return p.kind == "unknown" or _title_word_beside(text, p)


def _window(units: Sequence[tuple[int, int]], starts: list[int], p: PlaceMatch) -> tuple[int, int]:
    """The sentence unit that holds ``p`` (at most 60 characters of it on either side: the recogniser looks a few words
    around a name)."""
    k = bisect.bisect_right(starts, p.start) - 1
    s, e = (p.start, p.end)
    if k >= 0 and units[k][0] <= p.start and p.end <= units[k][1]:
        s, e = units[k]
    return max(s, p.start - _REACH), min(e, p.end + _REACH)


_REACH = 60


def _names_person(text: str, p: PlaceMatch, ent: tuple[int, int, str]) -> bool:
    """Rule ``person_name``: ``ent`` is a PERSON that adds a title-case word to ``p``, and
    ``p`` starts and ends where its words do."""
    s, e, label = ent
    if label != "PERSON" or not (s <= p.start and p.end <= e) or (s, e) == (p.start, p.end):
        return False
    if (p.end < e and text[p.end].isalnum()) or (p.start > s and text[p.start - 1].isalnum()):
        return False  # "Tanzanias" holds "Tanzania": a lost possessive, not a name
    rest = re.findall(
        r"[^\W\d_]+", re.sub(r"['’]s\b", "", f"{text[s : p.start]} {text[p.end : e]}")
    )
    return any(w.istitle() and len(w) > 1 for w in rest) and all(w[0].isupper() for w in rest)


def _names_time(p: PlaceMatch, ent: tuple[int, int, str]) -> bool:
    """Rule ``date_name``: a name the gazetteer lacks inside a DATE or TIME entity."""
    s, e, label = ent
    return p.kind == "unknown" and label in NOT_PLACE_TIME and s <= p.start and p.end <= e


def not_places(
    text: str,
    places: list[PlaceMatch],
    units: Sequence[tuple[int, int]],
    read: EntityReader,
) -> set[int]:
    """Starts of the ``places`` that the entities of their sentences show are no places
    (rules ``person_name`` and ``date_name``); ``read`` runs the recogniser, only on the
    sentences that hold a name in doubt."""
    doubtful = [p for p in places if in_doubt(text, p)]
    if not doubtful:
        return set()
    starts = [s for s, _ in units]
    windows = sorted({_window(units, starts, p) for p in doubtful})
    ents = [ent for got in read(text, windows) for ent in got]
    # a lost possessive inside a PERSON ("Austrias Tyrol") is the small model's slip
    possessive = [q for q in places if q.end < len(text) and text[q.end] == "s"]
    return {
        p.start
        for p in doubtful
        if any(
            (_names_person(text, p, ent) and not _holds_other(ent, p, possessive))
            or _names_time(p, ent)
            for ent in ents
        )
    }


def _holds_other(ent: tuple[int, int, str], p: PlaceMatch, others: list[PlaceMatch]) -> bool:
    return any(q is not p and ent[0] <= q.start and q.end < ent[1] for q in others)


def entity_reader(ner_nlp: Any) -> EntityReader:
    """An :data:`EntityReader` on a pipeline whose only component is ``ner``."""

    def read(text: str, windows: Sequence[tuple[int, int]]) -> list[list[tuple[int, int, str]]]:
        docs = ner_nlp.pipe(text[s:e] for s, e in windows)
        return [
            [(s + ent.start_char, s + ent.end_char, ent.label_) for ent in doc.ents]
            for (s, _e), doc in zip(windows, docs, strict=True)
        ]

    return read


__all__ = ["EntityReader", "entity_reader", "in_doubt", "not_places"]
