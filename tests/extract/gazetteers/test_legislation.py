"""The legislation gazetteer: loading, identifiers for every provision kind, misnamings."""

from __future__ import annotations

import pytest

from kgraph.errors import GazetteerError
from kgraph.extract.gazetteers.legislation import LEGISLATION_BASE, ActEntry, find_act, load_acts

BASE = LEGISLATION_BASE


@pytest.fixture(scope="module")
def acts() -> dict[str, ActEntry]:
    return load_acts()


@pytest.mark.parametrize(
    ("title", "iri"),
    [
        ("Children Act 1989", "ukpga/1989/41"),
        ("Children Act 2004", "ukpga/2004/31"),
        ("National Health Service Act 2006", "ukpga/2006/41"),
        ("Local Government Act 1972", "ukpga/1972/70"),
        ("Local Government Act 2000", "ukpga/2000/22"),
        ("Localism Act 2011", "ukpga/2011/20"),
        ("Care Act 2014", "ukpga/2014/23"),
        ("Children and Families Act 2014", "ukpga/2014/6"),
        ("Health and Social Care Act 2012", "ukpga/2012/7"),
        ("Health and Care Act 2022", "ukpga/2022/31"),
        ("Equality Act 2010", "ukpga/2010/15"),
        ("Data Protection Act 2018", "ukpga/2018/12"),
        ("Education Act 1996", "ukpga/1996/56"),
        ("Public Contracts Regulations 2015", "uksi/2015/102"),
        ("Transfer of Undertakings (Protection of Employment) Regulations 2006", "uksi/2006/246"),
        (
            "Local Authorities (Executive Arrangements) (Meetings and Access to Information) "
            "(England) Regulations 2012",
            "uksi/2012/2089",
        ),
    ],
)
def test_gazetteer_has_act_with_its_legislation_gov_uk_id(acts, title, iri):
    assert acts[title].iri == BASE + iri


def test_every_entry_is_consistent(acts):
    assert len(acts) >= 16
    for title, entry in acts.items():
        assert entry.title == title
        assert str(entry.year) in title
        assert entry.type in {"ukpga", "uksi"}
        assert entry.is_instrument == (entry.type == "uksi")
        assert entry.number > 0


def test_load_acts_is_cached(acts):
    assert load_acts() is acts


@pytest.mark.parametrize(
    ("title", "provision", "expected"),
    [
        ("Children Act 1989", "section 22", "ukpga/1989/41/section/22"),
        ("National Health Service Act 2006", "section 76(1)", "ukpga/2006/41/section/76/1"),
        ("National Health Service Act 2006", "section 76(1)(a)", "ukpga/2006/41/section/76/1/a"),
        ("Local Government Act 1972", "schedule 12A", "ukpga/1972/70/schedule/12A"),
        ("Local Government Act 1972", "schedule 12a", "ukpga/1972/70/schedule/12A"),
        ("Local Government Act 1972", "schedule 12A paragraph 3", "ukpga/1972/70/schedule/12A/paragraph/3"),
        ("Public Contracts Regulations 2015", "regulation 3", "uksi/2015/102/regulation/3"),
        ("Public Contracts Regulations 2015", None, "uksi/2015/102"),
        ("Children Act 2004", None, "ukpga/2004/31"),
    ],
)
def test_provision_iri(acts, title, provision, expected):
    assert acts[title].provision_iri(provision) == BASE + expected


def test_provision_iri_rejects_what_is_not_a_provision(acts):
    with pytest.raises(ValueError):
        acts["Children Act 1989"].provision_iri("the whole thing")


def test_labels(acts):
    assert "NHS Act 2006" in acts["National Health Service Act 2006"].aliases
    assert "TUPE" in acts["Transfer of Undertakings (Protection of Employment) Regulations 2006"].aliases
    assert "Children's Act 2004" in acts["Children Act 2004"].misnamings
    assert "Childrens Act 1989" in acts["Children Act 1989"].misnamings


@pytest.mark.parametrize(
    ("surface", "title", "how"),
    [
        ("Children Act 1989", "Children Act 1989", "explicit"),
        ("the Children Act 1989", "Children Act 1989", "explicit"),
        ("children act 1989", "Children Act 1989", "explicit"),
        ("Childrens Act 1989", "Children Act 1989", "misnamed"),
        ("Children's Act 2004", "Children Act 2004", "misnamed"),
        ("Children\u2019s Act 2004", "Children Act 2004", "misnamed"),
        ("NHS Act 2006", "National Health Service Act 2006", "explicit"),
        ("the National Health Service Act\n2006", "National Health Service Act 2006", "explicit"),
        ("TUPE", "Transfer of Undertakings (Protection of Employment) Regulations 2006", "explicit"),
        ("Equalities Act 2010", "Equality Act 2010", "misnamed"),
        ("Health & Social Care Act 2012", "Health and Social Care Act 2012", "explicit"),
    ],
)
def test_find_act(surface, title, how):
    entry, found_how = find_act(surface)
    assert (entry.title, found_how) == (title, how)


def test_find_act_unknown():
    assert find_act("Children Act") is None
    assert find_act("Harbours Act 1964") is None


def test_load_acts_from_another_file(tmp_path):
    ttl = tmp_path / "mini.ttl"
    ttl.write_text(
        "@prefix eli: <http://data.europa.eu/eli/ontology#> .\n"
        "@prefix kg: <https://w3id.org/kgraph/def#> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "<http://www.legislation.gov.uk/id/ukpga/2014/23> a eli:LegalResource ;\n"
        '  skos:prefLabel "Care Act 2014" ; kg:legislationType "ukpga" ; kg:year 2014 ; kg:chapter 23 .\n',
        encoding="utf-8",
    )
    assert list(load_acts(ttl)) == ["Care Act 2014"]


def test_load_acts_rejects_an_iri_that_disagrees_with_its_numbers(tmp_path):
    ttl = tmp_path / "bad.ttl"
    ttl.write_text(
        "@prefix eli: <http://data.europa.eu/eli/ontology#> .\n"
        "@prefix kg: <https://w3id.org/kgraph/def#> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "<http://www.legislation.gov.uk/id/ukpga/2014/99> a eli:LegalResource ;\n"
        '  skos:prefLabel "Care Act 2014" ; kg:legislationType "ukpga" ; kg:year 2014 ; kg:chapter 23 .\n',
        encoding="utf-8",
    )
    with pytest.raises(GazetteerError, match="does not match") as err:
        load_acts(ttl)
    assert err.value.code == "KG107"
