"""The rule registry: every rule declared once with a known edge type and a confidence in range."""

from __future__ import annotations

import pytest

from kgraph.link import corpus  # noqa: F401  (imports every rule module)
from kgraph.link.registry import AGREEMENT_RELATIONS, EDGE_TYPES, LINEAGE_TYPES, RULES, rule
from kgraph.read import lineage


def test_every_rule_is_declared_with_a_known_edge_and_confidence():
    assert len(RULES) >= 20
    for r in RULES.values():
        assert r.edge in EDGE_TYPES or r.edge in AGREEMENT_RELATIONS
        assert 0 < r.confidence <= 1


def test_the_read_side_uses_the_same_edge_types():
    assert lineage.DECISION_EDGES is LINEAGE_TYPES


def test_the_corpus_confidences_are_the_registry():
    assert {n: r.confidence for n, r in RULES.items()} == corpus.RULE_CONFIDENCE


@pytest.mark.parametrize(("name", "edge", "confidence"), [
    ("explicit-supersedes-cue", "supersedes", 0.9),   # declared twice
    ("a-new-rule", "inspires", 0.5),                 # unknown edge type
    ("another-rule", "amends", 1.5),                 # confidence out of range
])
def test_bad_declarations_are_refused(name, edge, confidence):
    with pytest.raises(ValueError):
        rule(name, edge, confidence)
    assert name not in RULES or RULES[name].confidence != confidence


def test_every_lineage_type_is_an_ontology_property_and_extends_is_a_variation():
    from rdflib import RDFS, Graph, Namespace

    from kgraph.extract.gazetteers import ONTOLOGY_DIR
    from kgraph.graph.rdf import _LINK_PROPERTY

    kg = Namespace("https://w3id.org/kgraph/def#")
    g = Graph().parse(ONTOLOGY_DIR / "kgraph.ttl")
    for t in LINEAGE_TYPES:
        assert _LINK_PROPERTY[t] == kg[t] and (kg[t], None, None) in g, t
    assert (kg.extends, RDFS.subPropertyOf, kg.varies) in g
    assert "extends" in EDGE_TYPES and RULES["explicit-extends-cue"].edge == "extends"
