"""Running the spiders of several sites in one process, and reporting on each."""

from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.settings import Settings

from newsarchive.progress import SiteReport
from newsarchive.spiders.derived import spider

MIRROR_HANDLERS = {
    "http": "newsarchive.mirror.MirrorDownloadHandler",
    "https": "newsarchive.mirror.MirrorDownloadHandler",
}
"""Scrapy's download handlers replaced, with `--mirror` only, by the one reading the mirror."""


def crawl_settings(
    database_url: str, *, mirror: Any = None, verbose: bool = False, progress: bool = True
) -> Settings:
    """The project settings for one run: archive, optional local mirror, log level.

    `mirror` (NEWSARCHIVE_MIRROR): one base URL serving every site host, or {host: base URL};
    the mirror's download handler is installed only then, so a real crawl uses Scrapy's own.
    """
    settings = Settings()
    settings.setmodule("newsarchive.settings", priority="project")
    settings.set("NEWSARCHIVE_DATABASE_URL", database_url, priority="cmdline")
    settings.set("NEWSARCHIVE_PROGRESS", progress, priority="cmdline")
    settings.set("LOG_LEVEL", "INFO" if verbose else "WARNING", priority="cmdline")
    if mirror:
        settings.set("NEWSARCHIVE_MIRROR", mirror, priority="cmdline")
        settings.set("DOWNLOAD_HANDLERS", MIRROR_HANDLERS, priority="cmdline")
        # A local fixture server needs no politeness delays.
        settings.set("AUTOTHROTTLE_ENABLED", False, priority="cmdline")
        settings.set("DOWNLOAD_DELAY", 0, priority="cmdline")
        settings.set("CONCURRENT_REQUESTS_PER_DOMAIN", 8, priority="cmdline")  # Scrapy's default
    return settings


def report_of(crawler: Crawler) -> SiteReport:
    stats = crawler.stats.get_stats() if crawler.stats is not None else {}
    return SiteReport.from_stats(crawler.spidercls.name, stats)


def run_crawl(names: list[str], settings: Settings, *, refresh: bool = False) -> list[SiteReport]:
    """Crawl the named sites side by side; one site's failure does not stop the others."""
    process = CrawlerProcess(settings)
    crawlers = []
    for name in names:
        crawler = process.create_crawler(spider(name))
        crawlers.append(crawler)
        process.crawl(crawler, refresh=refresh)
    process.start()
    return [report_of(crawler) for crawler in crawlers]
