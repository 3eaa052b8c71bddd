"""Result writers: every results media type round-trips through pyoxigraph's parsers."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kgraph.query.results import serialize_solutions, serialize_triples

EX = "http://example.org/"
DATA = (
    "\n".join(f'<{EX}s{i}> <{EX}p> "{i}" <{EX}g{i % 2}> .' for i in range(40))
    + f'\n<{EX}s0> <{EX}label> "zéro"@fr <{EX}g0> .\n'
)


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



def test_triples_keep_only_used_prefixes():
    t = ox.Triple(ox.NamedNode(EX + "a"), ox.NamedNode(EX + "p"), ox.Literal("1"))
    body = serialize_triples([t], "text/turtle", {"ex": EX, "unused": "http://unused.example/"})
    assert b"@prefix ex:" in body and b"unused" not in body
