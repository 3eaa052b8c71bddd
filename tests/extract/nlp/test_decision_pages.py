"""Subject decisions of council web pages: listings, issue histories, details pages, agenda items,
minutes; the site's record ids and look-alike numbers never become numbers or titles."""

from __future__ import annotations

from kgraph.extract.document import extract_document
from kgraph.extract.ingest import document_from_text
from kgraph.extract.nlp.decision_pages import (
    agenda_title,
    minute_decision,
    page_decisions,
    page_subjects,
)
from kgraph.extract.nlp.decisions import find_decision_numbers
from kgraph.extract.profiles import profile_for
from kgraph.model import DecisionMention

P = profile_for(None)


def fields(d):
    return (d.number, d.title, d.date, d.status, d.maker_role)


def test_listing_with_several_decisions_and_record_ids():
    text = (
        "Decisions published\n\n"
        "04/03/2022 - Extension of the Meals on Wheels Contract HAS12 (21/22) ref: 3301\xa0\xa0\xa0Recommendations Approved\n\n"
        "The contract was let in 2019.\n\nDecision Maker: Director of Adult Services\n\nDecision published: 04/03/2022\n\n"
        "02/03/2022 - Library Opening Hours- LIB02(21/22) ref: 3299    Recommendations Approved (subject to call-in)\n\n"
        "Decision Maker: Cabinet Member for Communities\n\n"
        "01/03/2022 - Grass Cutting Review ref: 3298\n"
    )
    got = [fields(d) for d in page_decisions(text, P)]
    assert got == [
        ("HAS12 (21/22)", "Extension of the Meals on Wheels Contract", "2022-03-04", "Recommendations Approved",
         "Director of Adult Services"),
        ("LIB02(21/22)", "Library Opening Hours", "2022-03-02", "Recommendations Approved (subject to call-in)",
         "Cabinet Member for Communities"),
        (None, "Grass Cutting Review", "2022-03-01", None, None),
    ]
    for d in page_decisions(text, P):
        for m in (d.number_mention, d.title_mention, d.status_mention, d.maker_mention):
            assert m is None or text[m.start:m.end] == m.text
        assert "ref" not in (d.title or "") and "3301" not in (d.title or "")


def test_issue_history_with_numbers_in_brackets():
    text = "Issue - decisions\n\nBus Strategy\n\n12/05/2016 - Bus Strategy Adoption (EX22)\n\nText.\n\n" \
           "01/02/2016 - Bus Strategy Consultation\n"
    assert [(d.number, d.title, d.date) for d in page_decisions(text, P)] == [
        ("EX22", "Bus Strategy Adoption", "2016-05-12"), (None, "Bus Strategy Consultation", "2016-02-01")]


def test_decision_details_page():
    text = ("Decision details\n\nDecision details\n\nSale of the Old Depot* - MAY24/CAB/12\n\n"
            "Decision Maker: Cabinet\n\nDecision status: Recommendations Approved\n\nIs Key decision?: Yes\n\n"
            "Date of decision: 14/05/2024\n\nPurpose:\n\nTo sell the depot.\n")
    (d,) = page_decisions(text, P)
    assert fields(d) == ("MAY24/CAB/12", "Sale of the Old Depot", "2024-05-14", "Recommendations Approved", "Cabinet")
    assert d.key_decision is True


def test_details_page_whose_title_line_is_a_field_label_has_no_title():
    text = "Home > Council > Decision details\n\nDecision Maker: Executive\n\nDecision status: Approved\n"
    (d,) = page_decisions(text, P)
    assert (d.title, d.maker_role, d.status) == (None, "Executive", "Approved")


def test_agenda_item_title():
    text = "41.\n\nOld item\n\n42.\n\nSchool Places Plan pdf icon PDF 90 KB\n\nMinutes:\n\nDECISION MADE: (Ref: CAB 21/22 1234)\n"
    assert agenda_title(text, text.index("DECISION"))[0] == "School Places Plan"


def test_minute_with_no_heading_takes_its_body_and_what_the_report_sought():
    d = minute_decision("The Executive considered the report of the Director, which sought approval to "
                        "renew the parks maintenance agreement with the Trust. It agreed.")
    assert d.maker_role == "Executive"
    assert d.title == "Renew the parks maintenance agreement with the Trust"


def test_meeting_heading_above_a_report_title():
    text = "ITEM 7\nCABINET – 12 JUNE 2012\nNEW LIBRARY FOR NORTHTOWN\nReport by the Director\n"
    (d,) = page_decisions(text, P)
    assert (d.maker_role, d.date, d.title) == ("Cabinet", "2012-06-12", "NEW LIBRARY FOR NORTHTOWN")


def test_plain_page_without_decisions():
    assert page_decisions("Contact us on 01234 567890. Opening hours 9-5.\n", P) == []


def test_flattened_listing_table_rows_with_glued_cells():
    text = ("ReferenceTitleDecision TypeStatusMeeting Dates\n"
            "5120JUN22/CAB/07Library Hours ReviewPortfolioDecision Confirmed14/Jun/22\n"
            "5121JUN22/CAB/08Bus Shelter RenewalOfficerApproved15/Jun/22\n"
            "5122 see page 12 of 40\n")
    got = [(d.number, d.title, d.status) for d in page_decisions(text, P)]
    assert got == [("JUN22/CAB/07", "Library Hours Review", "Decision Confirmed"),
                   ("JUN22/CAB/08", "Bus Shelter Renewal", "Approved")]


def test_glued_digits_alone_are_never_a_number():
    assert page_decisions("81042201Grant Agreements for advicePortfolio\n", P) == []


def test_a_title_with_a_colon_is_still_a_title():
    text = "Decision details\nLibraries: Opening Hours Review\nDecision Maker: Cabinet\n"
    (d,) = page_decisions(text, P)
    assert d.title == "Libraries: Opening Hours Review"


def test_a_resolution_under_a_heading_is_not_a_title():
    text = "Issue - decisions\n\nRESOLVED:1) That the grant be accepted.\n"
    assert all(d.title is None or not d.title.startswith("RESOLVED") for d in page_decisions(text, P))


def test_agenda_item_page_has_one_decision_with_a_clean_title():
    text = ("Agenda item\n\n41.\n\nParking Charges Review pdf icon PDF 120 KB\n\nMinutes:\n\n"
            "The Cabinet considered the report on parking charges, ref: 2295.\n\n"
            "DECISION MADE (Ref: CAB 23/24 11873)\n\nThat the revised charges be approved.\n")
    ext = extract_document(document_from_text("item.txt", text))
    assert [(d.number, d.title) for d in ext.subjects] == [("CAB 23/24 11873", "Parking Charges Review")]
    assert [(n.number, n.own) for n in ext.decision_numbers] == [("CAB 23/24 11873", True)]


def test_issue_page_fields_above_its_one_decision_belong_to_it():
    text = ("Issue details\n\nClosure of the Riverside Day Centre\n\nDecision type: Key\n\n"
            "Decision status: Recommendations Approved\n\nDecision due: 14 Jun 2023 by Cabinet\n\n"
            "Decisions\n\n14/06/2023 - Closure of the Riverside Day Centre\n")
    (d,) = page_decisions(text, P)
    assert (d.title, d.date, d.status) == ("Closure of the Riverside Day Centre", "2023-06-14", "Recommendations Approved")
    assert text[d.status_mention.start:d.status_mention.end] == "Recommendations Approved"
    two = text + "\n01/05/2023 - Consultation on the Riverside Day Centre\n"
    assert [d.status for d in page_decisions(two, P)] == [None, None]  # several decisions: not settled


ISSUE_MEETINGS = (
    "Issue - meetings\n\nRiverside Regeneration Fund\n\n"
    "Meeting: 14/03/2022 - Council (Item 71)\n\n71 Riverside Regeneration Fund pdf icon PDF 90 KB\n\n"
    "Report of the Cabinet Member for Housing, ref: 2295.\n\nRESOLVED that the grant be accepted.\n\n"
    "Meeting: 08/03/2022 - Cabinet (Item 12)\n\n12 Riverside Regeneration Fund pdf icon PDF 88 KB\n\n"
    "DECISION MADE: (CAB 21/22 30412)\n\nThat Council be recommended to accept the grant.\n"
)


def test_issue_meetings_page_gives_one_decision_per_meeting():
    numbers = find_decision_numbers(ISSUE_MEETINGS, [], P)
    subjects, _ = page_subjects(ISSUE_MEETINGS, P, DecisionMention(), numbers)
    assert [(d.number, d.title, d.maker_role, d.date) for d in subjects] == [
        (None, "Riverside Regeneration Fund", "Council", "2022-03-14"),
        ("CAB 21/22 30412", "Riverside Regeneration Fund", "Cabinet", "2022-03-08"),
    ]
    for d in subjects:
        assert ISSUE_MEETINGS[d.maker_mention.start:d.maker_mention.end] == d.maker_role


def test_a_decision_made_number_belongs_to_its_meeting_not_to_the_first_entry():
    ext = extract_document(document_from_text("issue.txt", ISSUE_MEETINGS))
    assert [(d.number, d.maker_role) for d in ext.subjects] == [(None, "Council"), ("CAB 21/22 30412", "Cabinet")]
    assert [(n.number, n.own) for n in ext.decision_numbers] == [("CAB 21/22 30412", True)]
    assert "2295" not in {n.number for n in ext.decision_numbers}


def test_forward_plan_due_line_names_the_maker_only_when_settled():
    text = ("Issue details\n\nSale of the Old Library\n\nDecision status: For Determination\n\n"
            "Decision due: Not before 9th Sep 2023 by Cabinet Member for Property\n\nReference: 2295\n")
    (d,) = page_decisions(text, P)
    assert (d.title, d.maker_role, d.date, d.number) == ("Sale of the Old Library", "Cabinet Member for Property", None, None)
    assert text[d.maker_mention.start:d.maker_mention.end] == "Cabinet Member for Property"
    rescheduled = text.replace("\n\nReference", "\n\nDecision due: March 2024 by Director of Place\n\nReference")
    assert page_decisions(rescheduled, P)[0].maker_role is None  # two makers: not settled
