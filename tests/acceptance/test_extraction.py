"""The gold file's ``must`` entries, asserted through the extraction JSON, plus precision."""

from __future__ import annotations

import json

import pytest

from kgraph.evaluate import amount_matches, score
from tests.conftest import GOLD_PATH

GOLD = json.loads(GOLD_PATH.read_text(encoding="utf-8"))
DOCS = GOLD["documents"]


def _cases(key: str, must_only: bool = True):
    for src, doc in DOCS.items():
        for entry in doc.get(key, []):
            if isinstance(entry, dict) and must_only and not entry.get("must", True):
                continue
            yield pytest.param(src, entry, id=f"{src[:3]}-{entry if isinstance(entry, str) else entry.get('act', entry.get('gbp', entry.get('body')))}")


def _org_is_must(name: str) -> bool:
    return GOLD["organisations"].get(name, {}).get("must", True)


@pytest.mark.parametrize("src,name", [c for c in _cases("organisations") if _org_is_must(c.values[1])])
def test_must_organisation_found(seed_facts, src, name):
    found = {o["name"] for o in seed_facts[src]["organisations"]}
    assert name in found


@pytest.mark.parametrize("src,entry", list(_cases("legislation")))
def test_must_legislation_found(seed_facts, src, entry):
    found = {(x["act"], x["provision"]) for x in seed_facts[src]["legislation"]}
    assert (entry["act"], entry["provision"]) in found


@pytest.mark.parametrize("src,entry", list(_cases("amounts")))
def test_must_amount_found(seed_facts, src, entry):
    amounts = seed_facts[src]["amounts"]
    assert any(amount_matches(entry, a) for a in amounts), [
        (a["text"], a["role"], a["period"], a["funder"]) for a in amounts if a["gbp"] == entry["gbp"]]


@pytest.mark.parametrize("src,meeting", list(_cases("meetings", must_only=False)))
def test_meeting_found(seed_facts, src, meeting):
    found = {(m["body"], m["date"]) for m in seed_facts[src]["meetings"]}
    assert (meeting["body"], meeting["date"]) in found


def _own(facts):
    return next(d for d in facts["decisions"] if d["role"] in ("records", "proposes"))


def _straight(s):
    return s.replace("’", "'") if isinstance(s, str) else s


@pytest.mark.parametrize("src", [s for s, d in DOCS.items() if d["kind"] == "RecordOfDecision"])
def test_record_of_decision_fields(seed_facts, src):
    gold, facts = DOCS[src], seed_facts[src]
    own = _own(facts)
    assert facts["document"]["kind"] == gold["kind"]
    assert own["role"] == "records"
    assert own["number"] == gold["decision_number"]
    assert _straight(own["title"]) == gold["title"]
    assert own["status"] == gold["status"]
    assert own["key_decision"] == gold["key_decision"]
    assert own["decision_maker"]["person"] == gold["decision_maker"]["person"]
    assert _straight(own["decision_maker"]["role"]) == gold["decision_maker"]["role"]


@pytest.mark.parametrize("src", [s for s, d in DOCS.items() if d["kind"] == "CommitteeReport"])
def test_committee_report_proposes(seed_facts, src):
    gold, facts = DOCS[src], seed_facts[src]
    own = _own(facts)
    assert facts["document"]["kind"] == "CommitteeReport"
    assert own["role"] == "proposes"
    assert own["number"] == gold.get("proposes")
    assert _straight(own["title"]) == gold["title"]


@pytest.mark.parametrize("src", list(DOCS))
def test_decision_references(seed_facts, src):
    found = {d["number"] for d in seed_facts[src]["decisions"] if d["role"] == "references"}
    assert found == set(DOCS[src]["decision_references"])


def test_referenced_decision_keeps_its_title(seed_facts):
    ref = next(d for d in seed_facts["000_626c48bb75130463.txt"]["decisions"] if d["number"] == "18/00071")
    assert ref["title"] == "Children and Young People's Mental Health Services, funded by Kent County Council"


def test_every_mention_quotes_the_text(seed_extraction):
    facts, texts = seed_extraction
    for f in facts:
        text = texts[f["document"]["id"]]
        for key in ("organisations", "legislation", "amounts", "meetings", "decisions"):
            for item in f[key]:
                for m in item["mentions"]:
                    assert text[m["start"]:m["end"]] == m["text"], (f["document"]["source"], key, m)


def test_boilerplate_is_cited_not_relied_on(seed_facts):
    for src in ("001_3e45d8215bfeea87.txt", "003_b806077e52899a0c.txt"):
        sched = [x for x in seed_facts[src]["legislation"] if x["provision"] == "schedule 12A"]
        assert sched and all(x["relation"] == "cites" for x in sched)


def test_statutory_basis_of_19_00076(seed_facts):
    basis = {(x["act"], x["provision"]) for x in seed_facts["000_626c48bb75130463.txt"]["legislation"]
             if x["relation"] == "based_on"}
    assert basis == {("Children Act 1989", "section 22"), ("Children Act 1989", "section 27"),
                     ("Children Act 2004", "section 11"), ("National Health Service Act 2006", "section 76")}


def test_precision_and_recall(seed_extraction, capsys):
    """Report per-category precision and recall; organisations and legislation must be exact."""
    facts, _ = seed_extraction
    scores = score(facts, GOLD)
    with capsys.disabled():
        print("\ncategory              precision  recall  must-recall")
        for name, sc in scores.items():
            print(f"{name:<22}{sc.precision:>9.3f}{sc.recall:>8.3f}{sc.must_recall:>13.3f}")
    for name, sc in scores.items():
        assert sc.must_recall == 1.0, (name, sc.misses)
    assert scores["organisations"].precision == 1.0, scores["organisations"].extras
    assert scores["legislation"].precision == 1.0, scores["legislation"].extras
    assert scores["amounts"].precision == 1.0, scores["amounts"].extras
    assert scores["meetings"].precision == 1.0, scores["meetings"].extras
