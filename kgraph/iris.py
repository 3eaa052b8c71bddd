"""Canonical IRIs for documents, decisions, organisations, meetings and amounts.

>>> ids = Iris(council="Wirral Borough Council")
>>> ids.decision("19/00076")
'https://w3id.org/kgraph/id/council/wirral-borough-council/decision/19-00076'
>>> ids.decision(None, year=2016, title="Commissioning and procurement of the child and young people mental health service")
'https://w3id.org/kgraph/id/council/wirral-borough-council/decision/2016-commissioning-and-procurement-of-the-child-and-young-people-mental'
>>> Iris().decision("19/00076")  # no publishing council known
'https://w3id.org/kgraph/id/council/unknown-council/decision/19-00076'
>>> ids.org("Children's Social Care and Health Cabinet Committee")
'https://w3id.org/kgraph/id/org/childrens-social-care-and-health-cabinet-committee'
>>> decision_key("19/00076"), decision_key("19-00076"), decision_key("19%2F00076")
('19-00076', '19-00076', '19-00076')
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import unquote

DEFAULT_BASE = "https://w3id.org/kgraph/id/"
#: Scope of the decisions, meetings and agreements of a document whose publisher is unknown.
UNKNOWN_COUNCIL = "unknown-council"
#: Longest title slug used in an unnumbered decision's id, in characters.
TITLE_SLUG_MAX = 70

_NUMBER = re.compile(r"^(\d{2})[/-](\d{5})$")


def slugify(text: str, max_len: int | None = None) -> str:
    """Lower-case ASCII slug; apostrophes dropped, other non-alphanumerics become ``-``.

    >>> slugify("Children’s, Young People & Education")
    'childrens-young-people-education'
    """
    t = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    t = re.sub(r"['’`]", "", t.lower())
    t = re.sub(r"[^a-z0-9]+", "-", t).strip("-")
    if max_len and len(t) > max_len:
        t = t[:max_len] if t[max_len] == "-" else t[:max_len].rsplit("-", 1)[0]
    return t


def decision_key(ident: str) -> str:
    """Normalise a decision id as users type it (``19/00076``, ``19-00076``, URL-encoded)."""
    s = unquote(ident).strip()
    m = _NUMBER.match(s)
    return f"{m.group(1)}-{m.group(2)}" if m else s


@dataclass(frozen=True)
class Iris:
    """IRI minting under a base IRI, scoped to a council (``unknown-council`` when empty)."""

    base: str = DEFAULT_BASE
    council: str = ""

    @property
    def council_slug(self) -> str:
        return slugify(self.council) or UNKNOWN_COUNCIL

    def document(self, sha256: str) -> str:
        return f"{self.base}document/{sha256[:16]}"

    def decision(self, number: str | None, *, year: int | None = None, title: str | None = None) -> str:
        return f"{self.base}council/{self.council_slug}/decision/{self.decision_local(number, year=year, title=title)}"

    @staticmethod
    def decision_local(number: str | None, *, year: int | None = None, title: str | None = None) -> str:
        """The local part of a decision id: the number slugged (``19-00076``, ``okd55-20-21`` for
        "OKD55 (20/21)") or ``<year>-<title slug>``."""
        if number:
            return slugify(number)
        if not title:
            raise ValueError("an unnumbered decision needs a title for its id")
        return f"{year or 'undated'}-{slugify(title, TITLE_SLUG_MAX)}"

    def described_decision(self, body: str | None, date: str | None, year: int | None,
                           title: str | None = None) -> str:
        """A decision the text describes without a number, by its date (else year), body and title:
        the same description in two documents gives the same IRI.

        >>> Iris().described_decision("Cabinet", "2015-03-26", 2015).rsplit("/", 1)[1]
        '2015-03-26-cabinet'
        """
        parts = [date or (str(year) if year else "undated"), slugify(body or ""),
                 slugify(title or "", TITLE_SLUG_MAX)]
        local = "-".join(p for p in parts if p)
        if not body and not title:
            local += "-decision"
        return f"{self.base}council/{self.council_slug}/decision/{local}"

    def org(self, name: str) -> str:
        return f"{self.base}org/{slugify(name)}"

    def meeting(self, body: str, date: str) -> str:
        return f"{self.base}council/{self.council_slug}/meeting/{slugify(body)}/{date}"

    def agreement(self, slug: str) -> str:
        return f"{self.base}council/{self.council_slug}/agreement/{slug}"

    def within(self, document_iri: str, kind: str, start: int, end: int | None = None) -> str:
        """A node owned by one document graph, keyed by the offsets of its evidence."""
        suffix = f"{start}-{end}" if end is not None else f"{start}"
        return f"{document_iri}/{kind}/{suffix}"
