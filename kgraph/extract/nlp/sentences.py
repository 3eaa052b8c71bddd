"""Sentence boundaries for council papers: punctuation, blank lines, list items and headings.

Real papers break lines mid-sentence, so a single newline is not a boundary; a blank line,
a bullet (``-``, ``•``, ``a)``), a numbered paragraph (``1.2``) or a Markdown heading is.

>>> import spacy
>>> nlp = spacy.blank("en"); _ = nlp.add_pipe("kg_sentences")
>>> doc = nlp("Reasons:\\n\\nKCC agreed to invest £2.65m per year. The model works\\nwell.\\n- a) Give notice")
>>> [s.text.strip() for s in doc.sents]
['Reasons:', 'KCC agreed to invest £2.65m per year.', 'The model works\\nwell.', '- a) Give notice']
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

import kgraph.extract.nlp.pipeline  # noqa: F401  (registers the factory for the doctest)

_BREAK_BEFORE = re.compile(r"\n[ \t]*\n\s*|\n[ \t]*(?=[-•*#]\s|\(?[a-zA-Z]\)\s|\d+(\.\d+)+\s|\d+\.\s)")
_END = {".", "!", "?", ":", ";"}
_ABBREV = {"no", "nos", "ref", "e.g", "i.e", "etc", "para", "s", "st"}


def _starts_sentence(word: str) -> bool:
    return word[:1].isupper() or word[:1] == "£"


class SentenceSplitter:
    """Set ``is_sent_start`` on every token; see the module docstring for the rules."""

    def __init__(self, nlp: Language, name: str):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        starts: set[int] = set()
        for m in _BREAK_BEFORE.finditer(text):
            starts.add(m.end())
        for i, tok in enumerate(doc):
            if i == 0:
                tok.is_sent_start = True
                continue
            prev = doc[i - 1]
            new = False
            if tok.idx in starts or (tok.is_space and "\n\n" in tok.text):
                new = True
            elif prev.text in _END and _starts_sentence(tok.text) and not tok.is_space:
                new = not (i >= 2 and doc[i - 2].lower_ in _ABBREV)
            elif prev.is_space and doc[i - 2].text in _END if i >= 2 else False:
                new = _starts_sentence(tok.text)
            tok.is_sent_start = new
        # a boundary that falls on whitespace moves to the next real token
        for i in range(len(doc) - 1):
            if doc[i].is_space and doc[i].is_sent_start and i > 0:
                doc[i].is_sent_start = False
                doc[i + 1].is_sent_start = True
        return doc
