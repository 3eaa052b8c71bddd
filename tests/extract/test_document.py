"""kgraph.extract.document: extraction never raises, keeps offsets valid, and stays linear in time.

Property tests (hypothesis) over arbitrary text built from the pieces council papers are made
of, plus plain arbitrary unicode.
"""

from __future__ import annotations

import dataclasses
import time

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


SENTENCES = [
    "{org} will fund the service with {money} per year from April 2024.",
    "The Council has a duty under section {n} of the Children Act 1989 to provide it.",
    "This decision follows on from decision number 19/{n:05d} taken on 15 November 2019.",
    "An agreement under section 75 of the National Health Service Act 2006 with {org} is proposed.",
    "The total contract value is {money} over {n} years, with an option to extend.",
    "Officers consulted {org} and {org} between 1 May 2019 and 3 June 2019.",
    "Members noted that the arrangement with {org} ends in March.",
]
ORGS = ["NELFT", "Kent County Council", "West Kent CCG", "NHS England", "Medway Council"]
sentence = st.builds(lambda tpl, org, n, m: tpl.format(org=org, n=n, money=f"£{m:,}"),
                     st.sampled_from(SENTENCES), st.sampled_from(ORGS), st.integers(1, 250), st.integers(1000, 9_999_999))
paragraph = st.lists(sentence, min_size=2, max_size=5).map(" ".join)
paper_units = st.lists(paragraph, min_size=6, max_size=10).map(
    lambda ps: "DECISION NO:\n19/00076\n\nSubject: Services\n\n" + "\n\n".join(f"1.{i} {p}" for i, p in enumerate(ps, 1)))


def _seconds(text: str) -> float:
    doc = _document(text)
    extract_document(doc)
    best = float("inf")
    for _ in range(3):
        t = time.perf_counter()
        extract_document(doc)
        best = min(best, time.perf_counter() - t)
    return best


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(paper_units)
def test_extraction_time_stays_linear_in_length(unit):
    """A paper eight times as long takes at most about eight times as long (quadratic would be 64)."""
    small = _seconds(unit)
    large = _seconds("\n\n".join([unit] * 8))
    assert large < 8 * small * 2.5 + 0.05, (len(unit), small, large)


def test_long_punctuation_runs_stay_linear():
    for ch in ("(", ")", "£", ".", "\n", "-"):
        small = _seconds(f"Intro. {ch * 2000} end.")
        large = _seconds(f"Intro. {ch * 16000} end.")
        assert large < 8 * small * 2.5 + 0.05, (ch, small, large)
