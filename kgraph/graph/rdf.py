"""Facts (the extraction JSON of one document) to an RDF graph with provenance.

Every fact triple is also described by an ``rdf:Statement`` (IRI derived from the triple)
carrying ``kg:evidence`` links to ``oa:SpecificResource`` nodes whose
``oa:TextQuoteSelector`` and ``oa:TextPositionSelector`` point into the document text.

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

from kgraph import __version__
from kgraph.extract.evidence import quote_context
from kgraph.iris import Iris
from kgraph.vocab import PREFIXES as VOCAB_PREFIXES

KG = Namespace(VOCAB_PREFIXES["kg"])
ELI = Namespace(VOCAB_PREFIXES["eli"])
OA = Namespace(VOCAB_PREFIXES["oa"])
SCHEMA = Namespace(VOCAB_PREFIXES["schema"])

PREFIXES = {p: Namespace(ns) for p, ns in VOCAB_PREFIXES.items()}

_DOC_CLASS = {"RecordOfDecision": KG.RecordOfDecision, "CommitteeReport": KG.CommitteeReport}
_LINK_PROPERTY = {
    "proposes": KG.proposes, "references": KG.references, "supersedes": KG.supersedes,
    "amends": KG.amends, "varies": KG.varies, "followsOn": KG.followsOn,
    "follows_on": KG.followsOn, "endsAgreementOf": KG.endsAgreementOf,
    "ends_agreement_of": KG.endsAgreementOf, "reallocatesFundingFrom": KG.reallocatesFundingFrom,
    "reallocates_funding_from": KG.reallocatesFundingFrom,
}
_ORG_UNIT_KINDS = {"Committee", "Department"}
_AGREEMENT_CLASS = {"StatutoryAgreement": KG.StatutoryAgreement, "Contract": KG.Contract}


def new_graph() -> Graph:
    g = Graph()
    for p, ns in PREFIXES.items():
        g.bind(p, ns)
    return g


def run_iri(iris: Iris) -> URIRef:
    """The pipeline run that generated the graph: stable per kgraph version (idempotent builds)."""
    return URIRef(f"{iris.base}run/kgraph-{__version__}")


class _Builder:
    def __init__(self, facts: dict, text: str, iris: Iris):
        self.f = facts
        self.text = text
        publisher = facts["document"].get("publisher")
        if publisher:  # IRIs scoped by the document's own publishing council
            iris = replace(iris, council=publisher["name"])
        self.iris = iris
        self.g = new_graph()
        self.doc = URIRef(facts["document"]["iri"])
        self.run = run_iri(iris)

    # -- evidence -------------------------------------------------------------
    def evidence(self, m: dict) -> URIRef:
        start, end = int(m["start"]), int(m["end"])
        ev = URIRef(f"{self.doc}/evidence/{start}-{end}")
        if (ev, RDF.type, OA.SpecificResource) in self.g:
            return ev
        g = self.g
        g.add((ev, RDF.type, OA.SpecificResource))
        g.add((ev, OA.hasSource, self.doc))
        q, p = URIRef(f"{ev}/quote"), URIRef(f"{ev}/position")
        prefix, suffix = quote_context(self.text, start, end)
        g.add((ev, OA.hasSelector, q))
        g.add((q, RDF.type, OA.TextQuoteSelector))
        g.add((q, OA.exact, Literal(self.text[start:end])))
        g.add((q, OA.prefix, Literal(prefix)))
        g.add((q, OA.suffix, Literal(suffix)))
        g.add((ev, OA.hasSelector, p))
        g.add((p, RDF.type, OA.TextPositionSelector))
        g.add((p, OA.start, Literal(start, datatype=XSD.integer)))
        g.add((p, OA.end, Literal(end, datatype=XSD.integer)))
        return ev

    def fact(self, s, p, o, mentions: Iterable[dict], **extra) -> URIRef | None:
        """Assert ``s p o`` and, when there is evidence, an rdf:Statement that points to it."""
        self.g.add((s, p, o))
        mentions = [m for m in mentions if m]
        if not mentions:
            return None
        h = hashlib.sha1(f"{s}|{p}|{o.n3()}".encode()).hexdigest()[:16]
        st = URIRef(f"{self.doc}/assertion/{h}")
        g = self.g
        g.add((st, RDF.type, RDF.Statement))
        g.add((st, RDF.subject, s))
        g.add((st, RDF.predicate, p))
        g.add((st, RDF.object, o))
        g.add((st, PROV.wasDerivedFrom, self.doc))
        for m in mentions:
            g.add((st, KG.evidence, self.evidence(m)))
        for k, v in extra.items():
            g.add((st, KG[k], v))
        return st

    # -- parts ----------------------------------------------------------------
    def document(self):
        d = self.f["document"]
        g = self.g
        g.add((self.doc, RDF.type, KG.Document))
        if d["kind"] in _DOC_CLASS:
            g.add((self.doc, RDF.type, _DOC_CLASS[d["kind"]]))
        g.add((self.doc, DCTERMS.identifier, Literal(d["id"])))
        g.add((self.doc, KG.source, Literal(d["source"])))
        g.add((self.doc, KG.sha256, Literal(d["sha256"])))
        g.add((self.doc, KG.text, Literal(self.text)))
        g.add((self.doc, PROV.wasGeneratedBy, self.run))
        g.add((self.run, RDF.type, PROV.Activity))
        g.add((self.run, SKOS.prefLabel, Literal(f"kgraph {__version__} extraction pipeline")))
        if d.get("title"):
            g.add((self.doc, DCTERMS.title, Literal(d["title"])))

    def own_decision(self) -> URIRef | None:
        own = next((x for x in self.f["decisions"] if x["role"] in ("records", "proposes")), None)
        return URIRef(own["iri"]) if own else None

    def decisions(self):
        g = self.g
        for d in self.f["decisions"]:
            dec = URIRef(d["iri"])
            g.add((dec, RDF.type, KG.Decision))
            g.add((dec, DCTERMS.identifier, Literal(d["id"])))
            if self.iris.council:
                g.add((dec, KG.council, URIRef(self.iris.org(self.iris.council))))
            mentions = d.get("mentions", [])
            ev = d.get("evidence") or {}
            if d.get("number"):
                self.fact(dec, KG.decisionNumber, Literal(d["number"]), ev.get("number") or mentions)
            if d.get("title"):
                self.fact(dec, DCTERMS.title, Literal(d["title"]), ev.get("title") or [])
            if d.get("status"):
                self.fact(dec, KG.status, Literal(d["status"]), ev.get("status") or [])
            if d.get("date"):
                g.add((dec, DCTERMS.date, Literal(d["date"], datatype=XSD.date)))
            if d.get("key_decision") is not None:
                self.fact(dec, KG.keyDecision, Literal(bool(d["key_decision"])), ev.get("key_decision") or [])
            dm = d.get("decision_maker") or {}
            if dm.get("role"):
                self.fact(dec, KG.decisionMakerRole, Literal(dm["role"]), dm.get("mentions", []))
            if dm.get("person"):
                self.fact(dec, KG.decisionMaker, Literal(dm["person"]), dm.get("mentions", []))
            for i, p in enumerate(d.get("points", [])):
                point = URIRef(f"{dec}/point/{self.f['document']['id']}/{i + 1}")
                g.add((point, RDF.type, KG.DecisionPoint))
                self.fact(point, KG.text, Literal(p["text"]), [p])
                g.add((dec, KG.hasPoint, point))
            rel = {"records": KG.records, "proposes": KG.proposes}.get(d["role"])
            if rel is not None:
                self.fact(self.doc, rel, dec, mentions)
            else:
                self.fact(self.doc, KG.mentionsDecision, dec, mentions)

    def organisations(self):
        g = self.g
        dec = self.own_decision()
        for o in self.f["organisations"]:
            org = URIRef(o["iri"])
            cls = ORG.OrganizationalUnit if o["kind"] in _ORG_UNIT_KINDS else ORG.Organization
            g.add((org, RDF.type, cls))
            g.add((org, SKOS.prefLabel, Literal(o["name"])))
            g.add((org, KG.orgKind, Literal(o["kind"])))
            if o.get("part_of"):
                g.add((org, ORG.subOrganizationOf, URIRef(self.iris.org(o["part_of"]))))
            for sf in o["surface_forms"]:
                if sf != o["name"]:
                    g.add((org, KG.surfaceForm, Literal(sf)))
            self.fact(self.doc, KG.mentionsOrganisation, org, o["mentions"])
            if dec is not None:
                self.fact(dec, KG.namesOrganisation, org, o["mentions"])

    def legislation(self):
        g = self.g
        dec = self.own_decision()
        for lg in self.f["legislation"]:
            if lg.get("iri") or lg["id"]:
                node = URIRef(lg.get("iri") or lg["id"])
                act = URIRef(lg["act_iri"])
                g.add((act, RDF.type, ELI.LegalResource))
                g.add((act, ELI.title, Literal(lg["act"])))
                if lg.get("resolved") is False:  # not in the gazetteer: no legislation.gov.uk id
                    g.add((act, KG.resolved, Literal(False)))
                if lg["provision"]:
                    g.add((node, RDF.type, ELI.LegalResourceSubdivision))
                    g.add((node, ELI.is_part_of, act))
                    g.add((node, KG.provision, Literal(lg["provision"])))
                    g.add((node, SKOS.prefLabel, Literal(f"{lg['provision']} of the {lg['act']}")))
            else:  # a provision whose Act the corpus does not say
                start = lg["mentions"][0]["start"]
                node = URIRef(f"{self.doc}/provision/{start}")
                g.add((node, RDF.type, KG.UnresolvedProvision))
                if lg["provision"]:
                    g.add((node, KG.provision, Literal(lg["provision"])))
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
        g = self.g
        dec = self.own_decision()
        for a in self.f["amounts"]:
            m = a["mentions"][0]
            node = URIRef(f"{self.doc}/amount/{m['start']}-{m['end']}")
            g.add((node, RDF.type, SCHEMA.MonetaryAmount))
            g.add((node, SCHEMA.value, Literal(a["gbp"], datatype=XSD.integer)))
            g.add((node, SCHEMA.currency, Literal("GBP")))
            g.add((node, KG.role, Literal(a["role"])))
            g.add((node, KG.surfaceText, Literal(a["text"])))
            g.add((node, KG.evidence, self.evidence(m)))
            if a.get("period"):
                g.add((node, KG.period, Literal(a["period"])))
            if a.get("is_total"):
                g.add((node, KG.isTotal, Literal(True)))
            if a.get("table_row"):
                g.add((node, KG.tableRow, Literal(a["table_row"])))
            if a.get("purpose"):
                g.add((node, KG.purpose, Literal(a["purpose"])))
            g.add((self.doc, KG.statesAmount, node))
            if a["role"] != "funding":
                continue
            flow = URIRef(f"{self.doc}/funding/{m['start']}-{m['end']}")
            g.add((flow, RDF.type, KG.FundingFlow))
            g.add((flow, RDF.type, SCHEMA.MonetaryGrant))
            g.add((flow, SCHEMA.amount, node))
            g.add((flow, KG.evidence, self.evidence(m)))
            party_ev = [a["evidence"]] if a.get("evidence") else [m]
            for prop, key in ((SCHEMA.funder, "funder"), (KG.recipient, "recipient"),
                              (KG.intermediary, "intermediary")):
                org = self._org(a.get(key))
                if org is not None:
                    g.add((org, RDF.type, ORG.Organization))
                    g.add((org, SKOS.prefLabel, Literal(a[key])))
                    self.fact(flow, prop, org, party_ev)
            if a.get("period"):
                g.add((flow, KG.period, Literal(a["period"])))
            if a.get("purpose"):
                g.add((flow, KG.purpose, Literal(a["purpose"])))
            if dec is not None:
                g.add((dec, KG.hasFunding, flow))

    def meetings(self):
        g = self.g
        dec = self.own_decision()
        for mt in self.f.get("meetings", []):
            node = URIRef(mt["iri"])
            g.add((node, RDF.type, KG.Meeting))
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
                self.g.add((st, KG.alsoSupportedBy, URIRef(iri)))
        if legacy and legacy != mine:
            self.g.add((st, KG.alsoSupportedBy, URIRef(self.iris.document(legacy))))

    def links(self):
        g = self.g
        for ln in self.f.get("decision_links", []):
            prop = _LINK_PROPERTY[ln["type"]]
            s, o = URIRef(ln["from"]), URIRef(ln["to"])
            ev = ln["evidence"]
            st = self.fact(s, prop, o, [{"start": ev["start"], "end": ev["end"]}],
                           rule=Literal(ln["rule"]),
                           confidence=Literal(Decimal(str(round(float(ln["confidence"]), 3))), datatype=XSD.decimal))
            g.add((st, RDF.type, KG.DecisionLink))
            self._also(st, ln.get("also", []), ln.get("evidence_document"))
            if ln.get("agreement"):
                g.add((st, KG.viaAgreement, URIRef(self.iris.agreement(ln["agreement"]))))
            for key, prop in (("amount", KG.reallocatedAmount), ("source_amount", KG.sourceAmount)):
                amt = ln.get(key)
                if amt:
                    g.add((st, prop, URIRef(f"{self.doc}/amount/{amt['start']}-{amt['end']}")))

    def agreements(self):
        """Agreements and contracts: kind, parties, provider, start date, and the decisions that
        set them up, changed, varied or ended them (reified with rule, confidence, evidence)."""
        g = self.g
        for a in self.f.get("agreements", []):
            node = URIRef(a["iri"])
            g.add((node, RDF.type, KG.Agreement))
            g.add((node, RDF.type, _AGREEMENT_CLASS.get(a["kind"], KG.Agreement)))
            g.add((node, DCTERMS.identifier, Literal(a["id"])))
            g.add((node, SKOS.prefLabel, Literal(a["label"])))
            if a.get("section"):
                g.add((node, KG.provision, Literal(a["section"])))
            if a.get("service_name"):
                g.add((node, KG.serviceName, Literal(a["service_name"])))
            if a.get("service"):
                g.add((node, SKOS.altLabel, Literal(f"{a['service']} contract")))
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
            for r in a.get("relations", []):
                ev = r["evidence"]
                st = self.fact(node, KG[r["type"]], URIRef(r["decision"]),
                               [{"start": ev["start"], "end": ev["end"]}], rule=Literal(r["rule"]),
                               confidence=Literal(Decimal(str(round(float(r["confidence"]), 3))),
                                                  datatype=XSD.decimal))
                g.add((st, RDF.type, KG.AgreementLink))
                if r.get("date"):
                    g.add((st, DCTERMS.date, Literal(r["date"], datatype=XSD.date)))
                self._also(st, r.get("also", []))
                if r.get("provision"):
                    self.fact(node, KG.madeUnder, URIRef(r["provision"]), [{"start": ev["start"], "end": ev["end"]}])

    def build(self) -> Graph:
        self.document()
        self.decisions()
        self.organisations()
        self.legislation()
        self.amounts()
        self.meetings()
        self.links()
        self.agreements()
        return self.g


def document_graph(facts: dict, text: str, iris: Iris | None = None) -> Graph:
    """The RDF graph of one document's facts (to be stored as the document's named graph)."""
    return _Builder(facts, text, iris or Iris()).build()
