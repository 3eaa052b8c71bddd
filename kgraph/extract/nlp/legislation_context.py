"""Where a legislation mention sits and what it does there: its sentence and sections, and
whether the decision rests on it (``based_on``) or only cites it.

A mention in the decision or recommendations, or in the legal implications or reasons with a
cue ("duty", "power", "under ..."), is ``based_on``; a publication notice, the access-to-
information provisions and every other place only ``cites``.

>>> import spacy
>>> doc = spacy.blank("en")("Legal Implications\\n\\nKCC has a duty under section 17.")
>>> doc._.sections = []
>>> ctx = Context(doc)
>>> ctx.sentence(41), ctx.section_name(41), relation(ctx, 41, 51, "section 17", [])
((20, 52), 'legal_implications', 'based_on')
"""

from __future__ import annotations

import bisect
import re

from spacy.tokens import Doc

import kgraph.extract.nlp.pipeline  # noqa: F401  (registers the factory for the doctest)
from kgraph.extract.sections import SectionIndex
from kgraph.extract.structure import headings, sentence_list, sentence_spans
from kgraph.extract.tokens import text_of
from kgraph.model import Section

#: Section names that give a power or duty when a cue is present.
BASIS_SECTIONS = frozenset({"legal_implications", "reasons"})
#: Section names where the decision itself (or the recommendation for it) is stated.
DECISION_SECTIONS = frozenset({"decision", "recommendations"})
#: Section names too generic to report when a named one encloses them.
_GENERIC = frozenset({"paragraph", "table"})
#: Provisions that are about public access to meetings and papers: never a decision's basis.
ACCESS_TO_INFORMATION = re.compile(r"^(?:schedule 12A\b|section 100[A-K]\b)")

# ------------------------------------------------------------------ relation cues

BOILERPLATE = re.compile(
    r"exempt\s+from\s+publication\s+under\s+(?:paragraph\s+\w+\s+of\s+)?schedule\s*12\s*a\b",
    re.IGNORECASE,
)
_SENTENCE_CUE = re.compile(
    r"\b(?:dut(?:y|ies)|powers?|authori[sz](?:es|ed|ing)|entitled|empowers?|enables?|obliged|"
    r"obligations?|statutory|funding\s+mechanism)\b",
    re.IGNORECASE,
)
_LOCAL_CUE = re.compile(
    r"\b(?:under|in\s+accordance\s+with|pursuant\s+to|by\s+virtue\s+of|via)(?:\s+(?:the|a|an))?\s*$",
    re.IGNORECASE,
)

# ------------------------------------------------------------------ context: sentences, sections


def _sentence_bounds(doc: Doc) -> list[tuple[int, int]]:
    if doc.has_annotation("SENT_START"):
        return sentence_list(doc)
    return list(sentence_spans(text_of(doc)))


def _fallback_headings(text: str) -> list[tuple[int, str]]:
    """(line start, section name) of each top-level heading, for papers given without sections.

    >>> _fallback_headings("Reason(s) for decision:\\nx\\n3. Policy Framework\\nLegal Implications\\n")
    [(0, 'reasons'), (26, 'other'), (46, 'legal_implications')]
    """
    return [(h.line_start, h.name) for h in headings(text, "CommitteeReport") if h.level == 0]


class Context:
    """Sentence and section look-ups by character offset for one Doc."""

    def __init__(self, doc: Doc):
        self.text = text_of(doc)
        self.sentences = _sentence_bounds(doc)
        self._sent_starts = [s for s, _ in self.sentences]
        self.sections: list[Section] = list(doc._.sections or [])
        self._section_index = SectionIndex(self.sections)
        self._headings = [] if self.sections else _fallback_headings(text_of(doc))
        self._heading_starts = [s for s, _ in self._headings]

    def sentence(self, offset: int) -> tuple[int, int]:
        i = max(bisect.bisect_right(self._sent_starts, offset) - 1, 0)
        return self.sentences[i]

    def section_names(self, offset: int) -> list[str]:
        """Names of the sections around ``offset``, outermost first (never empty)."""
        if self.sections:
            names = [s.name for s in self._section_index.enclosing(offset)]
        else:
            i = bisect.bisect_right(self._heading_starts, offset) - 1
            names = [self._headings[i][1]] if i >= 0 else []
        return names or ["other"]

    def section_name(self, offset: int) -> str:
        named = [n for n in self.section_names(offset) if n not in _GENERIC]
        return named[-1] if named else "other"


def relation(ctx: Context, start: int, end: int, provision: str | None,
              boilerplate: list[tuple[int, int]]) -> str:
    """``based_on`` for a power, duty or the mechanism the decision changes; else ``cites``."""
    names = set(ctx.section_names(start))
    if "publication" in names or any(s <= start < e for s, e in boilerplate):
        return "cites"
    if provision is not None and ACCESS_TO_INFORMATION.match(provision):
        return "cites"
    if provision is not None and names & DECISION_SECTIONS:
        return "based_on"
    if names & BASIS_SECTIONS:
        s_start, s_end = ctx.sentence(start)
        sentence = ctx.text[s_start:s_end]
        if _SENTENCE_CUE.search(sentence) or _LOCAL_CUE.search(ctx.text, max(s_start, start - 40), start):
            return "based_on"
    return "cites"
