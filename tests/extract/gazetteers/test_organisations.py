"""The organisation gazetteer: loading, slugs, gold coverage, succession, malformed files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import RDF, Graph, URIRef
from rdflib.namespace import ORG, SKOS

from kgraph.extract.gazetteers.organisations import (
    DEFAULT_PATH,
    GazetteerError,
    OrgEntry,
    is_acronym,
    load_organisations,
    lookup,
    org_iri,
    slugify,
)

GOLD = json.loads((Path(__file__).resolve().parents[2] / "gold" / "seeds.json").read_text(encoding="utf-8"))
GOLD_ORGS = GOLD["organisations"]
#: Surface forms resolved by a rule of the recogniser (the publishing council; the one ICB a
#: document names), not by an alias: a bare "ICB" names no particular board.
CONTEXT_FORMS = {"the Council", "the Authority", "ICB"}

KENT_CCGS_2020 = {
    "NHS Ashford Clinical Commissioning Group",
    "NHS Canterbury and Coastal Clinical Commissioning Group",
    "NHS Dartford, Gravesham and Swanley Clinical Commissioning Group",
    "NHS Medway Clinical Commissioning Group",
    "NHS South Kent Coast Clinical Commissioning Group",
    "NHS Swale Clinical Commissioning Group",
    "NHS Thanet Clinical Commissioning Group",
    "NHS West Kent Clinical Commissioning Group",
}


@pytest.fixture(scope="module")
def orgs() -> dict[str, OrgEntry]:
    return load_organisations()


def test_loader_returns_entries_keyed_by_name(orgs):
    assert len(orgs) >= 40
    for name, entry in orgs.items():
        assert entry.name == name
        assert entry.slug == slugify(name)
        assert entry.kind


def test_loader_is_cached():
    assert load_organisations() is load_organisations()
    assert load_organisations(str(DEFAULT_PATH)) is load_organisations(DEFAULT_PATH)


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Children's Social Care and Health Cabinet Committee", "childrens-social-care-and-health-cabinet-committee"),
        ("Children’s, Young People and Education Cabinet Committee", "childrens-young-people-and-education-cabinet-committee"),
        ("NHS Dartford, Gravesham and Swanley Clinical Commissioning Group", "nhs-dartford-gravesham-and-swanley-clinical-commissioning-group"),
        ("  Kent County Council ", "kent-county-council"),
        ("Café Société", "cafe-societe"),
    ],
)
def test_slugify(name, slug):
    assert slugify(name) == slug


def test_org_iri_default_and_custom_base():
    assert org_iri("Kent County Council") == "https://w3id.org/kgraph/id/org/kent-county-council"
    assert org_iri("Ofsted", base="http://example.org/") == "http://example.org/org/ofsted"


def test_turtle_subjects_are_the_minted_iris(orgs):
    g = Graph().parse(DEFAULT_PATH, format="turtle")
    subjects = set(g.subjects(RDF.type, ORG.Organization)) | set(g.subjects(RDF.type, ORG.OrganizationalUnit))
    for s in subjects:
        name = str(g.value(s, SKOS.prefLabel))
        assert str(s) == org_iri(name), name
    assert len({e.slug for e in orgs.values()}) == len(orgs)


@pytest.mark.parametrize("name", sorted(GOLD_ORGS))
def test_every_gold_organisation_is_in_the_gazetteer(orgs, name):
    gold = GOLD_ORGS[name]
    entry = orgs[name]
    assert entry.kind == gold["kind"]
    assert entry.part_of == gold.get("part_of")


@pytest.mark.parametrize(
    ("name", "form"),
    [(n, m) for n, g in sorted(GOLD_ORGS.items()) for m in g["mentions"] if m not in CONTEXT_FORMS],
)
def test_every_gold_mention_resolves(name, form):
    entry = lookup(form)
    assert entry is not None, form
    assert entry.name == name


def test_aliases_acronyms_and_misspellings_are_separate(orgs):
    nelft = orgs["North East London NHS Foundation Trust"]
    assert nelft.acronyms == ("NELFT",)
    assert "NEFLT" in nelft.misspellings
    assert "North East London Foundation Trust" in nelft.aliases
    assert "NHS Commissioning Board" in orgs["NHS England"].aliases


def test_the_council_is_not_an_alias(orgs):
    labels = {lab.lower() for e in orgs.values() for lab in e.labels}
    assert not labels & {"the council", "the authority", "council", "nhs", "local authority"}


def test_acronyms_are_case_sensitive():
    assert lookup("SCS").name == "Specialist Children's Services"
    assert lookup("scs") is None
    assert lookup("Nice") is None
    assert is_acronym("NEFLT") and not is_acronym("Ofsted")


def test_the_42_integrated_care_boards_and_no_bare_icb(orgs):
    icbs = [e for e in orgs.values() if e.kind == "IntegratedCareBoard"]
    assert len(icbs) == 42
    assert all(e.name.startswith("NHS ") and e.name.endswith(" Integrated Care Board") for e in icbs)
    assert not any("ICB" in e.acronyms for e in orgs.values())
    assert lookup("Cheshire and Merseyside ICB").name == "NHS Cheshire and Merseyside Integrated Care Board"


def test_kent_ccgs_merged_in_april_2020(orgs):
    for name in KENT_CCGS_2020:
        assert orgs[name].kind == "ClinicalCommissioningGroup"
        assert orgs[name].succeeded_by == "NHS Kent and Medway Clinical Commissioning Group"
        assert orgs[name].succession_date == "2020-04-01"


def test_kent_and_medway_ccg_succeeded_by_icb(orgs):
    ccg = orgs["NHS Kent and Medway Clinical Commissioning Group"]
    assert ccg.succeeded_by == "NHS Kent and Medway Integrated Care Board"
    assert ccg.succession_date == "2022-07-01"
    assert orgs["NHS Kent and Medway Integrated Care Board"].succeeded_by is None


def test_succession_is_an_org_change_event():
    g = Graph().parse(DEFAULT_PATH, format="turtle")
    ccg = URIRef(org_iri("NHS Kent and Medway Clinical Commissioning Group"))
    icb = URIRef(org_iri("NHS Kent and Medway Integrated Care Board"))
    events = set(g.subjects(ORG.originalOrganization, ccg)) & set(g.subjects(ORG.resultingOrganization, icb))
    assert len(events) == 1
    assert (events.pop(), RDF.type, ORG.ChangeEvent) in g


def test_kent_landscape_is_present(orgs):
    for name in (
        "Medway Council",
        "Kent and Medway NHS and Social Care Partnership Trust",
        "Kent Community Health NHS Foundation Trust",
        "Maidstone Borough Council",
    ):
        assert name in orgs


def test_malformed_turtle_is_a_coded_error(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix org: <http://www.w3.org/ns/org#> .\n<x> a org:Organization ;;; .", encoding="utf-8")
    with pytest.raises(GazetteerError) as err:
        load_organisations(bad)
    assert err.value.code == "KG107"
    assert "bad.ttl" in str(err.value)


def test_missing_label_or_kind_is_a_coded_error(tmp_path):
    head = (
        "@prefix org: <http://www.w3.org/ns/org#> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "@prefix kg: <https://w3id.org/kgraph/def#> .\n"
    )
    no_label = tmp_path / "no_label.ttl"
    no_label.write_text(head + '<http://x/a> a org:Organization ; kg:orgKind "Regulator" .', encoding="utf-8")
    with pytest.raises(GazetteerError, match="prefLabel"):
        load_organisations(no_label)
    no_kind = tmp_path / "no_kind.ttl"
    no_kind.write_text(head + '<http://x/a> a org:Organization ; skos:prefLabel "A" .', encoding="utf-8")
    with pytest.raises(GazetteerError, match="orgKind"):
        load_organisations(no_kind)


def test_missing_file_is_a_coded_error(tmp_path):
    with pytest.raises(GazetteerError, match="not found"):
        load_organisations(tmp_path / "nowhere.ttl")
