"""voiceguide publish (issue 31): a programme as a podcast feed that a feed parser reads, renders cached by key."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import feedparser
import jsonschema
import pytest
from mutagen.id3 import ID3

from tests.conftest import ROOT, cli
from voiceguide import api

pytestmark = [pytest.mark.espeak, pytest.mark.ffmpeg]
FOUR_WEEKS = ROOT / "tests" / "programs" / "four-weeks.yaml"
SHORT = ROOT / "tests" / "routines" / "short.yaml"
# Podcasting 2.0 JSON chapters, version 1.2.0: what a podcast app reads (the fields voiceguide writes).
CHAPTERS_SCHEMA = {
    "type": "object",
    "required": ["version", "chapters"],
    "properties": {
        "version": {"const": "1.2.0"},
        "chapters": {"type": "array", "minItems": 1, "items": {
            "type": "object", "required": ["startTime"],
            "properties": {"startTime": {"type": "number", "minimum": 0}, "endTime": {"type": "number"}, "title": {"type": "string"}},
        }},
    },
}  # fmt: skip


def programme_copy(folder: Path) -> Path:
    """The four-week programme where a test may change it: its routines named by absolute path."""
    text = FOUR_WEEKS.read_text().replace("../routines/short.yaml", str(SHORT))
    path = folder / "four-weeks.yaml"
    path.write_text(text)
    return path


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str], Path]:
    work = tmp_path_factory.mktemp("publish")
    lines: list[str] = []
    program = programme_copy(work)
    api.publish(program, work / "feed", report=lines.append)
    return work / "feed", lines, program


def test_twelve_episodes_with_chapters_and_transcripts_that_a_feed_parser_reads(published):
    folder, _, _ = published
    feed = feedparser.parse((folder / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.feed.title == "Four weeks of short sessions"
    assert len(feed.entries) == 12
    for entry in feed.entries:
        [enclosure] = entry.enclosures
        audio = folder / enclosure.href
        assert enclosure.type == "audio/mpeg"
        assert int(enclosure.length) == audio.stat().st_size
        assert audio.read_bytes()[:3] == b"ID3"
        assert "Exercises:" in entry.description
        chapters = json.loads((folder / entry.podcast_chapters["url"]).read_text())
        jsonschema.validate(chapters, CHAPTERS_SCHEMA)
        starts = [c["startTime"] for c in chapters["chapters"]]
        assert starts == sorted(starts)
        assert len(ID3(audio).getall("CHAP")) == len(chapters["chapters"])  # the MP3's chapters are the feed's
        assert int(entry.itunes_duration) == round(chapters["chapters"][-1]["endTime"])
        assert entry.podcast_transcript["type"] == "text/vtt"
        assert (folder / entry.podcast_transcript["url"]).read_text().startswith("WEBVTT")


def test_publication_dates_follow_the_programme_and_guids_are_distinct(published):
    folder, _, _ = published
    feed = feedparser.parse((folder / "feed.xml").read_bytes())
    days = [entry.published_parsed[:3] for entry in feed.entries]
    assert days[:3] == [(2025, 3, 3), (2025, 3, 5), (2025, 3, 7)]
    assert days[-1] == (2025, 3, 28)
    assert len({entry.id for entry in feed.entries}) == 12
    assert [entry.title for entry in feed.entries][:2] == ["Week 1, Monday: Short test routine", "Week 1, Wednesday: Quick neck release"]


def test_identical_sessions_render_once(published):
    _, lines, _ = published
    assert sum(line.endswith(": rendered") for line in lines) == 2  # the short routine and the neck release
    assert sum(": the same as " in line for line in lines) == 10


def test_the_cover_is_a_square_png_from_the_title(published):
    folder, _, _ = published
    data = (folder / "cover.png").read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert int.from_bytes(data[16:20], "big") == int.from_bytes(data[20:24], "big") == 1400


def test_republishing_after_changing_one_session_renders_only_that_one(published, tmp_path: Path):
    folder, _, program = published
    copy = tmp_path / "feed"
    shutil.copytree(folder, copy)
    before = feedparser.parse((copy / "feed.xml").read_bytes())
    lines: list[str] = []
    api.publish(program, copy, report=lines.append)
    assert all(line.endswith(": unchanged") for line in lines)
    assert [e.id for e in feedparser.parse((copy / "feed.xml").read_bytes()).entries] == [e.id for e in before.entries]  # stable
    changed = program.read_text().replace(
        "  - day: friday\n    routine: " + str(SHORT),
        f"  - day: friday\n    weeks: 1-3\n    routine: {SHORT}\n"
        f"  - day: friday\n    weeks: 4\n    routine: {SHORT}\n    settings: {{rest: 2}}",
    )
    edited = tmp_path / "edited.yaml"
    edited.write_text(changed)
    lines.clear()
    published_now = api.publish(edited, copy, report=lines.append)
    assert [line.split(":")[0][:6] for line in lines if line.endswith(": rendered")] == ["w4-fri"]
    assert (published_now.rendered, published_now.kept, published_now.removed) == (1, 11, 1)
    assert len(list(copy.glob("w4-fri-*.mp3"))) == 1  # the old render of that session is gone


def test_a_routine_publishes_as_a_one_episode_feed(tmp_path: Path):
    result = cli("publish", str(SHORT), "-o", str(tmp_path / "one"), "--brief", "--rest", "1")
    assert result.returncode == 0, result.stderr
    assert "1 episode (1 rendered, 0 kept)" in result.stdout
    feed = feedparser.parse((tmp_path / "one" / "feed.xml").read_bytes())
    assert [entry.title for entry in feed.entries] == ["Short test routine"]


def test_publishing_into_a_file_is_one_line(tmp_path: Path):
    (tmp_path / "x").write_text("")
    result = cli("publish", str(SHORT), "-o", str(tmp_path / "x"))
    assert result.returncode == 2
    assert result.stderr == f"voiceguide: {tmp_path / 'x'}: not a folder (publish writes a feed and its episodes into a folder)\n"


def test_two_sessions_on_one_day_are_two_episodes(tmp_path: Path):
    programme = tmp_path / "twice.yaml"
    programme.write_text(f"program: Twice\nweeks: 1\nsessions:\n  - {{day: monday, routine: {SHORT}}}\n"
                         f"  - {{day: monday, routine: {SHORT}}}\n")
    published = api.publish(programme, tmp_path / "feed", brief=True, rest=1)
    feed = feedparser.parse((tmp_path / "feed" / "feed.xml").read_bytes())
    assert published.episodes == 2
    assert len({entry.id for entry in feed.entries}) == 2
    assert len({entry.enclosures[0].href for entry in feed.entries}) == 2


def test_an_episode_file_cut_short_is_rendered_again_not_kept(tmp_path: Path):
    folder = tmp_path / "feed"
    api.publish(SHORT, folder, brief=True, rest=1)
    [audio] = folder.glob("*.mp3")
    whole = audio.read_bytes()
    audio.write_bytes(whole[:1000])
    report: list[str] = []
    api.publish(SHORT, folder, brief=True, rest=1, report=report.append)
    assert report == [f"{audio.stem}: rendered"]
    assert audio.stat().st_size > len(whole) // 2  # whole again (a render need not be byte for byte the first)
    [entry] = feedparser.parse((folder / "feed.xml").read_bytes()).entries
    assert int(entry.enclosures[0].length) == audio.stat().st_size


def test_the_files_of_an_interrupted_publish_go_at_the_next(tmp_path: Path):
    """A publish stopped part way records each episode before rendering it, so the next publish knows its files."""
    folder = tmp_path / "feed"
    api.publish(SHORT, folder, brief=True, rest=1)
    record = json.loads((folder / ".voiceguide-feed.json").read_text())
    stray = "w1-d2-0123456789ab"  # as a run with other options would have named it, stopped before its feed
    record["episodes"].append(stray)
    (folder / ".voiceguide-feed.json").write_text(json.dumps(record))
    for suffix in (".mp3", ".vtt", ".chapters.json"):
        (folder / f"{stray}{suffix}").write_text("part of an interrupted publish")
    api.publish(SHORT, folder, brief=True, rest=1)
    assert not list(folder.glob(f"{stray}*"))


def test_an_episode_is_recorded_before_it_is_rendered(tmp_path: Path):
    import datetime

    from voiceguide.publishing.feed import Channel
    from voiceguide.publishing.folder import MANIFEST, Planned, publish_folder

    def stopped(target: Path) -> None:
        target.write_text("half an episode")
        raise KeyboardInterrupt

    session = Planned("w1-mon", "0123456789ab", "T", "D", datetime.datetime(2026, 1, 5, tzinfo=datetime.timezone.utc), 1, 1, stopped)
    with pytest.raises(KeyboardInterrupt):
        publish_folder(tmp_path, Channel("T", "D", "en"), [session], datetime.date(2026, 1, 5))
    assert json.loads((tmp_path / MANIFEST).read_text())["episodes"] == ["w1-mon-0123456789ab"]


@pytest.mark.slow  # renders two sessions
def test_a_german_programmes_feed_speaks_german_in_its_titles_and_descriptions(tmp_path: Path):
    programme = tmp_path / "nacken.yaml"
    programme.write_text("program: Nacken\nweeks: 1\nsessions:\n  - {day: monday, routine: nacken-kurz}\n"
                         "  - {day: friday, routine: nacken-kurz, settings: {rate: 170}}\n")
    api.publish(programme, tmp_path / "feed", brief=True, rest=1)
    feed = feedparser.parse((tmp_path / "feed" / "feed.xml").read_bytes())
    assert feed.feed.language == "de"
    assert feed.feed.description == "Nacken: 2 Einheiten in 1 Woche."
    titles = sorted(entry.title for entry in feed.entries)
    assert titles == ["Woche 1, Freitag: Kurze Nackenlockerung", "Woche 1, Montag: Kurze Nackenlockerung"]
    assert all("Übungen: Kopfdrehen" in entry.description for entry in feed.entries)
