"""Link ends: the number as printed beside each IRI, and the JSON's ``{"iri", "number"}`` ends."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from kgraph.cli.main import app
from kgraph.graph.build import extract_corpus
from kgraph.link.ends import json_facts, number_ends

LISTING = (
    "Decisions published\n\n"
    "15/06/2021 - Extension of the Fleet Fuel Contract FLT03 (21/22) ref: 4410    Recommendations Approved\n\n"
    "The current contract formed part of Decision FLT09 18/19 . It may be extended by two years.\n\n"
    "Decision Maker: Director of Fleet\n"
)


def test_numbers_as_printed_with_spaces_and_brackets(tmp_path: Path):
    (tmp_path / "a.txt").write_text(LISTING, encoding="utf-8")
    facts, _, errors = extract_corpus([tmp_path])
    assert errors == []
    (ln,) = facts[0]["decision_links"]
    assert (ln["from_number"], ln["to_number"]) == ("FLT03 (21/22)", "FLT09 18/19")
    assert ln["from"].endswith("/decision/flt03-21-22") and ln["to"].endswith("/decision/flt09-18-19")


def test_json_ends_are_objects_and_the_facts_keep_iris():
    facts = [{"decisions": [{"iri": "D/a", "number": "CAB 12/13 10493"}],
              "decision_links": [{"from": "D/a", "to": "D/b", "type": "references"}]},
             {"decisions": [{"iri": "D/b", "number": "CAB 12/13 9136"}, {"iri": "D/c", "number": None}],
              "decision_links": [{"from": "D/c", "to": "D/b", "type": "references"}]}]
    number_ends(facts)
    out = json_facts(facts[0])["decision_links"][0]
    assert out["from"] == {"iri": "D/a", "number": "CAB 12/13 10493"}
    assert out["to"] == {"iri": "D/b", "number": "CAB 12/13 9136"}  # named by another document
    assert "from_number" not in out and "to_number" not in out
    assert json_facts(facts[1])["decision_links"][0]["from"] == {"iri": "D/c", "number": None}
    assert facts[0]["decision_links"][0]["from"] == "D/a"


def test_extract_json_prints_link_ends_as_objects(tmp_path: Path):
    (tmp_path / "a.txt").write_text(LISTING, encoding="utf-8")
    result = CliRunner().invoke(app, ["extract", str(tmp_path / "a.txt"), "--corpus", "none"])
    assert result.exit_code == 0, result.output
    (ln,) = json.loads(result.stdout)["decision_links"]
    assert ln["to"]["number"] == "FLT09 18/19" and ln["to"]["iri"].endswith("/flt09-18-19")
    assert ln["from"]["number"] == "FLT03 (21/22)"
