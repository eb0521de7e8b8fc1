"""A backfill's window of days (`crawl --since D [--until D]`), and what falls outside it.

An article is outside when the date it is known by says so: its URL's date
(`/2024/03/05/slug/`) or, before `since` only, its sitemap or REST `lastmod` (an article
modified before `since` was published before it). An article whose date is unknown is kept:
the record's own date decides nothing at discovery.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from newsarchive import urls
from newsarchive.archive.freshness import parse_lastmod


def as_date(value: date | str | None) -> date | None:
    """A date from a date, an ISO date or datetime string (`scrapy crawl -a since=…`), or None.

    ValueError for a string that is neither."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return datetime.fromisoformat(value.strip()).date()


@dataclass(frozen=True)
class Window:
    """The days a backfill reads; both ends open when not given (a daily crawl: no window)."""

    since: date | None = None
    until: date | None = None

    @classmethod
    def of(cls, since: date | str | None, until: date | str | None) -> Window:
        window = cls(as_date(since), as_date(until))
        if window.since and window.until and window.until < window.since:
            raise ValueError(f"--until {window.until} is before --since {window.since}")
        return window

    @property
    def active(self) -> bool:
        return self.since is not None or self.until is not None

    def holds(self, day: date) -> bool:
        return (self.since is None or day >= self.since) and (
            self.until is None or day <= self.until
        )

    def before_since(self, lastmod: str | None) -> bool:
        """The `lastmod` is a day before `since` (so is everything it dates)."""
        if self.since is None or not lastmod:
            return False
        moment = parse_lastmod(lastmod, now=datetime.now(UTC))
        return moment is not None and moment.date() < self.since

    def excludes(self, url: str, lastmod: str | None = None) -> bool:
        """The article at `url` is known to lie outside the window."""
        if not self.active:
            return False
        day = urls.date_in_url(url)
        if day is not None and not self.holds(day):
            return True
        return self.before_since(lastmod)

    def days(self, today: date) -> list[date]:
        """Every day from `since` to `until` (else `today`), newest first."""
        if self.since is None:
            return []
        last = self.until or today
        count = (last - self.since).days + 1
        return [date.fromordinal(last.toordinal() - n) for n in range(max(count, 0))]
