"""kgraph.extract.formats.facts: file facts on the document, and the page of every offset."""

from __future__ import annotations

import hashlib
from pathlib import Path

from kgraph.extract.formats.facts import add_file_facts
from kgraph.graph.build import extract_corpus
from kgraph.model import Document
from kgraph.settings import Settings
from tests.extract.formats.builders import make_pdf


def _doc(source: str, text: str, pages=()) -> Document:
    return Document(source, text, hashlib.sha256(text.encode()).hexdigest(), "Other",
                    media_type="application/pdf" if pages else "text/plain", pages=pages)


def test_pages_follow_the_document_each_offset_points_into():
    a = _doc("a.pdf", "page one\npage two\n", pages=((1, 0, 8), (2, 9, 17)))
    b = _doc("b.txt", "plain text here\n")
    facts = [
        {"document": {"id": a.id}, "amounts": [{"evidence": {"start": 9, "end": 13, "text": "page"},
                                                "mentions": [{"start": 0, "end": 4, "text": "page"}]}],
         "decision_links": [{"evidence": {"document": b.id, "start": 0, "end": 5},
                             "also": [{"document": a.id, "start": 10, "end": 12}]}]},
        {"document": {"id": b.id}, "amounts": [{"mentions": [{"start": 0, "end": 5, "text": "plain"}]}]},
    ]
    add_file_facts(facts, [a, b])
    fa, fb = facts
    assert fa["document"]["pages"] == [{"page": 1, "start": 0, "end": 8}, {"page": 2, "start": 9, "end": 17}]
    assert fa["amounts"][0]["evidence"]["page"] == 2 and fa["amounts"][0]["mentions"][0]["page"] == 1
    assert "page" not in fa["decision_links"][0]["evidence"]  # it quotes b, which has no pages
    assert fa["decision_links"][0]["also"][0]["page"] == 2
    assert "pages" not in fb["document"] and "page" not in fb["amounts"][0]["mentions"][0]
    assert fb["document"]["media_type"] == "text/plain"


def test_pdf_extraction_json_carries_pages_and_file_facts(tmp_path):
    filler = "\n\n".join(f"Paragraph {i} of background text about the service." for i in range(70))
    text = filler + "\n\nKent County Council will invest £2.65m per year in the service.\n"
    data = make_pdf(text)
    (tmp_path / "r.pdf").write_bytes(data)
    (tmp_path / "r.pdf.url").write_text("https://example.gov.uk/documents/r.pdf\n")
    facts, texts, errors = extract_corpus([tmp_path], Settings(cache_dir=Path("")))
    assert errors == []
    (f,) = facts
    d = f["document"]
    assert (d["media_type"], d["byte_size"], d["file_sha256"]) == \
        ("application/pdf", len(data), hashlib.sha256(data).hexdigest())
    assert d["source_url"] == "https://example.gov.uk/documents/r.pdf"
    assert len(d["pages"]) >= 2
    (amount,) = [a for a in f["amounts"] if a["gbp"] == 2_650_000]
    (m,) = amount["mentions"]
    assert texts[d["id"]][m["start"]:m["end"]] == "£2.65m"
    assert m["page"] == d["pages"][-1]["page"] > 1
