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


def test_a_pdf_document_shows_its_pages_and_the_page_of_each_span(tmp_path):
    from kgraph.graph.build import build_corpus
    from kgraph.graph.store import GraphStore
    from kgraph.read.documents import document
    from tests.extract.formats.builders import make_pdf

    filler = "\n\n".join(f"Paragraph {i} of background text about the service." for i in range(70))
    data = make_pdf(filler + "\n\nKent County Council will invest £2.65m per year in the service.\n")
    (tmp_path / "r.pdf").write_bytes(data)
    (tmp_path / "r.pdf.url").write_text("https://example.gov.uk/documents/r.pdf\n")
    store = GraphStore.in_memory()
    report = build_corpus([tmp_path], store)
    assert report.errors == [] and report.built == ["r.pdf"]
    (iri,) = [i for i in store.document_graphs() if "/document/" in i]
    doc = document(store, iri.rsplit("/", 1)[-1])
    assert doc["media_type"] == "application/pdf" and doc["byte_size"] == len(data)
    assert doc["source_url"] == "https://example.gov.uk/documents/r.pdf"
    assert [p["page"] for p in doc["pages"]] == list(range(1, len(doc["pages"]) + 1)) and len(doc["pages"]) >= 2
    (span,) = [s for s in doc["spans"] if s["exact"] == "£2.65m"]
    last = doc["pages"][-1]
    assert span["page"] == last["page"] and last["start"] <= span["start"] <= last["end"]
    assert doc["text"][span["start"]:span["end"]] == "£2.65m"
