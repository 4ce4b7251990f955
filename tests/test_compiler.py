"""The compiler: what a user hears, when, under each option (real espeak clip lengths)."""

from __future__ import annotations

import json
from itertools import pairwise, product

import pytest

from voiceguide import api
from voiceguide.compiler import compile_timeline
from voiceguide.options import options_for
from voiceguide.routine import builtin_names, load_routine, parse_routine
from voiceguide.speech.engine import Speech
from voiceguide.timeline import Timeline

from .conftest import cli

pytestmark = pytest.mark.espeak  # every test here synthesizes speech


def plan(speech, routine: str = "lower-back", **choices) -> Timeline:
    loaded = load_routine(routine)
    options = options_for(loaded, **choices)
    assert options.rate == speech.rate
    if options.voice is not None:  # a routine in another language: its language's voice
        speech = Speech(options.voice, options.rate)
    return compile_timeline(loaded, options, speech.duration)


def spoken(timeline: Timeline) -> list[str]:
    return [e.text for e in timeline.speech()]


def test_built_in_routine_has_five_exercises_with_sides_reps_and_breath_holds(speech) -> None:
    timeline = plan(speech)
    assert timeline.exercises == ("Supine twist", "Cat-cow stretch", "Child's pose", "Hip lifts", "Shoelace stretch")
    sides = {(e.exercise, e.side) for e in timeline.events if e.side}
    assert sides == {("Supine twist", "left"), ("Supine twist", "right"),
                     ("Shoelace stretch", "left"), ("Shoelace stretch", "right")}
    reps = {e.exercise: e.reps for e in timeline.events if e.reps and e.reps > 1}
    assert reps == {"Cat-cow stretch": 9, "Hip lifts": 9}  # mid of 7-10, rounded half up
    twist_holds = [e for e in timeline.events if e.kind == "hold" and e.exercise == "Supine twist"]
    assert [h.text for h in twist_holds] == ["8 breaths", "8 breaths"]  # mid of 5-10
    inside = [e for e in timeline.events if e.kind == "breath" and twist_holds[0].start <= e.start < twist_holds[0].end]
    assert [e.text for e in inside] == ["inhale", "exhale"] * 8
    assert twist_holds[0].duration == pytest.approx(8 * (4 + 6))
    catcow_breaths = [e.text for e in timeline.events if e.kind == "breath" and e.exercise == "Cat-cow stretch"]
    assert catcow_breaths == ["inhale", "exhale"] * 9
    assert [c.title for c in timeline.chapters()] == [
        "Supine twist (left)", "Supine twist (right)", "Cat-cow stretch", "Child's pose", "Hip lifts",
        "Shoelace stretch (right)", "Shoelace stretch (left)",
    ]
    assert "Now switch to the right side." in spoken(timeline)
    # Breath steps say their phase once: the built-in text already does.
    assert "Breathe out, round your back and lower your head." in spoken(timeline)
    assert "Inhale. Arch your back and lift your chest." in spoken(plan(speech, "quick-neck"))


def test_slower_speech_makes_a_longer_session() -> None:
    slow = api.plan("lower-back", rate=120)
    fast = api.plan("lower-back", rate=220)
    assert slow.total > fast.total + 30
    # Only speech changes: holds are the same.
    assert [e.duration for e in slow.events if e.kind == "hold"] == [e.duration for e in fast.events if e.kind == "hold"]


def test_hold_choices(speech) -> None:
    low, mid, high = (plan(speech, hold=h) for h in ("low", "mid", "high"))
    assert low.total < mid.total < high.total
    child = [e.duration for e in high.events if e.kind == "hold" and e.exercise == "Child's pose"]
    assert child == [240.0]
    fixed = plan(speech, hold="30")
    timed = [e for e in fixed.events if e.kind == "hold" and not e.text.endswith("breaths")]
    assert timed
    assert {e.duration for e in timed} == {30.0}
    breath_holds = [e for e in fixed.events if e.kind == "hold" and e.text.endswith("breaths")]
    assert {e.text for e in breath_holds} == {"3 breaths"}  # 30 s at 10 s a breath
    doubled = plan(speech, hold_scale=2)
    assert sum(e.duration for e in doubled.events if e.kind == "hold") == pytest.approx(
        2 * sum(e.duration for e in mid.events if e.kind == "hold"), rel=0.05
    )


def test_rep_choices(speech) -> None:
    low, high, three = plan(speech, reps="low"), plan(speech, reps="high"), plan(speech, reps="3")
    assert low.total < high.total
    assert {e.reps for e in low.events if e.reps and e.reps > 1} == {7}
    assert {e.reps for e in high.events if e.reps and e.reps > 1} == {10}
    assert {e.reps for e in three.events if e.reps and e.reps > 1} == {3}
    # Hip lifts say it on their own beat; cat-cow's rides in the last rep's inhale.
    assert sum(text.startswith("Last one.") for text in spoken(three)) == 2


def test_breath_rest_and_brief(speech) -> None:
    base = plan(speech)
    assert plan(speech, breath="6:8").total > base.total > plan(speech, breath="3:3").total
    assert plan(speech, rest=15).total == pytest.approx(base.total + 4 * 10)
    brief = plan(speech, brief=True)
    assert brief.total < base.total
    assert not [e for e in brief.speech() if e.role in ("intro", "setup")]
    assert "Come onto all fours. If your knees are sensitive, pad them with a towel or a blanket." in spoken(base)


def test_holds_start_when_announced_and_last_exactly(speech) -> None:
    timeline = plan(speech, "quick-neck", hold="30")
    events = list(timeline.events)
    for i, hold in enumerate(events):
        if hold.kind != "hold":
            continue
        j = i - 1
        while events[j].kind == "cue":  # the hold-start chime, between announcement and hold
            j -= 1
        announcement = events[j]
        assert announcement.kind == "speech"
        assert announcement.text.startswith("Hold for")
        assert hold.start == pytest.approx(events[i - 1].end)
        assert all(events[k].start == pytest.approx(events[k - 1].end) for k in range(j + 1, i))
        if not hold.text.endswith("breaths"):
            assert hold.duration == 30.0
        after = [e for e in events if e.start >= hold.end - 1e-9 and e.kind == "speech"]
        inside = [e for e in events if e.kind == "speech" and hold.start <= e.start < hold.end]
        assert all(e.end <= hold.end + 1e-9 for e in inside)
        assert after
        assert after[0].start >= hold.end - 1e-9


@pytest.mark.parametrize(("routine", "hold", "brief"), list(product(builtin_names(), ("low", "high", "8"), (False, True))))
def test_speech_never_overlaps(speech, routine: str, hold: str, brief: bool) -> None:
    timeline = plan(speech, routine, hold=hold, brief=brief, breath="2:2")
    said = timeline.speech()
    for before, after in pairwise(said):
        assert after.start >= before.end - 1e-9, (before, after)
    starts = [e.start for e in timeline.events]
    assert starts == sorted(starts)
    assert timeline.total == pytest.approx(max(e.end for e in timeline.events))


def test_hold_prompts_are_spoken(speech) -> None:
    texts = spoken(plan(speech))
    for prompt in ("Halfway.", "Three.", "Two.", "One.", "Last breath.", "Four more breaths.", "One minute left."):
        assert prompt in texts


def test_breath_prompts_fall_on_breath_phases(speech) -> None:
    timeline = plan(speech, "lower-back")
    phase_starts = {(e.text, round(e.start, 6)) for e in timeline.events if e.kind == "breath"}
    twist = [e for e in timeline.speech() if e.exercise == "Supine twist" and e.side == "left"]
    ins = [e for e in twist if e.text == "Breathe in."]
    outs = [e for e in twist if e.text == "And out."]
    assert len(ins) == len(outs) == 2  # the first two breaths that do not collide with the note
    assert all(("inhale", round(e.start, 6)) in phase_starts for e in ins)
    assert all(("exhale", round(e.start, 6)) in phase_starts for e in outs)


def test_plan_json_has_documented_keys() -> None:
    result = cli("plan", "quick-neck", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["total"] > 60
    assert {"start", "duration", "kind", "text", "exercise"} <= set(data["events"][0])
    assert {e["kind"] for e in data["events"]} >= {"speech", "breath", "hold", "rest"}
    assert [c["title"] for c in data["chapters"]] == [
        "Neck rotation (right)", "Neck rotation (left)", "Seated cat-cow", "Resting breath",
    ]


def test_plan_table_shows_exercises_and_total() -> None:
    result = cli("plan", env={"COLUMNS": "160"})
    assert result.returncode == 0, result.stderr
    for name in ("Supine twist", "Cat-cow stretch", "Child's pose", "Hip lifts", "Shoelace stretch"):
        assert name in result.stdout
    assert "hold 8 breaths" in result.stdout
    assert "Total " in result.stdout
    assert "Audio saved" not in result.stdout


def test_bad_option_is_one_line_exit_2() -> None:
    for args in (["--rate", "5"], ["--breath", "4-6"], ["--hold", "forever"], ["--voice", "no-such-voice"],
                 ["--breath", "4:4:4:4:4"], ["--talk", "loud"], ["--lead-in", "100"]):
        result = cli("plan", "quick-neck", *args)
        assert result.returncode == 2, args
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert "Traceback" not in result.stderr, result.stderr


def test_a_note_too_long_for_its_hold_is_said_before_it(speech) -> None:
    routine = parse_routine(
        "title: t\nexercises:\n  - name: Reach\n    sides: [right]\n    repeat: 3\n    steps:\n"
        "      - hold: 2 seconds\n        note: Keep your shoulders low and breathe slowly through your nose.\n"
    )
    note = "Keep your shoulders low and breathe slowly through your nose."
    for talk, times in (("full", 3), ("normal", 1), ("minimal", 0)):  # normal: said once, with the first rep
        said = spoken(compile_timeline(routine, options_for(routine, talk=talk), speech.duration))
        assert said.count(note) == times, talk
    said = spoken(compile_timeline(routine, options_for(routine), speech.duration))
    assert said[said.index(note) + 1] == "Hold for two seconds."
    assert "Exercise" not in said[1]
    assert said[1] == "Reach. Three times."  # one side is not "each side"


def test_an_unwritable_speech_cache_is_one_line_exit_2(tmp_path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    result = cli("plan", "quick-neck", env={"XDG_CACHE_HOME": str(blocker / "cache")})
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0, result.stderr
    assert "cannot write the speech cache" in result.stderr, result.stderr


ROUTINE_BODY = """\
exercises:
  - name: Reach
    repeat: 2-6
    steps:
      - say: Reach up.
      - hold: 10-20 seconds
  - name: Belly breath
    steps:
      - inhale: Fill your belly.
      - exhale: Let it go.
      - hold: 2 breaths
"""
SETTINGS = {"rate": 220, "voice": "gmw/en-us", "breath": "3:5", "rest": 12, "hold": "high", "reps": "low", "hold_scale": 2}


def heard(timeline: Timeline) -> list[tuple]:
    return [(e.kind, e.text, round(e.start, 3), round(e.duration, 3)) for e in timeline.events]


def test_routine_settings_override_defaults_and_options_override_settings(tmp_path) -> None:
    settings = "".join(f"  {name}: {value}\n" for name, value in SETTINGS.items())
    with_settings = tmp_path / "with.yaml"
    with_settings.write_text(f"title: Mine\nsettings:\n{settings}{ROUTINE_BODY}")
    bare = tmp_path / "bare.yaml"
    bare.write_text(f"title: Mine\n{ROUTINE_BODY}")

    # Setting over default: the routine plays as its settings say, each one different from the default.
    mine = api.plan(with_settings)
    assert heard(mine) == heard(api.plan(bare, **SETTINGS))
    assert heard(mine) != heard(api.plan(bare))
    assert {e.duration for e in mine.events if e.role == "rest"} == {12}
    assert [e.duration for e in mine.events if e.kind == "hold" and e.text.endswith("seconds")] == [40] * 2  # high 20 s, x2
    assert [e.duration for e in mine.events if e.kind == "breath"][:2] == [3, 5]
    for name in SETTINGS:  # each setting alone changes the session: none is the default in disguise
        assert heard(api.plan(bare, **{name: SETTINGS[name]})) != heard(api.plan(bare)), name

    # Option over setting: a choice on the command line wins over the routine's own.
    options = {"rate": 150, "voice": "gmw/en", "breath": "4:4", "rest": 2, "hold": "low", "reps": "high", "hold_scale": 1}
    assert heard(api.plan(with_settings, **options)) == heard(api.plan(bare, **options))
    assert {e.duration for e in api.plan(with_settings, rest=2).events if e.role == "rest"} == {2}


REPS = (
    "title: t\nexercises:\n  - name: Bridge\n    about: Strengthens your back.\n    setup: Lie on your back.\n"
    "    repeat: 4\n    steps:\n      - say: Squeeze your glutes, and lift your hips.\n      - hold: 3 seconds\n"
    "        note: Keep breathing.\n      - say: Lower down.\n"
)


def test_talk_levels_decide_what_is_repeated(speech) -> None:
    routine = parse_routine(REPS)
    said = {talk: spoken(compile_timeline(routine, options_for(routine, talk=talk), speech.duration))
            for talk in ("full", "normal", "minimal")}
    full_text = "Squeeze your glutes, and lift your hips."
    # full: taught, then said again every third rep (tests/test_say_once.py); notes on every rep
    assert said["full"].count(full_text) == 2
    assert said["full"].count("Keep breathing.") == 4
    # normal: taught once, then counted
    assert said["normal"].count(full_text) == 1
    assert "Squeeze your glutes." not in said["normal"]
    assert said["normal"].count("Keep breathing.") == 1
    # minimal: names, counts, the first clause once; no intro, setup or notes
    assert full_text not in said["minimal"]
    assert said["minimal"].count("Squeeze your glutes.") == 1
    assert not {"Strengthens your back.", "Lie on your back.", "Keep breathing."} & set(said["minimal"])
    assert said["minimal"] == spoken(compile_timeline(routine, options_for(routine, brief=True), speech.duration))
    lengths = [compile_timeline(routine, options_for(routine, talk=t), speech.duration).total for t in said]
    assert lengths == sorted(lengths, reverse=True)


def test_plan_json_marks_teaching_apart_from_pacing() -> None:
    result = cli("plan", "lower-back", "--json", "--talk", "normal")
    assert result.returncode == 0, result.stderr
    events = json.loads(result.stdout)["events"]
    catcow = [e for e in events if e["kind"] == "speech" and e["exercise"] == "Cat-cow stretch"]
    taught = [e["text"] for e in catcow if e["role"] == "teach"]
    assert taught == ["Breathe in deeply and slowly arch your back, raising your head at the very end.",
                      "Breathe out, round your back and lower your head."]
    assert {e["role"] for e in catcow} >= {"announce", "intro", "setup", "teach", "countdown", "pace"}
    brief = cli("plan", "lower-back", "--json", "--brief")
    briefly = json.loads(brief.stdout)["events"]
    assert not [e for e in briefly if e["role"] in ("teach", "intro", "setup", "note")]
    # minimal still says each instruction's first clause once, before the breath-paced reps too
    assert [e["text"] for e in briefly if e["exercise"] == "Cat-cow stretch" and e["role"] == "step"][:2] == [
        "Breathe in deeply and slowly arch your back.", "Breathe out."]


def test_long_holds_end_with_a_release_and_hip_lifts_keep_their_tempo(speech) -> None:
    timeline = plan(speech)
    child = next(e for e in timeline.events if e.kind == "hold" and e.exercise == "Child's pose")
    after = next(e for e in timeline.speech() if e.start >= child.end)
    assert after.role == "release"
    assert after.text.startswith("And release. Slowly walk your hands back")
    hips = [e for e in timeline.events if e.kind == "move" and e.exercise == "Hip lifts"]
    assert [e.text for e in hips[:3]] == ["up", "hold", "down"]
    assert len(hips) == 27
    assert hips[-1].end - hips[0].start == pytest.approx(9 * 10)
    beats = [e.text for e in timeline.speech() if e.exercise == "Hip lifts" and e.role == "pace"]
    assert beats[:3] == ["One.", "Hold.", "And back."]
    assert "Last one." in beats
    said = spoken(timeline)
    assert not [t for t in said if "as long as you comfortably can" in t]  # no note against the count
    short = parse_routine("title: t\nexercises:\n  - name: a\n    steps:\n      - hold: 29 seconds\n")
    assert "And release." not in spoken(compile_timeline(short, options_for(short), speech.duration))


def test_quick_neck_breathes_rather_than_holds_its_breath(speech) -> None:
    said = spoken(plan(speech, "quick-neck"))
    assert not [t for t in said if "breaths" in t and t.startswith("Hold")]
    assert said.count("Breathe in.") >= 1
    assert "Last breath. In." in said


def test_sets_rest_between_them_and_exercises_override_rest_and_breath(speech) -> None:
    routine = parse_routine(
        "title: t\nsettings:\n  rest: 5\nexercises:\n  - name: Waves\n    sets: 3\n    rest_between_sets: 12\n"
        "    repeat: 2\n    breath: 2:1:3\n    rest: 30 seconds\n    steps:\n      - inhale: Raise your arms.\n"
        "      - exhale: Lower them.\n  - name: Rest\n    steps:\n      - rest: 10 seconds\n"
    )
    timeline = compile_timeline(routine, options_for(routine), speech.duration)
    waves = [e for e in timeline.events if e.kind == "breath"]
    assert [e.text for e in waves[:3]] == ["inhale", "hold", "exhale"]
    assert len(waves) == 3 * 2 * 3
    rests = [e for e in timeline.events if e.kind == "rest" and e.role == "rest"]
    timed = [e for e in rests if any(s.text == "Rest." and s.start == e.start for s in timeline.speech())]
    assert [(e.exercise, e.duration) for e in timed] == [("Waves", 12.0), ("Waves", 12.0), ("Rest", 10.0)]
    quiet = [e for e in rests if e not in timed]
    assert [e.duration for e in quiet] == [30.0]  # the exercise's own rest, over the session's 5
    assert set_rests_end_before_next_breath(timeline, timed[:2])
    said = spoken(timeline)
    assert "Next: set two." in said
    assert "Next: the last set." in said
    assert "Next: Rest." not in said


def set_rests_end_before_next_breath(timeline: Timeline, rests: list) -> bool:
    breaths = [e for e in timeline.events if e.kind == "breath"]
    return all(any(b.start == pytest.approx(r.end) for b in breaths) for r in rests)


@pytest.mark.parametrize(
    ("yaml_steps", "heard"),
    [
        ("    steps:\n      - hold: 90 seconds\n", "Hold for a minute and a half."),
        ("    steps:\n      - hold: 150 seconds\n", "Hold for two and a half minutes."),
        ("    sides: [left, right]\n    steps:\n      - hold: 20 seconds\n", "Stretch. One side, then the other."),
        ("    sides: [up, down, front]\n    steps:\n      - hold: 20 seconds\n", "Stretch. Once on each side."),
        ("    sides: [clockwise, anticlockwise]\n    steps:\n      - hold: 20 seconds\n", "Now the other way."),
        ("    repeat: 3\n    sets: 2\n    steps:\n      - say: Lift.\n", "Stretch. Two sets of three."),
    ],
)  # fmt: skip
def test_added_phrases_are_whole_and_said_as_people_say_them(speech, yaml_steps: str, heard: str) -> None:
    """Lengths as people say them, never a stranded 'On each side.', never 'the anticlockwise side'."""
    routine = parse_routine(f"title: t\nexercises:\n  - name: Stretch\n{yaml_steps}")
    said = spoken(compile_timeline(routine, options_for(routine), speech.duration))
    assert heard in said
    assert not [text for text in said if text.startswith("On each side") or "anticlockwise side" in text]
