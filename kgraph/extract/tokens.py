"""A tokenizer that stays linear: spaCy's English rules, with very long "words" cut into chunks.

spaCy's tokenizer strips prefix and suffix punctuation one character at a time and re-checks
the rest each time, so a run of 8,000 ``(`` or ``£`` without a space takes seconds (quadratic).
Text is tokenized as spaCy would, except that a whitespace-free run longer than
:data:`LONG_WORD` characters is tokenized in chunks of :data:`CHUNK` characters. Real papers
have no such words; the token texts and offsets always match the text exactly.

>>> tok = LinearTokenizer(__import__("spacy").blank("en").tokenizer)
>>> doc = tok("Agree (" + "(" * 500 + ") now.")
>>> doc.text == "Agree (" + "(" * 500 + ") now." and len(doc) > 500
True
>>> [t.text for t in tok("KCC will pay £1m. Then")]
['KCC', 'will', 'pay', '£', '1', 'm.', 'Then']

spaCy caches how it split each word, but stops saving to that cache for the rest of a text
once a word matched one of its special cases, and a lone line break, tab or space is one: so
after the first line break every word was split afresh. The special cases that only restate a
whitespace character as itself are dropped (:func:`cacheable`); the tokens are the same and
the cache works for the whole text.

spaCy rebuilds ``Doc.text`` from every token each time it is read; components read the text
through :func:`text_of`, which keeps it on the Doc (the tokenizer leaves it there already).

>>> text_of(tok("One here.")), text_of(__import__("spacy").blank("en")("Two."))
('One here.', 'Two.')
"""

from __future__ import annotations

import re

from spacy.attrs import ORTH
from spacy.tokens import Doc

#: Longest whitespace-free run tokenized by spaCy in one piece (characters).
LONG_WORD = 200
#: Size of the pieces a longer run is tokenized in.
CHUNK = 64

_LONG = re.compile(rf"[^ \t\r\n]{{{LONG_WORD + 1},}}")
#: Key of the text in ``Doc.user_data``.
_TEXT = "kgraph.text"


def text_of(doc: Doc) -> str:
    """``doc.text``, joined once per Doc and kept in ``doc.user_data``."""
    text = doc.user_data.get(_TEXT)
    if text is None:
        text = doc.user_data[_TEXT] = doc.text
    return text


def cacheable(tokenizer):
    """Drop ``tokenizer``'s special cases that make a whitespace character its own token and
    say nothing else (the default splitting gives that token too); returns the tokenizer.

    >>> t = cacheable(__import__("spacy").blank("en").tokenizer)
    >>> "\\n" in t.rules, "\\xa0" in t.rules  # the no-break space also sets a norm: kept
    (False, True)
    """
    rules = tokenizer.rules or {}
    plain = {k for k, v in rules.items() if k.isspace() and v == [{ORTH: k}]}
    if plain:
        tokenizer.rules = {k: v for k, v in rules.items() if k not in plain}
    return tokenizer


class LinearTokenizer:
    """Wrap a spaCy tokenizer (callable ``str -> Doc``) so that its time is linear in the text
    (and its word cache works: :func:`cacheable`)."""

    def __init__(self, base):
        self.base = cacheable(base)
        self.vocab = base.vocab

    def __call__(self, text: str) -> Doc:
        doc = self._tokenize(text)
        doc.user_data[_TEXT] = text
        return doc

    def _tokenize(self, text: str) -> Doc:
        cuts = [(m.start(), m.end()) for m in _LONG.finditer(text)]
        if not cuts:
            return self.base(text)
        words: list[str] = []
        spaces: list[bool] = []
        pos = 0
        for start, end in cuts:
            self._add(text[pos:start], words, spaces)
            for a in range(start, end, CHUNK):
                self._add(text[a : min(a + CHUNK, end)], words, spaces)
            # a single following space belongs to the long word's last token, as spaCy does
            pos = end + 1 if text[end : end + 1] == " " else end
            if pos == end + 1 and words:
                spaces[-1] = True
        self._add(text[pos:], words, spaces)
        return Doc(self.vocab, words=words, spaces=spaces)

    def _add(self, piece: str, words: list[str], spaces: list[bool]) -> None:
        if not piece:
            return
        for t in self.base(piece):
            words.append(t.text)
            spaces.append(bool(t.whitespace_))

    # spaCy calls these on nlp.tokenizer when serialising a pipeline; not used by kgraph
    def to_bytes(self, **kwargs):  # pragma: no cover
        return self.base.to_bytes(**kwargs)

    def from_bytes(self, data, **kwargs):  # pragma: no cover
        self.base.from_bytes(data, **kwargs)
        return self
