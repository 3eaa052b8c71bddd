"""The SPARQL 1.1 Protocol endpoint (read-only), the update routes and the service description.

One module for one protocol: query, update, data loading and the service description share
request parsing, negotiation, the answer cache and the mapping of errors to statuses.

Routes:

- ``GET /sparql?query=...`` and ``POST /sparql`` (form ``query=`` or an
  ``application/sparql-query`` body): run a query; ``default-graph-uri`` and
  ``named-graph-uri`` select the dataset, otherwise the default graph is the union of the
  named graphs. ``GET /sparql`` without a query returns the service description.
- ``POST /sparql/update`` (``application/sparql-update`` body or form ``update=``) and
  ``POST /data?graph=IRI`` (Turtle, N-Triples or N-Quads) need ``Authorization: Bearer``
  with the ``update_token`` setting; with no token configured, updates are disabled. A write
  returns once the REST and lineage indexes are updated by it (:func:`api.rest.refresh`); if
  that update fails, the write still stands and its answer says ``X-KGraph-Indexes: stale``.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
from urllib.parse import parse_qs

import pyoxigraph as ox
from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse, Response

from api import ServerState, server_state
from api.errors import ApiError, log
from api.negotiation import RDF_FORMATS, RESULT_FORMATS, conditional_response, negotiate
from api.openapi import (
    BEARER,
    DATA_BODY,
    DATASET_PARAMETERS,
    QUERY_BODY,
    QUERY_PARAMETER,
    RDF_TYPES,
    RESULT_TYPES,
    UPDATE_BODY,
    content,
    errors,
)
from api.rest import refresh as refresh_indexes
from kgraph.errors import QueryError
from kgraph.query.cache import Flights, ResultCache, cacheable, query_key
from kgraph.query.results import PREFIXES, serialize_triples

router = APIRouter()

#: Header a write's answer carries when the indexes could not be updated after it.
STALE_HEADER = "X-KGraph-Indexes"


def refresh_after_write(app) -> dict[str, str]:
    """Update the REST and lineage indexes after a committed write: the headers to answer with.

    The write stands whatever happens here. If the update fails, the answer still reports the
    write, with ``X-KGraph-Indexes: stale``, and the next read that needs an index builds it.
    """
    try:
        refresh_indexes(app)
    except Exception:  # noqa: BLE001 - the write is committed; a failed index update must not deny it
        log.exception("indexes not updated after a write (the next read that needs them builds them)")
        return {STALE_HEADER: "stale"}
    return {}

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
FORMATS = "http://www.w3.org/ns/formats/"
DCT = "http://purl.org/dc/terms/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")

#: Prefixes used in the service description and the VoID document.
DESCRIPTION_PREFIXES = {**PREFIXES, "sd": SD, "void": VOID, "formats": FORMATS}

_FORMAT_IRIS = {
    "application/sparql-results+json": "SPARQL_Results_JSON",
    "application/sparql-results+xml": "SPARQL_Results_XML",
    "text/csv": "SPARQL_Results_CSV",
    "text/tab-separated-values": "SPARQL_Results_TSV",
    "text/turtle": "Turtle",
    "application/n-triples": "N-Triples",
    "application/ld+json": "JSON-LD",
    "application/n-quads": "N-Quads",
    "application/rdf+xml": "RDF_XML",
}

#: Paths that must never be reachable cross-origin (they change the store).
UPDATE_PATHS = ("/sparql/update", "/data")
XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"


def _media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


def _single(values: list[str], name: str) -> str | None:
    if len(values) > 1:
        raise QueryError("KG302", None, f"give one {name} parameter, not {len(values)}")
    return values[0] if values else None


async def _form(request: Request) -> dict[str, list[str]]:
    body = await request.body()
    try:
        return parse_qs(body.decode("utf-8"), keep_blank_values=True)
    except UnicodeDecodeError as exc:
        raise ApiError(400, "KG604", "form body is not UTF-8") from exc


def _refuse_update_here() -> ApiError:
    return ApiError(
        403,
        "KG304",
        "this endpoint is read-only; send SPARQL Update to POST /sparql/update "
        "with an Authorization: Bearer token",
    )


# ---------------------------------------------------------------------------- queries


_CACHE_LOCK = threading.Lock()


def _result_cache(request: Request) -> ResultCache | None:
    """The app's cache of query answers (created on first use), or None when disabled."""
    state = request.app.state
    cache = getattr(state, "query_cache", None)
    if cache is None:
        size = server_state(request).settings.query_cache_bytes
        if size <= 0:
            return None
        with _CACHE_LOCK:
            cache = getattr(state, "query_cache", None) or ResultCache(size)
            state.query_cache = cache
    return cache


def _flights(request: Request) -> Flights:
    """The app's record of queries being answered (created on first use)."""
    state = request.app.state
    flights = getattr(state, "query_flights", None)
    if flights is None:
        with _CACHE_LOCK:
            flights = getattr(state, "query_flights", None) or Flights()
            state.query_flights = flights
    return flights


async def _answer(
    request: Request,
    query: str,
    default_graphs: list[str],
    named_graphs: list[str],
    params: dict[str, list[str]],
) -> Response:
    state = server_state(request)
    format_param = _single(params.get("format", []), "format")
    accept = request.headers.get("accept")
    chosen: dict[str, str | None] = {}
    refusals: dict[str, ApiError] = {}
    for kind, offers in (("solutions", RESULT_FORMATS), ("graph", RDF_FORMATS)):
        try:  # the kind of result is known only once the worker has parsed the query
            chosen[kind] = negotiate(accept, offers, format_param=format_param).media_type
        except ApiError as exc:
            chosen[kind], refusals[kind] = None, exc
    if len(refusals) == len(chosen):  # nothing acceptable, whatever the query is
        raise refusals["solutions"]
    for iri in (*default_graphs, *named_graphs):
        try:
            ox.NamedNode(iri)
        except ValueError as exc:
            raise QueryError("KG302", iri, f"not a valid graph IRI: {exc}") from exc
    dataset = bool(default_graphs or named_graphs)
    cache = _result_cache(request)
    key = (state.executor.generation, query_key(query), chosen["solutions"], chosen["graph"],
           tuple(default_graphs), tuple(named_graphs))
    result = cache.get(key) if cache is not None and cacheable(query) else None
    try:
        if result is None:
            def ask():
                return run_in_threadpool(
                    state.executor.run,
                    query,
                    chosen["solutions"],
                    graph_media_type=chosen["graph"],
                    default_graphs=default_graphs if dataset else None,
                    named_graphs=named_graphs if dataset else None,
                )

            # the same query asked again while it runs waits for its answer (one evaluation)
            result = await (_flights(request).run(key, ask) if cacheable(query) else ask())
            if cache is not None and cacheable(query) and key[0] == state.executor.generation:
                cache.put(key, result, len(result.body))
    except QueryError as exc:
        if exc.code == "KG304":
            raise _refuse_update_here() from None
        if exc.code == "KG603":
            kind = "graph" if exc.subject == "graph" else "solutions"
            raise refusals.get(kind, exc) from None
        raise
    content_type = next(
        (
            o.content_type
            for o in (*RESULT_FORMATS, *RDF_FORMATS)
            if o.media_type == result.media_type
        ),
        result.media_type,
    )
    headers = {
        "X-KGraph-Row-Cap": str(state.executor.row_cap),
        "X-KGraph-Truncated": "true" if result.truncated else "false",
    }
    if request.method in ("GET", "HEAD"):
        return conditional_response(request, result.body, content_type, headers=headers)
    return Response(result.body, media_type=content_type, headers={"Vary": "Accept", **headers})


@router.api_route(
    "/sparql",
    methods=["GET", "HEAD"],
    summary="SPARQL query (or service description)",
    response_class=Response,
    responses={
        200: content((*RESULT_TYPES, *RDF_TYPES), "Query results, or the service description"),
        **errors(304, 400, 403, 406, 413, 502, 503),
    },
    openapi_extra={"parameters": [QUERY_PARAMETER, *DATASET_PARAMETERS]},
)
async def sparql_get(request: Request) -> Response:
    """Run ``?query=``; with no query, describe the service."""
    params: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        params.setdefault(key, []).append(value)
    if "update" in params:
        raise _refuse_update_here()
    query = _single(params.get("query", []), "query")
    if query is None:
        return await _service_description(request, params)
    return await _answer(
        request,
        query,
        params.get("default-graph-uri", []),
        params.get("named-graph-uri", []),
        params,
    )


@router.post(
    "/sparql",
    summary="SPARQL query by POST",
    response_class=Response,
    responses={
        200: content((*RESULT_TYPES, *RDF_TYPES), "Query results"),
        **errors(400, 403, 406, 413, 415, 502, 503),
    },
    openapi_extra={"parameters": DATASET_PARAMETERS, "requestBody": QUERY_BODY},
)
async def sparql_post(request: Request) -> Response:
    """Run a query sent as a form (``query=``) or as an ``application/sparql-query`` body."""
    url_params: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        url_params.setdefault(key, []).append(value)
    media_type = _media_type(request)
    if media_type == "application/x-www-form-urlencoded":
        params = await _form(request)
        if "update" in params:
            raise _refuse_update_here()
        query = _single(params.get("query", []), "query")
        for key, values in url_params.items():
            params.setdefault(key, values)
    elif media_type == "application/sparql-query":
        params = url_params
        try:
            query = (await request.body()).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise QueryError("KG302", None, "query is not UTF-8") from exc
    elif media_type == "application/sparql-update":
        raise _refuse_update_here()
    else:
        raise ApiError(
            415,
            "KG605",
            "POST a query as application/x-www-form-urlencoded (query=...) "
            "or as application/sparql-query",
            detail={"content_type": media_type or None},
        )
    if not query or not query.strip():
        raise QueryError("KG302", None, "no query given")
    return await _answer(
        request,
        query,
        params.get("default-graph-uri", []),
        params.get("named-graph-uri", []),
        params,
    )


# ---------------------------------------------------------------------------- updates


def _authorise(request: Request, state: ServerState) -> None:
    token = state.settings.update_token
    if not token:
        raise ApiError(
            403,
            "KG304",
            "updates are disabled on this server; set the update_token setting "
            "(environment variable KGRAPH_UPDATE_TOKEN) to enable them",
        )
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not given:
        raise ApiError(
            401,
            "KG304",
            "send Authorization: Bearer <update token>",
            headers={"WWW-Authenticate": 'Bearer realm="kgraph"'},
        )
    if not hmac.compare_digest(given.strip().encode(), token.encode()):
        raise ApiError(
            401,
            "KG304",
            "the bearer token is not valid",
            headers={"WWW-Authenticate": 'Bearer realm="kgraph", error="invalid_token"'},
        )


def _write(state: ServerState, action, graphs=None) -> None:
    with state.executor.exclusive(graphs=graphs):
        action()
        state.store.flush()


@router.post(
    "/sparql/update",
    summary="SPARQL Update (needs the bearer token)",
    status_code=204,
    response_class=Response,
    responses={204: {"description": "Applied"}, **errors(400, 401, 403, 413, 415, 502, 503)},
    openapi_extra={"requestBody": UPDATE_BODY, "security": BEARER},
)
async def sparql_update(request: Request) -> Response:
    """Apply a SPARQL Update; readers see it as soon as this returns (204)."""
    state = server_state(request)
    _authorise(request, state)
    media_type = _media_type(request)
    if media_type == "application/x-www-form-urlencoded":
        params = await _form(request)
        update = _single(params.get("update", []), "update")
    elif media_type == "application/sparql-update":
        params = {}
        try:
            update = (await request.body()).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise QueryError("KG306", None, f"update is not valid UTF-8: {exc}") from exc
    else:
        raise ApiError(
            415,
            "KG605",
            "POST an update as application/sparql-update or as a form (update=...)",
            detail={"content_type": media_type or None},
        )
    if not update or not update.strip():
        raise QueryError("KG306", None, "no update given")
    if {"using-graph-uri", "using-named-graph-uri"} & {*params, *request.query_params.keys()}:
        raise QueryError("KG306", None, "using-graph-uri / using-named-graph-uri are not supported")
    await run_in_threadpool(state.executor.update, state.store, update)
    stale = await run_in_threadpool(refresh_after_write, request.app)
    return Response(
        status_code=204, headers={"X-KGraph-Generation": str(state.executor.generation), **stale}
    )


_DATA_FORMATS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "application/n-quads": ox.RdfFormat.N_QUADS,
}


@router.post(
    "/data",
    summary="Add RDF to a named graph (needs the bearer token)",
    responses={
        200: {"description": "Loaded", "content": {"application/json": {"schema": {
            "type": "object", "required": ["loaded", "graphs"],
            "properties": {"loaded": {"type": "integer"},
                           "graphs": {"type": "array", "items": {"type": "string"}}}}}}},
        **errors(400, 401, 403, 413, 415, 422, 503),
    },
    openapi_extra={
        "requestBody": DATA_BODY,
        "security": BEARER,
        "parameters": [{"name": "graph", "in": "query", "required": False,
                        "schema": {"type": "string"},
                        "description": "target named graph (needed unless N-Quads)"}],
    },
)
async def load_data(request: Request) -> JSONResponse:
    """Add Turtle / N-Triples to the graph ``?graph=``; N-Quads keep their own graphs."""
    state = server_state(request)
    _authorise(request, state)
    fmt = _DATA_FORMATS.get(_media_type(request))
    if fmt is None:
        raise ApiError(
            415,
            "KG605",
            "send Turtle, N-Triples or N-Quads",
            detail={
                "content_type": _media_type(request) or None,
                "accepted": sorted(_DATA_FORMATS),
            },
        )
    graph_param = request.query_params.get("graph")
    graph: ox.NamedNode | None = None
    if graph_param:
        try:
            graph = ox.NamedNode(graph_param)
        except ValueError as exc:
            raise QueryError("KG306", graph_param, f"not a valid graph IRI: {exc}") from exc
    elif fmt != ox.RdfFormat.N_QUADS:
        raise ApiError(422, "KG604", "give the target named graph as ?graph=IRI")
    body = await request.body()
    try:
        quads = list(ox.parse(body, format=fmt, base_iri=graph.value if graph else None))
    except (SyntaxError, ValueError) as exc:
        raise QueryError("KG306", None, f"data could not be parsed: {exc}") from exc
    if graph is not None:
        quads = [
            ox.Quad(q.subject, q.predicate, q.object, graph)
            if isinstance(q.graph_name, ox.DefaultGraph)
            else q
            for q in quads
        ]
    elif any(isinstance(q.graph_name, ox.DefaultGraph) for q in quads):
        raise ApiError(422, "KG604", "some quads have no graph; give ?graph=IRI for them")
    graphs = sorted({q.graph_name.value for q in quads})
    await run_in_threadpool(_write, state, lambda: state.store.ox.extend(quads), graphs)
    stale = await run_in_threadpool(refresh_after_write, request.app)
    return JSONResponse({"loaded": len(quads), "graphs": graphs}, status_code=200, headers=stale)


# ---------------------------------------------------------------------------- description


def _root(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def graph_node(root: str, anchor: str, graph_iri: str) -> ox.NamedNode:
    """A stable local IRI for a description of ``graph_iri`` (hash IRIs, so ETags are stable)."""
    return ox.NamedNode(f"{root}{anchor}#graph-{hashlib.sha1(graph_iri.encode()).hexdigest()[:12]}")


async def _service_description(request: Request, params: dict[str, list[str]]) -> Response:
    state = server_state(request)
    fmt = negotiate(
        request.headers.get("accept"),
        RDF_FORMATS,
        format_param=_single(params.get("format", []), "format"),
    )
    stats = await run_in_threadpool(state.stats)
    root = _root(request)
    n = ox.NamedNode
    endpoint = n(f"{root}/sparql")
    dataset = n(f"{root}/sparql#dataset")
    default = n(f"{root}/sparql#default-graph")
    sd = lambda term: n(SD + term)  # noqa: E731
    triples = [
        ox.Triple(endpoint, RDF_TYPE, sd("Service")),
        ox.Triple(endpoint, sd("endpoint"), endpoint),
        ox.Triple(endpoint, sd("supportedLanguage"), sd("SPARQL11Query")),
        ox.Triple(endpoint, sd("feature"), sd("UnionDefaultGraph")),
        ox.Triple(endpoint, sd("defaultDataset"), dataset),
        ox.Triple(dataset, RDF_TYPE, sd("Dataset")),
        ox.Triple(dataset, sd("defaultGraph"), default),
        ox.Triple(default, RDF_TYPE, sd("Graph")),
        ox.Triple(
            default,
            n(DCT + "description"),
            ox.Literal(
                "The union of all named graphs (one per source document, plus the catalog)."
            ),
        ),
        ox.Triple(
            default, n(VOID + "triples"), ox.Literal(str(stats.triples), datatype=n(XSD_INTEGER))
        ),
    ]
    if state.settings.service_allowlist:
        triples.append(ox.Triple(endpoint, sd("feature"), sd("BasicFederatedQuery")))
    for name in _FORMAT_IRIS.values():
        triples.append(ox.Triple(endpoint, sd("resultFormat"), n(FORMATS + name)))
    for g in sorted(stats.graphs):
        node = graph_node(root, "/sparql", g)
        triples += [
            ox.Triple(dataset, sd("namedGraph"), node),
            ox.Triple(node, RDF_TYPE, sd("NamedGraph")),
            ox.Triple(node, sd("name"), n(g)),
        ]
    if state.settings.update_token:
        update = n(f"{root}/sparql/update")
        triples += [
            ox.Triple(update, RDF_TYPE, sd("Service")),
            ox.Triple(update, sd("endpoint"), update),
            ox.Triple(update, sd("supportedLanguage"), sd("SPARQL11Update")),
        ]
    body = serialize_triples(triples, fmt.media_type, DESCRIPTION_PREFIXES)
    return conditional_response(request, body, fmt.content_type)
