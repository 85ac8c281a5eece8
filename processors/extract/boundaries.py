"""Commas that degraded copy lost, put back before the parse where a rule is sure of them.

Scraped copy loses its commas, and the parser then joins clauses that the comma kept
apart. Two rules, each a function of the unparsed Doc giving the tokens before which a
comma was lost:

- ``speaker_boundary``: "... bringing the toll to four, Mayor Jan Doe said." comes as
  "... to four Mayor Jan Doe said.", and the parser reads the figure as a modifier of the
  speaker ("four Mayor") or the victims as part of it ("30 people state media"): the figure
  is lost or keeps no source. A comma goes before a speaker phrase that follows a figure
  and is followed by a reporting verb ending its clause.
- ``toll_clause_boundary``: "... missing since a storm on Sunday, bringing the toll to
  five" without its comma hangs the toll on "since a storm" (a past event). A comma goes
  before "bringing / raising ... the toll" where a word runs into it.

The space before the token becomes the comma, so the Doc's text keeps the length of the
unit and every character offset stays valid.
"""

from __future__ import annotations

import functools
from typing import Any

from processors.extract.lexicon import SPEAKER_SET, TOLL_NOUNS, WEEKDAY_MONTH_WORDS

# a reporting verb that ends a clause: "..., police said." (not "-ing": "saying 58 bodies")
REPORT_VERBS = frozenset({
    "said", "says", "told", "added", "reported", "stated", "announced", "confirmed",
    "wrote", "tweeted",
})  # fmt: skip
# between the speaker and the verb: "officials have said", "the mayor later said"
VERB_AUX = {"has", "had", "have", "also", "later"}
# what may follow the verb for it to end the clause: punctuation, or the when and how of
# the statement ("said on Sunday", "said in a statement", "said as rescuers ...")
CLAUSE_GOES_ON = {
    "on", "in", "at", "as", "after", "while", "when", "late", "early", "last", "this",
    "yesterday", "today", "tonight", "overnight", "adding", "citing", "and", "but",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
}  # fmt: skip
# words inside a speaker phrase: "the Valencian Emergency Coordination Centre", "a police
# spokesman", "officials in Alba province"; none ends one, "the" and "a" may start one
SPEAKER_GLUE = {"the", "a", "an", "of", "and", "in"}
NOT_FIRST = {"of", "and", "in"}
# words that are no victims between a figure and a speaker ("12 killed in ...", "the")
NOT_VICTIMS = SPEAKER_GLUE | {"on", "at", "to", "for", "from", "by", "with", "or"}
# the victims between a figure and the speaker: "killing 30 people state media said"
MAX_NOUNS_AFTER_FIGURE = 2
MAX_SPEAKER_WORDS = 8


def _ends_clause(doc: Any, i: int) -> bool:
    """Whether reporting verb ``doc[i]`` ends its clause."""
    if i + 1 >= len(doc):
        return True
    nxt = doc[i + 1]
    return (nxt.is_punct and nxt.text not in ("-", "—", "–")) or nxt.lower_ in CLAUSE_GOES_ON


def _speaker_start(doc: Any, verb: int) -> int | None:
    """The first token of the speaker phrase written right before reporting verb ``verb``
    (capitalised words and speaker words), or None where there is none."""
    i = verb - 1
    while i >= 0 and doc[i].lower_ in VERB_AUX:
        i -= 1
    # a short form in brackets: "the National Disaster Agency (NDA) said"
    if i >= 2 and doc[i].text == ")" and doc[i - 2].text == "(":
        i -= 3
    end = i
    while i >= 0 and end - i < MAX_SPEAKER_WORDS:
        w = doc[i]
        if w.is_punct or w.like_num or w.lower_ in WEEKDAY_MONTH_WORDS:
            break
        if not (w.text[:1].isupper() or w.lower_ in SPEAKER_SET or w.lower_ in SPEAKER_GLUE):
            break
        i -= 1
    start = i + 1
    while start <= end and doc[start].lower_ in NOT_FIRST:
        start += 1
    if start > end or doc[end].lower_ in SPEAKER_GLUE:
        return None
    return start


def _follows_figure(doc: Any, start: int) -> bool:
    """Whether the words before ``doc[start]`` end in a figure: "four", "30 people",
    "34 others"; not a place or a time ("in Lowvale", "on Sunday")."""
    for back in range(MAX_NOUNS_AFTER_FIGURE + 1):
        k = start - 1 - back
        if k < 0:
            return False
        t = doc[k]
        if t.like_num:
            return True
        if not t.is_alpha or not t.is_lower or t.lower_ in NOT_VICTIMS:
            return False
    return False


def speaker_boundary(doc: Any) -> list[int]:
    """Rule ``speaker_boundary`` (see the module): "injuring 34 regional Governor Ana Roe
    said" -> before "regional"."""
    out = []
    for t in _tokens_of(doc, _ids(REPORT_VERBS)):
        if not _ends_clause(doc, t.i):
            continue
        start = _speaker_start(doc, t.i)
        if start is None or start == 0 or doc[start - 1].whitespace_ != " ":
            continue
        if _follows_figure(doc, start):
            out.append(start)
    return out


# "bringing the death toll to five", "raising the number of dead to 12"
TOLL_PARTICIPLES = frozenset({"bringing", "raising", "pushing", "taking", "putting", "lifting"})
# a word that runs into such a participle without having ended a clause: "is bringing"
NOT_A_CLAUSE_END = {
    "is", "are", "was", "were", "be", "been", "being", "and", "or", "but", "also", "not",
    "further", "thus", "then", "still", "of", "the", "a", "an", "to", "by", "for", "with",
}  # fmt: skip
TOLL_WITHIN = 4  # words from the participle to "toll": "bringing the final death toll"


def toll_clause_boundary(doc: Any) -> list[int]:
    """Rule ``toll_clause_boundary`` (see the module): "... near Lowvale on Sunday
    bringing the death toll to five" -> before "bringing"."""
    out = []
    for t in _tokens_of(doc, _ids(TOLL_PARTICIPLES)):
        if t.i == 0:
            continue
        prev = doc[t.i - 1]
        if prev.whitespace_ != " " or prev.is_punct or prev.lower_ in NOT_A_CLAUSE_END:
            continue
        if any(x.lower_ in TOLL_NOUNS for x in doc[t.i + 1 : t.i + 1 + TOLL_WITHIN]):
            out.append(t.i)
    return out


def _tokens_of(doc: Any, words: frozenset[int]) -> list[Any]:
    """The tokens of ``doc`` whose lower-case form is one of ``words`` (string ids): read
    from one array, not by making a Token of every word (the rules run on every unit)."""
    from spacy.attrs import LOWER

    return [doc[i] for i, w in enumerate(doc.to_array(LOWER).tolist()) if w in words]


@functools.cache
def _ids(words: frozenset[str]) -> frozenset[int]:
    from spacy.strings import get_string_id  # here: spaCy loads with the model

    return frozenset(get_string_id(w) for w in words)


# the rules, as functions of the unparsed Doc: the tokens before which a comma was lost
BOUNDARY_RULES = (speaker_boundary, toll_clause_boundary)


def boundaries(doc: Any) -> list[int]:
    """Tokens of an unparsed ``doc`` before which a comma was lost (see the module)."""
    return sorted({i for rule in BOUNDARY_RULES for i in rule(doc)})


def restore_boundaries(nlp: Any, text: str) -> Any:
    """``text`` as an unparsed Doc, with a comma token for each lost boundary (see
    :data:`BOUNDARY_RULES`): the space before the token becomes the comma, so the Doc's
    text has the length of ``text`` and differs from it only there."""
    doc = nlp.make_doc(text)
    at = boundaries(doc)
    if not at:
        return doc
    from spacy.tokens import Doc

    words: list[str] = []
    spaces: list[bool] = []
    cut = set(at)
    for t in doc:
        if t.i + 1 in cut:
            words += [t.text, ","]
            spaces += [False, False]
        else:
            words.append(t.text)
            spaces.append(bool(t.whitespace_))
    return Doc(doc.vocab, words=words, spaces=spaces)
