"""What each named graph contributes to the read index, read by index lookups.

A graph's :data:`Part` maps a kind of fact to the tuples the graph holds of it: decisions
typed ``kg:Decision`` (``typed``), identifiers with whether they are plain strings
(``ident``), titles, numbers, dates, statuses, the organisations a decision names, the
provisions it relies on or cites, organisations with their labels and kinds, funding flows
with their amounts, parties and evidence. The :class:`~kgraph.read.index.ReadIndex` is a
function of the parts of all graphs, so a write that changes some graphs is applied by taking
their old parts out and their new parts in.

Most kinds are one triple pattern, read with ``quads_for_pattern`` (an index lookup, no query
planning); the flows' evidence is one SPARQL join over the evidence pattern the views share
(:data:`kgraph.read.common.EVIDENCE`). Strings are interned, so an IRI met in many parts is
kept once.

>>> from kgraph.graph.store import GraphStore
>>> store = GraphStore.in_memory()
>>> d = "https://w3id.org/kgraph/id/council/c/decision/19-00001"
>>> store.replace_graph("https://w3id.org/kgraph/id/document/a",
...     f'<{d}> <{DCT}title> "Care" ; <{DCT}identifier> "19-00001" .')
>>> parts = read_parts(store)
>>> parts["https://w3id.org/kgraph/id/document/a"]["title"]
[('https://w3id.org/kgraph/id/council/c/decision/19-00001', 'Care')]
>>> read_parts(store, ["https://w3id.org/kgraph/id/document/zzz"])
{'https://w3id.org/kgraph/id/document/zzz': {}}
"""

from __future__ import annotations

import sys
from collections.abc import Iterable

import pyoxigraph as ox

from kgraph.graph.store import GraphStore
from kgraph.query.select import DEFAULT_PREFIXES
from kgraph.read.common import DCT, ELI, EVIDENCE, KG, ORG, RDF, SCHEMA, SKOS, XSD_STRING

__all__ = ["Part", "read_parts", "KINDS", "DEFAULT_GRAPH"]

#: One graph's facts by kind (kinds with no fact are left out).
Part = dict[str, list[tuple]]

#: The key of the default graph's part.
DEFAULT_GRAPH = ""

_DECISION = "/decision/"

#: Kinds read as one triple pattern: kind → (predicate, object or None, subjects kept:
#: ``"decision"`` only decision IRIs, ``"org"`` only organisations under the base, None all).
KINDS: dict[str, tuple[str, str | None, str | None]] = {
    "typed": (RDF + "type", KG + "Decision", None),
    "orgtype": (RDF + "type", ORG + "Organization", "org"),
    "unittype": (RDF + "type", ORG + "OrganizationalUnit", "org"),
    "flowtype": (RDF + "type", KG + "FundingFlow", None),
    "ident": (DCT + "identifier", None, None),
    "number": (KG + "decisionNumber", None, "decision"),
    "title": (DCT + "title", None, "decision"),
    "date": (DCT + "date", None, "decision"),
    "status": (KG + "status", None, "decision"),
    "names": (KG + "namesOrganisation", None, None),
    "based_on": (ELI + "based_on", None, "decision"),
    "cites": (ELI + "cites", None, "decision"),
    "part_of": (ELI + "is_part_of", None, None),
    "surface": (KG + "surfaceForm", None, None),
    "label": (SKOS + "prefLabel", None, None),
    "orgkind": (KG + "orgKind", None, None),
    "amount": (SCHEMA + "amount", None, None),
    "value": (SCHEMA + "value", None, None),
    "total": (KG + "isTotal", None, None),
    "period": (KG + "period", None, None),
    "text": (KG + "surfaceText", None, None),
    "row": (KG + "tableRow", None, None),
    "purpose": (KG + "purpose", None, None),
    "funder": (SCHEMA + "funder", None, None),
    "recipient": (KG + "recipient", None, None),
    "intermediary": (KG + "intermediary", None, None),
    "has_funding": (KG + "hasFunding", None, None),
}

#: A flow's evidence in its own graph: quote and offsets.
_EVIDENCE = f"""SELECT ?g ?f ?exact ?start ?end WHERE {{ GRAPH ?g {{
  ?f a kg:FundingFlow ; kg:evidence ?ev . {EVIDENCE} }} }}"""

_intern = sys.intern


#: Kinds whose rows are the subject alone; ``ident`` rows are (subject, value, plain string);
#: every other kind's rows are (subject, object value).
_SUBJECT_ONLY = frozenset({"typed", "orgtype", "unittype", "flowtype"})


def read_parts(store: GraphStore, graphs: Iterable[str] | None = None) -> dict[str, Part]:
    """The :data:`Part` of each of ``graphs`` (every graph of the store when None; an empty
    part for a graph that holds nothing). IRIs of the default graph's part are ``""``."""
    wanted = None if graphs is None else list(dict.fromkeys(graphs))
    parts: dict[str, Part] = {g: {} for g in wanted} if wanted is not None else {}
    org_prefix = store.base_iri + "org/"
    targets = [None] if wanted is None else [
        ox.DefaultGraph() if g == DEFAULT_GRAPH else ox.NamedNode(g) for g in wanted]
    intern, default = _intern, ox.DefaultGraph
    for kind, (p, o, which) in KINDS.items():
        pred, obj = ox.NamedNode(p), (ox.NamedNode(o) if o else None)
        shape = 1 if kind in _SUBJECT_ONLY else 3 if kind == "ident" else 2
        for target in targets:
            for q in store.ox.quads_for_pattern(None, pred, obj, target):
                s = q.subject.value
                if which is not None and (_DECISION not in s if which == "decision" else not s.startswith(org_prefix)):
                    continue
                name = q.graph_name
                g = DEFAULT_GRAPH if isinstance(name, default) else intern(name.value)
                part = parts.get(g)
                if part is None:
                    part = parts[g] = {}
                rows = part.get(kind)
                if rows is None:
                    rows = part[kind] = []
                if shape == 2:
                    rows.append((intern(s), intern(q.object.value)))
                elif shape == 1:
                    rows.append((intern(s),))
                else:
                    value = q.object
                    plain = isinstance(value, ox.Literal) and value.datatype.value == XSD_STRING
                    rows.append((intern(s), intern(value.value), plain))
    for target in targets:
        subs = {} if target is None else {ox.Variable("g"): target}
        if isinstance(target, ox.DefaultGraph):
            continue  # GRAPH ?g never binds the default graph
        for row in store.query(_EVIDENCE, prefixes=DEFAULT_PREFIXES, substitutions=subs):
            g, f = intern(row["g"].value), intern(row["f"].value)
            ev = (g.rsplit("/", 1)[-1], int(row["start"].value), int(row["end"].value), row["exact"].value)
            parts.setdefault(g, {}).setdefault("evidence", []).append((f, *ev))
    return parts
