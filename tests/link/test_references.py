"""Links to earlier decisions as web pages write them: described by body and date, cited in other
councils' formats, several subject decisions on one page; each page alone (no corpus) too."""

from __future__ import annotations

from pathlib import Path

import pytest

from kgraph.graph.build import extract_corpus


def run(tmp_path: Path, docs: dict[str, str]) -> list[dict]:
    for name, text in docs.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    facts, _, errors = extract_corpus([tmp_path])
    assert errors == []
    return facts


def links(f: dict) -> list[tuple[str, str, str]]:
    return [(ln["from"].rsplit("/", 1)[1], ln["type"], ln["to"].rsplit("/", 1)[1]) for ln in f["decision_links"]]


DETAILS = """Decision details

Extension of the Carers Support Agreement

Decision Maker: Cabinet

Decision status: Recommendations Approved

Date of decision: 10/03/2018

Purpose:

The Cabinet agreed to extend the carers support agreement approved by Cabinet on 26 March 2015 for two more years.
"""


def test_described_earlier_decision_is_a_referenced_decision_with_a_link(tmp_path):
    (f,) = run(tmp_path, {"a.txt": DETAILS})
    ref = next(d for d in f["decisions"] if d["role"] == "references")
    assert (ref["number"], ref["date"], ref["decision_maker"]["role"]) == (None, "2015-03-26", "Cabinet")
    assert ref["id"] == "2015-03-26-cabinet"
    assert links(f) == [("2018-extension-of-the-carers-support-agreement", "extends", "2015-03-26-cabinet")]
    ln = f["decision_links"][0]
    assert "approved by Cabinet on 26 March 2015" in ln["evidence"]["quote"]


def test_further_to_and_delegations_follow_on(tmp_path):
    text = DETAILS.replace("The Cabinet agreed to extend the carers support agreement approved by Cabinet on "
                           "26 March 2015 for two more years.",
                           "Further to Minute No. 12 of the meeting of the Cabinet held on 4 May 2017, the "
                           "Director approved the award.")
    (f,) = run(tmp_path, {"a.txt": text})
    assert [t for _, t, _ in links(f)] == ["followsOn"]


def test_an_earlier_decision_is_never_linked_to_a_later_one(tmp_path):
    text = DETAILS.replace("26 March 2015", "26 March 2019")
    (f,) = run(tmp_path, {"a.txt": text})
    assert links(f) == []


def test_listing_page_links_each_decision_to_the_one_it_cites(tmp_path):
    text = (
        "Decisions published\n\n"
        "15/06/2021 - Extension of the Fleet Fuel Contract FLT03 (21/22) ref: 4410    Recommendations Approved\n\n"
        "The current contract formed part of decision FLT09 (18/19).\n\nDecision Maker: Director of Fleet\n\n"
        "11/06/2021 - Award of the Street Cleaning Contract ENV02 (21/22) ref: 4409    Recommendations Approved\n\n"
        "The procurement began following decision ENV11 (20/21) taken in March.\n\nDecision Maker: Director of Place\n"
    )
    (f,) = run(tmp_path, {"a.txt": text})
    subjects = [d["number"] for d in f["decisions"] if d["role"] == "records"]
    refs = [d["number"] for d in f["decisions"] if d["role"] == "references"]
    assert subjects == ["FLT03 (21/22)", "ENV02 (21/22)"] and refs == ["FLT09 (18/19)", "ENV11 (20/21)"]
    assert sorted(links(f)) == [("env02-21-22", "followsOn", "env11-20-21"),
                                ("flt03-21-22", "extends", "flt09-18-19")]


def test_look_alike_numbers_on_a_listing_page_are_not_decisions(tmp_path):
    text = ("Decisions published\n\n01/02/2020 - Grass Cutting Review ref: 2295    Recommendations Approved\n\n"
            "Planning application 19/502510/FULL, Framework Y24008, budget 2019/20, call 01234 567890.\n")
    (f,) = run(tmp_path, {"a.txt": text})
    assert [(d["number"], d["title"]) for d in f["decisions"]] == [(None, "Grass Cutting Review")]
    assert f["decision_links"] == []


def test_the_same_description_in_two_pages_is_one_decision(tmp_path):
    other = DETAILS.replace("Extension of the Carers Support Agreement", "Carers Support Agreement Review") \
                   .replace("10/03/2018", "12/09/2019")
    facts = run(tmp_path, {"a.txt": DETAILS, "b.txt": other})
    iris = {d["iri"] for f in facts for d in f["decisions"] if d["role"] == "references"}
    assert len(iris) == 1


def test_undated_description_is_scoped_to_the_page_citing_it(tmp_path):
    a = DETAILS.replace("approved by Cabinet on 26 March 2015", "that has already been agreed by cabinet")
    b = a.replace("Extension of the Carers Support Agreement", "Day Centre Review")
    facts = run(tmp_path, {"a.txt": a, "b.txt": b})
    ids = [d["id"] for f in facts for d in f["decisions"] if d["role"] == "references"]
    assert len(ids) == 2 and len(set(ids)) == 2


def test_contract_extension_extends_the_earlier_award_it_implies(tmp_path):
    text = ("Decision details\n\nPark Cafe Lease Extension\n\nDecision Maker: Director of Place\n\n"
            "Date of decision: 01/07/2022\n\nPurpose:\n\nThe lease ends in August.\n")
    (f,) = run(tmp_path, {"a.txt": text})
    award = next(d for d in f["decisions"] if d["role"] == "references")
    assert award["inferred_from"] == "contract-change" and award["number"] is None
    assert award["id"] == "undated-award-before-2022-park-cafe-lease-extension"
    (ln,) = f["decision_links"]
    assert (ln["type"], ln["rule"]) == ("extends", "contract-extension-implies-earlier-award")


def test_contract_extension_citing_its_award_links_only_to_the_cited_one(tmp_path):
    text = ("Decision details\n\nPark Cafe Lease Extension\n\nDecision Maker: Director of Place\n\n"
            "Date of decision: 01/07/2022\n\nPurpose:\n\nThe lease was approved by Cabinet on 3 May 2017.\n")
    (f,) = run(tmp_path, {"a.txt": text})
    assert [d["id"] for d in f["decisions"] if d["role"] == "references"] == ["2017-05-03-cabinet"]
    assert len(f["decision_links"]) == 1


def test_a_decision_that_changes_no_contract_implies_nothing(tmp_path):
    text = ("Decision details\n\nPark Cafe Opening Hours\n\nDecision Maker: Director of Place\n\n"
            "Date of decision: 01/07/2022\n\nPurpose:\n\nLonger summer hours.\n")
    (f,) = run(tmp_path, {"a.txt": text})
    assert [d["role"] for d in f["decisions"]] == ["records"] and f["decision_links"] == []


def test_a_described_decision_is_linked_as_the_decision_another_page_records(tmp_path):
    earlier = ("Decision details\n\nCarers Support Agreement\n\nDecision Maker: Cabinet\n\n"
               "Date of decision: 26/03/2015\n\nPurpose:\n\nTo enter the agreement.\n")
    facts = run(tmp_path, {"a.txt": DETAILS, "b.txt": earlier})
    later = next(f for f in facts if "Extension" in (f["document"]["title"] or ""))
    assert links(later) == [("2018-extension-of-the-carers-support-agreement", "extends",
                             "2015-carers-support-agreement")]


def _details(purpose: str) -> str:
    return ("Decision details\n\nHome Care Framework\n\nDecision Maker: Cabinet\n\n"
            f"Date of decision: 10/03/2021\n\nPurpose:\n\n{purpose}\n")


@pytest.mark.parametrize(("purpose", "kind"), [
    ("This decision rescinds the decision of the Cabinet on 4 May 2019 on home care.", "supersedes"),
    ("It replaces the decision of the Executive on 4 May 2019.", "supersedes"),
    ("It varies the decision of the Cabinet on 4 May 2019 on fees.", "varies"),
    ("It extends the framework approved by Cabinet on 4 May 2019.", "extends"),
    ("It amends the decision of the Cabinet on 4 May 2019.", "amends"),
    ("Further to the decision of the Cabinet on 4 May 2019, the framework is let.", "followsOn"),
    ("At its meeting on 4 May 2019, Cabinet resolved to:\n\n1. Delegate authority to the Director.", "followsOn"),
    ("The decision was made under the amended scheme of delegation approved by Council on 4 May 2019.",
     "followsOn"),
    ("The Home Care Strategy that was approved by the Executive informs it.", "references"),
])
def test_how_the_text_relates_a_described_decision(tmp_path, purpose, kind):
    (f,) = run(tmp_path, {"a.txt": _details(purpose)})
    assert [t for _, t, _ in links(f)] == [kind]


def test_a_negated_cue_leaves_a_plain_reference(tmp_path):
    (f,) = run(tmp_path, {"a.txt": _details("It does not replace the decision of the Cabinet on 4 May 2019.")})
    assert [t for _, t, _ in links(f)] == ["references"]


@pytest.mark.parametrize(("purpose", "kind"), [
    ("It follows the memorandum agreed by the Council on 4 May 2019.", "followsOn"),
    ("It is made in place of the decision of the Cabinet on 4 May 2019.", "supersedes"),
    ("To note the urgent delegated decision taken by the Director in May.", "references"),
    ("Noted that £1m was injected into the capital programme in May 2019.", "references"),
])
def test_more_cue_words(tmp_path, purpose, kind):
    (f,) = run(tmp_path, {"a.txt": _details(purpose)})
    assert [t for _, t, _ in links(f)] == [kind]


LISTING = (
    "Decisions published\n\n"
    "15/06/2021 - Extension to the Vehicle Hire Contract FLT07 (21/22) ref: 4411    Recommendations Approved\n\n"
    "The current contract expires in July. This formed part of Decision FLT02 18/19 .\n\n"
    "Decision Maker: Director of Fleet\n\n"
    "11/06/2021 - Award of contract for Street Lighting ENV05 (21/22) ref: 4412    Recommendations Approved\n\n"
    "In May 2020 the Cabinet Member approved the commencement of a procurement (decision ENV01 (20/21) refers).\n\n"
    "Decision Maker: Director of Place\n\n"
    "10/06/2021 - Extension of contracts for Day Care ENV04 (21/22) ref: 4413    Recommendations Approved\n\n"
    "The Cabinet Member approved the start of a procurement in 2016 (decision ENV09 (16/17) refers).\n\n"
    "Decision Maker: Director of Care\n"
)


def test_what_the_citing_decision_says_types_a_plain_citation(tmp_path):
    (f,) = run(tmp_path, {"a.txt": LISTING})
    assert sorted((a, t, b, ln["rule"]) for (a, t, b), ln in zip(links(f), f["decision_links"], strict=True)) == [
        ("env04-21-22", "references", "env09-16-17", "explicit-decision-number"),  # it only started the procurement
        ("env05-21-22", "followsOn", "env01-20-21", "award-follows-procurement-decision"),
        ("flt07-21-22", "extends", "flt02-18-19", "extension-of-what-cited-decision-set-up"),
    ]


def test_a_decision_reconsidered_after_call_in_supersedes_the_one_called_in(tmp_path):
    text = ("Agenda and minutes\n\nCabinet - Tuesday, 4th June, 2019\n\n12. Matters referred for reconsideration\n\n"
            "Report of the scrutiny chair on Decision No: CAB 18/19 4410 - Parking Charges Policy.\n\n"
            "13. Parking Charges Policy\n\nDECISION MADE (Ref: CAB 18/19 4502)\n\n"
            "Cabinet made the following reconsidered decision as a result of call-in:\n\n(i) To approve the charges.\n")
    (f,) = run(tmp_path, {"a.txt": text})
    assert [(ln["from_number"], ln["type"], ln["to_number"], ln["rule"]) for ln in f["decision_links"]] == [
        ("CAB 18/19 4502", "supersedes", "CAB 18/19 4410", "reconsidered-decision-replaces-called-in")]


@pytest.mark.parametrize(("purpose", "shared"), [
    ("It follows on from the grounds maintenance contract awarded in 2019.", True),   # year and a title
    ("It follows on from the contract awarded in 2019.", False),                      # "contract" names nothing
    ("It amends a previous recommendation agreed in February 2019.", False),          # a month, no body
])
def test_a_description_is_shared_by_pages_only_when_it_identifies_the_decision(tmp_path, purpose, shared):
    other = _details(purpose).replace("Home Care Framework", "Day Centre Review")
    facts = run(tmp_path, {"a.txt": _details(purpose), "b.txt": other})
    ids = {d["id"] for f in facts for d in f["decisions"] if d["role"] == "references"}
    assert len(ids) == (1 if shared else 2), ids


@pytest.mark.parametrize(("sentence", "rule"), [
    ("This decision builds on decision 19/00012.", "explicit-follows-on-cue"),
    ("Following the decision 19/00012 of Cabinet, the scheme is let.", "explicit-follows-on-cue"),
    ("It is taken in place of decision 19/00012.", "explicit-supersedes-cue"),
    ("This rescinds decision 19/00012.", "explicit-supersedes-cue"),
    ("This replaces decision 19/00012 in full.", "explicit-supersedes-cue"),
    ("It extends decision 19/00012 by a year.", "explicit-extends-cue"),
    ("It varies decision 19/00012 by a year.", "explicit-varies-cue"),
    ("Details are as follows: decision 19/00012.", None),
])
def test_cue_words_as_real_pages_write_them(sentence, rule):
    from kgraph.link.references import cue_for

    found = cue_for(sentence, sentence.index("19/00012"))
    assert (found.name if found else None) == rule
