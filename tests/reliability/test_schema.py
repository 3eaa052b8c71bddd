"""schemathesis against a live ``kgraph serve``: no server error, every answer as documented.

Two gated runs, each failing on any failure or error schemathesis reports (its exit status):

- the SPARQL protocol, update, linked-data and health routes, over a small hand-built store,
  with every check except ``positive_data_acceptance``: whether a SPARQL text or an IRI names
  something cannot be said in JSON Schema, so a schema-valid request may rightly be refused
  (400 malformed query, 404 unknown IRI);
- the REST and lineage routes, over a store built from the seed corpus (so ids from the
  OpenAPI examples and from earlier answers reach real decisions), with every check.

Quick in ``make test`` (a few examples per operation, a fixed seed, no stateful phase); the
long run (``make soak``) takes 60 examples per operation, a fresh seed and every phase.
One worker: schemathesis's own thread pool has raced in its lazy imports here, and a gate
must not fail for the tool's sake.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.reliability.conftest import (
    KGRAPH,
    LEDGER,
    ROOT,
    SOAK,
    TOKEN,
    Live,
    server_env,
    start_server,
)

ST = str(Path(sys.executable).with_name("st"))
SEED = "20261129"

#: The routes whose contract is the SPARQL protocol, updates, linked data and health.
PROTOCOL = r"^/(sparql|data|id/|\.well-known/|healthz)"


def _run(url: str, examples: int, *extra: str) -> tuple[int, int, str]:
    """Run schemathesis; (cases generated, unique failures, output). Asserts a clean exit."""
    cmd = [ST, "run", url + "/openapi.json", "--checks", "all", "--max-examples", str(examples),
           "--header", f"Authorization: Bearer {TOKEN}", "--request-timeout", "30",
           "--no-color", "--workers", "1", *extra]
    if not SOAK:
        cmd += ["--seed", SEED, "--phases", "examples,coverage,fuzzing"]
    with tempfile.TemporaryDirectory() as scratch:  # schemathesis keeps a cache in its cwd
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=1800, cwd=scratch)
    out = done.stdout + done.stderr
    generated = re.search(r"(\d+) generated", out)
    failures = re.search(r"found (\d+) unique failures?", out)
    cases = int(generated.group(1)) if generated else 0
    found = int(failures.group(1)) if failures else 0
    return cases, found, out if done.returncode else ""


@pytest.fixture(scope="module")
def seed_live(tmp_path_factory) -> Iterator[Live]:
    """``kgraph serve`` over a store that ``kgraph build`` made from the seed corpus."""
    store = tmp_path_factory.mktemp("seed-live") / "store"
    subprocess.run([KGRAPH, "build", "corpus", "--store", str(store)], cwd=ROOT, env=server_env(),
                   check=True, capture_output=True, timeout=600)
    server = start_server(store)
    try:
        yield server
    finally:
        server.kill()


def test_schemathesis_over_the_protocol_routes_finds_no_server_error_and_no_mismatch(live):
    examples = 60 if SOAK else 4
    cases, found, failed = _run(live.url, examples, "--include-path-regex", PROTOCOL,
                                "--exclude-checks", "positive_data_acceptance")
    LEDGER.add("schemathesis", f"SPARQL, update, /data, /id, VoID, health: {examples} examples/op",
               cases, cases - found, "0 server errors, 0 mismatches required")
    assert not failed, failed[-6000:]
    assert cases > 0


def test_schemathesis_over_the_rest_routes_finds_no_server_error_and_no_mismatch(seed_live):
    examples = 60 if SOAK else 10
    cases, found, failed = _run(seed_live.url, examples, "--exclude-path-regex", PROTOCOL)
    LEDGER.add("schemathesis", f"REST and lineage routes, seed store: {examples} examples/op",
               cases, cases - found, "every check, health checks on")
    assert not failed, failed[-6000:]
    assert cases > 0
