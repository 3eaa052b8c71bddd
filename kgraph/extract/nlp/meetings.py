"""Committee meetings: a committee (an organisation of kind ``Committee`` in
``doc._.organisations``) and the full dates its sentence gives for it.

A date belongs to a committee when it follows the committee in the same sentence, line or list
item ("Cabinet Committee 29 November 2018, 11 January 2019") or introduces it ("At its meeting
on 11 January 2019, the ... Committee"). Month-only dates are not meetings. Meetings are
deduplicated by (body, date), keeping the first mention.

>>> text = "Discussed at the CYPE Cabinet Committee 16 May 2023 and 20 June 2023."
>>> org = OrgMention(Mention("CYPE Cabinet Committee", 17, 39), "CYPE Cabinet Committee", "Committee", "pattern")
>>> [(m.body, m.date) for m in find_meetings(text, [org], [(0, len(text))])]
[('CYPE Cabinet Committee', '2023-05-16'), ('CYPE Cabinet Committee', '2023-06-20')]
"""

from __future__ import annotations

import bisect
import re

from spacy.language import Language
from spacy.tokens import Doc

from kgraph.extract.nlp.dates import find_dates
from kgraph.extract.structure import sentence_list
from kgraph.extract.tokens import text_of
from kgraph.model import MeetingMention, Mention, OrgMention

__all__ = ["MeetingRecognizer", "find_meetings", "COMMITTEE_KINDS"]

#: Organisation kinds whose dated mentions are meetings.
COMMITTEE_KINDS = frozenset({"Committee"})

_INTRO = re.compile(r"\bmeeting\s+(?:held\s+)?on\s+$", re.IGNORECASE)
_INTRO_GAP = re.compile(r"\s*,?\s*(?:the\s+)?", re.IGNORECASE)


def _unit(units: list[tuple[int, int]], text: str, offset: int) -> tuple[int, int]:
    """The sentence (or, failing that, the line) that contains ``offset``."""
    i = bisect.bisect_right(units, (offset, float("inf"))) - 1  # units are sorted and disjoint
    if i >= 0 and units[i][0] <= offset < units[i][1]:
        return units[i]
    s = text.rfind("\n", 0, offset) + 1
    e = text.find("\n", offset)
    return s, len(text) if e < 0 else e


def find_meetings(text: str, organisations: list[OrgMention],
                  units: list[tuple[int, int]]) -> list[MeetingMention]:
    """Meetings of the committees among ``organisations``; ``units`` are sentence spans.

    >>> text = "At its meeting on 11 January 2019, the Audit Committee debated it. Audit Committee in May 2019."
    >>> orgs = [OrgMention(Mention("Audit Committee", 39, 54), "Audit Committee", "Committee", "pattern"),
    ...         OrgMention(Mention("Audit Committee", 67, 82), "Audit Committee", "Committee", "pattern")]
    >>> [(m.mention.text, m.date) for m in find_meetings(text, orgs, [(0, 66), (67, len(text))])]
    [('11 January 2019, the Audit Committee', '2019-01-11')]
    """
    committees = sorted((o for o in organisations if o.kind in COMMITTEE_KINDS), key=lambda o: o.mention.start)
    found: list[MeetingMention] = []
    seen: set[tuple[str, str]] = set()

    def add(org: OrgMention, start: int, end: int, iso: str) -> None:
        if (org.name, iso) in seen:
            return
        seen.add((org.name, iso))
        found.append(MeetingMention(Mention(text[start:end], start, end), org.name, iso))

    for i, org in enumerate(committees):
        m = org.mention
        u_start, u_end = _unit(units, text, m.start)
        # a later committee in the same unit claims the dates after it
        stop = next((o.mention.start for o in committees[i + 1 :] if o.mention.start < u_end), u_end)
        dates = find_dates(text[u_start:u_end])
        for d in dates:
            d_start, d_end = d.start + u_start, d.end + u_start
            if m.end <= d_start and d_end <= stop:
                add(org, m.start, d_end, d.iso)
            elif d_end <= m.start and _INTRO.search(text, u_start, d_start):
                gap = _INTRO_GAP.fullmatch(text, d_end, m.start)
                if gap:
                    add(org, d_start, m.end, d.iso)
    found.sort(key=lambda mt: mt.mention.start)
    return found


class MeetingRecognizer:
    """Fill ``doc._.meetings`` from the committees already in ``doc._.organisations``."""

    def __init__(self, nlp: Language, name: str):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        units = sentence_list(doc) if doc.has_annotation("SENT_START") else []
        doc._.meetings = find_meetings(text_of(doc), list(doc._.organisations or []), units)
        return doc
