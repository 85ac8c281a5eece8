"""Date expressions in news text, resolved against a reference (publication) date.

:func:`find_dates` returns every expression that pins down a day: explicit dates
("December 29", "29 Dec 2023", "2023-12-29"), weekdays ("on Saturday", "late on Friday
evening", "Friday's strikes"), weekends ("at the weekend", "last weekend's floods": their
Saturday, the day such news most often means) and relative days ("yesterday", "early this morning",
"last night", "tonight"). Without a reference date, relative expressions resolve to
``None``; a weekday keeps its ``weekday`` (0 = Monday) so a later stage can still match it.

Weekdays resolve to the most recent such day on or before the reference date: a "Saturday"
in a Saturday article is that day; a "Friday" in it is the day before. Nothing here reads
the clock.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}

_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_WD = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_PART = r"(?:\s+(?:morning|afternoon|evening|night|nights|overnight))?"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b")),
    (
        "mdy",
        re.compile(
            rf"\b(?P<mon>{_MONTH})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y>\d{{4}})\b)?"
        ),
    ),
    (
        "dmy",
        re.compile(
            rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{_MONTH})(?:,?\s+(?P<y>\d{{4}})\b)?"
        ),
    ),
    (
        "weekday",
        re.compile(
            rf"\b(?:(?:late|early)\s+(?:on\s+)?)?(?:on\s+)?(?:last\s+)?(?P<wd>{_WD})(?:['’]?s)?{_PART}\b"
        ),
    ),
    # "at the weekend", "last weekend's floods", "the weekend storms": its Saturday; not
    # "next weekend", "every weekend", "the coming weekend" nor the plural
    (
        "weekend",
        re.compile(
            r"(?<!next\s)(?<!every\s)(?<!each\s)(?<!coming\s)\b(?:last\s+|past\s+)?weekend(?:['’]s)?(?![\w'’])",
            re.IGNORECASE,
        ),
    ),
    ("day_before", re.compile(r"\b(?:the\s+)?day\s+before\s+yesterday\b", re.IGNORECASE)),
    ("yesterday", re.compile(r"\byesterday(?:['’]?s)?\b", re.IGNORECASE)),
    # "overnight" in a day's paper is the night that began the day before: the event it
    # dates (a raid, a flash flood) started then ("troops freed the hostages after an
    # overnight standoff", in Tuesday's paper, is Monday night's)
    ("last_night", re.compile(r"\b(?:last\s+night|overnight)\b", re.IGNORECASE)),
    (
        "today",
        re.compile(
            r"\b(?:(?:late|early|earlier)\s+)?(?:today(?:['’]?s)?|tonight|this\s+(?:morning|afternoon|evening))\b",
            re.IGNORECASE,
        ),
    ),
]


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date expression at ``text[start:end]``; ``date`` is ``None`` when unresolvable."""

    start: int
    end: int
    text: str
    date: date | None
    weekday: int | None
    explicit: bool  # a calendar date was written, not a day relative to the reference


def resolve_weekday(weekday: int, ref: date) -> date:
    """The most recent day with ``weekday`` on or before ``ref``."""
    return ref - timedelta(days=(ref.weekday() - weekday) % 7)


def _calendar(day: int, month: int, year: int | None, ref: date | None) -> date | None:
    if year is None:
        if ref is None:
            return None
        # the nearest such day to the reference: "January 1" in a late-December article is
        # the coming one, "December 29" in an early-January article the one just past
        best: date | None = None
        for y in (ref.year - 1, ref.year, ref.year + 1):
            try:
                d = date(y, month, day)
            except ValueError:
                continue
            if best is None or abs((d - ref).days) < abs((best - ref).days):
                best = d
        return best
    try:
        return date(year, month, day)
    except ValueError:
        return None


# Words without which a pattern cannot match (one of them, as written for the case-sensitive
# patterns, in lower case for the others): most texts lack most of them, and a substring
# test is far cheaper than running the pattern (this is a third of the rule time).
_NEEDS: dict[str, tuple[bool, tuple[str, ...]]] = {
    "mdy": (False, ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")),
    "dmy": (False, ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")),
    "weekday": (False, ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")),
    "weekend": (True, ("weekend",)),
    "day_before": (True, ("yesterday",)),
    "yesterday": (True, ("yesterday",)),
    "last_night": (True, ("night",)),
    "today": (True, ("today", "tonight", "morning", "afternoon", "evening")),
}  # fmt: skip
# the non-ASCII letters that IGNORECASE matches to ASCII ones ("ſ" to "s"); text holding
# one runs every pattern, as str.lower() does not map them the same way
_FOLDS_TO_ASCII = frozenset("\u0130\u0131\u017f\u212a")


def _may_match(kind: str, text: str, lower: str | None) -> bool:
    need = _NEEDS.get(kind)
    if need is None:
        return True
    folded, words = need
    if folded:
        if lower is None:
            return True
        return any(w in lower for w in words)
    return any(w in text for w in words)


def find_dates(text: str, ref: date | None) -> list[DateMention]:
    """Every date expression in ``text``, in order, non-overlapping (earlier patterns win)."""
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    lower = None if _FOLDS_TO_ASCII.intersection(text) else text.lower()
    for kind, pattern in _PATTERNS:
        if not _may_match(kind, text, lower):
            continue
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            d: date | None = None
            wd: int | None = None
            explicit = kind in ("iso", "mdy", "dmy")
            if kind == "iso":
                try:
                    d = date(int(m["y"]), int(m["m"]), int(m["d"]))
                except ValueError:
                    continue
            elif kind in ("mdy", "dmy"):
                mon = MONTHS[m["mon"].rstrip(".").lower()]
                # "May" is also a verb: only take it with a day number, which the pattern needs
                d = _calendar(int(m["d"]), mon, int(m["y"]) if m["y"] else None, ref)
                if m["y"] is None and ref is None:
                    continue
            elif kind == "weekday":
                wd = WEEKDAYS.index(m["wd"].lower())
                d = resolve_weekday(wd, ref) if ref else None
                if d is not None and "last" in m.group(0).lower().split() and d == ref:
                    d = d - timedelta(days=7)
            elif kind == "weekend":
                d = resolve_weekday(5, ref) if ref else None
                if (
                    d is not None
                    and "last" in m.group(0).lower().split()
                    and ref in (d, d + timedelta(days=1))
                ):
                    d = d - timedelta(days=7)  # "last weekend" in a weekend's paper: the one before
                wd = 5
            elif kind == "day_before":
                d = ref - timedelta(days=2) if ref else None
            elif kind in ("yesterday", "last_night"):
                d = ref - timedelta(days=1) if ref else None
            elif kind == "today":
                d = ref
            if d is not None and wd is None:
                wd = d.weekday()
            found.append(DateMention(m.start(), m.end(), m.group(0), d, wd, explicit))
            taken.append((m.start(), m.end()))
    found.sort(key=lambda x: x.start)
    return found
