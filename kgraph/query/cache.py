"""Answers of read queries kept per store write generation, so a repeated query costs a lookup.

The key holds the store's write generation: any write (an update, loaded data, a build
seen by the server) moves the generation and every older answer becomes unreachable, so a
cached answer is always the answer the store would give now. Queries whose answer can change
without a write (``SERVICE``, ``NOW``, ``RAND``, ``UUID``, ``STRUUID``, ``BNODE``) are never
cached. The cache is bounded in bytes (setting ``query_cache_bytes``; 0 disables it).
:class:`Flights` makes clients asking the same query at the same time share one evaluation.

>>> c = ResultCache(max_bytes=10)
>>> c.put((1, "q"), b"12345"); c.get((1, "q"))
b'12345'
>>> c.put((1, "r"), b"123456"); c.get((1, "q")) is None   # least recently used goes first
True
>>> cacheable("SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }"), cacheable("SELECT (NOW() AS ?t) {}")
(False, False)

Answers are kept under :func:`query_key`, so texts that differ only in comments and white
space (a query with a timestamp comment, re-indented) share one answer.
"""

from __future__ import annotations

import asyncio
import re
import threading
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable

_VOLATILE = re.compile(r"\b(?:SERVICE|NOW|RAND|UUID|STRUUID|BNODE)\b", re.I)


#: What :func:`query_key` reads: an IRI (``IRIREF``), a run of white space and comments, any
#: other run of characters, or a lone ``<`` (an operator).
_TOKENS = re.compile(r'(<[^<>"{}|^`\\\x00-\x20]*>)|((?:[ \t\r\n]|#[^\r\n]*)+)|([^<# \t\r\n]+|<)')


def query_key(query: str) -> str:
    r"""The text an answer to ``query`` is kept under: without comments, every run of white space
    and comments made one space, or one line break where it holds one, and none at either end;
    for a text holding a quote or a backslash (a string literal, an escape), the text itself.

    Two texts with one key are one query: outside IRIs, and with no string or escape that could
    hide a ``#``, a comment runs from ``#`` to the end of its line and white space only separates
    tokens. A ``<`` that reads as an IRI here and as an operator to the parser keeps its
    characters (and the line breaks after it), so such texts at worst get distinct keys.

    >>> query_key("SELECT ?s  WHERE {\n  ?s ?p <http://e/a#b> # any comment\n}\n#1")
    'SELECT ?s WHERE {\n?s ?p <http://e/a#b>\n}'
    >>> query_key('SELECT * { ?s ?p "a  # b" }') == 'SELECT * { ?s ?p "a  # b" }'
    True
    """
    if "'" in query or '"' in query or "\\" in query:
        return query
    out = []
    for iri, gap, other in _TOKENS.findall(query):
        if gap:
            out.append("\n" if "\n" in gap or "\r" in gap else " ")
        else:
            out.append(iri or other)
    while out and out[-1] in (" ", "\n"):
        out.pop()
    start = 1 if out and out[0] in (" ", "\n") else 0
    return "".join(out[start:])


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


class Flights:
    """Identical requests that arrive while one is being answered wait for that answer instead
    of asking again: a burst of clients sending the same query to a cold cache (just after a
    write) costs one evaluation, not one per client. For coroutines of one event loop.

    >>> import asyncio, threading
    >>> calls, out = [], []
    >>> async def slow():
    ...     calls.append(1); await asyncio.sleep(0.01); return "answer"
    >>> async def burst():
    ...     f = Flights()
    ...     return await asyncio.gather(*(f.run("k", slow) for _ in range(5)))
    >>> t = threading.Thread(target=lambda: out.append(asyncio.run(burst()))); t.start(); t.join()
    >>> out[0], len(calls)
    (['answer', 'answer', 'answer', 'answer', 'answer'], 1)
    """

    def __init__(self):
        self._running: dict[Hashable, asyncio.Future] = {}

    async def run(self, key: Hashable, compute: Callable[[], Awaitable]):
        """``await compute()``, or the result of the same key's computation already running."""
        running = self._running.get(key)
        if running is not None:
            try:
                return await asyncio.shield(running)
            except asyncio.CancelledError:
                if not running.cancelled():
                    raise  # this caller was cancelled
                return await self.run(key, compute)  # the one answering was: ask again
        future = asyncio.get_running_loop().create_future()
        self._running[key] = future
        try:
            result = await compute()
        except asyncio.CancelledError:
            future.cancel()
            raise
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # retrieved: no warning when nobody else was waiting
            raise
        else:
            future.set_result(result)
            return result
        finally:
            del self._running[key]
