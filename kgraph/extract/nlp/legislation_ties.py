"""Ties between provisions and the Acts they belong to: the Act written next to a provision,
"the Act" / "the 2006 Act" / a defined term looking back, a list sharing one Act, a
well-known term, the one Act of the sentence.

>>> from kgraph.extract.nlp.legislation_titles import find_instruments
>>> from kgraph.extract.nlp.legislation_grammar import find_provisions
>>> t = "section 22 of the Children Act 1989"
>>> [(r.provision, r.act.title) for r in references(t, [ActHit(i) for i in find_instruments(t)], find_provisions(t, []))]
[('section 22', 'Children Act 1989')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kgraph.extract.gazetteers.legislation import load_acts
from kgraph.extract.nlp.legislation_context import Context
from kgraph.extract.nlp.legislation_grammar import ProvisionPhrase
from kgraph.extract.nlp.legislation_terms import WELL_KNOWN_PROVISIONS, well_known_act
from kgraph.extract.nlp.legislation_titles import Instrument

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


@dataclass
class ActHit:
    inst: Instrument
    used: bool = False  # part of a provision reference

    @property
    def start(self) -> int:
        return self.inst.start

    @property
    def end(self) -> int:
        return self.inst.end


@dataclass
class Ref:
    """A provision reference before resolution: one per provision of a list."""

    start: int
    end: int
    provision: str
    phrase: ProvisionPhrase | None = None
    act: Instrument | None = None
    how: str = "unresolved"
    surface_act: str | None = None
    backref: tuple[str, int | None] | None = None  # ("Act" | "Regulations" | "Order", year)



def _compatible(inst: Instrument, provision: str) -> bool:
    kind = provision.split(" ", 1)[0]
    if kind == "section":
        return not inst.is_instrument
    if kind in {"regulation", "article"}:
        return inst.is_instrument
    return True


def provision_base(provision: str) -> str:
    """The provision without subsections: ``"section 76(1)"`` → ``"section 76"``."""
    return provision.split("(", 1)[0]



@lru_cache(maxsize=64)
def _instrument(title: str) -> Instrument:
    """A gazetteer entry as an :class:`Instrument` with no place in the text (well-known terms)."""
    entry = load_acts()[title]
    return Instrument(0, 0, entry.title, entry.year, entry.is_instrument, "well_known", entry)


def references(text: str, acts: list[ActHit], phrases: list[ProvisionPhrase]) -> list[Ref]:
    """Provision references, each tied to the Act written next to it if there is one.

    A list ("sections 2 and 3", "section 256/257") gives one reference per provision,
    all with the span of the whole phrase.
    """
    act_at = {a.start: a for a in acts}
    act_ending = {a.end: a for a in acts}
    refs: list[Ref] = []
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
        elif ph.maybe_paper and not _is_well_known(text, Ref(ph.start, ph.end, ph.provisions[0], ph)):
            continue
        nxt = phrases[i + 1] if i + 1 < len(phrases) else None
        if act is not None and ph.kind == "part" and nxt is not None and _ACT_FIRST_GAP.fullmatch(text, ph.end, nxt.start):
            act_ending[ph.end] = act  # "Act, 2006, Part 2, Sections 15 (1)": the part only locates them
            continue
        for prov in ph.provisions:
            ref = Ref(start, end, prov, ph, backref=backref, surface_act=surface)
            if act is not None:
                act.used = True
                ref.act, ref.how, ref.surface_act = act.inst, act.inst.how, text[act.start : act.end]
            refs.append(ref)
    _share_list_ties(text, refs)
    return [r for r in refs if r.act is not None or r.backref is not None
            or (r.phrase is not None and not r.phrase.compact and not r.provision.startswith("part"))
            or _is_well_known(text, r)]


def _share_list_ties(text: str, refs: list[Ref]) -> None:
    """"Section 100(A) and paragraph 3 of ... to the Local Government Act 1972": the bare
    first item of a list takes the Act the next item is tied to."""
    for ref, nxt in zip(reversed(refs[:-1]), reversed(refs[1:]), strict=False):
        if ref.act is None and ref.backref is None and (nxt.act is not None or nxt.backref is not None) \
                and ref.phrase is not nxt.phrase and _LIST_GAP.fullmatch(text, ref.phrase.end, nxt.phrase.start):
            ref.act, ref.how, ref.backref = nxt.act, nxt.how, nxt.backref
            ref.surface_act = nxt.surface_act


def _is_well_known(text: str, ref: Ref) -> bool:
    return well_known(text, ref) is not None


def well_known(text: str, ref: Ref, any_words: bool = False) -> Instrument | None:
    """The Act a well-known term names ("Section 75 agreement"); with ``any_words`` whatever follows."""
    kind, number = provision_base(ref.provision).split(",", 1)[0].split(" ", 1)
    after = text[ref.phrase.end : ref.phrase.end + 60] if ref.phrase else ""
    if any_words:
        hit = WELL_KNOWN_PROVISIONS.get((kind, number))
        return _instrument(hit[0]) if hit else None
    title = well_known_act(kind, number, ref.phrase.text if ref.phrase else "", after)
    return _instrument(title) if title else None


def without_abbreviations(text: str, acts: list[ActHit]) -> list[ActHit]:
    """Drop a short name given in brackets right after the title it abbreviates: "... (PCR 2015)"."""
    out: list[ActHit] = []
    for a in acts:
        prev = out[-1] if out else None
        if prev is not None and prev.inst.title == a.inst.title and re.fullmatch(r"\s*\(\s*", text[prev.end : a.start]) \
                and re.match(r"\s*\)", text[a.end : a.end + 3]):
            continue
        out.append(a)
    return out


def definitions(text: str, acts: list[ActHit]) -> list[tuple[int, str, Instrument]]:
    """Defined terms: ``(offset, "Act" | "2006 Act" | "Regulations", instrument)``."""
    out = []
    for a in acts:
        m = _DEFINED.match(text, a.end)
        if m is not None:
            term = m["term"].split()
            word = term[-1].capitalize()
            out.append((a.end, f"{term[0]} {word}" if len(term) == 2 else word, a.inst))
    return out


def backref_target(ctx: Context, ref: Ref, named: list[tuple[int, Instrument]],
                    defined: list[tuple[int, str, Instrument]], acts: list[ActHit]) -> Instrument | None:
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



def tied_later(refs: list[Ref], ref: Ref) -> Instrument | None:
    """The one instrument the same provision is tied to later in the text, if just one."""
    base = provision_base(ref.provision)
    tied = {r.act.title: r.act for r in refs
            if r.start > ref.start and r.act is not None and r.how in {"explicit", "misnamed"} and provision_base(r.provision) == base}
    return next(iter(tied.values())) if len(tied) == 1 else None


def same_sentence_act(ctx: Context, acts: list[ActHit], ref: Ref) -> Instrument | None:
    """The one instrument named in ``ref``'s sentence that can hold it (none when two can)."""
    s_start, s_end = ctx.sentence(ref.start)
    near = {a.inst.title: a.inst for a in acts if s_start <= a.start < s_end and _compatible(a.inst, ref.provision)}
    return next(iter(near.values())) if len(near) == 1 else None
