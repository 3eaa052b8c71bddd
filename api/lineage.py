"""``GET /decisions/{id}/lineage``: a decision's lineage as JSON, JSON-LD, GraphML, DOT or Mermaid.

The id may be a decision number with its slash encoded (``19%2F00076``) or as typed
(``19/00076``), the dashed form (``19-00076``), an unnumbered decision's id, or an agreement
id. The lineage graph is built from the app's store and rebuilt when the store changes (the
query executor's write generation when the app has one, else the store's catalog), checked on
every request.
"""

from __future__ import annotations

import threading
from typing import Literal

from fastapi import APIRouter, FastAPI, Query, Request
from starlette.responses import Response

from api import app_store
from kgraph.errors import NotFoundError
from kgraph.read.lineage import MAX_VIEW_NODES, MEDIA_TYPES, LineageIndex, render, to_json

router = APIRouter()
_INDEX_LOCK = threading.Lock()


def lineage_index(source: Request | FastAPI) -> LineageIndex:
    """The app's :class:`LineageIndex` (created on first use, kept on ``app.state``); ``source``
    is the app or a request to it."""
    app = source.app if isinstance(source, Request) else source
    state = app.state
    store, server = app_store(app), getattr(state, "kgraph", None)
    index = getattr(state, "lineage_index", None)
    if index is not None and index.store is store:
        return index
    with _INDEX_LOCK:
        index = getattr(state, "lineage_index", None)
        if index is None or index.store is not store:
            executor = getattr(server, "executor", None)
            revision = (lambda: executor.generation) if executor is not None else None
            changes = executor.changes_since if executor is not None else None
            index = LineageIndex(store, revision=revision, recheck_s=0, changes=changes)
            state.lineage_index = index
    return index


def _not_found(exc: NotFoundError):
    try:
        from api.errors import ApiError
    except ImportError:  # pragma: no cover - the app always ships its error envelope
        return exc
    return ApiError(404, exc.code, exc.message, detail={"id": exc.subject})


@router.get("/decisions/{id:path}/lineage", summary="Lineage of a decision",
            responses={404: {"description": "No decision with this id"}})
def decision_lineage(
    request: Request,
    id: str,
    depth: int | None = Query(None, ge=0, le=1000, description="Most hops from the decision (default: no bound)."),
    direction: Literal["up", "down", "both"] = Query(
        "both", description="up: where it came from; down: what came after; both."),
    format: Literal["json", "jsonld", "graphml", "dot", "mermaid"] = Query("json"),
    limit: int = Query(MAX_VIEW_NODES, ge=1, le=MAX_VIEW_NODES, description="Most nodes returned."),
) -> Response:
    """Nodes (id, number, title, date, status, kind) and typed edges (type, rule, confidence,
    evidence with document, offsets and quote) around the decision ``id``."""
    lineage = lineage_index(request).get()
    try:
        view = lineage.view(id, depth=depth, direction=direction, limit=limit)
    except NotFoundError as exc:
        raise _not_found(exc) from None
    return Response(render(view, format), media_type=MEDIA_TYPES[format])


@router.get("/decisions/{id:path}/timeline", summary="Timeline of a decision's lineage",
            responses={404: {"description": "No decision with this id"}})
def decision_timeline(request: Request, id: str) -> Response:
    """Every decision in the lineage of ``id`` (where it came from and what came after), oldest first."""
    lineage = lineage_index(request).get()
    try:
        nodes = lineage.timeline(id)
    except NotFoundError as exc:
        raise _not_found(exc) from None
    return Response(to_json({"root": id, "head": lineage.head(id), "nodes": nodes}),
                    media_type="application/json")


@router.get("/lineage/path", summary="Shortest explanation path between two decisions",
            responses={404: {"description": "Unknown id, or the decisions are not connected"}})
def lineage_path(request: Request,
                 from_: str = Query(..., alias="from", description="A decision id (19/00076, 19-00076, …)."),
                 to: str = Query(..., description="Another decision id.")) -> Response:
    """The shortest chain of typed edges (each with rule, confidence and evidence) linking two decisions."""
    lineage = lineage_index(request).get()
    try:
        edges = lineage.explain(from_, to)
    except NotFoundError as exc:
        raise _not_found(exc) from None
    return Response(to_json({"from": from_, "to": to, "edges": edges}), media_type="application/json")
