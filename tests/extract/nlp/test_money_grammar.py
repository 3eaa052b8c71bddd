"""The £ amount grammar."""

from kgraph.extract.nlp.money_grammar import find_amounts, parse_gbp


def test_amounts_are_found_with_their_offsets_and_values():
    text = "invest £2.65m, then £100,000 and £5k."
    assert [(text[s:e], v) for s, e, v in find_amounts(text)] == [("£2.65m", 2650000), ("£100,000", 100000),
                                                                  ("£5k", 5000)]


def test_multipliers_and_rounding():
    assert parse_gbp("£1.5 billion") == 1_500_000_000
    assert parse_gbp("£0.5m") == 500_000
    assert find_amounts("no pounds here, 100 euros") == []
