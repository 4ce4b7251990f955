"""Headless Chromium for tests: Debian's chromium driven by chromium-driver over WebDriver (HTTP and JSON, urllib).

No selenium: the handful of WebDriver commands the page tests need fit here, and
chromedriver's CDP passthrough sets the viewport and media features exactly.
"""

from __future__ import annotations

import base64
import contextlib
import json
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from tests.conftest import HANG_GUARD

CHROMIUM = "/usr/bin/chromium"
SETUP_HINT = "install Debian's chromium and chromium-driver (scripts/setup.sh --test does)"
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-extensions", "--autoplay-policy=no-user-gesture-required",
]  # fmt: skip


class WebDriverError(RuntimeError):
    pass


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Browser:
    """One chromedriver process and one Chromium session in it."""

    LEFT, RIGHT = "\ue012", "\ue014"  # WebDriver's codes for the arrow keys

    def __init__(self, driver: str, profile: Path, log: IO[bytes]) -> None:
        self.port = _free_port()
        self._log = log  # chromedriver's output, for errors: the caller opens and closes it
        self._driver = subprocess.Popen(
            [driver, f"--port={self.port}"], stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.session = ""
        deadline = time.monotonic() + 120  # a hang guard
        while not self._ready():
            if self._driver.poll() is not None or time.monotonic() > deadline:
                self.close()
                raise WebDriverError(f"chromedriver did not start: {self.driver_log()}")
            time.sleep(0.05)
        capabilities = {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": CHROMIUM, "args": [*FLAGS, f"--user-data-dir={profile}"]},
            "goog:loggingPrefs": {"performance": "ALL"},  # every request the page makes, read back by requests()
        }
        try:
            self.session = self._call("POST", "/session", {"capabilities": {"alwaysMatch": capabilities}})["sessionId"]
        except BaseException:
            self.close()
            raise

    def _ready(self) -> bool:
        try:
            return bool(self._call("GET", "/status").get("ready"))
        except (OSError, WebDriverError):
            return False

    def _call(self, method: str, path: str, body: dict | None = None) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}", data=data, method=method, headers={"Content-Type": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=HANG_GUARD) as response:
                answer = json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as exc:
            error = json.loads(exc.read() or b"{}").get("value", {})
            raise WebDriverError(f"{method} {path}: {error.get('error')}: {error.get('message')}") from None
        return answer.get("value")

    def _session_call(self, method: str, path: str, body: dict | None = None) -> Any:
        return self._call(method, f"/session/{self.session}{path}", body)

    # --- the commands the tests use ----------------------------------------------

    def open(self, url: str) -> None:
        self._session_call("POST", "/url", {"url": url})

    def run(self, script: str, *args: object) -> object:
        """Run a function body in the page; its return value comes back as JSON."""
        return self._session_call("POST", "/execute/sync", {"script": script, "args": list(args)})

    def run_async(self, script: str, *args: object) -> object:
        """As run(), but the body calls its last argument (a callback) with the result."""
        return self._session_call("POST", "/execute/async", {"script": script, "args": list(args)})

    def keys(self, key: str) -> None:
        """Press and release a key, as a person at the keyboard would."""
        press = [{"type": "keyDown", "value": key}, {"type": "keyUp", "value": key}]
        self._session_call("POST", "/actions", {"actions": [{"type": "key", "id": "keyboard", "actions": press}]})

    def cdp(self, command: str, params: dict | None = None) -> object:
        return self._session_call("POST", "/goog/cdp/execute", {"cmd": command, "params": params or {}})

    def viewport(self, width: int, height: int, mobile: bool) -> None:
        self.cdp("Emulation.setDeviceMetricsOverride", {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})

    def screenshot(self, path: Path) -> Path:
        path.write_bytes(base64.b64decode(str(self._session_call("GET", "/screenshot"))))
        return path

    def requests(self) -> list[str]:
        """The URLs of every request the browser sent since the last call."""
        entries = self._session_call("POST", "/se/log", {"type": "performance"}) or []
        urls = []
        for entry in entries:
            message = json.loads(entry["message"])["message"]
            if message["method"] == "Network.requestWillBeSent":
                urls.append(message["params"]["request"]["url"])
        return urls

    def driver_log(self) -> str:
        self._log.seek(0)
        return self._log.read().decode(errors="replace")[-2000:]

    def close(self) -> None:
        if self.session:
            with contextlib.suppress(OSError, WebDriverError):
                self._call("DELETE", f"/session/{self.session}")
            self.session = ""
        if self._driver.poll() is None:
            self._driver.terminate()
            try:
                self._driver.wait(10)
            except subprocess.TimeoutExpired:
                self._driver.kill()
                self._driver.wait()


@contextlib.contextmanager
def chromium(profile: Path) -> Iterator[Browser]:
    """A headless Chromium with a fresh profile in `profile`; fails plainly when it is not installed."""
    driver = shutil.which("chromedriver")
    if driver is None or not Path(CHROMIUM).exists():
        raise WebDriverError(f"the page tests need headless Chromium: {SETUP_HINT}")
    with tempfile.TemporaryFile() as log:
        browser = Browser(driver, profile, log)
        try:
            yield browser
        finally:
            browser.close()
