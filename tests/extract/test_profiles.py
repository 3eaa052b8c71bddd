"""Council profiles: every format matches its examples and never its look-alikes; labels and cues
decide what is a decision number; profiles are data, checked when loaded."""

from __future__ import annotations

import pytest

from kgraph.errors import GazetteerError
from kgraph.extract.profiles import load_profiles, number_key, number_year, profile_for

DEFAULT = profile_for(None)
FORMATS = {f.name: f for p in load_profiles().values() for f in p.formats}


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_every_format_matches_its_examples_and_none_of_its_look_alikes(name):
    fmt = FORMATS[name]
    assert fmt.examples, f"{name} has no examples"
    for example in fmt.examples:
        assert fmt.fullmatch(example), example
    for other in fmt.not_:
        assert not fmt.fullmatch(other), other


@pytest.mark.parametrize(("text", "number"), [
    ("Decision No: 2024/332", "2024/332"),
    ("Decision number 127/2016 was published", "127/2016"),
    ("Key decision reference: KD 2023/045", "KD 2023/045"),
    ("Decision No. 123", "123"),
    ("DECISION MADE: (Ref: CAB 11/12 4521)", "CAB 11/12 4521"),
    ("This formed part of decision PLN07 18/19.", "PLN07 18/19"),
    ("(Cabinet Member Key Decision Report HSG02 (17/18) refers)", "HSG02 (17/18)"),
    ("as set out in Decision DEC21/CAB/14", "DEC21/CAB/14"),
    ("in line with the Executive Decision ED2001 of May", "ED2001"),
    ("DECISION NO:\n\n21/00310\n", "21/00310"),
])
def test_other_councils_numbers_are_found_where_the_text_says_decision(text, number):
    assert [h.number for h in DEFAULT.numbers(text)] == [number]


@pytest.mark.parametrize("text", [
    "see ref: 2295 for the record",
    "planning application 19/502510/FULL was approved",
    "under Framework Y24008 the service",
    "the meeting on 11/01/2019 agreed",
    "the budget for 2019/20 and 2023/24",
    "a decision on 2019/20 budgets",
    "call 01895 250185 or Ext: 0185",
    "report ACH21-008 and item CA9",
    "OKD55 (20/21) with no word saying it is a decision",
    "the decision 3 of the list",
    "Decision 21/00310 for a financial year 2021/22",
])
def test_look_alikes_are_never_decision_numbers(text):
    found = [h.number for h in DEFAULT.numbers(text)]
    assert found in ([], ["21/00310"]), found


def test_a_council_profile_adds_its_own_formats_to_the_default():
    assert [h.number for h in profile_for("Kent County Council").numbers("It cites 18/00071.")] == ["18/00071"]
    assert DEFAULT.numbers("It cites 18/00071.") == []
    assert profile_for("kent-county-council").slug == "kent-county-council"


def test_label_opening_a_line_marks_a_field_not_a_sentence():
    text = "Decision No: 2024/332\nDecision No. 2023/100 was taken in May."
    assert [(h.number, h.line_label) for h in DEFAULT.numbers(text)] == [("2024/332", True), ("2023/100", False)]


@pytest.mark.parametrize(("number", "year"), [
    ("19/00076", 2019), ("OKD55 (20/21)", 2020), ("SSED01 23/24", 2023), ("DEC22/CAB/60", 2022),
    ("CAB 18/19 21646", 2018), ("2024/332", 2024), ("127/2016", 2016), ("ED1487", None), ("", None),
])
def test_year_of_a_number(number, year):
    assert number_year(number) == year


def test_number_keys_are_slugs():
    assert number_key("OKD55 (20/21)") == "okd55-20-21"
    assert number_key("19/00076") == "19-00076"


@pytest.mark.parametrize("toml", [
    "[formats.x]\npattern = '('\ncontexts = ['label']\n[default]\nformats = ['x']\nrecord_header = 'r'\n",
    "[formats.x]\npattern = 'X'\ncontexts = ['somewhere']\n[default]\nformats = ['x']\nrecord_header = 'r'\n",
    "[formats.x]\npattern = 'X'\ncontexts = ['label']\n[default]\nformats = ['y']\nrecord_header = 'r'\n",
    "not toml at all [",
])
def test_a_malformed_profiles_file_is_a_coded_error(tmp_path, toml):
    path = tmp_path / "profiles.toml"
    path.write_text(toml, encoding="utf-8")
    with pytest.raises(GazetteerError) as err:
        load_profiles(path)
    assert err.value.code == "KG150"
