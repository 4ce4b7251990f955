"""Files in and out: user text read one way, outputs written whole or not at all.

Every file voiceguide writes (rendered audio, captions, imported routines, cached
clips) goes to a temp file beside its target and is renamed into place only when
complete, so an interrupted or failed run never leaves a half-written file.
"""

from __future__ import annotations

import os
import tempfile
import unicodedata
from pathlib import Path

from voiceguide.errors import RoutineError, VoiceguideError

TEMP_SUFFIX = ".part"  # temp files are named .TARGET.XXXX.part


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

    def temp_for(self, target: Path) -> Path:
        check_target(target)
        try:
            handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=TEMP_SUFFIX)
        except OSError as exc:
            raise VoiceguideError(f"cannot write {target}: {exc.strerror or exc}") from None
        os.close(handle)
        self._files.append((Path(name), target))
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

    def discard(self) -> None:
        for temp, _ in self._files:
            temp.unlink(missing_ok=True)
        self._files.clear()


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
