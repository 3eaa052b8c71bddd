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
from kgraph.extract.nlp.implied_refs import implied_award, implied_awards
from kgraph.extract.prefilter import Anchored, Gated
from kgraph.model import DecisionNumberMention, DecisionRefMention, Mention

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
#: Noting an earlier decision ("To note the urgent decision taken …", "NOTED the decisions taken to date").
_NOTED = r"\b(?i:not(?:e|es|ed|ing))"
#: What a past decision did to money or a plan, in the passive ("was injected into the programme in …").
_PASSIVE = r"(?i:injected|approved|agreed|allocated|awarded|added|committed|granted|adopted)"
_TITLE = r"(?P<title>(?:[A-Z][\w&’'-]*\s+){1,8}(?:Strategy|Policy|Plan|Programme|Framework|Scheme)(?:\s+\d{4}(?:\s*[-–]\s*\d{2,4})?)?)"

#: Each template runs only on the parts of a page holding its trigger words (:mod:`~kgraph.extract.prefilter`).
#: A template given as (lead, rest) with an anchor (a third item; never case-folded) runs only just before
#: the anchor, which matches after the lead ("(the) BODY") with only spaces between
#: (:class:`~kgraph.extract.prefilter.Anchored`); each anchor starts with a character, so that the engine
#: skips along to it and a long run of spaces is read once.
_TEMPLATES = tuple(Anchored(*p, anchor[0]) if anchor else Gated(re.compile(p, re.IGNORECASE if folds else 0))
                   for p, folds, *anchor in (
    # approved by Cabinet on 26 March 2015; resolved by Cabinet at its meeting on 13 April 2022
    (_VERB + r"\s+(?:by|at)\s+(?:the\s+)?" + BODY + r"(?:\s+at\s+its\s+meeting)?\s+(?:on|in|of)\s+" + DATE, False),
    # the Cabinet decision reached on 25 May 2010; the decision of the Secretary of State on 24 October 2023
    ((r"(?:the\s+)?" + BODY + r"(?:'s)?", r"\s+decisions?\s+(?:" + _VERB + r"\s+)?(?:on|of|in)\s+" + DATE), False,
     r"\s(?=decisions?\s)"),
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
    ((r"(?:[Tt]he\s+)?" + BODY, r"\s+on\s+" + DATE + r",?\s+" + _VERB), False, r"\s(?=on\s)"),
    # the Cabinet Member agreed, at the delegated decisions meeting on 4 December 2007
    (BODY + r"\s+" + _VERB + r",?\s+at\s+the\s+[\w\s]{0,40}?meeting\s+(?:on|of|held\s+on)\s+" + DATE, False),
    # approved in September Cabinet
    (_VERB + r"\s+(?:in|at)\s+(?:the\s+)?(?P<month>" + _MONTH + r")\s+" + BODY, False),
    # a previous recommendation agreed in February 2023
    (r"(?:previous|earlier|original|prior)\s+(?:recommendation|decision|resolution)s?\s+(?:" + _VERB
     + r"\s+)?(?:on|in)\s+" + DATE, False),
    # Cabinet, at its meeting on 11 November 2020, delegated; Cabinet, on 13 September 2023 ('Title') resolved
    ((r"(?:[Tt]he\s+)?" + BODY, r",\s+(?:at\s+its\s+meeting\s+)?on\s+" + DATE
      + r"(?:\s*\(\s*[‘'\"“]?(?P<title>[^)’'\"”]{3,80})[’'\"”]?\s*\))?,?\s+" + _VERB), False,
     r",\s+(?:at\s+its\s+meeting\s+)?on\s"),
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
    # Further to the report to Cabinet on 12 March 2019; further to the decision of the Director to the Executive on …
    (r"[Ff]urther\s+to\s+(?:the|a|its)\s+(?:[\w’'-]+\s+){0,2}?(?:report|decision|resolution|recommendation)s?"
     r"(?:\s+(?:of|by|from)\s+(?:the\s+)?[^.;]{0,60}?)?\s+(?:to|at|of)\s+(?:the\s+)?" + BODY
     + r"(?:\s+meeting)?\s+(?:on|of|in|held\s+on)\s+" + DATE, False),
    # noted the urgent delegated decision taken; NOTED the decisions taken to date in respect of the interim support
    (_NOTED + r"\s+(?:that\s+)?the\s+(?P<what>(?:[\w’'-]+\s+){0,3}?decisions?)\s+(?:already\s+|previously\s+)?"
     r"(?:taken|made)(?:\s+(?:to\s+date|so\s+far|previously|earlier))?"
     r"(?:\s+(?:in\s+respect\s+of|regarding|relating\s+to|on)\s+(?P<title>[^,;.()\n]{3,80}))?", True),
    # the full £1.5m was injected into the capital programme in February 2014
    (r"\b(?:was|were|had\s+been)\s+(?:" + _PASSIVE + r")\s+(?:(?!(?:was|were|will|is|by)\b)[\w£$,.’'-]+\s+){0,6}?"
     r"(?:on|in)\s+" + DATE, True),
    # the cleaning contract awarded in 2020; the lease which was entered into in 2016
    (r"\b(?i:the|this|that)\s+(?P<title>(?:[\w’'-]+\s+){0,3}?(?:contract|agreement|lease|framework)s?)\s+"
     r"(?:(?:which|that)\s+)?(?:was\s+|were\s+)?(?:awarded|let|entered\s+into|signed|procured)"
     r"(?:\s+(?:to|with)\s+(?-i:[A-Z][\w’'&]*(?:\s+[A-Z][\w’'&]*){0,4}))?\s+in\s+(?P<year>(?:19|20)\d{2})\b(?!\s*/)", True),
))
#: Words before "at the Cabinet meeting of …" saying that the meeting only heard of something
#: ("Members were consulted on the project at the Committee meeting of 9 June 2020"): no decision.
_ONLY_HEARD = re.compile(r"\b(?:consulted|briefed|informed|updated|presented|discussed|considered|debated)"
                         r"\b[^.;:\n]*$", re.IGNORECASE)
#: Words right after "At its meeting on …, the Committee" saying that it only heard of something
#: ("had been provided with a report for pre-decision scrutiny").
_HEARD_AFTER = re.compile(r",?\s*(?:had\s+been\s+|has\s+been\s+|was\s+|were\s+)?(?:provided\s+with|presented\s+with|"
                          r"received|shown|briefed|updated|informed|scrutinis\w+|scrutiniz\w+|discussed|considered|"
                          r"debated)\b", re.IGNORECASE)
#: Templates that name a meeting, not what it decided.
_AT_MEETING = re.compile(r"(?:at|during)\b", re.IGNORECASE)
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
            if _AT_MEETING.match(m.group(0)) and (_ONLY_HEARD.search(text, max(0, m.start() - 80), m.start())
                                                  or _HEARD_AFTER.match(text, m.end())):
                continue
            groups = m.groupdict()
            date, year = _iso(groups.get("date"))
            if groups.get("year"):
                year = int(groups["year"])
            body = _body(groups.get("body"))
            title = groups.get("title") or groups.get("what")
            title = " ".join(title.split()) if title else None
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
