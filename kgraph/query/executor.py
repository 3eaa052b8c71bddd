"""A pool of killable worker processes that answer SPARQL queries and apply updates.

The pool's bookkeeping (idle workers, time limits, replacing a dead worker, the update
process and the write generation) is one state machine, kept in one module.

A :class:`QueryExecutor` keeps ``workers`` processes (:mod:`kgraph.query.workers`), each
with a read-only handle on the on-disk store (or a copy of an in-memory one). A query goes
to an idle worker, which parses and checks it (:mod:`kgraph.query.analysis`), runs it, stops
after ``row_cap`` rows and serialises the result (:mod:`kgraph.query.results`). When no
answer comes within ``timeout_s`` the worker is killed, so the query really stops, and a
fresh one takes its place; a worker that dies (a crash, ``kill -9``) is replaced the same way.

Writes go through :meth:`QueryExecutor.exclusive`: it waits for the workers to be idle, has
them close their handles, lets the caller write, then reloads every worker so the next query
sees the new data. :meth:`QueryExecutor.update` applies a client's SPARQL Update in a
separate killable process under ``update_timeout_s`` while the workers go on answering
(the server's own writable handle is swapped for a read-only one meanwhile); an update that
is stopped never commits, one that is applied is followed by a reload.

>>> from kgraph.graph.store import GraphStore
>>> store = GraphStore.in_memory()
>>> with QueryExecutor.for_store(store, workers=1) as ex:
...     _ = ex.update(store, 'INSERT DATA { GRAPH <http://ex/g> { <http://ex/a> <http://ex/p> "1" } }')
...     ex.run("SELECT ?o WHERE { ?s ?p ?o }", "text/csv").body
b'o\\r\\n1\\r\\n'
"""

from __future__ import annotations

import collections
import contextlib
import gc
import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kgraph.errors import QueryError
from kgraph.query.analysis import QueryInfo, check_update, precheck
from kgraph.query.results import (
    PREFIXES,
    RDF_MEDIA_TYPES,
    RESULT_MEDIA_TYPES,
    QueryResult,
    TermRows,
    serialize_solutions,
    serialize_triples,
)
from kgraph.query.workers import WorkerProcess, open_source

if TYPE_CHECKING:
    from kgraph.graph.store import GraphStore

__all__ = [
    "PREFIXES",
    "RDF_MEDIA_TYPES",
    "RESULT_MEDIA_TYPES",
    "QueryExecutor",
    "QueryResult",
    "TermRows",
    "serialize_solutions",
    "serialize_triples",
]

_DIED = "query worker crashed while answering; it has been replaced"

#: Writes whose graphs :meth:`QueryExecutor.changes_since` remembers (an older one is unknown).
WRITE_LOG = 1000


class QueryExecutor:
    """A pool of killable query workers over one store.

    ``source`` is the path of an on-disk store, or a callable returning an N-Quads dump
    (for in-memory stores). Use :meth:`for_store` to build one from a :class:`GraphStore`.
    ``max_chars`` and ``max_depth`` bound what is parsed at all (see
    :func:`kgraph.query.analysis.precheck`).

    >>> ex = QueryExecutor(lambda: b'<http://ex/a> <http://ex/p> <http://ex/b> <http://ex/g> .', workers=1)
    >>> ex.run("ASK { ?s ?p ?o }", "application/sparql-results+json").body
    b'{"head":{},"boolean":true}'
    >>> ex.rows("SELECT ?s WHERE { ?s ?p ?o }").rows[0]["s"].value
    'http://ex/a'
    >>> ex.close()
    """

    def __init__(
        self,
        source: Path | str | Callable[[], bytes],
        *,
        workers: int = 2,
        timeout_s: float = 10.0,
        row_cap: int = 10_000,
        service_allowlist: Iterable[str] = (),
        start_timeout_s: float = 60.0,
        update_timeout_s: float = 10.0,
        max_chars: int = 100_000,
        max_depth: int = 64,
    ):
        self._source = source
        self.size = max(1, workers)
        self.timeout_s = timeout_s
        self.update_timeout_s = update_timeout_s
        self.row_cap = row_cap
        self.service_allowlist = tuple(service_allowlist)
        self.start_timeout_s = start_timeout_s
        self.max_chars = max_chars
        self.max_depth = max_depth
        self._idle: queue.Queue[WorkerProcess] = queue.Queue()
        self._lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._exclusive_lock = threading.RLock()  # held by update() across exclusive()
        self._started = False
        self._closed = False
        self._all: set[WorkerProcess] = set()
        #: Number of times workers were reloaded after a write (see :meth:`exclusive`).
        self.generation = 0
        #: The graphs each of the last :data:`WRITE_LOG` writes changed: (generation, graphs or None).
        self._written: collections.deque[tuple[int, frozenset[str] | None]] = collections.deque(maxlen=WRITE_LOG)
        #: Called (with no argument) before every write, e.g. to drop indexes saved beside the store.
        self.before_write: list[Callable[[], None]] = []
        #: Seconds the last reload of all workers took.
        self.last_reload_s = 0.0
        #: Workers replaced because they died or ran out of time (for health checks).
        self.replaced = 0

    @classmethod
    def for_store(cls, store: GraphStore, **kwargs) -> QueryExecutor:
        """An executor over ``store``: read-only workers on its path, or dumps if in memory."""
        if store.path is not None:
            return cls(store.path, **kwargs)
        return cls(lambda: store.ox.dump(format=ox.RdfFormat.N_QUADS), **kwargs)

    # -------------------------------------------------------------- lifecycle

    def _source_spec(self) -> tuple[str, object]:
        if callable(self._source):
            return ("dump", self._source())
        return ("path", str(self._source))

    def _spawn(self, spec: tuple[str, object] | None = None) -> WorkerProcess:
        worker = WorkerProcess(spec or self._source_spec())
        ready = worker.wait_ready(self.start_timeout_s)
        if not ready or ready[0] != "ready":
            worker.kill()
            raise QueryError("KG301", None, "query worker could not open the store")
        with self._lock:
            self._all.add(worker)
        return worker

    def start(self) -> QueryExecutor:
        """Start the worker processes (done on first use if not called)."""
        with self._lock:
            if self._started:
                return self
            self._started = True
        spec = self._source_spec()
        workers = [WorkerProcess(spec) for _ in range(self.size)]
        for w in workers:
            ready = w.wait_ready(self.start_timeout_s)
            if not ready or ready[0] != "ready":
                for other in workers:
                    other.kill()
                raise QueryError("KG301", None, "query workers could not open the store")
        with self._lock:
            self._all.update(workers)
        for w in workers:
            self._idle.put(w)
        return self

    def close(self) -> None:
        """Stop every worker."""
        self._closed = True
        with self._lock:
            workers, self._all = list(self._all), set()
        for w in workers:
            with contextlib.suppress(Exception):
                w.conn.send(("stop",))
            w.kill()

    def __enter__(self) -> QueryExecutor:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()

    def _replace(self, dead: WorkerProcess) -> None:
        """Kill ``dead`` and start a fresh worker in the background."""
        dead.kill()
        with self._lock:
            self._all.discard(dead)
            self.replaced += 1

        def refill() -> None:
            with self._write_lock:  # never open the store while a write is in progress
                pass
            for attempt in range(5):
                try:
                    worker = self._spawn()
                except QueryError:
                    if self._closed:
                        return
                    time.sleep(0.2 * (attempt + 1))
                    continue
                if self._closed:
                    worker.kill()
                else:
                    self._idle.put(worker)
                return

        threading.Thread(target=refill, name="kgraph-worker-refill", daemon=True).start()

    def _acquire(self, deadline: float) -> WorkerProcess:
        """An idle, live worker; dead ones found idle are replaced on the way."""
        if not self._started:
            self.start()
        while True:
            try:
                worker = self._idle.get(timeout=max(deadline - time.monotonic(), 0.001))
            except queue.Empty:
                raise QueryError(
                    "KG303", None, "all query workers are busy; try again shortly"
                ) from None
            if worker.alive:
                return worker
            self._replace(worker)

    # -------------------------------------------------------------- queries

    def _call(self, msg: tuple, timeout_s: float | None):
        timeout = self.timeout_s if timeout_s is None else timeout_s
        deadline = time.monotonic() + timeout
        worker = self._acquire(deadline)
        try:
            reply = worker.call(msg, deadline - time.monotonic())
        except (OSError, EOFError):
            self._replace(worker)
            raise QueryError("KG309", None, _DIED) from None
        if reply is None:
            self._replace(worker)  # kill the runaway query
            raise QueryError(
                "KG303", None, f"query stopped after the {timeout:g} s limit (query_timeout_s)"
            )
        self._idle.put(worker)
        if reply[0] == "error":
            raise QueryError(reply[1], reply[3] if len(reply) > 3 else None, reply[2])
        return reply[1]

    def _opts(self, default_graphs, named_graphs, row_cap, union=True) -> dict:
        return {
            "default_graphs": None if default_graphs is None else list(default_graphs),
            "named_graphs": None if named_graphs is None else list(named_graphs),
            "row_cap": self.row_cap if row_cap is None else row_cap,
            "union": union,
            "allowlist": list(self.service_allowlist),
            "max_depth": self.max_depth,
        }

    def analyse(self, text: str, *, timeout_s: float | None = None) -> QueryInfo:
        """Parse a query or update in a worker (bounded by the time limit): its :class:`QueryInfo`."""
        precheck(text, max_chars=self.max_chars, max_depth=self.max_depth)
        return self._call(("analyse", text), timeout_s)

    def run(
        self,
        query: str,
        media_type: str | None,
        *,
        graph_media_type: str | None = ...,  # type: ignore[assignment]
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        timeout_s: float | None = None,
        row_cap: int | None = None,
    ) -> QueryResult:
        """Run a query and serialise its result as ``media_type``.

        ``graph_media_type``, when given, is used instead for CONSTRUCT / DESCRIBE results
        (``None`` for a kind the caller cannot accept: KG603). With neither
        ``default_graphs`` nor ``named_graphs`` the default graph is the union of the named
        graphs (unless the query has its own FROM). A media type of the wrong kind for the
        result falls back to the kind's default (JSON results, Turtle).
        Raises ``QueryError`` KG302 (malformed), KG303 (too slow), KG304 (an update),
        KG305 (SERVICE not allowed), KG308 (SERVICE failed), KG309 (worker crashed),
        KG311 / KG312 (too long / too deep).
        """
        precheck(query, max_chars=self.max_chars, max_depth=self.max_depth)
        opts = self._opts(default_graphs, named_graphs, row_cap)
        opts["media_type"] = media_type
        if graph_media_type is not ...:
            opts["graph_media_type"] = graph_media_type
        return self._call(("query", query, opts), timeout_s)

    def rows(
        self,
        query: str,
        *,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        timeout_s: float | None = None,
        row_cap: int | None = None,
        union: bool = True,
        trusted: bool = False,
    ) -> TermRows:
        """Run a SELECT and return its solutions as pyoxigraph terms (at most ``row_cap``).

        ``union=False`` queries the store's own default graph instead of the union.
        ``trusted=True`` skips the parse and checks, for query text kgraph builds itself
        from bound values (never text a client sent).
        """
        if not trusted:
            precheck(query, max_chars=self.max_chars, max_depth=self.max_depth)
        opts = self._opts(default_graphs, named_graphs, row_cap, union=union)
        opts["rows"] = True
        opts["trusted"] = trusted
        return self._call(("query", query, opts), timeout_s)

    # -------------------------------------------------------------- writes

    def changes_since(self, generation: object) -> frozenset[str] | None:
        """The graphs written after ``generation`` (as :meth:`exclusive` was told), or None when
        that is not known: a write that did not name its graphs, or one too old to be recorded.

        >>> ex = QueryExecutor(lambda: b"", workers=1)
        >>> ex._written.extend([(1, frozenset({"g1"})), (2, frozenset({"g2"}))]); ex.generation = 2
        >>> sorted(ex.changes_since(0)), sorted(ex.changes_since(1)), ex.changes_since(2)
        (['g1', 'g2'], ['g2'], frozenset())
        >>> ex._written.append((3, None)); ex.generation = 3
        >>> ex.changes_since(2) is None, ex.close()
        (True, None)
        """
        if not isinstance(generation, int) or generation > self.generation:
            return None
        if generation == self.generation:
            return frozenset()
        log = list(self._written)
        if not log or log[0][0] > generation + 1:
            return None
        out: set[str] = set()
        for gen, graphs in log:
            if gen > generation:
                if graphs is None:
                    return None
                out |= graphs
        return frozenset(out)

    @contextlib.contextmanager
    def exclusive(self, timeout_s: float | None = None, *, graphs: Iterable[str] | None = None) -> Iterator[None]:
        """Hold every worker (read-only handles closed) while the caller writes, then reload.

        Waits for running queries (each bounded by the time limit). After the block, every
        worker reopens the store, so later queries see the write. Raises ``QueryError``
        KG303 if the workers cannot all be had in time (nothing is written then). ``graphs``
        names the graphs the write may change (None: any), for :meth:`changes_since`; the
        :attr:`before_write` hooks run first.
        """
        written = None if graphs is None else frozenset(graphs)
        if not self._started:
            self.start()
        timeout = (self.timeout_s if timeout_s is None else timeout_s) + 5.0
        deadline = time.monotonic() + timeout
        if not self._exclusive_lock.acquire(timeout=timeout):
            raise QueryError("KG303", None, "another write is in progress; try again shortly")
        try:
            held: list[WorkerProcess] = []
            try:
                while len(held) < self.size:
                    held.append(self._acquire(deadline))
            except QueryError:
                for w in held:
                    self._idle.put(w)
                raise
            with self._write_lock:
                try:
                    for w in list(held):
                        try:
                            reply = w.call(("close",), 10.0)
                        except (OSError, EOFError):
                            reply = None
                        if reply is None or reply[0] != "ok":
                            held.remove(w)
                            self._replace(w)
                    for hook in self.before_write:
                        hook()
                    yield
                finally:
                    self._reload(held, written)
        finally:
            self._exclusive_lock.release()

    def _reload(self, held: list[WorkerProcess], written: frozenset[str] | None = None) -> None:
        started = time.perf_counter()
        spec = self._source_spec()
        sent = []
        for w in held:
            try:
                w.conn.send(("load", spec))
                sent.append(w)
            except (OSError, EOFError):
                self._replace(w)
        for w in sent:
            try:
                reply = w.conn.recv() if w.conn.poll(self.start_timeout_s) else None
            except (OSError, EOFError):
                reply = None
            if reply is None or reply[0] != "ok":
                self._replace(w)
            else:
                self._idle.put(w)
        self.generation += 1
        self._written.append((self.generation, written))
        self.last_reload_s = time.perf_counter() - started

    def update(self, store: GraphStore, text: str, *, timeout_s: float | None = None) -> QueryInfo:
        """Check and apply a client's SPARQL Update to ``store`` in a killable process.

        The update is parsed in a query worker and refused unless allowed
        (:func:`kgraph.query.analysis.check_update`). It then runs in its own process with
        the store open for writing, under ``update_timeout_s``: stopped in time it is never
        committed (KG313); a crashed process applies nothing (KG309). Queries go on being
        answered meanwhile (from the data as it was); once it is applied, the workers reload.
        """
        try:
            info = self.analyse(text)
        except QueryError as exc:
            if exc.code != "KG302":
                raise
            raise QueryError("KG306", None, exc.message) from None
        check_update(info, self.service_allowlist, max_depth=self.max_depth)
        limit = self.update_timeout_s if timeout_s is None else timeout_s
        # one writer at a time; the query workers keep answering from what they hold
        if not self._exclusive_lock.acquire(timeout=self.timeout_s + 5.0):
            raise QueryError("KG303", None, "another write is in progress; try again shortly")
        try:
            for hook in self.before_write:
                hook()
            if store.path is None:
                self._update_in_memory(store, text, limit, bool(info.services))
            else:
                self._update_on_disk(store, text, limit, bool(info.services))
            with self.exclusive(graphs=info.writes):  # applied: every worker reopens, later queries see it
                pass
        finally:
            self._exclusive_lock.release()
        return info

    def _run_update(self, spec, text: str, limit: float, remote: bool):
        worker = WorkerProcess(spec, role="update")
        try:
            ready = worker.wait_ready(self.start_timeout_s)
            if ready is None:
                raise QueryError("KG309", None, "update process did not start")
            if ready[0] != "ready":
                raise QueryError(ready[1], None, ready[2])
            try:
                reply = worker.call(("update", text, remote), limit)
            except (OSError, EOFError):
                raise QueryError("KG309", None, "update process crashed; nothing was applied") from None
            if reply is None:
                raise QueryError(
                    "KG313", None, f"update stopped after the {limit:g} s limit "
                    "(update_timeout_s); nothing was applied"
                )
            if reply[0] == "error":
                raise QueryError(reply[1], None, reply[2])
            return reply[1]
        finally:
            worker.kill()

    def _update_in_memory(self, store: GraphStore, text: str, limit: float, remote: bool) -> None:
        dump = store.ox.dump(format=ox.RdfFormat.N_QUADS)
        new_dump = self._run_update(("dump", dump), text, limit, remote)
        fresh = ox.Store()
        fresh.load(new_dump, format=ox.RdfFormat.N_QUADS)
        store.ox = fresh

    def _update_on_disk(self, store: GraphStore, text: str, limit: float, remote: bool) -> None:
        path = str(store.path)
        store.flush()
        reader = open_source(("path", path))  # retries while a flush rotates files
        store.ox = reader  # the server keeps reading while the update process holds the lock
        gc.collect()
        try:
            self._run_update(("path", path), text, limit, remote)
        finally:
            for attempt in range(100):
                try:
                    store.ox = ox.Store(path)
                    break
                except OSError:  # the killed process's lock is released as it exits
                    time.sleep(0.02 * (attempt + 1))
            else:
                raise QueryError("KG301", path, "store could not be reopened for writing")
            del reader
            gc.collect()
