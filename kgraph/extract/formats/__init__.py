"""Readers for the file formats councils publish: text/Markdown, PDF, Word (.docx) and HTML.

The reader is chosen by content (:func:`~kgraph.extract.formats.sniff.sniff`), one module
per format; each returns an :class:`~kgraph.extract.formats.base.Extracted` (text, media type,
page map) or raises a coded :class:`~kgraph.errors.IngestError` naming the file.

>>> read_bytes("notes.md", "# Record of Decision\\n".encode()).media_type
'text/markdown'
>>> read_bytes("page.htm", b"<html><body><p>Decision Maker: Leader</p></body></html>").text
'Decision Maker: Leader\\n'
"""

from __future__ import annotations

from pathlib import PurePath

from kgraph.errors import IngestError
from kgraph.extract.formats.base import Extracted, page_at
from kgraph.extract.formats.sniff import SUFFIXES, sniff

__all__ = ["Extracted", "SUFFIXES", "page_at", "read_bytes", "sniff"]

#: Characters a document may have: spaCy's default ``nlp.max_length``.
MAX_DOCUMENT_CHARS = 1_000_000


def read_bytes(name: str, data: bytes, *, max_chars: int = MAX_DOCUMENT_CHARS) -> Extracted:
    """The text of a file's bytes, read by the reader its content calls for."""
    kind = sniff(name, data[:8192], data)
    if kind == "pdf":
        from kgraph.extract.formats.pdf import read_pdf

        return read_pdf(name, data, max_chars=max_chars)
    if kind == "docx":
        from kgraph.extract.formats.docx import read_docx

        return read_docx(name, data, max_chars=max_chars)
    if kind == "html":
        from kgraph.extract.formats.html import read_html

        return read_html(name, data, max_chars=max_chars)
    from kgraph.extract.formats.text import decode

    text = decode(name, data)
    if len(text) > max_chars:
        raise IngestError("KG108", name, f"document text is {len(text)} characters, above "
                          f"max_document_chars={max_chars}; split the file into parts")
    suffix = PurePath(name).suffix.lower()
    return Extracted(text=text, media_type="text/markdown" if suffix in (".md", ".markdown") else "text/plain")
