"""The render progress bar: session time done of the total, and the time left to finish."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from voiceguide.clock import clock

if TYPE_CHECKING:
    from rich.console import Console

    from voiceguide.rendering.pipeline import Progress as ProgressFn


@contextmanager
def render_progress(console: Console | None, enabled: bool) -> Iterator[ProgressFn | None]:
    """A progress callback drawing a rich bar on console, or None when disabled (not a terminal, --quiet)."""
    if not enabled:
        yield None
        return
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn  # ~40 ms: only when drawn

    with Progress(
        TextColumn("Rendering"), BarColumn(), TextColumn("{task.fields[done]} of {task.fields[total_text]} session"),
        TextColumn("•"), TimeRemainingColumn(), console=console, transient=True,
    ) as bar:
        task = bar.add_task("render", total=None, done=clock(0), total_text="?")

        def update(done: float, total: float | None) -> None:
            bar.update(task, completed=done, total=total, done=clock(done), total_text=clock(total))

        yield update
