"""The REST views over the seed store: the answers legal officers and researchers ask for."""

from __future__ import annotations

import datetime as dt

import pytest

from kgraph.errors import NotFoundError
from kgraph.read import views

pytestmark = pytest.mark.slow

INJECTION = '"} ; DROP ALL #'
NHS_S76 = "ukpga/2006/41/section/76"
UNNUMBERED_2016 = "2016-commissioning-and-procurement-of-the-child-and-young-people-mental"


def ids(page: dict) -> list[str]:
    return [d["id"] for d in page["items"]]


def test_basis_of_19_00076(seed_store):
    b = views.basis(seed_store, "19/00076")
    relied = {p["path"] for p in b["relied_on"]}
    assert relied == {"ukpga/1989/41/section/22", "ukpga/1989/41/section/27",
                      "ukpga/2004/31/section/11", NHS_S76}
    every = relied | {p["path"] for p in b["cited"]}
    assert "ukpga/1972/70/schedule/12A" not in every  # form boilerplate is never a basis
    for p in b["relied_on"]:
        assert p["url"] == "https://www.legislation.gov.uk/" + p["path"]
        assert p["evidence"] and all(e["exact"] for e in p["evidence"])
    s27 = next(p for p in b["relied_on"] if p["path"].endswith("section/27"))
    assert s27["act"] == "Children Act 1989"
    assert [e["exact"] for e in s27["evidence"]] == ["Section 27 of the Act"]


def test_boilerplate_schedule_12a_is_only_cited(seed_store):
    decisions = views.legislation_decisions(seed_store, views.parse_legislation("ukpga/1972/70/schedule/12A"))
    assert decisions["decisions"]
    assert {c["relation"] for c in decisions["decisions"]} == {"cites"}


def test_decisions_citing_nhs_act_s76(seed_store):
    out = views.legislation_decisions(seed_store, views.parse_legislation(NHS_S76))
    assert out["legislation"]["label"] == "section 76 of the National Health Service Act 2006"
    assert {c["decision"]["id"] for c in out["decisions"]} == {"19-00076", UNNUMBERED_2016}
    assert {c["provision"]["path"] for c in out["decisions"]} == {NHS_S76}
    assert all(c["evidence"] for c in out["decisions"])


def test_an_act_matches_any_of_its_provisions(seed_store):
    act = views.legislation_decisions(seed_store, views.parse_legislation("ukpga/2006/41"))
    paths = {c["provision"]["path"] for c in act["decisions"]}
    assert {NHS_S76, "ukpga/2006/41/section/256", "ukpga/2006/41"} <= paths
    assert act["legislation"]["is_act"] is True


@pytest.mark.parametrize("ident", [
    NHS_S76,
    "http://www.legislation.gov.uk/id/ukpga/2006/41/section/76",
    "http%3A%2F%2Fwww.legislation.gov.uk%2Fid%2Fukpga%2F2006%2F41%2Fsection%2F76",
    "https://www.legislation.gov.uk/ukpga/2006/41/section/76",
])
def test_legislation_ids(ident):
    assert views.parse_legislation(ident).iri == "http://www.legislation.gov.uk/id/" + NHS_S76


@pytest.mark.parametrize("ident", ["", "foo", INJECTION, "ukpga/20/41", "ukpga/2006/41/section/7 6"])
def test_malformed_legislation_ids(ident):
    assert views.parse_legislation(ident) is None


def test_unknown_legislation(seed_store):
    with pytest.raises(NotFoundError) as exc:
        views.legislation_decisions(seed_store, views.parse_legislation("ukpga/1999/99/section/1"))
    assert exc.value.code == "KG401"


def test_funding_flows_from_kcc(seed_store):
    flows = views.list_funding(seed_store, funder="kent-county-council", limit=views.MAX_LIMIT)
    assert not flows["has_more"]
    assert {f["funder"]["name"] for f in flows["items"]} == {"Kent County Council"}
    amounts = [f["amount"]["gbp"] for f in flows["items"]]
    assert amounts == sorted(amounts, reverse=True)
    assert {2650000, 1257000, 1200000, 800000} <= set(amounts)
    nelft = [f for f in flows["items"] if f["recipient"]
             and f["recipient"]["id"] == "north-east-london-nhs-foundation-trust"]
    assert {(f["amount"]["gbp"], f["amount"]["period"]) for f in nelft} >= {(2650000, "annual"), (1257000, "annual")}
    for f in flows["items"]:
        assert f["evidence"]["exact"] == f["amount"]["text"]


def test_funding_filters(seed_store):
    nhse = views.list_funding(seed_store, funder="nhs-england")["items"]
    assert [(f["amount"]["gbp"], f["amount"]["period"], f["intermediary"]["name"]) for f in nhse] == [
        (1434000, "2023/2024", "NHS Kent and Medway Integrated Care Board")]
    big = views.list_funding(seed_store, min_gbp=2_000_000)["items"]
    assert big and all(f["amount"]["gbp"] >= 2_000_000 for f in big)
    assert {f["decision"] for f in views.list_funding(seed_store, decision="19/00076")["items"]} == {"19-00076"}


def test_decision_filters(seed_store):
    nelft = ids(views.list_decisions(seed_store, organisation="north-east-london-nhs-foundation-trust"))
    assert "19-00076" in nelft and UNNUMBERED_2016 not in nelft
    assert ids(views.list_decisions(seed_store, date_from=dt.date(2019, 1, 1), date_to=dt.date(2019, 12, 31))) == ["19-00076"]
    assert ids(views.list_decisions(seed_store, date_from=dt.date(2020, 1, 1))) == [
        "2021-supporting-parents-to-build-resilience-and-self-help-strategies", "23-00046"]
    assert ids(views.list_decisions(seed_store, q="KEYWORKER")) == ["23-00046"]
    act = ids(views.list_decisions(seed_store, legislation=views.parse_legislation("ukpga/2006/41")))
    s256 = ids(views.list_decisions(seed_store, legislation=views.parse_legislation("ukpga/2006/41/section/256")))
    assert act == ["19-00076", UNNUMBERED_2016] and s256 == [UNNUMBERED_2016]


def test_pagination(seed_store):
    everything = ids(views.list_decisions(seed_store, limit=views.MAX_LIMIT))
    pages, offset = [], 0
    while True:
        page = views.list_decisions(seed_store, offset=offset, limit=2)
        pages += ids(page)
        if not page["has_more"]:
            break
        offset += 2
    assert pages == everything and len(everything) == len(set(everything)) >= 5


def test_injection_is_a_plain_value(seed_store):
    before = len(seed_store)
    assert views.list_decisions(seed_store, q=INJECTION)["items"] == []
    assert views.list_decisions(seed_store, organisation=INJECTION)["items"] == []
    assert views.list_funding(seed_store, funder=INJECTION, period=INJECTION)["items"] == []
    assert views.list_organisations(seed_store, q=INJECTION)["items"] == []
    for fn in (views.decision, views.basis, views.organisation, views.document):
        with pytest.raises(NotFoundError):
            fn(seed_store, INJECTION)
    assert len(seed_store) == before


def test_decision_has_all_facts_with_evidence(seed_store):
    d = views.decision(seed_store, "19-00076")
    assert (d["number"], d["date"], d["key_decision"]) == ("19/00076", "2019-11-15", True)
    assert {x["relation"] for x in d["documents"]} == {"records", "proposes"}
    preds = {f["predicate"] for f in d["facts"]}
    assert {"eli:based_on", "kg:namesOrganisation", "kg:supersedes", "kg:hasFunding", "kg:records"} <= preds
    based = [f for f in d["facts"] if f["predicate"] == "eli:based_on"]
    assert all(f["evidence"] for f in based)
    assert d["funding"] and all(f["decision"] == "19-00076" for f in d["funding"])


def test_organisation_aliases_decisions_funding(seed_store):
    o = views.organisation(seed_store, "north-east-london-nhs-foundation-trust")
    kinds = {a["label"]: a["kinds"] for a in o["aliases"]}
    assert "acronym" in kinds["NELFT"] and "surfaceForm" in kinds["NELFT"]
    assert "hiddenLabel" in kinds["NEFLT"]
    assert "altLabel" in kinds["North East London Foundation Trust"]
    assert "19-00076" in [d["id"] for d in o["decisions"]]
    assert {f["funder"]["id"] for f in o["funding"]["in"]} == {"kent-county-council"}
    kcc = views.organisation(seed_store, "kent-county-council")
    assert any(a["label"] == "KCC" for a in kcc["aliases"]) and kcc["funding"]["out"]
    with pytest.raises(NotFoundError):
        views.organisation(seed_store, "no-such-organisation")


def test_document_text_and_spans(seed_store):
    d = views.decision(seed_store, "19-00076")
    doc = views.document(seed_store, d["documents"][0]["id"])
    assert doc["kind"] in ("RecordOfDecision", "CommitteeReport") and len(doc["sha256"]) == 64
    assert doc["spans"]
    for span in doc["spans"]:
        assert doc["text"][span["start"]:span["end"]] == span["exact"]
        assert span["supports"]
    with pytest.raises(NotFoundError):
        views.document(seed_store, "0000000000000000")
