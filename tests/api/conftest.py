"""A real kgraph server (uvicorn on a free loopback port) over a small hand-built store."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
import uvicorn

from api.app import create_app
from api.server import config_kwargs
from kgraph.graph.store import GraphStore
from kgraph.iris import DEFAULT_BASE as BASE
from kgraph.read.common import DCT, ELI, KG, RDF, SCHEMA, SKOS, XSD
from kgraph.read.ids import LEGISLATION_ID
from kgraph.settings import Settings

DOC_A = BASE + "document/aaaa"
DOC_B = BASE + "document/bbbb"
FILLER = BASE + "document/filler"
DECISION = BASE + "council/kent-county-council/decision/19-00076"
ORG = BASE + "org/nelft"
TOKEN = "s3cret-token"
ROW_CAP = 100
FILLER_TRIPLES = 130

DOC_A_NT = f"""
<{DECISION}> <{RDF}type> <{KG}Decision> .
<{DECISION}> <{DCT}title> "Integrated Children's Services" .
<{DECISION}> <{DCT}identifier> "19/00076" .
<{DECISION}> <{ELI}based_on> <{LEGISLATION_ID}ukpga/2006/41/section/76> .
<{DECISION}> <{SCHEMA}funder> <{ORG}> .
<{ORG}> <{SKOS}prefLabel> "North East London NHS Foundation Trust"@en .
"""
DOC_B_NT = f"""
<{BASE}council/kent-county-council/decision/18-00071> <{DCT}title> "Early Help" .
<{BASE}council/kent-county-council/decision/18-00071> <{KG}amount> "1200000"^^<{XSD}integer> .
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    url: str
    settings: Settings
    store: GraphStore

    @property
    def sparql(self) -> str:
        return self.url + "/sparql"


def fill(store: GraphStore) -> None:
    store.replace_document_graph(DOC_A, DOC_A_NT, source="a.txt", sha256="aaaa")
    store.replace_document_graph(DOC_B, DOC_B_NT, source="b.txt", sha256="bbbb")
    filler = "\n".join(
        f'<{BASE}n/{i}> <http://example.org/value> "{i}"^^<{XSD}integer> .'
        for i in range(FILLER_TRIPLES)
    )
    store.replace_graph(FILLER, filler)
    store.flush()


def serve(settings: Settings, store: GraphStore, port: int) -> Iterator[Server]:
    """Run uvicorn in a thread until the generator is closed."""
    app = create_app(settings, store)
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on",
                            **config_kwargs())
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name=f"uvicorn-{port}", daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("test server did not start")
        time.sleep(0.05)
    try:
        yield Server(url, settings, store)
    finally:
        server.should_exit = True
        thread.join(30)


@pytest.fixture(scope="session")
def server(tmp_path_factory) -> Iterator[Server]:
    """Updates enabled, 1 s query / 2 s update time limits, row cap 100, SERVICE allowed only
    to itself."""
    path = tmp_path_factory.mktemp("store") / "oxigraph"
    store = GraphStore.open(path)
    fill(store)
    port = free_port()
    settings = Settings(
        store_path=path,
        query_timeout_s=1.0,
        update_timeout_s=2.0,
        query_row_cap=ROW_CAP,
        update_token=TOKEN,
        service_allowlist=(f"http://127.0.0.1:{port}/sparql",),
    )
    yield from serve(settings, store, port)


@pytest.fixture(scope="session")
def locked_server() -> Iterator[Server]:
    """Default settings (no update token) over an in-memory store."""
    store = GraphStore.in_memory()
    fill(store)
    yield from serve(Settings(), store, free_port())


@pytest.fixture()
def client(server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=30) as c:
        yield c


def assert_envelope(response: httpx.Response, status: int, code: str) -> dict:
    """The one error shape: JSON ``{"error": {"code", "message", "detail"}}``."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "detail"}
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    return body["error"]
