"""Organisations no list holds, read from their head words: "… Primary School", "… Ltd",
"… Parish Council", "… NHS Foundation Trust", "… Combined Authority".

Each head has a kind and a family that decides how the words before it are checked:

* ``public`` (councils, NHS bodies, combined authorities, police, fire): the name before the
  head is a capitalised place ("Rudgwick Parish Council", "Wirral ICB");
* ``named`` (schools, academy trusts, companies, charities): the name may hold acronyms and
  a parenthesised word ("Niblock (Builders) Limited", "Bishop Challoner RC Secondary School"),
  needs at least one word that is not generic ("Primary School" alone is no school), and
  starts after the last "of" / "for" / "on" unless that "of" is part of a name ("Church of
  England"): "Chief Executive of X Ltd" → "X Ltd".

>>> HEADS["school"].kind, HEADS["company"].family
('School', 'named')
>>> name_for("ccg", "West Kent", "CCG"), name_for("company", "Acme Widgets", "Ltd")
('NHS West Kent Clinical Commissioning Group', 'Acme Widgets Ltd')
>>> is_distinctive("school", ["St", "Mary's", "Primary"]), is_distinctive("school", ["Primary"])
(True, False)
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Head:
    """A head word or words (matched in any case, or only as written when ``as_written``),
    the kind it implies and its family."""

    phrases: tuple[str, ...]
    kind: str
    family: str  # "public" or "named"
    as_written: bool = False


_COUNCIL_TYPES = ("county", "borough", "district", "city", "parish", "town")

HEADS: dict[str, Head] = {
    "trust_nhs": Head(("nhs trust",), "NHSTrust", "public"),
    "trust_ft": Head(("foundation trust",), "NHSTrust", "public"),
    "ccg_long": Head(("clinical commissioning group",), "ClinicalCommissioningGroup", "public"),
    "ccg": Head(("CCG",), "ClinicalCommissioningGroup", "public", as_written=True),
    "icb": Head(("integrated care board",), "IntegratedCareBoard", "public"),
    "icb_short": Head(("ICB",), "IntegratedCareBoard", "public", as_written=True),
    "council": Head(tuple(f"{t} council" for t in _COUNCIL_TYPES), "LocalAuthority", "public"),
    "combined": Head(("combined authority",), "CombinedAuthority", "public"),
    "fire": Head(("fire and rescue service", "fire and rescue authority"), "FireAndRescue", "public"),
    "school": Head(("School", "Academy", "College"), "School", "named", as_written=True),
    "school_nursery": Head(("School and nursery", "School and Nursery"), "School", "named", as_written=True),
    "academy_trust": Head(("academy trust",), "AcademyTrust", "named"),
    "mat": Head(("multi academy trust", "multi-academy trust"), "AcademyTrust", "named"),
    "company": Head(("Ltd", "Ltd.", "LTD", "Limited", "LIMITED", "plc", "PLC", "Plc", "LLP", "CIC"),
                    "Company", "named", as_written=True),
    "charity_trust": Head(("Trust",), "Charity", "named", as_written=True),
    "charity": Head(("Foundation", "Society", "Charity", "Association"), "Charity", "named", as_written=True),
    "housing": Head(("housing association",), "Charity", "named"),
    "cic_long": Head(("community interest company",), "Company", "named"),
    "university": Head(("University",), "University", "named", as_written=True),
    # the operator of an airport is a company: "Southampton Airport", "London Luton Airport"
    "airport": Head(("Airport",), "Company", "public", as_written=True),
}

#: Words after a head that make the name part of another thing's name ("Airport Road").
NOT_BEFORE = {"airport": frozenset("""road street way lane avenue drive station parkway roundabout
    link junction interchange car park boulevard close crescent terminal parade""".split())}

#: Words that never start an organisation's name: determiners, prepositions, and the verbs
#: and titles that open a decision's sentences ("Approve", "Award", "Dear").
LEADING_STOP = frozenset("""
the a an this that these those our their its all each every both between with via to from by
for in of on and at as within under including if when where while whilst also dear existing
any other such same said new former current proposed relevant appropriate approve approves
approved award awards awarded agree agrees agreed appoint appoints appointed note notes noted
delegate delegates authorise authorises endorse endorses accept accepts enter extend extends
support supports procure commission commissions grant grants fund funds following re subject
signed yours regards cc attn mr mrs ms dr cllr councillor contract contracts provider providers
successful contractor contractors supplier suppliers name neighbouring respective host partner
constituent lead upper lower tier relevant statutory
local national regional several various two three four five six seven eight nine ten
""".split())

#: Words that may precede "of" inside a name ("Church of England", "Isle of Wight").
OF_INSIDE = frozenset({"church", "isle", "city", "borough", "university", "college", "friends",
                       "sisters", "order", "society", "county", "duchy", "institute", "bank",
                       "association", "federation", "league", "guild", "diocese"})

#: Words that say nothing about which school, company or charity: a name needs another one.
GENERIC = {
    "School": frozenset("""primary secondary junior infant infants nursery community special
        free high grammar church england rc ce c of e catholic voluntary aided controlled
        foundation maintained local authority independent state upper middle first lower
        academy the school schools all through and va vc st. st county village new
        mainstream specialist alternative provision pupil referral unit summer forest sunday
        holiday after breakfast club virtual hospital home sponsored converter further
        education sixth form fe technical training business medical secondary-school""".split()),
    "Company": frozenset("""uk group holdings services company trading the and co limited
        ltd plc private public""".split()),
    "Charity": frozenset("""the and charitable trust trusts national local community health
        care housing new development investment council county city borough district hospital
        hospitals mental partnership ambulance acute provider land education learning multi
        school schools residents tenants parent parents teacher civil big wider building
        voluntary sector""".split()),
    "AcademyTrust": frozenset("the multi academy trust and catholic church england diocesan".split()),
    "University": frozenset("the university universities and of local partner partners regional national".split()),
}


#: Heads that are only a name's end when no capitalised word follows ("Trust Board",
#: "Foundation Stage", "Society Lottery" are not organisations' names).
OPEN_HEADS = frozenset({"charity_trust", "charity", "housing", "university"})


def is_distinctive(key: str, words: list[str]) -> bool:
    """True when the words before a ``named`` head hold one that is not generic."""
    generic = GENERIC.get(HEADS[key].kind, frozenset())
    return any(w.lower().strip(".") not in generic and w.lower() not in generic and w not in "()-" for w in words)


_SMALL = frozenset({"and", "of", "the", "upon", "on", "in", "with", "for", "under"})


def initials(name: str) -> str:
    """Initials of a name's significant words.

    >>> initials("Peterborough City Council"), initials("City of York Council")
    ('PCC', 'CYC')
    """
    return "".join(w[0].upper() for w in re.findall(r"[A-Za-z][A-Za-z']*", name) if w.lower() not in _SMALL)


def name_for(key: str, place: str, head: str) -> str:
    """The canonical name a pattern gives, from the words before the head and the head."""
    if key in ("ccg", "ccg_long"):
        name = f"NHS {place} Clinical Commissioning Group"
    elif key in ("icb", "icb_short"):
        name = f"NHS {place} Integrated Care Board"
    else:
        words = (w if w in ("and", "of") else w.capitalize() if w.islower() else w for w in head.split())
        name = f"{place} {' '.join(words)}"
    name = name[:-1] if name.endswith(".") else name  # "Acme Ltd." → "Acme Ltd"
    return name[4:] if name.startswith("NHS NHS ") else name
