"""Building the graph: idempotent re-builds, bad files, and failures that leave the store intact."""

from __future__ import annotations

import shutil

import pyoxigraph as ox
import pytest

from kgraph.errors import ValidationError
from kgraph.graph import build as build_module
from kgraph.graph.build import build_corpus
from kgraph.graph.store import GraphStore
from kgraph.settings import Settings
from tests.conftest import SEEDS


def _dump(store: GraphStore) -> list[str]:
    return sorted(store.ox.dump(format=ox.RdfFormat.N_QUADS).decode().splitlines())


def _document_graphs(store: GraphStore) -> dict[str, str]:
    return {src: iri for iri, (src, _) in store.document_graphs().items() if "/document/" in iri}


def test_second_build_changes_nothing(corpus_copy, tmp_path):
    store = GraphStore.open(tmp_path / "store")
    first = build_corpus([corpus_copy], store)
    assert sorted(first.built) == [f.name for f in SEEDS] and not first.errors
    before = _dump(store)
    second = build_corpus([corpus_copy], store)
    assert second.built == [] and sorted(second.unchanged) == [f.name for f in SEEDS]
    assert _dump(store) == before


def test_bad_files_are_reported_and_good_ones_built(corpus_copy, tmp_path):
    (corpus_copy / "scan.txt").write_bytes(b"%PDF-1.4\x00\x01\x02binary\x00")
    (corpus_copy / "blank.txt").write_text("   \n\n", encoding="utf-8")
    (corpus_copy / "latin1.txt").write_bytes("Décision du conseil, coût £5m".encode("latin-1"))
    store = GraphStore.open(tmp_path / "store")
    report = build_corpus([corpus_copy], store)
    errors = {e.subject: e.code for e in report.errors}
    assert errors == {"scan.txt": "KG103", "blank.txt": "KG102", "latin1.txt": "KG104"}
    assert all(e.subject in str(e) for e in report.errors)  # the message names the file
    assert sorted(report.built) == [f.name for f in SEEDS]
    assert sorted(_document_graphs(store)) == [f.name for f in SEEDS]
    # the good documents' graphs are complete: same as a build without the bad files
    clean = GraphStore.in_memory()
    build_corpus(SEEDS, clean)
    assert _dump(store) == _dump(clean)


def test_changed_document_replaces_its_graph(corpus_copy, tmp_path):
    store = GraphStore.open(tmp_path / "store")
    build_corpus([corpus_copy], store)
    target = corpus_copy / "003_b806077e52899a0c.txt"
    old_iri = _document_graphs(store)[target.name]
    target.write_text(target.read_text(encoding="utf-8").replace("£1,434,000", "£1,500,000"), encoding="utf-8")
    report = build_corpus([corpus_copy], store)
    assert report.built == [target.name]
    graphs = _document_graphs(store)
    new_iri = graphs[target.name]
    assert new_iri != old_iri
    # the old graph of the changed text is gone; one graph per source file
    assert old_iri not in {iri for iri in store.named_graphs()}
    assert len(graphs) == len(SEEDS)
    values = {r["v"].value for r in store.query(
        f"SELECT ?v WHERE {{ GRAPH <{new_iri}> {{ ?a <https://schema.org/value> ?v }} }}")}
    assert "1500000" in values and "1434000" not in values


def test_failure_mid_build_leaves_previous_graph_intact(corpus_copy, tmp_path, monkeypatch):
    store = GraphStore.open(tmp_path / "store")
    build_corpus([corpus_copy], store)
    before = _dump(store)
    target = corpus_copy / "000_626c48bb75130463.txt"
    target.write_text(target.read_text(encoding="utf-8") + "\nAddendum: £5m more.\n", encoding="utf-8")
    real = build_module.check_document

    def failing(facts, text, iris=None, **kwargs):
        if facts["document"]["source"] == target.name:
            raise ValidationError("KG201", target.name, "simulated failure")
        return real(facts, text, iris, **kwargs)

    monkeypatch.setattr(build_module, "check_document", failing)
    report = build_corpus([corpus_copy], store)
    assert [e.subject for e in report.errors] == [target.name]
    assert _dump(store) == before  # nothing lost, nothing half-written
    # documents whose new graphs would point at the failed document's new IRI are held back
    assert report.built == []


def test_store_write_failure_is_atomic(tmp_path):
    store = GraphStore.open(tmp_path / "store")
    g = "https://w3id.org/kgraph/id/document/x"
    store.replace_document_graph(g, '<http://e/a> <http://e/p> "old" .', source="x.txt", sha256="1")
    before = _dump(store)
    with pytest.raises(Exception) as err:
        store.replace_document_graph(g, '<http://e/a> <http://e/p> "new" . this is not N-Triples',
                                     source="x.txt", sha256="2")
    assert "KG301" in str(err.value)
    assert _dump(store) == before
    assert store.document_sha(g) == "1"


def test_renamed_file_with_same_text_is_one_document(corpus_copy, tmp_path):
    shutil.copy(corpus_copy / SEEDS[0].name, corpus_copy / "copy-of-000.txt")
    store = GraphStore.open(tmp_path / "store")
    report = build_corpus([corpus_copy], store)
    assert len(report.built) == len(SEEDS)


def test_prune_removes_graphs_of_deleted_documents(corpus_copy, tmp_path):
    store = GraphStore.open(tmp_path / "store")
    build_corpus([corpus_copy], store)
    (corpus_copy / "001_3e45d8215bfeea87.txt").unlink()
    kept = build_corpus([corpus_copy], store)
    assert "001_3e45d8215bfeea87.txt" in _document_graphs(store) and kept.removed == []
    pruned = build_corpus([corpus_copy], store, prune=True)
    assert pruned.removed == ["001_3e45d8215bfeea87.txt"]
    assert "001_3e45d8215bfeea87.txt" not in _document_graphs(store)


def test_unchanged_documents_are_not_re_extracted(corpus_copy, tmp_path, monkeypatch):
    from kgraph.extract.cache import ExtractionCache

    cache = ExtractionCache(tmp_path / "cache")
    store = GraphStore.open(tmp_path / "store")
    build_corpus([corpus_copy], store, cache=cache)
    calls = []
    real = build_module.extract_document
    monkeypatch.setattr(build_module, "extract_document", lambda d, **kw: calls.append(d.source) or real(d, **kw))
    target = corpus_copy / "001_3e45d8215bfeea87.txt"
    target.write_text(target.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    report = build_corpus([corpus_copy], store, cache=cache)
    assert calls == [target.name]  # only the changed text went through the pipeline
    assert report.built == [target.name]
    # a fresh store built from the cache equals the store built by running the pipeline
    fresh = GraphStore.in_memory()
    build_corpus([corpus_copy], fresh, cache=cache)
    assert calls == [target.name]
    assert _dump(fresh) == _dump(store)


# ------------------------------------------------------------------ incremental builds


def _facts_by_source(paths) -> dict[str, str]:
    import json

    from kgraph.graph.build import extract_corpus

    facts, _, _ = extract_corpus(paths)
    return {f["document"]["source"]: json.dumps(f, sort_keys=True) for f in facts}


def test_unchanged_documents_are_not_rendered_validated_or_written(corpus_copy, tmp_path, monkeypatch):
    store = GraphStore.open(tmp_path / "store")
    build_corpus([corpus_copy], store)
    before = _dump(store)

    def must_not_run(*args, **kwargs):
        raise AssertionError("work done for an unchanged document")

    monkeypatch.setattr(build_module, "render_document", must_not_run)
    monkeypatch.setattr(store, "replace_document_graphs", must_not_run)
    monkeypatch.setattr(store, "replace_document_graph", must_not_run)
    monkeypatch.setattr(store, "set_input_digests", must_not_run)
    report = build_corpus([corpus_copy], store)
    assert report.rendered == 0 and report.built == [] and len(report.unchanged) == len(SEEDS)
    assert _dump(store) == before


def test_one_changed_document_renders_only_documents_whose_inputs_changed(corpus_copy, tmp_path, monkeypatch):
    store = GraphStore.open(tmp_path / "store")
    build_corpus([corpus_copy], store)
    old = _facts_by_source([corpus_copy])
    target = corpus_copy / "002_1e021665bc7acb93.txt"
    target.write_text(target.read_text(encoding="utf-8") + "\nNote: nothing else.\n", encoding="utf-8")
    new = _facts_by_source([corpus_copy])
    changed = {src for src in new if new[src] != old.get(src)}
    assert target.name in changed and len(changed) < len(SEEDS)
    rendered = []
    real = build_module.render_document
    monkeypatch.setattr(build_module, "render_document",
                        lambda facts, *a: rendered.append(facts["document"]["source"]) or real(facts, *a))
    report = build_corpus([corpus_copy], store)
    assert sorted(rendered) == sorted(changed)
    assert target.name in report.built
    fresh = GraphStore.in_memory()
    build_corpus([corpus_copy], fresh)
    assert _graph_quads(fresh) == _graph_quads(store)


def _graph_quads(store: GraphStore) -> list[str]:
    """Every quad except the catalog's digests (a fresh store records the same graphs)."""
    return [q for q in _dump(store) if "graphDigest" not in q and "inputDigest" not in q]


def test_a_graph_whose_content_did_not_change_is_not_rewritten(corpus_copy, tmp_path, monkeypatch):
    """Facts may change in ways the graph does not show; then only the input digest is refreshed."""
    store = GraphStore.open(tmp_path / "store")
    build_corpus([corpus_copy], store)
    monkeypatch.setattr(build_module, "input_digest", lambda facts, base, strict=False: "another digest")
    writes = []
    monkeypatch.setattr(store, "replace_document_graphs", lambda docs: writes.append(docs))
    report = build_corpus([corpus_copy], store)
    assert writes == [] and report.rendered == len(SEEDS) and len(report.unchanged) == len(SEEDS)
    assert {store.input_digest(iri) for iri in _document_graphs(store).values()} == {"another digest"}


def test_council_change_re_extracts_instead_of_reusing_the_cache(tmp_path):
    from kgraph.extract.cache import ExtractionCache

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text("The Council will invest £2m per year in the service.", encoding="utf-8")
    cache = ExtractionCache(tmp_path / "cache")
    store = GraphStore.open(tmp_path / "store")
    kent = build_corpus([tmp_path / "docs"], store, Settings(), cache=cache)
    assert kent.extracted == 1
    medway = build_corpus([tmp_path / "docs"], store, Settings(council="Medway Council"), cache=cache)
    assert medway.extracted == 1 and medway.built == ["a.txt"]
    (graph,) = _document_graphs(store).values()
    orgs = {r["o"].value for r in store.query(
        f"SELECT DISTINCT ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o FILTER(CONTAINS(STR(?o), '/org/')) }} }}")}
    assert any("medway-council" in o for o in orgs) and not any("kent-county-council" in o for o in orgs), orgs
    again = build_corpus([tmp_path / "docs"], store, Settings(council="Medway Council"), cache=cache)
    assert again.extracted == 0 and again.rendered == 0


def test_batches_are_written_in_one_transaction_each(corpus_copy, tmp_path, monkeypatch):
    store = GraphStore.open(tmp_path / "store")
    batches = []
    real = store.replace_document_graphs
    monkeypatch.setattr(store, "replace_document_graphs", lambda docs: batches.append(len(docs)) or real(docs))
    # a store with no document graphs is bulk-loaded (test_fresh.py); this is the transactional path
    report = build_corpus([corpus_copy], store, Settings(bulk_load_mb=0), write_batch=2)
    assert batches == [2, 2, 1] and len(report.built) == len(SEEDS)
    clean = GraphStore.in_memory()
    build_corpus([corpus_copy], clean)
    assert _dump(store) == _dump(clean)


def test_a_failed_batch_falls_back_to_one_transaction_per_document(corpus_copy, tmp_path, monkeypatch):
    from kgraph.errors import StoreError

    store = GraphStore.open(tmp_path / "store")

    def failing(docs):
        raise StoreError("KG301", "batch", "simulated")

    monkeypatch.setattr(store, "replace_document_graphs", failing)
    report = build_corpus([corpus_copy], store, Settings(bulk_load_mb=0))  # the transactional path
    assert sorted(report.built) == [f.name for f in SEEDS] and report.errors == []


def test_process_pool_builds_the_same_store(corpus_copy, tmp_path):
    from kgraph.graph.runner import open_runner

    serial = GraphStore.in_memory()
    build_corpus([corpus_copy], serial)
    pooled = GraphStore.in_memory()
    with open_runner(jobs=2) as runner:
        report = build_corpus([corpus_copy], pooled, runner=runner)
    assert sorted(report.built) == [f.name for f in SEEDS]
    assert _dump(pooled) == _dump(serial)
