"""Limits on every way in: body size, URL length, Content-Security-Policy on HTML."""

from __future__ import annotations

import socket
import time

import httpx
import pytest

from api.limits import HTML_CSP
from tests.api.conftest import TOKEN, assert_envelope

pytestmark = pytest.mark.slow

AUTH = {"authorization": f"Bearer {TOKEN}"}


def test_announced_large_body_is_refused_before_reading(server):
    """A 20 MB body is refused at once with 413, without sending (or reading) the body."""
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        started = time.monotonic()
        sock.sendall(
            b"POST /sparql/update HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-update\r\n"
            b"Authorization: Bearer " + TOKEN.encode() + b"\r\nContent-Length: 20000000\r\n\r\n"
        )
        reply = sock.recv(65536).decode()
        assert time.monotonic() - started < 2
    head, _, body = reply.partition("\r\n\r\n")
    assert head.startswith("HTTP/1.1 413")
    assert '"KG310"' in body


def test_streamed_large_body_is_refused(server):
    limit = server.settings.max_body_bytes

    def chunks():
        for _ in range(limit // 65536 + 2):
            yield b"#" * 65536

    r = httpx.post(server.url + "/sparql", content=chunks(),
                   headers={"content-type": "application/sparql-query"}, timeout=60)
    assert_envelope(r, 413, "KG310")
    assert httpx.get(server.url + "/healthz", timeout=10).status_code == 200


def test_long_url_is_414(client, server):
    r = client.get("/sparql", params={"query": "ASK {} #" + "x" * server.settings.max_url_chars})
    assert_envelope(r, 414, "KG315")


def test_long_query_in_a_body_is_413(client, server):
    text = "ASK {} #" + "x" * server.settings.max_query_chars
    r = client.post("/sparql", content=text, headers={"content-type": "application/sparql-query"})
    assert_envelope(r, 413, "KG311")


def test_html_pages_carry_a_csp(client):
    r = client.get("/id/council/kent-county-council/decision/19-00076",
                   headers={"accept": "text/html"})
    assert r.status_code == 200
    assert r.headers["content-security-policy"] == HTML_CSP
    script_src = HTML_CSP.split("script-src", 1)[1].split(";")[0]
    assert script_src.strip() == "'self'"  # no inline or foreign script can run
    assert "content-security-policy" not in client.get("/healthz").headers


def test_large_body_under_the_limits_is_accepted(client):
    """1 MB sent at once (head and body in the same packets) passes the head and body limits."""
    lines = "".join(f'<http://x/{i}> <http://x/p> "{"v" * 30}{i}" .\n' for i in range(20_000))
    assert 1_000_000 < len(lines) < 10_000_000
    r = client.post("/data", params={"graph": "http://g/large"}, content=lines.encode(),
                    headers={"content-type": "application/n-triples", **AUTH}, timeout=180)
    assert r.status_code == 200, r.text
    assert r.json()["loaded"] == 20_000
    dropped = client.post("/sparql/update", content="DROP GRAPH <http://g/large>",
                          headers={"content-type": "application/sparql-update", **AUTH},
                          timeout=180)
    assert dropped.status_code == 204, dropped.text  # the shared test store is left as it was
