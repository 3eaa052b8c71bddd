"""Where a build's per-document work runs: in this process, a process pool, or a Dask cluster.

Every runner has one method, :meth:`Runner.map`, which applies a picklable top-level function
to a list of argument tuples and yields the results **in order**, as soon as each is ready.
Work is sent in chunks (:data:`CHUNK_DOCS` documents per task by default) so that a cluster
is not flooded with one tiny task per document. Only the caller writes to the store: the
workers compute and return.

>>> with open_runner(jobs=1) as run:
...     list(run.map(divmod, [(7, 2), (9, 4)]))
[(3, 1), (2, 1)]
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

from kgraph.errors import BuildError

#: Documents per task sent to a worker process or Dask worker.
CHUNK_DOCS = 8
#: Chunks in flight (submitted, results not yet taken) per worker, for pools and clusters alike.
WINDOW = 4


def _apply(fn: Callable, chunk: list[tuple]) -> list:
    return [fn(*args) for args in chunk]


def _chunks(items: list[tuple], size: int) -> list[list[tuple]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _windowed(submit: Callable, fn: Callable, chunks: list[list[tuple]], window: int) -> Iterator:
    """The results of ``fn`` over ``chunks`` in order, with at most ``window`` chunks submitted
    and not yet taken: a caller slower than the workers (a store being loaded) holds a window
    of results, not the whole corpus's."""
    futures: list = []
    nxt = 0
    for i in range(len(chunks)):
        while nxt < len(chunks) and nxt < i + window:
            futures.append(submit(_apply, fn, chunks[nxt]))
            nxt += 1
        yield from futures[i].result()
        futures[i] = None  # let the result go


class Runner:
    """Run work in this process (the default: no start-up cost, easiest to debug)."""

    workers = 1

    def map(self, fn: Callable, items: list[tuple], chunk: int = CHUNK_DOCS) -> Iterator:
        for args in items:
            yield fn(*args)

    def close(self) -> None:
        pass


class PoolRunner(Runner):
    """A pool of ``jobs`` worker processes (``spawn``: no state inherited from the caller)."""

    def __init__(self, jobs: int):
        self.workers = jobs
        self.pool = ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("spawn"))

    def map(self, fn: Callable, items: list[tuple], chunk: int = CHUNK_DOCS) -> Iterator:
        if len(items) <= 1:
            yield from super().map(fn, items)
            return
        size = max(1, min(chunk, len(items) // (self.workers * 2) or 1))
        yield from _windowed(self.pool.submit, fn, _chunks(items, size), WINDOW * self.workers)

    def close(self) -> None:
        self.pool.shutdown(cancel_futures=True)


class DaskRunner(Runner):
    """Tasks on a Dask distributed cluster (``distributed.Client``) at ``address``.

    Chunks are submitted in a bounded window (:data:`WINDOW` per worker), so a corpus of any
    size never has all its texts in flight at once.
    """

    #: How long to wait for the scheduler before giving up.
    CONNECT_TIMEOUT = "10s"

    def __init__(self, address: str | None = None, client=None):
        try:
            from distributed import Client
        except ImportError as exc:  # pragma: no cover - distributed is a declared dependency
            raise BuildError("KG160", address or "dask", f"Dask distributed is not installed: {exc}") from exc
        self._own = client is None
        try:
            self.client = client or Client(address, timeout=self.CONNECT_TIMEOUT)
        except (OSError, TimeoutError) as exc:
            raise BuildError("KG160", address or "dask", f"cannot reach the Dask scheduler: {exc}") from exc
        self.workers = max(1, len(self.client.scheduler_info().get("workers", {})))

    def map(self, fn: Callable, items: list[tuple], chunk: int = CHUNK_DOCS) -> Iterator:
        yield from _windowed(lambda *a: self.client.submit(*a, pure=False), fn, _chunks(items, chunk),
                             WINDOW * self.workers)

    def close(self) -> None:
        if self._own:
            with contextlib.suppress(Exception):
                self.client.close()


@contextlib.contextmanager
def open_runner(jobs: int = 1, scheduler: str | None = None, client=None) -> Iterator[Runner]:
    """The runner for ``--jobs N`` / ``--scheduler ADDRESS`` (or an existing Dask ``client``)."""
    if scheduler or client is not None:
        runner: Runner = DaskRunner(scheduler, client=client)
    elif jobs > 1:
        runner = PoolRunner(jobs)
    else:
        runner = Runner()
    try:
        yield runner
    finally:
        runner.close()
