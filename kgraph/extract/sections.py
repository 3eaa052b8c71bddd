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
offset, :func:`enclosing` all of them. Headings are found by the shared detector,
:func:`kgraph.extract.structure.headings`.

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

import bisect
import re

from kgraph.extract.structure import Line, headings, lines
from kgraph.model import Section, TableRow

__all__ = ["split_sections", "section_at", "enclosing", "find_section", "find_sections"]

_ROW = re.compile(
    r"[ \t]*(?P<label>[A-Za-z(][^\n£]*?)[ \t]+"
    r"(?P<value>£[ \t]?\d[\d,]*(?:\.\d+)?(?:[ \t]?(?:m|k|bn|million))?|\d[\d,]*(?:\.\d+)?%)[ \t]*$"
)
_TABLE_HEADER = re.compile(r"[ \t]*([A-Za-z][A-Za-z ()/&'-]*?\S)[ \t]{2,}([A-Za-z][A-Za-z ()/&'-]*?)[ \t]*$")


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink ``[start, end)`` to exclude surrounding whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _is_child(label: str, parent: str) -> bool:
    return label.startswith(parent + ".")


def _tables(text: str, start: int, end: int) -> list[Section]:
    """Tables flattened into lines (``label  £value``, two rows or more) inside ``[start, end)``."""
    tables: list[Section] = []
    run: list[re.Match] = []
    header: re.Match | None = None
    prev_nonblank: Line | None = None

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

    for line in lines(text[start:end]):
        ln = Line(line.start + start, line.end + start)
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
    heads = headings(text, kind)
    sections: list[Section] = []
    for i, h in enumerate(heads):
        # a section ends where the next heading of its level or above begins
        end = len(text)
        for later in heads[i + 1 :]:
            if later.level == 0 or (h.level == 1 and not _is_child(later.label, h.label)):
                end = later.line_start
                break
        if h.content_only:
            nl = text.find("\n", h.body_start)
            s, e = h.body_start, nl if nl >= 0 else len(text)
            s, e = _trim(text, s, e)
            e = s + len(text[s:e].rstrip("*").rstrip())
        else:
            s, e = _trim(text, h.body_start, end)
            if s == e:
                s = e = h.body_start
        sections.append(Section(h.name, h.heading, s, e, label=h.label if h.level else ""))
    # tables are found in the innermost sections only: those no other section starts inside
    leaves = [s for s in sections if s.name != "table"]
    starts = sorted(s.start for s in leaves)
    for sec in leaves:
        i = bisect.bisect_left(starts, sec.start)
        # another section starting in [sec.start, sec.end): sec itself is one of those at sec.start
        if bisect.bisect_left(starts, sec.end) - i > 1:
            continue
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


class SectionIndex:
    """:func:`enclosing` for many offsets of one document: the sections are cut once at every
    start and end, and an offset finds its piece by bisection (not by reading every section,
    which made a long paper with many mentions quadratic).

    >>> outer, inner = Section("legal_implications", "", 0, 50), Section("paragraph", "6.3", 4, 20, "6.3")
    >>> ix = SectionIndex([outer, inner])
    >>> [s.name for s in ix.enclosing(5)], [s.name for s in ix.enclosing(20)], ix.enclosing(60)
    (['legal_implications', 'paragraph'], ['legal_implications'], [])
    """

    def __init__(self, sections: list[Section]):
        opening: dict[int, list[int]] = {}
        closing: dict[int, list[int]] = {}
        for i, sec in enumerate(sections):
            if sec.start < sec.end:
                opening.setdefault(sec.start, []).append(i)
                closing.setdefault(sec.end, []).append(i)
        self._points = sorted(opening.keys() | closing.keys())
        self._inside: list[tuple[Section, ...]] = []
        active: set[int] = set()
        for p in self._points:
            active.difference_update(closing.get(p, ()))
            active.update(opening.get(p, ()))
            order = sorted(active, key=lambda i: (-(sections[i].end - sections[i].start), i))
            self._inside.append(tuple(sections[i] for i in order))

    def enclosing(self, offset: int) -> list[Section]:
        """``enclosing(sections, offset)``: every section containing ``offset``, outermost first."""
        k = bisect.bisect_right(self._points, offset) - 1
        return list(self._inside[k]) if k >= 0 else []


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
