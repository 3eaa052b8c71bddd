"""Indexes kept in step with a store: updated by the graphs written, saved, rebuilt when unsure."""

from __future__ import annotations

import weakref

from kgraph.graph.store import GraphStore
from kgraph.read import saved
from kgraph.read.index import FORMAT, ReadIndex
from kgraph.read.keeper import Kept
from tests.read.graphs import council_graph, doc_iri, document_nt


def _kept(generation: list[int], written: dict, update=None) -> Kept:
    def changes(since: int):
        later = [gs for n, gs in written.items() if n > since]
        return None if None in later else frozenset(g for gs in later for g in gs)

    return Kept("read-index", FORMAT, build=ReadIndex.build,
                update=update or (lambda ix, store, graphs: ix.updated(store, graphs)),
                revision=lambda: generation[0], changes=changes)


def _write(store: GraphStore, i: int, generation: list[int], written: dict) -> None:
    store.replace_graph(doc_iri(i), document_nt(i).replace("Care services", "Home care"))
    generation[0] += 1
    written[generation[0]] = {doc_iri(i)}


def _reused(store: GraphStore, generation: list[int], written: dict) -> bool:
    """A new process's keeper takes the saved copy (as saved, or brought up to date by the
    catalog when the store's background compaction has rewritten its files) without a rebuild,
    and it equals a fresh build."""
    again = _kept(generation, written)
    index = again.get(store)
    return again.last["how"] in ("loaded", "updated") and index.views() == ReadIndex.build(store).views()


def test_updated_in_the_process_and_saved_as_it_exits(tmp_path):
    store = council_graph(4, GraphStore.open(tmp_path / "store"))
    generation, written = [0], {}
    kept = _kept(generation, written)
    kept.get(store)
    assert kept.last["how"] == "built" and _reused(store, generation, written)
    _write(store, 1, generation, written)
    kept.get(store)
    assert kept.last["how"] == "updated"
    _write(store, 2, generation, written)  # not yet seen by any request
    kept._save_at_exit(weakref.ref(store))
    (_, index), _ = saved.load_any(store, "read-index", FORMAT)
    assert index.views() == ReadIndex.build(store).views()  # the copy saved holds both writes
    assert _reused(store, generation, written)


def test_an_unknown_write_is_not_saved_at_exit(tmp_path):
    store = council_graph(2, GraphStore.open(tmp_path / "store"))
    generation, written = [0], {}
    kept = _kept(generation, written)
    kept.get(store)
    _write(store, 1, generation, written)
    kept.get(store)
    generation[0], written[2] = 2, None
    kept._save_at_exit(weakref.ref(store))
    loaded = saved.load_any(store, "read-index", FORMAT)
    assert loaded is not None and not loaded[1]  # the copy saved at the build, now stale


def test_an_update_that_fails_rebuilds():
    store = council_graph(2)
    generation, written = [0], {}

    def broken(ix, store, graphs):
        raise RuntimeError("half-way")

    kept = _kept(generation, written, update=broken)
    kept.get(store)
    _write(store, 1, generation, written)
    index = kept.get(store)
    assert kept.last["how"] == "built" and index.views() == ReadIndex.build(store).views()
