"""Counts of articles per period (Europe/Athens time) and group, for analysts and charts.

The read side: no Scrapy and no click. Only each article's publication time and group column
are read (streamed, never a body), and periods are made here from the times as the archive gives
them back (in Athens time), so SQLite and PostgreSQL give the same counts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, select, text
from sqlalchemy.orm import InstrumentedAttribute, Session

from newsarchive.archive.models import ArticleRow
from newsarchive.dates import ATHENS
from newsarchive.filters import Filters
from newsarchive.query import _conditions, _newest_first
from newsarchive.text import fold

EVERY = ("day", "week", "month")
"""The periods counted in: an Athens day, a week from Monday, a calendar month."""
BY = ("site", "region", "section")
"""The groups a count may be split by: a series per value of this article column."""
NO_GROUP = "(χωρίς)"
"""The group of articles without a region or a section."""
OTHERS = "άλλα"
"""The series a chart sums its smaller series into."""
TOP = 10
"""A chart's largest series drawn as lines of their own."""
MAX_PERIODS = 100_000
"""The most periods a count may span (274 years of days)."""
ROW_FIELDS = ("period", "group", "articles")
"""The keys of a tidy row (`counts_rows`); `group` only when the counts are split."""
STREAM = 5_000
"""Rows fetched from the database at a time."""


class TooManyPeriodsError(ValueError):
    """A count spanning more than MAX_PERIODS periods."""


@dataclass(frozen=True)
class Counts:
    """Articles per period and group: `series[label][i]` articles in `periods[i]`."""

    periods: list[str]
    """ISO labels, oldest first, every period of the covered range (`2025-01-06` for a day or
    a week, the week's Monday; `2025-01` for a month)."""
    series: dict[str, list[int]]
    """Group label → articles per period, the largest series first; one series labelled ""
    when the counts are not split by a group."""
    undated: int = 0
    """Articles within the filters left out because they have no publication time."""
    every: str = "week"
    by: str | None = None
    query: str | None = None

    @property
    def total(self) -> int:
        """The articles counted (dated ones)."""
        return sum(sum(values) for values in self.series.values())


# --- periods --------------------------------------------------------------------------------------


def athens_day(moment: datetime) -> date:
    """The Greek news day of an instant."""
    return moment.astimezone(ATHENS).date()


def period_start(day: date, every: str) -> date:
    """The first day of the period holding `day`."""
    if every == "week":
        return day - timedelta(days=day.weekday())
    if every == "month":
        return day.replace(day=1)
    return day


def next_start(start: date, every: str) -> date:
    """The first day of the period after the one starting on `start`."""
    if every == "month":
        return (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return start + timedelta(days=7 if every == "week" else 1)


def period_label(start: date, every: str) -> str:
    """A period's ISO label: its first day, or `YYYY-MM` for a month."""
    return start.isoformat()[:7] if every == "month" else start.isoformat()


def period_count(first: date, last: date, every: str) -> int:
    """How many periods run from the one starting on `first` to the one starting on `last`."""
    if every == "month":
        return (last.year - first.year) * 12 + last.month - first.month + 1
    return (last - first).days // (7 if every == "week" else 1) + 1


def period_starts(first: date, last: date, every: str) -> list[date]:
    """Every period's first day from `first`'s period to `last`'s, or TooManyPeriodsError."""
    first, last = period_start(first, every), period_start(last, every)
    count = period_count(first, last, every)
    if count > MAX_PERIODS:
        raise TooManyPeriodsError(
            f"{first} to {last} is {count} {every}s, more than {MAX_PERIODS}: count by a "
            "longer period, or over a shorter range (--since, --until)"
        )
    starts = [first]
    for _ in range(count - 1):
        starts.append(next_start(starts[-1], every))
    return starts


# --- counting -------------------------------------------------------------------------------------


def _column(by: str | None) -> InstrumentedAttribute[Any] | None:
    if by is None:
        return None
    if by not in BY:
        raise ValueError(f"unknown group {by!r}; groups: {', '.join(BY)}")
    column: InstrumentedAttribute[Any] = getattr(ArticleRow, by)
    return column


def _statement(
    session: Session, by: str | None, query: str | None, filters: Filters
) -> Select[Any]:
    column = _column(by)
    columns = (ArticleRow.published_at,) if column is None else (ArticleRow.published_at, column)
    statement = select(*columns).where(*_conditions(session, filters))
    if query is not None:
        from newsarchive.search.parse import parse
        from newsarchive.search.run import match_condition

        condition, parameters = match_condition(session.get_bind().dialect.name, parse(query))
        statement = statement.where(text(condition).bindparams(**parameters))
    if filters.limit is not None:
        statement = _newest_first(statement).limit(filters.limit)
    return statement.execution_options(yield_per=STREAM)


@dataclass
class _Tally:
    """Articles per (period start, raw group value), and the undated ones."""

    counted: Counter[tuple[date, str | None]]
    undated: int = 0


def _tally(rows: Iterable[Any], every: str) -> _Tally:
    tally = _Tally(Counter())
    starts: dict[date, date] = {}
    for row in rows:
        published, group = row[0], row[1] if len(row) > 1 else None
        if published is None:
            tally.undated += 1
            continue
        day = athens_day(published)
        start = starts.get(day)
        if start is None:
            start = starts[day] = period_start(day, every)
        tally.counted[start, group or None] += 1
    return tally


def group_labels(totals: Counter[str | None], by: str | None) -> dict[str | None, str]:
    """Each raw group value's label: sections spelled differently (`ΛΑΡΙΣΑ`, `Λάρισα`) share
    their most frequent spelling, as search compares them; no value is NO_GROUP."""
    if by is None:
        return dict.fromkeys(totals, "")
    labels: dict[str | None, str] = {None: NO_GROUP}
    if by != "section":
        labels.update({value: value for value in totals if value is not None})
        return labels
    spellings: dict[str, list[str]] = {}
    for value in totals:
        if value is not None:
            spellings.setdefault(fold(value), []).append(value)
    for same in spellings.values():
        label = min(same, key=lambda value: (-totals[value], value))
        labels.update(dict.fromkeys(same, label))
    return labels


def _covered(tally: _Tally, filters: Filters, every: str) -> list[date]:
    """The period starts from the first article (or --since) to the last (or --until)."""
    days = [start for start, _ in tally.counted]
    if filters.since is not None:
        days.append(athens_day(filters.since))
    if filters.until is not None:
        days.append(athens_day(filters.until))
    if not days:
        return []
    first = athens_day(filters.since) if filters.since is not None else min(days)
    last = athens_day(filters.until) if filters.until is not None else max(days)
    return period_starts(first, last, every)


def _series(tally: _Tally, starts: list[date], by: str | None) -> dict[str, list[int]]:
    index = {start: position for position, start in enumerate(starts)}
    totals: Counter[str | None] = Counter()
    for (_, group), number in tally.counted.items():
        totals[group] += number
    labels = group_labels(totals, by)
    series: dict[str, list[int]] = {"": [0] * len(starts)} if by is None else {}
    for (start, group), number in tally.counted.items():
        series.setdefault(labels[group], [0] * len(starts))[index[start]] += number
    return dict(sorted(series.items(), key=lambda item: (-sum(item[1]), item[0])))


def counts(
    session: Session,
    *,
    every: str = "week",
    by: str | None = None,
    query: str | None = None,
    filters: Filters | None = None,
) -> Counts:
    """Articles within the filters (and matching `query`, in the search language) per period
    of Athens time and per value of `by`; periods without articles inside the covered range
    are 0. Raises ValueError for an unknown `every` or `by`, BadQueryError for a bad query,
    TooManyPeriodsError for a range of more than MAX_PERIODS periods."""
    if every not in EVERY:
        raise ValueError(f"unknown period {every!r}; periods: {', '.join(EVERY)}")
    filters = filters or Filters()
    # Core rows (the session's connection): half the cost of ORM rows of two columns
    rows = session.connection().execute(_statement(session, by, query, filters))
    tally = _tally(rows, every)
    starts = _covered(tally, filters, every)
    return Counts(
        periods=[period_label(start, every) for start in starts],
        series=_series(tally, starts, by),
        undated=tally.undated,
        every=every,
        by=by,
        query=query,
    )


def counts_rows(found: Counts) -> list[dict[str, Any]]:
    """Tidy rows for pandas or R: one per period and series (`period`, `group`, `articles`),
    oldest first; no `group` when the counts are not split."""
    return list(_rows(found))


def _rows(found: Counts) -> Iterator[dict[str, Any]]:
    for position, period in enumerate(found.periods):
        for label, values in found.series.items():
            if found.by is None:
                yield {"period": period, "articles": values[position]}
            else:
                yield {"period": period, "group": label, "articles": values[position]}


def top_series(found: Counts, top: int = TOP) -> dict[str, list[int]]:
    """The `top` largest series, and the rest summed as OTHERS (what a chart draws)."""
    if len(found.series) <= top:
        return dict(found.series)
    items = list(found.series.items())
    shown = dict(items[:top])
    shown[OTHERS] = [sum(column) for column in zip(*(v for _, v in items[top:]), strict=True)]
    return shown
