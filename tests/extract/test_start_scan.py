"""A start scan finds exactly the matches of the plain pattern, on any text and any bounds."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from kgraph.extract.nlp import (
    dates,
    decisions,
    legislation,
    legislation_grammar,
    legislation_terms,
    legislation_titles,
)
from kgraph.extract.profiles import _tail_scan, load_profiles
from kgraph.extract.start_scan import StartScan, first_chars

PIECES = st.sampled_from([
    "19/00076", "18/0007", "OKD55 (20/21)", "OKD19(20/21)", "SSED01 23/24", "DEC22/CAB/60", "CAB 18/19 21646",
    "2024/332", "KD 2023/045", "2019/20", "127/2016", "11/01/2019", "ED1487", "CMD 132", "123", "1", "FP/590/12/19",
    "040/08/01/20", "Decision No:", "decision", "DECISION MADE (Ref:", "Key decision ref.", "record of decision no",
    "cmd no.", "15 November 2019", "1st April 2017", "November 15, 2019", "May 2019", "sept. 2020", "\u212a", "\u017f",
    "\u0130", "\u0131", "K", "k", "S", "/", ".", "-", "(", ")", ":", " ", "\n", "\t", "x", "Ab", "\u0663",
    "Section 3", "sections 2 and 4(1)", "s.151", "S151", "paragraph 3 of Schedule 12A", "Reg. 4", "Part 2",
    "Traffic Regulation Order", "Experimental Traffic", "Tree Preservation Orders", "Public Space Protection Order",
    "CIL Regulation 123", "Community Infrastructure Levy", "Act 2014", "Act, 2006", "Act (2014)", "Regulations", "Order",
    "exempt from publication under schedule 12a", "was held", "will be", "has been", "is to", "until", "by the",
    "END OF", "from",
])
TEXTS = st.lists(PIECES, max_size=30).map(" ".join) | st.lists(PIECES, max_size=30).map("".join)

EXTRA = [
    re.compile(r"(?i:may|june|sept)\.?\s+\d{4}"),
    re.compile(r"(?<![\w'])(?:[a-z]{1,3}\s?)?\d+", re.IGNORECASE),
    re.compile(r"\b(?:key|ks)\s+\d", re.IGNORECASE),
    re.compile(r"(?:x|y)?(?:(?i:k)|\d)\w"),
    re.compile(r"[^\d]\d"),  # a negated class: scanned plainly
]
PATTERNS = (
    [fmt.regex for p in load_profiles().values() for fmt in p.formats]
    + [p.label_regex for p in load_profiles().values()] + [p.cue_regex for p in load_profiles().values()]
    + [rx for _, rx in dates._PATTERNS] + [decisions._FUTURE, decisions._PAST, decisions._BOUNDARY_BEFORE]
    + [rx for rx, _ in legislation_terms.ORDER_KINDS] + [legislation_terms._CIL_REG, legislation_grammar._PROVISION,
                                                         legislation_titles._KEYWORD, legislation.BOILERPLATE]
    + EXTRA
)
SCANS = [StartScan(p) for p in dict.fromkeys(PATTERNS)]


def _spans(it):
    return [(m.span(), m.groupdict(), m.groups()) for m in it]


@settings(max_examples=200, deadline=None)
@given(TEXTS, st.integers(-2, 40), st.none() | st.integers(0, 400))
def test_scans_match_as_the_plain_patterns(text, pos, endpos):
    for s in SCANS:
        plain = s.pattern.finditer(text, pos) if endpos is None else s.pattern.finditer(text, pos, endpos)
        assert _spans(s.finditer(text, pos, endpos)) == _spans(plain), s.pattern.pattern
        first = s.search(text, pos, endpos)
        plain_first = s.pattern.search(text, pos) if endpos is None else s.pattern.search(text, pos, endpos)
        assert (first and first.span()) == (plain_first and plain_first.span())


def test_every_profile_pattern_is_scanned_by_its_first_characters():
    for p in PATTERNS[:-1]:
        assert StartScan(p).finder is not None, p.pattern
    for p in load_profiles().values():
        assert _tail_scan(p.label_regex).finder is not None


def test_patterns_it_cannot_read_run_plainly():
    for source in (r"\d*", r"[^a]b", r".b", r"(?x)a b", r"(?i:\u0130)x"):
        s = StartScan(re.compile(source))
        assert s.finder is None and first_chars(s.pattern) is None
        assert [m.span() for m in s.finditer("ab x\u0130x 12")] == [m.span() for m in s.pattern.finditer("ab x\u0130x 12")]


def test_case_folded_first_letters_include_every_letter_ignorecase_equates():
    assert first_chars(re.compile("k", re.IGNORECASE)) == "[Kk\\u212a]"
    assert first_chars(re.compile("(?i:s)|i")) == "[Ss\\u017fi]"
