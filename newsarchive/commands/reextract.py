"""`newsarchive reextract`: the archive's records made again from the pages it kept, no network.

For each archived article (within `--site` and `--since`) whose current version was read from a
raw page, the page is read back from its WARC record (`newsarchive.archive.warc`), extracted
with today's extractors through the crawl's own record path (`extract.from_response`, in
extraction processes as a crawl runs it: `newsarchive.extraction_workers`; then the validate
pipeline's drop rules), and compared with the current version. A record that differs
is stored as a new version through the store path (`Archive.store(any_change=True)`) in a crawl
run of kind `reextract`; `--dry-run` only reports, on an archive opened read-only.
"""

from __future__ import annotations

import sys
from collections import Counter, deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click
from sqlalchemy import select
from sqlalchemy.orm import Session

from newsarchive import extraction_workers
from newsarchive.archive.ingest import UpsertResult, changed_fields
from newsarchive.archive.models import ArticleRow, RawPageRow, VersionRow
from newsarchive.archive.runs import finish_run, start_run
from newsarchive.archive.store import Archive, ArchiveError
from newsarchive.archive.warc import StoredResponse, WarcError, read_response, warc_folder
from newsarchive.cli import (
    CONTEXT,
    InputError,
    archive_url,
    db_option,
    escaped,
    filters_from_options,
    main,
)
from newsarchive.extraction_workers import Extracted, ExtractionWorkers, extract_page
from newsarchive.items import Article
from newsarchive.query import Filters

BATCH = 200
"""Articles whose versions and raw pages are read in one query."""
MAX_SHOWN = 10
"""Problems listed one by one; past these, how many more."""


@dataclass
class SiteCounts:
    """What re-extraction found for one site's articles (kept as the run's counts)."""

    read: int = 0
    """Articles whose raw page was read and extracted."""
    updated: int = 0
    unchanged: int = 0
    no_raw_page: int = 0
    changed: Counter[str] = field(default_factory=Counter)
    """Per record field: how many records it changed in."""
    dropped: Counter[str] = field(default_factory=Counter)
    """Raw pages that no longer give an article, by reason."""
    errors: Counter[str] = field(default_factory=Counter)
    """Raw pages that could not be read, by kind."""
    present: Counter[str] = field(default_factory=Counter)
    """Per counted field: how many re-extracted records have it (for the run's coverage)."""

    def as_counts(self) -> dict[str, Any]:
        return {
            "read": self.read,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "no_raw_page": self.no_raw_page,
            "changed": dict(sorted(self.changed.items())),
            "dropped": dict(sorted(self.dropped.items())),
            "errors": dict(sorted(self.errors.items())),
        }

    def coverage(self) -> dict[str, float]:
        from newsarchive.pipelines.validate import COUNTED_FIELDS

        extracted = self.read - sum(self.dropped.values())
        if extracted <= 0:
            return {}
        return {name: round(self.present[name] / extracted, 4) for name in COUNTED_FIELDS}


@dataclass
class Report:
    """Everything a re-extraction counted, per site, and the problems met."""

    sites: dict[str, SiteCounts] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    """One line per raw page that could not be read."""

    def site(self, name: str) -> SiteCounts:
        return self.sites.setdefault(name, SiteCounts())

    def total(self, name: str) -> int:
        return sum(int(getattr(counts, name)) for counts in self.sites.values())

    def summed(self, name: str) -> Counter[str]:
        total: Counter[str] = Counter()
        for counts in self.sites.values():
            total.update(getattr(counts, name))
        return total


@dataclass(frozen=True)
class Candidate:
    """An archived article, its current version's record and the raw page it was read from."""

    article_id: int
    site: str
    canonical_url: str
    record: dict[str, Any]
    raw: RawPageRow | None


# --- what to re-extract -----------------------------------------------------------------------


@dataclass(frozen=True)
class Chosen:
    """An article to re-extract, as first listed."""

    article_id: int
    site: str
    has_raw_page: bool


def chosen_articles(session: Session, filters: Filters) -> list[Chosen]:
    """The articles within the filters (`sites`, `since`), oldest first."""
    has_raw = VersionRow.raw_page_id.is_not(None)
    query = (
        select(ArticleRow.id, ArticleRow.site, has_raw)
        .join(VersionRow, VersionRow.id == ArticleRow.current_version_id, isouter=True)
        .order_by(ArticleRow.id)
    )
    if filters.sites:
        query = query.where(ArticleRow.site.in_(filters.sites))
    if filters.since is not None:
        query = query.where(ArticleRow.published_at >= filters.since)
    return [Chosen(int(id_), site, bool(raw)) for id_, site, raw in session.execute(query)]


def candidates(session: Session, ids: Sequence[int]) -> Iterator[Candidate]:
    """The articles of `ids` with their current record and raw page, a batch at a time."""
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        query = (
            select(ArticleRow.id, ArticleRow.site, ArticleRow.canonical_url, VersionRow.record)
            .add_columns(RawPageRow)
            .join(VersionRow, VersionRow.id == ArticleRow.current_version_id)
            .join(RawPageRow, RawPageRow.id == VersionRow.raw_page_id, isouter=True)
            .where(ArticleRow.id.in_(batch))
            .order_by(ArticleRow.id)
        )
        rows = session.execute(query).all()
        session.expunge_all()  # the rows stay readable; the session keeps nothing between batches
        for article_id, site, canonical_url, record, raw in rows:
            yield Candidate(int(article_id), site, canonical_url, record or {}, raw)


# --- one article --------------------------------------------------------------------------------


def read_page(
    candidate: Candidate, folder: Path, counts: SiteCounts, report: Report
) -> StoredResponse | None:
    """The candidate's raw page read back from its WARC record, or None (counted, with why)."""
    raw = candidate.raw
    assert raw is not None
    try:
        stored = read_response(folder, raw.warc_file, raw.warc_offset, raw.warc_length)
    except WarcError as error:
        counts.errors["unreadable raw page"] += 1
        report.problems.append(f"{candidate.canonical_url}: {error}")
        return None
    counts.read += 1
    return stored


def record_of(
    candidate: Candidate, extracted: Extracted, counts: SiteCounts, report: Report
) -> Article | None:
    """The record the raw page gave again, or None (counted, with why)."""
    from newsarchive.pipelines.validate import COUNTED_FIELDS, drop_reason  # (imports Scrapy)

    article = extracted.article
    if extracted.outcome == "failed":  # an extractor bug on one page must not stop the others
        counts.dropped["extraction failed"] += 1
        last_line = extracted.message.strip().splitlines()[-1:] or ["?"]
        report.problems.append(f"{candidate.canonical_url}: extraction failed ({last_line[0]})")
        return None
    if article is None:
        counts.dropped[extracted.reason] += 1
        return None
    reason = drop_reason(article)
    if reason is None and article.canonical_url != candidate.canonical_url:
        reason = "another canonical URL"
    if reason is not None:
        counts.dropped[reason] += 1
        return None
    counts.present.update(name for name in COUNTED_FIELDS if getattr(article, name))
    return article


def outcome_of(future: Future[Extracted], page: tuple[Any, ...]) -> Extracted:
    """What the page gave: from its worker, or extracted here when its worker died."""
    try:
        return future.result()
    except BrokenProcessPool:
        return extract_page(*page)


def differences(candidate: Candidate, article: Article) -> tuple[str, ...]:
    """The record fields in which the new record differs from the current version, as a
    version's `changed` would name them."""
    after = article.to_dict()
    changed = changed_fields(candidate.record, after)
    if not changed and candidate.record.get("content_hash") != after["content_hash"]:
        changed = ("content",)
    return changed


WINDOW = 64
"""Pages handed to the extraction processes and not yet settled (each holds its bytes)."""


def reextract_archive(
    archive: Archive,
    ids: Sequence[int],
    folder: Path,
    report: Report,
    *,
    run_id: int | None,
    workers: ExtractionWorkers | None = None,
) -> None:
    """Re-extract the articles of `ids`, counting into `report`; with a `run_id`, store each
    changed record as a version of that run, else (a dry run) only count. The pages are
    extracted by `workers` (in this process without), and settled in the articles' order."""
    workers = workers or ExtractionWorkers(0)
    waiting: deque[tuple[Candidate, Future[Extracted], tuple[Any, ...]]] = deque()
    for candidate in candidates(archive.session, ids):
        counts = report.site(candidate.site)
        if candidate.raw is None:
            counts.no_raw_page += 1
            continue
        stored = read_page(candidate, folder, counts, report)
        if stored is None:
            continue
        page = (stored.body, stored.content_type, candidate.raw.url, candidate.raw.fetched_at)
        waiting.append((candidate, workers.submit(*page), page))
        if len(waiting) >= WINDOW:
            settle(archive, *waiting.popleft(), report, run_id)
    while waiting:
        settle(archive, *waiting.popleft(), report, run_id)


def settle(
    archive: Archive,
    candidate: Candidate,
    future: Future[Extracted],
    page: tuple[Any, ...],
    report: Report,
    run_id: int | None,
) -> None:
    """Count what the candidate's page gave again, and store it if it changed (with a run)."""
    counts = report.site(candidate.site)
    extracted = outcome_of(future, page)
    article = record_of(candidate, extracted, counts, report)
    if article is None:
        return
    changed = differences(candidate, article)
    if not changed:
        counts.unchanged += 1
        return
    if run_id is not None:
        assert candidate.raw is not None
        stored = archive.store(
            article, any_change=True, raw_page_id=candidate.raw.id, run_id=run_id
        )
        if stored.result is not UpsertResult.UPDATED:
            counts.unchanged += 1
            return
        changed = stored.changed
    counts.updated += 1
    counts.changed.update(changed)


# --- the command ------------------------------------------------------------------------------


def workers_wanted() -> int:
    """The extraction processes $NEWSARCHIVE_EXTRACT_PROCESSES asks for (auto unset: one per
    CPU, this process mostly waits for them), or a one-line error."""
    try:
        return extraction_workers.configured("auto", busy_caller=False)
    except ValueError as error:
        raise InputError(str(error)) from None


def checked_warc_dir(value: str | None, url: str) -> tuple[Path, bool]:
    """The WARC folder, and whether it was given (`--warc-dir`); a given one must exist."""
    if value is not None and not value.strip():
        raise InputError("--warc-dir needs a folder (the WARC files of the archive)")
    folder = warc_folder(url, value)
    if value is not None:
        if not folder.exists():
            raise InputError(f"--warc-dir {escaped(str(folder))}: no such folder")
        if not folder.is_dir():
            raise InputError(f"--warc-dir {escaped(str(folder))}: it is not a folder")
    return folder, value is not None


def opened(url: str, *, dry_run: bool) -> Archive:
    """The archive (read-only for a dry run); none is made where there is none."""
    try:
        return Archive(url, create=False, read_only=dry_run)
    except ArchiveError as error:
        raise InputError(str(error)) from None


def fields_line(changed: Counter[str]) -> str:
    return ", ".join(f"{name} {count}" for name, count in sorted(changed.items(), key=_by_count))


def _by_count(item: tuple[str, int]) -> tuple[int, str]:
    return -item[1], item[0]


def report_lines(report: Report, folder: Path, *, dry_run: bool, run_id: int | None) -> list[str]:
    """The report as printed: per field how many records changed, then the rest."""
    updated = report.total("updated")
    dropped, errors = report.summed("dropped"), report.summed("errors")
    how = "dry run: nothing written" if dry_run else f"new versions in run {run_id}"
    lines = [f"Re-extracted from {escaped(str(folder))}: {report.total('read')} raw page(s) read"]
    changed = f" ({fields_line(report.summed('changed'))})" if updated else ""
    lines.append(f"  changed: {updated} record(s){changed}; {how}")
    lines.append(f"  unchanged: {report.total('unchanged')}")
    lines.append(f"  without a raw page: {report.total('no_raw_page')}")
    reasons = f" ({fields_line(dropped)})" if dropped else ""
    lines.append(f"  no longer an article: {sum(dropped.values())}{reasons}")
    lines.append(f"  unreadable raw pages: {sum(errors.values())}")
    shown = report.problems[:MAX_SHOWN]
    lines += ["  problems:"] if shown else []
    lines += [f"    {escaped(problem)}" for problem in shown]
    if len(report.problems) > len(shown):
        lines.append(f"    … and {len(report.problems) - len(shown)} more")
    return lines


def finish(archive: Archive, run_id: int, report: Report, *, failed: bool) -> None:
    """Record the run's end: per site what it counted and its coverage, and its status."""
    sites = sorted(report.sites.items())
    finish_run(
        archive.session,
        run_id,
        counts={name: counts.as_counts() for name, counts in sites},
        coverage={name: counts.coverage() for name, counts in sites},
        exit_status=1 if failed or report.summed("errors") else 0,
    )


def run_reextraction(
    archive: Archive, chosen: list[Chosen], folder: Path, workers: ExtractionWorkers
) -> tuple[Report, int]:
    """Re-extract in a `reextract` run, recorded as it ends (or fails); the report, its id."""
    run_id = start_run(archive.session, "reextract", sorted({found.site for found in chosen}))
    report = Report()
    ids = [found.article_id for found in chosen]
    try:
        reextract_archive(archive, ids, folder, report, run_id=run_id, workers=workers)
    except BaseException:
        archive.session.rollback()
        finish(archive, run_id, report, failed=True)
        raise
    finish(archive, run_id, report, failed=False)
    return report, run_id


@main.command(context_settings=CONTEXT)
@click.option(
    "--site",
    "sites",
    metavar="SITE",
    multiple=True,
    help="Only this site's articles (repeatable; see newsarchive sites).",
)
@click.option(
    "--since",
    metavar="DATE|DATETIME",
    default=None,
    help="Only articles published then or later (ISO 8601, Athens time unless an offset is given).",
)
@click.option("--dry-run", is_flag=True, help="Only report what would change; write nothing.")
@db_option
@click.option(
    "--warc-dir",
    "warc_dir",
    metavar="DIR",
    default=None,
    help="The archive's WARC folder (default: $NEWSARCHIVE_WARC_DIR, else beside a SQLite "
    "archive: news.db → news-warc/, else ./newsarchive-warc/).",
)
def reextract(
    sites: tuple[str, ...], since: str | None, dry_run: bool, db: str | None, warc_dir: str | None
) -> None:
    """Make the archive's records again from the pages it kept, with today's extractors.

    No network: each article's page is read from its WARC record. Where the new record
    differs from the current version, it is added as a new version (in a crawl run of kind
    reextract); the report says per field how many records changed, how many were
    unchanged, how many articles have no raw page and how many pages no longer give an
    article, and why. Exit status 1 when a raw page could not be read, 2 for bad input.

    \b
    Example:
      newsarchive reextract --dry-run
      newsarchive reextract --site thessaliatv --since 2026-01-01 --db news.db
    """
    filters = filters_from_options(sites, None, None, since, None, None)
    url = archive_url(db)
    folder, given = checked_warc_dir(warc_dir, url)
    workers = ExtractionWorkers(workers_wanted(), with_terms=False)
    archive = opened(url, dry_run=dry_run)
    try:
        with archive.reading():
            chosen = chosen_articles(archive.session, filters)
            if not given and not folder.is_dir() and any(found.has_raw_page for found in chosen):
                raise InputError(
                    f"no WARC folder {escaped(str(folder))} beside the archive: give the folder "
                    "of its raw pages with --warc-dir"
                )
            if dry_run:
                report, run_id = Report(), None
                ids = [found.article_id for found in chosen]
                reextract_archive(archive, ids, folder, report, run_id=None, workers=workers)
            else:
                report, run_id = run_reextraction(archive, chosen, folder, workers)
    except ArchiveError as error:
        raise InputError(str(error)) from None
    finally:
        workers.close(cancel=True)
        archive.close()
    for line in report_lines(report, folder, dry_run=dry_run, run_id=run_id):
        click.echo(line)
    if report.summed("errors"):
        sys.exit(1)
