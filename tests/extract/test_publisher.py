"""The publisher of each document: front matter, web host, letterhead, self-reference, counts,
the default setting, and "the Council" resolved per document across a corpus."""

from __future__ import annotations

import pytest

from kgraph.extract.document import extract_document
from kgraph.extract.ingest import document_from_text
from kgraph.extract.publisher import (
    CouncilMention,
    council_from_host,
    detect_publisher,
    front_matter,
)
from kgraph.link.resolve import resolve_corpus

WIRRAL_PAGE = """Decision details

Extension of the community equipment contract

Decision Maker: Cabinet

Wirral Council's Cabinet agreed to extend the contract with Acme Mobility Ltd for a year.
The Council will review the service with Acme Mobility Ltd and the Integrated Care Board (ICB).
"""

SUTTON_ROD = """LONDON BOROUGH OF SUTTON – RECORD OF DECISION

Decision No: 19/00012

Decision: The Council will fund Riverside Primary School's new kitchen. The Authority consulted
Surrey County Council and Surrey County Council agreed.
"""

NO_CLUE = """Decision details

Decision Maker: Cabinet Member for Adults

The Council agreed to extend the arrangement with the ICB and the Trust.
"""


def facts_of(*texts: str, council: str | None = None) -> list[dict]:
    exts = [extract_document(document_from_text(f"d{i}.txt", t), council=council) for i, t in enumerate(texts)]
    return resolve_corpus(exts)


def orgs(f: dict) -> dict[str, list[str]]:
    return {o["name"]: [m["text"] for m in o["mentions"]] for o in f["organisations"]}


# ---------------------------------------------------------------------------- rules


def test_front_matter_council_and_url():
    fm = front_matter("council: Sefton Council\nurl: https://modgov.sefton.gov.uk/a\n\nText")
    assert fm["council"][0] == "Sefton Council" and fm["url"][0].startswith("https://modgov")
    assert "url" not in front_matter("Source: Democratic Services\n")
    text = "council: Sefton Council\n\nThe Council agreed."
    pub = detect_publisher(text, [])
    assert (pub.name, pub.rule, pub.confidence) == ("Sefton Metropolitan Borough Council", "front_matter", 1.0)
    assert text[pub.evidence.start:pub.evidence.end] == pub.evidence.text == "Sefton Council"
    text = "council: Much Wittering Parish Council\n"
    assert detect_publisher(text, []).name == "Much Wittering Parish Council"  # not in the register: as given
    assert detect_publisher("Council: 23 February 2021 (Item 4)\n\nThe Council agreed.", []) is None
    assert detect_publisher("Council: Homes England\n", []) is None  # not a council


@pytest.mark.parametrize(
    ("url", "council"),
    [
        ("https://democracy.wirral.gov.uk/ieDecisionDetails.aspx?ID=1", "Wirral Borough Council"),
        ("modgov.sefton.gov.uk", "Sefton Metropolitan Borough Council"),
        ("https://democracy.bathnes.gov.uk/x", "Bath and North East Somerset Council"),
        ("https://democracy.bcpcouncil.gov.uk/x", "Bournemouth, Christchurch and Poole Council"),
        ("https://iow.moderngov.co.uk/x", "Isle of Wight Council"),
        ("https://democracy.lbhf.gov.uk/x", "London Borough of Hammersmith and Fulham"),
        ("https://rutlandcounty.moderngov.co.uk/x", "Rutland County Council"),
        ("https://cabinet.leicester.gov.uk/x", "Leicester City Council"),
    ],
)
def test_council_from_web_host(url, council):
    assert council_from_host(url).name == council


@pytest.mark.parametrize("url", ["https://studylib.net/doc/1", "https://democracy.adur-worthing.gov.uk/x",
                                 "https://www.moderngov.co.uk/", "not a url at all"])
def test_hosts_that_do_not_settle_it(url):
    assert council_from_host(url) is None


def test_url_front_matter_sets_the_publisher():
    pub = detect_publisher("url: https://democracy.wirral.gov.uk/x\n\nThe Council agreed.", [])
    assert (pub.name, pub.rule) == ("Wirral Borough Council", "url")


def test_letterhead_needs_a_full_name_on_a_short_line_near_the_top():
    text = "Ambridge Borough Council\nCabinet decisions\n\nText."
    assert detect_publisher(text, [CouncilMention("Ambridge Borough Council", 0, 24)]).rule == "letterhead"
    long_line = "Ambridge Borough Council " + "and its partners agreed many things " * 5 + "\n"
    pub = detect_publisher(long_line, [CouncilMention("Ambridge Borough Council", 0, 24)])
    assert pub is None  # a sentence, named once: no clue


def test_form_title_and_decision_maker_line():
    text = "Content: Ambridge Borough Council – Record of Decision. I approve the award."
    assert detect_publisher(text, [CouncilMention("Ambridge Borough Council", 9, 33)]).rule == "letterhead"
    text = "Decision details\n\nDecision Maker: Chief Executive, Borsetshire Combined Authority\n"
    pub = detect_publisher(text, [CouncilMention("Borsetshire Combined Authority", 50, 80)])
    assert (pub.name, pub.rule) == ("Borsetshire Combined Authority", "self_reference")


def test_self_reference_and_most_named():
    text = "The report was prepared on behalf of Ambridge Borough Council. Borsetshire County Council agreed."
    ms = [CouncilMention("Ambridge Borough Council", 37, 61), CouncilMention("Borsetshire County Council", 63, 89)]
    assert detect_publisher(text, ms).name == "Ambridge Borough Council"
    counted = [CouncilMention("A", 500, 501), CouncilMention("A", 600, 601), CouncilMention("B", 700, 701)]
    assert detect_publisher("x" * 800, counted) is None  # 2 against 1 is not enough
    counted.append(CouncilMention("A", 650, 651))
    assert detect_publisher("x" * 800, counted).rule == "most_named"


def named(text: str, *names: str) -> list[CouncilMention]:
    """Every occurrence of each council name in ``text``, as the organisations stage gives them."""
    out = []
    for name in names:
        start = text.find(name)
        while start >= 0:
            out.append(CouncilMention(name, start, start + len(name)))
            start = text.find(name, start + 1)
    return sorted(out, key=lambda m: m.start)


AMB, BOR = "Ambridge District Council", "Borsetshire County Council"


@pytest.mark.parametrize("text", [
    f"Decision details\n\nThe Council agreed the grant with {BOR}.\n\n© 2024 {AMB}\n",
    f"Decision details\n\nThe Council agreed.\n\nCopyright (c) 2019-2024 {AMB}. All rights reserved.\n",
    f"Welcome to {AMB}\n\nDecision details\n\nThe Council agreed the grant with {BOR}.\n",
    f"Decision details | {AMB}\n\nThe Council agreed the grant with {BOR}.\n",
])
def test_site_furniture_names_the_publisher(text):
    pub = detect_publisher(text, named(text, AMB, BOR))
    assert (pub.name, pub.rule, pub.confidence) == (AMB, "furniture", 0.9)
    assert text[pub.evidence.start:pub.evidence.end] == pub.evidence.text == AMB


@pytest.mark.parametrize("text", [
    # a table row and a listing title that end with a council are not page titles
    f"Grants\n\n| Recipient | {BOR} |\n\nThe Council agreed.\n",
    f"Decisions\n\n15/01/2021 - Transfer of land to {BOR}\n\nThe Council agreed.\n",
    # two councils in the furniture do not settle it
    f"© {AMB}\n\nThe Council agreed.\n\n© {BOR}\n",
    # a page title line in the middle of a long page is not its header or footer
    "x" * 500 + f"\nDecisions | {BOR}\n" + "y" * 500,
])
def test_look_alike_furniture_is_no_clue(text):
    assert detect_publisher(text, named(text, AMB, BOR)) is None


PADDING = "The Cabinet agreed the grant and the Trust will report on it each quarter.\n" * 6


@pytest.mark.parametrize("signature", [
    f"Jane Smith\nChief Executive\n{AMB}\n",
    f"Signed: Jo Bloggs, Leader of {AMB}\n",
    f"Cllr Jo Bloggs, Cabinet Member for Housing, {AMB}\n",
    f"Monitoring Officer, {AMB}\n",
])
def test_a_signature_names_the_publisher(signature):
    text = f"Decision details\n\nThe Council agreed the grant with {BOR}.\n" + PADDING + "\n" + signature
    pub = detect_publisher(text, named(text, AMB, BOR))
    assert (pub.name, pub.rule) == (AMB, "self_reference")
    # a second council speaking in the text ("X Council's") leaves it unsettled
    text = text.replace(f"with {BOR}.", f"with {BOR}'s help.")
    assert detect_publisher(text, named(text, AMB, BOR)) is None


def test_a_role_in_a_sentence_is_not_a_signature():
    text = f"The Chief Executive of {BOR} wrote to the Leader of {AMB} about the scheme and the Trust.\n"
    assert detect_publisher(text, named(text, AMB, BOR)) is None


def test_contact_email_and_council_website_name_the_publisher():
    text = ("Issue details\n\nThe Council agreed.\n\n"
            "Contact: Jo Bloggs, Commissioning Manager Email: jo_bloggs@wirral.gov.uk Tel: 0151 000 0000.\n")
    pub = detect_publisher(text, [])
    assert (pub.name, pub.rule) == ("Wirral Borough Council", "contact")
    assert text[pub.evidence.start:pub.evidence.end] == "wirral.gov.uk"
    text = "This notice is also on the Council's website www.sefton.gov.uk and in the library.\n"
    assert detect_publisher(text, []).name == "Sefton Metropolitan Borough Council"


@pytest.mark.parametrize("text", [
    # officers of two councils: not settled
    "Contact: Jo Bloggs Email: jo@wirral.gov.uk; Sam Smith Email: sam@sefton.gov.uk\n",
    # an address not on a contact line, and an NHS address
    "Residents wrote to info@wirral.gov.uk about the bins.\nContact: Jo Bloggs Email: jo.bloggs@nhs.net\n",
    # another body's web site
    "The guidance is on the Government's website www.gov.uk for all.\n",
])
def test_contact_look_alikes_are_no_clue(text):
    assert detect_publisher(text, []) is None


# ---------------------------------------------------------------------------- through the pipeline


def test_another_councils_decision_page():
    [f] = facts_of(WIRRAL_PAGE)
    assert f["document"]["publisher"]["name"] == "Wirral Borough Council"
    assert f["document"]["publisher"]["rule"] == "self_reference"
    found = orgs(f)
    assert found["Wirral Borough Council"] == ["Wirral Council", "The Council"]
    assert found["Acme Mobility Ltd"] == ["Acme Mobility Ltd", "Acme Mobility Ltd"]
    assert not any("Integrated Care Board" in n for n in found)  # no ICB named: "ICB" stays unresolved


def test_a_document_without_a_publisher_clue():
    [f] = facts_of(NO_CLUE)
    assert f["document"]["publisher"] is None
    assert f["organisations"] == []  # "the Council", "the ICB", "the Trust" left unresolved
    [g] = facts_of(NO_CLUE, council="Ambridge Borough Council")
    assert g["document"]["publisher"]["rule"] == "setting"
    assert orgs(g) == {"Ambridge Borough Council": ["The Council"]}


def test_several_councils_in_one_corpus():
    wirral, sutton, unknown = facts_of(WIRRAL_PAGE, SUTTON_ROD, NO_CLUE)
    assert orgs(sutton)["London Borough of Sutton"][:3] == ["LONDON BOROUGH OF SUTTON", "The Council", "The Authority"]
    assert "Surrey County Council" in orgs(sutton)
    assert "Riverside Primary School" in orgs(sutton)
    assert "London Borough of Sutton" not in orgs(wirral) and "Wirral Borough Council" not in orgs(sutton)
    own = next(d for d in sutton["decisions"] if d["number"] == "19/00012")
    assert "/council/london-borough-of-sutton/decision/19-00012" in own["iri"]
    assert unknown["organisations"] == []


def test_the_icb_resolves_when_the_document_names_one():
    text = ("Decision details\n\nThe Council and NHS Cheshire and Merseyside Integrated Care Board agreed. "
            "The ICB will host the fund.")
    [f] = facts_of(text, council="Wirral Borough Council")
    assert orgs(f)["NHS Cheshire and Merseyside Integrated Care Board"] == [
        "NHS Cheshire and Merseyside Integrated Care Board", "The ICB"]
    two = text + " NHS Sussex Integrated Care Board was consulted; the ICB replied."
    [g] = facts_of(two, council="Wirral Borough Council")
    assert all("the ICB" not in [m.lower() for m in ms] for ms in orgs(g).values())
