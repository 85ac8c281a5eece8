"""Degraded copies of the labelled corpora: the text as scrapers and feeds deliver it.

:func:`degrade_text` strips commas, apostrophes and quote marks, writes the place of a wire
dateline in capitals ("LIMA June 11 (Reuters) -") and runs the paragraphs of the body
together (a first line is kept as the headline). :func:`degrade_labels` applies the same
to what the labels quote (location, source, sentence), so gold and system agree on spelling.
Numbers lose their thousands separators ("4,500" -> "4500"), as in real degraded copy.
"""

from __future__ import annotations

import re
from typing import Any

_STRIP = str.maketrans("", "", ",’'“”\"‘")
# the place that opens a dateline, before its comma or bracket: "Lima, June 11 (Reuters) -"
_DATELINE_PLACE_RE = re.compile(r"^([A-Z][\w.'’ -]{1,40}?)(?=,\s|\s\()")
_DATELINE_HINT_RE = re.compile(r"^[^.\n]{0,80}?\)\s*[—–-]{1,2}\s")


def strip_marks(s: str) -> str:
    return s.translate(_STRIP)


def degrade_text(text: str, headline: bool = True) -> str:
    """``text`` with marks stripped, dateline places capitalised and, when ``headline``,
    every line after the first run into one paragraph (else all lines)."""
    lines = [ln.strip() for ln in text.split("\n")]
    lines = [
        _DATELINE_PLACE_RE.sub(lambda m: m.group(1).upper(), ln)
        if _DATELINE_HINT_RE.match(ln)
        else ln
        for ln in lines
    ]
    if headline and len(lines) > 1:
        head, body = lines[0], [ln for ln in lines[1:] if ln]
        out = head + "\n\n" + " ".join(body)
    else:
        out = " ".join(ln for ln in lines if ln)
    return strip_marks(out)


def degrade_labels(claim: dict[str, Any]) -> dict[str, Any]:
    out = dict(claim)
    for k in ("location", "source", "sentence"):
        if isinstance(out.get(k), str):
            out[k] = strip_marks(out[k])
    return out


def degrade_item(item: dict[str, Any]) -> dict[str, Any]:
    """A corpus item (``text`` + ``claims``) as degraded copy."""
    return {
        **item,
        "text": degrade_text(item["text"]),
        "claims": [degrade_labels(c) for c in item["claims"]],
    }
