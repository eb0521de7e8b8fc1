"""A local HTTP server for the bundled fixture sites, so crawls run with no network.

Each folder of `fixture_sites/` is one declared site (its hosts come from `newsarchive.sites`):
`site.json` says only what a declaration cannot, the files served at its listing and feed paths
(a path's query in any order), the headers some of them are served with (`headers`, by file
name: a REST page's `X-WP-TotalPages`), and the URL aliases its server answers;
`articles/<slug>.html` is served at the URL in `<slug>.json`. The server answers
`http://127.0.0.1:PORT/<host>/<path>`, the form that `newsarchive.mirror` asks for.

A folder whose name starts with `_` is a site with no declaration (`crawl --url`): its
`site.json` names its `hosts`, and its article pages and expected records live in the folder
`site.json` names as `articles` (not `articles/`, which the golden test reads as a declared
site's).

A site can change between two crawls: after `FixtureServer.revise()` (the second pass), each file
under the site's `revisions/` replaces the file of the same relative path (a corrected article,
its sitemap), and `@REVISED_AT@` in a revision file reads as the moment of `revise()`, so a
sitemap's `lastmod` is newer than every fetch of the first pass. `revisions/articles/<slug>.json`
is the golden record of a revised page, not a served file.

The server counts the requests it is answering per host (`FixtureServer.load`: now and the most
at once), and can take a while over each (`serve(delay=…)`), so that a test sees how many
requests a crawl, or several workers together, had in flight at a site.
"""

from __future__ import annotations

import json
import re
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

from newsarchive import sites

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".json": "application/json; charset=utf-8",
}


REVISIONS = "revisions"
REVISED_AT = b"@REVISED_AT@"
"""Where a revision file says when it was revised (a sitemap's `lastmod`)."""


def fixture_root() -> Path:
    """The folder of bundled fixture sites."""
    return Path(str(resources.files("newsarchive") / "fixture_sites"))


@dataclass
class FixtureSite:
    """One site's files, by the path (and query) they are served at."""

    name: str
    hosts: list[str]
    pages: dict[str, Path] = field(default_factory=dict)
    aliases: list[tuple[re.Pattern[str], str]] = field(default_factory=list)
    content_types: dict[str, str] = field(default_factory=dict)
    headers: dict[str, dict[str, str]] = field(default_factory=dict)
    """Extra response headers, by file name."""
    by_query: dict[str, Path] | None = None
    """Pages served at a query, by the path with its parameters sorted; built on first lookup."""
    by_alias: dict[str, Path] | None = None
    """The page of each alias key (the first served page with it); built on first lookup."""
    revisions: dict[Path, Path] = field(default_factory=dict)
    """Served file → the file served in its place once the server is revised."""
    revised_urls: list[str] = field(default_factory=list)
    """The articles whose page has a revision."""

    def alias_key(self, path: str) -> str | None:
        for pattern, replacement in self.aliases:
            if pattern.match(path):
                return pattern.sub(replacement, path)
        return None

    def alias_index(self) -> dict[str, Path]:
        if self.by_alias is None:
            index: dict[str, Path] = {}
            for served, file in self.pages.items():
                key = self.alias_key(served)
                if key is not None:
                    index.setdefault(key, file)
            self.by_alias = index
        return self.by_alias

    def find(self, path_and_query: str) -> Path | None:
        """The file served at a path: exact, else the page sharing its alias key (a crawl trap).

        Two dictionary lookups, whatever the number of pages."""
        if path_and_query in self.pages:
            return self.pages[path_and_query]
        if "?" in path_and_query:
            if self.by_query is None:
                self.by_query = {sorted_query(p): f for p, f in self.pages.items() if "?" in p}
            found = self.by_query.get(sorted_query(path_and_query))
            if found is not None:
                return found
        key = self.alias_key(urlsplit(path_and_query).path)
        return None if key is None else self.alias_index().get(key)


def sorted_query(path_and_query: str) -> str:
    """A path with its query's parameters in sorted order (a REST page asked in any order)."""
    parts = urlsplit(path_and_query)
    return parts.path + "?" + "&".join(sorted(parts.query.split("&")))


def undeclared(folder: Path) -> bool:
    """A fixture site with no site file (`_unknown_outlet`: for `crawl --url`)."""
    return folder.name.startswith("_")


def site_hosts(folder: Path, spec: dict[str, object]) -> list[str]:
    """Where a fixture site lives: its declaration's hosts, or those its site.json names."""
    if undeclared(folder):
        hosts = spec.get("hosts")
        if not isinstance(hosts, list) or not hosts:
            raise ValueError(f"{folder}/site.json: a site with no site file names its hosts")
        return sorted(str(host) for host in hosts)
    return sorted(sites.get(folder.name).hosts)


def load_site(folder: Path) -> FixtureSite:
    spec = json.loads((folder / "site.json").read_text(encoding="utf-8"))
    site = FixtureSite(
        name=folder.name,
        hosts=site_hosts(folder, spec),
        content_types=spec.get("content_types", {}),
        headers=spec.get("headers", {}),
    )
    site.pages = {path: folder / file for path, file in spec["pages"].items()}
    site.aliases = [(re.compile(pattern), repl) for pattern, repl in spec.get("aliases", [])]
    for url, page in article_urls(folder).items():
        parts = urlsplit(url)
        site.pages[parts.path + (f"?{parts.query}" if parts.query else "")] = page
    site.alias_index()
    load_revisions(site, folder)
    return site


def load_revisions(site: FixtureSite, folder: Path) -> None:
    """The site's `revisions/`: each file replaces the served file at its relative path."""
    root = folder / REVISIONS
    served = set(site.pages.values())
    urls = {page: url for url, page in article_urls(folder).items()}
    for revised in sorted(path for path in root.rglob("*") if path.is_file()):
        relative = revised.relative_to(root)
        if relative.parent.name == "articles" and revised.suffix == ".json":
            continue  # the golden record of a revised page
        original = folder / relative
        if original not in served:
            raise ValueError(f"{revised} replaces no served file of {site.name} ({original})")
        site.revisions[original] = revised
        if original in urls:
            site.revised_urls.append(urls[original])


def articles_folder(folder: Path) -> Path:
    """Where a fixture site's article pages and their golden records are."""
    if undeclared(folder):
        spec = json.loads((folder / "site.json").read_text(encoding="utf-8"))
        return folder / str(spec.get("articles", "expected"))
    return folder / "articles"


def article_urls(folder: Path) -> dict[str, Path]:
    """The URL of each article page of a site folder (from the golden `<slug>.json` beside it)."""
    return {
        json.loads(expected.read_text(encoding="utf-8"))["url"]: expected.with_suffix(".html")
        for expected in sorted(articles_folder(folder).glob("*.json"))
    }


def load_sites(root: Path | None = None) -> dict[str, FixtureSite]:
    """Every fixture site under `root`, by host."""
    root = root or fixture_root()
    by_host: dict[str, FixtureSite] = {}
    for folder in sorted(path for path in root.iterdir() if (path / "site.json").exists()):
        site = load_site(folder)
        for host in site.hosts:
            by_host[host] = site
    return by_host


@dataclass
class Revision:
    """Which pass the server is on: the first, or the second (`at` the moment of the switch)."""

    at: datetime | None = None


@dataclass
class Load:
    """The requests being answered, per host: how many now, and the most at once (thread-safe);
    and how long each answer takes at least (`delay`, seconds; it may change while serving)."""

    delay: float = 0.0
    current: dict[str, int] = field(default_factory=dict)
    peak: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @contextmanager
    def answering(self, host: str) -> Iterator[None]:
        """One request of `host` in flight for the duration, which lasts `delay` at least.

        It ends before the answer is written, so that a client, which frees its slot only on
        receiving the answer, never finds its next request counted beside it."""
        with self.lock:
            now = self.current.get(host, 0) + 1
            self.current[host] = now
            self.peak[host] = max(self.peak.get(host, 0), now)
        try:
            if self.delay > 0:
                time.sleep(self.delay)
            yield
        finally:
            with self.lock:
                self.current[host] -= 1


@dataclass
class FixtureServer:
    """A running fixture server: its base URL and the requests it answered (`host/path`)."""

    url: str
    requests: list[str] = field(default_factory=list)
    sites: dict[str, FixtureSite] = field(default_factory=dict)
    revision: Revision = field(default_factory=Revision)
    load: Load = field(default_factory=Load)
    """Requests in flight per host, the most at once, and the delay of each answer."""

    @property
    def passes(self) -> int:
        """1 before `revise()`, 2 after."""
        return 1 if self.revision.at is None else 2

    @property
    def revised_urls(self) -> list[str]:
        """The articles that `revise()` changes, sorted."""
        return sorted({url for site in self.sites.values() for url in site.revised_urls})

    def revise(self) -> datetime:
        """Start the second pass: revised pages from now on, revised at the next whole second
        (a sitemap `lastmod` is read to the second: it must lie after every earlier fetch)."""
        now = datetime.now(UTC)
        self.revision.at = now.replace(microsecond=0) + timedelta(seconds=1)
        return self.revision.at


def _handler(
    sites: dict[str, FixtureSite], log: list[str], revision: Revision, load: Load | None = None
) -> type[BaseHTTPRequestHandler]:
    counted = load or Load()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            log.append(self.path.lstrip("/"))
            host, _, rest = self.path.lstrip("/").partition("/")
            with counted.answering(host):
                answer = self.answer(sites.get(host), "/" + rest)
            if answer is None:
                self.send_error(404, "not in the fixture site")
                return
            content_type, headers, body = answer
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def answer(
            self, site: FixtureSite | None, path: str
        ) -> tuple[str, dict[str, str], bytes] | None:
            """The Content-Type, extra headers and body served at `path`, or None (404)."""
            file = site.find(path) if site else None
            if site is None or file is None or not file.exists():
                return None
            if revision.at is not None and file in site.revisions:
                file = site.revisions[file]
                body = file.read_bytes().replace(REVISED_AT, revision.at.isoformat().encode())
            else:
                body = file.read_bytes()
            content_type = site.content_types.get(file.name) or CONTENT_TYPES.get(
                file.suffix, "application/octet-stream"
            )
            return content_type, site.headers.get(file.name, {}), body

        def log_message(self, format: str, *args: object) -> None:
            pass  # a crawl reports its own progress

    return Handler


class _Server(ThreadingHTTPServer):
    """A thread per request, and a listen queue deep enough for a crawl's bursts (not 5)."""

    request_queue_size = 1024

    def handle_error(self, request: object, client_address: object) -> None:
        """A client gone before its answer was written (a crawl killed) is no error here."""
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


@contextmanager
def serve(root: Path | None = None, *, delay: float = 0.0) -> Iterator[FixtureServer]:
    """Serve the fixture sites on 127.0.0.1 (a free port) for the duration, as on the first
    pass until `revise()` is called; each answer takes `delay` seconds at least."""
    log: list[str] = []
    by_host = load_sites(root)
    revision = Revision()
    load = Load(delay=delay)
    server = _Server(("127.0.0.1", 0), _handler(by_host, log, revision, load))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield FixtureServer(
            url=f"http://127.0.0.1:{server.server_address[1]}",
            requests=log,
            sites=by_host,
            revision=revision,
            load=load,
        )
    finally:
        server.shutdown()
        server.server_close()
