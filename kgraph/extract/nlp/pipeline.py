"""The one place where kgraph's spaCy components are registered and assembled.

Components (one per module) read the text and :class:`~kgraph.model.Section` list and
write typed mentions to ``Doc._`` extensions:

================  ================================  =============================
component         module                            writes
================  ================================  =============================
kg_sentences      :mod:`kgraph.extract.nlp.sentences`       sentence starts, ``doc._.sentences``
kg_organisations  :mod:`kgraph.extract.nlp.organisations`   ``doc._.organisations``
kg_legislation    :mod:`kgraph.extract.nlp.legislation`     ``doc._.legislation``
kg_money          :mod:`kgraph.extract.nlp.money`           ``doc._.amounts``
kg_decisions      :mod:`kgraph.extract.nlp.decisions`       ``doc._.decision``, ``doc._.subjects``,
                                                            ``doc._.decision_numbers``, ``doc._.decision_refs``
kg_meetings       :mod:`kgraph.extract.nlp.meetings`        ``doc._.meetings``
================  ================================  =============================

>>> nlp = build_nlp()
>>> nlp.pipe_names
['kg_sentences', 'kg_organisations', 'kg_legislation', 'kg_money', 'kg_decisions', 'kg_meetings']
"""

from __future__ import annotations

import gc
import importlib
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from kgraph.extract.tokens import LinearTokenizer
from kgraph.model import DecisionMention, Document, Section

#: Doc extensions and their defaults (lists are created fresh per Doc by ``getter``-less defaults).
_EXTENSIONS = {
    "sections": None,
    "sentences": None,
    "kind": "Other",
    "council": None,
    "publisher": None,
    "organisations": None,
    "legislation": None,
    "amounts": None,
    "decision_numbers": None,
    "decision": None,
    "subjects": None,
    "decision_refs": None,
    "meetings": None,
}

for _name, _default in _EXTENSIONS.items():
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)


#: Component name → (module, class). Order is pipeline order: later components read
#: what earlier ones wrote (money and meetings need organisations).
COMPONENTS: dict[str, tuple[str, str]] = {
    "kg_sentences": ("kgraph.extract.nlp.sentences", "SentenceSplitter"),
    "kg_organisations": ("kgraph.extract.nlp.organisations", "OrganisationRecognizer"),
    "kg_legislation": ("kgraph.extract.nlp.legislation", "LegislationRecognizer"),
    "kg_money": ("kgraph.extract.nlp.money", "MoneyRecognizer"),
    "kg_decisions": ("kgraph.extract.nlp.decisions", "DecisionRecognizer"),
    "kg_meetings": ("kgraph.extract.nlp.meetings", "MeetingRecognizer"),
}


def _factory(module: str, cls: str):
    def make(nlp: Language, name: str):
        return getattr(importlib.import_module(module), cls)(nlp, name)

    return make


for _pipe, (_module, _cls) in COMPONENTS.items():
    if not Language.has_factory(_pipe):
        Language.factory(_pipe, func=_factory(_module, _cls))


PIPE_NAMES = tuple(COMPONENTS)


def build_nlp() -> Language:
    """A fresh pipeline: ``spacy.blank("en")`` (tokenizer kept linear) with every kgraph component."""
    nlp = spacy.blank("en")
    nlp.tokenizer = LinearTokenizer(nlp.tokenizer)
    for name in PIPE_NAMES:
        nlp.add_pipe(name)
    return nlp


@lru_cache(maxsize=1)
def shared_nlp() -> Language:
    """One pipeline per process (components hold compiled matchers and gazetteers).

    Once it is built, what is alive is moved out of the cyclic garbage collector's reach
    (``gc.collect()`` then ``gc.freeze()``): the pipeline and its gazetteers live as long as the
    process, and a full collection, which walked them all (about 50 ms, every few long papers),
    no longer does.
    """
    nlp = build_nlp()
    gc.collect()
    gc.freeze()
    return nlp


def annotate(document: Document, sections: list[Section], *, council: str | None = None,
             nlp: Language | None = None) -> Doc:
    """Run the pipeline over a document whose sections are already split.

    ``council`` is the default publisher for a document whose text gives no clue; the
    organisation component replaces it with the council the text settles
    (``doc._.publisher``). Every list extension is initialised before the components run,
    so each component may read what earlier ones wrote.
    """
    nlp = nlp or shared_nlp()
    doc = nlp.make_doc(document.text)
    ext = doc._  # one accessor (each ``doc._`` builds a new one)
    ext.sections = list(sections)
    ext.kind = document.kind
    ext.council = council or None
    ext.publisher = None
    ext.organisations = []
    ext.legislation = []
    ext.amounts = []
    ext.decision_numbers = []
    ext.decision = DecisionMention()
    ext.subjects = []
    ext.decision_refs = []
    ext.meetings = []
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return doc
