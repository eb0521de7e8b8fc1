"""End to end: real Scrapy crawls of the fixture sites, served on 127.0.0.1, into a real archive."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from newsarchive import extraction_workers
from newsarchive.archive import Archive
from newsarchive.fixture_server import FixtureServer, serve
from newsarchive.query import all_articles, record
from tests.conftest import site_fixtures

CLOSED_PORT = "http://127.0.0.1:9"  # discard port: nothing listens there


def newsarchive(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the CLI as a user would, in a fresh process (a Twisted reactor starts only once)."""
    return subprocess.run(
        [sys.executable, "-m", "newsarchive", *args],
        capture_output=True,
        text=True,
        timeout=240,
        encoding="utf-8",
    )


@pytest.fixture(scope="module")
def server() -> Iterator[FixtureServer]:
    with serve() as running:
        yield running


@pytest.fixture(scope="module")
def crawled(server: FixtureServer, tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """Two crawls of thessaliatv into one archive, with the requests each made."""
    db = f"sqlite:///{tmp_path_factory.mktemp('crawl') / 'archive.db'}"
    first = newsarchive("crawl", "thessaliatv", "--db", db, "--mirror", server.url)
    first_requests = list(server.requests)
    second = newsarchive("crawl", "thessaliatv", "--db", db, "--mirror", server.url)
    second_requests = server.requests[len(first_requests) :]
    return {
        "db": db,
        "first": first,
        "second": second,
        "first_requests": first_requests,
        "second_requests": second_requests,
    }


def archived(db: str) -> dict[str, dict[str, object]]:
    with Archive(db, create=False) as archive:
        return {row.canonical_url: record(row) for row in all_articles(archive.session)}


def test_first_crawl_stores_every_expected_record_field_by_field(crawled: dict) -> None:
    assert crawled["first"].returncode == 0, crawled["first"].stderr
    rows = archived(crawled["db"])
    expected = [f for f in site_fixtures() if f.site == "thessaliatv"]
    assert set(rows) == {f.expected["canonical_url"] for f in expected}
    for fixture in expected:
        row = rows[fixture.expected["canonical_url"]]
        for name, value in fixture.expected.items():
            if name in ("published_at", "modified_at") and value is not None:
                assert datetime.fromisoformat(str(row[name])) == datetime.fromisoformat(value)
            else:
                assert row[name] == value, name


def test_sample_article_has_its_own_date_and_no_ticker_or_footer(crawled: dict) -> None:
    row = archived(crawled["db"])["https://www.thessaliatv.gr/news/185511/"]
    seed = (
        Path(__file__).parent.parent
        / "newsarchive/fixture_sites/thessaliatv/articles"
        / "imerida-gia-tin-koinoniki-kainotomia-apo.html"
    ).read_text(encoding="utf-8")
    assert "09.02.2026" in seed  # the page does carry the ticker…
    body = str(row["body"])
    assert str(row["published_at"]).startswith("2026-01-19T13:47")  # …but not as its date
    assert body.startswith("Η στρατηγική της Περιφέρειας Θεσσαλίας")
    assert body.endswith("προς όφελος όλων».")
    for chrome in ("ΚΑΡΔΙΤΣΑ |", "09.02.2026", "Facebook", "RSS Feed", "Δήμος Παλαμά"):
        assert chrome not in body


def test_summary_reports_counts_and_empty_fields(crawled: dict) -> None:
    out = crawled["first"].stdout
    assert "[ok] thessaliatv: 10 pages, 4 new, 0 updated, 0 unchanged" in out
    assert "empty fields (of 4 records): authors 4, published_at 1, tags 4" in out


def test_junk_include_urls_are_never_requested(crawled: dict) -> None:
    assert crawled["first_requests"]
    assert not [path for path in crawled["first_requests"] if "/include/" in path]


def test_second_crawl_fetches_no_known_article_and_adds_no_row(crawled: dict) -> None:
    assert crawled["second"].returncode == 0, crawled["second"].stderr
    assert "0 new, 0 updated, 0 unchanged, 4 known (not fetched)" in crawled["second"].stdout
    article_requests = [path for path in crawled["second_requests"] if "/news/1" in path]
    assert article_requests == []
    assert len(archived(crawled["db"])) == 4


def test_listing_pagination_stops_at_the_declared_depth(crawled: dict) -> None:
    listed = [path for path in crawled["first_requests"] if "?page=" in path]
    assert sorted(listed) == ["www.thessaliatv.gr/news/?page=2", "www.thessaliatv.gr/news/?page=3"]


def test_unreachable_site_is_reported_and_fails_the_exit_code(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'archive.db'}"
    result = newsarchive("crawl", "thessaliatv", "--db", db, "--mirror", CLOSED_PORT)
    assert result.returncode == 1
    assert "[FAILED] thessaliatv: 0 pages" in result.stdout
    assert "ConnectionRefused" in result.stdout


def test_one_unreachable_site_does_not_stop_the_others(server: FixtureServer, db_url: str) -> None:
    db = db_url
    result = newsarchive(
        "crawl",
        "thessaliatv",
        "larissanet",
        "--db",
        db,
        "--mirror",
        f"www.thessaliatv.gr={CLOSED_PORT}",
        "--mirror",
        f"www.larissanet.gr={server.url}",
    )
    assert result.returncode == 1
    assert "[FAILED] thessaliatv: 0 pages" in result.stdout
    assert "[ok] larissanet:" in result.stdout
    sites = {str(row["site"]) for row in archived(db).values()}
    assert sites == {"larissanet"}


def test_fixture_pages_are_found_without_scanning_every_page(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from newsarchive.fixture_server import FixtureSite, load_sites

    site = load_sites()["www.thessaliatv.gr"]
    trap = "/news/186748/include/images/antagonistikotitaframeEL.jpg"
    expected = site.find(trap)
    assert expected is not None and expected.name.startswith("xionia")  # the alias's page
    many = FixtureSite(name="big", hosts=["big.gr"], aliases=site.aliases)
    many.pages = {f"/news/{n}/slug/": Path(f"{n}.html") for n in range(5000)}
    assert many.find("/news/4321/include/x.jpg") == Path("4321.html")
    calls: list[str] = []
    original = FixtureSite.alias_key
    monkeypatch.setattr(
        FixtureSite, "alias_key", lambda self, path: calls.append(path) or original(self, path)
    )
    assert many.find("/news/17/include/y.jpg") == Path("17.html")
    assert many.find("/nowhere/") is None
    assert len(calls) == 2  # one key per lookup, not one per page


def test_the_fixture_server_queues_many_connections() -> None:
    from newsarchive.fixture_server import _Server

    assert _Server.request_queue_size >= 1024


# --- a site known only by its URL, backfill, fallbacks, politeness -------------------------------

UNKNOWN_HOME = "https://www.kampos-news.example/"
UNKNOWN_NAME = "kampos_news_example"


def unknown_outlet_expected() -> dict[str, dict[str, object]]:
    """The golden records of `_unknown_outlet` (no site file), by canonical URL."""
    from newsarchive import golden
    from newsarchive.fixture_server import articles_folder, fixture_root

    folder = articles_folder(fixture_root() / "_unknown_outlet")
    pages = [golden.load(path) for path in sorted(folder.glob("*.json"))]
    return {str(page.expected["canonical_url"]): page.expected for page in pages}


def test_crawl_url_archives_a_site_with_no_site_file_by_the_generic_rules(
    server: FixtureServer, tmp_path: Path
) -> None:
    db = f"sqlite:///{tmp_path / 'url.db'}"
    done = newsarchive(
        "crawl", "--url", UNKNOWN_HOME, "--region", "larisa", "--db", db, "--mirror", server.url
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"[ok] {UNKNOWN_NAME}: " in done.stdout and " 3 new," in done.stdout
    rows = archived(db)
    expected = unknown_outlet_expected()
    assert set(rows) == set(expected)
    for url, want in expected.items():
        # extract() names an unknown host's records after the host; the crawl after its site
        want = {**want, "site": UNKNOWN_NAME, "region": "larisa"}
        for name, value in want.items():
            if name in ("published_at", "modified_at") and value is not None:
                assert datetime.fromisoformat(str(rows[url][name])) == datetime.fromisoformat(
                    str(value)
                )
            else:
                assert rows[url][name] == value, (url, name)
    asked = [path for path in server.requests if path.startswith("www.kampos-news.example/")]
    assert "www.kampos-news.example/comments/feed/" not in asked
    assert not [path for path in asked if "/tag/" in path or "/author/" in path]


def test_a_backfill_stops_at_since(server: FixtureServer, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'backfill.db'}"
    before = len(server.requests)
    done = newsarchive(
        "crawl", "--url", UNKNOWN_HOME, "--since", "2025-01-01", "--db", db, "--mirror", server.url
    )
    assert done.returncode == 0, done.stdout + done.stderr
    asked = server.requests[before:]
    assert "www.kampos-news.example/post-sitemap.xml" in asked
    assert "www.kampos-news.example/post-sitemap2.xml" not in asked  # last modified in 2024
    stored = set(archived(db))
    assert len(stored) == 2 and all("/2026/" in url for url in stored)


def test_a_backfill_of_a_wordpress_site_asks_its_rest_api_from_since(
    server: FixtureServer, tmp_path: Path
) -> None:
    db = f"sqlite:///{tmp_path / 'rest.db'}"
    before = len(server.requests)
    done = newsarchive(
        "crawl", "larissanet", "--since", "2026-01-01", "--db", db, "--mirror", server.url
    )
    assert done.returncode == 0, done.stdout + done.stderr
    rest = [path for path in server.requests[before:] if "/wp-json/" in path]
    assert rest and all("after=2026-01-01T00:00:00" in path for path in rest)
    stored = set(archived(db))
    assert len(stored) == 2 and all("/2026/" in url for url in stored)  # not the 2022 article


def test_a_feed_that_answers_html_is_reported_and_the_listing_used(tmp_path: Path) -> None:
    from newsarchive.fixture_server import fixture_root
    from tests import faulty_server as fs

    folder = fixture_root() / "larissanet"
    pages = {
        "/feed/": fs.ok((folder / "latest.html").read_bytes()),  # a theme's page, not RSS
        "/latest/": fs.ok((folder / "latest.html").read_bytes()),
    }
    for url, page in article_urls_of(folder).items():
        pages[url.removeprefix("https://www.larissanet.gr")] = fs.ok(page.read_bytes())
    db = f"sqlite:///{tmp_path / 'fallback.db'}"
    with fs.serve(pages) as faulty:
        done = newsarchive(
            "crawl", "larissanet", "--db", db, "--mirror", f"www.larissanet.gr={faulty.url}"
        )
    assert "endpoints: " in done.stdout, done.stdout
    line = next(line for line in done.stdout.splitlines() if "endpoints: " in line)
    assert "/feed/ answered HTML" in line and "/wp-json/wp/v2/posts answered HTTP 404" in line
    assert "used listing" in line
    assert len(archived(db)) == 3  # every article, from /latest/
    assert "larissanet: feed /feed/ answered HTML" in done.stderr


def article_urls_of(folder: Path) -> dict[str, Path]:
    from newsarchive.fixture_server import article_urls

    return article_urls(folder)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--url", "ftp://kampos-news.example/"], "--url: not an absolute http(s) URL"),
        (["--url", "https://"], "--url"),
        (["--url", "https://thessaliatv.gr/"], "is the site 'thessaliatv': crawl it by its name"),
        (["--url", UNKNOWN_HOME, "thessaliatv"], "give --url alone"),
        (["thessaliatv", "--region", "larisa"], "--region goes with --url"),
        (["thessaliatv", "--since", "01/01/2025"], "--since '01/01/2025' is not an ISO date"),
        (["thessaliatv", "--since", "2025-02-30"], "is not an ISO date"),
        (["thessaliatv", "--until", "2025-01-01"], "--until goes with --since"),
        (["thessaliatv", "--since", "2025-03-01", "--until", "2025-01-01"], "is before --since"),
        (["thessaliatv", "--since", "2999-01-01"], "is in the future"),
    ],
)
def test_bad_url_or_backfill_options_are_refused_on_one_line(
    args: list[str], message: str, tmp_path: Path
) -> None:
    db = tmp_path / "refused.db"
    done = newsarchive("crawl", *args, "--db", f"sqlite:///{db}", "--mirror", CLOSED_PORT)
    assert done.returncode == 2, done.stdout + done.stderr
    assert message in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert not db.exists()  # refused before the archive is made


def test_politeness_settings() -> None:
    from scrapy.settings import Settings

    settings = Settings()
    settings.setmodule("newsarchive.settings")
    assert settings.getbool("ROBOTSTXT_OBEY") and settings.getbool("AUTOTHROTTLE_ENABLED")
    assert settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") <= 2
    assert settings.getfloat("DOWNLOAD_DELAY") > 0
    agent = settings.get("USER_AGENT")
    assert agent.startswith("newsarchive/") and "https://" in agent
    assert "newsarchive.crawl.retry_after.RetryAfterMiddleware" in settings.getdict(
        "DOWNLOADER_MIDDLEWARES"
    )


def test_no_callback_is_a_generator_returning_a_value() -> None:
    """What Scrapy's check would warn of, made here once (the crawl turns it off)."""
    import inspect

    from scrapy.settings import Settings
    from scrapy.utils.misc import is_generator_with_return_value

    from newsarchive.spiders.base import NewsSpider

    settings = Settings()
    settings.setmodule("newsarchive.settings")
    assert not settings.getbool("WARN_ON_GENERATOR_RETURN_VALUE")
    callbacks = [
        method
        for name, method in vars(NewsSpider).items()
        if name.startswith(("parse", "on_"))
        and (inspect.isgeneratorfunction(method) or inspect.isasyncgenfunction(method))
    ]
    assert len(callbacks) >= 8
    assert not any(is_generator_with_return_value(method) for method in callbacks)


def test_the_user_agent_is_configurable_from_the_environment() -> None:
    import os

    code = (
        "from scrapy.utils.project import get_project_settings as g; print(g().get('USER_AGENT'))"
    )
    agent = "newsarchive-test/1.0 (+https://example.org/contact)"
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "NEWSARCHIVE_USER_AGENT": agent},
        cwd=Path(__file__).parent.parent,
        timeout=60,
    )
    assert done.stdout.strip() == agent, done.stderr


TIMES = ("fetched_at", "first_seen_at")


def without_times(rows: dict[str, dict[str, object]]) -> dict[str, dict[str, object]]:
    return {url: {k: v for k, v in row.items() if k not in TIMES} for url, row in rows.items()}


def crawl_with_workers(processes: str, url: str, db: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "newsarchive", "crawl", "thessaliatv", "--db", db, "--mirror", url],
        env={**os.environ, extraction_workers.SETTING: processes},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )


@pytest.mark.parametrize("processes", ["0", "2"])
def test_the_records_are_the_same_with_or_without_extraction_processes(
    processes: str, crawled: dict, server: FixtureServer, tmp_path: Path
) -> None:
    db = f"sqlite:///{tmp_path / 'archive.db'}"
    crawl = crawl_with_workers(processes, server.url, db)
    _, stderr = crawl.communicate(timeout=240)
    assert crawl.returncode == 0, stderr
    assert without_times(archived(db)) == without_times(archived(crawled["db"]))


def extraction_processes_of(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(child) for child in children if "spawn_main" in cmdline(int(child))]


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_text()
    except OSError:
        return ""


def test_an_extraction_process_killed_mid_crawl_loses_no_article(
    crawled: dict, tmp_path: Path
) -> None:
    db = f"sqlite:///{tmp_path / 'archive.db'}"
    with serve(delay=0.2) as slow:
        crawl = crawl_with_workers("1", slow.url, db)
        deadline = time.monotonic() + 120
        while not (workers := extraction_processes_of(crawl.pid)):
            assert crawl.poll() is None and time.monotonic() < deadline, "no extraction process"
            time.sleep(0.02)
        os.kill(workers[0], signal.SIGKILL)
        _, stderr = crawl.communicate(timeout=240)
    assert crawl.returncode == 0, stderr
    assert without_times(archived(db)) == without_times(archived(crawled["db"]))


@pytest.mark.parametrize("processes", ["two", "-1", "1.5"])
def test_a_number_of_extraction_processes_that_is_none_is_refused_before_the_archive(
    processes: str, tmp_path: Path
) -> None:
    db = tmp_path / "refused.db"
    crawl = crawl_with_workers(processes, CLOSED_PORT, f"sqlite:///{db}")
    _, stderr = crawl.communicate(timeout=60)
    assert crawl.returncode == 2, stderr
    assert "NEWSARCHIVE_EXTRACT_PROCESSES must be auto, 0" in stderr, stderr
    assert len(stderr.strip().splitlines()) == 1 and repr(processes) in stderr
    assert not db.exists()
