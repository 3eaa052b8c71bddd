"""Text structure shared by every stage: the one sentence splitter and the one heading detector.

Sentences
    Real papers break lines mid-sentence, so a single newline is not a boundary; a blank line,
    a bullet (``-``, ``•``, ``a)``), a numbered paragraph (``1.2``) or a Markdown heading is.
    A sentence also ends at ``. ! ? : ;`` before a word starting with a capital or ``£``
    (not after an abbreviation such as "No." or "e.g."; after an amount such as "£1m."), and at
    ``. ! ?`` before an opening
    bracket or quote that precedes a capital. The rules run over the tokens of spaCy's English
    tokenizer (:mod:`kgraph.extract.tokens`), once per text, in one linear pass;
    :func:`sentence_spans` gives the sentences as
    character spans (used by ``kg_sentences`` and by evidence quoting alike).

Headings
    :func:`headings` finds form-field headings ("DECISION NO:", "Subject:"), numbered report
    headings ("2. Financial Implications"), numbered paragraphs ("6.3") and the trailing
    signature block, each with a canonical section name. :mod:`kgraph.extract.sections` turns
    them into sections; components that need only "which heading is above this offset" use
    :func:`heading_above`.

>>> text = "Reasons:\\n\\nKCC agreed to invest £2.65m per year. The model works\\nwell.\\n- a) Give notice"
>>> [text[s:e].strip() for s, e in sentence_spans(text)]
['Reasons:', 'KCC agreed to invest £2.65m per year.', 'The model works\\nwell.', '- a) Give notice']
>>> [(h.name, h.heading) for h in headings("Subject: Care\\n\\nLegal Implications\\n\\n6.3 Section 76.", "Other")]
[('title', 'Subject:'), ('legal_implications', 'Legal Implications'), ('paragraph', '6.3')]
"""

from __future__ import annotations

import bisect
import contextlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from kgraph.extract.profiles import profile_for
from kgraph.extract.tokens import text_of

__all__ = ["sentence_spans", "sentence_starts", "token_columns", "sentence_list", "spans_from_starts", "Sentences", "Heading", "headings",
           "heading_above", "Line", "lines", "pinned_sentences"]

# ------------------------------------------------------------------ sentences

_BREAK_BEFORE = re.compile(r"\n[ \t\r]*\n\s*|\n[ \t]*(?=[-•*#]\s|\(?[a-zA-Z]\)\s|\d+(?:\.\d+)+\s|\d+\.\s)")
_END = frozenset({".", "!", "?", ":", ";"})
_FULL_STOP = frozenset({".", "!", "?"})
_STOP_CHAR = re.compile("[.!?:;]")
_OPENERS = frozenset({"(", "“", '"', "'", "‘"})
_ABBREV = frozenset({"no", "nos", "ref", "e.g", "i.e", "etc", "para", "s", "st"})
_BLANK_LINE = re.compile(r"\n[ \t\r]*\n")
#: Longest sentence, in characters: a longer run with no boundary (a flattened table, a text with
#: no punctuation) is cut at the next token, so that work done per sentence stays linear overall.
#: The longest real sentence seen in council papers is about 1,500 characters.
MAX_SENTENCE_CHARS = 3000


def _starts_sentence(word: str) -> bool:
    return word[:1].isupper() or word[:1] == "£"


def _unit_stop(prev: str, before: str, i: int) -> bool:
    """``prev`` (token ``i - 1``, after ``before``) is a unit the tokenizer kept with its full
    stop ("£1m. Then": ``m.``)."""
    return (i >= 2 and len(prev) > 1 and prev.endswith(".") and prev[:-1].isalpha()
            and before[-1:].isdigit())


def token_columns(doc) -> tuple[list[int], list[int], list[bool]]:
    """Start offset, length and is-space of every token, read as arrays (no Token objects)."""
    from spacy.attrs import IDX, IS_SPACE, LENGTH

    if not len(doc):
        return [], [], []
    idx, length, space = doc.to_array([IDX, LENGTH, IS_SPACE]).T.tolist()
    return idx, length, [bool(x) for x in space]


def sentence_starts(doc, columns: tuple[list[int], list[int], list[bool]] | None = None) -> list[bool]:
    """For each token of a spaCy ``Doc``, whether it starts a sentence (linear in the tokens).

    A boundary that falls on a whitespace token moves to the next real token; a sentence
    longer than :data:`MAX_SENTENCE_CHARS` is cut. Only tokens after a stop, a space or a
    break are examined by the rules.

    >>> from kgraph.extract.structure import _tokenize
    >>> sentence_starts(_tokenize("One. Two"))
    [True, False, True]
    """
    text = text_of(doc)
    idx, length, space = columns or token_columns(doc)
    n = len(idx)
    if not n:
        return []

    def word(i: int) -> str:  # words are cut from the text only where the rules read them
        return text[idx[i] : idx[i] + length[i]]

    breaks = set()
    for m in _BREAK_BEFORE.finditer(text):
        k = bisect.bisect_left(idx, m.end())
        if k < n and idx[k] == m.end():
            breaks.add(k)
    # tokens that end in a stop character: found from the characters (there are few), or by
    # reading every token's last character when there are many (a run of full stops)
    if sum(map(text.count, ".!?:;")) * 4 > n:
        stops = {i + 1 for i, (p, k) in enumerate(zip(idx, length, strict=True)) if text[p + k - 1] in ".!?:;"}
    else:
        stops = set()
        for m in _STOP_CHAR.finditer(text):
            k = bisect.bisect_right(idx, m.start()) - 1
            if k >= 0 and idx[k] + length[k] - 1 == m.start():
                stops.add(k + 1)
    spaces = [i for i, is_space in enumerate(space) if is_space]
    # tokens that may start a sentence: after a stop-like token, after a space token, a space
    # token itself, or a token at a line break
    candidates = sorted(breaks.union(stops, [i + 1 for i in spaces], spaces))
    flags = [False] * n
    flags[0] = True
    for i in candidates:
        if i <= 0 or i >= n:
            continue
        w, prev = word(i), word(i - 1)
        if i in breaks or (space[i] and _BLANK_LINE.search(w)):
            flags[i] = True
        elif prev in _END and not space[i] and _starts_sentence(w):
            flags[i] = not (i >= 2 and word(i - 2).lower() in _ABBREV)
        elif _unit_stop(prev, word(i - 2) if i >= 2 else "", i) and not space[i] and _starts_sentence(w):
            flags[i] = True
        elif (prev in _FULL_STOP and w in _OPENERS and i + 1 < n and not space[i + 1]
              and idx[i + 1] == idx[i] + len(w) and word(i + 1)[:1].isupper()):
            flags[i] = not (i >= 2 and word(i - 2).lower() in _ABBREV)
        elif i >= 2 and space[i - 1] and word(i - 2) in _END:
            flags[i] = _starts_sentence(w)
    for i in spaces:  # in order: a start moved onto a following space token moves on again
        if 1 <= i < n - 1 and flags[i]:
            flags[i] = False
            flags[i + 1] = True
    # cut sentences longer than MAX_SENTENCE_CHARS at the first real token that far from their start
    marks = [i for i, f in enumerate(flags) if f] + [n]
    for a, b in zip(marks, marks[1:], strict=False):
        start, j = idx[a], a + 1
        while True:
            j = bisect.bisect_left(idx, start + MAX_SENTENCE_CHARS, j, b)
            while j < b and space[j]:
                j += 1
            if j >= b:
                break
            flags[j] = True
            start, j = idx[j], j + 1
    return flags


def spans_from_starts(doc, flags: list[bool],
                      columns: tuple[list[int], list[int], list[bool]] | None = None) -> list[tuple[int, int]]:
    """Character spans ``(start, end)`` of the sentences ``flags`` mark (as ``Doc.sents`` gives them)."""
    idx, length, _ = columns or token_columns(doc)
    starts = [i for i, f in enumerate(flags) if f]
    if not starts:
        return []
    ends = starts[1:] + [len(idx)]
    return [(idx[a], idx[b - 1] + length[b - 1]) for a, b in zip(starts, ends, strict=True)]


@lru_cache(maxsize=1)
def _tokenizer():
    import spacy

    from kgraph.extract.tokens import LinearTokenizer

    return LinearTokenizer(spacy.blank("en").tokenizer)


def _tokenize(text: str):
    return _tokenizer()(text)


@lru_cache(maxsize=256)
def sentence_spans(text: str) -> tuple[tuple[int, int], ...]:
    """The sentences of ``text`` as character spans, in order (cached per text).

    >>> sentence_spans("See No. 5 here. Next one.")
    ((0, 15), (16, 25))
    """
    doc = _tokenize(text)
    columns = token_columns(doc)
    return tuple(spans_from_starts(doc, sentence_starts(doc, columns), columns))


def sentence_list(doc) -> list[tuple[int, int]]:
    """A Doc's sentences as character spans: those ``kg_sentences`` left on ``doc._.sentences``,
    else read from ``doc.sents`` (which walks every token each time it is read).

    >>> from kgraph.extract.nlp.pipeline import build_nlp
    >>> nlp = build_nlp(); doc = nlp.get_pipe("kg_sentences")(nlp.make_doc("One here. Two."))
    >>> sentence_list(doc)
    [(0, 9), (10, 14)]
    """
    found = doc._.sentences if doc.has_extension("sentences") else None
    return list(found) if found is not None else [(s.start_char, s.end_char) for s in doc.sents]


class Sentences:
    """Look up the sentence around an offset by bisection.

    >>> s = Sentences.of("One here. Two there. Three.")
    >>> s.around(12, 15)
    (10, 20)
    """

    def __init__(self, spans: tuple[tuple[int, int], ...] | list[tuple[int, int]]):
        self.spans = tuple(spans)
        self._starts = [s for s, _ in self.spans]

    @classmethod
    def of(cls, text: str) -> Sentences:
        return _sentences_of(text)

    def index(self, offset: int) -> int:
        """Index of the sentence containing (or last starting before) ``offset``."""
        return max(bisect.bisect_right(self._starts, offset) - 1, 0)

    def around(self, start: int, end: int) -> tuple[int, int]:
        """From the start of the sentence holding ``start`` to the end of the one holding ``end - 1``."""
        if not self.spans:
            return start, end
        a = self.spans[self.index(start)][0]
        b = self.spans[self.index(max(start, end - 1))][1]
        return min(a, start), max(b, end)


@lru_cache(maxsize=256)
def _sentences_of(text: str) -> Sentences:
    if not _PINNED:
        return Sentences(sentence_spans(text))
    found = next((t[text] for t in reversed(_PINNED) if text in t), None)
    if found is None:
        found = _PINNED[-1][text] = Sentences(sentence_spans(text))
    return found


#: The open :func:`pinned_sentences` blocks (innermost last).
_PINNED: list[dict[str, Sentences]] = []


@contextlib.contextmanager
def pinned_sentences(known: dict[str, tuple[tuple[int, int], ...]] | None = None) -> Iterator[dict[str, Sentences]]:
    """Within the block, every text's sentences are split once and kept, whatever the number of
    texts (the LRU above holds 256): cross-document work quoting sentences of thousands of
    documents in turn tokenizes each once. ``known`` gives sentences already split (text →
    spans); the yielded dict (text → :class:`Sentences`) holds every text split in the block
    (and not already held by an enclosing block).

    >>> with pinned_sentences({"One. Two.": ((0, 4), (5, 9))}) as seen:
    ...     Sentences.of("One. Two.").around(6, 7), Sentences.of("One here. Two there.").around(12, 15)
    ((5, 9), (10, 20))
    >>> sorted(seen)
    ['One here. Two there.', 'One. Two.']
    """
    table = {text: Sentences(spans) for text, spans in (known or {}).items()}
    _PINNED.append(table)
    _sentences_of.cache_clear()
    try:
        yield table
    finally:
        _PINNED.pop()
        _sentences_of.cache_clear()


# ------------------------------------------------------------------ lines and headings

_I = re.IGNORECASE


@dataclass(frozen=True)
class Line:
    """A line of the text: offsets of its content, excluding the newline."""

    start: int
    end: int

    def text(self, source: str) -> str:
        return source[self.start : self.end]


def lines(text: str) -> list[Line]:
    """Every line of ``text`` (an empty text has one empty line).

    >>> lines("ab\\ncd")
    [Line(start=0, end=2), Line(start=3, end=5)]
    """
    out, pos = [], 0
    for raw in text.split("\n"):
        out.append(Line(pos, pos + len(raw)))
        pos += len(raw) + 1
    return out


@dataclass(frozen=True)
class _Field:
    """A form-field heading: canonical name, pattern, and whether text may follow on its line."""

    name: str
    pattern: re.Pattern
    inline: bool = False


def _f(name: str, pattern: str, inline: bool = False) -> _Field:
    return _Field(name, re.compile(pattern, _I), inline)


#: Form-field headings, tried in order on the line content (after ``#``, ``-``, ``**`` markup).
FIELDS: tuple[_Field, ...] = (
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
    ("header", profile_for(None).record_header_regex),  # "<ANY> COUNCIL - PROPOSED RECORD OF DECISION"
    ("publication", re.compile(r"unrestricted|restricted|exempt", _I)),
)

_MARKUP = re.compile(r"[ \t]*(?:#{1,6}[ \t]+|[-•][ \t]+)?(?:\*\*)?[ \t]*")
_REST = re.compile(r"[ \t]*(?:\*\*)?[ \t]*")
_NUMBERED = re.compile(r"[ \t]*(\d{1,2})\.[ \t]+([A-Z][^\n]{0,80}?)[ \t]*$")
_PARAGRAPH = re.compile(r"[ \t]*(\d{1,2}(?:\.\d{1,2})+)\.?[ \t]+(?=[^\s%])")
_SIGNATURE = re.compile(r"[ \t]*(?:\*\*)?(signed|date)(?:\*\*)?[ \t]*:?[ \t]*$", _I)
_SIGN_TAIL = re.compile(r"[.\s]*|(?:signed|date)[\s:.]*", _I)

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
class Heading:
    """A recognised heading: where its line starts, where its body starts, and its identity."""

    line_start: int
    body_start: int
    name: str
    heading: str
    level: int  # 0 top-level section, 1 paragraph
    label: str = ""
    content_only: bool = False


def _field_heading(text: str, line: Line, index: int, kind: str) -> Heading | None:
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
            return Heading(line.start, s, name, "", 0, content_only=True)
    for field in FIELDS:
        fm = field.pattern.match(text, pos, line.end)
        if not fm:
            continue
        rest = _REST.match(text, fm.end(), line.end).end()
        inline = field.inline or text[fm.start() : fm.end()].rstrip().endswith(":")
        if rest < line.end and text[rest:line.end].strip() and not inline:
            continue
        heading = text[fm.start() : fm.end()].strip()
        return Heading(line.start, rest, field.name, heading, 0)
    if kind != "RecordOfDecision":
        nm = _NUMBERED.match(text, line.start, line.end)
        if nm and not nm.group(2).rstrip().endswith(".") and len(nm.group(2).split()) <= 10:
            title = nm.group(2).lower()
            name = next((n for key, n in _NUMBERED_NAMES if key in title), "other")
            return Heading(line.start, line.end, name, text[nm.start(1) : nm.end(2)].strip(), 0,
                           label=nm.group(1))
    return None


def _signature_start(text: str, all_lines: list[Line]) -> int | None:
    """Index of the "signed"/"date" line that begins the form's trailing signature block."""
    # tail[i]: every line from i on is part of a signature block (computed once, from the end)
    n = len(all_lines)
    tail = [True] * (n + 1)
    for i in range(n - 1, -1, -1):
        tail[i] = tail[i + 1] and bool(_SIGN_TAIL.fullmatch(all_lines[i].text(text)))
    for i, line in enumerate(all_lines):
        if _SIGNATURE.match(text, line.start, line.end) and tail[i + 1]:
            return i
    return None


@lru_cache(maxsize=64)
def _headings_cached(text: str, kind: str) -> tuple[Heading, ...]:
    all_lines = lines(text)
    sign = _signature_start(text, all_lines)
    found: list[Heading] = []
    top_number: int | None = None
    for i, line in enumerate(all_lines):
        if i == sign:
            sm = _SIGNATURE.match(text, line.start, line.end)
            found.append(Heading(line.start, line.end, "signature", sm.group(1), 0))
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
            found.append(Heading(line.start, pm.end(), "paragraph", pm.group(1), 1, label=pm.group(1)))
    return tuple(found)


def headings(text: str, kind: str) -> list[Heading]:
    """Every heading of ``text`` (a document of ``kind``), in text order.

    Numbered report headings ("3. Policy Framework") are recognised outside Records of
    Decision and only while their numbers increase; a numbered paragraph belongs to the
    current numbered heading.

    >>> [(h.name, h.label) for h in headings("1. Summary\\n1.1 Text.\\n2. Legal Implications\\nx", "CommitteeReport")]
    [('summary', '1'), ('paragraph', '1.1'), ('legal_implications', '2')]
    """
    return list(_headings_cached(text, kind))


def heading_above(found: list[Heading], offset: int) -> Heading | None:
    """The last top-level heading whose line starts at or before ``offset`` (``found`` in text order).

    >>> hs = headings("Legal Implications\\nThe Act applies.", "CommitteeReport")
    >>> heading_above(hs, 25).name
    'legal_implications'
    """
    tops = [h for h in found if h.level == 0]
    i = bisect.bisect_right([h.line_start for h in tops], offset) - 1
    return tops[i] if i >= 0 else None
