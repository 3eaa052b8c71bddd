"""kill -9 during a build and during an update: the store opens, validates, and holds either
all of an interrupted write or none of it."""

from __future__ import annotations

import contextlib
import gc
import os
import random
import signal
import subprocess
import threading
import time
from pathlib import Path

import httpx
import pytest

from kgraph.graph.store import GraphStore
from tests.reliability.conftest import KGRAPH, LEDGER, ROOT, SOAK, TOKEN, server_env, start_server

CORPUS = ROOT / "corpus"


def _count(path: Path) -> tuple[int, int]:
    """(quads, named graphs) of the store at ``path``, opened for writing as a restart would."""
    store = GraphStore.open(path)
    try:
        return len(store), sum(1 for _ in store.named_graphs())
    finally:
        del store
        gc.collect()


def _build(path: Path) -> subprocess.Popen:
    return subprocess.Popen([KGRAPH, "build", str(CORPUS), "--store", str(path)], cwd=ROOT,
                            env=server_env(), start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _validate(path: Path) -> bool:
    done = subprocess.run([KGRAPH, "validate", "--store", str(path)], cwd=ROOT, env=server_env(),
                          capture_output=True, timeout=300)
    return done.returncode == 0


@pytest.mark.skipif(not SOAK, reason="long run only (make soak): three builds and a validation")
def test_kill_during_build(tmp_path):
    reference = tmp_path / "reference"
    assert _build(reference).wait(600) == 0
    expected = _count(reference)
    kills = 4 if SOAK else 1
    held = 0
    rng = random.Random(7)
    for i in range(kills):
        path = tmp_path / f"killed-{i}"
        proc = _build(path)
        time.sleep(rng.uniform(1.0, 4.0))
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(30)
        opened = _count(path)  # must open (and not raise) after the kill
        ok = _validate(path)
        rebuilt = _build(path).wait(600) == 0 and _count(path) == expected
        held += int(ok and rebuilt and opened[0] <= expected[0])
    LEDGER.add("kill -9", "during kgraph build", kills, held,
               f"store opens, validates, rebuilds to {expected[0]} quads / {expected[1]} graphs")
    assert held == kills


def test_kill_during_update(tmp_path):
    from tests.api.conftest import fill

    path = tmp_path / "store"
    store = GraphStore.open(path)
    fill(store)
    del store
    gc.collect()
    before = _count(path)[0]
    n_triples = 60_000
    update = "INSERT DATA { GRAPH <http://g/bulk> { " + " ".join(
        f'<http://x/{i}> <http://x/p> "{i}" .' for i in range(n_triples)) + " } }"
    kills = 4 if SOAK else 1
    held = 0
    rng = random.Random(11)
    for _ in range(kills):
        live = start_server(path, KGRAPH_UPDATE_TIMEOUT_S="60", KGRAPH_MAX_QUERY_CHARS="10000000",
                            KGRAPH_MAX_BODY_BYTES="20000000")

        def send(url=live.url) -> None:
            with contextlib.suppress(httpx.HTTPError):  # the server is killed under it
                httpx.post(url + "/sparql/update", content=update, timeout=120,
                           headers={"content-type": "application/sparql-update",
                                    "authorization": f"Bearer {TOKEN}"})

        sender = threading.Thread(target=send)
        sender.start()
        time.sleep(rng.uniform(0.3, 2.5))
        live.kill()
        sender.join(60)
        after = _count(path)[0]
        all_or_nothing = after in (before, before + n_triples)
        restarted = start_server(path)
        try:
            r = httpx.get(restarted.url + "/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=30)
            answers = r.status_code == 200 and r.json()["boolean"] is True
        finally:
            restarted.kill()
        held += int(all_or_nothing and answers)
        before = after
    LEDGER.add("kill -9", "server during a 60,000-triple update", kills, held,
               "all or nothing applied; restarts and answers")
    assert held == kills
