"""An amount's own clause."""

from hypothesis import given, settings
from hypothesis import strategies as st

from kgraph.extract.nlp.money_clause import Draft, containing, own_clause, set_windows
from kgraph.model import Mention, OrgMention


def _draft(text: str, amount: str) -> Draft:
    s = text.index(amount)
    d = Draft(s, s + len(amount), amount, 0, (0, len(text)), (0, len(text)), (s, s), (s + len(amount),) * 2)
    set_windows([d])
    return d


def test_subject_funder_period_and_purpose():
    text = "KCC agreed to invest £2m per year into the new contract"
    d = _draft(text, "£2m")
    own_clause(text, d, [OrgMention(Mention("KCC", 0, 3), "Kent County Council", "LocalAuthority", "gazetteer")])
    assert (d.role, d.period, d.funder) == ("funding", "annual", "Kent County Council")
    assert d.purpose == "new contract"


def test_threshold_clause_has_no_period_or_purpose():
    text = "Contracts in excess of £1,000,000 are key decisions"
    d = _draft(text, "£1,000,000")
    own_clause(text, d, [])
    assert d.role == "threshold" and d.purpose is None


def test_containing_span():
    spans = [(0, 10), (11, 20), (25, 30)]
    assert containing(spans, 11) == (11, 20) and containing(spans, 22) == (11, 20)
    assert containing(spans, 0) == (0, 10) and containing([(5, 9)], 2) is None


def _cut_left_by_characters(text, lo, hi):
    depth = 0
    for i in range(hi - 1, lo - 1, -1):
        c = text[i]
        if c == ")":
            depth += 1
        elif c == "(":
            if depth == 0:
                return i + 1
            depth -= 1
        elif c in "=;" and depth == 0:
            return i + 1
    return lo


def _cut_right_by_characters(text, lo, hi):
    opened = []
    for i in range(lo, hi):
        c = text[i]
        if c == "(":
            opened.append(i)
        elif c == ")":
            if not opened:
                return i
            opened.pop()
        elif c in "=;" and not opened:
            return i
    return opened[0] if opened else hi


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab ()=;£1", max_size=30), st.integers(0, 32), st.integers(0, 32))
def test_clause_cuts_are_those_read_character_by_character(text, lo, hi):
    from kgraph.extract.nlp.money_clause import _cut_left, _cut_right

    lo, hi = min(lo, len(text)), min(hi, len(text))  # windows lie in the text
    assert _cut_left(text, lo, hi) == _cut_left_by_characters(text, lo, hi)
    assert _cut_right(text, lo, hi) == _cut_right_by_characters(text, lo, hi)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 30), st.integers(1, 6)), max_size=10), st.integers(-2, 32), st.integers(0, 35))
def test_organisations_in_a_clause_are_found_by_bisection_as_by_reading_all(spans, lo, hi):
    from kgraph.extract.nlp.money_clause import SortedOrgs, _orgs_in

    orgs = sorted((OrgMention(Mention("x" * n, a, a + n), f"o{i}", "", "") for i, (a, n) in enumerate(spans)),
                  key=lambda o: o.mention.start)
    assert _orgs_in(SortedOrgs(orgs), lo, hi) == _orgs_in(list(orgs), lo, hi)
