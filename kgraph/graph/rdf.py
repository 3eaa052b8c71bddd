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

The triples are built with every term as its N-Triples text (:mod:`kgraph.graph.nt`), which
is what the build validates and stores; :func:`build_document` and :func:`document_graph`
turn them into an rdflib graph where one is wanted (tests, ``kgraph extract --format ttl``).

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
from itertools import pairwise

from rdflib import RDF, XSD, Graph, Namespace, URIRef

from kgraph import __version__
from kgraph.errors import ValidationError
from kgraph.graph.nt import bad_iris, boolean, integer, iri, literal, n3, term, typed
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



class _Terms:
    """``NS.name`` → the N-Triples text ``<namespace + name>`` (made once per name)."""

    def __init__(self, namespace: str):
        self._ns = namespace

    def __getattr__(self, name: str) -> str:
        if name.startswith("_"):
            raise AttributeError(name)
        t = f"<{self._ns}{name}>"
        setattr(self, name, t)
        return t

    __getitem__ = __getattr__


_K, _E, _O, _S = _Terms(KG), _Terms(ELI), _Terms(OA), _Terms(SCHEMA)
_DCT, _ORG, _PROV, _SKOS = (_Terms(VOCAB_PREFIXES[p]) for p in ("dct", "org", "prov", "skos"))
_SPDX, _DCAT, _R = _Terms(SPDX), _Terms(DCAT), _Terms(str(RDF))
_TYPE = _R.type
_XSD_DATE, _XSD_DECIMAL, _XSD_HEX = str(XSD.date), str(XSD.decimal), str(XSD.hexBinary)

_DOC_CLASS = {"RecordOfDecision": _K.RecordOfDecision, "CommitteeReport": _K.CommitteeReport}
_LINK_TERMS = {
    "proposes": "proposes", "references": "references", "supersedes": "supersedes",
    "amends": "amends", "varies": "varies", "extends": "extends", "followsOn": "followsOn",
    "follows_on": "followsOn", "endsAgreementOf": "endsAgreementOf",
    "ends_agreement_of": "endsAgreementOf", "reallocatesFundingFrom": "reallocatesFundingFrom",
    "reallocates_funding_from": "reallocatesFundingFrom",
}
#: Decision-link types of the extraction JSON → kgraph properties.
_LINK_PROPERTY = {k: KG[v] for k, v in _LINK_TERMS.items()}
_LINK_NT = {k: _K[v] for k, v in _LINK_TERMS.items()}
_ORG_UNIT_KINDS = {"Committee", "Department"}
LEGISLATION_GOV_UK = "http://www.legislation.gov.uk/id/"
_AGREEMENT_CLASS = {"StatutoryAgreement": _K.StatutoryAgreement, "Contract": _K.Contract}


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


class Owners:
    """Which fact added each triple (terms as N-Triples text), worked out when first asked.

    ``of(s, p, o)``: the fact keys that added ``s p o`` in the order added; ``users``: evidence
    and selector node → the facts whose evidence it is.
    """

    def __init__(self, added: list[tuple], marks: list[tuple[int, str]], users: dict[str, set[str]]):
        self._added, self._marks, self.users = added, marks, users
        self._by_sp: dict[tuple[str, str], list[tuple[str, str]]] | None = None

    def _index(self) -> dict[tuple[str, str], list[tuple[str, str]]]:
        if self._by_sp is None:
            self._by_sp = {}
            bounds = [*self._marks, (len(self._added), "")]
            for (i, key), (j, _) in pairwise(bounds):
                for s, p, o in self._added[i:j]:
                    self._by_sp.setdefault((s, p), []).append((o, key))
        return self._by_sp

    def of(self, s: str, p: str | None = None, o: str | None = None) -> list[str]:
        """Fact keys that added triples ``s p o`` (``p`` / ``o`` None: any)."""
        if p is None:
            return [k for (ss, _), vs in self._index().items() if ss == s for _, k in vs]
        return [k for oo, k in self._index().get((s, p), ()) if o is None or oo == o]


class _Builder:
    """Every term is N-Triples text (:mod:`kgraph.graph.nt`): no rdflib object per triple."""

    def __init__(self, facts: dict, text: str, iris: Iris, skip: frozenset[str] = frozenset()):
        self.f = facts
        self.text = text
        publisher = facts["document"].get("publisher")
        if publisher:  # IRIs scoped by the document's own publishing council
            iris = replace(iris, council=publisher["name"])
        self.iris = iris
        self.added: list[tuple[str, str, str]] = []  # every triple as added (repeats too), in order
        self.marks: list[tuple[int, str]] = []  # (index into added, fact key owning what follows)
        self.users: dict[str, set[str]] = {}
        self.evidence_made: set[str] = set()
        self.doc_iri = facts["document"]["iri"]
        self.doc = iri(self.doc_iri)
        self.run = iri(str(run_iri(iris)))
        self.skip = skip
        self.owner = RECORD
        self.add = self.added.append

    def own(self, key: str) -> bool:
        """Make ``key`` the owner of the triples added next; False when it is to be left out."""
        if key != self.owner:
            self.owner = key
            self.marks.append((len(self.added), key))
        return key not in self.skip

    def org(self, name: str) -> str:
        return iri(self.iris.org(name))

    # -- evidence -------------------------------------------------------------
    def evidence(self, m: dict) -> str:
        start, end = int(m["start"]), int(m["end"])
        node = f"{self.doc_iri}/evidence/{start}-{end}"
        ev, sel = f"<{node}>", f"<{node}/selector>"
        for n in (ev, sel):
            users = self.users.get(n)
            if users is None:
                self.users[n] = {self.owner}
            else:
                users.add(self.owner)
        if ev in self.evidence_made:
            return ev
        self.evidence_made.add(ev)
        add = self.add
        add((ev, _O.hasSource, self.doc))
        add((ev, _O.hasSelector, sel))
        add((sel, _TYPE, _O.TextQuoteSelector))
        add((sel, _TYPE, _O.TextPositionSelector))
        add((sel, _O.exact, literal(self.text[start:end])))
        add((sel, _O.start, integer(start)))
        add((sel, _O.end, integer(end)))
        if m.get("page") is not None:
            add((ev, _K.page, integer(int(m["page"]))))
        return ev

    def fact(self, s: str, p: str, o: str, mentions: Iterable[dict], **extra) -> str | None:
        """Assert ``s p o`` and, when there is evidence, an rdf:Statement that points to it."""
        self.add((s, p, o))
        mentions = [m for m in mentions if m]
        if not mentions:
            return None
        h = hashlib.sha1(f"{s[1:-1]}|{p[1:-1]}|{n3(o)}".encode()).hexdigest()[:16]
        st = f"<{self.doc_iri}/assertion/{h}>"
        add = self.add
        add((st, _TYPE, _R.Statement))
        add((st, _R.subject, s))
        add((st, _R.predicate, p))
        add((st, _R.object, o))
        for m in mentions:
            add((st, _K.evidence, self.evidence(m)))
        for k, v in extra.items():
            add((st, _K[k], v))
        return st

    # -- parts ----------------------------------------------------------------
    def document(self):
        d, doc, add = self.f["document"], self.doc, self.add
        add((doc, _TYPE, _K.Document))
        if d["kind"] in _DOC_CLASS:
            add((doc, _TYPE, _DOC_CLASS[d["kind"]]))
        add((doc, _DCT.identifier, literal(d["id"])))
        add((doc, _K.source, literal(d["source"])))
        add((doc, _K.sha256, literal(d["sha256"])))
        add((doc, _K.text, literal(self.text)))
        add((doc, _PROV.wasGeneratedBy, self.run))
        add((self.run, _TYPE, _PROV.Activity))
        add((self.run, _SKOS.prefLabel, literal(f"kgraph {__version__} extraction pipeline")))
        if d.get("title"):
            add((doc, _DCT.title, literal(d["title"])))
        self.original_file(d)

    def original_file(self, d: dict) -> None:
        """The file the text came from: media type, size, checksum, source URL and page map."""
        doc, add = self.doc, self.add
        if d.get("media_type"):
            add((doc, _DCAT.mediaType, iri(f"{_IANA}{d['media_type']}")))
        if d.get("byte_size") is not None:
            add((doc, _DCAT.byteSize, integer(int(d["byte_size"]))))
        if d.get("file_sha256"):
            ck = f"<{self.doc_iri}/checksum>"
            add((doc, _SPDX.checksum, ck))
            add((ck, _TYPE, _SPDX.Checksum))
            add((ck, _SPDX.algorithm, _SPDX.checksumAlgorithm_sha256))
            add((ck, _SPDX.checksumValue, typed(d["file_sha256"], _XSD_HEX)))
        if d.get("source_url"):
            add((doc, _DCT.source, iri(d["source_url"])))
        for pg in d.get("pages") or ():
            node = f"<{self.doc_iri}/page/{pg['page']}>"
            add((doc, _K.hasPage, node))
            add((node, _TYPE, _K.Page))
            add((node, _K.page, integer(int(pg["page"]))))
            add((node, _O.start, integer(int(pg["start"]))))
            add((node, _O.end, integer(int(pg["end"]))))

    def own_decision(self) -> str | None:
        own = next((x for x in self.f["decisions"] if x["role"] in ("records", "proposes")), None)
        return iri(own["iri"]) if own else None

    def decisions(self):
        own, add = self.own_decision(), self.add
        for i, d in enumerate(self.f["decisions"]):
            dec = iri(d["iri"])
            key = RECORD if dec == own else f"decision[{i}]"
            if not self.own(key):
                continue
            add((dec, _TYPE, _K.Decision))
            add((dec, _DCT.identifier, literal(d["id"])))
            if self.iris.council:
                add((dec, _K.council, self.org(self.iris.council)))
            mentions = d.get("mentions", [])
            rel = {"records": _K.records, "proposes": _K.proposes}.get(d["role"], _K.mentionsDecision)
            self.fact(self.doc, rel, dec, mentions)
            ev = d.get("evidence") or {}
            if d.get("number") and self.own(f"decision[{i}].number"):
                self.fact(dec, _K.decisionNumber, literal(d["number"]), ev.get("number") or mentions)
            if d.get("title") and self.own(f"decision[{i}].title"):
                self.fact(dec, _DCT.title, literal(d["title"]), ev.get("title") or [])
            if d.get("status") and self.own(f"decision[{i}].status"):
                self.fact(dec, _K.status, literal(d["status"]), ev.get("status") or [])
            if d.get("status_text") and self.own(f"decision[{i}].status"):
                self.fact(dec, _K.statusText, literal(d["status_text"]), ev.get("status") or [])
            if d.get("date") and self.own(f"decision[{i}].date"):
                add((dec, _DCT.date, typed(d["date"], _XSD_DATE)))
            if d.get("key_decision") is not None and self.own(f"decision[{i}].key_decision"):
                self.fact(dec, _K.keyDecision, boolean(bool(d["key_decision"])), ev.get("key_decision") or [])
            dm = d.get("decision_maker") or {}
            if (dm.get("role") or dm.get("person")) and self.own(f"decision[{i}].decision_maker"):
                if dm.get("role"):
                    self.fact(dec, _K.decisionMakerRole, literal(dm["role"]), dm.get("mentions", []))
                if dm.get("person"):
                    self.fact(dec, _K.decisionMaker, literal(dm["person"]), dm.get("mentions", []))
            for j, p in enumerate(d.get("points", [])):
                if not self.own(f"decision[{i}].point[{j}]"):
                    continue
                point = f"<{d['iri']}/point/{self.f['document']['id']}/{j + 1}>"
                add((point, _TYPE, _K.DecisionPoint))
                self.fact(point, _K.text, literal(p["text"]), [p])
                add((dec, _K.hasPoint, point))

    def organisations(self):
        dec, add = self.own_decision(), self.add
        for i, o in enumerate(self.f["organisations"]):
            if not self.own(f"organisation[{i}]"):
                continue
            org = iri(o["iri"])
            cls = _ORG.OrganizationalUnit if o["kind"] in _ORG_UNIT_KINDS else _ORG.Organization
            add((org, _TYPE, cls))
            add((org, _SKOS.prefLabel, literal(o["name"])))
            add((org, _K.orgKind, literal(o["kind"])))
            if o.get("part_of"):
                add((org, _ORG.subOrganizationOf, self.org(o["part_of"])))
            for sf in o["surface_forms"]:
                if sf != o["name"]:
                    add((org, _K.surfaceForm, literal(sf)))
            for succ in o.get("successors") or []:  # from the register: CCG → ICB, council → unitary
                nxt_iri = self.iris.org(succ)
                nxt = iri(nxt_iri)
                ev = iri(f"{self.iris.base}org-event/{o['id']}/{nxt_iri.rsplit('/', 1)[1]}")
                add((ev, _TYPE, _ORG.ChangeEvent))
                add((ev, _ORG.originalOrganization, org))
                add((ev, _ORG.resultingOrganization, nxt))
                add((nxt, _TYPE, _ORG.Organization))
                add((nxt, _SKOS.prefLabel, literal(succ)))
            self.fact(self.doc, _K.mentionsOrganisation, org, o["mentions"])
            if dec is not None:
                self.fact(dec, _K.namesOrganisation, org, o["mentions"])

    def legislation(self):
        dec, add = self.own_decision(), self.add
        for i, lg in enumerate(self.f["legislation"]):
            if not self.own(f"legislation[{i}]"):
                continue
            if lg.get("iri") or lg["id"]:
                node = iri(lg.get("iri") or lg["id"])
                act = iri(lg["act_iri"])
                add((act, _TYPE, _E.LegalResource))
                add((act, _E.title, literal(lg["act"])))
                # an Act the gazetteer does not know has kgraph's own IRI, marked unresolved
                unresolved = lg.get("resolved") is False or not str(lg["act_iri"]).startswith(LEGISLATION_GOV_UK)
                if unresolved:
                    add((act, _K.resolved, boolean(False)))
                if lg["provision"]:
                    add((node, _TYPE, _E.LegalResourceSubdivision))
                    add((node, _E.is_part_of, act))
                    add((node, _K.provision, literal(lg["provision"])))
                    add((node, _SKOS.prefLabel, literal(f"{lg['provision']} of the {lg['act']}")))
                    if unresolved:
                        add((node, _K.resolved, boolean(False)))
            else:  # a provision whose Act the corpus does not say
                start = lg["mentions"][0]["start"]
                node = f"<{self.doc_iri}/provision/{start}>"
                add((node, _TYPE, _K.UnresolvedProvision))
                if lg["provision"]:
                    add((node, _K.provision, literal(lg["provision"])))
            mentions = lg["mentions"]
            extra = {"resolution": literal(lg["resolution"])}
            self.fact(self.doc, _E.cites, node, mentions, **extra)
            if dec is not None:
                basis = [m for m in mentions if m.get("relation") == "based_on"]
                if basis:
                    self.fact(dec, _E.based_on, node, basis, **extra)
                cited = [m for m in mentions if m.get("relation") != "based_on"]
                if cited:
                    self.fact(dec, _E.cites, node, cited, **extra)

    def _org(self, name: str | None) -> str | None:
        return self.org(name) if name else None

    def amounts(self):
        dec, add = self.own_decision(), self.add
        for i, a in enumerate(self.f["amounts"]):
            if not self.own(f"amount[{i}]"):
                continue
            m = a["mentions"][0]
            node = f"<{self.doc_iri}/amount/{m['start']}-{m['end']}>"
            add((node, _TYPE, _S.MonetaryAmount))
            add((node, _S.value, integer(a["gbp"])))
            add((node, _S.currency, _GBP))
            add((node, _K.role, literal(a["role"])))
            add((node, _K.surfaceText, literal(a["text"])))
            add((node, _K.evidence, self.evidence(m)))
            if a.get("period"):
                add((node, _K.period, literal(a["period"])))
            if a.get("is_total"):
                add((node, _K.isTotal, boolean(True)))
            if a.get("table_row"):
                add((node, _K.tableRow, literal(a["table_row"])))
            if a.get("purpose"):
                add((node, _K.purpose, literal(a["purpose"])))
            add((self.doc, _K.statesAmount, node))
            if a["role"] != "funding":
                continue
            flow = f"<{self.doc_iri}/funding/{m['start']}-{m['end']}>"
            add((flow, _TYPE, _K.FundingFlow))
            add((flow, _TYPE, _S.MonetaryGrant))
            add((flow, _S.amount, node))
            add((flow, _K.evidence, self.evidence(m)))
            party_ev = [a["evidence"]] if a.get("evidence") else [m]
            for prop, key in ((_S.funder, "funder"), (_K.recipient, "recipient"), (_K.intermediary, "intermediary")):
                org = self._org(a.get(key))
                if org is not None:
                    add((org, _TYPE, _ORG.Organization))
                    add((org, _SKOS.prefLabel, literal(a[key])))
                    self.fact(flow, prop, org, party_ev)
            if a.get("period"):
                add((flow, _K.period, literal(a["period"])))
            if a.get("purpose"):
                add((flow, _K.purpose, literal(a["purpose"])))
            if dec is not None:
                add((dec, _K.hasFunding, flow))

    def meetings(self):
        dec, add = self.own_decision(), self.add
        for i, mt in enumerate(self.f.get("meetings", [])):
            if not self.own(f"meeting[{i}]"):
                continue
            node = iri(mt["iri"])
            add((node, _TYPE, _K.Meeting))
            self.fact(node, _K.body, self.org(mt["body"]), mt["mentions"])
            self.fact(node, _DCT.date, typed(mt["date"], _XSD_DATE), mt["mentions"])
            if dec is not None:
                self.fact(dec, _K.consideredAt, node, mt["mentions"])

    def _also(self, st: str, items: Iterable[dict], legacy: str | None = None) -> None:
        """``kg:alsoSupportedBy`` for every other document whose sentence supports a statement."""
        mine = self.f["document"]["id"]
        for a in items:
            if a.get("document") and a["document"] != mine:
                self.add((st, _K.alsoSupportedBy, iri(a.get("document_iri") or self.iris.document(a["document"]))))
        if legacy and legacy != mine:
            self.add((st, _K.alsoSupportedBy, iri(self.iris.document(legacy))))

    @staticmethod
    def _confidence(x) -> str:
        return typed(Decimal(str(round(float(x), 3))), _XSD_DECIMAL)

    def links(self):
        add = self.add
        for i, ln in enumerate(self.f.get("decision_links", [])):
            if not self.own(f"decision_link[{i}]"):
                continue
            prop = _LINK_NT[ln["type"]]
            s, o = iri(ln["from"]), iri(ln["to"])
            ev = ln["evidence"]
            st = self.fact(s, prop, o, [{"start": ev["start"], "end": ev["end"]}],
                           rule=literal(ln["rule"]), confidence=self._confidence(ln["confidence"]))
            add((st, _TYPE, _K.DecisionLink))
            self._also(st, ln.get("also", []), ln.get("evidence_document"))
            if ln.get("agreement"):
                add((st, _K.viaAgreement, iri(self.iris.agreement(ln["agreement"]))))
            for key, p in (("amount", _K.reallocatedAmount), ("source_amount", _K.sourceAmount)):
                amt = ln.get(key)
                if amt:
                    add((st, p, f"<{self.doc_iri}/amount/{amt['start']}-{amt['end']}>"))

    def agreements(self):
        """Agreements and contracts: kind, parties, provider, start date, and the decisions that
        set them up, changed, varied or ended them (reified with rule, confidence, evidence)."""
        add = self.add
        for i, a in enumerate(self.f.get("agreements", [])):
            if not self.own(f"agreement[{i}]"):
                continue
            node = iri(a["iri"])
            add((node, _TYPE, _K.Agreement))
            add((node, _TYPE, _AGREEMENT_CLASS.get(a["kind"], _K.Agreement)))
            add((node, _DCT.identifier, literal(a["id"])))
            add((node, _SKOS.prefLabel, literal(a["label"])))
            if a.get("section"):
                add((node, _K.provision, literal(a["section"])))
            if a.get("service_name"):
                add((node, _K.serviceName, literal(a["service_name"])))
            if a.get("service"):
                add((node, _SKOS.altLabel, literal(f"{a['service']} contract")))
            if a.get("mentions"):
                self.fact(self.doc, _K.mentionsAgreement, node, a["mentions"])
            for p in a.get("parties", []):
                if not p.get("iri"):
                    continue
                org = iri(p["iri"])
                self.fact(node, _K.party, org, [p["evidence"]])
                if p.get("provider"):
                    self.fact(node, _K.provider, org, [p["evidence"]])
            if a.get("start_date"):
                sd = a["start_date"]
                self.fact(node, _K.startDate, typed(sd["date"], _XSD_DATE), [sd["evidence"]])
            for j, r in enumerate(a.get("relations", [])):
                if not self.own(f"agreement[{i}].relation[{j}]"):
                    continue
                ev = r["evidence"]
                st = self.fact(node, _K[r["type"]], iri(r["decision"]), [{"start": ev["start"], "end": ev["end"]}],
                               rule=literal(r["rule"]), confidence=self._confidence(r["confidence"]))
                add((st, _TYPE, _K.AgreementLink))
                if r.get("date"):
                    add((st, _DCT.date, typed(r["date"], _XSD_DATE)))
                self._also(st, r.get("also", []))
                if r.get("provision"):
                    self.fact(node, _K.madeUnder, iri(r["provision"]), [{"start": ev["start"], "end": ev["end"]}])

    def build(self) -> list[tuple[str, str, str]]:
        self.marks.append((0, RECORD))
        self.document()
        self.decisions()
        self.organisations()
        self.legislation()
        self.amounts()
        self.meetings()
        self.links()
        self.agreements()
        return list(dict.fromkeys(self.added))


_GBP = literal("GBP")


def build_triples(facts: dict, text: str, iris: Iris | None = None,
                  skip: frozenset[str] = frozenset()) -> tuple[list[tuple[str, str, str]], Owners]:
    """The document's triples (terms as N-Triples text) without the facts in ``skip``, and the
    fact that owns each triple."""
    b = _Builder(facts, text, iris or Iris(), skip)
    triples = b.build()
    return triples, Owners(b.added, b.marks, b.users)


def to_graph(triples: Iterable[tuple]) -> Graph:
    """An rdflib graph (kgraph's prefixes bound) holding ``triples`` (terms as N-Triples text)."""
    g = new_graph()
    for s, p, o in triples:
        g.add((term(s), term(p), term(o)))
    return g


def to_ntriples(triples: Iterable[tuple[str, str, str]]) -> str:
    """Sorted N-Triples lines (a stable text to digest and store) of triples whose terms are
    N-Triples text already. Raises :class:`ValidationError` (KG187) for an IRI N-Triples cannot hold.

    >>> to_ntriples([(iri("http://x/a"), iri(str(RDF.type)), iri("http://x/C"))])
    '<http://x/a> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://x/C> .'
    """
    triples = list(dict.fromkeys(triples))
    bad = bad_iris({t for triple in triples for t in triple})
    if bad:
        raise ValidationError("KG187", bad[0], "not a valid IRI (N-Triples cannot hold it); the document "
                              "is not stored")
    return "\n".join(sorted([f"{s} {p} {o} ." for s, p, o in triples]))


def build_document(facts: dict, text: str, iris: Iris | None = None,
                   skip: frozenset[str] = frozenset()) -> tuple[Graph, Owners]:
    """The document's graph without the facts in ``skip``, and the fact that owns each triple."""
    triples, owners = build_triples(facts, text, iris, skip)
    return to_graph(triples), owners


def document_graph(facts: dict, text: str, iris: Iris | None = None) -> Graph:
    """The RDF graph of one document's facts (to be stored as the document's named graph)."""
    return build_document(facts, text, iris)[0]
