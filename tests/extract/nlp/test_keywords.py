"""The keyword matcher gives the plain Matcher's matches, in its order."""

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.matcher import Matcher
from spacy.tokens import Doc

from kgraph.extract.nlp.keywords import KeywordMatcher
from kgraph.extract.nlp.org_patterns import HEADS

NLP = spacy.blank("en")
PATTERNS = {key: [list(head.tokens)] for key, head in HEADS.items()}
FAST = KeywordMatcher(NLP.vocab, PATTERNS)
PLAIN = Matcher(NLP.vocab)
for _key, _alts in PATTERNS.items():
    PLAIN.add(_key, _alts)

WORDS = st.sampled_from(
    ["NHS", "nhs", "Trust", "trust", "Foundation", "Clinical", "Commissioning", "Group", "CCG", "ICB",
     "Integrated", "Care", "Board", "County", "Borough", "Council", "council", "Combined", "Authority",
     "Fire", "and", "Rescue", "Service", "School", "Academy", "College", "Nursery", "multi", "-",
     "Multi-Academy", "Ltd", "Ltd.", "PLC", "Society", "Housing", "Association", "Kent", "the", "\u00b6", ",", "of"])


@settings(max_examples=200, deadline=None)
@given(st.lists(WORDS, min_size=1, max_size=30))
def test_same_matches_in_the_same_order_as_the_plain_matcher(words):
    doc = Doc(NLP.vocab, words=words)
    assert FAST(doc, words) == PLAIN(doc)


def test_patterns_with_other_than_fixed_words_are_refused():
    for pattern in ([{"TEXT": {"REGEX": "^A"}}], [{"LOWER": "a", "OP": "+"}], [{"LOWER": "a", "OP": "?"}, {"LOWER": "b"}],
                    [{"IS_TITLE": True}]):
        with pytest.raises(ValueError):
            KeywordMatcher(NLP.vocab, {"k": [pattern]})
