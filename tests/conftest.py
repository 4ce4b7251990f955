"""Shared test set-up: real espeak-ng and Piper, one private clip cache per test run."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

# Every test (and every CLI subprocess it starts) uses one fresh cache for the run, never the user's.
if "VOICEGUIDE_TEST_RUN" not in os.environ:  # pytest-xdist's workers inherit the run's folder: one cache for all
    os.environ["VOICEGUIDE_TEST_RUN"] = tempfile.mkdtemp(prefix="voiceguide-test-run-")
os.environ["XDG_CACHE_HOME"] = os.path.join(os.environ["VOICEGUIDE_TEST_RUN"], "cache")
# Tests that are not about the voice speak with espeak-ng, quick to synthesize at every rate they try;
# tests of the natural voice (tests/test_natural_voice.py) lift this with the `natural` fixture.
os.environ["VOICEGUIDE_ENGINE"] = "espeak"
os.environ["XDG_DATA_HOME"] = os.path.join(os.environ["VOICEGUIDE_TEST_RUN"], "data")  # no voices folder but the tests' own
os.environ["XDG_CONFIG_HOME"] = os.path.join(os.environ["VOICEGUIDE_TEST_RUN"], "config")  # no user config file but a test's own

ROOT = Path(__file__).resolve().parent.parent
HANG_GUARD = 500.0  # seconds: a subprocess timeout only catches a hang; under pyproject's per-test 600
SEED = ROOT / "tests" / "articles" / "lower-back-spasms.txt"  # the seed article, kept with the fixtures
SHORT = ROOT / "tests" / "routines" / "short.yaml"  # a minute of session: for tests that need some render, not a long one


# A test is slow (run with `pytest -m slow`) when it needs the sound server or a browser, by the fixtures that
# start them; long fault and whole-session tests say so themselves with @pytest.mark.slow. Only the sound server's
# are realtime (run after the rest): they measure onsets in a recording. The browser's seek a muted page and read it,
# which a busy machine only slows, so they share the cores with the rest of the slow tier.
SLOW_FIXTURES = {"sink", "browser"}
REALTIME_FIXTURES = {"sink"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if SLOW_FIXTURES & fixtures:
            item.add_marker(pytest.mark.slow)
        if REALTIME_FIXTURES & fixtures:
            item.add_marker(pytest.mark.realtime)
    # xdist's load scheduling hands each worker two tests at a time, in this order: the realtime tests that play
    # longest go first, each paired with one that does not, so no worker starts with two long ones.
    realtime = [item for item in items if item.get_closest_marker("realtime")]
    playing = sorted((i for i in realtime if i.get_closest_marker("plays")), key=lambda i: -i.get_closest_marker("plays").args[0])
    brief = [item for item in realtime if not item.get_closest_marker("plays") and not item.get_closest_marker("alone")]
    paired = [item for pair in zip(playing, brief, strict=False) for item in pair] + playing[len(brief) :] + brief[len(playing) :]
    alone = [item for item in realtime if item.get_closest_marker("alone")]  # run by themselves (-m alone)
    items[:] = [item for item in items if not item.get_closest_marker("realtime")] + paired + alone


@pytest.fixture(scope="module")
def sink(tmp_path_factory):
    """A private PulseAudio server with a null sink, ALSA's default output, that this process and every
    CLI run a test starts play into (tests/audio_sink.py); a test that asks for it is slow and realtime."""
    from tests.audio_sink import missing_tools, playing_into_sink

    missing = missing_tools()
    if missing:
        pytest.skip(f"no PulseAudio to play into: missing {', '.join(missing)}")
    with playing_into_sink(tmp_path_factory.mktemp("pulse")) as sink:
        yield sink


@pytest.fixture
def natural(monkeypatch: pytest.MonkeyPatch) -> None:
    """The natural voice as the default, as for a user (here and in the CLI processes a test starts)."""
    monkeypatch.delenv("VOICEGUIDE_ENGINE")


@pytest.fixture(scope="session")
def speech():
    from voiceguide.speech.engine import Speech

    return Speech(rate=150)


def cli(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run `voiceguide ARGS` in this process (typer's CliRunner): output and exit code as a user sees them.

    For what needs a real process (signals, a terminal, the tools on PATH, the console script) use run_cli.
    """
    from typer.testing import CliRunner

    from voiceguide.cli.app import app

    before = Path.cwd()
    os.chdir(cwd or ROOT)
    try:
        result = CliRunner().invoke(app, list(args), env=env, prog_name="voiceguide", catch_exceptions=False)
    finally:
        os.chdir(before)
    return subprocess.CompletedProcess(["voiceguide", *args], result.exit_code, result.stdout, result.stderr)


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None, timeout: float = HANG_GUARD) -> subprocess.CompletedProcess:
    """Run `python -m voiceguide ARGS` in a process of its own, capturing its output."""
    return subprocess.run(
        [sys.executable, "-m", "voiceguide", *args],
        capture_output=True, text=True, cwd=cwd or ROOT, env={**os.environ, **(env or {})}, timeout=timeout,
    )


def documentation() -> str:
    """The README and every page under docs/, as one text: what a user reads."""
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    return "\n".join(page.read_text(encoding="utf-8") for page in pages)


def heard_seconds(path: Path) -> float:
    """An audio file's length as ffprobe reads it (what a player shows)."""
    result = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", str(path)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return float(result.stdout)


def timing_keys_supported() -> bool:
    """Does the routine format know the timing issue's keys (sets, rests, breath patterns, `breathe:`)?"""
    from voiceguide.errors import RoutineError
    from voiceguide.routine import parse_routine

    try:
        parse_routine("title: t\nexercises:\n  - name: a\n    sets: 2\n    breath: 4:7:8\n    steps: [breathe: 2]\n")
    except RoutineError:
        return False
    return True


# Imports that use those keys pass `check` once the timing work is merged; until then they are
# expected to fail there (strict: the mark must be removed when they pass).
NEEDS_TIMING_KEYS = pytest.mark.xfail(
    not timing_keys_supported(), reason="uses the timing issue's routine keys (sets, rest, breath patterns, breathe)", strict=True
)
