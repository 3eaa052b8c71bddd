"""Plain text and Markdown: bytes to text (UTF-8, or UTF-16/32 with a byte-order mark).

>>> decode("a.txt", b"\\xef\\xbb\\xbfhello")
'hello'
>>> decode("w.txt", "£5 grant".encode("utf-16"))
'£5 grant'
>>> decode("b.txt", b"caf\\xe9")
Traceback (most recent call last):
...
kgraph.errors.IngestError: [KG104] b.txt: file is not valid UTF-8 text (invalid byte 0xe9 at offset 3); re-save it as UTF-8
"""

from __future__ import annotations

import codecs
import re

from kgraph.errors import IngestError

_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def decode(source: str, data: bytes) -> str:
    """Bytes to text, or an :class:`IngestError` naming the file and the problem.

    The whole file is checked: NUL bytes anywhere (outside UTF-16/32) mean binary, and so
    do control characters making up over 5% of the text.
    """
    if not data.strip():
        raise IngestError("KG102", source, "file is empty (no text to read)")
    encoding = next((enc for bom, enc in _BOMS if data.startswith(bom)), None)
    if encoding:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            raise IngestError("KG104", source, f"file starts with a {encoding.upper()} byte-order mark but is "
                              f"not valid {encoding.upper()} (bad bytes at offset {exc.start}); "
                              "re-save it as UTF-8") from exc
        text = text.lstrip("\ufeff")
    else:
        nul = data.find(b"\x00")
        if nul >= 0:
            if _looks_utf16(data):
                raise IngestError("KG104", source, "file looks like UTF-16 text without a byte-order mark; "
                                  "re-save it as UTF-8")
            raise IngestError("KG103", source, f"file looks binary (it contains NUL bytes, the first at "
                              f"offset {nul}); give a text, Markdown, PDF, DOCX or HTML file")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            bad = data[exc.start : exc.start + 1].hex()
            raise IngestError(
                "KG104",
                source,
                f"file is not valid UTF-8 text (invalid byte 0x{bad} at offset {exc.start}); re-save it as UTF-8",
            ) from exc
    if not text.strip():
        raise IngestError("KG102", source, "file is empty (no text to read)")
    if "\x00" in text:
        raise IngestError("KG103", source, "file looks binary (its text contains NUL characters)")
    if len(_CONTROL.findall(text)) / len(text) > 0.05:
        raise IngestError("KG103", source, "file looks binary (too many control characters)")
    return text


def _looks_utf16(data: bytes) -> bool:
    sample = data[:4096]
    return len(sample) >= 4 and (sample[1::2].count(0) > len(sample) * 0.4 or sample[0::2].count(0) > len(sample) * 0.4)
