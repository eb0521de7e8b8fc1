"""The crawl report: counts read from Scrapy's stats, and the progress line."""

from __future__ import annotations

import io
import logging
import os
from types import SimpleNamespace

import pytest

from newsarchive.progress import (
    CLEAR,
    LOG_INTERVAL,
    RUN_ID_STAT,
    TERMINAL_INTERVAL,
    ProgressLine,
    SiteReport,
    board_of,
)

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


class Stream(io.StringIO):
    """stderr as a test sees it: a terminal or not."""

    def __init__(self, *, terminal: bool) -> None:
        super().__init__()
        self.terminal = terminal

    def isatty(self) -> bool:
        return self.terminal


def crawler(name: str, stats: dict[str, object]) -> SimpleNamespace:
    return SimpleNamespace(
        spidercls=SimpleNamespace(name=name), stats=SimpleNamespace(get_stats=lambda: stats)
    )


def test_on_a_terminal_the_progress_line_rewrites_itself_and_is_erased_at_the_end(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("shutil.get_terminal_size", lambda: os.terminal_size((60, 24)))
    stream = Stream(terminal=True)
    board = board_of(stream)
    assert board.terminal and board.interval == TERMINAL_INTERVAL
    tv, net = crawler("thessaliatv", STATS), crawler("larissanet", {"downloader/response_count": 2})
    board.open(tv)
    assert board.task is not None and board.task.running
    board.show()
    board.open(net)
    board.show()
    first, second = stream.getvalue().split(CLEAR)[1:]
    assert first == "… thessaliatv: 12 pages, 3 new, 0 updated, 1 unchanged, 7 …"
    assert second.startswith("… 2 sites crawling, 0 done: 14 pages, 3 new, 0 updated")
    assert len(first) == len(second) == 59 and "\n" not in stream.getvalue()
    board.close(tv)
    assert not stream.getvalue().endswith(CLEAR)  # one site still crawls
    board.close(net)
    assert stream.getvalue().endswith(CLEAR) and board.finished == 2
    assert board.task is None


def test_elsewhere_a_line_per_changed_site_at_most_every_30_seconds() -> None:
    stream = Stream(terminal=False)
    board = board_of(stream)
    assert not board.terminal and board.interval == LOG_INTERVAL == 30.0
    stats: dict[str, object] = {"downloader/response_count": 1}
    board.crawlers = {1: crawler("thessaliatv", stats), 2: crawler("larissanet", {})}
    board.show()
    board.show()  # nothing changed: nothing written
    stats["downloader/response_count"] = 4
    board.show()
    lines = stream.getvalue().splitlines()
    assert [line.split(",")[0] for line in lines] == [
        "… thessaliatv: 1 pages",
        "… larissanet: 0 pages",
        "… thessaliatv: 4 pages",
    ]
    assert "\r" not in stream.getvalue() and "\x1b" not in stream.getvalue()


def test_sites_crawled_side_by_side_share_one_board() -> None:
    stream = Stream(terminal=False)
    assert board_of(stream) is board_of(stream)
    assert board_of(stream) is not board_of(Stream(terminal=False))


def test_the_extension_marks_the_stats_with_the_run_and_shows_nothing_when_disabled(
    capsys: pytest.CaptureFixture[str],
) -> None:
    stats: dict[str, object] = {}
    settings = {"NEWSARCHIVE_PROGRESS": False, "NEWSARCHIVE_RUN_ID": 7}
    fake = SimpleNamespace(
        settings=SimpleNamespace(getbool=settings.get, getint=settings.get),
        stats=SimpleNamespace(set_value=stats.__setitem__),
    )
    extension = ProgressLine(fake)
    extension.opened()
    extension.closed()
    assert stats == {RUN_ID_STAT: 7}
    assert SiteReport.from_stats("thessaliatv", {RUN_ID_STAT: 7}).run_id == 7
    assert capsys.readouterr().err == ""


def test_blocked_pages_and_giving_up_are_reported_and_fail_the_site() -> None:
    stats = {
        "downloader/response_count": 9,
        "newsarchive/blocked/Cloudflare challenge": 5,
        "newsarchive/gave_up": "blocked by 5 Cloudflare challenge pages",
        "finish_reason": "gave up",
    }
    report = SiteReport.from_stats("thessaliatv", stats)
    assert report.line() == (
        "thessaliatv: 9 pages, 0 new, 0 updated, 0 unchanged, 0 known (not fetched), "
        "0 dropped, 0 errors, 5 blocked; gave up: blocked by 5 Cloudflare challenge pages"
    )
    assert report.details() == ["  blocked: Cloudflare challenge 5"]
    assert report.failed


@pytest.mark.parametrize(
    "stats",
    [
        {"newsarchive/blocked/challenge page": 1},
        {"newsarchive/gave_up": "server asked to wait 3600 s"},
        {"newsarchive/errors/truncated": 1},
        {"newsarchive/errors/redirect loop": 1},
    ],
)
def test_each_fault_fails_a_site_that_fetched_pages(stats: dict[str, object]) -> None:
    fetched = {"downloader/response_count": 5, "finish_reason": "finished"}
    assert SiteReport.from_stats("thessaliatv", {**fetched, **stats}).failed


def test_failures_are_described_by_kind_and_reason() -> None:
    from scrapy.exceptions import DownloadFailedError, IgnoreRequest, ResponseDataLossError
    from scrapy.http import Request, Response
    from scrapy.spidermiddlewares.httperror import HttpError
    from twisted.internet.error import ConnectionDone
    from twisted.python.failure import Failure
    from twisted.web._newclient import ResponseNeverReceived

    from newsarchive.crawl.failures import Blocked, FetchError, describe

    lost = DownloadFailedError("[<Failure ConnectionDone>]")
    lost.__cause__ = ResponseNeverReceived([Failure(ConnectionDone())])
    response = Response(
        "https://www.thessaliatv.gr/news/1/", status=404, request=Request("https://x.gr")
    )
    cases = [
        (
            FetchError("truncated", "the body was cut short"),
            ("truncated", "the body was cut short"),
        ),
        (
            Blocked("challenge page", "challenge page, HTTP 200"),
            ("challenge page", "challenge page, HTTP 200"),
        ),
        (HttpError(response, "Ignoring non-200 response"), ("HTTP 404", "HTTP 404")),
        (ResponseDataLossError(), ("truncated", "the body was cut short")),
        (IgnoreRequest("max redirections reached"), ("too many redirects", "too many redirects")),
        (lost, ("DownloadFailedError", "ConnectionDone: Connection was closed cleanly.")),
    ]
    for error, expected in cases:
        assert describe(Failure(error)) == expected


def test_without_v_a_record_is_one_line_and_libraries_chatter_is_dropped() -> None:
    import logging

    from newsarchive.crawl.logs import OneLineFailures

    try:
        raise ValueError("bad date")
    except ValueError:
        import sys

        exc_info = sys.exc_info()
    record = logging.LogRecord(
        "scrapy.core.scraper",
        logging.ERROR,
        __file__,
        1,
        "Spider error processing %s",
        ("<GET u>",),
        exc_info,
    )
    assert OneLineFailures().filter(record)
    assert record.getMessage() == "Spider error processing <GET u> (ValueError: bad date)"
    assert record.exc_info is None
    chatter = logging.LogRecord(
        "trafilatura.core", logging.ERROR, __file__, 1, "empty tree", (), None
    )
    assert not OneLineFailures().filter(chatter)


def test_robots_txt_that_could_not_be_fetched_is_reported_in_the_spiders_words() -> None:
    import logging

    from newsarchive.crawl.logs import OneLineFailures

    args = {
        "request": SimpleNamespace(url="https://www.thessaliatv.gr/rss.xml"),
        "f_exception": TimeoutError("took too long"),
    }
    record = logging.LogRecord(
        "scrapy.downloadermiddlewares.robotstxt",
        logging.ERROR,
        __file__,
        1,
        "Error downloading %(request)s",
        (args,),
        None,
    )
    record.spider = SimpleNamespace(name="thessaliatv")
    assert OneLineFailures().filter(record)
    assert record.getMessage() == (
        "thessaliatv: could not fetch https://www.thessaliatv.gr/robots.txt (took too long); "
        "crawling as if it allowed everything"
    )


def test_refetches_counts_and_coverage_as_a_crawl_run_keeps_them() -> None:
    stats = {
        **STATS,
        "newsarchive/refetch/lastmod": 2,
        "newsarchive/refetch/schedule": 1,
        "newsarchive/dropped/χωρίς κείμενο": 1,
    }
    report = SiteReport.from_stats("larissanet", stats)
    assert "7 known (not fetched), 3 re-fetched, 3 dropped" in report.line()
    assert "  re-fetched: lastmod 2, schedule 1" in report.details()
    counts = report.counts()
    assert counts["fetched"] == 12 and counts["known"] == 7 and counts["new"] == 3
    assert counts["refetched"] == {"lastmod": 2, "schedule": 1}
    assert counts["dropped"] == {"no body": 1, "teaser": 1, "χωρίς κείμενο": 1}
    assert counts["errors"] == {"HTTP 404": 1, "ValueError": 1}
    assert counts["failed"] is True
    coverage = report.coverage()
    assert coverage["published_at"] == pytest.approx(4 / 6, abs=1e-4)
    assert coverage["lead"] == 0.0
    assert coverage["headline"] == 1.0
    assert SiteReport.from_stats("larissanet", {"downloader/response_count": 3}).coverage() == {}


@pytest.mark.parametrize(
    ("level", "made"), [("WARNING", False), ("INFO", False), ("DEBUG", True), (10, True)]
)
def test_per_page_messages_below_the_log_level_are_not_made(level: object, made: bool) -> None:
    from scrapy import Request
    from scrapy.exceptions import DropItem
    from scrapy.http import HtmlResponse

    from newsarchive.crawl import run_settings
    from newsarchive.progress import QuietDropsFormatter

    settings = run_settings()
    settings.set("LOG_LEVEL", level, priority="cmdline")
    crawler = SimpleNamespace(settings=settings)
    formatter = QuietDropsFormatter.from_crawler(crawler)
    request = Request("https://example.gr/a")
    response = HtmlResponse(request.url, body=b"<html></html>", request=request)
    spider = SimpleNamespace(crawler=crawler)
    entries = [
        formatter.crawled(request, response, spider),
        formatter.scraped({"url": request.url}, response, spider),
        formatter.dropped({"url": request.url}, DropItem("teaser"), response, spider),
    ]
    if made:
        assert [entry["level"] for entry in entries] == [logging.DEBUG] * 3
    else:
        assert entries == [None, None, None]
    error = formatter.item_error({"url": request.url}, ValueError("x"), response, spider)
    assert error is not None and error["level"] == logging.ERROR  # failures are always made


def test_the_crawl_has_scrapys_extensions_but_the_telnet_console_and_remote_control() -> None:
    from scrapy.settings import default_settings

    from newsarchive.crawl import run_settings

    extensions = run_settings().getwithbase("EXTENSIONS")
    assert "scrapy.extensions.corestats.CoreStats" in extensions
    assert "newsarchive.progress.ProgressLine" in extensions
    left_out = set(default_settings.EXTENSIONS_BASE) - set(extensions)
    assert left_out == {
        "scrapy.extensions.telnet.TelnetConsole",
        "scrapy.extensions.remote_control.RemoteControl",
    }
