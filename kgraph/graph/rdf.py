"""Facts (the extraction JSON of one document) to an RDF graph with provenance.

One module because it is the single writer of the graph's shape: every fact kind and its
evidence pattern are spelled here and nowhere else (readers follow it).

Every fact triple is also described by an ``rdf:Statement`` (IRI derived from the triple)
carrying ``kg:evidence`` links to evidence nodes, one per distinct mention (document, start,
end) and shared by every statement resting on it: ``ev oa:hasSource doc ; oa:hasSelector sel``,
where the one selector is both an ``oa:TextQuoteSelector`` (``oa:exact``) and an
``oa:TextPositionSelector`` (``oa:start``, ``oa:end``), so ``?ev oa:hasSelector ?qs, ?ps``
still reaches both. Seven triples per mention and nothing the rest of the graph gives: the
evidence node is not typed (``kg:evidence`` has the range ``oa:SpecificResource`` in the
ontology) and there is no ``oa:prefix`` / ``oa:suffix`` (the position settles which
occurrence is meant; the context is ``SUBSTR`` of the document's ``kg:text``).

Every triple is owned by the fact of the extraction JSON that produced it (``"document"``,
``"decision[0]"``, ``"decision[0].status"``, ``"legislation[2]"``, ``"amount[1]"``, …):
:func:`build_document` returns the owners with the graph and leaves out the facts it is told
to skip, which is how a fact that breaks the shapes is left out (:mod:`kgraph.graph.checked`).

>>> facts = {"document": {"id": "abc", "iri": "https://w3id.org/kgraph/id/document/abc",
...          "source": "a.txt", "kind": "Other", "sha256": "abc", "title": None},
...          "decisions": [], "organisations": [], "legislation": [], "amounts": [],
...          "meetings": [], "decision_links": []}
>>> g = document_graph(facts, "text")
>>> (URIRef(facts["document"]["iri"]), RDF.type, KG.Document) in g
True
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import replace
from decimal import Decimal

from rdflib import RDF, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, SKOS
from rdflib.plugins.serializers.nt import _nt_row

from kgraph import __version__
from kgraph.iris import Iris
from kgraph.vocab import PREFIXES as VOCAB_PREFIXES

KG = Namespace(VOCAB_PREFIXES["kg"])
ELI = Namespace(VOCAB_PREFIXES["eli"])
OA = Namespace(VOCAB_PREFIXES["oa"])
SCHEMA = Namespace(VOCAB_PREFIXES["schema"])

PREFIXES = {p: Namespace(ns) for p, ns in VOCAB_PREFIXES.items()}
#: The original file of a document: DCAT media type and size, SPDX checksum (of the file's bytes).
SPDX = Namespace("http://spdx.org/rdf/terms#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
_IANA = "https://www.iana.org/assignments/media-types/"

_DOC_CLASS = {"RecordOfDecision": KG.RecordOfDecision, "CommitteeReport": KG.CommitteeReport}
_LINK_PROPERTY = {
    "proposes": KG.proposes, "references": KG.references, "supersedes": KG.supersedes,
    "amends": KG.amends, "varies": KG.varies, "extends": KG.extends, "followsOn": KG.followsOn,
    "follows_on": KG.followsOn, "endsAgreementOf": KG.endsAgreementOf,
    "ends_agreement_of": KG.endsAgreementOf, "reallocatesFundingFrom": KG.reallocatesFundingFrom,
    "reallocates_funding_from": KG.reallocatesFundingFrom,
}
_ORG_UNIT_KINDS = {"Committee", "Department"}
LEGISLATION_GOV_UK = "http://www.legislation.gov.uk/id/"
_AGREEMENT_CLASS = {"StatutoryAgreement": KG.StatutoryAgreement, "Contract": KG.Contract}


def new_graph() -> Graph:
    g = Graph()
    for p, ns in PREFIXES.items():
        g.bind(p, ns)
    return g


def run_iri(iris: Iris) -> URIRef:
    """The pipeline run that generated the graph: stable per kgraph version (idempotent builds)."""
    return URIRef(f"{iris.base}run/kgraph-{__version__}")


#: Fact keys of the document's own record: a document is refused whole when these break a shape.
RECORD = "document"


class Owners(dict):
    """``(subject, predicate)`` (as strings) → ``[(object, fact key), …]`` in the order added;
    ``users``: evidence and selector node → the facts whose evidence it is."""

    def __init__(self):
        super().__init__()
        self.users: dict[str, set[str]] = {}

    def of(self, s, p=None, o=None) -> list[str]:
        """Fact keys that added triples ``s p o`` (``p`` / ``o`` None: any)."""
        if p is None:
            return [k for (ss, _), vs in self.items() if ss == str(s) for _, k in vs]
        return [k for oo, k in self.get((str(s), str(p)), ()) if o is None or oo == o]


class _Builder:
    def __init__(self, facts: dict, text: str, iris: Iris, skip: frozenset[str] = frozenset()):
        self.f = facts
        self.text = text
        publisher = facts["document"].get("publisher")
        if publisher:  # IRIs scoped by the document's own publishing council
            iris = replace(iris, council=publisher["name"])
        self.iris = iris
        self.triples: dict[tuple, None] = {}  # an ordered set
        self.evidence_made: set[URIRef] = set()
        self.doc = URIRef(facts["document"]["iri"])
        self.run = run_iri(iris)
        self.skip = skip
        self.owner = RECORD
        self.owners = Owners()

    def add(self, triple) -> None:
        self.triples[triple] = None  # every triple is recorded with the fact that adds it
        s, p, o = triple
        self.owners.setdefault((str(s), str(p)), []).append((o, self.owner))

    def own(self, key: str) -> bool:
        """Make ``key`` the owner of the triples added next; False when it is to be left out."""
        self.owner = key
        return key not in self.skip

    # -- evidence -------------------------------------------------------------
    def evidence(self, m: dict) -> URIRef:
        start, end = int(m["start"]), int(m["end"])
        ev = URIRef(f"{self.doc}/evidence/{start}-{end}")
        sel = URIRef(f"{ev}/selector")
        for node in (ev, sel):
            self.owners.users.setdefault(str(node), set()).add(self.owner)
        if ev in self.evidence_made:
            return ev
        self.evidence_made.add(ev)
        self.add((ev, OA.hasSource, self.doc))
        self.add((ev, OA.hasSelector, sel))
        self.add((sel, RDF.type, OA.TextQuoteSelector))
        self.add((sel, RDF.type, OA.TextPositionSelector))
        self.add((sel, OA.exact, Literal(self.text[start:end])))
        self.add((sel, OA.start, Literal(start, datatype=XSD.integer)))
        self.add((sel, OA.end, Literal(end, datatype=XSD.integer)))
        if m.get("page") is not None:
            self.add((ev, KG.page, Literal(int(m["page"]), datatype=XSD.integer)))
        return ev

    def fact(self, s, p, o, mentions: Iterable[dict], **extra) -> URIRef | None:
        """Assert ``s p o`` and, when there is evidence, an rdf:Statement that points to it."""
        self.add((s, p, o))
        mentions = [m for m in mentions if m]
        if not mentions:
            return None
        h = hashlib.sha1(f"{s}|{p}|{o.n3()}".encode()).hexdigest()[:16]
        st = URIRef(f"{self.doc}/assertion/{h}")
        self.add((st, RDF.type, RDF.Statement))
        self.add((st, RDF.subject, s))
        self.add((st, RDF.predicate, p))
        self.add((st, RDF.object, o))
        for m in mentions:
            self.add((st, KG.evidence, self.evidence(m)))
        for k, v in extra.items():
            self.add((st, KG[k], v))
        return st

    # -- parts ----------------------------------------------------------------
    def document(self):
        d = self.f["document"]
        self.add((self.doc, RDF.type, KG.Document))
        if d["kind"] in _DOC_CLASS:
            self.add((self.doc, RDF.type, _DOC_CLASS[d["kind"]]))
        self.add((self.doc, DCTERMS.identifier, Literal(d["id"])))
        self.add((self.doc, KG.source, Literal(d["source"])))
        self.add((self.doc, KG.sha256, Literal(d["sha256"])))
        self.add((self.doc, KG.text, Literal(self.text)))
        self.add((self.doc, PROV.wasGeneratedBy, self.run))
        self.add((self.run, RDF.type, PROV.Activity))
        self.add((self.run, SKOS.prefLabel, Literal(f"kgraph {__version__} extraction pipeline")))
        if d.get("title"):
            self.add((self.doc, DCTERMS.title, Literal(d["title"])))
        self.original_file(d)

    def original_file(self, d: dict) -> None:
        """The file the text came from: media type, size, checksum, source URL and page map."""
        if d.get("media_type"):
            self.add((self.doc, DCAT.mediaType, URIRef(f"{_IANA}{d['media_type']}")))
        if d.get("byte_size") is not None:
            self.add((self.doc, DCAT.byteSize, Literal(int(d["byte_size"]), datatype=XSD.integer)))
        if d.get("file_sha256"):
            ck = URIRef(f"{self.doc}/checksum")
            self.add((self.doc, SPDX.checksum, ck))
            self.add((ck, RDF.type, SPDX.Checksum))
            self.add((ck, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
            self.add((ck, SPDX.checksumValue, Literal(d["file_sha256"], datatype=XSD.hexBinary)))
        if d.get("source_url"):
            self.add((self.doc, DCTERMS.source, URIRef(d["source_url"])))
        for pg in d.get("pages") or ():
            node = URIRef(f"{self.doc}/page/{pg['page']}")
            self.add((self.doc, KG.hasPage, node))
            self.add((node, RDF.type, KG.Page))
            self.add((node, KG.page, Literal(int(pg["page"]), datatype=XSD.integer)))
            self.add((node, OA.start, Literal(int(pg["start"]), datatype=XSD.integer)))
            self.add((node, OA.end, Literal(int(pg["end"]), datatype=XSD.integer)))

    def own_decision(self) -> URIRef | None:
        own = next((x for x in self.f["decisions"] if x["role"] in ("records", "proposes")), None)
        return URIRef(own["iri"]) if own else None

    def decisions(self):
        own = self.own_decision()
        for i, d in enumerate(self.f["decisions"]):
            dec = URIRef(d["iri"])
            key = RECORD if dec == own else f"decision[{i}]"
            if not self.own(key):
                continue
            self.add((dec, RDF.type, KG.Decision))
            self.add((dec, DCTERMS.identifier, Literal(d["id"])))
            if self.iris.council:
                self.add((dec, KG.council, URIRef(self.iris.org(self.iris.council))))
            mentions = d.get("mentions", [])
            rel = {"records": KG.records, "proposes": KG.proposes}.get(d["role"], KG.mentionsDecision)
            self.fact(self.doc, rel, dec, mentions)
            ev = d.get("evidence") or {}
            if d.get("number") and self.own(f"decision[{i}].number"):
                self.fact(dec, KG.decisionNumber, Literal(d["number"]), ev.get("number") or mentions)
            if d.get("title") and self.own(f"decision[{i}].title"):
                self.fact(dec, DCTERMS.title, Literal(d["title"]), ev.get("title") or [])
            if d.get("status") and self.own(f"decision[{i}].status"):
                self.fact(dec, KG.status, Literal(d["status"]), ev.get("status") or [])
            if d.get("status_text") and self.own(f"decision[{i}].status"):
                self.fact(dec, KG.statusText, Literal(d["status_text"]), ev.get("status") or [])
            if d.get("date") and self.own(f"decision[{i}].date"):
                self.add((dec, DCTERMS.date, Literal(d["date"], datatype=XSD.date)))
            if d.get("key_decision") is not None and self.own(f"decision[{i}].key_decision"):
                self.fact(dec, KG.keyDecision, Literal(bool(d["key_decision"])), ev.get("key_decision") or [])
            dm = d.get("decision_maker") or {}
            if (dm.get("role") or dm.get("person")) and self.own(f"decision[{i}].decision_maker"):
                if dm.get("role"):
                    self.fact(dec, KG.decisionMakerRole, Literal(dm["role"]), dm.get("mentions", []))
                if dm.get("person"):
                    self.fact(dec, KG.decisionMaker, Literal(dm["person"]), dm.get("mentions", []))
            for j, p in enumerate(d.get("points", [])):
                if not self.own(f"decision[{i}].point[{j}]"):
                    continue
                point = URIRef(f"{dec}/point/{self.f['document']['id']}/{j + 1}")
                self.add((point, RDF.type, KG.DecisionPoint))
                self.fact(point, KG.text, Literal(p["text"]), [p])
                self.add((dec, KG.hasPoint, point))

    def organisations(self):
        dec = self.own_decision()
        for i, o in enumerate(self.f["organisations"]):
            if not self.own(f"organisation[{i}]"):
                continue
            org = URIRef(o["iri"])
            cls = ORG.OrganizationalUnit if o["kind"] in _ORG_UNIT_KINDS else ORG.Organization
            self.add((org, RDF.type, cls))
            self.add((org, SKOS.prefLabel, Literal(o["name"])))
            self.add((org, KG.orgKind, Literal(o["kind"])))
            if o.get("part_of"):
                self.add((org, ORG.subOrganizationOf, URIRef(self.iris.org(o["part_of"]))))
            for sf in o["surface_forms"]:
                if sf != o["name"]:
                    self.add((org, KG.surfaceForm, Literal(sf)))
            for succ in o.get("successors") or []:  # from the register: CCG → ICB, council → unitary
                nxt = URIRef(self.iris.org(succ))
                ev = URIRef(f"{self.iris.base}org-event/{o['id']}/{nxt.rsplit('/', 1)[1]}")
                self.add((ev, RDF.type, ORG.ChangeEvent))
                self.add((ev, ORG.originalOrganization, org))
                self.add((ev, ORG.resultingOrganization, nxt))
                self.add((nxt, RDF.type, ORG.Organization))
                self.add((nxt, SKOS.prefLabel, Literal(succ)))
            self.fact(self.doc, KG.mentionsOrganisation, org, o["mentions"])
            if dec is not None:
                self.fact(dec, KG.namesOrganisation, org, o["mentions"])

    def legislation(self):
        dec = self.own_decision()
        for i, lg in enumerate(self.f["legislation"]):
            if not self.own(f"legislation[{i}]"):
                continue
            if lg.get("iri") or lg["id"]:
                node = URIRef(lg.get("iri") or lg["id"])
                act = URIRef(lg["act_iri"])
                self.add((act, RDF.type, ELI.LegalResource))
                self.add((act, ELI.title, Literal(lg["act"])))
                # an Act the gazetteer does not know has kgraph's own IRI, marked unresolved
                unresolved = lg.get("resolved") is False or not str(act).startswith(LEGISLATION_GOV_UK)
                if unresolved:
                    self.add((act, KG.resolved, Literal(False)))
                if lg["provision"]:
                    self.add((node, RDF.type, ELI.LegalResourceSubdivision))
                    self.add((node, ELI.is_part_of, act))
                    self.add((node, KG.provision, Literal(lg["provision"])))
                    self.add((node, SKOS.prefLabel, Literal(f"{lg['provision']} of the {lg['act']}")))
                    if unresolved:
                        self.add((node, KG.resolved, Literal(False)))
            else:  # a provision whose Act the corpus does not say
                start = lg["mentions"][0]["start"]
                node = URIRef(f"{self.doc}/provision/{start}")
                self.add((node, RDF.type, KG.UnresolvedProvision))
                if lg["provision"]:
                    self.add((node, KG.provision, Literal(lg["provision"])))
            mentions = lg["mentions"]
            extra = {"resolution": Literal(lg["resolution"])}
            self.fact(self.doc, ELI.cites, node, mentions, **extra)
            if dec is not None:
                basis = [m for m in mentions if m.get("relation") == "based_on"]
                if basis:
                    self.fact(dec, ELI.based_on, node, basis, **extra)
                cited = [m for m in mentions if m.get("relation") != "based_on"]
                if cited:
                    self.fact(dec, ELI.cites, node, cited, **extra)

    def _org(self, name: str | None) -> URIRef | None:
        return URIRef(self.iris.org(name)) if name else None

    def amounts(self):
        dec = self.own_decision()
        for i, a in enumerate(self.f["amounts"]):
            if not self.own(f"amount[{i}]"):
                continue
            m = a["mentions"][0]
            node = URIRef(f"{self.doc}/amount/{m['start']}-{m['end']}")
            self.add((node, RDF.type, SCHEMA.MonetaryAmount))
            self.add((node, SCHEMA.value, Literal(a["gbp"], datatype=XSD.integer)))
            self.add((node, SCHEMA.currency, Literal("GBP")))
            self.add((node, KG.role, Literal(a["role"])))
            self.add((node, KG.surfaceText, Literal(a["text"])))
            self.add((node, KG.evidence, self.evidence(m)))
            if a.get("period"):
                self.add((node, KG.period, Literal(a["period"])))
            if a.get("is_total"):
                self.add((node, KG.isTotal, Literal(True)))
            if a.get("table_row"):
                self.add((node, KG.tableRow, Literal(a["table_row"])))
            if a.get("purpose"):
                self.add((node, KG.purpose, Literal(a["purpose"])))
            self.add((self.doc, KG.statesAmount, node))
            if a["role"] != "funding":
                continue
            flow = URIRef(f"{self.doc}/funding/{m['start']}-{m['end']}")
            self.add((flow, RDF.type, KG.FundingFlow))
            self.add((flow, RDF.type, SCHEMA.MonetaryGrant))
            self.add((flow, SCHEMA.amount, node))
            self.add((flow, KG.evidence, self.evidence(m)))
            party_ev = [a["evidence"]] if a.get("evidence") else [m]
            for prop, key in ((SCHEMA.funder, "funder"), (KG.recipient, "recipient"),
                              (KG.intermediary, "intermediary")):
                org = self._org(a.get(key))
                if org is not None:
                    self.add((org, RDF.type, ORG.Organization))
                    self.add((org, SKOS.prefLabel, Literal(a[key])))
                    self.fact(flow, prop, org, party_ev)
            if a.get("period"):
                self.add((flow, KG.period, Literal(a["period"])))
            if a.get("purpose"):
                self.add((flow, KG.purpose, Literal(a["purpose"])))
            if dec is not None:
                self.add((dec, KG.hasFunding, flow))

    def meetings(self):
        dec = self.own_decision()
        for i, mt in enumerate(self.f.get("meetings", [])):
            if not self.own(f"meeting[{i}]"):
                continue
            node = URIRef(mt["iri"])
            self.add((node, RDF.type, KG.Meeting))
            self.fact(node, KG.body, URIRef(self.iris.org(mt["body"])), mt["mentions"])
            self.fact(node, DCTERMS.date, Literal(mt["date"], datatype=XSD.date), mt["mentions"])
            if dec is not None:
                self.fact(dec, KG.consideredAt, node, mt["mentions"])

    def _also(self, st: URIRef, items: Iterable[dict], legacy: str | None = None) -> None:
        """``kg:alsoSupportedBy`` for every other document whose sentence supports a statement."""
        mine = self.f["document"]["id"]
        for a in items:
            if a.get("document") and a["document"] != mine:
                iri = a.get("document_iri") or self.iris.document(a["document"])
                self.add((st, KG.alsoSupportedBy, URIRef(iri)))
        if legacy and legacy != mine:
            self.add((st, KG.alsoSupportedBy, URIRef(self.iris.document(legacy))))

    def links(self):
        for i, ln in enumerate(self.f.get("decision_links", [])):
            if not self.own(f"decision_link[{i}]"):
                continue
            prop = _LINK_PROPERTY[ln["type"]]
            s, o = URIRef(ln["from"]), URIRef(ln["to"])
            ev = ln["evidence"]
            st = self.fact(s, prop, o, [{"start": ev["start"], "end": ev["end"]}],
                           rule=Literal(ln["rule"]),
                           confidence=Literal(Decimal(str(round(float(ln["confidence"]), 3))), datatype=XSD.decimal))
            self.add((st, RDF.type, KG.DecisionLink))
            self._also(st, ln.get("also", []), ln.get("evidence_document"))
            if ln.get("agreement"):
                self.add((st, KG.viaAgreement, URIRef(self.iris.agreement(ln["agreement"]))))
            for key, prop in (("amount", KG.reallocatedAmount), ("source_amount", KG.sourceAmount)):
                amt = ln.get(key)
                if amt:
                    self.add((st, prop, URIRef(f"{self.doc}/amount/{amt['start']}-{amt['end']}")))

    def agreements(self):
        """Agreements and contracts: kind, parties, provider, start date, and the decisions that
        set them up, changed, varied or ended them (reified with rule, confidence, evidence)."""
        for i, a in enumerate(self.f.get("agreements", [])):
            if not self.own(f"agreement[{i}]"):
                continue
            node = URIRef(a["iri"])
            self.add((node, RDF.type, KG.Agreement))
            self.add((node, RDF.type, _AGREEMENT_CLASS.get(a["kind"], KG.Agreement)))
            self.add((node, DCTERMS.identifier, Literal(a["id"])))
            self.add((node, SKOS.prefLabel, Literal(a["label"])))
            if a.get("section"):
                self.add((node, KG.provision, Literal(a["section"])))
            if a.get("service_name"):
                self.add((node, KG.serviceName, Literal(a["service_name"])))
            if a.get("service"):
                self.add((node, SKOS.altLabel, Literal(f"{a['service']} contract")))
            if a.get("mentions"):
                self.fact(self.doc, KG.mentionsAgreement, node, a["mentions"])
            for p in a.get("parties", []):
                if not p.get("iri"):
                    continue
                org = URIRef(p["iri"])
                self.fact(node, KG.party, org, [p["evidence"]])
                if p.get("provider"):
                    self.fact(node, KG.provider, org, [p["evidence"]])
            if a.get("start_date"):
                sd = a["start_date"]
                self.fact(node, KG.startDate, Literal(sd["date"], datatype=XSD.date), [sd["evidence"]])
            for j, r in enumerate(a.get("relations", [])):
                if not self.own(f"agreement[{i}].relation[{j}]"):
                    continue
                ev = r["evidence"]
                st = self.fact(node, KG[r["type"]], URIRef(r["decision"]),
                               [{"start": ev["start"], "end": ev["end"]}], rule=Literal(r["rule"]),
                               confidence=Literal(Decimal(str(round(float(r["confidence"]), 3))),
                                                  datatype=XSD.decimal))
                self.add((st, RDF.type, KG.AgreementLink))
                if r.get("date"):
                    self.add((st, DCTERMS.date, Literal(r["date"], datatype=XSD.date)))
                self._also(st, r.get("also", []))
                if r.get("provision"):
                    self.fact(node, KG.madeUnder, URIRef(r["provision"]), [{"start": ev["start"], "end": ev["end"]}])

    def build(self) -> list[tuple]:
        self.own(RECORD)
        self.document()
        self.decisions()
        self.organisations()
        self.legislation()
        self.amounts()
        self.meetings()
        self.links()
        self.agreements()
        return list(self.triples)


def build_triples(facts: dict, text: str, iris: Iris | None = None,
                  skip: frozenset[str] = frozenset()) -> tuple[list[tuple], Owners]:
    """The document's triples without the facts in ``skip``, and the fact that owns each triple."""
    b = _Builder(facts, text, iris or Iris(), skip)
    return b.build(), b.owners


def to_graph(triples: Iterable[tuple]) -> Graph:
    """An rdflib graph (kgraph's prefixes bound) holding ``triples``."""
    g = new_graph()
    for t in triples:
        g.add(t)
    return g


def to_ntriples(triples: Iterable[tuple]) -> str:
    """Sorted N-Triples lines (a stable text to digest and store), without building a graph.

    >>> to_ntriples([(URIRef("http://x/a"), RDF.type, URIRef("http://x/C"))])
    '<http://x/a> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://x/C> .'
    """
    return "\n".join(sorted(_nt_row(t).rstrip("\n") for t in dict.fromkeys(triples)))


def build_document(facts: dict, text: str, iris: Iris | None = None,
                   skip: frozenset[str] = frozenset()) -> tuple[Graph, Owners]:
    """The document's graph without the facts in ``skip``, and the fact that owns each triple."""
    triples, owners = build_triples(facts, text, iris, skip)
    return to_graph(triples), owners


def document_graph(facts: dict, text: str, iris: Iris | None = None) -> Graph:
    """The RDF graph of one document's facts (to be stored as the document's named graph)."""
    return build_document(facts, text, iris)[0]
