"""Build benchmark: fresh builds at several corpus sizes, incremental re-builds, store size, peak RSS.

Run: ``python bench/build_bench.py [--sizes 200,2000] [--words 1500] [--jobs 2]``.
Synthetic papers (``bench/corpus_gen.py``) are written to a temporary directory; every build
runs in its own process so that its peak memory is its own. For each size it prints a fresh
build (extraction cache empty) with ``--jobs 1`` (smallest size only) and ``--jobs N``, the
latter beside its peer, the previous write path: the same fresh build written by one
transaction per batch (``bulk_load_mb=0``) instead of bulk-loaded beside the store and swapped
in; each fresh build's stages (extract, link, plan, render, write) are listed after the table. At the
largest size, re-builds with nothing changed and with one document changed (cache on), each
beside the previous behaviour as its peer: the same re-build without the link state kept beside
the store, so the whole corpus is resolved and linked again and every document's digest
compared (the digests still spare unchanged documents their rendering and writing). Store size
is measured on disk after the build's flush.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def child(spec: dict) -> dict:
    """One build in this process, as ``spec`` says; returns its figures."""
    sys.path.insert(0, str(ROOT))
    from kgraph.extract.cache import ExtractionCache
    from kgraph.graph.build import build_corpus
    from kgraph.graph.compact import fold_write_log
    from kgraph.graph.runner import open_runner
    from kgraph.graph.store import GraphStore
    from kgraph.settings import Settings

    if spec.get("no_state"):
        from kgraph.graph.incremental import drop_state

        drop_state(Path(spec["store"]))
    store = GraphStore.open(Path(spec["store"]))
    cache = ExtractionCache(Path(spec["cache"])) if spec.get("cache") else None
    t = time.perf_counter()
    settings = Settings(**({"bulk_load_mb": spec["bulk_load_mb"]} if "bulk_load_mb" in spec else {}))
    with open_runner(jobs=spec["jobs"]) as runner:
        report = build_corpus([Path(spec["corpus"])], store, settings, cache=cache, runner=runner)
    seconds = time.perf_counter() - t
    quads = len(store)
    report.store = store = None
    fold_write_log(Path(spec["store"]))  # as `kgraph build` does when it is done
    return {
        "seconds": seconds, "built": len(report.built), "unchanged": len(report.unchanged),
        "errors": [str(e) for e in report.errors], "rendered": report.rendered, "extracted": report.extracted,
        "relinked": report.relinked,
        "timings": report.timings, "quads": quads, "write_path": report.write_path,
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "workers_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }


def run(spec: dict) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", json.dumps(spec)], capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(f"build failed: {out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="200,2000")
    ap.add_argument("--words", type=int, default=1500)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(json.loads(args.child))))
        return
    sys.path.insert(0, str(HERE))
    from corpus_gen import write

    sizes = [int(s) for s in args.sizes.split(",")]
    rows = []
    print(f"\nbuild, synthetic papers of ~{args.words} words, cache empty for fresh builds")
    print(f"{'docs':>6s} {'jobs':>4s} {'build':46s} {'s':>8s} {'docs/s':>7s} {'linked':>6s} {'rendered':>8s} "
          f"{'quads/doc':>9s} {'KB/doc':>7s} {'RSS MB':>7s} {'worker MB':>9s}", flush=True)
    fresh: dict = {}
    stages: list[tuple[str, dict]] = []

    def show(n: int, jobs: int, kind: str, r: dict) -> None:
        rows.append((n, jobs, kind, r))
        if kind == "fresh":
            fresh[(n, jobs)] = r
        if "fresh" in kind:
            stages.append((f"{n} docs, jobs {jobs}, fresh, written by {r['write_path']}", r))
        kb = f"{r['size_bytes'] / n / 1024:7.0f}" if "fresh" in kind else f"{'':7s}"
        print(f"{n:6d} {jobs:4d} {kind:46s} {r['seconds']:8.2f} {n / r['seconds']:7.1f} {r['relinked']:6d} {r['rendered']:8d} "
              f"{r['quads'] / n:9.0f} {kb} {r['rss_mb']:7.0f} {r['workers_rss_mb']:9.0f}", flush=True)

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        corpus = tmp / "corpus"
        paths = write(max(sizes), args.words, corpus)
        for n in sizes:
            sub = tmp / f"corpus-{n}"
            sub.mkdir()
            for p in paths[:n]:
                (sub / p.name).symlink_to(p)
            for jobs in ([1, args.jobs] if n == sizes[0] and args.jobs > 1 else [args.jobs]):
                tag = f"{n}-{jobs}"
                spec = {"corpus": str(sub), "store": str(tmp / f"store-{tag}"), "cache": str(tmp / f"cache-{tag}"),
                        "jobs": jobs}
                r = run(spec)
                assert not r["errors"], r["errors"][:3]
                r["size_bytes"] = dir_size(tmp / f"store-{tag}")
                show(n, jobs, "fresh", r)
                if jobs == args.jobs:
                    peer = {**spec, "store": str(tmp / f"store-{tag}-tx"), "cache": str(tmp / f"cache-{tag}-tx"),
                            "bulk_load_mb": 0}
                    p = run(peer)
                    assert not p["errors"], p["errors"][:3]
                    p["size_bytes"] = dir_size(tmp / f"store-{tag}-tx")
                    show(n, jobs, "  peer: fresh, previous write path", p)
                    shutil.rmtree(tmp / f"store-{tag}-tx")
                if n == sizes[-1] and jobs == args.jobs:
                    show(n, jobs, "re-build, nothing changed", run(spec))
                    show(n, jobs, "  peer: previous build (no link state)", run({**spec, "no_state": True}))
                    target = sub / paths[n // 2].name
                    original = paths[n // 2].read_text(encoding="utf-8")
                    target.unlink()
                    target.write_text(original + "\nAddendum: one more line.\n", encoding="utf-8")
                    show(n, jobs, "re-build, 1 document changed", run(spec))
                    target.write_text(original, encoding="utf-8")
                    run(spec)  # back to the original, then the same change for the peer
                    # another addendum, so that the peer extracts the changed document too
                    target.write_text(original + "\nAddendum: another line.\n", encoding="utf-8")
                    show(n, jobs, "  peer: previous build (no link state)", run({**spec, "no_state": True}))

    n = sizes[-1]
    f = fresh[(n, args.jobs)]
    once, peer = rows[-2][3], rows[-1][3]
    print(f"\nre-build with 1 of {n} documents changed: {once['seconds']:.2f} s, {once['relinked']} documents "
          f"linked again, {once['rendered']} rendered (previous build: {peer['seconds']:.2f} s, "
          f"{peer['seconds'] / once['seconds']:.0f}x slower); stages: "
          + ", ".join(f"{k} {v:.2f}s" for k, v in once["timings"].items()))
    print("fresh build stages at the largest size: " + ", ".join(f"{k} {v:.2f}s" for k, v in f["timings"].items()))
    print("\nfresh builds, seconds per stage (render includes the bulk loads that overlap it):")
    names = ["extract", "link", "plan", "render", "write"]
    print(f"{'build':78s} " + " ".join(f"{k:>8s}" for k in names) + f" {'RSS MB':>7s}")
    for label, r in stages:
        print(f"{label:78s} " + " ".join(f"{r['timings'].get(k, 0):8.2f}" for k in names) + f" {r['rss_mb']:7.0f}")


if __name__ == "__main__":
    main()
