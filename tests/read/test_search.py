"""Text and date lookups, and the filtered decision list against a plain filter of every decision."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from kgraph.graph.store import GraphStore
from kgraph.read.common import DCT, KG, RDF, XSD
from kgraph.read.decisions import list_decisions
from kgraph.read.index import index_of
from kgraph.read.search import SEPARATOR, Search
from tests.read.graphs import BASE

ORGS = ("alpha", "beta", "gamma")
WORDS = ("care", "roads", "home", "school", "Care Home")


def test_text_positions_find_every_text_holding_the_needle():
    texts = {"a": "care", "b": "home care", "c": "roads", "d": "care"}
    s = Search.of([("1", "a"), ("2", "b"), ("3", "c"), ("4", "d")], texts, lambda d: None)
    assert list(s.text_positions("care")) == [0, 1, 3]
    assert list(s.text_positions("e")) == [0, 1, 3]
    # a hit across two texts is reported once, at the text it starts in; callers test it again
    assert list(s.text_positions("care" + SEPARATOR + "home")) == [0]
    assert list(s.text_positions("x")) == []


def test_date_positions_compare_as_strings():
    dates = {"a": "2019-01-02", "b": None, "c": "2018-12-31", "d": "2019-01-02Z", "e": "2019-01-03"}
    s = Search.of([(k, k) for k in "abcde"], {}, dates.get)
    assert s.date_positions("2019-01-01", "2019-01-02").tolist() == [0]  # "2019-01-02Z" > "2019-01-02"
    assert s.date_positions("2019-01-02", None).tolist() == [0, 3, 4]
    assert s.date_positions(None, "2018-12-31").tolist() == [2]
    assert s.date_positions("2020-01-01", None).tolist() == []
    assert s.date_positions("2019-02-01", "2019-01-01").tolist() == []


def test_empty_list():
    s = Search.of([], {}, lambda d: None)
    assert list(s.text_positions("a")) == [] and s.date_positions("2019-01-01", None).tolist() == []


_decision = st.tuples(
    st.integers(0, 400),                                     # decision number
    st.one_of(st.none(), st.integers(0, 60)),                # day of 2019, or no date
    st.sampled_from(WORDS),                                  # title word
    st.sets(st.sampled_from(ORGS), max_size=3),              # organisations named
)


def _store(decisions: list[tuple]) -> GraphStore:
    store = GraphStore.in_memory()
    for k, (num, day, word, orgs) in enumerate(decisions):
        d = f"{BASE}council/c/decision/19-{num:05d}"
        lines = [f'<{d}> <{RDF}type> <{KG}Decision> .', f'<{d}> <{DCT}identifier> "19-{num:05d}" .',
                 f'<{d}> <{DCT}title> "{word} {num}" .']
        if day is not None:
            date = dt.date(2019, 1, 1) + dt.timedelta(days=day)
            lines.append(f'<{d}> <{DCT}date> "{date.isoformat()}"^^<{XSD}date> .')
        lines += [f"<{d}> <{KG}namesOrganisation> <{BASE}org/{o}> ." for o in sorted(orgs)]
        store.replace_graph(f"{BASE}document/{k:04x}", "\n".join(lines))
    return store


def _plain(store: GraphStore, organisation, date_from, date_to, q) -> list[str]:
    """Every decision's id that passes the filters, tested one by one, in id order."""
    index = index_of(store)
    org = f"{BASE}org/{organisation}" if organisation else None
    out = []
    for key, d in index.listed:
        _, number, title, day, _ = index.summary[d]
        if org is not None and d not in index.by_org.get(org, ()):
            continue
        if (date_from or date_to) and (day is None or (date_from and day < date_from.isoformat())
                                       or (date_to and day > date_to.isoformat())):
            continue
        if q is not None and not any(q.casefold() in (t or "").casefold() for t in (title, number, key)):
            continue
        out.append(key)
    return out


_day = st.one_of(st.none(), st.integers(0, 60).map(lambda n: dt.date(2019, 1, 1) + dt.timedelta(days=n)))


@settings(max_examples=60, deadline=None)
@given(st.lists(_decision, min_size=0, max_size=60), st.one_of(st.none(), st.sampled_from(ORGS)), _day, _day,
       st.one_of(st.none(), st.sampled_from(("care", "home", "1", "19-0001", "", "x"))),
       st.integers(0, 30), st.integers(1, 12))
def test_list_decisions_is_a_plain_filter(decisions, organisation, date_from, date_to, q, offset, limit):
    store = _store(decisions)
    expected = _plain(store, organisation, date_from, date_to, q)
    page = list_decisions(store, organisation=organisation, date_from=date_from, date_to=date_to, q=q,
                          offset=offset, limit=limit)
    assert [x["id"] for x in page["items"]] == expected[offset:offset + limit]
    assert page["has_more"] == (len(expected) > offset + limit)
