"""The session page: one self-contained HTML file that plays the rendered audio and shows the session in sync.

The page embeds the timeline the audio was mixed from and derives everything it
shows from it in the browser (page_template.html), so it cannot disagree with
the audio. No network: HTML, CSS, script and timeline are inline, and the audio
is the file beside the page or embedded as a data: URL.
"""

from __future__ import annotations

import base64
import html
import json
import re
from importlib import resources
from urllib.parse import quote

from voiceguide.timeline import Timeline

AUDIO_TYPES = {"mp3": "audio/mpeg", "ogg": "audio/ogg", "flac": "audio/flac", "wav": "audio/wav"}
PAGE_MODES = ("link", "embed")  # the audio beside the page, or inside it


def timeline_json(timeline: Timeline) -> str:
    """The timeline's JSON, safe inside a <script> element: no '<' can close it or open a comment."""
    return json.dumps(timeline.to_dict(), ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


def page_html(timeline: Timeline, audio_name: str, audio_kind: str, embedded: bytes | None = None) -> str:
    """The page for a rendered session: audio_name is the audio file's name beside the page
    (used unless `embedded` holds the audio itself); audio_kind is mp3, ogg, flac or wav."""
    mime = AUDIO_TYPES[audio_kind]
    source = f"data:{mime};base64,{base64.b64encode(embedded).decode()}" if embedded is not None else quote(audio_name)
    template = resources.files("voiceguide.rendering").joinpath("page_template.html").read_text(encoding="utf-8")
    parts = {
        "TITLE": html.escape(timeline.title),
        "AUDIO": html.escape(source),
        "MIME": mime,
        "TIMELINE": timeline_json(timeline),
    }
    # One pass, so a title that happens to contain "{{AUDIO}}" stays text.
    return re.sub(r"\{\{(TITLE|AUDIO|MIME|TIMELINE)\}\}", lambda match: parts[match[1]], template)
