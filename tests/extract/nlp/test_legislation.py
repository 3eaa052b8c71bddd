"""Legislation mentions: one hand-written fixture per rule, then the seed corpus."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest
import spacy

import kgraph.extract.nlp.pipeline  # noqa: F401  (registers the factories)
from kgraph.extract.gazetteers.legislation import PROVISION_FORMS
from kgraph.extract.ingest import document_from_text
from kgraph.extract.nlp.legislation import find_acts, normalise_provision, resolve_from_corpus
from kgraph.model import LegislationMention, Mention, Section

ROOT = Path(__file__).resolve().parents[3]
CORPUS = ROOT / "corpus"
GOLD = json.loads((ROOT / "tests" / "gold" / "seeds.json").read_text(encoding="utf-8"))

NHS = "National Health Service Act 2006"
CA89 = "Children Act 1989"
LGA72 = "Local Government Act 1972"
PROVISION = re.compile(PROVISION_FORMS)


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("en")
    nlp.add_pipe("kg_sentences")
    nlp.add_pipe("kg_legislation")
    return nlp


def run(nlp, text: str, sections=None) -> list[LegislationMention]:
    doc = nlp.make_doc(text)
    doc._.legislation = []
    doc._.sections = list(sections or [])
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    found = doc._.legislation
    for m in found:
        assert text[m.mention.start : m.mention.end] == m.mention.text
    assert [m.mention.start for m in found] == sorted(m.mention.start for m in found)
    return found


def facts(mentions) -> list[tuple]:
    return [(m.act, m.provision, m.resolution) for m in mentions]


# ------------------------------------------------------------------ Acts


def test_act_by_title_alias_and_misnaming(nlp):
    text = ("The National Health Service Act 2006 and the NHS Act 2006 differ from the "
            "Children's Act 2004 and the local government act 1972.")
    found = run(nlp, text)
    assert facts(found) == [
        (NHS, None, "explicit"),
        (NHS, None, "explicit"),
        ("Children Act 2004", None, "misnamed"),
        (LGA72, None, "explicit"),
    ]
    assert found[0].mention.text == "National Health Service Act 2006"
    assert found[2].surface_act == "Children's Act 2004"


def test_short_names_without_a_year_are_case_sensitive(nlp):
    found = run(nlp, "TUPE will apply. A tupe-like rule does not.")
    assert [m.mention.text for m in found] == ["TUPE"]
    assert found[0].act == "Transfer of Undertakings (Protection of Employment) Regulations 2006"


def test_act_names_across_a_line_break(nlp):
    found = run(nlp, "under the Public Contracts\nRegulations 2015 and the Children\nAct 1989")
    assert [m.act for m in found] == ["Public Contracts Regulations 2015", CA89]


def test_a_title_inside_a_longer_title_is_not_matched(nlp):
    found = run(nlp, "the Health and Social Care Act 2012 and the Children and Families Act 2014")
    assert [m.act for m in found] == ["Health and Social Care Act 2012", "Children and Families Act 2014"]


def test_find_acts_offsets():
    text = "see the Childrens Act 1989"
    [(start, end, entry, how)] = find_acts(text)
    assert (text[start:end], entry.title, how) == ("Childrens Act 1989", CA89, "misnamed")


# ------------------------------------------------------------------ provisions


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Section 22 of the Children Act 1989", [(CA89, "section 22")]),
        ("section 76(1) of the NHS Act 2006", [(NHS, "section 76(1)")]),
        ("subsection (2) of section 3 of the Localism Act 2011", [("Localism Act 2011", "section 3(2)")]),
        ("sections 2 and 3 of the Care Act 2014", [("Care Act 2014", "section 2"), ("Care Act 2014", "section 3")]),
        ("sections 2 to 4 of the Care Act 2014",
         [("Care Act 2014", "section 2"), ("Care Act 2014", "section 3"), ("Care Act 2014", "section 4")]),
        ("Schedule 12a of the Local Government Act 1972", [(LGA72, "schedule 12A")]),
        ("paragraph 3 of Schedule 12A to the Local Government Act 1972", [(LGA72, "schedule 12A, paragraph 3")]),
        ("regulation 3 of the Public Contracts Regulations 2015",
         [("Public Contracts Regulations 2015", "regulation 3")]),
        ("s.17 of the Children Act 1989", [(CA89, "section 17")]),
        ("the Children Act 1989, section 17", [(CA89, "section 17")]),
    ],
)
def test_provision_tied_to_an_act(nlp, text, expected):
    found = run(nlp, text)
    assert [(m.act, m.provision) for m in found] == expected
    assert {m.resolution for m in found} == {"explicit"}
    assert all(m.mention.text.endswith(("Act 1989", "Act 2006", "Act 2011", "Act 2014", "Act 1972",
                                        "Regulations 2015", "section 17")) for m in found)


def test_provision_list_shares_its_span(nlp):
    text = "and section \n256/257 payments may be made by NHS England under the NHS Act 2006."
    found = [m for m in run(nlp, text) if m.provision]
    assert [m.provision for m in found] == ["section 256", "section 257"]
    assert {m.mention.text for m in found} == {"section \n256/257"}
    assert {m.act for m in found} == {NHS}  # the Act named in the same sentence


def test_normalise_provision():
    assert normalise_provision("Schedule", "12a") == "schedule 12A"
    assert normalise_provision("SECTIONS", "76 (1)(b)") == "section 76(1)(b)"
    assert normalise_provision("reg.", "3") == "regulation 3"


@pytest.mark.parametrize(
    "text",
    [
        "as set out in section 5 of this report",
        "see section 3",
        "Section 4 above explains",
        "paragraph 3.2 and section 3.2",
        "Schedule 2 of the contract sets out prices",
        "Introduction\nSection 2: Background\n",
        "the Public Contracts Regulations 2015",  # "Regulations 2015" is part of the title
    ],
)
def test_what_is_not_a_provision_of_legislation(nlp, text):
    assert all(m.provision is None for m in run(nlp, text))


# ------------------------------------------------------------------ back-references


def test_section_of_the_act_refers_to_the_act_named_last(nlp):
    text = ("Section 11 of the Children Act 2004 applies. KCC has a duty under Section 22 of the "
            "Children Act 1989. Under Section 27 of the Act, others assist.")
    found = run(nlp, text)
    assert facts(found)[-1] == (CA89, "section 27", "back_reference")
    assert found[-1].mention.text == "Section 27 of the Act"
    assert found[-1].surface_act == "the Act"


def test_of_the_regulations_refers_to_the_last_instrument(nlp):
    text = ("regulation 3 of the Public Contracts Regulations 2015, the Care Act 2014 and "
            "regulation 84 of the Regulations")
    assert facts(run(nlp, text))[-1] == ("Public Contracts Regulations 2015", "regulation 84", "back_reference")


def test_of_the_year_act(nlp):
    text = "The Children Act 1989 and the Children Act 2004. Section 17 of the 1989 Act applies."
    assert facts(run(nlp, text))[-1] == (CA89, "section 17", "back_reference")


def test_back_reference_with_no_act_named_is_unresolved(nlp):
    assert facts(run(nlp, "Under Section 27 of the Act, others assist.")) == [
        (None, "section 27", "unresolved")
    ]


def test_bare_provision_takes_the_act_it_was_named_with_earlier(nlp):
    text = ("Section 76 of the National Health Service Act 2006 authorises payments. "
            "Later, the Section 76 agreement was signed with the Children Act 1989 in mind.")
    found = run(nlp, text)
    bare = [m for m in found if m.mention.text == "Section 76"]
    assert facts(bare) == [(NHS, "section 76", "back_reference")]


def test_bare_provision_with_no_act_is_unresolved(nlp):
    found = run(nlp, "KCC invests via a Section 76 funding mechanism. Finalise changes to the Section 76.")
    assert facts(found) == [(None, "section 76", "unresolved")] * 2


# ------------------------------------------------------------------ resolution across a corpus

DOC_A = "KCC will finalise changes to the Section 76 agreement."
DOC_B = "Section 76 of the National Health Service Act 2006 authorises a local authority to pay."
DOC_C = "Section 76 of the Children Act 1989 is something else entirely."


def test_provision_with_no_act_is_resolved_from_another_document(nlp):
    by_doc = {"a": run(nlp, DOC_A), "b": run(nlp, DOC_B)}
    out = resolve_from_corpus(by_doc)
    assert facts(out["a"]) == [(NHS, "section 76", "corpus")]
    assert facts(out["b"]) == [(NHS, "section 76", "explicit")]
    assert facts(by_doc["a"]) == [(None, "section 76", "unresolved")]  # input unchanged


def test_ambiguous_corpus_leaves_the_provision_unresolved(nlp):
    out = resolve_from_corpus({"a": run(nlp, DOC_A), "b": run(nlp, DOC_B), "c": run(nlp, DOC_C)})
    assert facts(out["a"]) == [(None, "section 76", "unresolved")]


def test_back_references_do_not_count_as_naming():
    def mention(act, resolution):
        return LegislationMention(Mention("Section 9", 0, 9), act, "section 9", resolution)

    out = resolve_from_corpus({"a": [mention(None, "unresolved")], "b": [mention(CA89, "back_reference")]})
    assert out["a"][0].resolution == "unresolved"


# ------------------------------------------------------------------ relation and section

LEGAL = """Reason(s) for decision:

KCC agreed to invest £2.65m per year via a Section 76 funding mechanism.

Financial Implications

The changes to the Section 76 agreement will allow oversight.

Legal Implications

KCC have a duty, under Section 22 of the Children Act 1989, to safeguard children. \
The Care Act 2014 is also relevant to adults.
"""


def test_relation_follows_section_and_cue(nlp):
    found = run(nlp, LEGAL)
    got = [(m.provision or m.act, m.section, m.relation) for m in found]
    assert got == [
        ("section 76", "reasons", "based_on"),
        ("section 76", "financial_implications", "cites"),
        ("section 22", "legal_implications", "based_on"),
        ("Care Act 2014", "legal_implications", "cites"),
    ]


def test_decision_changing_a_funding_mechanism_is_based_on_it(nlp):
    found = run(nlp, "Proposed Decision:\n\n- a) Finalise changes to the Section 76.\n")
    assert [(m.section, m.relation) for m in found] == [("decision", "based_on")]


@pytest.mark.parametrize(
    "text",
    [
        "For publication [Do not include information which is exempt from publication under "
        "schedule 12a of the Local Government Act 1972]\n",
        "Legal Implications\n\nThe paper is exempt from publication under schedule 12a of the "
        "Local Government Act 1972 as it is a duty.\n",
        "Proposed Decision:\n\nNothing is exempt from publication under Schedule 12A of the "
        "Local Government Act 1972.\n",
    ],
)
def test_exempt_publication_boilerplate_is_always_cites(nlp, text):
    found = run(nlp, text)
    assert facts(found) == [(LGA72, "schedule 12A", "explicit")]
    assert found[0].relation == "cites"


def test_sections_from_the_pipeline_are_used(nlp):
    from kgraph.model import Section

    text = "6.3 Section 76 of the NHS Act 2006 authorises a payment."
    secs = [Section("legal_implications", "6. Legal implications", 0, len(text)),
            Section("paragraph", "6.3", 4, len(text), label="6.3")]
    [m] = run(nlp, text, secs)
    assert (m.section, m.relation) == ("legal_implications", "based_on")


# ------------------------------------------------------------------ the seed corpus


def _seed_nlp():
    """The full pipeline when every component exists, else sentences + legislation only."""
    modules = ("organisations", "money", "decisions", "meetings")
    if all(importlib.util.find_spec(f"kgraph.extract.nlp.{m}") for m in modules):
        return kgraph.extract.nlp.pipeline.build_nlp()
    nlp = spacy.blank("en")
    nlp.add_pipe("kg_sentences")
    nlp.add_pipe("kg_legislation")
    return nlp


def _sections(text: str, kind: str) -> list:
    if importlib.util.find_spec("kgraph.extract.sections") is None:
        return []
    from kgraph.extract.sections import split_sections

    return split_sections(text, kind)


@pytest.fixture(scope="module")
def seed_mentions() -> dict[str, list[LegislationMention]]:
    nlp = _seed_nlp()
    by_doc = {}
    for name in GOLD["documents"]:
        document = document_from_text(name, (CORPUS / name).read_text(encoding="utf-8"))
        doc = kgraph.extract.nlp.pipeline.annotate(document, _sections(document.text, document.kind), nlp=nlp)
        by_doc[name] = list(doc._.legislation)
    return resolve_from_corpus(by_doc)


@pytest.mark.parametrize("name", sorted(GOLD["documents"]))
def test_seed_legislation_matches_gold(seed_mentions, name):
    gold = {(g["act"], g["provision"]) for g in GOLD["documents"][name]["legislation"]}
    must = {(g["act"], g["provision"]) for g in GOLD["documents"][name]["legislation"] if g["must"]}
    found = seed_mentions[name]
    text = (CORPUS / name).read_text(encoding="utf-8")
    for m in found:
        assert text[m.mention.start : m.mention.end] == m.mention.text
    got = {(m.act, m.provision) for m in found}
    assert must <= got, f"missing {must - got}"
    assert got <= gold, f"not in the document: {got - gold}"
    assert all(m.resolution != "unresolved" for m in found)


def test_seed_statutory_basis_of_19_00076(seed_mentions):
    found = seed_mentions["000_626c48bb75130463.txt"]
    basis = {(m.act, m.provision) for m in found if m.relation == "based_on"}
    assert basis == {(CA89, "section 22"), (CA89, "section 27"),
                     ("Children Act 2004", "section 11"), (NHS, "section 76")}
    [s27] = [m for m in found if m.provision == "section 27"]
    assert (s27.resolution, s27.section) == ("back_reference", "legal_implications")
    assert {m.resolution for m in found if m.provision == "section 76"} == {"corpus"}
    [s11] = [m for m in found if m.provision == "section 11"]
    assert s11.resolution == "misnamed"


def test_seed_schedule_12a_is_never_a_basis(seed_mentions):
    sched = [m for ms in seed_mentions.values() for m in ms if m.provision == "schedule 12A"]
    assert len(sched) == 2
    assert {(m.relation, m.section) for m in sched} == {("cites", "publication")}


def test_seed_section_76_resolves_to_the_nhs_act_from_002(seed_mentions):
    for name in ("000_626c48bb75130463.txt", "004_0d21a5136373d3df.txt"):
        s76 = [m for m in seed_mentions[name] if m.provision == "section 76"]
        assert s76 and {(m.act, m.resolution) for m in s76} == {(NHS, "corpus")}


# ------------------------------------------------------------------ instruments the gazetteer does not hold (issue 8)


def test_a_provision_stays_with_the_unlisted_act_it_is_tied_to(nlp):
    text = "Legal Implications\n\nThe Council has a duty under section 2 of the Harbours Act 1964 and the Care Act 2014."
    found = run(nlp, text)
    assert facts(found) == [("Harbours Act 1964", "section 2", "explicit"), ("Care Act 2014", None, "explicit")]


def test_regulations_with_a_year_are_never_a_regulation_number(nlp):
    found = run(nlp, "under the Marine Navigation (Pilotage) Regulations 2013 and Regulations 2013 generally")
    assert [m.provision for m in found] == [None]
    assert found[0].act == "Marine Navigation (Pilotage) Regulations 2013"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Section 100(A) and paragraph 3 of Part 1 of Schedule 12 (A) to the Local Government Act 1972 (as amended)",
         [(LGA72, "section 100A"), (LGA72, "schedule 12A, paragraph 3")]),
        ("Section 100A(4) of the Local Government Act 1972. Exempt under paragraphs 1 and 3 of Part 1 of "
         "Schedule 12A of the Act.",
         [(LGA72, "section 100A(4)"), (LGA72, "schedule 12A, paragraph 1"), (LGA72, "schedule 12A, paragraph 3")]),
        ("the Education and Inspections Act, 2006, Part 2, Sections 15 (1) and 10 (2)",
         [("Education and Inspections Act 2006", "section 15(1)"), ("Education and Inspections Act 2006", "section 10(2)")]),
        ("Part 5 of the Harbours Act 1964", [("Harbours Act 1964", "part 5")]),
        ("The Children and Families Act 2014, Part 3, places duties", [("Children and Families Act 2014", "part 3")]),
        ("article 4 of the Kentish Town (Parking Places) Order 2021",
         [("Kentish Town (Parking Places) Order 2021", "article 4")]),
        ("S123 of the Local Government Act 1972", [(LGA72, "section 123")]),
    ],
)
def test_provision_forms(nlp, text, expected):
    found = run(nlp, text)
    assert [(m.act, m.provision) for m in found if m.provision] == expected
    assert all(PROVISION.fullmatch(m.provision) for m in found if m.provision)


def test_exempt_information_provisions_are_citations_even_in_the_decision(nlp):
    text = ("Decision:\nthe public be excluded under Section 100A(4) of the Local Government Act 1972; "
            "the land be sold under section 123 of the Local Government Act 1972.")
    sections = [Section("decision", "Decision:", 0, len(text))]
    assert [(m.provision, m.relation) for m in run(nlp, text, sections)] == [
        ("section 100A(4)", "cites"), ("section 123", "based_on")]


def test_the_act_with_two_acts_just_named_is_unresolved(nlp):
    text = ("Duties arise under section 2 of the Harbours Act 1964 and section 9 of the Care Act 2014. "
            "Under Section 27 of the Act, others assist.")
    assert facts(run(nlp, text))[-1] == (None, "section 27", "unresolved")


def test_a_defined_term_settles_the_act_however_far_back(nlp):
    text = ("The Flood and Water Management Act 2010 (“the Act”) applies. The Care Act 2014 and the "
            "Harbours Act 1964 are also relevant. Section 19 of the Act requires an investigation.")
    assert facts(run(nlp, text))[-1] == ("Flood and Water Management Act 2010", "section 19", "back_reference")


def test_a_bare_provision_with_two_acts_in_its_sentence_is_unresolved(nlp):
    text = "Under section 5 the Care Act 2014 and the Harbours Act 1964 both apply."
    assert [f for f in facts(run(nlp, text)) if f[1]] == [(None, "section 5", "unresolved")]


def test_an_abbreviation_in_brackets_is_not_a_second_mention(nlp):
    text = "Regulation 72 of the Public Contracts Regulations 2015 (PCR 2015) applies."
    assert facts(run(nlp, text)) == [("Public Contracts Regulations 2015", "regulation 72", "explicit")]
