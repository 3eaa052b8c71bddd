"""Pages per second reading PDF, Word and HTML papers, and through the whole extraction.

``python bench/formats_bench.py [--copies N]`` writes the five seed papers (``corpus/``) as
PDF, DOCX and HTML (and keeps the text), each ``N`` times over in one file to make papers of
realistic length, then measures for each format:

- **read**: bytes → text (:func:`kgraph.extract.formats.read_bytes`), pages per second;
- **extract**: read + sections + the spaCy pipeline (:func:`kgraph.extract.document.extract_document`).

A "page" is a PDF page; DOCX, HTML and text count the pages of the same text as a PDF, so
the rows compare. When pdfplumber, pdfminer.six, pypdf, trafilatura or selectolax are
installed, their plain text extraction of the same files is timed too (the libraries kgraph
did not choose, for comparison).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kgraph.extract.document import extract_document  # noqa: E402
from kgraph.extract.formats import read_bytes  # noqa: E402
from kgraph.extract.ingest import document_from_text  # noqa: E402
from tests.extract.formats.builders import make_docx, make_html, make_pdf  # noqa: E402


def timed(fn, *, min_seconds: float = 1.0) -> float:
    """Seconds per call of ``fn`` (repeated for at least ``min_seconds``)."""
    fn()
    n, t0 = 0, time.perf_counter()
    while True:
        fn()
        n += 1
        dt = time.perf_counter() - t0
        if dt >= min_seconds:
            return dt / n


def _others(pdfs: list[bytes], htmls: list[bytes]) -> list[tuple[str, str, object]]:
    import io

    rows = []
    try:
        import pdfplumber

        rows.append(("pdf", "pdfplumber", lambda: [
            "".join(p.extract_text() or "" for p in pdfplumber.open(io.BytesIO(b)).pages) for b in pdfs]))
    except ImportError:
        pass
    try:
        from pdfminer.high_level import extract_text

        rows.append(("pdf", "pdfminer.six", lambda: [extract_text(io.BytesIO(b)) for b in pdfs]))
    except ImportError:
        pass
    try:
        import pypdf

        rows.append(("pdf", "pypdf", lambda: [
            "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(b)).pages) for b in pdfs]))
    except ImportError:
        pass
    try:
        import pypdfium2 as pdfium

        rows.append(("pdf", "pypdfium2 (plain text)", lambda: [
            "".join(pdfium.PdfDocument(b)[i].get_textpage().get_text_range() for i in range(len(pdfium.PdfDocument(b))))
            for b in pdfs]))
    except ImportError:
        pass
    try:
        import trafilatura

        rows.append(("html", "trafilatura", lambda: [trafilatura.extract(b.decode(), include_tables=True)
                                                     for b in htmls]))
    except ImportError:
        pass
    try:
        from selectolax.lexbor import LexborHTMLParser as HTMLParser

        rows.append(("html", "selectolax (body text)", lambda: [HTMLParser(b).body.text(separator="\n")
                                                                for b in htmls]))
    except ImportError:
        pass
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--copies", type=int, default=3, help="seed texts repeated in each file (default 3)")
    args = ap.parse_args()
    texts = ["\n\n".join([p.read_text(encoding="utf-8")] * args.copies) for p in sorted((ROOT / "corpus").glob("*.txt"))]
    files = {
        "pdf": [make_pdf(t) for t in texts],
        "docx": [make_docx(t) for t in texts],
        "html": [make_html(t) for t in texts],
        "text": [t.encode() for t in texts],
    }
    import pypdfium2 as pdfium

    pages = sum(len(pdfium.PdfDocument(b)) for b in files["pdf"])
    print(f"{len(texts)} papers, {pages} PDF pages ({args.copies} copies of each seed per paper)\n")
    print("| format | reader | read pages/s | extract pages/s | MB/s read |")
    print("|---|---|---:|---:|---:|")
    for fmt, blobs in files.items():
        name = f"x.{'md' if fmt == 'text' else fmt}"
        read = timed(lambda blobs=blobs, name=name: [read_bytes(name, b) for b in blobs])
        docs = [document_from_text(name, read_bytes(name, b).text) for b in blobs]
        extract = timed(lambda docs=docs: [extract_document(d) for d in docs], min_seconds=2.0)
        size = sum(len(b) for b in blobs) / 1e6
        reader = {"pdf": "pypdfium2 + layout", "docx": "python-docx XML", "html": "lxml", "text": "decode"}[fmt]
        print(f"| {fmt} | {reader} | {pages / read:,.0f} | {pages / (read + extract):,.0f} | {size / read:,.1f} |")
    others = _others(files["pdf"], files["html"])
    if others:
        print("\nOther libraries (plain text only, no layout step), same files:\n")
        print("| format | library | pages/s |")
        print("|---|---|---:|")
        for fmt, lib, fn in others:
            print(f"| {fmt} | {lib} | {pages / timed(fn):,.0f} |")


if __name__ == "__main__":
    main()
