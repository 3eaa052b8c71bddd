"""Lineage query latency at scale: a synthetic store of N decisions (default 100,000).

Decisions are spread over document graphs shaped as the pipeline writes them (decision
nodes; reified ``kg:DecisionLink`` statements with rule, confidence and an evidence
resource with quote and position selectors). Each decision links to one to three earlier
ones (supersedes, amends, varies, followsOn, reallocatesFundingFrom, references), so chains
are long and branch.

Reports: store load time, lineage graph build time (from the store, SPARQL), the time to load
the index saved beside the store instead (what a restart over the unchanged store costs), the
time to update the index after a write that rewrote one document (``--per-document``
decisions) against a rebuild, with whether the two agree, and the latency
(median, p99) of lineage views through the library (:class:`kgraph.read.lineage.LineageIndex`,
which also checks the store's revision on every call) and through the API
(``GET /decisions/{id}/lineage`` on the app ``create_app`` builds, in-process over ASGI; it
checks the executor's write generation on every request). The library index re-reads the
store's catalog at most once a second; the cost of one catalog check is reported too.

Run: ``python bench/lineage_bench.py [--decisions 100000] [--queries 2000]``
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kgraph.graph.store import GraphStore  # noqa: E402
from kgraph.iris import DEFAULT_BASE as BASE  # noqa: E402
from kgraph.read.common import DCT, KG, OA, RDF, XSD  # noqa: E402
from kgraph.read.lineage import Lineage, LineageIndex  # noqa: E402

TYPES = ("supersedes", "amends", "varies", "followsOn", "reallocatesFundingFrom", "references")


def number(i: int) -> tuple[str, int]:
    year = 10 + i * 14 // max(1, N_DECISIONS)
    return f"{year:02d}/{i % 100000:05d}", 2000 + year


def decision_iri(i: int) -> str:
    n, _ = number(i)
    return f"{BASE}council/kent-county-council/decision/{n.replace('/', '-')}"


def document_nt(doc: int, ids: range, rng: random.Random) -> str:
    d = f"{BASE}document/{doc:016x}"
    out = [f'<{d}> <{RDF}type> <{KG}Document> .', f'<{d}> <{DCT}identifier> "{doc:016x}" .',
           f'<{d}> <{KG}source> "synthetic-{doc}.txt" .']
    for i in ids:
        s = decision_iri(i)
        num, year = number(i)
        date = f"{year}-{1 + i % 12:02d}-{1 + i % 28:02d}"
        out += [f'<{s}> <{RDF}type> <{KG}Decision> .', f'<{s}> <{DCT}identifier> "{num.replace("/", "-")}" .',
                f'<{s}> <{KG}decisionNumber> "{num}" .', f'<{s}> <{DCT}title> "Synthetic decision {i}" .',
                f'<{s}> <{DCT}date> "{date}"^^<{XSD}date> .', f'<{s}> <{KG}status> "taken" .',
                f'<{d}> <{KG}records> <{s}> .']
        if i == 0:
            continue
        for k in range(rng.choice((1, 1, 1, 2, 3))):
            j = max(0, i - 1 - int(rng.expovariate(1 / 20))) if k == 0 else rng.randrange(i)
            kind = rng.choice(TYPES)
            o = decision_iri(j)
            st = f"{d}/assertion/{i}-{k}"
            ev = f"{d}/evidence/{i}-{k}"
            quote = f"Decision {num} {kind} decision {number(j)[0]}."
            out += [f'<{s}> <{KG}{kind}> <{o}> .',
                    f'<{st}> <{RDF}type> <{RDF}Statement> .', f'<{st}> <{RDF}type> <{KG}DecisionLink> .',
                    f'<{st}> <{RDF}subject> <{s}> .', f'<{st}> <{RDF}predicate> <{KG}{kind}> .',
                    f'<{st}> <{RDF}object> <{o}> .', f'<{st}> <{KG}rule> "synthetic-rule" .',
                    f'<{st}> <{KG}confidence> "0.8"^^<{XSD}decimal> .', f'<{st}> <{KG}evidence> <{ev}> .',
                    f'<{ev}> <{OA}hasSource> <{d}> .', f'<{ev}> <{OA}hasSelector> <{ev}/q> .',
                    f'<{ev}> <{OA}hasSelector> <{ev}/p> .', f'<{ev}/q> <{OA}exact> "{quote}" .',
                    f'<{ev}/p> <{OA}start> "{k * 40}"^^<{XSD}integer> .',
                    f'<{ev}/p> <{OA}end> "{k * 40 + len(quote)}"^^<{XSD}integer> .']
    return "\n".join(out)


def percentile(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def summary(ms: list[float]) -> dict:
    return {"median_ms": round(statistics.median(ms), 3), "p99_ms": round(percentile(ms, 99), 3),
            "max_ms": round(max(ms), 3), "n": len(ms)}


N_DECISIONS = 100_000


def main() -> None:
    global N_DECISIONS
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--decisions", type=int, default=100_000)
    ap.add_argument("--per-document", type=int, default=100)
    ap.add_argument("--queries", type=int, default=2000)
    ap.add_argument("--depth", type=int, default=3, help="hops per lineage view")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    N_DECISIONS = args.decisions
    rng = random.Random(args.seed)

    tmp = tempfile.TemporaryDirectory()
    store_dir = Path(tmp.name) / "store"
    store = GraphStore.open(store_dir)
    t0 = time.perf_counter()
    for doc, start in enumerate(range(0, args.decisions, args.per_document)):
        ids = range(start, min(args.decisions, start + args.per_document))
        store.replace_document_graph(f"{BASE}document/{doc:016x}", document_nt(doc, ids, rng),
                                     source=f"synthetic-{doc}.txt", sha256=f"{doc:064x}")
    load_s = time.perf_counter() - t0

    index = LineageIndex(store)
    t0 = time.perf_counter()
    lineage = index.get()
    build_s = time.perf_counter() - t0
    # a second process over the unchanged store loads the index saved beside it
    t0 = time.perf_counter()
    reloaded = LineageIndex(store).get()
    load_s_saved = time.perf_counter() - t0
    assert reloaded.g.number_of_edges() == lineage.g.number_of_edges()
    g = lineage.g
    ids = [number(rng.randrange(args.decisions))[0] for _ in range(args.queries)]

    lib: list[float] = []
    sizes: list[int] = []
    for ident in ids:
        t = time.perf_counter()
        view = index.get().view(ident, depth=args.depth)
        lib.append((time.perf_counter() - t) * 1000)
        sizes.append(len(view["nodes"]))
    heads: list[float] = []
    for ident in ids[: min(500, len(ids))]:
        t = time.perf_counter()
        lineage.ancestors(ident, depth=args.depth)
        lineage.head(ident)
        heads.append((time.perf_counter() - t) * 1000)

    import asyncio

    import httpx

    from api.app import create_app
    from api.lineage import router
    from kgraph.settings import Settings

    # the app as served: create_app over the store, with the lineage router included
    app = create_app(Settings(store_path=store_dir), store, workers=1)
    app.include_router(router)

    async def call_api() -> list[float]:
        out: list[float] = []
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            await client.get(f"/decisions/{ids[0].replace('/', '%2F')}/lineage")
            for ident in ids:
                t = time.perf_counter()
                r = await client.get(f"/decisions/{ident.replace('/', '%2F')}/lineage",
                                     params={"depth": args.depth})
                out.append((time.perf_counter() - t) * 1000)
                assert r.status_code == 200, r.text
        return out

    async def with_lifespan() -> list[float]:
        async with app.router.lifespan_context(app):
            return await call_api()

    api = asyncio.run(with_lifespan())
    t0 = time.perf_counter()
    for _ in range(200):
        index.revision()
    revision_ms = (time.perf_counter() - t0) / 200 * 1000

    # a one-document write, as a server sees it: the write counter moves and names the graph
    generation = [0]
    tracked = LineageIndex(store, revision=lambda: generation[0], recheck_s=0,
                           changes=lambda since: frozenset({f"{BASE}document/{0:016x}"}))
    tracked.get()
    store.replace_document_graph(f"{BASE}document/{0:016x}",
                                 document_nt(0, range(0, min(args.decisions, args.per_document)), random.Random(99)),
                                 source="synthetic-0.txt", sha256="rewritten")
    generation[0] = 1
    t0 = time.perf_counter()
    updated = tracked.get()
    update_s = time.perf_counter() - t0
    assert tracked.kept.last["how"] == "updated"
    t0 = time.perf_counter()
    fresh = Lineage.from_store(store)
    rebuild_s = time.perf_counter() - t0
    same = (sorted(updated.g.edges(keys=True)) == sorted(fresh.g.edges(keys=True))
            and dict(updated.g.nodes(data=True)) == dict(fresh.g.nodes(data=True))
            and updated._heads == fresh._heads)

    report = {
        "decisions": g.number_of_nodes(), "edges": g.number_of_edges(), "quads": len(store),
        "documents": -(-args.decisions // args.per_document),
        "store_load_s": round(load_s, 2), "lineage_build_s": round(build_s, 2),
        "lineage_saved_load_s": round(load_s_saved, 2),
        "revision_check_ms": round(revision_ms, 3),
        "update_after_one_document_write_s": round(update_s, 2), "documents_decisions": args.per_document,
        "rebuild_s": round(rebuild_s, 2), "updated_equals_rebuilt": same, "view_depth": args.depth, "mean_nodes_per_view": round(statistics.mean(sizes), 1),
        "library_view": summary(lib), "library_ancestors_and_head": summary(heads), "api_view": summary(api),
        "target": "p99 < 10 ms",
    }
    print(json.dumps(report, indent=2))
    tmp.cleanup()


if __name__ == "__main__":
    main()
