"""Legislation: a decision's statutory basis (``GET /decisions/{id}/basis``) and the decisions
relying on or citing a provision or an Act, paged (``GET /legislation/{id}/decisions``).

The citing decisions come sorted from the :class:`~kgraph.read.index.ReadIndex` (one list per
provision and relation, merged lazily), so a page reads the evidence of its own items only.

>>> from kgraph.graph.store import GraphStore
>>> from kgraph.read.common import DCT, KG, RDF
>>> store = GraphStore.in_memory()
>>> d = "https://w3id.org/kgraph/id/council/kent-county-council/decision/19-00076"
>>> s76 = "http://www.legislation.gov.uk/id/ukpga/2006/41/section/76"
>>> store.replace_graph("https://w3id.org/kgraph/id/document/abc",
...     f'<{d}> <{RDF}type> <{KG}Decision> ; <{DCT}identifier> "19-00076" ; <{ELI}based_on> <{s76}> . '
...     f'<{s76}> <{ELI}is_part_of> <http://www.legislation.gov.uk/id/ukpga/2006/41> .')
>>> [p["path"] for p in basis(store, "19/00076")["relied_on"]]
['ukpga/2006/41/section/76']
>>> out = legislation_decisions(store, parse_legislation("ukpga/2006/41"))
>>> [(c["decision"]["id"], c["relation"]) for c in out["decisions"]], out["has_more"]
([('19-00076', 'based_on')], False)
"""

from __future__ import annotations

import bisect
import heapq
import itertools
from operator import itemgetter

import pyoxigraph as ox

from kgraph.errors import NotFoundError
from kgraph.graph.store import GraphStore
from kgraph.read.common import (
    DEFAULT_LIMIT,
    ELI,
    EVIDENCE,
    SKOS,
    evidence_json,
    fact_rows,
    first,
    rows,
)
from kgraph.read.decisions import citing_lists, decision_iri, decision_summary
from kgraph.read.ids import LEGISLATION_ID, LegislationRef, parse_legislation
from kgraph.read.index import index_of

__all__ = ["provision", "basis", "legislation_decisions", "skip"]

_RELATIONS = {ELI + "based_on": "based_on", ELI + "cites": "cites"}
_KEY = itemgetter(0)


def provision(store: GraphStore, iri: str) -> dict:
    """A provision's (or an Act's) id, path, legislation.gov.uk page, label and Act."""
    ref = parse_legislation(iri) if iri.startswith(LEGISLATION_ID) else None
    act = first(store, iri, (ELI + "is_part_of",))
    if act is None and ref is not None and ref.is_act:
        act = iri
    act_title = first(store, act, (ELI + "title",)) if act else None
    label = first(store, iri, (SKOS + "prefLabel",))
    return {"id": iri, "path": ref.path if ref else None, "url": ref.url if ref else None,
            "label": label or act_title, "act": act_title,
            "act_id": act or (ref.act_iri if ref else None)}


def _add_evidence(citation: dict, row) -> None:
    ev = evidence_json(row)
    if ev is not None and ev not in citation["evidence"]:
        citation["evidence"].append(ev)


def basis(store: GraphStore, ident: str) -> dict:
    """The statutory basis of a decision: provisions it relies on (``eli:based_on``) and those
    it merely cites (``eli:cites`` and never ``eli:based_on``), each with the quotes it rests on
    and its legislation.gov.uk link."""
    iri = decision_iri(store, ident)
    cites: dict[tuple[str, str], dict] = {}
    for r in fact_rows(store, ox.NamedNode(iri), tuple(_RELATIONS)):
        rel, prov = _RELATIONS[r["p"].value], r["o"].value
        c = cites.get((rel, prov))
        if c is None:
            c = cites[(rel, prov)] = provision(store, prov) | {"evidence": []}
        _add_evidence(c, r)
    for c in cites.values():
        c["evidence"].sort(key=lambda e: (e["document"], e["start"]))
    relied = sorted((c for (rel, _), c in cites.items() if rel == "based_on"), key=lambda c: c["id"])
    relied_ids = {c["id"] for c in relied}
    cited = sorted((c for (rel, _), c in cites.items() if rel == "cites" and c["id"] not in relied_ids),
                   key=lambda c: c["id"])
    return {"decision": decision_summary(store, iri), "relied_on": relied, "cited": cited}


def _page_evidence(store: GraphStore, keys: list[tuple[str, str, str]]) -> dict[tuple[str, str, str], list[dict]]:
    """Evidence of the statements ``d rel prov`` (``rdf:subject`` / ``rdf:predicate`` /
    ``rdf:object``) in the document graphs, for every ``(d, rel, prov)`` of a page: one query.

    The terms are IRIs read from the store (never a client's text), written as N-Triples terms.
    """
    out: dict[tuple[str, str, str], dict] = {k: {"evidence": []} for k in keys}
    if not keys:
        return {}
    values = " ".join(f"({ox.NamedNode(d)} {ox.NamedNode(ELI + rel)} {ox.NamedNode(prov)})" for d, rel, prov in keys)
    for r in rows(store, f"""SELECT ?d ?rel ?prov ?g ?ev ?exact ?start ?end WHERE {{
            VALUES (?d ?rel ?prov) {{ {values} }} GRAPH ?g {{
            ?st rdf:subject ?d ; rdf:predicate ?rel ; rdf:object ?prov ; kg:evidence ?ev . {EVIDENCE} }} }}"""):
        _add_evidence(out[(r["d"].value, _RELATIONS[r["rel"].value], r["prov"].value)], r)
    for c in out.values():
        c["evidence"].sort(key=lambda e: (e["document"], e["start"]))
    return {k: c["evidence"] for k, c in out.items()}


def _run(rel: str, prov: str, decisions: list[tuple[str, str]], start: int = 0):
    return ((key, rel, prov, d) for key, d in itertools.islice(decisions, start, None))


def _below(run: tuple[str, str, list[tuple[str, str]]], x: tuple[str, str, str, str], lo: int, hi: int) -> int:
    """How many of ``run``'s items ``lo .. hi`` come before ``x`` in the merged order."""
    rel, prov, items = run
    if (rel, prov) == (x[1], x[2]):
        return bisect.bisect_left(items, (x[0], x[3]), lo, hi) - lo
    if (rel, prov) < (x[1], x[2]):
        return bisect.bisect_right(items, x[0], lo, hi, key=_KEY) - lo
    return bisect.bisect_left(items, x[0], lo, hi, key=_KEY) - lo


def skip(runs: list[tuple[str, str, list[tuple[str, str]]]], offset: int) -> list[int]:
    """Where each run starts once the first ``offset`` items of their merge are skipped: the
    merge is ordered by ``(id, relation, provision, decision)`` and each run ``(relation,
    provision, [(id, decision)...])`` is sorted, so a pivot splits every run by bisection and
    the skipped items are found in about log² steps instead of read one by one.

    >>> runs = [("based_on", "a", [("1", "x"), ("3", "y")]), ("cites", "b", [("1", "x"), ("2", "z")])]
    >>> [skip(runs, k) for k in range(5)]
    [[0, 0], [1, 0], [1, 1], [1, 2], [2, 2]]
    """
    lo = [0] * len(runs)
    hi = [len(items) for _, _, items in runs]
    need = offset
    while need > 0:
        j = max(range(len(runs)), key=lambda i: hi[i] - lo[i], default=None)
        if j is None or hi[j] == lo[j]:
            break  # fewer items than the offset
        mid = (lo[j] + hi[j]) // 2
        key, d = runs[j][2][mid]
        pivot = (key, runs[j][0], runs[j][1], d)
        below = [_below(run, pivot, lo[i], hi[i]) for i, run in enumerate(runs)]
        if sum(below) < need:  # every item before the pivot, and the pivot, are skipped
            need -= sum(below) + 1
            lo = [lo[i] + below[i] for i in range(len(runs))]
            lo[j] = mid + 1
        else:  # the pivot and every item after it stay
            hi = [lo[i] + below[i] for i in range(len(runs))]
    return lo


def legislation_decisions(store: GraphStore, ref: LegislationRef, *, offset: int = 0,
                          limit: int = DEFAULT_LIMIT) -> dict:
    """Decisions that rely on or cite a provision, or any provision of an Act, with the
    relation, the provision and the quotes, by decision id (a page of ``limit`` from
    ``offset``; ``has_more`` says if more follow). ``NotFoundError`` KG401 if the graph never
    mentions the legislation."""
    leg = ox.NamedNode(ref.iri)
    known = next(iter(store.ox.quads_for_pattern(leg, None, None, None)), None) or \
        next(iter(store.ox.quads_for_pattern(None, None, leg, None)), None)
    if known is None:
        raise NotFoundError("KG401", ref.path, "no legislation with this id in the graph")
    index = index_of(store)
    lists = [(rel, prov, ds) for rel, prov, ds in citing_lists(index, ref)]
    starts = skip(lists, offset)
    runs = [_run(rel, prov, ds, start) for (rel, prov, ds), start in zip(lists, starts, strict=True)]
    window = list(itertools.islice(heapq.merge(*runs), limit + 1))
    provisions: dict[str, dict] = {}
    summaries: dict[str, dict] = {}
    items = []
    evidence = _page_evidence(store, [(d, rel, prov) for _, rel, prov, d in window[:limit]])
    for _, rel, prov, d in window[:limit]:
        if prov not in provisions:
            info = provision(store, prov)
            provisions[prov] = {k: info[k] for k in ("id", "path", "url", "label", "act", "act_id")}
        if d not in summaries:
            summaries[d] = decision_summary(store, d)
        items.append({"decision": summaries[d], "relation": rel, "provision": provisions[prov],
                      "evidence": evidence[(d, rel, prov)]})
    info = provision(store, ref.iri)
    return {"legislation": info | {"is_act": ref.is_act}, "decisions": items, "has_more": len(window) > limit}
