"""``kgraph build`` counts the facts left out; ``kgraph validate`` lists them; ``--strict`` refuses."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from kgraph.cli.main import app
from kgraph.graph import build as build_module
from tests.graph.test_checked import CORPUS, CORRUPT

runner = CliRunner()


def _corrupt(monkeypatch):
    real = build_module.extract_corpus

    def extract(*args, **kwargs):
        facts, texts, errors = real(*args, **kwargs)
        for f in facts:
            CORRUPT[f["document"]["source"]][0](f)
        return facts, texts, errors

    monkeypatch.setattr(build_module, "extract_corpus", extract)


def test_build_counts_left_out_facts_and_validate_lists_them(tmp_path, monkeypatch):
    _corrupt(monkeypatch)
    store = str(tmp_path / "store")
    result = runner.invoke(app, ["build", str(CORPUS), "--store", store])
    assert result.exit_code == 0, result.output
    assert "built 4" in result.output and "errors 0" in result.output
    assert "4 facts left out of 4 documents" in result.output
    again = runner.invoke(app, ["build", str(CORPUS), "--store", store])  # nothing rebuilt, still counted
    assert "unchanged 4" in again.output and "4 facts left out of 4 documents" in again.output
    listed = runner.invoke(app, ["validate", "--store", store])
    assert listed.exit_code == 0, listed.output
    assert "left out legislation[0] 'Section One of the Localism Act 2011'" in listed.output
    assert "decision[0].status" in listed.output and "'pending'" in listed.output
    fast = runner.invoke(app, ["validate", "--store", store, "--fast"])
    assert fast.exit_code == 0 and fast.output == listed.output
    as_json = json.loads(runner.invoke(app, ["validate", "--store", store, "--json"]).output)
    assert {s: [x["fact"] for x in xs] for s, xs in as_json.items()} == {s: [k] for s, (_, k) in CORRUPT.items()}


def test_strict_build_refuses_documents_with_a_bad_fact(tmp_path, monkeypatch):
    _corrupt(monkeypatch)
    result = runner.invoke(app, ["build", str(CORPUS), "--store", str(tmp_path / "store"), "--strict"])
    assert result.exit_code == 1
    assert result.output.count("[KG201]") == 4 and "built 0" in result.output
