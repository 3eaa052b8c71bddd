"""RDF terms as their N-Triples text: the cheap form the build renders and validates.

A document graph has a few thousand triples; making an rdflib term object for each part of
each of them was most of the cost of rendering it. The build instead keeps every term as the
string N-Triples writes for it (``<iri>``, ``"text"``, ``"5"^^<…#integer>``), exactly as
rdflib's N-Triples serialiser would (so the stored quads do not change), and turns a term
into an rdflib object only where one is asked for (a violation to report, a graph for tests).

>>> iri("http://e/a"), literal("say \\"hi\\"\\n"), integer(5)
('<http://e/a>', '"say \\\\"hi\\\\"\\\\n"', '"5"^^<http://www.w3.org/2001/XMLSchema#integer>')
>>> term(literal("a\\nb")) == Literal("a\\nb"), to_nt(term(integer(5))) == integer(5)
(True, True)
>>> lexical(integer(-3)), datatype(integer(-3)), value(integer(-3))
('-3', 'http://www.w3.org/2001/XMLSchema#integer', -3)
"""

from __future__ import annotations

import re
from functools import lru_cache

from rdflib import BNode, Literal, URIRef
from rdflib.plugins.serializers.nt import _quoteLiteral
from rdflib.term import Node

XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGER = f"^^<{XSD}integer>"
_BOOLEAN = f"^^<{XSD}boolean>"
#: Characters rdflib refuses in an IRI it serialises (``rdflib.term._invalid_uri_chars``).
BAD_IRI = re.compile(r'[<>" {}|\\^`]')
_ESCAPE = re.compile(r"\\(.)", re.DOTALL)
_UNESCAPE = {"n": "\n", "r": "\r", '"': '"', "\\": "\\"}
_CANONICAL_INT = re.compile(r"-?(?:0|[1-9][0-9]*)")


def iri(value: str) -> str:
    """``<value>`` (checked for characters N-Triples does not allow by :func:`bad_iris`)."""
    return f"<{value}>"


def literal(value) -> str:
    """A plain literal for a string (other Python values: typed, as rdflib types them)."""
    if type(value) is str:
        return '"' + value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"').replace("\r", "\\r") + '"'
    return _quoteLiteral(Literal(value))


def integer(value) -> str:
    """An ``xsd:integer`` literal."""
    if type(value) is int:
        return f'"{value}"{_INTEGER}'
    return _quoteLiteral(Literal(value, datatype=URIRef(XSD + "integer")))


def boolean(value: bool) -> str:
    """An ``xsd:boolean`` literal."""
    return f'"{"true" if value else "false"}"{_BOOLEAN}'


def typed(value, datatype: str) -> str:
    """A literal of ``datatype`` (an IRI string), with the lexical form rdflib gives ``value``."""
    if datatype == XSD + "integer":
        return integer(value)
    return _quoteLiteral(Literal(value, datatype=URIRef(datatype)))


def to_nt(node: Node) -> str:
    """The N-Triples text of an rdflib term."""
    if isinstance(node, Literal):
        return _quoteLiteral(node)
    if isinstance(node, BNode):
        return f"_:{node}"
    return f"<{node}>"


def n3(t: str) -> str:
    """What rdflib's ``term.n3()`` gives for the term (it differs from N-Triples for literals with
    a backslash or a line break)."""
    if t[0] == '"' and "\\" in t:
        return term(t).n3()
    return t


def is_literal(t: str) -> bool:
    return t[0] == '"'


def is_iri(t: str) -> bool:
    return t[0] == "<"


def is_blank(t: str) -> bool:
    return t[0] == "_"


def _unescape(s: str) -> str:
    return _ESCAPE.sub(lambda m: _UNESCAPE.get(m[1], m[0]), s) if "\\" in s else s


def _split(t: str) -> tuple[str, str | None, str | None]:
    """(escaped lexical form, datatype IRI, language) of a literal."""
    if t[-1] == '"':
        return t[1:-1], None, None
    if t[-1] == ">":
        i = t.rindex('"^^<')
        return t[1:i], t[i + 4 : -1], None
    i = t.rindex('"@')
    return t[1:i], None, t[i + 2 :]


def lexical(t: str) -> str:
    """The string value of a term: a literal's lexical form, an IRI without its brackets."""
    if t[0] == '"':
        return _unescape(_split(t)[0])
    if t[0] == "<":
        return t[1:-1]
    return t[2:]


def datatype(t: str) -> str | None:
    """A literal's datatype IRI (None for a plain or language-tagged literal)."""
    return _split(t)[1]


def language(t: str) -> str | None:
    return _split(t)[2]


def ill_typed(t: str) -> bool:
    """Whether a typed literal's lexical form is not of its datatype (as rdflib judges it)."""
    lex, dt, _ = _split(t)
    if dt == XSD + "integer" and _CANONICAL_INT.fullmatch(lex):
        return False
    return bool(_parsed(t).ill_typed)


def value(t: str):
    """A literal's Python value (as rdflib gives it)."""
    lex, dt, _ = _split(t)
    if dt == XSD + "integer" and _CANONICAL_INT.fullmatch(lex):
        return int(lex)
    return _parsed(t).value


@lru_cache(maxsize=4096)
def _parsed(t: str) -> Literal:
    lex, dt, lang = _split(t)
    return Literal(_unescape(lex), datatype=URIRef(dt) if dt else None, lang=lang)


def term(t: str) -> Node:
    """The rdflib term for N-Triples text."""
    if t[0] == '"':
        return _parsed(t)
    if t[0] == "<":
        return URIRef(t[1:-1])
    return BNode(t[2:])


def bad_iris(terms) -> list[str]:
    """The IRIs among ``terms`` that rdflib would refuse to serialise."""
    return [t for t in terms if t[0] == "<" and BAD_IRI.search(t, 1, len(t) - 1)]
