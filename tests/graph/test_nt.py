"""Terms as N-Triples text: the same text, values and verdicts as rdflib's objects."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import XSD, BNode, Literal, URIRef
from rdflib.plugins.serializers.nt import _nt_row, _quoteLiteral

from kgraph.errors import ValidationError
from kgraph.graph import nt
from kgraph.graph.rdf import to_ntriples

TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40) | st.sampled_from(
    ["", 'say "hi"', "a\nb", "back\\slash", "\\n", 'end"', "tab\tand\rreturn", '"""', "£5m"])


@given(TEXT)
def test_plain_literals_are_written_as_rdflib_writes_them(s):
    t = nt.literal(s)
    assert t == _quoteLiteral(Literal(s))
    assert nt.n3(t) == Literal(s).n3()
    assert nt.lexical(t) == s and nt.term(t) == Literal(s)
    assert nt.datatype(t) is None and nt.language(t) is None and nt.to_nt(nt.term(t)) == t


@given(st.integers(min_value=-10**20, max_value=10**20))
def test_integers(n):
    t = nt.integer(n)
    rd = Literal(n, datatype=XSD.integer)
    assert t == _quoteLiteral(rd) and nt.n3(t) == rd.n3()
    assert nt.value(t) == n and not nt.ill_typed(t) and nt.term(t) == rd


@pytest.mark.parametrize(("value", "datatype"), [
    ("2019-11-15", XSD.date), ("2019-13-45", XSD.date), ("15 November 2019", XSD.date),
    (Decimal("0.9"), XSD.decimal), (Decimal("1.700"), XSD.decimal), ("1.5", XSD.integer), ("007", XSD.integer),
    (1.5, XSD.integer), ("abc", XSD.integer), ("ab12", XSD.hexBinary), ("http://e/x", XSD.anyURI),
])
def test_typed_literals_match_rdflib_in_text_value_and_verdict(value, datatype):
    t = nt.typed(value, str(datatype))
    rd = Literal(value, datatype=datatype)
    assert t == _quoteLiteral(rd) and nt.n3(t) == rd.n3()
    parsed = Literal(nt.lexical(t), datatype=datatype)  # what a reader of the stored text gets
    assert nt.datatype(t) == str(datatype)
    assert nt.ill_typed(t) == bool(parsed.ill_typed)
    if not parsed.ill_typed:
        assert nt.value(t) == parsed.value


@pytest.mark.parametrize("b", [True, False])
def test_booleans(b):
    assert nt.boolean(b) == _quoteLiteral(Literal(b)) and nt.value(nt.boolean(b)) is b


def test_other_terms_round_trip():
    for node in (URIRef("http://e/a#b"), BNode("x1"), Literal("chat", lang="fr")):
        assert nt.term(nt.to_nt(node)) == node
    assert nt.lexical("<http://e/a>") == "http://e/a" and nt.language(nt.to_nt(Literal("x", lang="fr"))) == "fr"


def test_sorted_lines_are_rdflibs_lines():
    triples = [(URIRef("http://e/b"), URIRef("http://e/p"), Literal('x "y"\nz')),
               (URIRef("http://e/a"), URIRef("http://e/p"), Literal(3, datatype=XSD.integer))]
    expected = "\n".join(sorted(_nt_row(t).rstrip("\n") for t in triples))
    assert to_ntriples([tuple(map(nt.to_nt, t)) for t in triples]) == expected


def test_an_iri_n_triples_cannot_hold_refuses_the_document():
    with pytest.raises(ValidationError) as err:
        to_ntriples([(nt.iri("http://e/a b"), nt.iri("http://e/p"), nt.literal("x"))])
    assert err.value.code == "KG187"


def test_statement_iris_hash_rdflibs_form_of_the_triple():
    """Every rdf:Statement is named by the SHA-1 of ``s|p|o.n3()`` over rdflib's terms, also for
    literals whose n3() and N-Triples texts differ (line breaks, quotes, backslashes)."""
    import hashlib

    from rdflib import RDF

    from kgraph.graph.rdf import document_graph
    from tests.graph.rich import TEXT, rich_facts

    facts = rich_facts()
    facts["decisions"][0]["title"] = 'Mental "Health"\nServices \\ 2019'
    facts["decisions"][0]["status_text"] = "taken\r\non 1 May"
    g = document_graph(facts, TEXT)
    statements = set(g.subjects(RDF.type, RDF.Statement))
    assert len(statements) > 10
    for node in statements:
        s, p, o = g.value(node, RDF.subject), g.value(node, RDF.predicate), g.value(node, RDF.object)
        h = hashlib.sha1(f"{s}|{p}|{o.n3()}".encode()).hexdigest()[:16]
        assert str(node) == f"{facts['document']['iri']}/assertion/{h}"
    assert any("\n" in str(g.value(node, RDF.object)) for node in statements)
