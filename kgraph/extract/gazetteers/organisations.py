"""The organisation gazetteer: ``ontology/organisations.ttl`` and the national register
``ontology/register/organisations.json`` read into :class:`OrgEntry` objects.

The register (built by ``tools/build_register.py`` from public registers and hand-written
lists) holds every UK local authority, current and abolished, NHS trusts, the 42 Integrated
Care Boards, Clinical Commissioning Groups, government departments through their renames,
national public bodies, police forces and fire and rescue services. The Turtle file holds
what the register cannot know (a council's committees and departments, local partnerships,
misspellings seen in papers); where both name the same body their labels are merged and the
Turtle's kind, parent and succession win.

The Turtle file uses W3C ORG (``org:Organization``, ``org:OrganizationalUnit``,
``org:subOrganizationOf``, ``org:ChangeEvent``), SKOS labels (``skos:prefLabel`` canonical
name, ``skos:altLabel`` aliases, ``skos:hiddenLabel`` misspellings) and ``kg:`` terms
(``kg:orgKind``, ``kg:acronym``, ``kg:formerName``).

>>> orgs = load_organisations()
>>> orgs["Cumbria County Council"].successors
('Cumberland Council', 'Westmorland and Furness Council')
>>> orgs["Wirral Borough Council"].subtype, "Wirral Council" in orgs["Wirral Borough Council"].aliases
('metropolitan_district', True)
>>> nelft = orgs["North East London NHS Foundation Trust"]
>>> nelft.kind, nelft.acronyms, nelft.misspellings[0]
('NHSTrust', ('NELFT',), 'NEFLT')
>>> org_iri("Children's Social Care and Health Cabinet Committee")
'https://w3id.org/kgraph/id/org/childrens-social-care-and-health-cabinet-committee'
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
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
#: The national register shipped with the project (generated; see ``tools/build_register.py``).
REGISTER_PATH = ONTOLOGY_DIR / "register" / "organisations.json"


@dataclass(frozen=True)
class OrgEntry:
    """One organisation: canonical name, kind, slug, the other names it goes by, and lineage.

    ``part_of`` is the canonical name of the parent body (committees and departments of a
    council); ``succeeded_by`` the canonical name of the body that took over its functions,
    on ``succession_date`` (ISO date), when the gazetteer records one (``successors`` lists
    them all when functions passed to several bodies). ``subtype`` says which kind of council
    (``county``, ``district``, ``unitary``, ``metropolitan_district``, ``london_borough`` ...),
    ``code`` is the register's code, ``web_slug`` the council's GOV.UK slug and ``start`` /
    ``end`` its dates, where the register has them.
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
    successors: tuple[str, ...] = ()
    subtype: str | None = None
    code: str | None = None
    web_slug: str | None = None
    start: str | None = None
    end: str | None = None
    current: bool | None = None
    #: names that are also ordinary words ("Turning Point") match only as written
    exact_case: bool = False
    #: a federation whose local members are charities of their own ("Age UK Kent")
    federated: bool = False

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
            successors=(names[nxt],) if nxt is not None else (),
        )
    return entries


def parse_register(data: dict, where: str = "organisations.json") -> dict[str, OrgEntry]:
    """Entries from the national register's JSON (see :func:`load_organisations`).

    >>> reg = {"organisations": [{"name": "Highways England", "kind": "PublicBody",
    ...        "successors": ["National Highways"], "succession_date": "2021-08-19"},
    ...        {"name": "National Highways", "kind": "PublicBody", "aliases": ["NH Ltd"]}]}
    >>> e = parse_register(reg)["Highways England"]
    >>> e.succeeded_by, e.succession_date
    ('National Highways', '2021-08-19')
    """
    out: dict[str, OrgEntry] = {}
    try:
        rows = data["organisations"]
        for r in rows:
            name, succ = r["name"], tuple(r.get("successors", ()))
            if name in out:
                raise GazetteerError("KG130", where, f"two organisations share the name {name!r}")
            out[name] = OrgEntry(
                name=name, kind=r["kind"], slug=slugify(name),
                aliases=tuple(a for a in r.get("aliases", ()) if a != name),
                acronyms=tuple(r.get("acronyms", ())),
                succeeded_by=succ[0] if len(succ) == 1 else None,
                succession_date=r.get("succession_date") or (r.get("end") if succ else None),
                successors=succ, subtype=r.get("subtype"), code=r.get("code"), web_slug=r.get("slug"),
                start=r.get("start"), end=r.get("end"), current=r.get("current"),
                exact_case=bool(r.get("exact_case")), federated=bool(r.get("federated")),
            )
    except (KeyError, TypeError) as exc:
        raise GazetteerError("KG130", where, f"organisation register entry lacks a field: {exc}") from exc
    return out


def merge_entries(register: dict[str, OrgEntry], curated: dict[str, OrgEntry]) -> dict[str, OrgEntry]:
    """The register's entries with the curated (Turtle) ones laid over them.

    >>> reg = {"X": OrgEntry("X", "LocalAuthority", "x", aliases=("X Council",), code="XXX")}
    >>> cur = {"X": OrgEntry("X", "LocalAuthority", "x", acronyms=("XC",))}
    >>> m = merge_entries(reg, cur)["X"]
    >>> m.aliases, m.acronyms, m.code
    (('X Council',), ('XC',), 'XXX')
    """
    out = dict(register)
    for name, cur in curated.items():
        reg = out.get(name)
        if reg is None:
            out[name] = cur
            continue
        out[name] = replace(
            reg, kind=cur.kind, part_of=cur.part_of,
            aliases=tuple(dict.fromkeys((*cur.aliases, *reg.aliases))),
            acronyms=tuple(dict.fromkeys((*cur.acronyms, *reg.acronyms))),
            misspellings=cur.misspellings,
            succeeded_by=cur.succeeded_by or reg.succeeded_by,
            succession_date=cur.succession_date or reg.succession_date,
            successors=cur.successors or reg.successors,
        )
    return out


@lru_cache(maxsize=8)
def _load(path: Path, register: Path | None) -> dict[str, OrgEntry]:
    try:
        g = Graph().parse(path, format="turtle")
    except FileNotFoundError as exc:
        raise GazetteerError("KG107", str(path), "organisation gazetteer not found") from exc
    except Exception as exc:  # rdflib raises several parser exception types
        raise GazetteerError("KG107", str(path), f"organisation gazetteer is not valid Turtle: {exc}") from exc
    curated = parse_organisations(g, str(path))
    if register is None:
        return curated
    try:
        data = json.loads(register.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise GazetteerError("KG130", str(register), "organisation register not found") from exc
    except ValueError as exc:
        raise GazetteerError("KG130", str(register), f"organisation register is not valid JSON: {exc}") from exc
    return merge_entries(parse_register(data, str(register)), curated)


def load_organisations(path: Path | str = DEFAULT_PATH,
                       register: Path | str | None = REGISTER_PATH) -> dict[str, OrgEntry]:
    """Every organisation in the gazetteer and the register, keyed by canonical name
    (read once per pair of paths; ``register=None`` reads the Turtle file alone).

    >>> orgs = load_organisations()
    >>> orgs["NHS Kent and Medway Clinical Commissioning Group"].succeeded_by
    'NHS Kent and Medway Integrated Care Board'
    >>> orgs["Specialist Children's Services"].part_of
    'Kent County Council'
    """
    return _load(Path(path).resolve(), Path(register).resolve() if register is not None else None)


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
            if e.exact_case or is_acronym(lab):
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
