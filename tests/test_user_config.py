"""The user's config file of personal defaults ($XDG_CONFIG_HOME/voiceguide/config.toml): what it sets reaches the
session unless the command line or the routine sets it; `voiceguide config` shows it; a mistake in it is one
FILE:LINE line, exit 2. (Every option it may set reaches the session: tests/test_options_reach.py, the config door.)"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, cli, run_cli
from voiceguide.option_table import CONFIG_KEYS, PLAY_CONFIG_KEYS

if sys.version_info >= (3, 11):
    import tomllib
else:  # tomllib's original, in the test set's lock for Python 3.10
    import tomli as tomllib

ROUTINE = """\
title: Reach
exercises:
  - name: Turn
    steps:
      - say: Turn your head slowly to the left.
      - hold: 8 seconds
"""
PERSONAL = 'voice = "de"\nrate = 220\n'  # a German espeak voice, fast: every spoken length differs from the defaults'


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A config home of the test's own: the config file of whoever runs the tests is never read."""
    folder = tmp_path / "config-home"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(folder))
    return folder


def write_config(home: Path, text: str) -> Path:
    path = home / "voiceguide" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def planned(routine: Path, *args: str) -> dict:
    """The session's timeline, as `voiceguide plan --json` prints it."""
    result = cli("plan", str(routine), "--json", *args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def routine(tmp_path: Path) -> Path:
    path = tmp_path / "reach.yaml"
    path.write_text(ROUTINE)
    return path


def test_the_configs_voice_and_rate_reach_the_session_unless_an_option_overrides_them(home: Path, routine: Path) -> None:
    built_in = planned(routine)
    as_options = planned(routine, "--voice", "de", "--rate", "220")
    slower = planned(routine, "--voice", "de", "--rate", "150")
    assert len({json.dumps(plan) for plan in (built_in, as_options, slower)}) == 3
    write_config(home, PERSONAL)
    assert planned(routine) == as_options
    assert planned(routine, "--rate", "150") == slower  # the voice still the config's
    assert planned(routine, "--voice", "en", "--rate", "150") == built_in


def test_a_routines_own_setting_beats_the_config(home: Path, routine: Path, tmp_path: Path) -> None:
    own = tmp_path / "own.yaml"
    own.write_text(ROUTINE.replace("exercises:", "settings:\n  rate: 150\n  voice: en\nexercises:"))
    built_in = planned(routine)
    write_config(home, PERSONAL + 'language = "de"\n')
    assert planned(own) == planned(routine, "--voice", "en", "--rate", "150", "--language", "de")  # its language the config's
    assert planned(own) != built_in
    english = tmp_path / "english.yaml"
    english.write_text("language: en\n" + own.read_text())
    assert planned(english) == built_in


def test_the_configs_voice_speaks_its_language_and_a_routine_in_another_its_own(home: Path, routine: Path, tmp_path: Path) -> None:
    german = tmp_path / "german.yaml"
    german.write_text("language: de\n" + ROUTINE)
    own_voice, in_french = planned(german), planned(german, "--voice", "fr")
    assert own_voice != in_french
    write_config(home, 'voice = "fr"\n')  # for English, as the config sets no language
    assert planned(german) == own_voice
    assert planned(routine) == planned(routine, "--voice", "fr")
    write_config(home, 'voice = "fr"\nlanguage = "de"\n')
    assert planned(german) == in_french


@pytest.mark.parametrize(("text", "line", "message"), [
    ('voice = "de"\nrate = 900\n', 2, "rate must be between 60 and 450 words per minute, not 900"),
    ('rate = "fast"\n', 1, 'rate must be a whole number, not "fast"'),
    ("rate = 160.5\n", 1, "rate must be a whole number, not 160.5"),
    ('\n\nlead-in = 3\n', 3, "unknown key 'lead-in'; a config file may set " + ", ".join(CONFIG_KEYS)),
    ('length = "15m"\n', 1, "unknown key 'length'"),  # a session's, not a personal default
    ("talk = 'loud'\n", 1, "talk must be full, normal or minimal, not 'loud'"),
    ("# mine\ncues = true\n", 2, "cues must be text in quotes, not true"),
    ("hold = [20]\n", 1, "hold must be text in quotes or a number, not [20]"),
    ("breath = 4:6\n", 1, "expected newline or end of document after a statement"),  # TOML's own syntax error, at its line
    ('rate = 160\nvoice = "de"\nvoice = "en"\n', 3, "cannot overwrite a value"),
    ("[voice]\nname = 'joe'\n", 1, "voice must be text in quotes, not a table"),
    ('voice = "no-such-voice"\n', 1, "voice: unknown voice 'no-such-voice'"),
    ('\nbackground = "/no/such/rain.ogg"\n', 2, "background: /no/such/rain.ogg: background sound is missing"),
    ('language = "xx-nonsense"\n', 1, "language: no installed voice speaks language 'xx-nonsense'"),
    ('rate = 160\nlisten = "yes"\n', 2, 'listen must be true or false, not "yes"'),  # live play's own option, checked alike
])  # fmt: skip
def test_a_mistake_in_the_config_is_one_line_naming_file_and_line_exit_2(home: Path, text: str, line: int, message: str) -> None:
    path = write_config(home, text)
    for command in (["plan", "quick-neck"], ["config"]):
        result = cli(*command)
        assert result.returncode == 2, result.stdout
        assert result.stdout == ""
        assert result.stderr.count("\n") == 1, result.stderr
        assert result.stderr.lower().startswith(f"{path}:{line}: {message}".lower()), result.stderr


def test_check_is_about_the_routine_alone(home: Path) -> None:
    write_config(home, "rate = 900\n")
    assert cli("check", "quick-neck").returncode == 0


def test_config_shows_where_the_file_is_and_what_it_sets(home: Path) -> None:
    path = home / "voiceguide" / "config.toml"
    missing = cli("config")
    assert missing.returncode == 0
    assert missing.stdout.splitlines()[0] == f"# {path}: no such file, so the built-in defaults apply"
    assert ", ".join(CONFIG_KEYS) in missing.stdout
    write_config(home, '# my defaults\nvoice = "de"\nrate = 220\nhold = 20\nbreath_tones = false\n')
    shown = cli("config")
    assert shown.returncode == 0
    assert shown.stdout.splitlines()[:5] == [f"# {path}", 'voice = "de"', "rate = 220", 'hold = "20"', "breath_tones = false"]
    assert tomllib.loads(shown.stdout) == {"voice": "de", "rate": 220, "hold": "20", "breath_tones": False}  # TOML to keep


def test_without_xdg_config_home_the_file_is_in_dot_config(tmp_path: Path, routine: Path) -> None:
    write_config(tmp_path / ".config", "rate = 220\n")
    env = {"XDG_CONFIG_HOME": None, "HOME": str(tmp_path)}
    shown = cli("config", env=env)  # type: ignore[arg-type]  # CliRunner: None unsets
    assert shown.stdout.splitlines()[:2] == [f"# {tmp_path}/.config/voiceguide/config.toml", "rate = 220"]
    faster = cli("plan", str(routine), "--json", env=env)  # type: ignore[arg-type]
    assert json.loads(faster.stdout) == planned(routine, "--rate", "220")


# ALSA with a silent output and no microphone: play ends at once, and listening says in one line that it cannot.
NO_MICROPHONE_ALSA = """\
</usr/share/alsa/alsa.conf>
pcm.!default { type asym playback.pcm { type null } capture.pcm "voiceguide_no_such_microphone" }
"""


@pytest.mark.slow  # plays a session twice
@pytest.mark.espeak
def test_the_configs_listen_makes_play_listen_unless_no_listen_is_given(home: Path, tmp_path: Path) -> None:
    (tmp_path / "asound.conf").write_text(NO_MICROPHONE_ALSA)
    routine = tmp_path / "hello.yaml"
    routine.write_text("title: Hello\nexercises:\n  - name: One\n    steps: [say: Hello there.]\n")
    env = {"ALSA_CONFIG_PATH": str(tmp_path / "asound.conf"), "XDG_CONFIG_HOME": str(home), "PULSE_SERVER": ""}

    def tried_to_listen(*args: str) -> bool:
        result = run_cli("play", str(routine), "--voice", "en", "--lead-in", "0", "--brief", "--cues", "off", *args, env=env)
        assert result.returncode == 0, result.stderr
        return "--listen: no microphone to listen to" in result.stderr

    assert not tried_to_listen()
    assert tried_to_listen("--listen")
    path = write_config(home, "listen = true\n")
    assert tried_to_listen()
    assert not tried_to_listen("--no-listen")
    shown = cli("config")
    assert shown.stdout.splitlines()[:2] == [f"# {path}", "listen = true"]
    assert set(PLAY_CONFIG_KEYS) == {"listen"}  # the only play option a config sets; none of them a session's
    assert not set(PLAY_CONFIG_KEYS) & set(CONFIG_KEYS)


def test_a_relative_cue_folder_in_the_config_is_found_beside_it(home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from voiceguide.user_config import load_config

    path = write_config(home, 'cue_dir = "cues"\n')
    (path.parent / "cues").mkdir()
    for name in ("bell", "chime", "switch", "tick", "inhale", "exhale"):
        shutil.copy(ROOT / "audio_cues" / f"{name}.wav", path.parent / "cues" / f"{name}.wav")
    monkeypatch.chdir(tmp_path)  # a session started anywhere else
    assert load_config().values["cue_dir"] == str(path.parent / "cues")
