"""``ontology/shapes.ttl`` compiled once into plain Python checks (the build's fast validator).

pyshacl re-reads the shapes and walks the data graph through rdflib on every call (about
70 ms for a 2,500-triple document graph). The build instead compiles the shapes once into
closures over an index of the graph's triples, every term kept as its N-Triples text
(:mod:`kgraph.graph.nt`; an rdflib graph is converted), and decides the common property shape
(counts and value checks on one predicate) inline (a few ms per document). Only the SHACL Core
features the shapes use are compiled: targets ``sh:targetClass`` / ``sh:targetNode`` /
``sh:targetSubjectsOf`` / ``sh:targetObjectsOf``; predicate and sequence paths; ``sh:minCount``,
``sh:maxCount``, ``sh:datatype``, ``sh:pattern`` (+ ``sh:flags``), ``sh:in``, ``sh:nodeKind``,
``sh:class``, ``sh:hasValue``, ``sh:minInclusive`` / ``sh:maxInclusive`` /
``sh:minExclusive`` / ``sh:maxExclusive``, ``sh:minLength`` / ``sh:maxLength``, ``sh:not``,
``sh:or``. A shapes file using anything else is refused (:class:`UnsupportedShape`), so the
two validators cannot silently drift apart; a test checks they report the same violations
(focus node, path, constraint component, value) on deliberately malformed graphs.

>>> from rdflib import Graph, Literal, URIRef
>>> shapes = Graph().parse(data='''@prefix sh: <http://www.w3.org/ns/shacl#> .
... <s> a sh:NodeShape ; sh:targetClass <C> ; sh:property [ sh:path <p> ; sh:minCount 1 ] .''',
...     format="turtle", publicID="http://x/")
>>> data = Graph().parse(data="<http://x/a> a <http://x/C> .", format="turtle")
>>> [(str(v.focus), v.component) for v in compile_shapes(shapes).check(data)]
[('http://x/a', 'MinCountConstraintComponent')]
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from kgraph.graph import nt

SH = Namespace("http://www.w3.org/ns/shacl#")

#: Shape predicates that only describe (ignored by the checks).
_DESCRIPTIVE = {RDF.type, SH.name, SH.description, SH.message, SH.order, SH.group, RDFS.comment, RDFS.label}
_TARGETS = {SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf}


class UnsupportedShape(ValueError):
    """The shapes use a SHACL feature this compiler does not implement."""


@dataclass(frozen=True)
class Violation:
    """One SHACL result: the focus node, the node shape it failed, the path, the constraint
    component (``"MinCountConstraintComponent"``), the offending value (if any) and a message."""

    focus: Node
    shape: str
    path: URIRef | tuple[URIRef, ...] | None
    component: str
    value: Node | None
    message: str

    def key(self) -> tuple:
        """What pyshacl and this module must agree on."""
        return (self.focus, self.path, self.component, self.value)


def _as_nt(triples: Iterable[tuple]) -> Iterable[tuple[str, str, str]]:
    """Triples with every term as N-Triples text (rdflib terms are converted)."""
    for s, p, o in triples:
        if type(s) is str and type(p) is str and type(o) is str:
            yield s, p, o
        else:
            yield nt.to_nt(s), nt.to_nt(p), nt.to_nt(o)


class Data:
    """An index of a graph's triples: subject → predicate → objects, and instances by class.

    Every term is its N-Triples text (:mod:`kgraph.graph.nt`): the build's triples come in that
    form, an rdflib graph's are converted. The checks read literals from that text and make an
    rdflib term only for a violation they report.
    """

    def __init__(self, triples: Iterable[tuple]):
        self.spo: dict[str, dict[str, list[str]]] = {}
        spo = self.spo
        for s, p, o in _as_nt(triples):
            po = spo.get(s)
            if po is None:
                po = spo[s] = {}
            objs = po.get(p)
            if objs is None:
                po[p] = [o]
            else:
                objs.append(o)
        self.types: dict[str, set[str]] = {}
        self.subclasses: dict[str, set[str]] = {}
        self.subjects_of: dict[str, list[str]] = {}
        for k, po in spo.items():
            for p in po:
                self.subjects_of.setdefault(p, []).append(k)
            for t in po.get(_TYPE, ()):
                self.types.setdefault(t, set()).add(k)
            for c in po.get(_SUBCLASS, ()):
                self.subclasses.setdefault(c, set()).add(k)

    def objects(self, s: str, p: str) -> list[str]:
        po = self.spo.get(s)
        return po.get(p, _NONE) if po is not None else _NONE

    def classes_under(self, cls: str) -> set[str]:
        """``cls`` and every class ``rdfs:subClassOf*`` it in the data."""
        if not self.subclasses:
            return {cls}
        seen, todo = {cls}, [cls]
        while todo:
            for sub in self.subclasses.get(todo.pop(), ()):
                if sub not in seen:
                    seen.add(sub)
                    todo.append(sub)
        return seen

    def instances(self, cls: str) -> list[str]:
        return list(set().union(*(self.types.get(c, ()) for c in self.classes_under(cls))))

    def has_class(self, node: str, cls: str) -> bool:
        classes = self.classes_under(cls)
        return any(t in classes for t in self.objects(node, _TYPE))


_TYPE, _SUBCLASS = nt.to_nt(RDF.type), nt.to_nt(RDFS.subClassOf)
_NONE: list[str] = []
_XSD_STRING, _LANG_STRING = str(XSD.string), str(RDF.langString)


ValueCheck = Callable[[str, Data], bool]
SetCheck = Callable[[list[str], Data], bool]


def _qname(term: Node) -> str:
    s = str(term)
    return s.rsplit("#", 1)[-1].rsplit("/", 1)[-1] if isinstance(term, URIRef) else s


def _literal_value_check(bound: Literal, op: Callable[[object, object], bool]) -> ValueCheck:
    def check(v: str, _: Data) -> bool:
        if v[0] != '"' or nt.ill_typed(v):
            return False
        try:
            return bool(op(nt.value(v), bound.value))
        except TypeError:
            return False
    return check


def _datatype(dt: URIRef) -> ValueCheck:
    dts = str(dt)

    def check(v: str, _: Data) -> bool:
        if v[0] != '"':
            return False
        if dts == _XSD_STRING:
            return nt.language(v) is None and nt.datatype(v) in (None, _XSD_STRING)
        if dts == _LANG_STRING:
            return nt.language(v) is not None
        return nt.datatype(v) == dts and not nt.ill_typed(v)
    return check


#: Node kinds → the first character of the N-Triples text of the terms of that kind.
_NODE_KINDS: dict[Node, str] = {
    SH.IRI: "<", SH.BlankNode: "_", SH.Literal: '"',
    SH.BlankNodeOrIRI: "_<", SH.BlankNodeOrLiteral: '_"', SH.IRIOrLiteral: '<"',
}


class Shape:
    """A compiled node or property shape."""

    def __init__(self, graph: Graph, node: Node, compiler: Compiler):
        self.node = node
        path = graph.value(node, SH.path)
        if isinstance(path, BNode) and graph.value(path, RDF.first) is not None:
            path = tuple(Collection(graph, path))
        if path is not None and not all(isinstance(p, URIRef) for p in (path if isinstance(path, tuple) else [path])):
            raise UnsupportedShape(f"{node}: only predicate and sequence paths are supported")
        self.path: URIRef | tuple[URIRef, ...] | None = path
        self._key = tuple(map(nt.to_nt, path)) if isinstance(path, tuple) else nt.to_nt(path) if path else None
        self.value_checks: list[tuple[str, ValueCheck, str]] = []
        self.set_checks: list[tuple[str, SetCheck, str]] = []
        self.properties: list[Shape] = []
        self._min, self._max = 0, sys.maxsize
        flags = str(graph.value(node, SH.flags) or "")
        for p, o in graph.predicate_objects(node):
            if p in _DESCRIPTIVE or p in _TARGETS or p in (SH.path, SH.flags):
                continue
            if p == SH.property:
                self.properties.append(compiler.shape(o))
            else:
                self._compile(graph, p, o, flags, compiler)
        #: (path, fewest and most distinct values, value checks) for a property shape whose
        #: conformance those settle: checked inline, :meth:`violations` only when it fails
        self.fast: tuple[str | tuple[str, ...], int, int, tuple[ValueCheck, ...]] | None = None
        if self._key is not None and not self.properties and all(c in _COUNTS for c, _, _ in self.set_checks):
            self.fast = (self._key, self._min, self._max, tuple(check for _, check, _ in self.value_checks))

    def _compile(self, graph: Graph, p: Node, o: Node, flags: str, compiler: Compiler) -> None:
        vc, sc = self.value_checks.append, self.set_checks.append
        if p == SH.minCount:
            n = self._min = int(o)
            sc(("MinCountConstraintComponent", lambda vs, _, n=n: len(set(vs)) >= n, f"fewer than {n} values"))
        elif p == SH.maxCount:
            n = self._max = int(o)
            sc(("MaxCountConstraintComponent", lambda vs, _, n=n: len(set(vs)) <= n, f"more than {n} values"))
        elif p == SH.hasValue:
            sc(("HasValueConstraintComponent", lambda vs, _, o=nt.to_nt(o): o in vs, f"no value {o.n3()}"))
        elif p == SH.datatype:
            vc(("DatatypeConstraintComponent", _datatype(o), f"not an {_qname(o)}"))
        elif p == SH.pattern:
            rx = re.compile(str(o), re.IGNORECASE if "i" in flags else 0)
            vc(("PatternConstraintComponent",
                lambda v, _, rx=rx: v[0] != "_" and rx.search(nt.lexical(v)) is not None,
                "does not match the pattern " + (repr(str(o)) if len(str(o)) < 48 else repr(str(o)[:44]) + "…")))
        elif p == SH["in"]:
            allowed = set(Collection(graph, o))
            vc(("InConstraintComponent", lambda v, _, a=frozenset(map(nt.to_nt, allowed)): v in a,
                "not one of " + ", ".join(sorted(str(x) for x in allowed))))
        elif p == SH.nodeKind:
            kinds = _NODE_KINDS[o]
            vc(("NodeKindConstraintComponent", lambda v, _, k=kinds: v[0] in k, f"not a {_qname(o)}"))
        elif p == SH["class"]:
            vc(("ClassConstraintComponent", lambda v, d, c=nt.to_nt(o): v[0] != '"' and d.has_class(v, c),
                f"not a {_qname(o)}"))
        elif p in (SH.minInclusive, SH.maxInclusive, SH.minExclusive, SH.maxExclusive):
            op = {SH.minInclusive: lambda a, b: a >= b, SH.maxInclusive: lambda a, b: a <= b,
                  SH.minExclusive: lambda a, b: a > b, SH.maxExclusive: lambda a, b: a < b}[p]
            vc((f"{_qname(p)[0].upper()}{_qname(p)[1:]}ConstraintComponent", _literal_value_check(o, op),
                f"outside the bound {_qname(p)} {o}"))
        elif p in (SH.minLength, SH.maxLength):
            n = int(o)
            op = (lambda a, n=n: a >= n) if p == SH.minLength else (lambda a, n=n: a <= n)
            vc((f"{_qname(p)[0].upper()}{_qname(p)[1:]}ConstraintComponent",
                lambda v, _, op=op: v[0] != "_" and op(len(nt.lexical(v))), f"{_qname(p)} {n}"))
        elif p == SH["not"]:
            inner = compiler.shape(o)
            vc(("NotConstraintComponent", lambda v, d, s=inner: not s.conforms(v, d), "conforms to a shape it must not"))
        elif p == SH["or"]:
            inner = [compiler.shape(x) for x in Collection(graph, o)]
            vc(("OrConstraintComponent", lambda v, d, ss=inner: any(s.conforms(v, d) for s in ss),
                "conforms to none of the alternatives"))
        else:
            raise UnsupportedShape(f"{self.node}: {p} is not supported by the compiled validator")

    def values(self, focus: str, data: Data) -> list[str]:
        if self.path is None:
            return [focus]
        if not isinstance(self.path, tuple):
            return data.objects(focus, self._key)
        nodes = [focus]
        for p in self._key:
            nodes = [o for n in dict.fromkeys(nodes) for o in data.objects(n, p)]
        return nodes

    def violations(self, focus: str, data: Data, shape_name: str) -> list[Violation]:
        values = self.values(focus, data)
        out: list[Violation] = []
        for comp, check, msg in self.set_checks:
            if not check(values, data):
                out.append(Violation(nt.term(focus), shape_name, self.path, comp, None, f"{self._label()}{msg}"))
        distinct = values if len(values) < 2 else list(dict.fromkeys(values))
        for comp, check, msg in self.value_checks:
            for v in distinct:
                if not check(v, data):
                    out.append(Violation(nt.term(focus), shape_name, self.path, comp, nt.term(v),
                                         f"{self._label()}{nt.lexical(v)[:80]!r} {msg}"))
        spo = data.spo
        for prop in self.properties:
            fast = prop.fast
            for v in distinct:
                if fast is not None:  # the common case, without a call or a list per value
                    key, lo, hi, checks = fast
                    if type(key) is str:
                        po = spo.get(v)
                        vals = po.get(key, _NONE) if po is not None else _NONE
                    else:
                        vals = prop.values(v, data)
                    n = len(vals)
                    if n > 1:
                        n = len(set(vals))
                    if lo <= n <= hi and _all_pass(checks, vals, data):
                        continue
                out.extend(prop.violations(v, data, shape_name))
        return out

    def _label(self) -> str:
        if self.path is None:
            return ""
        return ("/".join(map(_qname, self.path)) if isinstance(self.path, tuple) else _qname(self.path)) + ": "

    def conforms(self, node: str, data: Data) -> bool:
        return not self.violations(node, data, "")


_COUNTS = {"MinCountConstraintComponent", "MaxCountConstraintComponent"}


def _all_pass(checks: tuple[ValueCheck, ...], values: list[str], data: Data) -> bool:
    for check in checks:
        for v in values:
            if not check(v, data):
                return False
    return True


class Compiler:
    def __init__(self, graph: Graph):
        self.graph = graph
        self.cache: dict[Node, Shape] = {}

    def shape(self, node: Node) -> Shape:
        if node not in self.cache:
            self.cache[node] = Shape(self.graph, node, self)
        return self.cache[node]


class CompiledShapes:
    """Shapes ready to check graphs: ``check(graph)`` → violations (empty when it conforms)."""

    def __init__(self, graph: Graph):
        comp = Compiler(graph)
        self.targeted: list[tuple[str, Shape, list[tuple[Node, Node]]]] = []
        for node in sorted(set(graph.subjects(RDF.type, SH.NodeShape)) | set(graph.subjects(SH.targetClass, None)),
                           key=str):
            targets = [(p, o) for p, o in graph.predicate_objects(node) if p in _TARGETS]
            if targets:
                self.targeted.append((str(node), comp.shape(node), targets))

    def check(self, graph: Graph | Data | Iterable[tuple]) -> list[Violation]:
        """Violations of ``graph``: an rdflib graph, or triples of rdflib terms or of N-Triples text."""
        data = graph if isinstance(graph, Data) else Data(graph)
        out: list[Violation] = []
        for name, shape, targets in self.targeted:
            for focus in self._focus_nodes(data, targets):
                out.extend(shape.violations(focus, data, name))
        return out

    @staticmethod
    def _focus_nodes(data: Data, targets: list[tuple[Node, Node]]) -> list[str]:
        nodes: set[str] = set()
        for p, o in targets:
            t = nt.to_nt(o)
            if p == SH.targetClass:
                nodes.update(data.instances(t))
            elif p == SH.targetNode:
                nodes.add(t)
            elif p == SH.targetSubjectsOf:
                nodes.update(data.subjects_of.get(t, ()))
            else:
                nodes.update(x for k in data.subjects_of.get(t, ()) for x in data.spo[k][t])
        return sorted(nodes, key=lambda n: (nt.lexical(n), n))  # in the order of their strings


def compile_shapes(graph: Graph) -> CompiledShapes:
    """Compile a shapes graph (raises :class:`UnsupportedShape` for features not implemented)."""
    return CompiledShapes(graph)


@lru_cache(maxsize=4)
def compiled_shapes(path: Path) -> CompiledShapes:
    """The shapes file at ``path``, compiled once per process."""
    return compile_shapes(Graph().parse(path, format="turtle"))
