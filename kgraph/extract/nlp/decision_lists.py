"""Decisions a page lists as documents to download or as rows of a table, with their numbers.

Page structures that settle a code is a decision's number without a label next to it:

- **record links**: a title line with links to the decision's record under it,
  "Download: PHD832 Final (PDF, 26KB)". The code opening a link is the number of the decision
  titled above when the link text is the code alone (with a version word, "Draft" / "Final",
  or words naming a record, "Decision Notice") and either the link names a decision record or
  the page's heading says it lists them ("Portfolio Holder Decision Notices"). All the record
  links under one title must carry the same code; a code in prose ("eg. PHD21") is never read.
- **glued rows**: a listing table flattened with its cells run together (record id, number,
  title, type, status, date: "8089FP/590/12/19Termination of …"), read by :func:`glued_rows`;
- **table columns**: rows of cells (two or more spaces, a tab or ``|`` apart) under a header
  row whose column names a decision number ("Decision No", "Decision reference"); a bare
  "Reference" / "No." column only when another column says the table lists decisions
  ("Decision maker"), and never in a table of planning applications or payments.

The words are the council profile's (:mod:`kgraph.extract.profiles`); a code must be of one of
the profile's formats.

>>> from kgraph.extract.profiles import profile_for
>>> text = ("Portfolio Holder Decision Notices\\nRepairs to the Bandstand\\n"
...         "Download: PHD901 Draft (PDF, 30KB)\\nDownload: PHD901 Final (PDF, 28KB)\\n"
...         "Report numbers start PHD, eg. PHD12.\\n")
>>> [(d.number, d.title) for _, d in record_links(text, profile_for(None))]
[('PHD901', 'Repairs to the Bandstand')]
>>> table = "Decision No  Title  Decision maker\\nDN 14  Sale of land  Leader\\n"
>>> [(d.number, d.title) for _, d in table_rows(table, profile_for(None))]
[('DN 14', 'Sale of land')]
"""

from __future__ import annotations

import re

from kgraph.extract.profiles import CouncilProfile, NumberFormat, words_regex
from kgraph.model import DecisionMention, Mention

__all__ = ["glued_rows", "record_links", "table_rows", "RECORD_TITLE_WORDS", "TABLE_CELL_CHARS"]

#: Most words of a title line above record links.
RECORD_TITLE_WORDS = 30
#: Longest header cell of a table of decisions (characters).
TABLE_CELL_CHARS = 40

_FILE = r"(?:pdf|docx?|odt|rtf|xlsx?)"
_LINK = re.compile(
    r"^[ \t]*(?:[-*•][ \t]+)?(?:download[ \t]*:?[ \t]*)?(?P<body>[^\n()\[\]]{1,80}?)[ \t]*"
    r"(?:[(\[][ \t]*" + _FILE + r"\b[^\n()\[\]]{0,30}[)\]]|" + _FILE + r"[ \t]+\d+[ \t]*[kKmM]B)[ \t]*$",
    re.IGNORECASE | re.MULTILINE)
#: A heading that names who made the decisions it lists: "Portfolio Holder Decision Notices".
_HEADING_MAKER = re.compile(r"[ \t#*]*(?P<role>portfolio\s+holder|cabinet\s+member|executive\s+member|leader|"
                            r"(?:city\s+|elected\s+)?mayor)s?['’]?s?\s+decisions?\b", re.IGNORECASE)
_CELL_SPLIT = re.compile(r"\t+|[ \t]*\|[ \t]*|[ \t]{2,}|\xa0{2,}")
_RULE_ROW = re.compile(r"^[ \t|:\-+=]+$")


def _mention(text: str, start: int, end: int) -> Mention:
    return Mention(text[start:end], start, end)


def _code_at(body: str, profile: CouncilProfile, contexts: frozenset[str]) -> tuple[re.Match, NumberFormat] | None:
    """A number of one of the profile's formats (taken in one of ``contexts``) opening ``body``."""
    for m, fmt in profile.candidates(body):
        if m.start() == 0 and fmt.contexts & contexts:
            return m, fmt
        break
    return None


def _lines(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    end = len(text) if end is None else end
    out, pos = [], start
    while pos <= end:
        nl = text.find("\n", pos, end)
        stop = end if nl < 0 else nl
        out.append((pos, stop))
        if nl < 0:
            break
        pos = nl + 1
    return out


def _strip(text: str, s: int, e: int, chars: str = " \t\xa0#*-–—:") -> tuple[int, int]:
    while s < e and text[s] in chars:
        s += 1
    while e > s and text[e - 1] in chars:
        e -= 1
    return s, e


def record_links(text: str, profile: CouncilProfile) -> list[tuple[int, DecisionMention]]:
    """Decisions listed as a title line with links to their records (see the module docstring),
    as ``(offset, decision)`` in text order."""
    links = list(_LINK.finditer(text))
    if not links:
        return []
    tail = words_regex(profile.record_names + profile.record_versions)
    names = words_regex(profile.record_names)
    heading_rx = words_regex(profile.record_list_headings)
    listing = frozenset({"listing"})
    link_starts = {m.start() for m in links}
    headings = [(s, e) for s, e in _lines(text, 0, links[0].start())
                if e - s <= 100 and heading_rx.fullmatch(text[s:e].strip(" \t#*:"))]
    heading = bool(headings)
    maker = _HEADING_MAKER.match(text, headings[-1][0], headings[-1][1]) if headings else None
    groups: dict[tuple[int, int], list[tuple[re.Match, re.Match]]] = {}
    for link in links:
        body_start = link.start("body")
        found = _code_at(link.group("body"), profile, listing)
        if found is None:
            continue
        code = found[0]
        rest = link.group("body")[code.end():].strip(" \t-–—:")
        words = re.split(r"[ \t]+", rest) if rest else []
        if not _is_record_tail(rest, words, tail):
            continue
        if not (heading or names.search(rest)):
            continue
        title = _title_above(text, link.start(), link_starts, heading_rx)
        if title is None:
            continue
        shifted = re.compile(re.escape(code.group(0))).match(text, body_start + code.start())
        groups.setdefault(title, []).append((link, shifted))
    out = []
    for (ts, te), hits in groups.items():
        codes = {m.group(0) for _, m in hits}
        if len(codes) != 1:
            continue  # links of one title naming different codes: the text does not settle it
        first = hits[0][1]
        entry = DecisionMention(number=first.group(0), number_mention=_mention(text, first.start(), first.end()),
                                title=" ".join(text[ts:te].split()), title_mention=_mention(text, ts, te))
        if maker is not None:  # "Portfolio Holder Decision Notices": who made them all
            entry.maker_role = " ".join(maker.group("role").split())
            entry.maker_mention = _mention(text, maker.start("role"), maker.end("role"))
        out.append((ts, entry))
    out.sort(key=lambda p: p[0])
    return out


def _is_record_tail(rest: str, words: list[str], tail: re.Pattern) -> bool:
    """Whether what follows a code in a link is only version words or words naming a record."""
    if not rest:
        return True
    pos = 0
    while pos < len(rest):
        m = tail.match(rest, pos)
        if m is None or m.end() == pos:
            return False
        pos = m.end()
        while pos < len(rest) and rest[pos] in " \t-–—,":
            pos += 1
    return len(words) <= 4


def _title_above(text: str, pos: int, link_starts: set[int], heading_rx: re.Pattern) -> tuple[int, int] | None:
    """The nearest line above ``pos`` that is not a link, blank, a heading or a field label."""
    end = pos
    while end > 0:
        s = text.rfind("\n", 0, end - 1) + 1
        e = end - 1 if text[end - 1] == "\n" else end
        line = text[s:e]
        if line.strip() and s not in link_starts and not _LINK.match(text, s, e):
            s2, e2 = _strip(text, s, e)
            if (e2 <= s2 or heading_rx.fullmatch(text[s2:e2]) or line.rstrip().endswith(":")
                    or len(line.split()) > RECORD_TITLE_WORDS):
                return None
            return s2, e2
        end = s
    return None


def _cells(text: str, s: int, e: int) -> list[tuple[int, int]]:
    """The cells of a table row ``text[s:e]`` as spans (leading and trailing ``|`` dropped)."""
    s, e = _strip(text, s, e, " \t\xa0|")
    if e <= s:
        return []
    cells, pos = [], s
    for sep in _CELL_SPLIT.finditer(text, s, e):
        cells.append(_strip(text, pos, sep.start(), " \t\xa0"))
        pos = sep.end()
    cells.append(_strip(text, pos, e, " \t\xa0"))
    return cells


def table_rows(text: str, profile: CouncilProfile) -> list[tuple[int, DecisionMention]]:
    """Decisions listed as rows of a table whose header names a number column (see the module
    docstring), as ``(offset, decision)`` in text order."""
    number_col = words_regex(profile.number_columns)
    plain_col = words_regex(profile.plain_number_columns)
    decision_col = words_regex(profile.decision_columns)
    other_col = words_regex(profile.not_decision_columns)
    title_col = words_regex(profile.title_columns)
    lines = _lines(text)
    out: list[tuple[int, DecisionMention]] = []
    i = 0
    while i < len(lines):
        header = [text[s:e] for s, e in _cells(text, *lines[i])]
        i += 1
        if len(header) < 2 or any(len(h) > TABLE_CELL_CHARS or not h for h in header):
            continue
        if any(other_col.fullmatch(h) for h in header):
            continue
        col = next((k for k, h in enumerate(header) if number_col.fullmatch(h)), None)
        contexts = frozenset({"label", "listing"})
        if col is None and any(decision_col.fullmatch(h) for h in header):
            col = next((k for k, h in enumerate(header) if plain_col.fullmatch(h)), None)
            contexts = frozenset({"listing"})  # a bare "Ref" column may hold the site's record ids
        if col is None:
            continue
        tcol = next((k for k, h in enumerate(header) if k != col and title_col.fullmatch(h)), None)
        while i < len(lines):
            s, e = lines[i]
            if not text[s:e].strip() or _RULE_ROW.match(text, s, e):
                i += 1
                continue
            cells = _cells(text, s, e)
            if len(cells) != len(header):
                break  # the table ends (or its cells cannot be told apart)
            i += 1
            cs, ce = cells[col]
            found = _code_at(text[cs:ce], profile, contexts)
            if found is None or found[0].end() != ce - cs:
                continue
            entry = DecisionMention(number=text[cs:ce], number_mention=_mention(text, cs, ce))
            if tcol is not None and cells[tcol][1] > cells[tcol][0]:
                ts, te = cells[tcol]
                entry.title, entry.title_mention = " ".join(text[ts:te].split()), _mention(text, ts, te)
            out.append((s, entry))
    return out


#: A listing table flattened with its cells run together: "8089FP/590/12/19Termination of …
#: PortfolioDecision Confirmed23/Dec/19" (record id, number, title, type, status, date).
_GLUED_ROW = re.compile(r"^[ \t]*\d{3,6}(?=\S)", re.MULTILINE)
_ROW_DATE = re.compile(r"\d{1,2}/[A-Za-z]{3}/\d{2}[ \t]*$")
_ROW_STATUS = re.compile(r"(?:Decision\s+Confirmed|Recommendations\s+Approved|Approved|Deferred|Withdrawn|"
                         r"Abandoned|For\s+Determination)[ \t]*$")
_ROW_TYPE = re.compile(r"(?:Portfolio|Officer|Cabinet|Council|Key|Non-[Kk]ey|Committee)[ \t]*$")


def glued_rows(text: str, profile: CouncilProfile) -> list[tuple[int, DecisionMention]]:
    """Rows of a flattened listing table whose number runs into the record id before it and the
    title after it; only structured numbers (with a "/") are read there, never bare digits.

    >>> from kgraph.extract.profiles import profile_for
    >>> t = "8089DEC19/CAB/12Sale of the DepotPortfolioDecision Confirmed23/Dec/19"
    >>> [(d.number, d.title, d.status, d.date) for _, d in glued_rows(t, profile_for(None))]
    [('DEC19/CAB/12', 'Sale of the Depot', 'Decision Confirmed', None)]
    """
    out = []
    formats = [f for f in profile.formats if "listing" in f.contexts and "/" in f.pattern]
    for row in _GLUED_ROW.finditer(text):
        line_end = text.find("\n", row.end())
        line_end = len(text) if line_end < 0 else line_end
        first = row.start() + len(text[row.start():row.end()]) - len(text[row.start():row.end()].lstrip())
        for start in range(first + 3, row.end() + 1):
            m = next((m for f in formats if (m := re.compile(f.pattern).match(text, start, line_end))
                      and f.valid(m) and m.end() < line_end and text[m.end()].isupper()), None)
            if m is not None:
                break
        else:
            continue
        if not text[row.start():m.start()].strip().isdigit():
            continue
        entry = DecisionMention(number=m.group(0), number_mention=_mention(text, m.start(), m.end()))
        end = line_end
        date = _ROW_DATE.search(text, m.end(), end)
        if date:  # a meeting or listing date: not said to be the decision's
            end = date.start()
        status = _ROW_STATUS.search(text, m.end(), end)
        if status:
            entry.status, entry.status_mention = " ".join(status.group(0).split()), _mention(text, status.start(), status.end())
            end = status.start()
        kind = _ROW_TYPE.search(text, m.end(), end)
        if kind and kind.start() > m.end():
            end = kind.start()
        s, e = _strip(text, m.end(), end, " \t\xa0*-–—:(.")
        if e > s:
            entry.title, entry.title_mention = text[s:e], _mention(text, s, e)
        out.append((row.start(), entry))
    return out
