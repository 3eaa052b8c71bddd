"""In-memory indexes for the list and aggregate views, kept in step with the store.

A :class:`ReadIndex` is read from the store in bulk (one SPARQL SELECT per kind of fact,
deduplicated in the store) and answers what would otherwise scan the graph on every request:
decisions by id, organisation, legislation, date and text, with their summaries;
organisations with names, kinds and surface forms; funding flows ranked by amount, by party
and by decision, with everything a list shows. A list page then reads nothing from the store.

:func:`index_of` keeps one index per store and rebuilds it when the store's revision
changes: the query executor's write generation where the app registered it with
:func:`track`, else the signature of an on-disk store's data files
(:func:`kgraph.read.saved.files_signature`)
or, in memory, :func:`store_revision`. An on-disk store's index is also saved beside it
(``<store>.read-index``) with the signature of the store's data files, and loaded instead of
rebuilt by the next process that opens the unchanged store.

>>> from kgraph.graph.store import GraphStore
>>> from kgraph.read.common import DCT, RDF
>>> store = GraphStore.in_memory()
>>> d = "https://w3id.org/kgraph/id/council/kent-county-council/decision/19-00076"
>>> store.replace_graph("https://w3id.org/kgraph/id/document/abc",
...     f'<{d}> <{RDF}type> <{KG}Decision> ; <{DCT}identifier> "19-00076" ; <{DCT}title> "Care" .')
>>> index = index_of(store)
>>> index.decision_by_key["19-00076"] == d, index.summary[d]
(True, ('19-00076', None, 'Care', None, None))
>>> index_of(store) is index
True
"""

from __future__ import annotations

import hashlib
import threading
import time
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from kgraph.graph.store import GraphStore
from kgraph.query.select import DEFAULT_PREFIXES
from kgraph.read import saved
from kgraph.read.common import KG, SCHEMA, XSD_STRING

__all__ = ["ReadIndex", "index_of", "track", "store_revision", "walk", "FlowRecord", "Summary"]

#: Version of the saved index layout (a saved index of another version is rebuilt).
FORMAT = 2

#: A decision's summary: (id, number, title, date, status) — least of each, ``taken`` if ever taken.
Summary = tuple[str, "str | None", "str | None", "str | None", "str | None"]


@dataclass(frozen=True, slots=True)
class FlowRecord:
    """What a list shows of one funding flow (see :func:`kgraph.read.funding.funding_flow`)."""

    gbp: int
    period: str | None
    is_total: bool
    document: str | None
    text: str | None
    table_row: str | None
    funder: str | None
    recipient: str | None
    intermediary: str | None
    purpose: str | None
    decision: str | None
    evidence: tuple[str, int, int, str | None] | None


def _select(store: GraphStore, sparql: str, **subs: ox.Term) -> Iterable[tuple]:
    """Rows of a fixed query as tuples of term values (None when unbound)."""
    solutions = store.query(sparql, prefixes=DEFAULT_PREFIXES,
                            substitutions={ox.Variable(k): v for k, v in subs.items()})
    for row in solutions:
        yield tuple(None if t is None else t.value for t in row)


def _least(table: dict, key, value) -> None:
    if value is not None and (key not in table or value < table[key]):
        table[key] = value


_DECISION = 'FILTER(CONTAINS(STR(?d), "/decision/"))'


@dataclass
class ReadIndex:
    """What the list views need, read from the store once per revision."""

    base_iri: str
    #: ``dct:identifier`` (plain literal) → IRI of the ``kg:Decision`` with that id (least IRI).
    decision_by_key: dict[str, str] = field(default_factory=dict)
    #: ``(id, IRI)`` of every decision (IRI under ``/decision/`` with an id), sorted.
    listed: list[tuple[str, str]] = field(default_factory=list)
    #: Decision IRI → :data:`Summary`.
    summary: dict[str, Summary] = field(default_factory=dict)
    #: Decision IRI → casefolded title, number and id joined by NUL, for text search.
    text: dict[str, str] = field(default_factory=dict)
    #: Organisation IRI → decisions naming it (``kg:namesOrganisation``).
    by_org: dict[str, set[str]] = field(default_factory=dict)
    #: Provision IRI → relation (``based_on`` / ``cites``) → ``(decision id, decision IRI)``, sorted.
    citing: dict[str, dict[str, list[tuple[str, str]]]] = field(default_factory=dict)
    #: Act IRI → provisions that are part of it (``eli:is_part_of``).
    parts: dict[str, set[str]] = field(default_factory=dict)
    #: Canonical organisations (under ``{base}org/``), sorted; names (any organisation) and kinds.
    orgs: list[str] = field(default_factory=list)
    org_name: dict[str, str] = field(default_factory=dict)
    org_kind: dict[str, str] = field(default_factory=dict)
    #: Organisation IRI → labels seen in documents (``kg:surfaceForm``).
    surface: dict[str, set[str]] = field(default_factory=dict)
    #: Every ``kg:FundingFlow``, largest first: ``(-gbp, IRI)``, and what a list shows of each.
    ranked: list[tuple[int, str]] = field(default_factory=list)
    flows: dict[str, FlowRecord] = field(default_factory=dict)
    #: (funding predicate IRI, organisation IRI) → flows.
    by_party: dict[tuple[str, str], set[str]] = field(default_factory=dict)
    #: Decision IRI → its flows (``kg:hasFunding``).
    funding_of: dict[str, set[str]] = field(default_factory=dict)
    #: Seconds the build (or load) took.
    build_s: float = 0.0
    #: Answers derived from the index and kept with it (bounded; see :meth:`remember`).
    memo: dict = field(default_factory=dict, repr=False)

    #: Most derived answers :meth:`remember` keeps.
    MEMO_MAX = 64

    def remember(self, key, compute: Callable[[], object]) -> object:
        """``compute()``, kept under ``key`` for the life of this index (the oldest of more than
        :attr:`MEMO_MAX` dropped)."""
        if key not in self.memo:
            value = compute()
            if len(self.memo) >= self.MEMO_MAX:
                self.memo.pop(next(iter(self.memo)), None)
            self.memo[key] = value
        return self.memo[key]

    def id_of(self, decision: str) -> str:
        """A decision's id: its least ``dct:identifier``, else its IRI's last segment."""
        s = self.summary.get(decision)
        return s[0] if s else decision.rsplit("/", 1)[-1]

    # ------------------------------------------------------------------ build

    @classmethod
    def build(cls, store: GraphStore) -> ReadIndex:
        """Read the store in bulk: one SELECT per kind of fact."""
        started = time.perf_counter()
        ix = cls(store.base_iri)
        ix._decisions(store)
        ix._citations(store)
        ix._organisations(store)
        ix._funding(store)
        ix.build_s = time.perf_counter() - started
        return ix

    def _decisions(self, store: GraphStore) -> None:
        typed = {d for (d,) in _select(store, "SELECT DISTINCT ?d WHERE { ?d a kg:Decision }")}
        keys: dict[str, str] = {}
        for row in store.query("SELECT ?d ?k WHERE { ?d dct:identifier ?k }", prefixes=DEFAULT_PREFIXES):
            d, k = row["d"].value, row["k"]
            if "/decision/" in d:
                _least(keys, d, k.value)
            if d in typed and isinstance(k, ox.Literal) and k.datatype.value == XSD_STRING:
                cur = self.decision_by_key.get(k.value)
                if cur is None or d < cur:
                    self.decision_by_key[k.value] = d
        fields: dict[str, dict[str, str]] = {}
        for name, p in (("number", "kg:decisionNumber"), ("title", "dct:title"), ("date", "dct:date")):
            table = fields[name] = {}
            for d, v in _select(store, f"SELECT DISTINCT ?d ?v WHERE {{ ?d {p} ?v {_DECISION} }}"):
                _least(table, d, v)
        statuses: dict[str, set[str]] = {}
        for d, v in _select(store, f"SELECT DISTINCT ?d ?v WHERE {{ ?d kg:status ?v {_DECISION} }}"):
            statuses.setdefault(d, set()).add(v)
        for d, key in keys.items():
            st = statuses.get(d, set())
            number, title = fields["number"].get(d), fields["title"].get(d)
            self.summary[d] = (key, number, title, fields["date"].get(d),
                               "taken" if "taken" in st else (min(st) if st else None))
            self.text[d] = "\x00".join(x.casefold() for x in (title or "", number or "", key))
        self.listed = sorted((k, d) for d, k in keys.items())
        for d, org in _select(store, "SELECT DISTINCT ?d ?o WHERE { GRAPH ?g { ?d kg:namesOrganisation ?o } }"):
            self.by_org.setdefault(org, set()).add(d)

    def _citations(self, store: GraphStore) -> None:
        for rel in ("based_on", "cites"):
            cited: dict[str, set[str]] = {}
            for d, prov in _select(store, f"SELECT DISTINCT ?d ?p WHERE {{ GRAPH ?g {{ ?d eli:{rel} ?p }} {_DECISION} }}"):
                cited.setdefault(prov, set()).add(d)
            for prov, ds in cited.items():
                self.citing.setdefault(prov, {})[rel] = sorted((self.id_of(d), d) for d in ds)
        for prov, act in _select(store, "SELECT DISTINCT ?p ?a WHERE { GRAPH ?g { ?p eli:is_part_of ?a } }"):
            self.parts.setdefault(act, set()).add(prov)

    def _organisations(self, store: GraphStore) -> None:
        prefix = store.base_iri + "org/"
        self.orgs = sorted(o for (o,) in _select(store, """SELECT DISTINCT ?o WHERE { GRAPH ?g { ?o a ?c }
            VALUES ?c { org:Organization org:OrganizationalUnit } }""") if o.startswith(prefix))
        for o, label in _select(store, "SELECT DISTINCT ?o ?l WHERE { ?o kg:surfaceForm ?l }"):
            self.surface.setdefault(o, set()).add(label)
        for o in self.orgs:
            self.name_of(store, o)
            kind = _first(store, o, KG + "orgKind")
            if kind is not None:
                self.org_kind[o] = kind

    def name_of(self, store: GraphStore, org: str) -> str | None:
        """An organisation's name (first ``skos:prefLabel``), remembered."""
        if org not in self.org_name:
            self.org_name[org] = _first(store, org, "http://www.w3.org/2004/02/skos/core#prefLabel")
        return self.org_name[org]

    def _funding(self, store: GraphStore) -> None:
        rows: dict[str, tuple] = {}
        for row in _select(store, """SELECT ?f ?g ?gbp ?total ?fperiod ?aperiod ?text ?row ?purpose WHERE {
              ?f a kg:FundingFlow .
              GRAPH ?g { ?f schema:amount ?amt }
              OPTIONAL { ?amt schema:value ?gbp } OPTIONAL { ?amt kg:isTotal ?total }
              OPTIONAL { ?f kg:period ?fperiod } OPTIONAL { ?amt kg:period ?aperiod }
              OPTIONAL { ?amt kg:surfaceText ?text } OPTIONAL { ?amt kg:tableRow ?row }
              OPTIONAL { ?f kg:purpose ?purpose } }"""):
            rows.setdefault(row[0], row[1:])
        evidence: dict[str, tuple] = {}
        for f, g, exact, start, end in _select(store, """SELECT ?f ?g ?exact ?start ?end WHERE {
              ?f a kg:FundingFlow . GRAPH ?g { ?f kg:evidence ?ev .
              ?ev oa:hasSelector ?qs , ?ps . ?qs oa:exact ?exact . ?ps oa:start ?start ; oa:end ?end . } }"""):
            evidence.setdefault(f, (g.rsplit("/", 1)[-1], int(start), int(end), exact))
        parties: dict[str, dict[str, str]] = {}
        for p in (SCHEMA + "funder", KG + "recipient", KG + "intermediary"):
            table = parties[p] = {}
            for f, org in _select(store, f"SELECT DISTINCT ?f ?o WHERE {{ GRAPH ?g {{ ?f <{p}> ?o }} }}"):
                self.by_party.setdefault((p, org), set()).add(f)
                _least(table, f, org)
        decision_of: dict[str, str] = {}
        for d, f in _select(store, "SELECT DISTINCT ?d ?f WHERE { GRAPH ?g { ?d kg:hasFunding ?f } }"):
            self.funding_of.setdefault(d, set()).add(f)
            _least(decision_of, f, d)
        for f, (g, gbp, total, fperiod, aperiod, text, row, purpose) in rows.items():
            d = decision_of.get(f)
            self.flows[f] = FlowRecord(
                int(gbp) if gbp is not None else 0, fperiod or aperiod, total == "true", g.rsplit("/", 1)[-1],
                text, row, parties[SCHEMA + "funder"].get(f), parties[KG + "recipient"].get(f),
                parties[KG + "intermediary"].get(f), purpose,
                (_first(store, d, "http://purl.org/dc/terms/identifier") if d not in self.summary
                 else self.summary[d][0]) if d else None,
                evidence.get(f))
        self.ranked = sorted((-r.gbp, f) for f, r in self.flows.items())
        for table in parties.values():
            for org in set(table.values()):
                self.name_of(store, org)

    def flow_of(self, store: GraphStore, iri: str) -> tuple[int, str | None, bool]:
        """(gbp, period, is_total) of a flow: from the index, else by lookups (a subject that
        is not a ``kg:FundingFlow`` but names a party)."""
        rec = self.flows.get(iri)
        if rec is not None:
            return rec.gbp, rec.period, rec.is_total
        amt = _first(store, iri, SCHEMA + "amount")
        gbp = _first(store, amt, SCHEMA + "value") if amt else None
        period = _first(store, iri, KG + "period") or (_first(store, amt, KG + "period") if amt else None)
        total = _first(store, amt, KG + "isTotal") if amt else None
        return (int(gbp) if gbp is not None else 0), period, total == "true"


def _first(store: GraphStore, s: str, p: str) -> str | None:
    for q in store.ox.quads_for_pattern(ox.NamedNode(s), ox.NamedNode(p), None, None):
        return q.object.value
    return None


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


def default_revision(store: GraphStore) -> object:
    """Data-file signature of an on-disk store (cheap), :func:`store_revision` in memory."""
    return (saved.signature_of(store) if store.path is not None else None) or store_revision(store)


class _Entry:
    def __init__(self):
        #: The revision registered with :func:`track` (None: :func:`default_revision`). It must
        #: not hold the store: entries live as long as their store.
        self.revision: Callable[[], object] | None = None
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
                entry = _ENTRIES[store] = _Entry()
    return entry


def track(store: GraphStore, revision: Callable[[], object]) -> None:
    """Use ``revision()`` (cheap and exact, such as a write counter; it must not hold the store)
    to tell when ``store`` changed."""
    _entry(store).revision = revision


def index_of(store: GraphStore) -> ReadIndex:
    """The :class:`ReadIndex` of ``store`` at its current revision: the one in memory, else the
    one saved beside the store if its data files are unchanged, else built now (and saved)."""
    entry = _entry(store)
    rev = entry.revision() if entry.revision is not None else default_revision(store)
    cached = entry.cached
    if cached is not None and cached[0] == rev:
        return cached[1]
    with entry.lock:
        if entry.cached is None or entry.cached[0] != rev:
            started = time.perf_counter()
            index = saved.load(store, "read-index", FORMAT) if entry.cached is None else None
            if isinstance(index, ReadIndex):
                index.build_s = time.perf_counter() - started
            else:
                signature = saved.signature_of(store)
                index = ReadIndex.build(store)
                saved.save(store, "read-index", FORMAT, index, signature)
            entry.cached = (rev, index)
        return entry.cached[1]
