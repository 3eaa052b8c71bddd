"""Read source files into :class:`~kgraph.model.Document` objects.

Files are text, Markdown, PDF, Word (.docx) or HTML, told apart by content
(:mod:`kgraph.extract.formats`). Only regular files are read: FIFOs, devices, sockets and
symbolic-link loops, named directly or met inside a directory, are reported by name (KG109)
and never opened for reading. A source URL comes from a sidecar (``<file>.url`` or
``<file>.meta.json``), a front-matter line ``source: https://…`` in a text file, or an HTML
page's canonical link, in that order.

>>> doc = document_from_text("notes.txt", "KENT COUNTY COUNCIL - RECORD OF DECISION\\n")
>>> doc.kind, len(doc.sha256)
('RecordOfDecision', 64)
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from kgraph.errors import IngestError
from kgraph.extract.formats import MAX_DOCUMENT_CHARS, read_bytes
from kgraph.extract.formats.sniff import SUFFIXES, sniff
from kgraph.extract.formats.text import decode
from kgraph.model import Document

__all__ = ["SUFFIXES", "decode", "detect_kind", "document_from_text", "iter_source_files",
           "read_document", "read_documents"]

#: Sidecar files that carry a document's source URL; never read as documents themselves.
SIDECARS = (".url", ".meta.json")
#: Largest sidecar file read, in bytes.
MAX_SIDECAR_BYTES = 65_536

_ROD = re.compile(r"RECORD\s+OF\s+DECISION", re.IGNORECASE)
_REPORT = re.compile(
    r"(^\s*Summary:|Recommendation\(s\)\s*:|Cabinet\s+Committee\s+is\s+asked\s+to)",
    re.IGNORECASE | re.MULTILINE,
)
_FRONT = re.compile(r"^\s*(?:source|source_url|url)\s*:\s*(\S+)\s*$", re.IGNORECASE)
_URL = re.compile(r"^https?://[^\s<>\"]{1,2040}$")


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


def document_from_text(source: str, text: str, **file_facts) -> Document:
    """A Document from already-decoded text (no checks beyond emptiness).

    ``file_facts`` are the original file's :class:`~kgraph.model.Document` fields
    (``media_type``, ``byte_size``, ``file_sha256``, ``pages``, ``source_url``).
    """
    if not text.strip():
        raise IngestError("KG102", source, "file is empty (no text to read)")
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return Document(source=source, text=text, sha256=sha, kind=detect_kind(text), **file_facts)


def _file_kind(mode: int) -> str:
    return ("a FIFO (named pipe)" if stat.S_ISFIFO(mode) else "a character device" if stat.S_ISCHR(mode)
            else "a block device" if stat.S_ISBLK(mode) else "a socket" if stat.S_ISSOCK(mode)
            else "not a regular file")


def read_regular(path: Path, name: str, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; anything else is a coded error.

    The file is checked before it is opened (no FIFO is ever opened, so none can block) and
    again on the open descriptor, and never more than ``limit + 1`` bytes are read.
    """
    link = f" (a link to {os.readlink(path)})" if path.is_symlink() else ""
    try:
        st = os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise IngestError("KG109", name, "symbolic link loop; skipped") from exc
        raise IngestError("KG101", name, f"cannot read file: {exc.strerror or exc}") from exc
    if stat.S_ISDIR(st.st_mode):
        raise IngestError("KG101", name, "cannot read file: it is a directory")
    if not stat.S_ISREG(st.st_mode):
        raise IngestError("KG109", name, f"{_file_kind(st.st_mode)}{link}, not a regular file; skipped without reading it")
    if st.st_size > limit:
        raise IngestError("KG105", name, f"file is {st.st_size} bytes, above the limit of {limit}")
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise IngestError("KG101", name, f"cannot read file: {exc.strerror or exc}") from exc
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise IngestError("KG109", name, "changed into a special file while being read; skipped")
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise IngestError("KG101", name, f"cannot read file: {exc.strerror or exc}") from exc
    finally:
        os.close(fd)
    if size > limit:
        raise IngestError("KG105", name, f"file is over {limit} bytes (it grew while being read)")
    return b"".join(chunks)


def source_url(path: Path, text: str | None = None) -> str | None:
    """The source URL of ``path`` from its sidecar, else from a front-matter line of ``text``.

    >>> source_url(Path("/nonexistent/a.txt"), "---\\nsource: https://example.org/d/1\\n---\\nText")
    'https://example.org/d/1'
    """
    for suffix in SIDECARS:
        side = path.with_name(path.name + suffix)
        if not (side.exists() or side.is_symlink()):
            continue
        raw = decode(side.name, read_regular(side, side.name, MAX_SIDECAR_BYTES))
        if suffix == ".url":  # one URL, or an Internet Shortcut ("[InternetShortcut]" / "URL=...")
            lines = [ln.strip() for ln in raw.splitlines() if ln.strip()]
            url = next((m.group(1) for ln in lines if (m := re.match(r"URL\s*=\s*(\S+)", ln, re.I))), None) \
                or next((ln for ln in lines if not ln.startswith("[")), "")
        else:
            try:
                meta = json.loads(raw)
            except ValueError as exc:
                raise IngestError("KG115", side.name, f"sidecar is not valid JSON ({exc})") from exc
            url = next((str(meta[k]) for k in ("source_url", "source", "url")
                        if isinstance(meta, dict) and meta.get(k)), "")
        if not _URL.match(url):
            raise IngestError("KG115", side.name, f"sidecar gives {url[:80]!r}, not an http(s) URL")
        return url
    if text is not None:
        lines = text.lstrip("\ufeff").splitlines()[:12]
        fenced = bool(lines) and lines[0].strip() == "---"
        for ln in lines[1:] if fenced else lines[:3]:
            if fenced and ln.strip() == "---":
                break
            m = _FRONT.match(ln)
            if m and _URL.match(m.group(1)):
                return m.group(1)
    return None


def read_document(path: Path, *, max_bytes: int = 5_000_000, source: str | None = None,
                  max_binary_bytes: int = 50_000_000, max_chars: int = MAX_DOCUMENT_CHARS) -> Document:
    """Read one file into a Document; raise :class:`IngestError` (coded) when it cannot be read.

    ``max_bytes`` bounds text and HTML files, ``max_binary_bytes`` PDF and Word files, and
    ``max_chars`` the text taken from any of them.
    """
    name = source or path.name
    data = read_regular(path, name, max(max_bytes, max_binary_bytes))
    kind = sniff(name, data[:8192], data)
    if kind in ("text", "html") and len(data) > max_bytes:
        raise IngestError("KG105", name, f"file is {len(data)} bytes, above max_file_bytes={max_bytes}")
    if kind in ("pdf", "docx") and len(data) > max_binary_bytes:
        raise IngestError("KG105", name, f"file is {len(data)} bytes, above max_binary_file_bytes={max_binary_bytes}")
    got = read_bytes(name, data, max_chars=max_chars)
    url = source_url(path, got.text if kind == "text" else None) or got.source_url
    return document_from_text(name, got.text, media_type=got.media_type, byte_size=len(data),
                              file_sha256=hashlib.sha256(data).hexdigest(), pages=got.pages, source_url=url)


def ingest_limits(settings) -> dict:
    """The keyword arguments of :func:`read_document` from a :class:`~kgraph.settings.Settings`."""
    return {"max_bytes": settings.max_file_bytes, "max_binary_bytes": settings.max_binary_file_bytes,
            "max_chars": settings.max_document_chars}


def iter_source_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Files named directly, and entries under directories (sorted).

    Hidden files and directories and sidecars (``*.url``, ``*.meta.json``) are skipped, and
    so are links to directories (no loop can be walked); FIFOs, devices and broken or looping
    links are yielded so that :func:`read_document` reports them by name.
    """
    for p in paths:
        if p.is_dir():
            found: list[Path] = []
            for root, dirs, files in os.walk(p, followlinks=False):
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                base = Path(root)
                found += [base / f for f in files if not f.startswith(".") and not f.endswith(SIDECARS)]
            yield from sorted(found)
        else:
            yield p


def read_documents(paths: Iterable[Path], *, max_bytes: int = 5_000_000, max_binary_bytes: int = 50_000_000,
                   max_chars: int = MAX_DOCUMENT_CHARS) -> tuple[list[Document], list[IngestError]]:
    """Read every file; bad files become errors and do not stop the others."""
    docs: list[Document] = []
    errors: list[IngestError] = []
    for f in iter_source_files(paths):
        try:
            docs.append(read_document(f, max_bytes=max_bytes, max_binary_bytes=max_binary_bytes,
                                      max_chars=max_chars))
        except IngestError as exc:
            errors.append(exc)
    return docs, errors
