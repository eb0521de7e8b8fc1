"""`newsarchive crawl`: crawls sites into the archive, then prints what each did.

Made to be the one scheduled command (cron, a systemd timer): a site another crawl is crawling
is skipped (`newsarchive.crawl.locks`); a site's crawl stopped early is resumed by the next
(`newsarchive.crawl.jobs`); `--max-duration` stops it cleanly; each site's health is kept with
the run (`newsarchive.crawl.health`); `--summary-json` writes what a monitoring system reads;
the exit status is 0 when every site crawled is healthy, 1 when one failed or is degraded, 2
for bad input.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import click

from newsarchive.cli import (
    CONTEXT,
    InputError,
    archive_url,
    checked_crawl_archive,
    checked_output_path,
    checked_url,
    chosen_sites,
    db_option,
    escaped,
    main,
    mirror_setting,
    output_file,
    shown_url,
)
from newsarchive.dates import ATHENS
from newsarchive.items import REGIONS

if TYPE_CHECKING:  # the crawl's modules bring Scrapy: imported when a crawl runs
    from newsarchive.crawl.jobs import Job
    from newsarchive.crawl.locks import Holder, SiteLocks
    from newsarchive.crawl.outcome import Outcome
    from newsarchive.progress import SiteReport

DURATION = re.compile(r"(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?")
REDIS_SCHEMES = ("redis", "rediss")


def print_summary(
    reports: Iterable[SiteReport], archive_url: str, outcome: Outcome | None = None
) -> bool:
    """Prints the crawl summary; returns True when every site crawled went well. What the
    sites sent (error reasons, URLs) is shown without control characters.

    Each site's line (`[ok]`, `[FAILED]` for a failed or degraded site, `[skipped]`) is
    followed by its details, its health signals (`newsarchive.crawl.health`, read against the
    archive's earlier runs), its `FAILING n runs` flag, and whether its frontier is kept;
    then the archive's other failing sites."""
    from newsarchive.crawl.outcome import Outcome

    if outcome is None:
        outcome = Outcome(archive_url, datetime.now(ATHENS), reports=list(reports))
        assessed(outcome)
    click.echo(f"Crawl summary (archive: {escaped(shown_url(archive_url))})")
    for report in outcome.reports:
        status = outcome.status(report)
        click.echo(f"[{'ok' if status == 'ok' else 'FAILED'}] {escaped(report.line())}")
        for line in [*report.details(), *site_notes(outcome, report)]:
            click.echo(escaped(line))
    for site, why in outcome.skipped.items():
        click.echo(escaped(f"[skipped] {site}: {why}"))
    crawled = {report.site for report in outcome.reports}
    others = [found for found in outcome.failing if found.site not in crawled]
    if others:
        flagged = (f"{found.site} ({found.flag}, last run {found.run_id})" for found in others)
        click.echo(escaped("Also FAILING: " + ", ".join(flagged)))
    return outcome.exit_status == 0


def assessed(outcome: Outcome) -> None:
    """`outcome.assess`, its warning (an archive that cannot be read for it) on stderr."""
    from newsarchive.crawl.outcome import assess

    warning = assess(outcome)
    if warning:
        click.echo(escaped(f"newsarchive: warning: {warning}"), err=True)


def site_notes(outcome: Outcome, report: SiteReport) -> list[str]:
    """The lines under a site's details: its signals, its flag, its kept frontier."""
    from newsarchive.crawl.jobs import stopped_by
    from newsarchive.crawl.outcome import STOPPED

    found = outcome.health.get(report.site)
    lines = [signal.line() for signal in found.signals] if found else []
    if found and found.failing:
        lines.append(
            f"  {found.flag}: failed or degraded in each of its last "
            f"{found.consecutive_failures} crawl runs (see newsarchive runs --health)"
        )
    if report.site in outcome.kept:
        where = outcome.jobs[report.site].folder
        why = stopped_by(report.finish_reason)
        lines.append(f"  stopped by {why}: its frontier is kept in {where} for the next crawl")
    elif outcome.distributed and report.finish_reason in STOPPED:
        lines.append(f"  stopped by {STOPPED[report.finish_reason]}: its frontier stays in Redis")
    return lines


def write_summary_json(outcome: Outcome, path: Path) -> None:
    """The summary JSON, written whole or not at all (a temporary file renamed over it)."""
    from newsarchive.crawl.outcome import summary_document

    text = json.dumps(summary_document(outcome), ensure_ascii=False, indent=2) + "\n"
    with output_file(path) as out:
        out.write(text)


# --- running it ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """How to crawl, beyond which sites: as the options say."""

    mirror: Any = None
    refresh: bool = False
    verbose: bool = False
    warc_dir: Path | None = None
    since: date | None = None
    until: date | None = None
    jobdir: Path | None = None
    """The folder of the sites' jobs; None: no job (a distributed crawl)."""
    max_duration: int | None = None
    redis: str | None = None
    summary_json: Path | None = None


def run_and_report(
    names: list[str], url: str, plan: Plan, *, site_url: str | None = None, region: str = ""
) -> bool:
    """Crawl the named sites (and the site of `site_url`, known only by its URL), print the
    summary (and write its JSON); True when every site crawled went well."""
    outcome = crawl_sites(names, url, plan, site_url=site_url, region=region)
    ok = print_summary(outcome.reports, url, outcome)
    if plan.summary_json is not None:
        write_summary_json(outcome, plan.summary_json)
    return ok


def crawl_sites(
    names: list[str], url: str, plan: Plan, *, site_url: str | None, region: str
) -> Outcome:
    """Lock each site (a locked one is skipped), open its job, crawl, close the jobs, and
    assess each site's health."""
    from newsarchive.crawl import CrawlSetupError, check_schedule, run_spiders, url_spider
    from newsarchive.crawl.jobs import job_spider
    from newsarchive.crawl.locks import site_locks
    from newsarchive.crawl.outcome import Outcome
    from newsarchive.spiders.derived import spider

    outcome = Outcome(
        url,
        datetime.now(ATHENS),
        distributed=plan.redis is not None,
        max_duration=plan.max_duration,
    )
    try:
        spiders = [spider(name) for name in names]
        if site_url is not None:
            spiders.append(url_spider(site_url, region=region))
        settings = settings_of(url, plan)
        check_schedule(settings)
    except CrawlSetupError as error:
        raise InputError(str(error)) from None
    locks = site_locks(url) if plan.jobdir is not None else None
    try:
        if locks is not None:
            held = locked(locks, [spider_class.name for spider_class in spiders], url)
            outcome.skipped = {site: holder.describe() for site, holder in held.items()}
        chosen = [s for s in spiders if s.name not in outcome.skipped]
        if plan.jobdir is not None:
            outcome.jobs = open_jobs([s.name for s in chosen], plan.jobdir, plan)
            chosen = [job_spider(s, outcome.jobs[s.name]) for s in chosen]
        if chosen:
            outcome.reports = run_spiders(
                chosen, settings, refresh=plan.refresh, since=plan.since, until=plan.until
            )
        for report in outcome.reports:
            kept = outcome.jobs.get(report.site)
            if kept is not None and kept.close(report.finish_reason, report.run_id):
                outcome.kept.add(report.site)
        outcome.finished = datetime.now(ATHENS)
        assessed(outcome)
    finally:
        if locks is not None:
            locks.release()
    return outcome


def locked(locks: SiteLocks, sites: list[str], url: str) -> dict[str, Holder]:
    """Each site locked for this crawl: those another crawl holds, with who holds them. A
    database that fails meanwhile is the archive's one-line error."""
    from sqlalchemy.exc import SQLAlchemyError

    from newsarchive.archive import ArchiveError
    from newsarchive.crawl.locks import take_all

    try:
        return take_all(locks, sites)
    except SQLAlchemyError as error:
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise ArchiveError(f"cannot lock the sites in {shown_url(url)}: {reason}") from None


def open_jobs(sites: list[str], root: Path, plan: Plan) -> dict[str, Job]:
    """Each site's job (its folder under `root`), opened: a line for one resumed or discarded."""
    from newsarchive.crawl.jobs import Job, job_name

    jobs = {}
    for site in sites:
        name = job_name(site, since=plan.since, until=plan.until, refresh=plan.refresh)
        job = jobs[site] = Job(site, root / name)
        job.open()
        line = job.line()
        if line:
            click.echo(escaped(line), err=True)
    return jobs


def settings_of(url: str, plan: Plan) -> Any:
    """The crawl's Scrapy settings: the project's, the archive, the mirror, the WARC folder,
    the maximum duration, and a distributed crawl's (`--redis`)."""
    from newsarchive.crawl import crawl_settings

    settings = crawl_settings(url, mirror=plan.mirror, verbose=plan.verbose)
    if plan.warc_dir is not None:
        settings.set("NEWSARCHIVE_WARC_DIR", str(plan.warc_dir), priority="cmdline")
    if plan.max_duration is not None:
        settings.set("CLOSESPIDER_TIMEOUT", plan.max_duration, priority="cmdline")
    if plan.redis is not None:
        settings.update(distributed_settings(plan.redis), priority="cmdline")
    return settings


def distributed_settings(url: str) -> dict[str, Any]:
    """What a distributed crawl sets (`newsarchive.crawl.distributed.redis_settings`)."""
    from newsarchive.crawl.distributed import DistributedSetupError, redis_settings

    try:
        return dict(redis_settings(url))
    except DistributedSetupError as error:
        raise InputError(str(error)) from None


# --- options -------------------------------------------------------------------------------------


def extraction_processes_option() -> None:
    """Refuse a $NEWSARCHIVE_EXTRACT_PROCESSES that is no number of processes, before the
    archive is opened."""
    from newsarchive import extraction_workers

    try:
        extraction_workers.configured("auto")
    except ValueError as error:
        raise InputError(str(error)) from None


def duration_option(value: str | None) -> int | None:
    """`--max-duration 90s|30m|2h|1h30m` in seconds, or a one-line error."""
    if value is None:
        return None
    found = DURATION.fullmatch(value.strip().lower())
    if not found or not any(found.groups()):
        raise InputError(
            f"--max-duration {escaped(repr(value))} is not a duration: give e.g. 90s, 30m, 2h "
            "or 1h30m"
        )
    hours, minutes, seconds = (int(part or 0) for part in found.groups())
    total = hours * 3600 + minutes * 60 + seconds
    if total <= 0:
        raise InputError(f"--max-duration {value!r}: give a duration longer than 0 s")
    return total


def redis_option(value: str | None) -> str | None:
    """`--redis URL`: a redis:// or rediss:// URL with a host, or a one-line error."""
    if value is None:
        return None
    parts = urlsplit(value.strip())
    try:
        port_ok = parts.port is None or parts.port > 0
    except ValueError:
        port_ok = False
    if parts.scheme.lower() not in REDIS_SCHEMES or not parts.hostname or not port_ok:
        raise InputError(
            f"--redis {escaped(repr(value))} is not a Redis URL: give "
            "redis://HOST[:PORT][/DB] (or rediss:// for TLS)"
        )
    return value.strip()


def jobdir_option(url: str, value: Path | None, redis: str | None) -> Path | None:
    """The folder of the sites' jobs (None with --redis), refused when it cannot be one."""
    from newsarchive.crawl.jobs import job_root

    if redis is not None:
        if value is not None:
            raise InputError("--jobdir goes without --redis (the shared queue is the frontier)")
        return None
    root = job_root(url, value)
    if root.exists() and not root.is_dir():
        raise InputError(f"--jobdir {root}: it is not a folder")
    existing = next(folder for folder in (root, *root.absolute().parents) if folder.exists())
    if not os.access(existing, os.W_OK | os.X_OK):
        raise InputError(
            f"--jobdir {root}: folder {existing} is read-only: give a --jobdir this user can write"
        )
    return root


def summary_option(value: str | None) -> Path | None:
    """`--summary-json FILE`, refused before the crawl when it cannot be written."""
    if value is None:
        return None
    if not value.strip() or value == "-":
        raise InputError("--summary-json needs a file name (the summary itself goes to stdout)")
    return checked_output_path(value)


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
@click.option(
    "--max-duration",
    metavar="90s|30m|2h",
    default=None,
    help="Stop cleanly after this long: what is stored stays, each site's frontier is kept "
    "and the next crawl resumes it.",
)
@click.option(
    "--summary-json",
    metavar="FILE",
    default=None,
    help="Also write the summary as JSON (for monitoring), whole, at the end.",
)
@click.option(
    "--jobdir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder of the sites' unfinished crawls (Scrapy JOBDIR, one per site) (default: "
    "$NEWSARCHIVE_JOBDIR, else beside a SQLite archive: news.db keeps them in news-jobs/).",
)
@click.option(
    "--redis",
    metavar="URL",
    default=None,
    help="Crawl as one of several workers sharing a frontier in Redis (redis://HOST[:PORT]/DB); "
    "no site lock or job folder is used then.",
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
    max_duration: str | None,
    summary_json: str | None,
    jobdir: Path | None,
    redis: str | None,
    verbose: bool,
) -> None:
    """Crawl sites into the archive, then print what each did.

    Incremental: an archived article is fetched again only 1, 3 and 7 days after publication
    ($NEWSARCHIVE_REFETCH_DAYS) or when its sitemap lastmod is newer than its last fetch; a
    changed one gets a new version. Every fetched article page is kept as WARC. A site that
    another crawl is crawling is skipped; a site whose crawl stopped early (--max-duration, a
    signal) is resumed; a killed crawl leaves the archive consistent. Exit status 0 when every
    site crawled is healthy (skipped ones included), 1 when one failed or is degraded, 2 for
    bad input.

    \b
    Example:
      newsarchive crawl thessaliatv
      newsarchive crawl --all --max-duration 2h --summary-json /var/lib/newsarchive/last.json
      newsarchive crawl --all --db postgresql+psycopg://news@localhost/news
      newsarchive crawl larissanet --since 2025-01-01 --until 2025-06-30
      newsarchive crawl --url https://some-outlet.gr --region trikala
    """
    names, site_url = crawl_targets(site_names, all_sites, site_url, region)
    first, last = crawl_window(since, until)
    if last is not None and first is None:
        raise InputError("--until goes with --since (the day a backfill starts)")
    mirrored = mirror_setting(mirror)
    seconds = duration_option(max_duration)
    summary_path = summary_option(summary_json)
    redis_url = redis_option(redis)
    jobs = jobdir_option(archive_url(db), jobdir, redis_url)
    if warc_dir is not None and warc_dir.exists() and not os.access(warc_dir, os.W_OK):
        raise InputError(f"--warc-dir {warc_dir}: the folder is not writable")
    extraction_processes_option()
    url = checked_crawl_archive(db)
    plan = Plan(
        mirror=mirrored,
        refresh=refresh,
        verbose=verbose,
        warc_dir=warc_dir,
        since=first,
        until=last,
        jobdir=jobs,
        max_duration=seconds,
        redis=redis_url,
        summary_json=summary_path,
    )
    if not run_and_report(names, url, plan, site_url=site_url, region=region or ""):
        sys.exit(1)
