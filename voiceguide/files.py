"""Files in and out: user text read one way, outputs written whole or not at all.

Every file voiceguide writes (rendered audio, captions, imported routines, cached
clips) goes to a temp file beside its target and is renamed into place only when
complete, so an interrupted or failed run never leaves a half-written file. Temp
names carry the writer's process id, so a run killed outright (kill -9, power loss)
leaves files a later run recognises as stale and removes.

Outputs are regular files (check_target, before any work): a name that is a symlink
is followed, and the file it points at is replaced atomically by a temp file in that
file's own folder, so the link stays a link and shows the new content (as `echo > LINK`
would). A device, FIFO or socket is refused with one line, never written to as a stream
and never renamed over: `-o /dev/null` run as root would otherwise replace /dev/null
with a regular file, and a FIFO with no reader would hang a render at its end.
An output that is the same file as one of the command's inputs (same device and inode,
links followed) is refused before any work too (check_not_input), so the input stays.

User files are read through read_input: bounded, and only regular files, so no
input (/dev/zero, a FIFO, a huge file) can make a command read forever.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import tempfile
import unicodedata
from collections.abc import Iterable
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


def _special_kind(mode: int) -> str | None:
    """What a file that is neither a regular file nor a folder is, in a user's words; None for those two."""
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISFIFO(mode):
        return "a pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return None


def require_file(path: Path, what: str) -> None:
    """A one-line error unless path is a regular file (links followed): says what it is instead.
    what names the input ("cue sound 'bell'")."""
    try:
        mode = os.stat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        raise VoiceguideError(f"{path}: {what} is missing") from None
    except OSError as exc:
        raise VoiceguideError(f"{path}: {what} cannot be read: {exc.strerror or exc}") from None
    if stat.S_ISDIR(mode):
        raise VoiceguideError(f"{path}: {what} is a folder, not a sound file")
    kind = _special_kind(mode)
    if kind is not None:
        raise VoiceguideError(f"{path}: {what} is {kind}, not a sound file")


def written_path(target: Path) -> Path:
    """The file writing target replaces: the file a symlink points at (every link followed), else target itself."""
    return Path(os.path.realpath(target)) if target.is_symlink() else target


def check_target(target: Path) -> Path:
    """The target, if a file can be made there; else an error that says what to do instead.

    A symlink is followed (its file is the one replaced); a device, pipe or socket is refused.
    """
    try:
        mode: int | None = os.stat(target).st_mode  # follows symlinks: the file a write would replace
    except (FileNotFoundError, NotADirectoryError):
        mode = None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise VoiceguideError(f"cannot write {target}: its symlinks point round in a loop; give a file path") from None
        raise VoiceguideError(f"cannot write {target}: {exc.strerror or exc}") from None
    if mode is not None and stat.S_ISDIR(mode):
        raise VoiceguideError(f"cannot write {target}: it is a folder; give a file name, like {target / 'name'}{target.suffix}")
    kind = _special_kind(mode) if mode is not None else None
    if kind is not None:
        raise VoiceguideError(f"cannot write {target}: it is {kind}, not a file; give a file path")
    folder = written_path(target).parent
    if not folder.is_dir():
        raise VoiceguideError(f"cannot write {target}: the folder {folder} does not exist (create it: mkdir -p {folder})")
    return target


def check_not_input(outputs: Iterable[Path], inputs: Iterable[tuple[Path, str]]) -> None:
    """Refuse to write any of outputs that is one of the inputs (path, what it is): the same file by device
    and inode, links followed, so a hard link or a symlink to an input is caught too. An output that does
    not exist yet is no input."""
    existing = []
    for output in outputs:
        with contextlib.suppress(OSError):  # no such file (yet): nothing to overwrite
            found = os.stat(output)
            existing.append((output, (found.st_dev, found.st_ino)))
    if not existing:
        return
    for path, what in inputs:
        try:
            found = os.stat(path)
        except OSError:
            continue  # not a file on disk (a built-in, standard input): no output can be it
        for output, identity in existing:
            if identity == (found.st_dev, found.st_ino):
                same = "" if os.path.abspath(path) == os.path.abspath(output) else f" ({path})"
                raise VoiceguideError(
                    f"cannot write {output}: it is {what}{same}, which this command reads; give another output file"
                )


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
        """A temp file that commit() renames over target, or over the file target links to (the link stays)."""
        check_target(target)
        real = written_path(target)
        folder = real.parent
        if folder.resolve() not in _swept:
            _swept.add(folder.resolve())
            sweep_stale(folder)
        suffix = f"{TEMP_MARK}{os.getpid()}{TEMP_SUFFIX}"
        try:
            handle, name = tempfile.mkstemp(dir=folder, prefix=_temp_prefix(real, suffix), suffix=suffix)
        except OSError as exc:
            raise VoiceguideError(f"cannot write {target}: {exc.strerror or exc}") from None
        os.close(handle)
        self._files.append((Path(name), real))
        return Path(name)

    def scratch_for(self, target: Path) -> Path:
        """A temp file beside target for work on the way to it: removed by commit() and discard() alike."""
        path = self.temp_for(target)
        self._files.pop()
        self._scratch.append(path)
        return path

    def target_of(self, name: str | os.PathLike[str]) -> Path:
        """The file a user asked for that the temp file `name` becomes (name itself if it is no temp file):
        errors name what the user knows, never our temp files."""
        for temp, target in self._files:
            if Path(name) == temp:
                return target
        return Path(name)

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
    composed (NFC: not compatibility-folded, so "5²" stays five squared and "½" a half) with plain
    line ends. Anything else is a RoutineError naming the line."""
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
    return unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
