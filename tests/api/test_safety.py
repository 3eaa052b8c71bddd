"""Safe by default: read-only endpoint, token-guarded updates, time limit, row cap, SERVICE allow-list, CORS."""

from __future__ import annotations

import threading
import time

import httpx
import pytest

from tests.api.conftest import FILLER, ROW_CAP, TOKEN, assert_envelope

pytestmark = pytest.mark.slow

AUTH = {"authorization": f"Bearer {TOKEN}"}
UPDATE_CT = {"content-type": "application/sparql-update"}
GRAPH = "https://w3id.org/kgraph/id/document/uploaded"


def _ask(client, query: str) -> bool:
    r = client.get("/sparql", params={"query": query})
    assert r.status_code == 200, r.text
    return r.json()["boolean"]


# ---------------------------------------------------------------------------- updates


def test_update_refused_when_no_token_configured(locked_server):
    with httpx.Client(base_url=locked_server.url) as c:
        r = c.post("/sparql/update", content="CLEAR ALL", headers={**UPDATE_CT, **AUTH})
        err = assert_envelope(r, 403, "KG304")
        assert "KGRAPH_UPDATE_TOKEN" in err["message"]
        r = c.post(
            "/data?graph=" + GRAPH,
            content="<a:b> <a:c> <a:d> .",
            headers={"content-type": "text/turtle"},
        )
        assert_envelope(r, 403, "KG304")


@pytest.mark.parametrize(
    "headers", [{}, {"authorization": "Bearer wrong"}, {"authorization": "Basic czNjcmV0"}]
)
def test_update_refused_with_wrong_or_missing_token(client, headers):
    r = client.post("/sparql/update", content="CLEAR ALL", headers={**UPDATE_CT, **headers})
    assert_envelope(r, 401, "KG304")
    assert r.headers["www-authenticate"].startswith("Bearer")


def test_update_accepted_and_visible(client):
    marker = f"update-{time.time_ns()}"
    ask = f'ASK {{ GRAPH <{GRAPH}> {{ ?s ?p "{marker}" }} }}'
    assert not _ask(client, ask)
    update = f'INSERT DATA {{ GRAPH <{GRAPH}> {{ <{GRAPH}#x> <http://purl.org/dc/terms/title> "{marker}" }} }}'
    r = client.post("/sparql/update", content=update, headers={**UPDATE_CT, **AUTH})
    assert r.status_code == 204, r.text
    assert _ask(client, ask)
    # the form encoding works too
    r = client.post(
        "/sparql/update",
        data={
            "update": f'DELETE DATA {{ GRAPH <{GRAPH}> {{ <{GRAPH}#x> <http://purl.org/dc/terms/title> "{marker}" }} }}'
        },
        headers=AUTH,
    )
    assert r.status_code == 204, r.text
    assert not _ask(client, ask)


def test_data_upload_visible(client):
    turtle = '@prefix dct: <http://purl.org/dc/terms/> . <#doc> dct:title "Uploaded paper" .'
    r = client.post(
        f"/data?graph={GRAPH}", content=turtle, headers={"content-type": "text/turtle", **AUTH}
    )
    assert r.status_code == 200, r.text
    assert r.json() == {"loaded": 1, "graphs": [GRAPH]}
    assert _ask(client, f'ASK {{ GRAPH <{GRAPH}> {{ <{GRAPH}#doc> ?p "Uploaded paper" }} }}')


def test_bad_update_and_bad_data(client):
    r = client.post("/sparql/update", content="INSERT NONSENSE", headers={**UPDATE_CT, **AUTH})
    assert_envelope(r, 400, "KG306")
    r = client.post(
        f"/data?graph={GRAPH}",
        content="<unterminated",
        headers={"content-type": "text/turtle", **AUTH},
    )
    assert_envelope(r, 400, "KG306")
    r = client.post(
        "/sparql/update",
        content="LOAD <http://example.org/data.ttl>",
        headers={**UPDATE_CT, **AUTH},
    )
    assert_envelope(r, 403, "KG304")


@pytest.mark.parametrize(
    ("method", "kwargs"),
    [
        ("GET", {"params": {"query": "INSERT DATA { <a:b> <a:c> <a:d> }"}}),
        ("GET", {"params": {"update": "CLEAR ALL"}}),
        ("POST", {"data": {"query": "DELETE WHERE { ?s ?p ?o }"}}),
        ("POST", {"data": {"update": "CLEAR ALL"}}),
        ("POST", {"content": "CLEAR ALL", "headers": UPDATE_CT}),
        ("POST", {"content": "DROP ALL", "headers": {"content-type": "application/sparql-query"}}),
    ],
)
def test_sparql_endpoint_is_read_only(client, method, kwargs):
    r = client.request(method, "/sparql", **kwargs)
    err = assert_envelope(r, 403, "KG304")
    assert "/sparql/update" in err["message"]
    assert _ask(client, f"ASK {{ GRAPH <{FILLER}> {{ ?s ?p ?o }} }}")


# ---------------------------------------------------------------------------- limits

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"


def test_runaway_query_is_stopped_while_others_are_served(server):
    done: dict[str, float] = {}
    responses: dict[str, httpx.Response] = {}

    def runaway() -> None:
        with httpx.Client(base_url=server.url, timeout=60) as c:
            responses["runaway"] = c.get("/sparql", params={"query": RUNAWAY})
        done["runaway"] = time.monotonic()

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.2)  # let it reach a worker
    with httpx.Client(base_url=server.url, timeout=60) as c:
        small = c.get(
            "/sparql",
            params={"query": "SELECT ?t WHERE { ?s <http://purl.org/dc/terms/title> ?t }"},
        )
    done["small"] = time.monotonic()
    thread.join(60)
    assert small.status_code == 200
    assert len(small.json()["results"]["bindings"]) >= 2
    err = assert_envelope(responses["runaway"], 503, "KG303")
    assert "limit" in err["message"]
    assert done["small"] < done["runaway"]
    # the killed worker is replaced: the endpoint keeps answering
    with httpx.Client(base_url=server.url, timeout=60) as c:
        for _ in range(3):
            assert c.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"] is True


def test_row_cap_is_signalled(client):
    q = f"SELECT ?s ?o WHERE {{ GRAPH <{FILLER}> {{ ?s ?p ?o }} }}"
    r = client.get("/sparql", params={"query": q})
    assert r.status_code == 200
    assert r.headers["x-kgraph-truncated"] == "true"
    assert r.headers["x-kgraph-row-cap"] == str(ROW_CAP)
    assert len(r.json()["results"]["bindings"]) == ROW_CAP
    r = client.get("/sparql", params={"query": q + " LIMIT 5"})
    assert r.headers["x-kgraph-truncated"] == "false"
    construct = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{FILLER}> {{ ?s ?p ?o }} }}"
    r = client.get("/sparql", params={"query": construct, "format": "nt"})
    assert r.headers["x-kgraph-truncated"] == "true"
    assert len(r.text.strip().splitlines()) == ROW_CAP


# ---------------------------------------------------------------------------- SERVICE


def test_service_refused_unless_allowed(client, server):
    refused = "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"
    err = assert_envelope(client.get("/sparql", params={"query": refused}), 403, "KG305")
    assert "http://example.org/sparql" in err["detail"]["subject"]
    variable = (
        "SELECT * WHERE { VALUES ?e { <http://example.org/sparql> } SERVICE ?e { ?s ?p ?o } }"
    )
    assert_envelope(client.get("/sparql", params={"query": variable}), 403, "KG305")
    prefixed = (
        "PREFIX ex: <http://example.org/> SELECT * WHERE { SERVICE SILENT ex:sparql { ?s ?p ?o } }"
    )
    assert_envelope(client.get("/sparql", params={"query": prefixed}), 403, "KG305")
    # the test server lists only itself: a federated query to it passes the allow-list
    allowed = f"SELECT ?t WHERE {{ SERVICE <{server.sparql}> {{ <https://w3id.org/kgraph/id/council/kent-county-council/decision/19-00076> <http://purl.org/dc/terms/title> ?t }} }}"
    r = client.get("/sparql", params={"query": allowed})
    assert r.status_code == 200, r.text
    assert r.json()["results"]["bindings"][0]["t"]["value"] == "Integrated Children's Services"


def test_service_refused_by_default(locked_server):
    q = "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"
    with httpx.Client(base_url=locked_server.url) as c:
        assert_envelope(c.get("/sparql", params={"query": q}), 403, "KG305")


# ---------------------------------------------------------------------------- CORS


def test_cors_open_for_reads_closed_for_updates(client):
    origin = {"origin": "https://example.org"}
    r = client.get("/sparql", params={"query": "ASK {}"}, headers=origin)
    assert r.headers["access-control-allow-origin"] == "*"
    assert "x-kgraph-truncated" in r.headers["access-control-expose-headers"].lower()
    pre = {**origin, "access-control-request-method": "GET"}
    r = client.options("/sparql", headers=pre)
    assert r.status_code == 200 and r.headers["access-control-allow-origin"] == "*"
    pre = {
        **origin,
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization",
    }
    for path in ("/sparql/update", "/data"):
        r = client.options(path, headers=pre)
        assert "access-control-allow-origin" not in r.headers
        r = client.post(path, content="CLEAR ALL", headers={**origin, **UPDATE_CT})
        assert "access-control-allow-origin" not in r.headers


# ---------------------------------------------------------------------------- guards from the parse


SNEAKY_SERVICE = (
    "SELECT ?a WHERE { OPTIONAL { ?s kg:x\\' ?o } SERVICE <http://127.0.0.1:9/x> { ?a ?b ?c } "
    "BIND('z' AS ?z) }"
)


def test_escaped_prefixed_name_does_not_hide_a_service(client, locked_server):
    for base in (client.base_url, locked_server.url):
        r = httpx.get(f"{base}/sparql", params={"query": SNEAKY_SERVICE}, timeout=30)
        err = assert_envelope(r, 403, "KG305")
        assert "127.0.0.1:9" in str(err["detail"])


@pytest.mark.parametrize(
    ("update", "status", "code"),
    [
        ("PREFIX kg: <http://k/> INSERT { ?s kg:x\\' 1 } WHERE { ?s ?p ?o } ; "
         "LOAD <http://127.0.0.1:9/x.ttl>", 403, "KG304"),
        ("LOAD <file:///etc/passwd> INTO GRAPH <http://g>", 403, "KG307"),
        ("INSERT { ?s ?p ?o } WHERE { SERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } }", 403, "KG305"),
        ("INSERT { <http://a> <http://b> 1 } WHERE " + "{" * 5000 + "}" * 5000, 400, "KG312"),
    ],
)
def test_updates_are_checked_from_the_parse(client, update, status, code):
    r = client.post("/sparql/update", content=update, headers={**UPDATE_CT, **AUTH})
    assert_envelope(r, status, code)
    assert _ask(client, "ASK { ?s ?p ?o }")  # still answering


def test_deep_query_refused_and_twenty_at_once_leave_nobody_waiting(server):
    deep = "SELECT * WHERE " + "{" * 5000 + "}" * 5000
    results: list[int] = []

    def send() -> None:
        r = httpx.post(server.sparql, content=deep, timeout=60,
                       headers={"content-type": "application/sparql-query"})
        results.append(r.status_code)
        assert r.json()["error"]["code"] == "KG312"

    threads = [threading.Thread(target=send) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert results == [400] * 20
    r = httpx.get(server.sparql, params={"query": "ASK { ?s ?p ?o }"}, timeout=30)
    assert r.status_code == 200


def test_invalid_utf8_update_is_refused_like_data(client):
    bad = b'INSERT DATA { GRAPH <http://g> { <http://a> <http://b> "\xff\xfe" } }'
    assert_envelope(
        client.post("/sparql/update", content=bad, headers={**UPDATE_CT, **AUTH}), 400, "KG306"
    )
    assert_envelope(
        client.post("/data?graph=http://g", content=b'<http://a> <http://b> "\xff" .',
                    headers={"content-type": "text/turtle", **AUTH}), 400, "KG306"
    )
    assert not _ask(client, 'ASK { ?s ?p "\ufffd\ufffd" }')


def test_slow_update_is_stopped_and_others_are_served(server):
    """A cross-join update is stopped at update_timeout_s; nothing of it is applied."""
    cross = ("INSERT { GRAPH <http://g/slow> { <http://x> <http://y> ?n } } WHERE { "
             "SELECT (COUNT(*) AS ?n) WHERE { "
             + " . ".join(f"GRAPH ?g{i} {{ ?a{i} ?b{i} ?c{i} }}" for i in range(6)) + " } }")
    started = time.monotonic()
    with httpx.Client(base_url=server.url, timeout=60) as c:
        r = c.post("/sparql/update", content=cross, headers={**UPDATE_CT, **AUTH})
        assert_envelope(r, 503, "KG313")
        assert time.monotonic() - started < server.settings.update_timeout_s + 10
        assert not _ask(c, "ASK { GRAPH <http://g/slow> { ?s ?p ?o } }")
        assert _ask(c, "ASK { ?s ?p ?o }")


def test_service_after_a_hash_iri_on_its_line_runs_or_is_refused_by_the_allow_list(client, server):
    """A ``#`` inside an IRI before a SERVICE on the same line no longer breaks the parse: an
    allowed SERVICE runs, another is refused as a SERVICE (KG305), not as malformed (KG302)."""
    decision = "https://w3id.org/kgraph/id/council/kent-county-council/decision/19-00076"
    allowed = (f"SELECT ?t WHERE {{ VALUES ?x {{ <http://example.org/#a> }} SERVICE <{server.sparql}> "
               f"{{ <{decision}> <http://purl.org/dc/terms/title> ?t }} }}")
    r = client.get("/sparql", params={"query": allowed})
    assert r.status_code == 200, r.text
    assert r.json()["results"]["bindings"][0]["t"]["value"] == "Integrated Children's Services"
    evil = ("SELECT * WHERE { ?s <http://example.org/#a> ?o SERVICE <http://127.0.0.1:9/x> "
            "{ ?a ?b ?c } }")
    err = assert_envelope(client.get("/sparql", params={"query": evil}), 403, "KG305")
    assert "127.0.0.1:9" in str(err["detail"])
