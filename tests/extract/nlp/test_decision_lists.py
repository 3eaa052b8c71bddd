"""Decisions listed as links to their records or as table rows: the page's structure settles the
number; look-alikes (planning refs, record ids, invoice and PO numbers, report codes, dates,
framework ids, codes in prose) are refused."""

from __future__ import annotations

import pytest

from kgraph.extract.nlp.decision_lists import record_links, table_rows
from kgraph.extract.nlp.decision_pages import page_subjects
from kgraph.extract.profiles import profile_for
from kgraph.model import DecisionMention

P = profile_for(None)

NOTICES = (
    "Cabinet Member Decision Notices\n"
    "Resurfacing of the Market Square\n"
    "Download: CMD415 Draft (PDF, 40KB)\n"
    "Download: CMD415 Final (PDF, 38KB)\n"
    "Town Hall Boiler Replacement\n"
    "Download: CMD419 (PDF, 22KB)\n"
    "Download: CMD419 Final (PDF, 21KB)\n"
    "Each notice carries a report number starting CMD, for example CMD10, and is published here.\n"
)


def pairs(found):
    return [(d.number, d.title) for _, d in found]


def test_links_under_titles_give_each_title_its_number():
    found = record_links(NOTICES, P)
    assert pairs(found) == [("CMD415", "Resurfacing of the Market Square"), ("CMD419", "Town Hall Boiler Replacement")]
    assert [d.maker_role for _, d in found] == ["Cabinet Member", "Cabinet Member"]  # named by the heading
    for _, d in found:
        for m in (d.number_mention, d.title_mention):
            assert NOTICES[m.start:m.end] == m.text


def test_a_code_in_prose_is_not_a_number():
    assert "CMD10" not in {d.number for _, d in record_links(NOTICES, P)}


def test_page_subjects_take_the_linked_records_as_own_numbers():
    subjects, numbers = page_subjects(NOTICES, P, DecisionMention(), [])
    assert [d.number for d in subjects] == ["CMD415", "CMD419"]
    assert [(n.number, n.own) for n in numbers] == [("CMD415", True), ("CMD419", True)]


def test_a_link_naming_a_decision_record_needs_no_heading():
    text = "Library opening hours\nLIB 07 Decision Notice (PDF, 12KB)\n"
    assert pairs(record_links(text, P)) == [("LIB 07", "Library opening hours")]
    assert record_links(text, P)[0][1].maker_role is None  # no heading names a maker


@pytest.mark.parametrize("text", [
    # no heading says the page lists decision records, and the link does not name one
    "Committee papers\nHighways report\nDownload: HWY12 Final (PDF, 40KB)\n",
    # the link text is more than a code: an appendix, a report, a plan
    "Officer Decision Records\nPark lighting\nDownload: Appendix A1 (PDF, 40KB)\n",
    "Officer Decision Records\nPark lighting\nDownload: EIA 12 equality assessment (PDF, 40KB)\n",
    # a planning reference, a date and a framework id are never codes of a listing format
    "Decision Notices\nLand at Mill Lane\nDownload: 19/502510/FULL (PDF, 40KB)\n",
    "Decision Notices\nLand at Mill Lane\nDownload: 11/01/2019 (PDF, 40KB)\n",
    # two different codes under one title: the text does not settle which is the decision's
    "Decision Notices\nPark lighting\nDownload: PHD12 Draft (PDF, 1KB)\nDownload: PHD13 Final (PDF, 1KB)\n",
    # a link with no title line above it
    "Decision Notices\nDownload: PHD12 Final (PDF, 1KB)\n",
])
def test_look_alike_links_are_refused(text):
    assert record_links(text, P) == []


def test_decision_number_column():
    text = ("Decision No  Title  Decision maker  Date\n"
            "DN 201  Sale of the Old Depot  Leader  12/03/2024\n"
            "DN 202  Cycle lane consultation  Cabinet  19/03/2024\n")
    found = table_rows(text, P)
    assert pairs(found) == [("DN 201", "Sale of the Old Depot"), ("DN 202", "Cycle lane consultation")]
    for _, d in found:
        assert text[d.number_mention.start:d.number_mention.end] == d.number


def test_pipe_table_with_a_rule_row_and_a_reference_column_beside_a_decision_maker():
    text = ("| Ref | Subject | Decision maker |\n|---|---|---|\n"
            "| EX2024/07 | Parking charges | Executive |\n| EX2024/08 | Depot lease | Leader |\n")
    # "EX2024/07" is of the year-serial shape, taken only after a label: a bare "Ref" column is not one
    assert table_rows(text, P) == []
    text = text.replace("EX2024/07", "DEC24/EX/7").replace("EX2024/08", "DEC24/EX/8")
    assert pairs(table_rows(text, P)) == [("DEC24/EX/7", "Parking charges"), ("DEC24/EX/8", "Depot lease")]


@pytest.mark.parametrize("text", [
    # a planning list: a reference column and a "Decision" (its outcome) column
    "Reference  Site address  Proposal  Decision\n24/00123  1 High St  Extension  Granted\n",
    "Application No  Decision  Decision maker\n24/00123  Granted  Planning Committee\n",
    # a bare reference column with nothing saying the rows are decisions
    "Reference  Title  Date\nED1487  Sale of land  12/03/2024\n",
    # payments: invoice and purchase-order numbers
    "Invoice No  Supplier  Decision maker\nINV 2041  Acme Ltd  Director\n",
    "PO Number  Description  Decided by\nPO 55123  Salt  Director\n",
    # the site's record ids under a bare "Ref" column
    "Ref  Title  Decision maker\n2295  Sale of land  Leader\n",
    # a date or a framework id in the number column is not a number of a known shape
    "Decision reference  Title\n11/01/2019  Sale of land\nFramework Y24008  Salt\n",
])
def test_look_alike_columns_are_refused(text):
    assert table_rows(text, P) == []


def test_rows_with_missing_cells_end_the_table():
    text = "Decision No  Title  Decision maker\nDN 1  Sale of land  Leader\nDN 2  Leader\n"
    assert pairs(table_rows(text, P)) == [("DN 1", "Sale of land")]
