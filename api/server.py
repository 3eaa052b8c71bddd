"""Serve the app with uvicorn so that even the server layer's refusals use the error envelope.

uvicorn answers a request it cannot parse (an unknown method, a malformed request line or
header, a request line or headers past the parser's limits) with a plain-text
``400 Invalid HTTP request received.`` before the app sees it. :class:`EnvelopeHttpTools`
and :class:`EnvelopeH11` are uvicorn's own protocols with that one answer replaced by the
JSON envelope (code KG314). :func:`run` starts uvicorn with them; ``kgraph serve`` uses it.
The app itself cannot change these answers (uvicorn sends them before any ASGI app is
called), so users who run uvicorn themselves name the class::

    uvicorn api.app:create_app --factory --http api.server:EnvelopeHttpTools

>>> json.loads(error_body())["error"]["code"]
'KG314'
"""

from __future__ import annotations

import json

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from api.errors import envelope

try:  # httptools is the faster parser; h11 is uvicorn's fallback
    from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol
except ImportError:  # pragma: no cover - httptools is a pinned dependency
    HttpToolsProtocol = None  # type: ignore[assignment,misc]

#: Largest request line plus headers buffered before the request is refused, in bytes.
MAX_HEAD_BYTES = 64 * 1024


def error_body(message: str = "the HTTP request could not be parsed") -> bytes:
    """The envelope sent for a request the server layer refuses."""
    return json.dumps(envelope("KG314", message)).encode()


if HttpToolsProtocol is not None:

    class EnvelopeHttpTools(HttpToolsProtocol):  # type: ignore[misc,valid-type]
        """uvicorn's httptools protocol, refusing unparsable requests in the envelope, and a
        request line plus headers over :data:`MAX_HEAD_BYTES` (httptools sets no limit)."""

        _head_bytes = 0
        _in_head = True

        def on_message_begin(self) -> None:
            super().on_message_begin()
            self._head_bytes, self._in_head = 0, True

        def on_headers_complete(self) -> None:
            self._in_head = False
            super().on_headers_complete()

        def data_received(self, data: bytes) -> None:
            super().data_received(data)
            if self._in_head and not self.transport.is_closing():
                self._head_bytes += len(data)
                if self._head_bytes > MAX_HEAD_BYTES:
                    self.send_400_response("request line and headers are too large")

        def send_400_response(self, msg: str) -> None:
            body = error_body()
            content = [STATUS_LINE[400]]
            for name, value in self.server_state.default_headers:
                content.extend([name, b": ", value, b"\r\n"])
            content.extend([
                b"content-type: application/json\r\n",
                b"content-length: " + str(len(body)).encode("ascii") + b"\r\n",
                b"connection: close\r\n",
                b"\r\n",
                body,
            ])
            self.transport.write(b"".join(content))
            self.transport.close()


class EnvelopeH11(H11Protocol):
    """uvicorn's h11 protocol, refusing unparsable requests in the envelope."""

    def send_400_response(self, msg: str) -> None:
        body = error_body()
        headers = [(b"content-type", b"application/json"), (b"connection", b"close"),
                   (b"content-length", str(len(body)).encode())]
        self.transport.write(self.conn.send(h11.Response(status_code=400, headers=headers)))
        self.transport.write(self.conn.send(h11.Data(data=body)))
        self.transport.close()


def protocol_class() -> type:
    """The protocol :func:`run` serves with (httptools when installed, else h11)."""
    return EnvelopeHttpTools if HttpToolsProtocol is not None else EnvelopeH11


def config_kwargs() -> dict:
    """uvicorn ``Config`` keywords that apply kgraph's server-layer limits and envelope."""
    return {"http": protocol_class(), "h11_max_incomplete_event_size": MAX_HEAD_BYTES,
            "server_header": False}


def run(host: str, port: int) -> None:
    """Serve ``api.app:create_app`` (settings from ``KGRAPH_*``) on ``host:port``."""
    import uvicorn

    uvicorn.run("api.app:create_app", factory=True, host=host, port=port, **config_kwargs())
