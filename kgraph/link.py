"""Links between decisions and documents, inferred across the corpus.

Each link is a dict of the extraction JSON's ``decision_links``: ``from`` and ``to``
(IRIs), ``type`` (``proposes``, ``references``, ...), the ``rule`` that made it, a
``confidence`` in [0, 1] and ``evidence`` (document id, offsets, quote).
"""

from __future__ import annotations

from kgraph.evidence import evidence_dict

#: Confidence of each rule, in one place so that a reviewer can tune and audit them.
RULE_CONFIDENCE = {
    "report-recommendations-match-decision": 0.9,
    "report-proposes-own-decision": 0.95,
    "explicit-decision-number": 0.95,
}


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
            if d["role"] != "references":
                continue
            m = d["mentions"][0]
            links.append(_link(own["iri"], d["iri"], "references", "explicit-decision-number",
                               evidence_dict(doc["id"], text, m["start"], m["end"])))
    return links


def link_corpus(facts: list[dict], texts: dict[str, str]) -> list[dict]:
    """Add ``decision_links`` to every document's facts (returns the same list)."""
    for f in facts:
        f["decision_links"] = basic_links(f, texts[f["document"]["id"]])
    return facts
