"""The ``kgraph`` command line: build, extract, query, export, validate, compact, serve.

Run ``kgraph --help`` for the commands and ``kgraph COMMAND --help`` for their options.
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path

import pyoxigraph as ox
import typer
from rich.console import Console
from rich.table import Table

from kgraph.cli.lineage import lineage
from kgraph.errors import KGraphError
from kgraph.settings import Settings

app = typer.Typer(help="kgraph: council decision papers into a knowledge graph you can question.",
                  no_args_is_help=True, add_completion=False)
out = Console()
err = Console(stderr=True)

StoreOpt = typer.Option(None, "--store", help="Store directory (setting store_path, default data/store).")


class ExtractFormat(StrEnum):
    json = "json"
    ttl = "ttl"


class QueryFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


class ExportFormat(StrEnum):
    ttl = "ttl"
    nq = "nq"
    jsonld = "jsonld"


def _settings(store: Path | None = None) -> Settings:
    return Settings.from_env(store_path=store)


def _fail(exc: KGraphError) -> None:
    err.print(f"[red]error[/red] {exc}")
    raise typer.Exit(code=1)


def _cache(settings: Settings):
    from kgraph.extract.cache import ExtractionCache

    return ExtractionCache(settings.cache_path, settings.council) if settings.cache_path else None


def _open(settings: Settings, *, read_only: bool = False):
    from kgraph.graph.store import GraphStore

    try:
        return GraphStore.open(settings.store_path, base_iri=settings.base_iri, read_only=read_only)
    except KGraphError as exc:
        _fail(exc)


@app.command()
def build(paths: list[Path] = typer.Argument(None, help="Files or directories (default: the corpus_dir setting)."),
          prune: bool = typer.Option(False, "--prune", help="Remove graphs of documents no longer in PATHS."),
          strict: bool = typer.Option(False, "--strict", help="Refuse a whole document when any of its facts "
                                      "breaks the shapes (default: leave the fact out and report it)."),
          store: Path | None = StoreOpt,
          jobs: int = typer.Option(1, "--jobs", "-j", min=1, help="Worker processes for extraction and validation."),
          scheduler: str | None = typer.Option(None, "--scheduler", help="Dask scheduler address (tcp://host:8786): "
                                               "extraction and validation in its workers, writes here.")) -> None:
    """Build the graph from PATHS into the store (unchanged documents are skipped)."""
    from kgraph.cli.progress import build_progress
    from kgraph.extract.ingest import iter_source_files
    from kgraph.graph.build import build_corpus
    from kgraph.graph.runner import open_runner

    settings = _settings(store)
    paths = paths or [settings.corpus_dir]
    total = sum(1 for _ in iter_source_files(paths))
    gs = _open(settings)
    try:
        with open_runner(jobs=jobs, scheduler=scheduler) as runner, build_progress(err, total) as progress:
            report = build_corpus(paths, gs, settings, prune=prune, cache=_cache(settings), strict=strict,
                                  runner=runner, progress=progress)
    except KGraphError as exc:
        _fail(exc)
    for e in report.errors:
        err.print(f"[red]error[/red] {e}")
    for src in report.held_back:
        err.print(f"[yellow]held back[/yellow] {src}: links to a document that failed; its previous graph is kept")
    out.print(f"built {len(report.built)}, unchanged {len(report.unchanged)}, removed {len(report.removed)}, "
              f"errors {len(report.errors)}, linked again {report.relinked} "
              f"in {report.seconds:.2f}s; store has {len(gs)} quads at {settings.store_path}")
    from kgraph.graph.report import left_out_by_document

    stored = left_out_by_document(gs)  # unchanged documents keep their reports in the store
    left = sum(len(x) for x in stored.values())
    if left:
        out.print(f"{left} facts left out of {len(stored)} documents (they break ontology/shapes.ttl; "
                  f"`kgraph validate` lists them)")
    # closed, then reopened once: the write-ahead log of the build is folded in (the errors' frames,
    # already printed, would keep the store open)
    report.store = gs = None
    for e in report.errors:
        e.__traceback__ = None
    from kgraph.graph.compact import fold_write_log

    fold_write_log(settings.store_path)
    if report.errors and not (report.built or report.unchanged):
        raise typer.Exit(code=1)


@app.command()
def extract(files: list[Path] = typer.Argument(..., help="Documents or directories to extract."),
            format: ExtractFormat = typer.Option(ExtractFormat.json, "--format", "-f"),
            corpus: Path | None = typer.Option(None, help="Corpus giving cross-document context "
                                                "(default: the corpus_dir setting, or the files given when "
                                                "there is no such directory; 'none' for each file alone)."),
            out_dir: Path | None = typer.Option(None, "--out", help="Write one <name>.json (or .ttl) per document "
                                                "into this directory instead of printing."),
            jobs: int = typer.Option(1, "--jobs", "-j", min=1, help="Worker processes (files extracted alone, "
                                     "i.e. --corpus none, are spread over them).")) -> None:
    """Print (or write with --out) what kgraph extracts: the extraction JSON contract, or its Turtle.

    One file prints to standard output; several files or a directory need ``--out DIR``.
    """
    from kgraph.cli.extract import extract_files

    settings = _settings()
    context = settings.corpus_dir if corpus is None else corpus
    # no corpus directory here: the files given are one another's context, as a build's would be
    together = str(context) != "none" and not context.exists()
    context = None if str(context) == "none" or not context.exists() else context
    try:
        results, errors = extract_files(files, settings, context=context, fmt=format.value, jobs=jobs,
                                        together=together)
    except KGraphError as exc:
        _fail(exc)
    for exc in errors:
        err.print(f"[red]error[/red] {exc}")
    if out_dir is None:
        if len(results) + len(errors) > 1:
            err.print("[red]error[/red] several documents: give --out DIR to write one file per document")
            raise typer.Exit(code=2)
        for _, body in results:
            sys.stdout.write(body)
    else:
        out_dir.mkdir(parents=True, exist_ok=True)
        for name, body in results:
            (out_dir / f"{name}.{format.value}").write_text(body, encoding="utf-8")
        err.print(f"wrote {len(results)} file(s) to {out_dir}")
    if errors:
        raise typer.Exit(code=1)


@app.command()
def query(sparql: str = typer.Argument(None, help="A SPARQL query (or use -f)."),
          file: Path | None = typer.Option(None, "--file", "-f", help="Read the query from a file."),
          format: QueryFormat = typer.Option(QueryFormat.table, "--format"),
          store: Path | None = StoreOpt) -> None:
    """Run a SPARQL SELECT/ASK query over the union of all document graphs."""
    from kgraph.query.select import select, to_csv, to_json

    if file is not None:
        sparql = file.read_text(encoding="utf-8")
    if not sparql:
        err.print("[red]error[/red] give a query or --file FILE")
        raise typer.Exit(code=2)
    settings = _settings(store)
    gs = _open(settings, read_only=True)
    try:
        rows = select(gs, sparql, row_cap=settings.query_row_cap)
    except KGraphError as exc:
        _fail(exc)
    if format is QueryFormat.csv:
        sys.stdout.write(to_csv(rows))
    elif format is QueryFormat.json:
        sys.stdout.write(to_json(rows) + "\n")
    else:
        t = Table(*rows.variables)
        for r in rows.rows:
            t.add_row(*(r[v] for v in rows.variables))
        out.print(t)
    if rows.truncated:
        err.print(f"[yellow]truncated at query_row_cap={settings.query_row_cap} rows[/yellow]")


@app.command()
def export(format: ExportFormat = typer.Option(ExportFormat.nq, "--format"),
           output: Path | None = typer.Option(None, "--output", "-o"),
           store: Path | None = StoreOpt) -> None:
    """Export the whole graph: N-Quads or JSON-LD keep named graphs; Turtle is their union."""
    settings = _settings(store)
    gs = _open(settings, read_only=True)
    if format is ExportFormat.ttl:
        from kgraph.query.select import construct

        data = construct(gs, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }").encode()
    else:
        fmt = ox.RdfFormat.N_QUADS if format is ExportFormat.nq else ox.RdfFormat.JSON_LD
        data = gs.ox.dump(format=fmt)
    if output:
        output.write_bytes(data)
    else:
        sys.stdout.buffer.write(data)


@app.command()
def validate(store: Path | None = StoreOpt,
             json_out: bool = typer.Option(False, "--json", help="Print the facts left out as JSON."),
             fast: bool = typer.Option(False, "--fast", help="Re-validate with the build's compiled checks "
                                       "instead of pyshacl (same findings, ~10x faster).")) -> None:
    """List the facts left out of each stored document and why, and re-validate every document
    graph against ontology/shapes.ttl with pyshacl (the reference validator) or, ``--fast``, the
    build's compiled checks."""
    from rdflib import Graph

    from kgraph.graph.report import left_out_facts
    from kgraph.graph.validate import validate_graph

    settings = _settings(store)
    gs = _open(settings, read_only=True)
    bad, listed = 0, {}
    for iri, (source, _) in sorted(gs.document_graphs().items()):
        if "/document/" not in iri:
            continue
        left = left_out_facts(gs, iri)
        if left:
            listed[source] = left
        nt = gs.ox.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(iri))
        try:
            validate_graph(Graph().parse(data=nt, format="nt"), source, full=not fast)
        except KGraphError as exc:
            bad += 1
            err.print(f"[red]invalid[/red] {exc}")
            continue
        if not json_out:
            out.print(f"[green]ok[/green] {source}" + (f" ({len(left)} facts left out)" if left else ""))
        for x in left if not json_out else ():
            where = f" at {x['start']}-{x['end']} {x['quote']!r}" if x["start"] is not None else ""
            out.print(f"  [yellow]left out[/yellow] {x['fact']} {x['label']!r}: "
                      f"{x['shape'].rsplit('#', 1)[-1]} {x['reason']}{where}")
    if json_out:
        sys.stdout.write(json.dumps(listed, ensure_ascii=False, indent=1) + "\n")
    if bad:
        raise typer.Exit(code=1)


@app.command()
def compact(store: Path | None = StoreOpt) -> None:
    """Rewrite the store into compressed, sorted files (same quads, fewer bytes: about half for a store written by transactions, a quarter less after a first build).
    Run it when no `kgraph serve` or build has the store open."""
    from kgraph.graph.compact import compact_store

    settings = _settings(store)
    try:
        r = compact_store(settings.store_path)
    except KGraphError as exc:
        _fail(exc)
    out.print(f"compacted {r.quads} quads: {r.bytes_before / 1e6:.1f} MB -> {r.bytes_after / 1e6:.1f} MB "
              f"in {r.seconds:.1f} s")


@app.command()
def evaluate(gold: Path = typer.Argument(..., help="Gold file (format of tests/gold/seeds.json)."),
             paths: list[Path] = typer.Argument(None, help="Documents (default: the corpus_dir setting)."),
             show: bool = typer.Option(False, "--show", help="List misses and extras.")) -> None:
    """Precision and recall of the extraction against a gold file, per category."""
    from kgraph.evaluate import score
    from kgraph.graph.build import extract_corpus

    settings = _settings()
    facts, _, errors = extract_corpus(paths or [settings.corpus_dir], settings)
    for e in errors:
        err.print(f"[red]error[/red] {e}")
    scores = score(facts, json.loads(gold.read_text(encoding="utf-8")))
    t = Table("category", "precision", "recall", "must recall", "gold", "extracted")
    for name, sc in scores.items():
        t.add_row(name, f"{sc.precision:.3f}", f"{sc.recall:.3f}", f"{sc.must_recall:.3f}",
                  str(sc.gold), str(sc.extracted))
    out.print(t)
    if show:
        for name, sc in scores.items():
            for m in sc.misses:
                out.print(f"[red]miss[/red]  {name}: {m}")
            for x in sc.extras:
                out.print(f"[yellow]extra[/yellow] {name}: {x}")


@app.command()
def serve(host: str | None = typer.Option(None), port: int | None = typer.Option(None),
          store: Path | None = StoreOpt) -> None:
    """Serve the SPARQL endpoint, REST API and pages over the built store."""
    import os

    from api.server import run

    settings = _settings(store)
    if store is not None:
        os.environ["KGRAPH_STORE_PATH"] = str(store)
    run(host or settings.host, port or settings.port)


app.command()(lineage)


def main() -> None:  # pragma: no cover - entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
