"""Raw pages: every fetched article response kept as WARC records, with its `raw_pages` row.

`RawPagesMiddleware` (a downloader middleware) sits after Scrapy's decompression and after
`newsarchive.crawl.checks` and meta refresh, so that what it keeps is a whole page as the spider
will read it, never a truncated body or a challenge wall. For each 200 response to an article
request (`ARTICLE` in its meta) it appends the request and response to the archive's WARC folder
(`newsarchive.archive.warc.warc_folder`) and sets the request's `FETCHED_AT` to the record's time,
so that the record made from the page carries that time and finds its `raw_pages` row by URL
and time. The row itself waits in the crawl's `PendingRawPages` (shared through the crawler):
the store pipeline inserts the waiting rows at the start of each batch, in the batch's
transaction, and points each record to its row (`Archive.store_many`); every kept response
gets its row, whether or not it gave a record. Without a store pipeline taking them, the
middleware inserts each row at once, in its own transaction.

NEWSARCHIVE_RAW_PAGES turns it off. A page that cannot be kept (a full disk, a database error)
is counted as the error `raw page not kept` and logged on one line; the article is still stored.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from scrapy import Request, signals
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from sqlalchemy.exc import SQLAlchemyError

from newsarchive.archive import Archive, ArchiveError
from newsarchive.archive.ingest import PendingRawPages, RawPage
from newsarchive.archive.warc import (
    DEFAULT_MAX_BYTES,
    Exchange,
    RecordPlace,
    WarcWriter,
    warc_folder,
)
from newsarchive.dates import ATHENS
from newsarchive.spiders.base import ARTICLE, FETCHED_AT, STAT

logger = logging.getLogger(__name__)

NOT_KEPT = f"{STAT}/errors/raw page not kept"
KEPT = f"{STAT}/raw_pages/kept"


def _text(value: bytes | str) -> str:
    return value.decode("latin-1") if isinstance(value, bytes) else value


def header_pairs(headers: Any) -> list[tuple[str, str]]:
    """Scrapy headers (names to lists of byte values) as (name, value) text pairs, in order."""
    return [(_text(name), _text(value)) for name, values in headers.items() for value in values]


def exchange_of(request: Request, response: Response, fetched_at: datetime) -> Exchange:
    """What is kept of a response: its URL after redirects, status, headers and body as the
    spider receives them, and the request that was sent."""
    protocol = getattr(response, "protocol", None) or "HTTP/1.1"
    return Exchange(
        url=response.url,
        fetched_at=fetched_at,
        status=response.status,
        headers=header_pairs(response.headers),
        body=response.body,
        method=request.method,
        request_headers=header_pairs(request.headers),
        request_body=request.body,
        protocol=protocol,
    )


class RawPagesMiddleware:
    """Keeps article responses as WARC records and `raw_pages` rows (see the module)."""

    def __init__(self, crawler: Any) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.database_url: str | None = settings.get("NEWSARCHIVE_DATABASE_URL")
        self.run_id: int | None = settings.getint("NEWSARCHIVE_RUN_ID") or None
        self.writer = WarcWriter(
            warc_folder(self.database_url, settings.get("NEWSARCHIVE_WARC_DIR")).absolute(),
            max_bytes=settings.getint("NEWSARCHIVE_WARC_MAX_BYTES", DEFAULT_MAX_BYTES),
        )
        self.archive: Archive | None = None
        self.pending = PendingRawPages.of(crawler)
        crawler.signals.connect(self.close, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Any) -> RawPagesMiddleware:
        if not crawler.settings.getbool("NEWSARCHIVE_RAW_PAGES", True):
            raise NotConfigured("raw pages are off (NEWSARCHIVE_RAW_PAGES)")
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        if response.status != 200 or not request.meta.get(ARTICLE):
            return response
        fetched_at = datetime.now(ATHENS)
        try:
            place = self.writer.write(exchange_of(request, response, fetched_at))
            self.add_row(response, place, fetched_at)
        except (OSError, SQLAlchemyError, ArchiveError) as error:
            self.not_kept(response.url, error)
            return response
        request.meta[FETCHED_AT] = fetched_at
        self.count(KEPT)
        return response

    def add_row(self, response: Response, place: RecordPlace, fetched_at: datetime) -> None:
        """The `raw_pages` row of a kept response: left for the store pipeline's next batch, or
        (no pipeline takes them) committed before the spider reads the page."""
        content_type = response.headers.get(b"Content-Type")
        row = RawPage(
            url=response.url,
            fetched_at=fetched_at,
            status=response.status,
            content_type=_text(content_type)[:200] if content_type else None,
            warc_file=place.file,
            warc_offset=place.offset,
            warc_length=place.length,
            payload_sha256=place.payload_sha256,
            crawl_run_id=self.run_id,
        )
        if self.pending.taken:
            self.pending.rows.append(row)
            return
        if self.archive is None:
            self.archive = Archive(self.database_url)
        self.archive.add_raw_pages([row])

    def not_kept(self, url: str, error: Exception) -> None:
        self.count(NOT_KEPT)
        lines = str(error).strip().splitlines()
        reason = getattr(error, "strerror", None) or (lines[0] if lines else type(error).__name__)
        name = getattr(self.crawler.spider, "name", "crawl")
        logger.error(
            "%s: raw page of %s not kept in %s (%s)", name, url, self.writer.folder, reason
        )

    def count(self, key: str) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(key)

    def close(self) -> None:
        left = self.pending.take()  # a pipeline that took rows stores them when it closes
        if left:
            try:
                if self.archive is None:
                    self.archive = Archive(self.database_url)
                self.archive.add_raw_pages(left)
            except (SQLAlchemyError, ArchiveError) as error:
                for row in left:
                    self.not_kept(row.url, error)
        self.writer.close()
        if self.archive is not None:
            self.archive.close()
            self.archive = None
