"""Text and date lookups over the decisions list, so a filtered page never walks all decisions.

A :class:`Search` is derived from a :class:`~kgraph.read.index.ReadIndex`'s list of decisions
in id order (``listed``) once per index (at its build or update), in one pass:

- every decision's search text (title, number and id, casefolded) joined into one string with
  the offset where each starts, so a word is found by ``str.find`` at C speed and mapped back
  to the decision by bisection;
- every decision's date as its rank among the distinct date strings (a NumPy array in list
  order, ``-1`` for no date), so the decisions of a date range are one vectorised comparison,
  in id order. Ranks keep the string order exactly: a range means what comparing the date
  strings means (the views compare ``dct:date`` values as strings).

>>> dates = {"a": "2019-05-01", "c": "2018-01-02"}
>>> s = Search.of([("1", "a"), ("2", "b"), ("3", "c")], {"a": "care", "b": "roads", "c": "home care"}, dates.get)
>>> list(s.text_positions("care")), list(s.text_positions("bus"))
([0, 2], [])
>>> s.date_positions("2018-01-01", "2018-12-31").tolist(), s.date_positions(None, None).tolist()
([2], [0, 2])
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["Search"]

#: Separates the search texts in the joined string (a needle holding it is tested text by text).
SEPARATOR = "\x01"


@dataclass(frozen=True, slots=True)
class Search:
    """Text and date lookups over one list of decisions (see the module)."""

    #: Every decision's search text, in list order, joined by :data:`SEPARATOR`.
    blob: str
    #: Where each text starts in :attr:`blob` (list order).
    starts: list[int]
    #: The distinct date strings, sorted.
    dates: list[str]
    #: Rank of each decision's date in :attr:`dates` (``-1``: no date), in list order.
    day: np.ndarray

    @classmethod
    def of(cls, listed: Sequence[tuple[str, str]], text: Mapping[str, str],
           date_of: Callable[[str], str | None]) -> Search:
        """From ``listed`` (``(id, IRI)`` in order), each IRI's search text and date."""
        texts = [text.get(d, "") for _, d in listed]
        starts = [0, *itertools.accumulate(len(t) + 1 for t in texts)][:len(texts)]
        days = [date_of(d) for _, d in listed]
        dates = sorted({x for x in days if x is not None})
        rank = {x: i for i, x in enumerate(dates)}
        day = np.fromiter((-1 if x is None else rank[x] for x in days), dtype=np.int32, count=len(days))
        return cls(SEPARATOR.join(texts), starts, dates, day)

    def text_positions(self, needle: str) -> Iterator[int]:
        """Positions (in list order) of the texts that may hold ``needle``: every text that does,
        found in the joined string; a hit straddling two texts may be among them, so callers
        test each again. ``needle`` must not hold :data:`SEPARATOR`."""
        blob, starts = self.blob, self.starts
        pos = 0
        while True:
            hit = blob.find(needle, pos)
            if hit < 0:
                return
            i = bisect.bisect_right(starts, hit) - 1
            yield i
            pos = starts[i + 1] if i + 1 < len(starts) else len(blob)

    def date_positions(self, lo: str | None, hi: str | None) -> np.ndarray:
        """Positions (in list order) of the decisions dated from ``lo`` to ``hi`` (inclusive,
        compared as strings; None: open)."""
        first = bisect.bisect_left(self.dates, lo) if lo is not None else 0
        last = bisect.bisect_right(self.dates, hi) if hi is not None else len(self.dates)
        if first >= last:
            return np.empty(0, dtype=np.intp)
        return np.flatnonzero((self.day >= first) & (self.day < last))
