"""In-memory indexes for the list and aggregate views, kept in step with the store.

A :class:`ReadIndex` is read from the store in bulk (one ``quads_for_pattern`` scan per
predicate, no SPARQL) and answers what would otherwise scan the graph on every request:
decisions by id, organisation, legislation, date and text; organisations with their names
and surface forms; funding flows ranked by amount and by party and decision. Pages are then
rendered from the store by index lookups on the few subjects they show.

:func:`index_of` keeps one index per store and rebuilds it when the store's revision
changes: the query executor's write generation where the app registered it with
:func:`track`, else :func:`store_revision` (the catalog and the number of quads).

>>> from kgraph.graph.store import GraphStore
>>> store = GraphStore.in_memory()
>>> d = "https://w3id.org/kgraph/id/council/kent-county-council/decision/19-00076"
>>> store.replace_graph("https://w3id.org/kgraph/id/document/abc",
...     f'<{d}> <{RDF}type> <{KG}Decision> ; <{DCT}identifier> "19-00076" ; <{DCT}title> "Care" .')
>>> index = index_of(store)
>>> index.decision_by_key["19-00076"] == d, index.listed
(True, [('19-00076', 'https://w3id.org/kgraph/id/council/kent-county-council/decision/19-00076')])
>>> index_of(store) is index
True
"""

from __future__ import annotations

import hashlib
import threading
import time
import weakref
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox

from kgraph.graph.store import GraphStore
from kgraph.read.common import DCT, ELI, KG, ORG, RDF, SCHEMA, SKOS, XSD_STRING

__all__ = ["ReadIndex", "index_of", "track", "store_revision", "walk"]

#: Flow facts read for ranking: (gbp, period, is_total).
FlowInfo = tuple[int, "str | None", bool]


def _firsts(store: GraphStore, predicate: str, *, named_only: bool = False) -> dict[str, str]:
    """``subject → first object`` of one predicate over the whole store (one scan).

    The first in scan order is the first a lookup on the subject would return (both read the
    store's indexes in object order), so answers match those of per-subject lookups.
    """
    out: dict[str, str] = {}
    for q in store.ox.quads_for_pattern(None, ox.NamedNode(predicate), None, None):
        if named_only and not isinstance(q.graph_name, ox.NamedNode):
            continue
        out.setdefault(q.subject.value, q.object.value)
    return out


def _pairs(store: GraphStore, predicate: str, obj: ox.Term | None = None) -> Iterator[tuple[str, str]]:
    """``(subject, object)`` of one predicate in the document (named) graphs."""
    for q in store.ox.quads_for_pattern(None, ox.NamedNode(predicate), obj, None):
        if isinstance(q.graph_name, ox.NamedNode):
            yield q.subject.value, q.object.value


def _text(value: str | None) -> str:
    return (value or "").casefold()


def _plain(term: ox.Term) -> bool:
    """A plain string literal (as a user's id is matched)."""
    return isinstance(term, ox.Literal) and term.datatype.value == XSD_STRING


@dataclass
class ReadIndex:
    """What the list views need, read from the store once per revision."""

    base_iri: str
    #: ``dct:identifier`` → IRI of the ``kg:Decision`` with that id (the least IRI if several).
    decision_by_key: dict[str, str] = field(default_factory=dict)
    #: ``(id, IRI)`` of every decision (IRI under ``/decision/`` with an id), sorted.
    listed: list[tuple[str, str]] = field(default_factory=list)
    #: Decision IRI → its id (least ``dct:identifier``).
    ident: dict[str, str] = field(default_factory=dict)
    #: Decision IRI → first ``dct:date``.
    date: dict[str, str] = field(default_factory=dict)
    #: Decision IRI → casefolded title, number and id, for text search.
    text: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    #: Organisation IRI → decisions naming it (``kg:namesOrganisation``).
    by_org: dict[str, set[str]] = field(default_factory=dict)
    #: Provision IRI → relation (``based_on`` / ``cites``) → ``(decision id, decision IRI)``, sorted.
    citing: dict[str, dict[str, list[tuple[str, str]]]] = field(default_factory=dict)
    #: Act IRI → provisions that are part of it (``eli:is_part_of``).
    parts: dict[str, set[str]] = field(default_factory=dict)
    #: Canonical organisations (under ``{base}org/``), sorted, and their names.
    orgs: list[str] = field(default_factory=list)
    org_name: dict[str, str] = field(default_factory=dict)
    #: Organisation IRI → labels seen in documents (``kg:surfaceForm``).
    surface: dict[str, set[str]] = field(default_factory=dict)
    #: Every ``kg:FundingFlow``, largest first: ``(-gbp, IRI)``.
    ranked: list[tuple[int, str]] = field(default_factory=list)
    #: Flow IRI → (gbp, period, is_total) for the flows in :attr:`ranked`.
    flow: dict[str, FlowInfo] = field(default_factory=dict)
    #: (funding predicate IRI, organisation IRI) → flows.
    by_party: dict[tuple[str, str], set[str]] = field(default_factory=dict)
    #: Decision IRI → its flows (``kg:hasFunding``).
    funding_of: dict[str, set[str]] = field(default_factory=dict)
    #: Seconds the build took.
    build_s: float = 0.0

    @classmethod
    def build(cls, store: GraphStore) -> ReadIndex:
        """Read the store in bulk: one scan per predicate."""
        started = time.perf_counter()
        ix = cls(store.base_iri)
        decisions = {s for s, _ in _pairs(store, RDF + "type", ox.NamedNode(KG + "Decision"))}
        decisions |= {q.subject.value for q in store.ox.quads_for_pattern(
            None, ox.NamedNode(RDF + "type"), ox.NamedNode(KG + "Decision"), ox.DefaultGraph())}
        idents: dict[str, str] = {}
        for q in store.ox.quads_for_pattern(None, ox.NamedNode(DCT + "identifier"), None, None):
            s, key = q.subject.value, q.object.value
            if s not in idents or key < idents[s]:
                idents[s] = key
            if s in decisions and _plain(q.object) and (key not in ix.decision_by_key
                                                        or s < ix.decision_by_key[key]):
                ix.decision_by_key[key] = s
        ix.ident = {s: k for s, k in idents.items() if "/decision/" in s}
        ix.listed = sorted((k, s) for s, k in ix.ident.items())
        ix.date = {s: v for s, v in _firsts(store, DCT + "date").items() if s in ix.ident}
        titles = _firsts(store, DCT + "title")
        numbers = _firsts(store, KG + "decisionNumber")
        ix.text = {s: (_text(titles.get(s)), _text(numbers.get(s)), _text(k)) for s, k in ix.ident.items()}
        for d, org in _pairs(store, KG + "namesOrganisation"):
            ix.by_org.setdefault(org, set()).add(d)
        for rel in ("based_on", "cites"):
            cited: dict[str, set[str]] = {}
            for d, prov in _pairs(store, ELI + rel):
                if "/decision/" in d:
                    cited.setdefault(prov, set()).add(d)
            for prov, ds in cited.items():
                ix.citing.setdefault(prov, {})[rel] = sorted((ix.id_of(d), d) for d in ds)
        for prov, act in _pairs(store, ELI + "is_part_of"):
            ix.parts.setdefault(act, set()).add(prov)
        prefix = store.base_iri + "org/"
        orgs = set()
        for cls_ in (ORG + "Organization", ORG + "OrganizationalUnit"):
            orgs |= {s for s, _ in _pairs(store, RDF + "type", ox.NamedNode(cls_)) if s.startswith(prefix)}
        ix.orgs = sorted(orgs)
        ix.org_name = {s: v for s, v in _firsts(store, SKOS + "prefLabel").items() if s.startswith(prefix)}
        for q in store.ox.quads_for_pattern(None, ox.NamedNode(KG + "surfaceForm"), None, None):
            ix.surface.setdefault(q.subject.value, set()).add(q.object.value)
        ix._build_funding(store)
        ix.build_s = time.perf_counter() - started
        return ix

    def _build_funding(self, store: GraphStore) -> None:
        flows = {q.subject.value for q in store.ox.quads_for_pattern(
            None, ox.NamedNode(RDF + "type"), ox.NamedNode(KG + "FundingFlow"), None)}
        amount = _firsts(store, SCHEMA + "amount")
        value = _firsts(store, SCHEMA + "value")
        total = _firsts(store, KG + "isTotal")
        period = _firsts(store, KG + "period")
        for f in flows:
            self.flow[f] = flow_info(f, amount.get, value.get, total.get, period.get)
        self.ranked = sorted((-info[0], f) for f, info in self.flow.items())
        for p in (SCHEMA + "funder", KG + "recipient", KG + "intermediary"):
            for f, org in _pairs(store, p):
                self.by_party.setdefault((p, org), set()).add(f)
        for q in store.ox.quads_for_pattern(None, ox.NamedNode(KG + "hasFunding"), None, None):
            self.funding_of.setdefault(q.subject.value, set()).add(q.object.value)

    def id_of(self, decision: str) -> str:
        """A decision's id: its least ``dct:identifier``, else its IRI's last segment."""
        return self.ident.get(decision) or decision.rsplit("/", 1)[-1]

    def flow_of(self, store: GraphStore, iri: str) -> FlowInfo:
        """(gbp, period, is_total) of a flow: from the index, else by lookups (a subject that
        is not typed ``kg:FundingFlow`` but names a party)."""
        info = self.flow.get(iri)
        if info is None:
            one = _lookup(store)
            info = flow_info(iri, lambda s: one(s, SCHEMA + "amount"), lambda s: one(s, SCHEMA + "value"),
                             lambda s: one(s, KG + "isTotal"), lambda s: one(s, KG + "period"))
        return info


def _lookup(store: GraphStore) -> Callable[[str, str], str | None]:
    def one(s: str, p: str) -> str | None:
        for q in store.ox.quads_for_pattern(ox.NamedNode(s), ox.NamedNode(p), None, None):
            return q.object.value
        return None
    return one


def flow_info(flow: str, amount, value, total, period) -> FlowInfo:
    """(whole pounds, period, is a total) of a flow from first-value getters: the amount's
    value (0 if none), the flow's period else its amount's, and the amount's ``kg:isTotal``."""
    amt = amount(flow)
    gbp = value(amt) if amt else None
    return (int(gbp) if gbp is not None else 0), (period(flow) or (period(amt) if amt else None)), \
        (total(amt) if amt else None) == "true"


def walk(ordered: Iterable, keep: Callable[[object], bool], offset: int, limit: int) -> tuple[list, bool]:
    """Items ``offset .. offset+limit`` of ``ordered`` that ``keep`` accepts, and whether more follow
    (stops reading at the first item past the page).

    >>> walk(range(10), lambda x: x % 2 == 0, 1, 2)
    ([2, 4], True)
    >>> walk(range(10), lambda x: x % 2 == 0, 3, 5)
    ([6, 8], False)
    """
    page, seen = [], 0
    for item in ordered:
        if not keep(item):
            continue
        if seen >= offset + limit:
            return page, True
        if seen >= offset:
            page.append(item)
        seen += 1
    return page, False


# ---------------------------------------------------------------------------- revisions


def store_revision(store: GraphStore) -> tuple[int, str]:
    """The number of quads and a digest of the catalog (document graphs and their hashes):
    it changes when a document graph is written or removed, or the store grows or shrinks."""
    items = sorted(store.document_graphs().items())
    return len(store), hashlib.sha256(repr(items).encode()).hexdigest()


class _Entry:
    def __init__(self, revision: Callable[[], object]):
        self.revision = revision
        self.lock = threading.Lock()
        self.cached: tuple[object, ReadIndex] | None = None


_ENTRIES: weakref.WeakKeyDictionary[GraphStore, _Entry] = weakref.WeakKeyDictionary()
_ENTRIES_LOCK = threading.Lock()


def _entry(store: GraphStore) -> _Entry:
    entry = _ENTRIES.get(store)
    if entry is None:
        with _ENTRIES_LOCK:
            entry = _ENTRIES.get(store)
            if entry is None:
                entry = _ENTRIES[store] = _Entry(lambda: store_revision(store))
    return entry


def track(store: GraphStore, revision: Callable[[], object]) -> None:
    """Use ``revision()`` (cheap and exact, such as a write counter) to tell when ``store`` changed."""
    entry = _entry(store)
    entry.revision = revision


def index_of(store: GraphStore) -> ReadIndex:
    """The :class:`ReadIndex` of ``store`` at its current revision (built now if it changed)."""
    entry = _entry(store)
    rev = entry.revision()
    cached = entry.cached
    if cached is not None and cached[0] == rev:
        return cached[1]
    with entry.lock:
        if entry.cached is None or entry.cached[0] != rev:
            entry.cached = (rev, ReadIndex.build(store))
        return entry.cached[1]

