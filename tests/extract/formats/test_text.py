"""kgraph.extract.formats.text: UTF-8 and UTF-16/32 with a BOM; NUL and control checks over the whole file."""

from __future__ import annotations

import pytest

from kgraph.errors import IngestError
from kgraph.extract.formats.text import decode

TEXT = "KENT COUNTY COUNCIL – RECORD OF DECISION\nInvest £2.65m per year.\n"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_with_a_bom_are_decoded(encoding):
    bom = {"utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}.get(encoding, b"")
    assert decode("w.txt", bom + TEXT.encode(encoding)) == TEXT


def test_utf16_without_a_bom_says_how_to_fix_it():
    with pytest.raises(IngestError) as exc:
        decode("w.txt", TEXT.encode("utf-16-le"))
    assert exc.value.code == "KG104" and "UTF-16" in exc.value.message and "UTF-8" in exc.value.message


def test_broken_utf16_is_kg104():
    with pytest.raises(IngestError) as exc:
        decode("w.txt", b"\xff\xfe" + "ok".encode("utf-16-le") + b"\x00\xd8")  # lone surrogate
    assert exc.value.code == "KG104" and "UTF-16" in exc.value.message


def test_nul_after_the_first_8k_is_found():
    data = ("x" * 20_000).encode() + b"\x00" + b"y" * 100
    with pytest.raises(IngestError) as exc:
        decode("late.txt", data)
    assert exc.value.code == "KG103" and "offset 20000" in exc.value.message


def test_control_noise_after_the_first_8k_is_found():
    data = ("words " * 2000).encode() + bytes([1, 2, 3, 4]) * 2000
    with pytest.raises(IngestError) as exc:
        decode("noise.txt", data)
    assert exc.value.code == "KG103"


def test_bom_only_utf16_is_empty():
    with pytest.raises(IngestError) as exc:
        decode("e.txt", b"\xff\xfe" + " \n".encode("utf-16-le"))
    assert exc.value.code == "KG102"
