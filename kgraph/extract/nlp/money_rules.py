"""Rules over many amounts at once: table rows, splits of a whole, annual totals, party
sentences, the provider of a contract, a council's own paper, departments and ranges.

>>> d = Draft(0, 3, "£1m", 1000000, (0, 3), (0, 3), (0, 0), (3, 3))
>>> finish("£1m", d).gbp
1000000
"""

from __future__ import annotations

import bisect
import re

from spacy.tokens import Doc

from kgraph.extract.nlp.money_clause import (
    Draft,
    Row,
    containing,
    lead_in_funder,
    norm,
    parties,
    right_text,
)
from kgraph.extract.nlp.money_cues import (
    ANNUAL,
    CONTRACT,
    FUNDING_TABLE,
    OWN_PAPER_KINDS,
    PARTY_SENTENCE,
    PROVIDER_AFTER,
    ROW_LINE,
    SPLIT,
)
from kgraph.extract.nlp.money_grammar import RANGE_GAP
from kgraph.extract.structure import Heading, heading_above, headings
from kgraph.extract.tokens import text_of
from kgraph.model import AmountMention, Mention, OrgMention, Section

# ----------------------------------------------------------------------------- tables


def table_rows(text: str, sections: list[Section], sents: list[tuple[int, int]]) -> list[Row]:
    tables = [s for s in sections if s.name == "table" and s.rows]
    rows: list[Row] = []
    if tables:
        for t in tables:
            lead = _lead_in(text, sents, t.start)
            context = t.heading + " " + (text[lead[0] : lead[1]] if lead else "")
            for r in t.rows:
                total = r.is_total or r.label.strip().lower().startswith("total")
                rows.append(Row(norm(r.label), r.start, r.end, total, lead, context))
        return rows
    lines = list(ROW_LINE.finditer(text))
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
            label = norm(m["label"])
            rows.append(Row(label, m.start("label"), m.end(), label.lower().startswith("total"), lead, context))
    return rows


def _lead_in(text: str, sents: list[tuple[int, int]], before: int) -> tuple[int, int] | None:
    prior = [s for s in sents if s[1] <= before and before - s[1] < 600]
    for s in reversed(prior[-3:]):
        if text[s[0] : s[1]].rstrip().endswith(":"):
            return s
    return prior[-1] if prior else None


def apply_row(text: str, d: Draft, row: Row, orgs: list[OrgMention]) -> None:
    d.table_row = row.label
    d.purpose = row.label
    d.is_total = row.is_total
    if d.role != "threshold":
        d.role = "funding" if FUNDING_TABLE.search(row.context) else d.role
    if ANNUAL.search(row.context):
        d.period = "annual"
    if d.role == "funding" and row.lead_in:
        funder, via = lead_in_funder(text, orgs, *row.lead_in)
        if funder:
            d.funder = funder
            d.intermediary = via or d.intermediary
            d.evidence = row.lead_in


# ----------------------------------------------------------------------------- document rules


def _by_para(drafts: list[Draft]) -> dict[tuple[int, int], list[Draft]]:
    out: dict[tuple[int, int], list[Draft]] = {}
    for d in drafts:
        out.setdefault(d.para, []).append(d)
    return out


def split_rule(text: str, drafts: list[Draft]) -> None:
    """Parts of a split investment take the period and funder of the whole."""
    for group in _by_para(drafts).values():
        for sent in dict.fromkeys(d.sent for d in group):
            parts = [d for d in group if d.sent == sent and d.role == "funding" and d.table_row is None]
            if not parts or not SPLIT.search(text[sent[0] : sent[1]]):
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


def annual_total_rule(drafts: list[Draft]) -> None:
    """A paragraph that closes with an annual total states annual funding throughout."""
    for group in _by_para(drafts).values():
        if not any(d.is_total and d.period == "annual" for d in group):
            continue
        for d in group:
            if d.role == "funding" and d.period is None and not d.past and d.table_row is None:
                d.period = "annual"


def party_sentence_rule(text: str, drafts: list[Draft], sents: list[tuple[int, int]],
                         orgs: list[OrgMention]) -> None:
    """Funder, recipient and intermediary from an amount-free sentence of the same paragraph."""
    amount_sents = {d.sent for d in drafts}
    starts = [s[0] for s in sents]
    ordered = all(a <= b for a, b in zip(starts, starts[1:], strict=False))
    for d in drafts:
        if d.role != "funding" or d.funder is not None or d.table_row is not None:
            continue
        # the paragraph's sentences, by bisection (not a reading of every sentence per amount)
        para = (sents[bisect.bisect_left(starts, d.para[0]) : bisect.bisect_left(starts, d.para[1])]
                if ordered else sents)
        candidates = [s for s in para if d.para[0] <= s[0] < d.para[1] and s not in amount_sents
                      and PARTY_SENTENCE.search(text[s[0] : s[1]])]
        after = [s for s in candidates if s[0] >= d.sent[1]]
        before = [s for s in candidates if s[1] <= d.sent[0]][::-1]
        for s in after + before:
            funder, recipient, via = parties(text, orgs, s[0], s[1])
            if funder:
                d.funder = funder
                d.recipient = d.recipient or recipient
                d.intermediary = d.intermediary or via
                d.evidence = s
                break


def provider_rule(text: str, drafts: list[Draft], orgs: list[OrgMention],
                   sents: list[tuple[int, int]]) -> None:
    """Money put into the contract goes to the provider the document names."""
    providers: dict[str, OrgMention] = {}
    for o in orgs:
        if PROVIDER_AFTER.match(text[o.mention.end : o.mention.end + 60]):
            providers.setdefault(o.name, o)
    if len(providers) != 1:
        return
    (name, org), = providers.items()
    where = containing(sents, org.mention.start) or (org.mention.start, org.mention.end)
    for d in drafts:
        if d.role != "funding" or d.recipient is not None or d.table_row is not None:
            continue
        _, right = right_text(text, d)
        if CONTRACT.search(right) and d.funder != name:
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


def own_paper_rule(doc: Doc, drafts: list[Draft], sections: list[Section]) -> None:
    """Current funding in the Financial Implications of the council's own paper is its own."""
    if doc._.kind not in OWN_PAPER_KINDS or not doc._.council:
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


def department_rule(drafts: list[Draft], orgs: list[OrgMention]) -> None:
    """A department funds on behalf of its parent organisation."""
    parent = {o.name: o.part_of for o in orgs if o.part_of}
    for d in drafts:
        if d.funder in parent:
            dept = d.funder
            d.funder = parent[dept]
            d.purpose = f"{dept}: {d.purpose}" if d.purpose else dept


def range_rule(text: str, drafts: list[Draft]) -> None:
    """The two ends of a range ("£1.2m-£1.5m", "£10 to 15k a year") share role, period and parties."""
    for a, b in zip(drafts, drafts[1:], strict=False):
        if RANGE_GAP.fullmatch(text, a.end, b.start):
            for k in ("period", "funder", "recipient", "intermediary", "purpose"):
                value = getattr(a, k) or getattr(b, k)
                setattr(a, k, value)
                setattr(b, k, value)
            if "other" in (a.role, b.role):
                a.role = b.role = a.role if a.role != "other" else b.role


def finish(text: str, d: Draft) -> AmountMention:
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
