"""Titles of Acts and statutory instruments, whether or not the gazetteer lists them.

:func:`find_instruments` finds every "<Title> Act <year>", "... Regulations <year>",
"... Order <year>" and "... Rules <year>" (also "Act, 2006", "Act (2014)", "the 2004 Civil
Contingencies Act", "(as amended)" after it), and every gazetteer label or short name
("TUPE", "LGA 1972", "Homelessness Reduction Act"). Each becomes an :class:`Instrument`:
the gazetteer entry when the title resolves to one (exactly, or by
:func:`~kgraph.extract.gazetteers.legislation.title_key`, which forgives case, apostrophes,
``&`` and a plural ``s`` — then ``how`` is ``misnamed``), else an unlisted instrument with
the title as written (``entry`` is ``None``: not resolved to legislation.gov.uk).
A title without a year is kept only when it is a gazetteer label.

Titles are found by walking back from the keyword over title words (capitalised words,
``and of for in on to by with``, bracketed groups), stopping at anything else, at "The"
and other words that never start a title, and at a heading line above the title.

>>> [(i.title, i.how, i.listed) for i in find_instruments(
...     "under the Harbours Act 1964 and the Childrens Act 1989 (as amended), not the Act")]
[('Harbours Act 1964', 'explicit', False), ('Children Act 1989', 'misnamed', True)]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kgraph.extract.gazetteers.legislation import (
    ActEntry,
    label_index,
    normalise_label,
    resolve_title,
)
from kgraph.extract.prefilter import WordAlternation
from kgraph.extract.spans import SpanCover
from kgraph.extract.start_scan import StartScan

#: Most characters a title may run back from its keyword.
TITLE_MAX_CHARS = 220

_KIND = r"(?P<kind>Act|Regulations?|Order|Rules)"
_YEAR = r"(?P<year>(?:18|19|20)\d{2})"
_KEYWORD = re.compile(
    rf"\b{_KIND}(?:(?:[ \t]*,)?[ \t]*\n?[ \t]*{_YEAR}|[ \t]*\([ \t]*(?P<pyear>(?:18|19|20)\d{{2}})[ \t]*\))?"
    r"(?![\w/-])"
)
_KEYWORD_SCAN = StartScan(_KEYWORD)  # tried only where a keyword can begin
# "the 2004 Civil Contingencies Act"
_YEAR_FIRST = re.compile(r"(?<![\w/])(?P<year>(?:19|20)\d{2})[ \t]+(?=[A-Z])")
_TOKEN = re.compile(r"\n[ \t]*\n|\n|[()]|No\.|[A-Za-z][A-Za-z'\u2019-]*|\d+|,|&|\S")
_CONNECTORS = frozenset({"and", "of", "for", "in", "on", "to", "by", "with", "&", "etc", "etc.", ","})
# capitalised words that never belong to a title: a title starts after them
_STOP = frozenset(
    "The This That These Those A An Under In By For Of To And With As See Per Whilst While Where "
    "When If Although Since Both Each All Any Following Pursuant From On At Also It Its Is Was "
    "Has Have Be Are Our Their His Her Section Sections Schedule Schedules Part Parts Paragraph "
    "Paragraphs Article Articles Act Acts Chapter Note Notes Subject Within Via Than Not No "
    "Nor Or But Accordance Relevant Legal Implications".split()
)
# a line ending in one of these words is a heading, not the start of a title
_HEADING_WORDS = frozenset(
    "implications considerations background summary introduction decision decisions reasons "
    "reason recommendation recommendations comments context purpose options legislation "
    "framework basis powers issues risks report title subject proposal proposals".split()
)
# a council's own rule books ("Contract Procedure Rules 2019", "Financial Regulations 2021"): not legislation
_OWN_RULE_WORDS = frozenset(
    "council councils contract contracts procedure procedures financial finance budget policy framework "
    "procurement standing access to information officer officers employment member members scrutiny "
    "executive cabinet and of the s".split()
)
_OK_IN_BRACKETS = re.compile(r"[A-Za-z][A-Za-z'\u2019-]*|\d+|No\.|,|&")


@dataclass(frozen=True)
class Instrument:
    """An Act or SI named in the text: ``entry`` when the gazetteer holds it, else ``None``."""

    start: int
    end: int
    title: str
    year: int | None
    is_instrument: bool  # an SI (regulations, order, rules), not an Act
    how: str  # explicit | misnamed
    entry: ActEntry | None = None

    @property
    def listed(self) -> bool:
        """True when resolved to a legislation.gov.uk id through the gazetteer."""
        return self.entry is not None


def _title_start(text: str, end: int) -> int | None:
    """Where the title that ends at ``end`` (just before its keyword) starts, if anywhere."""
    lo = max(0, end - TITLE_MAX_CHARS)
    tokens = [(m.group(), m.start()) for m in _TOKEN.finditer(text, lo, end)]
    good: int | None = None  # start of the leftmost accepted title word
    depth, pending = 0, None  # inside brackets (walking backwards); start of an open group
    for tok, pos in reversed(tokens):
        if tok.startswith("\n") and tok.strip(" \t\n") == "" and tok.count("\n") > 1:
            break
        if tok == "\n":
            continue
        if depth:
            if tok == "(":
                depth, pending = 0, None
                continue
            if _OK_IN_BRACKETS.fullmatch(tok) or tok.lower() in _CONNECTORS:
                continue
            return good  # not a title's bracket group: the title starts after it
        if tok == ")":
            depth, pending = 1, good
            continue
        if tok[0].isupper() and tok not in _STOP and not tok[0].isdigit():
            good = pos
        elif tok.lower() in _CONNECTORS:
            continue
        else:
            break
    return good if not depth else pending


def _cut_heading(text: str, start: int, end: int) -> int:
    """Move ``start`` below a heading line that the title run swallowed."""
    nl = text.find("\n", start, end)
    while nl != -1:
        line_start = text.rfind("\n", 0, start) + 1
        head = text[line_start:nl].strip()
        last = head.rsplit(None, 1)[-1].lower() if head else ""
        whole_line = not text[line_start:start].strip()
        if whole_line and (last in _HEADING_WORDS or head.endswith(":")):
            start = nl + 1
            while start < end and text[start] in " \t\n":
                start += 1
        nl = text.find("\n", nl + 1, end)
    return start


def _clean(title: str) -> str:
    return re.sub(r"\s+", " ", title).strip()


def _candidates(text: str):
    """``(span start, words start, words end, span end, " <keyword>[ <year>]", year)`` for every
    keyword with title words before it."""
    for m in _KEYWORD_SCAN.finditer(text):
        year = m["year"] or m["pyear"]
        start = _title_start(text, m.start())
        if start is None:
            continue
        start = _cut_heading(text, start, m.start())
        if start >= m.start():
            continue
        words_end = m.start()
        while text[words_end - 1] in " \t\n":
            words_end -= 1
        yf = None
        if year is None:  # "the 2004 Civil Contingencies Act"
            lo = max(0, start - 12)
            yf = re.search(r"\bthe[ \t]+((?:19|20)\d{2})[ \t]+$", text[lo:start], re.IGNORECASE)
        if yf is not None:
            yield lo + yf.start(1), start, words_end, m.end(), f" {m['kind']} {yf[1]}", int(yf[1])
        else:
            yield start, start, words_end, m.end(), f" {m['kind']}" + (f" {year}" if year else ""), \
                int(year) if year else None


@lru_cache(maxsize=1)
def _label_regex() -> WordAlternation | re.Pattern:
    """Gazetteer labels with a year (any case: "local government act 1972") or without a
    title keyword ("TUPE", "LGA 1972"); year-less titles ("Care Act") only as title runs.
    Tried only where a word starts with a label's first letters (:class:`WordAlternation`)."""
    labels = set()
    for entry, _how in label_index().values():
        for label in (entry.title, *entry.aliases, *entry.misnamings):
            if re.search(r"\b\d{4}\b", label) or not re.search(r"\b(?:Act|Regulations?|Order|Rules)\b", label):
                labels.add(label)
    alts = []
    for label in sorted(labels, key=lambda s: (-len(s), s)):
        pat = r"\s+".join(r"(?:and|&)" if w.lower() in {"and", "&"} else
                          re.escape(w).replace("'", "['\u2019]?").replace("\u2019", "['\u2019]?")
                          for w in label.split())
        alts.append((f"(?i:{pat})" if re.search(r"\b\d{4}\b", label) else pat, label))
    try:
        return WordAlternation(alts)
    except ValueError:  # a label that starts with no plain letters: the whole alternation
        return re.compile(r"(?<![\w'])(?:" + "|".join(a for a, _ in alts) + r")(?![\w'])")


def _own_rule_book(title: str) -> bool:
    """An unlisted title made only of the words councils name their own rules with.

    >>> _own_rule_book("Contract Procedure Rules 2019"), _own_rule_book("Harbours Act 1964")
    (True, False)
    """
    words = re.findall(r"[a-z]+", title.lower())[:-1]  # less the keyword (the year has no letters)
    return title.split()[-2] != "Act" and all(w in _OWN_RULE_WORDS for w in words)


def _is_instrument_title(title: str) -> bool:
    return re.search(r"\b(?:Regulations?|Order|Rules)\b(?:\s+\d{4})?$", title) is not None


def find_instruments(text: str) -> list[Instrument]:
    """Every Act or SI named in ``text``, in order; overlapping names keep the longest.

    >>> [(i.title, i.year, text[i.start:i.end]) for text in ["the 2004 Civil Contingencies Act applies"]
    ...  for i in find_instruments(text)]
    [('Civil Contingencies Act 2004', 2004, '2004 Civil Contingencies Act')]
    >>> [i.title for i in find_instruments("Legal Implications\\nCare Act 2014 duties; TUPE; Adult Care Act")]
    ['Care Act 2014', 'Transfer of Undertakings (Protection of Employment) Regulations 2006']
    """
    found: list[Instrument] = []
    spans: list[tuple[int, int]] = []  # every title-shaped run, resolved or not
    for start, w_start, w_end, end, suffix, year in _candidates(text):
        spans.append((start, end))
        title = _clean(text[w_start:w_end]) + suffix
        hit = resolve_title(title)
        if hit is None:  # "Farm Business Tenancies and Agricultural Holdings Act", "Cabinet, Care Act 2014"
            for m in re.finditer(r"(?:\s(?:and|&)|,)\s+(?=[A-Z])", text[w_start:w_end]):
                hit = resolve_title(_clean(text[w_start + m.end() : w_end]) + suffix)
                if hit is not None:
                    start = w_start + m.end() if start == w_start else start
                    break
        if hit is not None:
            entry, how = hit
            found.append(Instrument(start, end, entry.title, entry.year, entry.is_instrument, how, entry))
        elif year is not None and len(title.split()) >= 3 and not _own_rule_book(title):
            found.append(Instrument(start, end, title, year, _is_instrument_title(title), "explicit"))
    titles = SpanCover(spans)
    for m in _label_regex().finditer(text):
        if titles.covers(m.start(), m.end()):
            continue  # a short name inside a longer title
        hit = label_index().get(normalise_label(m.group()))
        if hit is not None:
            entry, how = hit
            found.append(Instrument(m.start(), m.end(), entry.title, entry.year, entry.is_instrument, how, entry))
    found.sort(key=lambda i: (i.start, -(i.end - i.start)))
    out: list[Instrument] = []
    for inst in found:
        if out and inst.start < out[-1].end:
            continue
        out.append(inst)
    return out
