"""kgraph.extract.cache: extractions keyed by text, pipeline fingerprint and council."""

from __future__ import annotations

from kgraph.extract.cache import ExtractionCache
from kgraph.extract.document import extract_document
from kgraph.extract.ingest import document_from_text

TEXT = "The Council will invest £2m per year in the service."


def test_round_trip(tmp_path):
    cache = ExtractionCache(tmp_path)
    doc = document_from_text("a.txt", TEXT)
    assert cache.get(doc) is None
    cache.put(extract_document(doc))
    assert cache.get(doc).amounts[0].gbp == 2_000_000
    # the same text under another name is served from the cache, under that name
    assert cache.get(document_from_text("b.txt", TEXT)).document.source == "b.txt"


def test_the_council_is_part_of_the_key(tmp_path):
    kent = ExtractionCache(tmp_path, "Kent County Council")
    doc = document_from_text("a.txt", TEXT)
    kent.put(extract_document(doc, council="Kent County Council"))
    medway = ExtractionCache(tmp_path, "Medway Council")
    assert medway.get(doc) is None
    assert kent.for_council("Medway Council").get(doc) is None
    assert kent.for_council("Kent County Council") is kent
    medway.put(extract_document(doc, council="Medway Council"))
    assert [o.name for o in medway.get(doc).organisations] == ["Medway Council"]
    assert [o.name for o in kent.get(doc).organisations] == ["Kent County Council"]


def test_an_unreadable_entry_is_a_miss(tmp_path):
    cache = ExtractionCache(tmp_path)
    doc = document_from_text("a.txt", TEXT)
    cache.put(extract_document(doc))
    next(cache.dir.glob("*.pickle")).write_bytes(b"not a pickle")
    assert cache.get(doc) is None
