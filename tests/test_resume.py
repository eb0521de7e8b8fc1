"""Resumable crawls: a crawl killed with SIGKILL leaves the archive consistent and the next run
stores what is left, fetching no archived article again; a crawl stopped by --max-duration
keeps its frontier, and the next run resumes it."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import time
from collections import Counter
from pathlib import Path

from sqlalchemy import func, select

from newsarchive import sites
from newsarchive.archive import Archive, ArchiveError
from newsarchive.archive.models import ArticleRow, CrawlRunRow, RawPageRow, VersionRow
from newsarchive.archive.warc import read_response, warc_folder
from newsarchive.crawl.jobs import MARKER, read_marker
from newsarchive.fixture_server import serve
from tests.corpus import site_pages
from tests.processes import crawl, finished

KILLED_SITES = ("thessaliatv", "larissanet", "eleftheria", "myvolos", "taxydromos", "trikalavoice")
"""Sites of every kind of discovery: listings, feeds, sitemaps, REST, `?p=` short links, http."""


def expected_articles(names: set[str] | None = None) -> Counter[str]:
    """Per site, the articles its fixture serves (teasers are dropped by a crawl)."""
    return Counter(
        found.family
        for found in site_pages()
        if found.page.kind == "article" and (names is None or found.family in names)
    )


def archived(db: str) -> dict[str, str]:
    """Each archived article's canonical URL, and its site."""
    with Archive(db, read_only=True) as archive:
        rows = archive.session.execute(select(ArticleRow.canonical_url, ArticleRow.site))
        return {url: site for url, site in rows}


def fetched_urls(db: str) -> set[str]:
    """Where each archived article was fetched from (`host/path`, as the server logs it):
    a URL such as WordPress's `/?p=123` gives an article whose canonical URL is another."""
    with Archive(db, read_only=True) as archive:
        return {without_scheme(url) for url in archive.session.scalars(select(ArticleRow.url))}


def stored_count(db: str) -> int:
    """How many articles the archive holds (0 while it is being made)."""
    try:
        return len(archived(db))
    except ArchiveError:
        return 0


def article_requests(requests: list[str]) -> Counter[str]:
    """How often each article page was asked for (`host/path`, as the server logs it)."""
    return Counter(path for path in requests if sites.is_article_url(f"https://{path}"))


def without_scheme(url: str) -> str:
    return url.split("://", 1)[1]


def assert_consistent(db: str) -> None:
    """No half rows: SQLite's integrity check (a SQLite archive), every article with its
    versions counted and current, every version's raw page kept and readable."""
    if db.startswith("sqlite:///"):
        with sqlite3.connect(db.removeprefix("sqlite:///")) as connection:
            assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    folder = warc_folder(db)
    with Archive(db, read_only=True) as archive:
        session = archive.session
        per_article = select(VersionRow.article_id, func.count()).group_by(VersionRow.article_id)
        counted = {article: count for article, count in session.execute(per_article)}
        for article in session.scalars(select(ArticleRow)):
            assert counted.get(article.id) == article.version_count, article.canonical_url
            current = session.get(VersionRow, article.current_version_id)
            assert current is not None and current.article_id == article.id
        for version in session.scalars(select(VersionRow)):
            page = session.get(RawPageRow, version.raw_page_id)
            assert page is not None, version.id
            read_response(folder, page.warc_file, page.warc_offset, page.warc_length)


def wait_for_articles(process: subprocess.Popen[str], db: str, count: int) -> None:
    deadline = time.monotonic() + 120
    while stored_count(db) < count:
        assert process.poll() is None, "the crawl ended before it could be killed"
        assert time.monotonic() < deadline, f"fewer than {count} articles stored after 120 s"
        time.sleep(0.1)


def test_a_crawl_killed_with_sigkill_is_resumed_without_refetching_or_duplicates(
    db_url: str, tmp_path: Path
) -> None:
    expected = expected_articles(set(KILLED_SITES))
    with serve(delay=1.0) as server:
        first = crawl(*KILLED_SITES, "--mirror", server.url, "--db", db_url, cwd=tmp_path)
        try:
            wait_for_articles(first, db_url, 3)
        finally:
            first.kill()  # SIGKILL: no handler runs, no job is kept
            first.wait(timeout=30)
        at_kill = fetched_urls(db_url)
        assert len(at_kill) < sum(expected.values()), "killed too late: nothing was left"
        assert_consistent(db_url)
        assert at_kill <= set(article_requests(server.requests))
        mark = len(server.requests)
        server.load.delay = 0
        code, out, err = finished(
            crawl(*KILLED_SITES, "--mirror", server.url, "--db", db_url, cwd=tmp_path)
        )
        asked_after = article_requests(server.requests[mark:])
    assert code == 0, out + err
    assert "was killed before it could keep its frontier; starting again" in err
    assert not at_kill & set(asked_after)
    assert_consistent(db_url)
    stored = archived(db_url)
    assert Counter(stored.values()) == expected
    with Archive(db_url, read_only=True) as archive:
        session = archive.session
        assert session.scalar(select(func.count()).select_from(VersionRow)) == len(stored)
        runs = list(session.scalars(select(CrawlRunRow).order_by(CrawlRunRow.id)))
    assert [run.finished_at is None for run in runs] == [True, False]  # killed, then finished


def test_a_crawl_stopped_by_max_duration_keeps_its_frontier_and_the_next_resumes_it(
    db_url: str, tmp_path: Path
) -> None:
    names = {"thessaliatv", "thessaly_gov"}
    summary = tmp_path / "summary.json"
    jobs = tmp_path / "jobs"
    with serve(delay=0.6) as server:
        code, out, err = finished(
            crawl(
                *sorted(names),
                *("--mirror", server.url, "--db", db_url, "--jobdir", str(jobs)),
                *("--max-duration", "1s", "--summary-json", str(summary)),
                cwd=tmp_path,
            )
        )
        assert code == 0, out + err
        stopped = json.loads(summary.read_text(encoding="utf-8"))
        kept = {site["site"] for site in stopped["sites"] if site["frontier_kept"]}
        assert stopped["stopped"] == "max-duration" and kept, stopped
        for site in kept:
            assert f"  stopped by --max-duration: its frontier is kept in {jobs / site}" in out
            assert (read_marker(jobs / site) or {})["state"] == "stopped"
        at_stop = archived(db_url)
        assert len(at_stop) < sum(expected_articles(names).values())
        server.load.delay = 0
        code, out, err = finished(
            crawl(
                *sorted(names),
                *("--mirror", server.url, "--db", db_url, "--jobdir", str(jobs)),
                *("--summary-json", str(summary)),
                cwd=tmp_path,
            )
        )
        asked = article_requests(server.requests)
    assert code == 0, out + err
    run_id = stopped["run_id"]
    for site in kept:
        assert f"{site}: resuming the crawl of run {run_id}, stopped by --max-duration" in err
    resumed = json.loads(summary.read_text(encoding="utf-8"))
    assert resumed["stopped"] is None and resumed["exit_status"] == 0
    assert {site["site"] for site in resumed["sites"] if site["resumed"]} == kept
    assert not jobs.exists() or not any(jobs.iterdir())  # finished: nothing left to resume
    assert Counter(archived(db_url).values()) == expected_articles(names)
    assert asked and set(asked.values()) == {1}  # no article fetched twice across the two runs
    assert_consistent(db_url)


def test_a_killed_jobs_marker_is_running_and_is_discarded(tmp_path: Path) -> None:
    from newsarchive.crawl.jobs import Job

    folder = tmp_path / "thessaliatv"
    job = Job("thessaliatv", folder)
    job.open()
    (folder / "requests.seen").write_bytes(b"\x00\x02ab")  # what Scrapy left half-written
    assert job.state == "new" and (read_marker(folder) or {})["state"] == "running"
    again = Job("thessaliatv", folder)
    again.open()  # the first never closed: killed
    assert again.state == "killed" and not (folder / "requests.seen").exists()
    assert "was killed before it could keep its frontier" in (again.line() or "")
    assert again.close("closespider_timeout", 7) is True
    assert (read_marker(folder) or {})["reason"] == "closespider_timeout"
    resumed = Job("thessaliatv", folder)
    resumed.open()
    assert resumed.state == "resumed" and "of run 7, stopped by --max-duration" in (
        resumed.line() or ""
    )
    assert resumed.close("finished", 8) is False and not folder.exists()
    assert not (tmp_path / MARKER).exists()
