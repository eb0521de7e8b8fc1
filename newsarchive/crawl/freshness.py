"""Skip what is archived and fresh: a downloader middleware asking the archive per article URL.

It runs before any other downloader middleware (robots.txt included), only for article
requests (meta `ARTICLE` of `newsarchive.spiders.base`), and asks `newsarchive.archive.freshness`
whether the URL is new, due on the re-fetch schedule (NEWSARCHIVE_REFETCH_DAYS), or changed
according to the sitemap's `lastmod` (meta `LASTMOD`). A fresh one is dropped with `Fresh` (an
`IgnoreRequest`, counted as `newsarchive/skipped_known`: the summary's "known (not fetched)");
a re-fetch is counted as `newsarchive/refetch/<reason>`. With the spider's `refresh`
(`newsarchive crawl --refresh`) everything is fetched. The decision lives in the Scrapy-free
module, so that a distributed scheduler can replace this one.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from scrapy import Request, signals
from scrapy.exceptions import IgnoreRequest
from sqlalchemy import Connection

from newsarchive.archive import Archive
from newsarchive.archive.freshness import SETTING, Reason, archived, decide, parse_schedule
from newsarchive.spiders.base import ARTICLE, LASTMOD, STAT

CHECKED = "newsarchive_freshness_checked"
"""Request meta: the archive was asked already (a request rescheduled comes through again)."""


class Fresh(IgnoreRequest):
    """The article is archived and fresh: not fetched (the spider's errback passes over it)."""


class FreshnessMiddleware:
    """Drops article requests the archive has fresh; counts re-fetches by reason."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.database_url: str | None = crawler.settings.get("NEWSARCHIVE_DATABASE_URL")
        self.schedule = parse_schedule(crawler.settings.get(SETTING))
        self.archive: Archive | None = None
        self.connection: Connection | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> FreshnessMiddleware:
        middleware = cls(crawler)
        crawler.signals.connect(middleware.close, signal=signals.spider_closed)
        return middleware

    def process_request(self, request: Request) -> None:
        if not request.meta.get(ARTICLE) or request.meta.get(CHECKED):
            return
        request.meta[CHECKED] = True
        if getattr(self.crawler.spider, "refresh", False):
            return
        decision = self.decision(request)
        if decision is Reason.FRESH:
            self.count("skipped_known")
            raise Fresh(f"archived and fresh: {request.url}")
        if decision is not Reason.NEW:
            self.count(f"refetch/{decision.value}")

    def decision(self, request: Request) -> Reason:
        """The archive's answer for the request's URL (one query; the read ends with it)."""
        reader = self.reader()
        try:
            known = archived(reader, request.url)
        finally:
            reader.rollback()  # no transaction left open between requests
        now = datetime.now(UTC)
        return decide(
            known, lastmod=request.meta.get(LASTMOD), now=now, schedule=self.schedule
        ).reason

    def reader(self) -> Connection:
        """One connection for the crawl's questions (a session's would be checked out of the
        pool and back for each, which cost more than the query)."""
        if self.connection is None:
            self.archive = Archive(self.database_url)
            self.connection = self.archive.engine.connect()
        return self.connection

    def count(self, key: str) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(f"{STAT}/{key}")

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None
        if self.archive is not None:
            self.archive.close()
            self.archive = None
