"""Rewrite an on-disk store into compressed, sorted files: the same quads in about 55 % of the bytes.

(And :func:`fold_write_log`, which a build runs to drop the write-ahead log it leaves behind.)

Oxigraph keeps what transactions write (every ``kgraph build`` batch) in uncompressed files
until its storage engine merges them, which a store of a few hundred thousand quads may never
reach, and ``Store.optimize()`` does not change them (pyoxigraph 0.5). Bulk loading writes
sorted, compressed files directly. :func:`compact_store` copies every quad of the store into a
fresh store beside it with ``bulk_extend`` (no temporary dump file), checks that it holds the
same number of quads, and swaps the directories: ``<store>`` becomes the compacted store, the
old one is removed (:func:`swap_in`, also how a fresh build puts its bulk-loaded store in place).
If the process stops between the two renames, ``<store>.old`` is the untouched store and the
next compaction, build or writable open puts it back first (:func:`recover`).

The store must not be open elsewhere (no ``kgraph serve`` or build running): opening it for
writing takes its lock, and a lock held by another process is error KG301.

>>> import tempfile, pyoxigraph as ox
>>> path = Path(tempfile.mkdtemp()) / "store"
>>> s = ox.Store(str(path))
>>> s.add(ox.Quad(ox.NamedNode("http://e/a"), ox.NamedNode("http://e/p"), ox.Literal("x"), ox.NamedNode("http://e/g")))
>>> del s
>>> report = compact_store(path)
>>> report.quads, sorted(p.name for p in path.parent.iterdir())
(1, ['store'])
"""

from __future__ import annotations

import gc
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kgraph.errors import StoreError


@dataclass(frozen=True)
class CompactReport:
    """What a compaction did: quads copied, bytes on disk before and after, seconds taken."""

    quads: int
    bytes_before: int
    bytes_after: int
    seconds: float


def dir_bytes(path: Path) -> int:
    """Bytes of every file under ``path``."""
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def fold_write_log(path: Path) -> bool:
    """Open and close the store at ``path``; False (nothing done) if a handle is still open.

    Oxigraph deletes the write-ahead log of a session only when the store is next opened, so a
    store just built takes about three times its settled size on disk until then; reopening
    takes milliseconds. ``kgraph build`` does this when it is done.
    """
    gc.collect()  # the caller's handle, if only a reference cycle still holds it
    try:
        store = ox.Store(str(path))
    except OSError:  # still open here or elsewhere: the log is folded in at the next open
        return False
    store.flush()
    del store
    gc.collect()
    return True


def _sibling(path: Path, suffix: str) -> Path:
    return path.with_name(f"{path.name}.{suffix}")


def recover(path: Path) -> None:
    """Finish or undo a swap that stopped between its two renames (see :func:`swap_in`).

    ``<store>.old`` without ``<store>``: the first rename happened, the second did not, so
    ``.old`` is the untouched store and is put back. Both present: the swap was done and only
    the removal of ``.old`` was missed, so it is removed now.
    """
    old = _sibling(path, "old")
    if old.exists():
        if path.exists():
            shutil.rmtree(old, ignore_errors=True)
        else:
            old.rename(path)


def swap_in(path: Path, fresh: Path) -> None:
    """Put the (closed) store at ``fresh`` in place of the (closed) store at ``path``.

    Two renames, ``path`` → ``<store>.old`` and ``fresh`` → ``path``, then ``.old`` is
    removed; if the process stops between them, :func:`recover` puts the old store back.
    Raises ``OSError`` when a rename fails (after the first one is undone where it can be).

    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp()); _ = (d / "s").mkdir(), (d / "new").mkdir(), (d / "new" / "f").touch()
    >>> swap_in(d / "s", d / "new"); sorted(p.name for p in d.rglob("*"))
    ['f', 's']
    """
    old = _sibling(path, "old")
    recover(path)
    moved = False
    if path.exists():
        path.rename(old)
        moved = True
    try:
        fresh.rename(path)
    except OSError:
        if moved and not path.exists():
            old.rename(path)
        raise
    shutil.rmtree(old, ignore_errors=True)


def compact_store(path: Path) -> CompactReport:
    """Rewrite the store at ``path`` into a bulk-loaded copy and put it in its place.

    Raises :class:`StoreError` KG301 when the store cannot be opened (absent, or in use by
    another process), KG180 when the copy does not hold the same quads (the store is left as it
    was) or the directories cannot be swapped.
    """
    fresh = _sibling(path, "compacting")
    recover(path)  # a compaction or fresh build stopped between the two renames
    if not path.exists():
        raise StoreError("KG301", str(path), "no store here; run `kgraph build` first")
    t0 = time.perf_counter()
    try:
        src = ox.Store(str(path))
    except OSError as exc:
        raise StoreError("KG301", str(path), f"cannot open store (is `kgraph serve` running?): {exc}") from exc
    if fresh.exists():  # left by an interrupted compaction: never the live store
        shutil.rmtree(fresh)
    try:
        src.flush()
        before = dir_bytes(path)
        dst = ox.Store(str(fresh))
        dst.bulk_extend(src.quads_for_pattern(None, None, None, None))
        dst.flush()
        quads, copied = len(src), len(dst)
        del dst
    except OSError as exc:
        shutil.rmtree(fresh, ignore_errors=True)
        raise StoreError("KG180", str(path), f"store not compacted (left as it was): {exc}") from exc
    del src
    gc.collect()  # close both stores (their locks) before the directories move
    if copied != quads:
        shutil.rmtree(fresh, ignore_errors=True)
        raise StoreError("KG180", str(path), f"compacted copy holds {copied} quads, the store {quads}: "
                                             "store left as it was")
    try:
        swap_in(path, fresh)
    except OSError as exc:
        raise StoreError("KG180", str(path), f"compacted store not swapped in (store left as it was): {exc}") from exc
    return CompactReport(quads, before, dir_bytes(path), time.perf_counter() - t0)
