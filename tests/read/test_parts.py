"""Graph parts: a whole store read at once holds what reading each graph by lookups holds."""

from __future__ import annotations

import pyoxigraph as ox

from kgraph.graph.store import GraphStore
from kgraph.read.common import DCT, KG, ORG, RDF, SKOS, XSD
from kgraph.read.parts import DEFAULT_GRAPH, read_parts
from tests.read.graphs import BASE, council_graph

D = BASE + "council/kent-county-council/decision/19-00900"
ODD = BASE + "document/odd"


def _sorted(parts: dict) -> dict:
    return {g: {k: sorted(rows) for k, rows in part.items()} for g, part in parts.items() if part}


def _by_lookups(store: GraphStore) -> dict:
    graphs = [*store.named_graphs(), DEFAULT_GRAPH]
    return read_parts(store, graphs)


def test_a_store_read_at_once_equals_its_graphs_read_one_by_one():
    store = council_graph(12)
    assert _sorted(read_parts(store)) == _sorted(_by_lookups(store))


def test_values_with_spaces_escapes_languages_and_blank_nodes():
    store = council_graph(3)
    store.replace_graph(ODD, "\n".join([
        f'<{D}> <{RDF}type> <{KG}Decision> .',
        f'<{D}> <{DCT}identifier> "19-00900" .',
        f'<{D}> <{DCT}identifier> "19-00900"@en .',
        f'<{D}> <{DCT}identifier> "19 00900"^^<{XSD}token> .',
        f'<{D}> <{DCT}title> "100%20 of  care % done %25" .',
        f'<{D}> <{DCT}title> "" .',
        f'<{D}> <{DCT}title> "tab\\there\\nnewline" .',
        f'<{D}> <{KG}namesOrganisation> _:someone .',
        f'<{BASE}org/x> <{RDF}type> <{ORG}Organization> .',
        f'<{BASE}org/x> <{SKOS}prefLabel> "X  Ltd"@en .',
    ]))
    store.ox.add(ox.Quad(ox.NamedNode(D), ox.NamedNode(DCT + "date"),
                         ox.Literal("2019-02-03", datatype=ox.NamedNode(XSD + "date"))))  # the default graph
    at_once = read_parts(store)
    assert _sorted(at_once) == _sorted(_by_lookups(store))
    assert sorted(at_once[ODD]["title"]) == [(D, ""), (D, "100%20 of  care % done %25"), (D, "tab\there\nnewline")]
    assert sorted(at_once[ODD]["ident"]) == [(D, "19 00900", False), (D, "19-00900", False), (D, "19-00900", True)]
    assert at_once[DEFAULT_GRAPH] == {"date": [(D, "2019-02-03")]}
    assert len(at_once[ODD]["names"]) == 1  # the blank node, read by lookups
