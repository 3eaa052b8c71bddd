"""One decision with every fact and its evidence (``GET /decisions/{id}``).

Every read is an index lookup on the decision, its statements or its neighbours: the work
depends on how much the graph says about this decision, not on the size of the graph.

>>> from kgraph.graph.store import GraphStore
>>> from kgraph.read.common import DCT, RDF
>>> store = GraphStore.in_memory()
>>> d = "https://w3id.org/kgraph/id/council/kent-county-council/decision/19-00076"
>>> store.replace_graph("https://w3id.org/kgraph/id/document/abc",
...     f'<{d}> <{RDF}type> <{KG}Decision> ; <{DCT}identifier> "19-00076" ; <{KG}keyDecision> "true" .')
>>> got = decision(store, "19/00076")
>>> got["id"], got["key_decision"], [f["predicate"] for f in got["facts"]]
('19-00076', True, ['dct:identifier', 'kg:keyDecision', 'rdf:type'])
"""

from __future__ import annotations

from collections.abc import Callable

import pyoxigraph as ox

from kgraph.graph.store import GraphStore
from kgraph.read.common import (
    KG,
    LABELS,
    NESTED_MAX,
    NO_EVIDENCE,
    RDF,
    curie,
    doc_id,
    evidence_json,
    fact_rows,
    first,
    statement_rows,
    term_json,
)
from kgraph.read.decisions import decision_iri, decision_summary
from kgraph.read.documents import document_meta
from kgraph.read.funding import decision_funding

__all__ = ["decision"]

_DOC_ROLES = {KG + "records": "records", KG + "proposes": "proposes", KG + "mentionsDecision": "mentions"}


def _incoming_rows(store: GraphStore, node: ox.NamedNode) -> list[dict]:
    """Triples ``?s ?p node`` (index lookup) and the evidence of their statements."""
    rows, stmts = [], set()
    for q in store.ox.quads_for_pattern(None, None, node, None):
        if not isinstance(q.graph_name, ox.NamedNode):
            continue
        p = q.predicate.value
        if p == RDF + "object":
            stmts.add(q.subject.value)
        elif p != RDF + "subject":
            rows.append({"s": q.subject, "p": q.predicate, "g": q.graph_name} | NO_EVIDENCE)
    for st in sorted(stmts):
        s, p = first(store, st, (RDF + "subject",)), first(store, st, (RDF + "predicate",))
        if s is not None and p is not None:
            rows += statement_rows(store, st, s=ox.NamedNode(s), p=ox.NamedNode(p))
    return rows


def merge_facts(rows, subject_of, object_of, label_of: Callable[[dict], str | None]) -> list[dict]:
    """Facts (subject, predicate, object) from rows, each with the documents stating it and
    the evidence spans it rests on, sorted by predicate, subject and object."""
    facts: dict[tuple, dict] = {}
    for r in rows:
        s, p, o = subject_of(r), r["p"], object_of(r)
        key = (s.value, p.value, repr(term_json(o)))
        f = facts.get(key)
        if f is None:
            f = facts[key] = {"subject": term_json(s), "predicate": curie(p.value),
                              "predicate_iri": p.value, "object": term_json(o), "label": None,
                              "documents": [], "evidence": []}
        doc = doc_id(r["g"].value)
        if doc not in f["documents"]:
            f["documents"].append(doc)
        ev = evidence_json(r)
        if ev is not None and ev not in f["evidence"]:
            f["evidence"].append(ev)
    out = list(facts.values())
    for f in out:
        f["label"] = label_of(f)
        f["documents"].sort()
        f["evidence"].sort(key=lambda e: (e["document"], e["start"], e["end"]))
    out.sort(key=lambda f: (f["predicate"], f["subject"]["value"], f["object"]["value"]))
    return out


def decision(store: GraphStore, ident: str) -> dict:
    """Everything the graph says about a decision: its summary, the documents that record,
    propose or mention it, every fact (outgoing and incoming triples) with the documents
    that state it and the text spans (evidence) it rests on, and its funding flows."""
    iri = decision_iri(store, ident)
    node = ox.NamedNode(iri)
    labels: dict[str, str | None] = {}

    def label(term: dict) -> str | None:
        if term["type"] != "iri":
            return None
        if term["value"] not in labels:
            labels[term["value"]] = first(store, term["value"], LABELS + (KG + "text",)) \
                if "/point/" in term["value"] else first(store, term["value"])
        return labels[term["value"]]

    facts = merge_facts(fact_rows(store, node), lambda r: node, lambda r: r["o"],
                        lambda f: label(f["object"]))
    incoming = merge_facts(_incoming_rows(store, node), lambda r: r["s"], lambda r: node,
                           lambda f: label(f["subject"]))
    firsts = {}
    for f in facts:
        o = f["object"]
        if o["type"] == "literal":
            firsts.setdefault(f["predicate"], o["value"])
    docs = {}
    for f in incoming:
        role = _DOC_ROLES.get(f["predicate_iri"])
        if role and f["subject"]["value"].startswith(f"{store.base_iri}document/"):
            docs.setdefault(f["subject"]["value"], role)
    documents = [document_meta(store, d) | {"relation": role} for d, role in sorted(docs.items())]
    kd = firsts.get("kg:keyDecision")
    flows = decision_funding(store, iri)
    return decision_summary(store, iri) | {
        "key_decision": None if kd is None else kd == "true",
        "decision_maker": firsts.get("kg:decisionMaker"),
        "decision_maker_role": firsts.get("kg:decisionMakerRole"),
        "documents": documents,
        "facts": facts + incoming,
        "funding": flows[:NESTED_MAX],
        "funding_has_more": len(flows) > NESTED_MAX,
    }
