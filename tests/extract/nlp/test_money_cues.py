"""Cue phrases around an amount."""

from kgraph.extract.nlp.money_cues import ANNUAL, FUNDING, THRESHOLD_STRONG


def test_funding_and_period_cues():
    assert FUNDING.search("KCC agreed to invest") and ANNUAL.search("per annum")
    assert not ANNUAL.search("the annual report was published")


def test_threshold_cue():
    assert THRESHOLD_STRONG.search("contracts in excess of ")
