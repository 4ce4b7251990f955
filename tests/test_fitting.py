"""`--length`: the session fitted to the time the user has, or a plain answer about what it can be."""

from __future__ import annotations

import json
import re

import pytest

from tests.conftest import cli
from voiceguide import api
from voiceguide.errors import VoiceguideError
from voiceguide.fitting import SCALE_LIMITS, fit_length
from voiceguide.numbers import round_half_up
from voiceguide.options import options_for
from voiceguide.routine import parse_length, parse_routine

pytestmark = pytest.mark.espeak


@pytest.mark.parametrize("minutes", [10, 15, 20, 30])
def test_lower_back_fits_each_length_within_two_percent(minutes):
    timeline = api.plan("lower-back", length=f"{minutes}m")
    assert abs(timeline.total - minutes * 60) <= 0.02 * minutes * 60
    assert timeline.fit
    assert timeline.fit.startswith(f"fitted to {minutes}:00")
    # Nothing is dropped to get there: every exercise still has its chapter.
    assert {c.title.split(" (")[0] for c in timeline.chapters()} == set(timeline.exercises)


def test_ranges_move_before_holds_are_scaled():
    natural = api.plan("lower-back").total
    a_bit_longer = api.plan("lower-back", length=f"{natural * 1.1:.0f}s")
    assert "holds and rests ×1.00" in (a_bit_longer.fit or "")  # reached by picking higher in the ranges alone
    much_longer = api.plan("lower-back", length="30m")
    assert "ranges at 100%" in (much_longer.fit or "")
    assert "x1.00" not in (much_longer.fit or "")


def test_too_long_and_too_short_say_what_can_be_reached():
    with pytest.raises(VoiceguideError) as long:
        api.plan("quick-neck", length="30m")
    most = api.plan("quick-neck", hold="high", reps="high", hold_scale=SCALE_LIMITS[1], rest=10).total
    assert "at most" in str(long.value)
    assert "every range is at its top" in str(long.value)
    assert str(long.value).count("\n") == 0
    assert f"{int(most) // 60}:" in str(long.value)
    result = cli("plan", "lower-back", "--length", "5m")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "at least" in result.stderr
    assert "nothing is left out" in result.stderr


@pytest.mark.parametrize(
    ("routine", "asked", "bound"),
    [("lower-back", "5m", "at least"), ("box-breathing", "1h", "at most"), ("quick-neck", "30m", "at most")],
)
def test_the_length_a_refusal_reports_is_exactly_reachable(routine, asked, bound):
    """The reported bound is the shortest (longest) session to the second: asking for it gives a session
    that long, not one a second off (a 9:28.9 session was reported 'at least 9:28')."""
    with pytest.raises(VoiceguideError) as refused:
        api.plan(routine, length=asked)
    reported = re.search(rf"{bound} (\d+:\d\d)", str(refused.value)).group(1)
    reached = api.plan(routine, length=reported)
    assert round_half_up(reached.total) == parse_length(reported), (reported, reached.total)
    assert reached.fit.startswith(f"fitted to {reported}: {reported},")


def test_a_fit_is_deterministic_and_pure(speech):
    routine = parse_routine(
        "title: t\nexercises:\n  - name: Reach\n    repeat: 4-12\n    steps:\n      - say: Reach up.\n"
        "      - hold: 10-40 seconds\n  - name: Fold\n    steps:\n      - hold: 1-3 minutes\n"
    )
    options = options_for(routine, length="6m")
    first, again = (fit_length(routine, options, speech.duration) for _ in range(2))
    assert first == again
    assert abs(first.total - 360) <= 0.02 * 360
    assert options.hold == "mid"  # the caller's options are left as they were


def test_the_routine_can_ask_for_its_length_and_the_plan_says_what_was_chosen(tmp_path):
    routine = tmp_path / "r.yaml"
    routine.write_text(
        "title: Stretch\nsettings:\n  length: 8:00\nexercises:\n  - name: Reach\n    repeat: 3-10\n"
        "    steps:\n      - say: Reach up.\n      - hold: 10-30 seconds\n"
    )
    plan = json.loads(cli("plan", str(routine), "--json").stdout)
    assert abs(plan["total"] - 480) <= 0.02 * 480
    assert plan["fit"].startswith("fitted to 8:00")
    overridden = json.loads(cli("plan", str(routine), "--json", "--length", "4m").stdout)
    assert abs(overridden["total"] - 240) <= 0.02 * 240
    assert "fitted to 4:00" in cli("plan", str(routine), "--length", "4m").stdout.replace("\n", " ")
    assert cli("check", str(routine)).returncode == 0  # check reads the setting without synthesizing a fit


@pytest.mark.parametrize(("text", "seconds"), [
    ("15m", 900), ("90s", 90), ("1h", 3600), ("20:00", 1200), ("1:20:00", 4800), ("15", 900), ("1.5 hours", 5400),
    ("12 minutes", 720),
])
def test_lengths_are_written_as_people_write_them(text, seconds):
    assert parse_length(text) == seconds


@pytest.mark.parametrize("text", ["soon", "15x", "0m", "30s", "9h", "20:75"])
def test_impossible_lengths_are_one_line(text):
    result = cli("plan", "quick-neck", "--length", text)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "length" in result.stderr


def test_a_position_in_the_ranges_is_a_pick_of_its_own():
    low, quarter, high = (api.plan("quick-neck", hold=h).total for h in ("low", "25%", "high"))
    assert low < quarter < high
    assert cli("plan", "quick-neck", "--hold", "140%").returncode == 2


def test_what_length_chose_is_said_in_the_sessions_language(speech):
    """The plan's note under its total is no English in a German session (issue 27)."""
    from voiceguide import api

    german = api.plan("nacken-kurz", speech=speech, length=300)
    assert german.fit is not None
    assert german.fit.startswith("angepasst an 5:00: ")
    assert "Halten und Pausen ×" in german.fit
