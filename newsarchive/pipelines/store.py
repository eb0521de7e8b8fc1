"""Store: upsert each record into the archive on its canonical URL, one transaction each."""

from __future__ import annotations

from typing import Any

from newsarchive.archive import Archive
from newsarchive.items import Article


class StorePipeline:
    """Writes records to the archive named by NEWSARCHIVE_DATABASE_URL."""

    def __init__(self, database_url: str | None, stats: Any) -> None:
        self.database_url = database_url
        self.stats = stats
        self.archive: Archive | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> StorePipeline:
        return cls(crawler.settings.get("NEWSARCHIVE_DATABASE_URL"), crawler.stats)

    def open_spider(self) -> None:
        self.archive = Archive(self.database_url)

    def close_spider(self) -> None:
        if self.archive is not None:
            self.archive.close()

    def process_item(self, item: Article) -> Article:
        assert self.archive is not None, "open_spider was not called"
        result = self.archive.upsert(item)
        self.stats.inc_value(f"newsarchive/articles/{result.value}")
        return item
