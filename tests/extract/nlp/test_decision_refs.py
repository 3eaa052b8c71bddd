"""Earlier decisions described without a number: body, date, title, and what is not one."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kgraph.extract.nlp.decision_refs import _TEMPLATES, find_decision_refs
from kgraph.extract.prefilter import Anchored


@pytest.mark.parametrize(("text", "body", "date", "title"), [
    ("to extend the lease approved by Cabinet on 3 April 2014 for five years", "Cabinet", "2014-04-03", None),
    ("under delegations resolved by the Executive at its meeting on 9 May 2021", "Executive", "2021-05-09", None),
    ("Further to Minute No. 17 of the meeting of the Planning Committee held on 2nd March, 2016",
     "Planning Committee", "2016-03-02", None),
    ("in accordance with the Cabinet decision reached on 4 July 2011", "Cabinet", "2011-07-04", None),
    ("as reported at the Cabinet meeting of 8 October 2009", "Cabinet", "2009-10-08", None),
    ("using powers granted at the 3 March 2020 meeting of the Joint Committee", "Joint Committee", "2020-03-03", None),
    ("At its meeting on 12 January 2018, the Council agreed the plan", "Council", "2018-01-12", None),
    ("The Cabinet on 05-Feb-15 delegated authority to the Director", "Cabinet", "2015-02-05", None),
    ("Cabinet, on 2 May 2023 ('Town Centre Update') resolved to", "Cabinet", "2023-05-02", "Town Centre Update"),
    ("Note the decision of the Secretary of State for Transport on 1 June 2022", "Secretary of State for Transport",
     "2022-06-01", None),
    ("the Waste Strategy 2020-25 that was approved by the Executive", "Executive", None, "Waste Strategy 2020-25"),
    ("since the Capital Strategy was approved by the Council in February 2024", "Council", "2024-02", None),
    ("On 9th May the Council agreed a partnership", "Council", None, None),
    ("this has already been agreed by cabinet and is implemented", "Cabinet", None, None),
])
def test_described_decisions(text, body, date, title):
    (r,) = find_decision_refs(text)
    assert (r.body, r.date, r.title) == (body, date, title)
    assert text[r.mention.start:r.mention.end] == r.mention.text


@pytest.mark.parametrize("text", [
    "The report was approved by the Committee.",
    "Cabinet will meet on 3 April 2025 to decide.",
    "The contract runs from 1 April 2020 to 31 March 2023.",
    "Contact the Council on 01234 567890.",
])
def test_not_earlier_decisions(text):
    assert find_decision_refs(text) == []


@pytest.mark.parametrize(("text", "body", "date", "year", "title"), [
    ("Members noted the urgent decision taken by the Director last week.", None, None, None, "urgent decision"),
    ("RESOLVED: noted the decisions taken to date in respect of the temporary library closures, and",
     None, None, None, "the temporary library closures"),
    ("Noted that £2m was added to the capital programme in June 2016.", None, "2016-06", 2016, None),
    ("The grounds maintenance contract awarded in 2019 ends in May.", None, None, 2019, "grounds maintenance contract"),
    ("The lease that was signed with Acme Holdings in 2012 expires.", None, None, 2012, "lease"),
    ("Further to the report to the Executive on 6 July 2021, officers have", "Executive", "2021-07-06", 2021, None),
    ("Further to the report of the Head of Housing to Cabinet on 2 March 2020, the scheme",
     "Cabinet", "2020-03-02", 2020, None),
])
def test_more_ways_pages_describe_an_earlier_decision(text, body, date, year, title):
    (r,) = find_decision_refs(text)
    assert (r.body, r.date, r.year, r.title) == (body, date, year, title)
    assert text[r.mention.start:r.mention.end] == r.mention.text


@pytest.mark.parametrize("text", [
    "Ward members were consulted at the Planning Committee meeting of 9 June 2020.",
    "The options were presented at the meeting of the Cabinet held on 4 May 2021.",
    "At its meeting on 3 May 2021, the Committee had been provided with the draft award report.",
    "The scheme was approved by Cabinet in March 2019.",   # one description, with its body
    "The new contract will be awarded in 2026.",
    "The contract was awarded in 2020/21 to two providers.",
])
def test_meetings_that_only_heard_and_future_awards_are_not_earlier_decisions(text):
    refs = find_decision_refs(text)
    assert refs == [] or (len(refs) == 1 and refs[0].body == "Cabinet")


# pieces of "Body, on Date (Title) verb" and "Body's decision on Date" clauses, with the punctuation the comma clause may and
# may not hold, so that matches start, stop and overlap in every way
_COMMA_ON_PIECES = st.sampled_from([
    "The", "the", "Cabinet", "Cabinet Member for Finance", "Council", "Planning Committee", "Combined Authority/Joint",
    ",", ", on", ",  on", ", at its meeting on", "on", " ", "\n", "2 May 2019", "May 2019", "03-Dec-14", "1/2/2019",
    "(", ")", "('Town Centre Update')", "(“Plan; phase 2”)", "'", "’", "agreed", "resolved", "delegated", ".", ";",
    ":", "?", "x", "\u0130", "-", "&", "decision", "decisions", "'s", "Cabinet's", " on ", "reached", "of",
])


@settings(max_examples=200, deadline=None)
@given(st.lists(_COMMA_ON_PIECES, max_size=30).map(" ".join) | st.lists(_COMMA_ON_PIECES, max_size=30).map("".join))
def test_anchored_templates_match_as_the_plain_patterns(text):
    anchored = [t for t in _TEMPLATES if isinstance(t, Anchored)]
    assert len(anchored) == 3
    for t in anchored:
        spans = [(m.span(), m.groupdict()) for m in t.finditer(text)]
        assert spans == [(m.span(), m.groupdict()) for m in t.pattern.finditer(text)], t.pattern.pattern


def test_comma_clause_template_finds_titles_with_punctuation():
    text = "Noted. Cabinet, on 2 May 2023 ('Plan: phase 2; North') resolved to proceed."
    ((r,),) = [find_decision_refs(text)]
    assert (r.body, r.date, r.title) == ("Cabinet", "2023-05-02", "Plan: phase 2; North")


@pytest.mark.parametrize("text", [
    "Noted. The Cabinet's decision of 2 May 2019 stands; the Council decisions reached on 1 June 2020.",
    "Yes: Cabinet Member for Finance & Growth, on 3 March 2021 (“Plan: phase 2”) agreed. Cabinet on 2 May 2019 agreed",
    "the Planning Committee on 4 July 2011, approved and the Council, at its meeting on 5 May 2012, resolved",
    # matches that begin right after a character the body never holds
    "Noted.Cabinet on 2 May 2019 agreed;Council, on 1 June 2020 resolved(Cabinet's decision of 2 May 2019)",
])
def test_anchored_templates_on_whole_clauses(text):
    for t in (t for t in _TEMPLATES if isinstance(t, Anchored)):
        assert [m.span() for m in t.finditer(text)] == [m.span() for m in t.pattern.finditer(text)]
    assert find_decision_refs(text)
