"""Organisations over a small hand-built graph: the list, aliases, decisions, funding."""

from __future__ import annotations

import pytest

from kgraph.errors import NotFoundError
from kgraph.read.organisations import list_organisations, organisation
from tests.read.graphs import COUNCIL, council_graph

N = 12


@pytest.fixture(scope="module")
def store():
    return council_graph(N)


def test_list_by_id_with_names_and_kinds(store):
    page = list_organisations(store)
    assert [o["id"] for o in page["items"]] == [
        "audit-committee", "kent-county-council", "trust-0", "trust-1", "trust-2"]
    assert page["items"][1] == {"id": "kent-county-council", "iri": COUNCIL, "name": "Kent County Council",
                                "kind": "LocalAuthority"}
    assert [o["id"] for o in list_organisations(store, q="TRUST", offset=1, limit=1)["items"]] == ["trust-1"]
    assert list_organisations(store, q='"} ; DROP ALL #')["items"] == []


def test_an_organisation(store):
    t = organisation(store, "trust-1")
    assert (t["name"], t["kind"], t["part_of"]) == ("Trust 1", "NHSTrust", [])
    assert t["aliases"] == [{"label": "the Trust 1", "kinds": ["surfaceForm"]}]
    assert [d["id"] for d in t["decisions"]] == [f"19-{i:05d}" for i in range(N) if i % 3 == 1]
    assert [f["amount"]["gbp"] for f in t["funding"]["in"]] == [(i + 1) * 1000 for i in reversed(range(N)) if i % 3 == 1]
    assert t["funding"]["out"] == t["funding"]["via"] == [] and not t["funding_has_more"]
    audit = organisation(store, "audit-committee")
    assert audit["part_of"] == [{"id": "kent-county-council", "iri": COUNCIL, "name": "Kent County Council"}]


def test_nested_lists_are_capped(store, monkeypatch):
    import kgraph.read.organisations as orgs

    monkeypatch.setattr(orgs, "NESTED_MAX", 5)
    kcc = organisation(store, "kent-county-council")
    assert len(kcc["decisions"]) == 5 and kcc["decisions_has_more"]
    assert len(kcc["funding"]["out"]) == 5 and kcc["funding_has_more"]


@pytest.mark.parametrize("slug", ["no-such-org", "Not A Slug", '"} ; DROP ALL #'])
def test_unknown(store, slug):
    with pytest.raises(NotFoundError):
        organisation(store, slug)
