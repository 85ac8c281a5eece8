"""Attribution helpers: who states a figure, read the way an analyst reads wire copy.

A source is the agent of a reporting verb ("said", "told", "reported", "according to",
"put the toll at"), never merely a sentence's subject: "the blast killed nine" names no
source. Wire copy introduces a source once in full ("the Britain-based Syrian Observatory
for Human Rights") and then refers back to it ("the Observatory", "the monitor", "the
group"); :class:`SourceMemory` resolves such short mentions, per article, to the full name
introduced earlier.

The well-known sources and the role words that refer back to them are data
(``processors/data/sources.json``), not code: :class:`SourceRegistry` reads them.

Rules (each named, so a test can point at it):

* ``anaphor``: "the <role word>" (optionally one modifier: "the war monitor", "the rights
  group") resolves to the latest earlier source whose name, registry kind or apposition
  fits the role; without one it stays as written.
* ``pronoun``: "he", "she", "they", "it" resolve to the latest earlier named speaker;
  without one the figure has no source.
* ``not_a_source``: an event or a weapon ("the blast", "air strikes"), a casualty word, a
  date fragment ("Updated June 2 2019") or a dateline in capitals is never a source.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

__all__ = [
    "KnownSource",
    "SourceMemory",
    "SourceRegistry",
    "default_registry",
    "is_not_a_source",
]

PRONOUNS = frozenset({"he", "she", "they", "it", "we", "him", "them"})
# refer back to the latest speaker, but say something on their own
ANAPHORIC = frozenset({"the source", "the sources", "the official", "the statement"})

# heads of noun phrases that name what happened, not who tells it
EVENT_NOUNS = frozenset(
    {
        "attack", "attacks", "strike", "strikes", "airstrike", "airstrikes", "raid", "raids",
        "blast", "blasts", "explosion", "explosions", "bomb", "bombs", "bombing", "bombings",
        "shelling", "shell", "shells", "missile", "missiles", "rocket", "rockets", "drone",
        "drones", "fighting", "clashes", "clash", "violence", "war", "conflict", "fire",
        "fires", "quake", "earthquake", "flood", "floods", "storm", "crash", "collapse",
        "assault", "offensive", "barrage", "bombardment", "shootout", "shooting", "ambush",
        "massacre", "blaze", "landslide", "stampede", "incident", "onslaught", "gunfire",
        "battle", "battles", "unrest", "campaign", "operation", "operations",
        "ied", "mortar", "mortars", "artillery", "car", "vehicle", "truck",
    }
)  # fmt: skip

_MONTHS = (
    r"Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?"
)
# "Updated June 2 2019", "Published 10:32 GMT", "June 2, 2019", "02/06/2019"
_DATE_FRAGMENT_RE = re.compile(
    rf"\b(?:updated|published|posted|last\s+modified)\b|\b(?:{_MONTHS})\.?\s+\d{{1,2}}\b|"
    rf"\b\d{{1,2}}\s+(?:{_MONTHS})\b|\b\d{{1,2}}[:/.]\d{{2}}\b|\b(?:19|20)\d\d\b|\bGMT\b|\bUTC\b",
    re.I,
)


def is_not_a_source(name: str) -> bool:
    """Rule ``not_a_source``: whether ``name`` cannot be who states a figure."""
    s = name.strip()
    if not s or _DATE_FRAGMENT_RE.search(s):
        return True
    words = re.findall(r"[\w’'-]+", s)
    if not words:
        return True
    # a dateline in capitals: "BEIRUT", "KABUL AFGHANISTAN"
    if all(w.isupper() and len(w) > 1 for w in words) and len(s) > 5 and " " in s.strip():
        return True
    # "Cal Fire" is a name; "Air strikes", "the blast" are what happened
    return words[-1] in EVENT_NOUNS


def _names_pattern(forms: list[str]) -> re.Pattern[str]:
    """The pattern that finds the names ``forms`` as words of their own, the first that
    matches winning (``forms`` come longest first); acronyms and dotted forms match only
    as written, the others in any case.

    The names are grouped by their first letter, each group behind a test of that letter,
    so that a word tries the names of its letter rather than all of them (the registry
    scans every article; this makes the scan several times cheaper). A group keeps the
    order of its names, and names of other letters cannot match where the letter
    differs: the matches are those of one plain alternation of ``forms``."""
    groups: dict[str, list[str]] = {}
    for f in forms:
        pat = re.escape(f)
        groups.setdefault(f[0].casefold(), []).append(
            pat if f.isupper() or "." in f else f"(?i:{pat})"
        )
    gated = [
        f"(?=(?i:[{re.escape(''.join({f[0] for f in forms if f[0].casefold() == first}))}]))"
        f"(?:{'|'.join(pats)})"
        for first, pats in groups.items()
    ]
    return re.compile(r"(?<![\w-])(?:" + "|".join(gated) + r")(?![\w-])")


@dataclass(frozen=True)
class KnownSource:
    name: str
    kind: str
    aliases: tuple[str, ...] = ()


class SourceRegistry:
    """Well-known sources with aliases, and the role words that refer back to sources."""

    def __init__(self, sources: list[KnownSource], roles: dict[str, frozenset[str]]):
        self.sources = sources
        self.roles = roles
        forms: list[tuple[str, KnownSource]] = []
        for src in sources:
            forms += [(f, src) for f in (src.name, *src.aliases)]
        forms.sort(key=lambda x: -len(x[0]))
        self._by_form = {f.lower(): s for f, s in forms}
        self._re = _names_pattern([f for f, _ in forms])
        self._kinds: dict[tuple[str, str], frozenset[str]] = {}  # kinds_of, memoised

    @classmethod
    def from_json(cls, raw: str) -> SourceRegistry:
        data = json.loads(raw)
        roles = {k: frozenset(v) for k, v in data["roles"].items()}
        sources = [
            KnownSource(d["name"], d["kind"], tuple(d.get("aliases", ()))) for d in data["sources"]
        ]
        return cls(sources, roles)

    def lookup(self, name: str) -> KnownSource | None:
        """The registry entry ``name`` is written as (leading "the" and possessive ignored)."""
        key = re.sub(r"^the\s+|['’]s$", "", name.strip(), flags=re.I).lower()
        return self._by_form.get(key)

    def find(self, text: str) -> list[tuple[int, str, KnownSource]]:
        """(start, as written, entry) of every well-known source named in ``text``."""
        return [
            (m.start(), m.group(0), self._by_form[m.group(0).lower()])
            for m in self._re.finditer(text)
        ]

    def kinds_of(self, name: str, context: str = "") -> frozenset[str]:
        """The roles a source can be referred back by: its registry kind, plus those of its
        head word ("Observatory" of "the Syrian Observatory for Human Rights"; not "agency"
        of "an agency official") and of the words of ``context`` (its apposition: ", a war
        monitor,", or the expansion of an acronym)."""
        got = self._kinds.get((name, context))
        if got is None:
            if len(self._kinds) > 50_000:  # bounded: a long-running worker sees many names
                self._kinds.clear()
            got = self._kinds[(name, context)] = self._find_kinds(name, context)
        return got

    def _find_kinds(self, name: str, context: str) -> frozenset[str]:
        out: set[str] = set()
        entry = self.lookup(name)
        if entry is not None:
            out.add(entry.kind)
        else:
            for _start, _text, e in self.find(name):
                out.add(e.kind)
        head = head_word(name)
        words = [head, *re.findall(r"[a-z]+", context.lower())]
        for w in words:
            out |= self.roles.get(w, frozenset())
        return frozenset(out)

    def anaphor_role(self, name: str) -> str | None:
        """The role word of a short mention that refers back ("the monitor", "the UK-based
        war monitor", "the group"), else ``None``."""
        words = re.findall(r"[\w-]+", name.lower())
        if len(words) < 2 or len(words) > 4 or words[0] not in ("the", "this", "that"):
            return None
        if words[-1] not in self.roles:
            return None
        # "the Syrian Observatory", "the Health Ministry": a name, not a reference back
        if any(w[:1].isupper() for w in name.split()[1:-1]) and not re.search(
            r"\b[A-Z][\w]*-based\b", name
        ):
            return None
        return words[-1]


def head_word(name: str) -> str:
    """The head of a source's name, lower-cased: its last word before "of"/"for"/"in"."""
    written = re.findall(r"[\w-]+", name)
    # "the state news agency KORA": a name set after its role word
    while len(written) > 1 and written[-1][:1].isupper() and written[-2].islower():
        if written[-2] not in ("of", "for", "in", "on", "at"):
            written.pop()
        break
    words = [w.lower() for w in written]
    for i, w in enumerate(words):
        if w in ("of", "for", "in", "on", "at") and i:
            return words[i - 1]
    return words[-1] if words else ""


@lru_cache(maxsize=1)
def default_registry() -> SourceRegistry:
    raw = resources.files("processors.data").joinpath("sources.json").read_text("utf-8")
    return SourceRegistry.from_json(raw)


# an apposition that says what a source is: "the Syrian Observatory, a Britain-based war
# monitor," / "SANA, the state news agency,"
_APPOSITION_RE = re.compile(r"\s*,\s*(?:a|an|the)\s+([^,.;]{1,60})[,.;]")


@dataclass
class SourceMemory:
    """The sources an article has named so far, by offset: the referents of short mentions
    ("the monitor") and of pronouns."""

    registry: SourceRegistry
    text: str = ""
    _pos: list[int] = field(default_factory=list)
    _entries: list[tuple[str, frozenset[str], bool]] = field(default_factory=list)

    def add(self, pos: int, name: str, *, speaker: bool = True) -> None:
        """Record that ``name`` is named at ``pos`` (``speaker``: as one who states)."""
        if not name or is_not_a_source(name) or self.registry.anaphor_role(name):
            return
        if name.lower() in PRONOUNS or name.lower() in ANAPHORIC:
            return
        context = ""
        if self.text:
            m = _APPOSITION_RE.match(self.text, pos + len(name))
            context = m.group(1) if m else ""
            if name.isupper():  # "the Lagos State Emergency Management Agency (LASEMA)"
                x = re.search(rf"((?:[A-Z][\w-]*\s+){{1,8}})\(\s*{re.escape(name)}\s*\)", self.text)
                context += " " + (x.group(1) if x else "")
        kinds = self.registry.kinds_of(name, context)
        i = bisect.bisect_right(self._pos, pos)
        self._pos.insert(i, pos)
        self._entries.insert(i, (name, kinds, speaker))

    def resolve(self, name: str, pos: int) -> str | None:
        """``name`` as the article meant it at ``pos``: a pronoun becomes the latest earlier
        speaker (or ``None``), a short mention the latest earlier source that fits it (or
        itself), any other name itself."""
        low = name.lower().strip()
        earlier = self._entries[: bisect.bisect_left(self._pos, pos)]
        if low in PRONOUNS or low in ANAPHORIC:
            named = [n for n, _k, speaker in earlier if speaker]
            return named[-1] if named else (None if low in PRONOUNS else name)
        role = self.registry.anaphor_role(name)
        if role is None:
            return name
        wanted = self.registry.roles[role]
        for n, kinds, _speaker in reversed(earlier):
            if head_word(n) == role or kinds & wanted:
                return n
        return name
