"""What documents give to and take from each other when linked (incremental builds)."""

from __future__ import annotations

from kgraph.link.deps import Neighbourhood, decision_infos, features_of, info_key, named_acts
from kgraph.model import LegislationMention, Mention


def _facts(doc: str, *, kind="RecordOfDecision", own=None, title=None, refs=(), amounts=(), points=(),
           legislation=(), orgs=(), year=2020):
    decisions = []
    if own:
        decisions.append({"iri": own, "id": own, "number": None, "role": "records", "title": title, "date": None,
                          "year": year, "decision_maker": {"role": "Cabinet"},
                          "points": [{"text": p, "start": 0, "end": len(p)} for p in points], "mentions": []})
    decisions += [{"iri": r, "id": r, "number": "19/00001", "role": "references", "title": None, "date": None,
                   "year": None, "decision_maker": {"role": None}, "points": [], "mentions": []} for r in refs]
    return {"document": {"id": doc, "source": f"{doc}.txt", "kind": kind}, "decisions": decisions,
            "organisations": [{"name": n, "kind": k} for n, k in orgs], "legislation": list(legislation),
            "amounts": [{"gbp": g, "role": "funding", "is_total": False, "mentions": [{"start": 0, "end": 1}]}
                        for g in amounts]}


def test_a_later_decision_of_the_same_title_reads_the_earlier_one():
    a = features_of(_facts("a", own="A", title="Home to school transport", year=2020), "", [], ())
    b = features_of(_facts("b", own="B", title="Home to School Transport", year=2021), "", [], ())
    c = features_of(_facts("c", own="C", title="Youth hubs", year=2022), "", [], ())
    nb = Neighbourhood([a, b, c])
    assert nb.readers(a, nb.active) == {"a", "b"} and nb.readers(b, nb.active) == {"b"}
    assert nb.reads(b) == {"a", "b"} and nb.reads(c) == {"c"}


def test_money_traced_back_reads_the_decisions_spending_that_value():
    text = "£400,000 (From the £1.2m previously funding the Early Help Pathway)."
    reader = _facts("r", own="R", title="Early help")
    reader["amounts"] = [{"gbp": 1_200_000, "role": "other", "is_total": False,
                          "mentions": [{"start": 19, "end": 24}]}]
    r = features_of(reader, text, [], ())
    spender = features_of(_facts("s", own="S", title="Other", amounts=[1_200_000]), "", [], ())
    nb = Neighbourhood([r, spender])
    assert r.fund_reads == {1_200_000} and "r" in nb.readers(spender, nb.active) and "s" in nb.reads(r)


def test_agreements_couple_documents_only_once_one_is_named():
    enters = _facts("e", own="E", title="Care", points=["Enter into agreements with the ICB"],
                    legislation=[{"provision": "section 76"}])
    e = features_of(enters, "", [], ())
    other = features_of(_facts("o", own="O", title="Care homes", points=["Enter into agreements"],
                               legislation=[{"provision": "section 76"}]), "", [], ())
    assert e.groups == {"sec:76"} and Neighbourhood([e, other]).readers(e, set()) == {"e"}
    named = features_of(_facts("n", own="N", title="Mental health"), "the Section 76 agreement between KCC and the ICB", [], ())
    nb = Neighbourhood([e, other, named])
    assert named.active == {"sec:76"} and nb.readers(e, nb.active) == {"e", "o", "n"}


def test_merged_decisions_and_named_provisions():
    a = features_of(_facts("a", own="A", title="X"), "", [], ())
    cites = features_of(_facts("b", refs=["A"]), "", [], ())
    assert info_key(decision_infos([a, cites])["A"]) != info_key(decision_infos([cites])["A"])
    m = LegislationMention(Mention("section 76", 0, 10), "National Health Service Act 2006", "section 76(1)", "explicit")
    open_ = LegislationMention(Mention("Section 76", 0, 10), None, "section 76", "unresolved")
    x = features_of(_facts("x"), "", [m, open_], ())
    assert named_acts([x]) == {"section 76": {"National Health Service Act 2006"}} and x.leg_open == {"section 76"}


def test_reports_are_matched_to_records_by_their_points():
    rod = features_of(_facts("r", own="R", title="T"), "", [], ["Agree the new carers support contract"])
    report = features_of(_facts("p", kind="CommitteeReport"), "", [], ["Agree the new carers support contract"])
    far = features_of(_facts("q", kind="CommitteeReport"), "", [], ["Note the highways budget"])
    nb = Neighbourhood([rod, report, far])
    assert nb.reports_matching(rod) == {"p"} and nb.records_matching(report) == {"r"}
