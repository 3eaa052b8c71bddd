"""Funding flows: one flow, and the filtered list largest first (``GET /funding``).

Flows are ranked once per store revision in the :class:`~kgraph.read.index.ReadIndex`; a
request walks that ranking (or the few flows of a party or decision) and reads only the
page's flows from the store.

>>> from kgraph.graph.store import GraphStore
>>> from kgraph.read.common import RDF, XSD
>>> store = GraphStore.in_memory()
>>> f, a = "https://w3id.org/kgraph/id/document/abc/funding/1", "https://w3id.org/kgraph/id/document/abc/amount/1"
>>> store.replace_graph("https://w3id.org/kgraph/id/document/abc",
...     f'<{f}> <{RDF}type> <{KG}FundingFlow> ; <{SCHEMA}amount> <{a}> . '
...     f'<{a}> <{SCHEMA}value> "1200000"^^<{XSD}integer> ; <{KG}period> "annual" .')
>>> [(x["amount"]["gbp"], x["amount"]["period"]) for x in list_funding(store)["items"]]
[(1200000, 'annual')]
>>> list_funding(store, min_gbp=2_000_000)["items"]
[]
"""

from __future__ import annotations

import pyoxigraph as ox

from kgraph.errors import NotFoundError
from kgraph.graph.store import GraphStore
from kgraph.read.common import (
    DCT,
    DEFAULT_LIMIT,
    KG,
    SCHEMA,
    doc_id,
    evidence_json,
    first,
    org_ref,
    organisation_names,
    statement_rows,
)
from kgraph.read.decisions import decision_iri
from kgraph.read.ids import SLUG, org_iri
from kgraph.read.index import FlowRecord, ReadIndex, index_of, walk

__all__ = ["funding_flow", "list_funding", "decision_funding"]

_PARTY = {"funder": (SCHEMA + "funder",), "recipient": (KG + "recipient",),
          "intermediary": (KG + "intermediary",),
          "organisation": (SCHEMA + "funder", KG + "recipient", KG + "intermediary")}


def funding_flow(store: GraphStore, iri: str, names: dict[str, str] | None = None) -> dict:
    """One funding flow: amount (whole pounds, as written, period), funder, recipient,
    intermediary, purpose, the decision it belongs to, and its evidence span."""
    names = organisation_names(store) if names is None else names
    node = ox.NamedNode(iri)
    quad = next(iter(store.ox.quads_for_pattern(node, ox.NamedNode(SCHEMA + "amount"), None, None)), None)
    if quad is None:
        raise NotFoundError("KG401", iri, "no funding flow with this id")
    amt = quad.object.value
    one = lambda s, p: first(store, s, (p,))  # noqa: E731
    base = store.base_iri
    decisions = sorted(q.subject.value for q in store.ox.quads_for_pattern(
        None, ox.NamedNode(KG + "hasFunding"), node, None) if isinstance(q.graph_name, ox.NamedNode))
    evidence = [evidence_json(r) for r in statement_rows(store, iri)]
    gbp = one(amt, SCHEMA + "value")
    return {
        "id": iri, "document": doc_id(quad.graph_name.value),
        "amount": {"gbp": int(gbp) if gbp is not None else 0, "text": one(amt, KG + "surfaceText"),
                   "period": one(iri, KG + "period") or one(amt, KG + "period"),
                   "is_total": one(amt, KG + "isTotal") == "true", "table_row": one(amt, KG + "tableRow")},
        "funder": org_ref(names, one(iri, SCHEMA + "funder"), base),
        "recipient": org_ref(names, one(iri, KG + "recipient"), base),
        "intermediary": org_ref(names, one(iri, KG + "intermediary"), base),
        "purpose": one(iri, KG + "purpose"),
        "decision": one(decisions[0], DCT + "identifier") if decisions else None,
        "evidence": next((e for e in evidence if e is not None), None),
    }


def _from_record(index: ReadIndex, iri: str, rec: FlowRecord) -> dict:
    """A flow as :func:`funding_flow` renders it, from the index alone."""
    names = index.org_name
    base = index.base_iri

    def ref(org: str | None) -> dict | None:
        return org_ref(names, org, base) if org is not None and org in names else (
            None if org is None else org_ref({org: None}, org, base))

    ev = rec.evidence
    return {
        "id": iri, "document": rec.document,
        "amount": {"gbp": rec.gbp, "text": rec.text, "period": rec.period, "is_total": rec.is_total,
                   "table_row": rec.table_row},
        "funder": ref(rec.funder), "recipient": ref(rec.recipient), "intermediary": ref(rec.intermediary),
        "purpose": rec.purpose, "decision": rec.decision,
        "evidence": None if ev is None else {"document": ev[0], "start": ev[1], "end": ev[2], "exact": ev[3]},
    }


def list_funding(store: GraphStore, *, funder: str | None = None, recipient: str | None = None,
                 intermediary: str | None = None, organisation: str | None = None,
                 decision: str | None = None, period: str | None = None,
                 min_gbp: int | None = None, max_gbp: int | None = None,
                 include_totals: bool = True, offset: int = 0, limit: int = DEFAULT_LIMIT) -> dict:
    """Funding flows, largest first, filtered by funder / recipient / intermediary /
    any-party organisation slug, decision id, period and amount range.

    Returns ``{"items": [flow...], "has_more": bool}``.
    """
    index = index_of(store)
    parties = {"funder": funder, "recipient": recipient, "intermediary": intermediary,
               "organisation": organisation}
    members: set[str] | None = None
    if decision is not None:
        try:
            members = set(index.funding_of.get(decision_iri(store, decision), ()))
        except NotFoundError:
            return {"items": [], "has_more": False}
    for key, slug in parties.items():
        if slug is None:
            continue
        found: set[str] = set()
        if SLUG.match(slug):
            for p in _PARTY[key]:
                found |= index.by_party.get((p, org_iri(store.base_iri, slug)), set())
        members = found if members is None else members & found

    ordered = index.ranked
    if members is not None and (len(members) * 8 < len(ordered) or not members.issubset(index.flows)):
        ordered = sorted((-index.flow_of(store, f)[0], f) for f in members)

    def keep(item: tuple[int, str]) -> bool:
        flow = item[1]
        if members is not None and flow not in members:
            return False
        gbp, flow_period, total = index.flow_of(store, flow)
        return not ((period is not None and flow_period != period) or (min_gbp is not None and gbp < min_gbp)
                    or (max_gbp is not None and gbp > max_gbp) or (total and not include_totals))

    if members is None and period is None and min_gbp is None and max_gbp is None and include_totals:
        page, more = ordered[offset:offset + limit], len(ordered) > offset + limit  # no filter: a slice
    else:
        page, more = walk(ordered, keep, offset, limit)
    names = organisation_names(store)
    return {"items": [_from_record(index, f, index.flows[f]) if f in index.flows else funding_flow(store, f, names)
                      for _, f in page], "has_more": more}


def decision_funding(store: GraphStore, iri: str) -> list[dict]:
    """Every funding flow of the decision ``iri``, largest first."""
    flows = {q.object.value for q in store.ox.quads_for_pattern(
        ox.NamedNode(iri), ox.NamedNode(KG + "hasFunding"), None, None)}
    index = index_of(store)
    names = organisation_names(store)
    out = [_from_record(index, f, index.flows[f]) if f in index.flows else funding_flow(store, f, names)
           for f in flows]
    out.sort(key=lambda f: (-f["amount"]["gbp"], f["id"]))
    return out
