"""HTTP API benchmark with wrk on loopback: requests/s, p50 and p99 latency.

Serves (a) a store built from the seed corpus and (b) a synthetic store of N decisions
(``bench/synthetic.py``, default 100,000; kept in ``--synthetic-store`` and reused) with
uvicorn, one worker, no access log (uvloop / httptools when installed), and runs wrk against:

- ``GET /decisions/{id}``, rotating over decision ids (a small wrk Lua script): first over ids
  never asked for (cold: every answer computed from the store), then over ids asked once
  before (warm: answers from the per-revision cache);
- ``GET /decisions/{id}/lineage`` (when the app has that route);
- a SPARQL aggregate through ``GET /sparql`` (decisions per organisation): the same text every
  time (answered from the per-generation cache after the first); the same query with another
  trailing comment every time (one answer too: answers are kept by the text without comments);
  and a different query every time (``LIMIT`` n for a new n, more than the rows there are:
  every request evaluated by Oxigraph in a query worker, as distinct queries are);
- a one-document write (``POST /data``) and the first request of index-backed routes after it;
- every REST route (``/decisions`` with each filter, ``/decisions/{id}/basis``,
  ``/legislation/{act}/decisions``, ``/organisations``, ``/organisations/{id}``, ``/funding``,
  ``/documents/{id}``): the first request of each route alone, then ``--rest-urls`` distinct
  URLs each requested once by ``--rest-connections`` clients (httpx; default one, so that the
  latency is the answer's own, not time queued behind others), so that every answer is
  computed from the indexes and the store (the rendered-answer cache never helps).

It also times the aggregate alone, uncached (through the endpoint and in-process on a
read-only handle, Oxigraph alone, median of 5: the difference is what the endpoint adds), and
the server's start-up (which builds or loads the read and lineage indexes).

The peer: rdflib-endpoint (``--peer-python``: a Python where ``rdflib-endpoint`` is installed;
it is not a kgraph dependency) serving the same synthetic N-Quads for ``--peer-decisions``
decisions (rdflib holds them in memory; 100,000 would not fit), against kgraph serving a store
of the same decisions, both uncached with wrk.

Run: ``python bench/api_bench.py [--decisions 100000] [--duration 10] [--connections 20]``.
Needs wrk (Debian: ``apt-get install -y wrk``).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.synthetic import BASE, build_store, decision_ids  # noqa: E402
from kgraph.read.common import DCT, KG, RDF  # noqa: E402

#: Decisions per organisation (kg:namesOrganisation has kg:Decision as its domain, so no
#: ``?d a kg:Decision`` join is needed: at 100,000 decisions that join alone costs seconds).
AGGREGATE = f"""PREFIX kg: <{KG}>
SELECT ?org (COUNT(DISTINCT ?d) AS ?decisions)
WHERE {{ ?d kg:namesOrganisation ?org }}
GROUP BY ?org ORDER BY DESC(?decisions)"""

#: The bench server's update token (for the one-document write).
WRITE_TOKEN = "bench-write-token"

#: The aggregate with another trailing comment per request (the same query to the answer cache).
COMMENTED_LUA = """local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", "%s%%0A%%23" .. n)
end
"""

#: A distinct aggregate query per request (``LIMIT`` n with n above the rows there are, so the
#: answer is the same size and no answer comes from a cache).
DISTINCT_LUA = """local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", "%s%%0ALIMIT%%20" .. (1000000 + n))
end
"""

LUA = """local ids = {}
for line in io.lines("%s") do ids[#ids + 1] = line end
local i = math.random(#ids)
request = function()
  i = i + 1
  return wrk.format("GET", "/decisions/" .. ids[(i %% #ids) + 1] .. "%s")
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_options() -> tuple[list[str], str]:
    opts, notes = [], []
    if importlib.util.find_spec("uvloop"):
        opts += ["--loop", "uvloop"]
    else:
        notes.append("uvloop not installed (asyncio loop)")
    if importlib.util.find_spec("httptools"):
        opts += ["--http", "httptools"]
    else:
        notes.append("httptools not installed (h11 parser)")
    return opts, "; ".join(notes) or "uvloop + httptools"


@contextlib.contextmanager
def serve(store_path: Path) -> Iterator[str]:
    """uvicorn (one worker) over the store at ``store_path``; yields its base URL."""
    port = free_port()
    opts, _ = server_options()
    env = {**os.environ, "KGRAPH_STORE_PATH": str(store_path), "PYTHONPATH": str(ROOT),
           "KGRAPH_UPDATE_TOKEN": WRITE_TOKEN}
    cmd = [sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory", "--host", "127.0.0.1",
           "--port", str(port), "--workers", "1", "--no-access-log", "--log-level", "warning", *opts]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 1800  # a first start builds the indexes of a large store
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"server exited with {proc.returncode}")
            with contextlib.suppress(httpx.HTTPError):
                # /openapi.json answers as soon as the app is up
                if httpx.get(url + "/openapi.json", timeout=5).status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError("server did not start")
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()


def _ms(text: str) -> float:
    m = re.match(r"([\d.]+)(us|ms|s)", text)
    value, unit = float(m.group(1)), m.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


def wrk(url: str, args: argparse.Namespace, script: Path | None = None) -> dict:
    cmd = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s", "--latency"]
    if script is not None:
        cmd += ["-s", str(script)]
    out = subprocess.run([*cmd, url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = _ms(re.search(r"\s50%\s+(\S+)", out).group(1))
    p99 = _ms(re.search(r"\s99%\s+(\S+)", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    return {"rps": rps, "p50": p50, "p99": p99, "non2xx": int(bad.group(1)) if bad else 0,
            "socket_errors": errors.group(1) if errors else ""}


def rotation(tmp: Path, name: str, ids: list[str], suffix: str = "") -> Path:
    ids_file = tmp / f"{name}.ids"
    ids_file.write_text("\n".join(quote(i, safe="") for i in ids) + "\n")
    script = tmp / f"{name}.lua"
    script.write_text(LUA % (ids_file, suffix))
    return script


def rest_routes(url: str, ids: list[str], rng: random.Random, n: int) -> list[tuple[str, list[str]]]:
    """(route, URLs) for every REST route: n distinct URLs each (fewer where fewer exist)."""
    with httpx.Client(base_url=url, timeout=600) as client:
        orgs = [o["id"] for o in client.get("/organisations", params={"limit": 500}).json()["items"]]
        picked = rng.sample(ids, min(len(ids), n + 50))
        some, for_docs = picked[:n], picked[n:] or picked[:1]  # decisions asked here are not timed
        docs = []
        for i in for_docs:
            docs += [d["id"] for d in client.get(f"/decisions/{quote(i, safe='')}").json()["documents"]]
        acts = ["ukpga/1989/41", "ukpga/2006/41", "ukpga/1972/70", "ukpga/2014/23"]
    pages = range(n)
    return [
        ("/decisions/{id}", [f"/decisions/{quote(i, safe='')}" for i in some]),
        ("/decisions?offset=", [f"/decisions?offset={k * 50}" for k in pages]),
        ("/decisions?organisation=", [f"/decisions?organisation={orgs[k % len(orgs)]}&offset={k // len(orgs) * 50}"
                                      for k in pages]),
        ("/decisions?legislation=(Act)", [f"/decisions?legislation={quote(acts[k % len(acts)], safe='')}"
                                          f"&offset={k // len(acts) * 50}" for k in pages]),
        ("/decisions?q=", [f"/decisions?q=decision%20{k}" for k in pages]),
        ("/decisions?from=&to=", [f"/decisions?from=20{10 + k % 14}-01-01&to=20{10 + k % 14}-{1 + k // 14 % 12:02d}-28"
                                  for k in pages]),
        ("/decisions/{id}/basis", [f"/decisions/{quote(i, safe='')}/basis" for i in some]),
        ("/legislation/{act}/decisions", [f"/legislation/{acts[k % len(acts)]}/decisions?offset={k // len(acts) * 50}"
                                          for k in pages]),
        ("/organisations?offset=", [f"/organisations?offset={k}&limit=50" for k in pages]),
        ("/organisations/{id}", [f"/organisations/{orgs[k % len(orgs)]}" for k in range(min(n, len(orgs)))]),
        ("/funding?offset=", [f"/funding?offset={k * 50}" for k in pages]),
        ("/funding?recipient=", [f"/funding?recipient={orgs[k % len(orgs)]}&offset={k // len(orgs) * 50}"
                                 for k in pages]),
        ("/documents/{id}", [f"/documents/{d}" for d in docs]),
    ]


def cold_pass(url: str, paths: list[str], connections: int) -> dict:
    """Each URL requested once (never a cached answer), ``connections`` at a time: req/s and
    latency percentiles of answers computed from the store."""
    import asyncio

    async def run() -> tuple[list[float], int, float]:
        queue: asyncio.Queue[str] = asyncio.Queue()
        for p in paths:
            queue.put_nowait(p)
        times: list[float] = []
        bad = 0

        async def worker(client: httpx.AsyncClient) -> None:
            nonlocal bad
            while not queue.empty():
                p = queue.get_nowait()
                t = time.perf_counter()
                r = await client.get(p)
                times.append((time.perf_counter() - t) * 1000)
                bad += r.status_code >= 400

        started = time.perf_counter()
        limits = httpx.Limits(max_connections=connections)
        async with httpx.AsyncClient(base_url=url, timeout=600, limits=limits) as client:
            await asyncio.gather(*(worker(client) for _ in range(connections)))
        return times, bad, time.perf_counter() - started

    times, bad, wall = asyncio.run(run())
    times.sort()
    pick = lambda q: times[min(len(times) - 1, int(q * (len(times) - 1) + 0.5))]  # noqa: E731
    return {"rps": len(times) / wall, "p50": pick(0.5), "p99": pick(0.99), "non2xx": bad, "socket_errors": ""}


def first_request_ms(client: httpx.Client, path: str) -> float:
    """One request's time on an open connection (the client's own set-up not counted)."""
    client.get("/healthz")
    t = time.perf_counter()
    r = client.get(path)
    r.raise_for_status()
    return (time.perf_counter() - t) * 1000


#: Hops per lineage request, as in bench/lineage_bench.py.
LINEAGE_DEPTH = 3


def has_lineage(url: str, some_id: str) -> bool:
    # the first request builds the lineage index (tens of seconds at 100,000 decisions)
    r = httpx.get(f"{url}/decisions/{quote(some_id, safe='')}/lineage?depth=1", timeout=900)
    return r.status_code == 200


def bench_dataset(label: str, store_path: Path, ids: list[str], args, tmp: Path) -> list[tuple]:
    rng = random.Random(7)
    rows: list[tuple] = []

    def add(target: str, result: dict | None) -> None:
        rows.append((label, target, result))
        report([rows[-1]], args, header=len(rows) == 1)

    started = time.perf_counter()
    with serve(store_path) as url:
        add("start-up (indexes built or loaded)", {"median_s": time.perf_counter() - started})
        routes = rest_routes(url, ids, rng, args.rest_urls)
        rest_ids = {p.split("/")[2] for p in routes[0][1]}
        first = httpx.Client(base_url=url, timeout=600)
        for route, paths in routes:
            add(f"{route} first", {"median_s": first_request_ms(first, paths[0]) / 1000})
            add(route, cold_pass(url, paths[1:] or paths, args.rest_connections))
        write_rows(add, url)
        sample = rng.sample(ids, min(len(ids), args.rotate))
        asked = set(sample) | set(rest_ids)
        cold = [i for i in rng.sample(ids, min(len(ids), args.rotate * 4)) if i not in asked]
        with httpx.Client(base_url=url, timeout=120) as client:
            for i in sample:  # warm the cache for these ids
                client.get(f"/decisions/{quote(i, safe='')}").raise_for_status()
        if len(ids) > len(sample) and cold:
            add("/decisions/{id} cold", wrk(url, args, rotation(tmp, f"{label}-cold", cold)))
        add("/decisions/{id} warm", wrk(url, args, rotation(tmp, f"{label}-warm", sample)))
        if has_lineage(url, sample[0]):
            add(f"/decisions/{{id}}/lineage?depth={LINEAGE_DEPTH}", wrk(url, args, rotation(tmp, f"{label}-lineage", sample, f"/lineage?depth={LINEAGE_DEPTH}")))
        else:
            add("/decisions/{id}/lineage", None)
        agg = f"{url}/sparql?query={quote(AGGREGATE, safe='')}"
        aggregate_rows(add, url, "/sparql", store_path, args, tmp, label)
        add("SPARQL aggregate (/sparql)", wrk(agg, args))
    return rows


def write_rows(add, url: str) -> None:
    """A one-document write (``POST /data``: a graph with one new decision), then the first
    request of routes that read the indexes: each is updated by that one graph, not rebuilt.
    The graph is dropped again afterwards (``DROP GRAPH``), and the first request timed again."""
    graph = f"{BASE}document/bench-write"
    d = f"{BASE}council/kent-county-council/decision/99-99999"
    nt = (f"<{d}> <{RDF}type> <{KG}Decision> .\n"
          f'<{d}> <{DCT}identifier> "99-99999" .\n<{d}> <{KG}decisionNumber> "99/99999" .\n'
          f'<{d}> <{DCT}title> "Bench write" .\n<{graph}> <{KG}records> <{d}> .\n')
    auth = {"Authorization": f"Bearer {WRITE_TOKEN}"}
    with httpx.Client(base_url=url, timeout=600) as client:
        t = time.perf_counter()
        r = client.post(f"/data?graph={quote(graph, safe='')}", content=nt,
                        headers={**auth, "Content-Type": "application/n-triples"})
        add("one-document write (POST /data)" + ("" if r.status_code == 200 else f" status {r.status_code}"),
            {"median_s": time.perf_counter() - t})
        for path in ("/decisions/99-99999", "/decisions?q=bench", "/decisions/99-99999/lineage"):
            add(f"  then {path} first", {"median_s": first_request_ms(client, path) / 1000})
        t = time.perf_counter()
        r = client.post("/sparql/update", content=f"DROP GRAPH <{graph}>",
                        headers={**auth, "Content-Type": "application/sparql-update"})
        add("write undone (DROP GRAPH)" + ("" if r.status_code == 204 else f" status {r.status_code}"),
            {"median_s": time.perf_counter() - t})
        add("  then /decisions?q=bench first", {"median_s": first_request_ms(client, "/decisions?q=bench") / 1000})


def aggregate_rows(add, url: str, path: str, store_path: Path | None, args, tmp: Path, label: str) -> None:
    """The aggregate uncached: alone through the endpoint and (kgraph) in Oxigraph in-process,
    median of 5, then with wrk, a distinct query per request; and with a new comment per request."""
    agg = f"{url}{path}?query={quote(AGGREGATE, safe='')}"
    times, failed = [], []
    for i in range(5):
        t = time.perf_counter()
        r = httpx.get(f"{agg}%0ALIMIT%20{2000000 + i}", headers={"Accept": "application/sparql-results+json"}, timeout=600)
        times.append(time.perf_counter() - t)
        if r.status_code != 200:
            failed.append(r.status_code)
    add("SPARQL aggregate alone, uncached" + (f" (status {sorted(set(failed))})" if failed else ""),
        {"median_s": statistics.median(times)})
    if store_path is not None:
        import pyoxigraph as ox

        store = ox.Store.read_only(str(store_path))
        times = []
        for _ in range(5):
            t = time.perf_counter()
            store.query(AGGREGATE, use_default_graph_as_union=True).serialize(
                format=ox.QueryResultsFormat.JSON)
            times.append(time.perf_counter() - t)
        del store
        add("  same, Oxigraph alone in-process", {"median_s": statistics.median(times)})
    script = tmp / f"{label}-distinct.lua"
    script.write_text(DISTINCT_LUA % f"{path}?query={quote(AGGREGATE, safe='')}")
    add("SPARQL aggregate uncached (distinct)", wrk(url, args, script))
    script = tmp / f"{label}-commented.lua"
    script.write_text(COMMENTED_LUA % f"{path}?query={quote(AGGREGATE, safe='')}")
    add("SPARQL aggregate, a new comment each", wrk(url, args, script))


@contextlib.contextmanager
def serve_peer(python: str, nquads: Path) -> Iterator[str]:
    """rdflib-endpoint serving ``nquads`` (union default graph), until the block ends."""
    port = free_port()
    code = "import sys; from rdflib_endpoint.__main__ import cli; sys.argv[0] = 'rdflib-endpoint'; cli()"
    proc = subprocess.Popen([python, "-c", code, "serve", str(nquads), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 1800
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError("rdflib-endpoint exited while loading")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{url}/?query={quote('ASK {}')}", timeout=5).status_code == 200:
                    break
            time.sleep(1)
        yield url
    finally:
        proc.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=10)
        if proc.poll() is None:
            proc.kill()


def bench_peer(args, tmp: Path) -> list[tuple]:
    """kgraph and rdflib-endpoint over the same ``--peer-decisions`` synthetic decisions."""
    from bench.synthetic import decision_quads

    rows: list[tuple] = []
    n = args.peer_decisions
    label = f"{n / 1000:g}k"
    ok = subprocess.run([args.peer_python, "-c", "import rdflib_endpoint"], capture_output=True).returncode == 0
    if not ok:
        print(f"\npeer skipped: rdflib-endpoint is not installed for {args.peer_python} "
              "(pip install rdflib-endpoint==0.6.3 into a separate environment, give --peer-python)")
        return rows

    def add(dataset: str, target: str, result: dict | None) -> None:
        rows.append((dataset, target, result))
        report([rows[-1]], args, header=len(rows) == 1)

    nquads = tmp / "peer.nq"
    with nquads.open("w") as out:
        for q in decision_quads(n):
            out.write(q + "\n")
    path = synthetic_store(n, tmp / "peer-store")
    with serve(path) as url:
        aggregate_rows(lambda t, r: add(f"kg {label}", t, r), url, "/sparql", path, args, tmp, "peer-kgraph")
    started = time.perf_counter()
    with serve_peer(args.peer_python, nquads) as url:
        add(f"rdflib {label}", "start-up (N-Quads parsed)", {"median_s": time.perf_counter() - started})
        aggregate_rows(lambda t, r: add(f"rdflib {label}", t, r), url, "/", None, args, tmp, "peer-rdflib")
    return rows


def seed_store(tmp: Path) -> tuple[Path, list[str]]:
    from kgraph.graph.build import build_corpus
    from kgraph.graph.store import GraphStore

    path = tmp / "seed-store"
    store = GraphStore.open(path)
    build_corpus([ROOT / "corpus"], store)
    ids = [r["id"].value for r in store.query(
        f"SELECT DISTINCT ?id WHERE {{ ?d a <{KG}Decision> ; <{DCT}identifier> ?id }}")]
    store.flush()
    del store
    return path, sorted(ids)


def synthetic_store(n: int, path: Path) -> Path:
    marker = path / "kgraph-synthetic.txt"
    if marker.exists() and marker.read_text().strip() == str(n):
        print(f"reusing the synthetic store of {n} decisions at {path}")
        return path
    shutil.rmtree(path, ignore_errors=True)
    t = time.perf_counter()
    store = build_store(n, path)
    print(f"built a synthetic store of {n} decisions ({len(store)} quads) in {time.perf_counter() - t:.0f} s")
    del store
    marker.write_text(str(n))
    return path


def report(rows: list[tuple], args, header: bool = True) -> None:
    if header:
        _, note = server_options()
        print(f"\nwrk: {args.threads} thread(s), {args.connections} connections, {args.duration} s; "
              f"uvicorn: 1 worker, {note}")
        print(f"{'dataset':<10} {'target':<36} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8}")
    for label, target, r in rows:
        if r is None:
            print(f"{label:<10} {target:<36} {'pending: route not in the app':>36}")
        elif "median_s" in r:
            print(f"{label:<10} {target:<36} {'time':>9} {r['median_s'] * 1000:>8.1f} ms")
        else:
            print(f"{label:<10} {target:<36} {r['rps']:>9.0f} {r['p50']:>8.2f} {r['p99']:>8.2f} {r['non2xx']:>8}"
                  + (f"  socket errors: {r['socket_errors']}" if r["socket_errors"] else ""))
    sys.stdout.flush()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--decisions", type=int, default=100_000, help="synthetic decisions (0: seed only)")
    ap.add_argument("--synthetic-store", type=Path,
                    default=Path(tempfile.gettempdir()) / "kgraph-bench" / "synthetic-store")
    ap.add_argument("--duration", type=int, default=10)
    ap.add_argument("--connections", type=int, default=20)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--rotate", type=int, default=1000, help="decision ids per rotation")
    ap.add_argument("--rest-urls", type=int, default=1000, help="distinct URLs per REST route")
    ap.add_argument("--rest-connections", type=int, default=1,
                    help="concurrent clients for the REST routes (1: each answer's own latency)")
    ap.add_argument("--peer-decisions", type=int, default=2000,
                    help="synthetic decisions both kgraph and rdflib-endpoint serve (0: no peer)")
    ap.add_argument("--peer-python", default=sys.executable,
                    help="a Python where rdflib-endpoint is installed (the peer)")
    args = ap.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: install it (Debian: apt-get install -y wrk) and run again")
    rows: list[tuple] = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        path, ids = seed_store(tmp)
        rows += bench_dataset("seed", path, ids, args, tmp)
        if args.decisions:
            path = synthetic_store(args.decisions, args.synthetic_store)
            rows += bench_dataset(f"{args.decisions // 1000}k", path, decision_ids(args.decisions), args, tmp)
        if args.peer_decisions:
            rows += bench_peer(args, tmp)
    print("\nsummary")
    report(rows, args)


if __name__ == "__main__":
    main()
