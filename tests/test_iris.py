"""kgraph.iris: slugs, decision ids and IRIs that stay the same from run to run."""

from __future__ import annotations

import pytest

from kgraph.iris import DEFAULT_BASE, TITLE_SLUG_MAX, Iris, decision_key, slugify
from kgraph.settings import Settings

# ------------------------------------------------------------------ slugs


@pytest.mark.parametrize(
    "text,slug",
    [
        ("Children’s Services", "childrens-services"),
        ("Children's Services", "childrens-services"),
        ("Children‘s `Services`", "childrens-services"),
        ("Young People & Education", "young-people-education"),
        ("Café Société – Nérac", "cafe-societe-nerac"),
        ("  NHS Kent and Medway ICB  ", "nhs-kent-and-medway-icb"),
        ("Section 76 / 2019-20 (revised)", "section-76-2019-20-revised"),
        ("---", ""),
    ],
)
def test_slugify(text, slug):
    assert slugify(text) == slug


def test_straight_and_curly_apostrophes_give_one_organisation_iri():
    ids = Iris()
    assert ids.org("Children’s, Young People and Education Cabinet Committee") == ids.org(
        "Children's, Young People and Education Cabinet Committee")


def test_truncation_stops_at_a_word_boundary():
    title = "commissioning and procurement of the child and young people mental health service"
    full = slugify(title)
    cut = slugify(title, 40)
    assert len(cut) <= 40
    assert full.startswith(cut)
    assert full[len(cut)] == "-"  # the next character in the full slug starts a new word
    assert not cut.endswith("-")
    assert cut == "commissioning-and-procurement-of-the"


def test_truncation_at_the_end_of_a_word_keeps_that_word():
    assert slugify("alpha beta gamma", 10) == "alpha-beta"


def test_short_slug_is_not_truncated():
    assert slugify("Short title", 70) == "short-title"


def test_single_long_word_is_cut_to_the_limit():
    assert slugify("a" * 90, 70) == "a" * 70


# ------------------------------------------------------------------ decision ids


def test_numbered_decision_iri():
    ids = Iris(council="Kent County Council")
    assert ids.decision("19/00076") == f"{DEFAULT_BASE}council/kent-county-council/decision/19-00076"


def test_decision_of_an_unknown_council_is_scoped_unknown_council():
    assert Iris().decision("19/00076") == f"{DEFAULT_BASE}council/unknown-council/decision/19-00076"
    assert Iris(council="").meeting("Cabinet", "2020-01-01").startswith(f"{DEFAULT_BASE}council/unknown-council/")


def test_numbered_decision_ignores_year_and_title():
    ids = Iris()
    assert ids.decision("19/00076", year=2016, title="Something else") == ids.decision("19/00076")


def test_unnumbered_decision_id_from_year_and_title():
    local = Iris.decision_local(None, year=2016, title="Commissioning the Children’s Service")
    assert local == "2016-commissioning-the-childrens-service"


def test_unnumbered_decision_title_slug_is_bounded():
    title = " ".join(["procurement"] * 20)
    local = Iris.decision_local(None, year=2020, title=title)
    year, slug = local.split("-", 1)
    assert year == "2020"
    assert 0 < len(slug) <= TITLE_SLUG_MAX
    assert set(slug.split("-")) == {"procurement"}


def test_undated_unnumbered_decision():
    assert Iris.decision_local(None, title="Home to School Transport") == "undated-home-to-school-transport"


def test_unnumbered_untitled_decision_has_no_id():
    with pytest.raises(ValueError):
        Iris.decision_local(None, year=2019)
    with pytest.raises(ValueError):
        Iris().decision("", year=2019, title="")


def test_corrected_text_elsewhere_does_not_change_an_unnumbered_id():
    ids = Iris()
    a = ids.decision(None, year=2019, title="Mental Health Services")
    b = ids.decision(None, year=2019, title="Mental  Health  Services ")
    assert a == b


@pytest.mark.parametrize(
    "typed,key",
    [
        ("19/00076", "19-00076"),
        ("19-00076", "19-00076"),
        ("19%2F00076", "19-00076"),
        ("19%2f00076", "19-00076"),
        (" 19/00076 ", "19-00076"),
        ("2016-commissioning-of-services", "2016-commissioning-of-services"),
        ("19/502510/FULL", "19/502510/FULL"),
        ("ref: 2295", "ref: 2295"),
        ("11/01/2019", "11/01/2019"),
        ("19/0007", "19/0007"),
    ],
)
def test_decision_key(typed, key):
    assert decision_key(typed) == key


def test_decision_key_is_idempotent():
    assert decision_key(decision_key("19%2F00076")) == "19-00076"


# ------------------------------------------------------------------ settings and stability


def test_base_iri_and_council_are_respected():
    ids = Iris(base="https://example.org/kg/", council="Medway Council")
    assert ids.decision("22/00001") == "https://example.org/kg/council/medway-council/decision/22-00001"
    assert ids.org("NHS England") == "https://example.org/kg/org/nhs-england"
    assert ids.document("ab" * 32) == "https://example.org/kg/document/" + "ab" * 8
    assert ids.meeting("Children’s Committee", "2019-11-15") == (
        "https://example.org/kg/council/medway-council/meeting/childrens-committee/2019-11-15")
    assert ids.agreement("section-76") == "https://example.org/kg/council/medway-council/agreement/section-76"


def test_iris_from_settings_environment():
    s = Settings.from_env({"KGRAPH_BASE_IRI": "http://data.example/id/", "KGRAPH_COUNCIL": "Essex County Council"})
    ids = Iris(s.base_iri, s.council)
    assert ids.decision("19/00076") == "http://data.example/id/council/essex-county-council/decision/19-00076"


def test_document_iri_uses_sixteen_hex_digits():
    sha = "0123456789abcdef" * 4
    assert Iris().document(sha) == f"{DEFAULT_BASE}document/0123456789abcdef"


def test_within_a_document():
    doc = Iris().document("f" * 64)
    assert Iris().within(doc, "amount", 10, 16) == f"{doc}/amount/10-16"
    assert Iris().within(doc, "provision", 7) == f"{doc}/provision/7"


def test_stable_across_calls_and_instances():
    a, b = Iris(), Iris()
    args = dict(year=2016, title="Commissioning and procurement of the child and young people mental health service")
    assert a.decision(None, **args) == a.decision(None, **args) == b.decision(None, **args)
    assert a.org("Kent County Council") == b.org("Kent County Council")
    assert a == b and hash(a) == hash(b)
