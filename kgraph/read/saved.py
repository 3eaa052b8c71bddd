"""Read indexes saved beside an on-disk store, valid while the store's data files are unchanged.

An index that takes seconds to read from a large store (the views' :class:`ReadIndex`, the
lineage graph) is pickled to ``<store>.<name>`` with the signature of the store's data files
taken before it was read; a later process that opens the unchanged store loads it instead.
Any write to the store changes the signature (a new table file or a longer write-ahead log),
so a stale index is never loaded; a store opened for writing after a write may change it
once more (its log is flushed), which costs one rebuild, never a wrong answer.

>>> import tempfile
>>> from pathlib import Path
>>> from kgraph.graph.store import GraphStore
>>> store = GraphStore.open(Path(tempfile.mkdtemp()) / "store")
>>> save(store, "demo", 1, {"answer": 42}, signature_of(store))
>>> load(store, "demo", 1)
{'answer': 42}
>>> store.replace_graph("https://w3id.org/kgraph/id/g", '<http://e/a> <http://e/p> "1" .')
>>> load(store, "demo", 1) is None
True
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
from pathlib import Path

from kgraph.graph.store import GraphStore

__all__ = ["files_signature", "signature_of", "saved_path", "save", "load"]


def files_signature(path: Path) -> str | None:
    """A digest of an on-disk store's data files (names and sizes of its tables and non-empty
    write-ahead logs): a write to the store changes it. None if the directory cannot be read."""
    try:
        entries = sorted((e.name, e.stat().st_size) for e in os.scandir(path)
                         if e.name.endswith(".sst") or (e.name.endswith(".log") and e.stat().st_size))
    except OSError:
        return None
    return hashlib.sha256(repr(entries).encode()).hexdigest()


def saved_path(store: GraphStore, name: str) -> Path | None:
    """Where the index ``name`` of an on-disk store is saved: ``<store>.<name>`` beside it."""
    path = getattr(store, "path", None)
    return None if path is None else path.with_name(f"{path.name}.{name}")


def signature_of(store: GraphStore) -> str | None:
    """:func:`files_signature` of an on-disk store; None in memory."""
    path = getattr(store, "path", None)
    return None if path is None else files_signature(path)


def save(store: GraphStore, name: str, version: int, obj: object, signature: str | None) -> None:
    """Save ``obj`` beside the store with the data-file ``signature`` read before ``obj`` was
    built (best effort: nothing is saved where the directory is not writable)."""
    target = saved_path(store, name)
    if target is None or signature is None:
        return
    tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    try:
        with tmp.open("wb") as out:
            pickle.dump((version, signature, store.base_iri, obj), out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, target)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()


def load(store: GraphStore, name: str, version: int) -> object | None:
    """The index ``name`` saved beside the store, if built from the store's present data files."""
    target = saved_path(store, name)
    if target is None or not target.exists():
        return None
    signature = signature_of(store)
    try:
        with target.open("rb") as f:
            saved_version, saved_signature, base, obj = pickle.load(f)  # noqa: S301 - our file beside the store
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError, ImportError):
        return None
    if saved_version != version or signature is None or saved_signature != signature or base != store.base_iri:
        return None
    return obj
