"""Earlier decisions a page describes without a number: who took them, when, and on what.

Pages rarely cite an earlier decision by number. They write "the Section 75 agreement approved
by Cabinet on 26 March 2015", "under delegations resolved by Cabinet at its meeting on 13 April
2022", "Further to Minute No. 52 of the meeting of the Cabinet held on 16th October, 2017", "the
Cabinet decision reached on 25 May 2010", "the Digital Strategy that was approved by the
Executive", "a previous recommendation agreed in February 2023". Each becomes a
:class:`~kgraph.model.DecisionRefMention` with the body, the date (ISO day or month; ``None``
where the text leaves the year out) and a title where the text names the thing decided.

The mention spans the description; the link stage reads the words around it for the kind of
link (follows on, varies, amends ...). A description is only taken with a body and a date, or
with a word that places it in the past ("already", "previously", "earlier").

>>> t = "It extends the agreement approved by Cabinet on 26 March 2015 (to 31 March 2018)."
>>> [(r.body, r.date, r.mention.text) for r in find_decision_refs(t)]
[('Cabinet', '2015-03-26', 'approved by Cabinet on 26 March 2015')]
>>> [(r.body, r.date) for r in find_decision_refs("The Cabinet decision reached on 25 May 2010 stands.")]
[('Cabinet', '2010-05-25')]
>>> find_decision_refs("The report was approved by the Committee.")
[]
"""

from __future__ import annotations

import re

from kgraph.extract.nlp.dates import MONTHS, parse_date
from kgraph.extract.prefilter import Gated
from kgraph.model import DecisionMention, DecisionNumberMention, DecisionRefMention, Mention

__all__ = ["find_decision_refs", "described_refs", "implied_award", "implied_awards", "BODY", "DATE"]

_MONTH = "(?i:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + ")"
#: A decision-making body as pages name it.
BODY = (
    r"(?P<body>(?:[Ff]ull\s+)?(?:[Cc]abinet\s+[Mm]ember(?:\s*(?:for|[-–—])\s*[A-Z][\w’'&,]*(?:\s+(?:[A-Z&][\w’'&,]*|and|of|for))*)?"
    r"|[Cc]abinet(?:\s+and\s+[Cc]ommissioners)?|[Ee]xecutive(?:\s+[Bb]oard)?|[Cc]ouncil|[Ll]eader(?:\s+of\s+the\s+[Cc]ouncil)?"
    r"|(?:City\s+|Executive\s+)?Mayor|Secretary\s+of\s+State(?:\s+for\s+[A-Z]\w+(?:\s+(?:and\s+)?[A-Z]\w+)*)?"
    r"|(?:[A-Z][\w’'&/-]*\s+){0,6}(?:Committee|Board|Combined\s+Authority(?:/Joint\s+Committee)?)))"
)
#: A date as these sentences write it; the year may be left out ("on 14th March").
DATE = (
    r"(?P<date>(?:the\s+)?\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:" + _MONTH + r")\.?(?:,?\s+(?:19|20)\d{2})?"
    r"|(?:" + _MONTH + r")\.?\s+(?:19|20)\d{2}"
    r"|\d{1,2}-(?:" + _MONTH + r")-\d{2}(?:\d{2})?|\d{1,2}/\d{1,2}/(?:19|20)\d{2})"
)
_VERB = r"(?i:approved|agreed|resolved|confirmed|delegated|granted|made|taken|reached|endorsed|decided|given)"
_PAST = r"(?i:already|previously|earlier|originally)"
_TITLE = r"(?P<title>(?:[A-Z][\w&’'-]*\s+){1,8}(?:Strategy|Policy|Plan|Programme|Framework|Scheme)(?:\s+\d{4}(?:\s*[-–]\s*\d{2,4})?)?)"

#: Each template runs only on the parts of a page holding its trigger words (:mod:`~kgraph.extract.prefilter`).
_TEMPLATES = tuple(Gated(re.compile(p, re.IGNORECASE if flags else 0)) for p, flags in (
    # approved by Cabinet on 26 March 2015; resolved by Cabinet at its meeting on 13 April 2022
    (_VERB + r"\s+(?:by|at)\s+(?:the\s+)?" + BODY + r"(?:\s+at\s+its\s+meeting)?\s+(?:on|in|of)\s+" + DATE, False),
    # the Cabinet decision reached on 25 May 2010; the decision of the Secretary of State on 24 October 2023
    (r"(?:the\s+)?" + BODY + r"(?:'s)?\s+decisions?\s+(?:" + _VERB + r"\s+)?(?:on|of|in)\s+" + DATE, False),
    (r"the\s+decisions?\s+of\s+(?:the\s+)?" + BODY + r"\s+(?:on|of|in)\s+" + DATE, False),
    # given at the Cabinet meeting of 15 July 2004
    (r"(?:at|during)\s+the\s+" + BODY + r"\s+meeting\s+(?:of|on|held\s+on)\s+" + DATE, False),
    # granted at the 29 January 2021 meeting of the Combined Authority
    (r"(?:at|during)\s+the\s+" + DATE + r"\s+meeting\s+of\s+(?:the\s+)?" + BODY, False),
    # Further to Minute No. 52 of the meeting of the Cabinet held on 16th October, 2017
    (r"[Mm]inute\s+(?:[Nn]o\.?\s*)?\d+\s+of\s+the\s+meeting\s+of\s+(?:the\s+)?" + BODY + r"\s+held\s+on\s+" + DATE, False),
    # At its meeting on 17 July 2007, the Cabinet confirmed
    (r"[Aa]t\s+its\s+meeting\s+(?:on|of)\s+" + DATE + r",?\s+(?:the\s+)?" + BODY + r"\b", False),
    # The Cabinet on 03-Dec-14 delegated authority
    (r"(?:[Tt]he\s+)?" + BODY + r"\s+on\s+" + DATE + r",?\s+" + _VERB, False),
    # the Cabinet Member agreed, at the delegated decisions meeting on 4 December 2007
    (BODY + r"\s+" + _VERB + r",?\s+at\s+the\s+[\w\s]{0,40}?meeting\s+(?:on|of|held\s+on)\s+" + DATE, False),
    # approved in September Cabinet
    (_VERB + r"\s+(?:in|at)\s+(?:the\s+)?(?P<month>" + _MONTH + r")\s+" + BODY, False),
    # a previous recommendation agreed in February 2023
    (r"(?:previous|earlier|original|prior)\s+(?:recommendation|decision|resolution)s?\s+(?:" + _VERB
     + r"\s+)?(?:on|in)\s+" + DATE, False),
    # Cabinet, at its meeting on 11 November 2020, delegated; Cabinet, on 13 September 2023 ('Title') resolved
    (r"(?:[Tt]he\s+)?" + BODY + r",\s+(?:at\s+its\s+meeting\s+)?on\s+" + DATE
     + r"(?:\s*\(\s*[‘'\"“]?(?P<title>[^)’'\"”]{3,80})[’'\"”]?\s*\))?,?\s+" + _VERB, False),
    # at the meeting of the Cabinet held on 15th July 2004
    (r"(?:at|during)\s+the\s+meeting\s+of\s+(?:the\s+)?" + BODY + r"\s+held\s+on\s+" + DATE, False),
    # On 14th March the Council agreed
    (r"\b[Oo]n\s+" + DATE + r",?\s+(?:the\s+)?" + BODY + r"\s+" + _VERB, False),
    # the Cabinet Member, at the delegated decisions meeting on 4 December 2007, agreed
    (BODY + r",\s+at\s+the\s+[\w\s]{0,40}?meeting\s+(?:on|of|held\s+on)\s+" + DATE + r"\s*,?\s+" + _VERB, False),
    # previously agreed funding into ...
    (_PAST + r"\s+" + _VERB + r"\s+(?P<title>(?i:funding|budget|allocation|programme|strategy|policy|scheme|"
     r"arrangements?|delegations?))\b", False),
    # has already been agreed by cabinet
    (_PAST + r"\s+(?:been\s+)?" + _VERB + r"\s+by\s+(?:the\s+)?" + BODY, True),
    # the Digital Strategy 2021-24 that was approved by the Executive
    (_TITLE + r",?\s+(?:which|that)\s+(?:was|were|had\s+been|has\s+been)\s+" + _VERB + r"\s+by\s+(?:the\s+)?" + BODY, False),
))
_SHORT_DATE = re.compile(r"(?P<d>\d{1,2})-(?P<m>[A-Za-z]{3,9})-(?P<y>\d{2,4})")


def _iso(date: str | None) -> tuple[str | None, int | None]:
    """ISO day or month of a date as written; ``(None, None)`` when it has no year."""
    if not date:
        return None, None
    text = re.sub(r"^the\s+", "", date.strip(), flags=re.IGNORECASE)
    m = _SHORT_DATE.fullmatch(text)
    if m:
        year = int(m.group("y")) + (2000 if len(m.group("y")) == 2 else 0)
        month = MONTHS.get(m.group("m").lower())
        text = f"{int(m.group('d'))} {m.group('m')} {year}" if month else text
    iso = parse_date(re.sub(r"(\d)(?:st|nd|rd|th)\b", r"\1", text).replace(",", ""))
    if iso:
        return iso, int(iso[:4])
    m = re.fullmatch(r"(" + _MONTH + r")\.?\s+((?:19|20)\d{2})", text, re.IGNORECASE)
    if m:
        return f"{int(m.group(2)):04d}-{MONTHS[m.group(1).lower()]:02d}", int(m.group(2))
    return None, None


def _body(value: str | None) -> str | None:
    if not value:
        return None
    value = " ".join(value.split()).rstrip(" ,")
    value = re.sub(r"^(?:the|full)\s+", "", value, flags=re.IGNORECASE)
    return value[:1].upper() + value[1:]


def find_decision_refs(text: str) -> list[DecisionRefMention]:
    """Earlier decisions described by body, date or title (see the module docstring), in text order;
    overlapping descriptions keep the longest."""
    found: list[DecisionRefMention] = []
    for pattern in _TEMPLATES:
        for m in pattern.finditer(text):
            groups = m.groupdict()
            date, year = _iso(groups.get("date"))
            body = _body(groups.get("body"))
            title = " ".join(groups["title"].split()) if groups.get("title") else None
            if groups.get("month"):
                date = None
            found.append(DecisionRefMention(Mention(m.group(0), m.start(), m.end()), body, date, year, title))
    found.sort(key=lambda r: (r.mention.start, -(r.mention.end - r.mention.start)))
    out: list[DecisionRefMention] = []
    for r in found:
        if out and r.mention.start < out[-1].mention.end:
            continue
        out.append(r)
    return out


#: A title that extends or varies an existing contract ("Leisure Contract Extension",
#: "Variation to the remediation contract").
_CHANGE_TITLE = re.compile(r"\b(?:extension|extend\w*|variation|vary\w*)\b", re.IGNORECASE)
_CONTRACT_WORD = re.compile(r"\b(?:contracts?|agreements?|leases?|licen[cs]es?|licensing)\b", re.IGNORECASE)
#: The text extending or varying an existing contract.
_CHANGE_TEXT = re.compile(
    r"\b(?:extend|extension\s+(?:of|to)|vary|variation\s+(?:of|to)|contract\s+variation\s+(?:of|to))\s+"
    r"(?P<contract>(?:the\s+|an?\s+)?(?:existing|current)\s+(?:[\w’'&-]+\s+){0,6}?(?:contracts?|agreements?|leases?)"
    r"(?:\s+(?:with|for)\s+(?-i:(?:[A-Z][\w’'&-]*(?:\s(?=[A-Z]))?){1,5}))?)", re.IGNORECASE)


def implied_award(text: str, start: int, end: int, title: Mention | None) -> DecisionRefMention | None:
    """The earlier award a decision implies when it extends or varies an existing contract: from
    its title ("Leisure Contract Extension") or its part of the page ``[start, end)`` ("to extend
    the current contract with Biffa"). ``None`` when it says neither.

    >>> t = "Cabinet agreed to extend the current contract with Acme Cleaning Ltd for a year."
    >>> r = implied_award(t, 0, len(t), None)
    >>> (r.title, r.mention.text, r.implied)
    ('the current contract with Acme Cleaning Ltd', 'extend the current contract with Acme Cleaning Ltd', True)
    """
    if title is not None and _CHANGE_TITLE.search(title.text) and _CONTRACT_WORD.search(title.text):
        return DecisionRefMention(title, None, None, None, title.text, implied=True)
    m = _CHANGE_TEXT.search(text, start, end)
    if m is None:
        return None
    contract = " ".join(m.group("contract").split())
    return DecisionRefMention(Mention(m.group(0).rstrip(), m.start(), m.start() + len(m.group(0).rstrip())),
                              None, None, None, contract, implied=True)


def _start(d: DecisionMention) -> int | None:
    starts = [m.start for m in (d.number_mention, d.title_mention, d.maker_mention, d.status_mention) if m]
    return min(starts) if starts else None


def implied_awards(text: str, subjects: list[DecisionMention], cited: list[int]) -> list[DecisionRefMention]:
    """The earlier award implied by each subject decision that extends or varies an existing
    contract and, in its part of the page, cites no earlier decision (``cited``: offsets of the
    citations) — a cited one is more likely that award.

    >>> subject = DecisionMention(title="Fleet Contract Extension", title_mention=Mention("Fleet Contract Extension", 0, 24))
    >>> [r.title for r in implied_awards("Fleet Contract Extension. It was let in 2019.", [subject], [])]
    ['Fleet Contract Extension']
    >>> implied_awards("Fleet Contract Extension. It follows decision X.", [subject], [27])
    []
    """
    placed = sorted(((s, d) for d in subjects if (s := _start(d)) is not None), key=lambda p: p[0])
    out = []
    for i, (start, d) in enumerate(placed):
        block_start = start if i else 0
        end = placed[i + 1][0] if i + 1 < len(placed) else len(text)
        if any(block_start <= c < end for c in cited):
            continue
        r = implied_award(text, block_start, end, d.title_mention)
        if r is not None:
            out.append(r)
    return out


def described_refs(text: str, numbers: list[DecisionNumberMention],
                   sentences: list[tuple[int, int]]) -> list[DecisionRefMention]:
    """Earlier decisions described without a number, except in a sentence that cites a number
    (the number names that decision better).

    >>> from kgraph.extract.nlp.decisions import find_decision_numbers
    >>> t = "Further to decision 18/00071 agreed by Cabinet on 1 May 2018. Approved by Cabinet on 2 June 2019."
    >>> [r.date for r in described_refs(t, find_decision_numbers(t, []), [(0, 62), (63, len(t))])]
    ['2019-06-02']
    """
    cited = [n.mention.start for n in numbers if not n.own]
    out = []
    for r in find_decision_refs(text):
        s, e = next(((s, e) for s, e in sentences if s <= r.mention.start < e), (r.mention.start, r.mention.end))
        if not any(s <= c < e for c in cited):
            out.append(r)
    return out
