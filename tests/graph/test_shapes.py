"""kgraph.graph.shapes: the compiled checks find exactly what pyshacl finds, on malformed graphs."""

from __future__ import annotations

import pytest
from rdflib import RDF, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS

from kgraph.graph.rdf import document_graph
from kgraph.graph.shapes import SH, UnsupportedShape, compile_shapes
from kgraph.graph.validate import check_graph, load_shapes, shacl_violations
from tests.graph.rich import TEXT, rich_facts

KG = Namespace("https://w3id.org/kgraph/def#")
OA = Namespace("http://www.w3.org/ns/oa#")
SCHEMA = Namespace("https://schema.org/")
ELI = Namespace("http://data.europa.eu/eli/ontology#")


def rich() -> Graph:
    return document_graph(rich_facts(), TEXT)


def same(g: Graph) -> set:
    fast = {v.key() for v in check_graph(g)}
    reference = {v.key() for v in shacl_violations(g)}
    assert fast == reference, {"only compiled": fast - reference, "only pyshacl": reference - fast}
    return fast


def _property_shapes():
    """(target class, path) of every property shape with a predicate path in shapes.ttl."""
    shapes = load_shapes()
    for ns in shapes.subjects(SH.targetClass, None):
        for ps in shapes.objects(ns, SH.property):
            path = shapes.value(ps, SH.path)
            if isinstance(path, URIRef):
                for cls in shapes.objects(ns, SH.targetClass):
                    yield cls, path


def _focus(g: Graph, cls) -> list:
    return sorted(g.subjects(RDF.type, cls), key=str)


def test_rich_graph_conforms_to_both():
    assert same(rich()) == set()


# every kind of bad value, put on every property of every shape at once (one graph per kind)
BAD_VALUES = {
    "removed": None,
    "extra-language-literal": Literal("bogus value", lang="xx"),
    "blank-node": BNode(),
    "negative-integer": Literal(-3, datatype=XSD.integer),
    "iri": URIRef("https://example.org/not-a-thing"),
    "ill-typed-integer": Literal("5m", datatype=XSD.integer),
    "empty-string": Literal(""),
    "too-big-decimal": Literal("1.5", datatype=XSD.decimal),
}


@pytest.mark.parametrize("kind", sorted(BAD_VALUES))
def test_every_property_broken_the_same_way(kind):
    g = rich()
    bad = BAD_VALUES[kind]
    for cls, path in _property_shapes():
        for node in _focus(g, cls):
            if bad is None:
                g.remove((node, path, None))
            else:
                g.add((node, path, bad))
    assert same(g), "the mutation breaks something"


MUTATIONS = {
    "provision label not of the grammar": lambda g, n: g.set((n["prov"], KG.provision, Literal("Sec. 76 of it"))),
    "provision of an unknown kind": lambda g, n: g.set((n["prov"], KG.provision, Literal("clause 4"))),
    "unresolved act not marked": lambda g, n: g.remove((n["widget"], KG.resolved, None)),
    "unresolved act marked true": lambda g, n: g.set((n["widget"], KG.resolved, Literal(True))),
    "planning reference as decision number": lambda g, n: g.set((n["old"], KG.decisionNumber, Literal("19/502510/FULL"))),
    "date as decision number": lambda g, n: g.set((n["old"], KG.decisionNumber, Literal("11/01/2019"))),
    "decision number without a digit": lambda g, n: g.set((n["old"], KG.decisionNumber, Literal("ABC/DEF"))),
    "two titles": lambda g, n: g.add((n["own"], DCTERMS.title, Literal("Other"))),
    "status outside the list": lambda g, n: g.set((n["own"], KG.status, Literal("pending"))),
    "evidence without a position": lambda g, n: g.remove((n["sel"], OA.start, None)),
    "evidence with two quotes": lambda g, n: g.add((n["sel"], OA.exact, Literal("again"))),
    "evidence from a non-document": lambda g, n: g.set((n["ev"], OA.hasSource, URIRef("https://example.org/x"))),
    "subclass of a target class in the data": lambda g, n: (
        g.add((KG.SpecialDecision, URIRef("http://www.w3.org/2000/01/rdf-schema#subClassOf"), KG.Decision)),
        g.add((URIRef("https://example.org/d"), RDF.type, KG.SpecialDecision))),
    "confidence above one": lambda g, n: g.set((n["link"], KG.confidence, Literal("1.2", datatype=XSD.decimal))),
    "amount with a role outside the list": lambda g, n: g.set((n["amount"], KG.role, Literal("grant"))),
}


def _nodes(g: Graph) -> dict:
    f = rich_facts()
    sel = next(iter(g.subjects(RDF.type, OA.TextPositionSelector)))
    return {"prov": URIRef(f["legislation"][0]["id"]), "widget": URIRef(f["legislation"][1]["act_iri"]),
            "own": URIRef(f["decisions"][0]["iri"]), "old": URIRef(f["decisions"][1]["iri"]), "sel": sel,
            "ev": next(iter(g.subjects(OA.hasSelector, sel))),
            "link": next(iter(g.subjects(RDF.type, KG.DecisionLink))),
            "amount": next(iter(g.subjects(RDF.type, SCHEMA.MonetaryAmount)))}


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_deliberately_malformed_graphs(name):
    g = rich()
    MUTATIONS[name](g, _nodes(g))
    assert same(g), f"{name}: expected a violation"


def test_every_constraint_component_of_the_shapes_is_exercised():
    seen = set()
    for bad in BAD_VALUES.values():
        g = rich()
        for cls, path in _property_shapes():
            for node in _focus(g, cls):
                g.remove((node, path, None)) if bad is None else g.add((node, path, bad))
        seen |= {v.component for v in check_graph(g)}
    for mutate in MUTATIONS.values():
        g = rich()
        mutate(g, _nodes(g))
        seen |= {v.component for v in check_graph(g)}
    shapes = load_shapes()
    used = {str(p).rsplit("#", 1)[-1] for p in shapes.predicates() if str(p).startswith(str(SH))}
    expected = {f"{u[0].upper()}{u[1:]}ConstraintComponent" for u in used} - {
        f"{x}ConstraintComponent" for x in ("TargetClass", "TargetObjectsOf", "Property", "Path", "HasValue")}
    assert expected <= seen, expected - seen


def test_unsupported_features_are_refused():
    shapes = Graph().parse(data="""@prefix sh: <http://www.w3.org/ns/shacl#> .
        <http://x/s> a sh:NodeShape ; sh:targetClass <http://x/C> ; sh:closed true .""", format="turtle")
    with pytest.raises(UnsupportedShape):
        compile_shapes(shapes)
