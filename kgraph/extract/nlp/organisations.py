"""Organisations named in council papers, resolved to canonical names.

Five rules, in order of trust:

1. **gazetteer** — names, aliases and misspellings from ``ontology/organisations.ttl`` and the
   national register ``ontology/register/organisations.json`` (case-insensitive; curly/straight
   apostrophes and ``&``/``and`` match alike; line breaks inside a name are ignored) and
   acronyms (case-sensitive, so "scs" or "Nice" never match SCS or NICE), through two
   PhraseMatchers built once per process; long names are matched with or without commas;
2. **pattern** — names no list holds, from their head words (:mod:`.org_patterns`): NHS
   trusts, CCGs, ICBs, councils (county, borough, district, city, town, parish), combined
   authorities, police, fire and rescue, schools and academies, academy trusts, companies
   (Ltd, plc, LLP, CIC, Community Interest Company), charities (Trust, Foundation, Society,
   Housing Association), universities and airports; names sharing a plural head ("X Primary and Y Secondary Schools", "A and B
   County Councils") one by one (:mod:`.org_coordination`);
3. **acronym** — "Long Name (ACR)" where the long name is an organisation; bare uses of
   ``ACR`` in the same document resolve to it;
4. **the publisher** — the councils found above go to :func:`~kgraph.extract.publisher.detect_publisher`,
   which sets ``doc._.publisher`` and ``doc._.council`` (the ``council`` already on the doc is
   only the default for a document that gives no clue);
5. **anaphora** (source ``context``) — "the Council" / "the Authority" resolve to the
   publisher, and only when there is one; "the ICB", "the CCG" and "the Trust" resolve only
   when the document names exactly one body of that kind. Otherwise they are left out.

Overlaps keep the gazetteer (or context) reading first, then the longest span. Generic
plurals ("the CCGs", "Clinical Commissioning Groups"), "NHS" alone and "Local Authority"
are not organisations.

>>> import spacy
>>> import kgraph.extract.nlp.pipeline
>>> nlp = spacy.blank("en"); _ = nlp.add_pipe("kg_organisations")
>>> doc = nlp("KCC will give notice to NEFLT, via West Kent CCG, and to Swale Borough "
...           "Council. The Council and the CCGs agreed to KCC's plan.")
>>> [(o.mention.text, o.name, o.source) for o in doc._.organisations]  # doctest: +NORMALIZE_WHITESPACE
[('KCC', 'Kent County Council', 'gazetteer'),
 ('NEFLT', 'North East London NHS Foundation Trust', 'gazetteer'),
 ('West Kent CCG', 'NHS West Kent Clinical Commissioning Group', 'gazetteer'),
 ('Swale Borough Council', 'Swale Borough Council', 'gazetteer'),
 ('The Council', 'Kent County Council', 'context'),
 ('KCC', 'Kent County Council', 'gazetteer')]
>>> doc._.publisher.rule
'self_reference'
"""

from __future__ import annotations

import bisect
import re

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from kgraph.extract.gazetteers.organisations import (
    OrgEntry,
    is_acronym,
    label_index,
    load_organisations,
    normalise_label,
)
from kgraph.extract.nlp.org_coordination import PLURAL, Coordination, council_places
from kgraph.extract.nlp.org_hits import Hit, resolve_overlaps, same_body_shorter_names
from kgraph.extract.nlp.org_patterns import (
    HEADS,
    LEADING_STOP,
    NOT_BEFORE,
    OF_INSIDE,
    OPEN_HEADS,
    initials,
    is_distinctive,
    name_for,
)
from kgraph.extract.publisher import COUNCIL_KINDS, CouncilMention, detect_publisher
from kgraph.extract.structure import token_columns
from kgraph.extract.tokens import text_of
from kgraph.model import Mention, OrgMention

#: Stands for a blank line in the matching view, so no match crosses a paragraph break.
_BREAK = "\u00b6"
_CONNECTORS = {"and", "of", "upon", "on", "with"}
_HEAD_ENDS = {"council", "trust", "ccg", "group", "board", "school", "academy", "ltd", "limited", "plc", "llp",
              "association", "society", "foundation", "police", "constabulary", "college"}
_BRACKETED = re.compile(r"[()]|[^()]+")
_PLACE_WORD = re.compile(r"^[A-Z][A-Za-z'\-]*$")
#: Words after a place that make it part of a council's name ("Kent County Council").
_COUNCIL_HEADS = frozenset({"county", "council", "borough", "district", "city", "metropolitan"})
#: Prefix of the match keys of head words.
_HEAD = "head:"
_ACRONYM = re.compile(r"^[A-Z][A-Za-z&]{1,9}$")
_FIRST_WORD = re.compile(r"^[A-Z0-9][A-Za-z0-9'\-\.]*$")
_RUN_WORD = {"public": re.compile(r"^([A-Z][A-Za-z'\-]*|and|of|upon|on|'s)$"),
             "named": re.compile(r"^([A-Z0-9][A-Za-z0-9'\-\.]*|and|of|upon|on|with|'s|\(|\))$")}
#: Most words before a head word a pattern reads (named bodies may hold "(VA)", "RC" ...).
_RUN = {"public": 9, "named": 16}
#: Kinds of gazetteer names a longer company or charity name may contain ("Amey" in "Amey Highways Ltd").
_ABSORBED = {"Company", "Charity"}
#: Anaphora resolved only when the document names one body of the kind.
_ANAPHORA = {"ICB": "IntegratedCareBoard", "CCG": "ClinicalCommissioningGroup", "Trust": "NHSTrust"}


class OrganisationRecognizer:
    """Append :class:`~kgraph.model.OrgMention` objects to ``doc._.organisations``; set
    ``doc._.publisher`` and ``doc._.council`` to the publishing council (or None)."""

    def __init__(self, nlp: Language, name: str, orgs: dict[str, OrgEntry] | None = None):
        self.name = name
        self.orgs = orgs if orgs is not None else load_organisations()
        self.exact, self.folded = label_index(self.orgs)
        #: bodies whose own names hold a comma ("The Queen Elizabeth Hospital, King's Lynn, ...")
        self.with_commas = {e.name for e in self.orgs.values() if any("," in lab for lab in e.labels)}
        self.vocab = nlp.vocab
        self.by_case = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.by_lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        for entry in self.orgs.values():
            long_forms, acronyms = [], []
            for label in entry.labels:
                if entry.exact_case or is_acronym(label):
                    acronyms.append(self._view(nlp.make_doc(label))[0])
                else:  # long names are matched in the view without commas
                    long_forms.append(self._view(nlp.make_doc(label.replace(",", " ")))[0])
            if long_forms:
                self.by_lower.add(entry.name, long_forms)
            if acronyms:
                self.by_case.add(entry.name, acronyms)
        # fixed words, in two PhraseMatchers (any case / as written), one pass each: head words
        # (the run of name words before a head is read by _run_start), "the Council", "the
        # ICB", "University of", plural heads (:mod:`.org_coordination`)
        self.words_any = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.words_as_written = PhraseMatcher(nlp.vocab, attr="ORTH")

        def add(key: str, phrases, as_written: bool) -> None:
            matcher = self.words_as_written if as_written else self.words_any
            matcher.add(key, [self._view(nlp.make_doc(p))[0] for p in phrases])

        for key, head in HEADS.items():
            add(_HEAD + key, head.phrases, head.as_written)
        the = ("the", "The", "THE")
        add("context", [f"{t} {w}" for t in the for w in ("Council", "Authority", "COUNCIL", "AUTHORITY")], True)
        add("anaphor", [f"{t} {w}" for t in the for w in _ANAPHORA], True)
        add("of_place", ["University of", "College of"], True)  # head first: "University of Kent"
        self.places = council_places(self.orgs)
        self.coordination = Coordination(add, self.folded, self.places)

    # ------------------------------------------------------------------ the matching view

    def _view(self, doc: Doc) -> tuple[Doc, list[tuple[int, int]], list[str]]:
        """A copy of ``doc`` without whitespace tokens, apostrophes straightened, ``&`` as ``and``.

        Returns the copy, per token its character span in the original text, and its words;
        blank lines become a break token that nothing matches.
        """
        words: list[str] = []
        spans: list[tuple[int, int]] = []
        text = text_of(doc)
        for idx, length, is_space in zip(*token_columns(doc), strict=True):  # no Token objects
            tok = text[idx : idx + length]
            if is_space:
                if tok.count("\n") >= 2:
                    words.append(_BREAK)
                    spans.append((idx, idx))
                continue
            w = tok.replace("\u2019", "'").replace("\u2018", "'")
            if len(w) > 1 and ("(" in w or ")" in w):  # "Anglia(COWA": split at the brackets
                for m in _BRACKETED.finditer(w):
                    words.append(m.group())
                    spans.append((idx + m.start(), idx + m.end()))
                continue
            words.append("and" if w == "&" else w)
            spans.append((idx, idx + length))
        if not words:
            words, spans = [_BREAK], [(0, 0)]
        return Doc(self.vocab, words=words), spans, words

    # ------------------------------------------------------------------ rules

    def _hit(self, start: int, end: int, entry: OrgEntry, source: str, rank: int = 0) -> Hit:
        return Hit(start, end, entry.name, entry.kind, source, entry.part_of, rank)

    def _local_branch(self, words: list[str], h: Hit) -> Hit:
        """A federated charity's name followed by a council's place names a local charity of
        its own: "Age UK Kent", "Citizens Advice Sefton" (not "Age UK")."""
        if not self.orgs[h.name].federated:
            return h
        for k in (3, 2, 1):
            end = h.end + k
            if end <= len(words) and all(w[:1].isupper() for w in words[h.end:end]) \
                    and " ".join(words[h.end:end]).lower() in self.places \
                    and (end == len(words) or words[end].lower() not in _COUNCIL_HEADS):
                return Hit(h.start, end, " ".join(words[h.start:end]), "Charity", "pattern", None, 0)
        return h

    def _gazetteer_hits(self, view: Doc, words: list[str]) -> list[Hit]:
        """Acronyms and names matched as written in the view; long names in the view without
        its commas, so that a name matches with or without them ("Tees, Esk and Wear Valleys
        NHS Foundation Trust", "Rotherham, Doncaster and South Humber ..."). A match across a
        comma the name does not hold needs an "and" after it: the comma sat inside a list
        ("A, B and C"), not between two names."""
        hits = [self._local_branch(words, self._hit(s, e, self.orgs[self.vocab.strings[m]], "gazetteer"))
                for m, s, e in self.by_case(view)]
        keep = [i for i, w in enumerate(words) if w != ","]
        bare = view if len(keep) == len(words) else Doc(self.vocab, words=[words[i] for i in keep])
        for match_id, s, e in self.by_lower(bare):
            start, end = keep[s], keep[e - 1] + 1
            entry = self.orgs[self.vocab.strings[match_id]]
            if end - start != e - s and entry.name not in self.with_commas:
                last_gap = max(k for k in range(s, e - 1) if keep[k + 1] != keep[k] + 1)
                if "and" not in words[keep[last_gap + 1]:end]:
                    continue
            hits.append(self._hit(start, end, entry, "gazetteer"))
        return hits

    @staticmethod
    def _is_noun_phrase_end(view: Doc, e: int) -> bool:
        nxt = view[e] if e < len(view) else None
        return not (nxt is not None and (nxt.is_title or (nxt.is_upper and nxt.is_alpha)) and nxt.lower_ != "'s")

    def _publisher_initials(self, words: list[str], council: str) -> list[Hit]:
        """The publisher's initials, when no listed body goes by them: "PCC" on Peterborough
        City Council's pages ("the PCC" is more often a Police and Crime Commissioner)."""
        acr = initials(council)
        if len(acr) < 3 or acr in self.exact:
            return []
        return [self._context_hit(i, i + 1, council) for i, w in enumerate(words)
                if w == acr and (i == 0 or words[i - 1].lower() != "the")]

    def _context_hit(self, s: int, e: int, council: str) -> Hit:
        entry = self.orgs.get(council)
        if entry is not None:
            return self._hit(s, e, entry, "context")
        return Hit(s, e, council, "LocalAuthority", "context", None, 0)

    def _pattern_hit(self, view: Doc, key: str, s: int, e: int, head_start: int, protected: list[Hit],
                     text: str, spans: list[tuple[int, int]]) -> Hit | None:
        head = HEADS[key]
        if key in OPEN_HEADS and not self._is_noun_phrase_end(view, e):
            return None  # "Trust Board", "Foundation Stage"
        if key in NOT_BEFORE and e < len(view) and view[e].lower_ in NOT_BEFORE[key]:
            return None  # "Airport Road"
        named = head.family == "named"
        absorbed = False
        # a gazetteer name or an acronym inside the run ends it: "KCC and West Kent CCG"
        for h in _overlapping(protected, s, head_start):
            if named and h.kind in _ABSORBED and h.start >= s and h.end <= head_start:
                absorbed = True  # "Amey Highways Ltd": the longer name is the company's own
                continue
            if h.start < head_start and h.end > s:
                if h.end > head_start:
                    return None
                s = max(s, h.end)
        for i in range(head_start - 1, s - 1, -1):
            t = view[i].text
            low = t.lower().rstrip(".")
            if named:
                if low in _HEAD_ENDS or t == _BREAK:
                    s = i + 1
                    break
                before = view[i - 1].lower_ if i > s else ""
                if low in ("of", "for", "on") and before not in OF_INSIDE:
                    s = i + 1  # "Chief Executive of Acme Ltd", "Director of Finance of X Trust"
                    break
            elif (t != "NHS" and t.isupper() and len(t) > 1) or low in _HEAD_ENDS:
                s = i + 1  # another acronym or organisation ends here: "X Council and Y Council"
                break
        if (not named and s + 1 < head_start and view[s + 1].text in ("on", "with")
                and (s == 0 or view[s - 1].text in (".", ":", ";", "!", "?", _BREAK))):
            return None  # "Works on Heathrow Airport" or "Walton on Thames Town Council"? unsettled
        while s < head_start and (view[s].lower_ in LEADING_STOP or view[s].lower_ in _CONNECTORS
                                  or view[s].text in ("(", ")", "'s", "'")):
            s += 1
        if s >= head_start:
            return None
        if view[head_start - 1].lower_ in _CONNECTORS:
            return None  # "Kent and CCG": a connector right before the head
        words = [t.text for t in view[s:head_start]]
        if words.count("(") != words.count(")"):
            return None
        if named and not is_distinctive(key, words):
            return None
        if key == "charity_trust" and words[-1] in ("NHS", "Foundation", "Academy", "Partnership", "Care", "Health"):
            return None  # an NHS trust or academy trust, read by its own head
        if key == "police" and words[-1] in ("and", "Crime"):
            return None
        # the name as written (single spaces, straight apostrophes): "St Mary's", "(VA)"
        place = " ".join(text[spans[s][0]:spans[head_start - 1][1]].replace("\u2019", "'").split())
        head_text = " ".join(text[spans[head_start][0]:spans[e - 1][1]].split())
        name = name_for(key, place, head_text)
        surface = " ".join(t.text for t in view[s:e])
        entry = self.folded.get(normalise_label(surface)) or self.folded.get(normalise_label(name))
        if entry is not None:
            return self._hit(s, e, entry, "gazetteer")
        return Hit(s, e, name, head.kind, "pattern", None, 0 if absorbed else 1)

    def _of_place_hit(self, view: Doc, s: int, e: int, protected: list[Hit]) -> Hit | None:
        """"University of Kent", "College of West Anglia": the words after "of", to a break."""
        if any(h.start < e and h.end > s for h in _overlapping(protected, s, e)):
            return None
        end = s + 2
        while end < e and view[end].lower_ not in _HEAD_ENDS:
            end += 1
        surface = " ".join(t.text for t in view[s:end])
        entry = self.folded.get(normalise_label(surface))
        if entry is not None:
            return self._hit(s, end, entry, "gazetteer")
        kind = "University" if view[s].text == "University" else "School"
        return Hit(s, end, surface, kind, "pattern", None, 1)

    def _acronym_hits(self, view: Doc, words: list[str], hits: list[Hit]) -> list[Hit]:
        """``Long Name (ACR)`` definitions, then every bare ``ACR`` in the document."""
        defined: dict[str, Hit] = {}
        for h in hits:
            e = h.end
            if e + 2 < len(view) and view[e].text == "(" and view[e + 2].text == ")":
                acr = view[e + 1].text
                if _ACRONYM.match(acr) and sum(c.isupper() for c in acr) >= 2:
                    defined.setdefault(acr, h)
        if not defined:
            return []
        return [Hit(i, i + 1, h.name, h.kind, "acronym", h.part_of, 0)
                for i, h in ((i, defined.get(w)) for i, w in enumerate(words)) if h is not None]

    # ------------------------------------------------------------------ component

    def __call__(self, doc: Doc) -> Doc:
        view, spans, words = self._view(doc)
        text = text_of(doc)
        gaz = self._gazetteer_hits(view, words)
        councils: list[tuple[int, int]] = []
        anaphors: list[tuple[int, int]] = []
        patterns: list[tuple[str, int, int, int]] = []  # key, name start, end, head start
        plural: list[tuple[str, int, int]] = []
        for matcher in (self.words_any, self.words_as_written):
            for match_id, s, e in matcher(view):
                key = self.vocab.strings[match_id]
                if key.startswith(_HEAD):
                    key = key[len(_HEAD):]
                    start = _run_start(words, s, HEADS[key].family)
                    if start is not None:
                        patterns.append((key, start, e, s))
                elif key.startswith(PLURAL):
                    plural.append((key, s, e))
                elif key == "of_place":
                    end = e
                    while end < len(words) and end - e < 4 and _PLACE_WORD.match(words[end]):
                        end += 1
                    if end > e:
                        patterns.append((key, s, end, s))
                elif self._is_noun_phrase_end(view, e):
                    (councils if key == "context" else anaphors).append((s, e))
        protected = _Protected(gaz + [Hit(s, e, "", "", "context", None, 0) for s, e in councils])
        longest: dict[int, Hit] = {}
        for k, s, e, hs in patterns:
            hit = (self._of_place_hit(view, s, e, protected) if k == "of_place"
                   else self._pattern_hit(view, k, s, e, hs, protected, text, spans))
            if hit is not None and (hit.end not in longest or hit.start < longest[hit.end].start):
                longest[hit.end] = hit
        listed = [Hit(c.start, c.end, c.name, c.kind, "gazetteer" if c.entry else "pattern",
                       c.entry.part_of if c.entry else None, 0 if c.entry else 1)
                  for c in self.coordination(words, plural, text, spans)]
        hits = resolve_overlaps(gaz + listed + list(longest.values()))
        acr = [h for h in self._acronym_hits(view, words, hits) if not any(h.start == g.start and g.name == h.name for g in hits)]
        hits = resolve_overlaps(acr + hits)

        named = [CouncilMention(h.name, spans[h.start][0], spans[h.end - 1][1]) for h in hits if h.kind in COUNCIL_KINDS]
        publisher = detect_publisher(text, named, default=doc._.council, orgs=self.orgs)
        doc._.publisher = publisher
        doc._.council = publisher.name if publisher else None
        context = ([self._context_hit(s, e, publisher.name) for s, e in councils]
                   + self._publisher_initials(words, publisher.name)) if publisher else []
        for s, e in anaphors:
            kind = _ANAPHORA[view[e - 1].text]
            bodies = {h.name: h for h in hits if h.kind == kind and h.source != "context"}
            if len(bodies) == 1:
                only = next(iter(bodies.values()))
                context.append(Hit(s, e, only.name, only.kind, "context", only.part_of, 0))
        hits = same_body_shorter_names(resolve_overlaps(context + hits))

        if doc._.organisations is None:
            doc._.organisations = []
        for h in hits:
            start, end = spans[h.start][0], spans[h.end - 1][1]
            doc._.organisations.append(
                OrgMention(Mention(text[start:end], start, end), h.name, h.kind, h.source, h.part_of)
            )
        doc._.organisations.sort(key=lambda o: (o.mention.start, o.mention.end))
        return doc


class _Protected(list):
    """Hits that a pattern's run of name words may not cross, indexed by start once per document,
    so that those overlapping a run are found by bisection (not by reading all for every run)."""

    def __init__(self, hits: list[Hit]):
        super().__init__(hits)
        self._order = sorted(range(len(hits)), key=lambda i: hits[i].start)
        self._starts = [hits[i].start for i in self._order]
        self._longest = max((h.end - h.start for h in hits), default=0)


def _overlapping(hits: list[Hit], s: int, e: int) -> list[Hit]:
    """The hits that overlap ``[s, e)``, in the list's own order; for a plain list, all of them.

    >>> hits = _Protected([Hit(5, 7, "B", "", "", None, 0), Hit(0, 2, "A", "", "", None, 0)])
    >>> [h.name for h in _overlapping(hits, 1, 6)], [h.name for h in _overlapping(hits, 2, 5)]
    (['B', 'A'], [])
    """
    if not isinstance(hits, _Protected):
        return hits
    lo = bisect.bisect_right(hits._starts, s - hits._longest)
    hi = bisect.bisect_left(hits._starts, e)
    near = sorted(i for i in hits._order[lo:hi] if hits[i].end > s)
    return [hits[i] for i in near]


def _run_start(words: list[str], head_start: int, family: str) -> int | None:
    """Where the longest run of name words before a head begins (None when there is none):
    up to ``_RUN[family]`` words, the first of them capitalised.

    >>> _run_start(["from", "Much", "Wittering", "Parish", "Council"], 3, "public")
    1
    """
    word = _RUN_WORD[family]
    i, start = head_start - 1, None
    while i >= 0 and head_start - i <= _RUN[family] and word.match(words[i]):
        if _FIRST_WORD.match(words[i]):
            start = i
        i -= 1
    return start
