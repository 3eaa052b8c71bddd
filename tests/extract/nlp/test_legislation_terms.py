"""Well-known terms, schedule 12A categories and job titles (hand-written sentences)."""

from __future__ import annotations

import pytest
import spacy

import kgraph.extract.nlp.pipeline  # noqa: F401  (registers the factories)
from kgraph.extract.nlp.legislation_terms import find_terms, is_job_title, well_known_act

NHS = "National Health Service Act 2006"
TCPA = "Town and Country Planning Act 1990"
LGA72 = "Local Government Act 1972"


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("en")
    nlp.add_pipe("kg_sentences")
    nlp.add_pipe("kg_legislation")
    return nlp


def run(nlp, text: str):
    doc = nlp.make_doc(text)
    doc._.legislation, doc._.sections = [], []
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    for m in doc._.legislation:
        assert text[m.mention.start : m.mention.end] == m.mention.text
    return [(m.act, m.provision, m.resolution) for m in doc._.legislation]


@pytest.mark.parametrize(
    ("text", "act", "provision"),
    [
        ("The partners pool money in a Section 75 pooled budget.", NHS, "section 75"),
        ("A new S75 Agreement was signed.", NHS, "section 75"),
        ("The scheme is paid for from S106 contributions.", TCPA, "section 106"),
        ("Section 106 capital receipts will be used.", TCPA, "section 106"),
        ("The developer enters a Section 278 agreement for the junction.", "Highways Act 1980", "section 278"),
        ("The council receives a Section 31 grant each year.", "Local Government Act 2003", "section 31"),
        ("The Chief Finance Officer issued a section 114 notice.", "Local Government Finance Act 1988", "section 114"),
        ("Section 117 aftercare is free to the patient.", "Mental Health Act 1983", "section 117"),
    ],
)
def test_well_known_terms_name_their_act(nlp, text, act, provision):
    assert run(nlp, text) == [(act, provision, "well_known")]


def test_a_bare_number_without_its_noun_stays_unresolved(nlp):
    assert run(nlp, "Section 106 is relevant here.") == [(None, "section 106", "unresolved")]


def test_the_text_outranks_the_convention(nlp):
    text = "Section 75 of the Harbours Act 1964 applies. A Section 75 agreement follows."
    assert run(nlp, text) == [("Harbours Act 1964", "section 75", "explicit"),
                              ("Harbours Act 1964", "section 75", "back_reference")]


def test_traffic_regulation_orders_and_cil_regulations(nlp):
    text = "An Experimental Traffic Regulation Order and a list under CIL Regulation 123."
    assert run(nlp, text) == [("Road Traffic Regulation Act 1984", None, "well_known"),
                              ("Community Infrastructure Levy Regulations 2010", "regulation 123", "well_known")]


@pytest.mark.parametrize(
    "text",
    [
        "in consultation with the Section 151 Officer",
        "the Head of Finance/ Section 151 Officer agreed",
        "the s151 officer and the Monitoring Officer",
        "the Chief Finance Officer (S.151) signed",
        "the Section 151 (Chief Finance) Officer",
    ],
)
def test_job_titles_are_not_citations(nlp, text):
    assert run(nlp, text) == []


def test_schedule_12a_categories_in_an_exempt_context(nlp):
    text = ("Exempt information: information relating to the financial or business affairs of any "
            "particular person (including the authority holding that information).")
    assert run(nlp, text) == [(LGA72, "schedule 12A, paragraph 3", "well_known")]
    text = "Restricted: paragraph 1 (information relating to any individual)"
    assert run(nlp, text) == [(LGA72, "schedule 12A, paragraph 1", "well_known")]


def test_schedule_12a_wording_outside_an_exempt_context_is_not_a_citation():
    assert find_terms("The survey collected information relating to any individual who replied.") == []


def test_helpers():
    assert well_known_act("section", "75", "Section 75", " partnership agreement") == NHS
    assert well_known_act("section", "75", "Section 75", " of it") is None
    assert well_known_act("schedule", "12A", "Schedule 12A", ", Part 1") == LGA72
    assert not is_job_title("under ", " of the Local Government Act 1972")


@pytest.mark.parametrize(
    ("text", "paragraphs"),
    [
        ("Reason for exemption: Paragraph 3", ["3"]),
        ("Exempt information - paragraphs 1 and 2 apply", ["1", "2"]),
        ("Exempt under paragraph 7 of Schedule 12A.", ["7"]),
        ("Exempt: paragraph 3 (information relating to the financial or business affairs of any particular person)", ["3"]),
        ("exempt as set out in paragraph 3.2 of the report", []),
        ("The private report is in paragraph 4 of the appendix.", []),
    ],
)
def test_exempt_categories_by_number(nlp, text, paragraphs):
    assert run(nlp, text) == [(LGA72, f"schedule 12A, paragraph {p}", "well_known") for p in paragraphs]


def test_a_title_without_its_year_ties_its_provision_but_settles_no_act(nlp):
    text = "under section 17 of the Children Act and section 20 of the Children Act 1989"
    assert run(nlp, text) == [(None, "section 17", "unresolved"), ("Children Act 1989", "section 20", "explicit")]
    # ... unless the provision is the one a well-known Act of that title is known by
    assert run(nlp, "section 75 of the National Health Service Act") == [(NHS, "section 75", "explicit")]


def test_a_provision_written_just_before_its_act(nlp):
    assert run(nlp, "s.1 of the Localism Act 2011 and s.111 LGA 1972") == [
        ("Localism Act 2011", "section 1", "explicit"), (LGA72, "section 111", "explicit")]


def test_orders_named_by_their_kind():
    assert [(t.act, t.provision) for t in find_terms("a Tree Preservation Order and two Public Spaces Protection Orders")] == [
        ("Town and Country Planning Act 1990", None), ("Anti-social Behaviour, Crime and Policing Act 2014", None)]


def test_parts_of_a_councils_own_documents_are_not_citations(nlp):
    assert run(nlp, "in accordance with the Council's Constitution (Part 3, Section 2)") == []
    assert run(nlp, "Appendix 1, section 3 sets out the costs") == []
    assert run(nlp, "A pooled budget agreement (the Section 75 agreement) was signed.") == [(NHS, "section 75", "well_known")]
