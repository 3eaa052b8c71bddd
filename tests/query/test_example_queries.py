"""Every example query in queries/ gives the answer a researcher expects on the seeds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kgraph.query.select import select
from tests.conftest import GOLD_PATH, ROOT

QUERIES = ROOT / "queries"
GOLD = json.loads(GOLD_PATH.read_text(encoding="utf-8"))


def run(store, name: str) -> list[dict]:
    return select(store, (QUERIES / name).read_text(encoding="utf-8")).rows


def test_every_query_file_is_tested():
    tested = {n for n in globals() if n.startswith("test_q_")}
    for path in sorted(QUERIES.glob("*.rq")):
        if path.name.startswith("lineage-"):
            continue  # asserted by tests/test_lineage_acceptance.py
        name = "test_q_" + Path(path.name).stem.replace("-", "_")
        assert name in tested, f"{path.name} has no test ({name})"


def test_q_statutory_basis(seed_store):
    rows = run(seed_store, "statutory-basis.rq")
    assert {(r["act"], r["label"]) for r in rows} == {
        ("Children Act 1989", "section 22 of the Children Act 1989"),
        ("Children Act 1989", "section 27 of the Children Act 1989"),
        ("Children Act 2004", "section 11 of the Children Act 2004"),
        ("National Health Service Act 2006", "section 76 of the National Health Service Act 2006"),
    }
    quotes = {r["quote"] for r in rows}
    assert "Section 27 of the Act" in quotes and "Section 11 of the Children's Act 2004" in quotes
    assert not any("12A" in r["provision"] for r in rows)


def test_q_decisions_citing_provision(seed_store):
    rows = run(seed_store, "decisions-citing-provision.rq")
    relied = {(r["number"] or r["title"]) for r in rows if r["relation"] == "based_on"}
    assert "19/00076" in relied
    assert "Commissioning and procurement of the child and young people mental health service" in relied
    assert not any(r["number"] == "23/00046" for r in rows)


def test_q_funding_by_funder(seed_store):
    rows = run(seed_store, "funding-by-funder.rq")
    nhse = [r for r in rows if r["funder"] == "NHS England"]
    assert [(r["gbp"], r["period"], r["via"], r["recipient"]) for r in nhse] == [
        ("1434000", "2023/2024", "NHS Kent and Medway Integrated Care Board", "Kent County Council")]
    kcc = {(r["gbp"], r["period"]) for r in rows if r["funder"] == "Kent County Council"}
    assert ("2650000", "annual") in kcc and ("1000000", "annual") in kcc
    ccg = {(r["gbp"], r["period"]) for r in rows if r["funder"] == "NHS Kent and Medway Clinical Commissioning Group"}
    assert ccg == {("100000", "annual")}


def test_q_organisations_of_decision(seed_store):
    names = {r["name"] for r in run(seed_store, "organisations-of-decision.rq")}
    for doc in ("000_626c48bb75130463.txt", "004_0d21a5136373d3df.txt"):
        assert set(GOLD["documents"][doc]["organisations"]) <= names
    assert "Kent PACT" not in names  # named only by 23/00046


def test_q_documents_mentioning_nelft(seed_store):
    rows = run(seed_store, "documents-mentioning-nelft.rq")
    assert {r["source"] for r in rows} == {"000_626c48bb75130463.txt", "003_b806077e52899a0c.txt",
                                            "004_0d21a5136373d3df.txt"}
    surfaces = {r["surface"] for r in rows}
    assert {"NELFT", "NEFLT", "North East London Foundation Trust"} <= surfaces


def test_q_meetings_of_decision(seed_store):
    rows = run(seed_store, "meetings-of-decision.rq")
    gold = GOLD["documents"]["000_626c48bb75130463.txt"]["meetings"]
    assert sorted((r["date"], r["body"]) for r in rows) == sorted((m["date"], m["body"]) for m in gold)


@pytest.mark.parametrize("path", sorted(QUERIES.glob("*.rq")), ids=lambda p: p.name)
def test_query_files_parse_and_run(seed_store, path):
    assert select(seed_store, path.read_text(encoding="utf-8")).variables


def test_q_evidence_of_a_decision(seed_store):
    rows = run(seed_store, "evidence-of-a-decision.rq")
    kinds = {r["p"].rsplit("#", 1)[-1] for r in rows}
    assert {"decisionNumber", "based_on", "namesOrganisation"} <= kinds
    texts = {}
    for r in rows:
        if r["source"] not in texts:
            texts[r["source"]] = select(seed_store, f'SELECT ?t WHERE {{ ?d kg:source "{r["source"]}" ; '
                                                    'kg:text ?t }').rows[0]["t"]
        text, start, end = texts[r["source"]], int(r["start"]), int(r["end"])
        assert text[start:end] == r["quote"]
        assert r["before"] == text[max(0, start - 32):start]
    assert any(r["p"].endswith("decisionNumber") and r["quote"] == "19/00076" for r in rows)
