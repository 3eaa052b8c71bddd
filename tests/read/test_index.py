"""The read index: built once per store revision, saved beside an on-disk store."""

from __future__ import annotations

from kgraph.graph.store import GraphStore
from kgraph.read import saved
from kgraph.read.decisions import list_decisions
from kgraph.read.index import FORMAT, ReadIndex, index_of, track
from tests.read.graphs import council_graph, doc_iri, document_nt


def ids(store) -> list[str]:
    return [d["id"] for d in list_decisions(store, limit=500)["items"]]


def test_rebuilt_when_the_store_changes():
    store = council_graph(2)
    first = index_of(store)
    assert index_of(store) is first
    store.replace_document_graph(doc_iri(2), document_nt(2), source="rod-2.txt", sha256="2" * 64)
    assert ids(store) == ["19-00000", "19-00001", "19-00002"] and index_of(store) is not first
    store.remove_document_graph(doc_iri(0))
    assert ids(store) == ["19-00001", "19-00002"]


def test_a_tracked_revision_decides():
    store = council_graph(1)
    generation = [0]
    track(store, lambda: generation[0])
    before = index_of(store)
    store.replace_document_graph(doc_iri(1), document_nt(1), source="rod-1.txt", sha256="1" * 64)
    assert index_of(store) is before  # the write is not counted yet
    generation[0] += 1
    assert ids(store) == ["19-00000", "19-00001"]


def test_saved_beside_an_on_disk_store_and_loaded_while_unchanged(tmp_path):
    path = tmp_path / "store"
    store = council_graph(3, GraphStore.open(path))
    built = index_of(store)
    assert saved.saved_path(store, "read-index").exists()
    store.flush()
    del store
    again = GraphStore.open(path)
    loaded = index_of(again)
    assert loaded is not built and loaded.listed == built.listed and loaded.flows == built.flows
    again.replace_document_graph(doc_iri(3), document_nt(3), source="rod-3.txt", sha256="3" * 64)
    assert ids(again)[-1] == "19-00003"


def test_a_stale_saved_index_is_not_loaded(tmp_path):
    path = tmp_path / "store"
    store = council_graph(2, GraphStore.open(path))
    index_of(store)
    store.replace_document_graph(doc_iri(2), document_nt(2), source="rod-2.txt", sha256="2" * 64)
    assert saved.load(store, "read-index", FORMAT) is None
    fresh = ReadIndex.build(store)
    assert [k for k, _ in fresh.listed] == ["19-00000", "19-00001", "19-00002"]


def test_remembered_answers_are_bounded():
    index = ReadIndex("https://w3id.org/kgraph/id/")
    calls = []
    for k in range(ReadIndex.MEMO_MAX + 3):
        assert index.remember(("k", k), lambda k=k: calls.append(k) or k * 2) == k * 2
    assert index.remember(("k", 5), lambda: calls.append("again")) == 10 and "again" not in calls
    assert len(index.memo) == ReadIndex.MEMO_MAX and ("k", 0) not in index.memo
