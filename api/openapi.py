"""What the OpenAPI document says about routes that read their request by hand.

The SPARQL protocol routes, the update routes and the linked-data routes take raw bodies
and negotiate their own media types, so FastAPI cannot infer their contract. These helpers
spell it out: :func:`errors` (the envelope for each status a route can answer),
:func:`content` (the media types of a 200), and the request bodies and parameters of the
SPARQL protocol. :func:`document_limits` adds, on every operation, the answers the
request-limit layer gives to any route (414, 413 for bodies, 500).

>>> sorted(errors(400, 406))
[400, 406]
>>> errors(406)[406]["content"]["application/json"]["schema"]["$ref"]
'#/components/schemas/ErrorEnvelope'
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel

from api.negotiation import HTML, RDF_FORMATS, RESULT_FORMATS

_WHAT = {
    304: "Not modified (the ETag given in If-None-Match still matches)",
    400: "Malformed request, query or update",
    401: "Missing or wrong bearer token",
    403: "Refused: updates disabled, SERVICE or LOAD not allowed, or an update sent as a query",
    404: "Nothing with this id, or no such resource",
    406: "No acceptable representation for the Accept header or format parameter",
    413: "Request body, query or update too large",
    414: "Request URL too long",
    415: "Unsupported request media type",
    422: "Invalid parameter",
    500: "Internal server error",
    502: "A SERVICE endpoint's answer could not be used",
    503: "Time limit, all workers busy, a crashed worker, or the store unavailable",
}


class ErrorBody(BaseModel):
    code: str
    message: str
    detail: object | None = None


class ErrorEnvelope(BaseModel):
    """Every error the server returns."""

    error: ErrorBody


_ENVELOPE_REF = {"$ref": "#/components/schemas/ErrorEnvelope"}


def errors(*statuses: int) -> dict[int, dict]:
    """OpenAPI responses in the error envelope for ``statuses`` (304 has no body)."""
    out: dict[int, dict] = {}
    for status in statuses:
        if status == 304:
            out[status] = {"description": _WHAT[304]}
        else:
            out[status] = {"description": _WHAT[status],
                           "content": {"application/json": {"schema": _ENVELOPE_REF}}}
    return out


def content(media_types: Iterable[str], description: str) -> dict:
    """An OpenAPI 200 response in any of ``media_types``: JSON ones any JSON, others text."""
    return {"description": description,
            "content": {m: {"schema": {} if m.endswith("json") else {"type": "string"}}
                        for m in media_types}}


RESULT_TYPES = tuple(f.media_type for f in RESULT_FORMATS)
RDF_TYPES = tuple(f.media_type for f in RDF_FORMATS)
RESOURCE_TYPES = (*RDF_TYPES, HTML.media_type)

_GRAPH_LIST = {"type": "array", "items": {"type": "string"}}


def format_parameter(formats) -> dict:
    """The ``format=`` parameter choosing one of ``formats`` by name."""
    names = sorted({n for f in formats for n in f.format_names})
    return {"name": "format", "in": "query", "required": False,
            "schema": {"type": "string", "enum": ["", *names]},
            "description": "the representation by name (empty: by the Accept header)"}


DATASET_PARAMETERS = [
    {"name": "default-graph-uri", "in": "query", "required": False, "schema": _GRAPH_LIST,
     "explode": True, "description": "IRIs whose merge is the default graph"},
    {"name": "named-graph-uri", "in": "query", "required": False, "schema": _GRAPH_LIST,
     "explode": True, "description": "IRIs of the named graphs the query may use"},
    format_parameter((*RESULT_FORMATS, *RDF_FORMATS)),
]
#: Example queries and updates (the OpenAPI document's, for readers and fuzzers alike).
QUERY_EXAMPLES = {
    "select": {"summary": "Ten triples", "value": "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 10"},
    "ask": {"summary": "Any decision?", "value": "ASK { ?d a kg:Decision }"},
    "construct": {"summary": "Titles as a graph",
                  "value": "CONSTRUCT { ?d dct:title ?t } WHERE { ?d dct:title ?t } LIMIT 10"},
}
UPDATE_EXAMPLE = ('INSERT DATA { GRAPH <urn:example:graph> { <urn:example:s> '
                  '<urn:example:p> "example" } }')
QUERY_PARAMETER = {"name": "query", "in": "query", "required": False,
                   "schema": {"type": "string", "minLength": 1}, "examples": QUERY_EXAMPLES,
                   "description": "the SPARQL query; without one, the service description"}

QUERY_BODY = {
    "required": True,
    "content": {
        "application/sparql-query": {"schema": {"type": "string", "minLength": 1}},
        "application/x-www-form-urlencoded": {"examples": {
            k: {"summary": v["summary"], "value": {"query": v["value"]}} for k, v in QUERY_EXAMPLES.items()
        }, "schema": {
            "type": "object", "required": ["query"],
            "properties": {"query": {"type": "string", "minLength": 1},
                           "default-graph-uri": _GRAPH_LIST, "named-graph-uri": _GRAPH_LIST,
                           "format": format_parameter((*RESULT_FORMATS, *RDF_FORMATS))["schema"]},
        }},
    },
}
UPDATE_BODY = {
    "required": True,
    "content": {
        "application/sparql-update": {"schema": {"type": "string", "minLength": 1}},
        "application/x-www-form-urlencoded": {"example": {"update": UPDATE_EXAMPLE}, "schema": {
            "type": "object", "required": ["update"],
            "properties": {"update": {"type": "string", "minLength": 1}},
        }},
    },
}
DATA_BODY = {
    "required": True,
    "content": {m: {"schema": {"type": "string"}} for m in (
        "text/turtle", "application/x-turtle", "application/n-triples", "text/plain",
        "application/n-quads")},
}
BEARER = [{"bearerToken": []}]

#: Examples of a decision id in a path: as typed (its slash sent as ``%2F``) and as minted.
DECISION_ID_EXAMPLES = {
    "number": {"summary": "A decision number as typed", "value": "19/00076"},
    "id": {"summary": "A decision id", "value": "19-00076"},
}


def document_limits(app: FastAPI) -> None:
    """Generate the document once, with the envelope schema, the bearer scheme, and on every
    operation the limit layer's answers (414 and 500 everywhere, 413 where a body is read)."""

    def openapi() -> dict:
        if app.openapi_schema:
            return app.openapi_schema
        with warnings.catch_warnings():  # GET+HEAD routes share a function: ids made unique below
            warnings.simplefilter("ignore", UserWarning)
            doc = get_openapi(title=app.title, version=app.version, summary=app.summary,
                              description=app.description, routes=app.routes)
        seen: set[str] = set()
        schemas = doc.setdefault("components", {}).setdefault("schemas", {})
        schemas["ErrorEnvelope"] = ErrorEnvelope.model_json_schema(
            ref_template="#/components/schemas/{model}")
        schemas.update(schemas["ErrorEnvelope"].pop("$defs", {}))
        doc["components"].setdefault("securitySchemes", {})["bearerToken"] = {
            "type": "http", "scheme": "bearer"}
        for item in doc.get("paths", {}).values():
            for method, op in item.items():
                if not isinstance(op, dict) or "responses" not in op:
                    continue
                if op.get("operationId") in seen:
                    op["operationId"] = f"{op['operationId']}_{method}"
                seen.add(op.get("operationId", ""))
                extra = [414, 500] + ([413] if method in ("post", "put", "patch") else [])
                for status, response in errors(*extra).items():
                    op["responses"].setdefault(str(status), response)
        app.openapi_schema = doc
        return doc

    app.openapi = openapi  # type: ignore[method-assign]
