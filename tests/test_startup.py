"""Quick commands start quickly: they load only what they use, and answer as typer would.

No test here times anything (speed is scripts/bench.py's); they check what a
command loads, which is what makes `voiceguide check` answer in a blink.
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from voiceguide.audio.samples import read_clip
from voiceguide.errors import VoiceguideError
from voiceguide.speech.engine import Speech, leveled_clip

from .conftest import ROOT, run_cli

HEAVY = ("numpy", "pydantic", "mutagen", "rich.console", "voiceguide.importer", "pyttsx3")

LOADED = """
import runpy, sys
sys.argv = ["voiceguide", *sys.argv[1:]]
try:
    runpy.run_module("voiceguide", run_name="__main__")
except SystemExit:
    pass
print(" ".join(sorted(name for name in {heavy!r} if name in sys.modules)), file=sys.stderr)
"""


def loaded_by(*args: str) -> tuple[str, list[str]]:
    """What `voiceguide ARGS` prints, and which heavy modules it loaded."""
    result = subprocess.run(
        [sys.executable, "-c", LOADED.format(heavy=HEAVY), *args], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    return result.stdout, result.stderr.strip().splitlines()[-1].split() if result.stderr.strip() else []


# Not `routines`: it shows each routine's length, which takes the speech engine (its clips' lengths).
@pytest.mark.parametrize("args", [["--help"], ["check", "lower-back"], ["schema"]])
def test_quick_commands_load_no_heavy_module(args):
    out, heavy = loaded_by(*args)
    assert out  # it did its job
    assert heavy == [], f"voiceguide {' '.join(args)} loaded {heavy}"


def through_typer(*args: str) -> tuple[int, str]:
    """Exit code and output of the command parsed by typer, as the direct call skips it."""
    from typer.testing import CliRunner

    from voiceguide.cli.app import app

    result = CliRunner().invoke(app, list(args), prog_name="voiceguide")
    code = 2 if isinstance(result.exception, VoiceguideError) else result.exit_code  # main() maps these to 2
    return code, result.stdout


def test_a_directly_called_command_answers_as_typer_does(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("title: x\nexercises:\n  - name: A\n    steps:\n      - hold: soon\n")
    for args in (["check", "lower-back"], ["check", str(broken)], ["check", "no-such-routine"], ["routines"]):
        direct = run_cli(*args, cwd=tmp_path)
        assert (direct.returncode, direct.stdout) == through_typer(*args), args
        assert direct.returncode in (0, 2) and "Traceback" not in direct.stderr
    assert run_cli("check", str(broken)).stderr.startswith(f"{broken}:")  # FILE:LINE: what is wrong


def test_options_and_wrong_counts_still_go_through_typer():
    assert run_cli("check").returncode == 2  # missing argument: typer's usage error
    assert run_cli("check", "a", "b").returncode == 2
    assert "Validate a routine" in run_cli("check", "--help").stdout


def test_a_clip_leveled_once_is_kept_and_read_back_the_same(tmp_path):
    speech = Speech(rate=173, cache=tmp_path)  # an empty cache: the worker synthesizes, this thread levels
    text = "Leveled once, then kept."
    fresh = speech.leveled(text)
    stored = read_clip(speech.leveled_path(text))  # the copy kept for the next session
    again = Speech(rate=173, cache=tmp_path).leveled(text)  # a new session reads it back
    assert np.array_equal(fresh, stored) and np.array_equal(fresh, again)
    assert np.array_equal(fresh, leveled_clip(speech.samples(text)))  # exactly what leveling the raw clip gives
