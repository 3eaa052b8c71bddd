"""kgraph.extract.document: extraction never raises and keeps offsets valid.

Property tests (hypothesis) over arbitrary text built from the pieces council papers are made
of, plus plain arbitrary unicode.
"""

from __future__ import annotations

import dataclasses

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kgraph.extract.document import extract_document
from kgraph.extract.ingest import document_from_text
from kgraph.model import Document

PIECES = [
    "The Council", "KCC", "NELFT", "Kent County Council", "agreed", "to invest", "£2.65m", "£1,434,000",
    "per year", "2023/24", "Section 76", "section 75(1)", "of the", "National Health Service Act 2006",
    "Children Act 1989", "DECISION NO:", "19/00076", "Subject:", "Reasons for decision:", "Legal Implications",
    "1.", "2.3", "a)", "-", "•", "(", ")", ".", ",", ":", ";", "£", "%", "/", "\n", "\n\n", "  ", "\t", "\r\n",
    "Signed", "Date:", "15 November 2019", "Cabinet Member for Adult Social Care", "no.", "e.g.", "i.e.",
    "“", "”", "'", "#", "**", "|",
]
papers = st.lists(st.sampled_from(PIECES), min_size=1, max_size=120).map(" ".join)
anything = st.text(min_size=1, max_size=400)


def _document(text: str) -> Document:
    """A Document as ingest would make it, even for text ingest refuses (empty, binary-looking)."""
    try:
        return document_from_text("x.txt", text)
    except Exception:
        import hashlib

        return Document("x.txt", text, hashlib.sha256(text.encode("utf-8", "replace")).hexdigest(), "Other")


def _spans(obj, path="ext"):
    """Every (path, text, start, end) found in the extraction, however deeply nested."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        names = {f.name for f in dataclasses.fields(obj)}
        if {"start", "end"} <= names and isinstance(obj.start, int):
            yield path, getattr(obj, "text", None), obj.start, obj.end
        for f in dataclasses.fields(obj):
            if f.name != "document":
                yield from _spans(getattr(obj, f.name), f"{path}.{f.name}")
    elif isinstance(obj, list | tuple):
        for i, x in enumerate(obj):
            yield from _spans(x, f"{path}[{i}]")


def _check(text: str) -> None:
    doc = _document(text)
    ext = extract_document(doc)
    n = len(doc.text)
    for path, quoted, start, end in _spans(ext):
        assert 0 <= start <= end <= n, (path, start, end, n)
        if isinstance(quoted, str):
            assert doc.text[start:end] == quoted, (path, quoted, doc.text[start:end])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(papers)
def test_paper_like_text_never_raises_and_offsets_stay_valid(text):
    _check(text)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(anything)
def test_arbitrary_text_never_raises_and_offsets_stay_valid(text):
    _check(text)
