"""kgraph.evaluate: precision and recall of hand-built facts against a hand-built gold file."""

from __future__ import annotations

import pytest

from kgraph.evaluate import amount_matches, score

SRC = "a.txt"


def facts(**parts) -> list[dict]:
    f = {"document": {"source": SRC}, "organisations": [], "legislation": [], "amounts": [],
         "decisions": [], "meetings": []}
    f.update(parts)
    return [f]


def gold(doc: dict, organisations: dict | None = None) -> dict:
    return {"organisations": organisations or {}, "documents": {SRC: doc}}


def amount(gbp, role="funding", period=None, funder=None, recipient=None, intermediary=None, text=None):
    return {"gbp": gbp, "role": role, "period": period, "funder": funder, "recipient": recipient,
            "intermediary": intermediary, "text": text or f"£{gbp:,}"}


def own(number="19/00076", title="Mental Health Services", role="records", status="taken",
        key_decision=True, person="Sue Chandler", maker_role="Cabinet Member"):
    return {"number": number, "title": title, "role": role, "status": status, "key_decision": key_decision,
            "decision_maker": {"person": person, "role": maker_role}}


# ------------------------------------------------------------------ organisations


def test_organisations_precision_and_recall():
    g = gold({"organisations": ["Kent County Council", "NHS England"]},
             {"Kent County Council": {"must": True}, "NHS England": {"must": False},
              "Care Quality Commission": {}})
    f = facts(organisations=[{"name": "Kent County Council"}, {"name": "Care Quality Commission"},
                             {"name": "Invented Body"}])
    s = score(f, g)["organisations"]
    # CQC is a gold organisation, not of this document: not an error of precision
    assert (s.tp, s.extracted) == (2, 3)
    assert s.precision == pytest.approx(2 / 3)
    assert s.recall == 0.5
    assert s.misses == ["a.txt: NHS England"]
    assert s.extras == ["a.txt: Invented Body"]
    # NHS England is not a must organisation, so must recall is complete
    assert (s.must, s.must_found, s.must_recall) == (1, 1, 1.0)


def test_missing_must_organisation_lowers_must_recall():
    g = gold({"organisations": ["Kent County Council"]}, {"Kent County Council": {"must": True}})
    s = score(facts(), g)["organisations"]
    assert (s.recall, s.must_recall, s.precision) == (0.0, 0.0, 1.0)


def test_documents_not_in_gold_or_not_extracted_are_ignored():
    g = gold({"organisations": ["X"]})
    other = [{"document": {"source": "other.txt"}, "organisations": [{"name": "Y"}],
              "legislation": [], "amounts": [], "decisions": [], "meetings": []}]
    s = score(other, g)["organisations"]
    assert (s.gold, s.extracted) == (0, 0)


# ------------------------------------------------------------------ legislation


def test_legislation_by_act_and_provision():
    g = gold({"legislation": [
        {"act": "Children Act 1989", "provision": "section 22", "must": True},
        {"act": "Children Act 1989", "provision": "section 27", "must": False},
        {"act": "Local Government Act 1972", "provision": "schedule 12A"},
    ]})
    f = facts(legislation=[
        {"act": "Children Act 1989", "provision": "section 22"},
        {"act": "Local Government Act 1972", "provision": "schedule 12A"},
        {"act": "Children Act 1989", "provision": None},
    ])
    s = score(f, g)["legislation"]
    assert (s.tp, s.extracted, s.gold) == (2, 3, 3)
    assert s.misses == ["a.txt: Children Act 1989 section 27"]
    assert s.extras == ["a.txt: Children Act 1989"]
    assert (s.must, s.must_found) == (2, 2)


def test_legislation_with_the_wrong_provision_is_a_miss_and_an_extra():
    g = gold({"legislation": [{"act": "Children Act 1989", "provision": "section 22"}]})
    s = score(facts(legislation=[{"act": "Children Act 1989", "provision": "section 2"}]), g)["legislation"]
    assert (s.precision, s.recall, s.must_recall) == (0.0, 0.0, 0.0)


# ------------------------------------------------------------------ amounts


def test_two_gold_amounts_of_one_value_need_two_extracted():
    gold_amounts = [{"gbp": 1_000_000, "role": "threshold"}, {"gbp": 1_000_000, "role": "threshold"}]
    one = score(facts(amounts=[amount(1_000_000, "threshold")]), gold({"amounts": gold_amounts}))["amounts"]
    assert one.recall == 0.5
    assert one.must_recall == 0.5
    assert len(one.misses) == 1
    two = score(facts(amounts=[amount(1_000_000, "threshold", text="£1,000,000"),
                               amount(1_000_000, "threshold", text="£1 million")]),
                gold({"amounts": gold_amounts}))["amounts"]
    assert (two.recall, two.must_recall, two.precision) == (1.0, 1.0, 1.0)


@pytest.mark.parametrize("order", [1, -1], ids=["specific-first", "general-first"])
def test_amount_matching_does_not_depend_on_gold_order(order):
    # one gold amount is specific (annual, to NELFT), the other (a table total) is not;
    # both extracted amounts satisfy the general one, only one satisfies the specific one
    specific = {"gbp": 2_650_000, "role": "funding", "period": "annual",
                "recipient": "North East London NHS Foundation Trust"}
    general = {"gbp": 2_650_000, "role": "funding"}
    extracted = [amount(2_650_000, period="annual", recipient="North East London NHS Foundation Trust"),
                 amount(2_650_000, period=None)]
    s = score(facts(amounts=extracted), gold({"amounts": [specific, general][::order]}))["amounts"]
    assert s.misses == []
    assert s.recall == 1.0


def test_amount_precision():
    g = gold({"amounts": [{"gbp": 1_200_000, "role": "funding"}]})
    s = score(facts(amounts=[amount(1_200_000), amount(1_200_000, "threshold", text="£1.2m")]), g)["amounts"]
    assert (s.tp, s.extracted) == (1, 2)
    assert s.extras == ["a.txt: £1.2m (threshold)"]


def test_amount_must_flag():
    g = gold({"amounts": [{"gbp": 5, "role": "other", "must": False}, {"gbp": 7, "role": "other"}]})
    s = score(facts(amounts=[amount(7, "other")]), g)["amounts"]
    assert (s.must, s.must_found, s.recall) == (1, 1, 0.5)


@pytest.mark.parametrize(
    "key,extracted_key,value",
    [("period", "period", "annual"), ("funder", "funder", "Kent County Council"),
     ("via", "intermediary", "NHS Kent and Medway Integrated Care Board"),
     ("recipient", "recipient", "Kent County Council")],
)
def test_attribute_required_only_when_gold_gives_it(key, extracted_key, value):
    a = amount(1_434_000, **{extracted_key: value})
    assert amount_matches({"gbp": 1_434_000, "role": "funding"}, a)
    assert amount_matches({"gbp": 1_434_000, "role": "funding", key: None}, a)
    assert amount_matches({"gbp": 1_434_000, "role": "funding", key: value}, a)
    assert not amount_matches({"gbp": 1_434_000, "role": "funding", key: "something else"}, a)
    assert not amount_matches({"gbp": 1_434_000, "role": "funding", key: value}, amount(1_434_000))


def test_value_and_role_must_match():
    a = amount(1_000_000, "threshold")
    assert not amount_matches({"gbp": 1_000_001, "role": "threshold"}, a)
    assert not amount_matches({"gbp": 1_000_000, "role": "funding"}, a)
    assert amount_matches({"gbp": 1_000_000}, a)  # no role in gold: any role


def test_curly_apostrophe_in_a_party_name_matches():
    a = amount(10, funder="Children’s Services")
    assert amount_matches({"gbp": 10, "funder": "Children's Services"}, a)


# ------------------------------------------------------------------ decision fields


def test_decision_fields_of_a_record_of_decision():
    g = gold({"title": "Mental Health Services", "decision_number": "19/00076", "status": "taken",
              "key_decision": True, "decision_maker": {"person": "Sue Chandler", "role": "Cabinet Member"}})
    s = score(facts(decisions=[own()]), g)["decision_fields"]
    assert (s.gold, s.tp, s.extracted, s.must_found) == (6, 6, 6, 6)
    bad = score(facts(decisions=[own(status="proposed", person="S Chandler")]), g)["decision_fields"]
    assert bad.tp == 4
    assert sorted(m.split(" = ")[0] for m in bad.misses) == ["a.txt: maker_person", "a.txt: status"]


def test_curly_vs_straight_apostrophes_in_titles():
    g = gold({"title": "Children's Services"})
    s = score(facts(decisions=[own(title="Children’s Services")]), g)["decision_fields"]
    assert (s.gold, s.tp, s.misses) == (1, 1, [])
    g2 = gold({"title": "Children’s Services"})
    assert score(facts(decisions=[own(title="Children's Services")]), g2)["decision_fields"].tp == 1


def test_only_fields_the_gold_states_are_scored():
    g = gold({"title": "Mental Health Services"})
    s = score(facts(decisions=[own(status="bogus", number="99/99999")]), g)["decision_fields"]
    assert (s.gold, s.tp, s.misses) == (1, 1, [])


def test_decision_fields_need_a_title_in_gold():
    s = score(facts(decisions=[own()]), gold({"status": "taken"}))["decision_fields"]
    assert s.gold == 0


def test_report_proposes_the_gold_decision():
    g = gold({"title": "Mental Health Services", "proposes": "19/00076"})
    ok = score(facts(decisions=[own(role="proposes", status="proposed")]), g)["decision_fields"]
    assert ok.misses == [] and ok.tp == 2
    wrong = score(facts(decisions=[own(role="proposes", number="19/00077")]), g)["decision_fields"]
    assert wrong.misses == ["a.txt: proposes 19/00076"]
    none = score(facts(decisions=[]), g)["decision_fields"]
    assert none.recall == 0.0 and none.extracted == 0


def test_referenced_decisions_are_not_the_own_decision():
    g = gold({"title": "Mental Health Services"})
    ref = {**own(title="Other"), "role": "references"}
    s = score(facts(decisions=[ref, own()]), g)["decision_fields"]
    assert s.tp == 1


# ------------------------------------------------------------------ meetings and references


def test_meetings_and_decision_references():
    g = gold({"meetings": [{"body": "CYPE Committee", "date": "2019-11-15"},
                           {"body": "CYPE Committee", "date": "2019-01-11"}],
              "decision_references": ["18/00071"]})
    f = facts(meetings=[{"body": "CYPE Committee", "date": "2019-11-15"},
                        {"body": "CYPE Committee", "date": "2020-01-01"}],
              decisions=[{"number": "18/00071", "role": "references"}, {"number": "17/00001", "role": "references"},
                         own()])
    sc = score(f, g)
    assert (sc["meetings"].precision, sc["meetings"].recall) == (0.5, 0.5)
    assert sc["meetings"].misses == ["a.txt: ('CYPE Committee', '2019-01-11')"]
    refs = sc["decision_references"]
    assert (refs.precision, refs.recall) == (0.5, 1.0)
    assert refs.extras == ["a.txt: 17/00001"]


def test_empty_categories_score_one():
    sc = score([], {"documents": {}})
    assert all(s.precision == s.recall == s.must_recall == 1.0 for s in sc.values())
