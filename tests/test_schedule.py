"""`newsarchive crawl` as the one scheduled command: its exit status (0 healthy, 1 a site failed
or degraded, 2 bad usage), the summary JSON for monitoring (every field documented in the
README), `--max-duration`, and a site failing three runs in a row flagged in every summary."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import Select, select

from newsarchive.archive import Archive
from newsarchive.archive.models import CrawlRunRow
from newsarchive.archive.runs import finish_run, start_run
from newsarchive.cli import main
from newsarchive.commands.crawl import duration_option
from newsarchive.crawl import health
from newsarchive.crawl.health import Signal
from newsarchive.crawl.locks import site_locks
from newsarchive.fixture_server import FixtureServer, serve
from newsarchive.progress import SiteReport
from tests.conftest import REPO

CLOSED = "http://127.0.0.1:9"  # the discard port: nothing listens there
TV = "www.thessaliatv.gr"
NET = "www.larissanet.gr"
SUMMARY_FIELDS = (
    "run_id",
    "archive",
    "started",
    "finished",
    "duration_seconds",
    "exit_status",
    "stopped",
    "max_duration_seconds",
    "sites",
    "failing",
)
SITE_FIELDS = (
    "site",
    "status",
    "reason",
    "finish_reason",
    "resumed",
    "frontier_kept",
    "counts",
    "coverage",
    "signals",
    "consecutive_failures",
    "failing",
)


def crawl(*args: str, cwd: Path) -> tuple[int, str, str]:
    done = subprocess.run(
        [sys.executable, "-m", "newsarchive", "crawl", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=240,
        cwd=cwd,
    )
    return done.returncode, done.stdout, done.stderr


@pytest.fixture(scope="module")
def server() -> Iterator[FixtureServer]:
    with serve() as running:
        yield running


def mirrors(server: FixtureServer, **bases: str) -> list[str]:
    """`--mirror HOST=URL` for thessaliatv (TV) and larissanet (NET): the server, else `base`."""
    chosen = {TV: bases.get("tv", server.url), NET: bases.get("net", server.url)}
    return [option for host, base in chosen.items() for option in ("--mirror", f"{host}={base}")]


def select_runs() -> Select[CrawlRunRow]:
    return select(CrawlRunRow).order_by(CrawlRunRow.id)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--max-duration", "soon"], "--max-duration 'soon' is not a duration: give e.g. 90s"),
        (["--max-duration", "0s"], "--max-duration '0s': give a duration longer than 0 s"),
        (["--max-duration", "30"], "is not a duration"),
        (["--redis", "http://127.0.0.1:6379/0"], "is not a Redis URL: give redis://HOST"),
        (["--redis", "redis://"], "is not a Redis URL"),
        (["--redis", "redis://127.0.0.1:99999/0"], "is not a Redis URL"),
        (["--redis", "redis://127.0.0.1/0", "--jobdir", "jobs"], "--jobdir goes without --redis"),
        (["--summary-json", "-"], "--summary-json needs a file name"),
        (["--summary-json", "folder"], "it is a folder"),
        (["--summary-json", "missing/summary.json"], "does not exist"),
        (["--jobdir", "file.txt"], "--jobdir"),
    ],
)
def test_bad_usage_is_exit_status_2_on_one_line_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "folder").mkdir()
    (tmp_path / "file.txt").write_text("not a folder")
    before = sorted(tmp_path.iterdir())
    result = CliRunner().invoke(main, ["crawl", "--all", "--db", "archive.db", *args])
    assert result.exit_code == 2 and result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1 and message in result.stderr
    assert sorted(tmp_path.iterdir()) == before


@pytest.mark.parametrize(
    ("value", "seconds"),
    [("90s", 90), ("30m", 1800), ("2h", 7200), ("1h30m", 5400), (" 2H ", 7200), ("1m5s", 65)],
)
def test_max_durations_read(value: str, seconds: int) -> None:
    assert duration_option(value) == seconds


def test_the_summary_json_has_every_field_also_when_sites_failed_or_were_skipped(
    server: FixtureServer, tmp_path: Path
) -> None:
    db = f"sqlite:///{tmp_path / 'archive.db'}"
    target = tmp_path / "summary.json"
    held = site_locks(db)
    assert held.take("kosmoslarissa") is None
    try:
        code, out, err = crawl(
            *("thessaliatv", "larissanet", "kosmoslarissa", "--db", db),
            *mirrors(server, net=CLOSED),
            *("--summary-json", str(target), "--max-duration", "1h"),
            cwd=tmp_path,
        )
    finally:
        held.release()
    assert code == 1, out + err
    assert [path.name for path in tmp_path.iterdir() if path.name.startswith(".summary")] == []
    summary = json.loads(target.read_text(encoding="utf-8"))
    assert tuple(summary) == SUMMARY_FIELDS
    assert summary["exit_status"] == 1 and summary["stopped"] is None
    assert summary["max_duration_seconds"] == 3600 and summary["archive"] == db
    assert summary["started"] <= summary["finished"] and summary["duration_seconds"] >= 0
    sites = {site["site"]: site for site in summary["sites"]}
    assert all(tuple(site) == SITE_FIELDS for site in sites.values())
    assert {name: site["status"] for name, site in sites.items()} == {
        "thessaliatv": "ok",
        "larissanet": "failed",
        "kosmoslarissa": "skipped",
    }
    ok, failed, skipped = sites["thessaliatv"], sites["larissanet"], sites["kosmoslarissa"]
    assert ok["counts"]["new"] == 4 and ok["coverage"]["headline"] == 1.0
    assert ok["finish_reason"] == "finished" and ok["consecutive_failures"] == 0
    assert failed["counts"]["fetched"] == 0 and failed["consecutive_failures"] == 1
    assert failed["reason"].startswith("errors: ") and failed["reason"].endswith("nothing fetched")
    assert ok["reason"] is None
    assert skipped["reason"].startswith("another crawl holds it since ")
    assert skipped["counts"] is None and summary["failing"] == []
    with Archive(db, read_only=True) as archive:
        (run,) = archive.session.scalars(select_runs())
    assert summary["run_id"] == run.id and sorted(run.sites) == ["larissanet", "thessaliatv"]
    assert run.exit_status == 1
    assert run.counts["larissanet"]["health"]["status"] == "failed"


def test_a_site_failing_three_runs_in_a_row_is_flagged_in_every_summary_until_it_recovers(
    server: FixtureServer, tmp_path: Path
) -> None:
    db = f"sqlite:///{tmp_path / 'archive.db'}"
    with Archive(db) as archive:  # two earlier failed runs (recorded before health was kept)
        for _ in range(2):
            run_id = start_run(archive.session, "crawl", ["thessaliatv"])
            counts = {"thessaliatv": {"fetched": 0, "failed": True}}
            finish_run(archive.session, run_id, counts=counts, coverage={}, exit_status=1)
    summary = tmp_path / "summary.json"
    code, out, _ = crawl(
        "thessaliatv", "larissanet", *mirrors(server, tv=CLOSED), "--db", db, cwd=tmp_path
    )
    assert code == 1
    flags = [line for line in out.splitlines() if "FAILING" in line]
    assert flags == [
        "  FAILING 3 runs: failed or degraded in each of its last 3 crawl runs "
        "(see newsarchive runs --health)"
    ]
    assert out.index(flags[0]) > out.index("[FAILED] thessaliatv: ")
    assert out.index(flags[0]) < out.index("[ok] larissanet: ")
    code, out, _ = crawl(
        "larissanet", *mirrors(server), "--db", db, "--summary-json", str(summary), cwd=tmp_path
    )
    assert code == 0
    assert "\nAlso FAILING: thessaliatv (FAILING 3 runs, last run 3)\n" in out
    assert json.loads(summary.read_text())["failing"] == [
        {"site": "thessaliatv", "consecutive_failures": 3, "run_id": 3}
    ]
    code, out, _ = crawl("thessaliatv", *mirrors(server), "--db", db, cwd=tmp_path)
    assert code == 0 and "FAILING" not in out


def report(**stats: object) -> SiteReport:
    base: dict[str, object] = {"downloader/response_count": 10, "finish_reason": "finished"}
    return SiteReport.from_stats("larissanet", {**base, **stats})


COVERAGE = Signal("failed", "published_at found on 0% of 5 records", "coverage")
NO_ARTICLES = Signal("failed", "no article found, where run 4 found 9", "articles")
ENDPOINTS = Signal("warning", "endpoints: feed /feed/ answered HTML; used listing", "endpoints")


@pytest.mark.parametrize(
    ("stats", "signals", "status"),
    [
        ({}, [], "ok"),
        ({}, [ENDPOINTS], "ok"),  # a warning
        ({"newsarchive/errors/HTTP 500": 2}, [], "failed"),
        ({"downloader/response_count": 0}, [], "failed"),
        ({}, [COVERAGE], "degraded"),
        ({}, [NO_ARTICLES, COVERAGE], "failed"),
        ({"finish_reason": "closespider_timeout"}, [], "ok"),  # --max-duration: no failure
        ({"finish_reason": "closespider_timeout", "newsarchive/errors/HTTP 500": 1}, [], "failed"),
        ({"finish_reason": "shutdown"}, [], "failed"),  # SIGTERM, Ctrl-C
    ],
)
def test_a_sites_status(stats: dict[str, object], signals: list[Signal], status: str) -> None:
    assert health.status_of(report(**stats), signals) == status


def earlier(status: str) -> health.PastRun:
    return health.PastRun(1, None, {"health": {"status": status}}, {})


@pytest.mark.parametrize(
    ("stats", "resumed", "level"),
    [
        ({}, False, "failed"),  # an earlier run found 9
        ({"finish_reason": "closespider_timeout"}, False, "warning"),
        ({}, True, "warning"),
        ({"newsarchive/distributed/taken": 4}, False, "warning"),
    ],
)
def test_no_article_fails_a_site_but_for_a_crawl_cut_short_resumed_or_shared(
    stats: dict[str, object], resumed: bool, level: str
) -> None:
    found = [health.PastRun(4, None, {"extracted": 9}, {})]
    signal = health.zero_articles_signal(report(**stats), found, resumed=resumed)
    assert signal is not None and signal.level == level and signal.kind == "articles"


@pytest.mark.parametrize(
    ("status", "past", "streak"),
    [
        ("ok", ["failed", "failed"], 0),
        ("failed", [], 1),
        ("failed", ["degraded", "failed", "ok", "failed"], 3),
        ("degraded", ["failed", "failed", "failed"], 4),
    ],
)
def test_the_failure_streak_counts_failed_and_degraded_runs_back_to_a_good_one(
    status: str, past: list[str], streak: int
) -> None:
    assert health.streak(status, [earlier(kind) for kind in past]) == streak


def test_the_readme_documents_every_summary_field_and_exit_status() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Operations\n", 1)[1].split("\n## ", 1)[0]
    for name in (*SUMMARY_FIELDS, *SITE_FIELDS):
        assert re.search(rf"`{name}`", section), name
    for text in ("crontab", "systemd", "OnCalendar", "--max-duration", "--summary-json"):
        assert text in section, text
    for status in ("`0`", "`1`", "`2`"):
        assert status in section
