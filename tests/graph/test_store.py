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
