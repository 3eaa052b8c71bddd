"""The killable worker pool: datasets, caps, time limits, crashed workers, writes, updates."""

from __future__ import annotations

import json
import os
import signal
import threading
import time

import pytest

from kgraph.errors import QueryError
from kgraph.graph.store import GraphStore
from kgraph.query.executor import QueryExecutor

EX = "http://example.org/"
DATA = (
    "\n".join(f'<{EX}s{i}> <{EX}p> "{i}" <{EX}g{i % 2}> .' for i in range(40))
    + f'\n<{EX}s0> <{EX}label> "zéro"@fr <{EX}g0> .\n'
)
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"


# ---------------------------------------------------------------------------- workers


@pytest.fixture(scope="module")
def executor():
    with QueryExecutor(lambda: DATA.encode(), workers=2, timeout_s=1.0, row_cap=10) as ex:
        yield ex


def test_union_default_graph_and_dataset(executor):
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert executor.rows(count).rows[0]["n"].value == "41"
    assert executor.rows(count, default_graphs=[EX + "g1"]).rows[0]["n"].value == "20"
    assert executor.rows(count, named_graphs=[EX + "g1"]).rows[0]["n"].value == "0"
    from_g0 = f"SELECT (COUNT(*) AS ?n) FROM <{EX}g0> WHERE {{ ?s ?p ?o }}"
    assert executor.rows(from_g0).rows[0]["n"].value == "21"


def test_row_cap(executor):
    result = executor.run("SELECT * WHERE { ?s ?p ?o }", "application/sparql-results+json")
    assert result.truncated and result.count == 10
    assert len(json.loads(result.body)["results"]["bindings"]) == 10
    small = executor.run("SELECT * WHERE { ?s ?p ?o } LIMIT 3", "text/csv")
    assert not small.truncated and small.count == 3
    graph = executor.run("CONSTRUCT WHERE { ?s ?p ?o }", "application/n-triples")
    assert graph.truncated and len(graph.body.splitlines()) == 10


def test_errors_are_typed(executor):
    with pytest.raises(QueryError) as info:
        executor.run("SELECT WHERE {", "text/csv")
    assert info.value.code == "KG302"
    with pytest.raises(QueryError) as info:
        executor.run("DROP ALL", "text/csv")
    assert info.value.code == "KG304"


def test_timeout_kills_the_worker_and_the_pool_recovers(executor):
    runaway = RUNAWAY
    pids = {w.proc.pid for w in executor._all}
    with pytest.raises(QueryError) as info:
        executor.run(runaway, "text/csv")
    assert info.value.code == "KG303"
    killed = pids - {w.proc.pid for w in executor._all}
    assert len(killed) == 1
    deadline = time.monotonic() + 60
    while len(executor._all) < executor.size and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(executor._all) == executor.size
    for _ in range(4):
        assert executor.run("ASK { ?s ?p ?o }", "text/csv").body.strip() == b"true"


def test_exclusive_reload_in_memory():
    store = GraphStore.in_memory()
    with QueryExecutor.for_store(store, workers=2) as ex:
        assert ex.run("ASK { ?s ?p ?o }", "text/csv").body.strip() == b"false"
        with ex.exclusive():
            store.ox.update(f"INSERT DATA {{ GRAPH <{EX}g> {{ <{EX}a> <{EX}b> <{EX}c> }} }}")
        assert ex.generation == 1
        for _ in range(3):  # every worker sees it
            assert ex.run("ASK { ?s ?p ?o }", "text/csv").body.strip() == b"true"


def test_exclusive_reload_on_disk(tmp_path):
    store = GraphStore.open(tmp_path / "store")
    with QueryExecutor.for_store(store, workers=2) as ex:
        for i in range(5):
            with ex.exclusive():
                store.ox.update(f'INSERT DATA {{ GRAPH <{EX}g> {{ <{EX}a> <{EX}b> "{i}" }} }}')
                store.flush()
            for _ in range(2):
                n = ex.rows("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0]["n"].value
                assert n == str(i + 1)


def test_failed_write_still_returns_workers():
    with QueryExecutor(lambda: b"", workers=1, timeout_s=2) as ex:
        with pytest.raises(RuntimeError), ex.exclusive():
            raise RuntimeError("write failed")
        assert ex.run("ASK {}", "text/csv").body.strip() == b"true"


def _wait_full(ex: QueryExecutor, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while (len(ex._all) < ex.size or ex._idle.qsize() < ex.size) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(ex._all) == ex.size


def test_checks_run_in_the_worker_from_the_parse():
    with QueryExecutor(lambda: DATA.encode(), workers=1, timeout_s=5) as ex:
        sneaky = ("SELECT ?a WHERE { OPTIONAL { ?s kg:x\\' ?o } "
                  "SERVICE <http://127.0.0.1:9/x> { ?a ?b ?c } BIND('z' AS ?z) }")
        with pytest.raises(QueryError) as info:
            ex.run(sneaky, "text/csv")
        assert info.value.code == "KG305"
        with pytest.raises(QueryError) as info:
            ex.run("SELECT * WHERE " + "{" * 200 + "}" * 200, "text/csv")
        assert info.value.code == "KG312"
        with pytest.raises(QueryError) as info:
            ex.run("SELECT * WHERE { ?s ?p ?o } #" + "x" * 100_001, "text/csv")
        assert info.value.code == "KG311"


def test_negotiation_failure_for_the_result_kind_is_kg603(executor):
    with pytest.raises(QueryError) as info:
        executor.run("CONSTRUCT WHERE { ?s ?p ?o }", "text/csv", graph_media_type=None)
    assert (info.value.code, info.value.subject) == ("KG603", "graph")
    ok = executor.run("ASK {}", "text/csv", graph_media_type=None)
    assert ok.body.strip() == b"true"


def test_a_worker_killed_mid_query_is_kg309_and_replaced():
    with QueryExecutor(lambda: DATA.encode(), workers=2, timeout_s=8) as ex:
        victims = [w.proc.pid for w in ex._all]
        threading.Timer(0.5, lambda: [os.kill(p, signal.SIGKILL) for p in victims]).start()
        errors = []

        def ask() -> None:
            try:
                ex.run(RUNAWAY, "text/csv")
            except QueryError as exc:
                errors.append(exc.code)

        threads = [threading.Thread(target=ask) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(20)
        assert errors == ["KG309", "KG309"]
        _wait_full(ex)
        assert ex.run("ASK { ?s ?p ?o }", "text/csv").body.strip() == b"true"


def test_twenty_dead_workers_leave_no_client_hanging():
    """Every worker killed while idle, 20 clients at once: each gets an answer in time."""
    with QueryExecutor(lambda: DATA.encode(), workers=2, timeout_s=15) as ex:
        for w in list(ex._all):
            os.kill(w.proc.pid, signal.SIGKILL)
        time.sleep(0.2)
        outcomes: list[str] = []

        def ask() -> None:
            try:
                ex.run("ASK { ?s ?p ?o }", "text/csv")
                outcomes.append("ok")
            except QueryError as exc:
                outcomes.append(exc.code)

        started = time.monotonic()
        threads = [threading.Thread(target=ask) for _ in range(20)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        assert len(outcomes) == 20 and time.monotonic() - started < 30
        assert outcomes.count("ok") == 20, outcomes


def test_update_runs_in_a_killable_process_on_disk(tmp_path):
    store = GraphStore.open(tmp_path / "store")
    store.ox.update(f"INSERT DATA {{ GRAPH <{EX}g> {{ <{EX}a> <{EX}p> 1, 2, 3, 4, 5, 6 }} }}")
    store.flush()
    with QueryExecutor.for_store(store, workers=1, timeout_s=5, update_timeout_s=1) as ex:
        ex.update(store, f"INSERT DATA {{ GRAPH <{EX}g> {{ <{EX}b> <{EX}p> 7 }} }}")
        assert len(store) == 7  # the server's own handle sees the write
        cross = (f"INSERT {{ GRAPH <{EX}h> {{ <{EX}x> <{EX}y> ?n }} }} WHERE {{ "
                 "SELECT (COUNT(*) AS ?n) WHERE { "
                 + " . ".join(f"GRAPH ?g{i} {{ ?a{i} ?b{i} ?c{i} }}" for i in range(9)) + " } }")
        started = time.monotonic()
        with pytest.raises(QueryError) as info:
            ex.update(store, cross)
        assert info.value.code == "KG313" and time.monotonic() - started < 8
        assert len(store) == 7  # nothing of the stopped update was applied
        store.ox.update(f"INSERT DATA {{ GRAPH <{EX}g> {{ <{EX}c> <{EX}p> 8 }} }}")  # writable again
        assert ex.rows("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0]["n"].value == "7"


def test_update_refusals_are_decided_from_the_parse():
    store = GraphStore.in_memory()
    with QueryExecutor.for_store(store, workers=1, timeout_s=5) as ex:
        cases = {
            "LOAD <file:///etc/passwd>": "KG307",
            "LOAD <http://127.0.0.1:9/data.ttl> INTO GRAPH <http://g>": "KG304",
            "PREFIX kg: <http://k/> INSERT { ?s kg:x\\' 1 } WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }": "KG305",
            "INSERT { <http://a> <http://b> 1 } WHERE " + "{" * 5000 + "}" * 5000: "KG312",
            "SELECT * WHERE { ?s ?p ?o }": "KG306",
            "INSERT DATA { <http://a> <http://b> }": "KG306",
        }
        for text, code in cases.items():
            with pytest.raises(QueryError) as info:
                ex.update(store, text)
            assert info.value.code == code, text
        assert len(store) == 0
        ex.update(store, "INSERT DATA { GRAPH <http://g> { <http://a> <http://b> 1 } }")
        assert len(store) == 1 and ex.generation == 1


def test_a_service_answering_garbage_is_kg308():
    """An allowed SERVICE endpoint whose answer cannot be parsed: KG308, not a store error."""
    import http.server

    class Garbage(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the handler's API
            body = b"this is not a SPARQL result"
            self.send_response(200)
            self.send_header("content-type", "application/sparql-results+json")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_POST = do_GET  # noqa: N815

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Garbage)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}/sparql"
    try:
        with QueryExecutor(lambda: DATA.encode(), workers=1, timeout_s=10,
                           service_allowlist=[url]) as ex:
            with pytest.raises(QueryError) as info:
                ex.run(f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}", "text/csv")
            assert info.value.code == "KG308"
            assert ex.run("ASK { ?s ?p ?o }", "text/csv").body.strip() == b"true"
    finally:
        httpd.shutdown()


def test_queries_are_answered_while_an_update_runs(tmp_path):
    store = GraphStore.open(tmp_path / "store")
    store.ox.update(f"INSERT DATA {{ GRAPH <{EX}g> {{ <{EX}a> <{EX}p> 1, 2, 3, 4, 5, 6 }} }}")
    store.flush()
    slow = (f"INSERT {{ GRAPH <{EX}h> {{ <{EX}x> <{EX}y> ?n }} }} WHERE {{ "
            "SELECT (COUNT(*) AS ?n) WHERE { "
            + " . ".join(f"GRAPH ?g{i} {{ ?a{i} ?b{i} ?c{i} }}" for i in range(12)) + " } }")
    with QueryExecutor.for_store(store, workers=2, timeout_s=5, update_timeout_s=8) as ex:
        errors: list[str] = []

        def update() -> None:
            try:
                ex.update(store, slow)
            except QueryError as exc:
                errors.append(exc.code)

        writer = threading.Thread(target=update)
        writer.start()
        time.sleep(1.5)  # the update process is running now
        n = ex.rows("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0]["n"].value
        assert len(store) == 6  # the server's own (read-only, meanwhile) handle reads too
        assert writer.is_alive()  # answered while the update was still running
        assert n == "6"
        writer.join(60)
        assert errors == ["KG313"]
        ex.update(store, f"INSERT DATA {{ GRAPH <{EX}g> {{ <{EX}b> <{EX}p> 7 }} }}")
        assert ex.rows("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0]["n"].value == "7"


def test_writes_record_the_graphs_they_change():
    store = GraphStore.in_memory()
    calls = []
    with QueryExecutor.for_store(store, workers=1) as ex:
        ex.before_write.append(lambda: calls.append(ex.generation))
        start = ex.generation
        ex.update(store, f'INSERT DATA {{ GRAPH <{EX}g1> {{ <{EX}a> <{EX}p> "1" }} }}')
        with ex.exclusive(graphs=[EX + "g2"]):
            store.replace_graph(EX + "g2", f'<{EX}a> <{EX}p> "2" .')
        assert ex.changes_since(start) == {EX + "g1", EX + "g2"}
        assert ex.changes_since(start + 1) == {EX + "g2"}
        ex.update(store, f"DELETE {{ GRAPH ?g {{ ?s ?p ?o }} }} WHERE {{ GRAPH ?g {{ ?s <{EX}p> ?o }} }}")
        assert ex.changes_since(start + 1) is None  # the update names its graph by a variable
        assert ex.changes_since(ex.generation) == frozenset() and calls
