"""The REST API: decisions, their statutory basis, legislation, organisations, funding, documents.

One module because its pydantic response models are the OpenAPI contract of these routes: a
route and the shape it documents change together.

Routes (JSON; every GET has an ``ETag`` and answers ``If-None-Match`` with 304):

- ``GET /decisions?organisation=&legislation=&from=&to=&q=&offset=&limit=`` — paged, ``next`` link
- ``GET /decisions/{id}`` — every fact about a decision with its evidence
- ``GET /decisions/{id}/basis`` — provisions relied on vs merely cited, with quotes and links
- ``GET /legislation/{id}/decisions?offset=&limit=`` — decisions relying on or citing a provision or
  an Act, paged, ``next`` link
- ``GET /organisations``, ``GET /organisations/{id}`` — aliases, decisions, funding in / out / via
- ``GET /funding?funder=&recipient=&intermediary=&organisation=&decision=&period=&min_amount=&max_amount=``
- ``GET /documents/{id}`` — the text with every extracted span and the facts it supports

Answers come from :mod:`kgraph.read.views` on the in-process store and are kept, rendered, in a
cache that is emptied whenever the store is written (the query executor's generation). The
views' indexes follow the same generation (:func:`prepare` registers it and builds them, and the
lineage index, when the app starts, so no request pays for a first build).
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool
from starlette.convertors import Convertor, register_url_convertor
from starlette.responses import Response

from api import app_store, server_state
from api.errors import ApiError
from api.lineage import lineage_index
from api.negotiation import Format, conditional_response, negotiate
from api.openapi import DECISION_ID_EXAMPLES
from api.strict import strict_query
from kgraph.read import saved, views
from kgraph.read.views import DEFAULT_LIMIT, MAX_LIMIT

__all__ = ["router", "ViewCache", "MAX_CACHE_BYTES", "MAX_OFFSET", "prepare", "refresh"]

#: Most bytes of rendered answers kept in memory (least recently used are dropped first).
MAX_CACHE_BYTES = 128 * 1024 * 1024
#: Largest ``offset`` a paged route takes (larger is KG604): far past any store, and small
#: enough for every index arithmetic on it.
MAX_OFFSET = 1_000_000_000

JSON = Format("json", "application/json", (), ("json",))


class DecisionIdConvertor(Convertor[str]):
    """A decision id in a path: one segment, or a number typed with its slash (``19/00076``)."""

    regex = r"\d{2}/\d{5}|[^/]+"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("decision_id", DecisionIdConvertor())


# ---------------------------------------------------------------------------- models


class _Model(BaseModel):
    model_config = ConfigDict(populate_by_name=True)


class Term(_Model):
    type: Literal["iri", "literal", "bnode"]
    value: str
    datatype: str | None = None
    language: str | None = None


class Evidence(_Model):
    """A span of a document's text: ``text[start:end] == exact``."""

    document: str = Field(description="Document id (16-hex prefix of its SHA-256).")
    start: int
    end: int
    exact: str | None


class DecisionSummary(_Model):
    id: str = Field(description="Decision id: 19-00076, or year and title slug when unnumbered.")
    iri: str
    number: str | None
    title: str | None
    date: str | None
    status: str | None


class DecisionPage(_Model):
    items: list[DecisionSummary]
    offset: int
    limit: int
    next: str | None = Field(description="Relative URL of the next page, or null on the last.")


class DocumentRef(_Model):
    id: str
    iri: str
    source: str | None
    kind: str | None
    sha256: str | None
    title: str | None
    relation: Literal["records", "proposes", "mentions"]


class Fact(_Model):
    subject: Term
    predicate: str
    predicate_iri: str
    object: Term
    label: str | None = Field(description="Label of the other end (name, title, point text).")
    documents: list[str] = Field(description="Documents whose graphs state the fact.")
    evidence: list[Evidence]


class OrgRef(_Model):
    id: str
    iri: str
    name: str | None


class Amount(_Model):
    gbp: int = Field(description="Whole pounds.")
    text: str | None
    period: str | None
    is_total: bool
    table_row: str | None


class FundingFlow(_Model):
    id: str
    document: str
    amount: Amount
    funder: OrgRef | None
    recipient: OrgRef | None
    intermediary: OrgRef | None
    purpose: str | None
    decision: str | None
    evidence: Evidence | None


class FundingPage(_Model):
    items: list[FundingFlow]
    offset: int
    limit: int
    next: str | None


class DecisionDetail(DecisionSummary):
    key_decision: bool | None
    decision_maker: str | None
    decision_maker_role: str | None
    documents: list[DocumentRef]
    facts: list[Fact]
    funding: list[FundingFlow]
    funding_has_more: bool


class ProvisionRef(_Model):
    id: str = Field(description="legislation.gov.uk id (IRI).")
    path: str | None
    url: str | None = Field(description="legislation.gov.uk page.")
    label: str | None
    act: str | None
    act_id: str | None


class Provision(ProvisionRef):
    evidence: list[Evidence]


class Basis(_Model):
    decision: DecisionSummary
    relied_on: list[Provision] = Field(description="Provisions the decision relies on (eli:based_on).")
    cited: list[Provision] = Field(description="Provisions only cited (eli:cites), never relied on.")


class LegislationInfo(ProvisionRef):
    is_act: bool


class Citation(_Model):
    decision: DecisionSummary
    relation: Literal["based_on", "cites"]
    provision: ProvisionRef
    evidence: list[Evidence]


class LegislationDecisions(_Model):
    legislation: LegislationInfo
    decisions: list[Citation]
    offset: int
    limit: int
    next: str | None = Field(description="Relative URL of the next page, or null on the last.")


class OrganisationSummary(OrgRef):
    kind: str | None


class OrganisationPage(_Model):
    items: list[OrganisationSummary]
    offset: int
    limit: int
    next: str | None


class Alias(_Model):
    label: str
    kinds: list[str] = Field(description="altLabel, acronym, hiddenLabel, formerName, surfaceForm.")


class FundingSides(_Model):
    out: list[FundingFlow] = Field(description="Flows the organisation funds.")
    in_: list[FundingFlow] = Field(alias="in", description="Flows the organisation receives.")
    via: list[FundingFlow] = Field(description="Flows passing through the organisation.")


class OrganisationDetail(OrganisationSummary):
    part_of: list[OrgRef]
    aliases: list[Alias]
    decisions: list[DecisionSummary]
    decisions_has_more: bool
    funding: FundingSides
    funding_has_more: bool


class Support(_Model):
    subject: Term
    predicate: str
    predicate_iri: str
    object: Term


class Span(_Model):
    start: int
    end: int
    exact: str
    supports: list[Support] = Field(description="Facts the span is evidence for.")
    page: int | None = Field(None, description="Page of the original (PDF) the span starts on.")


class Page(_Model):
    page: int
    start: int
    end: int


class LeftOutFact(_Model):
    fact: str = Field(description="Key of the fact in the extraction JSON, e.g. legislation[2] or decision[0].status.")
    kind: str | None = None
    label: str | None = Field(None, description="What the fact said.")
    shape: str | None = Field(None, description="IRI of the SHACL node shape it broke.")
    focus: str | None = None
    path: str | None = Field(None, description="The property checked, if any.")
    reason: str | None = Field(None, description="The violation in words.")
    quote: str | None = None
    start: int | None = None
    end: int | None = None


class DocumentDetail(_Model):
    id: str
    iri: str
    source: str | None
    kind: str | None
    sha256: str | None
    title: str | None
    text: str
    spans: list[Span]
    media_type: str | None = Field(None, description="Media type of the original file (application/pdf, …).")
    byte_size: int | None = None
    file_sha256: str | None = Field(None, description="SHA-256 of the original file's bytes.")
    source_url: str | None = Field(None, description="Where the document was published (dct:source).")
    pages: list[Page] = Field(default_factory=list, description="Text offsets of each page of a PDF original.")
    left_out: list[LeftOutFact] = Field(default_factory=list, description=(
        "Facts drawn from the document that broke a SHACL shape and were left out of the stored graph, with why."))


class ErrorBody(_Model):
    code: str
    message: str
    detail: Any = None


class ErrorEnvelope(_Model):
    error: ErrorBody


_ERRORS = {
    200: {"headers": {"ETag": {"description": "Tag of this answer; send it back in If-None-Match.",
                               "required": True, "schema": {"type": "string"}}}},
    304: {"description": "Not modified: If-None-Match names this answer's ETag (no body)"},
    404: {"model": ErrorEnvelope, "description": "Unknown id (KG401)"},
    406: {"model": ErrorEnvelope, "description": "Only application/json is offered (KG603)"},
    422: {"model": ErrorEnvelope, "description": "Invalid parameter (KG604)"},
}
_LIST_ERRORS = {k: v for k, v in _ERRORS.items() if k != 404}
_DECISION_ID = Path(description="``19-00076``, ``19/00076`` (also ``19%2F00076``) or an unnumbered "
                    "decision's id.", openapi_examples=DECISION_ID_EXAMPLES)


# ---------------------------------------------------------------------------- cache


class ViewCache:
    """Rendered answers by key, for one store generation, bounded in bytes (LRU).

    >>> c = ViewCache(max_bytes=10)
    >>> c.put(0, "a", b"12345"); c.put(0, "b", b"12345"); c.get(0, "a")
    b'12345'
    >>> c.put(0, "c", b"1"); c.get(0, "b") is None
    True
    >>> c.get(1, "a") is None
    True
    """

    def __init__(self, max_bytes: int = MAX_CACHE_BYTES):
        self.max_bytes = max_bytes
        self.generation: int | None = None
        self.size = 0
        self._items: OrderedDict[Any, bytes] = OrderedDict()

    def _reset(self, generation: int) -> None:
        if generation != self.generation:
            self._items.clear()
            self.size = 0
            self.generation = generation

    def get(self, generation: int, key: Any) -> bytes | None:
        self._reset(generation)
        body = self._items.get(key)
        if body is not None:
            self._items.move_to_end(key)
        return body

    def put(self, generation: int, key: Any, body: bytes) -> None:
        self._reset(generation)
        if len(body) > self.max_bytes:
            return
        old = self._items.pop(key, None)
        if old is not None:
            self.size -= len(old)
        self._items[key] = body
        self.size += len(body)
        while self.size > self.max_bytes:
            _, dropped = self._items.popitem(last=False)
            self.size -= len(dropped)


def _cache(request: Request) -> ViewCache:
    cache = getattr(request.app.state, "rest_cache", None)
    if cache is None:
        cache = request.app.state.rest_cache = ViewCache()
    return cache


async def _answer(request: Request, key: tuple, model: type[BaseModel],
                  compute: Callable[[], dict]) -> Response:
    """The cached rendering of ``compute()`` as ``model``, with ETag / If-None-Match."""
    negotiate(request.headers.get("accept"), (JSON,))
    state = server_state(request)
    generation = state.executor.generation
    cache = _cache(request)
    body = cache.get(generation, key)
    if body is None:
        body = await run_in_threadpool(_render, model, compute)
        cache.put(generation, key, body)
    return conditional_response(request, body, JSON.media_type)


def _render(model: type[BaseModel], compute: Callable[[], dict]) -> bytes:
    return model.model_validate(compute()).model_dump_json(by_alias=True).encode()


def prepare(app) -> None:
    """Read the views' indexes by the executor's write generation and build them, and the
    lineage index, now (called when the app starts)."""
    state = app.state.kgraph
    executor = state.executor
    views.track(state.store, lambda: executor.generation, executor.changes_since)
    store = state.store
    executor.before_write.append(lambda: saved.discard(store))  # a write outdates them
    refresh(app)


def refresh(app) -> None:
    """Bring the views' and the lineage indexes to the store's present generation: when the
    app starts, and after every write it makes (so the write pays for updating them, not the
    first read after it)."""
    views.index_of(app.state.kgraph.store)
    lineage_index(app).get()


def _paged(page: dict, path: str, params: dict, offset: int, limit: int) -> dict:
    nxt = None
    if page["has_more"]:
        query = {k: v for k, v in params.items() if v is not None}
        nxt = f"{path}?{urlencode({**query, 'offset': offset + limit, 'limit': limit})}"
    return {"items": page["items"], "offset": offset, "limit": limit, "next": nxt}


_OFFSET = Query(0, ge=0, le=MAX_OFFSET, description=f"Items to skip (at most {MAX_OFFSET:,}).")
_LIMIT = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"Items per page (at most {MAX_LIMIT}).")

router = APIRouter(tags=["REST"], dependencies=[Depends(strict_query)])


# ---------------------------------------------------------------------------- decisions


#: A calendar date as the API takes it: ``YYYY-MM-DD`` only (no timestamps, no other forms).
_ISO_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_DATE = {"format": "date"}  # and a day that exists (2023-02-30 is KG604)
#: A legislation.gov.uk path (``ukpga/2006/41/section/76``), or the IRI or page URL ending in one.
_LEGISLATION = (r"^(?:https?://(?:www\.)?legislation\.gov\.uk/(?:id/)?)?"
                r"[a-z]{2,8}/[0-9]{4}/[0-9]+(?:/[A-Za-z0-9.-]+)*$")


def _iso_date(value: str | None, name: str) -> dt.date | None:
    """``YYYY-MM-DD`` as a date; KG604 (422) for a day that does not exist (2023-02-30)."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ApiError(422, "KG604", f"{name} is not a calendar date (YYYY-MM-DD)", detail={name: value}) from None


@router.get("/decisions", response_model=DecisionPage, responses=_LIST_ERRORS, summary="Decisions")
async def list_decisions(
    request: Request,
    organisation: str | None = Query(None, description="Organisation id (slug) named in the decision's papers."),
    legislation: str | None = Query(None, pattern=_LEGISLATION, description="Provision or Act relied on "
                                    "or cited: legislation.gov.uk IRI or path such as ukpga/2006/41/section/76."),
    from_: str | None = Query(None, alias="from", pattern=_ISO_DATE, json_schema_extra=_DATE,
                              description="Decided on or after (YYYY-MM-DD)."),
    to: str | None = Query(None, alias="to", pattern=_ISO_DATE, json_schema_extra=_DATE,
                           description="Decided on or before (YYYY-MM-DD)."),
    q: str | None = Query(None, description="Text in the title, number or id (case-insensitive)."),
    offset: int = _OFFSET,
    limit: int = _LIMIT,
) -> Response:
    """Decisions by id, filtered; ``next`` links to the following page."""
    date_from, date_to = _iso_date(from_, "from"), _iso_date(to, "to")
    ref = None
    if legislation is not None:
        ref = views.parse_legislation(legislation)
        if ref is None:
            raise ApiError(422, "KG604", "legislation is not a legislation.gov.uk id or path",
                           detail={"legislation": legislation})
    params = {"organisation": organisation, "legislation": legislation,
              "from": date_from and date_from.isoformat(), "to": date_to and date_to.isoformat(), "q": q}
    key = ("decisions", tuple(params.items()), offset, limit)

    def compute() -> dict:
        page = views.list_decisions(app_store(request), organisation=organisation, legislation=ref,
                                    date_from=date_from, date_to=date_to, q=q, offset=offset, limit=limit)
        return _paged(page, "/decisions", params, offset, limit)

    return await _answer(request, key, DecisionPage, compute)


@router.get("/decisions/{id:decision_id}", response_model=DecisionDetail, responses=_ERRORS,
            summary="A decision with every fact and its evidence")
async def get_decision(request: Request, id: str = _DECISION_ID) -> Response:
    """``id``: ``19-00076``, ``19%2F00076``, ``19/00076`` or an unnumbered decision's id."""
    return await _answer(request, ("decision", id), DecisionDetail,
                         lambda: views.decision(app_store(request), id))


@router.get("/decisions/{id:decision_id}/basis", response_model=Basis, responses=_ERRORS,
            summary="Statutory basis of a decision")
async def get_basis(request: Request, id: str = _DECISION_ID) -> Response:
    """Provisions relied on vs merely cited, each with its quotes and legislation.gov.uk link."""
    return await _answer(request, ("basis", id), Basis, lambda: views.basis(app_store(request), id))


# ---------------------------------------------------------------------------- legislation


@router.get("/legislation/{id:path}/decisions", response_model=LegislationDecisions, responses=_ERRORS,
            summary="Decisions relying on or citing a provision or an Act")
async def legislation_decisions(
    request: Request,
    id: str = Path(description="legislation.gov.uk IRI or path of a provision or an Act.",
                   openapi_examples={"provision": {"value": "ukpga/2006/41/section/76"},
                                     "act": {"value": "ukpga/2006/41"}}),
    offset: int = _OFFSET,
    limit: int = _LIMIT,
) -> Response:
    """``id``: a legislation.gov.uk IRI (URL-encoded) or path: ``ukpga/2006/41/section/76`` for a
    provision, ``ukpga/2006/41`` for an Act (any of its provisions). Citations by decision id;
    ``next`` links to the following page."""
    ref = views.parse_legislation(id)
    if ref is None:
        raise ApiError(404, "KG401", "no legislation with this id", detail={"subject": id})

    def compute() -> dict:
        out = views.legislation_decisions(app_store(request), ref, offset=offset, limit=limit)
        page = _paged({"items": out["decisions"], "has_more": out["has_more"]},
                      f"/legislation/{ref.path}/decisions", {}, offset, limit)
        return {"legislation": out["legislation"], "decisions": page["items"],
                "offset": offset, "limit": limit, "next": page["next"]}

    return await _answer(request, ("legislation", ref.path, offset, limit), LegislationDecisions, compute)


# ---------------------------------------------------------------------------- organisations


@router.get("/organisations", response_model=OrganisationPage, responses=_LIST_ERRORS,
            summary="Organisations")
async def list_organisations(
    request: Request,
    q: str | None = Query(None, description="Text in the name (case-insensitive)."),
    offset: int = _OFFSET,
    limit: int = _LIMIT,
) -> Response:
    """Canonical organisations by id; ``next`` links to the following page."""

    def compute() -> dict:
        page = views.list_organisations(app_store(request), q=q, offset=offset, limit=limit)
        return _paged(page, "/organisations", {"q": q}, offset, limit)

    return await _answer(request, ("organisations", q, offset, limit), OrganisationPage, compute)


@router.get("/organisations/{id}", response_model=OrganisationDetail, responses=_ERRORS,
            summary="An organisation: aliases, decisions, funding in and out")
async def get_organisation(
    request: Request,
    id: str = Path(description="Slug of the canonical name.", openapi_examples={
        "slug": {"value": "north-east-london-nhs-foundation-trust"}}),
) -> Response:
    """``id`` is the slug of the canonical name (``north-east-london-nhs-foundation-trust``)."""
    return await _answer(request, ("organisation", id), OrganisationDetail,
                         lambda: views.organisation(app_store(request), id))


# ---------------------------------------------------------------------------- funding


@router.get("/funding", response_model=FundingPage, responses=_LIST_ERRORS, summary="Funding flows")
async def list_funding(
    request: Request,
    funder: str | None = Query(None, description="Funder organisation id."),
    recipient: str | None = Query(None, description="Recipient organisation id."),
    intermediary: str | None = Query(None, description="Intermediary organisation id."),
    organisation: str | None = Query(None, description="Any party (funder, recipient, intermediary)."),
    decision: str | None = Query(None, description="Decision id."),
    period: str | None = Query(None, description="annual, total or a financial year such as 2023/2024."),
    min_amount: int | None = Query(None, ge=0, description="Least amount, whole pounds."),
    max_amount: int | None = Query(None, ge=0, description="Greatest amount, whole pounds."),
    offset: int = _OFFSET,
    limit: int = _LIMIT,
) -> Response:
    """Funding flows, largest first, with amounts, periods, parties and evidence."""
    params = {"funder": funder, "recipient": recipient, "intermediary": intermediary,
              "organisation": organisation, "decision": decision, "period": period,
              "min_amount": min_amount, "max_amount": max_amount}

    def compute() -> dict:
        page = views.list_funding(app_store(request), funder=funder, recipient=recipient,
                                  intermediary=intermediary, organisation=organisation,
                                  decision=decision, period=period, min_gbp=min_amount,
                                  max_gbp=max_amount, offset=offset, limit=limit)
        return _paged(page, "/funding", params, offset, limit)

    return await _answer(request, ("funding", tuple(params.items()), offset, limit), FundingPage, compute)


# ---------------------------------------------------------------------------- documents


@router.get("/documents/{id}", response_model=DocumentDetail, responses=_ERRORS,
            summary="A document's text with its extracted spans")
async def get_document(
    request: Request,
    id: str = Path(description="16-hex prefix of the document's SHA-256, or the whole hash.",
                   openapi_examples={"id": {"value": "26ddd7c631e4b7d1"}}),
) -> Response:
    """``id``: the 16-hex prefix of the document's SHA-256 (or the whole hash)."""
    return await _answer(request, ("document", id), DocumentDetail,
                         lambda: views.document(app_store(request), id))
