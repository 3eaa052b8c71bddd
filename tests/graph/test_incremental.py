"""Incremental builds: after any change, the store equals a build from scratch, quad for quad,
while only the documents the change reaches are linked again."""

from __future__ import annotations

import random
import shutil

import pyoxigraph as ox
import pytest

from kgraph.extract.cache import ExtractionCache
from kgraph.graph.build import build_corpus
from kgraph.graph.incremental import state_path
from kgraph.graph.linkstate import blob_dir
from kgraph.graph.store import GraphStore
from kgraph.settings import Settings
from tests.conftest import CORPUS

TOPICS = ["the community equipment service", "the early help pathway", "home to school transport",
          "the carers support contract", "the youth hubs programme"]


def paper(i: int, number: str, topic: str, cites: str = "", extra: str = "") -> str:
    """A small Record of Decision (written for these tests)."""
    return (
        "KENT COUNTY COUNCIL – RECORD OF DECISION\n\n"
        "DECISION TAKEN BY:\nSue Chandler, Cabinet Member for Integrated Children's Services\n\n"
        f"DECISION NO:\n{number}\n\n"
        f"Subject: Funding for {topic}\n\n"
        f"Decision:\nAs Cabinet Member for Integrated Children's Services, I agree to:\n"
        f"a) fund {topic} at a cost of £{i + 1}.5m;\n"
        "b) delegate authority to the Corporate Director to enter into the necessary agreements.\n\n"
        "Reason(s) for decision:\n\n"
        f"1.1 The Council has a duty under section {20 + i} of the Children Act 1989 to provide {topic}. "
        f"Kent County Council will fund {topic} with £{100 + i},000 per year from April 2020.\n\n"
        f"1.2 {cites} Members noted that the arrangement with NELFT for {topic} ends in June.\n\n"
        f"{extra}\n\nSigned:\n\nDate:\n"
    )


PAPERS = {
    "p00.txt": paper(0, "20/00010", TOPICS[0]),
    "p01.txt": paper(1, "21/00011", TOPICS[0], "This decision follows on from decision number 20/00010."),
    "p02.txt": paper(2, "21/00012", TOPICS[1], "This decision supersedes decision 19/00076 taken in 2019."),
    "p03.txt": paper(3, "22/00013", TOPICS[1]),
    "p04.txt": paper(4, "22/00014", TOPICS[2], "Decision No. 21/00012 was taken in March."),
    "p05.txt": paper(5, "23/00015", TOPICS[3], "This decision amends decision 22/00014."),
    "p06.txt": paper(6, "23/00016", TOPICS[4]),
    "p07.txt": paper(7, "24/00017", TOPICS[4], "It varies the decision 23/00016 and follows on from 20/00010."),
}


#: A change never falls back to linking everything, whatever share of the corpus it reaches.
EVERY_SHARE = Settings(max_affected_share=1.0)


def _dump(store: GraphStore) -> list[str]:
    return sorted(store.ox.dump(format=ox.RdfFormat.N_QUADS).decode().splitlines())


@pytest.fixture()
def corpus(tmp_path):
    d = tmp_path / "corpus"
    d.mkdir()
    for f in sorted(CORPUS.glob("*.txt")):
        shutil.copy(f, d / f.name)
    for name, text in PAPERS.items():
        (d / name).write_text(text, encoding="utf-8")
    return d


def _append(d, name, line):
    p = d / name
    p.write_text(p.read_text(encoding="utf-8") + line, encoding="utf-8")


EDITS = {
    "append to a paper": lambda d: _append(d, "p03.txt", "\nAddendum: one more line.\n"),
    "append to a seed": lambda d: _append(d, "000_626c48bb75130463.txt", "\nAddendum: one more line.\n"),
    "remove a cited paper": lambda d: (d / "p00.txt").unlink(),
    "remove a seed": lambda d: (d / "001_3e45d8215bfeea87.txt").unlink(),
    "add a citing paper": lambda d: (d / "p08.txt").write_text(
        paper(8, "24/00018", TOPICS[2], "This decision follows on from decision number 19/00076 and 22/00014."),
        encoding="utf-8"),
    "retitle a paper": lambda d: (d / "p06.txt").write_text(paper(6, "23/00016", TOPICS[1]), encoding="utf-8"),
    "renumber a cited paper": lambda d: (d / "p05.txt").write_text(paper(5, "22/00019", TOPICS[3]), encoding="utf-8"),
    "cite a described decision": lambda d: _append(
        d, "p02.txt", "\nThis follows the decision of the Cabinet Member for Integrated Children's Services "
                      "on 15 November 2019.\n"),
}


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_changed_corpus_equals_a_fresh_build(edit, corpus, tmp_path):
    cache = ExtractionCache(tmp_path / "cache")
    store = GraphStore.open(tmp_path / "store")
    first = build_corpus([corpus], store, cache=cache)
    assert not first.errors and first.relinked == len(first.built)
    EDITS[edit](corpus)
    again = build_corpus([corpus], store, cache=cache, settings=EVERY_SHARE)
    assert not again.errors
    fresh = GraphStore.open(tmp_path / "fresh")
    scratch = build_corpus([corpus], fresh, cache=cache, prune=True)
    assert again.relinked < scratch.relinked  # only what the change reaches was linked again
    removed = build_corpus([corpus], store, cache=cache, prune=True)  # graphs of removed files go
    assert removed.relinked == 0 and removed.rendered == 0
    assert _dump(store) == _dump(fresh)


def test_nothing_changed_links_nothing(corpus, tmp_path):
    cache = ExtractionCache(tmp_path / "cache")
    store = GraphStore.open(tmp_path / "store")
    build_corpus([corpus], store, cache=cache)
    before = _dump(store)
    again = build_corpus([corpus], store, cache=cache)
    assert (again.relinked, again.rendered, again.extracted, again.built) == (0, 0, 0, [])
    assert _dump(store) == before


def test_a_graph_missing_from_the_store_is_rebuilt(corpus, tmp_path):
    cache = ExtractionCache(tmp_path / "cache")
    store = GraphStore.open(tmp_path / "store")
    build_corpus([corpus], store, cache=cache)
    before = _dump(store)
    iri = next(iri for iri, (src, _) in store.document_graphs().items() if src == "p04.txt")
    store.remove_document_graph(iri)
    again = build_corpus([corpus], store, cache=cache)
    assert again.built == ["p04.txt"] and again.relinked >= 1
    assert _dump(store) == before


def test_a_damaged_or_foreign_state_is_not_used(corpus, tmp_path):
    cache = ExtractionCache(tmp_path / "cache")
    store = GraphStore.open(tmp_path / "store")
    n = len(build_corpus([corpus], store, cache=cache).built)
    path = state_path(store.path)
    raw = bytearray(path.read_bytes())
    raw[-1] ^= 0xFF
    path.write_bytes(bytes(raw))
    assert build_corpus([corpus], store, cache=cache).relinked == n  # digest mismatch: everything linked
    again = build_corpus([corpus], store, cache=cache, strict=True)  # another header: not used either
    assert again.relinked == n


def test_a_run_of_random_changes_keeps_the_store_equal_to_a_fresh_build(tmp_path):
    """Twenty papers in three subjects citing each other; four random edits in a row."""
    rng = random.Random(9)
    numbers = [f"{rng.randint(19, 24)}/{i:05d}" for i in range(20)]

    def write(d, i):
        cited = rng.sample(numbers, 2)
        cue = rng.choice(["This decision follows on from decision number", "This decision supersedes decision",
                          "See decision"])
        (d / f"r{i:02d}.txt").write_text(paper(i, numbers[i], TOPICS[i % 3], f"{cue} {cited[0]} and {cited[1]}."),
                                         encoding="utf-8")

    d = tmp_path / "corpus"
    d.mkdir()
    for i in range(20):
        write(d, i)
    cache = ExtractionCache(tmp_path / "cache")
    store = GraphStore.open(tmp_path / "store")
    build_corpus([d], store, cache=cache)
    for step in range(4):
        i = rng.randrange(20)
        if step == 2:
            numbers[i] = f"{rng.randint(19, 24)}/{rng.randint(100, 999):05d}"  # renumbered
        write(d, i)
        again = build_corpus([d], store, cache=cache, settings=EVERY_SHARE)
        fresh = GraphStore.open(tmp_path / f"fresh{step}")
        scratch = build_corpus([d], fresh, cache=cache)
        assert not again.errors and again.relinked < scratch.relinked
        assert _dump(store) == _dump(fresh), f"step {step}: r{i:02d}.txt"


def test_documents_read_as_context_are_not_loaded_from_the_extraction_cache(corpus, tmp_path):
    cache = ExtractionCache(tmp_path / "cache")
    store = GraphStore.open(tmp_path / "store")
    build_corpus([corpus], store, cache=cache)
    asked: list[str] = []
    get = ExtractionCache.get

    def counting(self, doc):
        asked.append(doc.source)
        return get(self, doc)

    EDITS["append to a paper"](corpus)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(ExtractionCache, "get", counting)
        again = build_corpus([corpus], store, cache=cache, settings=EVERY_SHARE)
    assert asked == ["p03.txt"] and again.extracted == 1  # p02.txt, same title, read from the state
    fresh = GraphStore.open(tmp_path / "fresh")
    build_corpus([corpus], fresh, cache=cache)
    assert _dump(store) == _dump(fresh)


def test_a_state_missing_a_document_s_resolved_facts_links_everything(corpus, tmp_path):
    cache = ExtractionCache(tmp_path / "cache")
    store = GraphStore.open(tmp_path / "store")
    n = len(build_corpus([corpus], store, cache=cache).built)
    for blob in blob_dir(store.path).iterdir():
        blob.unlink()
    EDITS["append to a paper"](corpus)
    again = build_corpus([corpus], store, cache=cache, settings=EVERY_SHARE)
    assert not again.errors and again.relinked == n  # KG175 inside: the whole corpus linked again
    fresh = GraphStore.open(tmp_path / "fresh")
    build_corpus([corpus], fresh, cache=cache)
    assert _dump(store) == _dump(fresh)
    assert build_corpus([corpus], store, cache=cache).relinked == 0  # the state is whole again


def test_decisions_merged_again_for_a_change_equal_those_of_the_whole_corpus():
    from kgraph.graph.incremental import _merged_again
    from kgraph.link.deps import Neighbourhood, decision_infos, features_of, info_key

    def facts(doc, decisions):
        return features_of({"document": {"id": doc, "source": f"{doc}.txt", "kind": "RecordOfDecision"},
                            "decisions": [{"iri": iri, "id": iri, "number": number, "role": role, "title": title,
                                           "date": date, "year": None, "decision_maker": {"role": maker}}
                                          for iri, number, role, title, date, maker in decisions],
                            "organisations": [], "legislation": [], "amounts": []}, "", [], ())

    old = {"a": facts("a", [("X", "20/00001", "records", "Care", "2020-05-01", "Cabinet")]),
           "b": facts("b", [("Y", None, "records", "Roads", None, None), ("X", None, "references", "Old care", None, None)]),
           "c": facts("c", [("X", None, "references", None, "2020-05-02", "Council"), ("Z", "19/00002", "references", None, None, None)])}
    # a renumbers and retitles X and names Z now; b is removed
    new = {"a": facts("a", [("X", "20/00009", "records", "Home care", None, "Cabinet"), ("Z", None, "references", "Z", None, None)]),
           "c": old["c"]}
    current = ["a", "c"]
    infos_old = decision_infos(old.values())
    got = _merged_again(infos_old, {"X", "Y", "Z"}, Neighbourhood(list(old.values()), infos_old), new, current, {"a"})
    want = decision_infos([new[i] for i in current])
    assert {k: info_key(v) for k, v in got.items()} == {k: info_key(v) for k, v in want.items()}
    assert {k: v.docs for k, v in got.items()} == {k: v.docs for k, v in want.items()}
    assert "Y" not in got and got["X"].number == "20/00009"


def test_a_few_documents_left_by_a_re_link_render_here_without_starting_workers(corpus, tmp_path):
    from kgraph.graph.runner import open_runner

    cache = ExtractionCache(tmp_path / "cache")
    store = GraphStore.open(tmp_path / "store")
    build_corpus([corpus], store, cache=cache)
    EDITS["append to a paper"](corpus)
    with open_runner(jobs=2) as runner:
        mapped: list[str] = []
        pooled = runner.map

        def recording(fn, items, *args, **kwargs):
            mapped.append(fn.__name__)
            return pooled(fn, items, *args, **kwargs)

        runner.map = recording
        again = build_corpus([corpus], store, cache=cache, runner=runner)
        assert again.rendered >= 1 and "render_document" not in mapped
        assert not runner.pool._processes  # no worker process was started
    fresh = GraphStore.open(tmp_path / "fresh")
    build_corpus([corpus], fresh, cache=cache)
    assert _dump(store) == _dump(fresh)
