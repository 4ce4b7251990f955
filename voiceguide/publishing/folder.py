"""A published folder: the episodes' files, the feed, the cover and what publish remembers between runs.

Each episode's files are named after its place in the programme and its render key
(`w1-mon-3fa2b9c1d0e4.mp3`, with .vtt, .srt, .json, .html and .chapters.json beside it), so a
name never changes its bytes: an episode whose files are there is not rendered again, one whose
session is identical to another's is linked to that one's files, and only the rest are rendered.
The feed is written last, then the files no episode names any more are removed: an interrupted
publish leaves the old feed with all it names. `.voiceguide-feed.json` keeps the programme's
start (when it names none), the feed's id and the server's path secret across runs, every
episode a publish began (so the next one removes an interrupted run's files), and each published
file's size (a file changed since, cut short say, is rendered again).
"""

from __future__ import annotations

import contextlib
import datetime
import json
import os
import secrets
import shutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import quote

from voiceguide.errors import VoiceguideError
from voiceguide.files import Staging, write_atomic
from voiceguide.publishing.cover import cover_png
from voiceguide.publishing.feed import COVER_NAME, FEED_NAME, Channel, Episode, chapters_json, feed_xml

MANIFEST = ".voiceguide-feed.json"
RENDERED = (".mp3", ".vtt", ".srt", ".json", ".html")  # what a render writes for an episode
CHAPTERS = ".chapters.json"


@dataclass(frozen=True)
class Planned:
    """A session to publish: its place, its key, its words, and how to render it when its files are not there."""

    slot: str
    key: str
    title: str
    description: str
    published: datetime.datetime
    season: int
    number: int
    render: Callable[[Path], object]  # writes the MP3 at the path given, with RENDERED's companions beside it


@dataclass(frozen=True)
class Published:
    feed: Path
    episodes: int
    rendered: int  # sessions rendered this time
    kept: int  # episodes whose files were there or were another's
    removed: int  # episodes of an earlier publish that are gone


@dataclass(frozen=True)
class Memory:
    """What a folder remembers between publishes."""

    feed_id: str
    secret: str  # the server's path prefix: unguessable, and the same each time, so a subscription lasts
    start: datetime.date | None = None
    stems: tuple[str, ...] = ()  # the episodes it published, and any a publish began rendering (so an interrupted one's go)
    sizes: tuple[tuple[str, int], ...] = ()  # each published file's size: a file changed since is rendered again

    def to_json(self) -> str:
        start = self.start.isoformat() if self.start else None
        record = {"feed": self.feed_id, "secret": self.secret, "start": start, "episodes": list(self.stems), "sizes": dict(self.sizes)}
        return json.dumps(record, indent=2) + "\n"


def memory(folder: Path) -> Memory:
    """The folder's memory, or a new one (a new feed id and secret) for a folder never published to."""
    try:
        found = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        start = datetime.date.fromisoformat(found["start"]) if found.get("start") else None
        sizes = tuple((str(name), int(size)) for name, size in dict(found.get("sizes") or {}).items())
        return Memory(str(found["feed"]), str(found["secret"]), start, tuple(str(s) for s in found.get("episodes", ())), sizes)
    except FileNotFoundError:
        return Memory(str(uuid.uuid4()), secrets.token_urlsafe(16))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise VoiceguideError(
            f"{folder / MANIFEST}: not voiceguide's record of this feed ({exc}); remove it to start the feed anew"
        ) from None


def published_names(folder: Path) -> set[str]:
    """The names of the files publish wrote here (as its record says): each episode's files, the cover, the feed."""
    stems = memory(folder).stems
    return {FEED_NAME, COVER_NAME, *(name for stem in stems for name in _files(stem))}


def publish_folder(
    folder: Path, channel: Channel, planned: list[Planned], start: datetime.date, report: Callable[[str], None] | None = None
) -> Published:
    remembered = memory(folder)
    done: dict[str, str] = {}  # key -> the stem whose files hold that render
    episodes: list[Episode] = []
    rendered = kept = 0
    recorded = dict(remembered.sizes)
    begun = list(remembered.stems)
    for session in planned:
        stem = f"{session.slot}-{session.key}"
        if stem not in begun:  # recorded before its files are written: a publish stopped part way leaves none unknown
            begun.append(stem)
            write_atomic(folder / MANIFEST, replace(remembered, stems=tuple(begun)).to_json())
        if _complete(folder, stem, recorded):
            kept += 1
            said = "unchanged"
        elif session.key in done:
            _link(folder, done[session.key], stem)
            kept += 1
            said = f"the same as {done[session.key]}"
        else:
            session.render(folder / f"{stem}.mp3")
            rendered += 1
            said = "rendered"
        if report is not None:
            report(f"{stem}: {said}")
        done.setdefault(session.key, stem)
        episodes.append(_episode(folder, stem, session, remembered.feed_id))
    write_atomic(folder / COVER_NAME, cover_png(channel.title))
    write_atomic(folder / FEED_NAME, feed_xml(channel, episodes))
    stems = tuple(f"{s.slot}-{s.key}" for s in planned)
    gone = [stem for stem in begun if stem not in stems]
    for stem in gone:
        for name in _files(stem):
            with contextlib.suppress(FileNotFoundError):
                (folder / name).unlink()
    sizes = tuple((name, (folder / name).stat().st_size) for stem in stems for name in _files(stem))
    write_atomic(folder / MANIFEST, Memory(remembered.feed_id, remembered.secret, start, stems, sizes).to_json())
    return Published(folder / FEED_NAME, len(episodes), rendered, kept, len(gone))


def _files(stem: str) -> list[str]:
    """The names of an episode's files: its audio, captions, timeline, page and chapters."""
    return [f"{stem}{suffix}" for suffix in (*RENDERED, CHAPTERS)]


def _complete(folder: Path, stem: str, recorded: dict[str, int]) -> bool:
    """Whether an episode's files are all there, each as large as when it was published (a file cut short is not)."""
    for name in _files(stem):
        try:
            size = (folder / name).stat().st_size
        except OSError:
            return False
        if recorded.get(name, size) != size:
            return False
    return True


def _link(folder: Path, source: str, stem: str) -> None:
    """Another episode's files as this one's: hard links where the file system has them, else copies; its page
    plays its own audio file (the page names the audio beside it)."""
    staging = Staging()
    try:
        for suffix in (*RENDERED, CHAPTERS):
            temp = staging.temp_for(folder / f"{stem}{suffix}")
            if suffix == ".html":
                page = (folder / f"{source}.html").read_text(encoding="utf-8")
                temp.write_text(page.replace(f'src="{quote(source)}.mp3"', f'src="{quote(stem)}.mp3"'), encoding="utf-8")
                continue
            temp.unlink()
            try:
                os.link(folder / f"{source}{suffix}", temp)
            except OSError:
                shutil.copyfile(folder / f"{source}{suffix}", temp)
        staging.commit()
    except OSError as exc:
        raise VoiceguideError(f"cannot write {folder / stem}.mp3: {exc.strerror or exc}") from None
    finally:
        staging.discard()


def _episode(folder: Path, stem: str, session: Planned, feed_id: str) -> Episode:
    """The episode's entry, from the timeline its audio was mixed from (the .json beside it); writes its JSON chapters."""
    try:
        timeline = json.loads((folder / f"{stem}.json").read_text(encoding="utf-8"))
        size = (folder / f"{stem}.mp3").stat().st_size
    except (OSError, ValueError) as exc:
        raise VoiceguideError(f"cannot read {folder / stem}.json: {exc}") from None
    chapters = folder / f"{stem}{CHAPTERS}"
    text = chapters_json(session.title, timeline["chapters"])
    if not chapters.is_file() or chapters.read_text(encoding="utf-8") != text:
        write_atomic(chapters, text)
    return Episode(
        guid=f"urn:voiceguide:{feed_id}:{stem}", title=session.title, description=session.description,
        published=session.published, audio=f"{stem}.mp3", size=size, seconds=float(timeline["total"]),
        page=f"{stem}.html", transcript=f"{stem}.vtt", chapters=chapters.name, season=session.season, number=session.number,
    )
