"""End to end: real Scrapy crawls of the fixture sites, served on 127.0.0.1, into a real archive."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

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
