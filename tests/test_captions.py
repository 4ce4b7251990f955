"""Caption text: the cue times and words exactly as SRT and WebVTT players expect them."""

from __future__ import annotations

from voiceguide.rendering.captions import srt, vtt
from voiceguide.timeline import Event, Timeline

TIMELINE = Timeline(
    "Long <session>",
    (
        Event(0.0, 1.2345, "speech", "Lie down."),
        Event(2.0, 30.0, "hold", "30 seconds"),
        Event(3725.5, 0.75, "speech", "Knees --> chest,\n  slowly & gently <3"),
    ),
    3726.25,
)


def test_srt_numbers_each_spoken_cue_with_comma_millis():
    assert srt(TIMELINE) == (
        "1\n00:00:00,000 --> 00:00:01,234\nLie down.\n\n"
        "2\n01:02:05,500 --> 01:02:06,250\nKnees -> chest, slowly & gently <3\n"
    )


def test_vtt_has_its_header_and_escapes_markup():
    assert vtt(TIMELINE) == (
        "WEBVTT - Long <session>\n\n"
        "00:00:00.000 --> 00:00:01.234\nLie down.\n\n"
        "01:02:05.500 --> 01:02:06.250\nKnees -&gt; chest, slowly &amp; gently &lt;3\n"
    )
