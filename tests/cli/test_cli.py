"""The kgraph command line, run in-process with typer's CliRunner."""

from __future__ import annotations

import csv
import io
import json
import shutil

import pytest
from rdflib import Graph, URIRef
from typer.testing import CliRunner

from kgraph.cli.main import app
from tests.conftest import CORPUS, GOLD_PATH, ROOT

runner = CliRunner()
SEED = CORPUS / "000_626c48bb75130463.txt"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    store = tmp_path_factory.mktemp("cli") / "store"
    result = runner.invoke(app, ["build", str(CORPUS), "--store", str(store)])
    assert result.exit_code == 0, result.output
    return store


def test_build_reports_counts_and_is_idempotent(built):
    again = runner.invoke(app, ["build", str(CORPUS), "--store", str(built)])
    assert again.exit_code == 0
    assert "built 0, unchanged 5" in again.output


def test_build_with_two_jobs_equals_a_serial_build(built, tmp_path):
    store = tmp_path / "store"
    result = runner.invoke(app, ["build", str(CORPUS), "--store", str(store), "--jobs", "2"])
    assert result.exit_code == 0, result.output
    assert "built 5, unchanged 0" in result.output
    dumps = [runner.invoke(app, ["export", "--format", "nq", "--store", str(s)]).output for s in (built, store)]
    assert sorted(dumps[0].splitlines()) == sorted(dumps[1].splitlines())


def test_build_with_an_unreachable_scheduler_is_a_coded_error(tmp_path, monkeypatch):
    from kgraph.graph.runner import DaskRunner

    monkeypatch.setattr(DaskRunner, "CONNECT_TIMEOUT", "1s")
    result = runner.invoke(app, ["build", str(CORPUS), "--store", str(tmp_path / "s"), "--scheduler", "tcp://127.0.0.1:9"])
    assert result.exit_code == 1 and "KG160" in result.output


def test_build_names_bad_files_and_still_builds_good_ones(tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    shutil.copy(SEED, corpus / SEED.name)
    (corpus / "bad.txt").write_bytes(b"\xff\xfe\x00\x00garbage")
    result = runner.invoke(app, ["build", str(corpus), "--store", str(tmp_path / "s")])
    assert result.exit_code == 0
    assert "bad.txt" in result.output and "KG10" in result.output
    assert "built 1" in result.output


def test_build_with_only_bad_files_fails(tmp_path):
    (tmp_path / "empty.txt").write_text("")
    result = runner.invoke(app, ["build", str(tmp_path / "empty.txt"), "--store", str(tmp_path / "s")])
    assert result.exit_code == 1
    assert "[KG102] empty.txt" in result.output


def test_extract_json_follows_the_contract():
    result = runner.invoke(app, ["extract", str(SEED), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) >= {"document", "decisions", "organisations", "legislation", "amounts", "decision_links"}
    assert set(data["document"]) >= {"id", "source", "kind", "sha256"}
    text = SEED.read_text(encoding="utf-8")
    for key in ("decisions", "organisations", "legislation", "amounts"):
        for item in data[key]:
            for m in item["mentions"]:
                assert text[m["start"]:m["end"]] == m["text"]
    own = data["decisions"][0]
    assert own["number"] == "19/00076" and own["role"] == "records"


def test_extract_without_corpus_context_leaves_section_76_unresolved():
    alone = json.loads(runner.invoke(app, ["extract", str(SEED), "--corpus", "none"]).stdout)
    with_corpus = json.loads(runner.invoke(app, ["extract", str(SEED)]).stdout)
    acts = lambda d: {(x["act"], x["provision"]) for x in d["legislation"]}  # noqa: E731
    assert ("National Health Service Act 2006", "section 76") in acts(with_corpus)
    assert ("National Health Service Act 2006", "section 76") not in acts(alone)


def test_extract_with_no_corpus_directory_reads_the_files_given_together(tmp_path, monkeypatch):
    # no corpus here: the seed papers given are one another's context, so "section 76" in one
    # paper still takes its Act from the paper that names it
    monkeypatch.setenv("KGRAPH_CORPUS_DIR", str(tmp_path / "no-corpus-here"))
    out = tmp_path / "out"
    result = runner.invoke(app, ["extract", str(CORPUS), "--out", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads((out / f"{SEED.stem}.json").read_text(encoding="utf-8"))
    assert ("National Health Service Act 2006", "section 76") in {(x["act"], x["provision"]) for x in data["legislation"]}


def test_extract_ttl_parses():
    result = runner.invoke(app, ["extract", str(SEED), "--format", "ttl"])
    g = Graph().parse(data=result.stdout, format="turtle")
    assert (None, URIRef("https://w3id.org/kgraph/def#decisionNumber"), None) in g


def test_extract_bad_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "x.txt"
    bad.write_bytes(b"caf\xe9")
    result = runner.invoke(app, ["extract", str(bad)])
    assert result.exit_code == 1
    assert "[KG104] x.txt" in result.output



def test_extract_many_files_writes_one_json_each(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(SEED, src / "a.txt")
    (src / "b.txt").write_text("The Cabinet agreed to award £50,000 to the Trust.\n", encoding="utf-8")
    (src / "bad.txt").write_bytes(b"caf\xe9")
    out_dir = tmp_path / "out"
    result = runner.invoke(app, ["extract", str(src), "--corpus", "none", "--out", str(out_dir), "--jobs", "2"])
    assert result.exit_code == 1  # one bad file: reported, the others still written
    assert "[KG104] bad.txt" in result.output
    assert sorted(p.name for p in out_dir.iterdir()) == ["a.json", "b.json"]
    alone = json.loads(runner.invoke(app, ["extract", str(SEED), "--corpus", "none"]).stdout)
    written = json.loads((out_dir / "a.json").read_text())
    assert written["document"]["source"] == "a.txt"
    assert {k: v for k, v in written.items() if k != "document"} == {k: v for k, v in alone.items() if k != "document"}
    assert [a["gbp"] for a in json.loads((out_dir / "b.json").read_text())["amounts"]] == [50000]


def test_extract_many_files_without_out_is_refused(tmp_path):
    (tmp_path / "a.txt").write_text("One.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Two.\n", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(tmp_path), "--corpus", "none"])
    assert result.exit_code == 2
    assert "--out" in result.output

QUERY = 'SELECT ?n WHERE { ?d kg:decisionNumber ?n } ORDER BY ?n'


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_query_formats(built, fmt):
    result = runner.invoke(app, ["query", QUERY, "--format", fmt, "--store", str(built)])
    assert result.exit_code == 0, result.output
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(result.stdout)))
        assert {r["n"] for r in rows} == {"18/00071", "19/00076", "23/00046"}
    elif fmt == "json":
        assert {r["n"] for r in json.loads(result.stdout)["rows"]} == {"18/00071", "19/00076", "23/00046"}
    else:
        assert "19/00076" in result.stdout


def test_query_from_file(built):
    result = runner.invoke(app, ["query", "-f", str(ROOT / "queries" / "meetings-of-decision.rq"),
                                 "--format", "csv", "--store", str(built)])
    assert result.exit_code == 0 and "2019-11-15" in result.stdout


def test_malformed_query_is_a_coded_error(built):
    result = runner.invoke(app, ["query", "SELECT WHERE {", "--store", str(built)])
    assert result.exit_code == 1 and "KG302" in result.output


def test_query_without_a_store_says_how_to_build(tmp_path):
    result = runner.invoke(app, ["query", QUERY, "--store", str(tmp_path / "nothing")])
    assert result.exit_code == 1 and "kgraph build" in result.output


@pytest.mark.parametrize("fmt,parse", [("ttl", "turtle"), ("nq", "nquads"), ("jsonld", "json-ld")])
def test_export(built, tmp_path, fmt, parse):
    out = tmp_path / f"g.{fmt}"
    result = runner.invoke(app, ["export", "--format", fmt, "-o", str(out), "--store", str(built)])
    assert result.exit_code == 0, result.output
    if parse == "turtle":
        g = Graph().parse(out, format=parse)
        assert len(g) > 1000
    else:
        from rdflib import Dataset

        ds = Dataset().parse(out, format=parse)
        assert len(list(ds.graphs())) >= 6  # five documents, ontology, catalog


def test_validate_store(built):
    result = runner.invoke(app, ["validate", "--store", str(built)])
    assert result.exit_code == 0 and result.output.count("ok ") == 5


def test_evaluate_prints_scores():
    result = runner.invoke(app, ["evaluate", str(GOLD_PATH), str(CORPUS)])
    assert result.exit_code == 0 and "organisations" in result.output and "1.000" in result.output


def test_every_command_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    names = [c.name or c.callback.__name__ for c in app.registered_commands]
    for name in names:
        assert f"kgraph {name}" in readme, f"kgraph {name} is not documented in README.md"


def test_compact_keeps_the_answers(tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Decision No: 19/00076. Kent County Council will pay NELFT £2.65m a year.")
    store = tmp_path / "s"
    assert runner.invoke(app, ["build", str(corpus), "--store", str(store)]).exit_code == 0
    ask = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    before = runner.invoke(app, ["query", ask, "--store", str(store), "--format", "json"]).stdout
    result = runner.invoke(app, ["compact", "--store", str(store)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("compacted ")
    assert runner.invoke(app, ["query", ask, "--store", str(store), "--format", "json"]).stdout == before
    again = runner.invoke(app, ["build", str(corpus), "--store", str(store)])
    assert again.exit_code == 0 and "unchanged" in again.output  # the catalog came along


def test_build_leaves_no_write_ahead_log(tmp_path):
    """A store just built is its settled size on disk (the log of the build's writes is folded in)."""
    from kgraph.graph.compact import dir_bytes

    corpus = tmp_path / "c"
    corpus.mkdir()
    for i in range(30):
        (corpus / f"{i}.txt").write_text(f"Decision No: 19/{i:05d}. Kent County Council will pay NELFT £{i + 1}m a year "
                                         f"under section 76 of the National Health Service Act 2006. " * 20)
    store = tmp_path / "s"
    assert runner.invoke(app, ["build", str(corpus), "--store", str(store)]).exit_code == 0
    built = dir_bytes(store)
    logs = sum(p.stat().st_size for p in store.glob("*.log"))
    assert logs < 0.05 * built, (logs, built)
