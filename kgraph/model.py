"""The data that flows between stages: documents, sections, mentions and resolved facts.

Every extracted fact keeps its evidence as :class:`Mention` objects: character offsets
into ``Document.text`` and the quoted text.

>>> m = Mention("KCC", 10, 13)
>>> m.as_dict()
{'text': 'KCC', 'start': 10, 'end': 13}
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TypedDict


@dataclass(frozen=True)
class Mention:
    """A span of document text: the quoted text and its character offsets (end exclusive)."""

    text: str
    start: int
    end: int

    def as_dict(self) -> dict:
        return {"text": self.text, "start": self.start, "end": self.end}


@dataclass(frozen=True)
class Document:
    """A source file read into memory.

    ``kind`` is ``RecordOfDecision``, ``CommitteeReport`` or ``Other``.
    ``id`` is the first 16 hex digits of ``sha256``.
    """

    source: str
    text: str
    sha256: str
    kind: str
    #: The original file: media type (``application/pdf`` ...), size in bytes, SHA-256 of its bytes.
    media_type: str = "text/plain"
    byte_size: int | None = None
    file_sha256: str | None = None
    #: Page map of a paged original (PDF): ``((page, start, end), ...)`` offsets into ``text``.
    pages: tuple[tuple[int, int, int], ...] = ()
    #: Where the document was published (sidecar file, front matter or the page's canonical link).
    source_url: str | None = None

    @property
    def id(self) -> str:
        return self.sha256[:16]

    def page_at(self, offset: int) -> int | None:
        """The page of the original holding text offset ``offset`` (``None`` without a page map)."""
        return page_at(self.pages, offset)


def page_at(pages: tuple[tuple[int, int, int], ...], offset: int) -> int | None:
    """The page whose ``(page, start, end)`` span holds ``offset``, else the last page before it.

    >>> page_at(((1, 0, 10), (2, 11, 20)), 10), page_at(((1, 0, 10), (2, 11, 20)), 11), page_at((), 3)
    (1, 2, None)
    """
    found = None
    for page, start, end in pages:
        if start > offset:
            break
        found = page
        if offset <= end:
            return page
    return found


@dataclass(frozen=True)
class TableRow:
    """One row of a table flattened into a line: a label and the cell text after it."""

    label: str
    value: str
    start: int
    end: int
    is_total: bool = False


@dataclass(frozen=True)
class Section:
    """A part of a document with a canonical ``name`` and the offsets of its body.

    Names for Record of Decision fields: ``header``, ``decision_maker``, ``decision_number``,
    ``key_decision``, ``title``, ``decision``, ``reasons``, ``financial_implications``,
    ``legal_implications``, ``equalities_implications``, ``consultation``, ``alternatives``,
    ``interests``, ``signature``, ``publication``, ``background``, ``options``, ``strategy``
    ("How the proposed decision supports…"), ``data_protection``. Committee reports add ``summary``,
    ``recommendations``, ``paragraph`` (``label`` holds its number, e.g. ``"6.3"``) and
    ``table`` (``rows`` holds its rows). Anything else (including a numbered report heading
    with no fixed meaning) is ``other``.
    """

    name: str
    heading: str
    start: int
    end: int
    label: str = ""
    rows: tuple[TableRow, ...] = ()


# ---------------------------------------------------------------- mentions from spaCy components


@dataclass(frozen=True)
class OrgMention:
    """An organisation named in the text.

    ``name`` is the canonical name (gazetteer or pattern), ``kind`` an organisation kind
    (``LocalAuthority``, ``NHSTrust``, ``Committee`` ...), ``source`` how it was found:
    ``gazetteer``, ``pattern``, ``acronym`` or ``context`` ("the Council" → the publishing council).
    """

    mention: Mention
    name: str
    kind: str
    source: str
    part_of: str | None = None


@dataclass(frozen=True)
class LegislationMention:
    """A reference to an Act or statutory instrument, at provision level where given.

    ``act`` is the gazetteer title of the Act (``None`` if not yet resolved);
    ``provision`` is lower-case ``"section 22"``, ``"section 76(1)"``, ``"schedule 12A"``,
    ``"regulation 3"`` or ``None`` for the whole Act; ``resolution`` says how the Act was
    found: ``explicit``, ``misnamed``, ``back_reference``, ``corpus`` or ``unresolved``;
    ``section`` is the name of the document section it sits in; ``relation`` is
    ``based_on`` when the decision relies on the provision for a power or duty (typically
    in Legal Implications or the reasons) and ``cites`` for any other mention, including
    the form's exempt-publication boilerplate.
    """

    mention: Mention
    act: str | None
    provision: str | None
    resolution: str
    section: str = "other"
    surface_act: str | None = None
    relation: str = "cites"


@dataclass(frozen=True)
class AmountMention:
    """A £ amount with its role and, where the text says so, period and parties.

    ``role`` is ``funding``, ``threshold`` or ``other``; ``period`` is ``annual``,
    a financial year such as ``"2023/2024"``, ``total`` or ``None``.
    """

    mention: Mention
    gbp: int
    role: str
    period: str | None = None
    funder: str | None = None
    recipient: str | None = None
    intermediary: str | None = None
    purpose: str | None = None
    is_total: bool = False
    table_row: str | None = None
    evidence: Mention | None = None


@dataclass(frozen=True)
class DecisionNumberMention:
    """A decision number ``YY/NNNNN``; ``own`` is True for the document's own number."""

    mention: Mention
    number: str
    own: bool
    title: str | None = None


@dataclass(frozen=True)
class DecisionRefMention:
    """An earlier decision the text describes without a number ("approved by Cabinet on 26 March
    2015"): the body that took it, its date (ISO day or month, ``None`` when the text gives no
    year), ``year``, and the title of what was decided when the text names it."""

    mention: Mention
    body: str | None
    date: str | None
    year: int | None
    title: str | None = None
    #: ``"award"`` for the earlier award a contract extension or variation implies, ``"approval"``
    #: for the earlier approval of a programme a change to it implies (the text does not describe
    #: it; ``title`` is the contract or programme as the text names it); ``None`` otherwise
    implied: str | None = None
    #: the link an implied decision gets from the one implying it: extends, varies or amends
    change: str | None = None


@dataclass(frozen=True)
class MeetingMention:
    """A committee meeting: the body (canonical organisation name) and an ISO date."""

    mention: Mention
    body: str
    date: str


@dataclass
class DecisionMention:
    """What a document says of its own decision (Record of Decision form or report)."""

    number: str | None = None
    number_mention: Mention | None = None
    title: str | None = None
    title_mention: Mention | None = None
    status: str | None = None
    status_mention: Mention | None = None
    maker_person: str | None = None
    maker_role: str | None = None
    maker_mention: Mention | None = None
    key_decision: bool | None = None
    key_decision_mention: Mention | None = None
    points: list[Mention] = field(default_factory=list)
    date: str | None = None
    year: int | None = None

    def as_dict(self) -> dict:
        return asdict(self)


# ---------------------------------------------------------------- facts after resolve (the JSON)
# TypedDicts keep the extraction JSON contract (README) byte-identical: they are plain dicts.


class MentionDict(TypedDict):
    text: str
    start: int
    end: int


class Evidence(TypedDict):
    """The sentence a link rests on: document id, offsets and quote."""

    document: str
    start: int
    end: int
    quote: str


class DecisionMakerFact(TypedDict):
    person: str | None
    role: str | None
    mentions: list[MentionDict]


class DecisionFact(TypedDict, total=False):
    """One entry of ``decisions``: ``role`` is ``records`` / ``proposes`` (a decision the document
    is about) or ``references`` (one it refers to, by number or described by body and date)."""

    id: str
    iri: str
    number: str | None
    title: str | None
    status: str | None
    status_text: str | None
    date: str | None
    year: int | None
    decision_maker: DecisionMakerFact
    key_decision: bool | None
    role: str
    points: list[MentionDict]
    mentions: list[MentionDict]
    evidence: dict[str, list[MentionDict]]
    match: dict


#: One entry of ``decision_links``: ``from`` / ``to`` are decision (or report) IRIs, later → earlier;
#: ``from_number`` / ``to_number`` their numbers as printed (the JSON nests each end, see
#: :mod:`kgraph.link.ends`).
LinkFact = TypedDict("LinkFact", {"from": str, "to": str, "from_number": str | None, "to_number": str | None,
                                  "type": str, "rule": str, "confidence": float,
                                  "evidence": Evidence, "also": list, "agreement": str, "amount": dict,
                                  "source_amount": dict}, total=False)


class DocumentFacts(TypedDict, total=False):
    """The extraction JSON of one document."""

    document: dict
    decisions: list[DecisionFact]
    organisations: list[dict]
    legislation: list[dict]
    amounts: list[dict]
    meetings: list[dict]
    decision_links: list[LinkFact]
    agreements: list[dict]
