"""Raw pages kept by a real crawl of the fixture sites, and `newsarchive reextract` rebuilding
the records from them alone (no network)."""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner
from sqlalchemy import select, update

from newsarchive import extraction_workers
from newsarchive.archive import Archive
from newsarchive.archive.models import ArticleRow, CrawlRunRow, RawPageRow, VersionRow
from newsarchive.archive.warc import read_response
from newsarchive.cli import main
from newsarchive.extract import from_response
from newsarchive.fixture_server import FixtureServer, load_sites, serve
from newsarchive.items import NotAnArticleError

SITES = ("thessaliatv", "larissanet")


def newsarchive(*args: str, warc_dir: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The CLI in a fresh process (a Twisted reactor starts only once per process)."""
    env = {key: value for key, value in os.environ.items() if key != "NEWSARCHIVE_WARC_DIR"}
    if warc_dir is not None:
        env["NEWSARCHIVE_WARC_DIR"] = str(warc_dir)
    return subprocess.run(
        [sys.executable, "-m", "newsarchive", *args],
        capture_output=True,
        text=True,
        timeout=240,
        encoding="utf-8",
        env=env,
    )


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def server() -> Iterator[FixtureServer]:
    with serve() as running:
        yield running


@pytest.fixture(scope="module")
def crawled(server: FixtureServer, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding `news.db`, crawled from both fixture sites, and its `news-warc/`."""
    folder = tmp_path_factory.mktemp("crawled")
    result = newsarchive("crawl", *SITES, "--db", str(folder / "news.db"), "--mirror", server.url)
    assert result.returncode == 0, result.stdout + result.stderr
    return folder


@pytest.fixture
def db(crawled: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the crawled archive and its WARC folder, for one test to change."""
    copy = tmp_path / "copy"
    shutil.copytree(crawled, copy)
    monkeypatch.delenv("NEWSARCHIVE_WARC_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    return copy / "news.db"


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """No network: any attempt to connect a socket fails the test. The pages are extracted in
    this process (NEWSARCHIVE_EXTRACT_PROCESSES=0), where the sockets are patched; the tests
    parametrized with `processes` run the same extraction in worker processes too."""
    monkeypatch.setenv(extraction_workers.SETTING, "0")

    def refused(*args: Any, **kwargs: Any) -> None:
        raise AssertionError(f"network used: {args[1:] or kwargs}")

    monkeypatch.setattr(socket.socket, "connect", refused)
    monkeypatch.setattr(socket.socket, "connect_ex", refused)
    monkeypatch.setattr(socket, "create_connection", refused)


def versions(db_url: str) -> list[VersionRow]:
    with Archive(db_url, create=False) as archive:
        return list(archive.session.scalars(select(VersionRow).order_by(VersionRow.id)))


def raw_pages(db_url: str) -> dict[int, RawPageRow]:
    with Archive(db_url, create=False) as archive:
        return {row.id: row for row in archive.session.scalars(select(RawPageRow))}


def snapshot(folder: Path) -> dict[str, str]:
    """Every file of a folder (recursively) and its SHA-256: what "nothing written" compares."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def served_bytes(url: str) -> bytes:
    """The bytes the fixture server sends for a URL."""
    parts = urlsplit(url)
    site = load_sites()[parts.netloc]
    file = site.find(parts.path + (f"?{parts.query}" if parts.query else ""))
    assert file is not None, url
    return file.read_bytes()


def article_requests(server: FixtureServer) -> list[str]:
    """The requests the server answered with an article page."""
    found = []
    for request in server.requests:
        host, _, rest = request.partition("/")
        site = load_sites().get(host)
        file = site.find("/" + rest) if site else None
        if file is not None and file.parent.name == "articles":
            found.append(request)
    return found


# --- what a crawl keeps -----------------------------------------------------------------------


def test_a_crawl_keeps_one_raw_page_per_fetched_article(
    crawled: Path, server: FixtureServer
) -> None:
    url = f"sqlite:///{crawled / 'news.db'}"
    kept, found = raw_pages(url), versions(url)
    assert len(found) >= 7
    assert len(kept) == len(article_requests(server))
    assert sorted(version.raw_page_id for version in found) == sorted(kept)  # one each
    for version in found:
        raw = kept[version.raw_page_id]  # type: ignore[index]
        assert raw.url == version.record["url"]
        assert raw.fetched_at == version.fetched_at
        stored = read_response(
            crawled / "news-warc", raw.warc_file, raw.warc_offset, raw.warc_length
        )
        assert stored.body == served_bytes(raw.url)
        assert stored.content_type == raw.content_type == "text/html; charset=utf-8"
        assert hashlib.sha256(stored.body).hexdigest() == raw.payload_sha256
    with Archive(url, create=False) as archive:
        (run_id,) = archive.session.scalars(
            select(CrawlRunRow.id).where(CrawlRunRow.kind == "crawl")
        )
    assert {raw.crawl_run_id for raw in kept.values()} == {run_id}


def test_raw_pages_off_keeps_no_page(server: FixtureServer, tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from newsarchive.crawl import crawl_settings, run_crawl\n"
        "settings = crawl_settings(sys.argv[1], mirror=sys.argv[2], progress=False)\n"
        "settings.set('NEWSARCHIVE_RAW_PAGES', False, priority='cmdline')\n"
        "run_crawl(['thessaliatv'], settings)\n"
    )
    db_url = f"sqlite:///{tmp_path / 'news.db'}"
    with Archive(db_url):
        pass
    done = subprocess.run(
        [sys.executable, "-c", script, db_url, server.url], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert raw_pages(db_url) == {}
    assert versions(db_url) and all(v.raw_page_id is None for v in versions(db_url))
    assert not (tmp_path / "news-warc").exists()


# --- reextract ----------------------------------------------------------------------------------


@pytest.mark.parametrize("processes", ["0", "1"])
def test_reextract_reproduces_every_record_from_warc_alone(
    db: Path, offline: None, processes: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(extraction_workers.SETTING, processes)
    url = f"sqlite:///{db}"
    before = versions(url)
    kept = raw_pages(url)
    for version in before:
        raw = kept[version.raw_page_id]  # type: ignore[index]
        stored = read_response(
            db.parent / "news-warc", raw.warc_file, raw.warc_offset, raw.warc_length
        )
        article = from_response(
            stored.body, stored.content_type, raw.url, fetched_at=raw.fetched_at
        )
        assert article.to_dict() == version.record
    code, out, err = run("reextract", "--db", str(db))
    assert code == 0, err
    assert f"{len(before)} raw page(s) read" in out
    assert "changed: 0 record(s)" in out
    assert f"unchanged: {len(before)}" in out
    assert "without a raw page: 0" in out and "unreadable raw pages: 0" in out
    assert [v.id for v in versions(url)] == [v.id for v in before]
    with Archive(url, create=False) as archive:
        run_row = archive.session.scalars(
            select(CrawlRunRow).where(CrawlRunRow.kind == "reextract")
        ).one()
    assert run_row.exit_status == 0 and run_row.finished_at is not None
    assert sorted(run_row.sites) == sorted(SITES)
    assert sum(counts["unchanged"] for counts in run_row.counts.values()) == len(before)


TAMPERED = [
    ("published_at", None),
    ("lead", "Παλιός υπότιτλος από παλαιότερο εξαγωγέα"),
    ("tags", ["Παλιά ετικέτα"]),
    ("body", "Το σώμα όπως το έβγαζε ο παλιός εξαγωγέας."),
]


@dataclass(frozen=True)
class Tampered:
    article_id: int
    raw_page_id: int | None
    record: dict[str, Any]
    """The record as it was stored before it was tampered with."""


def tamper(url: str, field: str, value: Any) -> Tampered:
    """The current version of the first article, its `field` as an older extractor gave it."""
    with Archive(url, create=False) as archive:
        version = archive.session.scalars(select(VersionRow).order_by(VersionRow.id)).first()
        assert version is not None and version.record[field] != value
        kept = Tampered(version.article_id, version.raw_page_id, dict(version.record))
        record = {**version.record, field: value}
        archive.session.execute(
            update(VersionRow).where(VersionRow.id == version.id).values(record=record)
        )
        archive.session.commit()
    return kept


@pytest.mark.parametrize(("field", "value"), TAMPERED, ids=[case[0] for case in TAMPERED])
def test_dry_run_reports_the_changed_field_and_writes_nothing(
    db: Path, offline: None, field: str, value: Any
) -> None:
    url = f"sqlite:///{db}"
    tamper(url, field, value)
    before = snapshot(db.parent)
    code, out, err = run("reextract", "--dry-run", "--db", str(db))
    assert code == 0, err
    assert f"changed: 1 record(s) ({field} 1); dry run: nothing written" in out
    assert snapshot(db.parent) == before


@pytest.mark.parametrize("processes", ["0", "1"])
@pytest.mark.parametrize(("field", "value"), TAMPERED, ids=[case[0] for case in TAMPERED])
def test_reextract_adds_a_version_naming_the_changed_field(
    db: Path, offline: None, field: str, value: Any, processes: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(extraction_workers.SETTING, processes)
    url = f"sqlite:///{db}"
    original = tamper(url, field, value)
    code, out, err = run("reextract", "--db", str(db))
    assert code == 0, err
    assert f"changed: 1 record(s) ({field} 1); new versions in run 2" in out
    newest = versions(url)[-1]
    assert (newest.article_id, newest.number, newest.changed) == (original.article_id, 2, [field])
    assert newest.record == original.record  # what the extractor gives from the page
    assert newest.raw_page_id == original.raw_page_id and newest.crawl_run_id == 2
    with Archive(url, create=False) as archive:
        row = archive.session.get(ArticleRow, original.article_id)
        assert row is not None and row.version_count == 2 and row.current_version_id == newest.id
        run_row = archive.session.get(CrawlRunRow, 2)
        assert run_row is not None and run_row.kind == "reextract" and run_row.exit_status == 0
    code, out, _ = run("reextract", "--db", str(db))
    assert code == 0 and "changed: 0 record(s)" in out  # done once, not again


def test_a_missing_warc_file_is_counted_and_reported(db: Path, offline: None) -> None:
    url = f"sqlite:///{db}"
    kept = raw_pages(url)
    lost = next(iter(kept.values())).warc_file
    (db.parent / "news-warc" / lost).unlink()
    missing = sum(1 for raw in kept.values() if raw.warc_file == lost)
    code, out, err = run("reextract", "--db", str(db))
    assert code == 1
    assert f"unreadable raw pages: {missing}" in out
    assert out.count("is missing") == min(missing, 10)
    assert f"unchanged: {len(kept) - missing}" in out
    assert "Traceback" not in out + err
    with Archive(url, create=False) as archive:
        run_row = archive.session.scalars(
            select(CrawlRunRow).where(CrawlRunRow.kind == "reextract")
        ).one()
    assert run_row.exit_status == 1
    errors = sum(
        counts["errors"].get("unreadable raw page", 0) for counts in run_row.counts.values()
    )
    assert errors == missing


def test_an_article_without_a_raw_page_is_counted(db: Path, offline: None) -> None:
    url = f"sqlite:///{db}"
    with Archive(url, create=False) as archive:
        first = archive.session.scalars(select(VersionRow.id).order_by(VersionRow.id)).first()
        archive.session.execute(
            update(VersionRow).where(VersionRow.id == first).values(raw_page_id=None)
        )
        archive.session.commit()
    code, out, _ = run("reextract", "--dry-run", "--db", str(db))
    assert code == 0
    assert "without a raw page: 1" in out


def test_a_page_that_no_longer_gives_an_article_is_counted_with_why(
    db: Path, offline: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{db}"
    gone = "https://www.thessaliatv.gr/news/185511/"
    real = extraction_workers.from_response

    def stricter(body: bytes, content_type: Any, page_url: str, **kwargs: Any) -> Any:
        if page_url == gone:
            raise NotAnArticleError("a gallery page, no article text")
        return real(body, content_type, page_url, **kwargs)

    monkeypatch.setattr(extraction_workers, "from_response", stricter)  # what reextract calls
    before = len(versions(url))
    code, out, _ = run("reextract", "--db", str(db))
    assert code == 0
    assert "no longer an article: 1 (not an article 1)" in out
    assert len(versions(url)) == before  # the archived record is kept as it is


def test_reextract_filters_by_site_and_since(db: Path, offline: None) -> None:
    url = f"sqlite:///{db}"
    with Archive(url, create=False) as archive:
        rows = list(archive.session.scalars(select(ArticleRow)))
    larissanet = [row for row in rows if row.site == "larissanet"]
    since = [row for row in rows if row.published_at and row.published_at.year >= 2026]
    code, out, _ = run("reextract", "--dry-run", "--site", "larissanet", "--db", str(db))
    assert code == 0 and f"{len(larissanet)} raw page(s) read" in out
    code, out, _ = run("reextract", "--dry-run", "--since", "2026-01-01", "--db", str(db))
    assert code == 0 and f"{len(since)} raw page(s) read" in out
    assert 0 < len(since) < len(rows)


BAD_OPTIONS = [
    (["--site", "kathimerini"], "unknown site"),
    (["--since", "2026-13-01"], "--since '2026-13-01' is not an ISO date"),
    (["--warc-dir", "missing-folder"], "--warc-dir missing-folder: no such folder"),
    (["--warc-dir", "copy/news.db"], "it is not a folder"),
    (["--warc-dir", " "], "--warc-dir needs a folder"),
]


@pytest.mark.parametrize(
    ("options", "message"), BAD_OPTIONS, ids=[case[1][:30] for case in BAD_OPTIONS]
)
def test_bad_options_are_refused_on_one_line_before_anything_is_written(
    db: Path, options: list[str], message: str
) -> None:
    before = snapshot(db.parent.parent)
    code, out, err = run("reextract", *options, "--db", str(db))
    assert code == 2
    assert message in err and err.count("\n") == 1 and err.startswith("newsarchive: error:")
    assert out == ""
    assert snapshot(db.parent.parent) == before


def test_a_missing_default_warc_folder_is_refused(db: Path) -> None:
    shutil.move(db.parent / "news-warc", db.parent / "elsewhere")
    before = snapshot(db.parent)
    code, _, err = run("reextract", "--db", str(db))
    assert code == 2 and "no WARC folder" in err and "--warc-dir" in err
    assert snapshot(db.parent) == before
    code, out, _ = run("reextract", "--db", str(db), "--warc-dir", str(db.parent / "elsewhere"))
    assert code == 0 and "changed: 0 record(s)" in out


def test_no_archive_is_refused_and_none_is_made(tmp_path: Path) -> None:
    code, _, err = run("reextract", "--db", str(tmp_path / "none.db"))
    assert code == 2 and "no archive at" in err
    assert list(tmp_path.iterdir()) == []


# --- both backends ------------------------------------------------------------------------------


def test_crawl_then_reextract_on_each_backend(
    db_url: str, server: FixtureServer, tmp_path: Path, offline: None
) -> None:
    warc = tmp_path / "warc"
    done = newsarchive(
        "crawl", "thessaliatv", "--db", db_url, "--mirror", server.url, warc_dir=warc
    )
    assert done.returncode == 0, done.stdout + done.stderr
    found = versions(db_url)
    assert found and all(version.raw_page_id is not None for version in found)
    code, out, err = run("reextract", "--db", db_url, "--warc-dir", str(warc))
    assert code == 0, err
    assert f"unchanged: {len(found)}" in out and "changed: 0 record(s)" in out
    original = tamper(db_url, "lead", "Ο υπότιτλος του παλιού εξαγωγέα")
    code, out, _ = run("reextract", "--dry-run", "--db", db_url, "--warc-dir", str(warc))
    assert "changed: 1 record(s) (lead 1); dry run: nothing written" in out
    assert len(versions(db_url)) == len(found)
    code, out, _ = run("reextract", "--db", db_url, "--warc-dir", str(warc))
    assert code == 0 and "changed: 1 record(s) (lead 1)" in out
    newest = versions(db_url)[-1]
    assert (newest.article_id, newest.changed, newest.record) == (
        original.article_id,
        ["lead"],
        original.record,
    )


def test_crawl_warc_dir_puts_the_raw_pages_where_asked(
    server: FixtureServer, tmp_path: Path
) -> None:
    chosen = tmp_path / "ωμές σελίδες"
    db = tmp_path / "news.db"
    crawled = newsarchive(
        "crawl", "thessaliatv", "--db", str(db), "--mirror", server.url, "--warc-dir", str(chosen)
    )
    assert crawled.returncode == 0, crawled.stdout + crawled.stderr
    assert not (tmp_path / "news-warc").exists()
    with Archive(str(db), read_only=True) as archive:
        pages = archive.session.scalars(select(RawPageRow)).all()
    assert pages and all((chosen / page.warc_file).is_file() for page in pages)
    code, out, err = run("reextract", "--db", str(db), "--warc-dir", str(chosen), "--dry-run")
    assert code == 0 and "changed: 0" in out, err


def test_a_page_whose_extraction_process_died_is_extracted_here() -> None:
    from concurrent.futures import Future
    from concurrent.futures.process import BrokenProcessPool
    from datetime import UTC, datetime

    from newsarchive.commands.reextract import outcome_of

    html = "<html><body><article><h1>Πλημμύρες στην Καρδίτσα</h1>"
    html += "<p>Η Περιφέρεια Θεσσαλίας ανακοίνωσε νέα μέτρα για τους πληγέντες.</p>" * 9
    url = "https://www.thessaliatv.gr/news/185999/plimmyres/"
    page = (f"{html}</article></body></html>".encode(), b"text/html", url, datetime.now(UTC))
    died: Future[extraction_workers.Extracted] = Future()
    died.set_exception(BrokenProcessPool("a worker was killed"))
    outcome = outcome_of(died, page)
    assert outcome == extraction_workers.extract_page(*page)
    assert outcome.article is not None and outcome.article.headline == "Πλημμύρες στην Καρδίτσα"
