"""The document's own decisions: number, title, status, maker, key-decision flag, points, date.

Reads the Record of Decision form fields (``doc._.sections``), for committee reports the
Summary and Recommendation(s), and for web pages the decisions they show
(:mod:`~kgraph.extract.nlp.decision_pages`: listings, details, agenda items). Writes
``doc._.decision`` (a :class:`~kgraph.model.DecisionMention`), ``doc._.subjects`` (every
decision the page is about, ``decision`` first), ``doc._.decision_numbers`` (every decision
number the text calls one, in the formats of the council's profile,
:mod:`kgraph.extract.profiles`) and ``doc._.decision_refs`` (earlier decisions described
without a number, :mod:`~kgraph.extract.nlp.decision_refs`).

>>> from kgraph.extract.sections import split_sections
>>> text = "DECISION NO:\\n\\n19/00076\\n\\nCommittee debated decision: 18/00071 - Old Title\\n"
>>> [(n.number, n.own, n.title) for n in find_decision_numbers(text, split_sections(text, "RecordOfDecision"))]
[('19/00076', True, None), ('18/00071', False, 'Old Title')]
"""

from __future__ import annotations

import bisect
import re

from spacy.language import Language
from spacy.tokens import Doc

from kgraph.extract.nlp.dates import DateSpan, dates_in, find_dates
from kgraph.extract.nlp.decision_pages import page_subjects
from kgraph.extract.nlp.decision_refs import described_refs, implied_awards
from kgraph.extract.profiles import CouncilProfile, profile_for
from kgraph.extract.sections import find_section, find_sections
from kgraph.extract.start_scan import StartScan
from kgraph.extract.structure import sentence_list
from kgraph.extract.tokens import text_of
from kgraph.model import (
    DecisionMention,
    DecisionNumberMention,
    Mention,
    Section,
)

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

# a bracket after a number that is not its title: "(subject to call-in)", "(see …)"
_NOT_TITLE = re.compile(r"(?:subject\s+to|see|refers?|taken|attached|ref\b)", re.IGNORECASE)
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
_TENSES = (("future", StartScan(_FUTURE)), ("past", StartScan(_PAST)))
_BOUNDARY_BEFORE = re.compile(r"\b(until|by|from|before|after|following|end\s+of)\s+(?:the\s+)?$", re.IGNORECASE)
_BOUNDARY_SCAN = StartScan(_BOUNDARY_BEFORE)
_CLAUSE = re.compile(r"[;:]\s|,\s")
_NEXT_FIELD = re.compile(r"^[ \t]*[A-Z][\w ]{0,30}\??[ \t]*:", re.MULTILINE)
_MEETING_WORDS = re.compile(r"committee|meeting|consider|discuss", re.IGNORECASE)
#: The year of a date (:mod:`~kgraph.extract.nlp.dates`): a scan finds every one not right after a digit.
_YEAR_DIGITS = re.compile(r"(?:19|20)\d\d")


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


def find_decision_numbers(text: str, sections: list[Section],
                          profile: CouncilProfile | None = None) -> list[DecisionNumberMention]:
    """Every decision number the text calls one (see :mod:`kgraph.extract.profiles`); look-alikes
    and numbers in URLs are skipped.

    A number is ``own`` (the page's subject) when it opens the DECISION NO field, follows a label
    that opens its line ("DECISION MADE (Ref: …)"), or ends a decision title on a listing page; so
    are its repeats. Others are references, with the title the text gives after a dash, in brackets
    or in quotes.

    >>> t = "ref: 2295, 19/502510/FULL, Framework Y24008, 11/01/2019, https://x.org/19/00001, decision 20/00012 (Youth Hubs)"
    >>> [(n.number, n.own, n.title) for n in find_decision_numbers(t, [])]
    [('20/00012', False, 'Youth Hubs')]
    >>> [n.title for n in find_decision_numbers("It amends decision 21/00003 - Library Review. See ref: 2295.", [])]
    ['Library Review']
    >>> [(n.number, n.own) for n in find_decision_numbers("DECISION MADE: (CAB 18/19 21646)", [], profile_for(None))]
    [('CAB 18/19 21646', True)]
    """
    profile = profile or profile_for(None)
    field = find_section(sections, "decision_number")
    own: set[str] = set()
    found: list[DecisionNumberMention] = []
    for hit in profile.numbers(text):
        if _in_url(text, hit.start, hit.end):
            continue
        number = hit.number
        is_field = (field is not None and hit.start == field.start) or hit.line_label
        if is_field:
            own.add(number)
        title = None
        tm = _REF_TITLE.match(text, hit.end)
        if tm and not is_field:
            group = next(g for g in ("dash", "paren", "quoted") if tm.group(g))
            title = clean_value(_SENTENCE_END.split(tm.group(group), 1)[0]) or None
            if title and profile.listing_number(title) is None and _NOT_TITLE.match(title):
                title = None
        found.append(DecisionNumberMention(_mention(text, hit.start, hit.end), number, is_field, title))
    return [
        DecisionNumberMention(n.mention, n.number, True, None) if n.number in own else n for n in found
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


_STATUS_NEITHER = re.compile(r"\b(?:not|no|rejected|refused|withdrawn|abandoned|deferred|called[\s-]*in|superseded|"
                             r"rescinded|declined|cancelled|postponed|revoked)\b", re.I)
_STATUS_TAKEN = re.compile(r"\b(?:approved|agreed|made|taken|confirmed|implemented|adopted|resolved|endorsed|"
                           r"decided|granted|published)\b", re.I)
_STATUS_PROPOSED = re.compile(r"\b(?:proposed|for\s+determination|pending|draft|forthcoming|to\s+be\s+"
                              r"(?:taken|made|considered|decided))\b", re.I)


def status_value(wording: str | None) -> str | None:
    """``proposed`` or ``taken`` from a page's own status wording; None when it says neither
    (withdrawn, deferred, called in, rejected, …) or does not settle it.

    >>> [status_value(s) for s in ("Recommendations Approved", "Decision Made", "For Determination",
    ...                              "Not approved", "Called In", "Noted", "taken")]
    ['taken', 'taken', 'proposed', None, None, None, 'taken']
    """
    if not wording:
        return None
    if wording in ("proposed", "taken"):
        return wording
    if _STATUS_NEITHER.search(wording):
        return None
    if _STATUS_TAKEN.search(wording):
        return "taken"
    return "proposed" if _STATUS_PROPOSED.search(wording) else None


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
        return sentence_list(doc)
    spans, pos = [], 0
    for line in text_of(doc).split("\n"):
        spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def _tense(markers: list[tuple[int, int, str]], lo: int, hi: int, date_pos: int) -> str | None:
    """``past``/``future`` from the tense marker in ``[lo, hi)`` nearest before ``date_pos`` (else
    after). ``markers`` are the sentence's ``(start, end, kind)``, found once: a clause starts
    after a space and ends at ``;`` ``:`` or ``,``, which no marker holds, and no marker runs
    into a date (none goes on with a number or a month), so they are the clause's own."""
    before = [(e, kind) for s, e, kind in markers if lo <= s and e <= date_pos]
    if before:
        return max(before)[1]
    after = [(s, kind) for s, e, kind in markers if date_pos <= s and e <= hi]
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
    years = [m.start() for m in _YEAR_DIGITS.finditer(text)]
    # every date holds a year, after a character that is not a digit
    dated = [(s, e) for s, e in sentences if (k := bisect.bisect_left(years, s)) < len(years) and years[k] + 4 <= e]
    for (s, e), found in zip(dated, dates_in(text, dated, months=True), strict=True):
        if not found:
            continue
        sentence = text[s:e]
        markers: list[tuple[int, int, str]] | None = None
        for d in (DateSpan(d.text, d.start - s, d.end - s, d.iso, d.precision) for d in found):
            if _BOUNDARY_SCAN.search(sentence, 0, d.start):
                continue
            cuts = [0] + [m.end() for m in _CLAUSE.finditer(sentence) if m.end() <= d.start]
            c_start = cuts[-1]
            nxt = _CLAUSE.search(sentence, d.end)
            c_end = nxt.start() if nxt else len(sentence)
            if markers is None:
                markers = [(m.start(), m.end(), kind) for kind, rx in _TENSES for m in rx.finditer(sentence)]
            tense = _tense(markers, c_start, c_end, d.start) or _tense(markers, 0, len(sentence), d.start)
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
        text = text_of(doc)
        sections = list(doc._.sections or [])
        kind = doc._.kind
        sentences = _sentence_spans(doc)
        publisher = doc._.publisher if Doc.has_extension("publisher") else None
        profile = profile_for(publisher.name if publisher else doc._.council)
        numbers = find_decision_numbers(text, sections, profile)
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
            field = _NEXT_FIELD.search(text, maker.start, maker.end)  # an empty field: the next one's label
            s, e = _clean_span(text, maker.start, field.start() if field else maker.end)
        if maker and maker.end > maker.start and e > s:
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

        subjects = [decision]
        if kind == "Other" or not (decision.number or decision.title):
            subjects, numbers = page_subjects(text, profile, decision, numbers)
        doc._.decision = subjects[0]
        doc._.subjects = subjects
        doc._.decision_numbers = numbers
        refs = described_refs(text, numbers, sentences)
        cited = [n.mention.start for n in numbers if not n.own] + [r.mention.start for r in refs]
        doc._.decision_refs = refs + implied_awards(text, subjects, cited)
        return doc
