"""The gold file's ``must`` entries, asserted through SPARQL on a store built from the seeds."""

from __future__ import annotations

import json

import pytest

from kgraph.extract.gazetteers.legislation import load_acts
from kgraph.iris import Iris
from kgraph.query.select import select
from tests.conftest import GOLD_PATH

GOLD = json.loads(GOLD_PATH.read_text(encoding="utf-8"))
DOCS = GOLD["documents"]
IRIS = Iris()


def _doc_iri(store, src: str) -> str:
    rows = select(store, f'SELECT ?d WHERE {{ ?d <https://w3id.org/kgraph/def#source> "{src}" }}').rows
    assert len(rows) == 1, rows
    return rows[0]["d"]


def _ask(store, sparql: str) -> bool:
    return select(store, sparql).boolean


@pytest.mark.parametrize("src,name", [(s, n) for s, d in DOCS.items() for n in d["organisations"]
                                      if GOLD["organisations"][n].get("must")])
def test_organisation_in_document_graph(seed_store, src, name):
    doc = _doc_iri(seed_store, src)
    assert _ask(seed_store, f"""ASK {{ GRAPH <{doc}> {{ <{doc}> kg:mentionsOrganisation <{IRIS.org(name)}> }} }}""")


@pytest.mark.parametrize("src,entry", [(s, e) for s, d in DOCS.items() for e in d["legislation"] if e.get("must")])
def test_legislation_in_document_graph(seed_store, src, entry):
    doc = _doc_iri(seed_store, src)
    act = load_acts()[entry["act"]]
    assert _ask(seed_store, f"ASK {{ GRAPH <{doc}> {{ <{doc}> eli:cites <{act.provision_iri(entry['provision'])}> }} }}")


@pytest.mark.parametrize("src,entry", [(s, e) for s, d in DOCS.items() for e in d["amounts"] if e.get("must")])
def test_amount_in_document_graph(seed_store, src, entry):
    doc = _doc_iri(seed_store, src)
    filters = [f"?amount schema:value {entry['gbp']} ; kg:role \"{entry['role']}\" ."]
    if entry.get("period"):
        filters.append(f"?amount kg:period \"{entry['period']}\" .")
    for key, prop in (("funder", "schema:funder"), ("via", "kg:intermediary"), ("recipient", "kg:recipient")):
        if entry.get(key):
            filters.append(f"?flow schema:amount ?amount ; {prop} <{IRIS.org(entry[key])}> .")
    body = "\n".join(filters)
    assert _ask(seed_store, f"ASK {{ GRAPH <{doc}> {{ <{doc}> kg:statesAmount ?amount . {body} }} }}")


@pytest.mark.parametrize("src", [s for s, d in DOCS.items() if d.get("decision_number")])
def test_decision_fields_by_sparql(seed_store, src):
    gold = DOCS[src]
    doc = _doc_iri(seed_store, src)
    rows = select(seed_store, f"""
        SELECT ?title ?status ?key ?role ?person WHERE {{ GRAPH <{doc}> {{
          <{doc}> kg:records ?d . ?d kg:decisionNumber "{gold['decision_number']}" ;
             dct:title ?title ; kg:status ?status ; kg:keyDecision ?key ; kg:decisionMakerRole ?role .
          OPTIONAL {{ ?d kg:decisionMaker ?person }} }} }}""").rows
    assert len(rows) == 1
    r = rows[0]
    assert r["title"].replace("’", "'") == gold["title"]
    assert r["status"] == gold["status"]
    assert r["key"] == "true"
    assert r["role"].replace("’", "'") == gold["decision_maker"]["role"]
    assert (r["person"] or None) == gold["decision_maker"]["person"]


@pytest.mark.parametrize("src,meeting", [(s, m) for s, d in DOCS.items() for m in d.get("meetings", [])])
def test_meeting_by_sparql(seed_store, src, meeting):
    doc = _doc_iri(seed_store, src)
    assert _ask(seed_store, f"""ASK {{ GRAPH <{doc}> {{ ?m a kg:Meeting ; kg:body <{IRIS.org(meeting['body'])}> ;
                                  dct:date "{meeting['date']}"^^xsd:date }} }}""")


def test_report_proposes_decision_by_sparql(seed_store):
    doc = _doc_iri(seed_store, "004_0d21a5136373d3df.txt")
    assert _ask(seed_store, f'ASK {{ <{doc}> kg:proposes ?d . ?d kg:decisionNumber "19/00076" }}')


def test_every_fact_statement_has_checkable_evidence(seed_store):
    """Each reified fact points to a quote whose offsets index the document text."""
    rows = select(seed_store, """
        SELECT ?text ?exact ?start ?end WHERE { GRAPH ?g {
          ?st a rdf:Statement ; kg:evidence ?ev .
          ?ev oa:hasSource ?doc ;
              oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact ?exact ] ,
                             [ a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end ] .
          ?doc kg:text ?text } }""", row_cap=100_000).rows
    assert len(rows) > 100
    for r in rows:
        assert r["text"][int(r["start"]):int(r["end"])] == r["exact"]


def test_statements_without_evidence_are_absent(seed_store):
    assert not _ask(seed_store, "ASK { ?st a rdf:Statement . FILTER NOT EXISTS { ?st kg:evidence ?e } }")
