"""Word (.docx) to text: paragraphs, headings and tables in document order (python-docx).

Headings stand on their own line between blank lines; list paragraphs start with ``- ``;
a table row becomes one line with its cells two spaces apart (``Total  £2.65m``), merged
cells once. Text inside content controls (``w:sdt``, common in council templates), hyperlinks
and fields is kept; page headers and footers are not part of the body and are left out.
"""

from __future__ import annotations

import io
import re
import zipfile

from kgraph.errors import IngestError
from kgraph.extract.formats.base import Extracted

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
#: Largest uncompressed ``word/document.xml`` read (a guard against ZIP bombs).
MAX_XML_BYTES = 200_000_000
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_SPACES = re.compile(r"[ \t\u00a0]+")


def read_docx(source: str, data: bytes, *, max_chars: int) -> Extracted:
    """Text of a Word document, or an :class:`IngestError` naming the file."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        info = zipfile.ZipFile(io.BytesIO(data)).getinfo("word/document.xml")
        if info.file_size > MAX_XML_BYTES:
            raise IngestError("KG108", source, f"Word document body is {info.file_size} bytes uncompressed; "
                              "split the file into parts")
        document = docx.Document(io.BytesIO(data))
    except IngestError:
        raise
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError, SyntaxError) as exc:
        raise IngestError("KG113", source, f"Word document is damaged ({exc}); re-save it from Word") from exc
    styles = {s.style_id: (s.name or "") for s in document.styles}
    blocks: list[str] = []
    size = 0
    for block in _blocks(document.element.body, styles):
        blocks.append(block)
        size += len(block) + 2
        if size > max_chars:
            raise IngestError("KG108", source, f"document text is over {max_chars} characters "
                              "(max_document_chars); split the file into parts")
    text = "\n\n".join(b for b in blocks if b.strip())
    if not text.strip():
        raise IngestError("KG102", source, "Word document has no text")
    return Extracted(text=text + "\n", media_type=MEDIA_TYPE)


def _blocks(body, styles: dict[str, str]):
    """Paragraph and table blocks of a body (or table cell / content control) in order."""
    for el in body.iterchildren():
        tag = el.tag
        if tag == f"{_W}p":
            text = _para_text(el)
            if not text.strip():
                continue
            style = styles.get(_style_id(el), "")
            if style.lower().startswith(("heading", "title")):
                yield text.strip()
            elif el.find(f"{_W}pPr/{_W}numPr") is not None or "list" in style.lower():
                yield "- " + text.strip()
            else:
                yield text.strip()
        elif tag == f"{_W}tbl":
            rows = [r for r in (_row_text(tr, styles) for tr in el.iterchildren(f"{_W}tr")) if r]
            if rows:
                yield "\n".join(rows)
        elif tag == f"{_W}sdt":
            content = el.find(f"{_W}sdtContent")
            if content is not None:
                yield from _blocks(content, styles)


def _style_id(p) -> str:
    st = p.find(f"{_W}pPr/{_W}pStyle")
    return st.get(f"{_W}val") if st is not None else ""


def _para_text(p) -> str:
    parts: list[str] = []
    for el in p.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr", f"{_W}noBreakHyphen"):
        if el.tag == f"{_W}t":
            parts.append(el.text or "")
        elif el.tag == f"{_W}noBreakHyphen":
            parts.append("-")
        elif el.tag == f"{_W}tab":
            parts.append("\t")
        else:
            parts.append("\n")
    return _SPACES.sub(" ", "".join(parts))


def _row_text(tr, styles: dict[str, str]) -> str:
    cells: list[str] = []
    for tc in tr.iterchildren(f"{_W}tc"):
        merge = tc.find(f"{_W}tcPr/{_W}vMerge")
        if merge is not None and merge.get(f"{_W}val") != "restart":
            continue  # continuation of a vertically merged cell
        text = " ".join(" ".join(b.split()) for b in _blocks(tc, styles) if b.strip())
        if text:
            cells.append(text)
    return "  ".join(cells)
