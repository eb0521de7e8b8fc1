"""Dedup: one record per canonical URL within a run."""

from __future__ import annotations

from typing import Any

from scrapy.exceptions import DropItem

from newsarchive.items import Article


class DedupPipeline:
    """Drops a record whose canonical URL this run has already seen."""

    def __init__(self, stats: Any) -> None:
        self.stats = stats
        self.seen: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Any) -> DedupPipeline:
        return cls(crawler.stats)

    def process_item(self, item: Article) -> Article:
        if item.canonical_url in self.seen:
            self.stats.inc_value("newsarchive/dropped/duplicate in run")
            raise DropItem(f"duplicate in run: {item.canonical_url}")
        self.seen.add(item.canonical_url)
        return item
