"""`Retry-After`: a site that asks us to wait is left alone that long, or for this run.

Scrapy 2.19 retries a 429 or 503 at once, whatever its `Retry-After`. `RetryAfterMiddleware`
answers first: the request is put back into the scheduler after the delay (nothing waits in
the downloader, so other sites go on), and the host's other requests that reach the downloader
meanwhile wait until then too (CONCURRENT_REQUESTS keeps few already past it). A delay above
NEWSARCHIVE_RETRY_AFTER_MAX seconds ends the site's crawl for this run (`gave up: server asked
to wait 3600 s`). Retries count against RETRY_TIMES.
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from scrapy import Request, signals
from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Response
from scrapy.utils.asyncio import CallLaterResult, call_later
from scrapy.utils.httpobj import urlparse_cached

from newsarchive.crawl.checks import is_robots
from newsarchive.crawl.failures import GaveUp, Rescheduled, give_up

STATUSES = (429, 503)
"""The answers whose Retry-After says when to come back (RFC 9110 §10.2.3, RFC 6585)."""


def retry_after_seconds(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After value (seconds or an HTTP date); None if unreadable."""
    if value is None:
        return None
    text = (value.decode("latin-1") if isinstance(value, bytes) else value).strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class RetryAfterMiddleware:
    """Re-schedules a request after its Retry-After; holds the host's other requests meanwhile."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.max_wait = crawler.settings.getfloat("NEWSARCHIVE_RETRY_AFTER_MAX")
        self.resume_at: dict[str, float] = {}
        self.pending: dict[int, CallLaterResult] = {}
        self.serial = 0

    @classmethod
    def from_crawler(cls, crawler: Any) -> RetryAfterMiddleware:
        middleware = cls(crawler)
        crawler.signals.connect(middleware.keep_open, signal=signals.spider_idle)
        crawler.signals.connect(middleware.cancel, signal=signals.spider_closed)
        return middleware

    def process_request(self, request: Request) -> None:
        if is_robots(request):
            return
        wait = self.resume_at.get(host(request), 0.0) - time.monotonic()
        if wait > 0:
            self.later(request.replace(dont_filter=True), wait)
            raise Rescheduled(f"the server asked to wait {wait:.0f} s more")

    def process_response(self, request: Request, response: Response) -> Response | Request:
        if response.status not in STATUSES:
            return response
        delay = retry_after_seconds(response.headers.get(b"Retry-After"))
        if delay is None or delay <= 0:
            return response  # Scrapy's RetryMiddleware as usual
        if delay > self.max_wait:
            give_up(self.crawler, f"server asked to wait {delay:.0f} s")
            raise GaveUp(f"Retry-After: {delay:.0f}")
        if is_robots(request):
            return response  # fetched outside the scheduler: Scrapy retries it
        again = get_retry_request(
            request,
            spider=self.crawler.spider,
            reason=f"HTTP {response.status} Retry-After",
            give_up_log_level=logging.DEBUG,
        )
        if again is None:
            return response  # out of retries: counted as HTTP 429/503
        resume = time.monotonic() + delay
        self.resume_at[host(request)] = max(self.resume_at.get(host(request), 0.0), resume)
        self.later(again, delay)
        raise Rescheduled(f"the server asked to wait {delay:.0f} s")

    def later(self, request: Request, delay: float) -> None:
        """Give `request` to the engine again after `delay` seconds."""
        self.serial += 1
        key = self.serial
        self.pending[key] = call_later(delay, self.resume, key, request)

    def resume(self, key: int, request: Request) -> None:
        self.pending.pop(key, None)
        if self.crawler.engine is not None and self.crawler.engine.spider is not None:
            self.crawler.engine.crawl(request)

    def keep_open(self) -> None:
        """The spider is idle but requests are waiting for their time: it must not close."""
        if self.pending:
            raise DontCloseSpider

    def cancel(self) -> None:
        for call in self.pending.values():
            call.cancel()
        self.pending.clear()


def host(request: Request) -> str:
    return urlparse_cached(request).hostname or ""
