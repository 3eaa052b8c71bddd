"""In-memory indexes for the list and aggregate views, kept in step with the store.

A :class:`ReadIndex` answers what would otherwise scan the graph on every request: decisions
by id, organisation, legislation, date and text, with their summaries; organisations with
names, kinds and surface forms; funding flows ranked by amount, by party and by decision, with
everything a list shows. A list page then reads nothing from the store.

It is a function of what each named graph holds (:mod:`kgraph.read.parts`): the index keeps
every graph's part and the multisets of facts they add up to, so after a write that changed
some graphs :meth:`ReadIndex.updated` takes their old parts out, reads their new parts, and
derives again only the entries those facts touch (a decision's summary, a provision's citing
list, a flow's record, ...). A fresh :meth:`ReadIndex.build` is the same update applied to an
empty index with every graph's part. Where several graphs give one entry different values
the least value is kept, whatever order the graphs were read in. (The module is kept whole,
over 400 lines: each table's derivation and the facts that can change it must change together.)

:func:`index_of` keeps one index per store (:class:`kgraph.read.keeper.Kept`): at the store's
revision — the query executor's write generation where the app registered it with
:func:`track`, else the signature of an on-disk store's data files or, in memory,
:func:`store_revision` — and updated by the graphs written since (from the store's catalog
and the writer's own record), saved beside an on-disk store (``<store>.read-index``).

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
>>> store.replace_graph("https://w3id.org/kgraph/id/document/abc", f'<{d}> <{DCT}title> "Care at home" .')
>>> later = index.updated(store, {"https://w3id.org/kgraph/id/document/abc"})
>>> later.summary, index.summary[d][2]
({}, 'Care')
"""

from __future__ import annotations

import bisect
import contextlib
import copy
import gc
import hashlib
import threading
import time
import weakref
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox

from kgraph.graph.store import GraphStore
from kgraph.read import saved
from kgraph.read.common import KG, SCHEMA
from kgraph.read.keeper import Kept
from kgraph.read.parts import Part, read_parts
from kgraph.read.search import Search

__all__ = ["ReadIndex", "index_of", "held_index", "track", "store_revision", "walk", "FlowRecord", "Summary"]

#: Version of the saved index layout (a saved index of another version is rebuilt).
FORMAT = 4

#: A decision's summary: (id, number, title, date, status) — least of each, ``taken`` if ever taken.
Summary = tuple[str, "str | None", "str | None", "str | None", "str | None"]

#: More changed entries than this re-sort a ranked list instead of moving each entry.
RESORT_AT = 2_000

_PARTIES = {"funder": SCHEMA + "funder", "recipient": KG + "recipient", "intermediary": KG + "intermediary"}


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


class _Bag:
    """A multiset of ``(key, value)`` facts: key → value → how many graphs hold it.

    >>> b = _Bag(); b.add("d", "x", 1); b.add("d", "a", 1); b.add("d", "a", -1)
    >>> b.least("d"), list(b.values("d")), b.least("e")
    ('x', ['x'], None)
    """

    __slots__ = ("m",)

    def __init__(self):
        self.m: dict = {}

    def add(self, key, value, n: int) -> None:
        counts = self.m.get(key)
        if counts is None:
            counts = self.m[key] = {}
        k = counts.get(value, 0) + n
        if k > 0:
            counts[value] = k
        else:
            counts.pop(value, None)
            if not counts:
                del self.m[key]

    def add_all(self, pairs: Iterable[tuple], n: int) -> None:
        """:meth:`add` of every ``(key, value)`` of ``pairs``."""
        if n <= 0:
            for key, value in pairs:
                self.add(key, value, n)
            return
        m = self.m
        for key, value in pairs:
            counts = m.get(key)
            if counts is None:
                m[key] = {value: n}
            else:
                counts[value] = counts.get(value, 0) + n

    def values(self, key) -> Iterable:
        return self.m.get(key, {}).keys()

    def least(self, key):
        counts = self.m.get(key)
        return min(counts) if counts else None

    def __contains__(self, key) -> bool:
        return key in self.m


_BAGS = ("typed", "ident", "by_key", "number", "title", "date", "status", "names", "based_on", "cites",
         "cites_of", "part_of", "orgs", "surface", "label", "orgkind", "flow", "amount", "amount_of",
         "value", "total", "period", "text", "row", "purpose", "funder", "recipient", "intermediary",
         "party", "funding_of", "decision_of", "evidence")


def _touched() -> dict[str, set]:
    return {k: set() for k in ("d", "k", "typed", "ident", "names", "prov", "act", "org", "label",
                               "surface", "f", "amt", "party", "funding")}


@dataclass
class ReadIndex:
    """What the list views need, kept per store revision."""

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
    #: Canonical organisations (under ``{base}org/``), sorted; names (organisations and funding
    #: parties; None for an organisation without one) and kinds.
    orgs: list[str] = field(default_factory=list)
    org_name: dict[str, str | None] = field(default_factory=dict)
    org_kind: dict[str, str] = field(default_factory=dict)
    #: Organisation IRI → labels seen in documents (``kg:surfaceForm``).
    surface: dict[str, set[str]] = field(default_factory=dict)
    #: Every ``kg:FundingFlow`` with an amount, largest first: ``(-gbp, IRI)``, and what a list shows of each.
    ranked: list[tuple[int, str]] = field(default_factory=list)
    flows: dict[str, FlowRecord] = field(default_factory=dict)
    #: (funding predicate IRI, organisation IRI) → flows.
    by_party: dict[tuple[str, str], set[str]] = field(default_factory=dict)
    #: Decision IRI → its flows (``kg:hasFunding``).
    funding_of: dict[str, set[str]] = field(default_factory=dict)
    #: Text and date lookups over :attr:`listed` (derived at every build and update).
    search: Search | None = field(default=None, repr=False)
    #: Seconds the last build or update took.
    build_s: float = 0.0
    #: Answers derived from the index and kept with it (bounded; see :meth:`remember`).
    memo: dict = field(default_factory=dict, repr=False)
    #: Every graph's part and the multisets of facts they add up to.
    graph_parts: dict[str, Part] = field(default_factory=dict, repr=False)
    bags: dict[str, _Bag] = field(default_factory=lambda: {k: _Bag() for k in _BAGS}, repr=False)

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

    def views(self) -> dict:
        """The tables the views read (what equal indexes agree on)."""
        return {k: getattr(self, k) for k in ("decision_by_key", "listed", "summary", "text", "by_org", "citing",
                                              "parts", "orgs", "org_name", "org_kind", "surface", "ranked",
                                              "flows", "by_party", "funding_of")}

    # ------------------------------------------------------------------ build and update

    @classmethod
    def build(cls, store: GraphStore) -> ReadIndex:
        """From every graph of the store."""
        started = time.perf_counter()
        with _collector_paused():
            ix = cls(store.base_iri)._apply(read_parts(store), bulk=True)
        ix.build_s = time.perf_counter() - started
        return ix

    def updated(self, store: GraphStore, graphs: Iterable[str]) -> ReadIndex:
        """The index after ``graphs`` changed: a new index (this one is left as it was for the
        readers holding it, but must not be updated again)."""
        started = time.perf_counter()
        new = copy.copy(self)
        for name, value in self.views().items():
            setattr(new, name, copy.copy(value))
        new.memo = {}
        graphs = set(graphs)
        with _collector_paused():
            new._apply(read_parts(store, graphs), bulk=len(graphs) > RESORT_AT)
        new.build_s = time.perf_counter() - started
        return new

    def _apply(self, parts: dict[str, Part], bulk: bool) -> ReadIndex:
        touched = _touched()
        for g, part in parts.items():
            old = self.graph_parts.pop(g, None)
            if old:
                self._feed(old, -1, g, touched)
            if part:
                self._feed(part, 1, g, touched)
                self.graph_parts[g] = part
        self._derive(touched, bulk)
        summary = self.summary
        self.search = Search.of(self.listed, self.text, lambda d: summary[d][3])
        return self

    def _feed(self, part: Part, n: int, g: str, t: dict[str, set]) -> None:
        b = self.bags
        empty: list[tuple] = []
        rows = part.get("typed", empty)
        b["typed"].add_all(((d, True) for d, in rows), n)
        t["typed"].update(d for d, in rows)
        rows = part.get("ident", empty)
        b["ident"].add_all(((d, (k, plain)) for d, k, plain in rows), n)
        t["ident"].update(d for d, _, _ in rows)
        b["by_key"].add_all(((k, d) for d, k, plain in rows if plain), n)
        t["k"].update(k for _, k, plain in rows if plain)
        for kind in ("number", "title", "date", "status"):
            rows = part.get(kind, empty)
            b[kind].add_all(rows, n)
            t["d"].update(d for d, _ in rows)
        rows = part.get("names", empty)
        b["names"].add_all(((o, d) for d, o in rows), n)
        t["names"].update(o for _, o in rows)
        for rel in ("based_on", "cites"):
            rows = part.get(rel, empty)
            b[rel].add_all(((p, d) for d, p in rows), n)
            b["cites_of"].add_all(rows, n)
            t["prov"].update(p for _, p in rows)
        rows = part.get("part_of", empty)
        b["part_of"].add_all(((a, p) for p, a in rows), n)
        t["act"].update(a for _, a in rows)
        for kind in ("orgtype", "unittype"):
            rows = part.get(kind, empty)
            b["orgs"].add_all(((o, kind) for o, in rows), n)
            t["org"].update(o for o, in rows)
        rows = part.get("orgkind", empty)
        b["orgkind"].add_all(rows, n)
        t["org"].update(o for o, _ in rows)
        rows = part.get("surface", empty)
        b["surface"].add_all(rows, n)
        t["surface"].update(o for o, _ in rows)
        rows = part.get("label", empty)
        b["label"].add_all(rows, n)
        t["label"].update(x for x, _ in rows)
        rows = part.get("flowtype", empty)
        b["flow"].add_all(((f, True) for f, in rows), n)
        t["f"].update(f for f, in rows)
        rows = part.get("amount", empty)
        b["amount"].add_all(((f, (g, amt)) for f, amt in rows), n)
        b["amount_of"].add_all(((amt, f) for f, amt in rows), n)
        t["f"].update(f for f, _ in rows)
        for kind in ("value", "total", "period", "text", "row", "purpose"):
            rows = part.get(kind, empty)
            b[kind].add_all(rows, n)
            t["amt"].update(x for x, _ in rows)
        for kind, p in _PARTIES.items():
            rows = part.get(kind, empty)
            b[kind].add_all(rows, n)
            b["party"].add_all((((p, o), f) for f, o in rows), n)
            t["f"].update(f for f, _ in rows)
            t["party"].update((p, o) for _, o in rows)
        rows = part.get("has_funding", empty)
        b["funding_of"].add_all(rows, n)
        b["decision_of"].add_all(((f, d) for d, f in rows), n)
        t["funding"].update(d for d, _ in rows)
        t["f"].update(f for _, f in rows)
        rows = part.get("evidence", empty)
        b["evidence"].add_all(((f, tuple(ev)) for f, *ev in rows), n)
        t["f"].update(f for f, *_ in rows)

    # ------------------------------------------------------------------ derived tables

    def _derive(self, t: dict[str, set], bulk: bool) -> None:
        b = self.bags
        for d in t["typed"]:
            t["k"].update(k for k, plain in b["ident"].values(d) if plain)
        for k in t["k"]:
            ds = [d for d in b["by_key"].values(k) if d in b["typed"]]
            _put(self.decision_by_key, k, min(ds) if ds else None)
        decisions = {d for d in t["d"] | t["ident"] if "/decision/" in d}
        moved = [self._summarise(d) for d in decisions]
        _rerank(self.listed, moved, bulk)
        provs = set(t["prov"])
        for d in decisions:
            provs.update(b["cites_of"].values(d))
        for p in provs:
            rels = {}
            for rel in ("based_on", "cites"):
                ds = b[rel].values(p)
                if ds:
                    rels[rel] = sorted((self.id_of(d), d) for d in ds)
            _put(self.citing, p, rels or None)
        for a in t["act"]:
            _put(self.parts, a, set(b["part_of"].values(a)) or None)
        for o in t["names"]:
            _put(self.by_org, o, set(b["names"].values(o)) or None)
        prefix = self.base_iri + "org/"
        if any(o.startswith(prefix) for o in t["org"]):
            self.orgs = sorted(o for o in b["orgs"].m if o.startswith(prefix))
        for o in t["org"]:
            canonical = o in b["orgs"] and o.startswith(prefix)
            _put(self.org_kind, o, b["orgkind"].least(o) if canonical else None)
            t["label"].add(o)
        for o in t["surface"]:
            _put(self.surface, o, set(b["surface"].values(o)) or None)
        flows = set(t["f"])
        for s in t["amt"]:
            flows.add(s)
            flows.update(b["amount_of"].values(s))
        for d in t["ident"] | decisions:
            flows.update(b["funding_of"].values(d))
        moved = [self._record(f) for f in flows]
        _rerank(self.ranked, [m for m in moved if m is not None], bulk)
        for key in t["party"]:
            _put(self.by_party, key, set(b["party"].values(key)) or None)
        for d in t["funding"]:
            _put(self.funding_of, d, set(b["funding_of"].values(d)) or None)
        for f in flows:
            rec = self.flows.get(f)
            if rec is not None:
                t["label"].update(x for x in (rec.funder, rec.recipient, rec.intermediary) if x)
        for x in t["label"]:
            name = b["label"].least(x)
            keep = name is not None or (x in b["orgs"] and x.startswith(prefix)) or self._is_party(x)
            _put(self.org_name, x, name, keep=keep)

    def _is_party(self, x: str) -> bool:
        return any((p, x) in self.bags["party"] for p in _PARTIES.values())

    def _summarise(self, d: str) -> tuple[tuple | None, tuple | None]:
        """Derive one decision's summary and text; the (old, new) entries of :attr:`listed`."""
        b = self.bags
        old = self.summary.get(d)
        key = min((k for k, _ in b["ident"].values(d)), default=None)
        if key is None:
            self.summary.pop(d, None)
            self.text.pop(d, None)
            return ((old[0], d) if old else None, None)
        st = b["status"].values(d)
        number, title = b["number"].least(d), b["title"].least(d)
        self.summary[d] = (key, number, title, b["date"].least(d),
                           "taken" if "taken" in st else (min(st) if st else None))
        self.text[d] = "\x00".join(x.casefold() for x in (title or "", number or "", key))
        return ((old[0], d) if old else None, (key, d))

    def _record(self, f: str) -> tuple[tuple | None, tuple | None] | None:
        """Derive one flow's record; the (old, new) entries of :attr:`ranked`."""
        b = self.bags
        old = self.flows.get(f)
        old_rank = (-old.gbp, f) if old is not None else None
        amounts = b["amount"].values(f)
        if f not in b["flow"] or not amounts:
            if old is None:
                return None
            del self.flows[f]
            return (old_rank, None)
        g, amt = min(amounts)
        gbp = b["value"].least(amt)
        d = b["decision_of"].least(f)
        decision = None
        if d is not None:
            decision = self.summary[d][0] if d in self.summary else min(
                (k for k, _ in b["ident"].values(d)), default=None)
        rec = FlowRecord(
            int(gbp) if gbp is not None else 0, b["period"].least(f) or b["period"].least(amt),
            b["total"].least(amt) == "true", g.rsplit("/", 1)[-1], b["text"].least(amt), b["row"].least(amt),
            b["funder"].least(f), b["recipient"].least(f), b["intermediary"].least(f), b["purpose"].least(f),
            decision, b["evidence"].least(f))
        self.flows[f] = rec
        return (old_rank, (-rec.gbp, f))

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


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """No cyclic garbage collection in the block: a build makes millions of small tuples and
    no cycles, and the collector's full passes over them would take much of its time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _put(table: dict, key, value, keep: bool | None = None) -> None:
    """Set ``table[key]`` to ``value``, or drop the key when the value is None (unless ``keep``)."""
    if value is not None or keep:
        table[key] = value
    else:
        table.pop(key, None)


def _rerank(ordered: list, moves: list[tuple[tuple | None, tuple | None]], bulk: bool) -> None:
    """Apply (old entry, new entry) moves to a sorted list: each by bisection, or all at once
    (``bulk``) by re-sorting.

    >>> xs = [(1, "a"), (3, "c")]
    >>> _rerank(xs, [((3, "c"), (0, "c")), (None, (2, "b"))], False); xs
    [(0, 'c'), (1, 'a'), (2, 'b')]
    """
    if bulk or len(moves) > RESORT_AT:
        gone = {old for old, new in moves if old is not None and old != new}
        kept = [x for x in ordered if x not in gone] if gone else ordered
        have = set(kept)
        kept.extend(new for old, new in moves if new is not None and new not in have)
        kept.sort()
        ordered[:] = kept
        return
    for old, new in moves:
        if old == new:
            continue
        if old is not None:
            i = bisect.bisect_left(ordered, old)
            if i < len(ordered) and ordered[i] == old:
                del ordered[i]
        if new is not None:
            bisect.insort(ordered, new)


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
        #: The revision and change record registered with :func:`track` (None: the store's
        #: :func:`default_revision`, and a rebuild at every change). They must not hold the
        #: store: entries live as long as their store.
        self.revision: Callable[[], object] | None = None
        self.changes: Callable[[object], frozenset[str] | None] | None = None
        self.kept: Kept | None = None


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


def track(store: GraphStore, revision: Callable[[], object],
          changes: Callable[[object], frozenset[str] | None] | None = None) -> None:
    """Use ``revision()`` (cheap and exact, such as a write counter; it must not hold the store)
    to tell when ``store`` changed, and ``changes(revision)`` (the graphs written since then,
    None if unknown) to update the index by those graphs instead of building it again."""
    entry = _entry(store)
    entry.revision, entry.changes, entry.kept = revision, changes, None


def _updated(index: object, store: GraphStore, graphs: set[str]) -> ReadIndex:
    assert isinstance(index, ReadIndex)
    return index.updated(store, graphs)


def index_of(store: GraphStore) -> ReadIndex:
    """The :class:`ReadIndex` of ``store`` at its current revision: the one in memory (updated
    by the graphs written since), else the one saved beside the store (brought up to date by
    the catalog), else built now (and saved)."""
    entry = _entry(store)
    kept = entry.kept
    if kept is None:
        with _ENTRIES_LOCK:
            if entry.kept is None:
                ref = weakref.ref(store)
                revision = entry.revision or (lambda: default_revision(ref()))
                entry.kept = Kept("read-index", FORMAT, build=ReadIndex.build, update=_updated,
                                  revision=revision, changes=entry.changes)
            kept = entry.kept
    index = kept.get(store)
    assert isinstance(index, ReadIndex)
    return index


def held_index(store: GraphStore) -> ReadIndex | None:
    """The :class:`ReadIndex` of ``store`` if one is held at its present revision, else None
    (where :func:`index_of` would first build, load or update one)."""
    kept = _entry(store).kept
    index = kept.held() if kept is not None else None
    assert index is None or isinstance(index, ReadIndex)
    return index
