"""Quick commands start quickly: they load only what they use, and answer as typer would.

No test here times anything (speed is scripts/bench.py's); they check what a
command loads, which is what makes `voiceguide check` answer in a blink.
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from voiceguide.audio.leveling import leveled_clip, leveled_path, leveled_speech
from voiceguide.audio.samples import read_clip
from voiceguide.speech.engine import Speech

from .conftest import ROOT

HEAVY = ("numpy", "pydantic", "mutagen", "rich.console", "voiceguide.importer")

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


def test_a_clip_leveled_once_is_kept_and_read_back_the_same(tmp_path):
    speech = Speech(rate=173, cache=tmp_path)  # an empty cache: the worker synthesizes, this thread levels
    text = "Leveled once, then kept."
    fresh = leveled_speech(speech, text)
    stored = read_clip(leveled_path(speech, text))  # the copy kept for the next session
    again = leveled_speech(Speech(rate=173, cache=tmp_path), text)  # a new session reads it back
    assert np.array_equal(fresh, stored)
    assert np.array_equal(fresh, again)
    assert np.array_equal(fresh, leveled_clip(speech.samples(text)))  # exactly what leveling the raw clip gives
