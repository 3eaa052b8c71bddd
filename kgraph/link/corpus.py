"""Links between decisions and documents, inferred across the corpus.

Each link is a dict of the extraction JSON's ``decision_links``: ``from`` and ``to``
(IRIs), ``type`` (``proposes``, ``references``, ``supersedes``, ``amends``, ``varies``,
``followsOn``, ``endsAgreementOf``, ``reallocatesFundingFrom``), the ``rule`` that made it,
a ``confidence`` in [0, 1] and ``evidence`` (document id, offsets, quote of the sentence the
link rests on). ``also`` lists sentences of other documents that support the same link.

Decision-to-decision links point from the later decision to the earlier one; a rule that
would make an earlier decision supersede (amend, vary, ...) a later one is refused, and the
citation is kept as a plain ``references`` link. The rules live in
:mod:`kgraph.link.rules` (references, same subject, money) and :mod:`kgraph.link.agreements`
(agreements set up, changed, varied or ended). Agreements found on the way are added to the
facts under ``agreements``.
"""

from __future__ import annotations

from kgraph.extract.evidence import evidence_dict
from kgraph.link.agreements import agreement_edges, agreement_facts
from kgraph.link.rules import (
    Corpus,
    Edge,
    funding_edges,
    is_later,
    reference_edges,
    same_title_edges,
)

#: Confidence of each rule, in one place so that a reviewer can tune and audit them.
RULE_CONFIDENCE = {
    # report -> decision
    "report-recommendations-match-decision": 0.9,
    "report-proposes-own-decision": 0.95,
    # decision -> decision: a cited number and the words around it
    "explicit-decision-number": 0.95,
    "explicit-supersedes-cue": 0.95,
    "explicit-amends-cue": 0.9,
    "explicit-varies-cue": 0.9,
    "explicit-follows-on-cue": 0.85,
    "prior-decision-taken": 0.75,
    # the same subject decided again
    "same-subject-debated-again": 0.85,
    "same-subject-decided-again": 0.8,
    "same-title-decided-again": 0.7,
    # agreements: set up, and changed by a later decision
    "enters-into-agreement-under-cited-section": 0.75,
    "procures-contract-service": 0.7,
    "point-changes-agreement": 0.85,
    "point-varies-agreement": 0.8,
    "point-ends-agreement": 0.85,
    "changes-agreement-set-up-earlier": 0.75,
    "varies-agreement-set-up-earlier": 0.7,
    "ends-agreement-set-up-earlier": 0.75,
    # money
    "funding-traced-to-earlier-decision": 0.75,
}

#: Decision-to-decision link types that say how one decision comes from another.
LINEAGE_TYPES = ("supersedes", "amends", "varies", "followsOn", "endsAgreementOf",
                 "reallocatesFundingFrom", "references")


def _link(src: str, dst: str, kind: str, rule: str, evidence: dict) -> dict:
    return {"from": src, "to": dst, "type": kind, "rule": rule,
            "confidence": RULE_CONFIDENCE[rule], "evidence": evidence}


def basic_links(facts: dict, text: str) -> list[dict]:
    """``proposes`` (report → its decision) and ``references`` (decision → cited number).

    >>> facts = {"document": {"id": "d", "iri": "D", "kind": "RecordOfDecision"},
    ...          "decisions": [{"iri": "A", "role": "records", "mentions": [], "points": []},
    ...                        {"iri": "B", "role": "references",
    ...                         "mentions": [{"text": "18/00071", "start": 3, "end": 11}]}]}
    >>> [(x["from"], x["type"], x["to"]) for x in basic_links(facts, "On 18/00071.")]
    [('A', 'references', 'B')]
    """
    doc = facts["document"]
    own = next((d for d in facts["decisions"] if d["role"] in ("records", "proposes")), None)
    links: list[dict] = []
    if own and own["role"] == "proposes":
        anchor = (own["points"] or own["mentions"] or [{"start": 0, "end": 0}])[0]
        rule = "report-recommendations-match-decision" if own.get("match") else "report-proposes-own-decision"
        links.append(_link(doc["iri"], own["iri"], "proposes", rule,
                           evidence_dict(doc["id"], text, anchor["start"], anchor["end"])))
    if own:
        for d in facts["decisions"]:
            if d["role"] != "references" or d["iri"] == own["iri"]:
                continue
            m = d["mentions"][0]
            links.append(_link(own["iri"], d["iri"], "references", "explicit-decision-number",
                               evidence_dict(doc["id"], text, m["start"], m["end"])))
    return links


def _agreement_iri_maker(facts: list[dict]):
    """Agreement IRIs live beside the council's decisions (``…/council/<slug>/agreement/<id>``)."""
    for f in facts:
        for d in f["decisions"]:
            if "/decision/" in d["iri"]:
                prefix = d["iri"].rsplit("/decision/", 1)[0]
                return lambda slug, p=prefix: f"{p}/agreement/{slug}"
    return None


def _to_link(e: Edge, doc_iris: dict[str, str]) -> dict:
    link = _link(e.src, e.dst, e.type, e.rule, e.evidence)
    also = [a for a in e.also if (a["document"], a["start"]) != (e.evidence["document"], e.evidence["start"])]
    if also:
        link["also"] = [{**a, "document_iri": doc_iris.get(a["document"])} for a in also]
    if e.extra:
        link.update(e.extra)
    return link


def lineage_links(facts: list[dict], texts: dict[str, str]) -> tuple[list[dict], dict[str, list[dict]]]:
    """Every decision-to-decision link the rules find, and the agreements per document.

    One link per (from, to, type): the strongest rule wins and the others' evidence is kept
    in ``also``. A link from an earlier decision to a later one is refused.
    """
    c = Corpus.of(facts, texts)
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
        elif RULE_CONFIDENCE[e.rule] > RULE_CONFIDENCE[kept.rule]:
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
                r["confidence"] = RULE_CONFIDENCE[r["rule"]]
    return links, per_doc


def link_corpus(facts: list[dict], texts: dict[str, str]) -> list[dict]:
    """Add ``decision_links`` (and ``agreements``) to every document's facts (returns the list).

    Each link is stored with the document whose sentence is its evidence. A plain
    ``references`` link is dropped when a typed link between the same two decisions rests on
    the same sentence.
    """
    typed, agreements = lineage_links(facts, texts)
    by_doc: dict[str, list[dict]] = {}
    for ln in typed:
        by_doc.setdefault(ln["evidence"]["document"], []).append(ln)
    for f in facts:
        doc = f["document"]["id"]
        mine = by_doc.get(doc, [])
        covered = {(ln["from"], ln["to"], ln["evidence"]["start"]) for ln in mine}
        basic = [ln for ln in basic_links(f, texts[doc])
                 if (ln["from"], ln["to"], ln["evidence"]["start"]) not in covered]
        f["decision_links"] = basic + sorted(mine, key=lambda x: (x["evidence"]["start"], x["type"]))
        f["agreements"] = agreements.get(doc, [])
    return facts
