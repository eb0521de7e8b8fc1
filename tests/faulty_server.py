"""A misbehaving HTTP server for the fault tests: each path answers with the fault it is given.

A raw socket server on 127.0.0.1: a route is a function of the request's number on that path
(1, 2, …) giving the exact bytes written before the connection is closed, so a response can
be cut anywhere (with or without `Content-Length`, inside a chunked body), lie about its type,
ask for a delay, or redirect in circles. Paths are those of the site (`/news/1/`); the host
segment that `newsarchive.mirror` puts first (`/www.example.gr/news/1/`) is taken off.
"""

from __future__ import annotations

import os
import socketserver
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http import HTTPStatus

Route = Callable[[int], bytes]
"""The raw response to the n-th request (from 1) on a path."""

HTML = "text/html; charset=utf-8"


def response(
    status: int = 200,
    body: bytes = b"",
    *,
    content_type: str | None = HTML,
    headers: dict[str, str] | None = None,
    length: bool = True,
) -> bytes:
    """An HTTP/1.1 response ending with the connection; `length=False`: no Content-Length."""
    lines = [f"HTTP/1.1 {status} {HTTPStatus(status).phrase}"]
    if content_type:
        lines.append(f"Content-Type: {content_type}")
    if length:
        lines.append(f"Content-Length: {len(body)}")
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def chunked(body: bytes, *, chunk: int = 512, content_type: str = HTML) -> bytes:
    """A complete chunked response: chunks, then the zero-length one."""
    head = (
        f"HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\n"
        "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    ).encode("latin-1")
    parts = [body[i : i + chunk] for i in range(0, len(body), chunk)]
    return head + b"".join(b"%x\r\n%s\r\n" % (len(part), part) for part in parts) + b"0\r\n\r\n"


# --- routes ------------------------------------------------------------------------------------


def ok(body: bytes, content_type: str | None = HTML) -> Route:
    return lambda _n: response(200, body, content_type=content_type)


def cut_without_length(body: bytes, keep: float = 0.5) -> Route:
    """The connection closes part-way, and no Content-Length says the body was longer."""
    return lambda _n: response(200, body[: int(len(body) * keep)], length=False)


def cut_with_length(body: bytes, keep: float = 0.5) -> Route:
    """Content-Length announces the whole body; the connection closes part-way."""
    whole = response(200, body)
    return lambda _n: whole[: len(whole) - len(body) + int(len(body) * keep)]


def cut_chunked(body: bytes, keep: float = 0.5) -> Route:
    """A chunked body whose connection closes before the last chunk."""
    whole = chunked(body)
    return lambda _n: whole[: int(len(whole) * keep)]


def redirect(location: str, status: int = 302) -> Route:
    return lambda _n: response(status, b"", headers={"Location": location})


def retry_after(seconds: str, then: Route, *, status: int = 429, times: int = 1) -> Route:
    """`status` with `Retry-After: seconds` for the first `times` requests, then `then`."""

    def route(n: int) -> bytes:
        if n <= times:
            return response(status, b"slow down", headers={"Retry-After": seconds})
        return then(n - times)

    return route


def random_bytes(size: int = 6000, content_type: str = HTML) -> Route:
    noise = os.urandom(size)
    return lambda _n: response(200, noise, content_type=content_type)


CHALLENGE = b"""<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
<meta name="robots" content="noindex,nofollow"></head><body><div class="main-wrapper">
<div class="main-content"><h1 class="zone-name-title h1">www.example.gr</h1>
<h2 class="h2" id="challenge-running">Checking if the site connection is secure</h2>
<noscript><div id="challenge-error-title">Enable JavaScript and cookies to continue</div>
</noscript></div></div><script>(function(){window._cf_chl_opt={cvId: '3',cZone: 'www.example.gr',
cType: 'managed'};var a = document.createElement('script');
a.src = '/cdn-cgi/challenge-platform/h/g/orchestrate/chl_page/v1?ray=8a1b';
document.getElementsByTagName('head')[0].appendChild(a);}());</script></body></html>"""
"""A Cloudflare managed challenge, as served for every URL of a site behind it."""

CAPTCHA_WALL = b"""<html><head><title>Attention Required! | Cloudflare</title></head><body>
<h1>Sorry, you have been blocked</h1><p>Please complete the security check to access
www.example.gr</p><form id="challenge-form"><div class="cf-turnstile"></div></form></body></html>"""


def challenge(status: int = 200, page: bytes = CHALLENGE) -> Route:
    return lambda _n: response(status, page, headers={"Server": "cloudflare"})


# --- the server --------------------------------------------------------------------------------


@dataclass
class FaultyServer:
    """A running server: its base URL, and every request as (monotonic time, path)."""

    url: str
    routes: dict[str, Route]
    hits: list[tuple[float, str]] = field(default_factory=list)

    def times(self, path: str) -> list[float]:
        """When `path` was requested, in order."""
        return [when for when, hit in self.hits if hit == path]

    def paths(self) -> list[str]:
        return [path for _when, path in self.hits]


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128


def _handler(server: FaultyServer, lock: threading.Lock) -> type[socketserver.BaseRequestHandler]:
    counts: dict[str, int] = {}

    class Handler(socketserver.StreamRequestHandler):
        def handle(self) -> None:
            request_line = self.rfile.readline(65537).decode("latin-1")
            while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                pass  # the headers: nothing here depends on them
            parts = request_line.split()
            if len(parts) < 2:
                return
            path = "/" + parts[1].lstrip("/").partition("/")[2]  # drop the mirror's host
            with lock:
                server.hits.append((time.monotonic(), path))
                counts[path] = counts.get(path, 0) + 1
                n = counts[path]
            route = server.routes.get(path)
            raw = route(n) if route else response(404, b"not here", content_type="text/plain")
            self.wfile.write(raw)
            self.wfile.flush()

    return Handler


@contextmanager
def serve(routes: dict[str, Route]) -> Iterator[FaultyServer]:
    """Serve `routes` on 127.0.0.1 (a free port) for the duration."""
    lock = threading.Lock()
    running = FaultyServer(url="", routes=routes)
    tcp = _Server(("127.0.0.1", 0), _handler(running, lock))
    running.url = f"http://127.0.0.1:{tcp.server_address[1]}"
    thread = threading.Thread(target=tcp.serve_forever, daemon=True)
    thread.start()
    try:
        yield running
    finally:
        tcp.shutdown()
        tcp.server_close()


# --- the crawl, in a fresh process (a Twisted reactor starts once per process) ----------------


def main(argv: list[str]) -> int:
    """`python -m tests.faulty_server DB MIRROR SITE… [NAME=VALUE…] [-v]`: crawl the sites into
    DB with all their hosts served by MIRROR, print the summary as `newsarchive crawl` does,
    and exit 1 if a site failed.

    The crawl path of the CLI (`crawl_settings`, `run_crawl`, `SiteReport`) without its option
    handling, so that these tests hold the crawl to account whatever the CLI does around it;
    NAME=VALUE overrides a setting, `-v` is the CLI's.
    """
    from newsarchive.crawl import crawl_settings, run_crawl
    from newsarchive.sites import get

    db, mirror, *rest = argv
    names = [arg for arg in rest if "=" not in arg and arg != "-v"]
    hosts = {host: mirror for name in names for host in get(name).hosts}
    settings = crawl_settings(db, mirror=hosts, verbose="-v" in rest, progress=False)
    for override in (arg for arg in rest if "=" in arg):
        key, _, value = override.partition("=")
        settings.set(key, value, priority="cmdline")
    failed = False
    for report in run_crawl(names, settings):
        print(f"[{'FAILED' if report.failed else 'ok'}] {report.line()}")
        for line in report.details():
            print(line)
        failed = failed or report.failed
    return 1 if failed else 0


if __name__ == "__main__":
    import sys

    sys.exit(main(sys.argv[1:]))
