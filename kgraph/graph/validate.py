"""Validation of a document graph against ``ontology/shapes.ttl``.

Two validators report the same :class:`~kgraph.graph.shapes.Violation` list: the build's
compiled checks (:func:`check_graph`, a few ms) and pyshacl (:func:`shacl_violations`, the
reference, used by ``kgraph validate``). :func:`validate_graph` raises KG201 with a readable
report.

>>> from rdflib import Graph
>>> validate_graph(Graph(), "empty")  # an empty graph conforms
>>> check_graph(Graph())
[]
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from rdflib import RDF, Graph, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from kgraph.errors import ValidationError
from kgraph.extract.gazetteers import ONTOLOGY_DIR
from kgraph.graph.shapes import SH, Violation, compiled_shapes

SHAPES_PATH = ONTOLOGY_DIR / "shapes.ttl"
#: Lines of a validation report shown in an error message.
REPORT_LINES = 24


@lru_cache(maxsize=4)
def load_shapes(path: Path = SHAPES_PATH) -> Graph:
    return Graph().parse(path, format="turtle")


def check_graph(graph, path: Path = SHAPES_PATH) -> list[Violation]:
    """Violations of ``graph`` (an rdflib Graph or an iterable of triples) by the compiled shapes."""
    return compiled_shapes(path).check(graph)


def _node_shape(shapes: Graph, shape: Node) -> str:
    """The named node shape a (possibly nested, blank) property shape belongs to."""
    seen = set()
    while isinstance(shape, Node) and not isinstance(shape, URIRef) and shape not in seen:
        seen.add(shape)
        parent = next(iter(shapes.subjects(SH.property, shape)), None)
        if parent is None:
            parent = next((s for p in (SH["not"], SH.node) for s in shapes.subjects(p, shape)), None)
        if parent is None:  # a member of an sh:or list
            parent = next(iter(shapes.subjects(RDF.first, shape)), None)
            while parent is not None and next(iter(shapes.subjects(RDF.rest, parent)), None) is not None:
                parent = next(iter(shapes.subjects(RDF.rest, parent)))
            parent = next(iter(shapes.subjects(SH["or"], parent)), None) if parent is not None else None
        if parent is None:
            break
        shape = parent
    return str(shape)


def shacl_violations(graph: Graph, shapes: Graph | None = None) -> list[Violation]:
    """Violations found by pyshacl (the reference implementation of SHACL)."""
    from pyshacl import validate

    shapes = shapes if shapes is not None else load_shapes()
    _, results, _ = validate(graph, shacl_graph=shapes, inference="none", advanced=False, allow_warnings=True)
    out = []
    for r in results.subjects(RDF.type, SH.ValidationResult):
        comp = results.value(r, SH.sourceConstraintComponent)
        path = results.value(r, SH.resultPath)
        if path is not None and not isinstance(path, URIRef):
            path = tuple(Collection(results, path))
        out.append(Violation(results.value(r, SH.focusNode), _node_shape(shapes, results.value(r, SH.sourceShape)),
                             path, str(comp).rsplit("#", 1)[-1],
                             results.value(r, SH.value), str(results.value(r, SH.resultMessage) or "")))
    return out


def describe(violations: list[Violation]) -> str:
    """One line per violation: focus node, shape and message."""
    return "\n".join(f"{v.focus} [{v.shape.rsplit('#', 1)[-1]}] {v.message}" for v in violations)


def validate_graph(graph: Graph, subject: str, shapes: Graph | None = None, *, full: bool = False) -> None:
    """Raise :class:`ValidationError` (KG201) listing the violations if ``graph`` does not conform.

    The compiled checks run by default; ``full=True`` (or explicit ``shapes``) runs pyshacl.
    """
    found = shacl_violations(graph, shapes) if (full or shapes is not None) else check_graph(graph)
    if found:
        lines = describe(found).splitlines()
        shown = "\n".join(lines[:REPORT_LINES])
        more = f"\n… {len(lines) - REPORT_LINES} more lines" if len(lines) > REPORT_LINES else ""
        raise ValidationError("KG201", subject, f"graph does not conform to shapes.ttl:\n{shown}{more}")
