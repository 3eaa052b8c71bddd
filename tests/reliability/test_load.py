"""Many clients at once against a live server, with its memory watched."""

from __future__ import annotations

import threading
import time

import httpx

from tests.reliability.conftest import LEDGER, SOAK

REQUESTS = [
    ("GET", "/sparql", {"params": {"query": "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 50"}}),
    ("GET", "/sparql", {"params": {"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"},
                        "headers": {"accept": "text/csv"}}),
    ("POST", "/sparql", {"data": {"query": "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 20"}}),
    ("GET", "/decisions", {"params": {"limit": 5}}),
    ("GET", "/id/council/kent-county-council/decision/19-00076", {"headers": {"accept": "text/html"}}),
    ("GET", "/.well-known/void", {}),
    ("GET", "/healthz", {}),
    ("GET", "/sparql", {"params": {"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> {} }"}}),
]


def test_concurrent_load_and_memory(live):
    clients, seconds = (50, 60.0) if SOAK else (6, 2.0)
    counts = {"ok": 0, "coded": 0, "bad": 0}
    lock = threading.Lock()

    def client(k: int) -> None:
        deadline = time.monotonic() + seconds
        with httpx.Client(base_url=live.url, timeout=60) as c:
            i = k
            while time.monotonic() < deadline:
                method, path, kwargs = REQUESTS[i % len(REQUESTS)]
                i += 1
                r = c.request(method, path, **kwargs)
                ctype = r.headers.get("content-type", "")
                if r.status_code < 400:
                    kind = "ok"
                elif r.status_code in (403, 503) and ctype.startswith("application/json"):
                    kind = "coded"  # SERVICE refused, or busy under load: both in the envelope
                else:
                    kind = "bad"
                with lock:
                    counts[kind] += 1

    def run() -> None:
        threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(seconds + 120)

    run()  # warm-up round: workers, caches
    warm = live.memory_mb()
    counts.update(ok=0, coded=0, bad=0)
    run()
    after = live.memory_mb()
    total = sum(counts.values())
    growth = after - warm
    held = total - counts["bad"]
    LEDGER.add("load", f"{clients} clients x {seconds:g} s (mixed routes)", total, held,
               f"{counts['coded']} coded refusals; memory {warm:.0f} -> {after:.0f} MB")
    assert counts["bad"] == 0
    assert growth < 150, (warm, after)
