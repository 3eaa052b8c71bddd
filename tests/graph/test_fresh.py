"""Fresh builds: bulk-loaded beside the store, swapped in whole, never half-written."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import textwrap

import pyoxigraph as ox
import pytest

from kgraph.errors import ValidationError
from kgraph.graph import build as build_module
from kgraph.graph import fresh as fresh_module
from kgraph.graph.build import build_corpus
from kgraph.graph.store import GraphStore
from kgraph.settings import Settings
from tests.conftest import ROOT, SEEDS

#: A graph loaded by hand before the first build: a fresh build keeps it.
HAND = '<http://e/a> <http://e/p> "by hand" <http://e/hand> .\n'
TRANSACTIONS = Settings(bulk_load_mb=0)


def _dump(store: GraphStore) -> list[str]:
    return sorted(store.ox.dump(format=ox.RdfFormat.N_QUADS).decode().splitlines())


def _names(path) -> list[str]:
    return sorted(p.name for p in path.iterdir())


def _open_with_hand_graph(path) -> GraphStore:
    store = GraphStore.open(path)
    store.ox.load(HAND.encode(), format=ox.RdfFormat.N_QUADS)
    return store


@pytest.fixture(scope="module")
def by_transactions(tmp_path_factory) -> list[str]:
    """The seed corpus built by transactions into a store holding the hand-loaded graph."""
    store = _open_with_hand_graph(tmp_path_factory.mktemp("tx") / "store")
    report = build_corpus(SEEDS, store, TRANSACTIONS)
    assert report.write_path == "transactions" and not report.errors
    return _dump(store)


def test_fresh_store_is_bulk_loaded_with_the_same_quads(tmp_path, by_transactions, monkeypatch):
    monkeypatch.setattr(fresh_module, "MB", 20_000)  # a bulk load every few documents, not one at the end
    store = _open_with_hand_graph(tmp_path / "store")
    report = build_corpus(SEEDS, store)
    assert report.write_path == "bulk load"
    assert sorted(report.built) == [f.name for f in SEEDS]
    assert _dump(store) == by_transactions
    assert _names(tmp_path) == ["store", "store.link-state"]  # no side directory left
    store.replace_graph("http://e/after", '<http://e/a> <http://e/p> "1" .')  # the swapped-in store is writable
    assert len(_dump(store)) == len(by_transactions) + 1


def test_a_store_with_document_graphs_is_written_by_transactions(corpus_copy, tmp_path, monkeypatch):
    store = GraphStore.open(tmp_path / "store")
    build_corpus([corpus_copy], store)
    (corpus_copy / SEEDS[0].name).write_text(SEEDS[0].read_text(encoding="utf-8") + "\nAddendum.\n",
                                             encoding="utf-8")
    monkeypatch.setattr(fresh_module.FreshLoad, "__init__", lambda *a: pytest.fail("bulk load on a built store"))
    report = build_corpus([corpus_copy], store)
    assert report.write_path == "transactions" and report.built


def test_in_memory_stores_are_written_by_transactions():
    report = build_corpus(SEEDS[:1], GraphStore.in_memory())
    assert report.write_path == "transactions" and report.built


def test_held_back_documents_are_not_in_the_swapped_in_store(corpus_copy, tmp_path, monkeypatch):
    monkeypatch.setattr(fresh_module, "MB", 1)  # each document loaded as soon as it is rendered
    failing_name = SEEDS[-1].name  # rendered last: the documents linking to it are loaded already
    real = build_module.check_document

    def failing(facts, text, iris=None, **kwargs):
        if facts["document"]["source"] == failing_name:
            raise ValidationError("KG201", failing_name, "simulated failure")
        return real(facts, text, iris, **kwargs)

    monkeypatch.setattr(build_module, "check_document", failing)
    bulk = GraphStore.open(tmp_path / "bulk")
    report = build_corpus([corpus_copy], bulk)
    tx = GraphStore.open(tmp_path / "tx")
    expected = build_corpus([corpus_copy], tx, TRANSACTIONS)
    assert report.write_path == "bulk load" and [e.subject for e in report.errors] == [failing_name]
    assert report.held_back == expected.held_back and report.held_back  # the seed documents link to it
    assert report.built == expected.built
    assert _dump(bulk) == _dump(tx)


def test_a_refused_bulk_load_falls_back_to_transactions(tmp_path, by_transactions, monkeypatch):
    real = fresh_module.nquads
    calls = []

    def broken(docs, catalog):
        calls.append(1)
        return real(docs, catalog) + (b"<http://e/x> not n-quads .\n" if len(calls) == 2 else b"")

    monkeypatch.setattr(fresh_module, "MB", 1)
    monkeypatch.setattr(fresh_module, "nquads", broken)
    store = _open_with_hand_graph(tmp_path / "store")
    report = build_corpus(SEEDS, store)
    assert report.write_path.startswith("transactions (bulk load failed")
    assert sorted(report.built) == [f.name for f in SEEDS] and not report.errors
    assert _dump(store) == by_transactions
    assert _names(tmp_path) == ["store", "store.link-state"]


def test_a_side_directory_left_by_a_crash_is_cleared(tmp_path, by_transactions):
    store = _open_with_hand_graph(tmp_path / "store")
    side = fresh_module.side_path(store.path)
    side.mkdir()
    (side / "junk").write_text("left by a killed build")
    build_corpus(SEEDS, store)
    assert not side.exists() and _dump(store) == by_transactions


def test_a_side_directory_is_cleared_by_a_build_that_does_not_bulk_load(corpus_copy, tmp_path):
    store = GraphStore.open(tmp_path / "store")
    build_corpus([corpus_copy], store)
    side = fresh_module.side_path(store.path)
    side.mkdir()
    report = build_corpus([corpus_copy], store)
    assert report.write_path == "transactions" and not side.exists()


KILLED_BUILD = """
import os, signal, sys
from pathlib import Path
from kgraph.graph import fresh
from kgraph.graph.build import build_corpus
from kgraph.graph.store import GraphStore

store_path, corpus, where = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
real_swap = fresh.swap_in

def kill(path, side):
    if where == "between renames":
        path.rename(path.with_name(path.name + ".old"))
    os.kill(os.getpid(), signal.SIGKILL)

fresh.swap_in = kill
fresh.MB = 1
build_corpus([corpus], GraphStore.open(store_path))
"""


@pytest.mark.parametrize("where", ["before the swap", "between renames"])
def test_kill_9_leaves_the_store_as_it_was(corpus_copy, tmp_path, by_transactions, where):
    path = tmp_path / "store"
    store = _open_with_hand_graph(path)
    before = _dump(store)
    del store
    gc.collect()
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(KILLED_BUILD), str(path), str(corpus_copy), where],
                          cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, timeout=300)
    assert done.returncode == -9, done.stderr.decode()[-2000:]
    assert fresh_module.side_path(path).exists()  # loaded, never swapped in
    store = GraphStore.open(path)  # puts a store moved aside back in place
    assert _dump(store) == before
    report = build_corpus([corpus_copy], store)  # clears the side directory and builds afresh
    assert report.write_path == "bulk load" and _dump(store) == by_transactions
    assert _names(tmp_path) == ["corpus", "store", "store.link-state"]
