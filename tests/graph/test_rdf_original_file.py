"""kgraph.graph.rdf: the original file of a document (DCAT media type and size, SPDX checksum,
dct:source) and the pages of a PDF (kg:Page, kg:page on evidence)."""

from __future__ import annotations


def test_original_file_facts_and_evidence_page():
    from rdflib import XSD, Literal, URIRef
    from rdflib.namespace import DCAT, DCTERMS

    from kgraph.graph.rdf import KG, OA, SPDX, document_graph

    doc = "https://w3id.org/kgraph/id/document/abc"
    facts = {"document": {"id": "abc", "iri": doc, "source": "a.pdf", "kind": "Other", "sha256": "ab" * 32,
                          "title": None, "media_type": "application/pdf", "byte_size": 1234,
                          "file_sha256": "cd" * 32, "source_url": "https://example.gov.uk/a.pdf",
                          "pages": [{"page": 1, "start": 0, "end": 4}, {"page": 2, "start": 5, "end": 9}]},
             "decisions": [], "organisations": [{"id": "kcc", "iri": "https://w3id.org/kgraph/id/org/kcc",
                                                 "name": "KCC", "kind": "LocalAuthority", "part_of": None,
                                                 "source": "gazetteer", "surface_forms": ["KCC"],
                                                 "mentions": [{"text": "KCC", "start": 5, "end": 8, "page": 2}]}],
             "legislation": [], "amounts": [], "meetings": [], "decision_links": []}
    g = document_graph(facts, "one\nKCC two")
    d = URIRef(doc)
    assert (d, DCAT.mediaType, URIRef("https://www.iana.org/assignments/media-types/application/pdf")) in g
    assert (d, DCAT.byteSize, Literal(1234, datatype=XSD.integer)) in g
    assert (d, DCTERMS.source, URIRef("https://example.gov.uk/a.pdf")) in g
    (ck,) = g.objects(d, SPDX.checksum)
    assert (ck, SPDX.checksumValue, Literal("cd" * 32, datatype=XSD.hexBinary)) in g
    assert (ck, SPDX.algorithm, SPDX.checksumAlgorithm_sha256) in g
    assert (URIRef(f"{doc}/evidence/5-8"), KG.page, Literal(2, datatype=XSD.integer)) in g
    page2 = URIRef(f"{doc}/page/2")
    assert (d, KG.hasPage, page2) in g and (page2, OA.start, Literal(5, datatype=XSD.integer)) in g
