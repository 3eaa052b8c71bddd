"""What each named graph contributes to the read index, read by index lookups.

A graph's :data:`Part` maps a kind of fact to the tuples the graph holds of it: decisions
typed ``kg:Decision`` (``typed``), identifiers with whether they are plain strings
(``ident``), titles, numbers, dates, statuses, the organisations a decision names, the
provisions it relies on or cites, organisations with their labels and kinds, funding flows
with their amounts, parties and evidence. The :class:`~kgraph.read.index.ReadIndex` is a
function of the parts of all graphs, so a write that changes some graphs is applied by taking
their old parts out and their new parts in.

Most kinds are one triple pattern: a whole store's are read with one grouped query, chosen
graphs' with ``quads_for_pattern`` (an index lookup, no query planning); the flows' evidence
is one SPARQL join over the evidence pattern the views share
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

import itertools
import sys
from collections.abc import Iterable

import pyoxigraph as ox

from kgraph.graph.store import GraphStore
from kgraph.query.select import DEFAULT_PREFIXES
from kgraph.read.common import DCT, ELI, KG, ORG, RDF, SCHEMA, SKOS, XSD_STRING

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

#: A flow's evidence in its own graph: quote and offsets. The pattern of
#: :data:`kgraph.read.common.EVIDENCE`, written from the flow outwards (each selector reached
#: from its evidence node): Oxigraph then joins in that order, a third less work.
_EVIDENCE = """SELECT ?g ?f ?exact ?start ?end WHERE { GRAPH ?g {
  ?f a kg:FundingFlow . ?f kg:evidence ?ev . ?ev oa:hasSelector ?qs . ?qs oa:exact ?exact .
  ?ev oa:hasSelector ?ps . ?ps oa:start ?start . ?ps oa:end ?end } }"""

_intern = sys.intern


#: Kinds whose rows are the subject alone; ``ident`` rows are (subject, value, plain string);
#: every other kind's rows are (subject, object value).
_SUBJECT_ONLY = frozenset({"typed", "orgtype", "unittype", "flowtype"})

#: One character per kind in the rows of :func:`_grouped_query`.
_CODES = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_KIND_OF = dict(zip(_CODES, KINDS, strict=False))
assert len(KINDS) <= len(_CODES) and all(p == RDF + "type" for p, o, _ in KINDS.values() if o is not None)


#: The kinds read by each grouped query: facts about decisions and documents, then the rest
#: (two queries, so that the groups held in memory at once are about half of them).
_FIRST_BATCH = ("typed", "ident", "number", "title", "date", "status", "names", "based_on", "cites", "has_funding")
_BATCHES = (_FIRST_BATCH, tuple(k for k in KINDS if k not in _FIRST_BATCH))


def _grouped_query(named: bool, kinds: tuple[str, ...]) -> str:
    """Every fact of ``kinds``, one solution per graph and subject: ``?rows`` holds a token per
    fact (the kind's code, then for a kind with a value ``s`` for a plain string or ``o``
    otherwise and the value with ``%`` and space escaped), ``?n`` the number of facts."""
    chosen = [(c, KINDS[k]) for c, k in zip(_CODES, KINDS, strict=False) if k in kinds]
    by_p = " ".join(f'(<{p}> "{c}")' for c, (p, o, _) in chosen if o is None)
    by_o = " ".join(f'(<{o}> "{c}")' for c, (p, o, _) in chosen if o is not None)
    pattern = f"""{{ VALUES (?p ?k) {{ {by_p} }} ?s ?p ?o
      BIND(CONCAT(?k, IF(isLiteral(?o) && DATATYPE(?o) = <{XSD_STRING}>, "s", "o"),
                  REPLACE(REPLACE(STR(?o), "%", "%25"), " ", "%20")) AS ?row) }}
    UNION {{ VALUES (?o ?k) {{ {by_o} }} ?s <{RDF}type> ?o BIND(?k AS ?row) }}"""
    if named:
        return f"""SELECT ?g ?s (GROUP_CONCAT(?row; separator=" ") AS ?rows) (COUNT(*) AS ?n)
WHERE {{ GRAPH ?g {{ {pattern} }} }} GROUP BY ?g ?s"""
    return f"""SELECT ?s (GROUP_CONCAT(?row; separator=" ") AS ?rows) (COUNT(*) AS ?n)
WHERE {{ {pattern} }} GROUP BY ?s"""


def read_parts(store: GraphStore, graphs: Iterable[str] | None = None) -> dict[str, Part]:
    """The :data:`Part` of each of ``graphs`` (every graph of the store when None; an empty
    part for a graph that holds nothing). IRIs of the default graph's part are ``""``.

    Every graph's facts are read with one grouped query (:func:`_grouped_query`: each graph
    and subject IRI decoded once per group rather than once per fact, which is most of the
    cost of reading a large store); chosen graphs, and any graph with a fact the query cannot
    spell (a blank node as a value), by index lookups per kind.
    """
    if graphs is not None:
        wanted = list(dict.fromkeys(graphs))
        parts: dict[str, Part] = {g: {} for g in wanted}
        targets = [ox.DefaultGraph() if g == DEFAULT_GRAPH else ox.NamedNode(g) for g in wanted]
        _facts_by_lookup(store, targets, parts)
        _evidence(store, [t for t in targets if not isinstance(t, ox.DefaultGraph)], parts)
        return parts
    parts = {}
    spelled_badly = _facts_grouped(store, parts)
    for g in spelled_badly:
        parts[g] = {}
    _facts_by_lookup(store, [ox.DefaultGraph() if g == DEFAULT_GRAPH else ox.NamedNode(g) for g in spelled_badly],
                     parts)
    _evidence(store, [None], parts)
    return parts


def _facts_grouped(store: GraphStore, parts: dict[str, Part]) -> set[str]:
    """Read every graph's facts into ``parts`` with :func:`_grouped_query`; the graphs where a
    fact could not be spelled (to be read again by lookups)."""
    org_prefix = store.base_iri + "org/"
    intern, kind_of = _intern, _KIND_OF
    bad: set[str] = set()
    for named, kinds in itertools.product((True, False), _BATCHES):
        for sol in store.ox.query(_grouped_query(named, kinds), use_default_graph_as_union=False):
            g = intern(sol["g"].value) if named else DEFAULT_GRAPH
            spelled = sol["rows"]  # unbound when a fact could not be spelled
            tokens = (spelled.value.split(" ") if spelled.value else []) if spelled is not None else None
            if tokens is None or len(tokens) != int(sol["n"].value):
                bad.add(g)
                continue
            s = sol["s"].value
            is_decision, is_org = _DECISION in s, s.startswith(org_prefix)
            s = intern(s)
            part = parts.get(g)
            if part is None:
                part = parts[g] = {}
            for token in tokens:
                kind = kind_of[token[0]]
                which = KINDS[kind][2]
                if which is not None and not (is_decision if which == "decision" else is_org):
                    continue
                rows = part.get(kind)
                if rows is None:
                    rows = part[kind] = []
                if len(token) == 1:
                    rows.append((s,))
                    continue
                value = token[2:]
                if "%" in value:
                    value = value.replace("%20", " ").replace("%25", "%")
                if kind == "ident":
                    rows.append((s, intern(value), token[1] == "s"))
                else:
                    rows.append((s, intern(value)))
    return bad


def _facts_by_lookup(store: GraphStore, targets: list, parts: dict[str, Part]) -> None:
    """Read the facts of the ``targets`` graphs into ``parts``, one index lookup per kind."""
    org_prefix = store.base_iri + "org/"
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


def _evidence(store: GraphStore, targets: list, parts: dict[str, Part]) -> None:
    """The flows' evidence in the ``targets`` graphs (``[None]``: every named graph)."""
    for target in targets:
        subs = {} if target is None else {ox.Variable("g"): target}
        for row in store.query(_EVIDENCE, prefixes=DEFAULT_PREFIXES, substitutions=subs):
            g, f = _intern(row["g"].value), _intern(row["f"].value)
            ev = (g.rsplit("/", 1)[-1], int(row["start"].value), int(row["end"].value), row["exact"].value)
            parts.setdefault(g, {}).setdefault("evidence", []).append((f, *ev))
