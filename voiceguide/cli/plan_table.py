"""The timeline as a table a person reads: `voiceguide plan`, its headers and labels in the session's language.

Every cell is a rich Text, never markup, and the routine's words pass through the terminal
filter: a "[/b]" in a name prints as written, an escape or a bidi override not at all.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from voiceguide.clock import clock
from voiceguide.phrases import Labels
from voiceguide.printable import for_terminal
from voiceguide.timeline import Event, Timeline


def describe(event: Event, labels: Labels) -> str:
    if event.kind == "speech":
        return f'"{event.text}"'
    if event.kind == "hold":
        return labels("hold {hold}", hold=labels.hold(event.text))
    if event.kind == "breath":
        return labels.breath(event.text)
    if event.kind == "move":
        return labels("{move} (tempo)", move=labels.tempo_beat(event.text))
    if event.kind == "cue":
        return f"[{labels.cue(event.text)}]"
    return labels("quiet ({why})", why=labels.silence(event.role)) if event.role else labels("quiet")


def where(event: Event, labels: Labels) -> str:
    if event.exercise is None:
        return ""
    parts = [f"{event.index}. {event.exercise}"]
    if event.side:
        parts.append(labels.phrases.side_name(event.side))
    if event.reps and event.reps > 1:
        parts.append(labels("rep {rep}/{reps}", rep=event.rep, reps=event.reps))
    return ", ".join(parts)


def shown(timeline: Timeline) -> list[Event]:
    """The rows worth reading: breath phases and breath tones inside holds are summed up by the hold's row."""
    inside = {tone for tones in tones_in_holds(timeline).values() for tone in tones}
    return [e for e in timeline.events if (e.kind, e.role) != ("breath", "hold") and e not in inside]


def tones_in_holds(timeline: Timeline) -> dict[Event, list[Event]]:
    """The breath tones that play in each hold that has any."""
    tones: dict[Event, list[Event]] = {}
    hold: Event | None = None
    for event in timeline.events:
        if event.kind == "hold":
            hold = event
        elif event.kind == "cue" and event.role == "breath" and hold and hold.start <= event.start < hold.end:
            tones.setdefault(hold, []).append(event)
    return tones


def plan_table(timeline: Timeline, language: str | None = None) -> Table:
    """The timeline as a table, its headers and labels in the session's language (default: the timeline's)."""
    labels = Labels(language or timeline.language)
    total = labels("Total {clock} ({seconds} s)", clock=clock(timeline.total, tenths=True), seconds=f"{timeline.total:.1f}")
    caption = total + (f"; {timeline.fit}" if timeline.fit else "")
    table = Table(title=shown_text(timeline.title), caption=shown_text(caption))
    table.add_column(labels("start"), justify="right", no_wrap=True)
    table.add_column(labels("length"), justify="right", no_wrap=True)
    table.add_column(labels("exercise"))
    table.add_column(labels("said or heard"))
    tones = tones_in_holds(timeline)
    for event in shown(timeline):
        heard = labels.phrases.label_plural("{n} breath tone", "{n} breath tones", len(tones[event])) if event in tones else ""
        said = describe(event, labels) + (f", {heard}" if heard else "")
        # Text, not markup: a cue's "[bell]" (or brackets in a routine's words) must print as written.
        table.add_row(clock(event.start, tenths=True), f"{event.duration:.1f}", shown_text(where(event, labels)), shown_text(said))
    return table


def shown_text(text: str) -> Text:
    """Someone else's words as a table cell: filtered for the terminal, and not read as markup."""
    return Text(for_terminal(text))
