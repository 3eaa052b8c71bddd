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


# ---------------------------------------------------------------- writing only the difference

XSD_INT = "<http://www.w3.org/2001/XMLSchema#integer>"
BASE_NT = [f'<http://e/s> <http://e/k{k}> "keep {k}" .' for k in range(8)]
OLD_NT = [*BASE_NT, '<http://e/s> <http://e/p> "1" .', '<http://e/s> <http://e/q> "x"@en .',
          '<http://e/s> <http://e/r> <http://e/o1> .', '<http://e/s> <http://e/gone> "bye" .']


def dump(store: GraphStore) -> list[str]:
    return sorted(str(q) for q in store.ox)


def spied(monkeypatch) -> list:
    """Record what every call of ``_diff`` returns (None: full replace)."""
    calls, real = [], GraphStore._diff
    monkeypatch.setattr(GraphStore, "_diff", lambda self, *a: calls.append(real(self, *a)) or calls[-1])
    return calls


def written(old: list[str], new: list[str], *, old_iri="http://e/g", source="a.txt"):
    """The store after writing ``new`` over ``old`` (the path under test) and a store given ``new`` alone."""
    store = GraphStore.in_memory()
    store.replace_document_graphs([(old_iri, "\n".join(old), source, "d1", "i1"),
                                   ("http://e/other", OLD_NT[0], "b.txt", "o1", "")])
    store.replace_document_graphs([("http://e/g", "\n".join(new), source, "d2", "i2")])
    want = GraphStore.in_memory()
    want.replace_document_graphs([("http://e/g", "\n".join(new), source, "d2", "i2"),
                                  ("http://e/other", OLD_NT[0], "b.txt", "o1", "")])
    return store, want


@pytest.mark.parametrize("new", [
    [*BASE_NT, '<http://e/s> <http://e/p> "2" .', *OLD_NT[9:]],                          # literal value
    [*BASE_NT, f'<http://e/s> <http://e/p> "1"^^{XSD_INT} .', *OLD_NT[9:]],              # datatype
    [*BASE_NT, '<http://e/s> <http://e/p> "1" .', '<http://e/s> <http://e/q> "x"@en-gb .', *OLD_NT[10:]],  # language
    [*OLD_NT[:-1], '<http://e/s> <http://e/added> "hi" .', '<http://e/s> <http://e/r> <http://e/o2> .'],  # removed, added
    [*OLD_NT, OLD_NT[0]],                                                                # nothing changed
    [*OLD_NT, '<http://e/s> <http://e/t> "a\u2028b\fc\\r\\nd\u0085e" .'],                        # odd line breaks
], ids=["literal", "datatype", "language", "removed-added", "same", "line-breaks"])
def test_diff_gives_the_same_store_as_a_full_replace(monkeypatch, new):
    calls = spied(monkeypatch)
    store, want = written(OLD_NT, new)
    assert calls and calls[-1] is not None and not any("DROP" in part for part in calls[-1])
    assert dump(store) == dump(want)
    assert store.document_graphs()["http://e/g"] == ("a.txt", "d2") and store.input_digest("http://e/g") == "i2"


@pytest.mark.parametrize("old, new", [
    ([*OLD_NT, '<http://e/s> <http://e/b> _:x .'], OLD_NT),                               # blank node stored
    (OLD_NT, [*OLD_NT, '_:y <http://e/b> "z" .']),                                        # blank node written
    (OLD_NT, [f'<http://e/s> <http://e/n{k}> "{k}" .' for k in range(12)]),               # diff over half the graph
    (OLD_NT, []),                                                                         # emptied
], ids=["blank-old", "blank-new", "large", "empty"])
def test_unsafe_or_large_diffs_fall_back_to_a_full_replace(monkeypatch, old, new):
    calls = spied(monkeypatch)
    store, want = written(old, new)
    assert calls == [None]
    assert len(dump(store)) == len(dump(want)) and store.document_graphs() == want.document_graphs()
    if not any("_:" in line for line in old + new):
        assert dump(store) == dump(want)


def test_an_earlier_text_of_the_same_source_is_dropped_not_diffed(monkeypatch):
    calls = spied(monkeypatch)
    store, want = written(OLD_NT, [*OLD_NT[:-1], '<http://e/s> <http://e/p> "2" .'], old_iri="http://e/g-old")
    assert calls == [] and dump(store) == dump(want) and "http://e/g-old" not in store.document_graphs()


def test_a_graph_dropped_by_another_document_of_the_batch_is_replaced_whole(monkeypatch):
    store = GraphStore.in_memory()
    store.replace_document_graphs([("http://e/g", "\n".join(OLD_NT), "a.txt", "d1", "")])
    calls = spied(monkeypatch)
    new = "\n".join([*OLD_NT[:-1], '<http://e/s> <http://e/p> "2" .'])
    # the second document has the same source, so the first's graph is its stale text: dropped first, then rewritten
    store.replace_document_graphs([("http://e/h", OLD_NT[0], "a.txt", "d3", ""), ("http://e/g", new, "a.txt", "d2", "")])
    want = GraphStore.in_memory()
    want.ox.update(" ;\n".join(
        GraphStore._replace_parts(want, "http://e/h", OLD_NT[0], catalog={"source": "a.txt", "sha256": "d3"})
        + GraphStore._replace_parts(want, "http://e/g", new, catalog={"source": "a.txt", "sha256": "d2"})))
    assert calls == [] and dump(store) == dump(want)


@pytest.mark.parametrize("bad", [("http://e/new", "<x> bad", "c.txt"), ("http://e/other", "<x> bad", "b.txt")],
                         ids=["new-graph", "diffed-graph"])
def test_a_failed_diff_batch_leaves_the_store_unchanged(bad):
    store = GraphStore.in_memory()
    store.replace_document_graphs([("http://e/g", "\n".join(OLD_NT), "a.txt", "d1", ""),
                                   ("http://e/other", "\n".join(OLD_NT), "b.txt", "o1", "")])
    before = dump(store)
    changed = "\n".join([*OLD_NT[:-1], '<http://e/s> <http://e/p> "2" .'])
    with pytest.raises(StoreError):
        store.replace_document_graphs([("http://e/g", changed, "a.txt", "d2", ""), (*bad, "d3", "")])
    assert dump(store) == before
