"""The shared date parser."""

from __future__ import annotations

import pytest

from kgraph.extract.nlp.dates import find_dates, parse_date


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
