"""kgraph.extract.formats.docx: paragraphs, headings, lists, tables and content controls in order."""

from __future__ import annotations

import io

import pytest

from kgraph.errors import IngestError
from kgraph.extract.formats.docx import read_docx
from kgraph.extract.sections import split_sections
from tests.extract.formats.builders import make_docx

LIMIT = 1_000_000


def test_headings_paragraphs_bullets_and_table_rows():
    text = ("# RECORD OF DECISION\n\nDECISION NO:\n\n24/00012\n\n- first point\n- second point\n\n"
            "1.8 Funding:\n\nSupport to Early Help Units  £1.2m\nTotal  £1.2m\n")
    got = read_docx("a.docx", make_docx(text), max_chars=LIMIT)
    assert got.text == ("RECORD OF DECISION\n\nDECISION NO:\n\n24/00012\n\n- first point\n\n- second point\n\n"
                        "1.8 Funding:\n\nSupport to Early Help Units  £1.2m\nTotal  £1.2m\n")
    assert got.media_type.endswith("wordprocessingml.document") and got.pages == ()
    table = [s for s in split_sections(got.text, "CommitteeReport") if s.name == "table"][0]
    assert [(r.label, r.value) for r in table.rows] == [("Support to Early Help Units", "£1.2m"), ("Total", "£1.2m")]


def test_header_is_left_out_and_content_controls_merged_cells_kept():
    from docx import Document
    from docx.oxml import parse_xml

    doc = Document()
    doc.sections[0].header.paragraphs[0].text = "Running header"
    doc.add_paragraph("Before the control.")
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    doc.element.body.insert(1, parse_xml(
        f'<w:sdt {w}><w:sdtContent><w:p><w:r><w:t>Decision Maker: Leader of the Council</w:t></w:r></w:p>'
        f'</w:sdtContent></w:sdt>'))
    table = doc.add_table(rows=2, cols=3)
    merged = table.cell(0, 0).merge(table.cell(1, 0))
    merged.text = "Early Help"
    table.cell(0, 1).text, table.cell(0, 2).text = "2023/24", "£1.2m"
    table.cell(1, 1).text, table.cell(1, 2).text = "2024/25", "£1.3m"
    buf = io.BytesIO()
    doc.save(buf)
    got = read_docx("c.docx", buf.getvalue(), max_chars=LIMIT)
    assert "Running header" not in got.text
    assert got.text.index("Before the control.") < got.text.index("Decision Maker: Leader of the Council")
    assert "Early Help  2023/24  £1.2m\n2024/25  £1.3m" in got.text


@pytest.mark.parametrize("data", [b"PK\x03\x04 not really a zip", None], ids=["bad-zip", "no-document-xml"])
def test_damaged_docx_is_kg113(data):
    if data is None:
        import zipfile

        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr("word/other.xml", "<x/>")
        data = buf.getvalue()
    with pytest.raises(IngestError) as exc:
        read_docx("broken.docx", data, max_chars=LIMIT)
    assert exc.value.code == "KG113" and exc.value.subject == "broken.docx"


def test_empty_and_too_long_docx():
    with pytest.raises(IngestError) as exc:
        read_docx("empty.docx", make_docx("", header=None), max_chars=LIMIT)
    assert exc.value.code == "KG102"
    with pytest.raises(IngestError) as exc:
        read_docx("long.docx", make_docx("A decision paragraph of some length.\n\n" * 100), max_chars=500)
    assert exc.value.code == "KG108"
