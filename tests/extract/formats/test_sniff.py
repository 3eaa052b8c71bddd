"""kgraph.extract.formats.sniff: the reader is chosen by content; formats kgraph cannot read are KG106."""

from __future__ import annotations

import io
import zipfile

import pytest

from kgraph.errors import IngestError
from kgraph.extract.formats.sniff import sniff
from tests.extract.formats.builders import make_docx, make_pdf


def _zip(name: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(name, "<x/>")
    return buf.getvalue()


@pytest.mark.parametrize("name", ["paper.pdf", "paper.htm", "download", "page.aspx", "PAPER.PDF"])
def test_pdf_by_content_whatever_the_name(name):
    data = make_pdf("Decision.\n")
    assert sniff(name, data[:8192], data) == "pdf"


@pytest.mark.parametrize("name", ["paper.docx", "paper", "paper.pdf"])
def test_docx_by_content(name):
    data = make_docx("Decision.\n")
    assert sniff(name, data[:8192], data) == "docx"


@pytest.mark.parametrize("head", [b"<!DOCTYPE html><html>", b"\xef\xbb\xbf\n  <html lang='en'>",
                                  b"<?xml version='1.0'?>\n<!-- saved -->\n<html>", b"<HTML><BODY>"])
def test_html_by_content(head):
    assert sniff("mgIssueHistoryHome.aspx", head + b"<body>x</body></html>") == "html"


def test_text_suffix_is_text_and_html_suffix_is_html():
    assert sniff("a.txt", b"%PDF-1.4 inside a text file") == "text"
    assert sniff("a.md", b"<html>raw</html>") == "text"
    assert sniff("fragment.html", b"Just words, no tags") == "html"


@pytest.mark.parametrize("name,data,words", [
    ("sheet.xlsx", _zip("xl/workbook.xml"), "spreadsheet"),
    ("slides.pptx", _zip("ppt/presentation.xml"), "presentation"),
    ("doc.odt", _zip("content.xml"), "OpenDocument"),
    ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), ".doc"),
    ("r.rtf", b"{\\rtf1\\ansi hello}", "RTF"),
    ("scan.png", b"\x89PNG\r\n\x1a\n" + bytes(20), "image"),
    ("paper.pdf", b"KENT COUNTY COUNCIL - RECORD OF DECISION", "not a PDF"),
    ("paper.docx", b"plain words", "not a Word document"),
    ("README", b"plain words", "unsupported file type"),
    ("data.csv", b"a,b\n1,2\n", "unsupported file type"),
])
def test_unreadable_formats_are_kg106_with_advice(name, data, words):
    with pytest.raises(IngestError) as exc:
        sniff(name, data[:8192], data)
    assert exc.value.code == "KG106" and exc.value.subject == name
    assert words in exc.value.message


def test_damaged_zip_is_kg113():
    with pytest.raises(IngestError) as exc:
        sniff("x.docx", b"PK\x03\x04garbage")
    assert exc.value.code == "KG113"
