"""Rules over many amounts."""

from kgraph.extract.nlp.money_clause import Draft
from kgraph.extract.nlp.money_rules import annual_total_rule, finish, range_rule


def _d(text, amount, **kw):
    s = text.index(amount)
    d = Draft(s, s + len(amount), amount, kw.pop("gbp", 0), (0, len(text)), (0, len(text)), (s, s),
              (s + len(amount),) * 2)
    for k, v in kw.items():
        setattr(d, k, v)
    return d


def test_annual_total_makes_the_paragraphs_funding_annual():
    text = "Service A £200,000. Service B £300,000. Total annual funding £500,000"
    parts = [_d(text, "£200,000", role="funding"), _d(text, "£300,000", role="funding"),
             _d(text, "£500,000", role="funding", period="annual", is_total=True)]
    annual_total_rule(parts)
    assert [p.period for p in parts] == ["annual", "annual", "annual"]


def test_a_range_shares_its_period():
    text = "£1m to £2m per year"
    a, b = _d(text, "£1m", role="funding"), _d(text, "£2m", role="funding", period="annual")
    range_rule(text, [a, b])
    assert a.period == b.period


def test_finish_gives_the_amount_mention():
    text = "costs £1m"
    m = finish(text, _d(text, "£1m", gbp=1_000_000, role="threshold", period="annual"))
    assert (m.mention.text, m.gbp, m.period) == ("£1m", 1_000_000, None)
