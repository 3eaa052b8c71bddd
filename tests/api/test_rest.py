"""The REST API over a store built from the seed corpus, through a real server on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import httpx
import pytest

from api.rest import MAX_OFFSET
from kgraph.graph.store import GraphStore
from kgraph.read.common import DCT, KG, RDF
from kgraph.read.index import held_index
from kgraph.read.views import MAX_LIMIT
from kgraph.settings import Settings
from tests.api.conftest import Server, assert_envelope, free_port, serve
from tests.conftest import CORPUS

pytestmark = pytest.mark.slow

TOKEN = "rest-token"
INJECTION = '"} ; DROP ALL #'
NHS_S76 = "ukpga/2006/41/section/76"
UNNUMBERED_2016 = "2016-commissioning-and-procurement-of-the-child-and-young-people-mental"
ROUTES = ["/decisions", "/decisions/{id}", "/decisions/{id}/basis", "/legislation/{id}/decisions",
          "/organisations", "/organisations/{id}", "/funding", "/documents/{id}"]


@pytest.fixture(scope="module")
def rest_server(tmp_path_factory) -> Iterator[Server]:
    """A server over its own store built from the seed corpus (updates enabled)."""
    from kgraph.graph.build import build_corpus

    path = tmp_path_factory.mktemp("rest") / "store"
    store = GraphStore.open(path)
    assert build_corpus([CORPUS], store).errors == []
    store.flush()
    yield from serve(Settings(store_path=path, update_token=TOKEN), store, free_port())


@pytest.fixture()
def api(rest_server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=rest_server.url, timeout=30) as c:
        yield c


def ok(response: httpx.Response) -> dict:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    assert response.headers["etag"]
    return response.json()


# ---------------------------------------------------------------------------- the seed answers


@pytest.mark.parametrize("ident", ["19%2F00076", "19-00076", "19/00076"])
def test_statutory_basis_of_19_00076(api, ident):
    b = ok(api.get(f"/decisions/{ident}/basis"))
    assert b["decision"]["number"] == "19/00076"
    assert {p["path"] for p in b["relied_on"]} == {
        "ukpga/1989/41/section/22", "ukpga/1989/41/section/27",
        "ukpga/2004/31/section/11", NHS_S76}
    paths = {p["path"] for p in b["relied_on"] + b["cited"]}
    assert "ukpga/1972/70/schedule/12A" not in paths
    for p in b["relied_on"]:
        assert p["url"].startswith("https://www.legislation.gov.uk/ukpga/")
        assert p["evidence"]
    # every quote is the document's text at its offsets
    docs: dict[str, str] = {}
    for p in b["relied_on"]:
        for e in p["evidence"]:
            text = docs.setdefault(e["document"], ok(api.get(f"/documents/{e['document']}"))["text"])
            assert text[e["start"]:e["end"]] == e["exact"]


@pytest.mark.parametrize("ident", [
    NHS_S76,
    quote(NHS_S76, safe=""),
    quote("http://www.legislation.gov.uk/id/" + NHS_S76, safe=""),
])
def test_decisions_citing_nhs_act_s76(api, ident):
    out = ok(api.get(f"/legislation/{ident}/decisions"))
    assert out["legislation"]["id"] == "http://www.legislation.gov.uk/id/" + NHS_S76
    assert {c["decision"]["id"] for c in out["decisions"]} == {"19-00076", UNNUMBERED_2016}
    assert {c["relation"] for c in out["decisions"]} == {"based_on", "cites"}


def test_an_act_covers_its_provisions(api):
    out = ok(api.get("/legislation/ukpga/2006/41/decisions"))
    assert out["legislation"]["is_act"]
    assert {NHS_S76, "ukpga/2006/41/section/256"} <= {c["provision"]["path"] for c in out["decisions"]}


def test_funding_flows_from_kcc(api):
    page = ok(api.get("/funding", params={"funder": "kent-county-council", "limit": MAX_LIMIT}))
    assert page["next"] is None and page["items"]
    assert {f["funder"]["id"] for f in page["items"]} == {"kent-county-council"}
    got = {(f["amount"]["gbp"], f["amount"]["period"], (f["recipient"] or {}).get("id")) for f in page["items"]}
    assert {(2650000, "annual", "north-east-london-nhs-foundation-trust"),
            (1257000, "annual", "north-east-london-nhs-foundation-trust"),
            (800000, "annual", None)} <= got
    out = ok(api.get("/organisations/kent-county-council"))["funding"]["out"]
    assert {f["id"] for f in out} == {f["id"] for f in page["items"]}


def test_organisation(api):
    o = ok(api.get("/organisations/north-east-london-nhs-foundation-trust"))
    assert o["name"] == "North East London NHS Foundation Trust"
    labels = {a["label"] for a in o["aliases"]}
    assert {"NELFT", "NEFLT", "North East London Foundation Trust"} <= labels
    assert "19-00076" in {d["id"] for d in o["decisions"]}
    assert {f["amount"]["gbp"] for f in o["funding"]["in"]} >= {2650000, 1257000}
    names = [x["id"] for x in ok(api.get("/organisations", params={"limit": MAX_LIMIT}))["items"]]
    assert "north-east-london-nhs-foundation-trust" in names and names == sorted(names)


def test_decision_and_document(api):
    d = ok(api.get("/decisions/19%2F00076"))
    assert d["id"] == "19-00076" and d["key_decision"] is True
    assert any(f["predicate"] == "eli:based_on" and f["evidence"] for f in d["facts"])
    doc = ok(api.get(f"/documents/{d['documents'][0]['id']}"))
    assert doc["sha256"].startswith(doc["id"])
    assert all(doc["text"][s["start"]:s["end"]] == s["exact"] and s["supports"] for s in doc["spans"])


# ---------------------------------------------------------------------------- filters and pages


def ids(page: dict) -> list[str]:
    return [d["id"] for d in page["items"]]


@pytest.mark.parametrize(("params", "present", "absent"), [
    ({"organisation": "north-east-london-nhs-foundation-trust"}, ["19-00076"], [UNNUMBERED_2016]),
    ({"legislation": NHS_S76}, ["19-00076", UNNUMBERED_2016], ["23-00046"]),
    ({"legislation": "ukpga/2006/41/section/256"}, [UNNUMBERED_2016], ["19-00076"]),
    ({"legislation": "ukpga/2006/41"}, ["19-00076", UNNUMBERED_2016], ["23-00046"]),
    ({"legislation": "http://www.legislation.gov.uk/id/uksi/2015/102"}, ["23-00046"], ["19-00076"]),
    ({"from": "2019-01-01", "to": "2019-12-31"}, ["19-00076"], ["23-00046", UNNUMBERED_2016]),
    ({"from": "2023-01-01"}, ["23-00046"], ["19-00076"]),
    ({"q": "keyworker"}, ["23-00046"], ["19-00076"]),
    ({"q": "19/00076"}, ["19-00076"], ["23-00046"]),
])
def test_decision_filters(api, params, present, absent):
    got = ids(ok(api.get("/decisions", params=params)))
    assert set(present) <= set(got) and not set(absent) & set(got)


def test_pagination_follows_next_links(api):
    everything = ids(ok(api.get("/decisions", params={"limit": MAX_LIMIT})))
    seen, url, pages = [], "/decisions?limit=2", 0
    while url:
        page = ok(api.get(url))
        assert page["limit"] == 2 and len(page["items"]) <= 2
        seen += ids(page)
        url, pages = page["next"], pages + 1
    assert seen == everything and pages == (len(everything) + 1) // 2


def test_next_link_keeps_the_filters(api):
    page = ok(api.get("/decisions", params={"legislation": "ukpga/2006/41", "limit": 1}))
    assert "legislation=ukpga%2F2006%2F41" in page["next"]
    second = ok(api.get(page["next"]))
    assert ids(page) + ids(second) == ids(ok(api.get("/decisions", params={"legislation": "ukpga/2006/41"})))


def test_legislation_pages_follow_next_links(api):
    everything = ok(api.get("/legislation/ukpga/2006/41/decisions"))
    assert everything["next"] is None and everything["offset"] == 0 and everything["limit"] == 50
    seen, url = [], f"/legislation/{quote('http://www.legislation.gov.uk/id/ukpga/2006/41', safe='')}/decisions?limit=1"
    while url:
        page = ok(api.get(url))
        assert len(page["decisions"]) <= 1 and page["legislation"] == everything["legislation"]
        seen += page["decisions"]
        url = page["next"]
        assert url is None or url.startswith("/legislation/ukpga/2006/41/decisions?")
    assert seen == everything["decisions"] and len(seen) > 1


# ---------------------------------------------------------------------------- injection


def test_sparql_syntax_in_parameters_is_a_plain_value(api, rest_server):
    before = len(rest_server.store)
    baseline = ok(api.get("/decisions"))
    for params in ({"q": INJECTION}, {"organisation": INJECTION}):
        assert ok(api.get("/decisions", params=params))["items"] == []
    for params in ({"funder": INJECTION}, {"period": INJECTION}, {"decision": INJECTION}):
        assert ok(api.get("/funding", params=params))["items"] == []
    assert ok(api.get("/organisations", params={"q": INJECTION}))["items"] == []
    assert_envelope(api.get("/decisions", params={"legislation": INJECTION}), 422, "KG604")
    for path in ("/decisions/{}", "/decisions/{}/basis", "/organisations/{}",
                 "/documents/{}", "/legislation/{}/decisions"):
        err = assert_envelope(api.get(path.format(quote(INJECTION, safe=""))), 404, "KG401")
        assert err["detail"] == {"subject": INJECTION}
    assert len(rest_server.store) == before
    assert ok(api.get("/decisions")) == baseline


# ---------------------------------------------------------------------------- errors


@pytest.mark.parametrize(("path", "params", "headers", "status", "code"), [
    ("/decisions/99-99999", None, None, 404, "KG401"),
    ("/decisions/99%2F99999/basis", None, None, 404, "KG401"),
    ("/organisations/no-such-organisation", None, None, 404, "KG401"),
    ("/organisations/Not A Slug", None, None, 404, "KG401"),
    ("/legislation/ukpga/1999/99/section/1/decisions", None, None, 404, "KG401"),
    ("/legislation/not-legislation/decisions", None, None, 404, "KG401"),
    ("/documents/0000000000000000", None, None, 404, "KG401"),
    ("/documents/not-hex", None, None, 404, "KG401"),
    ("/no/such/route", None, None, 404, "KG601"),
    ("/decisions", {"limit": 0}, None, 422, "KG604"),
    ("/decisions", {"limit": MAX_LIMIT + 1}, None, 422, "KG604"),
    ("/decisions", {"offset": -1}, None, 422, "KG604"),
    ("/decisions", {"from": "15/11/2019"}, None, 422, "KG604"),
    ("/decisions", {"to": "0"}, None, 422, "KG604"),  # not read as a Unix timestamp
    ("/decisions", {"from": "2023-02-30"}, None, 422, "KG604"),
    ("/decisions", {"legislation": "Children Act"}, None, 422, "KG604"),
    ("/funding", {"min_amount": "lots"}, None, 422, "KG604"),
    ("/organisations", {"limit": "x"}, None, 422, "KG604"),
    ("/legislation/ukpga/2006/41/decisions", {"limit": MAX_LIMIT + 1}, None, 422, "KG604"),
    ("/legislation/ukpga/2006/41/decisions", {"offset": -1}, None, 422, "KG604"),
    # an offset past what index arithmetic takes was a 500
    ("/legislation/ukpga/2006/41/decisions", {"offset": 2 ** 97}, None, 422, "KG604"),
    ("/decisions", {"offset": MAX_OFFSET + 1}, None, 422, "KG604"),
    ("/decisions", {"legislation": ""}, None, 422, "KG604"),
    # read as the document types them: no repeated single value, integers written as integers
    ("/funding", [("period", "annual"), ("period", "total")], None, 422, "KG604"),
    ("/funding", {"min_amount": "0.0"}, None, 422, "KG604"),
    ("/decisions", {"limit": "1_0"}, None, 422, "KG604"),
    ("/organisations", [("q", "a"), ("q", "b")], None, 422, "KG604"),
    ("/decisions", None, {"Accept": "text/turtle"}, 406, "KG603"),
    ("/decisions/19-00076", None, {"Accept": "text/html"}, 406, "KG603"),
    ("/decisions/19-00076/basis", None, {"Accept": "application/xml"}, 406, "KG603"),
    ("/legislation/ukpga/2006/41/decisions", None, {"Accept": "text/csv"}, 406, "KG603"),
    ("/organisations", None, {"Accept": "image/png"}, 406, "KG603"),
    ("/organisations/kent-county-council", None, {"Accept": "text/plain"}, 406, "KG603"),
    ("/funding", None, {"Accept": "text/turtle"}, 406, "KG603"),
    ("/documents/0000000000000000", None, {"Accept": "text/plain"}, 406, "KG603"),
])
def test_every_error_has_the_one_envelope(api, path, params, headers, status, code):
    assert_envelope(api.get(path, params=params, headers=headers), status, code)


def test_post_is_not_allowed(api):
    assert_envelope(api.post("/decisions"), 405, "KG602")


# ---------------------------------------------------------------------------- caching


@pytest.mark.parametrize("path", ["/decisions", "/decisions/19-00076", "/decisions/19-00076/basis",
                                  f"/legislation/{NHS_S76}/decisions", "/organisations",
                                  "/organisations/kent-county-council", "/funding"])
def test_etag_and_if_none_match(api, path):
    first = api.get(path)
    etag = first.headers["etag"]
    again = api.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    other = api.get(path, headers={"If-None-Match": '"something-else"'})
    assert other.status_code == 200 and other.content == first.content


def test_a_write_refreshes_the_answers(api):
    iri = "https://w3id.org/kgraph/id/council/kent-county-council/decision/99-00001"
    before = api.get("/decisions", params={"q": "Zebra crossings"})
    assert ok(before)["items"] == []
    update = (f'INSERT DATA {{ GRAPH <https://w3id.org/kgraph/id/document/ffffffffffffffff> {{ '
              f'<{iri}> a <https://w3id.org/kgraph/def#Decision> ; '
              f'<http://purl.org/dc/terms/identifier> "99-00001" ; '
              f'<http://purl.org/dc/terms/title> "Zebra crossings" }} }}')
    r = api.post("/sparql/update", content=update, headers={
        "Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 204, r.text
    try:
        after = api.get("/decisions", params={"q": "Zebra crossings"},
                        headers={"If-None-Match": before.headers["etag"]})
        assert ids(ok(after)) == ["99-00001"]
        assert ok(api.get("/decisions/99-00001"))["title"] == "Zebra crossings"
    finally:
        r = api.post("/sparql/update", content="DROP GRAPH <https://w3id.org/kgraph/id/document/ffffffffffffffff>",
                     headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"})
        assert r.status_code == 204
    assert_envelope(api.get("/decisions/99-00001"), 404, "KG401")


def test_a_write_returns_with_the_indexes_updated(api, rest_server):
    graph = "https://w3id.org/kgraph/id/document/eeeeeeeeeeeeeeee"
    iri = "https://w3id.org/kgraph/id/council/kent-county-council/decision/99-00002"
    nt = (f"<{iri}> <{RDF}type> <{KG}Decision> .\n<{iri}> <{DCT}identifier> \"99-00002\" .\n"
          f"<{iri}> <{DCT}title> \"Bus shelters\" .\n")
    auth = {"Authorization": f"Bearer {TOKEN}"}
    r = api.post("/data", params={"graph": graph}, content=nt, headers={**auth, "Content-Type": "application/n-triples"})
    assert r.status_code == 200, r.text
    try:
        index = held_index(rest_server.store)  # no read since the write: the write updated it
        assert index is not None and index.decision_by_key["99-00002"] == iri
        assert ids(ok(api.get("/decisions", params={"q": "bus shelters"}))) == ["99-00002"]
    finally:
        r = api.post("/sparql/update", content=f"DROP GRAPH <{graph}>",
                     headers={**auth, "Content-Type": "application/sparql-update"})
        assert r.status_code == 204
    index = held_index(rest_server.store)
    assert index is not None and "99-00002" not in index.decision_by_key


def test_a_write_stands_when_the_indexes_cannot_be_updated_after_it(api, monkeypatch):
    # the store has taken the write: a failure updating the indexes must not deny it
    import api.sparql as sparql_module

    def broken(app):
        raise RuntimeError("index update failed")

    graph = "https://w3id.org/kgraph/id/document/dddddddddddddddd"
    iri = "https://w3id.org/kgraph/id/council/kent-county-council/decision/99-00003"
    nt = (f"<{iri}> <{RDF}type> <{KG}Decision> .\n<{iri}> <{DCT}identifier> \"99-00003\" .\n"
          f"<{iri}> <{DCT}title> \"Street lighting\" .\n")
    auth = {"Authorization": f"Bearer {TOKEN}"}
    monkeypatch.setattr(sparql_module, "refresh_indexes", broken)
    r = api.post("/data", params={"graph": graph}, content=nt, headers={**auth, "Content-Type": "application/n-triples"})
    assert r.status_code == 200, r.text
    assert r.json()["loaded"] == 3 and r.headers["x-kgraph-indexes"] == "stale"
    try:
        # the next read builds what the write could not
        assert ids(ok(api.get("/decisions", params={"q": "street lighting"}))) == ["99-00003"]
    finally:
        r = api.post("/sparql/update", content=f"DROP GRAPH <{graph}>",
                     headers={**auth, "Content-Type": "application/sparql-update"})
        assert r.status_code == 204 and r.headers["x-kgraph-indexes"] == "stale"
    monkeypatch.undo()
    assert_envelope(api.get("/decisions/99-00003"), 404, "KG401")


# ---------------------------------------------------------------------------- OpenAPI


def test_openapi_documents_every_route(api):
    response = api.get("/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    for route in ROUTES:
        op = spec["paths"][route]["get"]
        schema = op["responses"]["200"]["content"]["application/json"]["schema"]
        assert "$ref" in schema, route
        if "{id}" in route:
            assert "404" in op["responses"], route
    params = {p["name"] for p in spec["paths"]["/decisions"]["get"]["parameters"]}
    assert {"organisation", "legislation", "from", "to", "q", "offset", "limit"} <= params
    limit = next(p for p in spec["paths"]["/decisions"]["get"]["parameters"] if p["name"] == "limit")
    assert limit["schema"]["maximum"] == MAX_LIMIT
    assert "ErrorEnvelope" in spec["components"]["schemas"]
    assert api.get("/docs").status_code == 200


def test_openapi_describes_ids_dates_etags_and_offsets(api):
    """What a client (or a fuzzer) needs to reach real answers: example ids (a decision number
    with its slash among them), dates as dates, the ETag and 304, the offset bound."""
    spec = api.get("/openapi.json").json()
    for route in ROUTES:
        op = spec["paths"][route]["get"]
        assert "ETag" in op["responses"]["200"]["headers"], route
        assert "304" in op["responses"], route
        for param in op["parameters"]:
            if param["in"] == "path":
                assert param["examples"], route
    decision = spec["paths"]["/decisions/{id}"]["get"]["parameters"][0]
    assert "19/00076" in {e["value"] for e in decision["examples"].values()}
    params = {p["name"]: p for p in spec["paths"]["/decisions"]["get"]["parameters"]}
    assert params["from"]["schema"]["format"] == "date"
    assert "pattern" in params["legislation"]["schema"]["anyOf"][0]
    assert params["offset"]["schema"]["maximum"] == MAX_OFFSET


def test_view_cache_doctests():
    import doctest

    import api.rest

    assert doctest.testmod(api.rest).failed == 0
