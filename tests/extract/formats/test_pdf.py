"""kgraph.extract.formats.pdf: reading order, page map, running lines, hyphens, tables, bad PDFs."""

from __future__ import annotations

import re

import pytest

from kgraph.errors import IngestError
from kgraph.extract.formats.pdf import mend_hyphens, read_pdf
from kgraph.extract.sections import split_sections
from tests.extract.formats.builders import make_pdf, make_scanned_pdf

LIMIT = 1_000_000
SENTENCE = ("The implementation of the commissioning plan needs careful implementation across "
            "every service and partner organisation.")


def words(s: str) -> str:
    return " ".join(s.split())


def test_paragraph_text_is_exact_with_hyphenated_line_ends_mended():
    text = "Implementation plan\n\n" + " ".join([SENTENCE] * 6) + "\n"
    got = read_pdf("h.pdf", make_pdf(text, hyphenate=("*",), header=None), max_chars=LIMIT)
    assert got.text == text
    assert "\ufffe" not in got.text


def test_mend_hyphens_keeps_compounds_and_mends_broken_words():
    assert mend_hyphens(["a long-", "term plan", "for implemen-", "tation", "implementation"]) == \
        ["a long-term plan", "for implementation", "implementation"]
    assert mend_hyphens(["Section 76 -", "agreement"]) == ["Section 76 -", "agreement"]
    assert mend_hyphens(["KCC-", "NHS"]) == ["KCC-", "NHS"]


def test_headers_footers_and_page_numbers_are_removed_and_pages_mapped():
    body = "\n\n".join(f"Paragraph {i}. " + SENTENCE for i in range(70))
    got = read_pdf("r.pdf", make_pdf(body, header="Kent County Council - Record of Decision"), max_chars=LIMIT)
    assert len(got.pages) >= 3
    assert "Kent County Council - Record of Decision" not in got.text
    assert not re.search(r"Page \d+ of \d+", got.text)
    for i in range(70):
        assert f"Paragraph {i}. {SENTENCE}" in got.text
    # the page map covers the text in order, and each page's span holds whole lines of that page
    starts = [s for _, s, _ in got.pages]
    assert starts == sorted(starts) and [p for p, _, _ in got.pages] == list(range(1, len(got.pages) + 1))
    page2 = got.text[got.pages[1][1]:got.pages[1][2]]
    assert page2.startswith("Paragraph") or page2.startswith(SENTENCE.split()[0])


def test_single_page_number_is_removed_even_on_one_page():
    got = read_pdf("one.pdf", make_pdf("A short record.\n", header=None), max_chars=LIMIT)
    assert got.text == "A short record.\n"
    assert got.pages == ((1, 0, len("A short record.")),)


def test_two_columns_read_column_by_column():
    left = " ".join(f"Left sentence number {i} explains the funding." for i in range(25))
    right = " ".join(f"Right sentence number {i} explains the decision." for i in range(25))
    got = read_pdf("two.pdf", make_pdf(left + "\n\n" + right + "\n", columns=2), max_chars=LIMIT)
    flat = words(got.text)
    for i in range(25):
        assert f"Left sentence number {i} explains the funding." in flat
        assert f"Right sentence number {i} explains the decision." in flat
    assert flat.index("Left sentence number 24") < flat.index("Right sentence number 0")


def test_table_split_across_pages_keeps_every_row_on_one_line():
    rows = [f"Service element {i}  £{i + 1},000" for i in range(70)]
    text = "1.8 Funding:\n\nService Element  Investment\n" + "\n".join(rows) + "\nTotal  £2,485,000\n"
    got = read_pdf("t.pdf", make_pdf(text), max_chars=LIMIT)
    lines = got.text.splitlines()
    for r in rows:
        assert r in lines
    assert "Total  £2,485,000" in lines
    first, last = got.text.index(rows[0]), got.text.index(rows[-1])
    assert got.page_at(first) < got.page_at(last)  # the table runs over a page break
    tables = [s for s in split_sections(got.text, "CommitteeReport") if s.name == "table"]
    assert len(tables) == 1 and len(tables[0].rows) == 71 and tables[0].rows[-1].is_total


def test_scanned_pdf_is_kg112():
    with pytest.raises(IngestError) as exc:
        read_pdf("scan.pdf", make_scanned_pdf(2), max_chars=LIMIT)
    assert exc.value.code == "KG112" and exc.value.subject == "scan.pdf"
    assert "no text layer" in exc.value.message and "OCR" in exc.value.message


def test_encrypted_pdf_is_kg111():
    with pytest.raises(IngestError) as exc:
        read_pdf("locked.pdf", make_pdf("Secret decision.\n", encrypt="pw"), max_chars=LIMIT)
    assert exc.value.code == "KG111" and "locked.pdf" in str(exc.value)


def test_owner_password_only_pdf_is_read():
    """Permissions-only encryption (no password to open) does not stop reading."""
    got = read_pdf("perm.pdf", make_pdf("Open decision text.\n", encrypt="", header=None), max_chars=LIMIT)
    assert got.text == "Open decision text.\n"


@pytest.mark.parametrize("data", [b"%PDF-1.4\n", b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\ntrailer\n%%EOF",
                                  None], ids=["header-only", "no-xref", "truncated"])
def test_malformed_pdf_is_kg110(data):
    if data is None:
        whole = make_pdf("Some decision text.\n" * 20)
        data = whole[: len(whole) // 3]
    with pytest.raises(IngestError) as exc:
        read_pdf("bad.pdf", data, max_chars=LIMIT)
    assert exc.value.code in ("KG110", "KG102") and exc.value.subject == "bad.pdf"


def test_too_long_pdf_is_kg108():
    body = "\n\n".join(f"Paragraph {i}. " + SENTENCE for i in range(60))
    with pytest.raises(IngestError) as exc:
        read_pdf("long.pdf", make_pdf(body), max_chars=2_000)
    assert exc.value.code == "KG108" and "long.pdf" in str(exc.value)
