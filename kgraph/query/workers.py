"""Worker processes: the side of the killable pool that parses, checks and runs SPARQL.

A worker is a plain ``python -c`` subprocess talking over a socket pair (never
``multiprocessing``, so the parent's ``__main__`` is not re-imported). Two roles:

- ``read``: opens the store read-only (or loads an N-Quads dump of an in-memory store),
  then answers ``("query", text, opts)``, ``("analyse", text, opts)``, ``("close",)``,
  ``("load", source)`` and ``("stop",)``. Queries from clients are parsed and checked
  (:mod:`kgraph.query.analysis`) here, so the parser's cost is bounded by the same time
  limit and a crash takes only the worker with it.
- ``update``: opens the store for writing, applies one SPARQL Update and exits. The parent
  kills it when the update time limit runs out; the store's transaction is then never
  committed.

Replies are ``("ok", value)`` or ``("error", code, message)``. :class:`WorkerProcess` is
the parent's handle on one worker.
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import os
import socket
import subprocess
import sys
import time
from multiprocessing.connection import Connection
from pathlib import Path

import pyoxigraph as ox

from kgraph.errors import KGraphError
from kgraph.query.analysis import analyse, check_query, plain_query
from kgraph.query.results import (
    PREFIXES,
    RDF_MEDIA_TYPES,
    RESULT_MEDIA_TYPES,
    QueryResult,
    TermRows,
    serialize_solutions,
    serialize_triples,
)

_PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])


# ---------------------------------------------------------------------------- store access


def open_source(source: tuple[str, object], *, write: bool = False) -> ox.Store:
    """A store from ``("path", dir)`` or ``("dump", nquads)``; read-only unless ``write``."""
    kind, value = source
    if kind == "dump":
        store = ox.Store()
        if value:
            store.load(value, format=ox.RdfFormat.N_QUADS)
        return store
    last: Exception | None = None
    for attempt in range(40):  # a writer's flush, or the lock being handed over, can take a moment
        try:
            return ox.Store(str(value)) if write else ox.Store.read_only(str(value))
        except (OSError, RuntimeError) as exc:
            last = exc
            time.sleep(0.01 * (attempt + 1))
    raise OSError(f"cannot open store {'for writing' if write else 'read-only'}: {last}")


def _query_kwargs(opts: dict, union: bool) -> dict:
    kwargs: dict = {}
    default_graphs, named_graphs = opts.get("default_graphs"), opts.get("named_graphs")
    if default_graphs is not None or named_graphs is not None:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graphs or ()]
        if named_graphs is not None:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
    elif union:
        kwargs["use_default_graph_as_union"] = True
    kwargs["prefixes"] = PREFIXES
    return kwargs


def _media(opts: dict, kind: str, offers: tuple[str, ...]) -> str:
    media_type = opts.get("graph_media_type" if kind == "graph" else "media_type")
    if kind == "graph" and "graph_media_type" not in opts:
        media_type = opts.get("media_type")
    if media_type is None:
        raise KGraphError("KG603", "graph" if kind == "graph" else "solutions",
                          f"no acceptable representation for a {kind} result")
    return media_type if media_type in offers else offers[0]


def execute(store: ox.Store, query: str, opts: dict, union: bool):
    """Run ``query`` and serialise (or, with ``opts["rows"]``, return terms), capped."""
    cap = opts["row_cap"]
    results = store.query(query, **_query_kwargs(opts, union))
    if opts.get("rows"):
        if not isinstance(results, ox.QuerySolutions):
            raise ValueError("expected a SELECT query")
        variables = [v.value for v in results.variables]
        taken = list(itertools.islice(results, cap + 1))
        rows = [{v: s[v] for v in variables if s[v] is not None} for s in taken[:cap]]
        return TermRows(variables, rows, len(taken) > cap)
    if isinstance(results, ox.QueryBoolean):
        media_type = _media(opts, "boolean", RESULT_MEDIA_TYPES)
        body = results.serialize(format=ox.QueryResultsFormat.from_media_type(media_type))
        return QueryResult("boolean", media_type, body, False, 1)
    if isinstance(results, ox.QuerySolutions):
        media_type = _media(opts, "solutions", RESULT_MEDIA_TYPES)
        variables = [v.value for v in results.variables]
        taken = [[s[v] for v in variables] for s in itertools.islice(results, cap + 1)]
        body = serialize_solutions(variables, taken[:cap], media_type)
        return QueryResult("solutions", media_type, body, len(taken) > cap, min(len(taken), cap))
    media_type = _media(opts, "graph", RDF_MEDIA_TYPES)
    seen = list(dict.fromkeys(itertools.islice(results, cap + 1)))
    body = serialize_triples(seen[:cap], media_type, PREFIXES)
    return QueryResult("graph", media_type, body, len(seen) > cap, min(len(seen), cap))


# ---------------------------------------------------------------------------- read role


def _answer(store: ox.Store | None, source, query: str, opts: dict):
    """One query: parse and check (unless trusted), run, and the new store handle."""
    union = opts.get("union", True)
    remote = False
    if not opts.get("trusted"):
        info = plain_query(query) or analyse(query)  # a plain read query needs no parse of ours
        check_query(info, opts.get("allowlist", ()), max_depth=opts.get("max_depth"))
        union = union and not info.has_dataset
        remote = bool(info.services)
    try:
        if store is None:
            raise OSError("store is closed")
        try:
            return store, execute(store, query, opts, union)
        except (OSError, RuntimeError):
            if remote:
                raise
            try:  # files moved under us by a writer: reopen once
                store = open_source(source)
            except OSError as exc:
                raise KGraphError("KG301", None, str(exc)) from None
            return store, execute(store, query, opts, union)
    except SyntaxError as exc:
        code = "KG308" if remote else "KG302"
        raise KGraphError(code, None, f"SPARQL query failed: {exc}") from None
    except (OSError, RuntimeError) as exc:
        if remote:
            raise KGraphError("KG308", None, f"SERVICE call failed: {exc}") from None
        raise KGraphError("KG317", None, f"store could not be read: {exc}") from None
    except ValueError as exc:
        raise KGraphError("KG302", None, str(exc)) from None


def _read_main(conn: Connection, source: tuple[str, object]) -> None:
    """Worker loop: open the store, then answer messages until told to stop."""
    store: ox.Store | None = None
    try:
        store = open_source(source)
        conn.send(("ready",))
    except Exception as exc:  # report any failure to open to the parent, then exit
        conn.send(("error", "KG301", str(exc)))
        return
    while True:
        try:
            msg = conn.recv()
        except EOFError:
            return
        op = msg[0]
        if op == "stop":
            return
        if op in ("close", "load"):
            store = None
            gc.collect()
            try:
                store = open_source(msg[1]) if op == "load" else None
                conn.send(("ok", None))
            except Exception as exc:  # the parent replaces a worker that cannot reload
                conn.send(("error", "KG301", str(exc)))
            continue
        try:
            if op == "analyse":
                conn.send(("ok", analyse(msg[1])))
                continue
            store, result = _answer(store, source, msg[1], msg[2])
            conn.send(("ok", result))
        except KGraphError as exc:
            conn.send(("error", exc.code, exc.message, exc.subject))
        except Exception as exc:  # a bug must not take the worker down with it
            conn.send(("error", "KG600", f"internal error in a query worker: {exc!r}"))


# ---------------------------------------------------------------------------- update role


def _update_main(conn: Connection, source: tuple[str, object]) -> None:
    """Open the store for writing, apply one update, reply, exit."""
    try:
        store = open_source(source, write=True)
    except Exception as exc:
        conn.send(("error", "KG301", f"update not applied: {exc}"))
        return
    conn.send(("ready",))
    _, update, remote = conn.recv()
    try:
        store.update(update)
        if source[0] == "dump":
            conn.send(("ok", store.dump(format=ox.RdfFormat.N_QUADS)))
        else:
            store.flush()
            conn.send(("ok", None))
    except SyntaxError as exc:
        conn.send(("error", "KG308" if remote else "KG306", str(exc)))
    except (OSError, RuntimeError) as exc:
        if remote:
            conn.send(("error", "KG308", f"SERVICE call failed: {exc}"))
        else:
            conn.send(("error", "KG317", f"update not applied: {exc}"))
    except ValueError as exc:
        conn.send(("error", "KG306", str(exc)))


def child_main(fd: int, role: str) -> None:
    """Entry point of a worker process: read the store source, then serve its role."""
    conn = Connection(fd)
    source = conn.recv()
    (_update_main if role == "update" else _read_main)(conn, source)


# ---------------------------------------------------------------------------- parent handle


class WorkerProcess:
    """The parent's handle on one worker: start, call with a time limit, kill."""

    def __init__(self, source: tuple[str, object], role: str = "read"):
        parent_sock, child_sock = socket.socketpair()
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (_PACKAGE_ROOT, env.get("PYTHONPATH", "")) if p
        )
        code = (f"from kgraph.query.workers import child_main; "
                f"child_main({child_sock.fileno()}, {role!r})")
        self.proc = subprocess.Popen(
            [sys.executable, "-c", code], pass_fds=[child_sock.fileno()], env=env, close_fds=True
        )
        child_sock.close()
        self.conn = Connection(parent_sock.detach())
        self.conn.send(source)

    def wait_ready(self, timeout: float) -> tuple | None:
        """The worker's first message (``("ready",)`` or an error), ``None`` if it never came."""
        try:
            if not self.conn.poll(timeout):
                return None
            return self.conn.recv()
        except (EOFError, OSError):
            return None

    @property
    def alive(self) -> bool:
        return self.proc.poll() is None

    def call(self, msg, timeout: float):
        """Send a message and wait for the reply; ``None`` when the time runs out.

        Raises ``EOFError`` / ``OSError`` when the worker died.
        """
        self.conn.send(msg)
        if not self.conn.poll(max(timeout, 0.0)):
            return None
        return self.conn.recv()

    def kill(self) -> None:
        with contextlib.suppress(Exception):
            self.proc.kill()
            self.proc.wait(5)
        with contextlib.suppress(Exception):
            self.conn.close()
