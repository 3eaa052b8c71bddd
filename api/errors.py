"""One error envelope for every error the API returns.

Every error is JSON ``{"error": {"code": "KG302", "message": "...", "detail": ...}}`` with the
HTTP status that fits it. Codes are kgraph's (see ``kgraph.errors.CODES``).

>>> envelope("KG302", "bad query")
{'error': {'code': 'KG302', 'message': 'bad query', 'detail': None}}
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse

from kgraph.errors import KGraphError

log = logging.getLogger("kgraph.api")

#: HTTP status for each kgraph error code raised by the library.
STATUS_FOR_CODE: dict[str, int] = {
    "KG301": 503,
    "KG302": 400,
    "KG303": 503,
    "KG304": 403,
    "KG305": 403,
    "KG306": 400,
    "KG307": 403,
    "KG308": 502,
    "KG309": 503,
    "KG310": 413,
    "KG311": 413,
    "KG312": 400,
    "KG313": 503,
    "KG314": 400,
    "KG315": 414,
    "KG316": 400,
    "KG317": 503,
    "KG401": 404,
    "KG601": 404,
    "KG602": 405,
    "KG603": 406,
    "KG604": 422,
    "KG605": 415,
    "KG600": 500,
}

#: Error code for each HTTP status raised by the framework itself.
CODE_FOR_STATUS: dict[int, str] = {
    400: "KG604",
    401: "KG304",
    403: "KG304",
    404: "KG601",
    405: "KG602",
    406: "KG603",
    413: "KG310",
    414: "KG315",
    415: "KG605",
    422: "KG604",
    500: "KG600",
}


class ApiError(KGraphError):
    """An error with an explicit HTTP status, detail and headers (e.g. ``WWW-Authenticate``)."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        detail: Any = None,
        headers: Mapping[str, str] | None = None,
    ):
        super().__init__(code, None, message)
        self.status = status
        self.detail = detail
        self.headers = dict(headers or {})


def envelope(code: str, message: str, detail: Any = None) -> dict:
    """The body of every error response."""
    return {"error": {"code": code, "message": message, "detail": detail}}


def error_response(
    status: int,
    code: str,
    message: str,
    detail: Any = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    """A JSON error response in the envelope."""
    return JSONResponse(
        jsonable_encoder(envelope(code, message, detail)),
        status_code=status,
        headers=dict(headers or {}),
    )


async def _kgraph_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, KGraphError)
    if isinstance(exc, ApiError):
        return error_response(exc.status, exc.code, exc.message, exc.detail, exc.headers)
    status = STATUS_FOR_CODE.get(exc.code, 500)
    detail = {"subject": exc.subject} if exc.subject else None
    return error_response(status, exc.code, exc.message, detail)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = CODE_FOR_STATUS.get(exc.status_code, "KG604" if exc.status_code < 500 else "KG600")
    message = exc.detail if isinstance(exc.detail, str) else "request failed"
    if exc.status_code == 404:
        message = f"no such resource: {request.url.path}"
    elif exc.status_code == 405:
        message = f"{request.method} is not allowed on {request.url.path}"
        allowed = _allowed_methods(request)
        if allowed:
            return error_response(405, code, message, None,
                                  {**(exc.headers or {}), "Allow": ", ".join(allowed)})
    return error_response(exc.status_code, code, message, None, exc.headers)


def _allowed_methods(request: Request) -> list[str]:
    """Every method some route serves at this path (a path may have several routes; the
    routers are included without a prefix)."""
    from starlette.routing import Match

    def flat(routes):
        for route in routes:
            inner = getattr(route, "original_router", None)  # an included router
            if inner is not None:
                yield from flat(inner.routes)
            else:
                yield route

    methods: set[str] = set()
    for route in flat(request.app.routes):
        match, _ = route.matches({**request.scope, "method": "GET"})
        route_methods = getattr(route, "methods", None)
        if match != Match.NONE and route_methods:
            methods |= set(route_methods)
    return sorted(methods)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return error_response(422, "KG604", "request is invalid", list(exc.errors()))


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(500, "KG600", "internal server error")


def install_error_handlers(app: FastAPI) -> None:
    """Route every error through the envelope."""
    app.add_exception_handler(KGraphError, _kgraph_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _unexpected)
