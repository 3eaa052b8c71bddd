"""Build the graph: read files, extract, resolve and link across the corpus, validate, store.

I/O lives here and in :mod:`kgraph.graph.store`; everything between is pure.

>>> from kgraph.graph.store import GraphStore
>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp()); _ = (d / "a.txt").write_text("KCC will invest £2m per year.")
>>> report = build_corpus([d], GraphStore.in_memory())
>>> len(report.built), len(report.errors)
(1, 0)
>>> len(build_corpus([d], report.store).unchanged)
1
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kgraph.errors import KGraphError
from kgraph.extract.cache import ExtractionCache
from kgraph.extract.document import DocExtraction, extract_document
from kgraph.extract.gazetteers import ONTOLOGY_DIR
from kgraph.extract.ingest import read_documents
from kgraph.graph.checked import LeftOut, check_document
from kgraph.graph.store import GraphStore
from kgraph.iris import Iris
from kgraph.link.corpus import link_corpus
from kgraph.link.resolve import resolve_corpus
from kgraph.settings import Settings

#: Turtle files loaded into the ontology graph: vocabulary, shapes' targets and gazetteers.
ONTOLOGY_FILES = ("kgraph.ttl", "organisations.ttl", "legislation.ttl")

Progress = Callable[[str, str], None]


@dataclass
class BuildReport:
    """What a build did: documents written, left unchanged, and errors (file + message)."""

    store: GraphStore
    built: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    errors: list[KGraphError] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    #: documents left as they were because their new graph links to a document that failed
    held_back: list[str] = field(default_factory=list)
    #: facts left out of stored documents because they break the shapes: source → reports
    left_out: dict[str, list[LeftOut]] = field(default_factory=dict)
    seconds: float = 0.0


def extract_corpus(paths: Iterable[Path], settings: Settings | None = None,
                   progress: Progress | None = None, cache: ExtractionCache | None = None,
                   ) -> tuple[list[dict], dict[str, str], list[KGraphError]]:
    """Facts (extraction JSON) for every readable document, linked across the corpus.

    Returns the facts, the texts by document id, and the ingest errors. With a ``cache``,
    documents whose text was extracted before by the same pipeline are not re-run.
    """
    settings = settings or Settings()
    docs, errors = read_documents(paths, max_bytes=settings.max_file_bytes)
    # the same text under two names is one document
    seen: dict[str, bool] = {}
    docs = [d for d in docs if not (d.sha256 in seen or seen.setdefault(d.sha256, False))]
    exts: list[DocExtraction] = []
    for d in docs:
        if progress:
            progress("extract", d.source)
        ext = cache.get(d) if cache else None
        if ext is None:
            ext = extract_document(d, council=settings.council)
            if cache:
                cache.put(ext)
        exts.append(ext)
    iris = Iris(settings.base_iri, settings.council)
    facts = resolve_corpus(exts, iris)
    texts = {d.id: d.text for d in docs}
    link_corpus(facts, texts)
    return facts, texts, list(errors)


def _ontology_ntriples() -> tuple[str, str]:
    from rdflib import Graph

    g = Graph()
    digest = hashlib.sha256()  # over the source files: serialisation order varies per process
    for name in ONTOLOGY_FILES:
        path = ONTOLOGY_DIR / name
        if path.exists():
            data = path.read_bytes()
            digest.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
            g.parse(data=data, format="turtle")
    nt = g.serialize(format="nt")
    return nt, digest.hexdigest()


def build_corpus(paths: Iterable[Path], store: GraphStore, settings: Settings | None = None,
                 progress: Progress | None = None, *, prune: bool = False,
                 cache: ExtractionCache | None = None, strict: bool = False) -> BuildReport:
    """Build every document under ``paths`` into ``store``.

    A document whose text and graph are unchanged is not rewritten; a changed document's
    graph is replaced atomically; a document that fails (unreadable, invalid graph) is
    reported and leaves what the store held for it intact, as do the documents whose new
    graphs would link to it (``held_back``). With ``prune``, graphs of
    documents no longer among ``paths`` are removed. A fact that breaks the shapes is left out
    of its document's graph and reported (``left_out``); with ``strict`` it fails the document.
    """
    settings = settings or Settings()
    t0 = time.perf_counter()
    report = BuildReport(store=store)
    iris = Iris(settings.base_iri, settings.council)

    onto_nt, onto_sha = _ontology_ntriples()
    onto_iri = f"{iris.base}graph/ontology"
    if store.document_sha(onto_iri) != onto_sha:
        store.replace_graph(onto_iri, onto_nt, catalog={"source": "ontology/", "sha256": onto_sha})

    facts, texts, errors = extract_corpus(paths, settings, progress, cache)
    report.errors.extend(errors)
    # validate every graph before writing any, so a document that fails can hold back the
    # documents whose new graphs point at it (the store never links to a graph it lacks)
    ready: list[tuple[dict, str]] = []
    failed: set[str] = set()
    for f in facts:
        d = f["document"]
        if progress:
            progress("validate", d["source"])
        try:
            checked = check_document(f, texts[d["id"]], iris, strict=strict)
            graph = checked.graph
            if checked.left_out:
                report.left_out[d["source"]] = checked.left_out
        except KGraphError as exc:
            report.errors.append(exc)
            failed.add(d["iri"])
            continue
        ready.append((d, "\n".join(sorted(graph.serialize(format="nt").splitlines()))))
    for d, nt in ready:
        if any(f"<{iri}>" in nt for iri in failed):
            report.held_back.append(d["source"])
            continue
        digest = hashlib.sha256((d["sha256"] + nt).encode()).hexdigest()
        if store.document_sha(d["iri"]) == digest:
            report.unchanged.append(d["source"])
            continue
        try:
            store.replace_document_graph(d["iri"], nt, source=d["source"], sha256=digest)
        except KGraphError as exc:
            report.errors.append(exc)
            continue
        report.built.append(d["source"])
    if prune:
        keep = {f["document"]["source"] for f in facts} | {e.subject for e in report.errors}
        for iri, (source, _) in store.document_graphs().items():
            if "/document/" in iri and source not in keep:
                store.remove_document_graph(iri)
                report.removed.append(source)
    store.flush()
    report.seconds = time.perf_counter() - t0
    return report
