"""The provision grammar: "section 22", "s.76(1)", "S106", "sections 15 (1) and 10 (2)",
"Section 100(A)", "paragraph(s) 1 and 3 of Part 1 of Schedule 12 (A)", "regulation 33(8)(a)",
"article 4", "Part 5" — normalised to the forms of
:data:`~kgraph.extract.gazetteers.legislation.PROVISION_FORMS`.

:func:`find_provisions` gives each written provision phrase with its provisions in order,
and leaves out what is not legislation: parts of the paper ("section 3 of this report",
"see section 2", a "Section 2: Background" heading), years ("Regulations 2013" is never
regulation 2013) and job titles ("Section 151 Officer").

>>> [(p.text, p.provisions) for p in find_provisions("under s.76(1) and paragraph(s) 1 and 3 of Part 1 of Schedule 12 (A)")]
[('s.76(1)', ('section 76(1)',)), ('paragraph(s) 1 and 3 of Part 1 of Schedule 12 (A)', ('schedule 12A, paragraph 1', 'schedule 12A, paragraph 3'))]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kgraph.extract.nlp.legislation_terms import is_job_title
from kgraph.extract.spans import SpanCover
from kgraph.extract.start_scan import StartScan

# a provision number: "22", "12A", "12a", "100(A)", "76(1)", "76 (1)(a)"; never "3.2" (a report paragraph)
_SUBS = r"(?:\((?:\d{1,3}[A-Za-z]?|[a-z]{1,4})\)|\s\(\d{1,3}[A-Za-z]?\))*(?![\w.]\d|\w)"
_LETTER = r"(?:[ \t]?\([A-Z]\)(?![\w(])|[A-Za-z]{0,2})"
_NUM = r"\d{1,4}" + _LETTER + _SUBS
_NUM_MORE = r"\d{1,3}" + _LETTER + _SUBS  # later items of a list: never a year
_SEP = r"\s*(?:,\s*(?:and\s+|or\s+)?|/|&|\s(?:and|or|to)\s|[-–])\s*"
_PNUM = r"(?:\(\w{1,4}\)|\d{1,3}[A-Za-z]?)"
_PROVISION = re.compile(
    r"(?<![\w.])"
    r"(?:(?P<pkind>sub-?sections?|paragraphs?|paragraph\(s\)|paras?\.)\s*"
    rf"(?P<pnums>{_PNUM}(?:{_SEP}{_PNUM})*)(?:\s+of\s+part\s+(?:\d{{1,2}}|[IVX]{{1,4}}))?\s+(?:of|to)\s+)?"
    r"(?P<kind>sections?|(?-i:ss?\.)|(?-i:[Ss])(?=\d)|schedules?|sch\.|regulations?|regs?\.|articles?|parts?)\s*"
    rf"(?P<nums>{_NUM}(?:{_SEP}{_NUM_MORE})*)",
    re.IGNORECASE,
)
#: :data:`_PROVISION`, tried only where a match can begin (:mod:`kgraph.extract.start_scan`).
_PROVISION_SCAN = StartScan(_PROVISION)
_ONE_NUM = re.compile(_NUM)
_ONE_PNUM = re.compile(_PNUM)
_RANGE_SEP = re.compile(r"^\s*(?:to|[-–])\s*$", re.IGNORECASE)
# bare provisions that are parts of the paper or of a contract, not of legislation
_NOT_LEGISLATION_AFTER = re.compile(
    r"\s*(?:\s(?:above|below)\b|\s+(?:of|in|to)\s+(?:this|the|that|our)\s+(?:(?-i:[a-z][\w'\u2019]*|[A-Z]\w*['\u2019]s?)\s+){0,2}?"
    r"(?:report|paper|document|appendix|annex|agreement|contract|decision|policy|guidance|plan|"
    r"strategy|form|proposal|specification|constitution|minutes?|agenda|budget|scheme)s?\b)",
    re.IGNORECASE,
)
_SEE_BEFORE = re.compile(r"\b(?:see|per)\s+$", re.IGNORECASE)
_HEADING_AFTER = re.compile(r"[ \t]*[:–—-][ \t]")
_KINDS = {"s": "section", "ss": "section", "sch": "schedule", "reg": "regulation", "regs": "regulation"}


@dataclass(frozen=True)
class ProvisionPhrase:
    """One written provision phrase and the provisions it names, in the order written."""

    start: int
    end: int
    text: str
    provisions: tuple[str, ...]
    compact: bool  # written "S106" / "s.151": legislation only when tied or well known
    maybe_paper: bool  # could be a part of the paper ("Section 2: Background", "Constitution, Part 3"): kept only when tied

    @property
    def kind(self) -> str:
        return self.provisions[0].split(" ", 1)[0]


def normalise_provision(kind: str, number: str) -> str:
    """``"Schedule", "12a"`` → ``"schedule 12A"``; ``"s.", "76 (1)"`` → ``"section 76(1)"``.

    >>> normalise_provision("Sections", "76 (1)(a)"), normalise_provision("sch.", "12 (A)")
    ('section 76(1)(a)', 'schedule 12A')
    """
    k = kind.lower().rstrip(".")
    k = _KINDS.get(k, k.rstrip("s") if k.endswith("s") else k)
    number = re.sub(r"^(\d+)[ \t]?\(([A-Z])\)", r"\1\2", number.strip())
    m = re.match(r"(\d+)([A-Za-z]*)(.*)", number, re.S)
    if m is None:
        raise ValueError(f"not a provision number: {number!r}")
    subs = "".join(f"({s.lower() if s.isalpha() else s.upper()})" for s in re.findall(r"\((\w+)\)", m[3]))
    return f"{k} {m[1]}{m[2].upper()}{subs}"


def _numbers(nums: str) -> list[str]:
    """The numbers of a list ("15 (1) and 10 (2)"), ranges ("2 to 4") expanded."""
    found = [(n.group(), n.start(), n.end()) for n in _ONE_NUM.finditer(nums)]
    out = [found[0][0]]
    for prev, cur in zip(found, found[1:], strict=False):
        gap = nums[prev[2] : cur[1]]
        if _RANGE_SEP.match(gap) and prev[0].isdigit() and cur[0].isdigit():
            lo, hi = int(prev[0]), int(cur[0])
            if 0 < hi - lo <= 20:
                out.extend(str(n) for n in range(lo + 1, hi))
        out.append(cur[0])
    return out


def _is_year(number: str) -> bool:
    return re.fullmatch(r"(?:18|19|20)\d\d", number) is not None


def _provisions(m: re.Match) -> list[str]:
    """Normalised provisions of a match, in the order written."""
    out = []
    pkind = (m["pkind"] or "").lower()
    pnums = [p.group().strip("()") for p in _ONE_PNUM.finditer(m["pnums"])] if m["pnums"] else []
    for number in _numbers(m["nums"]):
        if _is_year(number):
            continue
        prov = normalise_provision(m["kind"], number)
        if pkind.startswith("sub") and prov.startswith("section") and "(" not in prov:
            out += [f"{prov}({p.lower()})" for p in pnums]
        elif pkind.startswith("para") and prov.startswith("schedule"):
            out += [f"{prov}, paragraph {p.upper()}" for p in pnums]
        else:
            out.append(prov)
    return out


#: How far back (characters) "see"/"per" is looked for before a bare provision (a window, not
#: the whole text before it: that made each look-up linear and the document quadratic).
_SEE_REACH = 200


def _not_legislation(text: str, m: re.Match) -> bool:
    """A bare provision that points into the paper or a contract."""
    return bool(_NOT_LEGISLATION_AFTER.match(text, m.end()) or _SEE_BEFORE.search(text, max(0, m.start() - _SEE_REACH), m.start()))


# a council document named just before a bare provision: "the Constitution (Part 3, Section 2)"
_PAPER_BEFORE = re.compile(
    r"\b(?:constitution|standing\s+orders?|procedure\s+rules|financial\s+regulations|report|appendix|"
    r"annex|agreement|contract|policy|strategy|plan)\b[^.;:\n]{0,25}$",
    re.IGNORECASE,
)


def _heading(text: str, m: re.Match) -> bool:
    """A heading ("Section 2: Background") or a part of a council document named just before it."""
    if _PAPER_BEFORE.search(text, max(0, m.start() - 40), m.start()):
        return True
    line_start = text.rfind("\n", 0, m.start()) + 1
    return not text[line_start : m.start()].strip() and bool(_HEADING_AFTER.match(text, m.end()))


def find_provisions(text: str, skip: list[tuple[int, int]] = ()) -> list[ProvisionPhrase]:
    """Provision phrases of ``text`` outside the ``skip`` spans (titles, well-known terms).

    >>> [p.provisions for p in find_provisions("Section 3 of the Officer's report; the s151 Officer; section 106 of it")]
    [('section 106',)]
    """
    out = []
    skipped = SpanCover(skip)
    for m in _PROVISION_SCAN.finditer(text):
        if skipped.holds(m.start()):
            continue  # "Regulations 2015" inside a title
        if _not_legislation(text, m) or is_job_title(text[max(0, m.start() - 20) : m.start()], text[m.end() : m.end() + 40]):
            continue
        provisions = _provisions(m)
        if not provisions:
            continue
        compact = not m["pkind"] and m["kind"][0] in "sS" and len(m["kind"]) <= 2
        out.append(ProvisionPhrase(m.start(), m.end(), m.group(), tuple(provisions), compact, _heading(text, m)))
    return out
