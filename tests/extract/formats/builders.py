"""Write real PDF, DOCX and HTML files from text we wrote ourselves (fpdf2, python-docx, templates).

Used by the format tests and by ``bench/formats_bench.py``. The text is Markdown-ish, as in
``corpus/``: ``#`` headings, ``**bold**``, ``- `` bullets and table lines (``label  £value``).
What a PDF or Word file would not show (``#``, ``**``) is dropped when it is written.
"""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

_FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))
_TABLE = re.compile(r"^(?P<label>\S.*?\S)\s{2,}(?P<value>£\S+|\d[\d,.]*%)\s*$")
_PLAIN_TABLE = re.compile(r"^(?P<label>[A-Za-z].*?\S)\s+(?P<value>£[\d,.]+(?:m|k|bn)?)\s*$")


def _font_files() -> tuple[Path, Path] | None:
    for d in _FONT_DIRS:
        regular, bold = d / "DejaVuSans.ttf", d / "DejaVuSans-Bold.ttf"
        if regular.exists() and bold.exists():
            return regular, bold
    return None


_LATIN1 = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-",
                         "\u2014": "-", "\u2022": "-", "\u2026": "...", "\u00a0": " "})


def plain_line(line: str) -> tuple[str, str]:
    """(kind, text) of one Markdown-ish line: ``heading``, ``bullet``, ``row``, ``blank`` or ``text``."""
    s = line.rstrip()
    if not s.strip():
        return "blank", ""
    if s.lstrip().startswith("#"):
        return "heading", s.lstrip("# ").replace("**", "")
    s = s.replace("**", "")
    stripped = s.lstrip()
    if stripped.startswith(("- ", "* ")):
        return "bullet", stripped[2:]
    if _TABLE.match(stripped) or (_PLAIN_TABLE.match(stripped) and len(stripped.split()) <= 10):
        return "row", stripped
    return "text", stripped


def blocks(text: str) -> list[tuple[str, str]]:
    """:func:`plain_line` of every line, with hard-wrapped text lines joined into one paragraph.

    A text line continues the one before when that one is long (60+ characters: wrapped by
    whoever saved the text), as a Word paragraph or an HTML ``<p>`` would hold it.
    """
    out: list[tuple[str, str]] = []
    prev_len = 0
    for line in text.splitlines():
        kind, s = plain_line(line)
        if kind == "text" and out and out[-1][0] in ("text", "bullet") and prev_len >= 60:
            out[-1] = (out[-1][0], out[-1][1].rstrip() + " " + s)
        else:
            out.append((kind, s))
        prev_len = len(line.rstrip())
    return out


def _row_cells(text: str) -> tuple[str, str]:
    m = _TABLE.match(text) or _PLAIN_TABLE.match(text)
    return m.group("label"), m.group("value")


def make_pdf(text: str, *, header: str | None = "Kent County Council", footer: bool = True,
             columns: int = 1, hyphenate: tuple[str, ...] = (), encrypt: str | None = None) -> bytes:
    """A PDF of ``text`` with running header/footer (``Page N of M``) and tables as two cells.

    ``columns=2`` sets the body in two columns; ``hyphenate`` lists words broken across lines
    with a hyphen wherever they end a line (``"implementation"`` → ``"implemen-"``/``"tation"``);
    ``"*"`` breaks any word of eight letters or more that does not fit.
    """
    from fpdf import FPDF

    fonts = _font_files()

    class Paper(FPDF):
        def header(self):
            if header:
                self.set_font(face, "", 8)
                self.cell(0, 5, header, align="R", new_x="LMARGIN", new_y="NEXT")
                self.ln(3)

        def footer(self):
            if footer:
                self.set_y(-12)
                self.set_font(face, "", 8)
                self.cell(0, 5, f"Page {self.page_no()} of {{nb}}", align="C")

    pdf = Paper(format="A4")
    if fonts:
        pdf.add_font("Body", "", str(fonts[0]))
        pdf.add_font("Body", "B", str(fonts[1]))
        face = "Body"
    else:  # core fonts only: Latin-1
        face = "Helvetica"
        text = text.translate(_LATIN1)
    if encrypt:
        pdf.set_encryption(owner_password="owner", user_password=encrypt)
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_page()
    width = pdf.epw
    col_w = (width - 8) / columns
    pdf.set_font(face, "", 10)

    def body(line_kind: str, s: str, x: float, w: float) -> None:
        pdf.set_x(x)
        if line_kind == "heading":
            pdf.set_font(face, "B", 11)
            pdf.multi_cell(w, 6, s, new_x="LEFT", new_y="NEXT")
            pdf.set_font(face, "", 10)
        elif line_kind == "bullet":
            pdf.multi_cell(w, 5, "\u2022 " + s if fonts else "- " + s, new_x="LEFT", new_y="NEXT")
        elif line_kind == "row":
            label, value = _row_cells(s)
            pdf.cell(w * 0.7, 6, label, border=1)
            pdf.cell(w * 0.3, 6, value, border=1, align="R", new_x="LEFT", new_y="NEXT")
        elif line_kind == "blank":
            pdf.ln(3)
        else:
            pdf.multi_cell(w, 5, _hyphenated(pdf, s, w, hyphenate), new_x="LEFT", new_y="NEXT")

    lines = [plain_line(ln) for ln in text.splitlines()]
    if columns == 1:
        for kind, s in lines:
            body(kind, s, pdf.l_margin, width)
    else:
        with pdf.text_columns(ncols=columns, gutter=8) as cols:
            for kind, s in lines:
                if kind == "blank":
                    cols.ln()
                    continue
                cols.write(text=("\u2022 " if kind == "bullet" and fonts else "- " if kind == "bullet" else "")
                           + (_row_cells(s)[0] + "  " + _row_cells(s)[1] if kind == "row" else s))
                cols.ln()
        del col_w
    pdf.alias_nb_pages()
    return bytes(pdf.output())


def _hyphenated(pdf, s: str, w: float, words: tuple[str, ...]) -> str:
    """Break ``s`` into lines by hand so that each word of ``words`` ending a line is hyphenated."""
    if not words:
        return s
    out, line = [], ""
    for word in s.split(" "):
        trial = f"{line} {word}".strip()
        if pdf.get_string_width(trial) <= w - 2:
            line = trial
            continue
        core = word.strip(".,;:")
        if core in words or ("*" in words and len(core) >= 8 and core.isalpha()):
            cut = next((k for k in range(len(core) - 3, 2, -1)
                        if pdf.get_string_width(f"{line} {core[:k]}-".strip()) <= w - 2), 0)
            if cut:
                out.append(f"{line} {core[:cut]}-".strip())
                line = word[cut:]
                continue
        out.append(line)
        line = word
    out.append(line)
    return "\n".join(out)


def make_scanned_pdf(pages: int = 1) -> bytes:
    """A PDF whose pages are images only (a scan): no text layer."""
    from fpdf import FPDF
    from PIL import Image, ImageDraw

    pdf = FPDF(format="A4")
    for _ in range(pages):
        img = Image.new("L", (600, 800), 255)
        draw = ImageDraw.Draw(img)
        for y in range(60, 760, 24):
            draw.rectangle((60, y, 540, y + 10), fill=40)
        buf = io.BytesIO()
        img.save(buf, format="PNG")
        pdf.add_page()
        pdf.image(buf, x=10, y=10, w=190)
    return bytes(pdf.output())


def make_docx(text: str, *, header: str | None = "Kent County Council") -> bytes:
    """A Word document of ``text``: headings, bullets, paragraphs, and table lines as a table."""
    from docx import Document

    doc = Document()
    if header:
        doc.sections[0].header.paragraphs[0].text = header
    rows: list[tuple[str, str]] = []

    def flush() -> None:
        if rows:
            table = doc.add_table(rows=0, cols=2)
            for label, value in rows:
                cells = table.add_row().cells
                cells[0].text, cells[1].text = label, value
            rows.clear()

    for kind, s in blocks(text):
        if kind == "row":
            rows.append(_row_cells(s))
            continue
        if kind == "blank":
            continue
        flush()
        if kind == "heading":
            doc.add_heading(s, level=2)
        elif kind == "bullet":
            doc.add_paragraph(s, style="List Bullet")
        else:
            doc.add_paragraph(s)
    flush()
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def make_html(text: str, *, title: str = "Decision details") -> bytes:
    """A council web page around ``text``: navigation, cookie banner, breadcrumbs and footer."""
    parts: list[str] = []
    rows: list[tuple[str, str]] = []
    for kind, s in [*blocks(text), ("blank", "")]:
        if kind == "row":
            rows.append(_row_cells(s))
            continue
        if rows:
            parts.append("<table>" + "".join(f"<tr><td>{html.escape(a)}</td><td>{html.escape(b)}</td></tr>"
                                             for a, b in rows) + "</table>")
            rows = []
        if kind == "heading":
            parts.append(f"<h2>{html.escape(s)}</h2>")
        elif kind == "bullet":
            parts.append(f"<ul><li>{html.escape(s)}</li></ul>")
        elif kind == "text":
            parts.append(f"<p>{html.escape(s)}</p>")
    return page_shell(title, "\n".join(parts)).encode("utf-8")


def page_shell(title: str, main: str, *, canonical: str | None = None) -> str:
    """The chrome of a council web page around ``main`` (the part a reader wants)."""
    link = f'<link rel="canonical" href="{html.escape(canonical)}">' if canonical else ""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>{link}
<script>var tracking = "Decision Maker: not this";</script><style>.x{{color:red}}</style></head>
<body>
<div id="cookie-banner" class="cookie-notice"><p>We use cookies to make this site work. Accept all cookies</p>
<button>Accept</button></div>
<a class="skip-link" href="#content">Skip to main content</a>
<header class="site-header"><a href="/">Home</a> <nav><ul><li><a href="/council">Council and democracy</a></li>
<li><a href="/jobs">Jobs</a></li></ul></nav></header>
<div class="breadcrumb"><a href="/">Home</a> &gt; <a href="/mgListPlans.aspx">Forward plans</a></div>
<div id="content"><div id="modgov"><div class="mgContent">
<h1 class="mgMainTitleTxt">{html.escape(title)}</h1>
{main}
</div></div></div>
<footer class="site-footer"><p>Contact us | Accessibility | Privacy notice</p>
<p>&copy; Example County Council 2024</p></footer>
</body></html>"""


def moderngov_decision(*, title: str, maker: str, date: str, status: str, ref: str, body: str,
                       key: str = "Yes", canonical: str | None = None) -> bytes:
    """A page shaped like a ModernGov ``mgDecisionDetails`` page (labels in ``mgSectionTitle``)."""
    main = f"""<h2 class="mgSubTitleTxt">{html.escape(title)}</h2>
<div class="mgSectionTitle">Decision Maker:</div><p><a href="/mgCommitteeDetails.aspx?ID=1">{html.escape(maker)}</a></p>
<div class="mgSectionTitle">Decision status:</div><p>{html.escape(status)}</p>
<div class="mgSectionTitle">Is Key decision?:</div><p>{html.escape(key)}</p>
<div class="mgSectionTitle">Is subject to call in?:</div><p>Yes</p>
<h3 class="mgSubSubTitleTxt">Decision:</h3>
<div class="mgWordPara"><p>{html.escape(body)}</p></div>
<p><span class="mgLabel">Publication date:</span> {html.escape(date)}</p>
<p><span class="mgLabel">Date of decision:</span> {html.escape(date)}</p>
<dl class="mgDefList"><dt>Reference:</dt><dd>{html.escape(ref)}</dd></dl>
<h3 class="mgSubSubTitleTxt">Documents</h3>
<ul class="mgActionList"><li><a href="/documents/s1/Record.pdf">Record of Decision PDF 120 KB</a></li></ul>"""
    return page_shell(f"Decision - {title}", main, canonical=canonical).encode("utf-8")
