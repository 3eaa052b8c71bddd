"""The error envelope as a contract: every error route, one shape, JSON."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from kgraph.graph.store import GraphStore
from kgraph.settings import Settings
from tests.api.conftest import TOKEN, assert_envelope

AUTH = {"authorization": f"Bearer {TOKEN}"}
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"

CASES = [
    # id, method, path, request kwargs, status, code
    ("unknown route", "GET", "/nope", {}, 404, "KG601"),
    ("unknown IRI", "GET", "/id/org/nobody", {}, 404, "KG401"),
    ("method not allowed", "DELETE", "/sparql", {}, 405, "KG602"),
    ("malformed query", "GET", "/sparql", {"params": {"query": "SELECT WHERE {"}}, 400, "KG302"),
    (
        "two queries",
        "GET",
        "/sparql",
        {"params": [("query", "ASK {}"), ("query", "ASK {}")]},
        400,
        "KG302",
    ),
    ("empty POST", "POST", "/sparql", {"data": {"query": ""}}, 400, "KG302"),
    (
        "bad graph IRI",
        "GET",
        "/sparql",
        {"params": {"query": "ASK {}", "default-graph-uri": "not an iri"}},
        400,
        "KG302",
    ),
    (
        "not acceptable",
        "GET",
        "/sparql",
        {"params": {"query": "ASK {}"}, "headers": {"accept": "image/png"}},
        406,
        "KG603",
    ),
    ("bad format", "GET", "/id/org/nelft", {"params": {"format": "png"}}, 406, "KG603"),
    (
        "unsupported body",
        "POST",
        "/sparql",
        {"content": "x", "headers": {"content-type": "text/plain"}},
        415,
        "KG605",
    ),
    ("update at /sparql", "GET", "/sparql", {"params": {"query": "CLEAR ALL"}}, 403, "KG304"),
    (
        "SERVICE refused",
        "GET",
        "/sparql",
        {"params": {"query": "SELECT * { SERVICE <http://example.org/sparql> {} }"}},
        403,
        "KG305",
    ),
    (
        "no token",
        "POST",
        "/sparql/update",
        {"content": "CLEAR ALL", "headers": {"content-type": "application/sparql-update"}},
        401,
        "KG304",
    ),
    (
        "bad update",
        "POST",
        "/sparql/update",
        {
            "content": "CLEAR NONSENSE",
            "headers": {"content-type": "application/sparql-update", **AUTH},
        },
        400,
        "KG306",
    ),
    (
        "update media type",
        "POST",
        "/sparql/update",
        {"content": "CLEAR ALL", "headers": {"content-type": "text/plain", **AUTH}},
        415,
        "KG605",
    ),
    (
        "data without graph",
        "POST",
        "/data",
        {"content": "<a:b> <a:c> <a:d> .", "headers": {"content-type": "text/turtle", **AUTH}},
        422,
        "KG604",
    ),
    ("timeout", "GET", "/sparql", {"params": {"query": RUNAWAY}}, 503, "KG303"),
]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "method", "path", "kwargs", "status", "code"), CASES, ids=[c[0] for c in CASES]
)
def test_error_envelope_over_http(client, name, method, path, kwargs, status, code):
    assert_envelope(client.request(method, path, **kwargs), status, code)


@pytest.mark.slow
def test_update_disabled_envelope(locked_server):
    import httpx

    with httpx.Client(base_url=locked_server.url) as c:
        r = c.post(
            "/sparql/update",
            content="CLEAR ALL",
            headers={"content-type": "application/sparql-update"},
        )
    assert_envelope(r, 403, "KG304")


def test_validation_and_internal_errors_use_the_envelope():
    """422 from FastAPI's validation and 500 from a bug share the same shape."""
    app = create_app(Settings(), GraphStore.in_memory(), workers=1)

    @app.get("/probe/{n}")
    def probe(n: int) -> dict:
        if n == 0:
            raise RuntimeError("boom")
        return {"n": n}

    with TestClient(app, raise_server_exceptions=False) as c:
        err = assert_envelope(c.get("/probe/abc"), 422, "KG604")
        assert err["detail"][0]["loc"] == ["path", "n"]
        err = assert_envelope(c.get("/probe/0"), 500, "KG600")
        assert "boom" not in err["message"]
        assert c.get("/probe/2").json() == {"n": 2}


def test_cors_preflight_refusals_use_the_envelope(client):
    pre = {"origin": "https://example.org", "access-control-request-method": "DELETE"}
    r = client.options("/sparql", headers=pre)
    err = assert_envelope(r, 400, "KG316")
    assert "method" in err["message"].lower()
    pre = {"origin": "https://example.org", "access-control-request-method": "GET",
           "access-control-request-headers": "x-evil"}
    assert_envelope(client.options("/sparql", headers=pre), 400, "KG316")
    # the update routes answer no preflight at all (no CORS there), still in the envelope
    r = client.options("/sparql/update", headers={**pre, "access-control-request-method": "POST"})
    assert r.json()["error"]["code"] == "KG602"
