"""Decision-to-decision rules: explicit references with cue words, the same subject decided
again, and money traced from one decision to another.

Every rule returns :class:`Edge` objects (later decision → earlier one) carrying the rule
name and the evidence sentence; :mod:`kgraph.link.corpus` turns them into ``decision_links``.

>>> cue_for("This decision supersedes decision 19/00012.", 34)
('supersedes', 'explicit-supersedes-cue')
>>> cue_for("Decision No. 22/00004 was taken in March.", 13)
('followsOn', 'prior-decision-taken')
>>> cue_for("It does not replace 19/00012.", 20) is None
True
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from kgraph.extract.evidence import MAX_QUOTE, evidence_dict, sentence_around

#: Least word overlap (Jaccard, after light stemming) between two titles for them to be
#: taken as the same subject.
SAME_TITLE_MIN = 0.8
#: Least number of shared content words between where money came from and the earlier
#: decision's description of that money.
FUNDING_TOPIC_MIN = 2

_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset(
    "a an and the of to for in on or by with as at be will that this is are from into their its "
    "kent county council kcc per year annual funded funding fund service services contract "
    "contracts element elements part all other new current existing".split()
)
_DECISION_NUMBER = re.compile(r"(?<![\w/.-])\d{2}/\d{5}(?![\w/])")
_NEGATION = re.compile(r"\b(?:not|never|no\s+longer)\b[\w\s]{0,12}$|n't\s*$", re.IGNORECASE)

#: Cue words before a cited number: (pattern, edge type, rule).
_BEFORE_CUES: tuple[tuple[re.Pattern, str, str], ...] = (
    (re.compile(r"\b(?:supersed(?:e|es|ed|ing)|replac(?:e|es|ed|ing)|rescind(?:s|ed|ing)?|"
                r"revok(?:e|es|ed|ing))\b", re.I), "supersedes", "explicit-supersedes-cue"),
    (re.compile(r"\b(?:amend(?:s|ed|ing|ments?\s+to)?|changes?\s+to)\b", re.I), "amends",
     "explicit-amends-cue"),
    (re.compile(r"\b(?:var(?:y|ies|ied|ying)|variation\s+(?:of|to))\b", re.I), "varies",
     "explicit-varies-cue"),
    (re.compile(r"\b(?:follow(?:s|ed|ing)?\s+on\s+from|further\s+to|builds?\s+on|"
                r"implement(?:s|ing)?|continu(?:es|ing)|following\s+(?:the\s+)?(?:earlier|"
                r"previous|original|prior)\s+decision)\b", re.I), "followsOn",
     "explicit-follows-on-cue"),
)
#: Cue words after a cited number ("Decision No. 22/00004 was taken").
_AFTER_CUE = re.compile(r"^[^.;]{0,20}?\b(?:was|were|had\s+been|has\s+been)\s+(?:taken|agreed|made|"
                        r"approved)\b", re.I)
_DEBATED = re.compile(r"\b(?:debated|considered|discussed|endorsed)\b[^.]{0,40}\b(?:following|"
                      r"previous|earlier|original)?\s*decision", re.I)

_STEM = {"children": "child", "people": "person", "persons": "person", "people's": "person",
         "services": "service", "young": "young"}


def words(text: str | None) -> set[str]:
    """Content words of a title or phrase, lower case, lightly stemmed.

    >>> sorted(words("Children and Young People's Mental Health Services"))
    ['child', 'health', 'mental', 'person', 'young']
    """
    out: set[str] = set()
    for w in _WORD.findall((text or "").lower().replace("’", "'").replace("'s", "")):
        w = _STEM.get(w, w)
        if w in _STOP or len(w) < 2:
            continue
        if len(w) > 4 and w.endswith("s") and not w.endswith("ss"):
            w = w[:-1]
        out.add(w)
    return out


def similarity(a: set[str], b: set[str]) -> float:
    """Jaccard overlap of two word sets (0 when either is empty).

    >>> similarity({"home", "care"}, {"home", "care", "older"})
    0.6666666666666666
    """
    return len(a & b) / len(a | b) if a and b else 0.0


def clean_title(title: str | None) -> str | None:
    """A cited title cut at the end of its first sentence.

    >>> clean_title("Home Care. See ref: 2295")
    'Home Care'
    """
    if not title:
        return title
    return re.split(r"(?<=\w)\.\s", title, maxsplit=1)[0].rstrip(" .")


@dataclass
class DecisionInfo:
    """What the corpus says of one decision, merged over the documents that name it."""

    iri: str
    id: str
    number: str | None = None
    title: str | None = None
    date: str | None = None
    year: int | None = None
    #: (document id, role) for every document naming the decision.
    docs: list[tuple[str, str]] = field(default_factory=list)

    @property
    def when(self) -> tuple[int, str] | None:
        """A sort key in time: (year, ISO date or '')."""
        if self.date:
            return int(self.date[:4]), self.date
        if self.year:
            return self.year, ""
        return None

    def home(self) -> str | None:
        """The document that records the decision (else proposes it)."""
        for role in ("records", "proposes"):
            for doc, r in self.docs:
                if r == role:
                    return doc
        return None


def number_year(number: str | None) -> int | None:
    """The year a decision number was allocated in (``18/00071`` → 2018).

    >>> number_year("18/00071"), number_year(None)
    (2018, None)
    """
    if not number or not re.match(r"^\d{2}/\d{5}$", number):
        return None
    return 2000 + int(number[:2])


def is_later(a: DecisionInfo, b: DecisionInfo) -> bool | None:
    """Whether ``a`` was decided after ``b``: True, False, or None when the corpus cannot say.

    Dates are compared when both are known, else years; decisions of the same year are
    ordered by their numbers.

    >>> x = DecisionInfo("X", "19-00076", "19/00076", date="2019-11-15")
    >>> y = DecisionInfo("Y", "18-00071", "18/00071", year=2018)
    >>> is_later(x, y), is_later(y, x)
    (True, False)
    """
    wa, wb = a.when, b.when
    if wa is None or wb is None:
        return None
    if wa[1] and wb[1] and wa[1] != wb[1]:
        return wa[1] > wb[1]
    if wa[0] != wb[0]:
        return wa[0] > wb[0]
    if a.number and b.number and a.number != b.number:
        return a.number > b.number
    return None


@dataclass
class Corpus:
    """The facts of every document, indexed for the rules."""

    facts: list[dict]
    texts: dict[str, str]
    decisions: dict[str, DecisionInfo] = field(default_factory=dict)
    by_doc: dict[str, dict] = field(default_factory=dict)

    @classmethod
    def of(cls, facts: list[dict], texts: dict[str, str]) -> Corpus:
        c = cls(facts, texts)
        for f in facts:
            doc = f["document"]["id"]
            c.by_doc[doc] = f
            for d in f["decisions"]:
                info = c.decisions.setdefault(d["iri"], DecisionInfo(d["iri"], d["id"]))
                info.number = info.number or d.get("number")
                if d["role"] != "references" or not info.title:
                    info.title = clean_title(d.get("title")) or info.title
                if d["role"] == "records" or not info.date:
                    info.date = d.get("date") or info.date
                info.year = (d.get("year") or info.year or number_year(d.get("number"))
                             or (int(info.date[:4]) if info.date else None))
                info.docs.append((doc, d["role"]))
        return c

    def own(self, doc_id: str) -> dict | None:
        """The decision a document records or proposes."""
        return next((d for d in self.by_doc[doc_id]["decisions"]
                     if d["role"] in ("records", "proposes")), None)

    def evidence(self, doc_id: str, start: int, end: int) -> dict:
        return evidence_dict(doc_id, self.texts[doc_id], start, end)

    def point_evidence(self, doc_id: str, point: dict, start: int | None = None,
                       end: int | None = None) -> dict:
        """Evidence quoting a decision point (a long point is clipped around ``start``-``end``)."""
        s, e = point["start"], point["end"]
        if e - s > MAX_QUOTE and start is not None:
            s = max(s, start - MAX_QUOTE // 2)
            e = min(e, (end or start) + MAX_QUOTE // 2)
        return {"document": doc_id, "start": s, "end": e, "quote": self.texts[doc_id][s:e]}


@dataclass
class Edge:
    """A rule's finding: ``src`` (later) → ``dst`` (earlier), with evidence and support."""

    src: str
    dst: str
    type: str
    rule: str
    evidence: dict
    also: list[dict] = field(default_factory=list)
    extra: dict = field(default_factory=dict)


def cue_for(sentence: str, pos: int) -> tuple[str, str] | None:
    """The edge type and rule that cue words give a decision number at ``pos`` in ``sentence``.

    The cue must come before the number with no other decision number in between, or be
    "was taken" right after it; a negated cue gives nothing.
    """
    before = sentence[:pos]
    others = list(_DECISION_NUMBER.finditer(before))
    window_start = others[-1].end() if others else 0
    window = before[window_start:]
    best: tuple[int, str, str] | None = None
    for pattern, kind, rule in _BEFORE_CUES:
        for m in pattern.finditer(window):
            if _NEGATION.search(window[: m.start()]):
                continue
            if best is None or m.start() > best[0]:
                best = (m.start(), kind, rule)
    if best is not None:
        return best[1], best[2]
    number = _DECISION_NUMBER.match(sentence, pos)
    after = sentence[number.end():] if number else sentence[pos:]
    if _AFTER_CUE.match(after):
        return "followsOn", "prior-decision-taken"
    return None


def reference_edges(c: Corpus) -> Iterable[Edge]:
    """Edges from the numbers a decision cites: cue words first, then the same subject."""
    for f in c.facts:
        doc = f["document"]["id"]
        own = c.own(doc)
        if own is None:
            continue
        text = c.texts[doc]
        own_words = words(own.get("title"))
        for d in f["decisions"]:
            if d["role"] != "references" or d["iri"] == own["iri"]:
                continue
            for m in d["mentions"]:
                s, e = sentence_around(text, m["start"], m["end"])
                sentence = text[s:e]
                ev = evidence_dict(doc, text, m["start"], m["end"])
                cue = cue_for(sentence, m["start"] - s)
                if cue is not None:
                    yield Edge(own["iri"], d["iri"], cue[0], cue[1], ev)
                    continue
                cited = words(clean_title(d.get("title")))
                if cited and similarity(own_words, cited) >= SAME_TITLE_MIN:
                    rule = ("same-subject-debated-again" if _DEBATED.search(sentence)
                            else "same-subject-decided-again")
                    also = []
                    title_ev = (own.get("evidence") or {}).get("title") or []
                    if title_ev:
                        also.append(c.evidence(doc, title_ev[0]["start"], title_ev[0]["end"]))
                    yield Edge(own["iri"], d["iri"], "supersedes", rule, ev, also)


def same_title_edges(c: Corpus) -> Iterable[Edge]:
    """A later decision with the same title as an earlier one supersedes it."""
    owns = []
    for f in c.facts:
        own = c.own(f["document"]["id"])
        if own and own.get("title") and (own["iri"], own) not in owns:
            owns.append((own["iri"], own, f["document"]["id"]))
    seen: set[tuple[str, str]] = set()
    for a_iri, a, a_doc in owns:
        for b_iri, b, b_doc in owns:
            if a_iri == b_iri or (a_iri, b_iri) in seen:
                continue
            if similarity(words(a["title"]), words(b["title"])) < SAME_TITLE_MIN:
                continue
            if is_later(c.decisions[a_iri], c.decisions[b_iri]) is not True:
                continue
            seen.add((a_iri, b_iri))
            ta = ((a.get("evidence") or {}).get("title") or a.get("mentions") or [None])[0]
            tb = ((b.get("evidence") or {}).get("title") or b.get("mentions") or [None])[0]
            if ta is None:
                continue
            also = [c.evidence(b_doc, tb["start"], tb["end"])] if tb else []
            yield Edge(a_iri, b_iri, "supersedes", "same-title-decided-again",
                       c.evidence(a_doc, ta["start"], ta["end"]), also)


# ------------------------------------------------------------------------------ money

_SOURCE_CUE = re.compile(
    r"\b(?:from|out\s+of)\s+the\s+(?P<amount>£\s?[\d.,]+\s*(?:m|k|million|bn)?)\s+"
    r"(?:(?:previously|formerly|originally|currently)\s+)?(?:funding|allocated\s+to|"
    r"used\s+(?:for|on)|spent\s+on|released\s+from|invested\s+in)\s+(?P<purpose>[^.;)\n]+)",
    re.IGNORECASE,
)
_RELEASE_CUE = re.compile(
    r"\b(?:recommit\w*|refocus\w*|re-focus\w*|releas\w*|withdraw\w*|recommission\w*|"
    r"redirect\w*|reallocat\w*|freed)\b", re.IGNORECASE,
)


def _amount_at(f: dict, start: int, end: int) -> dict | None:
    for a in f["amounts"]:
        m = a["mentions"][0]
        if m["start"] >= start and m["end"] <= end:
            return a
    return None


def _context_words(c: Corpus, doc: str, a: dict) -> set[str]:
    """What a document says of an amount: purpose, table row and its sentence."""
    m = a["mentions"][0]
    s, e = sentence_around(c.texts[doc], m["start"], m["end"])
    return words(a.get("purpose")) | words(a.get("table_row")) | words(c.texts[doc][s:e])


def funding_edges(c: Corpus) -> Iterable[Edge]:
    """"£400,000 (From the £1.2m previously funding the Early Help Pathway …)": the decision
    spends money that an earlier decision released; the earlier one is found by the same
    amount, described with the same words, and a release cue (recommitted, refocused …)."""
    for f in c.facts:
        doc = f["document"]["id"]
        own = c.own(doc)
        if own is None:
            continue
        text = c.texts[doc]
        me = c.decisions[own["iri"]]
        for m in _SOURCE_CUE.finditer(text):
            source = _amount_at(f, m.start("amount"), m.end("amount"))
            if source is None:
                continue
            topic = words(m.group("purpose"))
            s, e = sentence_around(text, m.start(), m.end())
            moved = next((a for a in f["amounts"] if a["role"] == "funding" and a is not source
                          and s <= a["mentions"][0]["start"] < m.start()), None)
            best: tuple[tuple, Edge] | None = None
            for g in c.facts:
                gdoc = g["document"]["id"]
                other = c.own(gdoc)
                if other is None or other["iri"] == own["iri"]:
                    continue
                if is_later(me, c.decisions[other["iri"]]) is not True:
                    continue
                released = any(_RELEASE_CUE.search(p["text"]) for p in other.get("points", []))
                for a in g["amounts"]:
                    if a["gbp"] != source["gbp"] or a["role"] != "funding" or a.get("is_total"):
                        continue
                    ctx = _context_words(c, gdoc, a)
                    point_words = set().union(*(words(p["text"]) for p in other.get("points", [])
                                                if _RELEASE_CUE.search(p["text"])), set())
                    shared = topic & (ctx | point_words)
                    am = a["mentions"][0]
                    sent = c.texts[gdoc][slice(*sentence_around(c.texts[gdoc], am["start"], am["end"]))]
                    if len(shared) < FUNDING_TOPIC_MIN or not (released or _RELEASE_CUE.search(sent)):
                        continue
                    home = gdoc == c.decisions[other["iri"]].home()
                    key = (c.decisions[other["iri"]].when or (0, ""), len(shared), home)
                    ev = c.evidence(doc, m.start("amount"), m.end("amount"))
                    extra = {"source_amount": {"gbp": source["gbp"], "text": source["text"],
                                               **{k: source["mentions"][0][k] for k in ("start", "end")}}}
                    if moved is not None:
                        extra["amount"] = {"gbp": moved["gbp"], "text": moved["text"],
                                           **{k: moved["mentions"][0][k] for k in ("start", "end")}}
                    also = [c.evidence(gdoc, am["start"], am["end"])]
                    also += [c.point_evidence(gdoc, p) for p in other.get("points", [])
                             if _RELEASE_CUE.search(p["text"]) and topic & words(p["text"])]
                    edge = Edge(own["iri"], other["iri"], "reallocatesFundingFrom",
                                "funding-traced-to-earlier-decision", ev, also, extra)
                    if best is None or key > best[0]:
                        best = (key, edge)
            if best is not None:
                yield best[1]
