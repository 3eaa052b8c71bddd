"""Statutory basis and the paged citing decisions, over a small hand-built graph."""

from __future__ import annotations

import heapq

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kgraph.errors import NotFoundError
from kgraph.read.ids import parse_legislation
from kgraph.read.legislation import basis, legislation_decisions, skip
from tests.read.graphs import S22, S76, council_graph

N = 12


@pytest.fixture(scope="module")
def store():
    return council_graph(N)


def test_basis_relied_on_and_cited(store):
    b = basis(store, "19/00004")
    assert [p["id"] for p in b["relied_on"]] == [S76] and b["cited"] == []
    p = b["relied_on"][0]
    assert (p["path"], p["url"], p["label"], p["act_id"]) == (
        "ukpga/2006/41/section/76", "https://www.legislation.gov.uk/ukpga/2006/41/section/76",
        "section 76", "http://www.legislation.gov.uk/id/ukpga/2006/41")
    assert p["evidence"] == [{"document": f"{4:016x}", "start": 36, "end": 54, "exact": "Section 76 applies"}]
    assert [p["id"] for p in basis(store, "19/00005")["cited"]] == [S22]


def test_an_act_pages_its_provisions_citations(store):
    act = parse_legislation("ukpga/2006/41")
    every = legislation_decisions(store, act, limit=500)
    assert [c["decision"]["id"] for c in every["decisions"]] == [f"19-{i:05d}" for i in range(0, N, 2)]
    assert every["legislation"]["is_act"] and not every["has_more"]
    assert all(c["relation"] == "based_on" and c["evidence"] for c in every["decisions"])
    page = legislation_decisions(store, act, offset=2, limit=2)
    assert page["decisions"] == every["decisions"][2:4] and page["has_more"]
    last = legislation_decisions(store, act, offset=4, limit=2)
    assert last["decisions"] == every["decisions"][4:] and not last["has_more"]


def test_a_provision(store):
    out = legislation_decisions(store, parse_legislation(S22))
    assert {c["relation"] for c in out["decisions"]} == {"cites"}
    assert out["legislation"]["label"] == "section 22" and out["legislation"]["is_act"] is False


def test_unknown_legislation(store):
    with pytest.raises(NotFoundError) as exc:
        legislation_decisions(store, parse_legislation("ukpga/1999/99/section/1"))
    assert exc.value.code == "KG401"


_runs = st.dictionaries(st.tuples(st.sampled_from(("based_on", "cites")), st.sampled_from("abc")),
                        st.sets(st.tuples(st.sampled_from("0123"), st.sampled_from("wxyz")), max_size=12),
                        max_size=5).map(lambda rs: [(rel, prov, sorted(items)) for (rel, prov), items in rs.items()])


@settings(max_examples=300, deadline=None)
@given(_runs, st.integers(0, 60))
def test_skipping_equals_reading_the_merge(runs, offset):
    def items_of(rel, prov, items):
        return [(k, rel, prov, d) for k, d in items]

    merged = list(heapq.merge(*(items_of(*run) for run in runs)))
    starts = skip(runs, offset)
    rest = list(heapq.merge(*(items_of(rel, prov, items[start:])
                              for (rel, prov, items), start in zip(runs, starts, strict=True))))
    assert rest == merged[offset:]
