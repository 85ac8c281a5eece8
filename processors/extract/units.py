"""Sentence units and wire datelines."""

from __future__ import annotations

import re
from collections import Counter

from processors.extract.lexicon import ABBREV_RE

# A wire dateline opening a paragraph: "KABUL, Afghanistan, May 3 (Reuters) - ", "MOSHI,
# Tanzania (AP) — ", "Puquio (Peru) (AFP) - ", "MAKURDI - ". It says where the story was
# filed (often a bureau far from the event) and when: neither is the event's place or day,
# and it is not a source. Either an agency in brackets or a name in capitals marks it.
# Some agencies put their name first and the day before the month ("(ANSA) - ROME, 14
# OCT - "): the day there is a date, never a figure.
_DATELINE_RE = re.compile(
    r"^[ \t]*(?:\([A-Z]{2,6}\)\s*[—–-]{1,2}\s*)?(?:"
    r"(?:[A-Z][\w.'’-]*(?:[ -][A-Za-z][\w.'’-]*){0,4})"  # place, as written
    r"(?:\s*\([A-Z][\w .'-]{1,30}\))?"  # "(Peru)"
    r"(?:,\s*[A-Z][\w.'’-]*(?:\s[A-Z][\w.'’-]*){0,3})?"  # ", Tanzania"
    r"(?:,?\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})?"  # ", May 3" (the comma may be lost)
    r"\s*\((?:AP|AFP|Reuters|Reuters\.com|dpa|DPA|ANI|PTI|IANS|Xinhua|UPI|Bloomberg|"
    r"EFE|ANSA|Kyodo|Yonhap|Anadolu|TASS|CNN|BBC|AA|Bernama|APP|Sputnik|[A-Z]{2,6})\)"
    r"|(?:[A-Z][a-z]{2,3}\.?\s+\d{1,2}\s*\([A-Z][\w.]{1,12}\))"  # "Nov 6 (Reuters)"
    r"|[A-Z][A-Z.'’-]+(?:[ ,]+[A-Z][A-Z.'’-]+)*"
    r"(?:,?\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2}|,?\s*\d{1,2}\s+[A-Z][A-Za-z]{2,8}\.?)?"  # "14 OCT"
    r")\s*(?:[—–-]{1,2}|:)\s+(?=[“\"A-Z0-9])",
    re.M,
)


_RUN_ON_UNITS = 7  # far more sentences than a wire paragraph holds


def paragraph_numbers(text: str, units: list[tuple[int, int]]) -> list[int]:
    """The paragraph number of each unit. Copy whose paragraphs were run together (one
    "paragraph" of many sentences) has lost the breaks that say what carries from one
    sentence to the next: there, each sentence counts as a paragraph of its own (wire
    paragraphs are one or two sentences), so no place or date carries on a guess."""
    para: list[int] = []
    n = 0
    for k, (s, _e) in enumerate(units):
        if k and "\n" in text[units[k - 1][1] : s]:
            n += 1
        para.append(n)
    sizes = Counter(para)
    if any(v >= _RUN_ON_UNITS for v in sizes.values()):
        out, n = [], 0
        for k, p in enumerate(para):
            if k and (p != para[k - 1] or sizes[p] >= _RUN_ON_UNITS):
                n += 1
            out.append(n)
        return out
    return para


def blank_datelines(text: str) -> str:
    """``text`` with wire datelines turned into spaces (offsets unchanged)."""
    return _DATELINE_RE.sub(lambda m: " " * len(m.group(0)), text)


# the characters :func:`split_units` acts on; every other one is passed over
_UNIT_MARK_RE = re.compile(r'[“”".!?]')


def split_units(text: str) -> list[tuple[int, int]]:
    """Sentence spans of ``text``; a paragraph break always ends one, and a quotation that
    is still open does not end at a full stop (so "“... . ...,” he said." is one unit)."""
    units: list[tuple[int, int]] = []
    pos = 0
    for para in re.finditer(r"[^\n]+", text):
        p_start, p_end = para.start(), para.end()
        while p_start < p_end and text[p_start] in " \t":
            p_start += 1
        start = p_start
        depth = 0
        straight_open = False
        i = p_start
        while True:
            # only quote marks and sentence ends matter: jump from one to the next
            hit = _UNIT_MARK_RE.search(text, i, p_end)
            if hit is None:
                break
            i = hit.start()
            ch = text[i]
            if ch == "“":
                depth += 1
            elif ch == "”":
                depth = max(0, depth - 1)
            elif ch == '"':
                straight_open = not straight_open
            elif ch in ".!?" and depth == 0 and not straight_open:
                j = i + 1
                while j < p_end and text[j] in "”\"')]’":
                    j += 1
                if j < p_end and text[j] == " ":
                    k = j
                    while k < p_end and text[k] == " ":
                        k += 1
                    if (
                        k < p_end
                        and (text[k].isupper() or text[k].isdigit() or text[k] in "“\"‘'(")
                        and not (ch == "." and ABBREV_RE.search(text[start:i]))
                    ):
                        units.append((start, j))
                        start = k
                        i = k
                        continue
            i += 1
        if start < p_end:
            units.append((start, p_end))
        pos = p_end
    del pos
    return [(s, e) for s, e in units if text[s:e].strip()]
