"""Candidate organisations in the matching view, and how overlapping candidates are settled.

>>> a, b = Hit(0, 3, "A", "k", "gazetteer", None, 0), Hit(1, 5, "B", "k", "pattern", None, 1)
>>> [h.name for h in resolve_overlaps([a, b])]
['A']
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Hit:
    """A candidate in the matching view: tokens ``[start, end)`` of the compact doc."""

    start: int
    end: int
    name: str
    kind: str
    source: str
    part_of: str | None
    rank: int  # 0 = gazetteer/context/acronym, 1 = general pattern


def _subsequence(short: list[str], long: list[str]) -> bool:
    it = iter(long)
    return all(w in it for w in short)


def same_body_shorter_names(hits: list[Hit]) -> list[Hit]:
    """A pattern name the document also gives in full is that body: "Christ Church Primary
    School" after "Christ Church Voluntary Aided Church of England Primary School" (same first
    and last word, the shorter's words in order within the longer's).

    >>> a = Hit(0, 9, "Christ Church Voluntary Aided Primary School", "School", "pattern", None, 1)
    >>> b = Hit(20, 24, "Christ Church Primary School", "School", "pattern", None, 1)
    >>> [h.name for h in same_body_shorter_names([a, b])]
    ['Christ Church Voluntary Aided Primary School', 'Christ Church Voluntary Aided Primary School']
    """
    named = [h for h in hits if h.source == "pattern"]
    words = {h.name: h.name.lower().split() for h in named}
    out = []
    for h in hits:
        if h.source == "pattern":
            mine = words[h.name]
            longer = [g for g in named if len(words[g.name]) > len(mine) and words[g.name][0] == mine[0]
                      and words[g.name][-1] == mine[-1] and _subsequence(mine, words[g.name])]
            if longer:
                g = max(longer, key=lambda g: len(words[g.name]))
                h = Hit(h.start, h.end, g.name, g.kind, h.source, g.part_of, h.rank)
        out.append(h)
    return out


def resolve_overlaps(hits: list[Hit]) -> list[Hit]:
    """Drop overlaps: trusted rules first, then the longest span, then the earliest.

    On an exact tie a document's own acronym definition beats the gazetteer's reading.

    >>> a, b = Hit(0, 3, "A", "k", "gazetteer", None, 0), Hit(1, 5, "B", "k", "pattern", None, 1)
    >>> [h.name for h in resolve_overlaps([a, b])]
    ['A']
    """
    taken: list[Hit] = []
    used: set[int] = set()
    order = {"acronym": 0, "context": 1, "gazetteer": 1, "pattern": 2}
    for h in sorted(set(hits), key=lambda h: (h.rank, -(h.end - h.start), h.start, order[h.source], h.name)):
        if any(i in used for i in range(h.start, h.end)):
            continue
        taken.append(h)
        used.update(range(h.start, h.end))
    return sorted(taken, key=lambda h: h.start)
