"""A document's text and spans over a small hand-built graph."""

from __future__ import annotations

import pytest

from kgraph.errors import NotFoundError
from kgraph.read.documents import document, document_meta
from tests.read.graphs import council_graph, doc_iri


@pytest.fixture(scope="module")
def store():
    return council_graph(3)


def test_text_spans_and_what_they_support(store):
    doc = document(store, f"{1:016x}")
    assert (doc["kind"], doc["source"], doc["title"]) == ("RecordOfDecision", "rod-1.txt", "Record of decision 1")
    assert [s["exact"] for s in doc["spans"]] == [
        "Decision 19/00001", "Care services 1", "Section 22 applies", "The council pays Trust 1 £2,000 a year"]
    for s in doc["spans"]:
        assert doc["text"][s["start"]:s["end"]] == s["exact"] and s["supports"]
    money = doc["spans"][-1]["supports"]
    assert {f["predicate"] for f in money} == {"kg:namesOrganisation", "kg:recipient", "schema:funder", "rdf:type"}
    assert document(store, f"{1:016x}" + "0" * 48)["id"] == doc["id"]


def test_meta_of_a_graph_that_does_not_describe_itself(store):
    iri = "https://w3id.org/kgraph/id/document/ffffffffffffffff"
    assert document_meta(store, iri)["source"] is None
    assert document_meta(store, doc_iri(0))["sha256"] == "0" * 64


@pytest.mark.parametrize("ident", ["ffffffffffffffff", "not-hex", '"} ; DROP ALL #'])
def test_unknown(store, ident):
    with pytest.raises(NotFoundError):
        document(store, ident)
