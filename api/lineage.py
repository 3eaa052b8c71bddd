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

from fastapi import APIRouter, Depends, FastAPI, Path, Query, Request
from pydantic import BaseModel, Field
from starlette.responses import Response

from api import app_store
from api.openapi import DECISION_ID_EXAMPLES, errors
from api.strict import strict_query
from kgraph.errors import NotFoundError
from kgraph.read.lineage import MAX_VIEW_NODES, MEDIA_TYPES, LineageIndex, render, to_json

router = APIRouter(dependencies=[Depends(strict_query)])
_INDEX_LOCK = threading.Lock()


# ---------------------------------------------------------------------------- what the routes answer


class LineageNode(BaseModel):
    id: str
    iri: str
    number: str | None
    title: str | None
    date: str | None
    year: int | None
    status: str | None
    kind: str = Field(description="Decision, Report or Agreement.")
    agreement_kind: str | None = Field(None, description="An agreement's kind, when known.")


class LineageEvidence(BaseModel):
    """The sentence an edge rests on: ``text[start:end] == quote`` in ``document``."""

    document: str
    document_iri: str | None
    source: str | None
    start: int
    end: int
    quote: str | None


class LineageEdge(BaseModel):
    from_: str = Field(alias="from")
    to: str
    type: str = Field(description="supersedes, amends, varies, extends, followsOn, proposes, …")
    rule: str
    confidence: float
    evidence: LineageEvidence
    also: list[str] = Field(description="Other documents supporting the edge.")


class LineageView(BaseModel):
    root: str
    head: str = Field(description="The chain's latest decision.")
    direction: Literal["up", "down", "both"]
    depth: int | None
    nodes: list[LineageNode]
    edges: list[LineageEdge]
    truncated: bool = Field(description="More nodes than limit were reached.")


class Timeline(BaseModel):
    root: str
    head: str
    nodes: list[LineageNode]


class LineagePath(BaseModel):
    from_: str = Field(alias="from")
    to: str
    edges: list[LineageEdge]


#: The 200 answer of the lineage route: JSON (the model), or one of the exports as text.
_LINEAGE_200 = {
    "model": LineageView,
    "description": "The lineage in the chosen format",
    "content": {media.split(";")[0]: {"schema": {} if fmt == "jsonld" else {"type": "string"}}
                for fmt, media in MEDIA_TYPES.items() if fmt != "json"},
}
_NOT_FOUND = {**errors(404, 422)}
_NOT_FOUND[404]["description"] = "No decision, report or agreement with this id (KG401)"
_PATH_ERRORS = {**errors(404, 422)}
_PATH_ERRORS[404]["description"] = "Unknown id, or the decisions are not connected (KG401)"
_ID = Path(description="A decision id: 19-00076, 19/00076 (also 19%2F00076), an unnumbered "
           "decision's id or an agreement id.", openapi_examples=DECISION_ID_EXAMPLES)


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
            response_class=Response, responses={200: _LINEAGE_200, **_NOT_FOUND})
def decision_lineage(
    request: Request,
    id: str = _ID,
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
            response_class=Response,
            responses={200: {"model": Timeline, "description": "The timeline"}, **_NOT_FOUND})
def decision_timeline(request: Request, id: str = _ID) -> Response:
    """Every decision in the lineage of ``id`` (where it came from and what came after), oldest first."""
    lineage = lineage_index(request).get()
    try:
        nodes = lineage.timeline(id)
    except NotFoundError as exc:
        raise _not_found(exc) from None
    root = lineage.g.nodes[lineage.resolve(id)]["id"]  # as /lineage gives it, however the id was written
    return Response(to_json({"root": root, "head": lineage.head(id), "nodes": nodes}),
                    media_type="application/json")


@router.get("/lineage/path", summary="Shortest explanation path between two decisions",
            response_class=Response,
            responses={200: {"model": LineagePath, "description": "The path"}, **_PATH_ERRORS})
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
