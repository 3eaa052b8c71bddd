"""Query analysis from the parse: forms, datasets, SERVICE / LOAD, limits, on tricky text."""

from __future__ import annotations

import pytest

from kgraph.errors import QueryError
from kgraph.query.analysis import analyse, check_query, check_update, nesting_depth, precheck

EVIL = "http://127.0.0.1:9/x"

#: Tricky queries and the SERVICE endpoints really in them (None: a variable endpoint).
SERVICE_CORPUS = [
    ("SELECT * WHERE { ?s ?p ?o }", []),
    ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
     ["http://example.org/sparql"]),
    ("select * where { service silent <http://a.example/sparql> { ?s ?p ?o } }",
     ["http://a.example/sparql"]),
    ("PREFIX ex: <http://example.org/> SELECT * WHERE { SERVICE ex:sparql { ?s ?p ?o } }",
     ["http://example.org/sparql"]),
    ("BASE <http://example.org/> SELECT * WHERE { SERVICE <sparql> { ?s ?p ?o } }",
     ["http://example.org/sparql"]),
    ("SELECT * WHERE { ?s ?p ?o OPTIONAL { SERVICE <http://b.example/q> { ?o ?x ?y } } }",
     ["http://b.example/q"]),
    (f"SELECT * WHERE {{ ?s ?p 'SERVICE <{EVIL}>' }} # SERVICE <{EVIL}>", []),
    (f'SELECT * WHERE {{ ?s ?p """multi\nline SERVICE <{EVIL}> """ }}', []),
    ("SELECT * WHERE { VALUES ?e { <http://example.org/sparql> } SERVICE ?e { ?s ?p ?o } }",
     [None]),
    ("SELECT * WHERE { ?s ?p ?o FILTER(?o < 3) SERVICE <http://c.example/> { ?s ?p ?o } }",
     ["http://c.example/"]),
    # the escape that fooled the old hand-written scanner: kg:x\' is a prefixed name
    (f"SELECT ?a WHERE {{ OPTIONAL {{ ?s kg:x\\' ?o }} SERVICE <{EVIL}> {{ ?a ?b ?c }} "
     "BIND('z' AS ?z) }", [EVIL]),
    (f"SELECT * WHERE {{ ?s ?p 'it\\'s' SERVICE <{EVIL}> {{ ?a ?b ?c }} }}", [EVIL]),
    (f"SELECT * WHERE {{ ?s <http://x/#SERVICE> ?o .\n SERVICE <{EVIL}> {{ }} }}", [EVIL]),
    (f"SELECT * WHERE {{ ?s ?p ?o # }} SERVICE <http://no/>\n SERVICE <{EVIL}> {{ }} }}", [EVIL]),
    (f"PREFIX service: <http://x/> SELECT * WHERE {{ ?s service:p ?o SERVICE <{EVIL}> {{ }} }}",
     [EVIL]),
    (f"SELECT * WHERE {{ {{ SELECT ?a WHERE {{ SERVICE <{EVIL}> {{ ?a ?b ?c }} }} }} }}", [EVIL]),
    (f"ASK {{ FILTER EXISTS {{ SERVICE <{EVIL}> {{ ?a ?b ?c }} }} }}", [EVIL]),
    (f"CONSTRUCT {{ ?a ?b ?c }} WHERE {{ SERVICE <{EVIL}> {{ ?a ?b ?c }} }}", [EVIL]),
    ("PREFIX e: <http://127.0.0.1:9/> SELECT * WHERE { SERVICE e:x { ?a ?b ?c } }", [EVIL]),
    (f"SELECT * WHERE {{ SERVICE <{EVIL}> {{ }} SERVICE SILENT <{EVIL}> {{ }} }}", [EVIL, EVIL]),
    # a '#' that is not a comment earlier on the SERVICE's line (rdflib's own re-scan failed)
    (f"SELECT * WHERE {{ ?s <http://x/#a> ?o SERVICE <{EVIL}> {{ }} }}", [EVIL]),
    (f"SELECT * WHERE {{ ?s ?p 'a#b' SERVICE <{EVIL}> {{ }} }}", [EVIL]),
    (f'SELECT * WHERE {{ ?s ?p "a#b" SERVICE <{EVIL}> {{ }} }}', [EVIL]),
    (f"SELECT * WHERE {{ ?s ?p \'\'\'a#b\'\'\' SERVICE <{EVIL}> {{ }} }}", [EVIL]),
    (f"PREFIX ex: <http://ex/> SELECT * WHERE {{ ?s ex:a\\#b ?o SERVICE <{EVIL}> {{ }} }}", [EVIL]),
    (f"SELECT * WHERE {{ ?s <http://x/#a> ?o SERVICE <http://a.example/> {{ }} SERVICE <{EVIL}> {{ }} }}",
     ["http://a.example/", EVIL]),
    (f"SELECT * WHERE {{ ?s <http://x/#a> ?o SERVICE <{EVIL}> {{ ?s <http://y/#b> ?o "
     f"SERVICE ?e {{ }} }} }}", [EVIL, None]),
    (f"SELECT * WHERE {{ ?s <http://x/#a> ?o . # SERVICE <http://no/> {{ }}\n SERVICE <{EVIL}> {{ }} }}",
     [EVIL]),
    ("BASE <http://127.0.0.1:9/#b> SELECT * WHERE { ?s <#a> ?o SERVICE <x> { } }", [EVIL]),
    (f"SELECT * WHERE {{ ?s <http://x/#a> ?o SERVICE <{EVIL}#f> {{ }} }}", [EVIL + "#f"]),
]


@pytest.mark.parametrize(("query", "services"), SERVICE_CORPUS)
def test_services_found_on_a_corpus_of_tricky_queries(query, services):
    assert sorted(analyse(query).services, key=str) == sorted(services, key=str)


@pytest.mark.parametrize(("query", "services"), SERVICE_CORPUS)
def test_oxigraph_accepts_what_the_corpus_is_about(query, services):
    """The corpus is real SPARQL: the engine that runs queries parses every one of them."""
    import pyoxigraph as ox

    from kgraph.query.results import PREFIXES

    ox.Store().query(query.replace("SERVICE", "GRAPH").replace("GRAPH SILENT", "GRAPH")
                     .replace("service silent", "GRAPH"), prefixes=PREFIXES)


@pytest.mark.parametrize(
    ("text", "form", "is_update"),
    [
        ("SELECT * {}", "SELECT", False),
        ("PREFIX select: <http://x/> ASK { ?s select:p ?o }", "ASK", False),
        ("# INSERT\nCONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT", False),
        ("DESCRIBE <http://x/>", "DESCRIBE", False),
        ("INSERT DATA { <a:b> <a:c> <a:d> }", "INSERT", True),
        ("PREFIX ex: <http://x/> DELETE WHERE { ?s ex:p ?o }", "DELETE", True),
        ("WITH <http://g/> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "DELETE", True),
        ("clear all", "CLEAR", True),
    ],
)
def test_form(text, form, is_update):
    info = analyse(text)
    assert (info.form, info.is_update) == (form, is_update)


@pytest.mark.parametrize("text", ["", "   ", "SELECT WHERE {", "INSERT DATA { <a:b> }", "# x", " ; "])
def test_neither_query_nor_update_is_kg302(text):
    with pytest.raises(QueryError) as info:
        analyse(text)
    assert info.value.code == "KG302"


def test_dataset_load_and_graph_operations():
    assert analyse("SELECT * FROM <http://g/> WHERE { ?s ?p ?o }").has_dataset
    assert analyse("SELECT * FROM NAMED <http://g/> WHERE { ?s ?p ?o }").has_dataset
    assert not analyse("SELECT * WHERE { ?s <http://ex/from> ?o }").has_dataset
    assert not analyse("SELECT * WHERE { ?s ?p 'FROM <http://g/>' }").has_dataset
    assert analyse("DELETE { ?s ?p ?o } USING <http://g/> WHERE { ?s ?p ?o }").has_dataset
    info = analyse("CLEAR ALL ; LOAD <http://x/data.ttl> ; COPY <http://a> TO <http://b>")
    assert info.has_load and info.loads == ("http://x/data.ttl",)
    assert info.operations == ("CLEAR", "LOAD", "COPY")
    assert not analyse("INSERT DATA { <http://a> <http://b> 'LOAD <file:///x>' }").has_load


def test_check_query():
    allowed = ["http://example.org/sparql"]
    check_query(analyse(SERVICE_CORPUS[1][0]), allowed)
    check_query(analyse(SERVICE_CORPUS[3][0]), allowed)
    for query in (SERVICE_CORPUS[2][0], SERVICE_CORPUS[8][0], SERVICE_CORPUS[10][0]):
        with pytest.raises(QueryError) as info:
            check_query(analyse(query), allowed)
        assert info.value.code == "KG305"
    with pytest.raises(QueryError) as info:
        check_query(analyse("DROP ALL"))
    assert info.value.code == "KG304"


@pytest.mark.parametrize(
    ("update", "code"),
    [
        ("LOAD <file:///etc/passwd>", "KG307"),
        ("LOAD SILENT <FILE:///etc/passwd> INTO GRAPH <http://g>", "KG307"),
        ("BASE <file:///etc/> LOAD <passwd>", "KG307"),
        ("LOAD <http://127.0.0.1:9/x.ttl>", "KG304"),
        ("INSERT DATA { <http://a> <http://b> 1 } ; LOAD <https://x.example/d.ttl>", "KG304"),
        (f"PREFIX kg: <http://k/> INSERT {{ ?s kg:x\\' 1 }} WHERE {{ SERVICE <{EVIL}> {{ ?s ?p ?o }} }}",
         "KG305"),
        ("SELECT * WHERE { ?s ?p ?o }", "KG306"),
    ],
)
def test_check_update_refuses(update, code):
    with pytest.raises(QueryError) as info:
        check_update(analyse(update))
    assert info.value.code == code


def test_check_update_allows_plain_updates():
    check_update(analyse("INSERT DATA { GRAPH <http://g> { <http://a> <http://b> 1 } } ; DROP ALL"))
    check_update(analyse(f"INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{EVIL}> {{ ?s ?p ?o }} }}"),
                 [EVIL])


def test_limits_before_parsing():
    assert nesting_depth("{ ( [ ] ) } {}") == 3
    precheck("SELECT * { { } }", max_chars=100, max_depth=2)
    with pytest.raises(QueryError) as info:
        precheck("x" * 101, max_chars=100, max_depth=2)
    assert info.value.code == "KG311"
    with pytest.raises(QueryError) as info:
        precheck("INSERT { } WHERE " + "{" * 5000 + "}" * 5000, max_chars=100_000, max_depth=64)
    assert info.value.code == "KG312"


def test_nesting_hidden_in_strings_is_counted_and_the_parse_bounds_it_anyway():
    """Brackets inside strings, IRIs, comments don't count; escapes don't start strings."""
    hidden = "SELECT * WHERE " + "{ ?s ?p '}' " * 400 + "}" * 400
    assert nesting_depth(hidden) == 400
    assert nesting_depth("SELECT * { ?s kg:x\\' ?o . { ?s ?p '{{{' } } # ((((") == 2
    assert nesting_depth('ASK { ?s <http://x/(a)> """{""" }') == 1
    with pytest.raises(QueryError) as info:
        precheck(hidden, max_chars=100_000, max_depth=64)
    assert info.value.code == "KG312"
    try:  # without the precheck, the parser's own bound or the depth policy refuses it
        info = analyse(hidden)
    except QueryError as exc:
        assert exc.code == "KG312"
    else:
        assert info.depth > 64
        with pytest.raises(QueryError) as refused:
            check_query(info, max_depth=64)
        assert refused.value.code == "KG312"


def test_a_hash_before_service_on_its_line_parses_and_the_service_is_seen():
    """rdflib re-found a SERVICE clause's text skipping ``#`` as a comment even inside an IRI
    earlier on the line, and the parse failed (KG302); now the query parses, the SERVICE is
    seen and refused when not allowed, and each clause keeps its own text."""
    from rdflib.plugins.sparql.parser import parseQuery

    query = f"SELECT * WHERE {{ ?s <http://x/#a> ?o SERVICE <{EVIL}> {{ ?a ?b '}}#' }} }}"
    info = analyse(query)
    assert info.services == (EVIL,)
    with pytest.raises(QueryError) as refused:
        check_query(info)
    assert refused.value.code == "KG305"
    two = parseQuery("SELECT * WHERE { SERVICE <http://a/> { } SERVICE <http://b/> { ?s ?p ?o } }")
    parts = two[1]["where"]["part"]
    assert [p["service_string"] for p in parts] == [
        "SERVICE <http://a/> { }", "SERVICE <http://b/> { ?s ?p ?o }"]


def test_a_hash_before_service_in_an_update_is_seen():
    info = analyse(f"INSERT {{ ?s ?p ?o }} WHERE {{ ?s <http://x/#a> ?o SERVICE <{EVIL}> {{ ?s ?p ?o }} }}")
    assert info.is_update and info.services == (EVIL,)
    with pytest.raises(QueryError) as refused:
        check_update(info)
    assert refused.value.code == "KG305"
    assert analyse(f"LOAD <http://x/#a> ; LOAD <{EVIL}>").loads == ("http://x/#a", EVIL)


def test_long_legal_query_parses():
    body = " . ".join(f"?s{i} <http://x/p{i}> 'v{i}'" for i in range(1500))
    assert analyse("SELECT * WHERE { " + body + " }").form == "SELECT"
