"""Build the graph: read files, extract, resolve and link across the corpus, validate, store.

I/O lives here and in :mod:`kgraph.graph.store`; everything between is pure. The stages:

1. **extract** every document (cached by text, pipeline fingerprint and council; the misses run
   on a :mod:`runner <kgraph.graph.runner>`: this process, ``--jobs N`` processes or Dask);
2. **resolve and link** across the corpus (in memory, linear);
3. **plan**: a document's *input digest* covers its final facts (which hold everything the
   cross-document context gave it), its text and the graph code; a document whose digest
   is the one the store already holds is left alone: no graph building, no validation, no write;
4. **render** the others (graph, SHACL validation, N-Triples) on the runner, spooled to a
   temporary file so memory does not grow with the corpus;
5. **write** them in batches of ``write_batch`` documents, one transaction per batch; into an
   on-disk store with no document graphs yet, bulk-loaded beside it while rendering goes on,
   and swapped in when complete (:mod:`kgraph.graph.fresh`).

>>> from kgraph.graph.store import DocumentGraph, GraphStore
>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp()); _ = (d / "a.txt").write_text("KCC will invest £2m per year.")
>>> report = build_corpus([d], GraphStore.in_memory())
>>> len(report.built), len(report.errors)
(1, 0)
>>> again = build_corpus([d], report.store)
>>> len(again.unchanged), again.rendered
(1, 0)
"""

from __future__ import annotations

import hashlib
import json
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from kgraph.errors import BuildError, KGraphError, StoreError
from kgraph.extract.cache import ExtractionCache, pipeline_fingerprint
from kgraph.extract.document import DocExtraction, extract_document
from kgraph.extract.gazetteers import ONTOLOGY_DIR
from kgraph.extract.ingest import ingest_limits, read_documents
from kgraph.graph.checked import LeftOut, check_document
from kgraph.graph.fresh import FreshLoad
from kgraph.graph.incremental import (
    STATE_VERSION,
    LinkState,
    link_documents,
    load_state,
    paused_gc,
    relink,
    save_state,
)
from kgraph.graph.linkstate import Blobs
from kgraph.graph.runner import Runner
from kgraph.graph.store import DocumentGraph, GraphStore
from kgraph.iris import Iris
from kgraph.model import Document
from kgraph.settings import Settings

#: Turtle files loaded into the ontology graph: vocabulary, shapes' targets and gazetteers.
ONTOLOGY_FILES = ("kgraph.ttl", "organisations.ttl", "legislation.ttl")
#: Code that turns facts into a stored graph (every module of ``kgraph/graph`` too): a change to
#: any of it re-renders every document.
GRAPH_CODE = ("iris.py", "vocab.py", "extract/evidence.py", "__init__.py")

Progress = Callable[[str, str], None]

#: Documents a re-link leaves to render that are rendered in this process rather than on the
#: runner: starting worker processes (each imports kgraph and compiles the shapes) takes longer
#: than rendering this many.
RENDER_HERE_MAX = 16


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
    #: (for the documents rendered by this build; unchanged ones keep theirs in the store)
    left_out: dict[str, list[LeftOut]] = field(default_factory=dict)
    seconds: float = 0.0
    #: documents run through the NLP pipeline (the others came from the extraction cache)
    extracted: int = 0
    #: documents whose graph was built and validated (the others were unchanged)
    rendered: int = 0
    #: seconds per stage: extract, link, plan, render, write
    timings: dict[str, float] = field(default_factory=dict)
    #: documents resolved and linked again (all of them unless the last build's state could be used)
    relinked: int = 0
    #: how the graphs were written: "transactions", "bulk load" (a fresh store, swapped in), or
    #: "transactions (bulk load failed: why)"
    write_path: str = "transactions"


# ------------------------------------------------------------------ extraction


def extract_one(document: Document, council: str) -> DocExtraction:
    """One document's mentions (a top-level function, so that worker processes can run it)."""
    return extract_document(document, council=council)


def read_corpus(paths: Iterable[Path], settings: Settings) -> tuple[list[Document], list[KGraphError]]:
    """Every readable document under ``paths`` (the same text under two names is one document)."""
    docs, errors = read_documents(paths, **ingest_limits(settings))
    seen: set[str] = set()
    return [d for d in docs if not (d.sha256 in seen or seen.add(d.sha256))], list(errors)


def extract_documents(docs: list[Document], settings: Settings, progress: Progress | None = None,
                      cache: ExtractionCache | None = None, runner: Runner | None = None,
                      report: BuildReport | None = None) -> list[DocExtraction]:
    """The extraction of each document, in order: from ``cache`` where it holds one, else
    run on ``runner`` (default: this process) and cached."""
    runner = runner or Runner()
    cache = cache.for_council(settings.council) if cache else None
    exts: list[DocExtraction | None] = [cache.get(d) if cache else None for d in docs]
    for d, ext in zip(docs, exts, strict=True):
        if ext is not None and progress:
            progress("cached", d.source)
    missing = [i for i, ext in enumerate(exts) if ext is None]
    results = runner.map(extract_one, [(docs[i], settings.council) for i in missing])
    for i, ext in zip(missing, results, strict=True):
        exts[i] = ext
        if cache:
            cache.put(ext)
        if progress:
            progress("extract", docs[i].source)
    if report is not None:
        report.extracted += len(missing)
    return exts


def extract_corpus(paths: Iterable[Path], settings: Settings | None = None,
                   progress: Progress | None = None, cache: ExtractionCache | None = None,
                   runner: Runner | None = None, report: BuildReport | None = None, *,
                   read: tuple[list[Document], list[KGraphError]] | None = None,
                   features: dict | None = None, blobs: Blobs | None = None,
                   resolved: dict | None = None) -> tuple[list[dict], dict[str, str], list[KGraphError]]:
    """Facts (extraction JSON) for every readable document, linked across the corpus.

    Returns the facts, the texts by document id, and the ingest errors. With a ``cache``,
    documents whose text was extracted before by the same pipeline and council are not re-run;
    the others run on ``runner`` (default: this process). ``read``: the documents (and ingest
    errors) already read from ``paths``; ``features`` receives each document's
    :class:`~kgraph.link.deps.Features` by id, and ``resolved`` the name of its resolved facts
    in ``blobs`` (see :func:`~kgraph.graph.incremental.link_documents`).
    """
    settings = settings or Settings()
    t0 = time.perf_counter()
    docs, errors = read or read_corpus(paths, settings)
    exts = extract_documents(docs, settings, progress, cache, runner, report)
    t1 = time.perf_counter()
    facts, found = link_documents(exts, docs, Iris(settings.base_iri, settings.council), blobs=blobs,
                                  resolved=resolved)
    if features is not None:
        features.update(found)
    if report is not None:
        report.timings["extract"] = t1 - t0
        report.timings["link"] = time.perf_counter() - t1
    return facts, {d.id: d.text for d in docs}, errors


# ------------------------------------------------------------------ graphs


@lru_cache(maxsize=1)
def graph_fingerprint() -> str:
    """SHA-256 (16 hex digits) over the graph code, the ontology files and the pipeline fingerprint."""
    root = Path(__file__).resolve().parent.parent
    h = hashlib.sha256(pipeline_fingerprint().encode())
    code = [root / rel for rel in GRAPH_CODE] + sorted((root / "graph").glob("*.py"))
    for p in code:
        if p.exists():
            h.update(p.name.encode() + p.read_bytes())
    for p in sorted(q for q in ONTOLOGY_DIR.rglob("*") if q.is_file()):
        h.update(p.name.encode() + p.read_bytes())
    return h.hexdigest()[:16]


def input_digest(facts: dict, base_iri: str, strict: bool = False) -> str:
    """What a document's graph is made from: its facts (text digest included), base IRI, graph code
    and whether the build is strict.

    >>> f = {"document": {"sha256": "ab"}, "amounts": []}
    >>> input_digest(f, "http://x/") == input_digest(dict(f), "http://x/") != input_digest(f, "http://y/")
    True
    >>> input_digest(f, "http://x/") != input_digest(f, "http://x/", strict=True)
    True
    """
    body = json.dumps(facts, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))
    return hashlib.sha256(f"{graph_fingerprint()}\n{base_iri}\n{strict}\n{body}".encode()).hexdigest()


def render_document(facts: dict, text: str, base_iri: str, council: str,
                    strict: bool = False) -> tuple[str, list[LeftOut]] | KGraphError:
    """The document's checked graph as sorted N-Triples with the facts left out, or the error
    that stops it (a top-level function, so that worker processes can run it)."""
    try:
        checked = check_document(facts, text, Iris(base_iri, council), strict=strict)
    except KGraphError as exc:
        return exc
    return checked.ntriples(), checked.left_out


class _Spool:
    """Rendered graphs parked in a temporary file until they are written (memory stays flat)."""

    def __init__(self):
        self.fh = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close(), after the write stage
        self.where: dict[str, tuple[int, int]] = {}

    def put(self, key: str, nt: str) -> None:
        data = nt.encode()
        self.fh.seek(0, 2)
        self.where[key] = (self.fh.tell(), len(data))
        self.fh.write(data)

    def get(self, key: str) -> str:
        pos, size = self.where[key]
        self.fh.seek(pos)
        return self.fh.read(size).decode()

    def close(self) -> None:
        self.fh.close()


def _ontology_digest() -> str:
    """Digest of the ontology source files (their N-Triples carry per-process blank node labels)."""
    digest = hashlib.sha256()
    for name in ONTOLOGY_FILES:
        path = ONTOLOGY_DIR / name
        if path.exists():
            digest.update(name.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _ontology_ntriples() -> tuple[str, str]:
    from rdflib import Graph

    g = Graph()
    for name in ONTOLOGY_FILES:
        path = ONTOLOGY_DIR / name
        if path.exists():
            g.parse(data=path.read_bytes(), format="turtle")
    return g.serialize(format="nt"), _ontology_digest()


def _write_ontology(store: GraphStore, iris: Iris, fresh: FreshLoad | None = None) -> None:
    """The ontology graph, rewritten when its source files changed (bulk-loaded into a fresh
    store that has none, so that every table file of it comes from the bulk loader)."""
    onto_sha = _ontology_digest()
    onto_iri = f"{iris.base}graph/ontology"
    held = store.document_sha(onto_iri)
    if held == onto_sha:
        return
    if fresh is not None and held is None:
        fresh.add((onto_iri, _ontology_ntriples()[0], "ontology/", onto_sha, ""))
    else:
        store.replace_graph(onto_iri, _ontology_ntriples()[0], catalog={"source": "ontology/", "sha256": onto_sha})


def _graph_digest(document: dict, nt: str) -> str:
    return hashlib.sha256((document["sha256"] + nt).encode()).hexdigest()


def _finish_fresh(fresh: FreshLoad, todo: list[tuple[dict, str]], spool: _Spool, failed: set[str],
                  report: BuildReport) -> None:
    """Swap in the bulk-loaded store without the documents held back (they were loaded before the
    failures they link to were known; the store never links to a graph it lacks)."""
    built, held = [], []
    for f, _ in todo:
        d = f["document"]
        if d["iri"] in failed:
            continue
        if failed and any(f"<{iri}>" in spool.get(d["iri"]) for iri in failed):
            held.append(d)
        else:
            built.append(d["source"])
    fresh.finish(drop=[d["iri"] for d in held])
    report.built.extend(built)
    report.held_back.extend(d["source"] for d in held)
    report.write_path = "bulk load"


def _write(store: GraphStore, batch: list[DocumentGraph], report: BuildReport) -> None:
    """One transaction for the batch; if it fails, each document alone (so one bad one stays alone)."""
    if not batch:
        return
    try:
        store.replace_document_graphs(batch)
        report.built.extend(src for _, _, src, _, _ in batch)
        # written data stays in the store's memory until flushed: flush per batch, so that memory
        # does not grow with the corpus
        store.flush()
        return
    except StoreError:
        pass
    for iri, nt, src, digest, inp in batch:
        try:
            store.replace_document_graph(iri, nt, source=src, sha256=digest, input_digest=inp)
        except KGraphError as exc:
            report.errors.append(exc)
            continue
        report.built.append(src)


def _write_rendered(store: GraphStore, todo: list[tuple[dict, str]], spool: _Spool, failed: set[str],
                    batch_size: int, report: BuildReport) -> None:
    """Write the rendered graphs in batches; a graph equal to the stored one only refreshes its digest.

    A document whose new graph (or facts) points at a document that failed is not written:
    its graph is held back, its recorded inputs are left as they were.
    """
    failed_ids = {iri.rsplit("/", 1)[-1] for iri in failed}
    batch: list[DocumentGraph] = []
    refresh: list[tuple[str, str]] = []
    for f, digest in todo:
        d = f["document"]
        if d["iri"] in failed:
            continue
        nt = spool.get(d["iri"])
        if any(f"<{iri}>" in nt for iri in failed):
            report.held_back.append(d["source"])
            continue
        graph_digest = _graph_digest(d, nt)
        if store.document_sha(d["iri"]) == graph_digest:
            report.unchanged.append(d["source"])
            if not (failed_ids and any(i in json.dumps(f) for i in failed_ids)):
                refresh.append((d["iri"], digest))
            continue
        batch.append((d["iri"], nt, d["source"], graph_digest, digest))
        if len(batch) >= batch_size:
            _write(store, batch, report)
            batch = []
    _write(store, batch, report)
    for i in range(0, len(refresh), batch_size):
        store.set_input_digests(refresh[i : i + batch_size])


def build_corpus(paths: Iterable[Path], store: GraphStore, settings: Settings | None = None,
                 progress: Progress | None = None, *, prune: bool = False,
                 cache: ExtractionCache | None = None, strict: bool = False, runner: Runner | None = None,
                 write_batch: int | None = None) -> BuildReport:
    """Build every document under ``paths`` into ``store``.

    A document whose inputs are unchanged is not rendered, validated or rewritten; a changed
    document's graph is replaced atomically; a document that fails (unreadable, invalid graph)
    is reported and leaves what the store held for it intact, as do the documents whose new
    graphs would link to it (``held_back``). With ``prune``, graphs of documents no longer
    among ``paths`` are removed. A fact that breaks the shapes is left out of its document's
    graph and reported (``left_out``); with ``strict`` it fails the document.
    """
    settings = settings or Settings()
    runner = runner or Runner()
    batch_size = max(1, write_batch or settings.write_batch)
    t0 = time.perf_counter()
    report = BuildReport(store=store)
    iris = Iris(settings.base_iri, settings.council)

    # extract, resolve and link: every document when nothing is known of the last build, else
    # only the documents a change since then can reach (the state kept beside the store)
    t = time.perf_counter()
    header = state_header(settings, strict)
    # the state and a re-link make many small objects that live on: the collector would walk them over and over
    with paused_gc():
        state = load_state(store.path, header)
        relinked = read = None
        if state is not None:
            read = read_corpus(paths, settings)
            extracting = [0.0]

            def extract(some: list[Document]) -> list[DocExtraction]:
                t_extract = time.perf_counter()
                try:
                    with paused_gc(False):
                        return extract_documents(some, settings, progress, cache, runner, report)
                finally:
                    extracting[0] += time.perf_counter() - t_extract

            try:
                relinked = relink(read[0], state, store.input_digests(), extract, iris,
                                  max_share=settings.max_affected_share)
            except BuildError as exc:
                if exc.code != "KG175":
                    raise
                relinked = None  # the state lacks a part: link the whole corpus
            report.timings["extract"] = extracting[0]
    if relinked is None:
        features: dict = {}
        resolved: dict = {}
        blobs = Blobs.beside(store.path)
        facts, texts, errors = extract_corpus(paths, settings, progress, cache, runner, report, read=read,
                                              features=features, blobs=blobs, resolved=resolved)
        report.errors.extend(errors)
        sources = [f["document"]["source"] for f in facts]
        state = LinkState(header, [f["document"]["id"] for f in facts], features, {}, resolved, blobs=blobs)
        report.relinked = len(facts)
    else:
        docs, errors = read
        report.errors.extend(errors)
        sources = [d.source for d in docs]
        texts = {d.id: d.text for d in docs}
        facts, state = relinked.facts, relinked.state
        report.relinked = relinked.linked
        mine = {f["document"]["id"] for f in facts}
        for d in docs:
            if d.id not in mine:
                report.unchanged.append(d.source)
                if progress:
                    progress("unchanged", d.source)
        report.timings["link"] = time.perf_counter() - t - report.timings["extract"]

    # plan: only documents whose inputs changed are rendered
    t = time.perf_counter()
    todo: list[tuple[dict, str]] = []
    for f in facts:
        d = f["document"]
        digest = input_digest(f, settings.base_iri, strict)
        state.digests[d["id"]] = digest
        if store.input_digest(d["iri"]) == digest:
            report.unchanged.append(d["source"])
            if progress:
                progress("unchanged", d["source"])
        else:
            todo.append((f, digest))
    report.timings["plan"] = time.perf_counter() - t

    # render (graph + validation) every changed document before writing any, so a document that
    # fails can hold back the documents whose new graphs point at it (the store never links to a
    # graph it lacks); rendered graphs wait in a spool file, not in memory
    t = time.perf_counter()
    spool = _Spool()
    failed: set[str] = set()
    # a store with no document graphs is filled beside itself by the bulk loader, then swapped in
    fresh = FreshLoad.start(store, settings.bulk_load_mb)
    try:
        _write_ontology(fresh.store if fresh else store, iris, fresh)
        jobs = [(f, texts[f["document"]["id"]], settings.base_iri, settings.council, strict) for f, _ in todo]
        here = relinked is not None and len(todo) <= RENDER_HERE_MAX  # a few documents after a re-link
        for (f, digest), out in zip(todo, (Runner() if here else runner).map(render_document, jobs), strict=True):
            d = f["document"]
            if progress:
                progress("validate", d["source"])
            if isinstance(out, KGraphError):
                report.errors.append(out)
                failed.add(d["iri"])
            else:
                nt, left_out = out
                spool.put(d["iri"], nt)
                if left_out:
                    report.left_out[d["source"]] = left_out
                if fresh:  # loaded while the next documents render
                    fresh.add((d["iri"], nt, d["source"], _graph_digest(d, nt), digest))
        del jobs
        report.rendered = len(spool.where)
        report.timings["render"] = time.perf_counter() - t

        t = time.perf_counter()
        if fresh:
            try:
                _finish_fresh(fresh, todo, spool, failed, report)
            except StoreError as exc:
                if exc.code != "KG186":
                    raise
                fresh = None  # the bulk loader refused a batch: the store is as it was, write it by transactions
                report.write_path = f"transactions (bulk load failed: {exc.message})"
                _write_ontology(store, iris)
        if not fresh:
            _write_rendered(store, todo, spool, failed, batch_size, report)
    finally:
        spool.close()
        if fresh and fresh.thread.is_alive():  # stopped by an error: the store is as it was
            fresh.abandon()
    if prune:
        keep = set(sources) | {e.subject for e in report.errors}
        for iri, (source, _) in store.document_graphs().items():
            if "/document/" in iri and source not in keep:
                store.remove_document_graph(iri)
                report.removed.append(source)
    store.flush()
    with paused_gc():
        save_state(store.path, state)
    report.timings["write"] = time.perf_counter() - t
    report.seconds = time.perf_counter() - t0
    return report


def state_header(settings: Settings, strict: bool) -> dict:
    """What a saved link state must have been made under to be used (see :mod:`kgraph.graph.incremental`)."""
    return {"version": STATE_VERSION, "code": link_fingerprint(), "base_iri": settings.base_iri,
            "council": settings.council, "strict": strict,
            # the digest scheme itself: digests made another way are not comparable
            "probe": input_digest({}, settings.base_iri, strict)}


@lru_cache(maxsize=1)
def link_fingerprint() -> str:
    """SHA-256 (16 hex digits) over the graph fingerprint and the linking code."""
    root = Path(__file__).resolve().parent.parent
    h = hashlib.sha256(graph_fingerprint().encode())
    for p in sorted((root / "link").glob("*.py")) + [root / "graph" / "incremental.py"]:
        h.update(p.name.encode() + p.read_bytes())
    return h.hexdigest()[:16]
