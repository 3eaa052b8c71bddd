"""kgraph.extract.formats.html: main content without chrome; ModernGov fields as label: value lines."""

from __future__ import annotations

from kgraph.extract.formats.html import read_html
from tests.extract.formats.builders import make_html, moderngov_decision, page_shell

LIMIT = 1_000_000


def test_moderngov_decision_fields_become_lines_and_chrome_goes():
    page = moderngov_decision(title="Early Help Services", maker="Cabinet Member for Integrated Children's Services",
                              date="15/11/2019", status="Recommendations Approved", ref="19/00076",
                              body="The Cabinet Member agreed to invest £2.65m per year.",
                              canonical="https://democracy.example.gov.uk/ieDecisionDetails.aspx?ID=1")
    got = read_html("d.html", page, max_chars=LIMIT)
    lines = got.text.splitlines()
    for expected in ("Decision Maker: Cabinet Member for Integrated Children's Services",
                     "Decision status: Recommendations Approved", "Is Key decision?: Yes",
                     "Date of decision: 15/11/2019", "Reference: 19/00076", "Early Help Services",
                     "The Cabinet Member agreed to invest £2.65m per year."):
        assert expected in lines, expected
    for chrome in ("cookies", "Skip to main content", "Jobs", "Forward plans", "Privacy notice", "tracking", "color"):
        assert chrome not in got.text, chrome
    assert got.source_url == "https://democracy.example.gov.uk/ieDecisionDetails.aspx?ID=1"
    assert got.media_type == "text/html"


def test_headings_lists_tables_and_definition_lists_keep_their_structure():
    main = """<h2>Financial implications</h2><p>The service costs:</p>
<table><tr><th>Service Element</th><th>Investment</th></tr>
<tr><td>Support to Early Help Units</td><td>£1.2m</td></tr><tr><td>Total</td><td>£1.2m</td></tr></table>
<table><tr><th>Decision Maker</th><td>Leader</td></tr></table>
<ul><li>first <b>point</b></li><li><p>second point</p></li></ul>
<dl><dt>Lead officer:</dt><dd>Jane Smith</dd></dl>"""
    got = read_html("p.htm", page_shell("Report", main).encode(), max_chars=LIMIT)
    assert got.text == ("Report\n\nFinancial implications\n\nThe service costs:\n\n"
                        "Service Element  Investment\nSupport to Early Help Units  £1.2m\nTotal  £1.2m\n\n"
                        "Decision Maker: Leader\n\n- first point\n- second point\n\nLead officer: Jane Smith\n")


def test_charset_from_meta_and_text_outside_main_ignored():
    page = ('<html><head><meta charset="windows-1252"></head><body><nav>Menu</nav>'
            '<main><p>Caf\xe9 grant \x80500</p></main></body></html>').encode("latin-1")
    assert read_html("w.html", page, max_chars=LIMIT).text == "Café grant €500\n"


def test_seed_shaped_page_round_trips_its_paragraphs():
    got = read_html("s.html", make_html("# Decision:\n\nThe Leader agreed.\n\nTotal  £5m\n"), max_chars=LIMIT)
    assert got.text == "Decision details\n\nDecision:\n\nThe Leader agreed.\n\nTotal  £5m\n"
