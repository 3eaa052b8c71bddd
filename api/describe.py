"""Dereferenceable IRIs (``GET /id/...``), the VoID description and the health check.

``GET /id/{path}`` describes ``{base_iri}{path}``: every triple with it as subject plus the
labels of the things it points to, as Turtle, JSON-LD, N-Triples or a small HTML page.
"""

from __future__ import annotations

import html

import pyoxigraph as ox
from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse, Response

from api import server_state
from api.negotiation import HTML, RDF_FORMATS, conditional_response, negotiate
from api.openapi import RDF_TYPES, RESOURCE_TYPES, content, errors, format_parameter
from api.sparql import DCT, DESCRIPTION_PREFIXES, RDF_TYPE, VOID, XSD_INTEGER, graph_node
from kgraph.errors import NotFoundError
from kgraph.query.results import PREFIXES, serialize_triples

router = APIRouter()

#: Properties whose values name a thing, in order of preference.
LABELS = (
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://purl.org/dc/terms/title",
    "http://schema.org/name",
    "https://schema.org/name",
)

#: Representations of a resource; Turtle unless the client asks for something else.
RESOURCE_FORMATS = (RDF_FORMATS[0], HTML, *RDF_FORMATS[1:])


def _describe_query(node: ox.NamedNode) -> str:
    values = " ".join(f"<{p}>" for p in LABELS)
    return (
        f"SELECT ?p ?o ?lp ?label WHERE {{ {node} ?p ?o . "
        f"OPTIONAL {{ VALUES ?lp {{ {values} }} ?o ?lp ?label }} }}"
    )


@router.api_route(
    "/id/{path:path}",
    methods=["GET", "HEAD"],
    summary="Describe an instance IRI",
    response_class=Response,
    responses={200: content(RESOURCE_TYPES, "What is known about the IRI"),
               **errors(304, 404, 406)},
    openapi_extra={"parameters": [format_parameter(RESOURCE_FORMATS)]},
)
async def dereference(request: Request, path: str) -> Response:
    """The description of ``{base_iri}{path}``, negotiated (HTML for browsers)."""
    state = server_state(request)
    raw = request.scope.get("raw_path") or request.url.path.encode()
    raw_path = raw.decode("latin-1")
    local = raw_path[raw_path.find("/id/") + 4 :] if "/id/" in raw_path else path
    iri = state.settings.base_iri + local
    try:
        node = ox.NamedNode(iri)
    except ValueError as exc:
        raise NotFoundError("KG401", iri, "not a valid IRI") from exc
    fmt = negotiate(
        request.headers.get("accept"),
        RESOURCE_FORMATS,
        format_param=request.query_params.get("format"),
    )
    result = await run_in_threadpool(
        lambda: state.executor.rows(_describe_query(node), trusted=True)
    )
    if not result.rows:
        raise NotFoundError("KG401", iri, "nothing is known about this IRI")
    triples: dict[ox.Triple, None] = {}
    labels: dict[str, tuple[str, str]] = {}
    for row in result.rows:
        triples[ox.Triple(node, row["p"], row["o"])] = None
        if "label" in row:
            triples[ox.Triple(row["o"], row["lp"], row["label"])] = None
            key = str(row["o"])
            rank = LABELS.index(row["lp"].value)
            if key not in labels or rank < LABELS.index(labels[key][0]):
                labels[key] = (row["lp"].value, row["label"].value)
    headers = {"X-KGraph-Truncated": "true" if result.truncated else "false"}
    if fmt is HTML:
        body = _html_page(request, node, list(triples), {k: v[1] for k, v in labels.items()})
    else:
        body = serialize_triples(list(triples), fmt.media_type, PREFIXES)
    return conditional_response(request, body, fmt.content_type, headers=headers)


# ---------------------------------------------------------------------------- HTML


def _curie(iri: str) -> str:
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    return iri


def _href(request: Request, iri: str) -> str:
    base = server_state(request).settings.base_iri
    if iri.startswith(base):
        return request.scope.get("root_path", "") + "/id/" + iri[len(base) :]
    return iri


#: IRI schemes an HTML page may link to; any other IRI (``javascript:``, ``data:``, ...) is text.
SAFE_SCHEMES = ("http://", "https://", "mailto:")


def safe_link(href: str, text: str, *, title: str | None = None) -> str:
    """An ``<a>`` to ``href`` if its scheme is safe, else ``text`` alone, escaped either way.

    >>> safe_link("javascript:alert(1)", "x")
    '<span class="iri">x</span>'
    >>> safe_link("https://ex.org/?a=1&b=2", "<b>")
    '<a href="https://ex.org/?a=1&amp;b=2">&lt;b&gt;</a>'
    """
    if (href.startswith("/") and not href.startswith("//")) or href.lower().startswith(SAFE_SCHEMES):
        extra = f' title="{html.escape(title)}"' if title else ""
        return f'<a href="{html.escape(href)}"{extra}>{html.escape(text)}</a>'
    return f'<span class="iri">{html.escape(text)}</span>'


def _term_html(request: Request, term, labels: dict[str, str]) -> str:
    if isinstance(term, ox.NamedNode):
        text = labels.get(str(term)) or _curie(term.value)
        return safe_link(_href(request, term.value), text)
    if isinstance(term, ox.Literal):
        extra = ""
        if term.language:
            extra = f" <small>@{html.escape(term.language)}</small>"
        elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            extra = f" <small>{html.escape(_curie(term.datatype.value))}</small>"
        return f"{html.escape(term.value)}{extra}"
    return html.escape(str(term))


def _html_page(
    request: Request, node: ox.NamedNode, triples: list[ox.Triple], labels: dict[str, str]
) -> bytes:
    own = [t for t in triples if t.subject == node]
    title = next(
        (t.object.value for p in LABELS for t in own if t.predicate.value == p), node.value
    )
    here = html.escape(request.url.path)
    rows = "\n".join(
        f"<tr><th>{safe_link(t.predicate.value, _curie(t.predicate.value), title=t.predicate.value)}</th>"
        f"<td>{_term_html(request, t.object, labels)}</td></tr>"
        for t in sorted(own, key=lambda t: (t.predicate.value != RDF_TYPE.value, t.predicate.value))
    )
    alternates = " · ".join(
        f'<a href="{here}?format={name}">{label}</a>'
        for name, label in (("ttl", "Turtle"), ("jsonld", "JSON-LD"), ("nt", "N-Triples"))
    )
    sparql = request.scope.get("root_path", "") + "/sparql"
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{html.escape(title)}</title>
<style>body{{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}}
th{{text-align:left;vertical-align:top;padding:.2rem 1rem .2rem 0;font-weight:normal;color:#555}}
td{{padding:.2rem 0}} code{{word-break:break-all}}</style></head>
<body><h1>{html.escape(title)}</h1>
<p><code>{html.escape(node.value)}</code></p>
<table>
{rows}
</table>
<p>Also as {alternates}. Query everything at <a href="{html.escape(sparql)}">{html.escape(sparql)}</a>.</p>
</body></html>
"""
    return page.encode()


# ---------------------------------------------------------------------------- VoID, health


@router.api_route(
    "/.well-known/void",
    methods=["GET", "HEAD"],
    summary="VoID description",
    response_class=Response,
    responses={200: content(RDF_TYPES, "The VoID description of the dataset"),
               **errors(304, 406, 503)},
    openapi_extra={"parameters": [format_parameter(RDF_FORMATS)]},
)
async def void_description(request: Request) -> Response:
    """The dataset: size, SPARQL endpoint, vocabularies, one subset per named graph."""
    state = server_state(request)
    fmt = negotiate(
        request.headers.get("accept"), RDF_FORMATS, format_param=request.query_params.get("format")
    )
    stats = await run_in_threadpool(state.stats)
    root = str(request.base_url).rstrip("/")
    n = ox.NamedNode
    dataset = n(f"{root}/.well-known/void#dataset")
    v = lambda term: n(VOID + term)  # noqa: E731
    count = lambda k: ox.Literal(str(k), datatype=n(XSD_INTEGER))  # noqa: E731
    triples = [
        ox.Triple(dataset, RDF_TYPE, v("Dataset")),
        ox.Triple(
            dataset, n(DCT + "title"), ox.Literal("kgraph: council decisions knowledge graph")
        ),
        ox.Triple(dataset, v("sparqlEndpoint"), n(f"{root}/sparql")),
        ox.Triple(dataset, v("uriSpace"), ox.Literal(state.settings.base_iri)),
        ox.Triple(dataset, v("triples"), count(stats.triples)),
    ]
    triples += [ox.Triple(dataset, v("vocabulary"), n(ns)) for ns in stats.vocabularies]
    sd_name = n("http://www.w3.org/ns/sparql-service-description#name")
    for g, k in sorted(stats.graphs.items()):
        sub = graph_node(root, "/.well-known/void", g)
        triples += [
            ox.Triple(dataset, v("subset"), sub),
            ox.Triple(sub, RDF_TYPE, v("Dataset")),
            ox.Triple(sub, sd_name, n(g)),
            ox.Triple(sub, v("triples"), count(k)),
        ]
    body = serialize_triples(triples, fmt.media_type, DESCRIPTION_PREFIXES)
    return conditional_response(request, body, fmt.content_type)


@router.get(
    "/healthz",
    summary="Health check",
    responses={200: {"description": "Store and worker status", "content": {"application/json": {
        "schema": {"type": "object", "required": ["status"], "properties": {
            "status": {"type": "string"}, "triples": {"type": ["integer", "null"]},
            "named_graphs": {"type": "integer"}, "query_workers": {"type": "integer"},
            "generation": {"type": "integer"}}}}}}},
)
async def healthz(request: Request) -> JSONResponse:
    """Store and query-worker status; cheap at any size (``triples`` once counted, else null).

    The triple count comes from the dataset statistics that VoID computes; counting a large
    store takes long, so a health check never starts it.
    """
    state = server_state(request)
    cached = state._stats
    counted = cached[1] if cached and cached[0] == state.executor.generation else None
    graphs = await run_in_threadpool(lambda: sum(1 for _ in state.store.named_graphs()))
    return JSONResponse(
        {
            "status": "ok",
            "triples": counted.triples if counted else None,
            "named_graphs": graphs,
            "query_workers": state.executor.size,
            "generation": state.executor.generation,
        }
    )
