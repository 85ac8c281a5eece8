"""Figures written in digits or words, found in running text.

:func:`find_numbers` returns every cardinal figure in a text with its character span:
``"1,200"``, ``"3.5 million"``, ``"twenty-five"``, ``"a dozen"``, ``"one hundred and five"``.
Vague quantities (``"hundreds"``, ``"dozens"``, ``"scores"``) are not figures. Ordinals,
times of day and decimals without a scale word are not figures either.

:func:`parse_number` turns one such phrase into an int (``None`` when it is not a figure).
Whether a figure is an age, a year or a duration is decided by the caller, which has the
context; :func:`unit_after` helps by naming the unit written right after a figure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
SPECIAL = {"dozen": 12, "score": 20}

_WORD = "|".join(sorted([*UNITS, *TENS, *SCALES, "dozen"], key=len, reverse=True))
_DIGITS = r"\d{1,3}(?:,\d{3})+(?![\d,]*\d)|\d+(?:\.\d+)?"
# One figure: digits with an optional scale word, or a run of number words joined by
# spaces, hyphens and "and" (as in "one hundred and five"), optionally led by "a"/"half a".
_NUMBER_RE = re.compile(
    rf"""
    (?<![\w.,:/-])
    (?:
        (?P<digits>{_DIGITS})(?:\s+(?P<dscale>hundred|thousand|million|billion)\b)?
      | (?P<words>
            (?:(?:half\s+an?|an?)\s+(?=(?:dozen|hundred|thousand|million)\b))?
            (?:{_WORD})
            (?:(?:\s+and\s+|\s+|-)(?:{_WORD}))*
        )
    )
    (?![\w]|[.,]\d|:\d)
    """,
    re.IGNORECASE | re.VERBOSE,
)
_UNIT_AFTER_RE = re.compile(
    r"""\s*(?:-\s*|\s)?
    (?P<unit>years?|yrs?|months?|weeks?|days?|hours?|hrs?|minutes?|mins?|seconds?|
       miles?|mi|kilometres?|kilometers?|km|metres?|meters?|m|feet|foot|ft|kg|tonnes?|tons?|
       per\s*cent|percent|%|storey|story|floors?|points?|degrees?|mph|kph|km/h|
       times|fold|am|pm|a\.m\.|p\.m\.)
    (?![a-z])""",
    re.IGNORECASE | re.VERBOSE,
)


@dataclass(frozen=True, slots=True)
class NumberSpan:
    """A figure in a text: ``text[start:end]`` reads as ``value``."""

    start: int
    end: int
    value: int
    text: str


def parse_number(phrase: str) -> int | None:
    """The integer a figure phrase denotes, or ``None`` when it is not one exact figure.

    >>> parse_number("1,200"), parse_number("3.5 million"), parse_number("twenty-five")
    (1200, 3500000, 25)
    >>> parse_number("a dozen"), parse_number("one hundred and five"), parse_number("dozens")
    (12, 105, None)
    """
    s = phrase.strip().lower().replace("\u2009", "").replace("\xa0", " ")
    if not s:
        return None
    m = re.fullmatch(
        r"(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s+(hundred|thousand|million|billion))?", s
    )
    if m:
        num = float(m.group(1).replace(",", ""))
        if m.group(2):
            num *= SCALES[m.group(2)]
        elif "." in m.group(1):
            return None  # "3.5" on its own is a measure, not a head count
        return round(num)
    words = [w for w in re.split(r"[\s-]+", s) if w and w != "and"]
    if not words:
        return None
    total = 0
    current = 0
    seen = False
    i = 0
    if words[0] in ("a", "an"):
        words = ["one", *words[1:]]
    if words[0] == "half" and len(words) >= 3 and words[1] in ("a", "an"):
        scale = SCALES.get(words[2]) or SPECIAL.get(words[2])
        if scale is None or len(words) > 3:
            return None
        return scale // 2
    while i < len(words):
        w = words[i]
        if w in UNITS:
            current += UNITS[w]
        elif w in TENS:
            current += TENS[w]
        elif w == "dozen":
            current = (current or 1) * 12
        elif w == "hundred":
            current = (current or 1) * 100
        elif w in SCALES:
            total += (current or 1) * SCALES[w]
            current = 0
        else:
            return None
        seen = True
        i += 1
    return total + current if seen else None


def find_numbers(text: str) -> list[NumberSpan]:
    """Every figure in ``text``, in order, with character offsets into ``text``."""
    out: list[NumberSpan] = []
    for m in _NUMBER_RE.finditer(text):
        phrase = m.group(0)
        # a trailing "and" never belongs to the figure ("two and a half" is rare in tolls)
        value = parse_number(phrase)
        if value is None:
            continue
        out.append(NumberSpan(m.start(), m.end(), value, phrase))
    return out


def unit_after(text: str, end: int) -> str | None:
    """The unit written right after a figure ending at ``end`` ("18-hour" -> "hour")."""
    m = _UNIT_AFTER_RE.match(text, end)
    if not m:
        return None
    return re.sub(r"\s+", "", m.group("unit").lower())


def is_year(span: NumberSpan) -> bool:
    """A bare four-digit figure between 1800 and 2100 ("in 1999", "by 2025")."""
    return bool(re.fullmatch(r"(18|19|20)\d\d", span.text)) and 1800 <= span.value <= 2100
