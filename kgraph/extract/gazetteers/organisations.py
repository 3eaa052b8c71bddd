"""The organisation gazetteer: ``ontology/organisations.ttl`` read into :class:`OrgEntry` objects.

The Turtle file uses W3C ORG (``org:Organization``, ``org:OrganizationalUnit``,
``org:subOrganizationOf``, ``org:ChangeEvent``), SKOS labels (``skos:prefLabel`` canonical
name, ``skos:altLabel`` aliases, ``skos:hiddenLabel`` misspellings) and ``kg:`` terms
(``kg:orgKind``, ``kg:acronym``, ``kg:formerName``).

>>> orgs = load_organisations()
>>> nelft = orgs["North East London NHS Foundation Trust"]
>>> nelft.kind, nelft.acronyms, nelft.misspellings[0]
('NHSTrust', ('NELFT',), 'NEFLT')
>>> org_iri("Children's Social Care and Health Cabinet Committee")
'https://w3id.org/kgraph/id/org/childrens-social-care-and-health-cabinet-committee'
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, ORG, SKOS

from kgraph.errors import GazetteerError
from kgraph.extract.gazetteers import ONTOLOGY_DIR
from kgraph.iris import slugify as _slugify

KG = Namespace("https://w3id.org/kgraph/def#")
#: Default instance base IRI (a setting elsewhere; organisations live under ``<base>org/``).
DEFAULT_BASE = "https://w3id.org/kgraph/id/"
#: The gazetteer shipped with the project.
DEFAULT_PATH = ONTOLOGY_DIR / "organisations.ttl"


@dataclass(frozen=True)
class OrgEntry:
    """One organisation: canonical name, kind, slug, the other names it goes by, and lineage.

    ``part_of`` is the canonical name of the parent body (committees and departments of a
    council); ``succeeded_by`` the canonical name of the body that took over its functions,
    on ``succession_date`` (ISO date), when the gazetteer records one.
    """

    name: str
    kind: str
    slug: str
    aliases: tuple[str, ...] = ()
    acronyms: tuple[str, ...] = ()
    misspellings: tuple[str, ...] = ()
    part_of: str | None = None
    succeeded_by: str | None = None
    succession_date: str | None = None

    @property
    def labels(self) -> tuple[str, ...]:
        """Every surface form: name, aliases, acronyms and misspellings.

        >>> OrgEntry("Care Quality Commission", "Regulator", "care-quality-commission", acronyms=("CQC",)).labels
        ('Care Quality Commission', 'CQC')
        """
        return (self.name, *self.aliases, *self.acronyms, *self.misspellings)


def slugify(name: str) -> str:
    """Lower-case ASCII slug: apostrophes dropped, other non-alphanumeric runs become ``-``.

    >>> slugify("Children’s, Young People and Education Cabinet Committee")
    'childrens-young-people-and-education-cabinet-committee'
    >>> slugify("Kent & Medway NHS")
    'kent-medway-nhs'
    """
    return _slugify(name)


def org_iri(name: str, base: str = DEFAULT_BASE) -> str:
    """The IRI of an organisation from its canonical name.

    >>> org_iri("Kent County Council", base="http://example.org/id/")
    'http://example.org/id/org/kent-county-council'
    """
    return f"{base}org/{slugify(name)}"


def _texts(g: Graph, s: URIRef, p: URIRef) -> tuple[str, ...]:
    return tuple(sorted({str(o) for o in g.objects(s, p) if isinstance(o, Literal)}))


def _one_label(g: Graph, s: URIRef, where: str) -> str:
    labels = _texts(g, s, SKOS.prefLabel)
    if len(labels) != 1:
        raise GazetteerError("KG107", where, f"{s} must have exactly one skos:prefLabel, found {len(labels)}")
    return labels[0]


def parse_organisations(g: Graph, where: str = "organisations.ttl") -> dict[str, OrgEntry]:
    """Entries from an already-parsed graph (see :func:`load_organisations`).

    >>> g = Graph().parse(format="turtle", data='''
    ... @prefix org: <http://www.w3.org/ns/org#> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
    ... @prefix kg: <https://w3id.org/kgraph/def#> .
    ... <http://x/kcc> a org:Organization ; skos:prefLabel "Kent County Council" ; kg:orgKind "LocalAuthority" .
    ... ''')
    >>> parse_organisations(g)["Kent County Council"].slug
    'kent-county-council'
    """
    subjects = set(g.subjects(RDF.type, ORG.Organization)) | set(g.subjects(RDF.type, ORG.OrganizationalUnit))
    names = {s: _one_label(g, s, where) for s in subjects if isinstance(s, URIRef)}

    succession: dict[URIRef, tuple[URIRef, str | None]] = {}
    for ev in g.subjects(RDF.type, ORG.ChangeEvent):
        results = [r for r in g.objects(ev, ORG.resultingOrganization) if r in names]
        if len(results) != 1:
            continue
        dates = _texts(g, ev, DCTERMS.date)
        for orig in g.objects(ev, ORG.originalOrganization):
            if orig in names:
                succession[orig] = (results[0], dates[0] if dates else None)

    entries: dict[str, OrgEntry] = {}
    for s, name in names.items():
        kinds = _texts(g, s, KG.orgKind)
        if len(kinds) != 1:
            raise GazetteerError("KG107", where, f"{name!r} must have exactly one kg:orgKind, found {len(kinds)}")
        parents = [names[p] for p in g.objects(s, ORG.subOrganizationOf) if p in names]
        if len(parents) > 1:
            raise GazetteerError("KG107", where, f"{name!r} is org:subOrganizationOf more than one organisation")
        if name in entries:
            raise GazetteerError("KG107", where, f"two organisations share the name {name!r}")
        aliases = tuple(a for a in _texts(g, s, SKOS.altLabel) + _texts(g, s, KG.formerName) if a != name)
        nxt, date = succession.get(s, (None, None))
        entries[name] = OrgEntry(
            name=name,
            kind=kinds[0],
            slug=slugify(name),
            aliases=aliases,
            acronyms=_texts(g, s, KG.acronym),
            misspellings=_texts(g, s, SKOS.hiddenLabel),
            part_of=parents[0] if parents else None,
            succeeded_by=names[nxt] if nxt is not None else None,
            succession_date=date,
        )
    return entries


@lru_cache(maxsize=8)
def _load(path: Path) -> dict[str, OrgEntry]:
    try:
        g = Graph().parse(path, format="turtle")
    except FileNotFoundError as exc:
        raise GazetteerError("KG107", str(path), "organisation gazetteer not found") from exc
    except Exception as exc:  # rdflib raises several parser exception types
        raise GazetteerError("KG107", str(path), f"organisation gazetteer is not valid Turtle: {exc}") from exc
    return parse_organisations(g, str(path))


def load_organisations(path: Path | str = DEFAULT_PATH) -> dict[str, OrgEntry]:
    """Every organisation in the gazetteer, keyed by canonical name (parsed once per path).

    >>> orgs = load_organisations()
    >>> orgs["NHS Kent and Medway Clinical Commissioning Group"].succeeded_by
    'NHS Kent and Medway Integrated Care Board'
    >>> orgs["Specialist Children's Services"].part_of
    'Kent County Council'
    """
    return _load(Path(path).resolve())


def lookup(label: str, orgs: dict[str, OrgEntry] | None = None) -> OrgEntry | None:
    """The entry whose name, alias, acronym or misspelling is ``label``.

    Long names compare case-insensitively with curly apostrophes and ``&`` normalised;
    acronyms compare exactly.

    >>> lookup("Kent & Medway Integrated Care Board").name
    'NHS Kent and Medway Integrated Care Board'
    >>> lookup("kcc") is None
    True
    """
    exact, folded = _default_index() if orgs is None else label_index(orgs)
    return exact.get(label.strip()) or folded.get(normalise_label(label))


def label_index(orgs: dict[str, OrgEntry]) -> tuple[dict[str, OrgEntry], dict[str, OrgEntry]]:
    """Two lookup tables: acronyms (exact) and long names (:func:`normalise_label`-ed).

    >>> exact, folded = label_index(load_organisations())
    >>> exact["NEFLT"].name, folded["west kent ccg"].name
    ('North East London NHS Foundation Trust', 'NHS West Kent Clinical Commissioning Group')
    """
    exact: dict[str, OrgEntry] = {}
    folded: dict[str, OrgEntry] = {}
    for e in orgs.values():
        for lab in e.labels:
            if is_acronym(lab):
                exact.setdefault(lab, e)
            else:
                folded.setdefault(normalise_label(lab), e)
    return exact, folded


@lru_cache(maxsize=1)
def _default_index() -> tuple[dict[str, OrgEntry], dict[str, OrgEntry]]:
    return label_index(load_organisations())


def is_acronym(label: str) -> bool:
    """True for single-word labels written mostly in capitals (matched case-sensitively).

    >>> is_acronym("KCC"), is_acronym("SECAmb"), is_acronym("Ofsted"), is_acronym("Kent PACT")
    (True, True, False, False)
    """
    return " " not in label.strip() and sum(c.isupper() for c in label) >= 2


def normalise_label(text: str) -> str:
    """Case-folded label with straight apostrophes, ``and`` for ``&`` and single spaces.

    >>> normalise_label("Kent &  Medway\\nChildren’s")
    "kent and medway children's"
    """
    t = text.replace("\u2019", "'").replace("\u2018", "'").replace("&", " and ")
    return " ".join(t.lower().split())
