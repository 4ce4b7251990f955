"""No traceback from any command line (issue 26, point 6 and its "Tracebacks").

Each case the hostile pass found is one line and exit 2 (130 for Ctrl-C while starting up);
the property test throws random option values at every command that takes options
(slow tier) and finds exit 0, 1 or 2, at most one line on stderr for an error, never a
traceback, and no escape or bidi control from its input on the terminal.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from voiceguide.errors import VoiceguideError
from voiceguide.live.session import exercise_number
from voiceguide.printable import BIDI_CONTROLS
from voiceguide.routine import load_routine

from .conftest import HANG_GUARD, ROOT, cli, run_cli

HUGE = "9" * 5000  # past Python's 4,300-digit limit for int(): ValueError where it was parsed
LONG_NAME = "a" * 256  # one byte past the 255 a file name may have: ENAMETOOLONG


def one_error_line(result: subprocess.CompletedProcess, code: int = 2) -> str:
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == code, result.stderr
    assert result.stderr.endswith("\n"), result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    return result.stderr


@pytest.mark.parametrize("bitrate", [HUGE, f"{HUGE}k", f"{HUGE}K", f"000{HUGE}k"])
def test_a_5000_digit_bitrate_is_one_line(tmp_path, bitrate):
    output = tmp_path / "neck.mp3"
    line = one_error_line(run_cli("render", "quick-neck", "--brief", "-o", str(output), "--bitrate", bitrate))
    assert "--bitrate" in line
    assert not output.exists()


def test_a_5000_digit_start_is_one_line():
    line = one_error_line(run_cli("play", "quick-neck", "--start", HUGE))
    assert "no such exercise" in line


def test_a_5000_digit_start_is_no_exercise_for_the_library_too():
    with pytest.raises(VoiceguideError, match="no such exercise"):
        exercise_number(load_routine("quick-neck"), HUGE)


def routine_file(folder: Path) -> Path:
    path = folder / "neck.yaml"
    path.write_text("title: Neck\nexercises:\n  - name: Tilt\n    steps:\n      - say: Tilt your head.\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "args",
    [
        ["check", "{dir}/{long}.yaml"],
        ["plan", "{dir}/{long}.yaml"],
        ["render", "quick-neck", "--brief", "-o", "{dir}/{long}.wav"],
        ["render", "quick-neck", "--brief", "--background", "{dir}/{long}.mp3", "-o", "{dir}/out.wav"],
        ["import", "{dir}/{long}.md"],
        ["import", "{dir}/article.md", "-o", "{dir}/{long}.yaml"],
        ["voices", "--sample", "en", "-o", "{dir}/{long}.wav"],
    ],
    ids=["check", "plan", "render-output", "render-background", "import-article", "import-output", "voices-output"],
)
def test_a_256_byte_file_name_is_one_line(tmp_path, args):
    (tmp_path / "article.md").write_text("# Neck\n\n1. Tilt your head. Hold 20 seconds.\n", encoding="utf-8")
    line = one_error_line(run_cli(*(a.format(dir=tmp_path, long=LONG_NAME) for a in args)))
    assert LONG_NAME in line


def fake_tool(folder: Path, name: str, script: str) -> dict[str, str]:
    """An environment whose PATH finds this shell script as `name` before the real one."""
    folder.mkdir(exist_ok=True)
    tool = folder / name
    tool.write_text(f"#!/bin/sh\n{script}\n", encoding="utf-8")
    tool.chmod(0o755)
    return {"PATH": f"{folder}{os.pathsep}{os.environ['PATH']}"}


@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="needs ffmpeg to make the background")
@pytest.mark.parametrize("output", ["out.wav", "out.ogg"])
def test_ffprobe_printing_nothing_is_no_traceback(tmp_path, output):
    """pydub read a background's format from ffprobe's JSON: empty output was a JSONDecodeError traceback.
    Now ffprobe is not asked about user audio; where a render's check asks it, empty output is one line."""
    background = tmp_path / "rain.mp3"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "anoisesrc=d=3:a=0.1", "-ac", "2", str(background)],
        check=True, timeout=60,
    )
    env = fake_tool(tmp_path / "bin", "ffprobe", "exit 0")
    result = run_cli("render", str(routine_file(tmp_path)), "--background", str(background), "-o", str(tmp_path / output), env=env)
    assert "Traceback" not in result.stderr
    if result.returncode != 0:
        one_error_line(result)


ASCII = {"PYTHONIOENCODING": "ascii"}


def test_non_ascii_text_prints_with_an_ascii_output_encoding(tmp_path):
    routine = tmp_path / "café.yaml"
    routine.write_text("title: Café — stretch\nexercises:\n  - name: Naïve tilt\n    steps:\n      - say: “Tilt.”\n", encoding="utf-8")
    plan = run_cli("plan", str(routine), env=ASCII)  # rich printed straight to a strict ASCII stream: UnicodeEncodeError
    assert plan.returncode == 0, plan.stderr
    assert "Traceback" not in plan.stderr
    assert "Caf" in plan.stdout
    for args in (["check", str(routine)], ["plan", "--json", str(routine)], ["routines"], ["check", str(tmp_path / "gone-é.yaml")]):
        result = run_cli(*args, env=ASCII)
        assert "Traceback" not in result.stderr
        assert result.returncode in (0, 2), result.stderr


@pytest.mark.parametrize("args", [["--help"], ["check", "quick-neck"], ["render", "quick-neck", "--brief"]])
def test_ctrl_c_while_starting_up_is_exit_130_without_traceback(tmp_path, args):
    """A KeyboardInterrupt while Python imports what the command needs (here: typer, first of all)."""
    (tmp_path / "typer").mkdir()
    (tmp_path / "typer" / "__init__.py").write_text("raise KeyboardInterrupt\n", encoding="utf-8")
    # The fake typer first, then this tree's voiceguide (the folder the command runs in is tmp_path).
    env = {"PYTHONPATH": os.pathsep.join(filter(None, [str(tmp_path), str(ROOT), os.environ.get("PYTHONPATH")]))}
    line = one_error_line(run_cli(*args, cwd=tmp_path, env=env), code=130)
    assert line == "voiceguide: interrupted\n"


def test_a_bug_of_ours_is_still_one_line(monkeypatch):
    from voiceguide import api

    def broken(_routine):
        raise ValueError("something we did not foresee")

    monkeypatch.setattr(api, "check", broken)
    result = cli("check", "quick-neck")
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert "internal error (ValueError: something we did not foresee)" in result.stderr


# --- the property test: any option values, every command that takes options ---------------------

CONTROLS = "".join(sorted(BIDI_CONTROLS)) + "\x1b\x9b\x07"
NASTY_TEXT = st.one_of(
    st.sampled_from(["", " ", "-", "--", "0", "-1", "-0", "1e9", "nan", "inf", "0x10", "½", "٣", "1_000", HUGE, f"-{HUGE}"]),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30),
    st.text(alphabet="é✓ß漢字🙂\u202e\x1b]0;x\x07[/b]%{}", min_size=1, max_size=20),
    st.integers(min_value=1000, max_value=20000).map(lambda n: "x" * n),
)
SESSION_VALUES = ["--language", "--voice", "--rate", "--talk", "--lead-in", "--cues", "--cue-dir", "--background",
                  "--background-level"]
OPTIONS = {  # each command's options that take a value, and its flags
    "plan": ([*SESSION_VALUES, "--hold", "--hold-scale", "--reps", "--breath", "--rest", "--length"],
             ["--json", "--brief", "--breath-tones", "--no-breath-tones"]),
    # render: not the options that lengthen a session (holds, reps, rests): a render must stay short
    "render": ([*SESSION_VALUES, "--length", "--bitrate", "--page"], ["--captions", "--timeline", "--quiet", "--no-breath-tones"]),
    "check": ([], []),
    "import": (["-o"], []),
    "voices": (["--language", "--sample", "--rate"], []),
    "phrases": (["--language"], []),  # not --sample: it speaks a whole catalogue
}


def known_options(command: str) -> tuple[list[str], list[str]]:
    """The options this command really has (the table above may name some a version lacks: dropped)."""
    help_text = run_cli(command, "--help").stdout
    values, flags = OPTIONS[command]
    return [o for o in values if o in help_text], [f for f in flags if f in help_text]


def check_run(args: list[str], tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "voiceguide", *args], capture_output=True, text=True, errors="replace",
        cwd=tmp_path, env={**os.environ, "VOICEGUIDE_ENGINE": "espeak"}, timeout=HANG_GUARD,
    )
    shown = " ".join(repr(a[:60]) for a in args)
    assert result.returncode in (0, 1, 2), f"{shown}: exit {result.returncode}: {result.stderr[-500:]}"
    assert "Traceback" not in result.stderr, f"{shown}: {result.stderr[-2000:]}"
    assert "internal error" not in result.stderr, f"{shown}: {result.stderr[-500:]}"
    if result.returncode != 0:
        assert result.stderr.count("\n") <= 1, f"{shown}: {result.stderr[-2000:]}"
    leaked = [c for c in CONTROLS if c in result.stdout or c in result.stderr]
    assert not leaked, f"{shown}: {leaked!r} reached the terminal"


def option_args(draw, values: list[str], flags: list[str]) -> list[str]:
    args: list[str] = []
    for option in draw(st.lists(st.sampled_from(values), max_size=3)) if values else []:
        args += [option, draw(NASTY_TEXT)]
    args += draw(st.lists(st.sampled_from(flags), max_size=2, unique=True)) if flags else []
    return args


SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), derandomize=False)


@pytest.mark.slow
@pytest.mark.parametrize("command", ["plan", "check", "import", "voices", "render", "phrases"])
def test_any_option_values_give_exit_0_1_or_2_and_one_line(tmp_path, command):
    values, flags = known_options(command)
    article = tmp_path / "article.md"
    article.write_text("# Neck\n\n1. Tilt your head. Hold 20 seconds.\n", encoding="utf-8")

    @SETTINGS
    @given(data=st.data())
    def run(data):
        args = [command]
        if command in ("plan", "check"):
            args.append(data.draw(st.sampled_from(["quick-neck", str(routine_file(tmp_path))]) | NASTY_TEXT.map(str)))
        elif command == "import":
            args.append(data.draw(st.sampled_from([str(article)]) | NASTY_TEXT.map(lambda t: str(tmp_path / f"{t[:200]}.md"))))
        elif command == "render":
            # Short sessions only: the brief quick-neck to a WAV, or lengths refused before any work.
            args += ["quick-neck", "--brief", "-o", data.draw(st.sampled_from(["out.wav", "out.mp3"]) | NASTY_TEXT.map(
                lambda t: f"{t[:200]}.wav"))]
        drawn = option_args(data.draw, values, flags)
        if command == "render" and "--length" in drawn:
            at = drawn.index("--length") + 1
            drawn[at] = data.draw(st.sampled_from(["0", "-5", HUGE, "10h", "", "x"]))  # refused: no long render
        if command == "import" and "-o" in drawn:
            at = drawn.index("-o") + 1
            drawn[at] = str(tmp_path / f"{drawn[at][:200]}.yaml")
        check_run([*args, *drawn], tmp_path)

    run()


@pytest.mark.slow
@pytest.mark.parametrize("encoding", ["ascii", "latin-1", "utf-8:strict"])
def test_odd_output_encodings_never_end_in_a_traceback(tmp_path, encoding):
    routine = routine_file(tmp_path)
    routine.write_text("title: Café 漢字 🙂\nexercises:\n  - name: Naïve\n    steps:\n      - say: “Tilt.”\n", encoding="utf-8")
    article = tmp_path / "café.md"
    article.write_text("# Nackenübung 漢字\n\n1. Kopf neigen, “langsam”. 20 Sekunden halten.\n", encoding="utf-8")
    for args in (["plan", str(routine)], ["check", str(routine)], ["routines"], ["voices"], ["import", str(article)],
                 ["plan", "--json", str(routine)], ["check", f"{tmp_path}/漢字\u202e.yaml"], ["play", "--help"]):
        result = subprocess.run(
            [sys.executable, "-m", "voiceguide", *args], capture_output=True, cwd=tmp_path, timeout=HANG_GUARD,
            env={**os.environ, "PYTHONIOENCODING": encoding, "VOICEGUIDE_ENGINE": "espeak"},
        )
        stderr = result.stderr.decode("utf-8", "replace")
        assert result.returncode in (0, 2), f"{args}: {stderr[-1000:]}"
        assert "Traceback" not in stderr, f"{args}: {stderr[-2000:]}"
