"""Query parameters read as the OpenAPI document types them, not more leniently.

FastAPI takes the last of a repeated single-valued parameter (``?period=a&period=b``) and
pydantic reads ``0.0``, `` 1``, ``+1`` and ``1_000`` as integers, so requests the document
calls invalid were answered. :func:`strict_query`, a dependency of the REST and lineage
routers, refuses them with KG604 (422) before the route runs: a single-valued parameter given
more than once, an integer parameter not written as one (``-?[0-9]+``).

>>> _kind(int | None), _kind(list[str]), _kind(str)
('int', 'list', 'str')
"""

from __future__ import annotations

import re
import typing

from starlette.requests import Request

from api.errors import ApiError

__all__ = ["strict_query"]

_INTEGER = re.compile(r"-?[0-9]+")


def _kind(annotation) -> str:
    """``list`` for a multi-valued parameter, ``int`` for an integer one, else ``str``."""
    args = typing.get_args(annotation) or (annotation,)
    if any(typing.get_origin(a) in (list, tuple, set) or a in (list, tuple, set)
           for a in (annotation, *args)):
        return "list"
    return "int" if int in args and bool not in args else "str"


def _declared(route) -> dict[str, str]:
    """Each query parameter the route declares, by name, with its kind (a few per route)."""
    return {f.alias: _kind(f.field_info.annotation) for f in route.dependant.query_params}


def strict_query(request: Request) -> None:
    """Refuse a repeated single-valued parameter, or an integer parameter that is not written
    as an integer (KG604)."""
    route = request.scope.get("route")
    if route is None or not hasattr(route, "dependant"):
        return
    declared = _declared(route)
    seen: set[str] = set()
    for name, value in request.query_params.multi_items():
        kind = declared.get(name)
        if kind is None or kind == "list":
            continue
        if name in seen:
            raise ApiError(422, "KG604", f"{name} is given more than once", detail={name: value})
        seen.add(name)
        if kind == "int" and not _INTEGER.fullmatch(value):
            raise ApiError(422, "KG604", f"{name} is not a whole number", detail={name: value})
