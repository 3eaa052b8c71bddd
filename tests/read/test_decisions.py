"""Decision ids, summaries and the filtered list, over a small hand-built graph."""

from __future__ import annotations

import datetime as dt

import pytest

from kgraph.errors import NotFoundError
from kgraph.read.decisions import decision_iri, decision_summary, list_decisions
from kgraph.read.ids import parse_legislation
from tests.read.graphs import council_graph
from tests.read.graphs import decision_iri as iri_of

N = 40


@pytest.fixture(scope="module")
def store():
    return council_graph(N)


def ids(page: dict) -> list[str]:
    return [d["id"] for d in page["items"]]


@pytest.mark.parametrize("ident", ["19/00007", "19-00007", "19%2F00007"])
def test_decision_ids(store, ident):
    assert decision_iri(store, ident) == iri_of(7)


@pytest.mark.parametrize("ident", ["19/99999", '"} ; DROP ALL #', ""])
def test_unknown_decision(store, ident):
    with pytest.raises(NotFoundError) as exc:
        decision_iri(store, ident)
    assert exc.value.code == "KG401"


def test_summary(store):
    assert decision_summary(store, iri_of(3)) == {
        "id": "19-00003", "iri": iri_of(3), "number": "19/00003", "title": "Care services 3",
        "date": "2019-01-04", "status": "taken"}


def test_pages_cover_every_decision_once(store):
    everything = ids(list_decisions(store, limit=500))
    assert everything == sorted(everything) and len(everything) == N
    pages, offset = [], 0
    while True:
        page = list_decisions(store, offset=offset, limit=7)
        pages += ids(page)
        if not page["has_more"]:
            break
        offset += 7
    assert pages == everything


def test_unselective_filter_walks_the_sorted_list(store):
    # every decision names the council: the filter keeps all, in id order
    page = list_decisions(store, organisation="kent-county-council", limit=5)
    assert ids(page) == [f"19-{i:05d}" for i in range(5)] and page["has_more"]


def test_selective_filters(store):
    # a third of the decisions name trust-1 (the sorted list is walked)
    page = list_decisions(store, organisation="trust-1", limit=3)
    assert ids(page) == ["19-00001", "19-00004", "19-00007"] and page["has_more"]
    both = list_decisions(store, legislation=parse_legislation("ukpga/1989/41/section/22"),
                          organisation="trust-0", limit=50)
    assert ids(both) == [f"19-{i:05d}" for i in range(N) if i % 2 == 1 and i % 3 == 0]
    # four decisions name the audit committee: fewer than 1/8 of all, so only they are sorted
    few = list_decisions(store, organisation="audit-committee", offset=1, limit=2)
    assert ids(few) == ["19-00010", "19-00020"] and few["has_more"]


def test_legislation_act_covers_its_provisions(store):
    act = ids(list_decisions(store, legislation=parse_legislation("ukpga/2006/41"), limit=500))
    assert act == [f"19-{i:05d}" for i in range(0, N, 2)]
    assert ids(list_decisions(store, legislation=parse_legislation("ukpga/1999/1"))) == []


def test_dates_and_text(store):
    jan = ids(list_decisions(store, date_from=dt.date(2019, 1, 5), date_to=dt.date(2019, 1, 7)))
    assert jan == ["19-00004", "19-00005", "19-00006"]
    assert ids(list_decisions(store, q="CARE SERVICES 12")) == ["19-00012"]
    assert ids(list_decisions(store, q="19/0003")) == [f"19-{i:05d}" for i in range(30, N)]
    assert ids(list_decisions(store, q="services 1\x0019")) == []  # no match across two fields


@pytest.mark.parametrize("value", ['"} ; DROP ALL #', "Not A Slug", "no-such-org"])
def test_bad_organisation_is_a_plain_value(store, value):
    assert list_decisions(store, organisation=value)["items"] == []


def test_text_search_pages_through_the_joined_texts(store):
    every = [f"19-{i:05d}" for i in range(N)]
    first = list_decisions(store, q="care services", limit=5)
    assert ids(first) == every[:5] and first["has_more"]
    assert ids(list_decisions(store, q="care services", offset=N - 2, limit=5)) == every[-2:]
    # a hit spanning the end of one text and the start of the next is not a match
    assert ids(list_decisions(store, q="19-00003\x0119")) == []
    assert ids(list_decisions(store, q="1", organisation="trust-1", limit=3)) == ids(
        list_decisions(store, organisation="trust-1", limit=3))
