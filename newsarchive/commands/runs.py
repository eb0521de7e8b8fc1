"""`newsarchive runs`: the archive's crawl runs (and imports, re-extractions), newest first;
`--health`: each site's latest health (`newsarchive.crawl.health.latest`)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

import click
from sqlalchemy import select
from sqlalchemy.orm import Session

from newsarchive.archive.models import CrawlRunRow
from newsarchive.cli import (
    CONTEXT,
    Column,
    Output,
    db_option,
    main,
    one_line,
    open_archive,
    output_options,
    refuse_overwriting,
    write_records,
)
from newsarchive.query import MAX_LIMIT

if TYPE_CHECKING:
    from newsarchive.crawl.health import SiteHealth

TOTALS = (
    "fetched",
    "new",
    "updated",
    "unchanged",
    "known",
    "refetched",
    "duplicates",
    "in_stories",
    "dropped",
    "errors",
    "blocked",
)
"""The counts summed over a run's sites (a count kept by reason, such as `dropped`, as its sum)."""
RUN_FIELDS = (
    "id",
    "kind",
    "started_at",
    "finished_at",
    "duration_seconds",
    "status",
    "exit_status",
    "sites",
    *TOTALS,
    "counts",
    "coverage",
)
"""A run's record: the row, its status, its totals, and the per-site counts and coverage."""


def status_of(run: CrawlRunRow) -> str:
    """`interrupted` (no end recorded: killed, or still running), `ok` or `failed`."""
    if run.finished_at is None:
        return "interrupted"
    return "ok" if run.exit_status == 0 else "failed"


def count_of(value: Any) -> int:
    """A count as kept: a number, or a count by reason (its sum); anything else is none."""
    if isinstance(value, bool):
        return 0
    if isinstance(value, int):
        return value
    if isinstance(value, dict):
        return sum(count_of(item) for item in value.values())
    return 0


def per_site(counts: dict[str, Any]) -> list[dict[str, Any]]:
    """The counts of each site of a run: crawls keep them by site; a run that counted as one
    (an import) is one."""
    if counts and all(isinstance(value, dict) for value in counts.values()):
        return list(counts.values())
    return [counts]


def totals(run: CrawlRunRow) -> dict[str, int | None]:
    """The run's counts summed over its sites; None each for a run with no end recorded."""
    if run.finished_at is None and not run.counts:
        return dict.fromkeys(TOTALS)
    sites = per_site(run.counts or {})
    return {name: sum(count_of(site.get(name)) for site in sites) for name in TOTALS}


def moment(value: datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value is not None else None


def run_record(run: CrawlRunRow) -> dict[str, Any]:
    """A run as `runs` writes it (JSON-ready; times in Athens with their offset)."""
    duration = None
    if run.finished_at is not None:
        duration = round((run.finished_at - run.started_at).total_seconds(), 1)
    return {
        "id": run.id,
        "kind": run.kind,
        "started_at": moment(run.started_at),
        "finished_at": moment(run.finished_at),
        "duration_seconds": duration,
        "status": status_of(run),
        "exit_status": run.exit_status,
        "sites": list(run.sites or []),
        **totals(run),
        "counts": run.counts or {},
        "coverage": run.coverage or {},
    }


def duration_cell(seconds: float | None) -> str:
    """`4.2 s`, `3 min 05 s`, `2 h 07 min`; `-` without an end."""
    if seconds is None:
        return "-"
    if seconds < 60:
        return f"{seconds:.1f} s"
    whole = round(seconds)
    if whole < 3600:
        return f"{whole // 60} min {whole % 60:02d} s"
    return f"{whole // 3600} h {whole % 3600 // 60:02d} min"


def time_cell(value: str | None) -> str:
    return value[:19].replace("T", " ") if value else "interrupted"


def total_cell(name: str) -> Column:
    return Column(name, lambda data: "-" if data[name] is None else str(data[name]))


RUN_COLUMNS = (
    Column("id", lambda data: str(data["id"])),
    Column("kind", lambda data: str(data["kind"])),
    Column("started", lambda data: time_cell(data["started_at"])),
    Column("finished", lambda data: time_cell(data["finished_at"])),
    Column("duration", lambda data: duration_cell(data["duration_seconds"])),
    Column("sites", lambda data: one_line(", ".join(data["sites"]), 40)),
    *(total_cell(name) for name in ("new", "updated", "unchanged", "known", "dropped", "errors")),
    Column("status", lambda data: str(data["status"])),
)


HEALTH_FIELDS = (
    "site",
    "status",
    "reason",
    "consecutive_failures",
    "failing",
    "flag",
    "run_id",
    "finished_at",
    "signals",
)
"""A site's health: its latest crawl run's status and signals, and its failure streak."""


def health_record(found: SiteHealth) -> dict[str, Any]:
    """A site's health as `runs --health` writes it (JSON-ready)."""
    return {
        "site": found.site,
        "status": found.status,
        "reason": found.reason or None,
        "consecutive_failures": found.consecutive_failures,
        "failing": found.failing,
        "flag": found.flag or None,
        "run_id": found.run_id,
        "finished_at": moment(found.finished_at),
        "signals": [signal.record() for signal in found.signals],
    }


def signals_cell(data: dict[str, Any]) -> str:
    """Why it failed, then its signals (`failed: …`, `warning: …`), on one line."""
    shown = [f"{signal['level']}: {signal['message']}" for signal in data["signals"]]
    shown = [data["reason"], *shown] if data["reason"] else shown
    return one_line("; ".join(shown), 90) if shown else "-"


HEALTH_COLUMNS = (
    Column("site", lambda data: str(data["site"])),
    Column("status", lambda data: str(data["status"])),
    Column("failing", lambda data: str(data["flag"] or "-")),
    Column("run", lambda data: str(data["run_id"])),
    Column("finished", lambda data: time_cell(data["finished_at"])),
    Column("why", signals_cell),
)


def write_health(session: Session, output: Output) -> None:
    """Each site's latest health, flagged sites counted on stderr."""
    from newsarchive.crawl.health import latest

    found = latest(session)
    write_records(
        (health_record(site) for site in found),
        output,
        fields=HEALTH_FIELDS,
        columns=HEALTH_COLUMNS,
    )
    failing = [site.site for site in found if site.failing]
    click.echo(
        f"{len(found)} site(s)" + (f", FAILING: {', '.join(failing)}" if failing else ""),
        err=True,
    )


def newest_runs(session: Session, limit: int) -> Iterable[CrawlRunRow]:
    query = select(CrawlRunRow).order_by(CrawlRunRow.started_at.desc(), CrawlRunRow.id.desc())
    return session.scalars(query.limit(limit))


@main.command("runs", context_settings=CONTEXT)
@click.option(
    "--limit",
    type=click.IntRange(1, MAX_LIMIT),
    default=20,
    show_default=True,
    help="At most this many runs, the newest.",
)
@click.option(
    "--health",
    is_flag=True,
    help="List each site's latest health instead: status, signals, and how many runs in a "
    "row it failed (FAILING from 3).",
)
@output_options(default="table")
@db_option
def runs(limit: int, health: bool, output: Output, db: str | None) -> None:
    """List the archive's crawl runs, newest first: when each started and ended, its sites,
    what it counted and how it ended.

    A run with no end recorded is shown as interrupted (killed half-way, or still running).
    json, jsonl and csv also give each site's counts (fetched, new, updated, unchanged, known,
    re-fetched, duplicates, dropped and errors by reason) and field coverage (the share of
    extracted records with each field). Reading only: nothing is written to the archive.

    With --health, each site's latest crawl instead: its status (ok, degraded, failed), its
    health signals, and its failure streak; a site failed or degraded in 3 runs in a row or
    more is flagged `FAILING n runs` until a crawl of it succeeds (--limit does not apply).

    \b
    Example:
      newsarchive runs
      newsarchive runs --limit 5 --format json
      newsarchive runs --health
      newsarchive runs --format csv -o runs.csv --db postgresql+psycopg://news@localhost/news
    """
    with open_archive(db, read_only=True) as archive:
        refuse_overwriting(output, archive.path, "archive")
        if health:
            write_health(archive.session, output)
            return
        count = write_records(
            (run_record(run) for run in newest_runs(archive.session, limit)),
            output,
            fields=RUN_FIELDS,
            columns=RUN_COLUMNS,
        )
    click.echo(f"{count} run(s)", err=True)
