"""A session in the routine's language: every phrase voiceguide adds comes from that language's catalogue.

Each routine is planned by the real CLI with real espeak clip lengths; the phrases it adds are what is
left of each spoken sentence once the routine's own text is taken out. None may be an English
catalogue phrase, nor hold an English catalogue word.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, run_cli
from tests.test_phrases import NOT_SPOKEN, entries, shared_words
from voiceguide.phrases import Phrases
from voiceguide.phrases.catalogue import SIDE_WORDS

pytestmark = pytest.mark.espeak

ROUTINES = ROOT / "tests" / "routines"
# A routine in each shipped language other than English, with every kind of added phrase in the three
# test routines: sides (body, two other, three), reps, sets, tempo, rounds, long and breath holds.
SESSIONS = [
    ("de", str(ROOT / "voiceguide" / "routines" / "nacken-kurz.yaml")),
    ("de", str(ROUTINES / "alles-de.yaml")),
    ("es", str(ROUTINES / "completa-es.yaml")),
    ("fr", str(ROUTINES / "complete-fr.yaml")),
]
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
WORD = re.compile(r"[^\W\d_]+")


def english_catalogue() -> tuple[list[re.Pattern], set[str]]:
    """The English phrases as patterns ({placeholders}: any words), and the English words they use."""
    patterns, words = [], set()
    for (context, _), forms in entries("en").items():
        if context in NOT_SPOKEN:  # labels are checked where they are shown (test_language_surfaces.py)
            continue
        for form in forms:
            bare = re.sub(r"\{\w+(?::\w*)?\}", "", form)
            words |= set(WORD.findall(bare.lower()))
            if WORD.search(bare):  # "{n}." alone is any language's number
                patterns.append(re.compile(re.sub(r"\\\{\w+(?::\w*)?\\\}", ".+?", re.escape(form)), re.IGNORECASE))
    return patterns, words


def own_texts(path: str, language: str) -> list[str]:
    """Every text the routine writes itself, {side} filled as the session fills it."""
    texts: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, str):
            texts.append(node)
        elif isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(yaml.safe_load(Path(path).read_text()))
    phrases = Phrases(language)
    sides = {phrases.side_name(s) for s in SIDE_WORDS}
    return [t.replace("{side}", side) for t in texts for side in sides] if sides else texts


def added_sentences(speech: list[str], own: list[str]) -> list[str]:
    """The sentences voiceguide adds: what is left of each spoken text once the routine's own text is taken out
    (its sentences, and the first clauses said as short cues); names inside a phrase are taken out of it."""
    own_sentences = {s.strip().rstrip(".!?") for text in own for s in SENTENCE_END.split(text)}
    names = sorted({t for t in own if len(t.split()) <= 4}, key=len, reverse=True)  # exercise names and the like
    added = []
    for text in speech:
        for sentence in SENTENCE_END.split(text):
            bare = sentence.strip().rstrip(".!?")
            if bare in own_sentences or any(o.startswith(bare + ",") or o.startswith(bare + ";") for o in own):
                continue
            for name in names:
                sentence = sentence.replace(name, "")
            added.append(sentence)
    return added


def english_left(language: str, speech: list[str], own: list[str]) -> list[str]:
    patterns, words = english_catalogue()
    shared = shared_words(language)  # "Pause." is German and French too
    wrong = []
    for sentence in added_sentences(speech, own):
        said = set(WORD.findall(sentence.lower()))
        if said <= shared:
            continue
        if any(p.fullmatch(sentence) for p in patterns) or said & (words - shared):
            wrong.append(sentence)
    return wrong


def planned_speech(plan: dict) -> list[str]:
    return [e["text"] for e in plan["events"] if e["kind"] == "speech"]


@pytest.mark.parametrize(("language", "path"), SESSIONS, ids=lambda v: Path(v).stem if "/" in v else v)
def test_plan_of_each_language_has_no_english_phrase_left(language: str, path: str) -> None:
    result = run_cli("plan", path, "--json")
    assert result.returncode == 0, result.stderr
    speech = planned_speech(json.loads(result.stdout))
    own = own_texts(path, language)
    assert len(added_sentences(speech, own)) > 10  # the check sees the added phrases
    assert english_left(language, speech, own) == []


def test_the_check_finds_english_phrases_in_an_english_session() -> None:
    """The same check on the routine's English twin, spoken with English phrases, finds them."""
    path = str(ROOT / "voiceguide" / "routines" / "nacken-kurz.yaml")
    result = run_cli("plan", path, "--json", "--language", "en", "--voice", "de")
    wrong = english_left("de", planned_speech(json.loads(result.stdout)), own_texts(path, "de"))
    assert "Stay here for six breaths." in wrong
    assert "That is the end of the session." in wrong


@pytest.mark.ffmpeg
def test_german_routine_renders_in_german(tmp_path: Path) -> None:
    """`voiceguide render nacken-kurz -o x.mp3`: the audio of the planned length, and what it says (the timeline
    written with it) holds no English phrase."""
    out = tmp_path / "x.mp3"
    result = run_cli("render", "nacken-kurz", "-o", str(out), "--timeline")
    assert result.returncode == 0, result.stderr
    plan = json.loads(out.with_suffix(".json").read_text())
    assert abs(audio_seconds(out) - plan["total"]) < 0.2
    path = str(ROOT / "voiceguide" / "routines" / "nacken-kurz.yaml")
    assert english_left("de", planned_speech(plan), own_texts(path, "de")) == []


def audio_seconds(path: Path) -> float:
    result = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", str(path)],
        capture_output=True, text=True, check=True,
    )
    return float(result.stdout)


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "Two of three."), ("de", "Zwei von drei."), ("es", "Dos de tres."), ("fr", "Deux sur trois.")],
)
def test_a_rep_count_after_a_countdown_is_not_heard_as_its_next_number(language: str, expected: str) -> None:
    """A hold's 3-2-1 and then the next rep: 'Two of three.', not 'Three. Two. One. Two.'"""
    from voiceguide.compiler import compile_timeline
    from voiceguide.options import options_for
    from voiceguide.routine import parse_routine
    from voiceguide.speech.engine import Speech

    routine = parse_routine(
        f"title: T\nlanguage: {language}\nexercises:\n  - name: Bridge\n    repeat: 3\n    steps:\n"
        "      - say: Lift.\n      - hold: 10 seconds\n"
    )
    timeline = compile_timeline(routine, options_for(routine, cues="off"), Speech(language, 170).duration)
    said = [e for e in timeline.events if e.kind == "speech"]
    counts = [e.text for e in said if e.role == "count"]
    assert counts[1] == expected
    before = said[said.index(next(e for e in said if e.text == expected)) - 1]
    assert before.role == "countdown"


@pytest.mark.parametrize(("tag", "voice"), [("es-MX", "roa/es-419"), ("es-AR", "roa/es-419"), ("es-ES", "roa/es"), ("pt-AO", "roa/pt")])
def test_a_region_picks_its_regional_voice_where_espeak_has_one(tag: str, voice: str) -> None:
    """es-MX speaks Latin American Spanish (espeak's es-419), not Castilian; a region without its own stays with its language."""
    from voiceguide.speech.engine import espeak_voices

    assert espeak_voices().resolve(tag) == voice


def compiled_speech(text: str, language: str, rate: int, **choices: object) -> list[tuple[float, str]]:
    """(start, text) of each thing said in a routine compiled with espeak's lengths in its language, without cue sounds."""
    from voiceguide.compiler import compile_timeline
    from voiceguide.options import options_for
    from voiceguide.routine import parse_routine
    from voiceguide.speech.engine import Speech

    routine = parse_routine(text)
    options = options_for(routine, rate=rate, cues="off", **choices)
    timeline = compile_timeline(routine, options, Speech(None, rate, language=language).duration)
    return [(e.start, e.text) for e in timeline.events if e.kind == "speech"]


@pytest.mark.parametrize("language", ["de", "es", "fr"])
def test_a_last_rep_too_long_for_its_beat_is_said_in_the_catalogues_shorter_form(language: str) -> None:
    """On a one-second beat at rate 120, 'Ein letztes Mal.' / 'La última.' / 'La dernière.' does not fit; the
    catalogue's shorter 'Die letzte.' / 'Última.' / 'Dernière.' is said, not the bare number."""
    from voiceguide.compiler.rules import PACE_CLEARANCE
    from voiceguide.speech.engine import Speech

    phrases = Phrases(language)
    full, short = phrases.say("Last one."), phrases.shorter("Last one.")
    assert short is not None
    duration = Speech(None, 120, language=language).duration
    assert duration(full) > 1 - PACE_CLEARANCE >= duration(short)  # the full form cannot fit; the short one can
    routine = (
        f"title: t\nlanguage: {language}\nexercises:\n  - name: Squats\n    repeat: 4\n    tempo: 1-1\n"
        "    steps:\n      - say: Flex.\n"
    )
    said = [text for _, text in compiled_speech(routine, language, 120)]
    assert short in said
    assert phrases.count(4) not in said  # before: the number stood in for the last rep


def test_fast_german_breaths_are_said_in_their_shorter_form_not_left_to_silence() -> None:
    """Breathing at 1:1 at rate 80, every breath spoken (talk full): 'Einatmen.' / 'Ausatmen.' do not fit a second;
    'Ein.' / 'Aus.' do, on every phase."""
    routine = "title: t\nlanguage: de\nexercises:\n  - name: Box\n    breath: 1:1\n    steps:\n      - breathe: 6\n"
    said = compiled_speech(routine, "de", 80, talk="full")
    breaths = [text for _, text in said if text in ("Ein.", "Aus.")]
    assert breaths == ["Ein.", "Aus."] * 6
