"""Shared test set-up: real espeak-ng, a private clip cache per test session."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

# Every test (and every CLI subprocess it starts) uses a fresh cache, never the user's.
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="voiceguide-test-cache-")

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "tests" / "articles" / "lower-back-spasms.txt"  # the seed article, kept with the fixtures


@pytest.fixture(scope="session")
def speech():
    from voiceguide.speech.engine import Speech

    return Speech(rate=150)


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run `python -m voiceguide ARGS` as a user would, capturing its output."""
    return subprocess.run(
        [sys.executable, "-m", "voiceguide", *args],
        capture_output=True, text=True, cwd=cwd or ROOT, env={**os.environ, **(env or {})}, timeout=timeout,
    )
