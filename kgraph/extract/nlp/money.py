"""£ amounts: value in whole pounds, role, period and the parties that move the money.

Every ``£`` amount in the text becomes one :class:`~kgraph.model.AmountMention` in
``doc._.amounts`` (sorted by offset). The amount grammar is a regular expression
(:func:`parse_gbp`); role, period and parties come from cue phrases in the amount's own
clause, then from a few document-level rules, each of which records the sentence it used
in ``evidence``:

* **own clause** – "KCC agreed to invest £2.65m per year into the new contract"
  (subject funder, ``annual``, purpose), "£100,000 funding from Kent and Medway CCG",
  "passported to ORG via ORG", "in excess of £1,000,000" (``threshold``);
* **party sentence** – a sentence of the same paragraph with no amount of its own that
  says who funds it ("The programme is wholly funded by NHS England, the money is
  passported to Kent County Council via the ... Integrated Care Board");
* **split** – "worth £2.65m per annum. ... split the investment, with £1.257m retained ...":
  the parts take the period (and funder) of the whole they split;
* **annual total** – a paragraph closing with "Total annual funding £500,000": its other
  current funding amounts are annual too;
* **tables** – rows of ``table`` sections, or runs of short "<label> £<amount>" lines:
  ``table_row``/``purpose`` from the label, funder from the lead-in sentence, the
  "Total" row ``is_total``;
* **provider** – money put "into the contract" goes to the provider the document names
  ("North East London Foundation Trust won the contract");
* **own paper** – in the Financial Implications of a council's own paper, current
  funding with no stated funder is the council's (``doc._.council``);
* **department** – a department funder ("Specialist Children's Services") is replaced
  by its parent (``part_of``) and kept at the head of ``purpose``.

>>> import spacy, kgraph.extract.nlp.pipeline
>>> nlp = spacy.blank("en")
>>> for name in ("kg_sentences", "kg_money"): _ = nlp.add_pipe(name)
>>> doc = nlp.make_doc("The threshold is £1m. Build a school for £2.5bn.")
>>> doc._.organisations, doc._.sections, doc._.amounts = [], [], []
>>> doc = nlp(doc)
>>> [(a.mention.text, a.gbp, a.role, a.purpose) for a in doc._.amounts]
[('£1m', 1000000, 'threshold', None), ('£2.5bn', 2500000000, 'other', None)]
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from spacy.language import Language
from spacy.tokens import Doc

from kgraph.extract.structure import Heading, heading_above, headings, sentence_list, sentence_spans
from kgraph.extract.tokens import text_of
from kgraph.model import AmountMention, Mention, OrgMention, Section

# ----------------------------------------------------------------------------- amount grammar

#: A £ amount: digits with optional thousands commas and decimals, then an optional
#: multiplier ("million", "bn", "m", "k"). A table cell may pad the "£" with spaces; a full
#: stop before the first of several thousands groups ("£1.890,625") is a mistyped comma. Nothing is required before the "£", so an amount
#: glued to a word ("contribute£1,440,000") is found with its own offsets.
AMOUNT_RE = re.compile(
    r"£(?:\s|[ \t]{2,8})?(?P<num>\d{1,3}\.\d{3}(?:,\d{3})+|\d{1,3}(?:,\d{3})+|\d{1,3}(?:[ \u00a0]\d{3})+(?![\d.,])|\d+)"
    r"(?P<dec>\.\d+)?"
    r"(?:\s?(?P<word>million|billion|thousand|bn|mn)\b|[ \t]?(?P<short>[mkMK])\b(?![.,]?\d))?",
)
_RANGE_GAP = re.compile(r"[ \t]*(?:-|–|—|to)[ \t]*")
# the second half of a range whose unit both halves share: "£1.2-1.5m", "£10 to 15k"
_RANGE_TAIL = re.compile(
    r"[ \t]*(?:-|–|—|to)[ \t]*(?P<amount>(?P<pound>£)?[ \t]?\d{1,3}(?:,\d{3})*(?:\.\d+)?"
    r"[ \t]?(?P<unit>million|billion|thousand|bn|mn|m|k)\b)",
    re.IGNORECASE,
)


def find_amounts(text: str) -> list[tuple[int, int, int]]:
    """``(start, end, whole pounds)`` of every £ amount, in order.

    The first half of a range takes the unit written after the second ("£1.2-1.5m" is £1.2m
    to £1.5m), and a second half written without "£" is an amount of its own.

    >>> [(s, e, v) for s, e, v in find_amounts("between £1.2-1.5m, £10 to 15k or £3 000")]
    [(8, 12, 1200000), (13, 17, 1500000), (19, 22, 10000), (26, 29, 15000), (33, 39, 3000)]
    """
    out = []
    for m in AMOUNT_RE.finditer(text):
        value = parse_gbp(m.group())
        tail = None if (m["word"] or m["short"]) else _RANGE_TAIL.match(text, m.end())
        if tail is not None:
            value = parse_gbp(m.group() + tail["unit"])
        out.append((m.start(), m.end(), value))
        if tail is not None and not tail["pound"]:
            out.append((tail.start("amount"), tail.end("amount"), parse_gbp(tail["amount"])))
    return out

_MULTIPLIERS = {
    "k": 1_000,
    "thousand": 1_000,
    "m": 1_000_000,
    "mn": 1_000_000,
    "million": 1_000_000,
    "bn": 1_000_000_000,
    "billion": 1_000_000_000,
}


def parse_gbp(text: str) -> int:
    """The value of a £ amount in whole pounds (half a pound rounds up).

    >>> [parse_gbp(t) for t in ("£2.65m", "£1.257m", "£1,434,000", "£200k", "£800k")]
    [2650000, 1257000, 1434000, 200000, 800000]
    >>> [parse_gbp(t) for t in ("£1 million", "£1m", "£288,288", "£2.5bn", "£1.2 million")]
    [1000000, 1000000, 288288, 2500000000, 1200000]
    >>> parse_gbp("£12.50"), parse_gbp("£1,234.56"), parse_gbp("£     1,265,028")
    (13, 1235, 1265028)
    >>> parse_gbp("£1.890,625")  # a full stop typed for the first thousands comma
    1890625
    >>> parse_gbp("twelve pounds")
    Traceback (most recent call last):
    ...
    ValueError: not a £ amount: 'twelve pounds'
    """
    m = AMOUNT_RE.fullmatch(text.strip()) or AMOUNT_RE.fullmatch("£" + text.strip())
    if not m:
        raise ValueError(f"not a £ amount: {text!r}")
    value = Decimal(re.sub(r"[,.\s]", "", m["num"]) + (m["dec"] or ""))
    unit = (m["word"] or m["short"] or "").lower()
    value *= _MULTIPLIERS.get(unit, 1)
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


# ----------------------------------------------------------------------------- cue phrases

_THRESHOLD_STRONG = re.compile(
    r"(?:in\s+excess\s+of|exceed(?:s|ed|ing)?|threshold\s+of|limit\s+of|no\s+more\s+than|"
    r"not\s+exceeding|up\s+to\s+and\s+including)\s*$",
    re.IGNORECASE,
)
_THRESHOLD_WEAK = re.compile(
    r"\b(?:above|over|more\s+than|greater\s+than|less\s+than|below|under|at\s+least)\s*$",
    re.IGNORECASE,
)
_THRESHOLD_AFTER = re.compile(r"^\s*(?:or|and)\s+(?:more|above|over|greater)\b", re.IGNORECASE)
_THRESHOLD_WORD = re.compile(r"\bthresholds?\b", re.IGNORECASE)
_FUNDING = re.compile(
    r"\b(?:invest\w*|contribut\w*|fund\w*|retain\w*|re-?focus\w*|available|allocat\w*|paid|"
    r"pay(?:s|ing|ment|ments)?|worth|passport\w*|grants?|provid(?:e|es|ed|ing)|award\w*)\b",
    re.IGNORECASE,
)
_OTHER = re.compile(
    r"\b(?:costs?|costing|saving\w*|salar\w*|spen[dt]\w*|expenditure|price\w*|fees?|charges?|"
    r"overspend|deficit|pressures?)\b",
    re.IGNORECASE,
)
_ANNUAL = re.compile(
    r"\b(?:per\s+(?:year|annum)|a\s+year|each\s+year|every\s+year|annually|p\.a\.|(?-i:pa\b)|"
    r"annual(?!\s+(?:report|review|hard|meeting|leave|conference)))",
    re.IGNORECASE,
)
_FIN_YEAR = re.compile(r"\b((?:19|20)\d{2})\s*[/-]\s*((?:19|20)?\d{2})\b")
_TOTAL_BEFORE = re.compile(r"\btotal\b[^£\n]{0,40}$", re.IGNORECASE)
_TOTAL_AFTER = re.compile(r"^\s*in\s+total\b", re.IGNORECASE)
_PAST = re.compile(r"\b(?:previously|formerly|originally)\b", re.IGNORECASE)
_GRANT_SOURCE = re.compile(r"(?i:\bgrants?\b)|\bDSG\b")
_SPLIT = re.compile(r"\b(?:split\w*|divid\w*|remaining|remainder|of\s+which)\b", re.IGNORECASE)
_PARTY_SENTENCE = re.compile(
    r"\b(?:(?:funded|paid|financed|met)\s+by|funding\s+from|passported|grant\s+from)\b",
    re.IGNORECASE,
)
_CONTRACT = re.compile(r"\b(?:in|into|to)\s+the\s+(?:\w+\s+)?contract\b", re.IGNORECASE)
_PROVIDER_AFTER = re.compile(
    r"^\s+(?:won\s+the\s+contract|(?:was|were)\s+awarded\s+the\s+contract|"
    r"(?:directly\s+)?as\s+the\s+provider)\b",
    re.IGNORECASE,
)
_SOURCE_OF = re.compile(
    r"^\s*of\s+(?P<src>[A-Z][\w'’]*(?:\s+[A-Z][\w'’]*)*\s+(?:Grant|Fund|Budget|Levy))\b"
)
_PURPOSE_CUE = re.compile(
    r"\b(?:to|for|into|in|on|towards)\s+|\b(?:funding|providing|provides?|funds?)\s+(?=(?:the|a|an)\s)",
    re.IGNORECASE,
)
_PURPOSE_SKIP = re.compile(
    r"(?:from|by|via|with|and|or|be|date|"
    r"(?:the\s+|a\s+)?(?:length|life|duration|period|term|remainder|rest|end|start)\s+of|"
    r"(?:the\s+)?(?:financial|fiscal)\s+year|(?:a|each|every|per)\s+(?:year|annum)|(?:19|20)\d{2})\b",
    re.IGNORECASE,
)
_PURPOSE_STOP = re.compile(
    r"[,;=:]|\.(?:\s|$)|\s(?:per\s+(?:year|annum)|via|from|with\s+the|until|this\s+is|which)\b",
    re.IGNORECASE,
)
_PURPOSE_TRAIL = re.compile(r"(?:\s+(?:and|or|the|a|an|of|to|for|with|in))+$", re.IGNORECASE)
_MODIFIER_AFTER = re.compile(
    r"^\s+(?:contract|agreement|element|budget|funding|investment|services?|programme)\b", re.IGNORECASE
)
_SENT_BEFORE_POUND = re.compile(r"[.!?][\"')\]]*\s+(?=£)")
_PREP_FUNDER = re.compile(r"\b(?:by|from)\s+(?:the\s+)?$", re.IGNORECASE)
_PREP_VIA = re.compile(r"\bvia\s+(?:the\s+)?$", re.IGNORECASE)
_PREP_TO = re.compile(r"\b(?:to|into)\s+(?:the\s+)?$", re.IGNORECASE)
_PREP_OTHER = re.compile(
    r"\b(?:for|with|of|on\s+behalf\s+of|in|at|between|within|across|than)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_AND_ONLY = re.compile(r"^\s*(?:and|&)\s+(?:the\s+)?$", re.IGNORECASE)
_FUNDS_VERB = re.compile(
    r"^\s+(?:will\s+|also\s+|fully\s+|wholly\s+)*(?:funds?|pays?|contributes?|invests?|provides?)\b",
    re.IGNORECASE,
)
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_HEADING_LINE = re.compile(
    r"^[ \t]*(?:[-#*•]+[ \t]*)?(?:\d+(?:\.\d+)*\.?[ \t]+)?[A-Z][^\n£]{0,57}?[^\n£.,;\s][ \t]*:?[ \t]*$"
)
_ROW_LINE = re.compile(
    r"^[ \t]*(?P<label>[A-Za-z][^\n£]{1,80}?)[ \t]+(?P<amount>£[^\s£]+)[ \t]*$", re.MULTILINE
)
_FUNDING_TABLE = re.compile(
    r"\b(?:invest\w*|fund\w*|contribut\w*|grants?|allocat\w*|budget\w*|agreement)\b", re.IGNORECASE
)
_OWN_PAPER_KINDS = {"RecordOfDecision", "CommitteeReport"}
_PURPOSE_MAX_WORDS = 15
#: How far (characters) from the amount a period phrase such as "per year" may stand.
_PERIOD_REACH = 60


# ----------------------------------------------------------------------------- working state


@dataclass
class _Draft:
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
class _Row:
    label: str
    start: int
    end: int
    is_total: bool
    lead_in: tuple[int, int] | None
    context: str


class MoneyRecognizer:
    """Write one :class:`~kgraph.model.AmountMention` per £ amount to ``doc._.amounts``.

    Reads ``doc._.organisations``, ``doc._.sections``, ``doc._.kind`` and ``doc._.council``;
    sentence boundaries come from ``kg_sentences`` (the shared splitter of :mod:`kgraph.extract.structure` without it).
    """

    def __init__(self, nlp: Language, name: str):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        text = text_of(doc)
        orgs = sorted(doc._.organisations or [], key=lambda o: o.mention.start)
        sections = list(doc._.sections or [])
        sents = _sentences(doc)
        paras = _paragraphs(text)
        drafts = [self._draft(text, s, e, v, sents, paras) for s, e, v in find_amounts(text)]
        _set_windows(drafts)
        for d in drafts:
            _own_clause(text, d, orgs)
        rows = _table_rows(text, sections, sents)
        for d in drafts:
            row = next((r for r in rows if r.start <= d.start < r.end), None)
            if row is not None:
                _apply_row(text, d, row, orgs)
        _split_rule(text, drafts)
        _annual_total_rule(drafts)
        _party_sentence_rule(text, drafts, sents, orgs)
        _provider_rule(text, drafts, orgs, sents)
        _own_paper_rule(doc, drafts, sections)
        _department_rule(drafts, orgs)
        _range_rule(text, drafts)
        found = [_finish(text, d) for d in drafts]
        amounts = list(doc._.amounts or []) + found
        doc._.amounts = sorted(amounts, key=lambda a: (a.mention.start, a.mention.end))
        return doc

    @staticmethod
    def _draft(text: str, start: int, end: int, gbp: int, sents: list[tuple[int, int]],
               paras: list[tuple[int, int]]) -> _Draft:
        return _Draft(
            start=start,
            end=end,
            text=text[start:end],
            gbp=gbp,
            sent=_containing(sents, start) or (start, end),
            para=_containing(paras, start) or (0, len(text)),
            left=(start, start),
            right=(end, end),
        )


# ----------------------------------------------------------------------------- structure helpers


def _sentences(doc: Doc) -> list[tuple[int, int]]:
    """Sentence spans without trailing space; a sentence may also start at a "£"."""
    text = text_of(doc)
    bounds = sentence_list(doc) if doc.has_annotation("SENT_START") \
        else list(sentence_spans(text))
    spans = []
    for a, b in bounds:
        for m in _SENT_BEFORE_POUND.finditer(text, a, b):
            spans.append((a, m.start() + 1))
            a = m.end()
        while b > a and text[b - 1].isspace():
            b -= 1
        spans.append((a, b))
    return spans


def _paragraphs(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for m in _BLANK_LINE.finditer(text):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, len(text)))
    return out


def _containing(spans: list[tuple[int, int]], offset: int) -> tuple[int, int] | None:
    """The last span starting at or before ``offset`` (spans are sorted and disjoint)."""
    i = bisect.bisect_right([s[0] for s in spans], offset) - 1
    return spans[i] if i >= 0 else None


def _set_windows(drafts: list[_Draft]) -> None:
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


def _cut_left(text: str, lo: int, hi: int) -> int:
    depth = 0
    for i in range(hi - 1, lo - 1, -1):
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
    for i in range(lo, hi):
        c = text[i]
        if c == "(":
            opened.append(i)
        elif c == ")":
            if not opened:
                return i
            opened.pop()
        elif c in "=;" and not opened:
            return i
    return opened[0] if opened else hi


def _left_text(text: str, d: _Draft) -> tuple[int, str]:
    a = _cut_left(text, *d.left)
    return a, text[a : d.start]


def _right_text(text: str, d: _Draft) -> tuple[int, str]:
    b = _cut_right(text, *d.right)
    return d.end, text[d.end : b]


def _orgs_in(orgs: list[OrgMention], lo: int, hi: int) -> list[OrgMention]:
    return [o for o in orgs if lo <= o.mention.start and o.mention.end <= hi]


def _norm(s: str) -> str:
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


def _own_clause(text: str, d: _Draft, orgs: list[OrgMention]) -> None:
    lstart, left = _left_text(text, d)
    _, right = _right_text(text, d)
    fund, other = _nearest(_FUNDING, left, right), _nearest(_OTHER, left, right)
    if (_THRESHOLD_STRONG.search(left) or _THRESHOLD_AFTER.search(right)
            or _THRESHOLD_WORD.search(left) or _THRESHOLD_WORD.search(right[:30])
            or (_THRESHOLD_WEAK.search(left) and fund is None and other is None)):
        d.role = "threshold"
        return
    if fund is not None and (other is None or fund <= other):
        d.role = "funding"
    d.is_total = bool(_TOTAL_BEFORE.search(left) or _TOTAL_AFTER.search(right))
    if _ANNUAL.search(left[-_PERIOD_REACH:]) or _ANNUAL.search(right[:_PERIOD_REACH]):
        d.period = "annual"
    else:
        d.period = financial_year(text[d.sent[0] : d.sent[1]])
    d.past = bool(_PAST.search(right[:40]) or _PAST.search(left[-40:]))
    d.grant = bool(_GRANT_SOURCE.search(right) or _GRANT_SOURCE.search(left[-40:]))
    if d.role == "funding":
        funder, recipient, via = _parties(text, orgs, lstart, d.end + len(right), (d.start, d.end))
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
    for m in _FIN_YEAR.finditer(sentence):
        first = int(m[1])
        second = int(m[2]) if len(m[2]) == 4 else (first // 100) * 100 + int(m[2])
        if second == first + 1:
            years.add(f"{first}/{second}")
    return years.pop() if len(years) == 1 else None


def _parties(text: str, orgs: list[OrgMention], lo: int, hi: int,
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
        if _PREP_FUNDER.search(before):
            funder = funder or o.name
        elif _PREP_VIA.search(before):
            via = via or o.name
        elif _PREP_TO.search(before):
            if (amount is None or o.mention.start >= amount[1]) and not _MODIFIER_AFTER.match(after):
                recipient = recipient or o.name
        elif _PREP_OTHER.search(before):
            continue
        elif _FUNDS_VERB.match(after) or (amount is not None and o.mention.end <= amount[0]
              and _FUNDING.search(text[o.mention.end : amount[0]])):
            subjects.append(o)
    subjects.sort(key=lambda o: o.mention.start)
    if funder is None and subjects:
        for prev, nxt in zip(subjects, subjects[1:], strict=False):
            if prev.name != nxt.name and _AND_ONLY.match(text[prev.mention.end : nxt.mention.start]):
                return None, recipient, via  # "KCC and the NHS jointly ...": no single funder
        funder = subjects[-1].name
    return funder, recipient, via


def _lead_in_funder(text: str, orgs: list[OrgMention], lo: int, hi: int) -> tuple[str | None, str | None]:
    """Funder and intermediary of a table from its lead-in sentence."""
    funder, _, via = _parties(text, orgs, lo, hi)
    if funder:
        return funder, via
    unmarked = {o.name for o in _orgs_in(orgs, lo, hi)
                if not re.search(r"\b(?:by|from|via|to|into|for|with|of|in|at|between|and)\s+(?:the\s+)?$",
                                 text[max(lo, o.mention.start - 30) : o.mention.start], re.IGNORECASE)}
    return (unmarked.pop() if len(unmarked) == 1 else None), via


def _purpose(text: str, d: _Draft, right: str, orgs: list[OrgMention]) -> str | None:
    if d.role == "threshold":
        return None
    src = _SOURCE_OF.match(right)
    rest = right
    # a line broken before its end ("... through the DSG High Needs" / "Funding arrangements for KHNES.")
    own = text[d.sent[0] : d.sent[1]].rstrip()
    if own and own[-1] not in ".!?:;)*" and d.right[1] == d.sent[1]:
        nxt = re.match(r"\s*\n[ \t]*\n[ \t]*([^\n]{1,120}\.)[ \t]*(?:\n|$)", text[d.sent[1] :])
        if nxt and not _HEADING_LINE.match(nxt[1]):
            rest = right + " " + nxt[1]
    phrase = _purpose_phrase(rest, d.end, text, orgs)
    if src:
        return _norm(src["src"]) + (f" for {phrase}" if phrase else "")
    return phrase


def _purpose_phrase(window: str, base: int, text: str, orgs: list[OrgMention]) -> str | None:
    """The first "to/for/into/in/funding/providing ..." phrase of the clause after the amount."""
    org_starts = {o.mention.start for o in orgs}
    for m in _PURPOSE_CUE.finditer(window):
        tail = window[m.end() :]
        if _PURPOSE_SKIP.match(tail):
            continue
        lead = re.match(r"(?:the|a|an)\s+", tail, re.IGNORECASE)
        off = lead.end() if lead else 0
        if base + m.end() + off in org_starts:
            continue
        stop = _PURPOSE_STOP.search(tail, off)
        phrase = _PURPOSE_TRAIL.sub("", _norm(tail[off : stop.start() if stop else len(tail)]))
        if phrase:
            return " ".join(phrase.split()[:_PURPOSE_MAX_WORDS])
    return None


# ----------------------------------------------------------------------------- tables


def _table_rows(text: str, sections: list[Section], sents: list[tuple[int, int]]) -> list[_Row]:
    tables = [s for s in sections if s.name == "table" and s.rows]
    rows: list[_Row] = []
    if tables:
        for t in tables:
            lead = _lead_in(text, sents, t.start)
            context = t.heading + " " + (text[lead[0] : lead[1]] if lead else "")
            for r in t.rows:
                total = r.is_total or r.label.strip().lower().startswith("total")
                rows.append(_Row(_norm(r.label), r.start, r.end, total, lead, context))
        return rows
    lines = list(_ROW_LINE.finditer(text))
    runs: list[list[re.Match]] = []
    for m in lines:
        if runs and not text[runs[-1][-1].end() : m.start()].strip():
            runs[-1].append(m)
        else:
            runs.append([m])
    for run in runs:
        if len(run) < 2:
            continue
        first = run[0].start()
        header_start = first
        prev = text[:first].rstrip()
        line_start = prev.rfind("\n") + 1
        header = prev[line_start:]
        if header.strip() and "£" not in header and not header.rstrip().endswith((".", ":")) and len(header.split()) <= 8:
            header_start = line_start
        else:
            header = ""
        lead = _lead_in(text, sents, header_start)
        context = header + " " + (text[lead[0] : lead[1]] if lead else "")
        for m in run:
            label = _norm(m["label"])
            rows.append(_Row(label, m.start("label"), m.end(), label.lower().startswith("total"), lead, context))
    return rows


def _lead_in(text: str, sents: list[tuple[int, int]], before: int) -> tuple[int, int] | None:
    prior = [s for s in sents if s[1] <= before and before - s[1] < 600]
    for s in reversed(prior[-3:]):
        if text[s[0] : s[1]].rstrip().endswith(":"):
            return s
    return prior[-1] if prior else None


def _apply_row(text: str, d: _Draft, row: _Row, orgs: list[OrgMention]) -> None:
    d.table_row = row.label
    d.purpose = row.label
    d.is_total = row.is_total
    if d.role != "threshold":
        d.role = "funding" if _FUNDING_TABLE.search(row.context) else d.role
    if _ANNUAL.search(row.context):
        d.period = "annual"
    if d.role == "funding" and row.lead_in:
        funder, via = _lead_in_funder(text, orgs, *row.lead_in)
        if funder:
            d.funder = funder
            d.intermediary = via or d.intermediary
            d.evidence = row.lead_in


# ----------------------------------------------------------------------------- document rules


def _by_para(drafts: list[_Draft]) -> dict[tuple[int, int], list[_Draft]]:
    out: dict[tuple[int, int], list[_Draft]] = {}
    for d in drafts:
        out.setdefault(d.para, []).append(d)
    return out


def _split_rule(text: str, drafts: list[_Draft]) -> None:
    """Parts of a split investment take the period and funder of the whole."""
    for group in _by_para(drafts).values():
        for sent in dict.fromkeys(d.sent for d in group):
            parts = [d for d in group if d.sent == sent and d.role == "funding" and d.table_row is None]
            if not parts or not _SPLIT.search(text[sent[0] : sent[1]]):
                continue
            wholes = [w for w in group if w.sent[1] <= sent[0] and w.period and w.role == "funding"]
            if not wholes:
                continue
            whole = wholes[-1]
            if sum(p.gbp for p in parts) > whole.gbp:
                continue
            for p in parts:
                if p.period is None:
                    p.period = whole.period
                if p.funder is None and whole.funder is not None:
                    p.funder = whole.funder
                    p.evidence = p.evidence or whole.sent


def _annual_total_rule(drafts: list[_Draft]) -> None:
    """A paragraph that closes with an annual total states annual funding throughout."""
    for group in _by_para(drafts).values():
        if not any(d.is_total and d.period == "annual" for d in group):
            continue
        for d in group:
            if d.role == "funding" and d.period is None and not d.past and d.table_row is None:
                d.period = "annual"


def _party_sentence_rule(text: str, drafts: list[_Draft], sents: list[tuple[int, int]],
                         orgs: list[OrgMention]) -> None:
    """Funder, recipient and intermediary from an amount-free sentence of the same paragraph."""
    amount_sents = {d.sent for d in drafts}
    for d in drafts:
        if d.role != "funding" or d.funder is not None or d.table_row is not None:
            continue
        candidates = [s for s in sents if d.para[0] <= s[0] < d.para[1] and s not in amount_sents
                      and _PARTY_SENTENCE.search(text[s[0] : s[1]])]
        after = [s for s in candidates if s[0] >= d.sent[1]]
        before = [s for s in candidates if s[1] <= d.sent[0]][::-1]
        for s in after + before:
            funder, recipient, via = _parties(text, orgs, s[0], s[1])
            if funder:
                d.funder = funder
                d.recipient = d.recipient or recipient
                d.intermediary = d.intermediary or via
                d.evidence = s
                break


def _provider_rule(text: str, drafts: list[_Draft], orgs: list[OrgMention],
                   sents: list[tuple[int, int]]) -> None:
    """Money put into the contract goes to the provider the document names."""
    providers: dict[str, OrgMention] = {}
    for o in orgs:
        if _PROVIDER_AFTER.match(text[o.mention.end : o.mention.end + 60]):
            providers.setdefault(o.name, o)
    if len(providers) != 1:
        return
    (name, org), = providers.items()
    where = _containing(sents, org.mention.start) or (org.mention.start, org.mention.end)
    for d in drafts:
        if d.role != "funding" or d.recipient is not None or d.table_row is not None:
            continue
        _, right = _right_text(text, d)
        if _CONTRACT.search(right) and d.funder != name:
            d.recipient = name
            d.evidence = d.evidence or where


_NAMED_SECTIONS_SKIP = {"other", "paragraph", "table"}


def _in_financial_implications(sections: list[Section], found: list[Heading], offset: int) -> bool:
    """Whether an offset lies in the Financial Implications: by section, else by the heading above."""
    for s in sections:
        if s.start <= offset < s.end and s.name not in _NAMED_SECTIONS_SKIP:
            return s.name == "financial_implications"
        if s.start <= offset < s.end and "financial implications" in s.heading.lower():
            return True
    above = heading_above(found, offset)
    return above is not None and above.name == "financial_implications"


def _own_paper_rule(doc: Doc, drafts: list[_Draft], sections: list[Section]) -> None:
    """Current funding in the Financial Implications of the council's own paper is its own."""
    if doc._.kind not in _OWN_PAPER_KINDS or not doc._.council:
        return
    council = doc._.council
    paras = _by_para(drafts)
    found = headings(text_of(doc), doc._.kind or "Other")
    for d in drafts:
        if d.role != "funding" or d.funder is not None or d.grant or d.table_row is not None:
            continue
        if d.is_total and any(o.funder not in (None, council) for o in paras[d.para]):
            continue  # a total of money from several funders
        if _in_financial_implications(sections, found, d.start):
            d.funder = council


def _department_rule(drafts: list[_Draft], orgs: list[OrgMention]) -> None:
    """A department funds on behalf of its parent organisation."""
    parent = {o.name: o.part_of for o in orgs if o.part_of}
    for d in drafts:
        if d.funder in parent:
            dept = d.funder
            d.funder = parent[dept]
            d.purpose = f"{dept}: {d.purpose}" if d.purpose else dept


def _range_rule(text: str, drafts: list[_Draft]) -> None:
    """The two ends of a range ("£1.2m-£1.5m", "£10 to 15k a year") share role, period and parties."""
    for a, b in zip(drafts, drafts[1:], strict=False):
        if _RANGE_GAP.fullmatch(text, a.end, b.start):
            for k in ("period", "funder", "recipient", "intermediary", "purpose"):
                value = getattr(a, k) or getattr(b, k)
                setattr(a, k, value)
                setattr(b, k, value)
            if "other" in (a.role, b.role):
                a.role = b.role = a.role if a.role != "other" else b.role


def _finish(text: str, d: _Draft) -> AmountMention:
    evidence = None
    if d.evidence is not None and d.evidence != d.sent:
        a, b = d.evidence
        evidence = Mention(text[a:b], a, b)
    return AmountMention(
        mention=Mention(d.text, d.start, d.end),
        gbp=d.gbp,
        role=d.role,
        period=d.period if d.role != "threshold" else None,
        funder=d.funder,
        recipient=d.recipient,
        intermediary=d.intermediary,
        purpose=d.purpose,
        is_total=d.is_total,
        table_row=d.table_row,
        evidence=evidence,
    )
