"""kgraph.graph.rdf: hand-written facts (the extraction JSON of README) to a graph with evidence."""

from __future__ import annotations

import hashlib

import pytest
from rdflib import RDF, BNode, Literal, URIRef
from rdflib import namespace as ns
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, ORG, PROV, SKOS

from kgraph.graph.rdf import ELI, KG, OA, SCHEMA, document_graph
from kgraph.graph.validate import validate_graph
from kgraph.iris import Iris

TEXT = (
    "KENT COUNTY COUNCIL – RECORD OF DECISION\n"
    "Decision No: 19/00076\n"
    "Subject: Children’s Mental Health Services\n"
    "Key decision: Yes\n"
    "Decision: I agree to give notice to NELFT. This follows on from 18/00071.\n"
    "Legal: The Council relies on section 22 of the Children Act 1989; section 22 also sets duties.\n"
    "Exempt under schedule 12A of the Local Government Act 1972. The Section 99 applies.\n"
    "KCC will pay £2.65m a year to NELFT via the ICB.\n"
    "The key decision threshold is £1,000,000.\n"
    "Considered by the CYPE Cabinet Committee on 15 November 2019.\n"
)
SHA = hashlib.sha256(TEXT.encode()).hexdigest()
IDS = Iris(council="Kent County Council")
DOC_IRI = IDS.document(SHA)
DEC_IRI = IDS.decision("19/00076")
KCC, NELFT = "Kent County Council", "North East London NHS Foundation Trust"
ICB = "NHS Kent and Medway Integrated Care Board"
COMMITTEE = "Children's, Young People and Education Cabinet Committee"
S22 = "http://www.legislation.gov.uk/id/ukpga/1989/41/section/22"
SCH12A = "http://www.legislation.gov.uk/id/ukpga/1972/70/schedule/12A"


def mention(needle: str, nth: int = 0, **extra) -> dict:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(needle, start + 1)
    return {"text": needle, "start": start, "end": start + len(needle), **extra}


def org(name: str, kind: str, *surface: str, part_of: str | None = None) -> dict:
    return {"id": IDS.org(name).rsplit("/", 1)[1], "iri": IDS.org(name), "name": name, "kind": kind,
            "part_of": part_of, "source": "gazetteer", "surface_forms": list(surface),
            "mentions": [mention(s) for s in surface]}


def make_facts() -> dict:
    sentence = "KCC will pay £2.65m a year to NELFT via the ICB."
    return {
        "document": {"id": SHA[:16], "iri": DOC_IRI, "source": "rod.txt", "kind": "RecordOfDecision",
                     "sha256": SHA, "title": "Children’s Mental Health Services"},
        "decisions": [
            {"id": "19-00076", "iri": DEC_IRI, "number": "19/00076",
             "title": "Children’s Mental Health Services", "status": "taken", "date": "2019-11-15",
             "year": 2019, "decision_maker": {"person": "Sue Chandler", "role": "Cabinet Member",
                                              "mentions": []},
             "key_decision": True, "role": "records",
             "points": [mention("I agree to give notice to NELFT.")],
             "mentions": [mention("19/00076")],
             "evidence": {"number": [mention("19/00076")], "title": [mention("Children’s Mental Health Services")],
                          "status": [], "key_decision": [mention("Key decision: Yes")]}},
            {"id": "18-00071", "iri": IDS.decision("18/00071"), "number": "18/00071",
             "title": "Earlier decision", "status": None, "date": None, "year": None,
             "decision_maker": {"person": None, "role": None, "mentions": []}, "key_decision": None,
             "role": "references", "points": [], "mentions": [mention("18/00071")]},
        ],
        "organisations": [
            org(KCC, "LocalAuthority", "KENT COUNTY COUNCIL", "KCC"),
            org(NELFT, "NHSTrust", "NELFT"),
            org(COMMITTEE, "Committee", "CYPE Cabinet Committee", part_of=KCC),
        ],
        "legislation": [
            {"id": S22, "act": "Children Act 1989", "act_iri": "http://www.legislation.gov.uk/id/ukpga/1989/41",
             "year": 1989, "provision": "section 22", "relation": "based_on", "resolution": "explicit",
             "mentions": [mention("section 22", relation="based_on", resolution="explicit", section="legal_implications"),
                          mention("section 22", 1, relation="cites", resolution="explicit", section="legal_implications")]},
            {"id": SCH12A, "act": "Local Government Act 1972",
             "act_iri": "http://www.legislation.gov.uk/id/ukpga/1972/70", "year": 1972,
             "provision": "schedule 12A", "relation": "cites", "resolution": "explicit",
             "mentions": [mention("schedule 12A", relation="cites", resolution="explicit", section="publication")]},
            {"id": None, "act": None, "act_iri": None, "year": None, "provision": "section 99",
             "relation": "cites", "resolution": "unresolved",
             "mentions": [mention("Section 99", relation="cites", resolution="unresolved", section="other")]},
        ],
        "amounts": [
            {"gbp": 2_650_000, "text": "£2.65m", "role": "funding", "period": "annual", "period_source": None,
             "funder": KCC, "recipient": NELFT, "intermediary": ICB, "purpose": "mental health services",
             "is_total": False, "table_row": None, "evidence": mention(sentence), "mentions": [mention("£2.65m")]},
            {"gbp": 1_000_000, "text": "£1,000,000", "role": "threshold", "period": None, "period_source": None,
             "funder": None, "recipient": None, "intermediary": None, "purpose": None, "is_total": False,
             "table_row": None, "evidence": None, "mentions": [mention("£1,000,000")]},
        ],
        "meetings": [{"iri": IDS.meeting(COMMITTEE, "2019-11-15"), "body": COMMITTEE, "date": "2019-11-15",
                      "mentions": [mention("15 November 2019")]}],
        "decision_links": [],
    }


@pytest.fixture(scope="module")
def graph():
    return document_graph(make_facts(), TEXT, IDS)


def one(graph, s, p):
    values = list(graph.objects(s, p))
    assert len(values) == 1, (s, p, values)
    return values[0]


def statements(graph, s=None, p=None, o=None):
    return [st for st in graph.subjects(RDF.type, RDF.Statement)
            if (s is None or (st, RDF.subject, s) in graph)
            and (p is None or (st, RDF.predicate, p) in graph)
            and (o is None or (st, RDF.object, o) in graph)]


# ------------------------------------------------------------------ document and decision


def test_document_is_typed_and_described(graph):
    doc = URIRef(DOC_IRI)
    assert (doc, RDF.type, KG.Document) in graph
    assert (doc, RDF.type, KG.RecordOfDecision) in graph
    assert one(graph, doc, KG.sha256) == Literal(SHA)
    assert one(graph, doc, KG.source) == Literal("rod.txt")
    assert one(graph, doc, KG.text) == Literal(TEXT)
    assert one(graph, doc, DCTERMS.identifier) == Literal(SHA[:16])
    assert (one(graph, doc, PROV.wasGeneratedBy), RDF.type, PROV.Activity) in graph


@pytest.mark.parametrize("kind,cls", [("CommitteeReport", KG.CommitteeReport), ("Other", None)])
def test_document_class_follows_kind(kind, cls):
    facts = make_facts()
    facts["document"]["kind"] = kind
    types = set(document_graph(facts, TEXT).objects(URIRef(DOC_IRI), RDF.type))
    assert KG.Document in types
    assert KG.RecordOfDecision not in types
    assert (cls in types) if cls else types == {KG.Document}


def test_decision_fields(graph):
    dec = URIRef(DEC_IRI)
    assert (dec, RDF.type, KG.Decision) in graph
    assert one(graph, dec, KG.decisionNumber) == Literal("19/00076")
    assert one(graph, dec, DCTERMS.title) == Literal("Children’s Mental Health Services")
    assert one(graph, dec, KG.status) == Literal("taken")
    kd = one(graph, dec, KG.keyDecision)
    assert kd.datatype == ns.XSD.boolean and kd.toPython() is True
    assert one(graph, dec, DCTERMS.date) == Literal("2019-11-15", datatype=ns.XSD.date)
    assert one(graph, dec, KG.council) == URIRef(IDS.org(KCC))
    assert one(graph, dec, KG.decisionMaker) == Literal("Sue Chandler")
    assert (URIRef(DOC_IRI), KG.records, dec) in graph
    point = one(graph, dec, KG.hasPoint)
    assert one(graph, point, KG.text) == Literal("I agree to give notice to NELFT.")


def test_referenced_decision_is_mentioned_not_recorded(graph):
    ref = URIRef(IDS.decision("18/00071"))
    assert (URIRef(DOC_IRI), KG.mentionsDecision, ref) in graph
    assert (URIRef(DOC_IRI), KG.records, ref) not in graph
    assert (ref, KG.status, None) not in graph


def test_key_decision_false_is_stated():
    facts = make_facts()
    facts["decisions"][0]["key_decision"] = False
    g = document_graph(facts, TEXT)
    assert one(g, URIRef(DEC_IRI), KG.keyDecision).toPython() is False


def test_report_proposes_its_decision():
    facts = make_facts()
    facts["document"]["kind"] = "CommitteeReport"
    facts["decisions"][0].update(role="proposes", status="proposed")
    g = document_graph(facts, TEXT)
    assert (URIRef(DOC_IRI), KG.proposes, URIRef(DEC_IRI)) in g
    assert (URIRef(DOC_IRI), KG.records, URIRef(DEC_IRI)) not in g


# ------------------------------------------------------------------ evidence


def test_every_statement_has_evidence_that_quotes_the_text(graph):
    sts = list(graph.subjects(RDF.type, RDF.Statement))
    assert len(sts) > 10
    for st in sts:
        # the statement is in the document's graph; its evidence names the document (below)
        s, p, o = (one(graph, st, x) for x in (RDF.subject, RDF.predicate, RDF.object))
        assert (s, p, o) in graph, "the statement describes an asserted triple"
        evidence = list(graph.objects(st, KG.evidence))
        assert evidence, st
        for ev in evidence:
            check_evidence(graph, ev)


def check_evidence(graph, ev):
    assert one(graph, ev, OA.hasSource) == URIRef(DOC_IRI)
    selectors = list(graph.objects(ev, OA.hasSelector))
    quote = next(x for x in selectors if (x, RDF.type, OA.TextQuoteSelector) in graph)
    pos = next(x for x in selectors if (x, RDF.type, OA.TextPositionSelector) in graph)
    start, end = one(graph, pos, OA.start), one(graph, pos, OA.end)
    assert start.datatype == ns.XSD.integer and end.datatype == ns.XSD.integer
    start, end = start.toPython(), end.toPython()
    assert 0 <= start < end <= len(TEXT)
    exact = str(one(graph, quote, OA.exact))
    assert exact == TEXT[start:end]
    # compact: one selector, and nothing the ontology (the range of kg:evidence) or the document
    # text and offsets (a quote's context) already give
    assert quote == pos
    assert sorted(p for p, _ in graph.predicate_objects(ev) if p != KG.page) == [OA.hasSelector, OA.hasSource]
    assert len(list(graph.predicate_objects(quote))) == 5


def test_decision_number_evidence_points_at_the_number(graph):
    [st] = statements(graph, URIRef(DEC_IRI), KG.decisionNumber)
    [ev] = graph.objects(st, KG.evidence)
    quote = next(x for x in graph.objects(ev, OA.hasSelector) if (x, OA.exact, None) in graph)
    assert str(one(graph, quote, OA.exact)) == "19/00076"


def test_amount_and_flow_evidence(graph):
    for node in list(graph.subjects(RDF.type, SCHEMA.MonetaryAmount)) + list(graph.subjects(RDF.type, KG.FundingFlow)):
        for ev in graph.objects(node, KG.evidence):
            check_evidence(graph, ev)


# ------------------------------------------------------------------ legislation


def test_based_on_and_cites_on_the_decision(graph):
    dec, s22, sch = URIRef(DEC_IRI), URIRef(S22), URIRef(SCH12A)
    assert (dec, ELI.based_on, s22) in graph
    assert (dec, ELI.based_on, sch) not in graph
    assert (dec, ELI.cites, sch) in graph
    # the one mention of s22 that is not a basis is still a citation
    assert (dec, ELI.cites, s22) in graph
    [basis] = statements(graph, dec, ELI.based_on, s22)
    [ev] = graph.objects(basis, KG.evidence)
    assert str(ev).endswith(f"/evidence/{mention('section 22')['start']}-{mention('section 22')['end']}")
    assert one(graph, basis, KG.resolution) == Literal("explicit")


def test_document_cites_every_provision(graph):
    doc = URIRef(DOC_IRI)
    for node in (URIRef(S22), URIRef(SCH12A)):
        assert (doc, ELI.cites, node) in graph
    assert (doc, ELI.based_on, None) not in graph


def test_provision_and_act_nodes(graph):
    s22, act = URIRef(S22), URIRef("http://www.legislation.gov.uk/id/ukpga/1989/41")
    assert (s22, RDF.type, ELI.LegalResourceSubdivision) in graph
    assert one(graph, s22, ELI.is_part_of) == act
    assert one(graph, s22, KG.provision) == Literal("section 22")
    assert (act, RDF.type, ELI.LegalResource) in graph
    assert one(graph, act, ELI.title) == Literal("Children Act 1989")


def test_unresolved_provision_node(graph):
    start = mention("Section 99")["start"]
    node = URIRef(f"{DOC_IRI}/provision/{start}")
    assert (node, RDF.type, KG.UnresolvedProvision) in graph
    assert one(graph, node, KG.provision) == Literal("section 99")
    assert (URIRef(DOC_IRI), ELI.cites, node) in graph
    [st] = statements(graph, URIRef(DOC_IRI), ELI.cites, node)
    assert one(graph, st, KG.resolution) == Literal("unresolved")


# ------------------------------------------------------------------ money


def test_amounts_are_monetary_amounts_with_integer_values(graph):
    amounts = {one(graph, a, SCHEMA.value).toPython(): a for a in graph.subjects(RDF.type, SCHEMA.MonetaryAmount)}
    assert set(amounts) == {2_650_000, 1_000_000}
    for value, node in amounts.items():
        lit = one(graph, node, SCHEMA.value)
        assert lit.datatype == ns.XSD.integer and lit.toPython() == value and isinstance(value, int)
        assert one(graph, node, SCHEMA.currency) == Literal("GBP")
        assert (URIRef(DOC_IRI), KG.statesAmount, node) in graph
    assert one(graph, amounts[1_000_000], KG.role) == Literal("threshold")
    assert one(graph, amounts[2_650_000], KG.period) == Literal("annual")
    assert one(graph, amounts[2_650_000], KG.surfaceText) == Literal("£2.65m")


def test_funding_flow_with_parties(graph):
    [flow] = graph.subjects(RDF.type, KG.FundingFlow)
    assert (flow, RDF.type, SCHEMA.MonetaryGrant) in graph
    assert one(graph, one(graph, flow, SCHEMA.amount), SCHEMA.value).toPython() == 2_650_000
    assert one(graph, flow, SCHEMA.funder) == URIRef(IDS.org(KCC))
    assert one(graph, flow, KG.recipient) == URIRef(IDS.org(NELFT))
    assert one(graph, flow, KG.intermediary) == URIRef(IDS.org(ICB))
    assert one(graph, URIRef(IDS.org(ICB)), SKOS.prefLabel) == Literal(ICB)
    assert one(graph, flow, KG.period) == Literal("annual")
    assert (URIRef(DEC_IRI), KG.hasFunding, flow) in graph
    # the parties rest on the whole sentence, not just the figure
    [st] = statements(graph, flow, SCHEMA.funder)
    [ev] = graph.objects(st, KG.evidence)
    quote = next(x for x in graph.objects(ev, OA.hasSelector) if (x, OA.exact, None) in graph)
    assert str(one(graph, quote, OA.exact)) == "KCC will pay £2.65m a year to NELFT via the ICB."


def test_threshold_is_not_a_funding_flow(graph):
    flows = list(graph.subjects(RDF.type, KG.FundingFlow))
    assert len(flows) == 1
    assert all(one(graph, one(graph, f, SCHEMA.amount), SCHEMA.value).toPython() != 1_000_000 for f in flows)


# ------------------------------------------------------------------ organisations and meetings


def test_organisations(graph):
    kcc, committee = URIRef(IDS.org(KCC)), URIRef(IDS.org(COMMITTEE))
    assert (kcc, RDF.type, ORG.Organization) in graph
    assert (committee, RDF.type, ORG.OrganizationalUnit) in graph
    assert one(graph, committee, ORG.subOrganizationOf) == kcc
    assert set(graph.objects(kcc, KG.surfaceForm)) == {Literal("KENT COUNTY COUNCIL"), Literal("KCC")}
    assert (URIRef(DOC_IRI), KG.mentionsOrganisation, kcc) in graph
    assert (URIRef(DEC_IRI), KG.namesOrganisation, kcc) in graph


def test_meeting(graph):
    node = URIRef(IDS.meeting(COMMITTEE, "2019-11-15"))
    assert (node, RDF.type, KG.Meeting) in graph
    assert one(graph, node, KG.body) == URIRef(IDS.org(COMMITTEE))
    assert one(graph, node, DCTERMS.date) == Literal("2019-11-15", datatype=ns.XSD.date)
    assert (URIRef(DEC_IRI), KG.consideredAt, node) in graph


# ------------------------------------------------------------------ validity and determinism


def test_graph_validates(graph):
    validate_graph(graph, "rod.txt")


def test_same_facts_give_the_same_graph_twice():
    a, b = document_graph(make_facts(), TEXT), document_graph(make_facts(), TEXT)
    assert len(a) == len(b) > 0
    assert isomorphic(a, b)
    assert set(a) == set(b)  # identical triples, not only up to blank-node renaming


def test_no_blank_nodes(graph):
    assert not any(isinstance(term, BNode) for triple in graph for term in triple)


def test_base_iri_setting_is_used_for_council_and_run():
    ids = Iris(base="https://example.org/id/", council="Medway Council")
    g = document_graph(make_facts(), TEXT, ids)
    assert one(g, URIRef(DEC_IRI), KG.council) == URIRef("https://example.org/id/org/medway-council")
    assert str(one(g, URIRef(DOC_IRI), PROV.wasGeneratedBy)).startswith("https://example.org/id/run/")


def test_an_act_the_gazetteer_does_not_hold_is_marked_not_resolved():
    facts = make_facts()
    act_iri = "https://w3id.org/kgraph/id/legislation/harbours-act-1964"
    facts["legislation"].append(
        {"id": None, "iri": f"{act_iri}/section/22", "act": "Harbours Act 1964", "act_iri": act_iri,
         "resolved": False, "act_named_in_text": True, "year": 1964, "provision": "section 22",
         "relation": "cites", "resolution": "explicit",
         "mentions": [mention("section 22", relation="cites", resolution="explicit", section="legal_implications")]})
    g = document_graph(facts, TEXT)
    act = URIRef(act_iri)
    assert one(g, act, KG.resolved) == Literal(False)
    assert one(g, URIRef(f"{act_iri}/section/22"), ELI.is_part_of) == act
    assert (URIRef(S22.rsplit("/section", 1)[0]), KG.resolved, None) not in g  # listed Acts carry no flag


def test_register_successions_become_org_change_events():
    facts = make_facts()
    facts["organisations"][0] = {**facts["organisations"][0], "successors": ["Ambridge Unitary Council"]}
    g = document_graph(facts, TEXT, IDS)
    org = URIRef(facts["organisations"][0]["iri"])
    nxt = URIRef(IDS.org("Ambridge Unitary Council"))
    events = set(g.subjects(ORG.originalOrganization, org))
    assert len(events) == 1
    ev = events.pop()
    assert (ev, RDF.type, ORG.ChangeEvent) in g and (ev, ORG.resultingOrganization, nxt) in g
    assert one(g, nxt, SKOS.prefLabel) == Literal("Ambridge Unitary Council")
