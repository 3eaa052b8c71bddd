"""Decision lineage with networkx: where a decision came from and what replaced it.

The graph, its index over the store and its five export formats share one node/edge model;
they are kept together so a change to that model is made once.

A :class:`Lineage` is a ``networkx.MultiDiGraph`` whose nodes are decisions, the reports
that propose them and the agreements they set up or change, and whose edges are the
reified links of the graph (type, rule, confidence, evidence). Decision-to-decision edges
point from the later decision to the earlier one, so *up* (ancestors) follows edges and
*down* (descendants) follows them backwards.

Build it from the store (:meth:`Lineage.from_store`, a few SPARQL queries) or from the
extraction facts (:meth:`Lineage.from_facts`); :class:`LineageIndex` keeps one in step
with a store, updating it by the graphs each write changed (:mod:`kgraph.read.lineage_rows`).
Where several nodes claim one id the least IRI answers it, and of equally recent decisions the
least IRI heads a chain, so a graph read in any order answers the same.

>>> facts = [{"document": {"id": "d1", "iri": "D1", "kind": "RecordOfDecision", "source": "a.txt"},
...   "decisions": [{"iri": "X/decision/19-00002", "id": "19-00002", "number": "19/00002",
...                  "title": "Home care", "date": "2019-05-01", "status": "taken", "role": "records"},
...                 {"iri": "X/decision/18-00001", "id": "18-00001", "number": "18/00001",
...                  "title": "Home care", "role": "references"}],
...   "decision_links": [{"from": "X/decision/19-00002", "to": "X/decision/18-00001",
...       "type": "supersedes", "rule": "explicit-supersedes-cue", "confidence": 0.95,
...       "evidence": {"document": "d1", "start": 0, "end": 9, "quote": "It replaces 18/00001."}}]}]
>>> lin = Lineage.from_facts(facts)
>>> lin.ancestors("19/00002"), lin.descendants("18-00001"), lin.head("18%2F00001")
(['18-00001'], ['19-00002'], '19-00002')
>>> view = lin.view("19-00002")
>>> [(e["from"], e["type"], e["to"]) for e in view["edges"]]
[('19-00002', 'supersedes', '18-00001')]
>>> print(to_mermaid(view).splitlines()[0])
flowchart BT
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import re
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable

import networkx as nx

from kgraph.errors import NotFoundError
from kgraph.extract.profiles import number_year
from kgraph.iris import decision_key

# decision-to-decision edge types (ancestors / descendants follow them) and those along which a
# decision is carried on by a later one (the chain's head): the linking stage's own lists
from kgraph.link.registry import LINEAGE_TYPES as DECISION_EDGES
from kgraph.link.registry import SUCCESSION_TYPES as SUCCESSION_EDGES
from kgraph.read.keeper import Kept
from kgraph.vocab import PREFIXES

KG = PREFIXES["kg"]

#: Context edges shown next to the decisions they touch: report → decision, agreement → decision.
CONTEXT_EDGES = ("proposes", "setUpBy", "changedBy", "variedBy", "endedBy")
#: Most nodes one lineage view returns (the view says ``truncated`` when it is cut).
MAX_VIEW_NODES = 1000
#: Least seconds between two checks of the store's catalog by a :class:`LineageIndex`.
DEFAULT_RECHECK_S = 1.0
FORMATS = ("json", "jsonld", "graphml", "dot", "mermaid")
MEDIA_TYPES = {"json": "application/json", "jsonld": "application/ld+json",
               "graphml": "application/graphml+xml", "dot": "text/vnd.graphviz; charset=utf-8",
               "mermaid": "text/plain; charset=utf-8"}

_YEAR_ID = re.compile(r"^(\d{4})-")


def _year(number: str | None, local: str, date: str | None) -> int | None:
    if date:
        return int(date[:4])
    if number_year(number):
        return number_year(number)
    m = _YEAR_ID.match(local)
    return int(m.group(1)) if m else None


def _local(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1]


def _locked(method):
    """Run a query method under the lineage's lock (an update in place holds it)."""
    @functools.wraps(method)
    def run(self, *args, **kwargs):
        with self.lock:
            return method(self, *args, **kwargs)
    return run


class Lineage:
    """Lineage queries over a ``networkx.MultiDiGraph`` of decisions, reports and agreements."""

    def __init__(self, graph: nx.MultiDiGraph):
        self.g = graph
        self.lock = threading.RLock()
        self._heads: dict[str, str] | None = None
        self._by_key: dict[str, str] = {}
        #: id → nodes claiming it; node → ids it claims (its IRI, id and decision number).
        self._claims: dict[str, set[str]] = {}
        self._claimed: dict[str, tuple[str, ...]] = {}
        # what each graph of a store said (see kgraph.read.lineage_rows): rows, the graphs
        # describing each node, the edges each graph made, the graphs citing each document
        self.rows: dict = {}
        self.node_graphs: dict[str, set[str]] = {}
        self.edges_of: dict[str, list[tuple[str, str, str]]] = {}
        self.cited_by: dict[str, set[str]] = {}
        self.update_s = 0.0
        self.reindex(graph.nodes)

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        del state["lock"]
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self.lock = threading.RLock()

    def reindex(self, nodes: Iterable[str]) -> None:
        """Bring the ids and chain heads of ``nodes`` (added, changed or removed) up to date."""
        nodes = list(nodes)
        for n in nodes:
            for k in self._claimed.pop(n, ()):
                claimants = self._claims[k]
                claimants.discard(n)
                if claimants:
                    self._by_key[k] = min(claimants)
                else:
                    del self._claims[k], self._by_key[k]
            if n in self.g:
                a = self.g.nodes[n]
                keys = tuple(dict.fromkeys((n, a["id"]) + ((decision_key(a["number"]),) if a.get("number") else ())))
                self._claimed[n] = keys
                for k in keys:
                    claimants = self._claims.setdefault(k, set())
                    claimants.add(n)
                    self._by_key[k] = min(claimants)
        if self._heads is not None:
            self._recompute_heads(nodes)

    # ------------------------------------------------------------------ building

    @classmethod
    def from_facts(cls, facts: Iterable[dict]) -> Lineage:
        """From extraction facts (the ``decisions``, ``decision_links`` and ``agreements``)."""
        b = _GraphBuilder()
        facts = list(facts)
        docs = {f["document"]["id"]: f["document"] for f in facts}
        for f in facts:
            d = f["document"]
            for dec in f["decisions"]:
                b.decision(dec["iri"], dec["id"], dec.get("number"), dec.get("title"), dec.get("date"),
                           dec.get("status"), recorded=dec["role"] == "records",
                           year=dec.get("year"))
            for a in f.get("agreements", []):
                b.node(a["iri"], a["id"], "Agreement", title=a["label"],
                       date=(a.get("start_date") or {}).get("date"), agreement_kind=a["kind"])
            if d.get("kind") == "CommitteeReport":
                b.node(d["iri"], d["id"], "Report", title=d.get("title"), source=d.get("source"))
        for f in facts:
            for ln in f.get("decision_links", []):
                b.edge(ln["from"], ln["to"], ln["type"], ln["rule"], ln["confidence"],
                       _evidence(ln["evidence"], docs), _also(ln))
            for a in f.get("agreements", []):
                for r in a["relations"]:
                    b.edge(a["iri"], r["decision"], r["type"], r["rule"], r["confidence"],
                           _evidence(r["evidence"], docs), _also(r))
        return cls(b.g)

    @classmethod
    def from_store(cls, store) -> Lineage:
        """From a :class:`~kgraph.graph.store.GraphStore`: decisions, reports, agreements and every
        reified ``kg:DecisionLink`` / ``kg:AgreementLink`` with its evidence (heads computed)."""
        from kgraph.read.lineage_rows import build  # it builds on this module

        return build(store)

    # ------------------------------------------------------------------ queries

    @_locked
    def resolve(self, ident: str) -> str:
        """The node for an id as users write it: ``19/00076``, ``19-00076``, ``19%2F00076``,
        an unnumbered decision's id, an agreement id, or a full IRI. Unknown ids raise KG401."""
        key = self._by_key.get(ident) or self._by_key.get(decision_key(ident))
        if key is None:
            raise NotFoundError("KG401", ident, f"no decision, report or agreement with id {ident!r} "
                                "in the lineage graph (try a decision number such as 19/00076)")
        return key

    def _walk(self, start: str, up: bool, depth: int | None) -> dict[str, int]:
        seen = {start: 0}
        todo = deque([start])
        adj = self.g.succ if up else self.g.pred
        while todo:
            n = todo.popleft()
            if depth is not None and seen[n] >= depth:
                continue
            for m, edges in adj[n].items():
                if m in seen or not any(e["type"] in DECISION_EDGES for e in edges.values()):
                    continue
                seen[m] = seen[n] + 1
                todo.append(m)
        return seen

    @_locked
    def ancestors(self, ident: str, depth: int | None = None) -> list[str]:
        """Ids of the earlier decisions this one comes from (following edges), nearest first."""
        start = self.resolve(ident)
        seen = self._walk(start, True, depth)
        return [self.g.nodes[n]["id"] for n in sorted(seen, key=seen.get) if n != start]

    @_locked
    def descendants(self, ident: str, depth: int | None = None) -> list[str]:
        """Ids of the later decisions that come from this one, nearest first."""
        start = self.resolve(ident)
        seen = self._walk(start, False, depth)
        return [self.g.nodes[n]["id"] for n in sorted(seen, key=seen.get) if n != start]

    @_locked
    def head(self, ident: str) -> str:
        """The chain's current head: the latest decision reached from this one along succession
        edges (supersedes, amends, varies, extends, followsOn, endsAgreementOf) taken backwards, that no
        later decision carries on. Computed for every node at once, on first use."""
        start = self.resolve(ident)
        if self._heads is None:
            self._recompute_heads(None)
        assert self._heads is not None
        return self.g.nodes[self._heads.get(start, start)]["id"]

    @_locked
    def prepare(self) -> Lineage:
        """Compute what queries share (every node's head) now rather than on first use."""
        if self._heads is None:
            self._recompute_heads(None)
        return self

    def _succession(self, u: str) -> list[str]:
        return [v for v, keyed in self.g.succ[u].items() if any(e["type"] in SUCCESSION_EDGES for e in keyed.values())]

    def _recompute_heads(self, start: Iterable[str] | None) -> None:
        """Every node's head (``start`` None), or again those of the nodes a change at ``start``
        can reach along succession edges (the heads of all others cannot have changed)."""
        g = self.g
        if start is None or self._heads is None:
            region, heads = set(g.nodes), {}
        else:
            heads = self._heads
            todo = [n for n in start if n in g]
            region = set(todo)
            while todo:
                for v in self._succession(todo.pop()):
                    if v not in region:
                        region.add(v)
                        todo.append(v)
            for n in start:
                heads.pop(n, None)
        succ = nx.DiGraph()
        outside: dict[str, list[str]] = {}
        for u in region:
            heads.pop(u, None)
            succ.add_edges_from((u, v) for v in self._succession(u))
            for p, keyed in g.pred[u].items():
                if p not in region and any(e["type"] in SUCCESSION_EDGES for e in keyed.values()):
                    outside.setdefault(u, []).append(p)
        succ.add_nodes_from(outside)
        cond = nx.condensation(succ)  # cycles (undated decisions) collapse into one component
        members = cond.graph["mapping"]
        best: dict[int, str] = {}
        # components with no predecessor hold heads; a head's best is its latest member
        for c in nx.topological_sort(cond):
            own = cond.nodes[c]["members"]
            cands = [best[p] for p in cond.predecessors(c)]
            cands += [heads[p] for m in own for p in outside.get(m, ())]
            if not cands:
                cands = list(own)
            best[c] = max(cands, key=self._rank)
        heads.update((n, best[members[n]]) for n in succ)
        self._heads = heads

    def _when(self, n: str) -> tuple:
        a = self.g.nodes[n]
        return (a.get("year") or 0, a.get("date") or "", a.get("number") or "")

    def _rank(self, n: str) -> tuple:
        return (self._when(n), n)

    @_locked
    def timeline(self, ident: str) -> list[dict]:
        """Every decision in this decision's lineage (both ways), oldest first."""
        start = self.resolve(ident)
        nodes = set(self._walk(start, True, None)) | set(self._walk(start, False, None))
        return [self.node(n) for n in sorted(nodes, key=self._when)]

    @_locked
    def explain(self, a: str, b: str) -> list[dict]:
        """The shortest chain of edges (either direction) that connects two decisions.

        Raises KG401 when they are not connected."""
        x, y = self.resolve(a), self.resolve(b)
        try:
            path = nx.shortest_path(self.g.to_undirected(as_view=True), x, y)
        except nx.NetworkXNoPath:
            raise NotFoundError("KG401", f"{a} … {b}", "no lineage path connects these decisions") from None
        out = []
        for u, v in zip(path, path[1:], strict=False):
            cands = [(u, v, e) for e in self.g.get_edge_data(u, v, default={}).values()]
            cands += [(v, u, e) for e in self.g.get_edge_data(v, u, default={}).values()]
            s, o, e = max(cands, key=lambda c: c[2]["confidence"])
            out.append(self._edge(s, o, e))
        return out

    def node(self, n: str) -> dict:
        a = self.g.nodes[n]
        out = {k: a.get(k) for k in ("id", "iri", "number", "title", "date", "year", "status", "kind")}
        if a.get("agreement_kind"):
            out["agreement_kind"] = a["agreement_kind"]
        return out

    def _edge(self, s: str, o: str, e: dict) -> dict:
        return {"from": self.g.nodes[s]["id"], "to": self.g.nodes[o]["id"], "type": e["type"],
                "rule": e["rule"], "confidence": e["confidence"], "evidence": dict(e["evidence"]),
                "also": list(e["also"])}

    @_locked
    def view(self, ident: str, depth: int | None = None, direction: str = "both",
             limit: int = MAX_VIEW_NODES, context: bool = True) -> dict:
        """The lineage around a decision: ``{root, head, nodes, edges, truncated}``.

        ``direction`` is ``up`` (where it came from), ``down`` (what came after) or ``both``;
        ``depth`` bounds the hops (None: no bound). With ``context`` the reports proposing and
        the agreements touching the decisions shown are added, one hop away.
        """
        if direction not in ("up", "down", "both"):
            raise ValueError(f"direction must be up, down or both, not {direction!r}")
        start = self.resolve(ident)
        seen: dict[str, int] = {start: 0}
        if direction in ("up", "both"):
            seen.update(self._walk(start, True, depth))
        if direction in ("down", "both"):
            for n, d in self._walk(start, False, depth).items():
                seen.setdefault(n, d)
        ordered = sorted(seen, key=lambda n: (seen[n], self._when(n)))
        truncated = len(ordered) > limit
        keep = set(ordered[:limit])
        edges = []
        for n in keep:
            for _, m, e in self.g.out_edges(n, data=True):
                if m in keep and e["type"] in DECISION_EDGES:
                    edges.append(self._edge(n, m, e))
        extra: set[str] = set()
        if context:
            for n in list(keep):
                for m, _, e in self.g.in_edges(n, data=True):
                    if e["type"] in CONTEXT_EDGES and m not in keep:
                        extra.add(m)
                        edges.append(self._edge(m, n, e))
        nodes = [self.node(n) for n in sorted(keep, key=self._when)] + [self.node(n) for n in sorted(extra)]
        edges.sort(key=lambda e: (e["from"], e["to"], e["type"]))
        return {"root": self.g.nodes[start]["id"], "head": self.head(ident), "direction": direction,
                "depth": depth, "nodes": nodes, "edges": edges, "truncated": truncated}


def _also(link: dict) -> list[str]:
    """Other documents supporting a link (as the store keeps them: ids, not quotes)."""
    mine = link["evidence"]["document"]
    return sorted({a["document"] for a in link.get("also", [])} - {mine})


def _evidence(ev: dict, docs: dict[str, dict]) -> dict:
    d = docs.get(ev["document"], {})
    return {"document": ev["document"], "document_iri": d.get("iri"), "source": d.get("source"),
            "start": ev["start"], "end": ev["end"], "quote": ev["quote"]}


class _GraphBuilder:
    def __init__(self):
        self.g = nx.MultiDiGraph()
        self._recorded: set[str] = set()

    def node(self, iri: str, ident: str, kind: str, **attrs) -> None:
        if iri in self.g:
            cur = self.g.nodes[iri]
            for k, v in attrs.items():
                if cur.get(k) is None and v is not None:
                    cur[k] = v
            return
        self.g.add_node(iri, iri=iri, id=ident, kind=kind, number=None, status=None, year=None,
                        **{k: v for k, v in attrs.items()})
        if self.g.nodes[iri].get("date") and not self.g.nodes[iri].get("year"):
            self.g.nodes[iri]["year"] = int(self.g.nodes[iri]["date"][:4])

    def decision(self, iri: str, ident: str, number, title, date, status, *, recorded: bool,
                 year: int | None = None) -> None:
        attrs = {"number": number, "title": title, "date": date, "status": status,
                 "year": year or _year(number, ident, date)}
        if iri in self.g and recorded and iri not in self._recorded:
            cur = self.g.nodes[iri]
            cur.update({k: v for k, v in attrs.items() if v is not None})
        elif iri in self.g:
            cur = self.g.nodes[iri]
            for k, v in attrs.items():
                if cur.get(k) is None and v is not None:
                    cur[k] = v
        else:
            self.g.add_node(iri, iri=iri, id=ident, kind="Decision", **attrs)
        if recorded:
            self._recorded.add(iri)

    def edge(self, s: str, o: str, kind: str, rule: str, conf: float, ev: dict, also: list[str]) -> None:
        for n in (s, o):
            if n not in self.g:
                self.g.add_node(n, iri=n, id=_local(n), kind="Decision", number=None, title=None,
                                date=None, status=None, year=_year(None, _local(n), None))
        key = f"{kind}|{ev['document']}|{ev['start']}"
        self.g.add_edge(s, o, key=key, type=kind, rule=rule, confidence=round(float(conf), 3),
                        evidence=ev, also=also)


_P = "".join(f"PREFIX {p}: <{PREFIXES[p]}> " for p in ("kg", "dct", "rdf", "oa", "skos"))
_DOCS = _P + """SELECT ?doc ?id ?source ?title ?report WHERE {
  GRAPH ?doc { ?doc a kg:Document ; dct:identifier ?id .
    OPTIONAL { ?doc kg:source ?source } OPTIONAL { ?doc dct:title ?title }
    OPTIONAL { ?doc a kg:CommitteeReport BIND(true AS ?report) } } }"""
_DECISIONS = _P + """SELECT ?g ?d ?id ?number ?title ?date ?status ?rec WHERE {
  GRAPH ?g { ?d a kg:Decision ; dct:identifier ?id .
    OPTIONAL { ?d kg:decisionNumber ?number } OPTIONAL { ?d dct:title ?title }
    OPTIONAL { ?d dct:date ?date } OPTIONAL { ?d kg:status ?status }
    OPTIONAL { ?g kg:records ?d BIND(true AS ?rec) } } }"""
_AGREEMENTS = _P + """SELECT ?g ?a ?id ?label ?cls ?start WHERE {
  GRAPH ?g { ?a a kg:Agreement, ?cls ; dct:identifier ?id ; skos:prefLabel ?label .
    FILTER(?cls != kg:Agreement) OPTIONAL { ?a kg:startDate ?start } } }"""
_LINKS = _P + """SELECT ?g ?s ?p ?o ?rule ?conf ?start ?end ?quote
       (GROUP_CONCAT(DISTINCT STR(?doc2); separator=" ") AS ?also) WHERE {
  GRAPH ?g { ?st a ?cls ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
                 kg:rule ?rule ; kg:confidence ?conf ; kg:evidence ?ev .
    VALUES ?cls { kg:DecisionLink kg:AgreementLink }
    ?ev oa:hasSelector ?pos, ?q . ?pos oa:start ?start ; oa:end ?end . ?q oa:exact ?quote .
    OPTIONAL { ?st kg:alsoSupportedBy ?doc2 } } }
GROUP BY ?g ?s ?p ?o ?rule ?conf ?start ?end ?quote"""


def catalog_revision(store) -> str:
    """A digest of the store's catalog (document graphs and their hashes): it changes whenever
    a document graph is written or removed."""
    items = sorted(store.document_graphs().items())
    return hashlib.sha256(repr(items).encode()).hexdigest()


#: Version of the saved lineage index's layout (another version is rebuilt).
SAVED_VERSION = 2


def _build(store) -> Lineage:
    return Lineage.from_store(store).prepare()


def _update(lineage: object, store, graphs: set[str]) -> Lineage:
    from kgraph.read.lineage_rows import update

    assert isinstance(lineage, Lineage)
    return update(lineage, store, graphs)


class LineageIndex:
    """A :class:`Lineage` kept in step with a store (:class:`kgraph.read.keeper.Kept`): updated
    by the graphs written when ``revision()`` changes, rebuilt when they are not known.

    The first build in a process loads the index saved beside an on-disk store (brought up to
    date by the documents a build wrote since it was saved), and saves what it builds.

    ``revision`` defaults to :func:`catalog_revision` (its cost grows with the number of
    documents); ``recheck_s`` is the least time between two revision checks, so a change to
    the store is seen within that time (0: check on every call). Give a cheap exact revision
    (such as a write counter) and ``recheck_s=0`` where one exists, and ``changes(revision)``,
    the graphs written since a revision (None: unknown), to update rather than rebuild.

    >>> from kgraph.graph.store import GraphStore
    >>> index = LineageIndex(GraphStore.in_memory(), recheck_s=0)
    >>> index.get().g.number_of_nodes()
    0
    """

    def __init__(self, store, *, revision: Callable[[], object] | None = None,
                 recheck_s: float = DEFAULT_RECHECK_S,
                 changes: Callable[[object], frozenset[str] | None] | None = None):
        self.store = store
        self.revision = revision or (lambda: catalog_revision(store))
        self.recheck_s = recheck_s
        self.kept = Kept("lineage-index", SAVED_VERSION, build=_build, update=_update,
                         revision=self.revision, changes=changes)
        self._last: Lineage | None = None
        self._checked = 0.0

    def get(self) -> Lineage:
        now = time.monotonic()
        if self._last is not None and now - self._checked < self.recheck_s:
            return self._last
        lineage = self.kept.get(self.store)
        assert isinstance(lineage, Lineage)
        self._last, self._checked = lineage, now
        return lineage


# ---------------------------------------------------------------------- exports

def to_json(view: dict, pretty: bool = False) -> str:
    """The view as JSON (indented when ``pretty``)."""
    return json.dumps(view, ensure_ascii=False, indent=2 if pretty else None)


def to_jsonld(view: dict) -> str:
    """The view as JSON-LD: nodes with their typed edges, and each edge reified with its rule,
    confidence and evidence (``oa:TextQuoteSelector`` / ``oa:TextPositionSelector``)."""
    iris = {n["id"]: n["iri"] for n in view["nodes"]}
    graph: list[dict] = []
    for n in view["nodes"]:
        cls = {"Report": "CommitteeReport"}.get(n["kind"], n["kind"])
        obj: dict = {"@id": n["iri"], "@type": f"kg:{cls}", "dct:identifier": n["id"]}
        for k, p in (("number", "kg:decisionNumber"), ("title", "dct:title"), ("status", "kg:status")):
            if n.get(k):
                obj[p] = n[k]
        if n.get("date"):
            obj["dct:date"] = {"@value": n["date"], "@type": "xsd:date"}
        graph.append(obj)
    by_iri = {o["@id"]: o for o in graph}
    for e in view["edges"]:
        s, o = iris[e["from"]], iris[e["to"]]
        by_iri[s].setdefault(f"kg:{e['type']}", []).append({"@id": o})
        ev = e["evidence"]
        graph.append({
            "@type": ["rdf:Statement", "kg:DecisionLink"], "rdf:subject": {"@id": s},
            "rdf:predicate": {"@id": f"kg:{e['type']}"}, "rdf:object": {"@id": o},
            "kg:rule": e["rule"], "kg:confidence": {"@value": str(e["confidence"]), "@type": "xsd:decimal"},
            "kg:evidence": {"@type": "oa:SpecificResource",
                            "oa:hasSource": {"@id": ev.get("document_iri") or ev["document"]},
                            "oa:hasSelector": [
                                {"@type": "oa:TextQuoteSelector", "oa:exact": ev["quote"]},
                                {"@type": "oa:TextPositionSelector", "oa:start": ev["start"], "oa:end": ev["end"]}]},
        })
    context = {p: PREFIXES[p] for p in ("kg", "dct", "oa", "rdf", "xsd")}
    return json.dumps({"@context": context, "@graph": graph}, ensure_ascii=False, indent=2)


def to_graphml(view: dict) -> str:
    """The view as GraphML (node and edge attributes flattened; evidence as quote + offsets)."""
    g = nx.MultiDiGraph()
    for n in view["nodes"]:
        g.add_node(n["id"], **{k: v for k, v in n.items() if v is not None and k != "id"})
    for i, e in enumerate(view["edges"]):
        ev = e["evidence"]
        g.add_edge(e["from"], e["to"], key=str(i), type=e["type"], rule=e["rule"], confidence=e["confidence"],
                   document=ev["document"], start=ev["start"], end=ev["end"], quote=ev["quote"])
    buf = io.BytesIO()
    nx.write_graphml(g, buf, encoding="utf-8")
    return buf.getvalue().decode("utf-8")


def _label(n: dict) -> list[str]:
    head = n.get("number") or n["id"]
    title = n.get("title") or ""
    if len(title) > 60:
        title = title[:57] + "..."
    when = n.get("date") or (str(n["year"]) if n.get("year") else "")
    return [x for x in (f"{n['kind']} {head}", title, when) if x]


def to_dot(view: dict) -> str:
    """The view as Graphviz DOT (later decisions above earlier ones)."""
    def q(s: str) -> str:
        return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'

    shape = {"Decision": "box", "Report": "note", "Agreement": "component"}
    lines = ["digraph lineage {", "  rankdir=BT;", "  node [fontname=\"Helvetica\"];"]
    for n in view["nodes"]:
        label = '"' + "\\n".join(q(x)[1:-1] for x in _label(n)) + '"'
        lines.append(f"  {q(n['id'])} [label={label}, shape={shape.get(n['kind'], 'ellipse')}];")
    for e in view["edges"]:
        label = q(f"{e['type']} {e['confidence']}")
        lines.append(f"  {q(e['from'])} -> {q(e['to'])} [label={label}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def to_mermaid(view: dict) -> str:
    """The view as a Mermaid flowchart."""
    def q(s: str) -> str:
        return s.replace('"', "#quot;").replace("|", "#124;")

    ids = {n["id"]: f"n{i}" for i, n in enumerate(view["nodes"])}
    lines = ["flowchart BT"]
    for n in view["nodes"]:
        lines.append(f'  {ids[n["id"]]}["{"<br/>".join(q(x) for x in _label(n))}"]')
    for e in view["edges"]:
        lines.append(f'  {ids[e["from"]]} -->|"{e["type"]} {e["confidence"]}"| {ids[e["to"]]}')
    return "\n".join(lines) + "\n"


EXPORTS: dict[str, Callable[[dict], str]] = {"json": to_json, "jsonld": to_jsonld, "graphml": to_graphml,
                                             "dot": to_dot, "mermaid": to_mermaid}


def render(view: dict, fmt: str, *, pretty: bool = False) -> str:
    """The view in one of :data:`FORMATS` (JSON indented when ``pretty``)."""
    if fmt not in EXPORTS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    if fmt == "json":
        return to_json(view, pretty)
    return EXPORTS[fmt](view)
