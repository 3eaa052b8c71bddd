"""The lineage graph updated by the graphs a write changed equals the one read afresh."""

from __future__ import annotations

import random

from kgraph.graph.store import GraphStore
from kgraph.read.common import DCT, KG, OA, RDF, XSD
from kgraph.read.lineage import Lineage, LineageIndex
from kgraph.read.lineage_rows import build, update
from tests.read.graphs import BASE

TYPES = ("supersedes", "amends", "varies", "followsOn", "references")


def doc_iri(k: int) -> str:
    return f"{BASE}document/{k:016x}"


def decision(i: int) -> str:
    return f"{BASE}council/c/decision/{10 + i // 10:02d}-{i:05d}"


def document_nt(k: int, rng: random.Random, decisions: int = 12) -> str:
    """Document k records three decisions and links each to earlier ones (some not recorded
    anywhere), sometimes undated, sometimes as a committee report proposing them; a link may
    be supported by another document too."""
    d = doc_iri(k)
    out = [f"<{d}> <{RDF}type> <{KG}Document> .", f'<{d}> <{DCT}identifier> "d{k}-v{rng.randrange(3)}" .',
           f'<{d}> <{KG}source> "d{k}.txt" .']
    if rng.random() < 0.3:
        out.append(f"<{d}> <{RDF}type> <{KG}CommitteeReport> .")
    for i in rng.sample(range(decisions), 3):
        s = decision(i)
        out += [f"<{s}> <{RDF}type> <{KG}Decision> .", f'<{s}> <{DCT}identifier> "{10 + i // 10:02d}-{i:05d}" .',
                f'<{s}> <{KG}decisionNumber> "{10 + i // 10:02d}/{i:05d}" .',
                f'<{s}> <{DCT}title> "Decision {i} v{rng.randrange(3)}" .']
        if rng.random() < 0.7:
            out.append(f'<{s}> <{DCT}date> "20{10 + i // 10}-0{1 + rng.randrange(9)}-01"^^<{XSD}date> .')
        if rng.random() < 0.6:
            out.append(f"<{d}> <{KG}records> <{s}> .")
        for n in range(rng.choice((0, 1, 2))):
            o = decision(rng.randrange(decisions + 4))
            kind = rng.choice(TYPES)
            st, ev = f"{d}/assertion/{i}-{n}", f"{d}/evidence/{i}-{n}"
            out += [f"<{s}> <{KG}{kind}> <{o}> .", f"<{st}> <{RDF}type> <{KG}DecisionLink> .",
                    f"<{st}> <{RDF}subject> <{s}> .", f"<{st}> <{RDF}predicate> <{KG}{kind}> .",
                    f"<{st}> <{RDF}object> <{o}> .", f'<{st}> <{KG}rule> "r{n}" .',
                    f'<{st}> <{KG}confidence> "0.{5 + n}"^^<{XSD}decimal> .', f"<{st}> <{KG}evidence> <{ev}> .",
                    f"<{ev}> <{OA}hasSelector> <{ev}/q> .", f"<{ev}> <{OA}hasSelector> <{ev}/p> .",
                    f'<{ev}/q> <{OA}exact> "Decision {i} {kind} {o[-5:]}." .',
                    f'<{ev}/p> <{OA}start> "{n * 40}"^^<{XSD}integer> .',
                    f'<{ev}/p> <{OA}end> "{n * 40 + 20}"^^<{XSD}integer> .']
            if rng.random() < 0.3:
                out.append(f"<{st}> <{KG}alsoSupportedBy> <{doc_iri(rng.randrange(6))}> .")
        if rng.random() < 0.3:
            out.append(f"<{d}> <{KG}proposes> <{s}> .")
    return "\n".join(out)


def snapshot(lin: Lineage) -> dict:
    lin.prepare()
    return {"nodes": {n: dict(a) for n, a in lin.g.nodes(data=True)},
            "edges": sorted((s, o, k, repr(sorted(a.items()))) for s, o, k, a in lin.g.edges(keys=True, data=True)),
            "keys": dict(lin._by_key), "heads": dict(lin._heads or {})}


def write(store: GraphStore, k: int, rng: random.Random) -> None:
    if rng.random() < 0.2:
        store.remove_document_graph(doc_iri(k))
    else:
        store.replace_document_graph(doc_iri(k), document_nt(k, rng), source=f"d{k}.txt", sha256=str(rng.random()))


def test_updates_equal_a_fresh_read():
    rng = random.Random(3)
    store = GraphStore.in_memory()
    for k in range(6):
        write(store, k, rng)
    lin = build(store)
    assert lin.g.number_of_edges() > 0
    for step in range(40):
        ks = rng.sample(range(8), rng.choice((1, 1, 2, 3)))
        for k in ks:
            write(store, k, rng)
        lin = update(lin, store, {doc_iri(k) for k in ks})
        assert snapshot(lin) == snapshot(build(store)), step


def test_the_index_updates_by_the_graphs_written():
    rng = random.Random(5)
    store = GraphStore.in_memory()
    for k in range(5):
        write(store, k, rng)
    generation, written = [0], {}
    def changes(since: int) -> frozenset[str] | None:
        later = [gs for n, gs in written.items() if n > since]
        return None if None in later else frozenset(g for gs in later for g in gs)

    index = LineageIndex(store, revision=lambda: generation[0], recheck_s=0, changes=changes)
    first = index.get()
    store.replace_graph(doc_iri(2), document_nt(2, rng))  # outside the catalog: the writer names it
    generation[0], written[1] = 1, {doc_iri(2)}
    assert index.get() is first and index.kept.last["how"] == "updated"
    assert snapshot(first) == snapshot(build(store))
    generation[0], written[2] = 2, None  # a write that did not name its graphs: built again
    assert index.get() is not first and index.kept.last["how"] == "built"
