"""kgraph.graph.validate: graphs that break ontology/shapes.ttl raise KG201 naming what is wrong."""

from __future__ import annotations

import pytest
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib import namespace as ns
from rdflib.namespace import DCTERMS, PROV, SKOS

from kgraph.errors import ValidationError
from kgraph.graph.validate import REPORT_LINES, load_shapes, validate_graph

KG = Namespace("https://w3id.org/kgraph/def#")
OA = Namespace("http://www.w3.org/ns/oa#")
SCHEMA = Namespace("https://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")
ID = "https://w3id.org/kgraph/id/"
DOC = URIRef(ID + "document/0123456789abcdef")
DEC = URIRef(ID + "council/kent-county-council/decision/19-00076")
KCC = URIRef(ID + "org/kent-county-council")
TEXT = "Decision No: 19/00076. KCC will pay £5m."


def base_graph() -> Graph:
    """A small conforming graph: a document, a decision, an amount and one reified fact."""
    g = Graph()
    g.add((DOC, RDF.type, KG.Document))
    g.add((DOC, DCTERMS.identifier, Literal("0123456789abcdef")))
    g.add((DOC, KG.sha256, Literal("0123456789abcdef" * 4)))
    g.add((DOC, KG.source, Literal("rod.txt")))
    g.add((DOC, KG.text, Literal(TEXT)))
    g.add((DOC, PROV.wasGeneratedBy, URIRef(ID + "run/kgraph-test")))
    g.add((DEC, RDF.type, KG.Decision))
    g.add((DEC, DCTERMS.identifier, Literal("19-00076")))
    g.add((DEC, DCTERMS.title, Literal("Mental Health Services")))
    g.add((DEC, KG.decisionNumber, Literal("19/00076")))
    g.add((DEC, KG.status, Literal("taken")))
    g.add((DEC, KG.council, KCC))
    g.add((KCC, RDF.type, ORG.Organization))
    g.add((KCC, SKOS.prefLabel, Literal("Kent County Council")))
    ev = URIRef(f"{DOC}/evidence/13-21")
    g.add((ev, OA.hasSource, DOC))
    q, p = URIRef(f"{ev}/quote"), URIRef(f"{ev}/position")
    g.add((ev, OA.hasSelector, q))
    g.add((ev, OA.hasSelector, p))
    g.add((q, RDF.type, OA.TextQuoteSelector))
    g.add((q, OA.exact, Literal(TEXT[13:21])))
    g.add((p, RDF.type, OA.TextPositionSelector))
    g.add((p, OA.start, Literal(13, datatype=ns.XSD.integer)))
    g.add((p, OA.end, Literal(21, datatype=ns.XSD.integer)))
    st = URIRef(f"{DOC}/assertion/1")
    g.add((st, RDF.type, RDF.Statement))
    g.add((st, RDF.subject, DEC))
    g.add((st, RDF.predicate, KG.decisionNumber))
    g.add((st, RDF.object, Literal("19/00076")))
    g.add((st, PROV.wasDerivedFrom, DOC))
    g.add((st, KG.evidence, ev))
    amount = URIRef(f"{DOC}/amount/36-39")
    g.add((amount, RDF.type, SCHEMA.MonetaryAmount))
    g.add((amount, SCHEMA.value, Literal(5_000_000, datatype=ns.XSD.integer)))
    g.add((amount, SCHEMA.currency, Literal("GBP")))
    g.add((amount, KG.role, Literal("funding")))
    g.add((amount, KG.surfaceText, Literal("£5m")))
    g.add((amount, KG.evidence, ev))
    return g


def test_conforming_graph_passes():
    validate_graph(base_graph(), "rod.txt")


def test_empty_graph_passes():
    validate_graph(Graph(), "empty.txt")


def _invalid(mutate) -> ValidationError:
    g = base_graph()
    mutate(g)
    with pytest.raises(ValidationError) as exc:
        validate_graph(g, "rod.txt")
    err = exc.value
    assert err.code == "KG201"
    assert err.subject == "rod.txt"
    assert str(err).startswith("[KG201] rod.txt: ")
    return err


def test_decision_with_two_titles():
    err = _invalid(lambda g: g.add((DEC, DCTERMS.title, Literal("Another title"))))
    assert str(DEC) in err.message
    assert "title" in err.message


def test_amount_with_a_role_outside_the_list():
    amount = URIRef(f"{DOC}/amount/36-39")

    def mutate(g):
        g.set((amount, KG.role, Literal("grant")))

    err = _invalid(mutate)
    assert str(amount) in err.message


def test_amount_with_a_non_integer_value():
    amount = URIRef(f"{DOC}/amount/36-39")
    err = _invalid(lambda g: g.set((amount, SCHEMA.value, Literal("5m"))))
    assert str(amount) in err.message


def test_statement_without_evidence():
    st = URIRef(f"{DOC}/assertion/1")
    err = _invalid(lambda g: g.remove((st, KG.evidence, None)))
    assert str(st) in err.message


def test_decision_number_of_the_wrong_shape():
    err = _invalid(lambda g: g.set((DEC, KG.decisionNumber, Literal("19/502510/FULL"))))
    assert str(DEC) in err.message


def test_status_outside_the_list():
    _invalid(lambda g: g.set((DEC, KG.status, Literal("pending"))))


def test_document_with_a_bad_hash():
    err = _invalid(lambda g: g.set((DOC, KG.sha256, Literal("not-a-hash"))))
    assert str(DOC) in err.message


def test_evidence_with_one_selector():
    ev = URIRef(f"{DOC}/evidence/13-21")
    err = _invalid(lambda g: g.remove((ev, OA.hasSelector, URIRef(f"{ev}/position"))))
    assert str(ev) in err.message


def test_long_reports_are_cut():
    def mutate(g):
        for i in range(30):
            d = URIRef(f"{DEC}-{i}")
            g.add((d, RDF.type, KG.Decision))  # no identifier, no council
    err = _invalid(mutate)
    assert "more lines" in err.message
    assert len(err.message.splitlines()) <= REPORT_LINES + 2


def test_shapes_load_once():
    assert load_shapes() is load_shapes()
    assert len(load_shapes()) > 0
