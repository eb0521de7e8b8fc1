"""A lock per site: overlapping crawls never crawl one site at once; the second skips it and
says so; a lock dies with its process, even by SIGKILL."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from newsarchive import sites
from newsarchive.crawl.locks import FileLocks, lock_folder, site_locks
from newsarchive.fixture_server import FixtureServer, serve
from tests.conftest import REPO
from tests.processes import crawl, finished

HOLD = (
    "import sys, time\n"
    "from newsarchive.crawl.locks import site_locks\n"
    "locks = site_locks(sys.argv[1])\n"
    "assert locks.take('thessaliatv') is None\n"
    "print('held', flush=True)\n"
    "time.sleep(120)\n"
)
"""A process that takes thessaliatv's lock and keeps it (until it is killed)."""


def article_requests(server: FixtureServer, host: str) -> Counter[str]:
    """How often the server was asked for each article page of `host`."""
    asked = (f"https://{path}" for path in server.requests if path.startswith(host))
    return Counter(url for url in asked if sites.is_article_url(url))


@pytest.mark.parametrize("second", ["same process", "another opening"])
def test_a_site_is_held_once_and_free_again_when_released(db_url: str, second: str) -> None:
    first = site_locks(db_url)
    other = first if second == "same process" else site_locks(db_url)
    try:
        assert first.take("thessaliatv") is None
        if other is not first:
            holder = other.take("thessaliatv")
            assert holder is not None and f"pid {os.getpid()}" in holder.process
            assert holder.describe().startswith("another crawl holds it since 20")
        assert other.take("larissanet") is None  # another site: its own lock
        first.release()
        if other is not first:
            assert other.take("thessaliatv") is None
    finally:
        first.release()
        other.release()


def test_a_lock_dies_with_its_process_even_by_sigkill(db_url: str, tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, db_url],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    locks = site_locks(db_url)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        found = locks.take("thessaliatv")
        assert found is not None and f"pid {holder.pid}" in found.process
        holder.kill()
        holder.wait(timeout=30)
        deadline = time.monotonic() + 30  # the server sees the connection drop at once
        while locks.take("thessaliatv") is not None:
            assert time.monotonic() < deadline, "the lock outlived its process"
            time.sleep(0.1)
    finally:
        holder.kill()
        locks.release()


def test_a_sqlite_archives_locks_are_files_beside_it(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'news.db'}"
    locks = site_locks(db)
    assert isinstance(locks, FileLocks) and locks.folder == tmp_path / "news-locks"
    assert lock_folder(Path("/srv/archive")) == Path("/srv/archive-locks")
    assert locks.take("thessaliatv") is None
    note = json.loads((tmp_path / "news-locks" / "thessaliatv.lock").read_text())
    assert note["process"].startswith(f"pid {os.getpid()} on ") and note["since"]
    locks.release()


def test_a_held_site_is_skipped_in_one_line_and_the_others_crawled(
    db_url: str, tmp_path: Path
) -> None:
    held = site_locks(db_url)
    assert held.take("thessaliatv") is None
    summary = tmp_path / "summary.json"
    try:
        with serve() as server:
            code, out, err = finished(
                crawl(
                    *("thessaliatv", "larissanet", "--mirror", server.url, "--db", db_url),
                    *("--summary-json", str(summary)),
                    cwd=tmp_path,
                ),
                timeout=240,
            )
            asked = list(server.requests)
    finally:
        held.release()
    assert code == 0, out + err
    skipped = [line for line in out.splitlines() if "thessaliatv" in line]
    assert len(skipped) == 1, out
    assert skipped[0].startswith("[skipped] thessaliatv: another crawl holds it since 20")
    assert f"pid {os.getpid()} on " in skipped[0]
    assert "[ok] larissanet: " in out
    assert not any(path.startswith("www.thessaliatv.gr/") for path in asked)
    sites = {site["site"]: site for site in json.loads(summary.read_text())["sites"]}
    assert sites["thessaliatv"]["status"] == "skipped" and sites["larissanet"]["status"] == "ok"
    assert sites["thessaliatv"]["reason"] in skipped[0]


def test_overlapping_crawls_never_crawl_a_site_twice_at_once(tmp_path: Path) -> None:
    """The second crawl starts while the first is fetching thessaliatv (each answer takes
    3 s until the second is done): it skips the site, and every article is fetched once."""
    db = f"sqlite:///{tmp_path / 'archive.db'}"
    with serve(delay=3.0) as server:
        first = crawl("thessaliatv", "--mirror", server.url, "--db", db, cwd=tmp_path)
        deadline = time.monotonic() + 60
        while not any(path.startswith("www.thessaliatv.gr/") for path in server.requests):
            assert first.poll() is None and time.monotonic() < deadline, "no request came"
            time.sleep(0.05)
        second = crawl("thessaliatv", "--mirror", server.url, "--db", db, cwd=tmp_path)
        later = finished(second, timeout=240)
        assert first.poll() is None, "the first crawl ended before the second took the lock"
        server.load.delay = 0  # the first may finish now
        earlier = finished(first, timeout=240)
        fetched = article_requests(server, "www.thessaliatv.gr/")
    assert earlier[0] == 0 and "[ok] thessaliatv: " in earlier[1], earlier
    assert later[0] == 0 and "[skipped] thessaliatv: another crawl holds it" in later[1], later
    assert fetched and set(fetched.values()) == {1}
