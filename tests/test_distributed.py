"""Distributed crawls: `newsarchive crawl --all --redis` workers sharing one frontier in a real
redis-server and one PostgreSQL archive, against the fixture sites (each answer slowed down,
so that a crawl lasts long enough to join it and to kill a worker in the middle of it).

Each scenario must end with every fixture article archived once (one version, no alias), no
article fetched twice but those a killed worker had in flight, never more requests in flight
at a host over all workers than the limit (as the fixture server counts them), and nothing of
the crawl left in Redis that does not expire by itself.
"""

from __future__ import annotations

import os
import pickle
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import redis
from scrapy import Request
from sqlalchemy import create_engine, text

from newsarchive import sites
from newsarchive.crawl.distributed import redis_settings
from newsarchive.crawl.distributed.frontier import DistributedScheduler
from newsarchive.fixture_server import FixtureServer, serve
from newsarchive.spiders.base import ARTICLE, LASTMOD
from tests.conftest import POSTGRES_URL, empty_postgres
from tests.corpus import site_pages

ARCHIVE = os.environ.get("NEWSARCHIVE_DIST_POSTGRES_URL") or POSTGRES_URL
"""The PostgreSQL archive the workers share (emptied before and after each scenario)."""
LIMIT = 2
"""Requests in flight per site over all workers (NEWSARCHIVE_SITE_CONCURRENCY)."""
TTL = 5
"""Seconds without a heartbeat after which a worker's requests go to the others."""
TIMEOUT = 120
SUMMARY_NEW = re.compile(r"^\[\w+\] \w+: \d+ pages, (\d+) new", re.M)
"""A site's line of a crawl summary: how many new articles."""

pytestmark = pytest.mark.skipif(
    not os.environ.get("CI") and not shutil.which("redis-server"), reason="needs redis-server"
)


def expected_articles() -> dict[str, str]:
    """Every fixture article (teasers are dropped): canonical URL → its page's URL."""
    return {
        str(page.expected["canonical_url"]): page.url
        for page in site_pages()
        if page.page.kind == "article"
    }


def served_as(url: str) -> str:
    """A URL as the fixture server logs it (`host/path?query`)."""
    parts = urlsplit(url)
    return f"{parts.hostname}{parts.path}" + (f"?{parts.query}" if parts.query else "")


@dataclass
class Worker:
    name: str
    process: subprocess.Popen[str]
    stdout: str = ""
    stderr: str = ""

    def finish(self) -> Worker:
        self.stdout, self.stderr = self.process.communicate(timeout=TIMEOUT)
        return self

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.finish()

    def articles_stored(self) -> int:
        """The new articles its summary counts (its share of the crawl's records)."""
        return sum(int(n) for n in SUMMARY_NEW.findall(self.stdout))


@dataclass
class Crawl:
    """What a scenario left behind."""

    workers: list[Worker]
    requests: list[str]
    """The fixture server's log."""
    peak: dict[str, int]
    """The most requests in flight at once, per host."""
    lasting: list[str]
    """The crawl's keys left in Redis that do not expire by themselves."""
    killed: Worker | None = None
    in_flight: set[str] = field(default_factory=set)
    """Articles (as served) in the killed worker's processing lists when it was killed."""

    def survivors(self) -> list[Worker]:
        return [worker for worker in self.workers if worker is not self.killed]


@contextmanager
def redis_server(folder: Path) -> Iterator[str]:
    """A redis-server of the test's own, on a free port, keeping nothing on disk."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings = {"port": str(port), "bind": "127.0.0.1", "save": "", "appendonly": "no"}
    options = [part for name, value in settings.items() for part in (f"--{name}", value)]
    process = subprocess.Popen(
        ["redis-server", *options, "--dir", str(folder)], stdout=subprocess.DEVNULL
    )
    url = f"redis://127.0.0.1:{port}/0"
    try:
        wait_for(lambda: answers(url), what="redis-server to start", timeout=10)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def answers(url: str) -> bool:
    try:
        return bool(redis.Redis.from_url(url).ping())
    except redis.ConnectionError:
        return False


def wait_for(condition: Callable[[], bool], *, what: str, timeout: float = TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def start_worker(name: str, redis_url: str, server: FixtureServer, folder: Path) -> Worker:
    environment = {
        **os.environ,
        "NEWSARCHIVE_SITE_CONCURRENCY": str(LIMIT),
        "NEWSARCHIVE_WORKER_TTL": str(TTL),
        "NEWSARCHIVE_WARC_DIR": str(folder / "warc"),
        "PYTHONIOENCODING": "utf-8",
    }
    command = ["crawl", "--all", "--redis", redis_url, "--db", ARCHIVE, "--mirror", server.url]
    process = subprocess.Popen(
        [sys.executable, "-m", "newsarchive", *map(str, command)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        env=environment,
        cwd=folder,
    )
    return Worker(name, process)


def taken(client: redis.Redis, worker: Worker) -> list[dict[str, object]]:
    """The requests in a worker's processing lists (what it took and has not handled)."""
    found = []
    for key in client.scan_iter(f"newsarchive:*:processing:*-{worker.process.pid}-*"):
        found.extend(pickle.loads(data) for data in client.lrange(key, 0, -1))
    return found


def articles_of(requests: list[dict[str, object]]) -> set[str]:
    return {
        served_as(str(request["url"]))
        for request in requests
        if dict(request.get("meta") or {}).get("newsarchive_article")  # type: ignore[call-overload]
    }


def stored_articles() -> int:
    engine = create_engine(str(ARCHIVE))
    try:
        with engine.connect() as connection:
            return int(connection.execute(text("SELECT count(*) FROM articles")).scalar_one())
    except Exception:  # the archive is not made yet
        return 0
    finally:
        engine.dispose()


def added_mid_crawl(redis_url: str, server: FixtureServer, folder: Path) -> Crawl:
    """Worker a starts alone; b starts once a is fetching (and is ready seconds later)."""
    first = start_worker("a", redis_url, server, folder)
    wait_for(lambda: len(server.requests) > 0, what="the first worker to fetch")
    second = start_worker("b", redis_url, server, folder)
    return ended(redis_url, server, [first.finish(), second.finish()])


def killed_mid_crawl(redis_url: str, server: FixtureServer, folder: Path) -> Crawl:
    """Workers a and b start together; a is killed (SIGKILL) while it holds article requests,
    after some articles are archived."""
    client = redis.Redis.from_url(redis_url)
    victim = start_worker("a", redis_url, server, folder)
    survivor = start_worker("b", redis_url, server, folder)
    wait_for(
        lambda: bool(articles_of(taken(client, victim))) and stored_articles() > 0,
        what="the first worker to hold article requests",
    )
    victim.process.send_signal(signal.SIGKILL)
    in_flight = articles_of(taken(client, victim))
    victim.finish()
    crawl = ended(redis_url, server, [victim, survivor.finish()])
    crawl.killed, crawl.in_flight = victim, in_flight
    return crawl


def ended(redis_url: str, server: FixtureServer, workers: list[Worker]) -> Crawl:
    client = redis.Redis.from_url(redis_url)
    keys = sorted(key.decode() for key in client.scan_iter("newsarchive:*"))
    return Crawl(
        workers=workers,
        requests=list(server.requests),
        peak=dict(server.load.peak),
        lasting=[key for key in keys if client.pttl(key) < 0],
    )


SCENARIOS = {
    "added mid-crawl": (added_mid_crawl, 1.5),
    "killed mid-crawl": (killed_mid_crawl, 0.8),
}
"""Each scenario, and how long (seconds) the fixture server takes over each answer in it."""


@pytest.fixture(scope="module", params=list(SCENARIOS))
def crawl(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Crawl]:
    if not ARCHIVE:
        assert not os.environ.get("CI"), "CI runs the distributed crawls on PostgreSQL"
        pytest.skip("needs NEWSARCHIVE_DIST_POSTGRES_URL or NEWSARCHIVE_TEST_POSTGRES_URL")
    folder = tmp_path_factory.mktemp("distributed")
    empty_postgres(ARCHIVE)
    try:
        scenario, delay = SCENARIOS[request.param]
        with redis_server(folder) as redis_url, serve(delay=delay) as server:
            yield scenario(redis_url, server, folder)
    finally:
        empty_postgres(ARCHIVE)


def archived(query: str) -> list[tuple[object, ...]]:
    engine = create_engine(str(ARCHIVE))
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(query))]
    finally:
        engine.dispose()


def test_every_article_is_archived_once(crawl: Crawl) -> None:
    rows = archived("SELECT canonical_url, version_count FROM articles")
    assert sorted(url for url, _ in rows) == sorted(expected_articles())
    assert {count for _, count in rows} == {1}
    assert archived("SELECT count(*) FROM article_versions") == [(len(rows),)]
    assert archived("SELECT count(*) FROM url_aliases") == [(0,)]


def test_no_article_is_fetched_twice_but_what_a_killed_worker_held(crawl: Crawl) -> None:
    fetched = Counter(crawl.requests)
    articles = {served_as(sites.canonicalize(url)) for url in expected_articles().values()}
    assert {url for url in articles if not fetched[url]} == set()
    twice = {url for url in articles if fetched[url] > 1}
    assert twice <= crawl.in_flight, (twice, crawl.in_flight)
    assert {url for url in articles if fetched[url] > 2} == set()


def test_no_site_has_more_requests_in_flight_than_the_limit(crawl: Crawl) -> None:
    assert max(crawl.peak.values()) == LIMIT, crawl.peak


def test_workers_end_well_and_clear_the_frontier(crawl: Crawl) -> None:
    for worker in crawl.survivors():
        assert worker.process.returncode == 0, worker.stdout + worker.stderr
        assert "[FAILED]" not in worker.stdout
    assert crawl.lasting == []


def test_every_worker_takes_a_share(crawl: Crawl) -> None:
    """A worker that joins fetches part of the crawl; a killed worker's requests are put back
    in the queue and fetched by the one left."""
    if crawl.killed is None:
        assert all(worker.articles_stored() > 0 for worker in crawl.workers)
    else:
        assert crawl.in_flight
        assert "put back in the queue" in crawl.survivors()[0].stderr


# --- the shared frontier's lastmods, between two workers' schedulers -------------------------

FEED, SITEMAP, LATER = None, "2026-02-10T08:00:00+02:00", "2026-02-11T09:30:00+02:00"
ARTICLE_URL = (
    "https://www.larissanet.gr/2026/02/10/ta-trakter-epistrefoun-sta-xorafia-meta-to-mploko/"
)

STEPS = [
    # (worker, what happens, lastmod, expected: pushed to the queue / the lastmod taken with it)
    ("a", "found", FEED, True),
    ("b", "found", SITEMAP, False),  # a duplicate: one request, but its lastmod is kept
    ("a", "taken", None, SITEMAP),  # the request a found goes out with b's lastmod
    ("a", "skipped as fresh", None, None),
    ("b", "found", FEED, False),
    ("b", "found", LATER, True),  # skipped as fresh, and now a lastmod: asked for again
    ("b", "taken", None, LATER),
    ("a", "found", LATER, False),  # once only
]


@pytest.fixture
def schedulers(tmp_path: Path) -> Iterator[dict[str, DistributedScheduler]]:
    """Two workers' schedulers of larissanet's crawl, in a redis-server of their own."""
    from scrapy.utils.test import get_crawler

    from newsarchive.spiders.derived import spider

    with redis_server(tmp_path) as url:
        settings = {**redis_settings(url), "NEWSARCHIVE_DATABASE_URL": "sqlite:///x.db"}
        opened = {}
        for name in ("a", "b"):
            crawler = get_crawler(spider("larissanet"), settings)
            crawler.spider = crawler.spidercls.from_crawler(crawler)
            opened[name] = DistributedScheduler.from_crawler(crawler)
            opened[name].open(crawler.spider)
        yield opened
        for scheduler in opened.values():
            scheduler.close("finished")


def test_a_lastmod_found_by_one_worker_goes_with_the_request_another_takes(
    schedulers: dict[str, DistributedScheduler],
) -> None:
    for worker, event, lastmod, expected in STEPS:
        scheduler = schedulers[worker]
        if event == "found":
            meta = {ARTICLE: True, **({LASTMOD: lastmod} if lastmod else {})}
            pushed = scheduler.enqueue_request(Request(ARTICLE_URL, meta=meta))
            assert pushed is expected, (worker, event, lastmod)
        elif event == "taken":
            taken_request = scheduler.next_request()
            assert taken_request is not None and taken_request.url == ARTICLE_URL
            assert taken_request.meta.get(LASTMOD) == expected, (worker, event)
        else:
            scheduler.spider.skipped_fresh.add(ARTICLE_URL)
            scheduler.settle()
    assert all(scheduler.next_request() is None for scheduler in schedulers.values())
