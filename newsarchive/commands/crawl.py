"""`newsarchive crawl`: crawls sites into the archive, then prints what each did."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import click

from newsarchive.archive import Archive, ArchiveError
from newsarchive.cli import (
    CONTEXT,
    InputError,
    checked_crawl_archive,
    checked_url,
    chosen_sites,
    db_option,
    escaped,
    main,
    mirror_setting,
    shown_url,
)
from newsarchive.items import REGIONS


def print_summary(reports: Iterable[Any], archive_url: str) -> bool:
    """Prints the crawl summary; returns True when every site went well. What the sites sent
    (error reasons, URLs) is shown without control characters.

    Each site's line is followed by its details and its health signals
    (`newsarchive.crawl.health`: endpoints that failed, no articles where an earlier run found
    some, a field whose coverage fell), read against the archive's earlier runs; a failed
    signal marks the site `[FAILED]` and, in its crawl run, the exit status 1."""
    from newsarchive.crawl import health

    reports = list(reports)
    found = summary_signals(reports, archive_url)
    ok = True
    click.echo(f"Crawl summary (archive: {escaped(shown_url(archive_url))})")
    for report in reports:
        failed = health.unhealthy(report, found.get(report.site, []))
        click.echo(f"[{'FAILED' if failed else 'ok'}] {escaped(report.line())}")
        for line in report.details():
            click.echo(escaped(line))
        for signal in found.get(report.site, []):
            click.echo(escaped(signal.line()))
        ok = ok and not failed
    return ok


def summary_signals(reports: list[Any], archive_url: str) -> dict[str, list[Any]]:
    """Each site's health signals against the archive's earlier runs; a run whose sites turn
    out unhealthy gets exit status 1 (it was recorded from the counts alone). An archive that
    cannot be read for it leaves the signals out, with a warning on stderr."""
    from sqlalchemy.exc import SQLAlchemyError

    from newsarchive.archive.models import CrawlRunRow
    from newsarchive.crawl import health

    try:
        with Archive(archive_url) as archive:
            found = {
                report.site: health.signals(
                    report, health.past_runs(archive.session, report.site, before=report.run_id)
                )
                for report in reports
            }
            runs = {r.run_id for r in reports if r.run_id and health.unhealthy(r, found[r.site])}
            for run_id in runs:
                row = archive.session.get(CrawlRunRow, run_id)
                if row is not None and row.finished_at is not None:
                    row.exit_status = 1
            archive.session.commit()
    except (ArchiveError, SQLAlchemyError, OSError) as error:  # the summary is printed anyway
        message = f"newsarchive: warning: health not compared with earlier runs: {error}"
        click.echo(escaped(message), err=True)
        return {}
    return found


def run_and_report(
    names: list[str],
    url: str,
    *,
    mirror: Any,
    refresh: bool,
    verbose: bool,
    warc_dir: Path | None = None,
    since: date | None = None,
    until: date | None = None,
    site_url: str | None = None,
    region: str = "",
) -> bool:
    """Crawl the named sites (and the site of `site_url`, known only by its URL), print the
    summary; True when every site went well."""
    from newsarchive.crawl import CrawlSetupError, crawl_settings, run_spiders, url_spider
    from newsarchive.spiders.derived import spider

    try:
        spiders = [spider(name) for name in names]
        if site_url is not None:
            spiders.append(url_spider(site_url, region=region))
        settings = crawl_settings(url, mirror=mirror, verbose=verbose)
        if warc_dir is not None:
            settings.set("NEWSARCHIVE_WARC_DIR", str(warc_dir), priority="cmdline")
        reports = run_spiders(spiders, settings, refresh=refresh, since=since, until=until)
    except CrawlSetupError as error:
        raise InputError(str(error)) from None
    return print_summary(reports, url)


def crawl_day(value: str | None, option: str) -> date | None:
    """A backfill's day (`--since`, `--until`): an ISO date (or datetime, its day), or a
    one-line error."""
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value.strip()).date()
    except ValueError:
        raise InputError(
            f"{option} {escaped(repr(value))} is not an ISO date (expected e.g. 2025-01-01)"
        ) from None


def crawl_window(since: str | None, until: str | None) -> tuple[date | None, date | None]:
    """`--since` and `--until` as days, the first not after the second, neither in the
    future."""
    first, last = crawl_day(since, "--since"), crawl_day(until, "--until")
    if first and last and last < first:
        raise InputError(f"--until {last} is before --since {first}")
    if first and first > date.today():
        raise InputError(f"--since {first} is in the future: nothing was published yet")
    return first, last


def crawl_targets(
    site_names: tuple[str, ...], all_sites: bool, site_url: str | None, region: str | None
) -> tuple[list[str], str | None]:
    """The declared sites to crawl, and the URL of a site known only by it (`--url`)."""
    from newsarchive import sites

    if site_url is None:
        if region is not None:
            raise InputError("--region goes with --url (a declared site has its region)")
        return chosen_sites(site_names, all_sites), None
    if site_names or all_sites:
        raise InputError("give --url alone, or site names (or --all), not both")
    checked_url(site_url, "--url")
    try:
        sites.from_url(site_url)
    except sites.BadSiteURLError as error:
        raise InputError(f"--url: {error}") from None
    return [], site_url


@main.command(context_settings=CONTEXT)
@click.argument("site_names", metavar="SITE...", nargs=-1)
@click.option("--all", "all_sites", is_flag=True, help="Crawl every known site.")
@db_option
@click.option(
    "--refresh",
    is_flag=True,
    help="Fetch every archived article again (default: only those due on the re-fetch schedule "
    "or whose sitemap lastmod is newer than their last fetch).",
)
@click.option(
    "--warc-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder of the raw pages (WARC) (default: $NEWSARCHIVE_WARC_DIR, else beside a "
    "SQLite archive: news.db keeps them in news-warc/).",
)
@click.option(
    "--mirror",
    metavar="[HOST=]URL",
    multiple=True,
    help="Fetch from a local mirror (the fixture server) instead of the web: URL for "
    "every site, HOST=URL for one host (repeatable).",
)
@click.option(
    "--url",
    "site_url",
    metavar="URL",
    default=None,
    help="Crawl a site that has no declaration, by its home page's URL: its feeds, sitemaps "
    "and WordPress REST API are discovered, else its home page's article links are read; "
    "records by the generic rules.",
)
@click.option(
    "--region",
    type=click.Choice(REGIONS),
    default=None,
    help="With --url: the region of the site's records (default: none).",
)
@click.option(
    "--since",
    metavar="DATE",
    default=None,
    help="Backfill from this day (ISO date): sitemap indexes, REST pages, date archives and "
    "listing pages are read back to it, and no further.",
)
@click.option(
    "--until", metavar="DATE", default=None, help="Backfill up to this day (with --since)."
)
@click.option("-v", "--verbose", is_flag=True, help="Show Scrapy's log (INFO).")
def crawl(
    site_names: tuple[str, ...],
    all_sites: bool,
    db: str | None,
    refresh: bool,
    warc_dir: Path | None,
    mirror: tuple[str, ...],
    site_url: str | None,
    region: str | None,
    since: str | None,
    until: str | None,
    verbose: bool,
) -> None:
    """Crawl sites into the archive, then print what each did.

    Incremental: an archived article is fetched again only 1, 3 and 7 days after publication
    ($NEWSARCHIVE_REFETCH_DAYS) or when its sitemap lastmod is newer than its last fetch; a
    changed one gets a new version. Every fetched article page is kept as WARC. Exit status 1
    when a site failed (unreachable, errors), 2 for bad input.

    \b
    Example:
      newsarchive crawl thessaliatv
      newsarchive crawl --all --db postgresql+psycopg://news@localhost/news
      newsarchive crawl larissanet --since 2025-01-01 --until 2025-06-30
      newsarchive crawl --url https://some-outlet.gr --region trikala
    """
    names, site_url = crawl_targets(site_names, all_sites, site_url, region)
    first, last = crawl_window(since, until)
    if last is not None and first is None:
        raise InputError("--until goes with --since (the day a backfill starts)")
    mirrored = mirror_setting(mirror)
    url = checked_crawl_archive(db)
    if warc_dir is not None and warc_dir.exists() and not os.access(warc_dir, os.W_OK):
        raise InputError(f"--warc-dir {warc_dir}: the folder is not writable")
    ok = run_and_report(
        names,
        url,
        mirror=mirrored,
        refresh=refresh,
        verbose=verbose,
        warc_dir=warc_dir,
        since=first,
        until=last,
        site_url=site_url,
        region=region or "",
    )
    if not ok:
        sys.exit(1)
