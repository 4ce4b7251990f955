"""The terminal front end of live play: a rich Live panel (plain lines when not a terminal), and the keys."""

from __future__ import annotations

import math

from rich.console import Console, Group
from rich.live import Live
from rich.panel import Panel
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text

from voiceguide.cli.keys import HELP, KeyReader, apply
from voiceguide.clock import clock
from voiceguide.live.session import Session, Status

FRAME_SECONDS = 0.1  # display refresh; keys are acted on as soon as they arrive


def where(status: Status) -> str:
    """'Exercise 2 of 5: Cat-cow stretch, left side, rep 3 of 8'."""
    if status.exercise is None:
        return "Closing" if status.role == "closing" else "Introduction"
    text = f"Exercise {status.index} of {status.exercises}: {status.exercise}"
    if status.side:
        text += f", {status.side} side"
    if status.rep and status.reps and status.reps > 1:
        text += f", rep {status.rep} of {status.reps}"
    return text


def countdown(status: Status) -> str | None:
    """What is being timed right now: a breath phase, a hold, or both."""
    parts = []
    if status.breath and status.breath_left is not None:
        parts.append(f"{status.breath.capitalize()}… {math.ceil(status.breath_left)}")
    if status.hold and status.hold_left is not None:
        parts.append(f"Hold {status.hold}: {math.ceil(status.hold_left)} s left")
    return "   ·   ".join(parts) or None


def progress(status: Status) -> str:
    if status.total is None:
        return f"{clock(status.position)} played"
    return f"{clock(status.position)} / {clock(status.total)} · {clock(status.total - status.position)} left"


def render(status: Status) -> Panel:
    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="bold cyan", no_wrap=True)
    grid.add_column()
    grid.add_row("Now", Text(where(status), style="bold"))
    grid.add_row("Saying", Text(f"“{status.speaking}”" if status.speaking else "", style="italic"))
    grid.add_row("Timing", Text(countdown(status) or "", style="bold green"))
    bar = ProgressBar(total=status.total or 1.0, completed=status.position if status.total else 0.0)
    grid.add_row("Session", Text(progress(status)))
    state = {"paused": " · PAUSED", "finished": " · finished", "stopped": " · stopped"}.get(status.state, "")
    return Panel(
        Group(grid, bar),
        title=f"[bold]{status.title}[/]{state}",
        subtitle=HELP if status.state in ("playing", "paused") else None,
        border_style="yellow" if status.state == "paused" else "blue",
    )


class Lines:
    """Plain lines for a log or a pipe: one per cue spoken, and one per change of state."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.cue: tuple[str, float] | None = None
        self.state: str | None = None

    def show(self, status: Status) -> None:
        if status.state != self.state:
            if self.state is not None or status.state != "playing":
                self.console.print(f"{clock(status.position)} {status.state}", highlight=False)
            self.state = status.state
        if status.speaking and status.speaking_at is not None and (status.speaking, status.speaking_at) != self.cue:
            self.cue = (status.speaking, status.speaking_at)
            self.console.print(f"{clock(status.position)} [{where(status)}] {status.speaking}", highlight=False, markup=False)


def play_in_terminal(session: Session, console: Console | None = None) -> None:
    """Show the running session and act on keys until it finishes or is quit; Ctrl-C stops the sound first."""
    console = console or Console()
    keys = KeyReader()
    try:
        with keys:
            if console.is_terminal:
                with Live(render(session.status()), console=console, auto_refresh=False, transient=False) as live:
                    _loop(session, keys, lambda s: live.update(render(s), refresh=True))
            else:
                _loop(session, keys, Lines(console).show)
    finally:
        session.quit()


def _loop(session: Session, keys: KeyReader, show) -> None:  # noqa: ANN001 - show(Status)
    while True:
        show(session.status())
        if session.wait(0):
            return
        for key in keys.read(FRAME_SECONDS):
            apply(session, key)
