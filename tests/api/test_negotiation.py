"""Content negotiation over HTTP: Accept (q-values, wildcards), format=, 406."""

from __future__ import annotations

import pytest

from api.errors import ApiError
from api.negotiation import RDF_FORMATS, RESULT_FORMATS, negotiate, parse_accept
from tests.api.conftest import assert_envelope

SELECT = "SELECT ?t WHERE { ?s <http://purl.org/dc/terms/title> ?t }"
CONSTRUCT = "CONSTRUCT { ?s <http://purl.org/dc/terms/title> ?t } WHERE { ?s <http://purl.org/dc/terms/title> ?t }"
ASK = "ASK { ?s ?p ?o }"

JSON, XML = "application/sparql-results+json", "application/sparql-results+xml"
CSV, TSV = "text/csv", "text/tab-separated-values"
TTL, NT, JSONLD = "text/turtle", "application/n-triples", "application/ld+json"
NQ, RDFXML = "application/n-quads", "application/rdf+xml"

CASES = [
    # query, Accept, format=, expected media type (None: 406)
    (SELECT, None, None, JSON),
    (SELECT, "*/*", None, JSON),
    (SELECT, JSON, None, JSON),
    (SELECT, XML, None, XML),
    (SELECT, CSV, None, CSV),
    (SELECT, TSV, None, TSV),
    (SELECT, "application/json", None, JSON),
    (SELECT, "application/xml", None, XML),
    (SELECT, "text/*", None, CSV),
    (SELECT, "text/csv;q=0.5, text/tab-separated-values", None, TSV),
    (SELECT, "text/csv;q=0.9, application/sparql-results+xml;q=0.8", None, CSV),
    (SELECT, "application/sparql-results+json;q=0.1, */*;q=0.5", None, XML),
    (SELECT, "text/csv, */*", None, CSV),
    (SELECT, "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", None, XML),
    (SELECT, "image/png", None, None),
    (SELECT, "text/turtle", None, None),
    (SELECT, "*/*;q=0", None, None),
    (SELECT, "image/png", "csv", CSV),
    (SELECT, None, "json", JSON),
    (SELECT, None, "xml", XML),
    (SELECT, None, "tsv", TSV),
    (SELECT, None, "ttl", None),
    (SELECT, None, "nonsense", None),
    (ASK, None, None, JSON),
    (ASK, XML, None, XML),
    (CONSTRUCT, None, None, TTL),
    (CONSTRUCT, "*/*", None, TTL),
    (CONSTRUCT, NT, None, NT),
    (CONSTRUCT, JSONLD, None, JSONLD),
    (CONSTRUCT, NQ, None, NQ),
    (CONSTRUCT, RDFXML, None, RDFXML),
    (CONSTRUCT, "application/*", None, NT),
    (CONSTRUCT, "text/turtle;q=0.2, application/ld+json;q=0.8", None, JSONLD),
    (CONSTRUCT, "application/json", None, JSONLD),
    (CONSTRUCT, "text/csv", None, None),
    (CONSTRUCT, JSON, None, None),
    (CONSTRUCT, None, "ttl", TTL),
    (CONSTRUCT, None, "turtle", TTL),
    (CONSTRUCT, None, "nt", NT),
    (CONSTRUCT, None, "jsonld", JSONLD),
    (CONSTRUCT, None, "nq", NQ),
    (CONSTRUCT, None, "json", JSONLD),
    (CONSTRUCT, None, "csv", None),
]


@pytest.mark.slow
@pytest.mark.parametrize(("query", "accept", "fmt", "expected"), CASES)
def test_negotiation_over_http(client, query, accept, fmt, expected):
    params = {"query": query}
    if fmt:
        params["format"] = fmt
    headers = {"accept": accept} if accept else {}
    r = client.get("/sparql", params=params, headers=headers)
    if expected is None:
        assert_envelope(r, 406, "KG603")
        return
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].split(";")[0] == expected
    assert "Accept" in r.headers["vary"]
    assert r.content


def test_parse_accept_ignores_garbage():
    assert parse_accept("garbage, text/csv;q=abc, */*;q=0.3") == [
        ("text", "csv", 0.0),
        ("*", "*", 0.3),
    ]


def test_q_zero_excludes():
    with pytest.raises(ApiError) as info:
        negotiate("text/turtle;q=0", RDF_FORMATS[:1])
    assert info.value.status == 406


def test_specific_range_beats_wildcard_at_same_q():
    assert negotiate("*/*, text/tab-separated-values", RESULT_FORMATS).name == "tsv"
