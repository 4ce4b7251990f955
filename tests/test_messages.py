"""Messages name the real cause (issue 26): check refuses a voice render would refuse, a {side} said
before any side is refused at its line, a hold too short to hear is refused with the minimum named, and
the routine's words keep their superscripts."""

from __future__ import annotations

import os
import socket
import subprocess
import threading
from pathlib import Path

import pytest

from voiceguide.limits import MIN_HOLD_SECONDS
from voiceguide.routine import parse_routine

from .conftest import cli, run_cli


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def one_line_error(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 2, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_check_refuses_a_voice_that_render_refuses(tmp_path: Path) -> None:
    path = write(
        tmp_path, "voice.yaml", "title: t\nsettings:\n  voice: no-such-voice-anywhere\nexercises:\n  - name: a\n    steps: [say: Hello.]\n"
    )
    rendered = cli("render", str(path), "-o", str(tmp_path / "out.mp3"))
    assert rendered.returncode == 2  # render refuses it ...
    assert "no-such-voice-anywhere" in rendered.stderr
    error = one_line_error(cli("check", str(path)))  # ... and so does check, naming the routine and the voice
    assert error.startswith(f"{path}: voice: unknown voice 'no-such-voice-anywhere'")
    assert not (tmp_path / "out.mp3").exists()


def test_check_accepts_a_voice_that_render_accepts(tmp_path: Path) -> None:
    path = write(tmp_path, "voice.yaml", "title: t\nsettings:\n  voice: en+f2\nexercises:\n  - name: a\n    steps: [say: Hello.]\n")
    result = cli("check", str(path))
    assert result.returncode == 0, result.stderr


SIDED = "title: t\nexercises:\n  - name: a\n    sides: 2\n"


@pytest.mark.parametrize(
    ("text", "line", "where"),
    [
        (SIDED + "    setup: Stand on your {side} foot.\n    steps: [say: Hold it.]\n", 5, "setup"),
        (SIDED + "    setup:\n      - Stand tall.\n      - Lift your {side} arm.\n    steps: [say: Hold it.]\n", 7, "setup"),
        (SIDED + "    about: Works your {side} hip.\n    steps: [say: Hold it.]\n", 5, "about"),
        ("title: t\nexercises:\n  - name: Lunge {side}\n    sides: 2\n    steps: [say: Hold it.]\n", 3, "name"),
        ("title: Stretch {side}\nexercises:\n  - name: a\n    steps: [say: Hold it.]\n", 1, "title"),
        ("title: t\ndescription: Both {side}s.\nexercises:\n  - name: a\n    steps: [say: Hold it.]\n", 2, "description"),
    ],
)
def test_a_side_placeholder_said_before_any_side_is_refused_at_its_line(
    tmp_path: Path, text: str, line: int, where: str
) -> None:
    path = write(tmp_path, "side.yaml", text)
    error = one_line_error(cli("check", str(path)))
    assert error == f"{path}:{line}: {{side}} cannot be used in {where}: it is said before any side (use it in the steps)"


def test_unknown_braces_said_before_any_side_are_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "brace.yaml", "title: t\nexercises:\n  - name: a\n    about: Use {weight}.\n    steps: [say: Go.]\n")
    error = one_line_error(cli("check", str(path)))
    assert error == f"{path}:4: unknown placeholder {{weight}} in about (braces would be spoken)"


def test_a_side_placeholder_in_the_steps_is_still_filled(tmp_path: Path) -> None:
    path = write(tmp_path, "steps.yaml", SIDED + "    steps:\n      - say: Lift your {side} arm.\n")
    result = cli("plan", "--json", str(path))
    assert result.returncode == 0, result.stderr
    assert "Lift your right arm." in result.stdout
    assert "{side}" not in result.stdout


@pytest.mark.parametrize("amount", ["0.0000001 seconds", "0.5", "0.2-30 seconds"])
def test_a_hold_too_short_to_hear_is_refused_with_the_minimum(tmp_path: Path, amount: str) -> None:
    path = write(tmp_path, "short.yaml", f"title: t\nexercises:\n  - name: a\n    steps:\n      - say: Hold.\n      - hold: {amount}\n")
    error = one_line_error(cli("check", str(path)))
    assert error == (
        f"{path}:6: hold must be at least {MIN_HOLD_SECONDS:g} second (a hold counts whole seconds), not '{amount}'"
    )


def test_a_one_second_hold_is_still_accepted() -> None:
    routine = parse_routine("title: t\nexercises:\n  - name: a\n    steps: [hold: 1 second]\n")
    assert routine.exercises[0].steps[0].amount.low == 1


def test_superscripts_and_fractions_are_spoken_as_written(tmp_path: Path) -> None:
    text = "title: t\nexercises:\n  - name: Squats to 5²\n    steps: [say: Hold ½ a breath.]\n"
    path = tmp_path / "marks.yaml"
    path.write_bytes(text.encode())
    result = cli("plan", "--json", str(path))
    assert result.returncode == 0, result.stderr
    assert "Squats to 5²" in result.stdout  # not "52": NFKC would fold the superscript into a digit
    assert "Hold ½ a breath." in result.stdout
    composed = parse_routine("title: Cafe\u0301\nexercises:\n  - name: a\n    steps: [say: b]\n")
    assert composed.title == "Caf\u00e9"  # still one normal form (NFC): equal text is equal


class ListeningSoundServer:
    """A unix socket standing in for a PulseAudio server: it counts connections and closes each at once."""

    def __init__(self, path: Path) -> None:
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(str(path))
        self.server.listen(64)
        self.server.settimeout(0.2)
        self.connections = 0
        self.running = True
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self) -> None:
        while self.running:
            try:
                connection, _ = self.server.accept()
            except OSError:
                continue
            self.connections += 1
            connection.close()

    def close(self) -> None:
        self.running = False
        self.thread.join()
        self.server.close()


def test_plan_never_connects_to_the_sound_server(tmp_path: Path) -> None:
    server = ListeningSoundServer(tmp_path / "pulse")
    try:
        env = {
            "PULSE_SERVER": f"unix:{tmp_path / 'pulse'}",
            "XDG_CACHE_HOME": str(tmp_path / "cache"),  # a fresh cache: the speech is synthesized, not read back
            "PATH": os.environ.get("PATH", ""),
        }
        result = run_cli("plan", "--rate", "170", "lower-back", env=env, timeout=240)
    finally:
        server.close()
    assert result.returncode == 0, result.stderr
    assert server.connections == 0
