"""Run every benchmark in turn and print their figures.

``python bench/run.py [--quick]``: the extraction and build benchmarks on synthetic papers, the graph benchmark
(quads and bytes per document, validation cost) on the seeds and synthetic documents, the lineage
benchmark (library and API) and the HTTP API benchmark (wrk). ``--quick`` shrinks the
synthetic graphs to 10,000 decisions for a fast look; the targets are stated at 100,000.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="10,000 synthetic decisions instead of 100,000")
    args = ap.parse_args()
    n = "10000" if args.quick else "100000"
    steps = [
        ("extraction (docs/s, length curve)", [str(HERE / "extract_bench.py")]),
        ("build (fresh, incremental, size, memory)", [str(HERE / "build_bench.py")]),
        ("graph size and validation (seed corpus)", [str(HERE / "graph_bench.py")]),
        ("graph size and validation (200 synthetic documents)", [str(HERE / "graph_bench.py"), "--synthetic", "200"]),
        ("lineage", [str(HERE / "lineage_bench.py"), "--decisions", n]),
        ("HTTP API (wrk)", [str(HERE / "api_bench.py"), "--decisions", n]),
        ("web pages", [str(HERE / "web_bench.py"), "--decisions", n]),
        ("input formats (PDF, Word, HTML)", [str(HERE / "formats_bench.py")]),
    ]
    failed = 0
    for title, cmd in steps:
        print(f"\n=== {title}", flush=True)
        failed += subprocess.call([sys.executable, *cmd]) != 0
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
