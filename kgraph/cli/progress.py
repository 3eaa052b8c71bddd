"""The build's progress bar: documents done, documents per second and time left (rich).

A document counts once when its extraction is known (cached or run) and once when its graph
is known (unchanged, or built and validated), so the bar runs to twice the number of files.

>>> from rich.console import Console
>>> import io
>>> with build_progress(Console(file=io.StringIO()), 2) as step:
...     step("extract", "a.txt"); step("unchanged", "a.txt")
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text


class RateColumn(ProgressColumn):
    """Documents per second (half the step rate: each document takes two steps)."""

    def render(self, task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed / 2:.1f} docs/s" if speed else "– docs/s")


@contextlib.contextmanager
def build_progress(console: Console, documents: int) -> Iterator[Callable[[str, str], None]]:
    """A ``progress(stage, source)`` callback drawing a bar on ``console`` (transient)."""
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), RateColumn(),
                  TimeElapsedColumn(), TextColumn("eta"), TimeRemainingColumn(), console=console,
                  transient=True) as bar:
        task = bar.add_task("building", total=documents * 2)

        def step(stage: str, source: str) -> None:
            bar.update(task, advance=1, description=f"{stage:9s} {source[:40]}")

        yield step
