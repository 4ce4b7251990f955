"""Programmes (issue 31): program.yaml read into sessions by week and day, progressions, FILE:LINE errors, `plan PROGRAM`."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest

from tests.conftest import ROOT, cli
from voiceguide.errors import RoutineError
from voiceguide.program import is_program, load_program, parse_program

FOUR_WEEKS = ROOT / "tests" / "programs" / "four-weeks.yaml"

BACK = """\
program: Back care
weeks: 4
start: 2025-03-05
sessions:
  - day: monday
    routine: lower-back
    settings: {hold: 20, length: 10m}
    progress: {hold: +5 seconds a week, length: +1 minute a week}
  - day: wed
    routine: quick-neck
    weeks: 2-4
    settings: {hold: low, talk: full}
    progress: {hold: +1 step, talk: +1 step}
  - day: 5
    routine: quick-neck
    settings: {reps: 20%}
    progress: {reps: +20% a week}
"""


def choices_of(program, slot: str) -> dict:
    return next(dict(s.choices) for s in program.sessions if s.slot == slot)


def test_a_four_week_programme_has_three_sessions_a_week_on_its_days():
    program = load_program(FOUR_WEEKS)
    assert (program.title, program.weeks, len(program.sessions)) == ("Four weeks of short sessions", 4, 12)
    dated = program.dated(program.start)
    assert [day.isoformat() for day, _ in dated[:4]] == ["2025-03-03", "2025-03-05", "2025-03-07", "2025-03-10"]
    assert [s.slot for _, s in dated[-3:]] == ["w4-mon", "w4-wed", "w4-fri"]
    assert Path(dated[0][1].routine).resolve() == ROOT / "tests" / "routines" / "short.yaml"  # beside the programme
    assert dict(dated[1][1].choices) == {"rest": 1.0, "breath": "1:1", "talk": "minimal", "hold": "low", "reps": "low"}


def test_progressions_change_an_option_each_week_after_the_sessions_first():
    program = parse_program(BACK, "back.yaml")
    assert [choices_of(program, f"w{w}-mon")["hold"] for w in range(1, 5)] == ["20", "25", "30", "35"]
    assert [choices_of(program, f"w{w}-mon")["length"] for w in range(1, 5)] == ["600s", "660s", "720s", "780s"]
    assert [choices_of(program, f"w{w}-wed")["hold"] for w in range(2, 5)] == ["low", "mid", "high"]  # from its own first week
    assert [choices_of(program, f"w{w}-wed")["talk"] for w in range(2, 5)] == ["full", "normal", "minimal"]
    assert [choices_of(program, f"w{w}-d5")["reps"] for w in range(1, 5)] == ["20%", "40%", "60%", "80%"]
    week_one = next(s for s in program.sessions if s.slot == "w1-mon")
    assert week_one.progressed == ()
    assert next(s for s in program.sessions if s.slot == "w2-mon").progressed == ("hold", "length")


def test_a_weekday_falls_on_its_next_date_from_the_weeks_start_and_a_day_number_counts_from_it():
    program = parse_program(BACK, "back.yaml")  # starts on a Wednesday
    dates = {s.slot: day for day, s in program.dated(program.start)}
    assert dates["w1-mon"] == datetime.date(2025, 3, 10)
    assert dates["w1-d5"] == datetime.date(2025, 3, 9)
    assert dates["w2-wed"] == datetime.date(2025, 3, 12)


@pytest.mark.parametrize(
    ("change", "line", "message"),
    [
        ("hold: +5 seconds a week", None, None),
        ("hold: +1 step", 8, "progress hold by steps needs hold to be one of low, mid, high, not '20'"),
        ("hold: +5 parsecs", 8, "progress hold must be a change each week like +5 seconds a week or +10% or +1 step"),
        ("hold: +2000 seconds a week", 8, "hold must be between 1 and 3600, not 4020 (in week 3)"),
        ("holds: +5", 8, "unknown key 'holds' in progress (did you mean 'hold'?)"),
        ("talk: +1 step", 8, "progress talk needs a talk to start from"),
    ],
)
def test_a_progression_is_checked_for_every_week_at_its_line(change: str, line: int | None, message: str | None):
    text = BACK.replace("hold: +5 seconds a week", change)
    if message is None:
        parse_program(text, "back.yaml")
        return
    with pytest.raises(RoutineError) as caught:
        parse_program(text, "back.yaml")
    assert caught.value.line == line
    assert message in caught.value.message


@pytest.mark.parametrize(
    ("before", "after", "line", "message"),
    [
        ("{hold: 20, length: 10m}", "{hold: 20, rate: 10}", 7, "rate must be between 60 and 450 words per minute, not 10"),
        ("{hold: 20, length: 10m}", "{hold: 20, brief: 3}", 7, "brief is true or false"),
        ("{hold: 20, length: 10m}", "{hold: 20, lenght: 10m}", 7, "unknown key 'lenght' in settings (did you mean 'length'?)"),
        ("day: wed", "day: someday", 9, "day must be a weekday"),
        ("weeks: 2-4", "weeks: 3-6", 11, "weeks 3-6: the programme has weeks 1 to 4"),
        ("routine: quick-neck\n    weeks", "routine: no-such\n    weeks", 10, "routine 'no-such': no such file"),
        ("start: 2025-03-05", "start: soon", 3, "start must be a date like 2025-03-03"),
    ],
)
def test_a_mistake_in_a_programme_is_one_line_at_its_file_and_line(before: str, after: str, line: int, message: str, tmp_path: Path):
    path = tmp_path / "back.yaml"
    path.write_text(BACK.replace(before, after, 1))
    result = cli("plan", str(path))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"{path}:{line}: {message}")
    assert result.stderr.count("\n") == 1


def test_a_programme_is_told_from_a_routine_by_its_program_key():
    assert is_program(FOUR_WEEKS)
    assert not is_program(ROOT / "tests" / "routines" / "short.yaml")
    assert not is_program("quick-neck")  # a built-in routine's name


@pytest.mark.espeak
def test_plan_shows_the_programme_as_a_table_and_as_json():
    table = cli("plan", str(FOUR_WEEKS))
    assert table.returncode == 0, table.stderr
    assert table.stdout.count("Short test") == 8
    assert table.stdout.count("Quick neck") == 4
    assert "2025-03-28" in table.stdout
    assert "12 sessions" in table.stdout
    shown = json.loads(cli("plan", str(FOUR_WEEKS), "--json", "--rate", "170").stdout)
    assert len(shown["sessions"]) == 12
    assert all(s["options"]["rate"] == 170 for s in shown["sessions"])
    assert shown["sessions"][1]["options"]["hold"] == "low"
    assert shown["sessions"][1]["total"] > shown["sessions"][0]["total"]


def test_brief_on_the_command_line_beats_the_programmes_talk(tmp_path: Path):
    path = tmp_path / "p.yaml"
    path.write_text("program: P\nweeks: 1\nsettings: {talk: full}\nsessions:\n  - {day: mon, routine: quick-neck}\n")
    from voiceguide import api

    [session] = api.program_sessions(api.load_program(path), brief=True)
    assert session.choices["talk"] == "minimal"


def test_check_reads_a_programme_and_its_routines():
    result = cli("check", str(FOUR_WEEKS))
    assert result.returncode == 0
    assert "12 sessions over 4 weeks" in result.stdout


def test_a_programme_given_where_a_routine_goes_says_to_publish_it() -> None:
    from voiceguide.errors import RoutineError
    from voiceguide.routine import load_routine

    path = ROOT / "tests" / "programs" / "four-weeks.yaml"
    with pytest.raises(RoutineError, match=r"four-weeks.yaml:\d+: this is a programme, not a routine: 'voiceguide publish "):
        load_routine(path)


def test_a_start_too_near_the_calendars_end_for_its_weeks_is_refused_at_its_line() -> None:
    with pytest.raises(RoutineError, match=r"^p.yaml:3: start 9999-12-27 leaves no room for 2 weeks"):
        parse_program("program: P\nweeks: 2\nstart: 9999-12-27\nsessions:\n  - {day: monday, routine: quick-neck}\n", "p.yaml")


def test_a_progressed_length_a_session_cannot_fill_names_the_programmes_line_and_week(tmp_path: Path) -> None:
    programme = tmp_path / "p.yaml"
    programme.write_text("program: P\nweeks: 3\nsettings: {length: 5m}\nprogress: {length: +2 minutes}\n"
                         "sessions:\n  - {day: monday, routine: quick-neck}\n")
    result = cli("plan", str(programme), "--voice", "en-us")
    assert result.returncode == 2
    assert result.stderr.startswith(f"{programme}:6: cannot fill 7:00")  # FILE:LINE, as a routine's errors are
    assert result.stderr.endswith("(Monday, week 2)\n")
    assert result.stderr.count("\n") == 1
