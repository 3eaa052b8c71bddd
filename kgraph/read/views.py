"""Read views of the graph for the REST API: pure functions ``store → dicts``.

No user value ever becomes query text. A value reaches the store either as a bound SPARQL
variable (pyoxigraph ``substitutions=``, in fixed query templates keyed on a subject) or as a
bound term of an index lookup (``quads_for_pattern``). Lookups are used where a query would
join on a bound object: Oxigraph plans substituted variables as unbound, so such joins scan
(seconds at 100,000 decisions) where a lookup takes microseconds. Filters that would touch
many subjects read the predicate once (:class:`_Values`). Unknown ids raise
``NotFoundError("KG401", ...)``.

>>> from kgraph.graph.store import GraphStore
>>> store = GraphStore.in_memory()
>>> d = "https://w3id.org/kgraph/id/council/kent-county-council/decision/19-00076"
>>> nt = (f'<{d}> a <https://w3id.org/kgraph/def#Decision> ; '
...       f'<http://purl.org/dc/terms/identifier> "19-00076" ; '
...       f'<https://w3id.org/kgraph/def#decisionNumber> "19/00076" ; '
...       f'<http://purl.org/dc/terms/title> "CYP mental health" .')
>>> store.replace_graph("https://w3id.org/kgraph/id/document/abc", nt.replace(" a ", " <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "))
>>> decision_iri(store, "19%2F00076") == d
True
>>> [x["number"] for x in list_decisions(store, q="MENTAL")["items"]]
['19/00076']
>>> list_decisions(store, q='"} ; DROP ALL #')["items"]
[]
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date
from urllib.parse import unquote

import pyoxigraph as ox

from kgraph.errors import NotFoundError
from kgraph.graph.store import GraphStore
from kgraph.iris import decision_key
from kgraph.query.select import DEFAULT_PREFIXES

__all__ = [
    "MAX_LIMIT", "DEFAULT_LIMIT", "NESTED_MAX",
    "LegislationRef", "parse_legislation", "decision_iri", "decision_summary",
    "list_decisions", "decision", "basis", "legislation_decisions", "organisation_names",
    "list_organisations", "organisation", "funding_flow", "list_funding", "document",
]

#: Most items one page of a list returns (the ``limit`` parameter's maximum).
MAX_LIMIT = 500
#: Items per page when no ``limit`` is given.
DEFAULT_LIMIT = 50
#: Most decisions / funding flows listed inside an organisation or decision (with a link to the rest).
NESTED_MAX = 100

LEGISLATION_ID = "http://www.legislation.gov.uk/id/"
LEGISLATION_WEB = "https://www.legislation.gov.uk/"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_XSD_STRING = _XSD + "string"
_KG = "https://w3id.org/kgraph/def#"
_V = ox.Variable

_LEG_PREFIX = re.compile(r"^(?:https?:/+)?(?:www\.)?legislation\.gov\.uk/+(?:id/+)?", re.I)
_LEG_PATH = re.compile(r"^(?P<act>[a-z]{2,8}/\d{4}/\d+)(?P<rest>(?:/[A-Za-z0-9.-]+)*)$")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_DOC_ID = re.compile(r"^[0-9a-f]{16}(?:[0-9a-f]{48})?$")

_EVIDENCE = """?ev oa:hasSelector ?qs , ?ps . ?qs oa:exact ?exact . ?ps oa:start ?start ; oa:end ?end ."""


# ---------------------------------------------------------------------------- helpers


def _rows(store: GraphStore, sparql: str, subs: dict[str, ox.Term] | None = None) -> list:
    solutions = store.query(sparql, prefixes=DEFAULT_PREFIXES,
                            substitutions={_V(k): v for k, v in (subs or {}).items()})
    return list(solutions)


def _val(t) -> str | None:
    return None if t is None else t.value


def _curie(iri: str) -> str:
    for p, ns in DEFAULT_PREFIXES.items():
        if iri.startswith(ns) and "/" not in iri[len(ns):] and "#" not in iri[len(ns):]:
            return f"{p}:{iri[len(ns):]}"
    return iri


def _term(t) -> dict | None:
    """A term as JSON: ``{"type": "iri"|"literal"|"bnode", "value", "datatype"?, "language"?}``."""
    if t is None:
        return None
    if isinstance(t, ox.Literal):
        out = {"type": "literal", "value": t.value}
        if t.language:
            out["language"] = t.language
        elif t.datatype.value != _XSD_STRING:
            out["datatype"] = t.datatype.value
        return out
    return {"type": "iri" if isinstance(t, ox.NamedNode) else "bnode", "value": t.value}


_LABELS = ("http://www.w3.org/2004/02/skos/core#prefLabel", "http://purl.org/dc/terms/title",
           "http://data.europa.eu/eli/ontology#title")


def _first(store: GraphStore, iri: str, predicates: tuple[str, ...] = _LABELS) -> str | None:
    """The first value of the first of ``predicates`` that ``iri`` has, in any graph.

    An index lookup rather than a join: a label stated in thousands of document graphs
    (the council's name, a section of an Act) is read once, not once per graph.
    """
    node = ox.NamedNode(iri)
    for p in predicates:
        for quad in store.ox.quads_for_pattern(node, ox.NamedNode(p), None, None):
            return quad.object.value
    return None


_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_ELI = "http://data.europa.eu/eli/ontology#"
_DCT = "http://purl.org/dc/terms/"
_SCHEMA = "https://schema.org/"


def _subjects(store: GraphStore, predicate: str, obj: ox.Term) -> set[str]:
    """Subjects of ``?s predicate obj`` in the document graphs (an index lookup on a bound term)."""
    return {q.subject.value for q in store.ox.quads_for_pattern(None, ox.NamedNode(predicate), obj, None)
            if isinstance(q.graph_name, ox.NamedNode)}


#: Above this many candidates a filter reads whole predicates at once instead of one lookup each.
_SCAN_ABOVE = 2000


class _Values:
    """``subject → first value`` of one predicate: looked up one by one for few subjects, read
    in a single scan of the predicate for many."""

    def __init__(self, store: GraphStore, predicate: str, many: bool):
        self.store, self.predicate = store, predicate
        self.values: dict[str, str] | None = None
        if many:
            self.values = {}
            for q in store.ox.quads_for_pattern(None, ox.NamedNode(predicate), None, None):
                self.values.setdefault(q.subject.value, q.object.value)

    def __getitem__(self, subject: str) -> str | None:
        if self.values is not None:
            return self.values.get(subject)
        return _first(self.store, subject, (self.predicate,))


_STATEMENT = f"""SELECT ?st ?g ?ev ?exact ?start ?end WHERE {{ GRAPH ?g {{ ?st kg:evidence ?ev . {_EVIDENCE} }} }}"""


def _statement_rows(store: GraphStore, st: str, **fields) -> list[dict]:
    """Evidence rows of the ``rdf:Statement`` ``st``, each extended with ``fields``."""
    return [{"g": r["g"], "ev": r["ev"], "exact": r["exact"], "start": r["start"], "end": r["end"], **fields}
            for r in _rows(store, _STATEMENT, {"st": ox.NamedNode(st)})]


def _doc_id(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


def _evidence(sol) -> dict | None:
    if sol["ev"] is None or sol["start"] is None:
        return None
    return {"document": _doc_id(sol["g"].value), "start": int(sol["start"].value),
            "end": int(sol["end"].value), "exact": _val(sol["exact"])}


def _uniq(items: Iterable) -> list:
    seen, out = set(), []
    for x in items:
        key = repr(x)
        if key not in seen:
            seen.add(key)
            out.append(x)
    return out


# ---------------------------------------------------------------------------- ids


class LegislationRef:
    """A legislation id as the API accepts it: a legislation.gov.uk IRI or its path.

    >>> r = parse_legislation("ukpga/2006/41/section/76")
    >>> r.iri, r.is_act, r.act_iri
    ('http://www.legislation.gov.uk/id/ukpga/2006/41/section/76', False, 'http://www.legislation.gov.uk/id/ukpga/2006/41')
    >>> parse_legislation("http%3A%2F%2Fwww.legislation.gov.uk%2Fid%2Fukpga%2F2006%2F41").is_act
    True
    >>> parse_legislation('"} ; DROP ALL #') is None
    True
    """

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


def decision_iri(store: GraphStore, ident: str) -> str:
    """The IRI of the decision ``ident`` (``19/00076``, ``19-00076``, ``19%2F00076``, or an
    unnumbered decision's id); ``NotFoundError`` KG401 if there is none."""
    key = decision_key(ident)
    rows = _rows(store, "SELECT ?d ?key WHERE { ?d dct:identifier ?key FILTER EXISTS { ?d a kg:Decision } } LIMIT 1",
                 {"key": ox.Literal(key)})
    if not rows:
        raise NotFoundError("KG401", ident, "no decision with this id")
    return rows[0]["d"].value


def _org_iri(store: GraphStore, slug: str) -> str:
    return f"{store.base_iri}org/{slug}"


# ---------------------------------------------------------------------------- decisions

_SUMMARY = """
SELECT ?d ?key ?number ?title ?date ?status WHERE {
  ?d dct:identifier ?key .
  OPTIONAL { ?d kg:decisionNumber ?number }
  OPTIONAL { ?d dct:title ?title }
  OPTIONAL { ?d dct:date ?date }
  OPTIONAL { ?d kg:status ?status }
}"""


def decision_summary(store: GraphStore, iri: str) -> dict:
    """Id, number, title, date and status of the decision ``iri`` (merged over its documents).

    A decision recorded as taken anywhere is ``taken``; otherwise the first status found.
    """
    rows = _rows(store, _SUMMARY, {"d": ox.NamedNode(iri)})
    pick = lambda name: min((r[name].value for r in rows if r[name] is not None), default=None)  # noqa: E731
    statuses = {r["status"].value for r in rows if r["status"] is not None}
    key = pick("key") or iri.rsplit("/", 1)[-1]
    return {"id": key, "iri": iri, "number": pick("number"), "title": pick("title"),
            "date": pick("date"),
            "status": "taken" if "taken" in statuses else (min(statuses) if statuses else None)}


def list_decisions(store: GraphStore, *, organisation: str | None = None,
                   legislation: LegislationRef | None = None, date_from: date | None = None,
                   date_to: date | None = None, q: str | None = None,
                   offset: int = 0, limit: int = DEFAULT_LIMIT) -> dict:
    """Decisions (ordered by id), filtered by organisation slug (named in the decision's papers),
    legislation (relied on or cited; an Act matches any of its provisions), date range
    (inclusive) and text (case-insensitive, in title, number or id).

    Returns ``{"items": [summary...], "has_more": bool}``.
    """
    return _filtered_decisions(store, organisation, legislation, date_from, date_to, q, offset, limit)


def _filtered_decisions(store: GraphStore, organisation, legislation, date_from, date_to, q,
                        offset: int, limit: int) -> dict:
    """Decisions naming an organisation and/or citing legislation (candidates by index lookups
    on the bound terms; all decisions without these filters), then the date and text tests."""
    candidates: set[str] | None = None
    if organisation is not None:
        org = ox.NamedNode(_org_iri(store, organisation)) if _SLUG.match(organisation) else None
        candidates = _subjects(store, _KG + "namesOrganisation", org) if org else set()
    if legislation is not None:
        cited = {d for d, _, _ in _citing_decisions(store, legislation, evidence=False)}
        candidates = cited if candidates is None else candidates & cited
    if candidates is None:
        keys = {q.subject.value: q.object.value for q in store.ox.quads_for_pattern(
            None, ox.NamedNode(_DCT + "identifier"), None, None) if "/decision/" in q.subject.value}
        candidates = set(keys)
    else:
        keys = {d: _first(store, d, (_DCT + "identifier",)) for d in candidates}
    keyed = []
    needle = q.casefold() if q is not None else None
    many = len(candidates) > _SCAN_ABOVE
    dates = _Values(store, _DCT + "date", many) if date_from or date_to else None
    titles = _Values(store, _DCT + "title", many) if needle is not None else None
    numbers = _Values(store, _KG + "decisionNumber", many) if needle is not None else None
    for d in candidates:
        key = keys.get(d)
        if key is None or "/decision/" not in d:
            continue
        if dates is not None:
            day = dates[d]
            if day is None or (date_from and day < date_from.isoformat()) or (date_to and day > date_to.isoformat()):
                continue
        if needle is not None:
            texts = [titles[d], numbers[d], key]
            if not any(t and needle in t.casefold() for t in texts):
                continue
        keyed.append((key, d))
    keyed.sort()
    page = keyed[offset:offset + limit]
    return {"items": [decision_summary(store, d) for _, d in page], "has_more": len(keyed) > offset + limit}


_FACTS_OUT = f"""
SELECT DISTINCT ?d ?g ?p ?o ?ev ?exact ?start ?end WHERE {{
  GRAPH ?g {{
    ?d ?p ?o .
    OPTIONAL {{ ?st rdf:subject ?d ; rdf:predicate ?p ; rdf:object ?o ; kg:evidence ?ev . {_EVIDENCE} }}
  }}
}}"""

def _incoming_rows(store: GraphStore, node: ox.NamedNode) -> list[dict]:
    """Triples ``?s ?p node`` (index lookup) and the evidence of their statements."""
    rows, statements = [], set()
    for q in store.ox.quads_for_pattern(None, None, node, None):
        if not isinstance(q.graph_name, ox.NamedNode):
            continue
        p = q.predicate.value
        if p == _RDF + "object":
            statements.add(q.subject.value)
        elif p != _RDF + "subject":
            rows.append({"s": q.subject, "p": q.predicate, "g": q.graph_name,
                         "ev": None, "exact": None, "start": None, "end": None})
    for st in sorted(statements):
        s, p = _first(store, st, (_RDF + "subject",)), _first(store, st, (_RDF + "predicate",))
        if s is not None and p is not None:
            rows += _statement_rows(store, st, s=ox.NamedNode(s), p=ox.NamedNode(p))
    return rows

_DOC_ROLES = {_KG + "records": "records", _KG + "proposes": "proposes",
              _KG + "mentionsDecision": "mentions"}


def _merge_facts(rows, subject_of, object_of, label_of: Callable[[str], str | None]) -> list[dict]:
    facts: dict[tuple, dict] = {}
    for r in rows:
        s, p, o = subject_of(r), r["p"], object_of(r)
        key = (s.value, p.value, repr(_term(o)))
        f = facts.get(key)
        if f is None:
            f = facts[key] = {"subject": _term(s), "predicate": _curie(p.value),
                              "predicate_iri": p.value, "object": _term(o), "label": None,
                              "documents": [], "evidence": []}
        doc = _doc_id(r["g"].value)
        if doc not in f["documents"]:
            f["documents"].append(doc)
        ev = _evidence(r)
        if ev is not None and ev not in f["evidence"]:
            f["evidence"].append(ev)
    out = list(facts.values())
    for f in out:
        f["label"] = label_of(f)
        f["documents"].sort()
        f["evidence"].sort(key=lambda e: (e["document"], e["start"], e["end"]))
    out.sort(key=lambda f: (f["predicate"], f["subject"]["value"], f["object"]["value"]))
    return out


def decision(store: GraphStore, ident: str) -> dict:
    """Everything the graph says about a decision: its summary, the documents that record,
    propose or mention it, every fact (outgoing and incoming triples) with the documents
    that state it and the text spans (evidence) it rests on, and its funding flows."""
    iri = decision_iri(store, ident)
    node = ox.NamedNode(iri)
    out_rows = _rows(store, _FACTS_OUT, {"d": node})
    in_rows = _incoming_rows(store, node)
    labels: dict[str, str | None] = {}

    def label(term: dict) -> str | None:
        if term["type"] != "iri":
            return None
        if term["value"] not in labels:
            labels[term["value"]] = _first(store, term["value"], _LABELS + (_KG + "text",)) \
                if "/point/" in term["value"] else _first(store, term["value"])
        return labels[term["value"]]

    facts = _merge_facts(out_rows, lambda r: node, lambda r: r["o"], lambda f: label(f["object"]))
    incoming = _merge_facts(in_rows, lambda r: r["s"], lambda r: node, lambda f: label(f["subject"]))
    first = {}
    for f in facts:
        o = f["object"]
        if o["type"] == "literal":
            first.setdefault(f["predicate"], o["value"])
    docs = {}
    for f in incoming:
        role = _DOC_ROLES.get(f["predicate_iri"])
        if role and f["subject"]["value"].startswith(f"{store.base_iri}document/"):
            docs.setdefault(f["subject"]["value"], role)
    documents = [_document_meta(store, d) | {"relation": role} for d, role in sorted(docs.items())]
    summary = decision_summary(store, iri)
    kd = first.get("kg:keyDecision")
    flows = _decision_funding(store, iri)
    return summary | {
        "key_decision": None if kd is None else kd == "true",
        "decision_maker": first.get("kg:decisionMaker"),
        "decision_maker_role": first.get("kg:decisionMakerRole"),
        "documents": documents,
        "facts": facts + incoming,
        "funding": flows[:NESTED_MAX],
        "funding_has_more": len(flows) > NESTED_MAX,
    }


# ---------------------------------------------------------------------------- legislation

#: The legislation a decision (``?d``, bound) relies on or cites, with the evidence.
_CITATIONS = f"""
SELECT DISTINCT ?d ?g ?rel ?prov ?ev ?exact ?start ?end WHERE {{
  GRAPH ?g {{
    ?d ?rel ?prov .
    VALUES ?rel {{ eli:based_on eli:cites }}
    OPTIONAL {{ ?st rdf:subject ?d ; rdf:predicate ?rel ; rdf:object ?prov ; kg:evidence ?ev . {_EVIDENCE} }}
  }}
}}"""


def _provision(store: GraphStore, iri: str) -> dict:
    """A provision's (or an Act's) id, path, legislation.gov.uk page, label and Act."""
    ref = parse_legislation(iri) if iri.startswith(LEGISLATION_ID) else None
    act = _first(store, iri, ("http://data.europa.eu/eli/ontology#is_part_of",))
    if act is None and ref is not None and ref.is_act:
        act = iri
    act_title = _first(store, act, ("http://data.europa.eu/eli/ontology#title",)) if act else None
    label = _first(store, iri, ("http://www.w3.org/2004/02/skos/core#prefLabel",))
    return {"id": iri, "path": ref.path if ref else None, "url": ref.url if ref else None,
            "label": label or act_title, "act": act_title,
            "act_id": act or (ref.act_iri if ref else None)}


def _citations(store: GraphStore, rows, prov: str = "prov") -> dict[tuple[str, str, str], dict]:
    """(decision, relation, provision) → {provision..., evidence: [...]} from citation rows."""
    out: dict[tuple[str, str, str], dict] = {}
    for r in rows:
        rel = "based_on" if r["rel"].value.endswith("based_on") else "cites"
        key = (r["d"].value, rel, r[prov].value)
        c = out.get(key)
        if c is None:
            c = out[key] = _provision(store, r[prov].value) | {"relation": rel, "evidence": []}
        _add_evidence(c, r)
    return _sort_evidence(out)


def _add_evidence(citation: dict, row) -> None:
    ev = _evidence(row)
    if ev is not None and ev not in citation["evidence"]:
        citation["evidence"].append(ev)


def _sort_evidence(citations: dict) -> dict:
    for c in citations.values():
        c["evidence"].sort(key=lambda e: (e["document"], e["start"]))
    return citations


def basis(store: GraphStore, ident: str) -> dict:
    """The statutory basis of a decision: provisions it relies on (``eli:based_on``) and those
    it merely cites (``eli:cites`` and never ``eli:based_on``), each with the quotes it rests on
    and its legislation.gov.uk link."""
    iri = decision_iri(store, ident)
    rows = _rows(store, _CITATIONS, {"d": ox.NamedNode(iri)})
    cites = _citations(store, rows)
    relied = sorted((c for (_, rel, _), c in cites.items() if rel == "based_on"), key=lambda c: c["id"])
    relied_ids = {c["id"] for c in relied}
    cited = sorted((c for (_, rel, _), c in cites.items() if rel == "cites" and c["id"] not in relied_ids),
                   key=lambda c: c["id"])
    for c in relied + cited:
        c.pop("relation")
    return {"decision": decision_summary(store, iri), "relied_on": relied, "cited": cited}


def _citing_decisions(store: GraphStore, ref: LegislationRef,
                      evidence: bool = True) -> dict[tuple[str, str, str], dict]:
    """(decision, relation, provision) → provision with evidence, for the provision ``ref`` or,
    for an Act, the Act and every provision of it. Index lookups on bound terms."""
    provisions = [ref.iri]
    if ref.is_act:
        provisions += sorted(_subjects(store, _ELI + "is_part_of", ox.NamedNode(ref.iri)))
    out: dict[tuple[str, str, str], dict] = {}
    for prov in provisions:
        node = ox.NamedNode(prov)
        info = None
        for rel in ("based_on", "cites"):
            for d in _subjects(store, _ELI + rel, node):
                if "/decision/" in d:
                    info = info or (_provision(store, prov) if evidence else {})
                    out.setdefault((d, rel, prov), info | {"relation": rel, "evidence": []})
        for st in sorted(_subjects(store, _RDF + "object", node)) if evidence else ():
            p, d = _first(store, st, (_RDF + "predicate",)), _first(store, st, (_RDF + "subject",))
            rel = {_ELI + "based_on": "based_on", _ELI + "cites": "cites"}.get(p or "")
            c = out.get((d, rel, prov)) if rel else None
            if c is None:
                continue
            for r in _statement_rows(store, st):
                _add_evidence(c, r)
    return _sort_evidence(out)


def legislation_decisions(store: GraphStore, ref: LegislationRef) -> dict:
    """Decisions that rely on or cite a provision, or any provision of an Act, with the
    relation, the provision and the quotes. ``NotFoundError`` KG401 if the graph never
    mentions the legislation."""
    leg = ox.NamedNode(ref.iri)
    known = next(iter(store.ox.quads_for_pattern(leg, None, None, None)), None) or \
        next(iter(store.ox.quads_for_pattern(None, None, leg, None)), None)
    if known is None:
        raise NotFoundError("KG401", ref.path, "no legislation with this id in the graph")
    info = _provision(store, ref.iri)
    items = []
    summaries: dict[str, dict] = {}
    for (d, rel, _), c in sorted(_citing_decisions(store, ref).items()):
        if d not in summaries:
            summaries[d] = decision_summary(store, d)
        provision = {k: c[k] for k in ("id", "path", "url", "label", "act", "act_id")}
        items.append({"decision": summaries[d], "relation": rel, "provision": provision,
                      "evidence": c["evidence"]})
    items.sort(key=lambda x: (x["decision"]["id"], x["relation"], x["provision"]["id"]))
    return {"legislation": info | {"is_act": ref.is_act}, "decisions": items}


# ---------------------------------------------------------------------------- organisations


class organisation_names(dict):  # noqa: N801 - used like a function returning a mapping
    """Organisation IRI → canonical name (``skos:prefLabel``), looked up on first use."""

    def __init__(self, store: GraphStore):
        super().__init__()
        self.store = store

    def __missing__(self, iri: str) -> str | None:
        self[iri] = name = _first(self.store, iri, ("http://www.w3.org/2004/02/skos/core#prefLabel",))
        return name


def _org_ref(names: dict[str, str], iri: str | None, base: str) -> dict | None:
    if iri is None:
        return None
    slug = iri[len(base) + 4:] if iri.startswith(base + "org/") else iri
    return {"id": slug, "iri": iri, "name": names[iri]}


def list_organisations(store: GraphStore, *, q: str | None = None, offset: int = 0,
                       limit: int = DEFAULT_LIMIT) -> dict:
    """Organisations (canonical nodes under ``{base}org/``) by id, optionally filtered by text
    in their name; ``{"items": [{"id", "iri", "name", "kind"}], "has_more"}``."""
    prefix = store.base_iri + "org/"
    iris: set[str] = set()
    for cls in ("http://www.w3.org/ns/org#Organization", "http://www.w3.org/ns/org#OrganizationalUnit"):
        iris |= {i for i in _subjects(store, _RDF + "type", ox.NamedNode(cls)) if i.startswith(prefix)}
    names = organisation_names(store)
    chosen = sorted(iris)
    if q is not None:
        needle = q.casefold()
        chosen = [i for i in chosen if needle in (names[i] or "").casefold()]
    page = chosen[offset:offset + limit]
    items = [_org_ref(names, iri, store.base_iri) | {"kind": _first(store, iri, (_KG + "orgKind",))}
             for iri in page]
    return {"items": items, "has_more": len(chosen) > offset + limit}


_ALIAS_KINDS = {"http://www.w3.org/2004/02/skos/core#altLabel": "altLabel", _KG + "acronym": "acronym",
                "http://www.w3.org/2004/02/skos/core#hiddenLabel": "hiddenLabel",
                _KG + "formerName": "formerName"}


def organisation(store: GraphStore, slug: str) -> dict:
    """An organisation: name, kind, parent, aliases (from the gazetteer: altLabel, acronym,
    hiddenLabel, formerName; and surface forms seen in documents), the decisions whose papers
    name it, and funding in (recipient), out (funder) and via (intermediary) with amounts and
    periods. Nested lists hold at most :data:`NESTED_MAX` items (``*_has_more`` says if there are more)."""
    if not _SLUG.match(slug):
        raise NotFoundError("KG401", slug, "no organisation with this id")
    iri = _org_iri(store, slug)
    node = ox.NamedNode(iri)
    if next(iter(store.ox.quads_for_pattern(node, None, None, None)), None) is None:
        raise NotFoundError("KG401", slug, "no organisation with this id")
    onto = ox.NamedNode(store.base_iri + "graph/ontology")
    alias_rows = _rows(store, """SELECT DISTINCT ?o ?og ?p ?label WHERE {
        { GRAPH ?og { ?o ?p ?label VALUES ?p { skos:altLabel kg:acronym skos:hiddenLabel kg:formerName } } }
        UNION { ?o kg:surfaceForm ?label BIND(kg:surfaceForm AS ?p) } }""", {"o": node, "og": onto})
    names = organisation_names(store)
    kind = _first(store, iri, (_KG + "orgKind",))
    parents = sorted({q.object.value for q in store.ox.quads_for_pattern(
        node, ox.NamedNode("http://www.w3.org/ns/org#subOrganizationOf"), None, None)})
    name = names[iri]
    aliases: dict[str, set[str]] = {}
    for r in alias_rows:
        label = " ".join(r["label"].value.split())
        if label != name:
            aliases.setdefault(label, set()).add(_ALIAS_KINDS.get(r["p"].value, "surfaceForm"))
    decisions = list_decisions(store, organisation=slug, limit=NESTED_MAX)
    flows = {k: list_funding(store, **{k: slug}, limit=NESTED_MAX)
             for k in ("funder", "recipient", "intermediary")}
    return {
        "id": slug, "iri": iri, "name": name, "kind": kind,
        "part_of": [_org_ref(names, p, store.base_iri) for p in parents],
        "aliases": [{"label": label, "kinds": sorted(kinds)} for label, kinds in sorted(aliases.items())],
        "decisions": decisions["items"], "decisions_has_more": decisions["has_more"],
        "funding": {"out": flows["funder"]["items"], "in": flows["recipient"]["items"],
                    "via": flows["intermediary"]["items"]},
        "funding_has_more": any(f["has_more"] for f in flows.values()),
    }


# ---------------------------------------------------------------------------- funding

def funding_flow(store: GraphStore, iri: str, names: dict[str, str] | None = None) -> dict:
    """One funding flow: amount (whole pounds, as written, period), funder, recipient,
    intermediary, purpose, the decision it belongs to, and its evidence span."""
    names = organisation_names(store) if names is None else names
    node = ox.NamedNode(iri)
    quad = next(iter(store.ox.quads_for_pattern(node, ox.NamedNode(_SCHEMA + "amount"), None, None)), None)
    if quad is None:
        raise NotFoundError("KG401", iri, "no funding flow with this id")
    amt = quad.object.value
    one = lambda s, p: _first(store, s, (p,))  # noqa: E731
    base = store.base_iri
    decisions = sorted(_subjects(store, _KG + "hasFunding", node))
    evidence = [_evidence(r) for r in _statement_rows(store, iri)]
    gbp = one(amt, _SCHEMA + "value")
    return {
        "id": iri, "document": _doc_id(quad.graph_name.value),
        "amount": {"gbp": int(gbp) if gbp is not None else 0, "text": one(amt, _KG + "surfaceText"),
                   "period": one(iri, _KG + "period") or one(amt, _KG + "period"),
                   "is_total": one(amt, _KG + "isTotal") == "true", "table_row": one(amt, _KG + "tableRow")},
        "funder": _org_ref(names, one(iri, _SCHEMA + "funder"), base),
        "recipient": _org_ref(names, one(iri, _KG + "recipient"), base),
        "intermediary": _org_ref(names, one(iri, _KG + "intermediary"), base),
        "purpose": one(iri, _KG + "purpose"),
        "decision": one(decisions[0], _DCT + "identifier") if decisions else None,
        "evidence": next((e for e in evidence if e is not None), None),
    }


def list_funding(store: GraphStore, *, funder: str | None = None, recipient: str | None = None,
                 intermediary: str | None = None, organisation: str | None = None,
                 decision: str | None = None, period: str | None = None,
                 min_gbp: int | None = None, max_gbp: int | None = None,
                 include_totals: bool = True, offset: int = 0, limit: int = DEFAULT_LIMIT) -> dict:
    """Funding flows, largest first, filtered by funder / recipient / intermediary /
    any-party organisation slug, decision id, period and amount range.

    Returns ``{"items": [flow...], "has_more": bool}``.
    """
    parties = {"funder": funder, "recipient": recipient, "intermediary": intermediary,
               "organisation": organisation}
    if decision is not None or any(v is not None for v in parties.values()):
        return _filtered_funding(store, parties, decision, period, min_gbp, max_gbp,
                                 include_totals, offset, limit)
    candidates = {q.subject.value for q in store.ox.quads_for_pattern(
        None, ox.NamedNode(_RDF + "type"), ox.NamedNode(_KG + "FundingFlow"), None)}
    return _rank_flows(store, candidates, period, min_gbp, max_gbp, include_totals, offset, limit)


_PARTY = {"funder": (_SCHEMA + "funder",), "recipient": (_KG + "recipient",),
          "intermediary": (_KG + "intermediary",),
          "organisation": (_SCHEMA + "funder", _KG + "recipient", _KG + "intermediary")}


def _flow_amount(v: dict[str, _Values], flow: str) -> tuple[int, str | None, bool]:
    amt = v["amount"][flow]
    gbp = v["value"][amt] if amt else None
    total = v["total"][amt] if amt else None
    period = v["period"][flow] or (v["period"][amt] if amt else None)
    return (int(gbp) if gbp is not None else 0), period, total == "true"


def _filtered_funding(store: GraphStore, parties: dict, decision, period, min_gbp, max_gbp,
                      include_totals: bool, offset: int, limit: int) -> dict:
    """Flows of a decision and/or with given parties: candidates by index lookups on the bound
    terms, then the period and amount tests on each candidate, largest first."""
    candidates: set[str] | None = None
    if decision is not None:
        try:
            dec = decision_iri(store, decision)
        except NotFoundError:
            return {"items": [], "has_more": False}
        candidates = {q.object.value for q in store.ox.quads_for_pattern(
            ox.NamedNode(dec), ox.NamedNode(_KG + "hasFunding"), None, None)}
    for key, slug in parties.items():
        if slug is None:
            continue
        found: set[str] = set()
        if _SLUG.match(slug):
            for p in _PARTY[key]:
                found |= _subjects(store, p, ox.NamedNode(_org_iri(store, slug)))
        candidates = found if candidates is None else candidates & found
    return _rank_flows(store, candidates or set(), period, min_gbp, max_gbp, include_totals, offset, limit)


def _rank_flows(store: GraphStore, candidates: set[str], period, min_gbp, max_gbp,
                include_totals: bool, offset: int, limit: int) -> dict:
    ranked = []
    many = len(candidates) > _SCAN_ABOVE
    values = {k: _Values(store, p, many) for k, p in (
        ("amount", _SCHEMA + "amount"), ("value", _SCHEMA + "value"),
        ("total", _KG + "isTotal"), ("period", _KG + "period"))}
    for flow in candidates:
        gbp, flow_period, total = _flow_amount(values, flow)
        if (period is not None and flow_period != period) or (min_gbp is not None and gbp < min_gbp) \
                or (max_gbp is not None and gbp > max_gbp) or (total and not include_totals):
            continue
        ranked.append((-gbp, flow))
    ranked.sort()
    names = organisation_names(store)
    page = ranked[offset:offset + limit]
    return {"items": [funding_flow(store, f, names) for _, f in page],
            "has_more": len(ranked) > offset + limit}


def _decision_funding(store: GraphStore, iri: str) -> list[dict]:
    """Every funding flow of the decision ``iri``, largest first."""
    flows = {q.object.value for q in store.ox.quads_for_pattern(
        ox.NamedNode(iri), ox.NamedNode(_KG + "hasFunding"), None, None)}
    names = organisation_names(store)
    out = [funding_flow(store, f, names) for f in flows]
    out.sort(key=lambda f: (-f["amount"]["gbp"], f["id"]))
    return out


# ---------------------------------------------------------------------------- documents


def _document_meta(store: GraphStore, iri: str) -> dict:
    rows = _rows(store, """SELECT ?g ?source ?sha ?title ?kind WHERE { GRAPH ?g {
        ?g kg:source ?source ; kg:sha256 ?sha .
        OPTIONAL { ?g dct:title ?title }
        OPTIONAL { ?g a ?kind FILTER(?kind != kg:Document) } } }""", {"g": ox.NamedNode(iri)})
    if not rows:
        return {"id": _doc_id(iri), "iri": iri, "source": None, "kind": None, "sha256": None, "title": None}
    r = rows[0]
    kind = min((x["kind"].value for x in rows if x["kind"] is not None), default=_KG + "Document")
    return {"id": _doc_id(iri), "iri": iri, "source": r["source"].value, "kind": kind[len(_KG):],
            "sha256": r["sha"].value, "title": _val(r["title"])}


def document(store: GraphStore, doc_id: str) -> dict:
    """A source document: id (16-hex prefix of its SHA-256), source file, kind, sha256, title,
    its full text and every extracted span (start, end, exact text) with the facts it
    supports (subject, predicate, object)."""
    key = doc_id.strip().lower()
    if not _DOC_ID.match(key):
        raise NotFoundError("KG401", doc_id, "no document with this id")
    iri = f"{store.base_iri}document/{key[:16]}"
    g = ox.NamedNode(iri)
    text_rows = _rows(store, "SELECT ?g ?text WHERE { GRAPH ?g { ?g kg:text ?text } } LIMIT 1", {"g": g})
    if not text_rows:
        raise NotFoundError("KG401", doc_id, "no document with this id")
    meta = _document_meta(store, iri)
    span_rows = _rows(store, f"""SELECT ?g ?ev ?exact ?start ?end WHERE {{ GRAPH ?g {{
        ?ev a oa:SpecificResource . {_EVIDENCE} }} }}""", {"g": g})
    spans: dict[str, dict] = {}
    for r in span_rows:
        spans[r["ev"].value] = {"start": int(r["start"].value), "end": int(r["end"].value),
                                "exact": r["exact"].value, "supports": []}
    support_rows = _rows(store, """SELECT ?g ?ev ?s ?p ?o WHERE { GRAPH ?g {
        { ?st kg:evidence ?ev ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o }
        UNION
        { ?s kg:evidence ?ev ; a ?o . BIND(rdf:type AS ?p)
          FILTER NOT EXISTS { ?s rdf:subject ?any } } } }""", {"g": g})
    for r in support_rows:
        span = spans.get(r["ev"].value)
        if span is None:
            continue
        span["supports"].append({"subject": _term(r["s"]), "predicate": _curie(r["p"].value),
                                 "predicate_iri": r["p"].value, "object": _term(r["o"])})
    out = sorted(spans.values(), key=lambda s: (s["start"], s["end"]))
    for s in out:
        s["supports"] = sorted(_uniq(s["supports"]),
                               key=lambda f: (f["predicate"], f["subject"]["value"], f["object"]["value"]))
    return meta | {"text": text_rows[0]["text"].value, "spans": out}
