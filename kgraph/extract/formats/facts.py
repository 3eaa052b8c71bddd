"""The original file in the extraction JSON: type, size, hash, source URL, and pages of evidence.

Adds to each document's ``document`` object ``media_type``, ``byte_size``, ``file_sha256``,
``source_url`` and, for a paged original (PDF), ``pages`` (``[{page, start, end}]``); and to
every object with character offsets (mentions, evidence, points, ``also`` passages) the
``page`` its start falls on, looked up in the page map of the document it points into.

>>> from kgraph.model import Document
>>> doc = Document("a.pdf", "one\\ntwo\\n", "ab" * 32, "Other", media_type="application/pdf",
...                pages=((1, 0, 3), (2, 4, 7)))
>>> facts = [{"document": {"id": doc.id}, "amounts": [{"mentions": [{"text": "two", "start": 4, "end": 7}]}]}]
>>> add_file_facts(facts, [doc])
>>> facts[0]["amounts"][0]["mentions"][0]["page"], facts[0]["document"]["pages"][1]
(2, {'page': 2, 'start': 4, 'end': 7})
"""

from __future__ import annotations

from collections.abc import Iterable

from kgraph.model import Document


def add_file_facts(facts: list[dict], docs: Iterable[Document]) -> None:
    """Record each document's file facts and the page of every offset (in place)."""
    by_id = {d.id: d for d in docs}
    for f in facts:
        meta = f["document"]
        doc = by_id.get(meta["id"])
        if doc is None:
            continue
        meta.update(media_type=doc.media_type, byte_size=doc.byte_size, file_sha256=doc.file_sha256,
                    source_url=doc.source_url)
        if doc.pages:
            meta["pages"] = [{"page": p, "start": s, "end": e} for p, s, e in doc.pages]
        for key, value in f.items():
            if key != "document":
                _pages(value, doc, by_id)


def _pages(value, doc: Document, by_id: dict[str, Document]) -> None:
    if isinstance(value, list):
        for v in value:
            _pages(v, doc, by_id)
    elif isinstance(value, dict):
        other = value.get("document")
        here = by_id.get(other, doc) if isinstance(other, str) else doc
        if here.pages and isinstance(value.get("start"), int) and isinstance(value.get("end"), int):
            value["page"] = here.page_at(value["start"])
        for v in value.values():
            if isinstance(v, list | dict):
                _pages(v, here, by_id)
