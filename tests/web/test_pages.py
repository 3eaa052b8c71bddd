"""The web page's HTML over HTTP (no browser): every page answers, links and quotes are right."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from api.web.pages import legislation_path


def test_search_lists_decisions_and_keeps_filters_in_the_url(http):
    r = http.get("/", params={"q": "19/00076"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert 'href="/ui/decisions/19-00076"' in r.text
    assert 'value="19/00076"' in r.text  # the filter stays in the form, so the link can be shared
    assert "18/00071" not in r.text


def test_search_by_act_and_provision(http):
    r = http.get("/", params={"act": "ukpga/2006/41", "provision": "section 76"})
    assert 'href="/ui/decisions/19-00076"' in r.text
    none = http.get("/", params={"act": "ukpga/2006/41", "provision": "section 999"})
    assert "No decision matches" in none.text


def test_search_by_organisation_and_dates(http):
    r = http.get("/", params={"organisation": "nhs-england", "from": "2023-01-01"})
    assert 'href="/ui/decisions/23-00046"' in r.text
    assert 'href="/ui/decisions/19-00076"' not in r.text
    assert http.get("/", params={"from": "2030-01-01"}).text.count('class="result"') == 0


def test_search_pages(http):
    first = http.get("/", params={"q": "e"}).text
    assert 'rel="next"' in first or first.count('class="result"') < 20


def test_decision_page_basis_funding_and_lineage(http):
    r = http.get("/ui/decisions/19%2F00076")
    assert r.status_code == 200
    html = r.text
    basis, cited = html.split('id="basis-h"')[1].split("<h3>Also cited</h3>")
    assert "section 76 of the National Health Service Act 2006" in basis
    assert 'href="https://www.legislation.gov.uk/ukpga/2006/41/section/76"' in basis
    assert "schedule 12A" not in basis.split("</section>")[0] or "schedule 12A" in cited
    assert "North East London NHS Foundation Trust" in html and "£2,650,000" in html
    # the 2021 decision that took £400,000 of its money, with the sentence it rests on
    assert "reallocatesFundingFrom" in html and "£400,000 (From the £1.2m previously funding" in html
    assert 'href="/ui/decisions/2021-supporting-parents-to-build-resilience-and-self-help-strategies"' in html
    for fmt in ("jsonld", "graphml", "dot", "mermaid"):
        assert f"/decisions/19-00076/lineage?format={fmt}" in html


def test_every_evidence_link_opens_the_quote_in_its_paper(http, seed_store):
    from html import unescape

    from kgraph.read import views

    html = http.get("/ui/decisions/19-00076").text
    quotes = re.findall(r'<a class="ev" href="/ui/documents/([0-9a-f]{16})#s-(\d+)-(\d+)"[^>]*>“(.*?)”</a>', html, re.S)
    assert len(quotes) > 10
    texts = {doc: views.document(seed_store, doc)["text"] for doc in {q[0] for q in quotes}}
    for doc, start, end, quote_ in quotes:
        assert texts[doc][int(start):int(end)] == unescape(quote_), (doc, start, end)
    for doc in texts:
        assert http.get(f"/ui/documents/{doc}").status_code == 200


def test_document_page_highlights_spans_by_kind(http):
    html = http.get("/ui/documents/26ddd7c631e4b7d1").text
    assert 'class="k-basis span"' in html and 'class="k-org span"' in html and 'class="k-money span"' in html
    assert 'id="s-3164-3199"' in html  # Section 22 of the Children Act 1989
    assert 'id="f-s-3164-3199"' in html and 'href="#s-3164-3199"' in html


def test_organisation_and_legislation_pages(http):
    org = http.get("/ui/organisations/kent-county-council").text
    assert "Kent County Council" in org and "KCC" in org and "/ui/decisions/19-00076" in org
    leg = http.get("/ui/legislation/ukpga/2006/41/section/76").text
    assert "/ui/decisions/19-00076" in leg and "relies on" in leg


def test_sparql_page_offers_the_example_queries(http):
    html = http.get("/ui/sparql", params={"example": "statutory-basis"}).text
    assert 'data-example="statutory-basis"' in html and "eli:based_on" in html
    assert "/static/vendor/codemirror-5.65.21/codemirror.js" in html


@pytest.mark.parametrize("path", ["/ui/decisions/99-99999", "/ui/documents/0000000000000000",
                                  "/ui/organisations/no-such-body", "/ui/legislation/not-legislation"])
def test_unknown_ids_are_404_pages(http, path):
    r = http.get(path)
    assert r.status_code == 404 and "Not found" in r.text


def test_static_assets_are_served_from_the_package(http):
    for path in ("/static/app.css", "/static/vendor/cytoscape-3.35.0/cytoscape.min.js"):
        assert http.get(path).status_code == 200


def test_data_cannot_inject_markup(http):
    r = http.get("/", params={"q": '"><script>alert(1)</script>'})
    assert "<script>alert(1)</script>" not in r.text


def test_legislation_path():
    assert legislation_path("ukpga/1972/70", "schedule 12A") == "ukpga/1972/70/schedule/12A"
    assert quote(legislation_path("uksi/2015/102", "regulation 72"), safe="/") == "uksi/2015/102/regulation/72"
