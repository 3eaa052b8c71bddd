"""An amount's own clause."""

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
