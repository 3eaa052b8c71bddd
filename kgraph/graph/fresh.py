"""Fresh builds: a store with no document graphs is bulk-loaded beside itself and swapped in.

Oxigraph's bulk loader writes sorted, compressed table files directly: several times faster
than a transaction per batch, and a store a fraction of the size on disk. It is not
transactional (a load stopped half-way leaves half of it), so a build into an on-disk store
that holds no document graph yet does not load into it: it copies what the store holds (the
ontology, anything loaded by hand) into ``<store>.loading``, bulk-loads the documents there,
and when everything is in, closes both and swaps the directories
(:func:`kgraph.graph.compact.swap_in`, as compaction does). A crash or ``kill -9`` before the
swap leaves the store as it was; the next build clears the side directory first.

Loading runs on its own thread, fed batches of about ``bulk_load_mb`` megabytes of N-Quads
while the build renders the next documents (pyoxigraph releases the GIL while it loads).
A document whose graph must not be stored after all (held back: it links to a document that
failed) is removed from the side store before the swap, in one transaction.

>>> import tempfile
>>> from pathlib import Path
>>> store = GraphStore.open(Path(tempfile.mkdtemp()) / "store")
>>> load = FreshLoad.start(store)
>>> load.add(("http://e/g1", '<http://e/a> <http://e/p> "x" .', "a.txt", "1", "i1"))
>>> len(store)  # nothing in the store until the swap
0
>>> load.finish()
>>> store.document_sha("http://e/g1"), len(store), sorted(p.name for p in store.path.parent.iterdir())
('1', 4, ['store'])
"""

from __future__ import annotations

import gc
import queue
import shutil
import threading
from pathlib import Path

import pyoxigraph as ox

from kgraph.errors import StoreError
from kgraph.graph.compact import recover, swap_in
from kgraph.graph.store import DocumentGraph, GraphStore, nquads

#: Default megabytes of N-Quads handed to the bulk loader at once (the ``bulk_load_mb`` setting).
BULK_LOAD_MB = 16
#: Bytes per megabyte of the setting.
MB = 1_000_000
#: Batches waiting for the loading thread (each up to ``bulk_load_mb``; bounds memory).
QUEUE_BATCHES = 2


def side_path(path: Path) -> Path:
    """Where a fresh build loads the store at ``path`` before swapping it in."""
    return path.with_name(f"{path.name}.loading")


def has_document_graphs(store: GraphStore) -> bool:
    """Whether the store's catalog lists any document graph."""
    return any("/document/" in q.subject.value
               for q in store.ox.quads_for_pattern(None, None, None, store.catalog))


class FreshLoad:
    """A side store being bulk-loaded for ``target``; :meth:`finish` swaps it in, :meth:`abandon` drops it.

    :attr:`store` is the side store as a :class:`GraphStore` (for small transactional writes
    such as the ontology graph); :meth:`add` queues a document graph for the bulk loader.
    """

    def __init__(self, target: GraphStore, bulk_load_mb: int = BULK_LOAD_MB):
        self.target = target
        self.path = side_path(target.path)
        self.batch_bytes = max(1, bulk_load_mb) * MB
        if self.path.exists():  # left by a fresh build that was stopped: never the live store
            shutil.rmtree(self.path)
        try:
            side = ox.Store(str(self.path))
            side.bulk_extend(target.ox.quads_for_pattern(None, None, None, None))
        except OSError as exc:
            shutil.rmtree(self.path, ignore_errors=True)
            raise StoreError("KG185", str(target.path), f"cannot prepare {self.path.name}: {exc}") from exc
        self.store = GraphStore(side, base_iri=target.base_iri)
        self.pending: list[bytes] = []
        self.pending_bytes = 0
        self.error: Exception | None = None
        self.queue: queue.Queue = queue.Queue(maxsize=QUEUE_BATCHES)
        self.thread = threading.Thread(target=self._load, name="kgraph-bulk-load", daemon=True)
        self.thread.start()

    @classmethod
    def start(cls, target: GraphStore, bulk_load_mb: int = BULK_LOAD_MB) -> FreshLoad | None:
        """A fresh load for ``target`` if it is on disk and holds no document graph, else None
        (and a side directory left by a fresh build that was stopped is removed)."""
        if target.path is None:
            return None
        if bulk_load_mb <= 0 or has_document_graphs(target):
            shutil.rmtree(side_path(target.path), ignore_errors=True)
            return None
        return cls(target, bulk_load_mb)

    def add(self, doc: DocumentGraph) -> None:
        """Queue one document graph (and its catalog entry) for the bulk loader."""
        data = nquads([doc], self.store.catalog.value)
        self.pending.append(data)
        self.pending_bytes += len(data)
        if self.pending_bytes >= self.batch_bytes:
            self._send()

    def _send(self) -> None:
        if self.pending:
            self.queue.put(b"".join(self.pending))
            self.pending, self.pending_bytes = [], 0

    def _load(self) -> None:
        while (data := self.queue.get()) is not None:
            if self.error is None:
                try:
                    self.store.ox.bulk_load(data, format=ox.RdfFormat.N_QUADS)
                except (OSError, SyntaxError, ValueError) as exc:
                    self.error = exc

    def _stop(self) -> None:
        self._send()
        self.queue.put(None)
        self.thread.join()

    def finish(self, drop: list[str] = ()) -> None:
        """Load what is queued, remove the graphs ``drop``, and put the side store in place of the target.

        Raises :class:`StoreError` KG186 when the bulk loader refused a batch (the side store
        is removed; the target is as it was) and KG185 when the swap failed (the target is as
        it was, open again).
        """
        self._stop()
        if self.error is not None:
            self.abandon()
            raise StoreError("KG186", str(self.target.path), f"bulk load failed (store left as it was): {self.error}")
        try:
            for iri in drop:
                self.store.remove_document_graph(iri)
            self.store.flush()
        except StoreError:
            self.abandon()
            raise
        self.store.ox = None
        self.target.ox = None
        gc.collect()  # both closed (their locks released) before the directories move
        try:
            swap_in(self.target.path, self.path)
        except OSError as exc:
            recover(self.target.path)
            shutil.rmtree(self.path, ignore_errors=True)
            raise StoreError("KG185", str(self.target.path), f"fresh store not swapped in (store left as it "
                                                             f"was): {exc}") from exc
        finally:
            self.target.ox = ox.Store(str(self.target.path))

    def abandon(self) -> None:
        """Stop loading and remove the side store (the target is untouched)."""
        if self.thread.is_alive():
            self.pending, self.pending_bytes = [], 0
            self._stop()
        self.store.ox = None
        gc.collect()
        shutil.rmtree(self.path, ignore_errors=True)
