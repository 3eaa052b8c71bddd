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
because papers break lines inside names ("section\\n256/257"). Titles
(:mod:`.legislation_titles`), provisions (:mod:`.legislation_grammar`), well-known terms
(:mod:`.legislation_terms`), ties between provisions and Acts (:mod:`.legislation_ties`) and
the sentence and section context (:mod:`.legislation_context`) live in their own modules;
this one puts them together in resolution order.

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

from dataclasses import replace

from spacy.language import Language
from spacy.tokens import Doc

import kgraph.extract.nlp.pipeline  # noqa: F401  (registers the factory for the doctest)
from kgraph.extract.gazetteers.legislation import ActEntry, title_key
from kgraph.extract.nlp.legislation_context import BOILERPLATE, Context, relation
from kgraph.extract.nlp.legislation_grammar import find_provisions
from kgraph.extract.nlp.legislation_grammar import (
    normalise_provision as normalise_provision,  # re-exported
)
from kgraph.extract.nlp.legislation_terms import find_terms
from kgraph.extract.nlp.legislation_ties import (
    ActHit,
    Ref,
    backref_target,
    definitions,
    provision_base,
    references,
    same_sentence_act,
    tied_later,
    well_known,
    without_abbreviations,
)
from kgraph.extract.nlp.legislation_titles import Instrument, find_instruments
from kgraph.extract.start_scan import StartScan
from kgraph.extract.tokens import text_of
from kgraph.model import LegislationMention, Mention

# ------------------------------------------------------------------ matching


_BOILERPLATE_SCAN = StartScan(BOILERPLATE)  # tried only where it can begin


def find_acts(text: str) -> list[tuple[int, int, ActEntry, str]]:
    """Every gazetteer Act or SI named in ``text``: ``(start, end, entry, how)``.

    Unlisted instruments are left out here (see
    :func:`~kgraph.extract.nlp.legislation_titles.find_instruments`).

    >>> [(s, e, a.title, how) for s, e, a, how in find_acts("the Childrens Act 1989 and TUPE")]
    [(4, 22, 'Children Act 1989', 'misnamed'), (27, 31, 'Transfer of Undertakings (Protection of Employment) Regulations 2006', 'explicit')]
    """
    return [(i.start, i.end, i.entry, i.how) for i in find_instruments(text) if i.entry is not None]



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


def extract(doc: Doc) -> list[LegislationMention]:
    """The legislation mentions of one Doc, sorted by offset.

    >>> import spacy
    >>> doc = spacy.blank("en")("Schedule 12a of the Local Government Act 1972 and TUPE apply.")
    >>> doc._.sections = []
    >>> [(m.mention.text, m.act, m.provision) for m in extract(doc)][0]
    ('Schedule 12a of the Local Government Act 1972', 'Local Government Act 1972', 'schedule 12A')
    """
    text = text_of(doc)
    acts = without_abbreviations(text, [ActHit(i) for i in find_instruments(text)])
    terms = find_terms(text)
    skip = [(a.start, a.end) for a in acts] + [(t.start, t.end) for t in terms]
    refs = references(text, acts, find_provisions(text, skip))
    ctx = Context(doc)
    boilerplate = [(m.start(), m.end()) for m in _BOILERPLATE_SCAN.finditer(text)]
    defined = definitions(text, acts)

    # whole-Act mentions, provision references and terms, in text order
    items: list[tuple[int, object]] = [(a.start, a) for a in acts if not a.used]
    items += [(r.start, r) for r in refs]
    items += [(t.start, t) for t in terms if not any(r.start <= t.start < r.end for r in refs)]
    items.sort(key=lambda p: p[0])

    out: list[LegislationMention] = []
    named: list[tuple[int, Instrument]] = []  # instruments named so far, with their offsets
    by_provision: dict[str, Instrument] = {}  # provision → the instrument it was last tied to
    for _, item in items:
        if isinstance(item, ActHit):
            named.append((item.start, item.inst))
            out.append(LegislationMention(
                mention=Mention(text[item.start : item.end], item.start, item.end),
                act=item.inst.title, provision=None, resolution=item.inst.how,
                section=ctx.section_name(item.start), surface_act=text[item.start : item.end],
                relation=relation(ctx, item.start, item.end, None, boilerplate),
            ))
            continue
        if not isinstance(item, Ref):  # a well-known term
            out.append(LegislationMention(
                mention=Mention(text[item.start : item.end], item.start, item.end),
                act=item.act, provision=item.provision, resolution="well_known",
                section=ctx.section_name(item.start), surface_act=None,
                relation=relation(ctx, item.start, item.end, item.provision, boilerplate),
            ))
            continue
        ref: Ref = item
        if ref.act is not None:
            if ref.how != "back_reference":
                named.append((ref.start, ref.act))
        elif ref.backref is not None:
            target = backref_target(ctx, ref, named, defined, acts)
            if target is not None:
                ref.act, ref.how = target, "back_reference"
        elif ref.surface_act is not None:  # tied to a title without its year: only the Act the term names
            known = well_known(text, ref, any_words=True)
            if known is not None and title_key(known.title)[:-5] == title_key(ref.surface_act):
                ref.act, ref.how = known, "explicit"
        else:
            ref.act, ref.how = by_provision.get(provision_base(ref.provision)), "back_reference"
            if ref.act is None:
                ref.act, ref.how = well_known(text, ref), "well_known"
            if ref.act is None:
                ref.act, ref.how = same_sentence_act(ctx, acts, ref), "back_reference"
        if ref.act is not None:
            by_provision[provision_base(ref.provision)] = ref.act
        elif ref.backref is None and (later := tied_later(refs, ref)) is not None:
            ref.act, ref.how = later, "back_reference"  # "Section 75 ..." before "section 75 of the NHS Act 2006"
        out.append(LegislationMention(
            mention=Mention(text[ref.start : ref.end], ref.start, ref.end),
            act=ref.act.title if ref.act else None, provision=ref.provision,
            resolution=ref.how if ref.act else "unresolved",
            section=ctx.section_name(ref.start), surface_act=ref.surface_act,
            relation=relation(ctx, ref.start, ref.end, ref.provision, boilerplate),
        ))
    out.sort(key=lambda m: (m.mention.start, m.mention.end))
    return out



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
                named.setdefault(provision_base(m.provision), set()).add(m.act)
    out: dict[str, list[LegislationMention]] = {}
    for doc_id, mentions in by_doc.items():
        resolved = []
        for m in mentions:
            acts = named.get(provision_base(m.provision)) if m.act is None and m.provision else None
            if acts is not None and len(acts) == 1:
                m = replace(m, act=next(iter(acts)), resolution="corpus")
            resolved.append(m)
        out[doc_id] = resolved
    return out
