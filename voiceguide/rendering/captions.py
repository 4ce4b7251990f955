"""Captions: every spoken cue of a timeline at its time, as SRT and WebVTT text."""

from __future__ import annotations

from voiceguide.clock import clock
from voiceguide.timeline import Timeline


def _line(text: str) -> str:
    """One line of caption text: a blank line would end the cue, and '-->' would read as a timing."""
    return " ".join(text.split()).replace("-->", "->")


def srt(timeline: Timeline) -> str:
    blocks = [
        f"{n}\n{clock(e.start, ',')} --> {clock(e.end, ',')}\n{_line(e.text)}\n"
        for n, e in enumerate(timeline.speech(), start=1)
    ]
    return "\n".join(blocks)


def vtt(timeline: Timeline) -> str:
    def escaped(text: str) -> str:
        return _line(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    blocks = [f"{clock(e.start, '.')} --> {clock(e.end, '.')}\n{escaped(e.text)}\n" for e in timeline.speech()]
    return "\n".join([f"WEBVTT - {_line(timeline.title)}\n", *blocks])
