"""Time the web page's HTML at scale: every page, first request and repeated (median, p99).

    python bench/web_bench.py --decisions 100000 [--store DIR] [--repeat 30]

Builds (or reuses) a synthetic store of N decisions (``bench/synthetic.py``), serves it with
uvicorn as ``kgraph serve`` does, and asks each page in turn: the first request of each page
(cold: indexes built on demand are paid here) and then ``--repeat`` requests over different ids.
The target is every page's HTML under 200 ms at 100,000 decisions.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.api_bench import serve, synthetic_store  # noqa: E402
from bench.synthetic import decision_ids  # noqa: E402

TARGET_MS = 200


def pages(ids: list[str], i: int) -> dict[str, str]:
    d = ids[(i * 7919) % len(ids)]
    return {
        "/ (search page, no filter)": "/",
        "/?q=… (text search)": f"/?q=service+{i % 10}",
        "/?act=…&provision=…": "/?act=ukpga/2006/41&provision=section+76",
        "/ui/decisions/{id}": f"/ui/decisions/{d}",
        "/ui/organisations/{id}": "/ui/organisations/kent-county-council",
        "/ui/legislation/{act}": "/ui/legislation/ukpga/2006/41",
        "/ui/sparql": "/ui/sparql",
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--decisions", type=int, default=100_000)
    ap.add_argument("--store", type=Path, default=None, help="where to build or reuse the synthetic store")
    ap.add_argument("--repeat", type=int, default=30)
    args = ap.parse_args()
    store = args.store or Path(tempfile.gettempdir()) / f"kgraph-synthetic-{args.decisions}"
    synthetic_store(args.decisions, store)
    ids = decision_ids(args.decisions)
    rows = []
    with serve(store) as url, httpx.Client(base_url=url, timeout=600) as http:
        for name in pages(ids, 0):
            t = time.perf_counter()
            r = http.get(pages(ids, 0)[name])
            first = (time.perf_counter() - t) * 1000
            times = []
            for i in range(1, args.repeat + 1):
                t = time.perf_counter()
                http.get(pages(ids, i)[name]).raise_for_status()
                times.append((time.perf_counter() - t) * 1000)
            times.sort()
            p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
            rows.append((name, r.status_code, first, statistics.median(times), p99))
    print(f"\nweb pages at {args.decisions:,} decisions ({args.repeat} requests each after the first)")
    print(f"{'page':34} {'status':>6} {'first ms':>9} {'p50 ms':>8} {'p99 ms':>8}  target {TARGET_MS} ms")
    for name, status, first, p50, p99 in rows:
        ok = "ok" if max(first, p99) <= TARGET_MS else "SLOW"
        print(f"{name:34} {status:>6} {first:9.1f} {p50:8.1f} {p99:8.1f}  {ok}")


if __name__ == "__main__":
    main()
