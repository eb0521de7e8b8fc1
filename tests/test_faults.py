"""Faults of real servers, served by `tests/faulty_server.py`: what a crawl stores, says, exits.

Each test runs the real crawl (`crawl_settings`, `run_crawl`, the site's spider, pipelines and
archive) in a fresh process, with the site's hosts mirrored to a local server that misbehaves
on the paths it is told to, then opens the archive. Nothing false may be stored, the summary
must count what went wrong, and a site that did not go well must fail the exit status.
"""

from __future__ import annotations

import random
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest

from newsarchive.archive import Archive
from newsarchive.crawl import CrawlSetupError, crawl_settings, in_memory, run_crawl
from newsarchive.crawl.checks import challenge_of, looks_complete
from newsarchive.crawl.retry_after import retry_after_seconds
from newsarchive.fixture_server import fixture_root
from newsarchive.query import all_articles
from tests import faulty_server as fs
from tests.faulty_server import FaultyServer, Route

REPO = Path(__file__).resolve().parent.parent
TV = "https://www.thessaliatv.gr"
ARTICLE = (
    fixture_root() / "thessaliatv/articles/imerida-gia-tin-koinoniki-kainotomia-apo.html"
).read_bytes()
"""A real article page of the site: stored whole when it comes whole."""
OTHER = (
    fixture_root() / "thessaliatv/articles/etoimazontai-na-apoxorisoun-apo-ta-tempi.html"
).read_bytes()
NOTHING = b"<!DOCTYPE html><html><head><title>Thessalia TV</title></head><body></body></html>"


def url(n: int) -> str:
    return f"{TV}/news/{n}/"


def path(n: int) -> str:
    return f"/news/{n}/"


def feed(ids: Iterable[int]) -> bytes:
    items = "".join(f"<item><link>{url(n)}slug/</link></item>" for n in ids)
    return f'<?xml version="1.0"?><rss version="2.0"><channel>{items}</channel></rss>'.encode()


def site(articles: dict[int, Route], **more: Route) -> dict[str, Route]:
    """thessaliatv: its feed listing `articles`, empty listing pages, and the articles' routes."""
    routes = {
        "/rss.xml": fs.ok(feed(articles), "application/rss+xml; charset=utf-8"),
        "/": fs.ok(NOTHING),
        "/news/": fs.ok(NOTHING),
    }
    routes.update({path(n): route for n, route in articles.items()})
    routes.update(more)
    return routes


@dataclass
class Crawl:
    returncode: int
    stdout: str
    stderr: str
    server: FaultyServer
    rows: dict[str, str]
    """The archived articles: canonical URL → body."""

    @property
    def summary(self) -> str:
        return self.stdout

    def requests(self, n: int) -> int:
        return len(self.server.times(path(n)))


def crawl(
    routes: dict[str, Route], tmp_path: Path, *args: str, sites: tuple[str, ...] = ("thessaliatv",)
) -> Crawl:
    """Crawl `sites` from a server answering `routes`; the archive's rows afterwards."""
    db = f"sqlite:///{tmp_path / 'archive.db'}"
    with fs.serve(routes) as server:
        done = subprocess.run(
            [sys.executable, "-m", "tests.faulty_server", db, server.url, *sites, *args],
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=120,
            cwd=REPO,
        )
    with Archive(db) as archive:
        rows = {row.canonical_url: row.body for row in all_articles(archive.session)}
    return Crawl(done.returncode, done.stdout, done.stderr, server, rows)


def assert_failed(done: Crawl) -> None:
    assert done.returncode == 1, done.stdout + done.stderr
    assert "[FAILED] thessaliatv:" in done.summary
    assert "[ok]" not in done.summary


# --- the harness itself -----------------------------------------------------------------------


def test_a_healthy_site_is_stored_and_ok(tmp_path: Path) -> None:
    done = crawl(site({1: fs.ok(ARTICLE)}), tmp_path)
    assert done.returncode == 0, done.stderr
    assert "[ok] thessaliatv:" in done.summary and " 1 new," in done.summary
    assert set(done.rows) == {url(1)}
    assert done.stderr == ""


# --- bodies cut short ---------------------------------------------------------------------------

CUTS = {
    "closed without Content-Length": fs.cut_without_length,
    "shorter than its Content-Length": fs.cut_with_length,
    "chunked, cut before the last chunk": fs.cut_chunked,
}


@pytest.mark.parametrize("cut", CUTS.values(), ids=CUTS.keys())
def test_a_body_cut_short_is_retried_then_an_error_and_stores_nothing(
    cut: object, tmp_path: Path
) -> None:
    done = crawl(site({1: cut(ARTICLE), 2: fs.ok(OTHER)}), tmp_path)  # type: ignore[operator]
    assert set(done.rows) == {url(2)}  # the whole article only
    assert_failed(done)
    assert " 1 new," in done.summary and " 1 errors" in done.summary
    assert "  errors: truncated 1" in done.summary
    assert done.requests(1) == 3  # retried twice, as a failed download is
    assert f"thessaliatv: could not fetch {url(1)} (the body was cut short)" in done.stderr


def test_a_page_cut_short_is_not_known_to_the_next_crawl(tmp_path: Path) -> None:
    crawl(site({1: fs.cut_without_length(ARTICLE)}), tmp_path)
    again = crawl(site({1: fs.ok(ARTICLE)}), tmp_path)
    assert again.returncode == 0, again.stdout + again.stderr
    assert " 1 new," in again.summary and set(again.rows) == {url(1)}


def test_a_whole_body_ended_by_closing_the_connection_is_kept(tmp_path: Path) -> None:
    """HTTP/1.0 style: no Content-Length, the close ends the body, and the document is whole."""
    done = crawl(site({1: fs.cut_without_length(ARTICLE, keep=1.0)}), tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert set(done.rows) == {url(1)}


def test_a_document_is_complete_when_it_ends_as_documents_do() -> None:
    assert looks_complete(ARTICLE) and looks_complete(feed([1]) + b"\n")
    assert not looks_complete(ARTICLE[: len(ARTICLE) // 2])


# --- challenge pages ------------------------------------------------------------------------------

WALLS = {
    "Just a moment, 200": (200, fs.CHALLENGE, "Cloudflare challenge"),
    "Just a moment, 503": (503, fs.CHALLENGE, "Cloudflare challenge"),
    "captcha wall, 403": (403, fs.CAPTCHA_WALL, "challenge page"),
    "captcha wall, 200": (200, fs.CAPTCHA_WALL, "challenge page"),
}


@pytest.mark.parametrize(("status", "page", "label"), WALLS.values(), ids=WALLS.keys())
def test_challenge_pages_are_blocked_not_ok_and_store_nothing(
    status: int, page: bytes, label: str, tmp_path: Path
) -> None:
    wall = fs.challenge(status, page)
    done = crawl(site({1: wall, 2: wall}), tmp_path)
    assert done.rows == {}
    assert_failed(done)
    assert ", 2 blocked" in done.summary and f"  blocked: {label} 2" in done.summary
    assert done.requests(1) == 1  # a challenge is not retried
    assert f"thessaliatv: blocked at {url(1)} ({label}, HTTP {status})" in done.stderr


def test_a_site_behind_a_challenge_is_given_up_after_a_few(tmp_path: Path) -> None:
    done = crawl(site({n: fs.challenge(200) for n in range(1, 11)}), tmp_path)
    assert done.rows == {}
    assert_failed(done)
    assert "5 blocked; gave up: blocked by 5 Cloudflare challenge pages" in done.summary


def test_the_feed_behind_a_challenge_is_blocked_too(tmp_path: Path) -> None:
    wall = fs.challenge(503)
    done = crawl({"/rss.xml": wall, "/": wall, "/news/": wall}, tmp_path)
    assert_failed(done)
    assert "  blocked: Cloudflare challenge 3" in done.summary


def real_pages() -> list[Path]:
    """Every article, listing and reference page the project holds."""
    pages = [*fixture_root().glob("*/**/*.html"), *(REPO / "tests/fixtures/pages").rglob("*.html")]
    return pages + sorted((REPO.parent / "shared/reference/html").glob("*.html"))


def test_no_real_page_is_taken_for_a_challenge() -> None:
    pages = real_pages()
    assert len(pages) > 40
    assert [page.name for page in pages if challenge_of(page.read_bytes())] == []


@pytest.mark.parametrize(
    "page",
    [
        b"<html><head><title>DDoS-Guard</title></head><body>Checking your browser</body></html>",
        b"<html><head><title>Attention Required! | Cloudflare</title></head></html>",
        b"<html><body><div id='px-captcha'></div></body></html>",
        b"<html><head><title>Verify you are human</title></head><body></body></html>",
    ],
)
def test_challenge_pages_of_other_kinds_are_recognised(page: bytes) -> None:
    assert challenge_of(page) is not None


# --- redirects ----------------------------------------------------------------------------------


def test_a_page_redirecting_to_itself_is_an_error(tmp_path: Path) -> None:
    done = crawl(site({1: fs.redirect(path(1)), 2: fs.ok(OTHER)}), tmp_path)
    assert set(done.rows) == {url(2)}
    assert_failed(done)
    assert "  errors: redirect loop 1" in done.summary
    assert f"could not fetch {url(1)} (redirect loop: {url(1)} → {url(1)})" in done.stderr


def test_a_redirect_loop_through_another_page_is_an_error(tmp_path: Path) -> None:
    done = crawl(
        site({1: fs.redirect("/elsewhere")}, **{"/elsewhere": fs.redirect(path(1))}), tmp_path
    )
    assert done.rows == {}
    assert_failed(done)
    assert "  errors: redirect loop 1" in done.summary


def test_two_listed_articles_redirecting_to_each_other_are_two_errors(tmp_path: Path) -> None:
    done = crawl(site({1: fs.redirect(path(2)), 2: fs.redirect(path(1))}), tmp_path)
    assert done.rows == {}
    assert_failed(done)
    assert "  errors: redirect loop 2" in done.summary


def test_a_redirect_to_an_article_fetched_anyway_is_a_duplicate_not_an_error(
    tmp_path: Path,
) -> None:
    done = crawl(site({1: fs.redirect(path(2)), 2: fs.ok(OTHER)}), tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert set(done.rows) == {url(2)}


# --- Retry-After ----------------------------------------------------------------------------------


def test_retry_after_is_waited_for_before_the_request_comes_again(tmp_path: Path) -> None:
    done = crawl(site({1: fs.retry_after("2", fs.ok(ARTICLE)), 2: fs.ok(OTHER)}), tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert set(done.rows) == {url(1), url(2)}
    first, again = done.server.times(path(1))
    assert again - first >= 2.0
    assert done.server.times(path(2))[0] < again  # the site's other pages did not wait


def test_a_503_with_retry_after_is_waited_for_and_other_sites_go_on(tmp_path: Path) -> None:
    net = "/2026/02/10/ta-trakter/"
    routes = site(
        {1: fs.retry_after("2", fs.ok(ARTICLE), status=503)},
        **{
            "/feed/": fs.ok(
                f'<rss version="2.0"><channel><item><link>https://www.larissanet.gr{net}</link>'
                "</item></channel></rss>".encode(),
                "application/rss+xml",
            ),
            "/latest/": fs.ok(NOTHING),
            net: fs.ok(OTHER),
        },
    )
    done = crawl(routes, tmp_path, sites=("thessaliatv", "larissanet"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "[ok] thessaliatv:" in done.summary and "[ok] larissanet:" in done.summary
    first, again = done.server.times(path(1))
    assert again - first >= 2.0
    assert done.server.times(net)[0] < again


def test_a_retry_after_beyond_the_bound_gives_up_on_the_site(tmp_path: Path) -> None:
    done = crawl(site({1: fs.retry_after("3600", fs.ok(ARTICLE), times=100)}), tmp_path)
    assert done.rows == {}
    assert_failed(done)
    assert "; gave up: server asked to wait 3600 s" in done.summary
    assert done.requests(1) == 1  # not hammered
    assert "thessaliatv: gave up: server asked to wait 3600 s" in done.stderr


def test_the_bound_on_retry_after_is_a_setting(tmp_path: Path) -> None:
    routes = site({1: fs.retry_after("2", fs.ok(ARTICLE))})
    done = crawl(routes, tmp_path, "NEWSARCHIVE_RETRY_AFTER_MAX=1")
    assert_failed(done)
    assert "gave up: server asked to wait 2 s" in done.summary


def test_retries_after_retry_after_end_as_an_http_error(tmp_path: Path) -> None:
    done = crawl(site({1: fs.retry_after("1", fs.ok(ARTICLE), times=100)}), tmp_path)
    assert done.rows == {}
    assert_failed(done)
    assert "  errors: HTTP 429 1" in done.summary
    assert done.requests(1) == 3


def test_retry_after_is_read_as_seconds_or_as_a_date() -> None:
    from datetime import UTC, datetime

    now = datetime(2026, 2, 10, 12, 0, tzinfo=UTC)
    assert retry_after_seconds(b"5") == 5.0
    assert retry_after_seconds("Tue, 10 Feb 2026 12:01:00 GMT", now) == 60.0
    assert retry_after_seconds("Tue, 10 Feb 2026 11:00:00 GMT", now) == 0.0
    assert retry_after_seconds("soon") is None and retry_after_seconds(None) is None


# --- bodies that are no page --------------------------------------------------------------------


def test_an_empty_body_is_retried_then_an_error(tmp_path: Path) -> None:
    done = crawl(site({1: fs.ok(b""), 2: fs.ok(OTHER)}), tmp_path)
    assert set(done.rows) == {url(2)}
    assert_failed(done)
    assert "  errors: empty body 1" in done.summary
    assert done.requests(1) == 3


def test_random_bytes_are_an_error_not_a_record(tmp_path: Path) -> None:
    noise = random.Random(7).randbytes(6000)
    done = crawl(site({1: fs.ok(noise), 2: fs.ok(OTHER)}), tmp_path)
    assert set(done.rows) == {url(2)}
    assert_failed(done)
    assert "  errors: undecodable body 1" in done.summary


def test_an_article_served_as_an_image_is_dropped_with_its_reason(tmp_path: Path) -> None:
    done = crawl(site({1: fs.ok(ARTICLE, "image/jpeg"), 2: fs.ok(OTHER)}), tmp_path)
    assert set(done.rows) == {url(2)}
    assert done.returncode == 0, done.stdout + done.stderr
    assert "  dropped: not html 1" in done.summary


def test_a_feed_served_with_a_wrong_type_is_read_all_the_same(tmp_path: Path) -> None:
    routes = site({1: fs.ok(ARTICLE)}, **{"/rss.xml": fs.ok(feed([1]), "application/octet-stream")})
    done = crawl(routes, tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert set(done.rows) == {url(1)}


# --- the log: one line per failure --------------------------------------------------------------


def dead(_n: int) -> bytes:
    return b""  # the connection closes before any byte


def test_each_failure_is_one_line_without_a_traceback(tmp_path: Path) -> None:
    routes = site({n: dead for n in range(1, 11)}, **{"/robots.txt": dead})
    done = crawl(routes, tmp_path)
    assert_failed(done)
    assert "  errors: DownloadFailedError 10" in done.summary
    lines = done.stderr.splitlines()
    assert "Traceback" not in done.stderr
    assert lines[0].startswith(f"thessaliatv: could not fetch {TV}/robots.txt (ConnectionDone")
    for n in range(1, 11):
        reason = "ConnectionDone: Connection was closed cleanly."
        assert [line for line in lines if url(n) in line] == [
            f"thessaliatv: could not fetch {url(n)} ({reason})"
        ]
    assert len(lines) == 11


def test_tracebacks_are_shown_with_v(tmp_path: Path) -> None:
    done = crawl(site({1: dead}, **{"/robots.txt": dead}), tmp_path, "-v")
    assert done.returncode == 1
    assert "Traceback (most recent call last)" in done.stderr


# --- an archive that keeps nothing ----------------------------------------------------------------

IN_MEMORY = ["sqlite://", "sqlite:///:memory:", "sqlite:///file::memory:?uri=true"]


@pytest.mark.parametrize("db", IN_MEMORY)
def test_an_in_memory_archive_is_refused_before_anything_is_fetched(db: str) -> None:
    assert in_memory(db)
    with pytest.raises(CrawlSetupError, match="in-memory database"):
        crawl_settings(db)
    settings = crawl_settings("sqlite:///archive.db")
    settings.set("NEWSARCHIVE_DATABASE_URL", db, priority="cmdline")
    with pytest.raises(CrawlSetupError):
        run_crawl(["thessaliatv"], settings)  # raises before any crawler starts


def test_file_and_server_archives_are_accepted_and_malformed_ones_left_to_the_archive() -> None:
    for db in ("sqlite:///archive.db", "postgresql+psycopg://news@localhost/news"):
        assert not in_memory(db)
        crawl_settings(db)
    for malformed in ("postgresql://user@host:notaport/db", "://x", "bogus://x"):
        assert not in_memory(malformed)


def test_the_crawl_command_refuses_an_in_memory_archive(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "newsarchive", "crawl", "thessaliatv", "--db", "sqlite://"]
    with fs.serve(site({1: fs.ok(ARTICLE)})) as server:
        done = subprocess.run(
            [*command, "--mirror", f"www.thessaliatv.gr={server.url}"],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=tmp_path,
        )
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("newsarchive: error: ") and len(done.stderr.splitlines()) == 1
    assert server.hits == []


def test_while_a_server_asks_to_wait_the_sites_other_requests_wait_too(tmp_path: Path) -> None:
    """One request at a time, so that none is already in the downloader when the 429 comes."""
    first = 3  # Scrapy's scheduler hands out the last one found first
    articles = {1: fs.ok(ARTICLE), 2: fs.ok(OTHER), first: fs.retry_after("2", fs.ok(OTHER))}
    one_at_a_time = ("CONCURRENT_REQUESTS=1", "CONCURRENT_REQUESTS_PER_DOMAIN=1")
    done = crawl(site(articles), tmp_path, *one_at_a_time)
    assert done.returncode == 0, done.stdout + done.stderr
    asked = done.server.times(path(first))[0]
    later = [when for when, hit in done.server.hits if when > asked]
    assert done.server.times(path(1))[0] > asked and done.server.times(path(2))[0] > asked
    assert all(when - asked >= 2.0 for when in later), done.server.hits
