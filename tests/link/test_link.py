"""Decision-to-decision rules, each on small documents written for the rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from kgraph.graph.build import extract_corpus
from kgraph.link.corpus import RULE_CONFIDENCE


def rod(number: str, title: str, points: list[str], reasons: str = "", *, meeting: str = "15 March 2021",
        taken: bool = True) -> str:
    lines = [f"KENT COUNTY COUNCIL – {'' if taken else 'PROPOSED '}RECORD OF DECISION", "",
             "DECISION TO BE TAKEN BY:", "", "Cabinet Member for Adult Social Care", "",
             "DECISION NO:", "", number, "", "Key decision: YES", "", f"Subject: {title}", "",
             "Decision:", "", "As Cabinet Member for Adult Social Care, I agree to:", ""]
    lines += [f"- {chr(ord('a') + i)}) {p}" for i, p in enumerate(points)]
    lines += ["", "Reason(s) for decision:", "", reasons or "The service needs it.", "",
              "Cabinet Committee recommendations and other consultation:", "",
              f"Adult Social Care Cabinet Committee – {meeting}", ""]
    return "\n".join(lines)


def run(tmp_path: Path, docs: dict[str, str]) -> tuple[list[dict], dict[str, str]]:
    for name, text in docs.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    facts, texts, errors = extract_corpus([tmp_path])
    assert errors == []
    return facts, texts


def edges(facts: list[dict]) -> set[tuple[str, str, str]]:
    return {(ln["from"].rsplit("/", 1)[1], ln["type"], ln["to"].rsplit("/", 1)[1])
            for f in facts for ln in f["decision_links"]}


def link(facts: list[dict], kind: str) -> dict:
    return next(ln for f in facts for ln in f["decision_links"] if ln["type"] == kind)


@pytest.mark.parametrize(("sentence", "kind", "rule"), [
    ("This decision supersedes decision 20/00044 on the same service.", "supersedes", "explicit-supersedes-cue"),
    ("This decision replaces 20/00044.", "supersedes", "explicit-supersedes-cue"),
    ("It rescinds 20/00044.", "supersedes", "explicit-supersedes-cue"),
    ("This decision amends decision 20/00044.", "amends", "explicit-amends-cue"),
    ("This decision varies decision 20/00044.", "varies", "explicit-varies-cue"),
    ("This decision follows on from decision number 20/00044.", "followsOn", "explicit-follows-on-cue"),
    ("Decision No. 20/00044 was taken in May 2020 to start the procurement.", "followsOn", "prior-decision-taken"),
])
def test_explicit_cue_words(tmp_path, sentence, kind, rule):
    facts, _ = run(tmp_path, {"a.txt": rod("21/00010", "Home Care Services", ["Award the contract."], sentence)})
    assert ("21-00010", kind, "20-00044") in edges(facts)
    ln = link(facts, kind)
    assert ln["rule"] == rule and ln["confidence"] == RULE_CONFIDENCE[rule]
    assert sentence in ln["evidence"]["quote"]
    # the typed link replaces the plain citation resting on the same sentence
    assert ("21-00010", "references", "20-00044") not in edges(facts)


def test_plain_citation_is_a_reference_only(tmp_path):
    facts, texts = run(tmp_path, {"a.txt": rod("21/00010", "Home Care Services", ["Award the contract."],
                                               "See also 20/00044 for background.")})
    assert edges(facts) == {("21-00010", "references", "20-00044")}
    ln = link(facts, "references")
    ev = ln["evidence"]
    assert texts[ev["document"]][ev["start"]:ev["end"]] == ev["quote"]


def test_negated_cue_gives_no_typed_edge(tmp_path):
    facts, _ = run(tmp_path, {"a.txt": rod("21/00010", "Home Care Services", ["Award the contract."],
                                           "This decision does not replace 20/00044.")})
    assert edges(facts) == {("21-00010", "references", "20-00044")}


def test_look_alike_numbers_make_no_edges(tmp_path):
    reasons = ("This decision supersedes ref: 2295 and planning application 19/502510/FULL, "
               "Framework Y24008, and the plan of 11/01/2019.")
    facts, _ = run(tmp_path, {"a.txt": rod("21/00010", "Home Care Services", ["Award the contract."], reasons)})
    assert edges(facts) == set()
    assert [d["id"] for d in facts[0]["decisions"]] == ["21-00010"]


def test_a_decision_citing_a_later_one_does_not_supersede_it(tmp_path):
    facts, _ = run(tmp_path, {"a.txt": rod("18/00005", "Home Care Services", ["Award the contract."],
                                           "This decision supersedes decision 21/00010.",
                                           meeting="15 March 2018")})
    assert ("18-00005", "supersedes", "21-00010") not in edges(facts)
    assert edges(facts) == {("18-00005", "references", "21-00010")}


def test_same_subject_debated_again_supersedes(tmp_path):
    reasons = ("At its meeting on 11 January 2020, the Adult Social Care Cabinet Committee debated "
               "the following decision: 20/00044 - Home Care Services for Older People")
    facts, _ = run(tmp_path, {"a.txt": rod("21/00010", "Home Care Services for Older People",
                                           ["Award the contract."], reasons)})
    assert edges(facts) == {("21-00010", "supersedes", "20-00044")}
    ln = link(facts, "supersedes")
    assert ln["rule"] == "same-subject-debated-again"
    assert "debated the following decision: 20/00044" in ln["evidence"]["quote"]


def test_debated_decision_on_another_subject_is_only_referenced(tmp_path):
    reasons = ("At its meeting on 11 January 2020, the Adult Social Care Cabinet Committee debated "
               "the following decision: 20/00044 - Highways Maintenance Contract")
    facts, _ = run(tmp_path, {"a.txt": rod("21/00010", "Home Care Services for Older People",
                                           ["Award the contract."], reasons)})
    assert edges(facts) == {("21-00010", "references", "20-00044")}


def test_same_title_decided_again_later(tmp_path):
    facts, _ = run(tmp_path, {
        "a.txt": rod("20/00044", "Home Care Services for Older People", ["Award the contract."],
                     meeting="15 March 2020"),
        "b.txt": rod("21/00010", "Home Care Services for Older People", ["Extend the pilot."],
                     meeting="15 March 2021"),
    })
    assert edges(facts) == {("21-00010", "supersedes", "20-00044")}
    assert link(facts, "supersedes")["rule"] == "same-title-decided-again"


def test_different_subjects_with_the_same_organisations_are_not_linked(tmp_path):
    shared = ("KCC will work with North East London NHS Foundation Trust (NELFT) and the "
              "NHS Kent and Medway Integrated Care Board on this.")
    facts, _ = run(tmp_path, {
        "a.txt": rod("20/00044", "Mental Health Services for Children", ["Award the contract."], shared,
                     meeting="15 March 2020"),
        "b.txt": rod("23/00046", "Designated Keyworker Programme", ["Accept the funding."], shared,
                     meeting="16 May 2023"),
    })
    assert edges(facts) == set()


def test_agreement_set_up_then_ended(tmp_path):
    set_up = rod("20/00044", "Community Equipment Service",
                 ["Enter into such legal agreements as are necessary with Kent Community Health NHS "
                  "Foundation Trust for the equipment service.", "Delegate authority to the Director."],
                 "The Section 75 agreement between KCC and Kent Community Health NHS Foundation Trust "
                 "will pool the budgets under Section 75 of the National Health Service Act 2006.",
                 meeting="15 March 2020")
    ended = rod("22/00003", "Community Equipment Service Recommissioning",
                ["Terminate the existing Section 75 agreement with Kent Community Health NHS Foundation Trust.",
                 "Delegate authority to the Director."], meeting="15 March 2022")
    facts, _ = run(tmp_path, {"a.txt": set_up, "b.txt": ended})
    assert ("22-00003", "endsAgreementOf", "20-00044") in edges(facts)
    ln = link(facts, "endsAgreementOf")
    assert ln["rule"] == "ends-agreement-set-up-earlier"
    assert ln["evidence"]["quote"].startswith("Terminate the existing Section 75")
    agreements = {a["id"]: a for f in facts for a in f["agreements"]}
    slug = "section-75-agreement-kent-community-health-nhs-foundation-trust"
    assert slug in agreements
    rel = {(r["type"], r["decision"].rsplit("/", 1)[1]) for f in facts for a in f["agreements"]
           for r in a["relations"]}
    assert rel == {("setUpBy", "20-00044"), ("endedBy", "22-00003")}


def test_changes_and_partial_notice_on_agreements(tmp_path):
    set_up = rod("20/00044", "Commissioning and procurement of the children's wellbeing service",
                 ["Enter into such legal agreements as are necessary with NHS West Kent Clinical "
                  "Commissioning Group for the purpose of jointly procuring the wellbeing service.",
                  "Delegate authority to the Director."],
                 "Section 76 of the National Health Service Act 2006 allows the payments. The new "
                 "contract is due to commence on 1 April 2021.", meeting="15 March 2020")
    changed = rod("22/00003", "Wellbeing Service Funding",
                  ["Finalise changes to the Section 76, allowing KCC to have clear oversight.",
                   "Give notice to North East London NHS Foundation Trust that funding for part of the "
                   "service will be recommitted."],
                  "The Children's Wellbeing Service (CWS) has a Section 76 agreement between KCC and "
                  "NHS West Kent Clinical Commissioning Group. We will split the CWS contract with "
                  "North East London NHS Foundation Trust.", meeting="15 March 2022")
    facts, _ = run(tmp_path, {"a.txt": set_up, "b.txt": changed})
    found = edges(facts)
    assert ("22-00003", "amends", "20-00044") in found
    assert ("22-00003", "varies", "20-00044") in found
    agreements = {a["id"] for f in facts for a in f["agreements"]}
    assert "cws-contract-north-east-london-nhs-foundation-trust" in agreements


def test_money_traced_to_the_decision_that_released_it(tmp_path):
    earlier = rod("20/00044", "Wellbeing Service Funding",
                  ["Give notice that all the Early Help element will be recommitted to other programmes."],
                  "The decision will split the investment, with £1.2m refocused into early help services.",
                  meeting="15 March 2020")
    later = rod("22/00003", "Parenting Support Service", ["Award the contract."],
                "The funding available is £400,000 (From the £1.2m previously funding the Early Help "
                "Pathway in the wellbeing contract).", meeting="15 March 2022")
    facts, _ = run(tmp_path, {"a.txt": earlier, "b.txt": later})
    assert ("22-00003", "reallocatesFundingFrom", "20-00044") in edges(facts)
    ln = link(facts, "reallocatesFundingFrom")
    assert ln["amount"]["gbp"] == 400000 and ln["source_amount"]["gbp"] == 1200000
    assert "previously funding the Early Help" in ln["evidence"]["quote"]


def test_money_of_the_same_value_for_another_purpose_is_not_traced(tmp_path):
    earlier = rod("20/00044", "Highways Funding", ["Recommit the road budget to pothole repairs."],
                  "The decision will refocus £1.2m into highway repairs.", meeting="15 March 2020")
    later = rod("22/00003", "Parenting Support Service", ["Award the contract."],
                "The funding available is £400,000 (From the £1.2m previously funding the Early Help "
                "Pathway in the wellbeing contract).", meeting="15 March 2022")
    facts, _ = run(tmp_path, {"a.txt": earlier, "b.txt": later})
    assert edges(facts) == set()


def test_every_rule_has_a_confidence_in_range():
    assert all(0 < v <= 1 for v in RULE_CONFIDENCE.values())
