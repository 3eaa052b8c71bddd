"""The web page in a real browser (headless Chromium): what a new user does, click by click.

Set ``KGRAPH_SCREENSHOTS=DIR`` to keep a full-page PNG of each test's last page.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect


def test_find_19_00076_read_its_basis_and_see_where_its_money_went(page, web):
    page.goto(web.url + "/")
    page.get_by_label("Text or decision number").fill("19/00076")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"q=19%2F00076"))
    page.locator(".result-title", has_text="19/00076").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("19/00076")

    # statutory basis: section 76 of the NHS Act 2006, quote opens the paper with the words marked
    basis = page.locator("section", has=page.locator("#basis-h"))
    expect(basis).to_contain_text("section 76 of the National Health Service Act 2006")
    basis.locator("li", has_text="section 76 of the National Health Service Act 2006").locator("a.ev").first.click()
    expect(page).to_have_url(re.compile(r"/ui/documents/[0-9a-f]{16}#s-\d+-\d+"))
    marked = page.locator(".paper mark.current")
    expect(marked.first).to_be_visible()
    assert "76" in "".join(marked.all_text_contents())
    page.go_back()

    # lineage: the graph is drawn, and clicking the funding edge shows the sentence it rests on
    expect(page.locator("#lineage-graph canvas").first).to_be_visible()
    index = page.evaluate("""() => {
        const d = JSON.parse(document.getElementById('lineage-data').textContent);
        return d.edges.findIndex(e => e.type === 'reallocatesFundingFrom');
    }""")
    assert index >= 0
    page.evaluate("i => window.kgraphLineage.cy.edges()[i].emit('tap')", index)
    detail = page.locator("#edge-detail")
    expect(detail).to_contain_text("£400,000")
    expect(detail).to_contain_text("reallocatesFundingFrom")
    detail.get_by_role("link", name=re.compile("Read it in the paper")).click()
    expect(page.locator(".paper mark.current").first).to_be_visible()
    assert "£400,000" in "".join(page.locator(".paper mark.current").all_text_contents())


def test_timeline_and_downloads(page, web):
    page.goto(web.url + "/ui/decisions/19-00076")
    items = page.locator(".timeline li")
    assert items.count() >= 3
    expect(page.locator(".timeline li.current")).to_contain_text("19/00076")
    with page.expect_download() as dl:
        page.get_by_role("link", name="mermaid", exact=True).click()
    assert dl.value.suggested_filename


def test_sparql_editor_runs_an_example_query(page, web):
    page.goto(web.url + "/ui/sparql")
    expect(page.locator(".CodeMirror")).to_be_visible()
    page.locator("[data-example='statutory-basis']").click()
    expect(page.locator("#results table")).to_be_visible()
    expect(page.locator("#results")).to_contain_text("legislation.gov.uk")
    assert page.locator("#results tbody tr").count() > 0
    assert "format=csv" in page.get_by_role("link", name="Download CSV").get_attribute("href")


def test_keyboard_reaches_search_and_pages_fit_a_phone(browser, web):
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    pg = context.new_page()
    pg.goto(web.url + "/")
    pg.keyboard.press("Tab")
    expect(pg.locator(".skip")).to_be_focused()
    pg.goto(web.url + "/ui/decisions/19-00076")
    width = pg.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 380, width  # no sideways scrolling of the page itself on a phone
    context.close()
