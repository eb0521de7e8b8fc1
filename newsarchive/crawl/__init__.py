"""Running the spiders of several sites in one process, and reporting on each.

The fetch components live beside this module: `freshness` (archived and fresh articles are
not fetched; re-fetches on a schedule and on a newer sitemap `lastmod`), `checks` (truncated,
challenge and empty responses), `retry_after`, `redirects` (loops), `failures` (what is
counted, giving up on a site), `logs` (one line per failure without `-v`) and `run_record`
(every crawl is a `crawl_runs` row); `newsarchive.settings` installs them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.settings import Settings
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from newsarchive import extraction_workers
from newsarchive.archive.freshness import SETTING as REFETCH_SETTING
from newsarchive.archive.freshness import parse_schedule
from newsarchive.crawl import run_record
from newsarchive.progress import SiteReport

if TYPE_CHECKING:
    from newsarchive.spiders.base import NewsSpider

MIRROR_HANDLERS = {
    "http": "newsarchive.mirror.MirrorDownloadHandler",
    "https": "newsarchive.mirror.MirrorDownloadHandler",
}
"""Scrapy's download handlers replaced, with `--mirror` only, by the one reading the mirror."""


class CrawlSetupError(ValueError):
    """A crawl that must not start (the CLI's bad input: one line, exit status 2)."""


def in_memory(database_url: str) -> bool:
    """The URL names an SQLite database that lives in memory (`sqlite://`, `:memory:`).

    A malformed URL is not (the archive refuses it with its own reason)."""
    try:
        url = make_url(database_url)
    except (ArgumentError, ValueError):
        return False
    if url.get_backend_name() != "sqlite":
        return False
    database = url.database or ""
    return (
        database in ("", ":memory:")
        or database.startswith("file::memory:")
        or (url.query.get("mode") == "memory")
    )


def check_archive(database_url: str | None) -> None:
    """Refuse an archive a crawl cannot keep anything in: CrawlSetupError."""
    if database_url and in_memory(database_url):
        raise CrawlSetupError(
            f"{database_url} is an in-memory database: a crawl into it would keep nothing; "
            "give a file (--db archive.db) or a server URL"
        )


def crawl_settings(
    database_url: str, *, mirror: Any = None, verbose: bool = False, progress: bool = True
) -> Settings:
    """The project settings for one run: archive, optional local mirror, log level.

    `mirror` (NEWSARCHIVE_MIRROR): one base URL serving every site host, or {host: base URL};
    the mirror's download handler is installed only then, so a real crawl uses Scrapy's own.
    Raises CrawlSetupError for an archive that would keep nothing (in memory).
    """
    check_archive(database_url)
    settings = run_settings(mirror=mirror, verbose=verbose)
    settings.set("NEWSARCHIVE_DATABASE_URL", database_url, priority="cmdline")
    settings.set("NEWSARCHIVE_PROGRESS", progress, priority="cmdline")
    return settings


def run_settings(*, mirror: Any = None, verbose: bool = False) -> Settings:
    """The project settings with what every run sets: the log, and the mirror if given."""
    settings = Settings()
    settings.setmodule("newsarchive.settings", priority="project")
    settings.set("NEWSARCHIVE_TRACEBACKS", verbose, priority="cmdline")
    settings.set("LOG_LEVEL", "INFO" if verbose else "WARNING", priority="cmdline")
    if not verbose:
        # One line per failure, in the spider's words (`site: could not fetch URL (reason)`).
        settings.set("LOG_FORMAT", "%(message)s", priority="cmdline")
    if mirror:
        settings.set("NEWSARCHIVE_MIRROR", mirror, priority="cmdline")
        settings.set("DOWNLOAD_HANDLERS", MIRROR_HANDLERS, priority="cmdline")
        # A local fixture server needs no politeness delays.
        settings.set("AUTOTHROTTLE_ENABLED", False, priority="cmdline")
        settings.set("DOWNLOAD_DELAY", 0, priority="cmdline")
        settings.set("CONCURRENT_REQUESTS_PER_DOMAIN", 8, priority="cmdline")  # Scrapy's default
        settings.set("CONCURRENT_REQUESTS", 16, priority="cmdline")  # Scrapy's default
    return settings


def report_of(crawler: Crawler) -> SiteReport:
    stats = crawler.stats.get_stats() if crawler.stats is not None else {}
    return SiteReport.from_stats(crawler.spidercls.name, stats)


def run_crawl(
    names: list[str],
    settings: Settings,
    *,
    refresh: bool = False,
    since: date | None = None,
    until: date | None = None,
) -> list[SiteReport]:
    """Crawl the named sites side by side; one site's failure does not stop the others.
    `since`/`until`: a backfill of those days (sitemap indexes, REST pages, date archives and
    listing pages read back to `since`)."""
    from newsarchive.spiders.derived import spider

    spiders = [spider(name) for name in names]
    return run_spiders(spiders, settings, refresh=refresh, since=since, until=until)


def url_spider(url: str, *, region: str = "") -> type[NewsSpider]:
    """The spider of a site known only by its URL (`crawl --url`): autodiscovery and the
    generic rules. CrawlSetupError for a bad URL, or one of a declared site."""
    from newsarchive import sites
    from newsarchive.spiders.base import spider_class

    try:
        return spider_class(sites.from_url(url, region=region))
    except sites.BadSiteURLError as error:
        raise CrawlSetupError(f"--url: {error}") from None


@dataclass
class Discovered:
    """What discovery alone found for one site: its article URLs (canonical) and its stats."""

    site: str
    urls: list[str]
    stats: dict[str, Any] = field(default_factory=dict)


def run_discovery(spiders: list[type[NewsSpider]], settings: Settings) -> list[Discovered]:
    """Run the spiders' discovery only (feeds, sitemaps, REST, listings; no article is
    fetched, nothing stored, no crawl run recorded): what `newsarchive check` and the
    discovery test read. One process: Twisted's reactor runs once."""
    settings = settings.copy()
    settings.set("ITEM_PIPELINES", {}, priority="cmdline")
    extensions = dict(settings.getdict("EXTENSIONS"))
    extensions["newsarchive.crawl.run_record.RunRecord"] = None
    settings.set("EXTENSIONS", extensions, priority="cmdline")
    process = CrawlerProcess(settings)
    crawlers = []
    for spider_class in spiders:
        crawler = process.create_crawler(spider_class)
        crawlers.append(crawler)
        process.crawl(crawler, discover_only=True)
    process.start()
    return [discovered(crawler) for crawler in crawlers]


def discovered(crawler: Crawler) -> Discovered:
    spider: Any = crawler.spider
    stats = crawler.stats.get_stats() if crawler.stats is not None else {}
    return Discovered(site=crawler.spidercls.name, urls=sorted(spider.requested), stats=stats)


def check_schedule(settings: Settings) -> None:
    """Refuse a re-fetch schedule (NEWSARCHIVE_REFETCH_DAYS) that is no list of days, and a
    number of extraction processes that is none."""
    try:
        parse_schedule(settings.get(REFETCH_SETTING))
        extraction_workers.configured(settings.get(extraction_workers.SETTING))
    except ValueError as error:
        raise CrawlSetupError(str(error)) from None


def run_spiders(
    spiders: list[type[NewsSpider]],
    settings: Settings,
    *,
    refresh: bool = False,
    since: date | None = None,
    until: date | None = None,
) -> list[SiteReport]:
    """Crawl with these spiders (one per site) side by side, then report on each.

    The crawl is one crawl run (`run_record`): its row is made before the first request, its
    id given to the crawlers (NEWSARCHIVE_RUN_ID), and it is finished with the reports."""
    database_url = settings.get("NEWSARCHIVE_DATABASE_URL")
    check_archive(database_url)
    check_schedule(settings)
    run_id = run_record.start(database_url, [spider_class.name for spider_class in spiders])
    settings = settings.copy()
    settings.set(run_record.RUN_ID, run_id, priority="cmdline")
    process = CrawlerProcess(settings)
    crawlers = []
    for spider_class in spiders:
        crawler = process.create_crawler(spider_class)
        crawlers.append(crawler)
        process.crawl(crawler, refresh=refresh, since=since, until=until)
    try:
        process.start()
    finally:
        extraction_workers.close_shared()
    reports = [report_of(crawler) for crawler in crawlers]
    run_record.finish(database_url, run_id, reports)
    return reports
