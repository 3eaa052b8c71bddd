"""kgraph.settings: defaults, ``KGRAPH_*`` overrides, coded errors, and the documented-settings contract."""

from __future__ import annotations

import re
from pathlib import Path

import pydantic
import pytest

from kgraph.errors import SettingsError
from kgraph.settings import Settings

README = Path(__file__).resolve().parent.parent / "README.md"


def test_defaults():
    s = Settings()
    assert s.store_path == Path("data/store")
    assert s.corpus_dir == Path("corpus")
    assert s.base_iri == "https://w3id.org/kgraph/id/"
    assert s.council == ""
    assert s.max_file_bytes == 5_000_000
    assert s.query_timeout_s == 10.0
    assert s.query_row_cap == 10_000
    assert s.update_token == ""
    assert s.service_allowlist == ()
    assert s.cors_origins == ("*",)
    assert (s.host, s.port) == ("127.0.0.1", 8000)


def test_from_empty_env_is_the_defaults():
    assert Settings.from_env({}) == Settings()


@pytest.mark.parametrize(
    "name,raw,value",
    [
        ("store_path", "/srv/kg/store", Path("/srv/kg/store")),
        ("corpus_dir", "papers", Path("papers")),
        ("max_file_bytes", "1024", 1024),
        ("port", "9000", 9000),
        ("query_row_cap", "5", 5),
        ("query_timeout_s", "2.5", 2.5),
        ("query_timeout_s", "3", 3.0),
        ("base_iri", "http://example.org/id/", "http://example.org/id/"),
        ("council", "Medway Council", "Medway Council"),
        ("update_token", "s3cret", "s3cret"),
        ("service_allowlist", "https://a.example/sparql, https://b.example/sparql,,",
         ("https://a.example/sparql", "https://b.example/sparql")),
        ("cors_origins", "https://x.example", ("https://x.example",)),
        ("cors_origins", "", ()),
    ],
)
def test_env_override(name, raw, value):
    s = Settings.from_env({f"KGRAPH_{name.upper()}": raw})
    got = getattr(s, name)
    assert got == value
    assert type(got) is type(value)
    # nothing else changes
    others = set(Settings.model_fields) - {name}
    assert all(getattr(s, o) == getattr(Settings(), o) for o in others)


def test_plain_construction_ignores_the_environment(monkeypatch):
    monkeypatch.setenv("KGRAPH_QUERY_ROW_CAP", "77")
    assert Settings().query_row_cap == 10_000


# ------------------------------------------------------------------ the two bugs of hand parsing


def test_empty_cache_dir_disables_the_cache(monkeypatch, tmp_path):
    """README: ``KGRAPH_CACHE_DIR=""`` disables the cache (it used to mean the current directory)."""
    s = Settings.from_env({"KGRAPH_CACHE_DIR": ""})
    assert s.cache_dir is None and s.cache_path is None
    assert Settings.from_env({"KGRAPH_CACHE_DIR": "  "}).cache_dir is None
    monkeypatch.chdir(tmp_path)
    from kgraph.cli.main import _cache

    assert _cache(s) is None
    assert Settings.from_env({}).cache_dir == Path("data/cache")


def test_the_council_is_part_of_the_cache_key():
    """Changing the council must not reuse extractions that resolved "the Council" to another."""
    kent = Settings.from_env({"KGRAPH_CACHE_DIR": "c"})
    medway = Settings.from_env({"KGRAPH_CACHE_DIR": "c", "KGRAPH_COUNCIL": "Medway Council"})
    assert kent.cache_path != medway.cache_path
    assert kent.cache_path.parent == medway.cache_path.parent == Path("c")
    assert Settings.from_env({"KGRAPH_CACHE_DIR": "c"}).cache_path == kent.cache_path


def test_process_environment_is_read_by_default(monkeypatch):
    monkeypatch.setenv("KGRAPH_QUERY_ROW_CAP", "77")
    assert Settings.from_env().query_row_cap == 77


def test_explicit_overrides_win_and_none_is_ignored():
    s = Settings.from_env({"KGRAPH_PORT": "9000", "KGRAPH_HOST": "0.0.0.0"}, port=9100, host=None)
    assert (s.port, s.host) == (9100, "0.0.0.0")


def test_unknown_and_lower_case_variables_are_ignored():
    s = Settings.from_env({"KGRAPH_NOPE": "1", "kgraph_port": "1", "PORT": "1"})
    assert s == Settings()


@pytest.mark.parametrize(
    "var,raw",
    [("KGRAPH_QUERY_ROW_CAP", "lots"), ("KGRAPH_PORT", "80.5"), ("KGRAPH_MAX_FILE_BYTES", "5MB"),
     ("KGRAPH_QUERY_TIMEOUT_S", "ten")],
)
def test_bad_number_is_kg501(var, raw):
    with pytest.raises(SettingsError) as exc:
        Settings.from_env({var: raw})
    assert exc.value.code == "KG501"
    assert exc.value.subject == var
    assert repr(raw) in exc.value.message


def test_settings_are_frozen():
    with pytest.raises(pydantic.ValidationError):
        Settings().port = 1  # type: ignore[misc]


# ------------------------------------------------------------------ documented-settings contract


def _readme_settings_table() -> dict[str, str]:
    """Setting name → default cell, from the table in README's "## Settings" section."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## Settings", 1)[1].split("\n## ", 1)[0]
    rows: dict[str, str] = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 3 or not cells[0].startswith("`"):
            continue
        names = re.findall(r"`([a-z_]+)`", cells[0])
        defaults = [d.strip() for d in cells[1].split(",")] if len(names) > 1 else [cells[1]]
        for n, d in zip(names, defaults, strict=True):
            rows[n] = d
    return rows


def test_every_setting_is_documented_in_the_readme():
    documented = _readme_settings_table()
    fields = list(Settings.model_fields)
    assert [f for f in fields if f not in documented] == []


def test_readme_documents_no_setting_that_does_not_exist():
    fields = set(Settings.model_fields)
    assert sorted(set(_readme_settings_table()) - fields) == []


def test_readme_defaults_match_the_code():
    documented = _readme_settings_table()
    for name in Settings.model_fields:
        cell = documented[name]
        default = getattr(Settings(), name)
        if isinstance(default, tuple):
            default = ",".join(default)
        if isinstance(default, float) and default.is_integer():
            default = int(default)
        expected = str(default)
        if expected == "":
            assert "empty" in cell, (name, cell)
        else:
            assert cell.strip("`") == expected, (name, cell, expected)
