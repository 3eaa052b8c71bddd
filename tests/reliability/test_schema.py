"""schemathesis against a live ``kgraph serve``: no server error, every answer as documented.

Checks: every one schemathesis has except ``positive_data_acceptance``: whether a SPARQL
text or an id names something cannot be said in JSON Schema, so a schema-valid request may
rightly be refused (400 malformed query, 404 unknown id).
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.reliability.conftest import LEDGER, SOAK, TOKEN

ST = str(Path(sys.executable).with_name("st"))


#: The routes this suite gates on: SPARQL protocol, updates, linked data, health.
GATED = r"^/(sparql|data|id/|\.well-known/|healthz)"


def _run(url: str, examples: int, *extra: str) -> tuple[int, int, str]:
    cmd = [ST, "run", url + "/openapi.json", "--checks", "all",
           "--exclude-checks", "positive_data_acceptance", "--max-examples", str(examples),
           "--header", f"Authorization: Bearer {TOKEN}", "--request-timeout", "30",
           "--no-color", "--workers", "2", *extra]
    if not SOAK:
        cmd += ["--seed", "20261129", "--phases", "examples,coverage,fuzzing"]
    with tempfile.TemporaryDirectory() as scratch:  # schemathesis keeps a cache in its cwd
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=1800, cwd=scratch)
    out = done.stdout + done.stderr
    generated = re.search(r"(\d+) generated", out)
    failures = re.search(r"found (\d+) unique failures", out)
    return (int(generated.group(1)) if generated else 0,
            int(failures.group(1)) if failures else 0, out)


def test_schemathesis_finds_no_server_error_and_no_mismatch(live):
    examples = 60 if SOAK else 4
    cases, found, out = _run(live.url, examples, "--include-path-regex", GATED)
    LEDGER.add("schemathesis", f"SPARQL, update, /id, VoID, health: {examples} examples/op",
               cases, cases - found, "0 server errors, 0 mismatches required")
    assert found == 0 and "unique failures" not in out, out[-6000:]
    assert cases > 0


@pytest.mark.skipif(not SOAK, reason="long run only (make soak)")
def test_schemathesis_over_the_other_routes_is_reported(live):
    """The REST routes too, reported in the table (not gated here)."""
    examples = 60 if SOAK else 2
    cases, found, _ = _run(live.url, examples, "--exclude-path-regex", GATED,
                           "--suppress-health-check", "all")
    LEDGER.add("schemathesis", f"REST routes: {examples} examples/op (reported only)",
               cases, cases - found, f"{found} unique failures")
    assert cases > 0
