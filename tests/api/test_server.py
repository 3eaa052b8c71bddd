"""The server layer's own refusals (unparsable requests) come in the error envelope too, with
``kgraph serve`` and with plain uvicorn given kgraph's protocol class (``--http``)."""

from __future__ import annotations

import contextlib
import gc
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from kgraph.graph.store import GraphStore
from tests.api.conftest import fill, free_port

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]

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


def _assert_envelope(reply: bytes) -> None:
    head, _, body = reply.partition(b"\r\n\r\n")
    status = int(head.split(b" ")[1])
    assert 400 <= status < 500, reply[:200]
    assert b"content-type: application/json" in head.lower(), reply[:300]
    error = json.loads(body)["error"]
    assert error["code"] in ("KG314", "KG315", "KG602", "KG310")


@pytest.mark.parametrize("name", list(RAW_REQUESTS))
def test_unparsable_requests_get_the_envelope(server, name):
    _assert_envelope(_send(server.url, RAW_REQUESTS[name]))


# ---------------------------------------------------------------------------- plain uvicorn


@pytest.fixture(scope="module")
def plain_uvicorn(tmp_path_factory) -> Iterator[str]:
    """``uvicorn api.app:create_app --factory --http api.server:EnvelopeHttpTools``, run as a
    user would (its own process, settings from ``KGRAPH_*``), over a small store."""
    path = tmp_path_factory.mktemp("plain-uvicorn") / "store"
    store = GraphStore.open(path)
    fill(store)
    del store
    gc.collect()  # releases the store's lock for the server process
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("KGRAPH_")}
    env.update({"KGRAPH_STORE_PATH": str(path), "KGRAPH_CACHE_DIR": ""})
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory", "--http",
         "api.server:EnvelopeHttpTools", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT, env=env, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            assert proc.poll() is None, "uvicorn exited at start"
            assert time.monotonic() < deadline, "uvicorn did not start"
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                    break
            time.sleep(0.2)
        yield url
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)


@pytest.mark.parametrize("name", list(RAW_REQUESTS))
def test_plain_uvicorn_with_the_protocol_class_answers_in_the_envelope(plain_uvicorn, name):
    """The documented ``--http api.server:EnvelopeHttpTools`` gives users who run uvicorn
    themselves the same server-layer refusals as ``kgraph serve``."""
    _assert_envelope(_send(plain_uvicorn, RAW_REQUESTS[name]))
