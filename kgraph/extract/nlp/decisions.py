"""The document's own decision: number, title, status, maker, key-decision flag, points, date.

Reads the Record of Decision form fields (``doc._.sections``) or, for committee reports, the
Summary and Recommendation(s); writes ``doc._.decision`` (a
:class:`~kgraph.model.DecisionMention`) and ``doc._.decision_numbers`` (every ``YY/NNNNN``
decision number, the document's own and the ones it refers to).

>>> from kgraph.extract.sections import split_sections
>>> text = "DECISION NO:\\n\\n19/00076\\n\\nCommittee debated decision: 18/00071 - Old Title\\n"
>>> [(n.number, n.own, n.title) for n in find_decision_numbers(text, split_sections(text, "RecordOfDecision"))]
[('19/00076', True, None), ('18/00071', False, 'Old Title')]
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from kgraph.extract.nlp.dates import DateSpan, find_dates
from kgraph.extract.sections import find_section, find_sections
from kgraph.model import DecisionMention, DecisionNumberMention, Mention, Section

__all__ = [
    "DecisionRecognizer",
    "find_decision_numbers",
    "decision_status",
    "split_maker",
    "lettered_points",
    "title_from_summary",
    "past_dates",
    "clean_value",
]

_NUMBER = re.compile(r"(?<![\w/.-])(\d{2})/(\d{5})(?![\w/])")
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_REF_TITLE = re.compile(
    r"[ \t]*(?:[-–—:][ \t]*(?P<dash>[^\n]+)|\([ \t]*(?P<paren>[^)\n]+)\)|[‘'\"“](?P<quoted>[^’'\"”\n]+)[’'\"”])"
)
# a cited title ends where its sentence does ("19/00012 - Youth Hubs. See also ...")
_SENTENCE_END = re.compile(r"[.;]\s+(?=[A-Z(])")
_STATUS = re.compile(r"(proposed\s+)?record\s+of\s+decision", re.IGNORECASE)
_KEY = re.compile(r"(yes|no)\b", re.IGNORECASE)
_POINT = re.compile(r"^[ \t]*(?:[-•*][ \t]+)?\(?([a-zA-Z])\)[ \t]+", re.MULTILINE)
_SUMMARY_TITLE = re.compile(
    r"this\s+report\s+(?:provides\s+an\s+update\s+on|provides\s+an\s+overview\s+of|"
    r"provides\s+information\s+on|updates\s+(?:the\s+)?(?:committee|members)\s+on|sets\s+out|"
    r"reports\s+on|concerns|is\s+about)\s+(?:the\s+)?(?P<t>[^.]+?)\s*\.",
    re.IGNORECASE,
)
_ROLE_START = re.compile(
    r"(?:the\s+)?(?:cabinet|leader|deputy|corporate|director|chief|head|executive|member|officer|"
    r"committee|council|county|strategic)\b",
    re.IGNORECASE,
)
_NAME = re.compile(r"(?:(?:Mr|Mrs|Ms|Miss|Dr|Cllr|Councillor)\.?\s+)?[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,3}")
_MAKER_SPLIT = re.compile(r"\s*(?:,|\s[-–—]\s)\s*")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})
_FUTURE = re.compile(
    r"\b(will|shall|would|due|is\s+to|are\s+to|to\s+be|expected|anticipated|planned|intends?|"
    r"proposed|scheduled|next)\b",
    re.IGNORECASE,
)
_PAST = re.compile(
    r"\b(was|were|had|has\s+been|have\s+been|held|took\s+place|commenced|began|started|agreed|"
    r"approved|signed|reported|achieved|procured|published|completed|considered|discussed|"
    r"debated|met|did|undertook|received|decided|launched|awarded|submitted|ago)\b",
    re.IGNORECASE,
)
_BOUNDARY_BEFORE = re.compile(r"\b(until|by|from|before|after|following|end\s+of)\s+(?:the\s+)?$", re.IGNORECASE)
_CLAUSE = re.compile(r"[;:]\s|,\s")
_MEETING_WORDS = re.compile(r"committee|meeting|consider|discuss", re.IGNORECASE)


def _mention(text: str, start: int, end: int) -> Mention:
    return Mention(text[start:end], start, end)


def clean_value(text: str) -> str:
    """A display value: whitespace collapsed, Markdown ``**`` and a trailing full stop removed,
    curly quotes straightened.

    >>> clean_value("**Children’s Services.**\\n")
    "Children's Services"
    """
    value = " ".join(text.replace("**", " ").split()).translate(_APOSTROPHES)
    return value.rstrip(" .;,")


def _clean_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a span to exclude whitespace, ``*`` markup and a trailing full stop."""
    while start < end and (text[start].isspace() or text[start] == "*"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in "*.;,"):
        end -= 1
    return start, end


def _in_url(text: str, start: int, end: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    return any(u.start() <= start and end <= u.end() for u in _URL.finditer(text, line_start, line_end))


def find_decision_numbers(text: str, sections: list[Section]) -> list[DecisionNumberMention]:
    """Every decision number ``YY/NNNNN`` in ``text``; look-alikes and numbers in URLs are skipped.

    The number that opens the DECISION NO field is ``own`` (so are its repeats); others are references,
    with the title the text gives after a dash, in brackets or in quotes.

    >>> t = "ref: 2295, 19/502510/FULL, Framework Y24008, 11/01/2019, https://x.org/19/00001 and 20/00012 (Youth Hubs)"
    >>> [(n.number, n.own, n.title) for n in find_decision_numbers(t, [])]
    [('20/00012', False, 'Youth Hubs')]
    >>> [n.title for n in find_decision_numbers("It amends 21/00003 - Library Review. See ref: 2295.", [])]
    ['Library Review']
    """
    field = find_section(sections, "decision_number")
    own: str | None = None
    found: list[DecisionNumberMention] = []
    for m in _NUMBER.finditer(text):
        if _in_url(text, m.start(), m.end()):
            continue
        number = m.group(0)
        is_field = field is not None and m.start() == field.start
        if is_field and own is None:
            own = number
        title = None
        tm = _REF_TITLE.match(text, m.end())
        if tm and not is_field:
            group = next(g for g in ("dash", "paren", "quoted") if tm.group(g))
            title = clean_value(_SENTENCE_END.split(tm.group(group), 1)[0]) or None
        found.append(DecisionNumberMention(_mention(text, m.start(), m.end()), number, is_field, title))
    return [
        DecisionNumberMention(n.mention, n.number, True, None) if n.number == own else n for n in found
    ]


def decision_status(text: str, sections: list[Section], kind: str) -> tuple[str | None, Mention | None]:
    """``proposed`` or ``taken`` for a Record of Decision (from its header line), else ``None``.

    >>> decision_status("KENT COUNTY COUNCIL - PROPOSED RECORD OF DECISION", [], "RecordOfDecision")[0]
    'proposed'
    >>> decision_status("# KENT COUNTY COUNCIL – RECORD OF DECISION", [], "RecordOfDecision")[0]
    'taken'
    """
    if kind != "RecordOfDecision":
        return None, None
    header = find_section(sections, "header")
    start, end = (header.start, header.end) if header else (0, min(len(text), 1500))
    m = _STATUS.search(text, start, end)
    if not m:
        return None, None
    return ("proposed" if m.group(1) else "taken"), _mention(text, m.start(), m.end())


def split_maker(value: str) -> tuple[str | None, str | None]:
    """``(person, role)`` from a decision-maker field; curly apostrophes become ``'``.

    >>> split_maker("Sue Chandler, Cabinet Member for Integrated Children’s Services")
    ('Sue Chandler', "Cabinet Member for Integrated Children's Services")
    >>> split_maker("Cabinet Member for Integrated Children’s Services")
    (None, "Cabinet Member for Integrated Children's Services")
    """
    value = clean_value(value)
    if not value:
        return None, None
    parts = _MAKER_SPLIT.split(value, maxsplit=1)
    if len(parts) == 2 and _NAME.fullmatch(parts[0]) and not _ROLE_START.match(parts[0]):
        return parts[0], parts[1] or None
    return None, value


def lettered_points(text: str, start: int, end: int) -> list[Mention]:
    """The lettered points (``a)``, ``- B)``, ``(c)``) in ``text[start:end]``, markers excluded.

    Letters must run a, b, c...; each point runs to the next one, the last to ``end``.

    >>> t = "I agree to:\\n- A) Allow tender.\\n- B) Delegate authority."
    >>> [p.text for p in lettered_points(t, 0, len(t))]
    ['Allow tender.', 'Delegate authority.']
    """
    markers: list[re.Match] = []
    for m in _POINT.finditer(text, start, end):
        if ord(m.group(1).lower()) - ord("a") == len(markers):
            markers.append(m)
    points = []
    for i, m in enumerate(markers):
        stop = markers[i + 1].start() if i + 1 < len(markers) else end
        s, e = m.end(), stop
        while e > s and text[e - 1].isspace():
            e -= 1
        points.append(_mention(text, s, e))
    return points


def title_from_summary(text: str, start: int, end: int) -> tuple[str, Mention] | None:
    """A report's subject from "This report provides an update on the X." in its Summary.

    >>> t = "This report provides an update on the commissioning and procurement\\nof the service. More."
    >>> title_from_summary(t, 0, len(t))[0]
    'Commissioning and procurement of the service'
    """
    m = _SUMMARY_TITLE.search(text, start, end)
    if not m:
        return None
    value = clean_value(m.group("t"))
    return value[:1].upper() + value[1:], _mention(text, m.start("t"), m.end("t"))


def _sentence_spans(doc: Doc) -> list[tuple[int, int]]:
    if doc.has_annotation("SENT_START"):
        return [(s.start_char, s.end_char) for s in doc.sents]
    spans, pos = [], 0
    for line in doc.text.split("\n"):
        spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def _tense(context: str, date_pos: int) -> str | None:
    """``past``/``future`` from the tense marker nearest before ``date_pos`` (else after)."""
    before = [(m.end(), kind) for kind, rx in (("future", _FUTURE), ("past", _PAST))
              for m in rx.finditer(context, 0, date_pos)]
    if before:
        return max(before)[1]
    after = [(m.start(), kind) for kind, rx in (("future", _FUTURE), ("past", _PAST))
             for m in rx.finditer(context, date_pos)]
    return min(after)[1] if after else None


def past_dates(text: str, sentences: list[tuple[int, int]]) -> list[DateSpan]:
    """Dates (day or month precision) that the text reports as past.

    A date is past when the tense marker nearest to it in its clause (else its sentence) is a
    past one ("held", "was") and it is not a boundary ("until", "by", "from").

    >>> t = "A market meeting held on 10 June 2016. The new contract is due to commence on 1 April 2017."
    >>> [d.iso for d in past_dates(t, [(0, 38), (39, len(t))])]
    ['2016-06-10']
    """
    out = []
    for s, e in sentences:
        sentence = text[s:e]
        for d in find_dates(sentence, months=True):
            if _BOUNDARY_BEFORE.search(sentence, 0, d.start):
                continue
            cuts = [0] + [m.end() for m in _CLAUSE.finditer(sentence) if m.end() <= d.start]
            c_start = cuts[-1]
            nxt = _CLAUSE.search(sentence, d.end)
            c_end = nxt.start() if nxt else len(sentence)
            tense = _tense(sentence[c_start:c_end], d.start - c_start) or _tense(sentence, d.start)
            if tense == "past":
                out.append(DateSpan(d.text, d.start + s, d.end + s, d.iso, d.precision))
    return out


def _meeting_date(text: str, sections: list[Section], sentences: list[tuple[int, int]]) -> str | None:
    """The first full date in the consultation field said of a committee meeting."""
    for sec in find_sections(sections, "consultation"):
        for d in find_dates(text[sec.start : sec.end]):
            pos = d.start + sec.start
            s, e = next(((s, e) for s, e in sentences if s <= pos < e), (sec.start, sec.end))
            if _MEETING_WORDS.search(text, max(s, sec.start), min(e, sec.end)):
                return d.iso
    return None


class DecisionRecognizer:
    """Fill ``doc._.decision`` and ``doc._.decision_numbers`` (see the module docstring)."""

    def __init__(self, nlp: Language, name: str):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        sections = list(doc._.sections or [])
        kind = doc._.kind
        sentences = _sentence_spans(doc)
        numbers = find_decision_numbers(text, sections)
        decision = doc._.decision or DecisionMention()
        own = next((n for n in numbers if n.own), None)
        if own:
            decision.number, decision.number_mention = own.number, own.mention

        title = find_section(sections, "title")
        if title and title.end > title.start:
            s, e = _clean_span(text, title.start, title.end)
            decision.title, decision.title_mention = clean_value(text[s:e]) or None, _mention(text, s, e)
        elif kind != "RecordOfDecision":
            for summary in find_sections(sections, "summary"):
                found = title_from_summary(text, summary.start, summary.end)
                if found:
                    decision.title, decision.title_mention = found
                    break

        decision.status, decision.status_mention = decision_status(text, sections, kind)

        maker = find_section(sections, "decision_maker")
        if maker and maker.end > maker.start:
            s, e = _clean_span(text, maker.start, maker.end)
            decision.maker_person, decision.maker_role = split_maker(text[s:e])
            decision.maker_mention = _mention(text, s, e)

        for sec in find_sections(sections, "key_decision"):
            m = _KEY.match(text, sec.start, sec.end)
            if m:
                decision.key_decision = m.group(1).lower() == "yes"
                decision.key_decision_mention = _mention(text, m.start(1), m.end(1))
                break

        field = find_section(sections, "decision")
        if field is None and kind != "RecordOfDecision":
            field = find_section(sections, "recommendations")
        if field is not None:
            decision.points = lettered_points(text, field.start, field.end)

        decision.date = _meeting_date(text, sections, sentences)
        if decision.date:
            decision.year = int(decision.date[:4])
        else:
            past = past_dates(text, sentences)
            decision.year = max((d.year for d in past), default=None)

        doc._.decision = decision
        doc._.decision_numbers = numbers
        return doc
