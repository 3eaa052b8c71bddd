"""What a format reader returns: the text kgraph reads, its media type and its page map.

>>> e = Extracted("one\\ntwo\\n", "application/pdf", pages=((1, 0, 3), (2, 4, 7)))
>>> e.page_at(5)
2
"""

from __future__ import annotations

from dataclasses import dataclass

from kgraph.model import page_at


@dataclass(frozen=True)
class Extracted:
    """Text taken from a file; ``pages`` is ``((page, start, end), ...)`` char offsets into ``text``."""

    text: str
    media_type: str
    pages: tuple[tuple[int, int, int], ...] = ()
    page_count: int = 0
    source_url: str | None = None

    def page_at(self, offset: int) -> int | None:
        """The page holding character ``offset`` (``None`` without a page map)."""
        return page_at(self.pages, offset)

