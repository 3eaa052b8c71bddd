"""The shared date parser."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from kgraph.extract.nlp.dates import dates_in, find_dates, parse_date


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("15 November 2019", "2019-11-15"),
        ("1 April 2017", "2017-04-01"),
        ("1st April 2017", "2017-04-01"),
        ("11/01/2019", "2019-01-11"),
        ("28 Sept 2019", "2019-09-28"),
        ("November 15, 2019", "2019-11-15"),
        ("  10 June 2016 ", "2016-06-10"),
    ],
)
def test_parse_date(text, iso):
    assert parse_date(text) == iso


@pytest.mark.parametrize(
    "text",
    ["November 2019", "31 February 2019", "2023/2024", "19/00076", "15 November", "on 15 November 2019", ""],
)
def test_parse_date_rejects_what_is_not_exactly_a_full_date(text):
    assert parse_date(text) is None


def test_find_dates_lists_with_offsets():
    text = "Cabinet Committee 29 November 2018, 11 January 2019, 28 March 2019, 28 June 2019"
    found = find_dates(text)
    assert [d.iso for d in found] == ["2018-11-29", "2019-01-11", "2019-03-28", "2019-06-28"]
    for d in found:
        assert text[d.start : d.end] == d.text


def test_month_only_dates_need_asking_for():
    text = "in November 2019 and on 15 November 2019"
    assert [d.iso for d in find_dates(text)] == ["2019-11-15"]
    found = find_dates(text, months=True)
    assert [(d.iso, d.precision) for d in found] == [("2019-11", "month"), ("2019-11-15", "day")]
    assert found[0].year == 2019


@pytest.mark.parametrize(
    "text",
    ["planning ref 19/502510/FULL", "decision 19/00076", "ref: 2295", "https://x.org/11/01/2019/a", "Framework Y24008"],
)
def test_look_alikes_are_not_dates(text):
    assert find_dates(text, months=True) == []


_DATE_PIECES = st.sampled_from([
    "1", "15", "31st", "November", "Nov.", "may", "sept", "2019", "1999", "20", "19", ",", " ", "  ", "\n", "\t",
    "\xa0", "of", "/", ".", "-", "11/01/2019", "3.4.2020", "x", "A", "_", "on 15 November 2019", "May 2019,",
    "November 15, 2019", "2019/20", "\u0130", "\u017fept", "\u0663", "15 ", "November ", "May ", "2019 ",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(_DATE_PIECES, max_size=30), st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)), max_size=6),
       st.booleans())
@example(["on 15 November 2019", "x"], [(0, 1)], False)  # a word character right after the span
@example(["15 November", " 2019"], [(0, 1)], True)  # a date of the whole text across the span's edge
@example(["x", "15 November 2019"], [(1, 2)], False)  # a word character right before it
def test_dates_in_spans_are_those_of_the_slices(pieces, cuts, months):
    # spans start and end where pieces do (mid-word, right after "/" or a digit, ...)
    text = "".join(pieces)
    edges = [sum(map(len, pieces[:i])) for i in range(len(pieces) + 1)]
    spans = [(edges[min(a, len(pieces))], edges[min(max(a, b), len(pieces))]) for a, b in cuts]
    expected = [[(d.text, d.start + s, d.end + s, d.iso, d.precision) for d in find_dates(text[s:e], months=months)]
                for s, e in spans]
    got = [[(d.text, d.start, d.end, d.iso, d.precision) for d in ds] for ds in dates_in(text, spans, months=months)]
    assert got == expected
