"""The subject decisions of the web pages councils publish, one entry per decision.

A page may be about one decision or list several; each becomes a
:class:`~kgraph.model.DecisionMention` with what the page says of it:

- ModernGov decision listings and issue histories: one dated line per decision,
  "15/01/2021 - Extension to Fuel Card Contract OKD55 (20/21) ref: 1168  Recommendations
  Approved" (the ``ref:`` is the site's record id, never part of the title or the number);
- decision and issue details: a title line (with its number after a dash) followed by
  "Decision Maker: …", "Decision status: …", "Is Key decision?: …";
- agenda items and minutes: "DECISION MADE (Ref: CAB 12/13 10493)" under a numbered item;
- listing tables flattened with their cells run together ("8089FP/590/12/19Termination of …");
- decisions listed as links to their records or as table rows (:mod:`~kgraph.extract.nlp.decision_lists`).

:func:`page_subjects` merges them with what the form fields and the numbers the text labels
say. Fields that follow an entry's title ("Decision Maker:", "Decision status:", "Date of decision:")
belong to the nearest entry above them. Numbers are recognised by the council's profile.

>>> from kgraph.extract.profiles import profile_for
>>> text = ("Decisions published\\n\\n15/01/2021 - Extension to Fuel Card Contract OKD55 (20/21) ref: 1168"
...         "    Recommendations Approved\\n\\nDecision Maker: Chief Fire Officer\\n\\n"
...         "13/01/2021 - Library Review ref: 1166\\n")
>>> [(d.number, d.title, d.date, d.status, d.maker_role) for d in page_decisions(text, profile_for(None))]
[('OKD55 (20/21)', 'Extension to Fuel Card Contract', '2021-01-15', 'Recommendations Approved', 'Chief Fire Officer'), (None, 'Library Review', '2021-01-13', None, None)]
"""

from __future__ import annotations

import re

from kgraph.extract.nlp.dates import find_dates
from kgraph.extract.nlp.decision_lists import glued_rows, record_links, table_rows
from kgraph.extract.profiles import CouncilProfile, number_year
from kgraph.model import DecisionMention, DecisionNumberMention, Mention

__all__ = ["page_decisions", "page_subjects", "LISTING_LINE", "FIELD_LINE"]

#: "15/01/2021 - Title …" at the start of a line (a listing or issue-history entry).
LISTING_LINE = re.compile(r"^[ \t]*(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})[ \t]+[-–][ \t]+(?P<rest>\S[^\n]*)$",
                          re.MULTILINE)
#: The fields of a details page, on their own line.
FIELD_LINE = re.compile(
    r"^[ \t]*(?P<name>decision\s+maker|decision\s+status|is\s+key\s+decision\??|date\s+of\s+decision|"
    r"decision\s+date|decision\s+due)[ \t]*:[ \t]*(?P<value>[^\n]*)$", re.MULTILINE | re.IGNORECASE)
#: A forward plan's "Decision due: 14 Jun 2023 by Cabinet": who is to take it.
_DUE_BY = re.compile(r"\s+by\s+(?P<maker>(?:the\s+)?[A-Z][^\n]{1,120}?)[\s.;]*$")
#: Page headings that introduce a title on the next line.
_INTRO = re.compile(r"^[ \t]*(?:decision\s+details|issue\s+details|issue\s*-\s*(?:decisions|meetings|history)|"
                    r"agenda\s+item|decision)[ \t]*$", re.IGNORECASE | re.MULTILINE)
_REF = re.compile(r"[ \t\xa0]+ref:[ \t]*\d+\b[ \t\xa0]*")
_STATUS_GAP = re.compile(r"[\xa0]+|[ \t]{3,}")
_DECISION_MADE = re.compile(r"decision\s+made", re.IGNORECASE)
_ITEM_NUMBER = re.compile(r"[ \t]*\d{1,4}\.?[ \t]*")
_ITEM = re.compile(r"^[ \t]*\d{1,4}\.?[ \t]*\n(?:[ \t]*\n)*[ \t]*(?P<t>[^\n]+)$|^[ \t]*\d{1,4}\.?[ \t]+(?P<t2>[A-Z][^\n]+)$",
                   re.MULTILINE)
#: A line that is not a title: "Label: value", a breadcrumb, "RESOLVED", "Minutes".
_NOT_TITLE = re.compile(r"[ \t]*(?:(?i:reason|purpose|contact|wards?|lead|notice|date|status|outcome|"
                        r"published|effective|reference|resolved|minutes|decision)\b[^:\n]{0,25}:|[^\n]*\s>\s)")
_MEETING_HEAD = re.compile(r"^[ \t]*(?P<body>CABINET|COUNCIL|EXECUTIVE|[A-Z][A-Z ]{2,40}COMMITTEE)[ \t]*[-–—][ \t]*"
                           r"(?P<date>\d{1,2}\s+[A-Za-z]+\s+\d{4})[ \t]*$", re.MULTILINE)
_TITLE_FIELD = re.compile(r"(?:^|\s)(?:TITLE|SUBJECT|Title|Subject)(?:\s+[ivx]+)?\s*:\s*(?P<t>[^\n_]{5,400}?)"
                          r"(?=\.\s|\s_{3}|\s+[A-Z][a-z]+\s*:|\s+[A-Z]{4,}\b|\n|$)")
_PDF = re.compile(r"\s*pdf\s+icon.*$|\s*PDF\s+\d+\s*KB.*$", re.IGNORECASE)
_TRIM = " \t\xa0*-–—:(."


def _mention(text: str, start: int, end: int) -> Mention:
    return Mention(text[start:end], start, end)


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    return start, end


def _title_and_number(text: str, start: int, end: int, profile: CouncilProfile, entry: DecisionMention) -> None:
    """Fill an entry's title and number from a title line ``text[start:end]``."""
    pdf = _PDF.search(text, start, end)  # "Parking Review pdf icon PDF 120 KB": a link's furniture
    end = pdf.start() if pdf else end
    ref = _REF.search(text, start, end)
    title_end = ref.start() if ref else end
    if ref is None:
        gap = _STATUS_GAP.search(text, start, end)
        if gap and text[gap.end():end].strip():
            title_end = gap.start()
            s, e = _trimmed(text, gap.end(), end)
            entry.status, entry.status_mention = text[s:e], _mention(text, s, e)
    else:
        s, e = _trimmed(text, ref.end(), end)
        if e > s:
            entry.status, entry.status_mention = text[s:e], _mention(text, s, e)
    num = profile.listing_number(text[start:title_end])
    if num is not None:
        ns, ne = start + num.start(), start + num.end()
        entry.number, entry.number_mention = num.group(0), _mention(text, ns, ne)
        title_end = ns
    s, e = _trimmed(text, start, title_end)
    if e > s:
        entry.title, entry.title_mention = " ".join(text[s:e].split()), _mention(text, s, e)


def _next_line(text: str, pos: int) -> tuple[int, int] | None:
    """The first non-blank line at or after ``pos``."""
    m = re.compile(r"[ \t]*\S[^\n]*").search(text, pos)
    return (m.start(), m.end()) if m else None


def _prev_line(text: str, pos: int) -> tuple[int, int] | None:
    """The last non-blank line before ``pos`` (the line starting at ``pos`` excluded)."""
    before = text[:pos].rstrip()
    if not before:
        return None
    s = before.rfind("\n") + 1
    return s, len(before)


def _entries(text: str, profile: CouncilProfile) -> list[tuple[int, DecisionMention]]:
    entries = glued_rows(text, profile) or record_links(text, profile) or table_rows(text, profile)
    if entries:
        return entries
    for m in LISTING_LINE.finditer(text):
        entry = DecisionMention()
        try:
            entry.date = f"{int(m.group('y')):04d}-{int(m.group('m')):02d}-{int(m.group('d')):02d}"
            entry.year = int(m.group("y"))
        except ValueError:
            continue
        _title_and_number(text, m.start("rest"), m.end("rest"), profile, entry)
        entries.append((m.start(), entry))
    entries = entries or _meeting_entries(text, profile)
    if entries:
        return entries
    # a details page: the title line under its heading, or right above "Decision Maker:"
    first_field = FIELD_LINE.search(text)
    title_line = None
    intro = _INTRO.search(text)
    if intro and (first_field is None or intro.start() < first_field.start()):
        title_line = _next_line(text, intro.end())
        while title_line and (_INTRO.fullmatch(text, *title_line)  # a heading repeated
                              or _ITEM_NUMBER.fullmatch(text, *title_line)):  # "41." above the item's title
            title_line = _next_line(text, title_line[1])
        if title_line and (FIELD_LINE.match(text, title_line[0]) or _NOT_TITLE.match(text, title_line[0])):
            title_line = None
    elif first_field is not None:
        prev = _prev_line(text, first_field.start())
        if (prev and not _INTRO.fullmatch(text, *prev) and not _NOT_TITLE.match(text, prev[0])
                and len(text[prev[0]:prev[1]].split()) <= 30):
            title_line = prev
    if title_line or first_field is not None:
        entry = DecisionMention()
        if title_line:
            _title_and_number(text, title_line[0], title_line[1], profile, entry)
            entry.status = entry.status_mention = None  # a details title line carries no status
        entries.append((title_line[0] if title_line else first_field.start(), entry))
        return entries
    head = _MEETING_HEAD.search(text, 0, 2000)
    if head is not None:  # "CABINET – 18 MARCH 2008" above the item's title
        title_line = _next_line(text, head.end())
        if title_line:
            entry = DecisionMention(maker_role=head.group("body").strip().title(),
                                    maker_mention=_mention(text, head.start("body"), head.end("body")))
            _title_and_number(text, title_line[0], title_line[1], profile, entry)
            entry.status = entry.status_mention = None
            dates = find_dates(head.group("date"))
            if dates:
                entry.date, entry.year = dates[0].iso, int(dates[0].iso[:4])
            entries.append((head.start(), entry))
            return entries
    field = _TITLE_FIELD.search(text, 0, 3000)
    if field is not None:  # "TITLE: Proposal to …", "SUBJECT ii : Design & Cost Report …"
        s, e = _trimmed(text, field.start("t"), min(field.end("t"), _word_end(text, field.start("t"), 30)))
        entries.append((field.start(), DecisionMention(title=" ".join(text[s:e].split()),
                                                       title_mention=_mention(text, s, e))))
        return entries
    item = _ITEM.match(text, _next_line(text, 0)[0]) if text.strip() else None
    if item is not None:  # an agenda item or minute: "116 St Ives Flood Alleviation Scheme PDF 15 KB"
        found = agenda_title(text, item.end())
        if found:
            entries.append((item.start(), DecisionMention(title=found[0], title_mention=found[1])))
    return entries


#: An issue's meetings: "Meeting: 27/01/2025 - Executive (Item 9.)".
_MEETING_LINE = re.compile(r"^[ \t]*Meeting[ \t]*:[ \t]*(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})[ \t]+[-–][ \t]+"
                           r"(?P<body>[A-Z][^\n()]{1,80}?)[ \t]*\((?:Item|Minute)[ \t]*(?P<item>\w{1,6})\.?\)[ \t]*$",
                           re.MULTILINE | re.IGNORECASE)


def _meeting_entries(text: str, profile: CouncilProfile) -> list[tuple[int, DecisionMention]]:
    """An "Issue - meetings" page: one decision per meeting that took the item, its body the
    maker and its date the meeting's; the title is the item's ("9. Title pdf icon …") or the
    issue's (the line above the first meeting).

    >>> from kgraph.extract.profiles import profile_for
    >>> t = "Issue - meetings\\n\\nBus Review\\n\\nMeeting: 27/01/2025 - Executive (Item 9.)\\n\\n9. Bus Review Report pdf icon PDF 6 KB\\n"
    >>> [(d.title, d.maker_role, d.date) for _, d in _meeting_entries(t, profile_for(None))]
    [('Bus Review Report', 'Executive', '2025-01-27')]
    """
    out = []
    meetings = list(_MEETING_LINE.finditer(text))
    issue = _prev_line(text, meetings[0].start()) if meetings else None
    if issue and (_INTRO.fullmatch(text, *issue) or _NOT_TITLE.match(text, issue[0])):
        issue = None
    for m in meetings:
        try:
            date = f"{int(m.group('y')):04d}-{int(m.group('m')):02d}-{int(m.group('d')):02d}"
        except ValueError:
            continue
        entry = DecisionMention(maker_role=" ".join(m.group("body").split()), date=date, year=int(m.group("y")),
                                maker_mention=_mention(text, m.start("body"), m.end("body")))
        item = _next_line(text, m.end())
        numbered = item and re.match(r"[ \t]*" + re.escape(m.group("item")) + r"\.?[ \t]+(?=\S)", text[item[0]:item[1]])
        if numbered:
            _title_and_number(text, item[0] + numbered.end(), item[1], profile, entry)
            entry.status = entry.status_mention = None
        elif issue:
            _title_and_number(text, *issue, profile, entry)
            entry.status = entry.status_mention = None
        out.append((m.start(), entry))
    return out


#: "The Cabinet considered the report … which sought approval to extend …": a minute with no heading.
_MINUTE_BODY = re.compile(
    r"^[ 	]*(?:The\s+)?(?P<body>Cabinet(?:\s+Member[^\n,]{0,60}?)?|Executive(?:\s+Board)?|Council|"
    r"(?:[A-Z][\w&’'-]*\s+){0,5}Committee)\s+(?:considered|noted|RESOLVED|resolved|agreed|approved|decided)\b",
    re.MULTILINE)
_PURPOSE = re.compile(
    r"\b(?:sought|seeking|seeks|seek)\s+(?:approval|agreement|authority)\s+(?:to|for)\s+(?P<t>[^.;:\n]{10,160})"
    r"|\b(?:provided|provides|setting\s+out|set\s+out|sets\s+out)\s+(?:details\s+of\s+)?(?P<t2>proposals?\s+[^.;:\n]{10,160})"
    r"|\bresolved\s+to\s*:?\s*(?:\d+\.\s*|\(?[a-z1-9]\)\s*)?(?P<t3>[A-Z][^.;:\n]{10,160})",
    re.IGNORECASE)
#: Most words of a title taken from a sentence of purpose.
PURPOSE_TITLE_WORDS = 12


def minute_decision(text: str) -> DecisionMention | None:
    """The decision of a minute with no heading: its body, and a title from what the report sought.

    >>> d = minute_decision("The Cabinet considered the report which sought approval to extend the home care contract.")
    >>> d.maker_role, d.title
    ('Cabinet', 'Extend the home care contract')
    """
    m = _MINUTE_BODY.search(text)
    if m is None:
        return None
    entry = DecisionMention(maker_role=" ".join(m.group("body").split()),
                            maker_mention=_mention(text, m.start("body"), m.end("body")))
    p = _PURPOSE.search(text, m.start())
    if p:
        group = next(g for g in ("t", "t2", "t3") if p.group(g))
        s = p.start(group)
        e = min(p.end(group), _word_end(text, s, PURPOSE_TITLE_WORDS))
        s, e = _trimmed(text, s, e)
        value = " ".join(text[s:e].split())
        entry.title, entry.title_mention = value[:1].upper() + value[1:], _mention(text, s, e)
    return entry


def _word_end(text: str, start: int, n: int) -> int:
    """Where the ``n``-th word after ``start`` ends."""
    end = start
    for i, w in enumerate(re.finditer(r"\S+", text[start:])):
        if i == n:
            break
        end = start + w.end()
    return end


def _fields(text: str, entries: list[tuple[int, DecisionMention]]) -> None:
    """Attach "Decision Maker:", "Decision status:" ... to the entry above them; "Decision due: …
    by X" names the maker only when every due line of the entry names the same one."""
    due: dict[int, list[tuple[str, Mention]]] = {}
    for m in FIELD_LINE.finditer(text):
        owner = None
        for start, entry in entries:
            if start <= m.start():
                owner = entry
        if owner is None and len(entries) == 1:
            owner = entries[0][1]  # an issue page's fields above its one decision
        if owner is None:
            continue
        s, e = _trimmed(text, m.start("value"), m.end("value"))
        if e <= s:
            continue
        name = " ".join(m.group("name").lower().split())
        value, mention = " ".join(text[s:e].split()), _mention(text, s, e)
        if name == "decision due":
            by = _DUE_BY.search(text, s, e)
            due.setdefault(id(owner), []).append(
                (" ".join(by.group("maker").split()), _mention(text, by.start("maker"), by.end("maker"))) if by
                else ("", mention))
            continue
        if name == "decision maker" and owner.maker_role is None:
            owner.maker_role, owner.maker_mention = value, mention
        elif name == "decision status" and owner.status is None:
            owner.status, owner.status_mention = value, mention
        elif name.startswith("is key decision") and owner.key_decision is None:
            if value.lower() in ("yes", "no"):
                owner.key_decision, owner.key_decision_mention = value.lower() == "yes", mention
        elif name in ("date of decision", "decision date") and owner.date is None:
            dates = find_dates(value)
            if dates:
                owner.date, owner.year = dates[0].iso, int(dates[0].iso[:4])
    _due_makers(entries, due)


def _due_makers(entries: list[tuple[int, DecisionMention]], due: dict[int, list[tuple[str, Mention]]]) -> None:
    for _, entry in entries:
        makers = due.get(id(entry), [])
        if entry.maker_role is None and makers and len({v for v, _ in makers}) == 1 and makers[0][0]:
            entry.maker_role, entry.maker_mention = makers[0]


def agenda_title(text: str, pos: int) -> tuple[str, Mention] | None:
    """The title of the numbered agenda item that ``pos`` lies in ("138.\\n\\nProposed Changes …").

    >>> t = "137.\\n\\nOld item\\n\\n138.\\n\\nProposed Changes pdf icon PDF 81 KB\\n\\nDECISION MADE (Ref: X)"
    >>> agenda_title(t, t.index("DECISION"))[0]
    'Proposed Changes'
    """
    best = None
    for m in _ITEM.finditer(text, 0, pos):
        best = m
    if best is None:
        return None
    group = "t" if best.group("t") else "t2"
    s, e = best.start(group), best.end(group)
    cut = _PDF.search(text, s, e)
    s, e = _trimmed(text, s, cut.start() if cut else e)
    if e <= s:
        return None
    return " ".join(text[s:e].split()), _mention(text, s, e)


def page_decisions(text: str, profile: CouncilProfile) -> list[DecisionMention]:
    """The decisions a web page is about, in text order (empty when it shows none)."""
    entries = _entries(text, profile)
    if len(entries) <= 1 and not (entries and entries[0][1].title):
        minute = minute_decision(text)
        if minute is not None and not entries:
            entries.append((minute.maker_mention.start, minute))
        elif minute is not None and minute.title:  # a details page with no title line
            entries[0][1].title, entries[0][1].title_mention = minute.title, minute.title_mention
    _fields(text, entries)
    return [e for _, e in entries]


def decision_made_entry(text: str, start: int, end: int, number: str) -> DecisionMention:
    """An agenda item's decision, from its "DECISION MADE (Ref: …)" number at ``[start, end)``."""
    entry = DecisionMention(number=number, number_mention=_mention(text, start, end))
    found = agenda_title(text, start)
    if found:
        entry.title, entry.title_mention = found
    return entry


def is_decision_made(text: str, start: int) -> bool:
    """Whether the label before ``start`` on its line is "DECISION MADE"."""
    line_start = text.rfind("\n", 0, start) + 1
    return bool(_DECISION_MADE.search(text, line_start, start))


_ENTRY_FIELDS = ("number", "number_mention", "title", "title_mention", "status", "status_mention",
                 "maker_role", "maker_mention", "key_decision", "key_decision_mention", "date")


def _start(e: DecisionMention) -> int:
    """Where the page first says something of an entry."""
    return min([x.start for x in (e.number_mention, e.title_mention, e.maker_mention, e.status_mention) if x] or [0])


def page_subjects(text: str, profile: CouncilProfile, decision: DecisionMention,
                   numbers: list[DecisionNumberMention]) -> tuple[list[DecisionMention], list[DecisionNumberMention]]:
    """A web page's subject decisions (listing entries, details, agenda decisions made), and its
    numbers with those of the entries marked ``own``."""
    entries = page_decisions(text, profile)
    by_number = {e.number for e in entries if e.number}
    for n in numbers:
        if n.own and n.number not in by_number:
            by_number.add(n.number)
            m = n.mention
            unnumbered = [e for e in entries if not e.number]
            made = decision_made_entry(text, m.start, m.end, n.number) if is_decision_made(text, m.start) else None
            same = made is not None and unnumbered[:1] and unnumbered[0].title in (None, made.title)
            above = [e for e in entries if _start(e) <= m.start]
            nearest = max(above, key=_start) if above and len(entries) > 1 and made is not None else None
            if len(unnumbered) == 1 and (made is None or same):
                lone = unnumbered[0]  # the page's one decision: its number is this one
                lone.number, lone.number_mention = n.number, m
                if made and made.title:
                    lone.title, lone.title_mention = made.title, made.title_mention
            elif nearest is not None and not nearest.number:  # "DECISION MADE" in an entry's block
                nearest.number, nearest.number_mention = n.number, m
                if nearest.title is None and made.title:
                    nearest.title, nearest.title_mention = made.title, made.title_mention
            else:
                entries.append(made or decision_made_entry(text, m.start, m.end, n.number))
    entries.sort(key=_start)
    own = {e.number for e in entries if e.number}
    seen = {(n.mention.start, n.number) for n in numbers}
    numbers = [DecisionNumberMention(n.mention, n.number, True, None) if n.number in own else n for n in numbers]
    for e in entries:
        if e.number and (e.number_mention.start, e.number) not in seen:
            numbers.append(DecisionNumberMention(e.number_mention, e.number, True, None))
    numbers.sort(key=lambda n: n.mention.start)
    if not entries:
        return [decision], numbers
    first = entries[0]
    if decision.number and decision.number != first.number and any(e.number == decision.number for e in entries[1:]):
        decision.number = decision.number_mention = None  # another entry's number, not the first's
    for name in _ENTRY_FIELDS:  # the page's own words win over the form-field guesses
        if getattr(first, name) is not None:
            setattr(decision, name, getattr(first, name))
    if first.date:
        decision.year = int(first.date[:4])
    for e in entries:
        if e.year is None:
            e.year = int(e.date[:4]) if e.date else number_year(e.number)
    if decision.year is None:
        decision.year = number_year(decision.number)
    return [decision, *entries[1:]], numbers
