"""Captions: every spoken cue of a timeline at its time, as SRT and WebVTT text.

The cues are what the session's one answer (voiceguide.now) says is being said, so captions, the page and
the live panel show the same words at the same moments."""

from __future__ import annotations

from voiceguide.clock import clock
from voiceguide.now import said, table
from voiceguide.timeline import Timeline


def _line(text: str) -> str:
    """One line of caption text: a blank line would end the cue, and '-->' would read as a timing."""
    return " ".join(text.split()).replace("-->", "->")


def srt(timeline: Timeline) -> str:
    blocks = [
        f"{n}\n{clock(start, ',')} --> {clock(end, ',')}\n{_line(text)}\n"
        for n, (start, end, text) in enumerate(said(table(timeline.events)), start=1)
    ]
    return "\n".join(blocks)


def vtt(timeline: Timeline) -> str:
    def escaped(text: str) -> str:
        return _line(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    cues = said(table(timeline.events))
    blocks = [f"{clock(start, '.')} --> {clock(end, '.')}\n{escaped(text)}\n" for start, end, text in cues]
    return "\n".join([f"WEBVTT - {_line(timeline.title)}\n", *blocks])
