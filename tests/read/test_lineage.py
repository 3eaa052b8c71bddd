"""Lineage queries and exports over a small hand-built graph, and the index kept in step with a store."""

from __future__ import annotations

import hashlib
import json
import xml.etree.ElementTree as ET

import pytest

from kgraph.errors import NotFoundError
from kgraph.graph.rdf import document_graph
from kgraph.graph.store import GraphStore
from kgraph.iris import Iris
from kgraph.read.lineage import Lineage, LineageIndex, render

IRIS = Iris()


def dec(number: str, role: str, title: str = "Home care", date: str | None = None) -> dict:
    return {"iri": IRIS.decision(number), "id": number.replace("/", "-"), "number": number, "title": title,
            "date": date, "year": int(date[:4]) if date else None, "status": "taken" if date else None,
            "role": role, "points": [], "mentions": [], "decision_maker": {}, "key_decision": None}


def doc(i: int, own: dict, refs: list[tuple[str, str]], text: str) -> dict:
    sha = hashlib.sha256(str(i).encode()).hexdigest()
    links = []
    for number, kind in refs:
        start = text.index(number)
        links.append({"from": own["iri"], "to": IRIS.decision(number), "type": kind,
                      "rule": "explicit-supersedes-cue", "confidence": 0.95,
                      "evidence": {"document": sha[:16], "start": 0, "end": len(text), "quote": text}})
        assert start >= 0
    return {"document": {"id": sha[:16], "iri": IRIS.document(sha), "source": f"d{i}.txt",
                         "kind": "RecordOfDecision", "sha256": sha, "title": own["title"]},
            "decisions": [own] + [dec(n, "references") for n, _ in refs], "organisations": [],
            "legislation": [], "amounts": [], "meetings": [], "decision_links": links, "agreements": []}


@pytest.fixture()
def chain():
    """17/00001 ← 18/00002 ← 19/00003 (supersedes), 20/00004 follows on from 19/00003; 21/00009 alone."""
    facts = [
        doc(1, dec("18/00002", "records", date="2018-03-01"), [("17/00001", "supersedes")], "It replaces 17/00001."),
        doc(2, dec("19/00003", "records", date="2019-03-01"), [("18/00002", "supersedes")], "It replaces 18/00002."),
        doc(3, dec("20/00004", "records", date="2020-03-01"), [("19/00003", "followsOn")], "It follows on from 19/00003."),
        doc(4, dec("21/00009", "records", "Roads", date="2021-03-01"), [], "Roads."),
    ]
    texts = {f["document"]["id"]: f["decision_links"][0]["evidence"]["quote"] if f["decision_links"] else "Roads."
             for f in facts}
    return facts, texts


def store_of(facts, texts) -> GraphStore:
    store = GraphStore.in_memory()
    for f in facts:
        g = document_graph(f, texts[f["document"]["id"]], IRIS)
        store.replace_document_graph(f["document"]["iri"], g.serialize(format="nt"), source=f["document"]["source"],
                                     sha256=f["document"]["sha256"])
    return store


def test_ancestors_descendants_head_timeline(chain):
    lin = Lineage.from_facts(chain[0])
    assert lin.ancestors("20/00004") == ["19-00003", "18-00002", "17-00001"]
    assert lin.ancestors("20/00004", depth=1) == ["19-00003"]
    assert lin.descendants("17-00001") == ["18-00002", "19-00003", "20-00004"]
    assert lin.head("17%2F00001") == "20-00004"
    assert [n["id"] for n in lin.timeline("18/00002")] == ["17-00001", "18-00002", "19-00003", "20-00004"]
    assert lin.ancestors("21/00009") == [] and lin.head("21/00009") == "21-00009"


def test_explain_path_between_two_decisions(chain):
    lin = Lineage.from_facts(chain[0])
    path = lin.explain("20/00004", "17/00001")
    assert [(e["from"], e["type"], e["to"]) for e in path] == [
        ("20-00004", "followsOn", "19-00003"), ("19-00003", "supersedes", "18-00002"),
        ("18-00002", "supersedes", "17-00001")]
    with pytest.raises(NotFoundError):
        lin.explain("20/00004", "21/00009")


def test_view_directions_and_node_fields(chain):
    lin = Lineage.from_facts(chain[0])
    up = lin.view("19/00003", direction="up")
    assert {n["id"] for n in up["nodes"]} == {"17-00001", "18-00002", "19-00003"}
    down = lin.view("19/00003", direction="down")
    assert {n["id"] for n in down["nodes"]} == {"19-00003", "20-00004"}
    both = lin.view("19/00003", depth=1)
    assert {n["id"] for n in both["nodes"]} == {"18-00002", "19-00003", "20-00004"}
    for n in both["nodes"]:
        assert {"id", "number", "title", "date", "status", "kind"} <= n.keys()
    for e in both["edges"]:
        assert {"type", "confidence", "evidence"} <= e.keys()
        assert {"document", "start", "end", "quote"} <= e["evidence"].keys()
    assert lin.view("17/00001", limit=2)["truncated"] is True


def test_unknown_id_is_a_coded_not_found(chain):
    lin = Lineage.from_facts(chain[0])
    with pytest.raises(NotFoundError) as info:
        lin.view("99/99999")
    assert info.value.code == "KG401" and "99/99999" in str(info.value)


def test_store_and_facts_give_the_same_lineage(chain):
    facts, texts = chain
    from_store = Lineage.from_store(store_of(facts, texts)).view("19/00003")
    assert from_store == Lineage.from_facts(facts).view("19/00003")


def test_index_rebuilds_when_the_store_changes(chain):
    facts, texts = chain
    store = store_of(facts[:2], texts)
    index = LineageIndex(store, recheck_s=0)
    first = index.get()
    assert index.get() is first
    assert first.descendants("17/00001") == ["18-00002", "19-00003"]
    f = facts[2]
    g = document_graph(f, texts[f["document"]["id"]], IRIS)
    store.replace_document_graph(f["document"]["iri"], g.serialize(format="nt"), source="d3.txt",
                                 sha256=f["document"]["sha256"])
    assert index.get() is not first
    assert index.get().descendants("17/00001") == ["18-00002", "19-00003", "20-00004"]


def test_exports(chain):
    view = Lineage.from_facts(chain[0]).view("19/00003")
    assert json.loads(render(view, "json"))["root"] == "19-00003"
    ld = json.loads(render(view, "jsonld"))
    assert "@context" in ld and any("kg:supersedes" in o for o in ld["@graph"])
    from rdflib import Graph
    g = Graph().parse(data=render(view, "jsonld"), format="json-ld")
    assert len(g) > 0
    root = ET.fromstring(render(view, "graphml"))
    assert root.tag.endswith("graphml")
    dot = render(view, "dot")
    assert dot.startswith("digraph lineage {") and '"19-00003" -> "18-00002"' in dot
    mermaid = render(view, "mermaid")
    assert mermaid.startswith("flowchart BT") and "supersedes 0.95" in mermaid
    with pytest.raises(ValueError):
        render(view, "pdf")


def test_an_extension_is_a_lineage_edge_through_the_store():
    facts = [doc(1, dec("18/00002", "records", date="2018-03-01"), [("17/00001", "extends")], "It extends 17/00001.")]
    texts = {facts[0]["document"]["id"]: "It extends 17/00001."}
    store = store_of(facts, texts)
    for lin in (Lineage.from_facts(facts), Lineage.from_store(store)):
        assert lin.ancestors("18/00002") == ["17-00001"]
        assert [e["type"] for e in lin.view("18/00002")["edges"]] == ["extends"]
