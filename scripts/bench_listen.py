"""What listening costs (issue 30): the listener thread's CPU while `voiceguide play --listen` plays.

    python scripts/bench_listen.py [--every SECONDS] [--rounds N]

A private PulseAudio server (tests/audio_sink.py): the session plays into a null sink, and the
"microphone" is a second null sink whose monitor is the default source. What the session plays is
looped into it, as a loudspeaker reaches a microphone in the room, with the builtin:rain bed under
the session; with --every, a spoken command ("longer", espeak's en-us+f2) is also said into it that
often, so the recognizer decodes utterances too; then a session paused for --paused seconds, so none
is dropped as said over the guide's voice and each is decoded. Prints, per round, the listener thread's CPU time
over the wall time it ran (its share of one core), the commands it heard, and the time one
utterance takes to decode offline. Needs pulseaudio, pactl, paplay and espeak-ng.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repository, for tests.audio_sink

from tests.audio_sink import missing_tools, playing_into_sink

ROUTINE = Path(__file__).resolve().parent.parent / "tests" / "routines" / "short.yaml"  # about a minute
CHOICES = {"brief": True, "rest": 1.0, "breath": "1:1", "background": "builtin:rain", "config": False}
TICK = os.sysconf("SC_CLK_TCK")


def thread_cpu(native_id: int) -> float | None:
    """CPU seconds (user + system) a thread of this process has used, None once it has ended."""
    try:
        fields = Path(f"/proc/self/task/{native_id}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime: the stat file's 14th and 15th fields


def listener_share(every: float | None, env: dict[str, str], command_wav: Path, paused: float = 0.0) -> tuple[float, float, list]:
    """(CPU seconds, wall seconds) of the listener thread over one session, and what it heard. With `paused`,
    the session is paused for that long first: nothing plays, so every command said is decoded (none is
    dropped as said over the guide's voice)."""
    import voiceguide

    session = voiceguide.play(ROUTINE, wait=False, listen=True, **CHOICES)
    if paused:
        session.pause()
    listener = next(t for t in threading.enumerate() if t.name == "voiceguide-listener")
    assert listener.native_id is not None
    began, first = time.monotonic(), thread_cpu(listener.native_id) or 0.0
    used, said_at = first, time.monotonic()
    while session.state != "finished" and not (paused and time.monotonic() - began > paused):
        now = time.monotonic()
        if every is not None and now - said_at >= every:
            subprocess.Popen(["paplay", "--device=mic", str(command_wav)], env=env)
            said_at = now
        used = thread_cpu(listener.native_id) or used
        time.sleep(0.05)
    wall = time.monotonic() - began
    session.quit()
    return used - first, wall, [(h.words, round(h.fit, 2), h.verdict) for h in session.heard]


def decode_time(command_wav: Path) -> float:
    """Seconds to decode one spoken command (both searches), offline: the cost of each utterance."""
    from voiceguide.live.listening import Recognizer

    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", str(command_wav), "-ar", "16000", "-ac", "1", "-f", "s16le", "-"],
                         capture_output=True, check=True).stdout  # fmt: skip
    recognizer = Recognizer()
    recognizer.recognize(raw)
    began = time.process_time()
    for _ in range(10):
        recognizer.recognize(raw)
    return (time.process_time() - began) / 10


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--every", type=float, default=4.0, help="say a command into the microphone this often, in seconds "
                        "(0: never; default 4)")  # fmt: skip
    parser.add_argument("--paused", type=float, default=30.0, help="seconds of a paused session with commands said (default 30)")
    parser.add_argument("--rounds", type=int, default=1, help="sessions to play with and without commands said (default 1)")
    args = parser.parse_args()
    missing = missing_tools()
    if missing:
        sys.exit(f"bench_listen: missing {', '.join(missing)}")
    with tempfile.TemporaryDirectory() as folder, playing_into_sink(Path(folder)) as sink:
        sink.add_microphone()
        env = {**os.environ, **sink.env}
        command_wav = Path(folder) / "longer.wav"
        subprocess.run(["espeak-ng", "-v", "en-us+f2", "-s", "140", "-w", str(command_wav), "longer."], check=True)
        print(f"one utterance decoded offline in {decode_time(command_wav) * 1000:.0f} ms of CPU")
        for round_ in range(args.rounds):
            for every in dict.fromkeys((None, args.every or None)):  # without commands, then with them
                cpu, wall, heard = listener_share(every, env, command_wav)
                what = "its own sound and rain" + (f", 'longer' every {every:g} s" if every else "")
                print(f"round {round_ + 1}, {what}: listener {cpu:.2f} s CPU in {wall:.1f} s = {100 * cpu / wall:.1f} % "
                      f"of one core; heard {len(heard)}: {heard}")  # fmt: skip
            cpu, wall, heard = listener_share(args.every or 2.0, env, command_wav, paused=args.paused)
            print(f"round {round_ + 1}, paused, 'longer' every {args.every or 2.0:g} s: listener {cpu:.2f} s CPU in {wall:.1f} s "
                  f"= {100 * cpu / wall:.1f} % of one core; heard {len(heard)} ({sum(h[2] == 'obeyed' for h in heard)} obeyed)")


if __name__ == "__main__":
    main()
