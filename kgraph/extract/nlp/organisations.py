"""Organisations named in council papers, resolved to canonical names.

Four rules, in order of trust:

1. **gazetteer** — names, aliases and misspellings from ``ontology/organisations.ttl``
   (case-insensitive; curly/straight apostrophes and ``&``/``and`` match alike; line
   breaks inside a name are ignored) and acronyms (case-sensitive, so "scs" or "Nice" never
   match SCS or NICE);
2. **the Council / the Authority** — the publishing council, ``doc._.council``;
3. **pattern** — names the gazetteer lacks, from their head words: "... NHS Foundation
   Trust", "... NHS Trust", "... Clinical Commissioning Group", "... CCG", "... Integrated
   Care Board", "... County/Borough/District/City Council";
4. **acronym** — "Long Name (ACR)" where the long name is an organisation; bare uses of
   ``ACR`` in the same document resolve to it.

Overlaps keep the gazetteer (or context) reading first, then the longest span. Generic
plurals ("the CCGs", "Clinical Commissioning Groups"), "NHS" alone and "Local Authority"
are not organisations.

>>> import spacy
>>> import kgraph.extract.nlp.pipeline
>>> nlp = spacy.blank("en"); _ = nlp.add_pipe("kg_organisations")
>>> doc = nlp("KCC will give notice to NEFLT, via West Kent CCG, and to Swale Borough "
...           "Council. The Council and the CCGs agreed.")
>>> [(o.mention.text, o.name, o.source) for o in doc._.organisations]  # doctest: +NORMALIZE_WHITESPACE
[('KCC', 'Kent County Council', 'gazetteer'),
 ('NEFLT', 'North East London NHS Foundation Trust', 'gazetteer'),
 ('West Kent CCG', 'NHS West Kent Clinical Commissioning Group', 'gazetteer'),
 ('Swale Borough Council', 'Swale Borough Council', 'gazetteer'),
 ('The Council', 'Kent County Council', 'gazetteer')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc

from kgraph.extract.gazetteers.organisations import (
    OrgEntry,
    is_acronym,
    label_index,
    load_organisations,
    normalise_label,
)
from kgraph.model import Mention, OrgMention

#: Stands for a blank line in the matching view, so no match crosses a paragraph break.
_BREAK = "\u00b6"
#: Words that may open a capitalised run but are not part of an organisation's name.
_LEADING_STOP = {
    "the", "a", "an", "this", "that", "these", "those", "our", "their", "its", "all", "each",
    "every", "both", "between", "with", "via", "to", "from", "by", "for", "in", "of", "on",
    "and", "at", "as", "within", "under", "including", "if", "when", "where", "while",
    "whilst", "also", "dear", "existing",
}
_CONNECTORS = {"and", "of", "upon", "on"}
_HEAD_ENDS = {"council", "trust", "ccg", "group", "board"}
_ACRONYM = re.compile(r"^[A-Z][A-Za-z&]{1,9}$")
_WORD_OR_CONNECTOR = r"^([A-Z][A-Za-z'\-]*|and|of|upon|on)$"

#: General patterns: head words and the kind they imply.
_HEADS: dict[str, tuple[list[dict], str]] = {
    "trust_nhs": ([{"LOWER": "nhs"}, {"LOWER": "trust"}], "NHSTrust"),
    "trust_ft": ([{"LOWER": "foundation"}, {"LOWER": "trust"}], "NHSTrust"),
    "ccg_long": ([{"LOWER": "clinical"}, {"LOWER": "commissioning"}, {"LOWER": "group"}], "ClinicalCommissioningGroup"),
    "ccg": ([{"ORTH": "CCG"}], "ClinicalCommissioningGroup"),
    "icb": ([{"LOWER": "integrated"}, {"LOWER": "care"}, {"LOWER": "board"}], "IntegratedCareBoard"),
    "council": ([{"LOWER": {"IN": ["county", "borough", "district", "city"]}}, {"LOWER": "council"}], "LocalAuthority"),
}


@dataclass(frozen=True)
class _Hit:
    """A candidate in the matching view: tokens ``[start, end)`` of the compact doc."""

    start: int
    end: int
    name: str
    kind: str
    source: str
    part_of: str | None
    rank: int  # 0 = gazetteer/context/acronym, 1 = general pattern


class OrganisationRecognizer:
    """Append :class:`~kgraph.model.OrgMention` objects to ``doc._.organisations``."""

    def __init__(self, nlp: Language, name: str, orgs: dict[str, OrgEntry] | None = None):
        self.name = name
        self.orgs = orgs if orgs is not None else load_organisations()
        self.exact, self.folded = label_index(self.orgs)
        self.vocab = nlp.vocab
        self.by_case = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.by_lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        for entry in self.orgs.values():
            long_forms, acronyms = [], []
            for label in entry.labels:
                view = self._view(nlp.make_doc(label))[0]
                (acronyms if is_acronym(label) else long_forms).append(view)
            if long_forms:
                self.by_lower.add(entry.name, long_forms)
            if acronyms:
                self.by_case.add(entry.name, acronyms)
        self.rules = Matcher(nlp.vocab)
        self.rules.add("context", [[{"LOWER": "the"}, {"ORTH": {"IN": ["Council", "Authority", "COUNCIL", "AUTHORITY"]}}]])
        prefix = [{"TEXT": {"REGEX": r"^[A-Z][A-Za-z'\-]*$"}}, {"TEXT": {"REGEX": _WORD_OR_CONNECTOR}, "OP": "{0,7}"}]
        for key, (head, _kind) in _HEADS.items():
            self.rules.add(key, [prefix + head])

    # ------------------------------------------------------------------ the matching view

    def _view(self, doc: Doc) -> tuple[Doc, list[tuple[int, int]]]:
        """A copy of ``doc`` without whitespace tokens, apostrophes straightened, ``&`` as ``and``.

        Returns the copy and, per token, its character span in the original text; blank
        lines become a break token that nothing matches.
        """
        words: list[str] = []
        spans: list[tuple[int, int]] = []
        for tok in doc:
            if tok.is_space:
                if tok.text.count("\n") >= 2:
                    words.append(_BREAK)
                    spans.append((tok.idx, tok.idx))
                continue
            w = tok.text.replace("\u2019", "'").replace("\u2018", "'")
            words.append("and" if w == "&" else w)
            spans.append((tok.idx, tok.idx + len(tok.text)))
        if not words:
            words, spans = [_BREAK], [(0, 0)]
        return Doc(self.vocab, words=words), spans

    # ------------------------------------------------------------------ rules

    def _hit(self, start: int, end: int, entry: OrgEntry, source: str, rank: int = 0) -> _Hit:
        return _Hit(start, end, entry.name, entry.kind, source, entry.part_of, rank)

    def _gazetteer_hits(self, view: Doc) -> list[_Hit]:
        hits = []
        for matcher in (self.by_lower, self.by_case):
            for match_id, s, e in matcher(view):
                hits.append(self._hit(s, e, self.orgs[self.vocab.strings[match_id]], "gazetteer"))
        return hits

    def _context_hit(self, view: Doc, s: int, e: int, council: str | None) -> _Hit | None:
        if not council:
            return None
        nxt = view[e] if e < len(view) else None
        if nxt is not None and (nxt.is_title or (nxt.is_upper and nxt.is_alpha)) and nxt.lower_ != "'s":
            return None  # "the Council Tax", "the Authority Services"
        entry = self.orgs.get(council)
        if entry is not None:
            return self._hit(s, e, entry, "gazetteer")
        return _Hit(s, e, council, "LocalAuthority", "gazetteer", None, 0)

    def _pattern_hit(self, view: Doc, key: str, s: int, e: int, protected: list[_Hit]) -> _Hit | None:
        head_len = len(_HEADS[key][0])
        head_start = e - head_len
        # a gazetteer name or an acronym inside the run ends it: "KCC and West Kent CCG"
        for h in protected:
            if h.start < head_start and h.end > s:
                if h.end > head_start:
                    return None
                s = max(s, h.end)
        for i in range(head_start - 1, s - 1, -1):
            t = view[i].text
            if (t != "NHS" and t.isupper() and len(t) > 1) or t.lower() in _HEAD_ENDS:
                s = i + 1  # another acronym or organisation ends here: "X Council and Y Council"
                break
        while s < head_start and (view[s].lower_ in _LEADING_STOP or view[s].lower_ in _CONNECTORS):
            s += 1
        if s >= head_start:
            return None
        if view[head_start - 1].lower_ in _CONNECTORS:
            return None  # "Kent and CCG": a connector right before the head
        place = " ".join(t.text for t in view[s:head_start])
        head = " ".join(t.text for t in view[head_start:e])
        kind = _HEADS[key][1]
        if key in ("ccg", "ccg_long"):
            name = f"NHS {place} Clinical Commissioning Group"
        elif key == "icb":
            name = f"NHS {place} Integrated Care Board"
        else:
            name = f"{place} {' '.join(w.capitalize() if w.islower() else w for w in head.split())}"
        name = re.sub(r"^NHS NHS ", "NHS ", name)
        surface = " ".join(t.text for t in view[s:e])
        entry = self.folded.get(normalise_label(surface)) or self.folded.get(normalise_label(name))
        if entry is not None:
            return self._hit(s, e, entry, "gazetteer")
        return _Hit(s, e, name, kind, "pattern", None, 1)

    def _acronym_hits(self, view: Doc, hits: list[_Hit]) -> list[_Hit]:
        """``Long Name (ACR)`` definitions, then every bare ``ACR`` in the document."""
        defined: dict[str, _Hit] = {}
        for h in hits:
            e = h.end
            if e + 2 < len(view) and view[e].text == "(" and view[e + 2].text == ")":
                acr = view[e + 1].text
                if _ACRONYM.match(acr) and sum(c.isupper() for c in acr) >= 2:
                    defined.setdefault(acr, h)
        out = []
        for tok in view:
            h = defined.get(tok.text)
            if h is not None:
                out.append(_Hit(tok.i, tok.i + 1, h.name, h.kind, "acronym", h.part_of, 0))
        return out

    # ------------------------------------------------------------------ component

    def __call__(self, doc: Doc) -> Doc:
        view, spans = self._view(doc)
        council = doc._.council
        gaz = self._gazetteer_hits(view)
        context: list[_Hit] = []
        patterns: list[tuple[str, int, int]] = []
        for match_id, s, e in self.rules(view):
            key = self.vocab.strings[match_id]
            if key == "context":
                hit = self._context_hit(view, s, e, council)
                if hit is not None:
                    context.append(hit)
            else:
                patterns.append((key, s, e))
        protected = gaz + context
        longest: dict[int, _Hit] = {}
        for k, s, e in patterns:
            hit = self._pattern_hit(view, k, s, e, protected)
            if hit is not None and (hit.end not in longest or hit.start < longest[hit.end].start):
                longest[hit.end] = hit
        found = list(longest.values())
        hits = _resolve(gaz + context + found)
        acr = [h for h in self._acronym_hits(view, hits) if not any(h.start == g.start and g.name == h.name for g in hits)]
        hits = _resolve(acr + hits)

        if doc._.organisations is None:
            doc._.organisations = []
        text = doc.text
        for h in hits:
            start, end = spans[h.start][0], spans[h.end - 1][1]
            doc._.organisations.append(
                OrgMention(Mention(text[start:end], start, end), h.name, h.kind, h.source, h.part_of)
            )
        doc._.organisations.sort(key=lambda o: (o.mention.start, o.mention.end))
        return doc


def _resolve(hits: list[_Hit]) -> list[_Hit]:
    """Drop overlaps: trusted rules first, then the longest span, then the earliest.

    On an exact tie a document's own acronym definition beats the gazetteer's reading.

    >>> a, b = _Hit(0, 3, "A", "k", "gazetteer", None, 0), _Hit(1, 5, "B", "k", "pattern", None, 1)
    >>> [h.name for h in _resolve([a, b])]
    ['A']
    """
    taken: list[_Hit] = []
    used: set[int] = set()
    order = {"acronym": 0, "gazetteer": 1, "pattern": 2}
    for h in sorted(set(hits), key=lambda h: (h.rank, -(h.end - h.start), h.start, order[h.source], h.name)):
        if any(i in used for i in range(h.start, h.end)):
            continue
        taken.append(h)
        used.update(range(h.start, h.end))
    return sorted(taken, key=lambda h: h.start)
