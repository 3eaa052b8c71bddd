"""Word overlap, used wherever two pieces of text are compared for the same subject.

>>> sorted(words("Children and Young People's Mental Health Services"))
['child', 'health', 'mental', 'person', 'young']
>>> jaccard({"give", "notice"}, {"give", "notice", "nelft"})
0.6666666666666666
>>> clean_title("Home Care. See ref: 2295")
'Home Care'
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from kgraph.extract.profiles import load_profiles

__all__ = ["words", "jaccard", "clean_title", "STOP", "TITLE_STOP"]

_WORD = re.compile(r"[a-z0-9]+")
#: Words that carry no subject anywhere.
STOP = frozenset(
    "a an and the of to for in on or by with as at be will that this is are from into their its".split()
)
#: Words a decision title, a purpose or a point shares with unrelated ones (money and service
#: words), and the councils' own names from their profiles.
TITLE_STOP = STOP | frozenset(
    "per year annual funded funding fund service services contract contracts element elements part "
    "all other new current existing".split()
) | frozenset(w for p in load_profiles().values() for w in p.title_stop_words)
_STEM = {"children": "child", "people": "person", "persons": "person", "services": "service"}


def words(text: str | Iterable[str] | None, stop: frozenset[str] = TITLE_STOP) -> set[str]:
    """Content words of a text (or of several), lower case, lightly stemmed, ``stop`` words dropped."""
    if text is None:
        return set()
    if not isinstance(text, str):
        return set().union(*(words(t, stop) for t in text))
    out: set[str] = set()
    for w in _WORD.findall(text.lower().replace("’", "'").replace("'s", "")):
        w = _STEM.get(w, w)
        if w in stop or len(w) < 2:
            continue
        if len(w) > 4 and w.endswith("s") and not w.endswith("ss"):
            w = w[:-1]
        out.add(w)
    return out


def jaccard(a: set[str], b: set[str]) -> float:
    """Word-set overlap in [0, 1] (0 when either is empty)."""
    return len(a & b) / len(a | b) if a and b else 0.0


def clean_title(title: str | None) -> str | None:
    """A cited title cut at the end of its first sentence."""
    if not title:
        return title
    return re.split(r"(?<=\w)\.\s", title, maxsplit=1)[0].rstrip(" .")
