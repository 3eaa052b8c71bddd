"""Which reader a file needs, from its first bytes (magic numbers), not only its name.

A ``.txt``/``.md`` file is text. Any other file is read by its content: PDF, Word (.docx)
or HTML by their magic bytes or markup whatever the name (``.pdf``, ``.aspx``, none); a
file named ``.pdf``/``.docx`` whose content is something else is refused (KG106).

>>> sniff("a.pdf", b"%PDF-1.7\\n...")
'pdf'
>>> sniff("page.aspx", b"\\n<!DOCTYPE html><html><body>x</body></html>")
'html'
>>> sniff("notes.md", "# Record of Decision".encode())
'text'
>>> sniff("download", b"%PDF-1.4")
'pdf'
>>> sniff("old.doc", b"\\xd0\\xcf\\x11\\xe0\\xa1\\xb1\\x1a\\xe1" + bytes(50))
Traceback (most recent call last):
...
kgraph.errors.IngestError: [KG106] old.doc: file is an old-style Word (.doc) file or a password-protected Office file; save it as .docx or PDF (without a password)
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import PurePath

from kgraph.errors import IngestError

TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".text")
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
PDF_SUFFIXES = (".pdf",)
DOCX_SUFFIXES = (".docx",)
#: Every suffix kgraph reads; a file of another suffix is read only if its content is PDF, DOCX or HTML.
SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + PDF_SUFFIXES + DOCX_SUFFIXES

_HTML_START = re.compile(rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])",
                         re.I | re.S)
_HTML_TAGS = re.compile(rb"<(?:head|body|div|p|table|title)[\s>]", re.I)
_OTHER = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old-style Word (.doc) file or a password-protected Office file; "
     "save it as .docx or PDF (without a password)"),
    (b"{\\rtf", "a Rich Text (RTF) file; save it as .docx or PDF"),
    (b"\x89PNG", "an image (PNG); OCR it to text or PDF first"),
    (b"\xff\xd8\xff", "an image (JPEG); OCR it to text or PDF first"),
    (b"GIF8", "an image (GIF)"),
    (b"\x1f\x8b", "a gzip archive; unpack it first"),
)


def sniff(name: str, head: bytes, data: bytes | None = None) -> str:
    """``pdf``, ``docx``, ``html`` or ``text`` for a file ``name`` starting with ``head``.

    ``data`` (the whole file) is needed only to look inside a ZIP container. Raises
    :class:`IngestError` KG106 for formats kgraph does not read, and for a binary-format
    name (``.pdf``, ``.docx``) whose content is something else.
    """
    suffix = PurePath(name).suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return "text"  # named as text: read as text (binary content is then a KG103 error)
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(name, data if data is not None else head)
    for magic, what in _OTHER:
        if head.startswith(magic):
            raise IngestError("KG106", name, f"file is {what}")
    if _HTML_START.match(head[:4096]) or (suffix in HTML_SUFFIXES and _HTML_TAGS.search(head[:8192])):
        return "html"
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in PDF_SUFFIXES + DOCX_SUFFIXES:
        raise IngestError("KG106", name, f"file is named {suffix} but its content is not a "
                          f"{'PDF' if suffix == '.pdf' else 'Word document'}; rename it or re-download it")
    raise IngestError("KG106", name, f"unsupported file type {suffix or '(none)'!r}; expected one of "
                      f"{', '.join(SUFFIXES)} (or a file whose content is PDF, DOCX or HTML)")


def _zip_kind(name: str, data: bytes) -> str:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise IngestError("KG113", name, f"file is a damaged ZIP/Office container ({exc})") from exc
    if "word/document.xml" in names:
        return "docx"
    what = ("a spreadsheet (.xlsx)" if "xl/workbook.xml" in names else
            "a presentation (.pptx)" if "ppt/presentation.xml" in names else
            "an OpenDocument file" if "content.xml" in names else "a ZIP archive")
    raise IngestError("KG106", name, f"file is {what}; kgraph reads PDF, DOCX, HTML and text")
