"""The session page: one self-contained HTML file that plays the rendered audio and shows the session in sync.

The page embeds the timeline the audio was mixed from and derives everything it
shows from it in the browser (page_template.html), so it cannot disagree with
the audio. What it shows at each moment is the session's one answer (voiceguide.now), embedded as a
table of the moments where it changes: the script looks the time up in it, so the page cannot compute an
answer of its own that differs from the live panel's. No network: HTML, CSS, script and timeline are inline, and the audio
is the file beside the page or embedded as a data: URL. Every word the page shows around the
routine's own is in the session's language: `labels` holds them, from the catalogue's labels.
"""

from __future__ import annotations

import base64
import html
import json
import re
from importlib import resources
from urllib.parse import quote

from voiceguide.now import table, table_json
from voiceguide.phrases import Labels
from voiceguide.timeline import Timeline

AUDIO_TYPES = {"mp3": "audio/mpeg", "ogg": "audio/ogg", "flac": "audio/flac", "wav": "audio/wav"}
PAGE_MODES = ("link", "embed")  # the audio beside the page, or inside it


def script_json(data: object) -> str:
    """JSON safe inside a <script> element: no '<' can close it or open a comment."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


def timeline_json(timeline: Timeline) -> str:
    return script_json(timeline.to_dict())


def page_labels(timeline: Timeline, labels: Labels) -> dict[str, object]:
    """The words the page's script shows, in the session's language: fixed ones, and the timeline's sides,
    breath phases and hold lengths (kept as English keys in the timeline) as they are shown."""
    return {
        "introduction": labels("Introduction"),
        "closing": labels("Closing"),
        "exerciseOf": labels("Exercise {index} of {count}"),
        "repOf": labels("rep {rep} of {reps}"),
        "setOf": labels("set {set} of {sets}"),
        "holdOf": labels("Hold · {hold}"),
        "rest": labels("Rest"),
        "settle": labels("Get ready"),
        "next": labels("Next: {name}"),
        "end": labels("Next: the end of the session"),
        "exercises": labels("Exercises"),
        "cannotShow": labels("This session page cannot be shown: {why}"),
        "noAudio": labels("The audio file could not be loaded: keep it beside this page, with its name unchanged."),
        "sides": {e.side: labels.side(e.side) for e in timeline.events if e.side},
        "workOf": labels("Work · {hold}"),
        "breaths": {e.text: labels.breath(e.text) for e in timeline.events if e.kind == "breath"},
        "moves": {e.text: labels.tempo_beat(e.text) for e in timeline.events if e.kind == "move"},
        "holds": {e.text: labels.hold(e.text) for e in timeline.events if e.kind == "hold"},
        "chapters": labels.chapter_titles(timeline),
    }


def page_html(
    timeline: Timeline, audio_name: str, audio_kind: str, embedded: bytes | None = None, language: str | None = None
) -> str:
    """The page for a rendered session: audio_name is the audio file's name beside the page
    (used unless `embedded` holds the audio itself); audio_kind is mp3, ogg, flac or wav; language is
    the session's (default: the timeline's)."""
    mime = AUDIO_TYPES[audio_kind]
    source = f"data:{mime};base64,{base64.b64encode(embedded).decode()}" if embedded is not None else quote(audio_name)
    template = resources.files("voiceguide.rendering").joinpath("page_template.html").read_text(encoding="utf-8")
    labels = Labels(language or timeline.language)
    parts = {
        "LANG": html.escape(labels.language),
        "TITLE": html.escape(timeline.title),
        "AUDIO": html.escape(source),
        "MIME": mime,
        "KEYS": html.escape(labels("Space: play / pause · ← →: previous / next exercise")),
        "EXERCISES": html.escape(labels("Exercises")),
        "LABELS": script_json(page_labels(timeline, labels)),
        "TIMELINE": timeline_json(timeline),
        "NOW": script_json(table_json(table(timeline.events))),
    }
    # One pass, so a title that happens to contain "{{AUDIO}}" stays text.
    return re.sub(r"\{\{(" + "|".join(parts) + r")\}\}", lambda match: parts[match[1]], template)
