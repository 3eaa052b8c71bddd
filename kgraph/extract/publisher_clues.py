"""Clues in a page's furniture and signatures to the council that published it.

Used by :mod:`kgraph.extract.publisher` (rules ``furniture`` and part of ``self_reference``);
each function reads the text around the councils already found in it (anything with ``name``,
``start`` and ``end``).

>>> from kgraph.extract.publisher import CouncilMention
>>> text = "Decisions\\n\\nThe Cabinet agreed.\\n\\n© 2024 Ambridge District Council\\n"
>>> furniture(text, [CouncilMention("Ambridge District Council", 39, 64)]).name
'Ambridge District Council'
>>> text = "Jane Smith\\nChief Executive\\nAmbridge District Council\\n"
>>> signed(text, [CouncilMention("Ambridge District Council", 27, 52)])
{'Ambridge District Council'}
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

__all__ = ["furniture", "signed", "line_of", "HEADER_CHARS", "FOOTER_CHARS", "TITLE_LINE"]

#: Characters from the top of a document in which a page title line naming a council is its header.
HEADER_CHARS = 400
#: Characters at the end of a document in which a page title line naming a council is its footer.
FOOTER_CHARS = 400
#: Longest line, in characters, that can be a page title, copyright or signature line.
TITLE_LINE = 100


class Named(Protocol):
    name: str
    start: int
    end: int


#: A job title that signs for a council: "Chief Executive, X Council", "Leader of X Council".
_ROLE = (r"(?:chief\s+executive|(?:(?:corporate|strategic|executive|service|assistant|deputy)\s+)?director"
         r"(?:\s+(?:of|for)\s+[\w ,&'’()-]{1,60})?|head\s+of\s+[\w ,&'’()-]{1,60}|monitoring\s+officer|"
         r"(?:deputy\s+)?leader|cabinet\s+member(?:\s+for\s+[\w ,&'’()-]{1,80})?|portfolio\s+holder"
         r"(?:\s+for\s+[\w ,&'’()-]{1,80})?|(?:city\s+|elected\s+)?mayor|chief\s+(?:finance\s+|fire\s+)?officer|"
         r"section\s+151\s+officer|(?:head\s+of\s+)?paid\s+service)")
_PERSON = r"(?:(?:cllr\.?|councillor|mr\.?|mrs\.?|ms\.?|miss|dr\.?)\s+)?[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,3}\s*,\s*"
#: A signature line up to the council: "[Person, ]Role, " / "Role of [the] ".
_SIGNED_BEFORE = re.compile(r"^\W*(?:signed|signature)?\W*(?:" + _PERSON + r")?(?:the\s+)?" + _ROLE + r"\s*(?:,|\s+of(?:\s+the)?)\s*$", re.I)
#: A role alone on the line above a council alone on its line (a signature block).
_ROLE_LINE = re.compile(r"^\W*(?:the\s+)?" + _ROLE + r"\W*$", re.I)
#: Site furniture before a council's name: "©", "Copyright (c) 2024", "Welcome to".
_FURNITURE_BEFORE = re.compile(r"(?:©|\(c\)|\bcopyright)\s*(?:©|\(c\))?\s*(?:(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)?\d\d)?)?"
                               r"\s*[,:]?\s*(?:the\s+)?$|^\W*welcome\s+to\s+(?:the\s+)?$", re.I)
#: What may follow a council's name that ends a page title line or copyright line.
_LINE_TAIL = re.compile(r"^[\s.,]*(?:(?:19|20)\d\d)?[\s.]*(?:all\s+rights\s+reserved\.?)?\s*$", re.I)


def _page_title(text: str, before: str, line_start: int, line_end: int) -> bool:
    """Whether a council ending its line after ``before`` is a page title: "Decisions | X" (one
    bar, not a table row) on a short line at the top or foot of the page."""
    return (line_end - line_start <= TITLE_LINE and before.count("|") == 1 and before.rstrip().endswith("|")
            and not before.lstrip().startswith("|")
            and (line_start <= HEADER_CHARS or line_end >= len(text) - FOOTER_CHARS))


def line_of(text: str, start: int, end: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    return line_start, len(text) if line_end < 0 else line_end


def _one_name(found: Sequence[Named]) -> Named | None:
    return found[0] if found and len({m.name for m in found}) == 1 else None


def furniture(text: str, mentions: Sequence[Named]) -> Named | None:
    """The one council the site's furniture names ("© 2024 X Council", "Welcome to X Council",
    "Decisions | X Council" on a short line at the top or foot)."""
    found = []
    for m in mentions:
        line_start, line_end = line_of(text, m.start, m.end)
        before, after = text[line_start:m.start], text[m.end:line_end]
        if _LINE_TAIL.match(after) and (_FURNITURE_BEFORE.search(before)
                                        or _page_title(text, before, line_start, line_end)):
            found.append(m)
    return _one_name(found)


def signed(text: str, mentions: Sequence[Named]) -> set[str]:
    """Councils a signature or job title line signs for: "Chief Executive, X Council" ending its
    line, or a council alone on the line under a role ("Monitoring Officer")."""
    names = set()
    for m in mentions:
        line_start, line_end = line_of(text, m.start, m.end)
        if line_end - line_start > TITLE_LINE or not _LINE_TAIL.match(text[m.end:line_end]):
            continue
        before = text[line_start:m.start]
        if _SIGNED_BEFORE.match(before):
            names.add(m.name)
        elif not before.strip(" \t*-–—•") and line_start > 0:
            prev_start = text.rfind("\n", 0, line_start - 1) + 1
            if _ROLE_LINE.match(text[prev_start:line_start - 1]):
                names.add(m.name)
    return names
