"""The ontology graph's digest is the same in every process, so a rebuild never rewrites it."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.reliability.conftest import LEDGER, ROOT, SOAK

CODE = "from kgraph.graph.build import _ontology_ntriples; print(_ontology_ntriples()[1])"


def test_ontology_digest_is_stable_across_processes():
    digests = set()
    seeds = ("1", "2", "3", "4", "5") if SOAK else ("1", "2")
    for seed in seeds:
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-c", CODE], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=120, check=True)
        digests.add(done.stdout.strip())
    LEDGER.add("build", f"ontology digest in {len(seeds)} processes", len(seeds),
               len(seeds) + 1 - len(digests), "one digest")
    assert len(digests) == 1
