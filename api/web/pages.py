"""HTML routes: search, decision, document, organisation, legislation and the SPARQL editor.

Every page is rendered on the server from the read views (no page needs JavaScript to show
its facts; the lineage graph and the SPARQL editor add it). Every filter is a URL parameter,
so a search can be shared as a link. Unknown ids answer 404 with a page that says so.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.concurrency import run_in_threadpool

from api import app_store
from api.web.spans import SPAN_KINDS, document_segments, fact_kind
from kgraph.errors import NotFoundError
from kgraph.read import views

HERE = Path(__file__).resolve().parent
STATIC_DIR = HERE / "static"
QUERIES_DIR = HERE.parents[1] / "queries"
#: Decisions per search page.
PAGE_SIZE = 20
#: Hops of lineage drawn on a decision page.
LINEAGE_DEPTH = 3
#: Lineage download formats (as the API serves them at /decisions/{id}/lineage?format=).
LINEAGE_FORMATS = ("json", "jsonld", "graphml", "dot", "mermaid")
#: Schemes a link on a page may use; any other IRI is shown as text.
SAFE_SCHEMES = ("http://", "https://", "mailto:")

router = APIRouter(include_in_schema=False)
_env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]),
                   trim_blocks=True, lstrip_blocks=True)


def _doc_href(doc: str, start: int | None = None, end: int | None = None) -> str:
    href = f"/ui/documents/{quote(doc)}"
    return href + (f"#s-{start}-{end}" if start is not None and end is not None else "")


def _safe_url(iri: str | None) -> str | None:
    return iri if iri and iri.startswith(SAFE_SCHEMES) else None


def _gbp(value: int | float | None) -> str:
    return "" if value is None else f"£{value:,.0f}"


_env.globals.update(doc_href=_doc_href, safe_url=_safe_url, quote=quote, SPAN_KINDS=SPAN_KINDS)
_env.filters["gbp"] = _gbp


def _page(template: str, status: int = 200, **context) -> HTMLResponse:
    html = _env.get_template(template).render(**context)
    return HTMLResponse(html, status_code=status)


def _not_found(what: str, ident: str) -> HTMLResponse:
    return _page("not_found.html", status=404, title="Not found", what=what, ident=ident)


async def _view(what: str, ident: str, compute):
    """``compute()`` in a worker thread; the 404 page when it names nothing (KG401)."""
    try:
        return await run_in_threadpool(compute), None
    except NotFoundError:
        return None, _not_found(what, ident)


@lru_cache(maxsize=1)
def _act_options() -> tuple[tuple[str, str], ...]:
    """(path, title) of every Act and SI in the gazetteer, by title, for the search form."""
    from kgraph.extract.gazetteers.legislation import load_acts

    acts = {(f"{e.type}/{e.year}/{e.number}", e.title) for e in load_acts().values()}
    return tuple(sorted(acts, key=lambda a: a[1]))


_PROVISION = re.compile(r"^\s*(section|schedule|regulation|article|part|s\.?)\s*([0-9]+[A-Z]{0,3})\s*$", re.I)


def legislation_path(act: str | None, provision: str | None) -> str | None:
    """The legislation path a search asks for: an Act, or one provision of it.

    >>> legislation_path("ukpga/2006/41", "section 76")
    'ukpga/2006/41/section/76'
    >>> legislation_path("ukpga/2006/41", "s76"), legislation_path("ukpga/2006/41", "")
    ('ukpga/2006/41/section/76', 'ukpga/2006/41')
    >>> legislation_path(None, "section 76") is None
    True
    """
    if not act:
        return None
    m = _PROVISION.match(provision or "")
    if not m:
        return act
    kind = m.group(1).lower().rstrip(".")
    return f"{act}/{'section' if kind == 's' else kind}/{m.group(2)}"


def _parse_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@router.get("/", response_class=HTMLResponse)
async def search(request: Request, q: str | None = Query(None, max_length=200),
                 organisation: str | None = Query(None, max_length=200),
                 act: str | None = Query(None, max_length=200), provision: str | None = Query(None, max_length=50),
                 from_: str | None = Query(None, alias="from", max_length=10), to: str | None = Query(None, max_length=10),
                 page: int = Query(1, ge=1, le=100_000)) -> HTMLResponse:
    """Search decisions by text or number, organisation, Act or provision and date range."""
    store = app_store(request)
    path = legislation_path(act or None, provision)
    ref = views.parse_legislation(path) if path else None
    filters = {"q": q or "", "organisation": organisation or "", "act": act or "", "provision": provision or "",
               "from": from_ or "", "to": to or ""}

    def compute():
        orgs = views.list_organisations(store, limit=views.MAX_LIMIT)["items"]
        result = views.list_decisions(store, organisation=organisation or None, legislation=ref,
                                      date_from=_parse_date(from_), date_to=_parse_date(to), q=q or None,
                                      offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE)
        return orgs, result

    orgs, result = await run_in_threadpool(compute)
    active = {k: v for k, v in filters.items() if v}
    nav = {"prev": f"/?{urlencode({**active, 'page': page - 1})}" if page > 1 else None,
           "next": f"/?{urlencode({**active, 'page': page + 1})}" if result["has_more"] else None}
    return _page("search.html", title="Search decisions", filters=filters, orgs=orgs, acts=_act_options(),
                 items=result["items"], page=page, nav=nav, searched=bool(active))


def _lineage(request: Request, ident: str) -> tuple[dict | None, list[dict]]:
    """The lineage drawn on the page (``LINEAGE_DEPTH`` hops both ways) and its decisions in
    date order (the whole lineage's timeline can hold thousands: the API serves it)."""
    from api.lineage import lineage_index

    lineage = lineage_index(request).get()
    try:
        view = lineage.view(ident, depth=LINEAGE_DEPTH, direction="both")
    except NotFoundError:
        return None, []
    decisions = [n for n in view["nodes"] if n["kind"] == "Decision"]
    timeline = sorted(decisions, key=lambda n: (n.get("date") or str(n.get("year") or "9999"), n.get("number") or ""))
    return view, timeline


@router.get("/ui/decisions/{id:path}", response_class=HTMLResponse)
async def decision_page(request: Request, id: str) -> HTMLResponse:
    """A decision: its fields, organisations, funding, statutory basis vs citations, lineage."""
    store = app_store(request)

    def compute():
        detail = views.decision(store, id)
        basis = views.basis(store, id)
        funding = views.list_funding(store, decision=detail["id"], limit=views.MAX_LIMIT)["items"]
        return detail, basis, funding

    found, missing = await _view("decision", id, compute)
    if missing:
        return missing
    detail, basis, funding = found
    lineage, timeline = await run_in_threadpool(_lineage, request, detail["id"])
    organisations = [f for f in detail["facts"] if fact_kind(f["predicate_iri"]) == "org"
                     and f["object"]["type"] == "iri"]
    seen: set[str] = set()
    orgs = []
    for f in organisations:
        iri = f["object"]["value"]
        if iri not in seen:
            seen.add(iri)
            orgs.append({"iri": iri, "slug": iri.rstrip("/").rsplit("/", 1)[-1], "label": f["label"] or iri,
                         "role": f["predicate"], "evidence": f["evidence"]})
    return _page("decision.html", title=detail.get("number") or detail.get("title") or detail["id"], d=detail,
                 basis=basis, funding=funding, orgs=orgs, lineage=lineage, timeline=timeline,
                 formats=LINEAGE_FORMATS)


@router.get("/ui/documents/{id}", response_class=HTMLResponse)
async def document_page(request: Request, id: str) -> HTMLResponse:
    """A paper's text with every extracted span highlighted by kind, linked to its facts."""
    doc, missing = await _view("document", id, lambda: views.document(app_store(request), id))
    if missing:
        return missing
    segments, spans = document_segments(doc["text"], doc["spans"])
    return _page("document.html", title=doc.get("title") or doc["source"], doc=doc, segments=segments, spans=spans)


@router.get("/ui/organisations/{slug}", response_class=HTMLResponse)
async def organisation_page(request: Request, slug: str) -> HTMLResponse:
    """An organisation: aliases, decisions naming it, money it pays, receives or passes on."""
    org, missing = await _view("organisation", slug, lambda: views.organisation(app_store(request), slug))
    if missing:
        return missing
    return _page("organisation.html", title=org["name"], org=org)


@router.get("/ui/legislation/{path:path}", response_class=HTMLResponse)
async def legislation_page(request: Request, path: str, page: int = Query(1, ge=1, le=100_000)) -> HTMLResponse:
    """Decisions relying on or citing an Act (any of its provisions) or one provision, paged."""
    ref = views.parse_legislation(path)
    if ref is None:
        return _not_found("legislation", path)
    result, missing = await _view("legislation", path, lambda: views.legislation_decisions(
        app_store(request), ref, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE))
    if missing:
        return missing
    nav = {"prev": f"?page={page - 1}" if page > 1 else None,
           "next": f"?page={page + 1}" if result.get("has_more") else None}
    return _page("legislation.html", title=result["legislation"].get("label") or path, leg=result["legislation"],
                 rows=result["decisions"], ref=ref, page=page, nav=nav)


@lru_cache(maxsize=1)
def example_queries() -> tuple[tuple[str, str, str], ...]:
    """(file stem, first comment line, query text) of every example query in ``queries/``."""
    out = []
    for f in sorted(QUERIES_DIR.glob("*.rq")):
        text = f.read_text(encoding="utf-8")
        first = next((line.lstrip("# ").strip() for line in text.splitlines() if line.startswith("#")), f.stem)
        out.append((f.stem, first, text))
    return tuple(out)


@router.get("/ui/sparql", response_class=HTMLResponse)
async def sparql_page(request: Request, query: str | None = Query(None, max_length=100_000),
                      example: str | None = Query(None, max_length=100)) -> HTMLResponse:
    """The SPARQL editor, with the example queries one click away."""
    examples = example_queries()
    text = query or next((q for stem, _, q in examples if stem == example), None) \
        or (examples[0][2] if examples else "SELECT * WHERE { ?s ?p ?o } LIMIT 10")
    return _page("sparql.html", title="SPARQL", examples=examples, query=text,
                 example_map={stem: q for stem, _, q in examples})
