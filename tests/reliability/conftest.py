"""The reliability suite: a real ``kgraph serve`` process attacked, killed and loaded.

Quick by default (part of ``make test``); ``make soak`` sets ``KGRAPH_SOAK=1`` for the long
run. Every test records what it tried and what held in :data:`LEDGER`, printed as a table
at the end of the run.
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from kgraph.graph.store import GraphStore
from tests.api.conftest import fill, free_port

pytestmark = pytest.mark.slow

#: True for the long run (``make soak``).
SOAK = os.environ.get("KGRAPH_SOAK", "") not in ("", "0")
ROOT = Path(__file__).resolve().parents[2]
TOKEN = "reliability-token"
KGRAPH = str(Path(sys.executable).with_name("kgraph"))


@dataclass
class Row:
    area: str
    tried: str
    count: int
    held: int
    note: str = ""


class Ledger:
    """What the suite tried and what held, for the summary table."""

    def __init__(self) -> None:
        self.rows: list[Row] = []

    def add(self, area: str, tried: str, count: int, held: int, note: str = "") -> None:
        self.rows.append(Row(area, tried, count, held, note))

    def table(self) -> str:
        head = ("area", "what was tried", "count", "held", "note")
        rows = [(r.area, r.tried, str(r.count), str(r.held), r.note) for r in self.rows]
        widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(head)]
        line = lambda cells: "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"  # noqa: E731
        out = [line(head), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
        out += [line(r) for r in rows]
        total, held = sum(r.count for r in self.rows), sum(r.held for r in self.rows)
        out.append(f"{len(self.rows)} checks, {total} attempts, {held} held")
        return "\n".join(out)


LEDGER = Ledger()


def pytest_terminal_summary(terminalreporter) -> None:
    if LEDGER.rows:
        terminalreporter.section("reliability: what was tried and what held")
        terminalreporter.write_line(LEDGER.table())


# ---------------------------------------------------------------------------- a live server


@dataclass
class Live:
    url: str
    port: int
    store_path: Path
    proc: subprocess.Popen

    def kill(self) -> None:
        """kill -9 the server and every worker it started (its own process group)."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)

    def memory_mb(self) -> float:
        """Resident memory of the server and its worker processes, in MB."""
        return sum(_rss_kb(pid) for pid in _tree(self.proc.pid)) / 1024


def _tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        p = todo.pop()
        pids.append(p)
        with contextlib.suppress(OSError):
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    todo += [int(c) for c in fh.read().split()]
    return pids


def _rss_kb(pid: int) -> int:
    with contextlib.suppress(OSError), open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def server_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KGRAPH_")}
    env.update({"KGRAPH_UPDATE_TOKEN": TOKEN, "KGRAPH_QUERY_TIMEOUT_S": "2",
                "KGRAPH_UPDATE_TIMEOUT_S": "2", "KGRAPH_CACHE_DIR": "", **extra})
    return env


def start_server(store_path: Path, **extra: str) -> Live:
    """``kgraph serve`` in its own process group over ``store_path``; waits for /healthz."""
    port = free_port()
    proc = subprocess.Popen(
        [KGRAPH, "serve", "--store", str(store_path), "--port", str(port)],
        cwd=ROOT, env=server_env(**extra), start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    live = Live(f"http://127.0.0.1:{port}", port, store_path, proc)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("kgraph serve exited at start")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(live.url + "/healthz", timeout=2).status_code == 200:
                return live
        time.sleep(0.2)
    live.kill()
    raise RuntimeError("kgraph serve did not start")


def filled_store(path: Path) -> Path:
    store = GraphStore.open(path)
    fill(store)
    del store
    gc.collect()  # releases the store's lock for the server process
    return path


@pytest.fixture(scope="module")
def live(tmp_path_factory) -> Iterator[Live]:
    server = start_server(filled_store(tmp_path_factory.mktemp("live") / "store"))
    try:
        yield server
    finally:
        server.kill()
