"""The link state beside the store: plain data, checked on load, its blobs named by their digest."""

from __future__ import annotations

import json
import zlib

import pytest

from kgraph.errors import BuildError
from kgraph.graph.linkstate import (
    Blobs,
    LinkState,
    blob_dir,
    drop_state,
    load_state,
    save_state,
    state_path,
)
from kgraph.link.deps import features_of

HEADER = {"version": 2, "code": "x"}


def _state(path) -> LinkState:
    facts = {"document": {"id": "a", "source": "a.txt", "kind": "RecordOfDecision"},
             "decisions": [{"iri": "D", "id": "d", "number": "19/00001", "role": "records", "title": "Home care",
                            "date": "2019-05-01", "year": 2019, "decision_maker": {"role": "Cabinet"},
                            "points": [{"text": "Agree the home care contract", "start": 0, "end": 28}]}],
             "organisations": [], "legislation": [], "amounts": []}
    state = LinkState(HEADER, ["a"], {"a": features_of(facts, "the Section 76 agreement", [], ["Agree it"])},
                      {"a": "digest"}, blobs=Blobs.beside(path))
    state.resolved["a"] = state.blobs.put(facts, ((0, 10), (11, 20)))
    return state


def test_a_saved_state_reads_back_equal(tmp_path):
    path = tmp_path / "store"
    state = _state(path)
    save_state(path, state)
    again = load_state(path, HEADER)
    assert again == state
    facts, sentences = again.blobs.get(again.resolved["a"])
    assert facts["decisions"][0]["title"] == "Home care" and sentences == ((0, 10), (11, 20))


def test_the_state_is_plain_data(tmp_path):
    path = tmp_path / "store"
    save_state(path, _state(path))
    raw = state_path(path).read_bytes()
    data = json.loads(zlib.decompress(raw[32:]))  # JSON: reading it runs no code
    assert data["order"] == ["a"] and data["features"][0]["titles"] == [["D", ["care", "home"]]]
    (blob,) = blob_dir(path).iterdir()
    raw = blob.read_bytes()
    n = int.from_bytes(raw[:4], "big")
    assert json.loads(zlib.decompress(raw[4 : 4 + n]))["facts"]["document"]["id"] == "a"
    assert json.loads(zlib.decompress(raw[4 + n :]))["organisations"] == []


def test_a_blob_read_lazily_decodes_the_rest_of_the_facts_when_first_read(tmp_path):
    path = tmp_path / "store"
    state = _state(path)
    facts, _ = state.blobs.get(state.resolved["a"], whole=False)
    assert sorted(facts) == ["decisions", "document"]
    assert facts["amounts"] == [] and "legislation" in facts
    assert facts.get("nothing") is None
    with pytest.raises(KeyError):
        facts["nothing"]
    whole, _ = state.blobs.get(state.resolved["a"])
    assert type(whole) is dict and whole == facts


def test_a_damaged_blob_is_refused_with_its_code(tmp_path):
    path = tmp_path / "store"
    state = _state(path)
    save_state(path, state)
    blob = blob_dir(path) / state.resolved["a"]
    blob.write_bytes(blob.read_bytes()[:-1] + b"\0")
    with pytest.raises(BuildError) as err:
        load_state(path, HEADER).blobs.get(state.resolved["a"])
    assert err.value.code == "KG175"
    blob.unlink()
    with pytest.raises(BuildError):
        state.blobs.get(state.resolved["a"])


def test_saving_drops_the_blobs_no_longer_named_and_drop_removes_all(tmp_path):
    path = tmp_path / "store"
    state = _state(path)
    old = state.resolved["a"]
    state.resolved["a"] = state.blobs.put({"document": {"id": "a"}, "decisions": []}, ())
    save_state(path, state)
    assert [p.name for p in blob_dir(path).iterdir()] == [state.resolved["a"]] != [old]
    drop_state(path)
    assert not state_path(path).exists() and not blob_dir(path).exists()
    assert load_state(path, HEADER) is None


def test_a_state_of_the_first_format_is_not_read_and_gives_way(tmp_path):
    path = tmp_path / "store"
    old = path.with_name("store.link-state")
    old.write_bytes(b"\x80\x04 a pickled state of the first format")
    assert load_state(path, HEADER) is None
    state = _state(path)  # Blobs.beside clears it
    save_state(path, state)
    assert load_state(path, HEADER) == state
