"""Links between decisions and documents, inferred across the corpus.

Each link is a dict of the extraction JSON's ``decision_links`` (:class:`~kgraph.model.LinkFact`):
``from`` and ``to`` (IRIs), ``type`` (one of :data:`~kgraph.link.registry.EDGE_TYPES`), the
``rule`` that made it, a ``confidence`` in [0, 1] and ``evidence`` (document id, offsets, quote
of the sentence the link rests on). ``also`` lists sentences of other documents that support
the same link.

Decision-to-decision links point from the later decision to the earlier one; a rule that
would make an earlier decision supersede (amend, vary, ...) a later one is refused. The rules
live in one module per family, each declaring its rules in :mod:`kgraph.link.registry`:
:mod:`~kgraph.link.references` (a decision cites an earlier one, by number or description),
:mod:`~kgraph.link.same_subject`, :mod:`~kgraph.link.money` and :mod:`~kgraph.link.agreements`
(agreements set up, changed, varied or ended). Agreements found on the way are added to the
facts under ``agreements``.
"""

from __future__ import annotations

from kgraph.extract.evidence import evidence_dict
from kgraph.extract.structure import pinned_sentences
from kgraph.link.agreements import agreement_edges, agreement_facts
from kgraph.link.ends import END_KEYS, number_ends
from kgraph.link.index import SUBJECT_ROLES, Corpus, DecisionInfo, Edge, is_later, subject_at
from kgraph.link.money import funding_edges
from kgraph.link.references import CITED, reference_edges
from kgraph.link.registry import LINEAGE_TYPES, RULES, Rule, rule, rule_confidence
from kgraph.link.same_subject import same_title_edges
from kgraph.model import DocumentFacts, LinkFact

__all__ = ["RULE_CONFIDENCE", "LINEAGE_TYPES", "basic_links", "lineage_links", "link_corpus"]

REPORT_MATCHES = rule("report-recommendations-match-decision", "proposes", 0.9)
REPORT_PROPOSES = rule("report-proposes-own-decision", "proposes", 0.95)

#: Confidence of each rule by name, from the registry (every rule module is imported above).
RULE_CONFIDENCE = rule_confidence()


def _link(src: str, dst: str, r: Rule, evidence: dict) -> LinkFact:
    return {"from": src, "to": dst, "type": r.edge, "rule": r.name, "confidence": r.confidence,
            "evidence": evidence}


def basic_links(facts: DocumentFacts, text: str) -> list[LinkFact]:
    """``proposes`` (report → its decision) and ``references`` (decision → cited number).

    >>> facts = {"document": {"id": "d", "iri": "D", "kind": "RecordOfDecision"},
    ...          "decisions": [{"iri": "A", "role": "records", "mentions": [], "points": []},
    ...                        {"iri": "B", "role": "references", "number": "18/00071",
    ...                         "mentions": [{"text": "18/00071", "start": 3, "end": 11}]}]}
    >>> [(x["from"], x["type"], x["to"]) for x in basic_links(facts, "On 18/00071.")]
    [('A', 'references', 'B')]
    """
    doc = facts["document"]
    subjects = [d for d in facts["decisions"] if d["role"] in SUBJECT_ROLES]
    own = subjects[0] if subjects else None
    links: list[LinkFact] = []
    if own and own["role"] == "proposes":
        anchor = (own["points"] or own["mentions"] or [{"start": 0, "end": 0}])[0]
        r = REPORT_MATCHES if own.get("match") else REPORT_PROPOSES
        links.append(_link(doc["iri"], own["iri"], r, evidence_dict(doc["id"], text, anchor["start"], anchor["end"])))
    if own:
        for d in facts["decisions"]:
            if d["role"] != "references" or not d.get("number"):
                continue
            m = d["mentions"][0]
            src = subject_at(subjects, m["start"])
            if src["iri"] == d["iri"]:
                continue
            links.append(_link(src["iri"], d["iri"], CITED, evidence_dict(doc["id"], text, m["start"], m["end"])))
    return links


def _agreement_iri_maker(facts: list[DocumentFacts]):
    """Agreement IRIs live beside the council's decisions (``…/council/<slug>/agreement/<id>``)."""
    for f in facts:
        for d in f["decisions"]:
            if "/decision/" in d["iri"]:
                prefix = d["iri"].rsplit("/decision/", 1)[0]
                return lambda slug, p=prefix: f"{p}/agreement/{slug}"
    return None


def _to_link(e: Edge, doc_iris: dict[str, str]) -> LinkFact:
    link = _link(e.src, e.dst, e.rule, e.evidence)
    also = [a for a in e.also if (a["document"], a["start"]) != (e.evidence["document"], e.evidence["start"])]
    if also:
        link["also"] = [{**a, "document_iri": doc_iris.get(a["document"])} for a in also]
    if e.extra:
        link.update(e.extra)
    return link


def lineage_links(facts: list[DocumentFacts], texts: dict[str, str],
                  decisions: dict[str, DecisionInfo] | None = None, only: set[str] | None = None,
                  naming_agreements: set[str] | None = None) -> tuple[list[LinkFact], dict[str, list[dict]]]:
    """Every decision-to-decision link the rules find, and the agreements per document.

    One link per (from, to, type): the strongest rule wins and the others' evidence is kept
    in ``also``. A link from an earlier decision to a later one is refused. ``decisions``
    replaces the merged decisions of ``facts`` (those of the whole corpus, when only part of
    it is linked). ``only``: the documents whose links are wanted (the links of the others
    may be missing: :meth:`Corpus.only_for <kgraph.link.index.Corpus.only_for>`);
    ``naming_agreements``: the documents whose text names an agreement, when known.
    """
    c = Corpus.of(facts, texts)
    if decisions is not None:
        c.decisions = decisions
    if only is not None:
        c.only_for(only)
    c.naming_agreements = naming_agreements
    agreements, agreement_links = agreement_edges(c)
    edges = [*reference_edges(c), *same_title_edges(c), *agreement_links, *funding_edges(c)]
    doc_iris = {f["document"]["id"]: f["document"]["iri"] for f in facts}
    best: dict[tuple[str, str, str], Edge] = {}
    for e in edges:
        if e.src == e.dst:
            continue
        src, dst = c.decisions.get(e.src), c.decisions.get(e.dst)
        if src is not None and dst is not None and is_later(src, dst) is False:
            continue  # a decision never supersedes (amends, funds from ...) a later one
        key = (e.src, e.dst, e.type)
        kept = best.get(key)
        if kept is None:
            best[key] = e
        elif e.rule.confidence > kept.rule.confidence:
            e.also = [kept.evidence, *kept.also, *e.also]
            best[key] = e
        else:
            kept.also.append(e.evidence)
    links = [_to_link(e, doc_iris) for e in best.values()]
    make_iri = _agreement_iri_maker(facts)
    per_doc = agreement_facts(c, agreements, make_iri) if make_iri else {}
    for entries in per_doc.values():
        for entry in entries:
            for r in entry["relations"]:
                r["confidence"] = RULES[r["rule"]].confidence
    return links, per_doc


def link_corpus(facts: list[DocumentFacts], texts: dict[str, str],
                decisions: dict[str, DecisionInfo] | None = None, only: set[str] | None = None,
                naming_agreements: set[str] | None = None) -> list[DocumentFacts]:
    """Add ``decision_links`` (and ``agreements``) to every document's facts (returns the list).

    Each link is stored with the document whose sentence is its evidence. A plain
    ``references`` link is dropped when a typed link between the same two decisions rests on
    the same sentence. ``decisions``, ``naming_agreements``: see :func:`lineage_links`.
    ``only``: the documents whose links are wanted; the others read as context get none
    (``decision_links`` and ``agreements`` empty).
    """
    with pinned_sentences():  # the rules quote sentences of every document, many times over
        return _link_all(facts, texts, decisions, only, naming_agreements)


def _link_all(facts: list[DocumentFacts], texts: dict[str, str], decisions, only,
              naming_agreements) -> list[DocumentFacts]:
    typed, agreements = lineage_links(facts, texts, decisions, only, naming_agreements)
    by_doc: dict[str, list[LinkFact]] = {}
    for ln in typed:
        by_doc.setdefault(ln["evidence"]["document"], []).append(ln)
    for f in facts:
        doc = f["document"]["id"]
        if only is not None and doc not in only:
            f["decision_links"], f["agreements"] = [], []
            continue
        mine = by_doc.get(doc, [])
        covered = {(ln["from"], ln["to"], ln["evidence"]["start"]) for ln in mine}
        basic = [ln for ln in basic_links(f, texts[doc])
                 if (ln["from"], ln["to"], ln["evidence"]["start"]) not in covered]
        f["decision_links"] = basic + sorted(mine, key=lambda x: (x["evidence"]["start"], x["type"]))
        f["agreements"] = agreements.get(doc, [])
    number_ends(facts)
    if decisions is not None:  # part of a corpus: the numbers the whole corpus gives the ends
        for f in facts:
            for ln in f["decision_links"]:
                for iri_key, number_key in END_KEYS:
                    info = decisions.get(ln[iri_key])
                    ln[number_key] = info.number if info is not None else None
    return facts
