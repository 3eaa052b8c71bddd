"""The link state kept beside the store: what the last build knew of each document.

Two parts in the directory ``<store>.link-state/``, both plain data (JSON, zlib-compressed:
nothing in them can run code when read):

* ``state`` — the header the state was made under, the corpus order and, per
  document, its :class:`~kgraph.link.deps.Features`, the input digest of its stored graph and
  the name of its *resolved facts* blob; prefixed with the SHA-256 of the rest of the file. A
  file whose digest or header does not match is not used (the build links the whole corpus).
* ``blobs/`` — one blob per document (:class:`Blobs`): its facts as resolution
  left them (before linking) and its sentences, named by the SHA-256 of the blob, so that a
  re-link reads the documents it needs as context without loading their extractions or
  resolving them again. A blob that is missing or does not match its name raises ``KG175``.

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "store"
>>> state = LinkState({"version": 1}, ["a"], {}, {"a": "d1"}, blobs=Blobs.beside(path))
>>> state.resolved["a"] = state.blobs.put({"document": {"id": "a"}}, ((0, 4),))
>>> save_state(path, state)
>>> again = load_state(path, {"version": 1})
>>> again.digests, again.blobs.get(again.resolved["a"])
({'a': 'd1'}, ({'document': {'id': 'a'}}, ((0, 4),)))
>>> load_state(path, {"version": 2}) is None
True
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from kgraph.errors import BuildError
from kgraph.link.deps import Features, features_from_json, features_json

__all__ = ["LinkState", "Blobs", "state_path", "save_state", "load_state", "drop_state"]

#: zlib level of the state and its blobs (1: fastest; facts JSON shrinks about sixfold).
ZLIB_LEVEL = 1


def _pack(data) -> bytes:
    return zlib.compress(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode(), ZLIB_LEVEL)


def _unpack(raw: bytes):
    return json.loads(zlib.decompress(raw))


#: The keys of a document's resolved facts that every re-link reads (the blob's head); the
#: others (organisations, legislation, amounts ...) are decoded when first read.
HEAD_KEYS = ("document", "decisions", "decision_links")


class LazyFacts(dict):
    """A document's resolved facts whose bulky parts are decoded the first time one is read
    (``facts["amounts"]``); until then the dict holds only :data:`HEAD_KEYS`.

    >>> f = LazyFacts({"document": {"id": "a"}}, _pack({"amounts": [1]}))
    >>> sorted(f), f["amounts"], sorted(f)
    (['document'], [1], ['amounts', 'document'])
    """

    def __init__(self, head: dict, tail: bytes):
        super().__init__(head)
        self._tail: bytes | None = tail

    def _decode(self) -> None:
        if self._tail is not None:
            tail, self._tail = self._tail, None
            for k, v in _unpack(tail).items():
                self.setdefault(k, v)

    def __missing__(self, key):
        if self._tail is None:
            raise KeyError(key)
        self._decode()
        return self[key]

    def whole(self) -> dict:
        """A plain dict of every part."""
        self._decode()
        return dict(self)


class Blobs:
    """A directory of content-named blobs: each document's resolved facts and sentences.

    A blob is the length of its head (4 bytes), the head (:data:`HEAD_KEYS` and the sentences)
    and the rest of the facts, each zlib-compressed JSON.
    """

    def __init__(self, directory: Path):
        self.dir = directory

    @classmethod
    def beside(cls, store_path: Path | None) -> Blobs | None:
        """The blob directory of the store at ``store_path`` (None for a store in memory)."""
        if store_path is None:
            return None
        with contextlib.suppress(OSError):
            if _home(store_path).is_file():  # a state of the first format (one file, pickled)
                _home(store_path).unlink()
        return cls(blob_dir(store_path))

    def put(self, facts: dict, sentences) -> str:
        """Keep a document's resolved facts and sentences; returns the blob's name."""
        head = _pack({"facts": {k: facts[k] for k in HEAD_KEYS if k in facts},
                      "sentences": [list(s) for s in sentences]})
        raw = len(head).to_bytes(4, "big") + head + _pack({k: v for k, v in facts.items() if k not in HEAD_KEYS})
        name = hashlib.sha256(raw).hexdigest()
        path = self.dir / name
        if not path.exists():
            self.dir.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.dir, suffix=".tmp")
            with os.fdopen(fd, "wb") as fh:
                fh.write(raw)
            os.replace(tmp, path)
        return name

    def get(self, name: str, whole: bool = True) -> tuple[dict, tuple[tuple[int, int], ...]]:
        """The facts and sentences kept under ``name`` (``whole``: decoded now, else a
        :class:`LazyFacts`); ``KG175`` if missing or damaged."""
        try:
            raw = (self.dir / name).read_bytes()
            if hashlib.sha256(raw).hexdigest() != name:
                raise ValueError("its bytes do not match its name")
            n = int.from_bytes(raw[:4], "big")
            head = _unpack(raw[4 : 4 + n])
            facts = LazyFacts(head["facts"], raw[4 + n :])
            if whole:
                facts = facts.whole()
        except (OSError, ValueError, KeyError, zlib.error) as exc:
            raise BuildError("KG175", str(self.dir / name), f"link state blob unusable: {exc}") from exc
        return facts, tuple((s, e) for s, e in head["sentences"])

    def sweep(self, keep: set[str]) -> None:
        """Remove the blobs (and temporary files) no longer named in ``keep``."""
        with contextlib.suppress(OSError):
            for p in self.dir.iterdir():
                if p.name not in keep:
                    p.unlink(missing_ok=True)


@dataclass
class LinkState:
    """What the last build knew of each document: features, stored input digest and resolved facts
    (a blob name), in corpus order."""

    header: dict
    order: list[str] = field(default_factory=list)
    features: dict[str, Features] = field(default_factory=dict)
    digests: dict[str, str] = field(default_factory=dict)
    #: document id → name of its blob in :attr:`blobs`
    resolved: dict[str, str] = field(default_factory=dict)
    blobs: Blobs | None = field(default=None, compare=False, repr=False)
    #: document id → (features as read, their JSON): saved again without encoding them again
    encoded: dict[str, tuple[Features, dict]] = field(default_factory=dict, compare=False, repr=False)

    def features_as_json(self) -> list[dict]:
        """Every document's features as JSON, in corpus order."""
        out = []
        for i in self.order:
            f = self.features.get(i)
            if f is not None:
                known = self.encoded.get(i)
                out.append(known[1] if known is not None and known[0] is f else features_json(f))
        return out


def _home(store_path: Path) -> Path:
    return store_path.with_name(f"{store_path.name}.link-state")


def state_path(store_path: Path) -> Path:
    return _home(store_path) / "state"


def blob_dir(store_path: Path) -> Path:
    return _home(store_path) / "blobs"


def save_state(store_path: Path | None, state: LinkState) -> None:
    """Write the state beside the store, with the digest of its bytes, then drop the blobs it no
    longer names (best effort: a state that cannot be written is removed)."""
    if store_path is None:
        return
    body = _pack({"header": state.header, "order": state.order, "digests": state.digests,
                  "resolved": state.resolved,
                  "features": state.features_as_json()})
    path = state_path(store_path)
    tmp = path.with_name(path.name + ".tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(hashlib.sha256(body).digest() + body)
        tmp.replace(path)
    except OSError:
        drop_state(store_path)
        return
    Blobs(blob_dir(store_path)).sweep(set(state.resolved.values()))


def load_state(store_path: Path | None, header: dict) -> LinkState | None:
    """The saved state if it is intact and was made under ``header``; else None."""
    if store_path is None:
        return None
    try:
        raw = state_path(store_path).read_bytes()
    except OSError:
        return None
    digest, body = raw[:32], raw[32:]
    if hashlib.sha256(body).digest() != digest:
        return None
    try:
        data = _unpack(body)
        if data["header"] != header:
            return None
        encoded = {f["id"]: (features_from_json(f), f) for f in data["features"]}
        return LinkState(data["header"], data["order"], {i: f for i, (f, _) in encoded.items()}, data["digests"],
                         data["resolved"], blobs=Blobs(blob_dir(store_path)), encoded=encoded)
    except (ValueError, KeyError, TypeError, zlib.error):
        return None


def drop_state(store_path: Path | None) -> None:
    if store_path is None:
        return
    home = _home(store_path)
    if home.is_dir():
        shutil.rmtree(home, ignore_errors=True)
    else:
        home.unlink(missing_ok=True)
