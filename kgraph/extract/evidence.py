"""Quotes around offsets: the sentence a fact rests on, and prefix/suffix for selectors.

Sentences come from the one splitter, :func:`kgraph.extract.structure.sentence_spans`, computed
once per text; each look-up is a bisection.

>>> text = "Intro. KCC agreed to invest £2.65m per year. Next one."
>>> sentence_around(text, 28, 34)
(7, 44)
>>> quote_context(text, 28, 34, width=8)
(' invest ', ' per yea')
"""

from __future__ import annotations

from kgraph.extract.structure import Sentences

#: Longest sentence quoted as evidence, in characters (longer ones are clipped to a window).
MAX_QUOTE = 600


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """Offsets of the sentence (or sentences) containing ``[start, end)``, whitespace trimmed."""
    s, e = Sentences.of(text).around(start, end)
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

    >>> evidence_dict("d1", "Intro. It follows on from 18/00071. Next.", 26, 34)["quote"]
    'It follows on from 18/00071.'
    """
    s, e = sentence_around(text, start, end)
    return {"document": document_id, "start": s, "end": e, "quote": text[s:e]}
