"""Answers of read queries kept per store write generation, so a repeated query costs a lookup.

The key holds the store's write generation: any write (an update, loaded data, a build
seen by the server) moves the generation and every older answer becomes unreachable, so a
cached answer is always the answer the store would give now. Queries whose answer can change
without a write (``SERVICE``, ``NOW``, ``RAND``, ``UUID``, ``STRUUID``, ``BNODE``) are never
cached. The cache is bounded in bytes (setting ``query_cache_bytes``; 0 disables it).

>>> c = ResultCache(max_bytes=10)
>>> c.put((1, "q"), b"12345"); c.get((1, "q"))
b'12345'
>>> c.put((1, "r"), b"123456"); c.get((1, "q")) is None   # least recently used goes first
True
>>> cacheable("SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }"), cacheable("SELECT (NOW() AS ?t) {}")
(False, False)
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Hashable

_VOLATILE = re.compile(r"\b(?:SERVICE|NOW|RAND|UUID|STRUUID|BNODE)\b", re.I)


def cacheable(query: str) -> bool:
    """Whether the answer to ``query`` depends only on the store's content (conservative:
    a keyword inside a string or IRI also counts)."""
    return not _VOLATILE.search(query)


class ResultCache:
    """A thread-safe LRU of answer bodies bounded by their total size in bytes."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self._items: OrderedDict[Hashable, object] = OrderedDict()
        self._sizes: dict[Hashable, int] = {}
        self._total = 0
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: Hashable):
        with self._lock:
            value = self._items.get(key)
            if value is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return value

    def put(self, key: Hashable, value, size: int | None = None) -> None:
        size = len(value) if size is None else size
        if size > self.max_bytes:
            return
        with self._lock:
            if key in self._items:
                self._total -= self._sizes.pop(key)
                del self._items[key]
            self._items[key] = value
            self._sizes[key] = size
            self._total += size
            while self._total > self.max_bytes:
                old, _ = self._items.popitem(last=False)
                self._total -= self._sizes.pop(old)
