"""kgraph.graph.checked (issue 13): a fact that breaks the shapes is left out, not the document."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from kgraph.errors import ValidationError
from kgraph.extract.document import extract_document
from kgraph.extract.ingest import document_from_text
from kgraph.graph import build as build_module
from kgraph.graph.build import build_corpus
from kgraph.graph.checked import LeftOut, check_document
from kgraph.graph.rdf import KG, build_document
from kgraph.graph.report import left_out_by_document, left_out_facts
from kgraph.graph.store import GraphStore
from kgraph.graph.validate import check_graph, shacl_violations
from kgraph.link.resolve import resolve_corpus
from tests.graph.rich import TEXT, at, rich_facts

CORPUS = Path(__file__).parent / "left_out_corpus"


def _both_conform(g) -> None:
    assert check_graph(g) == [] and shacl_violations(g) == []


# ------------------------------------------------------------------ what the extraction emits passes


@pytest.mark.parametrize(("sentence", "path"), [
    ("The Council has a duty under section 17 of the Children Act 1989.", "ukpga/1989/41/section/17"),
    ("The Council relies on section 76(1)(a) of the National Health Service Act 2006.", "ukpga/2006/41/section/76/1/a"),
    ("The paper is exempt under Schedule 12A of the Local Government Act 1972.", "ukpga/1972/70/schedule/12A"),
    ("The paper is exempt under paragraph 3 of Schedule 12A of the Local Government Act 1972.",
     "ukpga/1972/70/schedule/12A/paragraph/3"),
    ("The contract is let under regulation 72 of the Public Contracts Regulations 2015.", "uksi/2015/102/regulation/72"),
    ("The contract is let under regulation 72(1)(b) of the Public Contracts Regulations 2015.",
     "uksi/2015/102/regulation/72/1/b"),
    ("Charges follow paragraph 4 of Schedule 2 to the Childcare Act 2006.", "ukpga/2006/21/schedule/2/paragraph/4"),
    ("Duties under Part 1 of the Care Act 2014 apply.", "ukpga/2014/23/part/1"),
])
def test_provision_forms_extracted_pass_the_shapes(sentence, path):
    facts = resolve_corpus([extract_document(document_from_text("p.txt", sentence))])[0]
    [lg] = [lg for lg in facts["legislation"] if (lg.get("iri") or lg["id"] or "").endswith("/id/" + path)]
    checked = check_document(facts, sentence)
    assert checked.left_out == []
    _both_conform(checked.graph)
    assert (URIRef(lg.get("iri") or lg["id"]), KG.provision, Literal(lg["provision"])) in checked.graph


@pytest.mark.parametrize("provision", ["article 5", "article 5(2)", "part 1", "part 4A", "paragraph 7",
                                       "paragraph 7(b)", "regulation 3(2)", "section 2B(1)(za)",
                                       "schedule 12A paragraph 3", "schedule 12A, paragraph 3",
                                       "schedule 1, part 2, paragraph 4", "part IV"])
def test_provision_forms_not_yet_extracted_pass_the_shapes(provision):
    facts = rich_facts()
    facts["legislation"][0]["provision"] = provision
    checked = check_document(facts, TEXT)
    assert checked.left_out == []
    _both_conform(checked.graph)


@pytest.mark.parametrize("number", ["19/00076", "DEC-2019-123", "2019/45", "KD 21/004", "CAB.12.2020", "ED/21/0012",
                                    "OKD21 (20/21)", "CYP01(21/22)"])
def test_decision_numbers_of_any_council_pass(number):
    facts = rich_facts()
    facts["decisions"][1]["number"] = number
    checked = check_document(facts, TEXT)
    assert checked.left_out == []
    _both_conform(checked.graph)


def test_act_not_in_the_gazetteer_is_marked_unresolved_and_passes():
    facts = rich_facts()
    checked = check_document(facts, TEXT)
    act = URIRef(facts["legislation"][1]["act_iri"])
    assert (act, KG.resolved, Literal(False)) in checked.graph
    assert (URIRef(facts["legislation"][1]["id"]), KG.resolved, Literal(False)) in checked.graph
    assert checked.left_out == []


# ------------------------------------------------------------------ one bad fact, one left out


@pytest.mark.parametrize(("mutate", "key", "shape"), [
    (lambda f: f["legislation"][0].update(provision="Sec. 76, or thereabouts"), "legislation[0]", "ProvisionShape"),
    (lambda f: f["amounts"][0].update(role="grant"), "amount[0]", "AmountShape"),
    (lambda f: f["decisions"][0].update(status="pending"), "decision[0].status", "DecisionShape"),
    (lambda f: f["decisions"][1].update(number="19/502510/FULL"), "decision[1].number", "DecisionShape"),
    (lambda f: f["decision_links"][0].update(confidence=1.7), "decision_link[0]", "LinkShape"),
    (lambda f: f["meetings"][0].update(date="15 November 2019"), "meeting[0]", "MeetingShape"),
    (lambda f: f["agreements"][0]["relations"][0].update(confidence=-1), "agreement[0].relation[0]",
     "AgreementLinkShape"),
    (lambda f: f["organisations"][1]["mentions"].__setitem__(0, {"text": "", "start": 3, "end": 3}),
     "organisation[1]", "QuoteShape"),
])
def test_a_bad_fact_is_left_out_and_the_rest_kept(mutate, key, shape):
    facts = rich_facts()
    mutate(facts)
    checked = check_document(facts, TEXT)
    assert [x.fact for x in checked.left_out] == [key]
    assert checked.left_out[0].shape.endswith("#" + shape)
    # the stored graph is the document's graph without that one fact (plus the report)
    expected, _ = build_document(facts, TEXT, skip=frozenset({key}))
    report = {t for t in checked.graph if "/left-out/" in str(t[0]) or t[1] == KG.leftOutFact}
    assert set(checked.graph) - report == set(expected)
    _both_conform(checked.graph)


def test_the_report_names_the_fact_and_its_evidence():
    facts = rich_facts()
    facts["amounts"][0]["gbp"] = -5
    [x] = check_document(facts, TEXT).left_out
    assert isinstance(x, LeftOut)
    assert (x.fact, x.kind, x.label, x.quote) == ("amount[0]", "amount", "£5m", "£5m")
    assert TEXT[x.start:x.end] == "£5m"
    assert x.path == "https://schema.org/value" and "-5" in x.reason


def test_a_broken_record_refuses_the_document():
    facts = rich_facts()
    facts["document"]["sha256"] = "not-a-hash"
    with pytest.raises(ValidationError) as exc:
        check_document(facts, TEXT)
    assert exc.value.code == "KG201" and "own record" in exc.value.message


def test_a_broken_own_decision_refuses_the_document():
    facts = rich_facts()
    facts["decisions"][0]["mentions"] = [{"text": "", "start": 5, "end": 5}]
    with pytest.raises(ValidationError, match="own record"):
        check_document(facts, TEXT)


def test_strict_refuses_on_any_bad_fact():
    facts = rich_facts()
    facts["amounts"][0]["role"] = "grant"
    with pytest.raises(ValidationError, match="does not conform"):
        check_document(facts, TEXT, strict=True)


# ------------------------------------------------------------------ a corpus with one bad fact per document

CORRUPT = {  # source → (how its facts are broken, the fact that must be left out)
    "a.txt": (lambda f: f["legislation"][0].update(provision="Section One"), "legislation[0]"),
    "b.txt": (lambda f: f["decision_links"][0].update(confidence=1.5), "decision_link[0]"),
    "c.txt": (lambda f: f["amounts"][0].update(role="grant"), "amount[0]"),
    "d.txt": (lambda f: f["decisions"][0].update(status="pending"), "decision[0].status"),
}


@pytest.fixture()
def corrupting(monkeypatch):
    """Break one fact per document after extraction; keep the facts for comparison."""
    real = build_module.extract_corpus
    clean: dict[str, dict] = {}

    def extract(*args, **kwargs):
        facts, texts, errors = real(*args, **kwargs)
        for f in facts:
            CORRUPT[f["document"]["source"]][0](f)
            clean[f["document"]["source"]] = copy.deepcopy(f)
        return facts, texts, errors

    monkeypatch.setattr(build_module, "extract_corpus", extract)
    return clean


def _graph(store: GraphStore, iri: str) -> set:
    import pyoxigraph as ox
    from rdflib import Graph

    nt = store.ox.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(iri))
    return set(Graph().parse(data=nt, format="nt"))


def test_corpus_with_one_bad_fact_per_document(corrupting):
    store = GraphStore.in_memory()
    report = build_corpus([CORPUS], store)
    assert report.errors == [] and sorted(report.built) == sorted(CORRUPT)
    assert {s: [x.fact for x in xs] for s, xs in report.left_out.items()} == {s: [k] for s, (_, k) in CORRUPT.items()}
    for source, (_, key) in CORRUPT.items():
        facts = corrupting[source]
        iri = facts["document"]["iri"]
        [row] = left_out_facts(store, iri)
        assert row["fact"] == key and row["reason"] and row["shape"].startswith("https://w3id.org/kgraph/shapes#")
        text = (CORPUS / source).read_text(encoding="utf-8")
        assert text[row["start"]:row["end"]] == row["quote"]
        # everything else of the document is stored: its graph without that fact
        kept, _ = build_document(facts, text, skip=frozenset({key}))
        stored = {t for t in _graph(store, iri) if "/left-out/" not in t[0] and t[1] != KG.leftOutFact}
        assert stored == set(kept)
        assert any(p == KG.decisionNumber for _, p, _ in stored)
    assert sorted(left_out_by_document(store)) == sorted(c["document"]["iri"] for c in corrupting.values())


def test_corpus_strict_build_refuses_those_documents(corrupting):
    store = GraphStore.in_memory()
    report = build_corpus([CORPUS], store, strict=True)
    assert sorted(e.subject for e in report.errors) == sorted(CORRUPT) and report.built == []
    assert all(e.code == "KG201" for e in report.errors)


def test_clean_documents_have_no_report():
    store = GraphStore.in_memory()
    report = build_corpus([CORPUS], store)
    assert report.left_out == {} and report.errors == []
    assert left_out_by_document(store) == {}


def test_report_is_inert_for_queries():
    """The report's nodes hold literals only: no fact query reaches them."""
    facts = rich_facts()
    facts["legislation"][0]["provision"] = "Sec. 76"
    g = check_document(facts, TEXT).graph
    focus = URIRef(facts["legislation"][0]["id"])
    assert (None, None, focus) not in g and (focus, None, None) not in g
    assert at("£5m")["start"] >= 0
