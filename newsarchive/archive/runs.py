"""Crawl runs: a row when a crawl (or an import, or a re-extraction) starts, completed when it
ends. A row left without `finished_at` is a run that was killed."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, update
from sqlalchemy.orm import Session

from newsarchive.archive.models import CrawlRunRow

KINDS = ("crawl", "import", "reextract")


def start_run(session: Session, kind: str, sites: list[str]) -> int:
    """Record that a run of `kind` starts now on these sites; its id. Commits."""
    if kind not in KINDS:
        raise ValueError(f"unknown run kind {kind!r}: one of {', '.join(KINDS)}")
    result = session.execute(
        insert(CrawlRunRow)
        .values(
            kind=kind,
            started_at=datetime.now(UTC),
            sites=sorted(sites),
            counts={},
            coverage={},
        )
        .returning(CrawlRunRow.id)
    )
    run_id = int(result.scalar_one())
    session.commit()
    return run_id


def finish_run(
    session: Session,
    run_id: int,
    *,
    counts: dict[str, Any],
    coverage: dict[str, Any],
    exit_status: int,
) -> None:
    """Record how the run ended: what it counted, the share of records with each field, its
    exit status (0 when everything went well). Commits."""
    session.execute(
        update(CrawlRunRow)
        .where(CrawlRunRow.id == run_id)
        .values(
            finished_at=datetime.now(UTC),
            counts=counts,
            coverage=coverage,
            exit_status=exit_status,
        )
    )
    session.commit()
