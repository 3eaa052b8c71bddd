"""The graph store: atomic replacement, catalog, and clear errors when it cannot be opened."""

from __future__ import annotations

import pytest

from kgraph.errors import StoreError
from kgraph.graph.store import GraphStore

G = "https://w3id.org/kgraph/id/document/abc"


def test_replace_keeps_one_graph_per_source(tmp_path):
    store = GraphStore.open(tmp_path / "s")
    store.replace_document_graph(G, '<http://e/a> <http://e/p> "1" .', source="a.txt", sha256="d1")
    store.replace_document_graph(G + "2", '<http://e/a> <http://e/p> "2" .', source="a.txt", sha256="d2")
    assert store.document_graphs() == {G + "2": ("a.txt", "d2")}
    assert [r["o"].value for r in store.query("SELECT ?o WHERE { ?s <http://e/p> ?o }")] == ["2"]


def test_remove_document_graph(tmp_path):
    store = GraphStore.open(tmp_path / "s")
    store.replace_document_graph(G, '<http://e/a> <http://e/p> "1" .', source="a.txt", sha256="d1")
    store.remove_document_graph(G)
    assert store.document_graphs() == {} and len(store) == 0


def test_second_writer_gets_a_clear_error(tmp_path):
    GraphStore.open(tmp_path / "s")  # keeps the lock while referenced
    first = GraphStore.open(tmp_path / "t")
    with pytest.raises(StoreError) as err:
        GraphStore.open(tmp_path / "t")
    assert err.value.code == "KG301" and "kgraph serve" in str(err.value)
    del first


def test_read_only_open_of_a_missing_store_says_how_to_build(tmp_path):
    with pytest.raises(StoreError) as err:
        GraphStore.open(tmp_path / "none", read_only=True)
    assert "kgraph build" in str(err.value)


def test_union_default_graph_and_named_graph_queries(tmp_path):
    store = GraphStore.open(tmp_path / "s")
    store.replace_document_graph(G, '<http://e/a> <http://e/p> "1" .', source="a.txt", sha256="d1")
    q = "SELECT * WHERE { ?s <http://e/p> ?o }"
    assert len(list(store.query(q))) == 1
    assert len(list(store.query(q, union=False))) == 0
    assert len(list(store.query(f"SELECT * WHERE {{ GRAPH <{G}> {{ ?s ?p ?o }} }}", union=False))) == 1


def test_batch_of_new_graphs_is_loaded_in_one_transaction():
    store = GraphStore.in_memory()
    nt = '<http://e/a> <http://e/p> "x" .\n<http://e/a> <http://e/q> "line\\nbreak" .'
    store.replace_document_graphs([("http://e/g1", nt, "a.txt", "d1", "i1"), ("http://e/g2", nt, "b.txt", "d2", "")])
    assert store.document_sha("http://e/g1") == "d1" and store.input_digest("http://e/g1") == "i1"
    assert store.input_digest("http://e/g2") is None
    assert {r["o"].value for r in store.query("SELECT ?o WHERE { GRAPH <http://e/g1> { ?s ?p ?o } }", union=False)} \
        == {"x", "line\nbreak"}


def test_batch_with_a_bad_document_writes_nothing():
    store = GraphStore.in_memory()
    store.replace_document_graph("http://e/g1", '<http://e/a> <http://e/p> "old" .', source="a.txt", sha256="1")
    before = len(store)
    for docs in (
        [("http://e/g2", '<http://e/a> <http://e/p> "y" .', "b.txt", "2", ""), ("http://e/g3", "not N-Triples", "c.txt", "3", "")],
        [("http://e/g1", '<http://e/a> <http://e/p> "new" .', "a.txt", "4", ""), ("http://e/g3", "<x> bad", "c.txt", "3", "")],
    ):
        with pytest.raises(StoreError):
            store.replace_document_graphs(docs)
        assert len(store) == before and store.document_sha("http://e/g1") == "1"
        assert store.document_sha("http://e/g2") is None


def test_batch_replacing_graphs_drops_the_old_ones_and_earlier_texts_of_the_same_source():
    store = GraphStore.in_memory()
    store.replace_document_graph("http://e/old", '<http://e/a> <http://e/p> "old" .', source="a.txt", sha256="1")
    store.replace_document_graphs([("http://e/new", '<http://e/a> <http://e/p> "new" .', "a.txt", "2", "i")])
    assert store.document_sha("http://e/old") is None and store.document_sha("http://e/new") == "2"
    assert [r["o"].value for r in store.query("SELECT ?o WHERE { ?s <http://e/p> ?o }")] == ["new"]


def test_input_digests_are_refreshed_without_touching_graphs():
    store = GraphStore.in_memory()
    store.replace_document_graphs([("http://e/g1", '<http://e/a> <http://e/p> "x" .', "a.txt", "d1", "i1")])
    store.set_input_digests([("http://e/g1", "i2")])
    assert store.input_digest("http://e/g1") == "i2" and store.document_sha("http://e/g1") == "d1"
    assert len(store) == 4
