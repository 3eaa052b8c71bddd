"""The graph store: embedded Oxigraph, one named graph per document, atomic replacement.

A catalog graph (``{base}graph/catalog``) records, for every named graph, its source
(``kg:graphSource``), a digest of what it was built from (``kg:graphDigest``), so an
unchanged document is not rewritten, and for document graphs a digest of the build's inputs
(``kg:inputDigest``), so an unchanged document is not even rebuilt.

>>> store = GraphStore.in_memory()
>>> g = "https://w3id.org/kgraph/id/document/abc"
>>> nt = '<https://w3id.org/kgraph/id/x> <http://purl.org/dc/terms/title> "X" .'
>>> store.replace_document_graph(g, nt, source="a.txt", sha256="abc")
>>> store.document_sha(g)
'abc'
>>> [r["t"].value for r in store.query('SELECT ?t WHERE { ?s <http://purl.org/dc/terms/title> ?t }')]
['X']
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox

from kgraph.errors import StoreError
from kgraph.graph.compact import recover
from kgraph.iris import DEFAULT_BASE
from kgraph.vocab import PREFIXES

KG = PREFIXES["kg"]
_SHA = ox.NamedNode(KG + "graphDigest")
_SOURCE = ox.NamedNode(KG + "graphSource")
_INPUT = ox.NamedNode(KG + "inputDigest")

#: A document to write: (graph IRI, N-Triples, source file, graph digest, input digest or "").
DocumentGraph = tuple[str, str, str, str, str]


class GraphStore:
    """A pyoxigraph ``Store`` with kgraph's document-graph discipline.

    Open on disk with :meth:`open` (``read_only=True`` for query-only processes) or in
    memory with :meth:`in_memory` for tests.
    """

    def __init__(self, store: ox.Store, *, base_iri: str = DEFAULT_BASE, path: Path | None = None):
        self.ox = store
        self.base_iri = base_iri
        self.path = path
        self.catalog = ox.NamedNode(base_iri + "graph/catalog")

    @classmethod
    def open(cls, path: Path, *, base_iri: str = DEFAULT_BASE, read_only: bool = False) -> GraphStore:
        """Open (creating if needed) the on-disk store at ``path``."""
        try:
            if read_only:
                if not path.exists():
                    raise StoreError("KG301", str(path), "no store here; run `kgraph build` first")
                return cls(_open_read_only(path), base_iri=base_iri, path=path)
            recover(path)  # a compaction or fresh build stopped half-way through its swap
            path.mkdir(parents=True, exist_ok=True)
            return cls(ox.Store(str(path)), base_iri=base_iri, path=path)
        except OSError as exc:
            hint = " (another process, such as `kgraph serve`, has it open for writing)" if "LOCK" in str(exc) else ""
            raise StoreError("KG301", str(path), f"cannot open store{hint}: {exc}") from exc

    @classmethod
    def in_memory(cls, *, base_iri: str = DEFAULT_BASE) -> GraphStore:
        return cls(ox.Store(), base_iri=base_iri)

    # ------------------------------------------------------------------ documents

    def document_sha(self, graph_iri: str) -> str | None:
        """The sha256 a document graph was built from, or None if the graph is absent."""
        for q in self.ox.quads_for_pattern(ox.NamedNode(graph_iri), _SHA, None, self.catalog):
            return q.object.value
        return None

    def input_digest(self, graph_iri: str) -> str | None:
        """The input digest recorded for a document graph (None if absent)."""
        for q in self.ox.quads_for_pattern(ox.NamedNode(graph_iri), _INPUT, None, self.catalog):
            return q.object.value
        return None

    def input_digests(self) -> dict[str, str]:
        """The input digest recorded for every document graph (graph IRI → digest), in one read."""
        return {q.subject.value: q.object.value
                for q in self.ox.quads_for_pattern(None, _INPUT, None, self.catalog)}

    def set_input_digests(self, pairs: list[tuple[str, str]]) -> None:
        """Record new input digests for graphs whose content did not change (one transaction)."""
        if not pairs:
            return
        c = self.catalog.value
        ops = [f"DELETE WHERE {{ GRAPH <{c}> {{ <{iri}> <{_INPUT.value}> ?d }} }} ;\n"
               f"INSERT DATA {{ GRAPH <{c}> {{ <{iri}> <{_INPUT.value}> {ox.Literal(d)} }} }}" for iri, d in pairs]
        try:
            self.ox.update(" ;\n".join(ops))
        except (OSError, SyntaxError) as exc:
            raise StoreError("KG301", f"{len(pairs)} documents", f"catalog not updated: {exc}") from exc

    def document_graphs(self) -> dict[str, tuple[str, str]]:
        """Every document graph: IRI → (source file, sha256)."""
        out: dict[str, list[str]] = {}
        for q in self.ox.quads_for_pattern(None, None, None, self.catalog):
            entry = out.setdefault(q.subject.value, ["", ""])
            if q.predicate == _SOURCE:
                entry[0] = q.object.value
            elif q.predicate == _SHA:
                entry[1] = q.object.value
        return {k: (v[0], v[1]) for k, v in out.items()}

    def replace_document_graph(self, graph_iri: str, ntriples: str, *, source: str, sha256: str,
                               input_digest: str = "") -> None:
        """Replace one document's named graph and its catalog entry in a single transaction.

        A document's IRI follows its text, so the graph built from an earlier text of the same
        source file is dropped in the same transaction. Either the old graph stays intact or
        the new one is complete: nothing half-written.
        """
        stale = [q.subject.value for q in self.ox.quads_for_pattern(None, _SOURCE, ox.Literal(source), self.catalog)
                 if q.subject.value != graph_iri]
        self.replace_graph(graph_iri, ntriples, catalog={"source": source, "sha256": sha256, "input": input_digest},
                           drop=stale)

    def replace_graph(self, graph_iri: str, ntriples: str, *, catalog: dict[str, str] | None = None,
                      drop: list[str] = ()) -> None:
        """Drop and refill a named graph atomically (one SPARQL Update transaction).

        ``drop`` names other graphs (and their catalog entries) removed in the same transaction.
        """
        parts = self._replace_parts(graph_iri, ntriples, catalog=catalog, drop=drop)
        try:
            self.ox.update(" ;\n".join(parts))
        except (OSError, SyntaxError) as exc:
            raise StoreError("KG301", graph_iri, f"graph not replaced (store unchanged): {exc}") from exc

    def _replace_parts(self, graph_iri: str, ntriples: str, *, catalog: dict[str, str] | None,
                       drop: list[str] = (), keep_graph: bool = False) -> list[str]:
        parts = []
        for iri in [graph_iri, *drop]:
            if not (keep_graph and iri == graph_iri):
                parts.append(f"DROP SILENT GRAPH <{iri}>")
            parts.append(f"DELETE WHERE {{ GRAPH <{self.catalog.value}> {{ <{iri}> ?p ?o }} }}")
        g = f"<{graph_iri}>"
        if ntriples.strip():
            parts.append(f"INSERT DATA {{ GRAPH {g} {{\n{ntriples}\n}} }}")
        if catalog:
            lits = f"<{_SOURCE.value}> {ox.Literal(catalog['source'])} ; <{_SHA.value}> {ox.Literal(catalog['sha256'])}"
            if catalog.get("input"):
                lits += f" ; <{_INPUT.value}> {ox.Literal(catalog['input'])}"
            parts.append(f"INSERT DATA {{ GRAPH <{self.catalog.value}> {{ {g} {lits} }} }}")
        return parts

    def replace_document_graphs(self, docs: list[DocumentGraph]) -> None:
        """Replace several document graphs ``(iri, ntriples, source, digest, input)`` in ONE transaction.

        All documents of the batch are written or none is, so each document keeps the
        all-or-nothing guarantee of :meth:`replace_document_graph`. A batch that only adds new
        graphs (nothing to drop) is loaded as N-Quads with ``Store.load`` (transactional, and
        much cheaper than parsing a SPARQL update); otherwise it is one SPARQL update, in which
        a graph that already exists is given only its difference (see :meth:`_diff`) when that
        is safe, and is dropped and inserted whole otherwise. Either way the store ends quad for
        quad the same.

        >>> store = GraphStore.in_memory()
        >>> nt = '<http://e/a> <http://e/p> "x" .'
        >>> store.replace_document_graphs([("http://e/g1", nt, "a.txt", "1", ""), ("http://e/g2", nt, "b.txt", "2", "")])
        >>> store.document_sha("http://e/g2"), len(store)
        ('2', 6)
        """
        if not docs:
            return
        stale = {iri: [q.subject.value for q in self.ox.quads_for_pattern(None, _SOURCE, ox.Literal(src), self.catalog)
                       if q.subject.value != iri] for iri, _, src, _, _ in docs}
        fresh = all(not stale[iri] and self.document_sha(iri) is None
                    and next(iter(self.ox.quads_for_pattern(None, None, None, ox.NamedNode(iri))), None) is None
                    for iri, *_ in docs)
        try:
            if fresh:
                self.ox.load(nquads(docs, self.catalog.value), format=ox.RdfFormat.N_QUADS)
                return
            # a graph written twice in the batch, or dropped as another's stale text, is replaced whole
            seen = [g for v in stale.values() for g in v] + [iri for iri, *_ in docs]
            parts = []
            for iri, nt, src, digest, inp in docs:
                catalog = {"source": src, "sha256": digest, "input": inp}
                diff = None if stale[iri] or seen.count(iri) > 1 else self._diff(iri, nt)
                if diff is None:
                    parts.extend(self._replace_parts(iri, nt, catalog=catalog, drop=stale[iri]))
                else:
                    parts.extend(diff)
                    parts.extend(self._replace_parts(iri, "", catalog=catalog, keep_graph=True))
            self.ox.update(" ;\n".join(parts))
        except (OSError, SyntaxError, ValueError) as exc:
            raise StoreError("KG301", docs[0][0] if len(docs) == 1 else f"{len(docs)} documents",
                             f"graphs not replaced (store unchanged): {exc}") from exc

    def _diff(self, graph_iri: str, ntriples: str) -> list[str] | None:
        """SPARQL parts turning the stored graph into ``ntriples``, or None where a full replace is due.

        None when the graph is absent, when either side may hold a blank node or a triple term
        (their identity is not comparable across a parse), or when the change exceeds
        :data:`DIFF_MAX_SHARE` of the new graph. Both sides are compared as pyoxigraph writes
        them: the stored graph dumped, the new text parsed and written again, one N-Triples line
        per term-exact triple (literals differ by value, datatype and language as the store sees
        them); comparing those strings is several times cheaper than hashing term objects.

        >>> store = GraphStore.in_memory()
        >>> keep = "".join(f'<http://e/a> <http://e/k> "{k}" .\\n' for k in range(3))
        >>> store.replace_graph("http://e/g", keep + '<http://e/a> <http://e/p> "1" .')
        >>> print("\\n".join(store._diff("http://e/g", keep + '<http://e/a> <http://e/p> "1"@en .')))
        DELETE DATA { GRAPH <http://e/g> {
        <http://e/a> <http://e/p> "1" .
        } }
        INSERT DATA { GRAPH <http://e/g> {
        <http://e/a> <http://e/p> "1"@en .
        } }
        """
        stored = self.ox.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(graph_iri)).decode()
        if not stored or not _plain(stored) or not _plain(ntriples):
            return None
        written = ox.serialize(ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES), format=ox.RdfFormat.N_TRIPLES)
        # split at "\n" only: the writer escapes it in literals, but not other line breaks (U+2028 …)
        old, new = set(stored.split("\n")) - {""}, set(written.decode().split("\n")) - {""}
        gone, added = old - new, new - old
        if len(gone) + len(added) > DIFF_MAX_SHARE * max(len(new), 1):
            return None
        parts = []
        for verb, lines in (("DELETE", gone), ("INSERT", added)):
            if lines:
                body = "".join(line + "\n" for line in sorted(lines))
                parts.append(f"{verb} DATA {{ GRAPH <{graph_iri}> {{\n{body}}} }}")
        return parts

    def remove_document_graph(self, graph_iri: str) -> None:
        """Remove a document graph and its catalog entry in one transaction."""
        self.replace_graph(graph_iri, "", catalog=None)

    # ------------------------------------------------------------------ queries

    def query(self, sparql: str, *, union: bool = True, **kwargs):
        """Run SPARQL with the default graph as the union of all graphs (unless ``union=False``)."""
        return self.ox.query(sparql, use_default_graph_as_union=union, **kwargs)

    def named_graphs(self) -> Iterator[str]:
        for g in self.ox.named_graphs():
            yield g.value

    def __len__(self) -> int:
        return len(self.ox)

    def flush(self) -> None:
        with contextlib.suppress(OSError):  # in-memory stores have nothing to flush
            self.ox.flush()


def nquads(docs: list[DocumentGraph], catalog: str) -> bytes:
    """N-Triples of each document put into its named graph, plus catalog entries, as N-Quads.

    >>> nquads([("http://e/g", '<http://e/a> <http://e/p> "x" .', "a.txt", "d", "")], "http://e/c").decode()
    '<http://e/a> <http://e/p> "x" <http://e/g> .\\n<http://e/g> <https://w3id.org/kgraph/def#graphSource> "a.txt" <http://e/c> .\\n<http://e/g> <https://w3id.org/kgraph/def#graphDigest> "d" <http://e/c> .\\n'
    """
    out: list[str] = []
    for iri, nt, src, digest, inp in docs:
        g = f" <{iri}> .\n"
        body = nt.strip("\n") + "\n" if nt.strip() else ""
        if body.count("\n") == body.count(" .\n") and "\r" not in body:
            out.append(body.replace(" .\n", g))  # one statement per line, each ending " ." (as the build writes)
        else:
            for line in nt.splitlines():
                line = line.rstrip()
                if line and not line.startswith("#"):
                    if not line.endswith("."):
                        raise ValueError(f"not an N-Triples statement: {line[:80]}")
                    out.append(line[:-1].rstrip() + g)
        out.append(f"<{iri}> <{_SOURCE.value}> {ox.Literal(src)} <{catalog}> .\n")
        out.append(f"<{iri}> <{_SHA.value}> {ox.Literal(digest)} <{catalog}> .\n")
        if inp:
            out.append(f"<{iri}> <{_INPUT.value}> {ox.Literal(inp)} <{catalog}> .\n")
    return "".join(out).encode()


#: Largest change, as a share of the new graph's triples, written as a difference (DELETE DATA
#: of the triples that went, INSERT DATA of the new ones) when a build replaces an existing
#: graph; a bigger change drops the graph and inserts it whole.
DIFF_MAX_SHARE = 0.5


def _plain(ntriples: str) -> bool:
    """False when N-Triples may hold a blank node or a triple term (also when a literal merely
    contains ``_:`` or ``<<``: a needless full replace, never a wrong diff).

    >>> _plain('<http://e/a> <http://e/p> "x" .'), _plain('_:b <http://e/p> "x" .')
    (True, False)
    """
    return "_:" not in ntriples and "<<" not in ntriples


#: Attempts at a read-only open while a writer in another process rotates the store's files.
READ_ONLY_ATTEMPTS = 5


def _open_read_only(path: Path) -> ox.Store:
    """Open read-only, retrying while a live writer replaces the manifest being read."""
    for attempt in range(READ_ONLY_ATTEMPTS):
        try:
            return ox.Store.read_only(str(path))
        except RuntimeError as exc:  # a manifest rotated between listing and reading it
            if attempt == READ_ONLY_ATTEMPTS - 1:
                raise StoreError("KG301", str(path), f"cannot open store read-only: {exc}") from exc
            time.sleep(0.05 * (attempt + 1))
    raise AssertionError("unreachable")
