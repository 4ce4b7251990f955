"""Files in and out: user text read one way, outputs written whole or not at all.

Every file voiceguide writes (rendered audio, captions, imported routines, cached
clips) goes to a temp file beside its target and is renamed into place only when
complete, so an interrupted or failed run never leaves a half-written file. Temp
names carry the writer's process id, so a run killed outright (kill -9, power loss)
leaves files a later run recognises as stale and removes.

User files are read through read_input: bounded, and only regular files, so no
input (/dev/zero, a FIFO, a huge file) can make a command read forever.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
import unicodedata
from pathlib import Path

from voiceguide.errors import RoutineError, VoiceguideError
from voiceguide.limits import MAX_INPUT_BYTES

TEMP_SUFFIX = ".part"
TEMP_MARK = ".voiceguide-"  # temp files are named .TARGET.XXXXXXXX.voiceguide-PID.part
_TEMP_NAME = re.compile(r"^\..*\.voiceguide-(\d+)\.part$")
NAME_MAX = 255  # bytes in one file name on Linux, macOS and Windows file systems alike
_swept: set[Path] = set()  # folders this process has already cleared of stale temp files


def read_input(path: Path, what: str) -> bytes:
    """The bytes of a user's routine or article file: a regular file of at most MAX_INPUT_BYTES.

    Opened without blocking, so a FIFO with no writer cannot hang us, and read with a cap,
    so /dev/zero or a runaway file fails at once with the limit named.
    """
    source = str(path)
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise RoutineError(source, None, "no such file") from None
    except IsADirectoryError:
        raise RoutineError(source, None, f"is a directory, not {what}") from None
    except OSError as exc:
        raise RoutineError(source, None, f"cannot read: {exc.strerror or exc}") from None
    mode = os.fstat(descriptor).st_mode
    if not stat.S_ISREG(mode):
        os.close(descriptor)
        if stat.S_ISDIR(mode):
            raise RoutineError(source, None, f"is a directory, not {what}")
        raise RoutineError(source, None, f"is a device or pipe, not {what} (give a regular file)")
    with os.fdopen(descriptor, "rb") as handle:
        try:
            data = handle.read(MAX_INPUT_BYTES + 1)
        except OSError as exc:
            raise RoutineError(source, None, f"cannot read: {exc.strerror or exc}") from None
    if len(data) > MAX_INPUT_BYTES:
        raise RoutineError(source, None, f"is larger than {MAX_INPUT_BYTES // 2**20} MiB, the limit for {what}")
    return data


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def sweep_stale(folder: Path) -> None:
    """Remove temp files in folder left by voiceguide runs whose process is gone (killed, crashed)."""
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        match = _TEMP_NAME.match(name)
        if match and int(match[1]) != os.getpid() and not _alive(int(match[1])):
            with contextlib.suppress(OSError):  # another run got there first, or a read-only folder: harmless
                (folder / name).unlink()


def _temp_prefix(target: Path, suffix: str) -> str:
    """'.TARGET.', shortened so the whole temp name fits NAME_MAX bytes (8 random characters between)."""
    room = NAME_MAX - len(suffix.encode()) - 8 - 2
    name = target.name.encode()[:room].decode("utf-8", errors="ignore")
    return f".{name}."


def _new_file_mode(target: Path) -> int:
    """The target's current permissions, or those of a new file under the user's umask."""
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def check_target(target: Path) -> Path:
    """The target, if a file can be made there; else an error that says what to do instead."""
    if target.is_dir():
        raise VoiceguideError(f"cannot write {target}: it is a folder; give a file name, like {target / 'name'}{target.suffix}")
    folder = target.parent
    if not folder.is_dir():
        raise VoiceguideError(f"cannot write {target}: the folder {folder} does not exist (create it: mkdir -p {folder})")
    return target


class Staging:
    """Temp files beside their targets: renamed into place by commit(), removed by discard().

    durable=True (outputs the user keeps) fsyncs data and folder so a crash right after
    the rename cannot leave an empty file; caches skip that cost.
    """

    def __init__(self, durable: bool = True) -> None:
        self.durable = durable
        self._files: list[tuple[Path, Path]] = []
        self._scratch: list[Path] = []

    def temp_for(self, target: Path) -> Path:
        check_target(target)
        folder = target.parent
        if folder.resolve() not in _swept:
            _swept.add(folder.resolve())
            sweep_stale(folder)
        suffix = f"{TEMP_MARK}{os.getpid()}{TEMP_SUFFIX}"
        try:
            handle, name = tempfile.mkstemp(dir=folder, prefix=_temp_prefix(target, suffix), suffix=suffix)
        except OSError as exc:
            raise VoiceguideError(f"cannot write {target}: {exc.strerror or exc}") from None
        os.close(handle)
        self._files.append((Path(name), target))
        return Path(name)

    def scratch_for(self, target: Path) -> Path:
        """A temp file beside target for work on the way to it: removed by commit() and discard() alike."""
        path = self.temp_for(target)
        self._files.pop()
        self._scratch.append(path)
        return path

    def commit(self) -> None:
        for temp, target in self._files:
            if self.durable:
                with open(temp, "rb+") as handle:
                    os.fsync(handle.fileno())  # the data is on disk before the name points at it
            os.chmod(temp, _new_file_mode(target))  # temp files are private; the output is not
            os.replace(temp, target)
        if self.durable:
            for directory in {target.parent for _, target in self._files}:
                descriptor = os.open(directory, os.O_RDONLY)
                try:
                    os.fsync(descriptor)
                finally:
                    os.close(descriptor)
        self._files.clear()
        self._remove_scratch()

    def discard(self) -> None:
        for temp, _ in self._files:
            temp.unlink(missing_ok=True)
        self._files.clear()
        self._remove_scratch()

    def _remove_scratch(self) -> None:
        for path in self._scratch:
            path.unlink(missing_ok=True)
        self._scratch.clear()


def write_atomic(target: Path, data: str | bytes, durable: bool = True) -> None:
    """Write text (UTF-8) or bytes to target whole, or leave target as it was."""
    staging = Staging(durable)
    try:
        temp = staging.temp_for(target)
        if isinstance(data, str):
            temp.write_text(data, encoding="utf-8")
        else:
            temp.write_bytes(data)
        staging.commit()
    except OSError as exc:
        raise VoiceguideError(f"cannot write {target}: {exc.strerror or exc}") from None
    finally:
        staging.discard()


def decode_text(data: bytes | str, source: str) -> str:
    """A user's text file (routine or article) as str: UTF-8 (a BOM allowed), no NUL bytes,
    Unicode-normalized (NFKC) with plain line ends. Anything else is a RoutineError naming the line."""
    if isinstance(data, bytes):
        if b"\x00" in data:  # binary: say so before any decoding complaint
            line = data.count(b"\n", 0, data.index(b"\x00")) + 1
            raise RoutineError(source, line, "not a text file (it contains NUL bytes)")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            raise RoutineError(source, line, f"not UTF-8 text (bad byte 0x{data[exc.start]:02x})") from None
    else:
        text = data
    if "\x00" in text:
        raise RoutineError(source, text.count("\n", 0, text.index("\x00")) + 1, "not a text file (it contains NUL bytes)")
    return unicodedata.normalize("NFKC", text).replace("\r\n", "\n").replace("\r", "\n")
