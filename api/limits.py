"""Limits on every way in, answered in the error envelope before a route runs.

:class:`RequestLimits` is a plain ASGI middleware:

- a request URL longer than ``max_url_chars`` gets ``414`` (KG315);
- a body announced (``Content-Length``) larger than ``max_body_bytes`` gets ``413`` (KG310)
  without a byte of it being read; a body sent without a length (chunked) is counted as it
  arrives and refused the same way the moment it passes the limit;
- every HTML response without its own ``Content-Security-Policy`` gets :data:`HTML_CSP`
  unless its path is in ``csp_exempt`` (the interactive API docs load their scripts).

>>> "script-src 'self';" in HTML_CSP and "object-src 'none'" in HTML_CSP
True
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import ApiError, envelope

#: Content-Security-Policy of kgraph's HTML pages: scripts, data and frames only from this
#: server (no inline script, no plugins, no framing by others), inline styles allowed.
HTML_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)


class BodyTooLarge(ApiError):
    """Raised from ``receive`` once a streamed body passes the limit."""

    def __init__(self, limit: int):
        super().__init__(
            413, "KG310", f"request body is larger than {limit} bytes (max_body_bytes)",
            detail={"max_body_bytes": limit},
        )


async def _send_error(send: Send, status: int, code: str, message: str, detail=None) -> None:
    body = json.dumps(envelope(code, message, detail)).encode()
    await send({
        "type": "http.response.start",
        "status": status,
        "headers": [(b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close")],
    })
    await send({"type": "http.response.body", "body": body})


class RequestLimits:
    """URL length and body size limits, and a CSP on HTML responses (see module doc)."""

    def __init__(self, app: ASGIApp, *, max_body_bytes: int, max_url_chars: int,
                 csp_exempt: Sequence[str] = ("/docs", "/redoc")):
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.max_url_chars = max_url_chars
        self.csp_exempt = tuple(csp_exempt)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        url_chars = len(scope.get("raw_path") or b"") + len(scope.get("query_string") or b"")
        if url_chars > self.max_url_chars:
            await _send_error(send, 414, "KG315", f"request URL is {url_chars} characters long; "
                              f"the limit is {self.max_url_chars} (max_url_chars)",
                              {"max_url_chars": self.max_url_chars})
            return
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        if length is not None:
            try:
                announced = int(length)
            except ValueError:
                announced = -1
            if announced < 0:
                await _send_error(send, 400, "KG314", "Content-Length is not a number")
                return
            if announced > self.max_body_bytes:
                await _send_error(send, 413, "KG310", f"request body is {announced} bytes; the "
                                  f"limit is {self.max_body_bytes} (max_body_bytes)",
                                  {"max_body_bytes": self.max_body_bytes})
                return
        limit, seen = self.max_body_bytes, 0

        async def counted_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge(limit)
            return message

        exempt = scope["path"].startswith(self.csp_exempt)

        async def csp_send(message: Message) -> None:
            if message["type"] == "http.response.start" and not exempt:
                names = {k.lower() for k, _ in message.get("headers", [])}
                ctype = next((v for k, v in message.get("headers", [])
                              if k.lower() == b"content-type"), b"")
                if ctype.startswith(b"text/html") and b"content-security-policy" not in names:
                    message = {**message, "headers": [*message["headers"],
                               (b"content-security-policy", HTML_CSP.encode())]}
            await send(message)

        await self.app(scope, counted_receive, csp_send)
