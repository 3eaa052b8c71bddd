"""The legislation gazetteer (``ontology/legislation.ttl``): Acts and SIs with their ids.

Each entry is named by its legislation.gov.uk identifier; provisions hang below it.

>>> act = load_acts()["Children Act 1989"]
>>> act.iri
'http://www.legislation.gov.uk/id/ukpga/1989/41'
>>> act.provision_iri("section 22")
'http://www.legislation.gov.uk/id/ukpga/1989/41/section/22'
>>> entry, how = find_act("Children's Act 2004")
>>> entry.title, how
('Children Act 2004', 'misnamed')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, SKOS

from kgraph.errors import GazetteerError
from kgraph.extract.gazetteers import ONTOLOGY_DIR

#: Where the gazetteer lives.
LEGISLATION_TTL = ONTOLOGY_DIR / "legislation.ttl"
#: Prefix of every legislation.gov.uk identifier.
LEGISLATION_BASE = "http://www.legislation.gov.uk/id/"

ELI = Namespace("http://data.europa.eu/eli/ontology#")
KG = Namespace("https://w3id.org/kgraph/def#")

#: The canonical provision forms :class:`~kgraph.model.LegislationMention` carries, one regular
#: expression for all of them (``fullmatch``): ``section 76``, ``section 76(1)(a)``,
#: ``section 100A(4)``, ``schedule 12A``, ``schedule 12A, paragraph 3``, ``regulation 33(8)(a)``,
#: ``article 4``, ``part 5``. Numbers are digits with an optional upper-case letter suffix;
#: subdivisions are ``(digits or lower-case letters)``.
PROVISION_FORMS = (
    r"(?P<kind>section|schedule|regulation|article|part) (?P<num>[0-9]+[A-Z]*)"
    r"(?P<subs>(?:\([0-9a-z]+\))*)"
    r"(?:, paragraph (?P<para>[0-9]+[A-Z]*)(?P<psubs>(?:\([0-9a-z]+\))*))?"
)
# what :func:`provision_path` reads: the canonical forms, in any case, the comma optional
_PROVISION = re.compile(PROVISION_FORMS.replace(", paragraph", ",? paragraph").replace(" ", r"\s+"), re.IGNORECASE)


@dataclass(frozen=True)
class ActEntry:
    """One Act (``type`` ``ukpga``, ``number`` its chapter) or SI (``uksi``, its SI number).

    >>> e = ActEntry("Care Act 2014", 2014, 23, "ukpga")
    >>> e.iri, e.provision_iri("section 76(1)")
    ('http://www.legislation.gov.uk/id/ukpga/2014/23', 'http://www.legislation.gov.uk/id/ukpga/2014/23/section/76/1')
    """

    title: str
    year: int
    number: int
    type: str
    aliases: tuple[str, ...] = ()
    misnamings: tuple[str, ...] = ()

    @property
    def iri(self) -> str:
        """The legislation.gov.uk id of the whole Act or instrument."""
        return f"{LEGISLATION_BASE}{self.type}/{self.year}/{self.number}"

    @property
    def is_instrument(self) -> bool:
        """True for statutory instruments (their provisions are regulations, not sections)."""
        return self.type != "ukpga"

    def provision_iri(self, provision: str | None) -> str:
        """The id of a provision written as in :class:`~kgraph.model.LegislationMention`.

        >>> lga = ActEntry("Local Government Act 1972", 1972, 70, "ukpga")
        >>> lga.provision_iri("schedule 12A")
        'http://www.legislation.gov.uk/id/ukpga/1972/70/schedule/12A'
        >>> lga.provision_iri("schedule 12A, paragraph 3")
        'http://www.legislation.gov.uk/id/ukpga/1972/70/schedule/12A/paragraph/3'
        >>> ActEntry("Public Contracts Regulations 2015", 2015, 102, "uksi").provision_iri("regulation 3")
        'http://www.legislation.gov.uk/id/uksi/2015/102/regulation/3'
        >>> lga.provision_iri(None) == lga.iri
        True
        """
        return self.iri if provision is None else f"{self.iri}/{provision_path(provision)}"


def provision_path(provision: str) -> str:
    """The IRI path of a provision in one of the :data:`PROVISION_FORMS`.

    >>> provision_path("section 33(8)(a)"), provision_path("schedule 12A, paragraph 3")
    ('section/33/8/a', 'schedule/12A/paragraph/3')
    """
    m = _PROVISION.fullmatch(provision.strip())
    if m is None:
        raise ValueError(f"not a provision: {provision!r}")
    parts = [m["kind"].lower(), m["num"].upper(), *_subs(m["subs"])]
    if m["para"]:
        parts += ["paragraph", m["para"].upper(), *_subs(m["psubs"])]
    return "/".join(parts)


def _subs(text: str | None) -> list[str]:
    return re.findall(r"\((\w+)\)", text or "")


def normalise_label(surface: str) -> str:
    """The form labels are compared in: lower case, straight apostrophes, ``&`` as ``and``.

    >>> normalise_label("the  Children’s Act\\n2004")
    "children's act 2004"
    """
    text = surface.replace("\u2019", "'").replace("\u2018", "'").replace("&", " and ")
    text = re.sub(r"\s+", " ", text).strip().lower()
    return re.sub(r"^the ", "", text)


def _int(graph: Graph, subject: URIRef, prop: URIRef) -> int | None:
    value = graph.value(subject, prop)
    return int(value) if isinstance(value, Literal) else None


def _labels(graph: Graph, subject: URIRef, prop: URIRef) -> tuple[str, ...]:
    return tuple(sorted(str(o) for o in graph.objects(subject, prop)))


@lru_cache(maxsize=8)
def load_acts(path: Path = LEGISLATION_TTL) -> dict[str, ActEntry]:
    """Every ``eli:LegalResource`` in the gazetteer, keyed by title (cached per path).

    >>> acts = load_acts()
    >>> acts["National Health Service Act 2006"].aliases
    ('NHS Act 2006',)
    >>> acts["Public Contracts Regulations 2015"].iri
    'http://www.legislation.gov.uk/id/uksi/2015/102'
    """
    graph = Graph().parse(Path(path), format="turtle")
    acts: dict[str, ActEntry] = {}
    for subject in graph.subjects(RDF.type, ELI.LegalResource):
        title = graph.value(subject, SKOS.prefLabel) or graph.value(subject, ELI.title)
        year = _int(graph, subject, KG.year)
        kind = graph.value(subject, KG.legislationType)
        number = _int(graph, subject, KG.chapter)
        if number is None:
            number = _int(graph, subject, KG.number)
        if title is None or year is None or number is None or kind is None:
            raise GazetteerError("KG107", str(path), f"incomplete legislation entry {subject}")
        entry = ActEntry(
            title=str(title),
            year=year,
            number=number,
            type=str(kind),
            aliases=_labels(graph, subject, SKOS.altLabel),
            misnamings=_labels(graph, subject, SKOS.hiddenLabel),
        )
        if entry.iri != str(subject):
            raise GazetteerError("KG107", str(path), f"{subject} does not match its year/number ({entry.iri})")
        acts[entry.title] = entry
    return acts


@lru_cache(maxsize=8)
def label_index(path: Path = LEGISLATION_TTL) -> dict[str, tuple[ActEntry, str]]:
    """Normalised label → (entry, ``explicit`` | ``misnamed``) for every label in the gazetteer.

    >>> label_index()["nhs act 2006"][0].title
    'National Health Service Act 2006'
    """
    index: dict[str, tuple[ActEntry, str]] = {}
    for entry in load_acts(path).values():
        for label in entry.misnamings:
            index[normalise_label(label)] = (entry, "misnamed")
        for label in (entry.title, *entry.aliases):
            index[normalise_label(label)] = (entry, "explicit")
    return index


def title_key(surface: str) -> str:
    """A spelling-tolerant key: case, apostrophes, ``&``, hyphens, commas, brackets and a
    plural ``s`` do not count ("Schools Standards and Frameworks Act 1998" and "School
    Standards and Framework Act 1998" share a key); every word and the year still do.

    >>> title_key("Schools Standards & Frameworks Act, 1998") == title_key("School Standards and Framework Act 1998")
    True
    >>> title_key("Local Government Act 1988") == title_key("Local Government Finance Act 1988")
    False
    """
    text = normalise_label(surface).replace("'s ", " ").replace("s' ", "s ")
    words = re.findall(r"[a-z0-9]+", text.replace("'", ""))
    return " ".join(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w
                    for w in words if w != "the")


@lru_cache(maxsize=8)
def key_index(path: Path = LEGISLATION_TTL) -> dict[str, ActEntry]:
    """:func:`title_key` of every label → its entry (keys shared by two entries are left out).

    >>> key_index()[title_key("Flood Risk Regulation 2009")].title
    'Flood Risk Regulations 2009'
    """
    index: dict[str, ActEntry | None] = {}
    for entry in load_acts(path).values():
        for label in (entry.title, *entry.aliases, *entry.misnamings):
            key = title_key(label)
            index[key] = entry if index.get(key, entry) == entry else None
    return {k: e for k, e in index.items() if e is not None}


def resolve_title(surface: str, path: Path = LEGISLATION_TTL) -> tuple[ActEntry, str] | None:
    """The entry a written title names: by a label (:func:`find_act`), else by its
    :func:`title_key` (then ``misnamed``). Never by a near miss in the words or the year.

    >>> resolve_title("National Health Services Act 2006")[0].title
    'National Health Service Act 2006'
    >>> resolve_title("Schools Standards and Frameworks Act 1998")
    (ActEntry(title='School Standards and Framework Act 1998', year=1998, number=31, type='ukpga', aliases=('School Standards and Framework Act',), misnamings=('Schools Standards and Framework Act 1998',)), 'misnamed')
    >>> resolve_title("Local Government Act 2002") is None
    True
    """
    hit = find_act(surface, path)
    if hit is not None:
        return hit
    entry = key_index(path).get(title_key(surface))
    return (entry, "misnamed") if entry is not None else None


def find_act(surface: str, path: Path = LEGISLATION_TTL) -> tuple[ActEntry, str] | None:
    """The entry a surface form names and how it matched (``explicit`` or ``misnamed``).

    >>> find_act("the NHS Act 2006")[0].title
    'National Health Service Act 2006'
    >>> find_act("Childrens Act 1989")[1]
    'misnamed'
    >>> find_act("Harbours Act 1964") is None
    True
    """
    return label_index(path).get(normalise_label(surface))
