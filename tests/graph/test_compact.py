"""kgraph.graph.compact: the same quads in fewer bytes, the store swapped whole or left as it was."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kgraph.errors import StoreError
from kgraph.graph.compact import compact_store, dir_bytes
from kgraph.graph.store import GraphStore

G = "https://w3id.org/kgraph/id/document/"


def _fill(path, docs: int = 40) -> set:
    store = GraphStore.open(path)
    batch = []
    for d in range(docs):
        nt = "\n".join(f'<{G}{d:04d}/n{i}> <https://w3id.org/kgraph/def#p{i % 7}> "value {i} in {d}" .'
                       for i in range(300))
        nt += f"\n_:b{d} <http://e/p> <{G}{d:04d}/n0> ."  # a blank node keeps its links
        batch.append((f"{G}{d:04d}", nt, f"{d}.txt", str(d), ""))
        if len(batch) == 10 or d == docs - 1:
            store.replace_document_graphs(batch)
            batch = []
    quads = set(map(str, store.ox.quads_for_pattern(None, None, None, None)))
    del store
    return quads


def _bnode_links(path) -> int:
    store = ox.Store.read_only(str(path))
    return len(list(store.query("SELECT * WHERE { GRAPH ?g { ?b <http://e/p> ?n . ?n ?p ?o } }")))


def test_same_quads_fewer_bytes(tmp_path):
    path = tmp_path / "store"
    quads = _fill(path)
    GraphStore.open(path)  # reopened: the write-ahead log folded in, as a user finds it
    report = compact_store(path)
    assert report.quads == len(quads) == 40 * (301 + 2)  # + the catalog (source, digest)
    assert report.bytes_after < 0.8 * report.bytes_before
    assert report.bytes_after == dir_bytes(path)
    store = GraphStore.open(path)
    assert store.document_sha(f"{G}0007") == "7"
    after = set(map(str, store.ox.quads_for_pattern(None, None, None, None)))
    assert {q for q in after if not q.startswith("_:")} == {q for q in quads if not q.startswith("_:")}
    assert len({q for q in after if q.startswith("_:")}) == 40
    del store
    assert _bnode_links(path) == 40  # each blank node still points at its document's n0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store"]


def test_store_in_use_is_left_alone(tmp_path):
    path = tmp_path / "store"
    _fill(path, docs=2)
    holder = GraphStore.open(path)
    with pytest.raises(StoreError) as exc:
        compact_store(path)
    assert exc.value.code == "KG301"
    assert len(holder) == 2 * (301 + 2)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store"]


def test_interrupted_swap_is_put_back(tmp_path):
    path = tmp_path / "store"
    quads = _fill(path, docs=3)
    path.rename(tmp_path / "store.old")  # stopped between the two renames
    (tmp_path / "store.compacting").mkdir()  # and a half-made copy
    report = compact_store(path)
    assert report.quads == len(quads)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store"]


def test_no_store(tmp_path):
    with pytest.raises(StoreError) as exc:
        compact_store(tmp_path / "none")
    assert exc.value.code == "KG301"
