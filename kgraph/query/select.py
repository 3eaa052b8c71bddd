"""Run SPARQL on the store and format the answers for people (table) and programs (csv, json).

>>> from kgraph.graph.store import GraphStore
>>> store = GraphStore.in_memory()
>>> store.replace_graph("https://w3id.org/kgraph/id/g", '<http://e/a> <http://e/p> "1" .')
>>> rows = select(store, "SELECT ?o WHERE { ?s ?p ?o }")
>>> rows.variables, rows.rows
(['o'], [{'o': '1'}])
>>> print(to_csv(rows), end="")
o
1
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field

import pyoxigraph as ox

from kgraph.errors import QueryError
from kgraph.graph.store import GraphStore
from kgraph.vocab import PREFIXES

#: Prefixes every query may use without declaring them.
DEFAULT_PREFIXES = PREFIXES


@dataclass
class Rows:
    """SELECT answers as plain strings, plus whether the row cap truncated them."""

    variables: list[str]
    rows: list[dict[str, str]] = field(default_factory=list)
    truncated: bool = False
    boolean: bool | None = None


def _term(t) -> str:
    return "" if t is None else t.value


def run(store: GraphStore, sparql: str, **kwargs):
    """Execute any SPARQL query with the default prefixes; malformed queries raise KG302."""
    try:
        return store.query(sparql, prefixes=DEFAULT_PREFIXES, **kwargs)
    except SyntaxError as exc:
        raise QueryError("KG302", None, f"malformed SPARQL: {exc}") from exc


def select(store: GraphStore, sparql: str, *, row_cap: int = 10_000, **kwargs) -> Rows:
    """Run a SELECT or ASK query and return at most ``row_cap`` rows."""
    res = run(store, sparql, **kwargs)
    if isinstance(res, ox.QueryBoolean):
        return Rows(variables=["boolean"], rows=[{"boolean": str(bool(res)).lower()}], boolean=bool(res))
    if not isinstance(res, ox.QuerySolutions):
        raise QueryError("KG302", None, "expected a SELECT or ASK query; use `kgraph query` --format ttl for CONSTRUCT")
    names = [v.value for v in res.variables]
    out = Rows(variables=names)
    for i, sol in enumerate(res):
        if i >= row_cap:
            out.truncated = True
            break
        out.rows.append({n: _term(sol[n]) for n in names})
    return out


def to_csv(rows: Rows) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=rows.variables, lineterminator="\n")
    w.writeheader()
    w.writerows(rows.rows)
    return buf.getvalue()


def to_json(rows: Rows) -> str:
    return json.dumps({"variables": rows.variables, "rows": rows.rows, "truncated": rows.truncated},
                      indent=2, ensure_ascii=False)


def construct(store: GraphStore, sparql: str, fmt: ox.RdfFormat = ox.RdfFormat.TURTLE) -> str:
    """Run a CONSTRUCT or DESCRIBE query and serialise the triples."""
    res = run(store, sparql)
    if not isinstance(res, ox.QueryTriples):
        raise QueryError("KG302", None, "expected a CONSTRUCT or DESCRIBE query")
    return ox.serialize(res, format=fmt, prefixes=DEFAULT_PREFIXES).decode()
