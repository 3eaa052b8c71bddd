"""What a SPARQL query or update would do, decided from its parse, before anything runs.

:func:`analyse` parses the text with rdflib's SPARQL 1.1 grammar (``parseQuery``, else
``parseUpdate``) and walks the parse tree: the form, the dataset clauses (``FROM``,
``USING``), the SERVICE endpoints (resolved against ``BASE`` / ``PREFIX`` and kgraph's
predeclared prefixes), the LOAD sources and the other graph-management operations.
:func:`check_query` and :func:`check_update` then refuse what the settings do not allow.

Parsing is the expensive, recursive part, so it is bounded twice: :func:`precheck` refuses
text longer than ``max_chars`` or nested deeper than ``max_depth`` brackets with one cheap
pass (no parse), and :func:`analyse` parses in a thread with a large stack, turning a
parser recursion overflow into a coded refusal; the query workers run it, under the query
time limit (see :mod:`kgraph.query.executor`).

>>> info = analyse("PREFIX ex: <http://ex/> SELECT * WHERE { SERVICE ex:sparql { ?s ?p ?o } }")
>>> info.form, info.services
('SELECT', ('http://ex/sparql',))
>>> analyse("PREFIX e: <http://e/> SELECT ?a WHERE { ?s e:x\\\\' ?o "
...         "SERVICE <http://127.0.0.1:9/x> { ?a ?b ?c } }").services
('http://127.0.0.1:9/x',)
>>> analyse('SELECT ?x WHERE { ?x ?p "INSERT SERVICE" } # DELETE').form
'SELECT'
>>> analyse("LOAD <file:///etc/passwd>").loads
('file:///etc/passwd',)
"""

from __future__ import annotations

import logging
import re
import sys
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from kgraph.errors import QueryError
from kgraph.vocab import PREFIXES

__all__ = ["QueryInfo", "analyse", "check_query", "check_update", "nesting_depth", "plain_query", "precheck"]

#: Stack and recursion allowance of the parsing thread: the SPARQL grammar recurses once per
#: triple of a block and many times per bracket, so a long but legal query needs far more than
#: Python's default 1,000 frames.
PARSE_STACK_BYTES = 512 * 1024 * 1024
PARSE_RECURSION_LIMIT = 200_000

_FORMS = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT",
          "DescribeQuery": "DESCRIBE"}
_UPDATE_FORMS = {"InsertData": "INSERT", "DeleteData": "DELETE", "DeleteWhere": "DELETE",
                 "Load": "LOAD", "Clear": "CLEAR", "Drop": "DROP", "Create": "CREATE",
                 "Add": "ADD", "Move": "MOVE", "Copy": "COPY"}
#: Update operations that manage whole graphs rather than triples.
GRAPH_OPERATIONS = frozenset({"LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY"})
#: Parse-tree nodes that each add one level of nesting (groups, sub-queries, expressions, paths).
_NESTING_NODES = frozenset({"GroupGraphPatternSub", "SubSelect", "ConditionalOrExpression",
                            "PathAlternative"})
_OPEN, _CLOSE = frozenset("{(["), frozenset("})]")
_LOCAL_ESCAPE = re.compile(r"\\(.)")
_FIX_LOCK = threading.Lock()


@dataclass(frozen=True)
class QueryInfo:
    """What :func:`analyse` learned about a query or update without running it.

    ``form`` is ``SELECT``, ``ASK``, ``CONSTRUCT``, ``DESCRIBE`` or the first operation of an
    update (``INSERT``, ``DELETE``, ``LOAD``, ...). ``services`` lists SERVICE endpoints
    (``None`` for a variable endpoint), ``loads`` the sources of LOAD operations,
    ``operations`` every update operation, ``depth`` the deepest nesting in the parse.
    """

    form: str
    is_update: bool
    has_dataset: bool
    services: tuple[str | None, ...] = ()
    loads: tuple[str, ...] = ()
    operations: tuple[str, ...] = ()
    depth: int = 0
    #: The graphs an update may change (``""`` the default graph), None when its text does not
    #: settle it (a graph named by a variable, CLEAR ALL, ...). Empty for queries.
    writes: frozenset[str] | None = frozenset()

    @property
    def is_graph(self) -> bool:
        """True for CONSTRUCT and DESCRIBE, whose results are RDF graphs."""
        return self.form in ("CONSTRUCT", "DESCRIBE")

    @property
    def has_load(self) -> bool:
        """True when an update fetches data with LOAD."""
        return bool(self.loads)


#: What the depth count skips: strings, IRIs, comments and backslash escapes (``ex:x\\'``).
_SKIP_OR_BRACKET = re.compile(
    "|".join((
        r"'''(?:[^'\\]|\\.|'(?!''))*'''",  # long strings
        r'"""(?:[^"\\]|\\.|"(?!""))*"""',
        r"'(?:[^'\\\n\r]|\\.)*'",  # short strings
        r'"(?:[^"\\\n\r]|\\.)*"',
        r'<[^<>"{}|^`\\\x00-\x20]*>',  # IRIs
        r"#[^\n\r]*",  # comments
        r"\\.",  # escapes outside strings (ex:x\\')
        r"[{}()\[\]]",
    )),
    re.DOTALL,
)


def nesting_depth(text: str) -> int:
    """Deepest bracket nesting (``{ ( [``), skipping strings, IRIs, comments and escapes.

    A cheap estimate used to refuse before any parse; the parse itself stays the authority
    (see :func:`analyse`).

    >>> nesting_depth("SELECT * WHERE { { ?s ?p '}}' FILTER((1)) } } # {{{")
    4
    """
    depth = deepest = 0
    for m in _SKIP_OR_BRACKET.finditer(text):
        ch = m.group()
        if ch in _OPEN:
            depth += 1
            deepest = max(deepest, depth)
        elif ch in _CLOSE:
            depth = max(depth - 1, 0)
    return deepest


def precheck(text: str, *, max_chars: int, max_depth: int, what: str = "query") -> None:
    """Refuse text over ``max_chars`` characters (KG311) or ``max_depth`` brackets deep (KG312).

    >>> precheck("SELECT * WHERE {{{ ?s ?p ?o }}}", max_chars=100, max_depth=2)
    Traceback (most recent call last):
    ...
    kgraph.errors.QueryError: [KG312] query is nested 3 brackets deep; the limit is 2 (max_query_depth)
    """
    if len(text) > max_chars:
        raise QueryError("KG311", None, f"{what} is {len(text)} characters long; the limit is "
                         f"{max_chars} (max_query_chars)")
    depth = nesting_depth(text)
    if depth > max_depth:
        raise QueryError("KG312", None, f"{what} is nested {depth} brackets deep; the limit is "
                         f"{max_depth} (max_query_depth)")


# ---------------------------------------------------------------------------- parsing


def _service_text(text: str, start: int) -> str:
    """The text of the SERVICE clause that starts at ``start``: up to the ``}`` closing its
    group, skipping strings, IRIs, comments and escapes (one linear pass).

    >>> q = "SELECT * WHERE { ?s <http://x/#a> ?o SERVICE <http://e/> { ?a ?b '}' } }"
    >>> _service_text(q, q.index("SERVICE"))
    "SERVICE <http://e/> { ?a ?b '}' }"
    """
    depth = 0
    for m in _SKIP_OR_BRACKET.finditer(text, start):
        ch = m.group()
        if ch == "{":
            depth += 1
        elif ch == "}" and depth:
            depth -= 1
            if not depth:
                return text[start:m.end()]
    return text[start:]


def _fix_rdflib_service_text() -> None:
    """rdflib (7.x) re-finds a SERVICE clause's text by scanning the whole query from its
    start with ``#`` to the end of a line taken as a comment, even inside an IRI or a string:
    a SERVICE after such a ``#`` on the same line makes the parse fail, and a second SERVICE
    gets the first one's text. Build the clause's node without that scan, and take its text
    from where the match starts (a parse action is given it): :func:`_service_text`. The
    tree is otherwise rdflib's own."""
    from rdflib.plugins.sparql import parser
    from rdflib.plugins.sparql.parserutils import CompValue, ParamValue

    pattern = parser.ServiceGraphPattern

    def post_parse(instring: str, loc: int, tokens) -> CompValue:
        res = CompValue(pattern.name)
        for t in tokens:  # as rdflib's Comp.postParse, less the scan
            if isinstance(t, ParamValue):
                if t.isList:
                    res.setdefault(t.name, []).append(t.tokenList)
                else:
                    res[t.name] = t.tokenList
        return res

    def add_text(instring: str, start: int, tokens) -> None:
        tokens[0]["service_string"] = _service_text(instring, start)

    with _FIX_LOCK:
        if getattr(pattern, "_kgraph_fixed", False):
            return
        pattern.postParse = post_parse
        pattern.add_parse_action(add_text)
        pattern._kgraph_fixed = True


def _parse(text: str):
    """Parse as a query, else as an update: ``(tree, is_update)``; SyntaxError if neither."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    _fix_rdflib_service_text()

    try:
        return parseQuery(text), False
    except ParseException as query_exc:
        try:
            return parseUpdate(text), True
        except ParseException:
            raise SyntaxError(f"SPARQL is malformed: {query_exc}") from None


def _parse_bounded(text: str):
    """:func:`_parse` in a thread with a large stack; a recursion overflow becomes KG312."""
    out: dict = {}

    def run() -> None:
        try:
            out["value"] = _parse(text)
        except RecursionError:
            out["error"] = QueryError("KG312", None, "query is nested too deeply to be parsed "
                                      "(max_query_depth)")
        except Exception as exc:  # handed to the caller's thread below
            out["error"] = exc

    old_limit = sys.getrecursionlimit()
    old_stack = threading.stack_size()
    sys.setrecursionlimit(max(old_limit, PARSE_RECURSION_LIMIT))
    try:
        threading.stack_size(PARSE_STACK_BYTES)
        thread = threading.Thread(target=run, name="kgraph-sparql-parse", daemon=True)
        thread.start()
    finally:
        threading.stack_size(old_stack)
    thread.join()
    sys.setrecursionlimit(old_limit)
    if "error" in out:
        raise out["error"]
    return out["value"]


def _walk(root) -> Iterator[tuple[object, int]]:
    """Every node of a parse tree with its nesting depth, without recursion."""
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, CompValue):
            depth += node.name in _NESTING_NODES
            yield node, depth
            stack.extend((v, depth) for v in node.values())
        elif isinstance(node, list | tuple) or type(node).__name__ == "ParseResults":
            stack.extend((v, depth) for v in node)


def _resolver(prologue_parts, base: str | None):
    from rdflib.plugins.sparql.algebra import translatePrologue
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.term import URIRef, Variable

    prologue = translatePrologue(prologue_parts, base, dict(PREFIXES))

    def resolve(term) -> str | None:
        if isinstance(term, Variable):
            return None
        if isinstance(term, CompValue) and term.name == "pname":
            ns = prologue.namespace_manager.store.namespace(term["prefix"] or "")
            if ns is None:
                raise QueryError("KG302", None, f"unknown prefix {term['prefix']}:")
            return str(ns) + _LOCAL_ESCAPE.sub(r"\1", term.get("localname") or "")
        if isinstance(term, URIRef):
            return str(prologue.absolutize(term))
        return str(term)

    return resolve


#: Words without one of which (as any substring, in any case) a text can be neither an update
#: nor name a dataset (FROM) or a SERVICE.
_POLICY_WORDS = re.compile(r"SERVICE|FROM|INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH|USING|DATA", re.I)
_QUERY_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.I)


def plain_query(text: str) -> QueryInfo | None:
    """What :func:`analyse` would say of a plain read query, without parsing it: for a text
    holding none of the words an update, a dataset clause or a SERVICE needs, and no backslash
    (no escape can spell one), so there is nothing for the policy to refuse; the store's own
    parser still rejects malformed text. None when the text needs the full analysis.

    >>> plain_query("SELECT ?s WHERE { ?s ?p ?o }").form
    'SELECT'
    >>> [plain_query(q) for q in ("SELECT * FROM <http://g> WHERE { ?s ?p ?o }",
    ...     "SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }", 'SELECT * WHERE { ?s ?p "\\\\u0041" }')]
    [None, None, None]
    """
    if "\\" in text or _POLICY_WORDS.search(text):
        return None
    form = _QUERY_FORM.search(text)
    return QueryInfo(form.group(1).upper() if form else "", False, False)


def analyse(text: str, *, base: str | None = None) -> QueryInfo:
    """Parse a SPARQL query or update and report what it would do (see :class:`QueryInfo`).

    Raises ``QueryError`` KG302 for text that is neither a query nor an update, KG312 when
    it is nested too deeply for the parser.

    >>> analyse("SELECT * FROM <http://ex/g> WHERE { ?s ?p ?o }").has_dataset
    True
    >>> u = analyse("INSERT DATA { <http://a> <http://b> 1 } ; DROP ALL")
    >>> u.is_update, u.form, u.operations
    (True, 'INSERT', ('INSERT', 'DROP'))
    """
    logging.getLogger("rdflib.term").setLevel(logging.ERROR)  # relative IRIs before BASE
    try:
        tree, is_update = _parse_bounded(text)
    except SyntaxError as exc:
        raise QueryError("KG302", None, str(exc)) from None
    services: list[str | None] = []
    loads: list[str] = []
    operations: list[str] = []
    has_dataset = False
    deepest = 0
    if is_update:
        prologues = tree["prologue"]
        requests = [r for r in tree.get("request") or [] if hasattr(r, "name")]
    else:
        prologues, requests = [tree[0]], [tree[1]]
    resolve = _resolver(prologues[0] if prologues else [], base)
    for i, request in enumerate(requests):
        if is_update and i < len(prologues) and i:
            resolve = _resolver(prologues[i], base)
        if is_update:
            if request.name == "Modify":
                operations.append("DELETE" if request.get("delete") else "INSERT")
            else:
                operations.append(_UPDATE_FORMS.get(request.name, request.name.upper()))
        for node, depth in _walk(request):
            deepest = max(deepest, depth)
            name = node.name  # type: ignore[attr-defined]
            if name == "ServiceGraphPattern":
                services.append(resolve(node["term"]))  # type: ignore[index]
            elif name == "Load":
                loads.append(resolve(node["iri"]) or "")  # type: ignore[index]
            elif name in ("DatasetClause", "UsingClause"):
                has_dataset = True
    if is_update and not operations:
        raise QueryError("KG302", None, "no SPARQL query or update operation given")
    form = operations[0] if is_update else _FORMS.get(requests[0].name, "")
    writes: frozenset[str] | None = frozenset()
    if is_update:
        writes = _writes(requests, prologues, base)
    return QueryInfo(form, is_update, has_dataset, tuple(services), tuple(loads),
                     tuple(operations), deepest, writes)


def _writes(requests: list, prologues: list, base: str | None) -> frozenset[str] | None:
    """The graphs the update operations may change (``""``: the default graph), or None.

    >>> sorted(analyse("PREFIX e: <http://e/> INSERT DATA { GRAPH e:g { e:a e:b 1 } e:x e:y 2 }").writes)
    ['', 'http://e/g']
    >>> analyse("DELETE { GRAPH ?g { ?s ?p ?o } } WHERE { GRAPH ?g { ?s ?p ?o } }").writes is None
    True
    >>> sorted(analyse("WITH <http://w> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o } ; MOVE <http://a> TO DEFAULT").writes)
    ['', 'http://a', 'http://w']
    """
    out: set[str] = set()
    resolve = _resolver(prologues[0] if prologues else [], base)
    for i, request in enumerate(requests):
        if i and i < len(prologues):
            resolve = _resolver(prologues[i], base)
        name = request.name
        if name in ("InsertData", "DeleteData", "DeleteWhere", "Modify"):
            default = resolve(request["withClause"]) if "withClause" in request else ""
            quads = [_get(request, "quads")] if name != "Modify" else [
                _get(clause, "quads") for clause in (_get(request, "delete"), _get(request, "insert")) if clause]
            for q in quads:
                if q is None:
                    continue
                if _get(q, "triples"):
                    out.add(default or "")
                for block in _get(q, "quadsNotTriples") or []:
                    graph = resolve(block["term"])
                    if graph is None:
                        return None
                    out.add(graph)
        elif name in ("Clear", "Drop"):
            target = _get(request, "graphiri")
            if target == "DEFAULT":
                out.add("")
            elif isinstance(target, str) and target in ("NAMED", "ALL"):
                return None
            else:
                graph = resolve(target) if target is not None else None
                if graph is None:
                    return None
                out.add(graph)
        elif name in ("Add", "Move", "Copy"):
            source, target = request["graph"]
            for g in ([source, target] if name == "Move" else [target]):
                out.add("" if g == "DEFAULT" else resolve(g) or "")
        elif name != "Create":
            return None
    return frozenset(out)


def _get(node, key: str):
    """``node[key]`` of a parse-tree node, None when absent."""
    return node[key] if node is not None and key in node else None


# ---------------------------------------------------------------------------- policy


def _check_depth(info: QueryInfo, max_depth: int | None) -> None:
    if max_depth is not None and info.depth > max_depth:
        raise QueryError("KG312", None, f"query is nested {info.depth} levels deep; the limit is "
                         f"{max_depth} (max_query_depth)")


def _check_services(info: QueryInfo, allowlist: Iterable[str]) -> None:
    allowed = set(allowlist)
    for endpoint in info.services:
        if endpoint is None:
            raise QueryError("KG305", None, "SERVICE with a variable endpoint is not allowed")
        if endpoint not in allowed:
            raise QueryError(
                "KG305", endpoint, "SERVICE endpoint is not in the service_allowlist setting"
            )


def check_query(info: QueryInfo, allowlist: Iterable[str] = (), *,
                max_depth: int | None = None) -> None:
    """Refuse an update sent as a query (KG304), a SERVICE not in ``allowlist`` (KG305), or
    nesting deeper than ``max_depth`` (KG312).

    >>> check_query(analyse("SELECT * WHERE { SERVICE <http://ex/s> { ?s ?p ?o } }"), [])
    Traceback (most recent call last):
    ...
    kgraph.errors.QueryError: [KG305] http://ex/s: SERVICE endpoint is not in the service_allowlist setting
    """
    if info.is_update:
        raise QueryError("KG304", None, "this is a SPARQL Update; it cannot run as a query")
    _check_depth(info, max_depth)
    _check_services(info, allowlist)


def check_update(info: QueryInfo, allowlist: Iterable[str] = (), *,
                 max_depth: int | None = None) -> None:
    """Refuse a query sent as an update (KG306), LOAD of a local file (KG307) or of anything
    else (KG304), a SERVICE not in ``allowlist`` (KG305), or too deep nesting (KG312).

    >>> check_update(analyse("LOAD <file:///etc/passwd>"))
    Traceback (most recent call last):
    ...
    kgraph.errors.QueryError: [KG307] file:///etc/passwd: LOAD of a local file is refused
    """
    if not info.is_update:
        raise QueryError("KG306", None, "this is a query, not a SPARQL Update; send it to /sparql")
    _check_depth(info, max_depth)
    for source in info.loads:
        if not source.lower().startswith(("http://", "https://")):
            raise QueryError("KG307", source, "LOAD of a local file is refused")
        raise QueryError("KG304", source, "LOAD is not allowed; POST the data to /data?graph=IRI")
    _check_services(info, allowlist)
