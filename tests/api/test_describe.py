"""Dereferenceable IRIs, ETags and conditional GETs."""

from __future__ import annotations

import pytest
import rdflib

from tests.api.conftest import DECISION, ORG

pytestmark = pytest.mark.slow

PATH = "/id/" + DECISION.removeprefix("https://w3id.org/kgraph/id/")


@pytest.mark.parametrize(
    ("accept", "fmt", "content_type", "rdflib_format"),
    [
        (None, None, "text/turtle", "turtle"),
        ("*/*", None, "text/turtle", "turtle"),
        ("text/turtle", None, "text/turtle", "turtle"),
        ("application/ld+json", None, "application/ld+json", "json-ld"),
        ("application/n-triples", None, "application/n-triples", "nt"),
        (None, "jsonld", "application/ld+json", "json-ld"),
        ("text/html", "nt", "application/n-triples", "nt"),
    ],
)
def test_describe_rdf(client, accept, fmt, content_type, rdflib_format):
    r = client.get(
        PATH, headers={"accept": accept} if accept else {}, params={"format": fmt} if fmt else {}
    )
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].split(";")[0] == content_type
    g = rdflib.Graph().parse(data=r.text, format=rdflib_format)
    s = rdflib.URIRef(DECISION)
    assert len(list(g.predicate_objects(s))) == 5
    # labels of the things it points to come along
    assert g.value(rdflib.URIRef(ORG), rdflib.SKOS.prefLabel) == rdflib.Literal(
        "North East London NHS Foundation Trust", lang="en"
    )


def test_describe_html_for_browsers(client):
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    r = client.get(PATH, headers={"accept": accept})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    page = r.text
    assert "<title>Integrated Children&#x27;s Services</title>" in page
    assert 'href="/id/org/nelft"' in page  # our own IRIs stay on this server
    assert "North East London NHS Foundation Trust" in page  # objects shown by label
    assert 'href="http://www.legislation.gov.uk/id/ukpga/2006/41/section/76"' in page


def test_html_links_resolve(client):
    r = client.get("/id/org/nelft", headers={"accept": "text/html"})
    assert r.status_code == 200
    assert "North East London NHS Foundation Trust" in r.text


@pytest.mark.parametrize(
    ("path", "params"),
    [
        (PATH, {}),
        ("/sparql", {"query": "SELECT ?t WHERE { ?s <http://purl.org/dc/terms/title> ?t }"}),
        ("/sparql", {}),
    ],
)
def test_etag_and_not_modified(client, path, params):
    first = client.get(path, params=params)
    etag = first.headers["etag"]
    assert etag.startswith('"') and etag.endswith('"')
    assert client.get(path, params=params).headers["etag"] == etag  # stable
    again = client.get(path, params=params, headers={"if-none-match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag
    other = client.get(path, params=params, headers={"if-none-match": '"something-else"'})
    assert other.status_code == 200
    # another representation has another tag
    fmt = {**params, "format": "xml" if params.get("query") else "nt"}
    assert client.get(path, params=fmt).headers["etag"] != etag


def test_unsafe_iris_are_text_not_links(client):
    """A ``javascript:`` (or ``data:``) IRI in the data is shown as text, never as a link."""
    from tests.api.conftest import TOKEN

    subject = "https://w3id.org/kgraph/id/test/unsafe-links"
    data = (f"<{subject}> <http://www.w3.org/2000/01/rdf-schema#seeAlso> <javascript:alert(1)> .\n"
            f"<{subject}> <javascript:alert(2)> <data:text/html,hi> .\n"
            f"<{subject}> <http://xmlns.com/foaf/0.1/mbox> <mailto:a@example.org> .\n")
    r = client.post("/data?graph=https://w3id.org/kgraph/id/document/unsafe", content=data,
                    headers={"content-type": "application/n-triples",
                             "authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 200, r.text
    page = client.get("/id/test/unsafe-links", headers={"accept": "text/html"})
    assert page.status_code == 200
    assert 'href="javascript:' not in page.text.lower() and 'href="data:' not in page.text
    assert "javascript:alert(1)" in page.text  # still shown, as text
    assert 'href="mailto:a@example.org"' in page.text
    assert "script-src 'self';" in page.headers["content-security-policy"]
