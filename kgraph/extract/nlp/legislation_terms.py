"""Well-known terms that name a provision without naming its Act, and job titles that are not citations.

* A numbered provision followed by the noun it is known by: "Section 75 agreement" (National
  Health Service Act 2006), "Section 106 agreement" / "S106 funding" (Town and Country Planning
  Act 1990), "Section 278 agreement" (Highways Act 1980), "Section 31 grant" (Local
  Government Act 2003) … (:data:`WELL_KNOWN_PROVISIONS`);
* phrases that name an instrument: "Traffic Regulation Order" (Road Traffic Regulation Act
  1984), "Tree Preservation Order" (Town and Country Planning Act 1990), "Public Spaces
  Protection Order" (Anti-social Behaviour, Crime and Policing Act 2014), "CIL Regulation 123"
  (Community Infrastructure Levy Regulations 2010);
* the exempt-information categories of schedule 12A to the Local Government Act 1972, quoted
  from the schedule ("information relating to the financial or business affairs of any
  particular person" is paragraph 3), where the text is about exempt information, or given by
  number right after it ("Exempt information: paragraphs 1 and 3");
* job titles ("Section 151 Officer", "s151 officer"), which are not citations.

Acts found this way are ``well_known``: the text does not name them.

>>> [(t.act, t.provision, text[t.start:t.end]) for text in ["pooled in a Section 75 pooled budget"]
...  for t in find_terms(text)]
[]
>>> well_known_act("section", "75", "Section 75", " pooled budget")
'National Health Service Act 2006'
>>> is_job_title("the Section 151", " Officer and the Monitoring Officer")
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kgraph.extract.prefilter import Gated
from kgraph.extract.start_scan import StartScan

NHS_ACT = "National Health Service Act 2006"
TCPA = "Town and Country Planning Act 1990"
HIGHWAYS = "Highways Act 1980"
LGA72 = "Local Government Act 1972"

#: (kind, number) → (Act, the nouns that must follow the number for the term to name the Act).
WELL_KNOWN_PROVISIONS: dict[tuple[str, str], tuple[str, str]] = {
    ("section", "75"): (NHS_ACT, r"agreements?|arrangements?|partnerships?|pool(?:ed|s)?|budgets?|funds?|funding"),
    ("section", "256"): (NHS_ACT, r"agreements?|transfers?|funding|grants?"),
    ("section", "106"): (TCPA, r"agreements?|obligations?|contributions?|funding|funds|monies|money|receipts|"
                              r"capital|programmes?|payments?|legal\s+agreements?|planning\s+obligations?"),
    ("section", "278"): (HIGHWAYS, r"agreements?|works|funding|contributions?"),
    ("section", "38"): (HIGHWAYS, r"(?:adoption\s+)?agreements?"),
    ("section", "31"): ("Local Government Act 2003", r"grants?|funding"),
    ("section", "114"): ("Local Government Finance Act 1988", r"notices?|reports?"),
    ("section", "117"): ("Mental Health Act 1983", r"after-?\s?care|aftercare"),
    ("section", "101"): (LGA72, r"agreements?|arrangements?|delegations?"),
    ("section", "113"): (LGA72, r"agreements?|arrangements?"),
    ("schedule", "12A"): (LGA72, r""),  # the exempt-information schedule, however it is written
}
# at most one word (an adjective such as "pooled" or "capital") between the number and the noun
_GAP = r"[ \t]*(?:\n[ \t]*)?(?:[A-Za-z-]+[ \t]+)?"

_JOB_AFTER = re.compile(
    r"[ \t]*(?:\(|/)?[ \t]*(?:\(?(?:Chief[ \t]+)?Financ\w*(?:[ \t]+Officer)?\)?[ \t]+)?Officers?\b", re.IGNORECASE
)
_JOB_BEFORE = re.compile(r"Officer[ \t]*(?:\(|,|-|–)[ \t]*$", re.IGNORECASE)

# phrases that name an instrument or one of its provisions on their own
_TRO = re.compile(r"\b(?:(?:Experimental|Temporary|Permanent)[ \t]+)?Traffic[ \t]+Regulation[ \t]+Orders?\b")
#: Orders named by their kind, with the Act they are made under.
ORDER_KINDS = (
    (_TRO, "Road Traffic Regulation Act 1984"),
    (re.compile(r"\bTree[ \t]+Preservation[ \t]+Orders?\b"), "Town and Country Planning Act 1990"),
    (re.compile(r"\bPublic[ \t]+Spaces?[ \t]+Protection[ \t]+Orders?\b"),
     "Anti-social Behaviour, Crime and Policing Act 2014"),
)
_CIL_REG = re.compile(
    r"\b(?:Community[ \t]+Infrastructure[ \t]+Levy|CIL)[ \t]*(?:[\[(][ \t]*CIL[ \t]*[\])][ \t]*)?"
    r"Regulations?[ \t]+(?P<num>\d{1,3}[A-Z]?)\b(?![ \t]*(?:19|20)\d{2})"
)
#: The exempt-information categories of Part 1 of schedule 12A, as the schedule words them.
SCHEDULE_12A_PARAGRAPHS = {
    "1": r"information\s+relating\s+to\s+any\s+individual",
    "2": r"information\s+which\s+is\s+likely\s+to\s+reveal\s+the\s+identity\s+of\s+an\s+individual",
    "3": r"information\s+relating\s+to\s+the\s+financial\s+or\s+business\s+affairs\s+of\s+any\s+particular\s+person",
    "4": r"information\s+relating\s+to\s+any\s+consultations\s+or\s+negotiations",
    "5": r"information\s+in\s+respect\s+of\s+which\s+a\s+claim\s+to\s+legal\s+professional\s+privilege",
    "6": r"information\s+which\s+reveals\s+that\s+the\s+authority\s+proposes",
    "7": r"information\s+relating\s+to\s+any\s+action\s+taken\s+or\s+to\s+be\s+taken\s+in\s+connection\s+with"
         r"\s+the\s+prevention,?\s+investigation\s+or\s+prosecution\s+of\s+crime",
}
_SCHEDULE_12A = re.compile(
    r"(?P<lead>paragraph[ \t]+(?P<num>[1-7])[ \t]*(?:\(|[-–:][ \t]*))?"
    r"(?:" + "|".join(f"(?P<p{n}>{pat})" for n, pat in SCHEDULE_12A_PARAGRAPHS.items()) + ")",
    re.IGNORECASE,
)
#: How far (in characters) around a schedule 12A category the text must speak of exempt information.
EXEMPT_CONTEXT_CHARS = 300
_EXEMPT = re.compile(
    r"exempt|exclu(?:de|ded|sion)|confidential|not\s+for\s+publication|private|restricted|"
    r"schedule\s*12\s*\(?a|public\s+interest",
    re.IGNORECASE,
)


# "Exempt information - paragraphs 1 and 3", "Reason for exemption: Paragraph 3": the categories by number
_EXEMPT_PARAGRAPHS = re.compile(
    r"\b(?:exempt\w*|exclu\w*|not\s+for\s+publication|confidential|private|restricted)\b[^\n.;]{0,60}?"
    r"\b(?P<lead>paragraphs?|paras?\.?|paragraph\(s\))[ \t]*(?P<nums>[1-7](?:[ \t]*(?:,|and|&|or)[ \t]*[1-7])*)\b"
    r"(?![ \t]*(?:\.\d|of\b|\(\w\)|(?:,|and|&|or)[ \t]*\d))",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Term:
    """A well-known term naming an Act (and a provision of it)."""

    start: int
    end: int
    act: str
    provision: str | None
#: Both scanned only where their trigger words are (:mod:`~kgraph.extract.prefilter`; same matches).
_SCHEDULE_12A_GATED, _EXEMPT_PARAGRAPHS_GATED = Gated(_SCHEDULE_12A), Gated(_EXEMPT_PARAGRAPHS)


def well_known_act(kind: str, number: str, written: str, after: str) -> str | None:
    """The Act a bare provision names by convention, when the words after it say so.

    ``number`` is the provision number without subsections, ``after`` the text following it.

    >>> well_known_act("section", "106", "S106", " capital receipts"), well_known_act("section", "106", "s106", " of it")
    ('Town and Country Planning Act 1990', None)
    """
    hit = WELL_KNOWN_PROVISIONS.get((kind, number))
    if hit is None:
        return None
    act, nouns = hit
    if not nouns or re.match(rf"{_GAP}(?:{nouns})\b", after, re.IGNORECASE):
        return act
    return None


def is_job_title(before: str, after: str) -> bool:
    """True when a provision is part of a job title ("Section 151 Officer", "Officer (s151)").

    >>> is_job_title("consult the ", "/Chief Finance Officer"), is_job_title("Officer (", ")")
    (True, True)
    """
    return bool(_JOB_AFTER.match(after) or _JOB_BEFORE.search(before))


#: The same patterns, each tried only where a match can begin (:mod:`kgraph.extract.start_scan`).
_ORDER_SCANS = tuple((StartScan(p), act) for p, act in ORDER_KINDS)
_CIL_SCAN = StartScan(_CIL_REG)


def find_terms(text: str) -> list[Term]:
    """Instruments named by a term: Traffic Regulation Orders, CIL regulations, schedule 12A categories.

    >>> [(t.act, t.provision) for t in find_terms("A Traffic Regulation Order and CIL Regulation 123.")]
    [('Road Traffic Regulation Act 1984', None), ('Community Infrastructure Levy Regulations 2010', 'regulation 123')]
    >>> text = "Exempt: paragraph 3 (information relating to the financial or business affairs of any particular person)"
    >>> [(t.provision, text[t.start:t.end][:11]) for t in find_terms(text)]
    [('schedule 12A, paragraph 3', 'paragraph 3')]
    """
    out = [Term(m.start(), m.end(), act, None) for scan, act in _ORDER_SCANS for m in scan.finditer(text)]
    out += [Term(m.start(), m.end(), "Community Infrastructure Levy Regulations 2010", f"regulation {m['num']}")
            for m in _CIL_SCAN.finditer(text)]
    for m in _EXEMPT_PARAGRAPHS_GATED.finditer(text):
        for n in re.findall(r"[1-7]", m["nums"]):
            out.append(Term(m.start("lead"), m.end("nums"), LGA72, f"schedule 12A, paragraph {n}"))
    for m in _SCHEDULE_12A_GATED.finditer(text):
        para = next(n for n in SCHEDULE_12A_PARAGRAPHS if m[f"p{n}"] is not None)
        if m["num"] is not None and m["num"] != para:
            continue  # "paragraph 1 (information relating to ... business affairs)": the text contradicts itself
        window = text[max(0, m.start() - EXEMPT_CONTEXT_CHARS) : m.end() + EXEMPT_CONTEXT_CHARS]
        if _EXEMPT.search(window):
            out.append(Term(m.start(), m.end(), LGA72, f"schedule 12A, paragraph {para}"))
    kept: list[Term] = []  # overlapping terms for one provision ("paragraph 3 (information ...)") are one
    for term in sorted(out, key=lambda t: (t.start, -(t.end - t.start))):
        if not any(k.provision == term.provision and k.start < term.end and term.start < k.end for k in kept):
            kept.append(term)
    return kept
