"""kgraph.graph.runner: the same results, in order, from this process, a pool or a Dask cluster."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kgraph.errors import BuildError, ValidationError
from kgraph.graph.build import build_corpus
from kgraph.graph.runner import DaskRunner, open_runner
from kgraph.graph.store import GraphStore
from tests.conftest import CORPUS


def _fails_on_three(x: int) -> int | ValidationError:
    return ValidationError("KG201", str(x), "bad") if x == 3 else x * 10


def _dump(store: GraphStore) -> list[str]:
    return sorted(store.ox.dump(format=ox.RdfFormat.N_QUADS).decode().splitlines())


@pytest.mark.parametrize("jobs", [1, 2])
def test_results_come_back_in_order_with_errors_intact(jobs):
    with open_runner(jobs=jobs) as run:
        out = list(run.map(_fails_on_three, [(i,) for i in range(20)], chunk=3))
    assert [o for o in out if not isinstance(o, ValidationError)] == [i * 10 for i in range(20) if i != 3]
    assert isinstance(out[3], ValidationError) and out[3].code == "KG201"


def test_unreachable_scheduler_is_a_coded_error(monkeypatch):
    monkeypatch.setattr(DaskRunner, "CONNECT_TIMEOUT", "1s")
    with pytest.raises(BuildError) as err, open_runner(scheduler="tcp://127.0.0.1:9"):
        pass
    assert err.value.code == "KG160"


@pytest.fixture(scope="module")
def dask_client():
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                       dashboard_address=None)
    client = distributed.Client(cluster)
    yield client
    client.close()
    cluster.close()


def test_dask_cluster_of_two_workers_builds_the_same_store(dask_client):
    serial = GraphStore.in_memory()
    build_corpus([CORPUS], serial)
    distributed_store = GraphStore.in_memory()
    with open_runner(client=dask_client) as run:
        assert isinstance(run, DaskRunner) and run.workers == 2
        report = build_corpus([CORPUS], distributed_store, runner=run)
        assert list(run.map(_fails_on_three, [(1,), (2,)])) == [10, 20]
    assert report.errors == [] and len(report.built) == 5
    assert _dump(distributed_store) == _dump(serial)


def test_a_slow_consumer_holds_a_window_of_results_not_all_of_them():
    # the pool computes ahead of the caller only a bounded window of chunks: a caller slower
    # than the workers (a store being bulk-loaded) never has the whole corpus's results waiting
    from kgraph.graph import runner as runner_module

    submitted: list[int] = []

    class Done:
        def __init__(self, value):
            self.value = value

        def result(self):
            return self.value

    def submit(apply, fn, chunk):
        submitted.append(len(submitted))
        return Done(apply(fn, chunk))

    chunks = [[(i,)] for i in range(50)]
    out = runner_module._windowed(submit, abs, chunks, window=6)
    for taken in range(50):
        assert next(out) == taken
        assert len(submitted) <= taken + 6
    assert list(out) == [] and len(submitted) == 50
