"""Funding flows over a small hand-built graph: ranking, parties, filters, pages."""

from __future__ import annotations

import pytest

from kgraph.read.funding import decision_funding, funding_flow, list_funding
from tests.read.graphs import BASE, COUNCIL, council_graph, decision_iri, doc_iri

N = 40


@pytest.fixture(scope="module")
def store():
    return council_graph(N)


def amounts(page: dict) -> list[int]:
    return [f["amount"]["gbp"] for f in page["items"]]


def test_largest_first_in_pages(store):
    every = list_funding(store, limit=500)
    assert amounts(every) == [(i + 1) * 1000 for i in reversed(range(N))] and not every["has_more"]
    second = list_funding(store, offset=5, limit=5)
    assert second["items"] == every["items"][5:10] and second["has_more"]


def test_the_last_pages_of_the_unfiltered_list(store):
    assert amounts(list_funding(store, offset=N - 2, limit=5)) == [2000, 1000]
    assert not list_funding(store, offset=N - 5, limit=5)["has_more"]
    assert list_funding(store, offset=N - 6, limit=5)["has_more"]
    assert list_funding(store, offset=N, limit=5) == {"items": [], "has_more": False}


def test_a_listed_flow_is_the_flow_itself(store):
    listed = list_funding(store, decision="19/00007")["items"]
    assert listed == [funding_flow(store, f"{doc_iri(7)}/funding/1")]
    f = listed[0]
    assert (f["amount"], f["decision"], f["purpose"]) == (
        {"gbp": 8000, "text": "£8,000", "period": "annual", "is_total": False, "table_row": None},
        "19-00007", "care")
    assert f["funder"] == {"id": "kent-county-council", "iri": COUNCIL, "name": "Kent County Council"}
    assert f["recipient"]["id"] == "trust-1"
    assert f["evidence"] == {"document": f"{7:016x}", "start": 56, "end": 94,
                             "exact": "The council pays Trust 1 £8,000 a year"}
    assert decision_funding(store, decision_iri(7)) == listed


def test_parties(store):
    # the council funds every flow (walk of the ranking); trust-2 receives a third (sorted)
    assert len(list_funding(store, funder="kent-county-council", limit=500)["items"]) == N
    got = amounts(list_funding(store, recipient="trust-2", limit=500))
    assert got == [(i + 1) * 1000 for i in reversed(range(N)) if i % 3 == 2]
    assert amounts(list_funding(store, organisation="trust-2", limit=500)) == got
    assert list_funding(store, intermediary="trust-2")["items"] == []
    assert list_funding(store, recipient="trust-2", funder="trust-1")["items"] == []


def test_amount_and_period_filters(store):
    assert amounts(list_funding(store, min_gbp=38_000, max_gbp=39_000)) == [39000, 38000]
    assert list_funding(store, period="2023/2024")["items"] == []
    assert len(list_funding(store, period="annual", limit=500)["items"]) == N


@pytest.mark.parametrize("params", [{"decision": "99/99999"}, {"funder": '"} ; DROP ALL #'},
                                    {"recipient": "Not A Slug"}, {"organisation": "no-such-org"}])
def test_unknown_values_find_nothing(store, params):
    assert list_funding(store, **params) == {"items": [], "has_more": False}


def test_a_party_that_is_not_a_flow_is_read_by_lookups():
    # a subject naming a funder without being a kg:FundingFlow still ranks (as £0)
    store = council_graph(2)
    odd = BASE + "grant/odd"
    store.replace_graph(BASE + "document/odd", f"<{odd}> <https://schema.org/funder> <{COUNCIL}> ; "
                        f"<https://schema.org/amount> <{odd}/amount> .")
    got = list_funding(store, funder="kent-county-council")["items"]
    assert [f["id"] for f in got][-1] == odd and got[-1]["amount"]["gbp"] == 0
