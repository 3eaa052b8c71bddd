"""Split a council paper into named sections: form fields, report headings, paragraphs, tables.

A Record of Decision is a form whose field headings vary ("DECISION NO:", "## DECISION NO:",
"Subject:", "Subject Matter / Title of Decision", "- Financial Implications"...); a committee
report has "Summary:", "Recommendation(s):", numbered headings ("2. Financial Implications")
and numbered paragraphs ("6.3 Section 76 of ..."). Each field becomes a
:class:`~kgraph.model.Section` with a canonical name (see its docstring) and the offsets of
its body in the original text; the heading is not part of the body.

Besides the names listed on :class:`~kgraph.model.Section`, this module uses ``background``,
``options`` (options considered), ``strategy`` ("How the proposed decision supports ..."),
``data_protection`` and ``other`` (a numbered report heading with no canonical meaning).

Sections nest: a ``paragraph`` lies inside its heading's section (and "6.4.1" inside "6.4"),
a ``table`` inside its paragraph. :func:`section_at` gives the most specific section at an
offset, :func:`enclosing` all of them.

>>> text = "Subject: Mental Health Services\\n\\nLegal Implications\\n\\n6.3 Section 76 applies."
>>> secs = split_sections(text, "RecordOfDecision")
>>> [(s.name, text[s.start:s.end]) for s in secs]
[('title', 'Mental Health Services'), ('legal_implications', '6.3 Section 76 applies.'), ('paragraph', 'Section 76 applies.')]
>>> section_at(secs, text.index("76")).label
'6.3'
>>> [s.name for s in enclosing(secs, text.index("76"))]
['legal_implications', 'paragraph']
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kgraph.model import Section, TableRow

__all__ = ["split_sections", "section_at", "enclosing", "find_section", "find_sections"]

_I = re.IGNORECASE


@dataclass(frozen=True)
class _Field:
    """A form-field heading: canonical name, pattern, and whether text may follow on its line."""

    name: str
    pattern: re.Pattern
    inline: bool = False


def _f(name: str, pattern: str, inline: bool = False) -> _Field:
    return _Field(name, re.compile(pattern, _I), inline)


#: Form-field headings, tried in order on the line content (after ``#``, ``-``, ``**`` markup).
_FIELDS: tuple[_Field, ...] = (
    _f("decision_maker", r"decision\s+(?:to\s+be\s+)?taken\s+by\s*:?|decision\s+maker\s*:?"),
    _f("decision_number", r"decision\s+(?:no|number)\s*\.?\s*:?"),
    _f("key_decision", r"key\s+decision\s+criteria\s*[.:]?", inline=True),
    _f("key_decision", r"key\s+decision\s*:?"),
    _f("title", r"subject\s+matter\s*/\s*title\s+of\s+decision\s*:?|title\s+of\s+decision\s*:?"),
    _f("title", r"subject\s*:"),
    _f("decision", r"proposed\s+decision\s*:?|decision\s*:"),
    _f("reasons", r"reasons?\s*(?:\(s\))?\s+for\s+(?:the\s+)?decision\s*:?"),
    _f("background", r"background\s*(?::|[–—-][^\n]*)?"),
    _f("options", r"options(?:\s+considered)?\s*(?:\([^)\n]*\))?\s*:?"),
    _f("strategy", r"how\s+the\s+proposed\s+decision\s+supports[^\n]*"),
    _f("financial_implications", r"financial\s+implications\s*:?"),
    _f("legal_implications", r"legal\s+implications\s*:?"),
    _f("equalities_implications", r"equalit(?:y|ies)\s+implications\s*:?"),
    _f("data_protection", r"data\s+protection\s+implications\s*:?"),
    _f("consultation", r"cabinet\s+committee\s+recommendations\s+and\s+other\s+consultation\s*:?"),
    _f("alternatives", r"any\s+alternatives\s+considered(?:\s+and\s+rejected)?\s*:?"),
    _f("interests", r"any\s+interests?\s+declared[^\n]*"),
    _f("publication", r"for\s+publication\b", inline=True),
    _f("summary", r"summary\s*:"),
    _f("recommendations", r"recommendations?\s*(?:\(s\))?\s*:?"),
)

#: Lines that are content with no heading: the form's title line and a publication marker.
_CONTENT_LINES = (
    ("header", re.compile(r"(?:kent\s+county\s+council\s*[-–—]?\s*)?(?:proposed\s+)?record\s+of\s+decision", _I)),
    ("publication", re.compile(r"unrestricted|restricted|exempt", _I)),
)

_MARKUP = re.compile(r"[ \t]*(?:#{1,6}[ \t]+|[-•][ \t]+)?(?:\*\*)?[ \t]*")
_REST = re.compile(r"[ \t]*(?:\*\*)?[ \t]*")
_NUMBERED = re.compile(r"[ \t]*(\d{1,2})\.[ \t]+([A-Z][^\n]{0,80}?)[ \t]*$")
_PARAGRAPH = re.compile(r"[ \t]*(\d{1,2}(?:\.\d{1,2})+)\.?[ \t]+(?=[^\s%])")
_SIGNATURE = re.compile(r"[ \t]*(?:\*\*)?(signed|date)(?:\*\*)?[ \t]*:?[ \t]*$", _I)
_SIGN_TAIL = re.compile(r"[.\s]*|(?:signed|date)[\s:.]*", _I)
_ROW = re.compile(
    r"[ \t]*(?P<label>[A-Za-z(][^\n£]*?)[ \t]+"
    r"(?P<value>£[ \t]?\d[\d,]*(?:\.\d+)?(?:[ \t]?(?:m|k|bn|million))?|\d[\d,]*(?:\.\d+)?%)[ \t]*$"
)
_TABLE_HEADER = re.compile(r"[ \t]*([A-Za-z][A-Za-z ()/&'-]*?\S)[ \t]{2,}([A-Za-z][A-Za-z ()/&'-]*?)[ \t]*$")

#: Keywords that give a numbered report heading its canonical name (first match wins).
_NUMBERED_NAMES = (
    ("financial implication", "financial_implications"),
    ("legal implication", "legal_implications"),
    ("equalit", "equalities_implications"),
    ("recommendation", "recommendations"),
    ("consultation", "consultation"),
    ("summary", "summary"),
    ("background document", "other"),
    ("background", "background"),
    ("option", "options"),
)


@dataclass
class _Line:
    start: int
    end: int  # excluding the newline

    def text(self, source: str) -> str:
        return source[self.start : self.end]


def _lines(text: str) -> list[_Line]:
    out, pos = [], 0
    for raw in text.split("\n"):
        out.append(_Line(pos, pos + len(raw)))
        pos += len(raw) + 1
    return out


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink ``[start, end)`` to exclude surrounding whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


@dataclass
class _Heading:
    """A recognised heading: where its line starts, where its body starts, and its identity."""

    line_start: int
    body_start: int
    name: str
    heading: str
    level: int  # 0 top-level section, 1 paragraph
    label: str = ""
    content_only: bool = False


def _field_heading(text: str, line: _Line, index: int, kind: str) -> _Heading | None:
    """A form-field, report or content-line heading on ``line``, if it is one."""
    m = _MARKUP.match(text, line.start, line.end)
    pos = m.end()
    content = text[pos : line.end].rstrip()
    if not content:
        return None
    bare = content.strip("*").strip()
    for name, pattern in _CONTENT_LINES:
        if (name != "header" or index < 8) and pattern.fullmatch(bare):
            s = text.index(bare, pos)
            return _Heading(line.start, s, name, "", 0, content_only=True)
    for field in _FIELDS:
        fm = field.pattern.match(text, pos, line.end)
        if not fm:
            continue
        rest = _REST.match(text, fm.end(), line.end).end()
        inline = field.inline or text[fm.start() : fm.end()].rstrip().endswith(":")
        if rest < line.end and text[rest:line.end].strip() and not inline:
            continue
        heading = text[fm.start() : fm.end()].strip()
        return _Heading(line.start, rest, field.name, heading, 0)
    if kind != "RecordOfDecision":
        nm = _NUMBERED.match(text, line.start, line.end)
        if nm and not nm.group(2).rstrip().endswith(".") and len(nm.group(2).split()) <= 10:
            title = nm.group(2).lower()
            name = next((n for key, n in _NUMBERED_NAMES if key in title), "other")
            return _Heading(line.start, line.end, name, text[nm.start(1) : nm.end(2)].strip(), 0,
                            label=nm.group(1))
    return None


def _signature_start(text: str, lines: list[_Line]) -> int | None:
    """Index of the "signed"/"date" line that begins the form's trailing signature block."""
    for i, line in enumerate(lines):
        if _SIGNATURE.match(text, line.start, line.end) and all(
            _SIGN_TAIL.fullmatch(later.text(text)) for later in lines[i + 1 :]
        ):
            return i
    return None


def _headings(text: str, kind: str) -> list[_Heading]:
    lines = _lines(text)
    sign = _signature_start(text, lines)
    found: list[_Heading] = []
    top_number: int | None = None
    for i, line in enumerate(lines):
        if i == sign:
            sm = _SIGNATURE.match(text, line.start, line.end)
            found.append(_Heading(line.start, line.end, "signature", sm.group(1), 0))
            break
        h = _field_heading(text, line, i, kind)
        if h and h.label:
            number = int(h.label)
            if top_number is not None and number <= top_number:
                h = None
            else:
                top_number = number
        if h:
            found.append(h)
            continue
        pm = _PARAGRAPH.match(text, line.start, line.end)
        if pm and (top_number is None or pm.group(1).split(".")[0] == str(top_number)):
            found.append(_Heading(line.start, pm.end(), "paragraph", pm.group(1), 1, label=pm.group(1)))
    return found


def _is_child(label: str, parent: str) -> bool:
    return label.startswith(parent + ".")


def _tables(text: str, start: int, end: int) -> list[Section]:
    """Tables flattened into lines (``label  £value``, two rows or more) inside ``[start, end)``."""
    tables: list[Section] = []
    run: list[re.Match] = []
    header: re.Match | None = None
    prev_nonblank: _Line | None = None

    def close() -> None:
        nonlocal run, header
        if len(run) >= 2:
            rows = tuple(
                TableRow(
                    label=m.group("label").strip(),
                    value=m.group("value"),
                    start=m.start("label"),
                    end=m.end("value"),
                    is_total=m.group("label").strip().lower().startswith("total"),
                )
                for m in run
            )
            heading = " | ".join(g.strip() for g in header.groups()) if header else ""
            tables.append(Section("table", heading, rows[0].start, rows[-1].end, rows=rows))
        run, header = [], None

    for line in _lines(text[start:end]):
        ln = _Line(line.start + start, line.end + start)
        if not text[ln.start : ln.end].strip():
            continue
        m = _ROW.match(text, ln.start, ln.end)
        if m and len(m.group("label").split()) <= 10 and not m.group("label").rstrip().endswith((",", ";")):
            if not run and prev_nonblank is not None:
                header = _TABLE_HEADER.match(text, prev_nonblank.start, prev_nonblank.end)
            run.append(m)
        else:
            close()
        prev_nonblank = ln
    close()
    return tables


def split_sections(text: str, kind: str) -> list[Section]:
    """Sections of ``text`` (a document of ``kind``), outer before inner, in text order.

    >>> t = "1.8 Services:\\n\\nService Element  Investment\\nSupport to Early Help Units £1.2m\\nTotal £1.2m\\n"
    >>> table = [s for s in split_sections(t, "CommitteeReport") if s.name == "table"][0]
    >>> [(r.label, r.value, r.is_total) for r in table.rows]
    [('Support to Early Help Units', '£1.2m', False), ('Total', '£1.2m', True)]
    >>> table.heading
    'Service Element | Investment'
    """
    heads = _headings(text, kind)
    sections: list[Section] = []
    for i, h in enumerate(heads):
        # a section ends where the next heading of its level or above begins
        end = len(text)
        for later in heads[i + 1 :]:
            if later.level == 0 or (h.level == 1 and not _is_child(later.label, h.label)):
                end = later.line_start
                break
        if h.content_only:
            s, e = h.body_start, text.index("\n", h.body_start) if "\n" in text[h.body_start :] else len(text)
            s, e = _trim(text, s, e)
            e = s + len(text[s:e].rstrip("*").rstrip())
        else:
            s, e = _trim(text, h.body_start, end)
            if s == e:
                s = e = h.body_start
        sections.append(Section(h.name, h.heading, s, e, label=h.label if h.level else ""))
    leaves = [s for s in sections if s.name != "table"]
    for sec in leaves:
        inner = [o for o in leaves if o is not sec and sec.start <= o.start < sec.end]
        if inner:
            continue  # tables are found in the innermost sections only
        sections.extend(_tables(text, sec.start, sec.end))
    sections.sort(key=lambda s: (s.start, -(s.end - s.start)))
    return sections


def enclosing(sections: list[Section], offset: int) -> list[Section]:
    """Every section whose body contains ``offset``, outermost first.

    >>> outer, inner = Section("legal_implications", "", 0, 50), Section("paragraph", "6.3", 4, 20, "6.3")
    >>> [s.name for s in enclosing([outer, inner], 5)]
    ['legal_implications', 'paragraph']
    >>> enclosing([outer, inner], 60)
    []
    """
    hits = [(i, s) for i, s in enumerate(sections) if s.start <= offset < s.end]
    hits.sort(key=lambda p: (-(p[1].end - p[1].start), p[0]))
    return [s for _, s in hits]


def section_at(sections: list[Section], offset: int) -> Section | None:
    """The innermost (most specific) section containing ``offset``, or ``None``.

    >>> outer, inner = Section("legal_implications", "", 0, 50), Section("paragraph", "6.3", 4, 20, "6.3")
    >>> section_at([outer, inner], 5).name, section_at([outer, inner], 30).name
    ('paragraph', 'legal_implications')
    """
    found = enclosing(sections, offset)
    return found[-1] if found else None


def find_sections(sections: list[Section], name: str) -> list[Section]:
    """All sections called ``name``, in text order.

    >>> find_sections([Section("title", "Subject:", 9, 20)], "title")[0].start
    9
    """
    return [s for s in sections if s.name == name]


def find_section(sections: list[Section], name: str) -> Section | None:
    """The first section called ``name``, or ``None``.

    >>> find_section([Section("title", "Subject:", 9, 20)], "decision") is None
    True
    """
    return next((s for s in sections if s.name == name), None)
