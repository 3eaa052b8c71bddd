"""Council web pages to text: the main content only, with its structure kept (lxml).

Navigation, headers, footers, cookie banners, breadcrumbs, scripts and forms are dropped;
the main content is ``<main>`` (or ``role=main``, ModernGov's ``#modgov``, ``<article>``,
``#content``), else the body. Headings and paragraphs become blocks between blank lines,
list items ``- item`` lines, definition lists ``term: definition`` lines, and table rows one
line each: ``label: value`` for a two-cell row whose first cell is a header or ends in a
colon, otherwise the cells two spaces apart (``Total  £2.65m``). A short label block
ending in a colon and the short block after it become one line, as on ModernGov pages
(``Decision Maker: Cabinet Member for …``, ``Decision status: Recommendations Approved``).

>>> page = b"<html><body><nav>Home</nav><main><h1>Decision details</h1>"\\
...        b"<div class='mgSectionTitle'>Decision Maker:</div><p>Leader of the Council</p>"\\
...        b"<dl><dt>Reference</dt><dd>24/00012</dd></dl></main><footer>Contact us</footer></body></html>"
>>> print(read_html("d.html", page, max_chars=10_000).text)
Decision details
<BLANKLINE>
Decision Maker: Leader of the Council
<BLANKLINE>
Reference: 24/00012
<BLANKLINE>
"""

from __future__ import annotations

import re

from kgraph.errors import IngestError
from kgraph.extract.formats.base import Extracted

MEDIA_TYPE = "text/html"
_DROP_TAGS = ("script", "style", "noscript", "template", "svg", "iframe", "form", "button", "select",
              "input", "textarea", "nav", "aside", "object", "embed", "canvas", "head")
_BOILER = re.compile(r"cookie|consent|gdpr|breadcrumb|skip-?link|skip-?to|^nav|navbar|navigation|^menu|"
                     r"-menu$|footer|^header$|site-header|masthead|sidebar|social|share|feedback|back-to-top",
                     re.I)
_MAIN = ("//main", "//*[@role='main']", "//*[@id='modgov']", "//article", "//*[@id='content']",
         "//*[@id='main-content']", "//*[@id='main']", "//body")
_BLOCK = {"p", "div", "section", "article", "main", "blockquote", "pre", "address", "figure",
          "figcaption", "center", "fieldset", "details", "summary", "body", "header", "footer"}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_WS = re.compile(r"\s+")
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_-]+)""", re.I)
#: Longest label (characters) merged with the value after it; longest value merged.
LABEL_MAX, VALUE_MAX = 60, 200


def read_html(source: str, data: bytes, *, max_chars: int) -> Extracted:
    """Main text of an HTML page, or an :class:`IngestError` naming the file."""
    from lxml import etree
    from lxml import html as lhtml

    text = _decode(data)
    try:
        root = lhtml.document_fromstring(text.encode("utf-8"), parser=lhtml.HTMLParser(encoding="utf-8"))
    except (etree.ParserError, ValueError) as exc:
        raise IngestError("KG114", source, f"HTML page could not be parsed ({exc})") from exc
    url = _canonical(root)
    for el in root.xpath("//comment() | //processing-instruction()"):
        _remove(el)
    for el in list(root.iter(*_DROP_TAGS)):
        _remove(el)
    for el in list(root.iter()):
        if el.getparent() is None or not isinstance(el.tag, str):
            continue
        marks = f"{el.get('id', '')} {el.get('class', '')}".split()
        outer = el.tag in ("header", "footer") and not any(a.tag in ("main", "article") for a in el.iterancestors())
        if outer or any(_BOILER.search(m) for m in marks if not m.lower().startswith("mg")):
            _remove(el)
    main = next((found[0] for xp in _MAIN if (found := root.xpath(xp))), root)
    blocks = _merge_labels(list(_blocks(main)))
    body = "\n\n".join(b for _, b in blocks if b)
    if len(body) > max_chars:
        raise IngestError("KG108", source, f"page text is {len(body)} characters, above "
                          f"max_document_chars={max_chars}; split the file into parts")
    if not body.strip():
        raise IngestError("KG102", source, "HTML page has no main text")
    return Extracted(text=body + "\n", media_type=MEDIA_TYPE, source_url=url)


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace")
    m = _CHARSET.search(data[:4096])
    for enc in ([m.group(1).decode("ascii")] if m else []) + ["utf-8"]:
        try:
            return data.decode(enc)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("cp1252", "replace")


def _canonical(root) -> str | None:
    for xp in ("//link[@rel='canonical']/@href", "//meta[@property='og:url']/@content"):
        for v in root.xpath(xp):
            if str(v).startswith(("http://", "https://")):
                return str(v).strip()
    return None


def _remove(el) -> None:
    """Remove ``el`` but keep the text that follows it (its tail)."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail or ""
    if tail.strip():
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


def _inline(el) -> str:
    """The text of ``el`` on one line (``<br>`` too: a label and its value stay together)."""
    return _WS.sub(" ", el.text_content()).strip()


def _has_blocks(el) -> bool:
    return any(isinstance(c.tag, str) and (c.tag in _BLOCK or c.tag in _HEADINGS or
               c.tag in ("ul", "ol", "dl", "table", "li")) for c in el.iterdescendants())


def _blocks(el):
    """``(kind, text)`` blocks under ``el`` in document order; kind is heading, label or text."""
    if el.text and el.text.strip() and el.tag not in _HEADINGS:
        yield "text", _WS.sub(" ", el.text).strip()
    for child in el:
        if not isinstance(child.tag, str):
            continue
        tag = child.tag
        if tag in _HEADINGS:
            yield "heading", _inline(child)
        elif tag in ("ul", "ol"):
            items = [i for i in child if isinstance(i.tag, str) and i.tag == "li"]
            lines = []
            for li in items:
                sub = [t for _, t in _blocks(li) if t] if _has_blocks(li) else [_inline(li)]
                if sub and sub[0]:
                    lines += [f"- {sub[0]}", *sub[1:]]
            yield "text", "\n".join(x for x in lines if x.strip("- "))
        elif tag == "dl":
            yield "text", _definitions(child)
        elif tag == "table":
            yield "text", _table(child)
        elif tag in _BLOCK or tag == "li" or _has_blocks(child):
            yield from _blocks(child)
        else:
            text = _inline(child)
            if text:
                yield "text", text
        if child.tail and child.tail.strip():
            yield "text", _WS.sub(" ", child.tail).strip()


def _definitions(dl) -> str:
    lines, term = [], None
    for c in dl:
        if not isinstance(c.tag, str):
            continue
        if c.tag == "dt":
            term = _inline(c).rstrip(":").strip()
        elif c.tag == "dd":
            lines.append(f"{term}: {_inline(c)}" if term else _inline(c))
    return "\n".join(lines)


def _table(table) -> str:
    rows = []
    for tr in table.iter("tr"):
        cells = [c for c in tr if isinstance(c.tag, str) and c.tag in ("td", "th")]
        texts = [_inline(c) for c in cells]
        if not any(texts):
            continue
        if len(cells) == 2 and texts[0] and texts[1] and (cells[0].tag == "th" and cells[1].tag == "td"
                                                          or texts[0].endswith(":")):
            rows.append(f"{texts[0].rstrip(':').strip()}: {texts[1]}")
        else:
            rows.append("  ".join(t for t in texts if t))
    return "\n".join(rows)


def _merge_labels(blocks: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """A short block ending in a colon followed by a short one-line block: one ``label: value`` line."""
    out: list[tuple[str, str]] = []
    i = 0
    while i < len(blocks):
        kind, text = blocks[i]
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        if (kind == "text" and text.endswith(":") and len(text) <= LABEL_MAX and "\n" not in text
                and nxt and nxt[0] == "text" and "\n" not in nxt[1] and len(nxt[1]) <= VALUE_MAX):
            out.append(("text", f"{text} {nxt[1]}"))
            i += 2
            continue
        out.append((kind, text))
        i += 1
    return out
