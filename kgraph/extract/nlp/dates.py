"""Dates as council papers write them: "15 November 2019", "1st April 2017", "11/01/2019" (UK
day first), "November 15, 2019" and, at month precision, "November 2019".

>>> parse_date("15 November 2019"), parse_date("11/01/2019"), parse_date("31 February 2019")
('2019-11-15', '2019-01-11', None)
>>> [(d.text, d.iso) for d in find_dates("met on 29 November 2018, 11 January 2019 and in March 2019")]
[('29 November 2018', '2018-11-29'), ('11 January 2019', '2019-01-11')]
"""

from __future__ import annotations

import bisect
import datetime as _dt
import re
from dataclasses import dataclass

from kgraph.extract.start_scan import StartScan

__all__ = ["DateSpan", "parse_date", "find_dates", "dates_in", "MONTHS"]

#: Month names and abbreviations, lower case, to month number.
MONTHS: dict[str, int] = {}
for _i, _name in enumerate(
    ("january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"),
    start=1,
):
    MONTHS[_name] = _i
    MONTHS[_name[:3]] = _i
MONTHS["sept"] = 9

_MONTH = r"(?P<{g}>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<{g}>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<{g}>(?:19|20)\d\d)"

_PATTERNS = (
    ("dmy", re.compile(
        r"(?<![\w/])" + _DAY.format(g="d") + r"[ \t\xa0]+(?:of[ \t]+)?" + _MONTH.format(g="m")
        + r",?[ \t\xa0]+" + _YEAR.format(g="y") + r"(?![\w/])", re.IGNORECASE)),
    ("mdy", re.compile(
        r"(?<![\w/])" + _MONTH.format(g="m") + r"[ \t\xa0]+" + _DAY.format(g="d")
        + r"(?:st|nd|rd|th)?,[ \t\xa0]*" + _YEAR.format(g="y") + r"(?![\w/])", re.IGNORECASE)),
    ("numeric", re.compile(
        r"(?<![\w/.])" + _DAY.format(g="d") + r"[/.](?P<m>[01]?\d)[/.]" + _YEAR.format(g="y")
        + r"(?![\w/])")),
    ("my", re.compile(
        r"(?<![\w/])" + _MONTH.format(g="m") + r"[ \t\xa0]+" + _YEAR.format(g="y") + r"(?![\w/])",
        re.IGNORECASE)),
)

#: The same patterns, each tried only where a date can begin (:mod:`kgraph.extract.start_scan`).
_SCANS = {kind: StartScan(pattern) for kind, pattern in _PATTERNS}


@dataclass(frozen=True)
class DateSpan:
    """A date found in text: offsets, the quoted text, ISO value and precision (``day``/``month``).

    At month precision ``iso`` is ``YYYY-MM``.
    """

    text: str
    start: int
    end: int
    iso: str
    precision: str = "day"

    @property
    def year(self) -> int:
        return int(self.iso[:4])


def _iso(kind: str, m: re.Match) -> tuple[str, str] | None:
    month_text = m.group("m").lower().rstrip(".")
    month = int(month_text) if month_text.isdigit() else MONTHS.get(month_text)
    year = int(m.group("y"))
    if month is None or not 1 <= month <= 12:
        return None
    if kind == "my":
        return f"{year:04d}-{month:02d}", "month"
    try:
        return _dt.date(year, month, int(m.group("d"))).isoformat(), "day"
    except ValueError:
        return None


def find_dates(text: str, *, months: bool = False) -> list[DateSpan]:
    """Dates in ``text`` in order; with ``months=True`` also month-and-year dates.

    >>> [d.iso for d in find_dates("due on 1 April 2017; held in June 2016", months=True)]
    ['2017-04-01', '2016-06']
    >>> find_dates("planning ref 19/502510/FULL, decision 19/00076")
    []
    """
    found: list[DateSpan] = []
    if "19" not in text and "20" not in text:
        return found  # every pattern ends in a year, 19xx or 20xx
    taken: list[tuple[int, int]] = []
    for kind, scan in _SCANS.items():
        if kind == "my" and not months:
            continue
        for m in scan.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            value = _iso(kind, m)
            if value is None:
                continue
            taken.append((m.start(), m.end()))
            found.append(DateSpan(m.group(0), m.start(), m.end(), *value))
    found.sort(key=lambda d: d.start)
    return found


#: Characters the patterns' look-behinds and look-aheads read: a span where a date could start
#: (a word character) right after one of the first, or end (a digit) right before one of the
#: second, is searched on its own (a slice), not in the one scan of the whole text.
_EDGE_BEFORE = re.compile(r"[\w/.]\w")
_EDGE_AFTER = re.compile(r"\d[\w/]")


def dates_in(text: str, spans: list[tuple[int, int]], *, months: bool = False) -> list[list[DateSpan]]:
    """For each span, ``find_dates(text[s:e], months=months)`` with offsets in ``text``, from one
    scan of the whole text per pattern (not one per span).

    A span whose edges the patterns' look-arounds could read differently in the whole text (a
    word character, ``/`` or ``.`` just outside it), or that a match of the whole text crosses,
    is searched on its own, so the dates are exactly those of the slices (property-tested).

    >>> t = "Met on 1 May 2019. Due in June 2020 or 1/2/2021"
    >>> [[d.iso for d in ds] for ds in dates_in(t, [(0, 18), (19, len(t))], months=True)]
    [['2019-05-01'], ['2020-06', '2021-02-01']]
    """
    if not spans:
        return []
    found = []
    for kind, scan in _SCANS.items():
        if kind == "my" and not months:
            continue
        matches = list(scan.finditer(text))
        found.append((kind, matches, [m.start() for m in matches]))
    out = []
    for s, e in spans:
        if (s > 0 and _EDGE_BEFORE.match(text, s - 1, s + 1)) or (0 < e < len(text) and _EDGE_AFTER.match(text, e - 1, e + 1)) or any(
                _crosses(matches, starts, s, e) for _, matches, starts in found):
            out.append([DateSpan(d.text, d.start + s, d.end + s, d.iso, d.precision)
                        for d in find_dates(text[s:e], months=months)])
            continue
        spans_found: list[DateSpan] = []
        taken: list[tuple[int, int]] = []
        for kind, matches, starts in found:
            for i in range(bisect.bisect_left(starts, s), bisect.bisect_left(starts, e)):
                m = matches[i]
                if any(a < m.end() and m.start() < b for a, b in taken):
                    continue
                value = _iso(kind, m)
                if value is None:
                    continue
                taken.append((m.start(), m.end()))
                spans_found.append(DateSpan(m.group(0), m.start(), m.end(), *value))
        spans_found.sort(key=lambda d: d.start)
        out.append(spans_found)
    return out


def _crosses(matches: list[re.Match], starts: list[int], s: int, e: int) -> bool:
    """A match (of one pattern: they do not overlap) runs across ``s`` or ``e``."""
    i = bisect.bisect_left(starts, s)
    if i and matches[i - 1].end() > s:
        return True
    j = bisect.bisect_left(starts, e)
    return j > i and matches[j - 1].end() > e


def parse_date(text: str) -> str | None:
    """The ISO date (``YYYY-MM-DD``) that ``text`` is, or ``None`` if it is not exactly a full date.

    >>> parse_date(" 1st April 2017 "), parse_date("November 15, 2019"), parse_date("November 2019")
    ('2017-04-01', '2019-11-15', None)
    """
    text = text.strip()
    for d in find_dates(text):
        if d.start == 0 and d.end == len(text):
            return d.iso
    return None
