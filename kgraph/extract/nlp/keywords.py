"""Token patterns made only of fixed words, matched only where those words are.

A spaCy :class:`~spacy.matcher.Matcher` visits every token of a document and, for ``IN``
lists, calls back into Python for each one. When every token of every pattern is a fixed
word (``ORTH``/``LOWER`` values or ``IN`` lists of them, possibly optional), a match can only
lie inside a run of tokens that are all such words. :class:`KeywordMatcher` copies those runs
into one small Doc (runs apart by a token no pattern holds), matches there, and maps the
matches back: the same matches, in the same order, as the plain Matcher over the whole Doc.

>>> import spacy
>>> nlp = spacy.blank("en")
>>> m = KeywordMatcher(nlp.vocab, {"ccg": [[{"ORTH": "CCG"}]], "trust": [[{"LOWER": "nhs"}, {"LOWER": "trust"}]]})
>>> words = "West Kent CCG and the Kent NHS Trust".split()
>>> [(nlp.vocab.strings[k], s, e) for k, s, e in m(spacy.tokens.Doc(nlp.vocab, words=words), words)]
[('ccg', 2, 3), ('trust', 6, 8)]
"""

from __future__ import annotations

from spacy.matcher import Matcher
from spacy.tokens import Doc

#: Stands between two runs in the small Doc (a word no pattern holds).
_GAP = "\u00b6"


def _values(spec: dict) -> set[str]:
    """The lower-cased words one token spec accepts; ``ValueError`` if it accepts others."""
    found: set[str] = set()
    for attr, value in spec.items():
        if attr == "OP":
            if value != "?":
                raise ValueError(f"operator {value!r}")
            continue
        if attr not in ("ORTH", "LOWER", "TEXT"):
            raise ValueError(f"attribute {attr!r}")
        if isinstance(value, str):
            found.add(value.lower())
        elif isinstance(value, dict) and set(value) == {"IN"}:
            found.update(v.lower() for v in value["IN"])
        else:
            raise ValueError(f"value {value!r}")
    if not found:
        raise ValueError("a token spec with no word")
    return found


class KeywordMatcher:
    """A Matcher for fixed-word patterns, run over the runs of its words only."""

    def __init__(self, vocab, patterns: dict[str, list[list[dict]]]):
        self.vocab = vocab
        self.matcher = Matcher(vocab)
        self.words: set[str] = set()
        for key, alternatives in patterns.items():
            for pattern in alternatives:
                if not pattern or pattern[0].get("OP") == "?":
                    raise ValueError(f"pattern {key!r} may start with an optional token")
                for spec in pattern:
                    self.words |= _values(spec)
            self.matcher.add(key, alternatives)
        if _GAP.lower() in self.words:
            raise ValueError("the gap word is a pattern word")

    def __call__(self, doc: Doc, words: list[str]) -> list[tuple[int, int, int]]:
        """``(match id, start, end)`` of ``matcher(doc)``; ``words`` are the tokens' texts."""
        keep: list[int] = []  # index in ``doc`` of each token of the small Doc (-1 for a gap)
        small: list[str] = []
        known = self.words
        for i, w in enumerate(words):
            if w.lower() in known:
                if keep and keep[-1] != i - 1:
                    keep.append(-1)
                    small.append(_GAP)
                keep.append(i)
                small.append(w)
        if not small:
            return []
        return [(k, keep[s], keep[e - 1] + 1) for k, s, e in self.matcher(Doc(self.vocab, words=small))]
