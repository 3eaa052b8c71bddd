"""Section splitting: form fields, report headings, numbered paragraphs, flattened tables."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kgraph.extract.ingest import read_document
from kgraph.extract.sections import (
    SectionIndex,
    enclosing,
    find_section,
    find_sections,
    section_at,
    split_sections,
)
from kgraph.model import Section

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
GOLD = json.loads((ROOT / "tests" / "gold" / "seeds.json").read_text(encoding="utf-8"))


def names(text: str, kind: str = "RecordOfDecision") -> list[tuple[str, str]]:
    return [(s.name, text[s.start : s.end]) for s in split_sections(text, kind)]


# ------------------------------------------------------------------ form fields


@pytest.mark.parametrize(
    ("heading", "name"),
    [
        ("DECISION NO:", "decision_number"),
        ("## DECISION NO:", "decision_number"),
        ("DECISION TO BE TAKEN BY:", "decision_maker"),
        ("Subject Matter / Title of Decision", "title"),
        ("## Subject Matter / Title of Decision", "title"),
        ("Proposed Decision:", "decision"),
        ("## Decision:", "decision"),
        ("Reason(s) for decision:", "reasons"),
        ("Financial Implications", "financial_implications"),
        ("- Financial Implications", "financial_implications"),
        ("Legal implications", "legal_implications"),
        ("- Legal Implications", "legal_implications"),
        ("Equality Implications", "equalities_implications"),
        ("- Equalities implications", "equalities_implications"),
        ("Cabinet Committee recommendations and other consultation:", "consultation"),
        ("**Cabinet Committee recommendations and other consultation:**", "consultation"),
        ("**Any alternatives considered and rejected:**", "alternatives"),
        ("Any interest declared when the decision was taken and any dispensation granted by the Proper Officer:", "interests"),
        ("Background:", "background"),
        ("- Background – Provide brief additional context", "background"),
        ("Options", "options"),
        ("- Options (other options considered but discarded)", "options"),
    ],
)
def test_form_heading_on_its_own_line(heading, name):
    text = f"{heading}\n\nThe body text.\n"
    assert names(text) == [(name, "The body text.")]


def test_inline_bodies_follow_the_colon():
    text = "Subject: Mental Health Services\n\nKey decision: YES\n"
    secs = split_sections(text, "RecordOfDecision")
    assert [(s.name, s.heading, text[s.start : s.end]) for s in secs] == [
        ("title", "Subject:", "Mental Health Services"),
        ("key_decision", "Key decision:", "YES"),
    ]


def test_key_decision_criteria_is_key_decision():
    text = "Key decision: YES\n\nKey decision criteria. The decision will:\n\n- a) cost a lot\n"
    assert names(text) == [
        ("key_decision", "YES"),
        ("key_decision", "The decision will:\n\n- a) cost a lot"),
    ]


def test_header_and_publication_lines():
    text = (
        "KENT COUNTY COUNCIL - PROPOSED RECORD OF DECISION\n\nDECISION NO:\n\n19/00076\n\nUnrestricted\n\n"
        "**For publication** [Do not include information which is exempt]\n"
    )
    assert names(text) == [
        ("header", "KENT COUNTY COUNCIL - PROPOSED RECORD OF DECISION"),
        ("decision_number", "19/00076"),
        ("publication", "Unrestricted"),
        ("publication", "[Do not include information which is exempt]"),
    ]


def test_a_phrase_that_starts_like_a_heading_is_not_one():
    text = "Reason(s) for decision:\n\n- Decision required because the value is high.\n- Background checks were done.\n"
    assert [n for n, _ in names(text)] == ["reasons"]


def test_signature_only_at_the_end():
    text = "Any alternatives considered and rejected:\n\nSigned\n\n- Keep it\n\n.....\nsigned\n\n.....\ndate"
    secs = names(text)
    assert secs[0] == ("alternatives", "Signed\n\n- Keep it\n\n.....")
    assert secs[1] == ("signature", ".....\ndate")


def test_numbered_list_in_a_form_is_not_a_heading():
    text = "Options\n\n1. Do Nothing.\n 2. Create the new service In-House.\n"
    assert [n for n, _ in names(text)] == ["options"]


# ------------------------------------------------------------------ reports


REPORT = (
    " Summary:  This report provides an update.\n\n"
    "Recommendation(s):  The Committee is asked to ENDORSE\n a) one\n b) two\n\n"
    "2. Financial Implications\n\n2.1 SCS contributes £1m per year.\n\n"
    "6. Legal implications\n\n6.3 Section 76 of the Act applies.\n\n6.4 Next steps:\n\n"
    "6.4.1 Give notice.\n\n6.4.2 Agree exit.\n\n6.5 After.\n\n"
    "7. Recommendation(s):\n\nThe Committee is asked to agree.\n"
)


def test_report_summary_and_recommendations():
    secs = split_sections(REPORT, "CommitteeReport")
    summary = find_section(secs, "summary")
    assert REPORT[summary.start : summary.end] == "This report provides an update."
    recs = find_sections(secs, "recommendations")
    assert [REPORT[r.start : r.end] for r in recs] == [
        "The Committee is asked to ENDORSE\n a) one\n b) two",
        "The Committee is asked to agree.",
    ]
    assert recs[1].heading == "7. Recommendation(s):"


def test_numbered_headings_get_canonical_names_and_hold_their_paragraphs():
    secs = split_sections(REPORT, "CommitteeReport")
    fin = find_section(secs, "financial_implications")
    assert fin.heading == "2. Financial Implications"
    para = section_at(secs, REPORT.index("SCS"))
    assert (para.name, para.label, REPORT[para.start : para.end]) == (
        "paragraph", "2.1", "SCS contributes £1m per year.")
    legal = find_section(secs, "legal_implications")
    assert [s.name for s in enclosing(secs, REPORT.index("Section 76"))] == ["legal_implications", "paragraph"]
    assert legal.start < REPORT.index("Section 76") < legal.end


def test_sub_paragraphs_nest_inside_their_parent():
    secs = split_sections(REPORT, "CommitteeReport")
    chain = enclosing(secs, REPORT.index("Give notice"))
    assert [(s.name, s.label) for s in chain] == [
        ("legal_implications", ""), ("paragraph", "6.4"), ("paragraph", "6.4.1")]
    p64 = chain[1]
    assert REPORT[p64.start : p64.end] == "Next steps:\n\n6.4.1 Give notice.\n\n6.4.2 Agree exit."
    assert section_at(secs, REPORT.index("After")).label == "6.5"


def test_percentages_and_mismatched_numbers_are_not_paragraphs():
    text = "2. Performance\n\n2.7 Cases made up\n1.3% of the caseload.\n3.1 stray\n"
    labels = [s.label for s in split_sections(text, "CommitteeReport") if s.name == "paragraph"]
    assert labels == ["2.7"]


def test_offsets_index_the_original_text():
    secs = split_sections(REPORT, "CommitteeReport")
    for s in secs:
        assert 0 <= s.start <= s.end <= len(REPORT)
        body = REPORT[s.start : s.end]
        assert body == body.strip()


# ------------------------------------------------------------------ tables


TABLE = (
    "1.8 KCC entered into a Section 76 agreement for: \n \n"
    "Service Element  Investment  \n\n"
    "Support to Early Help Units £1.2m \n\n"
    "Kent Health Needs Education Service  £240,000 \n\n"
    "Total £1.44m \n \n1.9 Next paragraph.\n"
)


def test_flattened_table_rows_with_exact_offsets():
    secs = split_sections(TABLE, "CommitteeReport")
    table = find_section(secs, "table")
    assert table.heading == "Service Element | Investment"
    assert [(r.label, r.value, r.is_total) for r in table.rows] == [
        ("Support to Early Help Units", "£1.2m", False),
        ("Kent Health Needs Education Service", "£240,000", False),
        ("Total", "£1.44m", True),
    ]
    for r in table.rows:
        row = TABLE[r.start : r.end]
        assert row.startswith(r.label) and row.endswith(r.value)
    assert [s.name for s in enclosing(secs, table.rows[0].start)] == ["paragraph", "table"]


def test_a_single_line_ending_in_money_is_not_a_table():
    text = "1.1 The total KCC contribution will be\n£2,728,288 per year.\nSCS pays £1m\n"
    assert find_section(split_sections(text, "CommitteeReport"), "table") is None


# ------------------------------------------------------------------ lookups


def test_section_at_outside_any_section_is_none():
    assert section_at([Section("title", "Subject:", 9, 20)], 3) is None
    assert section_at([], 0) is None


# ------------------------------------------------------------------ seeds


def seed(name: str):
    doc = read_document(CORPUS / name)
    return doc, split_sections(doc.text, doc.kind)


@pytest.mark.parametrize("name", sorted(GOLD["documents"]))
def test_seed_sections_are_well_formed(name):
    doc, secs = seed(name)
    assert secs, name
    for s in secs:
        assert 0 <= s.start <= s.end <= len(doc.text)
        for r in s.rows:
            assert doc.text[r.start : r.end].startswith(r.label)


@pytest.mark.parametrize("name", [n for n, g in sorted(GOLD["documents"].items()) if g["kind"] == "RecordOfDecision"])
def test_seed_forms_have_their_fields(name):
    doc, secs = seed(name)
    got = {s.name for s in secs}
    assert {"header", "decision_maker", "decision_number", "key_decision", "title", "decision",
            "reasons", "financial_implications", "legal_implications", "equalities_implications",
            "consultation", "alternatives", "interests", "signature"} <= got
    title = find_section(secs, "title")
    assert doc.text[title.start : title.end].rstrip(".") == GOLD["documents"][name]["title"]


def test_seed_000_signed_inside_alternatives_does_not_end_the_form():
    doc, secs = seed("000_626c48bb75130463.txt")
    alt = find_section(secs, "alternatives")
    assert "Align KCC Early Help workforce" in doc.text[alt.start : alt.end]


def test_seed_002_legal_paragraph_6_3():
    doc, secs = seed("002_1e021665bc7acb93.txt")
    chain = enclosing(secs, doc.text.index("Section 76 of the National Health Service Act 2006"))
    assert [(s.name, s.label) for s in chain] == [("legal_implications", ""), ("paragraph", "6.3")]
    assert [s.label for s in find_sections(secs, "paragraph")][:3] == ["1.1", "2.1", "2.2"]


def test_seed_004_table_rows_and_total():
    doc, secs = seed("004_0d21a5136373d3df.txt")
    tables = find_sections(secs, "table")
    assert len(tables) == 1
    rows = tables[0].rows
    assert [(r.label, r.value, r.is_total) for r in rows] == [
        ("Support to Early Help Units", "£1.2m", False),
        ("Kent Health Needs Education Service", "£240,000", False),
        ("LAC Priority Assessment", "£1m", False),
        ("Harmful Sexual Abuse/Post Sexual Abuse", "£217,000", False),
        ("Total", "£2.65m", True),
    ]
    assert section_at(secs, rows[0].start).name == "table"
    assert [s.label for s in enclosing(secs, rows[0].start)][:2] == ["", "1.8"]
    assert [s.heading for s in find_sections(secs, "recommendations")] == ["Recommendation(s):", "7. Recommendation(s):"]


_SPANS = st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)), max_size=12)


@settings(max_examples=200, deadline=None)
@given(_SPANS, st.lists(st.integers(-2, 45), max_size=10))
def test_section_index_encloses_as_the_plain_look_up(spans, offsets):
    # nested, overlapping, empty and repeated sections alike
    secs = [Section(f"s{i}", "", a, b) for i, (a, b) in enumerate(spans)] + [Section("again", "", 3, 9)] * 2
    ix = SectionIndex(secs)
    for offset in offsets:
        assert ix.enclosing(offset) == enclosing(secs, offset)
