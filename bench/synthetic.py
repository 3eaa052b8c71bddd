"""A synthetic kgraph store of N decisions, shaped like the graphs the pipeline writes.

One named graph per decision's Record of Decision, holding: the document (source, sha256,
short text), the decision (id, number, title, date, status, key decision, decision maker),
organisations it names (from a pool, with names and kinds), provisions it relies on and cites
(legislation.gov.uk ids, labels, Acts), a funding flow (amount, period, funder, recipient),
lineage edges to earlier decisions (``kg:DecisionLink`` with rule and confidence), and for
every fact an ``rdf:Statement`` with ``kg:evidence`` → ``oa:SpecificResource`` with quote and
position selectors. Deterministic for a given ``n`` and ``seed``.

    python bench/synthetic.py 100000 /tmp/synthetic-store      # build a store
    from bench.synthetic import build_store, decision_ids       # or from code

>>> lines = list(decision_quads(3, seed=1))
>>> any("kgraph/def#Decision>" in q for q in lines) and all(q.endswith(" .") for q in lines)
True
>>> decision_ids(3)
['10-00000', '14-00001', '19-00002']
"""

from __future__ import annotations

import hashlib
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kgraph.iris import DEFAULT_BASE as BASE  # noqa: E402
from kgraph.read.common import DCT, ELI, KG, OA, ORG, RDF, SCHEMA, SKOS, XSD  # noqa: E402
from kgraph.read.ids import LEGISLATION_ID as LEG  # noqa: E402

COUNCIL = f"{BASE}org/kent-county-council"

#: Organisations decisions name (slug, name, kind); the first is the council itself.
ORGS = [("kent-county-council", "Kent County Council", "LocalAuthority")] + [
    (f"synthetic-{kind.lower()}-{i}", f"Synthetic {kind} {i}", kind)
    for i in range(1, 200)
    for kind in (("NHSTrust", "VoluntaryOrganisation", "LocalAuthority", "Partnership")[i % 4],)
]
#: Acts (path, title) and their provisions decisions rely on or cite.
ACTS = [("ukpga/1989/41", "Children Act 1989"), ("ukpga/2004/31", "Children Act 2004"),
        ("ukpga/2006/41", "National Health Service Act 2006"), ("ukpga/2014/6", "Children and Families Act 2014"),
        ("ukpga/2014/23", "Care Act 2014"), ("ukpga/2012/7", "Health and Social Care Act 2012")]
PROVISIONS = [(act, title, f"section {s}") for act, title in ACTS for s in (1, 2, 10, 11, 17, 22, 27, 75, 76)]
BOILERPLATE = ("ukpga/1972/70", "Local Government Act 1972", "schedule 12A")
LINK_TYPES = ("supersedes", "amends", "varies", "followsOn", "reallocatesFundingFrom", "references")


def decision_number(i: int, n: int) -> str:
    """The decision number of the i-th of n decisions: years 2010-2023, ``YY/NNNNN``."""
    year = 10 + i * 14 // max(1, n)
    return f"{year:02d}/{i % 100000:05d}"


def decision_ids(n: int) -> list[str]:
    """The API ids (``YY-NNNNN``) of the n decisions, in order."""
    return [decision_number(i, n).replace("/", "-") for i in range(n)]


def decision_iri(i: int, n: int) -> str:
    return f"{BASE}council/kent-county-council/decision/{decision_number(i, n).replace('/', '-')}"


def _lit(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _typed(v, dt: str) -> str:
    return f'"{v}"^^<{XSD}{dt}>'


def _provision_iri(act: str, label: str) -> str:
    kind, num = label.split(" ")
    return f"{LEG}{act}/{kind}/{num}"


def decision_quads(n: int, *, seed: int = 42) -> Iterator[str]:
    """N-Quads lines (without newline) of a store of ``n`` synthetic decisions."""
    rng = random.Random(seed)
    for i in range(n):
        yield from _decision(i, n, rng)


def _decision(i: int, n: int, rng: random.Random) -> Iterator[str]:
    number = decision_number(i, n)
    key = number.replace("/", "-")
    d = decision_iri(i, n)
    doc_id = hashlib.sha256(f"synthetic-{i}".encode()).hexdigest()
    doc = f"{BASE}document/{doc_id[:16]}"
    g = f"<{doc}>"
    year = 2000 + int(number[:2])
    date = f"{year}-{1 + i % 12:02d}-{1 + i % 28:02d}"
    orgs = [ORGS[0]] + rng.sample(ORGS[1:], 2)
    relied = rng.sample(PROVISIONS, rng.randint(1, 3))
    amount = rng.randrange(10, 5000) * 1000
    title = f"Synthetic decision {i} on services commissioned with {orgs[1][1]}"
    sentences = [f"Decision {number}", title,
                 *(f"{p[2].capitalize()} of the {p[1]}" for p in relied),
                 "exempt from publication under schedule 12A of the Local Government Act 1972",
                 f"Kent County Council will fund {orgs[1][1]} £{amount:,} a year"]
    text, spans, pos = [], [], 0
    for s in sentences:
        spans.append((pos, pos + len(s), s))
        text.append(s)
        pos += len(s) + 2
    full = "\n\n".join(text)

    def q(s: str, p: str, o: str) -> str:
        return f"<{s}> <{p}> {o} {g} ."

    def ev(k: int) -> Iterator[str]:
        start, end, exact = spans[k]
        e = f"{doc}/evidence/{start}-{end}"
        yield q(e, RDF + "type", f"<{OA}SpecificResource>")
        yield q(e, OA + "hasSource", f"<{doc}>")
        yield q(e, OA + "hasSelector", f"<{e}/quote>")
        yield q(f"{e}/quote", RDF + "type", f"<{OA}TextQuoteSelector>")
        yield q(f"{e}/quote", OA + "exact", _lit(exact))
        yield q(e, OA + "hasSelector", f"<{e}/position>")
        yield q(f"{e}/position", RDF + "type", f"<{OA}TextPositionSelector>")
        yield q(f"{e}/position", OA + "start", _typed(start, "integer"))
        yield q(f"{e}/position", OA + "end", _typed(end, "integer"))

    def fact(s: str, p: str, o: str, k: int, *extra: tuple[str, str]) -> Iterator[str]:
        yield q(s, p, o)
        st = f"{doc}/assertion/{hashlib.sha1(f'{s}|{p}|{o}'.encode()).hexdigest()[:16]}"
        yield q(st, RDF + "type", f"<{RDF}Statement>")
        yield q(st, RDF + "subject", f"<{s}>")
        yield q(st, RDF + "predicate", f"<{p}>")
        yield q(st, RDF + "object", o)
        start, end, _ = spans[k]
        yield q(st, KG + "evidence", f"<{doc}/evidence/{start}-{end}>")
        for ep, eo in extra:
            yield q(st, ep, eo)

    for k in range(len(spans)):
        yield from ev(k)
    yield q(doc, RDF + "type", f"<{KG}Document>")
    yield q(doc, RDF + "type", f"<{KG}RecordOfDecision>")
    yield q(doc, DCT + "identifier", _lit(doc_id[:16]))
    yield q(doc, KG + "source", _lit(f"synthetic-{i}.txt"))
    yield q(doc, KG + "sha256", _lit(doc_id))
    yield q(doc, KG + "text", _lit(full))
    yield q(doc, DCT + "title", _lit(title))
    yield from fact(doc, KG + "records", f"<{d}>", 0)
    yield q(d, RDF + "type", f"<{KG}Decision>")
    yield q(d, DCT + "identifier", _lit(key))
    yield q(d, KG + "council", f"<{COUNCIL}>")
    yield q(d, DCT + "date", _typed(date, "date"))
    yield from fact(d, KG + "decisionNumber", _lit(number), 0)
    yield from fact(d, DCT + "title", _lit(title), 1)
    yield q(d, KG + "status", _lit("taken" if i % 3 else "proposed"))
    yield q(d, KG + "keyDecision", _typed("true" if i % 2 else "false", "boolean"))
    yield q(d, KG + "decisionMaker", _lit(f"Cabinet Member {i % 40}"))
    for slug, name, kind in orgs:
        o = f"{BASE}org/{slug}"
        yield q(o, RDF + "type", f"<{ORG}Organization>")
        yield q(o, SKOS + "prefLabel", _lit(name))
        yield q(o, KG + "orgKind", _lit(kind))
        yield from fact(d, KG + "namesOrganisation", f"<{o}>", 1)
    for k, (act, act_title, label) in enumerate(relied):
        p = _provision_iri(act, label)
        yield q(p, RDF + "type", f"<{ELI}LegalResourceSubdivision>")
        yield q(p, ELI + "is_part_of", f"<{LEG}{act}>")
        yield q(p, KG + "provision", _lit(label))
        yield q(p, SKOS + "prefLabel", _lit(f"{label} of the {act_title}"))
        yield q(f"{LEG}{act}", ELI + "title", _lit(act_title))
        yield from fact(d, ELI + "based_on", f"<{p}>", 2 + k, (KG + "resolution", _lit("explicit")))
    act, act_title, label = BOILERPLATE
    p = _provision_iri(act, label)
    yield q(p, ELI + "is_part_of", f"<{LEG}{act}>")
    yield q(p, SKOS + "prefLabel", _lit(f"{label} of the {act_title}"))
    yield q(f"{LEG}{act}", ELI + "title", _lit(act_title))
    yield from fact(d, ELI + "cites", f"<{p}>", 2 + len(relied), (KG + "resolution", _lit("explicit")))
    k = len(spans) - 1
    start, end, _ = spans[k]
    amt, flow = f"{doc}/amount/{start}-{end}", f"{doc}/funding/{start}-{end}"
    yield q(amt, RDF + "type", f"<{SCHEMA}MonetaryAmount>")
    yield q(amt, SCHEMA + "value", _typed(amount, "integer"))
    yield q(amt, SCHEMA + "currency", _lit("GBP"))
    yield q(amt, KG + "role", _lit("funding"))
    yield q(amt, KG + "surfaceText", _lit(f"£{amount:,}"))
    yield q(amt, KG + "period", _lit("annual"))
    yield q(doc, KG + "statesAmount", f"<{amt}>")
    yield q(flow, RDF + "type", f"<{KG}FundingFlow>")
    yield q(flow, RDF + "type", f"<{SCHEMA}MonetaryGrant>")
    yield q(flow, SCHEMA + "amount", f"<{amt}>")
    yield q(flow, KG + "period", _lit("annual"))
    yield q(flow, KG + "purpose", _lit("services"))
    yield q(flow, KG + "evidence", f"<{doc}/evidence/{start}-{end}>")
    yield from fact(flow, SCHEMA + "funder", f"<{COUNCIL}>", k)
    yield from fact(flow, KG + "recipient", f"<{BASE}org/{orgs[1][0]}>", k)
    yield q(d, KG + "hasFunding", f"<{flow}>")
    for _ in range(rng.randint(1, 2) if i else 0):
        j = rng.randrange(max(0, i - 500), i)
        link = LINK_TYPES[rng.randrange(len(LINK_TYPES))]
        conf = _typed(f"0.{rng.randint(5, 9)}", "decimal")
        lines = list(fact(d, KG + link, f"<{decision_iri(j, n)}>", 0,
                          (KG + "rule", _lit("synthetic-rule")), (KG + "confidence", conf)))
        yield from lines
        st = lines[1].split(" ", 1)[0][1:-1]
        yield q(st, RDF + "type", f"<{KG}DecisionLink>")


def write_nquads(n: int, path: Path, *, seed: int = 42) -> int:
    """Write the N-Quads of ``n`` decisions to ``path``; returns the number of quads."""
    count = 0
    with path.open("w", encoding="utf-8") as out:
        buf = []
        for line in decision_quads(n, seed=seed):
            buf.append(line)
            if len(buf) >= 100_000:
                out.write("\n".join(buf) + "\n")
                count += len(buf)
                buf.clear()
        out.write("\n".join(buf) + ("\n" if buf else ""))
        count += len(buf)
    return count


def build_store(n: int, path: Path, *, seed: int = 42):
    """Create an on-disk :class:`kgraph.graph.store.GraphStore` at ``path`` with ``n`` synthetic decisions."""
    import pyoxigraph as ox

    from kgraph.graph.store import GraphStore

    store = GraphStore.open(path)
    with tempfile.TemporaryDirectory() as tmp:
        nq = Path(tmp) / "synthetic.nq"
        write_nquads(n, nq, seed=seed)
        store.ox.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS, lenient=True)
    store.flush()
    return store


def main(argv: list[str]) -> None:
    n = int(argv[0]) if argv else 100_000
    path = Path(argv[1]) if len(argv) > 1 else Path(tempfile.mkdtemp()) / "store"
    t = time.perf_counter()
    store = build_store(n, path)
    print(f"{n} decisions, {len(store)} quads at {path} in {time.perf_counter() - t:.1f} s")


if __name__ == "__main__":
    main(sys.argv[1:])
