"""Every surface of a session in its language: the page, the plan, the chapters, the captions and the live panel
of a German, a Spanish and a French session hold no English word, the routine's own words aside.

The English words looked for are every word of the English catalogue (phrases and labels), less those the
language shares with English (its catalogue lists them). The same check on the English labels finds them.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
import yaml
from rich.console import Console

from tests.conftest import ROOT
from tests.test_phrases import entries, shared_words
from voiceguide import api
from voiceguide.cli.live_panel import Lines, render_big, render_compact
from voiceguide.cli.plan_table import plan_table
from voiceguide.live.session import Status
from voiceguide.phrases import Labels, Phrases
from voiceguide.phrases.catalogue import SIDE_WORDS
from voiceguide.rendering import captions
from voiceguide.rendering.page import page_html
from voiceguide.rendering.tags import tags_for
from voiceguide.timeline import Timeline

pytestmark = pytest.mark.espeak

SESSIONS = [
    ("de", ROOT / "voiceguide" / "routines" / "nacken-kurz.yaml"),
    ("es", ROOT / "tests" / "routines" / "superficies-es.yaml"),
    ("fr", ROOT / "tests" / "routines" / "surfaces-fr.yaml"),
]
WORD = re.compile(r"[^\W\d_]+")
NOT_WORDS = {"check", "side forms"}  # catalogue entries that are read, never shown


def english_words() -> set[str]:
    return {
        w for (context, _), forms in entries("en").items() if context not in NOT_WORDS
        for form in forms for w in WORD.findall(re.sub(r"\{\w+(?::\w*)?\}", " ", form).lower())
    }  # fmt: skip


def own_words(path: Path) -> set[str]:
    """Every word the routine writes itself (its sides as the language says them included)."""
    found: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, str):
            found.update(WORD.findall(node.lower()))
        elif isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    return found


def english_in(texts: list[str], language: str, path: Path) -> set[str]:
    allowed = shared_words(language) | own_words(path)
    return {w for text in texts for w in WORD.findall(text.lower())} & english_words() - allowed


def page_texts(page: str) -> list[str]:
    """What the page shows: its text outside scripts and styles, and every label its script shows."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.DOTALL)
    shown = [html.unescape(t) for t in re.findall(r">([^<]+)<", body)]
    shown += [html.unescape(v) for v in re.findall(r'aria-label="([^"]*)"', body)]
    labels = json.loads(re.search(r'<script type="application/json" id="labels">(.*?)</script>', page, re.DOTALL)[1])

    def strings(node: object) -> list[str]:
        if isinstance(node, str):
            return [node]
        if isinstance(node, dict):
            return [s for value in node.values() for s in strings(value)]
        if isinstance(node, list):
            return [s for value in node for s in strings(value)]
        return []

    return shown + [re.sub(r"\{\w+\}", " ", s) for s in strings(labels)]  # the script fills the {placeholders}


def statuses(timeline: Timeline) -> list[Status]:
    """What live play shows at a side, a breath, a hold, a counted breath, a rest, paused and at the end."""
    side = next(e for e in timeline.events if e.side)
    base = Status("playing", 12.0, timeline.total, timeline.title, len(timeline.exercises), part="exercise",
                  exercise=side.exercise, index=side.index, side=side.side, rep=3, reps=21, speaking="Uno.", speaking_at=11.0)  # fmt: skip
    return [
        base,
        Status("paused", 1.0, None, timeline.title, 3, part="intro", dropouts=2),
        Status(
            "playing",
            30.0,
            timeline.total,
            timeline.title,
            3,
            part="exercise",
            exercise=side.exercise,
            index=2,
            breath="inhale",
            breath_left=3.0,
            hold="31 seconds",
            hold_left=20.0,
            next_up=side.exercise,
        ),
        Status(
            "playing",
            30.0,
            timeline.total,
            timeline.title,
            3,
            part="exercise",
            exercise=side.exercise,
            index=2,
            breath="exhale",
            breath_left=3.0,
            breath_number=2,
            breaths=6,
        ),
        Status(
            "playing",
            40.0,
            timeline.total,
            timeline.title,
            3,
            part="exercise",
            exercise=side.exercise,
            index=2,
            breath="hold",
            breath_left=2.0,
        ),
        Status("playing", 50.0, timeline.total, timeline.title, 3, part="exercise", exercise=side.exercise, index=3, resting=True),
        Status("finished", 90.0, timeline.total, timeline.title, 3, part="closing"),
    ]


def panel_texts(timeline: Timeline, language: str) -> list[str]:
    labels = Labels(language)
    console = Console(record=True, width=160, color_system=None)
    for status in statuses(timeline):
        console.print(render_big(status, labels))
        console.print(render_compact(status, labels))
        Lines(console, labels).show(status)
    return [console.export_text()]


def surfaces(timeline: Timeline, language: str, description: str | None) -> dict[str, list[str]]:
    console = Console(record=True, width=200, color_system=None)
    console.print(plan_table(timeline, language))
    return {
        "page": page_texts(page_html(timeline, "session.mp3", "mp3", language=language)),
        "plan": [console.export_text()],
        "chapters": [c.title for c in tags_for(timeline, description, language).chapters],
        "timeline": [c["title"] for c in timeline.to_dict()["chapters"]],  # plan --json, render --timeline
        "captions": [captions.srt(timeline), captions.vtt(timeline)],
        "panel": panel_texts(timeline, language),
    }


@pytest.fixture(scope="module", params=SESSIONS, ids=[lang for lang, _ in SESSIONS])
def session(request) -> tuple[str, Path, Timeline, str | None]:
    language, path = request.param
    routine = api.check(str(path))
    assert routine.language == language  # "language: español" and "language: French" are their tags
    return language, path, api.plan(str(path), cues="full"), routine.description


@pytest.mark.parametrize("surface", ["page", "plan", "chapters", "timeline", "captions", "panel"])
def test_no_english_word_on_any_surface(session, surface: str) -> None:
    language, path, timeline, description = session
    texts = surfaces(timeline, language, description)[surface]
    assert sum(len(WORD.findall(t)) for t in texts) > 3  # the check sees words
    assert english_in(texts, language, path) == set()


def test_the_page_says_its_language_and_names_sides_as_the_language_does(session) -> None:
    language, _, timeline, _ = session
    page = page_html(timeline, "session.mp3", "mp3", language=language)
    assert f'<html lang="{language}">' in page
    sides = json.loads(re.search(r'id="labels">(.*?)</script>', page, re.DOTALL)[1])["sides"]
    assert sides
    assert all(label == Labels(language).side(side) for side, label in sides.items())
    right = {"de": "rechte Seite", "es": "lado derecho", "fr": "côté droit"}[language]
    assert right in sides.values()


def test_chapter_titles_name_the_side_in_the_sessions_language(session) -> None:
    language, _, timeline, description = session
    titles = [c.title for c in tags_for(timeline, description, language).chapters]
    right = Phrases(language).side_name("right")
    assert any(t.endswith(f"({right})") for t in titles), titles
    assert not any("(right)" in t or "(left)" in t for t in titles)


def test_the_check_finds_the_english_labels_of_an_english_session(session) -> None:
    """The same session shown with English labels: the check finds them on every surface but the captions."""
    language, path, timeline, description = session
    english = surfaces(timeline, "en", description)
    for surface in ("page", "plan", "chapters", "panel"):
        assert english_in(english[surface], language, path), surface


def test_sides_in_every_inflection_are_the_bodys_sides() -> None:
    phrases = Phrases("de")
    for side, key in [
        ("rechte Seite", "right"), ("Linke Seite", "left"), ("lado derecho", "right"), ("lado izquierdo", "left"),
        ("côté droit", "right"), ("côté gauche", "left"), ("links", "left"), ("derecha", "right"), ("à gauche", "left"),
    ]:  # fmt: skip
        assert phrases.side_key(side) == key, side
    assert phrases.first_side("rechte Seite") == "Rechte Seite."
    assert Phrases("es").switch_side("lado izquierdo", 2) == "Ahora cambia al lado izquierdo."
    assert Phrases("fr").first_side("côté droit") == "Côté droit."
    assert not phrases.unplaced_side("im Uhrzeigersinn")
    assert not phrases.unplaced_side("Kettlebell")
    assert all(phrases.side_key(word) == word for word in SIDE_WORDS)


@pytest.mark.parametrize("side", ["linker Arm", "brazo derecho", "main gauche", "left arm"])
def test_a_side_word_the_parser_cannot_place_is_an_error_at_its_line(side: str) -> None:
    from voiceguide.routine import RoutineError, parse_routine

    text = f"title: T\nlanguage: de\nexercises:\n  - name: A\n    sides: [{side}, rechts]\n    steps:\n      - say: Los.\n"
    with pytest.raises(RoutineError) as raised:
        parse_routine(text, "r.yaml")
    assert str(raised.value).startswith("r.yaml:5: side ")
    assert side in str(raised.value)
