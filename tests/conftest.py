"""Shared fixtures: the seed corpus, its gold file, its facts and a store built from it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
#: The seed papers, in name order.
SEEDS = sorted(CORPUS.glob("*.txt"))
GOLD_PATH = Path(__file__).resolve().parent / "gold" / "seeds.json"


@pytest.fixture(scope="session")
def gold() -> dict:
    return json.loads(GOLD_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def seed_extraction():
    """(facts, texts) for the seed corpus, linked across documents."""
    from kgraph.graph.build import extract_corpus

    facts, texts, errors = extract_corpus([CORPUS])
    assert errors == []
    return facts, texts


@pytest.fixture(scope="session")
def seed_facts(seed_extraction) -> dict[str, dict]:
    """Extraction JSON per seed file name."""
    facts, _ = seed_extraction
    return {f["document"]["source"]: f for f in facts}


@pytest.fixture(scope="session")
def seed_store(tmp_path_factory):
    """An on-disk store built from the seed corpus."""
    from kgraph.graph.build import build_corpus
    from kgraph.graph.store import GraphStore

    path = tmp_path_factory.mktemp("seed-store") / "store"
    store = GraphStore.open(path)
    report = build_corpus([CORPUS], store)
    assert report.errors == [], [str(e) for e in report.errors]
    return store


@pytest.fixture()
def corpus_copy(tmp_path):
    """A writable copy of the seed papers (a directory of their own, to change or break)."""
    d = tmp_path / "corpus"
    d.mkdir()
    for f in SEEDS:
        shutil.copy(f, d / f.name)
    return d
