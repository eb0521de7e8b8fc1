"""Crawl runs: every crawl is a `crawl_runs` row (from `newsarchive crawl`, a plain `scrapy crawl`,
a failing site, a killed crawl), and `newsarchive runs` lists them in each format."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import socket
import subprocess
import sys
import time
import unicodedata
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from newsarchive.archive import Archive
from newsarchive.archive.models import ArticleRow, CrawlRunRow, VersionRow
from newsarchive.archive.runs import finish_run, start_run
from newsarchive.cli import main
from newsarchive.commands.runs import HEALTH_FIELDS, RUN_FIELDS, TOTALS, duration_cell, totals
from newsarchive.crawl import MIRROR_HANDLERS
from newsarchive.crawl.health import Signal, SiteHealth
from newsarchive.dates import ATHENS
from newsarchive.fixture_server import FixtureServer, serve
from tests.conftest import REPO

CLOSED_PORT = "http://127.0.0.1:9"  # discard port: nothing listens there
GREEK_REASON = "χωρίς κείμενο"


def newsarchive(*args: str) -> subprocess.CompletedProcess[str]:
    """The CLI in a fresh process (a Twisted reactor starts once per process)."""
    return subprocess.run(
        [sys.executable, "-m", "newsarchive", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=240,
    )


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def runs_of(db: str) -> list[CrawlRunRow]:
    with Archive(db, read_only=True) as archive:
        return list(archive.session.scalars(select(CrawlRunRow).order_by(CrawlRunRow.id)))


def version_runs(db: str) -> list[int | None]:
    with Archive(db, read_only=True) as archive:
        return list(archive.session.scalars(select(VersionRow.crawl_run_id)))


@pytest.fixture(scope="module")
def server() -> Iterator[FixtureServer]:
    with serve() as running:
        yield running


# --- crawls make runs --------------------------------------------------------------------------


def test_a_crawl_is_a_run_with_its_counts_coverage_and_status(
    server: FixtureServer, db_url: str
) -> None:
    first = newsarchive("crawl", "thessaliatv", "--db", db_url, "--mirror", server.url)
    assert first.returncode == 0, first.stderr
    (run_row,) = runs_of(db_url)
    assert run_row.kind == "crawl" and run_row.sites == ["thessaliatv"]
    assert run_row.finished_at is not None and run_row.started_at <= run_row.finished_at
    assert run_row.exit_status == 0
    counts = run_row.counts["thessaliatv"]
    expected = {"fetched": 10, "new": 4, "updated": 0, "unchanged": 0, "known": 0}
    assert {name: counts[name] for name in expected} == expected
    assert counts["dropped"] == {} and counts["errors"] == {} and counts["failed"] is False
    coverage = run_row.coverage["thessaliatv"]
    assert coverage["headline"] == 1.0 and coverage["published_at"] == 0.75
    assert coverage["authors"] == 0.0
    assert version_runs(db_url) == [run_row.id] * 4  # each version knows its crawl

    second = newsarchive("crawl", "thessaliatv", "--db", db_url, "--mirror", server.url)
    assert second.returncode == 0, second.stderr
    latest = runs_of(db_url)[-1]
    assert latest.id != run_row.id and latest.exit_status == 0
    assert latest.counts["thessaliatv"]["known"] == 4
    assert latest.counts["thessaliatv"]["new"] == 0


def test_a_crawl_with_a_failing_site_is_a_run_with_exit_status_1(
    server: FixtureServer, db_url: str
) -> None:
    result = newsarchive(
        "crawl",
        "thessaliatv",
        "larissanet",
        "--db",
        db_url,
        "--mirror",
        f"www.thessaliatv.gr={CLOSED_PORT}",
        "--mirror",
        f"www.larissanet.gr={server.url}",
    )
    assert result.returncode == 1
    (run_row,) = runs_of(db_url)
    assert run_row.exit_status == 1 and run_row.sites == ["larissanet", "thessaliatv"]
    dead, alive = run_row.counts["thessaliatv"], run_row.counts["larissanet"]
    assert dead["failed"] is True and dead["fetched"] == 0
    assert sum(dead["errors"].values()) > 0
    assert any("ConnectionRefused" in kind for kind in dead["errors"]), dead["errors"]
    with Archive(db_url, read_only=True) as archive:
        stored = archive.session.scalars(select(func.count()).select_from(ArticleRow)).one()
    assert alive["failed"] is False and alive["new"] == stored > 0
    assert run_row.coverage["thessaliatv"] == {}


def test_a_plain_scrapy_crawl_is_a_run_too(server: FixtureServer, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'archive.db'}"
    settings = {
        "NEWSARCHIVE_DATABASE_URL": db,
        "NEWSARCHIVE_MIRROR": server.url,
        "NEWSARCHIVE_PROGRESS": "False",
        "DOWNLOAD_HANDLERS": json.dumps(MIRROR_HANDLERS),
        "DOWNLOAD_DELAY": "0",
        "AUTOTHROTTLE_ENABLED": "False",
        "LOG_LEVEL": "WARNING",
    }
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "thessaliatv"]
        + [arg for name, value in settings.items() for arg in ("-s", f"{name}={value}")],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=240,
        cwd=REPO,  # scrapy.cfg
    )
    assert result.returncode == 0, result.stderr
    (run_row,) = runs_of(db)
    assert run_row.sites == ["thessaliatv"] and run_row.exit_status == 0
    assert run_row.finished_at is not None
    assert run_row.counts["thessaliatv"]["new"] == 4
    assert version_runs(db) == [run_row.id] * 4


def test_a_killed_crawl_leaves_its_run_interrupted(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'archive.db'}"
    silent = socket.socket()  # accepts connections (the kernel does) and never answers
    silent.bind(("127.0.0.1", 0))
    silent.listen(64)
    mirror = f"http://127.0.0.1:{silent.getsockname()[1]}"
    crawl = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "newsarchive",
            "crawl",
            "thessaliatv",
            "--db",
            db,
            "--mirror",
            mirror,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while not (tmp_path / "archive.db").exists() or not _started(db):
            assert crawl.poll() is None, "the crawl ended before it could be killed"
            assert time.monotonic() < deadline, "no run row after 60 s"
            time.sleep(0.2)
    finally:
        crawl.kill()
        crawl.wait(timeout=30)
        silent.close()
    (run_row,) = runs_of(db)
    assert run_row.finished_at is None and run_row.exit_status is None
    code, out, _ = run("runs", "--db", db)
    assert code == 0
    assert out.splitlines()[2].split()[-1] == "interrupted"
    code, out, _ = run("runs", "--db", db, "--format", "json")
    (listed,) = json.loads(out)
    assert listed["status"] == "interrupted" and listed["finished_at"] is None
    assert listed["new"] is None and listed["duration_seconds"] is None


def _started(db: str) -> bool:
    try:
        return bool(runs_of(db))
    except Exception:  # the archive is still being created
        return False


# --- newsarchive runs --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> str:
    """An archive with four runs: an ok crawl, a failed crawl, an import, an interrupted crawl."""
    db = f"sqlite:///{tmp_path_factory.mktemp('runs') / 'archive.db'}"
    site_counts = {
        "fetched": 12,
        "new": 5,
        "updated": 1,
        "unchanged": 2,
        "known": 30,
        "refetched": {"lastmod": 1},
        "duplicates": 1,
        "in_stories": 2,
        "dropped": {GREEK_REASON: 2, "teaser": 1},
        "errors": {"HTTP 404": 1},
        "blocked": {},
    }
    with Archive(db) as archive:
        session = archive.session
        ok = start_run(session, "crawl", ["thessaliatv", "larissanet"])
        finish_run(
            session,
            ok,
            counts={"thessaliatv": site_counts, "larissanet": {**site_counts, "errors": {}}},
            coverage={"thessaliatv": {"headline": 1.0, "published_at": 0.75}},
            exit_status=0,
        )
        failed = start_run(session, "crawl", ["thessaliatv"])
        finish_run(
            session,
            failed,
            counts={"thessaliatv": {"fetched": 0, "errors": {"ConnectionRefusedError": 3}}},
            coverage={"thessaliatv": {}},
            exit_status=1,
        )
        imported = start_run(session, "import", [])
        finish_run(session, imported, counts={"new": 7, "bad lines": 2}, coverage={}, exit_status=0)
        start_run(session, "crawl", ["larissanet"])  # never finished
    return db


def test_runs_table_newest_first(history: str) -> None:
    code, out, err = run("runs", "--db", history)
    assert code == 0 and err == "4 run(s)\n"
    lines = out.splitlines()
    assert lines[0].split() == [
        "id", "kind", "started", "finished", "duration", "sites",
        "new", "updated", "unchanged", "known", "dropped", "errors", "status",
    ]  # fmt: skip
    rows = [line.split() for line in lines[2:]]
    assert [row[0] for row in rows] == ["4", "3", "2", "1"]
    dashes = ["-"] * 6  # no totals without an end
    assert rows[0][4:] == ["interrupted", "-", "larissanet", *dashes, "interrupted"]
    assert rows[1][-7:] == ["7", "0", "0", "0", "0", "0", "ok"]  # an import's flat counts
    assert rows[2][-2:] == ["3", "failed"]
    assert rows[3][-7:] == ["10", "2", "4", "60", "6", "1", "ok"]  # summed over both sites
    assert "larissanet, thessaliatv" in lines[-1]


def test_runs_json_and_jsonl_keep_counts_and_greek(history: str) -> None:
    code, out, _ = run("runs", "--db", history, "--format", "json")
    assert code == 0
    listed = json.loads(out)
    code, lines, _ = run("runs", "--db", history, "--format", "jsonl")
    assert [json.loads(line) for line in lines.splitlines()] == listed
    assert [entry["status"] for entry in listed] == ["interrupted", "ok", "failed", "ok"]
    assert list(listed[0]) == list(RUN_FIELDS)
    crawl = listed[3]
    assert crawl["kind"] == "crawl" and crawl["exit_status"] == 0
    assert (
        datetime.fromisoformat(crawl["started_at"]).utcoffset() == datetime.now(ATHENS).utcoffset()
    )
    assert crawl["duration_seconds"] is not None and crawl["duration_seconds"] >= 0
    assert crawl["counts"]["thessaliatv"]["dropped"][GREEK_REASON] == 2
    assert crawl["coverage"]["thessaliatv"]["published_at"] == 0.75
    assert {name: crawl[name] for name in ("new", "known", "dropped", "refetched")} == {
        "new": 10,
        "known": 60,
        "dropped": 6,
        "refetched": 2,
    }
    for text in (out, lines):
        assert GREEK_REASON in text and "\\u" not in text
        assert unicodedata.is_normalized("NFC", text)


def test_runs_csv_and_output_file(history: str, tmp_path: Path) -> None:
    target = tmp_path / "runs.csv"
    code, out, _ = run("runs", "--db", history, "--format", "csv", "-o", str(target))
    assert code == 0 and out == ""
    text = target.read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == list(RUN_FIELDS)
    assert [row["status"] for row in rows] == ["interrupted", "ok", "failed", "ok"]
    assert rows[3]["new"] == "10" and rows[0]["new"] == "" and rows[0]["finished_at"] == ""
    assert json.loads(rows[3]["sites"]) == ["larissanet", "thessaliatv"]
    assert json.loads(rows[3]["counts"])["thessaliatv"]["dropped"][GREEK_REASON] == 2
    assert GREEK_REASON in text


def test_runs_limit_gives_the_newest(history: str) -> None:
    code, out, _ = run("runs", "--db", history, "--limit", "2", "--format", "jsonl")
    assert code == 0
    assert [json.loads(line)["id"] for line in out.splitlines()] == [4, 3]


def test_runs_reads_without_writing(history: str) -> None:
    path = Path(history.removeprefix("sqlite:///"))
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    assert run("runs", "--db", history)[0] == 0
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--limit", "0"], "--limit"),
        (["--limit", "zwei"], "--limit"),
        (["--format", "xml"], "--format"),
        (["--raw-csv"], "--raw-csv goes with --format csv only"),
    ],
)
def test_runs_refuses_bad_options_on_one_line(history: str, args: list[str], message: str) -> None:
    code, out, err = run("runs", "--db", history, *args)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and message in err


def test_runs_of_a_missing_archive_is_refused_and_nothing_is_made(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.db"
    code, _, err = run("runs", "--db", str(missing))
    assert code == 2 and "no archive at" in err and len(err.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


# --- totals ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("counts", "finished", "expected"),
    [
        (
            {"a": {"new": 2, "dropped": {"teaser": 1, GREEK_REASON: 2}}, "b": {"new": 3}},
            True,
            {"new": 5, "dropped": 3},
        ),
        ({"new": 7, "bad lines": 2, "errors": {"line 3": 1}}, True, {"new": 7, "errors": 1}),
        ({}, True, {"new": 0, "errors": 0}),
        ({}, False, dict.fromkeys(TOTALS)),
        ({"a": {"new": "many", "failed": True}}, True, {"new": 0}),
    ],
)
def test_totals_sum_what_each_kind_of_run_kept(
    counts: dict[str, Any], finished: bool, expected: dict[str, int | None]
) -> None:
    row = CrawlRunRow(
        id=1,
        kind="crawl",
        started_at=datetime(2026, 12, 1, 10, 0, tzinfo=ATHENS),
        finished_at=datetime(2026, 12, 1, 10, 5, tzinfo=ATHENS) if finished else None,
        counts=counts,
    )
    summed = totals(row)
    assert set(summed) == set(TOTALS)
    assert {name: summed[name] for name in expected} == expected


@pytest.mark.parametrize(
    ("seconds", "cell"),
    [
        (None, "-"),
        (4.24, "4.2 s"),
        (65, "1 min 05 s"),
        (3599.6, "1 h 00 min"),
        (7620, "2 h 07 min"),
    ],
)
def test_duration_cells(seconds: float | None, cell: str) -> None:
    assert duration_cell(seconds) == cell


# --- newsarchive runs --health -----------------------------------------------------------------


def kept(status: str, streak: int, *signals: Signal, reason: str = "") -> dict[str, Any]:
    """A site's counts as a crawl keeps them, with its health."""
    found = SiteHealth("x", status, list(signals), streak, reason=reason)  # type: ignore[arg-type]
    return {"fetched": 3, "failed": status == "failed", "health": found.record()}


REFUSED = "errors: DownloadConnectionRefusedError 3"
COVERAGE_FELL = Signal(
    "failed", "published_at found on 0% of 5 records (χωρίς ημερομηνία)", "coverage"
)


@pytest.fixture(scope="module")
def health_history(tmp_path_factory: pytest.TempPathFactory) -> str:
    """thessaliatv failing 3 runs in a row; larissanet degraded after an ok run; onlarissa ok
    and volosday failed 3 times, both recorded before health was kept (counts only); a killed
    run and an import, which say nothing of health."""
    db = f"sqlite:///{tmp_path_factory.mktemp('health') / 'archive.db'}"
    runs = [
        {
            "thessaliatv": kept("failed", 1),
            "larissanet": kept("ok", 0),
            "volosday": {"failed": True},
        },
        {"thessaliatv": kept("failed", 2), "larissanet": kept("degraded", 1, COVERAGE_FELL)},
        {
            "thessaliatv": kept("failed", 3, reason=REFUSED),
            "onlarissa": {"failed": False},
            "volosday": {"failed": True},
        },
        {"volosday": {"failed": True}},
    ]
    with Archive(db) as archive:
        session = archive.session
        for counts in runs:
            run_id = start_run(session, "crawl", sorted(counts))
            finish_run(session, run_id, counts=counts, coverage={}, exit_status=1)
        start_run(session, "crawl", ["thessaliatv"])  # killed: no end, no health
        imported = start_run(session, "import", [])
        finish_run(session, imported, counts={"new": 2}, coverage={}, exit_status=0)
    return db


def test_runs_health_lists_each_sites_latest_status_signals_and_streak(health_history: str) -> None:
    code, out, err = run("runs", "--health", "--db", health_history, "--format", "json")
    assert code == 0
    assert err == "4 site(s), FAILING: thessaliatv, volosday\n"
    found = {site["site"]: site for site in json.loads(out)}
    assert all(tuple(site) == HEALTH_FIELDS for site in found.values())
    summary = {
        name: (site["status"], site["consecutive_failures"], site["flag"], site["run_id"])
        for name, site in found.items()
    }
    assert summary == {
        "larissanet": ("degraded", 1, None, 2),
        "onlarissa": ("ok", 0, None, 3),
        "thessaliatv": ("failed", 3, "FAILING 3 runs", 3),
        "volosday": ("failed", 3, "FAILING 3 runs", 4),  # counted over its runs
    }
    assert found["larissanet"]["signals"] == [COVERAGE_FELL.record()]
    assert found["thessaliatv"]["reason"] == REFUSED and found["larissanet"]["reason"] is None
    assert "χωρίς ημερομηνία" in out and "\\u" not in out


def test_runs_health_table_and_csv(health_history: str, tmp_path: Path) -> None:
    code, out, _ = run("runs", "--health", "--db", health_history)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["site", "status", "failing", "run", "finished", "why"]
    rows = {line.split()[0]: line for line in lines[2:]}
    assert rows["thessaliatv"].split()[1:6] == ["failed", "FAILING", "3", "runs", "3"]
    assert rows["thessaliatv"].endswith(REFUSED)
    assert rows["onlarissa"].split()[1:4] == ["ok", "-", "3"]
    assert "failed: published_at found on 0% of 5 records" in rows["larissanet"]
    target = tmp_path / "health.csv"
    code, _, _ = run(
        "runs", "--health", "--db", health_history, "--format", "csv", "-o", str(target)
    )
    assert code == 0
    rows_csv = {row["site"]: row for row in csv.DictReader(io.StringIO(target.read_text()))}
    assert json.loads(rows_csv["larissanet"]["signals"]) == [COVERAGE_FELL.record()]
    assert rows_csv["volosday"]["failing"] == "True"


def test_runs_health_of_an_archive_without_crawls_is_empty(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'archive.db'}"
    Archive(db).close()
    code, out, err = run("runs", "--health", "--db", db, "--format", "json")
    assert code == 0 and json.loads(out) == [] and err == "0 site(s)\n"
