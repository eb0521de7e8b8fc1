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

Each site's crawl then has a **status**: `failed` (the crawl itself failed: unreachable, fetch
errors, challenge pages, giving up; or no article where an earlier run found some), `degraded`
(articles came, but a field's coverage fell), else `ok` (warnings allowed); `newsarchive crawl`
adds `skipped` for a site another crawl holds. A crawl stopped by `--max-duration` is no failure
by itself, and neither it nor a resumed crawl fails for finding no article (a warning). The
status, the signals and the site's **failure streak** (its consecutive failed or degraded
runs) are kept with the run (`SiteHealth.record`, in the run's `counts` of the site, under
`health`); a site failing FAILING_RUNS runs in a row is flagged (`FAILING 3 runs`) in every
crawl summary and in `newsarchive runs --health` until a run of it succeeds.

Pure functions over reports and earlier runs (`PastRun`), plus `past_runs` and `latest`, which
read them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
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
HEALTH_RUNS = 1000
"""How many of the latest finished crawl runs `latest` reads for each site's latest health
(`runs --health`; a crawl's summary reads PAST_RUNS)."""
FAILING_RUNS = 3
"""A site whose crawls failed (or were degraded) this many runs in a row is flagged."""
STOPPED = "closespider_timeout"
"""Scrapy's finish reason of a crawl stopped by CLOSESPIDER_TIMEOUT (`crawl --max-duration`)."""
FAILING = ("failed", "degraded")

Level = Literal["failed", "warning"]
Status = Literal["ok", "degraded", "failed"]


@dataclass(frozen=True)
class Signal:
    """One thing wrong with a site's crawl, said in one line."""

    level: Level
    message: str
    kind: str = field(default="", compare=False)
    """What it is about: `endpoints`, `articles` or `coverage` (a fall degrades the site)."""

    @property
    def failed(self) -> bool:
        return self.level == "failed"

    def record(self) -> dict[str, str]:
        return {"level": self.level, "kind": self.kind, "message": self.message}

    @classmethod
    def of(cls, data: Any) -> Signal | None:
        """A signal as `record` keeps it (None for anything else)."""
        if not isinstance(data, dict) or data.get("level") not in ("failed", "warning"):
            return None
        return cls(data["level"], str(data.get("message", "")), str(data.get("kind", "")))

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

    @property
    def health(self) -> dict[str, Any]:
        kept = self.counts.get("health")
        return kept if isinstance(kept, dict) else {}

    @property
    def status(self) -> Status:
        """The site's status in that run: as kept with it, else (a run recorded before health
        was kept) failed when its counts say so."""
        kept = self.health.get("status")
        if kept in ("ok", "degraded", "failed"):
            return kept  # type: ignore[no-any-return]
        return "failed" if self.counts.get("failed") else "ok"

    @property
    def signals(self) -> list[Signal]:
        found = (Signal.of(data) for data in self.health.get("signals") or [])
        return [signal for signal in found if signal is not None]


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
    return [Signal("warning", f"endpoints: {', '.join(failed)}; {rest}", "endpoints")]


def zero_articles_signal(
    report: SiteReport, past: list[PastRun], *, resumed: bool = False
) -> Signal | None:
    """No article found, against the latest earlier run (newest first in `past`) that found
    some: failed; without one: a warning. None when the crawl found articles, or when it
    failed already for a reason of its own (errors, challenge pages) that its lines say. A
    crawl cut short by `--max-duration`, one resuming another (`resumed`: what it had found is
    behind it), or a worker of a distributed crawl (its share; the others may have found
    them) is warned only."""
    if report.found or crawl_failed(report):
        return None
    if report.finish_reason == STOPPED:
        return Signal("warning", "no article found before --max-duration stopped it", "articles")
    if resumed:
        return Signal("warning", "no article left to fetch in the crawl it resumed", "articles")
    if report.share is not None:  # a worker of a distributed crawl: the others may have them
        return Signal("warning", "no article in this worker's share of the crawl", "articles")
    if report.share is not None:  # a worker of a distributed crawl: others may have had them
        return Signal("warning", "no article in this worker's share of the crawl", "articles")
    earlier = next((run for run in past if run.found), None)
    if earlier is None:
        return Signal(
            "warning",
            "no article found (no feed item, sitemap entry or listing link led to one)",
            "articles",
        )
    return Signal(
        "failed",
        f"no article found, where {earlier.when} found {earlier.found}: its feeds, sitemaps "
        "or listings stopped leading to articles",
        "articles",
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
                "coverage",
            )
        )
    return signals


def signals(report: SiteReport, past: list[PastRun], *, resumed: bool = False) -> list[Signal]:
    """Everything wrong with a site's crawl that its own counts do not say, `past` being the
    site's earlier finished runs, newest first (`resumed`: the crawl resumed a stopped one)."""
    found = zero_articles_signal(report, past, resumed=resumed)
    return [
        *endpoint_signals(report),
        *([found] if found else []),
        *coverage_signals(report, past),
    ]


def crawl_failed(report: SiteReport) -> bool:
    """The site's crawl failed by its own counts (`SiteReport.failed`); a stop by
    `--max-duration` is no failure by itself (its errors, blocks or emptiness still are)."""
    if report.finish_reason == STOPPED:
        return replace(report, finish_reason="finished").failed
    return report.failed


def unhealthy(report: SiteReport, found: list[Signal]) -> bool:
    """The site went wrong: its own failure, or a failed health signal."""
    return crawl_failed(report) or any(signal.failed for signal in found)


def failure_reason(report: SiteReport) -> str:
    """Why the site's crawl failed by its own counts, in a few words ('' when it did not)."""
    if not crawl_failed(report):
        return ""
    counts = ("errors", report.errors), ("blocked", report.blocked)
    reasons = [
        *([f"gave up: {report.gave_up}"] if report.gave_up else []),
        *(
            f"{name}: " + ", ".join(f"{kind} {n}" for kind, n in sorted(found.items()))
            for name, found in counts
            if found
        ),
        *(["nothing fetched"] if report.pages == 0 else []),
    ]
    if not reasons and report.finish_reason == "shutdown":
        reasons.append("stopped by a signal (SIGTERM or Ctrl-C)")
    elif not reasons and report.finish_reason != "finished":
        reasons.append(f"stopped ({report.finish_reason})")
    return "; ".join(reasons)


def status_of(report: SiteReport, found: list[Signal]) -> Status:
    """`failed` (its own failure, or no article where an earlier run found some), `degraded`
    (another failed signal: a field's coverage fell), else `ok`."""
    failed = [signal for signal in found if signal.failed]
    if crawl_failed(report) or any(signal.kind != "coverage" for signal in failed):
        return "failed"
    return "degraded" if failed else "ok"


def streak(status: str, past: list[PastRun]) -> int:
    """The site's consecutive failed or degraded runs, ending with this one of `status`."""
    if status not in FAILING:
        return 0
    count = 1
    for run in past:
        if run.status not in FAILING:
            break
        count += 1
    return count


@dataclass(frozen=True)
class SiteHealth:
    """How a site's latest crawl went: its status, its signals and its failure streak."""

    site: str
    status: Status
    signals: list[Signal]
    consecutive_failures: int
    run_id: int | None = None
    finished_at: datetime | None = None
    reason: str = ""
    """Why the crawl failed by its own counts (`failure_reason`), if it did."""

    @property
    def failing(self) -> bool:
        return self.consecutive_failures >= FAILING_RUNS

    @property
    def flag(self) -> str:
        """`FAILING 3 runs` for a site failing FAILING_RUNS runs in a row or more, else ''."""
        return f"FAILING {self.consecutive_failures} runs" if self.failing else ""

    def record(self) -> dict[str, Any]:
        """What is kept of it with the run (JSON-ready)."""
        return {
            "status": self.status,
            "reason": self.reason,
            "signals": [signal.record() for signal in self.signals],
            "consecutive_failures": self.consecutive_failures,
        }


def assess(report: SiteReport, past: list[PastRun], *, resumed: bool = False) -> SiteHealth:
    """A site's crawl against its earlier finished runs (newest first)."""
    found = signals(report, past, resumed=resumed)
    status = status_of(report, found)
    return SiteHealth(
        report.site,
        status,
        found,
        streak(status, past),
        run_id=report.run_id,
        reason=failure_reason(report),
    )


def latest(session: Session, *, runs: int = HEALTH_RUNS) -> list[SiteHealth]:
    """Each site's health as its latest finished crawl run keeps it (sorted by site; at most
    the latest `runs` runs are read). A run recorded before health was kept gives its status
    from its counts, and the streak is counted over the runs read."""
    query = (
        select(CrawlRunRow)
        .where(CrawlRunRow.kind == "crawl", CrawlRunRow.finished_at.is_not(None))
        .order_by(CrawlRunRow.id.desc())
        .limit(runs)
    )
    history: dict[str, list[PastRun]] = {}
    for row in session.scalars(query):
        for site, counts in (row.counts or {}).items():
            if isinstance(counts, dict):
                history.setdefault(site, []).append(PastRun(row.id, row.finished_at, counts, {}))
    return [health_of(site, runs) for site, runs in sorted(history.items())]


def health_of(site: str, runs: list[PastRun]) -> SiteHealth:
    """A site's latest health from its runs, newest first."""
    last, earlier = runs[0], runs[1:]
    kept = last.health.get("consecutive_failures")
    count = kept if isinstance(kept, int) else streak(last.status, earlier)
    reason = str(last.health.get("reason") or "")
    return SiteHealth(site, last.status, last.signals, count, last.run_id, last.finished_at, reason)


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
