"""kgraph.extract.evidence: the sentence a fact rests on, and quotes that are slices of the text."""

from __future__ import annotations

import pytest

from kgraph.extract.evidence import MAX_QUOTE, evidence_dict, quote_context, sentence_around


def around(text: str, needle: str) -> str:
    start = text.index(needle)
    s, e = sentence_around(text, start, start + len(needle))
    return text[s:e]


def test_sentence_in_the_middle():
    text = "Intro here. KCC agreed to invest £2.65m per year. Next one follows."
    assert around(text, "£2.65m") == "KCC agreed to invest £2.65m per year."


def test_first_sentence_starts_at_text_start():
    text = "KCC will pay £1m. Then more."
    s, e = sentence_around(text, 12, 15)
    assert s == 0
    assert text[s:e] == "KCC will pay £1m."


def test_last_sentence_runs_to_text_end():
    text = "First one. The last sentence has no full stop"
    assert around(text, "no full stop") == "The last sentence has no full stop"


def test_surrounding_whitespace_is_trimmed():
    text = "  \n  Only sentence here.  \n\n"
    s, e = sentence_around(text, text.index("sentence"), text.index("sentence") + 8)
    assert text[s:e] == "Only sentence here."


def test_blank_line_ends_a_paragraph_without_punctuation():
    text = "Heading without a stop\n\nThe Council will fund £200,000 for KHNES\n\nNext heading"
    assert around(text, "£200,000") == "The Council will fund £200,000 for KHNES"


def test_blank_line_with_spaces_or_crlf_ends_a_paragraph():
    text = "Heading\r\n \t\r\nThe Council will fund £5m\r\n\r\nNext"
    got = around(text, "£5m")
    assert got.startswith("The Council")
    assert got.endswith("£5m")


def test_single_line_break_does_not_end_a_sentence():
    text = "Intro. The Council will fund\n£200,000 for KHNES. Next."
    assert around(text, "£200,000") == "The Council will fund\n£200,000 for KHNES."


@pytest.mark.parametrize("abbrev", ["e.g. the", "i.e. the", "approx. the"])
def test_lower_case_after_an_abbreviation_does_not_end_the_sentence(abbrev):
    text = f"Intro. Some services, {abbrev} KHNES, get £240,000 a year. Next."
    got = around(text, "£240,000")
    assert got.startswith("Some services")
    assert got.endswith("a year.")


def test_decimal_point_does_not_end_a_sentence():
    text = "Intro. KCC will invest £2.65m in 2019. Next."
    assert around(text, "2019") == "KCC will invest £2.65m in 2019."


@pytest.mark.parametrize("opener", ["(", "“", '"', "'"])
def test_sentence_may_start_with_a_parenthesis_or_quote(opener):
    text = f"Intro. {opener}KCC will invest £1m. Next."
    assert around(text, "£1m") == f"{opener}KCC will invest £1m."


def test_long_sentence_is_clipped_around_the_span():
    filler = "word " * 400
    text = f"Intro. {filler}the £9m amount {filler}end. Next."
    start = text.index("£9m")
    s, e = sentence_around(text, start, start + 3)
    assert s <= start and e >= start + 3
    # a window of MAX_QUOTE // 2 characters either side of the span
    assert e - s <= MAX_QUOTE + 3
    assert e - s >= MAX_QUOTE - 10
    assert s > text.index(filler)


def test_clipping_near_the_text_start_stays_in_bounds():
    text = "£9m " + "word " * 400 + "end."
    s, e = sentence_around(text, 0, 3)
    assert s == 0
    assert 3 <= e <= MAX_QUOTE + 3


def test_quote_context():
    text = "Intro. KCC agreed to invest £2.65m per year."
    start = text.index("£2.65m")
    prefix, suffix = quote_context(text, start, start + 6, width=7)
    assert prefix == "invest " and suffix == " per ye"
    assert quote_context(text, 0, 5, width=32)[0] == ""
    assert quote_context(text, len(text) - 1, len(text))[1] == ""


def test_evidence_quote_equals_text_slice():
    text = "Background.\n\nThis decision follows on from decision number 18/00071. It also ends NELFT."
    start = text.index("18/00071")
    ev = evidence_dict("doc1", text, start, start + 8)
    assert ev["document"] == "doc1"
    assert ev["quote"] == text[ev["start"] : ev["end"]]
    assert ev["quote"] == "This decision follows on from decision number 18/00071."
    assert ev["start"] <= start and ev["end"] >= start + 8
