"""SPARQL 1.1 Protocol: SPARQLWrapper clients, GET/POST forms, dataset parameters, descriptions."""

from __future__ import annotations

import csv
import io

import pytest
import rdflib
from SPARQLWrapper import CSV, JSON, POST, TURTLE, XML, SPARQLWrapper

from tests.api.conftest import DECISION, DOC_A, DOC_B, FILLER, ORG

pytestmark = pytest.mark.slow

TITLES = "SELECT ?s ?t WHERE { ?s <http://purl.org/dc/terms/title> ?t } ORDER BY ?t"
SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = rdflib.Namespace("http://rdfs.org/ns/void#")


def wrapper(server, fmt, query=TITLES, method=None) -> SPARQLWrapper:
    sw = SPARQLWrapper(server.sparql)
    sw.setQuery(query)
    sw.setReturnFormat(fmt)
    if method:
        sw.setMethod(method)
    return sw


@pytest.mark.parametrize("method", [None, POST])
def test_sparqlwrapper_json(server, method):
    result = wrapper(server, JSON, method=method).query().convert()
    titles = [b["t"]["value"] for b in result["results"]["bindings"]]
    assert titles == ["Early Help", "Integrated Children's Services"]


def test_sparqlwrapper_xml(server):
    doc = wrapper(server, XML).query().convert()  # an xml.dom.minidom Document
    literals = [n.firstChild.data for n in doc.getElementsByTagName("literal")]
    assert literals == ["Early Help", "Integrated Children's Services"]


def test_sparqlwrapper_csv(server):
    body = wrapper(server, CSV).query().convert()
    rows = list(csv.DictReader(io.StringIO(body.decode())))
    assert [r["t"] for r in rows] == ["Early Help", "Integrated Children's Services"]


def test_sparqlwrapper_construct_turtle(server):
    query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ BIND(<{DECISION}> AS ?s) ?s ?p ?o }}"
    body = wrapper(server, TURTLE, query).query().convert()
    g = rdflib.Graph().parse(data=body, format="turtle")
    assert (
        rdflib.URIRef(DECISION),
        rdflib.RDF.type,
        rdflib.URIRef("https://w3id.org/kgraph/def#Decision"),
    ) in g
    assert len(g) == 5


def test_sparqlwrapper_ask(server):
    assert (
        wrapper(server, JSON, f"ASK {{ <{DECISION}> ?p ?o }}").query().convert()["boolean"] is True
    )


def test_post_sparql_query_body(client):
    r = client.post("/sparql", content=TITLES, headers={"content-type": "application/sparql-query"})
    assert r.status_code == 200
    assert len(r.json()["results"]["bindings"]) == 2


def test_post_form(client):
    r = client.post("/sparql", data={"query": TITLES})
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/sparql-results+json"


def _count(client, params) -> int:
    r = client.get("/sparql", params=params)
    assert r.status_code == 200, r.text
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


def test_default_graph_is_union_of_named_graphs(client):
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?s <http://purl.org/dc/terms/title> ?t }"
    assert _count(client, {"query": q}) == 2


def test_default_graph_uri_selects_graphs(client):
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?s <http://purl.org/dc/terms/title> ?t }"
    assert _count(client, [("query", q), ("default-graph-uri", DOC_A)]) == 1
    assert (
        _count(client, [("query", q), ("default-graph-uri", DOC_A), ("default-graph-uri", DOC_B)])
        == 2
    )


def test_named_graph_uri_limits_graph_clause(client):
    q = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert _count(client, [("query", q), ("named-graph-uri", DOC_B)]) == 1
    # only named graphs given: the default graph is empty
    q2 = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert _count(client, [("query", q2), ("named-graph-uri", DOC_B)]) == 0


def test_graph_clause_keeps_provenance(client):
    q = f"SELECT ?g WHERE {{ GRAPH ?g {{ <{DECISION}> ?p ?o }} }} LIMIT 1"
    r = client.get("/sparql", params={"query": q})
    assert r.json()["results"]["bindings"][0]["g"]["value"] == DOC_A


def test_from_clause_is_respected(client):
    q = f"SELECT (COUNT(*) AS ?n) FROM <{DOC_B}> WHERE {{ ?s <http://purl.org/dc/terms/title> ?t }}"
    assert _count(client, {"query": q}) == 1


def test_service_description(client, server):
    r = client.get("/sparql")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/turtle")
    g = rdflib.Graph().parse(data=r.text, format="turtle")
    service = rdflib.URIRef(server.sparql)
    assert (service, rdflib.RDF.type, SD.Service) in g
    assert (service, SD.endpoint, service) in g
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in g
    names = {str(o) for o in g.objects(None, SD.name)}
    assert {DOC_A, DOC_B, FILLER} <= names
    dataset = g.value(service, SD.defaultDataset)
    assert g.value(dataset, SD.defaultGraph) is not None
    jsonld = client.get("/sparql", headers={"accept": "application/ld+json"})
    assert jsonld.headers["content-type"] == "application/ld+json"
    assert len(rdflib.Graph().parse(data=jsonld.text, format="json-ld")) == len(g)


def test_void(client, server):
    r = client.get("/.well-known/void")
    assert r.status_code == 200
    g = rdflib.Graph().parse(data=r.text, format="turtle")
    dataset = rdflib.URIRef(server.url + "/.well-known/void#dataset")
    assert g.value(dataset, VOID.sparqlEndpoint) == rdflib.URIRef(server.sparql)
    subsets = list(g.objects(dataset, VOID.subset))
    counts = {str(g.value(s, SD.name)): int(g.value(s, VOID.triples)) for s in subsets}
    assert counts[DOC_A] == 6 and counts[FILLER] == 130
    assert int(g.value(dataset, VOID.triples)) >= sum(counts.values())
    vocabularies = {str(v) for v in g.objects(dataset, VOID.vocabulary)}
    assert "http://purl.org/dc/terms/" in vocabularies
    assert "http://www.w3.org/2004/02/skos/core#" in vocabularies


def test_healthz(client):
    client.get("/.well-known/void")  # counts the triples; a health check never starts that
    r = client.get("/healthz")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok"
    assert body["triples"] > 130 and body["named_graphs"] >= 4  # three documents + catalog


def test_query_with_sparql_syntax_in_parameters(client):
    """Characters that mean something in URLs or SPARQL pass through intact."""
    tricky = 'a&b=c#d%20+e?f "q" <x> {y}'
    q = 'SELECT ?v WHERE { BIND("""' + tricky + '""" AS ?v) } # trailing comment & more'
    r = client.get("/sparql", params={"query": q, "format": "json"})
    assert r.status_code == 200, r.text
    assert r.json()["results"]["bindings"][0]["v"]["value"] == tricky
    r = client.post("/sparql", data={"query": q})
    assert r.json()["results"]["bindings"][0]["v"]["value"] == tricky
    # a query string pasted into a path is just an unknown IRI
    r = client.get("/id/x%3Fquery%3DSELECT%20*%20WHERE%20%7B%7D")
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "KG401"


def test_head_request(client):
    r = client.head("/sparql", params={"query": TITLES})
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/sparql-results+json"


def test_org_label_in_union(client):
    q = f"SELECT ?l WHERE {{ <{ORG}> <http://www.w3.org/2004/02/skos/core#prefLabel> ?l }}"
    r = client.get("/sparql", params={"query": q})
    binding = r.json()["results"]["bindings"][0]["l"]
    assert binding == {
        "type": "literal",
        "value": "North East London NHS Foundation Trust",
        "xml:lang": "en",
    }


def test_default_prefixes_need_no_declaration(server):
    """Researchers may use kg:, eli:, dct:, schema: ... without PREFIX lines."""
    import httpx

    r = httpx.get(f"{server.url}/sparql", params={"query": "ASK { ?d a kg:Decision }"},
                  headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200, r.text
    assert "boolean" in r.json()
