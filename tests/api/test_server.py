"""The server layer's own refusals (unparsable requests) come in the error envelope too."""

from __future__ import annotations

import contextlib
import json
import socket

import pytest

pytestmark = pytest.mark.slow

RAW_REQUESTS = {
    "unknown method": b"FROB /sparql HTTP/1.1\r\nHost: x\r\n\r\n",
    "garbage request line": b"\x16\x03\x01\x02\x00 hello\r\n\r\n",
    "bad header": b"GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n",
    "bad version": b"GET /healthz HTTP/9.9\r\nHost: x\r\n\r\n",
    "bad chunk": b"POST /sparql HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
    "huge URL": b"GET /sparql?query=" + b"x" * 200_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
    "huge headers": b"GET /healthz HTTP/1.1\r\nHost: x\r\n"
    + b"".join(b"X-Pad-%d: %s\r\n" % (i, b"y" * 1000) for i in range(300)) + b"\r\n",
}


def _send(url: str, raw: bytes) -> bytes:
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            sock.sendall(raw)
        out = b""
        while True:
            try:
                chunk = sock.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            out += chunk
    return out


@pytest.mark.parametrize("name", list(RAW_REQUESTS))
def test_unparsable_requests_get_the_envelope(server, name):
    reply = _send(server.url, RAW_REQUESTS[name])
    head, _, body = reply.partition(b"\r\n\r\n")
    status = int(head.split(b" ")[1])
    assert 400 <= status < 500, reply[:200]
    assert b"content-type: application/json" in head.lower(), reply[:300]
    error = json.loads(body)["error"]
    assert error["code"] in ("KG314", "KG315", "KG602", "KG310")
