"""The crawl report: counts read from Scrapy's stats, and the progress line."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from newsarchive.progress import ProgressLine, SiteReport

STATS = {
    "downloader/response_count": 12,
    "newsarchive/articles/extracted": 6,
    "newsarchive/articles/new": 3,
    "newsarchive/articles/unchanged": 1,
    "newsarchive/skipped_known": 7,
    "newsarchive/dropped/teaser": 1,
    "newsarchive/dropped/no body": 1,
    "newsarchive/empty/published_at": 2,
    "newsarchive/empty/lead": 6,
    "newsarchive/rule/body/selector": 4,
    "newsarchive/rule/body/fallback": 2,
    "newsarchive/errors/HTTP 404": 1,
    "spider_exceptions/ValueError": 1,
    "spider_exceptions/count": 1,
    "finish_reason": "finished",
}


def test_report_reads_counts_drops_empties_rules_and_errors() -> None:
    report = SiteReport.from_stats("larissanet", STATS)
    assert report.line() == (
        "larissanet: 12 pages, 3 new, 0 updated, 1 unchanged, 7 known (not fetched), "
        "2 dropped, 2 errors"
    )
    assert report.details() == [
        "  dropped: no body 1, teaser 1",
        "  empty fields (of 6 records): lead 6, published_at 2",
        "  from generic fallback: body 2",
        "  errors: HTTP 404 1, ValueError 1",
    ]
    assert report.rules == {"body": {"selector": 4, "fallback": 2}}
    assert report.failed


@pytest.mark.parametrize(
    ("stats", "failed"),
    [
        ({"downloader/response_count": 3, "finish_reason": "finished"}, False),
        ({"downloader/response_count": 0, "finish_reason": "finished"}, True),
        ({"downloader/response_count": 3, "finish_reason": "shutdown"}, True),
        ({"downloader/response_count": 3, "newsarchive/errors/TimeoutError": 1}, True),
    ],
)
def test_a_site_fails_when_nothing_was_fetched_or_something_broke(
    stats: dict[str, object], failed: bool
) -> None:
    assert SiteReport.from_stats("thessaliatv", stats).failed is failed


def test_progress_line_shows_running_counts(capsys: pytest.CaptureFixture[str]) -> None:
    crawler = SimpleNamespace(
        spider=SimpleNamespace(name="thessaliatv"),
        stats=SimpleNamespace(get_stats=lambda: STATS),
        settings=SimpleNamespace(getbool=lambda name: True),
    )
    ProgressLine(crawler).show()
    assert "… thessaliatv: 12 pages, 3 new" in capsys.readouterr().err
