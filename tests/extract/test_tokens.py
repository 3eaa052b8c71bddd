"""The linear tokenizer gives spaCy's tokens, whitespace and norms exactly."""

import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

from kgraph.extract.tokens import LinearTokenizer, text_of

PLAIN = spacy.blank("en").tokenizer
OURS = LinearTokenizer(spacy.blank("en").tokenizer)

PIECES = st.sampled_from(["KCC", "Council's", "e.g.", "Mr.", "£2.5m", "(a)", "don't", "1.2", "-", "—", ".",
                          " ", "  ", "\n", "\n\n", "\t", "\xa0", " \xa0 ", "\r\n", " \n ", "x", "U.K.", ":)", "'s"])


def _tokens(doc):
    return [(t.idx, t.text, t.whitespace_, t.is_space, t.norm_, t.lower_) for t in doc]


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, max_size=40).map("".join))
def test_same_tokens_as_spacy(text):
    assert _tokens(OURS(text)) == _tokens(PLAIN(text))
    assert text_of(OURS(text)) == text


def test_whitespace_special_cases_only_restating_themselves_are_dropped():
    assert "\n" not in OURS.base.rules and " " not in OURS.base.rules
    assert "\xa0" in OURS.base.rules and "e.g." in OURS.base.rules
