"""kgraph's HTTP API: SPARQL 1.1 Protocol endpoint, dereferenceable IRIs, dataset descriptions.

Build the app with :func:`api.app.create_app`; routes reach the store and the query
executor through :func:`server_state`, and the store alone through :func:`app_store`.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from starlette.requests import HTTPConnection, Request

from kgraph.graph.store import GraphStore
from kgraph.query.executor import QueryExecutor
from kgraph.settings import Settings

__all__ = ["DatasetStats", "ServerState", "app_store", "server_state"]


@dataclass(frozen=True)
class DatasetStats:
    """Counts describing the store, computed once per store generation."""

    triples: int
    graphs: dict[str, int]
    vocabularies: tuple[str, ...]


@dataclass
class ServerState:
    """What routes share: the settings, the writable store and the query executor."""

    settings: Settings
    store: GraphStore
    executor: QueryExecutor
    _stats: tuple[int, DatasetStats] | None = field(default=None, repr=False)
    _stats_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def stats(self) -> DatasetStats:
        """Triple counts per named graph and the vocabularies used (cached until a write)."""
        generation = self.executor.generation
        with self._stats_lock:
            if self._stats and self._stats[0] == generation:
                return self._stats[1]
            ex = self.executor
            counts = ex.rows(
                "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
                row_cap=1_000_000,
                trusted=True,
            )
            graphs = {r["g"].value: int(r["n"].value) for r in counts.rows}
            default = ex.rows("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", union=False, trusted=True)
            terms = ex.rows(
                "SELECT DISTINCT ?t WHERE { { GRAPH ?g { ?s ?t ?o } } UNION "
                "{ GRAPH ?g { ?s a ?t } FILTER(isIRI(?t)) } }",
                row_cap=100_000,
                trusted=True,
            )
            vocabularies = sorted({_namespace(r["t"].value) for r in terms.rows})
            # quads in the store's own default graph (none in a kgraph build, but possible)
            triples = sum(graphs.values()) + (
                int(default.rows[0]["n"].value) if default.rows else 0
            )
            stats = DatasetStats(triples, graphs, tuple(vocabularies))
            self._stats = (generation, stats)
            return stats


def _namespace(iri: str) -> str:
    """``http://ex/ns#term`` → ``http://ex/ns#``; ``http://ex/ns/term`` → ``http://ex/ns/``."""
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[: cut + 1] if cut > 0 else iri


def server_state(request: Request) -> ServerState:
    """The :class:`ServerState` of the app serving ``request``."""
    return request.app.state.kgraph


def app_store(source) -> GraphStore:
    """The store the app reads, from a request to it or the app itself: its
    :class:`ServerState`'s store, else ``app.state.store`` (a bare app carrying only a store).

    >>> from starlette.applications import Starlette
    >>> bare = Starlette(); bare.state.store = "the store"
    >>> app_store(bare)
    'the store'
    """
    app = source.app if isinstance(source, HTTPConnection) else source
    server = getattr(app.state, "kgraph", None)
    return server.store if server is not None else app.state.store
