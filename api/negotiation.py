"""Content negotiation (Accept with q-values and wildcards, or a ``format=`` parameter) and ETags.

>>> negotiate("text/csv;q=0.5, application/sparql-results+xml", RESULT_FORMATS).name
'xml'
>>> negotiate(None, RDF_FORMATS).media_type
'text/turtle'
>>> negotiate("*/*", RESULT_FORMATS, format_param="tsv").media_type
'text/tab-separated-values'
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response

from api.errors import ApiError


@dataclass(frozen=True)
class Format:
    """A representation we can produce: its short name, media type, and what else selects it."""

    name: str
    media_type: str
    aliases: tuple[str, ...] = ()
    format_names: tuple[str, ...] = ()

    @property
    def content_type(self) -> str:
        """The Content-Type header value (UTF-8 made explicit for text types)."""
        if self.media_type.startswith("text/"):
            return self.media_type + "; charset=utf-8"
        return self.media_type


#: SELECT / ASK results, in order of preference.
RESULT_FORMATS: tuple[Format, ...] = (
    Format(
        "json",
        "application/sparql-results+json",
        ("application/json", "text/javascript", "application/javascript"),
        ("json", "srj"),
    ),
    Format(
        "xml", "application/sparql-results+xml", ("application/xml", "text/xml"), ("xml", "srx")
    ),
    Format("csv", "text/csv", (), ("csv",)),
    Format("tsv", "text/tab-separated-values", (), ("tsv",)),
)

#: CONSTRUCT / DESCRIBE results and other RDF documents, in order of preference.
RDF_FORMATS: tuple[Format, ...] = (
    Format(
        "turtle",
        "text/turtle",
        ("application/turtle", "application/x-turtle", "text/n3"),
        ("ttl", "turtle", "n3"),
    ),
    Format("ntriples", "application/n-triples", ("text/plain",), ("nt", "ntriples", "n-triples")),
    Format("jsonld", "application/ld+json", ("application/json",), ("jsonld", "json-ld", "json")),
    Format("nquads", "application/n-quads", ("text/x-nquads",), ("nq", "nquads", "n-quads")),
    Format("rdfxml", "application/rdf+xml", (), ("rdf", "rdfxml", "xml", "owl")),
)

#: A small readable page for people.
HTML = Format("html", "text/html", ("application/xhtml+xml",), ("html",))


def parse_accept(header: str | None) -> list[tuple[str, str, float]]:
    """Media ranges of an Accept header as ``(type, subtype, q)``; malformed parts are skipped.

    >>> parse_accept("text/*;q=0.3, application/json")
    [('text', '*', 0.3), ('application', 'json', 1.0)]
    """
    ranges: list[tuple[str, str, float]] = []
    for part in (header or "").split(","):
        pieces = [p.strip() for p in part.split(";")]
        media = pieces[0].lower()
        if "/" not in media:
            continue
        main, _, sub = media.partition("/")
        q = 1.0
        for param in pieces[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = min(max(float(value.strip()), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        if main and sub and not (main == "*" and sub != "*"):
            ranges.append((main, sub, q))
    return ranges


def _quality(media_type: str, ranges: list[tuple[str, str, float]]) -> tuple[float, int]:
    """q of the most specific range matching ``media_type`` and that specificity (-1: none)."""
    main, _, sub = media_type.partition("/")
    best: tuple[float, int] = (0.0, -1)
    for rmain, rsub, q in ranges:
        if (rmain, rsub) == (main, sub):
            spec = 2
        elif rmain == main and rsub == "*":
            spec = 1
        elif rmain == "*":
            spec = 0
        else:
            continue
        if spec > best[1]:
            best = (q, spec)
    return best


def negotiate(
    accept: str | None, offers: Sequence[Format], *, format_param: str | None = None
) -> Format:
    """Pick the offer the client prefers; raise a 406 ``ApiError`` (KG603) if none is acceptable.

    ``format_param`` (e.g. ``json``, ``ttl``) wins over Accept. With no Accept header the first
    offer is used. Ties go to the range named most specifically, then to the offers' order.

    >>> negotiate("text/turtle;q=0.2, application/ld+json;q=0.9", RDF_FORMATS).name
    'jsonld'
    >>> negotiate("image/png", RDF_FORMATS)
    Traceback (most recent call last):
    ...
    api.errors.ApiError: [KG603] no acceptable representation; available: text/turtle, application/n-triples, application/ld+json, application/n-quads, application/rdf+xml
    """
    available = [o.media_type for o in offers]
    if format_param:
        wanted = format_param.strip().lower()
        for offer in offers:
            if wanted in offer.format_names or wanted == offer.media_type:
                return offer
        raise ApiError(
            406,
            "KG603",
            f"format={format_param!r} is not available here",
            detail={
                "formats": [n for o in offers for n in o.format_names[:1]],
                "media_types": available,
            },
        )
    if not accept or not accept.strip():
        return offers[0]
    ranges = parse_accept(accept)
    best: tuple[float, int, int] | None = None
    chosen: Format | None = None
    for order, offer in enumerate(offers):
        # aliases (e.g. application/json) count only when named exactly, never via wildcards
        q, spec = max(
            [_quality(offer.media_type, ranges)]
            + [qs for qs in (_quality(a, ranges) for a in offer.aliases) if qs[1] == 2]
        )
        if spec < 0 or q <= 0:
            continue
        key = (q, spec, -order)
        if best is None or key > best:
            best, chosen = key, offer
    if chosen is None:
        raise ApiError(
            406,
            "KG603",
            "no acceptable representation; available: " + ", ".join(available),
            detail={"accept": accept, "media_types": available},
        )
    return chosen


def etag_for(body: bytes) -> str:
    """A strong ETag: a hash of the response body.

    >>> etag_for(b"x")
    '"2d711642b726b04401627ca9fbac32f5"'
    """
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def _matches(if_none_match: str, etag: str) -> bool:
    tags = [t.strip() for t in if_none_match.split(",")]
    return "*" in tags or any(t.removeprefix("W/") == etag for t in tags)


def conditional_response(
    request: Request,
    body: bytes,
    content_type: str,
    *,
    headers: Mapping[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    """A response with an ``ETag``, or ``304 Not Modified`` when ``If-None-Match`` matches."""
    etag = etag_for(body)
    out = {"ETag": etag, "Vary": "Accept", **(headers or {})}
    inm = request.headers.get("if-none-match")
    if inm and _matches(inm, etag):
        return Response(status_code=304, headers=out)
    return Response(body, status_code=status_code, media_type=content_type, headers=out)
