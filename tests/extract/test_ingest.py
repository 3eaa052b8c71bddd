"""kgraph.extract.ingest: kinds, coded errors for files that cannot become documents, and offsets."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from kgraph.errors import IngestError
from kgraph.extract.ingest import (
    decode,
    detect_kind,
    document_from_text,
    iter_source_files,
    read_document,
    read_documents,
)

ROD = "KENT COUNTY COUNCIL - RECORD OF DECISION\nDECISION NO:\n19/00076\n"
REPORT = "From: Sue Chandler\nTo: Cabinet Committee\nSubject: Services\n\nSummary: This report sets out the plan.\n"


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    p = tmp_path / name
    p.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        p.write_bytes(data.encode("utf-8"))
    else:
        p.write_bytes(data)
    return p


def code_of(exc_info) -> str:
    return exc_info.value.code


# ------------------------------------------------------------------ kind detection


@pytest.mark.parametrize(
    "text",
    [
        "KENT COUNTY COUNCIL - RECORD OF DECISION\n\nDECISION TO BE TAKEN BY: Sue Chandler",
        "KENT COUNTY COUNCIL – PROPOSED RECORD OF DECISION\nDECISION TO BE TAKEN BY:",
        "# KENT COUNTY COUNCIL – RECORD OF DECISION\n\n**Decision No:** 19/00076\n",
        "Kent County Council\nRecord  of\nDecision\n",
    ],
    ids=["rod", "proposed-en-dash", "markdown-heading", "mixed-case-line-breaks"],
)
def test_record_of_decision_detected(text):
    assert detect_kind(text) == "RecordOfDecision"


@pytest.mark.parametrize(
    "text",
    [
        REPORT,
        "Title\n\nRecommendation(s):\nThe Cabinet Member is asked to agree",
        "The Children's, Young People and Education Cabinet Committee is asked to consider",
    ],
    ids=["summary", "recommendations", "asked-to"],
)
def test_committee_report_detected(text):
    assert detect_kind(text) == "CommitteeReport"


def test_other_kind():
    assert detect_kind("Minutes of the meeting held on 15 November 2019.\nPresent: Mr Smith") == "Other"


def test_report_mentioning_a_record_of_decision_far_down_stays_a_report():
    text = REPORT + ("Background paragraph text. " * 80) + "\nSee the proposed Record of Decision attached.\n"
    assert text.index("Record of Decision") > 1500
    assert detect_kind(text) == "CommitteeReport"


def test_summary_needs_to_start_a_line():
    assert detect_kind("This is not a Summary: of anything") == "Other"


# ------------------------------------------------------------------ empty / binary / encoding


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n  ", b"\xef\xbb\xbf", b"\xef\xbb\xbf  \n"],
                         ids=["empty", "whitespace", "bom-only", "bom-whitespace"])
def test_empty_files_are_kg102(tmp_path, data):
    p = write(tmp_path, "empty.txt", data)
    with pytest.raises(IngestError) as exc:
        read_document(p)
    assert code_of(exc) == "KG102"
    assert exc.value.subject == "empty.txt"
    assert str(exc.value).startswith("[KG102] empty.txt: ")


def test_document_from_whitespace_text_is_kg102():
    with pytest.raises(IngestError) as exc:
        document_from_text("x.md", " \n\n ")
    assert code_of(exc) == "KG102"


def test_nul_bytes_are_binary_kg103(tmp_path):
    p = write(tmp_path, "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 40)
    with pytest.raises(IngestError) as exc:
        read_document(p)
    assert code_of(exc) == "KG103"
    assert "NUL" in exc.value.message


def test_control_character_noise_is_kg103(tmp_path):
    noise = bytes(range(1, 9)) * 20 + b"some words" + bytes([0x0E, 0x1F, 0x7F]) * 10
    p = write(tmp_path, "noise.txt", noise)
    with pytest.raises(IngestError) as exc:
        read_document(p)
    assert code_of(exc) == "KG103"
    assert "control" in exc.value.message


def test_tabs_form_feeds_and_a_few_controls_are_text():
    raw = "Column\tValue\fPage 2\n" * 20 + "\x01\x1b"
    assert decode("ok.txt", raw.encode()) == raw


def test_non_utf8_is_kg104_naming_file_and_offset(tmp_path):
    p = write(tmp_path, "latin1.txt", "Caf\u00e9 du Parc".encode("latin-1"))
    with pytest.raises(IngestError) as exc:
        read_document(p)
    assert code_of(exc) == "KG104"
    assert exc.value.subject == "latin1.txt"
    assert "latin1.txt" in str(exc.value)
    assert "offset 3" in exc.value.message
    assert "0xe9" in exc.value.message


def test_non_utf8_offset_is_the_byte_offset_not_the_character_offset():
    # "£" is two bytes in UTF-8, so the bad byte sits at byte 5, character 4
    with pytest.raises(IngestError) as exc:
        decode("a.txt", "£12 ".encode() + b"\xff")
    assert "offset 5" in exc.value.message


# ------------------------------------------------------------------ size, suffix, readability


def test_too_large_is_kg105(tmp_path):
    p = write(tmp_path, "big.txt", ROD)
    with pytest.raises(IngestError) as exc:
        read_document(p, max_bytes=10)
    assert code_of(exc) == "KG105"
    assert "max_file_bytes=10" in exc.value.message


def test_file_of_exactly_max_bytes_is_read(tmp_path):
    p = write(tmp_path, "fits.txt", ROD)
    doc = read_document(p, max_bytes=len(ROD.encode()))
    assert doc.text == ROD


@pytest.mark.parametrize("name", ["paper.pdf", "paper.docx", "README"])
def test_unsupported_suffix_is_kg106(tmp_path, name):
    p = write(tmp_path, name, ROD)
    with pytest.raises(IngestError) as exc:
        read_document(p)
    assert code_of(exc) == "KG106"
    assert exc.value.subject == name


@pytest.mark.parametrize("name", ["paper.md", "PAPER.TXT", "paper.markdown", "paper.text"])
def test_supported_suffixes(tmp_path, name):
    assert read_document(write(tmp_path, name, ROD)).kind == "RecordOfDecision"


def test_missing_file_is_kg101(tmp_path):
    with pytest.raises(IngestError) as exc:
        read_document(tmp_path / "nope.txt")
    assert code_of(exc) == "KG101"
    assert exc.value.subject == "nope.txt"


def test_directory_with_text_suffix_is_kg101(tmp_path):
    (tmp_path / "folder.txt").mkdir()
    with pytest.raises(IngestError) as exc:
        read_document(tmp_path / "folder.txt")
    assert code_of(exc) == "KG101"


def test_source_name_overrides_file_name_in_errors(tmp_path):
    p = write(tmp_path, "e.txt", b"")
    with pytest.raises(IngestError) as exc:
        read_document(p, source="corpus/e.txt")
    assert exc.value.subject == "corpus/e.txt"


# ------------------------------------------------------------------ text and offsets


def test_bom_is_stripped_and_offsets_index_the_text(tmp_path):
    p = write(tmp_path, "bom.txt", b"\xef\xbb\xbf" + ROD.encode())
    doc = read_document(p)
    assert doc.text == ROD
    assert doc.text[0] == "K"
    start = doc.text.index("19/00076")
    assert doc.text[start : start + 8] == "19/00076"
    assert doc.kind == "RecordOfDecision"


def test_crlf_is_preserved(tmp_path):
    raw = ROD.replace("\n", "\r\n")
    doc = read_document(write(tmp_path, "crlf.txt", raw))
    assert doc.text == raw
    assert "\r\n" in doc.text
    start = raw.index("19/00076")
    assert doc.text[start : start + 8] == "19/00076"


def test_sha256_is_of_the_text_and_id_is_its_prefix(tmp_path):
    doc = read_document(write(tmp_path, "bom.txt", b"\xef\xbb\xbf" + ROD.encode()))
    expected = hashlib.sha256(ROD.encode("utf-8")).hexdigest()
    assert doc.sha256 == expected
    assert doc.id == expected[:16]
    assert doc.sha256 != hashlib.sha256(b"\xef\xbb\xbf" + ROD.encode()).hexdigest()


def test_same_text_same_hash_different_text_different_hash():
    a = document_from_text("a.txt", ROD)
    b = document_from_text("b.txt", ROD)
    c = document_from_text("c.txt", ROD + " ")
    assert a.sha256 == b.sha256
    assert a.sha256 != c.sha256


def test_source_is_the_file_name(tmp_path):
    doc = read_document(write(tmp_path, "sub/paper.txt", ROD))
    assert doc.source == "paper.txt"


# ------------------------------------------------------------------ many files


def test_read_documents_collects_errors_and_keeps_good_files(tmp_path):
    write(tmp_path, "a_good.txt", ROD)
    write(tmp_path, "b_empty.txt", b"")
    write(tmp_path, "c_binary.txt", b"ab\x00cd")
    write(tmp_path, "d_latin1.txt", "caf\u00e9".encode("latin-1"))
    write(tmp_path, "e_report.md", REPORT)
    write(tmp_path, "f_scan.pdf", b"%PDF-1.4")
    docs, errors = read_documents([tmp_path])
    assert [(d.source, d.kind) for d in docs] == [("a_good.txt", "RecordOfDecision"),
                                                   ("e_report.md", "CommitteeReport")]
    assert [(e.subject, e.code) for e in errors] == [
        ("b_empty.txt", "KG102"), ("c_binary.txt", "KG103"), ("d_latin1.txt", "KG104"),
        ("f_scan.pdf", "KG110")]


def test_read_documents_applies_max_bytes(tmp_path):
    write(tmp_path, "small.txt", "x")
    write(tmp_path, "large.txt", "y" * 100)
    docs, errors = read_documents([tmp_path], max_bytes=50)
    assert [d.source for d in docs] == ["small.txt"]
    assert [(e.subject, e.code) for e in errors] == [("large.txt", "KG105")]


def test_missing_path_named_directly_is_an_error_not_a_crash(tmp_path):
    docs, errors = read_documents([tmp_path / "gone.txt"])
    assert docs == []
    assert [e.code for e in errors] == ["KG101"]


def test_hidden_files_and_directories_are_skipped(tmp_path):
    write(tmp_path, "b.txt", ROD)
    write(tmp_path, ".hidden.txt", ROD)
    write(tmp_path, ".git/notes.txt", ROD)
    write(tmp_path, "sub/a.txt", REPORT)
    write(tmp_path, "sub/.draft.md", REPORT)
    files = [f.relative_to(tmp_path).as_posix() for f in iter_source_files([tmp_path])]
    assert files == ["b.txt", "sub/a.txt"]
    docs, errors = read_documents([tmp_path])
    assert sorted(d.source for d in docs) == ["a.txt", "b.txt"]
    assert errors == []


def test_files_named_directly_are_yielded_in_order(tmp_path):
    a = write(tmp_path, "z.txt", ROD)
    b = write(tmp_path, "a.txt", REPORT)
    assert list(iter_source_files([a, b])) == [a, b]


# ------------------------------------------------------------------ special files (never read)


def _fifo(path: Path) -> Path:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    os.mkfifo(path)
    return path


def test_fifo_named_directly_is_kg109_and_never_opened(tmp_path):
    fifo = _fifo(tmp_path / "pipe.txt")
    with pytest.raises(IngestError) as exc:
        read_document(fifo)  # would block forever if it were opened for reading
    assert exc.value.code == "KG109" and exc.value.subject == "pipe.txt"
    assert "FIFO" in exc.value.message


def test_link_to_dev_zero_and_link_loop_are_kg109(tmp_path):
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero")
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    (tmp_path / "loop.txt").symlink_to(tmp_path / "loop.txt")
    for name, words in (("zero.txt", "character device"), ("loop.txt", "loop")):
        with pytest.raises(IngestError) as exc:
            read_document(tmp_path / name)
        assert exc.value.code == "KG109" and exc.value.subject == name and words in exc.value.message
    with pytest.raises(IngestError) as exc:
        read_document(tmp_path / "zero.txt")
    assert "/dev/zero" in exc.value.message


def test_special_files_inside_a_directory_are_reported_by_name(tmp_path):
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero")
    write(tmp_path, "a_good.txt", ROD)
    _fifo(tmp_path / "b_pipe.md")
    (tmp_path / "c_zero.txt").symlink_to("/dev/zero")
    (tmp_path / "d_loop.txt").symlink_to(tmp_path / "d_loop.txt")
    (tmp_path / "e_dirlink").symlink_to(tmp_path)  # a link to a directory is not followed
    docs, errors = read_documents([tmp_path])
    assert [d.source for d in docs] == ["a_good.txt"]
    assert [(e.subject, e.code) for e in errors] == [("b_pipe.md", "KG109"), ("c_zero.txt", "KG109"),
                                                      ("d_loop.txt", "KG109")]


# ------------------------------------------------------------------ length, formats, source URL


def test_document_over_max_chars_is_kg108_naming_the_file(tmp_path):
    p = write(tmp_path, "huge.txt", "word " * 200_001)  # 1,000,005 characters
    with pytest.raises(IngestError) as exc:
        read_document(p)
    assert exc.value.code == "KG108" and exc.value.subject == "huge.txt"
    assert "max_document_chars=1000000" in exc.value.message
    docs, errors = read_documents([p, write(tmp_path, "ok.txt", ROD)])
    assert [d.source for d in docs] == ["ok.txt"] and [e.code for e in errors] == ["KG108"]


def test_utf16_file_with_bom_is_read(tmp_path):
    doc = read_document(write(tmp_path, "w.txt", ROD.encode("utf-16")))
    assert doc.text == ROD and doc.kind == "RecordOfDecision"


def test_file_facts_are_recorded(tmp_path):
    raw = b"\xef\xbb\xbf" + ROD.encode()
    doc = read_document(write(tmp_path, "r.md", raw))
    assert (doc.media_type, doc.byte_size, doc.file_sha256) == \
        ("text/markdown", len(raw), hashlib.sha256(raw).hexdigest())
    assert doc.pages == () and doc.source_url is None


def test_mixed_folder_of_formats_reads_by_content(tmp_path):
    from tests.extract.formats.builders import make_docx, make_html, make_pdf, make_scanned_pdf

    write(tmp_path, "a.pdf", make_pdf(ROD))
    write(tmp_path, "b.docx", make_docx(ROD))
    write(tmp_path, "c.html", make_html(REPORT))
    write(tmp_path, "d_no_suffix", make_pdf(REPORT))
    write(tmp_path, "e.txt", ROD)
    write(tmp_path, "f_scan.pdf", make_scanned_pdf())
    docs, errors = read_documents([tmp_path])
    assert [(d.source, d.media_type.split("/")[-1][:8], d.kind) for d in docs] == [
        ("a.pdf", "pdf", "RecordOfDecision"), ("b.docx", "vnd.open", "RecordOfDecision"),
        ("c.html", "html", "CommitteeReport"), ("d_no_suffix", "pdf", "CommitteeReport"),
        ("e.txt", "plain", "RecordOfDecision")]
    assert [(e.subject, e.code) for e in errors] == [("f_scan.pdf", "KG112")]
    assert docs[0].pages and all(d.file_sha256 and d.byte_size for d in docs)


@pytest.mark.parametrize("sidecar,content", [
    ("paper.txt.url", "https://example.gov.uk/documents/s1/Record.pdf\n"),
    ("paper.txt.url", "[InternetShortcut]\nURL=https://example.gov.uk/documents/s1/Record.pdf\n"),
    ("paper.txt.meta.json", '{"source_url": "https://example.gov.uk/documents/s1/Record.pdf"}'),
])
def test_source_url_from_a_sidecar(tmp_path, sidecar, content):
    write(tmp_path, "paper.txt", ROD)
    write(tmp_path, sidecar, content)
    docs, errors = read_documents([tmp_path])  # the sidecar itself is not a document
    assert errors == [] and [d.source_url for d in docs] == ["https://example.gov.uk/documents/s1/Record.pdf"]


def test_source_url_from_front_matter(tmp_path):
    for i, head in enumerate(("source: https://example.gov.uk/d/1\n\n",
                              "---\ntitle: x\nsource: https://example.gov.uk/d/1\n---\n")):
        doc = read_document(write(tmp_path, f"f{i}.md", head + ROD))
        assert doc.source_url == "https://example.gov.uk/d/1"
        assert doc.text.startswith(head)  # the text (and so every offset) is left as it is
    assert read_document(write(tmp_path, "late.md", ROD * 3 + "source: https://example.gov.uk/d/2\n")).source_url is None


def test_bad_sidecar_url_is_kg115(tmp_path):
    write(tmp_path, "paper.txt", ROD)
    write(tmp_path, "paper.txt.url", "javascript:alert(1)\n")
    with pytest.raises(IngestError) as exc:
        read_document(tmp_path / "paper.txt")
    assert exc.value.code == "KG115" and exc.value.subject == "paper.txt.url"
