"""Quotes around offsets: the sentence a fact rests on, and prefix/suffix for selectors.

>>> text = "Intro. KCC agreed to invest £2.65m per year. Next one."
>>> sentence_around(text, 28, 34)
(7, 44)
>>> quote_context(text, 28, 34, width=8)
(' invest ', ' per yea')
"""

from __future__ import annotations

import re

_BOUNDARY = re.compile(r"(?<=[.!?])\s+(?=[A-Z(\"'“‘-])|\n[ \t\r]*\n")
#: Longest sentence quoted as evidence, in characters (longer ones are clipped to a window).
MAX_QUOTE = 600


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """Offsets of the sentence (or blank-line paragraph) containing ``[start, end)``."""
    s, e = 0, len(text)
    for m in _BOUNDARY.finditer(text):
        if m.end() <= start:
            s = m.end()
        elif m.start() >= end:
            e = m.start()
            break
    if e - s > MAX_QUOTE:
        s = max(s, start - MAX_QUOTE // 2)
        e = min(e, end + MAX_QUOTE // 2)
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def quote_context(text: str, start: int, end: int, width: int = 32) -> tuple[str, str]:
    """The ``prefix`` and ``suffix`` of a Web Annotation TextQuoteSelector."""
    return text[max(0, start - width) : start], text[end : end + width]


def evidence_dict(document_id: str, text: str, start: int, end: int) -> dict:
    """Evidence for an edge: the document, the sentence's offsets and its quote.

    >>> evidence_dict("d1", "A. B follows on from 18/00071. C.", 21, 29)["quote"]
    'B follows on from 18/00071.'
    """
    s, e = sentence_around(text, start, end)
    return {"document": document_id, "start": s, "end": e, "quote": text[s:e]}
