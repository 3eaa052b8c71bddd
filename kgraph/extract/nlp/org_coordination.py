"""Names that share one plural head word: each conjunct is an organisation of its own.

* list before the head: "Bishop Challoner RC Secondary, St Anne's and Guardian Angels RC
  Primary and St Elizabeth RC Primary Schools", "Surrey and Kent County Councils",
  "Southport and Formby and South Sefton CCGs", "Medway and Dartford and Gravesham NHS Trusts";
* list after the head: "the two Clinical Commissioning Groups (CCGs) of Southport and Formby
  and South Sefton";
* a possessive written without its apostrophe: "Winchester City Councils response".

"and" may sit inside a name ("Southport and Formby", "St Anne's and Guardian Angels"), so a
list is split into conjuncts only where every conjunct is a name and the split is the only
one that works; otherwise nothing is read. Councils and CCGs must be in the register
(the conjunct plus the singular head is one of its names; NHS trusts likewise); schools must end with a phase
word ("Primary", "Secondary", ...), hold a word that is neither generic nor a council's
place name ("Kent Primary and Secondary Schools" names no school), and there must be two
of them. One name before a plural head is not a list ("the Sefton Clinical Commissioning
Groups"), except a council with its type word ("Winchester City Councils"), which can only
be that council.

>>> from kgraph.extract.gazetteers.organisations import OrgEntry
>>> e = {"southport and formby clinical commissioning group": OrgEntry("NHS Southport and Formby CCG", "CCG", "s"),
...      "south sefton clinical commissioning group": OrgEntry("NHS South Sefton CCG", "CCG", "t")}
>>> words = "the CCGs of Southport and Formby and South Sefton , to".split()
>>> def name_of(i, j):
...     entry = e.get(" ".join(words[i:j]).lower() + " clinical commissioning group")
...     return entry.name if entry else None
>>> split_list(words, 3, 9, name_of)
[(3, 6, 'NHS Southport and Formby CCG'), (7, 9, 'NHS South Sefton CCG')]
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from kgraph.extract.gazetteers.organisations import OrgEntry, normalise_label
from kgraph.extract.nlp.org_patterns import GENERIC, LEADING_STOP, OF_INSIDE

#: Most tokens a coordinated list may hold.
MAX_LIST_TOKENS = 30
#: Words a school's name ends with before a shared "Schools".
PHASES = frozenset("primary secondary junior infant infants nursery high grammar special middle upper".split())
_SEPARATORS = {",", "and"}
_NAME_WORD = re.compile(r"^([A-Z0-9][A-Za-z0-9'\-\.&]*|'s|')$")
_COUNCIL_WORDS = frozenset("""council councils county borough district city metropolitan london royal of
    the corporation mbc bc dc cc town parish and""".split())

#: plural head key → (singular name tail, kind test, may a single conjunct stand alone)
_HEADS = {
    "schools": ("School", None, False),
    "academies": ("Academy", None, False),
    "ccgs": ("Clinical Commissioning Group", "ClinicalCommissioningGroup", False),
    "county": ("County Council", "LocalAuthority", True),
    "district": ("District Council", "LocalAuthority", True),
    "borough": ("Borough Council", "LocalAuthority", True),
    "city": ("City Council", "LocalAuthority", True),
    "councils": ("Council", "LocalAuthority", False),
    "nhs_trusts": ("NHS Trust", "NHSTrust", False),
    "nhs_fts": ("NHS Foundation Trust", "NHSTrust", False),
}


@dataclass(frozen=True)
class Conjunct:
    """One name read from a list: view tokens ``[start, end)``, its name and kind, and the
    register entry when it is one."""

    start: int
    end: int
    name: str
    kind: str
    entry: OrgEntry | None


def council_places(orgs: dict[str, OrgEntry]) -> frozenset[str]:
    """Lower-cased place names of councils ("kent", "tower hamlets"): words a school's name
    needs more than.

    >>> council_places({"Kent County Council": OrgEntry("Kent County Council", "LocalAuthority", "k")})
    frozenset({'kent'})
    """
    out = set()
    for e in orgs.values():
        if e.kind in ("LocalAuthority", "CombinedAuthority"):
            for label in (e.name, *e.aliases):
                place = " ".join(w for w in normalise_label(label).split() if w not in _COUNCIL_WORDS)
                if place:
                    out.add(place)
    return frozenset(out)


#: Prefix of the match keys of plural heads in a shared Matcher.
PLURAL = "plural:"


def add_patterns(add: Callable[[str, Sequence[str], bool], None]) -> None:
    """Give the plural heads to ``add(key, phrases, as_written)`` (keys ``PLURAL`` + a key of
    ``_HEADS``), so that the recogniser's phrase matchers find them with its other words."""
    add(PLURAL + "schools", ["Schools"], True)
    add(PLURAL + "academies", ["Academies"], True)
    add(PLURAL + "ccgs", ["CCGs"], True)
    add(PLURAL + "ccgs", ["clinical commissioning groups"], False)
    for kind in ("county", "district", "borough", "city"):
        add(PLURAL + kind, [f"{kind} councils"], False)
    add(PLURAL + "councils", ["Councils"], True)
    add(PLURAL + "nhs_trusts", ["nhs trusts"], False)
    add(PLURAL + "nhs_fts", ["nhs foundation trusts"], False)


def _school_name(words: Sequence[str], places: frozenset[str]) -> bool:
    """A school's name before a shared "Schools": one phase word, at the end ("Infant and
    Nursery" counts as one), a word of its own that is not a council's place.

    >>> _school_name("St Mary 's Infant and Nursery".split(), frozenset())
    True
    >>> _school_name("Oak Primary and Elm Primary".split(), frozenset()), _school_name(["Kent", "Primary"], frozenset({"kent"}))
    (False, False)
    """
    if words[-1].lower() not in PHASES:
        return False
    n = len(words)
    if any(w.lower() in PHASES and not (k == n - 3 and words[k + 1] == "and") for k, w in enumerate(words[:-1])):
        return False
    generic = GENERIC["School"]
    own = [w for w in words if w.lower().strip(".") not in generic and w not in ("'s", "'")]
    return bool(own) and normalise_label(" ".join(own)) not in places


def split_list(words: Sequence[str], start: int, end: int,
               name_of: Callable[[int, int], object]) -> list[tuple[int, int, object]] | None:
    """The one way to cut ``words[start:end]`` at "," / "and" into names (``name_of(i, j)``
    gives the name of ``words[i:j]`` or None), as ``(i, j, name)``; None when there is none
    or more than one.

    >>> ws = ["a", "and", "b", "and", "c", ",", "d"]
    >>> names = {"a": "A", "b and c": "BC", "b": "B", "c": "C"}
    >>> def name_of(i, j): return names.get(" ".join(ws[i:j]))
    >>> split_list(ws, 0, 3, name_of)
    [(0, 1, 'A'), (2, 3, 'B')]
    >>> split_list(ws, 0, 5, name_of) is None  # "b", "c" or "b and c": not settled
    True
    >>> split_list(ws, 0, 7, name_of) is None  # "d" is no name
    True
    """
    memo: dict[int, tuple[int, list]] = {}

    def ways(i: int) -> tuple[int, list]:
        if i in memo:
            return memo[i]
        count, best = 0, []
        for j in range(i + 1, end + 1):
            if j < end and words[j] not in _SEPARATORS:
                continue
            if words[i] in _SEPARATORS or words[j - 1] in _SEPARATORS:
                continue
            name = name_of(i, j)
            if name is None:
                continue
            if j == end:
                rest_count, rest = 1, []
            else:
                nxt = j + 2 if j + 1 < end and words[j] == "," and words[j + 1] == "and" else j + 1
                if nxt >= end:
                    continue
                rest_count, rest = ways(nxt)
            if rest_count:
                count += rest_count
                best = [(i, j, name), *rest]
            if count > 1:
                break
        memo[i] = (min(count, 2), best)
        return memo[i]

    count, best = ways(start)
    return best if count == 1 else None


class Coordination:
    """Read coordinated names around plural heads in a matching view (see the module doc)."""

    def __init__(self, add: Callable[[str, Sequence[str], bool], None], folded: dict[str, OrgEntry],
                 places: frozenset[str]):
        add_patterns(add)
        self.folded = folded
        self.places = places

    def __call__(self, words: list[str], matches: list[tuple[str, int, int]], text: str,
                 spans: list[tuple[int, int]]) -> list[Conjunct]:
        """Names read around the plural heads ``matches`` (``(key, start, end)`` from the
        Matcher) in the view's ``words``; ``spans`` map view tokens to ``text``."""
        heads: dict[int, tuple[str, int]] = {}
        for key, s, e in matches:
            if e not in heads or s < heads[e][1]:  # "County Councils" before bare "Councils"
                heads[e] = (key[len(PLURAL):], s)
        out: list[Conjunct] = []
        for e, (key, s) in sorted(heads.items()):
            out += self._before(words, key, s, e, text, spans) or self._after(words, key, e, text, spans)
        return out

    def _name_of(self, words, key: str, text: str, spans: list[tuple[int, int]]):
        tail, kind, _ = _HEADS[key]

        def name_of(i: int, j: int):
            surface = " ".join(text[spans[i][0]:spans[j - 1][1]].replace("\u2019", "'").split())
            if kind is None:
                return (f"{surface} {tail}", "School", None) if _school_name(words[i:j], self.places) else None
            entry = self.folded.get(normalise_label(f"{surface} {tail}"))
            return (entry.name, entry.kind, entry) if entry is not None and entry.kind == kind else None
        return name_of

    def _read(self, words, key, starts, ends, text, spans, minimum) -> list[Conjunct]:
        name_of = self._name_of(words, key, text, spans)
        for s in starts:
            for e in ends:
                if e <= s:
                    continue
                found = split_list(words, s, e, name_of)
                if found and len(found) >= minimum:
                    return [Conjunct(i, j, *name) for i, j, name in found]
        return []

    def _before(self, words, key, head_start, head_end, text, spans) -> list[Conjunct]:
        """The list before a plural head; the last name's mention runs to the head's end."""
        i = head_start
        while i > 0 and head_start - i < MAX_LIST_TOKENS:
            w = words[i - 1]
            if not (_NAME_WORD.match(w) or w in _SEPARATORS
                    or (w == "of" and i > 1 and words[i - 2].lower() in OF_INSIDE)):
                break
            i -= 1
        starts = [j for j in range(i, head_start) if words[j] not in _SEPARATORS
                  and words[j].lower() not in LEADING_STOP and (j == i or words[j - 1] in _SEPARATORS
                                                                 or words[j - 1].lower() in LEADING_STOP)]
        minimum = 1 if _HEADS[key][2] else 2
        found = self._read(words, key, starts, [head_start], text, spans, minimum)
        if found:
            found[-1] = replace(found[-1], end=head_end)
        return found

    def _after(self, words, key, head_end, text, spans) -> list[Conjunct]:
        if key not in ("ccgs", "county", "district", "borough", "city"):
            return []
        i = head_end
        if i + 2 < len(words) and words[i] == "(" and words[i + 2] == ")":
            i += 3
        if i >= len(words) or words[i] != "of":
            return []
        start = end = i + 1
        while end < len(words) and end - start < MAX_LIST_TOKENS and (_NAME_WORD.match(words[end]) or words[end] in _SEPARATORS):
            end += 1
        ends = [j for j in range(end, start, -1) if j == end or words[j] in _SEPARATORS]
        return self._read(words, key, [start], ends, text, spans, 2)

