"""Captions: every spoken cue of a timeline at its time, as SRT and WebVTT text."""

from __future__ import annotations

from voiceguide.timeline import Timeline


def _clock(seconds: float, separator: str) -> str:
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{separator}{millis:03d}"


def _line(text: str) -> str:
    """One line of caption text: a blank line would end the cue, and '-->' would read as a timing."""
    return " ".join(text.split()).replace("-->", "->")


def srt(timeline: Timeline) -> str:
    blocks = [
        f"{n}\n{_clock(e.start, ',')} --> {_clock(e.end, ',')}\n{_line(e.text)}\n"
        for n, e in enumerate(timeline.speech(), start=1)
    ]
    return "\n".join(blocks)


def vtt(timeline: Timeline) -> str:
    def escaped(text: str) -> str:
        return _line(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    blocks = [f"{_clock(e.start, '.')} --> {_clock(e.end, '.')}\n{escaped(e.text)}\n" for e in timeline.speech()]
    return "\n".join([f"WEBVTT - {_line(timeline.title)}\n", *blocks])
