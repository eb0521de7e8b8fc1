"""Store: each record into the archive (`Archive.store`), one transaction each."""

from __future__ import annotations

from typing import Any

from newsarchive.archive import Archive
from newsarchive.items import Article


class StorePipeline:
    """Writes records to the archive named by NEWSARCHIVE_DATABASE_URL, as versions of the run
    NEWSARCHIVE_RUN_ID (when the crawl has one), each pointing to its raw page when kept."""

    def __init__(self, database_url: str | None, run_id: int | None, stats: Any) -> None:
        self.database_url = database_url
        self.run_id = run_id
        self.stats = stats
        self.archive: Archive | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> StorePipeline:
        settings = crawler.settings
        run_id = settings.getint("NEWSARCHIVE_RUN_ID") or None
        return cls(settings.get("NEWSARCHIVE_DATABASE_URL"), run_id, crawler.stats)

    def open_spider(self) -> None:
        self.archive = Archive(self.database_url)

    def close_spider(self) -> None:
        if self.archive is not None:
            self.archive.close()

    def process_item(self, item: Article) -> Article:
        assert self.archive is not None, "open_spider was not called"
        raw_page_id = self.archive.raw_page_id(item.url, item.fetched_at)
        stored = self.archive.store(item, run_id=self.run_id, raw_page_id=raw_page_id)
        self.stats.inc_value(f"newsarchive/articles/{stored.result.value}")
        if stored.story_id is not None and stored.result.value == "new":
            self.stats.inc_value("newsarchive/articles/in a story")
        return item
