"""Build benchmark: time to build the seed corpus into a fresh store, re-build time, store size.

Run: ``python bench/build_bench.py [--repeat N]``. Prints medians over N fresh builds
(each in a new temporary store and extraction cache), the re-build time and the size of the store on disk.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kgraph.extract.cache import ExtractionCache  # noqa: E402
from kgraph.extract.nlp.pipeline import shared_nlp  # noqa: E402
from kgraph.graph.build import build_corpus  # noqa: E402
from kgraph.graph.store import GraphStore  # noqa: E402


def dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    args = ap.parse_args()
    t = time.perf_counter()
    shared_nlp()
    load = time.perf_counter() - t
    fresh, again, sizes, quads = [], [], [], 0
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            store = GraphStore.open(Path(tmp) / "store")
            t = time.perf_counter()
            cache = ExtractionCache(Path(tmp) / "cache")
            report = build_corpus([args.corpus], store, cache=cache)
            fresh.append(time.perf_counter() - t)
            t = time.perf_counter()
            build_corpus([args.corpus], store, cache=cache)
            again.append(time.perf_counter() - t)
            store.flush()
            quads = len(store)
            sizes.append(dir_size(Path(tmp) / "store"))
            assert not report.errors, report.errors
    docs = len(report.built)
    print(f"documents            {docs}")
    print(f"pipeline load        {load:.2f} s (once per process)")
    print(f"fresh build median   {statistics.median(fresh):.2f} s  (min {min(fresh):.2f}, max {max(fresh):.2f}, n={len(fresh)})")
    print(f"re-build median      {statistics.median(again):.2f} s  (extraction cached; unchanged graphs not rewritten)")
    print(f"per document         {statistics.median(fresh) / docs * 1000:.0f} ms")
    print(f"quads                {quads}")
    print(f"store size on disk   {statistics.median(sizes) / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
