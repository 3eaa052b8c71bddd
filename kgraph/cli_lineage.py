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
            store: Path | None = typer.Option(None, "--store", help="Store directory (setting store_path, default data/store).")) -> None:
    """Print the lineage of decision ID: nodes and typed edges with rule, confidence and evidence."""
    from rich.console import Console

    from kgraph.lineage import Lineage, render
    from kgraph.settings import Settings
    from kgraph.store import GraphStore

    err = Console(stderr=True)
    settings = Settings.from_env(store_path=store)
    try:
        gs = GraphStore.open(settings.store_path, base_iri=settings.base_iri, read_only=True)
        view = Lineage.from_store(gs).view(ident, depth=depth, direction=direction.value)
    except KGraphError as exc:
        err.print(f"[red]error[/red] {exc}")
        raise typer.Exit(code=1) from None
    sys.stdout.write(render(view, format.value, pretty=True))
