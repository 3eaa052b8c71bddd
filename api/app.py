"""The FastAPI application: SPARQL endpoint, dereferenceable IRIs, VoID, health check.

Run it with uvicorn's factory mode (settings come from ``KGRAPH_*`` variables)::

    uvicorn api.app:create_app --factory --http api.server:EnvelopeHttpTools --port 8000

(``--http``: even unparsable requests answered in the error envelope, see :mod:`api.server`)

or build it in code, e.g. over an in-memory store in tests::

    app = create_app(Settings(update_token="s3cret"), GraphStore.in_memory())
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Sequence
from pathlib import Path

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from api import ServerState
from api.describe import router as describe_router
from api.errors import envelope, install_error_handlers
from api.limits import RequestLimits
from api.lineage import router as lineage_router
from api.openapi import document_limits
from api.rest import prepare as prepare_read_indexes
from api.rest import router as rest_router
from api.sparql import UPDATE_PATHS
from api.sparql import router as sparql_router
from api.web import install as install_web
from kgraph.graph.store import GraphStore
from kgraph.query.executor import QueryExecutor
from kgraph.settings import Settings

#: Query worker processes when not given to :func:`create_app`.
DEFAULT_WORKERS = 2

_EXPOSED_HEADERS = ["ETag", "X-KGraph-Truncated", "X-KGraph-Row-Cap"]


class EnvelopeCORS(CORSMiddleware):
    """Starlette's CORS, with its preflight refusals in the error envelope (KG316)."""

    def preflight_response(self, request_headers) -> Response:
        response = super().preflight_response(request_headers)
        if response.status_code < 400:
            return response
        message = response.body.decode("utf-8", "replace") or "CORS preflight refused"
        headers = {k: v for k, v in response.headers.items()
                   if k.lower() not in ("content-type", "content-length")}
        return JSONResponse(envelope("KG316", message), status_code=response.status_code,
                            headers=headers)


class ReadOnlyCORS:
    """CORS for the read routes only: the update routes never answer cross-origin requests."""

    def __init__(self, app: ASGIApp, origins: Sequence[str], private_paths: Sequence[str]):
        self.app = app
        self.private_paths = tuple(private_paths)
        self.cors = EnvelopeCORS(
            app,
            allow_origins=list(origins),
            allow_methods=["GET", "HEAD", "POST"],
            allow_headers=["Accept", "Content-Type", "If-None-Match"],
            expose_headers=_EXPOSED_HEADERS,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].rstrip("/") not in self.private_paths:
            await self.cors(scope, receive, send)
        else:
            await self.app(scope, receive, send)


def create_app(
    settings: Settings | None = None,
    store: GraphStore | None = None,
    *,
    workers: int | None = None,
) -> FastAPI:
    """Build the app. Without ``store`` it opens ``settings.store_path`` when it starts.

    Query workers start with the app (lifespan) and stop with it.
    """
    settings = settings or Settings.from_env()

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        own = store or GraphStore.open(Path(settings.store_path), base_iri=settings.base_iri)
        executor = QueryExecutor.for_store(
            own,
            workers=workers or DEFAULT_WORKERS,
            timeout_s=settings.query_timeout_s,
            row_cap=settings.query_row_cap,
            service_allowlist=settings.service_allowlist,
            update_timeout_s=settings.update_timeout_s,
            max_chars=settings.max_query_chars,
            max_depth=settings.max_query_depth,
        )
        await run_in_threadpool(executor.start)
        app.state.kgraph = ServerState(settings=settings, store=own, executor=executor)
        await run_in_threadpool(prepare_read_indexes, app)  # REST and lineage indexes, before requests
        try:
            yield
        finally:
            executor.close()
            if store is None:
                own.flush()

    app = FastAPI(
        title="kgraph",
        summary="UK council decisions as a knowledge graph: SPARQL 1.1 endpoint and linked data.",
        version="0.1.0",
        lifespan=lifespan,
    )
    install_error_handlers(app)
    app.include_router(sparql_router)
    app.include_router(describe_router)
    app.include_router(lineage_router)  # before any catch-all /decisions/{id:path}
    app.include_router(rest_router)
    install_web(app)  # the HTML pages at / and /ui/…
    if settings.cors_origins:
        app.add_middleware(ReadOnlyCORS, origins=settings.cors_origins, private_paths=UPDATE_PATHS)
    app.add_middleware(RequestLimits, max_body_bytes=settings.max_body_bytes,
                       max_url_chars=settings.max_url_chars)
    document_limits(app)
    return app
