"""Result writers: SPARQL solutions and RDF graphs serialised in every media type served.

Pure functions over pyoxigraph terms; the query workers call them (see
:mod:`kgraph.query.executor`), and the API uses :func:`serialize_triples` for its own
descriptions.

>>> serialize_solutions(["x"], [[ox.Literal("1")]], "application/sparql-results+json")
b'{"head":{"vars":["x"]},"results":{"bindings":[{"x":{"type":"literal","value":"1"}}]}}'
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape as _xml_escape
from xml.sax.saxutils import quoteattr as _xml_attr

import pyoxigraph as ox

from kgraph.vocab import PREFIXES as VOCAB_PREFIXES

__all__ = [
    "PREFIXES",
    "RDF_MEDIA_TYPES",
    "RESULT_MEDIA_TYPES",
    "QueryResult",
    "TermRows",
    "serialize_solutions",
    "serialize_triples",
]

#: Media types a SELECT / ASK result can be serialised to.
RESULT_MEDIA_TYPES: tuple[str, ...] = (
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
)
#: Media types a CONSTRUCT / DESCRIBE result can be serialised to.
RDF_MEDIA_TYPES: tuple[str, ...] = (
    "text/turtle",
    "application/n-triples",
    "application/ld+json",
    "application/n-quads",
    "application/rdf+xml",
)

#: Prefixes declared for every query and used when serialising graphs as Turtle or JSON-LD.
PREFIXES: dict[str, str] = VOCAB_PREFIXES

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@dataclass(frozen=True)
class QueryResult:
    """A serialised query result: ``kind`` is ``solutions``, ``boolean`` or ``graph``."""

    kind: str
    media_type: str
    body: bytes
    truncated: bool = False
    count: int = 0


@dataclass(frozen=True)
class TermRows:
    """Solutions as pyoxigraph terms, for callers that build their own responses.

    (The CLI's :class:`kgraph.query.select.Rows` holds plain strings instead.)
    """

    variables: list[str]
    rows: list[dict[str, object]] = field(default_factory=list)
    truncated: bool = False


def _json_term(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != _XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {
            "type": "triple",
            "value": {k: _json_term(getattr(term, k)) for k in ("subject", "predicate", "object")},
        }
    raise TypeError(f"unexpected term {term!r}")


def _xml_term(term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{_xml_escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{_xml_escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return (
                f"<literal xml:lang={_xml_attr(term.language)}>{_xml_escape(term.value)}</literal>"
            )
        if term.datatype.value != _XSD_STRING:
            return f"<literal datatype={_xml_attr(term.datatype.value)}>{_xml_escape(term.value)}</literal>"
        return f"<literal>{_xml_escape(term.value)}</literal>"
    inner = "".join(
        f"<{k}>{_xml_term(getattr(term, k))}</{k}>" for k in ("subject", "predicate", "object")
    )
    return f"<triple>{inner}</triple>"


def _csv_value(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    if isinstance(term, ox.Triple):
        return str(term)
    return term.value


def _csv_field(value: str) -> str:
    if any(c in value for c in ',"\r\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


def serialize_solutions(
    variables: Sequence[str], rows: Iterable[Sequence], media_type: str
) -> bytes:
    """Serialise rows (sequences of terms or ``None``, in ``variables`` order) as SPARQL results.

    >>> serialize_solutions(["x"], [[ox.Literal("a,b")], [None]], "text/csv")
    b'x\\r\\n"a,b"\\r\\n\\r\\n'
    """
    if media_type == "application/sparql-results+json":
        bindings = [
            {v: _json_term(t) for v, t in zip(variables, row, strict=True) if t is not None}
            for row in rows
        ]
        doc = {"head": {"vars": list(variables)}, "results": {"bindings": bindings}}
        return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()
    if media_type == "application/sparql-results+xml":
        out = io.StringIO()
        out.write(
            '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>'
        )
        out.write("".join(f"<variable name={_xml_attr(v)}/>" for v in variables))
        out.write("</head>\n<results>\n")
        for row in rows:
            out.write("<result>")
            for v, t in zip(variables, row, strict=True):
                if t is not None:
                    out.write(f"<binding name={_xml_attr(v)}>{_xml_term(t)}</binding>")
            out.write("</result>\n")
        out.write("</results>\n</sparql>\n")
        return out.getvalue().encode()
    if media_type == "text/csv":
        lines = [",".join(_csv_field(v) for v in variables)]
        lines += [",".join(_csv_field(_csv_value(t)) for t in row) for row in rows]
        return ("\r\n".join(lines) + "\r\n").encode()
    if media_type == "text/tab-separated-values":
        lines = ["\t".join("?" + v for v in variables)]
        lines += ["\t".join("" if t is None else str(t) for t in row) for row in rows]
        return ("\n".join(lines) + "\n").encode()
    raise ValueError(f"unsupported results media type {media_type}")


def serialize_triples(
    triples: Iterable, media_type: str, prefixes: dict[str, str] | None = None
) -> bytes:
    """Serialise pyoxigraph triples in an RDF media type (N-Quads puts them in the default graph).

    >>> t = ox.Triple(ox.NamedNode("http://ex/a"), ox.NamedNode("http://ex/p"), ox.Literal("1"))
    >>> serialize_triples([t], "application/n-triples")
    b'<http://ex/a> <http://ex/p> "1" .\\n'
    """
    fmt = ox.RdfFormat.from_media_type(media_type)
    if fmt is None:
        raise ValueError(f"unsupported RDF media type {media_type}")
    if fmt == ox.RdfFormat.N_QUADS:
        triples = [ox.Quad(t.subject, t.predicate, t.object) for t in triples]
    use_prefixes = (
        prefixes
        if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.JSON_LD, ox.RdfFormat.RDF_XML)
        else None
    )
    if use_prefixes:
        triples = list(triples)
        iris = {
            t.value
            for tr in triples
            for t in (tr.subject, tr.predicate, tr.object, getattr(tr.object, "datatype", None))
            if isinstance(t, ox.NamedNode)
        }
        use_prefixes = {
            p: ns for p, ns in use_prefixes.items() if any(i.startswith(ns) for i in iris)
        }
    return ox.serialize(triples, format=fmt, prefixes=use_prefixes or None)
