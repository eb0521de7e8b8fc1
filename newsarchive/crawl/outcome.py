"""What a crawl did: each site's report and health, the sites it skipped, the jobs it resumed or
kept, and the summary JSON of it all (`newsarchive crawl --summary-json`).

`assess` compares each crawled site with the archive's earlier runs (`newsarchive.crawl.health`)
and keeps the result with the run (`run_record.keep_health`); `summary_document` is the JSON a
monitoring system reads, every field of which the README's Operations section describes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from newsarchive.archive import Archive, ArchiveError
from newsarchive.crawl import health, run_record
from newsarchive.crawl.health import SiteHealth
from newsarchive.crawl.jobs import Job
from newsarchive.dates import ATHENS
from newsarchive.progress import SiteReport

STOPPED = {"closespider_timeout": "max-duration", "shutdown": "signal"}
"""Scrapy's finish reasons of a crawl stopped early, as the summary JSON's `stopped` says."""


@dataclass
class Outcome:
    """What a crawl did: each crawled site's report and health, the sites it skipped, the
    jobs it resumed or kept, and the sites of the archive flagged as failing."""

    archive_url: str
    started: datetime
    reports: list[SiteReport] = field(default_factory=list)
    health: dict[str, SiteHealth] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)
    """Site → why (`another crawl holds it since …`)."""
    jobs: dict[str, Job] = field(default_factory=dict)
    kept: set[str] = field(default_factory=set)
    """Sites whose job (frontier) is kept for the next crawl."""
    latest: dict[str, SiteHealth] = field(default_factory=dict)
    """Every site's latest health in the archive (after this crawl's), by site."""
    distributed: bool = False
    finished: datetime | None = None
    max_duration: int | None = None

    def status(self, report: SiteReport) -> str:
        found = self.health.get(report.site)
        return found.status if found else health.status_of(report, [])

    @property
    def exit_status(self) -> int:
        """1 when a crawled site failed or is degraded, else 0 (skipped sites are fine)."""
        return 1 if any(self.status(r) in ("failed", "degraded") for r in self.reports) else 0

    @property
    def stopped(self) -> str | None:
        """`max-duration` or `signal` when a site's crawl was stopped early so, else None."""
        reasons = {STOPPED.get(report.finish_reason) for report in self.reports} - {None}
        return "max-duration" if "max-duration" in reasons else next(iter(reasons), None)

    @property
    def failing(self) -> list[SiteHealth]:
        """The archive's sites failing FAILING_RUNS runs in a row or more."""
        return [found for found in self.latest.values() if found.failing]

    @property
    def resumed(self) -> set[str]:
        return {site for site, job in self.jobs.items() if job.state == "resumed"}


def assess(outcome: Outcome) -> str | None:
    """Each crawled site's health against the archive's earlier runs, kept with its run, and
    the archive's failing sites. An archive that cannot be read for it leaves them out (the
    statuses then come from the counts alone): the warning to give, else None."""
    reports = outcome.reports
    if not reports and not outcome.skipped:
        return None
    try:
        with Archive(outcome.archive_url) as archive:
            session = archive.session
            for report in reports:
                past = health.past_runs(session, report.site, before=report.run_id)
                resumed = report.site in outcome.resumed
                outcome.health[report.site] = health.assess(report, past, resumed=resumed)
            for run_id in {report.run_id for report in reports if report.run_id}:
                mine = {s: h for s, h in outcome.health.items() if h.run_id == run_id}
                run_record.keep_health(session, run_id, mine)
            flagged = health.latest(session, runs=health.PAST_RUNS)
            outcome.latest = {found.site: found for found in flagged}
    except (ArchiveError, SQLAlchemyError, OSError) as error:  # the summary is given anyway
        return f"health not compared with earlier runs: {error}"
    return None


def without_password(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return url


def summary_document(outcome: Outcome) -> dict[str, Any]:
    """The summary JSON (`--summary-json`): see the README's Operations section."""
    finished = outcome.finished or datetime.now(ATHENS)
    run_ids = sorted({report.run_id for report in outcome.reports if report.run_id})
    return {
        "run_id": run_ids[0] if run_ids else None,
        "archive": without_password(outcome.archive_url),
        "started": outcome.started.isoformat(timespec="seconds"),
        "finished": finished.isoformat(timespec="seconds"),
        "duration_seconds": round((finished - outcome.started).total_seconds(), 1),
        "exit_status": outcome.exit_status,
        "stopped": outcome.stopped,
        "max_duration_seconds": outcome.max_duration,
        "sites": [
            *(site_document(outcome, report) for report in outcome.reports),
            *(
                skipped_document(site, why, outcome.latest.get(site))
                for site, why in outcome.skipped.items()
            ),
        ],
        "failing": [
            {"site": f.site, "consecutive_failures": f.consecutive_failures, "run_id": f.run_id}
            for f in outcome.failing
        ],
    }


def site_document(outcome: Outcome, report: SiteReport) -> dict[str, Any]:
    found = outcome.health.get(report.site)
    return {
        "site": report.site,
        "status": outcome.status(report),
        "reason": (found.reason or None) if found else None,
        "finish_reason": report.finish_reason,
        "resumed": report.site in outcome.resumed,
        "frontier_kept": report.site in outcome.kept,
        "counts": report.counts(),
        "coverage": report.coverage(),
        "signals": [signal.record() for signal in found.signals] if found else [],
        "consecutive_failures": found.consecutive_failures if found else None,
        "failing": bool(found and found.failing),
    }


def skipped_document(site: str, why: str, latest: SiteHealth | None) -> dict[str, Any]:
    return {
        "site": site,
        "status": "skipped",
        "reason": why,
        "finish_reason": None,
        "resumed": False,
        "frontier_kept": False,
        "counts": None,
        "coverage": None,
        "signals": [],
        "consecutive_failures": latest.consecutive_failures if latest else None,
        "failing": bool(latest and latest.failing),
    }
