"""Answers kept per write generation, identical queries in flight sharing one evaluation, query keys."""

from __future__ import annotations

import asyncio
import itertools
import threading

import pyoxigraph as ox
import pytest

from kgraph.query.cache import Flights, query_key


def run(coro):
    """Run ``coro`` on a fresh event loop in its own thread (whatever loop this thread has)."""
    out: dict = {}

    def target() -> None:
        try:
            out["value"] = asyncio.run(coro)
        except BaseException as exc:  # handed to the test's thread
            out["error"] = exc

    t = threading.Thread(target=target)
    t.start()
    t.join()
    if "error" in out:
        raise out["error"]
    return out["value"]


def test_a_failure_reaches_every_waiter_and_is_not_kept():
    calls = []

    async def failing():
        calls.append(1)
        await asyncio.sleep(0.01)
        raise ValueError("boom")

    async def main():
        f = Flights()
        out = await asyncio.gather(*(f.run("k", failing) for _ in range(3)), return_exceptions=True)
        again = await f.run("k", lambda: asyncio.sleep(0, result="fine"))
        return out, again

    out, again = run(main())
    assert [type(e) for e in out] == [ValueError] * 3 and len(calls) == 1 and again == "fine"


def test_a_waiter_asks_again_when_the_one_answering_is_cancelled():
    calls = []

    async def slow():
        calls.append(1)
        await asyncio.sleep(0.05)
        return len(calls)

    async def main():
        f = Flights()
        leader = asyncio.create_task(f.run("k", slow))
        await asyncio.sleep(0.01)
        waiter = asyncio.create_task(f.run("k", slow))
        await asyncio.sleep(0.01)
        leader.cancel()
        with pytest.raises(asyncio.CancelledError):
            await leader
        return await waiter

    assert run(main()) == 2 and len(calls) == 2


def test_different_keys_run_apart():
    calls = []

    async def work(k):
        calls.append(k)
        await asyncio.sleep(0.01)
        return k

    async def main():
        f = Flights()
        return await asyncio.gather(f.run(1, lambda: work(1)), f.run(2, lambda: work(2)), f.run(1, lambda: work(1)))

    assert run(main()) == [1, 2, 1] and sorted(calls) == [1, 2]


# ---------------------------------------------------------------------------- query keys

AGGREGATE = "SELECT ?o (COUNT(?s) AS ?n) WHERE { ?s <http://e/p> ?o } GROUP BY ?o ORDER BY ?o"


@pytest.mark.parametrize("variant", [
    AGGREGATE + "\n#1", AGGREGATE + " # 2", "  " + AGGREGATE + "\n\n", AGGREGATE.replace(" ", "  "),
    AGGREGATE.replace(" ", "\t"),
])
def test_comments_and_spaces_do_not_change_the_key(variant):
    assert query_key(variant) == query_key(AGGREGATE)
    # a line break is kept (as one): it ends a comment the parser may see where this key does not
    lines = AGGREGATE.replace("WHERE {", "WHERE {\n")
    assert query_key(lines.replace("{\n", "{ # the pattern\n\n  ")) == query_key(lines) != query_key(AGGREGATE)


@pytest.mark.parametrize("a, b", [
    # a comment that the parser sees after an operator '<' (which reads here as an IRI) ends at
    # the line break: whether ?c is in the query depends on where that line break is
    ("SELECT * { ?a ?p ?b FILTER(?a<?b#>?c\n) }", "SELECT * { ?a ?p ?b FILTER(?a<?b#>?c ) }"),
    ("SELECT * { ?s ?p ?o }", "SELECT * { ?s ?p ?o } LIMIT 1"),
    ('SELECT * { ?s ?p "a # b" }', 'SELECT * { ?s ?p "a # c" }'),
    ("SELECT * { ?s ?p 'x'#'\n}", "SELECT * { ?s ?p 'x'#''\n}"),
    ("SELECT * { ?s ?p e:a\\#b }", "SELECT * { ?s ?p e:a\\#c }"),
])
def test_different_queries_have_different_keys(a, b):
    assert query_key(a) != query_key(b)


def _store() -> ox.Store:
    s = ox.Store()
    for i in range(4):
        s.add(ox.Quad(ox.NamedNode(f"http://e/s{i}"), ox.NamedNode("http://e/p"),
                      ox.Literal(str(i), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))))
    return s


_STORE = _store()
_PIECES = ["?s", "?o", "<http://e/a#b>", ")", "FILTER(?o<3#>", "FILTER(?o<3)", "FILTER(", "?o<?s", "3", "#)",
           "<?x#>", "}"]
_GAPS = [" ", "\n", " #c\n", "\t#c "]


def _answer(query: str) -> object:
    try:
        result = _STORE.query(query)
    except SyntaxError:
        return "refused"
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    names = [v.value for v in result.variables]
    return sorted(repr([(n, None if s[n] is None else s[n].value) for n in names]) for s in result)


def test_texts_with_one_key_get_one_answer():
    """Every two pieces with every choice of gaps: texts with one key get one answer from
    Oxigraph (or are both refused)."""
    head = "SELECT * WHERE { ?s <http://e/p> ?o "
    for first, second in itertools.product(_PIECES, repeat=2):
        by_key: dict[str, object] = {}
        for gaps in itertools.product(_GAPS, repeat=2):
            text = head + first + gaps[0] + second + gaps[1] + "\n}"
            answer = _answer(text)
            assert by_key.setdefault(query_key(text), answer) == answer, text
