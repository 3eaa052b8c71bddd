"""A server over the seed store for the web-page tests (HTML over HTTP, and a real browser)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from kgraph.settings import Settings
from tests.api.conftest import Server, free_port, serve

#: Debian's Chromium, installed by `make test` (the browser tests' only browser).
CHROMIUM = os.environ.get("KGRAPH_CHROMIUM", "/usr/bin/chromium")
#: Set KGRAPH_SCREENSHOTS=DIR to keep a PNG of every page the browser tests visit.
SCREENSHOTS = os.environ.get("KGRAPH_SCREENSHOTS")


@pytest.fixture(scope="session")
def web(seed_store) -> Iterator[Server]:
    yield from serve(Settings(store_path=seed_store.path), seed_store, free_port())


@pytest.fixture()
def http(web: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=web.url, timeout=30) as c:
        yield c


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium driven by Playwright (no browser download: Debian's package)."""
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make test` (installs it) or set KGRAPH_CHROMIUM")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        yield b
        b.close()


@pytest.fixture()
def page(browser, request):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    yield pg
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        pg.screenshot(path=str(Path(SCREENSHOTS) / f"{request.node.name}.png"), full_page=True)
    context.close()
    assert errors == [], errors
