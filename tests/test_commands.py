"""The small commands (routines, voices, schema), the CLI's conventions and the set-up the README promises."""

from __future__ import annotations

import functools
import json
import os
import re
import subprocess
import sys
import time
from importlib.metadata import version
from pathlib import Path

import jsonschema
import numpy as np
import pytest
import yaml

from voiceguide import api
from voiceguide.errors import VoiceguideError
from voiceguide.routine import SETTING_FORMATS, RoutineLoader, builtin_names, parse_routine
from voiceguide.schema import ROUTINE_SCHEMA

from .audio_sink import RATE, loud_frames, onsets
from .conftest import HANG_GUARD, ROOT, cli, documentation, run_cli


def test_routines_lists_builtins() -> None:
    result = cli("routines")
    assert result.returncode == 0
    assert re.search(r"^lower-back: Lower back spasm relief \(Supine twist, ", result.stdout, re.M)
    assert api.routines()[0].title == "Lower back spasm relief"




@functools.cache  # one validator for the run: property tests ask for it hundreds of times
def schema_validator() -> jsonschema.Draft202012Validator:
    """The routine schema, its voiceguide-* formats checked by the parser's own functions (routine.SETTING_FORMATS)."""
    jsonschema.Draft202012Validator.check_schema(ROUTINE_SCHEMA)
    formats = jsonschema.FormatChecker()
    for name, read in SETTING_FORMATS.items():
        formats.checks(name, raises=ValueError)(lambda value, read=read: not isinstance(value, str) or read(value) is not None)
    return jsonschema.Draft202012Validator(ROUTINE_SCHEMA, format_checker=formats)


@pytest.mark.parametrize("name", builtin_names())
def test_schema_accepts_builtins(name: str) -> None:
    data = yaml.load((ROOT / "voiceguide" / "routines" / f"{name}.yaml").read_text(), Loader=RoutineLoader)
    schema_validator().validate(data)


def test_readme_routines_are_valid_for_the_parser_and_the_schema() -> None:
    blocks = re.findall(r"```yaml\n(title: .*?)```", documentation(), re.S)  # whole routines
    assert len(blocks) >= 3  # quick-neck, box breathing, the HIIT
    for block in blocks:
        parse_routine(block)
        schema_validator().validate(yaml.load(block, Loader=RoutineLoader))


def test_schema_rejects_what_the_parser_rejects() -> None:
    validator = schema_validator()
    good = {"title": "t", "exercises": [{"name": "a", "steps": [{"hold": "10-30 seconds", "note": "n"}]}]}
    validator.validate(good)
    for bad in (
        {**good, "extra": 1},
        {"title": "t", "exercises": []},
        {"title": "t", "exercises": [{"name": "a", "steps": [{"hold": "ten"}]}]},
        {"title": "t", "exercises": [{"name": "a", "steps": [{"sya": "hi"}]}]},
        {"title": "t", "settings": {"breath": "4:4:4:4:4"}, "exercises": good["exercises"]},
        {"title": "t", "exercises": [{"name": "a", "rets": 20, "steps": [{"say": "hi"}]}]},
        {"title": "t", "exercises": [{"name": "a", "steps": [{"work": "20-40 seconds"}]}]},
        {"title": "t", "exercises": [{"name": "a", "steps": [{"breathe": "2.5 cycles"}]}]},
        {"title": "t", "settings": {"talk": "loud"}, "exercises": good["exercises"]},
        {"title": "t", "settings": {"lead_in": 100}, "exercises": good["exercises"]},
    ):
        assert not validator.is_valid(bad), bad
    validator.validate({**good, "settings": {"talk": "minimal", "lead_in": 3, "length": "15m"}})


def test_schema_command_prints_the_schema() -> None:
    result = cli("schema")
    assert result.returncode == 0
    assert json.loads(result.stdout) == ROUTINE_SCHEMA


def test_readme_commands_are_what_ci_runs() -> None:
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    test_command = re.search(r"^\s+(scripts/setup.sh --test && (.+))$", readme, re.M)
    assert test_command, "README lacks the set-up-and-test command"
    ci_lines = ci.splitlines()
    assert "scripts/setup.sh --test" in ci_lines
    assert all(step in ci_lines for step in test_command.group(2).split(" && "))
    assert re.search(r"^\s+scripts/setup.sh && \.venv/bin/voiceguide \w+", readme, re.M)
    assert (ROOT / "scripts" / "setup.sh").stat().st_mode & 0o111


def test_help_is_h_or_help_and_routine_is_written_as_in_the_readme() -> None:
    readme = documentation()
    for command in ("", "plan", "play", "render", "check", "import"):
        args = command.split()
        short, long = cli(*args, "-h"), cli(*args, "--help")
        assert short.returncode == long.returncode == 0
        assert short.stdout == long.stdout
        assert "Usage: voiceguide" in short.stdout
        if command in ("plan", "play", "render", "check"):
            assert "ROUTINE" in short.stdout
            assert f"voiceguide {command} " in readme
            assert "ROUTINE" in readme


def test_version_and_the_console_script() -> None:
    installed = Path(sys.executable).parent / "voiceguide"  # the script pip made, as a user runs it
    result = subprocess.run([str(installed), "--version"], capture_output=True, text=True, timeout=HANG_GUARD)
    assert result.returncode == 0
    assert result.stdout == f"voiceguide {version('voiceguide')}\n"


@pytest.mark.parametrize(("args", "message"), [
    (["plan", "--rate", "fast"], "voiceguide: invalid value for '--rate': "),
    (["render", "--no-such-option"], "voiceguide: no such option: --no-such-option"),
    (["check"], "voiceguide: missing argument 'ROUTINE'"),
    (["plan", "quick-neck", "--cue-dir", "/no/such/folder"], "voiceguide: the cue sound folder /no/such/folder does not exist"),
])
def test_usage_errors_are_one_line_exit_2_like_every_error(args: list[str], message: str) -> None:
    result = cli(*args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith(message), result.stderr


def test_running_no_command_shows_the_commands() -> None:
    result = cli()
    assert result.returncode == 2
    assert "Usage: voiceguide" in result.stdout
    assert "render" in result.stdout
    assert result.stdout.endswith("\n")  # the shell's prompt after it on a line of its own
    assert not result.stdout.endswith("\n\n")
    assert result.stdout == cli("--help").stdout


def test_check_counts_exercises_in_english(tmp_path: Path) -> None:
    one = tmp_path / "one.yaml"
    one.write_text("title: One\nexercises:\n  - name: Reach\n    steps:\n      - say: Reach up.\n")
    assert cli("check", str(one)).stdout == f"{one}: ok: One, 1 exercise\n"
    assert cli("check", "quick-neck").stdout == "quick-neck: ok: Quick neck release, 3 exercises\n"


def test_readme_architecture_names_the_tree_as_it_is() -> None:
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("## How it fits together") :]
    section = section[: section.index("\n## ")]
    named = set(re.findall(r"\b([a-z_]+(?:\.py|/))", section))
    package = ROOT / "voiceguide"
    missing = sorted(n for n in named if not (package / n).exists() and not (ROOT / n).exists())  # a package's, or the repo's (docs/)
    assert named, missing
    assert not missing, missing
    features = {p.name + "/" for p in package.iterdir() if (p / "__init__.py").exists() and p.name != "routines"}
    assert features <= named, features - named  # every feature package has its place in the picture


def test_a_rate_is_a_whole_number_of_words_a_minute() -> None:
    with pytest.raises(VoiceguideError, match=r"rate must be a whole number of words per minute, not 100.5"):
        api.plan("quick-neck", rate=100.5)



def test_an_unknown_play_device_is_one_line_naming_the_outputs() -> None:
    result = cli("play", "quick-neck", "--device", "no-such-output")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("voiceguide: --device no-such-output: ALSA cannot open it"), result.stderr
    assert re.search(r"its outputs: default, .*\bnull\b", result.stderr), result.stderr


@pytest.mark.espeak
@pytest.mark.audio_device
def test_play_device_plays_on_that_output_and_not_the_default(sink, tmp_path: Path) -> None:
    """Headphones: a second sink on the sound server, named as ALSA's pulse plugin takes it."""
    env = {**os.environ, **sink.env, "HOME": str(sink.root / "home")}
    subprocess.run(["pactl", "load-module", "module-null-sink", "sink_name=phones"], env=env, check=True, capture_output=True)
    routine = tmp_path / "hello.yaml"
    routine.write_text("title: Hello\nexercises:\n  - name: One\n    steps: [say: Hello there.]\n")
    phones = tmp_path / "phones.raw"
    with sink.record("room") as room, phones.open("wb") as out:
        recorder = subprocess.Popen(
            ["parec", "-d", "phones.monitor", "--format=s16le", f"--rate={RATE}", "--channels=1", "--raw"],
            env=env, stdout=out, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 60  # a hang guard: recording has begun once bytes arrive
            while phones.stat().st_size < 2000 and time.monotonic() < deadline:
                time.sleep(0.01)
            result = run_cli("play", str(routine), "--lead-in", "0", "--brief", "--cues", "off", "--device", "pulse:DEVICE=phones")
        finally:
            recorder.terminate()
            recorder.wait(5)
    assert result.returncode == 0, result.stderr
    data = phones.read_bytes()
    assert onsets(np.frombuffer(data[: len(data) // 2 * 2], dtype="<i2")).size >= 2, "the headphones heard nothing"
    assert room.samples.size > RATE
    assert not loud_frames(room.samples).any(), "the default output played too"


def test_a_fractional_rep_count_is_refused_not_rounded() -> None:
    result = cli("plan", "quick-neck", "--voice", "en-us", "--reps", "1.5")
    assert result.returncode == 2
    assert result.stderr == "voiceguide: reps must be a whole number, not 1.5\n"


@pytest.mark.parametrize(("seconds", "shown"), [(59.96, "1:00.0"), (245.3, "4:05.3"), (5372.9, "1:29:32.9")])
def test_the_plans_clock_counts_hours_past_an_hour_and_never_shows_sixty_seconds(seconds: float, shown: str) -> None:
    from voiceguide.clock import clock

    assert clock(seconds, tenths=True) == shown


def test_voices_for_a_language_no_voice_speaks_is_one_line_and_exit_2() -> None:
    result = cli("voices", "--language", "zz")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == "voiceguide: no installed voice speaks language 'zz': 'voiceguide voices' lists them all\n"


def test_import_to_dash_writes_the_routine_to_standard_output(tmp_path: Path) -> None:
    article = "Neck\n\n1. Chin tuck\nPull your chin back. Hold for 5 seconds. Repeat 10 times.\n"
    result = subprocess.run([sys.executable, "-m", "voiceguide", "import", "-", "-o", "-"], input=article, text=True,
                            capture_output=True, cwd=tmp_path, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "name: Chin tuck" in result.stdout
    assert not (tmp_path / "-").exists()


def test_a_word_option_is_read_in_any_case() -> None:
    upper = cli("plan", "quick-neck", "--voice", "en-us", "--hold", "HIGH", "--talk", "Minimal", "--json")
    lower = cli("plan", "quick-neck", "--voice", "en-us", "--hold", "high", "--talk", "minimal", "--json")
    assert upper.returncode == 0, upper.stderr
    assert json.loads(upper.stdout)["total"] == json.loads(lower.stdout)["total"]
