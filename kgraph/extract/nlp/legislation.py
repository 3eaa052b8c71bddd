"""Legislation: Acts, SIs and their provisions, resolved to gazetteer titles where listed.

The component finds three kinds of reference and writes
:class:`~kgraph.model.LegislationMention` objects to ``doc._.legislation``:

* Acts and SIs named by title, short name or a misnaming ("Children's Act 2004"), listed in
  the gazetteer or not (:mod:`~kgraph.extract.nlp.legislation_titles`; an unlisted one keeps
  its title as written and has no legislation.gov.uk id);
* provisions tied to an instrument ("Section 22 of the Children Act 1989", "paragraph 3 of
  Part 1 of Schedule 12A to the Local Government Act 1972", "subsection (2) of section 3 of
  ...", "sections 2 and 3", "section 256/257", "Section 100(A) and paragraph 3 of ... to the
  Act"), or to "the Act" / "the Regulations" / a defined term ("the 2006 Act") when the text
  settles which (``back_reference``);
* provisions with no Act: a well-known term ("Section 75 agreement", "Section 106 funding",
  "Traffic Regulation Order": ``well_known``, :mod:`~kgraph.extract.nlp.legislation_terms`),
  an earlier mention of the same provision, or the one instrument named in the same
  sentence; else left ``unresolved`` for :func:`resolve_from_corpus`.

Job titles ("Section 151 Officer") are not citations. Provisions take the canonical forms of
:data:`~kgraph.extract.gazetteers.legislation.PROVISION_FORMS`.

Names are matched with regular expressions over the text rather than token patterns,
because papers break lines inside names ("section\\n256/257"). The module is longer than
most because the provision grammar, the section context and the resolution order belong
together; titles and well-known terms live in their own modules.

>>> import spacy
>>> nlp = spacy.blank("en"); _ = nlp.add_pipe("kg_sentences"); _ = nlp.add_pipe("kg_legislation")
>>> doc = nlp.make_doc("Legal Implications\\n\\nKCC have a duty, under Section 22 of the Children Act "
...                    "1989, to act. Under Section 27 of the Act, others assist.")
>>> doc._.legislation, doc._.sections = [], []
>>> doc = nlp.get_pipe("kg_sentences")(doc); doc = nlp.get_pipe("kg_legislation")(doc)
>>> [(m.act, m.provision, m.resolution, m.relation) for m in doc._.legislation]
[('Children Act 1989', 'section 22', 'explicit', 'based_on'), ('Children Act 1989', 'section 27', 'back_reference', 'based_on')]
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

import kgraph.extract.nlp.pipeline  # noqa: F401  (registers the factory for the doctest)
from kgraph.extract.gazetteers.legislation import ActEntry, load_acts, title_key
from kgraph.extract.nlp.legislation_grammar import ProvisionPhrase, find_provisions
from kgraph.extract.nlp.legislation_grammar import (
    normalise_provision as normalise_provision,  # re-exported
)
from kgraph.extract.nlp.legislation_terms import WELL_KNOWN_PROVISIONS, find_terms, well_known_act
from kgraph.extract.nlp.legislation_titles import Instrument, find_instruments
from kgraph.extract.structure import headings, sentence_list, sentence_spans
from kgraph.extract.tokens import text_of
from kgraph.model import LegislationMention, Mention, Section

try:  # sections are split by kgraph.extract.sections; the component also works without it
    from kgraph.extract.sections import enclosing as _enclosing
except ImportError:  # pragma: no cover - only while the sections module is absent
    _enclosing = None

#: Section names that give a power or duty when a cue is present.
BASIS_SECTIONS = frozenset({"legal_implications", "reasons"})
#: Section names where the decision itself (or the recommendation for it) is stated.
DECISION_SECTIONS = frozenset({"decision", "recommendations"})
#: Section names too generic to report when a named one encloses them.
_GENERIC = frozenset({"paragraph", "table"})

# ------------------------------------------------------------------ ties between provisions and Acts

# what ties a provision to the Act named after it
_TIE = re.compile(r"\s*,?\s+(?:(?:of|to|in|under)\s+(?:the\s+)?)?", re.IGNORECASE)
# a title written without its year after a provision: "section 17 of the Children Act"
_YEARLESS_TIE = re.compile(
    r"\s*,?\s+(?:of|to|in|under)\s+(?:the\s+)?(?P<title>[A-Z][\w'\u2019-]*(?:\s+(?:and|of|for|&|[A-Z][\w'\u2019-]*|"
    r"\([^()\n]{1,60}\)))*\s+(?:Act|Regulations|Order))\b(?![ \t]*,?[ \t]*\(?\d)"
)
# "of the Act", "of that Act", "of the 1989 Act", "of the Regulations"
_BACKREF = re.compile(
    r"\s+(?:of|to|in|under)\s+(?P<surface>(?:the|that|this)\s+(?:said\s+)?(?:(?P<year>\d{4})\s+)?"
    r"(?P<word>Act|Regulations|Order))\b(?!\s+\d)",
    re.IGNORECASE,
)
# between an Act and a provision written after it: "the Children Act 1989, section 17",
# "the Education and Inspections Act, 2006, Part 2, Sections 15 (1) and 10 (2)"
_ACT_FIRST_GAP = re.compile(r"\s*,?\s*\(?\s*")
# between two provisions of one list of different kinds: "Section 100(A) and paragraph 3 of ..."
_LIST_GAP = re.compile(r"\s*(?:,\s*)?(?:and|or|&|,)\s*")
# a defined term right after a title: (“the Act”), ('the 2006 Act'), ("the Regulations")
_DEFINED = re.compile(
    r"\s*\(\s*[\"\u201c\u201d'\u2018\u2019]?\s*(?:the\s+)?(?P<term>(?:\d{4}\s+)?(?:Act|Regulations|Order))"
    r"\s*[\"\u201c\u201d'\u2018\u2019]?\s*\)",
    re.IGNORECASE,
)
#: Most characters between "the Act" and the Act it refers back to, when other Acts were
#: named before (a paragraph or two); further back, "the Act" is left unresolved.
BACKREF_WINDOW_CHARS = 1500
#: Provisions that are about public access to meetings and papers: never a decision's basis.
ACCESS_TO_INFORMATION = re.compile(r"^(?:schedule 12A\b|section 100[A-K]\b)")

# ------------------------------------------------------------------ relation cues

_BOILERPLATE = re.compile(
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

@dataclass
class _ActHit:
    inst: Instrument
    used: bool = False  # part of a provision reference

    @property
    def start(self) -> int:
        return self.inst.start

    @property
    def end(self) -> int:
        return self.inst.end


@dataclass
class _Ref:
    """A provision reference before resolution: one per provision of a list."""

    start: int
    end: int
    provision: str
    phrase: ProvisionPhrase | None = None
    act: Instrument | None = None
    how: str = "unresolved"
    surface_act: str | None = None
    backref: tuple[str, int | None] | None = None  # ("Act" | "Regulations" | "Order", year)


# ------------------------------------------------------------------ matching


def find_acts(text: str) -> list[tuple[int, int, ActEntry, str]]:
    """Every gazetteer Act or SI named in ``text``: ``(start, end, entry, how)``.

    Unlisted instruments are left out here (see
    :func:`~kgraph.extract.nlp.legislation_titles.find_instruments`).

    >>> [(s, e, a.title, how) for s, e, a, how in find_acts("the Childrens Act 1989 and TUPE")]
    [(4, 22, 'Children Act 1989', 'misnamed'), (27, 31, 'Transfer of Undertakings (Protection of Employment) Regulations 2006', 'explicit')]
    """
    return [(i.start, i.end, i.entry, i.how) for i in find_instruments(text) if i.entry is not None]


def _compatible(inst: Instrument, provision: str) -> bool:
    kind = provision.split(" ", 1)[0]
    if kind == "section":
        return not inst.is_instrument
    if kind in {"regulation", "article"}:
        return inst.is_instrument
    return True


def _base(provision: str) -> str:
    """The provision without subsections: ``"section 76(1)"`` → ``"section 76"``."""
    return provision.split("(", 1)[0]


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


class _Context:
    """Sentence and section look-ups by character offset for one Doc."""

    def __init__(self, doc: Doc):
        self.text = text_of(doc)
        self.sentences = _sentence_bounds(doc)
        self._sent_starts = [s for s, _ in self.sentences]
        self.sections: list[Section] = list(doc._.sections or [])
        self._headings = [] if self.sections else _fallback_headings(text_of(doc))
        self._heading_starts = [s for s, _ in self._headings]

    def sentence(self, offset: int) -> tuple[int, int]:
        i = max(bisect.bisect_right(self._sent_starts, offset) - 1, 0)
        return self.sentences[i]

    def section_names(self, offset: int) -> list[str]:
        """Names of the sections around ``offset``, outermost first (never empty)."""
        if self.sections:
            if _enclosing is not None:
                found = _enclosing(self.sections, offset)
            else:  # pragma: no cover
                found = sorted((s for s in self.sections if s.start <= offset < s.end),
                               key=lambda s: s.start - s.end)
            names = [s.name for s in found]
        else:
            i = bisect.bisect_right(self._heading_starts, offset) - 1
            names = [self._headings[i][1]] if i >= 0 else []
        return names or ["other"]

    def section_name(self, offset: int) -> str:
        named = [n for n in self.section_names(offset) if n not in _GENERIC]
        return named[-1] if named else "other"


def _relation(ctx: _Context, start: int, end: int, provision: str | None,
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


# ------------------------------------------------------------------ the component


class LegislationRecognizer:
    """Append :class:`~kgraph.model.LegislationMention` objects to ``doc._.legislation``."""

    def __init__(self, nlp: Language, name: str):
        self.name = name
        find_instruments("")  # compile the gazetteer look-ups once, when the pipeline is built

    def __call__(self, doc: Doc) -> Doc:
        if doc._.legislation is None:
            doc._.legislation = []
        doc._.legislation.extend(extract(doc))
        doc._.legislation.sort(key=lambda m: (m.mention.start, m.mention.end))
        return doc


@lru_cache(maxsize=64)
def _instrument(title: str) -> Instrument:
    """A gazetteer entry as an :class:`Instrument` with no place in the text (well-known terms)."""
    entry = load_acts()[title]
    return Instrument(0, 0, entry.title, entry.year, entry.is_instrument, "well_known", entry)


def _references(text: str, acts: list[_ActHit], phrases: list[ProvisionPhrase]) -> list[_Ref]:
    """Provision references, each tied to the Act written next to it if there is one.

    A list ("sections 2 and 3", "section 256/257") gives one reference per provision,
    all with the span of the whole phrase.
    """
    act_at = {a.start: a for a in acts}
    act_ending = {a.end: a for a in acts}
    refs: list[_Ref] = []
    for i, ph in enumerate(phrases):
        start, end, act, backref, surface = ph.start, ph.end, None, None, None
        tie = _TIE.match(text, end)
        gap_start = start
        while gap_start > 0 and text[gap_start - 1] in " \t\n,(":
            gap_start -= 1
        if tie and tie.end() in act_at:  # "section 22 of the Children Act 1989"
            act = act_at[tie.end()]
            end = act.end
        elif (b := _BACKREF.match(text, end)) is not None:  # "section 27 of the Act"
            backref = (b["word"].capitalize(), int(b["year"]) if b["year"] else None)
            end, surface = b.end(), b["surface"]
        elif gap_start in act_ending and _ACT_FIRST_GAP.fullmatch(text, gap_start, start):
            act = act_ending[gap_start]  # "the Children Act 1989, section 17"
            start = min(start, act.start)
        elif (y := _YEARLESS_TIE.match(text, end)) is not None:  # "of the Children Act": which one?
            end, surface = y.end(), y["title"]
        elif ph.maybe_paper and not _is_well_known(text, _Ref(ph.start, ph.end, ph.provisions[0], ph)):
            continue
        nxt = phrases[i + 1] if i + 1 < len(phrases) else None
        if act is not None and ph.kind == "part" and nxt is not None and _ACT_FIRST_GAP.fullmatch(text, ph.end, nxt.start):
            act_ending[ph.end] = act  # "Act, 2006, Part 2, Sections 15 (1)": the part only locates them
            continue
        for prov in ph.provisions:
            ref = _Ref(start, end, prov, ph, backref=backref, surface_act=surface)
            if act is not None:
                act.used = True
                ref.act, ref.how, ref.surface_act = act.inst, act.inst.how, text[act.start : act.end]
            refs.append(ref)
    _share_list_ties(text, refs)
    return [r for r in refs if r.act is not None or r.backref is not None
            or (r.phrase is not None and not r.phrase.compact and not r.provision.startswith("part"))
            or _is_well_known(text, r)]


def _share_list_ties(text: str, refs: list[_Ref]) -> None:
    """"Section 100(A) and paragraph 3 of ... to the Local Government Act 1972": the bare
    first item of a list takes the Act the next item is tied to."""
    for ref, nxt in zip(reversed(refs[:-1]), reversed(refs[1:]), strict=False):
        if ref.act is None and ref.backref is None and (nxt.act is not None or nxt.backref is not None) \
                and ref.phrase is not nxt.phrase and _LIST_GAP.fullmatch(text, ref.phrase.end, nxt.phrase.start):
            ref.act, ref.how, ref.backref = nxt.act, nxt.how, nxt.backref
            ref.surface_act = nxt.surface_act


def _is_well_known(text: str, ref: _Ref) -> bool:
    return _well_known(text, ref) is not None


def _well_known(text: str, ref: _Ref, any_words: bool = False) -> Instrument | None:
    """The Act a well-known term names ("Section 75 agreement"); with ``any_words`` whatever follows."""
    kind, number = _base(ref.provision).split(",", 1)[0].split(" ", 1)
    after = text[ref.phrase.end : ref.phrase.end + 60] if ref.phrase else ""
    if any_words:
        hit = WELL_KNOWN_PROVISIONS.get((kind, number))
        return _instrument(hit[0]) if hit else None
    title = well_known_act(kind, number, ref.phrase.text if ref.phrase else "", after)
    return _instrument(title) if title else None


def _without_abbreviations(text: str, acts: list[_ActHit]) -> list[_ActHit]:
    """Drop a short name given in brackets right after the title it abbreviates: "... (PCR 2015)"."""
    out: list[_ActHit] = []
    for a in acts:
        prev = out[-1] if out else None
        if prev is not None and prev.inst.title == a.inst.title and re.fullmatch(r"\s*\(\s*", text[prev.end : a.start]) \
                and re.match(r"\s*\)", text[a.end : a.end + 3]):
            continue
        out.append(a)
    return out


def _definitions(text: str, acts: list[_ActHit]) -> list[tuple[int, str, Instrument]]:
    """Defined terms: ``(offset, "Act" | "2006 Act" | "Regulations", instrument)``."""
    out = []
    for a in acts:
        m = _DEFINED.match(text, a.end)
        if m is not None:
            term = m["term"].split()
            word = term[-1].capitalize()
            out.append((a.end, f"{term[0]} {word}" if len(term) == 2 else word, a.inst))
    return out


def _backref_target(ctx: _Context, ref: _Ref, named: list[tuple[int, Instrument]],
                    defined: list[tuple[int, str, Instrument]], acts: list[_ActHit]) -> Instrument | None:
    """The instrument "the Act" / "the 1989 Act" / "the Regulations" refers to, when settled."""
    word, year = ref.backref
    term = f"{year} {word}" if year else word
    hits = [inst for pos, t, inst in defined if pos <= ref.start and t == term]
    if hits:
        return hits[-1]
    want_instrument = word != "Act"
    fits = [(pos, i) for pos, i in named if i.is_instrument == want_instrument and year in (None, i.year)]
    if not fits and year is not None:  # "the 1989 Act" named in full only later
        later = {a.inst.title: a.inst for a in acts if a.inst.is_instrument == want_instrument and a.inst.year == year}
        return next(iter(later.values())) if len(later) == 1 else None
    if not fits:
        return None
    pos, last = fits[-1]
    if len({i.title for _, i in fits}) == 1:
        return last
    if ref.start - pos > BACKREF_WINDOW_CHARS:
        return None  # other Acts named before, the last one far back: not settled
    s_start, s_end = ctx.sentence(pos)
    if len({i.title for p, i in fits if s_start <= p < s_end}) > 1:
        return None  # two Acts named in the sentence "the Act" looks back to
    return last


def extract(doc: Doc) -> list[LegislationMention]:
    """The legislation mentions of one Doc, sorted by offset.

    >>> import spacy
    >>> doc = spacy.blank("en")("Schedule 12a of the Local Government Act 1972 and TUPE apply.")
    >>> doc._.sections = []
    >>> [(m.mention.text, m.act, m.provision) for m in extract(doc)][0]
    ('Schedule 12a of the Local Government Act 1972', 'Local Government Act 1972', 'schedule 12A')
    """
    text = text_of(doc)
    acts = _without_abbreviations(text, [_ActHit(i) for i in find_instruments(text)])
    terms = find_terms(text)
    skip = [(a.start, a.end) for a in acts] + [(t.start, t.end) for t in terms]
    refs = _references(text, acts, find_provisions(text, skip))
    ctx = _Context(doc)
    boilerplate = [(m.start(), m.end()) for m in _BOILERPLATE.finditer(text)]
    defined = _definitions(text, acts)

    # whole-Act mentions, provision references and terms, in text order
    items: list[tuple[int, object]] = [(a.start, a) for a in acts if not a.used]
    items += [(r.start, r) for r in refs]
    items += [(t.start, t) for t in terms if not any(r.start <= t.start < r.end for r in refs)]
    items.sort(key=lambda p: p[0])

    out: list[LegislationMention] = []
    named: list[tuple[int, Instrument]] = []  # instruments named so far, with their offsets
    by_provision: dict[str, Instrument] = {}  # provision → the instrument it was last tied to
    for _, item in items:
        if isinstance(item, _ActHit):
            named.append((item.start, item.inst))
            out.append(LegislationMention(
                mention=Mention(text[item.start : item.end], item.start, item.end),
                act=item.inst.title, provision=None, resolution=item.inst.how,
                section=ctx.section_name(item.start), surface_act=text[item.start : item.end],
                relation=_relation(ctx, item.start, item.end, None, boilerplate),
            ))
            continue
        if not isinstance(item, _Ref):  # a well-known term
            out.append(LegislationMention(
                mention=Mention(text[item.start : item.end], item.start, item.end),
                act=item.act, provision=item.provision, resolution="well_known",
                section=ctx.section_name(item.start), surface_act=None,
                relation=_relation(ctx, item.start, item.end, item.provision, boilerplate),
            ))
            continue
        ref: _Ref = item
        if ref.act is not None:
            if ref.how != "back_reference":
                named.append((ref.start, ref.act))
        elif ref.backref is not None:
            target = _backref_target(ctx, ref, named, defined, acts)
            if target is not None:
                ref.act, ref.how = target, "back_reference"
        elif ref.surface_act is not None:  # tied to a title without its year: only the Act the term names
            known = _well_known(text, ref, any_words=True)
            if known is not None and title_key(known.title)[:-5] == title_key(ref.surface_act):
                ref.act, ref.how = known, "explicit"
        else:
            ref.act, ref.how = by_provision.get(_base(ref.provision)), "back_reference"
            if ref.act is None:
                ref.act, ref.how = _well_known(text, ref), "well_known"
            if ref.act is None:
                ref.act, ref.how = _same_sentence_act(ctx, acts, ref), "back_reference"
        if ref.act is not None:
            by_provision[_base(ref.provision)] = ref.act
        elif ref.backref is None and (later := _tied_later(refs, ref)) is not None:
            ref.act, ref.how = later, "back_reference"  # "Section 75 ..." before "section 75 of the NHS Act 2006"
        out.append(LegislationMention(
            mention=Mention(text[ref.start : ref.end], ref.start, ref.end),
            act=ref.act.title if ref.act else None, provision=ref.provision,
            resolution=ref.how if ref.act else "unresolved",
            section=ctx.section_name(ref.start), surface_act=ref.surface_act,
            relation=_relation(ctx, ref.start, ref.end, ref.provision, boilerplate),
        ))
    out.sort(key=lambda m: (m.mention.start, m.mention.end))
    return out


def _tied_later(refs: list[_Ref], ref: _Ref) -> Instrument | None:
    """The one instrument the same provision is tied to later in the text, if just one."""
    base = _base(ref.provision)
    tied = {r.act.title: r.act for r in refs
            if r.start > ref.start and r.act is not None and r.how in {"explicit", "misnamed"} and _base(r.provision) == base}
    return next(iter(tied.values())) if len(tied) == 1 else None


def _same_sentence_act(ctx: _Context, acts: list[_ActHit], ref: _Ref) -> Instrument | None:
    """The one instrument named in ``ref``'s sentence that can hold it (none when two can)."""
    s_start, s_end = ctx.sentence(ref.start)
    near = {a.inst.title: a.inst for a in acts if s_start <= a.start < s_end and _compatible(a.inst, ref.provision)}
    return next(iter(near.values())) if len(near) == 1 else None


# ------------------------------------------------------------------ across documents


def resolve_from_corpus(by_doc: dict[str, list[LegislationMention]]) -> dict[str, list[LegislationMention]]:
    """Fill ``unresolved`` provisions from the corpus: the one Act named with that provision.

    Only explicit (or misnamed) mentions count as naming; a provision named with two
    different Acts in the corpus stays unresolved. The input is not changed.

    >>> m = lambda act, res: LegislationMention(Mention("Section 76", 0, 10), act, "section 76", res)
    >>> out = resolve_from_corpus({"a": [m(None, "unresolved")],
    ...                            "b": [m("National Health Service Act 2006", "explicit")]})
    >>> out["a"][0].act, out["a"][0].resolution
    ('National Health Service Act 2006', 'corpus')
    """
    named: dict[str, set[str]] = {}
    for mentions in by_doc.values():
        for m in mentions:
            if m.act and m.provision and m.resolution in {"explicit", "misnamed"}:
                named.setdefault(_base(m.provision), set()).add(m.act)
    out: dict[str, list[LegislationMention]] = {}
    for doc_id, mentions in by_doc.items():
        resolved = []
        for m in mentions:
            acts = named.get(_base(m.provision)) if m.act is None and m.provision else None
            if acts is not None and len(acts) == 1:
                m = replace(m, act=next(iter(acts)), resolution="corpus")
            resolved.append(m)
        out[doc_id] = resolved
    return out
