"""Indexes kept in step with a store: built once, then updated by the graphs each write changed.

A :class:`Kept` holds one object derived from a store (the views' read index, the lineage
graph). ``build(store)`` makes it from scratch; ``update(obj, store, graphs)`` returns it as
``build`` would after the named graphs changed (their old contributions out, their new ones
in), leaving ``obj`` itself untouched for the readers still holding it.

What changed is learned from two sources:

- the store's catalog (graph → digest): a build writes or removes document graphs through it,
  so the catalog seen at the last update, compared with the present one, names them — also
  when another process wrote them, which is how an object saved beside an on-disk store is
  brought up to date after a re-build;
- the writer's own record, ``changes(revision)``: the graphs written since that revision,
  for writes that do not go through the catalog (SPARQL updates, loaded data), or None when
  the writer cannot tell — then the object is built again from scratch.

Without a ``changes`` source a revision change in the same process rebuilds (a write outside
the catalog would otherwise go unseen). An on-disk store's object is saved beside it
(:mod:`kgraph.read.saved`) with the catalog when it is built or brought up to date on
loading, and, when updated in the process since, once more as the process exits (saving
takes seconds at 100,000 decisions and would hold up the requests of a running server); a
later process loads it as it is when the data files are unchanged, else applies the catalog's
differences. A writer that changes graphs
outside the catalog must first :func:`kgraph.read.saved.discard` the saved objects (the app's
query executor does, before every write), so the catalog alone never brings an object up to
date across such a write.

>>> from kgraph.graph.store import GraphStore
>>> store, log = GraphStore.in_memory(), []
>>> kept = Kept("demo", 1, build=lambda s: frozenset(s.document_graphs()),
...             update=lambda obj, s, graphs: log.append(sorted(graphs)) or frozenset(s.document_graphs()),
...             revision=lambda: len(store), changes=lambda since: frozenset())
>>> kept.get(store)
frozenset()
>>> store.replace_document_graph("http://e/g", '<http://e/a> <http://e/p> "1" .', source="a", sha256="1")
>>> kept.held() is None
True
>>> sorted(kept.get(store)), log, kept.held() is kept.get(store)
(['http://e/g'], [['http://e/g']], True)
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import threading
import time
import weakref
from collections.abc import Callable

from kgraph.graph.store import GraphStore
from kgraph.read import saved

__all__ = ["Kept", "catalog_changes"]

#: Graph IRI → (source, digest), as :meth:`GraphStore.document_graphs` returns it.
Catalog = dict[str, tuple[str, str]]


def catalog_changes(old: Catalog, new: Catalog) -> set[str]:
    """Graphs written, added or removed between two catalogs.

    >>> sorted(catalog_changes({"a": ("x", "1"), "b": ("y", "2")}, {"a": ("x", "1"), "b": ("y", "3"), "c": ("z", "4")}))
    ['b', 'c']
    """
    changed = {g for g, entry in new.items() if old.get(g) != entry}
    changed.update(g for g in old if g not in new)
    return changed


class Kept:
    """One object derived from a store, kept at the store's present revision (see the module).

    It does not hold the store (the caller passes it to :meth:`get`), so it can live as long as
    the store without keeping it alive.

    ``revision()`` must be cheap (a write counter, a file signature); ``changes(revision)``
    names the graphs written since ``revision`` outside the catalog (None: unknown).
    ``saved_name`` / ``version`` name the copy saved beside an on-disk store. ``last`` says how
    the present object was had: ``built``, ``loaded``, ``updated`` (with ``graphs`` and
    ``seconds``).
    """

    def __init__(self, saved_name: str, version: int, *,
                 build: Callable[[GraphStore], object],
                 update: Callable[[object, GraphStore, set[str]], object],
                 revision: Callable[[], object],
                 changes: Callable[[object], frozenset[str] | None] | None = None,
                 after: Callable[[object], None] | None = None):
        self.saved_name, self.version = saved_name, version
        self._build, self._update, self._after = build, update, after
        self.revision, self.changes = revision, changes
        self._lock = threading.Lock()
        #: (revision, catalog, object) of the present object.
        self._cached: tuple[object, Catalog, object] | None = None
        self._unsaved = False
        self.last: dict = {}

    def get(self, store: GraphStore) -> object:
        """The object at the store's present revision."""
        rev = self.revision()
        cached = self._cached
        if cached is not None and cached[0] == rev:
            return cached[2]
        with self._lock:
            if self._cached is None or self._cached[0] != rev:
                first = self._cached is None
                started = time.perf_counter()
                try:
                    self._cached = self._refresh(store, rev)
                except Exception:
                    # an update that failed half-way leaves the object's inner state unknown
                    self._cached = (rev, store.document_graphs(), self._fresh(store, store.document_graphs(),
                                                                             saved.signature_of(store)))
                self.last["seconds"] = time.perf_counter() - started
                if first:
                    # long-lived and large: keep it out of the cyclic collector's scans, whose
                    # full passes would otherwise stall requests for hundreds of ms
                    gc.freeze()
                if self._after is not None:
                    self._after(self._cached[2])
            return self._cached[2]

    def held(self) -> object | None:
        """The object held, if it is at the store's present revision (None: :meth:`get` would
        build, load or update it first)."""
        cached = self._cached
        return cached[2] if cached is not None and cached[0] == self.revision() else None

    def _refresh(self, store: GraphStore, rev: object) -> tuple[object, Catalog, object]:
        signature = saved.signature_of(store)
        catalog = store.document_graphs()
        if self._cached is None:
            loaded = saved.load_any(store, self.saved_name, self.version)
            if loaded is not None:
                (old_catalog, obj), fresh = loaded
                if fresh:
                    self.last = {"how": "loaded"}
                    return rev, catalog, obj
                graphs = catalog_changes(old_catalog, catalog)
                return rev, catalog, self._apply(store, obj, graphs, catalog, signature)
            return rev, catalog, self._fresh(store, catalog, signature)
        old_rev, old_catalog, obj = self._cached
        written = self.changes(old_rev) if self.changes is not None else None
        if written is None:
            return rev, catalog, self._fresh(store, catalog, signature)
        graphs = catalog_changes(old_catalog, catalog) | set(written)
        return rev, catalog, self._apply(store, obj, graphs, catalog, signature)

    def _fresh(self, store: GraphStore, catalog: Catalog, signature: str | None) -> object:
        obj = self._build(store)
        self.last = {"how": "built"}
        saved.save(store, self.saved_name, self.version, (catalog, obj), signature)
        return obj

    def _apply(self, store: GraphStore, obj: object, graphs: set[str], catalog: Catalog,
               signature: str | None) -> object:
        if graphs:
            obj = self._update(obj, store, graphs)
            if self._cached is None:  # brought up to date on loading
                saved.save(store, self.saved_name, self.version, (catalog, obj), signature)
            elif store.path is not None and not self._unsaved:
                self._unsaved = True
                atexit.register(self._save_at_exit, weakref.ref(store))
        self.last = {"how": "updated", "graphs": len(graphs)}
        return obj

    def _save_at_exit(self, ref: weakref.ref) -> None:
        store = ref()
        cached = self._cached
        if store is None or cached is None or not self._unsaved:
            return
        with contextlib.suppress(Exception):  # best effort: never fail an exiting process
            if self.revision() != cached[0]:
                # writes since the last request: apply them if they are known (cheap), else
                # leave the saved copy out (a rebuild would hold the exit up for minutes)
                if self.changes is None or self.changes(cached[0]) is None:
                    return
                self.get(store)
                cached = self._cached
            store.flush()
            saved.save(store, self.saved_name, self.version, (cached[1], cached[2]), saved.signature_of(store))
            self._unsaved = False
