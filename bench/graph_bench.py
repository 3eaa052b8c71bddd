"""Graph benchmark: quads and bytes on disk per document, and the cost of validating a document.

Run: ``python bench/graph_bench.py [--corpus DIR | --synthetic N | --jsonl FILE] [--shacl-sample N]``.
Documents come from ``--corpus`` (default: the seed corpus), from ``--synthetic N`` council-style
documents of about 1,500 words made here, or from a JSON-lines file with one ``{"text": ...}``
per line. Prints, per document: triples, graph building time, validation time with the compiled
shapes and with pyshacl (its peer, on a sample, checked to agree), where the quads go (by
predicate, per document), and the store's size on disk after ``kgraph build`` into a fresh
store: as written, once the store is reopened (the write-ahead log folded into the tables),
after ``Store.optimize()``, and after ``kgraph compact`` (the same quads bulk-loaded).
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rdflib import RDF  # noqa: E402

from kgraph.graph.build import build_corpus, extract_corpus  # noqa: E402
from kgraph.graph.checked import check_document  # noqa: E402
from kgraph.graph.compact import compact_store  # noqa: E402
from kgraph.graph.rdf import build_triples, to_graph  # noqa: E402
from kgraph.graph.store import GraphStore  # noqa: E402
from kgraph.graph.validate import check_graph, shacl_violations  # noqa: E402
from kgraph.iris import Iris  # noqa: E402
from kgraph.settings import Settings  # noqa: E402
from kgraph.vocab import PREFIXES  # noqa: E402


def dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


ORGS = ["Kent County Council (KCC)", "NELFT", "NHS England", "Medway Council", "Public Health England",
        "Maidstone Borough Council", "Department for Education", "Kent Community Health NHS Foundation Trust"]
ACTS = ["National Health Service Act 2006", "Local Government Act 1972", "Children Act 1989", "Care Act 2014",
        "Localism Act 2011", "Public Contracts Regulations 2015", "Equality Act 2010"]
SENTENCES = [
    "Decision {dec}: the Cabinet Member agrees to extend the {topic} contract with {org}.",
    "{org} will fund {org2} £{m}.{d}m per year for {topic}.",
    "The Council has a duty under section {n} of the {act} to provide {topic}.",
    "This decision follows on from decision {dec} taken on {day} March 20{yy}.",
    "The total contract value is £{k},{kk:03d} over {n2} years.",
    "Exempt from publication under paragraph 3 of Schedule 12A of the Local Government Act 1972.",
    "An equality impact assessment was completed under section {n}(1) of the {act}.",
    "The Cabinet Committee considered the proposal for {topic} on {day} June 20{yy}.",
    "Officers consulted {org} and {org2} about the risks, which include rising demand and inflation.",
]
TOPICS = ["the Public Health Grant", "home to school transport", "the Better Care Fund", "the Short Breaks programme",
          "the Early Help service", "the Carers Support contract", "the sexual health service"]


def synthetic_documents(n: int, words: int = 1500, seed: int = 42) -> list[str]:
    """``n`` council-style documents of about ``words`` words (decisions, money, Acts, bodies)."""
    rnd = random.Random(seed)
    docs = []
    for _ in range(n):
        parts, count = [], 0
        while count < words:
            s = rnd.choice(SENTENCES).format(
                dec=f"{rnd.randint(15, 24)}/{rnd.randint(1, 999):05d}", org=rnd.choice(ORGS), org2=rnd.choice(ORGS),
                topic=rnd.choice(TOPICS), act=rnd.choice(ACTS), n=rnd.randint(1, 250), n2=rnd.randint(2, 7),
                m=rnd.randint(1, 30), d=rnd.randint(1, 9), k=rnd.randint(10, 999), kk=rnd.randint(0, 999),
                day=rnd.randint(1, 28), yy=rnd.randint(15, 24))
            parts.append(s)
            count += len(s.split())
            if rnd.random() < 0.15:
                parts.append("\n\n")
        docs.append(" ".join(parts))
    return docs


def _documents(args, tmp: Path) -> list[Path]:
    if args.jsonl is None and not args.synthetic:
        return [args.corpus]
    out = tmp / "docs"
    out.mkdir()
    if args.synthetic:
        texts = synthetic_documents(args.synthetic)
    else:
        with args.jsonl.open(encoding="utf-8") as f:
            texts = [json.loads(line)["text"] for _, line in zip(range(args.limit), f, strict=False)]
    for i, text in enumerate(texts):
        (out / f"{i:06d}.txt").write_text(text, encoding="utf-8")
    return [out]


def quads_by_predicate(store: GraphStore) -> dict[str, int]:
    """Quads of the document graphs, by predicate (``rdf:type`` by class: ``rdf:type rdf:Statement``)."""
    rows = store.query("""SELECT ?p ?c (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o }
        FILTER(CONTAINS(STR(?g), '/document/')) BIND(IF(?p = rdf:type, ?o, "") AS ?c) } GROUP BY ?p ?c""",
                       union=False, prefixes={"rdf": str(RDF)})
    return {curie(r["p"].value) + (f" {curie(r['c'].value)}" if r["c"].value else ""): int(r["n"].value)
            for r in rows}


def curie(iri: str) -> str:
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def _ms(xs: list[float]) -> str:
    return f"{statistics.median(xs) * 1000:7.2f} ms (mean {statistics.mean(xs) * 1000:.2f})"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    ap.add_argument("--synthetic", type=int, default=0, help="this many synthetic documents of ~1,500 words")
    ap.add_argument("--jsonl", type=Path, default=None, help="documents, one JSON object with 'text' a line")
    ap.add_argument("--limit", type=int, default=200, help="documents read from --jsonl")
    ap.add_argument("--shacl-sample", type=int, default=30, help="documents also validated with pyshacl")
    ap.add_argument("--predicates", type=int, default=16, help="predicates listed in the quads table")
    args = ap.parse_args()
    settings = Settings()
    iris = Iris(settings.base_iri, settings.council)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        docs = _documents(args, tmp)
        facts, texts, _ = extract_corpus(docs, settings)
        t_graph, t_fast, t_shacl, t_checked, sizes = [], [], [], [], []
        for i, f in enumerate(facts):
            text = texts[f["document"]["id"]]
            t = time.perf_counter()
            triples, _ = build_triples(f, text, iris)
            t_graph.append(time.perf_counter() - t)
            t = time.perf_counter()
            found = check_graph(triples)
            t_fast.append(time.perf_counter() - t)
            if i < args.shacl_sample:
                g = to_graph(triples)
                t = time.perf_counter()
                reference = shacl_violations(g)
                t_shacl.append(time.perf_counter() - t)
                assert {v.key() for v in found} == {v.key() for v in reference}, "validators disagree"
            t = time.perf_counter()
            checked = check_document(f, text, iris)
            t_checked.append(time.perf_counter() - t)
            sizes.append(len(checked.triples))
            checked.ntriples()
        path = tmp / "store"
        store = GraphStore.open(path)
        t = time.perf_counter()
        build_corpus(docs, store, settings)  # the build's own writes (its extraction is repeated)
        store.flush()
        write = time.perf_counter() - t
        quads = len(store)
        written = dir_size(path)
        by_predicate = quads_by_predicate(store)
        del store
        gc.collect()
        reopened = GraphStore.open(path)
        settled = dir_size(path)
        reopened.ox.optimize()
        optimized = dir_size(path)
        del reopened
        gc.collect()
        compacted = compact_store(path).bytes_after
    n = len(facts)
    print(f"documents                      {n}  ({'synthetic' if args.jsonl or args.synthetic else args.corpus})")
    print(f"triples per document           {statistics.mean(sizes):.0f} (median {statistics.median(sizes):.0f})")
    print(f"store quads per document       {quads / n:.0f}  (all graphs, catalog and ontology included)")
    print(f"bytes on disk per document     {written / n / 1e3:.0f} KB as written; "
          f"{settled / n / 1e3:.0f} KB once reopened ({settled / quads:.0f} B/quad); "
          f"{optimized / n / 1e3:.0f} KB after optimize(); "
          f"{compacted / n / 1e3:.0f} KB after kgraph compact ({compacted / quads:.0f} B/quad)")
    print(f"graph building                 {_ms(t_graph)}")
    print(f"validation, compiled shapes    {_ms(t_fast)}")
    print(f"validation, pyshacl (peer)     {_ms(t_shacl)}  (n={len(t_shacl)}; same violations)")
    print(f"graph + per-fact validation    {_ms(t_checked)}  (kgraph.graph.checked.check_document)")
    print(f"kgraph build, fresh store      {write / n * 1000:7.2f} ms per document (extraction included)")
    print(f"\n{'quads per document, by predicate (document graphs)':52s} {'quads':>7s} {'share':>6s}")
    total = sum(by_predicate.values())
    for pred, k in sorted(by_predicate.items(), key=lambda x: -x[1])[:args.predicates]:
        print(f"  {pred:50s} {k / n:7.1f} {k / total:6.1%}")
    print(f"  {'(all)':50s} {total / n:7.1f}")


if __name__ == "__main__":
    main()
