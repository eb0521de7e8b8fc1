"""Whether a crawl should fetch an article URL again: new, due on the re-fetch schedule, changed
according to the sitemap, or archived and fresh (skipped).

The decision (`decide`) is pure: what the archive knows of the URL (`Archived`), the sitemap's
`lastmod` as written there, the time now and the schedule. `archived` reads what the archive
knows of one URL in one indexed query, so that a crawl asks per URL and never loads every
archived URL. Scrapy-free: the crawl's downloader middleware (`newsarchive.crawl.freshness`)
asks here, and a distributed scheduler can ask the same.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import BindParameter, Connection, bindparam, literal, select, union_all
from sqlalchemy.orm import Session

from newsarchive.archive.models import AliasRow, ArticleRow
from newsarchive.dates import ATHENS, MAX_YEAR, MIN_YEAR

DEFAULT_SCHEDULE: tuple[float, ...] = (1, 3, 7)
"""Days after publication at which an archived article is fetched again: corrections and
updates come in the first hours and days, rarely after a week."""
SETTING = "NEWSARCHIVE_REFETCH_DAYS"
MAX_DAYS = 3650
"""The longest re-fetch delay taken (ten years): beyond it a schedule is a typo."""
CLOCK_SKEW = timedelta(minutes=15)
"""A sitemap `lastmod` later than now by more than this is wrong (a server clock, a template
stamping the future) and is ignored, so that it does not ask for a re-fetch on every crawl."""

_W3C = re.compile(
    r"(?P<date>\d{4}(?:-\d{2}(?:-\d{2})?)?)"
    r"(?:[T ](?P<time>\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)"
    r"(?P<zone>Z|[+-]\d{2}(?::?\d{2})?)?)?",
    re.ASCII,
)


class Reason(StrEnum):
    """Why a URL is fetched, or not."""

    NEW = "new"
    """Not archived (neither as an article's canonical URL nor as an alias)."""
    SCHEDULE = "schedule"
    """A re-fetch checkpoint (published + N days) has passed since the last fetch."""
    LASTMOD = "lastmod"
    """The sitemap says the page changed after the last fetch."""
    FRESH = "fresh"
    """Archived, and nothing says it changed since: not fetched."""


@dataclass(frozen=True)
class Archived:
    """What the archive knows of a URL that the decision needs."""

    published_at: datetime | None
    first_seen_at: datetime
    last_fetched_at: datetime
    """The newest fetch that found the article (its current version's, or a later sighting)."""

    @property
    def reference(self) -> datetime:
        """The time the schedule counts from: publication, else (undated) the first sighting."""
        return self.published_at or self.first_seen_at


@dataclass(frozen=True)
class Decision:
    """Fetch or skip, and why."""

    reason: Reason

    @property
    def fetch(self) -> bool:
        return self.reason is not Reason.FRESH


def parse_schedule(value: Any) -> tuple[float, ...]:
    """The re-fetch schedule of a setting: days after publication, as "1,3,7" or a list of
    numbers; empty means no scheduled re-fetch (only `lastmod`). Sorted, each once.

    Raises ValueError saying what to give."""
    if value is None:
        return DEFAULT_SCHEDULE
    items: Iterable[Any]
    if isinstance(value, str):
        items = value.split(",")
    elif isinstance(value, int | float):
        items = [value]
    else:
        items = value
    days: set[float] = set()
    for item in items:
        text = str(item).strip()
        if not text and isinstance(value, str):
            continue
        try:
            number = float(text)
        except ValueError:
            number = math.nan
        if not math.isfinite(number) or not 0 < number <= MAX_DAYS:
            raise ValueError(
                f"{SETTING}: {text!r} is not a number of days from 0 to {MAX_DAYS}; give the "
                "days after publication to fetch an article again, e.g. 1,3,7"
            )
        days.add(number)
    return tuple(sorted(days))


def parse_lastmod(value: str | None, *, now: datetime) -> datetime | None:
    """A sitemap `lastmod` (W3C datetime: a date, or a date and time with or without its
    zone) as an aware datetime; None for anything else, or for a time well in the future.

    A date alone is the start of that day in Athens, so it says "changed after a fetch" only
    for fetches of an earlier day (the schedule catches same-day corrections). A time without
    a zone is Athens time."""
    if not value:
        return None
    match = _W3C.fullmatch(value.strip())
    if match is None:
        return None
    day, clock, zone = match.group("date", "time", "zone")
    if not MIN_YEAR <= int(day[:4]) <= MAX_YEAR:  # `0001-01-01`: a placeholder, no date
        return None
    day += "-01" * (2 - day.count("-"))  # `2026` and `2026-12`: the period's first day
    try:
        if clock is None:
            moment = datetime.combine(datetime.fromisoformat(day).date(), time(), ATHENS)
        else:
            moment = datetime.fromisoformat(f"{day}T{clock.replace(',', '.')}{zone or ''}")
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=ATHENS)
        moment = moment.astimezone(ATHENS)
    except ValueError:  # `2026-13-40`, `24:61`
        return None
    return None if moment > now + CLOCK_SKEW else moment


def due(archived: Archived, *, now: datetime, schedule: Iterable[float]) -> bool:
    """Whether a checkpoint (reference + N days) has passed since the last fetch."""
    for days in schedule:
        try:
            checkpoint = archived.reference + timedelta(days=days)
        except OverflowError:
            continue
        if archived.last_fetched_at < checkpoint <= now:
            return True
    return False


def decide(
    archived: Archived | None,
    *,
    lastmod: str | None,
    now: datetime,
    schedule: Iterable[float] = DEFAULT_SCHEDULE,
) -> Decision:
    """Fetch a URL the archive does not know, one whose sitemap `lastmod` is newer than its
    last fetch, or one due on the schedule; skip the rest (archived and fresh)."""
    if archived is None:
        return Decision(Reason.NEW)
    modified = parse_lastmod(lastmod, now=now)
    if modified is not None and modified > archived.last_fetched_at:
        return Decision(Reason.LASTMOD)
    if due(archived, now=now, schedule=schedule):
        return Decision(Reason.SCHEDULE)
    return Decision(Reason.FRESH)


_URL: BindParameter[str] = bindparam("url")
_COLUMNS = (
    ArticleRow.published_at,
    ArticleRow.first_seen_at,
    ArticleRow.fetched_at,
    ArticleRow.last_seen_at,
)
_KNOWN = (
    union_all(
        select(*_COLUMNS, literal(0).label("via")).where(ArticleRow.canonical_url == _URL),
        select(*_COLUMNS, literal(1).label("via"))
        .join(AliasRow, AliasRow.article_id == ArticleRow.id)
        .where(AliasRow.url == _URL),
    )
    .order_by("via")
    .limit(1)
)
"""The canonical URL's row, else the row its alias points to; built once (a crawl asks it per
URL, and building the statement cost three times what running it does)."""


def archived(reader: Session | Connection, url: str) -> Archived | None:
    """What the archive knows of the article at `url` (its canonical URL, or an alias of it);
    None if nothing. One query, through the unique indexes of both."""
    row = reader.execute(_KNOWN, {"url": url}).first()
    if row is None:
        return None
    published_at, first_seen_at, fetched_at, last_seen_at = row[:4]
    return Archived(
        published_at=published_at,
        first_seen_at=first_seen_at,
        last_fetched_at=max(fetched_at, last_seen_at or fetched_at),
    )
