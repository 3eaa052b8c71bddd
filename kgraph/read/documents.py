"""Source documents: text, metadata and every extracted span with the facts it supports
(``GET /documents/{id}``). A document is its own named graph, read in one scan.

>>> from kgraph.graph.store import GraphStore
>>> from kgraph.read.common import RDF
>>> store = GraphStore.in_memory()
>>> g = "https://w3id.org/kgraph/id/document/00112233445566aa"
>>> store.replace_graph(g, f'<{g}> <{RDF}type> <{KG}RecordOfDecision> ; <{KG}text> "Hello" ; '
...     f'<{KG}source> "a.txt" ; <{KG}sha256> "00112233445566aa99" .')
>>> doc = document(store, "00112233445566AA")
>>> doc["kind"], doc["source"], doc["text"], doc["spans"]
('RecordOfDecision', 'a.txt', 'Hello', [])
"""

from __future__ import annotations

import pyoxigraph as ox

from kgraph.errors import NotFoundError
from kgraph.graph.report import left_out_facts
from kgraph.graph.store import GraphStore
from kgraph.read.common import DCT, KG, OA, RDF, curie, doc_id, term_json, uniq
from kgraph.read.ids import DOC_ID

__all__ = ["document", "document_meta"]

_TYPE = RDF + "type"
DCAT = "http://www.w3.org/ns/dcat#"
SPDX = "http://spdx.org/rdf/terms#"


def _one(store: GraphStore, s: ox.NamedNode, p: str, g: ox.NamedNode) -> ox.Term | None:
    for q in store.ox.quads_for_pattern(s, ox.NamedNode(p), None, g):
        return q.object
    return None


def document_meta(store: GraphStore, iri: str) -> dict:
    """Id, IRI, source file, kind (``RecordOfDecision``, ``CommitteeReport``, …), sha256 and title
    of the document graph ``iri`` (all None but the ids when its graph does not describe it)."""
    g = ox.NamedNode(iri)
    source, sha = _one(store, g, KG + "source", g), _one(store, g, KG + "sha256", g)
    if source is None or sha is None:
        return {"id": doc_id(iri), "iri": iri, "source": None, "kind": None, "sha256": None, "title": None}
    kinds = [q.object.value for q in store.ox.quads_for_pattern(g, ox.NamedNode(_TYPE), None, g)
             if q.object.value != KG + "Document"]
    title = _one(store, g, DCT + "title", g)
    kind = min(kinds, default=KG + "Document")
    return {"id": doc_id(iri), "iri": iri, "source": source.value, "kind": kind[len(KG):],
            "sha256": sha.value, "title": None if title is None else title.value}


def document(store: GraphStore, ident: str) -> dict:
    """A source document: id (16-hex prefix of its SHA-256), source file, kind, sha256, title,
    its full text and every extracted span (start, end, exact text, and ``page`` for a PDF) with
    the facts it supports (subject, predicate, object); and its original file's media type, size,
    SHA-256, source URL and ``pages`` (``[{page, start, end}]`` text offsets, for a PDF); and
    ``left_out``: the facts drawn from it that broke the shapes and were not stored, with why."""
    key = ident.strip().lower()
    if not DOC_ID.match(key):
        raise NotFoundError("KG401", ident, "no document with this id")
    iri = f"{store.base_iri}document/{key[:16]}"
    g = ox.NamedNode(iri)
    text = _one(store, g, KG + "text", g)
    if text is None:
        raise NotFoundError("KG401", ident, "no document with this id")
    props: dict[ox.Term, dict[str, list[ox.Term]]] = {}
    for q in store.ox.quads_for_pattern(None, None, None, g):
        props.setdefault(q.subject, {}).setdefault(q.predicate.value, []).append(q.object)

    def of(s: ox.Term, p: str) -> list[ox.Term]:
        return props.get(s, {}).get(p, [])

    spans: dict[str, dict] = {}
    for ev, ps in props.items():  # evidence: a node with a source and selectors
        if OA + "hasSource" not in ps:
            continue
        sels = of(ev, OA + "hasSelector")
        for exact in (x for s in sels for x in of(s, OA + "exact")):
            for start, end in ((a, b) for s in sels for a in of(s, OA + "start") for b in of(s, OA + "end")):
                spans[ev.value] = {"start": int(start.value), "end": int(end.value), "exact": exact.value,
                                   "supports": []}
    for x, ps in props.items():
        for ev in ps.get(KG + "evidence", []):
            span = spans.get(ev.value)
            if span is None:
                continue
            if RDF + "subject" in ps:
                facts = [(s, p, o) for s in ps[RDF + "subject"] for p in ps.get(RDF + "predicate", [])
                         for o in ps.get(RDF + "object", [])]
            else:
                facts = [(x, ox.NamedNode(_TYPE), o) for o in ps.get(_TYPE, [])]
            span["supports"] += [{"subject": term_json(s), "predicate": curie(p.value),
                                  "predicate_iri": p.value, "object": term_json(o)} for s, p, o in facts]
    for ev, span in spans.items():  # the page of a paged original (PDF) the span starts on
        page = of(ox.NamedNode(ev), KG + "page")
        if page:
            span["page"] = int(page[0].value)
    out = sorted(spans.values(), key=lambda s: (s["start"], s["end"]))
    for s in out:
        s["supports"] = sorted(uniq(s["supports"]),
                               key=lambda f: (f["predicate"], f["subject"]["value"], f["object"]["value"]))
    return document_meta(store, iri) | _original_file(g, of) | {"text": text.value, "spans": out,
                                                                 "left_out": left_out_facts(store, iri)}


def _original_file(g: ox.NamedNode, of) -> dict:
    """Media type, size, SHA-256 and source URL of the document's original file, and its pages."""
    media = of(g, DCAT + "mediaType")
    size = of(g, DCAT + "byteSize")
    checksum = [v for c in of(g, SPDX + "checksum") for v in of(c, SPDX + "checksumValue")]
    url = of(g, DCT + "source")
    pages = sorted(({"page": int(n.value), "start": int(s.value), "end": int(e.value)}
                    for pg in of(g, KG + "hasPage") for n in of(pg, KG + "page")
                    for s in of(pg, OA + "start") for e in of(pg, OA + "end")), key=lambda x: x["page"])
    return {"media_type": media[0].value.rsplit("/media-types/", 1)[-1] if media else None,
            "byte_size": int(size[0].value) if size else None,
            "file_sha256": checksum[0].value if checksum else None,
            "source_url": url[0].value if url else None, "pages": pages}
