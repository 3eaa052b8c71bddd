"""Earlier decisions a page implies: the award a contract change needs, the approval a programme
change needs; what kind of change; and what implies nothing."""

from __future__ import annotations

import pytest

from kgraph.extract.nlp.implied_refs import implied_award, implied_awards
from kgraph.model import DecisionMention, Mention


def _one(text: str, title: str | None = None):
    mention = Mention(title, text.index(title), text.index(title) + len(title)) if title else None
    return implied_award(text, 0, len(text), mention)


@pytest.mark.parametrize(("text", "implied", "change"), [
    ("RESOLVED: Approve the extension, by way of contract variation, with Acme Care Ltd until June.", "award", "extends"),
    ("a) Approve the permitted extension to deliver the meals service to the provider.", "award", "extends"),
    ("Agreed savings to be incorporated into the contract variation of the parks contract.", "award", "amends"),
    ("Approval to vary an existing award of contract by £2,000.", "award", "varies"),
    ("That the variations to the 2024/25 Capital Programme for the following schemes be approved.", "approval", "amends"),
    ("Approves changes to the existing capital programme as set out.", "approval", "amends"),
])
def test_what_a_change_implies(text, implied, change):
    r = _one(text)
    assert (r.implied, r.change) == (implied, change)
    assert text[r.mention.start:r.mention.end] == r.mention.text


def test_the_decisions_own_words_count_before_its_title():
    text = "Extend current award of contracts - Design Services\n\nApproval to vary an existing award of contract by £900."
    r = _one(text, "Extend current award of contracts - Design Services")
    assert r.change == "varies" and r.mention.text == "vary an existing award of contract"
    r = _one("Library Lease Extension\n\nThe lease ends soon.", "Library Lease Extension")
    assert (r.change, r.mention.text) == ("extends", "Library Lease Extension")


@pytest.mark.parametrize(("text", "title"), [
    ("Approval be given to the extension of the current Section 75 Agreement for one year.", None),
    ("Enter into an interim extension to the current S75 agreement for 2021/22.", None),
    ("Proposals to extend the current Section 75 Partnership Agreement", "Proposals to extend the current Section 75 Partnership Agreement"),
    ("Approve the procurement strategy for a 5-year contract with a 2-year extension option.", None),
    ("Approve the procurement strategy for a 5-year contract with a 2-year extension.", None),
    ("Approve the extension option within the new framework.", None),
])
def test_statutory_agreements_and_options_on_new_contracts_imply_no_award(text, title):
    assert _one(text, title) is None


def test_a_listing_gives_each_subject_its_own_implied_award_and_noting_is_no_citation():
    text = ("Fleet Services ref: 11\n\nNOTED the decisions taken to date on fuel. Approve the extension of the "
            "existing contracts for fleet hire.\n\nMeals Service ref: 12\n\nApprove the permitted extension to the provider.")
    a = DecisionMention(title="Fleet Services", title_mention=Mention("Fleet Services", 0, 14))
    b_start = text.index("Meals Service")
    b = DecisionMention(title="Meals Service", title_mention=Mention("Meals Service", b_start, b_start + 13))
    noted = text.index("NOTED")
    found = implied_awards(text, [a, b], [noted])
    assert [(r.mention.start < b_start, r.change) for r in found] == [(True, "extends"), (False, "extends")]
    cited = implied_awards(text, [a, b], [text.index("Approve the extension")])  # a real citation counts
    assert [(r.mention.start > b_start, r.change) for r in cited] == [(True, "extends")]


@pytest.mark.parametrize("text", [
    "Approve the extension of Park Lane Primary School to 420 places.",
    "Approve the two-storey extension to the library building.",
    "Approve a variation to the planning permission by way of variation of condition 4.",
])
def test_building_extensions_and_other_variations_imply_no_award(text):
    assert _one(text) is None
