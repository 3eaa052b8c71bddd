"""Legislation: Acts, SIs and their provisions, resolved to gazetteer titles.

The component finds three kinds of reference and writes
:class:`~kgraph.model.LegislationMention` objects to ``doc._.legislation``:

* Acts named by title, short name or a known misnaming ("Children's Act 2004");
* provisions tied to an Act ("Section 22 of the Children Act 1989", "schedule 12a of the
  Local Government Act 1972", "subsection (2) of section 3 of ...", "sections 2 and 3",
  "section 256/257"), or to "the Act" named last before them (``back_reference``);
* provisions with no Act ("the Section 76", "Section 76 agreement"): resolved from an
  earlier mention of the same provision or an Act named in the same sentence, else left
  ``unresolved`` for :func:`resolve_from_corpus`.

Names are matched with regular expressions over the text rather than token patterns,
because papers break lines inside names ("section\\n256/257").

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
from kgraph.extract.gazetteers.legislation import ActEntry, label_index, normalise_label
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

# ------------------------------------------------------------------ provision grammar

# a provision number: "22", "12A", "12a", "76(1)", "76 (1)(a)"; never "3.2" (a report paragraph)
_SUBS = r"(?:\((?:\d{1,3}[A-Za-z]?|[a-z]{1,4})\)|\s\(\d{1,3}[A-Za-z]?\))*(?![\w.]\d|\w)"
_NUM = r"\d{1,4}[A-Za-z]{0,2}" + _SUBS
_NUM_MORE = r"\d{1,3}[A-Za-z]{0,2}" + _SUBS  # later items of a list: never a year
_SEP = r"\s*(?:,\s*(?:and\s+|or\s+)?|/|&|\s(?:and|or|to)\s|[-–])\s*"
_PROVISION = re.compile(
    r"(?<![\w.])"
    r"(?:(?P<pkind>sub-?sections?|paragraphs?|paras?\.)\s*(?P<pnum>\(\w{1,4}\)|\d{1,3}[A-Za-z]?)\s+of\s+)?"
    r"(?P<kind>sections?|(?-i:ss?\.)|schedules?|sch\.|regulations?|regs?\.)\s*"
    rf"(?P<nums>{_NUM}(?:{_SEP}{_NUM_MORE})*)",
    re.IGNORECASE,
)
_ONE_NUM = re.compile(_NUM)
_RANGE_SEP = re.compile(r"^\s*(?:to|[-–])\s*$", re.IGNORECASE)
# what ties a provision to the Act named after it
_TIE = re.compile(r"\s*,?\s+(?:of|to|in|under)\s+(?:the\s+)?", re.IGNORECASE)
# "of the Act", "of that Act", "of the 1989 Act", "of the Regulations"
_BACKREF = re.compile(
    r"\s+(?:of|to|in|under)\s+(?P<surface>(?:the|that|this)\s+(?:said\s+)?(?:(?P<year>\d{4})\s+)?"
    r"(?P<word>Act|Regulations))\b(?!\s+\d)",
    re.IGNORECASE,
)
# between an Act and a provision written after it: "the Children Act 1989, section 17"
_ACT_FIRST_GAP = re.compile(r"\s*,?\s*\(?\s*")
# bare provisions that are parts of the paper or of a contract, not of legislation
_NOT_LEGISLATION_AFTER = re.compile(
    r"\s*(?:\s(?:above|below)\b|\s+(?:of|in|to)\s+(?:this|the|that|our)\s+(?:report|paper|document|"
    r"appendix|annex|agreement|contract|decision|policy|guidance|plan|strategy|form|proposal|"
    r"specification|constitution)s?\b)",
    re.IGNORECASE,
)
_SEE_BEFORE = re.compile(r"\b(?:see|per)\s+$", re.IGNORECASE)
_HEADING_AFTER = re.compile(r"[ \t]*[:–—-][ \t]")

_KINDS = {"s": "section", "ss": "section", "sch": "schedule", "reg": "regulation", "regs": "regulation"}

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

# ------------------------------------------------------------------ fallback headings

_FALLBACK_HEADINGS = (
    ("consultation", r"cabinet\s+committee\s+recommendations\s+and\s+other\s+consultation"),
    ("legal_implications", r"legal\s+implications?"),
    ("financial_implications", r"financial\s+implications?"),
    ("equalities_implications", r"equalit(?:y|ies)\s+implications?"),
    ("reasons", r"reasons?\s*(?:\(s\))?\s+for\s+(?:the\s+)?decision"),
    ("decision_maker", r"decision\s+(?:to\s+be\s+)?taken\s+by"),
    ("decision_number", r"decision\s+(?:no|number)\.?"),
    ("key_decision", r"key\s+decision(?:\s+criteria)?"),
    ("decision", r"(?:proposed\s+)?decision"),
    ("recommendations", r"recommendations?\s*(?:\(s\))?"),
    ("summary", r"summary"),
    ("alternatives", r"any\s+alternatives\s+considered(?:\s+and\s+rejected)?"),
    ("interests", r"any\s+interests?\s+declared"),
    ("publication", r"for\s+publication"),
)
_FALLBACK_HEADING = re.compile(
    r"^[ \t]*(?:#{1,6}[ \t]+|[-•][ \t]+)?(?:\*\*)?(?:\d{1,2}\.[ \t]+)?(?:\*\*)?"
    r"(?:" + "|".join(f"(?P<{name}_{i}>{pat})" for i, (name, pat) in enumerate(_FALLBACK_HEADINGS)) + ")"
    r"[ \t]*(?:\*\*)?[ \t]*(?:$|[.:][^\n]*$|\[[^\n]*$)",
    re.IGNORECASE | re.MULTILINE,
)
# any other numbered report heading ("3. Policy Framework") ends the section before it
_OTHER_HEADING = re.compile(r"^[ \t]*(?:#{1,6}[ \t]+)?\d{1,2}\.[ \t]+[A-Z][^\n]{0,80}$", re.MULTILINE)


@dataclass
class _ActHit:
    start: int
    end: int
    entry: ActEntry
    how: str  # explicit | misnamed
    used: bool = False  # part of a provision reference


@dataclass
class _Ref:
    """A provision reference before resolution: one per provision of a list."""

    start: int
    end: int
    provision: str
    act: ActEntry | None = None
    how: str = "unresolved"
    surface_act: str | None = None
    backref: tuple[str, int | None] | None = None  # ("Act" | "Regulations", year)


# ------------------------------------------------------------------ matching


def _label_pattern(label: str) -> str:
    words = []
    for word in label.split():
        if word.lower() in {"and", "&"}:
            words.append(r"(?:and|&)")
        else:
            words.append(re.escape(word).replace("'", "['\u2019]?").replace("\u2019", "['\u2019]?"))
    return r"\s+".join(words)


@lru_cache(maxsize=1)
def _act_regex() -> re.Pattern:
    """One alternation of every gazetteer label, longest first.

    Labels with a year are matched case-insensitively; bare short names ("TUPE") exactly.
    """
    labels: set[str] = set()
    for entry, _how in label_index().values():
        labels.update((entry.title, *entry.aliases, *entry.misnamings))
    alts = []
    for label in sorted(labels, key=lambda s: (-len(s), s)):
        pat = _label_pattern(label)
        alts.append(f"(?i:{pat})" if re.search(r"\b\d{4}\b", label) else pat)
    return re.compile(r"(?<![\w'])(?:" + "|".join(alts) + r")(?![\w'])")


def find_acts(text: str) -> list[tuple[int, int, ActEntry, str]]:
    """Every Act or SI named in ``text``: ``(start, end, entry, how)``.

    >>> [(s, e, a.title, how) for s, e, a, how in find_acts("the Childrens Act 1989 and TUPE")]
    [(4, 22, 'Children Act 1989', 'misnamed'), (27, 31, 'Transfer of Undertakings (Protection of Employment) Regulations 2006', 'explicit')]
    """
    index = label_index()
    out = []
    for m in _act_regex().finditer(text):
        hit = index.get(normalise_label(m.group()))
        if hit is not None:
            out.append((m.start(), m.end(), hit[0], hit[1]))
    return out


def normalise_provision(kind: str, number: str) -> str:
    """``"Schedule", "12a"`` → ``"schedule 12A"``; ``"s.", "76 (1)"`` → ``"section 76(1)"``.

    >>> normalise_provision("Sections", "76 (1)(a)"), normalise_provision("sch.", "12a")
    ('section 76(1)(a)', 'schedule 12A')
    """
    k = kind.lower().rstrip(".")
    k = _KINDS.get(k, k.rstrip("s") if k.endswith("s") else k)
    m = re.match(r"(\d+)([A-Za-z]*)(.*)", number.strip(), re.S)
    if m is None:
        raise ValueError(f"not a provision number: {number!r}")
    subs = "".join(f"({s.lower() if s.isalpha() else s.upper()})" for s in re.findall(r"\((\w+)\)", m[3]))
    return f"{k} {m[1]}{m[2].upper()}{subs}"


def _numbers(m: re.Match) -> list[str]:
    """The numbers of a provision match, ranges ("sections 2 to 4") expanded."""
    found = [(n.group(), n.start(), n.end()) for n in _ONE_NUM.finditer(m["nums"])]
    out = [found[0][0]]
    for prev, cur in zip(found, found[1:], strict=False):
        gap = m["nums"][prev[2] : cur[1]]
        if _RANGE_SEP.match(gap) and prev[0].isdigit() and cur[0].isdigit():
            lo, hi = int(prev[0]), int(cur[0])
            if 0 < hi - lo <= 20:
                out.extend(str(n) for n in range(lo + 1, hi))
        out.append(cur[0])
    return out


def _provisions(m: re.Match) -> list[str]:
    """Normalised provisions of a match, in the order written."""
    out = []
    pkind = (m["pkind"] or "").lower()
    for number in _numbers(m):
        prov = normalise_provision(m["kind"], number)
        if pkind.startswith("sub") and prov.startswith("section") and "(" not in prov:
            prov += "(" + m["pnum"].strip("()").lower() + ")"
        elif pkind.startswith("para") and prov.startswith("schedule"):
            prov += " paragraph " + m["pnum"].strip("()").upper()
        out.append(prov)
    return out


def _is_not_legislation(text: str, m: re.Match) -> bool:
    """A bare provision that points into the paper or a contract, or is a heading."""
    if _NOT_LEGISLATION_AFTER.match(text, m.end()) or _SEE_BEFORE.search(text, 0, m.start()):
        return True
    line_start = text.rfind("\n", 0, m.start()) + 1
    return not text[line_start : m.start()].strip() and bool(_HEADING_AFTER.match(text, m.end()))


def _compatible(entry: ActEntry, provision: str) -> bool:
    if provision.startswith("section"):
        return not entry.is_instrument
    if provision.startswith("regulation"):
        return entry.is_instrument
    return True


def _base(provision: str) -> str:
    """The provision without subsections: ``"section 76(1)"`` → ``"section 76"``."""
    return provision.split("(", 1)[0]


# ------------------------------------------------------------------ context: sentences, sections


def _sentence_bounds(doc: Doc) -> list[tuple[int, int]]:
    if doc.has_annotation("SENT_START"):
        return [(s.start_char, s.end_char) for s in doc.sents]
    bounds, pos = [], 0
    for m in re.finditer(r"(?<=[.!?])\s+(?=[A-Z])|\n[ \t]*\n", doc.text):
        bounds.append((pos, m.start()))
        pos = m.end()
    bounds.append((pos, len(doc.text)))
    return bounds


def _fallback_headings(text: str) -> list[tuple[int, str]]:
    """(line start, section name) of each heading line, for papers given without sections.

    >>> _fallback_headings("Reason(s) for decision:\\nx\\n3. Policy Framework\\nLegal Implications\\n")
    [(0, 'reasons'), (26, 'other'), (46, 'legal_implications')]
    """
    found = {m.start(): "other" for m in _OTHER_HEADING.finditer(text)}
    for m in _FALLBACK_HEADING.finditer(text):
        name = next(k for k, v in m.groupdict().items() if v is not None)
        found[m.start()] = name.rsplit("_", 1)[0]
    return sorted(found.items())


class _Context:
    """Sentence and section look-ups by character offset for one Doc."""

    def __init__(self, doc: Doc):
        self.text = doc.text
        self.sentences = _sentence_bounds(doc)
        self._sent_starts = [s for s, _ in self.sentences]
        self.sections: list[Section] = list(doc._.sections or [])
        self._headings = [] if self.sections else _fallback_headings(doc.text)
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
        _act_regex()  # compile the gazetteer alternation once, when the pipeline is built

    def __call__(self, doc: Doc) -> Doc:
        if doc._.legislation is None:
            doc._.legislation = []
        doc._.legislation.extend(extract(doc))
        doc._.legislation.sort(key=lambda m: (m.mention.start, m.mention.end))
        return doc


def _references(text: str, acts: list[_ActHit]) -> list[_Ref]:
    """Provision references, each tied to the Act written next to it if there is one.

    A list ("sections 2 and 3", "section 256/257") gives one reference per provision,
    all with the span of the whole phrase.
    """
    act_at = {a.start: a for a in acts}
    act_ending = {a.end: a for a in acts}
    refs: list[_Ref] = []
    for m in _PROVISION.finditer(text):
        if any(a.start <= m.start() < a.end for a in acts):
            continue  # "Regulations 2015" inside a title
        start, end, act, backref, surface = m.start(), m.end(), None, None, None
        tie = _TIE.match(text, end)
        gap_start = start
        while gap_start > 0 and text[gap_start - 1] in " \t,(":
            gap_start -= 1
        if tie and tie.end() in act_at:  # "section 22 of the Children Act 1989"
            act = act_at[tie.end()]
            end = act.end
        elif (b := _BACKREF.match(text, end)) is not None:  # "section 27 of the Act"
            backref = (b["word"].capitalize(), int(b["year"]) if b["year"] else None)
            end, surface = b.end(), b["surface"]
        elif gap_start in act_ending and _ACT_FIRST_GAP.fullmatch(text, gap_start, start):
            act = act_ending[gap_start]  # "the Children Act 1989, section 17"
            start = act.start
        elif _is_not_legislation(text, m):
            continue
        for prov in _provisions(m):
            ref = _Ref(start, end, prov, backref=backref, surface_act=surface)
            if act is not None:
                act.used = True
                ref.act, ref.how, ref.surface_act = act.entry, act.how, text[act.start : act.end]
            refs.append(ref)
    return refs


def extract(doc: Doc) -> list[LegislationMention]:
    """The legislation mentions of one Doc, sorted by offset.

    >>> import spacy
    >>> doc = spacy.blank("en")("Schedule 12a of the Local Government Act 1972 and TUPE apply.")
    >>> doc._.sections = []
    >>> [(m.mention.text, m.act, m.provision) for m in extract(doc)][0]
    ('Schedule 12a of the Local Government Act 1972', 'Local Government Act 1972', 'schedule 12A')
    """
    text = doc.text
    acts = [_ActHit(s, e, entry, how) for s, e, entry, how in find_acts(text)]
    refs = _references(text, acts)
    ctx = _Context(doc)
    boilerplate = [(m.start(), m.end()) for m in _BOILERPLATE.finditer(text)]

    # whole-Act mentions and provision references, in text order
    items: list[tuple[int, object]] = [(a.start, a) for a in acts if not a.used]
    items += [(r.start, r) for r in refs]
    items.sort(key=lambda p: p[0])

    out: list[LegislationMention] = []
    named: list[ActEntry] = []  # Acts named so far, in order
    by_provision: dict[str, ActEntry] = {}  # provision → the Act it was last tied to
    for _, item in items:
        if isinstance(item, _ActHit):
            named.append(item.entry)
            out.append(LegislationMention(
                mention=Mention(text[item.start : item.end], item.start, item.end),
                act=item.entry.title, provision=None, resolution=item.how,
                section=ctx.section_name(item.start), surface_act=text[item.start : item.end],
                relation=_relation(ctx, item.start, item.end, None, boilerplate),
            ))
            continue
        ref: _Ref = item
        if ref.act is not None:
            named.append(ref.act)
        elif ref.backref is not None:
            word, year = ref.backref
            want_instrument = word == "Regulations"
            fits = [e for e in named if e.is_instrument == want_instrument and year in (None, e.year)]
            if not fits and year is not None:  # "the 1989 Act" named in full only later
                fits = list({a.entry.title: a.entry for a in acts
                             if a.entry.is_instrument == want_instrument and a.entry.year == year}.values())
                fits = fits if len(fits) == 1 else []
            if fits:
                ref.act, ref.how = fits[-1], "back_reference"
        else:
            ref.act = by_provision.get(_base(ref.provision))
            if ref.act is None:
                ref.act = _same_sentence_act(ctx, acts, ref)
            if ref.act is not None:
                ref.how = "back_reference"
        if ref.act is not None:
            by_provision[_base(ref.provision)] = ref.act
        out.append(LegislationMention(
            mention=Mention(text[ref.start : ref.end], ref.start, ref.end),
            act=ref.act.title if ref.act else None, provision=ref.provision,
            resolution=ref.how if ref.act else "unresolved",
            section=ctx.section_name(ref.start), surface_act=ref.surface_act,
            relation=_relation(ctx, ref.start, ref.end, ref.provision, boilerplate),
        ))
    out.sort(key=lambda m: (m.mention.start, m.mention.end))
    return out


def _same_sentence_act(ctx: _Context, acts: list[_ActHit], ref: _Ref) -> ActEntry | None:
    """The Act named nearest to ``ref`` in its sentence (before it, else after it)."""
    s_start, s_end = ctx.sentence(ref.start)
    near = [a for a in acts if s_start <= a.start < s_end and _compatible(a.entry, ref.provision)]
    before = [a for a in near if a.end <= ref.start]
    if before:
        return before[-1].entry
    after = [a for a in near if a.start >= ref.end]
    return after[0].entry if after else None


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
