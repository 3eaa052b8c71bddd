"""Ties between provisions and Acts."""

from kgraph.extract.nlp.legislation_grammar import find_provisions
from kgraph.extract.nlp.legislation_ties import (
    ActHit,
    definitions,
    references,
    without_abbreviations,
)
from kgraph.extract.nlp.legislation_titles import find_instruments


def _refs(text):
    acts = [ActHit(i) for i in find_instruments(text)]
    return references(text, acts, find_provisions(text, [(a.start, a.end) for a in acts]))


def test_provision_tied_to_the_act_after_it_or_before_it():
    assert [(r.provision, r.act.title) for r in _refs("under section 22 of the Children Act 1989")] == \
        [("section 22", "Children Act 1989")]
    assert [(r.provision, r.act.title) for r in _refs("the Children Act 1989, section 17 applies")] == \
        [("section 17", "Children Act 1989")]


def test_back_reference_is_left_for_resolution():
    [ref] = _refs("Under Section 27 of the Act, others assist.")
    assert ref.act is None and ref.backref == ("Act", None)


def test_a_list_shares_the_act_of_its_last_item():
    refs = _refs("Section 100(A) and paragraph 3 of Schedule 12A to the Local Government Act 1972")
    assert {r.act.title for r in refs} == {"Local Government Act 1972"}


def test_defined_terms_and_abbreviations():
    text = "the Public Contracts Regulations 2015 (PCR 2015) (“the Regulations”)"
    acts = without_abbreviations(text, [ActHit(i) for i in find_instruments(text)])
    assert len(acts) == 1
    assert [(t, i.title) for _, t, i in definitions(text, acts)] == []  # the abbreviation sits between


def test_a_defined_term_right_after_the_title():
    text = "under the Care Act 2014 (“the Act”) and the Act"
    acts = [ActHit(i) for i in find_instruments(text)]
    assert [(t, i.title) for _, t, i in definitions(text, acts)] == [("Act", "Care Act 2014")]
