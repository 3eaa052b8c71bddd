"""Read source files into :class:`~kgraph.model.Document` objects.

>>> doc = document_from_text("notes.txt", "KENT COUNTY COUNCIL - RECORD OF DECISION\\n")
>>> doc.kind, len(doc.sha256)
('RecordOfDecision', 64)
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from kgraph.errors import IngestError
from kgraph.model import Document

#: File suffixes read as text (plain text and Markdown).
SUFFIXES = (".txt", ".md", ".markdown", ".text")

_ROD = re.compile(r"RECORD\s+OF\s+DECISION", re.IGNORECASE)
_REPORT = re.compile(
    r"(^\s*Summary:|Recommendation\(s\)\s*:|Cabinet\s+Committee\s+is\s+asked\s+to)",
    re.IGNORECASE | re.MULTILINE,
)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def detect_kind(text: str) -> str:
    """``RecordOfDecision``, ``CommitteeReport`` or ``Other``, from the text alone.

    >>> detect_kind("KENT COUNTY COUNCIL – PROPOSED RECORD OF DECISION")
    'RecordOfDecision'
    >>> detect_kind(" Summary:  This report provides an update")
    'CommitteeReport'
    >>> detect_kind("Minutes of the meeting")
    'Other'
    """
    head = text[:1500]
    if _ROD.search(head):
        return "RecordOfDecision"
    if _REPORT.search(text):
        return "CommitteeReport"
    return "Other"


def document_from_text(source: str, text: str) -> Document:
    """A Document from already-decoded text (no checks beyond emptiness)."""
    if not text.strip():
        raise IngestError("KG102", source, "file is empty (no text to read)")
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return Document(source=source, text=text, sha256=sha, kind=detect_kind(text))


def decode(source: str, data: bytes) -> str:
    """Bytes to text, or an :class:`IngestError` naming the file and the problem.

    >>> decode("a.txt", b"\\xef\\xbb\\xbfhello")
    'hello'
    >>> decode("b.txt", b"caf\\xe9")
    Traceback (most recent call last):
    ...
    kgraph.errors.IngestError: [KG104] b.txt: file is not valid UTF-8 text (invalid byte 0xe9 at offset 3); re-save it as UTF-8
    """
    if not data.strip():
        raise IngestError("KG102", source, "file is empty (no text to read)")
    if b"\x00" in data[:8192]:
        raise IngestError("KG103", source, "file looks binary (it contains NUL bytes); give a text or Markdown file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad = data[exc.start : exc.start + 1].hex()
        raise IngestError(
            "KG104",
            source,
            f"file is not valid UTF-8 text (invalid byte 0x{bad} at offset {exc.start}); re-save it as UTF-8",
        ) from exc
    sample = text[:8192]
    if sample and len(_CONTROL.findall(sample)) / len(sample) > 0.05:
        raise IngestError("KG103", source, "file looks binary (too many control characters)")
    return text


def read_document(path: Path, *, max_bytes: int = 5_000_000, source: str | None = None) -> Document:
    """Read one file into a Document; raise :class:`IngestError` (coded) when it cannot be read."""
    name = source or path.name
    if path.suffix.lower() not in SUFFIXES:
        raise IngestError("KG106", name, f"unsupported file type {path.suffix or '(none)'!r}; expected one of {', '.join(SUFFIXES)}")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise IngestError("KG105", name, f"file is {size} bytes, above max_file_bytes={max_bytes}")
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError("KG101", name, f"cannot read file: {exc.strerror or exc}") from exc
    return document_from_text(name, decode(name, data))


def iter_source_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Files named directly, and files under directories (sorted, hidden files skipped)."""
    for p in paths:
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.is_file() and not any(part.startswith(".") for part in f.relative_to(p).parts):
                    yield f
        else:
            yield p


def read_documents(paths: Iterable[Path], *, max_bytes: int = 5_000_000) -> tuple[list[Document], list[IngestError]]:
    """Read every file; bad files become errors and do not stop the others."""
    docs: list[Document] = []
    errors: list[IngestError] = []
    for f in iter_source_files(paths):
        try:
            docs.append(read_document(f, max_bytes=max_bytes))
        except IngestError as exc:
            errors.append(exc)
    return docs, errors
