"""Ids as the API accepts them: legislation (IRI or path), decisions, organisations, documents.

>>> r = parse_legislation("ukpga/2006/41/section/76")
>>> r.iri, r.is_act, r.act_iri
('http://www.legislation.gov.uk/id/ukpga/2006/41/section/76', False, 'http://www.legislation.gov.uk/id/ukpga/2006/41')
>>> parse_legislation("http%3A%2F%2Fwww.legislation.gov.uk%2Fid%2Fukpga%2F2006%2F41").is_act
True
>>> parse_legislation('"} ; DROP ALL #') is None
True
>>> bool(SLUG.match("kent-county-council")), bool(SLUG.match("Not A Slug"))
(True, False)
"""

from __future__ import annotations

import re
from urllib.parse import unquote

LEGISLATION_ID = "http://www.legislation.gov.uk/id/"
LEGISLATION_WEB = "https://www.legislation.gov.uk/"

_LEG_PREFIX = re.compile(r"^(?:https?:/+)?(?:www\.)?legislation\.gov\.uk/+(?:id/+)?", re.I)
_LEG_PATH = re.compile(r"^(?P<act>[a-z]{2,8}/\d{4}/\d+)(?P<rest>(?:/[A-Za-z0-9.-]+)*)$")
#: An organisation id: the slug of its canonical name.
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
#: A document id: the 16-hex prefix of its SHA-256, or the whole hash.
DOC_ID = re.compile(r"^[0-9a-f]{16}(?:[0-9a-f]{48})?$")


class LegislationRef:
    """A legislation id as the API accepts it: a legislation.gov.uk IRI or its path."""

    def __init__(self, path: str, act: str):
        self.path = path
        self.iri = LEGISLATION_ID + path
        self.act_iri = LEGISLATION_ID + act
        self.is_act = path == act
        self.url = LEGISLATION_WEB + path


def parse_legislation(ident: str) -> LegislationRef | None:
    """Parse a legislation id (IRI, URL-encoded IRI or ``type/year/number[/...]`` path); None if malformed."""
    s = unquote(ident).strip()
    s = _LEG_PREFIX.sub("", s).strip("/")
    m = _LEG_PATH.match(s)
    if not m:
        return None
    return LegislationRef(s, m.group("act"))


def org_iri(base_iri: str, slug: str) -> str:
    """The IRI of the organisation ``slug`` under the store's instance base."""
    return f"{base_iri}org/{slug}"
