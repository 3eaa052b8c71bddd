"""Named settings with documented defaults, overridable by ``KGRAPH_<NAME>`` environment variables.

>>> s = Settings()
>>> s.query_timeout_s, s.query_row_cap
(10.0, 10000)
>>> Settings.from_env({"KGRAPH_QUERY_ROW_CAP": "50"}).query_row_cap
50
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from kgraph.errors import SettingsError


@dataclass(frozen=True)
class Settings:
    """Every limit and location kgraph uses. Field docs are the reference (see README)."""

    #: Directory of the on-disk Oxigraph store.
    store_path: Path = Path("data/store")
    #: Directory of cached per-document extractions (empty string disables the cache).
    cache_dir: Path = Path("data/cache")
    #: Directory of source documents built by default.
    corpus_dir: Path = Path("corpus")
    #: Base IRI for instances (decisions, organisations, documents).
    base_iri: str = "https://w3id.org/kgraph/id/"
    #: Default publishing council, for documents whose text does not say which council
    #: published them (empty: none; such documents' decisions are scoped ``unknown-council``).
    council: str = ""
    #: Largest source file accepted, in bytes.
    max_file_bytes: int = 5_000_000
    #: Time limit for one SPARQL query, in seconds.
    query_timeout_s: float = 10.0
    #: Most rows a SELECT returns before it is truncated.
    query_row_cap: int = 10_000
    #: Bearer token for SPARQL Update and data loading; empty disables updates.
    update_token: str = ""
    #: Endpoints that SPARQL SERVICE may call; empty disables federation.
    service_allowlist: tuple[str, ...] = field(default_factory=tuple)
    #: Origins allowed by CORS for GET requests.
    cors_origins: tuple[str, ...] = ("*",)
    #: Host and port for ``kgraph serve``.
    host: str = "127.0.0.1"
    port: int = 8000

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides) -> Settings:
        """Settings from ``KGRAPH_*`` variables, then explicit overrides."""
        env = os.environ if env is None else env
        values: dict = {}
        for f in dataclasses.fields(cls):
            raw = env.get(f"KGRAPH_{f.name.upper()}")
            if raw is None:
                continue
            values[f.name] = _coerce(f.name, f.type, raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)


def _coerce(name: str, kind: str, raw: str):
    try:
        if kind in ("Path",):
            return Path(raw)
        if kind == "int":
            return int(raw)
        if kind == "float":
            return float(raw)
        if kind.startswith("tuple"):
            return tuple(p.strip() for p in raw.split(",") if p.strip())
        return raw
    except ValueError as exc:
        raise SettingsError("KG501", f"KGRAPH_{name.upper()}", f"cannot read {raw!r}: {exc}") from exc
