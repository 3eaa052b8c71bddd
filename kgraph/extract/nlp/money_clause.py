"""An amount's own clause: the words around it up to the neighbouring amounts and clause
marks, and what they say of its role, period, parties and purpose.

>>> financial_year("In 2019-20 the budget was £5m.")
'2019/2020'
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from kgraph.extract.nlp.money_cues import (
    AND_ONLY,
    ANNUAL,
    FIN_YEAR,
    FUNDING,
    FUNDS_VERB,
    GRANT_SOURCE,
    HEADING_LINE,
    MODIFIER_AFTER,
    OTHER,
    PAST,
    PERIOD_REACH,
    PREP_FUNDER,
    PREP_OTHER,
    PREP_TO,
    PREP_VIA,
    PURPOSE_CUE,
    PURPOSE_MAX_WORDS,
    PURPOSE_SKIP,
    PURPOSE_STOP,
    PURPOSE_TRAIL,
    SOURCE_OF,
    THRESHOLD_AFTER,
    THRESHOLD_STRONG,
    THRESHOLD_WEAK,
    THRESHOLD_WORD,
    TOTAL_AFTER,
    TOTAL_BEFORE,
)
from kgraph.model import OrgMention

# ----------------------------------------------------------------------------- working state


@dataclass
class Draft:
    """An amount while its attributes are being decided."""

    start: int
    end: int
    text: str
    gbp: int
    sent: tuple[int, int]
    para: tuple[int, int]
    left: tuple[int, int]
    right: tuple[int, int]
    role: str = "other"
    period: str | None = None
    funder: str | None = None
    recipient: str | None = None
    intermediary: str | None = None
    purpose: str | None = None
    is_total: bool = False
    table_row: str | None = None
    evidence: tuple[int, int] | None = None
    past: bool = False
    grant: bool = False


@dataclass(frozen=True)
class Row:
    label: str
    start: int
    end: int
    is_total: bool
    lead_in: tuple[int, int] | None
    context: str


def set_windows(drafts: list[Draft]) -> None:
    """The clause of each amount: its sentence, cut at neighbouring amounts and at clause marks."""
    for i, d in enumerate(drafts):
        lo = d.sent[0]
        if i and drafts[i - 1].sent == d.sent:
            lo = max(lo, drafts[i - 1].end)
        hi = d.sent[1]
        if i + 1 < len(drafts) and drafts[i + 1].sent == d.sent:
            hi = min(hi, drafts[i + 1].start)
        d.left = (lo, d.start)
        d.right = (d.end, max(hi, d.end))


#: The characters that end a clause or open and close a bracket (only these are read).
_CUTS = re.compile(r"[()=;]")


def _cut_left(text: str, lo: int, hi: int) -> int:
    depth = 0
    for i in reversed([m.start() for m in _CUTS.finditer(text, lo, hi)]):
        c = text[i]
        if c == ")":
            depth += 1
        elif c == "(":
            if depth == 0:
                return i + 1
            depth -= 1
        elif c in "=;" and depth == 0:
            return i + 1
    return lo


def _cut_right(text: str, lo: int, hi: int) -> int:
    opened: list[int] = []
    for m in _CUTS.finditer(text, lo, hi):
        i, c = m.start(), m.group()
        if c == "(":
            opened.append(i)
        elif c == ")":
            if not opened:
                return i
            opened.pop()
        elif c in "=;" and not opened:
            return i
    return opened[0] if opened else hi


def _left_text(text: str, d: Draft) -> tuple[int, str]:
    a = _cut_left(text, *d.left)
    return a, text[a : d.start]


def right_text(text: str, d: Draft) -> tuple[int, str]:
    b = _cut_right(text, *d.right)
    return d.end, text[d.end : b]


class SortedOrgs(list):
    """A document's organisation mentions sorted by start, their starts indexed once, so that
    the ones inside a clause are found by bisection rather than by reading all of them for
    every amount (which made a long paper quadratic).

    >>> from kgraph.model import Mention
    >>> orgs = SortedOrgs([OrgMention(Mention("B", 9, 10), "B", "", ""), OrgMention(Mention("A", 2, 3), "A", "", "")])
    >>> [o.name for o in orgs], [o.name for o in _orgs_in(orgs, 0, 5)]
    (['A', 'B'], ['A'])
    """

    def __init__(self, orgs=()):
        super().__init__(sorted(orgs, key=lambda o: o.mention.start))
        self.starts = [o.mention.start for o in self]
        self.start_set = frozenset(self.starts)


def _orgs_in(orgs: list[OrgMention], lo: int, hi: int) -> list[OrgMention]:
    if isinstance(orgs, SortedOrgs):
        i, j = bisect.bisect_left(orgs.starts, lo), bisect.bisect_right(orgs.starts, hi)
        return [o for o in orgs[i:j] if o.mention.end <= hi]
    return [o for o in orgs if lo <= o.mention.start and o.mention.end <= hi]


def norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def _nearest(regex: re.Pattern, left: str, right: str) -> int | None:
    """Distance from the amount to the nearest match in the clause, or None."""
    best = None
    for m in regex.finditer(left):
        dist = len(left) - m.end()
        best = dist if best is None else min(best, dist)
    for m in regex.finditer(right):
        best = m.start() if best is None else min(best, m.start())
    return best


# ----------------------------------------------------------------------------- own clause


def own_clause(text: str, d: Draft, orgs: list[OrgMention]) -> None:
    lstart, left = _left_text(text, d)
    _, right = right_text(text, d)
    fund, other = _nearest(FUNDING, left, right), _nearest(OTHER, left, right)
    if (THRESHOLD_STRONG.search(left) or THRESHOLD_AFTER.search(right)
            or THRESHOLD_WORD.search(left) or THRESHOLD_WORD.search(right[:30])
            or (THRESHOLD_WEAK.search(left) and fund is None and other is None)):
        d.role = "threshold"
        return
    if fund is not None and (other is None or fund <= other):
        d.role = "funding"
    d.is_total = bool(TOTAL_BEFORE.search(left) or TOTAL_AFTER.search(right))
    if ANNUAL.search(left[-PERIOD_REACH:]) or ANNUAL.search(right[:PERIOD_REACH]):
        d.period = "annual"
    else:
        d.period = financial_year(text[d.sent[0] : d.sent[1]])
    d.past = bool(PAST.search(right[:40]) or PAST.search(left[-40:]))
    d.grant = bool(GRANT_SOURCE.search(right) or GRANT_SOURCE.search(left[-40:]))
    if d.role == "funding":
        funder, recipient, via = parties(text, orgs, lstart, d.end + len(right), (d.start, d.end))
        if funder:
            d.funder = funder
        d.recipient, d.intermediary = recipient, via
    d.purpose = _purpose(text, d, right, orgs)


def financial_year(sentence: str) -> str | None:
    """The one financial year a sentence names, as ``"YYYY/YYYY"`` (None if none or several).

    >>> financial_year("The revenue funding for financial year 2023/2024 is £1,434,000.")
    '2023/2024'
    >>> financial_year("In 2019-20 the budget was £5m."), financial_year("Strategy 2022-2026")
    ('2019/2020', None)
    """
    years = set()
    for m in FIN_YEAR.finditer(sentence):
        first = int(m[1])
        second = int(m[2]) if len(m[2]) == 4 else (first // 100) * 100 + int(m[2])
        if second == first + 1:
            years.add(f"{first}/{second}")
    return years.pop() if len(years) == 1 else None


def parties(text: str, orgs: list[OrgMention], lo: int, hi: int,
             amount: tuple[int, int] | None = None) -> tuple[str | None, str | None, str | None]:
    """Funder, recipient and intermediary named in ``text[lo:hi]``.

    With ``amount`` (the amount's own clause) a subject before the amount is the funder when
    a funding word lies between them; without it (a party sentence or a table lead-in) only
    "funded by ORG", "ORG funds ..." and, for a lead-in, its single unmarked subject count.
    """
    funder = recipient = via = None
    subjects: list[OrgMention] = []
    # with several "by/from ORG" in the clause, the one nearest the amount is its funder
    near = (lambda o: min(abs(o.mention.start - amount[1]), abs(amount[0] - o.mention.end))) if amount else None
    for o in sorted(_orgs_in(orgs, lo, hi), key=near) if near else _orgs_in(orgs, lo, hi):
        before = text[max(lo, o.mention.start - 30) : o.mention.start]
        after = text[o.mention.end : hi]
        if PREP_FUNDER.search(before):
            funder = funder or o.name
        elif PREP_VIA.search(before):
            via = via or o.name
        elif PREP_TO.search(before):
            if (amount is None or o.mention.start >= amount[1]) and not MODIFIER_AFTER.match(after):
                recipient = recipient or o.name
        elif PREP_OTHER.search(before):
            continue
        elif FUNDS_VERB.match(after) or (amount is not None and o.mention.end <= amount[0]
              and FUNDING.search(text[o.mention.end : amount[0]])):
            subjects.append(o)
    subjects.sort(key=lambda o: o.mention.start)
    if funder is None and subjects:
        for prev, nxt in zip(subjects, subjects[1:], strict=False):
            if prev.name != nxt.name and AND_ONLY.match(text[prev.mention.end : nxt.mention.start]):
                return None, recipient, via  # "KCC and the NHS jointly ...": no single funder
        funder = subjects[-1].name
    return funder, recipient, via


def lead_in_funder(text: str, orgs: list[OrgMention], lo: int, hi: int) -> tuple[str | None, str | None]:
    """Funder and intermediary of a table from its lead-in sentence."""
    funder, _, via = parties(text, orgs, lo, hi)
    if funder:
        return funder, via
    unmarked = {o.name for o in _orgs_in(orgs, lo, hi)
                if not re.search(r"\b(?:by|from|via|to|into|for|with|of|in|at|between|and)\s+(?:the\s+)?$",
                                 text[max(lo, o.mention.start - 30) : o.mention.start], re.IGNORECASE)}
    return (unmarked.pop() if len(unmarked) == 1 else None), via


def _purpose(text: str, d: Draft, right: str, orgs: list[OrgMention]) -> str | None:
    if d.role == "threshold":
        return None
    src = SOURCE_OF.match(right)
    rest = right
    # a line broken before its end ("... through the DSG High Needs" / "Funding arrangements for KHNES.")
    own = text[d.sent[0] : d.sent[1]].rstrip()
    if own and own[-1] not in ".!?:;)*" and d.right[1] == d.sent[1]:
        nxt = re.match(r"\s*\n[ \t]*\n[ \t]*([^\n]{1,120}\.)[ \t]*(?:\n|$)", text[d.sent[1] :])
        if nxt and not HEADING_LINE.match(nxt[1]):
            rest = right + " " + nxt[1]
    phrase = _purpose_phrase(rest, d.end, text, orgs)
    if src:
        return norm(src["src"]) + (f" for {phrase}" if phrase else "")
    return phrase


def _purpose_phrase(window: str, base: int, text: str, orgs: list[OrgMention]) -> str | None:
    """The first "to/for/into/in/funding/providing ..." phrase of the clause after the amount."""
    org_starts = orgs.start_set if isinstance(orgs, SortedOrgs) else {o.mention.start for o in orgs}
    for m in PURPOSE_CUE.finditer(window):
        tail = window[m.end() :]
        if PURPOSE_SKIP.match(tail):
            continue
        lead = re.match(r"(?:the|a|an)\s+", tail, re.IGNORECASE)
        off = lead.end() if lead else 0
        if base + m.end() + off in org_starts:
            continue
        stop = PURPOSE_STOP.search(tail, off)
        phrase = PURPOSE_TRAIL.sub("", norm(tail[off : stop.start() if stop else len(tail)]))
        if phrase:
            return " ".join(phrase.split()[:PURPOSE_MAX_WORDS])
    return None


def containing(spans: list[tuple[int, int]], offset: int) -> tuple[int, int] | None:
    """The last span starting at or before ``offset`` (spans are sorted and disjoint)."""
    i = bisect.bisect_right(spans, (offset, float("inf"))) - 1
    return spans[i] if i >= 0 else None

