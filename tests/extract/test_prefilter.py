"""The prefilter finds exactly the matches of the plain pattern, on any text."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kgraph.extract import prefilter
from kgraph.extract.nlp import decision_refs, legislation_terms
from kgraph.extract.nlp.legislation_titles import _label_regex
from kgraph.extract.prefilter import Gated, WordAlternation, trigger_groups

# pieces that trip the analysis: trigger words in any case, barrier punctuation, the letters
# IGNORECASE folds specially, blank lines, dates and bodies
PIECES = st.sampled_from([
    "approved", "Approved", "AGREED", "agreed", "by", "the", "Cabinet", "cabinet", "Council", "Committee",
    "on", "at its meeting", "meeting", "held", "decision", "decisions", "previously", "already", "of",
    "26 March 2015", "3rd May", "May", "03-Dec-14", "1/2/2019", "2015", "Strategy", "which was", "(",
    ")", "'Plan'", ";", ":", ".", ",", "£2m", "-", "–", "\n", "\n\n", " ", "  ", "aPPROVED", "\u0130",
    "\u0131", "\u017f", "\u212a", "Minute No. 5", "Care Act 2014", "TUPE", "Tuped", "Local Government Act 1972",
    "LGA 1972", "Children's", "Children’s", "x", "exempt", "Exempt information", "paragraph 3", "Paragraphs 1 and 2",
    "information relating to the financial or business affairs of any particular person", "of Schedule 12A",
    "consultations or negotiations", "(", "para. 5", "confidential",
])
TEXTS = st.lists(PIECES, max_size=40).map(" ".join) | st.lists(PIECES, max_size=40).map("".join)

EXTRA = [
    re.compile(r"(?i:approved|agreed)\s+by\s+(?:the\s+)?[A-Z]\w+"),
    re.compile(r"(?<![\w'])(?:Cabinet|Council)(?!\w)[^;]{0,20}?meeting", re.IGNORECASE),
    re.compile(r"\bmeeting\b(?=\s*held)"),
    re.compile(r"Care\s+Act(?:\s+2014)?|TUPE"),
]


GATED = [Gated(p) for p in [t.pattern for t in decision_refs._TEMPLATES] + EXTRA
         + [legislation_terms._SCHEDULE_12A, legislation_terms._EXEMPT_PARAGRAPHS]]


def _spans(it):
    return [(m.span(), m.groupdict()) for m in it]


@settings(max_examples=150, deadline=None)
@given(TEXTS)
def test_gated_templates_match_as_the_plain_patterns(text):
    for g in GATED:
        assert _spans(g.finditer(text)) == _spans(g.pattern.finditer(text)), g.pattern.pattern


@settings(max_examples=150, deadline=None)
@given(TEXTS)
def test_label_alternation_matches_as_the_whole(text):
    labels = _label_regex()
    assert isinstance(labels, WordAlternation)
    assert _spans(labels.finditer(text)) == _spans(labels.whole.finditer(text))


def test_patterns_it_cannot_reason_about_run_plainly():
    for source in (r"\d*", r"Cabinet$", r"Cabinet\Z", r"(a)?(?(1)b|c)Cabinet"):
        g = Gated(re.compile(source))
        assert not g.supported
        assert [m.span() for m in g.finditer("Cabinet 12")] == [m.span() for m in g.pattern.finditer("Cabinet 12")]


def test_triggers_and_barriers():
    g = Gated(re.compile(r"(?i:approved|agreed)\s+by\s+the\s+(?:Cabinet|Council)"))
    assert [sorted(t) for t in g.triggers] == [["agreed", "approved"], ["cabinet", "council"]]
    assert ";" in g.barriers and "." in g.barriers and " " not in g.barriers
    assert "\n" not in g.barriers  # \s+ may cross a line break
    # "january" holds "jan", so only "jan" is looked for; ubiquitous words are never triggers
    assert trigger_groups(re.compile(r"(?:jan|january)\s+the\s+\d")) == [frozenset({"jan"})]


def test_text_with_no_trigger_is_not_scanned():
    g = Gated(re.compile(r"approved\s+by\s+\w+"))
    assert list(g.finditer("Nothing here; nothing at all.")) == []


def test_folded_letters_are_all_those_ignorecase_equates_with_ascii():
    odd = {chr(c) for c in range(0x80, 0x110000) if re.fullmatch(r"(?i)[a-z]", chr(c))}
    assert odd == set(prefilter._FOLDED)


def test_word_alternation_refuses_alternatives_with_unknown_starts():
    for alternatives in ([(r"(?:and|&)\s+X", "and X")], [("x", "x")], [("Care", "Acre")]):
        with pytest.raises(ValueError):
            WordAlternation(alternatives)
    assert [m.group() for m in WordAlternation([("Co\\-op", "Co-op")]).finditer("a Co-op")] == ["Co-op"]


def test_anchor_mode_derives_its_barriers_from_the_lead_and_refuses_an_empty_lead():
    a = prefilter.Anchored(r"(?:the\s+)?(?P<body>[A-Z][\w,&'-]*)", r"\s+on\s+\d+", r"(?<!\s)(?=\s+on\s)")
    assert "." in a.barriers and ";" in a.barriers and "," not in a.barriers and "-" not in a.barriers
    text = "Noted. the Cabinet, Kent on 2; Council on x; the Board on 3"
    assert [m.group("body") for m in a.finditer(text)] == [m.group("body") for m in a.pattern.finditer(text)]
    with pytest.raises(ValueError):
        prefilter.Anchored(r"(?:the)?", r"\s+on", r"\s+on")


# alternatives whose keys are prefixes of one another ("co", "cos", "cost"), in an order where a
# shorter key's alternative comes first and last, with and without case folding
_KEYED = [("Co\\-op", "Co-op"), ("(?i:cost\\s+act\\s+20\\d\\d)", "Cost Act 2000"), ("(?i:cos\\s+1)", "COS 1"),
          ("Cost", "Cost"), ("(?i:co\\s+act)", "Co Act"), ("(?i:ks\\s+act)", "KS Act")]
_KEYED_PIECES = st.sampled_from(["Co-op", "co-op", "Cost", "COST", "cost act 2001", "Cost Act 2001", "cos 1", "COS",
                                 "co act", "Co", "ks act", "\u212as act", "\u017f", " ", "'", "-", "x", "\n", "1"])


@settings(max_examples=200, deadline=None)
@given(st.lists(_KEYED_PIECES, max_size=20).map(" ".join) | st.lists(_KEYED_PIECES, max_size=20).map("".join))
def test_alternatives_keyed_by_prefixes_of_one_another_match_as_the_whole(text):
    w = WordAlternation(_KEYED)
    assert sorted(w._subs) == ["co", "cos", "cost", "ks"]
    assert _spans(w.finditer(text)) == _spans(w.whole.finditer(text))
