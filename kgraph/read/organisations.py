"""Organisations: the list (``GET /organisations``) and one organisation with its aliases,
decisions and funding in, out and via (``GET /organisations/{id}``).

>>> from kgraph.graph.store import GraphStore
>>> from kgraph.read.common import RDF, SKOS
>>> store = GraphStore.in_memory()
>>> o = "https://w3id.org/kgraph/id/org/nelft"
>>> store.replace_graph("https://w3id.org/kgraph/id/document/abc",
...     f'<{o}> <{RDF}type> <{ORG}Organization> ; <{SKOS}prefLabel> "NELFT Trust" ; <{KG}surfaceForm> "N.E.L.F.T." .')
>>> [x["name"] for x in list_organisations(store, q="trust")["items"]]
['NELFT Trust']
>>> organisation(store, "nelft")["aliases"]
[{'label': 'N.E.L.F.T.', 'kinds': ['surfaceForm']}]
"""

from __future__ import annotations

import pyoxigraph as ox

from kgraph.errors import NotFoundError
from kgraph.graph.store import GraphStore
from kgraph.read.common import (
    DEFAULT_LIMIT,
    KG,
    NESTED_MAX,
    ORG,
    SKOS,
    first,
    org_ref,
    organisation_names,
)
from kgraph.read.decisions import list_decisions
from kgraph.read.funding import list_funding
from kgraph.read.ids import SLUG, org_iri
from kgraph.read.index import index_of, walk

__all__ = ["list_organisations", "organisation"]


def list_organisations(store: GraphStore, *, q: str | None = None, offset: int = 0,
                       limit: int = DEFAULT_LIMIT) -> dict:
    """Organisations (canonical nodes under ``{base}org/``) by id, optionally filtered by text
    in their name; ``{"items": [{"id", "iri", "name", "kind"}], "has_more"}``."""
    index = index_of(store)
    needle = q.casefold() if q is not None else None
    page, more = walk(index.orgs, lambda i: needle is None or needle in (index.org_name.get(i) or "").casefold(),
                      offset, limit)
    items = [org_ref(index.org_name, iri, store.base_iri) | {"kind": index.org_kind.get(iri)} for iri in page]
    return {"items": items, "has_more": more}


_ALIAS_KINDS = {SKOS + "altLabel": "altLabel", KG + "acronym": "acronym",
                SKOS + "hiddenLabel": "hiddenLabel", KG + "formerName": "formerName"}


def organisation(store: GraphStore, slug: str) -> dict:
    """An organisation: name, kind, parent, aliases (from the gazetteer: altLabel, acronym,
    hiddenLabel, formerName; and surface forms seen in documents), the decisions whose papers
    name it, and funding in (recipient), out (funder) and via (intermediary) with amounts and
    periods. Nested lists hold at most :data:`NESTED_MAX` items (``*_has_more`` says if there are more)."""
    if not SLUG.match(slug):
        raise NotFoundError("KG401", slug, "no organisation with this id")
    iri = org_iri(store.base_iri, slug)
    node = ox.NamedNode(iri)
    if next(iter(store.ox.quads_for_pattern(node, None, None, None)), None) is None:
        raise NotFoundError("KG401", slug, "no organisation with this id")
    onto = ox.NamedNode(store.base_iri + "graph/ontology")
    labels = [(q.predicate.value, q.object.value) for p in _ALIAS_KINDS
              for q in store.ox.quads_for_pattern(node, ox.NamedNode(p), None, onto)]
    labels += [(KG + "surfaceForm", label) for label in index_of(store).surface.get(iri, ())]
    names = organisation_names(store)
    kind = first(store, iri, (KG + "orgKind",))
    parents = sorted({q.object.value for q in store.ox.quads_for_pattern(
        node, ox.NamedNode(ORG + "subOrganizationOf"), None, None)})
    name = names[iri]
    aliases: dict[str, set[str]] = {}
    for p, value in labels:
        label = " ".join(value.split())
        if label != name:
            aliases.setdefault(label, set()).add(_ALIAS_KINDS.get(p, "surfaceForm"))
    decisions = list_decisions(store, organisation=slug, limit=NESTED_MAX)
    flows = {k: list_funding(store, **{k: slug}, limit=NESTED_MAX)
             for k in ("funder", "recipient", "intermediary")}
    return {
        "id": slug, "iri": iri, "name": name, "kind": kind,
        "part_of": [org_ref(names, p, store.base_iri) for p in parents],
        "aliases": [{"label": label, "kinds": sorted(kinds)} for label, kinds in sorted(aliases.items())],
        "decisions": decisions["items"], "decisions_has_more": decisions["has_more"],
        "funding": {"out": flows["funder"]["items"], "in": flows["recipient"]["items"],
                    "via": flows["intermediary"]["items"]},
        "funding_has_more": any(f["has_more"] for f in flows.values()),
    }
