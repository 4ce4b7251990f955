"""voiceguide serve (issue 31): a published folder over HTTP on 127.0.0.1 only: Range, read-only, nothing outside it."""

from __future__ import annotations

import http.client
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest

from tests.conftest import HANG_GUARD, ROOT
from voiceguide import api

pytestmark = [pytest.mark.espeak, pytest.mark.ffmpeg]
SHORT = ROOT / "tests" / "routines" / "short.yaml"


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = tmp_path_factory.mktemp("serve") / "feed"
    api.publish(SHORT, where, brief=True, rest=1)
    outside = where.parent / "secret.mp3"
    outside.write_bytes(b"not yours")
    (where / "link.mp3").symlink_to(outside)  # a symlink leading out of the folder
    return where


@pytest.fixture(scope="module")
def served(folder: Path):
    log: list[str] = []
    server = api.serve(folder, "127.0.0.1", 0, log=log.append)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, log
    server.shutdown()
    server.close()
    thread.join(timeout=10)


def ask(server, path: str, method: str = "GET", headers: dict | None = None) -> http.client.HTTPResponse:
    """The raw path as written (no client-side normalising of .. or %2e), to the server on 127.0.0.1."""
    address = urlsplit(server.address)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
    connection.request(method, path, headers=headers or {})
    response = connection.getresponse()
    response.body = response.read()
    connection.close()
    return response


def episode(folder: Path) -> Path:
    [audio] = [p for p in folder.glob("w1-*.mp3")]
    return audio


def test_a_range_request_is_answered_206_with_those_bytes(served, folder: Path):
    server, _ = served
    prefix = urlsplit(server.address).path.rsplit("/", 1)[0]
    audio = episode(folder)
    response = ask(server, f"{prefix}/{audio.name}", headers={"Range": "bytes=1000-1999"})
    assert response.status == 206
    assert response.body == audio.read_bytes()[1000:2000]
    assert response.getheader("Content-Range") == f"bytes 1000-1999/{audio.stat().st_size}"
    assert response.getheader("Content-Type") == "audio/mpeg"
    whole = ask(server, f"{prefix}/{audio.name}", method="HEAD")
    assert whole.status == 200
    assert int(whole.getheader("Content-Length")) == audio.stat().st_size


@pytest.mark.parametrize("asked", ["bytes=999999999-", "bytes=-0"])
def test_a_range_past_the_end_is_answered_416_with_the_length_not_an_error(served, folder: Path, asked: str):
    """A podcast app resuming a download it already has whole asks past the end: 416 and the length, as RFC 9110 says."""
    server, log = served
    prefix = urlsplit(server.address).path.rsplit("/", 1)[0]
    audio = episode(folder)
    response = ask(server, f"{prefix}/{audio.name}", headers={"Range": asked})
    assert response.status == 416
    assert response.getheader("Content-Range") == f"bytes */{audio.stat().st_size}"
    time.sleep(0.2)
    assert not any("Traceback" in line for line in log)


def test_only_what_publish_wrote_is_served_not_other_files_of_its_kinds(served, folder: Path):
    server, _ = served
    prefix = urlsplit(server.address).path.rsplit("/", 1)[0]
    for name in ("notes.json", "mine.html", "w1-mon-aaaaaaaaaaaa.mp3"):
        (folder / name).write_text("my own file, not for the network")
        try:
            assert ask(server, f"{prefix}/{name}").status == 404
        finally:
            (folder / name).unlink()
    assert ask(server, f"{prefix}/{episode(folder).with_suffix('.vtt').name}").status == 200


@pytest.mark.parametrize(
    ("where", "said"),
    [(["--port", "-1"], "--port -1: a port is 1 to 65535"), (["--port", "65536"], "--port 65536: a port is 1 to 65535"),
     (["--host", "999.1.1.1"], "cannot serve on '999.1.1.1': not an address of this machine"),
     (["--host", "127.0.0.1", "--port", "{taken}"], "the port is in use")],
)
def test_an_address_it_cannot_serve_on_is_one_line_and_exit_2(served, folder: Path, where: list[str], said: str):
    server, _ = served
    taken = str(urlsplit(server.address).port)
    result = subprocess.run(
        [sys.executable, "-m", "voiceguide", "serve", str(folder), *(arg.format(taken=taken) for arg in where)],
        capture_output=True, text=True, timeout=HANG_GUARD, cwd=ROOT,
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert said in result.stderr
    assert "Traceback" not in result.stderr


def test_the_served_feed_has_absolute_addresses_a_feed_parser_follows(served, folder: Path):
    server, _ = served
    feed = feedparser.parse(ask(server, urlsplit(server.address).path).body)
    [entry] = feed.entries
    [enclosure] = entry.enclosures
    assert enclosure.href == server.address.rsplit("/", 1)[0] + "/" + episode(folder).name
    assert ask(server, urlsplit(enclosure.href).path).body == episode(folder).read_bytes()


@pytest.mark.parametrize(
    "path",
    ["/{secret}/", "/{secret}", "/", "/{secret}/../{secret}/feed.xml", "/{secret}/%2e%2e/secret.mp3", "/{secret}/..%2fsecret.mp3",
     "/{secret}/link.mp3", "/{secret}/.voiceguide-feed.json", "/wrong-secret/feed.xml", "/{secret}/nothing.mp3", "/feed.xml"],
)
def test_nothing_outside_the_folder_no_listing_no_hidden_file_no_guessing(served, path: str):
    server, _ = served
    secret = urlsplit(server.address).path.split("/")[1]
    response = ask(server, path.format(secret=secret))
    assert response.status == 404
    assert b"not yours" not in response.body


def test_it_is_read_only(served):
    server, _ = served
    for method in ("PUT", "POST", "DELETE"):
        response = ask(server, urlsplit(server.address).path, method=method)
        assert response.status == 405
        assert response.getheader("Allow") == "GET, HEAD"


def test_each_request_is_one_line_of_the_log_without_the_secret(served):
    server, log = served
    before = len(log)
    ask(server, urlsplit(server.address).path, headers={"Range": "bytes=0-9"})
    time.sleep(0.2)  # the line is written as the answer is sent
    secret = urlsplit(server.address).path.split("/")[1]
    assert len(log) == before + 1
    assert " GET /…/feed.xml 206" in log[-1]
    assert secret not in log[-1]


def test_the_command_prints_the_address_and_a_qr_code_and_stops_on_ctrl_c(folder: Path):
    process = subprocess.Popen(
        [sys.executable, "-m", "voiceguide", "serve", str(folder), "--host", "127.0.0.1", "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=os.environ,
    )
    try:
        first = process.stdout.readline()
        assert first.startswith("serving ")
        address = first.split(" at ")[1].strip()
        qr = [process.stdout.readline() for _ in range(3)]
        assert all(set(line.strip()) <= set("█▀▄ ") for line in qr)
        response = ask(type("S", (), {"address": address})(), urlsplit(address).path, method="HEAD")
        assert response.status == 200
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=HANG_GUARD)
    finally:
        process.kill()
    assert process.returncode == 0, err
    assert out.rstrip().endswith("stopped")
    assert err == ""


@pytest.mark.slow  # a browser
def test_the_episode_page_opens_from_the_served_folder_and_plays(served, tmp_path_factory):
    """The feed's episode link is the session page; served, it plays the episode's audio beside it (issue 31)."""
    from tests.browser import chromium
    from tests.test_page import PLAY

    server, _ = served
    [entry] = feedparser.parse(ask(server, urlsplit(server.address).path).body).entries
    assert entry.link.startswith("http://127.0.0.1:")
    assert entry.link.endswith(".html")
    with chromium(tmp_path_factory.mktemp("chromium-profile")) as browser:
        browser.requests()  # forget the browser's own start-up
        browser.open(entry.link)
        assert browser.run("return document.body.dataset.state") == "ready"
        played = browser.run_async(PLAY)
        assert isinstance(played, float), f"the served episode did not play: {played}"
        assert played > 0, f"the served episode did not play: {played}"
        asked = [url for url in browser.requests() if url.startswith("http")]  # not data: or the browser's own pages
    base = server.address.rsplit("/", 1)[0]
    assert all(url.startswith(base) for url in asked), asked  # the page and its audio, from the folder alone
    assert any(url.endswith(".mp3") for url in asked), asked
