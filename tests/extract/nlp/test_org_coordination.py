"""Coordinated names sharing a plural head: hand-written sentences, and their look-alikes."""

from __future__ import annotations

import pytest
import spacy

import kgraph.extract.nlp.pipeline  # noqa: F401  (registers the kg_* factories)
from kgraph.extract.gazetteers.organisations import OrgEntry, load_organisations
from kgraph.extract.nlp.org_coordination import council_places, split_list


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("en")
    nlp.add_pipe("kg_organisations")
    return nlp


def found(nlp, text: str) -> list[tuple[str, str, str]]:
    doc = nlp.make_doc(text)
    doc._.council = None
    doc._.organisations = []
    doc = nlp.get_pipe("kg_organisations")(doc)
    for o in doc._.organisations:
        assert text[o.mention.start:o.mention.end] == o.mention.text
    return [(o.mention.text, o.name, o.kind) for o in doc._.organisations]



def test_school_list_with_and_inside_a_name(nlp):
    text = ("to convert Holy Cross RC Secondary, St Bede's and St Aidan's CE Primary and Elmwood Junior\n"
            "Schools to academies")
    assert found(nlp, text) == [
        ("Holy Cross RC Secondary", "Holy Cross RC Secondary School", "School"),
        ("St Bede's and St Aidan's CE Primary", "St Bede's and St Aidan's CE Primary School", "School"),
        ("Elmwood Junior\nSchools", "Elmwood Junior School", "School"),
    ]


def test_infant_and_nursery_is_one_phase(nlp):
    assert [n for _, n, _ in found(nlp, "St Luke’s Infant and Nursery and Hillside Primary Schools")] == [
        "St Luke's Infant and Nursery School", "Hillside Primary School"]


def test_academies_share_academies(nlp):
    assert [n for _, n, _ in found(nlp, "Northgate High and Southfield Grammar Academies")] == [
        "Northgate High Academy", "Southfield Grammar Academy"]


def test_ccgs_after_the_plural_head(nlp):
    text = "with the two Clinical Commissioning Groups (CCGs) of Heywood, Middleton and Rochdale and Bury, to"
    assert found(nlp, text) == [
        ("Heywood, Middleton and Rochdale", "NHS Heywood, Middleton and Rochdale Clinical Commissioning Group",
         "ClinicalCommissioningGroup"),
        ("Bury", "NHS Bury Clinical Commissioning Group", "ClinicalCommissioningGroup"),
    ]


def test_ccgs_before_the_plural_head(nlp):
    assert [n for _, n, _ in found(nlp, "NHS Swale and Dartford, Gravesham and Swanley CCGs agreed")] == [
        "NHS Swale Clinical Commissioning Group", "NHS Dartford, Gravesham and Swanley Clinical Commissioning Group"]


def test_councils_sharing_a_typed_head(nlp):
    assert found(nlp, "Surrey and Hampshire County Councils will share costs") == [
        ("Surrey", "Surrey County Council", "LocalAuthority"),
        ("Hampshire County Councils", "Hampshire County Council", "LocalAuthority"),
    ]
    assert [n for _, n, _ in found(nlp, "Adur and Worthing Councils run a joint service")] == [
        "Adur District Council", "Worthing Borough Council"]


def test_possessive_without_apostrophe(nlp):
    assert found(nlp, "Exeter City Councils reply to the consultation") == [
        ("Exeter City Councils", "Exeter City Council", "LocalAuthority")]


@pytest.mark.parametrize(
    "text",
    [
        "all Primary and Secondary Schools in the county",
        "all Kent Primary and Secondary Schools will be told",
        "both Medway Primary and Kent Secondary Schools",
        "Faith and Community Schools",
        "Oak and Elm Primary Schools",  # Oak Primary and Elm Primary, or one school? unsettled
        "funding for the Sefton Clinical Commissioning Groups",
        "the CCGs of Kent and Medway",
        "the Kent Councils and the Town and Parish Councils",
        "District Councils and County Councils",
        "Northgate Primary Schools",  # one name before a plural head is not a list
    ],
)
def test_look_alikes_give_nothing(nlp, text):
    assert found(nlp, text) == []


def test_an_ambiguous_split_reads_nothing():
    words = ["Kent", "and", "Medway", "and", "Swale"]
    names = {"Kent": 1, "Medway": 2, "Swale": 3, "Kent and Medway": 4}

    def name_of(i, j):
        return names.get(" ".join(words[i:j]))
    assert split_list(words, 0, 5, name_of) is None
    assert split_list(words, 2, 5, name_of) == [(2, 3, 2), (4, 5, 3)]


def test_council_places_come_from_council_names():
    places = council_places(load_organisations())
    assert {"kent", "tower hamlets", "north somerset"} <= places
    assert council_places({"X": OrgEntry("X Trust", "NHSTrust", "x")}) == frozenset()


def test_nhs_trusts_sharing_a_plural_head(nlp):
    text = "Maidstone and Tunbridge Wells and Dartford and Gravesham NHS Trusts will merge"
    assert [n for _, n, _ in found(nlp, text)] == [
        "Maidstone and Tunbridge Wells NHS Trust", "Dartford and Gravesham NHS Trust"]
    assert [n for _, n, _ in found(nlp, "Medway and East Kent Hospitals University NHS Foundation Trusts")] == [
        "Medway NHS Foundation Trust", "East Kent Hospitals University NHS Foundation Trust"]
    assert found(nlp, "the acute and community NHS Trusts and the Kent NHS Foundation Trusts") == []
