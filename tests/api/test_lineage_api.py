"""``GET /decisions/{id}/lineage`` over a store built from the seed corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.lineage import router as lineage_router
from kgraph.graph.build import build_corpus
from kgraph.graph.store import GraphStore
from kgraph.settings import Settings

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
Q_2016 = "2016-commissioning-and-procurement-of-the-child-and-young-people-mental"
Q_2021 = "2021-supporting-parents-to-build-resilience-and-self-help-strategies"


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    path = tmp_path_factory.mktemp("lineage-api") / "store"
    store = GraphStore.open(path)
    assert build_corpus([CORPUS], store).errors == []
    try:
        from api.app import create_app
    except ImportError:  # pragma: no cover - a bare app with the router and a store
        from fastapi import FastAPI

        app = FastAPI()
        app.state.store = store
        app.include_router(lineage_router)
    else:
        app = create_app(Settings(store_path=path), store, workers=1)
    with TestClient(app) as c:
        yield c


@pytest.mark.parametrize("ident", ["19%2F00076", "19-00076", "19/00076"])
def test_lineage_json_for_every_id_form(client, ident):
    r = client.get(f"/decisions/{ident}/lineage")
    assert r.status_code == 200, r.text
    view = r.json()
    assert view["root"] == "19-00076"
    edges = {(e["from"], e["type"], e["to"]): e for e in view["edges"]}
    assert {("19-00076", "supersedes", "18-00071"), ("19-00076", "amends", Q_2016),
            (Q_2021, "reallocatesFundingFrom", "19-00076")} <= edges.keys()
    assert "debated the following decision: 18/00071" in edges[("19-00076", "supersedes", "18-00071")]["evidence"]["quote"]
    assert "Finalise changes to the Section 76" in edges[("19-00076", "amends", Q_2016)]["evidence"]["quote"]
    assert "previously funding the Early Help Pathway" in \
        edges[(Q_2021, "reallocatesFundingFrom", "19-00076")]["evidence"]["quote"]
    assert any(t == "proposes" and b == "19-00076" for _, t, b in edges)
    for n in view["nodes"]:
        assert {"id", "number", "title", "date", "status", "kind"} <= n.keys()
    for e in view["edges"]:
        assert {"type", "confidence", "evidence"} <= e.keys()
        assert {"document", "start", "end", "quote"} <= e["evidence"].keys()
    assert "23-00046" not in {n["id"] for n in view["nodes"]}


def test_not_edge_is_absent_from_23_00046(client):
    view = client.get("/decisions/23-00046/lineage").json()
    assert view["edges"] == [] and [n["id"] for n in view["nodes"]] == ["23-00046"]


def test_direction_depth_and_formats(client):
    up = client.get("/decisions/19-00076/lineage", params={"direction": "up", "depth": 1}).json()
    assert Q_2021 not in {n["id"] for n in up["nodes"]}
    down = client.get("/decisions/18-00071/lineage", params={"direction": "down"}).json()
    assert {n["id"] for n in down["nodes"] if n["kind"] == "Decision"} == {"18-00071", "19-00076", Q_2021}
    for fmt, media in (("jsonld", "application/ld+json"), ("graphml", "application/graphml+xml"),
                       ("dot", "text/vnd.graphviz"), ("mermaid", "text/plain")):
        r = client.get("/decisions/19%2F00076/lineage", params={"format": fmt})
        assert r.status_code == 200 and r.headers["content-type"].startswith(media), fmt
    assert "@graph" in json.loads(client.get("/decisions/19-00076/lineage?format=jsonld").text)


def test_unknown_id_is_a_404_in_the_error_envelope(client):
    r = client.get("/decisions/99%2F99999/lineage")
    assert r.status_code == 404
    body = r.json()
    assert body["error"]["code"] == "KG401"
    assert "99/99999" in body["error"]["message"]


def test_bad_parameters_are_rejected(client):
    assert client.get("/decisions/19-00076/lineage?direction=sideways").status_code == 422
    assert client.get("/decisions/19-00076/lineage?format=pdf").status_code == 422
    for query in ("depth=1.0", "limit=+5", "format=json&format=dot", "direction=up&direction=up"):
        r = client.get(f"/decisions/19-00076/lineage?{query}")
        assert r.status_code == 422 and r.json()["error"]["code"] == "KG604", query
    assert client.get("/decisions/19-00076/lineage?depth=1&limit=5&format=dot").status_code == 200


def test_timeline_is_oldest_first(client):
    r = client.get("/decisions/18%2F00071/timeline")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["root"] == "18-00071" and body["head"] == "19-00076"
    assert [n["id"] for n in body["nodes"]] == ["18-00071", "19-00076", Q_2021]


def test_explanation_path_between_two_decisions(client):
    r = client.get("/lineage/path", params={"from": Q_2021, "to": "18/00071"})
    assert r.status_code == 200, r.text
    steps = [(e["from"], e["type"], e["to"]) for e in r.json()["edges"]]
    assert steps == [(Q_2021, "reallocatesFundingFrom", "19-00076"), ("19-00076", "supersedes", "18-00071")]
    assert all(e["evidence"]["quote"] for e in r.json()["edges"])


def test_unconnected_decisions_have_no_path(client):
    r = client.get("/lineage/path", params={"from": "23/00046", "to": "19/00076"})
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "KG401"


def test_answers_are_what_the_openapi_document_says(client):
    """Each JSON answer validates against its documented model; each export's media type is
    documented; errors are documented in the envelope."""
    from api.lineage import LineagePath, LineageView, Timeline

    for direction in ("up", "down", "both"):
        LineageView.model_validate(client.get(f"/decisions/19-00076/lineage?direction={direction}").json())
    Timeline.model_validate(client.get("/decisions/18%2F00071/timeline").json())
    path = client.get("/lineage/path", params={"from": Q_2021, "to": "18/00071"}).json()
    assert LineagePath.model_validate(path).edges
    spec = client.get("/openapi.json").json()["paths"]
    lineage = spec["/decisions/{id}/lineage"]["get"]
    documented = set(lineage["responses"]["200"]["content"])
    for fmt in ("json", "jsonld", "graphml", "dot", "mermaid"):
        r = client.get(f"/decisions/19-00076/lineage?format={fmt}")
        assert r.headers["content-type"].split(";")[0] in documented, fmt
    for route in ("/decisions/{id}/lineage", "/decisions/{id}/timeline", "/lineage/path"):
        responses = spec[route]["get"]["responses"]
        assert responses["404"]["content"]["application/json"]["schema"]["$ref"].endswith("ErrorEnvelope")
        assert responses["422"]["content"]["application/json"]["schema"]["$ref"].endswith("ErrorEnvelope")
    r = client.get("/decisions/no-such/timeline")
    assert r.status_code == 404 and r.json()["error"]["code"] == "KG401"
