"""PDF to text in reading order, with a page map (pypdfium2).

pdfium gives each page's text in content-stream order, which is reading order for the PDFs
councils publish (Word/LibreOffice exports write column one before column two, and table
cells row by row), with a line break where the baseline changes. On top of that this module:

- keeps the cells of a table row on one line, two spaces apart where the gap is wide
  (``Support to Early Help Units  £1.2m``), so the sections stage reads them as table rows;
- puts a blank line where the vertical gap between lines says a paragraph ends;
- removes running headers and footers (the first or last two lines of a page, in its top or
  bottom tenth, repeated at the same place on half the pages or more, the page's own number
  and the page count aside) and page numbers (``Page 3 of 9``, ``- 3 -``, ``3``);
- mends words broken across lines with a hyphen: the line break goes, and the hyphen too
  when the unbroken word appears elsewhere in the document (``implemen-``/``tation``), so a
  compound (``family-based``) keeps its hyphen.

Pages are joined by a newline; :attr:`Extracted.pages` records where each page's text lies.

>>> from kgraph.extract.formats.pdf import mend_hyphens
>>> mend_hyphens(["the implemen\\ufffe", "tation plan", "implementation", "a family-", "based model"])
['the implementation plan', 'implementation', 'a family-based model']
"""

from __future__ import annotations

import re
from collections import Counter

from kgraph.errors import IngestError
from kgraph.extract.formats.base import Extracted

MEDIA_TYPE = "application/pdf"
#: Share of the page height at the top and at the bottom where running headers/footers live.
MARGIN_ZONE = 0.1
#: A gap between baselines over this many times the page's usual line pitch ends a paragraph.
PARAGRAPH_GAP = 1.3
_PAGE_NUMBER = re.compile(r"^\s*(?:page\s*)?[-–(]?\s*\d{1,4}\s*[-–)]?(?:\s*(?:of|/)\s*\d{0,4})?\s*$", re.I)
_DIGITS = re.compile(r"\d+")
_SOFT = "\ufffe"  # pdfium's mark for a hyphen that ends a line


class _Line:
    """A line of pdfium text: ``bottom`` of its first character, ``last`` bottom of its last
    (pdfium joins a soft-hyphenated word's two lines into one), left and right edges."""

    __slots__ = ("text", "top", "bottom", "page", "left", "right", "last")

    def __init__(self, text: str, top: float, bottom: float, page: int, left: float = 0.0, right: float = 0.0,
                 last: float | None = None):
        self.text, self.top, self.bottom, self.page = text, top, bottom, page
        self.left, self.right, self.last = left, right, bottom if last is None else last


def read_pdf(source: str, data: bytes, *, max_chars: int) -> Extracted:
    """Text and page map of a PDF, or an :class:`IngestError` naming the file."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        msg = str(exc)
        if "password" in msg.lower():
            raise IngestError("KG111", source, "PDF is encrypted with a password; "
                              "save an unprotected copy and build that") from exc
        raise IngestError("KG110", source, f"PDF is damaged or not a PDF ({msg}); "
                          "re-download it or re-save it from a PDF viewer") from exc
    try:
        pages: list[list[_Line]] = []
        heights: list[float] = []
        total = 0
        images = 0
        for i in range(len(pdf)):
            page = pdf[i]
            try:
                lines, height = _page_lines(page, i + 1)
                if not lines:
                    images += _has_image(page)
            finally:
                page.close()
            pages.append(lines)
            heights.append(height)
            total += sum(len(ln.text) + 1 for ln in lines)
            if total > max_chars * 1.2:  # headers and hyphens removed later; stop reading early
                raise IngestError("KG108", source, f"document text is over {max_chars} characters "
                                  f"(max_document_chars) by page {i + 1}; split the file into parts")
    except pdfium.PdfiumError as exc:
        raise IngestError("KG110", source, f"PDF page could not be read ({exc})") from exc
    finally:
        pdf.close()
    if not any(pages):
        if images:
            raise IngestError("KG112", source, f"PDF has no text layer ({len(pages)} page(s) of images: "
                              "a scan); run it through OCR (e.g. ocrmypdf) and build the result")
        raise IngestError("KG102", source, "PDF has no text (its pages are empty)")
    _drop_running_lines(pages, heights)
    return _assemble(pages, len(heights))


def _page_lines(page, number: int) -> tuple[list[_Line], float]:
    """The page's lines in stream order, with their vertical extent (PDF units, y up)."""
    width, height = page.get_size()
    tp = page.get_textpage()
    try:
        n = tp.count_chars()
        if n == 0:
            return [], height
        text = tp.get_text_range(0, n)
        if len(text) != n:  # should not happen; fall back to plain lines without positions
            return [_Line(t, height, 0.0, number) for t in text.replace("\r", "").split("\n") if t.strip()], height
        lines: list[_Line] = []
        start = 0
        while start <= n:
            end = text.find("\r\n", start)
            end = n if end < 0 else end
            raw = text[start:end]
            if raw.strip():
                first = start + (len(raw) - len(raw.lstrip()))
                last = start + len(raw.rstrip()) - 1
                left, bottom, _, top = tp.get_charbox(first, loose=True)
                _, last_bottom, right, _ = tp.get_charbox(last, loose=True)
                lines.append(_Line(_widen_gaps(tp, raw, start), top, bottom, number, left, right, last_bottom))
            start = end + 2
        return lines, height
    finally:
        tp.close()


def _widen_gaps(tp, raw: str, offset: int) -> str:
    """Two spaces where a space stands for a wide horizontal gap (between table cells)."""
    if " " not in raw:
        return raw.strip()
    out = []
    for j, ch in enumerate(raw):
        if ch == " " and 0 < j < len(raw) - 1 and raw[j - 1] != " " and raw[j + 1] != " ":
            l0, b0, r0, t0 = tp.get_charbox(offset + j - 1, loose=True)
            l1, _, _, _ = tp.get_charbox(offset + j + 1, loose=True)
            if l1 - r0 > 1.2 * max(t0 - b0, 1.0):
                out.append("  ")
                continue
        out.append(ch)
    return "".join(out).strip()


def _has_image(page) -> int:
    import pypdfium2.raw as raw

    return int(any(obj.type == raw.FPDF_PAGEOBJ_IMAGE for obj in page.get_objects()))


def _pitch(lines: list[_Line]) -> float:
    """The usual distance between baselines on a page (a low quantile: gaps are rarer)."""
    pitches = sorted(a.last - b.bottom for a, b in zip(lines, lines[1:], strict=False) if a.last > b.bottom)
    return pitches[len(pitches) // 4] if pitches else 0.0


def _margin_lines(lines: list[_Line], height: float) -> list[tuple[tuple[str, int], _Line]]:
    """Lines set apart from the body at the top or bottom of a page, in its margin zone.

    At most two at either end: those before the first wide gap (or after the last), each in
    the top or bottom tenth of the page, and a lone page number wherever it stands there.
    """
    gap = PARAGRAPH_GAP * (_pitch(lines) or 12.0)
    out: list[tuple[tuple[str, int], _Line]] = []
    for k in (1, 2):
        if len(lines) > k and lines[k - 1].last - lines[k].bottom > gap:
            out += [(("top", i), ln) for i, ln in enumerate(lines[:k]) if ln.bottom > height * (1 - MARGIN_ZONE)]
            break
    for k in (1, 2):
        if len(lines) > k and lines[-k - 1].last - lines[-k].bottom > gap:
            out += [(("bottom", k - i), ln) for i, ln in enumerate(lines[-k:]) if ln.top < height * MARGIN_ZONE]
            break
    ends = {id(ln) for _, ln in out}
    out += [(("number", 0), ln) for ln in lines[:2] + lines[-2:]
            if id(ln) not in ends and _PAGE_NUMBER.match(ln.text)
            and (ln.bottom > height * (1 - MARGIN_ZONE) or ln.top < height * MARGIN_ZONE)]
    return out


def _running_key(ln: _Line, total: int) -> str | None:
    """A margin line with its own page number (and the page count) blanked; table rows never run."""
    text = ln.text.strip()
    if "£" in text or "  " in text:
        return None
    return _DIGITS.sub(lambda m: "#" if int(m.group()) == ln.page else "%" if int(m.group()) == total
                       else m.group(), text.lower())


def _drop_running_lines(pages: list[list[_Line]], heights: list[float]) -> None:
    """Remove page numbers, and lines repeated at the same place in the margins of other pages.

    Only the first two and last two lines of a page, in its top or bottom tenth, are candidates;
    a line repeats when at least half the pages (two or more) have it at the same place.
    """
    seen: Counter = Counter()
    total = len(pages)
    for lines, h in zip(pages, heights, strict=True):
        seen.update({(place, k) for place, ln in _margin_lines(lines, h) if (k := _running_key(ln, total))})
    need = max(2, (total + 1) // 2)
    for lines, h in zip(pages, heights, strict=True):
        drop = {id(ln) for place, ln in _margin_lines(lines, h)
                if _PAGE_NUMBER.match(ln.text) or seen[(place, _running_key(ln, total))] >= need}
        lines[:] = [ln for ln in lines if id(ln) not in drop]


def mend_hyphens(lines: list[str]) -> list[str]:
    """Join lines that end in a hyphen (or pdfium's soft-hyphen mark) before a lower-case word."""
    return [t for _, t, _ in mend_hyphens_indexed([(0, ln, "line") for ln in lines])]


_LIST_START = re.compile(r"^(?:[•\u2022\-–*·]|\(?[a-z0-9]{1,3}[.)]|\d+(?:\.\d+)+)\s")


def _wrapped(prev: _Line, ln: _Line, lines: list[_Line]) -> bool:
    """Whether ``ln`` continues ``prev`` (a line wrapped by the writer, not a new line).

    It does when the first word of ``ln`` would not have fitted in the room left at the end
    of ``prev`` (measured against the widest line starting near the same left edge), and
    neither line is a table row nor ``ln`` a list item.
    """
    if "  " in prev.text or "  " in ln.text or _LIST_START.match(ln.text) or prev.text.endswith(":"):
        return False
    char = 0.45 * max(prev.top - prev.bottom, 1.0)  # an average character's width, from the font's height
    if not -2 * char <= prev.left - ln.left <= 8 * char:  # same left edge, or a first-line indent
        return False
    width = max((o.right for o in lines if abs(o.left - prev.left) < 24 or abs(o.left - ln.left) < 24),
                default=prev.right)
    word = len(ln.text.split(" ", 1)[0]) + 1
    return width - prev.right < word * char * 1.2


def _assemble(pages: list[list[_Line]], count: int) -> Extracted:
    """Lines to text with paragraph breaks, mended hyphens and a page map."""
    # pdfium joins a soft-hyphenated word onto one line itself: split it back for mend_hyphens
    flat: list[tuple[int, str, str]] = []  # (page, text, what comes before: line, para or wrap)
    for lines in pages:
        pitch = _pitch(lines)
        prev: _Line | None = None
        for ln in lines:
            gap = prev is not None and pitch > 0 and (prev.last - ln.bottom) > PARAGRAPH_GAP * pitch
            up = prev is not None and ln.bottom > prev.last + 1  # a new column or a jump back
            wrapped = prev is not None and not (gap or up) and _wrapped(prev, ln, lines)
            parts = ln.text.split(_SOFT)
            for k, part in enumerate(parts):
                mark = ("wrap" if wrapped else "para" if gap or up else "line") if k == 0 else "line"
                flat.append((ln.page, part + (_SOFT if k < len(parts) - 1 else ""), mark))
            prev = ln
    texts = mend_hyphens_indexed(flat)
    chunks: list[str] = []
    spans: dict[int, list[int]] = {}
    pos = 0
    for page, text, brk in texts:
        sep = "" if not chunks else {"para": "\n\n", "wrap": " ", "line": "\n"}[brk]
        pos += len(sep)
        chunks.append(sep + text)
        span = spans.setdefault(page, [pos, pos])
        span[1] = pos + len(text)
        pos += len(text)
    body = "".join(chunks) + "\n"
    page_map = tuple((p, s, e) for p, (s, e) in sorted(spans.items()))
    return Extracted(text=body, media_type=MEDIA_TYPE, pages=page_map, page_count=count)


def mend_hyphens_indexed(flat: list[tuple[int, str, str]]) -> list[tuple[int, str, str]]:
    """:func:`mend_hyphens` keeping each line's page and paragraph mark (a joined line keeps the first)."""
    words = Counter(w.lower() for _, t, _ in flat for w in re.findall(r"[A-Za-z]+", t.replace(_SOFT, " ")))
    out: list[list] = []
    for page, ln, brk in flat:
        prev = out[-1][1] if out else ""
        if prev.endswith(("-", _SOFT)) and ln[:1].islower() and len(prev) > 1 and prev[-2].isalpha():
            head = re.search(r"[A-Za-z]+$", prev[:-1]).group(0)
            tail = re.match(r"[a-z]+", ln).group(0)
            keep = "-" if words[(head + tail).lower()] == 0 else ""
            out[-1][1] = prev[:-1] + keep + ln
        else:
            out.append([page, ln, brk])
    return [(p, t.replace(_SOFT, "-"), b) for p, t, b in out]
