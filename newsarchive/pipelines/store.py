"""Store: records into the archive in batches (`Archive.store_many`), one transaction each.

A batch is committed when it holds NEWSARCHIVE_STORE_BATCH records, when its first record has
waited NEWSARCHIVE_STORE_BATCH_SECONDS, and when the crawl ends. Its transaction also inserts
the `raw_pages` rows the raw-pages middleware left waiting (`PendingRawPages`), and each record
points to the row of its page. A batch that fails is rolled back and stored again record by
record, so that one bad record never loses the others; a record that cannot be stored is
counted (`errors/record not stored`) and logged on one line.

A crawl killed outright (SIGKILL, power loss) loses at most the batch not yet committed: its
records and their raw-page rows (the WARC records stay in their file, pointed to by nothing).
Those pages are not archived, so the next crawl fetches them again.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from scrapy import signals

from newsarchive.archive import Archive
from newsarchive.archive.ingest import PendingRawPages, Stored, UpsertResult
from newsarchive.archive.store import Batch
from newsarchive.items import Article

logger = logging.getLogger(__name__)

STAT = "newsarchive"  # newsarchive.spiders.base.STAT (which imports what imports this module)
NOT_STORED = f"{STAT}/errors/record not stored"
NOT_KEPT = f"{STAT}/errors/raw page not kept"  # newsarchive.crawl.raw_pages.NOT_KEPT
DEFAULT_BATCH = 200
DEFAULT_BATCH_SECONDS = 1.0


class StorePipeline:
    """Writes records to the archive named by NEWSARCHIVE_DATABASE_URL, as versions of the run
    NEWSARCHIVE_RUN_ID (when the crawl has one), each pointing to its raw page when kept."""

    def __init__(
        self,
        database_url: str | None,
        run_id: int | None,
        stats: Any,
        *,
        batch_size: int = DEFAULT_BATCH,
        batch_seconds: float = DEFAULT_BATCH_SECONDS,
        pending: PendingRawPages | None = None,
    ) -> None:
        self.database_url = database_url
        self.run_id = run_id
        self.stats = stats
        self.batch_size = max(batch_size, 1)
        self.batch_seconds = batch_seconds
        self.pending = pending if pending is not None else PendingRawPages()
        self.archive: Archive | None = None
        self.items: list[Article] = []
        self.since: float | None = None
        """When the oldest record or raw page waiting came (monotonic), if one waits."""
        self.timer: Any = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> StorePipeline:
        settings = crawler.settings
        pipeline = cls(
            settings.get("NEWSARCHIVE_DATABASE_URL"),
            settings.getint("NEWSARCHIVE_RUN_ID") or None,
            crawler.stats,
            batch_size=settings.getint("NEWSARCHIVE_STORE_BATCH", DEFAULT_BATCH),
            batch_seconds=settings.getfloat(
                "NEWSARCHIVE_STORE_BATCH_SECONDS", DEFAULT_BATCH_SECONDS
            ),
            pending=PendingRawPages.of(crawler),
        )
        crawler.signals.connect(pipeline.start_timer, signal=signals.spider_opened)
        return pipeline

    def open_spider(self) -> None:
        self.archive = Archive(self.database_url)
        self.pending.taken = True

    def start_timer(self) -> None:
        """While the crawl runs: a batch waiting longer than NEWSARCHIVE_STORE_BATCH_SECONDS
        is committed even when no record comes (slow sites, pages without articles)."""
        from scrapy.utils.asyncio import create_looping_call

        if self.batch_seconds > 0:
            self.timer = create_looping_call(self.tick)
            self.timer.start(self.batch_seconds / 2, now=False)

    def close_spider(self) -> None:
        if self.timer is not None and self.timer.running:
            self.timer.stop()
        try:
            if self.archive is not None:
                self.flush()
        finally:
            self.pending.taken = False
            if self.archive is not None:
                self.archive.close()
                self.archive = None

    def process_item(self, item: Article) -> Article:
        assert self.archive is not None, "open_spider was not called"
        self.items.append(item)
        if len(self.items) >= self.batch_size or self._waited():
            self.flush()
        return item

    def tick(self) -> None:
        if self._waited():
            self.flush()

    def _waited(self) -> bool:
        """Whether something waits, and has waited NEWSARCHIVE_STORE_BATCH_SECONDS."""
        if not self.items and not self.pending.rows:
            self.since = None
            return False
        now = time.monotonic()
        if self.since is None:
            self.since = now
        return now - self.since >= self.batch_seconds

    def flush(self) -> None:
        """Stores the waiting records and raw pages as one batch, and counts what it did."""
        assert self.archive is not None, "open_spider was not called"
        items, self.items = self.items, []
        rows = self.pending.take()
        self.since = None
        if not items and not rows:
            return
        batch = self.archive.store_many(items, raw_pages=rows, run_id=self.run_id)
        self._count(items, batch)

    def _count(self, items: list[Article], batch: Batch) -> None:
        for item, outcome in zip(items, batch.outcomes, strict=True):
            if isinstance(outcome, Stored):
                self.stats.inc_value(f"{STAT}/articles/{outcome.result.value}")
                if outcome.story_id is not None and outcome.result is UpsertResult.NEW:
                    self.stats.inc_value(f"{STAT}/articles/in a story")
            else:
                self.stats.inc_value(NOT_STORED)
                logger.error(
                    "%s: record of %s not stored in %s (%s)",
                    item.site,
                    item.url,
                    self.archive.where if self.archive else "the archive",
                    _reason(outcome),
                )
        for row, error in batch.raw_pages_not_kept:
            self.stats.inc_value(NOT_KEPT)
            logger.error("raw page of %s not kept (%s)", row.url, _reason(error))


def _reason(error: BaseException) -> str:
    original = getattr(error, "orig", None) or error
    lines = str(original).strip().splitlines()
    return lines[0] if lines else type(original).__name__
