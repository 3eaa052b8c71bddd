"""What each document gives to and takes from the rest of the corpus, so a build can re-link
only the documents whose facts a change can reach.

A document's resolved and linked facts depend on other documents only through what the rules
read across the corpus (:mod:`kgraph.link.resolve` and the rule modules of :mod:`kgraph.link`).
:func:`features_of` records, per document, exactly those handles (a superset where a rule's
test is costly to repeat):

* ``decisions`` — the document's decision entries as :class:`~kgraph.link.index.Corpus` merges
  them into one :class:`~kgraph.link.index.DecisionInfo` per decision (number, title, date,
  year, role, maker); ``owns`` its subject decisions, ``names`` every decision it names;
* ``titles`` — the words of its subject titles (same title decided again);
* ``described_dates`` — the days of decisions it describes without a number (known by body and day);
* ``fund_reads`` / ``fund_exports`` — values of money it traces back ("from the £1.2m
  previously funding …") / of funding its own decision spends;
* ``groups`` / ``active`` — agreements it may describe, set up or change (``sec:76``,
  ``contract``) / the ones its text names, which make the group exist (by the patterns
  :func:`~kgraph.link.agreements.find_agreements` reads: none when its text names none); ``reads_all`` when a
  point changes an agreement named by a body only; ``acronyms`` spelled out in brackets;
* ``first_la`` / ``prefix`` — corpus-wide values taken from the first document that has them;
* ``leg_named`` / ``leg_open`` — (provision, Act) pairs it names / provisions it leaves to the corpus;
* ``points`` — the words of its decision points (a report is matched to a Record of Decision by them).

:class:`Neighbourhood` answers, over the features of the whole corpus, which documents read
a given one (:meth:`Neighbourhood.readers`) and which ones a document reads
(:meth:`Neighbourhood.reads`). Because every rule reads decisions through the merged
``DecisionInfo`` (injected whole into a partial re-link), a decision whose merged info changes
reaches the documents naming it and the readers of the documents owning it.

>>> f = {"document": {"id": "a", "source": "a.txt", "kind": "RecordOfDecision"},
...      "decisions": [{"iri": "D1", "id": "1", "number": "19/00001", "role": "records",
...                     "title": "Home care", "date": None, "year": 2019, "decision_maker": {"role": None},
...                     "points": []}],
...      "organisations": [], "legislation": [], "amounts": []}
>>> ft = features_of(f, "text", [], ())
>>> ft.owns, sorted(ft.titles[0][1])
(('D1',), ['care', 'home'])
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from kgraph.link.agreements import (
    _CONTRACT_WITH,
    _ENTER,
    _PROCURE,
    _SECTION_AGREEMENT,
    _THE_SECTION,
    SERVICE_MATCH_MIN,
    acronym_expansion,
    change_kind,
)
from kgraph.link.index import SUBJECT_ROLES, Corpus, DecisionInfo, is_later
from kgraph.link.money import _SOURCE_CUE, _amount_at
from kgraph.link.references import SAME_TITLE_MIN
from kgraph.link.resolve import PROPOSAL_MATCH_MIN, _words
from kgraph.link.words import jaccard, words

__all__ = ["Features", "features_of", "Neighbourhood", "decision_infos", "info_key", "features_json",
           "features_from_json"]

_ACRONYM = re.compile(r"\(\s*([A-Z][A-Z0-9]{2,})\s*\)")
_POINT_SECTION = re.compile(r"\b[Ss]ection\s+(\d+[A-Z]?)\b")
_PROVISION_SECTION = re.compile(r"^section\s+(\w+)")


@dataclass(frozen=True)
class Features:
    """What one document gives to and takes from the corpus (see the module docstring)."""

    id: str
    source: str
    kind: str
    decisions: tuple[dict, ...] = ()
    owns: tuple[str, ...] = ()
    names: frozenset[str] = frozenset()
    titles: tuple[tuple[str, frozenset[str]], ...] = ()
    described_dates: frozenset[str] = frozenset()
    fund_reads: frozenset[int] = frozenset()
    fund_exports: frozenset[int] = frozenset()
    groups: frozenset[str] = frozenset()
    active: frozenset[str] = frozenset()
    contract_services: frozenset[str] = frozenset()
    acronyms: frozenset[str] = frozenset()
    #: per acronym spelled out in brackets, the words of what it stands for
    expansions: tuple[tuple[str, frozenset[str]], ...] = ()
    #: words of the title and points of a decision that procures a service (set-up candidate of a contract)
    procure_words: frozenset[str] = frozenset()
    reads_all: bool = False
    first_la: str | None = None
    prefix: str | None = None
    leg_named: tuple[tuple[str, str], ...] = ()
    leg_open: frozenset[str] = frozenset()
    points: frozenset[str] = field(default_factory=frozenset)


#: How each field of :class:`Features` is kept in JSON (the others are plain values):
#: sets as sorted lists, pairs of (key, set) as lists of [key, sorted list].
_SETS = ("names", "described_dates", "fund_reads", "fund_exports", "groups", "active", "contract_services",
         "acronyms", "procure_words", "leg_open", "points")
_KEYED_SETS = ("titles", "expansions")
_TUPLES = ("decisions", "owns")


def features_json(f: Features) -> dict:
    """``f`` as plain JSON values (see :func:`features_from_json`).

    >>> f = Features("a", "a.txt", "RecordOfDecision", names=frozenset({"X"}), titles=(("X", frozenset({"care"})),))
    >>> features_json(f)["titles"], features_from_json(features_json(f)) == f
    ([['X', ['care']]], True)
    """
    out = {k: getattr(f, k) for k in f.__dataclass_fields__}
    for k in _SETS:
        out[k] = sorted(out[k])
    for k in _KEYED_SETS:
        out[k] = [[key, sorted(v)] for key, v in out[k]]
    for k in _TUPLES:
        out[k] = list(out[k])
    out["leg_named"] = [list(x) for x in f.leg_named]
    return out


def features_from_json(data: dict) -> Features:
    """The :class:`Features` that :func:`features_json` gave ``data`` for."""
    kw = dict(data)
    for k in _SETS:
        kw[k] = frozenset(kw[k])
    for k in _KEYED_SETS:
        kw[k] = tuple((key, frozenset(v)) for key, v in kw[k])
    for k in _TUPLES:
        kw[k] = tuple(kw[k])
    kw["leg_named"] = tuple(tuple(x) for x in kw["leg_named"])
    return Features(**kw)


def _skeleton(d: dict) -> dict:
    """The fields of a decision entry that :meth:`Corpus.of` merges."""
    return {"iri": d["iri"], "id": d["id"], "number": d.get("number"), "role": d["role"], "title": d.get("title"),
            "date": d.get("date"), "year": d.get("year"),
            "decision_maker": {"role": (d.get("decision_maker") or {}).get("role")}}


def _sections(provision: str | None) -> set[str]:
    m = _PROVISION_SECTION.match(provision or "")
    return {m.group(1).lower()} if m else set()


def features_of(facts: dict, text: str, legislation: Iterable, point_texts: Iterable[str]) -> Features:
    """A document's features from its resolved facts (before linking), its text, its
    legislation mentions before corpus resolution and the texts of its decision points."""
    doc = facts["document"]
    decisions = facts["decisions"]
    subjects = [d for d in decisions if d["role"] in SUBJECT_ROLES]
    own = subjects[0] if subjects else None
    groups: set[str] = set()
    active: set[str] = set()
    for pattern in (_SECTION_AGREEMENT, _THE_SECTION):
        for m in pattern.finditer(text):
            active.add("sec:" + m.group("n").lower())
    services = {m.group("svc") for m in _CONTRACT_WITH.finditer(text)}
    if services:
        active.add("contract")
    reads_all = procure = False
    procure_words: set[str] = set()
    fund_reads: set[int] = set()
    fund_exports: set[int] = set()
    if own is not None:
        cited = set().union(*(_sections(lg.get("provision")) for lg in facts["legislation"]))
        for p in own.get("points", []):
            if _ENTER.search(p["text"]):
                groups |= {"sec:" + n for n in cited}
            if _PROCURE.search(p["text"]):
                procure = True
            if change_kind(p["text"]):
                sec = _POINT_SECTION.search(p["text"])
                if sec:
                    groups.add("sec:" + sec.group(1).lower())
                else:
                    reads_all = True
        if _PROCURE.search(own.get("title") or ""):
            procure = True
        if procure:
            procure_words = words(own.get("title")) | words([p["text"] for p in own.get("points", [])])
        for m in _SOURCE_CUE.finditer(text):
            source = _amount_at(facts, m.start("amount"), m.end("amount"))
            if source is not None:
                fund_reads.add(source["gbp"])
        fund_exports = {a["gbp"] for a in facts["amounts"] if a["role"] == "funding" and not a.get("is_total")}
    acronyms = sorted(set(_ACRONYM.findall(text)))
    expansions = [(a, frozenset(words(x))) for a in acronyms if (x := acronym_expansion(text, a))]
    first_la = next((o["name"] for o in facts["organisations"] if o["kind"] == "LocalAuthority"), None)
    prefix = next((d["iri"].rsplit("/decision/", 1)[0] for d in decisions if "/decision/" in d["iri"]), None)
    return Features(
        id=doc["id"], source=doc["source"], kind=doc["kind"],
        decisions=tuple(_skeleton(d) for d in decisions),
        owns=tuple(d["iri"] for d in subjects),
        names=frozenset(d["iri"] for d in decisions),
        titles=tuple((d["iri"], frozenset(words(d["title"]))) for d in subjects if d.get("title")),
        described_dates=frozenset(d["date"] for d in decisions if d["role"] == "references" and not d.get("number")
                                  and d.get("date") and (d.get("decision_maker") or {}).get("role")),
        fund_reads=frozenset(fund_reads), fund_exports=frozenset(fund_exports),
        groups=frozenset(groups | active), active=frozenset(active), contract_services=frozenset(services),
        acronyms=frozenset(acronyms), expansions=tuple(expansions), procure_words=frozenset(procure_words),
        reads_all=reads_all, first_la=first_la, prefix=prefix,
        leg_named=tuple(sorted({(m.provision, m.act) for m in legislation
                                if m.act and m.provision and m.resolution in {"explicit", "misnamed"}})),
        leg_open=frozenset(_base(m.provision) for m in legislation if m.act is None and m.provision),
        points=frozenset(_words(point_texts)) if doc["kind"] in ("RecordOfDecision", "CommitteeReport") else frozenset(),
    )


def _base(provision: str) -> str:
    """The provision without subsections, as corpus resolution groups them."""
    return provision.split("(", 1)[0]


def decision_infos(features: Iterable[Features]) -> dict:
    """The merged :class:`~kgraph.link.index.DecisionInfo` of every decision, as a full
    :class:`Corpus` would build them (documents in corpus order)."""
    skeleton = [{"document": {"id": f.id}, "decisions": list(f.decisions)} for f in features]
    return Corpus.of(skeleton, {}).decisions


def info_key(info) -> tuple | None:
    """What the rules read of a merged decision (None for a decision no document names)."""
    if info is None:
        return None
    return (info.number, info.title, info.date, info.year, info.home(), tuple(sorted(info.makers)))


class Neighbourhood:
    """Who reads whom, over the features of a whole corpus (in corpus order)."""

    def __init__(self, features: list[Features], infos: dict[str, DecisionInfo] | None = None):
        self.features = features
        self._infos = infos

    # every index is built when first used (a re-link needs only some of them)

    @cached_property
    def infos(self) -> dict[str, DecisionInfo]:
        """Merged decisions (a same-title link needs one decision later than the other)."""
        return decision_infos(self.features) if self._infos is None else self._infos

    @cached_property
    def position(self) -> dict[str, int]:
        return {f.id: i for i, f in enumerate(self.features)}

    def _index(self, keys) -> dict:
        """Documents by each key ``keys(features)`` gives them, in corpus order."""
        out: dict = {}
        for f in self.features:
            for k in keys(f):
                out.setdefault(k, []).append(f.id)
        return out

    @cached_property
    def by_own(self) -> dict[str, list[str]]:
        return self._index(lambda f: f.owns)

    @cached_property
    def by_name(self) -> dict[str, list[str]]:
        return self._index(lambda f: f.names)

    @cached_property
    def fund_readers(self) -> dict[int, list[str]]:
        return self._index(lambda f: f.fund_reads)

    @cached_property
    def fund_exporters(self) -> dict[int, list[str]]:
        return self._index(lambda f: f.fund_exports)

    @cached_property
    def members(self) -> dict[str, list[str]]:
        return self._index(self.groups_of)

    @cached_property
    def by_date(self) -> dict[str, list[str]]:
        return self._index(lambda f: f.described_dates)

    @cached_property
    def by_open(self) -> dict[str, list[str]]:
        return self._index(lambda f: f.leg_open)

    @cached_property
    def by_title_word(self) -> dict[str, list[tuple[str, str, frozenset[str]]]]:
        out: dict[str, list[tuple[str, str, frozenset[str]]]] = {}
        for f in self.features:
            for iri, t in f.titles:
                for w in t:
                    out.setdefault(w, []).append((f.id, iri, t))
        return out

    @cached_property
    def reads_all(self) -> list[str]:
        return [f.id for f in self.features if f.reads_all]

    @cached_property
    def services(self) -> set[str]:
        return set().union(*(f.contract_services for f in self.features))

    @cached_property
    def service_words(self) -> dict[str, frozenset[str]]:
        """Per contract service, the words of its name (spelled out first in corpus order)."""
        out: dict[str, frozenset[str]] = {}
        for f in self.features:
            for a, ws in f.expansions:
                if a in self.services:
                    out.setdefault(a, ws)
        return out

    @cached_property
    def active(self) -> set[str]:
        return set().union(*(f.active for f in self.features))

    def groups_of(self, f: Features) -> set[str]:
        """The agreement groups a document belongs to: its own, and ``contract`` when it spells out
        a contract's service or procures a service named like one."""
        out = set(f.groups)
        if f.acronyms & self.services or (f.procure_words and any(
                ws and len(ws & f.procure_words) / len(ws) >= SERVICE_MATCH_MIN for ws in self.service_words.values())):
            out.add("contract")
        return out

    def similar_titles(self, f: Features, later: bool) -> set[str]:
        """Documents with a subject titled close enough to one of ``f``'s to be the same subject,
        and decided before it (``later``: after it), as the same-title rule needs."""
        out: set[str] = set()
        for iri, t in f.titles:
            mine = self.infos.get(iri)
            for w in t:
                for doc, other_iri, other in self.by_title_word.get(w, ()):
                    if doc in out or jaccard(t, other) < SAME_TITLE_MIN:
                        continue
                    theirs = self.infos.get(other_iri)
                    first, second = (theirs, mine) if later else (mine, theirs)
                    if doc == f.id or (first is not None and second is not None and is_later(first, second) is True):
                        out.add(doc)
        return out

    def _agreement_docs(self, f: Features, active: set[str]) -> set[str]:
        out: set[str] = set()
        for g in self.groups_of(f):
            if g in active:
                out.update(self.members.get(g, ()))
        return out

    def readers(self, f: Features, active: set[str]) -> set[str]:
        """Documents whose links may read ``f`` (``active``: agreement groups that exist before or after)."""
        out = set().union(*(self.by_own.get(i, ()) for i in f.owns), self.similar_titles(f, later=True),
                          *(self.fund_readers.get(v, ()) for v in f.fund_exports))
        agreement = self._agreement_docs(f, active)
        if agreement:
            out |= agreement | set(self.reads_all)
        return out

    def reads(self, f: Features) -> set[str]:
        """Documents whose facts the links of ``f`` read (besides merged decision infos)."""
        out = set().union(*(self.by_own.get(i, ()) for i in f.owns), self.similar_titles(f, later=False),
                          *(self.fund_exporters.get(v, ()) for v in f.fund_reads),
                          self._agreement_docs(f, self.active))
        if f.reads_all:
            out |= set().union(*(self.members.get(g, ()) for g in self.active))
        return out

    def reports_matching(self, f: Features) -> set[str]:
        """Committee reports whose recommendations may be matched to the Record of Decision ``f``."""
        if f.kind != "RecordOfDecision" or not f.points:
            return set()
        return {g.id for g in self.features if g.kind == "CommitteeReport" and g.points
                and jaccard(g.points, f.points) >= PROPOSAL_MATCH_MIN}

    def records_matching(self, f: Features) -> set[str]:
        """Records of Decision a committee report ``f`` may be matched to."""
        if f.kind != "CommitteeReport" or not f.points:
            return set()
        return {g.id for g in self.features if g.kind == "RecordOfDecision" and g.points
                and jaccard(g.points, f.points) >= PROPOSAL_MATCH_MIN}


def named_acts(features: Iterable[Features]) -> dict[str, frozenset[str]]:
    """Per provision (subsections dropped), the Acts the corpus names it with."""
    out: dict[str, set[str]] = {}
    for f in features:
        for provision, act in f.leg_named:
            out.setdefault(_base(provision), set()).add(act)
    return {k: frozenset(v) for k, v in out.items()}
