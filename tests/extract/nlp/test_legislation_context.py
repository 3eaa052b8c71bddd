"""Sentence and section context of a legislation mention."""

import spacy

import kgraph.extract.nlp.pipeline  # noqa: F401  (registers the Doc extensions)
from kgraph.extract.nlp.legislation_context import Context, relation
from kgraph.model import Section


def _ctx(text, sections=()):
    doc = spacy.blank("en")(text)
    doc._.sections = list(sections)
    return Context(doc)


def test_a_duty_in_legal_implications_is_a_basis():
    text = "Legal Implications\n\nKCC has a duty under section 17."
    at = text.index("section 17")
    assert relation(_ctx(text), at, at + 10, "section 17", []) == "based_on"


def test_without_a_cue_it_only_cites():
    text = "Legal Implications\n\nSee section 17 for more."
    at = text.index("section 17")
    assert relation(_ctx(text), at, at + 10, "section 17", []) == "cites"


def test_access_to_information_provisions_never_a_basis():
    text = "Decision\n\nAgree under schedule 12A."
    at = text.index("schedule 12A")
    ctx = _ctx(text, [Section("decision", "Decision", 0, len(text))])
    assert relation(ctx, at, at + 12, "schedule 12A", []) == "cites"
    assert relation(ctx, at, at + 12, "section 3", []) == "based_on"
