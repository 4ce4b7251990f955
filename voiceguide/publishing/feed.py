"""The podcast feed: RSS 2.0 with the iTunes and Podcasting 2.0 namespaces, and Podcasting 2.0 JSON chapters.

Written with the standard library's ElementTree. Every URL in the written feed is relative to
the feed itself, so the folder can be served from anywhere; podcast apps want absolute URLs,
which `absolute` gives for the address a request came to (voiceguide serve).
"""

from __future__ import annotations

import datetime
import email.utils
import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from urllib.parse import quote, urljoin

ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"
PODCAST = "https://podcastindex.org/namespace/1.0"
ET.register_namespace("itunes", ITUNES)
ET.register_namespace("podcast", PODCAST)
CHAPTERS_VERSION = "1.2.0"  # Podcasting 2.0's JSON chapters format
CHAPTERS_TYPE = "application/json+chapters"
TRANSCRIPT_TYPE = "text/vtt"
AUDIO_TYPE = "audio/mpeg"
FEED_NAME = "feed.xml"
COVER_NAME = "cover.png"
CATEGORY = "Health & Fitness"


@dataclass(frozen=True)
class Episode:
    guid: str  # stable while the session's audio is: the programme's place and the render key
    title: str
    description: str  # its exercises, and the options a progression changed
    published: datetime.datetime
    audio: str  # file names beside the feed
    size: int  # the audio's bytes, as the enclosure says
    seconds: float
    page: str
    transcript: str
    chapters: str
    season: int  # the programme's week
    number: int  # the session's place in the programme


@dataclass(frozen=True)
class Channel:
    title: str
    description: str
    language: str
    author: str = "voiceguide"


def feed_xml(channel: Channel, episodes: list[Episode]) -> bytes:
    rss = ET.Element("rss", {"version": "2.0"})
    head = ET.SubElement(rss, "channel")
    _text(head, "title", channel.title)
    _text(head, "link", episodes[0].page if episodes else FEED_NAME)
    _text(head, "description", channel.description)
    _text(head, "language", channel.language)
    _text(head, "generator", "voiceguide")
    image = ET.SubElement(head, "image")
    for tag, value in (("url", COVER_NAME), ("title", channel.title), ("link", episodes[0].page if episodes else FEED_NAME)):
        _text(image, tag, value)
    ET.SubElement(head, f"{{{ITUNES}}}image", {"href": COVER_NAME})
    _text(head, f"{{{ITUNES}}}author", channel.author)
    _text(head, f"{{{ITUNES}}}summary", channel.description)
    ET.SubElement(head, f"{{{ITUNES}}}category", {"text": CATEGORY})
    _text(head, f"{{{ITUNES}}}explicit", "false")
    _text(head, f"{{{ITUNES}}}type", "serial")  # a programme is followed in order, oldest first
    _text(head, f"{{{ITUNES}}}block", "Yes")  # private: never listed in a directory
    for episode in episodes:
        _item(head, episode)
    ET.indent(rss)
    return ET.tostring(rss, encoding="utf-8", xml_declaration=True) + b"\n"


def _item(head: ET.Element, episode: Episode) -> None:
    item = ET.SubElement(head, "item")
    _text(item, "title", episode.title)
    _text(item, "description", episode.description)
    _text(item, "link", quote(episode.page))
    _text(item, "guid", episode.guid).set("isPermaLink", "false")
    _text(item, "pubDate", email.utils.format_datetime(episode.published))
    ET.SubElement(item, "enclosure", {"url": quote(episode.audio), "length": str(episode.size), "type": AUDIO_TYPE})
    _text(item, f"{{{ITUNES}}}title", episode.title)
    _text(item, f"{{{ITUNES}}}duration", str(round(episode.seconds)))
    _text(item, f"{{{ITUNES}}}season", str(episode.season))
    _text(item, f"{{{ITUNES}}}episode", str(episode.number))
    _text(item, f"{{{ITUNES}}}episodeType", "full")
    ET.SubElement(item, f"{{{PODCAST}}}chapters", {"url": quote(episode.chapters), "type": CHAPTERS_TYPE})
    ET.SubElement(item, f"{{{PODCAST}}}transcript", {"url": quote(episode.transcript), "type": TRANSCRIPT_TYPE})


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = text
    return element


URL_ATTRIBUTES = {"enclosure": "url", f"{{{PODCAST}}}chapters": "url", f"{{{PODCAST}}}transcript": "url", f"{{{ITUNES}}}image": "href"}


def absolute(feed: bytes, base: str) -> bytes:
    """The feed with every URL in it made absolute on `base` (the folder's address, ending in /)."""
    rss = ET.fromstring(feed)
    for element in rss.iter():
        attribute = URL_ATTRIBUTES.get(element.tag)
        if attribute is not None and attribute in element.attrib:
            element.set(attribute, urljoin(base, element.attrib[attribute]))
        if element.tag in ("link", "url") and element.text:
            element.text = urljoin(base, element.text)
    return ET.tostring(rss, encoding="utf-8", xml_declaration=True) + b"\n"


def chapters_json(title: str, chapters: list[dict]) -> str:
    """Podcasting 2.0 JSON chapters (version 1.2.0) of the timeline's chapters (its JSON's: title, start, end):
    one per exercise and side."""
    return json.dumps(
        {
            "version": CHAPTERS_VERSION,
            "title": title,
            "chapters": [
                {"startTime": round(c["start"], 3), "endTime": round(c["end"], 3), "title": c["title"]} for c in chapters
            ],
        },
        indent=2, ensure_ascii=False,
    ) + "\n"
