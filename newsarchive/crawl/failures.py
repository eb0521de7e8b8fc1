"""What can go wrong with a request, as the crawl counts it, and giving up on a site.

The components of `newsarchive.crawl` raise these instead of passing a bad response on; the
spider's errback counts them (`errors/<kind>`, `blocked/<kind>`) and reports each on one line.
They are `IgnoreRequest`s, so Scrapy itself never logs them.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.exceptions import IgnoreRequest, ResponseDataLossError
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.defer import deferred_from_coro
from twisted.python.failure import Failure

from newsarchive.progress import GAVE_UP

logger = logging.getLogger(__name__)


class FetchError(IgnoreRequest):
    """A response that must not reach extraction: counted as `errors/<kind>`."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


class Blocked(FetchError):
    """A challenge page or captcha wall instead of the page: counted as `blocked/<kind>`."""


class Rescheduled(IgnoreRequest):
    """The request comes again later (the server asked us to wait): not a failure."""


class GaveUp(IgnoreRequest):
    """The crawl gave up on the site; the summary says why once, not per request."""


def describe(failure: Failure) -> tuple[str, str]:
    """(kind as counted, one-line reason) of a request's failure."""
    error = failure.value
    assert error is not None
    if isinstance(error, FetchError):
        return error.kind, str(error)
    if isinstance(error, HttpError):
        status = error.response.status
        return f"HTTP {status}", f"HTTP {status}"
    if isinstance(error, ResponseDataLossError):  # with DOWNLOAD_FAIL_ON_DATALOSS on
        return "truncated", "the body was cut short"
    if isinstance(error, IgnoreRequest) and str(error) == "max redirections reached":
        return "too many redirects", "too many redirects"
    return error.__class__.__name__, reason_of(error)


def reason_of(error: BaseException) -> str:
    """The reason of a download error, unwrapped from Twisted's lists of failures."""
    for cause in (error, error.__cause__):
        reasons = getattr(cause, "reasons", None)
        if reasons:
            return "; ".join(_one(reason) for reason in reasons)
    return str(error).strip() or error.__class__.__name__


def _one(reason: Any) -> str:
    if isinstance(reason, Failure):
        return f"{type(reason.value).__name__}: {reason.getErrorMessage()}"
    return str(reason)


def give_up(crawler: Any, reason: str) -> None:
    """Stop crawling the site for this run, saying why (`gave up: <reason>`); once."""
    stats = crawler.stats
    if stats.get_value(GAVE_UP):
        return
    stats.set_value(GAVE_UP, reason)
    spider = crawler.spider
    logger.warning("%s: gave up: %s", spider.name if spider else "?", reason)
    closing = deferred_from_coro(crawler.engine.close_spider_async(reason="gave up"))
    closing.addErrback(lambda failure: logger.error("closing failed: %s", failure.value))


def given_up(crawler: Any) -> bool:
    return bool(crawler.stats.get_value(GAVE_UP))
