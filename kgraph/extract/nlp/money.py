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

The grammar is :mod:`.money_grammar`, the cue phrases :mod:`.money_cues`, the own-clause
reading :mod:`.money_clause` and the rules over many amounts :mod:`.money_rules`; this module
runs them in order.

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

from spacy.language import Language
from spacy.tokens import Doc

from kgraph.extract.nlp.money_clause import Draft, SortedOrgs, containing, own_clause, set_windows
from kgraph.extract.nlp.money_clause import financial_year as financial_year  # re-exported
from kgraph.extract.nlp.money_cues import BLANK_LINE, SENT_BEFORE_POUND
from kgraph.extract.nlp.money_grammar import AMOUNT_RE as AMOUNT_RE  # re-exported
from kgraph.extract.nlp.money_grammar import find_amounts
from kgraph.extract.nlp.money_grammar import parse_gbp as parse_gbp  # re-exported
from kgraph.extract.nlp.money_rules import (
    annual_total_rule,
    apply_row,
    department_rule,
    finish,
    own_paper_rule,
    party_sentence_rule,
    provider_rule,
    range_rule,
    split_rule,
    table_rows,
)
from kgraph.extract.structure import sentence_list, sentence_spans
from kgraph.extract.tokens import text_of


class MoneyRecognizer:
    """Write one :class:`~kgraph.model.AmountMention` per £ amount to ``doc._.amounts``.

    Reads ``doc._.organisations``, ``doc._.sections``, ``doc._.kind`` and ``doc._.council``;
    sentence boundaries come from ``kg_sentences`` (the shared splitter of :mod:`kgraph.extract.structure` without it).
    """

    def __init__(self, nlp: Language, name: str):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        text = text_of(doc)
        orgs = SortedOrgs(doc._.organisations or [])
        sections = list(doc._.sections or [])
        sents = _sentences(doc)
        paras = _paragraphs(text)
        drafts = [self._draft(text, s, e, v, sents, paras) for s, e, v in find_amounts(text)]
        set_windows(drafts)
        for d in drafts:
            own_clause(text, d, orgs)
        rows = table_rows(text, sections, sents)
        for d in drafts:
            row = next((r for r in rows if r.start <= d.start < r.end), None)
            if row is not None:
                apply_row(text, d, row, orgs)
        split_rule(text, drafts)
        annual_total_rule(drafts)
        party_sentence_rule(text, drafts, sents, orgs)
        provider_rule(text, drafts, orgs, sents)
        own_paper_rule(doc, drafts, sections)
        department_rule(drafts, orgs)
        range_rule(text, drafts)
        found = [finish(text, d) for d in drafts]
        amounts = list(doc._.amounts or []) + found
        doc._.amounts = sorted(amounts, key=lambda a: (a.mention.start, a.mention.end))
        return doc

    @staticmethod
    def _draft(text: str, start: int, end: int, gbp: int, sents: list[tuple[int, int]],
               paras: list[tuple[int, int]]) -> Draft:
        return Draft(
            start=start,
            end=end,
            text=text[start:end],
            gbp=gbp,
            sent=containing(sents, start) or (start, end),
            para=containing(paras, start) or (0, len(text)),
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
        for m in SENT_BEFORE_POUND.finditer(text, a, b):
            spans.append((a, m.start() + 1))
            a = m.end()
        while b > a and text[b - 1].isspace():
            b -= 1
        spans.append((a, b))
    return spans


def _paragraphs(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for m in BLANK_LINE.finditer(text):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, len(text)))
    return out

