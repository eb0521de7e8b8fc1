"""Validate: count what each record lacks, and drop with a counted reason what is no article."""

from __future__ import annotations

from typing import Any

from scrapy.exceptions import DropItem

from newsarchive.items import Article

MIN_BODY_CHARS = 80
"""Shorter bodies are captions or stubs; the shortest real news items run to a few lines."""

COUNTED_FIELDS = (
    "headline",
    "lead",
    "body",
    "section",
    "authors",
    "tags",
    "images",
    "published_at",
)


def drop_reason(article: Article) -> str | None:
    """Why a record must not be archived, or None."""
    if article.is_teaser:
        return "teaser"
    if not article.headline:
        return "no headline"
    if len(article.body) < MIN_BODY_CHARS:
        return "no body"
    return None


class ValidatePipeline:
    """Counts empty fields and rule use per field; drops records that are not articles."""

    def __init__(self, stats: Any) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Any) -> ValidatePipeline:
        return cls(crawler.stats)

    def process_item(self, item: Article) -> Article:
        self.stats.inc_value("newsarchive/articles/extracted")
        for name in COUNTED_FIELDS:
            if not getattr(item, name):
                self.stats.inc_value(f"newsarchive/empty/{name}")
        for name, rule in item.provenance.items():
            self.stats.inc_value(f"newsarchive/rule/{name}/{rule}")
        reason = drop_reason(item)
        if reason is not None:
            self.stats.inc_value(f"newsarchive/dropped/{reason}")
            raise DropItem(f"{reason}: {item.url}")
        return item
