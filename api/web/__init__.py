"""The web page: HTML for people who use the graph, served by ``kgraph serve`` at ``/``.

Server-rendered pages (search, decision, document, organisation, legislation, SPARQL editor)
over the same read views as the REST API (:mod:`kgraph.read.views`), so a page and its JSON
twin never disagree. Assets are shipped in the package (``static/``, libraries vendored at
pinned versions with their licences and ``SHA256SUMS``); nothing is fetched at run time.

Mount it with :func:`install`::

    from api.web import install
    install(app)
"""

from __future__ import annotations

from fastapi import FastAPI
from starlette.staticfiles import StaticFiles

from api.web.pages import STATIC_DIR, router


def install(app: FastAPI) -> None:
    """Add the HTML pages and their static assets to ``app``."""
    app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
