"""A span cover answers as reading every span would."""

from hypothesis import given, settings
from hypothesis import strategies as st

from kgraph.extract.spans import SpanCover

_SPANS = st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)), max_size=10)


@settings(max_examples=300, deadline=None)
@given(_SPANS, st.integers(-2, 33), st.integers(-2, 33))
def test_cover_answers_as_reading_every_span(spans, a, b):
    cover = SpanCover(spans)
    assert cover.holds(a) == any(s <= a < e for s, e in spans)
    assert cover.covers(a, b) == any(s <= a and b <= e for s, e in spans)
