"""Run SPARQL queries in worker processes that can be killed when they run too long.

A :class:`QueryExecutor` keeps a small pool of worker processes. Each worker opens the
on-disk store read-only (``pyoxigraph.Store.read_only``) or, for an in-memory store, loads
an N-Quads dump of it. A query is sent to an idle worker together with the result format;
the worker runs it, stops reading after ``row_cap`` rows and serialises the result. If no
answer arrives within ``timeout_s`` the worker is killed (the query really stops) and a fresh
one takes its place, and the caller gets ``QueryError("KG303", ...)``.

Writes go through :meth:`QueryExecutor.exclusive`: it waits for the workers to be idle,
has them close their read-only handles, lets the caller write, then reloads every worker
so the next query sees the new data.

Before anything runs, :func:`analyse` scans the query text: its form (SELECT, ASK,
CONSTRUCT, DESCRIBE, or an update), whether it names its own dataset (FROM), and the
endpoints of its SERVICE clauses, which must be in the allow-list.

>>> from kgraph.graph.store import GraphStore
>>> store = GraphStore.in_memory()
>>> store.ox.update('INSERT DATA { GRAPH <http://ex/g> { <http://ex/a> <http://ex/p> "1" } }')
>>> with QueryExecutor.for_store(store, workers=1) as ex:
...     ex.run("SELECT ?o WHERE { ?s ?p ?o }", "text/csv").body
b'o\\r\\n1\\r\\n'
"""

from __future__ import annotations

import contextlib
import gc
import io
import itertools
import json
import os
import queue
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urljoin
from xml.sax.saxutils import escape as _xml_escape
from xml.sax.saxutils import quoteattr as _xml_attr

import pyoxigraph as ox

from kgraph.errors import QueryError
from kgraph.vocab import PREFIXES as VOCAB_PREFIXES

if TYPE_CHECKING:
    from kgraph.graph.store import GraphStore

__all__ = [
    "QueryExecutor",
    "QueryInfo",
    "QueryResult",
    "Rows",
    "analyse",
    "check_services",
    "RESULT_MEDIA_TYPES",
    "RDF_MEDIA_TYPES",
]

#: Media types a SELECT / ASK result can be serialised to.
RESULT_MEDIA_TYPES: tuple[str, ...] = (
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
)
#: Media types a CONSTRUCT / DESCRIBE result can be serialised to.
RDF_MEDIA_TYPES: tuple[str, ...] = (
    "text/turtle",
    "application/n-triples",
    "application/ld+json",
    "application/n-quads",
    "application/rdf+xml",
)

#: Prefixes declared for every query and used when serialising graphs as Turtle or JSON-LD.
PREFIXES: dict[str, str] = VOCAB_PREFIXES

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


# ---------------------------------------------------------------------------- analysis


@dataclass(frozen=True)
class QueryInfo:
    """What :func:`analyse` learned about a query without running it.

    ``form`` is ``SELECT``, ``ASK``, ``CONSTRUCT``, ``DESCRIBE``, the first keyword of an
    update (``INSERT``, ``DELETE``, ``LOAD``, ...) or ``None`` if none was found.
    ``services`` lists SERVICE endpoints (``None`` for a variable endpoint); ``has_load``
    tells whether an update fetches data from the web with LOAD.
    """

    form: str | None
    is_update: bool
    has_dataset: bool
    services: tuple[str | None, ...] = ()
    has_load: bool = False

    @property
    def is_graph(self) -> bool:
        """True for CONSTRUCT and DESCRIBE, whose results are RDF graphs."""
        return self.form in ("CONSTRUCT", "DESCRIBE")


_QUERY_FORMS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}
_UPDATE_FORMS = {
    "INSERT",
    "DELETE",
    "LOAD",
    "CLEAR",
    "DROP",
    "CREATE",
    "ADD",
    "MOVE",
    "COPY",
    "WITH",
}

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][A-Za-z0-9_\u00B7-\uFFFF]+)
  | (?P<pname>(?:[A-Za-z\u00C0-\uFFFF][\w.\-\u00B7-\uFFFF]*)?:(?:[\w\-:%.\u00B7-\uFFFF\\]*[\w\-:%\u00B7-\uFFFF])?)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


def _tokens(text: str) -> Iterator[tuple[str, str]]:
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "other"
        if kind not in ("ws", "comment"):
            yield kind, m.group()


def analyse(text: str) -> QueryInfo:
    """Scan a SPARQL query or update: its form, FROM clauses and SERVICE endpoints.

    Strings, IRIs and comments are skipped as units, so keywords inside them are ignored.

    >>> analyse("PREFIX ex: <http://ex/> SELECT * WHERE { SERVICE ex:sparql { ?s ?p ?o } }")
    QueryInfo(form='SELECT', is_update=False, has_dataset=False, services=('http://ex/sparql',), has_load=False)
    >>> analyse('SELECT ?x WHERE { ?x ?p "INSERT SERVICE" } # DELETE').form
    'SELECT'
    >>> analyse("insert data { <a> <b> <c> }").is_update
    True
    """
    prefixes: dict[str, str] = {}
    base = ""
    form: str | None = None
    has_dataset = False
    has_load = False
    services: list[str | None] = []
    toks = list(_tokens(text))
    i = 0
    while i < len(toks):
        kind, value = toks[i]
        upper = value.upper() if kind == "word" else ""
        if (
            upper == "PREFIX"
            and i + 2 < len(toks)
            and toks[i + 1][0] == "pname"
            and toks[i + 2][0] == "iri"
        ):
            prefixes[toks[i + 1][1][:-1]] = urljoin(base, toks[i + 2][1][1:-1])
            i += 3
            continue
        if upper == "BASE" and i + 1 < len(toks) and toks[i + 1][0] == "iri":
            base = urljoin(base, toks[i + 1][1][1:-1])
            i += 2
            continue
        if upper == "LOAD":
            has_load = True
        if form is None and upper in _QUERY_FORMS | _UPDATE_FORMS:
            form = upper
        elif upper in ("FROM", "USING"):
            has_dataset = True
        elif upper == "SERVICE":
            j = i + 1
            if j < len(toks) and toks[j][0] == "word" and toks[j][1].upper() == "SILENT":
                j += 1
            target: str | None = None
            if j < len(toks):
                tkind, tval = toks[j]
                if tkind == "iri":
                    target = urljoin(base, tval[1:-1])
                elif tkind == "pname":
                    pfx, _, local = tval.partition(":")
                    if pfx in prefixes:
                        target = prefixes[pfx] + local.replace("\\", "")
            services.append(target)
        i += 1
    return QueryInfo(form, form in _UPDATE_FORMS, has_dataset, tuple(services), has_load)


def check_services(info: QueryInfo, allowlist: Iterable[str]) -> None:
    """Raise ``QueryError("KG305")`` unless every SERVICE endpoint is in ``allowlist``.

    >>> info = analyse("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    >>> check_services(info, ["http://example.org/sparql"])
    >>> check_services(info, [])
    Traceback (most recent call last):
    ...
    kgraph.errors.QueryError: [KG305] http://example.org/sparql: SERVICE endpoint is not in the service_allowlist setting
    """
    allowed = set(allowlist)
    for endpoint in info.services:
        if endpoint is None:
            raise QueryError("KG305", None, "SERVICE with a variable endpoint is not allowed")
        if endpoint not in allowed:
            raise QueryError(
                "KG305", endpoint, "SERVICE endpoint is not in the service_allowlist setting"
            )


# ---------------------------------------------------------------------------- results


@dataclass(frozen=True)
class QueryResult:
    """A serialised query result: ``kind`` is ``solutions``, ``boolean`` or ``graph``."""

    kind: str
    media_type: str
    body: bytes
    truncated: bool = False
    count: int = 0


@dataclass(frozen=True)
class Rows:
    """Solutions as pyoxigraph terms (for callers that build their own responses)."""

    variables: list[str]
    rows: list[dict[str, object]] = field(default_factory=list)
    truncated: bool = False


def _json_term(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != _XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {
            "type": "triple",
            "value": {k: _json_term(getattr(term, k)) for k in ("subject", "predicate", "object")},
        }
    raise TypeError(f"unexpected term {term!r}")


def _xml_term(term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{_xml_escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{_xml_escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return (
                f"<literal xml:lang={_xml_attr(term.language)}>{_xml_escape(term.value)}</literal>"
            )
        if term.datatype.value != _XSD_STRING:
            return f"<literal datatype={_xml_attr(term.datatype.value)}>{_xml_escape(term.value)}</literal>"
        return f"<literal>{_xml_escape(term.value)}</literal>"
    inner = "".join(
        f"<{k}>{_xml_term(getattr(term, k))}</{k}>" for k in ("subject", "predicate", "object")
    )
    return f"<triple>{inner}</triple>"


def _csv_value(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    if isinstance(term, ox.Triple):
        return str(term)
    return term.value


def _csv_field(value: str) -> str:
    if any(c in value for c in ',"\r\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


def serialize_solutions(
    variables: Sequence[str], rows: Iterable[Sequence], media_type: str
) -> bytes:
    """Serialise rows (sequences of terms or ``None``, in ``variables`` order) as SPARQL results.

    >>> serialize_solutions(["x"], [[ox.Literal("a,b")], [None]], "text/csv")
    b'x\\r\\n"a,b"\\r\\n\\r\\n'
    """
    if media_type == "application/sparql-results+json":
        bindings = [
            {v: _json_term(t) for v, t in zip(variables, row, strict=True) if t is not None}
            for row in rows
        ]
        doc = {"head": {"vars": list(variables)}, "results": {"bindings": bindings}}
        return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()
    if media_type == "application/sparql-results+xml":
        out = io.StringIO()
        out.write(
            '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>'
        )
        out.write("".join(f"<variable name={_xml_attr(v)}/>" for v in variables))
        out.write("</head>\n<results>\n")
        for row in rows:
            out.write("<result>")
            for v, t in zip(variables, row, strict=True):
                if t is not None:
                    out.write(f"<binding name={_xml_attr(v)}>{_xml_term(t)}</binding>")
            out.write("</result>\n")
        out.write("</results>\n</sparql>\n")
        return out.getvalue().encode()
    if media_type == "text/csv":
        lines = [",".join(_csv_field(v) for v in variables)]
        lines += [",".join(_csv_field(_csv_value(t)) for t in row) for row in rows]
        return ("\r\n".join(lines) + "\r\n").encode()
    if media_type == "text/tab-separated-values":
        lines = ["\t".join("?" + v for v in variables)]
        lines += ["\t".join("" if t is None else str(t) for t in row) for row in rows]
        return ("\n".join(lines) + "\n").encode()
    raise ValueError(f"unsupported results media type {media_type}")


def serialize_triples(
    triples: Iterable, media_type: str, prefixes: dict[str, str] | None = None
) -> bytes:
    """Serialise pyoxigraph triples in an RDF media type (N-Quads puts them in the default graph).

    >>> t = ox.Triple(ox.NamedNode("http://ex/a"), ox.NamedNode("http://ex/p"), ox.Literal("1"))
    >>> serialize_triples([t], "application/n-triples")
    b'<http://ex/a> <http://ex/p> "1" .\\n'
    """
    fmt = ox.RdfFormat.from_media_type(media_type)
    if fmt is None:
        raise ValueError(f"unsupported RDF media type {media_type}")
    if fmt == ox.RdfFormat.N_QUADS:
        triples = [ox.Quad(t.subject, t.predicate, t.object) for t in triples]
    use_prefixes = (
        prefixes
        if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.JSON_LD, ox.RdfFormat.RDF_XML)
        else None
    )
    if use_prefixes:
        triples = list(triples)
        iris = {
            t.value
            for tr in triples
            for t in (tr.subject, tr.predicate, tr.object, getattr(tr.object, "datatype", None))
            if isinstance(t, ox.NamedNode)
        }
        use_prefixes = {
            p: ns for p, ns in use_prefixes.items() if any(i.startswith(ns) for i in iris)
        }
    return ox.serialize(triples, format=fmt, prefixes=use_prefixes or None)


# ---------------------------------------------------------------------------- worker side


def _open_source(source: tuple[str, object]) -> ox.Store:
    kind, value = source
    if kind == "dump":
        store = ox.Store()
        if value:
            store.load(value, format=ox.RdfFormat.N_QUADS)
        return store
    last: Exception | None = None
    for attempt in range(20):  # a writer's background flush can make an open fail briefly
        try:
            return ox.Store.read_only(str(value))
        except (OSError, RuntimeError) as exc:
            last = exc
            time.sleep(0.01 * (attempt + 1))
    raise OSError(f"cannot open store read-only: {last}")


def _query_kwargs(opts: dict) -> dict:
    kwargs: dict = {}
    default_graphs, named_graphs = opts.get("default_graphs"), opts.get("named_graphs")
    if default_graphs is not None or named_graphs is not None:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graphs or ()]
        if named_graphs is not None:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
    elif opts.get("union", True):
        kwargs["use_default_graph_as_union"] = True
    kwargs["prefixes"] = PREFIXES
    return kwargs


def _execute(store: ox.Store, query: str, opts: dict):
    cap = opts["row_cap"]
    results = store.query(query, **_query_kwargs(opts))
    if opts.get("rows"):
        if not isinstance(results, ox.QuerySolutions):
            raise ValueError("expected a SELECT query")
        variables = [v.value for v in results.variables]
        taken = list(itertools.islice(results, cap + 1))
        rows = [{v: s[v] for v in variables if s[v] is not None} for s in taken[:cap]]
        return Rows(variables, rows, len(taken) > cap)
    media_type = opts["media_type"]
    if isinstance(results, ox.QueryBoolean):
        if media_type not in RESULT_MEDIA_TYPES:
            media_type = RESULT_MEDIA_TYPES[0]
        body = results.serialize(format=ox.QueryResultsFormat.from_media_type(media_type))
        return QueryResult("boolean", media_type, body, False, 1)
    if isinstance(results, ox.QuerySolutions):
        if media_type not in RESULT_MEDIA_TYPES:
            media_type = RESULT_MEDIA_TYPES[0]
        variables = [v.value for v in results.variables]
        taken = [[s[v] for v in variables] for s in itertools.islice(results, cap + 1)]
        body = serialize_solutions(variables, taken[:cap], media_type)
        return QueryResult("solutions", media_type, body, len(taken) > cap, min(len(taken), cap))
    if media_type not in RDF_MEDIA_TYPES:
        media_type = RDF_MEDIA_TYPES[0]
    seen = list(dict.fromkeys(itertools.islice(results, cap + 1)))
    body = serialize_triples(seen[:cap], media_type, PREFIXES)
    return QueryResult("graph", media_type, body, len(seen) > cap, min(len(seen), cap))


def _worker_main(conn, source: tuple[str, object]) -> None:
    """Worker loop: open the store, then answer messages until told to stop."""
    store: ox.Store | None = None
    try:
        store = _open_source(source)
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
        if op == "close":
            store = None
            gc.collect()
            conn.send(("ok", None))
            continue
        if op == "load":
            store = None
            gc.collect()
            try:
                store = _open_source(msg[1])
                conn.send(("ok", None))
            except Exception as exc:  # the parent replaces a worker that cannot reload
                conn.send(("error", "KG301", str(exc)))
            continue
        _, query, opts = msg
        try:
            if store is None:
                raise OSError("store is closed")
            try:
                conn.send(("ok", _execute(store, query, opts)))
            except (OSError, RuntimeError):
                store = _open_source(source)  # files moved under us by a writer: reopen once
                conn.send(("ok", _execute(store, query, opts)))
        except SyntaxError as exc:
            conn.send(("error", "KG302", f"SPARQL query is malformed: {exc}"))
        except ValueError as exc:
            conn.send(("error", "KG302", str(exc)))
        except (OSError, RuntimeError) as exc:
            conn.send(("error", "KG301", str(exc)))


# ---------------------------------------------------------------------------- parent side


_PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])


def _child_main(fd: int) -> None:
    """Entry point of a worker process: read the store source, then serve queries."""
    conn = Connection(fd)
    source = conn.recv()
    _worker_main(conn, source)


class _Worker:
    """One worker process, started with ``python -c`` and talking over a socket pair.

    A plain subprocess (not ``multiprocessing``) so the parent's ``__main__`` is never
    re-imported in the worker.
    """

    def __init__(self, source: tuple[str, object]):
        parent_sock, child_sock = socket.socketpair()
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (_PACKAGE_ROOT, env.get("PYTHONPATH", "")) if p
        )
        code = f"from kgraph.query.executor import _child_main; _child_main({child_sock.fileno()})"
        self.proc = subprocess.Popen(
            [sys.executable, "-c", code], pass_fds=[child_sock.fileno()], env=env, close_fds=True
        )
        child_sock.close()
        self.conn = Connection(parent_sock.detach())
        self.conn.send(source)

    def wait_ready(self, timeout: float) -> bool:
        try:
            if not self.conn.poll(timeout):
                return False
            msg = self.conn.recv()
        except (EOFError, OSError):
            return False
        return msg[0] == "ready"

    def call(self, msg, timeout: float):
        """Send a message and wait for the reply; ``None`` when the time runs out."""
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


class QueryExecutor:
    """A pool of killable query workers over one store.

    ``source`` is the path of an on-disk store, or a callable returning an N-Quads dump
    (for in-memory stores). Use :meth:`for_store` to build one from a :class:`GraphStore`.

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
    ):
        self._source = source
        self.size = max(1, workers)
        self.timeout_s = timeout_s
        self.row_cap = row_cap
        self.service_allowlist = tuple(service_allowlist)
        self.start_timeout_s = start_timeout_s
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._exclusive_lock = threading.Lock()
        self._started = False
        self._closed = False
        self._all: set[_Worker] = set()
        #: Number of times workers were reloaded after a write (see :meth:`exclusive`).
        self.generation = 0
        #: Seconds the last reload of all workers took.
        self.last_reload_s = 0.0

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

    def _spawn(self, spec: tuple[str, object] | None = None) -> _Worker:
        worker = _Worker(spec or self._source_spec())
        if not worker.wait_ready(self.start_timeout_s):
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
        workers = [_Worker(spec) for _ in range(self.size)]
        for w in workers:
            if not w.wait_ready(self.start_timeout_s):
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

    def _replace(self, dead: _Worker) -> None:
        dead.kill()
        with self._lock:
            self._all.discard(dead)

        def refill() -> None:
            with self._write_lock:  # never open the store while a write is in progress
                pass
            try:
                worker = self._spawn()
            except QueryError:
                return
            if self._closed:
                worker.kill()
            else:
                self._idle.put(worker)

        threading.Thread(target=refill, name="kgraph-worker-refill", daemon=True).start()

    def _acquire(self, deadline: float) -> _Worker:
        if not self._started:
            self.start()
        try:
            return self._idle.get(timeout=max(deadline - time.monotonic(), 0.001))
        except queue.Empty:
            raise QueryError(
                "KG303", None, "all query workers are busy; try again shortly"
            ) from None

    # -------------------------------------------------------------- queries

    def _call(self, query: str, opts: dict, timeout_s: float | None):
        timeout = self.timeout_s if timeout_s is None else timeout_s
        deadline = time.monotonic() + timeout
        worker = self._acquire(deadline)
        try:
            reply = worker.call(("query", query, opts), deadline - time.monotonic())
        except (OSError, EOFError):
            reply = ("error", "KG301", "query worker died")
            self._replace(worker)
        else:
            if reply is None:
                self._replace(worker)  # kill the runaway query
                raise QueryError(
                    "KG303", None, f"query stopped after the {timeout:g} s limit (query_timeout_s)"
                )
            self._idle.put(worker)
        if reply[0] == "error":
            raise QueryError(reply[1], None, reply[2])
        return reply[1]

    def _opts(self, default_graphs, named_graphs, row_cap, union=True) -> dict:
        return {
            "default_graphs": None if default_graphs is None else list(default_graphs),
            "named_graphs": None if named_graphs is None else list(named_graphs),
            "row_cap": self.row_cap if row_cap is None else row_cap,
            "union": union,
        }

    def run(
        self,
        query: str,
        media_type: str,
        *,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        timeout_s: float | None = None,
        row_cap: int | None = None,
    ) -> QueryResult:
        """Run a query and serialise its result as ``media_type``.

        With neither ``default_graphs`` nor ``named_graphs`` the default graph is the union of
        the named graphs (unless the query has its own FROM). A media type of the wrong kind
        for the result falls back to the kind's default (JSON results, Turtle).
        Raises ``QueryError`` KG302 (malformed), KG303 (too slow), KG304 (an update),
        KG305 (SERVICE not allowed).
        """
        info = analyse(query)
        if info.is_update:
            raise QueryError("KG304", None, "this is a SPARQL Update; it cannot run as a query")
        check_services(info, self.service_allowlist)
        opts = self._opts(default_graphs, named_graphs, row_cap, union=not info.has_dataset)
        opts["media_type"] = media_type
        return self._call(query, opts, timeout_s)

    def rows(
        self,
        query: str,
        *,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        timeout_s: float | None = None,
        row_cap: int | None = None,
        union: bool = True,
    ) -> Rows:
        """Run a SELECT and return its solutions as pyoxigraph terms (at most ``row_cap``).

        ``union=False`` queries the store's own default graph instead of the union.
        """
        info = analyse(query)
        if info.is_update:
            raise QueryError("KG304", None, "this is a SPARQL Update; it cannot run as a query")
        check_services(info, self.service_allowlist)
        opts = self._opts(
            default_graphs, named_graphs, row_cap, union=union and not info.has_dataset
        )
        opts["rows"] = True
        return self._call(query, opts, timeout_s)

    # -------------------------------------------------------------- writes

    @contextlib.contextmanager
    def exclusive(self, timeout_s: float | None = None) -> Iterator[None]:
        """Hold every worker (read-only handles closed) while the caller writes, then reload.

        Waits for running queries (each bounded by the time limit). After the block, every
        worker reopens the store, so later queries see the write. Raises ``QueryError``
        KG303 if the workers cannot all be had in time (nothing is written then).
        """
        if not self._started:
            self.start()
        timeout = (self.timeout_s if timeout_s is None else timeout_s) + 5.0
        deadline = time.monotonic() + timeout
        with self._exclusive_lock:
            held: list[_Worker] = []
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
                        reply = w.call(("close",), 10.0)
                        if reply is None or reply[0] != "ok":
                            held.remove(w)
                            self._replace(w)
                    yield
                finally:
                    started = time.perf_counter()
                    spec = self._source_spec()
                    for w in held:
                        w.conn.send(("load", spec))
                    reloaded = []
                    for w in held:
                        reply = w.conn.recv() if w.conn.poll(self.start_timeout_s) else None
                        if reply is None or reply[0] != "ok":
                            self._replace(w)
                        else:
                            reloaded.append(w)
                    self.generation += 1
                    self.last_reload_s = time.perf_counter() - started
                    for w in reloaded:
                        self._idle.put(w)
