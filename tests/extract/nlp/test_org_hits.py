"""Settling overlapping organisation candidates."""

from __future__ import annotations

from kgraph.extract.nlp.org_hits import Hit, resolve_overlaps, same_body_shorter_names


def hit(start, end, name, source="pattern", rank=1, kind="School"):
    return Hit(start, end, name, kind, source, None, rank)


def test_trusted_rules_then_longest_then_earliest():
    got = resolve_overlaps([hit(0, 6, "Long pattern"), hit(2, 4, "Listed", "gazetteer", 0),
                            hit(5, 9, "Later"), hit(4, 9, "Earlier and longer")])
    assert [h.name for h in got] == ["Listed", "Earlier and longer"]


def test_an_acronym_definition_beats_the_gazetteer_on_a_tie():
    got = resolve_overlaps([hit(3, 4, "From the register", "gazetteer", 0), hit(3, 4, "Defined here", "acronym", 0)])
    assert [h.name for h in got] == ["Defined here"]


def test_a_shorter_name_needs_the_same_first_and_last_word():
    full = hit(0, 6, "Holy Cross Catholic Primary School")
    same = hit(10, 13, "Holy Cross Primary School")
    other = hit(20, 23, "Cross Primary School")
    assert [h.name for h in same_body_shorter_names([full, same, other])] == [
        "Holy Cross Catholic Primary School", "Holy Cross Catholic Primary School", "Cross Primary School"]
