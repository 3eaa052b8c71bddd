"""The lineage graph read from a store and kept in step with its writes, graph by graph.

What each named graph says about lineage is kept as its :class:`Rows`: the document (and
whether it is a committee report), the decisions and agreements it describes, and its
reified links (one per statement: the longest evidence span). The
:class:`~kgraph.read.lineage.Lineage` graph is a function of the rows of all graphs:
:func:`build` applies every graph's rows to an empty graph, :func:`update` takes the old rows
of the graphs a write changed out and their new rows in, then derives again only what they
touch — the attributes of the nodes they name (from every graph's rows about that node, in one
order whatever order the graphs were read in), the edges of those graphs (and of graphs whose
links cite a changed document as further support), the ids that resolve to those nodes, and
the chain heads downstream of them.

>>> from kgraph.graph.store import GraphStore
>>> store = GraphStore.in_memory()
>>> lin = build(store)
>>> lin.g.number_of_nodes(), sorted(lin.rows)
(0, [])
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx
import pyoxigraph as ox

from kgraph.read.lineage import (
    _AGREEMENTS,
    _DECISIONS,
    _DOCS,
    _LINKS,
    Lineage,
    _GraphBuilder,
    _local,
    _year,
)

__all__ = ["Rows", "read_rows", "build", "update"]


def _v(term) -> str | None:
    return None if term is None else term.value


def _order(row: tuple) -> tuple:
    """A sort key for rows holding None next to values of one type per position."""
    return tuple((x is None, "" if x is None else x) for x in row)


@dataclass
class Rows:
    """What one named graph says about lineage."""

    #: (id, source, title, is a report) of the document whose graph this is, if it says.
    doc: tuple | None = None
    #: (IRI, id, number, title, date, status, recorded here), sorted.
    decisions: list[tuple] = field(default_factory=list)
    #: (IRI, id, label, kind, start date), sorted.
    agreements: list[tuple] = field(default_factory=list)
    #: (subject, predicate, object, rule, confidence, start, end, quote, other documents), sorted.
    links: list[tuple] = field(default_factory=list)

    def nodes(self, graph: str) -> set[str]:
        """The nodes these rows describe (not the ends of links)."""
        out = {r[0] for r in self.decisions} | {r[0] for r in self.agreements}
        if self.doc is not None and self.doc[3]:
            out.add(graph)
        return out

    def cited_documents(self) -> set[str]:
        return {x for r in self.links for x in r[8]}

    def __bool__(self) -> bool:
        return bool(self.doc or self.decisions or self.agreements or self.links)


def _query(store, sparql: str, var: str, graph: str | None):
    subs = {} if graph is None else {ox.Variable(var): ox.NamedNode(graph)}
    return store.query(sparql, substitutions=subs)


def read_rows(store, graphs: Iterable[str] | None = None) -> dict[str, Rows]:
    """The :class:`Rows` of each of ``graphs`` (all graphs of the store when None; empty rows
    for a graph that says nothing about lineage)."""
    wanted = None if graphs is None else [g for g in dict.fromkeys(graphs) if g]
    out: dict[str, Rows] = {} if wanted is None else {g: Rows() for g in wanted}
    targets: list[str | None] = [None] if wanted is None else list(wanted)
    docs: dict[str, list[tuple]] = {}
    links: dict[tuple, tuple] = {}
    for target in targets:
        for r in _query(store, _DOCS, "doc", target):
            docs.setdefault(r["doc"].value, []).append(
                (r["id"].value, _v(r["source"]), _v(r["title"]), r["report"] is not None))
        for r in _query(store, _DECISIONS, "g", target):
            row = tuple(_v(r[k]) for k in ("d", "id", "number", "title", "date", "status")) + (r["rec"] is not None,)
            out.setdefault(r["g"].value, Rows()).decisions.append(row)
        for r in _query(store, _AGREEMENTS, "g", target):
            row = (r["a"].value, r["id"].value, r["label"].value,
                   _local(r["cls"].value.replace("#", "/")), _v(r["start"]))
            out.setdefault(r["g"].value, Rows()).agreements.append(row)
        # one link per statement: when a statement carries several evidence spans (a fact
        # asserted by two parts of the pipeline), the longest — the sentence — is the link's
        for r in _query(store, _LINKS, "g", target):
            start, end = int(r["start"].value), int(r["end"].value)
            key = (r["g"].value, r["s"].value, r["p"].value, r["o"].value)
            also = tuple(sorted(set(r["also"].value.split()))) if r["also"] else ()
            row = (r["s"].value, r["p"].value, r["o"].value, r["rule"].value, float(r["conf"].value),
                   start, end, r["quote"].value, also)
            rank = (end - start, -start)
            if key not in links or (rank, _order(row)) > (links[key][0], _order(links[key][1])):
                links[key] = (rank, row)
    for g, rows in docs.items():
        out.setdefault(g, Rows()).doc = min(rows, key=_order)
    for (g, *_), (_, row) in links.items():
        out.setdefault(g, Rows()).links.append(row)
    for rows in out.values():
        rows.decisions.sort(key=_order)
        rows.agreements.sort(key=_order)
        rows.links.sort(key=_order)
    return out


def build(store) -> Lineage:
    """The lineage graph of every graph of the store (heads computed)."""
    lin = Lineage(nx.MultiDiGraph())
    _apply(lin, read_rows(store))
    return lin.prepare()


def update(lin: Lineage, store, graphs: Iterable[str]) -> Lineage:
    """``lin`` after ``graphs`` changed, updated in place (readers wait on its lock meanwhile)."""
    started = time.perf_counter()
    rows = read_rows(store, graphs)
    with lin.lock:
        _apply(lin, rows)
    lin.update_s = time.perf_counter() - started
    return lin


def _doc(lin: Lineage, graph: str) -> dict:
    rows = lin.rows.get(graph)
    doc = rows.doc if rows is not None else None
    if doc is None:
        return {"id": _local(graph), "iri": graph, "source": None}
    return {"id": doc[0], "iri": graph, "source": doc[1]}


def _apply(lin: Lineage, parts: dict[str, Rows]) -> None:
    g = lin.g
    changed = set(parts)
    relink = set(changed)
    for x in changed:
        relink |= lin.cited_by.get(x, set())
    affected: set[str] = set()
    for graph in relink:
        for s, o, key in lin.edges_of.pop(graph, ()):
            if g.has_edge(s, o, key):
                g.remove_edge(s, o, key)
            affected.update((s, o))
    for graph in changed:
        old = lin.rows.pop(graph, None)
        if old is not None:
            for n in old.nodes(graph):
                lin.node_graphs[n].discard(graph)
                if not lin.node_graphs[n]:
                    del lin.node_graphs[n]
                affected.add(n)
            for x in old.cited_documents():
                lin.cited_by[x].discard(graph)
                if not lin.cited_by[x]:
                    del lin.cited_by[x]
        new = parts[graph]
        if new:
            lin.rows[graph] = new
            for n in new.nodes(graph):
                lin.node_graphs.setdefault(n, set()).add(graph)
                affected.add(n)
            for x in new.cited_documents():
                lin.cited_by.setdefault(x, set()).add(graph)
    for graph in relink:
        rows = lin.rows.get(graph)
        if rows is None or not rows.links:
            continue
        doc = _doc(lin, graph)
        added = []
        for s, p, o, rule, conf, start, end, quote, also in rows.links:
            kind = _local(p.replace("#", "/"))
            ev = {"document": doc["id"], "document_iri": doc["iri"], "source": doc["source"],
                  "start": start, "end": end, "quote": quote}
            others = sorted({_doc(lin, x)["id"] if x in lin.rows else _local(x) for x in also} - {doc["id"]})
            key = f"{kind}|{ev['document']}|{ev['start']}"
            g.add_edge(s, o, key=key, type=kind, rule=rule, confidence=round(float(conf), 3),
                       evidence=ev, also=others)
            added.append((s, o, key))
            affected.update((s, o))
        lin.edges_of[graph] = added
    for n in affected:
        _node(lin, n)
    lin.reindex(affected)


def _node(lin: Lineage, n: str) -> None:
    """Derive node ``n``'s attributes from every graph's rows about it (reports, then decisions,
    then agreements, each in row order), a bare decision when only links name it, or drop it."""
    g = lin.g
    b = _GraphBuilder()
    graphs = sorted(lin.node_graphs.get(n, ()))
    for graph in graphs:
        doc = lin.rows[graph].doc
        if graph == n and doc is not None and doc[3]:
            b.node(n, doc[0], "Report", title=doc[2], source=doc[1])
    decisions = sorted((r for graph in graphs for r in lin.rows[graph].decisions if r[0] == n), key=_order)
    for d, ident, number, title, date, status, rec in decisions:
        b.decision(d, ident, number, title, date, status, recorded=rec)
    agreements = sorted((r for graph in graphs for r in lin.rows[graph].agreements if r[0] == n), key=_order)
    for a, ident, label, kind, start in agreements:
        b.node(a, ident, "Agreement", title=label, date=start, agreement_kind=kind)
    if n in b.g:
        attrs = dict(b.g.nodes[n])
    elif n in g and g.degree(n):
        attrs = {"iri": n, "id": _local(n), "kind": "Decision", "number": None, "title": None, "date": None,
                 "status": None, "year": _year(None, _local(n), None)}
    else:
        if n in g:
            g.remove_node(n)
        return
    if n in g:
        node = g.nodes[n]
        node.clear()
        node.update(attrs)
    else:
        g.add_node(n, **attrs)

