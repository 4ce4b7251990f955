"""The terminal front end of live play, and the keys.

Three displays: "big" (readable from a mat two metres away: the countdown in block digits
as tall as the terminal allows, the instruction in force, what is next), "compact" (a small
panel), and "lines" (one unwrapped line per cue, also used when the output is not a
terminal). What they show is the session's one answer (voiceguide.now, through
`Session.status()`), so the panel says what the session page and the captions say. The
panels take the terminal's alternate screen and redraw all of it every frame, so a resize
leaves nothing stale; a panel that would not fit the terminal gives way to a smaller one
(`Fitted`), down to the compact panel without its key hint, so nothing is cut off. When play
ends the screen is given back and one line says how it ended.

Every word the panels show around the routine's own is in the session's language (`Labels`).
Each status passes through the terminal filter once (`filtered`) before any display reads
it: the routine's title, exercise names and cues show no escape, control or bidi override.
"""

from __future__ import annotations

import dataclasses
import math
from typing import TYPE_CHECKING, Any

from rich.align import Align
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.live import Live
from rich.panel import Panel
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text

from voiceguide.cli.keys import KeyReader, apply
from voiceguide.clock import clock
from voiceguide.phrases import Labels
from voiceguide.phrases.labels import capital
from voiceguide.printable import for_terminal

if TYPE_CHECKING:  # types only: the CLI reaches live play through api
    from voiceguide.live.session import Session, Status

GET_READY = ("settle", "lead-in")  # rests before something starts; any other is a rest
FRAME_SECONDS = 0.1  # display refresh; keys are acted on as soon as they arrive
ENGLISH = Labels()

# Block digits, five rows high, for the countdown: each character of _GLYPH_NAMES drawn three
# columns wide, one column apart, as it reads on the screen.
_GLYPH_NAMES = "0123456789:/ "
_GLYPH_ROWS = """
███  █  ███ ███ █ █ ███ ███ ███ ███ ███       █    
█ █ ██    █   █ █ █ █   █     █ █ █ █ █  █    █    
█ █  █  ███ ███ ███ ███ ███   █ ███ ███      █     
█ █  █  █     █   █   █ █ █   █ █ █   █  █  █      
███ ███ ███ ███   █ ███ ███   █ ███ ███     █      
"""
GLYPHS = {
    name: tuple(row.ljust(4 * len(_GLYPH_NAMES))[4 * i : 4 * i + 3] for row in _GLYPH_ROWS.strip("\n").split("\n"))
    for i, name in enumerate(_GLYPH_NAMES)
}  # ljust: an editor that trims trailing spaces leaves the space glyph whole


# The digits' heights: which of the five glyph rows each screen row draws, and how wide each column is drawn.
DIGIT_ROWS = {5: ((0, 1, 2, 3, 4), 1), 7: ((0, 1, 1, 2, 3, 3, 4), 2), 10: ((0, 0, 1, 1, 2, 2, 3, 3, 4, 4), 2)}
DIGIT_ROWS[15] = (tuple(row for row in range(5) for _ in range(3)), 3)


def big(text: str, height: int = 5) -> str:
    """`text` (digits, ':', '/', ' ') in block digits `height` rows high (5, 7, 10 or 15)."""
    rows, wide = DIGIT_ROWS[height]
    glyphs = [GLYPHS[c] for c in text if c in GLYPHS]
    return "\n".join((" " * wide).join("".join(ch * wide for ch in glyph[row]) for glyph in glyphs) for row in rows)


def where(status: Status, labels: Labels = ENGLISH) -> str:
    """'Exercise 2 of 5: Cat-cow stretch, left side, set 1 of 2, rep 3 of 8'."""
    if status.part != "exercise" or status.exercise is None:
        return labels("Closing") if status.part == "closing" else labels("Introduction")
    text = labels("Exercise {index} of {count}: {name}", index=status.index, count=status.exercises, name=status.exercise)
    if status.side:
        text += f", {labels.side(status.side)}"
    if status.set and status.sets:
        text += ", " + labels("set {set} of {sets}", set=status.set, sets=status.sets)
    if status.rep and status.reps and status.reps > 1:
        text += ", " + labels("rep {rep} of {reps}", rep=status.rep, reps=status.reps)
    return text


def seconds(left: float) -> str:
    whole = max(0, math.ceil(left - 1e-6))
    return clock(whole) if whole >= 100 else str(whole)


def breath_number(status: Status, labels: Labels) -> str:
    """'breath 3 of 6', or 'breath 3' while the hold's breaths are not yet known."""
    if status.breaths:
        return labels("breath {number} of {count}", number=status.breath_number, count=status.breaths)
    return labels("breath {number}", number=status.breath_number)


def phase_name(status: Status, labels: Labels) -> str:
    """The phase in progress, as shown: 'inhale', 'up', 'Rest', 'Get ready'; '' when none."""
    if status.phase is None:
        return ""
    if status.phase_kind == "breath":
        return labels.breath(status.phase)
    if status.phase_kind == "move":
        return labels.tempo_beat(status.phase)
    if status.phase_kind == "rest":
        return labels("Get ready") if status.phase in GET_READY else labels("Rest")
    return ""  # a hold's or a work interval's: said with its length


def hold_name(status: Status, labels: Labels, long: bool) -> str:
    """'hold 30 seconds: seconds left' ('Hold 30 seconds: 12 s left' when not long); a work interval: 'Work · 40 seconds'."""
    hold = labels.hold(status.hold or "")
    if status.phase == "work":
        return labels("Work · {hold}", hold=hold) + ("" if long else f": {seconds(status.hold_left or 0)}")
    if long:
        return labels("hold {hold}: seconds left", hold=hold)
    return labels("Hold {hold}: {seconds} s left", hold=hold, seconds=seconds(status.hold_left or 0))


def countdown(status: Status, labels: Labels = ENGLISH) -> tuple[str, str] | None:
    """The number to show big, and what it counts: breaths of a counted hold, else the hold's or the phase's seconds."""
    breath = labels.breath(status.breath) if status.breath else ""
    if status.breath_number is not None:
        count = f"{status.breath_number}/{status.breaths}" if status.breaths else str(status.breath_number)
        phase = f"{breath}  {seconds(status.breath_left or 0)}" if breath else ""
        return count, f"{breath_number(status, labels)} · {phase}".strip(" ·")
    if status.hold and status.hold_left is not None:
        label = f"{breath}  ·  " if breath else ""
        return seconds(status.hold_left), label + hold_name(status, labels, long=True)
    if breath and status.breath_left is not None:
        return seconds(status.breath_left), breath
    if status.phase_left is not None and (name := phase_name(status, labels)):
        return seconds(status.phase_left), name
    return None


def timing_line(status: Status, labels: Labels = ENGLISH) -> str | None:
    """The countdown as one line, for the compact panel."""
    parts = []
    if status.breath and status.breath_left is not None:
        parts.append(f"{capital(labels.breath(status.breath))}… {seconds(status.breath_left)}")
    if status.breath_number is not None:
        parts.append(breath_number(status, labels))
    elif status.hold and status.hold_left is not None:
        parts.append(hold_name(status, labels, long=False))
    elif not status.breath and status.phase_left is not None and (name := phase_name(status, labels)):
        parts.append(f"{capital(name)}… {seconds(status.phase_left)}")
    return "   ·   ".join(parts) or None


def next_line(status: Status, labels: Labels) -> str | None:
    """'Next: 3. Bridge', only in a real rest and the last seconds of an exercise (voiceguide.now)."""
    if status.next_up:
        return labels("Next: {name}", name=status.next_up)
    return labels("Next: the end of the session") if status.next_index == 0 else None


def progress(status: Status, labels: Labels = ENGLISH) -> str:
    played = status.position if status.clock is None else status.clock
    length = status.total if status.length is None else status.length
    if length is None:
        return labels("{played} played", played=clock(played))
    return labels("{played} / {length} · {left} left", played=clock(played), length=clock(length), left=clock(max(0.0, length - played)))


def heard_line(status: Status, labels: Labels) -> str | None:
    """'listening · heard “next”', or a command it is unsure of, shown and not done; None when not listening."""
    parts = [labels("listening")] if status.listening else []
    if status.heard is not None:
        words = status.heard.words
        if status.heard.verdict == "obeyed":
            parts.append(labels("heard “{words}”", words=words))
        else:
            parts.append(labels("“{words}”? not sure, not done: say it again", words=words))
    return " · ".join(parts) or None


def _footer(status: Status, labels: Labels, keys: bool = True) -> list[RenderableType]:
    length = status.total if status.length is None else status.length
    played = status.position if status.clock is None else status.clock
    bar = Table.grid(expand=True)  # a row of its own: a bare ProgressBar ends without a line break
    bar.add_row(ProgressBar(total=length or 1.0, completed=played if length else 0.0))
    rows: list[RenderableType] = [Text(progress(status, labels), overflow="fold"), bar]
    if status.dropouts:
        rows.append(Text(labels("audio dropouts: {n}", n=status.dropouts), style="dim"))
    if status.volume:
        rows.append(Text(labels("volume {db} dB", db=f"{status.volume:+g}"), style="dim"))
    if (heard := heard_line(status, labels)) is not None:
        rows.append(Text(heard, style="dim", overflow="fold"))
    if keys and status.state in ("playing", "paused"):
        keys_help = labels("space pause/resume · n/→ next · p/← previous · r repeat · + 10 s longer · ↑/↓ volume · q quit")  # keys.KEYS
        rows.append(Text(keys_help, style="dim", overflow="fold"))
    return rows


def _frame(status: Status, body: list[RenderableType], labels: Labels, keys: bool = True) -> Panel:
    shown = {"paused": labels("PAUSED"), "finished": labels.state("finished"), "stopped": labels.state("stopped")}
    state = f" · {shown[status.state]}" if status.state in shown else ""
    return Panel(
        Group(*body, *_footer(status, labels, keys)),
        title=Text.assemble((status.title, "bold"), state),  # Text, not markup: a title's "[/]" is words
        border_style="yellow" if status.state == "paused" else "blue",
    )


def _paused_banner(labels: Labels) -> Text:
    return Text(f"  {labels('PAUSED · space to resume')}  ", style="bold black on yellow", justify="center")


def render_big(status: Status, labels: Labels = ENGLISH, height: int = 5) -> Panel:
    """The panel to read from the mat: where, the countdown in digits `height` rows high, the instruction, what is next."""
    body: list[RenderableType] = [Text(where(status, labels), style="bold", overflow="fold")]
    if status.state == "paused":
        body += [Text(""), _paused_banner(labels)]
    body.append(Text(""))
    shown = countdown(status, labels)
    if shown is not None:
        number, label = shown
        digits = Align.center(Text(big(number, height), style="bold green", no_wrap=True, overflow="crop"))
        body += [digits, Text(label, style="green", justify="center", overflow="fold")]
    body.append(Text(""))
    if status.instruction:  # shown through holds, breaths and counts: what to do, not only what is said
        body.append(Text(status.instruction, style="bold cyan", justify="center", overflow="fold"))
    if status.speaking and status.speaking != status.instruction:
        body.append(Text(status.speaking.upper(), style="bold", justify="center", overflow="fold"))
    if (following := next_line(status, labels)) is not None:
        body.append(Text(following, style="bold yellow", justify="center", overflow="fold"))
    body.append(Text(""))
    return _frame(status, body, labels)


def render_compact(status: Status, labels: Labels = ENGLISH, keys: bool = True) -> Panel:
    """The small panel: one row each for where, the instruction, what is said, the timing and what is next."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="bold cyan", no_wrap=True)
    grid.add_column(overflow="fold")
    grid.add_row(labels("Now"), Text(where(status, labels), style="bold"))
    if status.instruction:
        grid.add_row("", Text(status.instruction, style="bold"))
    if keys or (status.speaking and status.speaking != status.instruction):
        grid.add_row(labels("Saying"), Text(f"“{status.speaking}”" if status.speaking else "", style="italic"))
    grid.add_row(labels("Timing"), Text(timing_line(status, labels) or "", style="bold green"))
    if (following := next_line(status, labels)) is not None:
        grid.add_row(labels("Next"), Text(status.next_up or following, style="bold yellow"))
    body: list[RenderableType] = [grid]
    if status.state == "paused":
        body.append(_paused_banner(labels))
    return _frame(status, body, labels, keys)


class Fitted:
    """The panel that fits the terminal: the big one with the tallest digits that fit (7 rows or more where there is
    room), else the compact one, else the compact one without its key hint, so no line is cut off."""

    def __init__(self, status: Status, labels: Labels, display: str = "big") -> None:
        self.status, self.labels, self.display = status, labels, display

    def choices(self) -> list[RenderableType]:
        big_ones = [render_big(self.status, self.labels, height) for height in (15, 10, 7, 5)] if self.display == "big" else []
        return [*big_ones, render_compact(self.status, self.labels), render_compact(self.status, self.labels, keys=False)]

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        height = options.height or console.height
        choices = self.choices()
        for choice in choices:
            if len(console.render_lines(choice, options.update(height=None), pad=False)) <= height:
                yield choice
                return
        yield choices[-1]


DISPLAYS = ("big", "compact")


def filtered(status: Status) -> Status:
    """The status with every text in it (title, exercise, cue, hold, breath, next up) filtered for the terminal."""
    texts: dict[str, Any] = {
        field.name: for_terminal(value)
        for field in dataclasses.fields(status)
        if isinstance(value := getattr(status, field.name), str) and for_terminal(value) != value
    }
    return dataclasses.replace(status, **texts) if texts else status


def frame_key(status: Status) -> tuple:
    """What the panels show of a status: times as the whole seconds they are shown in."""
    return tuple(math.ceil(v - 1e-6) if isinstance(v, float) else v for v in status.__dict__.values())


class Lines:
    """Plain lines for a log or a pipe: one per cue spoken, and one per change of state."""

    def __init__(self, console: Console, labels: Labels = ENGLISH) -> None:
        self.console, self.labels = console, labels
        self.cue: tuple[str, float] | None = None
        self.state: str | None = None
        self.heard: object = None  # the last command heard that was printed

    def show(self, status: Status) -> None:
        if status.state != self.state:
            if self.state is not None or status.state != "playing":
                self.console.print(f"{clock(status.position)} {self.labels.state(status.state)}", highlight=False, soft_wrap=True)
            self.state = status.state
        if status.speaking and status.speaking_at is not None and (status.speaking, status.speaking_at) != self.cue:
            self.cue = (status.speaking, status.speaking_at)
            line = f"{clock(status.position)} [{where(status, self.labels)}] {status.speaking}"
            self.console.print(line, highlight=False, markup=False, soft_wrap=True)  # one line per cue, however long
        if status.heard is not None and status.heard is not self.heard:
            self.heard = status.heard
            self.console.print(f"{clock(status.position)} {heard_line(status, self.labels)}", highlight=False, markup=False, soft_wrap=True)


def play_in_terminal(session: Session, console: Console | None = None, display: str = "big") -> None:
    """Show the running session and act on keys until it finishes or is quit; Ctrl-C stops the sound first."""
    console = console or Console()
    keys = KeyReader()
    labels = Labels(session.options.language)
    try:
        with keys:
            if console.is_terminal and display in DISPLAYS:
                with Live(Fitted(filtered(session.status()), labels, display), console=console, auto_refresh=False, screen=True) as live:
                    shown: list[tuple] = [()]

                    def show(status: Status) -> None:
                        key = (frame_key(status), console.size)
                        if key != shown[0]:  # the screen is redrawn whole: only when something on it changed
                            shown[0] = key
                            live.update(Fitted(status, labels, display), refresh=True)

                    _loop(session, keys, show)
                last = filtered(session.status())
                dropouts = " " + labels("({n} audio dropouts)", n=last.dropouts) if last.dropouts else ""
                state, at = labels.state(last.state), progress(last, labels)
                ended = labels("{title}: {state} at {progress}", title=last.title, state=state, progress=at)
                console.print(ended + dropouts, highlight=False, markup=False, soft_wrap=True)
            else:
                _loop(session, keys, Lines(console, labels).show)
    finally:
        session.quit()


def _loop(session: Session, keys: KeyReader, show) -> None:
    while True:
        show(filtered(session.status()))
        if session.wait(0):
            return
        for key in keys.read(FRAME_SECONDS):
            apply(session, key)
