"""``kgraph lineage ID``: where a decision came from and what came after it."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path

import typer

from kgraph.errors import KGraphError


class LineageFormat(StrEnum):
    json = "json"
    jsonld = "jsonld"
    graphml = "graphml"
    dot = "dot"
    mermaid = "mermaid"


class Direction(StrEnum):
    up = "up"
    down = "down"
    both = "both"


def lineage(ident: str = typer.Argument(..., metavar="ID",
                                        help="Decision number (19/00076 or 19-00076), unnumbered decision id or agreement id."),
            depth: int | None = typer.Option(None, "--depth", min=0, help="Most hops from the decision (default: no bound)."),
            direction: Direction = typer.Option(Direction.both, "--direction",
                                                help="up: where it came from; down: what came after; both."),
            format: LineageFormat = typer.Option(LineageFormat.json, "--format"),
            timeline: bool = typer.Option(False, "--timeline", help="Print the lineage's decisions oldest first (JSON)."),
            explain: str | None = typer.Option(None, "--explain", metavar="OTHER",
                                               help="Print the shortest chain of edges linking ID to OTHER (JSON)."),
            store: Path | None = typer.Option(None, "--store", help="Store directory (setting store_path, default data/store).")) -> None:
    """Print the lineage of decision ID: nodes and typed edges with rule, confidence and evidence."""
    from rich.console import Console

    from kgraph.graph.store import GraphStore
    from kgraph.read.lineage import Lineage, render, to_json
    from kgraph.settings import Settings

    err = Console(stderr=True)
    settings = Settings.from_env(store_path=store)
    try:
        gs = GraphStore.open(settings.store_path, base_iri=settings.base_iri, read_only=True)
        lineage = Lineage.from_store(gs)
        if timeline:
            out = to_json({"root": ident, "head": lineage.head(ident), "nodes": lineage.timeline(ident)}, pretty=True)
        elif explain:
            out = to_json({"from": ident, "to": explain, "edges": lineage.explain(ident, explain)}, pretty=True)
        else:
            out = render(lineage.view(ident, depth=depth, direction=direction.value), format.value, pretty=True)
    except KGraphError as exc:
        err.print(f"[red]error[/red] {exc}")
        raise typer.Exit(code=1) from None
    sys.stdout.write(out)
