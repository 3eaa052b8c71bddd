"""The council that published a document, read from the document itself.

Clues, most trusted first (the first that settles it wins):

=================  ==========  ==========================================================
rule               confidence  what it reads
=================  ==========  ==========================================================
``front_matter``   1.0         a ``council:`` line in the document's opening lines
``url``            0.95        the host of a ``url:`` / ``source:`` line, matched to the
                               register's GOV.UK slugs and name tokens
                               (``democracy.kent.gov.uk``, ``modgov.sefton.gov.uk``)
``letterhead``     0.9         a council named at the start of a header line near the top
                               ("KENT COUNTY COUNCIL – RECORD OF DECISION", a site header),
                               or followed by the form's title anywhere ("X – Record of
                               Decision")
``furniture``      0.9         the site's own words: "© 2024 X Council", "Copyright X
                               Council", "Welcome to X Council", a page title line
                               "Decision details | X Council" at the top or foot
``self_reference`` 0.8         a council the text speaks as: "X Council's", "on behalf of
                               X Council", "X Council (the Council)", the decision maker's
                               body ("Decision Maker: Chief Executive, X"), a signature
                               ("Chief Executive, X Council"; a role line, then the council)
``contact``        0.8         the web host of the contact e-mail addresses and of "the
                               Council's website" (all that name a council name one)
``most_named``     0.7         the council named most often, at least twice and more
                               than twice as often as any other
``setting``        0.5         the ``council`` setting, when nothing above settles it
=================  ==========  ==========================================================

None when no clue settles it and no default is set: "the Council" then stays unresolved.

>>> pub = detect_publisher("WIDGETSHIRE COUNTY COUNCIL – RECORD OF DECISION\\n...",
...                        [CouncilMention("Widgetshire County Council", 0, 26)])
>>> pub.name, pub.rule, pub.confidence
('Widgetshire County Council', 'letterhead', 0.9)
>>> detect_publisher("The Council agreed.", []) is None
True
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from kgraph.extract.gazetteers.organisations import OrgEntry, load_organisations, lookup
from kgraph.extract.publisher_clues import furniture, line_of, signed
from kgraph.model import Mention

#: Confidence of each rule (see the module docstring).
RULE_CONFIDENCE = {
    "front_matter": 1.0,
    "url": 0.95,
    "letterhead": 0.9,
    "furniture": 0.9,
    "self_reference": 0.8,
    "contact": 0.8,
    "most_named": 0.7,
    "setting": 0.5,
}
#: Characters from the top of a document in which a council named at a line start is its letterhead.
LETTERHEAD_CHARS = 400
#: Longest line, in characters, that can be a letterhead or site header.
LETTERHEAD_LINE = 100
#: Opening lines searched for ``council:`` / ``url:`` front matter.
FRONT_MATTER_LINES = 12
COUNCIL_KINDS = frozenset({"LocalAuthority", "CombinedAuthority"})

_FRONT = re.compile(r"^\s*(council|publisher|url|source_url|source)\s*:\s*(\S.*?)\s*$", re.I)
#: A front-matter council value the register does not hold must still read as a council's name
#: (a page's "Council: 23 February 2021" line is a meeting, not a publisher).
_COUNCIL_NAME = re.compile(r"^[A-Z][A-Za-z'’ ,&.\-]*\b(?:Council|Authority|Corporation)$")
_HOST = re.compile(r"^(?:[a-z]+://)?([^/:\s]+)", re.I)
#: Host labels that say nothing about which council it is.
_HOST_NOISE = frozenset(
    "www democracy democratic edemocracy modgov moderngov mgov committees committee councillors "
    "mycouncil cabinet minutes cmis cds meetings services decisions docs public apps online "
    "gov uk co org net com info".split())
_PLACE_NOISE = re.compile(
    r"\b(metropolitan borough council|london borough council|county borough council|borough council of|"
    r"county council|borough council|district council|city council|city and county council|council|"
    r"combined authority|london borough of|royal borough of|city of|corporation)\b")
_SMALL = {"and", "of", "the", "upon", "on", "with", "in"}
_SELF_BEFORE = re.compile(r"(?:on behalf of|behalf of the|employed by|officers? of|for and on behalf of)\s*$", re.I)
#: A council's name followed by the title of the form it heads: "Salford City Council – Record of Decision".
_FORM_TITLE = re.compile(r"^\s*[-–—:|]\s*(?:proposed\s+)?(?:record\s+of\s+(?:officer\s+|executive\s+)?decision|"
                         r"decision\s+notice|(?:officer|executive|cabinet\s+member)\s+decision)", re.I)
#: A line naming who takes the decision: "Decision Maker: Chief Executive, X Combined Authority".
_MAKER_LINE = re.compile(r"^\W*decision\s+(?:maker|taker|to\s+be\s+taken\s+by|taken\s+by)\b", re.I)
_EMAIL = re.compile(r"(?<![\w.+'-])[\w.+'-]+@((?:[a-z0-9-]+\.)+[a-z]{2,})\b", re.I)
_WEBSITE = re.compile(r"(?:council|authority)['’]s\s+(?:web\s*site|web\s+pages?)\s*(?:at|:)?\s*((?:https?://)?(?:[a-z0-9-]+\.)+[a-z]{2,})",
                      re.I)
#: A line that gives contact details (its e-mail addresses are the publisher's officers').
_CONTACT_LINE = re.compile(r"\b(?:contact|e-?mail|enquiries|tel|telephone|officer|democratic\s+services)\b", re.I)
_SELF_AFTER = re.compile(r"^\s*(?:['’]s\b|\(\s*[\"'‘“]?the\s+(?:council|authority|county council|city council)\b)", re.I)


@dataclass(frozen=True)
class CouncilMention:
    """A council named in the text: its canonical name and the span naming it."""

    name: str
    start: int
    end: int


@dataclass(frozen=True)
class Publisher:
    """The publishing council, the rule that found it, a confidence and its evidence."""

    name: str
    rule: str
    confidence: float
    evidence: Mention | None = None

    def as_dict(self) -> dict:
        return {"name": self.name, "rule": self.rule, "confidence": self.confidence,
                "evidence": self.evidence.as_dict() if self.evidence else None}


def front_matter(text: str) -> dict[str, tuple[str, int, int]]:
    """``council`` / ``url`` lines at the top of a document: key → (value, start, end).

    >>> front_matter("---\\ncouncil: Sefton Council\\nurl: https://modgov.sefton.gov.uk/x\\n---\\nText")["url"][0]
    'https://modgov.sefton.gov.uk/x'
    """
    out: dict[str, tuple[str, int, int]] = {}
    pos = 0
    for i, line in enumerate(text.split("\n")):
        if i >= FRONT_MATTER_LINES:
            break
        m = _FRONT.match(line)
        if m:
            key = m.group(1).lower()
            key = "url" if key in ("url", "source_url", "source") else "council"
            if key == "url" and not re.search(r"[a-z0-9-]\.[a-z]{2,}", m.group(2), re.I):
                pos += len(line) + 1
                continue  # "Source: Democratic Services" is not a web address
            out.setdefault(key, (m.group(2), pos + m.start(2), pos + m.end(2)))
        pos += len(line) + 1
    return out


_DATE_YEAR = re.compile(
    r"\b\d{1,2}(?:st|nd|rd|th)?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s+((?:19|20)\d\d)\b"
    r"|\b\d{1,2}/\d{1,2}/((?:19|20)\d\d)\b", re.I)


def latest_year(text: str) -> int | None:
    """The year of the latest full date the text gives ("15 November 2019", "11/01/2019").

    >>> latest_year("On 3rd March 2018 and 11/01/2019 the Cabinet met."), latest_year("no dates")
    (2019, None)
    """
    years = [int(a or b) for a, b in _DATE_YEAR.findall(text)]
    return max(years) if years else None


def _councils(orgs: dict[str, OrgEntry]) -> list[OrgEntry]:
    return [e for e in orgs.values() if e.kind in COUNCIL_KINDS]


def _place(name: str) -> str:
    return " ".join(_PLACE_NOISE.sub(" ", name.lower().replace("&", " and ").replace("'", "")).split())


def _host_keys(e: OrgEntry) -> set[str]:
    """Compact tokens a council's web host may be made of: slug, place, initials."""
    keys = set()
    if e.web_slug:
        keys.add(e.web_slug.replace("-", ""))
    for label in (e.name, *e.aliases):
        place = _place(label)
        words = re.findall(r"[a-z]+", place)
        if not words:
            continue
        keys.add("".join(words))
        sig = [w for w in words if w not in _SMALL]
        if len(words) >= 3:
            keys.add("".join(w[0] for w in words))  # Isle of Wight → iow
            keys.add(sig[0] + "".join(w[0] for w in sig[1:]))  # Bath and North East Somerset → bathnes
        if len(sig) >= 2:
            keys.add("".join(w[0] for w in sig))  # Bournemouth, Christchurch and Poole → bcp
        if e.subtype == "london_borough":
            keys.add("lb" + "".join(w[0] for w in sig))  # London Borough of Barking and Dagenham → lbbd
    for a in e.acronyms:
        keys.add(a.lower())
    return {k for k in keys if len(k) >= 3}


#: Host indexes already built, by the identity of the gazetteer they were built from.
_HOST_INDEXES: dict[int, tuple[dict, dict[str, tuple[OrgEntry, ...]]]] = {}


def _index_for(orgs: dict[str, OrgEntry]) -> dict[str, tuple[OrgEntry, ...]]:
    """Compact host token → councils, built once per gazetteer."""
    known = _HOST_INDEXES.get(id(orgs))
    if known is None or known[0] is not orgs:
        index: dict[str, list[OrgEntry]] = {}
        for e in _councils(orgs):
            for k in _host_keys(e):
                index.setdefault(k, []).append(e)
        known = _HOST_INDEXES[id(orgs)] = (orgs, {k: tuple(v) for k, v in index.items()})
    return known[1]


def _one(cands: list[OrgEntry], year: int | None = None) -> OrgEntry | None:
    """The only candidate; else the only one in being in ``year``; else the only current one."""
    uniq = list(dict.fromkeys(cands))
    if len(uniq) == 1:
        return uniq[0]
    if year is not None:
        alive = [c for c in uniq if (not c.start or int(c.start[:4]) <= year) and (not c.end or year < int(c.end[:4]))]
        if len(alive) == 1:
            return alive[0]
    current = [c for c in uniq if c.current and not c.end]
    return current[0] if len(current) == 1 else None


def council_from_host(url: str, orgs: dict[str, OrgEntry] | None = None, year: int | None = None) -> OrgEntry | None:
    """The council whose web host this is, from the register's slugs and names alone; where a
    host served a council and its successor, ``year`` (of the page's dates) picks between them.

    >>> council_from_host("https://democracy.kent.gov.uk/ieDecisionDetails.aspx?ID=1").name
    'Kent County Council'
    >>> council_from_host("westsussex.moderngov.co.uk").name
    'West Sussex County Council'
    >>> council_from_host("modgov.lbbd.gov.uk").name
    'London Borough of Barking and Dagenham'
    >>> council_from_host("https://studylib.net/doc/123") is None
    True
    >>> council_from_host("edemocracy.northyorks.gov.uk", year=2019).name
    'North Yorkshire County Council'
    """
    orgs = orgs if orgs is not None else load_organisations()
    index = _index_for(orgs)
    m = _HOST.match(url.strip())
    if not m or "." not in m.group(1):
        return None
    labels = [lab for lab in m.group(1).lower().split(".") if lab not in _HOST_NOISE]
    found: list[OrgEntry] = []
    for lab in labels:
        compact = re.sub(r"(council|county|cc|gov|ca)$", "", lab.replace("-", "")) or lab
        for key in (lab.replace("-", ""), compact):
            hit = _one(list(index.get(key, ())), year)
            if hit is not None:
                found.append(hit)
                break
        else:
            parts = [_one(list(index.get(p, ())), year) for p in lab.split("-") if p]
            if len(parts) == 1 and parts[0] is not None:
                found.append(parts[0])
            elif len(parts) > 1:
                return None  # a shared service host ("adur-worthing") does not settle it
            elif len(compact) >= 6:
                near = [e for k, es in index.items() if len(k) >= 6 and (k.startswith(compact) or compact.startswith(k))
                        for e in es]
                hit = _one(near, year)
                if hit is not None:
                    found.append(hit)
    return _one(found, year) if found else None


def _letterhead(text: str, mentions: list[CouncilMention]) -> CouncilMention | None:
    """A council's full name opening a short line near the top that is a header, not a sentence."""
    for m in sorted(mentions, key=lambda m: m.start):
        if m.start > LETTERHEAD_CHARS:
            break
        line_start = text.rfind("\n", 0, m.start) + 1
        line_end = text.find("\n", m.end)
        line_end = len(text) if line_end < 0 else line_end
        full_name = " " in text[m.start:m.end].strip()
        heading = line_end - line_start <= LETTERHEAD_LINE and not text[line_start:line_end].rstrip().endswith(".")
        if full_name and heading and not text[line_start:m.start].strip(" \t#*>|-_=:"):
            return m
    for m in sorted(mentions, key=lambda m: m.start):
        if _FORM_TITLE.match(text[m.end:m.end + 60]):
            return m  # the title of the form, wherever a flattened page put it
    return None


def _self_reference(text: str, mentions: list[CouncilMention]) -> str | None:
    """The one council the text speaks as ("X Council's", "on behalf of X", the decision maker's
    body, a signature)."""
    names = signed(text, mentions)
    for m in mentions:
        line_start = text.rfind("\n", 0, m.start) + 1
        if (_SELF_AFTER.match(text[m.end:m.end + 30]) or _SELF_BEFORE.search(text[max(0, m.start - 30):m.start])
                or _MAKER_LINE.match(text[line_start:m.start])):
            names.add(m.name)
    return names.pop() if len(names) == 1 else None


def _contact(text: str, orgs: dict[str, OrgEntry] | None) -> tuple[OrgEntry, Mention] | None:
    """The one council whose web host the contact e-mail addresses (on contact lines) and "the
    Council's website" name; None when they name none or several."""
    year = latest_year(text)
    found: list[tuple[OrgEntry, Mention]] = []
    hosts = [m for m in _EMAIL.finditer(text) if _CONTACT_LINE.search(text, *line_of(text, m.start(), m.end()))]
    hosts += list(_WEBSITE.finditer(text))
    for m in hosts:
        entry = council_from_host(m.group(1), orgs, year)
        if entry is not None:
            found.append((entry, Mention(m.group(1), m.start(1), m.end(1))))
    return found[0] if found and len({e.name for e, _ in found}) == 1 else None


def detect_publisher(text: str, mentions: list[CouncilMention], *, default: str | None = None,
                     orgs: dict[str, OrgEntry] | None = None) -> Publisher | None:
    """The publishing council of ``text`` given the councils named in it (see the module docstring).

    >>> detect_publisher("council: Wirral Council\\n\\nThe Council agreed.", []).name
    'Wirral Borough Council'
    >>> detect_publisher("url: https://democracy.wirral.gov.uk/x\\n\\nText.", []).rule
    'url'
    >>> t = "The report of Ambridge District Council's cabinet. Borsetshire County Council agreed."
    >>> ms = [CouncilMention("Ambridge District Council", 14, 39), CouncilMention("Borsetshire County Council", 52, 78)]
    >>> detect_publisher(t, ms).name
    'Ambridge District Council'
    >>> detect_publisher("Nothing here.", [], default="Ambridge District Council").rule
    'setting'
    """
    fm = front_matter(text)
    if "council" in fm:
        value, s, e = fm["council"]
        entry = lookup(value, orgs) if orgs is not None else lookup(value)
        if entry is not None and entry.kind in COUNCIL_KINDS:
            return Publisher(entry.name, "front_matter", RULE_CONFIDENCE["front_matter"], Mention(text[s:e], s, e))
        if _COUNCIL_NAME.match(value):  # a council the register does not hold: as written
            return Publisher(value, "front_matter", RULE_CONFIDENCE["front_matter"], Mention(text[s:e], s, e))
    if "url" in fm:
        value, s, e = fm["url"]
        entry = council_from_host(value, orgs, latest_year(text))
        if entry is not None:
            return Publisher(entry.name, "url", RULE_CONFIDENCE["url"], Mention(text[s:e], s, e))
    if mentions:
        head = _letterhead(text, mentions)
        if head is not None:
            return Publisher(head.name, "letterhead", RULE_CONFIDENCE["letterhead"],
                             Mention(text[head.start:head.end], head.start, head.end))
        site = furniture(text, mentions)
        if site is not None:
            return Publisher(site.name, "furniture", RULE_CONFIDENCE["furniture"],
                             Mention(text[site.start:site.end], site.start, site.end))
        own = _self_reference(text, mentions)
        if own is not None:
            first = next(m for m in mentions if m.name == own)
            return Publisher(own, "self_reference", RULE_CONFIDENCE["self_reference"],
                             Mention(text[first.start:first.end], first.start, first.end))
    contact = _contact(text, orgs)
    if contact is not None:
        return Publisher(contact[0].name, "contact", RULE_CONFIDENCE["contact"], contact[1])
    if mentions:
        counts = Counter(m.name for m in mentions).most_common()
        top, n = counts[0]
        runner_up = counts[1][1] if len(counts) > 1 else 0
        if n >= 2 and n > 2 * runner_up:
            first = next(m for m in mentions if m.name == top)
            return Publisher(top, "most_named", RULE_CONFIDENCE["most_named"],
                             Mention(text[first.start:first.end], first.start, first.end))
    if default:
        return Publisher(default, "setting", RULE_CONFIDENCE["setting"])
    return None
