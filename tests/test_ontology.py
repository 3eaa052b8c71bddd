"""The ontology: every ``kg:`` term the project uses is declared, labelled and explained.

Terms are collected from ``ontology/*.ttl``, the library source (``KG.xxx``, ``KG["xxx"]``,
``KG + "xxx"``, ``kg:xxx``, and the statement annotations ``rdf.py`` adds with ``KG[k]``)
and the example queries; each must be a class or property in ``ontology/kgraph.ttl`` with
an ``rdfs:label`` and an ``rdfs:comment``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, Graph, URIRef
from rdflib import namespace as rdfns
from rdflib.namespace import DCTERMS, ORG, PROV, SKOS

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY = ROOT / "ontology"
KG = "https://w3id.org/kgraph/def#"
SH = "http://www.w3.org/ns/shacl#"
DECLARATION_TYPES = {OWL.Class, RDFS.Class, OWL.ObjectProperty, OWL.DatatypeProperty,
                     OWL.AnnotationProperty, RDF.Property}

_SOURCE_PATTERNS = [
    re.compile(r"\bKG\.([A-Za-z_]\w*)"),
    re.compile(r"\bKG\[[\"']([A-Za-z_]\w*)[\"']\]"),
    re.compile(r"\bKG\s*\+\s*[\"']([A-Za-z_]\w*)[\"']"),
    re.compile(r"\bkg:([A-Za-z_]\w*)"),
    re.compile(r"<https://w3id\.org/kgraph/def#([A-Za-z_]\w*)>"),
]
# rdf.py annotates statements with KG[k] for keyword arguments of fact(): rule=, confidence=, ...
_FACT_EXTRAS = [re.compile(r"\b([a-z]\w*)=Literal\("), re.compile(r"[\"']([a-z]\w*)[\"']\s*:\s*Literal\(")]


def _parse(name: str) -> Graph:
    return Graph().parse(ONTOLOGY / name, format="turtle")


@pytest.fixture(scope="module")
def vocab() -> Graph:
    return _parse("kgraph.ttl")


def _terms_in_turtle() -> dict[str, set[str]]:
    used: dict[str, set[str]] = {}
    for path in sorted(ONTOLOGY.glob("*.ttl")):
        for triple in _parse(path.name):
            for term in triple:
                if isinstance(term, URIRef) and str(term).startswith(KG) and len(str(term)) > len(KG):
                    used.setdefault(str(term)[len(KG):], set()).add(f"ontology/{path.name}")
    return used


def _terms_in_text() -> dict[str, set[str]]:
    used: dict[str, set[str]] = {}
    files = sorted((ROOT / "kgraph").rglob("*.py")) + sorted((ROOT / "queries").glob("*.rq"))
    for path in files:
        text = path.read_text(encoding="utf-8")
        patterns = list(_SOURCE_PATTERNS)
        if path.name == "rdf.py" and "KG[k]" in text:
            patterns += _FACT_EXTRAS
        for pattern in patterns:
            for name in pattern.findall(text):
                used.setdefault(name, set()).add(path.relative_to(ROOT).as_posix())
    return used


def _used_terms() -> dict[str, set[str]]:
    used = _terms_in_turtle()
    for name, where in _terms_in_text().items():
        used.setdefault(name, set()).update(where)
    return used


def test_files_parse():
    for name in ("kgraph.ttl", "shapes.ttl", "organisations.ttl", "legislation.ttl"):
        assert len(_parse(name)) > 0, name


def test_term_collection_finds_the_core_terms():
    used = _used_terms()
    # a sanity check that the scan sees source, Turtle and SPARQL uses alike
    for name in ("Decision", "evidence", "sha256", "graphDigest", "resolution", "rule", "confidence", "acronym"):
        assert name in used, name
    assert any(w.startswith("queries/") for ws in used.values() for w in ws)


def test_every_used_kg_term_is_declared_with_label_and_comment(vocab):
    problems = []
    for name, where in sorted(_used_terms().items()):
        term = URIRef(KG + name)
        types = set(vocab.objects(term, RDF.type)) & DECLARATION_TYPES
        missing = [what for what, ok in (("a class or property declaration", types),
                                         ("rdfs:label", vocab.value(term, RDFS.label)),
                                         ("rdfs:comment", vocab.value(term, RDFS.comment))) if not ok]
        if missing:
            problems.append(f"kg:{name} (used in {', '.join(sorted(where))}) lacks {', '.join(missing)}")
    assert problems == []


def test_every_declared_term_has_label_and_comment(vocab):
    bad = []
    for t in sorted(set(vocab.subjects(RDF.type, None))):
        if str(t).startswith(KG) and not (vocab.value(t, RDFS.label) and vocab.value(t, RDFS.comment)):
            bad.append(str(t))
    assert bad == []


def test_terms_are_either_classes_or_properties(vocab):
    classes = {t for t in vocab.subjects(RDF.type, OWL.Class) if str(t).startswith(KG)}
    props = {t for p in (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property)
             for t in vocab.subjects(RDF.type, p) if str(t).startswith(KG)}
    assert classes and props
    assert classes & props == set()
    # naming convention: classes UpperCamelCase, properties lowerCamelCase
    assert all(str(c)[len(KG)].isupper() for c in classes)
    assert all(str(p)[len(KG)].islower() for p in props)


# ------------------------------------------------------------------ shapes

#: Classes of standard vocabularies that rdflib does not list (Web Annotation, ELI).
_OTHER_STANDARD = {
    "http://www.w3.org/ns/oa#SpecificResource", "http://www.w3.org/ns/oa#TextQuoteSelector",
    "http://www.w3.org/ns/oa#TextPositionSelector", "http://www.w3.org/ns/oa#Annotation",
    "http://data.europa.eu/eli/ontology#LegalResource",
    "http://data.europa.eu/eli/ontology#LegalResourceSubdivision",
    "http://data.europa.eu/eli/ontology#LegalExpression",
}


def _standard_class(term: URIRef) -> bool:
    if str(term) in _OTHER_STANDARD:
        return True
    for ns in (RDF, RDFS, ORG, PROV, SKOS, DCTERMS, rdfns.SDO):
        if str(term).startswith(str(ns)) and term in ns:
            local = str(term)[len(str(ns)):]
            return local[:1].isupper()
    return False


def test_every_shape_target_class_is_declared(vocab):
    shapes = _parse("shapes.ttl")
    targets = set(shapes.objects(None, URIRef(SH + "targetClass")))
    assert len(targets) >= 10
    undeclared = []
    for t in sorted(targets):
        if str(t).startswith(KG):
            if (t, RDF.type, OWL.Class) not in vocab:
                undeclared.append(str(t))
        elif not _standard_class(t):
            undeclared.append(str(t))
    assert undeclared == []


def test_standard_class_check_rejects_typos():
    assert _standard_class(URIRef("http://www.w3.org/ns/org#Organization"))
    assert not _standard_class(URIRef("http://www.w3.org/ns/org#Organisation"))
    assert not _standard_class(URIRef("https://schema.org/MonetaryAmmount"))
    assert _standard_class(URIRef("https://schema.org/MonetaryAmount"))


def test_shape_paths_in_kg_namespace_are_properties(vocab):
    shapes = _parse("shapes.ttl")
    paths = {p for p in shapes.objects(None, URIRef(SH + "path")) if str(p).startswith(KG)}
    assert paths
    props = {OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property}
    assert sorted(str(p) for p in paths if not set(vocab.objects(p, RDF.type)) & props) == []
