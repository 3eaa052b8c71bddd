"""Decisions: ids, summaries and the filtered, paged list (``GET /decisions``).

Candidates come from the :class:`~kgraph.read.index.ReadIndex` (by organisation, legislation,
date and text), in id order; only the page's decisions are read from the store.

>>> from kgraph.graph.store import GraphStore
>>> from kgraph.read.common import RDF
>>> store = GraphStore.in_memory()
>>> d = "https://w3id.org/kgraph/id/council/kent-county-council/decision/19-00076"
>>> store.replace_graph("https://w3id.org/kgraph/id/document/abc",
...     f'<{d}> <{RDF}type> <{KG}Decision> ; <{DCT}identifier> "19-00076" ; '
...     f'<{KG}decisionNumber> "19/00076" ; <{DCT}title> "CYP mental health" .')
>>> decision_iri(store, "19%2F00076") == d
True
>>> [x["number"] for x in list_decisions(store, q="MENTAL")["items"]]
['19/00076']
>>> list_decisions(store, q='"} ; DROP ALL #')["items"]
[]
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import pyoxigraph as ox

from kgraph.errors import NotFoundError
from kgraph.graph.store import GraphStore
from kgraph.iris import decision_key
from kgraph.read.common import DCT, DEFAULT_LIMIT, KG
from kgraph.read.ids import SLUG, LegislationRef, org_iri
from kgraph.read.index import ReadIndex, Summary, index_of, walk
from kgraph.read.search import SEPARATOR

#: A filter keeping at most one decision in this many is applied by sorting the decisions it
#: keeps; a less selective one by walking the list in id order (see :func:`list_decisions`).
SELECTIVE = 8

__all__ = ["decision_iri", "decision_summary", "list_decisions", "citing_lists"]


def decision_iri(store: GraphStore, ident: str) -> str:
    """The IRI of the decision ``ident`` (``19/00076``, ``19-00076``, ``19%2F00076``, or an
    unnumbered decision's id); ``NotFoundError`` KG401 if there is none."""
    iri = index_of(store).decision_by_key.get(decision_key(ident))
    if iri is None:
        raise NotFoundError("KG401", ident, "no decision with this id")
    return iri


def decision_summary(store: GraphStore, iri: str) -> dict:
    """Id, number, title, date and status of the decision ``iri`` (merged over its documents:
    the least value of each). A decision recorded as taken anywhere is ``taken``; otherwise the
    least status found. Without a ``dct:identifier`` only the id (the IRI's last segment) is known."""
    s = index_of(store).summary.get(iri)
    if s is None:
        s = _summary_lookup(store, iri)
    if s is None:
        return {"id": iri.rsplit("/", 1)[-1], "iri": iri, "number": None, "title": None, "date": None,
                "status": None}
    return {"id": s[0], "iri": iri, "number": s[1], "title": s[2], "date": s[3], "status": s[4]}


def _summary_lookup(store: GraphStore, iri: str) -> Summary | None:
    """The summary of a subject the index does not list (an IRI outside ``/decision/``), by lookups."""
    node = ox.NamedNode(iri)

    def all_of(p: str) -> set[str]:
        return {q.object.value for q in store.ox.quads_for_pattern(node, ox.NamedNode(p), None, None)}

    keys = all_of(DCT + "identifier")
    if not keys:
        return None
    statuses = all_of(KG + "status")
    return (min(keys), min(all_of(KG + "decisionNumber"), default=None), min(all_of(DCT + "title"), default=None),
            min(all_of(DCT + "date"), default=None),
            "taken" if "taken" in statuses else (min(statuses) if statuses else None))


def citing_lists(index: ReadIndex, ref: LegislationRef) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """``(relation, provision, [(decision id, decision IRI)...])`` for the provision ``ref`` or,
    for an Act, the Act and every provision of it, relied on (``based_on``) or cited
    (``cites``); each list sorted."""
    provisions = [ref.iri]
    if ref.is_act:
        provisions += sorted(index.parts.get(ref.iri, ()))
    out = []
    for prov in provisions:
        rels = index.citing.get(prov, {})
        out += [(rel, prov, rels[rel]) for rel in ("based_on", "cites") if rel in rels]
    return out


def list_decisions(store: GraphStore, *, organisation: str | None = None,
                   legislation: LegislationRef | None = None, date_from: date | None = None,
                   date_to: date | None = None, q: str | None = None,
                   offset: int = 0, limit: int = DEFAULT_LIMIT) -> dict:
    """Decisions (ordered by id), filtered by organisation slug (named in the decision's papers),
    legislation (relied on or cited; an Act matches any of its provisions), date range
    (inclusive) and text (case-insensitive, in title, number or id).

    Returns ``{"items": [summary...], "has_more": bool}``.
    """
    index = index_of(store)
    members: set[str] | None = None
    if organisation is not None:
        members = set(index.by_org.get(org_iri(store.base_iri, organisation), ())) \
            if SLUG.match(organisation) else set()
    if legislation is not None:
        cited = index.remember(("cited", legislation.iri), lambda: frozenset(
            d for _, _, ds in citing_lists(index, legislation) for _, d in ds))
        members = cited if members is None else members & cited
    summaries = index.summary
    lo = date_from.isoformat() if date_from else None
    hi = date_to.isoformat() if date_to else None
    needle = q.casefold() if q is not None else None
    search = index.search
    assert search is not None

    def keep(item: tuple[str, str]) -> bool:
        d = item[1]
        if members is not None and d not in members:
            return False
        if lo or hi:
            day = summaries[d][3]
            if day is None or (lo and day < lo) or (hi and day > hi):
                return False
        if needle is None:
            return True
        if "\x00" in needle:  # cannot straddle two fields of the joined text
            return any(needle in (t or "").casefold() for t in (summaries[d][2], summaries[d][1], summaries[d][0]))
        return needle in index.text[d]

    listed = index.listed
    few = len(listed) // SELECTIVE
    dated = search.date_positions(lo, hi) if lo or hi else None
    ordered: Iterable[tuple[str, str]] = listed
    if members is not None and len(members) <= few:
        ordered = sorted((summaries[d][0], d) for d in members if d in summaries)
    elif dated is not None and (needle is None or len(dated) <= few):
        if members is None and needle is None:  # the date range is the only filter: the page is a slice
            page = [listed[i] for i in dated[offset:offset + limit].tolist()]
            return {"items": [decision_summary(store, d) for _, d in page], "has_more": len(dated) > offset + limit}
        ordered = (listed[i] for i in dated.tolist())
    elif needle and "\x00" not in needle and SEPARATOR not in needle:
        ordered = (listed[i] for i in search.text_positions(needle))
    elif members is None and needle is None:  # no filter: the page is a slice
        page = listed[offset:offset + limit]
        return {"items": [decision_summary(store, d) for _, d in page], "has_more": len(listed) > offset + limit}
    page, more = walk(ordered, keep, offset, limit)
    return {"items": [decision_summary(store, d) for _, d in page], "has_more": more}
