"""Health, not silence: what a crawl's reports say beyond their counts, compared with earlier runs.

A site that is blocked or broken must never look merely empty. `SiteReport.failed` already
covers what one run sees alone (fetch errors, challenge pages, giving up, nothing fetched);
this module adds what only a comparison with the archive's earlier crawl runs (`crawl_runs`,
as `newsarchive.crawl.run_record` writes them) can tell, and says each in one line:

- **endpoints that failed** (a feed or sitemap that is HTML or missing, a REST API that is
  not JSON: the spider went on with the site's other methods and counted
  `newsarchive/endpoint_failed/<kind>`, noting each as `endpoint_note/<kind> <path>: <why>`):
  one warning line naming them and what was used instead, since the other methods may still
  have found the articles (when they found none, the next signal fails the site);
- **no articles where an earlier run found some**: the site's crawl found none (no record
  extracted, none known and fresh), while the latest earlier finished run of the site that found
  any did. Failed. It keeps failing on every run until the site finds articles again: a feed
  that moved stays reported, never silently empty. With no such earlier run, finding no
  article is a warning;
- **a field whose coverage fell**: the share of a site's records with a field (dates, bodies,
  headlines, …) dropped by at least COVERAGE_DROP (30 points) from at least COVERAGE_FLOOR
  (50%), both runs having at least MIN_RECORDS (5) records: its selectors stopped matching, or
  the site changed its templates. Failed, so a scheduled crawl's exit status says so. The
  earlier run is the latest finished one in which the site had MIN_RECORDS records (an
  incremental run that re-fetched two articles is no baseline).

Pure functions over reports and earlier runs (`PastRun`), plus `past_runs`, which reads them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from newsarchive.archive.models import CrawlRunRow
from newsarchive.progress import SiteReport

MIN_RECORDS = 5
"""A coverage is compared only when both runs extracted at least this many records of the
site: with fewer, one odd page moves a share by 20 points or more."""
COVERAGE_FLOOR = 0.5
"""A field is watched when the earlier run found it on at least this share of the records
(a field most pages of the site lack, such as authors, is no signal)."""
COVERAGE_DROP = 0.3
"""A fall of at least this much (30 points of share) marks the field as broken."""
PAST_RUNS = 50
"""How many of the latest finished crawl runs are read for a comparison."""

Level = Literal["failed", "warning"]


@dataclass(frozen=True)
class Signal:
    """One thing wrong with a site's crawl, said in one line."""

    level: Level
    message: str

    @property
    def failed(self) -> bool:
        return self.level == "failed"

    def line(self) -> str:
        """The line under the site's summary line (`  FAILED: …`, `  warning: …`)."""
        return f"  {'FAILED' if self.failed else 'warning'}: {self.message}"


@dataclass(frozen=True)
class PastRun:
    """What an earlier crawl run recorded of one site."""

    run_id: int
    finished_at: datetime | None
    counts: dict[str, Any]
    """The site's counts (`SiteReport.counts`)."""
    coverage: dict[str, float]
    """The site's field coverage (`SiteReport.coverage`)."""

    @property
    def found(self) -> int:
        """Articles it found: records extracted, and archived ones known and fresh."""
        return int(self.counts.get("extracted", 0)) + int(self.counts.get("known", 0))

    @property
    def records(self) -> int:
        return int(self.counts.get("extracted", 0))

    @property
    def when(self) -> str:
        """`run 12 (2026-02-10 08:00 UTC)`, as a line names it."""
        at = f" ({self.finished_at:%Y-%m-%d %H:%M} UTC)" if self.finished_at else ""
        return f"run {self.run_id}{at}"


def endpoint_signals(report: SiteReport) -> list[Signal]:
    """One warning naming the declared endpoints that answered without what they should hold,
    and what the crawl used instead (`endpoints: feed /feed/ answered HTML; used listing`)."""
    if not report.endpoints_failed and not report.endpoint_notes:
        return []
    failed = [note.replace(": ", " ", 1) for note in report.endpoint_notes] or [
        f"{count} {kind} endpoint(s) answered without a {kind}"
        for kind, count in sorted(report.endpoints_failed.items())
    ]
    used = [kind for kind, count in report.endpoints_used.items() if count]
    rest = f"used {', '.join(sorted(used))}" if used else "no other endpoint answered"
    return [Signal("warning", f"endpoints: {', '.join(failed)}; {rest}")]


def zero_articles_signal(report: SiteReport, past: list[PastRun]) -> Signal | None:
    """No article found, against the latest earlier run (newest first in `past`) that found
    some: failed; without one: a warning. None when the crawl found articles, or when it
    failed already for a reason of its own (errors, challenge pages) that its lines say."""
    if report.found or report.failed:
        return None
    earlier = next((run for run in past if run.found), None)
    if earlier is None:
        return Signal(
            "warning",
            "no article found (no feed item, sitemap entry or listing link led to one)",
        )
    return Signal(
        "failed",
        f"no article found, where {earlier.when} found {earlier.found}: its feeds, sitemaps "
        "or listings stopped leading to articles",
    )


def coverage_signals(report: SiteReport, past: list[PastRun]) -> list[Signal]:
    """A failure per field whose share of records fell by COVERAGE_DROP from COVERAGE_FLOOR
    or more, against the latest earlier run with MIN_RECORDS records of the site."""
    if report.extracted < MIN_RECORDS:
        return []
    baseline = next((run for run in past if run.records >= MIN_RECORDS and run.coverage), None)
    if baseline is None:
        return []
    now = report.coverage()
    signals = []
    for name, before in sorted(baseline.coverage.items()):
        after = now.get(name)
        if after is None or before < COVERAGE_FLOOR or before - after < COVERAGE_DROP - 1e-9:
            continue
        signals.append(
            Signal(
                "failed",
                f"{name} found on {after:.0%} of {report.extracted} records, against "
                f"{before:.0%} of {baseline.records} in {baseline.when}: the site's rules "
                "for it stopped matching (see newsarchive check "
                f"{report.site})",
            )
        )
    return signals


def signals(report: SiteReport, past: list[PastRun]) -> list[Signal]:
    """Everything wrong with a site's crawl that its own counts do not say, `past` being the
    site's earlier finished runs, newest first."""
    found = zero_articles_signal(report, past)
    return [
        *endpoint_signals(report),
        *([found] if found else []),
        *coverage_signals(report, past),
    ]


def unhealthy(report: SiteReport, found: list[Signal]) -> bool:
    """The site went wrong: its own failure, or a failed health signal."""
    return report.failed or any(signal.failed for signal in found)


def past_runs(session: Session, site: str, *, before: int | None) -> list[PastRun]:
    """The site's earlier finished crawl runs, newest first (at most PAST_RUNS are read).

    `before`: the id of the run being reported, which is left out with every later one (runs
    of other crawls going on meanwhile); None: every finished run is earlier."""
    query = (
        select(CrawlRunRow)
        .where(CrawlRunRow.kind == "crawl", CrawlRunRow.finished_at.is_not(None))
        .order_by(CrawlRunRow.id.desc())
        .limit(PAST_RUNS)
    )
    if before is not None:
        query = query.where(CrawlRunRow.id < before)
    runs = []
    for row in session.scalars(query):
        counts = (row.counts or {}).get(site)
        if not isinstance(counts, dict):
            continue  # a run of other sites
        coverage = (row.coverage or {}).get(site)
        runs.append(
            PastRun(
                run_id=row.id,
                finished_at=row.finished_at,
                counts=counts,
                coverage=dict(coverage) if isinstance(coverage, dict) else {},
            )
        )
    return runs
