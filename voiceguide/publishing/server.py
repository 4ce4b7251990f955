"""voiceguide serve: a published folder to the podcast apps on the local network, and nothing else.

werkzeug does the HTTP: its `send_file(conditional=True)` answers Range (206 with the bytes asked
for, 416 past the end), If-Range, ETags and If-Modified-Since as the RFCs say, which podcast
apps rely on to seek and resume; its threaded server lets a phone download one episode while it
reads the feed. (The standard library's http.server has no Range; an ASGI stack would bring an
event loop and two packages more for one folder of files.)

What it answers: GET and HEAD only; only the files directly in the folder that publish wrote
(as its record in the folder names them: audio, captions, chapters, pages, the cover, the feed), under a secret first path
segment (the folder's, kept by publish) so a neighbour on the network cannot find the sessions;
no listings, no hidden files, nothing whose real path (symlinks followed) leaves the folder:
anything else is 404. The feed is served with its URLs made absolute on the address the request
came to. Each request is one line of the log, its path with the secret left out.
"""

from __future__ import annotations

import datetime
import errno
import io
import secrets
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

from werkzeug.exceptions import HTTPException
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server
from werkzeug.utils import send_file
from werkzeug.wrappers import Request, Response

from voiceguide.errors import VoiceguideError
from voiceguide.printable import one_line
from voiceguide.publishing.feed import FEED_NAME, absolute
from voiceguide.publishing.folder import published_names

TYPES = {
    ".mp3": "audio/mpeg", ".vtt": "text/vtt", ".srt": "application/x-subrip", ".json": "application/json",
    ".html": "text/html", ".png": "image/png", ".xml": "application/rss+xml",
}  # fmt: skip
DEFAULT_PORT = 8770  # the same each time, like the secret, so the phone's subscription keeps working


class FeedServer:
    def __init__(self, folder: Path, secret: str, host: str, port: int, log: Callable[[str], None]) -> None:
        self.folder = folder.resolve()
        self.secret = secret
        check_address(host, port)  # werkzeug would print two lines of its own and exit 1
        try:
            self.server: BaseWSGIServer = make_server(host, port, self.app, threaded=True, request_handler=_handler(log, secret))
        except SystemExit:  # taken since the check: werkzeug has said why
            raise VoiceguideError(f"cannot serve on {host}:{port}") from None

    @property
    def address(self) -> str:
        host, port = self.server.server_address[:2]
        host = host.decode() if isinstance(host, bytes) else host
        return f"http://{host}:{port}/{self.secret}/{FEED_NAME}"

    def qr_code(self) -> str:
        """The address as a QR code drawn in text (two rows of modules a line), for the phone's camera."""
        import segno

        drawn = io.StringIO()
        segno.make(self.address, error="m").terminal(out=drawn, compact=True)
        return drawn.getvalue()

    def serve_forever(self) -> None:
        self.server.serve_forever(poll_interval=0.2)

    def shutdown(self) -> None:
        """Stop serve_forever (from another thread)."""
        self.server.shutdown()

    def close(self) -> None:
        self.server.server_close()

    def app(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        try:
            response = self.respond(request)
        except HTTPException as exc:  # a Range past the end (416, with the length), a malformed request (400)
            response = exc.get_response(environ)
        return response(environ, start_response)

    def respond(self, request: Request) -> Response:
        if request.method not in ("GET", "HEAD"):
            return Response("read-only: GET and HEAD\n", 405, headers={"Allow": "GET, HEAD"}, mimetype="text/plain")
        path = self.file(request.path)
        if path is None:
            return Response("not found\n", 404, mimetype="text/plain")
        if path.name == FEED_NAME:
            base = f"{request.host_url}{self.secret}/"
            feed = absolute(path.read_bytes(), base)
            response = Response(feed, mimetype=TYPES[".xml"])
            response.add_etag()
            return response.make_conditional(request, accept_ranges=True, complete_length=len(feed))
        return send_file(path, request.environ, mimetype=TYPES[path.suffix], conditional=True, max_age=0)

    def file(self, url_path: str) -> Path | None:
        """The file a request's (decoded) path names, if it may be served: `/SECRET/NAME`, NAME a published file here."""
        first = url_path[1:].split("/", 1)[0] if url_path.startswith("/") else ""
        if not secrets.compare_digest(first.encode(), self.secret.encode()):
            return None
        name = url_path[len(first) + 2 :]
        if not name or "/" in name or "\\" in name or "\x00" in name or name.startswith(".") or Path(name).suffix not in TYPES:
            return None
        try:
            published = published_names(self.folder)  # read each time: a publish may run while we serve
        except VoiceguideError:
            return None
        if name not in published:
            return None
        path = (self.folder / name).resolve()
        return path if path.parent == self.folder and path.is_file() else None


def check_address(host: str, port: int) -> None:
    """Raise VoiceguideError (one line) unless a server can listen on host:port."""
    if not 0 <= port <= 65535:
        raise VoiceguideError(f"--port {port}: a port is 1 to 65535, or 0 for any free one")
    try:
        family, kind, _, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except (socket.gaierror, UnicodeError) as exc:
        why = getattr(exc, "strerror", None) or exc
        raise VoiceguideError(f"cannot serve on {host!r}: not an address of this machine ({why})") from None
    with socket.socket(family, kind) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server binds
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise VoiceguideError(
                    f"cannot serve on {host}:{port}: the port is in use (another 'voiceguide serve'?); --port chooses another"
                ) from None
            raise VoiceguideError(f"cannot serve on {host}:{port}: {exc.strerror or exc}") from None


def _handler(log: Callable[[str], None], secret: str) -> type[WSGIRequestHandler]:
    class Handler(WSGIRequestHandler):
        """werkzeug's request handler with one line of our log for each request, as it is answered."""

        def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
            path = getattr(self, "path", "?").replace(secret, "…")
            asked = self.headers.get("Range") if getattr(self, "headers", None) else None
            when = datetime.datetime.now().strftime("%H:%M:%S")
            line = f"{when} {self.client_address[0]} {getattr(self, 'command', '?')} {path} {code}"
            line += f" {size} bytes" if size != "-" else ""
            log(one_line(line + (f" ({asked})" if asked else "")))

    return Handler


def local_address() -> str:
    """This machine's address on the local network: the one its route out leaves from (a UDP socket's
    connect sends nothing); 127.0.0.1 where there is no network."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 9))
            return str(probe.getsockname()[0])
        except OSError:
            return "127.0.0.1"
