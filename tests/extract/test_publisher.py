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
