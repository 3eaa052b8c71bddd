"""Run a regular expression only where its first character is: the same matches, found faster.

Python's regex engine skips ahead quickly only when a pattern begins with a plain character
(or character class). A pattern that begins with a look-behind (``(?<![\\w/.\\-])\\d{1,6}``),
an optional part or a repeat is instead tried at every position of the text, which costs
about as much as the rest of a scan put together. :class:`StartScan` reads, once, the set of
characters a match can begin with from the pattern's syntax tree and compiles a *finder*:

    ``[FIRST](?<=(?=PATTERN)[\\s\\S])``

which the engine skips along by ``FIRST`` and which matches, one character long, exactly at the
positions where ``PATTERN`` matches (its look-behinds see the text before, its look-aheads the
text after, as in a plain scan). :meth:`StartScan.finditer` runs ``pattern.match`` at those
positions that the previous match does not cover, so the matches are those of
``pattern.finditer(text, pos, endpos)``, in order (property-tested). A pattern it cannot read
(one that may match the empty string, or begins with a construct it does not know) is
scanned plainly.

>>> s = StartScan(re.compile(r"(?<![\\w/.\\-])(?:\\d{1,6})(?![\\w/]|[.\\-]\\d)"))
>>> s.first
'[\\\\d]'
>>> text = "Decision 123, ref 19/00076, 4.5 and 77"
>>> [m.group() for m in s.finditer(text)] == [m.group() for m in s.pattern.finditer(text)] == ["123", "77"]
True
>>> StartScan(re.compile(r"(?i:may|june)\\s+\\d{4}")).first
'[MmJj]'
"""

from __future__ import annotations

import re
import re._constants as C  # noqa: N812  (the parser's opcodes; kgraph runs on CPython 3.11)
import re._parser as P  # noqa: N812
from collections.abc import Iterator

__all__ = ["StartScan", "first_chars", "case_class", "FOLDED", "CATEGORIES", "REPEATS", "Unsupported"]

#: The characters Python's IGNORECASE treats as an ASCII letter although ``str.lower`` does not
#: make them one (İ, ı, ſ, the Kelvin sign).
FOLDED = "\u0130\u0131\u017f\u212a"

CATEGORIES = {
    C.CATEGORY_DIGIT: r"\d", C.CATEGORY_NOT_DIGIT: r"\D", C.CATEGORY_SPACE: r"\s",
    C.CATEGORY_NOT_SPACE: r"\S", C.CATEGORY_WORD: r"\w", C.CATEGORY_NOT_WORD: r"\W",
}
REPEATS = (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT)
_ZERO_WIDTH = (C.AT, C.ASSERT, C.ASSERT_NOT)


class Unsupported(Exception):
    """A pattern construct the analysis does not follow (the caller falls back to trying every place)."""


def _escaped(ch: str) -> str:
    """``ch`` as it may stand in a character class."""
    if ch.isascii() and ch.isalnum():
        return ch
    return f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}" if ord(ch) < 0x10000 else f"\\U{ord(ch):08x}"


def _char_class(code: int, folds: bool) -> list[str]:
    """The escaped characters a literal stands for (with its case variants when ``folds``)."""
    ch = chr(code)
    if not folds or ch.lower() == ch.upper():
        return [_escaped(ch)]
    if not ch.isascii():
        raise Unsupported(f"case-folded non-ASCII letter {ch!r}")
    variants = {ch.lower(), ch.upper(), *FOLDED}
    return [_escaped(v) for v in sorted(variants) if re.fullmatch(re.escape(ch), v, re.IGNORECASE)]


def case_class(ch: str) -> str:
    """A character class of ``ch`` and every character IGNORECASE takes for it.

    >>> case_class("k"), case_class("7")
    ('[Kk\\\\u212a]', '[7]')
    """
    return "[" + "".join(_char_class(ord(ch), True)) + "]"


def _set_items(items, folds: bool) -> list[str]:
    out: list[str] = []
    for op, av in items:
        if op is C.LITERAL:
            out.extend(_char_class(av, folds))
        elif op is C.RANGE:
            lo, hi = av
            if folds and any(chr(c).lower() != chr(c).upper() for c in range(lo, hi + 1)):
                if hi - lo > 64:
                    raise Unsupported("wide case-folded range")
                for c in range(lo, hi + 1):
                    out.extend(_char_class(c, folds))
            else:
                out.append(_escaped(chr(lo)) + "-" + _escaped(chr(hi)))
        elif op is C.CATEGORY and av in CATEGORIES:
            out.append(CATEGORIES[av])
        else:  # NEGATE and anything else: not read
            raise Unsupported(op)
    return out


def _first(data, folds: bool) -> tuple[list[str], bool]:
    """``(class items, may be empty)``: what the sequence ``data`` may begin with."""
    out: list[str] = []
    for op, av in data:
        if op is C.LITERAL:
            return out + _char_class(av, folds), False
        if op is C.IN:
            return out + _set_items(av, folds), False
        if op in _ZERO_WIDTH:
            continue
        if op is C.SUBPATTERN:
            _, add, remove, sub = av
            inner = bool(add & re.IGNORECASE) or (folds and not remove & re.IGNORECASE)
            if (add | remove) & ~re.IGNORECASE:
                raise Unsupported("inline flags")
            items, empty = _first(sub, inner)
        elif op is C.ATOMIC_GROUP:
            items, empty = _first(av, folds)
        elif op in REPEATS:
            lo, _, sub = av
            items, empty = _first(sub, folds)
            empty = empty or lo == 0
        elif op is C.BRANCH:
            items, empty = [], False
            for alt in av[1]:
                alt_items, alt_empty = _first(alt, folds)
                items += alt_items
                empty = empty or alt_empty
        else:
            raise Unsupported(op)
        out += items
        if not empty:
            return out, False
    return out, True


def first_chars(pattern: re.Pattern) -> str | None:
    """A character class (case-sensitive) holding every character a match of ``pattern`` can
    begin with; None when the pattern's start cannot be read.

    >>> first_chars(re.compile(r"(?:[A-Z]{1,4}\\s?)?(?:19|20)\\d\\d"))
    '[A-Z12]'
    >>> first_chars(re.compile(r"\\w*")) is None
    True
    """
    try:
        tree = P.parse(pattern.pattern, pattern.flags)
        if tree.getwidth()[0] == 0 or pattern.flags & (re.LOCALE | re.VERBOSE):
            raise Unsupported("may match the empty string")
        items, empty = _first(tree.data, bool(pattern.flags & re.IGNORECASE))
    except (Unsupported, RecursionError, re.error):
        return None
    if empty or not items:
        return None
    return "[" + "".join(dict.fromkeys(items)) + "]"


class StartScan:
    """A compiled pattern whose :meth:`finditer` is tried only where a match can begin."""

    def __init__(self, pattern: re.Pattern):
        self.pattern = pattern
        first = first_chars(pattern)
        self.first = first
        self.finder = None
        if first is not None:
            try:
                self.finder = re.compile("(?-i:" + first + r")(?<=(?=(?:" + pattern.pattern + r"))[\s\S])",
                                         pattern.flags)
            except re.error:
                self.finder = None

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match | None:
        """The match of ``pattern.search(text, pos, endpos)``."""
        return next(self.finditer(text, pos, endpos), None)

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None) -> Iterator[re.Match]:
        """The matches of ``pattern.finditer(text, pos, endpos)``, in order."""
        end = len(text) if endpos is None else max(0, min(endpos, len(text)))
        if self.finder is None:
            yield from self.pattern.finditer(text, pos, end)
            return
        last, match = max(pos, 0), self.pattern.match
        for f in self.finder.finditer(text, pos, end):
            i = f.start()
            if i >= last:
                m = match(text, i, end)
                last = m.end()
                yield m
