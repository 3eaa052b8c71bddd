"""One document through sections and the spaCy pipeline: the mentions it contains.

>>> from kgraph.extract.ingest import document_from_text
>>> ext = extract_document(document_from_text("x.txt", "KCC will invest £2m per year."))
>>> [(a.gbp, a.period) for a in ext.amounts]
[(2000000, 'annual')]
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kgraph.extract.nlp.pipeline import annotate
from kgraph.extract.publisher import Publisher
from kgraph.extract.sections import split_sections
from kgraph.model import (
    AmountMention,
    DecisionMention,
    DecisionNumberMention,
    DecisionRefMention,
    Document,
    LegislationMention,
    MeetingMention,
    OrgMention,
    Section,
)


@dataclass
class DocExtraction:
    """Everything the pipeline found in one document, at mention level."""

    document: Document
    sections: list[Section] = field(default_factory=list)
    organisations: list[OrgMention] = field(default_factory=list)
    legislation: list[LegislationMention] = field(default_factory=list)
    amounts: list[AmountMention] = field(default_factory=list)
    decision_numbers: list[DecisionNumberMention] = field(default_factory=list)
    decision: DecisionMention = field(default_factory=DecisionMention)
    #: every decision the document is about (``decision`` first); a listing page has several
    subjects: list[DecisionMention] = field(default_factory=list)
    #: earlier decisions the document describes without a number
    decision_refs: list[DecisionRefMention] = field(default_factory=list)
    meetings: list[MeetingMention] = field(default_factory=list)
    #: the council that published the document (None when neither text nor default says)
    publisher: Publisher | None = None
    #: the text's sentences as character spans (``structure.sentence_spans``), kept so that
    #: quoting evidence later does not split the text again
    sentences: tuple[tuple[int, int], ...] = ()


def extract_document(document: Document, *, council: str | None = None) -> DocExtraction:
    """Split sections, run the pipeline, and collect its mentions (pure: no I/O).

    ``council`` is the default publisher for a document whose text gives no clue.
    """
    sections = split_sections(document.text, document.kind)
    doc = annotate(document, sections, council=council)
    return DocExtraction(
        document=document,
        sections=sections,
        organisations=list(doc._.organisations),
        legislation=list(doc._.legislation),
        amounts=list(doc._.amounts),
        decision_numbers=list(doc._.decision_numbers),
        decision=doc._.decision,
        subjects=list(doc._.subjects or [doc._.decision]),
        decision_refs=list(doc._.decision_refs or []),
        meetings=list(doc._.meetings),
        publisher=doc._.publisher,
        sentences=tuple(tuple(span) for span in doc._.sentences or ()),
    )
