"""One decision with every fact and its evidence, over a small hand-built graph."""

from __future__ import annotations

import pytest

from kgraph.read.decision import decision
from tests.read.graphs import S76, council_graph, decision_iri


@pytest.fixture(scope="module")
def store():
    return council_graph(3)


def test_facts_documents_and_funding(store):
    d = decision(store, "19/00002")
    assert (d["id"], d["number"], d["key_decision"], d["status"]) == ("19-00002", "19/00002", False, "taken")
    assert [(x["id"], x["relation"]) for x in d["documents"]] == [(f"{2:016x}", "records")]
    facts = {(f["predicate"], f["object"]["value"]): f for f in d["facts"]}
    based = facts[("eli:based_on", S76)]
    assert based["label"] == "section 76" and based["documents"] == [f"{2:016x}"]
    assert based["evidence"] == [{"document": f"{2:016x}", "start": 36, "end": 54, "exact": "Section 76 applies"}]
    assert facts[("dct:date", "2019-01-03")]["evidence"] == []  # stated without a statement
    records = [f for f in d["facts"] if f["predicate"] == "kg:records"]
    assert records[0]["subject"]["value"].endswith(f"{2:016x}") and records[0]["evidence"]
    assert [f["amount"]["gbp"] for f in d["funding"]] == [3000] and not d["funding_has_more"]
    assert all(f["subject"]["value"] == decision_iri(2) for f in d["facts"] if f["predicate"] != "kg:records")
