"""Reading the facts left out of stored documents (written by :mod:`kgraph.graph.checked`).

Each report is stored in its document's own named graph (replaced with it) as
``<doc> kg:leftOutFact <doc>/left-out/<fact>`` with a ``kg:LeftOutFact`` node of literals.

>>> from kgraph.graph.store import GraphStore
>>> from kgraph.graph.checked import check_document
>>> facts = {"document": {"id": "abc", "iri": "https://w3id.org/kgraph/id/document/abc",
...          "source": "a.txt", "kind": "Other", "sha256": "ab" * 32, "title": None},
...          "decisions": [], "organisations": [], "legislation": [], "meetings": [], "decision_links": [],
...          "amounts": [{"gbp": -5, "text": "£5", "role": "other", "period": None,
...                       "mentions": [{"text": "£5", "start": 4, "end": 6}]}]}
>>> g = check_document(facts, "Pay £5 now.").graph
>>> store = GraphStore.in_memory()
>>> store.replace_document_graph(facts["document"]["iri"], g.serialize(format="nt"), source="a.txt", sha256="x")
>>> [(r["fact"], r["quote"], r["start"], r["shape"]) for r in left_out_facts(store, facts["document"]["iri"])]
[('amount[0]', '£5', 4, 'https://w3id.org/kgraph/shapes#AmountShape')]
"""

from __future__ import annotations

import re

import pyoxigraph as ox

from kgraph.graph.checked import REPORT_FIELDS
from kgraph.graph.rdf import KG
from kgraph.graph.store import GraphStore

_FIELD_OF = {str(p): name for name, p in REPORT_FIELDS.items()}
_INTS = {"start", "end"}


def left_out_facts(store: GraphStore, doc_iri: str) -> list[dict]:
    """The facts left out of the stored document ``doc_iri``, in fact order (``[]`` if none).

    Each is ``{"fact", "kind", "label", "shape", "focus", "path", "reason", "quote", "start",
    "end"}``: the key of the fact in the extraction JSON (``"legislation[2]"``), its kind,
    what it said, the IRI of the SHACL node shape it broke, the node checked, the property
    (or ``None``), the violation in words, and the quote with its offsets into the document
    text (``None`` when the fact had no mention).
    """
    g = ox.NamedNode(doc_iri)
    out = []
    for q in store.ox.quads_for_pattern(g, ox.NamedNode(str(KG.leftOutFact)), None, g):
        row: dict = dict.fromkeys([*REPORT_FIELDS, "shape"])
        for p in store.ox.quads_for_pattern(q.object, None, None, g):
            if p.predicate.value == str(KG.violatedShape):
                row["shape"] = p.object.value
            elif p.predicate.value in _FIELD_OF:
                name = _FIELD_OF[p.predicate.value]
                row[name] = int(p.object.value) if name in _INTS else p.object.value
        out.append(row)
    return sorted(out, key=_order)


def _order(row: dict) -> tuple:
    """Fact keys in numeric order: ``amount[2]`` before ``amount[10]``."""
    return tuple(int(x) if x.isdigit() else x for x in re.split(r"(\d+)", row["fact"] or ""))


def left_out_by_document(store: GraphStore) -> dict[str, list[dict]]:
    """Every stored document with facts left out: document IRI → :func:`left_out_facts`."""
    docs = {q.subject.value for q in store.ox.quads_for_pattern(None, ox.NamedNode(str(KG.leftOutFact)), None, None)}
    return {d: left_out_facts(store, d) for d in sorted(docs)}
