"""Normalising who stated a figure, so that one source spelled two ways is one source.

:func:`normalise_source` maps a source as written ("Georgia's Emergency Situations Ministry",
"Marrowby Mayor Ivan Dobrovskiy") to a comparison key. Two spellings of one source should get
the same key; two different sources should not. The key is internal (it is hashed into claim
ids); what users see is always a source as an article wrote it.

Two kinds of key:

* ``person:<last>:<first>`` for a named person, recognised by a title before the name
  ("Mayor ...", "President ...") or by a short run of capitalised words with no
  organisation word in it. ``<last>`` and ``<first>`` are consonant skeletons, so near
  transliterations agree (Dobrovsky/Dobrovskiy, Oleksandr/Olexandr). ``<first>`` is empty when
  only the surname was given; :func:`merge_person_keys` reconciles those within one event.
* otherwise the sorted set of content words, after dropping articles, possessives,
  punctuation, titles and filler, mapping demonyms to countries (Georgian -> georgia) and
  folding synonyms (emergencies -> emergency, officials -> authorities, drop "situations").

Bare "officials"/"authorities" normalise to :data:`GENERIC_SOURCE`: an attribution that
names nobody. Event resolution treats it as weak (it may join a named source's claim).

All functions are pure and cached; no place or person names from any data set live here.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

__all__ = ["GENERIC_SOURCE", "PERSON_PREFIX", "merge_person_keys", "normalise_source"]

GENERIC_SOURCE = "authorities"
PERSON_PREFIX = "person:"


def _words(s: str) -> frozenset[str]:
    return frozenset(s.split())


# Country demonyms (and a few country-name variants) -> one country token.
_DEMONYMS: dict[str, str] = {
    "afghan": "afghanistan",
    "algerian": "algeria",
    "american": "us",
    "argentine": "argentina",
    "argentinian": "argentina",
    "armenian": "armenia",
    "australian": "australia",
    "azerbaijani": "azerbaijan",
    "bangladeshi": "bangladesh",
    "belarusian": "belarus",
    "brazilian": "brazil",
    "britain": "uk",
    "british": "uk",
    "burmese": "myanmar",
    "canadian": "canada",
    "chilean": "chile",
    "chinese": "china",
    "colombian": "colombia",
    "congolese": "congo",
    "cuban": "cuba",
    "egyptian": "egypt",
    "ethiopian": "ethiopia",
    "filipino": "philippines",
    "french": "france",
    "georgian": "georgia",
    "german": "germany",
    "greek": "greece",
    "haitian": "haiti",
    "indian": "india",
    "indonesian": "indonesia",
    "iranian": "iran",
    "iraqi": "iraq",
    "israeli": "israel",
    "italian": "italy",
    "japanese": "japan",
    "jordanian": "jordan",
    "kenyan": "kenya",
    "korean": "korea",
    "lebanese": "lebanon",
    "libyan": "libya",
    "malaysian": "malaysia",
    "malian": "mali",
    "mexican": "mexico",
    "moroccan": "morocco",
    "nepali": "nepal",
    "nepalese": "nepal",
    "nigerian": "nigeria",
    "pakistani": "pakistan",
    "palestinian": "palestine",
    "peruvian": "peru",
    "philippine": "philippines",
    "polish": "poland",
    "russian": "russia",
    "saudi": "saudi",
    "somali": "somalia",
    "spanish": "spain",
    "sudanese": "sudan",
    "syrian": "syria",
    "thai": "thailand",
    "turkish": "turkey",
    "turkiye": "turkey",
    "ukrainian": "ukraine",
    "venezuelan": "venezuela",
    "vietnamese": "vietnam",
    "yemeni": "yemen",
}
_PHRASES: tuple[tuple[str, str], ...] = (
    ("united states", "us"),
    ("united kingdom", "uk"),
    ("united nations", "un"),
    ("according to", " "),
)
_STOPWORDS = _words(
    "a an the of for and in on at to by from its their his her with via said says told "
    "reported according"
)
# Modifiers that do not change who is speaking ("regional governor" = "governor").
_FILLER = _words(
    "regional region local city oblast province provincial area district municipal county "
    "situations situation"
)
_SYNONYMS: dict[str, str] = {
    "emergencies": "emergency",
    "officials": GENERIC_SOURCE,
    "official": GENERIC_SOURCE,
    "authority": GENERIC_SOURCE,
    "ministries": "ministry",
    "services": "service",
    "spokesman": "spokesperson",
    "spokeswoman": "spokesperson",
    "defence": "defense",
    "organisation": "organization",
    "centre": "center",
    "govt": "government",
}
# Words that introduce a person's name ("Marrowby Mayor Ivan ...", "President ...").
_TITLES = _words(
    "mayor governor president vice premier minister chancellor spokesman spokeswoman "
    "spokesperson secretary ambassador senator lawmaker commissioner director chairman "
    "chairwoman chair chief head leader commander general colonel lieutenant captain sergeant "
    "prosecutor coroner sheriff adviser advisor envoy king queen prince sheikh dr mr mrs ms "
    "pope rev"
)
# Capitalised words that mark an organisation, not a person ("Red Cross", "Health Ministry").
_ORG_WORDS = _words(
    "ministry ministries department office service services agency committee council "
    "government administration authority authorities officials police army forces force "
    "military command guard guards navy corps cross crescent nations union republic party "
    "group network press news media times post tv radio agency hospital hospitals court bank "
    "fund institute observatory watch international organization organisation center centre "
    "unit brigade emergency emergencies health defense defence kremlin state federation front "
    "movement coalition commission board bureau team staff"
)

_PUNCT = re.compile(r"[^\w\s]")
_WORD = re.compile(r"[^\W\d_][\w'’.\-]*")
_NON_ALPHA = re.compile(r"[^a-z]")
_SKEL_DROP = re.compile(r"[aeiouyj]")
_REPEAT = re.compile(r"(.)\1+")


def _fold(s: str) -> str:
    """ASCII-fold (drop accents) and unify apostrophes."""
    s = unicodedata.normalize("NFKD", s.replace("’", "'").replace("‘", "'"))
    return "".join(c for c in s if not unicodedata.combining(c))


def _skeleton(word: str) -> str:
    """A transliteration-tolerant key of a name: first letter plus the consonants after it.

    Dobrovsky/Dobrovskiy/Dobrovskyy -> dbrvsk, Oleksandr/Olexandr ->
    olksndr. Doubled letters collapse.
    """
    w = _NON_ALPHA.sub("", word.lower()).replace("x", "ks").replace("w", "v").replace("ph", "f")
    if not w:
        return ""
    return _REPEAT.sub(r"\1", w[0] + _SKEL_DROP.sub("", w[1:]))


def _person(part: str) -> tuple[str, str] | None:
    """(first, last) skeletons if ``part`` names a person, else None."""
    words = [w.strip(".'-") for w in _WORD.findall(part)]
    words = [w for w in words if w]
    if not words:
        return None
    title_at = max((i for i, w in enumerate(words) if w.lower() in _TITLES), default=-1)
    # The name is the trailing run of capitalised words that are not organisation,
    # title or filler words.
    run: list[str] = []
    for w in reversed(words[title_at + 1 :]):
        lw = w.lower()
        if not w[0].isupper() or lw in _ORG_WORDS or lw in _TITLES or lw in _STOPWORDS:
            break
        if lw in _DEMONYMS or lw in _SYNONYMS or lw in _FILLER:
            break
        run.append(w)
    run.reverse()
    start = len(words) - len(run)
    if run and start > title_at + 1 and words[start - 1].lower() in _STOPWORDS:
        # "governor of Marrowby ...": the first capitalised word after "of" is a place.
        run = run[1:]
    if not run:
        return None
    if title_at < 0 and (len(run) < 2 or len(run) != len(words) or len(run) > 4):
        # Without a title, only a short all-capitalised phrase counts as a name.
        return None
    last = _skeleton(run[-1])
    first = _skeleton(run[-2]) if len(run) >= 2 else ""
    if not last:
        return None
    return first, last


def _tokens(s: str) -> list[str]:
    s = s.lower()
    s = re.sub(r"'s\b|s'(?=\s|$)", "", s)
    s = s.replace(".", "")  # acronyms: "U.S." -> "us"
    s = _PUNCT.sub(" ", s)
    for phrase, repl in _PHRASES:
        s = s.replace(phrase, repl)
    out: list[str] = []
    for t in s.split():
        if t in _STOPWORDS or t in _FILLER:
            continue
        t = _DEMONYMS.get(t, t)
        t = _SYNONYMS.get(t, t)
        out.append(t)
    return out


@lru_cache(maxsize=8192)
def normalise_source(source: str | None) -> str | None:
    """The comparison key of a source as written, or None when it names nothing.

    Pure and deterministic; the same input always gives the same key. Examples of spellings
    that agree: "Georgia's Emergency Situations Ministry" and "the Georgian Emergencies
    Ministry"; "Mayor Ivan Dobrovsky" and "Marrowby Mayor Ivan Dobrovskiy"; "officials" and
    "the authorities" (both :data:`GENERIC_SOURCE`).
    """
    if source is None:
        return None
    s = _fold(source).strip()
    if not s:
        return None
    for part in s.split(","):
        person = _person(part)
        if person is not None:
            first, last = person
            return f"{PERSON_PREFIX}{last}:{first}"
    tokens = _tokens(s)
    # A title with no name ("the area's governor") keeps the title as the speaker.
    words = sorted(set(tokens))
    if not words:
        return None
    return " ".join(words)


def _compatible(a: str, b: str) -> bool:
    return a.startswith(b) or b.startswith(a)


def merge_person_keys(keys: Iterable[str | None]) -> dict[str, str]:
    """Map person keys that name one person (within one event) onto one key.

    Person keys with the same surname skeleton are merged when all their first-name
    skeletons are compatible (equal, or one a prefix of the other, e.g. an initial or a
    missing first name); they map to the longest first name (ties: alphabetical). When two
    incompatible first names share a surname (two brothers), nothing is merged. Keys that
    are not person keys map to themselves. Pure: depends only on the set of keys.
    """
    by_last: dict[str, set[str]] = {}
    out: dict[str, str] = {}
    for k in keys:
        if k is None:
            continue
        out[k] = k
        if k.startswith(PERSON_PREFIX):
            last, _, first = k[len(PERSON_PREFIX) :].partition(":")
            by_last.setdefault(last, set()).add(first)
    for last, firsts in by_last.items():
        if len(firsts) < 2:
            continue
        ordered = sorted(firsts, key=lambda f: (-len(f), f))
        best = ordered[0]
        if all(_compatible(f, g) for f in ordered for g in ordered):
            for f in firsts:
                out[f"{PERSON_PREFIX}{last}:{f}"] = f"{PERSON_PREFIX}{last}:{best}"
    return out
