"""Time is the master: breath patterns, tempos, intervals and rests last exactly what the routine
asks, at any speech rate and talk level; speech rides inside the phases (real espeak clip lengths)."""

from __future__ import annotations

import itertools
import re

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import voiceguide
from voiceguide.audio.samples import SAMPLE_RATE, read_clip
from voiceguide.compiler import compile_timeline
from voiceguide.options import options_for
from voiceguide.routine import parse_routine
from voiceguide.speech.engine import Speech
from voiceguide.timeline import Event, Timeline

from .conftest import ROOT

EPS = 1e-6
VOICES: dict[tuple[int, str], Speech] = {}
# The timing promises hold for either voice's clip lengths. The natural voice's runs are in the slow tier:
# synthesizing every phrase at rates 80 and 300 with Piper is most of a minute of both cores.
ENGINES = ["espeak", pytest.param("piper", marks=pytest.mark.slow)]


def voice(rate: int, engine: str = "espeak") -> Speech:
    if (rate, engine) not in VOICES:
        VOICES[rate, engine] = Speech("joe" if engine == "piper" else None, rate=rate)
    return VOICES[rate, engine]


def compiled(text: str, rate: int = 150, engine: str = "espeak", **choices: object) -> Timeline:
    routine = parse_routine(text)
    return compile_timeline(routine, options_for(routine, rate=rate, **choices), voice(rate, engine).duration)


def of(timeline: Timeline, kind: str, exercise: str | None = None) -> list[Event]:
    return [e for e in timeline.events if e.kind == kind and (exercise is None or e.exercise == exercise)]


def back_to_back(events: list[Event]) -> bool:
    return all(b.start == pytest.approx(a.end, abs=EPS) for a, b in itertools.pairwise(events))


def no_speech_overlaps(timeline: Timeline) -> None:
    said = sorted(timeline.speech(), key=lambda e: e.start)
    for a, b in itertools.pairwise(said):
        assert b.start >= a.end - EPS, (a, b)


BOX = "title: Box\nsettings:\n  breath: 4:4:4:4\nexercises:\n  - name: Box\n    steps:\n      - breathe: 4 cycles\n"


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("rate", [80, 300])
@pytest.mark.parametrize("talk", ["full", "normal", "minimal"])
def test_box_breathing_is_sixteen_four_second_phases_back_to_back(rate: int, talk: str, engine: str) -> None:
    timeline = compiled(BOX, rate, engine, talk=talk)
    phases = of(timeline, "breath")
    assert [e.text for e in phases] == ["inhale", "hold", "exhale", "hold"] * 4
    assert {round(e.duration, 3) for e in phases} == {4.0}
    assert back_to_back(phases)
    assert round(phases[-1].end - phases[0].start, 3) == 64.0
    # Each phase's words are heard inside it, from its first moment.
    pace = [e for e in timeline.speech() if e.role == "pace"]
    assert pace
    assert all(any(p.start == s.start and s.end <= p.end for p in phases) for s in pace)
    assert [s.text for s in pace[:4]] == ["Breathe in.", "Hold.", "And out.", "Hold."]
    no_speech_overlaps(timeline)


def test_box_breathing_builtin_opens_with_a_lead_in_and_counts_down_into_the_first_inhale(speech) -> None:
    timeline = voiceguide.plan("box-breathing", speech=speech)
    lead = next(e for e in timeline.events if e.role == "lead-in")
    first = of(timeline, "breath")[0]
    assert lead.duration == 5.0
    assert first.start == pytest.approx(lead.end)
    counted = [e for e in timeline.speech() if e.role == "countdown" and lead.start <= e.start < lead.end]
    assert [e.text for e in counted] == ["Get ready.", "Three.", "Two.", "One."]
    assert [round(lead.end - e.start, 6) for e in counted[1:]] == [3, 2, 1]
    assert timeline.speech()[-1].start >= of(timeline, "breath")[-1].end - EPS  # the closing waits for the breath
    no_phase = voiceguide.plan("box-breathing", speech=speech, lead_in=0)
    assert not [e for e in no_phase.events if e.role == "lead-in"]


def test_talk_and_lead_in_can_be_routine_settings_and_the_command_line_still_wins(tmp_path, speech) -> None:
    plain = BOX.replace("  breath: 4:4:4:4\n", "  breath: 4:4:4:4\n  talk: minimal\n  lead_in: 2\n")
    routine = tmp_path / "box.yaml"
    routine.write_text(plain)
    from_settings = voiceguide.plan(routine, speech=speech)
    lead = next(e for e in from_settings.events if e.role == "lead-in")
    assert lead.duration == 2.0
    spoken = [(e.start, e.text) for e in from_settings.speech()]
    given = compiled(BOX, talk="minimal", lead_in=2)
    assert spoken == [(e.start, e.text) for e in given.speech()]  # as if typed on the command line
    overridden = voiceguide.plan(routine, speech=speech, talk="full", lead_in=0)
    assert not [e for e in overridden.events if e.role == "lead-in"]
    assert [e.text for e in overridden.speech()] == [e.text for e in compiled(BOX, talk="full", lead_in=0).speech()]


@pytest.mark.parametrize(("setting", "says"), [("talk: loud", "talk must be full, normal or minimal"),
                                           ("lead_in: 100", "lead_in must be a number from 0 to 60")])
def test_a_bad_talk_or_lead_in_setting_is_a_file_line_error(setting, says) -> None:
    with pytest.raises(voiceguide.RoutineError) as caught:
        parse_routine(BOX.replace("  breath: 4:4:4:4\n", f"  breath: 4:4:4:4\n  {setting}\n"))
    assert caught.value.line == 4
    assert says in str(caught.value)


def test_four_seven_eight_holds_exactly_seven_seconds(speech) -> None:
    timeline = voiceguide.plan("4-7-8", speech=speech)
    phases = of(timeline, "breath")
    assert [e.text for e in phases] == ["inhale", "hold", "exhale"] * 4
    assert [e.duration for e in phases] == [4.0, 7.0, 8.0] * 4
    assert back_to_back(phases)


CATCOW = (
    "title: t\nsettings:\n  breath: 4:6\nexercises:\n  - name: Cat-cow\n    repeat: 8\n    steps:\n"
    "      - inhale: Breathe in and arch your back slowly, lifting your head at the very end of the breath.\n"
    "      - exhale: Breathe out, round your back and tuck your chin towards your chest.\n"
)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("rate", [150, *(pytest.param(r, marks=pytest.mark.slow) for r in (80, 300))])  # 80, 300: slow tier
def test_cat_cow_is_eight_ten_second_breaths_after_one_lesson(rate: int, engine: str) -> None:
    timeline = compiled(CATCOW, rate, engine)
    phases = of(timeline, "breath")
    assert len(phases) == 16
    assert back_to_back(phases)
    assert round(phases[-1].end - phases[0].start, 3) == 80.0
    taught = [e for e in timeline.speech() if e.role == "teach"]
    assert len(taught) == 2
    assert all(e.end <= phases[0].start for e in taught)  # the long sentences, once
    inside = [e for e in timeline.speech() if phases[0].start <= e.start < phases[-1].end]
    assert inside
    assert {e.role for e in inside} == {"pace"}
    assert max(e.duration for e in inside) < 4  # the short cues, each inside its phase
    no_speech_overlaps(timeline)


HIIT_README = re.search(r"```yaml\n(title: Four-minute HIIT\n.*?)```", (ROOT / "docs" / "routines.md").read_text(), re.S)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("rate", [80, 300])
def test_the_readme_hiit_is_four_one_minute_rounds(rate: int, engine: str) -> None:
    assert HIIT_README, "the README's HIIT example"
    timeline = compiled(HIIT_README.group(1), rate, engine)
    work = [e for e in timeline.events if e.role == "work"]
    rests = [e for e in timeline.events if e.kind == "rest" and e.role == "rest" and e.rep]
    assert [e.duration for e in work] == [40.0] * 4
    assert [e.duration for e in rests] == [20.0] * 4
    rounds = sorted(work + rests, key=lambda e: e.start)
    assert back_to_back(rounds)
    go = [e for e in timeline.speech() if e.text.endswith("Go.")]
    assert go[0].start == work[0].start
    assert round(rests[-1].end - go[0].start, 3) == 240.0
    for stretch in rounds:  # each counted down into what follows: "One." a second before it ends
        ones = [e for e in timeline.speech() if e.text == "One." and stretch.start <= e.start < stretch.end]
        assert [round(stretch.end - e.start, 6) for e in ones] == [1.0], stretch
    said = [e.text for e in timeline.speech()]
    assert "Next: Wall sit." in said
    assert "And stand up slowly." in said
    no_speech_overlaps(timeline)


# --- any pattern, tempo, rate and talk level ------------------------------------------

RATES = st.sampled_from([60, 80, 150, 300, 450])
SECONDS = st.sampled_from([0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 7.0])


@st.composite
def sessions(draw: st.DrawFn) -> tuple[str, dict]:
    pattern = draw(st.lists(SECONDS, min_size=2, max_size=4))
    tempo = draw(st.lists(SECONDS, min_size=1, max_size=4))
    cycles, reps, rounds = draw(st.integers(1, 4)), draw(st.integers(1, 4)), draw(st.integers(1, 3))
    work, rest = draw(st.sampled_from([1, 3, 10, 25])), draw(st.sampled_from([1, 2, 9, 20]))
    sets = draw(st.integers(1, 2))
    text = (
        f"title: Any\nsettings:\n  breath: {':'.join(f'{s:g}' for s in pattern)}\nexercises:\n"
        f"  - name: Breaths\n    steps:\n      - breathe: {cycles} cycles\n"
        f"  - name: Waves\n    repeat: {reps}\n    sets: {sets}\n    rest_between_sets: 4 seconds\n    steps:\n"
        "      - inhale: Breathe in and raise both of your arms slowly above your head.\n"
        "      - exhale: Breathe out and lower them to your sides.\n"
        f"  - name: Squats\n    repeat: {reps}\n    tempo: {'-'.join(f'{s:g}' for s in tempo)}\n    steps:\n"
        "      - say: Bend your knees, sit back as if into a chair, then stand tall again.\n"
        f"  - name: Intervals\n    rounds: {rounds}\n    steps:\n      - work: {work} seconds\n"
        "        say: Run on the spot.\n"
        f"      - rest: {rest} seconds\n"
        f"  - name: Stretch\n    sides: [left, right]\n    steps:\n      - say: Reach to the {{side}}.\n"
        f"      - hold: {cycles} breaths\n      - exhale: Come back to the middle.\n"
    )
    shape = {"pattern": pattern, "tempo": tempo, "cycles": cycles, "reps": reps, "sets": sets, "rounds": rounds,
             "work": work, "rest": rest}
    return text, shape


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(session=sessions(), rate=RATES, talk=st.sampled_from(["full", "normal", "minimal"]),
       lead_in=st.sampled_from([0, 2, 5]), cues=st.sampled_from(["full", "minimal", "off"]))
def test_no_phase_is_lengthened_and_no_speech_overlaps(session, rate, talk, lead_in, cues) -> None:
    text, shape = session
    timeline = compiled(text, rate, talk=talk, lead_in=lead_in, cues=cues)
    no_speech_overlaps(timeline)
    heard = sorted((e for e in timeline.events if e.kind in ("speech", "cue")), key=lambda e: e.start)
    for a, b in itertools.pairwise(heard):
        assert b.start >= a.end - EPS, (a, b)
    pattern = shape["pattern"]
    breaths = of(timeline, "breath", "Breaths")
    assert [e.duration for e in breaths] == pattern * shape["cycles"]
    assert back_to_back(breaths)
    waves = of(timeline, "breath", "Waves")
    assert [e.duration for e in waves] == pattern * shape["reps"] * shape["sets"]
    for number in range(1, shape["sets"] + 1):  # each set's breaths back to back; the sets' rest between them
        one_set = waves[(number - 1) * len(pattern) * shape["reps"] : number * len(pattern) * shape["reps"]]
        assert back_to_back(one_set)
    moves = of(timeline, "move", "Squats")
    assert [e.duration for e in moves] == shape["tempo"] * shape["reps"]
    assert back_to_back(moves)
    held = [e for e in timeline.events if e.kind == "breath" and e.exercise == "Stretch" and e.role == "hold"]
    assert [e.duration for e in held] == pattern * shape["cycles"] * 2  # a breath hold on each side
    stepped = [e for e in timeline.events if e.kind == "breath" and e.exercise == "Stretch" and e.role == "step"]
    assert [e.text for e in stepped] == [name for name in ("exhale", "hold") if name != "hold" or len(pattern) == 4] * 2
    intervals = [e for e in timeline.events if e.exercise == "Intervals" and e.role in ("work", "rest") and e.rep]
    assert [e.duration for e in intervals] == [shape["work"], shape["rest"]] * shape["rounds"]
    assert back_to_back(intervals)
    # Every pacing cue starts with its phase and ends inside it.
    timed = [e for e in timeline.events if e.kind in ("breath", "move") or e.role in ("work", "rest", "lead-in")]
    for said in (e for e in timeline.speech() if e.role == "pace"):
        assert any(p.start == said.start and said.end <= p.end + EPS for p in timed), said
    starts = [e.start for e in timeline.events]
    assert starts == sorted(starts)


# --- the rendered file keeps the time --------------------------------------------------

FRAME = 0.010  # seconds: one 10 ms frame


def onset(audio: np.ndarray, planned: float) -> float:
    """Where sound begins near `planned`, to the sample: quiet before, then the first clear sample."""
    begin = int((planned - 0.1) * SAMPLE_RATE)
    window = np.abs(audio[begin : begin + int(0.3 * SAMPLE_RATE)])
    assert np.max(window[: int(0.08 * SAMPLE_RATE)]) < 0.001, f"not quiet before {planned:.3f}"
    return (begin + int(np.argmax(window > 0.003))) / SAMPLE_RATE


def test_rendered_wav_starts_each_phase_cue_on_its_planned_frame(tmp_path, speech) -> None:
    routine = tmp_path / "box.yaml"
    routine.write_text(BOX)
    choices = {"cues": "off", "talk": "full", "lead_in": 3}
    path = voiceguide.render(routine, tmp_path / "box.wav", **choices)
    timeline = voiceguide.plan(routine, speech=speech, **choices)
    audio = read_clip(path).astype(np.float32) / 32768
    pace = [e for e in timeline.speech() if e.role == "pace"]
    assert len(pace) == 16  # talk full: every phase of every cycle is spoken
    first = of(timeline, "breath")[0].start
    for k, event in enumerate(pace):
        heard = onset(audio, event.start)
        assert abs(heard - event.start) <= FRAME, (event, heard)
        assert abs(heard - (first + 4 * k)) <= FRAME  # on the 4-second grid: nothing drifts
