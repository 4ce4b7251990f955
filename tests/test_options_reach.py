"""Every session option reaches the session, through the library and the command line alike.

README "Options": each option changes something a user notices. OPTIONS_REACH holds one row per
SessionOption: what to pass, and a check comparing the session at the defaults with the changed one.
An option that is validated and then dropped on its way (options_for, resolve, the CLI's forwarding)
leaves the two sessions alike and fails its check; an option added without a row fails
test_every_session_option_has_a_row.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import tempfile
import wave
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import cli
from voiceguide import api
from voiceguide.audio import SAMPLE_RATE
from voiceguide.cli.options import SESSION_OPTIONS, SessionOption
from voiceguide.cue_places import CUE_NAMES
from voiceguide.timeline import Event, Timeline
from voiceguide.wording import Wording

# Planned: a hold range, a rep range, breath steps (with a lead-in), a breathe step (with tones),
# a quiet rest between exercises, an intro and a note (dropped by --talk minimal). About 2.5 min.
PLANNED = """\
title: Reach
description: Every option has its effect.
exercises:
  - name: Turn
    steps:
      - say: Turn your head.
      - hold: 6-10 seconds
        note: Keep breathing.
  - name: Roll
    repeat: 3-5
    steps:
      - inhale: Lift.
      - exhale: Drop.
  - name: Rest
    steps:
      - breathe: 4 cycles
"""
# Heard (rendered to WAV): a quiet rest between two short exercises, where a background bed is all there is.
HEARD = """\
title: Bed
exercises:
  - name: One
    steps: [say: Sit tall.]
  - name: Two
    steps: [say: Relax.]
"""

# Our own cue sounds: lengths unlike the built-in ones (BUILTIN_LENGTHS), so the timeline shows which were used.
OWN_CUE_LENGTHS = {"bell": 0.5, "chime": 0.4, "switch": 0.3, "tick": 0.25, "inhale": 0.7, "exhale": 0.9}


@dataclass(frozen=True)
class Session:
    timeline: Timeline
    again: Callable[..., Session]  # the same routine through the same door, with other choices
    audio: np.ndarray | None = None  # rendered sessions: mono float samples at SAMPLE_RATE

    def events(self, kind: str, role: str | None = None) -> list[Event]:
        return [e for e in self.timeline.events if e.kind == kind and role in (None, e.role)]

    def said(self, role: str) -> list[str]:
        return [e.text for e in self.events("speech", role)]

    def spoken_lengths(self) -> dict[str, float]:
        return {e.text: e.duration for e in self.events("speech")}


def timeline_from_json(data: dict) -> Timeline:
    events = tuple(Event(**event) for event in data["events"])
    return Timeline(data["title"], events, data["total"], tuple(data["exercises"]), data.get("fit"))


def flag_args(choices: Mapping[str, object]) -> list[str]:
    """The command-line spelling of library choices (for the choices a row shares between its two sessions)."""
    options = {o.name: o for o in SESSION_OPTIONS}
    args: list[str] = []
    for name, value in choices.items():
        on, _, off = options[name].cli_flags[0].partition("/")  # --breath-tones/--no-breath-tones
        args += [on if value else off] if options[name].kind is bool else [on, str(value)]
    return args


def read_wav(path: Path) -> np.ndarray:
    with wave.open(str(path), "rb") as sound:
        assert (sound.getnchannels(), sound.getframerate()) == (1, SAMPLE_RATE)
        return np.frombuffer(sound.readframes(sound.getnframes()), np.int16) / 32768


@contextlib.contextmanager
def config_home(folder: Path, choices: Mapping[str, object]) -> Iterator[None]:
    """XDG_CONFIG_HOME at `folder`, whose voiceguide/config.toml sets the choices (none: no file), for the block."""
    if choices:
        config = folder / "voiceguide" / "config.toml"
        config.parent.mkdir(parents=True)
        config.write_text("".join(f"{name} = {json.dumps(value)}\n" for name, value in choices.items()))  # JSON's are TOML's
    before = os.environ.get("XDG_CONFIG_HOME")
    os.environ["XDG_CONFIG_HOME"] = str(folder)
    try:
        yield
    finally:
        if before is None:
            del os.environ["XDG_CONFIG_HOME"]
        else:
            os.environ["XDG_CONFIG_HOME"] = before


@pytest.fixture(autouse=True)
def no_user_config(tmp_path: Path) -> Iterator[None]:
    """No test reads the config file of whoever runs it."""
    with config_home(tmp_path / "no-config", {}):
        yield


@functools.cache  # a session is asked for by several rows (every default): make it once per door
def session(door: str, heard: bool, choices: tuple[tuple[str, object], ...], args: tuple[str, ...]) -> Session:
    """Plan (or render, when heard) a routine with the library's choices, the command line's args or, through the
    "config" door, the choices written in the user's config file."""

    def again(**more: object) -> Session:
        return session(door, heard, (*choices, *more.items()), (*args, *flag_args(more)))

    with tempfile.TemporaryDirectory() as tmp, config_home(Path(tmp, "config"), dict(choices) if door == "config" else {}):
        routine = Path(tmp, "routine.yaml")
        routine.write_text(HEARD if heard else PLANNED)
        library = dict(choices) if door == "library" else {}
        if not heard and door != "cli":
            return Session(api.plan(routine, **library), again)
        if not heard:
            result = cli("plan", str(routine), "--json", *args)
            assert result.returncode == 0, result.stderr
            return Session(timeline_from_json(json.loads(result.stdout)), again)
        out = Path(tmp, "session.wav")
        if door != "cli":
            api.render(routine, out, timeline=True, **library)
        else:
            result = cli("render", str(routine), "-o", str(out), "--timeline", "-q", *args)
            assert result.returncode == 0, result.stderr
        timeline = timeline_from_json(json.loads(out.with_suffix(".json").read_text()))
        return Session(timeline, again, read_wav(out))


def quiet_db(heard: Session) -> float:
    """RMS level (dBFS) in the quiet between exercises, a second in from either end: no voice, no cue, no ducking."""
    assert heard.audio is not None
    rests = [(round((e.start + 1) * SAMPLE_RATE), round((e.end - 1) * SAMPLE_RATE)) for e in heard.events("rest", "rest")]
    samples = np.concatenate([heard.audio[start:end] for start, end in rests])
    assert samples.size > SAMPLE_RATE
    return float(20 * np.log10(np.sqrt(np.mean(samples**2)) + 1e-12))


def own_cues(tmp: Path) -> str:
    """A folder with a soft tone for every cue name, each as long as OWN_CUE_LENGTHS says (README "Cue sounds")."""
    folder = tmp / "cues"
    folder.mkdir()
    for name in CUE_NAMES:
        t = np.arange(round(OWN_CUE_LENGTHS[name] * SAMPLE_RATE)) / SAMPLE_RATE
        tone = 0.2 * np.sin(2 * np.pi * 660 * t) * np.hanning(t.size)
        with wave.open(str(folder / f"{name}.wav"), "wb") as sound:
            sound.setparams((1, 2, SAMPLE_RATE, 0, "NONE", "not compressed"))
            sound.writeframes((tone * 32767).astype("<i2").tobytes())
    return str(folder)


# --- the checks: (default session, changed session) -> assert what a user would notice ---


def speaks_german(default: Session, changed: Session) -> None:
    english, german = Wording("en"), Wording("de")
    assert default.said("closing") == [english.closing]
    assert english.get_ready in default.said("countdown")
    assert changed.said("closing") == [german.closing]
    assert german.get_ready in changed.said("countdown")
    assert changed.said("announce")[0] == "Übung eins von drei: Turn."  # the exercise's own name stays as written


def other_voice(default: Session, changed: Session) -> None:
    # The same English words (the language is unchanged), read by a German voice: most lengths differ.
    before, after = default.spoken_lengths(), changed.spoken_lengths()
    assert before.keys() == after.keys()
    assert sum(abs(after[text] - before[text]) > 0.02 for text in before) > len(before) / 2


def faster_speech(default: Session, changed: Session) -> None:
    before, after = default.spoken_lengths(), changed.spoken_lengths()
    assert before.keys() == after.keys()
    assert all(after[text] < before[text] for text in before)


def holds_of(seconds: float) -> Callable[[Session, Session], None]:
    def check(default: Session, changed: Session) -> None:
        assert {e.duration for e in default.events("hold")} != {seconds}
        assert [e.duration for e in changed.events("hold")] == pytest.approx([seconds] * len(default.events("hold")))

    return check


def holds_doubled(default: Session, changed: Session) -> None:
    assert [e.duration for e in changed.events("hold")] == pytest.approx([2 * e.duration for e in default.events("hold")])


def reps_of(count: int) -> Callable[[Session, Session], None]:
    def check(default: Session, changed: Session) -> None:
        def reps(s: Session) -> set[int | None]:
            return {e.reps for e in s.timeline.events if e.exercise == "Roll" and e.rep is not None}

        assert reps(default) != {count}
        assert reps(changed) == {count}
        assert len([e for e in changed.events("breath", "step") if e.text == "inhale"]) == count

    return check


def breath_phases(inhale: float, exhale: float) -> Callable[[Session, Session], None]:
    def check(default: Session, changed: Session) -> None:
        def phases(s: Session) -> set[tuple[str, float]]:
            return {(e.text, round(e.duration, 3)) for e in s.events("breath")}

        assert phases(default) != phases(changed) == {("inhale", inhale), ("exhale", exhale)}

    return check


def rests_of(seconds: float) -> Callable[[Session, Session], None]:
    def check(default: Session, changed: Session) -> None:
        assert default.events("rest", "rest")
        assert {e.duration for e in default.events("rest", "rest")} != {seconds}
        assert [e.duration for e in changed.events("rest", "rest")] == pytest.approx([seconds] * len(default.events("rest", "rest")))

    return check


def lasts(seconds: float) -> Callable[[Session, Session], None]:
    def check(default: Session, changed: Session) -> None:
        assert abs(default.timeline.total - seconds) > 0.02 * seconds
        assert abs(changed.timeline.total - seconds) <= 0.02 * seconds
        assert changed.timeline.fit

    return check


def says_less(default: Session, changed: Session) -> None:
    dropped = {"intro", "setup", "note", "prompt"}  # README: minimal has no intros, setup, notes or prompts
    assert len(changed.events("speech")) < len(default.events("speech"))
    assert dropped & {e.role for e in default.events("speech")}
    assert not dropped & {e.role for e in changed.events("speech")}


def as_minimal(default: Session, changed: Session) -> None:
    says_less(default, changed)
    assert changed.timeline.to_dict() == changed.again(talk="minimal").timeline.to_dict()


def no_lead_in(default: Session, changed: Session) -> None:
    get_ready = Wording("en").get_ready
    assert default.events("rest", "lead-in")
    assert get_ready in default.said("countdown")
    assert not changed.events("rest", "lead-in")
    assert get_ready not in changed.said("countdown")


def no_cues(default: Session, changed: Session) -> None:
    assert default.events("cue")
    assert not changed.events("cue")


def own_cue_lengths(default: Session, changed: Session) -> None:
    def lengths(s: Session) -> list[tuple[str, float]]:
        return [(e.text, round(e.duration, 3)) for e in s.events("cue")]

    ours = [(e.text, OWN_CUE_LENGTHS[e.text]) for e in changed.events("cue")]
    assert lengths(changed) == ours
    assert not set(lengths(default)) & set(ours)


def bed_under(default: Session, changed: Session) -> None:
    # Silence between exercises by default; the bed at about its level (-30 LUFS) with it.
    assert quiet_db(default) < -80
    assert quiet_db(changed) == pytest.approx(-30, abs=4)


def bed_quieter_by(db: float) -> Callable[[Session, Session], None]:
    def check(default: Session, changed: Session) -> None:
        assert quiet_db(default) > -40
        assert quiet_db(changed) - quiet_db(default) == pytest.approx(-db, abs=0.5)

    return check


def no_breath_tones(default: Session, changed: Session) -> None:
    def tones(s: Session) -> list[str]:
        return [e.text for e in s.events("cue") if e.text in ("inhale", "exhale")]

    assert tones(default)
    assert not tones(changed)
    assert changed.events("cue")


@dataclass(frozen=True)
class Reach:
    args: tuple[str, ...]  # what a user types; "{value}" stands for the value made from the test's tmp_path
    value: object  # the library keyword's value; a callable makes it from the test's tmp_path
    check: Callable[[Session, Session], None]
    heard: bool = False  # the effect is in the audio: render HEARD to WAV, not just plan PLANNED
    base: dict[str, object] = field(default_factory=dict)  # choices both sessions get (what the option modifies)


OPTIONS_REACH: dict[str, Reach] = {
    "language": Reach(("--language", "de"), "de", speaks_german),
    "voice": Reach(("--voice", "de"), "de", other_voice),
    "rate": Reach(("--rate", "220"), 220, faster_speech),
    "hold": Reach(("--hold", "20"), "20", holds_of(20)),
    "hold_scale": Reach(("--hold-scale", "2"), 2.0, holds_doubled),
    "reps": Reach(("--reps", "2"), "2", reps_of(2)),
    "breath": Reach(("--breath", "3:5"), "3:5", breath_phases(3, 5)),
    "rest": Reach(("--rest", "9"), 9.0, rests_of(9)),
    "length": Reach(("--length", "3m"), "3m", lasts(180)),
    "talk": Reach(("--talk", "minimal"), "minimal", says_less),
    "brief": Reach(("--brief",), True, as_minimal),
    "lead_in": Reach(("--lead-in", "0"), 0.0, no_lead_in),
    "cues": Reach(("--cues", "off"), "off", no_cues),
    "cue_dir": Reach(("--cue-dir", "{value}"), own_cues, own_cue_lengths),
    "background": Reach(("--background", "builtin:rain"), "builtin:rain", bed_under, heard=True),
    "background_level": Reach(("--background-level", "-36"), -36.0, bed_quieter_by(6), heard=True, base={"background": "builtin:rain"}),
    "breath_tones": Reach(("--no-breath-tones",), False, no_breath_tones),
}


def test_every_session_option_has_a_row():
    assert OPTIONS_REACH.keys() == {o.name for o in SESSION_OPTIONS}
    for option in SESSION_OPTIONS:  # each row types one of its own option's flags
        assert OPTIONS_REACH[option.name].args[0] in option.cli_flags[0].split("/"), option.name


@pytest.mark.parametrize("door", ["library", "cli"])
@pytest.mark.parametrize("option", SESSION_OPTIONS, ids=lambda o: o.name)
def test_option_reaches_the_session(option: SessionOption, door: str, tmp_path: Path):
    """The option, given through this door, changes the session as OPTIONS_REACH says a user would notice."""
    reach = OPTIONS_REACH[option.name]
    value = reach.value(tmp_path) if callable(reach.value) else reach.value
    base = tuple(reach.base.items())
    args = tuple(flag_args(reach.base))
    default = session(door, reach.heard, base, args)
    changed = session(door, reach.heard, (*base, (option.name, value)), (*args, *(a.format(value=value) for a in reach.args)))
    reach.check(default, changed)


@pytest.mark.parametrize("option", [o for o in SESSION_OPTIONS if o.config], ids=lambda o: o.name)
def test_personal_default_reaches_the_session(option: SessionOption, tmp_path: Path):
    """The option, set in the user's config file (option_table marks it `config`), changes the session as it would given."""
    test_option_reaches_the_session(option, "config", tmp_path)
