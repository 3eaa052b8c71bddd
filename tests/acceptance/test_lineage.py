"""Acceptance: the seed corpus's ``lineage`` edges (tests/gold/seeds.json) through the facts,
the CLI JSON and SPARQL; the ``not_edges`` entry is never produced."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kgraph.cli.main import app
from kgraph.query.select import select

ROOT = Path(__file__).resolve().parents[2]
Q_2016 = "2016-commissioning-and-procurement-of-the-child-and-young-people-mental"
Q_2021 = "2021-supporting-parents-to-build-resilience-and-self-help-strategies"

#: The seeds' ``lineage.edges`` with the ids kgraph gives the unnumbered decisions and reports;
#: each with a phrase the evidence must quote.
MUST = [
    ("19-00076", "supersedes", "18-00071", "debated the following decision: 18/00071"),
    ("19-00076", "amends", Q_2016, "Finalise changes to the Section 76"),
    (Q_2021, "reallocatesFundingFrom", "19-00076", "From the £1.2m previously funding the Early Help Pathway"),
    ("report:004", "proposes", "19-00076", "Finalise changes to the Section 76"),
    ("report:002", "proposes", Q_2016, "enter into such legal agreements"),
]


@pytest.fixture(scope="module")
def doc_ids(seed_facts) -> dict[str, str]:
    return {f"report:{src[:3]}": f["document"]["id"] for src, f in seed_facts.items()}


def _ids(must, doc_ids):
    return [(doc_ids.get(a, a), t, doc_ids.get(b, b), q) for a, t, b, q in must]


def test_gold_edges_are_the_ones_tested(gold):
    types = {"reallocates_funding_from": "reallocatesFundingFrom"}
    assert sorted(types.get(e["type"], e["type"]) for e in gold["lineage"]["edges"] if e["must"]) == \
        sorted(t for _, t, _, _ in MUST)


def test_must_edges_in_the_facts(seed_facts, doc_ids):
    links = [ln for f in seed_facts.values() for ln in f["decision_links"]]
    by_doc = {f["document"]["id"]: f for f in seed_facts.values()}
    for a, kind, b, phrase in _ids(MUST, doc_ids):
        found = [ln for ln in links if ln["type"] == kind and ln["from"].rsplit("/", 1)[1] == a
                 and ln["to"].rsplit("/", 1)[1] == b]
        assert found, (a, kind, b)
        ln = found[0]
        ev = ln["evidence"]
        text = next(t for t in [by_doc[ev["document"]]] if t)
        assert 0 < ln["confidence"] <= 1 and ln["rule"]
        assert " ".join(phrase.split()) in " ".join(ev["quote"].split()), (kind, ev["quote"])
        assert ev["quote"] == _text(text, ev)


def _text(f, ev):
    from kgraph.extract.ingest import read_document

    return read_document(ROOT / "corpus" / f["document"]["source"]).text[ev["start"]:ev["end"]]


def test_not_edges_are_not_produced(seed_facts, gold):
    pair = {"23-00046", "19-00076"}
    assert gold["lineage"]["not_edges"][0]["between"] == ["23/00046", "19/00076"]
    for f in seed_facts.values():
        for ln in f["decision_links"]:
            assert {ln["from"].rsplit("/", 1)[1], ln["to"].rsplit("/", 1)[1]} != pair, ln


def test_no_decision_points_to_a_later_one(seed_facts):
    dates = {"18-00071": 2018, Q_2016: 2016, "19-00076": 2019, Q_2021: 2021, "23-00046": 2023}
    for f in seed_facts.values():
        for ln in f["decision_links"]:
            a, b = ln["from"].rsplit("/", 1)[1], ln["to"].rsplit("/", 1)[1]
            if a in dates and b in dates:
                assert dates[a] > dates[b], ln


def test_agreements_set_up_and_changed(seed_facts):
    rel = {(a["id"], r["type"], r["decision"].rsplit("/", 1)[1])
           for f in seed_facts.values() for a in f["agreements"] for r in a["relations"]}
    s76 = "section-76-agreement-nhs-west-kent-clinical-commissioning-group"
    contract = "cypmhs-contract-north-east-london-nhs-foundation-trust"
    assert {(s76, "setUpBy", Q_2016), (s76, "changedBy", "19-00076"),
            (contract, "setUpBy", Q_2016), (contract, "variedBy", "19-00076")} <= rel


@pytest.fixture(scope="module")
def cli_view(seed_store):
    result = CliRunner().invoke(app, ["lineage", "19/00076", "--store", str(seed_store.path), "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_must_edges_through_the_cli(cli_view, doc_ids):
    edges = {(e["from"], e["type"], e["to"]): e for e in cli_view["edges"]}
    for a, kind, b, phrase in _ids(MUST, doc_ids):
        if b != "19-00076" and a != "19-00076" and kind == "proposes":
            continue  # report 002 proposes the 2016 decision: checked from the 2016 decision below
        e = edges[(a, kind, b)]
        assert " ".join(phrase.split()) in " ".join(e["evidence"]["quote"].split())
        assert set(e["evidence"]) >= {"document", "start", "end", "quote"}
    for n in cli_view["nodes"]:
        assert {"id", "number", "title", "date", "status", "kind"} <= n.keys()
    assert "23-00046" not in {n["id"] for n in cli_view["nodes"]}


def test_report_002_proposes_the_2016_decision_through_the_cli(seed_store, doc_ids):
    result = CliRunner().invoke(app, ["lineage", Q_2016, "--store", str(seed_store.path), "--direction", "up"])
    assert result.exit_code == 0, result.output
    view = json.loads(result.stdout)
    assert (doc_ids["report:002"], "proposes", Q_2016) in {(e["from"], e["type"], e["to"]) for e in view["edges"]}


def test_cli_formats_and_unknown_id(seed_store):
    for fmt, start in (("dot", "digraph"), ("mermaid", "flowchart"), ("graphml", "<?xml"), ("jsonld", "{")):
        r = CliRunner().invoke(app, ["lineage", "19-00076", "--store", str(seed_store.path), "--format", fmt])
        assert r.exit_code == 0 and r.stdout.startswith(start), (fmt, r.output)
    r = CliRunner().invoke(app, ["lineage", "99/99999", "--store", str(seed_store.path)])
    assert r.exit_code == 1 and "KG401" in r.output


def test_must_edges_through_sparql_property_paths(seed_store):
    base = "https://w3id.org/kgraph/id/council/kent-county-council/decision/"
    ask = ("PREFIX kg: <https://w3id.org/kgraph/def#> ASK { <%s> "
           "(kg:supersedes|kg:amends|kg:varies|kg:followsOn|kg:endsAgreementOf|kg:reallocatesFundingFrom)+ <%s> }")
    assert select(seed_store, ask % (base + Q_2021, base + "18-00071")).boolean is True
    assert select(seed_store, ask % (base + Q_2021, base + Q_2016)).boolean is True
    assert select(seed_store, ask % (base + "23-00046", base + "19-00076")).boolean is False
    assert select(seed_store, ask % (base + "19-00076", base + "23-00046")).boolean is False
    rows = select(seed_store, (ROOT / "queries" / "lineage-chain-19-00076.rq").read_text()).rows
    got = {(r["from"], r["type"], r["to"]) for r in rows}
    assert {("19-00076", "supersedes", "18-00071"), ("19-00076", "amends", Q_2016),
            (Q_2021, "reallocatesFundingFrom", "19-00076")} <= got
    assert all(r["quote"] and r["rule"] for r in rows)


def test_example_queries(seed_store):
    rows = select(seed_store, (ROOT / "queries" / "lineage-agreement-changes.rq").read_text()).rows
    assert {(r["agreement"], r["action"], r["decision"]) for r in rows} >= {
        ("section-76-agreement-nhs-west-kent-clinical-commissioning-group", "changedBy", "19-00076"),
        ("cypmhs-contract-north-east-london-nhs-foundation-trust", "variedBy", "19-00076")}
    rows = select(seed_store, (ROOT / "queries" / "lineage-funding-reallocations.rq").read_text()).rows
    assert [(r["from"], r["to"], r["gbp"], r["sourceGbp"]) for r in rows] == [(Q_2021, "19-00076", "400000", "1200000")]


def test_cli_timeline_and_explanation(seed_store):
    timeline = CliRunner().invoke(app, ["lineage", "18/00071", "--timeline", "--store", str(seed_store.path)])
    assert timeline.exit_code == 0, timeline.output
    assert [n["number"] for n in json.loads(timeline.stdout)["nodes"]][:2] == ["18/00071", "19/00076"]
    path = CliRunner().invoke(app, ["lineage", "18-00071", "--explain", "19%2F00076", "--store", str(seed_store.path)])
    assert path.exit_code == 0, path.output
    assert [(e["from"], e["type"], e["to"]) for e in json.loads(path.stdout)["edges"]] == [
        ("19-00076", "supersedes", "18-00071")]
