"""The query executor: analysis, serialisers, killable workers, reload after writes."""

from __future__ import annotations

import json
import time

import pyoxigraph as ox
import pytest
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Variable

from kgraph.errors import QueryError
from kgraph.graph.store import GraphStore
from kgraph.query.executor import (
    QueryExecutor,
    analyse,
    check_services,
    serialize_solutions,
)

EX = "http://example.org/"
DATA = (
    "\n".join(f'<{EX}s{i}> <{EX}p> "{i}" <{EX}g{i % 2}> .' for i in range(40))
    + f'\n<{EX}s0> <{EX}label> "zéro"@fr <{EX}g0> .\n'
)


# ---------------------------------------------------------------------------- analysis

SERVICE_QUERIES = [
    "SELECT * WHERE { ?s ?p ?o }",
    "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    "select * where { service silent <http://a.example/sparql> { ?s ?p ?o } }",
    "PREFIX ex: <http://example.org/> SELECT * WHERE { SERVICE ex:sparql { ?s ?p ?o } }",
    "BASE <http://example.org/> SELECT * WHERE { SERVICE <sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o OPTIONAL { SERVICE <http://b.example/q> { ?o ?x ?y } } }",
    "SELECT * WHERE { ?s ?p 'SERVICE <http://evil.example/>' } # SERVICE <http://evil.example/>",
    'SELECT * WHERE { ?s ?p """multi\nline SERVICE <http://evil.example/> """ }',
    "SELECT * WHERE { VALUES ?e { <http://example.org/sparql> } SERVICE ?e { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o FILTER(?o < 3) SERVICE <http://c.example/> { ?s ?p ?o } }",
]


def _rdflib_services(query: str) -> list[str | None]:
    found: list[str | None] = []

    def walk(node) -> None:
        if isinstance(node, CompValue):
            if node.name == "ServiceGraphPattern":
                found.append(None if isinstance(node.term, Variable) else str(node.term))
            for value in node.values():
                walk(value)
        elif isinstance(node, list | tuple):
            for value in node:
                walk(value)

    walk(translateQuery(parseQuery(query)).algebra)
    return found


@pytest.mark.parametrize("query", SERVICE_QUERIES)
def test_service_scan_agrees_with_rdflib_parser(query):
    assert sorted(analyse(query).services, key=str) == sorted(_rdflib_services(query), key=str)


@pytest.mark.parametrize(
    ("text", "form", "is_update"),
    [
        ("SELECT * {}", "SELECT", False),
        ("PREFIX select: <http://x/> ASK { ?s select:p ?o }", "ASK", False),
        ("# INSERT\nCONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT", False),
        ("DESCRIBE <http://x/>", "DESCRIBE", False),
        ("INSERT DATA { <a:b> <a:c> <a:d> }", "INSERT", True),
        ("PREFIX ex: <http://x/> DELETE WHERE { ?s ex:p ?o }", "DELETE", True),
        ("WITH <http://g/> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "WITH", True),
        ("clear all", "CLEAR", True),
        ("", None, False),
    ],
)
def test_form(text, form, is_update):
    info = analyse(text)
    assert (info.form, info.is_update) == (form, is_update)


def test_check_services():
    allowed = ["http://example.org/sparql"]
    check_services(analyse(SERVICE_QUERIES[1]), allowed)
    check_services(analyse(SERVICE_QUERIES[3]), allowed)
    for query in (SERVICE_QUERIES[2], SERVICE_QUERIES[8]):
        with pytest.raises(QueryError) as info:
            check_services(analyse(query), allowed)
        assert info.value.code == "KG305"


def test_from_and_load_detected():
    assert analyse("SELECT * FROM <http://g/> WHERE { ?s ?p ?o }").has_dataset
    assert not analyse("SELECT * WHERE { ?s <http://ex/from> ?o }").has_dataset
    assert analyse("CLEAR ALL ; LOAD <http://x/data.ttl>").has_load


# ---------------------------------------------------------------------------- serialisers


def _solutions():
    store = ox.Store()
    store.load(DATA.encode(), format=ox.RdfFormat.N_QUADS)
    q = f"SELECT ?s ?o ?l WHERE {{ GRAPH ?g {{ ?s <{EX}p> ?o OPTIONAL {{ ?s <{EX}label> ?l }} }} }}"
    expected = {(str(r["s"]), str(r["o"]), str(r["l"])) for r in store.query(q)}
    results = store.query(q)
    variables = [v.value for v in results.variables]
    rows = [[s[v] for v in variables] for s in store.query(q)]
    return variables, rows, expected


@pytest.mark.parametrize(
    ("media_type", "fmt"),
    [
        ("application/sparql-results+json", ox.QueryResultsFormat.JSON),
        ("application/sparql-results+xml", ox.QueryResultsFormat.XML),
        ("text/tab-separated-values", ox.QueryResultsFormat.TSV),
    ],
)
def test_serialisers_round_trip(media_type, fmt):
    variables, rows, expected = _solutions()
    body = serialize_solutions(variables, rows, media_type)
    parsed = ox.parse_query_results(body, format=fmt)
    assert [v.value for v in parsed.variables] == variables
    assert {(str(r["s"]), str(r["o"]), str(r["l"])) for r in parsed} == expected


def test_csv_is_plain_values():
    variables, rows, _ = _solutions()
    lines = serialize_solutions(variables, rows, "text/csv").decode().split("\r\n")
    assert lines[0] == "s,o,l"
    assert f"{EX}s0,0,zéro" in lines


# ---------------------------------------------------------------------------- workers


@pytest.fixture(scope="module")
def executor():
    with QueryExecutor(lambda: DATA.encode(), workers=2, timeout_s=1.0, row_cap=10) as ex:
        yield ex


def test_union_default_graph_and_dataset(executor):
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert executor.rows(count).rows[0]["n"].value == "41"
    assert executor.rows(count, default_graphs=[EX + "g1"]).rows[0]["n"].value == "20"
    assert executor.rows(count, named_graphs=[EX + "g1"]).rows[0]["n"].value == "0"
    from_g0 = f"SELECT (COUNT(*) AS ?n) FROM <{EX}g0> WHERE {{ ?s ?p ?o }}"
    assert executor.rows(from_g0).rows[0]["n"].value == "21"


def test_row_cap(executor):
    result = executor.run("SELECT * WHERE { ?s ?p ?o }", "application/sparql-results+json")
    assert result.truncated and result.count == 10
    assert len(json.loads(result.body)["results"]["bindings"]) == 10
    small = executor.run("SELECT * WHERE { ?s ?p ?o } LIMIT 3", "text/csv")
    assert not small.truncated and small.count == 3
    graph = executor.run("CONSTRUCT WHERE { ?s ?p ?o }", "application/n-triples")
    assert graph.truncated and len(graph.body.splitlines()) == 10


def test_errors_are_typed(executor):
    with pytest.raises(QueryError) as info:
        executor.run("SELECT WHERE {", "text/csv")
    assert info.value.code == "KG302"
    with pytest.raises(QueryError) as info:
        executor.run("DROP ALL", "text/csv")
    assert info.value.code == "KG304"


def test_timeout_kills_the_worker_and_the_pool_recovers(executor):
    runaway = (
        "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
    )
    pids = {w.proc.pid for w in executor._all}
    with pytest.raises(QueryError) as info:
        executor.run(runaway, "text/csv")
    assert info.value.code == "KG303"
    killed = pids - {w.proc.pid for w in executor._all}
    assert len(killed) == 1
    deadline = time.monotonic() + 60
    while len(executor._all) < executor.size and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(executor._all) == executor.size
    for _ in range(4):
        assert executor.run("ASK { ?s ?p ?o }", "text/csv").body.strip() == b"true"


def test_exclusive_reload_in_memory():
    store = GraphStore.in_memory()
    with QueryExecutor.for_store(store, workers=2) as ex:
        assert ex.run("ASK { ?s ?p ?o }", "text/csv").body.strip() == b"false"
        with ex.exclusive():
            store.ox.update(f"INSERT DATA {{ GRAPH <{EX}g> {{ <{EX}a> <{EX}b> <{EX}c> }} }}")
        assert ex.generation == 1
        for _ in range(3):  # every worker sees it
            assert ex.run("ASK { ?s ?p ?o }", "text/csv").body.strip() == b"true"


def test_exclusive_reload_on_disk(tmp_path):
    store = GraphStore.open(tmp_path / "store")
    with QueryExecutor.for_store(store, workers=2) as ex:
        for i in range(5):
            with ex.exclusive():
                store.ox.update(f'INSERT DATA {{ GRAPH <{EX}g> {{ <{EX}a> <{EX}b> "{i}" }} }}')
                store.flush()
            for _ in range(2):
                n = ex.rows("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0]["n"].value
                assert n == str(i + 1)


def test_failed_write_still_returns_workers():
    with QueryExecutor(lambda: b"", workers=1, timeout_s=2) as ex:
        with pytest.raises(RuntimeError), ex.exclusive():
            raise RuntimeError("write failed")
        assert ex.run("ASK {}", "text/csv").body.strip() == b"true"
