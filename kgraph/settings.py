"""Named settings with documented defaults, overridable by ``KGRAPH_<NAME>`` environment variables.

Declared with pydantic-settings: ``Settings()`` is the defaults (plus any keyword given),
``Settings.from_env()`` reads ``KGRAPH_*`` variables (upper case only) from the process
environment or a given mapping. Lists are comma-separated; an empty ``KGRAPH_CACHE_DIR``
disables the extraction cache.

>>> s = Settings()
>>> s.query_timeout_s, s.query_row_cap
(10.0, 10000)
>>> Settings.from_env({"KGRAPH_QUERY_ROW_CAP": "50"}).query_row_cap
50
>>> Settings.from_env({"KGRAPH_CACHE_DIR": ""}).cache_dir is None
True
"""

from __future__ import annotations

import contextvars
import hashlib
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

from pydantic import ValidationError, field_validator
from pydantic_settings import BaseSettings, EnvSettingsSource, NoDecode, SettingsConfigDict

from kgraph.errors import SettingsError

_ENV: contextvars.ContextVar[Mapping[str, str] | None] = contextvars.ContextVar(
    "kgraph_settings_env", default=None
)
_PREFIX = "KGRAPH_"


class _KGraphEnv(EnvSettingsSource):
    """``KGRAPH_*`` variables, upper case only, from the mapping given to ``from_env``."""

    def _load_env_vars(self) -> Mapping[str, str | None]:
        env = _ENV.get()
        if env is None:
            return {}
        return {k.lower(): v for k, v in env.items() if k.startswith(_PREFIX) and k == k.upper()}


class Settings(BaseSettings):
    """Every limit and location kgraph uses. Field docs are the reference (see README)."""

    model_config = SettingsConfigDict(env_prefix=_PREFIX, frozen=True, extra="forbid")

    #: Directory of the on-disk Oxigraph store.
    store_path: Path = Path("data/store")
    #: Directory of cached per-document extractions (``None``: no cache; ``""`` in the
    #: environment).
    cache_dir: Path | None = Path("data/cache")
    #: Directory of source documents built by default.
    corpus_dir: Path = Path("corpus")
    #: Base IRI for instances (decisions, organisations, documents).
    base_iri: str = "https://w3id.org/kgraph/id/"
    #: Default publishing council, for documents whose text does not say which council
    #: published them (empty: none; such documents' decisions are scoped ``unknown-council``).
    council: str = ""
    #: Largest source file accepted, in bytes.
    max_file_bytes: int = 5_000_000
    #: Largest PDF or Word file accepted, in bytes (they carry images and fonts besides text).
    max_binary_file_bytes: int = 50_000_000
    #: Longest document text, in characters (spaCy's default max_length); longer files are refused.
    max_document_chars: int = 1_000_000
    #: Time limit for one SPARQL query, in seconds.
    query_timeout_s: float = 10.0
    #: Most rows a SELECT returns before it is truncated.
    query_row_cap: int = 10_000
    #: Bytes of query answers kept per store write generation (a repeated query is a lookup); 0 disables.
    query_cache_bytes: int = 64_000_000
    #: Bearer token for SPARQL Update and data loading; empty disables updates.
    update_token: str = ""
    #: Endpoints that SPARQL SERVICE may call; empty disables federation.
    service_allowlist: Annotated[tuple[str, ...], NoDecode] = ()
    #: Origins allowed by CORS for GET requests.
    cors_origins: Annotated[tuple[str, ...], NoDecode] = ("*",)
    #: Host and port for ``kgraph serve``.
    host: str = "127.0.0.1"
    port: int = 8000
    #: Documents written to the store per transaction by ``kgraph build``.
    write_batch: int = 64
    #: Megabytes of N-Quads per bulk load when ``kgraph build`` fills a store with no document
    #: graphs (loaded beside it, then swapped in); 0: write such stores by transactions too.
    bulk_load_mb: int = 16
    #: Share of the corpus a change may reach and still be linked again alone by ``kgraph
    #: build`` (the documents it reaches, over what they read); above it the whole corpus is
    #: linked, which is cheaper then.
    max_affected_share: float = 0.5
    #: Time limit for one SPARQL Update, in seconds (the update is stopped, nothing applied).
    update_timeout_s: float = 10.0
    #: Largest request body the server reads, in bytes (larger ones get 413 before reading).
    max_body_bytes: int = 10_000_000
    #: Longest SPARQL query or update accepted, in characters.
    max_query_chars: int = 100_000
    #: Deepest bracket nesting of a SPARQL query or update accepted.
    max_query_depth: int = 64
    #: Longest request URL (path and query string) accepted, in characters.
    max_url_chars: int = 16_384

    @field_validator("service_allowlist", "cors_origins", mode="before")
    @classmethod
    def _comma_list(cls, value: Any) -> Any:
        if isinstance(value, str):
            return tuple(p.strip() for p in value.split(",") if p.strip())
        return value

    @field_validator("cache_dir", mode="before")
    @classmethod
    def _empty_disables(cls, value: Any) -> Any:
        # Path("") is Path("."): an empty directory name means "no cache", never the cwd
        if value is not None and str(value).strip() in ("", "."):
            return None
        return value

    @classmethod
    def settings_customise_sources(cls, settings_cls, init_settings, env_settings,
                                   dotenv_settings, file_secret_settings):
        return (init_settings, _KGraphEnv(settings_cls))

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides) -> Settings:
        """Settings from ``KGRAPH_*`` variables, then explicit overrides (``None`` ignored)."""
        token = _ENV.set(os.environ if env is None else env)
        try:
            return cls(**{k: v for k, v in overrides.items() if v is not None})
        except ValidationError as exc:
            err = exc.errors()[0]
            name = str(err["loc"][0]) if err["loc"] else "?"
            raise SettingsError(
                "KG501", f"{_PREFIX}{name.upper()}", f"cannot read {err.get('input')!r}: {err['msg']}"
            ) from None
        finally:
            _ENV.reset(token)

    @property
    def cache_path(self) -> Path | None:
        """Where this council's extractions are cached: the council is part of the key,
        since extraction resolves "the Council" to it. ``None`` when the cache is off.

        >>> a = Settings(cache_dir=Path("c")).cache_path
        >>> a != Settings(cache_dir=Path("c"), council="Medway Council").cache_path
        True
        >>> Settings(cache_dir=None).cache_path is None
        True
        """
        if self.cache_dir is None:
            return None
        key = hashlib.sha256(self.council.encode("utf-8")).hexdigest()[:12]
        return self.cache_dir / f"council-{key}"
