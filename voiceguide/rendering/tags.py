"""Metadata for rendered files: title, artist, album, and a chapter per exercise and side, in the session's language.

MP3 gets ID3v2.3 (the version every player reads) with CHAP frames and a CTOC;
OGG and FLAC get Vorbis comments with the CHAPTERnnn convention; WAV gets a RIFF
INFO list. An ID3 table of contents lists at most 255 entries, so a longer session's
chapters are grouped under sub-tables of 255 each (the chapter spec's nesting); the
Vorbis convention's three digits allow 999 chapters, checked before any work.
mutagen does the ID3 and Vorbis work: chapter frames, UTF-16 in v2.3 and Ogg page
rewriting are too fiddly to hand-write.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from voiceguide.clock import clock
from voiceguide.errors import VoiceguideError
from voiceguide.phrases import Labels
from voiceguide.routine import Routine
from voiceguide.timeline import Chapter, Timeline

if TYPE_CHECKING:
    from mutagen.flac import FLAC
    from mutagen.oggvorbis import OggVorbis

ARTIST = "voiceguide"
GENRE = "Speech"
TOC_ENTRIES = 255  # an ID3 CTOC frame counts its entries in one byte
VORBIS_CHAPTERS = 999  # CHAPTERnnn: three digits
# ID3's COMM frame names its language in ISO 639-2; a language not here is marked "und" (undetermined).
ID3_LANGUAGES = {"en": "eng", "de": "deu", "es": "spa", "fr": "fra", "it": "ita", "pt": "por", "nl": "nld", "pl": "pol"}


@dataclass(frozen=True)
class Tags:
    title: str
    album: str
    artist: str
    comment: str
    chapters: tuple[Chapter, ...]  # titled in the session's language: 'Nackendrehen (rechts)'
    total: float
    language: str = "eng"  # ISO 639-2, for ID3's comment
    grouped: str = "{first} to {last}"  # a sub-table's title in a long MP3's table of contents


def tags_for(timeline: Timeline, description: str | None, language: str | None = None) -> Tags:
    """The file's tags; chapter titles in the session's language (default: the timeline's)."""
    language = language or timeline.language
    labels = Labels(language)
    chapters = tuple(
        replace(chapter, title=title) for chapter, title in zip(timeline.chapters(), labels.chapter_titles(timeline), strict=True)
    )
    return Tags(
        timeline.title, timeline.title, ARTIST, description or "", chapters, timeline.total,
        ID3_LANGUAGES.get(labels.language.lower().split("-")[0], "und"), labels("{first} to {last}"),
    )  # fmt: skip


def check_chapter_count(routine: Routine, kind: str) -> None:
    """Before any work: the format can tag a chapter for every exercise and side."""
    count = sum(max(1, len(exercise.sides)) for exercise in routine.exercises)
    if kind in ("ogg", "flac") and count > VORBIS_CHAPTERS:
        raise VoiceguideError(
            f"{kind.upper()} chapter tags number at most {VORBIS_CHAPTERS}; this session has {count} "
            "(one per exercise and side): render to .mp3 or .wav"
        )


def write_tags(path: Path, kind: str, tags: Tags) -> None:
    """Tag the file at path, which holds audio of the given kind (mp3, ogg, flac, wav).

    A failed write (a full disk) is a one-line VoiceguideError; the file is then not used.
    """
    # mutagen is imported here, once the audio is encoded: importing it up front
    # would hold back the encoder's start (a render's critical path) by ~12 ms.
    from mutagen import MutagenError
    from mutagen.flac import FLAC
    from mutagen.oggvorbis import OggVorbis

    try:
        if kind == "mp3":
            _id3(path, tags)
        elif kind == "ogg":
            _vorbis(OggVorbis(str(path)), tags)
        elif kind == "flac":
            _vorbis(FLAC(str(path)), tags)
        else:
            _riff_info(path, tags)
    except (MutagenError, OSError) as exc:
        cause = exc.__cause__ if isinstance(exc.__cause__, OSError) else exc
        why = getattr(cause, "strerror", None) or str(cause) or type(cause).__name__
        raise VoiceguideError(f"cannot write the tags of {path.name}: {why}") from None


def _ms(seconds: float) -> int:
    return round(seconds * 1000)


def _id3(path: Path, tags: Tags) -> None:
    from mutagen.id3 import (
        CHAP,
        COMM,
        CTOC,
        ID3,
        TALB,
        TCON,
        TIT2,
        TLEN,
        TPE1,
        TSSE,
        CTOCFlags,
    )

    id3 = ID3()
    id3.add(TIT2(encoding=3, text=[tags.title]))
    id3.add(TPE1(encoding=3, text=[tags.artist]))
    id3.add(TALB(encoding=3, text=[tags.album]))
    id3.add(TCON(encoding=3, text=[GENRE]))
    id3.add(TLEN(encoding=3, text=[str(_ms(tags.total))]))
    id3.add(TSSE(encoding=3, text=[ARTIST]))
    if tags.comment:
        id3.add(COMM(encoding=3, lang=tags.language, desc="", text=[tags.comment]))
    ids = [f"chp{n}" for n in range(1, len(tags.chapters) + 1)]
    if len(ids) <= TOC_ENTRIES:
        top = ids
    else:  # grouped: the top table lists sub-tables, each listing up to 255 chapters
        groups = [ids[i : i + TOC_ENTRIES] for i in range(0, len(ids), TOC_ENTRIES)]
        top = [f"toc{n}" for n in range(1, len(groups) + 1)]
        for element_id, group in zip(top, groups, strict=True):
            first, last = tags.chapters[int(group[0][3:]) - 1], tags.chapters[int(group[-1][3:]) - 1]
            id3.add(CTOC(
                element_id=element_id, flags=CTOCFlags.ORDERED, child_element_ids=group,
                sub_frames=[TIT2(encoding=3, text=[tags.grouped.format(first=first.title, last=last.title)])],
            ))
    id3.add(CTOC(
        element_id="toc", flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED, child_element_ids=top,
        sub_frames=[TIT2(encoding=3, text=[tags.title])],
    ))
    for element_id, chapter in zip(ids, tags.chapters, strict=True):
        id3.add(CHAP(
            element_id=element_id, start_time=_ms(chapter.start), end_time=_ms(chapter.end),
            start_offset=0xFFFFFFFF, end_offset=0xFFFFFFFF,  # "use the times", per the chapter spec
            sub_frames=[TIT2(encoding=3, text=[chapter.title])],
        ))
    id3.save(str(path), v2_version=3)
    _chapters_in_time_order(path)


def _chapters_in_time_order(path: Path) -> None:
    """Put the CHAP frames in the order they play (mutagen orders frames by size).

    The chapter spec allows any order, but some readers, ffprobe among them, list
    chapters in file order. The tag's size does not change: frames only move.
    """
    with open(path, "r+b") as handle:
        header = handle.read(10)
        size = sum((byte & 0x7F) << (7 * (3 - i)) for i, byte in enumerate(header[6:10]))  # syncsafe
        body = handle.read(size)
        frames, chapters, offset = [], [], 0
        while offset + 10 <= len(body) and body[offset] != 0:
            length = 10 + struct.unpack(">I", body[offset + 4 : offset + 8])[0]  # v2.3: plain 32-bit sizes
            frame = body[offset : offset + length]
            if frame[:4] == b"CHAP":
                element_end = frame.index(b"\0", 10) + 1
                chapters.append((struct.unpack(">I", frame[element_end : element_end + 4])[0], frame))
            else:
                frames.append(frame)
            offset += length
        ordered = b"".join(frames + [frame for _, frame in sorted(chapters, key=lambda c: c[0])])
        handle.seek(10)
        handle.write(ordered + body[len(ordered) :])


def _vorbis(audio: FLAC | OggVorbis, tags: Tags) -> None:
    if audio.tags is None:
        audio.add_tags()
    comments = {"TITLE": tags.title, "ARTIST": tags.artist, "ALBUM": tags.album, "GENRE": GENRE}
    if tags.comment:
        comments["DESCRIPTION"] = tags.comment
    for n, chapter in enumerate(tags.chapters, start=1):
        comments[f"CHAPTER{n:03d}"] = clock(chapter.start, ".")
        comments[f"CHAPTER{n:03d}NAME"] = chapter.title
    kept = audio.tags
    assert kept is not None  # added above
    kept.clear()
    for key, value in comments.items():
        kept[key] = [value]
    audio.save()


def _riff_info(path: Path, tags: Tags) -> None:
    """Append a LIST/INFO chunk after the audio and fix the RIFF size to cover it."""
    fields = {b"INAM": tags.title, b"IART": tags.artist, b"IPRD": tags.album, b"IGNR": GENRE, b"ISFT": ARTIST}
    if tags.comment:
        fields[b"ICMT"] = tags.comment
    body = b"INFO"
    for key, value in fields.items():
        data = value.encode("utf-8") + b"\0"
        body += key + struct.pack("<I", len(data)) + data + (b"\0" if len(data) % 2 else b"")
    with open(path, "r+b") as handle:
        handle.seek(0, 2)
        if handle.tell() % 2:  # chunks start on even offsets
            handle.write(b"\0")
        handle.write(b"LIST" + struct.pack("<I", len(body)) + body)
        size = handle.tell()
        handle.seek(4)
        handle.write(struct.pack("<I", size - 8))
