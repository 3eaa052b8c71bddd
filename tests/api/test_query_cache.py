"""Answers of repeated read queries come from the cache until the store is written."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.app import create_app
from kgraph.graph.store import GraphStore
from kgraph.settings import Settings

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
AUTH = {"Authorization": "Bearer t0ken"}


def _app(**settings):
    store = GraphStore.in_memory()
    store.ox.update("INSERT DATA { GRAPH <http://ex/g> { <http://ex/a> <http://ex/p> 1, 2 } }")
    return create_app(Settings(update_token="t0ken", **settings), store)


def _counting(client) -> list[str]:
    executor = client.app.state.kgraph.executor
    calls: list[str] = []
    real = executor.run

    def run(query, *args, **kwargs):
        calls.append(query)
        return real(query, *args, **kwargs)

    executor.run = run
    return calls


def _n(client) -> str:
    r = client.get("/sparql", params={"query": COUNT}, headers={"Accept": "text/csv"})
    assert r.status_code == 200
    return r.text.split()[-1]


def test_a_repeated_query_is_answered_from_the_cache_until_a_write():
    with TestClient(_app()) as client:
        calls = _counting(client)
        assert _n(client) == _n(client) == "2"
        assert len(calls) == 1
        r = client.post("/sparql/update", content="INSERT DATA { GRAPH <http://ex/g> { <http://ex/a> <http://ex/p> 3 } }",
                        headers={"Content-Type": "application/sparql-update", **AUTH})
        assert r.status_code == 204
        assert _n(client) == "3"  # never a stale answer after a write
        assert len(calls) == 2


def test_volatile_queries_and_a_zero_budget_are_never_cached():
    with TestClient(_app()) as client:
        calls = _counting(client)
        for _ in range(2):
            client.get("/sparql", params={"query": "SELECT (RAND() AS ?r) WHERE {}"}, headers={"Accept": "text/csv"})
        assert len(calls) == 2
    with TestClient(_app(query_cache_bytes=0)) as client:
        calls = _counting(client)
        assert _n(client) == _n(client) == "2"
        assert len(calls) == 2
