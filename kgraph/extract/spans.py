"""Whether any of many spans holds an offset, or covers a span: by bisection, not by reading all.

Extraction asks this for every candidate against every title or term found before it; read span
by span, a long paper made that quadratic. :class:`SpanCover` sorts the spans once by start and
keeps, for each prefix, the furthest end reached, so one bisection answers.

>>> c = SpanCover([(10, 20), (0, 5), (12, 30)])
>>> c.holds(4), c.holds(5), c.holds(25), c.covers(12, 30), c.covers(4, 11)
(True, False, True, True, False)
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterable

__all__ = ["SpanCover"]


class SpanCover:
    """A set of ``(start, end)`` spans (any order, overlapping or not)."""

    def __init__(self, spans: Iterable[tuple[int, int]]):
        ordered = sorted(spans)
        self._starts = [s for s, _ in ordered]
        self._reach = list(itertools.accumulate((e for _, e in ordered), max))

    def holds(self, offset: int) -> bool:
        """Some span has ``start <= offset < end``."""
        k = bisect.bisect_right(self._starts, offset) - 1
        return k >= 0 and self._reach[k] > offset

    def covers(self, start: int, end: int) -> bool:
        """Some span has ``span start <= start`` and ``end <= span end``."""
        k = bisect.bisect_right(self._starts, start) - 1
        return k >= 0 and self._reach[k] >= end
