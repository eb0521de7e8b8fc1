"""Every crawl is a `crawl_runs` row: started before the first request, finished after the last.

`newsarchive.crawl.run_spiders` makes one row for all the sites it crawls side by side and
passes its id to them as NEWSARCHIVE_RUN_ID (the store pipeline marks each version with it);
`RunRecord` does the same for a plain `scrapy crawl NAME`, which has no run id. Finishing keeps
each site's counts (`SiteReport.counts`), its field coverage (`SiteReport.coverage`) and the
exit status (0: every site went well, 1: one failed; a stop by `--max-duration` is no failure).
`keep_health` then adds what the comparison with earlier runs says of each site
(`newsarchive.crawl.health.SiteHealth`: status, signals, failure streak) to the site's counts,
under `health`, and sets the exit status from it. A crawl killed half-way leaves its row
without `finished_at`: `newsarchive runs` shows it as interrupted.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from scrapy import signals
from scrapy.exceptions import NotConfigured
from sqlalchemy.orm import Session

from newsarchive.archive import Archive
from newsarchive.archive.models import CrawlRunRow
from newsarchive.archive.runs import finish_run, start_run
from newsarchive.crawl.health import FAILING, SiteHealth, crawl_failed
from newsarchive.progress import SiteReport

RUN_ID = "NEWSARCHIVE_RUN_ID"


def exit_status(reports: Iterable[SiteReport]) -> int:
    """0 when every site went well, 1 when one failed (`health.crawl_failed`)."""
    return 1 if any(crawl_failed(report) for report in reports) else 0


def start(database_url: str | None, sites: list[str]) -> int:
    """A new crawl run on these sites, started now: its id."""
    with Archive(database_url) as archive:
        return start_run(archive.session, "crawl", sites)


def finish(database_url: str | None, run_id: int, reports: list[SiteReport]) -> None:
    """Record the end of a crawl run: per site its counts and field coverage, and the status."""
    with Archive(database_url) as archive:
        finish_run(
            archive.session,
            run_id,
            counts={report.site: report.counts() for report in reports},
            coverage={report.site: report.coverage() for report in reports},
            exit_status=exit_status(reports),
        )


def keep_health(session: Session, run_id: int, found: dict[str, SiteHealth]) -> None:
    """Keep each site's health with the run (in its counts, under `health`) and set the run's
    exit status from it (1 when a site failed or is degraded). Commits. A run not finished
    (or gone) is left as it is."""
    row = session.get(CrawlRunRow, run_id)
    if row is None or row.finished_at is None:
        return
    counts = dict(row.counts or {})
    for site, health in found.items():
        if isinstance(counts.get(site), dict):
            counts[site] = {**counts[site], "health": health.record()}
    row.counts = counts  # a new dict: the JSON column is written again
    if any(health.status in FAILING for health in found.values()):
        row.exit_status = 1
    session.commit()


class RunRecord:
    """The crawl run of a crawler that has none (`scrapy crawl NAME`): made when the crawler is,
    so that the store pipeline finds its id, and finished when the spider closes."""

    def __init__(self, crawler: Any, run_id: int) -> None:
        self.crawler = crawler
        self.run_id = run_id

    @classmethod
    def from_crawler(cls, crawler: Any) -> RunRecord:
        from newsarchive.spiders.base import NewsSpider

        settings = crawler.settings
        spider_class = crawler.spidercls
        if settings.getint(RUN_ID) or not issubclass(spider_class, NewsSpider):
            raise NotConfigured  # the crawl has its run already, or is none of ours (silent)
        run_id = start(settings.get("NEWSARCHIVE_DATABASE_URL"), [spider_class.name])
        settings.set(RUN_ID, run_id, priority="cmdline")
        extension = cls(crawler, run_id)
        crawler.signals.connect(extension.closed, signal=signals.spider_closed)
        return extension

    def closed(self, spider: Any, reason: str) -> None:
        stats = dict(self.crawler.stats.get_stats())
        stats["finish_reason"] = reason
        report = SiteReport.from_stats(spider.name, stats)
        finish(self.crawler.settings.get("NEWSARCHIVE_DATABASE_URL"), self.run_id, [report])
