"""Organisation recogniser: one small hand-written fixture per rule, then the seed documents."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

import kgraph.extract.nlp.pipeline  # noqa: F401  (registers the kg_* factories)
from kgraph.extract.ingest import read_document

ROOT = Path(__file__).resolve().parents[3]
GOLD = json.loads((ROOT / "tests" / "gold" / "seeds.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("en")
    nlp.add_pipe("kg_sentences")
    nlp.add_pipe("kg_organisations")
    return nlp


def run(nlp, text: str, council: str | None = "Kent County Council"):
    doc = nlp.make_doc(text)
    doc._.council = council
    doc._.organisations = []
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    for o in doc._.organisations:
        assert text[o.mention.start : o.mention.end] == o.mention.text
    return doc._.organisations


def found(nlp, text: str, **kw) -> list[tuple[str, str, str]]:
    return [(o.mention.text, o.name, o.source) for o in run(nlp, text, **kw)]


# ---------------------------------------------------------------------------- gazetteer


def test_gazetteer_names_aliases_and_kinds(nlp):
    orgs = run(nlp, "Kent County Council and North East London Foundation Trust met Ofsted.")
    assert [(o.name, o.kind) for o in orgs] == [
        ("Kent County Council", "LocalAuthority"),
        ("North East London NHS Foundation Trust", "NHSTrust"),
        ("Ofsted", "Regulator"),
    ]
    assert all(o.source == "gazetteer" for o in orgs)


def test_long_names_are_case_insensitive(nlp):
    assert found(nlp, "KENT COUNTY COUNCIL - RECORD OF DECISION")[0][1] == "Kent County Council"
    assert found(nlp, "on behalf of Kent and Medway Integrated care System")[0][1] == "Kent and Medway Integrated Care System"


def test_typo_resolves_to_canonical_name(nlp):
    assert found(nlp, "NEFLT held a caseload of 13,783.") == [("NEFLT", "North East London NHS Foundation Trust", "gazetteer")]


def test_curly_and_straight_apostrophes_and_ampersand(nlp):
    straight = found(nlp, "The Children's Social Care and Health Cabinet Committee met.")
    curly = found(nlp, "The Children’s Social Care and Health Cabinet Committee met.")
    assert straight[0][1] == curly[0][1] == "Children's Social Care and Health Cabinet Committee"
    assert curly[0][0] == "Children’s Social Care and Health Cabinet Committee"
    amp = found(nlp, "hosted by the Kent & Medway Integrated Care Board.")
    assert amp == [("Kent & Medway Integrated Care Board", "NHS Kent and Medway Integrated Care Board", "gazetteer")]


def test_names_broken_across_lines(nlp):
    text = "The Children’s Social Care and Health Cabinet \nCommittee is asked to CONSIDER"
    (org,) = run(nlp, text)
    assert org.mention.text == "Children’s Social Care and Health Cabinet \nCommittee"
    assert org.part_of == "Kent County Council"
    assert found(nlp, "to CYPE \nCabinet Committee")[0][1] == "Children's, Young People and Education Cabinet Committee"


def test_no_match_across_a_blank_line(nlp):
    assert found(nlp, "North East London\n\nFoundation Trust") == []


def test_acronyms_are_case_sensitive(nlp):
    text = "SCS and EHPS follow NICE guidance; the ICB agreed. Scs, ehps, nice price, scsi, ice, icb."
    assert [(t, n) for t, n, _ in found(nlp, text)] == [
        ("SCS", "Specialist Children's Services"),
        ("EHPS", "Early Help and Preventative Services"),
        ("NICE", "National Institute for Health and Care Excellence"),
    ]  # "the ICB" names no board here: no document-level clue says which


def test_possessive_acronym(nlp):
    assert found(nlp, "withdraw KCC's investment and KCC’s staff") == [
        ("KCC", "Kent County Council", "gazetteer"),
        ("KCC", "Kent County Council", "gazetteer"),
    ]


def test_longest_match_wins(nlp):
    orgs = run(nlp, "funded by NHS Kent and Medway Integrated Care Board until 2024")
    assert [o.mention.text for o in orgs] == ["NHS Kent and Medway Integrated Care Board"]


def test_former_name(nlp):
    assert found(nlp, "payments to the NHS Commissioning Board (also known as NHS England)") == [
        ("NHS Commissioning Board", "NHS England", "gazetteer"),
        ("NHS England", "NHS England", "gazetteer"),
    ]


# ---------------------------------------------------------------------------- the Council / the Authority


def test_the_council_is_the_publishing_council(nlp):
    orgs = run(nlp, "The Council must decide. As defined by the Council, the Authority agreed.")
    assert [(o.mention.text, o.name, o.kind) for o in orgs] == [
        ("The Council", "Kent County Council", "LocalAuthority"),
        ("the Council", "Kent County Council", "LocalAuthority"),
        ("the Authority", "Kent County Council", "LocalAuthority"),
    ]
    assert [o.name for o in run(nlp, "the Council agreed", council="Medway Council")] == ["Medway Council"]


def test_the_council_needs_capital_and_noun_phrase(nlp):
    text = "the council agreed; the Council Tax; the remaining Authority Services; the Authority Services"
    assert found(nlp, text) == []
    assert found(nlp, "The Council's SEND Transformation Programme")[0][0] == "The Council"


def test_the_council_without_a_council(nlp):
    assert found(nlp, "the Council agreed", council=None) == []


def test_unknown_council_keeps_its_name(nlp):
    orgs = run(nlp, "the Council agreed", council="Example Borough Council")
    assert [(o.name, o.kind) for o in orgs] == [("Example Borough Council", "LocalAuthority")]


# ---------------------------------------------------------------------------- generic plurals and non-organisations


@pytest.mark.parametrize(
    "text",
    [
        "all the Kent CCGs and the CCGs agreed; the CCG’s are seeing improvements",
        "commissioned by NHS Clinical Commissioning Groups and seven Clinical Commissioning Groups",
        "NHS England, CCGs or a Local Health Board; Local Health Boards",
        "KCC and the Kent Clinical Commissioning Groups (CCGs) have been working",
        "through the Health Transformation Board and Democratic Services",
        "via Voluntary and Community Sector (VCS) with additional ICS oversight",
        "KCC and the NHS jointly procured; impact across the Local Authority; Mental Health Trusts",
    ],
)
def test_generic_and_non_organisations(nlp, text):
    names = {n for _, n, _ in found(nlp, text)}
    assert names <= {"Kent County Council", "NHS England"}


# ---------------------------------------------------------------------------- general patterns


@pytest.mark.parametrize(
    ("text", "mention", "name", "kind"),
    [
        ("to Ambridge Valley NHS Foundation Trust.", "Ambridge Valley NHS Foundation Trust", "Ambridge Valley NHS Foundation Trust", "NHSTrust"),
        ("with Borchester Health NHS Trust today", "Borchester Health NHS Trust", "Borchester Health NHS Trust", "NHSTrust"),
        ("with Loxley and Penny Hassett Foundation Trust", "Loxley and Penny Hassett Foundation Trust", "Loxley and Penny Hassett Foundation Trust", "NHSTrust"),
        ("via Ambridge CCG", "Ambridge CCG", "NHS Ambridge Clinical Commissioning Group", "ClinicalCommissioningGroup"),
        ("via Ambridge Clinical Commissioning Group", "Ambridge Clinical Commissioning Group", "NHS Ambridge Clinical Commissioning Group", "ClinicalCommissioningGroup"),
        ("the NHS Borsetshire Integrated Care Board", "NHS Borsetshire Integrated Care Board", "NHS Borsetshire Integrated Care Board", "IntegratedCareBoard"),
        ("by Borsetshire County Council.", "Borsetshire County Council", "Borsetshire County Council", "LocalAuthority"),
        ("and Felpersham and Hollerton City Council", "Felpersham and Hollerton City Council", "Felpersham and Hollerton City Council", "LocalAuthority"),
        ("Loxley Barrett District Council", "Loxley Barrett District Council", "Loxley Barrett District Council", "LocalAuthority"),
    ],
)
def test_pattern_organisations(nlp, text, mention, name, kind):
    orgs = run(nlp, text)
    assert [(o.mention.text, o.name, o.kind, o.source) for o in orgs] == [(mention, name, kind, "pattern")]


@pytest.mark.parametrize(
    ("text", "name", "kind"),
    [
        ("to Oxleas NHS Foundation Trust.", "Oxleas NHS Foundation Trust", "NHSTrust"),
        ("via Bexley CCG", "NHS Bexley Clinical Commissioning Group", "ClinicalCommissioningGroup"),
        ("the NHS Sussex ICB", "NHS Sussex Integrated Care Board", "IntegratedCareBoard"),
        ("by Essex County Council.", "Essex County Council", "LocalAuthority"),
        ("and Sefton MBC", "Sefton Metropolitan Borough Council", "LocalAuthority"),
        ("the London Borough of Hillingdon", "London Borough of Hillingdon", "LocalAuthority"),
        ("with the West of England Combined Authority", "West of England Combined Authority", "CombinedAuthority"),
        ("from the Department of Levelling Up, Housing and Communities", "Department for Levelling Up, Housing and Communities", "GovernmentDepartment"),
        ("Highways England and Homes England", "Highways England", "PublicBody"),
        ("the Police and Crime Commissioner for Surrey", "Police and Crime Commissioner for Surrey", "Police"),
        ("Kent Fire and Rescue Service", "Kent Fire and Rescue Service", "FireAndRescue"),
    ],
)
def test_register_organisations(nlp, text, name, kind):
    orgs = run(nlp, text, council=None)
    assert (orgs[0].name, orgs[0].kind, orgs[0].source) == (name, kind, "gazetteer")


def test_pattern_lists_are_split(nlp):
    text = "Essex County Council, Brighton and Hove City Council and Epping Forest District Council signed."
    assert [o.mention.text for o in run(nlp, text)] == [
        "Essex County Council",
        "Brighton and Hove City Council",
        "Epping Forest District Council",
    ]


def test_pattern_stops_at_acronyms_and_known_names(nlp):
    assert found(nlp, "KCC and Ambridge CCG agreed") == [
        ("KCC", "Kent County Council", "gazetteer"),
        ("Ambridge CCG", "NHS Ambridge Clinical Commissioning Group", "pattern"),
    ]
    text = "Kent and Medway Children & Young Peoples Mental Health Provider North East London Foundation Trust"
    assert found(nlp, text) == [
        ("North East London Foundation Trust", "North East London NHS Foundation Trust", "gazetteer"),
    ]


def test_pattern_text_in_gazetteer_resolves_to_entry(nlp):
    assert found(nlp, "Tunbridge Wells Borough \nCouncil") == [
        ("Tunbridge Wells Borough \nCouncil", "Tunbridge Wells Borough Council", "gazetteer"),
    ]


# ---------------------------------------------------------------------------- acronym definitions


def test_acronym_definition_resolves_later_uses(nlp):
    text = "We commissioned Ambridge Valley NHS Foundation Trust (AVT). Later AVT reported; avt and AVTS did not."
    assert found(nlp, text) == [
        ("Ambridge Valley NHS Foundation Trust", "Ambridge Valley NHS Foundation Trust", "pattern"),
        ("AVT", "Ambridge Valley NHS Foundation Trust", "acronym"),
        ("AVT", "Ambridge Valley NHS Foundation Trust", "acronym"),
    ]


def test_acronym_definition_of_a_gazetteer_entry(nlp):
    text = "the Ofsted and Care Quality Commission (CQC) joint review; CQC found"
    assert [(t, n) for t, n, _ in found(nlp, text)] == [
        ("Ofsted", "Ofsted"),
        ("Care Quality Commission", "Care Quality Commission"),
        ("CQC", "Care Quality Commission"),
        ("CQC", "Care Quality Commission"),
    ]


def test_acronym_of_a_non_organisation_is_ignored(nlp):
    text = "a Single Point of Access (SPA) and the Kent Health Needs Education Service (KHNES); SPA, KHNES"
    assert found(nlp, text) == []


def test_bare_acronym_without_definition_is_ignored(nlp):
    assert found(nlp, "OXL reported and MCH agreed") == []


# ---------------------------------------------------------------------------- sorted, no overlaps


def test_mentions_are_sorted_and_disjoint(nlp):
    text = (ROOT / "corpus" / "004_0d21a5136373d3df.txt").read_text(encoding="utf-8")
    orgs = run(nlp, text)
    starts = [(o.mention.start, o.mention.end) for o in orgs]
    assert starts == sorted(starts)
    assert all(a[1] <= b[0] for a, b in zip(starts, starts[1:], strict=False))


def test_component_initialises_the_list(nlp):
    doc = nlp("KCC agreed")
    assert [o.name for o in doc._.organisations] == ["Kent County Council"]


# ---------------------------------------------------------------------------- seed documents


@pytest.mark.parametrize("filename", sorted(GOLD["documents"]))
def test_seed_documents(nlp, filename):
    gold_doc = GOLD["documents"][filename]
    document = read_document(ROOT / "corpus" / filename)
    names = {o.name for o in run(nlp, document.text)}
    expected = set(gold_doc["organisations"])
    assert expected <= names, f"missing {expected - names}"
    assert names <= expected | set(GOLD["organisations"]), f"extra {names - expected - set(GOLD['organisations'])}"


@pytest.mark.parametrize(
    ("filename", "name"),
    [
        ("003_b806077e52899a0c.txt", "Kent and Medway Integrated Care System"),
        ("004_0d21a5136373d3df.txt", "Kent and Medway Sustainability and Transformation Partnership"),
        ("004_0d21a5136373d3df.txt", "National Institute for Health and Care Excellence"),
        ("002_1e021665bc7acb93.txt", "Specialist Children's Services"),
        ("002_1e021665bc7acb93.txt", "Early Help and Preventative Services"),
        ("000_626c48bb75130463.txt", "Commissioning Advisory Board"),
    ],
)
def test_seed_may_organisations_named_in_the_text(nlp, filename, name):
    document = read_document(ROOT / "corpus" / filename)
    assert name in {o.name for o in run(nlp, document.text)}


def test_seed_gold_mentions_are_found(nlp):
    """Every gold surface form that occurs verbatim in a seed is reported as that organisation."""
    for f in GOLD["documents"]:
        text = read_document(ROOT / "corpus" / f).text
        got = {(o.mention.text, o.name) for o in run(nlp, text)}
        for name, gold in GOLD["organisations"].items():
            for form in gold["mentions"]:
                if form in text:
                    assert any(n == name and form in t for t, n in got), f"{form!r} in {f}"


@pytest.mark.parametrize("filename", sorted(GOLD["documents"]))
def test_seed_documents_through_annotate(filename):
    """The same check through the project pipeline (every component, empty sections)."""
    from kgraph.extract.nlp.pipeline import annotate

    document = read_document(ROOT / "corpus" / filename)
    doc = annotate(document, sections=[])
    names = {o.name for o in doc._.organisations}
    expected = set(GOLD["documents"][filename]["organisations"])
    assert expected <= names
    assert names <= expected | set(GOLD["organisations"])


def test_document_acronym_definition_beats_gazetteer_acronym(nlp):
    text = "We work with Sussex Community NHS Foundation Trust (SCS). SCS agreed."
    assert [(t, n, s) for t, n, s in found(nlp, text)][1:] == [
        ("SCS", "Sussex Community NHS Foundation Trust", "acronym"),
        ("SCS", "Sussex Community NHS Foundation Trust", "acronym"),
    ]


# ---------------------------------------------------------------------------- bodies no list holds


@pytest.mark.parametrize(
    ("text", "mention", "name", "kind"),
    [
        ("to expand Brookfield Primary School by one form", "Brookfield Primary School", "Brookfield Primary School", "School"),
        ("at St Mary’s Church of England Primary School.", "St Mary’s Church of England Primary School",
         "St Mary's Church of England Primary School", "School"),
        ("Hollowtree Primary School and Nursery will grow", "Hollowtree Primary School and Nursery",
         "Hollowtree Primary School and Nursery", "School"),
        ("with the Oakridge Learning Multi-Academy Trust", "Oakridge Learning Multi-Academy Trust",
         "Oakridge Learning Multi-Academy Trust", "AcademyTrust"),
        ("awarded to Greenway Paving (Southern) Limited for", "Greenway Paving (Southern) Limited",
         "Greenway Paving (Southern) Limited", "Company"),
        ("the Chief Executive of Acme Widgets Ltd said", "Acme Widgets Ltd", "Acme Widgets Ltd", "Company"),
        ("Name of Successful Contractor Brightlane Software Ltd Supplier", "Brightlane Software Ltd",
         "Brightlane Software Ltd", "Company"),
        ("Marsh Lane Homes LLP will build", "Marsh Lane Homes LLP", "Marsh Lane Homes LLP", "Company"),
        ("grant to the Riverbank Wetlands Trust for", "Riverbank Wetlands Trust", "Riverbank Wetlands Trust", "Charity"),
        ("The Ellery Foundation will run it", "Ellery Foundation", "Ellery Foundation", "Charity"),
        ("from Much Wittering Parish Council about speeds", "Much Wittering Parish Council",
         "Much Wittering Parish Council", "LocalAuthority"),
        ("the Borsetshire Combined Authority agreed", "Borsetshire Combined Authority",
         "Borsetshire Combined Authority", "CombinedAuthority"),
        ("partnership with the College of East Ambridge (CEA) on", "College of East Ambridge",
         "College of East Ambridge", "School"),
    ],
)
def test_unlisted_bodies_by_their_head_words(nlp, text, mention, name, kind):
    orgs = run(nlp, text, council=None)
    assert (orgs[0].mention.text, orgs[0].name, orgs[0].kind, orgs[0].source) == (mention, name, kind, "pattern")


@pytest.mark.parametrize(
    "text",
    [
        "The Trust Board met; the Early Years Foundation Stage; a Summer School; the Hospital Trust agreed.",
        "Neighbouring District Council; Further Education College; Civil Society; Virtual School.",
        "Primary School places; Free School Meals; the Academy Trust; a Multi-Academy Trust; Private Limited Company.",
        "The Director of Finance and the Cabinet Member for Schools approved the Highways Service plan.",
        "Approve the award; the Schools Forum agreed; Turning point of the year.",
    ],
)
def test_no_organisation_from_generic_phrases(nlp, text):
    assert found(nlp, text, council=None) == []


def test_a_shorter_name_of_a_body_named_in_full_is_that_body(nlp):
    text = ("close Christ Church Voluntary Aided (VA) Church of England (CE) Primary School. "
            "The Christ Church Primary School site will be sold.")
    names = {o.name for o in run(nlp, text, council=None)}
    assert names == {"Christ Church Voluntary Aided (VA) Church of England (CE) Primary School"}


def test_a_company_name_holding_a_listed_name_is_the_longer_name(nlp):
    assert [o.name for o in run(nlp, "Amey Highways Ltd and Amey agreed.", council=None)] == [
        "Amey Highways Ltd", "Amey plc"]


# ---------------------------------------------------------------------------- issue 8: national scale


def test_register_names_with_or_without_their_commas(nlp):
    text = ("Tees Esk and Wear Valleys NHS Foundation Trust and Rotherham, Doncaster and South Humber "
            "NHS Foundation Trust wrote to the Department for Environment Food and Rural Affairs.")
    assert [n for _, n, _ in found(nlp, text, council=None)] == [
        "Tees, Esk and Wear Valleys NHS Foundation Trust",
        "Rotherham Doncaster and South Humber NHS Foundation Trust",
        "Department for Environment, Food and Rural Affairs",
    ]
    # a comma between two names does not make a third: "Kent, Medway Council" is Medway Council
    assert [n for _, n, _ in found(nlp, "in Kent, Medway Council agreed", council=None)] == ["Medway Council"]


def test_nhs_trusts_by_the_acronyms_they_go_by(nlp):
    assert found(nlp, "CAMHS provided by RDaSH and SLaM; EPUT agreed", council=None) == [
        ("RDaSH", "Rotherham Doncaster and South Humber NHS Foundation Trust", "gazetteer"),
        ("SLaM", "South London and Maudsley NHS Foundation Trust", "gazetteer"),
        ("EPUT", "Essex Partnership University NHS Foundation Trust", "gazetteer"),
    ]


def test_national_charities_and_providers_as_written(nlp):
    text = "grants to Groundwork Federation, Barnardos and Keep Britain Tidy agreed."
    assert [n for _, n, _ in found(nlp, text, council=None)] == [
        "Groundwork UK", "Barnardo's", "Keep Britain Tidy"]
    assert found(nlp, "keep britain tidy and the groundwork federation debate", council=None) == []


def test_airports_by_their_head_word(nlp):
    orgs = run(nlp, "Response to the Exmoor Airport Masterplan. Noise from London Lydd Airport.", council=None)
    assert [(o.mention.text, o.kind, o.source) for o in orgs] == [
        ("Exmoor Airport", "Company", "pattern"), ("London Lydd Airport", "Company", "pattern")]


@pytest.mark.parametrize(
    "text",
    [
        "Resurfacing of Airport Road and the Exmoor Airport Station car park.",
        "Works on Exmoor Airport began.",  # "Works on Exmoor" or a place "X on Y"? unsettled
        "Walton on Thames Town Council",  # ... so a sentence's first word before "on" reads nothing
    ],
)
def test_airport_and_place_look_alikes(nlp, text):
    assert found(nlp, text, council=None) == []


def test_a_federated_charity_and_a_place_is_a_local_charity(nlp):
    text = "grants to Age UK Sefton, Citizens Advice North Somerset, Citizens Advice and Mencap Kent."
    assert [(n, s) for _, n, s in found(nlp, text, council=None)] == [
        ("Age UK Sefton", "pattern"), ("Citizens Advice North Somerset", "pattern"),
        ("Citizens Advice", "gazetteer"), ("Mencap Kent", "pattern")]
    # a place that begins a council's name, or a charity that is not a federation, stays apart
    assert [n for _, n, _ in found(nlp, "Age UK Kent County Council and Turning Point Kent", council=None)] == [
        "Age UK", "Kent County Council", "Turning Point"]


@pytest.mark.parametrize(
    ("text", "name", "kind"),
    [
        ("a placement scheme with Canterbury Christ Church University.", "Canterbury Christ Church University", "University"),
        ("research by the Open University", "Open University", "University"),
        ("delivered by Oakfield Community Interest Company from May", "Oakfield Community Interest Company", "Company"),
    ],
)
def test_universities_and_community_interest_companies(nlp, text, name, kind):
    orgs = run(nlp, text, council=None)
    assert [(o.name, o.kind, o.source) for o in orgs] == [(name, kind, "pattern")]


@pytest.mark.parametrize(
    "text",
    [
        "the University agreed; our partner Universities; a Local University",
        "Morecambe University Hospitals wrote",  # a trust's short name, not a university
        "the Council's Community Interest Company; a Community Interest Company",
    ],
)
def test_university_and_company_look_alikes(nlp, text):
    assert found(nlp, text, council=None) == []


def test_the_publishers_initials_are_the_publisher(nlp):
    text = "Peterborough City Council\n\nRecord of decision\n\nPCC will sell the farm; the PCC objected."
    orgs = run(nlp, text, council=None)
    assert [(o.mention.text, o.name, o.source) for o in orgs] == [
        ("Peterborough City Council", "Peterborough City Council", "gazetteer"),
        ("PCC", "Peterborough City Council", "context")]  # "the PCC": a commissioner, more likely
    assert found(nlp, "PCC will sell the farm.", council=None) == []  # no publisher, no reading
    # initials a listed body goes by are that body's, whoever publishes
    assert found(nlp, "CCS agreed.", council="Chichester City Council") == [
        ("CCS", "Crown Commercial Service", "gazetteer")]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 6)), max_size=12), st.integers(-2, 32), st.integers(0, 10))
def test_hits_overlapping_a_run_are_found_by_bisection_in_list_order(spans, s, width):
    from kgraph.extract.nlp.org_hits import Hit
    from kgraph.extract.nlp.organisations import _overlapping, _Protected

    hits = [Hit(a, a + n, f"h{i}", "", "", None, 0) for i, (a, n) in enumerate(spans)]
    plain = [h for h in hits if h.start < s + width and h.end > s]
    assert _overlapping(_Protected(hits), s, s + width) == plain
