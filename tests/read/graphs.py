"""Small hand-built graphs for the view tests, shaped like the pipeline's document graphs.

``council_graph(n)`` writes ``n`` decisions, one Record of Decision graph each: decision i has
number ``19/000ii`` (dated 2019-01-01 + i days), names the council and one of three trusts,
relies on the NHS Act 2006 s.76 (even i) or cites the Children Act 1989 s.22 (odd i), and
every tenth names the council's audit committee (an ``org:OrganizationalUnit``), and it
funds its trust with £(i+1)×1,000 a year; every fact has an ``rdf:Statement`` with evidence
(quote and offsets into the document's text).
"""

from __future__ import annotations

from kgraph.graph.store import GraphStore
from kgraph.read.common import DCT, ELI, KG, OA, ORG, RDF, SCHEMA, SKOS, XSD

BASE = "https://w3id.org/kgraph/id/"
COUNCIL = BASE + "org/kent-county-council"
TRUSTS = [BASE + f"org/trust-{k}" for k in range(3)]
AUDIT = BASE + "org/audit-committee"
S76 = "http://www.legislation.gov.uk/id/ukpga/2006/41/section/76"
S22 = "http://www.legislation.gov.uk/id/ukpga/1989/41/section/22"
ACTS = {S76: "http://www.legislation.gov.uk/id/ukpga/2006/41", S22: "http://www.legislation.gov.uk/id/ukpga/1989/41"}


def decision_iri(i: int) -> str:
    return f"{BASE}council/kent-county-council/decision/19-{i:05d}"


def doc_iri(i: int) -> str:
    return f"{BASE}document/{i:016x}"


def _lit(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def document_nt(i: int) -> str:
    """N-Triples of decision i's Record of Decision graph."""
    d, g = decision_iri(i), doc_iri(i)
    trust = TRUSTS[i % 3]
    prov = S76 if i % 2 == 0 else S22
    rel = "based_on" if i % 2 == 0 else "cites"
    gbp = (i + 1) * 1000
    sentences = [f"Decision 19/{i:05d}", f"Care services {i}", f"Section {'76' if i % 2 == 0 else '22'} applies",
                 f"The council pays Trust {i % 3} £{gbp:,} a year"]
    text = ". ".join(sentences)
    spans, pos = [], 0
    for s in sentences:
        spans.append((pos, pos + len(s), s))
        pos += len(s) + 2
    lines: list[str] = []

    def t(s: str, p: str, o: str) -> None:
        lines.append(f"<{s}> <{p}> {o} .")

    def evidence(k: int) -> str:
        start, end, quote = spans[k]
        ev = f"{g}/evidence/{start}-{end}"
        t(ev, RDF + "type", f"<{OA}SpecificResource>")
        t(ev, OA + "hasSource", f"<{g}>")
        t(ev, OA + "hasSelector", f"<{ev}/q>")
        t(ev, OA + "hasSelector", f"<{ev}/p>")
        t(f"{ev}/q", OA + "exact", _lit(quote))
        t(f"{ev}/p", OA + "start", f'"{start}"^^<{XSD}integer>')
        t(f"{ev}/p", OA + "end", f'"{end}"^^<{XSD}integer>')
        return ev

    def fact(s: str, p: str, o: str, k: int) -> None:
        t(s, p, o)
        st = f"{g}/assertion/{len(lines)}"
        t(st, RDF + "type", f"<{RDF}Statement>")
        t(st, RDF + "subject", f"<{s}>")
        t(st, RDF + "predicate", f"<{p}>")
        t(st, RDF + "object", o)
        t(st, KG + "evidence", f"<{evidence(k)}>")

    t(g, RDF + "type", f"<{KG}Document>")
    t(g, RDF + "type", f"<{KG}RecordOfDecision>")
    t(g, KG + "source", _lit(f"rod-{i}.txt"))
    t(g, KG + "sha256", _lit(f"{i:016x}" + "0" * 48))
    t(g, KG + "text", _lit(text))
    t(g, DCT + "title", _lit(f"Record of decision {i}"))
    fact(g, KG + "records", f"<{d}>", 0)
    t(d, RDF + "type", f"<{KG}Decision>")
    t(d, DCT + "identifier", _lit(f"19-{i:05d}"))
    fact(d, KG + "decisionNumber", _lit(f"19/{i:05d}"), 0)
    fact(d, DCT + "title", _lit(f"Care services {i}"), 1)
    t(d, DCT + "date", f'"2019-{1 + i // 28:02d}-{1 + i % 28:02d}"^^<{XSD}date>')
    t(d, KG + "status", _lit("taken"))
    t(d, KG + "keyDecision", f'"{"true" if i % 2 else "false"}"^^<{XSD}boolean>')
    for org, name, kind in ((COUNCIL, "Kent County Council", "LocalAuthority"),
                            (trust, f"Trust {i % 3}", "NHSTrust")):
        t(org, RDF + "type", f"<{ORG}Organization>")
        t(org, SKOS + "prefLabel", _lit(name))
        t(org, KG + "orgKind", _lit(kind))
        fact(d, KG + "namesOrganisation", f"<{org}>", 3)
    if i % 10 == 0:
        t(AUDIT, RDF + "type", f"<{ORG}OrganizationalUnit>")
        t(AUDIT, SKOS + "prefLabel", _lit("Audit Committee"))
        t(AUDIT, ORG + "subOrganizationOf", f"<{COUNCIL}>")
        t(d, KG + "namesOrganisation", f"<{AUDIT}>")
    t(trust, KG + "surfaceForm", _lit(f"the Trust {i % 3}"))
    t(prov, ELI + "is_part_of", f"<{ACTS[prov]}>")
    t(prov, SKOS + "prefLabel", _lit(f"section {prov.rsplit('/', 1)[-1]}"))
    fact(d, ELI + rel, f"<{prov}>", 2)
    amt, flow = f"{g}/amount/1", f"{g}/funding/1"
    t(amt, RDF + "type", f"<{SCHEMA}MonetaryAmount>")
    t(amt, SCHEMA + "value", f'"{gbp}"^^<{XSD}integer>')
    t(amt, KG + "surfaceText", _lit(f"£{gbp:,}"))
    t(amt, KG + "period", _lit("annual"))
    t(flow, RDF + "type", f"<{KG}FundingFlow>")
    t(flow, SCHEMA + "amount", f"<{amt}>")
    t(flow, KG + "purpose", _lit("care"))
    t(flow, KG + "evidence", f"<{evidence(3)}>")
    fact(flow, SCHEMA + "funder", f"<{COUNCIL}>", 3)
    fact(flow, KG + "recipient", f"<{trust}>", 3)
    t(d, KG + "hasFunding", f"<{flow}>")
    return "\n".join(lines)


def council_graph(n: int, store: GraphStore | None = None) -> GraphStore:
    """A store (in memory unless given) holding ``n`` decisions."""
    store = GraphStore.in_memory() if store is None else store
    for i in range(n):
        store.replace_document_graph(doc_iri(i), document_nt(i), source=f"rod-{i}.txt", sha256=f"{i:064x}")
    return store
