"""What the resource views share: namespaces, limits, store lookups and the JSON of terms.

No user value ever becomes query text. A value reaches the store either as a bound SPARQL
variable (pyoxigraph ``substitutions=``, in fixed query templates keyed on a subject) or as a
bound term of an index lookup (``quads_for_pattern``). Lookups are used where a query would
join on a bound object: Oxigraph plans substituted variables as unbound, so such joins scan
(seconds at 100,000 decisions) where a lookup takes microseconds.

>>> term_json(ox.Literal("3", datatype=ox.NamedNode(XSD + "integer")))
{'type': 'literal', 'value': '3', 'datatype': 'http://www.w3.org/2001/XMLSchema#integer'}
>>> curie(KG + "Decision"), curie("http://example.org/x")
('kg:Decision', 'http://example.org/x')
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from kgraph.graph.store import GraphStore
from kgraph.query.select import DEFAULT_PREFIXES
from kgraph.vocab import PREFIXES

#: Most items one page of a list returns (the ``limit`` parameter's maximum).
MAX_LIMIT = 500
#: Items per page when no ``limit`` is given.
DEFAULT_LIMIT = 50
#: Most decisions / funding flows listed inside an organisation or decision (with a link to the rest).
NESTED_MAX = 100

KG = PREFIXES["kg"]
RDF = PREFIXES["rdf"]
ELI = PREFIXES["eli"]
DCT = PREFIXES["dct"]
SKOS = PREFIXES["skos"]
ORG = PREFIXES["org"]
OA = PREFIXES["oa"]
SCHEMA = PREFIXES["schema"]
XSD = PREFIXES["xsd"]
XSD_STRING = XSD + "string"

#: Labels of a node, first found wins.
LABELS = (SKOS + "prefLabel", DCT + "title", ELI + "title")

#: The evidence of a fact: ``?ev`` → quote (``?exact``) and offsets (``?start``, ``?end``).
EVIDENCE = """?ev oa:hasSelector ?qs , ?ps . ?qs oa:exact ?exact . ?ps oa:start ?start ; oa:end ?end ."""

_V = ox.Variable


def rows(store: GraphStore, sparql: str, subs: dict[str, ox.Term] | None = None) -> list:
    """Solutions of a fixed query template with ``subs`` bound (never spliced into the text)."""
    solutions = store.query(sparql, prefixes=DEFAULT_PREFIXES,
                            substitutions={_V(k): v for k, v in (subs or {}).items()})
    return list(solutions)


def val(t) -> str | None:
    return None if t is None else t.value


def curie(iri: str) -> str:
    for p, ns in DEFAULT_PREFIXES.items():
        if iri.startswith(ns) and "/" not in iri[len(ns):] and "#" not in iri[len(ns):]:
            return f"{p}:{iri[len(ns):]}"
    return iri


def term_json(t) -> dict | None:
    """A term as JSON: ``{"type": "iri"|"literal"|"bnode", "value", "datatype"?, "language"?}``."""
    if t is None:
        return None
    if isinstance(t, ox.Literal):
        out = {"type": "literal", "value": t.value}
        if t.language:
            out["language"] = t.language
        elif t.datatype.value != XSD_STRING:
            out["datatype"] = t.datatype.value
        return out
    return {"type": "iri" if isinstance(t, ox.NamedNode) else "bnode", "value": t.value}


def first(store: GraphStore, iri: str, predicates: tuple[str, ...] = LABELS) -> str | None:
    """The first value of the first of ``predicates`` that ``iri`` has, in any graph.

    An index lookup rather than a join: a label stated in thousands of document graphs
    (the council's name, a section of an Act) is read once, not once per graph.
    """
    node = ox.NamedNode(iri)
    for p in predicates:
        for quad in store.ox.quads_for_pattern(node, ox.NamedNode(p), None, None):
            return quad.object.value
    return None


def values(store: GraphStore, iri: str, predicate: str) -> list[str]:
    """Every value of ``predicate`` on ``iri`` in any graph (with repeats across graphs)."""
    return [q.object.value for q in store.ox.quads_for_pattern(ox.NamedNode(iri), ox.NamedNode(predicate),
                                                              None, None)]


def subjects(store: GraphStore, predicate: str, obj: ox.Term) -> set[str]:
    """Subjects of ``?s predicate obj`` in the document graphs (an index lookup on a bound term)."""
    return {q.subject.value for q in store.ox.quads_for_pattern(None, ox.NamedNode(predicate), obj, None)
            if isinstance(q.graph_name, ox.NamedNode)}


def doc_id(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


def evidence_json(sol) -> dict | None:
    """``{document, start, end, exact}`` of an evidence row (``g``, ``ev``, ``exact``, ``start``, ``end``)."""
    if sol["ev"] is None or sol["start"] is None:
        return None
    return {"document": doc_id(sol["g"].value), "start": int(sol["start"].value),
            "end": int(sol["end"].value), "exact": val(sol["exact"])}


_SUBJECT, _PREDICATE, _OBJECT = (ox.NamedNode(RDF + p) for p in ("subject", "predicate", "object"))
#: The evidence fields of a row for a fact without evidence.
NO_EVIDENCE = {"ev": None, "exact": None, "start": None, "end": None}
_EVIDENCE_OF = ox.NamedNode(KG + "evidence")


def _props(store: GraphStore, node: ox.Term, g: ox.NamedNode) -> dict[str, list[ox.Term]]:
    """Every ``node ?p ?o`` in graph ``g``, by predicate IRI: one lookup."""
    out: dict[str, list[ox.Term]] = {}
    for q in store.ox.quads_for_pattern(node, None, None, g):
        out.setdefault(q.predicate.value, []).append(q.object)
    return out


def _evidence_rows(store: GraphStore, ev: ox.Term, g: ox.NamedNode, fields: dict) -> list[dict]:
    """The :data:`EVIDENCE` pattern for ``ev`` in ``g``: every quote selector of ``ev`` paired with
    every position selector (as the pattern's join does)."""
    exacts, spans = [], []
    for sel in _props(store, ev, g).get(OA + "hasSelector", []):
        props = _props(store, sel, g)
        exacts += props.get(OA + "exact", [])
        spans += [(a, b) for a in props.get(OA + "start", []) for b in props.get(OA + "end", [])]
    return [{"g": g, "ev": ev, "exact": exact, "start": start, "end": end, **fields}
            for exact in exacts for start, end in spans]


def statement_rows(store: GraphStore, st: str, graph: ox.NamedNode | None = None, **fields) -> list[dict]:
    """Evidence rows (``g``, ``ev``, ``exact``, ``start``, ``end``) of the ``rdf:Statement`` ``st``
    (in ``graph``, else in every document graph), each extended with ``fields``: the
    :data:`EVIDENCE` pattern read by index lookups, within each graph stating ``st kg:evidence ?ev``.
    """
    out = []
    for q in store.ox.quads_for_pattern(ox.NamedNode(st), _EVIDENCE_OF, None, graph):
        if isinstance(q.graph_name, ox.NamedNode):
            out += _evidence_rows(store, q.object, q.graph_name, fields)
    return out


def fact_rows(store: GraphStore, node: ox.NamedNode, predicates: tuple[str, ...] | None = None) -> list[dict]:
    """Triples ``node ?p ?o`` in each document graph, each with the evidence of the statements
    (``rdf:subject node ; rdf:predicate ?p ; rdf:object ?o``) in the same graph, or none
    (``ev`` and the rest None); only ``predicates`` when given."""
    statements: dict[ox.NamedNode, dict[tuple, list[ox.Term]]] = {}
    for q in store.ox.quads_for_pattern(None, _SUBJECT, node, None):
        g, st = q.graph_name, q.subject
        if not isinstance(g, ox.NamedNode):
            continue
        props = _props(store, st, g)
        evidence = props.get(KG + "evidence", [])
        for p in props.get(RDF + "predicate", []):
            for o in props.get(RDF + "object", []):
                statements.setdefault(g, {}).setdefault((p, o), []).extend(evidence)
    rows = []
    quads = [q for p in predicates for q in store.ox.quads_for_pattern(node, ox.NamedNode(p), None, None)] \
        if predicates is not None else store.ox.quads_for_pattern(node, None, None, None)
    for q in quads:
        g = q.graph_name
        if not isinstance(g, ox.NamedNode):
            continue
        fact = {"g": g, "p": q.predicate, "o": q.object}
        found = [r for ev in statements.get(g, {}).get((q.predicate, q.object), ())
                 for r in _evidence_rows(store, ev, g, fact)]
        rows += found or [fact | NO_EVIDENCE]
    return rows


class organisation_names(dict):  # noqa: N801 - used like a function returning a mapping
    """Organisation IRI → canonical name (``skos:prefLabel``), looked up on first use."""

    def __init__(self, store: GraphStore):
        super().__init__()
        self.store = store

    def __missing__(self, iri: str) -> str | None:
        self[iri] = name = first(self.store, iri, (SKOS + "prefLabel",))
        return name


def org_ref(names: dict[str, str], iri: str | None, base: str) -> dict | None:
    """``{id, iri, name}`` of an organisation (``id`` is its slug under ``{base}org/``)."""
    if iri is None:
        return None
    slug = iri[len(base) + 4:] if iri.startswith(base + "org/") else iri
    return {"id": slug, "iri": iri, "name": names[iri]}


def uniq(items: Iterable) -> list:
    seen, out = set(), []
    for x in items:
        key = repr(x)
        if key not in seen:
            seen.add(key)
            out.append(x)
    return out
