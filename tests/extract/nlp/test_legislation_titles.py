"""Titles of Acts and SIs, listed in the gazetteer or not (hand-written sentences)."""

from __future__ import annotations

import pytest

from kgraph.extract.nlp.legislation_titles import find_instruments


def titles(text: str) -> list[tuple[str, str, bool]]:
    found = find_instruments(text)
    for i in found:
        assert i.start < i.end
    return [(i.title, i.how, i.listed) for i in found]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The pier is managed under the Harbours Act 1964.", [("Harbours Act 1964", "explicit", False)]),
        ("consulted under the Marine Navigation (Pilotage) Regulations 2019 last year",
         [("Marine Navigation (Pilotage) Regulations 2019", "explicit", False)]),
        ("made as the Kentish Town (Parking Places) Order 2021.",
         [("Kentish Town (Parking Places) Order 2021", "explicit", False)]),
        ("subject to the Civil Procedure Rules 1998 applying", [("Civil Procedure Rules 1998", "explicit", True)]),
        ("the Tribunal Procedure (First-tier Tribunal) Rules 2009", [("Tribunal Procedure (First-tier Tribunal) Rules 2009", "explicit", False)]),
        ("an exemption under the Education and Inspections Act, 2006 and the Care Act (2014)",
         [("Education and Inspections Act 2006", "explicit", True), ("Care Act 2014", "explicit", True)]),
        ("the 2004 Civil Contingencies Act requires a plan",
         [("Civil Contingencies Act 2004", "explicit", True)]),
    ],
)
def test_any_title_with_a_year_is_an_instrument(text, expected):
    assert titles(text) == expected


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("the Childrens Act 1989", "Children Act 1989"),
        ("under the National Health Act 2006", "National Health Service Act 2006"),
        ("under the National Health Services Act 2006", "National Health Service Act 2006"),
        ("the Schools Standards and Frameworks Act 1998", "School Standards and Framework Act 1998"),
        ("the Flood Risk Regulation 2009", "Flood Risk Regulations 2009"),
        ("the Levelling Up and Regeneration Act 2023", "Levelling-up and Regeneration Act 2023"),
    ],
)
def test_misnamed_titles_resolve_to_the_gazetteer(text, title):
    assert titles(text) == [(title, "misnamed", True)]


def test_a_different_word_or_year_is_never_a_misnaming():
    # one word off ("Finance") or another year is another Act, not a typo
    assert titles("the Local Government Act 2002 and the Local Government Finance Act 2003") == [
        ("Local Government Act 2002", "explicit", False),
        ("Local Government Finance Act 2003", "explicit", False),
    ]


def test_titles_without_a_year_only_when_the_gazetteer_knows_them():
    assert titles("duties under the Homelessness Reduction Act") == [
        ("Homelessness Reduction Act 2017", "explicit", True)]
    assert titles("the Adult Social Care Act and the Housing Act apply") == []  # unknown; ambiguous


def test_a_short_name_inside_an_unlisted_title_is_not_matched():
    assert titles("the Adult Social Care Act 2014") == [("Adult Social Care Act 2014", "explicit", False)]


def test_two_titles_joined_by_and():
    assert titles("let on Farm Business Tenancies and Agricultural Holdings Act tenancies") == [
        ("Agricultural Holdings Act 1986", "explicit", True)]


def test_a_heading_above_is_not_part_of_the_title():
    assert titles("Legal Implications\nCare Act 2014 duties apply.") == [("Care Act 2014", "explicit", True)]
    assert titles("Background\n\nThe Harbours Act 1964 applies.") == [("Harbours Act 1964", "explicit", False)]


def test_a_title_broken_across_lines():
    text = "under the Local\nAuthorities (Executive Arrangements) (Meetings and Access to Information) (England)\nRegulations 2012"
    [(title, how, listed)] = titles(text)
    assert title.startswith("Local Authorities (Executive Arrangements)") and listed


def test_words_that_start_sentences_are_not_title_words():
    assert titles("Whilst Care Act 2014 duties apply. Under Localism Act 2011 powers") == [
        ("Care Act 2014", "explicit", True), ("Localism Act 2011", "explicit", True)]


def test_a_councils_own_rule_books_are_not_legislation():
    text = "under the Council Procedure Rules 2020, the Financial Regulations 2021 and Contract Procedure Rules 2019"
    assert titles(text) == []
