"""Read views of the graph for the REST API: pure functions ``store → dicts``.

Every user value reaches SPARQL as a bound value (pyoxigraph ``substitutions=``), never as
query text; optional filters choose among fixed query fragments. Unknown ids raise
``NotFoundError("KG401", ...)``.

>>> from kgraph.store import GraphStore
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
from collections.abc import Iterable
from datetime import date
from urllib.parse import unquote

import pyoxigraph as ox

from kgraph.errors import NotFoundError
from kgraph.iris import decision_key
from kgraph.query import DEFAULT_PREFIXES
from kgraph.store import GraphStore

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


def _int(t) -> int | None:
    return None if t is None else int(t.value)


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


def _doc_id(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


def _evidence(sol) -> dict | None:
    if sol["ev"] is None or sol["start"] is None:
        return None
    return {"document": _doc_id(sol["g"].value), "start": int(sol["start"].value),
            "end": int(sol["end"].value), "exact": _val(sol["exact"])}


def _page(store: GraphStore, sparql: str, subs: dict, offset: int, limit: int) -> tuple[list, bool]:
    """Run a paged query (``OFFSET ?``/``LIMIT ?`` appended as numbers) → (rows, has_more)."""
    rows = _rows(store, f"{sparql}\nOFFSET {int(offset)} LIMIT {int(limit) + 1}", subs)
    return rows[:limit], len(rows) > limit


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
    # Query shape matters at scale: the selective (filter) patterns come first and the
    # decision test is a cheap IRI test rather than a join with ``?d a kg:Decision``.
    parts: list[str] = []
    subs: dict[str, ox.Term] = {}
    if organisation is not None:
        parts.append("?d kg:namesOrganisation ?org .")
        subs["org"] = ox.NamedNode(_org_iri(store, organisation)) if _SLUG.match(organisation) \
            else ox.Literal(organisation)  # a malformed slug matches nothing
    if legislation is not None:
        if legislation.is_act:
            parts.append("{ ?d eli:based_on|eli:cites ?leg } UNION "
                         "{ ?d eli:based_on|eli:cites ?lp . ?lp eli:is_part_of ?leg }")
        else:
            parts.append("?d eli:based_on|eli:cites ?leg .")
        subs["leg"] = ox.NamedNode(legislation.iri)
    if date_from is not None or date_to is not None:
        parts.append("?d dct:date ?date .")
        if date_from is not None:
            parts.append("FILTER(?date >= ?from)")
            subs["from"] = ox.Literal(date_from.isoformat(), datatype=ox.NamedNode(_XSD + "date"))
        if date_to is not None:
            parts.append("FILTER(?date <= ?to)")
            subs["to"] = ox.Literal(date_to.isoformat(), datatype=ox.NamedNode(_XSD + "date"))
    parts.append("?d dct:identifier ?key . FILTER(CONTAINS(STR(?d), \"/decision/\"))")
    if q is not None:
        parts.append("FILTER EXISTS { ?d dct:title|kg:decisionNumber|dct:identifier ?text "
                     "FILTER(CONTAINS(LCASE(STR(?text)), LCASE(?q))) }")
        subs["q"] = ox.Literal(q)
    sparql = ("SELECT DISTINCT ?d ?key ?org ?leg ?from ?to ?q WHERE {\n  "
              + "\n  ".join(parts) + "\n} ORDER BY ?key ?d")
    rows, more = _page(store, sparql, subs, offset, limit)
    return {"items": [decision_summary(store, r["d"].value) for r in rows], "has_more": more}


_FACTS_OUT = f"""
SELECT DISTINCT ?d ?g ?p ?o ?olabel ?ev ?exact ?start ?end WHERE {{
  GRAPH ?g {{
    ?d ?p ?o .
    OPTIONAL {{ ?st rdf:subject ?d ; rdf:predicate ?p ; rdf:object ?o ; kg:evidence ?ev . {_EVIDENCE} }}
  }}
  OPTIONAL {{ {{ ?o skos:prefLabel|dct:title|eli:title ?olabel }} UNION {{ ?o a kg:DecisionPoint ; kg:text ?olabel }} }}
}}"""

_FACTS_IN = f"""
SELECT DISTINCT ?d ?g ?s ?p ?slabel ?ev ?exact ?start ?end WHERE {{
  GRAPH ?g {{
    ?s ?p ?d .
    FILTER(?p NOT IN (rdf:subject, rdf:object))
    OPTIONAL {{ ?st rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?d ; kg:evidence ?ev . {_EVIDENCE} }}
  }}
  OPTIONAL {{ ?s skos:prefLabel|dct:title|eli:title ?slabel }}
}}"""

_DOC_ROLES = {_KG + "records": "records", _KG + "proposes": "proposes",
              _KG + "mentionsDecision": "mentions"}


def _merge_facts(rows, subject_of, object_of, label_of) -> list[dict]:
    facts: dict[tuple, dict] = {}
    for r in rows:
        s, p, o = subject_of(r), r["p"], object_of(r)
        key = (s.value, p.value, repr(_term(o)))
        f = facts.get(key)
        if f is None:
            f = facts[key] = {"subject": _term(s), "predicate": _curie(p.value),
                              "predicate_iri": p.value, "object": _term(o), "label": None,
                              "documents": [], "evidence": []}
        label = label_of(r)
        if label is not None and (f["label"] is None or label.value < f["label"]):
            f["label"] = label.value
        doc = _doc_id(r["g"].value)
        if doc not in f["documents"]:
            f["documents"].append(doc)
        ev = _evidence(r)
        if ev is not None and ev not in f["evidence"]:
            f["evidence"].append(ev)
    out = list(facts.values())
    for f in out:
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
    in_rows = _rows(store, _FACTS_IN, {"d": node})
    facts = _merge_facts(out_rows, lambda r: node, lambda r: r["o"], lambda r: r["olabel"])
    incoming = _merge_facts(in_rows, lambda r: r["s"], lambda r: node, lambda r: r["slabel"])
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
    flows = list_funding(store, decision=summary["id"], limit=NESTED_MAX)
    return summary | {
        "key_decision": None if kd is None else kd == "true",
        "decision_maker": first.get("kg:decisionMaker"),
        "decision_maker_role": first.get("kg:decisionMakerRole"),
        "documents": documents,
        "facts": facts + incoming,
        "funding": flows["items"],
        "funding_has_more": flows["has_more"],
    }


# ---------------------------------------------------------------------------- legislation

def _citations_query(prov: str = "?prov", head: str = "") -> str:
    """Citations of legislation by decisions; ``prov`` is the variable (a code constant) naming
    the provision, ``head`` a fixed fragment that binds it first."""
    leg = "" if prov == "?leg" else "?leg"
    return f"""
SELECT DISTINCT ?d {leg} ?g ?rel {prov} ?label ?act ?actTitle ?ev ?exact ?start ?end WHERE {{
  {head}
  GRAPH ?g {{
    ?d ?rel {prov} .
    VALUES ?rel {{ eli:based_on eli:cites }}
    OPTIONAL {{ ?st rdf:subject ?d ; rdf:predicate ?rel ; rdf:object {prov} ; kg:evidence ?ev . {_EVIDENCE} }}
  }}
  ?d a kg:Decision .
  OPTIONAL {{ {prov} skos:prefLabel ?label }}
  OPTIONAL {{ {prov} eli:is_part_of ?act . OPTIONAL {{ ?act eli:title ?actTitle }} }}
  OPTIONAL {{ {prov} eli:title ?actTitle }}
}}"""


def _provision(iri: str, label: str | None, act: str | None, act_title: str | None) -> dict:
    ref = parse_legislation(iri) if iri.startswith(LEGISLATION_ID) else None
    return {"id": iri, "path": ref.path if ref else None, "url": ref.url if ref else None,
            "label": label or act_title, "act": act_title,
            "act_id": act or (ref.act_iri if ref else None)}


def _citations(rows, prov: str = "prov", out: dict | None = None) -> dict[tuple[str, str, str], dict]:
    """(decision, relation, provision) → {provision..., evidence: [...]} from citation rows."""
    out = {} if out is None else out
    for r in rows:
        rel = "based_on" if r["rel"].value.endswith("based_on") else "cites"
        key = (r["d"].value, rel, r[prov].value)
        c = out.get(key)
        if c is None:
            c = out[key] = _provision(r[prov].value, _val(r["label"]), _val(r["act"]),
                                      _val(r["actTitle"])) | {"relation": rel, "evidence": []}
        ev = _evidence(r)
        if ev is not None and ev not in c["evidence"]:
            c["evidence"].append(ev)
    for c in out.values():
        c["evidence"].sort(key=lambda e: (e["document"], e["start"]))
    return out


def basis(store: GraphStore, ident: str) -> dict:
    """The statutory basis of a decision: provisions it relies on (``eli:based_on``) and those
    it merely cites (``eli:cites`` and never ``eli:based_on``), each with the quotes it rests on
    and its legislation.gov.uk link."""
    iri = decision_iri(store, ident)
    rows = _rows(store, _citations_query(), {"d": ox.NamedNode(iri)})
    cites = _citations(rows)
    relied = sorted((c for (_, rel, _), c in cites.items() if rel == "based_on"), key=lambda c: c["id"])
    relied_ids = {c["id"] for c in relied}
    cited = sorted((c for (_, rel, _), c in cites.items() if rel == "cites" and c["id"] not in relied_ids),
                   key=lambda c: c["id"])
    for c in relied + cited:
        c.pop("relation")
    return {"decision": decision_summary(store, iri), "relied_on": relied, "cited": cited}


def legislation_decisions(store: GraphStore, ref: LegislationRef) -> dict:
    """Decisions that rely on or cite a provision, or any provision of an Act, with the
    relation, the provision and the quotes. ``NotFoundError`` KG401 if the graph never
    mentions the legislation."""
    leg = ox.NamedNode(ref.iri)
    known = _rows(store, "SELECT ?leg WHERE { { ?x ?p ?leg } UNION { ?leg ?p ?x } } LIMIT 1", {"leg": leg})
    if not known:
        raise NotFoundError("KG401", ref.path, "no legislation with this id in the graph")
    cites = _citations(_rows(store, _citations_query("?leg"), {"leg": leg}), "leg")
    if ref.is_act:
        head = "{ SELECT DISTINCT ?prov ?leg WHERE { ?prov eli:is_part_of ?leg } }"
        _citations(_rows(store, _citations_query("?prov", head), {"leg": leg}), "prov", cites)
    meta = _rows(store, """SELECT ?leg ?label ?title ?act ?actTitle WHERE {
        OPTIONAL { ?leg skos:prefLabel ?label } OPTIONAL { ?leg eli:title ?title }
        OPTIONAL { ?leg eli:is_part_of ?act . ?act eli:title ?actTitle } } LIMIT 1""", {"leg": leg})
    m = meta[0] if meta else None
    act_title = _val(m["title"]) or _val(m["actTitle"]) if m else None
    info = _provision(ref.iri, _val(m["label"]) if m else None, _val(m["act"]) if m else None, act_title)
    if ref.is_act:
        info["act_id"] = ref.iri
    items = []
    summaries: dict[str, dict] = {}
    for (d, rel, _), c in sorted(cites.items()):
        if d not in summaries:
            summaries[d] = decision_summary(store, d)
        provision = {k: c[k] for k in ("id", "path", "url", "label", "act", "act_id")}
        items.append({"decision": summaries[d], "relation": rel, "provision": provision,
                      "evidence": c["evidence"]})
    items.sort(key=lambda x: (x["decision"]["id"], x["relation"], x["provision"]["id"]))
    return {"legislation": info | {"is_act": ref.is_act}, "decisions": items}


# ---------------------------------------------------------------------------- organisations


def organisation_names(store: GraphStore) -> dict[str, str]:
    """Organisation IRI → canonical name (``skos:prefLabel``), for every organisation."""
    rows = _rows(store, """SELECT DISTINCT ?o ?name WHERE {
        { ?o a org:Organization } UNION { ?o a org:OrganizationalUnit } ?o skos:prefLabel ?name }""")
    out: dict[str, str] = {}
    for r in rows:
        iri = r["o"].value
        if iri not in out or r["name"].value < out[iri]:
            out[iri] = r["name"].value
    return out


def _org_ref(names: dict[str, str], iri: str | None, base: str) -> dict | None:
    if iri is None:
        return None
    slug = iri[len(base) + 4:] if iri.startswith(base + "org/") else iri
    return {"id": slug, "iri": iri, "name": names.get(iri)}


def list_organisations(store: GraphStore, *, q: str | None = None, offset: int = 0,
                       limit: int = DEFAULT_LIMIT) -> dict:
    """Organisations (canonical nodes under ``{base}org/``) by id, optionally filtered by text
    in their name; ``{"items": [{"id", "iri", "name", "kind"}], "has_more"}``."""
    subs: dict[str, ox.Term] = {"base": ox.Literal(store.base_iri + "org/")}
    text = ""
    if q is not None:
        text = "FILTER EXISTS { ?o skos:prefLabel ?n FILTER(CONTAINS(LCASE(?n), LCASE(?q))) }"
        subs["q"] = ox.Literal(q)
    sparql = f"""SELECT DISTINCT ?o ?base ?q WHERE {{
        {{ ?o a org:Organization }} UNION {{ ?o a org:OrganizationalUnit }}
        FILTER(STRSTARTS(STR(?o), ?base)) {text} }} ORDER BY ?o"""
    rows, more = _page(store, sparql, subs, offset, limit)
    names = organisation_names(store)
    items = []
    for r in rows:
        iri = r["o"].value
        kinds = _rows(store, "SELECT ?o ?kind WHERE { ?o kg:orgKind ?kind } LIMIT 1", {"o": r["o"]})
        items.append(_org_ref(names, iri, store.base_iri) | {"kind": _val(kinds[0]["kind"]) if kinds else None})
    return {"items": items, "has_more": more}


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
    rows = _rows(store, "SELECT ?o ?p ?v WHERE { ?o ?p ?v }", {"o": node})
    if not rows:
        raise NotFoundError("KG401", slug, "no organisation with this id")
    onto = ox.NamedNode(store.base_iri + "graph/ontology")
    alias_rows = _rows(store, """SELECT DISTINCT ?o ?og ?p ?label WHERE {
        { GRAPH ?og { ?o ?p ?label VALUES ?p { skos:altLabel kg:acronym skos:hiddenLabel kg:formerName } } }
        UNION { ?o kg:surfaceForm ?label BIND(kg:surfaceForm AS ?p) } }""", {"o": node, "og": onto})
    names = organisation_names(store)
    kind = min((r["v"].value for r in rows if r["p"].value == _KG + "orgKind"), default=None)
    parents = sorted({r["v"].value for r in rows if r["p"].value == "http://www.w3.org/ns/org#subOrganizationOf"})
    name = names.get(iri)
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

_FLOW = f"""
SELECT ?flow ?g ?gbp ?text ?period ?purpose ?isTotal ?row ?funder ?recipient ?via ?d ?key ?ev ?exact ?start ?end WHERE {{
  GRAPH ?g {{
    ?flow schema:amount ?amt .
    ?amt schema:value ?gbp .
    OPTIONAL {{ ?amt kg:surfaceText ?text }}
    OPTIONAL {{ ?flow kg:period ?period }}
    OPTIONAL {{ ?flow kg:purpose ?purpose }}
    OPTIONAL {{ ?amt kg:isTotal ?isTotal }}
    OPTIONAL {{ ?amt kg:tableRow ?row }}
    OPTIONAL {{ ?flow schema:funder ?funder }}
    OPTIONAL {{ ?flow kg:recipient ?recipient }}
    OPTIONAL {{ ?flow kg:intermediary ?via }}
    OPTIONAL {{ ?d kg:hasFunding ?flow }}
    OPTIONAL {{ ?flow kg:evidence ?ev . {_EVIDENCE} }}
  }}
  OPTIONAL {{ ?d dct:identifier ?key }}
}}"""


def funding_flow(store: GraphStore, iri: str, names: dict[str, str] | None = None) -> dict:
    """One funding flow: amount (whole pounds, as written, period), funder, recipient,
    intermediary, purpose, the decision it belongs to, and its evidence span."""
    rows = _rows(store, _FLOW, {"flow": ox.NamedNode(iri)})
    names = organisation_names(store) if names is None else names
    r = rows[0]
    pick = lambda name: min((x[name].value for x in rows if x[name] is not None), default=None)  # noqa: E731
    base = store.base_iri
    return {
        "id": iri, "document": _doc_id(r["g"].value),
        "amount": {"gbp": int(r["gbp"].value), "text": pick("text"), "period": pick("period"),
                   "is_total": pick("isTotal") == "true", "table_row": pick("row")},
        "funder": _org_ref(names, pick("funder"), base),
        "recipient": _org_ref(names, pick("recipient"), base),
        "intermediary": _org_ref(names, pick("via"), base),
        "purpose": pick("purpose"),
        "decision": pick("key"),
        "evidence": _evidence(r),
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
    parts: list[str] = []
    subs: dict[str, ox.Term] = {}

    def org(slug: str) -> ox.Term:
        return ox.NamedNode(_org_iri(store, slug)) if _SLUG.match(slug) else ox.Literal(slug)

    if funder is not None:
        parts.append("?flow schema:funder ?funder .")
        subs["funder"] = org(funder)
    if recipient is not None:
        parts.append("?flow kg:recipient ?recipient .")
        subs["recipient"] = org(recipient)
    if intermediary is not None:
        parts.append("?flow kg:intermediary ?via .")
        subs["via"] = org(intermediary)
    if organisation is not None:
        parts.append("?flow schema:funder|kg:recipient|kg:intermediary ?party .")
        subs["party"] = org(organisation)
    if decision is not None:
        try:
            dec = ox.NamedNode(decision_iri(store, decision))
        except NotFoundError:
            return {"items": [], "has_more": False}
        parts.append("?dec kg:hasFunding ?flow .")
        subs["dec"] = dec
    if period is not None:
        parts.append("?flow kg:period ?period .")
        subs["period"] = ox.Literal(period)
    parts.append("?flow schema:amount ?amt . ?amt schema:value ?gbp .")
    if min_gbp is not None:
        parts.append("FILTER(?gbp >= ?min)")
        subs["min"] = ox.Literal(str(int(min_gbp)), datatype=ox.NamedNode(_XSD + "integer"))
    if max_gbp is not None:
        parts.append("FILTER(?gbp <= ?max)")
        subs["max"] = ox.Literal(str(int(max_gbp)), datatype=ox.NamedNode(_XSD + "integer"))
    if not include_totals:
        parts.append("FILTER NOT EXISTS { ?amt kg:isTotal true }")
    sparql = ("SELECT DISTINCT ?flow ?gbp ?funder ?recipient ?via ?party ?dec ?period ?min ?max WHERE {\n  "
              + "\n  ".join(parts) + "\n} ORDER BY DESC(?gbp) ?flow")
    rows, more = _page(store, sparql, subs, offset, limit)
    names = organisation_names(store) if rows else {}
    return {"items": [funding_flow(store, r["flow"].value, names) for r in rows], "has_more": more}


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
