"""The corpus as the linking rules see it: decisions merged over documents, and edges.

:class:`Corpus` indexes the resolved facts of every document; :class:`DecisionInfo` is what
the corpus says of one decision (number, title, date, the documents naming it); an
:class:`Edge` is a rule's finding, later decision → earlier one. :func:`is_later` orders two
decisions when the corpus can.

>>> x = DecisionInfo("X", "19-00076", "19/00076", date="2019-11-15")
>>> y = DecisionInfo("Y", "18-00071", "18/00071", year=2018)
>>> is_later(x, y), is_later(y, x)
(True, False)
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kgraph.extract.evidence import MAX_QUOTE, evidence_dict
from kgraph.extract.profiles import number_year
from kgraph.link.registry import Rule
from kgraph.link.words import clean_title
from kgraph.model import DecisionFact, DocumentFacts, Evidence

__all__ = ["Corpus", "DecisionInfo", "Edge", "is_later", "subject_at", "SUBJECT_ROLES"]

#: Roles of the decisions a document is about (the others it only refers to).
SUBJECT_ROLES = ("records", "proposes")


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
    #: who took it, as the documents name them (``decision_maker.role``)
    makers: set[str] = field(default_factory=set)

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
        for role in SUBJECT_ROLES:
            for doc, r in self.docs:
                if r == role:
                    return doc
        return None


def is_later(a: DecisionInfo, b: DecisionInfo) -> bool | None:
    """Whether ``a`` was decided after ``b``: True, False, or None when the corpus cannot say.

    Dates are compared when both are known, else years; decisions of the same year are
    ordered by their numbers.
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


def subject_at(subjects: list[DecisionFact], offset: int) -> DecisionFact | None:
    """Of a page's subject decisions, the one whose part of the page holds ``offset``: the last
    that starts (its first mention) before it, else the first.

    >>> a = {"id": "a", "mentions": [{"start": 0}]}; b = {"id": "b", "mentions": [{"start": 50}]}
    >>> subject_at([a, b], 60)["id"], subject_at([a, b], 10)["id"], subject_at([], 5)
    ('b', 'a', None)
    """
    best = None
    for d in subjects:
        starts = [m["start"] for m in d.get("mentions", [])]
        if starts and min(starts) <= offset and (best is None or min(starts) > best[0]):
            best = (min(starts), d)
    if best is not None:
        return best[1]
    return subjects[0] if subjects else None


@dataclass
class Corpus:
    """The facts of every document, indexed for the rules."""

    facts: list[DocumentFacts]
    texts: dict[str, str]
    decisions: dict[str, DecisionInfo] = field(default_factory=dict)
    by_doc: dict[str, DocumentFacts] = field(default_factory=dict)
    #: documents whose edges the rules look for (None: every document); see :meth:`only_for`
    emit: set[str] | None = None
    #: documents whose text names an agreement or contract (None: not known, every text is read
    #: for them); :attr:`kgraph.link.deps.Features.active` says it for each document
    naming_agreements: set[str] | None = None

    @classmethod
    def of(cls, facts: list[DocumentFacts], texts: dict[str, str]) -> Corpus:
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
                maker = (d.get("decision_maker") or {}).get("role")
                if maker:
                    info.makers.add(maker)
        return c

    def only_for(self, docs: set[str]) -> None:
        """Look for the edges that the links of ``docs`` need, no others.

        Every rule finds an edge *from* a subject decision of the document holding its evidence,
        and a link is the best of the edges with its ends and type (the others' evidence goes
        into ``also``): the links of ``docs`` are made of the edges found in the documents
        sharing a subject decision with one of them. The rules read the rest of the corpus as
        before; they only stop looking for edges in other documents.

        >>> f = lambda doc, iri: {"document": {"id": doc}, "decisions": [{"iri": iri, "id": iri, "role": "records"}]}
        >>> c = Corpus.of([f("a", "X"), f("b", "X"), f("c", "Y")], {})
        >>> c.only_for({"a"}); sorted(c.emit), [g["document"]["id"] for g in c.emitting()]
        (['a', 'b'], ['a', 'b'])
        """
        owned = {d["iri"] for doc in docs for d in self.subjects(doc)}
        self.emit = set(docs) | {doc for doc in self.by_doc if any(d["iri"] in owned for d in self.subjects(doc))}

    def emitting(self) -> list[DocumentFacts]:
        """The documents whose edges are looked for, in corpus order (see :meth:`only_for`)."""
        if self.emit is None:
            return self.facts
        return [f for f in self.facts if f["document"]["id"] in self.emit]

    def known_as(self, described: DecisionFact) -> str | None:
        """The IRI of the one decision another document records that a described decision
        (no number; body and day) must be: recorded on that day by that body. ``None`` when
        no such decision, or several, are known.
        """
        date = described.get("date")
        body = ((described.get("decision_maker") or {}).get("role") or "").lower()
        if described.get("number") or not date or not body:
            return None
        found = [i.iri for i in self.decisions.values()
                 if i.iri != described["iri"] and i.date == date and i.home() is not None
                 and any(m.lower() == body or m.lower().startswith(body + " ") for m in i.makers)]
        return found[0] if len(found) == 1 else None

    def own(self, doc_id: str) -> DecisionFact | None:
        """The (first) decision a document records or proposes."""
        return next((d for d in self.by_doc[doc_id]["decisions"] if d["role"] in SUBJECT_ROLES), None)

    def subjects(self, doc_id: str) -> list[DecisionFact]:
        """Every decision a document records or proposes (a listing page has several)."""
        return [d for d in self.by_doc[doc_id]["decisions"] if d["role"] in SUBJECT_ROLES]

    def subject_at(self, doc_id: str, offset: int) -> DecisionFact | None:
        """The subject decision whose part of the page holds ``offset`` (see :func:`subject_at`)."""
        return subject_at(self.subjects(doc_id), offset)

    def evidence(self, doc_id: str, start: int, end: int) -> Evidence:
        return evidence_dict(doc_id, self.texts[doc_id], start, end)

    def point_evidence(self, doc_id: str, point: dict, start: int | None = None,
                       end: int | None = None) -> Evidence:
        """Evidence quoting a decision point (a long point is clipped around ``start``-``end``)."""
        s, e = point["start"], point["end"]
        if e - s > MAX_QUOTE and start is not None:
            s = max(s, start - MAX_QUOTE // 2)
            e = min(e, (end or start) + MAX_QUOTE // 2)
        return {"document": doc_id, "start": s, "end": e, "quote": self.texts[doc_id][s:e]}


@dataclass
class Edge:
    """A rule's finding: ``src`` (later) → ``dst`` (earlier), with evidence and support.

    Its type and confidence are its rule's.
    """

    src: str
    dst: str
    rule: Rule
    evidence: Evidence
    also: list[Evidence] = field(default_factory=list)
    extra: dict = field(default_factory=dict)

    @property
    def type(self) -> str:
        return self.rule.edge
