"""Run a regular expression only where it can match: a prefilter that gives the same matches.

Scanning a 10,000-character paper with a pattern that starts with a case-insensitive word list
costs about a millisecond, and extraction runs dozens of them. :class:`Gated` wraps a compiled
pattern and reads two facts off its syntax tree, once:

* **triggers** — groups of words one of which every match must contain (from the pattern's
  literal text; "approved|agreed|…", month names, "committee|board|…"). They are looked up in
  the lower-cased text with one fast case-sensitive scan per group, shared by every pattern
  that needs the same group;
* **barriers** — punctuation no match can contain (nor any look-around inside it), such as
  ``;`` or ``£`` for a pattern built only from words, spaces and dates.

The text is cut at its barrier characters; the pattern runs (``finditer(text, start, end)``)
only on the pieces that hold a word of every trigger group. Since no match crosses a barrier
and every match holds its triggers, the matches are exactly those of ``pattern.finditer(text)``,
in the same order. A pattern this module cannot reason about (one that may match the empty
string, ends with ``$`` or ``\\Z``, or uses a construct it does not know) is run over the whole
text as before.

Two more modes share the same per-text index (folded text, barrier and trigger positions), which
is why they live in this one module: :class:`Anchored` tries a pattern only just before its
anchor words, and :class:`WordAlternation` tries a long list of alternatives only where a word
starts with one of their first letters. :func:`may_match` answers "can the pattern match in this
stretch?" from the trigger words alone.

>>> p = Gated(re.compile(r"(?i:approved|agreed)\\s+by\\s+(?:the\\s+)?[A-Z]\\w+"))
>>> sorted(p.triggers[0])
['agreed', 'approved']
>>> text = "Costs: £2m; the plan was Approved by the Cabinet. Agreed by Council."
>>> [m.group() for m in p.finditer(text)] == [m.group() for m in p.pattern.finditer(text)]
True
>>> [m.group() for m in p.finditer(text)]
['Approved by the Cabinet', 'Agreed by Council']
"""

from __future__ import annotations

import bisect
import itertools
import re
import re._constants as C  # noqa: N812  (the parser's opcodes; kgraph runs on CPython 3.11)
import re._parser as P  # noqa: N812
from collections import OrderedDict
from collections.abc import Iterator

from kgraph.extract.start_scan import (
    CATEGORIES,
    FOLDED,
    REPEATS,
    StartScan,
    Unsupported,
    case_class,
    first_chars,
)

#: Characters that may serve as barriers (never word characters, never case-sensitive).
BARRIER_CANDIDATES = ".,;:!?()[]{}<>\"'“”‘’£$€%&*+=#@/\\|~^–—-\n\t"
#: Shortest trigger word worth a scan; shorter words ("on", "by") are in nearly every text.
MIN_TRIGGER = 3
#: Words in nearly every paper: a group holding one is not worth a scan.
COMMON = frozenset("the and its for was are has had have that this with which been were not any all".split())
#: Most strings one exact alternative set may expand to before it is treated as free text.
MAX_EXACT = 96
#: Texts whose index (lowered text, barrier and trigger positions) is kept.
INDEX_CACHE = 8

_FOLDED = FOLDED
_FOLD = str.maketrans(_FOLDED, "iisk")
_UNSAFE_AT = (C.AT_END, C.AT_END_LINE, C.AT_END_STRING)


# ------------------------------------------------------------------ barriers


def _category(code, ch: str) -> bool:
    pat = CATEGORIES.get(code)
    if pat is None:
        raise Unsupported(code)
    return bool(re.fullmatch(pat, ch) or re.fullmatch(pat, ch, re.ASCII))


def _in_set(items, ch: str) -> bool:
    negate, hit = False, False
    for op, av in items:
        if op is C.NEGATE:
            negate = True
        elif op is C.LITERAL:
            hit |= chr(av) == ch
        elif op is C.RANGE:
            hit |= av[0] <= ord(ch) <= av[1]
        elif op is C.CATEGORY:
            hit |= _category(av, ch)
        else:
            raise Unsupported(op)
    return hit != negate


def _consumable(data, found: set[str]) -> None:
    """Add to ``found`` every barrier candidate some part of the pattern could match."""
    for op, av in data:
        if op is C.LITERAL:
            found.update(c for c in BARRIER_CANDIDATES if chr(av) == c)
        elif op is C.NOT_LITERAL:
            found.update(c for c in BARRIER_CANDIDATES if chr(av) != c)
        elif op is C.ANY:
            found.update(BARRIER_CANDIDATES)
        elif op is C.IN:
            found.update(c for c in BARRIER_CANDIDATES if _in_set(av, c))
        elif op is C.CATEGORY:
            found.update(c for c in BARRIER_CANDIDATES if _category(av, c))
        elif op is C.SUBPATTERN:
            _consumable(av[3], found)
        elif op is C.BRANCH:
            for alt in av[1]:
                _consumable(alt, found)
        elif op in REPEATS:
            _consumable(av[2], found)
        elif op in (C.ASSERT, C.ASSERT_NOT):
            _consumable(av[1], found)
        elif op is C.ATOMIC_GROUP:
            _consumable(av, found)
        elif op is C.AT:
            if av in _UNSAFE_AT:
                raise Unsupported(av)
        elif op is not C.GROUPREF:
            raise Unsupported(op)


# ------------------------------------------------------------------ triggers


def _char(ch: str) -> str | None:
    """``ch`` as it appears in the folded text, when that is certain."""
    low = ch.lower()
    if ch.isascii() or (low == ch.upper() == ch and len(ch) == 1):
        return low
    return None


def _best(groups: list[frozenset[str]]) -> frozenset[str] | None:
    useful = [g for g in groups if g and min(map(len, g)) >= MIN_TRIGGER]
    return max(useful, key=lambda g: (min(map(len, g)), -len(g))) if useful else None


def _seq(data) -> tuple[set[str] | None, list[frozenset[str]]]:
    """``(exact, groups)``: the strings the sequence matches exactly when that set is small
    (else None), and the groups of strings one of each of which every match contains."""
    groups: list[frozenset[str]] = []
    cur: set[str] | None = {""}
    whole = True
    for item in data:
        exact, inner = _node(*item)
        if exact is not None and cur is not None and len(cur) * len(exact) <= MAX_EXACT:
            cur = {a + b for a in cur for b in exact}
            continue
        if cur and "" not in cur:
            groups.append(frozenset(cur))
        if exact is not None:
            cur = set(exact)
        else:
            cur, whole = {""}, False
            groups.extend(inner)
    if whole and cur is not None:
        return cur, groups
    if cur and "" not in cur:
        groups.append(frozenset(cur))
    return None, groups


def _node(op, av) -> tuple[set[str] | None, list[frozenset[str]]]:
    if op is C.LITERAL:
        ch = _char(chr(av))
        return ({ch} if ch is not None else None), []
    if op is C.IN:
        if all(o is C.LITERAL for o, _ in av) and len(av) <= 4:
            chars = {_char(chr(v)) for _, v in av}
            return (None if None in chars else chars), []
        return None, []
    if op is C.SUBPATTERN:
        return _seq(av[3])
    if op is C.ATOMIC_GROUP:
        return _seq(av)
    if op is C.BRANCH:
        alts = [_seq(alt) for alt in av[1]]
        if all(e is not None for e, _ in alts) and sum(len(e) for e, _ in alts) <= MAX_EXACT:
            return set().union(*(e for e, _ in alts)), []
        best = [_best(g + ([frozenset(e)] if e is not None else [])) for e, g in alts]
        return None, ([frozenset().union(*best)] if all(b is not None for b in best) else [])
    if op in REPEATS:
        lo, hi, sub = av
        exact, groups = _seq(sub)
        if lo == hi == 1:
            return exact, groups
        if lo == 0 and hi == 1 and exact is not None:
            return exact | {""}, []
        if lo >= 1:
            return None, groups + ([frozenset(exact)] if exact and "" not in exact else [])
        return None, []
    if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
        return {""}, []
    return None, []


def trigger_groups(pattern: re.Pattern) -> list[frozenset[str]]:
    """Groups of lower-case words, one of each of which every match of ``pattern`` contains.

    >>> [sorted(g) for g in trigger_groups(re.compile(r"(?:Cabinet|Council)\\s+on\\s+\\d+\\s+(?i:May|June)"))]
    [['cabinet', 'council'], ['june', 'may']]
    """
    _, groups = _seq(P.parse(pattern.pattern, pattern.flags).data)
    out: list[frozenset[str]] = []
    for g in groups:
        # a word that holds another word of its group adds nothing ("january" holds "jan")
        g = frozenset(w for w in g if not any(v != w and v in w for v in g))
        if g and min(map(len, g)) >= MIN_TRIGGER and not g & COMMON and g not in out:
            out.append(g)
    return out


# ------------------------------------------------------------------ per-text index


class _Index:
    """One text, folded to lower case, with its barrier and trigger positions found on demand."""

    def __init__(self, text: str):
        folded = (text.translate(_FOLD) if any(c in text for c in _FOLDED) else text).lower()
        self.folded = folded if len(folded) == len(text) else None
        self.text = text
        self._barriers: dict[str, list[int]] = {}
        self._triggers: dict[frozenset[str], list[int]] = {}
        self._pieces: dict[tuple[str, frozenset[str]], set[int]] = {}

    def barriers(self, chars: str) -> list[int]:
        found = self._barriers.get(chars)
        if found is None:
            rx = re.compile("[" + re.escape(chars) + "]") if chars else None
            found = [m.start() for m in rx.finditer(self.text)] if rx else []
            self._barriers[chars] = found
        return found

    def pieces(self, barriers: str, group: frozenset[str]) -> set[int]:
        """Indexes of the pieces (between ``barriers``) that hold a word of ``group``."""
        found = self._pieces.get((barriers, group))
        if found is None:
            cuts = self.barriers(barriers)
            found = self._pieces[barriers, group] = {bisect.bisect_right(cuts, p) for p in self.triggers(group)}
        return found

    def triggers(self, group: frozenset[str]) -> list[int]:
        found = self._triggers.get(group)
        if found is None:
            found, folded = [], self.folded
            for word in group:  # str.find is far faster than a regex alternation
                i = folded.find(word)
                while i >= 0:
                    found.append(i)
                    i = folded.find(word, i + 1)
            self._triggers[group] = found
        return found


_INDEXES: OrderedDict[str, _Index] = OrderedDict()


def _index(text: str) -> _Index:
    ix = _INDEXES.get(text)
    if ix is None:
        ix = _INDEXES[text] = _Index(text)
        if len(_INDEXES) > INDEX_CACHE:
            _INDEXES.popitem(last=False)
    else:
        _INDEXES.move_to_end(text)
    return ix


_GROUPS: dict[re.Pattern, list[frozenset[str]]] = {}


def may_match(pattern: re.Pattern, text: str, start: int, end: int, tail: str = "") -> bool:
    """False only when ``pattern`` cannot match in ``text[start:end] + tail``: that string lacks
    every word of one of its trigger groups. For a pattern read many times over short stretches
    of one text (the words before each number), where cutting the text into pieces does not pay.

    >>> rx = re.compile(r"decision\\s+no\\.?\\s*$", re.IGNORECASE)
    >>> t = "Minute 4. DECISION No. 12"
    >>> may_match(rx, t, 0, 8), may_match(rx, t, 0, 23), may_match(rx, t, 10, 17, "n")
    (False, True, True)
    """
    groups = _GROUPS.get(pattern)
    if groups is None:
        groups = _GROUPS[pattern] = trigger_groups(pattern)
    if not groups:
        return True
    folded = _index(text).folded
    if folded is None:
        return True
    if tail:
        folded = folded[start:end] + tail.translate(_FOLD).lower()
        start, end = 0, len(folded)
    return all(any(folded.find(w, start, end) >= 0 for w in group) for group in groups)


class Gated:
    """A compiled pattern whose :meth:`finditer` skips the parts of a text it cannot match in."""

    def __init__(self, pattern: re.Pattern):
        self.pattern = pattern
        try:
            tree = P.parse(pattern.pattern, pattern.flags)
            if tree.getwidth()[0] == 0 or pattern.flags & re.LOCALE:
                raise Unsupported("may match the empty string")
            found: set[str] = set()
            _consumable(tree.data, found)
            self.barriers = "".join(c for c in BARRIER_CANDIDATES if c not in found)
            self.triggers = trigger_groups(pattern)
            self.supported = True
        except (Unsupported, RecursionError):
            self.barriers, self.triggers, self.supported = "", [], False
        self._scan = StartScan(pattern)  # in a piece, tried only where a match can begin

    def finditer(self, text: str) -> Iterator[re.Match]:
        """The matches of ``pattern.finditer(text)``, in order."""
        if not self.supported or (not self.triggers and not self.barriers):
            yield from self.pattern.finditer(text)
            return
        ix = _index(text)
        if ix.folded is None:
            yield from self.pattern.finditer(text)
            return
        cuts = ix.barriers(self.barriers)
        pieces: set[int] | None = None
        for group in self.triggers:
            mine = ix.pieces(self.barriers, group)
            pieces = mine if pieces is None else pieces & mine
            if not pieces:
                return
        for k in sorted(pieces) if pieces is not None else range(len(cuts) + 1):
            start = cuts[k - 1] + 1 if k else 0
            end = cuts[k] if k < len(cuts) else len(text)
            if start < end:
                yield from self._scan.finditer(text, start, end)


class Anchored:
    """Anchor mode: the pattern ``lead + rest``, tried only at the starts just before its anchor.

    For a pattern the barriers and triggers cannot cut finely (a title in brackets may hold any
    punctuation, "." may end a date) but where, in every match, the regex ``anchor`` matches at a
    place after the match's start with only characters the ``lead`` ("(the) BODY") may hold
    before it (", on", " decision" right after the lead). A match then starts
    after the last character the lead can never hold (its barriers, read off its syntax tree)
    before such a place, or at the end of the previous match; only those starts are tried, in
    order, and only where a match can begin (:func:`~kgraph.extract.start_scan.first_chars`).
    The matches are those of ``pattern.finditer``, property-tested per pattern. ``anchor`` is
    compiled without ``flags``.

    >>> body = r"(?P<body>Cabinet|Council)"
    >>> a = Anchored(r"(?:the\\s+)?" + body, r",\\s+on\\s+\\d+\\s+May", r",\\s+on\\s")
    >>> t = "Yes. The Cabinet, on 2 May; Council, on 1 May; the Council, on June"
    >>> [m.group() for m in a.finditer(t)] == [m.group() for m in a.pattern.finditer(t)]
    True
    >>> [m.group("body") for m in a.finditer(t)], a.barriers[:6]
    (['Cabinet', 'Council'], '.,;:!?')
    """

    def __init__(self, lead: str, rest: str, anchor: str, flags: int = 0):
        self.pattern = re.compile(lead + rest, flags)
        self.anchor = re.compile(anchor)
        tree = P.parse(lead, flags)
        if tree.getwidth()[0] == 0:
            raise ValueError(f"lead {lead!r} may match the empty string")
        found: set[str] = set()
        _consumable(tree.data, found)
        self.barriers = "".join(c for c in BARRIER_CANDIDATES if c not in found)
        first = first_chars(self.pattern)
        self._starts = re.compile(first) if first else None

    def finditer(self, text: str) -> Iterator[re.Match]:
        """The matches of ``pattern.finditer(text)``, in order."""
        match, starts, pos = self.pattern.match, self._starts, 0
        cuts = _index(text).barriers(self.barriers)
        for anchor in self.anchor.finditer(text):
            a = anchor.start()
            if a < pos:
                continue
            k = bisect.bisect_left(cuts, a) - 1
            start = cuts[k] + 1 if k >= 0 and cuts[k] >= pos else pos
            tries = (m.start() for m in starts.finditer(text, start, a)) if starts else range(start, a)
            for s in tries:
                m = match(text, s)
                if m is not None:
                    yield m
                    pos = m.end()
                    break
            else:
                pos = a


class WordAlternation:
    """``before(?:A1|A2|…)after`` for a long list of alternatives that each start with known
    letters (gazetteer labels). Each alternative is keyed by its first plain letters (between
    :attr:`KEY` and :attr:`LONGEST_KEY` of them, as many as its head has). Only the places where a
    word starts with some key are visited (one scan, :class:`~kgraph.extract.start_scan.StartScan`),
    and there only the alternatives whose keys the word begins with are tried, in their order, so
    the matches are those of the whole alternation. ``alternatives`` are ``(regex source, its
    first letters as written)``; a source that does not begin with those letters raises
    ``ValueError``.

    >>> w = WordAlternation([(r"(?i:care\\s+act\\s+2014)", "Care"), ("TUPE", "TUPE"), ("Care", "Care")])
    >>> [m.group() for m in w.finditer("The CARE Act 2014, TUPE and Tuped; Care.")]
    ['CARE Act 2014', 'TUPE', 'Care']
    >>> sorted(w._subs)
    ['care', 'tupe']
    """

    KEY = 2
    LONGEST_KEY = 4

    def __init__(self, alternatives: list[tuple[str, str]], *, before: str = r"(?<![\w'])",
                 after: str = r"(?![\w'])"):
        self.whole = re.compile(before + "(?:" + "|".join(s for s, _ in alternatives) + ")" + after)
        keyed: list[tuple[str, str]] = []
        for source, head in alternatives:
            n = 0
            while n < min(len(head), self.LONGEST_KEY) and head[n].isascii() and head[n].isalnum():
                n += 1
            key = head[:n]
            folds = source.startswith("(?i:")
            body = source[4:] if folds else source
            starts = body[:n].lower() == key.lower() if folds else body.startswith(key)
            if n < self.KEY or not starts:
                raise ValueError(f"alternative {source!r} does not start with {head[: self.KEY]!r}")
            keyed.append((key.lower(), source))
        # a word that begins with key k may match the alternatives keyed by k or by a prefix of k
        self._subs = {k: re.compile(before + "(?:" + "|".join(src for kk, src in keyed if k.startswith(kk)) + ")" + after)
                      for k in dict.fromkeys(k for k, _ in keyed)}
        self._lengths = sorted({len(k) for k in self._subs}, reverse=True)
        keys = _key_trie(set(self._subs))
        self._first = re.compile(before + "(?:" + keys + ")")
        # "(?<![X])" before a key is "[^X]" consumed right before it: the engine then visits only
        # the characters between words, not every letter
        lone = re.fullmatch(r"\(\?<!\[([^\]]+)\]\)", before)
        self._starts = (re.compile("[^" + lone[1] + "](?=" + keys + ")") if lone
                        else StartScan(re.compile(before + "(?:" + keys + ")")))
        self._shift = 1 if lone else 0

    def finditer(self, text: str) -> Iterator[re.Match]:
        """The matches of the whole alternation's ``finditer(text)``, in order."""
        folded = _index(text).folded
        if folded is None:
            yield from self.whole.finditer(text)
            return
        pos, subs, lengths, shift = 0, self._subs, self._lengths, self._shift
        first = [0] if shift and self._first.match(text) else []
        for p in itertools.chain(first, (m.start() + shift for m in self._starts.finditer(text))):
            if p < pos:
                continue
            for n in lengths:
                sub = subs.get(folded[p : p + n])
                if sub is not None:
                    hit = sub.match(text, p)
                    if hit is not None:
                        pos = hit.end()
                        yield hit
                    break


def _key_trie(keys: set[str]) -> str:
    """A case-insensitive pattern (written with character classes, which the regex engine skips
    along fast) that matches where one of ``keys`` (lower case, letters and digits) does.

    >>> _key_trie({"ca", "care", "lga"})
    '[Cc][Aa](?:[Rr][Ee])?|[Ll][Gg][Aa]'
    """
    groups: dict[str, set[str]] = {}
    for k in keys:
        groups.setdefault(k[0], set()).add(k[1:])
    alts = []
    for ch, rests in sorted(groups.items()):
        inner = {r for r in rests if r}
        tail = _key_trie(inner) if inner else ""
        if inner and ("" in rests or len({r[0] for r in inner}) > 1):
            tail = "(?:" + tail + ")" + ("?" if "" in rests else "")
        alts.append(case_class(ch) + tail)
    return "|".join(alts)
