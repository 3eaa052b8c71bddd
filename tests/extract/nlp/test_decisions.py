"""The decision component: numbers, title, status, maker, key decision, points, date and year."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest
import spacy
from hypothesis import example, given, settings
from hypothesis import strategies as st

import kgraph.extract.nlp.pipeline  # noqa: F401  (registers the factories and Doc extensions)
from kgraph.extract.ingest import read_document
from kgraph.extract.nlp.decisions import find_decision_numbers, past_dates, split_maker
from kgraph.extract.nlp.pipeline import annotate
from kgraph.extract.sections import split_sections
from kgraph.model import DecisionMention

ROOT = Path(__file__).resolve().parents[3]
CORPUS = ROOT / "corpus"
GOLD = json.loads((ROOT / "tests" / "gold" / "seeds.json").read_text(encoding="utf-8"))["documents"]


@cache
def _nlp():
    nlp = spacy.blank("en")
    nlp.add_pipe("kg_sentences")
    nlp.add_pipe("kg_decisions")
    return nlp


def run(text: str, kind: str = "RecordOfDecision"):
    nlp = _nlp()
    doc = nlp.make_doc(text)
    doc._.sections = split_sections(text, kind)
    doc._.kind = kind
    doc._.decision = DecisionMention()
    doc._.decision_numbers = []
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return doc


def assert_mention(text, mention):
    assert mention is not None
    assert text[mention.start : mention.end] == mention.text


# ------------------------------------------------------------------ decision numbers


def test_own_number_from_the_decision_no_field():
    text = "## DECISION NO:\n\n23/00046\n\n**For publication**\n"
    doc = run(text)
    assert doc._.decision.number == "23/00046"
    assert_mention(text, doc._.decision.number_mention)
    assert [(n.number, n.own) for n in doc._.decision_numbers] == [("23/00046", True)]


def test_to_be_allocated_means_no_number():
    text = "DECISION NO:\n\nTo be allocated by\nDemocratic Services\n\nKey decision: YES\n"
    doc = run(text)
    assert doc._.decision.number is None
    assert doc._.decision_numbers == []


def test_reference_with_its_title():
    text = (
        "DECISION NO:\n\n19/00076\n\nCabinet Committee recommendations and other consultation:\n\n"
        "At its meeting on 11 January 2019, the Committee debated the following decision: "
        "18/00071 - Children and Young People’s Mental Health Services, funded by Kent County Council\n\n"
        "The decision has been discussed.\n"
    )
    refs = [n for n in run(text)._.decision_numbers if not n.own]
    assert [(n.number, n.title) for n in refs] == [
        ("18/00071", "Children and Young People's Mental Health Services, funded by Kent County Council")]
    assert_mention(text, refs[0].mention)


@pytest.mark.parametrize(
    "text",
    [
        "see ref: 2295 for the record",
        "planning application 19/502510/FULL was approved",
        "under Framework Y24008 the service",
        "the meeting on 11/01/2019 agreed",
        "see https://democracy.kent.gov.uk/ieDecisionDetails/19/00076/x",
        "see www.kent.gov.uk/19/00076",
        "number 119/000761 is not one",
    ],
)
def test_look_alike_numbers_are_rejected(text):
    assert find_decision_numbers(text, []) == []


def test_repeats_of_the_own_number_are_own():
    text = "DECISION NO:\n\n19/00076\n\nReason(s) for decision:\n\nDecision 19/00076 follows on from decision number 18/00071.\n"
    got = [(n.number, n.own, n.title) for n in run(text)._.decision_numbers]
    assert got == [("19/00076", True, None), ("19/00076", True, None), ("18/00071", False, None)]


# ------------------------------------------------------------------ title, status, maker, key decision


def test_title_strips_markdown_and_full_stop():
    text = "## Subject Matter / Title of Decision\n\n**Supporting Parents (ND Pathway).**\n\n## Decision:\n\nAgree.\n"
    d = run(text)._.decision
    assert d.title == "Supporting Parents (ND Pathway)"
    assert d.title_mention.text == "Supporting Parents (ND Pathway)"
    assert_mention(text, d.title_mention)


def test_report_title_from_summary():
    text = (
        " Summary:  This report provides an update on the commissioning and procurement \n"
        "of the child and young people mental health service.  The report seeks endorsement.\n\n"
        "Recommendation(s):  The Committee is asked to ENDORSE\n"
    )
    d = run(text, "CommitteeReport")._.decision
    assert d.title == "Commissioning and procurement of the child and young people mental health service"
    assert_mention(text, d.title_mention)
    assert d.status is None


def test_report_without_a_summary_subject_has_no_title():
    text = " Summary:  \nNational guidance sets out a clear case.\n\nRecommendation(s):\nThe Committee is asked to agree.\n"
    assert run(text, "CommitteeReport")._.decision.title is None


@pytest.mark.parametrize(
    ("header", "status"),
    [
        ("KENT COUNTY COUNCIL - PROPOSED RECORD OF DECISION", "proposed"),
        ("KENT COUNTY COUNCIL – PROPOSED RECORD OF DECISION", "proposed"),
        ("# KENT COUNTY COUNCIL – RECORD OF DECISION", "taken"),
        ("RECORD OF DECISION", "taken"),
    ],
)
def test_status_from_the_header(header, status):
    text = f"{header}\n\nDECISION NO:\n\n19/00076\n"
    d = run(text)._.decision
    assert d.status == status
    assert_mention(text, d.status_mention)
    assert d.status_mention.text.upper().endswith("RECORD OF DECISION")


@pytest.mark.parametrize(
    ("value", "person", "role"),
    [
        ("Sue Chandler, Cabinet Member for Integrated Children's Services", "Sue Chandler",
         "Cabinet Member for Integrated Children's Services"),
        ("Cabinet Member for Integrated Children’s Services", None, "Cabinet Member for Integrated Children's Services"),
        ("Roger Gough - Leader of the Council", "Roger Gough", "Leader of the Council"),
        ("Corporate Director, Children, Young People and Education", None,
         "Corporate Director, Children, Young People and Education"),
    ],
)
def test_split_maker(value, person, role):
    assert split_maker(value) == (person, role)


def test_maker_mention_keeps_the_curly_apostrophe():
    text = "DECISION TO BE TAKEN BY:\n\nCabinet Member for Integrated Children’s Services\n\nDECISION NO:\n\n19/00076\n"
    d = run(text)._.decision
    assert d.maker_role == "Cabinet Member for Integrated Children's Services"
    assert "’" in d.maker_mention.text
    assert_mention(text, d.maker_mention)


@pytest.mark.parametrize(("value", "flag"), [("YES", True), ("NO", False), ("Yes", True)])
def test_key_decision_flag(value, flag):
    text = f"## Key decision: {value}\n\nKey decision criteria. The decision will:\n\n- a) cost\n"
    d = run(text)._.decision
    assert d.key_decision is flag
    assert d.key_decision_mention.text == value


def test_no_key_decision_field_means_unknown():
    assert run("DECISION NO:\n\n19/00076\n")._.decision.key_decision is None


# ------------------------------------------------------------------ points


def test_decision_points_are_the_lettered_items():
    text = (
        "Proposed Decision:\n\nI propose to:\n\n- a) Finalise changes.\n- b) Give notice\nto NELFT.\n"
        "- c) Delegate authority.\n\nReason(s) for decision:\n\n(a) not a point here\n"
    )
    points = run(text)._.decision.points
    assert [p.text for p in points] == ["Finalise changes.", "Give notice\nto NELFT.", "Delegate authority."]
    for p in points:
        assert_mention(text, p)


def test_report_points_come_from_the_recommendations():
    text = (
        "Recommendation(s):\nThe Committee is asked to ENDORSE the proposed decision to:\n\n"
        "a) Finalise changes; \n\nb) Give notice; and \n\n1. Introduction\n\n1.1 Text.\n"
    )
    points = run(text, "CommitteeReport")._.decision.points
    assert [p.text for p in points] == ["Finalise changes;", "Give notice; and"]


def test_letters_out_of_sequence_are_not_points():
    text = "Decision:\n\nb) stray\nx) stray\n"
    assert run(text)._.decision.points == []


# ------------------------------------------------------------------ date and year


@pytest.mark.parametrize(
    ("consultation", "iso"),
    [
        ("Children's, Young People and Education Cabinet Committee – 15 November 2019 (comments will be added)", "2019-11-15"),
        ("The Children's and Young People Cabinet Committee consider the decision on 14 September 2021.", "2021-09-14"),
        ("Discussed at the Children, Young People and Education Cabinet Committee 16 May 2023, with changes.", "2023-05-16"),
    ],
)
def test_date_of_the_meeting_that_considers_the_decision(consultation, iso):
    text = f"DECISION NO:\n\n19/00076\n\nCabinet Committee recommendations and other consultation:\n\n{consultation}\n\nAny alternatives considered and rejected:\n\nNone\n"
    d = run(text)._.decision
    assert (d.date, d.year) == (iso, int(iso[:4]))


def test_a_date_in_consultation_not_about_a_meeting_is_not_the_date():
    text = "Cabinet Committee recommendations and other consultation:\n\nParents were surveyed on 3 March 2021.\n"
    d = run(text)._.decision
    assert d.date is None


def test_year_from_the_latest_past_date_when_no_meeting_date():
    text = (
        " Summary:  This report provides an update on the service.\n\n6. Legal implications\n\n"
        "6.6 The procurement process commenced with a market meeting held on 10 June 2016. The new contract is due to \n"
        "commence on 1 April 2017.\n"
    )
    d = run(text, "CommitteeReport")._.decision
    assert (d.date, d.year) == (None, 2016)


def test_future_and_boundary_dates_do_not_count():
    text = "Funding will cease in March 2024. It runs until 1 May 2025. A DPIA has been completed and is due for review in August 2023."
    assert past_dates(text, [(0, len(text))]) == []


def test_no_dates_no_year():
    d = run(" Summary:  Nothing dated.\n", "CommitteeReport")._.decision
    assert (d.date, d.year) == (None, None)


# ------------------------------------------------------------------ seeds


@cache
def seed(name: str):
    document = read_document(CORPUS / name)
    return document, annotate(document, split_sections(document.text, document.kind))


@pytest.mark.parametrize("name", sorted(GOLD))
def test_seed_decision(name):
    gold = GOLD[name]
    document, doc = seed(name)
    d = doc._.decision
    assert document.kind == gold["kind"]
    assert d.number == gold["decision_number"]
    assert d.status == gold["status"]
    if "proposes" in gold:
        # a report that proposes a numbered decision takes its title from that decision at link time
        assert d.title is None
    else:
        assert d.title == gold["title"]
    if "decision_maker" in gold:
        assert (d.maker_person, d.maker_role) == (gold["decision_maker"]["person"], gold["decision_maker"]["role"])
    else:
        assert d.maker_mention is None
    assert d.key_decision == gold.get("key_decision")
    for m in (d.number_mention, d.title_mention, d.status_mention, d.maker_mention, d.key_decision_mention, *d.points):
        if m is not None:
            assert_mention(document.text, m)


@pytest.mark.parametrize("name", sorted(GOLD))
def test_seed_decision_references(name):
    _, doc = seed(name)
    refs = sorted({n.number for n in doc._.decision_numbers if not n.own})
    assert refs == sorted(GOLD[name]["decision_references"])
    own = {n.number for n in doc._.decision_numbers if n.own}
    assert own == ({GOLD[name]["decision_number"]} if GOLD[name]["decision_number"] else set())


def test_seed_000_reference_title_is_the_same_subject():
    _, doc = seed("000_626c48bb75130463.txt")
    ref = next(n for n in doc._.decision_numbers if not n.own)
    assert ref.title == GOLD["000_626c48bb75130463.txt"]["title"]


@pytest.mark.parametrize("name", [n for n, g in sorted(GOLD.items()) if g.get("meetings")])
def test_seed_decision_date_is_a_gold_meeting(name):
    _, doc = seed(name)
    d = doc._.decision
    assert d.date in {m["date"] for m in GOLD[name]["meetings"]}
    assert d.year == int(d.date[:4])


def test_seed_002_year_is_the_latest_past_date():
    # gold dates: a market meeting held on 2016-06-10 (past), a contract due to start 2017-04-01 (future)
    held, due = GOLD["002_1e021665bc7acb93.txt"]["dates"]
    _, doc = seed("002_1e021665bc7acb93.txt")
    assert doc._.decision.year == int(held[:4]) != int(due[:4])
    assert doc._.decision.date is None


def test_seed_000_and_004_points_agree():
    _, rod = seed("000_626c48bb75130463.txt")
    _, report = seed("004_0d21a5136373d3df.txt")
    first = [" ".join(p.text.split())[:40] for p in rod._.decision.points]
    second = [" ".join(p.text.split())[:40] for p in report._.decision.points]
    assert len(first) == 3
    assert first == second


def test_an_empty_maker_field_does_not_take_the_next_fields():
    text = ("Salford City Council – Record of Decision\n\nDecision\n\nFleet Contract Extension\n\n"
            "Decision Maker:\n\nOutcome:\n\nIs Key Decision?: Yes\n")
    d = run(text)._.decision
    assert d.maker_role is None and d.title == "Fleet Contract Extension"


def _reference_past_dates(text, sentences):
    """Past dates read clause by clause on slices (the plain form of ``past_dates``)."""
    from kgraph.extract.nlp import decisions as m
    from kgraph.extract.nlp.dates import find_dates

    def tense(context, pos):
        before = [(x.end(), k) for k, rx in (("future", m._FUTURE), ("past", m._PAST)) for x in rx.finditer(context, 0, pos)]
        if before:
            return max(before)[1]
        after = [(x.start(), k) for k, rx in (("future", m._FUTURE), ("past", m._PAST)) for x in rx.finditer(context, pos)]
        return min(after)[1] if after else None

    out = []
    for s, e in sentences:
        sentence = text[s:e]
        for d in find_dates(sentence, months=True):
            if m._BOUNDARY_BEFORE.search(sentence, 0, d.start):
                continue
            c_start = ([0] + [x.end() for x in m._CLAUSE.finditer(sentence) if x.end() <= d.start])[-1]
            nxt = m._CLAUSE.search(sentence, d.end)
            c_end = nxt.start() if nxt else len(sentence)
            if (tense(sentence[c_start:c_end], d.start - c_start) or tense(sentence, d.start)) == "past":
                out.append((d.start + s, d.end + s, d.iso))
    return out


_TENSE_PIECES = st.sampled_from([
    "was", "were", "will", "held", "has been", "has", "been", "is to", "to be", "took place", "due", "next", "until",
    "by", "from the", "end of", "before", "1 May 2019", "June 2020", "1/2/2021", "15th March, 2018", "May", "Mayor",
    ",", ", ", ";", "; ", ":", " ", "  ", "\n", ".", "meeting", "x", "2019", "agreed", "expected",
])


@settings(max_examples=200, deadline=None)
@given(st.lists(_TENSE_PIECES, max_size=30), st.lists(st.integers(0, 30), max_size=8))
@example(["was", ",", "1 May 2019", "will"], [])  # the clause's own marker after the date, not one before it
@example(["was", ",", "1 May 2019", ",", "will"], [])  # no marker in the clause: the sentence's nearest before
@example(["held", "1 May 2019", ";", "will", "June 2020", "was"], [2])
def test_past_dates_are_those_read_clause_by_clause(pieces, cuts):
    text = " ".join(pieces)
    edges = sorted({0, len(text), *(len(" ".join(pieces[:i])) for i in cuts if i <= len(pieces))})
    sentences = list(zip(edges, edges[1:], strict=False))
    got = [(d.start, d.end, d.iso) for d in past_dates(text, sentences)]
    assert got == _reference_past_dates(text, sentences)
