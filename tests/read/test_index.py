"""The read index: built once per store revision, saved beside an on-disk store."""

from __future__ import annotations

import copy
import random

from kgraph.graph.store import GraphStore
from kgraph.read import saved
from kgraph.read.common import DCT, KG, RDF
from kgraph.read.decisions import list_decisions
from kgraph.read.index import FORMAT, ReadIndex, index_of, track
from tests.read.graphs import council_graph, decision_iri, doc_iri, document_nt


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


# ---------------------------------------------------------------- incremental updates

def _variant(i: int, k: int) -> str:
    """Decision i's graph as a later write might leave it: retitled, another trust named and
    funded, another provision, another amount, or the decision moved to another document."""
    nt = document_nt(i)
    if k == 1:
        nt = nt.replace(f'"Care services {i}"', f'"Home care {i}"').replace('"taken"', '"proposed"')
    elif k == 2:
        nt = nt.replace(f"trust-{i % 3}", f"trust-{(i + 1) % 3}").replace(f'"Trust {i % 3}"', f'"Trust {(i + 1) % 3}"')
    elif k == 3:
        nt = nt.replace("section/76", "section/22").replace("based_on", "cites").replace("2006/41", "1989/41")
    elif k == 4:
        nt = nt.replace(f'"{(i + 1) * 1000}"', '"999999"')
    elif k == 5:  # a second decision with the same id in another graph (the least IRI wins)
        nt = nt.replace("kent-county-council/decision", "kent-county-council/decision/x")
    return nt


def test_an_updated_index_equals_a_fresh_one():
    store = council_graph(12)
    index = ReadIndex.build(store)
    before = copy.deepcopy(index.views())
    writes = [(2, 1), (3, 2), (4, 3), (5, 4), (6, 5), (7, None), (12, 0), (13, 2), (2, 0)]
    for i, k in writes:
        if k is None:
            store.remove_document_graph(doc_iri(i))
        else:
            store.replace_document_graph(doc_iri(i), _variant(i, k), source=f"rod-{i}.txt", sha256=f"{i:03d}{k}")
        later = index.updated(store, {doc_iri(i)})
        assert later.views() == ReadIndex.build(store).views(), (i, k)
        index = later
    assert index.summary and index.flows
    assert ReadIndex.build(council_graph(12)).views() == before  # the first index was left as it was


def test_many_graphs_updated_at_once_equal_a_fresh_one():
    store = council_graph(30)
    index = ReadIndex.build(store)
    rng = random.Random(9)
    for _ in range(3):
        changed = rng.sample(range(40), 12)
        for i in changed:
            if rng.random() < 0.25:
                store.remove_document_graph(doc_iri(i))
            else:
                store.replace_document_graph(doc_iri(i), _variant(i, rng.randrange(6)), source=f"rod-{i}.txt",
                                             sha256=f"{rng.random()}")
        index = index.updated(store, {doc_iri(i) for i in changed} | {doc_iri(99)})
        assert index.views() == ReadIndex.build(store).views()


def test_a_tracked_store_is_updated_by_the_graphs_written():
    store = council_graph(3)
    generation, written = [0], {}
    track(store, lambda: generation[0], lambda since: frozenset(g for n, gs in written.items() if n > since for g in gs))
    first = index_of(store)
    # a write outside the catalog: only the writer's record names it
    store.replace_graph(doc_iri(1), _variant(1, 1).replace("/funding/1", "/funding/2"))
    generation[0] += 1
    written[1] = {doc_iri(1)}
    later = index_of(store)
    assert later is not first and later.summary[decision_iri(1)][2] == "Home care 1"
    assert later.views() == ReadIndex.build(store).views()
    assert first.summary[decision_iri(1)][2] == "Care services 1"


def test_a_saved_index_is_brought_up_to_date_by_the_catalog(tmp_path):
    path = tmp_path / "store"
    store = council_graph(4, GraphStore.open(path))
    index_of(store)
    store.replace_document_graph(doc_iri(1), _variant(1, 1), source="rod-1.txt", sha256="changed")
    store.remove_document_graph(doc_iri(2))
    store.flush()
    del store
    again = GraphStore.open(path)
    loaded = index_of(again)
    assert loaded.summary[decision_iri(1)][2] == "Home care 1" and decision_iri(2) not in loaded.summary
    assert loaded.views() == ReadIndex.build(again).views()


def test_facts_about_one_node_from_several_graphs():
    """A graph that only adds an id or a type to a decision another graph describes changes what
    that decision's citations and flows show."""
    store = council_graph(4)
    index = ReadIndex.build(store)
    extra = {"https://w3id.org/kgraph/id/document/extra-id": f'<{decision_iri(1)}> <{DCT}identifier> "00-first" .',
             "https://w3id.org/kgraph/id/document/extra-untyped":
                 f'<{decision_iri(50)}> <{DCT}identifier> "19-00050" .',
             "https://w3id.org/kgraph/id/document/extra-type":
                 f'<{decision_iri(50)}> <{RDF}type> <{KG}Decision> .'}
    for g, nt in [*extra.items(), *((g, "") for g in extra)]:
        store.replace_graph(g, nt)
        later = index.updated(store, {g})
        assert later.views() == ReadIndex.build(store).views(), g
        index = later
    store.replace_graph("https://w3id.org/kgraph/id/document/extra-id", extra["https://w3id.org/kgraph/id/document/extra-id"])
    index = index.updated(store, {"https://w3id.org/kgraph/id/document/extra-id"})
    assert index.flows[doc_iri(1) + "/funding/1"].decision == "00-first"
