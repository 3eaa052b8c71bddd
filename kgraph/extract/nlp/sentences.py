"""The ``kg_sentences`` component: sentence boundaries from the shared splitter, set at once.

The rules live in :mod:`kgraph.extract.structure` (one splitter for the components and for
evidence quoting). All boundaries are written in one ``Doc.from_array`` call: setting
``token.is_sent_start`` token by token makes spaCy re-check the whole document each time.
The character spans are also left on ``doc._.sentences``.

>>> import spacy
>>> nlp = spacy.blank("en"); _ = nlp.add_pipe("kg_sentences")
>>> doc = nlp("Reasons:\\n\\nKCC agreed to invest £2.65m per year. The model works\\nwell.\\n- a) Give notice")
>>> [s.text.strip() for s in doc.sents]
['Reasons:', 'KCC agreed to invest £2.65m per year.', 'The model works\\nwell.', '- a) Give notice']
>>> doc._.sentences[1]
(10, 47)
"""

from __future__ import annotations

import numpy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

import kgraph.extract.nlp.pipeline  # noqa: F401  (registers the factory for the doctest)
from kgraph.extract.structure import sentence_starts, spans_from_starts, token_columns


class SentenceSplitter:
    """Mark every sentence start (see :mod:`kgraph.extract.structure` for the rules)."""

    def __init__(self, nlp: Language, name: str):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            doc._.sentences = []
            return doc
        columns = token_columns(doc)
        flags = sentence_starts(doc, columns)
        values = numpy.array([1 if f else -1 for f in flags], dtype="int32").astype("uint64")
        doc.from_array([SENT_START], values.reshape(-1, 1))
        doc._.sentences = spans_from_starts(doc, flags, columns)
        return doc
