"""kgraph.link.resolve: decision identity across documents, grouping, and amounts' periods.

The fixtures are hand-built :class:`~kgraph.extract.document.DocExtraction` objects (no pipeline run):
a Record of Decision (RoD) and committee reports about the same or another decision.
"""

from __future__ import annotations

import pytest

from kgraph.extract.document import DocExtraction
from kgraph.extract.ingest import document_from_text
from kgraph.iris import Iris
from kgraph.link.resolve import PROPOSAL_MATCH_MIN, _words, jaccard, resolve_corpus
from kgraph.model import (
    AmountMention,
    DecisionMention,
    DecisionNumberMention,
    LegislationMention,
    Mention,
    OrgMention,
)

KCC = "Kent County Council"
NELFT = "North East London NHS Foundation Trust"
TITLE = "Children and Young People’s Mental Health Services"

ROD_TEXT = f"""KENT COUNTY COUNCIL – RECORD OF DECISION
DECISION NO: 19/00076
Subject: {TITLE}
Decision: As Cabinet Member I agree to:
(a) give notice to NELFT of the withdrawal of investment in the Section 76 agreement;
(b) reinvest the £2.65m per year released into early help services.
Reasons: This follows on from decision number 18/00071 (Mental Health Services Funding).
Legal: The Council has duties under section 22 of the Children Act 1989 and under section 76.
The Council (KCC) will pay £2.65m a year; a total of £2.65m.
"""

REPORT_TEXT = """From: Sue Chandler, Cabinet Member
Summary: This report proposes changes to mental health funding.
Recommendation(s): The Cabinet Committee is asked to
(a) give notice to NELFT of the withdrawal of investment in the Section 76 agreement;
(b) reinvest the £2.65m per year released into early help services.
KCC funds £2.65m; a total of £2.65m. NHS England funds £2.65m. Section 76 applies; see 19/00076 and 18/00071.
"""

OTHER_REPORT_TEXT = """Summary: A new home to school transport policy.
Recommendation(s): The Cabinet Committee is asked to
(a) endorse the revised transport eligibility policy for pupils with special needs.
KCC funds £2.65m.
"""


def m(text: str, needle: str, nth: int = 0) -> Mention:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return Mention(needle, start, start + len(needle))


def point_mentions(text: str, *letters: str) -> list[Mention]:
    out = []
    for letter in letters:
        start = text.index(f"({letter}) ") + 4
        end = text.index("\n", start)
        out.append(Mention(text[start:end], start, end))
    return out


def rod(**overrides) -> DocExtraction:
    doc = document_from_text("rod.txt", ROD_TEXT)
    assert doc.kind == "RecordOfDecision"
    t = ROD_TEXT
    decision = DecisionMention(
        number="19/00076", number_mention=m(t, "19/00076"), title=TITLE, title_mention=m(t, TITLE),
        status="taken", key_decision=True, maker_person="Sue Chandler", points=point_mentions(t, "a", "b"),
        date="2019-11-15", year=2019,
    )
    ext = DocExtraction(
        document=doc, decision=decision,
        decision_numbers=[DecisionNumberMention(m(t, "19/00076"), "19/00076", own=True),
                          DecisionNumberMention(m(t, "18/00071"), "18/00071", own=False,
                                                title="Mental Health Services Funding")],
        organisations=[OrgMention(m(t, "NELFT"), NELFT, "NHSTrust", "acronym"),
                       OrgMention(m(t, "The Council"), KCC, "LocalAuthority", "context"),
                       OrgMention(m(t, "KCC"), KCC, "LocalAuthority", "acronym"),
                       OrgMention(m(t, "KENT COUNTY COUNCIL"), KCC, "LocalAuthority", "gazetteer")],
        legislation=[
            LegislationMention(m(t, "Section 76"), None, "section 76", "unresolved", "decision"),
            LegislationMention(m(t, "section 22"), "Children Act 1989", "section 22", "explicit",
                               "legal_implications", "Children Act 1989", "based_on"),
            LegislationMention(m(t, "section 76"), "National Health Service Act 2006", "section 76",
                               "explicit", "legal_implications", "NHS Act 2006", "based_on"),
        ],
        amounts=[
            AmountMention(m(t, "£2.65m"), 2_650_000, "funding", "annual", KCC),
            AmountMention(m(t, "£2.65m", 1), 2_650_000, "funding", "annual", KCC, evidence=m(t, "The Council (KCC) will pay £2.65m a year")),
            AmountMention(m(t, "£2.65m", 2), 2_650_000, "funding", "total", KCC, is_total=True),
        ],
    )
    for k, v in overrides.items():
        setattr(ext, k, v)
    return ext


def report(text: str = REPORT_TEXT, letters=("a", "b"), title: str | None = "Mental health funding changes",
           source: str = "report.txt", **overrides) -> DocExtraction:
    doc = document_from_text(source, text)
    assert doc.kind == "CommitteeReport"
    ext = DocExtraction(
        document=doc,
        decision=DecisionMention(title=title, title_mention=m(text, "Summary") if title else None,
                                 points=point_mentions(text, *letters), year=2019),
    )
    for k, v in overrides.items():
        setattr(ext, k, v)
    return ext


def own(facts: dict) -> dict | None:
    return next((d for d in facts["decisions"] if d["role"] in ("records", "proposes")), None)


# ------------------------------------------------------------------ decision identity


def test_record_of_decision_records_its_decision():
    [facts] = resolve_corpus([rod()])
    d = own(facts)
    assert d["role"] == "records"
    assert d["id"] == "19-00076"
    assert d["iri"] == Iris().decision("19/00076")
    assert (d["number"], d["title"], d["status"], d["key_decision"]) == ("19/00076", TITLE, "taken", True)
    assert [p["text"] for p in d["points"]][0].startswith("give notice to NELFT")
    for mention in d["mentions"] + d["points"]:
        assert ROD_TEXT[mention["start"]:mention["end"]] == mention["text"]
    assert facts["document"]["title"] == TITLE
    assert facts["document"]["kind"] == "RecordOfDecision"


def test_report_repeating_the_points_proposes_the_rods_decision():
    r, p = rod(), report()
    rod_facts, rep_facts = resolve_corpus([r, p])
    d, recorded = own(rep_facts), own(rod_facts)
    assert d["role"] == "proposes"
    assert d["iri"] == recorded["iri"]
    assert d["number"] == "19/00076"
    assert d["title"] == TITLE  # inherited from the RoD, not the report's own title
    assert d["status"] == "proposed"
    assert d["match"]["document"] == r.document.id
    assert d["match"]["rule"] == "recommendations-match-decision-points"
    assert PROPOSAL_MATCH_MIN <= d["match"]["score"] <= 1.0
    # its points and evidence are the report's, never offsets into the RoD's text
    for pt in d["points"]:
        assert REPORT_TEXT[pt["start"]:pt["end"]] == pt["text"]
    assert d["mentions"] == []
    assert rep_facts["document"]["title"] == TITLE


def test_report_matches_regardless_of_corpus_order():
    rep_facts, rod_facts = resolve_corpus([report(), rod()])
    assert own(rep_facts)["iri"] == own(rod_facts)["iri"]
    assert rep_facts["document"]["source"] == "report.txt"  # output keeps input order


def test_report_with_different_recommendations_has_its_own_unnumbered_decision():
    _, other = resolve_corpus([rod(), report(OTHER_REPORT_TEXT, letters=("a",), title="Home to School Transport Policy",
                                              source="other.txt")])
    d = own(other)
    assert d["role"] == "proposes"
    assert d["number"] is None
    assert d["id"] == "2019-home-to-school-transport-policy"
    assert d["iri"] == Iris().decision(None, year=2019, title="Home to School Transport Policy")
    assert d["status"] == "proposed"
    assert "match" not in d


def test_partial_overlap_below_threshold_does_not_match():
    # only point (a) repeats the RoD: half the words, below the match threshold
    r = rod()
    half = report(letters=("a",), title="Notice to NELFT")
    score = jaccard(_words(p.text for p in half.decision.points), _words(p.text for p in r.decision.points))
    assert 0 < score < PROPOSAL_MATCH_MIN
    _, facts = resolve_corpus([r, half])
    assert own(facts)["number"] is None
    assert own(facts)["iri"] != Iris().decision("19/00076")


def test_report_without_title_or_matching_points_proposes_nothing():
    _, facts = resolve_corpus([rod(), report(OTHER_REPORT_TEXT, letters=(), title=None, source="o.txt")])
    assert own(facts) is None
    assert facts["document"]["title"] is None


def test_rod_without_number_or_title_records_nothing():
    r = rod(decision=DecisionMention(points=point_mentions(ROD_TEXT, "a")))
    [facts] = resolve_corpus([r])
    assert own(facts) is None


def test_iris_settings_are_used():
    ids = Iris(base="https://example.org/id/", council="Medway Council")
    [facts] = resolve_corpus([rod()], ids)
    assert own(facts)["iri"] == "https://example.org/id/council/medway-council/decision/19-00076"
    assert facts["document"]["iri"].startswith("https://example.org/id/document/")
    assert facts["organisations"][0]["iri"].startswith("https://example.org/id/org/")


# ------------------------------------------------------------------ referenced decisions


def test_referenced_numbers_become_references_with_their_title():
    [facts] = resolve_corpus([rod()])
    refs = [d for d in facts["decisions"] if d["role"] == "references"]
    assert [(d["number"], d["id"], d["title"]) for d in refs] == [
        ("18/00071", "18-00071", "Mental Health Services Funding")]
    assert refs[0]["iri"] == Iris().decision("18/00071")
    assert refs[0]["mentions"] == [m(ROD_TEXT, "18/00071").as_dict()]
    assert refs[0]["status"] is None


def test_repeated_reference_is_one_entry_and_keeps_a_later_title():
    t = REPORT_TEXT
    p = report(decision_numbers=[
        DecisionNumberMention(m(t, "18/00071"), "18/00071", own=False),
        DecisionNumberMention(Mention("18/00071", 0, 8), "18/00071", own=False, title="Earlier Decision"),
    ])
    _, facts = resolve_corpus([rod(), p])
    refs = [d for d in facts["decisions"] if d["role"] == "references"]
    assert len(refs) == 1
    assert refs[0]["title"] == "Earlier Decision"
    assert len(refs[0]["mentions"]) == 2


def test_report_naming_the_number_it_proposes_does_not_also_reference_it():
    t = REPORT_TEXT
    p = report(decision_numbers=[DecisionNumberMention(m(t, "19/00076"), "19/00076", own=False),
                                 DecisionNumberMention(m(t, "18/00071"), "18/00071", own=False)])
    _, facts = resolve_corpus([rod(), p])
    assert [(d["number"], d["role"]) for d in facts["decisions"]] == [
        ("19/00076", "proposes"), ("18/00071", "references")]


# ------------------------------------------------------------------ organisations


def test_organisations_grouped_by_canonical_name_with_surface_forms():
    [facts] = resolve_corpus([rod()])
    orgs = {o["name"]: o for o in facts["organisations"]}
    assert set(orgs) == {KCC, NELFT}
    kcc = orgs[KCC]
    assert kcc["surface_forms"] == ["The Council", "KCC", "KENT COUNTY COUNCIL"]
    assert len(kcc["mentions"]) == 3
    assert kcc["id"] == "kent-county-council"
    assert kcc["iri"] == Iris().org(KCC)
    assert kcc["kind"] == "LocalAuthority"
    for o in facts["organisations"]:
        for mention in o["mentions"]:
            assert ROD_TEXT[mention["start"]:mention["end"]] == mention["text"]
    # ordered by first mention in the text
    starts = [o["mentions"][0]["start"] for o in facts["organisations"]]
    assert starts == sorted(starts)


def test_repeated_surface_form_listed_once():
    t = ROD_TEXT
    r = rod(organisations=[OrgMention(m(t, "KCC"), KCC, "LocalAuthority", "acronym"),
                           OrgMention(Mention("KCC", 0, 3), KCC, "LocalAuthority", "acronym")])
    [facts] = resolve_corpus([r])
    assert facts["organisations"][0]["surface_forms"] == ["KCC"]
    assert len(facts["organisations"][0]["mentions"]) == 2


# ------------------------------------------------------------------ legislation


def test_legislation_grouped_and_corpus_resolves_a_bare_section():
    [facts] = resolve_corpus([rod()])
    by_key = {(x["act"], x["provision"]): x for x in facts["legislation"]}
    s76 = by_key[("National Health Service Act 2006", "section 76")]
    # "Section 76" with no Act and "section 76" of the NHS Act 2006 are one provision
    assert len(s76["mentions"]) == 2
    assert {mm["resolution"] for mm in s76["mentions"]} == {"corpus", "explicit"}
    assert s76["id"] == "http://www.legislation.gov.uk/id/ukpga/2006/41/section/76"
    assert s76["act_iri"] == "http://www.legislation.gov.uk/id/ukpga/2006/41"
    assert s76["year"] == 2006
    assert s76["surface_acts"] == ["NHS Act 2006"]
    s22 = by_key[("Children Act 1989", "section 22")]
    assert s22["id"] == "http://www.legislation.gov.uk/id/ukpga/1989/41/section/22"


@pytest.mark.parametrize("first", ["cites", "based_on"])
def test_based_on_wins_over_cites(first):
    t = ROD_TEXT
    second = "cites" if first == "based_on" else "based_on"
    mk = lambda rel, nth: LegislationMention(m(t, "section", nth), "Children Act 1989", "section 22",  # noqa: E731
                                             "explicit", relation=rel)
    [facts] = resolve_corpus([rod(legislation=[mk(first, 0), mk(second, 1)])])
    [entry] = facts["legislation"]
    assert entry["relation"] == "based_on"
    assert [mm["relation"] for mm in entry["mentions"]] == [first, second]


def test_cites_only_stays_cites():
    t = ROD_TEXT
    lm = LegislationMention(m(t, "section 22"), "Children Act 1989", "section 22", "explicit")
    [facts] = resolve_corpus([rod(legislation=[lm])])
    assert facts["legislation"][0]["relation"] == "cites"


def test_unresolvable_provision_has_no_id():
    t = REPORT_TEXT
    lm = LegislationMention(m(t, "Section 76"), None, "section 99", "unresolved")
    [facts] = resolve_corpus([report(legislation=[lm])])
    [entry] = facts["legislation"]
    assert (entry["id"], entry["act"], entry["act_iri"], entry["resolution"]) == (None, None, None, "unresolved")


# ------------------------------------------------------------------ amounts


def _report_amount(fraction_nth: int, funder: str | None, is_total: bool = False, period=None) -> AmountMention:
    return AmountMention(m(REPORT_TEXT, "£2.65m", fraction_nth), 2_650_000, "funding", period, funder,
                         is_total=is_total)


def test_amount_takes_period_from_the_rod_of_the_same_decision():
    r = rod()
    p = report(amounts=[_report_amount(1, KCC)])
    _, facts = resolve_corpus([r, p])
    [a] = facts["amounts"]
    assert a["period"] == "annual"
    assert a["period_source"] == {"document": r.document.id, **r.amounts[0].mention.as_dict()}
    # the amount's own evidence stays in the report
    assert REPORT_TEXT[a["mentions"][0]["start"]:a["mentions"][0]["end"]] == "£2.65m"


def test_no_period_taken_when_funders_differ():
    p = report(amounts=[_report_amount(3, "NHS England")])
    _, facts = resolve_corpus([rod(), p])
    assert (facts["amounts"][0]["period"], facts["amounts"][0]["period_source"]) == (None, None)


def test_no_period_taken_for_a_total():
    p = report(amounts=[_report_amount(2, KCC, is_total=True)])
    _, facts = resolve_corpus([rod(), p])
    assert facts["amounts"][0]["period"] is None
    assert facts["amounts"][0]["is_total"] is True


def test_stated_period_is_kept():
    p = report(amounts=[_report_amount(1, KCC, period="2023/2024")])
    _, facts = resolve_corpus([rod(), p])
    assert (facts["amounts"][0]["period"], facts["amounts"][0]["period_source"]) == ("2023/2024", None)


def test_no_period_taken_from_a_rod_the_report_does_not_propose():
    p = report(OTHER_REPORT_TEXT, letters=("a",), title="Transport",
               amounts=[AmountMention(m(OTHER_REPORT_TEXT, "£2.65m"), 2_650_000, "funding", None, KCC)])
    _, facts = resolve_corpus([rod(), p])
    assert facts["amounts"][0]["period"] is None


def test_no_period_taken_from_a_rod_total_only():
    r = rod(amounts=[AmountMention(m(ROD_TEXT, "£2.65m", 2), 2_650_000, "funding", "total", KCC, is_total=True)])
    _, facts = resolve_corpus([r, report(amounts=[_report_amount(1, KCC)])])
    assert facts["amounts"][0]["period"] is None


def test_amount_fields():
    [facts] = resolve_corpus([rod()])
    # "reinvest the £2.65m per year" and "KCC will pay £2.65m a year" are one sum: one entry, two mentions
    a = facts["amounts"][0]
    assert (a["gbp"], a["text"], a["role"], a["funder"], a["is_total"]) == (2_650_000, "£2.65m", "funding", KCC, False)
    assert [ROD_TEXT[m["start"]:m["end"]] for m in a["mentions"]] == ["£2.65m", "£2.65m"]
    assert ROD_TEXT[a["evidence"]["start"]:a["evidence"]["end"]] == a["evidence"]["text"]
    assert facts["amounts"][1]["is_total"] is True  # "a total of £2.65m" stays a sum of its own
    assert len(facts["amounts"]) == 2


# ------------------------------------------------------------------ legislation fields (issue 8)

LEG_TEXT = "Decision: under section 2 of the Harbours Act 1964. A Section 75 agreement. Section 9 of the Act.\n"


def _leg_ext() -> DocExtraction:
    t = LEG_TEXT
    return DocExtraction(
        document=document_from_text("leg.txt", t), decision=DecisionMention(),
        legislation=[
            LegislationMention(m(t, "section 2 of the Harbours Act 1964"), "Harbours Act 1964", "section 2",
                               "explicit", "decision", "Harbours Act 1964", "based_on"),
            LegislationMention(m(t, "Section 75"), "National Health Service Act 2006", "section 75", "well_known"),
            LegislationMention(m(t, "Section 9 of the Act"), None, "section 9", "unresolved"),
        ],
    )


def test_unlisted_instrument_has_a_minted_iri_and_is_not_resolved():
    [facts] = resolve_corpus([_leg_ext()], Iris(base="https://example.org/id/"))
    harbours, s75, s9 = facts["legislation"]
    assert harbours["id"] is None and harbours["resolved"] is False and harbours["act_named_in_text"] is True
    assert harbours["act_iri"] == "https://example.org/id/legislation/harbours-act-1964"
    assert harbours["iri"] == "https://example.org/id/legislation/harbours-act-1964/section/2"
    assert harbours["year"] == 1964
    assert s75["resolved"] is True and s75["act_named_in_text"] is False
    assert s75["id"] == s75["iri"] == "http://www.legislation.gov.uk/id/ukpga/2006/41/section/75"
    assert (s9["act"], s9["id"], s9["iri"], s9["resolved"]) == (None, None, None, False)


# ------------------------------------------------------------------ one entry per sum (issue 8)

SUM_TEXT = ("Accept the grant of £40,000 from the Arts Fund. Add £40,000 to the capital programme. "
            "Delegate contracts over £40,000 to officers; key decisions are those over £40,000. "
            "The match funding of £40,000 comes from reserves. The cap is £1 million, or £1,000,000.\n")


def test_a_value_repeated_as_written_is_one_sum_unless_the_text_keeps_them_apart():
    t = SUM_TEXT
    ext = DocExtraction(
        document=document_from_text("sums.txt", t), decision=DecisionMention(),
        amounts=[
            AmountMention(m(t, "£40,000"), 40_000, "funding", funder="Arts Fund"),
            AmountMention(m(t, "£40,000", 1), 40_000, "other", purpose="capital programme"),
            AmountMention(m(t, "£40,000", 2), 40_000, "threshold"),
            AmountMention(m(t, "£40,000", 3), 40_000, "threshold"),
            AmountMention(m(t, "£40,000", 4), 40_000, "funding"),
            AmountMention(m(t, "£1 million"), 1_000_000, "threshold"),
            AmountMention(m(t, "£1,000,000"), 1_000_000, "threshold"),
        ],
    )
    [facts] = resolve_corpus([ext])
    got = [(a["gbp"], a["role"], a["funder"], a["purpose"], len(a["mentions"])) for a in facts["amounts"]]
    assert got == [
        (40_000, "funding", "Arts Fund", "capital programme", 2),  # accepted, then added: one sum
        (40_000, "threshold", None, None, 1),  # two limits that happen to be equal
        (40_000, "threshold", None, None, 1),
        (40_000, "funding", None, None, 1),  # match funding equals the grant by design
        (1_000_000, "threshold", None, None, 1),  # written two ways: two statements
        (1_000_000, "threshold", None, None, 1),
    ]


def test_sums_that_disagree_on_a_party_or_period_stay_apart():
    t = "KCC pays £5,000 a year to NELFT. NELFT pays £5,000 in 2023/24 to KCC.\n"
    ext = DocExtraction(
        document=document_from_text("two.txt", t), decision=DecisionMention(),
        amounts=[AmountMention(m(t, "£5,000"), 5_000, "funding", "annual", KCC, NELFT),
                 AmountMention(m(t, "£5,000", 1), 5_000, "funding", "2023/2024", NELFT, KCC)],
    )
    [facts] = resolve_corpus([ext])
    assert len(facts["amounts"]) == 2
