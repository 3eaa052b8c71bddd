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
import gc
import hashlib
import os
import pickle
from pathlib import Path

from kgraph.graph.store import GraphStore

__all__ = ["files_signature", "signature_of", "saved_path", "save", "load", "load_any", "discard"]


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
    loaded = load_any(store, name, version)
    return loaded[0] if loaded is not None and loaded[1] else None


def load_any(store: GraphStore, name: str, version: int) -> tuple[object, bool] | None:
    """The index ``name`` saved beside the store (of this ``version`` and base IRI) and whether
    the store's data files are unchanged since; None if there is none.

    >>> import tempfile
    >>> from pathlib import Path
    >>> store = GraphStore.open(Path(tempfile.mkdtemp()) / "store")
    >>> save(store, "read-index", 1, "old", signature_of(store))
    >>> store.replace_graph("https://w3id.org/kgraph/id/g", '<http://e/a> <http://e/p> "1" .')
    >>> load_any(store, "read-index", 1)
    ('old', False)
    >>> discard(store); load_any(store, "read-index", 1) is None
    True
    """
    target = saved_path(store, name)
    if target is None or not target.exists():
        return None
    signature = signature_of(store)
    enabled = gc.isenabled()
    gc.disable()  # millions of small objects: the cyclic collector's passes would take most of the load
    try:
        with target.open("rb") as f:
            saved_version, saved_signature, base, obj = pickle.load(f)  # noqa: S301 - our file beside the store
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError, ImportError):
        return None
    finally:
        if enabled:
            gc.enable()
    if saved_version != version or base != store.base_iri:
        return None
    return obj, signature is not None and saved_signature == signature


#: Names of the indexes saved beside a store (see :func:`discard`).
NAMES = ("read-index", "lineage-index")


def discard(store: GraphStore, names: tuple[str, ...] = NAMES) -> None:
    """Remove the indexes saved beside the store (before a write that the store's catalog does
    not record, so no later process brings them up to date by the catalog alone)."""
    for name in names:
        target = saved_path(store, name)
        if target is not None:
            with contextlib.suppress(OSError):
                target.unlink()
