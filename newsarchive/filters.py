"""Which articles a question is about: `Filters`, as the command line, the web API and the
search give them. Light: no SQLAlchemy, no Scrapy (`newsarchive search` starts fast)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from newsarchive.items import REGIONS

ATHENS = ZoneInfo("Europe/Athens")
ISO_EXAMPLE = "e.g. 2026-02-10 or 2026-02-10T18:30"
MAX_LIMIT = 1_000_000_000
"""The largest `limit` (what every database takes as a row count)."""


class BadFilterError(ValueError):
    """A filter value that cannot be used; `parameter` names the filter (`since`, `site` …)."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(message)
        self.parameter = parameter


def parse_when(value: str, *, parameter: str = "since", end_of_day: bool = False) -> datetime:
    """An ISO 8601 date or datetime as an aware datetime; naive values are Europe/Athens time.

    A date alone means its first instant, or its last one with `end_of_day` (an inclusive
    `until`). Raises BadFilterError naming `parameter` for anything else.
    """
    text = value.strip()
    try:
        day = date.fromisoformat(text)
    except ValueError:
        pass
    else:
        return _in_range(
            datetime.combine(day, time.max if end_of_day else time.min, tzinfo=ATHENS),
            value,
            parameter,
        )
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise BadFilterError(
            parameter, f"{value!r} is not an ISO date or datetime ({ISO_EXAMPLE})"
        ) from None
    return _in_range(
        moment if moment.tzinfo is not None else moment.replace(tzinfo=ATHENS), value, parameter
    )


def _in_range(moment: datetime, value: str, parameter: str) -> datetime:
    """The moment, if it can be stored (in UTC) and shown (in Athens time)."""
    try:
        moment.astimezone(UTC)
        moment.astimezone(ATHENS)
    except OverflowError:
        raise BadFilterError(
            parameter, f"{value!r} is out of range (years 1 to 9999, in UTC and Athens time)"
        ) from None
    return moment


def _known_site(name: str) -> str:
    from newsarchive import sites

    try:
        return sites.get(name).name
    except sites.UnknownSiteError as error:
        raise BadFilterError("site", str(error)) from None


def _blank_is_none(value: str | None) -> str | None:
    return value.strip() or None if value is not None else None


def _parse_limit(value: int | str | None) -> int | None:
    if value is None or isinstance(value, int):
        return value
    try:
        return int(value)
    except ValueError:
        raise BadFilterError("limit", f"{value!r} is not a whole number") from None


@dataclass(frozen=True, kw_only=True)
class Filters:
    """Which articles a query returns; every field left empty means no restriction.

    Checked when made: sites must be known, the region one of `REGIONS`, dates aware, `since`
    not after `until`, `limit` positive. Raises BadFilterError naming the offending filter.
    """

    sites: tuple[str, ...] = ()
    """Only these sites' articles (any of them)."""
    region: str | None = None
    """Only articles of this region (one of `newsarchive.items.REGIONS`)."""
    section: str | None = None
    """Only this section, compared as search compares words (case and accents ignored)."""
    since: datetime | None = None
    """Only articles published at or after this instant (undated articles are left out)."""
    until: datetime | None = None
    """Only articles published at or before this instant (undated articles are left out)."""
    story: str | None = None
    """Only the copies of this story (its key: `newsarchive stories` shows them)."""
    limit: int | None = None
    """At most this many articles (the newest); None: all."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "sites", tuple(_known_site(name) for name in self.sites))
        if self.region is not None and self.region not in REGIONS:
            raise BadFilterError(
                "region", f"unknown region {self.region!r}; regions: {', '.join(REGIONS)}"
            )
        for parameter in ("since", "until"):
            moment = getattr(self, parameter)
            if moment is not None and moment.tzinfo is None:
                raise BadFilterError(parameter, f"{moment.isoformat()} has no time zone")
        if self.since is not None and self.until is not None and self.since > self.until:
            raise BadFilterError(
                "since",
                f"{self.since.isoformat()} is after until {self.until.isoformat()}",
            )
        if self.limit is not None and self.limit < 1:
            raise BadFilterError("limit", f"{self.limit} is not a positive number")
        if self.limit is not None and self.limit > MAX_LIMIT:
            raise BadFilterError("limit", f"{self.limit} is more than {MAX_LIMIT}")

    @classmethod
    def parse(
        cls,
        *,
        sites: Iterable[str] = (),
        region: str | None = None,
        section: str | None = None,
        since: str | None = None,
        until: str | None = None,
        story: str | None = None,
        limit: int | str | None = None,
    ) -> Filters:
        """Filters from text values, as a command line or a query string gives them.

        Empty strings mean no restriction; dates are ISO 8601 (`parse_when`; a date alone as
        `until` includes that whole day).
        """
        return cls(
            sites=tuple(dict.fromkeys(name.strip() for name in sites if name.strip())),
            region=_blank_is_none(region),
            section=_blank_is_none(section),
            since=parse_when(since, parameter="since") if since else None,
            until=parse_when(until, parameter="until", end_of_day=True) if until else None,
            story=_blank_is_none(story),
            limit=_parse_limit(limit),
        )
