"""SHACL validation of a document graph against ``ontology/shapes.ttl``.

>>> from rdflib import Graph
>>> validate_graph(Graph(), "empty")  # an empty graph conforms
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pyshacl import validate
from rdflib import Graph

from kgraph.errors import ValidationError
from kgraph.extract.gazetteers import ONTOLOGY_DIR

SHAPES_PATH = ONTOLOGY_DIR / "shapes.ttl"
#: Lines of a SHACL report shown in an error message.
REPORT_LINES = 24


@lru_cache(maxsize=4)
def load_shapes(path: Path = SHAPES_PATH) -> Graph:
    return Graph().parse(path, format="turtle")


def validate_graph(graph: Graph, subject: str, shapes: Graph | None = None) -> None:
    """Raise :class:`ValidationError` (KG201) with the report if ``graph`` does not conform."""
    conforms, _, report = validate(graph, shacl_graph=shapes or load_shapes(), inference="none",
                                   advanced=False, allow_warnings=True)
    if not conforms:
        lines = report.splitlines()
        shown = "\n".join(lines[:REPORT_LINES])
        more = f"\n… {len(lines) - REPORT_LINES} more lines" if len(lines) > REPORT_LINES else ""
        raise ValidationError("KG201", subject, f"graph does not conform to shapes.ttl:\n{shown}{more}")
